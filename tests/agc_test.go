package tests

import (
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/components/agc"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/frontdoor"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/roles"
)

// agcArgs builds the components' args from an environment the way the aks layer does; the
// firewall's traffic controller and Front Door ID are left to each test.
func agcArgs(t *testing.T, env string, overrides map[string]string) (*config.Env, *agc.Args, *agc.FirewallArgs) {
	t.Helper()
	e := Env(t, env, overrides)
	b := BaseFixture(e)
	i := IdentityFixture(e)
	alb := i.IdentityPrincipalIDs.MapIndex(pulumi.String(config.IdentityALBController))
	return e, &agc.Args{
			ResourceGroupName:          b.ResourceGroupName,
			ResourceGroupID:            b.ResourceGroupID,
			Location:                   b.Location,
			Name:                       e.Names.TrafficController,
			SubnetID:                   b.SubnetIDs.MapIndex(pulumi.String(string(netplan.AGC))),
			LinkWAFToTrafficController: e.AGC.LinkWAFToTrafficController,
			Tags:                       avm.Tags(e.ResourceTags()),
			RoleAssignments: []avm.RoleAssignment{
				{Key: config.IdentityALBController, Role: roles.AppGwForContainersConfigManager, PrincipalID: alb},
			},
			DiagnosticSettings: &avm.DiagnosticSettings{WorkspaceID: b.LogAnalyticsID},
		}, &agc.FirewallArgs{
			ResourceGroupName: b.ResourceGroupName,
			Location:          b.Location,
			WAFPolicyName:     e.Names.AGCWAFPolicy,
			WAFMode:           e.AGC.WAFMode,
			Tags:              avm.Tags(e.ResourceTags()),
			RoleAssignments: []avm.RoleAssignment{
				{Key: config.IdentityALBController, Role: roles.NetworkContributor, PrincipalID: alb},
			},
		}
}

// runAGC creates the gateway and its firewall, in the layer's order.
func runAGC(t *testing.T, args *agc.Args, fw *agc.FirewallArgs) *offline.Stack {
	t.Helper()
	return RunProgram(t, func(ctx *pulumi.Context) error {
		gw, err := agc.New(ctx, "agc", args)
		if err != nil {
			return err
		}
		fw.TrafficControllerName = gw.TrafficControllerName
		_, err = agc.NewFirewall(ctx, "agc-waf", fw)
		return err
	})
}

// fdidRule is the origin-lock rule for a Front Door ID (lowercase).
func fdidRule(id string) map[string]any {
	return map[string]any{
		"name": "RequireFrontDoorId", "priority": 10, "ruleType": "MatchRule", "state": "Enabled", "action": "Block",
		"matchConditions": []map[string]any{{
			"matchVariables":   []map[string]any{{"variableName": "RequestHeaders", "selector": "X-Azure-FDID"}},
			"operator":         "Equal",
			"negationConditon": true,
			"matchValues":      []string{id},
			"transforms":       []string{"Lowercase"},
		}},
	}
}

// probeRule is the rule that lets Front Door's health probe of one path through the lock.
func probeRule(path string) map[string]any {
	return map[string]any{
		"name": "AllowFrontDoorHealthProbe", "priority": 5, "ruleType": "MatchRule", "state": "Enabled", "action": "Allow",
		"matchConditions": []map[string]any{
			{"matchVariables": []map[string]any{{"variableName": "RequestMethod"}}, "operator": "Equal", "matchValues": []string{"HEAD"}},
			{"matchVariables": []map[string]any{{"variableName": "RequestUri"}}, "operator": "Equal", "matchValues": []string{path}},
			{"matchVariables": []map[string]any{{"variableName": "RequestHeaders", "selector": "X-FD-HealthProbe"}}, "operator": "Equal", "matchValues": []string{"1"}},
		},
	}
}

