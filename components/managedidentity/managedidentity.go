// Package managedidentity is a user-assigned managed identity with its federated identity
// credentials and the role assignments made on it. Workloads and the deployment pipeline sign in
// with such identities through OpenID Connect federation; nothing here holds a secret.
package managedidentity

import (
	"errors"
	"fmt"

	msi "github.com/pulumi/pulumi-azure-native-sdk/managedidentity/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/check"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/naming"
)

// TokenExchangeAudience is the audience Entra ID expects in a federated token.
const TokenExchangeAudience = "api://AzureADTokenExchange"

// MaxFederatedCredentials is Entra ID's limit of federated credentials on one identity.
const MaxFederatedCredentials = check.MaxFederatedCredentials

// FederatedCredential trusts tokens of an external OpenID Connect issuer for one subject.
type FederatedCredential struct {
	// Name is the credential's name inside its identity (3-120 letters, digits, '-', '_'). Required.
	Name string
	// Issuer is the https URL of the token issuer. Required.
	Issuer pulumi.StringInput
	// Subject is the token's subject (sub claim). Required.
	Subject pulumi.StringInput
	// Audience of the token: Entra takes exactly one per credential ("Federated identity
	// credentials must have exactly one audience"). Default TokenExchangeAudience.
	Audience string
}

// Args configures the identity.
type Args struct {
	// ResourceGroupName holds the identity. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the identity. Required.
	Location pulumi.StringInput
	// Name is the identity's Azure name. Required.
	Name string
	// FederatedCredentials on the identity, created one after another. Default none.
	FederatedCredentials []FederatedCredential
	// Protect sets Pulumi's protect on the identity. Default false.
	Protect bool
	// Tags of the identity. Default none.
	Tags pulumi.StringMapInput
	// Lock on the identity. Default none.
	Lock avm.Lock
	// RoleAssignments on the identity (e.g. Managed Identity Operator for the AKS control plane on
	// the kubelet identity). Default none.
	RoleAssignments []avm.RoleAssignment
}

// ManagedIdentity is the identity and what hangs on it.
type ManagedIdentity struct {
	pulumi.ResourceState

	// ID is the identity's ARM resource ID.
	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// ClientID is what workloads put in AZURE_CLIENT_ID.
	ClientID pulumi.StringOutput
	// PrincipalID is the object ID role assignments name.
	PrincipalID pulumi.StringOutput
	TenantID    pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	if a.ResourceGroupName == nil {
		errs = append(errs, errors.New("managedidentity: ResourceGroupName is required"))
	}
	if a.Location == nil {
		errs = append(errs, errors.New("managedidentity: Location is required"))
	}
	if a.Name == "" {
		errs = append(errs, errors.New("managedidentity: Name is required"))
	} else if err := naming.Check(naming.ManagedIdentity, a.Name); err != nil {
		errs = append(errs, fmt.Errorf("managedidentity: Name: %w", err))
	}
	errs = append(errs, validateCredentials("identity "+a.Name, a.FederatedCredentials))
	return errors.Join(errs...)
}

// validateCredentials checks the credentials of one identity (named in messages by identity).
func validateCredentials(identity string, creds []FederatedCredential) error {
	var errs []error
	if len(creds) > MaxFederatedCredentials {
		errs = append(errs, fmt.Errorf("managedidentity: %d federated credentials on %s, Entra ID allows %d per identity", len(creds), identity, MaxFederatedCredentials))
	}
	seen := map[string]bool{}
	for i, c := range creds {
		switch {
		case c.Name == "":
			errs = append(errs, fmt.Errorf("managedidentity: FederatedCredentials[%d].Name is required", i))
		case seen[c.Name]:
			errs = append(errs, fmt.Errorf("managedidentity: FederatedCredentials[%d].Name %q is used twice", i, c.Name))
		default:
			if err := naming.Check(naming.FederatedCredential, c.Name); err != nil {
				errs = append(errs, fmt.Errorf("managedidentity: FederatedCredentials[%d].Name: %w", i, err))
			}
		}
		seen[c.Name] = true
		if c.Issuer == nil {
			errs = append(errs, fmt.Errorf("managedidentity: FederatedCredentials[%d].Issuer is required", i))
		}
		if c.Subject == nil {
			errs = append(errs, fmt.Errorf("managedidentity: FederatedCredentials[%d].Subject is required", i))
		}
	}
	return errors.Join(errs...)
}

// New creates the identity, its federated credentials and the role assignments on it.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*ManagedIdentity, error) {
	if args == nil {
		return nil, errors.New("managedidentity: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &ManagedIdentity{}
	if err := ctx.RegisterComponentResource("platform:managedidentity:ManagedIdentity", name, c, opts...); err != nil {
		return nil, err
	}
	id, err := msi.NewUserAssignedIdentity(ctx, name, &msi.UserAssignedIdentityArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		ResourceName:      pulumi.String(args.Name),
		Tags:              args.Tags,
	}, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)
	if _, err := NewFederatedCredentials(ctx, name, args.ResourceGroupName, id.Name, args.FederatedCredentials, child); err != nil {
		return nil, err
	}
	rid := id.ID().ToStringOutput()
	if err := avm.NewLock(ctx, name, rid, args.Lock, child); err != nil {
		return nil, err
	}
	if err := avm.NewRoleAssignments(ctx, name, rid, args.RoleAssignments, child); err != nil {
		return nil, err
	}

	c.ID = rid
	c.Name = id.Name
	c.ClientID = id.ClientId
	c.PrincipalID = id.PrincipalId
	c.TenantID = id.TenantId
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"id": c.ID, "name": c.Name, "clientId": c.ClientID, "principalId": c.PrincipalID, "tenantId": c.TenantID,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// NewFederatedCredentials creates federated credentials on an existing identity (named by
// identityName in resourceGroupName), each depending on the one before: Azure rejects concurrent
// credential writes on one identity with 409 ConcurrentFederatedIdentityCredentialsWritesForSingle
// ManagedIdentity, and azure-native 2.x does not retry. Pulumi names are <name>-fic-<credential>.
// Later layers use it for the workload credentials that need the cluster's OIDC issuer.
func NewFederatedCredentials(ctx *pulumi.Context, name string, resourceGroupName, identityName pulumi.StringInput, creds []FederatedCredential, opts ...pulumi.ResourceOption) ([]*msi.FederatedIdentityCredential, error) {
	if err := validateCredentials("identity "+name, creds); err != nil {
		return nil, err
	}
	var out []*msi.FederatedIdentityCredential
	var previous pulumi.Resource
	for _, cr := range creds {
		audience := cr.Audience
		if audience == "" {
			audience = TokenExchangeAudience
		}
		// Delete before replace: Azure keeps an identity's issuer and subject pair unique ("Issuer
		// and subject combination already exists for this Managed Identity"), so the replacement
		// cannot exist beside the credential it replaces.
		o := append([]pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}, opts...)
		if previous != nil {
			o = append(o, pulumi.DependsOn([]pulumi.Resource{previous}))
		}
		f, err := msi.NewFederatedIdentityCredential(ctx, name+"-fic-"+cr.Name, &msi.FederatedIdentityCredentialArgs{
			ResourceGroupName:                       resourceGroupName,
			ResourceName:                            identityName,
			FederatedIdentityCredentialResourceName: pulumi.String(cr.Name),
			Issuer:                                  cr.Issuer,
			Subject:                                 cr.Subject,
			Audiences:                               pulumi.StringArray{pulumi.String(audience)},
		}, o...)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
		previous = f
	}
	return out, nil
}
