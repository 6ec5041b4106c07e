package pipelines

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadAzureDevOps reads an Azure DevOps pipeline and expands its templates the way Azure
// Pipelines does at compile time: template references are resolved relative to the file that
// holds them, each template's parameters are bound (an undeclared parameter, a missing required
// one or an unknown ${{ parameters.x }} is an error), and ${{ parameters.x }} is substituted. It
// supports only that expression, on purpose: the project's pipelines stay simple enough to check.
// Runtime macros such as $(Agent.TempDirectory) are left as they are.
func LoadAzureDevOps(file string) (*Pipeline, error) {
	return LoadAzureDevOpsWith(file, nil)
}

// LoadAzureDevOpsWith is LoadAzureDevOps for a pipeline of another repository that includes
// templates of repositories it declares (resources.repositories): a reference file@alias is
// resolved in repos[alias], the directory of that repository's checkout, as Azure Pipelines does;
// references inside such a template stay in its repository.
func LoadAzureDevOpsWith(file string, repos map[string]string) (*Pipeline, error) {
	return LoadAzureDevOpsRun(file, repos, nil)
}

// LoadAzureDevOpsRun is LoadAzureDevOpsWith for a run queued with parameters: each value (a
// string, or a map for an object parameter) replaces the parameter's default, as the run dialog or
// the REST API's templateParameters do; an undeclared parameter is an error.
func LoadAzureDevOpsRun(file string, repos map[string]string, parameters map[string]any) (*Pipeline, error) {
	root, err := readYAML(file)
	if err != nil {
		return nil, err
	}
	var passed *yaml.Node
	if parameters != nil {
		passed = &yaml.Node{}
		if err := passed.Encode(parameters); err != nil {
			return nil, fmt.Errorf("%s: parameters: %w", file, err)
		}
	}
	params, err := declaredParameters(root, passed, file)
	if err != nil {
		return nil, err
	}
	if err := substitute(root, params, file); err != nil {
		return nil, err
	}
	x := expander{repos: repos}
	if err := x.expand(root, filepath.Dir(file)); err != nil {
		return nil, err
	}
	p := &Pipeline{File: file, Parameters: map[string]string{}, Variables: variables(value(root, "variables"))}
	for name, v := range params {
		p.Parameters[name] = nodeText(v)
	}
	switch {
	case value(root, "stages") != nil:
		for _, s := range items(value(root, "stages")) {
			st, err := adoStage(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			p.Stages = append(p.Stages, st)
		}
	case value(root, "jobs") != nil:
		st, err := adoStage(mapping("stage", "__default", "jobs", value(root, "jobs")))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		p.Stages = []Stage{st}
	default:
		return nil, fmt.Errorf("%s: no stages or jobs", file)
	}
	return p, nil
}

func readYAML(file string) (*yaml.Node, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: want a mapping", file)
	}
	return doc.Content[0], nil
}

