package pipelines_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/pipelines"
	"github.com/azure-saas-platform/platform/prcomment"
	"github.com/azure-saas-platform/platform/pulumiproject"
	"github.com/azure-saas-platform/platform/release"
	"github.com/azure-saas-platform/platform/release/migration"
	"github.com/azure-saas-platform/platform/rollout"
	"github.com/azure-saas-platform/platform/spa"
)

// tools are the project's commands pipelines call, with their real flag sets.
var tools = []pipelines.Tool{
	{Name: "plan", Flags: offline.FlagSet},
	{Name: "prcomment", Flags: prcomment.FlagSet},
	{Name: "usebinary", Flags: pulumiproject.FlagSet},
	{Name: "release", Subcommands: releaseSubcommands()},
	{Name: "spa", Subcommands: map[string]func() *flag.FlagSet{"deploy": spa.FlagSet}},
	{Name: "rollout", Subcommands: map[string]func() *flag.FlagSet{"verify": rollout.FlagSet}},
}

func releaseSubcommands() map[string]func() *flag.FlagSet {
	m := map[string]func() *flag.FlagSet{"revert-migration": migration.FlagSet}
	for _, name := range release.Subcommands() {
		m[name] = func() *flag.FlagSet { return release.FlagSet(name) }
	}
	return m
}

// pipelineSpec says what one pipeline must do. A pipeline added later (services, SPA, build agents)
// is one more row; the generic checks apply to every file anyway.
type pipelineSpec struct {
	file   string
	system string // azure-devops or github
	// stages in order (Azure DevOps; for GitHub the jobs in order).
	order []string
	// after: the stage each stage depends on (Azure DevOps).
	after map[string]string
	// runs: for every "<environment>/<layer>" the pulumi subcommands it runs, in order; every
	// layer of both environments must be there.
	runs []string
	// flags every pulumi run of the pipeline passes.
	flags []string
	// environments: the (deployment) environment every job that updates an environment targets.
	environments map[string]string
	// chain: jobs of one layer each must depend on the previous layer's job.
	chain bool
	// toolCalls: the pipeline calls the project's own commands.
	toolCalls bool
	// createsStacks: the pipeline may create a missing stack (only deployments may).
	createsStacks bool
	// repos: the repositories an Azure DevOps pipeline of another repository declares, by alias
	// (the platform's templates@platform are this repository).
	repos map[string]string
	// delivers: the pipeline verifies service rollouts and rolls them back (see
	// TestDeliveryRollsBackThroughGit).
	delivers bool
}

var specs = []pipelineSpec{
	{
		file: "platform-pr.yml", system: "azure-devops",
		order: []string{"checks", "preview_dev", "preview_prod"},
		after: map[string]string{"preview_dev": "checks", "preview_prod": "checks"},
		runs:  []string{"preview"}, flags: []string{"--diff"}, toolCalls: true,
	},
	{
		file: "platform-deploy.yml", system: "azure-devops",
		order: []string{"build", "deploy_dev", "deploy_prod"},
		after: map[string]string{"deploy_dev": "build", "deploy_prod": "deploy_dev"},
		runs:  []string{"preview", "up"}, flags: []string{"--diff"}, chain: true, toolCalls: true, createsStacks: true,
		environments: map[string]string{"dev": "platform-dev", "prod": "platform-prod"},
	},
	{
		file: "platform-drift.yml", system: "azure-devops",
		order: []string{"build", "drift_dev", "drift_prod"},
		after: map[string]string{"drift_dev": "build", "drift_prod": "build"},
		runs:  []string{"preview"}, flags: []string{"--refresh", "--expect-no-changes"}, toolCalls: true,
	},
	{
		file: "platform-pr.yml", system: "github",
		order: []string{"offline", "build", "preview (dev)", "preview (prod)"},
		runs:  []string{"preview"}, flags: []string{"--diff"}, toolCalls: true,
	},
	{
		file: "platform-pr-comment.yml", system: "github",
		order: []string{"comment"}, toolCalls: true,
	},
	{
		file: "platform-deploy.yml", system: "github",
		order: []string{"build", "dev", "prod"},
		runs:  []string{"preview", "up"}, flags: []string{"--diff"}, toolCalls: true, createsStacks: true,
		environments: map[string]string{"dev": "dev", "prod": "prod"},
	},
	{
		file: "platform-drift.yml", system: "github",
		runs: []string{"preview"}, flags: []string{"--refresh", "--expect-no-changes"}, toolCalls: true,
	},

	// Delivery: the services, the SPA, the agent image.
	{
		file: "examples/service-repository.yml", system: "azure-devops", repos: map[string]string{"platform": repo},
		order:     []string{"detect", "build", "dev", "prod"},
		after:     map[string]string{"build": "detect", "prod": "dev"},
		toolCalls: true, delivers: true,
	},
	{
		file: "services-release.yml", system: "azure-devops",
		order: []string{"verify"}, toolCalls: true, delivers: true,
	},
	{
		file: "examples/spa-repository.yml", system: "azure-devops", repos: map[string]string{"platform": repo},
		order: []string{"dev", "prod"}, after: map[string]string{"prod": "dev"}, toolCalls: true,
	},
	{
		file: "agent-image.yml", system: "azure-devops",
		order: []string{"build", "prod"}, after: map[string]string{"prod": "build"}, toolCalls: true,
	},
	{
		file: "service-delivery.yml", system: "github",
		order: []string{"detect", "build", "dev", "prod"}, toolCalls: true, delivers: true,
	},
	{
		file: "services-release.yml", system: "github",
		order: []string{"changes", "rollout"}, toolCalls: true, delivers: true,
	},
	{
		file: "spa-delivery.yml", system: "github",
		order: []string{"dev", "prod"}, toolCalls: true,
	},
	{
		file: "agent-image.yml", system: "github",
		order: []string{"build", "prod"}, toolCalls: true,
	},
}

