package tests

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/components/acr"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/cluster"
	"github.com/azure-saas-platform/platform/components/federation"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/layers/aks"
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/roles"
)

// Type tokens of the aks layer's cluster half.
const (
	tokManagedCluster = "azure-native:containerservice/v20240902preview:ManagedCluster"
	tokMaintenance    = "azure-native:containerservice/v20240902preview:MaintenanceConfiguration"
	tokAgentPool      = "azure-native:containerservice/v20240902preview:AgentPool"
	tokRegistry       = "azure-native:containerregistry/v20241101preview:Registry"
	tokFIC            = "azure-native:managedidentity:FederatedIdentityCredential"
	tokDCE            = "azure-native:insights:DataCollectionEndpoint"
	tokDCR            = "azure-native:insights:DataCollectionRule"
	tokDCRA           = "azure-native:insights:DataCollectionRuleAssociation"
	tokRoleAssignment = "azure-native:authorization:RoleAssignment"
	tokPrivateEP      = "azure-native:network:PrivateEndpoint"
	tokDNSZoneGroup   = "azure-native:network:PrivateDnsZoneGroup"
)

// aksRun is the aks layer run on the fixtures of an environment.
type aksRun struct {
	s *offline.Stack
	e *config.Env
	// unset lists the contract fields the layer left unset.
	unset []string
}

// runAKS runs the aks layer for an environment with config overrides on the base and identity
// fixtures, and exports every contract field it filled under its contract key.
func runAKS(t *testing.T, env string, overrides map[string]string) aksRun {
	t.Helper()
	e := Env(t, env, overrides)
	var unset []string
	s, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: env}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		out, err := aks.New(ctx, e, BaseFixture(e), IdentityFixture(e))
		if err != nil {
			return nil, err
		}
		v := reflect.ValueOf(out).Elem()
		exports := map[string]pulumi.Output{}
		for _, f := range contract.Fields(v.Type()) {
			fv := v.Field(f.Index)
			if fv.IsZero() {
				unset = append(unset, v.Type().Field(f.Index).Name)
				continue
			}
			exports[f.Key] = fv.Interface().(pulumi.Output)
		}
		return exports, nil
	})
	require.NoError(t, err, "aks layer %s", env)
	return aksRun{s: s, e: e, unset: unset}
}

func envs() []string { return []string{config.Dev, config.Prod} }

func subnetID(e *config.Env, r netplan.Role) string {
	return ARMID(e, "Microsoft.Network/virtualNetworks/"+e.Names.VirtualNetwork+"/subnets/"+e.Names.Subnets[r])
}

func identityID(e *config.Env, key string) string {
	return ARMID(e, "Microsoft.ManagedIdentity/userAssignedIdentities/"+e.Names.Identities[key])
}

func inputs(t *testing.T, r *offline.Resource, path string) []string {
	t.Helper()
	var out []string
	for _, v := range In(t, r, path).([]any) {
		out = append(out, v.(string))
	}
	return out
}

func TestClusterSecurityAndIdentity(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			mc := One(t, run.s, tokManagedCluster)
			Equal(t, mc, "resourceName", e.Names.AKSCluster)
			Equal(t, mc, "resourceGroupName", e.Names.ResourceGroup)
			Equal(t, mc, "nodeResourceGroup", e.Names.NodeResourceGroup)
			Equal(t, mc, "kubernetesVersion", e.AKS.KubernetesVersion)
			Equal(t, mc, "disableLocalAccounts", true)
			Equal(t, mc, "enableRBAC", true)
			Equal(t, mc, "aadProfile", map[string]any{
				"managed":             true,
				"enableAzureRBAC":     true,
				"adminGroupObjectIDs": []string{"11111111-1111-1111-1111-111111111111"},
				"tenantID":            offline.TenantID,
			})
			Equal(t, mc, "oidcIssuerProfile.enabled", true)
			Equal(t, mc, "securityProfile.workloadIdentity.enabled", true)
			Equal(t, mc, "securityProfile.imageCleaner", map[string]any{"enabled": true, "intervalHours": 168})
			Equal(t, mc, "identity", map[string]any{
				"type":                   "UserAssigned",
				"userAssignedIdentities": []string{identityID(e, config.IdentityControlPlane)},
			})
			kubelet := identityID(e, config.IdentityKubelet)
			Equal(t, mc, "identityProfile", map[string]any{"kubeletidentity": map[string]any{
				"resourceId": kubelet,
				"clientId":   fixtureGUID(kubelet, "clientId"),
				"objectId":   fixtureGUID(kubelet, "principalId"),
			}})
			Equal(t, mc, "sku", map[string]any{"name": "Base", "tier": map[string]string{config.Dev: "Free", config.Prod: "Standard"}[env]})
			Equal(t, mc, "nodeProvisioningProfile.mode", "Auto")
			// Protected where stateful resources are (prod): see TestAKSLayerProtection.
			assert.Equal(t, env == config.Prod, mc.Protect, "%s: protect", mc.Key())
		})
	}
}

func TestClusterNetwork(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			mc := One(t, run.s, tokManagedCluster)
			Equal(t, mc, "networkProfile", map[string]any{
				"networkPlugin":     "azure",
				"networkPluginMode": "overlay",
				"networkDataplane":  "cilium",
				"networkPolicy":     "cilium",
				"podCidr":           "10.244.0.0/16",
				"serviceCidr":       "172.16.0.0/16",
				"dnsServiceIP":      "172.16.0.10",
				"outboundType":      "userAssignedNATGateway",
				"loadBalancerSku":   "standard",
			})
			// Default API server access: VNet integration with the configured ranges.
			Equal(t, mc, "apiServerAccessProfile", map[string]any{
				"disableRunCommand":     true,
				"enableVnetIntegration": true,
				"enablePrivateCluster":  false,
				"subnetId":              subnetID(run.e, netplan.APIServer),
				"authorizedIPRanges":    []string{"203.0.113.0/24"},
			})
		})
	}
}

