package tests

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
)

const (
	vaultType    = "azure-native:keyvault:Vault"
	sqlSrvType   = "azure-native:sql:Server"
	sqlDBType    = "azure-native:sql:Database"
	accountType  = "azure-native:storage:StorageAccount"
	lockType     = "azure-native:authorization:ManagementLockByScope"
	peType       = "azure-native:network:PrivateEndpoint"
	zoneGrpType  = "azure-native:network:PrivateDnsZoneGroup"
	zoneType     = "azure-native:network:PrivateZone"
	vnetLinkType = "azure-native:network:VirtualNetworkLink"
	diagType     = "azure-native:insights:DiagnosticSetting"
)

// baseStack runs the real layered program up to the base layer for an environment.
func baseStack(t *testing.T, env string, overrides map[string]string) (*config.Env, *offline.Stack) {
	t.Helper()
	p := PlanUpTo(t, env, "base", Config(t, env, overrides))
	require.Len(t, p.Stacks, 1, "stacks of the plan up to base")
	return Env(t, env, overrides), p.Stack("base")
}

// tRandomString is pulumi-random's RandomString.
const tRandomString = "random:index/randomString:RandomString"

// planSuffix is the value the offline plan gave the base layer's random name suffix.
func planSuffix(t *testing.T, s *offline.Stack) string {
	t.Helper()
	return asString(t, Out(t, One(t, s, tRandomString), "result"))
}

// stateful is how the layer names its stateful resources: the ones that get protect and a lock
// in prod.
var stateful = []struct{ token, name string }{
	{vaultType, "keyvault"},
	{sqlSrvType, "sql"},
	{sqlDBType, "sql"},
	{pgServerType, "postgres"},
	{accountType, "datalake"},
}

