package naming

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestName(t *testing.T) {
	dev := Namer{Prefix: "saas", Environment: "dev", Location: "westeurope"}
	withSuffix := Namer{Prefix: "saas", Environment: "prod", Location: "swedencentral", Suffix: "x7"}
	staging := Namer{Prefix: "saas", Environment: "staging", Location: "westeurope", Suffix: "k3x9"}
	tests := []struct {
		namer Namer
		kind  Kind
		role  string
		want  string
	}{
		{dev, ResourceGroup, "", "rg-saas-dev-weu"},
		{dev, ResourceGroup, "network", "rg-saas-dev-weu-network"},
		{dev, VirtualNetwork, "", "vnet-saas-dev-weu"},
		{dev, Subnet, "nodes", "snet-saas-dev-weu-nodes"},
		{dev, KeyVault, "", "kv-saas-dev-weu"},
		{dev, StorageAccount, "spa", "stsaasdevweuspa"},
		{dev, StorageAccount, "data-lake", "stsaasdevweudatalake"},
		{dev, ContainerRegistry, "", "crsaasdevweu"},
		{dev, FrontDoorWAFPolicy, "edge", "wafsaasdevweuedge"},
		{dev, SQLServer, "", "sql-saas-dev-weu"},
		{dev, PostgresServer, "", "psql-saas-dev-weu"},
		{dev, ManagedIdentity, "user-service", "id-saas-dev-weu-user-service"},
		// Global names carry the suffix; others never do.
		{withSuffix, KeyVault, "", "kv-saas-prod-sdc-x7"},
		{withSuffix, StorageAccount, "spa", "stsaasprodsdcspax7"},
		{withSuffix, ContainerRegistry, "", "crsaasprodsdcx7"},
		{withSuffix, VirtualNetwork, "", "vnet-saas-prod-sdc"},
		// A longer environment name takes its place in every name; the global names reach 24
		// characters exactly with saas, staging, weu and a 4-character suffix.
		{staging, ResourceGroup, "", "rg-saas-staging-weu"},
		{staging, KeyVault, "", "kv-saas-staging-weu-k3x9"},
		{staging, StorageAccount, "data", "stsaasstagingweudatak3x9"},
		{staging, AKSCluster, "", "aks-saas-staging-weu"},
		// Upper case in the prefix is lowered where the type demands it.
		{Namer{Prefix: "Saas", Environment: "dev", Location: "eastus2"}, StorageAccount, "", "stsaasdeveus2"},
		{Namer{Prefix: "Saas", Environment: "dev", Location: "eastus2"}, VirtualNetwork, "", "vnet-Saas-dev-eus2"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.want, func(t *testing.T) {
			got, err := tt.namer.Name(tt.kind, tt.role)
			require.NoError(t, err, "Name(%s, %q)", tt.kind, tt.role)
			assert.Equal(t, tt.want, got, "Name(%s, %q)", tt.kind, tt.role)
			again, _ := tt.namer.Name(tt.kind, tt.role)
			assert.Equal(t, got, again, "not deterministic")
		})
	}
}

