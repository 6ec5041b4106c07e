package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/check"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/roles"
)

// roleAssignmentName runs avm.NewRoleAssignments for one assignment and returns the Azure name it
// gives it.
func roleAssignmentName(t *testing.T, scope, principal string, role roles.Role) string {
	t.Helper()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		return avm.NewRoleAssignments(ctx, "x", pulumi.String(scope), []avm.RoleAssignment{
			{Key: "workload", Role: role, PrincipalID: pulumi.String(principal)},
		})
	})
	name := asString(t, In(t, One(t, s, tRA), "roleAssignmentName"))
	require.True(t, check.GUID(name), "role assignment name %q is not a GUID", name)
	return name
}

// Role-assignment names must be GUIDs unique in the tenant, stable across runs, and new whenever
// the principal changes (Azure refuses to update an assignment's principal).
func TestAVMRoleAssignmentNames(t *testing.T) {
	t.Parallel()
	const (
		vaultPath = "/resourceGroups/rg-saas-dev-weu/providers/Microsoft.KeyVault/vaults/kv-saas-dev-weu"
		subA      = "/subscriptions/00000000-0000-0000-0000-00000000000a"
		subB      = "/subscriptions/00000000-0000-0000-0000-00000000000b"
		alice     = "11111111-1111-1111-1111-111111111111"
		bob       = "22222222-2222-2222-2222-222222222222"
	)
	base := roleAssignmentName(t, subA+vaultPath, alice, roles.KeyVaultSecretsUser)
	for _, tc := range []struct {
		what      string
		scope     string
		principal string
		role      roles.Role
		same      bool
	}{
		{"a second run", subA + vaultPath, alice, roles.KeyVaultSecretsUser, true},
		{"another casing of the same scope", "/SUBSCRIPTIONS/00000000-0000-0000-0000-00000000000A" + vaultPath, alice, roles.KeyVaultSecretsUser, true},
		{"the same resource path in another subscription", subB + vaultPath, alice, roles.KeyVaultSecretsUser, false},
		{"another principal", subA + vaultPath, bob, roles.KeyVaultSecretsUser, false},
		{"another role", subA + vaultPath, alice, roles.KeyVaultSecretsOfficer, false},
	} {
		got := roleAssignmentName(t, tc.scope, tc.principal, tc.role)
		if tc.same {
			assert.Equal(t, base, got, "%s: want the first run's name", tc.what)
		} else {
			assert.NotEqual(t, base, got, "%s: want a new name", tc.what)
		}
	}
}

// Across the whole layered plan of an environment every role assignment has its own GUID name.
func TestAVMRoleAssignmentNamesUniqueInPlan(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			p := Plan(t, env, offline.Layered, Config(t, env, nil))
			seen := map[string]string{}
			for _, s := range p.Stacks {
				for _, r := range s.ByType(tRA) {
					name := asString(t, In(t, r, "roleAssignmentName"))
					assert.True(t, check.GUID(name), "%s: name %q is not a GUID", r.URN, name)
					other, ok := seen[name]
					assert.False(t, ok, "%s and %s share the name %s", other, r.URN, name)
					seen[name] = r.URN
				}
			}
			require.NotEmpty(t, seen, "the plan has no role assignments")

		})
	}
}
