package images

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// instruction is one Dockerfile instruction with its arguments (continuations joined, comments
// dropped).
type instruction struct {
	Line int
	Cmd  string // upper case: FROM, RUN, ...
	Args string
}

func parseDockerfile(t *testing.T, file string) []instruction {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	var out []instruction
	var cur *instruction
	s := bufio.NewScanner(f)
	n := 0
	for s.Scan() {
		n++
		line := s.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		cont := strings.HasSuffix(trimmed, "\\")
		trimmed = strings.TrimSuffix(trimmed, "\\")
		if cur == nil {
			cmd, args, _ := strings.Cut(trimmed, " ")
			cur = &instruction{Line: n, Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)}
		} else {
			cur.Args += " " + strings.TrimSpace(trimmed)
		}
		if !cont {
			out = append(out, *cur)
			cur = nil
		}
	}
	require.NoError(t, s.Err())
	require.Nil(t, cur, "%s ends inside a continued line", file)
	return out
}

func args(ins []instruction) map[string]string {
	out := map[string]string{}
	for _, i := range ins {
		if i.Cmd == "ARG" {
			k, v, _ := strings.Cut(i.Args, "=")
			out[k] = v
		}
	}
	return out
}

const agentDir = "azure-devops-agent"

var (
	digest      = regexp.MustCompile(`^[a-z0-9./-]+(:[A-Za-z0-9._-]+)?@sha256:[a-f0-9]{64}$`)
	exactTag    = regexp.MustCompile(`^[a-z0-9./-]+:[a-z-]*(\d{8}(\.\d+)?|\d+\.\d+\.\d+)[A-Za-z0-9._-]*$`)
	semver      = regexp.MustCompile(`^\d+\.\d+\.\d+$`)
	numericID   = regexp.MustCompile(`^[1-9]\d*(:[1-9]\d*)?$`)
	download    = regexp.MustCompile(`\b(curl|wget)\s+-`)
	pipeToShell = regexp.MustCompile(`\|\s*(sudo\s+)?(sh|bash)\b`)
)

// The agent image, checked as hadolint and a reviewer would: a base image pinned by digest or by
// an exact (dated or versioned) tag, never latest; every version a build argument with an exact
// default; the architecture of every download from TARGETARCH, and every download checked (a
// SHA-256 or, for the signing key, its fingerprint); apt without recommends and without lists
// left behind; a numeric non-root USER last; start.sh as the exec-form entrypoint.
func TestAgentDockerfile(t *testing.T) {
	ins := parseDockerfile(t, filepath.Join(agentDir, "Dockerfile"))
	a := args(ins)

	var froms, users []string
	var entrypoint string
	for _, i := range ins {
		switch i.Cmd {
		case "FROM":
			froms = append(froms, strings.Fields(i.Args)[0])
		case "USER":
			users = append(users, i.Args)
		case "ENTRYPOINT":
			entrypoint = i.Args
		case "RUN":
			if download.MatchString(i.Args) {
				assert.True(t, strings.Contains(i.Args, "sha256sum -c") || strings.Contains(i.Args, "gpg --show-keys"),
					"line %d downloads without checking a checksum or fingerprint", i.Line)
				if !strings.Contains(i.Args, "microsoft.asc") {
					assert.Contains(t, i.Args, "${TARGETARCH}", "line %d downloads without the target architecture", i.Line)
				}
			}
			if strings.Contains(i.Args, "apt-get install") {
				assert.Contains(t, i.Args, "--no-install-recommends", "line %d", i.Line)
				assert.Contains(t, i.Args, "rm -rf /var/lib/apt/lists/*", "line %d leaves the apt lists in the layer", i.Line)
			}
			assert.NotRegexp(t, pipeToShell, i.Args, "line %d pipes a download into a shell", i.Line)
		case "ADD":
			assert.Fail(t, "ADD", "line %d: ADD fetches URLs unchecked and unpacks implicitly; use COPY or a checked download", i.Line)
		}
		assert.NotRegexp(t, regexp.MustCompile(`(?i):latest\b`), i.Args, "line %d", i.Line)
	}
	require.Len(t, froms, 1)
	assert.True(t, digest.MatchString(froms[0]) || exactTag.MatchString(froms[0]), "FROM %s: pin the base image by digest or an exact tag", froms[0])
	require.NotEmpty(t, users)
	assert.Regexp(t, numericID, users[len(users)-1], "the last USER is a numeric non-root ID (runAsNonRoot can check only numbers)")
	assert.Equal(t, `["/azp/start.sh"]`, entrypoint, "exec form: the agent gets the signals")

	require.Contains(t, a, "TARGETARCH")
	assert.Empty(t, a["TARGETARCH"], "buildx sets TARGETARCH; a default would build one architecture twice")
	var versions int
	for k, v := range a {
		if strings.HasSuffix(k, "_VERSION") {
			versions++
			assert.Regexp(t, semver, v, "ARG %s: an exact version", k)
		}
	}
	assert.GreaterOrEqual(t, versions, 7, "agent, Go, pulumi, kubectl, kubelogin, Node.js, Azure CLI")
	for _, k := range []string{"AGENT_SHA256_AMD64", "AGENT_SHA256_ARM64"} {
		v, ok := a[k]
		assert.True(t, ok, "ARG %s", k)
		assert.Empty(t, v, "%s has no default: it is the SHA-256 of the release notes, passed by the pipeline", k)
	}
}

