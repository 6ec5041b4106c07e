// Package flux is the flux layer: the Flux extension, the Flux configuration and the cluster
// values handed to the GitOps tree.
package flux

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers/aks"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/identity"
)

// New builds the flux layer.
func New(ctx *pulumi.Context, env *config.Env, b *base.Outputs, i *identity.Outputs, a *aks.Outputs) (*Outputs, error) {
	return nil, errors.New("flux layer: not built yet")
}
