package tests

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	fluxc "github.com/azure-saas-platform/platform/components/flux"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/layers/flux"
	"github.com/azure-saas-platform/platform/layers/identity"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
)

// Type tokens of the Kubernetes objects and provider the flux layer registers.
const (
	tokNamespace      = "kubernetes:core/v1:Namespace"
	tokConfigMap      = "kubernetes:core/v1:ConfigMap"
	tokK8sProvider    = "pulumi:providers:kubernetes"
	tokUserCredential = "azure-native:containerservice/v20240902preview:listManagedClusterUserCredentials"
)

// runFlux runs the flux layer on the fixtures of an environment and exports its contract.
func runFlux(t *testing.T, env string, overrides map[string]string) (*config.Env, *offline.Stack) {
	t.Helper()
	e := Env(t, env, overrides)
	return e, runFluxOn(t, e, IdentityFixture(e))
}

// runFluxOn runs the flux layer with the given identity contract (the other two are the fixtures).
func runFluxOn(t *testing.T, e *config.Env, i *identity.Outputs) *offline.Stack {
	t.Helper()
	s, err := tryFluxOn(e, i)
	require.NoError(t, err, "flux layer")
	return s
}

// tryFluxOn is runFluxOn returning the error.
func tryFluxOn(e *config.Env, i *identity.Outputs) (*offline.Stack, error) {
	return offline.RunStack(offline.StackSpec{Project: "test", Stack: e.Environment}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		out, err := flux.New(ctx, e, BaseFixture(e), i, AKSFixture(e))
		if err != nil {
			return nil, err
		}
		return contract.Export(ctx, "", out)
	})
}

// configMap returns the data of the ConfigMap of flux-system with the given name.
func configMap(t *testing.T, s *offline.Stack, name string) map[string]any {
	t.Helper()
	for _, r := range s.ByType(tokConfigMap) {
		if Equal(t, r, "metadata.namespace", gitops.FluxNamespace) && In(t, r, "metadata.name") == name {
			return In(t, r, "data").(map[string]any)
		}
	}
	require.Failf(t, "no ConfigMap", "stack %s writes no ConfigMap %s/%s", s.Name, gitops.FluxNamespace, name)
	return nil
}

// clusterValues are the post-build variables every kustomization reads: the data of the
// cluster-values ConfigMap.
func clusterValues(t *testing.T, s *offline.Stack) map[string]any {
	t.Helper()
	return configMap(t, s, gitops.ClusterValuesConfigMap)
}

// dashboardsHost is the dashboards' host the flux layer hands the tree for the fixture: the first
// Front Door custom domain, else the fixture's endpoint host.
func dashboardsHost(e *config.Env) string {
	if len(e.FrontDoor.CustomDomains) > 0 {
		return e.FrontDoor.CustomDomains[0]
	}
	return e.Names.FrontDoorEndpoint + "-abcdef0123.z01.azurefd.net"
}

// fluxOverride returns a platform:flux override with the environment's shipped settings changed.
func fluxOverride(t *testing.T, env string, change map[string]any) map[string]string {
	t.Helper()
	e := Env(t, env, nil)
	f := map[string]any{
		"repositoryUrl": e.Flux.RepositoryURL, "branch": e.Flux.Branch,
		"autoUpgradeMinorVersion": e.Flux.AutoUpgradeMinorVersion,
	}
	if e.Flux.Version != "" {
		f["version"] = e.Flux.Version
	}
	for k, v := range change {
		f[k] = v
	}
	return map[string]string{"flux": JSON(f)}
}

