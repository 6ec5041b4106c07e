package check

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGUID(t *testing.T) {
	for s, want := range map[string]bool{
		"11111111-1111-1111-1111-111111111111":   true,
		"ABCDEF01-2345-6789-abcd-ef0123456789":   true,
		"11111111-1111-1111-1111-11111111111":    false,
		"{11111111-1111-1111-1111-111111111111}": false,
		"admins":                                 false, "": false,
	} {
		assert.Equal(t, want, GUID(s), "GUID(%q)", s)
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
		assert.Equal(t, [2]any{tc.vCores, tc.ok}, [2]any{n, ok}, "SQLServerlessSKU(%q): vCores, ok", tc.sku)
	}
}

func TestStorageRules(t *testing.T) {
	assert.True(t, StorageReplication("Standard_GZRS"), "StorageReplication(Standard_GZRS)")
	assert.False(t, StorageReplication("Premium_LRS"), "StorageReplication(Premium_LRS)")
	assert.False(t, StorageReplication("standard_lrs"), "StorageReplication(standard_lrs)")
	for s, want := range map[string]bool{"documents": true, "a-b": true, "a-b-c": true, strings.Repeat("a", 63): true, "ab": false, "Docs": false, "a--b": false, "-ab": false, "ab-": false, strings.Repeat("a", 64): false} {
		assert.Equal(t, want, StorageContainer(s), "StorageContainer(%q)", s)
	}
}

func TestCIAMDomain(t *testing.T) {
	for s, want := range map[string]bool{"saascustomers": true, "a": true, "Has-Dash": false, "": false, strings.Repeat("a", 27): false} {
		assert.Equal(t, want, CIAMDomain(s), "CIAMDomain(%q)", s)
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
		if tc.want == "" {
			assert.NoError(t, err, "%q refused", tc.uri)
		} else {
			assert.ErrorContains(t, err, tc.want, "%q", tc.uri)
		}
	}
}

func TestMobileRedirectURI(t *testing.T) {
	for s, ok := range map[string]bool{
		"com.contoso.saas://callback": true, "msauth.com.example.app://auth": true,
		"callback": false, "com.example.app:/callback": false, "http://localhost/": false, "": false,
	} {
		err := MobileRedirectURI(s)
		if ok {
			assert.NoError(t, err, "MobileRedirectURI(%q)", s)
		} else {
			assert.Error(t, err, "MobileRedirectURI(%q)", s)
		}
	}
}