func TestBaseLayer(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := baseStack(t, env, nil)
			prod := env == "prod"
			n, g := e.Names, Global(t, e, planSuffix(t, s))

			// Every resource hangs below the layer's component.
			layer := One(t, s, "platform:layer:Base")
			assert.Equal(t, "base", layer.Name, "layer component name")
			for _, r := range s.Resources {
				if r == layer || r.Type == "pulumi:pulumi:Stack" {
					continue
				}
				p := s.ParentOf(r)
				for p != nil && p != layer {
					p = s.ParentOf(p)
				}
				assert.NotNil(t, p, "%s is not below platform:layer:Base", r.Key())
			}

			rg := One(t, s, "azure-native:resources:ResourceGroup")
			Equal(t, rg, "resourceGroupName", n.ResourceGroup)
			Equal(t, rg, "location", e.Location)

			// Key Vault: RBAC only, no public network access, in both environments.
			kv := One(t, s, vaultType)
			Equal(t, kv, "vaultName", g.KeyVault)
			Equal(t, kv, "properties.enableRbacAuthorization", true)
			Equal(t, kv, "properties.publicNetworkAccess", "Disabled")
			Equal(t, kv, "properties.networkAcls.defaultAction", "Deny")
			Equal(t, kv, "properties.tenantId", offline.TenantID)
			Absent(t, kv, "properties.accessPolicies")
			if prod {
				Equal(t, kv, "properties.enablePurgeProtection", true)
			} else {
				Absent(t, kv, "properties.enablePurgeProtection")
			}

			// Entra groups: created in dev, configured object IDs in prod.
			groups := s.ByType(groupType)
			dbAdmins := e.Entra.DatabaseAdminsGroupObjectID
			if prod {
				assert.Empty(t, groups, "prod creates groups (createGroups is false)")
			} else {
				require.Len(t, groups, 2, "groups dev creates")
				g := Named(t, s, groupType, "entra-database-admins")
				Equal(t, g, "displayName", n.DatabaseAdminsGroup)
				dbAdmins = Out(t, g, "objectId").(string)
			}

			// SQL: Entra-only with the database-admins group; no SQL login or password.
			srv := One(t, s, sqlSrvType)
			Equal(t, srv, "administrators", map[string]any{
				"administratorType": "ActiveDirectory", "azureADOnlyAuthentication": true, "principalType": "Group",
				"login": n.DatabaseAdminsGroup, "sid": dbAdmins, "tenantId": offline.TenantID,
			})
			Absent(t, srv, "administratorLogin")
			Absent(t, srv, "administratorLoginPassword")
			Equal(t, srv, "publicNetworkAccess", "Disabled")
			Equal(t, srv, "minimalTlsVersion", "1.2")
			db := One(t, s, sqlDBType)
			Equal(t, db, "sku.name", "GP_S_Gen5")
			Equal(t, db, "autoPauseDelay", map[bool]int{false: 60, true: -1}[prod])
			Equal(t, db, "zoneRedundant", prod)
			Equal(t, db, "requestedBackupStorageRedundancy", map[bool]string{false: "Local", true: "Geo"}[prod])

			// The network: subnets, the NAT association of the nodes subnet only, delegations.
			subnets := map[netplan.Role]*offline.Resource{}
			for _, role := range netplan.Roles {
				subnets[role] = Named(t, s, bindings.SubnetType, "network-"+string(role))
				Equal(t, subnets[role], "addressPrefix", e.Subnets[role])
				Equal(t, subnets[role], "defaultOutboundAccess", false)
			}
			nat := One(t, s, "azure-native:network:NatGateway")
			Equal(t, subnets[netplan.Nodes], "natGateway", map[string]any{"id": nat.ID})
			for _, role := range netplan.Roles[1:] {
				Absent(t, subnets[role], "natGateway")
			}
			Equal(t, subnets[netplan.APIServer], "delegations[0].serviceName", "Microsoft.ContainerService/managedClusters")
			Equal(t, subnets[netplan.AGC], "delegations[0].serviceName", "Microsoft.ServiceNetworking/trafficControllers")
			Equal(t, subnets[netplan.Postgres], "delegations[0].serviceName", "Microsoft.DBforPostgreSQL/flexibleServers")
			Equal(t, subnets[netplan.PrivateEndpoints], "privateEndpointNetworkPolicies", "Enabled")
			if prod {
				Equal(t, One(t, s, "azure-native:network:PublicIPPrefix"), "prefixLength", 30)
			} else {
				One(t, s, "azure-native:network:PublicIPAddress")
			}

			// Every data service has its private endpoint in the private-endpoints subnet and a
			// zone group registering it in the service's zone.
			zones := map[string]*offline.Resource{}
			for _, z := range s.ByType(zoneType) {
				zones[strings.TrimPrefix(z.Name, "privatedns-")] = z
			}
			lake := Named(t, s, accountType, "datalake")
			for _, c := range []struct {
				pe, group, zone string
				target          *offline.Resource
			}{
				{"keyvault-vault", "vault", "keyVault", kv},
				{"sql-sqlServer", "sqlServer", "sql", srv},
				{"datalake-blob", "blob", "blob", lake},
				{"datalake-dfs", "dfs", "dfs", lake},
			} {
				pe := Named(t, s, peType, c.pe)
				Equal(t, pe, "subnet.id", subnets[netplan.PrivateEndpoints].ID)
				Equal(t, pe, "privateLinkServiceConnections[0].privateLinkServiceId", c.target.ID)
				Equal(t, pe, "privateLinkServiceConnections[0].groupIds", []string{c.group})
				zg := Named(t, s, zoneGrpType, c.pe)
				Equal(t, zg, "privateEndpointName", In(t, pe, "privateEndpointName"))
				Equal(t, zg, "privateDnsZoneConfigs", []map[string]any{{"name": c.group, "privateDnsZoneId": zones[c.zone].ID}})
			}
			assert.Len(t, s.ByType(peType), 4, "private endpoints")

			// PostgreSQL: private access through its delegated subnet and zone, which is linked
			// before the server registers in it.
			pg := One(t, s, pgServerType)
			Equal(t, pg, "network", map[string]any{
				"delegatedSubnetResourceId":   subnets[netplan.Postgres].ID,
				"privateDnsZoneArmResourceId": zones["postgres"].ID,
				"publicNetworkAccess":         "Disabled",
			})
			Equal(t, zones["postgres"], "privateZoneName", g.PostgresPrivateDNSZone)
			link := Named(t, s, vnetLinkType, "privatedns-postgres")
			assert.Contains(t, pg.DependsOn, link.URN, "the PostgreSQL server does not wait for its zone's VNet link")
			Equal(t, pg, "authConfig", map[string]any{"activeDirectoryAuth": "Enabled", "passwordAuth": "Disabled", "tenantId": offline.TenantID})
			admin := One(t, s, pgAdminType)
			Equal(t, admin, "objectId", dbAdmins)
			Equal(t, admin, "principalName", n.DatabaseAdminsGroup)
			Equal(t, admin, "principalType", "Group")

			// Stateful resources: protect and a CanNotDelete lock in prod, neither in dev.
			locks := map[string]*offline.Resource{}
			for _, l := range s.ByType(lockType) {
				locks[In(t, l, "scope").(string)] = l
			}
			protected := 0
			for _, r := range s.Resources {
				if r.Protect {
					protected++
				}
			}
			if !prod {
				assert.Zero(t, protected, "dev has protected resources")
				assert.Empty(t, locks, "dev has locks")
			}
			if prod {
				// The stateful resources and the name suffix, whose replacement would rename them.
				assert.True(t, One(t, s, tRandomString).Protect, "the name suffix is not protected")
				assert.Equal(t, len(stateful)+1, protected, "prod's protected resources: one per stateful resource, and the name suffix")
				assert.Len(t, locks, len(stateful), "prod's locks: one per stateful resource")
				for _, st := range stateful {
					r := Named(t, s, st.token, st.name)
					assert.True(t, r.Protect, "%s is not protected", r.Key())
					if l := locks[r.ID]; assert.NotNil(t, l, "%s has no lock", r.Key()) {
						Equal(t, l, "level", "CanNotDelete")
					}
				}
			}

			// Diagnostics of Key Vault, SQL database, PostgreSQL and both accounts' blob services
			// go to the workspace, and so does the SQL server's audit log (master database).
			ws := One(t, s, "azure-native:operationalinsights:Workspace")
			Equal(t, ws, "retentionInDays", e.Monitoring.RetentionDays)
			spa := Named(t, s, accountType, "spa")
			master := Named(t, s, "azure-native:sql:Server", "sql").ID + "/databases/master"
			wantDiag := map[string]string{kv.ID: "AllMetrics", db.ID: "Basic", pg.ID: "AllMetrics",
				spa.ID + "/blobServices/default": "Transaction", lake.ID + "/blobServices/default": "Transaction", master: ""}
			diags := s.ByType(diagType)
			assert.Len(t, diags, len(wantDiag), "diagnostic settings")
			for _, d := range diags {
				uri := In(t, d, "resourceUri").(string)
				metric, ok := wantDiag[uri]
				if !assert.True(t, ok, "unexpected diagnostic setting on %s", uri) {
					continue
				}
				Equal(t, d, "workspaceId", ws.ID)
				if uri == master {
					Equal(t, d, "logs", []map[string]any{{"category": "SQLSecurityAuditEvents", "enabled": true}})
					continue
				}
				Equal(t, d, "metrics[0].category", metric)
			}
			Equal(t, One(t, s, "azure-native:sql:ServerBlobAuditingPolicy"), "isAzureMonitorTargetEnabled", true)
			Absent(t, One(t, s, bindings.MonitorWorkspaceType), "publicNetworkAccess") // read-only at 2023-04-03

			// Storage.
			Equal(t, lake, "isHnsEnabled", true)
			Equal(t, lake, "publicNetworkAccess", "Disabled")
			Equal(t, spa, "publicNetworkAccess", "Enabled")
			for _, a := range []*offline.Resource{spa, lake} {
				Equal(t, a, "allowSharedKeyAccess", false)
				Equal(t, a, "allowBlobPublicAccess", false)
				Equal(t, a, "minimumTlsVersion", "TLS1_2")
				Equal(t, a, "sku.name", e.Storage.Replication)
			}
			Absent(t, One(t, s, "azure-native:storage:BlobServiceProperties"), "isVersioningEnabled")
			assert.Len(t, s.ByType("azure-native:storage:BlobContainer"), len(e.Storage.DataLakeContainers), "data lake containers")
		})
	}
}

