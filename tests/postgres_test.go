package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/postgres"
)

const (
	pgServerType = "azure-native:dbforpostgresql/v20240801:Server"
	pgAdminType  = "azure-native:dbforpostgresql/v20240801:Administrator"
	testPGSubnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pg"
)

func postgresArgs(prod bool) *postgres.Args {
	a := &postgres.Args{
		ResourceGroupName:   pulumi.String("rg-saas-dev-weu"),
		Location:            pulumi.String("westeurope"),
		ServerName:          pulumi.String("psql-saas-dev-weu"),
		Version:             "16",
		Tier:                "Burstable",
		SkuName:             "Standard_B1ms",
		StorageSizeGB:       32,
		HighAvailability:    "Disabled",
		BackupRetentionDays: 7,
		TenantID:            pulumi.String("tenant-guid"),
		DelegatedSubnetID:   pulumi.String(testPGSubnet),
		PrivateDNSZoneID:    pulumi.String(testZone("psql-saas-dev-weu.private.postgres.database.azure.com")),
		AdminGroupObjectID:  pulumi.String(testGroupID),
		AdminGroupName:      pulumi.String("grp-saas-dev-database-admins"),
		Tags:                pulumi.StringMap{"environment": pulumi.String("dev")},
		DiagnosticSettings:  &avm.DiagnosticSettings{WorkspaceID: pulumi.String(testWorkspace)},
	}
	if prod {
		a.Tier, a.SkuName, a.StorageSizeGB = "GeneralPurpose", "Standard_D2ds_v5", 128
		a.HighAvailability, a.GeoRedundantBackup, a.BackupRetentionDays = "ZoneRedundant", true, 35
		a.Protect, a.Lock = true, avm.LockCanNotDelete
	}
	return a
}

func TestPostgres(t *testing.T) {
	for _, prod := range []bool{false, true} {
		t.Run(map[bool]string{false: "dev", true: "prod"}[prod], func(t *testing.T) {
			t.Parallel()
			s := RunProgram(t, func(ctx *pulumi.Context) error {
				_, err := postgres.New(ctx, "postgres", postgresArgs(prod))
				return err
			})
			srv := One(t, s, pgServerType)
			Equal(t, srv, "serverName", "psql-saas-dev-weu")
			Equal(t, srv, "version", "16")
			Equal(t, srv, "authConfig", map[string]any{"activeDirectoryAuth": "Enabled", "passwordAuth": "Disabled", "tenantId": "tenant-guid"})
			Absent(t, srv, "administratorLogin")
			Absent(t, srv, "administratorLoginPassword")
			Equal(t, srv, "network", map[string]any{
				"delegatedSubnetResourceId":   testPGSubnet,
				"privateDnsZoneArmResourceId": testZone("psql-saas-dev-weu.private.postgres.database.azure.com"),
				"publicNetworkAccess":         "Disabled",
			})
			Equal(t, srv, "tags", map[string]any{"environment": "dev"})
			if !prod {
				Equal(t, srv, "sku", map[string]any{"name": "Standard_B1ms", "tier": "Burstable"})
				Equal(t, srv, "storage", map[string]any{"storageSizeGB": 32, "autoGrow": "Enabled"})
				Equal(t, srv, "highAvailability", map[string]any{"mode": "Disabled", "standbyAvailabilityZone": ""}) // "" is the SDK's default: Azure picks
				Equal(t, srv, "backup", map[string]any{"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"})
			} else {
				Equal(t, srv, "sku", map[string]any{"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"})
				Equal(t, srv, "storage", map[string]any{"storageSizeGB": 128, "autoGrow": "Enabled"})
				Equal(t, srv, "highAvailability", map[string]any{"mode": "ZoneRedundant", "standbyAvailabilityZone": ""}) // "" is the SDK's default: Azure picks
				Equal(t, srv, "backup", map[string]any{"backupRetentionDays": 35, "geoRedundantBackup": "Enabled"})
			}
			assert.Equal(t, prod, srv.Protect, "%s: protect", srv.Key())

			admin := One(t, s, pgAdminType)
			Equal(t, admin, "serverName", "psql-saas-dev-weu")
			Equal(t, admin, "objectId", testGroupID)
			Equal(t, admin, "principalType", "Group")
			Equal(t, admin, "principalName", "grp-saas-dev-database-admins")
			Equal(t, admin, "tenantId", "tenant-guid")
			// The server rejects concurrent writes: the administrator waits for the server. The
			// lock and the diagnostic setting write no server property and need only its ID.
			assert.Contains(t, admin.DependsOn, srv.URN, "administrator does not wait for the server")
			ds := One(t, s, "azure-native:insights:DiagnosticSetting")
			Equal(t, ds, "resourceUri", srv.ID)
			Equal(t, ds, "metrics", []map[string]any{{"category": "AllMetrics", "enabled": true}})
			Equal(t, ds, "logs", []map[string]any{{"categoryGroup": "allLogs", "enabled": true}})
			after := []string{ds.URN}

			locks := s.ByType("azure-native:authorization:ManagementLockByScope")
			if prod {
				l := One(t, s, "azure-native:authorization:ManagementLockByScope")
				Equal(t, l, "level", "CanNotDelete")
				Equal(t, l, "scope", srv.ID)
				after = append(after, l.URN)
			} else {
				assert.Empty(t, locks, "dev has locks")
			}
			for _, urn := range after {
				r := s.ByURN(urn)
				assert.NotContains(t, r.DependsOn, admin.URN, "%s: want it not to wait for the administrator", r.Key())
				assert.Contains(t, r.DependsOn, srv.URN, "%s: want it to wait for the server", r.Key())
			}
		})
	}
}

func TestPostgresValidatesEverythingAtOnce(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := postgres.New(ctx, "pg", &postgres.Args{Version: "11", Tier: "Basic", HighAvailability: "Always", BackupRetentionDays: 40})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "Location", "ServerName", "TenantID", "DelegatedSubnetID", "PrivateDNSZoneID",
		"AdminGroupObjectID", "AdminGroupName", `Version "11"`, `Tier "Basic"`, `HighAvailability "Always"`, "BackupRetentionDays 40")
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		a := postgresArgs(false)
		a.HighAvailability = "ZoneRedundant"
		_, err := postgres.New(ctx, "pg", a)
		return err
	})
	assert.ErrorContains(t, err, "needs the GeneralPurpose", "HA on Burstable must be refused")

}
