package tests

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/check"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/externalid"
	"github.com/azure-saas-platform/platform/components/managedidentity"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/layers/identity"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/roles"
)

const (
	tUAI      = "azure-native:managedidentity:UserAssignedIdentity"
	tFIC      = "azure-native:managedidentity:FederatedIdentityCredential"
	tRA       = "azure-native:authorization:RoleAssignment"
	tTenant   = "azure-native:azureactivedirectory/v20230517preview:CIAMTenant"
	tApp      = "azuread:index/application:Application"
	tAppURI   = "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri"
	tSP       = "azuread:index/servicePrincipal:ServicePrincipal"
	tPreAuth  = "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized"
	tProvider = "pulumi:providers:azuread"
	tLock     = "azure-native:authorization:ManagementLockByScope"
)

// Config overrides used by several tests.
var (
	privateAKS  = map[string]string{"aks": `{"kubernetesVersion":"1.36","apiServerAccess":"private"}`}
	withGitHub  = map[string]string{"pipeline": `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000","subject":"sc://contoso/platform/platform-dev"},"github":{"repository":"contoso/platform","environments":["dev","staging.eu"]}}`}
	disabledXID = map[string]string{"externalId": `{"mode":"disabled"}`}
	deployerXID = map[string]string{"externalId": `{"mode":"create","domainName":"saascustomersdev","deployerClientId":"44444444-4444-4444-4444-444444444444","deployerObjectId":"55555555-5555-5555-5555-555555555555","mobileRedirectUris":["com.contoso.saas://callback"]}`}
)

// identityStack runs the identity layer alone on the base fixture and exports its contract, so a
// missing contract field fails the run.
func identityStack(t *testing.T, env *config.Env) *offline.Stack {
	t.Helper()
	s, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: "dev"}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		out, err := identity.New(ctx, env, BaseFixture(env))
		if err != nil {
			return nil, err
		}
		return contract.Export(ctx, "", out)
	})
	require.NoError(t, err, "identity layer")
	return s
}

// variants are the configurations most tests run against.
func variants() map[string]struct {
	env       string
	overrides map[string]string
} {
	return map[string]struct {
		env       string
		overrides map[string]string
	}{
		"dev":              {"dev", nil},
		"prod":             {"prod", nil},
		"dev-private":      {"dev", privateAKS},
		"prod-private":     {"prod", privateAKS},
		"dev-github":       {"dev", withGitHub},
		"dev-disabled":     {"dev", disabledXID},
		"dev-deployer-app": {"dev", deployerXID},
	}
}

func asString(t *testing.T, v any) string {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "want a string, got %#v", v)
	return s
}

func TestIdentityManagedIdentities(t *testing.T) {
	for name, v := range variants() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := Env(t, v.env, v.overrides)
			s := identityStack(t, e)
			keys := IdentityKeys(e)
			require.Len(t, s.ByType(tUAI), len(keys), "identities, want %v", keys)
			ids, clients, principals := map[string]any{}, map[string]any{}, map[string]any{}
			for _, key := range keys {
				r := Named(t, s, tUAI, key)
				Equal(t, r, "resourceName", e.Names.Identities[key])
				Equal(t, r, "resourceGroupName", e.Names.ResourceGroup)
				Equal(t, r, "location", e.Location)
				Equal(t, r, "tags", e.ResourceTags())
				if c := s.ParentOf(r); assert.NotNil(t, c, "%s: no parent, want its managedidentity component", key) {
					assert.Equal(t, "platform:managedidentity:ManagedIdentity::"+key, c.Key(), "%s: parent, want its managedidentity component", key)
				}
				ids[key] = r.ID
				clients[key] = Out(t, r, "clientId")
				principals[key] = Out(t, r, "principalId")
			}
			for out, want := range map[string]map[string]any{"identityIds": ids, "identityClientIds": clients, "identityPrincipalIds": principals} {
				assert.Equal(t, normalize(want), normalize(Output(t, s, out)), "output %s", out)
			}
		})
	}
}

// platformAdmins stands for the base layer's platform-admins group among the identity keys.
const platformAdmins = "platform-admins group"

// A recreated identity gets a new principal ID, which breaks its database users and federations:
// in prod every identity has Pulumi's protect and an Azure delete lock; in dev neither.
func TestIdentityProtection(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e := Env(t, env, nil)
			s := identityStack(t, e)
			prod := env == "prod"
			locks := map[string]*offline.Resource{}
			for _, l := range s.ByType(tLock) {
				locks[asString(t, In(t, l, "scope"))] = l
			}
			for _, key := range IdentityKeys(e) {
				id := Named(t, s, tUAI, key)
				assert.Equal(t, prod, id.Protect, "%s: protect", key)
				l, locked := locks[id.ID]
				if !assert.Equal(t, prod, locked, "%s: locked", key) {
					continue
				}
				if locked {
					Equal(t, l, "level", "CanNotDelete")
				}
			}
			if !prod {
				assert.Empty(t, locks, "dev has locks")
			}
		})
	}
}

// wantAssignment is one role assignment the layer must make.
type wantAssignment struct {
	key   string // identity key of the principal
	role  roles.Role
	scope string
}

func (w wantAssignment) String() string {
	return fmt.Sprintf("%s | %s | %s", w.key, w.role.Name, w.scope)
}

