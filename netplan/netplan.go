// Package netplan plans the subnets of the platform's virtual network: one subnet per role, derived
// from the address space unless configured, and checked (inside the space, no overlaps, big enough
// for the role). It is pure: no Pulumi, no Azure SDK.
package netplan

import (
	"fmt"
	"net/netip"
	"sort"
)

// Role is what a subnet is for.
type Role string

// The subnet roles of the platform.
const (
	Nodes            Role = "nodes"            // AKS nodes (Azure CNI overlay: pods do not use VNet addresses)
	APIServer        Role = "apiServer"        // AKS API server VNet integration, delegated to Microsoft.ContainerService/managedClusters
	AGC              Role = "agc"              // Application Gateway for Containers, delegated to Microsoft.ServiceNetworking/trafficControllers
	PrivateEndpoints Role = "privateEndpoints" // private endpoints of every data service
	Postgres         Role = "postgres"         // PostgreSQL Flexible Server, delegated to Microsoft.DBforPostgreSQL/flexibleServers
)

// Roles lists every role in a fixed order (the order subnets are declared and printed).
var Roles = []Role{Nodes, APIServer, AGC, PrivateEndpoints, Postgres}

// DefaultBits is the prefix length a derived subnet gets.
var DefaultBits = map[Role]int{
	Nodes:            22, // 1,019 nodes: room for node auto-provisioning to scale out
	APIServer:        28, // the size AKS asks for API server VNet integration
	AGC:              24, // Application Gateway for Containers with Azure CNI overlay: exactly /24 (ExactBits)
	PrivateEndpoints: 26,
	Postgres:         28,
}

// MaxBits is the smallest subnet (longest prefix) a role accepts.
var MaxBits = map[Role]int{
	Nodes:            24,
	APIServer:        28,
	AGC:              24,
	PrivateEndpoints: 28,
	Postgres:         28,
}

// ExactBits is the only prefix length a role accepts, where Azure allows exactly one. The AGC
// subnet: "The Application Gateway for Containers subnet must be a /24 prefix; only one
// deployment is supported per subnet. A larger or smaller prefix isn't supported" with Azure CNI
// overlay, the cluster's network plugin mode (Learn: "Container networking with Application
// Gateway for Containers"), which also warns that moving to overlay with a /23 or larger subnet
// causes an outage and a subnet recreated at /24.
var ExactBits = map[Role]int{
	AGC: 24,
}

// Problem is one reason a plan is not valid.
type Problem struct {
	Role   Role   // the subnet concerned; empty for the address space itself
	Value  string // the offending value
	Reason string
}

func (p Problem) Error() string {
	if p.Role == "" {
		return fmt.Sprintf("address space %s: %s", p.Value, p.Reason)
	}
	return fmt.Sprintf("subnet %s %s: %s", p.Role, p.Value, p.Reason)
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// ParsePrefix parses an IPv4 CIDR and insists that it is written canonically (no host bits set),
// so that "10.0.0.1/16" is reported instead of silently meaning 10.0.0.0/16.
func ParsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not a CIDR (want an IPv4 prefix such as 10.40.0.0/16)")
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("not an IPv4 prefix")
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("has host bits set (did you mean %s?)", p.Masked())
	}
	return p, nil
}

// IsPrivate reports whether the prefix lies inside RFC 1918 or the shared 100.64.0.0/10 space.
func IsPrivate(p netip.Prefix) bool {
	for _, r := range privateRanges {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// Contains reports whether outer contains the whole of inner.
func Contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// Plan returns the subnet of every role. Roles in fixed keep their given prefix; the others are
// allocated, largest first, at the lowest free aligned block of the space. Every problem is
// returned, not only the first; the plan is nil when there is any.
func Plan(space netip.Prefix, fixed map[Role]netip.Prefix) (map[Role]netip.Prefix, []Problem) {
	var problems []Problem
	if !IsPrivate(space) {
		problems = append(problems, Problem{Value: space.String(), Reason: "is not a private range (want 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)"})
	}
	plan := map[Role]netip.Prefix{}
	for _, role := range Roles {
		p, ok := fixed[role]
		if !ok {
			continue
		}
		exact, isExact := ExactBits[role]
		switch {
		case !Contains(space, p):
			problems = append(problems, Problem{Role: role, Value: p.String(), Reason: fmt.Sprintf("is outside the address space %s", space)})
		case isExact && p.Bits() != exact:
			problems = append(problems, Problem{Role: role, Value: p.String(), Reason: fmt.Sprintf("must be exactly /%d: Application Gateway for Containers with Azure CNI overlay supports only a /%d subnet, a larger or smaller prefix isn't supported", exact, exact)})
		case p.Bits() > MaxBits[role]:
			problems = append(problems, Problem{Role: role, Value: p.String(), Reason: fmt.Sprintf("is too small: the %s subnet needs /%d or larger", role, MaxBits[role])})
		}
		for _, other := range Roles {
			if q, ok := plan[other]; ok && q.Overlaps(p) {
				problems = append(problems, Problem{Role: role, Value: p.String(), Reason: fmt.Sprintf("overlaps the %s subnet %s", other, q)})
			}
		}
		plan[role] = p
	}
	for _, k := range sortedUnknown(fixed) {
		problems = append(problems, Problem{Role: k, Value: fixed[k].String(), Reason: fmt.Sprintf("is not a subnet role (want one of %v)", Roles)})
	}

	// Allocate the rest, largest first so that alignment wastes the least space.
	var todo []Role
	for _, role := range Roles {
		if _, ok := fixed[role]; !ok {
			todo = append(todo, role)
		}
	}
	sort.SliceStable(todo, func(i, j int) bool { return DefaultBits[todo[i]] < DefaultBits[todo[j]] })
	for _, role := range todo {
		p, ok := firstFree(space, DefaultBits[role], plan)
		if !ok {
			problems = append(problems, Problem{Role: role, Value: fmt.Sprintf("/%d", DefaultBits[role]), Reason: fmt.Sprintf("does not fit in the free part of the address space %s (give a larger space or set the subnets explicitly)", space)})
			continue
		}
		plan[role] = p
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return plan, nil
}

func sortedUnknown(fixed map[Role]netip.Prefix) []Role {
	known := map[Role]bool{}
	for _, r := range Roles {
		known[r] = true
	}
	var out []Role
	for r := range fixed {
		if !known[r] {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// firstFree finds the lowest block of the given size inside space that overlaps nothing in taken.
func firstFree(space netip.Prefix, bits int, taken map[Role]netip.Prefix) (netip.Prefix, bool) {
	if bits < space.Bits() || bits > 32 {
		return netip.Prefix{}, false
	}
	size := uint64(1) << (32 - bits)
	start := u32(space.Addr())
	end := uint64(start) + (uint64(1) << (32 - space.Bits()))
	for a := uint64(start); a+size <= end; a += size {
		cand := netip.PrefixFrom(fromU32(uint32(a)), bits)
		free := true
		for _, t := range taken {
			if t.Overlaps(cand) {
				free = false
				break
			}
		}
		if free {
			return cand, true
		}
	}
	return netip.Prefix{}, false
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func fromU32(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// HostAt returns the n-th address of a prefix (n=10 of 172.16.0.0/16 is 172.16.0.10), used to pick
// a DNS service IP inside the service CIDR. ok is false when n is outside the prefix.
func HostAt(p netip.Prefix, n uint32) (netip.Addr, bool) {
	size := uint64(1) << (32 - p.Bits())
	if uint64(n) >= size {
		return netip.Addr{}, false
	}
	return fromU32(u32(p.Masked().Addr()) + n), true
}
