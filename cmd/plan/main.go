// Command plan prints what the platform would create for an environment, without cloud access,
// credentials or the pulumi CLI: it runs the real program against the Pulumi mock monitor.
//
//	go run ./cmd/plan -env dev                 # the four layer stacks, in order
//	go run ./cmd/plan -env prod -mode single   # all layers in one stack
//	go run ./cmd/plan -env dev -json plan.json # also write the plan as JSON
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/offline"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	env := fs.String("env", "", "environment: the stack name whose Pulumi.<env>.yaml is read (dev, prod)")
	mode := fs.String("mode", offline.Layered, "layered (one stack per layer, chained by StackReferences) or single (all layers in one stack)")
	jsonOut := fs.String("json", "", "also write the plan as JSON to this file")
	file := fs.String("config", "", "stack settings file (default: Pulumi.<env>.yaml in the current directory)")
	quiet := fs.Bool("q", false, "print only the summary line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *env == "" {
		return fmt.Errorf("plan: -env is required (e.g. -env dev)")
	}
	if *mode != offline.Layered && *mode != offline.Single {
		return fmt.Errorf("plan: -mode %q: want %s or %s", *mode, offline.Layered, offline.Single)
	}
	path := *file
	if path == "" {
		path = filepath.Join(".", "Pulumi."+*env+".yaml")
	}
	plan, err := offline.FromFile(path, offline.Options{Environment: *env, Mode: *mode, Layers: layers.Order}, layers.Run)
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
		fmt.Printf("environment %s, mode %s: %d stacks, %d resources\n", plan.Environment, plan.Mode, len(plan.Stacks), plan.Count())
		return nil
	}
	return plan.WriteText(os.Stdout)
}
