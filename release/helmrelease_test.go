package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

func TestTagAndSetTag(t *testing.T) {
	data := readTestdata(t, "user-service.yaml")
	tag, err := Tag(data, "user-service")
	require.NoError(t, err)
	assert.Equal(t, "1.0.0", tag)

	out, err := SetTag(data, "user-service", "1.4.2")
	require.NoError(t, err)
	// Exactly one line differs, and on it only the value: the marker and the comments stay.
	want := strings.Replace(string(data), `tag: 1.0.0 # {"$imagepolicy"`, `tag: 1.4.2 # {"$imagepolicy"`, 1)
	assert.Equal(t, want, string(out))
	tag, err = Tag(out, "user-service")
	require.NoError(t, err)
	assert.Equal(t, "1.4.2", tag)

	// Setting the same tag changes nothing.
	same, err := SetTag(out, "user-service", "1.4.2")
	require.NoError(t, err)
	assert.Equal(t, out, same)
}

func TestSetTagKeepsStyleAndQuotesNumbers(t *testing.T) {
	for _, tt := range []struct{ name, line, tag, want string }{
		{"plain", `tag: 1.0.0 # M`, "2.0.0", `tag: 2.0.0 # M`},
		{"double quoted stays quoted", `tag: "1.0.0" # M`, "2.0.0", `tag: "2.0.0" # M`},
		{"single quoted stays quoted", `tag: '1.0.0' # M`, "2.0.0", `tag: '2.0.0' # M`},
		{"a number is quoted", `tag: 1.0.0 # M`, "20240101", `tag: "20240101" # M`},
		{"a float is quoted", `tag: 1.0.0 # M`, "1.10", `tag: "1.10" # M`},
		{"a boolean word is quoted", `tag: 1.0.0 # M`, "true", `tag: "true" # M`},
		{"extra spaces before the comment stay", `tag: 1.0.0   # M`, "1.0.1", `tag: 1.0.1   # M`},
		{"a sha tag", `tag: 1.0.0 # M`, "main-3f2a9c1", `tag: main-3f2a9c1 # M`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			marker := SetterMarker("svc")
			doc := "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: svc\nspec:\n  values:\n    image:\n      " +
				strings.ReplaceAll(tt.line, "M", marker) + "\n"
			out, err := SetTag([]byte(doc), "svc", tt.tag)
			require.NoError(t, err)
			assert.Contains(t, string(out), "      "+strings.ReplaceAll(tt.want, "M", marker)+"\n")
			got, err := Tag(out, "svc")
			require.NoError(t, err)
			assert.Equal(t, tt.tag, got)
		})
	}
}

func TestTagErrors(t *testing.T) {
	marker := SetterMarker("svc")
	for _, tt := range []struct{ name, doc, want string }{
		{"no marker", "kind: HelmRelease\napiVersion: helm.toolkit.fluxcd.io/v2\nmetadata: {name: svc}\nspec:\n  values:\n    image:\n      tag: 1.0.0\n", "has no setter marker"},
		{"another service's marker", "kind: HelmRelease\napiVersion: helm.toolkit.fluxcd.io/v2\nmetadata: {name: svc}\nspec:\n  values:\n    image:\n      tag: 1.0.0 # " + SetterMarker("other") + "\n", "has no setter marker"},
		{"no tag", "kind: HelmRelease\napiVersion: helm.toolkit.fluxcd.io/v2\nmetadata: {name: svc}\nspec:\n  values: {}\n", "has no spec.values.image.tag"},
		{"no release", "kind: Kustomization\nmetadata: {name: svc}\n", "no HelmRelease named svc"},
		{"wrong api", "kind: HelmRelease\napiVersion: v1\nmetadata: {name: svc}\n", `apiVersion "v1"`},
		{"two releases", "kind: HelmRelease\napiVersion: helm.toolkit.fluxcd.io/v2\nmetadata: {name: svc}\nspec:\n  values:\n    image:\n      tag: 1.0.0 # " + marker + "\n---\nkind: HelmRelease\napiVersion: helm.toolkit.fluxcd.io/v2\nmetadata: {name: svc}\nspec:\n  values:\n    image:\n      tag: 1.0.0 # " + marker + "\n", "2 HelmReleases named svc"},
		{"not yaml", "a: [", "not YAML"},
	} {
		_, err := Tag([]byte(tt.doc), "svc")
		assert.ErrorContains(t, err, tt.want, tt.name)
	}
	data := readTestdata(t, "user-service.yaml")
	for _, bad := range []string{"", "-1.0", ".x", "1.0.0 # x", strings.Repeat("a", 129), "a/b"} {
		_, err := SetTag(data, "user-service", bad)
		assert.ErrorContains(t, err, "image tag", bad)
	}
}

func TestSetTagFindsTheReleaseAmongSeveralDocuments(t *testing.T) {
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  tag: keep\n---\n" + string(readTestdata(t, "user-service.yaml"))
	out, err := SetTag([]byte(doc), "user-service", "1.0.1")
	require.NoError(t, err)
	assert.Contains(t, string(out), "  tag: keep\n")
	assert.Equal(t, strings.Replace(doc, "tag: 1.0.0 #", "tag: 1.0.1 #", 1), string(out))
}

func TestHelmReleasePath(t *testing.T) {
	assert.Equal(t, "gitops/clusters/prod/services/llm-service.yaml", HelmReleasePath("prod", "llm-service"))
}

// TestShippedHelmReleases: the HelmRelease of every shipped service in every environment's tree
// is where HelmReleasePath says, carries the setter marker on its image tag, and takes a new tag
// on that line alone, so promotion and rollback work on the files Flux reads.
func TestShippedHelmReleases(t *testing.T) {
	root := filepath.Join("..", "gitops", "clusters")
	envs, err := os.ReadDir(root)
	require.NoError(t, err)
	checked := 0
	for _, env := range envs {
		files, err := filepath.Glob(filepath.Join(root, env.Name(), "services", "*.yaml"))
		require.NoError(t, err)
		for _, f := range files {
			service := strings.TrimSuffix(filepath.Base(f), ".yaml")
			if service == "kustomization" {
				continue
			}
			require.Equal(t, filepath.Join("..", filepath.FromSlash(HelmReleasePath(env.Name(), service))), f)
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			tag, err := Tag(data, service)
			if !assert.NoError(t, err, f) {
				continue
			}
			out, err := SetTag(data, service, "9.9.9")
			require.NoError(t, err, f)
			want := strings.Replace(string(data), "tag: "+tag+" # "+SetterMarker(service), "tag: 9.9.9 # "+SetterMarker(service), 1)
			assert.Equal(t, want, string(out), f)
			checked++
		}
	}
	assert.GreaterOrEqual(t, checked, 6, "HelmReleases checked: dev's and prod's three services")
}
