package tests

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/kubeconfig"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
)

// secretInput returns the plain value of a secret input, failing when the input is not a secret.
func secretInput(t *testing.T, r *offline.Resource, key string) string {
	t.Helper()
	v, ok := r.Inputs[resource.PropertyKey(key)]
	require.True(t, ok, "%s: no input %s", r.Key(), key)
	require.True(t, v.IsSecret(), "%s: input %s is not a secret", r.Key(), key)
	inner := v.SecretValue().Element
	require.True(t, inner.IsString(), "%s: input %s is not a string", r.Key(), key)
	return inner.StringValue()
}

// The Kubernetes provider signs in with Entra ID: its kubeconfig (a secret) comes from the
// cluster's user credentials (the one invoke asked for, never the admin ones) and has a single
// user, the kubelogin exec plugin with the configured login and AKS's server app ID; no
// certificate, token or password. It is replaced only with the cluster.
func TestFluxKubernetesProvider(t *testing.T) {
	for name, c := range map[string]struct {
		env       string
		overrides map[string]string
		login     string
	}{
		"dev":                        {"dev", nil, "azurecli"},
		"prod":                       {"prod", nil, "azurecli"},
		"dev with workload identity": {"dev", fluxOverride(t, "dev", map[string]any{"clusterLogin": "workloadidentity"}), "workloadidentity"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, s := runFlux(t, c.env, c.overrides)
			p := Named(t, s, tokK8sProvider, "cluster")
			assert.Same(t, One(t, s, "platform:layer:Flux"), s.ParentOf(p), "the provider is not parented under the layer")

			// One call for credentials: the user credentials of this cluster, in exec format.
			require.Len(t, s.Calls, 1, "invokes: %v", s.Calls)
			call := s.Calls[0]
			assert.Equal(t, tokUserCredential, call.Token)
			assert.Equal(t, map[string]any{"resourceGroupName": e.Names.ResourceGroup, "resourceName": e.Names.AKSCluster, "format": "exec"},
				offline.Plain(resource.NewProperty(call.Args)))
			for _, cl := range s.Calls {
				assert.NotContains(t, strings.ToLower(cl.Token), "admin", "admin credentials asked for")
			}

			raw := secretInput(t, p, "kubeconfig")
			var kc map[string]any
			require.NoError(t, yaml.Unmarshal([]byte(raw), &kc))
			cluster := e.Names.AKSCluster
			user := cluster + "-" + c.login
			assert.Equal(t, []any{map[string]any{"name": user, "user": map[string]any{"exec": map[string]any{
				"apiVersion":         "client.authentication.k8s.io/v1beta1",
				"command":            "kubelogin",
				"args":               []any{"get-token", "--login", c.login, "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"},
				"interactiveMode":    "Never",
				"provideClusterInfo": false,
				"installHint":        "kubelogin is required: az aks install-cli, or https://azure.github.io/kubelogin/install.html",
			}}}}, kc["users"], "users")
			for _, never := range []string{"client-certificate-data:", "client-key-data:", "token:", "tokenFile:", "password:", "username:", "clusterAdmin"} {
				assert.NotContains(t, raw, never, "kubeconfig holds %s", never)
			}
			// Server and CA are the credentials'.
			creds, err := base64.StdEncoding.DecodeString(credentialValue(t, call))
			require.NoError(t, err)
			want, err := kubeconfig.Exec(creds, c.login)
			require.NoError(t, err)
			assert.Equal(t, want, raw)
			srv, _ := kc["clusters"].([]any)[0].(map[string]any)["cluster"].(map[string]any)["server"].(string)
			assert.True(t, strings.HasPrefix(srv, "https://"+cluster+"-") && strings.HasSuffix(srv, ".azmk8s.io:443"), "server %s", srv)
			assert.Equal(t, cluster, kc["current-context"])

			Equal(t, p, "clusterIdentifier", ARMID(e, "Microsoft.ContainerService/managedClusters/"+cluster))
			for key, want := range map[string]string{
				"enableServerSideApply": "true", "enableConfigMapMutable": "true", "deleteUnreachable": "false", "skipUpdateUnreachable": "false",
			} {
				got := In(t, p, key)
				assert.Equal(t, want, toString(got), "provider %s", key)
			}
			for _, key := range []string{"cluster", "context", "namespace", "renderYamlToDirectory"} {
				Absent(t, p, key)
			}
		})
	}
}

