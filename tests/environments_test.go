package tests

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/layers"
	"github.com/azure-saas-platform/platform/layers/flux"
	"github.com/azure-saas-platform/platform/offline"
)

// The third environment: the README's worked example (staging on the prod profile), done the way
// the README says, and tested like dev and prod. The GitOps tests (kubeschema_test.go,
// flux_test.go) run it too, on the tree EnvironmentTree makes.

// environments are every environment the tests plan: the two at the root and the examples.
func environments() []string {
	out := []string{config.Dev, config.Prod}
	for env := range Examples {
		out = append(out, env)
	}
	return out
}

// EnvironmentTree returns the repository root whose gitops/ holds an environment's entry point: the
// repository itself for dev and prod; for an example, a copy of gitops/ in which
// clusters/<profile> has been copied to clusters/<environment>, the README's step
// (cp -r gitops/clusters/prod gitops/clusters/staging).
func EnvironmentTree(t testing.TB, env string) string {
	t.Helper()
	if _, ok := Examples[env]; !ok {
		return RepoRoot()
	}
	e := Env(t, env, nil)
	root := t.TempDir()
	require.NoError(t, copyDir(filepath.Join(RepoRoot(), gitops.Dir), filepath.Join(root, gitops.Dir)))
	clusters := filepath.Join(root, gitops.Dir, "clusters")
	require.NoDirExists(t, filepath.Join(clusters, env), "the example's entry point is made by the copy, not shipped")
	require.NoError(t, copyDir(filepath.Join(clusters, e.Profile), filepath.Join(clusters, env)))
	return root
}

func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// TestThirdEnvironmentPlans: the staging example plans with the plan command in both modes, its
// placeholders listed as warnings; its name is in every name, tag and stack name, and its prod
// profile gives it prod's defaults and rules.
func TestThirdEnvironmentPlans(t *testing.T) {
	t.Parallel()
	const env = "staging"
	for _, mode := range []string{offline.Layered, offline.Single} {
		stdout, stderr, err := planCommand("-env", env, "-config", SettingsFile(env), "-mode", mode, "-q")
		require.NoError(t, err, mode)
		assert.Contains(t, stdout, "environment staging, mode "+mode, mode)
		assert.Equal(t, warningLines(t, SettingsFile(env)), stderr, "%s: the placeholders, as warnings", mode)
	}

	e := Env(t, env, nil)
	require.Equal(t, "staging", e.Environment)
	require.True(t, e.Prod(), "the example runs the prod profile")
	p := Plan(t, env, offline.Layered, Config(t, env, nil))
	for i, s := range p.Stacks {
		assert.Equal(t, "organization/platform-"+layers.Order[i]+"/staging", s.Name, "stack names carry the environment")
	}
	base := p.Stack(layers.Base)
	rg := One(t, base, "azure-native:resources:ResourceGroup")
	Equal(t, rg, "resourceGroupName", "rg-saas-staging-weu")
	Equal(t, rg, "tags.environment", "staging")
	// The prod profile's defaults and rules: protection, purge protection, zone redundancy.
	kv := One(t, base, "azure-native:keyvault:Vault")
	assert.True(t, kv.Protect, "Key Vault is protected")
	Equal(t, kv, "properties.enablePurgeProtection", true)
	assert.True(t, strings.HasPrefix(In(t, kv, "vaultName").(string), "kv-saas-staging-weu-"), "Key Vault name")
	Equal(t, One(t, base, "azure-native:sql:Database"), "zoneRedundant", true)
	_, err := TryPlan(env, offline.Layered, Config(t, env, map[string]string{"frontDoor": `{"wafMode":"Detection"}`}))
	ErrorMentions(t, err, "platform:frontDoor.wafMode", "prod blocks attacks")
	_, err = TryPlan(env, offline.Layered, Config(t, env, map[string]string{"profile": "<delete>"}))
	ErrorMentions(t, err, `platform:profile: is required: dev or prod: the environment "staging" is neither`)
}

// TestThirdEnvironmentGitOpsPaths: every kustomization of the staging Flux configuration points
// into gitops/clusters/staging, which the README's copy creates and which builds offline.
func TestThirdEnvironmentGitOpsPaths(t *testing.T) {
	t.Parallel()
	const env = "staging"
	root := EnvironmentTree(t, env)
	e := Env(t, env, nil)
	paths := 0
	for _, k := range flux.Kustomizations(e) {
		require.True(t, strings.HasPrefix(k.Path, "./gitops/clusters/staging/"), "%s is not staging's", k.Path)
		_, err := gitops.Files(filepath.Join(root, strings.TrimPrefix(k.Path, "./")))
		assert.NoError(t, err, k.Path)
		paths++
	}
	assert.GreaterOrEqual(t, paths, len(gitops.Kustomizations))
	_, err := os.Stat(filepath.Join(RepoRoot(), gitops.Dir, "clusters", env))
	assert.True(t, os.IsNotExist(err), "gitops/clusters/staging is not shipped: the README's copy makes it")
}

// TestEverySettingsFileHasItsEntryPoint: each Pulumi.<stack>.yaml at the root names an
// environment whose GitOps entry point gitops/clusters/<environment> exists with every directory
// a Flux kustomization may point at. A team adding an environment without its entry point fails
// here, not at Flux's first reconciliation.
func TestEverySettingsFileHasItsEntryPoint(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(RepoRoot(), "Pulumi.*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		all, err := config.ReadStackFile(f)
		require.NoError(t, err)
		env := all[config.Namespace+":environment"]
		require.NotEmpty(t, env, "%s names no environment", f)
		for _, entry := range gitops.EntryPoints() {
			_, err := gitops.Files(filepath.Join(RepoRoot(), strings.TrimPrefix(gitops.Path(env, entry), "./")))
			assert.NoError(t, err, "%s: environment %s", filepath.Base(f), env)
		}
	}
}
