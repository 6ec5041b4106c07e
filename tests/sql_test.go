package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/sql"
)

const (
	testWorkspace = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"
	testPESubnet  = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe"
	testGroupID   = "22222222-2222-2222-2222-222222222222"
)

func testZone(name string) string {
	return "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/" + name
}

func sqlArgs(prod bool) *sql.Args {
	a := &sql.Args{
		ResourceGroupName:       pulumi.String("rg-saas-dev-weu"),
		Location:                pulumi.String("westeurope"),
		ServerName:              pulumi.String("sql-saas-dev-weu"),
		DatabaseName:            "app",
		TenantID:                pulumi.String("tenant-guid"),
		AdminGroupObjectID:      pulumi.String(testGroupID),
		AdminGroupName:          pulumi.String("grp-saas-dev-database-admins"),
		SkuName:                 "GP_S_Gen5_2",
		MinCapacity:             0.5,
		AutoPauseDelayMinutes:   60,
		MaxSizeGB:               32,
		BackupStorageRedundancy: "Local",
		Tags:                    pulumi.StringMap{"environment": pulumi.String("dev")},
		DiagnosticSettings:      &avm.DiagnosticSettings{WorkspaceID: pulumi.String(testWorkspace)},
		PrivateEndpoints: []avm.PrivateEndpoint{{
			SubnetID:         pulumi.String(testPESubnet),
			PrivateDNSZoneID: pulumi.String(testZone("privatelink.database.windows.net")),
		}},
	}
	if prod {
		a.SkuName = "GP_S_Gen5_4"
		a.MinCapacity = 1
		a.AutoPauseDelayMinutes = -1
		a.MaxSizeGB = 128
		a.ZoneRedundant = true
		a.BackupStorageRedundancy = "Geo"
		a.Protect = true
		a.Lock = avm.LockCanNotDelete
	}
	return a
}

