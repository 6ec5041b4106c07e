package gitops

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The add-on tests check what the add-on charts will do with the values the tree gives them.
// Where a behaviour depends on a chart default the tree does not show, the default is written
// down here, for the pinned chart version only (read from the chart's values.yaml and templates
// at that version): a new version fails the test until someone has re-read it.

// helmRelease returns the HelmRelease of that name, or fails the test.
func helmRelease(t *testing.T, objs []object, name string) object {
	t.Helper()
	for _, o := range objs {
		if o.kind() == "HelmRelease" && o.name() == name {
			return o
		}
	}
	require.FailNow(t, "no HelmRelease "+name)
	return object{}
}

// chartOf is the chart name and version of a HelmRelease.
func chartOf(hr object) (string, string) {
	name, _ := get(hr.m, "spec", "chart", "spec", "chart").(string)
	version, _ := get(hr.m, "spec", "chart", "spec", "version").(string)
	return name, version
}

// valuesOf is the inline values of a HelmRelease (nil when it has none).
func valuesOf(hr object) map[string]any {
	v, _ := get(hr.m, "spec", "values").(map[string]any)
	return v
}

// intValue reads a number at a values path, or def when it is not set.
func intValue(values map[string]any, def int, path ...string) int {
	switch n := get(values, path...).(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return def
}

// walk calls f on every map inside v, depth first, with its path.
func walk(v any, path []string, f func(path []string, m map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(path, x)
		for k, child := range x {
			walk(child, append(append([]string{}, path...), k), f)
		}
	case []any:
		for _, child := range x {
			walk(child, append(append([]string{}, path...), "[]"), f)
		}
	}
}

func TestWalkVisitsNestedMaps(t *testing.T) {
	var seen []string
	walk(map[string]any{"a": []any{map[string]any{"b": map[string]any{}}}}, nil, func(p []string, _ map[string]any) {
		seen = append(seen, strings.Join(p, "."))
	})
	assert.ElementsMatch(t, []string{"", "a.[]", "a.[].b"}, seen)
}
