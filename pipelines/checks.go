package pipelines

import (
	"flag"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Layers are the platform's layers in deployment order.
var Layers = []string{"base", "identity", "aks", "flux"}

func layerIndex(l string) int {
	for i, x := range Layers {
		if x == l {
			return i
		}
	}
	return -1
}

// PulumiRun is one call of the pulumi CLI on a layer stack.
type PulumiRun struct {
	At         Located
	Subcommand string // preview, up, refresh, destroy, stack, config
	Args       []string
	Layer      string // from the working directory stacks/<layer>
	Stack      string // the resolved --stack value
	Env        string // the environment part of the stack name
}

// Has reports whether the call passes the flag (e.g. "--expect-no-changes").
func (r PulumiRun) Has(flag string) bool {
	for _, a := range r.Args {
		if a == flag || strings.HasPrefix(a, flag+"=") {
			return true
		}
	}
	return false
}

// stackCommands are the pulumi subcommands that act on a stack.
var stackCommands = map[string]bool{"preview": true, "up": true, "refresh": true, "destroy": true, "stack": true, "config": true, "import": true, "cancel": true}

var layerDir = regexp.MustCompile(`(?:^|/)stacks/([a-z]+)$`)

var stackName = regexp.MustCompile(`^[^/]+/platform-([a-z]+)/([a-z0-9-]+)$`)

// PulumiRuns finds every pulumi call on a stack and checks it: its step's working directory is
// stacks/<layer> of a known layer, it passes --stack, and the stack (resolved through the step's
// env) is <organization>/platform-<layer>/<environment> of that same layer.
func PulumiRuns(p *Pipeline) ([]PulumiRun, []error) {
	var runs []PulumiRun
	var errs []error
	for _, at := range p.Steps() {
		cmds, err := Commands(at.Step.Script)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", at, err))
			continue
		}
		for _, c := range cmds {
			prog := c.Program()
			if len(prog) < 2 || path.Base(prog[0]) != "pulumi" || !stackCommands[prog[1]] {
				continue
			}
			r := PulumiRun{At: at, Subcommand: prog[1], Args: prog[2:]}
			dir := at.Step.WorkingDirectory
			if cwd, ok := flagValue(prog[2:], "--cwd", "-C"); ok {
				dir = path.Join(dir, cwd)
			}
			// stacks/<layer> of this repository, or of a checkout of the platform in a directory
			// of another repository's pipeline (platform/stacks/<layer>).
			dir = path.Clean(dir)
			if m := layerDir.FindStringSubmatch(dir); m != nil && layerIndex(m[1]) >= 0 {
				r.Layer = m[1]
			} else {
				errs = append(errs, fmt.Errorf("%s: pulumi %s runs in %q, want stacks/<layer>", at, r.Subcommand, at.Step.WorkingDirectory))
			}
			raw, ok := flagValue(prog[2:], "--stack", "-s")
			if !ok {
				errs = append(errs, fmt.Errorf("%s: pulumi %s without --stack", at, r.Subcommand))
				continue
			}
			r.Stack = resolve(raw, at.Step.Env)
			m := stackName.FindStringSubmatch(r.Stack)
			switch {
			case m == nil:
				errs = append(errs, fmt.Errorf("%s: pulumi %s --stack %q (%q): want <organization>/platform-<layer>/<environment>", at, r.Subcommand, raw, r.Stack))
			case r.Layer != "" && m[1] != r.Layer:
				errs = append(errs, fmt.Errorf("%s: pulumi %s --stack %s in stacks/%s: the stack is another layer's", at, r.Subcommand, r.Stack, r.Layer))
			default:
				r.Env = m[2]
			}
			runs = append(runs, r)
		}
	}
	return runs, errs
}

// flagValue returns the value of a flag given as "--name value" or "--name=value".
func flagValue(args []string, names ...string) (string, bool) {
	for i, a := range args {
		for _, n := range names {
			if a == n && i+1 < len(args) {
				return args[i+1], true
			}
			if v, ok := strings.CutPrefix(a, n+"="); ok {
				return v, true
			}
		}
	}
	return "", false
}

