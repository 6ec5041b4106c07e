package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/components/privatedns"
	"github.com/azure-saas-platform/platform/offline"
)

// runExporting runs a program body and keeps what it returns as the stack's outputs (RunProgram
// keeps none).
func runExporting(t *testing.T, body func(ctx *pulumi.Context) (map[string]pulumi.Output, error)) *offline.Stack {
	t.Helper()
	s, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: "dev"}, nil, nil, body)
	require.NoError(t, err, "program")
	return s
}

func TestPrivateDNSZones(t *testing.T) {
	t.Parallel()
	pg := "psql-saas-dev-weu.private.postgres.database.azure.com"
	want := map[string]string{
		"keyVault": "privatelink.vaultcore.azure.net", "sql": "privatelink.database.windows.net", "postgres": pg,
		"blob": "privatelink.blob.core.windows.net", "dfs": "privatelink.dfs.core.windows.net",
		"acr": "privatelink.azurecr.io", "cognitiveServices": "privatelink.cognitiveservices.azure.com",
	}
	assert.Equal(t, want, plainZones(t, privatedns.Zones("westeurope", pulumi.String(pg), false)), "vnetIntegration zones")
	want["aks"] = "privatelink.westeurope.azmk8s.io"
	assert.Equal(t, want, plainZones(t, privatedns.Zones("westeurope", pulumi.String(pg), true)), "private API server zones")
	// VNet integration of PostgreSQL needs a zone ending in .postgres.database.azure.com that is
	// not the privatelink zone of private endpoints.
	assert.True(t, strings.HasSuffix(pg, ".postgres.database.azure.com"), "postgres zone %s", pg)
	assert.False(t, strings.HasPrefix(pg, "privatelink."), "postgres zone %s", pg)
}

// plainZones reads zone names given as plain strings.
func plainZones(t *testing.T, zones map[string]pulumi.StringInput) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range zones {
		s, ok := v.(pulumi.String)
		require.True(t, ok, "zone %s is %T, want a plain string here", k, v)
		out[k] = string(s)
	}
	return out
}

func TestPrivateDNS(t *testing.T) {
	t.Parallel()
	vnet := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-saas-dev-weu"
	zones := plainZones(t, privatedns.Zones("westeurope", pulumi.String("psql-saas-dev-weu.private.postgres.database.azure.com"), true))
	s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		c, err := privatedns.New(ctx, "dns", &privatedns.Args{
			ResourceGroupName: pulumi.String("rg-saas-dev-weu"),
			Zones:             privatedns.Zones("westeurope", pulumi.String("psql-saas-dev-weu.private.postgres.database.azure.com"), true),
			VnetID:            pulumi.String(vnet),
			LinkName:          "vnet-saas-dev-weu",
			Tags:              pulumi.StringMap{"environment": pulumi.String("dev")},
		})
		if err != nil {
			return nil, err
		}
		return map[string]pulumi.Output{"zoneIds": c.ZoneIDs}, nil
	})
	require.Len(t, s.ByType("azure-native:network:PrivateZone"), len(zones), "zones")
	exported := Output(t, s, "zoneIds").(map[string]any)
	for key, name := range zones {
		z := Named(t, s, "azure-native:network:PrivateZone", "dns-"+key)
		Equal(t, z, "privateZoneName", name)
		Equal(t, z, "location", "global")
		Equal(t, z, "tags", map[string]any{"environment": "dev"})
		l := Named(t, s, "azure-native:network:VirtualNetworkLink", "dns-"+key)
		Equal(t, l, "privateZoneName", name)
		Equal(t, l, "virtualNetworkLinkName", "vnet-saas-dev-weu")
		Equal(t, l, "location", "global")
		Equal(t, l, "registrationEnabled", false)
		Equal(t, l, "virtualNetwork", map[string]any{"id": vnet})
		Equal(t, l, "tags", map[string]any{"environment": "dev"})
		assert.Equal(t, z.ID, exported[key], "exported zone ID of %s", key)

	}
}

func TestPrivateDNSValidatesEverythingAtOnce(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := privatedns.New(ctx, "dns", &privatedns.Args{Zones: map[string]pulumi.StringInput{"sql": pulumi.String("")}})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", `zone "sql" has no name`, "VnetID", "LinkName")
}