func TestFluxExtension(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := runFlux(t, env, nil)
			x := One(t, s, bindings.ExtensionType)
			Equal(t, x, "extensionType", "microsoft.flux")
			Equal(t, x, "extensionName", "flux")
			Equal(t, x, "clusterRp", "Microsoft.ContainerService")
			Equal(t, x, "clusterResourceName", "managedClusters")
			Equal(t, x, "clusterName", e.Names.AKSCluster)
			Equal(t, x, "resourceGroupName", e.Names.ResourceGroup)
			Equal(t, x, "scope", map[string]any{"cluster": map[string]any{"releaseNamespace": "flux-system"}})
			Equal(t, x, "releaseTrain", "Stable")
			if env == "dev" {
				Equal(t, x, "autoUpgradeMinorVersion", true)
				Absent(t, x, "version")
			} else {
				Equal(t, x, "autoUpgradeMinorVersion", false)
				Equal(t, x, "version", Env(t, "prod", nil).Flux.Version)
			}
			fluxClientID := IdentityFixtureClientID(e, config.IdentityFlux)
			// Image automation runs in dev only (prod promotes images by pull request).
			image := map[string]string{"dev": "true", "prod": "false"}[env]
			Equal(t, x, "configurationSettings", map[string]any{
				"source-controller.enabled":           "true",
				"kustomize-controller.enabled":        "true",
				"helm-controller.enabled":             "true",
				"notification-controller.enabled":     "true",
				"image-reflector-controller.enabled":  image,
				"image-automation-controller.enabled": image,
				"helm-controller.detectDrift":         "true",
				"multiTenancy.enforce":                "true",
				"workloadIdentity.enable":             "true",
				"workloadIdentity.azureClientId":      fluxClientID,
			})
			Absent(t, x, "configurationProtectedSettings")

			// The configuration waits for the extension; both sit below the layer component.
			cfg := One(t, s, bindings.FluxConfigurationType)
			assert.Contains(t, cfg.DependsOn, x.URN, "configuration does not depend on the extension")
			layer := One(t, s, "platform:layer:Flux")
			assert.Equal(t, "flux", layer.Name, "layer component name")
			comp := One(t, s, "platform:flux:Flux")
			assert.Same(t, layer, s.ParentOf(comp), "the flux component is not parented under the layer")
			assert.Same(t, comp, s.ParentOf(x), "the extension is not parented under the flux component")
			assert.Same(t, comp, s.ParentOf(cfg), "the configuration is not parented under the flux component")
		})
	}
}

// IdentityFixtureClientID is the client ID the identity fixture gives an identity key.
func IdentityFixtureClientID(e *config.Env, key string) string {
	id := ARMID(e, "Microsoft.ManagedIdentity/userAssignedIdentities/"+e.Names.Identities[key])
	return fixtureGUID(id, "clientId")
}

func TestFluxGitSource(t *testing.T) {
	cases := []struct {
		name      string
		change    map[string]any
		provider  string
		authRef   string
		gitCreds  bool
		secretVar string
	}{
		{"workloadIdentity", nil, "Azure", "", false, ""},
		{"none", map[string]any{"repositoryUrl": "https://github.com/contoso/platform", "auth": "none"}, "Generic", "", false, ""},
		{"keyVaultSecret", map[string]any{"repositoryUrl": "https://github.com/contoso/platform", "auth": "keyVaultSecret", "credentialsSecret": "flux-git"}, "Generic", "flux-git", true, "flux-git"},
	}
	for _, env := range []string{"dev", "prod"} {
		for _, c := range cases {
			t.Run(env+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				e, s := runFlux(t, env, fluxOverride(t, env, c.change))
				cfg := One(t, s, bindings.FluxConfigurationType)
				Equal(t, cfg, "fluxConfigurationName", "platform")
				Equal(t, cfg, "namespace", "flux-system")
				Equal(t, cfg, "scope", "cluster")
				Equal(t, cfg, "sourceKind", "GitRepository")
				Equal(t, cfg, "suspend", false)
				Equal(t, cfg, "clusterName", e.Names.AKSCluster)
				Equal(t, cfg, "gitRepository.url", e.Flux.RepositoryURL)
				Equal(t, cfg, "gitRepository.repositoryRef", map[string]any{"branch": map[string]string{"dev": "main", "prod": "release"}[env]})
				Equal(t, cfg, "gitRepository.syncIntervalInSeconds", 300)
				Equal(t, cfg, "gitRepository.timeoutInSeconds", 180)
				Equal(t, cfg, "gitRepository.provider", c.provider)
				if c.authRef != "" {
					Equal(t, cfg, "gitRepository.localAuthRef", c.authRef)
				} else {
					Absent(t, cfg, "gitRepository.localAuthRef")
				}
				for _, never := range []string{"httpsUser", "httpsCACert", "sshKnownHosts"} {
					Absent(t, cfg, "gitRepository."+never)
				}
				Absent(t, cfg, "configurationProtectedSettings")
				_, hasCreds := Get(cfg.Inputs, "kustomizations."+gitops.GitCredentials)
				assert.Equal(t, c.gitCreds, hasCreds, "%s: git-credentials kustomization present", cfg.Key())
				got, hasVar := clusterValues(t, s)[gitops.FluxGitSecret]
				assert.Equal(t, c.secretVar != "", hasVar, "%s: %s present", env, gitops.FluxGitSecret)
				if hasVar {
					assert.Equal(t, c.secretVar, got, "%s: %s", env, gitops.FluxGitSecret)
				}
			})
		}
	}
}

