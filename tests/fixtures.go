package tests

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers/aks"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/identity"
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
)

// Env parses an environment's shipped settings with overrides (see Config), failing the test on
// a validation problem.
func Env(t testing.TB, env string, overrides map[string]string) *config.Env {
	t.Helper()
	e, err := config.Parse(config.Namespaced(Config(t, env, overrides)))
	require.NoError(t, err, "%s settings", env)
	return e
}

// The fixtures below hand a layer realistic upstream contracts without running the upstream
// layers, for tests focused on one layer. Values are shaped like Azure's, derived from the
// environment's names; the chain tests check the real hand-over.

func str(s string) pulumi.StringOutput { return pulumi.String(s).ToStringOutput() }

func strMap(m map[string]string) pulumi.StringMapOutput {
	out := pulumi.StringMap{}
	for k, v := range m {
		out[k] = pulumi.String(v)
	}
	return out.ToStringMapOutput()
}

// RGID is the fixture resource group's ID.
func RGID(e *config.Env) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", offline.SubscriptionID, e.Names.ResourceGroup)
}

// ARMID builds a resource ID in the fixture resource group.
func ARMID(e *config.Env, providerPath string) string {
	return RGID(e) + "/providers/" + providerPath
}

// fixtureRandomSuffix stands in the fixtures for the base layer's random name suffix.
const fixtureRandomSuffix = "fx01"

// FixtureSuffix is the name suffix of the base fixture: the configured one, or fixtureRandomSuffix
// for the random one.
func FixtureSuffix(e *config.Env) string {
	if e.RandomNameSuffix() {
		return fixtureRandomSuffix
	}
	return e.ConfiguredNameSuffix()
}

// Global returns the environment's globally unique names with a suffix, failing the test on a
// naming problem.
func Global(t testing.TB, e *config.Env, suffix string) config.GlobalNames {
	t.Helper()
	g, err := e.GlobalNames(suffix)
	require.NoError(t, err, "global names with suffix %q", suffix)
	return g
}

// fixtureGlobal is the global names of the fixtures (FixtureSuffix).
func fixtureGlobal(e *config.Env) config.GlobalNames {
	g, err := e.GlobalNames(FixtureSuffix(e))
	if err != nil {
		panic(err) // e is validated: its names were checked with a suffix of this length
	}
	return g
}

