package pulumiproject_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/azure-saas-platform/platform/pulumiproject"
)

type project struct {
	Name           string `yaml:"name"`
	Main           string `yaml:"main"`
	StackConfigDir string `yaml:"stackConfigDir"`
	Runtime        struct {
		Name    string         `yaml:"name"`
		Options map[string]any `yaml:"options"`
	} `yaml:"runtime"`
}

func decode(t *testing.T, b []byte) project {
	t.Helper()
	var p project
	require.NoError(t, yaml.Unmarshal(b, &p))
	return p
}

// TestSetBinaryOnTheLayerProjects: every shipped layer project gets runtime {name: go, options:
// {binary: ...}} and keeps its name, main, stackConfigDir and comments; a second run changes nothing.
func TestSetBinaryOnTheLayerProjects(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "stacks", "*", "Pulumi.yaml"))
	require.NoError(t, err)
	require.Len(t, files, 4)
	for _, f := range files {
		in, err := os.ReadFile(f)
		require.NoError(t, err)
		out, err := pulumiproject.SetBinary(in, "/work/bin/platform")
		require.NoError(t, err, f)
		var before map[string]any
		require.NoError(t, yaml.Unmarshal(in, &before))
		after := decode(t, out)
		assert.Equal(t, before["name"], after.Name)
		assert.Equal(t, "../../", after.Main)
		assert.Equal(t, "../../", after.StackConfigDir)
		assert.Equal(t, "go", after.Runtime.Name)
		assert.Equal(t, map[string]any{"binary": "/work/bin/platform"}, after.Runtime.Options)
		assert.Contains(t, string(out), "# The ", "the header comment is kept")
		again, err := pulumiproject.SetBinary(out, "/work/bin/platform")
		require.NoError(t, err)
		assert.Equal(t, string(out), string(again))
	}
}

// TestSetBinaryKeepsOtherOptionsAndRefusesWhatTheRuntimeRefuses.
func TestSetBinaryKeepsOtherOptionsAndRefusesWhatTheRuntimeRefuses(t *testing.T) {
	out, err := pulumiproject.SetBinary([]byte("name: p\nruntime:\n  name: go\n  options:\n    binary: old\n    other: 1\n"), "/new")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"binary": "/new", "other": 1}, decode(t, out).Runtime.Options)

	for _, tt := range []struct{ in, binary, want string }{
		{"name: p\nruntime: nodejs\n", "/b", `runtime "nodejs": want go`},
		{"name: p\nruntime:\n  name: python\n", "/b", "runtime.name: want go"},
		{"name: p\n", "/b", "no runtime key"},
		{"name: p\nruntime:\n  name: go\n  options:\n    buildTarget: out\n", "/b", "buildTarget is set"},
		{"name: p\nruntime: go\n", "bin/platform", `binary "bin/platform": want an absolute path`},
		{"- a\n", "/b", "not a Pulumi project"},
	} {
		_, err := pulumiproject.SetBinary([]byte(tt.in), tt.binary)
		assert.ErrorContains(t, err, tt.want, tt.in)
	}
}

// TestCommand: the binary is made executable and every project under -stacks points at its
// absolute path; a missing binary or an empty stacks directory fails.
func TestCommand(t *testing.T) {
	dir := t.TempDir()
	for _, l := range []string{"base", "aks"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "stacks", l), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", l, "Pulumi.yaml"), []byte("name: platform-"+l+"\nruntime: go\nmain: ../../\n"), 0o644))
	}
	bin := filepath.Join(dir, "platform")
	require.NoError(t, os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o644))

	var stdout, stderr bytes.Buffer
	require.NoError(t, pulumiproject.Command([]string{"-binary", bin, "-stacks", filepath.Join(dir, "stacks")}, &stdout, &stderr))
	info, err := os.Stat(bin)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm())
	for _, l := range []string{"aks", "base"} {
		b, err := os.ReadFile(filepath.Join(dir, "stacks", l, "Pulumi.yaml"))
		require.NoError(t, err)
		assert.Equal(t, bin, decode(t, b).Runtime.Options["binary"])
		assert.Contains(t, stdout.String(), filepath.Join(dir, "stacks", l, "Pulumi.yaml")+": runtime.options.binary = "+bin)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "-binary is required"},
		{[]string{"-binary", filepath.Join(dir, "missing")}, "no such file"},
		{[]string{"-binary", dir}, "not a file"},
		{[]string{"-binary", bin, "-stacks", t.TempDir()}, "no "},
		{[]string{"-binary", bin, "extra"}, `unexpected arguments ["extra"]`},
	} {
		err := pulumiproject.Command(tt.args, &stdout, &stderr)
		assert.ErrorContains(t, err, tt.want, "%v", tt.args)
	}
}
