package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Tokens of Microsoft.Insights, unversioned as the generated insights/v2 package of azure-native
// 2.90.0 registers them (the provider maps them to its default API versions, given on each type).
const (
	DataCollectionEndpointType        = "azure-native:insights:DataCollectionEndpoint"
	DataCollectionRuleType            = "azure-native:insights:DataCollectionRule"
	DataCollectionRuleAssociationType = "azure-native:insights:DataCollectionRuleAssociation"
	DiagnosticSettingType             = "azure-native:insights:DiagnosticSetting"
)

// DataCollectionEndpoint is an Azure Monitor data collection endpoint: ARM type
// Microsoft.Insights/dataCollectionEndpoints, API version 2022-06-01.
type DataCollectionEndpoint struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// DataCollectionEndpointArgs are the inputs of a DataCollectionEndpoint the platform sets, with
// the wire names of the generated insights/v2 DataCollectionEndpointArgs (identity, immutableId
// and networkAcls are not offered).
type DataCollectionEndpointArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName          pulumi.StringInput `pulumi:"resourceGroupName"`
	DataCollectionEndpointName pulumi.StringInput `pulumi:"dataCollectionEndpointName"`
	Location                   pulumi.StringInput `pulumi:"location"`
	// Kind is Linux or Windows.
	Kind        pulumi.StringInput    `pulumi:"kind"`
	Description pulumi.StringInput    `pulumi:"description"`
	Tags        pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (DataCollectionEndpointArgs) ElementType() reflect.Type {
	return reflect.TypeOf(DataCollectionEndpointArgs{})
}

// NewDataCollectionEndpoint registers a DataCollectionEndpoint with the generated constructor's
// aliases (it has no defaults).
func NewDataCollectionEndpoint(ctx *pulumi.Context, name string, args *DataCollectionEndpointArgs, opts ...pulumi.ResourceOption) (*DataCollectionEndpoint, error) {
	if args == nil {
		return nil, errors.New("bindings: DataCollectionEndpoint args are required")
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:insights/v20210401:DataCollectionEndpoint",
		"azure-native:insights/v20210901preview:DataCollectionEndpoint",
		"azure-native:insights/v20220601:DataCollectionEndpoint",
		"azure-native:insights/v20230311:DataCollectionEndpoint",
	))
	var r DataCollectionEndpoint
	err := register(ctx, DataCollectionEndpointType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r, opts)
	return &r, err
}

// DataCollectionRule is an Azure Monitor data collection rule: ARM type
// Microsoft.Insights/dataCollectionRules, API version 2022-06-01.
type DataCollectionRule struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// DataCollectionRuleArgs are the inputs of a DataCollectionRule the platform sets, with the wire
// names of the generated insights/v2 DataCollectionRuleArgs (identity and streamDeclarations are
// not offered).
type DataCollectionRuleArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName      pulumi.StringInput `pulumi:"resourceGroupName"`
	DataCollectionRuleName pulumi.StringInput `pulumi:"dataCollectionRuleName"`
	Location               pulumi.StringInput `pulumi:"location"`
	// Kind is Linux or Windows.
	Kind        pulumi.StringInput `pulumi:"kind"`
	Description pulumi.StringInput `pulumi:"description"`
	// DataCollectionEndpointId is the ARM ID of the endpoint the rule's data goes through.
	DataCollectionEndpointId pulumi.StringInput              `pulumi:"dataCollectionEndpointId"`
	DataSources              *DataCollectionRuleDataSources  `pulumi:"dataSources"`
	Destinations             *DataCollectionRuleDestinations `pulumi:"destinations"`
	DataFlows                []DataFlow                      `pulumi:"dataFlows"`
	Tags                     pulumi.StringMapInput           `pulumi:"tags"`
}

// DataCollectionRuleDataSources are the rule's sources (only the kinds the platform uses).
type DataCollectionRuleDataSources struct {
	Extensions          []ExtensionDataSource           `pulumi:"extensions"`
	PrometheusForwarder []PrometheusForwarderDataSource `pulumi:"prometheusForwarder"`
}