var envRef = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`)

// resolve replaces a word that is exactly $NAME or ${NAME} with the step's env value.
func resolve(word string, env map[string]string) string {
	if m := envRef.FindStringSubmatch(word); m != nil {
		if v, ok := env[m[1]]; ok {
			return v
		}
	}
	return word
}

// CheckLayerOrder checks that, within every job, pulumi calls visit the layers of each
// environment in order, and that an update of a layer follows a preview of the same stack in the
// same job.
func CheckLayerOrder(runs []PulumiRun) []error {
	var errs []error
	type jobEnv struct {
		job *Job
		env string
	}
	byJob := map[jobEnv][]PulumiRun{}
	var jobs []jobEnv
	for _, r := range runs {
		k := jobEnv{r.At.Job, r.Env}
		if _, seen := byJob[k]; !seen {
			jobs = append(jobs, k)
		}
		byJob[k] = append(byJob[k], r)
	}
	for _, j := range jobs {
		last := -1
		previewed := map[string]bool{}
		for _, r := range byJob[j] {
			i := layerIndex(r.Layer)
			if i < last {
				errs = append(errs, fmt.Errorf("%s: %s after %s: layers must run in the order %v", r.At, r.Layer, Layers[last], Layers))
			}
			last = max(last, i)
			switch r.Subcommand {
			case "preview":
				previewed[r.Stack] = true
			case "up", "destroy":
				if !previewed[r.Stack] {
					errs = append(errs, fmt.Errorf("%s: pulumi %s of %s without a preview of it before, in the same job", r.At, r.Subcommand, r.Stack))
				}
			}
		}
	}
	return errs
}

// CheckJobChain checks that in a stage whose jobs each work on one layer, the job of every layer
// after the first depends on the job of the layer before it (so a failed layer stops the rest).
func CheckJobChain(s *Stage, runs []PulumiRun) []error {
	jobOf := map[string]string{} // layer -> job name
	for _, r := range runs {
		if r.At.Stage == s {
			jobOf[r.Layer] = r.At.Job.Name
		}
	}
	var errs []error
	for i := 1; i < len(Layers); i++ {
		job, prev := jobOf[Layers[i]], jobOf[Layers[i-1]]
		if job == "" || prev == "" || job == prev {
			continue
		}
		j := s.Job(job)
		if !dependsOn(s, j, prev, 0) {
			errs = append(errs, fmt.Errorf("stage %s: job %s (%s) does not depend on job %s (%s)", s.Name, job, Layers[i], prev, Layers[i-1]))
		}
	}
	return errs
}

func dependsOn(s *Stage, j *Job, name string, depth int) bool {
	if j == nil || depth > len(s.Jobs) {
		return false
	}
	for _, d := range j.DependsOn {
		if d == name || dependsOn(s, s.Job(d), name, depth+1) {
			return true
		}
	}
	return false
}

// Secret patterns that never belong in a pipeline file: the static credentials the platform does
// without, and literal tokens.
var secretPatterns = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`(?i)\b(ARM|AZURE)_CLIENT_SECRET\b`), "a client secret variable (the pipeline authenticates with federation)"},
	{regexp.MustCompile(`(?i)\bclient[-_]?secret\b`), "a client secret"},
	{regexp.MustCompile(`(?i)\bAZURE_STORAGE_(KEY|SAS_TOKEN|CONNECTION_STRING)\b`), "a storage key or SAS (the state backend uses Entra ID)"},
	{regexp.MustCompile(`(?i)\bPULUMI_CONFIG_PASSPHRASE\b`), "a passphrase (use a Key Vault or Pulumi Cloud secrets provider)"},
	{regexp.MustCompile(`(?i)\bcreds:`), "an azure/login creds blob (OIDC needs none)"},
	{regexp.MustCompile(`\bpul-[0-9a-f]{40}\b`), "a Pulumi access token"},
	{regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{30,}`), "a GitHub token"},
	{regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.`), "a JWT"},
	{regexp.MustCompile(`(?i)\b(password|passwd)\s*[:=]\s*['"]?[^\s'"$({]+`), "a password"},
	{regexp.MustCompile(`(?i)##vso\[task\.setvariable[^\]]*\](\$idToken|\$\{idToken\})`), "the OIDC token passed on to later steps"},
	{regexp.MustCompile(`(?i)\baz acr credential\b|--admin-enabled\s+true`), "a registry admin credential (push with the pipeline identity: az acr login)"},
	{regexp.MustCompile(`(?i)\bdocker login\b.*\s(-p|--password(-stdin)?)\b`), "a registry password (az acr login signs docker in with an Entra token)"},
	{regexp.MustCompile(`(?i)--(account-key|sas-token|connection-string)\b`), "a storage key, SAS or connection string (az storage --auth-mode login)"},
}

var accessTokenEnv = regexp.MustCompile(`^\s*SYSTEM_ACCESSTOKEN:\s*\$\(System\.AccessToken\)\s*$`)

// CheckNoSecrets scans a file's text for credentials: none of the patterns above may occur, and
// System.AccessToken may only be mapped into a step's env (never written into a script).
func CheckNoSecrets(file string) []error {
	data, err := os.ReadFile(file)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for n, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, p := range secretPatterns {
			if p.re.MatchString(line) {
				errs = append(errs, fmt.Errorf("%s:%d: %s: %q", file, n+1, p.what, strings.TrimSpace(line)))
			}
		}
		if strings.Contains(line, "$(System.AccessToken)") && !accessTokenEnv.MatchString(line) {
			errs = append(errs, fmt.Errorf("%s:%d: System.AccessToken outside an env mapping", file, n+1))
		}
	}
	return errs
}

