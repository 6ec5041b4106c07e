package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/policy"
)

// The policy pack (policy/) on the real plans: every resource of dev and prod, in both modes,
// passes every mandatory rule; every rule has a failing case derived from the real plan; the
// pack's kind predicates classify every planned resource as its type token says.

var (
	policyOnce  sync.Once
	policyPack  *policy.Pack
	policyErr   error
	planMu      sync.Mutex
	policyPlans = map[string]*offline.Plan{}
)

func loadPolicyPack(t *testing.T) *policy.Pack {
	t.Helper()
	policyOnce.Do(func() { policyPack, policyErr = policy.LoadDir(filepath.Join(RepoRoot(), "policy")) })
	require.NoError(t, policyErr)
	return policyPack
}

// policyPlan is the shipped plan of an environment in a mode, computed once per test binary.
func policyPlan(t *testing.T, env, mode string) *offline.Plan {
	t.Helper()
	planMu.Lock()
	defer planMu.Unlock()
	key := env + "/" + mode
	if p, ok := policyPlans[key]; ok {
		return p
	}
	p := Plan(t, env, mode, Config(t, env, nil))
	policyPlans[key] = p
	return p
}

// TestPolicyPlansPass: no mandatory violation on any resource or stack of dev, prod and the
// staging example (an environment of another name on the prod profile), layered and
// single-stack; and no advisory one either (the shipped settings follow the advice).
func TestPolicyPlansPass(t *testing.T) {
	pack := loadPolicyPack(t)
	for _, env := range environments() {
		for _, mode := range []string{offline.Layered, offline.Single} {
			t.Run(env+"/"+mode, func(t *testing.T) {
				plan := policyPlan(t, env, mode)
				res, err := policy.EvaluatePlan(context.Background(), pack, plan)
				require.NoError(t, err)
				assert.Greater(t, res.Resources, 150, "resources analyzed")
				assert.Empty(t, res.Violations)
			})
		}
	}
}

// kindOfType is the kind each planned type token must be recognised as; types not listed must
// be recognised as none.
var kindOfType = map[string]string{
	"azure-native:containerservice/v20240902preview:ManagedCluster":                               "aks_cluster",
	"azure-native:containerservice/v20240902preview:MaintenanceConfiguration":                     "aks_maintenance",
	"azure-native:keyvault:Vault":                                                                 "key_vault",
	"azure-native:storage:StorageAccount":                                                         "storage_account",
	"azure-native:storage:BlobServiceProperties":                                                  "blob_service",
	"azure-native:storage:BlobContainer":                                                          "blob_container",
	"azure-native:sql:Server":                                                                     "sql_server",
	"azure-native:sql:Database":                                                                   "sql_database",
	"azure-native:sql:ServerBlobAuditingPolicy":                                                   "sql_auditing",
	"azure-native:dbforpostgresql/v20240801:Server":                                               "postgres_server",
	"azure-native:containerregistry/v20241101preview:Registry":                                    "registry",
	"azure-native:network:NetworkSecurityGroup":                                                   "nsg",
	"azure-native:network/v20240501:Subnet":                                                       "subnet",
	"azure-native:network:PublicIPAddress":                                                        "public_ip",
	"azure-native:cognitiveservices:Account":                                                      "cognitive_account",
	"azure-native:authorization:RoleAssignment":                                                   "role_assignment",
	"azure-native:managedidentity:FederatedIdentityCredential":                                    "federated_credential",
	"azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": "federated_credential",
	"azure-native:insights:DiagnosticSetting":                                                     "diagnostic_setting",
	"azure-native:authorization:ManagementLockByScope":                                            "lock",
	"azure-native:cdn:Profile":                                                                    "frontdoor_profile",
	"azure-native:network:Policy":                                                                 "frontdoor_waf",
	"azure-native:cdn:Route":                                                                      "frontdoor_route",
	"azure-native:cdn:AFDOrigin":                                                                  "frontdoor_origin",
	"azure-native:cdn:AFDCustomDomain":                                                            "frontdoor_custom_domain",
	"azure-native:cdn:SecurityPolicy":                                                             "frontdoor_security_policy",
	"azure-native:network:WebApplicationFirewallPolicy":                                           "appgw_waf",
	"azure-native:operationalinsights:Workspace":                                                  "log_analytics",
	"azure-native:kubernetesconfiguration/v20241101:FluxConfiguration":                            "flux_configuration",
	"azure-native:managedidentity:UserAssignedIdentity":                                           "managed_identity",
	"azure-native:servicenetworking/v20250101:TrafficControllerInterface":                         "traffic_controller",
}

