package fluxbuild

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuildSubstitutes: Flux's post-build substitution semantics, as the kustomize-controller
// applies them: values, ${VAR:=default} and ${VAR:-default}, $${VAR} for a literal, an unset
// variable empty, and a resource annotated substitute: disabled untouched.
func TestBuildSubstitutes(t *testing.T) {
	objs, err := Build("testdata", "app", map[string]string{"NAMESPACE": "apps", "REGION": "westeurope"})
	require.NoError(t, err)
	require.Len(t, objs, 2)

	sub := objs[0]
	assert.Equal(t, "apps", sub["metadata"].(map[string]any)["namespace"])
	assert.Equal(t, map[string]any{
		"plain":          "westeurope",
		"assignDefault":  "zone-1",
		"useDefault":     "standard",
		"setOverDefault": "westeurope",
		"escaped":        "${REGION}",
		"unset":          "xy",
	}, sub["data"])

	assert.Equal(t, map[string]any{"plain": "${REGION}"}, objs[1]["data"])
}

// TestBuildRefusesBadVarNames: Flux refuses variable names that are not shell identifiers.
func TestBuildRefusesBadVarNames(t *testing.T) {
	_, err := Build("testdata", "app", map[string]string{"NOT-A-NAME": "x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "var name is invalid")
}

// TestBuildStaysInRoot: as in the controller, a kustomization cannot read files outside the
// repository root it is built in.
func TestBuildStaysInRoot(t *testing.T) {
	_, err := Build("testdata", "escape", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not in or below")
}
