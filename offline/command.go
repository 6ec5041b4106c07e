package offline

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Command is the plan command (cmd/plan): it parses the flags in args, runs the plan of an
// environment for the given layers and program, and writes the result to stdout; usage and flag
// errors go to stderr. A returned error means the command failed (the caller exits non-zero);
// for a configuration with mistakes it lists every one.
//
//	-env NAME     environment: Pulumi.<NAME>.yaml is read (required)
//	-mode MODE    layered (default) or single
//	-json FILE    also write the plan as JSON to FILE
//	-config FILE  settings file (default Pulumi.<env>.yaml in the current directory)
//	-q            print only the summary line
//	-policy DIR   also evaluate the policy pack in DIR on the plan (with the check passed in);
//	              a mandatory violation fails the command
//
// check is the policy evaluator behind -policy (cmd/plan passes policy.CheckPlan); it is a
// parameter so that this package, and everything that only plans, does not link OPA.
func Command(args []string, stdout, stderr io.Writer, layers []string, program Program, check ...PolicyCheck) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := fs.String("env", "", "environment: the stack name whose Pulumi.<env>.yaml is read (dev, prod)")
	mode := fs.String("mode", Layered, "layered (one stack per layer, chained by StackReferences) or single (all layers in one stack)")
	jsonOut := fs.String("json", "", "also write the plan as JSON to this file")
	file := fs.String("config", "", "stack settings file (default: Pulumi.<env>.yaml in the current directory)")
	quiet := fs.Bool("q", false, "print only the summary line")
	policyDir := fs.String("policy", "", "also evaluate the policy pack in this directory (e.g. policy/); a mandatory violation fails the command")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("plan: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("plan: unexpected arguments %q", fs.Args())
	}
	if *env == "" {
		return errors.New("plan: -env is required (e.g. -env dev)")
	}
	if *mode != Layered && *mode != Single {
		return fmt.Errorf("plan: -mode %q: want %s or %s", *mode, Layered, Single)
	}
	if *policyDir != "" && len(check) == 0 {
		return errors.New("plan: -policy: this build has no policy evaluator (cmd/plan passes policy.CheckPlan)")
	}
	path := *file
	if path == "" {
		path = filepath.Join(".", "Pulumi."+*env+".yaml")
	}
	plan, err := FromFile(path, Options{Environment: *env, Mode: *mode, Layers: layers}, program)
	if err != nil {
		return err
	}
	if *jsonOut != "" {
		var buf bytes.Buffer
		if err := plan.WriteJSON(&buf); err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if *quiet {
		_, err = fmt.Fprintf(stdout, "environment %s, mode %s: %d stacks, %d resources\n", plan.Environment, plan.Mode, len(plan.Stacks), plan.Count())
	} else {
		err = plan.WriteText(stdout)
	}
	if err != nil || *policyDir == "" {
		return err
	}
	denied, err := check[0](*policyDir, plan, stdout)
	if err != nil {
		return fmt.Errorf("plan: -policy %s: %w", *policyDir, err)
	}
	if denied > 0 {
		return fmt.Errorf("plan: policy pack %s: %d mandatory violation(s)", *policyDir, denied)
	}
	return nil
}

// PolicyCheck evaluates the policy pack in dir on a plan, writes its report to w and returns the
// number of mandatory violations.
type PolicyCheck func(dir string, plan *Plan, w io.Writer) (mandatory int, err error)
