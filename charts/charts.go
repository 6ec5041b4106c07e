// Package charts renders and lints the platform's Helm charts as the cluster would receive them,
// with the Helm library and without a cluster: the render and lint helpers that the chart tests,
// the values-schema checks and the Flux delivery tests share. It must not import the Azure SDK
// (every test binary that does pays a ~10 s link).
package charts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/releaseutil"
	"sigs.k8s.io/yaml"
)

// Microservice is the name of the chart every service is deployed with (charts/microservice).
const Microservice = "microservice"

// Dir is the directory of the chart with the given name, beside this file: tests find it wherever
// they run from.
func Dir(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), name)
}

// CustomAPIVersions are the API versions of the custom resources the platform's charts use, as
// the cluster serves them: each group/version and each group/version/Kind (the two forms Helm's
// discovery puts into .Capabilities.APIVersions).
//   - external-secrets.io/v1: External Secrets Operator (chart 2.9.0 serves only v1).
//   - secrets-store.csi.x-k8s.io/v1: the AKS Key Vault secrets provider add-on.
//   - gateway.networking.k8s.io/v1: Gateway API, installed by the ALB controller chart.
//   - monitoring.coreos.com/v1: prometheus-operator-crds (kube-prometheus-stack).
//   - azmonitoring.coreos.com/v1: Azure managed Prometheus (ama-metrics).
var CustomAPIVersions = []string{
	"external-secrets.io/v1", "external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/ClusterSecretStore", "external-secrets.io/v1/SecretStore",
	"secrets-store.csi.x-k8s.io/v1", "secrets-store.csi.x-k8s.io/v1/SecretProviderClass",
	"gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1/Gateway", "gateway.networking.k8s.io/v1/HTTPRoute",
	"monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor", "monitoring.coreos.com/v1/PrometheusRule",
	"azmonitoring.coreos.com/v1", "azmonitoring.coreos.com/v1/ServiceMonitor", "azmonitoring.coreos.com/v1/PodMonitor",
}

// Capabilities are what a client-only install with `--kube-version <kubeVersion>` and
// `--api-versions` for CustomAPIVersions gives the templates: Helm's built-in API versions plus
// the custom ones. kubeVersion is the cluster's, e.g. "1.36" (platform:aks.kubernetesVersion).
func Capabilities(kubeVersion string) (*chartutil.Capabilities, error) {
	kv, err := chartutil.ParseKubeVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("charts: Kubernetes version %q: %w", kubeVersion, err)
	}
	caps := chartutil.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	caps.APIVersions = append(slices.Clone(caps.APIVersions), CustomAPIVersions...)
	return caps, nil
}

// Release is what Flux's helm-controller hands Helm besides the values.
type Release struct {
	// Name is the release name (the service name). Required.
	Name string
	// Namespace is the target namespace. Required.
	Namespace string
}

// Rendered is a rendered release: its manifests in Helm's install order, and its hooks.
type Rendered struct {
	Manifests []releaseutil.Manifest
	Hooks     []*release.Hook
	// Objects are the manifests decoded, in the same order.
	Objects []Object
}

// Load loads a chart directory as Helm does (honouring .helmignore).
func Load(dir string) (*chart.Chart, error) {
	ch, err := loader.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("charts: load %s: %w", dir, err)
	}
	return ch, nil
}

// Render renders a release of the chart client-only, as `helm install --dry-run=client` would.
//
// It goes through the library's own steps rather than pkg/action: pkg/action pulls in kubectl
// and cli-runtime, about 45 s more compile time per cold build, which the CI budget does not
// have. The steps are the ones action.Install takes: the chart's kubeVersion constraint, the
// dependency conditions, chartutil.ToRenderValues (which coalesces the chart's defaults and
// validates values.schema.json), engine.Render, then releaseutil.SortManifests to separate hooks
// and order the manifests by kind.
func Render(ch *chart.Chart, rel Release, values map[string]any, caps *chartutil.Capabilities) (*Rendered, error) {
	if rel.Name == "" || rel.Namespace == "" {
		return nil, errors.New("charts: Release.Name and Release.Namespace are required")
	}
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return nil, fmt.Errorf("charts: chart %s requires kubeVersion %s, which is incompatible with Kubernetes %s", ch.Name(), ch.Metadata.KubeVersion, caps.KubeVersion)
	}
	if values == nil {
		values = map[string]any{}
	}
	if err := chartutil.ProcessDependenciesWithMerge(ch, values); err != nil {
		return nil, fmt.Errorf("charts: dependencies of %s: %w", ch.Name(), err)
	}
	opts := chartutil.ReleaseOptions{Name: rel.Name, Namespace: rel.Namespace, Revision: 1, IsInstall: true}
	vals, err := chartutil.ToRenderValues(ch, values, opts, caps)
	if err != nil {
		return nil, fmt.Errorf("charts: release %s: %w", rel.Name, err)
	}
	files, err := engine.Render(ch, vals)
	if err != nil {
		return nil, fmt.Errorf("charts: release %s: %w", rel.Name, err)
	}
	for name := range files {
		if strings.HasSuffix(name, "NOTES.txt") {
			delete(files, name)
		}
	}
	hooks, manifests, err := releaseutil.SortManifests(files, caps.APIVersions, releaseutil.InstallOrder)
	if err != nil {
		return nil, fmt.Errorf("charts: release %s: %w", rel.Name, err)
	}
	out := &Rendered{Manifests: manifests, Hooks: hooks}
	for _, m := range manifests {
		var obj Object
		if err := yaml.Unmarshal([]byte(m.Content), &obj); err != nil {
			return nil, fmt.Errorf("charts: release %s: %s is not YAML: %w", rel.Name, m.Name, err)
		}
		out.Objects = append(out.Objects, obj)
	}
	return out, nil
}

