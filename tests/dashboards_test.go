package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/dashboardapp"
	"github.com/azure-saas-platform/platform/components/frontdoor"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/offline"
)

const (
	tAppReg      = "azuread:index/applicationRegistration:ApplicationRegistration"
	tAppRole     = "azuread:index/applicationAppRole:ApplicationAppRole"
	tAPIAccess   = "azuread:index/applicationApiAccess:ApplicationApiAccess"
	tAssignment  = "azuread:index/appRoleAssignment:AppRoleAssignment"
	tRedirects   = "azuread:index/applicationRedirectUris:ApplicationRedirectUris"
	tAppFIC      = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential"
	tRoute       = "azure-native:cdn:Route"
	tOriginGroup = "azure-native:cdn:AFDOriginGroup"
)

// withOrigin gives dev an origin host name, which publishes its dashboards.
var withOrigin = map[string]string{"agc": `{"wafMode":"Prevention","originHostName":"api-origin.contoso.example",` +
	`"originDnsZoneId":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/contoso.example"}`}

// TestIdentityDashboardsApp: with published dashboards (prod, and dev with an origin host name)
// the identity layer registers the dashboards' app in the workforce tenant (the default azuread
// provider, not External ID's): single tenant, access tokens v2, the groups claim limited to the
// groups assigned to the app, no implicit flow; an Admin app role assigned to platform-admins
// only, on a service principal that requires assignment (so nobody else gets a token); Graph
// openid, profile and email; and exports its client and resource IDs. Without, nothing.
func TestIdentityDashboardsApp(t *testing.T) {
	for _, tc := range []struct {
		env       string
		overrides map[string]string
	}{{"prod", nil}, {"dev", withOrigin}} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			e := Env(t, tc.env, tc.overrides)
			require.True(t, e.Dashboards())
			s := identityStack(t, e)
			reg := One(t, s, tAppReg)
			for _, r := range []*offline.Resource{reg, One(t, s, tAppRole), One(t, s, tAPIAccess), One(t, s, tAssignment), Named(t, s, tSP, "dashboards")} {
				// The mock monitor reports no provider for a resource of the default provider.
				assert.Empty(t, r.Provider, "%s: the workforce tenant's (default) azuread provider, not External ID's", r.Key())
			}
			Equal(t, reg, "displayName", e.Names.DashboardsApplication)
			assert.Equal(t, "app-saas-"+tc.env+"-weu-dashboards", e.Names.DashboardsApplication)
			Equal(t, reg, "signInAudience", "AzureADMyOrg")
			Equal(t, reg, "requestedAccessTokenVersion", 2)
			Equal(t, reg, "groupMembershipClaims", []string{"ApplicationGroup"})
			Equal(t, reg, "implicitIdTokenIssuanceEnabled", false)
			Equal(t, reg, "implicitAccessTokenIssuanceEnabled", false)

			role := One(t, s, tAppRole)
			Equal(t, role, "applicationId", reg.ID)
			Equal(t, role, "value", "Admin")
			Equal(t, role, "roleId", dashboardapp.AdminRoleID)
			Equal(t, role, "allowedMemberTypes", []string{"User"})
			access := One(t, s, tAPIAccess)
			Equal(t, access, "applicationId", reg.ID)
			Equal(t, access, "apiClientId", "00000003-0000-0000-c000-000000000000")
			Equal(t, access, "scopeIds", []string{"37f7f235-527c-4136-accd-4a02d197296e", "14dad69e-099b-42c9-810b-d002981feec1", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0"})

			sp := Named(t, s, tSP, "dashboards")
			Equal(t, sp, "clientId", Out(t, reg, "clientId"))
			Equal(t, sp, "appRoleAssignmentRequired", true)
			assignments := s.ByType(tAssignment)
			require.Len(t, assignments, 1, "only platform-admins is assigned")
			a := assignments[0]
			Equal(t, a, "principalObjectId", PlatformAdminsFixture)
			Equal(t, a, "appRoleId", dashboardapp.AdminRoleID)
			Equal(t, a, "resourceObjectId", Out(t, sp, "objectId"))

			assert.Equal(t, Out(t, reg, "clientId"), Output(t, s, "dashboardsClientId"), "output dashboardsClientId")
			assert.Equal(t, reg.ID, Output(t, s, "dashboardsApplicationId"), "output dashboardsApplicationId")
			// No credential of any kind on the registration.
			for _, r := range s.Resources {
				assert.NotContains(t, []string{"azuread:index/applicationPassword:ApplicationPassword", "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
					"azuread:index/applicationCertificate:ApplicationCertificate"}, r.Type, "%s: a static credential", r.Key())
			}
		})
	}
	t.Run("not published", func(t *testing.T) {
		t.Parallel()
		e := Env(t, "dev", nil)
		require.False(t, e.Dashboards())
		s := identityStack(t, e)
		for _, typ := range []string{tAppReg, tAppRole, tAPIAccess, tAssignment, "platform:dashboardapp:App"} {
			assert.Empty(t, s.ByType(typ), typ)
		}
		assert.Equal(t, "", Output(t, s, "dashboardsClientId"))
		assert.Equal(t, "", Output(t, s, "dashboardsApplicationId"))
	})
}