// expectedAssignments is the layer's whole role-assignment policy, written out by hand.
func expectedAssignments(e *config.Env, kubeletID string) []wantAssignment {
	n := e.Names
	vnet := ARMID(e, "Microsoft.Network/virtualNetworks/"+n.VirtualNetwork)
	subnet := func(r netplan.Role) string { return vnet + "/subnets/" + n.Subnets[r] }
	cp := config.IdentityControlPlane
	out := []wantAssignment{
		{cp, roles.NetworkContributor, subnet(netplan.Nodes)},
		{cp, roles.NetworkContributor, subnet(netplan.APIServer)},
		{cp, roles.ManagedIdentityOperator, kubeletID},
		{config.IdentityALBController, roles.NetworkContributor, subnet(netplan.AGC)},
		{config.IdentityExternalSecrets, roles.KeyVaultSecretsUser, ARMID(e, "Microsoft.KeyVault/vaults/"+fixtureGlobal(e).KeyVault)},
		{config.IdentityPipeline, roles.Contributor, RGID(e)},
		{config.IdentityPipeline, roles.LocksContributor, RGID(e)},
		{config.IdentityPipeline, roles.RoleBasedAccessControlAdmin, RGID(e)},
		{config.IdentityPipeline, roles.StorageBlobDataContributor, ARMID(e, "Microsoft.Storage/storageAccounts/"+fixtureGlobal(e).SPAStorage)},
		{platformAdmins, roles.KeyVaultSecretsOfficer, ARMID(e, "Microsoft.KeyVault/vaults/"+fixtureGlobal(e).KeyVault)},
	}
	if e.AKS.APIServerAccess == "private" {
		out = append(out,
			wantAssignment{cp, roles.PrivateDNSZoneContributor, ARMID(e, "Microsoft.Network/privateDnsZones/privatelink."+e.Location+".azmk8s.io")},
			wantAssignment{cp, roles.NetworkContributor, vnet})
	}
	if zone := e.AGC.OriginDNSZoneID; zone != "" {
		out = append(out, wantAssignment{config.IdentityCertManager, roles.DNSZoneContributor, zone})
	}
	lake := ARMID(e, "Microsoft.Storage/storageAccounts/"+fixtureGlobal(e).DataLakeStorage)
	for _, s := range e.Services {
		if s.KeyVaultSecrets {
			out = append(out, wantAssignment{s.Name, roles.KeyVaultSecretsUser, ARMID(e, "Microsoft.KeyVault/vaults/"+fixtureGlobal(e).KeyVault)})
		}
		switch s.DataLake {
		case config.DataLakeRead:
			out = append(out, wantAssignment{s.Name, roles.StorageBlobDataReader, lake})
		case config.DataLakeReadWrite:
			out = append(out, wantAssignment{s.Name, roles.StorageBlobDataContributor, lake})
		}
	}
	return out
}

// actualAssignments describes every role assignment of a stack the same way, checking on the way
// the inputs every assignment shares.
func actualAssignments(t *testing.T, s *offline.Stack) []string {
	t.Helper()
	byPrincipal := map[string]string{}
	for _, r := range s.ByType(tUAI) {
		byPrincipal[asString(t, Out(t, r, "principalId"))] = r.Name
	}
	byPrincipal["11111111-1111-1111-1111-111111111111"] = platformAdmins // BaseFixture's group
	byID := map[string]roles.Role{}
	for _, r := range append(append([]roles.Role{}, roles.Privileged...), roles.Delegable...) {
		byID[r.ID] = r
	}
	var out []string
	for _, r := range s.ByType(tRA) {
		key, ok := byPrincipal[asString(t, In(t, r, "principalId"))]
		if !assert.True(t, ok, "%s: principal %v is no identity of the layer", r.Key(), In(t, r, "principalId")) {
			continue
		}
		def := asString(t, In(t, r, "roleDefinitionId"))
		// Role definitions are read in the scope's subscription (the DNS zone may be elsewhere).
		prefix := "/subscriptions/" + avm.SubscriptionOf(asString(t, In(t, r, "scope"))) + "/providers/Microsoft.Authorization/roleDefinitions/"
		role, ok := byID[strings.TrimPrefix(def, prefix)]
		if !assert.True(t, strings.HasPrefix(def, prefix) && ok, "%s: roleDefinitionId %s is not a known role in the subscription", r.Key(), def) {
			continue
		}
		if key == platformAdmins {
			Equal(t, r, "principalType", "Group")
		} else {
			Equal(t, r, "principalType", "ServicePrincipal")
		}
		out = append(out, fmt.Sprintf("%s | %s | %s", key, role.Name, In(t, r, "scope")))
	}
	sort.Strings(out)
	return out
}

func TestIdentityRoleAssignments(t *testing.T) {
	all := variants()
	all["dev-key-vault-service"] = struct {
		env       string
		overrides map[string]string
	}{"dev", map[string]string{"services": `[{"name":"user-service","dataLake":"readWrite","keyVaultSecrets":true},{"name":"llm-service","dataLake":"read"}]`}}
	for name, v := range all {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := Env(t, v.env, v.overrides)
			s := identityStack(t, e)
			var want []string
			for _, w := range expectedAssignments(e, Named(t, s, tUAI, config.IdentityKubelet).ID) {
				want = append(want, w.String())
			}
			sort.Strings(want)
			got := actualAssignments(t, s)
			assert.Equal(t, want, got, "role assignments (principal | role | scope)")
			for _, r := range s.ByType(tRA) {
				scope := asString(t, In(t, r, "scope"))
				for _, later := range []string{"Microsoft.ContainerService", "Microsoft.ContainerRegistry", "Microsoft.ServiceNetworking", "Microsoft.CognitiveServices", "Microsoft.Cdn"} {
					assert.NotContains(t, scope, later, "%s: assignment on an aks-layer resource", r.Key())
				}
				if strings.HasSuffix(asString(t, In(t, r, "roleDefinitionId")), roles.RoleBasedAccessControlAdmin.ID) {
					Equal(t, r, "condition", roles.DelegationCondition(roles.Delegable, []string{"ServicePrincipal", "Group"}))
					Equal(t, r, "conditionVersion", "2.0")
				} else {
					Absent(t, r, "condition")
				}
			}
		})
	}
}