func TestClusterPrivateAPIServer(t *testing.T) {
	t.Parallel()
	run := runAKS(t, config.Prod, map[string]string{"aks": JSON(map[string]any{
		"kubernetesVersion": "1.36", "apiServerAccess": "private",
		"systemPool": map[string]any{"zones": []string{"1", "2", "3"}},
	})})
	mc := One(t, run.s, tokManagedCluster)
	Equal(t, mc, "apiServerAccessProfile", map[string]any{
		"disableRunCommand":              true,
		"enablePrivateCluster":           true,
		"privateDNSZone":                 ARMID(run.e, "Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io"),
		"enablePrivateClusterPublicFQDN": false,
	})
}

func TestClusterSystemPool(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			mc := One(t, run.s, tokManagedCluster)
			require.Len(t, In(t, mc, "agentPoolProfiles"), 1, "%s: want only the system pool inline", mc.Key())
			want := map[string]any{
				"name":         "system",
				"mode":         "System",
				"type":         "VirtualMachineScaleSets",
				"vmSize":       "Standard_D4ds_v5",
				"osType":       "Linux",
				"osSKU":        "AzureLinux",
				"osDiskType":   "Ephemeral",
				"osDiskSizeGB": 64,
				"maxPods":      110,
				"vnetSubnetID": subnetID(run.e, netplan.Nodes),
				"nodeTaints":   []string{"CriticalAddonsOnly=true:NoSchedule"},
				// A fixed size beside node auto-provisioning: AKS refuses NAP on a cluster
				// with an autoscaled pool. No minCount or maxCount.
				"enableAutoScaling": false,
				"count":             1,
				"tags":              run.e.ResourceTags(),
			}
			if env == config.Prod {
				want["count"] = 3
				want["availabilityZones"] = []string{"1", "2", "3"}
			}
			Equal(t, mc, "agentPoolProfiles[0]", want)
			Equal(t, mc, "nodeProvisioningProfile", map[string]any{"mode": "Auto"})
			// Extra capacity comes from node auto-provisioning, never from pools here.
			assert.Empty(t, run.s.ByType(tokAgentPool), "want no separate agent pools")
			// The count is ours (no autoscaler changes it); the stable channel owns the version.
			if env == config.Prod {
				assert.Equal(t, []string{"kubernetesVersion"}, mc.IgnoreChanges, "%s: ignoreChanges", mc.Key())
			} else {
				assert.Empty(t, mc.IgnoreChanges, "%s: ignoreChanges", mc.Key())
			}
		})
	}
}

func TestClusterFixedSystemPool(t *testing.T) {
	t.Parallel()
	run := runAKS(t, config.Dev, map[string]string{"aks": JSON(map[string]any{
		"kubernetesVersion": "1.36", "authorizedIpRanges": []string{"203.0.113.0/24"},
		"systemPool": map[string]any{"count": 2},
	})})
	mc := One(t, run.s, tokManagedCluster)
	Equal(t, mc, "agentPoolProfiles[0].enableAutoScaling", false)
	Equal(t, mc, "agentPoolProfiles[0].count", 2)
	Absent(t, mc, "agentPoolProfiles[0].minCount")
	Absent(t, mc, "agentPoolProfiles[0].maxCount")
	assert.Empty(t, mc.IgnoreChanges, "a fixed pool's count is ours: ignoreChanges")
}

// TestClusterAutoscaledSystemPoolWithoutNAP: the cluster autoscaler runs on the system pool only
// with node auto-provisioning off; it then owns the count.
func TestClusterAutoscaledSystemPoolWithoutNAP(t *testing.T) {
	t.Parallel()
	run := runAKS(t, config.Dev, map[string]string{"aks": JSON(map[string]any{
		"kubernetesVersion": "1.36", "authorizedIpRanges": []string{"203.0.113.0/24"}, "nodeProvisioning": "Manual",
		"systemPool": map[string]any{"count": 2, "minCount": 2, "maxCount": 4},
	})})
	mc := One(t, run.s, tokManagedCluster)
	Equal(t, mc, "nodeProvisioningProfile", map[string]any{"mode": "Manual"})
	Equal(t, mc, "agentPoolProfiles[0].enableAutoScaling", true)
	Equal(t, mc, "agentPoolProfiles[0].count", 2)
	Equal(t, mc, "agentPoolProfiles[0].minCount", 2)
	Equal(t, mc, "agentPoolProfiles[0].maxCount", 4)
	assert.Equal(t, []string{"agentPoolProfiles[0].count"}, mc.IgnoreChanges, "the autoscaler owns the count: ignoreChanges")
	// The component refuses the autoscaler beside node auto-provisioning, whatever its caller.
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := cluster.New(ctx, "cluster", minimalCluster(func(a *cluster.Args) {
			a.NodeProvisioningMode = "Auto"
			a.SystemPool.MinCount, a.SystemPool.MaxCount = 1, 3
		}))
		return err
	})
	ErrorMentions(t, err, "cluster: SystemPool.MinCount 1, MaxCount 3: the cluster autoscaler cannot run with NodeProvisioningMode Auto")
}

func TestClusterUpgradesAndMaintenance(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			mc := One(t, run.s, tokManagedCluster)
			Equal(t, mc, "autoUpgradeProfile", map[string]any{
				"upgradeChannel":       map[string]string{config.Dev: "patch", config.Prod: "stable"}[env],
				"nodeOSUpgradeChannel": "NodeImage",
			})
			configs := run.s.ByType(tokMaintenance)
			require.Len(t, configs, 2, "maintenance configurations")
			for _, tt := range []struct {
				name, config, day string
			}{
				{"cluster-auto-upgrade", "aksManagedAutoUpgradeSchedule", "Sunday"},
				{"cluster-node-os-upgrade", "aksManagedNodeOSUpgradeSchedule", "Saturday"},
			} {
				m := Named(t, run.s, tokMaintenance, tt.name)
				Equal(t, m, "configName", tt.config)
				Equal(t, m, "resourceName", run.e.Names.AKSCluster)
				Equal(t, m, "resourceGroupName", run.e.Names.ResourceGroup)
				Equal(t, m, "maintenanceWindow", map[string]any{
					"schedule":      map[string]any{"weekly": map[string]any{"dayOfWeek": tt.day, "intervalWeeks": 1}},
					"durationHours": 4,
					"startTime":     "02:00",
					"utcOffset":     "+00:00",
				})
			}
		})
	}
}