// BaseFixture returns a base contract for the environment.
func BaseFixture(e *config.Env) *base.Outputs {
	n, g := e.Names, fixtureGlobal(e)
	vnet := ARMID(e, "Microsoft.Network/virtualNetworks/"+n.VirtualNetwork)
	subnets := map[string]string{}
	for _, r := range netplan.Roles {
		subnets[string(r)] = vnet + "/subnets/" + n.Subnets[r]
	}
	zones := map[string]string{}
	for svc, zone := range map[string]string{
		"keyVault": "privatelink.vaultcore.azure.net", "sql": "privatelink.database.windows.net",
		"postgres": g.PostgresPrivateDNSZone, "blob": "privatelink.blob.core.windows.net",
		"dfs": "privatelink.dfs.core.windows.net", "acr": "privatelink.azurecr.io",
		"cognitiveServices": "privatelink.cognitiveservices.azure.com", "aks": "privatelink." + e.Location + ".azmk8s.io",
	} {
		if svc == "aks" && e.AKS.APIServerAccess != "private" {
			continue // the base layer creates the AKS zone only for a private API server
		}
		zones[svc] = ARMID(e, "Microsoft.Network/privateDnsZones/"+zone)
	}
	return &base.Outputs{
		ResourceGroupName:     str(n.ResourceGroup),
		ResourceGroupID:       str(RGID(e)),
		Location:              str(e.Location),
		TenantID:              str(offline.TenantID),
		VnetID:                str(vnet),
		SubnetIDs:             strMap(subnets),
		NatGatewayID:          str(ARMID(e, "Microsoft.Network/natGateways/"+n.NatGateway)),
		PrivateDNSZoneIDs:     strMap(zones),
		KeyVaultID:            str(ARMID(e, "Microsoft.KeyVault/vaults/"+g.KeyVault)),
		KeyVaultName:          str(g.KeyVault),
		KeyVaultURI:           str("https://" + g.KeyVault + ".vault.azure.net/"),
		SQLServerID:           str(ARMID(e, "Microsoft.Sql/servers/"+g.SQLServer)),
		SQLServerFQDN:         str(g.SQLServer + ".database.windows.net"),
		SQLDatabaseName:       str(n.SQLDatabase),
		PostgresServerID:      str(ARMID(e, "Microsoft.DBforPostgreSQL/flexibleServers/"+g.PostgresServer)),
		PostgresServerFQDN:    str(g.PostgresServer + ".postgres.database.azure.com"),
		SPAStorageID:          str(ARMID(e, "Microsoft.Storage/storageAccounts/"+g.SPAStorage)),
		SPAWebEndpoint:        str("https://" + g.SPAStorage + ".z6.web.core.windows.net/"),
		DataLakeID:            str(ARMID(e, "Microsoft.Storage/storageAccounts/"+g.DataLakeStorage)),
		DataLakeDFSEndpoint:   str("https://" + g.DataLakeStorage + ".dfs.core.windows.net/"),
		LogAnalyticsID:        str(ARMID(e, "Microsoft.OperationalInsights/workspaces/"+n.LogAnalytics)),
		MonitorWorkspaceID:    str(ARMID(e, "Microsoft.Monitor/accounts/"+n.MonitorWorkspace)),
		PlatformAdminsGroupID: str(PlatformAdminsFixture),
		DatabaseAdminsGroupID: str("22222222-2222-2222-2222-222222222222"),
		NameSuffix:            str(FixtureSuffix(e)),
	}
}

// IdentityKeys lists every identity key of the environment: the platform's own and one per
// service.
func IdentityKeys(e *config.Env) []string {
	keys := append([]string{}, config.PlatformIdentities...)
	for _, s := range e.Services {
		keys = append(keys, s.Name)
	}
	return keys
}

// fixtureExternalID is the External ID tenant ID and authority of the identity fixture, as the
// layer builds them (layers/identity customerIdentity, components/externalid): a created tenant
// under its domain name, an existing one under its subdomain or else its tenant ID, and nothing
// when External ID is disabled.
func fixtureExternalID(e *config.Env) (tenant, authority string) {
	x := e.ExternalID
	if x.Mode == config.ExternalIDDisabled {
		return "", ""
	}
	tenant, subdomain := fixtureGUID("ciam", e.Environment), x.DomainName
	if x.Mode == config.ExternalIDExisting {
		tenant, subdomain = x.TenantID, x.TenantSubdomain
		if subdomain == "" {
			subdomain = tenant
		}
	}
	return tenant, "https://" + subdomain + ".ciamlogin.com/" + tenant + "/v2.0"
}

// IdentityFixture returns an identity contract for the environment.
func IdentityFixture(e *config.Env) *identity.Outputs {
	ids, clients, principals := map[string]string{}, map[string]string{}, map[string]string{}
	for _, k := range IdentityKeys(e) {
		id := ARMID(e, "Microsoft.ManagedIdentity/userAssignedIdentities/"+e.Names.Identities[k])
		ids[k] = id
		clients[k] = fixtureGUID(id, "clientId")
		principals[k] = fixtureGUID(id, "principalId")
	}
	apiClients, scopes := map[string]string{}, map[string]string{}
	for _, s := range e.Services {
		apiClients[s.Name] = fixtureGUID("api", s.Name)
		scopes[s.Name] = "api://" + fixtureGUID("api", s.Name) + "/access_as_user"
	}
	tenant, authority := fixtureExternalID(e)
	if tenant == "" {
		apiClients, scopes = map[string]string{}, map[string]string{}
	}
	dashboardsClient, dashboardsApp := DashboardsFixture(e)
	return &identity.Outputs{
		IdentityIDs:          strMap(ids),
		IdentityClientIDs:    strMap(clients),
		IdentityPrincipalIDs: strMap(principals),
		ExternalIDTenantID:   str(tenant),
		ExternalIDAuthority:  str(authority),
		SPAClientID:          str(fixtureGUID("spa", e.Environment)),
		MobileClientID:       str(fixtureGUID("mobile", e.Environment)),
		APIClientIDs:         strMap(apiClients),
		APIScopes:            strMap(scopes),
		// As the layer reports them: empty without published dashboards.
		DashboardsClientID:      str(dashboardsClient),
		DashboardsApplicationID: str(dashboardsApp),
	}
}

