// Package postgres is the platform's PostgreSQL Flexible Server: Microsoft Entra authentication
// only (password authentication off, an Entra group as administrator, no administrator login or
// password), private access through a delegated subnet and its private DNS zone, no public
// network access.
package postgres

import (
	"errors"
	"fmt"

	pg "github.com/pulumi/pulumi-azure-native-sdk/dbforpostgresql/v2/v20240801"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/components/avm"
)

// Args configures the server.
type Args struct {
	// ResourceGroupName holds the server. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the server. Required.
	Location pulumi.StringInput
	// ServerName is the server's Azure name (globally unique; config.GlobalNames). An input: it
	// carries the base layer's random suffix. Required.
	ServerName pulumi.StringInput
	// Version is the PostgreSQL major version, "13" to "16". Default "16".
	Version string
	// Tier is Burstable, GeneralPurpose or MemoryOptimized. Default "Burstable".
	Tier string
	// SkuName is the compute SKU matching the tier, e.g. Standard_B1ms. Default "Standard_B1ms".
	SkuName string
	// StorageSizeGB is the storage size the server starts with; storage auto-grow (always on)
	// enlarges it when free space runs low, and Azure never shrinks it. Default 32.
	StorageSizeGB int
	// HighAvailability is Disabled, SameZone or ZoneRedundant (not with Burstable). Default
	// "Disabled".
	HighAvailability string
	// GeoRedundantBackup keeps backups in the paired region (cannot be changed later). Default
	// false.
	GeoRedundantBackup bool
	// BackupRetentionDays is 7-35. Default 7.
	BackupRetentionDays int
	// TenantID is the Entra tenant that authenticates logins. Required.
	TenantID pulumi.StringInput
	// DelegatedSubnetID is the subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers.
	// Required.
	DelegatedSubnetID pulumi.StringInput
	// PrivateDNSZoneID is the zone (ending in .postgres.database.azure.com) the server registers
	// its private address in, linked to the VNet. Required.
	PrivateDNSZoneID pulumi.StringInput
	// AdminGroupObjectID is the object ID of the Entra group that administers the server.
	// Required.
	AdminGroupObjectID pulumi.StringInput
	// AdminGroupName is that group's display name (the administrator's principal name).
	// Required.
	AdminGroupName pulumi.StringInput
	// Protect sets Pulumi's protect on the server. Default false.
	Protect bool
	// Tags of the server. Default none.
	Tags pulumi.StringMapInput
	// Lock on the server. Default none.
	Lock avm.Lock
	// RoleAssignments on the server. Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the server (logs and AllMetrics). Default none.
	DiagnosticSettings *avm.DiagnosticSettings
}

