// Package policy evaluates the platform's policy pack — this directory's PulumiPolicy.yaml and
// *.rego files — exactly the way the Pulumi OPA analyzer (pulumi-policy-opa) evaluates it during
// `pulumi preview --policy-pack policy`, so the same rules can run offline on every plan: in
// `go test ./...` and in `go run ./cmd/plan -policy policy/`.
//
// What the analyzer does, read from its source at AnalyzerVersion (cmd/pulumi-analyzer-policy-opa:
// policy.go, eval.go, analyzer.go) and Pulumi's engine (step generator, analyzer plugin client and
// server):
//   - It walks the pack directory for *.rego files, compiles them as Rego v0 (files that
//     `import rego.v1` may use v1 syntax) and requires them to share one package; the package
//     name is the pack's name.
//   - Rules named deny_*/violation_* (regexp ^(deny|violation)(_[a-zA-Z]+)*$) are mandatory and
//     warn_* (^warn(_[a-zA-Z]+)*$) advisory; every other rule is a helper. A name with a digit
//     matches neither and is silently ignored, so Load refuses one.
//   - For every resource the engine registers it queries data.<package>.<rule> per rule and
//     reports each string of the resulting set as a violation of that rule for the resource's URN.
//   - The input is the resource's checked inputs and nothing else: the engine marshals them with
//     unknowns and secrets kept and internal "__" keys dropped, the analyzer unmarshals them the
//     same way and passes PropertyMap.Mappable(). The type token, name, URN and resource options
//     reach the analyzer but never reach Rego. Rules therefore recognise a resource type by its
//     properties (kinds.rego), and resource options such as protect are out of reach.
//   - It implements no stack-wide analysis (AnalyzeStack returns nothing) and ignores policy
//     configuration (Configure is a no-op).
//
// Rules that need the whole stack (a diagnostic setting for every data service, locks and protect
// in prod, maintenance windows) are stack_deny_* rules: the analyzer never queries them, this
// package evaluates them over a stack input of its own (see StackInput). README.md says which
// rules the engine enforces and which only the offline check does.
package policy

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"gopkg.in/yaml.v3"
)

// AnalyzerVersion is the pulumi-policy-opa release whose behaviour this package reproduces
// (tag v0.1.0, commit 21197b6e12aa232616d5257126e1c764e9c73189). The engine installs the
// analyzer plugin as `analyzer policy-opa`; pin this version in pipelines.
const AnalyzerVersion = "v0.1.0"

//go:embed PulumiPolicy.yaml *.rego
var embedded embed.FS

// Levels of a rule, named as Pulumi names enforcement levels.
const (
	Mandatory = "mandatory" // deny_*: fails `pulumi up` (and the offline check)
	Advisory  = "advisory"  // warn_*: reported only
)

var (
	// The analyzer's own patterns (policy.go at AnalyzerVersion).
	denyPattern = regexp.MustCompile(`^(deny|violation)(_[a-zA-Z]+)*$`)
	warnPattern = regexp.MustCompile(`^warn(_[a-zA-Z]+)*$`)
	// Stack rules: evaluated by this package only.
	stackDenyPattern = regexp.MustCompile(`^stack_deny(_[a-zA-Z]+)*$`)
	stackWarnPattern = regexp.MustCompile(`^stack_warn(_[a-zA-Z]+)*$`)
	// Anything that looks meant as a rule must match one of the patterns above.
	ruleLike = regexp.MustCompile(`^(stack_)?(deny|violation|warn)`)
)

// Rule is one rule of the pack.
type Rule struct {
	Name   string // e.g. deny_aks_local_accounts
	Level  string // Mandatory or Advisory
	Stack  bool   // a stack rule: evaluated offline only, never by the analyzer
	Module string // the file that defines it, e.g. aks.rego
}

// Violation is one message of one rule for one resource (URN) or, for stack rules, one stack.
type Violation struct {
	Rule    string
	Level   string
	Stack   bool
	URN     string // the resource's URN; for stack rules, the stack's name
	Message string
}

// Pack is a compiled policy pack.
type Pack struct {
	Name        string // the Rego package, which the analyzer reports as the pack's name
	Description string // from PulumiPolicy.yaml
	Version     string // from PulumiPolicy.yaml; `pulumi policy publish` uses it
	Rules       []Rule // sorted by name

	byName   map[string]Rule
	compiler *ast.Compiler
	resource []Rule // rules of the resource query, in query order
	stack    []Rule
	resQuery rego.PreparedEvalQuery
	stkQuery rego.PreparedEvalQuery
	kinds    rego.PreparedEvalQuery
}

// Embedded returns the pack compiled into this binary (the policy/ directory at build time).
func Embedded() (*Pack, error) { return Load(embedded) }

// LoadDir loads the pack in a directory, as `pulumi preview --policy-pack <dir>` would.
func LoadDir(dir string) (*Pack, error) {
	p, err := Load(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("policy pack %s: %w", dir, err)
	}
	return p, nil
}

