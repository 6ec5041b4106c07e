// Package externalid is the platform's customer identity: an Entra External ID (CIAM) tenant,
// created here or referenced by ID, and the app registrations inside it (the single-page app, the
// mobile app, one API per microservice with a delegated scope and app roles), managed through an
// azuread provider signed in to that tenant. No registration receives a password or certificate:
// the SPA and the mobile app are public clients, the APIs only validate tokens.
package externalid

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/check"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/naming"
)

// Modes of the tenant.
const (
	// ModeCreate creates the tenant (a one-time, long-running operation).
	ModeCreate = "create"
	// ModeExisting references a tenant that exists already.
	ModeExisting = "existing"
)

// ScopeValue is the delegated scope every API exposes.
const ScopeValue = "access_as_user"

// Microsoft Graph and its delegated permissions every client needs to sign users in (openid) and
// to keep them signed in (offline_access). These IDs are the same in every tenant.
const (
	MicrosoftGraphAppID = "00000003-0000-0000-c000-000000000000"
	GraphOpenID         = "37f7f235-527c-4136-accd-4a02d197296e"
	GraphOfflineAccess  = "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"
)

// AppRole is an app role every API defines, assignable to users and groups of the tenant.
type AppRole struct {
	Value, DisplayName, Description string
}

// AppRoles are the roles of every API; services authorize on the roles claim.
var AppRoles = []AppRole{
	{Value: "Admin", DisplayName: "Administrator", Description: "Administers the service for the customer's organization."},
	{Value: "User", DisplayName: "User", Description: "Uses the service."},
}

// Client is a public client registration (no secret).
type Client struct {
	// Name is the registration's display name. Required.
	Name string
	// RedirectURIs of the client. SPA: check.SPARedirectURI's rule (https with a path, e.g.
	// "https://app.example.com/"; http only for localhost). Mobile: check.MobileRedirectURI's
	// (a platform URI with a host, e.g. "com.example.app://auth").
	// Default none.
	RedirectURIs []string
}

// API is one microservice's API registration.
type API struct {
	// Key names the API in the outputs (the service name). Required, unique.
	Key string
	// Name is the registration's display name. Required.
	Name string
}

// Args configures the tenant and its registrations.
type Args struct {
	// Mode is ModeCreate or ModeExisting. Required.
	Mode string

	// ResourceGroupName holds the tenant resource. Required with ModeCreate.
	ResourceGroupName pulumi.StringInput
	// DomainName is the new tenant's initial domain prefix (<domainName>.onmicrosoft.com) and its
	// ciamlogin.com subdomain, 1-26 lowercase letters and digits. Required with ModeCreate.
	DomainName string
	// DisplayName of the new tenant. Required with ModeCreate.
	DisplayName string
	// CountryCode of the new tenant, e.g. "US". Required with ModeCreate.
	CountryCode string
	// DataResidency of the new tenant: "United States", "Europe", "Asia Pacific" or "Australia".
	// Required with ModeCreate.
	DataResidency string
	// Protect sets Pulumi's protect on the created tenant. Default false.
	Protect bool
	// Lock on the created tenant resource (mode create only). Default none.
	Lock avm.Lock
	// Tags of the tenant resource. Default none.
	Tags pulumi.StringMapInput

	// TenantID of the existing tenant. Required with ModeExisting.
	TenantID string
	// TenantSubdomain of the existing tenant (<subdomain>.ciamlogin.com). Default with
	// ModeExisting: the tenant ID, which ciamlogin.com accepts as the host too (Microsoft's
	// External ID federation guides register https://<tenant ID>.ciamlogin.com/<tenant ID>/...).
	TenantSubdomain string

	// DeployerClientID is the app registration in the tenant that deployments sign in as, with
	// OpenID Connect federation. Default "": the Azure CLI login.
	DeployerClientID string
	// DeployerObjectID is that app's service principal; it owns every registration. Required with
	// DeployerClientID.
	DeployerObjectID string

	// SPA is the single-page application. Required (Name).
	SPA Client
	// Mobile is the mobile app. Required (Name).
	Mobile Client
	// APIs are the microservices' API registrations. Default none.
	APIs []API
}

