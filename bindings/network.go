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

// Type tokens of the network resources the platform declares at the provider's default API
// version: the unversioned tokens the generated network/v2 root package registers (azure-native
// 2.90.0), so the engine sees the same resources as before the bindings replaced that package.
const (
	VirtualNetworkType       = "azure-native:network:VirtualNetwork"
	NetworkSecurityGroupType = "azure-native:network:NetworkSecurityGroup"
	NatGatewayType           = "azure-native:network:NatGateway"
	PublicIPAddressType      = "azure-native:network:PublicIPAddress"
	PublicIPPrefixType       = "azure-native:network:PublicIPPrefix"
	PrivateEndpointType      = "azure-native:network:PrivateEndpoint"
	PrivateDnsZoneGroupType  = "azure-native:network:PrivateDnsZoneGroup"
	PrivateZoneType          = "azure-native:network:PrivateZone"
	VirtualNetworkLinkType   = "azure-native:network:VirtualNetworkLink"
)

// networkAliases is the option every generated network/v2 constructor adds: an alias per
// explicitly versioned token of the type (azure-native:network/v<version>:<kind>), in the
// generated order, so a resource once registered at a versioned token is not replaced.
func networkAliases(kind string, versions []string) pulumi.ResourceOption {
	tokens := make([]string, len(versions))
	for i, v := range versions {
		tokens[i] = "azure-native:network/v" + v + ":" + kind
	}
	return typeAliases(tokens...)
}

// VirtualNetwork is a virtual network: ARM type Microsoft.Network/virtualNetworks, token
// azure-native:network:VirtualNetwork (API version 2023-02-01). NewVirtualNetwork fills the
// generated constructor's defaults: enableDdosProtection false and enableVmProtection false.
type VirtualNetwork struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// VirtualNetworkArgs are the inputs of a VirtualNetwork.
type VirtualNetworkArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName  pulumi.StringInput `pulumi:"resourceGroupName"`
	VirtualNetworkName pulumi.StringInput `pulumi:"virtualNetworkName"`
	Location           pulumi.StringInput `pulumi:"location"`
	AddressSpace       *AddressSpace      `pulumi:"addressSpace"`
	// EnableDdosProtection defaults to false.
	EnableDdosProtection pulumi.BoolInput `pulumi:"enableDdosProtection"`
	// EnableVmProtection defaults to false.
	EnableVmProtection pulumi.BoolInput      `pulumi:"enableVmProtection"`
	Tags               pulumi.StringMapInput `pulumi:"tags"`
}

// AddressSpace holds the CIDRs of a virtual network.
type AddressSpace struct {
	AddressPrefixes pulumi.StringArrayInput `pulumi:"addressPrefixes"`
}

// ElementType makes the Args struct its own marshalling target.
func (VirtualNetworkArgs) ElementType() reflect.Type { return reflect.TypeOf(VirtualNetworkArgs{}) }

// NewVirtualNetwork registers a VirtualNetwork.
func NewVirtualNetwork(ctx *pulumi.Context, name string, args *VirtualNetworkArgs, opts ...pulumi.ResourceOption) (*VirtualNetwork, error) {
	if args == nil {
		return nil, errors.New("bindings: VirtualNetwork args are required")
	}
	a := *args
	if a.EnableDdosProtection == nil {
		a.EnableDdosProtection = pulumi.Bool(false)
	}
	if a.EnableVmProtection == nil {
		a.EnableVmProtection = pulumi.Bool(false)
	}
	var r VirtualNetwork
	err := register(ctx, VirtualNetworkType, name, a, []field{{"ResourceGroupName", a.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("VirtualNetwork", virtualNetworkAliasVersions)))
	return &r, err
}

// NetworkSecurityGroup is a network security group with inline rules: ARM type
// Microsoft.Network/networkSecurityGroups, token azure-native:network:NetworkSecurityGroup (API
// version 2023-02-01).
type NetworkSecurityGroup struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// NetworkSecurityGroupArgs are the inputs of a NetworkSecurityGroup.
type NetworkSecurityGroupArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName        pulumi.StringInput    `pulumi:"resourceGroupName"`
	NetworkSecurityGroupName pulumi.StringInput    `pulumi:"networkSecurityGroupName"`
	Location                 pulumi.StringInput    `pulumi:"location"`
	SecurityRules            []SecurityRule        `pulumi:"securityRules"`
	Tags                     pulumi.StringMapInput `pulumi:"tags"`
}

