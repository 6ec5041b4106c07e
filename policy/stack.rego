# Stack rules: they need several resources of one stack at once. pulumi-policy-opa v0.1.0 runs
# no stack analysis (its AnalyzeStack returns nothing) and queries only deny_*/warn_* rules, so
# the engine never evaluates these; the offline check (go test ./..., cmd/plan -policy) does, with
# the input {"resources": [{"type", "name", "urn", "id", "protect", "properties"}]} where
# properties is the analyzer's input for that resource (policy.StackInput).
package platform_baseline

import rego.v1

# The kinds of every resource of the stack, computed once per query.
resource_kinds[r.urn] := kinds_of(r.properties) if some r in input.resources

stack_resources(k) := [r | some r in input.resources; k in resource_kinds[r.urn]]

# Where each data service's diagnostic setting points, and the reference asking for it.
diagnostic_targets := {
	"key_vault": {"suffix": "", "ref": "Azure.KeyVault.Logs"},
	"sql_server": {"suffix": "/databases/master", "ref": "Azure.SQL.Auditing (auditing to Log Analytics through the master database)"},
	"sql_database": {"suffix": "", "ref": "MCSB LT-3"},
	"postgres_server": {"suffix": "", "ref": "MCSB LT-3"},
	"storage_account": {"suffix": "/blobServices/default", "ref": "MCSB LT-3"},
	"registry": {"suffix": "", "ref": "Azure.ACR.AuditLogs"},
	"aks_cluster": {"suffix": "", "ref": "Azure.AKS.AuditLogs"},
	"cognitive_account": {"suffix": "", "ref": "MCSB LT-3"},
	"frontdoor_profile": {"suffix": "", "ref": "Azure.FrontDoor.Logs"},
	"traffic_controller": {"suffix": "", "ref": "MCSB LT-3"},
}

diagnosed := {lower(d.properties.resourceUri) |
	some d in stack_resources("diagnostic_setting")
	is_string(d.properties.resourceUri)
}

# Every data service of the stack has a diagnostic setting (its rules check where it sends logs).
stack_deny_diagnostics contains msg if {
	some k, target in diagnostic_targets
	some r in stack_resources(k)
	r.id != ""
	not lower(concat("", [r.id, target.suffix])) in diagnosed
	msg := sprintf("%s (%s): no diagnostic setting on %s%s (%s)", [label(k, r.properties), r.urn, r.id, target.suffix, target.ref])
}

# What a protected environment must not lose to one mistaken delete.
stateful_kinds := {"key_vault", "sql_server", "sql_database", "postgres_server", "registry", "aks_cluster", "cognitive_account", "managed_identity"}

stateful(r) := k if {
	some k in stateful_kinds
	k in resource_kinds[r.urn]
}

# The data lake holds customer data; the SPA account only the site the pipeline re-uploads.
stateful(r) := "storage_account" if {
	"storage_account" in resource_kinds[r.urn]
	r.properties.isHnsEnabled == true
}

locked := {lower(l.properties.scope) |
	some l in stack_resources("lock")
	l.properties.level in {"CanNotDelete", "ReadOnly"}
	is_string(l.properties.scope)
}

# Azure Resource Manager guidance "Lock your resources to protect your infrastructure" (prod):
# every stateful resource has a CanNotDelete (or ReadOnly) lock on its own scope.
stack_deny_prod_locks contains msg if {
	some r in input.resources
	k := stateful(r)
	prod(r.properties)
	r.id != ""
	not lower(r.id) in locked
	msg := sprintf("%s (%s): no CanNotDelete lock on it in prod (Azure Resource Manager: lock your resources)", [label(k, r.properties), r.urn])
}

# The same resources are protected in Pulumi (prod): `pulumi destroy` or a replace stops at them.
stack_deny_prod_protect contains msg if {
	some r in input.resources
	k := stateful(r)
	prod(r.properties)
	r.protect != true
	msg := sprintf("%s (%s): not protected (Pulumi protect option) in prod (Azure Resource Manager: lock your resources)", [label(k, r.properties), r.urn])
}

# Azure.AKS.MaintenanceWindow: a cluster that upgrades itself does so in a planned window, one
# for Kubernetes versions and one for node images.
stack_deny_aks_maintenance contains msg if {
	some c in stack_resources("aks_cluster")
	some channel, schedule in {"upgradeChannel": "aksManagedAutoUpgradeSchedule", "nodeOSUpgradeChannel": "aksManagedNodeOSUpgradeSchedule"}
	not lower(object.get(c.properties, ["autoUpgradeProfile", channel], "none")) in {"none", "unmanaged"}
	not maintenance_for(c.properties.resourceName, schedule)
	msg := sprintf("%s (%s): autoUpgradeProfile.%s is set but no %s maintenance configuration exists (Azure.AKS.MaintenanceWindow)", [label("aks_cluster", c.properties), c.urn, channel, schedule])
}

maintenance_for(cluster, schedule) if {
	some m in stack_resources("aks_maintenance")
	m.properties.resourceName == cluster
	m.properties.configName == schedule
}