const repo = ".."

func load(t *testing.T, s pipelineSpec) *pipelines.Pipeline {
	t.Helper()
	var p *pipelines.Pipeline
	var err error
	if s.system == "github" {
		p, err = pipelines.LoadGitHub(filepath.Join(repo, ".github", "workflows", s.file), repo)
	} else {
		p, err = pipelines.LoadAzureDevOpsWith(s.file, s.repos)
	}
	require.NoError(t, err)
	return p
}

func errorList(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// TestPipelines checks every pipeline against its row: stage (or job) order, which pulumi
// commands run on which stack, in layer order and each update after its preview, in the right
// working directory with the right --stack, behind the right environment; and the generic rules:
// strict, short shell, real flags of the project's commands, caches on go.sum.
func TestPipelines(t *testing.T) {
	for _, s := range specs {
		t.Run(s.system+"/"+s.file, func(t *testing.T) {
			p := load(t, s)
			var names []string
			for _, st := range p.Stages {
				names = append(names, st.Name)
				if s.system == "github" {
					names = names[:0]
					for _, j := range st.Jobs {
						names = append(names, j.Name)
					}
				}
			}
			if s.order != nil {
				assert.Equal(t, s.order, names, "stages (jobs) in order")
			}
			for i, st := range p.Stages {
				if prev, ok := s.after[st.Name]; ok {
					assert.Contains(t, st.DependsOn, prev, "stage %s runs after %s", st.Name, prev)
				} else if s.system == "azure-devops" && i == 0 {
					assert.Empty(t, st.DependsOn, "stage %s", st.Name)
				}
				if s.system == "azure-devops" && i > 0 && s.delivers {
					assert.NotEmpty(t, st.DependsOn, "stage %s runs after the ones before it", st.Name)
				}
			}

			runs, errs := pipelines.PulumiRuns(p)
			assert.Empty(t, errs, errorList(errs))
			assert.Empty(t, pipelines.CheckLayerOrder(runs), errorList(pipelines.CheckLayerOrder(runs)))

			got := map[string][]string{}
			for _, r := range runs {
				if r.Subcommand == "stack" || r.Subcommand == "config" {
					continue
				}
				key := r.Env + "/" + r.Layer
				got[key] = append(got[key], r.Subcommand)
				for _, f := range s.flags {
					assert.True(t, r.Has(f), "%s: pulumi %s without %s", r.At, r.Subcommand, f)
				}
				if r.Subcommand == "up" {
					assert.True(t, r.Has("--yes"), "%s: pulumi up without --yes", r.At)
				}
				assert.Equal(t, fmt.Sprint(s.createsStacks), r.At.Step.Env["CREATE_STACK"], "%s: creates missing stacks", r.At)
				if want, ok := s.environments[r.Env]; ok && r.Subcommand == "up" {
					assert.Equal(t, want, r.At.Job.Environment, "%s: updates %s outside its environment", r.At, r.Stack)
					if s.system == "azure-devops" {
						assert.True(t, r.At.Job.Deployment, "%s: an update outside a deployment job", r.At)
					}
				}
			}
			want := map[string][]string{}
			if len(s.runs) > 0 {
				for _, env := range []string{"dev", "prod"} {
					for _, l := range pipelines.Layers {
						want[env+"/"+l] = s.runs
					}
				}
			}
			if len(s.runs) > 0 || len(got) > 0 {
				assert.Equal(t, want, got, "pulumi commands per stack")
			}

			if s.chain {
				for i := range p.Stages {
					errs := pipelines.CheckJobChain(&p.Stages[i], runs)
					assert.Empty(t, errs, errorList(errs))
				}
			}
			calls, errs := pipelines.CheckToolFlags(p, tools)
			assert.Empty(t, errs, errorList(errs))
			if s.toolCalls {
				assert.Positive(t, calls, "calls the project's commands")
			}
			errs = pipelines.CheckScripts(p)
			assert.Empty(t, errs, errorList(errs))

			for _, at := range p.Steps() {
				switch {
				case at.Step.Uses == "Cache@2":
					assert.Contains(t, at.Step.Inputs["key"], "go.sum", "%s: cache key", at)
				case strings.HasPrefix(at.Step.Uses, "actions/setup-go@"):
					assert.Equal(t, "go.sum", at.Step.Inputs["cache-dependency-path"], "%s: cache key", at)
					assert.Equal(t, "go.mod", at.Step.Inputs["go-version-file"], "%s: the project's Go", at)
				}
			}
		})
	}
}

// TestEveryPipelineHasASpec: a pipeline file without a row would escape the checks above.
func TestEveryPipelineHasASpec(t *testing.T) {
	have := map[string]bool{}
	for _, s := range specs {
		have[s.system+"/"+s.file] = true
	}
	ado, err := filepath.Glob("*.yml")
	require.NoError(t, err)
	examples, err := filepath.Glob("examples/*.yml")
	require.NoError(t, err)
	for _, f := range examples {
		if !strings.HasPrefix(filepath.Base(f), "github-") {
			ado = append(ado, f)
		}
	}
	gh, err := filepath.Glob(filepath.Join(repo, ".github", "workflows", "*.yml"))
	require.NoError(t, err)
	for _, f := range ado {
		assert.True(t, have["azure-devops/"+f], "%s has no row in specs", f)
	}
	for _, f := range gh {
		assert.True(t, have["github/"+filepath.Base(f)], "%s has no row in specs", f)
	}
}

// TestServiceConnectionsAndForks: on Azure DevOps every pulumi step of an environment uses that
// environment's service connection parameter, and the pull-request stages that use one are
// skipped for forks; on GitHub the previews run only for branches of the repository, and every job
// that runs pulumi may request an OIDC token and no more than it needs.
func TestServiceConnectionsAndForks(t *testing.T) {
	for _, s := range specs {
		p := load(t, s)
		runs, _ := pipelines.PulumiRuns(p)
		for _, r := range runs {
			if s.system == "azure-devops" {
				assert.Equal(t, "AzureCLI@2", r.At.Step.Uses, "%s", r.At)
				assert.Equal(t, "true", r.At.Step.Inputs["addSpnToEnvironment"], "%s: the OIDC token reaches the step", r.At)
				assert.Equal(t, p.Parameters[r.Env+"ServiceConnection"], r.At.Step.Inputs["azureSubscription"], "%s", r.At)
				if s.file == "platform-pr.yml" {
					assert.Contains(t, r.At.Stage.Condition, "System.PullRequest.IsFork", "%s", r.At)
				}
			} else if strings.HasPrefix(s.file, "platform-") {
				assert.Equal(t, map[string]string{"contents": "read", "id-token": "write"}, r.At.Job.Permissions, "%s", r.At)
				assert.Contains(t, r.At.Step.Env, "STACK")
			} else {
				// A delivery job also pushes tags and opens pull requests; nothing beyond that.
				assert.Equal(t, "write", r.At.Job.Permissions["id-token"], "%s", r.At)
				for k := range r.At.Job.Permissions {
					assert.Contains(t, []string{"contents", "id-token", "pull-requests"}, k, "%s: permission %s", r.At, k)
				}
				assert.NotEmpty(t, r.At.Job.Environment, "%s: the OIDC subject names an environment the identity layer federates", r.At)
			}
		}
	}
	gh := load(t, pipelineSpec{file: "platform-pr.yml", system: "github"})
	build := gh.Stages[0].Job("build")
	require.NotNil(t, build)
	assert.Equal(t, "github.event.pull_request.head.repo.full_name == github.repository", build.Condition)
	for _, j := range gh.Stages[0].Jobs {
		assert.NotContains(t, j.Permissions, "pull-requests", "platform-pr never writes: platform-pr-comment posts")
	}
}

// TestSharedParameters: the backend, the secrets provider, the organization, the service
// connections and the cluster pools are parameters of every Azure DevOps pipeline, with the same
// defaults.
func TestSharedParameters(t *testing.T) {
	var first map[string]string
	for _, s := range specs {
		if s.system != "azure-devops" || !strings.HasPrefix(s.file, "platform-") {
			continue
		}
		params := load(t, s).Parameters
		for _, k := range []string{"backendUrl", "secretsProvider", "organization", "devServiceConnection", "prodServiceConnection", "devClusterPool", "prodClusterPool"} {
			assert.NotEmpty(t, params[k], "%s: parameter %s", s.file, k)
		}
		if first == nil {
			first = params
		}
		assert.Equal(t, first, params, "%s: the same parameters as the others", s.file)
	}
	assert.True(t, strings.HasPrefix(first["backendUrl"], "azblob://"), "the default backend is Azure Blob with Entra auth")
}

// TestNoInlineSecrets scans every pipeline, template, workflow and action file.
func TestNoInlineSecrets(t *testing.T) {
	var files []string
	for _, pattern := range []string{"*.yml", "templates/*.yml", "examples/*.yml", "../.github/workflows/*.yml", "../.github/actions/*/action.yml"} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.GreaterOrEqual(t, len(files), 35)
	for _, f := range files {
		errs := pipelines.CheckNoSecrets(f)
		assert.Empty(t, errs, errorList(errs))
	}
}

// TestActionlint runs actionlint's own library over the workflows (and, through them, the local
// composite actions). shellcheck, when installed, checks the scripts too.
func TestActionlint(t *testing.T) {
	var out bytes.Buffer
	opts := &actionlint.LinterOptions{WorkingDir: repo}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = sc
	} else {
		t.Log("shellcheck not installed: scripts are not shellchecked")
	}
	l, err := actionlint.NewLinter(&out, opts)
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(repo, ".github", "workflows", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	// The callers a service or SPA repository adds, too.
	callers, err := filepath.Glob(filepath.Join("examples", "github-*.yml"))
	require.NoError(t, err)
	require.Len(t, callers, 2)
	files = append(files, callers...)
	errs, err := l.LintFiles(files, nil)
	require.NoError(t, err)
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	assert.Empty(t, msgs, out.String())
}

// TestShellcheckAzureDevOpsScripts: the inline scripts of the Azure DevOps pipelines pass
// shellcheck too (when it is installed), with the pipeline macros $(X.Y) replaced by a variable.
func TestShellcheckAzureDevOpsScripts(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck not installed")
	}
	macro := regexp.MustCompile(`\$\(([A-Za-z]+)\.([A-Za-z.]+)\)`)
	dir := t.TempDir()
	n := 0
	for _, s := range specs {
		if s.system != "azure-devops" {
			continue
		}
		for _, at := range load(t, s).Steps() {
			if at.Step.Script == "" {
				continue
			}
			script := macro.ReplaceAllString(at.Step.Script, "$${ADO_$1}")
			f := filepath.Join(dir, fmt.Sprintf("s%d.sh", n))
			n++
			require.NoError(t, os.WriteFile(f, []byte("#!/bin/bash\n"+script), 0o644))
			// SC2154: variables the agent sets (idToken, ...); SC2016: literal backticks in a label.
			out, err := exec.Command(sc, "-e", "SC2154,SC2016", f).CombinedOutput()
			assert.NoError(t, err, "%s:\n%s\n%s", at, script, out)
		}
	}
	assert.Positive(t, n)
}

