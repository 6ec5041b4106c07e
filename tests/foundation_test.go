package tests

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/layers/aks"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/flux"
	"github.com/azure-saas-platform/platform/layers/identity"
	"github.com/azure-saas-platform/platform/offline"
)

// fill sets every field of an Outputs struct to a distinct value derived from its key, secret
// fields as secrets, and returns the plain values for comparison.
func fill(v reflect.Value) map[string]any {
	want := map[string]any{}
	for _, f := range contract.Fields(v.Type()) {
		var out pulumi.Output
		switch f.Type {
		case reflect.TypeOf(pulumi.StringOutput{}):
			want[f.Key] = "value-of-" + f.Key
			out = pulumi.String("value-of-" + f.Key).ToStringOutput()
		case reflect.TypeOf(pulumi.StringMapOutput{}):
			want[f.Key] = map[string]any{"a": f.Key + "-a", "b": f.Key + "-b"}
			out = pulumi.StringMap{"a": pulumi.String(f.Key + "-a"), "b": pulumi.String(f.Key + "-b")}.ToStringMapOutput()
		case reflect.TypeOf(pulumi.StringArrayOutput{}):
			want[f.Key] = []any{f.Key + "-0", f.Key + "-1"}
			out = pulumi.StringArray{pulumi.String(f.Key + "-0"), pulumi.String(f.Key + "-1")}.ToStringArrayOutput()
		case reflect.TypeOf(pulumi.BoolOutput{}):
			want[f.Key] = true
			out = pulumi.Bool(true).ToBoolOutput()
		}
		v.Field(f.Index).Set(reflect.ValueOf(out))
	}
	return want
}

// contracts lists every layer's Outputs type.
var contracts = map[string]reflect.Type{
	layers.Base:     reflect.TypeOf(base.Outputs{}),
	layers.Identity: reflect.TypeOf(identity.Outputs{}),
	layers.AKS:      reflect.TypeOf(aks.Outputs{}),
	layers.Flux:     reflect.TypeOf(flux.Outputs{}),
}

// TestContractFieldByField exports each layer's contract from a producer stack and reads it back
// through a StackReference in a consumer stack with the functions the layers use, then compares
// every field's value.
func TestContractFieldByField(t *testing.T) {
	for layer, typ := range contracts {
		t.Run(layer, func(t *testing.T) {
			t.Parallel()
			producer := offline.StackSpec{Layer: layer, Project: "platform-" + layer, Stack: "dev"}
			var want map[string]any
			up, err := offline.RunStack(producer, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
				v := reflect.New(typ)
				want = fill(v.Elem())
				return contract.Export(ctx, "", v.Interface())
			})
			if err != nil {
				t.Fatal(err)
			}
			if keys := sortedKeys(up.Outputs); !reflect.DeepEqual(keys, contract.Keys(reflect.New(typ).Interface())) {
				t.Fatalf("exported keys %v, want %v", keys, contract.Keys(reflect.New(typ).Interface()))
			}
			consumer, err := offline.RunStack(offline.StackSpec{Project: "platform-consumer", Stack: "dev"}, nil,
				map[string]resource.PropertyMap{producer.FullName(): up.Outputs},
				func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
					ref, err := pulumi.NewStackReference(ctx, layer, &pulumi.StackReferenceArgs{Name: pulumi.String(producer.FullName())})
					if err != nil {
						return nil, err
					}
					v := reflect.New(typ)
					if err := contract.Read(ref, producer.FullName(), v.Interface()); err != nil {
						return nil, err
					}
					return contract.Export(ctx, "read.", v.Interface())
				})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range contract.Fields(typ) {
				got := Output(t, consumer, "read."+f.Key)
				if JSON(got) != JSON(want[f.Key]) {
					t.Errorf("%s: consumer read %s, producer exported %s", f.Key, JSON(got), JSON(want[f.Key]))
				}
			}
		})
	}
}

func sortedKeys(m resource.PropertyMap) []string {
	var out []string
	for k := range m {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}

// TestContractMissingKeys: a consumer reading a stack that lacks keys fails with an error naming
// the stack and every missing key, and registers nothing after the read.
func TestContractMissingKeys(t *testing.T) {
	upstream := map[string]resource.PropertyMap{
		"organization/platform-base/dev": {"vnetId": resource.NewProperty("/subscriptions/x/vnet")},
	}
	_, err := offline.RunStack(offline.StackSpec{Project: "platform-identity", Stack: "dev"}, nil, upstream, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		ref, err := pulumi.NewStackReference(ctx, "base", &pulumi.StackReferenceArgs{Name: pulumi.String("organization/platform-base/dev")})
		if err != nil {
			return nil, err
		}
		var b base.Outputs
		return nil, contract.Read(ref, "organization/platform-base/dev", &b)
	})
	var missing *contract.MissingKeysError
	if !errors.As(err, &missing) {
		t.Fatalf("want a MissingKeysError, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"organization/platform-base/dev", "keyVaultUri", "subnetIds", "tenantId"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %s", msg, want)
		}
	}
	if strings.Contains(msg, "vnetId") {
		t.Errorf("error names the key that exists: %q", msg)
	}
}

