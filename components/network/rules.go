package network

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/netplan"
)

// Rule is one inbound security rule of a subnet's NSG. Rules are inline in the NSG (never also
// standalone SecurityRule resources: the two would overwrite each other). Outbound traffic keeps
// Azure's default rules (VNet and Internet allowed): AKS egress is defined by FQDNs, which NSGs
// cannot express (https://learn.microsoft.com/azure/aks/outbound-rules-control-egress), and
// PostgreSQL needs Azure Storage and Microsoft Entra ID outbound.
type Rule struct {
	Name        string
	Description string // why the rule exists (at most 140 characters)
	Priority    int
	Access      string // Allow or Deny
	Protocol    string // Tcp, Udp or *
	Sources     []string
	// Destinations are CIDRs or service tags.
	Destinations []string
	Ports        []string
}

// Service tags used below.
const (
	tagAzureLoadBalancer = "AzureLoadBalancer"
	tagFrontDoorBackend  = "AzureFrontDoor.Backend"
	tagInternet          = "Internet"
	star                 = "*"
)

// denyAll closes a subnet to everything not allowed above it, the Internet included. Priority 4096
// is the lowest a custom rule can have, so it sits just above Azure's defaults (65000+), which
// would otherwise allow all VNet traffic.
func denyAll(why string) Rule {
	return Rule{Name: "deny-all-inbound", Description: why, Priority: 4096, Access: "Deny", Protocol: star,
		Sources: []string{star}, Destinations: []string{star}, Ports: []string{star}}
}

// RulesInput is what the subnets' rules depend on.
type RulesInput struct {
	// Subnets is the CIDR of every role.
	Subnets map[netplan.Role]string
	// PodCIDR is the cluster's overlay pod range.
	PodCIDR string
	// APIServerPublicSources are the sources allowed to the API server subnet on 443 (see
	// Args.APIServerPublicSources). None: no such rule.
	APIServerPublicSources []string
}