// ExtensionDataSource is data collected by a VM or cluster extension, e.g. ContainerInsights.
type ExtensionDataSource struct {
	// Name is the source's name within the rule.
	Name pulumi.StringInput `pulumi:"name"`
	// ExtensionName is required by Azure, e.g. ContainerInsights.
	ExtensionName     pulumi.StringInput      `pulumi:"extensionName"`
	ExtensionSettings pulumi.MapInput         `pulumi:"extensionSettings"`
	InputDataSources  pulumi.StringArrayInput `pulumi:"inputDataSources"`
	Streams           pulumi.StringArrayInput `pulumi:"streams"`
}

// PrometheusForwarderDataSource forwards Prometheus metrics scraped in a cluster.
type PrometheusForwarderDataSource struct {
	Name pulumi.StringInput `pulumi:"name"`
	// LabelIncludeFilter keeps only the series with these labels; empty keeps all.
	LabelIncludeFilter pulumi.StringMapInput   `pulumi:"labelIncludeFilter"`
	Streams            pulumi.StringArrayInput `pulumi:"streams"`
}

// DataCollectionRuleDestinations are where the rule's data can go (only the kinds the platform
// uses).
type DataCollectionRuleDestinations struct {
	LogAnalytics       []LogAnalyticsDestination      `pulumi:"logAnalytics"`
	MonitoringAccounts []MonitoringAccountDestination `pulumi:"monitoringAccounts"`
}

// LogAnalyticsDestination is a Log Analytics workspace, named for the rule's data flows.
type LogAnalyticsDestination struct {
	Name                pulumi.StringInput `pulumi:"name"`
	WorkspaceResourceId pulumi.StringInput `pulumi:"workspaceResourceId"`
}

// MonitoringAccountDestination is an Azure Monitor workspace, named for the rule's data flows.
type MonitoringAccountDestination struct {
	Name              pulumi.StringInput `pulumi:"name"`
	AccountResourceId pulumi.StringInput `pulumi:"accountResourceId"`
}

// DataFlow sends streams to destinations (by their names in the rule).
type DataFlow struct {
	Streams          pulumi.StringArrayInput `pulumi:"streams"`
	Destinations     pulumi.StringArrayInput `pulumi:"destinations"`
	OutputStream     pulumi.StringInput      `pulumi:"outputStream"`
	TransformKql     pulumi.StringInput      `pulumi:"transformKql"`
	BuiltInTransform pulumi.StringInput      `pulumi:"builtInTransform"`
}

// ElementType makes the Args struct its own marshalling target.
func (DataCollectionRuleArgs) ElementType() reflect.Type {
	return reflect.TypeOf(DataCollectionRuleArgs{})
}

// NewDataCollectionRule registers a DataCollectionRule with the generated constructor's aliases
// (it has no defaults).
func NewDataCollectionRule(ctx *pulumi.Context, name string, args *DataCollectionRuleArgs, opts ...pulumi.ResourceOption) (*DataCollectionRule, error) {
	if args == nil {
		return nil, errors.New("bindings: DataCollectionRule args are required")
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:insights/v20191101preview:DataCollectionRule",
		"azure-native:insights/v20210401:DataCollectionRule",
		"azure-native:insights/v20210901preview:DataCollectionRule",
		"azure-native:insights/v20220601:DataCollectionRule",
		"azure-native:insights/v20230311:DataCollectionRule",
	))
	var r DataCollectionRule
	err := register(ctx, DataCollectionRuleType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r, opts)
	return &r, err
}

// DataCollectionRuleAssociation associates a data collection rule (or endpoint) with a resource:
// ARM type Microsoft.Insights/dataCollectionRuleAssociations, API version 2022-06-01.
type DataCollectionRuleAssociation struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// DataCollectionRuleAssociationArgs are the inputs of a DataCollectionRuleAssociation, with the
// wire names of the generated insights/v2 DataCollectionRuleAssociationArgs.
type DataCollectionRuleAssociationArgs struct {
	// ResourceUri is required: the ARM ID of the associated resource.
	ResourceUri              pulumi.StringInput `pulumi:"resourceUri"`
	AssociationName          pulumi.StringInput `pulumi:"associationName"`
	DataCollectionRuleId     pulumi.StringInput `pulumi:"dataCollectionRuleId"`
	DataCollectionEndpointId pulumi.StringInput `pulumi:"dataCollectionEndpointId"`
	Description              pulumi.StringInput `pulumi:"description"`
}