// toString renders a provider input: the engine hands provider configuration over as strings.
func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return JSON(v)
}

// credentialValue is the base64 kubeconfig a listManagedClusterUserCredentials call answered.
func credentialValue(t *testing.T, call offline.Call) string {
	t.Helper()
	res := offline.Plain(resource.NewProperty(call.Result)).(map[string]any)
	kcs, _ := res["kubeconfigs"].([]any)
	require.Len(t, kcs, 1, "kubeconfigs")
	v, _ := kcs[0].(map[string]any)["value"].(string)
	return v
}

// The service namespaces: one per configured namespace, with Pod Security "restricted" and the
// label the Gateway admits routes by, written through the cluster provider.
func TestFluxNamespaces(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := runFlux(t, env, nil)
			p := Named(t, s, tokK8sProvider, "cluster")
			var want []string
			for _, svc := range e.Services {
				want = append(want, svc.Namespace)
			}
			var got []string
			for _, ns := range s.ByType(tokNamespace) {
				name := In(t, ns, "metadata.name").(string)
				got = append(got, name)
				assert.Equal(t, "flux-namespace-"+name, ns.Name, "logical name")
				Equal(t, ns, "metadata.labels", map[string]any{
					"app.kubernetes.io/managed-by":       "pulumi",
					"app.kubernetes.io/part-of":          "saas-services",
					"gateway-access":                     "api",
					"pod-security.kubernetes.io/enforce": "restricted",
					"pod-security.kubernetes.io/audit":   "restricted",
					"pod-security.kubernetes.io/warn":    "restricted",
				})
				Absent(t, ns, "metadata.annotations")
				assert.True(t, strings.HasPrefix(ns.Provider, p.URN+"::"), "%s: provider %s, want the cluster provider", ns.Key(), ns.Provider)
				assert.Same(t, One(t, s, "platform:flux:Flux"), s.ParentOf(ns), "%s is not parented under the flux component", ns.Key())
			}
			assert.ElementsMatch(t, want, got, "namespaces")
		})
	}
}

// Two services may share a namespace; it is created once.
func TestFluxNamespacesShared(t *testing.T) {
	t.Parallel()
	_, s := runFlux(t, "dev", map[string]string{"services": `[{"name":"a-service","namespace":"shop"},{"name":"b-service","namespace":"shop"}]`})
	require.Len(t, s.ByType(tokNamespace), 1)
	Equal(t, One(t, s, tokNamespace), "metadata.name", "shop")
	assert.Len(t, s.ByType(tokConfigMap), 3, "cluster values and one platform-values ConfigMap per service")
}

