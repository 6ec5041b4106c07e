package charts

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// badValues are the files in testdata/bad, each laid over user-service's dev values, with what
// the refusal must say: the value it names and, for the template rules, why. schema marks the
// refusals values.schema.json makes (helm lint makes them too); the others come from
// templates/_validate.tpl and show when rendering.
var badValues = map[string]struct {
	want   []string
	schema bool
}{
	"missing-image.yaml":                         {want: []string{"at '/image/repository'", "minLength"}, schema: true},
	"missing-tag.yaml":                           {want: []string{"at '/image/tag'", "minLength"}, schema: true},
	"hpa-min-above-max.yaml":                     {want: []string{"autoscaling.minReplicas (5) is greater than autoscaling.maxReplicas (3)"}},
	"secret-entry-neither-shape.yaml":            {want: []string{"at '/externalSecret/entries/0': 'oneOf' failed, none matched", "missing properties 'secretKey', 'remoteKey'", "missing property 'extract'", "missing property 'find'"}, schema: true},
	"secret-find-without-criteria.yaml":          {want: []string{"at '/externalSecret/entries/0'", "at '/externalSecret/entries/0/find': minProperties"}, schema: true},
	"rewrite-without-path-prefix.yaml":           {want: []string{"at '/route/rules/0/matches/0/path/type': value must be 'PathPrefix'"}, schema: true},
	"rewrite-with-two-matches.yaml":              {want: []string{"at '/route/rules/0/matches': maxItems: got 2, want 1"}, schema: true},
	"no-memory-limit.yaml":                       {want: []string{"at '/resources/limits/memory'"}, schema: true},
	"unknown-top-level-key.yaml":                 {want: []string{"additional properties 'replicas' not allowed"}, schema: true},
	"wrong-type.yaml":                            {want: []string{"at '/replicaCount': got string, want integer"}, schema: true},
	"pdb-both-bounds.yaml":                       {want: []string{"at '/podDisruptionBudget/maxUnavailable': got number, want null"}, schema: true},
	"pdb-blocks-drains.yaml":                     {want: []string{"podDisruptionBudget.minAvailable (1) is not below replicaCount (1)", "every node drain"}},
	"workload-identity-without-client-id.yaml":   {want: []string{"at '/platform/workloadIdentity/clientId': minLength"}, schema: true},
	"csi-without-key-vault.yaml":                 {want: []string{"at '/platform/keyVault/name': minLength"}, schema: true},
	"route-without-agc-subnet.yaml":              {want: []string{"at '/platform/network/agcSubnetCidr': minLength"}, schema: true},
	"auth-without-issuer.yaml":                   {want: []string{"at '/platform/auth/issuer': minLength"}, schema: true},
	"grace-period-too-short.yaml":                {want: []string{"shutdown.terminationGracePeriodSeconds (20) must be greater than shutdown.preStopSleepSeconds (30)"}},
	"reserved-env-name.yaml":                     {want: []string{"env.AUTH_ISSUER: the chart sets AUTH_ISSUER itself"}},
	"unknown-service-monitor-group.yaml":         {want: []string{"at '/metrics/apiGroup'", "'monitoring.coreos.com'", "'azmonitoring.coreos.com'"}, schema: true},
	"run-as-root.yaml":                           {want: []string{"at '/securityContext/runAsUser': minimum: got 0, want 1"}, schema: true},
	"migration-without-command.yaml":             {want: []string{"at '/migration/command'"}, schema: true},
	"migration-revert-args-without-command.yaml": {want: []string{"at '/migration/revertCommand'"}, schema: true},
	"migration-unknown-key.yaml":                 {want: []string{"at '/migration'", "additional properties 'retries' not allowed"}, schema: true},
	"migration-no-deadline.yaml":                 {want: []string{"at '/migration/activeDeadlineSeconds': minimum: got 0, want 30"}, schema: true},
	"migration-env-shadows.yaml":                 {want: []string{"migration.env.POSTGRES_HOST: the migration already gets POSTGRES_HOST"}},
	"several-problems.yaml": {want: []string{
		"2 problem(s)",
		"autoscaling.minReplicas (4) is greater than autoscaling.maxReplicas (2)",
		"shutdown.terminationGracePeriodSeconds (15) must be greater than shutdown.preStopSleepSeconds (15)",
	}},
}

