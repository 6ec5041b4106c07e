package tests

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

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
	if len(p.Stacks) != 1 {
		t.Fatalf("plan up to base ran %d stacks", len(p.Stacks))
	}
	return Env(t, env, overrides), p.Stack("base")
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
			n := e.Names

			// Every resource hangs below the layer's component.
			layer := One(t, s, "platform:layer:Base")
			if layer.Name != "base" {
				t.Errorf("layer component named %q", layer.Name)
			}
			for _, r := range s.Resources {
				if r == layer || r.Type == "pulumi:pulumi:Stack" {
					continue
				}
				p := s.ParentOf(r)
				for p != nil && p != layer {
					p = s.ParentOf(p)
				}
				if p == nil {
					t.Errorf("%s is not below platform:layer:Base", r.Key())
				}
			}

			rg := One(t, s, "azure-native:resources:ResourceGroup")
			Equal(t, rg, "resourceGroupName", n.ResourceGroup)
			Equal(t, rg, "location", e.Location)

			// Key Vault: RBAC only, no public network access, in both environments.
			kv := One(t, s, vaultType)
			Equal(t, kv, "vaultName", n.KeyVault)
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
				if len(groups) != 0 {
					t.Errorf("prod creates %d groups (createGroups is false)", len(groups))
				}
			} else {
				if len(groups) != 2 {
					t.Fatalf("dev creates %d groups, want 2", len(groups))
				}
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
			if got := len(s.ByType(peType)); got != 4 {
				t.Errorf("%d private endpoints, want 4", got)
			}

			// PostgreSQL: private access through its delegated subnet and zone, which is linked
			// before the server registers in it.
			pg := One(t, s, pgServerType)
			Equal(t, pg, "network", map[string]any{
				"delegatedSubnetResourceId":   subnets[netplan.Postgres].ID,
				"privateDnsZoneArmResourceId": zones["postgres"].ID,
				"publicNetworkAccess":         "Disabled",
			})
			Equal(t, zones["postgres"], "privateZoneName", n.PostgresPrivateDNSZone)
			if link := Named(t, s, vnetLinkType, "privatedns-postgres"); !slices.Contains(pg.DependsOn, link.URN) {
				t.Errorf("the PostgreSQL server does not wait for its zone's VNet link: %v", pg.DependsOn)
			}
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
			if !prod && (protected != 0 || len(locks) != 0) {
				t.Errorf("dev has %d protected resources and %d locks", protected, len(locks))
			}
			if prod {
				if protected != len(stateful) || len(locks) != len(stateful) {
					t.Errorf("prod has %d protected resources and %d locks, want %d of each", protected, len(locks), len(stateful))
				}
				for _, st := range stateful {
					r := Named(t, s, st.token, st.name)
					if !r.Protect {
						t.Errorf("%s is not protected", r.Key())
					}
					if l := locks[r.ID]; l == nil {
						t.Errorf("%s has no lock", r.Key())
					} else {
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
			if len(diags) != len(wantDiag) {
				t.Errorf("%d diagnostic settings, want %d", len(diags), len(wantDiag))
			}
			for _, d := range diags {
				uri := In(t, d, "resourceUri").(string)
				metric, ok := wantDiag[uri]
				if !ok {
					t.Errorf("unexpected diagnostic setting on %s", uri)
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
			One(t, s, bindings.MonitorWorkspaceType)

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
			if got := len(s.ByType("azure-native:storage:BlobContainer")); got != len(e.Storage.DataLakeContainers) {
				t.Errorf("%d containers, want %d", got, len(e.Storage.DataLakeContainers))
			}
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
}

// TestBaseTags: every taggable resource carries exactly the environment's tags, and the list of
// untaggable types is exact (a type on it that does take tags fails too).
func TestBaseTags(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := baseStack(t, env, nil)
			want := e.ResourceTags()
			if want["owner"] == "" || want["environment"] != env {
				t.Fatalf("environment tags %v lack the configured ones", want)
			}
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
				if !seenUntaggable[typ] && !(env == "prod" && typ == groupType) && !(env == "dev" && typ == lockType) {
					t.Errorf("untaggable type %s is not in the plan: remove it from the list", typ)
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
// password, key or connection string is generated, stored or exported.
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
							if want, ok := settingsNamedLikeKeys[k]; !ok || JSON(el) != JSON(want) {
								t.Errorf("%s: input %s = %s looks like a credential", r.Key(), strings.TrimPrefix(p, "."), JSON(el))
							}
						}
						walk(r, p, el)
					}
				case []any:
					for i, el := range x {
						walk(r, fmt.Sprintf("%s[%d]", path, i), el)
					}
				case string:
					if x == "[secret]" {
						t.Errorf("%s: input %s is a secret", r.Key(), path)
					}
				}
			}
			for _, r := range s.Resources {
				if strings.HasPrefix(r.Type, "random:") {
					t.Errorf("%s generates a value", r.Key())
				}
				walk(r, "", offline.Plain(resource.NewProperty(r.Inputs)))
			}
			if scanned < 500 {
				t.Errorf("scanned only %d inputs: the walk is broken", scanned)
			}
			for k, v := range s.Outputs {
				// keyVault* name the vault, not a key.
				if v.ContainsSecrets() || credentialName.MatchString(strings.TrimPrefix(string(k), "keyVault")) {
					t.Errorf("the layer exports %s", k)
				}
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
			if got := sortedKeys(s.Outputs); JSON(got) != JSON(keys) {
				t.Fatalf("exported keys %v, want %v", got, keys)
			}
			rgID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", offline.SubscriptionID, e.Names.ResourceGroup)
			str := func(k string) string {
				v, ok := Output(t, s, k).(string)
				if !ok {
					t.Fatalf("%s is not a string", k)
				}
				return v
			}
			armID := func(k, providerPath string) {
				if got, want := str(k), rgID+"/providers/"+providerPath; got != want {
					t.Errorf("%s = %s, want %s", k, got, want)
				}
			}
			n := e.Names
			if str("resourceGroupName") != n.ResourceGroup || str("resourceGroupId") != rgID || str("location") != e.Location {
				t.Errorf("resource group outputs %s %s %s", str("resourceGroupName"), str("resourceGroupId"), str("location"))
			}
			if str("tenantId") != offline.TenantID {
				t.Errorf("tenantId %s, want the client config's %s", str("tenantId"), offline.TenantID)
			}
			armID("vnetId", "Microsoft.Network/virtualNetworks/"+n.VirtualNetwork)
			armID("natGatewayId", "Microsoft.Network/natGateways/"+n.NatGateway)
			armID("keyVaultId", "Microsoft.KeyVault/vaults/"+n.KeyVault)
			armID("sqlServerId", "Microsoft.Sql/servers/"+n.SQLServer)
			armID("postgresServerId", "Microsoft.DBforPostgreSQL/flexibleServers/"+n.PostgresServer)
			armID("spaStorageAccountId", "Microsoft.Storage/storageAccounts/"+n.SPAStorage)
			armID("dataLakeAccountId", "Microsoft.Storage/storageAccounts/"+n.DataLakeStorage)
			armID("logAnalyticsWorkspaceId", "Microsoft.OperationalInsights/workspaces/"+n.LogAnalytics)
			armID("monitorWorkspaceId", "Microsoft.Monitor/accounts/"+n.MonitorWorkspace)
			if str("keyVaultName") != n.KeyVault || str("keyVaultUri") != "https://"+n.KeyVault+".vault.azure.net/" {
				t.Errorf("vault %s %s", str("keyVaultName"), str("keyVaultUri"))
			}
			if str("sqlServerFqdn") != n.SQLServer+".database.windows.net" || str("sqlDatabaseName") != n.SQLDatabase {
				t.Errorf("sql %s %s", str("sqlServerFqdn"), str("sqlDatabaseName"))
			}
			if str("postgresServerFqdn") != n.PostgresServer+".postgres.database.azure.com" {
				t.Errorf("postgres fqdn %s", str("postgresServerFqdn"))
			}
			for _, k := range []string{"spaWebEndpoint", "dataLakeDfsEndpoint"} {
				if !reHTTPS.MatchString(str(k)) {
					t.Errorf("%s = %s, want an https endpoint", k, str(k))
				}
			}
			if !strings.Contains(str("spaWebEndpoint"), n.SPAStorage+".") || !strings.Contains(str("spaWebEndpoint"), ".web.core.windows.net") {
				t.Errorf("spa web endpoint %s", str("spaWebEndpoint"))
			}
			if str("dataLakeDfsEndpoint") != "https://"+n.DataLakeStorage+".dfs.core.windows.net/" {
				t.Errorf("dfs endpoint %s", str("dataLakeDfsEndpoint"))
			}
			for _, k := range []string{"platformAdminsGroupObjectId", "databaseAdminsGroupObjectId"} {
				if !reGUIDValue.MatchString(str(k)) {
					t.Errorf("%s = %s, want a GUID", k, str(k))
				}
			}
			if env == "prod" && (str("platformAdminsGroupObjectId") != e.Entra.PlatformAdminsGroupObjectID || str("databaseAdminsGroupObjectId") != e.Entra.DatabaseAdminsGroupObjectID) {
				t.Errorf("prod group IDs do not pass through: %s %s", str("platformAdminsGroupObjectId"), str("databaseAdminsGroupObjectId"))
			}
			subnetIDs := Output(t, s, "subnetIds").(map[string]any)
			if len(subnetIDs) != len(netplan.Roles) {
				t.Errorf("subnetIds %v", subnetIDs)
			}
			for _, role := range netplan.Roles {
				if want := rgID + "/providers/Microsoft.Network/virtualNetworks/" + n.VirtualNetwork + "/subnets/" + n.Subnets[role]; subnetIDs[string(role)] != want {
					t.Errorf("subnet %s = %v, want %s", role, subnetIDs[string(role)], want)
				}
			}
			zoneIDs := Output(t, s, "privateDnsZoneIds").(map[string]any)
			var zoneKeys []string
			for k, v := range zoneIDs {
				zoneKeys = append(zoneKeys, k)
				if !strings.HasPrefix(v.(string), rgID+"/providers/Microsoft.Network/privateDnsZones/") {
					t.Errorf("zone %s = %v", k, v)
				}
			}
			sort.Strings(zoneKeys)
			if want := []string{"acr", "blob", "cognitiveServices", "dfs", "keyVault", "postgres", "sql"}; JSON(zoneKeys) != JSON(want) {
				t.Errorf("zone keys %v, want %v (no aks zone with apiServerAccess vnetIntegration)", zoneKeys, want)
			}
		})
	}
}

// TestBasePrivateAPIServer: a private API server gets its privatelink.<region>.azmk8s.io zone,
// linked to the VNet and exported under "aks".
func TestBasePrivateAPIServer(t *testing.T) {
	t.Parallel()
	_, s := baseStack(t, "dev", map[string]string{"aks": JSON(map[string]any{"kubernetesVersion": "1.33", "apiServerAccess": "private"})})
	z := Named(t, s, zoneType, "privatedns-aks")
	Equal(t, z, "privateZoneName", "privatelink.westeurope.azmk8s.io")
	Named(t, s, vnetLinkType, "privatedns-aks")
	if got := Output(t, s, "privateDnsZoneIds").(map[string]any)["aks"]; got != z.ID {
		t.Errorf("aks zone ID %v, want %s", got, z.ID)
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
					if !strings.Contains(r.ID, "/subscriptions/") || reFallbackID.MatchString(r.ID) {
						t.Errorf("%s: ID %s is the unknown-type fallback; add the type to offline/synth.go armTypes", r.Key(), r.ID)
					}
				}
			}
		})
	}
}
