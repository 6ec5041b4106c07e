package charts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// service is one entry of platform:services in Pulumi.<env>.yaml.
type service struct {
	Name                 string `yaml:"name"`
	Namespace            string `yaml:"namespace"`
	ServiceAccount       string `yaml:"serviceAccount"`
	DataLake             string `yaml:"dataLake"`
	DocumentIntelligence bool   `yaml:"documentIntelligence"`
}

// environment is what the chart tests need of Pulumi.<env>.yaml: the cluster's Kubernetes
// version and the configured services (read from the file, so the tests follow the config).
type environment struct {
	Name        string
	KubeVersion string
	Services    []service
}

func readEnvironment(t *testing.T, env string) environment {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "Pulumi."+env+".yaml"))
	require.NoError(t, err)
	var file struct {
		Config struct {
			Services []service `yaml:"platform:services"`
			AKS      struct {
				KubernetesVersion string `yaml:"kubernetesVersion"`
			} `yaml:"platform:aks"`
		} `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(data, &file))
	require.NotEmpty(t, file.Config.Services, "Pulumi.%s.yaml has no platform:services", env)
	require.NotEmpty(t, file.Config.AKS.KubernetesVersion, "Pulumi.%s.yaml has no platform:aks.kubernetesVersion", env)
	for i := range file.Config.Services {
		s := &file.Config.Services[i]
		if s.Namespace == "" {
			s.Namespace = s.Name
		}
		if s.ServiceAccount == "" {
			s.ServiceAccount = s.Name
		}
	}
	return environment{Name: env, KubeVersion: file.Config.AKS.KubernetesVersion, Services: file.Config.Services}
}

// Synthetic Azure values, shaped as the flux layer will write them (README.md of the chart,
// "Platform values"). The subnets are the network plan's defaults for 10.40.0.0/16.
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

// platformValues is a synthetic platform-values ConfigMap for one service: what the flux layer
// derives from the stacks' outputs and the service's configuration.
func platformValues(env string, s service) map[string]any {
	p := map[string]any{
		"environment":       env,
		"tenantId":          tenantID,
		"containerRegistry": "saas" + env + "acr.azurecr.io",
		"workloadIdentity":  map[string]any{"clientId": clientID("mi", s.Name), "serviceAccountName": s.ServiceAccount},
		"keyVault":          map[string]any{"name": "kv-saas-" + env, "uri": "https://kv-saas-" + env + ".vault.azure.net/"},
		"auth": map[string]any{
			"metadataUrl":    "https://saascustomers" + env + ".ciamlogin.com/" + externalTenant + "/v2.0/.well-known/openid-configuration",
			"issuer":         "https://" + externalTenant + ".ciamlogin.com/" + externalTenant + "/v2.0",
			"audience":       clientID("api", s.Name),
			"requiredScopes": []any{"access_as_user"},
			"allowedRoles":   []any{"Admin", "User"},
		},
		"corsAllowedOrigins": []any{"https://saas-" + env + ".azurefd.net", "https://app.contoso.example"},
		"network":            map[string]any{"agcSubnetCidr": agcSubnet, "privateEndpointsCidr": privateEPSubnet, "postgresCidr": postgresSubnet},
		"gateway":            map[string]any{"name": "api", "namespace": "gateway"},
	}
	// Which data services a service uses is the platform's knowledge (its identity's roles).
	switch s.Name {
	case "user-service":
		p["postgres"] = map[string]any{"host": "psql-saas-" + env + ".postgres.database.azure.com", "database": "users"}
	case "subscription-service":
		p["sql"] = map[string]any{"host": "sql-saas-" + env + ".database.windows.net", "database": "sqldb-saas-" + env}
	}
	if s.DataLake != "" {
		p["dataLake"] = map[string]any{"dfsEndpoint": "https://stsaas" + env + "lake.dfs.core.windows.net/"}
	}
	if s.DocumentIntelligence {
		p["documentIntelligence"] = map[string]any{"endpoint": "https://di-saas-" + env + ".cognitiveservices.azure.com/"}
	}
	return map[string]any{"platform": p}
}

// releaseValues are the values Flux would give the service's release: the platform ConfigMap
// (valuesFrom) with the HelmRelease's own values merged over it.
func releaseValues(t *testing.T, env string, s service) map[string]any {
	t.Helper()
	own, err := ReadValues(filepath.Join("testdata", "releases", env, s.Name+".yaml"))
	require.NoError(t, err)
	return MergeValues(platformValues(env, s), own)
}

// devKubeVersion is dev's cluster version (platform:aks.kubernetesVersion of Pulumi.dev.yaml),
// for the renders that start from dev's values.
func devKubeVersion(t *testing.T) string {
	t.Helper()
	return readEnvironment(t, "dev").KubeVersion
}
