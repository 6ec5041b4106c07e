package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CIAMTenantType is the Entra External ID tenant. 2023-05-17-preview is the only API version the
// provider has for it.
const CIAMTenantType = "azure-native:azureactivedirectory/v20230517preview:CIAMTenant"

// CIAM SKU values.
const (
	CIAMSkuStandard = "Standard"
	CIAMSkuTierA0   = "A0"
)

// CIAMTenant is an Entra External ID (customer identity) tenant: ARM type
// Microsoft.AzureActiveDirectory/ciamDirectories, API version 2023-05-17-preview. Creating one is
// a one-time, long-running operation; Azure does not return createTenantProperties, so callers
// should ignore changes to it.
type CIAMTenant struct {
	pulumi.CustomResourceState

	Name              pulumi.StringOutput `pulumi:"name"`
	TenantID          pulumi.StringOutput `pulumi:"tenantId"`
	DomainName        pulumi.StringOutput `pulumi:"domainName"`
	BillingType       pulumi.StringOutput `pulumi:"billingType"`
	ProvisioningState pulumi.StringOutput `pulumi:"provisioningState"`
}

// CIAMTenantArgs are the inputs of a CIAMTenant.
type CIAMTenantArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// ResourceName is the initial domain prefix: <resourceName>.onmicrosoft.com.
	ResourceName pulumi.StringInput `pulumi:"resourceName"`
	// Location is the data residency: "United States", "Europe", "Asia Pacific" or "Australia".
	Location pulumi.StringInput `pulumi:"location"`
	// CreateTenantProperties is required (create-time only).
	CreateTenantProperties *CreateCIAMTenantProperties `pulumi:"createTenantProperties"`
	// Sku is required.
	Sku  *CIAMSku              `pulumi:"sku"`
	Tags pulumi.StringMapInput `pulumi:"tags"`
}

// CreateCIAMTenantProperties are read only when the tenant is created.
type CreateCIAMTenantProperties struct {
	CountryCode pulumi.StringInput `pulumi:"countryCode"`
	DisplayName pulumi.StringInput `pulumi:"displayName"`
}

// CIAMSku is the tenant's billing SKU.
type CIAMSku struct {
	Name pulumi.StringInput `pulumi:"name"`
	Tier pulumi.StringInput `pulumi:"tier"`
}

// ElementType makes the Args struct its own marshalling target.
func (CIAMTenantArgs) ElementType() reflect.Type { return reflect.TypeOf(CIAMTenantArgs{}) }

// NewCIAMTenant registers a CIAMTenant.
func NewCIAMTenant(ctx *pulumi.Context, name string, args *CIAMTenantArgs, opts ...pulumi.ResourceOption) (*CIAMTenant, error) {
	if args == nil {
		return nil, errors.New("bindings: CIAMTenant args are required")
	}
	var r CIAMTenant
	err := register(ctx, CIAMTenantType, name, *args, []field{
		{"ResourceGroupName", args.ResourceGroupName}, {"CreateTenantProperties", args.CreateTenantProperties}, {"Sku", args.Sku},
	}, &r, opts)
	return &r, err
}

// MonitorWorkspaceType is the Azure Monitor workspace (managed Prometheus).
const MonitorWorkspaceType = "azure-native:monitor/v20230403:AzureMonitorWorkspace"

// MonitorWorkspace is an Azure Monitor workspace, the store of managed Prometheus metrics: ARM
// type Microsoft.Monitor/accounts, API version 2023-04-03. Azure creates a default data
// collection endpoint and rule with it.
type MonitorWorkspace struct {
	pulumi.CustomResourceState

	Name      pulumi.StringOutput `pulumi:"name"`
	AccountID pulumi.StringOutput `pulumi:"accountId"`
	// Metrics is {prometheusQueryEndpoint, internalId}.
	Metrics pulumi.MapOutput `pulumi:"metrics"`
	// DefaultIngestionSettings is {dataCollectionEndpointResourceId, dataCollectionRuleResourceId}.
	DefaultIngestionSettings pulumi.MapOutput `pulumi:"defaultIngestionSettings"`
}

// MonitorWorkspaceArgs are the inputs of a MonitorWorkspace: exactly the writable properties of
// API 2023-04-03 (azure-rest-api-specs monitor/resource-manager/Microsoft.Monitor/stable/2023-04-03/
// monitoringAccounts_API.json; azure-native's generated monitor/v20230403 has the same inputs).
// publicNetworkAccess is read-only at this version (readOnly, x-ms-mutability read): the provider
// would drop it, so it is not offered. The workspace's query endpoint stays public; ingestion goes
// through data collection endpoints (docs/base.md).
type MonitorWorkspaceArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName         pulumi.StringInput    `pulumi:"resourceGroupName"`
	AzureMonitorWorkspaceName pulumi.StringInput    `pulumi:"azureMonitorWorkspaceName"`
	Location                  pulumi.StringInput    `pulumi:"location"`
	Tags                      pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (MonitorWorkspaceArgs) ElementType() reflect.Type { return reflect.TypeOf(MonitorWorkspaceArgs{}) }

// NewMonitorWorkspace registers a MonitorWorkspace.
func NewMonitorWorkspace(ctx *pulumi.Context, name string, args *MonitorWorkspaceArgs, opts ...pulumi.ResourceOption) (*MonitorWorkspace, error) {
	if args == nil {
		return nil, errors.New("bindings: MonitorWorkspace args are required")
	}
	var r MonitorWorkspace
	err := register(ctx, MonitorWorkspaceType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r, opts)
	return &r, err
}

// PrometheusQueryEndpoint is the workspace's PromQL endpoint.
func (w *MonitorWorkspace) PrometheusQueryEndpoint() pulumi.StringOutput {
	return stringAt(w.Metrics, "metrics", "prometheusQueryEndpoint")
}

// DataCollectionRuleID is the default data collection rule Azure created with the workspace.
func (w *MonitorWorkspace) DataCollectionRuleID() pulumi.StringOutput {
	return stringAt(w.DefaultIngestionSettings, "defaultIngestionSettings", "dataCollectionRuleResourceId")
}
