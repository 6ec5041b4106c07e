package base

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Outputs is the base layer's contract: everything later layers need from it. Keys are stack
// output names (see package contract).
type Outputs struct {
	ResourceGroupName pulumi.StringOutput `output:"resourceGroupName"`
	ResourceGroupID   pulumi.StringOutput `output:"resourceGroupId"`
	Location          pulumi.StringOutput `output:"location"`
	TenantID          pulumi.StringOutput `output:"tenantId"`
	VnetID            pulumi.StringOutput `output:"vnetId"`
	// SubnetIDs by role: nodes, apiServer, agc, privateEndpoints, postgres.
	SubnetIDs    pulumi.StringMapOutput `output:"subnetIds"`
	NatGatewayID pulumi.StringOutput    `output:"natGatewayId"`
	// PrivateDNSZoneIDs by service: keyVault, sql, postgres, blob, dfs, acr, cognitiveServices,
	// aks.
	PrivateDNSZoneIDs  pulumi.StringMapOutput `output:"privateDnsZoneIds"`
	KeyVaultID         pulumi.StringOutput    `output:"keyVaultId"`
	KeyVaultName       pulumi.StringOutput    `output:"keyVaultName"`
	KeyVaultURI        pulumi.StringOutput    `output:"keyVaultUri"`
	SQLServerID        pulumi.StringOutput    `output:"sqlServerId"`
	SQLServerFQDN      pulumi.StringOutput    `output:"sqlServerFqdn"`
	SQLDatabaseName    pulumi.StringOutput    `output:"sqlDatabaseName"`
	PostgresServerID   pulumi.StringOutput    `output:"postgresServerId"`
	PostgresServerFQDN pulumi.StringOutput    `output:"postgresServerFqdn"`
	SPAStorageID       pulumi.StringOutput    `output:"spaStorageAccountId"`
	// SPAWebEndpoint is the static website's https endpoint (the Front Door origin).
	SPAWebEndpoint      pulumi.StringOutput `output:"spaWebEndpoint"`
	DataLakeID          pulumi.StringOutput `output:"dataLakeAccountId"`
	DataLakeDFSEndpoint pulumi.StringOutput `output:"dataLakeDfsEndpoint"`
	LogAnalyticsID      pulumi.StringOutput `output:"logAnalyticsWorkspaceId"`
	// MonitorWorkspaceID is the Azure Monitor workspace of managed Prometheus ("" when off).
	MonitorWorkspaceID    pulumi.StringOutput `output:"monitorWorkspaceId"`
	PlatformAdminsGroupID pulumi.StringOutput `output:"platformAdminsGroupObjectId"`
	DatabaseAdminsGroupID pulumi.StringOutput `output:"databaseAdminsGroupObjectId"`
	// NameSuffix ends every globally unique name of every layer (config.GlobalNames): the base
	// layer's random string, or the configured nameSuffix ("" for none).
	NameSuffix pulumi.StringOutput `output:"nameSuffix"`
}
