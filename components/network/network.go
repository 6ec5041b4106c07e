// Package network is the platform's virtual network: the VNet with no inline subnets, one private
// subnet per role (netplan.Roles) with its own network security group, and a NAT gateway with a
// static public IP (or prefix) as the explicit egress of the AKS node subnet.
package network

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/netplan"
)

// Delegations are the services each delegated subnet is handed to.
var Delegations = map[netplan.Role]string{
	netplan.APIServer: "Microsoft.ContainerService/managedClusters",
	netplan.AGC:       "Microsoft.ServiceNetworking/trafficControllers",
	netplan.Postgres:  "Microsoft.DBforPostgreSQL/flexibleServers",
}

// Args configures the network.
type Args struct {
	// ResourceGroupName holds every resource. Required.
	ResourceGroupName pulumi.StringInput
	// Location of every resource. Required.
	Location pulumi.StringInput
	// Name is the VNet's Azure name. Required.
	Name string
	// AddressSpace is the VNet's CIDR. Required.
	AddressSpace string
	// Subnets is the CIDR of every role in netplan.Roles (config's resolved plan). Required.
	Subnets map[netplan.Role]string
	// SubnetNames is the Azure name of every role's subnet. Required.
	SubnetNames map[netplan.Role]string
	// NSGNames is the Azure name of every role's network security group. Required.
	NSGNames map[netplan.Role]string
	// PodCIDR is the cluster's overlay pod range; the node subnet's rules admit it. Required.
	PodCIDR string
	// APIServerPublicSources are admitted to the apiServer subnet on 443: the cluster's
	// authorized IP ranges when its API server has a public endpoint (VNet integration projects
	// the API server into that subnet), or "Internet" when it has no authorized ranges and so
	// admits every address. Default none: no such rule (a private API server).
	APIServerPublicSources []string
	// NatGatewayName is the NAT gateway's Azure name. Required.
	NatGatewayName string
	// NatPublicIPName is the Azure name of the NAT gateway's public IP, or of its public IP prefix
	// when NatPublicIPPrefixLength is set. Required.
	NatPublicIPName string
	// NatIdleTimeoutMinutes is the NAT gateway's TCP idle timeout, 4-120. Default 4.
	NatIdleTimeoutMinutes int
	// NatPublicIPPrefixLength, 28-31, gives the NAT gateway a public IP prefix instead of one
	// static public IP. Default 0 (one static public IP).
	NatPublicIPPrefixLength int
	// Tags of every taggable resource. Default none.
	Tags pulumi.StringMapInput
}

// Network is the VNet, its subnets and NSGs, and the NAT gateway.
type Network struct {
	pulumi.ResourceState

	VnetID pulumi.StringOutput
	// SubnetIDs by role (nodes, apiServer, agc, privateEndpoints, postgres).
	SubnetIDs    pulumi.StringMapOutput
	NatGatewayID pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	need := func(field string, missing bool) {
		if missing {
			errs = append(errs, fmt.Errorf("network: %s is required", field))
		}
	}
	need("ResourceGroupName", a.ResourceGroupName == nil)
	need("Location", a.Location == nil)
	need("Name", a.Name == "")
	need("AddressSpace", a.AddressSpace == "")
	need("PodCIDR", a.PodCIDR == "")
	need("NatGatewayName", a.NatGatewayName == "")
	need("NatPublicIPName", a.NatPublicIPName == "")
	for _, role := range netplan.Roles {
		need(fmt.Sprintf("Subnets[%s]", role), a.Subnets[role] == "")
		need(fmt.Sprintf("SubnetNames[%s]", role), a.SubnetNames[role] == "")
		need(fmt.Sprintf("NSGNames[%s]", role), a.NSGNames[role] == "")
	}
	if t := a.NatIdleTimeoutMinutes; t != 0 && (t < 4 || t > 120) {
		errs = append(errs, fmt.Errorf("network: NatIdleTimeoutMinutes %d: want 4-120", t))
	}
	if p := a.NatPublicIPPrefixLength; p != 0 && (p < 28 || p > 31) {
		errs = append(errs, fmt.Errorf("network: NatPublicIPPrefixLength %d: want 28-31", p))
	}
	return errors.Join(errs...)
}

