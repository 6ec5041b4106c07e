package policy

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/azure-saas-platform/platform/offline"
)

// Result is the evaluation of a pack on a plan.
type Result struct {
	Pack       *Pack
	Resources  int // resources evaluated (every registration; reads such as StackReferences are not analyzed)
	Violations []Violation
}

// Mandatory counts the mandatory violations: any fails the check.
func (r *Result) Mandatory() int {
	n := 0
	for _, v := range r.Violations {
		if v.Level == Mandatory {
			n++
		}
	}
	return n
}

// ResourceInputs returns the analyzer input of every resource of a stack the engine would analyze
// (reads are not), by URN, in the stack's order.
func ResourceInputs(s *offline.Stack) ([]string, map[string]map[string]any, error) {
	var urns []string
	inputs := map[string]map[string]any{}
	for _, r := range s.Resources {
		if r.Read {
			continue
		}
		in, err := Input(r.Inputs)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", r.URN, err)
		}
		urns = append(urns, r.URN)
		inputs[r.URN] = in
	}
	return urns, inputs, nil
}

// StackOf builds the stack rules' input from a plan stack.
func StackOf(s *offline.Stack, inputs map[string]map[string]any) StackInput {
	var in StackInput
	for _, r := range s.Resources {
		props, ok := inputs[r.URN]
		if !ok {
			continue
		}
		in.Resources = append(in.Resources, StackResource{Type: r.Type, Name: r.Name, URN: r.URN, ID: r.ID, Protect: r.Protect, Properties: props})
	}
	return in
}

// EvaluatePlan runs the pack on every stack of a plan: the resource rules on every resource the
// engine would analyze, the stack rules on each stack.
func EvaluatePlan(ctx context.Context, p *Pack, plan *offline.Plan) (*Result, error) {
	res := &Result{Pack: p}
	for _, s := range plan.Stacks {
		urns, inputs, err := ResourceInputs(s)
		if err != nil {
			return nil, err
		}
		vs, err := p.evaluateAll(ctx, urns, inputs)
		if err != nil {
			return nil, err
		}
		res.Violations = append(res.Violations, vs...)
		res.Resources += len(urns)
		vs, err = p.EvaluateStack(ctx, s.Name, StackOf(s, inputs))
		if err != nil {
			return nil, err
		}
		res.Violations = append(res.Violations, vs...)
	}
	return res, nil
}

// evaluateAll runs the resource rules on every input, on all CPUs (a prepared query is safe for
// concurrent use; each evaluation is independent, as the analyzer's calls are), and returns the
// violations in URN order.
func (p *Pack) evaluateAll(ctx context.Context, urns []string, inputs map[string]map[string]any) ([]Violation, error) {
	results := make([][]Violation, len(urns))
	errs := make([]error, len(urns))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = p.EvaluateResource(ctx, urns[i], inputs[urns[i]])
			}
		}()
	}
	for i := range urns {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []Violation
	for i := range urns {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, results[i]...)
	}
	sortViolations(out)
	return out, nil
}

// Write prints the result for people: a header, each violation (level, rule, URN, message), and
// a count.
func (r *Result) Write(w io.Writer, dir string) error {
	var b strings.Builder
	resourceRules, stackRules := 0, 0
	for _, rule := range r.Pack.Rules {
		if rule.Stack {
			stackRules++
		} else {
			resourceRules++
		}
	}
	fmt.Fprintf(&b, "\n== Policy pack %s (%s): %d resource rules (as pulumi-policy-opa %s runs them) and %d stack rules (offline only), %d resources\n",
		r.Pack.Name, dir, resourceRules, AnalyzerVersion, stackRules, r.Resources)
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "  %-9s %s  %s\n            %s\n", v.Level, v.Rule, v.URN, v.Message)
	}
	fmt.Fprintf(&b, "  %d mandatory, %d advisory violation(s)\n", r.Mandatory(), len(r.Violations)-r.Mandatory())
	_, err := io.WriteString(w, b.String())
	return err
}

// CheckPlan is the plan command's -policy check (offline.PolicyCheck): it loads the pack in dir,
// evaluates it on the plan, prints the result and returns the number of mandatory violations.
func CheckPlan(dir string, plan *offline.Plan, w io.Writer) (int, error) {
	p, err := LoadDir(dir)
	if err != nil {
		return 0, err
	}
	res, err := EvaluatePlan(context.Background(), p, plan)
	if err != nil {
		return 0, err
	}
	if err := res.Write(w, dir); err != nil {
		return 0, err
	}
	return res.Mandatory(), nil
}
