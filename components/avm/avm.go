// Package avm holds the cross-cutting inputs every component takes, with the names and shapes of
// the Azure Verified Modules interface (Tags, Lock, RoleAssignments, DiagnosticSettings,
// PrivateEndpoints), and the functions that turn them into child resources, so every component
// behaves the same way.
package avm

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/privateendpoint"
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/roles"
)

// Lock is the management lock a component puts on its main resource.
type Lock string

// Lock levels. LockNone puts no lock.
const (
	LockNone         Lock = ""
	LockCanNotDelete Lock = "CanNotDelete"
)

// Principal types of a role assignment.
const (
	PrincipalServicePrincipal = "ServicePrincipal"
	PrincipalGroup            = "Group"
)

// RoleAssignment grants a built-in role on a component's main resource.
type RoleAssignment struct {
	// Key names the assignment inside the component (e.g. the identity key "external-secrets"); it
	// forms the assignment's Pulumi name (the Azure name comes from RoleAssignmentName). Required.
	Key string
	// Role is the built-in role. Required.
	Role roles.Role
	// PrincipalID is the object (principal) ID of the assignee. Required.
	PrincipalID pulumi.StringInput
	// PrincipalType is ServicePrincipal (managed identities; default), Group or User.
	PrincipalType string
	// Description says why the assignment exists. Default: "<role> for <key>".
	Description string
	// Condition is an Azure ABAC condition (version 2.0) narrowing the assignment, e.g.
	// roles.DelegationCondition. Default none.
	Condition string
}

// DiagnosticSettings sends a resource's logs and metrics to a Log Analytics workspace.
type DiagnosticSettings struct {
	// WorkspaceID is the Log Analytics workspace's resource ID. Required.
	WorkspaceID pulumi.StringInput
	// LogCategoryGroups are the log category groups to send. Default ["allLogs"] unless
	// LogCategories is set; empty after defaulting means no logs (for resources that have none).
	LogCategoryGroups []string
	// LogCategories are single log categories to send instead of groups, for resources whose
	// allLogs group holds something too costly (the AKS control plane's kube-audit). Default none.
	LogCategories []string
	// MetricCategories are the metric categories to send. Default ["AllMetrics"].
	MetricCategories []string
}

// SubscriptionOf returns the subscription ID inside an ARM resource ID ("" if there is none).
func SubscriptionOf(id string) string {
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "subscriptions") {
			return parts[i+1]
		}
	}
	return ""
}

// RoleDefinitionID is the role's subscription-scoped definition ID for a role assignment at the
// given scope (the subscription is read from the scope, so no lookup is needed).
func RoleDefinitionID(role roles.Role, scope pulumi.StringInput) pulumi.StringOutput {
	return scope.ToStringOutput().ApplyT(func(s string) string {
		return role.DefinitionID(SubscriptionOf(s))
	}).(pulumi.StringOutput)
}

// RoleAssignmentName is a role assignment's GUID name, derived the way the Azure Verified Modules
// derive it in Bicep (guid(scope, principalId, roleDefinitionId)): from the scope's resource ID,
// the role definition ID and the principal ID, lowercased (ARM IDs are case-insensitive). The
// scope's ID holds the subscription, so the name is unique in the tenant; and a new principal
// gives a new name, so Pulumi replaces the assignment instead of sending an update of principalId,
// which Azure refuses.
func RoleAssignmentName(scope, roleDefinitionID, principalID pulumi.StringInput) pulumi.StringOutput {
	return pulumi.All(scope, roleDefinitionID, principalID).ApplyT(func(v []any) string {
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = strings.ToLower(p.(string))
		}
		return naming.GUID(parts...)
	}).(pulumi.StringOutput)
}

