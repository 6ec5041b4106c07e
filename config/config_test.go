package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
)

// minimal returns the smallest valid dev configuration.
func minimal() map[string]string {
	return map[string]string{
		"environment": "dev",
		"location":    "westeurope",
		"prefix":      "saas",
		"network":     `{"addressSpace":"10.40.0.0/16"}`,
		"pipeline":    `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000","subject":"sc://contoso/platform/dev"}}`,
		"externalId":  `{"mode":"disabled"}`,
		"aks":         `{"kubernetesVersion":"1.36"}`,
		"flux":        `{"repositoryUrl":"https://dev.azure.com/contoso/platform/_git/platform"}`,
	}
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "<delete>" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

func prodMinimal() map[string]string {
	return with(minimal(),
		"environment", "prod",
		"aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["203.0.113.0/24"]}`,
		"agc", `{"originHostName":"api-origin.example.com","originDnsZoneId":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/example.com"}`,
		"flux", `{"repositoryUrl":"https://dev.azure.com/contoso/platform/_git/platform","version":"1.19.5"}`,
	)
}

func TestMinimalIsValid(t *testing.T) {
	for name, raw := range map[string]map[string]string{"dev": minimal(), "prod": prodMinimal()} {
		env, err := Parse(raw)
		require.NoError(t, err, name)
		assert.NotEmpty(t, env.Names.ResourceGroup, "%s: derived names not filled: %+v", name, env.Names)
		g, err := env.GlobalNames("ab12")
		assert.NoError(t, err, "%s: global names", name)
		assert.NotEmpty(t, g.KeyVault, "%s: global names not built: %+v", name, g)
		assert.Len(t, env.Subnets, len(netplan.Roles), "%s: derived subnets not filled", name)
	}
}

func TestEnvironmentDefaultsDiffer(t *testing.T) {
	dev, err := Parse(minimal())
	require.NoError(t, err, "dev")
	prod, err := Parse(prodMinimal())
	require.NoError(t, err, "prod")
	tests := []struct {
		what      string
		dev, prod any
	}{
		{"protect", dev.ProtectStatefulResources, prod.ProtectStatefulResources},
		{"purge protection", dev.KeyVault.PurgeProtection, prod.KeyVault.PurgeProtection},
		{"sql zone redundancy", dev.SQL.ZoneRedundant, prod.SQL.ZoneRedundant},
		{"sql backup redundancy", dev.SQL.BackupStorageRedundancy, prod.SQL.BackupStorageRedundancy},
		{"sql auto-pause", dev.SQL.AutoPauseDelayMinutes, prod.SQL.AutoPauseDelayMinutes},
		{"postgres tier", dev.Postgres.Tier, prod.Postgres.Tier},
		{"postgres HA", dev.Postgres.HighAvailability, prod.Postgres.HighAvailability},
		{"postgres geo backup", dev.Postgres.GeoRedundantBackup, prod.Postgres.GeoRedundantBackup},
		{"storage replication", dev.Storage.Replication, prod.Storage.Replication},
		{"aks tier", dev.AKS.Tier, prod.AKS.Tier},
		{"system pool size", dev.AKS.SystemPool.Count, prod.AKS.SystemPool.Count},
		{"system pool zones", len(dev.AKS.SystemPool.Zones), len(prod.AKS.SystemPool.Zones)},
		{"acr sku", dev.ACR.Sku, prod.ACR.Sku},
		{"front door waf", dev.FrontDoor.WAFMode, prod.FrontDoor.WAFMode},
		{"flux image automation", dev.Flux.ImageAutomation, prod.Flux.ImageAutomation},
	}
	for _, tt := range tests {
		assert.NotEqual(t, tt.dev, tt.prod, "%s: dev and prod defaults are the same", tt.what)
	}
	want := map[string]any{"Local": dev.SQL.BackupStorageRedundancy, "Geo": prod.SQL.BackupStorageRedundancy, "ZoneRedundant": prod.Postgres.HighAvailability, "Prevention": prod.FrontDoor.WAFMode}
	for w, got := range want {
		assert.Equal(t, w, got)
	}
}

func TestShippedStackFiles(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		all, err := ReadStackFile("../Pulumi." + env + ".yaml")
		require.NoError(t, err)
		e, err := Parse(Namespaced(all))
		require.NoError(t, err, "Pulumi.%s.yaml", env)
		assert.Equal(t, env, e.Environment, "Pulumi.%s.yaml: environment", env)
	}
}