func TestClusterAddons(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			workspace := ARMID(e, "Microsoft.OperationalInsights/workspaces/"+e.Names.LogAnalytics)
			prod := env == config.Prod
			mc := One(t, run.s, tokManagedCluster)
			Equal(t, mc, "addonProfiles", map[string]any{
				"omsagent": map[string]any{"enabled": true, "config": map[string]any{
					"logAnalyticsWorkspaceResourceID": workspace,
					"useAADAuth":                      "true",
				}},
				"azureKeyvaultSecretsProvider": map[string]any{"enabled": true, "config": map[string]any{
					"enableSecretRotation": "true",
					"rotationPollInterval": "2m",
				}},
				"azurepolicy": map[string]any{"enabled": prod},
			})
			if prod {
				Equal(t, mc, "securityProfile.defender", map[string]any{
					"logAnalyticsWorkspaceResourceId": workspace,
					"securityMonitoring":              map[string]any{"enabled": true},
				})
			} else {
				Equal(t, mc, "securityProfile.defender", map[string]any{"securityMonitoring": map[string]any{"enabled": false}})
			}
			Equal(t, mc, "azureMonitorProfile", map[string]any{"metrics": map[string]any{"enabled": true}})
		})
	}
}

func TestClusterSwitchesFollowConfig(t *testing.T) {
	t.Parallel()
	// Dev with Defender and Azure Policy on, prod with them off: config decides, not the
	// environment.
	for env, on := range map[string]bool{config.Dev: true, config.Prod: false} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, map[string]string{"aks": JSON(map[string]any{
				"kubernetesVersion": "1.36", "authorizedIpRanges": []string{"203.0.113.0/24"},
				"defender": on, "azurePolicy": on, "secretRotationInterval": "5m",
			})})
			mc := One(t, run.s, tokManagedCluster)
			Equal(t, mc, "addonProfiles.azurepolicy.enabled", on)
			Equal(t, mc, "securityProfile.defender.securityMonitoring.enabled", on)
			Equal(t, mc, "addonProfiles.azureKeyvaultSecretsProvider.config.rotationPollInterval", "5m")
		})
	}
}

func TestClusterContainerInsights(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			mc := One(t, run.s, tokManagedCluster)
			streams := []string{"Microsoft-ContainerInsights-Group-Default"}
			dcr := Named(t, run.s, tokDCR, "cluster-container-insights")
			Equal(t, dcr, "dataCollectionRuleName", e.Names.ContainerInsightsDataCollectionRule)
			Equal(t, dcr, "location", e.Location)
			Equal(t, dcr, "kind", "Linux")
			Equal(t, dcr, "dataSources", map[string]any{"extensions": []any{map[string]any{
				"name":              "ContainerInsightsExtension",
				"extensionName":     "ContainerInsights",
				"streams":           streams,
				"extensionSettings": map[string]any{"dataCollectionSettings": map[string]any{"enableContainerLogV2": true}},
			}}})
			Equal(t, dcr, "destinations", map[string]any{"logAnalytics": []any{map[string]any{
				"workspaceResourceId": ARMID(e, "Microsoft.OperationalInsights/workspaces/"+e.Names.LogAnalytics),
				"name":                "la-workspace",
			}}})
			Equal(t, dcr, "dataFlows", []any{map[string]any{"streams": streams, "destinations": []string{"la-workspace"}}})
			dcra := Named(t, run.s, tokDCRA, "cluster-container-insights")
			Equal(t, dcra, "associationName", "ContainerInsightsExtension")
			Equal(t, dcra, "resourceUri", mc.ID)
			Equal(t, dcra, "dataCollectionRuleId", dcr.ID)
		})
	}
}

func TestClusterManagedPrometheus(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			mc := One(t, run.s, tokManagedCluster)
			dce := One(t, run.s, tokDCE)
			Equal(t, dce, "dataCollectionEndpointName", e.Names.PrometheusDataCollectionEndpoint)
			Equal(t, dce, "kind", "Linux")
			Equal(t, dce, "location", e.Location)
			dcr := Named(t, run.s, tokDCR, "cluster-prometheus")
			streams := []string{"Microsoft-PrometheusMetrics"}
			Equal(t, dcr, "dataCollectionRuleName", e.Names.PrometheusDataCollectionRule)
			Equal(t, dcr, "kind", "Linux")
			Equal(t, dcr, "dataCollectionEndpointId", dce.ID)
			Equal(t, dcr, "dataSources", map[string]any{"prometheusForwarder": []any{map[string]any{
				"name": "PrometheusDataSource", "streams": streams, "labelIncludeFilter": map[string]any{},
			}}})
			Equal(t, dcr, "destinations", map[string]any{"monitoringAccounts": []any{map[string]any{
				"accountResourceId": ARMID(e, "Microsoft.Monitor/accounts/"+e.Names.MonitorWorkspace),
				"name":              "MonitoringAccount1",
			}}})
			Equal(t, dcr, "dataFlows", []any{map[string]any{"streams": streams, "destinations": []string{"MonitoringAccount1"}}})
			dcra := Named(t, run.s, tokDCRA, "cluster-prometheus")
			Equal(t, dcra, "associationName", "ContainerInsightsMetricsExtension")
			Equal(t, dcra, "resourceUri", mc.ID)
			Equal(t, dcra, "dataCollectionRuleId", dcr.ID)
			Absent(t, dcra, "dataCollectionEndpointId")
		})
	}
}

