// Package dashboardapp is the app registration the platform's dashboards sign users in with, in
// the platform's workforce tenant (the azuread provider's default tenant, not External ID):
// Grafana with its own Entra ID login and oauth2-proxy in front of Prometheus and Alertmanager.
//
// New (identity layer) creates the registration with one app role, Admin, its service principal
// with assignment required, and the role's assignment to one group: Entra ID issues a token to
// that group's members only, and Grafana maps the role to its Admin. NewClients (aks layer) adds
// what needs the cluster and the Front Door endpoint: the web redirect URIs and one federated
// identity credential per Kubernetes service account that signs in as the app, trusting the
// cluster's OIDC issuer, so that no client secret or certificate exists.
package dashboardapp

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"

	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/naming"
)

// AdminRole is the value of the app role the admin group is assigned; Grafana maps it to its
// Admin role (auth.azuread reads the roles claim).
const AdminRole = "Admin"

// Microsoft Graph and the delegated permissions a sign-in needs: openid, profile, email. The IDs
// are the same in every tenant.
const (
	MicrosoftGraphAppID = "00000003-0000-0000-c000-000000000000"
	GraphOpenID         = "37f7f235-527c-4136-accd-4a02d197296e"
	GraphProfile        = "14dad69e-099b-42c9-810b-d002981feec1"
	GraphEmail          = "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0"
)

// GraphScopes are the delegated scopes the app declares, in this order.
var GraphScopes = []string{GraphOpenID, GraphProfile, GraphEmail}

// DefaultAudience is the audience Entra ID expects in a token exchanged through a federated
// credential.
const DefaultAudience = "api://AzureADTokenExchange"

// AdminRoleID is the app role's ID. It derives from a fixed key, never from the display name:
// Graph refuses to change or remove an enabled role.
var AdminRoleID = naming.GUID("dashboards", "role", AdminRole)

// Args configures the registration.
type Args struct {
	// DisplayName of the registration. Required.
	DisplayName string
	// AdminGroupObjectID is the group whose members may sign in, as Admins. Required.
	AdminGroupObjectID pulumi.StringInput
}

// App is the registration's identifiers.
type App struct {
	pulumi.ResourceState

	// ClientID is the application (client) ID the dashboards sign in with.
	ClientID pulumi.StringOutput
	// ApplicationID is the registration's resource ID (/applications/<object ID>), which
	// NewClients attaches redirect URIs and federated credentials to.
	ApplicationID pulumi.StringOutput
	// ServicePrincipalObjectID is the app's service principal in the tenant.
	ServicePrincipalObjectID pulumi.StringOutput
}