// untaggable are the types that take no tags (sub-resources, extension resources, Entra objects).
var untaggable = map[string]bool{
	bindings.SubnetType: true,
	zoneGrpType:         true,
	diagType:            true,
	lockType:            true,
	"azure-native:storage:BlobServiceProperties":       true,
	"azure-native:storage:BlobContainer":               true,
	"azure-native:storage:StorageAccountStaticWebsite": true,
	pgAdminType: true,
	groupType:   true,
	"azure-native:sql:ServerBlobAuditingPolicy": true,
	tRandomString: true, // not an Azure resource
}

// TestBaseTags: every taggable resource carries exactly the environment's tags, and the list of
// untaggable types is exact (a type on it that does take tags fails too).
func TestBaseTags(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := baseStack(t, env, nil)
			want := e.ResourceTags()
			require.NotEmpty(t, want["owner"], "environment tags %v lack the configured ones", want)
			require.Equal(t, env, want["environment"], "environment tags %v lack the configured ones", want)
			seenUntaggable := map[string]bool{}
			for _, r := range s.Resources {
				if !r.Custom {
					continue
				}
				if untaggable[r.Type] {
					seenUntaggable[r.Type] = true
					Absent(t, r, "tags")
					continue
				}
				Equal(t, r, "tags", want)
			}
			for typ := range untaggable {
				if !(env == "prod" && typ == groupType) && !(env == "dev" && typ == lockType) {
					assert.True(t, seenUntaggable[typ], "untaggable type %s is not in the plan: remove it from the list", typ)
				}
			}
		})
	}
}