func TestClusterManagedPrometheusOff(t *testing.T) {
	t.Parallel()
	run := runAKS(t, config.Dev, map[string]string{"monitoring": JSON(map[string]any{"managedPrometheus": false})})
	mc := One(t, run.s, tokManagedCluster)
	Equal(t, mc, "azureMonitorProfile.metrics.enabled", false)
	assert.Empty(t, run.s.ByType(tokDCE), "want no data collection endpoint")
	// Container Insights stays.
	One(t, run.s, tokDCR)
	One(t, run.s, tokDCRA)
}

func TestACR(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			r := One(t, run.s, tokRegistry)
			Equal(t, r, "registryName", fixtureGlobal(e).ContainerRegistry)
			Equal(t, r, "adminUserEnabled", false)
			Equal(t, r, "anonymousPullEnabled", false)
			Equal(t, r, "networkRuleBypassOptions", "AzureServices")
			if env == config.Prod {
				Equal(t, r, "sku", map[string]any{"name": "Premium"})
				Equal(t, r, "zoneRedundancy", "Enabled")
				Equal(t, r, "publicNetworkAccess", "Disabled")
				Equal(t, r, "policies", map[string]any{
					"retentionPolicy": map[string]any{"days": 30, "status": "enabled"},
					"trustPolicy":     map[string]any{"status": "enabled", "type": "Notary"},
				})
				pe := Named(t, run.s, tokPrivateEP, "acr-registry")
				Equal(t, pe, "privateEndpointName", "pe-"+fixtureGlobal(e).ContainerRegistry+"-registry")
				Equal(t, pe, "subnet.id", subnetID(e, netplan.PrivateEndpoints))
				Equal(t, pe, "privateLinkServiceConnections[0].groupIds", []string{"registry"})
				Equal(t, pe, "privateLinkServiceConnections[0].privateLinkServiceId", r.ID)
				zg := Named(t, run.s, tokDNSZoneGroup, "acr-registry")
				Equal(t, zg, "privateDnsZoneConfigs[0].privateDnsZoneId", ARMID(e, "Microsoft.Network/privateDnsZones/privatelink.azurecr.io"))
			} else {
				Equal(t, r, "sku", map[string]any{"name": "Standard"})
				Equal(t, r, "zoneRedundancy", "Disabled")
				Equal(t, r, "publicNetworkAccess", "Enabled")
				Absent(t, r, "policies")
				assert.Nil(t, run.s.Named(tokPrivateEP, "acr-registry"), "dev has a registry private endpoint")
			}
			ds := Named(t, run.s, "azure-native:insights:DiagnosticSetting", "acr-diagnostics")
			Equal(t, ds, "resourceUri", r.ID)
			Equal(t, ds, "workspaceId", ARMID(e, "Microsoft.OperationalInsights/workspaces/"+e.Names.LogAnalytics))
		})
	}
}

// TestAKSLayerRoleAssignments checks every role assignment of the layer: principal, principal
// type, role and scope, and that there are no others.
func TestAKSLayerRoleAssignments(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			mc := One(t, run.s, tokManagedCluster)
			reg := One(t, run.s, tokRegistry)
			tc := One(t, run.s, "azure-native:servicenetworking/v20250101:TrafficControllerInterface")
			waf := One(t, run.s, "azure-native:network:WebApplicationFirewallPolicy")
			di := One(t, run.s, "azure-native:cognitiveservices:Account")
			principal := func(key string) string { return fixtureGUID(identityID(e, key), "principalId") }
			want := map[string]struct {
				principal, ptype string
				role             roles.Role
				scope            string
			}{
				"cluster-platform-admins-azure-kubernetes-service-cluster-user-role": {"11111111-1111-1111-1111-111111111111", "Group", roles.AKSClusterUser, mc.ID},
				// The flux layer writes namespaces and ConfigMaps through the Kubernetes API as the pipeline.
				"cluster-pipeline-azure-kubernetes-service-rbac-cluster-admin":  {principal(config.IdentityPipeline), "ServicePrincipal", roles.AKSRBACClusterAdmin, mc.ID},
				"acr-aks-kubelet-acrpull":                                       {principal(config.IdentityKubelet), "ServicePrincipal", roles.AcrPull, reg.ID},
				"acr-flux-acrpull":                                              {principal(config.IdentityFlux), "ServicePrincipal", roles.AcrPull, reg.ID},
				"acr-pipeline-acrpush":                                          {principal(config.IdentityPipeline), "ServicePrincipal", roles.AcrPush, reg.ID},
				"agc-alb-controller-appgw-for-containers-configuration-manager": {principal(config.IdentityALBController), "ServicePrincipal", roles.AppGwForContainersConfigManager, tc.ID},
				"agc-waf-alb-controller-network-contributor":                    {principal(config.IdentityALBController), "ServicePrincipal", roles.NetworkContributor, waf.ID},
			}
			// Cognitive Services User on Document Intelligence for every configured service that
			// uses it.
			for _, svc := range e.Services {
				if svc.DocumentIntelligence {
					want["docintel-"+svc.Name+"-cognitive-services-user"] = struct {
						principal, ptype string
						role             roles.Role
						scope            string
					}{principal(svc.Name), "ServicePrincipal", roles.CognitiveServicesUser, di.ID}
				}
			}
			got := run.s.ByType(tokRoleAssignment)
			assert.Len(t, got, len(want), "role assignments: %v", names(got))
			for name, w := range want {
				ra := Named(t, run.s, tokRoleAssignment, name)
				Equal(t, ra, "principalId", w.principal)
				Equal(t, ra, "principalType", w.ptype)
				Equal(t, ra, "scope", w.scope)
				Equal(t, ra, "roleDefinitionId", w.role.DefinitionID(offline.SubscriptionID))
			}
		})
	}
}

