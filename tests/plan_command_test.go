package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/offline"
)

// planCommand runs the plan command (cmd/plan's offline.Command) with the real program and
// returns what it wrote and its error.
func planCommand(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = offline.Command(args, &out, &errOut, layers.Order, layers.Run)
	return out.String(), errOut.String(), err
}

// shippedConfig is the path of an environment's settings file in the repository (the command's
// default is relative to the working directory, which for tests is tests/).
func shippedConfig(env string) string {
	return filepath.Join(RepoRoot(), "Pulumi."+env+".yaml")
}

// warningLines is what the plan command prints on stderr for a settings file: one line per
// warning config.Load gives offline.
func warningLines(t *testing.T, path string) string {
	t.Helper()
	all, err := config.ReadStackFile(path)
	require.NoError(t, err)
	_, warnings, err := config.Load(all, config.Offline)
	require.NoError(t, err)
	var b strings.Builder
	for _, w := range warnings {
		b.WriteString("warning: " + w.Error() + "\n")
	}
	return b.String()
}

// TestPlanCommandWarnsOfPlaceholders: the plan of a settings file with placeholders succeeds and
// lists each one on stderr, naming the key and what replaces it; a deployment would refuse them.
func TestPlanCommandWarnsOfPlaceholders(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := planCommand("-env", "dev", "-config", shippedConfig("dev"), "-q")
	require.NoError(t, err)
	assert.Contains(t, stdout, "environment dev, mode layered: 4 stacks")
	assert.Contains(t, stderr, `warning: platform:pipeline.azureDevOps.issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0": is a placeholder (the all-zero GUID 00000000-0000-0000-0000-000000000000): replace it with the Issuer your workload-identity service connection shows`)
	assert.Contains(t, stderr, `warning: platform:aks.authorizedIpRanges[0] = "203.0.113.0/24": is a placeholder (the documentation range 203.0.113.0/24 of RFC 5737): replace it with the public CIDRs your operators and pipeline agents reach the API server from before a real preview or up`)
	assert.Equal(t, warningLines(t, shippedConfig("dev")), stderr)
}

// TestPlanCommandRefusesBadFlags: the command fails, before running anything, without -env, with
// an unknown -mode, an unknown flag or a stray argument; usage goes to stderr.
func TestPlanCommandRefusesBadFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no env", nil, "-env is required"},
		{"no env, other flags", []string{"-mode", "single", "-q"}, "-env is required"},
		{"bad mode", []string{"-env", "dev", "-mode", "double"}, `-mode "double": want layered or single`},
		{"unknown flag", []string{"-env", "dev", "-verbose"}, "flag provided but not defined: -verbose"},
		{"stray argument", []string{"-env", "dev", "prod"}, `unexpected arguments ["prod"]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, err := planCommand(tt.args...)
			require.ErrorContains(t, err, tt.want)
			assert.Empty(t, stdout, "wrote to stdout")
			if tt.name == "unknown flag" {
				assert.Contains(t, stderr, "Usage of plan", "no usage on stderr")
			}
		})
	}
}

// TestPlanCommandListsEveryConfigMistake: a settings file with several mistakes fails the command
// with every mistake named (key and bad value), and nothing is planned.
func TestPlanCommandListsEveryConfigMistake(t *testing.T) {
	t.Parallel()
	shipped, err := os.ReadFile(shippedConfig("dev"))
	require.NoError(t, err)
	bad := string(shipped)
	for _, edit := range [][2]string{
		{"platform:prefix: saas\n", "platform:prefix: \"Bad Prefix!\"\n"},
		{"  platform:agc:\n", "  platform:agc:\n    wafMode: Block\n"},
		{"    wafMode: Prevention\n", ""}, // dev's only Prevention is agc's
		{"  platform:acr:\n    sku: Standard\n", "  platform:acr:\n    sku: Gold\n"},
		{"  platform:environment: dev\n", "  platform:environment: dev\n  platform:bogus: 1\n"},
	} {
		require.Contains(t, bad, edit[0], "the shipped dev file")
		bad = strings.Replace(bad, edit[0], edit[1], 1)
	}
	path := filepath.Join(t.TempDir(), "Pulumi.dev.yaml")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
	stdout, _, err := planCommand("-env", "dev", "-config", path)
	ErrorMentions(t, err,
		"4 configuration problem(s)",
		`platform:prefix = "Bad Prefix!"`,
		`platform:agc.wafMode = "Block"`,
		`platform:acr.sku = "Gold"`,
		`platform:bogus = "1": is not a platform setting`,
	)
	assert.Empty(t, stdout, "planned despite the mistakes")
}

// TestPlanCommandQuietAndJSON: -q prints only the summary line, with the numbers of the plan;
// -json writes the plan in the documented shape.
func TestPlanCommandQuietAndJSON(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "plan.json")
	stdout, stderr, err := planCommand("-env", "prod", "-config", shippedConfig("prod"), "-q", "-json", file)
	require.NoError(t, err)
	assert.Equal(t, warningLines(t, shippedConfig("prod")), stderr, "stderr: the settings' warnings, nothing else")
	p := Plan(t, "prod", offline.Layered, Config(t, "prod", nil))
	assert.Equal(t, fmt.Sprintf("environment prod, mode layered: 4 stacks, %d resources\n", p.Count()), stdout, "-q printed")

	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc struct {
		Environment string `json:"environment"`
		Mode        string `json:"mode"`
		Stacks      []struct {
			Layer     string                       `json:"layer"`
			Stack     string                       `json:"stack"`
			Resources []map[string]json.RawMessage `json:"resources"`
			Outputs   map[string]any               `json:"outputs"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	assert.Equal(t, "prod", doc.Environment, "environment")
	assert.Equal(t, "layered", doc.Mode, "mode")
	require.Len(t, doc.Stacks, len(layers.Order), "stacks")
	total := 0
	for i, s := range doc.Stacks {
		layer := layers.Order[i]
		assert.Equal(t, layer, s.Layer, "stack %d: layer", i)
		assert.Equal(t, "organization/platform-"+layer+"/prod", s.Stack, "stack %d: stack", i)
		assert.NotEmpty(t, s.Outputs, "%s: no outputs", s.Stack)
		total += len(s.Resources)
		for _, r := range s.Resources {
			for _, key := range []string{"type", "name", "parent", "custom", "protect", "dependsOn", "inputs"} {
				require.Contains(t, r, key, "%s: a resource lacks %q: %s", s.Stack, key, JSON(r))
			}
		}
	}
	assert.Equal(t, p.Count(), total, "resources in the JSON, compared with the plan")
	// A protected resource of prod and its parent, as "<type>::<name>".
	var found bool
	for _, r := range doc.Stacks[2].Resources {
		if string(r["type"]) == `"azure-native:containerservice/v20240902preview:ManagedCluster"` {
			found = true
			assert.Equal(t, "true", string(r["protect"]), "cluster in the JSON: protect")
			assert.Equal(t, `"platform:cluster:Cluster::cluster"`, string(r["parent"]), "cluster in the JSON: parent")
			assert.Equal(t, "true", string(r["custom"]), "cluster in the JSON: custom")
		}
	}
	assert.True(t, found, "no cluster in the aks stack of the JSON")
}

