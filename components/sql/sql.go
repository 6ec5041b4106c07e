// Package sql is the platform's Azure SQL: a logical server that accepts Microsoft Entra
// authentication only (an Entra group is its administrator; no SQL login or password exists), with
// TLS 1.2, no public network access and a private endpoint, and one serverless database.
package sql

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/check"
	"github.com/azure-saas-platform/platform/components/avm"
)

// MetricCategories are the diagnostic metric categories of a SQL database ("AllMetrics" does not
// exist for it; services.md §7).
var MetricCategories = []string{"Basic", "InstanceAndAppAdvanced", "WorkloadManagement"}

// AuditActionsAndGroups are what server auditing records: every batch, and successful and failed
// logins. It is the combination the API documentation recommends and the portal sets by default.
var AuditActionsAndGroups = []string{"BATCH_COMPLETED_GROUP", "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"}

// Args configures the server and database.
type Args struct {
	// ResourceGroupName holds the server. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the server and database. Required.
	Location pulumi.StringInput
	// ServerName is the server's Azure name (globally unique; config.GlobalNames). An input: it
	// carries the base layer's random suffix. Required.
	ServerName pulumi.StringInput
	// DatabaseName is the database's name. Required.
	DatabaseName string
	// TenantID is the Entra tenant of the administrator group. Required.
	TenantID pulumi.StringInput
	// AdminGroupObjectID is the object ID of the Entra group that administers the server.
	// Required.
	AdminGroupObjectID pulumi.StringInput
	// AdminGroupName is that group's display name (the administrator login). Required.
	AdminGroupName pulumi.StringInput
	// SkuName is a General Purpose serverless SKU, GP_S_Gen5_<max vCores> with the vCores of
	// check.SQLServerlessVCores. Default "GP_S_Gen5_2".
	SkuName string
	// MinCapacity is the minimum vCores while running. Default 0.5.
	MinCapacity float64
	// AutoPauseDelayMinutes pauses the idle database after this many minutes, or -1 for never.
	// Default -1 (0 means the default).
	AutoPauseDelayMinutes int
	// MaxSizeGB is the database's maximum size. Default 32.
	MaxSizeGB int
	// ZoneRedundant spreads the database across availability zones. Default false.
	ZoneRedundant bool
	// BackupStorageRedundancy is Local, Zone, Geo or GeoZone. Default "Geo" (Azure's own default).
	BackupStorageRedundancy string
	// Protect sets Pulumi's protect on the server and the database. Default false.
	Protect bool
	// Tags of every taggable resource. Default none.
	Tags pulumi.StringMapInput
	// Lock on the server and on the database. Default none.
	Lock avm.Lock
	// RoleAssignments on the server. Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the database. MetricCategories default to the database's
	// (MetricCategories above). The same workspace also receives the server's audit log: server
	// auditing to Azure Monitor, through the master database's SQLSecurityAuditEvents. Default
	// none (no diagnostics, no auditing).
	DiagnosticSettings *avm.DiagnosticSettings
	// PrivateEndpoints of the server (group "sqlServer"). Default none.
	PrivateEndpoints []avm.PrivateEndpoint
}