// Postgres is the server and its Entra administrator.
type Postgres struct {
	pulumi.ResourceState

	ServerID   pulumi.StringOutput
	ServerName pulumi.StringOutput
	// FQDN is <server>.postgres.database.azure.com; inside the VNet it resolves to the server's
	// private address through the private DNS zone.
	FQDN pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	need := func(field string, missing bool) {
		if missing {
			errs = append(errs, fmt.Errorf("postgres: %s is required", field))
		}
	}
	need("ResourceGroupName", a.ResourceGroupName == nil)
	need("Location", a.Location == nil)
	need("ServerName", a.ServerName == nil)
	need("TenantID", a.TenantID == nil)
	need("DelegatedSubnetID", a.DelegatedSubnetID == nil)
	need("PrivateDNSZoneID", a.PrivateDNSZoneID == nil)
	need("AdminGroupObjectID", a.AdminGroupObjectID == nil)
	need("AdminGroupName", a.AdminGroupName == nil)
	oneOf := func(field, value string, allowed ...string) {
		if value == "" {
			return
		}
		for _, v := range allowed {
			if v == value {
				return
			}
		}
		errs = append(errs, fmt.Errorf("postgres: %s %q: want one of %v", field, value, allowed))
	}
	oneOf("Version", a.Version, "13", "14", "15", "16")
	oneOf("Tier", a.Tier, "Burstable", "GeneralPurpose", "MemoryOptimized")
	oneOf("HighAvailability", a.HighAvailability, "Disabled", "SameZone", "ZoneRedundant")
	if (a.Tier == "" || a.Tier == "Burstable") && a.HighAvailability != "" && a.HighAvailability != "Disabled" {
		errs = append(errs, fmt.Errorf("postgres: HighAvailability %s needs the GeneralPurpose or MemoryOptimized tier", a.HighAvailability))
	}
	if d := a.BackupRetentionDays; d != 0 && (d < 7 || d > 35) {
		errs = append(errs, fmt.Errorf("postgres: BackupRetentionDays %d: want 7-35", d))
	}
	if s := a.StorageSizeGB; s < 0 {
		errs = append(errs, fmt.Errorf("postgres: StorageSizeGB %d: want a positive size", s))
	}
	return errors.Join(errs...)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func enabled(b bool) string {
	if b {
		return "Enabled"
	}
	return "Disabled"
}

// New creates the server, then its Entra administrator (a write to the server, which rejects
// concurrent writes with ServerIsBusy, so it waits for the server). The lock, role assignments and
// diagnostic setting are extension resources (Microsoft.Authorization, Microsoft.Insights) that do
// not write to the server: they need only its ID.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Postgres, error) {
	if args == nil {
		return nil, errors.New("postgres: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	storage := args.StorageSizeGB
	if storage == 0 {
		storage = 32
	}
	retention := args.BackupRetentionDays
	if retention == 0 {
		retention = 7
	}

	c := &Postgres{}
	if err := ctx.RegisterComponentResource("platform:postgres:Postgres", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	// The 2024-08-01 API (sub-package v20240801) is the first with PostgreSQL 16 and
	// network.publicNetworkAccess. No administratorLogin/administratorLoginPassword: Azure needs
	// them only when password authentication is on.
	server, err := pg.NewServer(ctx, name, &pg.ServerArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		ServerName:        args.ServerName,
		Version:           pulumi.String(orDefault(args.Version, "16")),
		Sku: &pg.SkuArgs{
			Name: pulumi.String(orDefault(args.SkuName, "Standard_B1ms")),
			Tier: pulumi.String(orDefault(args.Tier, "Burstable")),
		},
		// Auto-grow: a full disk turns the server read-only (at 95% use or under 5 GiB free);
		// Azure then doubles the size online, on Premium SSD, the default storage type.
		Storage: &pg.StorageArgs{StorageSizeGB: pulumi.Int(storage), AutoGrow: pulumi.String("Enabled")},
		// Entra only. passwordAuth and tenantId are explicit: the SDK would default them to
		// Enabled and "" whenever authConfig is present.
		AuthConfig: &pg.AuthConfigArgs{
			ActiveDirectoryAuth: pulumi.String("Enabled"),
			PasswordAuth:        pulumi.String("Disabled"),
			TenantId:            args.TenantID,
		},
		// Private access (VNet integration); fixed at creation.
		Network: &pg.NetworkArgs{
			DelegatedSubnetResourceId:   args.DelegatedSubnetID,
			PrivateDnsZoneArmResourceId: args.PrivateDNSZoneID,
			PublicNetworkAccess:         pulumi.String("Disabled"),
		},
		HighAvailability: &pg.HighAvailabilityArgs{Mode: pulumi.String(orDefault(args.HighAvailability, "Disabled"))},
		Backup: &pg.BackupTypeArgs{
			BackupRetentionDays: pulumi.Int(retention),
			GeoRedundantBackup:  pulumi.String(enabled(args.GeoRedundantBackup)),
		},
		Tags: args.Tags,
	}, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	serverID := server.ID().ToStringOutput()

	// The administrator's name in the ARM path is the group's object ID, so it is set explicitly
	// (the SDK would otherwise autoname it).
	if _, err := pg.NewAdministrator(ctx, name+"-admin", &pg.AdministratorArgs{
		ResourceGroupName: args.ResourceGroupName,
		ServerName:        server.Name,
		ObjectId:          args.AdminGroupObjectID,
		PrincipalName:     args.AdminGroupName,
		PrincipalType:     pulumi.String("Group"),
		TenantId:          args.TenantID,
	}, child, pulumi.DependsOn([]pulumi.Resource{server})); err != nil {
		return nil, err
	}

	if err := avm.NewLock(ctx, name, serverID, args.Lock, child); err != nil {
		return nil, err
	}
	if err := avm.NewRoleAssignments(ctx, name, serverID, args.RoleAssignments, child); err != nil {
		return nil, err
	}
	if err := avm.NewDiagnosticSetting(ctx, name, serverID, args.DiagnosticSettings, child); err != nil {
		return nil, err
	}

	c.ServerID = serverID
	c.ServerName = server.Name
	c.FQDN = server.FullyQualifiedDomainName
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"serverId": c.ServerID, "serverName": c.ServerName, "fqdn": c.FQDN}); err != nil {
		return nil, err
	}
	return c, nil
}