func TestFederation(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			issuer := Out(t, One(t, run.s, tokManagedCluster), "oidcIssuerProfile.issuerURL").(string)
			federations := e.WorkloadFederations()
			fics := run.s.ByType(tokFIC)
			require.Len(t, fics, len(federations), "federated credentials: %v", names(fics))
			subjects := map[string][]string{}
			var previous *offline.Resource
			for _, f := range federations {
				cred := naming.FederatedCredentialName(f.Namespace, f.ServiceAccount)
				fic := Named(t, run.s, tokFIC, "federation-"+f.IdentityKey+"-"+cred)
				subject := "system:serviceaccount:" + f.Namespace + ":" + f.ServiceAccount
				Equal(t, fic, "issuer", issuer)
				Equal(t, fic, "subject", subject)
				Equal(t, fic, "audiences", []string{"api://AzureADTokenExchange"})
				Equal(t, fic, "resourceName", e.Names.Identities[f.IdentityKey])
				Equal(t, fic, "resourceGroupName", e.Names.ResourceGroup)
				Equal(t, fic, "federatedIdentityCredentialResourceName", cred)
				// Credentials of one identity are written one after the other.
				if len(subjects[f.IdentityKey]) > 0 {
					assert.Contains(t, fic.DependsOn, previous.URN, "%s does not wait for %s", fic.Name, previous.Name)
				} else {
					assert.False(t, slices.ContainsFunc(fics, func(o *offline.Resource) bool { return slices.Contains(fic.DependsOn, o.URN) }),
						"%s, the first credential of its identity, waits for another credential", fic.Name)
				}
				subjects[f.IdentityKey] = append(subjects[f.IdentityKey], subject)
				previous = fic
			}
			// Every service and every platform workload is federated.
			for _, key := range append([]string{config.IdentityExternalSecrets, config.IdentityCertManager, config.IdentityALBController, config.IdentityFlux}, serviceNames(e)...) {
				assert.NotEmpty(t, subjects[key], "identity %s has no federated credential", key)
			}
			// Flux's configured service accounts and, with image automation (the dev profile's
			// default, not prod's), image-automation-controller.
			wantFlux := len(e.Workloads.Flux.ServiceAccounts)
			if e.Flux.ImageAutomation {
				wantFlux++
			}
			assert.Len(t, subjects[config.IdentityFlux], wantFlux, "flux's federated credentials")
			want := map[string]any{}
			for k, v := range subjects {
				want[k] = strings.Join(v, ",")
			}
			assert.Equal(t, normalize(want), normalize(Output(t, run.s, "federatedSubjects")), "exported federatedSubjects")
		})
	}
}

func serviceNames(e *config.Env) []string {
	var out []string
	for _, s := range e.Services {
		out = append(out, s.Name)
	}
	return out
}

// TestFederationFollowsServices: a fourth service in config gets its credential, in its namespace.
func TestFederationFollowsServices(t *testing.T) {
	t.Parallel()
	run := runAKS(t, config.Dev, map[string]string{"services": JSON([]map[string]any{
		{"name": "user-service", "namespace": "users"},
		{"name": "billing-service", "namespace": "billing", "serviceAccount": "billing-api"},
	})})
	fic := Named(t, run.s, tokFIC, "federation-billing-service-billing_billing-api")
	Equal(t, fic, "subject", "system:serviceaccount:billing:billing-api")
	Equal(t, fic, "resourceName", "id-saas-dev-weu-billing-service")
	assert.Len(t, run.s.ByType(tokFIC), 2+6, "credentials: 2 services, 6 platform service accounts")
}

// TestAKSLayerContract: the layer fills every contract field from real resource outputs, under
// its component.
func TestAKSLayerContract(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			e := run.e
			assert.Empty(t, run.unset, "unset contract fields")
			layer := One(t, run.s, "platform:layer:AKS")
			assert.Equal(t, "aks", layer.Name, "layer component name")
			for _, token := range []string{"platform:cluster:Cluster", "platform:acr:Registry", "platform:federation:Federation",
				"platform:agc:AGC", "platform:agc:Firewall", "platform:frontdoor:FrontDoor", "platform:docintel:DocIntel"} {
				assert.Equal(t, layer.URN, One(t, run.s, token).Parent, "%s is not below the layer component", token)
			}
			mc := One(t, run.s, tokManagedCluster)
			reg := One(t, run.s, tokRegistry)
			kubelet := identityID(e, config.IdentityKubelet)
			for key, want := range map[string]any{
				"clusterName":                  Out(t, mc, "name"),
				"clusterId":                    mc.ID,
				"oidcIssuerUrl":                Out(t, mc, "oidcIssuerProfile.issuerURL"),
				"kubeletIdentityClientId":      Out(t, mc, "identityProfile.kubeletidentity.clientId"),
				"kubeletIdentityObjectId":      Out(t, mc, "identityProfile.kubeletidentity.objectId"),
				"nodeResourceGroup":            Out(t, mc, "nodeResourceGroup"),
				"acrId":                        reg.ID,
				"acrLoginServer":               Out(t, reg, "loginServer"),
				"frontDoorEndpointHostName":    Out(t, One(t, run.s, "azure-native:cdn:AFDEndpoint"), "hostName"),
				"frontDoorProfileId":           One(t, run.s, "azure-native:cdn:Profile").ID,
				"agcTrafficControllerId":       One(t, run.s, "azure-native:servicenetworking/v20250101:TrafficControllerInterface").ID,
				"agcFrontendName":              "api",
				"agcFrontendFqdn":              Out(t, One(t, run.s, "azure-native:servicenetworking/v20250101:FrontendsInterface"), "fqdn"),
				"agcWafPolicyId":               One(t, run.s, "azure-native:network:WebApplicationFirewallPolicy").ID,
				"documentIntelligenceEndpoint": Out(t, One(t, run.s, "azure-native:cognitiveservices:Account"), "properties.endpoint"),
			} {
				assert.Equal(t, want, Output(t, run.s, key), "output %s", key)
			}
			// The manual DNS steps' values, per configured custom domain: the TXT value Front Door
			// issued for it, and the endpoint host its CNAME points at.
			endpointHost := Out(t, One(t, run.s, "azure-native:cdn:AFDEndpoint"), "hostName")
			tokens, targets := map[string]any{}, map[string]any{}
			for _, d := range run.s.ByType("azure-native:cdn:AFDCustomDomain") {
				tokens[In(t, d, "hostName").(string)] = Out(t, d, "validationProperties.validationToken")
				targets[In(t, d, "hostName").(string)] = endpointHost
			}
			require.Len(t, tokens, len(e.FrontDoor.CustomDomains), "one custom domain per configured host")
			assert.Equal(t, tokens, Output(t, run.s, "frontDoorValidationTokens"), "output frontDoorValidationTokens")
			assert.Equal(t, targets, Output(t, run.s, "frontDoorCnameTargets"), "output frontDoorCnameTargets")
			// The values are the ones the fixtures and names say.
			for key, want := range map[string]string{
				"clusterName":             e.Names.AKSCluster,
				"kubeletIdentityClientId": fixtureGUID(kubelet, "clientId"),
				"kubeletIdentityObjectId": fixtureGUID(kubelet, "principalId"),
				"nodeResourceGroup":       e.Names.NodeResourceGroup,
				"acrLoginServer":          fixtureGlobal(e).ContainerRegistry + ".azurecr.io",
			} {
				assert.Equal(t, want, Output(t, run.s, key), "output %s", key)
			}
		})
	}
}

func TestClusterValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := cluster.New(ctx, "cluster", &cluster.Args{
			Tier:                      "Gold",
			NodeProvisioningMode:      "Karpenter",
			UpgradeChannel:            "weekly",
			SystemPool:                cluster.SystemPool{MinCount: 3, MaxCount: 2, Zones: []string{"4"}},
			APIServer:                 cluster.APIServer{Access: cluster.APIServerPrivate, AuthorizedIPRanges: []string{"203.0.113.0/24"}},
			AutoUpgradeWindow:         cluster.Window{DayOfWeek: "Sun", StartTime: "02:00", DurationHours: 2},
			Monitoring:                cluster.Monitoring{Prometheus: &cluster.Prometheus{}},
			ImageCleanerIntervalHours: 12,
			DiagnosticSettings:        &avm.DiagnosticSettings{},
		})
		return err
	})
	ErrorMentions(t, err,
		"ResourceGroupName", "Location", "cluster: Name is required", "NodeResourceGroup", "KubernetesVersion", "TenantID",
		"AdminGroupObjectIDs", "ControlPlaneIdentityID", "KubeletIdentity.ResourceID", "KubeletIdentity.ClientID",
		"KubeletIdentity.ObjectID", "Network.PodCIDR", "Network.ServiceCIDR", "Network.DNSServiceIP", "NodeSubnetID",
		"Monitoring.LogAnalyticsWorkspaceID", "Monitoring.ContainerInsightsRuleName",
		"Monitoring.Prometheus.MonitorWorkspaceID", "Monitoring.Prometheus.EndpointName", "Monitoring.Prometheus.RuleName",
		`Tier "Gold"`, `NodeProvisioningMode "Karpenter"`, `UpgradeChannel "weekly"`, "SystemPool.Name", "SystemPool.VMSize",
		"SystemPool.Count 0: want 1-100", "SystemPool.MinCount 3, Count 0, MaxCount 2: want 1 <= MinCount <= Count <= MaxCount <= 100", `SystemPool.Zones "4"`, "APIServer.PrivateDNSZoneID", "AuthorizedIPRanges do not apply",
		`AutoUpgradeWindow.DayOfWeek "Sun"`, "AutoUpgradeWindow.DurationHours 2", `NodeOSUpgradeWindow.DayOfWeek ""`,
		"NodeOSUpgradeWindow.StartTime", "ImageCleanerIntervalHours 12: want 24-2160", "DiagnosticSettings.WorkspaceID is required",
	)
}

func TestACRValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := acr.New(ctx, "acr", &acr.Args{Sku: "Standard", ZoneRedundancy: true, RetentionDays: 400, ContentTrust: true, DisablePublicNetworkAccess: true})
		return err
	})
	ErrorMentions(t, err,
		"ResourceGroupName", "Location", "Name", "RetentionDays 400", "ZoneRedundancy needs the Premium SKU",
		"RetentionDays needs the Premium SKU", "ContentTrust needs the Premium SKU",
		"DisablePublicNetworkAccess needs the Premium SKU", "DisablePublicNetworkAccess needs a private endpoint",
	)
}

func TestFederationValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		sa := federation.ServiceAccount{Namespace: "flux-system", Name: "source-controller", CredentialName: "a"}
		_, err := federation.New(ctx, "federation", &federation.Args{Identities: []federation.Identity{
			{Key: "flux", ServiceAccounts: []federation.ServiceAccount{sa, sa}},
			{Key: "flux", ID: pulumi.String("/x")},
			{ID: pulumi.String("/x"), ServiceAccounts: []federation.ServiceAccount{{Name: "x"}}},
		}})
		return err
	})
	ErrorMentions(t, err,
		"Issuer is required", "Identities[0] (flux): ID is required", `CredentialName "a" is used twice`,
		`subject "system:serviceaccount:flux-system:source-controller" is federated twice`,
		"Identities[1] (flux): Key is used twice", "Identities[1] (flux): ServiceAccounts are required",
		"Identities[2] (): Key is required", "Namespace, Name and CredentialName are required",
	)
}

