package tests

import (
	"reflect"
	"regexp"
	"sort"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/offline"
)

// providerVersion is the azure-native version every resource must be stamped with, so that the
// bindings share the one default provider of the generated SDK packages.
const providerVersion = "2.90.0"

// checkBinding asserts the token, the version (which selects the default provider) and the exact inputs (all of
// them: nothing more, nothing less) of one hand-registered resource.
func checkBinding(t *testing.T, s *offline.Stack, token string, inputs map[string]any) *offline.Resource {
	t.Helper()
	r := One(t, s, token)
	assert.Equal(t, providerVersion, r.Version, "%s: provider version", r.Key())
	assert.True(t, r.Custom, "%s: registered as a component", r.Key())
	// The engine, not the SDK, creates default providers: one per package and version, so the
	// version on the request is what puts this resource on the same provider as the generated
	// SDK's resources. No explicit provider may be set.
	assert.Empty(t, r.Provider, "%s: explicit provider", r.Key())
	assert.Equal(t, normalize(inputs), normalize(plainInputs(r)), "%s: inputs (all of them)", r.Key())
	return r
}

func plainInputs(r *offline.Resource) map[string]any {
	m := map[string]any{}
	for k, pv := range r.Inputs {
		m[string(k)] = offline.Plain(pv)
	}
	return m
}

func TestBindingTrafficController(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := bindings.NewTrafficController(ctx, "agc", &bindings.TrafficControllerArgs{
			ResourceGroupName:     pulumi.String("rg"),
			TrafficControllerName: pulumi.String("agc-saas-dev-weu"),
			Location:              pulumi.String("westeurope"),
			SecurityPolicyConfigurations: &bindings.SecurityPolicyConfigurations{
				WafSecurityPolicy: &bindings.IDRef{ID: pulumi.String("/tc/securityPolicies/waf")},
			},
			Tags: pulumi.StringMap{"environment": pulumi.String("dev")},
		})
		return err
	})
	r := checkBinding(t, s, "azure-native:servicenetworking/v20250101:TrafficControllerInterface", map[string]any{
		"resourceGroupName":            "rg",
		"trafficControllerName":        "agc-saas-dev-weu",
		"location":                     "westeurope",
		"securityPolicyConfigurations": map[string]any{"wafSecurityPolicy": map[string]any{"id": "/tc/securityPolicies/waf"}},
		"tags":                         map[string]any{"environment": "dev"},
	})
	assert.Len(t, Out(t, r, "configurationEndpoints"), 1, "%s: output configurationEndpoints", r.Key())
}

var reFrontendFQDN = regexp.MustCompile(`^[0-9a-z]{16}\.fz[0-9a-z]{2}\.alb\.azure\.com$`)

