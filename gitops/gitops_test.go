package gitops

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// TestBuildEveryKustomization builds every directory of the tree that holds a kustomization.yaml
// with the kustomize library, offline (no remote bases: a remote reference is an error), and
// checks that the variables found in the built output are exactly those Vars finds by reading
// the files, so that the flux layer's mock tests can rely on Vars.
func TestBuildEveryKustomization(t *testing.T) {
	dirs, err := KustomizationDirs(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 10 {
		t.Fatalf("found only %d kustomizations: %v", len(dirs), dirs)
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			// Vars first: it refuses remote references, so the build below never reaches out.
			read, err := Vars(dir)
			if err != nil {
				t.Fatalf("Vars: %v", err)
			}
			resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
			if err != nil {
				t.Fatalf("kustomize build %s: %v", dir, err)
			}
			if resMap.Size() == 0 {
				t.Fatalf("kustomize build %s: no resources", dir)
			}
			out, err := resMap.AsYaml()
			if err != nil {
				t.Fatal(err)
			}
			built, err := VarsIn(string(out))
			if err != nil {
				t.Errorf("built output: %v", err)
			}
			if !reflect.DeepEqual(built, read) {
				t.Errorf("variables in the built output %v differ from those Vars reads %v", built, read)
			}
		})
	}
}

// TestClusterEntryPoints: every environment has every kustomization the flux layer configures.
func TestClusterEntryPoints(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		for _, k := range EntryPoints() {
			p := filepath.Join(strings.TrimPrefix(Path(env, k), "./"+Dir+"/"), "kustomization.yaml")
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s: %v", Path(env, k), err)
			}
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
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				built[f] = true
			}
		}
	}
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".yaml") && !built[p] {
			t.Errorf("%s is not part of any cluster's kustomization", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestVar(t *testing.T) {
	for _, c := range []struct{ name, field, want string }{
		{"user-service", ClientID, "USER_SERVICE_CLIENT_ID"},
		{"subscription-service", Namespace, "SUBSCRIPTION_SERVICE_NAMESPACE"},
		{"llm-service", ServiceAccount, "LLM_SERVICE_SERVICE_ACCOUNT"},
		{"llm-service", APIClientID, "LLM_SERVICE_API_CLIENT_ID"},
		{"llm-service", APIScope, "LLM_SERVICE_API_SCOPE"},
		{"external-secrets", ClientID, "EXTERNAL_SECRETS_CLIENT_ID"},
		{"alb-controller", ClientID, "ALB_CONTROLLER_CLIENT_ID"},
		{"billing.v2", ClientID, "BILLING_V2_CLIENT_ID"},
		{"a", ClientID, "A_CLIENT_ID"},
	} {
		if got := Var(c.name, c.field); got != c.want {
			t.Errorf("Var(%q, %q) = %q, want %q", c.name, c.field, got, c.want)
		}
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
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("VarsIn(%q) error = %v, want %q", c.text, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("VarsIn(%q): %v", c.text, err)
		}
		if len(got) != len(c.want) || (len(got) > 0 && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("VarsIn(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestPath(t *testing.T) {
	if got := Path("prod", Services); got != "./gitops/clusters/prod/services" {
		t.Errorf("Path = %q", got)
	}
}

// TestFilesRefusesRemoteBases: a kustomization with a remote base is refused before any build.
func TestFilesRefusesRemoteBases(t *testing.T) {
	dir := t.TempDir()
	k := "resources:\n  - https://github.com/example/repo//base?ref=v1\n"
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(k), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Files(dir); err == nil || !strings.Contains(err.Error(), "offline") {
		t.Errorf("Files = %v, want a refusal of the remote base", err)
	}
}
