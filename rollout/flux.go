package rollout

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// The Flux kinds the verifier reads, at the API versions of Flux v2.6 (helm-controller v1.3,
// source-controller v1.6, kustomize-controller v1.6), as shipped by the AKS extension
// microsoft.flux 1.19.
var (
	HelmReleaseGVR   = schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}
	HelmChartGVR     = schema.GroupVersionResource{Group: "source.toolkit.fluxcd.io", Version: "v1", Resource: "helmcharts"}
	GitRepositoryGVR = schema.GroupVersionResource{Group: "source.toolkit.fluxcd.io", Version: "v1", Resource: "gitrepositories"}
	KustomizationGVR = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
)

// FluxListKinds maps the Flux resources to their list kinds (what client-go's dynamic fake needs).
var FluxListKinds = map[schema.GroupVersionResource]string{
	HelmReleaseGVR:   "HelmReleaseList",
	HelmChartGVR:     "HelmChartList",
	GitRepositoryGVR: "GitRepositoryList",
	KustomizationGVR: "KustomizationList",
}

// Labels kustomize-controller puts on every object it applies: which Kustomization owns it.
const (
	kustomizationNameLabel      = "kustomize.toolkit.fluxcd.io/name"
	kustomizationNamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace"
)

// Reasons of helm-controller's Ready condition (api/v2/condition_types.go at v1.3.0) that end
// a release attempt for the current generation.
var releaseFailureReasons = map[string]bool{
	"InstallFailed":      true,
	"UpgradeFailed":      true,
	"TestFailed":         true,
	"RollbackSucceeded":  true, // remediation put the previous release back: this one failed
	"RollbackFailed":     true,
	"UninstallSucceeded": true, // remediation by uninstall
	"UninstallFailed":    true,
}

// helmRelease is the part of a HelmRelease (helm.toolkit.fluxcd.io/v2, fields as in
// helm-controller's api/v2/helmrelease_types.go and snapshot_types.go at v1.3.0) the verifier reads.
type helmRelease struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              struct {
		Suspend         bool   `json:"suspend,omitempty"`
		TargetNamespace string `json:"targetNamespace,omitempty"`
		Chart           *struct {
			Spec struct {
				Chart             string    `json:"chart"`
				ReconcileStrategy string    `json:"reconcileStrategy,omitempty"`
				SourceRef         sourceRef `json:"sourceRef"`
			} `json:"spec"`
		} `json:"chart,omitempty"`
		ChartRef *sourceRef     `json:"chartRef,omitempty"`
		Values   map[string]any `json:"values,omitempty"`
	} `json:"spec"`
	Status struct {
		ObservedGeneration        int64              `json:"observedGeneration,omitempty"`
		LastAttemptedGeneration   int64              `json:"lastAttemptedGeneration,omitempty"`
		Conditions                []metav1.Condition `json:"conditions,omitempty"`
		HelmChart                 string             `json:"helmChart,omitempty"`
		History                   []helmSnapshot     `json:"history,omitempty"`
		LastAttemptedRevision     string             `json:"lastAttemptedRevision,omitempty"`
		LastAttemptedConfigDigest string             `json:"lastAttemptedConfigDigest,omitempty"`
		LastHandledReconcileAt    string             `json:"lastHandledReconcileAt,omitempty"`
		Failures                  int64              `json:"failures,omitempty"`
	} `json:"status"`
}

type sourceRef struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// helmSnapshot is one entry of status.history: a Helm release the controller made.
type helmSnapshot struct {
	Name         string `json:"name"`
	Namespace    string `json:"namespace"`
	Version      int    `json:"version"`
	Status       string `json:"status"`
	ChartName    string `json:"chartName"`
	ChartVersion string `json:"chartVersion"`
	ConfigDigest string `json:"configDigest"`
}

// sourceStatus is the part of a GitRepository, HelmChart or Kustomization status the verifier reads.
type sourceStatus struct {
	ObservedGeneration int64              `json:"observedGeneration,omitempty"`
	Conditions         []metav1.Condition `json:"conditions,omitempty"`
	Artifact           *struct {
		Revision string `json:"revision"`
	} `json:"artifact,omitempty"`
	LastAppliedRevision   string `json:"lastAppliedRevision,omitempty"`
	LastAttemptedRevision string `json:"lastAttemptedRevision,omitempty"`
}