// New creates the registration, its role, its service principal and the group's assignment.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*App, error) {
	if args == nil {
		return nil, errors.New("dashboardapp: args are required")
	}
	var errs []error
	if args.DisplayName == "" {
		errs = append(errs, errors.New("dashboardapp: DisplayName is required"))
	}
	if args.AdminGroupObjectID == nil {
		errs = append(errs, errors.New("dashboardapp: AdminGroupObjectID is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c := &App{}
	if err := ctx.RegisterComponentResource("platform:dashboardapp:App", name, c, opts...); err != nil {
		return nil, err
	}
	in := pulumi.Parent(c)

	reg, err := azuread.NewApplicationRegistration(ctx, name, &azuread.ApplicationRegistrationArgs{
		DisplayName:                 pulumi.String(args.DisplayName),
		Description:                 pulumi.String("Sign-in of the platform's Grafana, Prometheus and Alertmanager (platform administrators only)"),
		SignInAudience:              pulumi.String("AzureADMyOrg"),
		RequestedAccessTokenVersion: pulumi.Int(2),
		// The groups claim holds only the groups assigned to the app (the admin group): no group
		// overage, no other group's ID in the token.
		GroupMembershipClaims: pulumi.StringArray{pulumi.String("ApplicationGroup")},
		// Authorization code flow only (Grafana with PKCE, oauth2-proxy).
		ImplicitIdTokenIssuanceEnabled:     pulumi.Bool(false),
		ImplicitAccessTokenIssuanceEnabled: pulumi.Bool(false),
	}, in)
	if err != nil {
		return nil, err
	}
	appID := reg.ID().ToStringOutput()
	role, err := azuread.NewApplicationAppRole(ctx, name+"-admin", &azuread.ApplicationAppRoleArgs{
		ApplicationId:      appID,
		RoleId:             pulumi.String(AdminRoleID),
		Value:              pulumi.String(AdminRole),
		DisplayName:        pulumi.String("Administrator"),
		Description:        pulumi.String("Administers the platform's dashboards (Grafana Admin; Prometheus and Alertmanager)."),
		AllowedMemberTypes: pulumi.StringArray{pulumi.String("User")},
	}, in)
	if err != nil {
		return nil, err
	}
	var scopes pulumi.StringArray
	for _, s := range GraphScopes {
		scopes = append(scopes, pulumi.String(s))
	}
	if _, err := azuread.NewApplicationApiAccess(ctx, name+"-graph", &azuread.ApplicationApiAccessArgs{
		ApplicationId: appID,
		ApiClientId:   pulumi.String(MicrosoftGraphAppID),
		ScopeIds:      scopes,
	}, in); err != nil {
		return nil, err
	}
	sp, err := azuread.NewServicePrincipal(ctx, name, &azuread.ServicePrincipalArgs{
		ClientId: reg.ClientId,
		// Entra ID refuses a token to anyone not assigned: only the admin group is.
		AppRoleAssignmentRequired: pulumi.Bool(true),
	}, in, pulumi.DeleteBeforeReplace(true)) // one service principal per application
	if err != nil {
		return nil, err
	}
	if _, err := azuread.NewAppRoleAssignment(ctx, name+"-admins", &azuread.AppRoleAssignmentArgs{
		AppRoleId:         role.RoleId,
		PrincipalObjectId: args.AdminGroupObjectID,
		ResourceObjectId:  sp.ObjectId,
	}, in); err != nil {
		return nil, err
	}

	c.ClientID = reg.ClientId
	c.ApplicationID = appID
	c.ServicePrincipalObjectID = sp.ObjectId
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"clientId": c.ClientID, "applicationId": c.ApplicationID, "servicePrincipalObjectId": c.ServicePrincipalObjectID,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// ServiceAccount is a Kubernetes service account that signs in as the app.
type ServiceAccount struct {
	// Namespace and Name of the service account. Required.
	Namespace, Name string
}

// Subject is the token subject Kubernetes issues for the service account.
func (s ServiceAccount) Subject() string {
	return "system:serviceaccount:" + s.Namespace + ":" + s.Name
}

// CredentialName is the federated credential's display name: unique on the app, 3-120 letters,
// digits, '-' and '_'.
func (s ServiceAccount) CredentialName() string {
	return naming.FederatedCredentialName(s.Namespace, s.Name)
}

// ClientsArgs configures what the clients of the app need.
type ClientsArgs struct {
	// ApplicationID is the registration's resource ID (App.ApplicationID). Required.
	ApplicationID pulumi.StringInput
	// RedirectURIs are the web redirect URIs (https URLs with a path). Required (at least one).
	RedirectURIs []pulumi.StringInput
	// Issuer is the cluster's OIDC issuer URL. Required.
	Issuer pulumi.StringInput
	// ServiceAccounts federated with the app. Required (at least one), unique.
	ServiceAccounts []ServiceAccount
	// Audience of every credential. Default DefaultAudience.
	Audience string
}

// Clients is the redirect URIs and federated credentials of the app.
type Clients struct {
	pulumi.ResourceState

	// Subjects are the federated subjects, in the order given.
	Subjects pulumi.StringArrayOutput
}

var reCredential = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$`)

func (a *ClientsArgs) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("dashboardapp: "+format, v...)) }
	if a.ApplicationID == nil {
		add("ApplicationID is required")
	}
	if a.Issuer == nil {
		add("Issuer is required")
	}
	if len(a.RedirectURIs) == 0 {
		add("RedirectURIs are required (at least one)")
	}
	for i, u := range a.RedirectURIs {
		if u == nil {
			add("RedirectURIs[%d] is nil", i)
		}
	}
	if len(a.ServiceAccounts) == 0 {
		add("ServiceAccounts are required (at least one)")
	}
	seen := map[string]bool{}
	for i, sa := range a.ServiceAccounts {
		if sa.Namespace == "" || sa.Name == "" {
			add("ServiceAccounts[%d]: Namespace and Name are required", i)
			continue
		}
		if seen[sa.Subject()] {
			add("ServiceAccounts[%d]: %s is listed twice (Entra ID refuses a second credential with the same issuer and subject)", i, sa.Subject())
		}
		seen[sa.Subject()] = true
		if !reCredential.MatchString(sa.CredentialName()) {
			add("ServiceAccounts[%d]: credential name %q: want 3-120 letters, digits, '-' and '_'", i, sa.CredentialName())
		}
	}
	return errors.Join(errs...)
}

// CheckRedirectURI reports why a redirect URI is not one Entra ID takes for a web client: an https
// URL with a host and a path, no fragment.
func CheckRedirectURI(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return err
	case u.Scheme != "https" || u.Host == "":
		return fmt.Errorf("want an https URL with a host")
	case u.Path == "" || u.Fragment != "" || u.RawQuery != "":
		return fmt.Errorf("want a path and no query or fragment")
	}
	return nil
}

// NewClients sets the app's web redirect URIs and federates the service accounts with it.
func NewClients(ctx *pulumi.Context, name string, args *ClientsArgs, opts ...pulumi.ResourceOption) (*Clients, error) {
	if args == nil {
		return nil, errors.New("dashboardapp: clients args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Clients{}
	if err := ctx.RegisterComponentResource("platform:dashboardapp:Clients", name, c, opts...); err != nil {
		return nil, err
	}
	in := pulumi.Parent(c)
	var uris pulumi.StringArray
	for _, u := range args.RedirectURIs {
		uris = append(uris, u.ToStringOutput().ApplyT(func(s string) (string, error) {
			if err := CheckRedirectURI(s); err != nil {
				return "", fmt.Errorf("dashboardapp: redirect URI %q: %w", s, err)
			}
			return s, nil
		}).(pulumi.StringOutput))
	}
	redirects, err := azuread.NewApplicationRedirectUris(ctx, name+"-web", &azuread.ApplicationRedirectUrisArgs{
		ApplicationId: args.ApplicationID,
		Type:          pulumi.String("Web"),
		RedirectUris:  uris,
	}, in)
	if err != nil {
		return nil, err
	}
	audience := args.Audience
	if audience == "" {
		audience = DefaultAudience
	}
	// Writes to one application are chained: Graph answers concurrent updates of the same
	// object with conflicts.
	var prev pulumi.Resource = redirects
	var subjects pulumi.StringArray
	for _, sa := range args.ServiceAccounts {
		// Issuer and subject are unique on an application: a replacement is created after
		// the credential it replaces is deleted.
		o := []pulumi.ResourceOption{in, pulumi.DependsOn([]pulumi.Resource{prev}), pulumi.DeleteBeforeReplace(true)}
		fic, err := azuread.NewApplicationFederatedIdentityCredential(ctx, name+"-"+sa.CredentialName(), &azuread.ApplicationFederatedIdentityCredentialArgs{
			ApplicationId: args.ApplicationID,
			DisplayName:   pulumi.String(sa.CredentialName()),
			Description:   pulumi.String("Workload identity of " + sa.Namespace + "/" + sa.Name + " (dashboards sign-in)"),
			Issuer:        args.Issuer,
			Subject:       pulumi.String(sa.Subject()),
			Audiences:     pulumi.StringArray{pulumi.String(audience)},
		}, o...)
		if err != nil {
			return nil, err
		}
		prev = fic
		subjects = append(subjects, fic.Subject)
	}
	c.Subjects = subjects.ToStringArrayOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"subjects": c.Subjects}); err != nil {
		return nil, err
	}
	return c, nil
}