// credentialName matches input names that would carry a credential.
var credentialName = regexp.MustCompile(`(?i)password|secret|key|token|connectionstring|credential|sas`)

// settingsNamedLikeKeys are inputs whose names match but that hold settings, with the only value
// the platform may send.
var settingsNamedLikeKeys = map[string]any{"allowSharedKeyAccess": false, "passwordAuth": "Disabled"}

// TestBaseHoldsNoSecrets scans every input of every resource of the base layer (nested objects and
// lists included) for names of credentials, and every output the layer exports for secrets: no
// password, key or connection string is generated, stored or exported. The one generated value is
// the name suffix, a RandomString of 4 lowercase letters and digits.
func TestBaseHoldsNoSecrets(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			_, s := baseStack(t, env, nil)
			scanned := 0
			var walk func(r *offline.Resource, path string, v any)
			walk = func(r *offline.Resource, path string, v any) {
				switch x := v.(type) {
				case map[string]any:
					for k, el := range x {
						p := path + "." + k
						scanned++
						if credentialName.MatchString(k) && !strings.HasSuffix(path, ".tags") {
							want, ok := settingsNamedLikeKeys[k]
							if assert.True(t, ok, "%s: input %s = %s looks like a credential", r.Key(), strings.TrimPrefix(p, "."), JSON(el)) {
								assert.Equal(t, normalize(want), normalize(el), "%s: input %s looks like a credential unless it holds the one allowed setting", r.Key(), strings.TrimPrefix(p, "."))
							}
						}
						walk(r, p, el)
					}
				case []any:
					for i, el := range x {
						walk(r, fmt.Sprintf("%s[%d]", path, i), el)
					}
				case string:
					assert.NotEqual(t, "[secret]", x, "%s: input %s is a secret", r.Key(), path)
				}
			}
			for _, r := range s.Resources {
				// The one generated value is the name suffix: a plain, short name part.
				if strings.HasPrefix(r.Type, "random:") {
					assert.Equal(t, tRandomString+"::name-suffix", r.Key(), "%s generates a value", r.Key())
					assert.Equal(t, map[string]any{"length": 4.0, "lower": true, "numeric": true, "upper": false, "special": false},
						offline.Plain(resource.NewProperty(r.Inputs)), "%s: inputs", r.Key())
				}
				walk(r, "", offline.Plain(resource.NewProperty(r.Inputs)))
			}
			assert.GreaterOrEqual(t, scanned, 500, "inputs scanned: the walk is broken")
			for k, v := range s.Outputs {
				// keyVault* name the vault, not a key.
				assert.False(t, v.ContainsSecrets(), "the layer exports the secret %s", k)
				assert.False(t, credentialName.MatchString(strings.TrimPrefix(string(k), "keyVault")), "the layer exports %s, named like a credential", k)
			}
		})
	}
}