// TestRules has one case per validation rule; each names the key that must be reported and a
// fragment of what is allowed.
func TestRules(t *testing.T) {
	dev, prod := minimal(), prodMinimal()
	tests := []struct {
		name    string
		raw     map[string]string
		key     string
		allowed string
	}{
		{"missing environment", with(dev, "environment", "<delete>"), "environment", "is required"},
		{"environment name with a hyphen", with(dev, "environment", "pr-12"), "environment", "2-10 lowercase letters and digits"},
		{"environment name too long", with(dev, "environment", "integration1"), "environment", "2-10 lowercase letters and digits"},
		{"environment name upper case", with(dev, "environment", "Staging"), "environment", "2-10 lowercase letters and digits"},
		{"third environment without profile", with(dev, "environment", "staging"), "profile", `is required: dev or prod: the environment "staging" is neither`},
		{"unknown profile", with(dev, "environment", "staging", "profile", "test"), "profile", "want one of dev, prod"},
		{"prod named environment on the dev profile", with(dev, "environment", "prod", "profile", "dev"), "profile", "an environment named prod takes profile prod"},
		// A long environment name eats into the names' limits like a long prefix does.
		{"environment name makes storage name too long", with(dev, "environment", "staging", "profile", "dev", "location", "eastus2"), "prefix",
			`storageAccount name "stsaasstagingeus2data0000" (role "data") breaks Azure's rule: 3-24 lowercase letters and digits only; globally unique; 0000 stands for the random 4-character name suffix: shorten the prefix or the environment name (staging), or set nameSuffix (shorter, or none)`},
		{"missing location", with(dev, "location", "<delete>"), "location", "is required"},
		{"unknown location", with(dev, "location", "moon"), "location", "want one of australiaeast"},
		{"missing prefix", with(dev, "prefix", "<delete>"), "prefix", "is required"},
		{"bad prefix", with(dev, "prefix", "Saas_1"), "prefix", "2-10 lowercase"},
		{"bad suffix", with(dev, "nameSuffix", "TOOLONG"), "nameSuffix", "1-4 lowercase letters and digits, none for no suffix"},
		{"empty suffix", with(dev, "nameSuffix", ""), "nameSuffix", "is empty: say none for no suffix"},
		{"unknown top-level key", with(dev, "netwrok", "{}"), "netwrok", "is not a platform setting"},
		{"unknown nested key", with(dev, "sql", `{"skuname":"GP_S_Gen5_2"}`), "sql.skuname", "known: databaseName, skuName"},
		{"wrong type", with(dev, "sql", `{"maxSizeGb":"big"}`), "sql.maxSizeGb", "want a whole number"},
		{"bad boolean", with(dev, "protectStatefulResources", "yes please"), "protectStatefulResources", "true or false"},
		{"stack reference layer", with(dev, "stackReferences", `{"flux":"a/b/c"}`), "stackReferences.flux", "want base, identity or aks"},
		{"stack reference shape", with(dev, "stackReferences", `{"base":"platform-base"}`), "stackReferences.base", "<organization>/<project>/<stack>"},
		{"reserved tag", with(dev, "tags", `{"environment":"x"}`), "tags.environment", "set by the platform"},
		{"reserved profile tag", with(dev, "tags", `{"profile":"prod"}`), "tags.profile", "set by the platform itself (environment, profile, managed-by, project)"},
		{"bad tag name", with(dev, "tags", `{"a/b":"x"}`), "tags.a/b", "1-512 characters"},
		{"missing address space", with(dev, "network", `{}`), "network.addressSpace", "is required"},
		{"malformed CIDR", with(dev, "network", `{"addressSpace":"10.40.0.0/33"}`), "network.addressSpace", "not a CIDR"},
		{"host bits", with(dev, "network", `{"addressSpace":"10.40.1.0/16"}`), "network.addressSpace", "did you mean 10.40.0.0/16"},
		{"public space", with(dev, "network", `{"addressSpace":"20.0.0.0/16"}`), "network.addressSpace", "not a private range"},
		{"space too small", with(dev, "network", `{"addressSpace":"10.40.0.0/23"}`), "network.addressSpace", "does not fit"},
		{"subnet outside", with(dev, "network", `{"addressSpace":"10.40.0.0/16","subnets":{"agc":"10.41.0.0/24"}}`), "network.subnets.agc", "outside the address space"},
		{"subnets overlap", with(dev, "network", `{"addressSpace":"10.40.0.0/16","subnets":{"nodes":"10.40.0.0/22","agc":"10.40.1.0/24"}}`), "network.subnets.", "overlaps"},
		{"agc subnet /25", with(dev, "network", `{"addressSpace":"10.40.0.0/16","subnets":{"agc":"10.40.8.0/25"}}`), "network.subnets.agc", "must be exactly /24"},
		{"agc subnet /23", with(dev, "network", `{"addressSpace":"10.40.0.0/16","subnets":{"agc":"10.40.8.0/23"}}`), "network.subnets.agc", "must be exactly /24: Application Gateway for Containers with Azure CNI overlay"},
		{"subnet too small", with(dev, "network", `{"addressSpace":"10.40.0.0/16","subnets":{"nodes":"10.40.8.0/25"}}`), "network.subnets.nodes", "needs /24 or larger"},
		{"subnet malformed", with(dev, "network", `{"addressSpace":"10.40.0.0/16","subnets":{"postgres":"nope"}}`), "network.subnets.postgres", "not a CIDR"},
		{"unknown subnet role", with(dev, "network", `{"addressSpace":"10.40.0.0/16","subnets":{"gateway":"10.40.9.0/24"}}`), "network.subnets.gateway", "not a subnet role"},
		{"nat timeout", with(dev, "network", `{"addressSpace":"10.40.0.0/16","natIdleTimeoutMinutes":2}`), "network.natIdleTimeoutMinutes", "want 4-120"},
		{"nat prefix", with(dev, "network", `{"addressSpace":"10.40.0.0/16","natPublicIpPrefixLength":24}`), "network.natPublicIpPrefixLength", "28-31"},
		{"kv sku", with(dev, "keyVault", `{"sku":"gold"}`), "keyVault.sku", "standard, premium"},
		{"kv retention", with(dev, "keyVault", `{"softDeleteRetentionDays":100}`), "keyVault.softDeleteRetentionDays", "7-90"},
		{"prod purge protection", with(prod, "keyVault", `{"purgeProtection":false}`), "keyVault.purgeProtection", "prod requires purge protection"},
		{"sql sku", with(dev, "sql", `{"skuName":"GP_Gen5_2"}`), "sql.skuName", "serverless SKU"},
		{"sql sku off the list", with(dev, "sql", `{"skuName":"GP_S_Gen5_3"}`), "sql.skuName", "vCores one of 1, 2, 4"},
		{"sql min capacity", with(dev, "sql", `{"minCapacity":3}`), "sql.minCapacity", "up to the SKU's maximum (2)"},
		{"sql auto-pause", with(dev, "sql", `{"autoPauseDelayMinutes":5}`), "sql.autoPauseDelayMinutes", "-1 (never pause) or 15-10080"},
		{"sql size", with(dev, "sql", `{"maxSizeGb":0}`), "sql.maxSizeGb", "1-4096"},
		{"sql backup", with(dev, "sql", `{"backupStorageRedundancy":"Global"}`), "sql.backupStorageRedundancy", "Local, Zone, Geo, GeoZone"},
		{"sql database name", with(dev, "sql", `{"databaseName":"bad/name"}`), "sql.databaseName", "breaks Azure's rule"},
		{"pg version", with(dev, "postgres", `{"version":"11"}`), "postgres.version", "13, 14, 15, 16"},
		{"pg tier", with(dev, "postgres", `{"tier":"Basic"}`), "postgres.tier", "Burstable, GeneralPurpose"},
		{"pg sku family", with(dev, "postgres", `{"tier":"GeneralPurpose","skuName":"Standard_B2s"}`), "postgres.skuName", "takes Standard_D* SKUs"},
		{"pg storage", with(dev, "postgres", `{"storageSizeGb":100}`), "postgres.storageSizeGb", "32, 64, 128"},
		{"pg HA on burstable", with(dev, "postgres", `{"highAvailability":"ZoneRedundant"}`), "postgres.highAvailability", "needs the GeneralPurpose"},
		{"pg retention", with(dev, "postgres", `{"backupRetentionDays":40}`), "postgres.backupRetentionDays", "7-35"},
		{"storage replication", with(dev, "storage", `{"replication":"Premium_LRS"}`), "storage.replication", "Standard_LRS"},
		{"container name", with(dev, "storage", `{"dataLakeContainers":["Docs"]}`), "storage.dataLakeContainers[0]", "3-63 lowercase"},
		{"container double hyphen", with(dev, "storage", `{"dataLakeContainers":["a--b"]}`), "storage.dataLakeContainers[0]", "3-63 lowercase"},
		{"container twice", with(dev, "storage", `{"dataLakeContainers":["docs","docs"]}`), "storage.dataLakeContainers[1]", "listed twice"},
		{"no containers", with(dev, "storage", `{"dataLakeContainers":[]}`), "storage.dataLakeContainers", "at least one"},
		{"storage soft delete", with(dev, "storage", `{"softDeleteRetentionDays":0}`), "storage.softDeleteRetentionDays", "1-365"},
		{"spa document", with(dev, "storage", `{"spaIndexDocument":"app/index.html"}`), "storage.spaIndexDocument", "root of the site"},
		{"log retention", with(dev, "monitoring", `{"retentionDays":10}`), "monitoring.retentionDays", "30-730"},
		{"group IDs without createGroups", with(dev, "entra", `{"createGroups":false}`), "entra.platformAdminsGroupObjectId", "is required"},
		{"group ID not a GUID", with(dev, "entra", `{"createGroups":false,"platformAdminsGroupObjectId":"admins","databaseAdminsGroupObjectId":"22222222-2222-2222-2222-222222222222"}`), "entra.platformAdminsGroupObjectId", "a GUID"},
		{"group name with createGroups", with(dev, "entra", `{"databaseAdminsGroupName":"DB admins"}`), "entra.databaseAdminsGroupName", "must be empty"},
		{"group name spaces", with(dev, "entra", `{"createGroups":false,"platformAdminsGroupObjectId":"11111111-1111-1111-1111-111111111111","databaseAdminsGroupObjectId":"22222222-2222-2222-2222-222222222222","databaseAdminsGroupName":" DB admins"}`), "entra.databaseAdminsGroupName", "display name"},
		{"group ID with createGroups", with(dev, "entra", `{"databaseAdminsGroupObjectId":"22222222-2222-2222-2222-222222222222"}`), "entra.databaseAdminsGroupObjectId", "must be empty"},
		{"no services", with(dev, "services", `[]`), "services", "at least one service"},
		{"service name", with(dev, "services", `[{"name":"User_Service"}]`), "services[0].name", "DNS label"},
		{"service twice", with(dev, "services", `[{"name":"a1"},{"name":"a1"}]`), "services[1].name", "used by another service"},
		{"service reserved", with(dev, "services", `[{"name":"pipeline"}]`), "services[0].name", "reserved"},
		{"service data lake", with(dev, "services", `[{"name":"a1","dataLake":"write"}]`), "services[0].dataLake", "none, read, readWrite"},
		{"service namespace", with(dev, "services", `[{"name":"a1","namespace":"Bad"}]`), "services[0].namespace", "namespace name"},
		{"service postgres database", with(dev, "services", `[{"name":"a1","postgresDatabase":"Users"}]`), "services[0].postgresDatabase", "PostgreSQL database name"},
		{"service postgres database digit", with(dev, "services", `[{"name":"a1","postgresDatabase":"1users"}]`), "services[0].postgresDatabase", "PostgreSQL database name"},
		{"federated credential name", with(dev, "services", `[{"name":"a1","namespace":"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn","serviceAccount":"sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss"}]`), "services[0]", "federatedCredential name"},
		{"workload accounts", with(dev, "workloads", `{"certManager":{"namespace":"cert-manager","serviceAccounts":[]}}`), "workloads.certManager.serviceAccounts", "at least one"},
		{"ado issuer", with(dev, "pipeline", `{"azureDevOps":{"issuer":"https://example.com","subject":"sc://a/b/c"}}`), "pipeline.azureDevOps.issuer", "vstoken.dev.azure.com"},
		{"ado subject missing", with(dev, "pipeline", `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000"}}`), "pipeline.azureDevOps.subject", "is required"},
		{"github repo", with(dev, "pipeline", `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000","subject":"sc://a/b/c"},"github":{"repository":"noslash"}}`), "pipeline.github.repository", "owner/name"},
		{"github credential clash", with(dev, "pipeline", `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000","subject":"sc://a/b/c"},"github":{"repository":"o/r","environments":["prod.eu","prod-eu"]}}`), "pipeline.github.environments[1]", "same federated credential name"},
		{"external id mode", with(dev, "externalId", `{"mode":"maybe"}`), "externalId.mode", "create, existing, disabled"},
		{"external id missing mode", with(dev, "externalId", `{}`), "externalId.mode", "is required"},
		{"external id tenant", with(dev, "externalId", `{"mode":"existing"}`), "externalId.tenantId", "is required"},
		{"external id domain", with(dev, "externalId", `{"mode":"create","domainName":"Has-Dash"}`), "externalId.domainName", "1-26 lowercase"},
		{"external id subdomain shape", with(dev, "externalId", `{"mode":"existing","tenantId":"33333333-3333-3333-3333-333333333333","tenantSubdomain":"Contoso-Customers"}`), "externalId.tenantSubdomain", "1-26 lowercase"},
		{"external id subdomain with create", with(dev, "externalId", `{"mode":"create","domainName":"x","tenantSubdomain":"x"}`), "externalId.tenantSubdomain", "only used with mode existing"},
		{"external id deployer not a GUID", with(dev, "externalId", `{"mode":"create","domainName":"x","deployerClientId":"deployer","deployerObjectId":"44444444-4444-4444-4444-444444444444"}`), "externalId.deployerClientId", "a GUID"},
		{"external id deployer disabled", with(dev, "externalId", `{"mode":"disabled","deployerClientId":"44444444-4444-4444-4444-444444444444"}`), "externalId.deployerClientId", "not used with mode disabled"},
		{"external id deployer object missing", with(dev, "externalId", `{"mode":"create","domainName":"x","deployerClientId":"44444444-4444-4444-4444-444444444444"}`), "externalId.deployerObjectId", "is required"},
		{"external id deployer object alone", with(dev, "externalId", `{"mode":"create","domainName":"x","deployerObjectId":"44444444-4444-4444-4444-444444444444"}`), "externalId.deployerObjectId", "only used with deployerClientId"},
		{"prod external id without deployer", with(prod, "externalId", `{"mode":"existing","tenantId":"33333333-3333-3333-3333-333333333333"}`), "externalId.deployerClientId", "a pipeline cannot use for another tenant"},
		{"prod external id without deployer object", with(prod, "externalId", `{"mode":"create","domainName":"x"}`), "externalId.deployerObjectId", "a pipeline cannot use for another tenant"},
		{"external id residency", with(dev, "externalId", `{"mode":"create","domainName":"x","dataResidency":"Mars"}`), "externalId.dataResidency", "United States, Europe"},
		{"spa redirect http", with(dev, "externalId", `{"mode":"create","domainName":"x","spaRedirectUris":["http://app.example.com/"]}`), "externalId.spaRedirectUris[0]", "https://"},
		{"spa redirect localhost look-alike", with(dev, "externalId", `{"mode":"create","domainName":"x","spaRedirectUris":["http://localhost.evil.example/"]}`), "externalId.spaRedirectUris[0]", "only allowed for localhost"},
		{"spa redirect without path", with(dev, "externalId", `{"mode":"create","domainName":"x","spaRedirectUris":["https://app.example.com"]}`), "externalId.spaRedirectUris[0]", "add a path"},
		{"external id tenant not a GUID", with(dev, "externalId", `{"mode":"existing","tenantId":"contoso"}`), "externalId.tenantId", "a GUID"},
		{"mobile redirect", with(dev, "externalId", `{"mode":"create","domainName":"x","mobileRedirectUris":["callback"]}`), "externalId.mobileRedirectUris[0]", "platform redirect URI"},
		{"k8s version missing", with(dev, "aks", `{}`), "aks.kubernetesVersion", "is required"},
		{"k8s version", with(dev, "aks", `{"kubernetesVersion":"v1.36"}`), "aks.kubernetesVersion", "1.<minor>"},
		{"k8s version out of AKS support", with(dev, "aks", `{"kubernetesVersion":"1.34"}`), "aks.kubernetesVersion", "Kubernetes 1.34 is out of AKS support"},
		{"k8s patch version out of AKS support", with(dev, "aks", `{"kubernetesVersion":"1.33.4","upgradeChannel":"none"}`), "aks.kubernetesVersion", "want 1.35 or later"},
		{"k8s patch version with patch channel", with(dev, "aks", `{"kubernetesVersion":"1.36.2"}`), "aks.kubernetesVersion", "only allowed with aks.upgradeChannel none or node-image (is patch)"},
		{"k8s patch version with stable channel", with(dev, "aks", `{"kubernetesVersion":"1.36.2","upgradeChannel":"stable"}`), "aks.kubernetesVersion", "Azure for a downgrade"},
		{"aks tier", with(dev, "aks", `{"kubernetesVersion":"1.36","tier":"Gold"}`), "aks.tier", "Free, Standard, Premium"},
		{"prod free tier", with(prod, "aks", `{"kubernetesVersion":"1.36","tier":"Free","authorizedIpRanges":["203.0.113.0/24"]}`), "aks.tier", "prod needs the Standard"},
		{"pool count", with(dev, "aks", `{"kubernetesVersion":"1.36","systemPool":{"count":0}}`), "aks.systemPool.count", "1-100"},
		{"prod pool count below zones", with(prod, "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["203.0.113.0/24"],"systemPool":{"count":2}}`), "aks.systemPool.count", "at least one node per zone (3 zones)"},
		// AKS refuses node auto-provisioning on a cluster with an autoscaled pool.
		{"autoscaler min beside NAP", with(dev, "aks", `{"kubernetesVersion":"1.36","systemPool":{"minCount":1}}`), "aks.systemPool.minCount", "the cluster autoscaler cannot run beside node auto-provisioning (aks.nodeProvisioning Auto)"},
		{"autoscaler max beside NAP", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Auto","systemPool":{"minCount":1,"maxCount":3}}`), "aks.systemPool.maxCount", "give the system pool a fixed size with aks.systemPool.count, or set aks.nodeProvisioning Manual"},
		{"pool min", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Manual","systemPool":{"minCount":-1,"maxCount":3}}`), "aks.systemPool.minCount", "1-100"},
		{"pool max below min", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Manual","systemPool":{"count":3,"minCount":3,"maxCount":2}}`), "aks.systemPool.maxCount", "want minCount (3) to 100"},
		{"pool max alone", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Manual","systemPool":{"maxCount":3}}`), "aks.systemPool.minCount", "1-100"},
		{"autoscaled count outside bounds", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Manual","systemPool":{"count":1,"minCount":2,"maxCount":4}}`), "aks.systemPool.count", "the starting size: want minCount (2) to maxCount (4)"},
		{"pool zones", with(dev, "aks", `{"kubernetesVersion":"1.36","systemPool":{"zones":["4"]}}`), "aks.systemPool.zones[0]", "1, 2, 3"},
		{"prod zones", with(prod, "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["203.0.113.0/24"],"systemPool":{"zones":["1"]}}`), "aks.systemPool.zones", "at least two zones"},
		{"pool disk", with(dev, "aks", `{"kubernetesVersion":"1.36","systemPool":{"osDiskSizeGb":10}}`), "aks.systemPool.osDiskSizeGb", "30-2048"},
		{"pool max pods", with(dev, "aks", `{"kubernetesVersion":"1.36","systemPool":{"maxPods":500}}`), "aks.systemPool.maxPods", "10-250"},
		{"vm size", with(dev, "aks", `{"kubernetesVersion":"1.36","systemPool":{"vmSize":"D4"}}`), "aks.systemPool.vmSize", "Azure VM size"},
		{"nap mode", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Karpenter"}`), "aks.nodeProvisioning", "Auto, Manual"},
		{"api access", with(dev, "aks", `{"kubernetesVersion":"1.36","apiServerAccess":"public"}`), "aks.apiServerAccess", "vnetIntegration, private"},
		{"authorized range", with(dev, "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["1.2.3.4"]}`), "aks.authorizedIpRanges[0]", "not a CIDR"},
		{"private with ranges", with(dev, "aks", `{"kubernetesVersion":"1.36","apiServerAccess":"private","authorizedIpRanges":["203.0.113.0/24"]}`), "aks.authorizedIpRanges", "do not apply"},
		{"prod open api server", with(prod, "aks", `{"kubernetesVersion":"1.36"}`), "aks.authorizedIpRanges", "prod refuses a public API server"},
		{"prod api server open to the internet", with(prod, "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["198.18.0.0/24","0.0.0.0/0"]}`), "aks.authorizedIpRanges[1]", "opens the API server to 4294967296 public addresses (wider than /16); prod refuses it"},
		{"prod api server open to a wide public range", with(prod, "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["20.0.0.0/15"]}`), "aks.authorizedIpRanges[0]", "opens the API server to 131072 public addresses"},
		{"prod wide range reaching past the private block", with(prod, "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["10.0.0.0/7"]}`), "aks.authorizedIpRanges[0]", "prod refuses it"},
		{"third environment on the prod profile takes prod's rules", with(prod, "environment", "staging", "profile", "prod", "keyVault", `{"purgeProtection":false}`), "keyVault.purgeProtection", "prod requires purge protection"},
		{"upgrade channel", with(dev, "aks", `{"kubernetesVersion":"1.36","upgradeChannel":"weekly"}`), "aks.upgradeChannel", "none, patch, stable"},
		{"node os channel", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeOsUpgradeChannel":"nodeimage"}`), "aks.nodeOsUpgradeChannel", "NodeImage"},
		{"window day", with(dev, "aks", `{"kubernetesVersion":"1.36","autoUpgradeWindow":{"dayOfWeek":"Sun"}}`), "aks.autoUpgradeWindow.dayOfWeek", "Sunday"},
		{"window time", with(dev, "aks", `{"kubernetesVersion":"1.36","nodeOsUpgradeWindow":{"startTime":"25:00"}}`), "aks.nodeOsUpgradeWindow.startTime", "HH:MM"},
		{"window duration", with(dev, "aks", `{"kubernetesVersion":"1.36","autoUpgradeWindow":{"durationHours":2}}`), "aks.autoUpgradeWindow.durationHours", "4-24"},
		{"window offset", with(dev, "aks", `{"kubernetesVersion":"1.36","autoUpgradeWindow":{"utcOffset":"UTC"}}`), "aks.autoUpgradeWindow.utcOffset", "+HH:MM"},
		{"window interval", with(dev, "aks", `{"kubernetesVersion":"1.36","autoUpgradeWindow":{"intervalWeeks":5}}`), "aks.autoUpgradeWindow.intervalWeeks", "1-4"},
		{"pod cidr overlaps vnet", with(dev, "aks", `{"kubernetesVersion":"1.36","podCidr":"10.40.0.0/16"}`), "aks.podCidr", "overlaps the VNet"},
		{"service cidr overlaps pods", with(dev, "aks", `{"kubernetesVersion":"1.36","serviceCidr":"10.244.0.0/20"}`), "aks.serviceCidr", "overlaps the pod CIDR"},
		{"service cidr malformed", with(dev, "aks", `{"kubernetesVersion":"1.36","serviceCidr":"x"}`), "aks.serviceCidr", "not a CIDR"},
		{"rotation interval", with(dev, "aks", `{"kubernetesVersion":"1.36","secretRotationInterval":"2 minutes"}`), "aks.secretRotationInterval", "duration"},
		{"acr sku", with(dev, "acr", `{"sku":"Classic"}`), "acr.sku", "Basic, Standard, Premium"},
		{"acr premium only", with(dev, "acr", `{"sku":"Standard","privateEndpoint":true}`), "acr.privateEndpoint", "needs acr.sku Premium"},
		{"acr retention premium only", with(dev, "acr", `{"sku":"Basic","retentionDays":7}`), "acr.retentionDays", "needs acr.sku Premium"},
		{"waf mode", with(dev, "frontDoor", `{"wafMode":"Block"}`), "frontDoor.wafMode", "Prevention, Detection"},
		{"prod waf detection", with(prod, "frontDoor", `{"wafMode":"Detection"}`), "frontDoor.wafMode", "want Prevention"},
		{"prod agc detection", with(prod, "agc", `{"wafMode":"Detection"}`), "agc.wafMode", "want Prevention"},
		{"prod origin without TLS", with(prod, "agc", `{}`), "agc.originHostName", "prod encrypts traffic from Front Door"},
		{"origin host name", with(dev, "agc", `{"originHostName":"https://origin"}`), "agc.originHostName", "lowercase host name"},
		{"origin is a custom domain", with(dev, "agc", `{"originHostName":"app.example.com"}`, "frontDoor", `{"customDomains":["app.example.com"]}`), "agc.originHostName", "needs its own name"},
		{"origin without zone", with(dev, "agc", `{"originHostName":"api-origin.example.com"}`), "agc.originDnsZoneId", "is required"},
		{"origin zone malformed", with(dev, "agc", `{"originHostName":"api-origin.example.com","originDnsZoneId":"example.com"}`), "agc.originDnsZoneId", "/subscriptions/<id>"},
		{"origin outside zone", with(dev, "agc", `{"originHostName":"api-origin.example.org","originDnsZoneId":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/example.com"}`), "agc.originHostName", "not inside the zone example.com"},
		{"zone without origin", with(dev, "agc", `{"originDnsZoneId":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/example.com"}`), "agc.originDnsZoneId", "only used with agc.originHostName"},
		{"rate limit", with(dev, "frontDoor", `{"rateLimitThreshold":5}`), "frontDoor.rateLimitThreshold", "10-1000000"},
		{"rate window", with(dev, "frontDoor", `{"rateLimitDurationMinutes":10}`), "frontDoor.rateLimitDurationMinutes", "1 or 5"},
		{"country", with(dev, "frontDoor", `{"allowedCountries":["Germany"]}`), "frontDoor.allowedCountries[0]", "ISO 3166"},
		{"too many countries", with(dev, "frontDoor", `{"allowedCountries":["DE","AT","CH","FR","IT","NL","BE","LU","DK","SE"]}`), "frontDoor.allowedCountries", "at most 9 countries"},
		{"custom domain", with(dev, "frontDoor", `{"customDomains":["https://app.example.com"]}`), "frontDoor.customDomains[0]", "host name"},
		{"origin timeout", with(dev, "frontDoor", `{"originResponseTimeoutSeconds":5}`), "frontDoor.originResponseTimeoutSeconds", "16-240"},
		{"doc intel sku", with(dev, "documentIntelligence", `{"sku":"S1"}`), "documentIntelligence.sku", "F0, S0"},
		{"prod doc intel free", with(prod, "documentIntelligence", `{"sku":"F0"}`), "documentIntelligence.sku", "prod wants S0"},
		{"flux url missing", with(dev, "flux", `{}`), "flux.repositoryUrl", "is required"},
		{"flux url scheme", with(dev, "flux", `{"repositoryUrl":"git@github.com:a/b.git","auth":"none"}`), "flux.repositoryUrl", "https://"},
		{"flux wi needs ado", with(dev, "flux", `{"repositoryUrl":"https://github.com/a/b"}`), "flux.auth", "Azure DevOps only"},
		{"flux secret missing", with(dev, "flux", `{"repositoryUrl":"https://github.com/a/b","auth":"keyVaultSecret"}`), "flux.credentialsSecret", "is required"},
		{"flux secret unused", with(dev, "flux", `{"repositoryUrl":"https://github.com/a/b","auth":"none","credentialsSecret":"git"}`), "flux.credentialsSecret", "only used with auth keyVaultSecret"},
		{"flux interval", with(dev, "flux", `{"repositoryUrl":"https://dev.azure.com/a/b/_git/c","syncIntervalSeconds":10}`), "flux.syncIntervalSeconds", "60-86400"},
		{"flux cluster login", with(dev, "flux", `{"repositoryUrl":"https://dev.azure.com/a/b/_git/c","clusterLogin":"devicecode"}`), "flux.clusterLogin", "azurecli, workloadidentity"},
		{"flux train", with(dev, "flux", `{"repositoryUrl":"https://dev.azure.com/a/b/_git/c","releaseTrain":"beta"}`), "flux.releaseTrain", "stable, preview"},
		{"flux pinned without version", with(dev, "flux", `{"repositoryUrl":"https://dev.azure.com/a/b/_git/c","autoUpgradeMinorVersion":false}`), "flux.version", "is required"},
		{"flux image automation type", with(dev, "flux", `{"repositoryUrl":"https://dev.azure.com/a/b/_git/c","imageAutomation":"yes"}`), "flux.imageAutomation", "true or false"},
		{"flux version while auto", with(dev, "flux", `{"repositoryUrl":"https://dev.azure.com/a/b/_git/c","version":"1.2.3"}`), "flux.version", "cannot be pinned"},
		// The prefix is capped so that no name breaks a rule without a suffix; a suffix can.
		{"suffix makes key vault name too long", with(prod, "prefix", "contosoplt", "location", "eastus2", "nameSuffix", "ab"), "nameSuffix", `keyVault name "kv-contosoplt-prod-eus2-ab" (role "") breaks Azure's rule: 3-24`},
		{"suffix makes storage name too long", with(prod, "prefix", "contosoplt", "location", "eastus2", "nameSuffix", "ab"), "nameSuffix", `storageAccount name "stcontosopltprodeus2dataab"`},
		// The random suffix (nameSuffix unset) is 4 characters: the prefix is to blame, and the
		// message says what the placeholder stands for and the ways out.
		{"random suffix makes storage name too long", with(prod, "prefix", "contoso", "location", "eastus2"), "prefix",
			`storageAccount name "stcontosoprodeus2data0000" (role "data") breaks Azure's rule: 3-24 lowercase letters and digits only; globally unique; 0000 stands for the random 4-character name suffix: shorten the prefix or the environment name (prod), or set nameSuffix (shorter, or none)`},
		{"random suffix makes key vault name too long", with(prod, "prefix", "contoso", "location", "eastus2"), "prefix", `keyVault name "kv-contoso-prod-eus2-0000"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.raw)
			require.Error(t, err, "want a problem at %s", tt.key)
			var ps Problems
			require.True(t, errors.As(err, &ps), "want Problems, got %T", err)
			assert.True(t, slices.ContainsFunc(ps, func(p Problem) bool {
				return strings.HasPrefix(p.Key, tt.key) && strings.Contains(p.Error(), tt.allowed)
			}), "no problem at %s mentioning %q in:\n%v", tt.key, tt.allowed, err)
		})
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	raw := with(minimal(),
		"environment", "Staging",
		"prefix", "X",
		"network", `{"addressSpace":"10.40.0.0/33"}`,
		"sql", `{"skuName":"S0","autoPauseDelayMinutes":1}`,
		"aks", `{"kubernetesVersion":"latest"}`,
	)
	_, err := Parse(raw)
	require.Error(t, err, "want problems")
	msg := err.Error()
	for _, key := range []string{"platform:environment", "platform:prefix", "platform:network.addressSpace", "platform:sql.skuName", "platform:sql.autoPauseDelayMinutes", "platform:aks.kubernetesVersion"} {
		assert.Contains(t, msg, key+" = ", "message lacks %s", key)
	}
	assert.True(t, strings.HasPrefix(msg, "6 configuration problem(s):"), "want exactly the six problems, got:\n%s", msg)
}

func TestPartialObjectsKeepDefaults(t *testing.T) {
	env, err := Parse(with(minimal(), "aks", `{"kubernetesVersion":"1.36","systemPool":{"count":2},"autoUpgradeWindow":{"dayOfWeek":"Monday"}}`))
	require.NoError(t, err)
	p := env.AKS.SystemPool
	assert.Equal(t, 2, p.Count, "system pool count (given)")
	assert.Zero(t, p.MinCount, "system pool minCount (default: no autoscaler)")
	assert.Zero(t, p.MaxCount, "system pool maxCount (default: no autoscaler)")
	assert.Equal(t, "Standard_D4ds_v5", p.VMSize, "system pool vmSize (default)")
	w := env.AKS.AutoUpgradeWindow
	assert.Equal(t, "Monday", w.DayOfWeek, "window dayOfWeek (given)")
	assert.Equal(t, "02:00", w.StartTime, "window startTime (default)")
	assert.Equal(t, 4, w.DurationHours, "window durationHours (default)")
	assert.Equal(t, "172.16.0.10", env.AKS.DNSServiceIP(), "DNS service IP")
}

func TestWorkloadFederations(t *testing.T) {
	env, err := Parse(with(minimal(), "services", `[{"name":"billing-service","namespace":"billing"}]`))
	require.NoError(t, err)
	var got []string
	for _, f := range env.WorkloadFederations() {
		got = append(got, f.IdentityKey+"="+f.Namespace+"/"+f.ServiceAccount)
	}
	want := []string{
		"billing-service=billing/billing-service",
		"external-secrets=external-secrets/external-secrets",
		"cert-manager=cert-manager/cert-manager",
		"alb-controller=azure-alb-system/alb-controller-sa",
		"flux=flux-system/source-controller",
		"flux=flux-system/image-reflector-controller",
		// dev: image automation is on by default, so its controller pushes as the flux identity.
		"flux=flux-system/image-automation-controller",
	}
	assert.Equal(t, want, got, "WorkloadFederations()")
}

// TestWorkloadFederationsFollowImageAutomation: the image-automation controller is federated
// exactly when flux.imageAutomation is on (prod's default is off), and only once.
func TestWorkloadFederationsFollowImageAutomation(t *testing.T) {
	flux := func(raw map[string]string, imageAutomation bool) map[string]string {
		var f map[string]any
		require.NoError(t, json.Unmarshal([]byte(raw["flux"]), &f))
		f["imageAutomation"] = imageAutomation
		b, _ := json.Marshal(f)
		return with(raw, "flux", string(b))
	}
	listed := with(minimal(), "workloads", `{"flux":{"namespace":"flux-system","serviceAccounts":["source-controller","image-automation-controller"]}}`)
	for _, c := range []struct {
		name string
		raw  map[string]string
		want int
	}{
		{"dev default", minimal(), 1},
		{"dev off", flux(minimal(), false), 0},
		{"prod default", prodMinimal(), 0},
		{"prod on", flux(prodMinimal(), true), 1},
		{"already listed", listed, 1},
	} {
		env, err := Parse(c.raw)
		require.NoError(t, err, c.name)
		n := 0
		for _, f := range env.WorkloadFederations() {
			if f.IdentityKey == IdentityFlux && f.ServiceAccount == FluxImageAutomationServiceAccount {
				n++
			}
		}
		assert.Equal(t, c.want, n, "%s: times image-automation-controller is federated", c.name)
	}
}

func TestServiceDefaults(t *testing.T) {
	env, err := Parse(with(minimal(), "services", `[{"name":"billing-service","dataLake":"read"}]`))
	require.NoError(t, err)
	s := env.Services[0]
	assert.Equal(t, "billing-service", s.Namespace, "service namespace default")
	assert.Equal(t, "billing-service", s.ServiceAccount, "service account default")
	assert.Equal(t, "id-saas-dev-weu-billing-service", env.Names.Identities["billing-service"], "identity name")
	assert.NotContains(t, env.Names.Identities, "user-service", "default services must be replaced, not merged, when services are given")
}

func TestReadStackFileRefusesSecrets(t *testing.T) {
	path := t.TempDir() + "/Pulumi.x.yaml"
	require.NoError(t, writeFile(path, "config:\n  platform:prefix:\n    secure: AAABAxyz\n"))
	_, err := ReadStackFile(path)
	assert.ErrorContains(t, err, "must not hold secrets", "want a refusal")
}

func TestKeysCoverEveryField(t *testing.T) {
	keys := Keys()
	require.Len(t, keys, 26, "Keys()")
	assert.Equal(t, "environment", keys[0], "first key")
	assert.Equal(t, "flux", keys[len(keys)-1], "last key")
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

// TestLongestNamesFitEverywhere proves the documented cap on the prefix and the environment name
// together, in every region and for environment names of every length: 10 characters with a
// 4-character suffix (the random one or a configured one), 14 without a suffix; one more
// character breaks a rule in some region, whichever of the two is longer.
func TestLongestNamesFitEverywhere(t *testing.T) {
	letters := func(n int) string { return strings.Repeat("c", n) }
	for _, tc := range []struct {
		name, suffix string // suffix "" leaves nameSuffix unset: the random suffix
		cap          int
	}{
		{"random suffix", "", 10},
		{"4-character suffix", "ab12", 10},
		{"no suffix", NoNameSuffix, 14},
	} {
		for _, envLen := range []int{2, 3, 4, 7, 8} {
			t.Run(fmt.Sprintf("%s, environment of %d", tc.name, envLen), func(t *testing.T) {
				envName := "e" + letters(envLen-1)
				raw := func(prefix, loc string) map[string]string {
					r := with(prodMinimal(), "prefix", prefix, "location", loc, "environment", envName, "profile", Prod)
					if tc.suffix != "" {
						r["nameSuffix"] = tc.suffix
					}
					return r
				}
				prefixLen := tc.cap - envLen
				if prefixLen > 10 {
					prefixLen = 10 // the prefix's own limit
				}
				longest := "p" + letters(prefixLen-1)
				tooLong := 0
				for _, loc := range naming.Locations() {
					env, err := Parse(raw(longest, loc))
					if !assert.NoError(t, err, loc) {
						continue
					}
					// Every global name is within its type's limits with the suffix's full length.
					suffix := env.ConfiguredNameSuffix()
					if env.RandomNameSuffix() {
						suffix = strings.Repeat("z", naming.SuffixLength)
					}
					g, err := env.GlobalNames(suffix)
					assert.NoError(t, err, loc)
					for kind, name := range map[naming.Kind]string{naming.KeyVault: g.KeyVault, naming.StorageAccount: g.DataLakeStorage, naming.ContainerRegistry: g.ContainerRegistry} {
						assert.LessOrEqual(t, len(name), naming.Rules[kind].Max, "%s: %s name %s", loc, kind, name)
					}
					if prefixLen < 10 {
						if _, err := Parse(raw(longest+"x", loc)); err != nil {
							tooLong++
						}
					}
				}
				if prefixLen < 10 {
					assert.NotZero(t, tooLong, "prefix %q and environment %q, one character over the cap of %d, fit everywhere: the documented cap is wrong", longest+"x", envName, tc.cap)
				}
			})
		}
	}
}

// TestGlobalNames: the suffix ends every global name (and the names derived from them), an
// explicit suffix replaces the random one, none gives none.
func TestGlobalNames(t *testing.T) {
	for _, tc := range []struct {
		name, nameSuffix string // "" leaves nameSuffix unset
		random           bool
		suffix           string // what GlobalNames is called with
		kv, data, acr    string
	}{
		{"random", "", true, "k3x9", "kv-saas-dev-weu-k3x9", "stsaasdevweudatak3x9", "crsaasdevweuk3x9"},
		{"explicit", "x7", false, "x7", "kv-saas-dev-weu-x7", "stsaasdevweudatax7", "crsaasdevweux7"},
		{"none", NoNameSuffix, false, "", "kv-saas-dev-weu", "stsaasdevweudata", "crsaasdevweu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := minimal()
			if tc.nameSuffix != "" {
				raw["nameSuffix"] = tc.nameSuffix
			}
			env, err := Parse(raw)
			require.NoError(t, err)
			assert.Equal(t, tc.random, env.RandomNameSuffix(), "random suffix")
			if !tc.random {
				assert.Equal(t, tc.suffix, env.ConfiguredNameSuffix(), "configured suffix")
			}
			g, err := env.GlobalNames(tc.suffix)
			require.NoError(t, err)
			assert.Equal(t, GlobalNames{
				KeyVault: tc.kv, SPAStorage: strings.Replace(tc.data, "data", "spa", 1), DataLakeStorage: tc.data,
				SQLServer: strings.Replace(tc.kv, "kv-", "sql-", 1), PostgresServer: strings.Replace(tc.kv, "kv-", "psql-", 1),
				ContainerRegistry: tc.acr, DocumentIntelligence: strings.Replace(tc.kv, "kv-", "di-", 1),
				PostgresPrivateDNSZone: strings.Replace(tc.kv, "kv-", "psql-", 1) + ".private.postgres.database.azure.com",
			}, g)
			// The suffix is no part of any other name.
			if tc.suffix != "" {
				assert.NotContains(t, fmt.Sprintf("%+v", env.Names), tc.suffix, "names other than the global ones")
			}
		})
	}
}

func TestResourceTags(t *testing.T) {
	env, err := Parse(with(minimal(), "tags", `{"owner":"team-a"}`))
	require.NoError(t, err)
	want := map[string]string{"owner": "team-a", "environment": "dev", "profile": "dev", "managed-by": "pulumi", "project": "saas"}
	assert.Equal(t, want, env.ResourceTags(), "ResourceTags()")

	// An environment of any name carries its profile: the policy pack's prod-only rules read it.
	env, err = Parse(with(prodMinimal(), "environment", "staging", "profile", "prod"))
	require.NoError(t, err)
	assert.Equal(t, "staging", env.ResourceTags()["environment"])
	assert.Equal(t, "prod", env.ResourceTags()["profile"])
}

// TestREADMEReferenceIsCurrent keeps the README's configuration reference generated from the doc
// comments of config.go.
func TestREADMEReferenceIsCurrent(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	ref, err := Reference()
	require.NoError(t, err)
	want, err := ReplaceReference(string(readme), ref)
	require.NoError(t, err)
	assert.Equal(t, want, string(readme), "README.md's configuration reference is stale: run `go run ./cmd/configref -w`")
	for _, k := range Keys() {
		assert.Contains(t, ref, "`"+Namespace+":"+k+"`", "reference lacks %s", k)
	}
}

// TestDatabaseAdminsGroupNameDefault: with existing groups the display name defaults to the name
// the platform would have given the group, and a configured name wins.
func TestDatabaseAdminsGroupNameDefault(t *testing.T) {
	entra := `{"createGroups":false,"platformAdminsGroupObjectId":"11111111-1111-1111-1111-111111111111","databaseAdminsGroupObjectId":"22222222-2222-2222-2222-222222222222"%s}`
	env, err := Parse(with(minimal(), "entra", fmt.Sprintf(entra, "")))
	require.NoError(t, err)
	assert.NotEmpty(t, env.Names.DatabaseAdminsGroup, "the platform's database admins group name")
	assert.Equal(t, env.Names.DatabaseAdminsGroup, env.Entra.DatabaseAdminsGroupName, "default name")
	env, err = Parse(with(minimal(), "entra", fmt.Sprintf(entra, `,"databaseAdminsGroupName":"SQL Admins"`)))
	require.NoError(t, err)
	assert.Equal(t, "SQL Admins", env.Entra.DatabaseAdminsGroupName, "the configured name wins")
}

func TestOriginDNSZone(t *testing.T) {
	a := AGC{OriginDNSZoneID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnsZones/Example.com"}
	sub, rg, zone := a.OriginDNSZone()
	assert.Equal(t, []string{"00000000-0000-0000-0000-000000000000", "rg-dns", "example.com"}, []string{sub, rg, zone}, "OriginDNSZone(): subscription, group, zone")
	sub, _, _ = (AGC{OriginDNSZoneID: "nope"}).OriginDNSZone()
	assert.Empty(t, sub, "a malformed ID")
}

// The rules above refuse; these settings next to them must stay accepted.
func TestAcceptedNextToRefusals(t *testing.T) {
	for name, raw := range map[string]map[string]string{
		"patch version, channel none":                           with(minimal(), "aks", `{"kubernetesVersion":"1.36.2","upgradeChannel":"none"}`),
		"patch version, channel node-image":                     with(minimal(), "aks", `{"kubernetesVersion":"1.36.2","upgradeChannel":"node-image"}`),
		"minor version, channel rapid":                          with(minimal(), "aks", `{"kubernetesVersion":"1.36","upgradeChannel":"rapid"}`),
		"autoscaled system pool without node auto-provisioning": with(minimal(), "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Manual","systemPool":{"count":2,"minCount":1,"maxCount":3}}`),
		"fixed system pool without node auto-provisioning":      with(minimal(), "aks", `{"kubernetesVersion":"1.36","nodeProvisioning":"Manual","systemPool":{"count":2}}`),

		"dev external id without deployer": with(minimal(), "externalId", `{"mode":"create","domainName":"x"}`),
		"prod external id disabled":        prodMinimal(),
		"prod external id with deployer": with(prodMinimal(), "externalId", `{"mode":"existing","tenantId":"33333333-3333-3333-3333-333333333333",`+
			`"deployerClientId":"44444444-4444-4444-4444-444444444444","deployerObjectId":"55555555-5555-5555-5555-555555555555"}`),
		"service databases":            with(minimal(), "services", `[{"name":"a1","sql":true,"postgresDatabase":"a1_data"},{"name":"b1","postgresDatabase":"_b"}]`),
		"flux workload identity login": with(minimal(), "flux", `{"repositoryUrl":"https://dev.azure.com/a/b/_git/c","clusterLogin":"workloadidentity"}`),
		"spa redirect on localhost":    with(minimal(), "externalId", `{"mode":"create","domainName":"x","spaRedirectUris":["http://localhost:5173/","http://127.0.0.1:3000/cb"]}`),
		// /16 is the widest public range prod takes; private ranges are not the internet.
		"prod authorized /16":              with(prodMinimal(), "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["20.0.0.0/16"]}`),
		"prod authorized private /8":       with(prodMinimal(), "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["10.0.0.0/8"]}`),
		"dev authorized internet (warned)": with(minimal(), "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["0.0.0.0/0"]}`),
		// A third environment: any short name, with the profile said.
		"staging on the prod profile": with(prodMinimal(), "environment", "staging", "profile", "prod"),
		"sandbox on the dev profile":  with(minimal(), "environment", "sandbox", "profile", "dev"),
		"dev named dev, profile said": with(minimal(), "profile", "dev"),
		"dev named dev on prod rules": with(prodMinimal(), "environment", "dev", "profile", "prod"),
	} {
		_, err := Parse(raw)
		assert.NoError(t, err, name)
	}
}
