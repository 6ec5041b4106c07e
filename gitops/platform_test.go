package gitops

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/azure-saas-platform/platform/config"
)

const (
	testTenant     = "11111111-2222-3333-4444-555555555555"
	testCIAMTenant = "66666666-7777-8888-9999-000000000000"
)

func testInputs() PlatformInputs {
	return PlatformInputs{
		Environment:                  "dev",
		TenantID:                     testTenant,
		ContainerRegistry:            "acrsaasdev.azurecr.io",
		KeyVaultName:                 "kv-saas-dev",
		KeyVaultURI:                  "https://kv-saas-dev.vault.azure.net/",
		SQLServerFQDN:                "sql-saas-dev.database.windows.net",
		SQLDatabase:                  "app",
		PostgresServerFQDN:           "psql-saas-dev.postgres.database.azure.com",
		DataLakeDFSEndpoint:          "https://stsaasdevlake.dfs.core.windows.net/",
		DocumentIntelligenceEndpoint: "https://di-saas-dev.cognitiveservices.azure.com/",
		ExternalIDTenantID:           testCIAMTenant,
		ExternalIDAuthority:          "https://saascustomersdev.ciamlogin.com/" + testCIAMTenant + "/v2.0",
		RequiredScopes:               []string{"access_as_user"},
		AllowedRoles:                 []string{"Admin", "User"},
		PublicOrigins:                []string{"https://fd.azurefd.net", "https://app.contoso.example"},
		AGCSubnetCIDR:                "10.40.4.0/24",
		PrivateEndpointsCIDR:         "10.40.5.0/26",
		PostgresCIDR:                 "10.40.5.64/28",
	}
}

// The exact document a service's ConfigMap holds: every key of the contract, in its order, the
// data services its configuration names and nothing else, the issuer External ID puts in iss.
func TestServicePlatformValuesYAML(t *testing.T) {
	s := config.Service{Name: "user-service", Namespace: "users", ServiceAccount: "user-service", DataLake: config.DataLakeReadWrite, PostgresDatabase: "users"}
	p, err := ServicePlatformValues(testInputs(), s, "a0000000-0000-0000-0000-000000000001", "b0000000-0000-0000-0000-000000000001")
	require.NoError(t, err)
	got, err := p.YAML()
	require.NoError(t, err)
	assert.Equal(t, `# Written by the flux layer (Pulumi) from the stacks' outputs; changes here are overwritten.
platform:
  environment: dev
  tenantId: 11111111-2222-3333-4444-555555555555
  containerRegistry: acrsaasdev.azurecr.io
  workloadIdentity:
    clientId: a0000000-0000-0000-0000-000000000001
    serviceAccountName: user-service
  keyVault:
    name: kv-saas-dev
    uri: https://kv-saas-dev.vault.azure.net/
  sql:
    host: ""
    database: ""
  postgres:
    host: psql-saas-dev.postgres.database.azure.com
    database: users
  dataLake:
    dfsEndpoint: https://stsaasdevlake.dfs.core.windows.net/
  documentIntelligence:
    endpoint: ""
  auth:
    metadataUrl: https://saascustomersdev.ciamlogin.com/66666666-7777-8888-9999-000000000000/v2.0/.well-known/openid-configuration
    issuer: https://66666666-7777-8888-9999-000000000000.ciamlogin.com/66666666-7777-8888-9999-000000000000/v2.0
    audience: b0000000-0000-0000-0000-000000000001
    requiredScopes:
      - access_as_user
    allowedRoles:
      - Admin
      - User
  corsAllowedOrigins:
    - https://fd.azurefd.net
    - https://app.contoso.example
  network:
    agcSubnetCidr: 10.40.4.0/24
    privateEndpointsCidr: 10.40.5.0/26
    postgresCidr: 10.40.5.64/28
  gateway:
    name: api
    namespace: gateway
`, got)
}

// Which data services a release gets follows the service's configuration, each independently.
func TestServicePlatformValuesFollowConfig(t *testing.T) {
	in := testInputs()
	for _, c := range []struct {
		name    string
		service config.Service
		want    func(p PlatformValues) bool
	}{
		{"nothing", config.Service{Name: "a", DataLake: config.DataLakeNone}, func(p PlatformValues) bool {
			return p.SQL == PlatformDatabase{} && p.Postgres == PlatformDatabase{} && p.DataLake == PlatformDataLake{} && p.DocumentIntelligence == PlatformEndpoint{}
		}},
		{"sql", config.Service{Name: "a", SQL: true}, func(p PlatformValues) bool {
			return p.SQL == PlatformDatabase{Host: in.SQLServerFQDN, Database: in.SQLDatabase} && p.Postgres == PlatformDatabase{}
		}},
		{"postgres", config.Service{Name: "a", PostgresDatabase: "orders"}, func(p PlatformValues) bool {
			return p.Postgres == PlatformDatabase{Host: in.PostgresServerFQDN, Database: "orders"} && p.SQL == PlatformDatabase{}
		}},
		{"data lake read", config.Service{Name: "a", DataLake: config.DataLakeRead}, func(p PlatformValues) bool {
			return p.DataLake.DFSEndpoint == in.DataLakeDFSEndpoint
		}},
		{"document intelligence", config.Service{Name: "a", DocumentIntelligence: true}, func(p PlatformValues) bool {
			return p.DocumentIntelligence.Endpoint == in.DocumentIntelligenceEndpoint && p.DataLake == PlatformDataLake{}
		}},
	} {
		p, err := ServicePlatformValues(in, c.service, "c", "d")
		require.NoError(t, err, c.name)
		assert.True(t, c.want(p), "%s: %+v", c.name, p)
	}
}

