package offline

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Plan is what an offline run would create, stack by stack.
type Plan struct {
	Environment string
	Mode        string
	Stacks      []*Stack
	// Warnings are the settings a real preview or up would refuse (placeholders) or that are
	// allowed but unsafe, one line each (FromFile fills them; the plan command prints them on
	// standard error).
	Warnings []string
}

// Stack is one stack's registrations and exported outputs.
type Stack struct {
	Layer     string // "" for the single-stack root project
	Name      string // organization/project/stack
	Project   string
	Resources []*Resource
	Outputs   resource.PropertyMap
	// Calls are the provider functions (invokes) the program called, in no particular order.
	Calls []Call

	byURN map[string]*Resource
}

// Call is one provider function call, its arguments and what the mock answered.
type Call struct {
	Token  string
	Args   resource.PropertyMap
	Result resource.PropertyMap
}

// Resource is one registration exactly as it reached the engine, plus what the mock returned.
type Resource struct {
	URN     string
	Type    string
	Name    string
	Parent  string // URN of the parent; the stack's URN for top-level resources
	ID      string
	Custom  bool
	Read    bool // read, not managed (StackReference)
	Protect bool
	// DeleteBeforeReplace is the resource option: a replacement deletes the resource first.
	DeleteBeforeReplace     bool
	DependsOn               []string // URNs
	Provider                string
	Version                 string
	IgnoreChanges           []string
	AdditionalSecretOutputs []string
	Aliases                 int
	Inputs                  resource.PropertyMap
	Outputs                 resource.PropertyMap
}

// Key is "<type>::<name>", the plan's way to name a resource.
func (r *Resource) Key() string { return r.Type + "::" + r.Name }

// index fills URNs and the lookup table. URNs are rebuilt the way the mock monitor builds them:
// the parent's type chain, the type and the name.
func (s *Stack) index() {
	s.byURN = map[string]*Resource{}
	stack, project := stackParts(s.Name)
	// Parents register before children, but the mock sees them concurrently; resolve by
	// repeatedly placing resources whose parent is known.
	typeChain := map[string]string{} // URN -> qualified type
	pending := append([]*Resource(nil), s.Resources...)
	for len(pending) > 0 {
		var next []*Resource
		for _, r := range pending {
			chain := ""
			if r.Parent != "" {
				if c, ok := typeChain[r.Parent]; ok {
					chain = c + "$"
				} else if resource.URN(r.Parent).QualifiedType() != resource.RootStackType {
					next = append(next, r)
					continue
				}
			}
			qt := chain + r.Type
			r.URN = fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", stack, project, qt, r.Name)
			typeChain[r.URN] = qt
			s.byURN[r.URN] = r
		}
		if len(next) == len(pending) {
			for _, r := range next { // orphans (should not happen): index them flat
				r.URN = fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", stack, project, r.Type, r.Name)
				s.byURN[r.URN] = r
			}
			break
		}
		pending = next
	}
	sort.Slice(s.Resources, func(i, j int) bool { return s.Resources[i].URN < s.Resources[j].URN })
}

func stackParts(full string) (stack, project string) {
	parts := strings.Split(full, "/")
	if len(parts) != 3 {
		return full, ""
	}
	return parts[2], parts[1]
}

// ByURN returns the resource with that URN, or nil.
func (s *Stack) ByURN(urn string) *Resource { return s.byURN[urn] }

// ByType returns the resources of a type token, sorted by name.
func (s *Stack) ByType(token string) []*Resource {
	var out []*Resource
	for _, r := range s.Resources {
		if r.Type == token {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Named returns the resource of that type and logical name, or nil.
func (s *Stack) Named(token, name string) *Resource {
	for _, r := range s.Resources {
		if r.Type == token && r.Name == name {
			return r
		}
	}
	return nil
}

// Children returns the direct children of a resource, sorted by type and name.
func (s *Stack) Children(parent *Resource) []*Resource {
	var out []*Resource
	for _, r := range s.Resources {
		if r.Parent == parent.URN {
			out = append(out, r)
		}
	}
	sortResources(out)
	return out
}

// ParentOf returns a resource's parent, or nil for top-level resources.
func (s *Stack) ParentOf(r *Resource) *Resource { return s.byURN[r.Parent] }

// Stack returns the stack of a layer ("" for the single stack), or nil.
func (p *Plan) Stack(layer string) *Stack {
	for _, s := range p.Stacks {
		if s.Layer == layer {
			return s
		}
	}
	return nil
}

// Count returns the number of resources (components, custom and read) in the plan.
func (p *Plan) Count() int {
	n := 0
	for _, s := range p.Stacks {
		n += len(s.Resources)
	}
	return n
}

func sortResources(rs []*Resource) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Type != rs[j].Type {
			return rs[i].Type < rs[j].Type
		}
		return rs[i].Name < rs[j].Name
	})
}

func (s *Stack) roots() []*Resource {
	var out []*Resource
	for _, r := range s.Resources {
		if s.byURN[r.Parent] == nil {
			out = append(out, r)
		}
	}
	sortResources(out)
	return out
}

