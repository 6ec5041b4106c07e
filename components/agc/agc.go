// Package agc is the platform's Application Gateway for Containers: a traffic controller with one
// frontend, associated with the base AGC subnet (delegated to
// Microsoft.ServiceNetworking/trafficControllers), and an Application Gateway WAF policy (Microsoft
// default rule set, optionally a rule that admits only requests from one Front Door profile) made
// available to it through a security policy. The ALB controller in the cluster programs routes;
// it gets the AppGw for Containers Configuration Manager role on the traffic controller.
//
// How the WAF reaches traffic: the security policy (a child of the traffic controller) wraps the
// WAF policy. Kubernetes WebApplicationFirewallPolicy resources then apply the WAF policy to a
// Gateway, listener or route (the documented path); optionally the traffic controller itself
// points at the security policy (securityPolicyConfigurations, API 2025-01-01), which applies the
// WAF to every frontend whatever the cluster declares. The traffic controller must exist before its
// child, so that link names the child by its deterministic ID and is off by default: whether Azure
// accepts a traffic controller naming a security policy that does not exist yet is not documented,
// so set LinkWAFToTrafficController on a later deployment than the one that creates the policy.
package agc

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/avm"
)

// WAF modes.
const (
	ModePrevention = "Prevention"
	ModeDetection  = "Detection"
)

// DefaultRuleSetVersion is the Microsoft_DefaultRuleSet version of the WAF policy: Application
// Gateway for Containers supports only Default Rule Set (DRS) managed rule sets, not CRS/OWASP,
// and 2.1 is the newest DRS generally available on Application Gateway WAF policies.
const DefaultRuleSetVersion = "2.1"

// FrontDoorIDHeader is the header Front Door sets to its profile's Front Door ID on every request
// to an origin.
const FrontDoorIDHeader = "X-Azure-FDID"

// FrontDoorProbeHeader is the header Front Door sets to 1 on its health probes (Front Door's HTTP
// headers reference: it "identifies the health probe request"). Front Door removes X-FD-* headers
// that clients send, so through Front Door only its probes carry it.
const FrontDoorProbeHeader = "X-FD-HealthProbe"

// SecurityPolicyName is the name of the security policy wrapping the WAF policy; the traffic
// controller's optional link names it.
const SecurityPolicyName = "waf"

// Args configures the traffic controller, its frontend and its subnet association.
type Args struct {
	// ResourceGroupName holds every resource. Required.
	ResourceGroupName pulumi.StringInput
	// ResourceGroupID is the resource group's ID; it forms the security policy's ID for the
	// traffic controller's link without waiting for the policy. Required when
	// LinkWAFToTrafficController is set.
	ResourceGroupID pulumi.StringInput
	// Location of every resource. Required.
	Location pulumi.StringInput
	// Name is the traffic controller's Azure name (env.Names.TrafficController). Required.
	Name string
	// FrontendName is the frontend's name, which Gateway resources reference. Default "api".
	FrontendName string
	// AssociationName is the subnet association's name. Default "subnet".
	AssociationName string
	// SubnetID is the AGC subnet, delegated to Microsoft.ServiceNetworking/trafficControllers
	// (/24 or larger). Required.
	SubnetID pulumi.StringInput
	// LinkWAFToTrafficController makes the traffic controller apply the security policy that
	// NewFirewall creates to every frontend (see the package doc for why it is off by default).
	// Default false.
	LinkWAFToTrafficController bool
	// Tags of every resource. Default none.
	Tags pulumi.StringMapInput
	// RoleAssignments on the traffic controller, e.g. AppGw for Containers Configuration Manager
	// for the ALB controller. Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the traffic controller (access and WAF logs). Default none.
	DiagnosticSettings *avm.DiagnosticSettings
}

// AGC is the traffic controller with its frontend and association.
type AGC struct {
	pulumi.ResourceState

	// TrafficControllerID is the traffic controller's resource ID (the ALB controller's alb-id).
	TrafficControllerID pulumi.StringOutput
	// TrafficControllerName is its Azure name (NewFirewall's TrafficControllerName).
	TrafficControllerName pulumi.StringOutput
	// FrontendName is the frontend's name.
	FrontendName pulumi.StringOutput
	// FrontendFQDN is the frontend's Azure-generated host name (the Front Door API origin).
	FrontendFQDN pulumi.StringOutput
}