var (
	reGUIDValue = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	reHTTPS     = regexp.MustCompile(`^https://[a-z0-9.-]+/$`)
)

// TestBaseContract: the base stack exports every key of the contract, each with a value shaped
// like Azure's.
func TestBaseContract(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := baseStack(t, env, nil)
			keys := contract.Keys(&base.Outputs{})
			require.Equal(t, keys, sortedKeys(s.Outputs), "exported keys")
			rgID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", offline.SubscriptionID, e.Names.ResourceGroup)
			str := func(k string) string {
				v, ok := Output(t, s, k).(string)
				require.True(t, ok, "%s is not a string", k)
				return v
			}
			armID := func(k, providerPath string) {
				assert.Equal(t, rgID+"/providers/"+providerPath, str(k), "output %s", k)
			}
			n, g := e.Names, Global(t, e, planSuffix(t, s))
			assert.Equal(t, planSuffix(t, s), str("nameSuffix"), "output nameSuffix: the random string's result")
			assert.Equal(t, n.ResourceGroup, str("resourceGroupName"), "output resourceGroupName")
			assert.Equal(t, rgID, str("resourceGroupId"), "output resourceGroupId")
			assert.Equal(t, e.Location, str("location"), "output location")
			assert.Equal(t, offline.TenantID, str("tenantId"), "output tenantId: the client config's")
			armID("vnetId", "Microsoft.Network/virtualNetworks/"+n.VirtualNetwork)
			armID("natGatewayId", "Microsoft.Network/natGateways/"+n.NatGateway)
			armID("keyVaultId", "Microsoft.KeyVault/vaults/"+g.KeyVault)
			armID("sqlServerId", "Microsoft.Sql/servers/"+g.SQLServer)
			armID("postgresServerId", "Microsoft.DBforPostgreSQL/flexibleServers/"+g.PostgresServer)
			armID("spaStorageAccountId", "Microsoft.Storage/storageAccounts/"+g.SPAStorage)
			armID("dataLakeAccountId", "Microsoft.Storage/storageAccounts/"+g.DataLakeStorage)
			armID("logAnalyticsWorkspaceId", "Microsoft.OperationalInsights/workspaces/"+n.LogAnalytics)
			armID("monitorWorkspaceId", "Microsoft.Monitor/accounts/"+n.MonitorWorkspace)
			assert.Equal(t, g.KeyVault, str("keyVaultName"), "output keyVaultName")
			assert.Equal(t, "https://"+g.KeyVault+".vault.azure.net/", str("keyVaultUri"), "output keyVaultUri")
			assert.Equal(t, g.SQLServer+".database.windows.net", str("sqlServerFqdn"), "output sqlServerFqdn")
			assert.Equal(t, n.SQLDatabase, str("sqlDatabaseName"), "output sqlDatabaseName")
			assert.Equal(t, g.PostgresServer+".postgres.database.azure.com", str("postgresServerFqdn"), "output postgresServerFqdn")
			for _, k := range []string{"spaWebEndpoint", "dataLakeDfsEndpoint"} {
				assert.Regexp(t, reHTTPS, str(k), "output %s: want an https endpoint", k)
			}
			assert.Contains(t, str("spaWebEndpoint"), g.SPAStorage+".", "output spaWebEndpoint")
			assert.Contains(t, str("spaWebEndpoint"), ".web.core.windows.net", "output spaWebEndpoint")
			assert.Equal(t, "https://"+g.DataLakeStorage+".dfs.core.windows.net/", str("dataLakeDfsEndpoint"), "output dataLakeDfsEndpoint")
			for _, k := range []string{"platformAdminsGroupObjectId", "databaseAdminsGroupObjectId"} {
				assert.Regexp(t, reGUIDValue, str(k), "output %s: want a GUID", k)
			}
			if env == "prod" {
				assert.Equal(t, e.Entra.PlatformAdminsGroupObjectID, str("platformAdminsGroupObjectId"), "prod's platform admins group ID passes through")
				assert.Equal(t, e.Entra.DatabaseAdminsGroupObjectID, str("databaseAdminsGroupObjectId"), "prod's database admins group ID passes through")
			}
			subnetIDs := Output(t, s, "subnetIds").(map[string]any)
			assert.Len(t, subnetIDs, len(netplan.Roles), "output subnetIds")
			for _, role := range netplan.Roles {
				want := rgID + "/providers/Microsoft.Network/virtualNetworks/" + n.VirtualNetwork + "/subnets/" + n.Subnets[role]
				assert.Equal(t, want, subnetIDs[string(role)], "output subnetIds.%s", role)
			}
			zoneIDs := Output(t, s, "privateDnsZoneIds").(map[string]any)
			var zoneKeys []string
			for k, v := range zoneIDs {
				zoneKeys = append(zoneKeys, k)
				assert.True(t, strings.HasPrefix(v.(string), rgID+"/providers/Microsoft.Network/privateDnsZones/"), "output privateDnsZoneIds.%s = %v", k, v)
			}
			sort.Strings(zoneKeys)
			assert.Equal(t, []string{"acr", "blob", "cognitiveServices", "dfs", "keyVault", "postgres", "sql"}, zoneKeys,
				"output privateDnsZoneIds keys (no aks zone with apiServerAccess vnetIntegration)")
		})
	}
}

