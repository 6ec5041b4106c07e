package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/contract"
)

// TestFixturesFillTheirContracts: every fixture sets every contract field, so a layer test using
// one fails on the layer, not on a missing upstream value.
func TestFixturesFillTheirContracts(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		e := Env(t, env, nil)
		for name, fixture := range map[string]any{"base": BaseFixture(e), "identity": IdentityFixture(e), "aks": AKSFixture(e)} {
			_, err := TryRunProgram(func(ctx *pulumi.Context) error {
				_, err := contract.Export(ctx, "", fixture)
				return err
			})
			assert.NoError(t, err, "%s %s fixture", env, name)

		}
	}
}
