package config

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// namespaced turns platform values into the engine's whole configuration, with a key of another
// namespace beside them (which the platform does not read).
func namespaced(raw map[string]string) map[string]string {
	all := map[string]string{"azure-native:location": "westeurope"}
	for k, v := range raw {
		all[Namespace+":"+k] = v
	}
	return all
}

func problemKeys(ps Problems) []string {
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.Key)
	}
	return keys
}

// TestPlaceholderRules: one case per kind of placeholder, and real values next to them that must
// not be taken for one.
func TestPlaceholderRules(t *testing.T) {
	for _, tc := range []struct {
		value string
		found string // "" for a real value
	}{
		{"00000000-0000-0000-0000-000000000000", "the all-zero GUID"},
		{"https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000", "the all-zero GUID"},
		{"11111111-1111-1111-1111-111111111111", "the sample GUID 11111111-1111-1111-1111-111111111111 (one repeated digit)"},
		{"AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA", "(one repeated digit)"},
		{"12345678-1234-1234-1234-123456789012", "the sample GUID"},
		{"sc://contoso/platform/platform-prod", "the sample organization contoso"},
		{"https://dev.azure.com/Fabrikam/platform/_git/platform", "the sample organization fabrikam"},
		{"com.contoso.saas://callback", "the sample organization contoso"},
		{"app.example.com", "the domain app.example.com, reserved for documentation"},
		{"api-origin.saas.example", "the domain api-origin.saas.example"},
		{"https://shop.test/callback", "the domain shop.test"},
		{"203.0.113.0/24", "the documentation range 203.0.113.0/24"},
		{"198.51.100.7/32", "the documentation range 198.51.100.0/24"},
		{"192.0.2.1", "the documentation range 192.0.2.0/24"},
		{"2001:db8:1::/48", "the documentation range 2001:db8::/32"},

		{"5f0e8a12-3b4c-4d5e-8f70-9a1b2c3d4e5f", ""},
		{"a0000000-0000-0000-0000-000000000001", ""},
		{"https://vstoken.dev.azure.com/5f0e8a12-3b4c-4d5e-8f70-9a1b2c3d4e5f", ""},
		{"sc://acme/platform/platform-prod", ""},
		{"https://dev.azure.com/acme/platform/_git/platform", ""},
		{"app.acme.io", ""},
		{"examples.acme.io", ""},
		{"http://localhost:5173/", ""},
		{"203.0.0.0/16", ""},    // holds the documentation range, but is a real (wide) range
		{"198.51.101.0/24", ""}, // next to one
		{"contosoplatform", ""}, // not the word
		{"mycontoso.example.org", "the domain mycontoso.example.org"},
	} {
		found := placeholderIn(tc.value)
		if tc.found == "" {
			assert.Empty(t, found, "%s is a real value", tc.value)
			continue
		}
		assert.Contains(t, strings.Join(found, "; "), tc.found, "%s", tc.value)
	}
}