// DashboardsFixture is the client ID and resource ID of the dashboards' app registration in the
// identity fixture: empty without published dashboards, as the layer reports them.
func DashboardsFixture(e *config.Env) (clientID, applicationID string) {
	if !e.Dashboards() {
		return "", ""
	}
	return fixtureGUID("dashboards", e.Environment, "clientId"), "/applications/" + fixtureGUID("dashboards", e.Environment, "objectId")
}

// PlatformAdminsFixture is the platform-admins group's object ID in the base fixture.
const PlatformAdminsFixture = "11111111-1111-1111-1111-111111111111"

// AKSFixture returns an aks contract for the environment.
func AKSFixture(e *config.Env) *aks.Outputs {
	n, g := e.Names, fixtureGlobal(e)
	cluster := ARMID(e, "Microsoft.ContainerService/managedClusters/"+n.AKSCluster)
	tc := ARMID(e, "Microsoft.ServiceNetworking/trafficControllers/"+n.TrafficController)
	// As the layer reports them: every federated identity, its subjects comma-separated.
	subjects := map[string]string{}
	for _, f := range e.WorkloadFederations() {
		subject := "system:serviceaccount:" + f.Namespace + ":" + f.ServiceAccount
		if prev, ok := subjects[f.IdentityKey]; ok {
			subject = prev + "," + subject
		}
		subjects[f.IdentityKey] = subject
	}
	out := &aks.Outputs{
		ClusterName:             str(n.AKSCluster),
		ClusterID:               str(cluster),
		OIDCIssuerURL:           str("https://" + e.Location + ".oic.prod-aks.azure.com/" + offline.TenantID + "/" + fixtureGUID(cluster, "issuer") + "/"),
		KubeletIdentityClientID: str(fixtureGUID("kubelet", "clientId")),
		KubeletIdentityObjectID: str(fixtureGUID("kubelet", "principalId")),
		NodeResourceGroup:       str(n.NodeResourceGroup),
		ACRID:                   str(ARMID(e, "Microsoft.ContainerRegistry/registries/"+g.ContainerRegistry)),
		ACRLoginServer:          str(g.ContainerRegistry + ".azurecr.io"),
		FrontDoorEndpointHost:   str(n.FrontDoorEndpoint + "-abcdef0123.z01.azurefd.net"),
		FrontDoorProfileID:      str(ARMID(e, "Microsoft.Cdn/profiles/"+n.FrontDoorProfile)),
		AGCTrafficControllerID:  str(tc),
		AGCFrontendName:         str("api"),
		AGCFrontendFQDN:         str("0123456789abcdef.fz42.alb.azure.com"),
		AGCWAFPolicyID:          str(ARMID(e, "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/"+n.AGCWAFPolicy)),
		DocumentIntelligenceURL: str("https://" + g.DocumentIntelligence + ".cognitiveservices.azure.com/"),
		FederatedSubjects:       strMap(subjects),
	}
	tokens, targets := map[string]string{}, map[string]string{}
	for _, d := range e.FrontDoor.CustomDomains {
		tokens[d] = fixtureGUID("dnsauth", d)
		targets[d] = n.FrontDoorEndpoint + "-abcdef0123.z01.azurefd.net"
	}
	out.FrontDoorValidationTokens, out.FrontDoorCNAMETargets = strMap(tokens), strMap(targets)
	return out
}

func fixtureGUID(parts ...string) string {
	return naming.GUID(append([]string{"fixture"}, parts...)...)
}
