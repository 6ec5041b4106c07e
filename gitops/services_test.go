package gitops

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/azure-saas-platform/platform/config"
)

// configuredServices are the services of an environment's shipped settings (Pulumi.<env>.yaml,
// parsed and validated as the layers see them).
func configuredServices(t *testing.T, env string) []config.Service {
	t.Helper()
	all, err := config.ReadStackFile(filepath.Join("..", "Pulumi."+env+".yaml"))
	require.NoError(t, err)
	e, _, err := config.Load(all, config.Offline)
	require.NoError(t, err, "Pulumi.%s.yaml", env)
	require.NotEmpty(t, e.Services)
	return e.Services
}

// releaseMismatches lists, both ways, what differs between the configured services and the
// HelmReleases of an environment.
func releaseMismatches(configured, released []string) []string {
	var out []string
	for _, s := range configured {
		if !slices.Contains(released, s) {
			out = append(out, "service "+s+" is configured (platform:services) but has no HelmRelease")
		}
	}
	for _, r := range released {
		if !slices.Contains(configured, r) {
			out = append(out, "HelmRelease "+r+" has no service in platform:services (no identity, namespace or platform values)")
		}
	}
	return out
}

func TestReleaseMismatches(t *testing.T) {
	assert.Empty(t, releaseMismatches([]string{"a", "b"}, []string{"b", "a"}))
	assert.Equal(t, []string{"service c is configured (platform:services) but has no HelmRelease"}, releaseMismatches([]string{"a", "c"}, []string{"a"}))
	assert.Equal(t, []string{"HelmRelease d has no service in platform:services (no identity, namespace or platform values)"}, releaseMismatches([]string{"a"}, []string{"a", "d"}))
}

// Adding a service is an entry in platform:services and its HelmRelease: for dev and prod the
// configured services and the HelmReleases of clusters/<env>/services are the same set.
func TestServiceReleasesMatchConfig(t *testing.T) {
	for _, env := range envs {
		rels, err := ServiceReleases("..", env)
		require.NoError(t, err)
		var configured, released []string
		for _, s := range configuredServices(t, env) {
			configured = append(configured, s.Name)
		}
		for _, r := range rels {
			released = append(released, r.Name)
		}
		assert.Empty(t, releaseMismatches(configured, released), env)
	}
}

// Every file of clusters/<env>/services is in its kustomization (a HelmRelease left out would
// never be applied), and nothing else is.
func TestServicesKustomizationListsEveryRelease(t *testing.T) {
	for _, env := range envs {
		dir := filepath.Join("..", ServicesDir(env))
		raw, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
		require.NoError(t, err)
		var k kustomizationFile
		require.NoError(t, yaml.Unmarshal(raw, &k))
		rels, err := ServiceReleases("..", env)
		require.NoError(t, err)
		var files []string
		for _, r := range rels {
			files = append(files, filepath.Base(r.File))
		}
		listed := append([]string{}, k.Resources...)
		sort.Strings(listed)
		assert.Equal(t, files, listed, "%s: the services kustomization lists exactly the HelmRelease files", env)
	}
}

// The HelmRelease of every service, field by field: where it lives and what it installs, where its
// platform values come from, how it recovers from a failed install or upgrade, and that drift is
// corrected except for the replica count the HPA owns.
func TestServiceReleasesAreDeliveredAlike(t *testing.T) {
	for _, env := range envs {
		rels, err := ServiceReleases("..", env)
		require.NoError(t, err)
		require.NotEmpty(t, rels)
		for _, r := range rels {
			o := r.Object
			name := r.Name + " (" + env + ")"
			assert.Equal(t, FluxNamespace, get(o, "metadata", "namespace"), "%s: namespace", name)
			assert.Equal(t, r.Name, get(o, "spec", "releaseName"), "%s: releaseName (Helm's default would be <namespace>-<name>)", name)
			assert.Equal(t, "${"+Var(r.Name, Namespace)+"}", get(o, "spec", "targetNamespace"), "%s: targetNamespace is the configured namespace", name)
			assert.Equal(t, map[string]any{
				"chart":             "./charts/microservice",
				"reconcileStrategy": "Revision",
				"sourceRef":         map[string]any{"kind": "GitRepository", "name": "${" + FluxGitRepository + "}"},
			}, get(o, "spec", "chart", "spec"), "%s: chart", name)
			assert.Equal(t, []any{map[string]any{"kind": "ConfigMap", "name": PlatformValuesConfigMap(r.Name), "valuesKey": PlatformValuesKey}},
				get(o, "spec", "valuesFrom"), "%s: valuesFrom", name)
			assert.Equal(t, map[string]any{"remediation": map[string]any{"retries": 3}}, get(o, "spec", "install"), "%s: install", name)
			assert.Equal(t, map[string]any{"cleanupOnFail": true, "remediation": map[string]any{"retries": 3, "strategy": "rollback", "remediateLastFailure": true}},
				get(o, "spec", "upgrade"), "%s: upgrade", name)
			assert.Equal(t, map[string]any{"cleanupOnFail": true}, get(o, "spec", "rollback"), "%s: rollback", name)

			drift := map[string]any{"mode": "enabled"}
			if get(r.Values, "autoscaling", "enabled") == true {
				drift["ignore"] = []any{map[string]any{
					"paths":  []any{"/spec/replicas"},
					"target": map[string]any{"group": "apps", "kind": "Deployment", "name": r.Name},
				}}
			}
			assert.Equal(t, drift, get(o, "spec", "driftDetection"), "%s: drift detection ignores the replicas exactly when the HPA owns them", name)

			assert.NotContains(t, r.Values, "platform", "%s: platform: comes from the ConfigMap; values would override it", name)
			vars, err := VarsIn(JSONish(r.Values))
			assert.NoError(t, err)
			assert.Empty(t, vars, "%s: values hold no substitution variables (the chart tests render them as written)", name)
			assert.Equal(t, r.Name, get(r.Values, "image", "repository"), "%s: image repository (image automation scans <ACR>/%s)", name, r.Name)
		}
	}
}