// declaredParameters binds a template's (or pipeline's) parameters: the passed values, else the
// declared defaults. Undeclared and missing required parameters are errors.
func declaredParameters(root, passed *yaml.Node, file string) (map[string]*yaml.Node, error) {
	out := map[string]*yaml.Node{}
	declared := map[string]bool{}
	var errs []error
	for _, p := range items(value(root, "parameters")) {
		name := scalarValue(value(p, "name"))
		if name == "" {
			errs = append(errs, fmt.Errorf("%s: a parameter without a name", file))
			continue
		}
		declared[name] = true
		if d := value(p, "default"); d != nil {
			out[name] = d
		}
	}
	if passed != nil {
		for i := 0; i+1 < len(passed.Content); i += 2 {
			k := passed.Content[i].Value
			if !declared[k] {
				errs = append(errs, fmt.Errorf("%s: parameter %q is not declared", file, k))
				continue
			}
			out[k] = passed.Content[i+1]
		}
	}
	for name := range declared {
		if out[name] == nil {
			errs = append(errs, fmt.Errorf("%s: required parameter %q is not passed", file, name))
		}
	}
	return out, errors.Join(errs...)
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
var parameterRef = regexp.MustCompile(`^parameters\.([A-Za-z_][A-Za-z0-9_]*)$`)

// substitute replaces ${{ parameters.x }} below n (the parameters section itself excepted). A
// scalar that is exactly one expression takes the parameter's node (so objects pass through).
func substitute(n *yaml.Node, params map[string]*yaml.Node, file string) error {
	var errs []error
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i])
				walk(n.Content[i+1])
			}
		case yaml.SequenceNode, yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.ScalarNode:
			ms := expression.FindAllStringSubmatchIndex(n.Value, -1)
			if len(ms) == 0 {
				return
			}
			var b strings.Builder
			last := 0
			for _, m := range ms {
				expr := n.Value[m[2]:m[3]]
				pm := parameterRef.FindStringSubmatch(expr)
				if pm == nil {
					errs = append(errs, fmt.Errorf("%s: expression ${{ %s }}: only ${{ parameters.<name> }} is used in this project", file, expr))
					return
				}
				v, ok := params[pm[1]]
				if !ok {
					errs = append(errs, fmt.Errorf("%s: ${{ parameters.%s }}: no such parameter", file, pm[1]))
					return
				}
				if m[0] == 0 && m[1] == len(n.Value) && v.Kind != yaml.ScalarNode {
					*n = *clone(v)
					return
				}
				if v.Kind != yaml.ScalarNode {
					errs = append(errs, fmt.Errorf("%s: parameter %s is not a scalar, but used inside a string", file, pm[1]))
					return
				}
				b.WriteString(n.Value[last:m[0]])
				b.WriteString(v.Value)
				last = m[1]
			}
			b.WriteString(n.Value[last:])
			n.Value = b.String()
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Kind == yaml.MappingNode && n.Content[i].Value == "parameters" {
			continue // the declarations, with their defaults, are not substituted
		}
		walk(n.Content[i+1])
	}
	return errors.Join(errs...)
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = nil
	for _, ch := range n.Content {
		c.Content = append(c.Content, clone(ch))
	}
	return &c
}

type expander struct {
	depth int
	repos map[string]string
}

// expand replaces, in every sequence below n, each item {template: file, parameters: ...} with the
// items of that template's section of the same kind (stages, jobs, steps or variables).
func (x *expander) expand(n *yaml.Node, dir string) error {
	if x.depth > 20 {
		return errors.New("templates nested deeper than 20")
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if key == "parameters" {
				continue
			}
			if err := x.expandSeq(n.Content[i+1], key, dir); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if err := x.expand(c, dir); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x *expander) expandSeq(n *yaml.Node, key, dir string) error {
	if n.Kind != yaml.SequenceNode {
		return x.expand(n, dir)
	}
	var out []*yaml.Node
	for _, item := range n.Content {
		ref := value(item, "template")
		if item.Kind != yaml.MappingNode || ref == nil {
			if err := x.expand(item, dir); err != nil {
				return err
			}
			out = append(out, item)
			continue
		}
		file := filepath.Join(dir, ref.Value)
		if path, alias, ok := strings.Cut(ref.Value, "@"); ok {
			repo, known := x.repos[alias]
			if !known {
				return fmt.Errorf("template %s: repository %q is not declared (resources.repositories)", ref.Value, alias)
			}
			file = filepath.Join(repo, path)
		}
		troot, err := readYAML(file)
		if err != nil {
			return err
		}
		params, err := declaredParameters(troot, value(item, "parameters"), file)
		if err != nil {
			return err
		}
		if err := substitute(troot, params, file); err != nil {
			return err
		}
		section := value(troot, key)
		if section == nil || section.Kind != yaml.SequenceNode {
			return fmt.Errorf("%s: used as %s, but has no %s list", file, key, key)
		}
		x.depth++
		if err := x.expandSeq(section, key, filepath.Dir(file)); err != nil {
			return err
		}
		x.depth--
		out = append(out, section.Content...)
	}
	n.Content = out
	return nil
}

func adoStage(n *yaml.Node) (Stage, error) {
	st := Stage{Name: scalarValue(value(n, "stage")), DependsOn: list(value(n, "dependsOn")), Condition: scalarValue(value(n, "condition"))}
	for _, j := range items(value(n, "jobs")) {
		job := Job{DependsOn: list(value(j, "dependsOn")), Condition: scalarValue(value(j, "condition")), Pool: adoPool(value(j, "pool"))}
		var steps *yaml.Node
		switch {
		case value(j, "job") != nil:
			job.Name = scalarValue(value(j, "job"))
			steps = value(j, "steps")
		case value(j, "deployment") != nil:
			job.Name, job.Deployment = scalarValue(value(j, "deployment")), true
			env := value(j, "environment")
			if env != nil && env.Kind == yaml.MappingNode {
				env = value(env, "name")
			}
			job.Environment = scalarValue(env)
			steps = value(value(value(value(j, "strategy"), "runOnce"), "deploy"), "steps")
		default:
			return st, fmt.Errorf("stage %s: a job that is neither job nor deployment", st.Name)
		}
		for _, s := range items(steps) {
			job.Steps = append(job.Steps, adoStep(s))
		}
		st.Jobs = append(st.Jobs, job)
	}
	return st, nil
}

// adoPool reads a job's pool: "name:<pool>" for a named (self-hosted) pool, "vmImage:<image>" for
// a Microsoft-hosted image, "" when the job names none.
func adoPool(n *yaml.Node) string {
	switch {
	case n == nil:
		return ""
	case n.Kind == yaml.ScalarNode:
		return "name:" + n.Value
	case value(n, "name") != nil:
		return "name:" + scalarValue(value(n, "name"))
	case value(n, "vmImage") != nil:
		return "vmImage:" + scalarValue(value(n, "vmImage"))
	}
	return nodeText(n)
}

// nodeText is a scalar's value, or the YAML of a mapping or list (object parameters).
func nodeText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return strings.TrimSpace(string(out))
}

