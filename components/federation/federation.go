// Package federation federates Kubernetes service accounts with user-assigned managed identities
// (workload identity): one federated identity credential per service account on its identity,
// trusting the cluster's OIDC issuer for the subject system:serviceaccount:<namespace>:<name>.
//
// Azure refuses concurrent federated credential writes on one identity (409
// ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity), and azure-native 2.x does
// not retry them, so the credentials of one identity are chained, each depending on the previous
// one; different identities proceed in parallel.
package federation

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/managedidentity/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/check"
)

// DefaultAudience is the audience Entra ID expects in a token exchanged for a workload identity.
const DefaultAudience = "api://AzureADTokenExchange"

// Args configures the federation.
type Args struct {
	// Issuer is the cluster's OIDC issuer URL. Required.
	Issuer pulumi.StringInput
	// Identities are the workload identities and their service accounts. Required (at least one).
	Identities []Identity
	// Audience of every credential. Default DefaultAudience.
	Audience string
}

// Identity is one user-assigned identity and the service accounts that act as it.
type Identity struct {
	// Key names the identity inside the component, e.g. its identity key "llm-service".
	// Required; unique.
	Key string
	// ID is the identity's resource ID; the credentials' resource group and parent name come from
	// it. Required.
	ID pulumi.StringInput
	// ServiceAccounts federated with the identity. Required (at least one).
	ServiceAccounts []ServiceAccount
}

// ServiceAccount is a Kubernetes service account.
type ServiceAccount struct {
	// Namespace of the service account. Required.
	Namespace string
	// Name of the service account. Required.
	Name string
	// CredentialName is the federated credential's name, unique within its identity (3-120
	// letters, digits, '-', '_'). Required.
	CredentialName string
}

// Subject is the token subject Kubernetes issues for a service account.
func (s ServiceAccount) Subject() string {
	return "system:serviceaccount:" + s.Namespace + ":" + s.Name
}

// Federation is the set of federated credentials.
type Federation struct {
	pulumi.ResourceState

	// Subjects maps each identity key to the subjects federated with it, comma-separated in the
	// order given, as the credentials report them.
	Subjects pulumi.StringMapOutput
}

func (a *Args) validate() error {
	var errs []error
	if a.Issuer == nil {
		errs = append(errs, errors.New("federation: Issuer is required"))
	}
	if len(a.Identities) == 0 {
		errs = append(errs, errors.New("federation: Identities are required (at least one)"))
	}
	keys := map[string]bool{}
	for i, id := range a.Identities {
		where := fmt.Sprintf("federation: Identities[%d] (%s)", i, id.Key)
		if id.Key == "" {
			errs = append(errs, fmt.Errorf("%s: Key is required", where))
		} else if keys[id.Key] {
			errs = append(errs, fmt.Errorf("%s: Key is used twice", where))
		}
		keys[id.Key] = true
		if id.ID == nil {
			errs = append(errs, fmt.Errorf("%s: ID is required", where))
		}
		if len(id.ServiceAccounts) == 0 {
			errs = append(errs, fmt.Errorf("%s: ServiceAccounts are required (at least one)", where))
		}
		if n := len(id.ServiceAccounts); n > check.MaxFederatedCredentials {
			errs = append(errs, fmt.Errorf("%s: %d service accounts, but Entra ID allows %d federated credentials per identity", where, n, check.MaxFederatedCredentials))
		}
		names, subjects := map[string]bool{}, map[string]bool{}
		for j, sa := range id.ServiceAccounts {
			at := fmt.Sprintf("%s.ServiceAccounts[%d]", where, j)
			if sa.Namespace == "" || sa.Name == "" || sa.CredentialName == "" {
				errs = append(errs, fmt.Errorf("%s: Namespace, Name and CredentialName are required", at))
			}
			if names[sa.CredentialName] {
				errs = append(errs, fmt.Errorf("%s: CredentialName %q is used twice on this identity", at, sa.CredentialName))
			}
			if subjects[sa.Subject()] {
				// Azure refuses a second credential with the same issuer and subject.
				errs = append(errs, fmt.Errorf("%s: subject %q is federated twice on this identity", at, sa.Subject()))
			}
			names[sa.CredentialName], subjects[sa.Subject()] = true, true
		}
	}
	return errors.Join(errs...)
}

// identityParts splits a user-assigned identity's resource ID into its resource group and name.
func identityParts(id string) (resourceGroup, name string, err error) {
	p := strings.Split(strings.Trim(id, "/"), "/")
	if len(p) != 8 || !strings.EqualFold(p[2], "resourceGroups") || !strings.EqualFold(p[4], "providers") ||
		!strings.EqualFold(p[5], "Microsoft.ManagedIdentity") || !strings.EqualFold(p[6], "userAssignedIdentities") {
		return "", "", fmt.Errorf("federation: %q is not a user-assigned identity's resource ID", id)
	}
	return p[3], p[7], nil
}

// New creates one credential per service account.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Federation, error) {
	if args == nil {
		return nil, errors.New("federation: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Federation{}
	if err := ctx.RegisterComponentResource("platform:federation:Federation", name, c, opts...); err != nil {
		return nil, err
	}
	audience := args.Audience
	if audience == "" {
		audience = DefaultAudience
	}
	subjects := pulumi.StringMap{}
	for _, id := range args.Identities {
		parts := id.ID.ToStringOutput().ApplyT(func(s string) ([]string, error) {
			rg, n, err := identityParts(s)
			return []string{rg, n}, err
		}).(pulumi.StringArrayOutput)
		var prev pulumi.Resource
		var own []any
		for _, sa := range id.ServiceAccounts {
			// Delete before replace: Azure keeps an identity's issuer and subject pair unique, so a
			// replacement cannot be created beside the credential it replaces.
			ficOpts := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.DeleteBeforeReplace(true)}
			if prev != nil {
				ficOpts = append(ficOpts, pulumi.DependsOn([]pulumi.Resource{prev}))
			}
			fic, err := managedidentity.NewFederatedIdentityCredential(ctx, fmt.Sprintf("%s-%s-%s", name, id.Key, sa.CredentialName), &managedidentity.FederatedIdentityCredentialArgs{
				ResourceGroupName:                       parts.Index(pulumi.Int(0)),
				ResourceName:                            parts.Index(pulumi.Int(1)),
				FederatedIdentityCredentialResourceName: pulumi.String(sa.CredentialName),
				Issuer:                                  args.Issuer,
				Subject:                                 pulumi.String(sa.Subject()),
				Audiences:                               pulumi.StringArray{pulumi.String(audience)},
			}, ficOpts...)
			if err != nil {
				return nil, err
			}
			prev = fic
			own = append(own, fic.Subject)
		}
		subjects[id.Key] = pulumi.All(own...).ApplyT(func(vs []any) string {
			out := make([]string, len(vs))
			for i, v := range vs {
				out[i] = v.(string)
			}
			return strings.Join(out, ",")
		}).(pulumi.StringOutput)
	}
	c.Subjects = subjects.ToStringMapOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"subjects": c.Subjects}); err != nil {
		return nil, err
	}
	return c, nil
}
