# Resource kinds, recognised from properties alone: pulumi-policy-opa v0.1.0 gives Rego no type
# token. Each predicate is a disjunction of properties that only that Azure resource type has
# (read from the azure-native v2 schema the platform uses), so removing or breaking one property
# never hides a resource from its rules, and no predicate matches a resource of another type.
# policy/policy_test.go (hand-made inputs) and tests/policy_test.go (every resource of the dev and
# prod plans, whose type tokens are known there) check the classification.
package platform_baseline

import rego.v1

kind_titles := {
	"aks_cluster": "AKS cluster",
	"aks_maintenance": "AKS maintenance configuration",
	"key_vault": "Key Vault",
	"storage_account": "storage account",
	"blob_service": "blob service of storage account",
	"blob_container": "blob container",
	"sql_server": "SQL server",
	"sql_database": "SQL database",
	"sql_auditing": "SQL auditing policy of server",
	"postgres_server": "PostgreSQL server",
	"registry": "container registry",
	"nsg": "network security group",
	"subnet": "subnet",
	"public_ip": "public IP address",
	"cognitive_account": "Azure AI account",
	"role_assignment": "role assignment",
	"federated_credential": "federated credential",
	"diagnostic_setting": "diagnostic setting",
	"lock": "management lock",
	"frontdoor_profile": "Front Door profile",
	"frontdoor_waf": "Front Door WAF policy",
	"frontdoor_route": "Front Door route",
	"frontdoor_origin": "Front Door origin",
	"frontdoor_custom_domain": "Front Door custom domain",
	"frontdoor_security_policy": "Front Door security policy",
	"appgw_waf": "Application Gateway (for Containers) WAF policy",
	"log_analytics": "Log Analytics workspace",
	"flux_configuration": "Flux configuration",
	"managed_identity": "managed identity",
	"traffic_controller": "Application Gateway for Containers",
}

# The property holding the Azure name of each kind (all of them set by the platform's naming).
kind_name_keys := {
	"aks_cluster": "resourceName",
	"aks_maintenance": "configName",
	"key_vault": "vaultName",
	"storage_account": "accountName",
	"blob_service": "accountName",
	"blob_container": "containerName",
	"sql_server": "serverName",
	"sql_database": "databaseName",
	"sql_auditing": "serverName",
	"postgres_server": "serverName",
	"registry": "registryName",
	"nsg": "networkSecurityGroupName",
	"subnet": "subnetName",
	"public_ip": "publicIpAddressName",
	"cognitive_account": "accountName",
	"role_assignment": "roleAssignmentName",
	"federated_credential": "federatedIdentityCredentialResourceName",
	"diagnostic_setting": "name",
	"lock": "lockName",
	"frontdoor_profile": "profileName",
	"frontdoor_waf": "policyName",
	"frontdoor_route": "routeName",
	"frontdoor_origin": "originName",
	"frontdoor_custom_domain": "hostName",
	"frontdoor_security_policy": "securityPolicyName",
	"appgw_waf": "policyName",
	"log_analytics": "workspaceName",
	"flux_configuration": "fluxConfigurationName",
	"managed_identity": "resourceName",
	"traffic_controller": "trafficControllerName",
}

# kinds is the set of kinds the input is recognised as: one for every resource the rules cover,
# none for the others. Every rule's guard is `"<kind>" in kinds`; as a complete rule it is
# evaluated once per query, not once per rule. Not a rule the analyzer queries; tests query it.
kinds := kinds_of(input)

# kinds_of tries only the kinds whose predicates need one of the properties r has.
kinds_of(r) := {k |
	some key, _ in r
	some k in object.get(trigger_kinds, key, set())
	is_kind(k, r)
}

# trigger_kinds maps a property to the kinds whose predicates need it: every predicate below
# requires at least one of the properties listed for its kind (TestTriggerKindsCoverPredicates
# checks the map against the kinds tried without it).
trigger_kinds := {
	"aadProfile": {"aks_cluster"},
	"accountName": {"blob_service", "cognitive_account"},
	"addonProfiles": {"aks_cluster"},
	"adminUserEnabled": {"registry"},
	"agentPoolProfiles": {"aks_cluster"},
	"anonymousPullEnabled": {"registry"},
	"autoUpgradeProfile": {"aks_cluster"},
	"clusterName": {"flux_configuration"},
	"configName": {"aks_maintenance"},
	"containerName": {"blob_container"},
	"databaseName": {"sql_database"},
	"dnsPrefix": {"aks_cluster"},
	"endpointName": {"frontdoor_route"},
	"fqdnSubdomain": {"aks_cluster"},
	"issuer": {"federated_credential"},
	"kind": {"storage_account"},
	"level": {"lock"},
	"lockName": {"lock"},
	"maintenanceWindow": {"aks_maintenance"},
	"managedRules": {"appgw_waf", "frontdoor_waf"},
	"networkRuleBypassOptions": {"registry"},
	"networkSecurityGroupName": {"nsg"},
	"notAllowedTime": {"aks_maintenance"},
	"oidcIssuerProfile": {"aks_cluster"},
	"originGroupName": {"frontdoor_origin"},
	"policySettings": {"appgw_waf", "frontdoor_waf"},
	"principalId": {"role_assignment"},
	"profileName": {"frontdoor_custom_domain", "frontdoor_security_policy"},
	"properties": {"cognitive_account", "key_vault"},
	"publicIPAllocationMethod": {"public_ip"},
	"publicIpAddressName": {"public_ip"},
	"registryName": {"registry"},
	"resourceName": {"managed_identity"},
	"resourceUri": {"diagnostic_setting"},
	"securityRules": {"nsg"},
	"serverName": {"postgres_server", "sql_auditing", "sql_server"},
	"sku": {"frontdoor_profile"},
	"timeInWeek": {"aks_maintenance"},
	"trafficControllerName": {"traffic_controller"},
	"vaultName": {"key_vault"},
	"virtualNetworkName": {"subnet"},
	"workspaceName": {"log_analytics"},
}