// New creates the network. Subnets are created one after the other (each depends on the one
// before): Azure rejects concurrent writes to the subnets of one VNet.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		return nil, errors.New("network: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	idle := args.NatIdleTimeoutMinutes
	if idle == 0 {
		idle = 4
	}

	c := &Network{}
	if err := ctx.RegisterComponentResource("platform:network:Network", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	// No inline subnets: the subnets are standalone resources below. Mixing both makes the two
	// fight over the VNet's subnet list (services.md §0).
	vnet, err := bindings.NewVirtualNetwork(ctx, name, &bindings.VirtualNetworkArgs{
		ResourceGroupName:  args.ResourceGroupName,
		Location:           args.Location,
		VirtualNetworkName: pulumi.String(args.Name),
		AddressSpace:       &bindings.AddressSpace{AddressPrefixes: pulumi.StringArray{pulumi.String(args.AddressSpace)}},
		Tags:               args.Tags,
	}, child)
	if err != nil {
		return nil, err
	}

	// Egress of the node subnet: a Standard NAT gateway with a static address the platform owns,
	// so the cluster can use outboundType userAssignedNATGateway and partners can allow-list it.
	// It is NOT zone-redundant: a Standard NAT gateway always runs in one availability zone, and
	// with no zones set Azure picks that zone. An outage of that zone stops the Internet egress of
	// the nodes in every zone (a subnet takes one NAT gateway). docs/base.md, "Egress and
	// availability zones", has the risk and what a team can do about it.
	natArgs := &bindings.NatGatewayArgs{
		ResourceGroupName:    args.ResourceGroupName,
		Location:             args.Location,
		NatGatewayName:       pulumi.String(args.NatGatewayName),
		Sku:                  &bindings.NameSku{Name: pulumi.String("Standard")},
		IdleTimeoutInMinutes: pulumi.Int(idle),
		Tags:                 args.Tags,
	}
	if args.NatPublicIPPrefixLength > 0 {
		prefix, err := bindings.NewPublicIPPrefix(ctx, name+"-nat", &bindings.PublicIPPrefixArgs{
			ResourceGroupName:      args.ResourceGroupName,
			Location:               args.Location,
			PublicIpPrefixName:     pulumi.String(args.NatPublicIPName),
			PrefixLength:           pulumi.Int(args.NatPublicIPPrefixLength),
			PublicIPAddressVersion: pulumi.String("IPv4"),
			Sku:                    &bindings.TieredSku{Name: pulumi.String("Standard"), Tier: pulumi.String("Regional")},
			Tags:                   args.Tags,
		}, child)
		if err != nil {
			return nil, err
		}
		natArgs.PublicIpPrefixes = []bindings.IDRef{{ID: prefix.ID()}}
	} else {
		ip, err := bindings.NewPublicIPAddress(ctx, name+"-nat", &bindings.PublicIPAddressArgs{
			ResourceGroupName:        args.ResourceGroupName,
			Location:                 args.Location,
			PublicIpAddressName:      pulumi.String(args.NatPublicIPName),
			PublicIPAllocationMethod: pulumi.String("Static"),
			PublicIPAddressVersion:   pulumi.String("IPv4"),
			Sku:                      &bindings.TieredSku{Name: pulumi.String("Standard"), Tier: pulumi.String("Regional")},
			Tags:                     args.Tags,
		}, child)
		if err != nil {
			return nil, err
		}
		natArgs.PublicIpAddresses = []bindings.IDRef{{ID: ip.ID()}}
	}
	nat, err := bindings.NewNatGateway(ctx, name+"-nat", natArgs, child)
	if err != nil {
		return nil, err
	}

	subnetIDs := pulumi.StringMap{}
	var previous pulumi.Resource
	for _, role := range netplan.Roles {
		nsg, err := bindings.NewNetworkSecurityGroup(ctx, fmt.Sprintf("%s-%s", name, role), &bindings.NetworkSecurityGroupArgs{
			ResourceGroupName:        args.ResourceGroupName,
			Location:                 args.Location,
			NetworkSecurityGroupName: pulumi.String(args.NSGNames[role]),
			SecurityRules:            securityRules(Rules(role, RulesInput{Subnets: args.Subnets, PodCIDR: args.PodCIDR, APIServerPublicSources: args.APIServerPublicSources})),
			Tags:                     args.Tags,
		}, child)
		if err != nil {
			return nil, err
		}
		sargs := &bindings.SubnetArgs{
			ResourceGroupName:  args.ResourceGroupName,
			VirtualNetworkName: vnet.Name,
			SubnetName:         pulumi.String(args.SubnetNames[role]),
			AddressPrefix:      pulumi.String(args.Subnets[role]),
			// Private subnet: no implicit outbound IP. The nodes leave through the NAT gateway;
			// the other subnets host no VMs of ours (delegated services and private endpoints).
			DefaultOutboundAccess: pulumi.Bool(false),
			NetworkSecurityGroup:  &bindings.IDRef{ID: nsg.ID().ToStringOutput()},
			// The private-endpoints subnet enforces its NSG on the endpoints (Azure ignores NSGs
			// on private endpoints unless this is Enabled); elsewhere it changes nothing.
			PrivateEndpointNetworkPolicies:    pulumi.String(peNetworkPolicies(role)),
			PrivateLinkServiceNetworkPolicies: pulumi.String("Enabled"),
		}
		if svc, ok := Delegations[role]; ok {
			sargs.Delegations = []bindings.Delegation{{Name: pulumi.String(string(role)), ServiceName: pulumi.String(svc)}}
		}
		if role == netplan.Nodes {
			sargs.NatGateway = &bindings.IDRef{ID: nat.ID().ToStringOutput()}
		}
		sopts := []pulumi.ResourceOption{child}
		if previous != nil {
			sopts = append(sopts, pulumi.DependsOn([]pulumi.Resource{previous}))
		}
		subnet, err := bindings.NewSubnet(ctx, fmt.Sprintf("%s-%s", name, role), sargs, sopts...)
		if err != nil {
			return nil, err
		}
		previous = subnet
		subnetIDs[string(role)] = subnet.ID().ToStringOutput()
	}

	c.VnetID = vnet.ID().ToStringOutput()
	c.SubnetIDs = subnetIDs.ToStringMapOutput()
	c.NatGatewayID = nat.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vnetId": c.VnetID, "subnetIds": c.SubnetIDs, "natGatewayId": c.NatGatewayID,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

func peNetworkPolicies(role netplan.Role) string {
	if role == netplan.PrivateEndpoints {
		return "Enabled"
	}
	return "Disabled"
}
