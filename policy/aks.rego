# AKS managed cluster and its maintenance configurations. References: PSRule for Azure rule names
# (azure.github.io/PSRule.Rules.Azure/en/rules/<name>/) or Microsoft cloud security benchmark
# controls of the AKS security baseline.
package platform_baseline

import rego.v1

# Azure.AKS.LocalAccounts: no static cluster-admin credential; sign-in only through Entra ID.
deny_aks_local_accounts contains msg if {
	"aks_cluster" in kinds
	differs(input, ["disableLocalAccounts"], true)
	msg := message("aks_cluster", input, ["disableLocalAccounts"], "true", "Azure.AKS.LocalAccounts")
}

# Azure.AKS.ManagedAAD: Entra ID integration managed by AKS.
deny_aks_managed_entra contains msg if {
	"aks_cluster" in kinds
	differs(input, ["aadProfile", "managed"], true)
	msg := message("aks_cluster", input, ["aadProfile", "managed"], "true", "Azure.AKS.ManagedAAD")
}

# Azure.AKS.AzureRBAC: Kubernetes authorization by Azure RBAC role assignments.
deny_aks_azure_rbac contains msg if {
	"aks_cluster" in kinds
	differs(input, ["aadProfile", "enableAzureRBAC"], true)
	msg := message("aks_cluster", input, ["aadProfile", "enableAzureRBAC"], "true", "Azure.AKS.AzureRBAC")
}

# Azure.AKS.UseRBAC: Kubernetes RBAC itself must not be switched off.
deny_aks_kubernetes_rbac contains msg if {
	"aks_cluster" in kinds
	is_value(input, ["enableRBAC"], false)
	msg := message("aks_cluster", input, ["enableRBAC"], "true", "Azure.AKS.UseRBAC")
}

# AKS security baseline IM-3 (manage application identities securely and automatically): the OIDC
# issuer is what workload identity federation trusts.
deny_aks_oidc_issuer contains msg if {
	"aks_cluster" in kinds
	differs(input, ["oidcIssuerProfile", "enabled"], true)
	msg := message("aks_cluster", input, ["oidcIssuerProfile", "enabled"], "true", "AKS security baseline IM-3")
}

# AKS security baseline IM-3: pods reach Azure with workload identity, never with secrets.
deny_aks_workload_identity contains msg if {
	"aks_cluster" in kinds
	differs(input, ["securityProfile", "workloadIdentity", "enabled"], true)
	msg := message("aks_cluster", input, ["securityProfile", "workloadIdentity", "enabled"], "true", "AKS security baseline IM-3")
}

# Azure.AKS.ManagedIdentity: the cluster runs as a managed identity, not a service principal.
deny_aks_managed_identity contains msg if {
	"aks_cluster" in kinds
	not_in(input, ["identity", "type"], {"UserAssigned", "SystemAssigned"})
	msg := message("aks_cluster", input, ["identity", "type"], "UserAssigned or SystemAssigned", "Azure.AKS.ManagedIdentity")
}

api_private(r) if is_value(r, ["apiServerAccessProfile", "enablePrivateCluster"], true)

open_ranges := {"0.0.0.0/0", "*", "Internet", "any"}

# Azure.AKS.AuthorizedIPs: in prod a public API server admits only listed ranges (or the API is
# private); dev may leave its VNet-integrated API server open, as config allows.
deny_aks_api_server_access contains msg if {
	"aks_cluster" in kinds
	prod(input)
	not api_private(input)
	judged(input, ["apiServerAccessProfile", "authorizedIPRanges"])
	count(object.get(input, ["apiServerAccessProfile", "authorizedIPRanges"], [])) == 0
	msg := message("aks_cluster", input, ["apiServerAccessProfile", "authorizedIPRanges"], "a list of operator and agent CIDRs, or enablePrivateCluster true", "Azure.AKS.AuthorizedIPs")
}

# Azure.AKS.AuthorizedIPs: an authorized range that admits every address is no restriction.
deny_aks_api_server_open_range contains msg if {
	"aks_cluster" in kinds
	some range in object.get(input, ["apiServerAccessProfile", "authorizedIPRanges"], [])
	range in open_ranges
	msg := sprintf("%s: apiServerAccessProfile.authorizedIPRanges holds %s, which admits every address (Azure.AKS.AuthorizedIPs)", [label("aks_cluster", input), range])
}

# Azure.AKS.NetworkPolicy: pods are isolated by network policies.
deny_aks_network_policy contains msg if {
	"aks_cluster" in kinds
	not_in(input, ["networkProfile", "networkPolicy"], {"azure", "calico", "cilium"})
	msg := message("aks_cluster", input, ["networkProfile", "networkPolicy"], "cilium, azure or calico", "Azure.AKS.NetworkPolicy")
}

# Azure.AKS.SecretStore: the Key Vault CSI driver add-on is on (secrets come from Key Vault).
deny_aks_secret_store contains msg if {
	"aks_cluster" in kinds
	differs(input, ["addonProfiles", "azureKeyvaultSecretsProvider", "enabled"], true)
	msg := message("aks_cluster", input, ["addonProfiles", "azureKeyvaultSecretsProvider", "enabled"], "true", "Azure.AKS.SecretStore")
}

