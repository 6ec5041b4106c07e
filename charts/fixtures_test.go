package charts

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/gitops"
)

// service is one entry of platform:services, with its defaults filled in.
type service = config.Service

// environment is what the chart tests need of an environment's shipped settings
// (Pulumi.<env>.yaml, parsed and validated as the layers see them): the cluster's Kubernetes
// version and the configured services.
type environment struct {
	Name        string
	KubeVersion string
	Services    []service
}

func readEnvironment(t *testing.T, env string) environment {
	t.Helper()
	all, err := config.ReadStackFile(filepath.Join("..", "Pulumi."+env+".yaml"))
	require.NoError(t, err)
	e, _, err := config.Load(all, config.Offline)
	require.NoError(t, err, "Pulumi.%s.yaml", env)
	require.NotEmpty(t, e.Services, "Pulumi.%s.yaml has no services", env)
	return environment{Name: env, KubeVersion: e.AKS.KubernetesVersion, Services: e.Services}
}

// Synthetic Azure values, shaped as the stacks' outputs are (what the flux layer turns into the
// platform values). The subnets are the network plan's defaults for 10.40.0.0/16.
const (
	tenantID        = "11111111-2222-3333-4444-555555555555"
	externalTenant  = "66666666-7777-8888-9999-000000000000"
	agcSubnet       = "10.40.4.0/24"
	privateEPSubnet = "10.40.5.0/24"
	postgresSubnet  = "10.40.6.0/24"
)

// clientID is a per-service fake GUID, distinct for the identity (kind "mi") and the API ("api").
func clientID(kind, svc string) string {
	ids := map[string]string{
		"mi/user-service": "a0000000-0000-0000-0000-000000000001", "api/user-service": "b0000000-0000-0000-0000-000000000001",
		"mi/subscription-service": "a0000000-0000-0000-0000-000000000002", "api/subscription-service": "b0000000-0000-0000-0000-000000000002",
		"mi/llm-service": "a0000000-0000-0000-0000-000000000003", "api/llm-service": "b0000000-0000-0000-0000-000000000003",
	}
	id, ok := ids[kind+"/"+svc]
	if !ok {
		return "c0000000-0000-0000-0000-000000000000"
	}
	return id
}

// platformInputs are synthetic stack outputs of an environment.
func platformInputs(env string) gitops.PlatformInputs {
	return gitops.PlatformInputs{
		Environment:                  env,
		TenantID:                     tenantID,
		ContainerRegistry:            "saas" + env + "acr.azurecr.io",
		KeyVaultName:                 "kv-saas-" + env,
		KeyVaultURI:                  "https://kv-saas-" + env + ".vault.azure.net/",
		SQLServerFQDN:                "sql-saas-" + env + ".database.windows.net",
		SQLDatabase:                  "sqldb-saas-" + env,
		PostgresServerFQDN:           "psql-saas-" + env + ".postgres.database.azure.com",
		DataLakeDFSEndpoint:          "https://stsaas" + env + "lake.dfs.core.windows.net/",
		DocumentIntelligenceEndpoint: "https://di-saas-" + env + ".cognitiveservices.azure.com/",
		ExternalIDTenantID:           externalTenant,
		ExternalIDAuthority:          "https://saascustomers" + env + ".ciamlogin.com/" + externalTenant + "/v2.0",
		RequiredScopes:               []string{"access_as_user"},
		AllowedRoles:                 []string{"Admin", "User"},
		PublicOrigins:                []string{"https://saas-" + env + ".azurefd.net", "https://app.contoso.example"},
		AGCSubnetCIDR:                agcSubnet,
		PrivateEndpointsCIDR:         privateEPSubnet,
		PostgresCIDR:                 postgresSubnet,
	}
}

// platformValues is the platform-values ConfigMap of one service, built by the function the flux
// layer uses (gitops.ServicePlatformValues, then its YAML) from synthetic stack outputs, and read
// back as Helm reads a values file.
func platformValues(t *testing.T, env string, s service) map[string]any {
	t.Helper()
	p, err := gitops.ServicePlatformValues(platformInputs(env), s, clientID("mi", s.Name), clientID("api", s.Name))
	require.NoError(t, err)
	doc, err := p.YAML()
	require.NoError(t, err)
	v, err := chartutil.ReadValues([]byte(doc))
	require.NoError(t, err)
	return v
}

// releaseValues are the values Flux would give the service's release: its platform-values
// ConfigMap (valuesFrom) with the values of its HelmRelease in gitops/clusters/<env>/services
// merged over it.
func releaseValues(t *testing.T, env string, s service) map[string]any {
	t.Helper()
	rels, err := gitops.ServiceReleases("..", env)
	require.NoError(t, err)
	for _, r := range rels {
		if r.Name == s.Name {
			return MergeValues(platformValues(t, env, s), r.Values)
		}
	}
	require.Failf(t, "no HelmRelease", "%s has no HelmRelease in %s", s.Name, gitops.ServicesDir(env))
	return nil
}

// devKubeVersion is dev's cluster version (platform:aks.kubernetesVersion of Pulumi.dev.yaml),
// for the renders that start from dev's values.
func devKubeVersion(t *testing.T) string {
	t.Helper()
	return readEnvironment(t, "dev").KubeVersion
}
