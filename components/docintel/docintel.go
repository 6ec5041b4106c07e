// Package docintel is the platform's Document Intelligence: a Cognitive Services account of kind
// FormRecognizer with a custom subdomain (needed for Entra ID tokens and private endpoints), key
// (local) authentication disabled so only Entra identities with a role get in, public network
// access disabled and network ACLs denying by default, reached through a private endpoint in the
// cognitive services privatelink zone. It carries a system-assigned identity, for reading training
// data from storage should custom models be built.
package docintel

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-azure-native-sdk/cognitiveservices/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/components/avm"
)

// Args configures the account.
type Args struct {
	// ResourceGroupName holds the account. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the account. Required.
	Location pulumi.StringInput
	// Name is the account's Azure name and its custom subdomain (<name>.cognitiveservices.azure.com),
	// globally unique and immutable (config.GlobalNames). An input: it carries the base layer's
	// random suffix; a name that breaks the subdomain rule fails the update when it resolves.
	// Required.
	Name pulumi.StringInput
	// Sku is F0 or S0. Default "S0".
	Sku string
	// Protect sets Pulumi's protect on the account. Default false.
	Protect bool
	// Tags of every resource. Default none.
	Tags pulumi.StringMapInput
	// Lock on the account. Default none.
	Lock avm.Lock
	// RoleAssignments on the account, e.g. Cognitive Services User for the services that call
	// it. Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the account (audit and request logs, metrics). Default none.
	DiagnosticSettings *avm.DiagnosticSettings
	// PrivateEndpoints of the account (group "account"). Default none; with public access
	// disabled, the account is then unreachable.
	PrivateEndpoints []avm.PrivateEndpoint
}

// DocIntel is the account and its lock, role assignments, diagnostics and private endpoints.
type DocIntel struct {
	pulumi.ResourceState

	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// Endpoint is https://<name>.cognitiveservices.azure.com/.
	Endpoint pulumi.StringOutput
	// PrincipalID is the account's system-assigned identity.
	PrincipalID pulumi.StringOutput
}

// The custom subdomain rule: 2-64 lowercase letters, digits and hyphens, alphanumeric at both ends.
var reSubdomain = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$`)

func (a *Args) validate() error {
	var errs []error
	if a.ResourceGroupName == nil {
		errs = append(errs, errors.New("docintel: ResourceGroupName is required"))
	}
	if a.Location == nil {
		errs = append(errs, errors.New("docintel: Location is required"))
	}
	if a.Name == nil {
		errs = append(errs, errors.New("docintel: Name is required"))
	}
	if a.Sku != "" && a.Sku != "F0" && a.Sku != "S0" {
		errs = append(errs, fmt.Errorf("docintel: Sku %q: want F0 or S0", a.Sku))
	}
	return errors.Join(errs...)
}

// New creates the account.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*DocIntel, error) {
	if args == nil {
		return nil, errors.New("docintel: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	sku := args.Sku
	if sku == "" {
		sku = "S0"
	}

	c := &DocIntel{}
	if err := ctx.RegisterComponentResource("platform:docintel:DocIntel", name, c, opts...); err != nil {
		return nil, err
	}
	accountName := avm.CheckedName(args.Name, func(s string) error {
		if !reSubdomain.MatchString(s) {
			return fmt.Errorf("docintel: Name %q: want 2-64 lowercase letters, digits and '-', alphanumeric at both ends", s)
		}
		return nil
	})
	acct, err := cognitiveservices.NewAccount(ctx, name, &cognitiveservices.AccountArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		AccountName:       accountName,
		Kind:              pulumi.String("FormRecognizer"),
		Sku:               &cognitiveservices.SkuArgs{Name: pulumi.String(sku)},
		Identity:          &cognitiveservices.IdentityArgs{Type: cognitiveservices.ResourceIdentityTypeSystemAssigned},
		Properties: &cognitiveservices.AccountPropertiesArgs{
			CustomSubDomainName: accountName,
			DisableLocalAuth:    pulumi.Bool(true),
			PublicNetworkAccess: pulumi.String("Disabled"),
			NetworkAcls: &cognitiveservices.NetworkRuleSetArgs{
				DefaultAction: pulumi.String("Deny"),
			},
		},
		Tags: args.Tags,
	}, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	id := acct.ID().ToStringOutput()
	target := avm.Target{ResourceGroupName: args.ResourceGroupName, Location: args.Location, Name: args.Name, ID: id, Tags: args.Tags}
	if err := avm.NewInterfaces(ctx, name, target, avm.Interfaces{
		Lock: args.Lock, RoleAssignments: args.RoleAssignments, DiagnosticSettings: args.DiagnosticSettings,
		PrivateEndpoints: args.PrivateEndpoints, PrivateEndpointGroup: "account",
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}

	c.ID = id
	c.Name = acct.Name
	c.Endpoint = acct.Properties.Endpoint()
	c.PrincipalID = acct.Identity.PrincipalId().Elem()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"id": c.ID, "name": c.Name, "endpoint": c.Endpoint, "principalId": c.PrincipalID}); err != nil {
		return nil, err
	}
	return c, nil
}
