package gitops

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// TestBuildEveryKustomization builds every directory of the tree that holds a kustomization.yaml
// with the kustomize library, offline (no remote bases: a remote reference is an error), and
// checks that the variables found in the built output are exactly those Vars finds by reading
// the files, so that the flux layer's mock tests can rely on Vars.
func TestBuildEveryKustomization(t *testing.T) {
	dirs, err := KustomizationDirs(".")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(dirs), 10, "found only %d kustomizations: %v", len(dirs), dirs)
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			// Vars first: it refuses remote references, so the build below never reaches out.
			read, err := Vars(dir)
			require.NoError(t, err, "Vars")
			resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
			require.NoError(t, err, "kustomize build %s", dir)
			require.NotZero(t, resMap.Size(), "kustomize build %s: no resources", dir)
			out, err := resMap.AsYaml()
			require.NoError(t, err)
			built, err := VarsIn(string(out))
			assert.NoError(t, err, "built output")
			assert.Equal(t, read, built, "variables in the built output differ from those Vars reads")
		})
	}
}

// TestClusterEntryPoints: every environment has every kustomization the flux layer configures.
func TestClusterEntryPoints(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		for _, k := range EntryPoints() {
			p := filepath.Join(strings.TrimPrefix(Path(env, k), "./"+Dir+"/"), "kustomization.yaml")
			_, err := os.Stat(p)
			assert.NoError(t, err, Path(env, k))
		}
	}
}

// TestEveryYAMLFileIsBuilt: no manifest lies outside every kustomization (it would never be
// applied, and its variables would escape the checks).
func TestEveryYAMLFileIsBuilt(t *testing.T) {
	built := map[string]bool{}
	for _, env := range []string{"dev", "prod"} {
		for _, k := range EntryPoints() {
			fs, err := Files(strings.TrimPrefix(Path(env, k), "./"+Dir+"/"))
			require.NoError(t, err)
			for _, f := range fs {
				built[f] = true
			}
		}
	}
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			assert.True(t, built[p], "%s is not part of any cluster's kustomization", p)
		}
		return nil
	})
	require.NoError(t, err)
}

func TestVar(t *testing.T) {
	for _, c := range []struct{ name, field, want string }{
		{"user-service", ClientID, "USER_SERVICE_CLIENT_ID"},
		{"subscription-service", Namespace, "SUBSCRIPTION_SERVICE_NAMESPACE"},
		{"llm-service", ServiceAccount, "LLM_SERVICE_SERVICE_ACCOUNT"},
		{"external-secrets", ClientID, "EXTERNAL_SECRETS_CLIENT_ID"},
		{"alb-controller", ClientID, "ALB_CONTROLLER_CLIENT_ID"},
		{"billing.v2", ClientID, "BILLING_V2_CLIENT_ID"},
		{"a", ClientID, "A_CLIENT_ID"},
	} {
		assert.Equal(t, c.want, Var(c.name, c.field), "Var(%q, %q)", c.name, c.field)
	}
}

func TestVarsIn(t *testing.T) {
	for _, c := range []struct {
		text    string
		want    []string
		wantErr string
	}{
		{`a: "${B}" c: ${A}${B}`, []string{"A", "B"}, ""},
		{`escaped: $${NOT_A_VAR} and $$$${STILL_NOT}`, nil, ""},
		{`odd: $$${IS_A_VAR}`, []string{"IS_A_VAR"}, ""},
		{`plain $HOME and {{ $labels.x }}`, nil, ""},
		{`default: ${X:=1}`, nil, "unsupported substitution"},
		{`empty: ${}`, nil, "unsupported substitution"},
	} {
		got, err := VarsIn(c.text)
		if c.wantErr != "" {
			assert.ErrorContains(t, err, c.wantErr, "VarsIn(%q)", c.text)
			continue
		}
		assert.NoError(t, err, "VarsIn(%q)", c.text)
		// No variables: nil and empty are the same answer.
		if len(c.want) == 0 {
			assert.Empty(t, got, "VarsIn(%q)", c.text)
		} else {
			assert.Equal(t, c.want, got, "VarsIn(%q)", c.text)
		}
	}
}

func TestPath(t *testing.T) {
	assert.Equal(t, "./gitops/clusters/prod/services", Path("prod", Services))
}

// TestFilesRefusesRemoteBases: a kustomization with a remote base is refused before any build.
func TestFilesRefusesRemoteBases(t *testing.T) {
	dir := t.TempDir()
	k := "resources:\n  - https://github.com/example/repo//base?ref=v1\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(k), 0o644))
	_, err := Files(dir)
	assert.ErrorContains(t, err, "offline", "Files must refuse the remote base")
}