func decodeHelmRelease(u *unstructured.Unstructured) (*helmRelease, error) {
	hr := &helmRelease{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, hr); err != nil {
		return nil, fmt.Errorf("HelmRelease %s/%s: %w", u.GetNamespace(), u.GetName(), err)
	}
	return hr, nil
}

func decodeSourceStatus(u *unstructured.Unstructured) sourceStatus {
	var s sourceStatus
	if st, ok := u.Object["status"].(map[string]any); ok {
		_ = runtime.DefaultUnstructuredConverter.FromUnstructured(st, &s)
	}
	return s
}

func condition(conds []metav1.Condition, typ string) *metav1.Condition {
	for i := range conds {
		if conds[i].Type == typ {
			return &conds[i]
		}
	}
	return nil
}

func describeCondition(c *metav1.Condition) string {
	if c == nil {
		return "no condition"
	}
	s := fmt.Sprintf("%s=%s", c.Type, c.Status)
	if c.Reason != "" {
		s += " " + c.Reason
	}
	if c.Message != "" {
		s += ": " + c.Message
	}
	return s
}

// latestSnapshot is the history entry with the highest release version (helm-controller keeps
// the list sorted that way, but the verifier does not rely on it).
func latestSnapshot(h []helmSnapshot) *helmSnapshot {
	var latest *helmSnapshot
	for i := range h {
		if latest == nil || h[i].Version > latest.Version {
			latest = &h[i]
		}
	}
	return latest
}

// valuesImage returns spec.values.image.<key> and whether it is set there as a string.
func (hr *helmRelease) valuesImage(key string) (string, bool) {
	img, ok := hr.Spec.Values["image"].(map[string]any)
	if !ok {
		return "", false
	}
	v, ok := img[key].(string)
	return v, ok
}

// fluxView is what the Flux objects say about the rollout.
type fluxView struct {
	// Applied: helm-controller has released the HelmRelease's current generation, from the chart
	// of the source's current revision, and the release is deployed (see checkFlux).
	Applied bool
	// TagInSpec: the HelmRelease's own spec.values carry the expected tag (and digest, if given),
	// so the tag has certainly reached helm-controller once Applied.
	TagInSpec bool
	// Waiting says what has not happened yet, when !Applied and Failure == nil.
	Waiting string
	// Failure is set when the release attempt for the current generation failed for good.
	Failure *Failure
	// Mismatch is set when the HelmRelease cannot be the one of this service and namespace: the
	// verifier cannot tell anything (exit 2) and says which flag to check.
	Mismatch string
}

// fluxObjects are the Flux objects of one observation; any may be nil (not found).
type fluxObjects struct {
	HelmRelease   *unstructured.Unstructured
	HelmChart     *unstructured.Unstructured
	GitRepository *unstructured.Unstructured
	Kustomization *unstructured.Unstructured
}