has(r, key) if r[key] != null

storage_kinds := {"Storage", "StorageV2", "BlobStorage", "BlockBlobStorage", "FileStorage"}

frontdoor_skus := {"Standard_AzureFrontDoor", "Premium_AzureFrontDoor", "Classic_AzureFrontDoor"}

lock_levels := {"CanNotDelete", "ReadOnly", "NotSpecified"}

# Microsoft.ContainerService/managedClusters: the only type with inline agent pools, a DNS prefix,
# an Entra profile, add-on profiles or an OIDC issuer profile.
is_kind("aks_cluster", r) if {
	some key in {"agentPoolProfiles", "dnsPrefix", "fqdnSubdomain", "aadProfile", "addonProfiles", "oidcIssuerProfile", "autoUpgradeProfile"}
	has(r, key)
}

# managedClusters/maintenanceConfigurations.
is_kind("aks_maintenance", r) if {
	has(r, "resourceName")
	some key in {"configName", "maintenanceWindow", "timeInWeek", "notAllowedTime"}
	has(r, key)
}

# Microsoft.KeyVault/vaults: vault properties always carry the tenant and a SKU of family A.
is_kind("key_vault", r) if has(r.properties, "tenantId")

is_kind("key_vault", r) if r.properties.sku.family

is_kind("key_vault", r) if {
	has(r, "vaultName")
	not has(r, "secretName")
	not has(r, "keyName")
	not has(r, "privateEndpointConnectionName")
	not has(r, "accessPolicies")
}

# Microsoft.Storage/storageAccounts: `kind` (required) is one of the storage kinds.
is_kind("storage_account", r) if r.kind in storage_kinds

# storageAccounts/blobServices.
is_kind("blob_service", r) if {
	has(r, "accountName")
	some key in {"blobServicesName", "deleteRetentionPolicy", "containerDeleteRetentionPolicy", "isVersioningEnabled", "changeFeed"}
	has(r, key)
}

# storageAccounts/blobServices/containers.
is_kind("blob_container", r) if {
	has(r, "accountName")
	has(r, "containerName")
}

# Microsoft.Sql/servers: a server name and a property only the logical server has.
is_kind("sql_server", r) if {
	has(r, "serverName")
	not has(r, "databaseName")
	not has(r, "blobAuditingPolicyName")
	not has(r, "objectId")
	not postgres_signal(r)
	some key in {"administrators", "administratorLogin", "minimalTlsVersion", "publicNetworkAccess", "restrictOutboundNetworkAccess", "primaryUserAssignedIdentityId"}
	has(r, key)
}

# Microsoft.Sql/servers/databases.
is_kind("sql_database", r) if {
	has(r, "serverName")
	has(r, "databaseName")
	not postgres_signal(r)
}

# Microsoft.Sql/servers/auditingSettings (ServerBlobAuditingPolicy).
is_kind("sql_auditing", r) if {
	has(r, "serverName")
	some key in {"blobAuditingPolicyName", "isAzureMonitorTargetEnabled", "auditActionsAndGroups"}
	has(r, key)
}

postgres_signal(r) if {
	some key in {"authConfig", "network", "highAvailability", "backup", "storage"}
	has(r, key)
}

# Microsoft.DBforPostgreSQL/flexibleServers.
is_kind("postgres_server", r) if {
	has(r, "serverName")
	not has(r, "databaseName")
	not has(r, "objectId")
	postgres_signal(r)
}

# Microsoft.ContainerRegistry/registries (not its replications, webhooks, tasks or tokens).
is_kind("registry", r) if {
	has(r, "registryName")
	every key in {"replicationName", "webhookName", "taskName", "tokenName", "scopeMapName", "agentPoolName", "pipelineRunName"} {
		not has(r, key)
	}
}

is_kind("registry", r) if {
	some key in {"adminUserEnabled", "anonymousPullEnabled", "networkRuleBypassOptions"}
	has(r, key)
}

# Microsoft.Network/networkSecurityGroups.
is_kind("nsg", r) if {
	has(r, "networkSecurityGroupName")
	not has(r, "securityRuleName")
}

