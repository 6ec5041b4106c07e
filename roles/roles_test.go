package roles

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// builtIn pins every role this package names to the ID Microsoft publishes for it. Source: the
// table of "Azure built-in roles" (learn.microsoft.com/azure/role-based-access-control/built-in-roles,
// MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles.md, ms.date
// 04/09/2026). "AppGw for Containers Configuration Manager" is missing from that table; its ID is
// the one Microsoft's Application Gateway for Containers quickstarts assign
// (application-gateway/for-containers/quickstart-create-application-gateway-for-containers-byo-deployment).
var builtIn = map[string]string{
	"Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
	"Role Based Access Control Administrator":    "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
	"Locks Contributor":                          "28bf596f-4eb7-45ce-b5bc-6cf482fec137",
	"Network Contributor":                        "4d97b98b-1d4f-4787-a291-c67834d212e7",
	"Managed Identity Operator":                  "f1a07417-d97a-45cb-824c-7a7467783830",
	"Key Vault Secrets User":                     "4633458b-17de-408a-b874-0445c86b69e6",
	"Key Vault Secrets Officer":                  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
	"Storage Blob Data Reader":                   "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
	"Storage Blob Data Contributor":              "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
	"AcrPull":                                    "7f951dda-4ed3-4680-a7ca-43fe172d538d",
	"AcrPush":                                    "8311e382-0749-4cb8-b61a-304f252e45ec",
	"Cognitive Services User":                    "a97b65f3-24c7-4388-baec-2e87135dc908",
	"AppGw for Containers Configuration Manager": "fbc52c3f-28ad-4303-a892-8a056630b8f1",
	"DNS Zone Contributor":                       "befefa01-2a29-4197-83a8-272ff33ce314",
	"Private DNS Zone Contributor":               "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
	"Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
	// built-in-roles/containers.md (ms.date 06/30/2025), with its dataActions.
	"Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
}

// declared reads roles.go and returns the name and ID of every Role literal declared there, so the
// tests below see a role added later without anyone remembering to list it.
func declared(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "roles.go", nil, 0)
	require.NoError(t, err)
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Role" || len(lit.Elts) != 2 {
			return true
		}
		var parts [2]string
		for i, e := range lit.Elts {
			b, ok := e.(*ast.BasicLit)
			require.True(t, ok, "Role literal with a non-literal element: %#v", e)
			s, err := strconv.Unquote(b.Value)
			require.NoError(t, err)
			parts[i] = s
		}
		out[parts[0]] = parts[1]
		return true
	})
	require.NotEmpty(t, out, "found no Role literals in roles.go")
	return out
}

func TestRoleIDsArePinned(t *testing.T) {
	got := declared(t)
	for name, id := range got {
		want, ok := builtIn[name]
		if assert.True(t, ok, "role %q (%s) is not pinned here: look it up in Azure built-in roles and add it", name, id) {
			assert.Equal(t, want, id, "role %q: the ID Microsoft publishes", name)
		}
	}
	for name := range builtIn {
		assert.Contains(t, got, name, "pinned role %q is no longer declared", name)
	}
}

func TestEveryRoleIsPrivilegedOrDelegable(t *testing.T) {
	seen := map[string]string{}
	for _, group := range []struct {
		name  string
		roles []Role
	}{{"Privileged", Privileged}, {"Delegable", Delegable}} {
		for _, r := range group.roles {
			other, ok := seen[r.Name]
			assert.False(t, ok, "%s is in both %s and %s", r.Name, other, group.name)
			seen[r.Name] = group.name
		}
	}
	for name := range declared(t) {
		assert.Contains(t, seen, name, "role %q is in neither Privileged nor Delegable: decide whether the pipeline may assign it", name)
	}
	for _, r := range Privileged {
		assert.Contains(t, []Role{Contributor, RoleBasedAccessControlAdmin, LocksContributor}, r, "unexpected privileged role %s", r.Name)
	}
}

func TestDelegationCondition(t *testing.T) {
	got := DelegationCondition([]Role{AcrPull, NetworkContributor}, []string{"ServicePrincipal", "Group"})
	want := "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR " +
		"(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d, 4d97b98b-1d4f-4787-a291-c67834d212e7} AND " +
		"@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal', 'Group'})) AND " +
		"((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR " +
		"(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d, 4d97b98b-1d4f-4787-a291-c67834d212e7} AND " +
		"@Resource[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal', 'Group'}))"
	assert.Equal(t, want, got, "condition")
	// The privileged roles never appear in the pipeline's condition.
	full := DelegationCondition(Delegable, []string{"ServicePrincipal"})
	for _, r := range Privileged {
		assert.NotContains(t, full, r.ID, "condition lets the pipeline assign %s", r.Name)
	}
	var ids []string
	for _, r := range Delegable {
		assert.Contains(t, full, r.ID, "condition lacks %s", r.Name)
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	for i := 1; i < len(ids); i++ {
		assert.NotEqual(t, ids[i-1], ids[i], "role ID %s is listed twice in Delegable", ids[i])
	}
}

func TestDefinitionID(t *testing.T) {
	assert.Equal(t, "/subscriptions/sub/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
		KeyVaultSecretsUser.DefinitionID("sub"), "DefinitionID")
}
