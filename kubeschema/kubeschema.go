package kubeschema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"sigs.k8s.io/yaml"
)

//go:embed schemas/kubernetes.json schemas/index.json schemas/crds
var schemaFS embed.FS

// KubernetesVersion is the Kubernetes version whose APIs built-in kinds are held to: the
// cluster's (platform:aks.kubernetesVersion in Pulumi.<env>.yaml) and the version of the vendored
// schemas/kubernetes.json (kubernetes.version in schemas/sources.yaml). A test keeps the three
// equal: change them together, then run go run ./cmd/vendorschemas.
const KubernetesVersion = "1.36"

// Object is one object to validate and where it came from.
type Object struct {
	// Source says where the object came from, e.g. "dev/services" (an entry point of the GitOps
	// tree) or "charts/microservice user-service"; problems repeat it.
	Source string
	// Data is the object as decoded from YAML or JSON.
	Data map[string]any
}

// Problem is one way an object is not what its API accepts.
type Problem struct {
	Source     string
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
	// Path is the field, e.g. ".spec.template.spec.containers[0].image"; empty for the object as
	// a whole.
	Path    string
	Message string
}

func (p Problem) String() string {
	obj := p.Name
	if p.Namespace != "" {
		obj = p.Namespace + "/" + p.Name
	}
	s := fmt.Sprintf("%s: %s %s %s", p.Source, p.APIVersion, p.Kind, obj)
	if p.Path != "" {
		s += " " + p.Path
	}
	return s + ": " + p.Message
}

// Error makes a Problem an error.
func (p Problem) Error() string { return p.String() }

// Validate checks every object and returns every problem found, sorted by source, object and
// field. It is safe for concurrent use; schemas are compiled once per kind and kept.
func Validate(objects []Object) []Problem {
	v, err := loadSchemas()
	if err != nil {
		// The embedded data is part of the package: this is a broken build, not bad input.
		panic(err)
	}
	var out []Problem
	for _, o := range objects {
		out = append(out, v.validate(o)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Namespace+"/"+a.Name != b.Namespace+"/"+b.Name {
			return a.Namespace+"/"+a.Name < b.Namespace+"/"+b.Name
		}
		return a.Path < b.Path
	})
	return out
}

// Objects parses a stream of YAML documents (a Helm render, a manifest file) into objects of one
// source; empty documents are skipped, and a List's items are taken one by one.
func Objects(source string, data []byte) ([]Object, error) {
	var out []Object
	for i, doc := range splitYAML(data) {
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", source, i, err)
		}
		if m == nil {
			continue
		}
		if items, ok := m["items"].([]any); ok && strings.HasSuffix(str(m["kind"]), "List") {
			for _, it := range items {
				if im, ok := it.(map[string]any); ok {
					out = append(out, Object{Source: source, Data: im})
				}
			}
			continue
		}
		out = append(out, Object{Source: source, Data: m})
	}
	return out, nil
}

// Kinds lists the apiVersion and kind of every custom resource version with a vendored schema,
// and the source of each ("<owner>/<repo>@<ref>:<path>"), sorted.
func Kinds() []IndexEntry {
	v, err := loadSchemas()
	if err != nil {
		panic(err)
	}
	return append([]IndexEntry(nil), v.index.CRDs...)
}

// validator holds the loaded schema data and the schemas compiled so far.
type validator struct {
	index Index
	core  *coreSchemas
	crds  map[gvk]IndexEntry

	mu       sync.Mutex
	compiled map[gvk]*compiledKind
}

type gvk struct{ group, version, kind string }

func (k gvk) apiVersion() string {
	if k.group == "" {
		return k.version
	}
	return k.group + "/" + k.version
}

var (
	loadOnce sync.Once
	loaded   *validator
	loadErr  error
)

func loadSchemas() (*validator, error) {
	loadOnce.Do(func() {
		loaded, loadErr = newValidator()
	})
	return loaded, loadErr
}

func newValidator() (*validator, error) {
	v := &validator{crds: map[gvk]IndexEntry{}, compiled: map[gvk]*compiledKind{}}
	raw, err := schemaFS.ReadFile("schemas/index.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &v.index); err != nil {
		return nil, fmt.Errorf("kubeschema: schemas/index.json: %w", err)
	}
	for _, e := range v.index.CRDs {
		v.crds[gvk{e.Group, e.Version, e.Kind}] = e
	}
	raw, err = schemaFS.ReadFile("schemas/kubernetes.json")
	if err != nil {
		return nil, err
	}
	if v.core, err = loadCore(raw); err != nil {
		return nil, fmt.Errorf("kubeschema: schemas/kubernetes.json: %w", err)
	}
	return v, nil
}