// TestAGCFrontDoorProbePassesTheLock: with a probe path, exactly Front Door's HEAD probe of that
// path (X-FD-HealthProbe: 1, no query string) is allowed before the lock, and nothing else: the
// lock rule is unchanged and every other request still needs this Front Door's ID.
func TestAGCFrontDoorProbePassesTheLock(t *testing.T) {
	t.Parallel()
	_, args, fw := agcArgs(t, "dev", nil)
	fw.FrontDoorID = pulumi.String("4a1f0c2e-1111-4222-8333-944455556666")
	fw.HealthProbePath = "/api/user-service/healthz"
	s := runAGC(t, args, fw)
	waf := One(t, s, "azure-native:network:WebApplicationFirewallPolicy")
	Equal(t, waf, "customRules", []map[string]any{probeRule("/api/user-service/healthz"), fdidRule("4a1f0c2e-1111-4222-8333-944455556666")})

	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, e1 := agc.NewFirewall(ctx, "a", &agc.FirewallArgs{WAFMode: "Prevention", HealthProbePath: "/healthz"})
		_, e2 := agc.NewFirewall(ctx, "b", &agc.FirewallArgs{WAFMode: "Prevention", FrontDoorID: pulumi.String("x"), HealthProbePath: "/healthz?x=1"})
		return errors.Join(e1, e2)
	})
	ErrorMentions(t, err, `HealthProbePath "/healthz" is only used with FrontDoorID`, `HealthProbePath "/healthz?x=1": want an absolute path without query`)
}

