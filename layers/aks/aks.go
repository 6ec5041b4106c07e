// Package aks is the aks layer: the cluster, ACR, Front Door, Application Gateway for
// Containers, Document Intelligence and workload identity federation.
package aks

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/identity"
)

// New builds the aks layer.
func New(ctx *pulumi.Context, env *config.Env, b *base.Outputs, i *identity.Outputs) (*Outputs, error) {
	return nil, errors.New("aks layer: not built yet")
}