// SecurityRule is one inline rule of a network security group. Azure takes either the singular
// or the plural form of each address prefix and port range, not both.
type SecurityRule struct {
	Name        pulumi.StringInput `pulumi:"name"`
	Description pulumi.StringInput `pulumi:"description"`
	// Priority is 100-4096; a lower number is evaluated first.
	Priority pulumi.IntInput `pulumi:"priority"`
	// Direction is Inbound or Outbound.
	Direction pulumi.StringInput `pulumi:"direction"`
	// Access is Allow or Deny.
	Access pulumi.StringInput `pulumi:"access"`
	// Protocol is Tcp, Udp, Icmp, Esp, Ah or *.
	Protocol                   pulumi.StringInput      `pulumi:"protocol"`
	SourcePortRange            pulumi.StringInput      `pulumi:"sourcePortRange"`
	SourceAddressPrefix        pulumi.StringInput      `pulumi:"sourceAddressPrefix"`
	SourceAddressPrefixes      pulumi.StringArrayInput `pulumi:"sourceAddressPrefixes"`
	DestinationAddressPrefix   pulumi.StringInput      `pulumi:"destinationAddressPrefix"`
	DestinationAddressPrefixes pulumi.StringArrayInput `pulumi:"destinationAddressPrefixes"`
	DestinationPortRange       pulumi.StringInput      `pulumi:"destinationPortRange"`
	DestinationPortRanges      pulumi.StringArrayInput `pulumi:"destinationPortRanges"`
}

// ElementType makes the Args struct its own marshalling target.
func (NetworkSecurityGroupArgs) ElementType() reflect.Type {
	return reflect.TypeOf(NetworkSecurityGroupArgs{})
}

// NewNetworkSecurityGroup registers a NetworkSecurityGroup.
func NewNetworkSecurityGroup(ctx *pulumi.Context, name string, args *NetworkSecurityGroupArgs, opts ...pulumi.ResourceOption) (*NetworkSecurityGroup, error) {
	if args == nil {
		return nil, errors.New("bindings: NetworkSecurityGroup args are required")
	}
	var r NetworkSecurityGroup
	err := register(ctx, NetworkSecurityGroupType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("NetworkSecurityGroup", networkSecurityGroupAliasVersions)))
	return &r, err
}

// NatGateway is a NAT gateway: ARM type Microsoft.Network/natGateways, token
// azure-native:network:NatGateway (API version 2023-02-01).
type NatGateway struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// NatGatewayArgs are the inputs of a NatGateway.
type NatGatewayArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	NatGatewayName    pulumi.StringInput `pulumi:"natGatewayName"`
	Location          pulumi.StringInput `pulumi:"location"`
	// Sku name is Standard.
	Sku *NameSku `pulumi:"sku"`
	// IdleTimeoutInMinutes is the TCP idle timeout, 4-120 (Azure's default 4).
	IdleTimeoutInMinutes pulumi.IntInput       `pulumi:"idleTimeoutInMinutes"`
	PublicIpAddresses    []IDRef               `pulumi:"publicIpAddresses"`
	PublicIpPrefixes     []IDRef               `pulumi:"publicIpPrefixes"`
	Tags                 pulumi.StringMapInput `pulumi:"tags"`
}

// NameSku is a SKU given by name only ({"name": "..."}).
type NameSku struct {
	Name pulumi.StringInput `pulumi:"name"`
}

// TieredSku is a SKU with a name and a tier (public IP addresses and prefixes: Standard,
// Regional or Global).
type TieredSku struct {
	Name pulumi.StringInput `pulumi:"name"`
	Tier pulumi.StringInput `pulumi:"tier"`
}

// ElementType makes the Args struct its own marshalling target.
func (NatGatewayArgs) ElementType() reflect.Type { return reflect.TypeOf(NatGatewayArgs{}) }

// NewNatGateway registers a NatGateway.
func NewNatGateway(ctx *pulumi.Context, name string, args *NatGatewayArgs, opts ...pulumi.ResourceOption) (*NatGateway, error) {
	if args == nil {
		return nil, errors.New("bindings: NatGateway args are required")
	}
	var r NatGateway
	err := register(ctx, NatGatewayType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("NatGateway", natGatewayAliasVersions)))
	return &r, err
}

