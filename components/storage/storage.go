// Package storage holds the platform's two storage accounts, each its own component:
//   - SPA (NewSPA): the React single-page app, served from the static website endpoint behind
//     Front Door;
//   - DataLake (NewDataLake): customer data, Data Lake Storage Gen2 (hierarchical namespace),
//     reachable only through private endpoints and with Entra authorization only.
//
// Both: HTTPS only, TLS 1.2 minimum, no anonymous blob access, Entra (OAuth) as the default
// authorization in the portal, no shared-key access.
package storage

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/check"
	"github.com/azure-saas-platform/platform/components/avm"
)

// MetricCategories are the diagnostic metric categories of the blob service ("AllMetrics" is not
// valid for storage; services.md §7).
var MetricCategories = []string{"Transaction"}

var (
	reAccount  = regexp.MustCompile(`^[a-z0-9]{3,24}$`)
	reRootFile = regexp.MustCompile(`^[^/]+$`)
)

// common are the inputs both accounts share.
type common struct {
	resourceGroupName pulumi.StringInput
	location          pulumi.StringInput
	name              pulumi.StringInput
	replication       string
	tags              pulumi.StringMapInput
}

func (c common) validate(pkg string) []error {
	var errs []error
	if c.resourceGroupName == nil {
		errs = append(errs, fmt.Errorf("%s: ResourceGroupName is required", pkg))
	}
	if c.location == nil {
		errs = append(errs, fmt.Errorf("%s: Location is required", pkg))
	}
	if c.name == nil {
		errs = append(errs, fmt.Errorf("%s: Name is required", pkg))
	}
	if c.replication != "" && !check.StorageReplication(c.replication) {
		errs = append(errs, fmt.Errorf("%s: Replication %q: want one of %v", pkg, c.replication, check.StorageReplications))
	}
	return errs
}

// account returns the settings both accounts share; callers add their own.
func (c common) account() *storage.StorageAccountArgs {
	rep := c.replication
	if rep == "" {
		rep = "Standard_LRS"
	}
	return &storage.StorageAccountArgs{
		ResourceGroupName: c.resourceGroupName,
		Location:          c.location,
		AccountName: avm.CheckedName(c.name, func(s string) error {
			if !reAccount.MatchString(s) {
				return fmt.Errorf("storage: Name %q: want 3-24 lowercase letters and digits", s)
			}
			return nil
		}),
		Kind:                   pulumi.String("StorageV2"),
		Sku:                    storage.SkuArgs{Name: pulumi.String(rep)},
		AccessTier:             storage.AccessTierHot,
		EnableHttpsTrafficOnly: pulumi.Bool(true),
		MinimumTlsVersion:      pulumi.String("TLS1_2"),
		// No anonymous access to containers or blobs. (The static website endpoint serves $web
		// anonymously regardless: it does not depend on this setting.)
		AllowBlobPublicAccess: pulumi.Bool(false),
		// Entra only: no account keys, no SAS signed with them.
		AllowSharedKeyAccess:         pulumi.Bool(false),
		DefaultToOAuthAuthentication: pulumi.Bool(true),
		AllowCrossTenantReplication:  pulumi.Bool(false),
		Tags:                         c.tags,
	}
}

// blobDiagnostics sends the blob service's logs and Transaction metrics to Log Analytics. The
// account itself has metrics only; the blob service is where reads and writes are logged.
func blobDiagnostics(ctx *pulumi.Context, name string, accountID pulumi.StringOutput, d *avm.DiagnosticSettings, opts ...pulumi.ResourceOption) error {
	if d == nil {
		return nil
	}
	withDefaults := *d
	if withDefaults.MetricCategories == nil {
		withDefaults.MetricCategories = MetricCategories
	}
	uri := pulumi.Sprintf("%s/blobServices/default", accountID)
	return avm.NewDiagnosticSetting(ctx, name+"-blob", uri, &withDefaults, opts...)
}

// SPAArgs configures the SPA account.
type SPAArgs struct {
	// ResourceGroupName holds the account. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the account. Required.
	Location pulumi.StringInput
	// Name is the account's Azure name (3-24 lowercase letters and digits, globally unique;
	// config.GlobalNames). An input: it carries the base layer's random suffix; a name that breaks
	// the rule fails the update when it resolves. Required.
	Name pulumi.StringInput
	// Replication is the SKU, one of check.StorageReplications. Default "Standard_LRS".
	Replication string
	// IndexDocument is the static website's index page. Default "index.html".
	IndexDocument string
	// ErrorDocument is served for unknown paths (the SPA's router handles them). Default
	// "index.html".
	ErrorDocument string
	// Tags of the account. Default none.
	Tags pulumi.StringMapInput
	// RoleAssignments on the account (e.g. Storage Blob Data Contributor for the pipeline that
	// publishes the site). Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the blob service. MetricCategories default to MetricCategories.
	// Default none.
	DiagnosticSettings *avm.DiagnosticSettings
}