// The pipeline may hand out exactly the platform's workload roles, to service principals and
// groups only; Contributor and access management are not among them.
func TestIdentityPipelineDelegationCondition(t *testing.T) {
	t.Parallel()
	e := Env(t, "dev", nil)
	s := identityStack(t, e)
	r := Named(t, s, tRA, "resource-group-pipeline-role-based-access-control-administrator")
	cond := asString(t, In(t, r, "condition"))
	for _, want := range []string{"ActionMatches{'Microsoft.Authorization/roleAssignments/write'}", "ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}", "StringEqualsIgnoreCase {'ServicePrincipal', 'Group'}"} {
		assert.Contains(t, cond, want, "condition lacks %s", want)
	}
	for _, r := range roles.Privileged {
		assert.NotContains(t, cond, r.ID, "condition lets the pipeline assign %s", r.Name)
	}
	for _, r := range roles.Delegable {
		assert.Contains(t, cond, r.ID, "condition does not let the pipeline assign %s, which the layers assign", r.Name)
	}
}

// planRoleVariants are the full plans whose role assignments, together, use every role: the
// shipped settings of dev and prod, and prod with a private API server (the only setting under
// which the control plane gets Private DNS Zone Contributor).
func planRoleVariants(t *testing.T) map[string]*offline.Plan {
	t.Helper()
	return map[string]*offline.Plan{
		"dev":          Plan(t, "dev", offline.Layered, Config(t, "dev", nil)),
		"prod":         Plan(t, "prod", offline.Layered, Config(t, "prod", nil)),
		"prod-private": Plan(t, "prod", offline.Layered, Config(t, "prod", map[string]string{"aks": `{"kubernetesVersion":"1.36","tier":"Standard","apiServerAccess":"private","systemPool":{"zones":["1","2","3"]}}`})),
	}
}

// The pipeline's ABAC condition lets it assign exactly roles.Delegable, so Delegable must be
// exactly what the layers assign: every role of every RoleAssignment in the four stacks is in
// Delegable or is one of the pipeline's own Privileged roles, and every one of those roles is
// assigned somewhere. A role left in Delegable that nothing assigns is one the pipeline could
// hand itself for no reason.
func TestIdentityDelegableIsExactlyWhatTheLayersAssign(t *testing.T) {
	t.Parallel()
	byID := map[string]roles.Role{}
	for _, r := range append(append([]roles.Role{}, roles.Privileged...), roles.Delegable...) {
		byID[r.ID] = r
	}
	used := map[string]bool{}
	for variant, p := range planRoleVariants(t) {
		for _, s := range p.Stacks {
			for _, r := range s.ByType(tRA) {
				def := asString(t, In(t, r, "roleDefinitionId"))
				id := def[strings.LastIndex(def, "/")+1:]
				assert.Contains(t, byID, id, "%s: %s assigns role %s, which is neither delegable nor the pipeline's", variant, r.URN, id)
				used[id] = true
				if slices.ContainsFunc(roles.Privileged, func(p roles.Role) bool { return p.ID == id }) {
					assert.True(t, strings.HasPrefix(r.Name, "resource-group-pipeline-"), "%s: privileged role %s assigned outside the pipeline's grant: %s", variant, byID[id].Name, r.URN)
					assert.True(t, strings.HasSuffix(asString(t, In(t, r, "scope")), "/resourceGroups/"+Env(t, p.Environment, nil).Names.ResourceGroup),
						"%s: privileged role %s assigned outside the resource group: %s", variant, byID[id].Name, r.URN)
				}
			}
		}
	}
	for id, r := range byID {
		assert.True(t, used[id], "%s is delegable (or privileged) but no layer assigns it: remove it from roles", r.Name)
	}
}

// The pipeline holds Role Based Access Control Administrator only on the platform resource group,
// so every role assignment the layers make must be inside it, except the ones listed here, which
// need someone with access to the foreign scope (docs/identity.md, "Assignments outside the
// platform resource group").
func TestIdentityRoleAssignmentScopesInPlatformGroup(t *testing.T) {
	t.Parallel()
	for variant, p := range planRoleVariants(t) {
		env := "dev"
		if strings.HasPrefix(variant, "prod") {
			env = "prod"
		}
		e := Env(t, env, nil)
		outside := map[string]bool{
			// cert-manager's DNS Zone Contributor on the API origin's public DNS zone, which lives
			// wherever the organization keeps its DNS (agc.originDnsZoneId).
			e.AGC.OriginDNSZoneID: e.AGC.OriginDNSZoneID != "",
		}
		rg := strings.ToLower(RGID(e))
		for _, s := range p.Stacks {
			for _, r := range s.ByType(tRA) {
				scope := asString(t, In(t, r, "scope"))
				inside := strings.EqualFold(scope, rg) || strings.HasPrefix(strings.ToLower(scope), rg+"/")
				assert.True(t, inside || outside[scope], "%s: %s is scoped outside the platform resource group: %s", variant, r.URN, scope)
			}
		}
	}
}

// The shipped Pulumi.<env>.yaml placeholders of the service connection (Microsoft Entra form).
const (
	entraIssuer  = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
	entraSubject = "/eid1/c/pub/t/AAAAAAAAAAAAAAAAAAAAAA/a/rISbSSETf0KqFyZ8ppdXmA/sc/00000000-0000-0000-0000-000000000000/00000000-0000-0000-0000-000000000000"
)

