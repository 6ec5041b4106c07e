package tests

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
)

// The network bindings replace the generated network/v2 root package; they must register what
// its constructors registered: the unversioned token, the defaults those constructors fill in and
// their list of versioned-token aliases. (The full plans of every environment were compared
// before and after the switch; these tests keep the parts a later edit could break.)

// TestBindingNetworkDefaults: the defaults of the generated constructors are filled in, and an
// explicit value is kept.
func TestBindingNetworkDefaults(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		if _, err := bindings.NewVirtualNetwork(ctx, "vnet", &bindings.VirtualNetworkArgs{
			ResourceGroupName: pulumi.String("rg"), VirtualNetworkName: pulumi.String("vnet-a"),
			AddressSpace: &bindings.AddressSpace{AddressPrefixes: pulumi.StringArray{pulumi.String("10.0.0.0/16")}},
		}); err != nil {
			return err
		}
		if _, err := bindings.NewPrivateEndpoint(ctx, "pe", &bindings.PrivateEndpointArgs{
			ResourceGroupName: pulumi.String("rg"), PrivateEndpointName: pulumi.String("pe-a"),
			Subnet: &bindings.SubnetRef{ID: pulumi.String("/subnets/pe")},
			PrivateLinkServiceConnections: []bindings.PrivateLinkServiceConnection{{
				Name: pulumi.String("pe-a"), PrivateLinkServiceId: pulumi.String("/vaults/kv"), GroupIds: pulumi.StringArray{pulumi.String("vault")},
			}},
		}); err != nil {
			return err
		}
		_, err := bindings.NewWebApplicationFirewallPolicy(ctx, "waf", &bindings.WebApplicationFirewallPolicyArgs{
			ResourceGroupName: pulumi.String("rg"), PolicyName: pulumi.String("waf-a"),
			PolicySettings: &bindings.PolicySettings{State: pulumi.String("Enabled"), RequestBodyEnforcement: pulumi.Bool(false)},
			ManagedRules: &bindings.ManagedRulesDefinition{ManagedRuleSets: []bindings.ManagedRuleSet{{
				RuleSetType: pulumi.String("Microsoft_DefaultRuleSet"), RuleSetVersion: pulumi.String("2.1"),
			}}},
		})
		return err
	})
	checkBinding(t, s, bindings.VirtualNetworkType, map[string]any{
		"resourceGroupName": "rg", "virtualNetworkName": "vnet-a",
		"addressSpace":         map[string]any{"addressPrefixes": []any{"10.0.0.0/16"}},
		"enableDdosProtection": false, "enableVmProtection": false,
	})
	checkBinding(t, s, bindings.PrivateEndpointType, map[string]any{
		"resourceGroupName": "rg", "privateEndpointName": "pe-a",
		"subnet": map[string]any{
			"id": "/subnets/pe", "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled",
		},
		"privateLinkServiceConnections": []any{map[string]any{"name": "pe-a", "privateLinkServiceId": "/vaults/kv", "groupIds": []any{"vault"}}},
	})
	checkBinding(t, s, bindings.WebApplicationFirewallPolicyType, map[string]any{
		"resourceGroupName": "rg", "policyName": "waf-a",
		"policySettings": map[string]any{"state": "Enabled", "fileUploadEnforcement": true, "requestBodyEnforcement": false},
		"managedRules":   map[string]any{"managedRuleSets": []any{map[string]any{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1"}}},
	})
}

// aliasMonitor records the alias types of every registration.
type aliasMonitor struct {
	mu      sync.Mutex
	aliases map[string][]string // type token -> alias types, in order
}

func (m *aliasMonitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	var types []string
	for _, a := range args.RegisterRPC.GetAliases() {
		types = append(types, a.GetSpec().GetType())
	}
	m.mu.Lock()
	m.aliases[args.TypeToken] = types
	m.mu.Unlock()
	return args.Name + "-id", args.Inputs, nil
}

func (m *aliasMonitor) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// TestBindingNetworkAliases: each network binding adds the generated constructor's aliases: the
// type at every API version azure-native 2.90.0 knows, oldest first (counts and ends from
// network/v2@v2.90.0's <kind>.go).
func TestBindingNetworkAliases(t *testing.T) {
	t.Parallel()
	rg := pulumi.String("rg")
	m := &aliasMonitor{aliases: map[string][]string{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var errs []error
		add := func(_ any, err error) { errs = append(errs, err) }
		add(bindings.NewVirtualNetwork(ctx, "a", &bindings.VirtualNetworkArgs{ResourceGroupName: rg}))
		add(bindings.NewNetworkSecurityGroup(ctx, "a", &bindings.NetworkSecurityGroupArgs{ResourceGroupName: rg}))
		add(bindings.NewNatGateway(ctx, "a", &bindings.NatGatewayArgs{ResourceGroupName: rg}))
		add(bindings.NewPublicIPAddress(ctx, "a", &bindings.PublicIPAddressArgs{ResourceGroupName: rg}))
		add(bindings.NewPublicIPPrefix(ctx, "a", &bindings.PublicIPPrefixArgs{ResourceGroupName: rg}))
		add(bindings.NewPrivateEndpoint(ctx, "a", &bindings.PrivateEndpointArgs{ResourceGroupName: rg}))
		add(bindings.NewPrivateDnsZoneGroup(ctx, "a", &bindings.PrivateDnsZoneGroupArgs{ResourceGroupName: rg, PrivateEndpointName: rg}))
		add(bindings.NewPrivateZone(ctx, "a", &bindings.PrivateZoneArgs{ResourceGroupName: rg}))
		add(bindings.NewVirtualNetworkLink(ctx, "a", &bindings.VirtualNetworkLinkArgs{ResourceGroupName: rg, PrivateZoneName: rg}))
		add(bindings.NewWebApplicationFirewallPolicy(ctx, "a", &bindings.WebApplicationFirewallPolicyArgs{ResourceGroupName: rg, ManagedRules: &bindings.ManagedRulesDefinition{}}))
		add(bindings.NewFrontDoorPolicy(ctx, "a", &bindings.FrontDoorPolicyArgs{ResourceGroupName: rg}))
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}, pulumi.WithMocks("test", "dev", m))
	require.NoError(t, err)

	for _, tt := range []struct {
		token         string
		count         int
		first, latest string
	}{
		{bindings.VirtualNetworkType, 54, "20150501preview", "20240501"},
		{bindings.NetworkSecurityGroupType, 54, "20150501preview", "20240501"},
		{bindings.NatGatewayType, 33, "20190201", "20240501"},
		{bindings.PublicIPAddressType, 54, "20150501preview", "20240501"},
		{bindings.PublicIPPrefixType, 38, "20180701", "20240501"},
		{bindings.PrivateEndpointType, 37, "20180801", "20240501"},
		{bindings.PrivateDnsZoneGroupType, 25, "20200301", "20240501"},
		{bindings.PrivateZoneType, 4, "20180901", "20240601"},
		{bindings.VirtualNetworkLinkType, 4, "20180901", "20240601"},
		{bindings.WebApplicationFirewallPolicyType, 34, "20181201", "20240501"},
		{bindings.FrontDoorPolicyType, 7, "20190301", "20240201"},
	} {
		got := m.aliases[tt.token]
		if !assert.Len(t, got, tt.count, "%s: aliases", tt.token) {
			continue
		}
		kind := tt.token[strings.LastIndex(tt.token, ":")+1:]
		for _, a := range got {
			assert.Regexp(t, `^azure-native:network/v20[0-9]{6}(preview)?:`+kind+`$`, a, "%s: alias", tt.token)
		}
		assert.Equal(t, "azure-native:network/v"+tt.first+":"+kind, got[0], "%s: first alias", tt.token)
		assert.Equal(t, "azure-native:network/v"+tt.latest+":"+kind, got[len(got)-1], "%s: last alias", tt.token)
	}
}

// TestBindingNetworkRequiredInputs: the required inputs of the generated constructors are
// required here too, every missing one named.
func TestBindingNetworkRequiredInputs(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		new   func(ctx *pulumi.Context) error
		wants []string
	}{
		{"zone group", func(ctx *pulumi.Context) error {
			_, err := bindings.NewPrivateDnsZoneGroup(ctx, "x", &bindings.PrivateDnsZoneGroupArgs{})
			return err
		}, []string{"PrivateEndpointName", "ResourceGroupName"}},
		{"vnet link", func(ctx *pulumi.Context) error {
			_, err := bindings.NewVirtualNetworkLink(ctx, "x", &bindings.VirtualNetworkLinkArgs{})
			return err
		}, []string{"PrivateZoneName", "ResourceGroupName"}},
		{"app gateway waf", func(ctx *pulumi.Context) error {
			_, err := bindings.NewWebApplicationFirewallPolicy(ctx, "x", &bindings.WebApplicationFirewallPolicyArgs{})
			return err
		}, []string{"ManagedRules", "ResourceGroupName"}},
		{"nsg", func(ctx *pulumi.Context) error {
			_, err := bindings.NewNetworkSecurityGroup(ctx, "x", &bindings.NetworkSecurityGroupArgs{})
			return err
		}, []string{bindings.NetworkSecurityGroupType, "ResourceGroupName"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := TryRunProgram(tt.new)
			ErrorMentions(t, err, tt.wants...)
		})
	}
}