func TestAGC(t *testing.T) {
	// Prevention in both: the policy's mode also decides whether the Front Door lock blocks.
	for _, tt := range []struct{ env, mode string }{{"dev", "Prevention"}, {"prod", "Prevention"}} {
		t.Run(tt.env, func(t *testing.T) {
			t.Parallel()
			e, args, fw := agcArgs(t, tt.env, nil)
			fw.FrontDoorID = pulumi.String("4A1F0C2E-1111-4222-8333-944455556666")
			s := runAGC(t, args, fw)
			n := e.Names

			waf := One(t, s, "azure-native:network:WebApplicationFirewallPolicy")
			Equal(t, waf, "policyName", n.AGCWAFPolicy)
			Equal(t, waf, "location", e.Location)
			Equal(t, waf, "policySettings.mode", tt.mode)
			Equal(t, waf, "policySettings.state", "Enabled")
			Equal(t, waf, "policySettings.requestBodyCheck", true)
			// Only DRS: AGC does not support CRS/OWASP rule sets.
			Equal(t, waf, "managedRules", map[string]any{"managedRuleSets": []map[string]any{{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1"}}})
			// The header value is compared lowercased.
			Equal(t, waf, "customRules", []map[string]any{fdidRule("4a1f0c2e-1111-4222-8333-944455556666")})

			tc := One(t, s, "azure-native:servicenetworking/v20250101:TrafficControllerInterface")
			Equal(t, tc, "trafficControllerName", n.TrafficController)
			Equal(t, tc, "location", e.Location)
			Equal(t, tc, "tags.environment", tt.env)
			// Off by default: see agc's package doc.
			Absent(t, tc, "securityPolicyConfigurations")

			fe := One(t, s, "azure-native:servicenetworking/v20250101:FrontendsInterface")
			Equal(t, fe, "trafficControllerName", n.TrafficController)
			Equal(t, fe, "frontendName", "api")

			assoc := One(t, s, "azure-native:servicenetworking/v20250101:AssociationsInterface")
			Equal(t, assoc, "trafficControllerName", n.TrafficController)
			Equal(t, assoc, "associationType", "subnets")
			Equal(t, assoc, "subnet", map[string]any{"id": ARMID(e, "Microsoft.Network/virtualNetworks/"+n.VirtualNetwork+"/subnets/"+n.Subnets[netplan.AGC])})

			sp := One(t, s, "azure-native:servicenetworking/v20250101:SecurityPoliciesInterface")
			Equal(t, sp, "trafficControllerName", n.TrafficController)
			Equal(t, sp, "securityPolicyName", "waf")
			Equal(t, sp, "wafPolicy", map[string]any{"id": waf.ID})
			assert.Contains(t, sp.DependsOn, tc.URN, "the security policy does not wait for its traffic controller")

			// The ALB controller: Configuration Manager on the traffic controller, Network
			// Contributor (for .../join/action) on the WAF policy.
			alb := principalOf(t, e, config.IdentityALBController)
			ras := s.ByType("azure-native:authorization:RoleAssignment")
			require.Len(t, ras, 2, "role assignments")
			for _, want := range []struct {
				role  roles.Role
				scope string
			}{{roles.AppGwForContainersConfigManager, tc.ID}, {roles.NetworkContributor, waf.ID}} {
				ra := roleAssignment(t, ras, want.role)
				Equal(t, ra, "principalId", alb)
				Equal(t, ra, "principalType", "ServicePrincipal")
				Equal(t, ra, "scope", want.scope)
				Equal(t, ra, "roleDefinitionId", "/subscriptions/"+offline.SubscriptionID+"/providers/Microsoft.Authorization/roleDefinitions/"+want.role.ID)
			}

			ds := One(t, s, "azure-native:insights:DiagnosticSetting")
			Equal(t, ds, "resourceUri", tc.ID)
		})
	}
}

// principalOf is the identity fixture's principal ID of an identity key.
func principalOf(t *testing.T, e *config.Env, key string) string {
	t.Helper()
	id := ARMID(e, "Microsoft.ManagedIdentity/userAssignedIdentities/"+e.Names.Identities[key])
	return fixtureGUID(id, "principalId")
}

// roleAssignment finds the assignment of a role among several.
func roleAssignment(t *testing.T, ras []*offline.Resource, role roles.Role) *offline.Resource {
	t.Helper()
	for _, ra := range ras {
		if v, _ := Get(ra.Inputs, "roleDefinitionId"); strings.HasSuffix(v.(string), "/"+role.ID) {
			return ra
		}
	}
	require.Failf(t, "missing role assignment", "no assignment of %s", role.Name)
	return nil
}

func TestAGCWithoutFrontDoorLock(t *testing.T) {
	t.Parallel()
	_, args, fw := agcArgs(t, "dev", nil)
	s := runAGC(t, args, fw)
	Absent(t, One(t, s, "azure-native:network:WebApplicationFirewallPolicy"), "customRules")
}

// TestAGCWAFLinkBothWays turns on the traffic controller's link: the security policy names the WAF
// policy, and the traffic controller names the security policy by the ID Azure gives it.
func TestAGCWAFLinkBothWays(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"dev", "prod"} {
		e, args, fw := agcArgs(t, env, map[string]string{"agc": `{"linkWafToTrafficController":true,"originHostName":"api-origin.contoso.example","originDnsZoneId":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/contoso.example"}`})
		require.True(t, args.LinkWAFToTrafficController, "config did not turn the link on")
		s := runAGC(t, args, fw)
		waf := One(t, s, "azure-native:network:WebApplicationFirewallPolicy")
		sp := One(t, s, "azure-native:servicenetworking/v20250101:SecurityPoliciesInterface")
		tc := One(t, s, "azure-native:servicenetworking/v20250101:TrafficControllerInterface")
		Equal(t, sp, "wafPolicy.id", waf.ID)
		Equal(t, tc, "securityPolicyConfigurations", map[string]any{"wafSecurityPolicy": map[string]any{"id": sp.ID}})
		want := RGID(e) + "/providers/Microsoft.ServiceNetworking/trafficControllers/" + e.Names.TrafficController + "/securityPolicies/waf"
		assert.Equal(t, want, sp.ID, "security policy ID")
		// No cycle: the traffic controller does not wait for its child.
		assert.NotContains(t, tc.DependsOn, sp.URN, "the traffic controller depends on its security policy")
	}
}

// unsecret turns a property value into plain data with secrets unwrapped.
func unsecret(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return unsecret(v.SecretValue().Element)
	case v.IsArray():
		var out []any
		for _, e := range v.ArrayValue() {
			out = append(out, unsecret(e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = unsecret(e)
		}
		return out
	}
	return offline.Plain(v)
}

// TestAGCFrontDoorOriginLock wires the components in the aks layer's order: the gateway, then
// Front Door with the gateway's frontend as its API origin, then the firewall admitting only that
// Front Door's ID.
func TestAGCFrontDoorOriginLock(t *testing.T) {
	t.Parallel()
	e, args, fw := agcArgs(t, "prod", nil)
	_, fdArgs := frontDoorArgs(t, "prod", nil)
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		gw, err := agc.New(ctx, "agc", args)
		if err != nil {
			return err
		}
		fdArgs.APIOriginHostName = gw.FrontendFQDN
		fd, err := frontdoor.New(ctx, "edge", fdArgs)
		if err != nil {
			return err
		}
		fw.TrafficControllerName = gw.TrafficControllerName
		fw.FrontDoorID = fd.FrontDoorID
		_, err = agc.NewFirewall(ctx, "agc-waf", fw)
		return err
	})
	profile := One(t, s, "azure-native:cdn:Profile")
	fe := One(t, s, "azure-native:servicenetworking/v20250101:FrontendsInterface")
	Equal(t, Named(t, s, "azure-native:cdn:AFDOrigin", "edge-api"), "hostName", Out(t, fe, "fqdn"))

	waf := One(t, s, "azure-native:network:WebApplicationFirewallPolicy")
	// The ID travels as a secret.
	secret, _ := Get(waf.Inputs, "customRules[0].matchConditions[0].matchValues[0]")
	assert.Equal(t, "[secret]", secret, "%s: the Front Door ID must be a secret", waf.Key())
	got := unsecret(resource.NewProperty(waf.Inputs))
	want := map[string]any{"customRules": []any{normalize(fdidRule(Out(t, profile, "frontDoorId").(string)))}}
	assert.Equal(t, normalize(want["customRules"]), normalize(got.(map[string]any)["customRules"]), "%s: custom rules", waf.Key())
	assert.Contains(t, waf.DependsOn, profile.URN, "the AGC WAF policy does not wait for the Front Door profile")
	Equal(t, waf, "policySettings.mode", e.AGC.WAFMode)
}

func TestAGCValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := agc.New(ctx, "agc", &agc.Args{FrontendName: "-bad", LinkWAFToTrafficController: true})
		_, fwErr := agc.NewFirewall(ctx, "agc-waf", &agc.FirewallArgs{WAFMode: "Block"})
		return errors.Join(err, fwErr)
	})
	ErrorMentions(t, err,
		"ResourceGroupName is required", "ResourceGroupID is required with LinkWAFToTrafficController", "Location is required",
		"Name is required", `FrontendName "-bad"`, "SubnetID is required",
		"agc firewall: ResourceGroupName is required", "agc firewall: Location is required", "agc firewall: TrafficControllerName is required",
		"agc firewall: WAFPolicyName is required", `agc firewall: WAFMode "Block"`,
	)
}