// TestBasePrivateAPIServer: a private API server gets its privatelink.<region>.azmk8s.io zone,
// linked to the VNet and exported under "aks".
func TestBasePrivateAPIServer(t *testing.T) {
	t.Parallel()
	_, s := baseStack(t, "dev", map[string]string{"aks": JSON(map[string]any{"kubernetesVersion": "1.36", "apiServerAccess": "private"})})
	z := Named(t, s, zoneType, "privatedns-aks")
	Equal(t, z, "privateZoneName", "privatelink.westeurope.azmk8s.io")
	Named(t, s, vnetLinkType, "privatedns-aks")
	assert.Equal(t, z.ID, Output(t, s, "privateDnsZoneIds").(map[string]any)["aks"], "output privateDnsZoneIds.aks")
}

// TestBaseAPIServerSubnetAdmitsAuthorizedRanges: with API server VNet integration the public
// endpoint's traffic may cross the apiServer subnet's NSG (Microsoft documents neither way), so
// the subnet admits on 443 exactly what the API server admits: its authorized ranges, every
// address when it has none, nothing for a private API server.
func TestBaseAPIServerSubnetAdmitsAuthorizedRanges(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		aks  map[string]any
		want []string // sources of the rule; nil: no rule
		why  string   // in its description
	}{
		{"authorized ranges", map[string]any{"kubernetesVersion": "1.36", "authorizedIpRanges": []string{"203.0.113.0/24", "198.51.100.7/32"}}, []string{"203.0.113.0/24", "198.51.100.7/32"}, "only its authorized IP ranges, on 443"},
		{"no authorized ranges", map[string]any{"kubernetesVersion": "1.36"}, []string{"Internet"}, "without authorized ranges: open on 443 as the API server itself is"},
		{"private API server", map[string]any{"kubernetesVersion": "1.36", "apiServerAccess": "private"}, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, s := baseStack(t, "dev", map[string]string{"aks": JSON(c.aks)})
			rules := rulesOf(t, Named(t, s, "azure-native:network:NetworkSecurityGroup", "network-"+string(netplan.APIServer)))
			var got *nsgRule
			for i := range rules {
				if rules[i].Name == "allow-authorized-ranges-to-apiserver" {
					got = &rules[i]
				}
			}
			if c.want == nil {
				assert.Nil(t, got, "a private API server has no public endpoint to admit")
				return
			}
			require.NotNil(t, got, "rule for the API server's authorized ranges")
			assert.Equal(t, nsgRule{"allow-authorized-ranges-to-apiserver", "Allow", "Tcp", 130, c.want, []string{e.Subnets[netplan.APIServer]}, []string{"443"}}, *got)
			assert.Equal(t, "deny-all-inbound", rules[len(rules)-1].Name, "the final deny stays last")
			nsg := Named(t, s, "azure-native:network:NetworkSecurityGroup", "network-"+string(netplan.APIServer))
			for _, raw := range In(t, nsg, "securityRules").([]any) {
				if r := raw.(map[string]any); r["name"] == got.Name {
					assert.Contains(t, r["description"], c.why, "the rule says why")
				}
			}
		})
	}
}

