package tests

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
			require.NoError(t, err, "producer")
			require.Equal(t, contract.Keys(reflect.New(typ).Interface()), sortedKeys(up.Outputs), "exported keys")
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
			require.NoError(t, err, "consumer")
			for _, f := range contract.Fields(typ) {
				got := Output(t, consumer, "read."+f.Key)
				assert.Equal(t, normalize(want[f.Key]), normalize(got), "%s: consumer read what the producer exported", f.Key)
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
	require.True(t, errors.As(err, &missing), "want a MissingKeysError, got %v", err)
	ErrorMentions(t, err, "organization/platform-base/dev", "keyVaultUri", "subnetIds", "tenantId")
	assert.NotContains(t, err.Error(), "vnetId", "error names the key that exists")
}

// TestContractRefusesUnsetFields: a layer that leaves a contract field unset fails at export,
// naming the field.
func TestContractRefusesUnsetFields(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := contract.Export(ctx, "", &flux.Outputs{FluxConfigurationID: pulumi.String("x").ToStringOutput()})
		return err
	})
	require.ErrorContains(t, err, "kustomizations, substitutionKeys", "want an error naming the unset keys")
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
	require.NoError(t, err, "producer")
	require.True(t, up.Outputs["token"].IsSecret(), "export lost the secret flag")
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
	require.NoError(t, err, "consumer")
	assert.True(t, consumer.Outputs["token"].IsSecret(), "the consumer lost the secret flag")
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
		assert.Equal(t, [2]string{tt.root, tt.layer}, [2]string{root, layer}, "Select(%q): root, layer", tt.project)
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
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, p.WriteJSON(&b))
		require.NoError(t, p.WriteText(&b))
		return b.String()
	}
	first := render()
	for i := 0; i < 3; i++ {
		require.Equal(t, first, render(), "two runs rendered different plans")
	}
	assert.Contains(t, first, `"first": "/subscriptions/`+offline.SubscriptionID+`/resourceGroups/rg-00"`, "outputs not synthesised as ARM IDs")
}

// TestUnknownInvokeFails: a provider function without a mock fails the run, so it is noticed.
func TestUnknownInvokeFails(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		var out map[string]any
		return ctx.Invoke("azure-native:keyvault:getSecret", map[string]any{}, &out)
	})
	require.ErrorContains(t, err, "no mock for function azure-native:keyvault:getSecret", "want a clear error")

}
