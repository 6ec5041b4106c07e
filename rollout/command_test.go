package rollout

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The pipelines call the command with these flags (the contract with issue 14's pipelines);
// more may be added, none of these renamed.
func TestFlagSetKeepsTheContract(t *testing.T) {
	fs := FlagSet()
	defaults := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { defaults[f.Name] = f.DefValue })
	for name, def := range map[string]string{
		"service": "", "namespace": "", "image": "", "helmrelease": "", "kubeconfig": "", "context": "",
		"timeout": "15m0s", "soak": "2m0s", "diagnostics": "",
	} {
		if assert.Contains(t, defaults, name) {
			assert.Equal(t, def, defaults[name], "-%s default", name)
		}
	}
	assert.Equal(t, []string{"api-grace", "container", "context", "deployment", "diagnostics", "helmrelease", "image", "interval",
		"kubeconfig", "namespace", "ready-timeout", "service", "soak", "timeout"}, sortedKeys(defaults))
	assert.Equal(t, "5m0s", defaults["ready-timeout"])
	assert.Equal(t, "5s", defaults["interval"])
	assert.Equal(t, "1m0s", defaults["api-grace"])
}

// run calls the command with a fake cluster (or connect's error) and returns exit code, stdout, stderr.
func run(t *testing.T, c *cluster, connectErr error, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	env := Env{Connect: func(kubeconfig, context string) (*Clients, error) {
		if connectErr != nil {
			return nil, connectErr
		}
		return c.clients, nil
	}}
	if c != nil {
		env.Clock = c.clock
	}
	code := Command(context.Background(), args, &stdout, &stderr, env)
	return code, stdout.String(), stderr.String()
}

func TestCommandUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // lines in stderr
	}{
		{"no subcommand", nil, []string{"the first argument must be the subcommand verify", "usage: rollout verify"}},
		{"another subcommand", []string{"undo"}, []string{"the first argument must be the subcommand verify"}},
		{"nothing given: every required flag at once", []string{"verify"}, []string{
			"rollout verify: -image is required (e.g. -image myacr.azurecr.io/user-service:1.4.2)",
			"rollout verify: -namespace is required (the service's namespace)",
			"rollout verify: -service is required (e.g. -service user-service)",
		}},
		{"bad values", []string{"verify", "-service", "User_Service", "-namespace", "ns", "-image", "user-service:1.4.2", "-helmrelease", "a/b/c",
			"-timeout", "1m", "-soak", "2m", "-ready-timeout", "0s", "-interval", "-1s", "-api-grace", "0s"}, []string{
			`-service "User_Service" is not a Kubernetes name`,
			`-image: image "user-service:1.4.2" has no registry`,
			`-helmrelease "a/b/c": want NAMESPACE/NAME or NAME`,
			"-soak 2m0s must be shorter than -timeout 1m0s, which includes it",
			"-ready-timeout 0s: must be positive",
			"-interval -1s: must be positive",
			"-api-grace 0s: must be positive",
		}},
		{"no tag", []string{"verify", "-service", "s", "-namespace", "n", "-image", "acr.azurecr.io/s"}, []string{`has no tag`}},
		{"bad digest", []string{"verify", "-service", "s", "-namespace", "n", "-image", "acr.azurecr.io/s:1@sha256:abc"}, []string{`is not sha256:<64 lowercase hex digits>`}},
		{"unknown flag", []string{"verify", "-tag", "1.4.2"}, []string{"flag provided but not defined: -tag"}},
		{"positional arguments", []string{"verify", "-service", "s", "-namespace", "n", "-image", "acr.azurecr.io/s:1", "extra"}, []string{`unexpected arguments ["extra"]`}},
		{"negative soak", []string{"verify", "-service", "s", "-namespace", "n", "-image", "acr.azurecr.io/s:1", "-soak", "-1s"}, []string{"-soak -1s: must not be negative"}},
		{"no timeout", []string{"verify", "-service", "s", "-namespace", "n", "-image", "acr.azurecr.io/s:1", "-timeout", "0s"}, []string{"-timeout 0s: must be positive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			connected := false
			var stdout, stderr strings.Builder
			code := Command(context.Background(), tt.args, &stdout, &stderr, Env{Connect: func(string, string) (*Clients, error) {
				connected = true
				return nil, errors.New("must not connect")
			}})
			assert.Equal(t, ExitUsage, code)
			assert.Equal(t, 3, code)
			assert.False(t, connected, "a usage error never reaches the cluster")
			for _, w := range tt.want {
				assert.Contains(t, stderr.String(), w)
			}
		})
	}
}

func TestCommandHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"help"}, {"verify", "-h"}} {
		var stdout, stderr strings.Builder
		code := Command(context.Background(), args, &stdout, &stderr, Env{})
		assert.Equal(t, 0, code, args)
		assert.Contains(t, stdout.String()+stderr.String(), "Exit codes: 0 rollout complete and healthy, 1 rollout failed", args)
		assert.Contains(t, stdout.String()+stderr.String(), "-diagnostics", args)
	}
}

var verifyArgs = []string{"verify", "-service", svc, "-namespace", ns, "-image", newImage, "-helmrelease", "flux-system/" + svc,
	"-kubeconfig", "/agent/kubeconfig", "-context", "aks-dev", "-timeout", "10m", "-soak", "1m"}