# Azure.AKS.SecretStoreRotation: mounted secrets follow rotations in Key Vault.
deny_aks_secret_rotation contains msg if {
	"aks_cluster" in kinds
	is_value(input, ["addonProfiles", "azureKeyvaultSecretsProvider", "enabled"], true)
	differs(input, ["addonProfiles", "azureKeyvaultSecretsProvider", "config", "enableSecretRotation"], "true")
	msg := message("aks_cluster", input, ["addonProfiles", "azureKeyvaultSecretsProvider", "config", "enableSecretRotation"], "\"true\"", "Azure.AKS.SecretStoreRotation")
}

# Azure.AKS.AutoUpgrade: Kubernetes versions follow an upgrade channel.
deny_aks_auto_upgrade contains msg if {
	"aks_cluster" in kinds
	not_in(input, ["autoUpgradeProfile", "upgradeChannel"], {"patch", "stable", "rapid", "node-image"})
	msg := message("aks_cluster", input, ["autoUpgradeProfile", "upgradeChannel"], "patch, stable, rapid or node-image", "Azure.AKS.AutoUpgrade")
}

# Azure.AKS.NodeAutoUpgrade: node images receive security patches.
deny_aks_node_os_upgrade contains msg if {
	"aks_cluster" in kinds
	not_in(input, ["autoUpgradeProfile", "nodeOSUpgradeChannel"], {"NodeImage", "SecurityPatch"})
	msg := message("aks_cluster", input, ["autoUpgradeProfile", "nodeOSUpgradeChannel"], "NodeImage or SecurityPatch", "Azure.AKS.NodeAutoUpgrade")
}

# Azure.AKS.DefenderProfile (prod): Microsoft Defender for Containers watches the cluster.
deny_aks_defender contains msg if {
	"aks_cluster" in kinds
	prod(input)
	differs(input, ["securityProfile", "defender", "securityMonitoring", "enabled"], true)
	msg := message("aks_cluster", input, ["securityProfile", "defender", "securityMonitoring", "enabled"], "true in prod", "Azure.AKS.DefenderProfile")
}

# AKS keys add-on profiles case-insensitively (the platform writes azurepolicy).
azure_policy_enabled(r) if {
	some key, profile in r.addonProfiles
	lower(key) == "azurepolicy"
	profile.enabled == true
}

# Azure.AKS.AzurePolicyAddOn (prod): Azure Policy audits and enforces in-cluster policies.
deny_aks_azure_policy contains msg if {
	"aks_cluster" in kinds
	prod(input)
	judged(input, ["addonProfiles"])
	not azure_policy_enabled(input)
	msg := sprintf("%s: addonProfiles.azurepolicy.enabled must be true in prod (Azure.AKS.AzurePolicyAddOn)", [label("aks_cluster", input)])
}

# Azure.AKS.UptimeSLA (prod): a paid tier with the uptime SLA.
deny_aks_paid_tier contains msg if {
	"aks_cluster" in kinds
	prod(input)
	not_in(input, ["sku", "tier"], {"Standard", "Premium"})
	msg := message("aks_cluster", input, ["sku", "tier"], "Standard or Premium in prod", "Azure.AKS.UptimeSLA")
}

# Azure.AKS.AvailabilityZone (prod): every system pool spans at least two zones.
deny_aks_zones contains msg if {
	"aks_cluster" in kinds
	prod(input)
	some pool in object.get(input, ["agentPoolProfiles"], [])
	pool.mode == "System"
	count(object.get(pool, ["availabilityZones"], [])) < 2
	msg := sprintf("%s: system pool %s has availabilityZones %s, want at least two zones in prod (Azure.AKS.AvailabilityZone)", [label("aks_cluster", input), show(at(pool, ["name"])), show(at(pool, ["availabilityZones"]))])
}

# Azure.AKS.ContainerInsights: container logs and metrics reach Log Analytics.
deny_aks_container_insights contains msg if {
	"aks_cluster" in kinds
	differs(input, ["addonProfiles", "omsagent", "enabled"], true)
	msg := message("aks_cluster", input, ["addonProfiles", "omsagent", "enabled"], "true", "Azure.AKS.ContainerInsights")
}

aks_managed_schedules := {"aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"}

# Azure.AKS.MaintenanceWindow: a planned window long enough for an upgrade to finish (AKS needs
# at least four hours for its managed schedules).
deny_aks_maintenance_window contains msg if {
	"aks_maintenance" in kinds
	input.configName in aks_managed_schedules
	judged(input, ["maintenanceWindow", "durationHours"])
	object.get(input, ["maintenanceWindow", "durationHours"], 0) < 4
	msg := message("aks_maintenance", input, ["maintenanceWindow", "durationHours"], "at least 4", "Azure.AKS.MaintenanceWindow")
}
