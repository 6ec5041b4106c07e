package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SubnetType is a subnet at API version 2024-05-01. The generated root package of network/v2
// registers subnets at 2023-02-01, which has no defaultOutboundAccess; the generated
// network/v2/v20240501 package has it, but importing it compiles a second package of the size of
// network/v2 (measured on this 2-core machine: 75 s wall, 92 CPU-seconds and 4.7 GB peak memory
// cold; +1.4 s and +0.55 GB on every link of a binary holding it). This binding registers the same
// token with the few properties the platform sets, at no build cost.
const SubnetType = "azure-native:network/v20240501:Subnet"

// Subnet is a subnet of a virtual network: ARM type Microsoft.Network/virtualNetworks/subnets, API
// version 2024-05-01. Azure rejects concurrent writes to the subnets of one virtual network, so
// callers chain subnets with DependsOn.
type Subnet struct {
	pulumi.CustomResourceState

	Name          pulumi.StringOutput `pulumi:"name"`
	AddressPrefix pulumi.StringOutput `pulumi:"addressPrefix"`
}

// SubnetArgs are the inputs of a Subnet, with the wire names of the provider's schema (the same as
// those of the generated network/v2/v20240501 SubnetArgs).
type SubnetArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// VirtualNetworkName is required.
	VirtualNetworkName pulumi.StringInput `pulumi:"virtualNetworkName"`
	SubnetName         pulumi.StringInput `pulumi:"subnetName"`
	AddressPrefix      pulumi.StringInput `pulumi:"addressPrefix"`
	// DefaultOutboundAccess false makes the subnet private: no implicit outbound IP for VMs. It can
	// only be set when the subnet is created.
	DefaultOutboundAccess pulumi.BoolInput `pulumi:"defaultOutboundAccess"`
	Delegations           []Delegation     `pulumi:"delegations"`
	NatGateway            *IDRef           `pulumi:"natGateway"`
	NetworkSecurityGroup  *IDRef           `pulumi:"networkSecurityGroup"`
	// PrivateEndpointNetworkPolicies is Enabled, Disabled, NetworkSecurityGroupEnabled or
	// RouteTableEnabled. The generated SDK defaults it to Disabled; the binding has no defaults,
	// so callers set it.
	PrivateEndpointNetworkPolicies pulumi.StringInput `pulumi:"privateEndpointNetworkPolicies"`
	// PrivateLinkServiceNetworkPolicies is Enabled or Disabled (the generated SDK's default is
	// Enabled).
	PrivateLinkServiceNetworkPolicies pulumi.StringInput `pulumi:"privateLinkServiceNetworkPolicies"`
}

// Delegation hands a subnet to an Azure service.
type Delegation struct {
	// Name is unique within the subnet.
	Name pulumi.StringInput `pulumi:"name"`
	// ServiceName is the delegated service, e.g. Microsoft.DBforPostgreSQL/flexibleServers.
	ServiceName pulumi.StringInput `pulumi:"serviceName"`
}

// ElementType makes the Args struct its own marshalling target.
func (SubnetArgs) ElementType() reflect.Type { return reflect.TypeOf(SubnetArgs{}) }

// NewSubnet registers a Subnet.
func NewSubnet(ctx *pulumi.Context, name string, args *SubnetArgs, opts ...pulumi.ResourceOption) (*Subnet, error) {
	if args == nil {
		return nil, errors.New("bindings: Subnet args are required")
	}
	var r Subnet
	err := register(ctx, SubnetType, name, *args, []field{
		{"ResourceGroupName", args.ResourceGroupName}, {"VirtualNetworkName", args.VirtualNetworkName},
	}, &r, opts)
	return &r, err
}