func TestFluxKustomizations(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			_, s := runFlux(t, env, nil)
			cfg := One(t, s, bindings.FluxConfigurationType)
			ks := In(t, cfg, "kustomizations").(map[string]any)
			// dev has no origin host name: its Gateway listens on HTTP; prod's on HTTPS too.
			gateway := map[string]string{"dev": "gateway-http", "prod": "gateway-https"}[env]
			// The dashboards are published with the origin host name only.
			monitoring := map[string]string{"dev": "monitoring", "prod": "monitoring-dashboards"}[env]
			want := map[string]struct {
				dependsOn        []string
				timeout, retries int
				entry            string
			}{
				gitops.InfraControllers: {[]string{}, 900, 120, gitops.InfraControllers},
				gitops.InfraConfigs:     {[]string{gitops.InfraControllers}, 600, 60, gitops.InfraConfigs},
				gitops.Gateway:          {[]string{gitops.InfraConfigs}, 900, 60, gateway},
				// Services wait for no certificate: HTTPRoutes need only the Gateway API CRDs.
				gitops.Services:   {[]string{gitops.InfraConfigs}, 600, 60, gitops.Services},
				gitops.CIAgents:   {[]string{gitops.InfraControllers}, 300, 120, gitops.CIAgents},
				gitops.Monitoring: {[]string{gitops.InfraConfigs}, 1200, 120, monitoring},
				gitops.Logging:    {[]string{gitops.InfraControllers}, 1200, 120, gitops.Logging},
			}
			if env == "dev" {
				w := want[gitops.Logging]
				w.dependsOn, w.timeout, w.entry = []string{}, 300, gitops.ImageAutomation
				want[gitops.ImageAutomation] = w
			}
			// Nothing may wait for monitoring or logging: their failures must block no rollout.
			for name := range want {
				deps := JSON(In(t, cfg, "kustomizations."+name+".dependsOn"))
				for _, d := range []string{gitops.Monitoring, gitops.Logging} {
					assert.NotContains(t, deps, `"`+d+`"`, "%s depends on %s", name, d)
				}
			}
			require.Len(t, ks, len(want), "kustomizations %v", keysOf(ks))
			for name, w := range want {
				p := "kustomizations." + name + "."
				Equal(t, cfg, p+"path", "./gitops/clusters/"+env+"/"+w.entry)
				Equal(t, cfg, p+"dependsOn", w.dependsOn)
				Equal(t, cfg, p+"prune", true)
				Equal(t, cfg, p+"wait", true)
				Equal(t, cfg, p+"force", false)
				Equal(t, cfg, p+"timeoutInSeconds", w.timeout)
				Equal(t, cfg, p+"retryIntervalInSeconds", w.retries)
				Equal(t, cfg, p+"syncIntervalInSeconds", 600)
				// The cluster values come from the ConfigMap, none inline.
				Equal(t, cfg, p+"postBuild", map[string]any{"substituteFrom": []any{map[string]any{"kind": "ConfigMap", "name": gitops.ClusterValuesConfigMap, "optional": false}}})
			}
			// The contract names the same paths, the configuration's ID and the keys.
			assert.Equal(t, env, clusterValues(t, s)[gitops.Environment])
			paths := Output(t, s, "kustomizations").(map[string]any)
			for name, w := range want {
				assert.Equal(t, gitops.Path(env, w.entry), paths[name], "contract path of %s", name)
			}
			id := Output(t, s, "fluxConfigurationId").(string)
			assert.True(t, strings.HasSuffix(id, "/managedClusters/"+Env(t, env, nil).Names.AKSCluster+"/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/platform"), "fluxConfigurationId = %s", id)
			keys := Output(t, s, "substitutionKeys").([]any)
			sub := clusterValues(t, s)
			assert.Len(t, keys, len(sub), "substitutionKeys %v do not match the cluster values %v", keys, keysOf(sub))
			assert.True(t, sort.SliceIsSorted(keys, func(i, j int) bool { return keys[i].(string) < keys[j].(string) }), "substitutionKeys %v are not sorted", keys)
			for _, k := range keys {
				assert.Contains(t, sub, k.(string), "substitutionKeys has %v, the kustomizations do not", k)
			}
		})
	}
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestFluxSubstitutionsMatchGitOps: for every environment (the staging example on the tree its
// README step makes) and Git auth mode, each kustomization
// receives every variable its path in gitops/ uses, and nothing is provided that no configured
// path uses; across the modes, every variable used anywhere in gitops/ is provided.
func TestFluxSubstitutionsMatchGitOps(t *testing.T) {
	root := filepath.Join(RepoRoot(), gitops.Dir)
	usedAnywhere := map[string]bool{}
	dirs, err := gitops.KustomizationDirs(root)
	require.NoError(t, err)
	for _, d := range dirs {
		vars, err := gitops.Vars(d)
		require.NoError(t, err, d)
		for _, v := range vars {
			usedAnywhere[v] = true
		}
	}
	providedAnywhere := map[string]bool{}
	for _, env := range environments() {
		tree := EnvironmentTree(t, env)
		for _, auth := range []map[string]any{
			nil,
			{"repositoryUrl": "https://github.com/contoso/platform", "auth": "none"},
			{"repositoryUrl": "https://github.com/contoso/platform", "auth": "keyVaultSecret", "credentialsSecret": "flux-git"},
		} {
			mode := "workloadIdentity"
			if a, ok := auth["auth"].(string); ok {
				mode = a
			}
			_, s := runFlux(t, env, fluxOverride(t, env, auth))
			cfg := One(t, s, bindings.FluxConfigurationType)
			used := map[string]bool{}
			sub := clusterValues(t, s)
			for name, k := range In(t, cfg, "kustomizations").(map[string]any) {
				path := k.(map[string]any)["path"].(string)
				vars, err := gitops.Vars(filepath.Join(tree, strings.TrimPrefix(path, "./")))
				require.NoError(t, err, path)
				Equal(t, cfg, "kustomizations."+name+".postBuild.substituteFrom", []any{map[string]any{"kind": "ConfigMap", "name": gitops.ClusterValuesConfigMap, "optional": false}})
				for _, v := range vars {
					used[v] = true
					assert.Contains(t, sub, v, "%s %s: %s uses ${%s}, which the flux layer does not provide", env, mode, path, v)
				}
				for v := range sub {
					providedAnywhere[v] = true
				}
			}
			for _, k := range Output(t, s, "substitutionKeys").([]any) {
				assert.True(t, used[k.(string)], "%s %s: the flux layer provides %s, which no configured path uses", env, mode, k)
			}
		}
	}
	for v := range usedAnywhere {
		assert.True(t, providedAnywhere[v], "gitops/ uses ${%s}, which no flux configuration provides", v)
	}
	assert.GreaterOrEqual(t, len(usedAnywhere), 20, "variables found in gitops/: the scan is broken")
}

// TestFluxSubstitutionValues: the values come from the right upstream contract fields.
func TestFluxSubstitutionValues(t *testing.T) {
	for _, env := range environments() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, s := runFlux(t, env, nil)
			n := e.Names
			want := map[string]any{
				"ENVIRONMENT":                      env,
				"LOCATION":                         e.Location,
				"AZURE_TENANT_ID":                  offline.TenantID,
				"CLUSTER_NAME":                     n.AKSCluster,
				"KEY_VAULT_URI":                    "https://" + fixtureGlobal(e).KeyVault + ".vault.azure.net/",
				"ACR_LOGIN_SERVER":                 fixtureGlobal(e).ContainerRegistry + ".azurecr.io",
				"AGC_TRAFFIC_CONTROLLER_ID":        ARMID(e, "Microsoft.ServiceNetworking/trafficControllers/"+n.TrafficController),
				"AGC_WAF_POLICY_ID":                ARMID(e, "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/"+n.AGCWAFPolicy),
				"AGC_FRONTEND_NAME":                "api",
				"PLATFORM_ADMINS_GROUP_ID":         "11111111-1111-1111-1111-111111111111",
				"AZURE_DEVOPS_ORG_URL":             strings.Join(strings.Split(e.Flux.RepositoryURL, "/")[:4], "/"),
				"EXTERNAL_SECRETS_CLIENT_ID":       IdentityFixtureClientID(e, config.IdentityExternalSecrets),
				"EXTERNAL_SECRETS_NAMESPACE":       e.Workloads.ExternalSecrets.Namespace,
				"EXTERNAL_SECRETS_SERVICE_ACCOUNT": e.Workloads.ExternalSecrets.ServiceAccounts[0],
				"CERT_MANAGER_CLIENT_ID":           IdentityFixtureClientID(e, config.IdentityCertManager),
				"CERT_MANAGER_NAMESPACE":           e.Workloads.CertManager.Namespace,
				"CERT_MANAGER_SERVICE_ACCOUNT":     e.Workloads.CertManager.ServiceAccounts[0],
				"ALB_CONTROLLER_CLIENT_ID":         IdentityFixtureClientID(e, config.IdentityALBController),
				"ALB_CONTROLLER_NAMESPACE":         e.Workloads.ALBController.Namespace,
				"FLUX_GIT_REPOSITORY_NAME":         n.FluxConfiguration,
			}
			// Every configured service's namespace (its HelmRelease's target).
			for _, svc := range e.Services {
				want[gitops.Var(svc.Name, gitops.Namespace)] = svc.Namespace
			}
			if e.Flux.ImageAutomation {
				want["FLUX_GIT_BRANCH"] = e.Flux.Branch // image automation commits there
			}
			if e.Flux.Auth == "keyVaultSecret" {
				want["FLUX_GIT_SECRET_NAME"] = e.Flux.CredentialsSecret
			}
			if host := e.AGC.OriginHostName; host != "" {
				sub, group, zone := e.AGC.OriginDNSZone()
				for k, v := range map[string]string{
					"API_ORIGIN_HOST":                host,
					"API_ORIGIN_DNS_ZONE":            zone,
					"API_ORIGIN_DNS_RESOURCE_GROUP":  group,
					"API_ORIGIN_DNS_SUBSCRIPTION_ID": sub,
				} {
					want[k] = v
				}
			}
			if e.Dashboards() {
				client, _ := DashboardsFixture(e)
				want["DASHBOARDS_CLIENT_ID"] = client
				want["DASHBOARDS_HOST"] = dashboardsHost(e)
				want["AGC_SUBNET_CIDR"] = e.Subnets[netplan.AGC]
			}
			// Exactly these: the services' own Azure values go to their platform-values ConfigMaps.
			assert.Equal(t, want, clusterValues(t, s))
		})
	}
}