// TestPlaceholdersRefusedByADeployment: a real preview or up refuses every placeholder, naming each
// key and what to replace it with, before anything is registered; the offline plan gets the same
// findings as warnings and goes on.
func TestPlaceholdersRefusedByADeployment(t *testing.T) {
	raw := with(prodMinimal(),
		"entra", `{"createGroups":false,"platformAdminsGroupObjectId":"11111111-1111-1111-1111-111111111111","databaseAdminsGroupObjectId":"5f0e8a12-3b4c-4d5e-8f70-9a1b2c3d4e5f"}`,
		// The platform's own names: not references, not refused.
		"tags", `{"owner":"contoso"}`,
		"services", `[{"name":"contoso-api","namespace":"contoso"}]`,
	)
	all := namespaced(raw)
	want := map[string]string{
		"pipeline.azureDevOps.issuer":       "replace it with the Issuer your workload-identity service connection shows",
		"pipeline.azureDevOps.subject":      "replace it with the Subject identifier your workload-identity service connection shows",
		"entra.platformAdminsGroupObjectId": "replace it with the object ID of your existing Entra group of platform administrators",
		"aks.authorizedIpRanges[0]":         "(the documentation range 203.0.113.0/24 of RFC 5737): replace it with the public CIDRs",
		"agc.originHostName":                "(the domain api-origin.example.com, reserved for documentation by RFC 2606): replace it with a host name in your public Azure DNS zone",
		"agc.originDnsZoneId":               "the all-zero GUID 00000000-0000-0000-0000-000000000000; the domain example.com",
		"flux.repositoryUrl":                "(the sample organization contoso): replace it with the https URL of your Git repository",
	}

	_, _, err := Load(all, Deploy)
	require.Error(t, err)
	var ps Problems
	require.True(t, errors.As(err, &ps), "want Problems, got %T", err)
	assert.ElementsMatch(t, keysOf(want), problemKeys(ps), "one problem per key holding a placeholder:\n%v", err)
	for _, p := range ps {
		assert.Contains(t, p.Error(), "is a placeholder", p.Key)
		assert.Contains(t, p.Error(), want[p.Key], p.Key)
		assert.Contains(t, p.Error(), "before a real preview or up", p.Key)
	}
	assert.Contains(t, err.Error(), `platform:pipeline.azureDevOps.issuer = "https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000": is a placeholder (the all-zero GUID 00000000-0000-0000-0000-000000000000)`)

	env, warnings, err := Load(all, Offline)
	require.NoError(t, err, "offline, placeholders do not stop the plan")
	require.NotNil(t, env)
	assert.ElementsMatch(t, keysOf(want), problemKeys(warnings), "offline, the same findings are warnings")

	// Replaced, a deployment goes on.
	replaced := with(raw,
		"pipeline", `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/5f0e8a12-3b4c-4d5e-8f70-9a1b2c3d4e5f","subject":"sc://acme/platform/prod"}}`,
		"entra", `{"createGroups":false,"platformAdminsGroupObjectId":"6a1f9b23-4c5d-4e6f-9081-0b2c3d4e5f60","databaseAdminsGroupObjectId":"5f0e8a12-3b4c-4d5e-8f70-9a1b2c3d4e5f"}`,
		"aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["20.31.0.0/24"]}`,
		"agc", `{"originHostName":"api-origin.acme.io","originDnsZoneId":"/subscriptions/7b2a0c34-5d6e-4f70-8192-1c3d4e5f6071/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/acme.io"}`,
		"flux", `{"repositoryUrl":"https://dev.azure.com/acme/platform/_git/platform","version":"1.19.5"}`,
	)
	env, warnings, err = Load(namespaced(replaced), Deploy)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Equal(t, "prod", env.Environment)
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestShippedSettingsAreSamples: the shipped settings files plan offline, with their placeholders
// as warnings, and a deployment of either refuses them. The sample is the point here.
func TestShippedSettingsAreSamples(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		all, err := ReadStackFile("../Pulumi." + env + ".yaml")
		require.NoError(t, err)
		_, warnings, err := Load(all, Offline)
		require.NoError(t, err, "Pulumi.%s.yaml offline", env)
		require.NotEmpty(t, warnings, "Pulumi.%s.yaml: its placeholders are listed", env)
		_, _, err = Load(all, Deploy)
		var ps Problems
		require.True(t, errors.As(err, &ps), "Pulumi.%s.yaml: a deployment refuses it", env)
		assert.ElementsMatch(t, problemKeys(warnings), problemKeys(ps), "Pulumi.%s.yaml: the warnings offline are the refusals of a deployment", env)
		assert.Contains(t, problemKeys(ps), "pipeline.azureDevOps.issuer", env)
		assert.Contains(t, problemKeys(ps), "aks.authorizedIpRanges[0]", env)
	}
}

// TestWideRangesWarnedInDev: a public range prod refuses is a warning in a dev profile, for a
// deployment as offline.
func TestWideRangesWarnedInDev(t *testing.T) {
	raw := with(minimal(), "aks", `{"kubernetesVersion":"1.36","authorizedIpRanges":["20.31.0.0/24","0.0.0.0/0"]}`)
	for _, purpose := range []Purpose{Offline, Deploy} {
		_, warnings, _ := Load(namespaced(raw), purpose)
		var wide []string
		for _, w := range warnings {
			if strings.Contains(w.Allowed, "public addresses") {
				wide = append(wide, w.Key)
				assert.Contains(t, w.Error(), `platform:aks.authorizedIpRanges[1] = "0.0.0.0/0": opens the API server to 4294967296 public addresses (wider than /16); the dev profile allows it, prod refuses it`)
			}
		}
		assert.Equal(t, []string{"aks.authorizedIpRanges[1]"}, wide, "%v", purpose)
	}
}

func TestLoadRefusesUnknownKeysOfThePlatformOnly(t *testing.T) {
	all := namespaced(with(minimal(), "tag", `{"owner":"a"}`))
	all["other:anything"] = "x" // other namespaces are not the platform's business
	_, _, err := Load(all, Offline)
	require.Error(t, err)
	var ps Problems
	require.True(t, errors.As(err, &ps))
	assert.Equal(t, []string{"tag"}, problemKeys(ps))
	_, _, err = Load(all, Purpose(0))
	assert.ErrorContains(t, err, "unknown purpose")
}