func TestIdentityPipelineFederation(t *testing.T) {
	for _, tc := range []struct {
		name      string
		env       string
		overrides map[string]string
		want      [][3]string // credential name, issuer, subject
	}{
		// The shipped settings: the Microsoft Entra issuer's form, exactly as configured.
		{"dev", "dev", nil, [][3]string{{"azure-devops", entraIssuer, entraSubject}}},
		{"prod", "prod", nil, [][3]string{{"azure-devops", entraIssuer, entraSubject}}},
		// A connection not yet converted: the Azure DevOps issuer, a subject with spaces.
		{"azure devops issuer", "dev", map[string]string{"pipeline": `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/0ca3ddd9-f0b0-4635-a98c-5866526961b6","subject":"sc://contoso/Platform Team/Deploy platform (dev)"}}`},
			[][3]string{{"azure-devops", "https://vstoken.dev.azure.com/0ca3ddd9-f0b0-4635-a98c-5866526961b6", "sc://contoso/Platform Team/Deploy platform (dev)"}}},
		{"github", "dev", withGitHub, [][3]string{
			{"azure-devops", "https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000", "sc://contoso/platform/platform-dev"},
			{"github-dev", "https://token.actions.githubusercontent.com", "repo:contoso/platform:environment:dev"},
			{"github-staging-eu", "https://token.actions.githubusercontent.com", "repo:contoso/platform:environment:staging.eu"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := Env(t, tc.env, tc.overrides)
			s := identityStack(t, e)
			fics := s.ByType(tFIC)
			require.Len(t, fics, len(tc.want), "federated credentials")
			var previous *offline.Resource
			for _, w := range tc.want {
				r := Named(t, s, tFIC, "pipeline-fic-"+w[0])
				Equal(t, r, "federatedIdentityCredentialResourceName", w[0])
				Equal(t, r, "issuer", w[1])
				Equal(t, r, "subject", w[2])
				Equal(t, r, "audiences", []string{"api://AzureADTokenExchange"})
				Equal(t, r, "resourceName", e.Names.Identities[config.IdentityPipeline])
				Equal(t, r, "resourceGroupName", e.Names.ResourceGroup)
				// Azure refuses concurrent credential writes on one identity: each waits for the last
				// (DependsOn also lists the identity, through the inputs).
				var ficDeps []string
				for _, d := range r.DependsOn {
					if strings.Contains(d, tFIC+"::") {
						ficDeps = append(ficDeps, d)
					}
				}
				if previous == nil {
					assert.Empty(t, ficDeps, "%s: first credential depends on credentials", r.Key())
				} else {
					assert.Equal(t, []string{previous.URN}, ficDeps, "%s: want it to depend on the credential before it only", r.Key())
				}
				previous = r
			}
		})
	}
}

// resourceSet keys a stack's resources by type and name, with their inputs.
func resourceSet(s *offline.Stack) map[string]string {
	out := map[string]string{}
	for _, r := range s.Resources {
		out[r.Key()] = JSON(offline.Plain(resource.NewProperty(r.Inputs)))
	}
	return out
}

func TestIdentityAddingAServiceAddsExactlyItsResources(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			before := Env(t, env, nil)
			// The configured services, and one more.
			services := append(append([]config.Service{}, before.Services...), config.Service{Name: "billing-service", DataLake: config.DataLakeReadWrite, KeyVaultSecrets: true})
			after := Env(t, env, map[string]string{"services": JSON(services)})
			a, b := resourceSet(identityStack(t, before)), resourceSet(identityStack(t, after))
			var added, removed, changed []string
			for k, in := range b {
				if old, ok := a[k]; !ok {
					added = append(added, k)
				} else if old != in {
					changed = append(changed, k)
				}
			}
			for k := range a {
				if _, ok := b[k]; !ok {
					removed = append(removed, k)
				}
			}
			sort.Strings(added)
			sort.Strings(changed)
			wantAdded := []string{
				"azure-native:authorization:RoleAssignment::data-lake-billing-service-storage-blob-data-contributor",
				"azure-native:authorization:RoleAssignment::key-vault-billing-service-key-vault-secrets-user",
				"azure-native:managedidentity:UserAssignedIdentity::billing-service",
				tApp + "::externalid-api-billing-service",
				tPreAuth + "::externalid-api-billing-service-mobile",
				tPreAuth + "::externalid-api-billing-service-spa",
				tAppURI + "::externalid-api-billing-service",
				tSP + "::externalid-api-billing-service",
				"platform:managedidentity:ManagedIdentity::billing-service",
			}
			if env == "prod" {
				// Identities of a protected environment carry a delete lock.
				wantAdded = append(wantAdded, "azure-native:authorization:ManagementLockByScope::billing-service-lock")
			}
			sort.Strings(wantAdded)
			assert.Equal(t, wantAdded, added, "added resources")
			assert.Empty(t, removed, "removed resources")
			// The clients now also ask for the new API's scope; nothing else changes.
			assert.Equal(t, []string{tApp + "::externalid-mobile", tApp + "::externalid-spa"}, changed, "changed resources")
			got := Output(t, identityStack(t, after), "apiScopes").(map[string]any)["billing-service"]
			assert.True(t, strings.HasSuffix(asString(t, got), "/access_as_user"), "apiScopes[billing-service] = %v", got)
		})
	}
}

// forbiddenTypes hold or generate credentials; the platform has none.
var forbiddenTypes = []string{
	"azuread:index/applicationPassword:ApplicationPassword",
	"azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
	"azuread:index/applicationCertificate:ApplicationCertificate",
	"azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate",
	"azuread:index/synchronizationSecret:SynchronizationSecret",
}

// credentialFindings lists every resource of a forbidden type, every input whose name speaks of a
// password, secret or certificate (at any depth, inside secrets too), and every secret input other
// than the azuread provider's clientId (the SDK marks a client ID secret though it is not one).
func credentialFindings(s *offline.Stack) []string {
	var out []string
	for _, r := range s.Resources {
		for _, f := range forbiddenTypes {
			if r.Type == f {
				out = append(out, r.Key()+": forbidden type")
			}
		}
		var walk func(path string, v resource.PropertyValue)
		walk = func(path string, v resource.PropertyValue) {
			switch {
			case v.IsSecret():
				if !(r.Type == tProvider && path == "clientId") {
					out = append(out, r.Key()+": secret input "+path)
				}
				walk(path, v.SecretValue().Element)
			case v.IsOutput():
				walk(path, v.OutputValue().Element)
			case v.IsObject():
				for k, e := range v.ObjectValue() {
					name := strings.ToLower(string(k))
					for _, word := range []string{"password", "secret", "certificate"} {
						if strings.Contains(name, word) {
							out = append(out, fmt.Sprintf("%s: input %s.%s", r.Key(), path, k))
						}
					}
					walk(strings.TrimPrefix(path+"."+string(k), "."), e)
				}
			case v.IsArray():
				for i, e := range v.ArrayValue() {
					walk(fmt.Sprintf("%s[%d]", path, i), e)
				}
			}
		}
		walk("", resource.NewProperty(r.Inputs))
	}
	return out
}