func TestBindingFrontendAssociationSecurityPolicy(t *testing.T) {
	t.Parallel()
	s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		fe, err := bindings.NewFrontend(ctx, "fe", &bindings.FrontendArgs{
			ResourceGroupName: pulumi.String("rg"), TrafficControllerName: pulumi.String("agc"),
			FrontendName: pulumi.String("api"), Location: pulumi.String("westeurope"),
		})
		if err != nil {
			return nil, err
		}
		exports := map[string]pulumi.Output{"fqdn": fe.Fqdn}
		if _, err := bindings.NewAssociation(ctx, "assoc", &bindings.AssociationArgs{
			ResourceGroupName: pulumi.String("rg"), TrafficControllerName: pulumi.String("agc"),
			AssociationName: pulumi.String("subnet"), AssociationType: pulumi.String(bindings.AssociationTypeSubnets),
			Subnet: &bindings.IDRef{ID: pulumi.String("/subnets/agc")}, Location: pulumi.String("westeurope"),
		}); err != nil {
			return nil, err
		}
		_, err = bindings.NewSecurityPolicy(ctx, "waf", &bindings.SecurityPolicyArgs{
			ResourceGroupName: pulumi.String("rg"), TrafficControllerName: pulumi.String("agc"),
			SecurityPolicyName: pulumi.String("waf"), WafPolicy: &bindings.IDRef{ID: pulumi.String("/wafpolicy")},
			Location: pulumi.String("westeurope"),
		})
		return exports, err
	})
	fe := checkBinding(t, s, "azure-native:servicenetworking/v20250101:FrontendsInterface", map[string]any{
		"resourceGroupName": "rg", "trafficControllerName": "agc", "frontendName": "api", "location": "westeurope",
	})
	// The binding's Fqdn output is the frontend's fqdn, in Azure's shape
	// (<16 characters>.fz<2 characters>.alb.azure.com).
	fqdn := Out(t, fe, "fqdn")
	assert.Equal(t, fqdn, Output(t, s, "fqdn"), "Fqdn output: the frontend's fqdn")
	assert.IsType(t, "", fqdn, "frontend fqdn")
	assert.Regexp(t, reFrontendFQDN, fqdn, "frontend fqdn is not shaped like <16>.fz<2>.alb.azure.com")
	checkBinding(t, s, "azure-native:servicenetworking/v20250101:AssociationsInterface", map[string]any{
		"resourceGroupName": "rg", "trafficControllerName": "agc", "associationName": "subnet",
		"associationType": "subnets", "subnet": map[string]any{"id": "/subnets/agc"}, "location": "westeurope",
	})
	checkBinding(t, s, "azure-native:servicenetworking/v20250101:SecurityPoliciesInterface", map[string]any{
		"resourceGroupName": "rg", "trafficControllerName": "agc", "securityPolicyName": "waf",
		"wafPolicy": map[string]any{"id": "/wafpolicy"}, "location": "westeurope",
	})
}

func TestBindingExtension(t *testing.T) {
	t.Parallel()
	s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		ext, err := bindings.NewExtension(ctx, "flux", &bindings.ExtensionArgs{
			ResourceGroupName: pulumi.String("rg"), ClusterRp: pulumi.String(bindings.ClusterRpAKS),
			ClusterResourceName: pulumi.String(bindings.ClusterResourceAKS), ClusterName: pulumi.String("aks"),
			ExtensionName: pulumi.String("flux"), ExtensionType: pulumi.String("microsoft.flux"),
			AutoUpgradeMinorVersion: pulumi.Bool(false), Version: pulumi.String("1.19.5"),
			ConfigurationSettings:          pulumi.StringMap{"multiTenancy.enforce": pulumi.String("false")},
			ConfigurationProtectedSettings: pulumi.StringMap{"token": pulumi.String("x")},
			Scope:                          &bindings.ExtensionScope{Cluster: &bindings.ExtensionScopeCluster{ReleaseNamespace: pulumi.String("flux-system")}},
		})
		if err != nil {
			return nil, err
		}
		return map[string]pulumi.Output{"principalId": ext.PrincipalID()}, nil
	})
	r := checkBinding(t, s, "azure-native:kubernetesconfiguration/v20241101:Extension", map[string]any{
		"resourceGroupName": "rg", "clusterRp": "Microsoft.ContainerService", "clusterResourceName": "managedClusters",
		"clusterName": "aks", "extensionName": "flux", "extensionType": "microsoft.flux",
		"autoUpgradeMinorVersion": false, "version": "1.19.5",
		"configurationSettings":          map[string]any{"multiTenancy.enforce": "false"},
		"configurationProtectedSettings": "[secret]",
		"scope":                          map[string]any{"cluster": map[string]any{"releaseNamespace": "flux-system"}},
	})
	// PrincipalID reads aksAssignedIdentity.principalId.
	assert.NotEmpty(t, Output(t, s, "principalId"), "PrincipalID()")
	assert.Equal(t, Out(t, r, "aksAssignedIdentity.principalId"), Output(t, s, "principalId"), "PrincipalID()")
}

