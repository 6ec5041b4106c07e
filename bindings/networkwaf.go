package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the two web application firewall policies, unversioned as the generated
// network/v2 root package registers them (azure-native 2.90.0).
const (
	WebApplicationFirewallPolicyType = "azure-native:network:WebApplicationFirewallPolicy"
	FrontDoorPolicyType              = "azure-native:network:Policy"
)

// WebApplicationFirewallPolicy is an Application Gateway WAF policy (used by Application Gateway
// for Containers): ARM type Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies,
// token azure-native:network:WebApplicationFirewallPolicy (API version 2023-02-01).
// NewWebApplicationFirewallPolicy fills the generated constructor's defaults into PolicySettings:
// fileUploadEnforcement true and requestBodyEnforcement true.
type WebApplicationFirewallPolicy struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// WebApplicationFirewallPolicyArgs are the inputs of a WebApplicationFirewallPolicy.
type WebApplicationFirewallPolicyArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	PolicyName        pulumi.StringInput `pulumi:"policyName"`
	Location          pulumi.StringInput `pulumi:"location"`
	PolicySettings    *PolicySettings    `pulumi:"policySettings"`
	// ManagedRules is required.
	ManagedRules *ManagedRulesDefinition            `pulumi:"managedRules"`
	CustomRules  []WebApplicationFirewallCustomRule `pulumi:"customRules"`
	Tags         pulumi.StringMapInput              `pulumi:"tags"`
}

// PolicySettings are an Application Gateway WAF policy's global settings.
type PolicySettings struct {
	// State is Enabled or Disabled.
	State pulumi.StringInput `pulumi:"state"`
	// Mode is Prevention or Detection.
	Mode             pulumi.StringInput `pulumi:"mode"`
	RequestBodyCheck pulumi.BoolInput   `pulumi:"requestBodyCheck"`
	// FileUploadEnforcement defaults to true.
	FileUploadEnforcement pulumi.BoolInput `pulumi:"fileUploadEnforcement"`
	// RequestBodyEnforcement defaults to true.
	RequestBodyEnforcement pulumi.BoolInput `pulumi:"requestBodyEnforcement"`
}

// ManagedRulesDefinition holds an Application Gateway WAF policy's managed rule sets.
type ManagedRulesDefinition struct {
	ManagedRuleSets []ManagedRuleSet `pulumi:"managedRuleSets"`
}

// ManagedRuleSet is a managed rule set by type and version, e.g. Microsoft_DefaultRuleSet 2.1.
type ManagedRuleSet struct {
	RuleSetType    pulumi.StringInput `pulumi:"ruleSetType"`
	RuleSetVersion pulumi.StringInput `pulumi:"ruleSetVersion"`
}

// WebApplicationFirewallCustomRule is a custom rule of an Application Gateway WAF policy.
type WebApplicationFirewallCustomRule struct {
	Name pulumi.StringInput `pulumi:"name"`
	// Priority orders the rules: a lower value is evaluated first.
	Priority pulumi.IntInput `pulumi:"priority"`
	// RuleType is MatchRule, RateLimitRule or Invalid.
	RuleType pulumi.StringInput `pulumi:"ruleType"`
	// State is Enabled or Disabled.
	State pulumi.StringInput `pulumi:"state"`
	// Action is Allow, Block or Log.
	Action          pulumi.StringInput `pulumi:"action"`
	MatchConditions []MatchCondition   `pulumi:"matchConditions"`
}

// MatchCondition is one condition of a custom rule; all of a rule's conditions must match.
type MatchCondition struct {
	MatchVariables []MatchVariable    `pulumi:"matchVariables"`
	Operator       pulumi.StringInput `pulumi:"operator"`
	// NegationConditon (the provider's spelling) negates the condition.
	NegationConditon pulumi.BoolInput        `pulumi:"negationConditon"`
	MatchValues      pulumi.StringArrayInput `pulumi:"matchValues"`
	Transforms       pulumi.StringArrayInput `pulumi:"transforms"`
}

// MatchVariable is what a condition inspects, e.g. RequestHeaders with the header name as
// Selector.
type MatchVariable struct {
	VariableName pulumi.StringInput `pulumi:"variableName"`
	Selector     pulumi.StringInput `pulumi:"selector"`
}

// ElementType makes the Args struct its own marshalling target.
func (WebApplicationFirewallPolicyArgs) ElementType() reflect.Type {
	return reflect.TypeOf(WebApplicationFirewallPolicyArgs{})
}

// NewWebApplicationFirewallPolicy registers a WebApplicationFirewallPolicy.
func NewWebApplicationFirewallPolicy(ctx *pulumi.Context, name string, args *WebApplicationFirewallPolicyArgs, opts ...pulumi.ResourceOption) (*WebApplicationFirewallPolicy, error) {
	if args == nil {
		return nil, errors.New("bindings: WebApplicationFirewallPolicy args are required")
	}
	a := *args
	if a.PolicySettings != nil {
		s := *a.PolicySettings
		if s.FileUploadEnforcement == nil {
			s.FileUploadEnforcement = pulumi.Bool(true)
		}
		if s.RequestBodyEnforcement == nil {
			s.RequestBodyEnforcement = pulumi.Bool(true)
		}
		a.PolicySettings = &s
	}
	var r WebApplicationFirewallPolicy
	err := register(ctx, WebApplicationFirewallPolicyType, name, a, []field{
		{"ManagedRules", a.ManagedRules}, {"ResourceGroupName", a.ResourceGroupName},
	}, &r, withAliases(opts, networkAliases("WebApplicationFirewallPolicy", webApplicationFirewallPolicyAliasVersions)))
	return &r, err
}

