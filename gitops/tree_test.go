package gitops

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

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

// built returns every object of every entry point of an environment, built with kustomize
// (variables unsubstituted: they compare as written).
func built(t *testing.T, env string) []object {
	t.Helper()
	var out []object
	for _, entry := range EntryPoints() {
		dir := strings.TrimPrefix(Path(env, entry), "./"+Dir+"/")
		if _, err := Files(dir); err != nil { // refuses remote bases before any build
			t.Fatal(err)
		}
		resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
		if err != nil {
			t.Fatalf("kustomize build %s: %v", dir, err)
		}
		for _, r := range resMap.Resources() {
			m, err := r.Map()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, object{entry: entry, m: m})
		}
	}
	if len(out) < 20 {
		t.Fatalf("%s: only %d objects built", env, len(out))
	}
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
			if len(conds) == 0 {
				t.Errorf("%s has no spec.conditions: every namespace could read every Key Vault secret", o)
			}
			for _, c := range conds {
				ns := stringList(get(c, "namespaces"))
				if len(ns) == 0 || get(c, "namespaceSelector") != nil || get(c, "namespaceRegexes") != nil {
					t.Errorf("%s: condition %v must list namespaces by name, and only that", o, c)
				}
				admits[o.name()] = append(admits[o.name()], ns...)
			}
		}
		if len(admits) < 3 {
			t.Errorf("%s: want the services', the agents' and Flux's stores, found %v", env, admits)
		}
		for _, o := range objs {
			if o.kind() != "ExternalSecret" || get(o.m, "spec", "secretStoreRef", "kind") != "ClusterSecretStore" {
				continue
			}
			store, _ := get(o.m, "spec", "secretStoreRef", "name").(string)
			ns, ok := admits[store]
			if !ok {
				t.Errorf("%s uses ClusterSecretStore %q, which the tree does not define", o, store)
			} else if !slices.Contains(ns, o.namespace()) {
				t.Errorf("%s uses ClusterSecretStore %q, which admits only %v", o, store, ns)
			}
		}
		// The agents' PAT and Flux's Git credentials have stores no other namespace may use.
		for store, only := range map[string]string{"azure-key-vault-ci-agents": "azure-devops-agents", "azure-key-vault-flux": "flux-system"} {
			if got := admits[store]; len(got) != 1 || got[0] != only {
				t.Errorf("%s: store %s admits %v, want only %s", env, store, got, only)
			}
		}
		for store, ns := range admits {
			for _, n := range ns {
				if (n == "flux-system" && store != "azure-key-vault-flux") || (n == "azure-devops-agents" && store != "azure-key-vault-ci-agents") {
					t.Errorf("%s: store %s admits %s", env, store, n)
				}
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
			if o.namespace() != "flux-system" {
				t.Errorf("%s: Flux objects must be in flux-system", o)
			}
			for _, path := range [][]string{
				{"spec", "sourceRef", "namespace"},
				{"spec", "chart", "spec", "sourceRef", "namespace"},
				{"spec", "chartRef", "namespace"},
				{"spec", "imageRepositoryRef", "namespace"},
				{"spec", "kubeConfig"},
				{"spec", "serviceAccountName"},
			} {
				if v := get(o.m, path...); v != nil {
					t.Errorf("%s: %s = %v: cross-namespace references are refused", o, strings.Join(path, "."), v)
				}
			}
			deps, _ := get(o.m, "spec", "dependsOn").([]any)
			for _, d := range deps {
				if ns := get(d, "namespace"); ns != nil {
					t.Errorf("%s: dependsOn %v names a namespace", o, d)
				}
			}
			if tn, ok := get(o.m, "spec", "targetNamespace").(string); ok && !namespaces[tn] {
				t.Errorf("%s: targetNamespace %s is not a Namespace of the tree", o, tn)
			}
		}
		if flux < 10 {
			t.Errorf("%s: only %d Flux objects found: the scan is broken", env, flux)
		}
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
				if s, ok := v.(string); ok && slices.Contains(addOnNamespaces, s) {
					t.Errorf("%s: %s is the literal %q; use the flux layer's variable", o, where, s)
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
		if fb == nil {
			t.Fatalf("%s: no fluent-bit HelmRelease", env)
		}
		outputs, _ := get(fb.m, "spec", "values", "config", "outputs").(string)
		for _, want := range []string{"tls.verify On", "tls.ca_file /fluent-bit/opensearch-ca/ca.crt", "HTTP_User fluent-bit"} {
			if !strings.Contains(outputs, want) {
				t.Errorf("%s: Fluent Bit output lacks %q", env, want)
			}
		}
		if all := JSONish(fb.m); strings.Contains(all, "admin") || strings.Contains(outputs, "tls.verify Off") {
			t.Errorf("%s: Fluent Bit uses admin credentials or skips TLS verification", env)
		}
		tolerated := false
		tols, _ := get(fb.m, "spec", "values", "tolerations").([]any)
		for _, tol := range tols {
			tolerated = tolerated || (get(tol, "key") == "CriticalAddonsOnly" && get(tol, "operator") == "Exists")
		}
		if !tolerated {
			t.Errorf("%s: Fluent Bit does not tolerate the system pool's CriticalAddonsOnly taint", env)
		}
	}
}