// TestAGCFrontDoorLockBlocksInDev: in the dev aks layer, as shipped, the AGC WAF policy that holds
// the Front Door lock is in Prevention mode, so a request without this Front Door's ID is
// blocked, not only logged.
func TestAGCFrontDoorLockBlocksInDev(t *testing.T) {
	t.Parallel()
	// As shipped, and with agc settings left to the defaults.
	for name, overrides := range map[string]map[string]string{"shipped": nil, "default": {"agc": "<delete>"}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, config.Dev, overrides)
			waf := One(t, run.s, "azure-native:network:WebApplicationFirewallPolicy")
			Equal(t, waf, "policySettings.mode", "Prevention")
			Equal(t, waf, "policySettings.state", "Enabled")
			profile := One(t, run.s, "azure-native:cdn:Profile")
			got := unsecret(resource.NewProperty(waf.Inputs)).(map[string]any)["customRules"]
			// Front Door's probe of the API origin first, then the lock.
			want := []any{normalize(probeRule("/api/user-service/healthz")), normalize(fdidRule(Out(t, profile, "frontDoorId").(string)))}
			assert.Equal(t, normalize(want), normalize(got), "%s: custom rules", waf.Key())

		})
	}
}

// TestAGCDetectionStillPossibleInDev: dev may still choose Detection (it is a documented
// trade-off: the lock then only logs); the policy follows config.
func TestAGCDetectionStillPossibleInDev(t *testing.T) {
	t.Parallel()
	run := runAKS(t, config.Dev, map[string]string{"agc": `{"wafMode":"Detection"}`})
	Equal(t, One(t, run.s, "azure-native:network:WebApplicationFirewallPolicy"), "policySettings.mode", "Detection")
}
