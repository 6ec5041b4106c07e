package release

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func shippedEnvironment(t *testing.T, env string) Environment {
	t.Helper()
	e, err := ReadEnvironment(filepath.Join("..", "Pulumi."+env+".yaml"))
	require.NoError(t, err)
	return e
}

func TestReadEnvironment(t *testing.T) {
	dev := shippedEnvironment(t, "dev")
	assert.Equal(t, "dev", dev.Name)
	assert.Equal(t, []Service{{Name: "user-service", Namespace: "users"}, {Name: "subscription-service", Namespace: "subscriptions"}, {Name: "llm-service", Namespace: "llm"}}, dev.Services)
	assert.Equal(t, "main", dev.Branch)
	assert.True(t, dev.ImageAutomation, "dev's default")

	prod := shippedEnvironment(t, "prod")
	assert.Equal(t, "release", prod.Branch)
	assert.False(t, prod.ImageAutomation, "prod's default")

	// An environment of another name takes its profile's defaults (the staging example: prod).
	staging, err := ReadEnvironment(filepath.Join("..", "examples", "staging", "Pulumi.staging.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "staging", staging.Name)
	assert.False(t, staging.ImageAutomation, "the prod profile's default")

	f := filepath.Join(t.TempDir(), "Pulumi.qa.yaml")
	require.NoError(t, os.WriteFile(f, []byte("config:\n  platform:environment: qa\n"), 0o644))
	_, err = ReadEnvironment(f)
	assert.ErrorContains(t, err, "platform:location", "settings are validated as the program validates them")
	require.NoError(t, os.WriteFile(f, []byte("config:\n  platform:services: []\n"), 0o644))
	_, err = ReadEnvironment(f)
	assert.ErrorContains(t, err, "platform:environment")
}

func TestChangedServices(t *testing.T) {
	dev := shippedEnvironment(t, "dev")
	names := func(ss []Service) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		paths  []string
		layout Layout
		want   []string
	}{
		{"one service", []string{"services/llm-service/src/index.ts"}, Layout{}, []string{"llm-service"}},
		{"two, in config order", []string{"services/llm-service/a", "services/user-service/Dockerfile", "services/user-service/b"}, Layout{}, []string{"user-service", "llm-service"}},
		{"docs and markdown build nothing", []string{"README.md", "docs/x.md", "services/user-service/README.md"}, Layout{}, nil},
		{"outside the services directory", []string{".editorconfig", "pipelines/ci.yml"}, Layout{}, nil},
		{"a shared directory builds every service", []string{"services/shared/log.ts"}, Layout{Shared: []string{"services/shared/"}}, []string{"user-service", "subscription-service", "llm-service"}},
		{"a shared file", []string{"package-lock.json"}, Layout{Shared: []string{"package-lock.json"}}, []string{"user-service", "subscription-service", "llm-service"}},
		{"a shared file is a file, not a prefix", []string{"package-lock.json.bak"}, Layout{Shared: []string{"package-lock.json"}}, nil},
		{"another directory", []string{"apps/user-service/x"}, Layout{Dir: "apps/"}, []string{"user-service"}},
		{"a single-service repository", []string{"src/index.ts", "README.md"}, Layout{Single: "subscription-service"}, []string{"subscription-service"}},
		{"a single-service repository, docs only", []string{"README.md"}, Layout{Single: "subscription-service"}, nil},
		{"custom ignore", []string{"services/user-service/test/x.ts"}, Layout{Ignore: []string{"services/user-service/test/"}}, nil},
	} {
		got, err := ChangedServices(tt.paths, dev, tt.layout)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, names(got), tt.name)
	}

	_, err := ChangedServices([]string{"services/billing-service/x", "services/user-servce/y"}, dev, Layout{})
	assert.ErrorContains(t, err, "belong to no service of platform:services in dev: services/billing-service/x, services/user-servce/y")
	_, err = ChangedServices(nil, dev, Layout{Single: "nope"})
	assert.ErrorContains(t, err, `service "nope" is not in platform:services of dev`)
}

func TestMatrices(t *testing.T) {
	ss := []Service{{Name: "user-service", Namespace: "users"}, {Name: "llm-service", Namespace: "llm"}}
	assert.JSONEq(t, `{"user_service":{"service":"user-service","namespace":"users"},"llm_service":{"service":"llm-service","namespace":"llm"}}`, AzureDevOpsMatrix(ss))
	assert.JSONEq(t, `{"include":[{"service":"user-service","namespace":"users"},{"service":"llm-service","namespace":"llm"}]}`, GitHubMatrix(ss))
	assert.JSONEq(t, `{"include":[]}`, GitHubMatrix(nil))
	assert.JSONEq(t, `{}`, AzureDevOpsMatrix(nil))
}

func TestImageTag(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "VERSION")
	for _, tt := range []struct{ version, build, want, err string }{
		{"1.4\n", "2317", "1.4.2317", ""},
		{"0.1", "1", "0.1.1", ""},
		{"1.4.2", "7", "", `holds "1.4.2": want major.minor`},
		{"v1.4", "7", "", "want major.minor"},
		{"01.4", "7", "", "want major.minor"},
		{"1.4", "0", "", `build number "0"`},
		{"1.4", "12a", "", "want a positive integer"},
	} {
		require.NoError(t, os.WriteFile(f, []byte(tt.version), 0o644))
		got, err := ImageTag(f, tt.build)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, tt.version)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
		assert.NoError(t, ValidTag(got))
	}
	_, err := ImageTag(filepath.Join(dir, "missing"), "1")
	assert.ErrorContains(t, err, "a file holding its major.minor")
}