// JSONish renders a value for substring checks.
func JSONish(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestServicesLockedDown: every namespace holding a service Deployment enforces the "restricted"
// Pod Security Standard, which its Deployments meet, and denies ingress except from the AGC
// subnet; every service has a PodDisruptionBudget and spreads over zones; the log store's and
// monitoring's namespaces deny ingress by default too.
func TestServicesLockedDown(t *testing.T) {
	for _, env := range envs {
		objs := built(t, env)
		byKind := map[string][]object{}
		for _, o := range objs {
			byKind[o.kind()] = append(byKind[o.kind()], o)
		}
		denies := map[string]bool{}
		agc := map[string]bool{}
		for _, np := range byKind["NetworkPolicy"] {
			types := stringList(get(np.m, "spec", "policyTypes"))
			sel, _ := get(np.m, "spec", "podSelector").(map[string]any)
			if len(sel) == 0 && get(np.m, "spec", "ingress") == nil && slices.Contains(types, "Ingress") {
				denies[np.namespace()] = true
			}
			if strings.Contains(JSONish(get(np.m, "spec", "ingress")), `"cidr":"${AGC_SUBNET_CIDR}"`) {
				agc[np.namespace()] = true
			}
		}
		for _, ns := range []string{"logging", "monitoring"} {
			if !denies[ns] {
				t.Errorf("%s: namespace %s has no default-deny ingress policy", env, ns)
			}
		}
		pdbs := map[string]bool{}
		for _, p := range byKind["PodDisruptionBudget"] {
			pdbs[p.namespace()+"/"+JSONish(get(p.m, "spec", "selector", "matchLabels"))] = true
		}
		labels := map[string]map[string]any{}
		for _, n := range byKind["Namespace"] {
			labels[n.name()], _ = get(n.m, "metadata", "labels").(map[string]any)
		}
		services := 0
		for _, d := range byKind["Deployment"] {
			if d.entry != Services {
				continue
			}
			services++
			ns := d.namespace()
			if labels[ns]["pod-security.kubernetes.io/enforce"] != "restricted" {
				t.Errorf("%s: namespace %s does not enforce the restricted Pod Security Standard", env, ns)
			}
			if !denies[ns] || !agc[ns] {
				t.Errorf("%s: namespace %s: default-deny %v, allow from the AGC subnet %v", env, ns, denies[ns], agc[ns])
			}
			pod := get(d.m, "spec", "template", "spec")
			if get(pod, "securityContext", "runAsNonRoot") != true || get(pod, "securityContext", "seccompProfile", "type") != "RuntimeDefault" {
				t.Errorf("%s: pod security context is not restricted", d)
			}
			for _, c := range get(pod, "containers").([]any) {
				if get(c, "securityContext", "allowPrivilegeEscalation") != false || !slices.Contains(stringList(get(c, "securityContext", "capabilities", "drop")), "ALL") {
					t.Errorf("%s: container %v may escalate or keeps capabilities", d, get(c, "name"))
				}
			}
			if !pdbs[ns+"/"+JSONish(get(d.m, "spec", "selector", "matchLabels"))] {
				t.Errorf("%s has no PodDisruptionBudget", d)
			}
			zone := ""
			spread, _ := get(pod, "topologySpreadConstraints").([]any)
			for _, c := range spread {
				if get(c, "topologyKey") == "topology.kubernetes.io/zone" {
					zone, _ = get(c, "whenUnsatisfiable").(string)
				}
			}
			if want := map[string]string{"dev": "ScheduleAnyway", "prod": "DoNotSchedule"}[env]; zone != want {
				t.Errorf("%s: zone spread %q, want %q", d, zone, want)
			}
		}
		if services != 3 {
			t.Errorf("%s: %d service Deployments, want 3", env, services)
		}
	}
}