// TestPolicyKindsMatchTypes: the analyzer gives Rego no type token, so the pack recognises types
// by their properties (policy/kinds.rego). On every resource of both plans that recognition is
// exactly the type token's kind: the rules' type guards neither miss a resource nor catch another.
func TestPolicyKindsMatchTypes(t *testing.T) {
	pack := loadPolicyPack(t)
	seen := map[string]bool{}
	for _, env := range []string{"dev", "prod"} {
		for _, s := range policyPlan(t, env, offline.Layered).Stacks {
			urns, inputs, err := policy.ResourceInputs(s)
			require.NoError(t, err)
			for _, urn := range urns {
				r := s.ByURN(urn)
				got, err := pack.Kinds(context.Background(), inputs[urn])
				require.NoError(t, err)
				var want []string
				if k := kindOfType[r.Type]; k != "" {
					want = []string{k}
					seen[k] = true
				}
				assert.Equal(t, want, got, "%s %s", r.Type, r.Name)
			}
		}
	}
	for _, k := range kindOfType {
		assert.True(t, seen[k], "no planned resource of kind %s", k)
	}
}

// failing is one failing case of a rule: a resource of a real plan (prod or dev, layered) with
// one property broken, or a stack of it with one resource removed or changed.
type failing struct {
	rule  string
	env   string
	token string // the resource's type token (resource rules; stack rules: the resource changed or removed)
	name  string // its logical name
	// edit breaks the resource's analyzer input (resource rules), or nil when stack is set.
	edit func(in map[string]any)
	// stack changes the stack of that resource (stack rules): remove it, or flip an option.
	stack func(s *policy.StackInput, urn string)
}

const (
	clusterT     = "azure-native:containerservice/v20240902preview:ManagedCluster"
	maintenanceT = "azure-native:containerservice/v20240902preview:MaintenanceConfiguration"
	vaultT       = "azure-native:keyvault:Vault"
	storageT     = "azure-native:storage:StorageAccount"
	blobServiceT = "azure-native:storage:BlobServiceProperties"
	containerT   = "azure-native:storage:BlobContainer"
	sqlServerT   = "azure-native:sql:Server"
	auditingT    = "azure-native:sql:ServerBlobAuditingPolicy"
	postgresT    = "azure-native:dbforpostgresql/v20240801:Server"
	registryT    = "azure-native:containerregistry/v20241101preview:Registry"
	nsgT         = "azure-native:network:NetworkSecurityGroup"
	subnetT      = "azure-native:network/v20240501:Subnet"
	publicIPT    = "azure-native:network:PublicIPAddress"
	docintelT    = "azure-native:cognitiveservices:Account"
	roleT        = "azure-native:authorization:RoleAssignment"
	ficT         = "azure-native:managedidentity:FederatedIdentityCredential"
	diagT        = "azure-native:insights:DiagnosticSetting"
	lockT        = "azure-native:authorization:ManagementLockByScope"
	workspaceT   = "azure-native:operationalinsights:Workspace"
	fluxT        = "azure-native:kubernetesconfiguration/v20241101:FluxConfiguration"
	fdWAFT       = "azure-native:network:Policy"
	fdSecurityT  = "azure-native:cdn:SecurityPolicy"
	fdDomainT    = "azure-native:cdn:AFDCustomDomain"
	fdRouteT     = "azure-native:cdn:Route"
	fdOriginT    = "azure-native:cdn:AFDOrigin"
	agcWAFT      = "azure-native:network:WebApplicationFirewallPolicy"
	groupT       = "azure-native:resources:ResourceGroup"
)

// set and del edit an input at a dotted path ("a.b.0.c": a number indexes an array).
func set(path string, v any) func(map[string]any) {
	return func(in map[string]any) { editPath(in, strings.Split(path, "."), v, false) }
}

