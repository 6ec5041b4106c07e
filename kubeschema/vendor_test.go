package kubeschema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// TestCRDVersions: the vendoring keeps every served version of every CRD of a file, drops Helm
// template lines, non-CRD documents, unserved versions and descriptions, and keeps a property
// that is itself named "description".
func TestCRDVersions(t *testing.T) {
	file := `{{- if .Values.crds.enabled }}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
{{- with .Values.annotations }}
{{- toYaml . | nindent 4 }}
{{- end }}
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      schema:
        openAPIV3Schema:
          description: A widget.
          type: object
          properties:
            spec:
              type: object
              description: The spec.
              properties:
                description: {type: string, description: Free text.}
    - name: v1alpha1
      served: false
      schema: {openAPIV3Schema: {type: object}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: not-a-crd}
{{- end }}
`
	got, err := CRDVersions("example/widgets@v1:crds.yaml", []byte(file))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "crds/example.com/widget_v1.json", got[0].File())
	assert.Equal(t, "Namespaced", got[0].Scope)
	assert.Equal(t, map[string]any{
		"type": "object",
		"properties": map[string]any{"spec": map[string]any{
			"type":       "object",
			"properties": map[string]any{"description": map[string]any{"type": "string"}},
		}},
	}, got[0].Schema)
}

// TestKubernetesDefinitions: the group/versions come from the spec's paths ("v1" for the core
// group), the definitions lose their descriptions.
func TestKubernetesDefinitions(t *testing.T) {
	spec := `{"paths": {"/api/v1/namespaces": {}, "/apis/apps/v1/deployments": {}, "/apis/resource.k8s.io/v1beta1/": {}, "/version/": {}},
	  "definitions": {"io.k8s.api.core.v1.Namespace": {"description": "A namespace.", "type": "object"}}}`
	d, err := KubernetesDefinitions("k8s", []byte(spec))
	require.NoError(t, err)
	assert.Equal(t, []string{"apps/v1", "resource.k8s.io/v1beta1", "v1"}, d.GroupVersions)
	assert.Equal(t, map[string]any{"io.k8s.api.core.v1.Namespace": map[string]any{"type": "object"}}, d.Definitions)

	_, err = KubernetesDefinitions("k8s", []byte(`{"definitions": {}}`))
	assert.Error(t, err)
}

// TestKubernetesVersionIsTheClusters: built-in kinds are held to the version every environment's
// cluster is configured with (platform:aks.kubernetesVersion of each Pulumi.<env>.yaml, its
// minor), and the vendored Kubernetes definitions are of that version.
func TestKubernetesVersionIsTheClusters(t *testing.T) {
	raw, err := schemaFS.ReadFile("schemas/kubernetes.json")
	require.NoError(t, err)
	var core CoreDefinitions
	require.NoError(t, json.Unmarshal(raw, &core))
	assert.Equal(t, KubernetesVersion, core.KubernetesVersion,
		"schemas/kubernetes.json is of Kubernetes %s: set kubernetes.version and ref in schemas/sources.yaml and run go run ./cmd/vendorschemas", core.KubernetesVersion)

	files, err := filepath.Glob("../Pulumi.*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var file struct {
			Config struct {
				AKS struct {
					KubernetesVersion string `json:"kubernetesVersion"`
				} `json:"platform:aks"`
			} `json:"config"`
		}
		require.NoError(t, yaml.Unmarshal(data, &file), f)
		v := file.Config.AKS.KubernetesVersion
		require.NotEmpty(t, v, "%s: platform:aks.kubernetesVersion", f)
		major, rest, _ := strings.Cut(v, ".")
		minor, _, _ := strings.Cut(rest, ".")
		assert.Equal(t, KubernetesVersion, major+"."+minor,
			"%s: the cluster runs Kubernetes %s but built-in kinds are validated against %s (kubeschema.KubernetesVersion)", f, v, KubernetesVersion)
	}
}
