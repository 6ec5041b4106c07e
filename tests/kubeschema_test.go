package tests

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/fluxbuild"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/kubeschema"
	"github.com/azure-saas-platform/platform/layers/flux"
	"github.com/azure-saas-platform/platform/offline"
)

// knownUnavailable are the kinds of the tree that have no vendored schema, with the reason
// kubeschema gives (kubeschema/schemas/sources.yaml, "unavailable"). The test requires each to be
// reported exactly so, and nothing else to be; take a kind out once its schema is vendored.
var knownUnavailable = map[string]string{
	"alb.networking.azure.io/v1 WebApplicationFirewallPolicy": "the ALB controller's CRDs ship only inside its Helm chart",
}

// TestKubeSchemaGitOpsTree: every object of every entry point of gitops/clusters/<env>, built
// and substituted as Flux does with the cluster values the flux layer writes into the
// cluster-values ConfigMap every kustomization reads (postBuild.substituteFrom), is valid
// against the API schema it names (kubeschema): built-in kinds against the cluster's Kubernetes
// version (kubeschema.KubernetesVersion), custom kinds against the pinned CRDs. The optional
// entry points are reached by configuring what turns them on (Git auth keyVaultSecret, image
// automation, with and without an origin host name), so every entry point of every environment
// is validated: dev, prod and the staging example (on the tree its README step makes,
// EnvironmentTree).
func TestKubeSchemaGitOpsTree(t *testing.T) {
	for _, env := range environments() {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			root := EnvironmentTree(t, env)
			entries := fluxEntryPoints(t, env)
			var want []string
			for _, e := range gitops.EntryPoints() {
				want = append(want, gitops.Path(env, e))
			}
			require.ElementsMatch(t, want, keysOfEntries(entries), "every entry point of %s is validated", env)

			var objects []kubeschema.Object
			for _, path := range keysOfEntries(entries) {
				built, err := fluxbuild.Build(root, path, entries[path])
				require.NoError(t, err)
				for _, m := range built {
					objects = append(objects, kubeschema.Object{Source: strings.TrimPrefix(path, "./gitops/clusters/"), Data: m})
				}
			}
			require.Greater(t, len(objects), 60, "%s: too few objects built", env)

			seenUnavailable := map[string]bool{}
			for _, p := range kubeschema.Validate(objects) {
				if reason, ok := knownUnavailable[p.APIVersion+" "+p.Kind]; ok && p.Path == "" && strings.Contains(p.Message, reason) {
					seenUnavailable[p.APIVersion+" "+p.Kind] = true
					t.Logf("not validated, no schema: %s", p)
					continue
				}
				assert.Fail(t, "invalid object", p.String())
			}
			for k := range knownUnavailable {
				assert.True(t, seenUnavailable[k], "%s is listed as without schema but was not reported so: remove it from knownUnavailable", k)
			}
		})
	}
}

// fluxEntryPoints runs the flux layer on the fixtures for the configurations that together turn
// on every entry point of an environment, and returns each entry point's path with the
// post-build variables it gets: the data of the cluster-values ConfigMap.
func fluxEntryPoints(t *testing.T, env string) map[string]map[string]string {
	t.Helper()
	shipped := Env(t, env, nil)
	flx := map[string]any{
		"repositoryUrl": "https://github.com/contoso/platform", "branch": shipped.Flux.Branch,
		"autoUpgradeMinorVersion": shipped.Flux.AutoUpgradeMinorVersion,
		"auth":                    "keyVaultSecret", "credentialsSecret": "flux-git",
		"imageAutomation": true,
	}
	if shipped.Flux.Version != "" {
		flx["version"] = shipped.Flux.Version
	}
	all := map[string]string{"flux": JSON(flx)}
	// The gateway variant the shipped configuration does not use: with an origin host name where
	// there is none (dev). Prod requires one, so no prod configuration reaches gateway-http.
	if shipped.AGC.OriginHostName == "" {
		all["agc"] = JSON(map[string]any{
			"wafMode":         shipped.AGC.WAFMode,
			"originHostName":  "api-origin.contoso.example",
			"originDnsZoneId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/contoso.example",
		})
	}
	out := map[string]map[string]string{}
	for _, overrides := range []map[string]string{nil, all} {
		e := Env(t, env, overrides)
		s, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: env}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
			o, err := flux.New(ctx, e, BaseFixture(e), IdentityFixture(e), AKSFixture(e))
			if err != nil {
				return nil, err
			}
			return contract.Export(ctx, "", o)
		})
		require.NoError(t, err, "flux layer %s %v", env, overrides)
		cfgs := s.ByType(bindings.FluxConfigurationType)
		require.Len(t, cfgs, 1)
		inputs := offline.Plain(resource.NewProperty(cfgs[0].Inputs)).(map[string]any)
		ks, _ := inputs["kustomizations"].(map[string]any)
		require.NotEmpty(t, ks)
		// Every kustomization reads its variables from the cluster-values ConfigMap the layer
		// writes, and from nowhere else.
		vars := map[string]string{}
		for key, v := range clusterValues(t, s) {
			vars[key] = fmt.Sprint(v)
		}
		require.NotEmpty(t, vars, "%s: the cluster-values ConfigMap is empty", env)
		fromClusterValues := map[string]any{"substituteFrom": []any{map[string]any{"kind": "ConfigMap", "name": gitops.ClusterValuesConfigMap, "optional": false}}}
		for name, k := range ks {
			km := k.(map[string]any)
			path, _ := km["path"].(string)
			require.Equal(t, fromClusterValues, km["postBuild"], "%s: kustomization %s", env, name)
			if _, seen := out[path]; !seen { // the shipped configuration's values first
				out[path] = vars
			}
		}
	}
	// An entry point no configuration of the environment can select is still shipped: validate it
	// with the shipped configuration's variables (every kustomization gets the same set).
	for _, e := range unreachableEntryPoints[shipped.Profile] {
		path := gitops.Path(env, e)
		require.NotContains(t, out, path, "%s is reached by a configuration now: remove it from unreachableEntryPoints", path)
		out[path] = out[gitops.Path(env, gitops.InfraControllers)]
	}
	return out
}

// unreachableEntryPoints are entry points, per profile, that no valid configuration of it points
// at: the prod profile refuses a configuration without agc.originHostName, so it always uses
// gateway-https and publishes the dashboards (monitoring-dashboards).
var unreachableEntryPoints = map[string][]string{"prod": {gitops.GatewayVariant(false), gitops.MonitoringVariant(false)}}

func keysOfEntries(m map[string]map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