// PublicIPAddress is a public IP address: ARM type Microsoft.Network/publicIPAddresses, token
// azure-native:network:PublicIPAddress (API version 2023-02-01).
type PublicIPAddress struct {
	pulumi.CustomResourceState

	Name      pulumi.StringOutput `pulumi:"name"`
	IpAddress pulumi.StringOutput `pulumi:"ipAddress"`
}

// PublicIPAddressArgs are the inputs of a PublicIPAddress.
type PublicIPAddressArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName   pulumi.StringInput `pulumi:"resourceGroupName"`
	PublicIpAddressName pulumi.StringInput `pulumi:"publicIpAddressName"`
	Location            pulumi.StringInput `pulumi:"location"`
	// PublicIPAllocationMethod is Static or Dynamic.
	PublicIPAllocationMethod pulumi.StringInput `pulumi:"publicIPAllocationMethod"`
	// PublicIPAddressVersion is IPv4 or IPv6.
	PublicIPAddressVersion pulumi.StringInput `pulumi:"publicIPAddressVersion"`
	// PublicIPPrefix is the prefix the address is taken from. Default none.
	PublicIPPrefix *IDRef                `pulumi:"publicIPPrefix"`
	Sku            *TieredSku            `pulumi:"sku"`
	Tags           pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (PublicIPAddressArgs) ElementType() reflect.Type { return reflect.TypeOf(PublicIPAddressArgs{}) }

// NewPublicIPAddress registers a PublicIPAddress.
func NewPublicIPAddress(ctx *pulumi.Context, name string, args *PublicIPAddressArgs, opts ...pulumi.ResourceOption) (*PublicIPAddress, error) {
	if args == nil {
		return nil, errors.New("bindings: PublicIPAddress args are required")
	}
	var r PublicIPAddress
	err := register(ctx, PublicIPAddressType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("PublicIPAddress", publicIPAddressAliasVersions)))
	return &r, err
}

// PublicIPPrefix is a range of public IP addresses: ARM type Microsoft.Network/publicIPPrefixes,
// token azure-native:network:PublicIPPrefix (API version 2023-02-01).
type PublicIPPrefix struct {
	pulumi.CustomResourceState

	Name     pulumi.StringOutput `pulumi:"name"`
	IpPrefix pulumi.StringOutput `pulumi:"ipPrefix"`
}

// PublicIPPrefixArgs are the inputs of a PublicIPPrefix.
type PublicIPPrefixArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName  pulumi.StringInput `pulumi:"resourceGroupName"`
	PublicIpPrefixName pulumi.StringInput `pulumi:"publicIpPrefixName"`
	Location           pulumi.StringInput `pulumi:"location"`
	// PrefixLength is the prefix's length in bits (28-31 for IPv4 in this platform).
	PrefixLength pulumi.IntInput `pulumi:"prefixLength"`
	// PublicIPAddressVersion is IPv4 or IPv6.
	PublicIPAddressVersion pulumi.StringInput    `pulumi:"publicIPAddressVersion"`
	Sku                    *TieredSku            `pulumi:"sku"`
	Tags                   pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (PublicIPPrefixArgs) ElementType() reflect.Type { return reflect.TypeOf(PublicIPPrefixArgs{}) }

// NewPublicIPPrefix registers a PublicIPPrefix.
func NewPublicIPPrefix(ctx *pulumi.Context, name string, args *PublicIPPrefixArgs, opts ...pulumi.ResourceOption) (*PublicIPPrefix, error) {
	if args == nil {
		return nil, errors.New("bindings: PublicIPPrefix args are required")
	}
	var r PublicIPPrefix
	err := register(ctx, PublicIPPrefixType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("PublicIPPrefix", publicIPPrefixAliasVersions)))
	return &r, err
}

