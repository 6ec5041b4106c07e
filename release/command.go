package release

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Exit codes of cmd/release, as cmd/rollout's where they overlap.
const (
	ExitOK      = 0
	ExitFailed  = 1
	ExitUsage   = 3
	usagePrefix = "release"
)

// Env is what the commands take from their surroundings.
type Env struct {
	Getenv func(string) string
	HTTP   *http.Client
	// Run runs a program (az, kubectl) and returns its combined output.
	Run    func(name string, args ...string) ([]byte, error)
	Now    func() time.Time
	Stdout io.Writer
	Stderr io.Writer
}

// SystemEnv is the real environment.
func SystemEnv() Env {
	return Env{
		Getenv: os.Getenv,
		HTTP:   &http.Client{Timeout: 60 * time.Second},
		Run: func(name string, args ...string) ([]byte, error) {
			return exec.Command(name, args...).CombinedOutput()
		},
		Now:    time.Now,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
	}
}

// strings flag, repeatable.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// opts holds every flag of every subcommand; each subcommand's flag set registers its own.
type opts struct {
	repo, env, config, service, tag, failed, rev, branch, mode, provider, platformRepo, project string
	source, base, head, dir, single, format, githubOutput, githubEnv, file, policy              string
	registryName, registryID, aksOutputs, baseOutputs, identityOutputs, prefix, buildNumber     string
	shared, skip                                                                                list
	all, autoComplete, dryRun                                                                   bool
}

type subcommand struct {
	usage string
	flags func(fs *flag.FlagSet, o *opts)
	run   func(ctx context.Context, o *opts, e Env) error
}

func repoFlags(fs *flag.FlagSet, o *opts) {
	fs.StringVar(&o.repo, "repo", ".", "the checkout of the platform repository (full history)")
	fs.StringVar(&o.env, "env", "", "the environment: dev, prod, ... (required)")
	fs.StringVar(&o.config, "config", "", "the environment's settings (default <repo>/Pulumi.<env>.yaml)")
	fs.StringVar(&o.service, "service", "", "the service (required)")
}

func changeFlags(fs *flag.FlagSet, o *opts) {
	fs.StringVar(&o.branch, "branch", "", "the branch Flux follows (default: platform:flux.branch of the environment)")
	fs.StringVar(&o.mode, "mode", "push", "push: commit to the branch; pull-request: open a pull request to it (a protected branch)")
	fs.BoolVar(&o.autoComplete, "auto-complete", false, "with -mode pull-request: complete the pull request once its policies pass")
	fs.StringVar(&o.provider, "provider", "", "with -mode pull-request: azuredevops or github")
	fs.StringVar(&o.platformRepo, "platform-repo", "", "with -mode pull-request: the platform repository (GitHub owner/name, default $GITHUB_REPOSITORY; Azure DevOps name or ID, default $BUILD_REPOSITORY_ID)")
	fs.StringVar(&o.project, "project", "", "with -mode pull-request on Azure DevOps: the platform repository's project (default $SYSTEM_TEAMPROJECT)")
}

func outputFlags(fs *flag.FlagSet, o *opts) {
	fs.StringVar(&o.format, "format", FormatText, "how results reach later steps: azure-devops (output variables), github ($GITHUB_OUTPUT) or text")
	fs.StringVar(&o.githubOutput, "github-output", "", "with -format github: the file to append to (default $GITHUB_OUTPUT)")
}