func adoStep(n *yaml.Node) Step {
	s := Step{
		Name:             scalarValue(value(n, "displayName")),
		Env:              stringMap(value(n, "env")),
		Inputs:           stringMap(value(n, "inputs")),
		Condition:        scalarValue(value(n, "condition")),
		WorkingDirectory: scalarValue(value(n, "workingDirectory")),
	}
	for _, k := range []string{"script", "bash", "pwsh", "powershell"} {
		if v := value(n, k); v != nil {
			s.Script = v.Value
		}
	}
	for _, k := range []string{"task", "checkout", "download", "publish"} {
		if v := value(n, k); v != nil {
			s.Uses = k + ":" + v.Value
			if k == "task" {
				s.Uses = v.Value
			}
		}
	}
	if s.Uses == "AzureCLI@2" {
		s.Script = s.Inputs["inlineScript"]
		s.WorkingDirectory = s.Inputs["workingDirectory"]
	}
	return s
}

// variables reads an Azure DevOps variables section (a mapping, or a list of name/value items;
// groups and templates are left out) or a GitHub env mapping.
func variables(n *yaml.Node) map[string]string {
	out := map[string]string{}
	if n == nil {
		return out
	}
	if n.Kind == yaml.MappingNode {
		return stringMap(n)
	}
	for _, v := range items(n) {
		if name := value(v, "name"); name != nil {
			out[name.Value] = scalarValue(value(v, "value"))
		}
	}
	return out
}

func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func scalarValue(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func list(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if n.Value == "" {
			return nil
		}
		return []string{n.Value}
	}
	var out []string
	for _, c := range items(n) {
		out = append(out, c.Value)
	}
	return out
}

func stringMap(n *yaml.Node) map[string]string {
	out := map[string]string{}
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		out[n.Content[i].Value] = n.Content[i+1].Value
	}
	return out
}

func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: kv[i].(string)})
		switch v := kv[i+1].(type) {
		case string:
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: v})
		case *yaml.Node:
			if v == nil {
				v = &yaml.Node{Kind: yaml.SequenceNode}
			}
			m.Content = append(m.Content, v)
		}
	}
	return m
}
