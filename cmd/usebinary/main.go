// Command usebinary points every layer project (stacks/<layer>/Pulumi.yaml) at one prebuilt
// binary of the program, so the stacks of a pipeline run do not each compile and link it. Run it
// on a pipeline's throwaway checkout, never on a working copy you commit from.
//
//	go build -o "$RUNNER_TEMP/platform" . && go run ./cmd/usebinary -binary "$RUNNER_TEMP/platform"
package main

import (
	"fmt"
	"os"

	"github.com/azure-saas-platform/platform/pulumiproject"
)

func main() {
	if err := pulumiproject.Command(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