func TestCommandOutcomes(t *testing.T) {
	t.Run("success: exit 0, no diagnostics", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "diag")
		code, stdout, _ := run(t, newCluster(t, done()...), nil, append(verifyArgs, "-diagnostics", dir)...)
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "rollout verified: Deployment user-service/user-service runs "+newImage)
		assert.NoDirExists(t, dir)
	})
	t.Run("failure: exit 1, the reason on stdout, diagnostics written", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "diag")
		p := pod("k8m2q", newHash, newImage, waitingFor("ImagePullBackOff", "Back-off pulling image"))
		code, stdout, _ := run(t, newCluster(t, upgradingWith(p)...), nil, append(verifyArgs, "-diagnostics", dir)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, stdout, "rollout FAILED: Pod user-service/user-service-"+newHash+"-k8m2q container user-service: ImagePullBackOff")
		assert.Contains(t, stdout, "diagnostics written to "+dir)
		assert.FileExists(t, filepath.Join(dir, "summary.txt"))
		assert.FileExists(t, filepath.Join(dir, "pods", "user-service-"+newHash+"-k8m2q.txt"))
	})
	t.Run("timeout: exit 2, diagnostics written", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "diag")
		code, stdout, _ := run(t, newCluster(t, steady()...), nil, append(verifyArgs, "-timeout", "3m", "-diagnostics", dir)...)
		assert.Equal(t, 2, code)
		assert.Contains(t, stdout, "could not tell: timed out after 3m0s")
		assert.Contains(t, read(t, dir, "summary.txt"), "outcome:      unknown (exit code 2)")
	})
	t.Run("the flags reach the verifier", func(t *testing.T) {
		c := newCluster(t, done()...)
		var gotConfig, gotContext string
		var stdout strings.Builder
		code := Command(context.Background(), append(verifyArgs, "-soak", "0s"), &stdout, &strings.Builder{}, Env{Clock: c.clock,
			Connect: func(kubeconfig, context string) (*Clients, error) {
				gotConfig, gotContext = kubeconfig, context
				return c.clients, nil
			}})
		assert.Equal(t, 0, code)
		assert.Equal(t, "/agent/kubeconfig", gotConfig)
		assert.Equal(t, "aks-dev", gotContext)
		assert.Contains(t, stdout.String(), "(HelmRelease flux-system/user-service, timeout 10m0s, soak 0s)")
	})
	t.Run("cannot connect: exit 2", func(t *testing.T) {
		code, stdout, _ := run(t, nil, errors.New("kubeconfig: no such file"), verifyArgs...)
		assert.Equal(t, 2, code)
		assert.Contains(t, stdout, "could not tell: cannot reach the cluster: kubeconfig: no such file")
	})
}

// The real client construction, against an API server that does not answer: the kubeconfig is
// read with client-go's clientcmd, every call fails, and after -api-grace the exit code is 2.
func TestCommandAPIUnreachable(t *testing.T) {
	dir := t.TempDir()
	kubeconfig := filepath.Join(dir, "kubeconfig")
	require.NoError(t, os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters:
- name: aks
  cluster:
    server: https://127.0.0.1:1
    insecure-skip-tls-verify: true
users:
- name: pipeline
  user:
    token: not-a-real-token
contexts:
- name: aks-dev
  context: {cluster: aks, user: pipeline}
current-context: aks-dev
`), 0o600))
	clock := &fakeClock{now: t0}
	var stdout, stderr strings.Builder
	start := time.Now()
	code := Command(context.Background(), []string{"verify", "-service", svc, "-namespace", ns, "-image", newImage,
		"-kubeconfig", kubeconfig, "-api-grace", "15s", "-diagnostics", filepath.Join(dir, "diag")}, &stdout, &stderr, Env{Clock: clock})
	assert.Equal(t, 2, code, stdout.String()+stderr.String())
	assert.Contains(t, stdout.String(), "could not tell: the Kubernetes API failed for 15s")
	assert.Contains(t, stdout.String(), "127.0.0.1:1")
	assert.Contains(t, read(t, filepath.Join(dir, "diag"), "errors.txt"), "no observation of the cluster succeeded")
	assert.Less(t, time.Since(start), 20*time.Second, "connection refused is immediate; the fake clock does the waiting")

	t.Run("a kubeconfig that does not exist", func(t *testing.T) {
		var stdout strings.Builder
		code := Command(context.Background(), []string{"verify", "-service", svc, "-namespace", ns, "-image", newImage,
			"-kubeconfig", filepath.Join(dir, "missing")}, &stdout, &strings.Builder{}, Env{Clock: clock})
		assert.Equal(t, 2, code)
		assert.Contains(t, stdout.String(), "could not tell: cannot reach the cluster: kubeconfig:")
	})
	t.Run("an unknown context", func(t *testing.T) {
		var stdout strings.Builder
		code := Command(context.Background(), []string{"verify", "-service", svc, "-namespace", ns, "-image", newImage,
			"-kubeconfig", kubeconfig, "-context", "aks-prod"}, &stdout, &strings.Builder{}, Env{Clock: clock})
		assert.Equal(t, 2, code)
		assert.Contains(t, stdout.String(), `context "aks-prod" does not exist`)
	})
}

func TestCommandInterrupted(t *testing.T) {
	c := newCluster(t, steady()...)
	ctx, cancel := context.WithCancel(context.Background())
	c.at(10*time.Second, func(*cluster) { cancel() })
	dir := filepath.Join(t.TempDir(), "diag")
	var stdout strings.Builder
	code := Command(ctx, append(verifyArgs, "-diagnostics", dir), &stdout, &strings.Builder{}, Env{Clock: c.clock,
		Connect: func(string, string) (*Clients, error) { return c.clients, nil }})
	assert.Equal(t, 2, code)
	assert.Contains(t, stdout.String(), "could not tell: interrupted (context canceled)")
	assert.FileExists(t, filepath.Join(dir, "summary.txt"), "diagnostics are written even when the job is cancelled")
}