// The tools are the versions the rest of the project uses: Go, pulumi and kubelogin as the platform
// pipelines pin them, kubectl within one minor version of the clusters' Kubernetes.
func TestAgentToolVersionsMatchTheProject(t *testing.T) {
	a := args(parseDockerfile(t, filepath.Join(agentDir, "Dockerfile")))
	data, err := os.ReadFile(filepath.Join("..", "pipelines", "templates", "variables.yml"))
	require.NoError(t, err)
	var vars struct {
		Variables []struct{ Name, Value string } `yaml:"variables"`
	}
	require.NoError(t, yaml.Unmarshal(data, &vars))
	pinned := map[string]string{}
	for _, v := range vars.Variables {
		pinned[v.Name] = v.Value
	}
	assert.Equal(t, pinned["GO_VERSION"], a["GO_VERSION"])
	assert.Equal(t, pinned["PULUMI_VERSION"], a["PULUMI_VERSION"])
	assert.Equal(t, pinned["KUBELOGIN_VERSION"], a["KUBELOGIN_VERSION"], "the platform pipelines install the image's kubelogin")

	for _, env := range []string{"dev", "prod"} {
		data, err := os.ReadFile(filepath.Join("..", "Pulumi."+env+".yaml"))
		require.NoError(t, err)
		var f struct {
			Config struct {
				AKS struct {
					KubernetesVersion string `yaml:"kubernetesVersion"`
				} `yaml:"platform:aks"`
			} `yaml:"config"`
		}
		require.NoError(t, yaml.Unmarshal(data, &f))
		assert.True(t, strings.HasPrefix(a["KUBECTL_VERSION"], f.Config.AKS.KubernetesVersion+"."), "kubectl %s for Kubernetes %s in %s", a["KUBECTL_VERSION"], f.Config.AKS.KubernetesVersion, env)
	}
}

// The cluster runs the tag the VERSION file names: a new image needs a new VERSION, and the
// GitOps tree follows it.
func TestAgentImageTagIsTheOneTheClusterRuns(t *testing.T) {
	version, err := os.ReadFile(filepath.Join(agentDir, "VERSION"))
	require.NoError(t, err)
	v := strings.TrimSpace(string(version))
	assert.Regexp(t, semver, v)
	manifest, err := os.ReadFile(filepath.Join("..", "gitops", "infrastructure", "ci-agents", "azure-devops-agent.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(manifest), `image: "${ACR_LOGIN_SERVER}/azure-devops-agent:`+v+`"`)
}

// start.sh keeps Microsoft's contract (AZP_URL, AZP_TOKEN, AZP_POOL, AZP_AGENT_NAME), strict
// shell, the token out of the jobs' environment, deregistration on stop; and shellcheck passes
// (when it is installed), as hadolint does (when it is).
func TestAgentStartScript(t *testing.T) {
	file := filepath.Join(agentDir, "start.sh")
	info, err := os.Stat(file)
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&0o111, "executable (COPY --chmod sets it in the image too)")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	s := string(data)
	assert.True(t, strings.HasPrefix(s, "#!/usr/bin/env bash\n"))
	assert.Contains(t, s, "\nset -euo pipefail\n")
	for _, v := range []string{"AZP_URL", "AZP_TOKEN", "AZP_POOL", "AZP_AGENT_NAME"} {
		assert.Contains(t, s, "${"+v, "reads %s", v)
	}
	assert.Contains(t, s, "unset AZP_TOKEN")
	assert.Contains(t, s, "VSO_AGENT_IGNORE=AZP_TOKEN,AZP_TOKEN_FILE")
	assert.Contains(t, s, "config.sh remove")
	assert.Contains(t, s, "trap ")
	assert.NotContains(t, s, "set -x", "would print the token")

	if sc, err := exec.LookPath("shellcheck"); err == nil {
		out, err := exec.Command(sc, file).CombinedOutput()
		assert.NoError(t, err, "%s", out)
	} else {
		t.Log("shellcheck not installed")
	}
	if hl, err := exec.LookPath("hadolint"); err == nil {
		out, err := exec.Command(hl, filepath.Join(agentDir, "Dockerfile")).CombinedOutput()
		assert.NoError(t, err, "%s", out)
	} else {
		t.Log("hadolint not installed: the Dockerfile is checked by TestAgentDockerfile only")
	}
}

// The checks catch the mistakes they exist for.
func TestDockerfileChecksCatchMistakes(t *testing.T) {
	for _, bad := range []string{"ubuntu", "ubuntu:latest", "ubuntu:24.04", "ubuntu:noble"} {
		assert.False(t, digest.MatchString(bad) || exactTag.MatchString(bad), bad)
	}
	for _, good := range []string{"ubuntu:noble-20251001", "golang:1.26.8-bookworm", "ubuntu@sha256:" + strings.Repeat("a", 64)} {
		assert.True(t, digest.MatchString(good) || exactTag.MatchString(good), good)
	}
	assert.Regexp(t, pipeToShell, "curl -fsSL https://x | bash")
	assert.NotRegexp(t, pipeToShell, "curl -fsSL https://x | sha256sum -c -")
	for _, bad := range []string{"root", "0", "agent", "0:0", "10001:0"} {
		assert.NotRegexp(t, numericID, bad)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "Dockerfile")
	require.NoError(t, os.WriteFile(f, []byte("FROM x\n# c\nRUN a \\\n  b \\\n\n  c\nUSER 1\n"), 0o644))
	assert.Equal(t, []instruction{{1, "FROM", "x"}, {3, "RUN", "a b c"}, {7, "USER", "1"}}, parseDockerfile(t, f))
}
