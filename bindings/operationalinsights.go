package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// WorkspaceType is the Log Analytics workspace token, unversioned as the generated
// operationalinsights/v2 package of azure-native 2.90.0 registers it.
const WorkspaceType = "azure-native:operationalinsights:Workspace"

// Workspace is a Log Analytics workspace: ARM type Microsoft.OperationalInsights/workspaces, API
// version 2022-10-01 (the provider's default for the unversioned token).
type Workspace struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
	// CustomerId is the workspace's GUID, which agents and queries address it by.
	CustomerId pulumi.StringOutput `pulumi:"customerId"`
}

// WorkspaceArgs are the inputs of a Workspace the platform sets, with the wire names of the
// generated operationalinsights/v2 WorkspaceArgs (identity, workspaceCapping, forceCmkForQuery
// and defaultDataCollectionRuleResourceId are not offered).
type WorkspaceArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	WorkspaceName     pulumi.StringInput `pulumi:"workspaceName"`
	Location          pulumi.StringInput `pulumi:"location"`
	Sku               *WorkspaceSku      `pulumi:"sku"`
	// RetentionInDays is the retention of the analytics tables, in days.
	RetentionInDays pulumi.IntInput    `pulumi:"retentionInDays"`
	Features        *WorkspaceFeatures `pulumi:"features"`
	// PublicNetworkAccessForIngestion and PublicNetworkAccessForQuery are Enabled or Disabled.
	PublicNetworkAccessForIngestion pulumi.StringInput    `pulumi:"publicNetworkAccessForIngestion"`
	PublicNetworkAccessForQuery     pulumi.StringInput    `pulumi:"publicNetworkAccessForQuery"`
	Tags                            pulumi.StringMapInput `pulumi:"tags"`
}

// WorkspaceSku is the workspace's pricing tier.
type WorkspaceSku struct {
	// Name is e.g. PerGB2018 or CapacityReservation (required by Azure).
	Name pulumi.StringInput `pulumi:"name"`
	// CapacityReservationLevel is in GB per day, with the CapacityReservation SKU only.
	CapacityReservationLevel pulumi.IntInput `pulumi:"capacityReservationLevel"`
}

// WorkspaceFeatures are the workspace's feature switches.
type WorkspaceFeatures struct {
	// DisableLocalAuth true allows Entra authentication only (no workspace keys).
	DisableLocalAuth pulumi.BoolInput `pulumi:"disableLocalAuth"`
	// EnableLogAccessUsingOnlyResourcePermissions true lets readers of a resource see its logs
	// without workspace-wide access.
	EnableLogAccessUsingOnlyResourcePermissions pulumi.BoolInput `pulumi:"enableLogAccessUsingOnlyResourcePermissions"`
	EnableDataExport                            pulumi.BoolInput `pulumi:"enableDataExport"`
	ImmediatePurgeDataOn30Days                  pulumi.BoolInput `pulumi:"immediatePurgeDataOn30Days"`
}

// ElementType makes the Args struct its own marshalling target.
func (WorkspaceArgs) ElementType() reflect.Type { return reflect.TypeOf(WorkspaceArgs{}) }

// NewWorkspace registers a Workspace with the generated constructor's aliases (it has no
// defaults).
func NewWorkspace(ctx *pulumi.Context, name string, args *WorkspaceArgs, opts ...pulumi.ResourceOption) (*Workspace, error) {
	if args == nil {
		return nil, errors.New("bindings: Workspace args are required")
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:operationalinsights/v20151101preview:Workspace",
		"azure-native:operationalinsights/v20200301preview:Workspace",
		"azure-native:operationalinsights/v20200801:Workspace",
		"azure-native:operationalinsights/v20201001:Workspace",
		"azure-native:operationalinsights/v20210601:Workspace",
		"azure-native:operationalinsights/v20211201preview:Workspace",
		"azure-native:operationalinsights/v20221001:Workspace",
		"azure-native:operationalinsights/v20230901:Workspace",
		"azure-native:operationalinsights/v20250201:Workspace",
	))
	var r Workspace
	err := register(ctx, WorkspaceType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r, opts)
	return &r, err
}