// badBase is what every bad file is laid over: user-service's dev release values, which render.
func badBase(t *testing.T) (map[string]any, service) {
	t.Helper()
	e := readEnvironment(t, "dev")
	i := slices.IndexFunc(e.Services, func(s service) bool { return s.Name == "user-service" })
	require.GreaterOrEqual(t, i, 0)
	return releaseValues(t, "dev", e.Services[i]), e.Services[i]
}

// Each bad values file is refused with a message naming the value; every file has an expectation.
func TestBadValuesAreRefused(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	var want []string
	for name := range badValues {
		want = append(want, name)
	}
	sort.Strings(want)
	require.Equal(t, want, names, "testdata/bad and badValues must list the same files")
	require.GreaterOrEqual(t, len(names), 10)

	base, s := badBase(t)
	ch, err := Load(Dir(Microservice))
	require.NoError(t, err)
	caps, err := Capabilities(devKubeVersion(t))
	require.NoError(t, err)
	_, err = Render(ch, Release{Name: s.Name, Namespace: s.Namespace}, base, caps)
	require.NoError(t, err, "the base of the bad files must render")

	for name, tc := range badValues {
		t.Run(name, func(t *testing.T) {
			bad, err := ReadValues(filepath.Join("testdata", "bad", name))
			require.NoError(t, err)
			values := MergeValues(base, bad)
			_, err = Render(ch, Release{Name: s.Name, Namespace: s.Namespace}, values, caps)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			if tc.schema {
				assert.Contains(t, err.Error(), "values don't meet the specifications of the schema", "refused by values.schema.json")
				_, lintErr := Lint(Dir(Microservice), values, s.Namespace, devKubeVersion(t))
				require.Error(t, lintErr, "helm lint must refuse it too")
				assert.Contains(t, lintErr.Error(), tc.want[0])
			} else {
				assert.Contains(t, err.Error(), "microservice chart, release user-service:", "refused by templates/_validate.tpl")
			}
		})
	}
}

// The library's lint (Chart.yaml, values against values.schema.json, the templates rendered with
// the values) passes for every service's values of dev and prod.
func TestLintPassesForEveryService(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		e := readEnvironment(t, env)
		for _, s := range e.Services {
			msgs, err := Lint(Dir(Microservice), releaseValues(t, env, s), s.Namespace, e.KubeVersion)
			assert.NoError(t, err, "%s/%s", env, s.Name)
			for _, m := range msgs {
				t.Logf("%s/%s: %s", env, s.Name, m)
			}
		}
	}
}

// The chart's defaults alone are refused (no image, no resources): a service must say what it
// runs and what it needs, and gets no silent default for either.
func TestDefaultsAloneAreRefused(t *testing.T) {
	ch, err := Load(Dir(Microservice))
	require.NoError(t, err)
	caps, err := Capabilities(devKubeVersion(t))
	require.NoError(t, err)
	_, err = Render(ch, Release{Name: "svc", Namespace: "svc"}, nil, caps)
	require.Error(t, err)
	for _, w := range []string{"at '/image/repository'", "at '/image/tag'", "at '/resources'", "at '/platform/workloadIdentity/clientId'"} {
		assert.Contains(t, err.Error(), w)
	}
}

// Chart.yaml is a Helm 3 chart (apiVersion v2) for the cluster's Kubernetes version, and the
// schema is self-contained: every $ref points into the document itself.
func TestChartMetadataAndSelfContainedSchema(t *testing.T) {
	ch, err := Load(Dir(Microservice))
	require.NoError(t, err)
	assert.Equal(t, "v2", ch.Metadata.APIVersion)
	assert.Equal(t, "application", ch.Metadata.Type)
	require.NotEmpty(t, ch.Schema, "values.schema.json is loaded with the chart")

	var schema any
	require.NoError(t, json.Unmarshal(ch.Schema, &schema))
	var refs []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				if s, ok := vv.(string); ok && (k == "$ref" || k == "$dynamicRef" || k == "$id") {
					refs = append(refs, k+"="+s)
				}
				walk(vv)
			}
		case []any:
			for _, vv := range x {
				walk(vv)
			}
		}
	}
	walk(schema)
	require.NotEmpty(t, refs)
	for _, r := range refs {
		assert.True(t, strings.HasPrefix(r, "$ref=#/"), "%s is not a local reference", r)
	}
}