func TestBindingFluxConfiguration(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := bindings.NewFluxConfiguration(ctx, "platform", &bindings.FluxConfigurationArgs{
			ResourceGroupName: pulumi.String("rg"), ClusterRp: pulumi.String(bindings.ClusterRpAKS),
			ClusterResourceName: pulumi.String(bindings.ClusterResourceAKS), ClusterName: pulumi.String("aks"),
			FluxConfigurationName: pulumi.String("platform"), Namespace: pulumi.String("flux-system"),
			Scope: pulumi.String(bindings.FluxScopeCluster), SourceKind: pulumi.String(bindings.SourceKindGitRepository),
			GitRepository: &bindings.GitRepository{
				URL:                   pulumi.String("https://dev.azure.com/a/b/_git/c"),
				RepositoryRef:         &bindings.RepositoryRef{Branch: pulumi.String("main")},
				SyncIntervalInSeconds: pulumi.Int(300), Provider: pulumi.String(bindings.GitProviderAzure),
			},
			Kustomizations: map[string]bindings.Kustomization{
				"infra-controllers": {Path: pulumi.String("./gitops/infrastructure/controllers"), Prune: pulumi.Bool(true), Wait: pulumi.Bool(true), TimeoutInSeconds: pulumi.Int(600)},
				"infra-configs": {
					Path: pulumi.String("./gitops/infrastructure/configs"), DependsOn: pulumi.StringArray{pulumi.String("infra-controllers")},
					PostBuild: &bindings.PostBuild{
						Substitute:     pulumi.StringMap{"ENVIRONMENT": pulumi.String("dev")},
						SubstituteFrom: []bindings.SubstituteFrom{{Kind: pulumi.String("ConfigMap"), Name: pulumi.String("cluster-values"), Optional: pulumi.Bool(false)}},
					},
				},
			},
		})
		return err
	})
	checkBinding(t, s, "azure-native:kubernetesconfiguration/v20241101:FluxConfiguration", map[string]any{
		"resourceGroupName": "rg", "clusterRp": "Microsoft.ContainerService", "clusterResourceName": "managedClusters",
		"clusterName": "aks", "fluxConfigurationName": "platform", "namespace": "flux-system", "scope": "cluster",
		"sourceKind": "GitRepository",
		"gitRepository": map[string]any{
			"url": "https://dev.azure.com/a/b/_git/c", "repositoryRef": map[string]any{"branch": "main"},
			"syncIntervalInSeconds": 300, "provider": "Azure",
		},
		"kustomizations": map[string]any{
			"infra-controllers": map[string]any{"path": "./gitops/infrastructure/controllers", "prune": true, "wait": true, "timeoutInSeconds": 600},
			"infra-configs": map[string]any{
				"path": "./gitops/infrastructure/configs", "dependsOn": []any{"infra-controllers"},
				"postBuild": map[string]any{
					"substitute":     map[string]any{"ENVIRONMENT": "dev"},
					"substituteFrom": []any{map[string]any{"kind": "ConfigMap", "name": "cluster-values", "optional": false}},
				},
			},
		},
	})
}

func TestBindingCIAMTenantAndMonitorWorkspace(t *testing.T) {
	t.Parallel()
	s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		if _, err := bindings.NewCIAMTenant(ctx, "customers", &bindings.CIAMTenantArgs{
			ResourceGroupName: pulumi.String("rg"), ResourceName: pulumi.String("saascustomersdev"),
			Location:               pulumi.String("Europe"),
			CreateTenantProperties: &bindings.CreateCIAMTenantProperties{CountryCode: pulumi.String("US"), DisplayName: pulumi.String("SaaS customers")},
			Sku:                    &bindings.CIAMSku{Name: pulumi.String(bindings.CIAMSkuStandard), Tier: pulumi.String(bindings.CIAMSkuTierA0)},
		}, pulumi.IgnoreChanges([]string{"createTenantProperties"})); err != nil {
			return nil, err
		}
		w, err := bindings.NewMonitorWorkspace(ctx, "amw", &bindings.MonitorWorkspaceArgs{
			ResourceGroupName: pulumi.String("rg"), AzureMonitorWorkspaceName: pulumi.String("amw-saas-dev-weu"),
			Location: pulumi.String("westeurope"), Tags: pulumi.StringMap{"environment": pulumi.String("dev")},
		})
		if err != nil {
			return nil, err
		}
		return map[string]pulumi.Output{"dcr": w.DataCollectionRuleID(), "query": w.PrometheusQueryEndpoint()}, nil
	})
	tenant := checkBinding(t, s, "azure-native:azureactivedirectory/v20230517preview:CIAMTenant", map[string]any{
		"resourceGroupName": "rg", "resourceName": "saascustomersdev", "location": "Europe",
		"createTenantProperties": map[string]any{"countryCode": "US", "displayName": "SaaS customers"},
		"sku":                    map[string]any{"name": "Standard", "tier": "A0"},
	})
	assert.Equal(t, []string{"createTenantProperties"}, tenant.IgnoreChanges, "%s: ignoreChanges", tenant.Key())
	assert.Equal(t, "saascustomersdev.onmicrosoft.com", Out(t, tenant, "domainName"), "%s: output domainName", tenant.Key())
	amw := checkBinding(t, s, "azure-native:monitor/v20230403:AzureMonitorWorkspace", map[string]any{
		"resourceGroupName": "rg", "azureMonitorWorkspaceName": "amw-saas-dev-weu", "location": "westeurope",
		"tags": map[string]any{"environment": "dev"},
	})
	for key, path := range map[string]string{"dcr": "defaultIngestionSettings.dataCollectionRuleResourceId", "query": "metrics.prometheusQueryEndpoint"} {
		assert.NotEmpty(t, Output(t, s, key), "exported %s", key)
		assert.Equal(t, Out(t, amw, path), Output(t, s, key), "exported %s: the workspace's %s", key, path)
	}
}