// TestFluxServiceKeysFollowConfig: a service added in config gets its keys, derived in one place.
func TestFluxServiceKeysFollowConfig(t *testing.T) {
	t.Parallel()
	e := Env(t, "dev", nil)
	services := []map[string]any{}
	for _, s := range e.Services {
		services = append(services, map[string]any{"name": s.Name, "namespace": s.Namespace})
	}
	services = append(services, map[string]any{"name": "report-service"})
	e, s := runFlux(t, "dev", map[string]string{"services": JSON(services)})
	assert.Equal(t, "report-service", clusterValues(t, s)[gitops.Var("report-service", gitops.Namespace)])
	Named(t, s, tokNamespace, "flux-namespace-report-service")
	doc := configMap(t, s, gitops.PlatformValuesConfigMap("report-service"))[gitops.PlatformValuesKey].(string)
	assert.Contains(t, doc, "clientId: "+IdentityFixtureClientID(e, "report-service"))
	assert.Contains(t, doc, "serviceAccountName: report-service")
}

// TestFluxAzureDevOpsOrgURL: the agents' organization URL comes from
// platform:pipeline.azureDevOps.organization, or from an sc:// subject when that is not set; the
// Entra form names the organization only by its ID.
func TestFluxAzureDevOpsOrgURL(t *testing.T) {
	entra := `{"azureDevOps":{"issuer":"https://login.microsoftonline.com/ff882432-09b0-437b-bd22-ca13c0037ded/v2.0",` +
		`"subject":"/eid1/c/pub/t/MiSI_7AJe0O9IsoTwAN97Q/a/rISbSSETf0KqFyZ8ppdXmA/sc/0ca3ddd9-f0b0-4635-a98c-5866526961b6/64171687-7a59-4fce-b2c8-823278dcf176",` +
		`"organization":"fabrikam-eu"}}`
	vstoken := `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/0ca3ddd9-f0b0-4635-a98c-5866526961b6","subject":"sc://Contoso/Platform Team/deploy platform"}}`
	for pipeline, want := range map[string]string{entra: "https://dev.azure.com/fabrikam-eu", vstoken: "https://dev.azure.com/Contoso"} {
		_, s := runFlux(t, "dev", map[string]string{"pipeline": pipeline})
		assert.Equal(t, want, clusterValues(t, s)[gitops.AzureDevOpsOrgURL])
	}
}

func TestFluxValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := fluxc.New(ctx, "flux", &fluxc.Args{
			ReleaseTrain: "Beta", AutoUpgradeMinorVersion: false, RepositoryURL: "git@host:x", Auth: "token",
			LocalAuthRef: "creds", SyncIntervalSeconds: 5,
			Kustomizations: []fluxc.Kustomization{
				{Name: "apps", Path: "./apps", DependsOn: []string{"infra"}},
				{Name: "infra"},
				{Name: "Bad_Name", Path: "./x"},
				{Name: "infra", Path: "./y"},
			},
		})
		return err
	})
	ErrorMentions(t, err,
		"ResourceGroupName is required", "ClusterName is required", `ReleaseTrain "Beta"`,
		"Version is required", "ConfigurationName is required", `RepositoryURL "git@host:x"`,
		"Branch is required", "SyncIntervalSeconds 5", `Auth "token"`, "LocalAuthRef is only used",
		`DependsOn "infra" is not an earlier kustomization`, "(infra): Path is required",
		`Name "Bad_Name": want a DNS label`, `Name "infra" is repeated`,
	)
	assert.Equal(t, 14, strings.Count(err.Error(), "flux: "), "problems in:\n%v", err)
}

// TestFluxComponentSettingsFollowArgs: the extension's switches follow the component's args (the
// layer turns them all on; a component user may not).
func TestFluxComponentSettingsFollowArgs(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := fluxc.New(ctx, "flux", &fluxc.Args{
			ResourceGroupName: pulumi.String("rg"), ClusterName: pulumi.String("aks"),
			AutoUpgradeMinorVersion: true, ConfigurationName: "cfg", RepositoryURL: "https://github.com/a/b",
			Branch: "main", Auth: fluxc.AuthNone,
			Kustomizations: []fluxc.Kustomization{{Name: "all", Path: "./"}},
		})
		return err
	})
	x := One(t, s, bindings.ExtensionType)
	Equal(t, x, "configurationSettings", map[string]any{
		"source-controller.enabled": "true", "kustomize-controller.enabled": "true",
		"helm-controller.enabled": "true", "notification-controller.enabled": "true",
		"image-reflector-controller.enabled": "false", "image-automation-controller.enabled": "false",
		"multiTenancy.enforce": "false", "workloadIdentity.enable": "false", "helm-controller.detectDrift": "false",
	})
	cfg := One(t, s, bindings.FluxConfigurationType)
	// Defaults are explicit, not the generated SDK's.
	Equal(t, cfg, "kustomizations.all", map[string]any{
		"path": "./", "dependsOn": []string{}, "syncIntervalInSeconds": 600, "retryIntervalInSeconds": 60,
		"timeoutInSeconds": 600, "prune": false, "wait": false, "force": false,
	})
	Equal(t, cfg, "namespace", "flux-system")
	Equal(t, cfg, "gitRepository.syncIntervalInSeconds", 300)
}

