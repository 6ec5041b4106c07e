package kubeschema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/validate/content"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	sigsjson "sigs.k8s.io/json"
)

// validateMeta checks metadata as the API server does for every kind: it decodes strictly into
// ObjectMeta, the name is present and has the form the kind requires, the namespace is a DNS
// label, label keys and values and annotation keys are valid.
func validateMeta(k gvk, obj map[string]any) []finding {
	raw, ok := obj["metadata"]
	if !ok || raw == nil {
		return []finding{{".metadata", "is required"}}
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return []finding{{".metadata", fmt.Sprintf("must be an object, not %T", raw)}}
	}
	b, _ := json.Marshal(pruneAllNulls(m))
	var meta metav1.ObjectMeta
	strict, err := sigsjson.UnmarshalStrict(b, &meta)
	if err != nil {
		return []finding{{".metadata", fmt.Sprintf("does not decode into ObjectMeta: %v", err)}}
	}
	var out []finding
	for _, e := range strict {
		out = append(out, finding{".metadata", e.Error()})
	}
	add := func(path string, msgs []string) {
		for _, msg := range msgs {
			out = append(out, finding{path, msg})
		}
	}
	switch {
	case meta.Name == "" && meta.GenerateName == "":
		out = append(out, finding{".metadata.name", "is required"})
	case meta.Name != "":
		add(".metadata.name", nameErrors(k, meta.Name))
	}
	if meta.Namespace != "" {
		add(".metadata.namespace", validation.IsDNS1123Label(meta.Namespace))
	}
	for _, key := range sortedKeys(meta.Labels) {
		path := pathString([]string{"metadata", "labels", key})
		add(path, validation.IsQualifiedName(key))
		add(path, validation.IsValidLabelValue(meta.Labels[key]))
	}
	for _, key := range sortedKeys(meta.Annotations) {
		add(pathString([]string{"metadata", "annotations", key}), validation.IsQualifiedName(strings.ToLower(key)))
	}
	return out
}

// nameErrors applies the name rule of the kind: Namespaces and Services are DNS labels (Services
// RFC 1035), RBAC objects path segments ("system:aggregate-to-view" is a valid ClusterRole name),
// everything else DNS subdomains (also every custom resource).
func nameErrors(k gvk, name string) []string {
	switch {
	case k.group == "" && k.kind == "Namespace":
		return validation.IsDNS1123Label(name)
	case k.group == "" && k.kind == "Service":
		return validation.IsDNS1035Label(name)
	case k.group == "rbac.authorization.k8s.io":
		return content.IsPathSegmentName(name)
	default:
		return validation.IsDNS1123Subdomain(name)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