// Rules returns the inbound rules of one role's subnet. Every NSG ends with an explicit deny; from
// outside the VNet only Front Door reaches the AGC subnet, and only the API server's authorized
// ranges reach the API server subnet (on 443).
func Rules(role netplan.Role, in RulesInput) []Rule {
	subnets, podCIDR := in.Subnets, in.PodCIDR
	nodes, api, agc, pe, pg := subnets[netplan.Nodes], subnets[netplan.APIServer], subnets[netplan.AGC], subnets[netplan.PrivateEndpoints], subnets[netplan.Postgres]
	switch role {
	case netplan.Nodes:
		// Azure CNI Overlay does not encapsulate pod traffic, so subnet NSGs see pod IPs; with deny
		// rules present AKS requires node<->node, node->pod and pod<->pod on all ports
		// (https://learn.microsoft.com/azure/aks/azure-cni-overlay#network-security-groups).
		return []Rule{
			{"allow-nodes-to-nodes", "AKS overlay: node to node, all ports (kubelet, CNI, node-local services)", 100, "Allow", star, []string{nodes}, []string{nodes}, []string{star}},
			{"allow-nodes-to-pods", "AKS overlay: node to pod CIDR, all ports (service routing)", 110, "Allow", star, []string{nodes}, []string{podCIDR}, []string{star}},
			{"allow-pods-to-pods", "AKS overlay: pod to pod, all ports (pod and service traffic, DNS)", 120, "Allow", star, []string{podCIDR}, []string{podCIDR}, []string{star}},
			// The API server, projected into its delegated subnet, reaches kubelets (logs, exec,
			// port-forward) and admission webhooks served by pods.
			{"allow-apiserver-to-cluster", "AKS API server (VNet integration) to kubelets and webhook pods", 130, "Allow", "Tcp", []string{api}, []string{nodes, podCIDR}, []string{star}},
			// With CNI Overlay, AGC's data plane proxies requests straight to pod IPs
			// (https://learn.microsoft.com/azure/application-gateway/for-containers/container-networking).
			{"allow-agc-to-backends", "Application Gateway for Containers proxies to backend pods", 140, "Allow", "Tcp", []string{agc}, []string{nodes, podCIDR}, []string{star}},
			{"allow-azure-load-balancer", "Azure Load Balancer health probes (168.63.129.16)", 150, "Allow", star, []string{tagAzureLoadBalancer}, []string{star}, []string{star}},
			denyAll("Nodes serve no traffic from the Internet or other subnets; ingress arrives through AGC"),
		}
	case netplan.APIServer:
		// https://learn.microsoft.com/azure/aks/api-server-vnet-integration#network-security-group-nsg-security-rules
		rules := []Rule{
			{"allow-nodes-to-apiserver", "AKS: nodes to the API server VIP (443) and konnectivity (4443)", 100, "Allow", "Tcp", []string{nodes}, []string{api}, []string{"443", "4443"}},
			{"allow-azure-load-balancer", "AKS: Azure Load Balancer to the API server (health, port 9988)", 110, "Allow", "Tcp", []string{tagAzureLoadBalancer}, []string{api}, []string{"9988"}},
			// The subnet is delegated to AKS and holds only its API server instances and ILB.
			{"allow-apiserver-subnet", "AKS-managed API server instances and internal load balancer", 120, "Allow", star, []string{api}, []string{api}, []string{star}},
		}
		if len(in.APIServerPublicSources) > 0 {
			// With VNet integration the API server instances sit in this subnet behind the public
			// endpoint too, and Microsoft documents neither way whether public traffic crosses
			// this NSG (its NSG table names only the nodes and Azure Load Balancer). If it does,
			// the deny below would cut kubectl off; this rule admits exactly the authorized ranges
			// the API server itself admits, so it opens nothing more.
			why := "API server public endpoint: only its authorized IP ranges, on 443 (no wider than the API server admits)"
			if slices.Equal(in.APIServerPublicSources, []string{tagInternet}) {
				why = "API server public endpoint without authorized ranges: open on 443 as the API server itself is"
			}
			rules = append(rules, Rule{"allow-authorized-ranges-to-apiserver", why, 130, "Allow", "Tcp", in.APIServerPublicSources, []string{api}, []string{"443"}})
		}
		return append(rules, denyAll("Only the cluster, Azure Load Balancer and the API server's authorized ranges reach the API server"))
	case netplan.AGC:
		// The association subnet's NSG is where AGC's inbound traffic is restricted: Microsoft's
		// AGC components page has a section on it ("Network security groups on the association
		// subnet", https://learn.microsoft.com/azure/application-gateway/for-containers/application-gateway-for-containers-components#network-security-groups-on-the-association-subnet),
		// to which Microsoft points for limiting who reaches a frontend (Azure/AKS#5837). The
		// frontends are public (private frontends are not supported) and their client traffic
		// reaches the data plane in this subnet through the NSG; Front Door is the only intended
		// client, so only its back end may come in, on the listener ports.
		return []Rule{
			{"allow-frontdoor-to-agc", "Azure Front Door back end to AGC frontends (HTTP/HTTPS listeners)", 100, "Allow", "Tcp", []string{tagFrontDoorBackend}, []string{star}, []string{"80", "443"}},
			{"allow-azure-load-balancer", "Azure Load Balancer health probes (168.63.129.16)", 110, "Allow", star, []string{tagAzureLoadBalancer}, []string{star}, []string{star}},
			// Only the Internet is denied: AGC's managed data plane talks within its subnet and the
			// VNet on ports nobody documents, so VNet-internal traffic keeps Azure's defaults.
			{"deny-internet-inbound", "Everything else from the Internet: clients must come through Front Door", 4096, "Deny", star, []string{tagInternet}, []string{star}, []string{star}},
		}
	case netplan.PrivateEndpoints:
		// Enforced because the subnet sets privateEndpointNetworkPolicies Enabled. Pods reach
		// endpoints from node IPs (overlay SNATs traffic leaving the pod CIDR).
		return []Rule{
			{"allow-nodes-https", "Cluster to Key Vault, Storage (blob, dfs), ACR, Cognitive Services endpoints", 100, "Allow", "Tcp", []string{nodes}, []string{pe}, []string{"443"}},
			// SQL through a private endpoint with the Redirect policy uses 1433 and then ports up
			// to 65535 (https://learn.microsoft.com/azure/azure-sql/database/private-endpoint-overview#use-redirect-connection-policy-with-private-endpoints).
			{"allow-nodes-sql", "Cluster to Azure SQL endpoint: 1433 and the Redirect port range", 110, "Allow", "Tcp", []string{nodes}, []string{pe}, []string{"1433-65535"}},
			denyAll("Only the cluster uses the data services' private endpoints"),
		}
	case netplan.Postgres:
		// https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private:
		// HA and other features need 5432 within the subnet; clients need 5432.
		return []Rule{
			{"allow-nodes-to-postgres", "Cluster workloads to PostgreSQL (5432)", 100, "Allow", "Tcp", []string{nodes}, []string{pg}, []string{"5432"}},
			{"allow-postgres-subnet", "PostgreSQL high availability and replication within the subnet (5432)", 110, "Allow", "Tcp", []string{pg}, []string{pg}, []string{"5432"}},
			denyAll("Only the cluster talks to PostgreSQL"),
		}
	}
	return nil
}

// securityRules turns rules into the NSG's inline rule list. A single prefix or port goes into the
// singular property, several into the plural one (Azure accepts one or the other, not both).
func securityRules(rules []Rule) []bindings.SecurityRule {
	out := []bindings.SecurityRule{}
	for _, r := range rules {
		a := bindings.SecurityRule{
			Name:            pulumi.String(r.Name),
			Description:     pulumi.String(r.Description),
			Priority:        pulumi.Int(r.Priority),
			Direction:       pulumi.String("Inbound"),
			Access:          pulumi.String(r.Access),
			Protocol:        pulumi.String(r.Protocol),
			SourcePortRange: pulumi.String(star),
		}
		if len(r.Sources) == 1 {
			a.SourceAddressPrefix = pulumi.String(r.Sources[0])
		} else {
			a.SourceAddressPrefixes = pulumi.ToStringArray(r.Sources)
		}
		if len(r.Destinations) == 1 {
			a.DestinationAddressPrefix = pulumi.String(r.Destinations[0])
		} else {
			a.DestinationAddressPrefixes = pulumi.ToStringArray(r.Destinations)
		}
		if len(r.Ports) == 1 {
			a.DestinationPortRange = pulumi.String(r.Ports[0])
		} else {
			a.DestinationPortRanges = pulumi.ToStringArray(r.Ports)
		}
		out = append(out, a)
	}
	return out
}