func del(path string) func(map[string]any) {
	return func(in map[string]any) { editPath(in, strings.Split(path, "."), nil, true) }
}

func editPath(node any, path []string, v any, remove bool) {
	last := len(path) == 1
	switch n := node.(type) {
	case map[string]any:
		if last {
			if remove {
				delete(n, path[0])
			} else {
				n[path[0]] = v
			}
			return
		}
		child, ok := n[path[0]]
		if !ok {
			child = map[string]any{}
			n[path[0]] = child
		}
		editPath(child, path[1:], v, remove)
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil || i >= len(n) {
			panic("bad index " + path[0])
		}
		if last {
			n[i] = v
			return
		}
		editPath(n[i], path[1:], v, remove)
	default:
		panic("cannot edit " + strings.Join(path, "."))
	}
}

// removeResource drops the resource from the stack input; setProtect changes its protect option.
func removeResource(s *policy.StackInput, urn string) {
	var kept []policy.StackResource
	for _, r := range s.Resources {
		if r.URN != urn {
			kept = append(kept, r)
		}
	}
	s.Resources = kept
}

func unprotect(s *policy.StackInput, urn string) {
	for i := range s.Resources {
		if s.Resources[i].URN == urn {
			s.Resources[i].Protect = false
		}
	}
}

const ownerID = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"