// checkFlux decides whether Flux has applied the change that carries the image.
//
// "Ready" alone is the trap: right after the Kustomization applies a HelmRelease with the new
// tag, the HelmRelease still reports Ready=True from the previous generation until
// helm-controller picks it up, and while its upgrade runs. The test here, all of which must hold:
//
//  1. The tag is in the desired state: spec.values.image.tag (and .digest, when -image has one)
//     equals the expected one. Otherwise the Kustomization has not applied the Git commit yet.
//     (A tag set through valuesFrom is not visible here; then only the Deployment check below
//     proves the tag, see TagInSpec.)
//  2. helm-controller has finished a release of exactly this spec: metadata.generation equals
//     status.observedGeneration (patched only when a reconciliation ends without requeue) AND
//     the Ready condition's observedGeneration (stamped whenever Ready is set: Unknown/Progressing
//     is already stamped with the new generation while the upgrade runs, which is why Ready=True
//     is also required) AND status.lastAttemptedGeneration.
//  3. That release is the last attempt and it is deployed: the newest status.history snapshot has
//     status "deployed", its configDigest equals status.lastAttemptedConfigDigest (the digest of
//     the values of the last attempt) and its chartVersion equals status.lastAttemptedRevision.
//  4. The chart came from the source's current revision: with a GitRepository source and
//     reconcileStrategy Revision, source-controller versions the chart <version>+<first 12 hex of
//     the commit>, which helm-controller records as chartVersion; that must match the
//     GitRepository's status.artifact.revision. A spec change applied before the chart of the same
//     commit was rebuilt would otherwise pass 1-3 and then be upgraded once more.
//
// The Deployment rendered from that release carrying exactly the image (checked by the caller)
// completes the proof. Failures count only when they are final for this generation: Stalled=True,
// or Ready=False with a release-failure reason while no Reconciling=True announces a retry.
func checkFlux(objs fluxObjects, img Image, targetNamespace string) fluxView {
	u := objs.HelmRelease
	if u == nil {
		return fluxView{Waiting: "HelmRelease not found yet" + kustomizationNote(objs.Kustomization)}
	}
	hr, err := decodeHelmRelease(u)
	if err != nil {
		return fluxView{Waiting: err.Error()}
	}
	id := "HelmRelease " + hr.Namespace + "/" + hr.Name
	gen := hr.Generation
	st := hr.Status
	ready := condition(st.Conditions, "Ready")

	var v fluxView
	if hr.Spec.TargetNamespace != "" && hr.Spec.TargetNamespace != targetNamespace {
		v.Mismatch = fmt.Sprintf("%s releases into namespace %q, not -namespace %q: check -helmrelease and -namespace", id, hr.Spec.TargetNamespace, targetNamespace)
		return v
	}
	tag, hasTag := hr.valuesImage("tag")
	if hasTag && tag != img.Tag {
		v.Waiting = fmt.Sprintf("%s has image.tag %q, not %q yet: Flux has not applied the commit with the new tag%s", id, tag, img.Tag, kustomizationNote(objs.Kustomization))
		return v
	}
	digest, _ := hr.valuesImage("digest")
	if img.Digest != "" && digest != "" && digest != img.Digest {
		v.Waiting = fmt.Sprintf("%s has image.digest %q, not %q yet: Flux has not applied the commit with the new digest%s", id, digest, img.Digest, kustomizationNote(objs.Kustomization))
		return v
	}
	v.TagInSpec = hasTag && (img.Digest == "" || digest == img.Digest)
	for _, f := range []struct{ key, want string }{{"repository", img.Repository}, {"registry", img.Registry}} {
		// image.registry is usually empty (the platform's ACR comes through valuesFrom).
		if got, ok := hr.valuesImage(f.key); ok && got != "" && got != f.want {
			v.Waiting = fmt.Sprintf("%s has image.%s %q, the expected image's is %q", id, f.key, got, f.want)
			v.TagInSpec = false
			return v
		}
	}

	if stalled := condition(st.Conditions, "Stalled"); stalled != nil && stalled.Status == metav1.ConditionTrue && stalled.ObservedGeneration == gen {
		v.Failure = &Failure{Kind: "HelmRelease", Namespace: hr.Namespace, Name: hr.Name, Reason: stalled.Reason,
			Message: fmt.Sprintf("Flux gave up on generation %d: %s; %s", gen, stalled.Message, describeCondition(ready))}
		return v
	}
	reconciling := condition(st.Conditions, "Reconciling")
	retrying := reconciling != nil && reconciling.Status == metav1.ConditionTrue
	if ready != nil && ready.ObservedGeneration == gen && ready.Status == metav1.ConditionFalse && releaseFailureReasons[ready.Reason] && !retrying {
		v.Failure = &Failure{Kind: "HelmRelease", Namespace: hr.Namespace, Name: hr.Name, Reason: ready.Reason,
			Message: fmt.Sprintf("the Helm release of generation %d failed: %s", gen, ready.Message)}
		return v
	}

	suspended := ""
	if hr.Spec.Suspend {
		suspended = " (the HelmRelease is suspended: Flux will not apply it until it is resumed)"
	}
	switch {
	case st.ObservedGeneration != gen || st.LastAttemptedGeneration != gen || ready == nil || ready.ObservedGeneration != gen:
		readyGen := "none"
		if ready != nil {
			readyGen = fmt.Sprint(ready.ObservedGeneration)
		}
		v.Waiting = fmt.Sprintf("%s: helm-controller has not finished generation %d (status.observedGeneration %d, lastAttemptedGeneration %d, Ready condition of generation %s: %s)%s",
			id, gen, st.ObservedGeneration, st.LastAttemptedGeneration, readyGen, describeCondition(ready), suspended)
		return v
	case ready.Status != metav1.ConditionTrue:
		v.Waiting = fmt.Sprintf("%s generation %d: %s%s", id, gen, describeCondition(ready), suspended)
		return v
	}
	latest := latestSnapshot(st.History)
	switch {
	case latest == nil:
		v.Waiting = id + ": no Helm release in status.history yet"
		return v
	case latest.Status != "deployed":
		v.Waiting = fmt.Sprintf("%s: the newest Helm release (v%d) is %q, not deployed", id, latest.Version, latest.Status)
		return v
	case latest.ConfigDigest != st.LastAttemptedConfigDigest:
		v.Waiting = fmt.Sprintf("%s: the newest Helm release (v%d) has values %s, the last attempt %s", id, latest.Version, latest.ConfigDigest, st.LastAttemptedConfigDigest)
		return v
	case latest.ChartVersion != st.LastAttemptedRevision:
		v.Waiting = fmt.Sprintf("%s: the newest Helm release (v%d) has chart %s, the last attempt %s", id, latest.Version, latest.ChartVersion, st.LastAttemptedRevision)
		return v
	}
	if msg := checkChartSource(hr, latest, objs.GitRepository); msg != "" {
		v.Waiting = id + ": " + msg
		return v
	}
	v.Applied = true
	return v
}

