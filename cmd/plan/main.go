// Command plan prints what the platform would create for an environment, without cloud access,
// credentials or the pulumi CLI: it runs the real program against the Pulumi mock monitor. The
// command itself is offline.Command, where its tests can reach it. Placeholders in the settings
// (which a real preview or up refuses) are printed on stderr as warnings.
//
//	go run ./cmd/plan -env dev                 # the four layer stacks, in order
//	go run ./cmd/plan -env prod -mode single   # all layers in one stack
//	go run ./cmd/plan -env dev -json plan.json # also write the plan as JSON
//	go run ./cmd/plan -env dev -q              # only the summary line
//	go run ./cmd/plan -env staging -config examples/staging/Pulumi.staging.yaml
//	                                           # another settings file than Pulumi.<env>.yaml
//	go run ./cmd/plan -env dev -diff old.json  # what changes against an earlier -json plan
//	    -diff-md diff.md -diff-json diff.json  # ... also as Markdown and as JSON
//	go run ./cmd/plan -env dev -policy policy/ # and the policy pack's violations (fails on a deny)
package main

import (
	"fmt"
	"os"

	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/policy"
)

func main() {
	if err := offline.Command(os.Args[1:], os.Stdout, os.Stderr, layers.Order, layers.Run, policy.CheckPlan); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