// ExternalID is the tenant reference and the registrations' identifiers.
type ExternalID struct {
	pulumi.ResourceState

	TenantID pulumi.StringOutput
	// Authority is https://<subdomain>.ciamlogin.com/<tenant ID>/v2.0.
	Authority      pulumi.StringOutput
	SPAClientID    pulumi.StringOutput
	MobileClientID pulumi.StringOutput
	// APIClientIDs and APIScopes (api://<client ID>/access_as_user) are keyed by API key.
	APIClientIDs pulumi.StringMapOutput
	APIScopes    pulumi.StringMapOutput
}

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("externalid: "+format, v...)) }
	switch a.Mode {
	case ModeCreate:
		if a.ResourceGroupName == nil {
			add("ResourceGroupName is required with mode create")
		}
		if !check.CIAMDomain(a.DomainName) {
			add("DomainName %q: want 1-26 lowercase letters and digits", a.DomainName)
		}
		for field, v := range map[string]string{"DisplayName": a.DisplayName, "CountryCode": a.CountryCode, "DataResidency": a.DataResidency} {
			if v == "" {
				add("%s is required with mode create", field)
			}
		}
		if a.TenantID != "" || a.TenantSubdomain != "" {
			add("TenantID and TenantSubdomain are only used with mode existing")
		}
		if a.Lock != avm.LockNone && a.Lock != avm.LockCanNotDelete {
			add("Lock %q: want CanNotDelete or none", a.Lock)
		}
	case ModeExisting:
		if !check.GUID(a.TenantID) {
			add("TenantID %q: want a GUID", a.TenantID)
		}
		if a.TenantSubdomain != "" && !check.CIAMDomain(a.TenantSubdomain) {
			add("TenantSubdomain %q: want 1-26 lowercase letters and digits", a.TenantSubdomain)
		}
		if a.DomainName != "" {
			add("DomainName is only used with mode create")
		}
		if a.Lock != avm.LockNone {
			add("Lock is only used with mode create (an existing tenant is not a resource of the platform)")
		}
	default:
		add("Mode %q: want %s or %s", a.Mode, ModeCreate, ModeExisting)
	}
	if a.DeployerClientID != "" && !check.GUID(a.DeployerClientID) {
		add("DeployerClientID %q: want a GUID", a.DeployerClientID)
	}
	if (a.DeployerClientID == "") != (a.DeployerObjectID == "") {
		add("DeployerClientID and DeployerObjectID go together")
	} else if a.DeployerObjectID != "" && !check.GUID(a.DeployerObjectID) {
		add("DeployerObjectID %q: want a GUID", a.DeployerObjectID)
	}
	if a.SPA.Name == "" {
		add("SPA.Name is required")
	}
	for i, u := range a.SPA.RedirectURIs {
		if err := check.SPARedirectURI(u); err != nil {
			add("SPA.RedirectURIs[%d] %q: %v", i, u, err)
		}
	}
	if a.Mobile.Name == "" {
		add("Mobile.Name is required")
	}
	for i, u := range a.Mobile.RedirectURIs {
		if err := check.MobileRedirectURI(u); err != nil {
			add("Mobile.RedirectURIs[%d] %q: %v", i, u, err)
		}
	}
	keys := map[string]bool{}
	for i, api := range a.APIs {
		if api.Key == "" || keys[api.Key] {
			add("APIs[%d].Key %q: want a unique, non-empty key", i, api.Key)
		}
		keys[api.Key] = true
		if api.Name == "" {
			add("APIs[%d].Name is required", i)
		}
	}
	return errors.Join(errs...)
}