func (v *validator) validate(o Object) []Problem {
	meta, _ := o.Data["metadata"].(map[string]any)
	p := Problem{
		Source: o.Source, APIVersion: str(o.Data["apiVersion"]), Kind: str(o.Data["kind"]),
		Namespace: str(meta["namespace"]), Name: str(meta["name"]),
	}
	problem := func(path, format string, args ...any) Problem {
		q := p
		q.Path, q.Message = path, fmt.Sprintf(format, args...)
		return q
	}
	if p.APIVersion == "" || p.Kind == "" {
		return []Problem{problem("", "apiVersion and kind are required")}
	}
	group, version, found := strings.Cut(p.APIVersion, "/")
	if !found {
		group, version = "", p.APIVersion
	}
	k := gvk{group, version, p.Kind}

	// Normalise to what a JSON decoder sees: numbers as json.Number, whatever the source decoded.
	data, err := normalise(o.Data)
	if err != nil {
		return []Problem{problem("", "not representable as JSON: %v", err)}
	}

	var out []Problem
	for _, f := range validateMeta(k, data) {
		out = append(out, problem(f.path, "%s", f.msg))
	}
	ck, reason := v.kind(k)
	if ck == nil {
		return append(out, problem("", "%s", reason))
	}
	for _, f := range ck.validate(data) {
		out = append(out, problem(f.path, "%s", f.msg))
	}
	return out
}

// finding is a problem's path and message, before the object's identity is added.
type finding struct{ path, msg string }

// compiledKind validates one group/version/kind.
type compiledKind struct {
	validate func(obj map[string]any) []finding
}

// kind returns the validator of a kind, compiling it on first use, or why there is none.
func (v *validator) kind(k gvk) (*compiledKind, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if ck, ok := v.compiled[k]; ok {
		return ck, ""
	}
	var ck *compiledKind
	var reason string
	if v.core.isBuiltinGroup(k.group) {
		ck, reason = v.core.kind(k)
	} else {
		ck, reason = v.crdKind(k)
	}
	if ck != nil {
		v.compiled[k] = ck
	}
	return ck, reason
}

func (v *validator) crdKind(k gvk) (*compiledKind, string) {
	if e, ok := v.crds[k]; ok {
		raw, err := schemaFS.ReadFile("schemas/" + e.File)
		if err != nil {
			return nil, err.Error()
		}
		var crd CRDVersion
		if err := json.Unmarshal(raw, &crd); err != nil {
			return nil, fmt.Sprintf("schemas/%s: %v", e.File, err)
		}
		ck, err := compileCRD(crd)
		if err != nil {
			return nil, fmt.Sprintf("schema of %s %s (%s) does not compile: %v", k.apiVersion(), k.kind, e.Source, err)
		}
		return ck, ""
	}
	for _, u := range v.index.Unavailable {
		if u.Group == k.group {
			return nil, fmt.Sprintf("no schema for %s %s: %s: %s", k.apiVersion(), k.kind, u.Project, u.Reason)
		}
	}
	var served, kinds []string
	groupKnown := false
	for _, e := range v.index.CRDs {
		if e.Group != k.group {
			continue
		}
		groupKnown = true
		if e.Kind == k.kind {
			served = append(served, e.Version)
		}
		kinds = append(kinds, e.Kind)
	}
	switch {
	case len(served) > 0:
		return nil, fmt.Sprintf("%s %s is not served by the pinned CRD (%s); served versions: %s", k.apiVersion(), k.kind, v.sourceOf(k.group, k.kind), strings.Join(served, ", "))
	case groupKnown:
		return nil, fmt.Sprintf("no kind %s in group %s of the pinned CRDs (%s); kinds: %s", k.kind, k.group, v.sourceOf(k.group, ""), strings.Join(dedupe(kinds), ", "))
	default:
		return nil, fmt.Sprintf("no schema for %s %s: not a Kubernetes %s API and no vendored CRD has group %s (see kubeschema/schemas/sources.yaml)", k.apiVersion(), k.kind, KubernetesVersion, k.group)
	}
}

func (v *validator) sourceOf(group, kind string) string {
	for _, e := range v.index.CRDs {
		if e.Group == group && (kind == "" || e.Kind == kind) {
			return e.Source
		}
	}
	return ""
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// normalise round-trips an object through JSON, numbers decoded as json.Number.
func normalise(m map[string]any) (map[string]any, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var out map[string]any
	if err := d.Decode(&out); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data")
	}
	return out, nil
}

// pathString renders a JSON-pointer-like token list as ".spec.containers[0].image"; keys that
// are not plain identifiers are quoted (`.metadata.annotations["a.b/c"]`).
func pathString(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		if _, err := strconv.Atoi(t); err == nil {
			b.WriteString("[" + t + "]")
		} else if isIdent(t) {
			b.WriteString("." + t)
		} else {
			b.WriteString("[" + strconv.Quote(t) + "]")
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func str(v any) string { s, _ := v.(string); return s }