func TestIdentityNoPasswordOrClientSecret(t *testing.T) {
	for name, v := range variants() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := identityStack(t, Env(t, v.env, v.overrides))
			assert.Empty(t, credentialFindings(s), "the identity layer hands out credentials")
		})
	}
	// The scan itself must catch what it looks for.
	t.Run("scanner", func(t *testing.T) {
		t.Parallel()
		s := RunProgram(t, func(ctx *pulumi.Context) error {
			return plantCredentials(ctx)
		})
		f := strings.Join(credentialFindings(s), "\n")
		for _, want := range []string{"ApplicationPassword::leak: forbidden type", "ServicePrincipalPassword::leak: forbidden type", "Application::with-password: input .password", "pulumi:providers:azuread::with-secret: input .clientSecret"} {
			assert.Contains(t, f, want, "scanner missed %q", want)
		}
	})
}

func TestIdentityExternalIDCreate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     string
		protect bool
	}{{"dev", "dev", false}, {"prod", "prod", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var overrides map[string]string
			if tc.env == "prod" {
				// Prod requires the deployer app (config validation).
				overrides = map[string]string{"externalId": `{"mode":"create","domainName":"saascustomers","mobileRedirectUris":["com.contoso.saas://callback"],` +
					`"deployerClientId":"44444444-4444-4444-4444-444444444444","deployerObjectId":"55555555-5555-5555-5555-555555555555"}`}
			}
			e := Env(t, tc.env, overrides)
			s := identityStack(t, e)
			tenant := One(t, s, tTenant)
			Equal(t, tenant, "resourceGroupName", e.Names.ResourceGroup)
			Equal(t, tenant, "resourceName", e.ExternalID.DomainName)
			Equal(t, tenant, "location", "Europe")
			Equal(t, tenant, "sku", map[string]any{"name": "Standard", "tier": "A0"})
			// The country of platform:location (westeurope: NL), which lies in the Europe residency.
			Equal(t, tenant, "createTenantProperties", map[string]any{"countryCode": "NL", "displayName": "saas customers (" + tc.env + ")"})
			Equal(t, tenant, "tags", e.ResourceTags())
			assert.Equal(t, []string{"createTenantProperties"}, tenant.IgnoreChanges, "%s: ignoreChanges", tenant.Key())
			assert.Equal(t, tc.protect, tenant.Protect, "%s: protect", tenant.Key())
			// Prod also puts a delete lock on the tenant resource (deleting it deletes every
			// customer account).
			var tenantLocks []*offline.Resource
			for _, l := range s.ByType(tLock) {
				if In(t, l, "scope") == tenant.ID {
					tenantLocks = append(tenantLocks, l)
				}
			}
			require.Len(t, tenantLocks, map[bool]int{false: 0, true: 1}[tc.protect], "locks on the tenant: want one only in prod")
			for _, l := range tenantLocks {
				Equal(t, l, "level", "CanNotDelete")
			}
			tenantID := asString(t, Out(t, tenant, "tenantId"))
			p := One(t, s, tProvider)
			Equal(t, p, "tenantId", tenantID)
			Equal(t, p, "useMsi", false)
			// Dev signs in with the Azure CLI; prod (deployer app required) with OIDC.
			Equal(t, p, "useCli", !tc.protect)
			Equal(t, p, "useOidc", tc.protect)
			if !tc.protect {
				Absent(t, p, "clientId")
			}
			assert.Equal(t, tenantID, Output(t, s, "externalIdTenantId"), "output externalIdTenantId")
			assert.Equal(t, "https://"+e.ExternalID.DomainName+".ciamlogin.com/"+tenantID+"/v2.0", Output(t, s, "externalIdAuthority"), "output externalIdAuthority")
		})
	}
}

func TestIdentityExternalIDExisting(t *testing.T) {
	t.Parallel()
	e := Env(t, "prod", nil)
	s := identityStack(t, e)
	assert.Empty(t, s.ByType(tTenant), "existing tenant: CIAM tenants created")
	p := One(t, s, tProvider)
	Equal(t, p, "tenantId", "33333333-3333-3333-3333-333333333333")
	// The shipped prod settings name the deployer app: the pipeline signs in with OIDC.
	Equal(t, p, "useOidc", true)
	Equal(t, p, "useCli", false)
	assert.Equal(t, "33333333-3333-3333-3333-333333333333", Output(t, s, "externalIdTenantId"), "output externalIdTenantId")
	assert.Equal(t, "https://saascustomers.ciamlogin.com/33333333-3333-3333-3333-333333333333/v2.0", Output(t, s, "externalIdAuthority"), "output externalIdAuthority")
	assert.Len(t, s.ByType(tApp), 2+len(e.Services), "app registrations: SPA, mobile and one per API")
}

// Without a configured subdomain the authority uses the tenant ID as the ciamlogin.com host.
func TestIdentityExternalIDExistingWithoutSubdomain(t *testing.T) {
	t.Parallel()
	s := identityStack(t, Env(t, "prod", map[string]string{"externalId": `{"mode":"existing","tenantId":"33333333-3333-3333-3333-333333333333",` +
		`"deployerClientId":"44444444-4444-4444-4444-444444444444","deployerObjectId":"55555555-5555-5555-5555-555555555555"}`}))
	assert.Equal(t, "https://33333333-3333-3333-3333-333333333333.ciamlogin.com/33333333-3333-3333-3333-333333333333/v2.0", Output(t, s, "externalIdAuthority"), "output externalIdAuthority")
}