// TestFederationLimit: 20 service accounts on one identity are federated, 21 refused before
// anything registers, naming the identity.
func TestFederationLimit(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{20: "", 21: "federation: Identities[0] (flux): 21 service accounts, but Entra ID allows 20 federated credentials per identity"} {
		s, err := TryRunProgram(func(ctx *pulumi.Context) error {
			var sas []federation.ServiceAccount
			for i := range n {
				sas = append(sas, federation.ServiceAccount{Namespace: "flux-system", Name: fmt.Sprintf("sa-%d", i), CredentialName: fmt.Sprintf("flux-system_sa-%d", i)})
			}
			_, err := federation.New(ctx, "federation", &federation.Args{
				Issuer: pulumi.String("https://issuer.example/"),
				Identities: []federation.Identity{{
					Key: "flux", ID: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-flux"),
					ServiceAccounts: sas,
				}},
			})
			return err
		})
		if want == "" {
			require.NoError(t, err, "%d service accounts", n)
			assert.Len(t, s.ByType(tokFIC), n, "credentials")
			continue
		}
		assert.ErrorContains(t, err, want, "%d service accounts", n)
	}
}

// TestFederationRefusesAForeignID: a credential's parent comes from the identity's resource ID,
// and anything else fails the run instead of writing to a guessed identity.
func TestFederationRefusesAForeignID(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := federation.New(ctx, "federation", &federation.Args{
			Issuer: pulumi.String("https://issuer.example/"),
			Identities: []federation.Identity{{
				Key:             "x",
				ID:              pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"),
				ServiceAccounts: []federation.ServiceAccount{{Namespace: "a", Name: "b", CredentialName: "a_b"}},
			}},
		})
		return err
	})
	assert.ErrorContains(t, err, "is not a user-assigned identity's resource ID", "want the ID refused")
}

// TestAKSFixtureMatchesTheLayer: the aks fixture other layers' tests use reports the federated
// subjects in the layer's shape.
func TestAKSFixtureMatchesTheLayer(t *testing.T) {
	t.Parallel()
	run := runAKS(t, config.Prod, nil)
	fs, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: "prod"}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		return map[string]pulumi.Output{"federatedSubjects": AKSFixture(run.e).FederatedSubjects}, nil
	})
	require.NoError(t, err)
	fixture := Output(t, fs, "federatedSubjects")
	assert.Equal(t, normalize(fixture), normalize(Output(t, run.s, "federatedSubjects")), "layer federatedSubjects, compared with the fixture's")
}

// TestAKSLayerAPIOrigin: Front Door reaches the gateway over HTTPS on the configured origin host
// name (certificate name checked), and over HTTP on the frontend's own host without one.
func TestAKSLayerAPIOrigin(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		env, hostHeader, probe, forwarding string
	}{
		{"dev", "", "Http", "HttpOnly"},
		{"prod", Env(t, "prod", nil).AGC.OriginHostName, "Https", "HttpsOnly"},
	} {
		run := runAKS(t, tt.env, nil)
		fqdn := Out(t, One(t, run.s, "azure-native:servicenetworking/v20250101:FrontendsInterface"), "fqdn")
		origin := Named(t, run.s, "azure-native:cdn:AFDOrigin", "edge-api")
		Equal(t, origin, "hostName", fqdn)
		if tt.hostHeader == "" {
			Equal(t, origin, "originHostHeader", fqdn)
		} else {
			Equal(t, origin, "originHostHeader", tt.hostHeader)
		}
		Equal(t, Named(t, run.s, "azure-native:cdn:AFDOriginGroup", "edge-api"), "healthProbeSettings.probeProtocol", tt.probe)
		// The probe reaches the first configured service's health endpoint through the gateway.
		Equal(t, Named(t, run.s, "azure-native:cdn:AFDOriginGroup", "edge-api"), "healthProbeSettings.probePath", "/api/"+run.e.Services[0].Name+"/healthz")
		Equal(t, Named(t, run.s, "azure-native:cdn:Route", "edge-api"), "forwardingProtocol", tt.forwarding)
		// The SPA origin is HTTPS in every environment.
		Equal(t, Named(t, run.s, "azure-native:cdn:Route", "edge-spa"), "forwardingProtocol", "HttpsOnly")
	}
}

// TestAKSLayerProtection: where env.ProtectStatefulResources is set (prod), the registry, the
// cluster and Document Intelligence carry Pulumi's protect and a CanNotDelete lock on their own
// ID; nothing else of the layer is protected or locked, and in dev nothing is.
func TestAKSLayerProtection(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		env       string
		overrides map[string]string
		protected bool
	}{
		{config.Dev, nil, false},
		{config.Prod, nil, true},
		// The setting decides, not the environment's name.
		{config.Dev, map[string]string{"protectStatefulResources": "true"}, true},
	} {
		t.Run(fmt.Sprintf("%s/%v", tt.env, tt.protected), func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, tt.env, tt.overrides)
			require.Equal(t, tt.protected, run.e.ProtectStatefulResources, "protectStatefulResources")
			stateful := []*offline.Resource{
				One(t, run.s, tokManagedCluster),
				One(t, run.s, tokRegistry),
				One(t, run.s, "azure-native:cognitiveservices:Account"),
			}
			locks := map[string]*offline.Resource{}
			for _, l := range run.s.ByType("azure-native:authorization:ManagementLockByScope") {
				locks[In(t, l, "scope").(string)] = l
			}
			var protected []string
			for _, r := range run.s.Resources {
				if r.Protect {
					protected = append(protected, r.Key())
				}
			}
			if !tt.protected {
				assert.Empty(t, protected, "protected resources: want none")
				assert.Empty(t, locks, "locks: want none")
				return
			}
			assert.Len(t, protected, len(stateful), "protected resources %v: one per stateful resource", protected)
			assert.Len(t, locks, len(stateful), "locks: one per stateful resource")
			for _, r := range stateful {
				assert.True(t, r.Protect, "%s is not protected", r.Key())
				l := locks[r.ID]
				if !assert.NotNil(t, l, "%s has no lock", r.Key()) {
					continue
				}
				Equal(t, l, "level", "CanNotDelete")
				assert.Equal(t, r.Parent, l.Parent, "%s's lock is not beside it in its component", r.Key())
			}
		})
	}
}