// TestAKSDashboardsClients: the aks layer, where the cluster's issuer and the Front Door host
// exist, federates exactly the service accounts the tree's Grafana and oauth2-proxy run as
// (monitoring/grafana and monitoring/oauth2-proxy, gitops/monitoring_test.go checks the tree uses
// them) with the dashboards' app, and registers their callback URLs on the dashboards' host (the
// first custom domain, else the endpoint's host); Front Door routes /monitoring/* to the API's
// origin group over HTTPS. Without published dashboards, none of it.
func TestAKSDashboardsClients(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		overrides map[string]string
		host      func(run aksRun) string
	}{
		{"prod", "prod", nil, func(aksRun) string { return "app.contoso.example" }},
		{"dev without custom domain", "dev", withOrigin, func(run aksRun) string {
			return Out(t, One(t, run.s, "azure-native:cdn:AFDEndpoint"), "hostName").(string)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, tc.env, tc.overrides)
			_, app := DashboardsFixture(run.e)
			require.NotEmpty(t, app)
			issuer := Out(t, One(t, run.s, tokManagedCluster), "oidcIssuerProfile.issuerURL").(string)
			fics := run.s.ByType(tAppFIC)
			require.Len(t, fics, 2)
			var subjects []string
			for i, f := range fics {
				Equal(t, f, "applicationId", app)
				Equal(t, f, "issuer", issuer)
				Equal(t, f, "audiences", []string{"api://AzureADTokenExchange"})
				subjects = append(subjects, In(t, f, "subject").(string))
				assert.NotEmpty(t, f.DependsOn, "%s: writes to the app are chained", f.Key())
				if i > 0 {
					assert.Contains(t, f.DependsOn, fics[i-1].URN, "%s waits for the previous credential", f.Key())
				}
			}
			assert.ElementsMatch(t, []string{"system:serviceaccount:monitoring:grafana", "system:serviceaccount:monitoring:oauth2-proxy"}, subjects)
			for _, sa := range gitops.DashboardsServiceAccounts() {
				assert.Contains(t, subjects, "system:serviceaccount:"+sa[0]+":"+sa[1])
			}
			redirects := One(t, run.s, tRedirects)
			Equal(t, redirects, "applicationId", app)
			Equal(t, redirects, "type", "Web")
			host := tc.host(run)
			Equal(t, redirects, "redirectUris", []string{"https://" + host + "/monitoring/grafana/login/azuread", "https://" + host + "/monitoring/oauth2/callback"})

			route := Named(t, run.s, tRoute, "edge-dashboards")
			Equal(t, route, "patternsToMatch", []string{"/monitoring/*"})
			Equal(t, route, "forwardingProtocol", "HttpsOnly")
			Equal(t, route, "httpsRedirect", "Enabled")
			Absent(t, route, "cacheConfiguration")
			Equal(t, route, "originGroup.id", Named(t, run.s, tOriginGroup, "edge-api").ID)
			Equal(t, route, "ruleSets", In(t, Named(t, run.s, tRoute, "edge-api"), "ruleSets"))
		})
	}
	t.Run("not published", func(t *testing.T) {
		t.Parallel()
		run := runAKS(t, "dev", nil)
		for _, typ := range []string{tAppFIC, tRedirects, "platform:dashboardapp:Clients"} {
			assert.Empty(t, run.s.ByType(typ), typ)
		}
		for _, r := range run.s.ByType(tRoute) {
			assert.NotEqual(t, "edge-dashboards", r.Name, "dev without an origin host name routes no dashboards")
		}
	})
}

