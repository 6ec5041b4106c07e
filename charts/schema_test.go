package charts

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/kubeschema"
)

// schemaCheck validates every object of a render (manifests and hooks) against the schema of the
// API it names: Kubernetes at the cluster's version for built-in kinds, the pinned CRDs for the
// others (package kubeschema, as for the GitOps tree).
func schemaCheck(t *testing.T, source string, r *Rendered) {
	t.Helper()
	var docs []byte
	for _, m := range r.Manifests {
		docs = append(docs, "---\n"+m.Content+"\n"...)
	}
	for _, h := range r.Hooks {
		docs = append(docs, "---\n"+h.Manifest+"\n"...)
	}
	objs, err := kubeschema.Objects(source, docs)
	require.NoError(t, err)
	require.NotEmpty(t, objs, source)
	for _, p := range kubeschema.Validate(objs) {
		assert.Fail(t, "schema", "%s", p)
	}
}

// TestChartObjectsMatchTheirSchemas: every object the chart renders for every service of dev and
// prod, and for the render with every optional feature on, is one the cluster's APIs accept.
func TestChartObjectsMatchTheirSchemas(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		for _, s := range readEnvironment(t, env).Services {
			t.Run(env+"/"+s.Name, func(t *testing.T) {
				r, _ := renderService(t, env, s.Name)
				schemaCheck(t, "charts/microservice "+env+"/"+s.Name, r)
			})
		}
	}
	t.Run("every feature", func(t *testing.T) {
		base, s := badBase(t)
		features, err := ReadValues("testdata/features.yaml")
		require.NoError(t, err)
		ch, err := Load(Dir(Microservice))
		require.NoError(t, err)
		caps, err := Capabilities(devKubeVersion(t))
		require.NoError(t, err)
		r, err := Render(ch, Release{Name: s.Name, Namespace: s.Namespace}, MergeValues(base, features), caps)
		require.NoError(t, err)
		schemaCheck(t, "charts/microservice every feature", r)
	})
}
