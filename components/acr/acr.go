// Package acr is the platform's container registry: no admin user, no anonymous pull, Entra ID
// (RBAC) access only; on Premium, zone redundancy, the content trust and retention policies, and a
// private endpoint with public network access disabled.
//
// It uses the registry API 2024-11-01-preview: anonymousPullEnabled exists only in the preview API
// versions the Pulumi SDK here carries (not in 2022-12-01 or 2023-07-01). Anonymous pull is off by
// default in every version, but only an API version that has the property can set it explicitly
// and show a registry where someone turned it on as drift.
package acr

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	cr "github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2/v20241101preview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/components/avm"
)

// SKUs of the registry.
const (
	Basic    = "Basic"
	Standard = "Standard"
	Premium  = "Premium"
)

// Args configures the registry.
type Args struct {
	// ResourceGroupName holds the registry. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the registry. Required.
	Location pulumi.StringInput
	// Name is the registry's Azure name (5-50 letters and digits, globally unique;
	// config.GlobalNames). An input: it carries the base layer's random suffix. Required.
	Name pulumi.StringInput
	// Sku is Basic, Standard or Premium. Default "Premium".
	Sku string
	// ZoneRedundancy spreads the registry over availability zones; it can only be set at
	// creation (Premium only). Default false.
	ZoneRedundancy bool
	// RetentionDays deletes untagged manifests after this many days, 1-365; 0 turns the policy
	// off (Premium only). Default 0.
	RetentionDays int
	// ContentTrust turns on the content trust (Notary) policy (Premium only). Default false.
	ContentTrust bool
	// DisablePublicNetworkAccess leaves the private endpoints as the only way in (Premium only;
	// needs at least one private endpoint). Default false.
	DisablePublicNetworkAccess bool
	// Protect sets Pulumi's protect on the registry. Default false.
	Protect bool
	// Tags of every resource. Default none.
	Tags pulumi.StringMapInput
	// Lock on the registry. Default none.
	Lock avm.Lock
	// RoleAssignments on the registry (AcrPull, AcrPush). Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the registry (repository and login events, metrics). Default none.
	DiagnosticSettings *avm.DiagnosticSettings
	// PrivateEndpoints of the registry (group "registry", Premium only). Default none.
	PrivateEndpoints []avm.PrivateEndpoint
}

// Registry is the registry and its lock, role assignments, diagnostics and private endpoints.
type Registry struct {
	pulumi.ResourceState

	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// LoginServer is <name>.azurecr.io.
	LoginServer pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	need := func(field string, missing bool) {
		if missing {
			errs = append(errs, fmt.Errorf("acr: %s is required", field))
		}
	}
	need("ResourceGroupName", a.ResourceGroupName == nil)
	need("Location", a.Location == nil)
	need("Name", a.Name == nil)
	sku := a.sku()
	if sku != Basic && sku != Standard && sku != Premium {
		errs = append(errs, fmt.Errorf("acr: Sku %q: want Basic, Standard or Premium", a.Sku))
	}
	if d := a.RetentionDays; d < 0 || d > 365 {
		errs = append(errs, fmt.Errorf("acr: RetentionDays %d: want 0 (off) or 1-365", d))
	}
	if sku != Premium {
		for field, on := range map[string]bool{
			"ZoneRedundancy":             a.ZoneRedundancy,
			"RetentionDays":              a.RetentionDays > 0,
			"ContentTrust":               a.ContentTrust,
			"DisablePublicNetworkAccess": a.DisablePublicNetworkAccess,
			"PrivateEndpoints":           len(a.PrivateEndpoints) > 0,
		} {
			if on {
				errs = append(errs, fmt.Errorf("acr: %s needs the Premium SKU (is %s)", field, sku))
			}
		}
	}
	if a.DisablePublicNetworkAccess && len(a.PrivateEndpoints) == 0 {
		errs = append(errs, errors.New("acr: DisablePublicNetworkAccess needs a private endpoint, or nothing can reach the registry"))
	}
	return errors.Join(sortErrors(errs)...)
}

func (a *Args) sku() string {
	if a.Sku == "" {
		return Premium
	}
	return a.Sku
}

// sortErrors orders errors by message, so a report built from map iteration is stable.
func sortErrors(errs []error) []error {
	slices.SortFunc(errs, func(x, y error) int { return strings.Compare(x.Error(), y.Error()) })
	return errs
}

func status(on bool) pulumi.StringPtrInput {
	if on {
		return pulumi.String("enabled")
	}
	return pulumi.String("disabled")
}

func enabled(on bool) pulumi.StringPtrInput {
	if on {
		return pulumi.String("Enabled")
	}
	return pulumi.String("Disabled")
}

// New creates the registry.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Registry, error) {
	if args == nil {
		return nil, errors.New("acr: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Registry{}
	if err := ctx.RegisterComponentResource("platform:acr:Registry", name, c, opts...); err != nil {
		return nil, err
	}
	sku := args.sku()
	regArgs := &cr.RegistryArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		RegistryName:      args.Name,
		Sku:               cr.SkuArgs{Name: pulumi.String(sku)},
		// Pulls and pushes authenticate with Entra ID and are authorized by AcrPull/AcrPush.
		AdminUserEnabled:     pulumi.Bool(false),
		AnonymousPullEnabled: pulumi.Bool(false),
		PublicNetworkAccess:  enabled(!args.DisablePublicNetworkAccess),
		// Trusted Azure services (e.g. Defender's image scanning) may still reach a closed registry.
		NetworkRuleBypassOptions: pulumi.String("AzureServices"),
		ZoneRedundancy:           enabled(args.ZoneRedundancy),
		// The login server stays <name>.azurecr.io (no hash suffix of the newer name-reuse scopes).
		AutoGeneratedDomainNameLabelScope: pulumi.String("Unsecure"),
		Tags:                              args.Tags,
	}
	if sku == Premium {
		retention := &cr.RetentionPolicyArgs{Status: status(args.RetentionDays > 0)}
		if args.RetentionDays > 0 {
			retention.Days = pulumi.Int(args.RetentionDays)
		}
		regArgs.Policies = &cr.PoliciesArgs{
			RetentionPolicy: retention,
			TrustPolicy:     &cr.TrustPolicyArgs{Status: status(args.ContentTrust), Type: pulumi.String("Notary")},
		}
	}
	reg, err := cr.NewRegistry(ctx, name, regArgs, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	id := reg.ID().ToStringOutput()
	target := avm.Target{ResourceGroupName: args.ResourceGroupName, Location: args.Location, Name: args.Name, ID: id, Tags: args.Tags}
	if err := avm.NewInterfaces(ctx, name, target, avm.Interfaces{
		Lock: args.Lock, RoleAssignments: args.RoleAssignments, DiagnosticSettings: args.DiagnosticSettings,
		PrivateEndpoints: args.PrivateEndpoints, PrivateEndpointGroup: "registry",
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}

	c.ID = id
	c.Name = reg.Name
	c.LoginServer = reg.LoginServer
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"id": c.ID, "name": c.Name, "loginServer": c.LoginServer}); err != nil {
		return nil, err
	}
	return c, nil
}