// TestContractRefusesUnsetFields: a layer that leaves a contract field unset fails at export,
// naming the field.
func TestContractRefusesUnsetFields(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := contract.Export(ctx, "", &flux.Outputs{FluxConfigurationID: pulumi.String("x").ToStringOutput()})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "kustomizations, substitutionKeys") {
		t.Fatalf("want an error naming the unset keys, got %v", err)
	}
}

// TestContractSecretsStaySecret: a secret upstream output arrives as a secret.
func TestContractSecretsStaySecret(t *testing.T) {
	type secretOutputs struct {
		Token pulumi.StringOutput `output:"token,secret"`
	}
	producer := offline.StackSpec{Project: "p-base", Stack: "dev"}
	up, err := offline.RunStack(producer, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		return contract.Export(ctx, "", &secretOutputs{Token: pulumi.String("s3cr3t").ToStringOutput()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !up.Outputs["token"].IsSecret() {
		t.Fatal("export lost the secret flag")
	}
	consumer, err := offline.RunStack(offline.StackSpec{Project: "p-identity", Stack: "dev"}, nil, map[string]resource.PropertyMap{producer.FullName(): up.Outputs},
		func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
			ref, err := pulumi.NewStackReference(ctx, "base", &pulumi.StackReferenceArgs{Name: pulumi.String(producer.FullName())})
			if err != nil {
				return nil, err
			}
			var v secretOutputs
			if err := contract.Read(ref, producer.FullName(), &v); err != nil {
				return nil, err
			}
			return map[string]pulumi.Output{"token": v.Token}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if !consumer.Outputs["token"].IsSecret() {
		t.Error("the consumer lost the secret flag")
	}
}

func TestSelect(t *testing.T) {
	tests := []struct{ project, root, layer string }{
		{"platform", "platform", ""},
		{"platform-base", "platform", "base"},
		{"platform-identity", "platform", "identity"},
		{"platform-aks", "platform", "aks"},
		{"platform-flux", "platform", "flux"},
		{"acme-saas-aks", "acme-saas", "aks"},
		{"-base", "-base", ""},
		{"platform-database", "platform-database", ""},
	}
	for _, tt := range tests {
		root, layer := layers.Select(tt.project)
		if root != tt.root || layer != tt.layer {
			t.Errorf("Select(%q) = %q, %q; want %q, %q", tt.project, root, layer, tt.root, tt.layer)
		}
	}
}

// TestOfflineDeterministic: two runs of the same program give identical plan bytes, although the
// mock monitor sees registrations concurrently.
func TestOfflineDeterministic(t *testing.T) {
	program := func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		var outs []pulumi.Output
		for i := 0; i < 20; i++ {
			var rg pulumi.CustomResourceState
			if err := ctx.RegisterResource("azure-native:resources:ResourceGroup", fmt.Sprintf("rg-%02d", i),
				pulumi.Map{"resourceGroupName": pulumi.Sprintf("rg-%02d", i)}, &rg); err != nil {
				return nil, err
			}
			outs = append(outs, rg.ID())
		}
		return map[string]pulumi.Output{"first": outs[0]}, nil
	}
	render := func() string {
		p, err := offline.Run(offline.Options{Environment: "dev", Mode: offline.Single}, program)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := p.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if err := p.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	first := render()
	for i := 0; i < 3; i++ {
		if again := render(); again != first {
			t.Fatal("two runs rendered different plans")
		}
	}
	if !strings.Contains(first, `"first": "/subscriptions/`+offline.SubscriptionID+`/resourceGroups/rg-00"`) {
		t.Errorf("outputs not synthesised as ARM IDs:\n%.600s", first)
	}
}

// TestUnknownInvokeFails: a provider function without a mock fails the run, so it is noticed.
func TestUnknownInvokeFails(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		var out map[string]any
		return ctx.Invoke("azure-native:keyvault:getSecret", map[string]any{}, &out)
	})
	if err == nil || !strings.Contains(err.Error(), "no mock for function azure-native:keyvault:getSecret") {
		t.Fatalf("want a clear error, got %v", err)
	}
}
