# The edge: Front Door (profile, WAF policy, routes, origins, custom domains, security policy),
# the Application Gateway for Containers' WAF policy, and the container registry. References:
# PSRule for Azure rule names or MCSB controls.
package platform_baseline

import rego.v1

# Azure.FrontDoorWAF.Enabled.
deny_frontdoor_waf_enabled contains msg if {
	"frontdoor_waf" in kinds
	differs(input, ["policySettings", "enabledState"], "Enabled")
	msg := message("frontdoor_waf", input, ["policySettings", "enabledState"], "Enabled", "Azure.FrontDoorWAF.Enabled")
}

# Azure.FrontDoorWAF.PreventionMode (prod): the WAF blocks, not only logs. dev may detect only,
# as config allows.
deny_frontdoor_waf_prevention contains msg if {
	"frontdoor_waf" in kinds
	prod(input)
	differs(input, ["policySettings", "mode"], "Prevention")
	msg := message("frontdoor_waf", input, ["policySettings", "mode"], "Prevention in prod", "Azure.FrontDoorWAF.PreventionMode")
}

managed_rule_set_types(r) := {t | some set in object.get(r, ["managedRules", "managedRuleSets"], []); t := set.ruleSetType}

# Azure.FrontDoorWAF.RuleGroups: the default rule set and the bot manager rule set.
deny_frontdoor_waf_rule_groups contains msg if {
	"frontdoor_waf" in kinds
	judged(input, ["managedRules", "managedRuleSets"])
	some wanted in {"Microsoft_DefaultRuleSet", "Microsoft_BotManagerRuleSet"}
	not wanted in managed_rule_set_types(input)
	msg := sprintf("%s: managedRules.managedRuleSets has no %s (Azure.FrontDoorWAF.RuleGroups)", [label("frontdoor_waf", input), wanted])
}

# Azure.FrontDoor.UseWAF: the endpoint's security policy attaches a WAF policy.
deny_frontdoor_security_policy_waf contains msg if {
	"frontdoor_security_policy" in kinds
	differs(input, ["parameters", "type"], "WebApplicationFirewall")
	msg := message("frontdoor_security_policy", input, ["parameters", "type"], "WebApplicationFirewall", "Azure.FrontDoor.UseWAF")
}

deny_frontdoor_security_policy_waf contains msg if {
	"frontdoor_security_policy" in kinds
	judged(input, ["parameters", "wafPolicy"])
	not is_string(at(input, ["parameters", "wafPolicy", "id"]))
	msg := message("frontdoor_security_policy", input, ["parameters", "wafPolicy", "id"], "the WAF policy's ID", "Azure.FrontDoor.UseWAF")
}

# Azure.FrontDoor.MinTLS: custom domains accept TLS 1.2 or later.
deny_frontdoor_min_tls contains msg if {
	"frontdoor_custom_domain" in kinds
	not_in(input, ["tlsSettings", "minimumTlsVersion"], {"TLS12", "TLS13"})
	msg := message("frontdoor_custom_domain", input, ["tlsSettings", "minimumTlsVersion"], "TLS12", "Azure.FrontDoor.MinTLS")
}

# MCSB DP-3 (encrypt sensitive data in transit): a route that accepts HTTP redirects it to HTTPS.
deny_frontdoor_https_redirect contains msg if {
	"frontdoor_route" in kinds
	"Http" in object.get(input, "supportedProtocols", [])
	differs(input, ["httpsRedirect"], "Enabled")
	msg := message("frontdoor_route", input, ["httpsRedirect"], "Enabled when supportedProtocols has Http", "MCSB DP-3")
}

# MCSB DP-3 (prod): Front Door reaches the origin over HTTPS (dev's AGC origin has no
# certificate of its own; config requires the origin host name in prod).
deny_frontdoor_origin_https contains msg if {
	"frontdoor_route" in kinds
	prod_route(input)
	differs(input, ["forwardingProtocol"], "HttpsOnly")
	msg := message("frontdoor_route", input, ["forwardingProtocol"], "HttpsOnly in prod", "MCSB DP-3")
}

# Front Door routes carry no tags: their environment is the one in the Front Door profile's name,
# which the platform builds as afd-<prefix>-<environment>-<region> (naming/naming.go). Only the
# environment named prod is known to be on the prod profile here; for other environments on that
# profile the same rule holds through configuration, which requires agc.originHostName (HTTPS to
# the origin) on the prod profile.
prod_route(r) if {
	is_string(r.profileName)
	split(r.profileName, "-")[2] == "prod"
}

