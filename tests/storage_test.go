package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/storage"
	"github.com/azure-saas-platform/platform/offline"
)

// sharedAccountSettings are the settings both accounts must have.
func checkSharedAccountSettings(t *testing.T, a *offline.Resource) {
	t.Helper()
	Equal(t, a, "kind", "StorageV2")
	Equal(t, a, "enableHttpsTrafficOnly", true)
	Equal(t, a, "minimumTlsVersion", "TLS1_2")
	Equal(t, a, "allowBlobPublicAccess", false)
	Equal(t, a, "allowSharedKeyAccess", false)
	Equal(t, a, "defaultToOAuthAuthentication", true)
	Equal(t, a, "allowCrossTenantReplication", false)
}

func TestStorageSPA(t *testing.T) {
	t.Parallel()
	s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		c, err := storage.NewSPA(ctx, "spa", &storage.SPAArgs{
			ResourceGroupName:  pulumi.String("rg-saas-dev-weu"),
			Location:           pulumi.String("westeurope"),
			Name:               pulumi.String("stsaasdevweuspa"),
			Replication:        "Standard_ZRS",
			IndexDocument:      "index.html",
			ErrorDocument:      "404.html",
			Tags:               pulumi.StringMap{"environment": pulumi.String("dev")},
			DiagnosticSettings: &avm.DiagnosticSettings{WorkspaceID: pulumi.String(testWorkspace)},
		})
		if err != nil {
			return nil, err
		}
		return map[string]pulumi.Output{"web": c.WebEndpoint}, nil
	})
	a := One(t, s, "azure-native:storage:StorageAccount")
	Equal(t, a, "accountName", "stsaasdevweuspa")
	Equal(t, a, "sku", map[string]any{"name": "Standard_ZRS"})
	checkSharedAccountSettings(t, a)
	// Relaxed for publishing through Front Door and the pipeline: public network access with no
	// firewall. Still no shared keys and no anonymous containers.
	Equal(t, a, "publicNetworkAccess", "Enabled")
	Equal(t, a, "networkRuleSet", map[string]any{"defaultAction": "Allow", "bypass": "AzureServices"})
	Absent(t, a, "isHnsEnabled")
	Equal(t, a, "tags", map[string]any{"environment": "dev"})

	w := One(t, s, "azure-native:storage:StorageAccountStaticWebsite")
	Equal(t, w, "accountName", "stsaasdevweuspa")
	Equal(t, w, "indexDocument", "index.html")
	Equal(t, w, "error404Document", "404.html")
	assert.Equal(t, "https://stsaasdevweuspa.z6.web.core.windows.net/", Output(t, s, "web"), "exported web endpoint")

	ds := One(t, s, "azure-native:insights:DiagnosticSetting")
	Equal(t, ds, "resourceUri", a.ID+"/blobServices/default")
	Equal(t, ds, "metrics", []map[string]any{{"category": "Transaction", "enabled": true}})
	assert.Empty(t, s.ByType("azure-native:network:PrivateEndpoint"), "the SPA account has private endpoints")
	assert.Empty(t, s.ByType("azure-native:authorization:ManagementLockByScope"), "the SPA account has locks")
}

func dataLakeArgs(prod bool) *storage.DataLakeArgs {
	a := &storage.DataLakeArgs{
		ResourceGroupName:       pulumi.String("rg-saas-dev-weu"),
		Location:                pulumi.String("westeurope"),
		Name:                    pulumi.String("stsaasdevweudata"),
		Replication:             "Standard_LRS",
		Containers:              []string{"documents", "exports"},
		SoftDeleteRetentionDays: 7,
		Tags:                    pulumi.StringMap{"environment": pulumi.String("dev")},
		DiagnosticSettings:      &avm.DiagnosticSettings{WorkspaceID: pulumi.String(testWorkspace)},
		PrivateEndpoints: []avm.PrivateEndpoint{
			{SubnetID: pulumi.String(testPESubnet), PrivateDNSZoneID: pulumi.String(testZone("privatelink.blob.core.windows.net")), GroupID: "blob"},
			{SubnetID: pulumi.String(testPESubnet), PrivateDNSZoneID: pulumi.String(testZone("privatelink.dfs.core.windows.net")), GroupID: "dfs"},
		},
	}
	if prod {
		a.Replication, a.SoftDeleteRetentionDays = "Standard_GZRS", 30
		a.Protect, a.Lock = true, avm.LockCanNotDelete
	}
	return a
}