// NewRoleAssignments creates one role assignment per entry at scope, named by RoleAssignmentName
// in Azure and <name>-<key>-<role> in Pulumi.
func NewRoleAssignments(ctx *pulumi.Context, name string, scope pulumi.StringInput, assignments []RoleAssignment, opts ...pulumi.ResourceOption) error {
	for _, ra := range assignments {
		if ra.Key == "" || ra.Role.ID == "" || ra.PrincipalID == nil {
			return fmt.Errorf("%s: role assignment %+v needs Key, Role and PrincipalID", name, ra)
		}
		ptype := ra.PrincipalType
		if ptype == "" {
			ptype = PrincipalServicePrincipal
		}
		desc := ra.Description
		if desc == "" {
			desc = fmt.Sprintf("%s for %s", ra.Role.Name, ra.Key)
		}
		roleDefinitionID := RoleDefinitionID(ra.Role, scope)
		args := &bindings.RoleAssignmentArgs{
			RoleAssignmentName: RoleAssignmentName(scope, roleDefinitionID, ra.PrincipalID),
			Scope:              scope,
			RoleDefinitionId:   roleDefinitionID,
			PrincipalId:        ra.PrincipalID,
			PrincipalType:      pulumi.String(ptype),
			Description:        pulumi.String(desc),
		}
		if ra.Condition != "" {
			args.Condition = pulumi.String(ra.Condition)
			args.ConditionVersion = pulumi.String("2.0")
		}
		_, err := bindings.NewRoleAssignment(ctx, fmt.Sprintf("%s-%s-%s", name, ra.Key, roleSlug(ra.Role)), args, uniqueTuple(opts)...)
		if err != nil {
			return err
		}
	}
	return nil
}

// roleSlug turns a role name into a short Pulumi-name part ("Key Vault Secrets User" ->
// "key-vault-secrets-user").
func roleSlug(r roles.Role) string {
	var b strings.Builder
	for _, c := range strings.ToLower(r.Name) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			if s := b.String(); len(s) > 0 && s[len(s)-1] != '-' {
				b.WriteByte('-')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// NewLock puts a management lock on the resource with the given ID; LockNone creates nothing.
func NewLock(ctx *pulumi.Context, name string, scope pulumi.StringInput, lock Lock, opts ...pulumi.ResourceOption) error {
	if lock == LockNone {
		return nil
	}
	_, err := bindings.NewManagementLockByScope(ctx, name+"-lock", &bindings.ManagementLockByScopeArgs{
		LockName: pulumi.String(strings.ToLower(string(lock))),
		Level:    pulumi.String(string(lock)),
		Scope:    scope,
		Notes:    pulumi.String("Set by the platform: stateful resource of a protected environment. Remove the lock (platform:protectStatefulResources) before deleting."),
	}, opts...)
	return err
}

// NewDiagnosticSetting sends the logs and metrics of resourceURI to Log Analytics, with
// resource-specific (Dedicated) tables. A nil d creates nothing.
func NewDiagnosticSetting(ctx *pulumi.Context, name string, resourceURI pulumi.StringInput, d *DiagnosticSettings, opts ...pulumi.ResourceOption) error {
	if d == nil {
		return nil
	}
	if d.WorkspaceID == nil {
		return fmt.Errorf("%s: diagnostic settings need WorkspaceID", name)
	}
	groups := d.LogCategoryGroups
	if groups == nil && d.LogCategories == nil {
		groups = []string{"allLogs"}
	}
	metrics := d.MetricCategories
	if metrics == nil {
		metrics = []string{"AllMetrics"}
	}
	logs := []bindings.LogSettings{}
	for _, g := range groups {
		logs = append(logs, bindings.LogSettings{CategoryGroup: pulumi.String(g), Enabled: pulumi.Bool(true)})
	}
	for _, c := range d.LogCategories {
		logs = append(logs, bindings.LogSettings{Category: pulumi.String(c), Enabled: pulumi.Bool(true)})
	}
	mets := []bindings.MetricSettings{}
	for _, m := range metrics {
		mets = append(mets, bindings.MetricSettings{Category: pulumi.String(m), Enabled: pulumi.Bool(true)})
	}
	args := &bindings.DiagnosticSettingArgs{
		Name:                        pulumi.String("to-log-analytics"),
		ResourceUri:                 resourceURI,
		WorkspaceId:                 d.WorkspaceID,
		LogAnalyticsDestinationType: pulumi.String("Dedicated"),
		Metrics:                     mets,
	}
	if len(logs) > 0 {
		args.Logs = logs
	}
	_, err := bindings.NewDiagnosticSetting(ctx, name+"-diagnostics", args, uniqueTuple(opts)...)
	return err
}

// uniqueTuple adds delete-before-replace to the options of a resource whose identifying tuple
// Azure keeps unique apart from its name, so that its replacement cannot be created beside it
// (Pulumi's default replacement creates first, then deletes):
//   - a role assignment: one per (scope, role, principal); a second one under another name fails
//     with RoleAssignmentExists. Its name is derived from that tuple, but a change of the
//     derivation (or of the scope's letter case) renames it with the tuple unchanged.
//   - a diagnostic setting: a destination takes each category of a resource once ("Data sink ...
//     is already used in diagnostic setting ... for category ...").
//
// Other such resources set pulumi.DeleteBeforeReplace where they are declared (federated
// credentials, private DNS zone groups, virtual network links, the AGC association, the
// External ID app's identifier URI, pre-authorizations and service principals); docs/identity.md
// ("Replacements that must delete first") lists them with the evidence, and the ones left out.
func uniqueTuple(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}, opts...)
}