// Azure's rule for the names of the traffic controller and its children.
var reChildName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-_.]{0,62}[A-Za-z0-9])?$`)

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("agc: "+format, v...)) }
	if a.ResourceGroupName == nil {
		add("ResourceGroupName is required")
	}
	if a.LinkWAFToTrafficController && a.ResourceGroupID == nil {
		add("ResourceGroupID is required with LinkWAFToTrafficController")
	}
	if a.Location == nil {
		add("Location is required")
	}
	if a.Name == "" {
		add("Name is required")
	}
	for _, n := range []struct{ field, value string }{{"Name", a.Name}, {"FrontendName", a.FrontendName}, {"AssociationName", a.AssociationName}} {
		if n.value != "" && !reChildName.MatchString(n.value) {
			add("%s %q: want 1-64 letters, digits, '-', '_', '.', starting and ending alphanumeric", n.field, n.value)
		}
	}
	if a.SubnetID == nil {
		add("SubnetID is required")
	}
	return errors.Join(errs...)
}

// SecurityPolicyID is the ARM ID of a traffic controller's security policy.
func SecurityPolicyID(resourceGroupID, trafficController, securityPolicy string) string {
	return fmt.Sprintf("%s/providers/Microsoft.ServiceNetworking/trafficControllers/%s/securityPolicies/%s", resourceGroupID, trafficController, securityPolicy)
}

// New creates the traffic controller, its frontend and its subnet association.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*AGC, error) {
	if args == nil {
		return nil, errors.New("agc: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &AGC{}
	if err := ctx.RegisterComponentResource("platform:agc:AGC", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)
	rg := args.ResourceGroupName

	tcArgs := &bindings.TrafficControllerArgs{
		ResourceGroupName:     rg,
		TrafficControllerName: pulumi.String(args.Name),
		Location:              args.Location,
		Tags:                  args.Tags,
	}
	if args.LinkWAFToTrafficController {
		// A plain ID, not the security policy's output: the policy is the traffic controller's
		// child, so waiting for it would be a cycle.
		spID := args.ResourceGroupID.ToStringOutput().ApplyT(func(rgID string) string {
			return SecurityPolicyID(rgID, args.Name, SecurityPolicyName)
		}).(pulumi.StringOutput)
		tcArgs.SecurityPolicyConfigurations = &bindings.SecurityPolicyConfigurations{WafSecurityPolicy: &bindings.IDRef{ID: spID}}
	}
	tc, err := bindings.NewTrafficController(ctx, name, tcArgs, child)
	if err != nil {
		return nil, err
	}
	frontend, err := bindings.NewFrontend(ctx, name, &bindings.FrontendArgs{
		ResourceGroupName:     rg,
		TrafficControllerName: tc.Name,
		FrontendName:          pulumi.String(cmp.Or(args.FrontendName, "api")),
		Location:              args.Location,
		Tags:                  args.Tags,
	}, child)
	if err != nil {
		return nil, err
	}
	if _, err := bindings.NewAssociation(ctx, name, &bindings.AssociationArgs{
		ResourceGroupName:     rg,
		TrafficControllerName: tc.Name,
		AssociationName:       pulumi.String(cmp.Or(args.AssociationName, "subnet")),
		AssociationType:       pulumi.String(bindings.AssociationTypeSubnets),
		Subnet:                &bindings.IDRef{ID: args.SubnetID},
		Location:              args.Location,
		Tags:                  args.Tags,
		// Delete before replace: a traffic controller takes one association and a subnet one
		// deployment (Learn: AGC components; container networking), so a replacement cannot be
		// created beside the association it replaces.
	}, child, pulumi.DeleteBeforeReplace(true)); err != nil {
		return nil, err
	}

	tcID := tc.ID().ToStringOutput()
	if err := avm.NewRoleAssignments(ctx, name, tcID, args.RoleAssignments, child); err != nil {
		return nil, err
	}
	if err := avm.NewDiagnosticSetting(ctx, name, tcID, args.DiagnosticSettings, child); err != nil {
		return nil, err
	}

	c.TrafficControllerID = tcID
	c.TrafficControllerName = tc.Name
	c.FrontendName = frontend.Name
	c.FrontendFQDN = frontend.Fqdn
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"trafficControllerId": c.TrafficControllerID,
		"frontendName":        c.FrontendName,
		"frontendFqdn":        c.FrontendFQDN,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// FirewallArgs configures the WAF of a traffic controller.
type FirewallArgs struct {
	// ResourceGroupName holds the WAF policy. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the WAF policy: it must be the traffic controller's region. Required.
	Location pulumi.StringInput
	// TrafficControllerName is the traffic controller (AGC.TrafficControllerName). Required.
	TrafficControllerName pulumi.StringInput
	// WAFPolicyName is the Application Gateway WAF policy's name (env.Names.AGCWAFPolicy).
	// Required.
	WAFPolicyName string
	// WAFMode is Prevention or Detection. It applies to every rule of the policy, the Front Door
	// lock included: Application Gateway WAF policies have no per-rule-set action, and making
	// every managed rule log instead would mean listing each rule ID of the rule set. Required.
	WAFMode string
	// DefaultRuleSetVersion is the Microsoft_DefaultRuleSet version. Default
	// DefaultRuleSetVersion ("2.1").
	DefaultRuleSetVersion string
	// FrontDoorID, when set, adds a custom WAF rule blocking every request whose X-Azure-FDID
	// header is not this Front Door profile's ID, so the API answers only through that profile.
	// In Detection mode the rule only logs and the frontend is reachable directly, so NewFirewall
	// warns about that combination. Default none (no such rule).
	FrontDoorID pulumi.StringInput
	// HealthProbePath is the path Front Door's health probe requests from the API origin
	// (frontdoor.Args.APIHealthProbePath), e.g. "/api/user-service/healthz". With FrontDoorID it
	// adds a rule before the lock that allows exactly Front Door's probe of that path (method
	// HEAD, the path with no query string, X-FD-HealthProbe: 1): whether probes carry
	// X-Azure-FDID is not documented, and a blocked probe marks the origin unhealthy. Nothing
	// else is allowed by it. Default "" (no such rule). Only with FrontDoorID.
	HealthProbePath string
	// Tags of every resource. Default none.
	Tags pulumi.StringMapInput
	// RoleAssignments on the WAF policy: the ALB controller needs
	// applicationGatewayWebApplicationFirewallPolicies/join/action (in Network Contributor) on
	// every WAF policy a WebApplicationFirewallPolicy resource names. Default none.
	RoleAssignments []avm.RoleAssignment
}

// Firewall is the WAF policy and the security policy that makes it available to the traffic
// controller.
type Firewall struct {
	pulumi.ResourceState

	// WAFPolicyID is the WAF policy's resource ID (what WebApplicationFirewallPolicy resources
	// reference).
	WAFPolicyID pulumi.StringOutput
	// SecurityPolicyID is the security policy's resource ID.
	SecurityPolicyID pulumi.StringOutput
}

func (a *FirewallArgs) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("agc firewall: "+format, v...)) }
	if a.ResourceGroupName == nil {
		add("ResourceGroupName is required")
	}
	if a.Location == nil {
		add("Location is required")
	}
	if a.TrafficControllerName == nil {
		add("TrafficControllerName is required")
	}
	if a.WAFPolicyName == "" {
		add("WAFPolicyName is required")
	}
	if a.WAFMode != ModePrevention && a.WAFMode != ModeDetection {
		add("WAFMode %q: want Prevention or Detection", a.WAFMode)
	}
	if p := a.HealthProbePath; p != "" {
		if a.FrontDoorID == nil {
			add("HealthProbePath %q is only used with FrontDoorID (it exempts Front Door's probe from the Front Door lock)", p)
		}
		if !reProbePath.MatchString(p) {
			add("HealthProbePath %q: want an absolute path without query or fragment, such as /api/user-service/healthz", p)
		}
	}
	return errors.Join(errs...)
}

// NewFirewall creates the WAF policy and its security policy below the traffic controller.
func NewFirewall(ctx *pulumi.Context, name string, args *FirewallArgs, opts ...pulumi.ResourceOption) (*Firewall, error) {
	if args == nil {
		return nil, errors.New("agc firewall: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Firewall{}
	if err := ctx.RegisterComponentResource("platform:agc:Firewall", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	wafArgs := &bindings.WebApplicationFirewallPolicyArgs{
		ResourceGroupName: args.ResourceGroupName,
		PolicyName:        pulumi.String(args.WAFPolicyName),
		Location:          args.Location,
		PolicySettings: &bindings.PolicySettings{
			State:            pulumi.String("Enabled"),
			Mode:             pulumi.String(args.WAFMode),
			RequestBodyCheck: pulumi.Bool(true),
		},
		ManagedRules: &bindings.ManagedRulesDefinition{
			ManagedRuleSets: []bindings.ManagedRuleSet{{
				RuleSetType:    pulumi.String("Microsoft_DefaultRuleSet"),
				RuleSetVersion: pulumi.String(cmp.Or(args.DefaultRuleSetVersion, DefaultRuleSetVersion)),
			}},
		},
		Tags: args.Tags,
	}
	if args.FrontDoorID != nil {
		wafArgs.CustomRules = frontDoorOnly(args.FrontDoorID, args.HealthProbePath)
		if args.WAFMode == ModeDetection {
			if err := ctx.Log.Warn(name+": WAF mode Detection only logs the Front Door lock: the gateway answers requests that bypass Front Door", &pulumi.LogArgs{Resource: c}); err != nil {
				return nil, err
			}
		}
	}
	waf, err := bindings.NewWebApplicationFirewallPolicy(ctx, name, wafArgs, child)
	if err != nil {
		return nil, err
	}
	sp, err := bindings.NewSecurityPolicy(ctx, name, &bindings.SecurityPolicyArgs{
		ResourceGroupName:     args.ResourceGroupName,
		TrafficControllerName: args.TrafficControllerName,
		SecurityPolicyName:    pulumi.String(SecurityPolicyName),
		WafPolicy:             &bindings.IDRef{ID: waf.ID()},
		Location:              args.Location,
		Tags:                  args.Tags,
	}, child)
	if err != nil {
		return nil, err
	}
	wafID := waf.ID().ToStringOutput()
	if err := avm.NewRoleAssignments(ctx, name, wafID, args.RoleAssignments, child); err != nil {
		return nil, err
	}

	c.WAFPolicyID = wafID
	c.SecurityPolicyID = sp.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"wafPolicyId":      c.WAFPolicyID,
		"securityPolicyId": c.SecurityPolicyID,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// Names and priorities of the custom rules (a lower priority runs first).
const (
	RuleFrontDoorProbe = "AllowFrontDoorHealthProbe"
	RuleFrontDoorID    = "RequireFrontDoorId"
)

// reProbePath is an absolute URL path without query, fragment or spaces.
var reProbePath = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$`)

