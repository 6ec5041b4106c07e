// Package identity is the identity layer: managed identities, role assignments on base
// resources, pipeline federation and Entra External ID.
package identity

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers/base"
)

// New builds the identity layer.
func New(ctx *pulumi.Context, env *config.Env, b *base.Outputs) (*Outputs, error) {
	return nil, errors.New("identity layer: not built yet")
}