var subcommands = map[string]subcommand{
	"changed": {
		usage: "the configured services a change touches, as a matrix for the build",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.config, "config", "", "Pulumi.<env>.yaml with platform:services (required)")
			fs.StringVar(&o.source, "source", ".", "the checkout of the repository holding the services' sources")
			fs.StringVar(&o.base, "base", "HEAD^", "the revision the change starts from; empty or all zeros: every service")
			fs.StringVar(&o.head, "head", "HEAD", "the revision the change ends at")
			fs.StringVar(&o.dir, "dir", "services", "the directory with one directory per service")
			fs.StringVar(&o.single, "single", "", "the repository holds this one service at its root")
			fs.Var(&o.shared, "shared", "paths whose change rebuilds every service (files, or directories ending in /), space-separated; repeatable")
			fs.BoolVar(&o.all, "all", false, "every configured service, whatever changed")
			fs.StringVar(&o.buildNumber, "build-number", "", "give each service its image tag: <major.minor of its VERSION file>.<build number>")
			outputFlags(fs, o)
		},
		run: runChanged,
	},
	"set-tag": {
		usage: "set a service's image tag in a HelmRelease file, in place",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.file, "file", "", "the HelmRelease file (required)")
			fs.StringVar(&o.service, "service", "", "the service (required)")
			fs.StringVar(&o.tag, "tag", "", "the image tag (required)")
		},
		run: runSetTag,
	},
	"deploy": {
		usage: "commit a service's new tag to the environment's branch (or open a pull request)",
		flags: func(fs *flag.FlagSet, o *opts) {
			repoFlags(fs, o)
			fs.StringVar(&o.tag, "tag", "", "the image tag to deploy (required)")
			changeFlags(fs, o)
		},
		run: runDeploy,
	},
	"previous-tag": {
		usage: "print the tag a rollback of the failed tag goes back to, from Git history",
		flags: func(fs *flag.FlagSet, o *opts) {
			repoFlags(fs, o)
			fs.StringVar(&o.failed, "failed", "", "the tag whose rollout failed (required)")
			fs.StringVar(&o.rev, "rev", "HEAD", "the revision whose history is read")
			fs.Var(&o.skip, "skip", "a tag never to go back to; repeatable")
		},
		run: runPreviousTag,
	},
	"rollback": {
		usage: "put the previous tag back in Git (commit, or pull request on a protected branch)",
		flags: func(fs *flag.FlagSet, o *opts) {
			repoFlags(fs, o)
			fs.StringVar(&o.failed, "failed", "", "the tag whose rollout failed (required)")
			fs.Var(&o.skip, "skip", "a tag never to go back to; repeatable")
			changeFlags(fs, o)
			outputFlags(fs, o)
		},
		run: runRollback,
	},
	"mark-failed": {
		usage: "apply the failed-image policy in the registry (keep, quarantine, delete)",
		flags: func(fs *flag.FlagSet, o *opts) {
			repoFlags(fs, o)
			fs.StringVar(&o.tag, "tag", "", "the failed tag (required)")
			fs.StringVar(&o.policy, "policy", string(Quarantine), "keep, quarantine or delete")
			fs.StringVar(&o.registryName, "registry-name", "", "the registry's name (required; ACR_NAME of release outputs)")
			fs.StringVar(&o.registryID, "registry-id", "", "the registry's resource ID (ACR_ID; required for quarantine)")
			fs.BoolVar(&o.dryRun, "dry-run", false, "print the commands instead of running them")
		},
		run: runMarkFailed,
	},
	"outputs": {
		usage: "the platform's stack outputs a delivery needs, as pipeline variables",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.aksOutputs, "aks", "", "pulumi stack output --json of the aks stack (required)")
			fs.StringVar(&o.baseOutputs, "base", "", "pulumi stack output --json of the base stack (for SPA_STORAGE_ACCOUNT)")
			fs.StringVar(&o.identityOutputs, "identity", "", "pulumi stack output --json of the identity stack (for SPA_CLIENT_ID, EXTERNAL_ID_AUTHORITY)")
			fs.StringVar(&o.format, "format", FormatText, "azure-devops (variables of the job), github (lines for $GITHUB_ENV) or text")
			fs.StringVar(&o.githubEnv, "github-env", "", "with -format github: the file to append to (default $GITHUB_ENV)")
			fs.StringVar(&o.prefix, "prefix", "", "a prefix of every variable name, e.g. DEV_ when a job reads two environments")
		},
		run: runOutputs,
	},
	"changed-releases": {
		usage: "the services whose image tag changed in the environment's HelmReleases between two revisions",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.repo, "repo", ".", "the checkout of the platform repository (full history)")
			fs.StringVar(&o.env, "env", "", "the environment (required)")
			fs.StringVar(&o.config, "config", "", "the environment's settings (default <repo>/Pulumi.<env>.yaml)")
			fs.StringVar(&o.base, "base", "HEAD^", "the revision before the change")
			fs.StringVar(&o.head, "head", "HEAD", "the revision after it")
			outputFlags(fs, o)
		},
		run: runChangedReleases,
	},
}

