package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/network"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
)

func networkArgs(e *config.Env) *network.Args {
	n := e.Names
	return &network.Args{
		ResourceGroupName:       pulumi.String(n.ResourceGroup),
		Location:                pulumi.String(e.Location),
		Name:                    n.VirtualNetwork,
		AddressSpace:            e.Network.AddressSpace,
		Subnets:                 e.Subnets,
		SubnetNames:             n.Subnets,
		NSGNames:                n.NSGs,
		PodCIDR:                 e.AKS.PodCIDR,
		APIServerPublicSources:  e.AKS.AuthorizedIPRanges,
		NatGatewayName:          n.NatGateway,
		NatPublicIPName:         n.NatPublicIP,
		NatIdleTimeoutMinutes:   e.Network.NatIdleTimeoutMinutes,
		NatPublicIPPrefixLength: e.Network.NatPublicIPPrefixLength,
		Tags:                    pulumi.StringMap{"environment": pulumi.String(e.Environment)},
	}
}

func runNetwork(t *testing.T, e *config.Env) *offline.Stack {
	t.Helper()
	return RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "network", networkArgs(e))
		return err
	})
}

// subnetOf returns the subnet of a role.
func subnetOf(t *testing.T, s *offline.Stack, role netplan.Role) *offline.Resource {
	t.Helper()
	return Named(t, s, bindings.SubnetType, "network-"+string(role))
}

func TestNetwork(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e := Env(t, env, map[string]string{"network": JSON(map[string]any{"addressSpace": "10.40.0.0/16", "natIdleTimeoutMinutes": 10,
				"natPublicIpPrefixLength": map[string]int{"dev": 0, "prod": 30}[env]})})
			s := runNetwork(t, e)

			vnet := One(t, s, "azure-native:network:VirtualNetwork")
			Equal(t, vnet, "virtualNetworkName", e.Names.VirtualNetwork)
			Equal(t, vnet, "addressSpace.addressPrefixes", []string{"10.40.0.0/16"})
			// No inline subnets: the standalone subnets own the list.
			Absent(t, vnet, "subnets")

			require.Len(t, s.ByType(bindings.SubnetType), len(netplan.Roles), "subnets: want one per role")
			assert.Empty(t, s.ByType("azure-native:network:Subnet"), "subnets of the 2023-02-01 API: want none (they lack defaultOutboundAccess)")
			nat := One(t, s, "azure-native:network:NatGateway")
			for i, role := range netplan.Roles {
				sn := subnetOf(t, s, role)
				Equal(t, sn, "subnetName", e.Names.Subnets[role])
				Equal(t, sn, "virtualNetworkName", e.Names.VirtualNetwork)
				Equal(t, sn, "addressPrefix", e.Subnets[role])
				Equal(t, sn, "defaultOutboundAccess", false)
				Equal(t, sn, "privateLinkServiceNetworkPolicies", "Enabled")
				nsg := Named(t, s, "azure-native:network:NetworkSecurityGroup", "network-"+string(role))
				Equal(t, nsg, "networkSecurityGroupName", e.Names.NSGs[role])
				Equal(t, sn, "networkSecurityGroup", map[string]any{"id": nsg.ID})
				assert.Equal(t, providerVersion, sn.Version, "%s: provider version", sn.Key())
				// Azure rejects concurrent writes to one VNet's subnets: each waits for the one before.
				if i > 0 {
					prev := subnetOf(t, s, netplan.Roles[i-1])
					assert.Contains(t, sn.DependsOn, prev.URN, "%s does not depend on %s", sn.Key(), prev.Key())
				}
				if role == netplan.Nodes {
					Equal(t, sn, "natGateway", map[string]any{"id": nat.ID})
				} else {
					Absent(t, sn, "natGateway")
				}
				if role == netplan.PrivateEndpoints {
					Equal(t, sn, "privateEndpointNetworkPolicies", "Enabled")
				} else {
					Equal(t, sn, "privateEndpointNetworkPolicies", "Disabled")
				}
			}
			for role, svc := range map[netplan.Role]string{
				netplan.APIServer: "Microsoft.ContainerService/managedClusters",
				netplan.AGC:       "Microsoft.ServiceNetworking/trafficControllers",
				netplan.Postgres:  "Microsoft.DBforPostgreSQL/flexibleServers",
			} {
				Equal(t, subnetOf(t, s, role), "delegations", []map[string]any{{"name": string(role), "serviceName": svc}})
			}
			for _, role := range []netplan.Role{netplan.Nodes, netplan.PrivateEndpoints} {
				Absent(t, subnetOf(t, s, role), "delegations")
			}

			Equal(t, nat, "natGatewayName", e.Names.NatGateway)
			Equal(t, nat, "sku", map[string]any{"name": "Standard"})
			Equal(t, nat, "idleTimeoutInMinutes", 10)
			Absent(t, nat, "zones")
			if env == "dev" {
				ip := One(t, s, "azure-native:network:PublicIPAddress")
				Equal(t, ip, "publicIpAddressName", e.Names.NatPublicIP)
				Equal(t, ip, "publicIPAllocationMethod", "Static")
				Equal(t, ip, "publicIPAddressVersion", "IPv4")
				Equal(t, ip, "sku", map[string]any{"name": "Standard", "tier": "Regional"})
				Equal(t, nat, "publicIpAddresses", []map[string]any{{"id": ip.ID}})
				Absent(t, nat, "publicIpPrefixes")
				assert.Empty(t, s.ByType("azure-native:network:PublicIPPrefix"), "dev has prefixes")
			} else {
				p := One(t, s, "azure-native:network:PublicIPPrefix")
				Equal(t, p, "publicIpPrefixName", e.Names.NatPublicIP)
				Equal(t, p, "prefixLength", 30)
				Equal(t, p, "sku", map[string]any{"name": "Standard", "tier": "Regional"})
				Equal(t, nat, "publicIpPrefixes", []map[string]any{{"id": p.ID}})
				Absent(t, nat, "publicIpAddresses")
				assert.Empty(t, s.ByType("azure-native:network:PublicIPAddress"), "prod has single public IPs")
			}
			for _, r := range s.Resources {
				if r.Custom && !strings.HasSuffix(r.Type, ":Subnet") {
					Equal(t, r, "tags", map[string]any{"environment": env})
				}
			}
			// Inline rules only: standalone rules would fight the NSGs' rule lists.
			assert.Empty(t, s.ByType("azure-native:network:SecurityRule"), "standalone security rules")
		})
	}
}