// SQL is the server and database.
type SQL struct {
	pulumi.ResourceState

	ServerID   pulumi.StringOutput
	ServerName pulumi.StringOutput
	// ServerFQDN is <server>.database.windows.net; inside the VNet it resolves to the private
	// endpoint.
	ServerFQDN   pulumi.StringOutput
	DatabaseID   pulumi.StringOutput
	DatabaseName pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	need := func(field string, missing bool) {
		if missing {
			errs = append(errs, fmt.Errorf("sql: %s is required", field))
		}
	}
	need("ResourceGroupName", a.ResourceGroupName == nil)
	need("Location", a.Location == nil)
	need("ServerName", a.ServerName == nil)
	need("DatabaseName", a.DatabaseName == "")
	need("TenantID", a.TenantID == nil)
	need("AdminGroupObjectID", a.AdminGroupObjectID == nil)
	need("AdminGroupName", a.AdminGroupName == nil)
	maxVCores := 2.0
	if a.SkuName != "" {
		if n, ok := check.SQLServerlessSKU(a.SkuName); !ok {
			errs = append(errs, fmt.Errorf("sql: SkuName %q: want a General Purpose serverless SKU, GP_S_Gen5_<vCores> (vCores one of %v)", a.SkuName, check.SQLServerlessVCores))
		} else {
			maxVCores = float64(n)
		}
	}
	if c := a.MinCapacity; c != 0 && (c < 0.5 || c > maxVCores) {
		errs = append(errs, fmt.Errorf("sql: MinCapacity %g: want 0.5 up to the SKU's %g vCores", c, maxVCores))
	}
	if d := a.AutoPauseDelayMinutes; d != 0 && d != -1 && (d < 15 || d > 10080) {
		errs = append(errs, fmt.Errorf("sql: AutoPauseDelayMinutes %d: want -1 or 15-10080", d))
	}
	if s := a.MaxSizeGB; s < 0 || s > 4096 {
		errs = append(errs, fmt.Errorf("sql: MaxSizeGB %d: want 1-4096", s))
	}
	switch a.BackupStorageRedundancy {
	case "", "Local", "Zone", "Geo", "GeoZone":
	default:
		errs = append(errs, fmt.Errorf("sql: BackupStorageRedundancy %q: want Local, Zone, Geo or GeoZone", a.BackupStorageRedundancy))
	}
	return errors.Join(errs...)
}

