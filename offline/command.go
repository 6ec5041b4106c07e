package offline

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Command is the plan command (cmd/plan): it parses the flags in args, runs the plan of an
// environment for the given layers and program, and writes the result to stdout; usage and flag
// errors go to stderr. A returned error means the command failed (the caller exits non-zero);
// for a configuration with mistakes it lists every one. Settings a real deployment would refuse
// (placeholders) are printed to stderr as warnings, one line each, and do not fail the command.
//
//	-env NAME        environment: the stack name; Pulumi.<NAME>.yaml is read (required)
//	-mode MODE       layered (default) or single
//	-json FILE       also write the plan as JSON to FILE
//	-config FILE     settings file (default Pulumi.<env>.yaml in the current directory)
//	-q               print only the summary line
//	-diff OLD.json   compare with an earlier plan written by -json and print the changes instead
//	-diff-md FILE    with -diff: also write the changes as Markdown for a pull-request comment
//	-diff-json FILE  with -diff: also write the changes as JSON
//	-diff-label TEXT with -diff: how the texts name the earlier plan (default: its file name)
//	-policy DIR      also evaluate the policy pack in DIR on the plan (with the check passed in);
//	                 a mandatory violation fails the command
//
// check is the policy evaluator behind -policy (cmd/plan passes policy.CheckPlan); it is a
// parameter so that this package, and everything that only plans, does not link OPA.
func Command(args []string, stdout, stderr io.Writer, layers []string, program Program, check ...PolicyCheck) error {
	fs, f := newFlagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("plan: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("plan: unexpected arguments %q", fs.Args())
	}
	if err := f.check(); err != nil {
		return err
	}
	if f.policy != "" && len(check) == 0 {
		return errors.New("plan: -policy: this build has no policy evaluator (cmd/plan passes policy.CheckPlan)")
	}
	var old *PlanFile
	if f.diff != "" {
		var err error
		if old, err = ReadPlanFile(f.diff); err != nil {
			return fmt.Errorf("plan: -diff: %w", err)
		}
	}
	path := f.config
	if path == "" {
		path = filepath.Join(".", "Pulumi."+f.env+".yaml")
	}
	plan, err := FromFile(path, Options{Environment: f.env, Mode: f.mode, Layers: layers}, program)
	if err != nil {
		return err
	}
	for _, w := range plan.Warnings {
		if _, err := fmt.Fprintln(stderr, "warning: "+w); err != nil {
			return err
		}
	}
	if f.json != "" {
		var buf bytes.Buffer
		if err := plan.WriteJSON(&buf); err != nil {
			return err
		}
		if err := os.WriteFile(f.json, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	switch {
	case old != nil:
		err = writeDiff(f, old, plan, stdout)
	case f.quiet:
		_, err = fmt.Fprintf(stdout, "environment %s, mode %s: %d stacks, %d resources\n", plan.Environment, plan.Mode, len(plan.Stacks), plan.Count())
	default:
		err = plan.WriteText(stdout)
	}
	if err != nil || f.policy == "" {
		return err
	}
	denied, err := check[0](f.policy, plan, stdout)
	if err != nil {
		return fmt.Errorf("plan: -policy %s: %w", f.policy, err)
	}
	if denied > 0 {
		return fmt.Errorf("plan: policy pack %s: %d mandatory violation(s)", f.policy, denied)
	}
	return nil
}

// PolicyCheck evaluates the policy pack in dir on a plan, writes its report to w and returns the
// number of mandatory violations.
type PolicyCheck func(dir string, plan *Plan, w io.Writer) (mandatory int, err error)

// flags are the plan command's settings.
type flags struct {
	env, mode, json, config         string
	quiet                           bool
	diff, diffMD, diffJSON, diffTag string
	policy                          string
}

// newFlagSet declares the plan command's flags. FlagSet exposes the same set, so checks of the
// pipelines see exactly the flags the command accepts.
func newFlagSet(stderr io.Writer) (*flag.FlagSet, *flags) {
	f := &flags{}
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.env, "env", "", "environment: the stack name whose Pulumi.<env>.yaml is read (dev, prod, or any other)")
	fs.StringVar(&f.mode, "mode", Layered, "layered (one stack per layer, chained by StackReferences) or single (all layers in one stack)")
	fs.StringVar(&f.json, "json", "", "also write the plan as JSON to this file")
	fs.StringVar(&f.config, "config", "", "stack settings file (default: Pulumi.<env>.yaml in the current directory)")
	fs.BoolVar(&f.quiet, "q", false, "print only the summary line")
	fs.StringVar(&f.diff, "diff", "", "compare with an earlier plan written by -json (same mode) and print what changes instead of the plan")
	fs.StringVar(&f.diffMD, "diff-md", "", "with -diff: also write the changes as Markdown for a pull-request comment to this file")
	fs.StringVar(&f.diffJSON, "diff-json", "", "with -diff: also write the changes as JSON to this file")
	fs.StringVar(&f.diffTag, "diff-label", "", "with -diff: how the texts name the earlier plan, e.g. \"main at 1a2b3c4\" (default: its file name)")
	fs.StringVar(&f.policy, "policy", "", "also evaluate the policy pack in this directory (e.g. policy/); a mandatory violation fails the command")
	return fs, f
}

// FlagSet returns the plan command's flags, for tools and tests that check how it is called.
func FlagSet() *flag.FlagSet {
	fs, _ := newFlagSet(io.Discard)
	return fs
}

// check reports every flag problem at once.
func (f *flags) check() error {
	var errs []error
	if f.env == "" {
		errs = append(errs, errors.New("plan: -env is required (e.g. -env dev)"))
	}
	if f.mode != Layered && f.mode != Single {
		errs = append(errs, fmt.Errorf("plan: -mode %q: want %s or %s", f.mode, Layered, Single))
	}
	if f.diff == "" {
		for name, v := range map[string]string{"-diff-md": f.diffMD, "-diff-json": f.diffJSON, "-diff-label": f.diffTag} {
			if v != "" {
				errs = append(errs, fmt.Errorf("plan: %s needs -diff OLD.json", name))
			}
		}
	}
	sortErrors(errs)
	return errors.Join(errs...)
}

func sortErrors(errs []error) {
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
}

// writeDiff compares the plan with the earlier one and writes the text (or, with -q, the summary
// line) to stdout and the Markdown and JSON forms to their files.
func writeDiff(f *flags, old *PlanFile, plan *Plan, stdout io.Writer) error {
	cur, err := plan.File()
	if err != nil {
		return err
	}
	d, err := Compare(old, cur)
	if err != nil {
		return fmt.Errorf("plan: -diff %s: %w", f.diff, err)
	}
	label := f.diffTag
	if label == "" {
		label = filepath.Base(f.diff)
	}
	for _, out := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{f.diffMD, func(w io.Writer) error { return d.WriteMarkdown(w, label) }},
		{f.diffJSON, d.WriteJSON},
	} {
		if out.file == "" {
			continue
		}
		var buf bytes.Buffer
		if err := out.write(&buf); err != nil {
			return err
		}
		if err := os.WriteFile(out.file, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if f.quiet {
		_, err := fmt.Fprintf(stdout, "environment %s against %s: %s\n", d.Environment, label, d.Counts().summary())
		return err
	}
	return d.WriteText(stdout, label)
}