// writableInputs are, per hand-registered type, the inputs its API version accepts, from the REST
// spec the azure-native schema was generated from. Read-only properties (such as the Azure
// Monitor workspace's publicNetworkAccess at 2023-04-03) would be dropped by the provider and so
// must not be offered.
var writableInputs = map[string]struct {
	args   any
	inputs []string
}{
	bindings.MonitorWorkspaceType: {bindings.MonitorWorkspaceArgs{}, []string{"azureMonitorWorkspaceName", "location", "resourceGroupName", "tags"}},
}

// TestBindingArgsAreWritable: a binding's Args carry exactly the writable inputs of its type.
func TestBindingArgsAreWritable(t *testing.T) {
	for token, w := range writableInputs {
		var got []string
		typ := reflect.TypeOf(w.args)
		for i := 0; i < typ.NumField(); i++ {
			got = append(got, typ.Field(i).Tag.Get("pulumi"))
		}
		sort.Strings(got)
		assert.Equal(t, w.inputs, got, "%s: Args inputs", token)
	}
}

// TestBindingNestedOutputShape: a nested output that is missing or not a string fails the run
// with an error naming it, instead of yielding "".
func TestBindingNestedOutputShape(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		out  func() pulumi.Output
		want string
	}{
		{"missing key", func() pulumi.Output {
			e := &bindings.Extension{AksAssignedIdentity: pulumi.Map{"type": pulumi.String("SystemAssigned")}.ToMapOutput()}
			return e.PrincipalID()
		}, "output aksAssignedIdentity.principalId is missing"},
		{"absent object", func() pulumi.Output {
			e := &bindings.Extension{AksAssignedIdentity: pulumi.Map(nil).ToMapOutput()}
			return e.PrincipalID()
		}, "output aksAssignedIdentity.principalId is missing"},
		{"not a string", func() pulumi.Output {
			w := &bindings.MonitorWorkspace{Metrics: pulumi.Map{"prometheusQueryEndpoint": pulumi.Map{"url": pulumi.String("https://q")}}.ToMapOutput()}
			return w.PrometheusQueryEndpoint()
		}, "output metrics.prometheusQueryEndpoint is map[string]interface {}, not a string"},
		{"number", func() pulumi.Output {
			w := &bindings.MonitorWorkspace{DefaultIngestionSettings: pulumi.Map{"dataCollectionRuleResourceId": pulumi.Int(7)}.ToMapOutput()}
			return w.DataCollectionRuleID()
		}, "output defaultIngestionSettings.dataCollectionRuleResourceId is int, not a string"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: "dev"}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
				return map[string]pulumi.Output{"v": tt.out()}, nil
			})
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// TestBindingRequiredInputs: every missing required input is reported by name, before anything
// is registered.
func TestBindingRequiredInputs(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := bindings.NewFluxConfiguration(ctx, "x", &bindings.FluxConfigurationArgs{ClusterName: pulumi.String("aks")})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "ClusterRp", "ClusterResourceName")

}
