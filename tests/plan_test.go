package tests

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/offline"
)

// TestPlanChain runs the layered plan of each environment: the four stacks in order, each
// exporting its whole contract, each later stack reading every upstream stack it needs through a
// StackReference that resolves to exactly what that stack exported.
func TestPlanChain(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			p := Plan(t, env, offline.Layered, Config(t, env, nil))
			var order []string
			for _, s := range p.Stacks {
				order = append(order, s.Name)
			}
			want := []string{"organization/platform-base/" + env, "organization/platform-identity/" + env, "organization/platform-aks/" + env, "organization/platform-flux/" + env}
			require.Equal(t, want, order, "stacks")
			reads := map[string][]string{layers.Base: nil, layers.Identity: {layers.Base}, layers.AKS: {layers.Base, layers.Identity}, layers.Flux: {layers.Base, layers.Identity, layers.AKS}}
			for _, s := range p.Stacks {
				assert.Equal(t, contract.Keys(reflect.New(contracts[s.Layer]).Interface()), sortedKeys(s.Outputs), "%s exports: want its contract's keys", s.Name)
				refs := s.ByType("pulumi:pulumi:StackReference")
				assert.Len(t, refs, len(reads[s.Layer]), "%s: stack references", s.Name)
				for _, upstream := range reads[s.Layer] {
					ref := Named(t, s, "pulumi:pulumi:StackReference", upstream)
					up := p.Stack(upstream)
					assert.Equal(t, up.Name, offline.Plain(ref.Inputs["name"]), "%s: the stack it reads %s from", s.Name, upstream)
					assert.Equal(t, normalize(offline.Plain(resource.NewProperty(up.Outputs))), normalize(Out(t, ref, "outputs")),
						"%s's reference to %s does not carry that stack's outputs", s.Name, upstream)
				}
			}
		})
	}
}

// TestPlanSingleWiresTheSameValues: the single-stack composition hands the layers their upstream
// directly and creates exactly the resources of the layered stacks, with identical inputs.
func TestPlanSingleWiresTheSameValues(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			cfg := Config(t, env, nil)
			layered := customInputs(Plan(t, env, offline.Layered, cfg))
			single := customInputs(Plan(t, env, offline.Single, cfg))
			assert.Len(t, single, len(layered), "custom resources of the single plan, compared with the layered one")
			for key, in := range layered {
				other, ok := single[key]
				if assert.True(t, ok, "single plan lacks %s", key) {
					assert.Equal(t, in, other, "%s differs (layered, single)", key)
				}
			}
			for key := range single {
				assert.Contains(t, layered, key, "single plan has extra %s", key)
			}
		})
	}
}

// customInputs maps every managed custom resource of a plan to its inputs as JSON.
func customInputs(p *offline.Plan) map[string]string {
	out := map[string]string{}
	for _, s := range p.Stacks {
		for _, r := range s.Resources {
			if r.Custom && !r.Read {
				out[r.Key()] = JSON(offline.Plain(resource.NewProperty(r.Inputs)))
			}
		}
	}
	return out
}

// TestPlanDeterministic: two runs of the real program render byte-identical plans, as text and
// as JSON, although the mock monitor sees registrations concurrently.
func TestPlanDeterministic(t *testing.T) {
	for _, mode := range []string{offline.Layered, offline.Single} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			cfg := Config(t, "prod", nil)
			render := func() string {
				var b bytes.Buffer
				p := Plan(t, "prod", mode, cfg)
				require.NoError(t, p.WriteJSON(&b))
				require.NoError(t, p.WriteText(&b))
				return b.String()
			}
			require.Equal(t, render(), render(), "two runs rendered different plans")
		})
	}
}

// TestPlanRefusesBadConfig: a settings file with several mistakes fails before anything runs,
// listing every mistake with its key.
func TestPlanRefusesBadConfig(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(RepoRoot(), "Pulumi.dev.yaml"))
	require.NoError(t, err)
	bad := strings.NewReplacer(
		"platform:environment: dev", "platform:environment: Staging",
		"addressSpace: 10.40.0.0/16", "addressSpace: 10.40.0.0/33",
		`kubernetesVersion: "`+Env(t, "dev", nil).AKS.KubernetesVersion+`"`, `kubernetesVersion: "latest"`,
		"platform:acr:\n    sku: Standard", "platform:acr:\n    sku: Standard\n    privateEndpoint: true",
	).Replace(string(data)) + "  platform:netwrk: {}\n"
	path := filepath.Join(t.TempDir(), "Pulumi.dev.yaml")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
	ran := false
	_, err = offline.FromFile(path, offline.Options{Environment: "dev", Layers: layers.Order}, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		ran = true
		return nil, nil
	})
	require.Error(t, err, "want the validation problems")
	assert.False(t, ran, "the program ran despite invalid settings")
	ErrorMentions(t, err, "platform:environment", "platform:network.addressSpace", "platform:aks.kubernetesVersion", "platform:acr.privateEndpoint", "platform:netwrk")
}

// TestPlanJSONShape checks the documented fields of the plan file on the real plan.
func TestPlanJSONShape(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, Plan(t, "dev", offline.Layered, Config(t, "dev", nil)).WriteJSON(&b))
	var doc struct {
		Environment string `json:"environment"`
		Mode        string `json:"mode"`
		Stacks      []struct {
			Layer     string `json:"layer"`
			Stack     string `json:"stack"`
			Resources []struct {
				Type      string         `json:"type"`
				Name      string         `json:"name"`
				Parent    string         `json:"parent"`
				Custom    bool           `json:"custom"`
				Protect   bool           `json:"protect"`
				DependsOn []string       `json:"dependsOn"`
				Inputs    map[string]any `json:"inputs"`
			} `json:"resources"`
			Outputs map[string]any `json:"outputs"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.Equal(t, "dev", doc.Environment, "header: environment")
	require.Equal(t, "layered", doc.Mode, "header: mode")
	require.Len(t, doc.Stacks, 4, "header: stacks")
	base := doc.Stacks[0]
	assert.Equal(t, "base", base.Layer, "base stack: layer")
	assert.Equal(t, "organization/platform-base/dev", base.Stack, "base stack: stack")
	suffix, _ := base.Outputs["nameSuffix"].(string)
	require.Regexp(t, `^[a-z0-9]{4}$`, suffix, "base stack: output nameSuffix")
	assert.Equal(t, "kv-saas-dev-weu-"+suffix, base.Outputs["keyVaultName"], "base stack: output keyVaultName")
	found := false
	for _, r := range base.Resources {
		if r.Type == "azure-native:keyvault:Vault" {
			found = true
			assert.Equal(t, "platform:keyvault:KeyVault::keyvault", r.Parent, "vault entry: parent")
			assert.True(t, r.Custom, "vault entry: custom")
			assert.Equal(t, "kv-saas-dev-weu-"+suffix, r.Inputs["vaultName"], "vault entry: inputs.vaultName")
		}
	}
	assert.True(t, found, "no vault in the base stack")

}