// TestClusterDiagnostics: the control plane's admin audit and guard logs and its metrics go to the
// base workspace, in resource-specific tables; not allLogs, whose kube-audit is every API read.
func TestClusterDiagnostics(t *testing.T) {
	t.Parallel()
	for _, env := range envs() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, env, nil)
			mc := One(t, run.s, tokManagedCluster)
			ds := Named(t, run.s, "azure-native:insights:DiagnosticSetting", "cluster-diagnostics")
			assert.Equal(t, mc.Parent, ds.Parent, "the cluster's diagnostic setting is not in the cluster component")
			Equal(t, ds, "resourceUri", mc.ID)
			Equal(t, ds, "name", "to-log-analytics")
			Equal(t, ds, "workspaceId", ARMID(run.e, "Microsoft.OperationalInsights/workspaces/"+run.e.Names.LogAnalytics))
			Equal(t, ds, "logAnalyticsDestinationType", "Dedicated")
			Equal(t, ds, "logs", []any{
				map[string]any{"category": "kube-audit-admin", "enabled": true},
				map[string]any{"category": "guard", "enabled": true},
			})
			Equal(t, ds, "metrics", []any{map[string]any{"category": "AllMetrics", "enabled": true}})
		})
	}
}

// TestClusterDiagnosticsCategoryGroups: explicit category groups replace the default categories.
func TestClusterDiagnosticsCategoryGroups(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := cluster.New(ctx, "cluster", minimalCluster(func(a *cluster.Args) {
			a.DiagnosticSettings = &avm.DiagnosticSettings{WorkspaceID: pulumi.String("/ws"), LogCategoryGroups: []string{"audit"}, MetricCategories: []string{}}
		}))
		return err
	})
	ds := Named(t, s, "azure-native:insights:DiagnosticSetting", "cluster-diagnostics")
	Equal(t, ds, "logs", []any{map[string]any{"categoryGroup": "audit", "enabled": true}})
	Equal(t, ds, "metrics", []any{})
}

// minimalCluster is cluster args with every required field, changed by edit.
func minimalCluster(edit func(a *cluster.Args)) *cluster.Args {
	w := cluster.Window{DayOfWeek: "Sunday", StartTime: "02:00", DurationHours: 4}
	a := &cluster.Args{
		ResourceGroupName: pulumi.String("rg"), Location: pulumi.String("westeurope"), Name: "aks", NodeResourceGroup: "rg-nodes",
		KubernetesVersion: "1.36", TenantID: pulumi.String("t"), AdminGroupObjectIDs: []pulumi.StringInput{pulumi.String("g")},
		ControlPlaneIdentityID: pulumi.String("/cp"),
		KubeletIdentity:        cluster.KubeletIdentity{ResourceID: pulumi.String("/k"), ClientID: pulumi.String("c"), ObjectID: pulumi.String("o")},
		Network:                cluster.Network{PodCIDR: "10.244.0.0/16", ServiceCIDR: "172.16.0.0/16", DNSServiceIP: "172.16.0.10"},
		NodeSubnetID:           pulumi.String("/nodes"),
		SystemPool:             cluster.SystemPool{Name: "system", VMSize: "Standard_D4ds_v5", Count: 1},
		APIServer:              cluster.APIServer{Access: cluster.APIServerVNetIntegration, SubnetID: pulumi.String("/api")},
		AutoUpgradeWindow:      w,
		NodeOSUpgradeWindow:    w,
		Monitoring:             cluster.Monitoring{LogAnalyticsWorkspaceID: pulumi.String("/ws"), ContainerInsightsRuleName: "dcr"},
	}
	edit(a)
	return a
}

// TestClusterMaintenanceFollowsChannels: a maintenance configuration exists only while something
// runs in it. The node OS one also paces node auto-provisioning's image updates, so it stays with
// node auto-provisioning on whatever the node OS channel.
func TestClusterMaintenanceFollowsChannels(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		upgrade, nodeOS, provisioning string
		want                          []string
	}{
		{"patch", "NodeImage", "Auto", []string{"cluster-auto-upgrade", "cluster-node-os-upgrade"}},
		{"none", "NodeImage", "Auto", []string{"cluster-node-os-upgrade"}},
		{"stable", "SecurityPatch", "Manual", []string{"cluster-auto-upgrade", "cluster-node-os-upgrade"}},
		{"patch", "None", "Manual", []string{"cluster-auto-upgrade"}},
		{"patch", "Unmanaged", "Manual", []string{"cluster-auto-upgrade"}},
		{"patch", "Unmanaged", "Auto", []string{"cluster-auto-upgrade", "cluster-node-os-upgrade"}},
		{"none", "None", "Manual", nil},
	} {
		t.Run(tt.upgrade+"/"+tt.nodeOS+"/"+tt.provisioning, func(t *testing.T) {
			t.Parallel()
			run := runAKS(t, config.Dev, map[string]string{"aks": JSON(map[string]any{
				"kubernetesVersion": "1.36", "authorizedIpRanges": []string{"203.0.113.0/24"},
				"upgradeChannel": tt.upgrade, "nodeOsUpgradeChannel": tt.nodeOS, "nodeProvisioning": tt.provisioning,
			})})
			Equal(t, One(t, run.s, tokManagedCluster), "autoUpgradeProfile", map[string]any{"upgradeChannel": tt.upgrade, "nodeOSUpgradeChannel": tt.nodeOS})
			assert.Equal(t, normalize(tt.want), normalize(names(run.s.ByType(tokMaintenance))), "maintenance configurations")
		})
	}
}

// TestClusterWindowsOnlyValidatedWhenUsed: a window nothing runs in is not required.
func TestClusterWindowsOnlyValidatedWhenUsed(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := cluster.New(ctx, "cluster", minimalCluster(func(a *cluster.Args) {
			a.UpgradeChannel, a.NodeOSUpgradeChannel, a.NodeProvisioningMode = "none", "None", "Manual"
			a.AutoUpgradeWindow, a.NodeOSUpgradeWindow = cluster.Window{}, cluster.Window{}
		}))
		return err
	})
	assert.Empty(t, s.ByType(tokMaintenance), "maintenance configurations: want none")

}
