// Package base is the base layer: network, private DNS, Key Vault, SQL, PostgreSQL, storage,
// monitoring and Entra groups.
package base

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/config"
)

// New builds the base layer.
func New(ctx *pulumi.Context, env *config.Env) (*Outputs, error) {
	return nil, errors.New("base layer: not built yet")
}