func TestSQL(t *testing.T) {
	for _, prod := range []bool{false, true} {
		t.Run(map[bool]string{false: "dev", true: "prod"}[prod], func(t *testing.T) {
			t.Parallel()
			s := RunProgram(t, func(ctx *pulumi.Context) error {
				_, err := sql.New(ctx, "sql", sqlArgs(prod))
				return err
			})
			srv := One(t, s, "azure-native:sql:Server")
			Equal(t, srv, "serverName", "sql-saas-dev-weu")
			Equal(t, srv, "version", "12.0")
			Equal(t, srv, "administrators", map[string]any{
				"administratorType":         "ActiveDirectory",
				"azureADOnlyAuthentication": true,
				"principalType":             "Group",
				"login":                     "grp-saas-dev-database-admins",
				"sid":                       testGroupID,
				"tenantId":                  "tenant-guid",
			})
			// Entra only: no SQL administrator login, no password, anywhere.
			Absent(t, srv, "administratorLogin")
			Absent(t, srv, "administratorLoginPassword")
			Equal(t, srv, "minimalTlsVersion", "1.2")
			Equal(t, srv, "publicNetworkAccess", "Disabled")
			Equal(t, srv, "tags", map[string]any{"environment": "dev"})

			db := One(t, s, "azure-native:sql:Database")
			Equal(t, db, "databaseName", "app")
			Equal(t, db, "serverName", "sql-saas-dev-weu")
			vcores := map[bool]int{false: 2, true: 4}[prod]
			Equal(t, db, "sku", map[string]any{"name": "GP_S_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": vcores})
			Equal(t, db, "autoPauseDelay", map[bool]int{false: 60, true: -1}[prod])
			Equal(t, db, "minCapacity", map[bool]float64{false: 0.5, true: 1}[prod])
			Equal(t, db, "maxSizeBytes", map[bool]float64{false: 32 << 30, true: 128 << 30}[prod])
			Equal(t, db, "zoneRedundant", prod)
			Equal(t, db, "requestedBackupStorageRedundancy", map[bool]string{false: "Local", true: "Geo"}[prod])
			Equal(t, db, "tags", map[string]any{"environment": "dev"})

			assert.Equal(t, prod, srv.Protect, "%s: protect", srv.Key())
			assert.Equal(t, prod, db.Protect, "%s: protect", db.Key())
			locks := s.ByType("azure-native:authorization:ManagementLockByScope")
			if !prod {
				assert.Empty(t, locks, "dev has locks")
			} else {
				for name, target := range map[string]*struct{ id string }{"sql-server-lock": {srv.ID}, "sql-database-lock": {db.ID}} {
					l := Named(t, s, "azure-native:authorization:ManagementLockByScope", name)
					Equal(t, l, "level", "CanNotDelete")
					Equal(t, l, "scope", target.id)
				}
			}

			ds := Named(t, s, "azure-native:insights:DiagnosticSetting", "sql-database-diagnostics")
			Equal(t, ds, "resourceUri", db.ID)
			Equal(t, ds, "workspaceId", testWorkspace)
			Equal(t, ds, "logAnalyticsDestinationType", "Dedicated")
			Equal(t, ds, "logs", []map[string]any{{"categoryGroup": "allLogs", "enabled": true}})
			Equal(t, ds, "metrics", []map[string]any{
				{"category": "Basic", "enabled": true},
				{"category": "InstanceAndAppAdvanced", "enabled": true},
				{"category": "WorkloadManagement", "enabled": true},
			})

			// Server auditing to Log Analytics: the master database sends SQLSecurityAuditEvents to
			// the workspace, then the server's auditing policy enables the Azure Monitor target.
			assert.Len(t, s.ByType("azure-native:insights:DiagnosticSetting"), 2, "diagnostic settings: want the database's and the audit's")
			ads := Named(t, s, "azure-native:insights:DiagnosticSetting", "sql-audit")
			Equal(t, ads, "resourceUri", srv.ID+"/databases/master")
			Equal(t, ads, "workspaceId", testWorkspace)
			Equal(t, ads, "logs", []map[string]any{{"category": "SQLSecurityAuditEvents", "enabled": true}})
			Absent(t, ads, "metrics")
			Absent(t, ads, "logAnalyticsDestinationType")
			ap := One(t, s, "azure-native:sql:ServerBlobAuditingPolicy")
			Equal(t, ap, "serverName", "sql-saas-dev-weu")
			Equal(t, ap, "resourceGroupName", "rg-saas-dev-weu")
			Equal(t, ap, "blobAuditingPolicyName", "default")
			Equal(t, ap, "state", "Enabled")
			Equal(t, ap, "isAzureMonitorTargetEnabled", true)
			Equal(t, ap, "auditActionsAndGroups", []string{"BATCH_COMPLETED_GROUP", "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"})
			Absent(t, ap, "storageEndpoint")
			Absent(t, ap, "storageAccountAccessKey")
			assert.Contains(t, ap.DependsOn, ads.URN, "the auditing policy does not wait for the master database's diagnostic setting")

			pe := One(t, s, "azure-native:network:PrivateEndpoint")
			Equal(t, pe, "privateEndpointName", "pe-sql-saas-dev-weu-sqlServer")
			Equal(t, pe, "subnet.id", testPESubnet)
			Equal(t, pe, "privateLinkServiceConnections[0].groupIds", []string{"sqlServer"})
			Equal(t, pe, "privateLinkServiceConnections[0].privateLinkServiceId", srv.ID)
			zg := One(t, s, "azure-native:network:PrivateDnsZoneGroup")
			Equal(t, zg, "privateDnsZoneConfigs", []map[string]any{{"name": "sqlServer", "privateDnsZoneId": testZone("privatelink.database.windows.net")}})
		})
	}
}

func TestSQLValidatesEverythingAtOnce(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := sql.New(ctx, "sql", &sql.Args{SkuName: "GP_S_Gen5_2", MinCapacity: 3, AutoPauseDelayMinutes: 5, MaxSizeGB: 5000, BackupStorageRedundancy: "Global"})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "Location", "ServerName", "DatabaseName", "TenantID", "AdminGroupObjectID", "AdminGroupName",
		"MinCapacity 3", "AutoPauseDelayMinutes 5", "MaxSizeGB 5000", `BackupStorageRedundancy "Global"`)
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := sql.New(ctx, "sql", &sql.Args{SkuName: "GP_Gen5_2"})
		return err
	})
	assert.ErrorContains(t, err, "serverless SKU", "a provisioned SKU must be refused")
	// The component applies config's rule (check.SQLServerlessSKU): no serverless SKU has 3 vCores.
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := sql.New(ctx, "sql", &sql.Args{SkuName: "GP_S_Gen5_3"})
		return err
	})
	assert.ErrorContains(t, err, `SkuName "GP_S_Gen5_3"`, "GP_S_Gen5_3 must be refused")
}

// Without diagnostic settings there is no workspace to audit to: no auditing policy either.
func TestSQLWithoutDiagnosticsHasNoAuditing(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		a := sqlArgs(false)
		a.DiagnosticSettings = nil
		_, err := sql.New(ctx, "sql", a)
		return err
	})
	for _, typ := range []string{"azure-native:insights:DiagnosticSetting", "azure-native:sql:ServerBlobAuditingPolicy"} {
		assert.Empty(t, s.ByType(typ), "%s without diagnostic settings", typ)

	}
}
