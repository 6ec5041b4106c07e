package netplan

import (
	"net/netip"
	"strings"
	"testing"
)

func mp(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func TestPlanDerived(t *testing.T) {
	plan, problems := Plan(mp("10.40.0.0/16"), nil)
	if len(problems) > 0 {
		t.Fatalf("unexpected problems: %v", problems)
	}
	want := map[Role]string{
		Nodes:            "10.40.0.0/22",
		AGC:              "10.40.4.0/24",
		PrivateEndpoints: "10.40.5.0/26",
		APIServer:        "10.40.5.64/28",
		Postgres:         "10.40.5.80/28",
	}
	for role, w := range want {
		if plan[role].String() != w {
			t.Errorf("%s = %s, want %s", role, plan[role], w)
		}
	}
	assertDisjoint(t, plan)
}

func TestPlanKeepsFixedAndFillsAround(t *testing.T) {
	fixed := map[Role]netip.Prefix{Nodes: mp("10.40.0.0/20"), AGC: mp("10.40.255.0/24")}
	plan, problems := Plan(mp("10.40.0.0/16"), fixed)
	if len(problems) > 0 {
		t.Fatalf("unexpected problems: %v", problems)
	}
	if plan[Nodes] != fixed[Nodes] || plan[AGC] != fixed[AGC] {
		t.Errorf("fixed subnets moved: %v", plan)
	}
	if plan[PrivateEndpoints].String() != "10.40.16.0/26" {
		t.Errorf("privateEndpoints = %s, want the first free /26 after nodes", plan[PrivateEndpoints])
	}
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
		{"agc too small", "10.40.0.0/16", map[Role]netip.Prefix{AGC: mp("10.40.1.0/25")}, []string{"subnet agc 10.40.1.0/25: is too small: the agc subnet needs /24 or larger"}},
		{"overlap", "10.40.0.0/16", map[Role]netip.Prefix{Nodes: mp("10.40.0.0/22"), AGC: mp("10.40.2.0/24")}, []string{"subnet agc 10.40.2.0/24: overlaps the nodes subnet 10.40.0.0/22"}},
		{"unknown role", "10.40.0.0/16", map[Role]netip.Prefix{"gateway": mp("10.40.9.0/24")}, []string{"subnet gateway 10.40.9.0/24: is not a subnet role"}},
		{"all at once", "10.40.0.0/16", map[Role]netip.Prefix{AGC: mp("10.40.1.0/26"), Postgres: mp("10.50.0.0/28")}, []string{"agc 10.40.1.0/26: is too small", "postgres 10.50.0.0/28: is outside"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, problems := Plan(mp(tt.space), tt.fixed)
			if plan != nil {
				t.Errorf("want no plan when there are problems, got %v", plan)
			}
			var all []string
			for _, p := range problems {
				all = append(all, p.Error())
			}
			joined := strings.Join(all, "\n")
			for _, w := range tt.want {
				if !strings.Contains(joined, w) {
					t.Errorf("problems %q lack %q", joined, w)
				}
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
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("ParsePrefix(%q): %v", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("ParsePrefix(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestHostAt(t *testing.T) {
	if a, ok := HostAt(mp("172.16.0.0/16"), 10); !ok || a.String() != "172.16.0.10" {
		t.Errorf("HostAt = %v %v", a, ok)
	}
	if _, ok := HostAt(mp("172.16.0.0/29"), 8); ok {
		t.Error("HostAt beyond the prefix must fail")
	}
}

func assertDisjoint(t *testing.T, plan map[Role]netip.Prefix) {
	t.Helper()
	for a, pa := range plan {
		for b, pb := range plan {
			if a < b && pa.Overlaps(pb) {
				t.Errorf("%s %s overlaps %s %s", a, pa, b, pb)
			}
		}
	}
}
