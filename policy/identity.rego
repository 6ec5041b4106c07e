# Identity: role assignments the program grants and federated credentials. References: PSRule for
# Azure rule names or MCSB controls (PA: privileged access, IM: identity management).
package platform_baseline

import rego.v1

# Built-in role definition IDs (roles/roles.go names the ones the platform assigns).
owner_role := "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"

user_access_administrator_role := "18d7d88d-bd35-4fb5-be5d-5b16fec43bf9"

rbac_administrator_role := "f58310d9-a9f6-439a-9e8d-f62e7b41a168"

role_id(r) := lower(id) if {
	is_string(r.roleDefinitionId)
	parts := split(r.roleDefinitionId, "/")
	id := parts[count(parts) - 1]
}

# Azure.RBAC.LimitOwner: the program never grants Owner.
deny_role_owner contains msg if {
	"role_assignment" in kinds
	role_id(input) == owner_role
	msg := sprintf("%s: roleDefinitionId is Owner; the program grants no Owner role (Azure.RBAC.LimitOwner)", [label("role_assignment", input)])
}

# MCSB PA-7 (just enough administration): the program never grants User Access Administrator,
# which can grant any role to anyone.
deny_role_user_access_administrator contains msg if {
	"role_assignment" in kinds
	role_id(input) == user_access_administrator_role
	msg := sprintf("%s: roleDefinitionId is User Access Administrator; the program grants it to nobody (MCSB PA-7)", [label("role_assignment", input)])
}

# MCSB PA-7: Role Based Access Control Administrator only with an ABAC condition limiting the
# roles it may hand out (the pipeline's delegation).
deny_role_unconstrained_delegation contains msg if {
	"role_assignment" in kinds
	role_id(input) == rbac_administrator_role
	judged(input, ["condition"])
	object.get(input, "condition", "") == ""
	msg := sprintf("%s: Role Based Access Control Administrator without a condition; constrain the roles it may assign (MCSB PA-7)", [label("role_assignment", input)])
}

# Azure.RBAC.UseRGDelegation: assignments at resource-group scope or below, never on a
# subscription, management group or the root.
deny_role_broad_scope contains msg if {
	"role_assignment" in kinds
	is_string(input.scope)
	not contains(lower(input.scope), "/resourcegroups/")
	msg := sprintf("%s: scope %s is a subscription or wider; assign at resource-group scope or below (Azure.RBAC.UseRGDelegation)", [label("role_assignment", input), input.scope])
}

token_exchange_audience := "api://AzureADTokenExchange"

# Entra workload identity federation (MCSB IM-3): the only audience is Entra's token exchange.
deny_federation_audience contains msg if {
	"federated_credential" in kinds
	judged(input, ["audiences"])
	object.get(input, "audiences", []) != [token_exchange_audience]
	msg := message("federated_credential", input, ["audiences"], sprintf("[%q]", [token_exchange_audience]), "MCSB IM-3")
}

# The issuers the platform trusts: an AKS cluster's OIDC issuer, Azure DevOps (the Entra issuer
# of new workload-identity service connections, and the older vstoken issuer), GitHub Actions.
issuer_kind(issuer) := "aks" if regex.match(`^https://[a-z0-9]+\.oic\.prod-aks\.azure\.com/[0-9a-f-]{36}/[0-9a-f-]{36}/$`, issuer)

issuer_kind(issuer) := "azure-devops-entra" if regex.match(`^https://login\.microsoftonline\.com/[0-9a-f-]{36}/v2\.0$`, issuer)

issuer_kind(issuer) := "azure-devops" if regex.match(`^https://vstoken\.dev\.azure\.com/[0-9a-fA-F-]{36}$`, issuer)

issuer_kind(issuer) := "github" if issuer == "https://token.actions.githubusercontent.com"

# The subject each issuer issues, without wildcards: one service account, one service
# connection, one GitHub environment. An Entra-issued Azure DevOps subject names the tenant (t/),
# Azure DevOps' application (a/, 499b84ac-1321-427f-aa17-267ca6975798 base64url-encoded, as
# config/azuredevops.go derives it), the organization ID and the connection ID; the vstoken form
# names organization, project and connection, whose names may contain spaces inside them.
subject_patterns := {
	"aks": `^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$`,
	"azure-devops-entra": `^/eid1/c/pub/t/[A-Za-z0-9_-]{22}/a/rISbSSETf0KqFyZ8ppdXmA/sc/[0-9a-f-]{36}/[0-9a-f-]{36}$`,
	"azure-devops": `^sc://[^/\s*]+/[^/*\s]([^/*]*[^/*\s])?/[^/*\s]([^/*]*[^/*\s])?$`,
	"github": `^repo:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:environment:[^*\s]+$`,
}

# MCSB IM-3: a federated credential trusts only the platform's issuers.
deny_federation_issuer contains msg if {
	"federated_credential" in kinds
	judged(input, ["issuer"])
	not issuer_kind(input.issuer)
	msg := sprintf("%s: issuer %s is none of the trusted issuers (an AKS OIDC issuer https://<region>.oic.prod-aks.azure.com/<tenant>/<cluster>/, https://login.microsoftonline.com/<tenant>/v2.0 or https://vstoken.dev.azure.com/<organization> of Azure DevOps, https://token.actions.githubusercontent.com) (MCSB IM-3)", [label("federated_credential", input), show(input.issuer)])
}

# MCSB IM-3: the subject names exactly one workload of that issuer.
deny_federation_subject contains msg if {
	"federated_credential" in kinds
	judged(input, ["subject"])
	kind := issuer_kind(input.issuer)
	not regex.match(subject_patterns[kind], input.subject)
	msg := sprintf("%s: subject %s does not match %s for a %s issuer (MCSB IM-3)", [label("federated_credential", input), show(input.subject), subject_patterns[kind], kind])
}