// wantPlatformValues are a service's platform values as the fixtures' contracts give them, built
// here field by field from the fixtures (not through the layer's code), so that the test checks
// which upstream output lands where.
func wantPlatformValues(e *config.Env, s config.Service) gitops.PlatformValues {
	g, n := fixtureGlobal(e), e.Names
	origins := []string{"https://" + n.FrontDoorEndpoint + "-abcdef0123.z01.azurefd.net"}
	for _, d := range e.FrontDoor.CustomDomains {
		origins = append(origins, "https://"+d)
	}
	p := gitops.PlatformValues{
		Environment:        e.Environment,
		TenantID:           offline.TenantID,
		ContainerRegistry:  g.ContainerRegistry + ".azurecr.io",
		WorkloadIdentity:   gitops.PlatformIdentity{ClientID: IdentityFixtureClientID(e, s.Name), ServiceAccountName: s.ServiceAccount},
		KeyVault:           gitops.PlatformKeyVault{Name: g.KeyVault, URI: "https://" + g.KeyVault + ".vault.azure.net/"},
		CORSAllowedOrigins: origins,
		Network: gitops.PlatformNetwork{
			AGCSubnetCIDR: e.Subnets[netplan.AGC], PrivateEndpointsCIDR: e.Subnets[netplan.PrivateEndpoints], PostgresCIDR: e.Subnets[netplan.Postgres],
		},
		Gateway: gitops.PlatformGatewayRef{Name: "api", Namespace: "gateway"},
	}
	if s.SQL {
		p.SQL = gitops.PlatformDatabase{Host: g.SQLServer + ".database.windows.net", Database: n.SQLDatabase}
	}
	if s.PostgresDatabase != "" {
		p.Postgres = gitops.PlatformDatabase{Host: g.PostgresServer + ".postgres.database.azure.com", Database: s.PostgresDatabase}
	}
	if s.DataLake != config.DataLakeNone {
		p.DataLake = gitops.PlatformDataLake{DFSEndpoint: "https://" + g.DataLakeStorage + ".dfs.core.windows.net/"}
	}
	if s.DocumentIntelligence {
		p.DocumentIntelligence = gitops.PlatformEndpoint{Endpoint: "https://" + g.DocumentIntelligence + ".cognitiveservices.azure.com/"}
	}
	if tenant, authority := fixtureExternalID(e); tenant != "" {
		p.Auth = gitops.PlatformAuth{
			MetadataURL:    authority + "/.well-known/openid-configuration",
			Issuer:         "https://" + tenant + ".ciamlogin.com/" + tenant + "/v2.0",
			Audience:       fixtureGUID("api", s.Name),
			RequiredScopes: []string{"access_as_user"},
			AllowedRoles:   []string{"Admin", "User"},
		}
	}
	return p
}

// The ConfigMaps' exact data, in flux-system: the cluster values (every post-build variable,
// exactly the substitution keys of the contract) and, per service, one document under values.yaml
// with the chart's platform contract filled from the upstream contracts.
func TestFluxConfigMaps(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := runFlux(t, env, nil)
			p := Named(t, s, tokK8sProvider, "cluster")
			labels := map[string]any{"app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "platform"}
			names := []string{gitops.ClusterValuesConfigMap}
			for _, svc := range e.Services {
				doc, err := wantPlatformValues(e, svc).YAML()
				require.NoError(t, err)
				assert.Equal(t, map[string]any{"values.yaml": doc}, configMap(t, s, gitops.PlatformValuesConfigMap(svc.Name)), "%s platform values", svc.Name)
				names = append(names, gitops.PlatformValuesConfigMap(svc.Name))
			}
			var got []string
			for _, cm := range s.ByType(tokConfigMap) {
				got = append(got, In(t, cm, "metadata.name").(string))
				Equal(t, cm, "metadata.labels", labels)
				Absent(t, cm, "immutable")
				assert.True(t, strings.HasPrefix(cm.Provider, p.URN+"::"), "%s: provider %s, want the cluster provider", cm.Key(), cm.Provider)
			}
			assert.ElementsMatch(t, names, got, "ConfigMaps")

			keys := Output(t, s, "substitutionKeys").([]any)
			values := clusterValues(t, s)
			assert.Len(t, values, len(keys))
			for _, k := range keys {
				assert.Contains(t, values, k.(string))
			}
		})
	}
}