type nsgRule struct {
	Name, Access, Protocol string
	Priority               int
	Sources, Dests, Ports  []string
}

// rulesOf reads an NSG's inline rules back from its inputs, singular and plural properties alike.
func rulesOf(t *testing.T, nsg *offline.Resource) []nsgRule {
	t.Helper()
	var out []nsgRule
	list, _ := In(t, nsg, "securityRules").([]any)
	for _, raw := range list {
		m := raw.(map[string]any)
		many := func(one, several string) []string {
			if v, ok := m[one].(string); ok {
				assert.NotContains(t, m, several, "rule %v sets both %s and %s", m["name"], one, several)
				return []string{v}
			}
			var vs []string
			for _, v := range m[several].([]any) {
				vs = append(vs, v.(string))
			}
			return vs
		}
		assert.Equal(t, "Inbound", m["direction"], "%s: rule %v: direction", nsg.Key(), m["name"])
		assert.Equal(t, "*", m["sourcePortRange"], "%s: rule %v: sourcePortRange", nsg.Key(), m["name"])
		d, _ := m["description"].(string)
		assert.NotEmpty(t, d, "%s: rule %v: description must say why", nsg.Key(), m["name"])
		assert.LessOrEqual(t, len(d), 140, "%s: rule %v: description %q must say why, in at most 140 characters", nsg.Key(), m["name"], d)
		out = append(out, nsgRule{
			Name: m["name"].(string), Access: m["access"].(string), Protocol: m["protocol"].(string),
			Priority: int(m["priority"].(float64)),
			Sources:  many("sourceAddressPrefix", "sourceAddressPrefixes"),
			Dests:    many("destinationAddressPrefix", "destinationAddressPrefixes"),
			Ports:    many("destinationPortRange", "destinationPortRanges"),
		})
	}
	return out
}