// New creates (or references) the tenant and creates the registrations.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*ExternalID, error) {
	if args == nil {
		return nil, errors.New("externalid: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &ExternalID{}
	if err := ctx.RegisterComponentResource("platform:externalid:ExternalID", name, c, opts...); err != nil {
		return nil, err
	}

	var tenantID pulumi.StringOutput
	subdomain := args.TenantSubdomain
	if args.Mode == ModeCreate {
		tenant, err := bindings.NewCIAMTenant(ctx, name, &bindings.CIAMTenantArgs{
			ResourceGroupName: args.ResourceGroupName,
			ResourceName:      pulumi.String(args.DomainName),
			Location:          pulumi.String(args.DataResidency),
			CreateTenantProperties: &bindings.CreateCIAMTenantProperties{
				CountryCode: pulumi.String(args.CountryCode),
				DisplayName: pulumi.String(args.DisplayName),
			},
			Sku:  &bindings.CIAMSku{Name: pulumi.String(bindings.CIAMSkuStandard), Tier: pulumi.String(bindings.CIAMSkuTierA0)},
			Tags: args.Tags,
			// Azure reads createTenantProperties only at creation and never returns them.
		}, pulumi.Parent(c), pulumi.Protect(args.Protect), pulumi.IgnoreChanges([]string{"createTenantProperties"}))
		if err != nil {
			return nil, err
		}
		// Deleting the tenant resource deletes the tenant and every customer account in it.
		if err := avm.NewLock(ctx, name+"-tenant", tenant.ID().ToStringOutput(), args.Lock, pulumi.Parent(c)); err != nil {
			return nil, err
		}
		tenantID = tenant.TenantID
		subdomain = args.DomainName
	} else {
		tenantID = pulumi.String(args.TenantID).ToStringOutput()
		if subdomain == "" {
			subdomain = args.TenantID
		}
	}
	c.TenantID = tenantID
	c.Authority = pulumi.Sprintf("https://%s.ciamlogin.com/%s/v2.0", subdomain, tenantID)

	// A managed identity cannot sign in to another tenant (the provider's tenantId "works with all
	// authentication methods except Managed Identity"), so the provider either federates an app
	// registration of that tenant with the pipeline's OIDC token, or uses the Azure CLI login.
	pargs := &azuread.ProviderArgs{TenantId: tenantID, UseMsi: pulumi.Bool(false)}
	if args.DeployerClientID != "" {
		pargs.ClientId = pulumi.String(args.DeployerClientID)
		pargs.UseOidc = pulumi.Bool(true)
		pargs.UseCli = pulumi.Bool(false)
	} else {
		pargs.UseOidc = pulumi.Bool(false)
		pargs.UseCli = pulumi.Bool(true)
	}
	provider, err := azuread.NewProvider(ctx, name, pargs, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	in := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(provider)}
	var owners pulumi.StringArrayInput
	if args.DeployerObjectID != "" {
		owners = pulumi.StringArray{pulumi.String(args.DeployerObjectID)}
	}

	apiClientIDs, apiScopes := pulumi.StringMap{}, pulumi.StringMap{}
	var apiApps []*azuread.Application
	var apiScopeIDs []string
	access := azuread.ApplicationRequiredResourceAccessArray{
		azuread.ApplicationRequiredResourceAccessArgs{
			ResourceAppId: pulumi.String(MicrosoftGraphAppID),
			ResourceAccesses: azuread.ApplicationRequiredResourceAccessResourceAccessArray{
				azuread.ApplicationRequiredResourceAccessResourceAccessArgs{Id: pulumi.String(GraphOpenID), Type: pulumi.String("Scope")},
				azuread.ApplicationRequiredResourceAccessResourceAccessArgs{Id: pulumi.String(GraphOfflineAccess), Type: pulumi.String("Scope")},
			},
		},
	}
	for _, api := range args.APIs {
		an := name + "-api-" + api.Key
		// The scope and app-role IDs derive from the API key alone: they must never change, since
		// Graph refuses to change or remove an enabled scope or role, and the display name moves
		// with the prefix, environment and region.
		scopeID := naming.GUID(api.Key, "scope", ScopeValue)
		roles := azuread.ApplicationAppRoleTypeArray{}
		for _, r := range AppRoles {
			roles = append(roles, azuread.ApplicationAppRoleTypeArgs{
				Id:                 pulumi.String(naming.GUID(api.Key, "role", r.Value)),
				Value:              pulumi.String(r.Value),
				DisplayName:        pulumi.String(r.DisplayName),
				Description:        pulumi.String(r.Description),
				AllowedMemberTypes: pulumi.ToStringArray([]string{"User"}),
				Enabled:            pulumi.Bool(true),
			})
		}
		app, err := azuread.NewApplication(ctx, an, &azuread.ApplicationArgs{
			DisplayName:    pulumi.String(api.Name),
			SignInAudience: pulumi.String("AzureADMyOrg"),
			Owners:         owners,
			Api: azuread.ApplicationApiArgs{
				RequestedAccessTokenVersion: pulumi.Int(2),
				Oauth2PermissionScopes: azuread.ApplicationApiOauth2PermissionScopeArray{
					azuread.ApplicationApiOauth2PermissionScopeArgs{
						Id:                      pulumi.String(scopeID),
						Value:                   pulumi.String(ScopeValue),
						Type:                    pulumi.String("User"),
						Enabled:                 pulumi.Bool(true),
						AdminConsentDisplayName: pulumi.String("Access " + api.Key),
						AdminConsentDescription: pulumi.String("Lets the app call " + api.Key + " on behalf of the signed-in user."),
						UserConsentDisplayName:  pulumi.String("Access " + api.Key),
						UserConsentDescription:  pulumi.String("Lets the app call " + api.Key + " on your behalf."),
					},
				},
			},
			AppRoles: roles,
			// The identifier URI api://<client ID> needs the client ID, so a separate resource sets it.
		}, append(in, pulumi.IgnoreChanges([]string{"identifierUris"}))...)
		if err != nil {
			return nil, err
		}
		uri, err := azuread.NewApplicationIdentifierUri(ctx, an, &azuread.ApplicationIdentifierUriArgs{
			ApplicationId: app.ID().ToStringOutput(),
			IdentifierUri: pulumi.Sprintf("api://%s", app.ClientId),
		}, uniqueTuple(in)...)
		if err != nil {
			return nil, err
		}
		if _, err := azuread.NewServicePrincipal(ctx, an, &azuread.ServicePrincipalArgs{
			ClientId:                  app.ClientId,
			Owners:                    owners,
			AppRoleAssignmentRequired: pulumi.Bool(false),
		}, uniqueTuple(in)...); err != nil {
			return nil, err
		}
		apiApps = append(apiApps, app)
		apiScopeIDs = append(apiScopeIDs, scopeID)
		apiClientIDs[api.Key] = app.ClientId
		apiScopes[api.Key] = pulumi.Sprintf("%s/%s", uri.IdentifierUri, ScopeValue)
		access = append(access, azuread.ApplicationRequiredResourceAccessArgs{
			ResourceAppId: app.ClientId,
			ResourceAccesses: azuread.ApplicationRequiredResourceAccessResourceAccessArray{
				azuread.ApplicationRequiredResourceAccessResourceAccessArgs{Id: pulumi.String(scopeID), Type: pulumi.String("Scope")},
			},
		})
	}

	spaArgs := &azuread.ApplicationArgs{
		DisplayName:              pulumi.String(args.SPA.Name),
		SignInAudience:           pulumi.String("AzureADMyOrg"),
		Owners:                   owners,
		RequiredResourceAccesses: access,
	}
	if len(args.SPA.RedirectURIs) > 0 {
		spaArgs.SinglePageApplication = azuread.ApplicationSinglePageApplicationArgs{RedirectUris: pulumi.ToStringArray(args.SPA.RedirectURIs)}
	}
	spa, err := newClient(ctx, name+"-spa", spaArgs, owners, in)
	if err != nil {
		return nil, err
	}
	mobileArgs := &azuread.ApplicationArgs{
		DisplayName:              pulumi.String(args.Mobile.Name),
		SignInAudience:           pulumi.String("AzureADMyOrg"),
		Owners:                   owners,
		RequiredResourceAccesses: access,
		// The app signs in through the system browser with authorization code + PKCE and its
		// redirect URIs; flows without a redirect URI (device code, ROPC) stay off.
		FallbackPublicClientEnabled: pulumi.Bool(false),
	}
	if len(args.Mobile.RedirectURIs) > 0 {
		mobileArgs.PublicClient = azuread.ApplicationPublicClientArgs{RedirectUris: pulumi.ToStringArray(args.Mobile.RedirectURIs)}
	}
	mobile, err := newClient(ctx, name+"-mobile", mobileArgs, owners, in)
	if err != nil {
		return nil, err
	}

	// Pre-authorizing the two clients on each API's scope means nobody has to consent to the
	// platform's own scopes, so the deployer needs no permission to grant consent
	// (DelegatedPermissionGrant.ReadWrite.All). Writes to one application are chained.
	for i, app := range apiApps {
		var previous pulumi.Resource
		for _, cl := range []struct {
			key string
			app *azuread.Application
		}{{"spa", spa}, {"mobile", mobile}} {
			o := uniqueTuple(in)
			if previous != nil {
				o = append(o, pulumi.DependsOn([]pulumi.Resource{previous}))
			}
			pre, err := azuread.NewApplicationPreAuthorized(ctx, fmt.Sprintf("%s-api-%s-%s", name, args.APIs[i].Key, cl.key), &azuread.ApplicationPreAuthorizedArgs{
				ApplicationId:      app.ID().ToStringOutput(),
				AuthorizedClientId: cl.app.ClientId,
				PermissionIds:      pulumi.ToStringArray([]string{apiScopeIDs[i]}),
			}, o...)
			if err != nil {
				return nil, err
			}
			previous = pre
		}
	}

	c.SPAClientID = spa.ClientId
	c.MobileClientID = mobile.ClientId
	c.APIClientIDs = apiClientIDs.ToStringMapOutput()
	c.APIScopes = apiScopes.ToStringMapOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"tenantId": c.TenantID, "authority": c.Authority, "spaClientId": c.SPAClientID,
		"mobileClientId": c.MobileClientID, "apiClientIds": c.APIClientIDs, "apiScopes": c.APIScopes,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// newClient creates a public client registration and its service principal.
func newClient(ctx *pulumi.Context, name string, args *azuread.ApplicationArgs, owners pulumi.StringArrayInput, opts []pulumi.ResourceOption) (*azuread.Application, error) {
	app, err := azuread.NewApplication(ctx, name, args, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := azuread.NewServicePrincipal(ctx, name, &azuread.ServicePrincipalArgs{
		ClientId:                  app.ClientId,
		Owners:                    owners,
		AppRoleAssignmentRequired: pulumi.Bool(false),
	}, uniqueTuple(opts)...); err != nil {
		return nil, err
	}
	return app, nil
}

// uniqueTuple adds delete-before-replace to the options of a registration part that Entra keeps
// unique apart from its Pulumi identity, so its replacement cannot be created beside it: an
// identifier URI (unique in the tenant and on its application; the azuread provider refuses to
// create one that exists), a pre-authorization (one per client ID on an API; likewise refused)
// and a service principal (one per application).
func uniqueTuple(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}, opts...)
}
