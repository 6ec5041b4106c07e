package pipelines_test

import (
	"bytes"
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

	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/pipelines"
	"github.com/azure-saas-platform/platform/prcomment"
	"github.com/azure-saas-platform/platform/pulumiproject"
)

// tools are the project's commands pipelines call, with their real flag sets.
var tools = []pipelines.Tool{
	{Name: "plan", Flags: offline.FlagSet},
	{Name: "prcomment", Flags: prcomment.FlagSet},
	{Name: "usebinary", Flags: pulumiproject.FlagSet},
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
}

const repo = ".."

func load(t *testing.T, s pipelineSpec) *pipelines.Pipeline {
	t.Helper()
	var p *pipelines.Pipeline
	var err error
	if s.system == "github" {
		p, err = pipelines.LoadGitHub(filepath.Join(repo, ".github", "workflows", s.file), repo)
	} else {
		p, err = pipelines.LoadAzureDevOps(s.file)
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
// strict, short shell, real flags of the project's commands, GOGC for builds, caches on go.sum.
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
			for _, st := range p.Stages {
				if prev, ok := s.after[st.Name]; ok {
					assert.Equal(t, []string{prev}, st.DependsOn, "stage %s runs after %s", st.Name, prev)
				} else if s.system == "azure-devops" {
					assert.Empty(t, st.DependsOn, "stage %s", st.Name)
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

			assert.Equal(t, "25", p.Variables["GOGC"], "builds run with GOGC=25 on 7 GB agents")
			for _, at := range p.Steps() {
				switch {
				case at.Step.Uses == "Cache@2":
					assert.Contains(t, at.Step.Inputs["key"], "go.sum", "%s: cache key", at)
				case strings.HasPrefix(at.Step.Uses, "actions/setup-go@"):
					assert.Equal(t, "go.sum", at.Step.Inputs["cache-dependency-path"], "%s: cache key", at)
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
			} else {
				assert.Equal(t, map[string]string{"contents": "read", "id-token": "write"}, r.At.Job.Permissions, "%s", r.At)
				assert.Contains(t, r.At.Step.Env, "STACK")
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

// TestSharedParameters: the backend, the secrets provider, the organization and the service
// connections are parameters of every Azure DevOps pipeline, with the same defaults.
func TestSharedParameters(t *testing.T) {
	var first map[string]string
	for _, s := range specs {
		if s.system != "azure-devops" {
			continue
		}
		params := load(t, s).Parameters
		for _, k := range []string{"backendUrl", "secretsProvider", "organization", "devServiceConnection", "prodServiceConnection"} {
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
	for _, pattern := range []string{"*.yml", "templates/*.yml", "../.github/workflows/*.yml", "../.github/actions/*/action.yml"} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.GreaterOrEqual(t, len(files), 15)
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