// Every key of values.yaml is a key of the schema and the reverse (two levels deep, where the
// chart's own structure is), so neither documents a value the other does not know; and every key
// of values.yaml carries a comment.
func TestValuesYAMLAndSchemaAgree(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(Dir(Microservice), "values.yaml"))
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	valuesKeys := map[string]bool{}
	var undocumented []string
	var walkValues func(n *yaml.Node, prefix string, depth int, parentDocumented bool)
	walkValues = func(n *yaml.Node, prefix string, depth int, parentDocumented bool) {
		if n.Kind != yaml.MappingNode || depth > 2 {
			return
		}
		for i := 0; i < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := prefix + k.Value
			valuesKeys[path] = true
			documented := k.HeadComment != "" || k.LineComment != "" || v.LineComment != ""
			// A key directly under a documented parent whose meaning its name gives is fine only
			// for leaves of small groups; everything at the top level needs its own comment.
			if !documented && (depth == 1 || !parentDocumented) {
				undocumented = append(undocumented, path)
			}
			walkValues(v, path+".", depth+1, documented)
		}
	}
	walkValues(doc.Content[0], "", 1, true)
	assert.Empty(t, undocumented, "keys of values.yaml without a comment")

	ch, err := Load(Dir(Microservice))
	require.NoError(t, err)
	var schema map[string]any
	require.NoError(t, json.Unmarshal(ch.Schema, &schema))
	schemaKeys := map[string]bool{}
	for k, v := range schema["properties"].(map[string]any) {
		if k == "global" {
			continue
		}
		schemaKeys[k] = true
		if props, ok := v.(map[string]any)["properties"].(map[string]any); ok {
			for kk := range props {
				schemaKeys[k+"."+kk] = true
			}
		}
	}
	// resources is documented by example (it has no default: the schema requires it).
	for k := range schemaKeys {
		if strings.HasPrefix(k, "resources.") {
			delete(schemaKeys, k)
		}
	}
	assert.Equal(t, sortedKeys(schemaKeys), sortedKeys(valuesKeys))
}

// The README's platform-values contract lists every key of values.yaml's platform block, with the
// environment variable the chart sets from it: the flux layer generates its ConfigMap from it.
func TestReadmeListsThePlatformContract(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(Dir(Microservice), "README.md"))
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(Dir(Microservice), "values.yaml"))
	require.NoError(t, err)
	var values struct {
		Platform map[string]any `yaml:"platform"`
	}
	require.NoError(t, yaml.Unmarshal(data, &values))
	var leaves []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if m, ok := v.(map[string]any); ok {
			for k, vv := range m {
				walk(prefix+"."+k, vv)
			}
			return
		}
		leaves = append(leaves, prefix)
	}
	walk("platform", values.Platform)
	require.Len(t, leaves, 24)
	for _, l := range leaves {
		assert.Contains(t, string(readme), "`"+l+"`", "README.md does not list %s", l)
	}
}

// leafPaths lists the dotted paths of a values tree's leaves (lists are leaves).
func leafPaths(prefix string, v any) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return []string{prefix}
	}
	var out []string
	for k, vv := range m {
		out = append(out, leafPaths(prefix+"."+k, vv)...)
	}
	sort.Strings(out)
	return out
}

// The flux layer's ConfigMap (gitops.ServicePlatformValues and its YAML) holds exactly the keys
// of the chart's platform block, for every service: no key the schema would refuse, none missing.
func TestPlatformValuesHoldTheWholeContract(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(Dir(Microservice), "values.yaml"))
	require.NoError(t, err)
	var values map[string]any
	require.NoError(t, yaml.Unmarshal(data, &values))
	want := leafPaths("platform", values["platform"])
	require.Len(t, want, 24)
	for _, env := range []string{"dev", "prod"} {
		for _, s := range readEnvironment(t, env).Services {
			got := platformValues(t, env, s)
			assert.Equal(t, []string{"platform"}, slices.Collect(maps.Keys(got)), "%s %s: top-level keys", env, s.Name)
			assert.Equal(t, want, leafPaths("platform", got["platform"]), "%s %s: platform keys", env, s.Name)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