// Find returns the one object of the kind and name; nil when there is none.
func (r *Rendered) Find(kind, name string) Object {
	for _, o := range r.Objects {
		if o.Kind() == kind && o.Name() == name {
			return o
		}
	}
	return nil
}

// Kinds lists the kinds of the objects in install order.
func (r *Rendered) Kinds() []string {
	var kinds []string
	for _, o := range r.Objects {
		kinds = append(kinds, o.Kind())
	}
	return kinds
}

// Decode decodes the manifest of the object of the kind and name strictly into a typed object
// (a k8s.io/api struct): an unknown or duplicate field is an error, as the API server's strict
// field validation would make it.
func (r *Rendered) Decode(kind, name string, into any) error {
	for i, o := range r.Objects {
		if o.Kind() == kind && o.Name() == name {
			if err := yaml.UnmarshalStrict([]byte(r.Manifests[i].Content), into); err != nil {
				return fmt.Errorf("charts: %s %s: %w", kind, name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("charts: no %s %s rendered (have %v)", kind, name, r.Kinds())
}

// Object is one decoded manifest.
type Object map[string]any

// Kind is the object's kind.
func (o Object) Kind() string { s, _ := o["kind"].(string); return s }

// APIVersion is the object's apiVersion.
func (o Object) APIVersion() string { s, _ := o["apiVersion"].(string); return s }

// Name is the object's metadata.name.
func (o Object) Name() string { s, _ := o.Get("metadata", "name").(string); return s }

// Namespace is the object's metadata.namespace.
func (o Object) Namespace() string { s, _ := o.Get("metadata", "namespace").(string); return s }

// Get walks nested maps (and list indexes given as ints); nil when a step is missing.
func (o Object) Get(path ...any) any {
	var cur any = map[string]any(o)
	for _, step := range path {
		switch k := step.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[k]
		case int:
			l, ok := cur.([]any)
			if !ok || k < 0 || k >= len(l) {
				return nil
			}
			cur = l[k]
		default:
			return nil
		}
	}
	return cur
}

// ReadValues reads values files and merges them in order, later files winning, as `helm -f a -f
// b` does: maps merge key by key, anything else is replaced.
func ReadValues(files ...string) (map[string]any, error) {
	out := map[string]any{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("charts: %w", err)
		}
		v, err := chartutil.ReadValues(data)
		if err != nil {
			return nil, fmt.Errorf("charts: values %s: %w", f, err)
		}
		out = MergeValues(out, v)
	}
	return out, nil
}

// MergeValues merges override into base (neither is modified): maps merge key by key, anything
// else in override replaces base's value. Flux merges a HelmRelease's valuesFrom and values the
// same way.
func MergeValues(base, override map[string]any) map[string]any {
	out := make(map[string]any, len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range override {
		if bm, ok := out[k].(map[string]any); ok {
			if om, ok := v.(map[string]any); ok {
				out[k] = MergeValues(bm, om)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// Lint runs Helm's chart linter (Chart.yaml, values and values.schema.json, the templates rendered
// with the values, the dependencies) for the cluster's Kubernetes version, and returns every
// message of error severity as one error. Lint renders in lint mode, where `fail` and `required`
// do not stop the render: the chart's cross-field rules are checked by Render.
func Lint(dir string, values map[string]any, namespace, kubeVersion string) ([]support.Message, error) {
	kv, err := chartutil.ParseKubeVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("charts: Kubernetes version %q: %w", kubeVersion, err)
	}
	linter := lint.AllWithKubeVersion(dir, values, namespace, kv)
	var errs []error
	for _, m := range linter.Messages {
		if m.Severity >= support.ErrorSev {
			errs = append(errs, m.Err)
		}
	}
	if len(errs) > 0 {
		return linter.Messages, fmt.Errorf("charts: lint %s: %w", filepath.Base(dir), errors.Join(errs...))
	}
	return linter.Messages, nil
}
