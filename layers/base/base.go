// Package base is the base layer: network, private DNS, Key Vault, SQL, PostgreSQL, storage,
// monitoring and Entra groups.
package base

import (
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/entra"
	"github.com/azure-saas-platform/platform/components/keyvault"
	"github.com/azure-saas-platform/platform/components/monitoring"
	"github.com/azure-saas-platform/platform/components/network"
	"github.com/azure-saas-platform/platform/components/postgres"
	"github.com/azure-saas-platform/platform/components/privatedns"
	"github.com/azure-saas-platform/platform/components/sql"
	"github.com/azure-saas-platform/platform/components/storage"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
)

// Layer is the base layer's own component; every resource of the layer is below it.
type Layer struct {
	pulumi.ResourceState
}

// New builds the base layer and returns its contract.
func New(ctx *pulumi.Context, env *config.Env) (*Outputs, error) {
	layer := &Layer{}
	if err := ctx.RegisterComponentResource("platform:layer:Base", "base", layer); err != nil {
		return nil, err
	}
	in := pulumi.Parent(layer)
	n := env.Names
	tags := avm.Tags(env.ResourceTags())

	// The tenant of the deploying credential is the tenant of every Entra setting below.
	client, err := bindings.GetClientConfig(ctx, in)
	if err != nil {
		return nil, err
	}
	tenantID := pulumi.String(client.TenantID).ToStringOutput()

	rg, err := bindings.NewResourceGroup(ctx, "rg", &bindings.ResourceGroupArgs{
		ResourceGroupName: pulumi.String(n.ResourceGroup),
		Location:          pulumi.String(env.Location),
		Tags:              tags,
	}, in)
	if err != nil {
		return nil, err
	}
	rgName, location := rg.Name, pulumi.String(env.Location)

	// Stateful resources of a protected environment: Pulumi's protect and an Azure lock.
	protect, lock := env.ProtectStatefulResources, avm.LockNone
	if protect {
		lock = avm.LockCanNotDelete
	}

	suffix, err := nameSuffix(ctx, env, in)
	if err != nil {
		return nil, err
	}
	global := env.GlobalNameOutputs(suffix)

	groups, err := entra.New(ctx, "entra", &entra.Args{
		CreateGroups: env.Entra.CreateGroups,
		PlatformAdmins: entra.Group{
			Name:        n.PlatformAdminsGroup,
			ObjectID:    env.Entra.PlatformAdminsGroupObjectID,
			Description: "Platform and AKS cluster administrators (" + env.Environment + ")",
		},
		DatabaseAdmins: entra.Group{
			Name:        databaseAdminsName(env),
			ObjectID:    env.Entra.DatabaseAdminsGroupObjectID,
			Description: "Entra administrators of Azure SQL and PostgreSQL (" + env.Environment + ")",
		},
	}, in)
	if err != nil {
		return nil, err
	}

	monitorWorkspace := ""
	if env.Monitoring.ManagedPrometheus {
		monitorWorkspace = n.MonitorWorkspace
	}
	mon, err := monitoring.New(ctx, "monitoring", &monitoring.Args{
		ResourceGroupName:    rgName,
		Location:             location,
		Name:                 n.LogAnalytics,
		RetentionDays:        env.Monitoring.RetentionDays,
		MonitorWorkspaceName: monitorWorkspace,
		Tags:                 tags,
	}, in)
	if err != nil {
		return nil, err
	}
	diagnostics := &avm.DiagnosticSettings{WorkspaceID: mon.WorkspaceID}

	net, err := network.New(ctx, "network", &network.Args{
		ResourceGroupName:       rgName,
		Location:                location,
		Name:                    n.VirtualNetwork,
		AddressSpace:            env.Network.AddressSpace,
		Subnets:                 env.Subnets,
		SubnetNames:             n.Subnets,
		NSGNames:                n.NSGs,
		PodCIDR:                 env.AKS.PodCIDR,
		APIServerPublicSources:  apiServerPublicSources(env.AKS),
		NatGatewayName:          n.NatGateway,
		NatPublicIPName:         n.NatPublicIP,
		NatIdleTimeoutMinutes:   env.Network.NatIdleTimeoutMinutes,
		NatPublicIPPrefixLength: env.Network.NatPublicIPPrefixLength,
		Tags:                    tags,
	}, in)
	if err != nil {
		return nil, err
	}
	subnet := func(r netplan.Role) pulumi.StringOutput { return net.SubnetIDs.MapIndex(pulumi.String(string(r))) }

	dns, err := privatedns.New(ctx, "privatedns", &privatedns.Args{
		ResourceGroupName: rgName,
		Zones:             privatedns.Zones(env.Location, global.PostgresPrivateDNSZone, env.AKS.APIServerAccess == "private"),
		VnetID:            net.VnetID,
		LinkName:          n.VirtualNetwork,
		Tags:              tags,
	}, in)
	if err != nil {
		return nil, err
	}
	zone := func(key string) pulumi.StringOutput { return dns.ZoneIDs.MapIndex(pulumi.String(key)) }
	endpoint := func(zoneKey, group string) avm.PrivateEndpoint {
		return avm.PrivateEndpoint{SubnetID: subnet(netplan.PrivateEndpoints), PrivateDNSZoneID: zone(zoneKey), GroupID: group}
	}

	kv, err := keyvault.New(ctx, "keyvault", &keyvault.Args{
		ResourceGroupName:       rgName,
		Location:                location,
		Name:                    global.KeyVault,
		TenantID:                tenantID,
		Sku:                     env.KeyVault.Sku,
		SoftDeleteRetentionDays: env.KeyVault.SoftDeleteRetentionDays,
		PurgeProtection:         env.KeyVault.PurgeProtection,
		Protect:                 protect,
		Tags:                    tags,
		Lock:                    lock,
		DiagnosticSettings:      diagnostics,
		PrivateEndpoints:        []avm.PrivateEndpoint{endpoint(privatedns.KeyVault, "vault")},
	}, in)
	if err != nil {
		return nil, err
	}

	db, err := sql.New(ctx, "sql", &sql.Args{
		ResourceGroupName:       rgName,
		Location:                location,
		ServerName:              global.SQLServer,
		DatabaseName:            n.SQLDatabase,
		TenantID:                tenantID,
		AdminGroupObjectID:      groups.DatabaseAdminsObjectID,
		AdminGroupName:          groups.DatabaseAdminsName,
		SkuName:                 env.SQL.SkuName,
		MinCapacity:             env.SQL.MinCapacity,
		AutoPauseDelayMinutes:   env.SQL.AutoPauseDelayMinutes,
		MaxSizeGB:               env.SQL.MaxSizeGB,
		ZoneRedundant:           env.SQL.ZoneRedundant,
		BackupStorageRedundancy: env.SQL.BackupStorageRedundancy,
		Protect:                 protect,
		Tags:                    tags,
		Lock:                    lock,
		DiagnosticSettings:      diagnostics,
		PrivateEndpoints:        []avm.PrivateEndpoint{endpoint(privatedns.SQL, "sqlServer")},
	}, in)
	if err != nil {
		return nil, err
	}

	pgs, err := postgres.New(ctx, "postgres", &postgres.Args{
		ResourceGroupName:   rgName,
		Location:            location,
		ServerName:          global.PostgresServer,
		Version:             env.Postgres.Version,
		Tier:                env.Postgres.Tier,
		SkuName:             env.Postgres.SkuName,
		StorageSizeGB:       env.Postgres.StorageSizeGB,
		HighAvailability:    env.Postgres.HighAvailability,
		GeoRedundantBackup:  env.Postgres.GeoRedundantBackup,
		BackupRetentionDays: env.Postgres.BackupRetentionDays,
		TenantID:            tenantID,
		DelegatedSubnetID:   subnet(netplan.Postgres),
		PrivateDNSZoneID:    zone(privatedns.Postgres),
		AdminGroupObjectID:  groups.DatabaseAdminsObjectID,
		AdminGroupName:      groups.DatabaseAdminsName,
		Protect:             protect,
		Tags:                tags,
		Lock:                lock,
		DiagnosticSettings:  diagnostics,
	}, in)
	if err != nil {
		return nil, err
	}

	spa, err := storage.NewSPA(ctx, "spa", &storage.SPAArgs{
		ResourceGroupName:  rgName,
		Location:           location,
		Name:               global.SPAStorage,
		Replication:        env.Storage.Replication,
		IndexDocument:      env.Storage.SpaIndexDocument,
		ErrorDocument:      env.Storage.SpaErrorDocument,
		Tags:               tags,
		DiagnosticSettings: diagnostics,
	}, in)
	if err != nil {
		return nil, err
	}
	lake, err := storage.NewDataLake(ctx, "datalake", &storage.DataLakeArgs{
		ResourceGroupName:       rgName,
		Location:                location,
		Name:                    global.DataLakeStorage,
		Replication:             env.Storage.Replication,
		Containers:              env.Storage.DataLakeContainers,
		SoftDeleteRetentionDays: env.Storage.SoftDeleteRetentionDays,
		Protect:                 protect,
		Tags:                    tags,
		Lock:                    lock,
		DiagnosticSettings:      diagnostics,
		PrivateEndpoints:        []avm.PrivateEndpoint{endpoint(privatedns.Blob, "blob"), endpoint(privatedns.DFS, "dfs")},
	}, in)
	if err != nil {
		return nil, err
	}

	out := &Outputs{
		ResourceGroupName:     rg.Name,
		ResourceGroupID:       rg.ID().ToStringOutput(),
		Location:              rg.Location,
		TenantID:              tenantID,
		VnetID:                net.VnetID,
		SubnetIDs:             net.SubnetIDs,
		NatGatewayID:          net.NatGatewayID,
		PrivateDNSZoneIDs:     dns.ZoneIDs,
		KeyVaultID:            kv.ID,
		KeyVaultName:          kv.Name,
		KeyVaultURI:           kv.URI,
		SQLServerID:           db.ServerID,
		SQLServerFQDN:         db.ServerFQDN,
		SQLDatabaseName:       db.DatabaseName,
		PostgresServerID:      pgs.ServerID,
		PostgresServerFQDN:    pgs.FQDN,
		SPAStorageID:          spa.ID,
		SPAWebEndpoint:        spa.WebEndpoint,
		DataLakeID:            lake.ID,
		DataLakeDFSEndpoint:   lake.DFSEndpoint,
		LogAnalyticsID:        mon.WorkspaceID,
		MonitorWorkspaceID:    mon.MonitorWorkspaceID,
		PlatformAdminsGroupID: groups.PlatformAdminsObjectID,
		DatabaseAdminsGroupID: groups.DatabaseAdminsObjectID,
		NameSuffix:            suffix,
	}
	if err := ctx.RegisterResourceOutputs(layer, pulumi.Map{
		"resourceGroupName": out.ResourceGroupName, "vnetId": out.VnetID, "keyVaultUri": out.KeyVaultURI,
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// nameSuffix is the suffix of every globally unique name: with nameSuffix unset, a random string
// of naming.SuffixLength lowercase letters and digits created once and kept in this stack's state
// (every later run reads it back; the other layers get it through the contract); otherwise the
// configured suffix ("" for none). The string is protected with the stateful resources: replacing
// it would rename, and so replace, every resource that carries it. Its arguments must never
// change for the same reason.
func nameSuffix(ctx *pulumi.Context, env *config.Env, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	if !env.RandomNameSuffix() {
		return pulumi.String(env.ConfiguredNameSuffix()).ToStringOutput(), nil
	}
	s, err := random.NewRandomString(ctx, "name-suffix", &random.RandomStringArgs{
		Length:  pulumi.Int(naming.SuffixLength),
		Lower:   pulumi.Bool(true),
		Numeric: pulumi.Bool(true),
		Upper:   pulumi.Bool(false),
		Special: pulumi.Bool(false),
	}, append(opts, pulumi.Protect(env.ProtectStatefulResources))...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return s.Result, nil
}

// databaseAdminsName is the display name of the database-admins group: the platform's name for a
// group it creates, the configured (or defaulted) name of an existing one.
func databaseAdminsName(env *config.Env) string {
	if env.Entra.CreateGroups || env.Entra.DatabaseAdminsGroupName == "" {
		return env.Names.DatabaseAdminsGroup
	}
	return env.Entra.DatabaseAdminsGroupName
}

// apiServerPublicSources are the sources the apiServer subnet admits on 443 besides the cluster:
// a VNet-integrated API server with a public endpoint admits its authorized ranges, or every
// address when it has none (allowed outside prod); a private one has no public endpoint.
func apiServerPublicSources(a config.AKS) []string {
	switch {
	case a.APIServerAccess != "vnetIntegration":
		return nil
	case len(a.AuthorizedIPRanges) == 0:
		return []string{"Internet"}
	default:
		return a.AuthorizedIPRanges
	}
}