// TestPlanCommandText: the human output is a tree per stack (each component with its children
// indented below it) and a count by type per stack and overall, matching the plan.
func TestPlanCommandText(t *testing.T) {
	t.Parallel()
	stdout, _, err := planCommand("-env", "dev", "-config", shippedConfig("dev"), "-mode", "single")
	require.NoError(t, err)
	p := Plan(t, "dev", offline.Single, Config(t, "dev", nil))
	lines := strings.Split(stdout, "\n")
	assert.Equal(t, fmt.Sprintf("Offline plan of environment %q, mode single: 1 stack(s), %d resources", "dev", p.Count()), lines[0], "first line")
	assert.Contains(t, stdout, "\n== Stack organization/platform/dev (all layers): ", "no stack heading")

	// The tree: the aks layer's component, the cluster component one level below it, the
	// managed cluster one level below that, all before the next line at the layer's level.
	tree := []string{
		"  platform:layer:AKS  aks",
		"    platform:cluster:Cluster  cluster",
		"      azure-native:containerservice/v20240902preview:ManagedCluster  cluster",
	}
	at := -1
	for i, l := range lines {
		if l == tree[0] {
			at = i
		}
	}
	require.GreaterOrEqual(t, at, 0, "no line %q in:\n%s", tree[0], stdout)
	want := 1
	for _, l := range lines[at+1:] {
		if indent(l) <= indent(tree[0]) {
			break
		}
		if want < len(tree) && l == tree[want] {
			want++
		}
	}
	assert.Equal(t, len(tree), want, "lines of %q found in this order, each below the one before it in the tree", tree)

	// Counts by type: the stack's section and the overall one both match the plan.
	counts := map[string]int{}
	for _, r := range p.Stacks[0].Resources {
		counts[r.Type]++
	}
	for _, heading := range []string{"  resources by type:", fmt.Sprintf("== Resources by type, all stacks: %d", p.Count())} {
		assert.Equal(t, counts, countsAfter(t, lines, heading), heading)
	}
}

func indent(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

var reCount = regexp.MustCompile(`^\s+(\d+)  (\S+)$`)

// countsAfter reads the "<count>  <type>" lines following a heading line.
func countsAfter(t *testing.T, lines []string, heading string) map[string]int {
	t.Helper()
	for i, l := range lines {
		if l != heading {
			continue
		}
		out := map[string]int{}
		for _, c := range lines[i+1:] {
			m := reCount.FindStringSubmatch(c)
			if m == nil {
				break
			}
			n, _ := strconv.Atoi(m[1])
			out[m[2]] = n
		}
		return out
	}
	require.Failf(t, "missing heading", "no line %q", heading)
	return nil

}
