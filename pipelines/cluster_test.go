package pipelines_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/pipelines"
)

// The flux layer's Kubernetes provider talks to the cluster's API server, in preview as in up, and
// signs in through kubelogin (docs/flux.md, "Signing in to the cluster"). So every job that runs
// pulumi on the flux layer installs kubelogin first, at the agent image's version, and runs where
// the pipeline's cluster pool (Azure DevOps) or the CLUSTER_RUNS_ON variable (GitHub) says.

var dockerfileKubelogin = regexp.MustCompile(`(?m)^ARG KUBELOGIN_VERSION=(\S+)$`)

// agentImageKubelogin is the kubelogin version the in-cluster agent image pins.
func agentImageKubelogin(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, "images", "azure-devops-agent", "Dockerfile"))
	require.NoError(t, err)
	m := dockerfileKubelogin.FindSubmatch(data)
	require.NotNil(t, m, "the Dockerfile pins ARG KUBELOGIN_VERSION")
	return string(m[1])
}

// platformSpecs are the rows of the pipelines that run the layers.
func platformSpecs() []pipelineSpec {
	var out []pipelineSpec
	for _, s := range specs {
		if len(s.runs) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// fluxJobs returns every job that runs pulumi on the flux layer, with the environment it works on
// and the index of its first flux step.
func fluxJobs(t *testing.T, p *pipelines.Pipeline) map[*pipelines.Job]struct {
	env   string
	first int
} {
	t.Helper()
	runs, errs := pipelines.PulumiRuns(p)
	require.Empty(t, errs, errorList(errs))
	out := map[*pipelines.Job]struct {
		env   string
		first int
	}{}
	for _, r := range runs {
		if r.Layer != "flux" {
			continue
		}
		if _, seen := out[r.At.Job]; seen {
			continue
		}
		for i := range r.At.Job.Steps {
			if &r.At.Job.Steps[i] == r.At.Step {
				out[r.At.Job] = struct {
					env   string
					first int
				}{r.Env, i}
			}
		}
	}
	return out
}

func TestFluxJobsInstallKubelogin(t *testing.T) {
	want := agentImageKubelogin(t)
	for _, s := range platformSpecs() {
		t.Run(s.system+"/"+s.file, func(t *testing.T) {
			p := load(t, s)
			jobs := fluxJobs(t, p)
			require.Len(t, jobs, 2, "one job per environment runs the flux layer")
			for job, f := range jobs {
				var versions []string
				for _, st := range job.Steps[:f.first] {
					v, err := pipelines.KubeloginInstall(st, p.Variables)
					assert.NoError(t, err, "job %s, step %q", job.Name, st.Name)
					if v != "" {
						versions = append(versions, v)
					}
				}
				assert.Equal(t, []string{want}, versions, "job %s installs kubelogin %s (the agent image's) once, before the flux layer runs", job.Name, want)
			}
		})
	}
}

// TestFluxJobsRunWhereTheClusterIsReached: Azure DevOps runs every job on Microsoft-hosted agents
// by default, and a run with devClusterPool and prodClusterPool moves exactly the jobs that run the
// flux layer, each to its environment's pool (the other layers stay hosted: an in-cluster agent
// cannot deploy the cluster it runs on). On GitHub those jobs take the environment's entry of the
// repository variable CLUSTER_RUNS_ON, falling back to ubuntu-latest; every other job is hosted.
func TestFluxJobsRunWhereTheClusterIsReached(t *testing.T) {
	const hosted = "vmImage:ubuntu-latest"
	pools := map[string]any{"devClusterPool": map[string]string{"name": "pool-dev"}, "prodClusterPool": map[string]string{"name": "pool-prod"}}
	// Environment variables are not available to runs-on (github/docs#33389), hence one repository
	// variable keyed by environment.
	const byMatrix = `${{ fromJSON(vars.CLUSTER_RUNS_ON || '{}')[matrix.environment] || 'ubuntu-latest' }}`
	const fluxByMatrix = `${{ matrix.layer == 'flux' && fromJSON(vars.CLUSTER_RUNS_ON || '{}')[matrix.environment] || 'ubuntu-latest' }}`
	githubRunsOn := map[string]map[string]string{
		"platform-pr.yml": {"preview (dev)": byMatrix, "preview (prod)": byMatrix},
		"platform-deploy.yml": {
			"dev":  `${{ fromJSON(vars.CLUSTER_RUNS_ON || '{}').dev || 'ubuntu-latest' }}`,
			"prod": `${{ fromJSON(vars.CLUSTER_RUNS_ON || '{}').prod || 'ubuntu-latest' }}`,
		},
		"platform-drift.yml": {},
	}
	for _, env := range []string{"dev", "prod"} {
		for _, l := range pipelines.Layers {
			githubRunsOn["platform-drift.yml"]["drift ("+env+", "+l+")"] = fluxByMatrix
		}
	}

	for _, s := range platformSpecs() {
		t.Run(s.system+"/"+s.file, func(t *testing.T) {
			p := load(t, s)
			if s.system == "github" {
				want, ok := githubRunsOn[s.file]
				require.True(t, ok, "%s: no runs-on expectations", s.file)
				jobs := fluxJobs(t, p)
				require.Len(t, jobs, 2, "one job per environment runs the flux layer")
				for ji := range p.Stages[0].Jobs {
					j := &p.Stages[0].Jobs[ji]
					w, moves := want[j.Name]
					if !moves {
						w = "ubuntu-latest"
					}
					assert.Equal(t, w, j.Pool, "job %s: runs-on", j.Name)
					if _, flux := jobs[j]; flux {
						assert.True(t, moves, "job %s runs the flux layer on a configurable runner", j.Name)
					}
				}
				return
			}

			for _, st := range p.Stages {
				for _, j := range st.Jobs {
					assert.Equal(t, hosted, j.Pool, "stage %s, job %s: Microsoft-hosted by default", st.Name, j.Name)
				}
			}
			assert.Equal(t, "vmImage: ubuntu-latest", p.Parameters["devClusterPool"])
			assert.Equal(t, "vmImage: ubuntu-latest", p.Parameters["prodClusterPool"])

			queued, err := pipelines.LoadAzureDevOpsRun(s.file, s.repos, pools)
			require.NoError(t, err)
			jobs := fluxJobs(t, queued)
			require.Len(t, jobs, 2, "one job per environment runs the flux layer")
			for si := range queued.Stages {
				for ji := range queued.Stages[si].Jobs {
					j := &queued.Stages[si].Jobs[ji]
					if f, flux := jobs[j]; flux {
						assert.Equal(t, "name:pool-"+f.env, j.Pool, "stage %s, job %s: the pool that reaches %s's API server", queued.Stages[si].Name, j.Name, f.env)
					} else {
						assert.Equal(t, hosted, j.Pool, "stage %s, job %s does not run the flux layer: it stays hosted", queued.Stages[si].Name, j.Name)
					}
				}
			}
		})
	}

	_, err := pipelines.LoadAzureDevOpsRun("platform-deploy.yml", nil, map[string]any{"clusterPool": "x"})
	assert.ErrorContains(t, err, `parameter "clusterPool" is not declared`, "a misspelt run parameter is refused, as Azure Pipelines does")
}

// TestGitHubFluxSignsInToAzure: kubelogin's azurecli login uses the Azure CLI's account, so on
// GitHub the azure/login before every flux command runs whatever the state backend (with Pulumi
// Cloud the other layers need no Azure CLI login).
func TestGitHubFluxSignsInToAzure(t *testing.T) {
	for _, s := range platformSpecs() {
		if s.system != "github" {
			continue
		}
		p := load(t, s)
		runs, _ := pipelines.PulumiRuns(p)
		n := 0
		for _, r := range runs {
			if r.Layer != "flux" {
				continue
			}
			n++
			var login *pipelines.Step
			for i := range r.At.Job.Steps {
				st := &r.At.Job.Steps[i]
				if st == r.At.Step {
					break
				}
				if strings.HasPrefix(st.Uses, "azure/login@") {
					login = st
				}
			}
			require.NotNil(t, login, "%s: no azure/login before it", r.At)
			if login.Condition != "" {
				assert.True(t, strings.HasSuffix(login.Condition, "|| inputs.layer == 'flux'"), "%s: azure/login runs for the flux layer, condition %q", r.At, login.Condition)
			}
		}
		assert.Positive(t, n, s.file)
	}
}

// TestKubeloginVersionsAgree: the Azure DevOps variable and the GitHub action install the agent
// image's kubelogin.
func TestKubeloginVersionsAgree(t *testing.T) {
	want := agentImageKubelogin(t)
	p := load(t, pipelineSpec{file: "platform-deploy.yml", system: "azure-devops"})
	assert.Equal(t, want, p.Variables["KUBELOGIN_VERSION"], "templates/variables.yml")
	gh, err := pipelines.LoadGitHub(filepath.Join(repo, ".github", "workflows", "platform-deploy.yml"), repo)
	require.NoError(t, err)
	var got []string
	for _, at := range gh.Steps() {
		v, err := pipelines.KubeloginInstall(*at.Step, gh.Variables)
		require.NoError(t, err)
		if v != "" {
			got = append(got, v)
		}
	}
	assert.Equal(t, []string{want, want}, got, ".github/actions/prepare-pulumi, in the dev and prod jobs")
}

// TestKubeloginInstallCatchesMistakes: an install without its checksum, its check or PATH is an
// error, and the version comes from the step's env before the pipeline's variables.
func TestKubeloginInstallCatchesMistakes(t *testing.T) {
	const url = `https://github.com/Azure/kubelogin/releases/download/v$KUBELOGIN_VERSION/kubelogin-linux-$a.zip`
	good := "set -euo pipefail\ncurl -fsSLO \"" + url + "\"\ncurl -fsSLO \"" + url + ".sha256\"\nsha256sum -c \"kubelogin-linux-$a.zip.sha256\"\n"
	vars := map[string]string{"KUBELOGIN_VERSION": "0.2.10"}
	for _, tt := range []struct{ name, script, want string }{
		{"no checksum file", "curl -fsSLO \"" + url + "\"\nsha256sum -c x\necho \"##vso[task.prependpath]/k\"\n", ".sha256 false"},
		{"not checked", strings.Replace(good, "sha256sum -c", "cat", 1) + "echo \"##vso[task.prependpath]/k\"\n", "not checked with sha256sum -c"},
		{"not on PATH", good, "not put on PATH"},
	} {
		_, err := pipelines.KubeloginInstall(pipelines.Step{Script: tt.script}, vars)
		assert.ErrorContains(t, err, tt.want, tt.name)
	}
	v, err := pipelines.KubeloginInstall(pipelines.Step{Script: good + "echo \"$RUNNER_TEMP/k\" >> \"$GITHUB_PATH\"\n", Env: map[string]string{"KUBELOGIN_VERSION": "0.2.9"}}, vars)
	require.NoError(t, err)
	assert.Equal(t, "0.2.9", v, "the step's env first")
	v, err = pipelines.KubeloginInstall(pipelines.Step{Script: good + "echo \"##vso[task.prependpath]/k\"\n"}, vars)
	require.NoError(t, err)
	assert.Equal(t, "0.2.10", v, "then the pipeline's variables")
	v, err = pipelines.KubeloginInstall(pipelines.Step{Script: "go run ./cmd/usebinary -binary x"}, vars)
	require.NoError(t, err)
	assert.Empty(t, v, "a step that installs no kubelogin")
}
