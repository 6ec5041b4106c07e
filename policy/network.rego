# Network: NSGs, subnets, public IPs. References: PSRule for Azure rule names.
package platform_baseline

import rego.v1

any_sources := {"*", "0.0.0.0/0", "Internet", "any", "Any", "::/0"}

rule_sources(rule) := array.concat([s | s := rule.sourceAddressPrefix; is_string(s)], [s | some s in object.get(rule, "sourceAddressPrefixes", [])])

# Azure.NSG.AnyInboundSource: no rule admits inbound traffic from any source; clients come through
# Front Door (the AGC subnet admits the AzureFrontDoor.Backend service tag only).
deny_nsg_any_inbound contains msg if {
	"nsg" in kinds
	some rule in object.get(input, "securityRules", [])
	rule.direction == "Inbound"
	rule.access == "Allow"
	some source in rule_sources(rule)
	source in any_sources
	msg := sprintf("%s: inbound rule %s allows source %s, want a service tag, CIDR or application security group (Azure.NSG.AnyInboundSource)", [label("nsg", input), show(at(rule, ["name"])), source])
}

# MCSB NS-1 (establish network segmentation boundaries; deny by default): every NSG ends in an
# explicit deny of the remaining inbound traffic, as the platform writes them, so the default
# AllowVnetInBound rule never admits what no rule names.
deny_nsg_final_deny contains msg if {
	"nsg" in kinds
	judged(input, ["securityRules"])
	not final_inbound_deny(input)
	msg := sprintf("%s: securityRules has no inbound Deny rule from * or Internet, want one at the end (MCSB NS-1)", [label("nsg", input)])
}

final_inbound_deny(r) if {
	some rule in r.securityRules
	rule.direction == "Inbound"
	rule.access == "Deny"
	some source in rule_sources(rule)
	source in {"*", "Internet"}
}

# Azure.VNET.PrivateSubnet: no default outbound access; egress goes through the NAT gateway.
deny_subnet_default_outbound contains msg if {
	"subnet" in kinds
	differs(input, ["defaultOutboundAccess"], false)
	msg := message("subnet", input, ["defaultOutboundAccess"], "false", "Azure.VNET.PrivateSubnet")
}

# Azure.VNET.UseNSGs: every subnet has a network security group.
deny_subnet_nsg contains msg if {
	"subnet" in kinds
	judged(input, ["networkSecurityGroup"])
	not is_string(at(input, ["networkSecurityGroup", "id"]))
	msg := message("subnet", input, ["networkSecurityGroup", "id"], "the ID of the subnet's NSG", "Azure.VNET.UseNSGs")
}

# Azure.PublicIP.StandardSKU: Standard public IPs only (Basic is retired and open by default).
deny_public_ip_standard contains msg if {
	"public_ip" in kinds
	differs(input, ["sku", "name"], "Standard")
	msg := message("public_ip", input, ["sku", "name"], "Standard", "Azure.PublicIP.StandardSKU")
}
