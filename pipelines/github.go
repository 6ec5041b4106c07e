package pipelines

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadGitHub reads a GitHub Actions workflow into the model: one stage named after the file, one
// job per job and matrix combination (${{ matrix.x }} substituted), and the steps of local
// composite actions (uses: ./.github/actions/NAME) expanded in place with ${{ inputs.x }}
// substituted, as the runner does; a missing required input or an unknown one is an error. root
// is the repository root that ./ paths are relative to.
func LoadGitHub(file, root string) (*Pipeline, error) {
	wf, err := readYAML(file)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{File: file, Variables: variables(value(wf, "env")), Parameters: map[string]string{}}
	st := Stage{Name: filepath.Base(file)}
	jobs := value(wf, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: no jobs", file)
	}
	topPerms := permissions(value(wf, "permissions"))
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		id, def := jobs.Content[i].Value, jobs.Content[i+1]
		m := value(value(def, "strategy"), "matrix")
		// A matrix computed at run time (${{ fromJSON(needs.x.outputs.matrix) }}) is one job
		// whose ${{ matrix.* }} stay as they are.
		dynamic := m != nil && m.Kind == yaml.ScalarNode
		for _, combo := range matrix(m) {
			j := clone(def)
			if !dynamic {
				if err := substituteContext(j, "matrix", combo, file); err != nil {
					return nil, err
				}
			}
			job := Job{Name: id + combo.suffix(), DependsOn: list(value(j, "needs")), Condition: scalarValue(value(j, "if")), Permissions: topPerms}
			if ro := value(j, "runs-on"); ro != nil {
				job.Pool = nodeText(ro)
			}
			if perms := value(j, "permissions"); perms != nil {
				job.Permissions = permissions(perms)
			}
			env := value(j, "environment")
			if env != nil && env.Kind == yaml.MappingNode {
				env = value(env, "name")
			}
			job.Environment = scalarValue(env)
			jobDir := scalarValue(value(value(value(j, "defaults"), "run"), "working-directory"))
			for _, s := range items(value(j, "steps")) {
				steps, err := githubSteps(s, root, jobDir, 0)
				if err != nil {
					return nil, fmt.Errorf("%s: job %s: %w", file, id, err)
				}
				job.Steps = append(job.Steps, steps...)
			}
			st.Jobs = append(st.Jobs, job)
		}
	}
	p.Stages = []Stage{st}
	return p, nil
}

func githubSteps(n *yaml.Node, root, jobDir string, depth int) ([]Step, error) {
	s := Step{
		Name:             scalarValue(value(n, "name")),
		Uses:             scalarValue(value(n, "uses")),
		Script:           scalarValue(value(n, "run")),
		WorkingDirectory: scalarValue(value(n, "working-directory")),
		Env:              stringMap(value(n, "env")),
		Inputs:           stringMap(value(n, "with")),
		Condition:        scalarValue(value(n, "if")),
	}
	if s.Script != "" && s.WorkingDirectory == "" {
		s.WorkingDirectory = jobDir
	}
	if !strings.HasPrefix(s.Uses, "./") {
		return []Step{s}, nil
	}
	if depth > 5 {
		return nil, errors.New("composite actions nested deeper than 5")
	}
	dir := filepath.Join(root, s.Uses)
	action, err := readYAML(filepath.Join(dir, "action.yml"))
	if err != nil {
		return nil, err
	}
	if scalarValue(value(value(action, "runs"), "using")) != "composite" {
		return []Step{s}, nil
	}
	inputs := map[string]string{}
	var errs []error
	declared := value(action, "inputs")
	for i := 0; declared != nil && i+1 < len(declared.Content); i += 2 {
		name, def := declared.Content[i].Value, declared.Content[i+1]
		v, passed := s.Inputs[name]
		switch {
		case passed:
			inputs[name] = v
		case value(def, "default") != nil:
			inputs[name] = scalarValue(value(def, "default"))
		case scalarValue(value(def, "required")) == "true":
			errs = append(errs, fmt.Errorf("%s: required input %q is not passed", s.Uses, name))
		default:
			inputs[name] = ""
		}
	}
	for name := range s.Inputs {
		if _, ok := inputs[name]; !ok && value(declared, name) == nil {
			errs = append(errs, fmt.Errorf("%s: input %q is not declared", s.Uses, name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	steps := clone(value(value(action, "runs"), "steps"))
	if err := substituteContext(steps, "inputs", inputs, s.Uses); err != nil {
		return nil, err
	}
	var out []Step
	for _, c := range items(steps) {
		cs, err := githubSteps(c, root, "", depth+1)
		if err != nil {
			return nil, err
		}
		for i := range cs {
			// The step's own env reaches the action's steps too.
			for k, v := range s.Env {
				if _, set := cs[i].Env[k]; !set {
					cs[i].Env[k] = v
				}
			}
			if cs[i].Condition == "" {
				cs[i].Condition = s.Condition
			}
		}
		out = append(out, cs...)
	}
	return out, nil
}

// combo is one matrix combination.
type combo map[string]string

func (c combo) suffix() string {
	if len(c) == 0 {
		return ""
	}
	var keys []string
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var vals []string
	for _, k := range keys {
		vals = append(vals, c[k])
	}
	return " (" + strings.Join(vals, ", ") + ")"
}

// matrix returns the combinations of a strategy.matrix of plain lists (include and exclude are not
// used in this project), or one empty combination.
func matrix(n *yaml.Node) []combo {
	out := []combo{{}}
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		var next []combo
		for _, c := range out {
			for _, v := range items(n.Content[i+1]) {
				nc := combo{}
				for k, vv := range c {
					nc[k] = vv
				}
				nc[key] = v.Value
				next = append(next, nc)
			}
		}
		out = next
	}
	return out
}

var contextRef = regexp.MustCompile(`\$\{\{\s*(matrix|inputs)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}`)

// substituteContext replaces ${{ <ctx>.name }} in every scalar below n; an unknown name is an error.
func substituteContext(n *yaml.Node, ctx string, vals map[string]string, where string) error {
	var errs []error
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			n.Value = contextRef.ReplaceAllStringFunc(n.Value, func(m string) string {
				sm := contextRef.FindStringSubmatch(m)
				if sm[1] != ctx {
					return m
				}
				v, ok := vals[sm[2]]
				if !ok {
					errs = append(errs, fmt.Errorf("%s: ${{ %s.%s }}: no such %s", where, ctx, sm[2], ctx))
				}
				return v
			})
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return errors.Join(errs...)
}

// permissions reads a permissions block: a mapping, or read-all / write-all.
func permissions(n *yaml.Node) map[string]string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return map[string]string{"*": n.Value}
	}
	return stringMap(n)
}
