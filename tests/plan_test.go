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
			if !reflect.DeepEqual(order, want) {
				t.Fatalf("stacks %v, want %v", order, want)
			}
			reads := map[string][]string{layers.Base: nil, layers.Identity: {layers.Base}, layers.AKS: {layers.Base, layers.Identity}, layers.Flux: {layers.Base, layers.Identity, layers.AKS}}
			for _, s := range p.Stacks {
				if got := sortedKeys(s.Outputs); !reflect.DeepEqual(got, contract.Keys(reflect.New(contracts[s.Layer]).Interface())) {
					t.Errorf("%s exports %v, want its contract's keys", s.Name, got)
				}
				refs := s.ByType("pulumi:pulumi:StackReference")
				if len(refs) != len(reads[s.Layer]) {
					t.Errorf("%s has %d stack references, want %d", s.Name, len(refs), len(reads[s.Layer]))
				}
				for _, upstream := range reads[s.Layer] {
					ref := Named(t, s, "pulumi:pulumi:StackReference", upstream)
					up := p.Stack(upstream)
					if got := offline.Plain(ref.Inputs["name"]); got != up.Name {
						t.Errorf("%s reads %s from %v, want %s", s.Name, upstream, got, up.Name)
					}
					if JSON(Out(t, ref, "outputs")) != JSON(offline.Plain(resource.NewProperty(up.Outputs))) {
						t.Errorf("%s's reference to %s does not carry that stack's outputs", s.Name, upstream)
					}
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
			if len(layered) != len(single) {
				t.Errorf("layered plan has %d custom resources, single %d", len(layered), len(single))
			}
			for key, in := range layered {
				other, ok := single[key]
				switch {
				case !ok:
					t.Errorf("single plan lacks %s", key)
				case in != other:
					t.Errorf("%s differs:\nlayered %s\nsingle  %s", key, in, other)
				}
			}
			for key := range single {
				if _, ok := layered[key]; !ok {
					t.Errorf("single plan has extra %s", key)
				}
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
				if err := p.WriteJSON(&b); err != nil {
					t.Fatal(err)
				}
				if err := p.WriteText(&b); err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
			if render() != render() {
				t.Fatal("two runs rendered different plans")
			}
		})
	}
}

// TestPlanRefusesBadConfig: a settings file with several mistakes fails before anything runs,
// listing every mistake with its key.
func TestPlanRefusesBadConfig(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(RepoRoot(), "Pulumi.dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.NewReplacer(
		"platform:environment: dev", "platform:environment: staging",
		"addressSpace: 10.40.0.0/16", "addressSpace: 10.40.0.0/33",
		`kubernetesVersion: "1.33"`, `kubernetesVersion: "latest"`,
		"platform:acr:\n    sku: Standard", "platform:acr:\n    sku: Standard\n    privateEndpoint: true",
	).Replace(string(data)) + "  platform:netwrk: {}\n"
	path := filepath.Join(t.TempDir(), "Pulumi.dev.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	ran := false
	_, err = offline.FromFile(path, offline.Options{Environment: "dev", Layers: layers.Order}, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		ran = true
		return nil, nil
	})
	if err == nil {
		t.Fatal("want the validation problems")
	}
	if ran {
		t.Error("the program ran despite invalid settings")
	}
	for _, want := range []string{"platform:environment", "platform:network.addressSpace", "platform:aks.kubernetesVersion", "platform:acr.privateEndpoint", "platform:netwrk"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %s:\n%v", want, err)
		}
	}
}

// TestPlanJSONShape checks the documented fields of the plan file on the real plan.
func TestPlanJSONShape(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Plan(t, "dev", offline.Layered, Config(t, "dev", nil)).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
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
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Environment != "dev" || doc.Mode != "layered" || len(doc.Stacks) != 4 {
		t.Fatalf("header: %s %s %d stacks", doc.Environment, doc.Mode, len(doc.Stacks))
	}
	base := doc.Stacks[0]
	if base.Layer != "base" || base.Stack != "organization/platform-base/dev" || base.Outputs["keyVaultName"] != "kv-saas-dev-weu" {
		t.Errorf("base stack: %s %s %v", base.Layer, base.Stack, base.Outputs["keyVaultName"])
	}
	found := false
	for _, r := range base.Resources {
		if r.Type == "azure-native:keyvault:Vault" {
			found = true
			if r.Parent != "platform:keyvault:KeyVault::keyvault" || !r.Custom || r.Inputs["vaultName"] != "kv-saas-dev-weu" {
				t.Errorf("vault entry: %+v", r)
			}
		}
	}
	if !found {
		t.Error("no vault in the base stack")
	}
}
