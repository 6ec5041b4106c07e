package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/keyvault"
	"github.com/azure-saas-platform/platform/roles"
)

func keyVaultArgs(prod bool) *keyvault.Args {
	a := &keyvault.Args{
		ResourceGroupName:       pulumi.String("rg-saas-dev-weu"),
		Location:                pulumi.String("westeurope"),
		Name:                    pulumi.String("kv-saas-dev-weu"),
		TenantID:                pulumi.String("tenant-guid"),
		SoftDeleteRetentionDays: 7,
		Tags:                    pulumi.StringMap{"environment": pulumi.String("dev")},
		DiagnosticSettings:      &avm.DiagnosticSettings{WorkspaceID: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log")},
		PrivateEndpoints: []avm.PrivateEndpoint{{
			SubnetID:         pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe"),
			PrivateDNSZoneID: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"),
		}},
		RoleAssignments: []avm.RoleAssignment{{Key: "external-secrets", Role: roles.KeyVaultSecretsUser, PrincipalID: pulumi.String("principal-guid")}},
	}
	if prod {
		a.SoftDeleteRetentionDays = 90
		a.PurgeProtection = true
		a.Protect = true
		a.Lock = avm.LockCanNotDelete
	}
	return a
}

func TestKeyVault(t *testing.T) {
	for _, prod := range []bool{false, true} {
		name := map[bool]string{false: "dev", true: "prod"}[prod]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := RunProgram(t, func(ctx *pulumi.Context) error {
				_, err := keyvault.New(ctx, "kv", keyVaultArgs(prod))
				return err
			})
			v := One(t, s, "azure-native:keyvault:Vault")
			Equal(t, v, "vaultName", "kv-saas-dev-weu")
			Equal(t, v, "properties.enableRbacAuthorization", true)
			Equal(t, v, "properties.publicNetworkAccess", "Disabled")
			Equal(t, v, "properties.networkAcls", map[string]any{"defaultAction": "Deny", "bypass": "AzureServices"})
			Equal(t, v, "properties.enableSoftDelete", true)
			Equal(t, v, "properties.sku", map[string]any{"family": "A", "name": "standard"})
			Absent(t, v, "properties.accessPolicies")
			assert.Equal(t, prod, v.Protect, "%s: protect", v.Key())
			if prod {
				Equal(t, v, "properties.enablePurgeProtection", true)
				Equal(t, v, "properties.softDeleteRetentionInDays", 90)
				lock := One(t, s, "azure-native:authorization:ManagementLockByScope")
				Equal(t, lock, "level", "CanNotDelete")
				Equal(t, lock, "scope", v.ID)
			} else {
				// Azure refuses an explicit false: the property must be absent.
				Absent(t, v, "properties.enablePurgeProtection")
				Equal(t, v, "properties.softDeleteRetentionInDays", 7)
				assert.Empty(t, s.ByType("azure-native:authorization:ManagementLockByScope"), "dev has locks")
			}

			pe := One(t, s, "azure-native:network:PrivateEndpoint")
			Equal(t, pe, "privateEndpointName", "pe-kv-saas-dev-weu-vault")
			Equal(t, pe, "privateLinkServiceConnections[0].groupIds", []string{"vault"})
			Equal(t, pe, "privateLinkServiceConnections[0].privateLinkServiceId", v.ID)
			zg := One(t, s, "azure-native:network:PrivateDnsZoneGroup")
			Equal(t, zg, "privateDnsZoneConfigs[0].privateDnsZoneId", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net")

			ds := One(t, s, "azure-native:insights:DiagnosticSetting")
			Equal(t, ds, "resourceUri", v.ID)
			Equal(t, ds, "logs", []map[string]any{{"categoryGroup": "allLogs", "enabled": true}})
			Equal(t, ds, "metrics", []map[string]any{{"category": "AllMetrics", "enabled": true}})

			ra := One(t, s, "azure-native:authorization:RoleAssignment")
			Equal(t, ra, "principalId", "principal-guid")
			Equal(t, ra, "principalType", "ServicePrincipal")
			Equal(t, ra, "scope", v.ID)
			got := In(t, ra, "roleDefinitionId").(string)
			assert.True(t, strings.HasSuffix(got, "/providers/Microsoft.Authorization/roleDefinitions/"+roles.KeyVaultSecretsUser.ID), "%s: roleDefinitionId = %s", ra.Key(), got)

		})
	}
}

func TestKeyVaultValidatesEverythingAtOnce(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := keyvault.New(ctx, "kv", &keyvault.Args{Sku: "gold", SoftDeleteRetentionDays: 3})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "Location", "Name", "TenantID", `Sku "gold"`, "SoftDeleteRetentionDays 3")
}
