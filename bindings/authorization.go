package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi-azure-native-sdk/v2/utilities"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Tokens of Microsoft.Authorization, unversioned as the generated authorization/v2 package of
// azure-native 2.90.0 registers them (the provider maps them to its default API versions, given
// on each type).
const (
	RoleAssignmentType        = "azure-native:authorization:RoleAssignment"
	ManagementLockByScopeType = "azure-native:authorization:ManagementLockByScope"
	GetClientConfigToken      = "azure-native:authorization:getClientConfig"
)

// ClientConfig is the result of getClientConfig: the identity the provider deploys with.
type ClientConfig struct {
	ClientID       string `pulumi:"clientId"`
	ObjectID       string `pulumi:"objectId"`
	SubscriptionID string `pulumi:"subscriptionId"`
	TenantID       string `pulumi:"tenantId"`
}

// GetClientConfig calls the provider function getClientConfig (no arguments) with the provider
// version of the root azure-native module, as the generated authorization.GetClientConfig does.
func GetClientConfig(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (*ClientConfig, error) {
	var rv ClientConfig
	if err := ctx.Invoke(GetClientConfigToken, nil, &rv, utilities.PkgInvokeDefaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &rv, nil
}

// RoleAssignment is a role assignment: ARM type Microsoft.Authorization/roleAssignments, API
// version 2022-04-01 (the provider's default for the unversioned token).
type RoleAssignment struct {
	pulumi.CustomResourceState

	Name             pulumi.StringOutput `pulumi:"name"`
	PrincipalId      pulumi.StringOutput `pulumi:"principalId"`
	RoleDefinitionId pulumi.StringOutput `pulumi:"roleDefinitionId"`
	Scope            pulumi.StringOutput `pulumi:"scope"`
}

// RoleAssignmentArgs are the inputs of a RoleAssignment, with the wire names of the generated
// authorization/v2 RoleAssignmentArgs.
type RoleAssignmentArgs struct {
	// Condition limits the assignment, e.g. to one blob container; it needs ConditionVersion "2.0".
	Condition        pulumi.StringInput `pulumi:"condition"`
	ConditionVersion pulumi.StringInput `pulumi:"conditionVersion"`
	Description      pulumi.StringInput `pulumi:"description"`
	// PrincipalId is required.
	PrincipalId pulumi.StringInput `pulumi:"principalId"`
	// PrincipalType is User, Group, ServicePrincipal, ForeignGroup or Device; default "User" (the
	// generated constructor's default).
	PrincipalType pulumi.StringInput `pulumi:"principalType"`
	// RoleAssignmentName is the assignment's GUID name in Azure.
	RoleAssignmentName pulumi.StringInput `pulumi:"roleAssignmentName"`
	// RoleDefinitionId is required: the full ARM ID of the role definition.
	RoleDefinitionId pulumi.StringInput `pulumi:"roleDefinitionId"`
	// Scope is required: the ARM ID the role is assigned at.
	Scope pulumi.StringInput `pulumi:"scope"`
}

// ElementType makes the Args struct its own marshalling target.
func (RoleAssignmentArgs) ElementType() reflect.Type { return reflect.TypeOf(RoleAssignmentArgs{}) }

// NewRoleAssignment registers a RoleAssignment with the generated constructor's default and
// aliases.
func NewRoleAssignment(ctx *pulumi.Context, name string, args *RoleAssignmentArgs, opts ...pulumi.ResourceOption) (*RoleAssignment, error) {
	if args == nil {
		return nil, errors.New("bindings: RoleAssignment args are required")
	}
	a := *args
	if a.PrincipalType == nil {
		a.PrincipalType = pulumi.String("User")
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:authorization/v20150701:RoleAssignment",
		"azure-native:authorization/v20171001preview:RoleAssignment",
		"azure-native:authorization/v20180101preview:RoleAssignment",
		"azure-native:authorization/v20180901preview:RoleAssignment",
		"azure-native:authorization/v20200301preview:RoleAssignment",
		"azure-native:authorization/v20200401preview:RoleAssignment",
		"azure-native:authorization/v20200801preview:RoleAssignment",
		"azure-native:authorization/v20201001preview:RoleAssignment",
		"azure-native:authorization/v20220401:RoleAssignment",
	))
	var r RoleAssignment
	err := register(ctx, RoleAssignmentType, name, a, []field{
		{"PrincipalId", a.PrincipalId}, {"RoleDefinitionId", a.RoleDefinitionId}, {"Scope", a.Scope},
	}, &r, opts)
	return &r, err
}

// ManagementLockByScope is a management lock on any scope: ARM type Microsoft.Authorization/locks,
// API version 2020-05-01 (the provider's default for the unversioned token).
type ManagementLockByScope struct {
	pulumi.CustomResourceState

	Level pulumi.StringOutput `pulumi:"level"`
	Name  pulumi.StringOutput `pulumi:"name"`
}

// ManagementLockByScopeArgs are the inputs of a ManagementLockByScope, with the wire names of the
// generated authorization/v2 ManagementLockByScopeArgs (owners is not offered).
type ManagementLockByScopeArgs struct {
	// Level is required: CanNotDelete or ReadOnly.
	Level    pulumi.StringInput `pulumi:"level"`
	LockName pulumi.StringInput `pulumi:"lockName"`
	// Notes are at most 512 characters.
	Notes pulumi.StringInput `pulumi:"notes"`
	// Scope is required: the ARM ID of the locked resource, group or subscription.
	Scope pulumi.StringInput `pulumi:"scope"`
}

// ElementType makes the Args struct its own marshalling target.
func (ManagementLockByScopeArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ManagementLockByScopeArgs{})
}

// NewManagementLockByScope registers a ManagementLockByScope with the generated constructor's
// aliases (it has no defaults).
func NewManagementLockByScope(ctx *pulumi.Context, name string, args *ManagementLockByScopeArgs, opts ...pulumi.ResourceOption) (*ManagementLockByScope, error) {
	if args == nil {
		return nil, errors.New("bindings: ManagementLockByScope args are required")
	}
	opts = withAliases(opts, typeAliases(
		"azure-native:authorization/v20160901:ManagementLockByScope",
		"azure-native:authorization/v20170401:ManagementLockByScope",
		"azure-native:authorization/v20200501:ManagementLockByScope",
	))
	var r ManagementLockByScope
	err := register(ctx, ManagementLockByScopeType, name, *args, []field{
		{"Level", args.Level}, {"Scope", args.Scope},
	}, &r, opts)
	return &r, err
}