// TestFluxGitOpsDirsExist: every path the layer configures is a kustomization in gitops/.
func TestFluxGitOpsDirsExist(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		e := Env(t, env, nil)
		for _, k := range flux.Kustomizations(e) {
			dir := filepath.Join(RepoRoot(), strings.TrimPrefix(k.Path, "./"))
			_, err := gitops.Files(dir)
			assert.NoError(t, err, k.Path)
		}
	}
}

// TestFluxOriginVariables: with an origin host name (prod) the tree gets the name and the Azure
// DNS zone cert-manager answers DNS-01 in, split from its resource ID; without one (dev), none.
func TestFluxOriginVariables(t *testing.T) {
	t.Parallel()
	_, prod := runFlux(t, "prod", nil)
	sub := clusterValues(t, prod)
	for key, want := range map[string]string{
		"API_ORIGIN_HOST":                "api-origin.contoso.example",
		"API_ORIGIN_DNS_ZONE":            "contoso.example",
		"API_ORIGIN_DNS_RESOURCE_GROUP":  "rg-dns",
		"API_ORIGIN_DNS_SUBSCRIPTION_ID": "00000000-0000-0000-0000-000000000000",
	} {
		assert.Equal(t, want, sub[key], "prod %s", key)
	}
	_, dev := runFlux(t, "dev", nil)
	sub = clusterValues(t, dev)
	for key := range sub {
		assert.False(t, strings.HasPrefix(key, "API_ORIGIN_"), "dev provides %s without an origin host name", key)
	}
}