var failingCases = []failing{
	// AKS
	{rule: "deny_aks_local_accounts", env: "prod", token: clusterT, name: "cluster", edit: set("disableLocalAccounts", false)},
	{rule: "deny_aks_local_accounts", env: "dev", token: clusterT, name: "cluster", edit: del("disableLocalAccounts")},
	{rule: "deny_aks_managed_entra", env: "prod", token: clusterT, name: "cluster", edit: set("aadProfile.managed", false)},
	{rule: "deny_aks_azure_rbac", env: "prod", token: clusterT, name: "cluster", edit: set("aadProfile.enableAzureRBAC", false)},
	{rule: "deny_aks_kubernetes_rbac", env: "dev", token: clusterT, name: "cluster", edit: set("enableRBAC", false)},
	{rule: "deny_aks_oidc_issuer", env: "prod", token: clusterT, name: "cluster", edit: set("oidcIssuerProfile.enabled", false)},
	{rule: "deny_aks_workload_identity", env: "prod", token: clusterT, name: "cluster", edit: del("securityProfile.workloadIdentity")},
	{rule: "deny_aks_managed_identity", env: "prod", token: clusterT, name: "cluster", edit: del("identity")},
	{rule: "deny_aks_api_server_access", env: "prod", token: clusterT, name: "cluster", edit: set("apiServerAccessProfile.authorizedIPRanges", []any{})},
	{rule: "deny_aks_api_server_open_range", env: "dev", token: clusterT, name: "cluster", edit: set("apiServerAccessProfile.authorizedIPRanges", []any{"0.0.0.0/0"})},
	{rule: "deny_aks_network_policy", env: "prod", token: clusterT, name: "cluster", edit: set("networkProfile.networkPolicy", "none")},
	{rule: "deny_aks_secret_store", env: "prod", token: clusterT, name: "cluster", edit: set("addonProfiles.azureKeyvaultSecretsProvider.enabled", false)},
	{rule: "deny_aks_secret_rotation", env: "prod", token: clusterT, name: "cluster", edit: set("addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation", "false")},
	{rule: "deny_aks_auto_upgrade", env: "prod", token: clusterT, name: "cluster", edit: set("autoUpgradeProfile.upgradeChannel", "none")},
	{rule: "deny_aks_node_os_upgrade", env: "prod", token: clusterT, name: "cluster", edit: set("autoUpgradeProfile.nodeOSUpgradeChannel", "None")},
	{rule: "deny_aks_defender", env: "prod", token: clusterT, name: "cluster", edit: set("securityProfile.defender.securityMonitoring.enabled", false)},
	{rule: "deny_aks_azure_policy", env: "prod", token: clusterT, name: "cluster", edit: set("addonProfiles.azurepolicy.enabled", false)},
	{rule: "deny_aks_paid_tier", env: "prod", token: clusterT, name: "cluster", edit: set("sku.tier", "Free")},
	{rule: "deny_aks_zones", env: "prod", token: clusterT, name: "cluster", edit: del("agentPoolProfiles.0.availabilityZones")},
	{rule: "deny_aks_container_insights", env: "dev", token: clusterT, name: "cluster", edit: set("addonProfiles.omsagent.enabled", false)},
	{rule: "deny_aks_maintenance_window", env: "prod", token: maintenanceT, name: "cluster-node-os-upgrade", edit: set("maintenanceWindow.durationHours", 2)},
	// Key Vault
	{rule: "deny_keyvault_rbac", env: "prod", token: vaultT, name: "keyvault", edit: set("properties.enableRbacAuthorization", false)},
	{rule: "deny_keyvault_soft_delete", env: "dev", token: vaultT, name: "keyvault", edit: set("properties.enableSoftDelete", false)},
	{rule: "deny_keyvault_purge_protection", env: "prod", token: vaultT, name: "keyvault", edit: del("properties.enablePurgeProtection")},
	{rule: "deny_keyvault_public_network", env: "prod", token: vaultT, name: "keyvault", edit: set("properties.publicNetworkAccess", "Enabled")},
	{rule: "deny_keyvault_firewall", env: "dev", token: vaultT, name: "keyvault", edit: set("properties.networkAcls.defaultAction", "Allow")},
	// Storage: both accounts
	{rule: "deny_storage_shared_key", env: "prod", token: storageT, name: "spa", edit: set("allowSharedKeyAccess", true)},
	{rule: "deny_storage_shared_key", env: "dev", token: storageT, name: "datalake", edit: del("allowSharedKeyAccess")},
	{rule: "deny_storage_min_tls", env: "prod", token: storageT, name: "datalake", edit: set("minimumTlsVersion", "TLS1_0")},
	{rule: "deny_storage_min_tls", env: "dev", token: storageT, name: "spa", edit: set("minimumTlsVersion", "TLS1_1")},
	{rule: "deny_storage_https_only", env: "prod", token: storageT, name: "spa", edit: set("enableHttpsTrafficOnly", false)},
	{rule: "deny_storage_https_only", env: "prod", token: storageT, name: "datalake", edit: set("enableHttpsTrafficOnly", false)},
	{rule: "deny_storage_blob_public_access", env: "prod", token: storageT, name: "spa", edit: set("allowBlobPublicAccess", true)},
	{rule: "deny_storage_blob_public_access", env: "dev", token: storageT, name: "datalake", edit: set("allowBlobPublicAccess", true)},
	{rule: "deny_storage_data_lake_network", env: "prod", token: storageT, name: "datalake", edit: set("publicNetworkAccess", "Enabled")},
	{rule: "deny_storage_geo_replication", env: "prod", token: storageT, name: "datalake", edit: set("sku.name", "Standard_LRS")},
	{rule: "deny_storage_blob_soft_delete", env: "prod", token: blobServiceT, name: "datalake", edit: set("deleteRetentionPolicy.enabled", false)},
	{rule: "deny_storage_container_soft_delete", env: "dev", token: blobServiceT, name: "datalake", edit: del("containerDeleteRetentionPolicy")},
	{rule: "warn_storage_soft_delete_days", env: "prod", token: blobServiceT, name: "datalake", edit: set("deleteRetentionPolicy.days", 1)},
	{rule: "deny_storage_container_public", env: "prod", token: containerT, name: "datalake-documents", edit: set("publicAccess", "Container")},
	// SQL
	{rule: "deny_sql_entra_only", env: "prod", token: sqlServerT, name: "sql", edit: set("administrators.azureADOnlyAuthentication", false)},
	{rule: "deny_sql_entra_admin", env: "dev", token: sqlServerT, name: "sql", edit: set("administrators.administratorType", "SqlLogin")},
	{rule: "deny_sql_min_tls", env: "prod", token: sqlServerT, name: "sql", edit: set("minimalTlsVersion", "1.0")},
	{rule: "deny_sql_public_network", env: "prod", token: sqlServerT, name: "sql", edit: set("publicNetworkAccess", "Enabled")},
	{rule: "deny_sql_auditing", env: "prod", token: auditingT, name: "sql", edit: set("state", "Disabled")},
	{rule: "deny_sql_auditing", env: "dev", token: auditingT, name: "sql", edit: del("isAzureMonitorTargetEnabled")},
	// PostgreSQL
	{rule: "deny_postgres_entra_only", env: "prod", token: postgresT, name: "postgres", edit: set("authConfig.passwordAuth", "Enabled")},
	{rule: "deny_postgres_entra_auth", env: "dev", token: postgresT, name: "postgres", edit: set("authConfig.activeDirectoryAuth", "Disabled")},
	{rule: "deny_postgres_public_network", env: "prod", token: postgresT, name: "postgres", edit: set("network.publicNetworkAccess", "Enabled")},
	{rule: "deny_postgres_geo_backup", env: "prod", token: postgresT, name: "postgres", edit: set("backup.geoRedundantBackup", "Disabled")},
	{rule: "deny_postgres_zone_ha", env: "prod", token: postgresT, name: "postgres", edit: set("highAvailability.mode", "Disabled")},
	// ACR
	{rule: "deny_acr_admin_user", env: "dev", token: registryT, name: "acr", edit: set("adminUserEnabled", true)},
	{rule: "deny_acr_anonymous_pull", env: "prod", token: registryT, name: "acr", edit: set("anonymousPullEnabled", true)},
	{rule: "deny_acr_public_network", env: "prod", token: registryT, name: "acr", edit: set("publicNetworkAccess", "Enabled")},
	{rule: "deny_acr_min_sku", env: "dev", token: registryT, name: "acr", edit: set("sku.name", "Basic")},
	// Network
	{rule: "deny_nsg_any_inbound", env: "prod", token: nsgT, name: "network-agc", edit: set("securityRules.0.sourceAddressPrefix", "*")},
	{rule: "deny_nsg_any_inbound", env: "dev", token: nsgT, name: "network-nodes", edit: set("securityRules.0.sourceAddressPrefix", "Internet")},
	{rule: "deny_nsg_final_deny", env: "prod", token: nsgT, name: "network-postgres", edit: func(in map[string]any) {
		rules := in["securityRules"].([]any)
		in["securityRules"] = rules[:len(rules)-1]
	}},
	{rule: "deny_subnet_default_outbound", env: "prod", token: subnetT, name: "network-nodes", edit: set("defaultOutboundAccess", true)},
	{rule: "deny_subnet_default_outbound", env: "dev", token: subnetT, name: "network-privateEndpoints", edit: del("defaultOutboundAccess")},
	{rule: "deny_subnet_nsg", env: "prod", token: subnetT, name: "network-agc", edit: del("networkSecurityGroup")},
	{rule: "deny_public_ip_standard", env: "dev", token: publicIPT, name: "network-nat", edit: set("sku.name", "Basic")},
	// Document Intelligence
	{rule: "deny_docintel_local_auth", env: "prod", token: docintelT, name: "docintel", edit: set("properties.disableLocalAuth", false)},
	{rule: "deny_docintel_public_network", env: "dev", token: docintelT, name: "docintel", edit: set("properties.publicNetworkAccess", "Enabled")},
	{rule: "deny_docintel_managed_identity", env: "prod", token: docintelT, name: "docintel", edit: del("identity")},
	// Role assignments
	{rule: "deny_role_owner", env: "prod", token: roleT, name: "resource-group-pipeline-contributor", edit: set("roleDefinitionId", ownerID)},
	{rule: "deny_role_user_access_administrator", env: "dev", token: roleT, name: "acr-pipeline-acrpush", edit: set("roleDefinitionId", strings.Replace(ownerID, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "18d7d88d-bd35-4fb5-be5d-5b16fec43bf9", 1))},
	{rule: "deny_role_unconstrained_delegation", env: "prod", token: roleT, name: "resource-group-pipeline-role-based-access-control-administrator", edit: del("condition")},
	{rule: "deny_role_broad_scope", env: "prod", token: roleT, name: "key-vault-external-secrets-key-vault-secrets-user", edit: set("scope", "/subscriptions/4c665a57-9c3b-5e7c-a373-1aa8064fb26f")},
	// Federated credentials
	{rule: "deny_federation_audience", env: "prod", token: ficT, name: "pipeline-fic-azure-devops", edit: set("audiences", []any{"api://AzureADTokenExchange", "https://example.com"})},
	{rule: "deny_federation_issuer", env: "prod", token: ficT, name: "pipeline-fic-azure-devops", edit: set("issuer", "https://issuer.example.com")},
	{rule: "deny_federation_issuer", env: "dev", token: ficT, name: "federation-user-service-users_user-service", edit: set("issuer", "http://westeurope.oic.prod-aks.azure.com/tenant/cluster/")},
	{rule: "deny_federation_subject", env: "prod", token: ficT, name: "pipeline-fic-azure-devops", edit: set("subject", "sc://contoso/platform")},
	{rule: "deny_federation_subject", env: "dev", token: ficT, name: "pipeline-fic-azure-devops", edit: set("subject", "/eid1/c/pub/t/AAAAAAAAAAAAAAAAAAAAAA/a/AAAAAAAAAAAAAAAAAAAAAA/sc/00000000-0000-0000-0000-000000000000/00000000-0000-0000-0000-000000000000")},
	{rule: "deny_federation_subject", env: "prod", token: ficT, name: "federation-user-service-users_user-service", edit: set("subject", "system:serviceaccount:users:*")},
	// Diagnostics, monitoring, Flux, tags
	{rule: "deny_diagnostics_destination", env: "prod", token: diagT, name: "keyvault-diagnostics", edit: del("workspaceId")},
	{rule: "deny_diagnostics_destination", env: "dev", token: diagT, name: "cluster-diagnostics", edit: set("logs", []any{})},
	{rule: "deny_log_analytics_local_auth", env: "prod", token: workspaceT, name: "monitoring", edit: set("features.disableLocalAuth", false)},
	{rule: "warn_log_analytics_retention", env: "dev", token: workspaceT, name: "monitoring", edit: set("retentionInDays", 7)},
	{rule: "deny_flux_source_https", env: "prod", token: fluxT, name: "flux", edit: set("gitRepository.url", "http://dev.azure.com/contoso/platform/_git/platform")},
	{rule: "deny_flux_static_credentials", env: "dev", token: fluxT, name: "flux", edit: set("configurationProtectedSettings", map[string]any{"httpsKey": "c2VjcmV0"})},
	{rule: "deny_environment_tag", env: "prod", token: groupT, name: "rg", edit: del("tags.environment")},
	{rule: "deny_environment_tag", env: "prod", token: vaultT, name: "keyvault", edit: set("tags.profile", "Prod")},
	{rule: "deny_environment_tag", env: "dev", token: vaultT, name: "keyvault", edit: del("tags.profile")},
	// Front Door and both WAF policies
	{rule: "deny_frontdoor_waf_enabled", env: "prod", token: fdWAFT, name: "edge", edit: set("policySettings.enabledState", "Disabled")},
	{rule: "deny_frontdoor_waf_prevention", env: "prod", token: fdWAFT, name: "edge", edit: set("policySettings.mode", "Detection")},
	{rule: "deny_frontdoor_waf_rule_groups", env: "dev", token: fdWAFT, name: "edge", edit: func(in map[string]any) {
		sets := in["managedRules"].(map[string]any)["managedRuleSets"].([]any)
		in["managedRules"].(map[string]any)["managedRuleSets"] = sets[:1]
	}},
	{rule: "deny_frontdoor_security_policy_waf", env: "prod", token: fdSecurityT, name: "edge-waf", edit: del("parameters.wafPolicy")},
	{rule: "deny_frontdoor_min_tls", env: "prod", token: fdDomainT, name: "edge-app-contoso-example", edit: set("tlsSettings.minimumTlsVersion", "TLS10")},
	{rule: "deny_frontdoor_https_redirect", env: "dev", token: fdRouteT, name: "edge-api", edit: set("httpsRedirect", "Disabled")},
	{rule: "deny_frontdoor_origin_https", env: "prod", token: fdRouteT, name: "edge-api", edit: set("forwardingProtocol", "HttpOnly")},
	{rule: "deny_frontdoor_origin_certificate", env: "prod", token: fdOriginT, name: "edge-api", edit: set("enforceCertificateNameCheck", false)},
	{rule: "deny_agc_waf_enabled", env: "dev", token: agcWAFT, name: "agc-waf", edit: set("policySettings.state", "Disabled")},
	{rule: "deny_agc_waf_prevention", env: "prod", token: agcWAFT, name: "agc-waf", edit: set("policySettings.mode", "Detection")},
	{rule: "deny_agc_waf_rule_set", env: "prod", token: agcWAFT, name: "agc-waf", edit: set("managedRules.managedRuleSets.0.ruleSetVersion", "1.0")},
	{rule: "deny_agc_waf_body_inspection", env: "prod", token: agcWAFT, name: "agc-waf", edit: set("policySettings.requestBodyCheck", false)},
	{rule: "deny_agc_waf_front_door_only", env: "prod", token: agcWAFT, name: "agc-waf", edit: set("customRules", []any{})},
	// Stack rules
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "keyvault-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "sql-audit", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "dev", token: diagT, name: "sql-database-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "postgres-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "datalake-blob-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "dev", token: diagT, name: "spa-blob-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "acr-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "cluster-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "dev", token: diagT, name: "docintel-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "edge-diagnostics", stack: removeResource},
	{rule: "stack_deny_diagnostics", env: "prod", token: diagT, name: "agc-diagnostics", stack: removeResource},
	{rule: "stack_deny_prod_locks", env: "prod", token: lockT, name: "keyvault-lock", stack: removeResource},
	{rule: "stack_deny_prod_locks", env: "prod", token: lockT, name: "datalake-lock", stack: removeResource},
	{rule: "stack_deny_prod_locks", env: "prod", token: lockT, name: "pipeline-lock", stack: removeResource},
	{rule: "stack_deny_prod_protect", env: "prod", token: postgresT, name: "postgres", stack: unprotect},
	{rule: "stack_deny_prod_protect", env: "prod", token: clusterT, name: "cluster", stack: unprotect},
	{rule: "stack_deny_aks_maintenance", env: "prod", token: maintenanceT, name: "cluster-node-os-upgrade", stack: removeResource},
	{rule: "stack_deny_aks_maintenance", env: "dev", token: maintenanceT, name: "cluster-auto-upgrade", stack: removeResource},
}