// TestTemplateErrors: the Azure DevOps loader refuses what Azure Pipelines refuses, so a typo in a
// template parameter fails here rather than at queue time.
func TestTemplateErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(text), 0o644))
		return f
	}
	write("steps.yml", "parameters:\n  - name: layer\n    type: string\nsteps:\n  - bash: echo ${{ parameters.layer }}\n")
	for _, tt := range []struct{ text, want string }{
		{"steps:\n  - template: steps.yml\n", `required parameter "layer" is not passed`},
		{"steps:\n  - template: steps.yml\n    parameters:\n      layer: a\n      extra: b\n", `parameter "extra" is not declared`},
		{"steps:\n  - bash: echo ${{ parameters.nope }}\n", "${{ parameters.nope }}: no such parameter"},
		{"steps:\n  - bash: echo ${{ variables.x }}\n", "only ${{ parameters.<name> }} is used"},
		{"steps:\n  - template: missing.yml\n", "no such file"},
	} {
		f := write("p.yml", "jobs:\n  - job: j\n    "+strings.ReplaceAll(tt.text, "\n", "\n    ")+"\n")
		_, err := pipelines.LoadAzureDevOps(f)
		assert.ErrorContains(t, err, tt.want, tt.text)
	}
	f := write("ok.yml", "jobs:\n  - job: j\n    steps:\n      - template: steps.yml\n        parameters:\n          layer: base\n")
	p, err := pipelines.LoadAzureDevOps(f)
	require.NoError(t, err)
	assert.Equal(t, "echo base", p.Stages[0].Jobs[0].Steps[0].Script)
}

