package offline_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/offline"
)

type fakeResource struct{ pulumi.CustomResourceState }

// vnetProgram registers one VNet in every stack, at the given location: a stand-in for the real
// program, so the command's diff flags are tested without compiling the Azure SDK.
func vnetProgram(location string) offline.Program {
	return func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		var r fakeResource
		err := ctx.RegisterResource("azure-native:network:VirtualNetwork", "vnet", pulumi.Map{
			"location":           pulumi.String(location),
			"virtualNetworkName": pulumi.String("vnet-" + ctx.Project()),
			"resourceGroupName":  pulumi.String("rg"),
		}, &r)
		return map[string]pulumi.Output{}, err
	}
}

func run(t *testing.T, program offline.Program, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"-config", filepath.Join("..", "Pulumi.dev.yaml")}, args...)
	err := offline.Command(args, &stdout, &stderr, []string{"base", "identity"}, program)
	return stdout.String(), stderr.String(), err
}

// TestCommandDiff: -diff compares the plan with an earlier -json plan and prints the changes
// instead of the plan; -diff-md and -diff-json write the other forms; -q prints the summary line.
func TestCommandDiff(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	_, _, err := run(t, vnetProgram("westeurope"), "-env", "dev", "-json", old, "-q")
	require.NoError(t, err)

	stdout, _, err := run(t, vnetProgram("westeurope"), "-env", "dev", "-diff", old)
	require.NoError(t, err)
	assert.Equal(t, "Offline plan diff of environment \"dev\" against old.json: 0 to create, 0 to delete, 0 to update, 0 to replace\nNo changes.\n", stdout)

	md, js := filepath.Join(dir, "diff.md"), filepath.Join(dir, "diff.json")
	stdout, _, err = run(t, vnetProgram("northeurope"), "-env", "dev", "-diff", old, "-diff-md", md, "-diff-json", js, "-diff-label", "`main`")
	require.NoError(t, err)
	assert.Contains(t, stdout, "against `main`: 0 to create, 0 to delete, 0 to update, 2 to replace")
	assert.Contains(t, stdout, "== Stack organization/platform-identity/dev (identity)")
	assert.Contains(t, stdout, `~ location: "westeurope" => "northeurope"  (forces replacement)`)
	mdText, err := os.ReadFile(md)
	require.NoError(t, err)
	assert.Contains(t, string(mdText), "| `base` | 0 | 0 | 0 | 1 |\n| `identity` | 0 | 0 | 0 | 1 |\n")
	jsText, err := os.ReadFile(js)
	require.NoError(t, err)
	assert.Contains(t, string(jsText), `"path": "location"`)

	stdout, _, err = run(t, vnetProgram("northeurope"), "-env", "dev", "-diff", old, "-q")
	require.NoError(t, err)
	assert.Equal(t, "environment dev against old.json: 0 to create, 0 to delete, 0 to update, 2 to replace\n", stdout)
}

// TestCommandDiffFlagErrors: the diff outputs need -diff, an unreadable or foreign -diff file and a
// plan of the other mode fail the command before or instead of printing anything.
func TestCommandDiffFlagErrors(t *testing.T) {
	dir := t.TempDir()
	single := filepath.Join(dir, "single.json")
	_, _, err := run(t, vnetProgram("westeurope"), "-env", "dev", "-mode", "single", "-json", single, "-q")
	require.NoError(t, err)
	notPlan := filepath.Join(dir, "x.json")
	require.NoError(t, os.WriteFile(notPlan, []byte(`{"hello": 1}`), 0o644))

	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"-env", "dev", "-diff-md", "x.md", "-diff-json", "x.json"}, []string{"-diff-json needs -diff OLD.json", "-diff-md needs -diff OLD.json"}},
		{[]string{"-mode", "double", "-diff-label", "x"}, []string{"-env is required", `-mode "double"`, "-diff-label needs -diff"}},
		{[]string{"-env", "dev", "-diff", filepath.Join(dir, "missing.json")}, []string{"-diff:", "missing.json"}},
		{[]string{"-env", "dev", "-diff", notPlan}, []string{"not a plan file written by -json"}},
		{[]string{"-env", "dev", "-diff", single}, []string{"cannot compare a single plan with a layered plan"}},
	} {
		stdout, _, err := run(t, vnetProgram("westeurope"), tt.args...)
		require.Error(t, err, "%v", tt.args)
		for _, w := range tt.want {
			assert.Contains(t, err.Error(), w, "%v", tt.args)
		}
		assert.Empty(t, stdout)
	}
}

// TestFlagSet: the exported flag set is the command's own (the pipelines' checks rely on it).
func TestFlagSet(t *testing.T) {
	var names []string
	offline.FlagSet().VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	assert.Subset(t, names, []string{"env", "mode", "json", "config", "q", "diff", "diff-md", "diff-json", "diff-label"})
}