// TestFluxAddOnWorkloadsFollowConfig: the add-ons' namespaces and service accounts reach the tree
// from platform:workloads (the federated credentials follow the same settings), and image
// automation's GitRepository name and branch from the configuration.
func TestFluxAddOnWorkloadsFollowConfig(t *testing.T) {
	t.Parallel()
	workloads := `{"externalSecrets":{"namespace":"eso","serviceAccounts":["eso-controller"]},` +
		`"certManager":{"namespace":"certs","serviceAccounts":["issuer","other"]},` +
		`"albController":{"namespace":"alb","serviceAccounts":["alb-controller-sa"]}}`
	overrides := fluxOverride(t, "dev", map[string]any{"branch": "develop"})
	overrides["workloads"] = workloads
	e, s := runFlux(t, "dev", overrides)
	values := clusterValues(t, s)
	for key, want := range map[string]string{
		"EXTERNAL_SECRETS_NAMESPACE":       "eso",
		"EXTERNAL_SECRETS_SERVICE_ACCOUNT": "eso-controller",
		"CERT_MANAGER_NAMESPACE":           "certs",
		"CERT_MANAGER_SERVICE_ACCOUNT":     "issuer",
		"ALB_CONTROLLER_NAMESPACE":         "alb",
		"FLUX_GIT_REPOSITORY_NAME":         e.Names.FluxConfiguration,
		"FLUX_GIT_BRANCH":                  "develop",
	} {
		assert.Equal(t, want, values[key], key)
	}
	// The ALB controller's service account name is fixed by its chart: the tree does not take it.
	assert.NotContains(t, values, "ALB_CONTROLLER_SERVICE_ACCOUNT")
	// Every federated add-on service account the tree uses is one config federates.
	fed := map[string]bool{}
	for _, f := range e.WorkloadFederations() {
		fed[f.Namespace+"/"+f.ServiceAccount] = true
	}
	for _, sa := range []string{"eso/eso-controller", "certs/issuer", "alb/" + flux.ALBControllerServiceAccount} {
		assert.True(t, fed[sa], "%s is not federated", sa)
	}
}

// TestFluxRefusesUnfollowableWorkloads: an ALB controller service account other than the one its
// chart creates would leave the controller without Azure access; the layer refuses it.
func TestFluxRefusesUnfollowableWorkloads(t *testing.T) {
	t.Parallel()
	e := Env(t, "dev", map[string]string{"workloads": `{"albController":{"namespace":"alb","serviceAccounts":["alb"]}}`})
	err := flux.CheckWorkloads(e)
	assert.ErrorContains(t, err, "must include alb-controller-sa", "CheckWorkloads")
	assert.NoError(t, flux.CheckWorkloads(Env(t, "prod", nil)), "shipped prod settings refused")

}