// TestChecksCatchMistakes: each check fails on the mistake it exists for.
func TestChecksCatchMistakes(t *testing.T) {
	step := func(dir, script string, env map[string]string) *pipelines.Pipeline {
		return &pipelines.Pipeline{File: "x.yml", Stages: []pipelines.Stage{{Name: "s", Jobs: []pipelines.Job{{Name: "j",
			Steps: []pipelines.Step{{Script: script, WorkingDirectory: dir, Env: env}}}}}}}
	}
	stack := map[string]string{"STACK": "organization/platform-aks/dev"}
	for _, tt := range []struct {
		name string
		p    *pipelines.Pipeline
		want string
	}{
		{"wrong directory", step("stacks/base", `pulumi preview --stack "$STACK"`, stack), "the stack is another layer's"},
		{"root directory", step("", `pulumi up --yes --stack "$STACK"`, stack), `runs in "", want stacks/<layer>`},
		{"no stack", step("stacks/aks", "pulumi preview --diff", nil), "without --stack"},
		{"odd stack", step("stacks/aks", "pulumi preview -s dev", nil), "want <organization>/platform-<layer>/<environment>"},
	} {
		_, errs := pipelines.PulumiRuns(tt.p)
		assert.Contains(t, errorList(errs), tt.want, tt.name)
	}

	order := &pipelines.Pipeline{File: "x.yml", Stages: []pipelines.Stage{{Name: "s", Jobs: []pipelines.Job{{Name: "j", Steps: []pipelines.Step{
		{Script: `pulumi preview --stack o/platform-aks/dev`, WorkingDirectory: "stacks/aks"},
		{Script: `pulumi up --yes --stack o/platform-aks/dev`, WorkingDirectory: "stacks/aks"},
		{Script: `pulumi up --yes --stack o/platform-base/dev`, WorkingDirectory: "stacks/base"},
	}}}}}}
	runs, errs := pipelines.PulumiRuns(order)
	require.Empty(t, errs)
	msgs := errorList(pipelines.CheckLayerOrder(runs))
	assert.Contains(t, msgs, "base after aks")
	assert.Contains(t, msgs, "pulumi up of o/platform-base/dev without a preview of it before")

	chain := pipelines.Stage{Name: "s", Jobs: []pipelines.Job{
		{Name: "base", Steps: []pipelines.Step{{Script: `pulumi up --yes --stack o/platform-base/dev`, WorkingDirectory: "stacks/base"}}},
		{Name: "identity", Steps: []pipelines.Step{{Script: `pulumi up --yes --stack o/platform-identity/dev`, WorkingDirectory: "stacks/identity"}}},
	}}
	cp := &pipelines.Pipeline{File: "x.yml", Stages: []pipelines.Stage{chain}}
	runs, _ = pipelines.PulumiRuns(cp)
	assert.Contains(t, errorList(pipelines.CheckJobChain(&cp.Stages[0], runs)), "job identity (identity) does not depend on job base (base)")

	for _, tt := range []struct{ script, want string }{
		{`"$t/plan" -env dev -diff-markdown x.md`, "plan has no flag -diff-markdown"},
		{`go run ./cmd/prcomment -provider github extra`, `prcomment: unexpected argument "extra"`},
		{`"$T/usebinary" -binary`, "usebinary -binary without a value"},
	} {
		_, errs := pipelines.CheckToolFlags(step("", tt.script, nil), tools)
		assert.Contains(t, errorList(errs), tt.want, tt.script)
	}
	_, errs = pipelines.CheckToolFlags(step("", `"$t/plan" -env dev -q -json x.json > out.txt 2>&1`, nil), tools)
	assert.Empty(t, errs, "a bool flag takes no value and redirections are not arguments")

	assert.Contains(t, errorList(pipelines.CheckScripts(step("", "echo a\necho b\n", nil))), "must start with set -euo pipefail")
	long := "set -euo pipefail\n" + strings.Repeat("echo x\n", pipelines.MaxScriptLines)
	assert.Contains(t, errorList(pipelines.CheckScripts(step("", long, nil))), "move the logic into a Go command")
	assert.Empty(t, pipelines.CheckScripts(step("", "./.ci/run", nil)), "one command needs no set -e")

	f := filepath.Join(t.TempDir(), "s.yml")
	require.NoError(t, os.WriteFile(f, []byte("env:\n  ARM_CLIENT_SECRET: x\n  password: hunter2\nscript: echo $(System.AccessToken)\n"+
		"token: pul-0123456789abcdef0123456789abcdef01234567\n# ARM_CLIENT_SECRET in a comment is fine\n"), 0o644))
	msgs = errorList(pipelines.CheckNoSecrets(f))
	for _, want := range []string{":2: a client secret variable", ":3: a password", ":4: System.AccessToken outside an env mapping", ":5: a Pulumi access token"} {
		assert.Contains(t, msgs, want)
	}
	assert.NotContains(t, msgs, ":6:")
}

