package tests

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/offline"
)

// globalInputs are, per resource of the full plan (type, logical name), the inputs that hold a
// globally unique name, and which one.
var globalInputs = []struct {
	token, name, path string
	want              func(config.GlobalNames) string
}{
	{vaultType, "keyvault", "vaultName", func(g config.GlobalNames) string { return g.KeyVault }},
	{accountType, "spa", "accountName", func(g config.GlobalNames) string { return g.SPAStorage }},
	{accountType, "datalake", "accountName", func(g config.GlobalNames) string { return g.DataLakeStorage }},
	{sqlSrvType, "sql", "serverName", func(g config.GlobalNames) string { return g.SQLServer }},
	{pgServerType, "postgres", "serverName", func(g config.GlobalNames) string { return g.PostgresServer }},
	{tokRegistry, "acr", "registryName", func(g config.GlobalNames) string { return g.ContainerRegistry }},
	{"azure-native:cognitiveservices:Account", "docintel", "accountName", func(g config.GlobalNames) string { return g.DocumentIntelligence }},
	{"azure-native:cognitiveservices:Account", "docintel", "properties.customSubDomainName", func(g config.GlobalNames) string { return g.DocumentIntelligence }},
	{zoneType, "privatedns-postgres", "privateZoneName", func(g config.GlobalNames) string { return g.PostgresPrivateDNSZone }},
}

// derivedNames are the names built from a global name: the private endpoints (and their network
// interfaces) and the PostgreSQL private DNS zone; with the global names themselves.
func derivedNames(g config.GlobalNames) map[string]bool {
	out := map[string]bool{g.KeyVault: true, g.SPAStorage: true, g.DataLakeStorage: true, g.SQLServer: true, g.PostgresServer: true,
		g.ContainerRegistry: true, g.DocumentIntelligence: true, g.PostgresPrivateDNSZone: true}
	for target, groups := range map[string][]string{g.KeyVault: {"vault"}, g.SQLServer: {"sqlServer"}, g.DataLakeStorage: {"blob", "dfs"},
		g.ContainerRegistry: {"registry"}, g.DocumentIntelligence: {"account"}} {
		for _, group := range groups {
			pe := naming.PrivateEndpointName(target, group)
			out[pe], out[pe+"-nic"] = true, true
		}
	}
	return out
}

// hostOfGlobal reports whether v is a host name under a global name (the static website's host,
// a server's FQDN).
func hostOfGlobal(g config.GlobalNames, v string) bool {
	for _, n := range []string{g.KeyVault, g.SPAStorage, g.DataLakeStorage, g.SQLServer, g.PostgresServer, g.ContainerRegistry, g.DocumentIntelligence} {
		if strings.HasPrefix(v, n+".") {
			return true
		}
	}
	return false
}

var reNameKey = regexp.MustCompile(`(?i)name$`)

// namesIn lists every string input, at any depth, whose key ends in "name", by path.
func namesIn(r *offline.Resource) map[string]string {
	out := map[string]string{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, el := range x {
				p := strings.TrimPrefix(path+"."+k, ".")
				if s, ok := el.(string); ok && reNameKey.MatchString(k) {
					out[p] = s
				}
				walk(p, el)
			}
		case []any:
			for _, el := range x {
				walk(path+"[]", el)
			}
		}
	}
	walk("", offline.Plain(resource.NewProperty(r.Inputs)))
	return out
}