# MCSB DP-3: Front Door checks the origin's certificate name (on unless switched off).
deny_frontdoor_origin_certificate contains msg if {
	"frontdoor_origin" in kinds
	is_value(input, ["enforceCertificateNameCheck"], false)
	msg := message("frontdoor_origin", input, ["enforceCertificateNameCheck"], "true", "MCSB DP-3")
}

# Azure.AppGwWAF.Enabled: the AGC's WAF policy is on.
deny_agc_waf_enabled contains msg if {
	"appgw_waf" in kinds
	differs(input, ["policySettings", "state"], "Enabled")
	msg := message("appgw_waf", input, ["policySettings", "state"], "Enabled", "Azure.AppGwWAF.Enabled")
}

# Azure.AppGwWAF.PreventionMode (prod).
deny_agc_waf_prevention contains msg if {
	"appgw_waf" in kinds
	prod(input)
	differs(input, ["policySettings", "mode"], "Prevention")
	msg := message("appgw_waf", input, ["policySettings", "mode"], "Prevention in prod", "Azure.AppGwWAF.PreventionMode")
}

# Azure.AppGwWAF.RuleGroups: a current managed rule set (DRS 2.x or OWASP 3.2).
deny_agc_waf_rule_set contains msg if {
	"appgw_waf" in kinds
	judged(input, ["managedRules", "managedRuleSets"])
	not current_appgw_rule_set(input)
	msg := sprintf("%s: managedRules.managedRuleSets has neither Microsoft_DefaultRuleSet 2.x nor OWASP 3.2 (Azure.AppGwWAF.RuleGroups)", [label("appgw_waf", input)])
}

current_appgw_rule_set(r) if {
	some set in r.managedRules.managedRuleSets
	set.ruleSetType == "Microsoft_DefaultRuleSet"
	startswith(set.ruleSetVersion, "2.")
}

current_appgw_rule_set(r) if {
	some set in r.managedRules.managedRuleSets
	set.ruleSetType == "OWASP"
	set.ruleSetVersion == "3.2"
}

# MCSB NS-6 (deploy a web application firewall): the WAF inspects request bodies.
deny_agc_waf_body_inspection contains msg if {
	"appgw_waf" in kinds
	differs(input, ["policySettings", "requestBodyCheck"], true)
	msg := message("appgw_waf", input, ["policySettings", "requestBodyCheck"], "true", "MCSB NS-6")
}

# MCSB NS-6, origin lockdown: the AGC's WAF blocks every request that lacks this Front Door's
# X-Azure-FDID header, so nobody reaches the API around Front Door.
deny_agc_waf_front_door_only contains msg if {
	"appgw_waf" in kinds
	judged(input, ["customRules"])
	not front_door_id_rule(input)
	msg := sprintf("%s: customRules has no enabled Block rule on a RequestHeaders X-Azure-FDID mismatch (MCSB NS-6, Front Door origin lockdown)", [label("appgw_waf", input)])
}

front_door_id_rule(r) if {
	some rule in r.customRules
	rule.action == "Block"
	object.get(rule, "state", "Enabled") == "Enabled"
	some cond in rule.matchConditions
	cond.negationConditon == true
	some variable in cond.matchVariables
	variable.variableName == "RequestHeaders"
	lower(variable.selector) == "x-azure-fdid"
}

# Azure.ACR.AdminUser: no admin user (a shared password).
deny_acr_admin_user contains msg if {
	"registry" in kinds
	is_value(input, ["adminUserEnabled"], true)
	msg := message("registry", input, ["adminUserEnabled"], "false", "Azure.ACR.AdminUser")
}

# Azure.ACR.AnonymousAccess: no anonymous pull.
deny_acr_anonymous_pull contains msg if {
	"registry" in kinds
	is_value(input, ["anonymousPullEnabled"], true)
	msg := message("registry", input, ["anonymousPullEnabled"], "false", "Azure.ACR.AnonymousAccess")
}

# Azure.ACR.Firewall (prod): the registry is reachable only through its private endpoint.
deny_acr_public_network contains msg if {
	"registry" in kinds
	prod(input)
	differs(input, ["publicNetworkAccess"], "Disabled")
	msg := message("registry", input, ["publicNetworkAccess"], "Disabled in prod", "Azure.ACR.Firewall")
}

# Azure.ACR.MinSku: Standard or Premium.
deny_acr_min_sku contains msg if {
	"registry" in kinds
	not_in(input, ["sku", "name"], {"Standard", "Premium"})
	msg := message("registry", input, ["sku", "name"], "Standard or Premium (Premium in prod)", "Azure.ACR.MinSku")
}
