// Package tests holds the mock tests of components and layers, and the harness they share: run
// the platform (or any program) under the Pulumi mock monitor for an environment, then query what
// was registered (by type, by name, by parent) and the exported outputs.
//
// Nothing here touches global state or environment variables: every run gets its own mock
// monitor and its configuration explicitly, so tests call t.Parallel freely.
package tests

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/offline"
)

// RepoRoot is the repository's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// Examples are the environments the repository ships as worked examples rather than as settings
// at its root, by name, with their settings file relative to the root (README, "A third
// environment: staging"). Their GitOps entry point is made as the README says: see EnvironmentTree.
var Examples = map[string]string{"staging": "examples/staging/Pulumi.staging.yaml"}

// SettingsFile is the settings file of an environment: Pulumi.<env>.yaml at the repository root,
// or an example's.
func SettingsFile(env string) string {
	if rel, ok := Examples[env]; ok {
		return filepath.Join(RepoRoot(), rel)
	}
	return filepath.Join(RepoRoot(), "Pulumi."+env+".yaml")
}

// Config returns the shipped settings of an environment (SettingsFile) with overrides applied.
// Override keys are platform keys without the namespace ("sql"); values are what the engine
// hands the program: plain strings, or JSON for objects and lists. A "<delete>" value removes the
// key.
func Config(t testing.TB, env string, overrides map[string]string) map[string]string {
	t.Helper()
	all, err := config.ReadStackFile(SettingsFile(env))
	require.NoError(t, err, "read the settings of %s", env)
	for k, v := range overrides {
		key := config.Namespace + ":" + k
		if v == "<delete>" {
			delete(all, key)
			continue
		}
		all[key] = v
	}
	return all
}

// JSON encodes v for use as a config override.
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Plan runs the real program for an environment config in a mode (offline.Layered or
// offline.Single) and fails the test on any error.
func Plan(t testing.TB, env, mode string, cfg map[string]string) *offline.Plan {
	t.Helper()
	p, err := TryPlan(env, mode, cfg)
	require.NoError(t, err, "plan %s/%s", env, mode)
	return p
}

// TryPlan is Plan returning the error.
func TryPlan(env, mode string, cfg map[string]string) (*offline.Plan, error) {
	return offline.Run(offline.Options{Environment: env, Mode: mode, Config: cfg, Layers: layers.Order}, layers.Run)
}

// PlanUpTo runs the layered plan of an environment up to and including one layer (base,
// identity, aks or flux), each layer reading its upstream through StackReferences.
func PlanUpTo(t testing.TB, env, layer string, cfg map[string]string) *offline.Plan {
	t.Helper()
	p, err := offline.Run(offline.Options{Environment: env, Mode: offline.Layered, Config: cfg, Layers: layers.Order, UpTo: layer}, layers.Run)
	require.NoError(t, err, "plan %s up to %s", env, layer)
	return p
}

// RunProgram runs any program body as one stack (project "test", stack "dev") under the mocks, for
// component tests, and returns what it registered.
func RunProgram(t testing.TB, body func(ctx *pulumi.Context) error) *offline.Stack {
	t.Helper()
	s, err := TryRunProgram(body)
	require.NoError(t, err, "program")
	return s
}

// TryRunProgram is RunProgram returning the error.
func TryRunProgram(body func(ctx *pulumi.Context) error) (*offline.Stack, error) {
	return offline.RunStack(offline.StackSpec{Project: "test", Stack: "dev"}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		return nil, body(ctx)
	})
}

// One returns the only resource of a type token in the stack, failing otherwise.
func One(t testing.TB, s *offline.Stack, token string) *offline.Resource {
	t.Helper()
	rs := s.ByType(token)
	require.Len(t, rs, 1, "want exactly one %s in stack %s, got %v", token, s.Name, names(rs))
	return rs[0]
}

// Named returns the resource of a type and logical name, failing when absent.
func Named(t testing.TB, s *offline.Stack, token, name string) *offline.Resource {
	t.Helper()
	r := s.Named(token, name)
	require.NotNil(t, r, "no %s named %q in stack %s; have %v", token, name, s.Name, names(s.ByType(token)))
	return r
}

func names(rs []*offline.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

// Get reads a value at a dotted path from a property map, e.g. "properties.networkAcls.bypass" or
// "securityRules[0].access". Secrets read as "[secret]". ok is false when the path is absent.
func Get(m resource.PropertyMap, path string) (any, bool) {
	var cur any = offline.Plain(resource.NewProperty(m))
	for _, part := range splitPath(path) {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[part]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

func splitPath(path string) []string {
	path = strings.ReplaceAll(path, "[", ".")
	path = strings.ReplaceAll(path, "]", "")
	return strings.Split(path, ".")
}

// In returns the input at path, failing the test when it is absent.
func In(t testing.TB, r *offline.Resource, path string) any {
	t.Helper()
	v, ok := Get(r.Inputs, path)
	require.True(t, ok, "%s: no input %s", r.Key(), path)
	return v
}

// Out returns the output at path, failing the test when it is absent.
func Out(t testing.TB, r *offline.Resource, path string) any {
	t.Helper()
	v, ok := Get(r.Outputs, path)
	require.True(t, ok, "%s: no output %s", r.Key(), path)
	return v
}

// Equal checks (assert: the test goes on) that the input at path equals want, compared as JSON so
// 2 and 2.0 are equal and maps compare by content. The message names the resource and the path.
// It reports whether the check passed.
func Equal(t testing.TB, r *offline.Resource, path string, want any) bool {
	t.Helper()
	got, ok := Get(r.Inputs, path)
	if !assert.True(t, ok, "%s: no input %s (want %s)", r.Key(), path, JSON(want)) {
		return false
	}
	return assert.Equal(t, normalize(want), normalize(got), "%s: input %s", r.Key(), path)
}

// Absent checks (assert) that the input at path does not exist, naming the resource and the path.
// It reports whether the check passed.
func Absent(t testing.TB, r *offline.Resource, path string) bool {
	t.Helper()
	v, ok := Get(r.Inputs, path)
	return assert.False(t, ok, "%s: input %s = %s, want it absent", r.Key(), path, JSON(v))
}

func normalize(v any) any {
	var out any
	if err := json.Unmarshal([]byte(JSON(v)), &out); err != nil {
		panic(fmt.Sprint(err))
	}
	return out
}

// Output returns a stack output as plain data, failing when absent.
func Output(t testing.TB, s *offline.Stack, key string) any {
	t.Helper()
	v, ok := s.Outputs[resource.PropertyKey(key)]
	require.True(t, ok, "stack %s exports no %s", s.Name, key)
	return offline.Plain(v)
}

// ErrorMentions requires err to be an error (the test stops otherwise) and checks (assert) that
// it mentions every one of wants; each missing mention is reported. It reports whether every
// mention was found.
func ErrorMentions(t testing.TB, err error, wants ...string) bool {
	t.Helper()
	require.Error(t, err, "want an error mentioning %q", wants)
	ok := true
	for _, w := range wants {
		ok = assert.ErrorContains(t, err, w) && ok
	}
	return ok
}
