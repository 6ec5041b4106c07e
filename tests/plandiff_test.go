package tests

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	cs "github.com/pulumi/pulumi-azure-native-sdk/containerservice/v2/v20240902preview"
	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/offline"
)

func planFile(t *testing.T, env, mode string, overrides map[string]string) *offline.PlanFile {
	t.Helper()
	f, err := Plan(t, env, mode, Config(t, env, overrides)).File()
	require.NoError(t, err)
	return f
}

// shippedPlans are the layered plans of dev and prod with the shipped settings, run once for the
// tests that only read them.
var shippedPlans = sync.OnceValues(func() (map[string]*offline.PlanFile, error) {
	out := map[string]*offline.PlanFile{}
	for _, env := range []string{"dev", "prod"} {
		all, err := config.ReadStackFile(filepath.Join(RepoRoot(), "Pulumi."+env+".yaml"))
		if err != nil {
			return nil, err
		}
		p, err := TryPlan(env, offline.Layered, all)
		if err != nil {
			return nil, err
		}
		if out[env], err = p.File(); err != nil {
			return nil, err
		}
	}
	return out, nil
})

func shipped(t *testing.T, env string) *offline.PlanFile {
	t.Helper()
	plans, err := shippedPlans()
	require.NoError(t, err)
	return plans[env]
}

// TestPlanDiffOfTheRealPlanWithItselfIsEmpty: two runs of the real program for the same settings
// diff empty, for both environments in both modes (what a pull request that changes nothing shows).
func TestPlanDiffOfTheRealPlanWithItselfIsEmpty(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"dev", "prod"} {
		for _, mode := range []string{offline.Layered, offline.Single} {
			t.Run(env+"/"+mode, func(t *testing.T) {
				t.Parallel()
				d, err := offline.Compare(planFile(t, env, mode, nil), planFile(t, env, mode, nil))
				require.NoError(t, err)
				assert.True(t, d.Empty(), "%+v", d.Counts())
				assert.Len(t, d.Stacks, map[string]int{offline.Layered: 4, offline.Single: 1}[mode])
			})
		}
	}
}

// TestPlanDiffOfASettingsChange: on the real dev plan, a new Kubernetes version updates the cluster
// in place, while a new service range (networkProfile) replaces it; nothing else of the layered
// plan changes, and the base stack is untouched.
func TestPlanDiffOfASettingsChange(t *testing.T) {
	t.Parallel()
	old := shipped(t, "dev")
	const token = "azure-native:containerservice/v20240902preview:ManagedCluster"
	aks := func(d *offline.Diff) offline.StackDiff {
		for _, s := range d.Stacks {
			if s.Layer == "aks" {
				return s
			}
		}
		t.Fatal("no aks stack")
		return offline.StackDiff{}
	}
	for _, tt := range []struct {
		name     string
		aks      string
		op, path string
	}{
		{"kubernetes version", shippedAKS(t, "kubernetesVersion", nextMinor(t)), offline.OpUpdate, "kubernetesVersion"},
		{"service range", shippedAKS(t, "serviceCidr", "172.17.0.0/16"), offline.OpReplace, "networkProfile.serviceCidr"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := offline.Compare(old, planFile(t, "dev", offline.Layered, map[string]string{"aks": tt.aks}))
			require.NoError(t, err)
			for _, s := range d.Stacks {
				if s.Layer == "base" || s.Layer == "identity" {
					assert.True(t, s.Empty(), "%s changed: %+v", s.Layer, s.Counts())
				}
			}
			var cluster *offline.ResourceDiff
			for i, r := range aks(d).Resources {
				if r.Type == token {
					cluster = &aks(d).Resources[i]
				}
			}
			require.NotNil(t, cluster, "the cluster changes")
			assert.Equal(t, tt.op, cluster.Op)
			var paths []string
			for _, c := range cluster.Changes {
				paths = append(paths, c.Path)
			}
			assert.Contains(t, paths, tt.path)
		})
	}
}