// Subcommands lists the subcommand names, sorted.
func Subcommands() []string {
	var names []string
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func newFlagSet(name string, stderr io.Writer) (*flag.FlagSet, *opts) {
	o := &opts{}
	fs := flag.NewFlagSet(usagePrefix+" "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	subcommands[name].flags(fs, o)
	return fs, o
}

// FlagSet returns the flags of a subcommand, for checks of how pipelines call it; nil for an
// unknown name.
func FlagSet(name string) *flag.FlagSet {
	if _, ok := subcommands[name]; !ok {
		return nil
	}
	fs, _ := newFlagSet(name, io.Discard)
	return fs
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: release <subcommand> [flags]; subcommands:")
	for _, n := range Subcommands() {
		fmt.Fprintf(w, "  %-17s %s\n", n, subcommands[n].usage)
	}
	fmt.Fprintln(w, "  revert-migration  run the release's migration revert (package release/migration)")
}

// Command runs cmd/release (but revert-migration, which cmd/release hands to package
// release/migration) and returns its exit code.
func Command(ctx context.Context, args []string, e Env) int {
	if len(args) == 0 {
		usage(e.Stderr)
		return ExitUsage
	}
	sc, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(e.Stderr, "release: unknown subcommand %q\n", args[0])
		usage(e.Stderr)
		return ExitUsage
	}
	fs, o := newFlagSet(args[0], e.Stderr)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.Stderr, "release %s: unexpected arguments %q\n", args[0], fs.Args())
		return ExitUsage
	}
	if err := sc.run(ctx, o, e); err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(e.Stderr, "release %s: %v\n", args[0], err)
			return ExitUsage
		}
		fmt.Fprintf(e.Stderr, "release %s: %v\n", args[0], err)
		return ExitFailed
	}
	return ExitOK
}

// usageError is a problem with the flags: exit code 3.
type usageError struct{ error }

func required(pairs ...string) error {
	var missing []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			missing = append(missing, "-"+pairs[i])
		}
	}
	if len(missing) > 0 {
		return usageError{fmt.Errorf("%s required", strings.Join(missing, ", "))}
	}
	return nil
}

func (o *opts) environment() (Environment, error) {
	file := o.config
	if file == "" {
		file = filepath.Join(o.repo, "Pulumi."+o.env+".yaml")
	}
	e, err := ReadEnvironment(file)
	if err != nil {
		return Environment{}, err
	}
	if o.env != "" && e.Name != o.env {
		return Environment{}, usageError{fmt.Errorf("%s is the settings of %s, not of -env %s", file, e.Name, o.env)}
	}
	return e, nil
}

// emit hands values to later steps in the chosen format.
func emit(o *opts, e Env, vars map[string]string) error {
	switch o.format {
	case FormatGitHub:
		file := o.githubOutput
		if file == "" {
			file = e.Getenv("GITHUB_OUTPUT")
		}
		if file == "" {
			return usageError{errors.New("-format github: -github-output or $GITHUB_OUTPUT is required")}
		}
		text, err := FormatVariables(vars, FormatGitHub, false)
		if err != nil {
			return err
		}
		return appendFile(file, text)
	default:
		text, err := FormatVariables(vars, o.format, true)
		if err != nil {
			return usageError{err}
		}
		_, err = io.WriteString(e.Stdout, text)
		return err
	}
}