// Without External ID (mode disabled) a release gets no auth block at all, which the chart accepts;
// with it, every service gets the same issuer and metadata URL and its own audience.
func TestServicePlatformValuesAuth(t *testing.T) {
	in := testInputs()
	in.ExternalIDTenantID, in.ExternalIDAuthority = "", ""
	p, err := ServicePlatformValues(in, config.Service{Name: "a"}, "c", "")
	require.NoError(t, err)
	assert.Equal(t, PlatformAuth{}, p.Auth)
	doc, err := p.YAML()
	require.NoError(t, err)
	var parsed map[string]map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(doc), &parsed))
	assert.Equal(t, map[string]any{"metadataUrl": "", "issuer": "", "audience": "", "requiredScopes": []any{}, "allowedRoles": []any{}}, parsed["platform"]["auth"])

	// External ID on, but the API registration's client ID missing: refused, not half an auth block.
	p, err = ServicePlatformValues(testInputs(), config.Service{Name: "a"}, "c", "")
	require.NoError(t, err)
	_, err = p.YAML()
	assert.ErrorContains(t, err, "platform.auth.audience is empty")
}

func TestPlatformValuesYAMLRefuses(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(p *PlatformValues)
		wants []string
	}{
		{"issuer only", func(p *PlatformValues) { p.Auth = PlatformAuth{Issuer: "https://x"} }, []string{"platform.auth.metadataUrl is empty", "platform.auth.audience is empty"}},
		{"empty scope", func(p *PlatformValues) { p.Auth.RequiredScopes = []string{"access_as_user", " "} }, []string{"platform.auth.requiredScopes[1] is empty"}},
		{"empty origin", func(p *PlatformValues) { p.CORSAllowedOrigins = []string{""} }, []string{"platform.corsAllowedOrigins[0] is empty"}},
	} {
		p, err := ServicePlatformValues(testInputs(), config.Service{Name: "a"}, "c", "d")
		require.NoError(t, err)
		c.edit(&p)
		_, err = p.YAML()
		for _, w := range c.wants {
			assert.ErrorContains(t, err, w, c.name)
		}
	}
}

func TestExternalIDEndpoints(t *testing.T) {
	const tenant = "66666666-7777-8888-9999-000000000000"
	for _, c := range []struct {
		name, tenant, authority string
		metadata, issuer, err   string
	}{
		{"subdomain authority", tenant, "https://saascustomers.ciamlogin.com/" + tenant + "/v2.0",
			"https://saascustomers.ciamlogin.com/" + tenant + "/v2.0/.well-known/openid-configuration", "https://" + tenant + ".ciamlogin.com/" + tenant + "/v2.0", ""},
		{"tenant ID as the host (mode existing without subdomain)", tenant, "https://" + tenant + ".ciamlogin.com/" + tenant + "/v2.0",
			"https://" + tenant + ".ciamlogin.com/" + tenant + "/v2.0/.well-known/openid-configuration", "https://" + tenant + ".ciamlogin.com/" + tenant + "/v2.0", ""},
		{"upper-case tenant ID", "66666666-7777-8888-9999-00000000000A", "https://x.ciamlogin.com/66666666-7777-8888-9999-00000000000a/v2.0",
			"https://x.ciamlogin.com/66666666-7777-8888-9999-00000000000a/v2.0/.well-known/openid-configuration", "https://66666666-7777-8888-9999-00000000000a.ciamlogin.com/66666666-7777-8888-9999-00000000000a/v2.0", ""},
		{"disabled", "", "", "", "", ""},
		{"workforce authority", tenant, "https://login.microsoftonline.com/" + tenant + "/v2.0", "", "", "want https://<subdomain>.ciamlogin.com/<tenant ID>/v2.0"},
		{"another tenant", tenant, "https://x.ciamlogin.com/11111111-2222-3333-4444-555555555555/v2.0", "", "", "names tenant"},
		{"v1 authority", tenant, "https://x.ciamlogin.com/" + tenant, "", "", "want https://"},
		{"authority without tenant ID", "", "https://x.ciamlogin.com/" + tenant + "/v2.0", "", "", "want a GUID"},
		{"tenant ID without authority", tenant, "", "", "", "want https://"},
	} {
		metadata, issuer, err := ExternalIDEndpoints(c.tenant, c.authority)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err, c.name)
			continue
		}
		require.NoError(t, err, c.name)
		assert.Equal(t, c.metadata, metadata, c.name)
		assert.Equal(t, c.issuer, issuer, c.name)
	}
}
