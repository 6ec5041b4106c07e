package policy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Unit tests of the evaluator and of rules on hand-made inputs. The plan-wide tests (every
// resource of the real plans, a failing case per rule) are in tests/policy_test.go, where the
// Azure SDK is already linked.

func embeddedPack(t *testing.T) *Pack {
	t.Helper()
	p, err := Embedded()
	require.NoError(t, err)
	return p
}

func rulesOf(t *testing.T, p *Pack, in map[string]any) map[string][]string {
	t.Helper()
	vs, err := p.EvaluateResource(context.Background(), "urn:test", in)
	require.NoError(t, err)
	out := map[string][]string{}
	for _, v := range vs {
		out[v.Rule] = append(out[v.Rule], v.Message)
	}
	return out
}

// TestPackShape: the embedded pack is the analyzer's kind of pack: runtime opa, one package
// (its name), at least 40 rules, rule names the analyzer's patterns accept.
func TestPackShape(t *testing.T) {
	p := embeddedPack(t)
	assert.Equal(t, "platform_baseline", p.Name)
	assert.Equal(t, "1.0.0", p.Version)
	assert.GreaterOrEqual(t, len(p.Rules), 40)
	resourceRules := 0
	for _, r := range p.Rules {
		if r.Stack {
			assert.Regexp(t, `^stack_(deny|warn)(_[a-zA-Z]+)*$`, r.Name)
			continue
		}
		resourceRules++
		switch r.Level {
		case Mandatory:
			assert.Regexp(t, denyPattern, r.Name)
		case Advisory:
			assert.Regexp(t, warnPattern, r.Name)
		default:
			t.Errorf("rule %s: level %q", r.Name, r.Level)
		}
	}
	assert.GreaterOrEqual(t, resourceRules, 40, "rules the engine runs")
}

func pack(files map[string]string) fstest.MapFS {
	fs := fstest.MapFS{"PulumiPolicy.yaml": {Data: []byte("runtime: opa\nversion: 0.0.1\n")}}
	for name, body := range files {
		fs[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fs
}

// TestLoadRefusesWhatTheAnalyzerWouldMishandle: a rule name with a digit (the analyzer ignores
// it silently), a complete rule instead of a set, two packages, another runtime.
func TestLoadRefusesWhatTheAnalyzerWouldMishandle(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fs    fstest.MapFS
		wants []string
	}{
		{"digit in a rule name", pack(map[string]string{"a.rego": "package p\nimport rego.v1\ndeny_tls12 contains \"x\" if input.a\n"}),
			[]string{"rule deny_tls12 would be ignored by the analyzer"}},
		{"complete rule", pack(map[string]string{"a.rego": "package p\nimport rego.v1\ndeny_x := \"x\" if input.a\n"}),
			[]string{"rule deny_x must be a set of messages"}},
		{"two packages", pack(map[string]string{"a.rego": "package p\nimport rego.v1\ndeny_a contains \"x\" if input.a\n", "b.rego": "package q\nimport rego.v1\ndeny_b contains \"x\" if input.a\n"}),
			[]string{"b.rego: package q, want p"}},
		{"a rule in two files", pack(map[string]string{"a.rego": "package p\nimport rego.v1\ndeny_a contains \"x\" if input.a\n", "b.rego": "package p\nimport rego.v1\ndeny_a contains \"y\" if input.b\n"}),
			[]string{"rule deny_a is defined in a.rego and b.rego"}},
		{"not opa", fstest.MapFS{"PulumiPolicy.yaml": {Data: []byte("runtime: nodejs\n")}}, []string{`runtime "nodejs": want opa`}},
		{"no rego", fstest.MapFS{"PulumiPolicy.yaml": {Data: []byte("runtime: opa\n")}}, []string{"no .rego files"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.fs)
			require.Error(t, err)
			for _, w := range tt.wants {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestRegoVersions: like the analyzer, the pack compiles as Rego v0 (with import rego.v1), and a
// v1-only file without the import is refused as the analyzer would refuse it.
func TestRegoVersions(t *testing.T) {
	_, err := Load(pack(map[string]string{"a.rego": "package p\ndeny_a contains msg if { input.a; msg := \"x\" }\n"}))
	require.Error(t, err, "v1 keywords without import rego.v1 do not parse as v0")
	p, err := Load(pack(map[string]string{"a.rego": "package p\ndeny_a[msg] { input.a; msg := \"x\" }\n"}))
	require.NoError(t, err, "v0 syntax, as in the analyzer's examples")
	assert.Equal(t, map[string][]string{"deny_a": {"x"}}, rulesOf(t, p, map[string]any{"a": true}))
}

// TestCombinedQueryMatchesAnalyzer: one query for every rule returns what the analyzer's
// per-rule queries (eval.go: rego.New per rule, RegoV0, the same compiler) return.
func TestCombinedQueryMatchesAnalyzer(t *testing.T) {
	p := embeddedPack(t)
	inputs := []map[string]any{
		{"agentPoolProfiles": []any{map[string]any{"mode": "System"}}, "tags": map[string]any{"environment": "prod", "profile": "prod"}, "location": "westeurope"},
		{"kind": "StorageV2", "sku": map[string]any{"name": "Standard_LRS"}, "allowSharedKeyAccess": true},
		{"principalId": "x", "roleDefinitionId": "/x/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "scope": "/subscriptions/s"},
		{"location": "westeurope", "resourceGroupName": "rg"},
		{},
	}
	for i, in := range inputs {
		want := map[string][]string{}
		for _, r := range p.Rules {
			if r.Stack {
				continue
			}
			rs, err := rego.New(rego.Query(fmt.Sprintf("data.%s.%s", p.Name, r.Name)), rego.Compiler(p.compiler), rego.Input(in), rego.SetRegoVersion(ast.RegoV0)).Eval(context.Background())
			require.NoError(t, err)
			for _, res := range rs {
				for _, e := range res.Expressions {
					if msgs, ok := e.Value.([]any); ok {
						for _, m := range msgs {
							want[r.Name] = append(want[r.Name], m.(string))
						}
					}
				}
			}
		}
		assert.Equal(t, want, rulesOf(t, p, in), "input %d", i)
		if i < 4 {
			assert.NotEmpty(t, want, "input %d violates something", i)
		}
	}
}

// TestInputIsTheAnalyzers: properties only, internal keys dropped, unknowns and secrets wrapped
// as the analyzer's Rego sees them.
func TestInputIsTheAnalyzers(t *testing.T) {
	in, err := Input(resource.PropertyMap{
		"disableLocalAccounts": resource.NewProperty(true),
		"count":                resource.NewProperty(3.0),
		"issuer":               resource.MakeComputed(resource.NewProperty("")),
		"secret":               resource.MakeSecret(resource.NewProperty("s")),
		"__createBeforeDelete": resource.NewProperty(true),
		"nested":               resource.NewProperty(resource.PropertyMap{"list": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("a")})}),
	})
	require.NoError(t, err)
	v, err := ast.InterfaceToValue(in)
	require.NoError(t, err)
	assert.Equal(t, `{"count": 3, "disableLocalAccounts": true, "issuer": {"Element": {"V": ""}}, "nested": {"list": ["a"]}, "secret": {"Element": {"V": "s"}}}`, v.String())
}

// A prod AKS cluster as the platform declares it, reduced to what the rules read.
func cluster() map[string]any {
	return map[string]any{
		"resourceName": "aks-x-prod-weu", "location": "westeurope", "dnsPrefix": "aks-x-prod-weu",
		"tags":                 map[string]any{"environment": "prod", "profile": "prod"},
		"disableLocalAccounts": true, "enableRBAC": true,
		"aadProfile":        map[string]any{"managed": true, "enableAzureRBAC": true},
		"oidcIssuerProfile": map[string]any{"enabled": true},
		"identity":          map[string]any{"type": "UserAssigned"},
		"securityProfile": map[string]any{
			"workloadIdentity": map[string]any{"enabled": true},
			"defender":         map[string]any{"securityMonitoring": map[string]any{"enabled": true}},
		},
		"apiServerAccessProfile": map[string]any{"authorizedIPRanges": []any{"203.0.113.0/24"}},
		"networkProfile":         map[string]any{"networkPolicy": "cilium"},
		"addonProfiles": map[string]any{
			"azureKeyvaultSecretsProvider": map[string]any{"enabled": true, "config": map[string]any{"enableSecretRotation": "true"}},
			"azurepolicy":                  map[string]any{"enabled": true},
			"omsagent":                     map[string]any{"enabled": true},
		},
		"autoUpgradeProfile": map[string]any{"upgradeChannel": "stable", "nodeOSUpgradeChannel": "NodeImage"},
		"sku":                map[string]any{"tier": "Standard"},
		"agentPoolProfiles":  []any{map[string]any{"name": "system", "mode": "System", "availabilityZones": []any{"1", "2", "3"}}},
	}
}

// TestRulesOnHandMadeInputs: rules fire on the property they name, with a message naming the
// resource, the property and the reference; prod-only rules stay quiet in dev; unknown values are
// not judged; no rule fires on an input of no known kind.
func TestRulesOnHandMadeInputs(t *testing.T) {
	p := embeddedPack(t)
	assert.Empty(t, rulesOf(t, p, cluster()), "the platform's cluster passes")

	c := cluster()
	c["disableLocalAccounts"] = false
	assert.Equal(t, map[string][]string{"deny_aks_local_accounts": {
		"AKS cluster aks-x-prod-weu: disableLocalAccounts is false, want true (Azure.AKS.LocalAccounts)",
	}}, rulesOf(t, p, c))

	c = cluster()
	c["sku"] = map[string]any{"tier": "Free"}
	c["securityProfile"].(map[string]any)["defender"] = map[string]any{}
	assert.Equal(t, []string{"deny_aks_defender", "deny_aks_paid_tier"}, keys(rulesOf(t, p, c)), "prod")
	c["tags"] = map[string]any{"environment": "dev", "profile": "dev"}
	assert.Empty(t, rulesOf(t, p, c), "the same settings pass in dev")

	c = cluster()
	c["oidcIssuerProfile"] = map[string]any{"enabled": map[string]any{"Element": map[string]any{"V": false}}}
	assert.Empty(t, rulesOf(t, p, c), "an unknown value is not judged")
	c["oidcIssuerProfile"] = map[string]any{"Element": map[string]any{"V": map[string]any{}}}
	assert.Empty(t, rulesOf(t, p, c), "nor a value under an unknown object")

	// Inputs of no kind the rules cover: nothing fires, whatever they hold.
	for _, in := range []map[string]any{
		{},
		{"enabled": false, "publicNetworkAccess": "Enabled", "sku": map[string]any{"name": "Basic", "tier": "Free"}},
		{"resourceName": "x", "resourceGroupName": "rg", "location": "westeurope", "tags": map[string]any{"environment": "dev", "profile": "dev"}, "sku": map[string]any{"name": "Standard"}, "createTenantProperties": map[string]any{}},
		{"privateZoneName": "privatelink.vaultcore.azure.net", "location": "global", "tags": map[string]any{"environment": "prod", "profile": "prod"}},
		{"location": "westeurope", "useOidc": true, "subscriptionId": "s"}, // azure-native provider configuration
	} {
		assert.Empty(t, rulesOf(t, p, in), "%v", in)
	}
}

// TestTypeGuards: each kind predicate recognises its own resource and not the others: a Front
// Door WAF policy is not the AGC's, the SQL server is not the PostgreSQL server or a database.
func TestTypeGuards(t *testing.T) {
	p := embeddedPack(t)
	for _, tt := range []struct {
		want string
		in   map[string]any
	}{
		{"aks_cluster", cluster()},
		{"frontdoor_waf", map[string]any{"policyName": "w", "sku": map[string]any{"name": "Premium_AzureFrontDoor"}, "policySettings": map[string]any{"mode": "Prevention"}}},
		{"appgw_waf", map[string]any{"policyName": "w", "policySettings": map[string]any{"state": "Enabled", "requestBodyCheck": true}, "managedRules": map[string]any{}, "customRules": []any{}}},
		{"sql_server", map[string]any{"serverName": "s", "administrators": map[string]any{}}},
		{"sql_database", map[string]any{"serverName": "s", "databaseName": "d", "sku": map[string]any{"name": "GP_S_Gen5"}}},
		{"postgres_server", map[string]any{"serverName": "s", "authConfig": map[string]any{}, "version": "16"}},
		{"storage_account", map[string]any{"accountName": "a", "kind": "StorageV2", "sku": map[string]any{"name": "Standard_LRS"}}},
		{"cognitive_account", map[string]any{"accountName": "a", "kind": "FormRecognizer", "sku": map[string]any{"name": "S0"}, "properties": map[string]any{}}},
		{"key_vault", map[string]any{"vaultName": "v", "properties": map[string]any{"tenantId": "t", "sku": map[string]any{"family": "A", "name": "standard"}}}},
		{"managed_identity", map[string]any{"resourceName": "id", "resourceGroupName": "rg", "location": "westeurope", "tags": map[string]any{}}},
		{"federated_credential", map[string]any{"resourceName": "id", "resourceGroupName": "rg", "issuer": "https://x", "subject": "y", "audiences": []any{}}},
	} {
		got, err := p.Kinds(context.Background(), tt.in)
		require.NoError(t, err)
		assert.Equal(t, []string{tt.want}, got, "%v", tt.in)
	}
}

// TestStackRules: a stack rule sees every resource of the stack: a prod Key Vault needs its
// lock, protect and a diagnostic setting; in dev only the diagnostic setting.
func TestStackRules(t *testing.T) {
	p := embeddedPack(t)
	vault := func(env string, protect bool) StackResource {
		return StackResource{Type: "azure-native:keyvault:Vault", Name: "kv", URN: "urn:kv", ID: "/sub/rg/providers/Microsoft.KeyVault/vaults/kv", Protect: protect,
			Properties: map[string]any{"vaultName": "kv", "tags": map[string]any{"environment": env, "profile": env}, "properties": map[string]any{"tenantId": "t"}}}
	}
	diag := StackResource{Type: "azure-native:insights:DiagnosticSetting", Name: "d", URN: "urn:d", ID: "d",
		Properties: map[string]any{"resourceUri": "/SUB/rg/providers/Microsoft.KeyVault/vaults/kv", "workspaceId": "w", "logs": []any{}}}
	lock := StackResource{Type: "azure-native:authorization:ManagementLockByScope", Name: "l", URN: "urn:l", ID: "l",
		Properties: map[string]any{"lockName": "cannotdelete", "level": "CanNotDelete", "scope": "/sub/rg/providers/Microsoft.KeyVault/vaults/kv"}}

	eval := func(rs ...StackResource) []string {
		vs, err := p.EvaluateStack(context.Background(), "org/p/s", StackInput{Resources: rs})
		require.NoError(t, err)
		var out []string
		for _, v := range vs {
			out = append(out, v.Rule)
		}
		return out
	}
	assert.Empty(t, eval(vault("prod", true), diag, lock))
	assert.Equal(t, []string{"stack_deny_diagnostics", "stack_deny_prod_locks", "stack_deny_prod_protect"}, eval(vault("prod", false)))
	assert.Equal(t, []string{"stack_deny_diagnostics"}, eval(vault("dev", false)))
}

func keys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) { sort.Strings(s) }

// TestTriggerKindsCoverPredicates: kinds tries only the kinds trigger_kinds names for the input's
// properties; on hand-made inputs of every kind, and on each of them with any one property
// removed, that gives exactly what trying every kind's predicate gives.
func TestTriggerKindsCoverPredicates(t *testing.T) {
	p := embeddedPack(t)
	ctx := context.Background()
	brute, err := rego.New(rego.Query(`x := {k | data.platform_baseline.kind_titles[k]; data.platform_baseline.is_kind(k, input)}`),
		rego.Compiler(p.compiler), rego.SetRegoVersion(ast.RegoV0)).PrepareForEval(ctx)
	require.NoError(t, err)
	inputs := []map[string]any{
		cluster(),
		{"resourceName": "aks", "configName": "aksManagedAutoUpgradeSchedule", "maintenanceWindow": map[string]any{"durationHours": 4}},
		{"vaultName": "v", "properties": map[string]any{"tenantId": "t", "sku": map[string]any{"family": "A"}}},
		{"accountName": "a", "kind": "StorageV2", "sku": map[string]any{"name": "Standard_LRS"}, "isHnsEnabled": true},
		{"accountName": "a", "blobServicesName": "default", "deleteRetentionPolicy": map[string]any{}},
		{"accountName": "a", "containerName": "c", "publicAccess": "None"},
		{"serverName": "s", "administrators": map[string]any{}, "minimalTlsVersion": "1.2", "publicNetworkAccess": "Disabled"},
		{"serverName": "s", "databaseName": "d", "sku": map[string]any{}},
		{"serverName": "s", "blobAuditingPolicyName": "default", "state": "Enabled", "isAzureMonitorTargetEnabled": true},
		{"serverName": "s", "authConfig": map[string]any{}, "network": map[string]any{}, "backup": map[string]any{}},
		{"registryName": "r", "adminUserEnabled": false, "sku": map[string]any{"name": "Premium"}},
		{"networkSecurityGroupName": "n", "securityRules": []any{}},
		{"virtualNetworkName": "v", "subnetName": "s", "addressPrefix": "10.0.0.0/24"},
		{"publicIpAddressName": "p", "publicIPAllocationMethod": "Static", "sku": map[string]any{"name": "Standard"}},
		{"accountName": "d", "kind": "FormRecognizer", "properties": map[string]any{"customSubDomainName": "d"}},
		{"principalId": "p", "roleDefinitionId": "r", "scope": "/s"},
		{"resourceName": "id", "resourceGroupName": "rg", "issuer": "i", "subject": "s"},
		{"resourceUri": "/r", "workspaceId": "w", "logs": []any{}},
		{"lockName": "l", "level": "CanNotDelete", "scope": "/s"},
		{"profileName": "p", "sku": map[string]any{"name": "Premium_AzureFrontDoor"}},
		{"policyName": "w", "sku": map[string]any{"name": "Premium_AzureFrontDoor"}, "policySettings": map[string]any{"enabledState": "Enabled"}, "managedRules": map[string]any{}},
		{"policyName": "w", "policySettings": map[string]any{"state": "Enabled"}, "managedRules": map[string]any{}, "customRules": []any{}},
		{"profileName": "p", "endpointName": "e", "routeName": "r", "originGroup": map[string]any{}},
		{"profileName": "p", "originGroupName": "g", "originName": "o", "hostName": "h"},
		{"profileName": "p", "customDomainName": "c", "hostName": "h", "tlsSettings": map[string]any{}},
		{"profileName": "p", "securityPolicyName": "waf", "parameters": map[string]any{}},
		{"workspaceName": "w", "retentionInDays": 30, "features": map[string]any{}},
		{"clusterName": "c", "fluxConfigurationName": "f", "gitRepository": map[string]any{}},
		{"resourceName": "id", "resourceGroupName": "rg", "location": "westeurope", "tags": map[string]any{}},
		{"trafficControllerName": "agc", "resourceGroupName": "rg"},
	}
	for _, in := range inputs {
		variants := []map[string]any{in}
		for k := range in {
			v := map[string]any{}
			for k2, x := range in {
				if k2 != k {
					v[k2] = x
				}
			}
			variants = append(variants, v)
		}
		for _, v := range variants {
			got, err := p.Kinds(ctx, v)
			require.NoError(t, err)
			rs, err := brute.Eval(ctx, rego.EvalInput(v))
			require.NoError(t, err)
			var want []string
			for _, k := range rs[0].Bindings["x"].([]any) {
				want = append(want, k.(string))
			}
			sort.Strings(want)
			assert.Equal(t, want, got, "%v", v)
		}
	}
}

// TestFederationIssuersAndSubjects: the issuer forms the platform federates (AKS, Azure DevOps in
// its Entra and its older vstoken form, GitHub) pass with the subjects they issue, names with
// spaces included; a subject of another issuer's shape, a wildcard or another application's
// Entra subject is refused.
func TestFederationIssuersAndSubjects(t *testing.T) {
	p := embeddedPack(t)
	const entraADO = "/eid1/c/pub/t/AAAAAAAAAAAAAAAAAAAAAA/a/rISbSSETf0KqFyZ8ppdXmA/sc/11111111-2222-3333-4444-555555555555/66666666-7777-8888-9999-000000000000"
	fic := func(issuer, subject string) map[string]any {
		return map[string]any{
			"resourceName": "id-x", "resourceGroupName": "rg", "federatedIdentityCredentialResourceName": "fic",
			"audiences": []any{"api://AzureADTokenExchange"}, "issuer": issuer, "subject": subject,
		}
	}
	for _, tt := range []struct {
		issuer, subject string
		want            []string
	}{
		{"https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0", entraADO, nil},
		{"https://vstoken.dev.azure.com/11111111-2222-3333-4444-555555555555", "sc://contoso/Platform Team/platform prod", nil},
		{"https://token.actions.githubusercontent.com", "repo:contoso/platform:environment:prod", nil},
		{"https://westeurope.oic.prod-aks.azure.com/11111111-2222-3333-4444-555555555555/66666666-7777-8888-9999-000000000000/", "system:serviceaccount:users:user-service", nil},
		{"https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0", "sc://contoso/platform/prod", []string{"deny_federation_subject"}},
		{"https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0", strings.Replace(entraADO, "rISbSSETf0KqFyZ8ppdXmA", "AAAAAAAAAAAAAAAAAAAAAA", 1), []string{"deny_federation_subject"}},
		{"https://vstoken.dev.azure.com/11111111-2222-3333-4444-555555555555", "sc://contoso/platform/ prod", []string{"deny_federation_subject"}},
		{"https://vstoken.dev.azure.com/11111111-2222-3333-4444-555555555555", "sc://contoso/platform/*", []string{"deny_federation_subject"}},
		{"https://issuer.example.com", "anything", []string{"deny_federation_issuer"}},
	} {
		assert.Equal(t, tt.want, keys(rulesOf(t, p, fic(tt.issuer, tt.subject))), "%s %s", tt.issuer, tt.subject)
	}
}