// Tags merges tag maps; later maps win.
func Tags(maps ...map[string]string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = pulumi.String(v)
		}
	}
	return out
}

// PrivateEndpoint puts a component's main resource behind a private endpoint.
type PrivateEndpoint struct {
	// SubnetID is the private-endpoints subnet. Required.
	SubnetID pulumi.StringInput
	// PrivateDNSZoneID is the privatelink zone of the group. Required.
	PrivateDNSZoneID pulumi.StringInput
	// GroupID is the sub-resource. Default: the component's main group (vault, sqlServer, ...).
	GroupID string
}

// Target is the resource private endpoints connect to.
type Target struct {
	ResourceGroupName pulumi.StringInput
	Location          pulumi.StringInput
	// Name is the target's Azure name; endpoint names derive from it.
	Name pulumi.StringInput
	ID   pulumi.StringInput
	Tags pulumi.StringMapInput
}

// NewPrivateEndpoints creates one private endpoint (with its DNS zone group) per entry, named
// pe-<target>-<group>.
func NewPrivateEndpoints(ctx *pulumi.Context, name string, target Target, defaultGroup string, endpoints []PrivateEndpoint, opts ...pulumi.ResourceOption) error {
	for _, pe := range endpoints {
		group := pe.GroupID
		if group == "" {
			group = defaultGroup
		}
		if _, err := privateendpoint.New(ctx, name+"-"+group, &privateendpoint.Args{
			ResourceGroupName: target.ResourceGroupName,
			Location:          target.Location,
			Name:              endpointName(target.Name, group),
			SubnetID:          pe.SubnetID,
			TargetID:          target.ID,
			GroupID:           group,
			PrivateDNSZoneID:  pe.PrivateDNSZoneID,
			Tags:              target.Tags,
		}, opts...); err != nil {
			return err
		}
	}
	return nil
}

// CheckedName returns a name as an output that fails the update with check's error when the
// resolved name breaks check: a name built from an output (the base layer's random suffix) can be
// checked only once it resolves. Config validation checks the same names up front.
func CheckedName(name pulumi.StringInput, check func(string) error) pulumi.StringOutput {
	return name.ToStringOutput().ApplyT(func(s string) (string, error) {
		if err := check(s); err != nil {
			return "", err
		}
		return s, nil
	}).(pulumi.StringOutput)
}

// endpointName is naming.PrivateEndpointName once the target's name resolves.
func endpointName(target pulumi.StringInput, group string) pulumi.StringOutput {
	return target.ToStringOutput().ApplyT(func(t string) string { return naming.PrivateEndpointName(t, group) }).(pulumi.StringOutput)
}

// Interfaces are the cross-cutting inputs of a component's main resource, created together by
// NewInterfaces.
type Interfaces struct {
	Lock               Lock
	RoleAssignments    []RoleAssignment
	DiagnosticSettings *DiagnosticSettings
	PrivateEndpoints   []PrivateEndpoint
	// PrivateEndpointGroup is the main group of the resource (vault, registry, account, ...),
	// used by endpoints that name none.
	PrivateEndpointGroup string
}

// NewInterfaces creates the lock, role assignments, diagnostic setting and private endpoints of
// the target resource, each as NewLock, NewRoleAssignments, NewDiagnosticSetting and
// NewPrivateEndpoints do.
func NewInterfaces(ctx *pulumi.Context, name string, target Target, in Interfaces, opts ...pulumi.ResourceOption) error {
	if err := NewLock(ctx, name, target.ID, in.Lock, opts...); err != nil {
		return err
	}
	if err := NewRoleAssignments(ctx, name, target.ID, in.RoleAssignments, opts...); err != nil {
		return err
	}
	if err := NewDiagnosticSetting(ctx, name, target.ID, in.DiagnosticSettings, opts...); err != nil {
		return err
	}
	return NewPrivateEndpoints(ctx, name, target, in.PrivateEndpointGroup, in.PrivateEndpoints, opts...)
}