// PrivateEndpoint is a private endpoint: ARM type Microsoft.Network/privateEndpoints, token
// azure-native:network:PrivateEndpoint (API version 2023-02-01). NewPrivateEndpoint fills the
// generated constructor's defaults into the subnet object: privateEndpointNetworkPolicies
// Disabled and privateLinkServiceNetworkPolicies Enabled (the provider ignores them on an
// endpoint's subnet reference, but they are part of the inputs the engine has recorded).
type PrivateEndpoint struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// PrivateEndpointArgs are the inputs of a PrivateEndpoint.
type PrivateEndpointArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName   pulumi.StringInput `pulumi:"resourceGroupName"`
	PrivateEndpointName pulumi.StringInput `pulumi:"privateEndpointName"`
	Location            pulumi.StringInput `pulumi:"location"`
	// CustomNetworkInterfaceName names the endpoint's NIC. Default: Azure's generated name.
	CustomNetworkInterfaceName    pulumi.StringInput             `pulumi:"customNetworkInterfaceName"`
	Subnet                        *SubnetRef                     `pulumi:"subnet"`
	PrivateLinkServiceConnections []PrivateLinkServiceConnection `pulumi:"privateLinkServiceConnections"`
	Tags                          pulumi.StringMapInput          `pulumi:"tags"`
}

// SubnetRef is the subnet object of a private endpoint: the subnet's ID and the two policy
// properties the generated SDK defaults (Disabled and Enabled).
type SubnetRef struct {
	ID                                pulumi.StringInput `pulumi:"id"`
	PrivateEndpointNetworkPolicies    pulumi.StringInput `pulumi:"privateEndpointNetworkPolicies"`
	PrivateLinkServiceNetworkPolicies pulumi.StringInput `pulumi:"privateLinkServiceNetworkPolicies"`
}

// PrivateLinkServiceConnection connects an endpoint to a target resource's sub-resource.
type PrivateLinkServiceConnection struct {
	Name pulumi.StringInput `pulumi:"name"`
	// PrivateLinkServiceId is the target resource's ARM ID.
	PrivateLinkServiceId pulumi.StringInput `pulumi:"privateLinkServiceId"`
	// GroupIds are the target's sub-resources, e.g. blob or vault.
	GroupIds pulumi.StringArrayInput `pulumi:"groupIds"`
}

// ElementType makes the Args struct its own marshalling target.
func (PrivateEndpointArgs) ElementType() reflect.Type { return reflect.TypeOf(PrivateEndpointArgs{}) }

// NewPrivateEndpoint registers a PrivateEndpoint.
func NewPrivateEndpoint(ctx *pulumi.Context, name string, args *PrivateEndpointArgs, opts ...pulumi.ResourceOption) (*PrivateEndpoint, error) {
	if args == nil {
		return nil, errors.New("bindings: PrivateEndpoint args are required")
	}
	a := *args
	if a.Subnet != nil {
		s := *a.Subnet
		if s.PrivateEndpointNetworkPolicies == nil {
			s.PrivateEndpointNetworkPolicies = pulumi.String("Disabled")
		}
		if s.PrivateLinkServiceNetworkPolicies == nil {
			s.PrivateLinkServiceNetworkPolicies = pulumi.String("Enabled")
		}
		a.Subnet = &s
	}
	var r PrivateEndpoint
	err := register(ctx, PrivateEndpointType, name, a, []field{{"ResourceGroupName", a.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("PrivateEndpoint", privateEndpointAliasVersions)))
	return &r, err
}

// PrivateDnsZoneGroup registers a private endpoint's addresses in private DNS zones: ARM type
// Microsoft.Network/privateEndpoints/privateDnsZoneGroups, token
// azure-native:network:PrivateDnsZoneGroup (API version 2023-02-01).
type PrivateDnsZoneGroup struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// PrivateDnsZoneGroupArgs are the inputs of a PrivateDnsZoneGroup.
type PrivateDnsZoneGroupArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// PrivateEndpointName is required.
	PrivateEndpointName     pulumi.StringInput     `pulumi:"privateEndpointName"`
	PrivateDnsZoneGroupName pulumi.StringInput     `pulumi:"privateDnsZoneGroupName"`
	PrivateDnsZoneConfigs   []PrivateDnsZoneConfig `pulumi:"privateDnsZoneConfigs"`
}

// PrivateDnsZoneConfig names one zone of a zone group.
type PrivateDnsZoneConfig struct {
	Name pulumi.StringInput `pulumi:"name"`
	// PrivateDnsZoneId is the zone's ARM ID.
	PrivateDnsZoneId pulumi.StringInput `pulumi:"privateDnsZoneId"`
}