// TestNetworkSecurityRules pins every subnet's inbound rules and checks the Internet posture: no
// subnet admits any source from outside the VNet, only AGC admits Front Door and only the API
// server subnet the authorized ranges (on 443), and every NSG ends with an explicit deny at
// priority 4096.
func TestNetworkSecurityRules(t *testing.T) {
	t.Parallel()
	e := Env(t, "dev", nil)
	s := runNetwork(t, e)
	sub := e.Subnets
	nodes, api, agc, pe, pg, pods := sub[netplan.Nodes], sub[netplan.APIServer], sub[netplan.AGC], sub[netplan.PrivateEndpoints], sub[netplan.Postgres], e.AKS.PodCIDR
	all := []string{"*"}
	want := map[netplan.Role][]nsgRule{
		netplan.Nodes: {
			{"allow-nodes-to-nodes", "Allow", "*", 100, []string{nodes}, []string{nodes}, all},
			{"allow-nodes-to-pods", "Allow", "*", 110, []string{nodes}, []string{pods}, all},
			{"allow-pods-to-pods", "Allow", "*", 120, []string{pods}, []string{pods}, all},
			{"allow-apiserver-to-cluster", "Allow", "Tcp", 130, []string{api}, []string{nodes, pods}, all},
			{"allow-agc-to-backends", "Allow", "Tcp", 140, []string{agc}, []string{nodes, pods}, all},
			{"allow-azure-load-balancer", "Allow", "*", 150, []string{"AzureLoadBalancer"}, all, all},
			{"deny-all-inbound", "Deny", "*", 4096, all, all, all},
		},
		netplan.APIServer: {
			{"allow-nodes-to-apiserver", "Allow", "Tcp", 100, []string{nodes}, []string{api}, []string{"443", "4443"}},
			{"allow-azure-load-balancer", "Allow", "Tcp", 110, []string{"AzureLoadBalancer"}, []string{api}, []string{"9988"}},
			{"allow-apiserver-subnet", "Allow", "*", 120, []string{api}, []string{api}, all},
			// dev's authorized range: the API server's public endpoint, projected into the subnet.
			{"allow-authorized-ranges-to-apiserver", "Allow", "Tcp", 130, []string{"203.0.113.0/24"}, []string{api}, []string{"443"}},
			{"deny-all-inbound", "Deny", "*", 4096, all, all, all},
		},
		netplan.AGC: {
			{"allow-frontdoor-to-agc", "Allow", "Tcp", 100, []string{"AzureFrontDoor.Backend"}, all, []string{"80", "443"}},
			{"allow-azure-load-balancer", "Allow", "*", 110, []string{"AzureLoadBalancer"}, all, all},
			{"deny-internet-inbound", "Deny", "*", 4096, []string{"Internet"}, all, all},
		},
		netplan.PrivateEndpoints: {
			{"allow-nodes-https", "Allow", "Tcp", 100, []string{nodes}, []string{pe}, []string{"443"}},
			{"allow-nodes-sql", "Allow", "Tcp", 110, []string{nodes}, []string{pe}, []string{"1433-65535"}},
			{"deny-all-inbound", "Deny", "*", 4096, all, all, all},
		},
		netplan.Postgres: {
			{"allow-nodes-to-postgres", "Allow", "Tcp", 100, []string{nodes}, []string{pg}, []string{"5432"}},
			{"allow-postgres-subnet", "Allow", "Tcp", 110, []string{pg}, []string{pg}, []string{"5432"}},
			{"deny-all-inbound", "Deny", "*", 4096, all, all, all},
		},
	}
	for _, role := range netplan.Roles {
		got := rulesOf(t, Named(t, s, "azure-native:network:NetworkSecurityGroup", "network-"+string(role)))
		assert.Equal(t, want[role], got, "%s rules", role)
		for _, r := range got {
			if r.Access != "Allow" {
				continue
			}
			for _, src := range r.Sources {
				public := src == "*" || src == "Internet" || src == "0.0.0.0/0"
				assert.False(t, public || (src == "AzureFrontDoor.Backend" && role != netplan.AGC), "%s: rule %s admits %s from outside the VNet", role, r.Name, src)
				if r.Name == "allow-authorized-ranges-to-apiserver" {
					assert.Equal(t, netplan.APIServer, role, "only the API server subnet admits the authorized ranges")
					assert.Equal(t, e.AKS.AuthorizedIPRanges, r.Sources, "the authorized ranges, no more")
				}
			}
		}
		require.NotEmpty(t, got, "%s rules", role)
		last := got[len(got)-1]
		assert.Equal(t, "Deny", last.Access, "%s: last rule %+v is not the explicit deny", role, last)
		assert.Equal(t, 4096, last.Priority, "%s: last rule %+v is not the explicit deny", role, last)
		assert.Contains(t, []string{"*", "Internet"}, last.Sources[0], "%s: last rule %+v is not the explicit deny", role, last)
	}
}