// FrontDoorPolicy is a Front Door WAF policy: ARM type
// Microsoft.Network/FrontDoorWebApplicationFirewallPolicies, token azure-native:network:Policy
// (API version 2022-05-01).
type FrontDoorPolicy struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// FrontDoorPolicyArgs are the inputs of a FrontDoorPolicy.
type FrontDoorPolicyArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	PolicyName        pulumi.StringInput `pulumi:"policyName"`
	// Location is Global for Front Door.
	Location pulumi.StringInput `pulumi:"location"`
	// Sku name is Standard_AzureFrontDoor or Premium_AzureFrontDoor (the profile's SKU).
	Sku            *NameSku                 `pulumi:"sku"`
	PolicySettings *FrontDoorPolicySettings `pulumi:"policySettings"`
	ManagedRules   *ManagedRuleSetList      `pulumi:"managedRules"`
	CustomRules    *CustomRuleList          `pulumi:"customRules"`
	Tags           pulumi.StringMapInput    `pulumi:"tags"`
}

// FrontDoorPolicySettings are a Front Door WAF policy's global settings.
type FrontDoorPolicySettings struct {
	// EnabledState is Enabled or Disabled.
	EnabledState pulumi.StringInput `pulumi:"enabledState"`
	// Mode is Prevention or Detection.
	Mode pulumi.StringInput `pulumi:"mode"`
	// RequestBodyCheck is Enabled or Disabled.
	RequestBodyCheck pulumi.StringInput `pulumi:"requestBodyCheck"`
}

// ManagedRuleSetList holds a Front Door WAF policy's managed rule sets.
type ManagedRuleSetList struct {
	ManagedRuleSets []FrontDoorManagedRuleSet `pulumi:"managedRuleSets"`
}

// FrontDoorManagedRuleSet is a managed rule set of a Front Door WAF policy.
type FrontDoorManagedRuleSet struct {
	RuleSetType    pulumi.StringInput `pulumi:"ruleSetType"`
	RuleSetVersion pulumi.StringInput `pulumi:"ruleSetVersion"`
	// RuleSetAction is Block, Log or Redirect: what an anomaly-scoring rule set (DRS 2.x) does at
	// its threshold.
	RuleSetAction pulumi.StringInput `pulumi:"ruleSetAction"`
}

// CustomRuleList holds a Front Door WAF policy's custom rules.
type CustomRuleList struct {
	Rules []CustomRule `pulumi:"rules"`
}

// CustomRule is a custom rule of a Front Door WAF policy.
type CustomRule struct {
	Name pulumi.StringInput `pulumi:"name"`
	// Priority orders the rules: a lower value is evaluated first.
	Priority pulumi.IntInput `pulumi:"priority"`
	// RuleType is MatchRule or RateLimitRule.
	RuleType pulumi.StringInput `pulumi:"ruleType"`
	// EnabledState is Enabled or Disabled.
	EnabledState pulumi.StringInput `pulumi:"enabledState"`
	// Action is Allow, Block, Log or Redirect.
	Action pulumi.StringInput `pulumi:"action"`
	// RateLimitThreshold is the requests allowed per client in one duration (rate-limit rules).
	RateLimitThreshold pulumi.IntInput `pulumi:"rateLimitThreshold"`
	// RateLimitDurationInMinutes is 1 or 5 (rate-limit rules).
	RateLimitDurationInMinutes pulumi.IntInput           `pulumi:"rateLimitDurationInMinutes"`
	MatchConditions            []FrontDoorMatchCondition `pulumi:"matchConditions"`
}

// FrontDoorMatchCondition is one condition of a Front Door custom rule.
type FrontDoorMatchCondition struct {
	// MatchVariable is what the condition inspects, e.g. SocketAddr.
	MatchVariable   pulumi.StringInput      `pulumi:"matchVariable"`
	Operator        pulumi.StringInput      `pulumi:"operator"`
	NegateCondition pulumi.BoolInput        `pulumi:"negateCondition"`
	MatchValue      pulumi.StringArrayInput `pulumi:"matchValue"`
}

// ElementType makes the Args struct its own marshalling target.
func (FrontDoorPolicyArgs) ElementType() reflect.Type { return reflect.TypeOf(FrontDoorPolicyArgs{}) }

// NewFrontDoorPolicy registers a FrontDoorPolicy.
func NewFrontDoorPolicy(ctx *pulumi.Context, name string, args *FrontDoorPolicyArgs, opts ...pulumi.ResourceOption) (*FrontDoorPolicy, error) {
	if args == nil {
		return nil, errors.New("bindings: FrontDoorPolicy args are required")
	}
	var r FrontDoorPolicy
	err := register(ctx, FrontDoorPolicyType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r,
		withAliases(opts, networkAliases("Policy", policyAliasVersions)))
	return &r, err
}

// API versions of the aliases the generated constructors of azure-native 2.90.0 add, in their
// order (network/v2's webApplicationFirewallPolicy.go and policy.go).
var webApplicationFirewallPolicyAliasVersions = []string{
	"20181201", "20190201", "20190401", "20190601", "20190701", "20190801", "20190901", "20191101",
	"20191201", "20200301", "20200401", "20200501", "20200601", "20200701", "20200801", "20201101",
	"20210201", "20210301", "20210501", "20210801", "20220101", "20220501", "20220701", "20220901",
	"20221101", "20230201", "20230401", "20230501", "20230601", "20230901", "20231101", "20240101",
	"20240301", "20240501",
}
var policyAliasVersions = []string{
	"20190301", "20191001", "20200401", "20201101", "20210601", "20220501", "20240201",
}