// firedRules is the set of rules with a violation.
func firedRules(vs []policy.Violation) map[string]bool {
	out := map[string]bool{}
	for _, v := range vs {
		out[v.Rule] = true
	}
	return out
}

func copyInput(t *testing.T, in map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(in)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// TestPolicyEveryRuleHasAFailingCase: each case breaks one thing of a real plan's resource (or
// stack); exactly its rule, and no other, then reports a violation — which also shows that no
// rule fires on the resources of other types it would see. Every rule of the pack, read from the
// pack itself, has at least one case.
func TestPolicyEveryRuleHasAFailingCase(t *testing.T) {
	pack := loadPolicyPack(t)
	ctx := context.Background()
	covered := map[string]bool{}
	for _, c := range failingCases {
		rule, ok := pack.Rule(c.rule)
		require.True(t, ok, "case for unknown rule %s", c.rule)
		covered[c.rule] = true
		t.Run(c.rule+"/"+c.env+"/"+c.name, func(t *testing.T) {
			plan := policyPlan(t, c.env, offline.Layered)
			var stack *offline.Stack
			var target *offline.Resource
			for _, s := range plan.Stacks {
				if r := s.Named(c.token, c.name); r != nil {
					stack, target = s, r
				}
			}
			require.NotNil(t, target, "no %s %s in the %s plan", c.token, c.name, c.env)
			urns, inputs, err := policy.ResourceInputs(stack)
			require.NoError(t, err)
			require.Contains(t, urns, target.URN)

			if c.stack == nil {
				assert.False(t, rule.Stack, "a stack rule needs a stack case")
				before, err := pack.EvaluateResource(ctx, target.URN, inputs[target.URN])
				require.NoError(t, err)
				broken := copyInput(t, inputs[target.URN])
				c.edit(broken)
				after, err := pack.EvaluateResource(ctx, target.URN, broken)
				require.NoError(t, err)
				assert.Empty(t, before, "the unbroken resource already violates")
				assert.Equal(t, map[string]bool{c.rule: true}, firedRules(after), "rules reporting the broken resource: %v", after)
				for _, v := range after {
					assert.NotEmpty(t, v.Message)
					assert.Equal(t, rule.Level, v.Level)
				}
				return
			}
			assert.True(t, rule.Stack, "a resource rule needs an edit")
			in := policy.StackOf(stack, inputs)
			before, err := pack.EvaluateStack(ctx, stack.Name, in)
			require.NoError(t, err)
			assert.Empty(t, before)
			c.stack(&in, target.URN)
			after, err := pack.EvaluateStack(ctx, stack.Name, in)
			require.NoError(t, err)
			assert.Equal(t, map[string]bool{c.rule: true}, firedRules(after), "rules reporting the changed stack: %v", after)
		})
	}
	var missing []string
	for _, r := range pack.Rules {
		if !covered[r.Name] {
			missing = append(missing, r.Name)
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "rules without a failing case")
	assert.GreaterOrEqual(t, len(pack.Rules), 40)
}

// TestPlanCommandPolicy: `plan -policy DIR` prints the pack's report after the plan, succeeds on
// the shipped settings, and fails with the violation printed when a rule denies.
func TestPlanCommandPolicy(t *testing.T) {
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := offline.Command(args, &out, &errOut, layers.Order, layers.Run, policy.CheckPlan)
		return out.String(), err
	}
	packDir := filepath.Join(RepoRoot(), "policy")
	out, err := run("-env", "dev", "-config", filepath.Join(RepoRoot(), "Pulumi.dev.yaml"), "-q", "-policy", packDir)
	require.NoError(t, err)
	assert.Contains(t, out, "environment dev, mode layered")
	assert.Contains(t, out, "== Policy pack platform_baseline")
	assert.Contains(t, out, "0 mandatory, 0 advisory violation(s)")

	// A copy of the pack with one rule that denies every resource group.
	dir := t.TempDir()
	entries, err := os.ReadDir(packDir)
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".rego") || e.Name() == "PulumiPolicy.yaml" {
			b, err := os.ReadFile(filepath.Join(packDir, e.Name()))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644))
		}
	}
	extra := "package platform_baseline\n\nimport rego.v1\n\ndeny_test_rule contains msg if {\n\tinput.resourceGroupName\n\tnot input.vaultName\n\tinput.location\n\tinput.tags\n\tnot input.virtualNetworkName\n\tcount(input) == 3\n\tmsg := \"resource group refused\"\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "extra.rego"), []byte(extra), 0o644))
	out, err = run("-env", "prod", "-config", filepath.Join(RepoRoot(), "Pulumi.prod.yaml"), "-q", "-policy", dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mandatory violation(s)")
	assert.Contains(t, out, "deny_test_rule")
	assert.Contains(t, out, "resource group refused")
	assert.Contains(t, out, "::rg\n")

	// Without an evaluator the flag is refused before anything runs.
	var o, e bytes.Buffer
	err = offline.Command([]string{"-env", "dev", "-policy", packDir}, &o, &e, layers.Order, layers.Run)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no policy evaluator")
	assert.Empty(t, o.String())
}

// BenchmarkPolicyBothPlans: the pack on every resource and stack of the dev and prod plans
// (layered), plans made beforehand; what `plan -policy` and the tests add to a plan.
func BenchmarkPolicyBothPlans(b *testing.B) {
	pack, err := policy.LoadDir(filepath.Join(RepoRoot(), "policy"))
	require.NoError(b, err)
	var plans []*offline.Plan
	for _, env := range []string{"dev", "prod"} {
		plans = append(plans, Plan(b, env, offline.Layered, Config(b, env, nil)))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range plans {
			if _, err := policy.EvaluatePlan(context.Background(), pack, p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPolicyLoad: reading and compiling the pack (once per run of plan -policy).
func BenchmarkPolicyLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := policy.LoadDir(filepath.Join(RepoRoot(), "policy")); err != nil {
			b.Fatal(err)
		}
	}
}