func TestNetworkValidatesEverythingAtOnce(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "n", &network.Args{
			Subnets:                 map[netplan.Role]string{netplan.Nodes: "10.0.0.0/22"},
			NatIdleTimeoutMinutes:   2,
			NatPublicIPPrefixLength: 24,
		})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "Location", "Name is", "AddressSpace", "PodCIDR", "NatGatewayName", "NatPublicIPName",
		"Subnets[postgres]", "SubnetNames[nodes]", "NSGNames[agc]", "NatIdleTimeoutMinutes 2", "NatPublicIPPrefixLength 24")
	assert.NotContains(t, err.Error(), "Subnets[nodes]", "error names a subnet that was given")
}

// TestNetworkSubnetBinding pins the exact inputs of the hand-registered 2024-05-01 subnet.
func TestNetworkSubnetBinding(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := bindings.NewSubnet(ctx, "s", &bindings.SubnetArgs{
			ResourceGroupName:                 pulumi.String("rg"),
			VirtualNetworkName:                pulumi.String("vnet"),
			SubnetName:                        pulumi.String("snet"),
			AddressPrefix:                     pulumi.String("10.0.0.0/28"),
			DefaultOutboundAccess:             pulumi.Bool(false),
			Delegations:                       []bindings.Delegation{{Name: pulumi.String("pg"), ServiceName: pulumi.String("Microsoft.DBforPostgreSQL/flexibleServers")}},
			NatGateway:                        &bindings.IDRef{ID: pulumi.String("/nat")},
			NetworkSecurityGroup:              &bindings.IDRef{ID: pulumi.String("/nsg")},
			PrivateEndpointNetworkPolicies:    pulumi.String("Disabled"),
			PrivateLinkServiceNetworkPolicies: pulumi.String("Enabled"),
		})
		return err
	})
	r := checkBinding(t, s, bindings.SubnetType, map[string]any{
		"resourceGroupName": "rg", "virtualNetworkName": "vnet", "subnetName": "snet", "addressPrefix": "10.0.0.0/28",
		"defaultOutboundAccess": false,
		"delegations":           []map[string]any{{"name": "pg", "serviceName": "Microsoft.DBforPostgreSQL/flexibleServers"}},
		"natGateway":            map[string]any{"id": "/nat"}, "networkSecurityGroup": map[string]any{"id": "/nsg"},
		"privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled",
	})
	assert.True(t, strings.HasSuffix(r.ID, "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"), "synthesised ID %s", r.ID)
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := bindings.NewSubnet(ctx, "s", &bindings.SubnetArgs{})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "VirtualNetworkName")

}
