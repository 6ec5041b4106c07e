package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/azure-saas-platform/platform/config"
)

// What the flux layer writes into the cluster for the tree (docs/flux.md, "Values only Azure
// knows"): one ConfigMap of cluster values, which every Flux kustomization reads with
// postBuild.substituteFrom, and one ConfigMap of platform values per service, which the service's
// HelmRelease reads with valuesFrom. All of them live in FluxNamespace: the extension's
// multi-tenancy lockdown refuses cross-namespace references.
const (
	// FluxNamespace is the namespace of the Flux controllers and of every Flux object.
	FluxNamespace = "flux-system"
	// ClusterValuesConfigMap holds the post-build variables (the flux layer's Substitutions).
	ClusterValuesConfigMap = "cluster-values"
	// PlatformValuesKey is the key of a platform-values ConfigMap that holds the values document
	// (the HelmRelease's valuesFrom valuesKey).
	PlatformValuesKey = "values.yaml"
	// GatewayName and GatewayNamespace name the platform's API Gateway
	// (infrastructure/gateway/http/gateway.yaml), which the services' HTTPRoutes attach to.
	GatewayName      = "api"
	GatewayNamespace = "gateway"
	// GatewayAccessLabel, set to GatewayName on a namespace, lets its HTTPRoutes attach to the
	// Gateway (its listeners' allowedRoutes selector).
	GatewayAccessLabel = "gateway-access"
)

// PlatformValuesConfigMap is the name of the ConfigMap in FluxNamespace that holds a service's
// platform values.
func PlatformValuesConfigMap(service string) string { return service + "-platform-values" }

// PlatformValues are the values only Azure knows that one service's release gets: the
// microservice chart's `platform:` contract (charts/microservice/README.md, "Platform values"),
// every key always present, "" (or an empty list) where the service has none.
type PlatformValues struct {
	Environment          string             `yaml:"environment"`
	TenantID             string             `yaml:"tenantId"`
	ContainerRegistry    string             `yaml:"containerRegistry"`
	WorkloadIdentity     PlatformIdentity   `yaml:"workloadIdentity"`
	KeyVault             PlatformKeyVault   `yaml:"keyVault"`
	SQL                  PlatformDatabase   `yaml:"sql"`
	Postgres             PlatformDatabase   `yaml:"postgres"`
	DataLake             PlatformDataLake   `yaml:"dataLake"`
	DocumentIntelligence PlatformEndpoint   `yaml:"documentIntelligence"`
	Auth                 PlatformAuth       `yaml:"auth"`
	CORSAllowedOrigins   []string           `yaml:"corsAllowedOrigins"`
	Network              PlatformNetwork    `yaml:"network"`
	Gateway              PlatformGatewayRef `yaml:"gateway"`
}

// PlatformIdentity is the service's workload identity.
type PlatformIdentity struct {
	// ClientID of the service's user-assigned managed identity.
	ClientID string `yaml:"clientId"`
	// ServiceAccountName is the service account its federated credential names.
	ServiceAccountName string `yaml:"serviceAccountName"`
}

// PlatformKeyVault is the platform's Key Vault.
type PlatformKeyVault struct {
	Name string `yaml:"name"`
	URI  string `yaml:"uri"`
}

// PlatformDatabase is a database server's host name and the service's database on it.
type PlatformDatabase struct {
	Host     string `yaml:"host"`
	Database string `yaml:"database"`
}

// PlatformDataLake is the data lake's dfs endpoint.
type PlatformDataLake struct {
	DFSEndpoint string `yaml:"dfsEndpoint"`
}

// PlatformEndpoint is a service endpoint (Document Intelligence).
type PlatformEndpoint struct {
	Endpoint string `yaml:"endpoint"`
}

// PlatformAuth is what the service checks in the access tokens of Entra External ID.
type PlatformAuth struct {
	// MetadataURL is the tenant's OpenID configuration (signing keys through its jwks_uri).
	MetadataURL string `yaml:"metadataUrl"`
	// Issuer is the iss the service accepts.
	Issuer string `yaml:"issuer"`
	// Audience is the aud the service accepts: its API registration's client ID.
	Audience       string   `yaml:"audience"`
	RequiredScopes []string `yaml:"requiredScopes"`
	AllowedRoles   []string `yaml:"allowedRoles"`
}