// TestReplaceRulesCoverEveryPlannedType: every custom resource type of both environments is known
// to the replacement rules, so a new type cannot slip into the plans without them (provider
// resources and stack references excepted: they are not Azure resources).
func TestReplaceRulesCoverEveryPlannedType(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"dev", "prod"} {
		for _, s := range shipped(t, env).Stacks {
			for _, r := range s.Resources {
				if !r.Custom || strings.HasPrefix(r.Type, "pulumi:") {
					continue
				}
				assert.True(t, offline.KnowsReplacement(r.Type), "%s: no replacement rules for %s", env, r.Type)
			}
		}
	}
}

// TestReplaceKeysAreInputsOfTheirType: the first segment of every replace key (other than the
// location every azure-native type gets) is an input of that type: one the plans set, or, for
// the keys the platform leaves unset, a field of the provider SDK's Args. A misspelt key would
// never match and silently flag nothing.
func TestReplaceKeysAreInputsOfTheirType(t *testing.T) {
	t.Parallel()
	sdkArgs := map[string]pulumi.Input{
		"azure-native:containerservice/v20240902preview:ManagedCluster":   cs.ManagedClusterArgs{},
		"azure-native:network:PublicIPAddress":                            bindings.PublicIPAddressArgs{},
		"azuread:index/application:Application":                           azuread.ApplicationArgs{},
		"azuread:index/applicationPreAuthorized:ApplicationPreAuthorized": azuread.ApplicationPreAuthorizedArgs{},
		// Its deprecated applicationObjectId forces replacement too (the shipped plans set applicationId).
		"azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": azuread.ApplicationFederatedIdentityCredentialArgs{},
		"azuread:index/group:Group":                       azuread.GroupArgs{},
		"azuread:index/servicePrincipal:ServicePrincipal": azuread.ServicePrincipalArgs{},
		"random:index/randomString:RandomString":          random.RandomStringArgs{},
	}
	inputs := map[string]map[string]bool{}
	for _, env := range []string{"dev", "prod"} {
		for _, s := range shipped(t, env).Stacks {
			for _, r := range s.Resources {
				if inputs[r.Type] == nil {
					inputs[r.Type] = map[string]bool{}
				}
				for k := range r.Inputs {
					inputs[r.Type][k] = true
				}
			}
		}
	}
	for token, set := range inputs {
		if a, ok := sdkArgs[token]; ok {
			elem := a.ElementType()
			for i := 0; i < elem.NumField(); i++ {
				if tag := elem.Field(i).Tag.Get("pulumi"); tag != "" {
					set[tag] = true
				}
			}
		}
		if !offline.KnowsReplacement(token) {
			continue
		}
		for _, k := range offline.ReplaceKeys(token) {
			top, _, _ := strings.Cut(strings.ReplaceAll(k, "[]", ""), ".")
			if top == "location" {
				continue
			}
			assert.True(t, set[top], "%s: replace key %q is not an input of the type", token, k)
		}
	}
}

// nextMinor is the Kubernetes minor after dev's shipped one: an upgrade (config refuses minors
// out of AKS support).
func nextMinor(t *testing.T) string {
	t.Helper()
	v := Env(t, "dev", nil).AKS.KubernetesVersion
	minor, err := strconv.Atoi(strings.Split(v, ".")[1])
	require.NoError(t, err, "dev's kubernetesVersion %q", v)
	return "1." + strconv.Itoa(minor+1)
}

// shippedAKS is dev's shipped platform:aks object with one key changed, as a config override.
func shippedAKS(t *testing.T, key, value string) string {
	t.Helper()
	var aks map[string]any
	require.NoError(t, json.Unmarshal([]byte(Config(t, "dev", nil)["platform:aks"]), &aks))
	aks[key] = value
	return JSON(aks)
}