// TestCommands: the shell splitter finds programs and their arguments.
func TestCommands(t *testing.T) {
	cmds, err := pipelines.Commands("set -euo pipefail\nA=1 \"$t/plan\" -env \"$env\" -diff-label \"\\`main\\`\" > \"$t/x\" 2>&1 | tee y || { echo \"fail: $(date +%s)\"; exit 1; }\n" +
		"policy=(); if [ -f a ]; then policy=(--policy-pack b); fi # comment\npulumi up \\\n  --yes")
	require.NoError(t, err)
	var progs []string
	for _, c := range cmds {
		if p := c.Program(); len(p) > 0 {
			progs = append(progs, strings.Join(p, " "))
		}
	}
	sort.Strings(progs)
	assert.Equal(t, []string{
		"$t/plan -env $env -diff-label `main`", "--policy-pack b", "[ -f a ]", "echo fail: $(date +%s)", "exit 1", "pulumi up --yes", "set -euo pipefail", "tee y",
	}, progs)
}

// call is one command of a pipeline step, its words with $NAME resolved from the step's env.
type call struct {
	at    pipelines.Located
	index int // the step's position in its job
	words []string
}

var envWord = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// calls returns, per job, the commands whose program (its base name) is prog and whose first
// argument is sub ("" for any).
func calls(p *pipelines.Pipeline, prog, sub string) map[*pipelines.Job][]call {
	out := map[*pipelines.Job][]call{}
	index := map[*pipelines.Job]int{}
	for _, at := range p.Steps() {
		i := index[at.Job]
		index[at.Job]++
		cmds, err := pipelines.Commands(at.Step.Script)
		if err != nil {
			continue
		}
		for _, c := range cmds {
			w := c.Program()
			if len(w) == 0 || filepath.Base(w[0]) != prog || (sub != "" && (len(w) < 2 || w[1] != sub)) {
				continue
			}
			var words []string
			for _, x := range w {
				words = append(words, envWord.ReplaceAllStringFunc(x, func(m string) string {
					if v, ok := at.Step.Env[envWord.FindStringSubmatch(m)[1]]; ok {
						return v
					}
					return m
				}))
			}
			out[at.Job] = append(out[at.Job], call{at: at, index: i, words: words})
		}
	}
	return out
}