// ElementType makes the Args struct its own marshalling target.
func (DataCollectionRuleAssociationArgs) ElementType() reflect.Type {
	return reflect.TypeOf(DataCollectionRuleAssociationArgs{})
}

// NewDataCollectionRuleAssociation registers a DataCollectionRuleAssociation with the generated
// constructor's aliases (it has no defaults).
func NewDataCollectionRuleAssociation(ctx *pulumi.Context, name string, args *DataCollectionRuleAssociationArgs, opts ...pulumi.ResourceOption) (*DataCollectionRuleAssociation, error) {
	if args == nil {
		return nil, errors.New("bindings: DataCollectionRuleAssociation args are required")
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:insights/v20191101preview:DataCollectionRuleAssociation",
		"azure-native:insights/v20210401:DataCollectionRuleAssociation",
		"azure-native:insights/v20210901preview:DataCollectionRuleAssociation",
		"azure-native:insights/v20220601:DataCollectionRuleAssociation",
		"azure-native:insights/v20230311:DataCollectionRuleAssociation",
	))
	var r DataCollectionRuleAssociation
	err := register(ctx, DataCollectionRuleAssociationType, name, *args, []field{{"ResourceUri", args.ResourceUri}}, &r, opts)
	return &r, err
}

// DiagnosticSetting sends a resource's platform logs and metrics to a destination: ARM type
// Microsoft.Insights/diagnosticSettings, API version 2021-05-01-preview.
type DiagnosticSetting struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// DiagnosticSettingArgs are the inputs of a DiagnosticSetting with a Log Analytics or storage
// destination, with the wire names of the generated insights/v2 DiagnosticSettingArgs (the event
// hub, service bus and marketplace destinations are not offered).
type DiagnosticSettingArgs struct {
	// ResourceUri is required: the ARM ID of the resource whose logs are sent.
	ResourceUri pulumi.StringInput `pulumi:"resourceUri"`
	// Name is the setting's name on the resource.
	Name        pulumi.StringInput `pulumi:"name"`
	WorkspaceId pulumi.StringInput `pulumi:"workspaceId"`
	// LogAnalyticsDestinationType "Dedicated" writes to resource-specific tables; unset writes to
	// AzureDiagnostics.
	LogAnalyticsDestinationType pulumi.StringInput `pulumi:"logAnalyticsDestinationType"`
	StorageAccountId            pulumi.StringInput `pulumi:"storageAccountId"`
	Logs                        []LogSettings      `pulumi:"logs"`
	Metrics                     []MetricSettings   `pulumi:"metrics"`
}

// LogSettings enables a log category or category group (e.g. allLogs).
type LogSettings struct {
	Category      pulumi.StringInput `pulumi:"category"`
	CategoryGroup pulumi.StringInput `pulumi:"categoryGroup"`
	// Enabled is required by Azure.
	Enabled pulumi.BoolInput `pulumi:"enabled"`
}

// MetricSettings enables a metric category (e.g. AllMetrics).
type MetricSettings struct {
	Category pulumi.StringInput `pulumi:"category"`
	// Enabled is required by Azure.
	Enabled   pulumi.BoolInput   `pulumi:"enabled"`
	TimeGrain pulumi.StringInput `pulumi:"timeGrain"`
}

// ElementType makes the Args struct its own marshalling target.
func (DiagnosticSettingArgs) ElementType() reflect.Type {
	return reflect.TypeOf(DiagnosticSettingArgs{})
}

// NewDiagnosticSetting registers a DiagnosticSetting with the generated constructor's aliases (it
// has no defaults).
func NewDiagnosticSetting(ctx *pulumi.Context, name string, args *DiagnosticSettingArgs, opts ...pulumi.ResourceOption) (*DiagnosticSetting, error) {
	if args == nil {
		return nil, errors.New("bindings: DiagnosticSetting args are required")
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:insights/v20170501preview:DiagnosticSetting",
		"azure-native:insights/v20210501preview:DiagnosticSetting",
	))
	var r DiagnosticSetting
	err := register(ctx, DiagnosticSettingType, name, *args, []field{{"ResourceUri", args.ResourceUri}}, &r, opts)
	return &r, err
}