// frontDoorOnly is the origin lock: block unless X-Azure-FDID is the given profile's ID (header
// values are lowercased before comparing; Front Door IDs are GUIDs). With a probe path, Front
// Door's health probe of exactly that path is allowed first (AllowFrontDoorHealthProbe, see
// FirewallArgs.HealthProbePath): an Allow custom rule ends the evaluation of a request. Application
// Gateway for Containers supports match rules (not rate-limit rules), so both are allowed.
func frontDoorOnly(frontDoorID pulumi.StringInput, probePath string) []bindings.WebApplicationFirewallCustomRule {
	id := frontDoorID.ToStringOutput().ApplyT(strings.ToLower).(pulumi.StringOutput)
	var rules []bindings.WebApplicationFirewallCustomRule
	if probePath != "" {
		rules = append(rules, bindings.WebApplicationFirewallCustomRule{
			Name:     pulumi.String(RuleFrontDoorProbe),
			Priority: pulumi.Int(5),
			RuleType: pulumi.String("MatchRule"),
			State:    pulumi.String("Enabled"),
			Action:   pulumi.String("Allow"),
			// All three must match: the probe's method, the exact path (RequestUri holds the path
			// and the query string, so a query defeats it) and Front Door's probe header.
			MatchConditions: []bindings.MatchCondition{
				{
					MatchVariables: []bindings.MatchVariable{{VariableName: pulumi.String("RequestMethod")}},
					Operator:       pulumi.String("Equal"),
					MatchValues:    pulumi.StringArray{pulumi.String("HEAD")},
				},
				{
					MatchVariables: []bindings.MatchVariable{{VariableName: pulumi.String("RequestUri")}},
					Operator:       pulumi.String("Equal"),
					MatchValues:    pulumi.StringArray{pulumi.String(probePath)},
				},
				{
					MatchVariables: []bindings.MatchVariable{{
						VariableName: pulumi.String("RequestHeaders"),
						Selector:     pulumi.String(FrontDoorProbeHeader),
					}},
					Operator:    pulumi.String("Equal"),
					MatchValues: pulumi.StringArray{pulumi.String("1")},
				},
			},
		})
	}
	return append(rules, bindings.WebApplicationFirewallCustomRule{
		Name:     pulumi.String(RuleFrontDoorID),
		Priority: pulumi.Int(10),
		RuleType: pulumi.String("MatchRule"),
		State:    pulumi.String("Enabled"),
		Action:   pulumi.String("Block"),
		MatchConditions: []bindings.MatchCondition{{
			MatchVariables: []bindings.MatchVariable{{
				VariableName: pulumi.String("RequestHeaders"),
				Selector:     pulumi.String(FrontDoorIDHeader),
			}},
			Operator:         pulumi.String("Equal"),
			NegationConditon: pulumi.Bool(true),
			MatchValues:      pulumi.StringArray{id},
			Transforms:       pulumi.StringArray{pulumi.String("Lowercase")},
		}},
	})
}