// Token validation values reach the services: the issuer External ID puts in iss (the tenant ID
// as the host, not the authority's), the authority's metadata URL, the service's own API as the
// audience, the scope and roles every API defines; none of it without External ID.
func TestFluxServicesAuthValues(t *testing.T) {
	platform := func(t *testing.T, s *offline.Stack, service string) map[string]any {
		t.Helper()
		var doc map[string]map[string]any
		require.NoError(t, yaml.Unmarshal([]byte(configMap(t, s, gitops.PlatformValuesConfigMap(service))[gitops.PlatformValuesKey].(string)), &doc))
		return doc["platform"]["auth"].(map[string]any)
	}
	t.Run("prod existing tenant", func(t *testing.T) {
		t.Parallel()
		_, s := runFlux(t, "prod", nil)
		const tenant = "33333333-3333-3333-3333-333333333333"
		assert.Equal(t, map[string]any{
			"metadataUrl":    "https://saascustomers.ciamlogin.com/" + tenant + "/v2.0/.well-known/openid-configuration",
			"issuer":         "https://" + tenant + ".ciamlogin.com/" + tenant + "/v2.0",
			"audience":       fixtureGUID("api", "subscription-service"),
			"requiredScopes": []any{"access_as_user"},
			"allowedRoles":   []any{"Admin", "User"},
		}, platform(t, s, "subscription-service"))
	})
	t.Run("dev created tenant", func(t *testing.T) {
		t.Parallel()
		_, s := runFlux(t, "dev", nil)
		tenant := fixtureGUID("ciam", "dev")
		auth := platform(t, s, "llm-service")
		assert.Equal(t, "https://"+tenant+".ciamlogin.com/"+tenant+"/v2.0", auth["issuer"])
		assert.Equal(t, "https://saascustomersdev.ciamlogin.com/"+tenant+"/v2.0/.well-known/openid-configuration", auth["metadataUrl"])
		assert.Equal(t, fixtureGUID("api", "llm-service"), auth["audience"])
	})
	t.Run("External ID disabled", func(t *testing.T) {
		t.Parallel()
		_, s := runFlux(t, "dev", map[string]string{"externalId": `{"mode":"disabled"}`})
		assert.Equal(t, map[string]any{"metadataUrl": "", "issuer": "", "audience": "", "requiredScopes": []any{}, "allowedRoles": []any{}}, platform(t, s, "user-service"))
	})
	t.Run("an authority of another tenant is refused", func(t *testing.T) {
		t.Parallel()
		e := Env(t, "dev", nil)
		i := IdentityFixture(e)
		i.ExternalIDAuthority = str("https://saascustomersdev.ciamlogin.com/" + fixtureGUID("other") + "/v2.0")
		_, err := tryFluxOn(e, i)
		assert.ErrorContains(t, err, "names tenant")
	})
}

// The real hand-over (the layered plan of dev: identity's outputs through a StackReference): the
// services' issuer is built from the identity stack's tenant ID.
func TestFluxAuthValuesFromTheIdentityStack(t *testing.T) {
	t.Parallel()
	p := Plan(t, "dev", offline.Layered, Config(t, "dev", nil))
	var tenant string
	var fluxStack *offline.Stack
	for _, s := range p.Stacks {
		switch s.Layer {
		case "identity":
			tenant = Output(t, s, "externalIdTenantId").(string)
		case "flux":
			fluxStack = s
		}
	}
	require.NotEmpty(t, tenant)
	require.NotNil(t, fluxStack)
	doc := configMap(t, fluxStack, gitops.PlatformValuesConfigMap("user-service"))[gitops.PlatformValuesKey].(string)
	assert.Contains(t, doc, "issuer: https://"+tenant+".ciamlogin.com/"+tenant+"/v2.0\n")
}

// Flux never reconciles before its values exist: the ConfigMaps wait for the extension (which
// creates flux-system), and the Flux configuration waits for the extension, every namespace and
// every ConfigMap.
func TestFluxOrdering(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			_, s := runFlux(t, env, nil)
			ext := One(t, s, bindings.ExtensionType)
			cfg := One(t, s, bindings.FluxConfigurationType)
			assert.Contains(t, cfg.DependsOn, ext.URN, "configuration after the extension")
			for _, cm := range s.ByType(tokConfigMap) {
				assert.Contains(t, cm.DependsOn, ext.URN, "%s after the extension", cm.Key())
				assert.Contains(t, cfg.DependsOn, cm.URN, "configuration after %s", cm.Key())
			}
			for _, ns := range s.ByType(tokNamespace) {
				assert.Contains(t, cfg.DependsOn, ns.URN, "configuration after %s", ns.Key())
			}
		})
	}
}
