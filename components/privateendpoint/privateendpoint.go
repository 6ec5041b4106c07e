// Package privateendpoint is the reusable private endpoint of every data service: the endpoint
// in the private-endpoints subnet and its DNS zone group, which registers the endpoint's address
// in the service's privatelink zone.
package privateendpoint

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
)

// Args configures a private endpoint.
type Args struct {
	// ResourceGroupName holds the endpoint. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the endpoint (the VNet's region). Required.
	Location pulumi.StringInput
	// Name is the endpoint's Azure name (naming.PrivateEndpointName of its target's name, which
	// may carry the base layer's random suffix). Required.
	Name pulumi.StringInput
	// SubnetID is the private-endpoints subnet. Required.
	SubnetID pulumi.StringInput
	// TargetID is the resource the endpoint connects to. Required.
	TargetID pulumi.StringInput
	// GroupID is the target's sub-resource, e.g. vault, sqlServer, blob, dfs, registry, account.
	// Required.
	GroupID string
	// PrivateDNSZoneID is the privatelink zone the endpoint registers in. Required.
	PrivateDNSZoneID pulumi.StringInput
	// Tags of the endpoint. Default none.
	Tags pulumi.StringMapInput
}

// PrivateEndpoint is an endpoint and its DNS zone group.
type PrivateEndpoint struct {
	pulumi.ResourceState

	// ID is the endpoint's resource ID.
	ID pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	need := func(field string, missing bool) {
		if missing {
			errs = append(errs, fmt.Errorf("privateendpoint: %s is required", field))
		}
	}
	need("ResourceGroupName", a.ResourceGroupName == nil)
	need("Location", a.Location == nil)
	need("Name", a.Name == nil)
	need("SubnetID", a.SubnetID == nil)
	need("TargetID", a.TargetID == nil)
	need("GroupID", a.GroupID == "")
	need("PrivateDNSZoneID", a.PrivateDNSZoneID == nil)
	return errors.Join(errs...)
}

// New creates the endpoint (a manual approval is never needed: the deployer owns both ends) and
// its zone group.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*PrivateEndpoint, error) {
	if args == nil {
		return nil, errors.New("privateendpoint: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &PrivateEndpoint{}
	if err := ctx.RegisterComponentResource("platform:privateendpoint:PrivateEndpoint", name, c, opts...); err != nil {
		return nil, err
	}
	pe, err := bindings.NewPrivateEndpoint(ctx, name, &bindings.PrivateEndpointArgs{
		ResourceGroupName:          args.ResourceGroupName,
		Location:                   args.Location,
		PrivateEndpointName:        args.Name,
		CustomNetworkInterfaceName: pulumi.Sprintf("%s-nic", args.Name),
		Subnet:                     &bindings.SubnetRef{ID: args.SubnetID},
		PrivateLinkServiceConnections: []bindings.PrivateLinkServiceConnection{
			{
				Name:                 args.Name,
				PrivateLinkServiceId: args.TargetID,
				GroupIds:             pulumi.StringArray{pulumi.String(args.GroupID)},
			},
		},
		Tags: args.Tags,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	if _, err := bindings.NewPrivateDnsZoneGroup(ctx, name, &bindings.PrivateDnsZoneGroupArgs{
		ResourceGroupName:       args.ResourceGroupName,
		PrivateEndpointName:     pe.Name,
		PrivateDnsZoneGroupName: pulumi.String("default"),
		PrivateDnsZoneConfigs: []bindings.PrivateDnsZoneConfig{
			{Name: pulumi.String(args.GroupID), PrivateDnsZoneId: args.PrivateDNSZoneID},
		},
		// Delete before replace: an endpoint takes one zone group ("Cannot create more than one
		// private dns zone groups in the private endpoint").
	}, pulumi.Parent(c), pulumi.DeleteBeforeReplace(true)); err != nil {
		return nil, err
	}
	c.ID = pe.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"id": c.ID}); err != nil {
		return nil, err
	}
	return c, nil
}
