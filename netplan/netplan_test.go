package netplan

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mp(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func TestPlanDerived(t *testing.T) {
	plan, problems := Plan(mp("10.40.0.0/16"), nil)
	require.Empty(t, problems, "unexpected problems")
	want := map[Role]string{
		Nodes:            "10.40.0.0/22",
		AGC:              "10.40.4.0/24",
		PrivateEndpoints: "10.40.5.0/26",
		APIServer:        "10.40.5.64/28",
		Postgres:         "10.40.5.80/28",
	}
	for role, w := range want {
		assert.Equal(t, w, plan[role].String(), "subnet %s", role)
	}
	assertDisjoint(t, plan)
}

func TestPlanKeepsFixedAndFillsAround(t *testing.T) {
	fixed := map[Role]netip.Prefix{Nodes: mp("10.40.0.0/20"), AGC: mp("10.40.255.0/24")}
	plan, problems := Plan(mp("10.40.0.0/16"), fixed)
	require.Empty(t, problems, "unexpected problems")
	assert.Equal(t, fixed[Nodes], plan[Nodes], "fixed nodes subnet moved")
	assert.Equal(t, fixed[AGC], plan[AGC], "fixed agc subnet moved")
	assert.Equal(t, "10.40.16.0/26", plan[PrivateEndpoints].String(), "privateEndpoints: want the first free /26 after nodes")
	assertDisjoint(t, plan)
}

func TestPlanProblems(t *testing.T) {
	tests := []struct {
		name  string
		space string
		fixed map[Role]netip.Prefix
		want  []string // every one must appear
	}{
		{"public space", "8.8.0.0/16", nil, []string{"not a private range"}},
		{"space too small", "10.0.0.0/24", nil, []string{"subnet nodes /22: does not fit"}},
		{"outside", "10.40.0.0/16", map[Role]netip.Prefix{Postgres: mp("10.41.0.0/28")}, []string{"subnet postgres 10.41.0.0/28: is outside the address space 10.40.0.0/16"}},
		// Application Gateway for Containers with Azure CNI overlay takes exactly a /24.
		{"agc /25", "10.40.0.0/16", map[Role]netip.Prefix{AGC: mp("10.40.1.0/25")}, []string{"subnet agc 10.40.1.0/25: must be exactly /24: Application Gateway for Containers with Azure CNI overlay"}},
		{"agc /23", "10.40.0.0/16", map[Role]netip.Prefix{AGC: mp("10.40.2.0/23")}, []string{"subnet agc 10.40.2.0/23: must be exactly /24", "a larger or smaller prefix isn't supported"}},
		{"agc /22", "10.40.0.0/16", map[Role]netip.Prefix{AGC: mp("10.40.4.0/22")}, []string{"subnet agc 10.40.4.0/22: must be exactly /24"}},
		{"nodes too small", "10.40.0.0/16", map[Role]netip.Prefix{Nodes: mp("10.40.1.0/25")}, []string{"subnet nodes 10.40.1.0/25: is too small: the nodes subnet needs /24 or larger"}},
		{"overlap", "10.40.0.0/16", map[Role]netip.Prefix{Nodes: mp("10.40.0.0/22"), AGC: mp("10.40.2.0/24")}, []string{"subnet agc 10.40.2.0/24: overlaps the nodes subnet 10.40.0.0/22"}},
		{"unknown role", "10.40.0.0/16", map[Role]netip.Prefix{"gateway": mp("10.40.9.0/24")}, []string{"subnet gateway 10.40.9.0/24: is not a subnet role"}},
		{"all at once", "10.40.0.0/16", map[Role]netip.Prefix{AGC: mp("10.40.1.0/26"), Postgres: mp("10.50.0.0/28")}, []string{"agc 10.40.1.0/26: must be exactly /24", "postgres 10.50.0.0/28: is outside"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, problems := Plan(mp(tt.space), tt.fixed)
			assert.Nil(t, plan, "want no plan when there are problems")
			var all []string
			for _, p := range problems {
				all = append(all, p.Error())
			}
			joined := strings.Join(all, "\n")
			for _, w := range tt.want {
				assert.Contains(t, joined, w, "problems")
			}
		})
	}
}

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in   string
		want string // error substring, or "" for success
	}{
		{"10.40.0.0/16", ""},
		{"10.40.0.1/16", "did you mean 10.40.0.0/16"},
		{"10.40.0.0", "not a CIDR"},
		{"10.40.0.0/33", "not a CIDR"},
		{"fd00::/8", "not an IPv4 prefix"},
	}
	for _, tt := range tests {
		_, err := ParsePrefix(tt.in)
		if tt.want == "" {
			assert.NoError(t, err, "ParsePrefix(%q)", tt.in)
		} else {
			assert.ErrorContains(t, err, tt.want, "ParsePrefix(%q)", tt.in)
		}
	}
}

func TestHostAt(t *testing.T) {
	a, ok := HostAt(mp("172.16.0.0/16"), 10)
	if assert.True(t, ok, "HostAt(172.16.0.0/16, 10)") {
		assert.Equal(t, "172.16.0.10", a.String(), "HostAt(172.16.0.0/16, 10)")
	}
	_, ok = HostAt(mp("172.16.0.0/29"), 8)
	assert.False(t, ok, "HostAt beyond the prefix must fail")
}

func assertDisjoint(t *testing.T, plan map[Role]netip.Prefix) {
	t.Helper()
	for a, pa := range plan {
		for b, pb := range plan {
			if a < b {
				assert.False(t, pa.Overlaps(pb), "%s %s overlaps %s %s", a, pa, b, pb)
			}
		}
	}
}