func appendFile(file, text string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runChanged(ctx context.Context, o *opts, e Env) error {
	if err := required("config", o.config); err != nil {
		return err
	}
	env, err := ReadEnvironment(o.config)
	if err != nil {
		return err
	}
	var services []Service
	if o.all || strings.Trim(o.base, "0") == "" {
		services = env.Services
		if o.single != "" {
			s, err := env.Service(o.single)
			if err != nil {
				return err
			}
			services = []Service{s}
		}
	} else {
		out, err := Git{Dir: o.source}.run("diff", "--name-only", "--no-renames", o.base, o.head)
		if err != nil {
			return fmt.Errorf("%w (the checkout needs the base revision: fetch depth 2 or more)", err)
		}
		var shared []string
		for _, s := range o.shared {
			shared = append(shared, strings.Fields(s)...)
		}
		services, err = ChangedServices(strings.Split(out, "\n"), env, Layout{Dir: o.dir, Single: o.single, Shared: shared})
		if err != nil {
			return err
		}
	}
	var names, tags []string
	for i, s := range services {
		names = append(names, s.Name)
		if o.buildNumber == "" {
			continue
		}
		file := filepath.Join(o.source, o.dir, s.Name, "VERSION")
		if o.single != "" {
			file = filepath.Join(o.source, "VERSION")
		}
		tag, err := ImageTag(file, o.buildNumber)
		if err != nil {
			return err
		}
		services[i].Tag = tag
		tags = append(tags, s.Name+"="+tag)
	}
	fmt.Fprintf(e.Stderr, "changed services: %s\n", orNone(names))
	matrix := AzureDevOpsMatrix(services)
	if o.format == FormatGitHub {
		matrix = GitHubMatrix(services)
	}
	vars := map[string]string{"matrix": matrix, "count": fmt.Sprint(len(services)), "services": strings.Join(names, " ")}
	if o.buildNumber != "" {
		vars["tags"] = strings.Join(tags, " ")
	}
	return emit(o, e, vars)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func runSetTag(ctx context.Context, o *opts, e Env) error {
	if err := required("file", o.file, "service", o.service, "tag", o.tag); err != nil {
		return err
	}
	data, err := os.ReadFile(o.file)
	if err != nil {
		return err
	}
	out, err := SetTag(data, o.service, o.tag)
	if err != nil {
		return fmt.Errorf("%s: %w", o.file, err)
	}
	return os.WriteFile(o.file, out, 0o644)
}

// change commits the edit of the service's HelmRelease (push or pull request) and reports it.
func change(ctx context.Context, o *opts, e Env, env Environment, edit func([]byte) ([]byte, string, error), prBranch, title string) (string, error) {
	branch := o.branch
	if branch == "" {
		branch = env.Branch
	}
	g := Git{Dir: o.repo}
	c := Change{File: HelmReleasePath(env.Name, o.service), Edit: edit}
	switch o.mode {
	case "push":
		sha, err := Publish(g, branch, DefaultIdentity, c)
		if err != nil {
			return "", err
		}
		if sha == "" {
			return "nothing to change", nil
		}
		return fmt.Sprintf("pushed %s to %s", sha, branch), nil
	case "pull-request":
		h, err := o.host(e)
		if err != nil {
			return "", err
		}
		sha, web, err := ProposeChange(ctx, e.HTTP, g, h, DefaultIdentity, c, PullRequest{
			Source: prBranch, Target: branch, Title: title, AutoComplete: o.autoComplete,
			Body: "Opened by the delivery pipeline (cmd/release). Flux deploys it once merged into `" + branch + "`.",
		})
		if err != nil {
			return "", err
		}
		if sha == "" {
			return "nothing to change", nil
		}
		return fmt.Sprintf("pull request %s (%s into %s)", web, prBranch, branch), nil
	}
	return "", usageError{fmt.Errorf("-mode %q: want push or pull-request", o.mode)}
}

func (o *opts) host(e Env) (Host, error) {
	var h Host
	var errs []string
	switch o.provider {
	case GitHub:
		h = Host{Provider: GitHub, API: orDefault(e.Getenv("GITHUB_API_URL"), "https://api.github.com"), Token: e.Getenv("GITHUB_TOKEN"),
			Repo: orDefault(o.platformRepo, e.Getenv("GITHUB_REPOSITORY"))}
		if strings.Count(h.Repo, "/") != 1 {
			errs = append(errs, "-platform-repo or $GITHUB_REPOSITORY: want owner/name")
		}
		if h.Token == "" {
			errs = append(errs, "$GITHUB_TOKEN is empty (the job needs pull-requests: write)")
		}
	case AzureDevOps:
		h = Host{Provider: AzureDevOps, API: e.Getenv("SYSTEM_COLLECTIONURI"), Token: e.Getenv("SYSTEM_ACCESSTOKEN"),
			Repo: orDefault(o.platformRepo, e.Getenv("BUILD_REPOSITORY_ID")), Project: orDefault(o.project, e.Getenv("SYSTEM_TEAMPROJECT"))}
		if h.API == "" {
			errs = append(errs, "$SYSTEM_COLLECTIONURI is empty")
		}
		if h.Token == "" {
			errs = append(errs, "$SYSTEM_ACCESSTOKEN is empty (map it in the step: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken))")
		}
		if h.Repo == "" || h.Project == "" {
			errs = append(errs, "-platform-repo and -project (or $BUILD_REPOSITORY_ID and $SYSTEM_TEAMPROJECT) are required")
		}
	default:
		return Host{}, usageError{fmt.Errorf("-mode pull-request: -provider %q: want %s or %s", o.provider, AzureDevOps, GitHub)}
	}
	if len(errs) > 0 {
		return Host{}, usageError{errors.New(strings.Join(errs, "; "))}
	}
	return h, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func runDeploy(ctx context.Context, o *opts, e Env) error {
	if err := required("env", o.env, "service", o.service, "tag", o.tag); err != nil {
		return err
	}
	if err := ValidTag(o.tag); err != nil {
		return usageError{err}
	}
	env, err := o.environment()
	if err != nil {
		return err
	}
	if _, err := env.Service(o.service); err != nil {
		return usageError{err}
	}
	msg := fmt.Sprintf("%s: deploy %s %s", env.Name, o.service, o.tag)
	res, err := change(ctx, o, e, env, func(cur []byte) ([]byte, string, error) {
		next, err := SetTag(cur, o.service, o.tag)
		return next, msg, err
	}, fmt.Sprintf("delivery/%s/%s-%s", env.Name, o.service, o.tag), msg)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%s: %s\n", msg, res)
	return nil
}

func runPreviousTag(ctx context.Context, o *opts, e Env) error {
	if err := required("env", o.env, "service", o.service, "failed", o.failed); err != nil {
		return err
	}
	p, err := PreviousTag(Git{Dir: o.repo}, o.rev, HelmReleasePath(o.env, o.service), o.service, o.failed, o.skip)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, p.Tag)
	return nil
}

func runRollback(ctx context.Context, o *opts, e Env) error {
	if err := required("env", o.env, "service", o.service, "failed", o.failed); err != nil {
		return err
	}
	env, err := o.environment()
	if err != nil {
		return err
	}
	if _, err := env.Service(o.service); err != nil {
		return usageError{err}
	}
	file := HelmReleasePath(env.Name, o.service)
	g := Git{Dir: o.repo}
	var prev Previous
	edit := func(cur []byte) ([]byte, string, error) {
		// The history of the head just fetched (Publish checked it out).
		p, err := PreviousTag(g, "HEAD", file, o.service, o.failed, o.skip)
		if err != nil {
			return nil, "", err
		}
		prev = p
		next, err := SetTag(cur, o.service, p.Tag)
		msg := fmt.Sprintf("%s: roll back %s to %s (%s failed its rollout)\n\nThe tag of commit %s, put back by the delivery pipeline.\n\n%s: %s\n",
			env.Name, o.service, p.Tag, o.failed, p.Commit, RollbackTrailer, o.failed)
		return next, msg, err
	}
	res, err := change(ctx, o, e, env, edit, fmt.Sprintf("delivery/%s/rollback-%s-%s", env.Name, o.service, o.failed),
		fmt.Sprintf("%s: roll back %s from %s", env.Name, o.service, o.failed))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "rollback of %s %s to %s: %s\n", o.service, o.failed, prev.Tag, res)
	return emit(o, e, map[string]string{"ROLLBACK_TAG": prev.Tag})
}

func runMarkFailed(ctx context.Context, o *opts, e Env) error {
	if err := required("env", o.env, "service", o.service, "tag", o.tag, "registry-name", o.registryName); err != nil {
		return err
	}
	p, err := ParsePolicy(o.policy)
	if err != nil {
		return usageError{err}
	}
	env, err := o.environment()
	if err != nil {
		return err
	}
	cmds, err := MarkFailedCommands(Image{RegistryName: o.registryName, RegistryID: o.registryID, Repository: o.service, Tag: o.tag}, p, env.ImageAutomation, e.Now())
	if err != nil {
		return usageError{err}
	}
	if len(cmds) == 0 {
		fmt.Fprintf(e.Stdout, "%s:%s kept in %s (policy keep)\n", o.service, o.tag, o.registryName)
	}
	for _, c := range cmds {
		fmt.Fprintln(e.Stdout, "+ "+strings.Join(c, " "))
		if o.dryRun {
			continue
		}
		if out, err := e.Run(c[0], c[1:]...); err != nil {
			return fmt.Errorf("%s: %w\n%s", strings.Join(c, " "), err, out)
		}
	}
	return nil
}

func runOutputs(ctx context.Context, o *opts, e Env) error {
	if err := required("aks", o.aksOutputs); err != nil {
		return err
	}
	aks, err := ReadStackOutputs(o.aksOutputs)
	if err != nil {
		return err
	}
	var base map[string]any
	if o.baseOutputs != "" {
		if base, err = ReadStackOutputs(o.baseOutputs); err != nil {
			return err
		}
	}
	var identity map[string]any
	if o.identityOutputs != "" {
		if identity, err = ReadStackOutputs(o.identityOutputs); err != nil {
			return err
		}
	}
	vars, err := StackVariables(aks, base, identity)
	if err != nil {
		return err
	}
	if o.prefix != "" {
		if !regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`).MatchString(o.prefix) {
			return usageError{fmt.Errorf("-prefix %q: want upper-case letters, digits and _", o.prefix)}
		}
		prefixed := map[string]string{}
		for k, v := range vars {
			prefixed[o.prefix+k] = v
		}
		vars = prefixed
	}
	if o.format == FormatGitHub {
		o.githubOutput = orDefault(o.githubEnv, e.Getenv("GITHUB_ENV"))
		if o.githubOutput == "" {
			return usageError{errors.New("-format github: -github-env or $GITHUB_ENV is required")}
		}
		text, err := FormatVariables(vars, FormatGitHub, false)
		if err != nil {
			return err
		}
		return appendFile(o.githubOutput, text)
	}
	text, err := FormatVariables(vars, o.format, false)
	if err != nil {
		return usageError{err}
	}
	_, err = io.WriteString(e.Stdout, text)
	return err
}

func runChangedReleases(ctx context.Context, o *opts, e Env) error {
	if err := required("env", o.env); err != nil {
		return err
	}
	env, err := o.environment()
	if err != nil {
		return err
	}
	changes, err := ChangedTags(Git{Dir: o.repo}, env, o.base, o.head)
	if err != nil {
		return err
	}
	var names []string
	for _, c := range changes {
		names = append(names, fmt.Sprintf("%s %s -> %s", c.Service, orDefault(c.From, "(new)"), c.Tag))
	}
	fmt.Fprintf(e.Stderr, "changed tags in %s: %s\n", env.Name, orNone(names))
	return emit(o, e, map[string]string{"matrix": tagMatrix(changes, o.format), "count": fmt.Sprint(len(changes))})
}
