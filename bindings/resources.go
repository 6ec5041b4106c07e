package bindings

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ResourceGroupType is the resource group token, unversioned as the generated resources/v2
// package of azure-native 2.90.0 registers it.
const ResourceGroupType = "azure-native:resources:ResourceGroup"

// ResourceGroup is a resource group: ARM type Microsoft.Resources/resourceGroups, API version
// 2022-09-01 (the provider's default for the unversioned token).
type ResourceGroup struct {
	pulumi.CustomResourceState

	Location pulumi.StringOutput    `pulumi:"location"`
	Name     pulumi.StringOutput    `pulumi:"name"`
	Tags     pulumi.StringMapOutput `pulumi:"tags"`
}

// ResourceGroupArgs are the inputs of a ResourceGroup, with the wire names of the generated
// resources/v2 ResourceGroupArgs. None is required (the generated constructor checks none).
type ResourceGroupArgs struct {
	// Location cannot be changed after the group is created.
	Location pulumi.StringInput `pulumi:"location"`
	// ManagedBy is the ID of the resource that manages the group.
	ManagedBy         pulumi.StringInput    `pulumi:"managedBy"`
	ResourceGroupName pulumi.StringInput    `pulumi:"resourceGroupName"`
	Tags              pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (ResourceGroupArgs) ElementType() reflect.Type { return reflect.TypeOf(ResourceGroupArgs{}) }

// NewResourceGroup registers a ResourceGroup with the generated constructor's aliases (it has no
// defaults); nil args are empty args, as there.
func NewResourceGroup(ctx *pulumi.Context, name string, args *ResourceGroupArgs, opts ...pulumi.ResourceOption) (*ResourceGroup, error) {
	if args == nil {
		args = &ResourceGroupArgs{}
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:resources/v20151101:ResourceGroup",
		"azure-native:resources/v20160201:ResourceGroup",
		"azure-native:resources/v20160701:ResourceGroup",
		"azure-native:resources/v20160901:ResourceGroup",
		"azure-native:resources/v20170510:ResourceGroup",
		"azure-native:resources/v20180201:ResourceGroup",
		"azure-native:resources/v20180501:ResourceGroup",
		"azure-native:resources/v20190301:ResourceGroup",
		"azure-native:resources/v20190501:ResourceGroup",
		"azure-native:resources/v20190510:ResourceGroup",
		"azure-native:resources/v20190701:ResourceGroup",
		"azure-native:resources/v20190801:ResourceGroup",
		"azure-native:resources/v20191001:ResourceGroup",
		"azure-native:resources/v20200601:ResourceGroup",
		"azure-native:resources/v20200801:ResourceGroup",
		"azure-native:resources/v20201001:ResourceGroup",
		"azure-native:resources/v20210101:ResourceGroup",
		"azure-native:resources/v20210401:ResourceGroup",
		"azure-native:resources/v20220901:ResourceGroup",
		"azure-native:resources/v20230701:ResourceGroup",
		"azure-native:resources/v20240301:ResourceGroup",
		"azure-native:resources/v20240701:ResourceGroup",
		"azure-native:resources/v20241101:ResourceGroup",
	))
	var r ResourceGroup
	err := register(ctx, ResourceGroupType, name, *args, nil, &r, opts)
	return &r, err
}