// Tool is one of the project's own commands as pipelines call it, with its real flag set, or
// with its subcommands' (cmd/release deploy ..., cmd/rollout verify ...): then the first argument
// must be one of them.
type Tool struct {
	Name        string // the cmd/<name> directory
	Flags       func() *flag.FlagSet
	Subcommands map[string]func() *flag.FlagSet
}

// CheckToolFlags finds every call of a project command (go run ./cmd/<name>, or a binary whose
// file name is <name> or <name>-<suffix>) and checks each flag against the command's own flag set;
// a positional argument is an error too, since the commands take none.
func CheckToolFlags(p *Pipeline, tools []Tool) (calls int, errs []error) {
	byName := map[string]Tool{}
	for _, t := range tools {
		byName[t.Name] = t
	}
	for _, at := range p.Steps() {
		cmds, err := Commands(at.Step.Script)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", at, err))
			continue
		}
		for _, c := range cmds {
			prog := c.Program()
			if len(prog) == 0 {
				continue
			}
			var tool Tool
			var args []string
			if prog[0] == "go" && len(prog) >= 3 && prog[1] == "run" {
				name := strings.TrimPrefix(path.Clean(prog[2]), "cmd/")
				t, ok := byName[name]
				if !ok {
					continue
				}
				tool, args = t, prog[3:]
			} else {
				base, _, _ := strings.Cut(path.Base(prog[0]), "-")
				t, ok := byName[base]
				if !ok || !strings.Contains(prog[0], "/") {
					continue
				}
				tool, args = t, prog[1:]
			}
			calls++
			errs = append(errs, checkFlags(at, tool, args)...)
		}
	}
	return calls, errs
}

type boolFlag interface{ IsBoolFlag() bool }