// imageTagComment returns the line comment of spec.values.image.tag in a HelmRelease file.
func imageTagComment(t *testing.T, file string) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(raw, &doc))
	n := doc.Content[0]
	for _, key := range []string{"spec", "values", "image", "tag"} {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		require.NotNil(t, next, "%s: no %s", file, key)
		n = next
	}
	return n.LineComment
}

// Image automation keeps working: each release's image tag carries the setter marker of its
// service's ImagePolicy, the policy and its ImageRepository exist, and the automation writes to
// the directory the releases are in.
func TestImageAutomationUpdatesEveryRelease(t *testing.T) {
	for _, env := range envs {
		rels, err := ServiceReleases("..", env)
		require.NoError(t, err)
		policies := map[string]bool{}
		var update any
		for _, o := range built(t, env) {
			switch o.kind() {
			case "ImagePolicy", "ImageRepository":
				policies[o.kind()+"/"+o.name()] = true
			case "ImageUpdateAutomation":
				update = get(o.m, "spec", "update")
			}
		}
		assert.Equal(t, map[string]any{"path": Path("${"+Environment+"}", Services), "strategy": "Setters"}, update,
			"%s: image automation updates the services' HelmReleases", env)
		for _, r := range rels {
			assert.Equal(t, `# {"$imagepolicy": "flux-system:`+r.Name+`:tag"}`, imageTagComment(t, r.File), "%s: setter marker", r.File)
			for _, kind := range []string{"ImagePolicy", "ImageRepository"} {
				assert.True(t, policies[kind+"/"+r.Name], "%s: no %s %s in infrastructure/image-automation", env, kind, r.Name)
			}
		}
	}
}

// A service that mounts Key Vault secrets with the CSI driver reads them with its own identity,
// which then needs Key Vault access of its own (platform:services[].keyVaultSecrets).
func TestKeyVaultCSIHasIdentityAccess(t *testing.T) {
	for _, env := range envs {
		rels, err := ServiceReleases("..", env)
		require.NoError(t, err)
		access := map[string]bool{}
		for _, s := range configuredServices(t, env) {
			access[s.Name] = s.KeyVaultSecrets
		}
		csi := 0
		for _, r := range rels {
			if get(r.Values, "keyVaultCsi", "enabled") == true {
				csi++
				assert.True(t, access[r.Name], "%s %s mounts Key Vault secrets with the CSI driver: set keyVaultSecrets: true on its platform:services entry", env, r.Name)
			}
		}
		assert.NotZero(t, csi, "%s: no release uses the CSI driver: the check tests nothing", env)
	}
}

// The Gateway the platform values name is the tree's, and it admits routes from namespaces
// labelled as the flux layer labels the service namespaces.
func TestServicesGateway(t *testing.T) {
	for _, env := range envs {
		found := 0
		for _, o := range built(t, env) {
			if o.kind() != "Gateway" {
				continue
			}
			found++
			assert.Equal(t, GatewayName, o.name())
			assert.Equal(t, GatewayNamespace, o.namespace())
			for _, l := range listOf(get(o.m, "spec", "listeners")) {
				assert.Equal(t, map[string]any{GatewayAccessLabel: GatewayName}, get(l, "allowedRoutes", "namespaces", "selector", "matchLabels"), "%s: listener %v", env, get(l, "name"))
			}
		}
		assert.Equal(t, len(GatewayVariants), found, "%s: one Gateway per gateway variant", env)
	}
}
