# Cross-cutting rules and the remaining services: the environment tag every environment-dependent
# rule relies on, diagnostic settings, Log Analytics, Document Intelligence, Flux.
package platform_baseline

import rego.v1

# Azure.Resource.UseTags: every tracked resource (a location and a resource group; a provider's
# configuration may have a location but has no resource group) carries the environment's name and
# a known profile. The prod-only rules read the profile tag: without it they would not apply.
deny_environment_tag contains msg if {
	has(input, "resourceGroupName")
	judged(input, ["location"])
	is_string(input.location)
	judged(input, ["tags", "profile"])
	not at(input, ["tags", "profile"]) in profiles
	msg := sprintf("resource in %s: tags.profile is %s, want one of %s (Azure.Resource.UseTags)", [input.location, show(at(input, ["tags", "profile"])), concat(", ", sort(profiles))])
}

deny_environment_tag contains msg if {
	has(input, "resourceGroupName")
	judged(input, ["location"])
	is_string(input.location)
	judged(input, ["tags", "environment"])
	not is_string(at(input, ["tags", "environment"]))
	msg := sprintf("resource in %s: tags.environment is %s, want the environment's name (Azure.Resource.UseTags)", [input.location, show(at(input, ["tags", "environment"]))])
}

# MCSB LT-3 (enable logging for security investigation): a diagnostic setting sends logs to the
# Log Analytics workspace.
deny_diagnostics_destination contains msg if {
	"diagnostic_setting" in kinds
	judged(input, ["workspaceId"])
	not is_string(at(input, ["workspaceId"]))
	msg := message("diagnostic_setting", input, ["workspaceId"], "the Log Analytics workspace's ID", "MCSB LT-3")
}

deny_diagnostics_destination contains msg if {
	"diagnostic_setting" in kinds
	judged(input, ["logs"])
	not log_enabled(input)
	msg := sprintf("%s for %s: logs has no enabled category or category group (MCSB LT-3)", [label("diagnostic_setting", input), show(at(input, ["resourceUri"]))])
}

log_enabled(r) if {
	some log in r.logs
	log.enabled == true
}

# Log Analytics security baseline IM-1: queries and ingestion with Entra ID only.
deny_log_analytics_local_auth contains msg if {
	"log_analytics" in kinds
	differs(input, ["features", "disableLocalAuth"], true)
	msg := message("log_analytics", input, ["features", "disableLocalAuth"], "true", "Log Analytics security baseline IM-1")
}

# Azure.AI.DisableLocalAuth: Document Intelligence takes Entra ID tokens, no keys.
deny_docintel_local_auth contains msg if {
	"cognitive_account" in kinds
	differs(input, ["properties", "disableLocalAuth"], true)
	msg := message("cognitive_account", input, ["properties", "disableLocalAuth"], "true", "Azure.AI.DisableLocalAuth")
}

# Azure.AI.PublicAccess: reachable only through its private endpoint.
deny_docintel_public_network contains msg if {
	"cognitive_account" in kinds
	differs(input, ["properties", "publicNetworkAccess"], "Disabled")
	msg := message("cognitive_account", input, ["properties", "publicNetworkAccess"], "Disabled", "Azure.AI.PublicAccess")
}

# Azure.AI.ManagedIdentity: the account has a managed identity (for its own outbound access).
deny_docintel_managed_identity contains msg if {
	"cognitive_account" in kinds
	not_in(input, ["identity", "type"], {"SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned", "SystemAssigned, UserAssigned"})
	msg := message("cognitive_account", input, ["identity", "type"], "SystemAssigned or UserAssigned", "Azure.AI.ManagedIdentity")
}

# MCSB DP-3: Flux fetches its Git source over HTTPS.
deny_flux_source_https contains msg if {
	"flux_configuration" in kinds
	judged(input, ["gitRepository", "url"])
	is_string(input.gitRepository.url)
	not startswith(input.gitRepository.url, "https://")
	msg := message("flux_configuration", input, ["gitRepository", "url"], "an https:// URL", "MCSB DP-3")
}

# MCSB IM-3 (zero static credentials): Flux authenticates to Git with workload identity, so the
# configuration carries no protected settings (user names, tokens, SSH keys).
deny_flux_static_credentials contains msg if {
	"flux_configuration" in kinds
	some key in {"configurationProtectedSettings"}
	count(object.get(input, key, {})) > 0
	msg := sprintf("%s: configurationProtectedSettings holds credentials; authenticate with workload identity (gitRepository.provider Azure) instead (MCSB IM-3)", [label("flux_configuration", input)])
}

# Advisory, Log Analytics security baseline LT-6 (configure log storage retention): keep logs a
# month or more.
warn_log_analytics_retention contains msg if {
	"log_analytics" in kinds
	judged(input, ["retentionInDays"])
	object.get(input, "retentionInDays", 30) < 30
	msg := message("log_analytics", input, ["retentionInDays"], "at least 30", "Log Analytics security baseline LT-6")
}

# Advisory, Azure.Storage.SoftDelete: a week or more of blob soft delete.
warn_storage_soft_delete_days contains msg if {
	"blob_service" in kinds
	is_value(input, ["deleteRetentionPolicy", "enabled"], true)
	judged(input, ["deleteRetentionPolicy", "days"])
	object.get(input, ["deleteRetentionPolicy", "days"], 7) < 7
	msg := message("blob_service", input, ["deleteRetentionPolicy", "days"], "at least 7", "Azure.Storage.SoftDelete")
}
