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

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/offline"
)

// RepoRoot is the repository's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// Config returns the shipped settings of an environment (Pulumi.<env>.yaml) with overrides
// applied. Override keys are platform keys without the namespace ("sql"); values are what the
// engine hands the program: plain strings, or JSON for objects and lists. A "<delete>" value
// removes the key.
func Config(t testing.TB, env string, overrides map[string]string) map[string]string {
	t.Helper()
	all, err := config.ReadStackFile(filepath.Join(RepoRoot(), "Pulumi."+env+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatalf("plan %s/%s: %v", env, mode, err)
	}
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
	if err != nil {
		t.Fatalf("plan %s up to %s: %v", env, layer, err)
	}
	return p
}

// RunProgram runs any program body as one stack (project "test", stack "dev") under the mocks, for
// component tests, and returns what it registered.
func RunProgram(t testing.TB, body func(ctx *pulumi.Context) error) *offline.Stack {
	t.Helper()
	s, err := TryRunProgram(body)
	if err != nil {
		t.Fatalf("program: %v", err)
	}
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
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, got %d: %v", token, len(rs), names(rs))
	}
	return rs[0]
}

// Named returns the resource of a type and logical name, failing when absent.
func Named(t testing.TB, s *offline.Stack, token, name string) *offline.Resource {
	t.Helper()
	r := s.Named(token, name)
	if r == nil {
		t.Fatalf("no %s named %q; have %v", token, name, names(s.ByType(token)))
	}
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
	if !ok {
		t.Fatalf("%s: no input %s", r.Key(), path)
	}
	return v
}

// Out returns the output at path, failing the test when it is absent.
func Out(t testing.TB, r *offline.Resource, path string) any {
	t.Helper()
	v, ok := Get(r.Outputs, path)
	if !ok {
		t.Fatalf("%s: no output %s", r.Key(), path)
	}
	return v
}

// Equal fails the test when the input at path differs from want (compared as JSON, so 2 and 2.0
// are equal and maps compare by content).
func Equal(t testing.TB, r *offline.Resource, path string, want any) {
	t.Helper()
	got, ok := Get(r.Inputs, path)
	if !ok {
		t.Errorf("%s: no input %s (want %v)", r.Key(), path, want)
		return
	}
	if JSON(got) != JSON(normalize(want)) {
		t.Errorf("%s: input %s = %s, want %s", r.Key(), path, JSON(got), JSON(normalize(want)))
	}
}

// Absent fails the test when the input at path exists.
func Absent(t testing.TB, r *offline.Resource, path string) {
	t.Helper()
	if v, ok := Get(r.Inputs, path); ok {
		t.Errorf("%s: input %s = %s, want it absent", r.Key(), path, JSON(v))
	}
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
	if !ok {
		t.Fatalf("stack %s exports no %s", s.Name, key)
	}
	return offline.Plain(v)
}

// ErrorMentions fails the test unless err is an error mentioning every one of wants; each
// missing mention is reported.
func ErrorMentions(t testing.TB, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error mentioning %q", wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}