// ElementType makes the Args struct its own marshalling target.
func (PrivateDnsZoneGroupArgs) ElementType() reflect.Type {
	return reflect.TypeOf(PrivateDnsZoneGroupArgs{})
}

// NewPrivateDnsZoneGroup registers a PrivateDnsZoneGroup.
func NewPrivateDnsZoneGroup(ctx *pulumi.Context, name string, args *PrivateDnsZoneGroupArgs, opts ...pulumi.ResourceOption) (*PrivateDnsZoneGroup, error) {
	if args == nil {
		return nil, errors.New("bindings: PrivateDnsZoneGroup args are required")
	}
	var r PrivateDnsZoneGroup
	err := register(ctx, PrivateDnsZoneGroupType, name, *args, []field{
		{"PrivateEndpointName", args.PrivateEndpointName}, {"ResourceGroupName", args.ResourceGroupName},
	}, &r, withAliases(opts, networkAliases("PrivateDnsZoneGroup", privateDnsZoneGroupAliasVersions)))
	return &r, err
}

// PrivateZone is a private DNS zone: ARM type Microsoft.Network/privateDnsZones, token
// azure-native:network:PrivateZone (API version 2020-06-01).
type PrivateZone struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// PrivateZoneArgs are the inputs of a PrivateZone.
type PrivateZoneArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	PrivateZoneName   pulumi.StringInput `pulumi:"privateZoneName"`
	// Location is global for private DNS.
	Location pulumi.StringInput    `pulumi:"location"`
	Tags     pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (PrivateZoneArgs) ElementType() reflect.Type { return reflect.TypeOf(PrivateZoneArgs{}) }

// NewPrivateZone registers a PrivateZone.
func NewPrivateZone(ctx *pulumi.Context, name string, args *PrivateZoneArgs, opts ...pulumi.ResourceOption) (*PrivateZone, error) {
	if args == nil {
		return nil, errors.New("bindings: PrivateZone args are required")
	}
	var r PrivateZone
	err := register(ctx, PrivateZoneType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("PrivateZone", privateZoneAliasVersions)))
	return &r, err
}

// VirtualNetworkLink links a private DNS zone to a virtual network: ARM type
// Microsoft.Network/privateDnsZones/virtualNetworkLinks, token
// azure-native:network:VirtualNetworkLink (API version 2020-06-01).
type VirtualNetworkLink struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// VirtualNetworkLinkArgs are the inputs of a VirtualNetworkLink.
type VirtualNetworkLinkArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// PrivateZoneName is required.
	PrivateZoneName        pulumi.StringInput `pulumi:"privateZoneName"`
	VirtualNetworkLinkName pulumi.StringInput `pulumi:"virtualNetworkLinkName"`
	// Location is global for private DNS.
	Location       pulumi.StringInput `pulumi:"location"`
	VirtualNetwork *IDRef             `pulumi:"virtualNetwork"`
	// RegistrationEnabled auto-registers the VMs of the network in the zone.
	RegistrationEnabled pulumi.BoolInput      `pulumi:"registrationEnabled"`
	Tags                pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (VirtualNetworkLinkArgs) ElementType() reflect.Type {
	return reflect.TypeOf(VirtualNetworkLinkArgs{})
}

// NewVirtualNetworkLink registers a VirtualNetworkLink.
func NewVirtualNetworkLink(ctx *pulumi.Context, name string, args *VirtualNetworkLinkArgs, opts ...pulumi.ResourceOption) (*VirtualNetworkLink, error) {
	if args == nil {
		return nil, errors.New("bindings: VirtualNetworkLink args are required")
	}
	var r VirtualNetworkLink
	err := register(ctx, VirtualNetworkLinkType, name, *args, []field{
		{"PrivateZoneName", args.PrivateZoneName}, {"ResourceGroupName", args.ResourceGroupName},
	}, &r, withAliases(opts, networkAliases("VirtualNetworkLink", virtualNetworkLinkAliasVersions)))
	return &r, err
}