func TestIdentityExternalIDDisabled(t *testing.T) {
	t.Parallel()
	s := identityStack(t, Env(t, "dev", disabledXID))
	for _, r := range s.Resources {
		assert.False(t, strings.HasPrefix(r.Type, "azuread:") || r.Type == tProvider || r.Type == tTenant || r.Type == "platform:externalid:ExternalID",
			"disabled External ID still creates %s", r.Key())
	}
	for _, k := range []string{"externalIdTenantId", "externalIdAuthority", "spaClientId", "mobileClientId"} {
		assert.Equal(t, "", Output(t, s, k), "output %s: want empty", k)
	}
	for _, k := range []string{"apiClientIds", "apiScopes"} {
		assert.JSONEq(t, "{}", JSON(Output(t, s, k)), "output %s: want empty", k)
	}
}

func TestIdentityExternalIDDeployerApp(t *testing.T) {
	t.Parallel()
	s := identityStack(t, Env(t, "dev", deployerXID))
	p := One(t, s, tProvider)
	// The client ID reaches the provider (marked secret by the azuread SDK).
	if v := p.Inputs["clientId"]; assert.True(t, v.IsSecret(), "%s: input clientId = %v, want a secret", p.Key(), v) {
		assert.Equal(t, "44444444-4444-4444-4444-444444444444", v.SecretValue().Element.StringValue(), "%s: input clientId", p.Key())
	}
	Equal(t, p, "useOidc", true)
	Equal(t, p, "useCli", false)
	Equal(t, p, "useMsi", false)
	for _, typ := range []string{tApp, tSP} {
		for _, r := range s.ByType(typ) {
			Equal(t, r, "owners", []string{"55555555-5555-5555-5555-555555555555"})
		}
	}
}

func TestIdentityAppRegistrations(t *testing.T) {
	for _, tc := range []struct {
		env       string
		overrides map[string]string
		spa       []string
	}{
		{"dev", nil, []string{"http://localhost:5173/"}},
		{"prod", nil, []string{"https://app.contoso.example/"}},
		// Custom domains come first; a configured URI repeating one is not listed twice.
		{"dev", map[string]string{
			"frontDoor":  `{"customDomains":["app.example.com","www.example.com"]}`,
			"externalId": `{"mode":"create","domainName":"saascustomersdev","spaRedirectUris":["https://app.example.com/","http://localhost:5173/"],"mobileRedirectUris":["com.contoso.saas://callback"]}`,
		}, []string{"https://app.example.com/", "https://www.example.com/", "http://localhost:5173/"}},
	} {
		t.Run(fmt.Sprintf("%s-%d", tc.env, len(tc.spa)), func(t *testing.T) {
			t.Parallel()
			e := Env(t, tc.env, tc.overrides)
			s := identityStack(t, e)
			provider := One(t, s, tProvider)
			for _, r := range s.Resources {
				// The dashboards' registration is the workforce tenant's (TestIdentityDashboardsApp).
				if strings.HasPrefix(r.Type, "azuread:") && !strings.HasPrefix(r.Name, "dashboards") {
					assert.True(t, strings.HasPrefix(r.Provider, provider.URN+"::"), "%s uses provider %q, want the External ID tenant's", r.Key(), r.Provider)
				}
			}

			graph := map[string]any{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccesses": []any{
				map[string]any{"id": "37f7f235-527c-4136-accd-4a02d197296e", "type": "Scope"},
				map[string]any{"id": "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "type": "Scope"},
			}}
			access := []any{graph}
			spa := Named(t, s, tApp, "externalid-spa")
			mobile := Named(t, s, tApp, "externalid-mobile")
			apiClients, scopes := map[string]any{}, map[string]any{}
			for _, svc := range e.Services {
				api := Named(t, s, tApp, "externalid-api-"+svc.Name)
				appName := e.Names.APIApplications[svc.Name]
				scopeID := asString(t, In(t, api, "api.oauth2PermissionScopes[0].id"))
				assert.True(t, check.GUID(scopeID), "%s: scope ID %q is not a GUID", api.Key(), scopeID)
				clientID := asString(t, Out(t, api, "clientId"))
				Equal(t, api, "displayName", appName)
				Equal(t, api, "signInAudience", "AzureADMyOrg")
				Equal(t, api, "api.requestedAccessTokenVersion", 2)
				Equal(t, api, "api.oauth2PermissionScopes", []any{map[string]any{
					"id": scopeID, "value": "access_as_user", "type": "User", "enabled": true,
					"adminConsentDisplayName": "Access " + svc.Name, "adminConsentDescription": "Lets the app call " + svc.Name + " on behalf of the signed-in user.",
					"userConsentDisplayName": "Access " + svc.Name, "userConsentDescription": "Lets the app call " + svc.Name + " on your behalf.",
				}})
				var wantRoles []any
				ids := map[string]bool{scopeID: true}
				for i, role := range externalid.AppRoles {
					id := asString(t, In(t, api, fmt.Sprintf("appRoles[%d].id", i)))
					assert.True(t, check.GUID(id), "%s: app role %s has ID %q: want a GUID", api.Key(), role.Value, id)
					assert.False(t, ids[id], "%s: app role %s has ID %q: want an ID of its own", api.Key(), role.Value, id)
					ids[id] = true
					wantRoles = append(wantRoles, map[string]any{"id": id, "value": role.Value,
						"displayName": role.DisplayName, "description": role.Description, "allowedMemberTypes": []string{"User"}, "enabled": true})
				}
				Equal(t, api, "appRoles", wantRoles)
				Absent(t, api, "identifierUris")
				Absent(t, api, "password")
				assert.Equal(t, []string{"identifierUris"}, api.IgnoreChanges, "%s: ignoreChanges", api.Key())
				uri := Named(t, s, tAppURI, "externalid-api-"+svc.Name)
				Equal(t, uri, "applicationId", api.ID)
				Equal(t, uri, "identifierUri", "api://"+clientID)
				sp := Named(t, s, tSP, "externalid-api-"+svc.Name)
				Equal(t, sp, "clientId", clientID)
				Equal(t, sp, "appRoleAssignmentRequired", false)
				preSPA := Named(t, s, tPreAuth, "externalid-api-"+svc.Name+"-spa")
				preMobile := Named(t, s, tPreAuth, "externalid-api-"+svc.Name+"-mobile")
				for client, pre := range map[*offline.Resource]*offline.Resource{spa: preSPA, mobile: preMobile} {
					Equal(t, pre, "applicationId", api.ID)
					Equal(t, pre, "authorizedClientId", Out(t, client, "clientId"))
					Equal(t, pre, "permissionIds", []string{scopeID})
				}
				assert.Contains(t, preMobile.DependsOn, preSPA.URN, "%s: pre-authorizations on one app are not chained", svc.Name)
				assert.NotContains(t, preSPA.DependsOn, preMobile.URN, "%s: pre-authorizations on one app are chained the wrong way", svc.Name)
				access = append(access, map[string]any{"resourceAppId": clientID, "resourceAccesses": []any{map[string]any{"id": scopeID, "type": "Scope"}}})
				apiClients[svc.Name] = clientID
				scopes[svc.Name] = "api://" + clientID + "/access_as_user"
			}

			Equal(t, spa, "displayName", e.Names.SPAApplication)
			Equal(t, spa, "signInAudience", "AzureADMyOrg")
			Equal(t, spa, "singlePageApplication.redirectUris", tc.spa)
			Equal(t, spa, "requiredResourceAccesses", access)
			Absent(t, spa, "publicClient")
			Absent(t, spa, "web")
			Equal(t, mobile, "displayName", e.Names.MobileApplication)
			Equal(t, mobile, "signInAudience", "AzureADMyOrg")
			Equal(t, mobile, "publicClient.redirectUris", []string{"com.contoso.saas://callback"})
			Equal(t, mobile, "fallbackPublicClientEnabled", false)
			Equal(t, mobile, "requiredResourceAccesses", access)
			Absent(t, mobile, "singlePageApplication")
			Absent(t, mobile, "web")
			for _, client := range []string{"externalid-spa", "externalid-mobile"} {
				Equal(t, Named(t, s, tSP, client), "clientId", Out(t, Named(t, s, tApp, client), "clientId"))
			}
			for out, want := range map[string]any{
				"spaClientId": Out(t, spa, "clientId"), "mobileClientId": Out(t, mobile, "clientId"),
				"apiClientIds": apiClients, "apiScopes": scopes,
			} {
				assert.Equal(t, normalize(want), normalize(Output(t, s, out)), "output %s", out)
			}
			assert.Len(t, s.ByType(tApp), 2+len(e.Services), "app registrations")
		})
	}
}

