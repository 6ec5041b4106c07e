package kubeschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// This file turns upstream files into the vendored schema data under schemas/ (cmd/vendorschemas
// runs it); validation reads only the result.

// CRDVersion is the schema of one served version of a custom resource, as vendored in
// schemas/crds/<group>/<kind>_<version>.json.
type CRDVersion struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
	// Scope is Namespaced or Cluster.
	Scope string `json:"scope"`
	// Source names the upstream file: "<owner>/<repo>@<ref>:<path>".
	Source string `json:"source"`
	// Schema is the version's openAPIV3Schema with descriptions removed.
	Schema map[string]any `json:"openAPIV3Schema"`
}

// File is the vendored file name of the version, relative to schemas/.
func (v CRDVersion) File() string {
	return "crds/" + v.Group + "/" + strings.ToLower(v.Kind) + "_" + v.Version + ".json"
}

// helmTemplateLine matches a line that is only a Helm template action: some upstream charts
// (the Prometheus operator's CRD chart) wrap the plain CRD in such lines.
var helmTemplateLine = regexp.MustCompile(`(?m)^\s*\{\{.*\}\}\s*$`)

// CRDVersions extracts every served version of every CustomResourceDefinition in a multi-document
// YAML file; other documents (a ValidatingAdmissionPolicy beside the CRDs) are skipped. Lines that
// are only Helm template actions are dropped first.
func CRDVersions(source string, data []byte) ([]CRDVersion, error) {
	data = helmTemplateLine.ReplaceAll(data, nil)
	var out []CRDVersion
	for i, doc := range splitYAML(data) {
		var crd struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Spec       struct {
				Group string `json:"group"`
				Names struct {
					Kind string `json:"kind"`
				} `json:"names"`
				Scope    string `json:"scope"`
				Versions []struct {
					Name   string `json:"name"`
					Served bool   `json:"served"`
					Schema struct {
						OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
					} `json:"schema"`
				} `json:"versions"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(doc, &crd); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", source, i, err)
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		if crd.APIVersion != "apiextensions.k8s.io/v1" {
			return nil, fmt.Errorf("%s: document %d: CRD of %s, want apiextensions.k8s.io/v1", source, i, crd.APIVersion)
		}
		for _, v := range crd.Spec.Versions {
			if !v.Served {
				continue
			}
			if v.Schema.OpenAPIV3Schema == nil {
				return nil, fmt.Errorf("%s: %s %s/%s has no openAPIV3Schema", source, crd.Spec.Names.Kind, crd.Spec.Group, v.Name)
			}
			out = append(out, CRDVersion{
				Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind, Scope: crd.Spec.Scope,
				Source: source, Schema: StripDescriptions(v.Schema.OpenAPIV3Schema).(map[string]any),
			})
		}
	}
	return out, nil
}

// CoreDefinitions is the vendored OpenAPI data of the Kubernetes version the cluster runs:
// schemas/kubernetes.json.
type CoreDefinitions struct {
	// Source names the upstream file, like CRDVersion.Source.
	Source string `json:"source"`
	// KubernetesVersion is the Kubernetes minor the spec is of, e.g. "1.36" (sources.yaml: the
	// spec itself says "unversioned").
	KubernetesVersion string `json:"kubernetesVersion"`
	// GroupVersions lists every group/version with a path in the spec ("v1" for the core group);
	// the spec is generated with every API enabled, so it includes alpha and beta versions the
	// cluster does not serve by default.
	GroupVersions []string `json:"groupVersions"`
	// Definitions are the spec's definitions, descriptions removed.
	Definitions map[string]any `json:"definitions"`
}

var apiPath = regexp.MustCompile(`^/apis/([^/]+)/([^/]+)/`)

// KubernetesDefinitions extracts the definitions and the group/versions of a Kubernetes OpenAPI v2
// spec (api/openapi-spec/swagger.json of kubernetes/kubernetes).
func KubernetesDefinitions(source string, swagger []byte) (*CoreDefinitions, error) {
	var spec struct {
		Paths       map[string]any `json:"paths"`
		Definitions map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(swagger, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if len(spec.Definitions) == 0 || len(spec.Paths) == 0 {
		return nil, fmt.Errorf("%s: no definitions or paths: not a Kubernetes OpenAPI v2 spec", source)
	}
	gvs := map[string]bool{}
	for p := range spec.Paths {
		if m := apiPath.FindStringSubmatch(p); m != nil {
			gvs[m[1]+"/"+m[2]] = true
		} else if strings.HasPrefix(p, "/api/v1/") {
			gvs["v1"] = true
		}
	}
	out := &CoreDefinitions{Source: source, Definitions: StripDescriptions(spec.Definitions).(map[string]any)}
	for gv := range gvs {
		out.GroupVersions = append(out.GroupVersions, gv)
	}
	sort.Strings(out.GroupVersions)
	return out, nil
}

// StripDescriptions returns a copy of a decoded JSON value without "description" keys in schema
// objects: they are most of the upstream bytes and no validation uses them. A property that is
// itself named "description" (inside "properties") is kept.
func StripDescriptions(v any) any {
	return strip(v, false)
}

func strip(v any, inProperties bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if k == "description" && !inProperties {
				if _, isString := x.(string); isString {
					continue
				}
			}
			out[k] = strip(x, k == "properties" || k == "definitions" || k == "patternProperties")
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = strip(x, false)
		}
		return out
	default:
		return v
	}
}

// splitYAML splits a multi-document YAML stream at its "---" lines.
func splitYAML(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---[ \t]*$`).Split(string(data), -1) {
		if len(bytes.TrimSpace([]byte(d))) > 0 {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

// Index lists the vendored schemas: schemas/index.json.
type Index struct {
	// Kubernetes names the source of kubernetes.json.
	Kubernetes string `json:"kubernetes"`
	// CRDs lists every vendored custom resource version.
	CRDs []IndexEntry `json:"crds"`
	// Unavailable lists API groups whose schemas could not be vendored, and why.
	Unavailable []Unavailable `json:"unavailable"`
}

// IndexEntry is one vendored custom resource version.
type IndexEntry struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
	Scope   string `json:"scope"`
	File    string `json:"file"`
	Source  string `json:"source"`
}

// Unavailable is an API group the tree uses whose CRDs could not be had at the pinned version.
type Unavailable struct {
	Group   string `json:"group"`
	Project string `json:"project"`
	Reason  string `json:"reason"`
}