func flagOf(words []string, name string) string {
	for i, w := range words {
		if w == name && i+1 < len(words) {
			return words[i+1]
		}
	}
	return ""
}

// TestDeliveryRollsBackThroughGit: in every job that verifies a rollout, a failed rollout (and
// only a failed one, exit 1) runs the migration's revert with the failed image, marks the image,
// puts the previous tag back in Git and, where the rollback is a commit, verifies it too; the
// diagnostics are published and the job fails. Every verify names the HelmRelease, a timeout and
// a diagnostics directory. prod is only ever changed by pull request.
func TestDeliveryRollsBackThroughGit(t *testing.T) {
	for _, s := range specs {
		if !s.delivers {
			continue
		}
		t.Run(s.system+"/"+s.file, func(t *testing.T) {
			p := load(t, s)
			verifies := calls(p, "rollout", "verify")
			require.NotEmpty(t, verifies)
			reverts, marks, rollbacks, deploys := calls(p, "release", "revert-migration"), calls(p, "release", "mark-failed"), calls(p, "release", "rollback"), calls(p, "release", "deploy")
			for job, vs := range verifies {
				first := vs[0]
				for _, v := range vs {
					for _, f := range []string{"-helmrelease", "-timeout", "-diagnostics", "-image", "-service", "-namespace"} {
						assert.NotEmpty(t, flagOf(v.words, f), "%s: rollout verify without %s", v.at, f)
					}
					assert.Equal(t, "flux-system/"+flagOf(v.words, "-service"), flagOf(v.words, "-helmrelease"), "%s", v.at)
				}
				require.Len(t, reverts[job], 1, "job %s: one migration revert", job.Name)
				require.Len(t, marks[job], 1, "job %s: one mark-failed", job.Name)
				require.Len(t, rollbacks[job], 1, "job %s: one rollback", job.Name)
				revert, mark, rollback := reverts[job][0], marks[job][0], rollbacks[job][0]
				assert.Less(t, first.index, revert.index, "%s: the revert after the verify", revert.at)
				assert.Less(t, revert.index, mark.index, "%s: the image marked after the revert", mark.at)
				assert.Less(t, mark.index, rollback.index, "%s: the tag rolled back after the image is marked (image automation would pick it again)", rollback.at)
				assert.Equal(t, flagOf(first.words, "-image"), flagOf(revert.words, "-image"), "%s: the revert runs with the image that failed", revert.at)
				for _, c := range []call{revert, mark, rollback} {
					cond := c.at.Step.Condition
					assert.True(t, strings.Contains(cond, "variables['result'], '1'") || strings.Contains(cond, "steps.rollout.outputs.result == '1'"),
						"%s: only after a failed rollout (exit 1), condition %q", c.at, cond)
					assert.Regexp(t, `isRollback|is-rollback`, cond, "%s: never a rollback of a rollback", c.at)
				}
				mode := flagOf(rollback.words, "-mode")
				env := flagOf(rollback.words, "-env")
				if env == "prod" || s.file == "services-release.yml" {
					assert.Equal(t, "pull-request", mode, "%s: prod's branch is protected", rollback.at)
				}
				if mode == "push" {
					require.Len(t, vs, 2, "job %s: the rollback is verified too", job.Name)
					assert.Less(t, rollback.index, vs[1].index)
					assert.Contains(t, flagOf(vs[1].words, "-image"), "ROLLBACK_TAG", "%s: the rollback's image", vs[1].at)
				}
				for _, d := range deploys[job] {
					assert.Less(t, d.index, first.index, "%s: deployed before it is verified", d.at)
					assert.NotEqual(t, "pull-request", flagOf(d.words, "-mode"), "%s", d.at)
				}
				var published, failsAtEnd bool
				last := 0
				for _, at := range p.Steps() {
					if at.Job != job {
						continue
					}
					last++
					if strings.HasPrefix(at.Step.Uses, "publish:") || strings.HasPrefix(at.Step.Uses, "actions/upload-artifact@") {
						published = strings.Contains(at.Step.Uses+at.Step.Inputs["path"], "diagnostics")
					}
					failsAtEnd = strings.Contains(at.Step.Script, "exit 1") && strings.Contains(at.Step.Condition, "result")
				}
				assert.True(t, published, "job %s publishes the diagnostics", job.Name)
				assert.True(t, failsAtEnd, "job %s ends failing when the rollout failed", job.Name)
			}
			for _, ds := range deploys {
				for _, d := range ds {
					if flagOf(d.words, "-env") == "prod" {
						assert.Equal(t, "pull-request", flagOf(d.words, "-mode"), "%s: prod is promoted by pull request", d.at)
					}
				}
			}
		})
	}
}