// SPA is the static website account.
type SPA struct {
	pulumi.ResourceState

	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// WebEndpoint is the static website's endpoint, https://<name>.z<n>.web.core.windows.net/ (the
	// Front Door origin).
	WebEndpoint pulumi.StringOutput
}

// NewSPA creates the SPA account and turns on its static website.
func NewSPA(ctx *pulumi.Context, name string, args *SPAArgs, opts ...pulumi.ResourceOption) (*SPA, error) {
	if args == nil {
		return nil, errors.New("storage: SPA args are required")
	}
	cm := common{args.ResourceGroupName, args.Location, args.Name, args.Replication, args.Tags}
	errs := cm.validate("storage")
	for field, doc := range map[string]string{"IndexDocument": args.IndexDocument, "ErrorDocument": args.ErrorDocument} {
		if doc != "" && !reRootFile.MatchString(doc) {
			errs = append(errs, fmt.Errorf("storage: %s %q: want a file at the root of the site", field, doc))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	index, errorDoc := args.IndexDocument, args.ErrorDocument
	if index == "" {
		index = "index.html"
	}
	if errorDoc == "" {
		errorDoc = "index.html"
	}

	c := &SPA{}
	if err := ctx.RegisterComponentResource("platform:storage:SPA", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	acct := cm.account()
	// Relaxed on this account only, to be publishable: Front Door (Standard) fetches the site
	// from the public web endpoint, and the pipeline uploads it through the public blob
	// endpoint, so public network access stays on with no firewall. Nothing else is relaxed:
	// the content is public by nature, uploads need Entra RBAC (shared keys stay off; the
	// azure-native 2.90 provider sets the static website with an Entra token, its default azcore
	// backend), and anonymous access is off for every container.
	acct.PublicNetworkAccess = pulumi.String("Enabled")
	acct.NetworkRuleSet = &storage.NetworkRuleSetArgs{DefaultAction: storage.DefaultActionAllow, Bypass: pulumi.String("AzureServices")}
	account, err := storage.NewStorageAccount(ctx, name, acct, child)
	if err != nil {
		return nil, err
	}
	id := account.ID().ToStringOutput()
	if _, err := storage.NewStorageAccountStaticWebsite(ctx, name, &storage.StorageAccountStaticWebsiteArgs{
		ResourceGroupName: args.ResourceGroupName,
		AccountName:       account.Name,
		IndexDocument:     pulumi.String(index),
		Error404Document:  pulumi.String(errorDoc),
	}, child); err != nil {
		return nil, err
	}
	if err := avm.NewRoleAssignments(ctx, name, id, args.RoleAssignments, child); err != nil {
		return nil, err
	}
	if err := blobDiagnostics(ctx, name, id, args.DiagnosticSettings, child); err != nil {
		return nil, err
	}

	c.ID = id
	c.Name = account.Name
	c.WebEndpoint = account.PrimaryEndpoints.Web()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"id": c.ID, "name": c.Name, "webEndpoint": c.WebEndpoint}); err != nil {
		return nil, err
	}
	return c, nil
}

// DataLakeArgs configures the data lake account.
type DataLakeArgs struct {
	// ResourceGroupName holds the account. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the account. Required.
	Location pulumi.StringInput
	// Name is the account's Azure name (3-24 lowercase letters and digits, globally unique;
	// config.GlobalNames). An input: it carries the base layer's random suffix; a name that breaks
	// the rule fails the update when it resolves. Required.
	Name pulumi.StringInput
	// Replication is the SKU, one of check.StorageReplications. Default "Standard_LRS".
	Replication string
	// Containers are the file systems to create (3-63 lowercase letters, digits, '-'). Default
	// none.
	Containers []string
	// SoftDeleteRetentionDays keeps deleted blobs and containers, 1-365. Default 7.
	SoftDeleteRetentionDays int
	// Protect sets Pulumi's protect on the account. Default false.
	Protect bool
	// Tags of the account. Default none.
	Tags pulumi.StringMapInput
	// Lock on the account. Default none.
	Lock avm.Lock
	// RoleAssignments on the account. Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the blob service. MetricCategories default to MetricCategories.
	// Default none.
	DiagnosticSettings *avm.DiagnosticSettings
	// PrivateEndpoints of the account; give one per group (blob and dfs). Default none.
	PrivateEndpoints []avm.PrivateEndpoint
}

// DataLake is the Data Lake Storage Gen2 account.
type DataLake struct {
	pulumi.ResourceState

	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// DFSEndpoint is https://<name>.dfs.core.windows.net/ (private inside the VNet).
	DFSEndpoint pulumi.StringOutput
	// BlobEndpoint is https://<name>.blob.core.windows.net/ (private inside the VNet).
	BlobEndpoint pulumi.StringOutput
}

// NewDataLake creates the data lake account, its blob service settings and containers.
func NewDataLake(ctx *pulumi.Context, name string, args *DataLakeArgs, opts ...pulumi.ResourceOption) (*DataLake, error) {
	if args == nil {
		return nil, errors.New("storage: DataLake args are required")
	}
	cm := common{args.ResourceGroupName, args.Location, args.Name, args.Replication, args.Tags}
	errs := cm.validate("storage")
	seen := map[string]bool{}
	for i, ct := range args.Containers {
		if !check.StorageContainer(ct) {
			errs = append(errs, fmt.Errorf("storage: Containers[%d] %q: want 3-63 lowercase letters, digits and single hyphens", i, ct))
		}
		if seen[ct] {
			errs = append(errs, fmt.Errorf("storage: Containers[%d] %q is listed twice", i, ct))
		}
		seen[ct] = true
	}
	if d := args.SoftDeleteRetentionDays; d != 0 && (d < 1 || d > 365) {
		errs = append(errs, fmt.Errorf("storage: SoftDeleteRetentionDays %d: want 1-365", d))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	retention := args.SoftDeleteRetentionDays
	if retention == 0 {
		retention = 7
	}

	c := &DataLake{}
	if err := ctx.RegisterComponentResource("platform:storage:DataLake", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	acct := cm.account()
	acct.IsHnsEnabled = pulumi.Bool(true)
	// Private endpoints only; trusted Azure services (e.g. diagnostics, backup) may pass.
	acct.PublicNetworkAccess = pulumi.String("Disabled")
	acct.NetworkRuleSet = &storage.NetworkRuleSetArgs{DefaultAction: storage.DefaultActionDeny, Bypass: pulumi.String("AzureServices")}
	account, err := storage.NewStorageAccount(ctx, name, acct, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	id := account.ID().ToStringOutput()

	// Blob and container soft delete work with a hierarchical namespace. Blob versioning does
	// not: "Storage accounts with a hierarchical namespace enabled for use with Azure Data Lake
	// Storage Gen2 aren't currently supported"
	// (https://learn.microsoft.com/azure/storage/blobs/versioning-overview, and the Blob Storage
	// feature support table), so isVersioningEnabled stays unset.
	service, err := storage.NewBlobServiceProperties(ctx, name, &storage.BlobServicePropertiesArgs{
		ResourceGroupName:              args.ResourceGroupName,
		AccountName:                    account.Name,
		BlobServicesName:               pulumi.String("default"),
		DeleteRetentionPolicy:          &storage.DeleteRetentionPolicyArgs{Enabled: pulumi.Bool(true), Days: pulumi.Int(retention)},
		ContainerDeleteRetentionPolicy: &storage.DeleteRetentionPolicyArgs{Enabled: pulumi.Bool(true), Days: pulumi.Int(retention)},
	}, child)
	if err != nil {
		return nil, err
	}
	for _, ct := range args.Containers {
		// Containers are created through ARM (the control plane), which works with public
		// network access and shared keys off.
		if _, err := storage.NewBlobContainer(ctx, name+"-"+ct, &storage.BlobContainerArgs{
			ResourceGroupName: args.ResourceGroupName,
			AccountName:       account.Name,
			ContainerName:     pulumi.String(ct),
			PublicAccess:      storage.PublicAccessNone,
		}, child, pulumi.DependsOn([]pulumi.Resource{service})); err != nil {
			return nil, err
		}
	}
	if err := avm.NewLock(ctx, name, id, args.Lock, child); err != nil {
		return nil, err
	}
	if err := avm.NewRoleAssignments(ctx, name, id, args.RoleAssignments, child); err != nil {
		return nil, err
	}
	if err := blobDiagnostics(ctx, name, id, args.DiagnosticSettings, child); err != nil {
		return nil, err
	}
	target := avm.Target{ResourceGroupName: args.ResourceGroupName, Location: args.Location, Name: args.Name, ID: id, Tags: args.Tags}
	if err := avm.NewPrivateEndpoints(ctx, name, target, "blob", args.PrivateEndpoints, child); err != nil {
		return nil, err
	}

	c.ID = id
	c.Name = account.Name
	c.DFSEndpoint = account.PrimaryEndpoints.Dfs()
	c.BlobEndpoint = account.PrimaryEndpoints.Blob()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"id": c.ID, "name": c.Name, "dfsEndpoint": c.DFSEndpoint, "blobEndpoint": c.BlobEndpoint}); err != nil {
		return nil, err
	}
	return c, nil
}