// Graph refuses to change the ID of an enabled scope or app role, so the IDs must not move when the
// display names do (prefix, environment, region): they derive from the service alone.
func TestIdentityAPIScopeAndRoleIDsAreStable(t *testing.T) {
	t.Parallel()
	ids := func(e *config.Env) map[string]string {
		s := identityStack(t, e)
		out := map[string]string{}
		for _, svc := range e.Services {
			api := Named(t, s, tApp, "externalid-api-"+svc.Name)
			out[svc.Name+" scope"] = asString(t, In(t, api, "api.oauth2PermissionScopes[0].id"))
			for i, r := range externalid.AppRoles {
				out[svc.Name+" role "+r.Value] = asString(t, In(t, api, fmt.Sprintf("appRoles[%d].id", i)))
			}
		}
		return out
	}
	dev := Env(t, "dev", nil)
	renamed := Env(t, "dev", map[string]string{"prefix": "acme", "location": "northeurope", "nameSuffix": "x1"})
	first := dev.Services[0].Name
	require.NotEqual(t, dev.Names.APIApplications[first], renamed.Names.APIApplications[first], "the override does not change the display names")
	assert.Equal(t, ids(dev), ids(renamed), "scope and role IDs moved with the display names")
}

// Every resource of the layer hangs below the layer component, and the contract is complete
// (identityStack exports it, which fails on an unset field).
func TestIdentityLayerComponent(t *testing.T) {
	t.Parallel()
	e := Env(t, "dev", nil)
	s := identityStack(t, e)
	l := Named(t, s, "platform:layer:Identity", "identity")
	for _, r := range s.Resources {
		cur := r
		for cur != nil && cur != l {
			cur = s.ParentOf(cur)
		}
		assert.NotNil(t, cur, "%s is not below the identity layer component", r.Key())
	}
	var keys []string
	for k := range s.Outputs {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	assert.Equal(t, contract.Keys(identity.Outputs{}), keys, "exported keys")
}

// A base contract without a subnet the layer needs fails the run, naming the key, instead of
// assigning a role on the scope "".
func TestIdentityMissingBaseSubnet(t *testing.T) {
	t.Parallel()
	e := Env(t, "dev", nil)
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		b := BaseFixture(e)
		b.SubnetIDs = pulumi.StringMap{"nodes": pulumi.String("n"), "apiServer": pulumi.String("a")}.ToStringMapOutput()
		_, err := identity.New(ctx, e, b)
		return err
	})
	assert.ErrorContains(t, err, `base subnetIds has no "agc"`, "want an error naming the missing agc subnet")
}

func TestIdentityManagedIdentityValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := managedidentity.New(ctx, "bad", &managedidentity.Args{
			Name: "-bad",
			FederatedCredentials: []managedidentity.FederatedCredential{
				{Name: "ok-name", Issuer: pulumi.String("https://issuer")},
				{Name: "ok-name"},
				{Name: "x"},
			},
		})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName is required", "Location is required", `Name: managedIdentity name "-bad"`,
		"FederatedCredentials[0].Subject is required", `FederatedCredentials[1].Name "ok-name" is used twice`,
		"FederatedCredentials[1].Issuer is required", `FederatedCredentials[2].Name: federatedCredential name "x"`)
	// Entra's limit: 20 credentials per identity, each with exactly one audience (the type holds one).
	for n, want := range map[int]string{20: "", 21: "managedidentity: 21 federated credentials on identity pipeline-id, Entra ID allows 20 per identity"} {
		s, err := TryRunProgram(func(ctx *pulumi.Context) error {
			creds := make([]managedidentity.FederatedCredential, n)
			for i := range creds {
				creds[i] = managedidentity.FederatedCredential{Name: fmt.Sprintf("cred-%d", i), Issuer: pulumi.String("https://i"), Subject: pulumi.String(fmt.Sprintf("s%d", i))}
			}
			_, err := managedidentity.NewFederatedCredentials(ctx, "pipeline-id", pulumi.String("rg"), pulumi.String("id"), creds)
			return err
		})
		if want == "" {
			require.NoError(t, err, "%d credentials", n)
			assert.Len(t, s.ByType(tokFIC), n, "credentials")
			continue
		}
		assert.ErrorContains(t, err, want, "%d credentials", n)
	}
}

func TestIdentityExternalIDValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args externalid.Args
		want []string
	}{
		{"create", externalid.Args{
			Mode: externalid.ModeCreate, DomainName: "Has-Dash", TenantID: "x", DeployerObjectID: "y",
			SPA:    externalid.Client{RedirectURIs: []string{"http://app.example.com/", "https://app.example.com", "ftp://x/"}},
			Mobile: externalid.Client{Name: "m", RedirectURIs: []string{"callback"}},
			APIs:   []externalid.API{{Key: "a", Name: "A"}, {Key: "a"}},
		}, []string{
			"ResourceGroupName is required", `DomainName "Has-Dash"`, "DisplayName is required", "CountryCode is required",
			"DataResidency is required", "only used with mode existing", "DeployerClientID and DeployerObjectID go together",
			"SPA.Name is required", "SPA.RedirectURIs[0]", "http:// is only allowed for localhost", "SPA.RedirectURIs[1]",
			"add a path or a trailing slash", "SPA.RedirectURIs[2]", "Mobile.RedirectURIs[0]", `APIs[1].Key "a"`, "APIs[1].Name is required",
		}},
		{"existing", externalid.Args{Mode: externalid.ModeExisting, TenantID: "not-a-guid", TenantSubdomain: "Bad-Sub", DomainName: "x", Lock: avm.LockCanNotDelete, Mobile: externalid.Client{Name: "m"}, SPA: externalid.Client{Name: "s"}},
			[]string{`TenantID "not-a-guid"`, `TenantSubdomain "Bad-Sub"`, "DomainName is only used with mode create", "Lock is only used with mode create"}},
		{"mode", externalid.Args{Mode: "disabled", SPA: externalid.Client{Name: "s"}, Mobile: externalid.Client{Name: "m"}}, []string{`Mode "disabled": want create or existing`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := TryRunProgram(func(ctx *pulumi.Context) error {
				args := tc.args
				_, err := externalid.New(ctx, "x", &args)
				return err
			})
			ErrorMentions(t, err, tc.want...)
		})
	}
}

// plantCredentials registers what the credential scan must catch.
func plantCredentials(ctx *pulumi.Context) error {
	if _, err := azuread.NewApplicationPassword(ctx, "leak", &azuread.ApplicationPasswordArgs{ApplicationId: pulumi.String("/applications/x")}); err != nil {
		return err
	}
	if _, err := azuread.NewServicePrincipalPassword(ctx, "leak", &azuread.ServicePrincipalPasswordArgs{ServicePrincipalId: pulumi.String("sp")}); err != nil {
		return err
	}
	if _, err := azuread.NewApplication(ctx, "with-password", &azuread.ApplicationArgs{
		DisplayName: pulumi.String("x"),
		Password:    azuread.ApplicationPasswordTypeArgs{DisplayName: pulumi.String("p")},
	}); err != nil {
		return err
	}
	_, err := azuread.NewProvider(ctx, "with-secret", &azuread.ProviderArgs{ClientSecret: pulumi.String("s")})
	return err
}

// In a layered deployment the identity stack reads base through a StackReference, with the
// dispatcher every layer project runs.
func TestIdentityLayeredReadsBaseThroughStackReference(t *testing.T) {
	t.Parallel()
	cfg := Config(t, "dev", nil)
	e := Env(t, "dev", nil)
	base := offline.StackSpec{Layer: layers.Base, Project: "platform-base", Stack: "dev"}
	up, err := offline.RunStack(base, cfg, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		return contract.Export(ctx, "", BaseFixture(e))
	})
	require.NoError(t, err, "base")
	s, err := offline.RunStack(offline.StackSpec{Layer: layers.Identity, Project: "platform-identity", Stack: "dev"}, cfg,
		map[string]resource.PropertyMap{base.FullName(): up.Outputs}, layers.Run)
	require.NoError(t, err, "identity")
	ref := One(t, s, "pulumi:pulumi:StackReference")
	assert.True(t, ref.Read, "%s: want a read", ref.Key())
	assert.Equal(t, base.FullName(), ref.ID, "%s: ID", ref.Key())
	Equal(t, Named(t, s, tUAI, config.IdentityPipeline), "resourceGroupName", e.Names.ResourceGroup)
	Equal(t, Named(t, s, tRA, "key-vault-external-secrets-key-vault-secrets-user"), "scope", ARMID(e, "Microsoft.KeyVault/vaults/"+fixtureGlobal(e).KeyVault))
	var keys []string
	for k := range s.Outputs {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	assert.Equal(t, contract.Keys(identity.Outputs{}), keys, "identity stack's exported keys")

}