// TestImagesAreBuiltOnceForBothArchitectures: every image build is a buildx build for linux/amd64
// and linux/arm64, pushed to the registry after az acr login (the pipeline identity, no password),
// and prod receives images only by az acr import from dev's registry (the same digest).
func TestImagesAreBuiltOnceForBothArchitectures(t *testing.T) {
	builds := 0
	for _, s := range specs {
		p := load(t, s)
		for job, bs := range calls(p, "docker", "buildx") {
			for _, b := range bs {
				if len(b.words) < 3 || b.words[2] != "build" {
					continue
				}
				builds++
				assert.Equal(t, "linux/amd64,linux/arm64", flagOf(b.words, "--platform"), "%s", b.at)
				assert.Contains(t, b.words, "--push", "%s", b.at)
				assert.Contains(t, b.at.Step.Script, `az acr login --name "$ACR_NAME"`, "%s", b.at)
				assert.Contains(t, []string{"", "dev"}, job.Environment, "%s: images are built for dev only", b.at)
			}
		}
		for _, is := range calls(p, "az", "acr") {
			for _, i := range is {
				if len(i.words) > 2 && i.words[2] == "import" {
					assert.Equal(t, "$DEV_ACR_ID", flagOf(i.words, "--registry"), "%s: from dev's registry, by ID", i.at)
				}
			}
		}
	}
	assert.Equal(t, 4, builds, "services and the agent image, on both systems")
}