// WriteText renders the plan for people: per stack a tree of components and their children, the
// exported outputs, and a count by type; then totals. Output is deterministic.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Offline plan of environment %q, mode %s: %d stack(s), %d resources\n", p.Environment, p.Mode, len(p.Stacks), p.Count())
	total := map[string]int{}
	for _, s := range p.Stacks {
		layer := s.Layer
		if layer == "" {
			layer = "all layers"
		}
		fmt.Fprintf(&b, "\n== Stack %s (%s): %d resources\n", s.Name, layer, len(s.Resources))
		for _, r := range s.roots() {
			s.writeTree(&b, r, "")
		}
		if len(s.Outputs) > 0 {
			b.WriteString("\n  outputs:\n")
			for _, k := range s.Outputs.StableKeys() {
				fmt.Fprintf(&b, "    %-32s %s\n", k, oneLine(plain(s.Outputs[k])))
			}
		}
		counts := map[string]int{}
		for _, r := range s.Resources {
			counts[r.Type]++
			total[r.Type]++
		}
		b.WriteString("\n  resources by type:\n")
		writeCounts(&b, counts)
	}
	fmt.Fprintf(&b, "\n== Resources by type, all stacks: %d\n", p.Count())
	writeCounts(&b, total)
	_, err := io.WriteString(w, b.String())
	return err
}

func (s *Stack) writeTree(b *strings.Builder, r *Resource, indent string) {
	flags := ""
	if r.Protect {
		flags += " [protect]"
	}
	if r.Read {
		flags += " [read]"
	}
	fmt.Fprintf(b, "  %s%s  %s%s\n", indent, r.Type, r.Name, flags)
	for _, c := range s.Children(r) {
		s.writeTree(b, c, indent+"  ")
	}
}

func writeCounts(b *strings.Builder, counts map[string]int) {
	for _, t := range sortedKeys(counts) {
		fmt.Fprintf(b, "    %4d  %s\n", counts[t], t)
	}
}

func oneLine(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	j, _ := json.Marshal(v)
	return string(j)
}

// JSON shapes of the plan file.
type planJSON struct {
	Environment string      `json:"environment"`
	Mode        string      `json:"mode"`
	Stacks      []stackJSON `json:"stacks"`
}

type stackJSON struct {
	Layer     string         `json:"layer"`
	Stack     string         `json:"stack"`
	Resources []resourceJSON `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
}

type resourceJSON struct {
	Type          string         `json:"type"`
	Name          string         `json:"name"`
	Parent        string         `json:"parent"`
	Custom        bool           `json:"custom"`
	Read          bool           `json:"read,omitempty"`
	Protect       bool           `json:"protect"`
	DependsOn     []string       `json:"dependsOn"`
	Provider      string         `json:"provider,omitempty"`
	Version       string         `json:"version,omitempty"`
	IgnoreChanges []string       `json:"ignoreChanges,omitempty"`
	ID            string         `json:"id,omitempty"`
	Inputs        map[string]any `json:"inputs"`
}

// WriteJSON writes the plan as indented JSON: secrets appear as "[secret]", unknowns as
// "[unknown]". Output is deterministic.
func (p *Plan) WriteJSON(w io.Writer) error {
	out := planJSON{Environment: p.Environment, Mode: p.Mode, Stacks: []stackJSON{}}
	for _, s := range p.Stacks {
		sj := stackJSON{Layer: s.Layer, Stack: s.Name, Resources: []resourceJSON{}, Outputs: plainMap(s.Outputs)}
		var ordered []*Resource
		var walk func(r *Resource)
		walk = func(r *Resource) {
			ordered = append(ordered, r)
			for _, c := range s.Children(r) {
				walk(c)
			}
		}
		for _, r := range s.roots() {
			walk(r)
		}
		for _, r := range ordered {
			rj := resourceJSON{
				Type: r.Type, Name: r.Name, Custom: r.Custom, Read: r.Read, Protect: r.Protect,
				DependsOn: []string{}, Version: r.Version, IgnoreChanges: r.IgnoreChanges, ID: r.ID,
				Inputs: plainMap(r.Inputs),
			}
			if parent := s.byURN[r.Parent]; parent != nil {
				rj.Parent = parent.Key()
			}
			if i := strings.LastIndex(r.Provider, "::"); i > 0 {
				// A provider reference is "<provider URN>::<provider ID>"; show the provider's name
				// (default_2_90_0 for the versioned default provider).
				rj.Provider = resource.URN(r.Provider[:i]).Name()
			}
			for _, d := range r.DependsOn {
				if dep := s.byURN[d]; dep != nil {
					rj.DependsOn = append(rj.DependsOn, dep.Key())
				}
			}
			sort.Strings(rj.DependsOn)
			sj.Resources = append(sj.Resources, rj)
		}
		out.Stacks = append(out.Stacks, sj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func plainMap(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[string(k)] = plain(v)
	}
	return out
}

// plain turns a property value into JSON-able data, hiding secrets and marking unknowns.
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return "[secret]"
	case v.IsComputed():
		return "[unknown]"
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return "[secret]"
		}
		if !o.Known {
			return "[unknown]"
		}
		return plain(o.Element)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := []any{}
		for _, e := range v.ArrayValue() {
			arr = append(arr, plain(e))
		}
		return arr
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset(), v.IsArchive():
		return "[asset]"
	}
	return fmt.Sprint(v)
}

// Plain returns a property value as JSON-able data (secrets as "[secret]"), for assertions.
func Plain(v resource.PropertyValue) any { return plain(v) }
