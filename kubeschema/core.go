package kubeschema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	sigsjson "sigs.k8s.io/json"
)

// Built-in kinds: the Kubernetes 1.36 OpenAPI definitions, strict decoding into the k8s.io/api
// types, and the checks in checks.go.

// typed is the scheme of the k8s.io/api groups decoded strictly: those a platform ships workloads
// with (each group is a compile cost). A served kind outside them (e.g. scheduling.k8s.io
// PriorityClass, admissionregistration.k8s.io webhooks) is held to its 1.36 OpenAPI definition only.
var typed = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, networkingv1.AddToScheme,
		policyv1.AddToScheme, rbacv1.AddToScheme, autoscalingv2.AddToScheme, storagev1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}()

type coreSchemas struct {
	source string
	// groups are the API groups of the spec (every version, "" for core); gvs the GA
	// group/versions the cluster serves.
	groups map[string]bool
	gvs    map[string]bool
	// defs maps a kind to its definition's name.
	defs map[gvk]string
	// compiler holds the converted JSON-schema document (definitions under $defs) and keeps
	// what it compiled, so kinds share their common definitions. Used under validator.mu.
	compiler *jsonschema.Compiler
}

const coreURL = "kubeschema:///kubernetes.json"

var gaVersion = regexp.MustCompile(`^v[0-9]+$`)

func loadCore(raw []byte) (*coreSchemas, error) {
	var d CoreDefinitions
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	c := &coreSchemas{source: d.Source, groups: map[string]bool{}, gvs: map[string]bool{}, defs: map[gvk]string{}}
	for _, gv := range d.GroupVersions {
		group, version, found := strings.Cut(gv, "/")
		if !found {
			group, version = "", gv
		}
		c.groups[group] = true
		// Alpha and beta APIs are off by default since Kubernetes 1.24 and AKS does not turn them
		// on; the spec lists them because it is generated with every API enabled.
		if gaVersion.MatchString(version) {
			c.gvs[gv] = true
		}
	}
	defs := map[string]any{}
	for name, def := range d.Definitions {
		dm, ok := def.(map[string]any)
		if !ok {
			continue
		}
		if list, ok := dm["x-kubernetes-group-version-kind"].([]any); ok {
			for _, g := range list {
				gm, _ := g.(map[string]any)
				c.defs[gvk{str(gm["group"]), str(gm["version"]), str(gm["kind"])}] = name
			}
		}
		defs[name] = swaggerToJSONSchema(name, dm)
	}
	c.compiler = jsonschema.NewCompiler()
	c.compiler.DefaultDraft(jsonschema.Draft2020)
	if err := c.compiler.AddResource(coreURL, map[string]any{"$defs": defs}); err != nil {
		return nil, err
	}
	return c, nil
}

// isBuiltinGroup: the group is one of Kubernetes' own (at any version).
func (c *coreSchemas) isBuiltinGroup(group string) bool { return c.groups[group] }

func (c *coreSchemas) kind(k gvk) (*compiledKind, string) {
	if !c.gvs[k.apiVersion()] {
		return nil, fmt.Sprintf("%s is not served by Kubernetes %s: only its GA group/versions are (alpha and beta APIs are off by default and AKS does not enable them)%s",
			k.apiVersion(), KubernetesVersion, c.servedVersionsOf(k.group))
	}
	def, ok := c.defs[k]
	if !ok {
		return nil, fmt.Sprintf("Kubernetes %s serves no kind %s in %s", KubernetesVersion, k.kind, k.apiVersion())
	}
	s, err := c.compiler.Compile(coreURL + "#/$defs/" + jsonPointerEscape(def))
	if err != nil {
		return nil, fmt.Sprintf("Kubernetes %s definition %s does not compile: %v", KubernetesVersion, def, err)
	}
	gk := schema.GroupVersionKind{Group: k.group, Version: k.version, Kind: k.kind}
	return &compiledKind{validate: func(obj map[string]any) []finding {
		out := schemaFindings(s, pruneAllNulls(obj))
		if len(out) > 0 || !typed.Recognizes(gk) {
			return out
		}
		raw, _ := json.Marshal(obj)
		o, _ := typed.New(gk)
		strict, err := sigsjson.UnmarshalStrict(raw, o)
		if err != nil {
			return []finding{{"", fmt.Sprintf("does not decode into k8s.io/api %T: %v", o, err)}}
		}
		for _, e := range strict {
			out = append(out, finding{"", fmt.Sprintf("decoding into k8s.io/api %T: %v", o, e)})
		}
		if len(out) == 0 {
			out = check(o)
		}
		return out
	}}, ""
}

func (c *coreSchemas) servedVersionsOf(group string) string {
	var v []string
	for gv := range c.gvs {
		g, ver, found := strings.Cut(gv, "/")
		if !found {
			g, ver = "", gv
		}
		if g == group {
			v = append(v, ver)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "; served: " + strings.Join(dedupe(v), ", ")
}

func jsonPointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// swaggerToJSONSchema maps an OpenAPI v2 definition of Kubernetes to JSON schema the way
// kubeconform's strict schemas are made: objects with properties refuse undeclared ones,
// int-or-string and quantities accept a number or a string, $refs point into $defs.
func swaggerToJSONSchema(name string, def map[string]any) map[string]any {
	switch name {
	case "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
		return map[string]any{"anyOf": []any{map[string]any{"type": "integer"}, map[string]any{"type": "string"}}}
	case "io.k8s.apimachinery.pkg.api.resource.Quantity":
		// The pattern is the one resource.ParseQuantity reports; the typed decode parses exactly.
		return map[string]any{"anyOf": []any{map[string]any{"type": "number"}, map[string]any{"type": "string", "pattern": `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`}}}
	}
	return swaggerNode(def)
}

func swaggerNode(node map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range node {
		switch k {
		case "$ref":
			out[k] = strings.Replace(str(v), "#/definitions/", "#/$defs/", 1)
		case "properties":
			props := map[string]any{}
			for name, p := range v.(map[string]any) {
				if pm, ok := p.(map[string]any); ok {
					props[name] = swaggerNode(pm)
				}
			}
			out[k] = props
		case "items", "additionalProperties":
			if m, ok := v.(map[string]any); ok {
				out[k] = swaggerNode(m)
			} else {
				out[k] = v
			}
		case "type", "enum", "required":
			out[k] = v
		case "format":
			if v == "int-or-string" {
				return map[string]any{"anyOf": []any{map[string]any{"type": "integer"}, map[string]any{"type": "string"}}}
			}
		}
	}
	if _, has := node["properties"]; has {
		if _, open := node["additionalProperties"]; !open {
			out["additionalProperties"] = false
		}
	}
	return out
}

// pruneAllNulls drops null fields: the API server's decoder reads a null as an absent field.
func pruneAllNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if x != nil {
				out[k] = pruneAllNulls(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = pruneAllNulls(x)
		}
		return out
	default:
		return v
	}
}