is_kind("nsg", r) if {
	is_array(r.securityRules)
	not has(r, "virtualNetworkName")
}

# Microsoft.Network/virtualNetworks/subnets.
is_kind("subnet", r) if {
	has(r, "virtualNetworkName")
	some key in {"subnetName", "addressPrefix", "addressPrefixes"}
	has(r, key)
}

# Microsoft.Network/publicIPAddresses.
is_kind("public_ip", r) if {
	some key in {"publicIpAddressName", "publicIPAllocationMethod"}
	has(r, key)
}

# Microsoft.CognitiveServices/accounts (Document Intelligence): an account whose kind is not a
# storage kind, with account properties.
is_kind("cognitive_account", r) if {
	has(r, "accountName")
	is_string(r.kind)
	not r.kind in storage_kinds
	is_object(r.properties)
}

is_kind("cognitive_account", r) if has(r.properties, "customSubDomainName")

# Microsoft.Authorization/roleAssignments.
is_kind("role_assignment", r) if {
	has(r, "principalId")
	has(r, "roleDefinitionId")
	has(r, "scope")
	not has(r, "requestType")
}

# Federated identity credentials (of a managed identity, or of an Entra application).
is_kind("federated_credential", r) if {
	has(r, "issuer")
	has(r, "subject")
}

# Microsoft.Insights/diagnosticSettings.
is_kind("diagnostic_setting", r) if {
	has(r, "resourceUri")
	not has(r, "dataCollectionRuleId")
	not has(r, "dataCollectionEndpointId")
	some key in {"logs", "metrics", "workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "logAnalyticsDestinationType"}
	has(r, key)
}

# Microsoft.Authorization/locks.
is_kind("lock", r) if has(r, "lockName")

is_kind("lock", r) if {
	r.level in lock_levels
	has(r, "scope")
}

frontdoor_waf_signal(r) if r.sku.name in frontdoor_skus

frontdoor_waf_signal(r) if is_object(r.customRules)

frontdoor_waf_signal(r) if has(r.policySettings, "enabledState")

frontdoor_waf_signal(r) if is_string(r.policySettings.requestBodyCheck)

# Microsoft.Network/FrontDoorWebApplicationFirewallPolicies (network:Policy).
is_kind("frontdoor_waf", r) if {
	some key in {"policySettings", "managedRules"}
	has(r, key)
	frontdoor_waf_signal(r)
}

# Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies (the AGC's WAF).
is_kind("appgw_waf", r) if {
	some key in {"policySettings", "managedRules"}
	has(r, key)
	not frontdoor_waf_signal(r)
	not has(r, "profileName")
}

# Microsoft.Cdn/profiles of a Front Door SKU.
is_kind("frontdoor_profile", r) if {
	r.sku.name in frontdoor_skus
	not has(r, "policySettings")
	not has(r, "managedRules")
}

# Microsoft.Cdn/profiles/afdEndpoints/routes.
is_kind("frontdoor_route", r) if {
	has(r, "profileName")
	has(r, "endpointName")
	some key in {"routeName", "originGroup", "patternsToMatch", "forwardingProtocol", "httpsRedirect"}
	has(r, key)
}

# Microsoft.Cdn/profiles/originGroups/origins.
is_kind("frontdoor_origin", r) if {
	has(r, "profileName")
	has(r, "originGroupName")
	some key in {"originName", "hostName", "enforceCertificateNameCheck"}
	has(r, key)
}

# Microsoft.Cdn/profiles/customDomains.
is_kind("frontdoor_custom_domain", r) if {
	has(r, "profileName")
	not has(r, "originGroupName")
	some key in {"customDomainName", "tlsSettings"}
	has(r, key)
}

# Microsoft.Cdn/profiles/securityPolicies.
is_kind("frontdoor_security_policy", r) if {
	has(r, "profileName")
	some key in {"securityPolicyName", "parameters"}
	has(r, key)
}

# Microsoft.OperationalInsights/workspaces.
is_kind("log_analytics", r) if {
	has(r, "workspaceName")
	some key in {"retentionInDays", "features", "sku", "workspaceCapping", "publicNetworkAccessForIngestion"}
	has(r, key)
}

# Microsoft.KubernetesConfiguration/fluxConfigurations.
is_kind("flux_configuration", r) if {
	some key in {"fluxConfigurationName", "gitRepository", "sourceKind"}
	has(r, key)
	has(r, "clusterName")
}

# Microsoft.ManagedIdentity/userAssignedIdentities: a resource name, a resource group, and none of
# the properties of the other types named by resourceName.
is_kind("managed_identity", r) if {
	has(r, "resourceName")
	has(r, "resourceGroupName")
	every key in object.keys(r) {
		key in {"resourceName", "resourceGroupName", "location", "tags", "isolationScope"}
	}
}

# Microsoft.ServiceNetworking/trafficControllers (Application Gateway for Containers), not its
# frontends, associations or security policies.
is_kind("traffic_controller", r) if {
	has(r, "trafficControllerName")
	every key in {"frontendName", "associationName", "securityPolicyName"} {
		not has(r, key)
	}
}
