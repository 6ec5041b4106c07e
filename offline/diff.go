package offline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
)

// PlanFile is a plan as the -json flag writes it: secrets are "[secret]", unknowns "[unknown]".
// A diff compares two of them, so an earlier plan read from disk and the current one in memory
// are treated alike.
type PlanFile = planJSON

// StackFile is one stack of a PlanFile.
type StackFile = stackJSON

// ResourceFile is one resource of a StackFile.
type ResourceFile = resourceJSON

// File returns the plan in the shape it is written as JSON (secrets masked the same way).
func (p *Plan) File() (*PlanFile, error) {
	var buf bytes.Buffer
	if err := p.WriteJSON(&buf); err != nil {
		return nil, err
	}
	return ParsePlanFile(buf.Bytes())
}

// ParsePlanFile decodes a plan written by -json.
func ParsePlanFile(data []byte) (*PlanFile, error) {
	var f PlanFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not a plan file written by -json: %w", err)
	}
	if f.Mode != Layered && f.Mode != Single {
		return nil, fmt.Errorf("not a plan file written by -json: mode %q (want %s or %s)", f.Mode, Layered, Single)
	}
	return &f, nil
}

// ReadPlanFile reads a plan written by -json from a file.
func ReadPlanFile(path string) (*PlanFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := ParsePlanFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Operations of a resource in a diff, in the words of `pulumi preview`.
const (
	OpCreate  = "create"
	OpDelete  = "delete"
	OpUpdate  = "update"
	OpReplace = "replace" // an update that changes a property Azure cannot change in place
)

// Kinds of a property change.
const (
	KindAdd    = "add"
	KindDelete = "delete"
	KindUpdate = "update"
)

// Diff is what changes from an old plan to a new one, stack by stack.
type Diff struct {
	Environment    string      `json:"environment"`
	OldEnvironment string      `json:"oldEnvironment"`
	Mode           string      `json:"mode"`
	Stacks         []StackDiff `json:"stacks"`
}

// StackDiff is the change of one stack. Stacks are matched by layer.
type StackDiff struct {
	Layer string `json:"layer"`
	Stack string `json:"stack"`
	// Resources in the new plan's order (creates, updates, replaces), then the deletes in the old
	// plan's order. Unchanged resources are left out.
	Resources []ResourceDiff `json:"resources"`
	// Outputs are the changes of the stack's exported outputs.
	Outputs []PropertyChange `json:"outputs"`
	// Versions lists provider version moves, e.g. "azure-native 2.90.0 => 2.91.0 (12 resources)".
	// A version move is not counted as a change of each resource.
	Versions []string `json:"versions"`
}

// ResourceDiff is one created, deleted, updated or replaced resource.
type ResourceDiff struct {
	Op     string `json:"op"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	// Inputs of a created or deleted resource.
	Inputs map[string]any `json:"inputs,omitempty"`
	// Changes of an updated or replaced resource, sorted by path. Option changes have the paths
	// "[protect]" and "[ignoreChanges]".
	Changes []PropertyChange `json:"changes,omitempty"`
}

// PropertyChange is the change of one input path, e.g. "securityRules[name=deny-all].priority".
type PropertyChange struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
	// Replace is true when Azure cannot change this property in place (see ForcesReplacement).
	Replace bool `json:"replace,omitempty"`
}

// Counts of a stack or of a whole diff.
type Counts struct{ Create, Delete, Update, Replace int }

// Counts returns how many resources of the stack are created, deleted, updated and replaced.
func (s StackDiff) Counts() Counts {
	var c Counts
	for _, r := range s.Resources {
		switch r.Op {
		case OpCreate:
			c.Create++
		case OpDelete:
			c.Delete++
		case OpUpdate:
			c.Update++
		case OpReplace:
			c.Replace++
		}
	}
	return c
}

// Empty is true when the stack has no resource, output or version change.
func (s StackDiff) Empty() bool {
	return len(s.Resources) == 0 && len(s.Outputs) == 0 && len(s.Versions) == 0
}

// Counts adds up the counts of every stack.
func (d *Diff) Counts() Counts {
	var c Counts
	for _, s := range d.Stacks {
		sc := s.Counts()
		c.Create += sc.Create
		c.Delete += sc.Delete
		c.Update += sc.Update
		c.Replace += sc.Replace
	}
	return c
}

// Empty is true when nothing changes in any stack.
func (d *Diff) Empty() bool {
	for _, s := range d.Stacks {
		if !s.Empty() {
			return false
		}
	}
	return true
}

// Compare returns the changes from old to new. Both must have the same mode; stacks are matched
// by layer (so dev can be compared with prod), resources by their URN: type chain and name.
func Compare(old, new *PlanFile) (*Diff, error) {
	if old.Mode != new.Mode {
		return nil, fmt.Errorf("cannot compare a %s plan with a %s plan", old.Mode, new.Mode)
	}
	d := &Diff{Environment: new.Environment, OldEnvironment: old.Environment, Mode: new.Mode, Stacks: []StackDiff{}}
	oldStacks := map[string]*StackFile{}
	for i := range old.Stacks {
		oldStacks[old.Stacks[i].Layer] = &old.Stacks[i]
	}
	seen := map[string]bool{}
	for i := range new.Stacks {
		ns := &new.Stacks[i]
		seen[ns.Layer] = true
		d.Stacks = append(d.Stacks, compareStacks(oldStacks[ns.Layer], ns))
	}
	for i := range old.Stacks { // stacks that are gone
		if os := &old.Stacks[i]; !seen[os.Layer] {
			d.Stacks = append(d.Stacks, compareStacks(os, nil))
		}
	}
	return d, nil
}

func compareStacks(old, new *StackFile) StackDiff {
	empty := &StackFile{}
	if old == nil {
		old = empty
	}
	if new == nil {
		new = empty
	}
	sd := StackDiff{Layer: new.Layer, Stack: new.Stack, Resources: []ResourceDiff{}, Outputs: []PropertyChange{}, Versions: []string{}}
	if new == empty {
		sd.Layer, sd.Stack = old.Layer, old.Stack
	}
	oldByURN, oldOrder := urnIndex(old)
	newByURN, newOrder := urnIndex(new)
	versions := map[string]int{}
	for _, urn := range newOrder {
		nr := newByURN[urn]
		or, ok := oldByURN[urn]
		if !ok {
			sd.Resources = append(sd.Resources, ResourceDiff{Op: OpCreate, Type: nr.Type, Name: nr.Name, Parent: nr.Parent, Inputs: nr.Inputs})
			continue
		}
		if or.Version != nr.Version && or.Version != "" && nr.Version != "" {
			pkg, _, _ := strings.Cut(nr.Type, ":")
			versions[fmt.Sprintf("%s %s => %s", pkg, or.Version, nr.Version)]++
		}
		changes := compareResource(or, nr)
		if len(changes) == 0 {
			continue
		}
		op := OpUpdate
		for _, c := range changes {
			if c.Replace {
				op = OpReplace
			}
		}
		sd.Resources = append(sd.Resources, ResourceDiff{Op: op, Type: nr.Type, Name: nr.Name, Parent: nr.Parent, Changes: changes})
	}
	for _, urn := range oldOrder {
		if _, ok := newByURN[urn]; !ok {
			or := oldByURN[urn]
			sd.Resources = append(sd.Resources, ResourceDiff{Op: OpDelete, Type: or.Type, Name: or.Name, Parent: or.Parent, Inputs: or.Inputs})
		}
	}
	sd.Outputs = diffValues(nil, old.Outputs, new.Outputs, nil)
	for _, v := range sortedKeys(versions) {
		sd.Versions = append(sd.Versions, fmt.Sprintf("%s (%d resources)", v, versions[v]))
	}
	return sd
}

// urnIndex keys the resources of a stack by their URN's last part: the parent type chain, the
// type and the name, which is what Pulumi matches resources by.
func urnIndex(s *StackFile) (map[string]*ResourceFile, []string) {
	byKey := map[string]*ResourceFile{}
	for i := range s.Resources {
		r := &s.Resources[i]
		if _, dup := byKey[r.Type+"::"+r.Name]; !dup {
			byKey[r.Type+"::"+r.Name] = r
		}
	}
	var chain func(r *ResourceFile, depth int) string
	chain = func(r *ResourceFile, depth int) string {
		p := byKey[r.Parent]
		if p == nil || depth > len(s.Resources) {
			return r.Type
		}
		return chain(p, depth+1) + "$" + r.Type
	}
	out := map[string]*ResourceFile{}
	var order []string
	for i := range s.Resources {
		r := &s.Resources[i]
		urn := chain(r, 0) + "::" + r.Name
		if _, dup := out[urn]; dup {
			continue
		}
		out[urn] = r
		order = append(order, urn)
	}
	return out, order
}

// compareResource returns the input and option changes of one resource, sorted by path.
func compareResource(old, new *ResourceFile) []PropertyChange {
	oldIn, newIn := old.Inputs, new.Inputs
	if isAzureNative(new.Type) {
		// azure-native ignores case and spaces in a top-level location ("West Europe" is
		// "westeurope"), so such a change is none.
		if ol, nl := oldIn["location"], newIn["location"]; isString(ol) && isString(nl) && normalizedLocation(ol.(string)) == normalizedLocation(nl.(string)) {
			oldIn = withKey(oldIn, "location", nl)
		}
	}
	changes := diffValues(nil, oldIn, newIn, func(p path) bool { return ForcesReplacement(new.Type, p...) })
	if old.Protect != new.Protect {
		changes = append(changes, PropertyChange{Path: "[protect]", Kind: KindUpdate, Old: old.Protect, New: new.Protect})
	}
	if !reflect.DeepEqual(nonNil(old.IgnoreChanges), nonNil(new.IgnoreChanges)) {
		changes = append(changes, PropertyChange{Path: "[ignoreChanges]", Kind: KindUpdate, Old: strings.Join(old.IgnoreChanges, ","), New: strings.Join(new.IgnoreChanges, ",")})
	}
	return changes
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func withKey(m map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(m))
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func isString(v any) bool { _, ok := v.(string); return ok }

func isAzureNative(token string) bool { return strings.HasPrefix(token, "azure-native:") }

func normalizedLocation(l string) string { return strings.ToLower(strings.ReplaceAll(l, " ", "")) }

// path is an input path as segments: object keys, and array elements written "[3]" or, when every
// element of both arrays is an object with a unique name, "[name=deny-all]".
type path []string

func (p path) String() string {
	var b strings.Builder
	for _, s := range p {
		switch {
		case strings.HasPrefix(s, "["):
			b.WriteString(s)
		case isPlainKey(s):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		default:
			q, _ := json.Marshal(s)
			fmt.Fprintf(&b, "[%s]", q)
		}
	}
	return b.String()
}

func isPlainKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func (p path) with(seg string) path {
	out := make(path, len(p), len(p)+1)
	copy(out, p)
	return append(out, seg)
}

// diffValues returns the changes between two values below a path, leaf by leaf: objects are
// compared key by key, arrays element by element. replace tells whether a change at a path forces
// replacement (nil: never).
func diffValues(at path, old, new any, replace func(path) bool) []PropertyChange {
	var out []PropertyChange
	var walk func(at path, old, new any)
	add := func(at path, kind string, o, n any) {
		c := PropertyChange{Path: at.String(), Kind: kind, Old: o, New: n}
		if replace != nil {
			c.Replace = replace(at)
		}
		out = append(out, c)
	}
	walk = func(at path, old, new any) {
		if reflect.DeepEqual(old, new) {
			return
		}
		if old == SecretValue || new == SecretValue {
			// Masked on at least one side: say that it changed, never what it is.
			add(at, KindUpdate, SecretValue, SecretValue)
			return
		}
		om, oIsMap := old.(map[string]any)
		nm, nIsMap := new.(map[string]any)
		if oIsMap && nIsMap {
			keys := map[string]bool{}
			for k := range om {
				keys[k] = true
			}
			for k := range nm {
				keys[k] = true
			}
			for _, k := range sortedKeys(keys) {
				ov, inOld := om[k]
				nv, inNew := nm[k]
				switch {
				case !inOld:
					add(at.with(k), KindAdd, nil, nv)
				case !inNew:
					add(at.with(k), KindDelete, ov, nil)
				default:
					walk(at.with(k), ov, nv)
				}
			}
			return
		}
		oa, oIsArr := old.([]any)
		na, nIsArr := new.([]any)
		if oIsArr && nIsArr {
			on, nn := byName(oa), byName(na)
			if (on != nil || len(oa) == 0) && (nn != nil || len(na) == 0) && len(oa)+len(na) > 0 {
				names := map[string]bool{}
				for k := range on {
					names[k] = true
				}
				for k := range nn {
					names[k] = true
				}
				for _, k := range sortedKeys(names) {
					seg := "[name=" + k + "]"
					ov, inOld := on[k]
					nv, inNew := nn[k]
					switch {
					case !inOld:
						add(at.with(seg), KindAdd, nil, nv)
					case !inNew:
						add(at.with(seg), KindDelete, ov, nil)
					default:
						walk(at.with(seg), ov, nv)
					}
				}
				return
			}
			for i := 0; i < len(oa) || i < len(na); i++ {
				seg := fmt.Sprintf("[%d]", i)
				switch {
				case i >= len(oa):
					add(at.with(seg), KindAdd, nil, na[i])
				case i >= len(na):
					add(at.with(seg), KindDelete, oa[i], nil)
				default:
					walk(at.with(seg), oa[i], na[i])
				}
			}
			return
		}
		switch {
		case old == nil:
			add(at, KindAdd, nil, new)
		case new == nil:
			add(at, KindDelete, old, nil)
		default:
			add(at, KindUpdate, old, new)
		}
	}
	walk(at, old, new)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// SecretValue is how a plan file shows a secret.
const SecretValue = "[secret]"

// byName indexes an array whose elements are all objects with a unique string "name" (security
// rules, WAF rules, delegations), so inserting one element shows as one added element rather than
// as a change of every element after it. nil when the array is not such a list.
func byName(a []any) map[string]any {
	if len(a) == 0 {
		return nil
	}
	out := map[string]any{}
	for _, e := range a {
		m, ok := e.(map[string]any)
		if !ok {
			return nil
		}
		n, ok := m["name"].(string)
		if !ok || n == "" {
			return nil
		}
		if _, dup := out[n]; dup {
			return nil
		}
		out[n] = e
	}
	return out
}

// value renders a value for people: strings quoted, everything else as compact JSON.
func value(v any) string {
	if v == SecretValue {
		return SecretValue
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func (r ResourceDiff) symbol() string {
	switch r.Op {
	case OpCreate:
		return "+"
	case OpDelete:
		return "-"
	case OpReplace:
		return "+-"
	}
	return "~"
}

func (c PropertyChange) symbol() string {
	switch c.Kind {
	case KindAdd:
		return "+"
	case KindDelete:
		return "-"
	}
	return "~"
}

// lines renders one stack's changes the way `pulumi preview --diff` does: a line per resource
// (+ create, - delete, ~ update, +- replace) and, indented, its inputs or changed paths.
func (s StackDiff) lines() []string {
	var out []string
	for _, r := range s.Resources {
		head := fmt.Sprintf("%-2s %s  %s", r.symbol(), r.Type, r.Name)
		if r.Op == OpReplace {
			head += "  [replace]"
		}
		out = append(out, head)
		switch r.Op {
		case OpCreate, OpDelete:
			sym := r.symbol()
			for _, k := range sortedKeys(r.Inputs) {
				out = append(out, fmt.Sprintf("%-2s     %s: %s", sym, path{k}, value(r.Inputs[k])))
			}
		default:
			for _, c := range r.Changes {
				out = append(out, "   "+c.line())
			}
		}
	}
	if len(s.Outputs) > 0 {
		out = append(out, "   outputs:")
		for _, c := range s.Outputs {
			out = append(out, "   "+c.line())
		}
	}
	for _, v := range s.Versions {
		out = append(out, "   provider version: "+v)
	}
	return out
}

func (c PropertyChange) line() string {
	var l string
	switch c.Kind {
	case KindAdd:
		l = fmt.Sprintf("%s %s: %s", c.symbol(), c.Path, value(c.New))
	case KindDelete:
		l = fmt.Sprintf("%s %s: %s", c.symbol(), c.Path, value(c.Old))
	default:
		l = fmt.Sprintf("%s %s: %s => %s", c.symbol(), c.Path, value(c.Old), value(c.New))
	}
	if c.Replace {
		l += "  (forces replacement)"
	}
	return "  " + l
}

func (c Counts) summary() string {
	parts := []string{
		fmt.Sprintf("%d to create", c.Create),
		fmt.Sprintf("%d to delete", c.Delete),
		fmt.Sprintf("%d to update", c.Update),
		fmt.Sprintf("%d to replace", c.Replace),
	}
	return strings.Join(parts, ", ")
}

func (s StackDiff) title() string {
	if s.Layer == "" {
		return s.Stack
	}
	return s.Layer
}

// WriteText renders the diff for a terminal, like `pulumi preview --diff`: per stack the created,
// deleted, updated and replaced resources with their inputs or changed paths. Secrets stay masked.
func (d *Diff) WriteText(w io.Writer, against string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Offline plan diff of environment %q against %s", d.Environment, against)
	if d.OldEnvironment != d.Environment {
		fmt.Fprintf(&b, " (a plan of environment %q)", d.OldEnvironment)
	}
	fmt.Fprintf(&b, ": %s\n", d.Counts().summary())
	if d.Empty() {
		b.WriteString("No changes.\n")
	}
	for _, s := range d.Stacks {
		if s.Empty() {
			continue
		}
		fmt.Fprintf(&b, "\n== Stack %s (%s): %s\n", s.Stack, s.title(), s.Counts().summary())
		for _, l := range s.lines() {
			b.WriteString(l + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the diff as indented JSON.
func (d *Diff) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// MarkdownLimit is the most characters WriteMarkdown writes for one environment, well under the
// 65536 characters of a GitHub comment with room for two environments and the previews' heading.
const MarkdownLimit = 28000

// WriteMarkdown renders the diff for a pull-request comment: a heading, a summary table of the
// stacks, and per changed stack a collapsible block with the text form. The details are cut to
// keep the whole under MarkdownLimit characters; the cut is said.
func (d *Diff) WriteMarkdown(w io.Writer, against string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Offline plan diff: %s\n\n", d.Environment)
	fmt.Fprintf(&b, "Against %s", against)
	if d.OldEnvironment != d.Environment {
		fmt.Fprintf(&b, " (a plan of environment `%s`)", d.OldEnvironment)
	}
	if d.Empty() {
		b.WriteString(": **no changes**.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	c := d.Counts()
	fmt.Fprintf(&b, ": **%s**.", c.summary())
	if c.Replace > 0 {
		b.WriteString(" :warning: Replaced resources are deleted and created again.")
	}
	b.WriteString("\n\n| stack | create | delete | update | replace |\n|---|---:|---:|---:|---:|\n")
	for _, s := range d.Stacks {
		sc := s.Counts()
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %d |\n", s.title(), sc.Create, sc.Delete, sc.Update, sc.Replace)
	}
	budget := MarkdownLimit - b.Len()
	var changed []StackDiff
	for _, s := range d.Stacks {
		if !s.Empty() {
			changed = append(changed, s)
		}
	}
	for i, s := range changed {
		// Each stack gets an equal share of what is left, so a large first stack does not crowd
		// out the others; what a small stack leaves goes to the ones after it.
		share := budget / (len(changed) - i)
		if share < 400 {
			fmt.Fprintf(&b, "\n%d more stacks left out to fit a comment: see the pipeline's diff artifact.\n", len(changed)-i)
			break
		}
		lines := s.lines()
		body := strings.Join(lines, "\n")
		fence := "```"
		for strings.Contains(body, fence) {
			fence += "`"
		}
		head := fmt.Sprintf("\n<details><summary><code>%s</code>: %s</summary>\n\n%sdiff\n", s.title(), s.Counts().summary(), fence)
		tail := fence + "\n</details>\n"
		var kept []string
		used := len(head) + len(tail)
		for i, l := range lines {
			if used+len(l)+1 > share-200 {
				kept = append(kept, fmt.Sprintf("... %d more lines cut to fit a comment: the full diff is in the pipeline's diff artifact", len(lines)-i))
				break
			}
			kept = append(kept, l)
			used += len(l) + 1
		}
		block := head + strings.Join(kept, "\n") + "\n" + tail
		b.WriteString(block)
		budget -= len(block)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