// TestSPADeploysItsOwnBuild: the SPA is built (npm ci, npm run build) before cmd/spa deploys it,
// in the same job, for each environment.
func TestSPADeploysItsOwnBuild(t *testing.T) {
	for _, s := range specs {
		p := load(t, s)
		for job, ds := range calls(p, "spa", "deploy") {
			builds := calls(p, "npm", "run")[job]
			require.Len(t, builds, 1, "job %s builds the SPA", job.Name)
			assert.Equal(t, []string{"npm", "run", "build"}, builds[0].words)
			assert.Less(t, builds[0].index, ds[0].index, "%s", ds[0].at)
			assert.Equal(t, builds[0].at.Step.WorkingDirectory, ds[0].at.Step.WorkingDirectory, "%s: deploys the directory it built", ds[0].at)
			assert.Equal(t, "dist", flagOf(ds[0].words, "-dir"))
		}
	}
}

// TestExampleCallersMatchTheReusableWorkflows: what a repository's caller passes to the
// platform's reusable workflows is declared by them, and every required input is passed.
func TestExampleCallersMatchTheReusableWorkflows(t *testing.T) {
	type workflow struct {
		On struct {
			WorkflowCall struct {
				Inputs  map[string]struct{ Required bool } `yaml:"inputs"`
				Secrets map[string]struct{ Required bool } `yaml:"secrets"`
			} `yaml:"workflow_call"`
		} `yaml:"on"`
		Jobs map[string]struct {
			Uses    string            `yaml:"uses"`
			With    map[string]string `yaml:"with"`
			Secrets map[string]string `yaml:"secrets"`
		} `yaml:"jobs"`
	}
	read := func(f string) workflow {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var w workflow
		require.NoError(t, yaml.Unmarshal(data, &w), f)
		return w
	}
	callers, err := filepath.Glob(filepath.Join("examples", "github-*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, callers)
	for _, f := range callers {
		for name, job := range read(f).Jobs {
			path, _, ok := strings.Cut(strings.TrimPrefix(job.Uses, "contoso/platform/"), "@")
			require.True(t, ok && strings.HasPrefix(path, ".github/workflows/"), "%s: job %s calls %q", f, name, job.Uses)
			called := read(filepath.Join(repo, path))
			require.NotEmpty(t, called.On.WorkflowCall.Inputs, "%s is a reusable workflow", path)
			for k := range job.With {
				assert.Contains(t, called.On.WorkflowCall.Inputs, k, "%s passes an input %s that %s does not declare", f, k, path)
			}
			for k, in := range called.On.WorkflowCall.Inputs {
				if in.Required {
					assert.Contains(t, job.With, k, "%s: required input %s of %s", f, k, path)
				}
			}
			for k := range job.Secrets {
				assert.Contains(t, called.On.WorkflowCall.Secrets, k, "%s passes a secret %s that %s does not declare", f, k, path)
			}
		}
	}
}