type noMocks struct{}

func (noMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name, args.Inputs, nil
}

func (noMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) { return args.Args, nil }

// TestFromRunUnderTheOfflineEngine: the offline engine's run reads the map it was handed, as
// Offline: placeholders are warnings, unknown keys at any depth errors.
func TestFromRunUnderTheOfflineEngine(t *testing.T) {
	run := func(all map[string]string) (*Env, Problems, error) {
		ctx, err := pulumi.NewContext(OfflineContext(context.Background(), all), pulumi.RunInfo{Project: "p", Stack: "dev", Config: all, Mocks: noMocks{}})
		require.NoError(t, err)
		return FromRun(ctx)
	}
	env, warnings, err := run(namespaced(minimal()))
	require.NoError(t, err)
	assert.Equal(t, "dev", env.Environment)
	assert.Contains(t, problemKeys(warnings), "pipeline.azureDevOps.issuer", "placeholders are warnings")

	_, _, err = run(namespaced(with(minimal(), "sql", `{"skuname":"GP_S_Gen5_2"}`)))
	assert.ErrorContains(t, err, "platform:sql.skuname")

	// Mocks without the offline engine's configuration: refused, not guessed.
	ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{Project: "p", Stack: "dev", Mocks: noMocks{}})
	require.NoError(t, err)
	_, _, err = FromRun(ctx)
	assert.ErrorContains(t, err, "a run under mocks needs its configuration from the offline engine")
}

// TestFromRunUnderThePulumiEngine: without mocks the run is the Pulumi engine's: the whole
// configuration comes from PULUMI_CONFIG, an unknown key at any depth is refused, placeholders are
// refused, secrets are refused, all before anything is registered.
func TestFromRunUnderThePulumiEngine(t *testing.T) {
	engine := func(all map[string]string, secretKeys ...string) (*Env, Problems, error) {
		b, err := json.Marshal(all)
		require.NoError(t, err)
		t.Setenv(pulumi.EnvConfig, string(b))
		// No monitor address and no mocks: what FromRun sees is a run of the Pulumi engine (the
		// monitor is never reached, because nothing is registered).
		ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{Project: "p", Stack: "dev", ConfigSecretKeys: secretKeys})
		require.NoError(t, err)
		require.False(t, ctx.RunningWithMocks())
		return FromRun(ctx)
	}
	_, _, err := engine(namespaced(with(minimal(), "tag", `{"owner":"a"}`)))
	assert.ErrorContains(t, err, `platform:tag = "{\"owner\":\"a\"}": is not a platform setting`, "a typo of tags is refused, not dropped")

	_, _, err = engine(namespaced(with(minimal(), "aks", `{"kubernetesVersion":"1.36","systemPool":{"cout":2}}`)))
	assert.ErrorContains(t, err, "platform:aks.systemPool.cout")

	_, _, err = engine(namespaced(minimal()))
	assert.ErrorContains(t, err, "platform:pipeline.azureDevOps.issuer", "placeholders are refused")
	assert.ErrorContains(t, err, "is a placeholder (the all-zero GUID")

	replaced := with(minimal(),
		"pipeline", `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/5f0e8a12-3b4c-4d5e-8f70-9a1b2c3d4e5f","subject":"sc://acme/platform/dev"}}`,
		"flux", `{"repositoryUrl":"https://dev.azure.com/acme/platform/_git/platform"}`,
	)
	env, _, err := engine(namespaced(replaced))
	require.NoError(t, err)
	assert.Equal(t, "dev", env.Profile)

	_, _, err = engine(namespaced(replaced), "platform:tags")
	assert.NoError(t, err, "a secret outside the settings read is nobody's business")
	_, _, err = engine(namespaced(with(replaced, "tags", `{"owner":"a"}`)), "platform:tags")
	assert.ErrorContains(t, err, "platform:tags: is a secret")

	t.Setenv(pulumi.EnvConfig, "{not json")
	ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{Project: "p", Stack: "dev"})
	require.NoError(t, err)
	_, _, err = FromRun(ctx)
	assert.ErrorContains(t, err, "PULUMI_CONFIG is not a JSON object of strings")

	// The offline engine's configuration under a real engine: refused.
	ctx, err = pulumi.NewContext(OfflineContext(context.Background(), namespaced(replaced)), pulumi.RunInfo{Project: "p", Stack: "dev"})
	require.NoError(t, err)
	_, _, err = FromRun(ctx)
	assert.ErrorContains(t, err, "an offline configuration reached a run under the Pulumi engine")
}