// API versions of the aliases the generated constructors of azure-native 2.90.0 add, in their
// order (network/v2's <kind>.go).
var virtualNetworkAliasVersions = []string{
	"20150501preview", "20150615", "20160330", "20160601", "20160901", "20161201", "20170301",
	"20170601", "20170801", "20170901", "20171001", "20171101", "20180101", "20180201", "20180401",
	"20180601", "20180701", "20180801", "20181001", "20181101", "20181201", "20190201", "20190401",
	"20190601", "20190701", "20190801", "20190901", "20191101", "20191201", "20200301", "20200401",
	"20200501", "20200601", "20200701", "20200801", "20201101", "20210201", "20210301", "20210501",
	"20210801", "20220101", "20220501", "20220701", "20220901", "20221101", "20230201", "20230401",
	"20230501", "20230601", "20230901", "20231101", "20240101", "20240301", "20240501",
}
var networkSecurityGroupAliasVersions = []string{
	"20150501preview", "20150615", "20160330", "20160601", "20160901", "20161201", "20170301",
	"20170601", "20170801", "20170901", "20171001", "20171101", "20180101", "20180201", "20180401",
	"20180601", "20180701", "20180801", "20181001", "20181101", "20181201", "20190201", "20190401",
	"20190601", "20190701", "20190801", "20190901", "20191101", "20191201", "20200301", "20200401",
	"20200501", "20200601", "20200701", "20200801", "20201101", "20210201", "20210301", "20210501",
	"20210801", "20220101", "20220501", "20220701", "20220901", "20221101", "20230201", "20230401",
	"20230501", "20230601", "20230901", "20231101", "20240101", "20240301", "20240501",
}
var natGatewayAliasVersions = []string{
	"20190201", "20190401", "20190601", "20190701", "20190801", "20190901", "20191101", "20191201",
	"20200301", "20200401", "20200501", "20200601", "20200701", "20200801", "20201101", "20210201",
	"20210301", "20210501", "20210801", "20220101", "20220501", "20220701", "20220901", "20221101",
	"20230201", "20230401", "20230501", "20230601", "20230901", "20231101", "20240101", "20240301",
	"20240501",
}
var publicIPAddressAliasVersions = []string{
	"20150501preview", "20150615", "20160330", "20160601", "20160901", "20161201", "20170301",
	"20170601", "20170801", "20170901", "20171001", "20171101", "20180101", "20180201", "20180401",
	"20180601", "20180701", "20180801", "20181001", "20181101", "20181201", "20190201", "20190401",
	"20190601", "20190701", "20190801", "20190901", "20191101", "20191201", "20200301", "20200401",
	"20200501", "20200601", "20200701", "20200801", "20201101", "20210201", "20210301", "20210501",
	"20210801", "20220101", "20220501", "20220701", "20220901", "20221101", "20230201", "20230401",
	"20230501", "20230601", "20230901", "20231101", "20240101", "20240301", "20240501",
}
var publicIPPrefixAliasVersions = []string{
	"20180701", "20180801", "20181001", "20181101", "20181201", "20190201", "20190401", "20190601",
	"20190701", "20190801", "20190901", "20191101", "20191201", "20200301", "20200401", "20200501",
	"20200601", "20200701", "20200801", "20201101", "20210201", "20210301", "20210501", "20210801",
	"20220101", "20220501", "20220701", "20220901", "20221101", "20230201", "20230401", "20230501",
	"20230601", "20230901", "20231101", "20240101", "20240301", "20240501",
}
var privateEndpointAliasVersions = []string{
	"20180801", "20181001", "20181101", "20181201", "20190201", "20190401", "20190601", "20190701",
	"20190801", "20190901", "20191101", "20191201", "20200301", "20200401", "20200501", "20200601",
	"20200701", "20200801", "20201101", "20210201", "20210301", "20210501", "20210801", "20220101",
	"20220501", "20220701", "20220901", "20221101", "20230201", "20230401", "20230501", "20230601",
	"20230901", "20231101", "20240101", "20240301", "20240501",
}
var privateDnsZoneGroupAliasVersions = []string{
	"20200301", "20200401", "20200501", "20200601", "20200701", "20200801", "20201101", "20210201",
	"20210301", "20210501", "20210801", "20220101", "20220501", "20220701", "20220901", "20221101",
	"20230201", "20230401", "20230501", "20230601", "20230901", "20231101", "20240101", "20240301",
	"20240501",
}
var privateZoneAliasVersions = []string{
	"20180901", "20200101", "20200601", "20240601",
}
var virtualNetworkLinkAliasVersions = []string{
	"20180901", "20200101", "20200601", "20240601",
}
