// Package privatedns holds the private DNS zones the platform's private endpoints (and the
// VNet-integrated PostgreSQL server and private AKS API server) register in, each linked to the
// VNet so that names resolve to private addresses inside it.
package privatedns

import (
	"errors"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
)

// Keys of the zones, as exported in the base contract.
const (
	KeyVault          = "keyVault"
	SQL               = "sql"
	Postgres          = "postgres"
	Blob              = "blob"
	DFS               = "dfs"
	ACR               = "acr"
	CognitiveServices = "cognitiveServices"
	AKS               = "aks"
)

// Zones returns the zone of every service the platform uses, by key. The privatelink names are
// Azure's (https://learn.microsoft.com/azure/private-link/private-endpoint-dns). postgresZone is
// the zone of the VNet-integrated PostgreSQL server: Azure requires a zone ending in
// .postgres.database.azure.com for private access, not the privatelink zone of private endpoints
// (https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private). The
// AKS zone privatelink.<region>.azmk8s.io is added only for a private API server. postgresZone is
// an input: it derives from the server's name, which carries the base layer's random suffix.
func Zones(region string, postgresZone pulumi.StringInput, privateAPIServer bool) map[string]pulumi.StringInput {
	z := map[string]pulumi.StringInput{
		KeyVault:          pulumi.String("privatelink.vaultcore.azure.net"),
		SQL:               pulumi.String("privatelink.database.windows.net"),
		Postgres:          postgresZone,
		Blob:              pulumi.String("privatelink.blob.core.windows.net"),
		DFS:               pulumi.String("privatelink.dfs.core.windows.net"),
		ACR:               pulumi.String("privatelink.azurecr.io"),
		CognitiveServices: pulumi.String("privatelink.cognitiveservices.azure.com"),
	}
	if privateAPIServer {
		z[AKS] = pulumi.String("privatelink." + region + ".azmk8s.io")
	}
	return z
}

// Args configures the zones.
type Args struct {
	// ResourceGroupName holds the zones. Required.
	ResourceGroupName pulumi.StringInput
	// Zones maps a key (see Zones) to a zone name. Required, at least one.
	Zones map[string]pulumi.StringInput
	// VnetID is the virtual network every zone is linked to. Required.
	VnetID pulumi.StringInput
	// LinkName names each zone's link to the VNet (a child of the zone). Required; the VNet's
	// name is a good choice.
	LinkName string
	// Tags of the zones and links. Default none.
	Tags pulumi.StringMapInput
}

// PrivateDNS is the zones and their VNet links.
type PrivateDNS struct {
	pulumi.ResourceState

	// ZoneIDs by key. Each ID resolves only once the zone is linked to the VNet, so whatever
	// registers in a zone also waits for name resolution to work.
	ZoneIDs pulumi.StringMapOutput
}

func (a *Args) validate() error {
	var errs []error
	if a.ResourceGroupName == nil {
		errs = append(errs, errors.New("privatedns: ResourceGroupName is required"))
	}
	if len(a.Zones) == 0 {
		errs = append(errs, errors.New("privatedns: Zones is required"))
	}
	for key, zone := range a.Zones {
		if zone == nil || zone == pulumi.String("") {
			errs = append(errs, fmt.Errorf("privatedns: zone %q has no name", key))
		}
	}
	if a.VnetID == nil {
		errs = append(errs, errors.New("privatedns: VnetID is required"))
	}
	if a.LinkName == "" {
		errs = append(errs, errors.New("privatedns: LinkName is required"))
	}
	return errors.Join(errs...)
}

// New creates the zones and links.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*PrivateDNS, error) {
	if args == nil {
		return nil, errors.New("privatedns: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &PrivateDNS{}
	if err := ctx.RegisterComponentResource("platform:privatedns:PrivateDNS", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	keys := make([]string, 0, len(args.Zones))
	for k := range args.Zones {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ids := pulumi.StringMap{}
	for _, key := range keys {
		// Private DNS is a global service: zones and links must say so (services.md §0).
		zone, err := bindings.NewPrivateZone(ctx, name+"-"+key, &bindings.PrivateZoneArgs{
			ResourceGroupName: args.ResourceGroupName,
			PrivateZoneName:   args.Zones[key],
			Location:          pulumi.String("global"),
			Tags:              args.Tags,
		}, child)
		if err != nil {
			return nil, err
		}
		link, err := bindings.NewVirtualNetworkLink(ctx, name+"-"+key, &bindings.VirtualNetworkLinkArgs{
			ResourceGroupName:      args.ResourceGroupName,
			PrivateZoneName:        zone.Name,
			VirtualNetworkLinkName: pulumi.String(args.LinkName),
			Location:               pulumi.String("global"),
			VirtualNetwork:         &bindings.IDRef{ID: args.VnetID},
			// Resolution only: records come from private endpoints' zone groups and from the
			// services themselves, never from VM auto-registration.
			RegistrationEnabled: pulumi.Bool(false),
			Tags:                args.Tags,
			// Delete before replace: a zone takes one link per virtual network ("Private zone ...
			// is already linked to the virtual network").
		}, child, pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return nil, err
		}
		ids[key] = pulumi.All(zone.ID(), link.ID()).ApplyT(func(v []any) string {
			return string(v[0].(pulumi.ID))
		}).(pulumi.StringOutput)
	}

	c.ZoneIDs = ids.ToStringMapOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"zoneIds": c.ZoneIDs}); err != nil {
		return nil, err
	}
	return c, nil
}