func TestNameBreaksRule(t *testing.T) {
	long := Namer{Prefix: "contosoplatform", Environment: "prod", Location: "germanywestcentral"}
	tests := []struct {
		name  string
		namer Namer
		kind  Kind
		role  string
		want  string // substring of the error
	}{
		{"storage over 24", long, StorageAccount, "datalake", `"stcontosoplatformprodgwcdatalake"`},
		{"key vault over 24", long, KeyVault, "", "3-24"},
		// The same pair in a region with a 4-letter code is one character too long.
		{"long environment name, storage over 24", Namer{Prefix: "saas", Environment: "staging", Location: "eastus2", Suffix: "k3x9"}, StorageAccount, "data", `"stsaasstagingeus2datak3x9"`},
		{"long environment name, key vault over 24", Namer{Prefix: "saas", Environment: "staging", Location: "eastus2", Suffix: "k3x9"}, KeyVault, "", `"kv-saas-staging-eus2-k3x9"`},
		{"acr hyphen in prefix dropped but too long", Namer{Prefix: "a", Environment: "dev", Location: "westeurope"}, ContainerRegistry, "", ""},
		{"key vault double hyphen", Namer{Prefix: "x-", Environment: "dev", Location: "westeurope"}, KeyVault, "", "no '--'"},
		{"storage underscore", Namer{Prefix: "a_b", Environment: "dev", Location: "westeurope"}, StorageAccount, "", "lowercase letters and digits only"},
		{"unknown location", Namer{Prefix: "saas", Environment: "dev", Location: "mars"}, VirtualNetwork, "", "unknown location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.namer.Name(tt.kind, tt.role)
			if tt.want == "" { // "cradevweu" is 9 characters: valid, proves a short prefix passes
				require.NoError(t, err, "unexpected error for %q", got)
				return
			}
			require.Error(t, err, "Name(%s) = %q, want an error containing %s", tt.kind, got, tt.want)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestNameErrorNamesKindAndRule(t *testing.T) {
	_, err := Namer{Prefix: "averyverylongprefix", Environment: "dev", Location: "westeurope"}.Name(KeyVault, "")
	var ne *Error
	require.True(t, errors.As(err, &ne), "want *Error, got %v", err)
	assert.Equal(t, KeyVault, ne.Kind, "error kind")
	assert.Equal(t, "kv-averyverylongprefix-dev-weu", ne.Name, "error name")
	assert.Equal(t, 24, ne.Rule.Max, "error rule max")
}

func TestCheckBoundaries(t *testing.T) {
	tests := []struct {
		kind Kind
		name string
		ok   bool
	}{
		{StorageAccount, "abc", true},
		{StorageAccount, "ab", false},
		{StorageAccount, strings.Repeat("a", 24), true},
		{StorageAccount, strings.Repeat("a", 25), false},
		{StorageAccount, "Abc", false},
		{KeyVault, "kv1", true},
		{KeyVault, "1kv", false},
		{KeyVault, "kv-", false},
		{ContainerRegistry, "abcd", false},
		{ContainerRegistry, "abcde", true},
		{ContainerRegistry, strings.Repeat("a", 51), false},
		{ContainerRegistry, "ab-cd", false},
		{AgentPool, "system", true},
		{AgentPool, "1pool", false},
		{AgentPool, "thirteenchars", false},
		{FrontDoorWAFPolicy, "waf1", true},
		{FrontDoorWAFPolicy, "waf-1", false},
		{SQLServer, "sql-a", true},
		{SQLServer, "-sql", false},
		{PostgresServer, "ps", false},
		{FrontDoorEndpoint, strings.Repeat("a", 47), false},
		{DataCollectionEndpoint, strings.Repeat("a", 44), true},
		{DataCollectionEndpoint, strings.Repeat("a", 45), false},
		{DataCollectionEndpoint, "dce_prom", false},
		{DataCollectionRule, strings.Repeat("a", 64), true},
		{DataCollectionRule, strings.Repeat("a", 65), false},
		{DataCollectionRule, "dcr-", false},
		{FederatedCredential, FederatedCredentialName("flux-system", "source-controller"), true},
		{FederatedCredential, FederatedCredentialName(strings.Repeat("n", 63), strings.Repeat("s", 63)), false},
		{FederatedCredential, "_x1", false},
	}
	for _, tt := range tests {
		err := Check(tt.kind, tt.name)
		if tt.ok {
			assert.NoError(t, err, "Check(%s, %q)", tt.kind, tt.name)
		} else {
			assert.Error(t, err, "Check(%s, %q)", tt.kind, tt.name)
		}
	}
}

func TestEveryKindHasAUsableRule(t *testing.T) {
	n := Namer{Prefix: "saas", Environment: "dev", Location: "westeurope"}
	for kind, rule := range Rules {
		assert.GreaterOrEqual(t, rule.Min, 1, "%s: incomplete rule %+v: Min", kind, rule)
		assert.GreaterOrEqual(t, rule.Max, rule.Min, "%s: incomplete rule %+v: Max", kind, rule)
		assert.NotNil(t, rule.Pattern, "%s: incomplete rule %+v: Pattern", kind, rule)
		assert.NotEmpty(t, rule.Allowed, "%s: incomplete rule %+v: Allowed", kind, rule)
		if kind == AgentPool || kind == FluxConfiguration {
			continue // named without the prefix pattern
		}
		_, err := n.Name(kind, "app")
		assert.NoError(t, err, "%s: a typical name is rejected", kind)
	}
}

func TestAgentPoolName(t *testing.T) {
	got, err := AgentPoolName("sys-tem")
	if assert.NoError(t, err, "AgentPoolName(sys-tem)") {
		assert.Equal(t, "system", got, "AgentPoolName(sys-tem)")
	}
	_, err = AgentPoolName("averylongpoolname")
	assert.Error(t, err, "want an error for a 17-character pool name")
}

func TestRegionCodes(t *testing.T) {
	seen := map[string]string{}
	for _, l := range Locations() {
		code, ok := RegionCode(l)
		require.True(t, ok, "location %s has no code", l)
		require.NotEmpty(t, code, "location %s has no code", l)
		other, dup := seen[code]
		assert.False(t, dup, "code %s used by %s and %s", code, other, l)
		seen[code] = l
	}
}

func TestGUID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a := GUID("scope", "role", "principal")
	assert.Regexp(t, re, a, "not a version-5 GUID")
	assert.Equal(t, a, GUID("scope", "role", "principal"), "GUID is not deterministic")
	assert.NotEqual(t, a, GUID("scope", "role", "other"), "GUID collides for different inputs")
	assert.NotEqual(t, a, GUID("scoper", "ole", "principal"), "GUID collides for different inputs (parts must be separated)")
}