// Load reads PulumiPolicy.yaml and every *.rego file below the root of fsys and compiles them as
// the analyzer does. It refuses what the analyzer would silently mishandle: a rule-like name that
// neither pattern matches, a rule that is not a set of messages, modules of different packages.
func Load(fsys fs.FS) (*Pack, error) {
	manifest, err := fs.ReadFile(fsys, "PulumiPolicy.yaml")
	if err != nil {
		return nil, err
	}
	var proj struct {
		Runtime     yaml.Node `yaml:"runtime"`
		Version     string    `yaml:"version"`
		Description string    `yaml:"description"`
	}
	if err := yaml.Unmarshal(manifest, &proj); err != nil {
		return nil, fmt.Errorf("PulumiPolicy.yaml: %w", err)
	}
	runtime := proj.Runtime.Value
	if proj.Runtime.Kind == yaml.MappingNode {
		var rt struct {
			Name string `yaml:"name"`
		}
		if err := proj.Runtime.Decode(&rt); err != nil {
			return nil, fmt.Errorf("PulumiPolicy.yaml: runtime: %w", err)
		}
		runtime = rt.Name
	}
	if runtime != "opa" {
		return nil, fmt.Errorf("PulumiPolicy.yaml: runtime %q: want opa (the pulumi-policy-opa analyzer)", runtime)
	}

	modules := map[string]string{}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".rego" {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		modules[strings.TrimSuffix(p, ".rego")] = string(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(modules) == 0 {
		return nil, errors.New("no .rego files")
	}
	// Exactly the analyzer's compile options.
	compiler, err := ast.CompileModulesWithOpt(modules, ast.CompileOpts{
		ParserOptions: ast.ParserOptions{RegoVersion: ast.RegoV0},
	})
	if err != nil {
		return nil, fmt.Errorf("policy compilation failed: %w", err)
	}

	pack := &Pack{Version: proj.Version, Description: proj.Description, byName: map[string]Rule{}, compiler: compiler}
	var problems []string
	for _, name := range sortedKeys(compiler.Modules) {
		module := compiler.Modules[name]
		pkg := strings.TrimPrefix(module.Package.String(), "package ")
		if pack.Name == "" {
			pack.Name = pkg
		} else if pkg != pack.Name {
			problems = append(problems, fmt.Sprintf("%s.rego: package %s, want %s (the analyzer needs one package)", name, pkg, pack.Name))
		}
		for _, r := range module.Rules {
			ruleName := r.Head.Name.String()
			if ruleName == "" {
				ruleName = r.Head.Ref().String()
			}
			if !ruleLike.MatchString(ruleName) {
				continue // a helper
			}
			rule := Rule{Name: ruleName, Module: name + ".rego"}
			switch {
			case denyPattern.MatchString(ruleName):
				rule.Level = Mandatory
			case warnPattern.MatchString(ruleName):
				rule.Level = Advisory
			case stackDenyPattern.MatchString(ruleName):
				rule.Level, rule.Stack = Mandatory, true
			case stackWarnPattern.MatchString(ruleName):
				rule.Level, rule.Stack = Advisory, true
			default:
				problems = append(problems, fmt.Sprintf("%s.rego: rule %s would be ignored by the analyzer: a rule name is deny, warn or violation followed by _words of letters only", name, ruleName))
				continue
			}
			if r.Head.RuleKind() != ast.MultiValue {
				problems = append(problems, fmt.Sprintf("%s.rego: rule %s must be a set of messages (%s contains msg if { ... })", name, ruleName, ruleName))
				continue
			}
			if prev, ok := pack.byName[ruleName]; ok {
				if prev.Module != rule.Module {
					problems = append(problems, fmt.Sprintf("rule %s is defined in %s and %s: keep a rule in one file", ruleName, prev.Module, rule.Module))
				}
				continue // further bodies of the same rule
			}
			pack.byName[ruleName] = rule
			pack.Rules = append(pack.Rules, rule)
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	sort.Slice(pack.Rules, func(i, j int) bool { return pack.Rules[i].Name < pack.Rules[j].Name })
	for _, r := range pack.Rules {
		if r.Stack {
			pack.stack = append(pack.stack, r)
		} else {
			pack.resource = append(pack.resource, r)
		}
	}

	ctx := context.Background()
	if pack.resQuery, err = pack.prepare(ctx, queryOf(pack.Name, pack.resource)); err != nil {
		return nil, err
	}
	if pack.stkQuery, err = pack.prepare(ctx, queryOf(pack.Name, pack.stack)); err != nil {
		return nil, err
	}
	if _, ok := compilerRule(compiler, pack.Name, "kinds"); ok {
		if pack.kinds, err = pack.prepare(ctx, "data."+pack.Name+".kinds"); err != nil {
			return nil, err
		}
	}
	return pack, nil
}

func compilerRule(c *ast.Compiler, pkg, name string) (*ast.Rule, bool) {
	rules := c.GetRulesExact(ast.MustParseRef("data." + pkg + "." + name))
	if len(rules) == 0 {
		return nil, false
	}
	return rules[0], true
}

// queryOf is one query that evaluates every rule at once: `data.pkg.a; data.pkg.b; ...`. The
// analyzer runs one query per rule; a set rule is always defined (empty when nothing matched), so
// the conjunction returns exactly the sets the separate queries would (TestCombinedQueryMatchesAnalyzer).
func queryOf(pkg string, rules []Rule) string {
	if len(rules) == 0 {
		return "true"
	}
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = "data." + pkg + "." + r.Name
	}
	return strings.Join(parts, "; ")
}

func (p *Pack) prepare(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
	q, err := rego.New(rego.Query(query), rego.Compiler(p.compiler), rego.SetRegoVersion(ast.RegoV0)).PrepareForEval(ctx)
	if err != nil {
		return q, fmt.Errorf("preparing %s: %w", query, err)
	}
	return q, nil
}

// Rule returns the rule of that name.
func (p *Pack) Rule(name string) (Rule, bool) {
	r, ok := p.byName[name]
	return r, ok
}

// Input is the analyzer's input for a resource with these (checked) inputs: the engine's
// marshalling (unknowns and secrets kept, internal keys skipped), the analyzer server's
// unmarshalling with the same options, then Mappable(). Unknown values arrive as
// {"Element": {"V": <zero value>}} and secrets as {"Element": {"V": <value>}} objects, because
// Mappable keeps them as resource.Computed and *resource.Secret, which Rego receives as JSON.
func Input(props resource.PropertyMap) (map[string]any, error) {
	opts := plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true}
	wire, err := plugin.MarshalProperties(props, opts)
	if err != nil {
		return nil, err
	}
	back, err := plugin.UnmarshalProperties(wire, opts)
	if err != nil {
		return nil, err
	}
	return back.Mappable(), nil
}

// EvaluateResource runs every resource rule on one analyzer input (see Input) and returns its
// violations, with urn as their URN.
func (p *Pack) EvaluateResource(ctx context.Context, urn string, input map[string]any) ([]Violation, error) {
	return p.eval(ctx, p.resQuery, p.resource, urn, input)
}

// StackResource is one resource of a stack as the stack rules see it.
type StackResource struct {
	Type       string         `json:"type"`
	Name       string         `json:"name"`
	URN        string         `json:"urn"`
	ID         string         `json:"id"`
	Protect    bool           `json:"protect"`
	Properties map[string]any `json:"properties"` // the analyzer's input for the resource
}

// StackInput is the input of the stack rules: {"resources": [...]}. The analyzer has no such
// input; its shape follows the resources Pulumi's engine hands AnalyzeStack (type, name, URN,
// properties, the protect option), with the resource's ID and its inputs as properties.
type StackInput struct {
	Resources []StackResource `json:"resources"`
}

// EvaluateStack runs every stack rule on one stack; stack names the violations' stack.
func (p *Pack) EvaluateStack(ctx context.Context, stack string, in StackInput) ([]Violation, error) {
	resources := make([]any, len(in.Resources))
	for i, r := range in.Resources {
		resources[i] = map[string]any{
			"type": r.Type, "name": r.Name, "urn": r.URN, "id": r.ID, "protect": r.Protect, "properties": r.Properties,
		}
	}
	return p.eval(ctx, p.stkQuery, p.stack, stack, map[string]any{"resources": resources})
}

func (p *Pack) eval(ctx context.Context, q rego.PreparedEvalQuery, rules []Rule, urn string, input any) ([]Violation, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	rs, err := q.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluating %s for %s: %w", p.Name, urn, err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != len(rules) {
		return nil, fmt.Errorf("evaluating %s for %s: a rule was undefined", p.Name, urn)
	}
	var out []Violation
	for i, expr := range rs[0].Expressions {
		msgs, ok := expr.Value.([]any)
		if !ok {
			return nil, fmt.Errorf("rule %s for %s: value %T, want a set of messages", rules[i].Name, urn, expr.Value)
		}
		for _, m := range msgs {
			s, ok := m.(string)
			if !ok { // the analyzer would panic on this
				return nil, fmt.Errorf("rule %s for %s: message %v is not a string", rules[i].Name, urn, m)
			}
			out = append(out, Violation{Rule: rules[i].Name, Level: rules[i].Level, Stack: rules[i].Stack, URN: urn, Message: s})
		}
	}
	sortViolations(out)
	return out, nil
}

// Kinds returns the resource kinds the pack's kinds.rego recognises in an analyzer input (the
// basis of every type guard); nil when the pack defines no kinds.
func (p *Pack) Kinds(ctx context.Context, input map[string]any) ([]string, error) {
	if _, ok := compilerRule(p.compiler, p.Name, "kinds"); !ok {
		return nil, nil
	}
	rs, err := p.kinds.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return nil, err
	}
	var out []string
	if len(rs) == 1 {
		vals, _ := rs[0].Expressions[0].Value.([]any)
		for _, v := range vals {
			out = append(out, fmt.Sprint(v))
		}
	}
	sort.Strings(out)
	return out, nil
}

func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