// TestGlobalNamesCarryTheRandomSuffix runs the full layered plan of dev and prod: the base layer
// creates one random suffix (4 lowercase letters and digits), every globally unique name of every
// layer ends with it, and no other name holds it except those built from a global name.
func TestGlobalNamesCarryTheRandomSuffix(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			p := Plan(t, env, offline.Layered, Config(t, env, nil))
			e := Env(t, env, nil)
			require.True(t, e.RandomNameSuffix(), "the shipped %s settings leave nameSuffix unset", env)
			base := p.Stack("base")
			rs := One(t, base, tRandomString)
			Equal(t, rs, "length", naming.SuffixLength)
			Equal(t, rs, "lower", true)
			Equal(t, rs, "numeric", true)
			Equal(t, rs, "upper", false)
			Equal(t, rs, "special", false)
			suffix := planSuffix(t, base)
			require.Regexp(t, `^[a-z0-9]{4}$`, suffix, "the random suffix")
			assert.Equal(t, suffix, Output(t, base, "nameSuffix"), "the base contract hands the suffix on")
			for _, s := range p.Stacks[1:] {
				assert.Empty(t, s.ByType(tRandomString), "%s creates a suffix of its own", s.Name)
			}

			g := Global(t, e, suffix)
			for _, w := range globalInputs {
				name := w.want(g)
				assert.True(t, strings.HasSuffix(name, suffix) || strings.HasSuffix(name, suffix+".private.postgres.database.azure.com"),
					"%s does not end with the suffix %s", name, suffix)
				found := false
				for _, s := range p.Stacks {
					if r := s.Named(w.token, w.name); r != nil {
						found = true
						Equal(t, r, w.path, name)
					}
				}
				assert.True(t, found, "no %s named %s in the plan", w.token, w.name)
			}

			allowed := derivedNames(g)
			seen := 0
			for _, s := range p.Stacks {
				for _, r := range s.Resources {
					if !r.Custom || r.Read {
						continue
					}
					for path, v := range namesIn(r) {
						if strings.Contains(v, suffix) {
							seen++
							assert.True(t, allowed[v] || hostOfGlobal(g, v), "%s: input %s = %q holds the name suffix but is no global name", r.Key(), path, v)
						}
					}
				}
			}
			// Each global resource and its children name it (servers, accounts, endpoints, ...).
			assert.Greater(t, seen, len(globalInputs), "the scan found too few names with the suffix: it is broken")
		})
	}
}

// TestExplicitNameSuffix: a configured nameSuffix replaces the random one (no random string is
// created; the base contract hands on the configured value), and none gives names without one.
func TestExplicitNameSuffix(t *testing.T) {
	for _, tc := range []struct{ nameSuffix, suffix, vault, registry string }{
		{"x7", "x7", "kv-saas-dev-weu-x7", "crsaasdevweux7"},
		{config.NoNameSuffix, "", "kv-saas-dev-weu", "crsaasdevweu"},
	} {
		t.Run(tc.nameSuffix, func(t *testing.T) {
			t.Parallel()
			cfg := map[string]string{"nameSuffix": tc.nameSuffix}
			p := Plan(t, "dev", offline.Layered, Config(t, "dev", cfg))
			for _, s := range p.Stacks {
				assert.Empty(t, s.ByType(tRandomString), "%s creates a random suffix", s.Name)
			}
			base := p.Stack("base")
			assert.Equal(t, tc.suffix, Output(t, base, "nameSuffix"), "the base contract hands the configured suffix on")
			Equal(t, One(t, base, vaultType), "vaultName", tc.vault)
			Equal(t, One(t, p.Stack("aks"), tokRegistry), "registryName", tc.registry)
			g := Global(t, Env(t, "dev", cfg), tc.suffix)
			assert.Equal(t, tc.vault, g.KeyVault, "GlobalNames")
			Equal(t, Named(t, base, accountType, "datalake"), "accountName", g.DataLakeStorage)
		})
	}
}

// TestGlobalNameOutputsRefuseABadSuffix: a suffix that breaks the rules (one edited in the base
// stack's state, say) fails the run naming it, before any resource gets the names.
func TestGlobalNameOutputsRefuseABadSuffix(t *testing.T) {
	t.Parallel()
	e := Env(t, "dev", nil)
	for _, bad := range []string{"TOOLONG", "a-b"} {
		_, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: "dev"}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
			return map[string]pulumi.Output{"kv": e.GlobalNameOutputs(pulumi.String(bad).ToStringOutput()).KeyVault}, nil
		})
		ErrorMentions(t, err, `name suffix "`+bad+`": want 0-4 lowercase letters and digits`)
	}
}
