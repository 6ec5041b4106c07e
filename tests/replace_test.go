package tests

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/offline"
)

// deleteFirst are the resource types whose identifying tuple Azure or Entra keeps unique apart
// from the resource's name: a replacement created beside the resource it replaces would be
// refused, so they are replaced delete-first (pulumi.DeleteBeforeReplace). docs/identity.md
// ("Replacements that must delete first") has the evidence for each, and the types decided
// against.
var deleteFirst = map[string]string{
	"azure-native:authorization:RoleAssignment":                                                   "one assignment per scope, role and principal",
	"azure-native:insights:DiagnosticSetting":                                                     "a destination takes each category of a resource once",
	"azure-native:managedidentity:FederatedIdentityCredential":                                    "issuer and subject unique on an identity",
	"azure-native:network:PrivateDnsZoneGroup":                                                    "one zone group per private endpoint",
	"azure-native:network:VirtualNetworkLink":                                                     "one link per zone and virtual network",
	"azure-native:servicenetworking/v20250101:AssociationsInterface":                              "one association per traffic controller and subnet",
	"azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": "issuer and subject unique on an application",
	"azuread:index/applicationIdentifierUri:ApplicationIdentifierUri":                             "an identifier URI is unique in the tenant",
	"azuread:index/applicationPreAuthorized:ApplicationPreAuthorized":                             "one pre-authorization per client on an API",
	"azuread:index/servicePrincipal:ServicePrincipal":                                             "one service principal per application",
}

// TestDeleteBeforeReplace: over the full layered plans (dev, prod, and prod with a private API
// server and GitHub federation), every resource of a delete-first type carries the option, no
// other resource does, and every such type occurs (so the test cannot pass by finding none).
func TestDeleteBeforeReplace(t *testing.T) {
	t.Parallel()
	plans := map[string]*offline.Plan{
		"dev":  Plan(t, "dev", offline.Layered, Config(t, "dev", nil)),
		"prod": Plan(t, "prod", offline.Layered, Config(t, "prod", nil)),
		"prod, private API server, GitHub": Plan(t, "prod", offline.Layered, Config(t, "prod", map[string]string{
			"aks": JSON(map[string]any{"kubernetesVersion": "1.36", "tier": "Standard", "apiServerAccess": "private",
				"systemPool": map[string]any{"count": 3, "zones": []string{"1", "2", "3"}}}),
			"pipeline": JSON(map[string]any{"azureDevOps": Env(t, "prod", nil).Pipeline.AzureDevOps, "github": map[string]any{"repository": "contoso/platform", "environments": []string{"prod", "prod.eu"}}}),
		})),
	}
	seen := map[string]int{}
	for name, p := range plans {
		for _, s := range p.Stacks {
			for _, r := range s.Resources {
				if !r.Custom || r.Read {
					continue
				}
				_, want := deleteFirst[r.Type]
				if want {
					seen[r.Type]++
				}
				assert.Equal(t, want, r.DeleteBeforeReplace, "%s: %s %s: deleteBeforeReplace", name, s.Name, r.Key())
			}
		}
	}
	var missing []string
	for typ := range deleteFirst {
		if seen[typ] == 0 {
			missing = append(missing, typ)
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "delete-first types no plan declares")
	assert.Greater(t, seen["azure-native:authorization:RoleAssignment"], 20, "role assignments checked")
}