// PlatformNetwork are the subnets the service's NetworkPolicy admits or reaches.
type PlatformNetwork struct {
	AGCSubnetCIDR        string `yaml:"agcSubnetCidr"`
	PrivateEndpointsCIDR string `yaml:"privateEndpointsCidr"`
	PostgresCIDR         string `yaml:"postgresCidr"`
}

// PlatformGatewayRef names the Gateway the service's HTTPRoute attaches to.
type PlatformGatewayRef struct {
	Name      string `yaml:"name"`
	Namespace string `yaml:"namespace"`
}

// YAML is the document the service's platform-values ConfigMap holds under PlatformValuesKey: the
// single top-level key `platform` with every key of the contract, in the contract's order, so that
// the same values always give the same bytes. It refuses what the chart's schema would refuse only
// at the HelmRelease's next reconciliation: an incomplete auth block, a list entry that is empty.
func (p PlatformValues) YAML() (string, error) {
	var errs []error
	a := p.Auth
	set := map[string]bool{"metadataUrl": a.MetadataURL != "", "issuer": a.Issuer != "", "audience": a.Audience != ""}
	if set["metadataUrl"] || set["issuer"] || set["audience"] {
		for _, k := range []string{"metadataUrl", "issuer", "audience"} {
			if !set[k] {
				errs = append(errs, fmt.Errorf("gitops: platform.auth.%s is empty: auth is all of metadataUrl, issuer and audience, or none", k))
			}
		}
	}
	for key, list := range map[string][]string{"auth.requiredScopes": a.RequiredScopes, "auth.allowedRoles": a.AllowedRoles, "corsAllowedOrigins": p.CORSAllowedOrigins} {
		for i, v := range list {
			if strings.TrimSpace(v) == "" {
				errs = append(errs, fmt.Errorf("gitops: platform.%s[%d] is empty", key, i))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	// Lists are never null: the chart joins them into environment variables.
	nonNil := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	p.Auth.RequiredScopes = nonNil(p.Auth.RequiredScopes)
	p.Auth.AllowedRoles = nonNil(p.Auth.AllowedRoles)
	p.CORSAllowedOrigins = nonNil(p.CORSAllowedOrigins)

	var b bytes.Buffer
	b.WriteString("# Written by the flux layer (Pulumi) from the stacks' outputs; changes here are overwritten.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		Platform PlatformValues `yaml:"platform"`
	}{p}); err != nil {
		return "", fmt.Errorf("gitops: platform values: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("gitops: platform values: %w", err)
	}
	return b.String(), nil
}

// PlatformInputs are what every service's platform values are derived from: the environment's
// settings and the stacks' outputs, as plain values.
type PlatformInputs struct {
	// Environment is the environment's name (config Env.Environment).
	Environment string
	// TenantID is the Entra tenant of the managed identities and the Key Vault.
	TenantID string
	// ContainerRegistry is the ACR login server.
	ContainerRegistry string
	// KeyVaultName and KeyVaultURI are the platform Key Vault's.
	KeyVaultName, KeyVaultURI string
	// SQLServerFQDN and SQLDatabase are the Azure SQL server's host name and its database.
	SQLServerFQDN, SQLDatabase string
	// PostgresServerFQDN is the PostgreSQL Flexible Server's host name.
	PostgresServerFQDN string
	// DataLakeDFSEndpoint is the data lake's dfs endpoint.
	DataLakeDFSEndpoint string
	// DocumentIntelligenceEndpoint is Document Intelligence's endpoint.
	DocumentIntelligenceEndpoint string
	// ExternalIDTenantID and ExternalIDAuthority are the identity layer's External ID outputs
	// (both "" when External ID is disabled).
	ExternalIDTenantID, ExternalIDAuthority string
	// RequiredScopes and AllowedRoles are the delegated scopes and app roles every API
	// registration defines.
	RequiredScopes, AllowedRoles []string
	// PublicOrigins are the https origins the SPA is served from.
	PublicOrigins []string
	// AGCSubnetCIDR, PrivateEndpointsCIDR and PostgresCIDR are the network plan's subnets.
	AGCSubnetCIDR, PrivateEndpointsCIDR, PostgresCIDR string
}

// ServicePlatformValues derives one service's platform values: its identity (clientID, the
// client ID of its managed identity) and service account, its API registration (apiClientID, the
// audience of its tokens), and the data services its configuration gives it (services[].sql,
// postgresDatabase, dataLake, documentIntelligence); everything else is the environment's.
func ServicePlatformValues(in PlatformInputs, s config.Service, clientID, apiClientID string) (PlatformValues, error) {
	metadataURL, issuer, err := ExternalIDEndpoints(in.ExternalIDTenantID, in.ExternalIDAuthority)
	if err != nil {
		return PlatformValues{}, fmt.Errorf("service %s: %w", s.Name, err)
	}
	p := PlatformValues{
		Environment:        in.Environment,
		TenantID:           in.TenantID,
		ContainerRegistry:  in.ContainerRegistry,
		WorkloadIdentity:   PlatformIdentity{ClientID: clientID, ServiceAccountName: s.ServiceAccount},
		KeyVault:           PlatformKeyVault{Name: in.KeyVaultName, URI: in.KeyVaultURI},
		CORSAllowedOrigins: append([]string{}, in.PublicOrigins...),
		Network: PlatformNetwork{
			AGCSubnetCIDR:        in.AGCSubnetCIDR,
			PrivateEndpointsCIDR: in.PrivateEndpointsCIDR,
			PostgresCIDR:         in.PostgresCIDR,
		},
		Gateway: PlatformGatewayRef{Name: GatewayName, Namespace: GatewayNamespace},
	}
	if s.SQL {
		p.SQL = PlatformDatabase{Host: in.SQLServerFQDN, Database: in.SQLDatabase}
	}
	if s.PostgresDatabase != "" {
		p.Postgres = PlatformDatabase{Host: in.PostgresServerFQDN, Database: s.PostgresDatabase}
	}
	if s.DataLake != "" && s.DataLake != config.DataLakeNone {
		p.DataLake = PlatformDataLake{DFSEndpoint: in.DataLakeDFSEndpoint}
	}
	if s.DocumentIntelligence {
		p.DocumentIntelligence = PlatformEndpoint{Endpoint: in.DocumentIntelligenceEndpoint}
	}
	if issuer != "" {
		p.Auth = PlatformAuth{
			MetadataURL:    metadataURL,
			Issuer:         issuer,
			Audience:       apiClientID,
			RequiredScopes: append([]string{}, in.RequiredScopes...),
			AllowedRoles:   append([]string{}, in.AllowedRoles...),
		}
	}
	return p, nil
}

var (
	guid          = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	ciamAuthority = regexp.MustCompile(`^https://([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.ciamlogin\.com/([^/]+)/v2\.0$`)
)

// ExternalIDEndpoints derives what a service needs to validate the access tokens of an Entra External
// ID tenant from the identity layer's contract (its tenant ID and authority,
// https://<subdomain>.ciamlogin.com/<tenant ID>/v2.0): the OpenID metadata URL, which is the
// authority's, and the issuer, which is not: External ID's v2 tokens carry
// iss = https://<tenant ID>.ciamlogin.com/<tenant ID>/v2.0 whatever host the client signed in at
// (Microsoft identity platform, "Access tokens": the issuer of a CIAM tenant uses the tenant ID as
// its subdomain). Both empty (External ID disabled) gives both empty; anything else that is not a
// ciamlogin.com authority of that very tenant is an error, so a wrong issuer never reaches a
// service that would then refuse every token.
func ExternalIDEndpoints(tenantID, authority string) (metadataURL, issuer string, err error) {
	if tenantID == "" && authority == "" {
		return "", "", nil
	}
	var errs []error
	if !guid.MatchString(tenantID) {
		errs = append(errs, fmt.Errorf("gitops: External ID tenant ID %q: want a GUID", tenantID))
	}
	m := ciamAuthority.FindStringSubmatch(authority)
	switch {
	case m == nil:
		errs = append(errs, fmt.Errorf("gitops: External ID authority %q: want https://<subdomain>.ciamlogin.com/<tenant ID>/v2.0", authority))
	case !strings.EqualFold(m[3], tenantID):
		errs = append(errs, fmt.Errorf("gitops: External ID authority %q names tenant %q, not the tenant ID %q", authority, m[3], tenantID))
	}
	if err := errors.Join(errs...); err != nil {
		return "", "", err
	}
	tenant := strings.ToLower(tenantID)
	return authority + "/.well-known/openid-configuration", "https://" + tenant + ".ciamlogin.com/" + tenant + "/v2.0", nil
}
