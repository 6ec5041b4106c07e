package check

import (
	"strings"
	"testing"
)

func TestGUID(t *testing.T) {
	for s, want := range map[string]bool{
		"11111111-1111-1111-1111-111111111111":   true,
		"ABCDEF01-2345-6789-abcd-ef0123456789":   true,
		"11111111-1111-1111-1111-11111111111":    false,
		"{11111111-1111-1111-1111-111111111111}": false,
		"admins":                                 false, "": false,
	} {
		if got := GUID(s); got != want {
			t.Errorf("GUID(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSQLServerlessSKU(t *testing.T) {
	for _, tc := range []struct {
		sku    string
		vCores int
		ok     bool
	}{
		{"GP_S_Gen5_1", 1, true}, {"GP_S_Gen5_2", 2, true}, {"GP_S_Gen5_80", 80, true},
		{"GP_S_Gen5_3", 0, false}, // no such SKU
		{"GP_S_Gen5_", 0, false}, {"GP_Gen5_2", 0, false}, {"gp_s_gen5_2", 0, false}, {"S0", 0, false},
	} {
		n, ok := SQLServerlessSKU(tc.sku)
		if n != tc.vCores || ok != tc.ok {
			t.Errorf("SQLServerlessSKU(%q) = %d, %v; want %d, %v", tc.sku, n, ok, tc.vCores, tc.ok)
		}
	}
}

func TestStorageRules(t *testing.T) {
	if !StorageReplication("Standard_GZRS") || StorageReplication("Premium_LRS") || StorageReplication("standard_lrs") {
		t.Error("StorageReplication accepts the wrong SKUs")
	}
	for s, want := range map[string]bool{"documents": true, "a-b": true, "a-b-c": true, strings.Repeat("a", 63): true, "ab": false, "Docs": false, "a--b": false, "-ab": false, "ab-": false, strings.Repeat("a", 64): false} {
		if got := StorageContainer(s); got != want {
			t.Errorf("StorageContainer(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestCIAMDomain(t *testing.T) {
	for s, want := range map[string]bool{"saascustomers": true, "a": true, "Has-Dash": false, "": false, strings.Repeat("a", 27): false} {
		if got := CIAMDomain(s); got != want {
			t.Errorf("CIAMDomain(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSPARedirectURI(t *testing.T) {
	for _, tc := range []struct {
		uri  string
		want string // fragment of the error; "" means accepted
	}{
		{"https://app.example.com/", ""},
		{"https://app.example.com/auth/callback", ""},
		{"http://localhost:5173/", ""},
		{"http://localhost/", ""},
		{"http://127.0.0.1:3000/cb", ""},
		{"http://localhost.evil.example/", "only allowed for localhost"},
		{"http://localhostevil.example/", "only allowed for localhost"},
		{"http://app.example.com/", "only allowed for localhost"},
		{"http://localhost@evil.example/", "no user information"},
		{"https://app.example.com", "add a path"},
		{"http://localhost:5173", "add a path"},
		{"ftp://app.example.com/", "want https://"},
		{"app.example.com/", "want https://"},
		{"https:///path", "with a host"},
		{"http://localhost:5173.evil.example/", "not a URI"},
	} {
		err := SPARedirectURI(tc.uri)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q refused: %v", tc.uri, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want one mentioning %q", tc.uri, err, tc.want)
		}
	}
}

func TestMobileRedirectURI(t *testing.T) {
	for s, ok := range map[string]bool{
		"com.contoso.saas://callback": true, "msauth.com.example.app://auth": true,
		"callback": false, "com.example.app:/callback": false, "http://localhost/": false, "": false,
	} {
		if err := MobileRedirectURI(s); (err == nil) != ok {
			t.Errorf("MobileRedirectURI(%q) = %v, want accepted %v", s, err, ok)
		}
	}
}