// New creates the server and database.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*SQL, error) {
	if args == nil {
		return nil, errors.New("sql: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	skuName := args.SkuName
	if skuName == "" {
		skuName = "GP_S_Gen5_2"
	}
	vCores, _ := check.SQLServerlessSKU(skuName)
	minCapacity := args.MinCapacity
	if minCapacity == 0 {
		minCapacity = 0.5
	}
	autoPause := args.AutoPauseDelayMinutes
	if autoPause == 0 {
		autoPause = -1
	}
	maxSize := args.MaxSizeGB
	if maxSize == 0 {
		maxSize = 32
	}
	backup := args.BackupStorageRedundancy
	if backup == "" {
		backup = "Geo"
	}

	c := &SQL{}
	if err := ctx.RegisterComponentResource("platform:sql:SQL", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	// Entra-only: administratorLogin and administratorLoginPassword are never set, so no SQL login
	// exists. The administrators block is part of the server resource, so azure-native sends it
	// again with every update of the server; some reports say Azure refuses that re-send
	// (pulumi-azure-native#2937, bicep-types-az#1436/#2320): docs/base.md says how to verify it.
	server, err := sql.NewServer(ctx, name, &sql.ServerArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		ServerName:        args.ServerName,
		Version:           pulumi.String("12.0"),
		Administrators: &sql.ServerExternalAdministratorArgs{
			AdministratorType:         pulumi.String("ActiveDirectory"),
			AzureADOnlyAuthentication: pulumi.Bool(true),
			PrincipalType:             pulumi.String("Group"),
			Login:                     args.AdminGroupName,
			Sid:                       args.AdminGroupObjectID,
			TenantId:                  args.TenantID,
		},
		MinimalTlsVersion:   pulumi.String("1.2"),
		PublicNetworkAccess: pulumi.String("Disabled"),
		Tags:                args.Tags,
	}, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	serverID := server.ID().ToStringOutput()

	// Serverless: the SKU is sent the way Azure returns it (name GP_S_Gen5 plus capacity), so a
	// refresh shows no difference.
	db, err := sql.NewDatabase(ctx, name, &sql.DatabaseArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		ServerName:        server.Name,
		DatabaseName:      pulumi.String(args.DatabaseName),
		Sku: &sql.SkuArgs{
			Name:     pulumi.String("GP_S_Gen5"),
			Tier:     pulumi.String("GeneralPurpose"),
			Family:   pulumi.String("Gen5"),
			Capacity: pulumi.Int(vCores),
		},
		AutoPauseDelay:                   pulumi.Int(autoPause),
		MinCapacity:                      pulumi.Float64(minCapacity),
		MaxSizeBytes:                     pulumi.Float64(float64(maxSize) * (1 << 30)),
		ZoneRedundant:                    pulumi.Bool(args.ZoneRedundant),
		RequestedBackupStorageRedundancy: pulumi.String(backup),
		Tags:                             args.Tags,
	}, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	dbID := db.ID().ToStringOutput()

	if err := avm.NewLock(ctx, name+"-server", serverID, args.Lock, child); err != nil {
		return nil, err
	}
	if err := avm.NewLock(ctx, name+"-database", dbID, args.Lock, child); err != nil {
		return nil, err
	}
	if err := avm.NewRoleAssignments(ctx, name, serverID, args.RoleAssignments, child); err != nil {
		return nil, err
	}
	if d := args.DiagnosticSettings; d != nil {
		withDefaults := *d
		if withDefaults.MetricCategories == nil {
			withDefaults.MetricCategories = MetricCategories
		}
		if err := avm.NewDiagnosticSetting(ctx, name+"-database", dbID, &withDefaults, child); err != nil {
			return nil, err
		}
		if err := audit(ctx, name, args.ResourceGroupName, server, d.WorkspaceID, child); err != nil {
			return nil, err
		}
	}
	target := avm.Target{ResourceGroupName: args.ResourceGroupName, Location: args.Location, Name: args.ServerName, ID: serverID, Tags: args.Tags}
	if err := avm.NewPrivateEndpoints(ctx, name, target, "sqlServer", args.PrivateEndpoints, child); err != nil {
		return nil, err
	}

	c.ServerID = serverID
	c.ServerName = server.Name
	c.ServerFQDN = server.FullyQualifiedDomainName
	c.DatabaseID = dbID
	c.DatabaseName = db.Name
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"serverId": c.ServerID, "serverName": c.ServerName, "serverFqdn": c.ServerFQDN,
		"databaseId": c.DatabaseID, "databaseName": c.DatabaseName,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// audit sends the server's audit log to Log Analytics as Microsoft's "auditing to Log Analytics"
// describes it for the REST API: a diagnostic setting on the master database (server-level audit
// lands there) with the SQLSecurityAuditEvents category, and the server's auditing policy with
// state Enabled and the Azure Monitor target, created after that setting.
func audit(ctx *pulumi.Context, name string, resourceGroupName pulumi.StringInput, server *sql.Server, workspaceID pulumi.StringInput, opts ...pulumi.ResourceOption) error {
	// No logAnalyticsDestinationType: the audit events go to the AzureDiagnostics table, where
	// Microsoft's audit log queries look for them.
	setting, err := bindings.NewDiagnosticSetting(ctx, name+"-audit", &bindings.DiagnosticSettingArgs{
		Name:        pulumi.String("sql-security-audit"),
		ResourceUri: pulumi.Sprintf("%s/databases/master", server.ID()),
		WorkspaceId: workspaceID,
		Logs: []bindings.LogSettings{
			bindings.LogSettings{Category: pulumi.String("SQLSecurityAuditEvents"), Enabled: pulumi.Bool(true)},
		},
		// Delete before replace: the workspace takes the category of this database once.
	}, append([]pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}, opts...)...)
	if err != nil {
		return err
	}
	_, err = sql.NewServerBlobAuditingPolicy(ctx, name, &sql.ServerBlobAuditingPolicyArgs{
		ResourceGroupName:           resourceGroupName,
		ServerName:                  server.Name,
		BlobAuditingPolicyName:      pulumi.String("default"),
		State:                       sql.BlobAuditingPolicyStateEnabled,
		IsAzureMonitorTargetEnabled: pulumi.Bool(true),
		AuditActionsAndGroups:       pulumi.ToStringArray(AuditActionsAndGroups),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{setting}))...)
	return err
}