// TestBaseExistingGroupName: with existing groups, a configured display name is the SQL login and
// the PostgreSQL principal name.
func TestBaseExistingGroupName(t *testing.T) {
	t.Parallel()
	_, s := baseStack(t, "prod", map[string]string{"entra": JSON(map[string]any{
		"createGroups": false, "platformAdminsGroupObjectId": "11111111-1111-1111-1111-111111111111",
		"databaseAdminsGroupObjectId": "22222222-2222-2222-2222-222222222222", "databaseAdminsGroupName": "SQL Admins",
	})})
	Equal(t, One(t, s, sqlSrvType), "administrators.login", "SQL Admins")
	Equal(t, One(t, s, sqlSrvType), "administrators.sid", "22222222-2222-2222-2222-222222222222")
	Equal(t, One(t, s, pgAdminType), "principalName", "SQL Admins")
}

// reFallbackID matches the IDs offline/synth.go guesses for a type its armTypes table does not
// know ("/providers/Microsoft.network/..."): every provider namespace Azure uses starts with a
// capital letter.
var reFallbackID = regexp.MustCompile(`/providers/Microsoft\.[a-z]`)

// TestTypesKnownOffline: the offline engine knows every azure-native type any layer registers,
// so the offline plan shows real IDs and the computed outputs downstream wiring reads.
func TestTypesKnownOffline(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			for _, s := range Plan(t, env, offline.Layered, Config(t, env, nil)).Stacks {
				for _, r := range s.Resources {
					if !r.Custom || !strings.HasPrefix(r.Type, "azure-native:") {
						continue
					}
					assert.Contains(t, r.ID, "/subscriptions/", "%s: ID %s is the unknown-type fallback; add the type to offline/synth.go armTypes", r.Key(), r.ID)
					assert.NotRegexp(t, reFallbackID, r.ID, "%s: ID %s is the unknown-type fallback; add the type to offline/synth.go armTypes", r.Key(), r.ID)

				}
			}
		})
	}
}