// TestFluxDashboardsVariables: with published dashboards the monitoring kustomization points at
// monitoring-dashboards and the cluster values carry the dashboards' host and client ID; without,
// neither.
func TestFluxDashboardsVariables(t *testing.T) {
	t.Parallel()
	e, s := runFlux(t, "prod", nil)
	cfg := One(t, s, bindings.FluxConfigurationType)
	Equal(t, cfg, "kustomizations.monitoring.path", gitops.Path("prod", "monitoring-dashboards"))
	values := clusterValues(t, s)
	assert.Equal(t, "app.contoso.example", values["DASHBOARDS_HOST"])
	client, _ := DashboardsFixture(e)
	assert.Equal(t, client, values["DASHBOARDS_CLIENT_ID"])
	_, dev := runFlux(t, "dev", nil)
	cfg = One(t, dev, bindings.FluxConfigurationType)
	Equal(t, cfg, "kustomizations.monitoring.path", gitops.Path("dev", "monitoring"))
	values = clusterValues(t, dev)
	assert.NotContains(t, values, "DASHBOARDS_HOST")
	assert.NotContains(t, values, "DASHBOARDS_CLIENT_ID")
}

// TestDashboardAppValidatesEverythingAtOnce: both constructors report every problem before
// creating anything; Front Door refuses the dashboards' route over plain HTTP.
func TestDashboardAppValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := dashboardapp.New(ctx, "d", &dashboardapp.Args{})
		return err
	})
	ErrorMentions(t, err, "DisplayName is required", "AdminGroupObjectID is required")
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := dashboardapp.NewClients(ctx, "d", &dashboardapp.ClientsArgs{
			ServiceAccounts: []dashboardapp.ServiceAccount{{Namespace: "monitoring", Name: "grafana"}, {Namespace: "monitoring", Name: "grafana"}, {Name: "x"}},
		})
		return err
	})
	ErrorMentions(t, err, "ApplicationID is required", "Issuer is required", "RedirectURIs are required",
		"system:serviceaccount:monitoring:grafana is listed twice", "ServiceAccounts[2]: Namespace and Name are required")
	for _, c := range []struct {
		uri string
		ok  bool
	}{
		{"https://app.example.com/monitoring/oauth2/callback", true},
		{"http://app.example.com/monitoring/oauth2/callback", false},
		{"https://app.example.com", false},
		{"https://app.example.com/cb#x", false},
	} {
		assert.Equal(t, c.ok, dashboardapp.CheckRedirectURI(c.uri) == nil, c.uri)
	}

	_, args := frontDoorArgs(t, "dev", nil)
	args.APIOriginHTTP = true
	args.DashboardsPathPattern = "/monitoring/*"
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := frontdoor.New(ctx, "edge", args)
		return err
	})
	ErrorMentions(t, err, `DashboardsPathPattern "/monitoring/*" needs HTTPS to the API origin`)
	_, args = frontDoorArgs(t, "dev", nil)
	args.DashboardsPathPattern = "/api/*"
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := frontdoor.New(ctx, "edge", args)
		return err
	})
	ErrorMentions(t, err, `DashboardsPathPattern "/api/*": want one path segment`)
}