func TestStorageDataLake(t *testing.T) {
	for _, prod := range []bool{false, true} {
		t.Run(map[bool]string{false: "dev", true: "prod"}[prod], func(t *testing.T) {
			t.Parallel()
			s := RunProgram(t, func(ctx *pulumi.Context) error {
				_, err := storage.NewDataLake(ctx, "datalake", dataLakeArgs(prod))
				return err
			})
			a := One(t, s, "azure-native:storage:StorageAccount")
			Equal(t, a, "accountName", "stsaasdevweudata")
			Equal(t, a, "sku", map[string]any{"name": map[bool]string{false: "Standard_LRS", true: "Standard_GZRS"}[prod]})
			checkSharedAccountSettings(t, a)
			Equal(t, a, "isHnsEnabled", true)
			Equal(t, a, "publicNetworkAccess", "Disabled")
			Equal(t, a, "networkRuleSet", map[string]any{"defaultAction": "Deny", "bypass": "AzureServices"})
			assert.Equal(t, prod, a.Protect, "%s: protect", a.Key())

			days := map[bool]int{false: 7, true: 30}[prod]
			bs := One(t, s, "azure-native:storage:BlobServiceProperties")
			Equal(t, bs, "blobServicesName", "default")
			Equal(t, bs, "deleteRetentionPolicy", map[string]any{"enabled": true, "days": days})
			Equal(t, bs, "containerDeleteRetentionPolicy", map[string]any{"enabled": true, "days": days})
			// Blob versioning is not supported with a hierarchical namespace.
			Absent(t, bs, "isVersioningEnabled")

			for _, ct := range []string{"documents", "exports"} {
				c := Named(t, s, "azure-native:storage:BlobContainer", "datalake-"+ct)
				Equal(t, c, "containerName", ct)
				Equal(t, c, "publicAccess", "None")
			}

			for group, zone := range map[string]string{"blob": "privatelink.blob.core.windows.net", "dfs": "privatelink.dfs.core.windows.net"} {
				pe := Named(t, s, "azure-native:network:PrivateEndpoint", "datalake-"+group)
				Equal(t, pe, "privateEndpointName", "pe-stsaasdevweudata-"+group)
				Equal(t, pe, "privateLinkServiceConnections[0].groupIds", []string{group})
				Equal(t, pe, "privateLinkServiceConnections[0].privateLinkServiceId", a.ID)
				zg := Named(t, s, "azure-native:network:PrivateDnsZoneGroup", "datalake-"+group)
				Equal(t, zg, "privateDnsZoneConfigs", []map[string]any{{"name": group, "privateDnsZoneId": testZone(zone)}})
			}

			ds := One(t, s, "azure-native:insights:DiagnosticSetting")
			Equal(t, ds, "resourceUri", a.ID+"/blobServices/default")
			Equal(t, ds, "metrics", []map[string]any{{"category": "Transaction", "enabled": true}})
			Equal(t, ds, "logs", []map[string]any{{"categoryGroup": "allLogs", "enabled": true}})

			locks := s.ByType("azure-native:authorization:ManagementLockByScope")
			if prod {
				l := One(t, s, "azure-native:authorization:ManagementLockByScope")
				Equal(t, l, "level", "CanNotDelete")
				Equal(t, l, "scope", a.ID)
			} else {
				assert.Empty(t, locks, "dev has locks")
			}
		})
	}
}

func TestStorageValidatesEverythingAtOnce(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := storage.NewDataLake(ctx, "d", &storage.DataLakeArgs{Replication: "Premium_LRS",
			Containers: []string{"Docs", "ok1", "ok1"}, SoftDeleteRetentionDays: 400})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "Location", "Name is required", `Replication "Premium_LRS"`, `Containers[0] "Docs"`,
		`Containers[2] "ok1" is listed twice`, "SoftDeleteRetentionDays 400")
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := storage.NewSPA(ctx, "s", &storage.SPAArgs{IndexDocument: "app/index.html"})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "Name is required", `IndexDocument "app/index.html"`)
	// The name is an input (it carries the random suffix): its rule is checked when it resolves,
	// and a name that breaks it fails the run before the account is sent to Azure.
	for _, bad := range []string{"Bad_Name", "x"} {
		_, err = TryRunProgram(func(ctx *pulumi.Context) error {
			a := dataLakeArgs(false)
			a.Name = pulumi.String(bad)
			_, err := storage.NewDataLake(ctx, "d", a)
			return err
		})
		ErrorMentions(t, err, `storage: Name "`+bad+`": want 3-24 lowercase letters and digits`)
	}

}