// checkChartSource compares the revision the release's chart was built from with the
// GitRepository's current artifact, when the chart comes from a GitRepository with
// reconcileStrategy Revision (the only case where the chart version carries the commit).
func checkChartSource(hr *helmRelease, latest *helmSnapshot, git *unstructured.Unstructured) string {
	c := hr.Spec.Chart
	if c == nil || c.Spec.SourceRef.Kind != "GitRepository" || c.Spec.ReconcileStrategy != "Revision" {
		return ""
	}
	if git == nil {
		return fmt.Sprintf("GitRepository %s not found", c.Spec.SourceRef.Name)
	}
	gs := decodeSourceStatus(git)
	if gs.Artifact == nil || gs.Artifact.Revision == "" {
		return fmt.Sprintf("GitRepository %s/%s has no artifact yet", git.GetNamespace(), git.GetName())
	}
	commit := gitHash(gs.Artifact.Revision)
	built := chartRevisionMetadata(latest.ChartVersion)
	if built == "" || !strings.HasPrefix(commit, built) {
		return fmt.Sprintf("the release's chart %s was not built from the GitRepository's current revision %s: waiting for the chart of that commit", latest.ChartVersion, gs.Artifact.Revision)
	}
	return ""
}

// gitHash returns the commit of a source-controller Git revision ("main@sha1:<hex>",
// "sha1:<hex>", the older "main/<hex>", or a bare hash).
func gitHash(rev string) string {
	if i := strings.LastIndex(rev, ":"); i >= 0 {
		return rev[i+1:]
	}
	if i := strings.LastIndex(rev, "/"); i >= 0 {
		return rev[i+1:]
	}
	return rev
}

// chartRevisionMetadata returns the source revision source-controller put in a chart version's
// build metadata ("0.1.0+4e5cbb7b97d0" -> "4e5cbb7b97d0"; with values files it appends
// ".<generation>", which is dropped).
func chartRevisionMetadata(version string) string {
	i := strings.Index(version, "+")
	if i < 0 {
		return ""
	}
	meta := version[i+1:]
	if j := strings.Index(meta, "."); j >= 0 {
		meta = meta[:j]
	}
	return meta
}

// kustomizationNote describes the Kustomization that applies the HelmRelease, for messages that
// wait for it.
func kustomizationNote(ks *unstructured.Unstructured) string {
	if ks == nil {
		return ""
	}
	s := decodeSourceStatus(ks)
	note := fmt.Sprintf(" (Kustomization %s/%s: %s", ks.GetNamespace(), ks.GetName(), describeCondition(condition(s.Conditions, "Ready")))
	if s.LastAppliedRevision != "" {
		note += "; last applied revision " + s.LastAppliedRevision
	}
	return note + ")"
}
