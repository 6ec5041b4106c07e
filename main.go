// The platform program. The project name decides what a stack runs: the layer projects under
// stacks/ (platform-base, platform-identity, platform-aks, platform-flux) run their layer; the
// root project (platform) runs all four layers in one stack.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/layers"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := layers.Run(ctx)
		return err
	})
}