var arrayExpansion = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*\[@\]\}$`)

func checkFlags(at Located, t Tool, args []string) []error {
	flags := t.Flags
	if t.Subcommands != nil {
		if len(args) == 0 || t.Subcommands[args[0]] == nil {
			var names []string
			for n := range t.Subcommands {
				names = append(names, n)
			}
			sort.Strings(names)
			first := ""
			if len(args) > 0 {
				first = args[0]
			}
			return []error{fmt.Errorf("%s: %s: subcommand %q: want one of %s", at, t.Name, first, strings.Join(names, ", "))}
		}
		flags, args = t.Subcommands[args[0]], args[1:]
	}
	fs := flags()
	var errs []error
	for i := 0; i < len(args); i++ {
		a := args[i]
		if arrayExpansion.MatchString(a) {
			continue // flags built at run time ("${extra[@]}"): checked where the array is filled
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			errs = append(errs, fmt.Errorf("%s: %s: unexpected argument %q", at, t.Name, a))
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			errs = append(errs, fmt.Errorf("%s: %s has no flag -%s", at, t.Name, name))
			continue
		}
		if b, ok := f.Value.(boolFlag); ok && b.IsBoolFlag() {
			continue
		}
		if !hasValue {
			i++
			if i >= len(args) {
				errs = append(errs, fmt.Errorf("%s: %s -%s without a value", at, t.Name, name))
			}
		}
	}
	return errs
}

// MaxScriptLines is the longest inline script a step may carry: anything longer belongs in a Go
// command.
const MaxScriptLines = 12

// CheckScripts checks every inline script: one with more than one command starts with
// set -euo pipefail, and none has more than MaxScriptLines lines.
func CheckScripts(p *Pipeline) []error {
	var errs []error
	for _, at := range p.Steps() {
		s := strings.TrimSpace(at.Step.Script)
		if s == "" {
			continue
		}
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
				lines = append(lines, t)
			}
		}
		cmds, err := Commands(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", at, err))
			continue
		}
		if len(cmds) > 1 && (len(lines) == 0 || lines[0] != "set -euo pipefail") {
			errs = append(errs, fmt.Errorf("%s: a script of %d commands must start with set -euo pipefail", at, len(cmds)))
		}
		if len(lines) > MaxScriptLines {
			errs = append(errs, fmt.Errorf("%s: %d lines of shell (at most %d): move the logic into a Go command", at, len(lines), MaxScriptLines))
		}
	}
	return errs
}

var kubeloginDownload = regexp.MustCompile(`^https://github\.com/Azure/kubelogin/releases/download/v([^/]+)/kubelogin-linux-\$\{?a\}?\.zip(\.sha256)?$`)

// KubeloginInstall returns the kubelogin version a step installs, "" when it installs none. An
// install downloads an Azure/kubelogin release's kubelogin-linux-$a.zip and its .sha256, checks
// the archive with sha256sum -c, and puts the binary's directory on PATH (Azure DevOps
// ##vso[task.prependpath], GitHub $GITHUB_PATH); one that misses any of these is an error. The
// version is resolved through the step's env, then vars (the pipeline's variables).
func KubeloginInstall(s Step, vars map[string]string) (string, error) {
	cmds, err := Commands(s.Script)
	if err != nil {
		return "", err
	}
	var version string
	var archive, checksum, checked, onPath bool
	for _, c := range cmds {
		prog := c.Program()
		if len(prog) == 0 {
			continue
		}
		switch path.Base(prog[0]) {
		case "curl":
			for _, w := range prog[1:] {
				m := kubeloginDownload.FindStringSubmatch(w)
				if m == nil {
					continue
				}
				v := m[1]
				if ref := envRef.FindStringSubmatch(v); ref != nil {
					if e, set := s.Env[ref[1]]; set {
						v = e
					} else if e, set := vars[ref[1]]; set {
						v = e
					}
				}
				if version != "" && v != version {
					return "", fmt.Errorf("downloads kubelogin %s and %s", version, v)
				}
				version = v
				if m[2] == "" {
					archive = true
				} else {
					checksum = true
				}
			}
		case "sha256sum":
			checked = checked || (len(prog) > 1 && prog[1] == "-c")
		case "echo":
			onPath = onPath || strings.HasPrefix(prog[len(prog)-1], "##vso[task.prependpath]")
			for i, w := range c {
				if w == Redirect+">>" && i+1 < len(c) && c[i+1] == "$GITHUB_PATH" {
					onPath = true
				}
			}
		}
	}
	switch {
	case version == "":
		return "", nil
	case !archive || !checksum:
		return "", fmt.Errorf("kubelogin %s: downloads the archive and its .sha256 (got archive %t, .sha256 %t)", version, archive, checksum)
	case !checked:
		return "", fmt.Errorf("kubelogin %s: the archive is not checked with sha256sum -c", version)
	case !onPath:
		return "", fmt.Errorf("kubelogin %s: not put on PATH", version)
	}
	return version, nil
}
