package gitops

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// object is one built manifest and the entry point it came from.
type object struct {
	entry string
	m     map[string]any
}

func (o object) kind() string       { s, _ := o.m["kind"].(string); return s }
func (o object) apiVersion() string { s, _ := o.m["apiVersion"].(string); return s }
func (o object) name() string       { s, _ := get(o.m, "metadata", "name").(string); return s }
func (o object) namespace() string  { s, _ := get(o.m, "metadata", "namespace").(string); return s }
func (o object) String() string {
	return o.entry + ": " + o.kind() + " " + o.namespace() + "/" + o.name()
}

// get walks nested maps; nil when a key is missing.
func get(m any, path ...string) any {
	for _, k := range path {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = mm[k]
	}
	return m
}

// strings of a list value; nil when it is not a list.
func stringList(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// builtCache holds each environment's build: the tests only read the objects, and building
// every entry point again for each test costs seconds.
var builtCache sync.Map

// built returns every object of every entry point of an environment, built with kustomize
// (variables unsubstituted: they compare as written). Callers must not change the objects.
func built(t *testing.T, env string) []object {
	t.Helper()
	if cached, ok := builtCache.Load(env); ok {
		return cached.([]object)
	}
	var out []object
	for _, entry := range EntryPoints() {
		dir := strings.TrimPrefix(Path(env, entry), "./"+Dir+"/")
		_, err := Files(dir) // refuses remote bases before any build
		require.NoError(t, err)
		resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
		require.NoError(t, err, "kustomize build %s", dir)
		for _, r := range resMap.Resources() {
			m, err := r.Map()
			require.NoError(t, err)
			out = append(out, object{entry: entry, m: m})
		}
	}
	require.GreaterOrEqual(t, len(out), 20, "%s: only %d objects built", env, len(out))
	builtCache.Store(env, out)
	return out
}

var envs = []string{"dev", "prod"}

// TestClusterSecretStoresAreConditioned: every ClusterSecretStore is limited to a list of
// namespaces by name (each store reads Key Vault as the one External Secrets identity, which can
// read every secret, so the list is the boundary), and every ExternalSecret uses a store that
// admits its namespace.
func TestClusterSecretStoresAreConditioned(t *testing.T) {
	for _, env := range envs {
		objs := built(t, env)
		admits := map[string][]string{}
		for _, o := range objs {
			if o.kind() != "ClusterSecretStore" {
				continue
			}
			admits[o.name()] = []string{}
			conds, _ := get(o.m, "spec", "conditions").([]any)
			assert.NotEmpty(t, conds, "%s has no spec.conditions: every namespace could read every Key Vault secret", o)
			for _, c := range conds {
				ns := stringList(get(c, "namespaces"))
				assert.True(t, len(ns) > 0 && get(c, "namespaceSelector") == nil && get(c, "namespaceRegexes") == nil,
					"%s: condition %v must list namespaces by name, and only that", o, c)
				admits[o.name()] = append(admits[o.name()], ns...)
			}
		}
		assert.GreaterOrEqual(t, len(admits), 3, "%s: want the services', the agents' and Flux's stores, found %v", env, admits)
		uses := map[string][]string{} // "<object>" -> {store, namespace}
		for _, o := range objs {
			if o.kind() == "ExternalSecret" && get(o.m, "spec", "secretStoreRef", "kind") == "ClusterSecretStore" {
				store, _ := get(o.m, "spec", "secretStoreRef", "name").(string)
				uses[o.String()] = []string{store, o.namespace()}
			}
			// A service's ExternalSecret is rendered by the chart from its release's values
			// (store default: the chart's values.yaml, ClusterSecretStore azure-key-vault).
			if o.kind() == "HelmRelease" && o.entry == Services && len(listOf(get(o.m, "spec", "values", "externalSecret", "entries"))) > 0 {
				store := cmpOr(str(get(o.m, "spec", "values", "externalSecret", "store", "name")), "azure-key-vault")
				assert.Equal(t, "ClusterSecretStore", cmpOr(str(get(o.m, "spec", "values", "externalSecret", "store", "kind")), "ClusterSecretStore"), "%s: the services read Key Vault through a ClusterSecretStore", o)
				ns, _ := get(o.m, "spec", "targetNamespace").(string)
				uses[o.String()+" (its ExternalSecret)"] = []string{store, ns}
			}
		}
		assert.NotEmpty(t, uses, "%s: no ExternalSecret found: the scan is broken", env)
		for o, u := range uses {
			store, ns := u[0], u[1]
			if assert.Contains(t, admits, store, "%s uses ClusterSecretStore %q, which the tree does not define", o, store) {
				assert.Contains(t, admits[store], ns, "%s uses ClusterSecretStore %q, which admits only %v", o, store, admits[store])
			}
		}
		// The agents' PAT and Flux's Git credentials have stores no other namespace may use.
		for store, only := range map[string]string{"azure-key-vault-ci-agents": "azure-devops-agents", "azure-key-vault-flux": "flux-system"} {
			assert.Equal(t, []string{only}, admits[store], "%s: store %s must admit only %s", env, store, only)
		}
		for store, ns := range admits {
			for _, n := range ns {
				assert.False(t, (n == "flux-system" && store != "azure-key-vault-flux") || (n == "azure-devops-agents" && store != "azure-key-vault-ci-agents"),
					"%s: store %s admits %s", env, store, n)
			}
		}
	}
}

// TestFluxMultiTenancy: the microsoft.flux extension enforces multi-tenancy (no cross-namespace
// references; objects applied as flux-applier, which exists in flux-system only). In the build
// output every Flux object is in flux-system, references nothing by namespace, and installs only
// into namespaces the tree creates.
func TestFluxMultiTenancy(t *testing.T) {
	for _, env := range envs {
		objs := built(t, env)
		namespaces := map[string]bool{"flux-system": true}
		// The flux layer creates each configured service's namespace (its name reaches the tree
		// as the service's namespace variable).
		for _, svc := range configuredServices(t, env) {
			namespaces["${"+Var(svc.Name, Namespace)+"}"] = true
		}
		for _, o := range objs {
			if o.kind() == "Namespace" {
				namespaces[o.name()] = true
			}
		}
		flux := 0
		for _, o := range objs {
			group, _, _ := strings.Cut(o.apiVersion(), "/")
			if !strings.HasSuffix(group, ".toolkit.fluxcd.io") {
				continue
			}
			flux++
			assert.Equal(t, "flux-system", o.namespace(), "%s: Flux objects must be in flux-system", o)
			for _, path := range [][]string{
				{"spec", "sourceRef", "namespace"},
				{"spec", "chart", "spec", "sourceRef", "namespace"},
				{"spec", "chartRef", "namespace"},
				{"spec", "imageRepositoryRef", "namespace"},
				{"spec", "kubeConfig"},
				{"spec", "serviceAccountName"},
			} {
				assert.Nil(t, get(o.m, path...), "%s: %s: cross-namespace references are refused", o, strings.Join(path, "."))
			}
			deps, _ := get(o.m, "spec", "dependsOn").([]any)
			for _, d := range deps {
				assert.Nil(t, get(d, "namespace"), "%s: dependsOn %v names a namespace", o, d)
			}
			if tn, ok := get(o.m, "spec", "targetNamespace").(string); ok {
				assert.True(t, namespaces[tn], "%s: targetNamespace %s is not a Namespace of the tree", o, tn)
			}
		}
		assert.GreaterOrEqual(t, flux, 10, "%s: only %d Flux objects found: the scan is broken", env, flux)
	}
}

// addOnNamespaces are the defaults of platform:workloads' namespaces (config/defaults.go): they
// must reach the tree as variables, never as literals, or a changed setting would silently leave
// the add-ons outside their federated credentials.
var addOnNamespaces = []string{"external-secrets", "cert-manager", "azure-alb-system"}

// TestAddOnNamesAreSubstituted: no add-on namespace appears literally where it places or
// references an object.
func TestAddOnNamesAreSubstituted(t *testing.T) {
	for _, env := range envs {
		for _, o := range built(t, env) {
			places := map[string]any{
				"metadata.namespace":             o.namespace(),
				"spec.targetNamespace":           get(o.m, "spec", "targetNamespace"),
				"serviceAccountRef.namespace":    get(o.m, "spec", "provider", "azurekv", "serviceAccountRef", "namespace"),
				"values.albController.namespace": get(o.m, "spec", "values", "albController", "namespace"),
			}
			if o.kind() == "Namespace" {
				places["Namespace"] = o.name()
			}
			for where, v := range places {
				if s, ok := v.(string); ok {
					assert.NotContains(t, addOnNamespaces, s, "%s: %s is the literal %q; use the flux layer's variable", o, where, s)
				}
			}
		}
	}
}

// TestFluentBitShipsSafely: Fluent Bit verifies OpenSearch's certificate, writes as its own user
// (never the operator's admin credentials) and runs on the system pool too.
func TestFluentBitShipsSafely(t *testing.T) {
	for _, env := range envs {
		var fb *object
		for _, o := range built(t, env) {
			if o.kind() == "HelmRelease" && o.name() == "fluent-bit" {
				fb = &o
			}
		}
		require.NotNil(t, fb, "%s: no fluent-bit HelmRelease", env)
		outputs, _ := get(fb.m, "spec", "values", "config", "outputs").(string)
		for _, want := range []string{"tls.verify On", "tls.ca_file /fluent-bit/opensearch-ca/ca.crt", "HTTP_User fluent-bit"} {
			assert.Contains(t, outputs, want, "%s: Fluent Bit output lacks %q", env, want)
		}
		assert.False(t, strings.Contains(JSONish(fb.m), "admin") || strings.Contains(outputs, "tls.verify Off"),
			"%s: Fluent Bit uses admin credentials or skips TLS verification", env)
		tolerated := false
		tols, _ := get(fb.m, "spec", "values", "tolerations").([]any)
		for _, tol := range tols {
			tolerated = tolerated || (get(tol, "key") == "CriticalAddonsOnly" && get(tol, "operator") == "Exists")
		}
		assert.True(t, tolerated, "%s: Fluent Bit does not tolerate the system pool's CriticalAddonsOnly taint", env)
	}
}

// JSONish renders a value for substring checks.
func JSONish(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestServicesLockedDown: the services are deployed with the platform's chart, whose pod passes
// Pod Security "restricted" and whose NetworkPolicy admits only the AGC subnet (package charts
// tests both on the tree's values); no release switches those off, every release keeps its
// PodDisruptionBudget and spreads over zones (a hard rule in prod); the log store's and
// monitoring's namespaces deny ingress by default too.
func TestServicesLockedDown(t *testing.T) {
	for _, env := range envs {
		objs := built(t, env)
		denies := map[string]bool{}
		for _, np := range objs {
			if np.kind() != "NetworkPolicy" {
				continue
			}
			types := stringList(get(np.m, "spec", "policyTypes"))
			sel, _ := get(np.m, "spec", "podSelector").(map[string]any)
			if len(sel) == 0 && get(np.m, "spec", "ingress") == nil && slices.Contains(types, "Ingress") {
				denies[np.namespace()] = true
			}
		}
		for _, ns := range []string{"logging", "monitoring"} {
			assert.True(t, denies[ns], "%s: namespace %s has no default-deny ingress policy", env, ns)
		}
		services := 0
		for _, hr := range objs {
			if hr.kind() != "HelmRelease" || hr.entry != Services {
				continue
			}
			services++
			chart, _ := chartOf(hr)
			assert.Equal(t, "./charts/microservice", chart, "%s: a service is deployed with the platform's chart", hr)
			values := valuesOf(hr)
			for _, off := range [][]string{{"networkPolicy", "enabled"}, {"podDisruptionBudget", "enabled"}, {"workloadIdentity", "enabled"}} {
				assert.NotEqual(t, false, get(values, off...), "%s: %s is switched off", hr, strings.Join(off, "."))
			}
			zone := cmpOr(str(get(values, "topologySpread", "zone")), "ScheduleAnyway") // the chart's default
			assert.Equal(t, map[string]string{"dev": "ScheduleAnyway", "prod": "DoNotSchedule"}[env], zone, "%s: zone spread", hr)
		}
		assert.Len(t, configuredServices(t, env), services, "%s: service HelmReleases", env)
	}
}

func str(v any) string { s, _ := v.(string); return s }
