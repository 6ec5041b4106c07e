// Package rollout verifies that a service's rollout through Flux completed and is healthy, and
// says exactly why when it is not: it is the logic of cmd/rollout.
//
// Verify waits until Flux has applied the change that carries the image (see checkFlux), then
// checks the Deployment, its new ReplicaSet and every pod of it, and any migration Job of the
// release; it fails fast on a pod that cannot run, and watches the pods for a soak window after
// the rollout completed. It only reads from the cluster.
package rollout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	appsv1client "k8s.io/client-go/kubernetes/typed/apps/v1"
	batchv1client "k8s.io/client-go/kubernetes/typed/batch/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
)

// Clients are the API clients the verifier uses: typed sub-clients for the core kinds (not the
// whole clientset, which costs far more to compile) and the dynamic client for the Flux kinds.
type Clients struct {
	Core    corev1client.CoreV1Interface
	Apps    appsv1client.AppsV1Interface
	Batch   batchv1client.BatchV1Interface
	Dynamic dynamic.Interface
}

// Options say what to verify and for how long.
type Options struct {
	// Service is the service name: the Deployment, its container and the Helm release
	// (app.kubernetes.io/instance) are named after it. Required.
	Service string
	// Namespace is the service's namespace (the HelmRelease's spec.targetNamespace). Required.
	Namespace string
	// Image is the image the rollout must end up running. Required.
	Image Image
	// HelmReleaseNamespace and HelmReleaseName locate the service's HelmRelease.
	// Default: flux-system and Service.
	HelmReleaseNamespace, HelmReleaseName string
	// Deployment is the Deployment's name. Default: Service.
	Deployment string
	// Container is the name of the Deployment's container that runs the image. Default: Service.
	Container string
	// Timeout bounds the whole verification, soak included. Default 15m.
	Timeout time.Duration
	// Soak is how long the pods must stay healthy, without a restart, after the rollout
	// completed. Default 2m; 0 ends at completion.
	Soak time.Duration
	// ReadyTimeout is how long a new pod may stay not ready (since its creation or since it lost
	// readiness) before the rollout fails. Default 5m.
	ReadyTimeout time.Duration
	// Interval is the time between two observations. Default 5s.
	Interval time.Duration
	// APIGrace is how long the API may fail (network errors, 5xx) before the verifier gives up
	// with "could not tell". Default 1m. Authentication and authorization errors end it at once.
	APIGrace time.Duration
}

// Defaults of Options, also the command's flag defaults.
const (
	DefaultTimeout      = 15 * time.Minute
	DefaultSoak         = 2 * time.Minute
	DefaultReadyTimeout = 5 * time.Minute
	DefaultInterval     = 5 * time.Second
	DefaultAPIGrace     = time.Minute
	// DefaultHelmReleaseNamespace is where the services' HelmReleases live.
	DefaultHelmReleaseNamespace = "flux-system"
)

func (o Options) withDefaults() Options {
	if o.HelmReleaseNamespace == "" {
		o.HelmReleaseNamespace = DefaultHelmReleaseNamespace
	}
	if o.HelmReleaseName == "" {
		o.HelmReleaseName = o.Service
	}
	if o.Deployment == "" {
		o.Deployment = o.Service
	}
	if o.Container == "" {
		o.Container = o.Service
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = DefaultReadyTimeout
	}
	if o.Interval == 0 {
		o.Interval = DefaultInterval
	}
	if o.APIGrace == 0 {
		o.APIGrace = DefaultAPIGrace
	}
	return o
}

// Clock is the verifier's time: the real one in the command, a fake one in tests.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx ends, and returns ctx.Err() in that case.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time { return time.Now() }

func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Outcome is the verdict; its exit code is the command's.
type Outcome int

const (
	// Succeeded: the rollout is complete and stayed healthy through the soak. Exit 0.
	Succeeded Outcome = iota
	// Failed: the rollout failed; Result.Failure says which object and why. Exit 1.
	Failed
	// Unknown: the verifier could not tell (API unreachable or refused, timeout, Flux did not
	// apply the change in time, interrupted). Exit 2.
	Unknown
)

// ExitCode is the command's exit status for the outcome.
func (o Outcome) ExitCode() int { return int(o) }

func (o Outcome) String() string {
	switch o {
	case Succeeded:
		return "succeeded"
	case Failed:
		return "failed"
	default:
		return "unknown"
	}
}

// Result is what Verify found.
type Result struct {
	Outcome Outcome
	// Summary is one line for the pipeline log.
	Summary string
	// Failure is set when Outcome is Failed.
	Failure *Failure
	// Elapsed is how long the verification took.
	Elapsed time.Duration
	// Last is the last successful observation of the cluster (nil if there was none); the
	// diagnostics are written from it.
	Last *Observation
	// Log holds the progress lines Verify printed, for the diagnostics.
	Log []string
}

// Observation is one read of everything the verifier looks at. Missing objects are nil.
type Observation struct {
	At          time.Time
	Flux        fluxObjects
	Deployment  *appsv1.Deployment
	ReplicaSets []appsv1.ReplicaSet
	// Pods are the pods matching the Deployment's selector.
	Pods []corev1.Pod
	// Jobs are the Jobs labelled app.kubernetes.io/instance=<service>, and JobPods their pods.
	Jobs    []batchv1.Job
	JobPods []corev1.Pod
}

// InstanceLabel is the Helm recommended label the microservice chart puts on every object of a
// release, the migration Job included.
const InstanceLabel = "app.kubernetes.io/instance"

// errFatalAPI marks API errors that retrying cannot fix.
var errFatalAPI = errors.New("the API refused the request")

// classify wraps errors that retrying will not fix (authentication, authorization, bad request).
func classify(what string, err error) error {
	if apierrors.IsUnauthorized(err) || apierrors.IsForbidden(err) || apierrors.IsBadRequest(err) || apierrors.IsInvalid(err) {
		return fmt.Errorf("%w: %s: %v", errFatalAPI, what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// observe reads the cluster once. A missing object is not an error.
func (v *verifier) observe(ctx context.Context) (*Observation, error) {
	o := v.opts
	obs := &Observation{At: v.clock.Now()}
	get := func(gvr schema.GroupVersionResource, ns, name string) (*unstructured.Unstructured, error) {
		u, err := v.c.Dynamic.Resource(gvr).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, classify(fmt.Sprintf("get %s %s/%s", gvr.Resource, ns, name), err)
		}
		return u, nil
	}
	var err error
	if obs.Flux.HelmRelease, err = get(HelmReleaseGVR, o.HelmReleaseNamespace, o.HelmReleaseName); err != nil {
		return nil, err
	}
	if hr := obs.Flux.HelmRelease; hr != nil {
		if err := v.observeFluxSources(ctx, obs, get); err != nil {
			return nil, err
		}
	}

	d, err := v.c.Apps.Deployments(o.Namespace).Get(ctx, o.Deployment, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		return nil, classify("get deployment "+o.Namespace+"/"+o.Deployment, err)
	default:
		obs.Deployment = d
		sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
		if err != nil {
			return nil, fmt.Errorf("%w: deployment %s/%s has an invalid selector: %v", errFatalAPI, d.Namespace, d.Name, err)
		}
		rss, err := v.c.Apps.ReplicaSets(o.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
		if err != nil {
			return nil, classify("list replicasets in "+o.Namespace, err)
		}
		obs.ReplicaSets = rss.Items
		pods, err := v.c.Core.Pods(o.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
		if err != nil {
			return nil, classify("list pods in "+o.Namespace, err)
		}
		obs.Pods = pods.Items
	}

	instance := labels.Set{InstanceLabel: o.Service}.String()
	jobs, err := v.c.Batch.Jobs(o.Namespace).List(ctx, metav1.ListOptions{LabelSelector: instance})
	if err != nil {
		return nil, classify("list jobs in "+o.Namespace, err)
	}
	for _, j := range jobs.Items {
		if !jobForImage(&j, o.Image) {
			continue
		}
		obs.Jobs = append(obs.Jobs, j)
		pods, err := v.c.Core.Pods(o.Namespace).List(ctx, metav1.ListOptions{LabelSelector: labels.Set{batchv1.JobNameLabel: j.Name}.String()})
		if err != nil {
			return nil, classify("list pods of job "+j.Name, err)
		}
		obs.JobPods = append(obs.JobPods, pods.Items...)
	}
	return obs, nil
}

// observeFluxSources reads the HelmRelease's HelmChart, the chart's GitRepository and the
// Kustomization that applies the HelmRelease, when they can be located.
func (v *verifier) observeFluxSources(ctx context.Context, obs *Observation, get func(schema.GroupVersionResource, string, string) (*unstructured.Unstructured, error)) error {
	hr, err := decodeHelmRelease(obs.Flux.HelmRelease)
	if err != nil {
		return nil // checkFlux reports it
	}
	if ns, name, ok := strings.Cut(hr.Status.HelmChart, "/"); ok {
		if obs.Flux.HelmChart, err = get(HelmChartGVR, ns, name); err != nil {
			return err
		}
	}
	if c := hr.Spec.Chart; c != nil && c.Spec.SourceRef.Kind == "GitRepository" && c.Spec.SourceRef.Name != "" {
		ns := c.Spec.SourceRef.Namespace
		if ns == "" {
			ns = hr.Namespace
		}
		if obs.Flux.GitRepository, err = get(GitRepositoryGVR, ns, c.Spec.SourceRef.Name); err != nil {
			return err
		}
	}
	if name := hr.Labels[kustomizationNameLabel]; name != "" {
		ns := hr.Labels[kustomizationNamespaceLabel]
		if ns == "" {
			ns = hr.Namespace
		}
		if obs.Flux.Kustomization, err = get(KustomizationGVR, ns, name); err != nil {
			return err
		}
	}
	return nil
}

// state is the verdict on one observation.
type state int

const (
	waiting state = iota
	complete
	failed
	cannotTell
)

type verdict struct {
	state   state
	msg     string // what is missing (waiting), what was found (complete) or why (cannotTell)
	failure *Failure
}

type verifier struct {
	c     *Clients
	opts  Options
	clock Clock
	out   io.Writer
	start time.Time
	log   []string
	last  string
	// baseline holds the restart counts of the new pods when the rollout first completed.
	baseline map[string]int32
}

// Verify watches the rollout of opts.Image until it succeeds, fails, or the verifier cannot tell,
// writing progress lines to out. It never runs past opts.Timeout (plus one API call).
func Verify(ctx context.Context, c *Clients, opts Options, clock Clock, out io.Writer) *Result {
	if clock == nil {
		clock = RealClock{}
	}
	if out == nil {
		out = io.Discard
	}
	v := &verifier{c: c, opts: opts.withDefaults(), clock: clock, out: out}
	return v.run(ctx)
}

func (v *verifier) progress(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if msg == v.last {
		return
	}
	v.last = msg
	line := fmt.Sprintf("[%s] %s", v.clock.Now().Sub(v.start).Round(time.Second), msg)
	v.log = append(v.log, line)
	fmt.Fprintln(v.out, line)
}

func (v *verifier) run(ctx context.Context) *Result {
	o := v.opts
	v.start = v.clock.Now()
	deadline := v.start.Add(o.Timeout)
	v.progress("verifying %s in namespace %s: image %s (HelmRelease %s/%s, timeout %s, soak %s)",
		o.Service, o.Namespace, o.Image.Ref, o.HelmReleaseNamespace, o.HelmReleaseName, o.Timeout, o.Soak)
	var (
		last       *Observation
		apiErrFrom time.Time
		soakFrom   time.Time
		pending    = "nothing observed yet"
	)
	result := func(outcome Outcome, summary string, f *Failure) *Result {
		v.progress("%s", summary)
		return &Result{Outcome: outcome, Summary: summary, Failure: f, Elapsed: v.clock.Now().Sub(v.start), Last: last, Log: v.log}
	}
	for {
		now := v.clock.Now()
		obs, err := v.observe(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return result(Unknown, "could not tell: interrupted ("+ctx.Err().Error()+") while "+pending, nil)
		case errors.Is(err, errFatalAPI):
			return result(Unknown, "could not tell: "+err.Error(), nil)
		case err != nil:
			if apiErrFrom.IsZero() {
				apiErrFrom = now
			}
			if now.Sub(apiErrFrom) >= o.APIGrace {
				return result(Unknown, fmt.Sprintf("could not tell: the Kubernetes API failed for %s: %v", now.Sub(apiErrFrom).Round(time.Second), err), nil)
			}
			v.progress("API error, retrying for up to %s: %v", o.APIGrace, err)
		default:
			apiErrFrom = time.Time{}
			last = obs
			vd := v.evaluate(obs, now)
			switch vd.state {
			case failed:
				v.enrich(ctx, vd.failure)
				return result(Failed, "rollout FAILED: "+vd.failure.String(), vd.failure)
			case cannotTell:
				return result(Unknown, "could not tell: "+vd.msg, nil)
			case complete:
				if v.baseline == nil {
					v.baseline = restartCounts(v.newPods(obs))
				}
				if soakFrom.IsZero() {
					soakFrom = now
					if o.Soak > 0 {
						v.progress("rollout complete: %s; watching the pods for %s", vd.msg, o.Soak)
					}
				}
				if now.Sub(soakFrom) >= o.Soak {
					return result(Succeeded, fmt.Sprintf("rollout verified: %s; healthy for %s after completion", vd.msg, o.Soak), nil)
				}
				pending = fmt.Sprintf("soaking (%s of %s)", now.Sub(soakFrom).Round(time.Second), o.Soak)
			case waiting:
				if !soakFrom.IsZero() {
					v.progress("no longer complete, soak restarts when it is: %s", vd.msg)
				}
				soakFrom = time.Time{}
				pending = vd.msg
				v.progress("waiting: %s", vd.msg)
			}
		}
		if err != nil {
			pending = "API error: " + err.Error()
		}
		now = v.clock.Now()
		if !now.Before(deadline) {
			return result(Unknown, fmt.Sprintf("could not tell: timed out after %s (-timeout %s) while %s", now.Sub(v.start).Round(time.Second), o.Timeout, pending), nil)
		}
		wait := o.Interval
		if left := deadline.Sub(now); left < wait {
			wait = left
		}
		if err := v.clock.Sleep(ctx, wait); err != nil {
			return result(Unknown, "could not tell: interrupted ("+err.Error()+") while "+pending, nil)
		}
	}
}

// newPods returns the pods of the Deployment's new ReplicaSet, if it carries the image.
func (v *verifier) newPods(obs *Observation) []corev1.Pod {
	if obs.Deployment == nil {
		return nil
	}
	rs := newReplicaSet(obs.Deployment, obs.ReplicaSets)
	if rs == nil {
		return nil
	}
	if image, _ := templateImage(&rs.Spec.Template.Spec, v.opts.Container); image != v.opts.Image.Ref {
		return nil
	}
	return podsOf(rs, obs.Pods)
}

// evaluate decides on one observation. Failures of the pods and Jobs that run the new image come
// first, whatever Flux says yet: helm-controller waits for the Deployment before it reports
// anything, and the pods know why sooner and better.
func (v *verifier) evaluate(obs *Observation, now time.Time) verdict {
	o := v.opts
	for i := range obs.Jobs {
		if f := jobFailure(&obs.Jobs[i], obs.JobPods); f != nil {
			return verdict{state: failed, failure: f}
		}
	}
	flux := checkFlux(obs.Flux, o.Image, o.Namespace)
	if flux.Mismatch != "" {
		return verdict{state: cannotTell, msg: flux.Mismatch}
	}
	d := obs.Deployment
	if d == nil {
		if flux.Failure != nil {
			return verdict{state: failed, failure: flux.Failure}
		}
		return verdict{state: waiting, msg: joinNonEmpty(flux.Waiting, fmt.Sprintf("Deployment %s/%s not found", o.Namespace, o.Deployment))}
	}
	image, hasContainer := templateImage(&d.Spec.Template.Spec, o.Container)
	if image != o.Image.Ref {
		if flux.Failure != nil {
			return verdict{state: failed, failure: flux.Failure}
		}
		if flux.Applied && flux.TagInSpec {
			// The tag reached helm-controller and it released it, yet the Deployment does not run the
			// image: the registry, repository or digest rendered differ from -image.
			msg := fmt.Sprintf("Flux released the tag, but the Deployment's container %s has image %q, want %q", o.Container, image, o.Image.Ref)
			if !hasContainer {
				msg = fmt.Sprintf("Flux released the tag, but the Deployment has no container %s (containers: %s)", o.Container, strings.Join(containerNames(&d.Spec.Template.Spec), ", "))
			}
			return verdict{state: failed, failure: &Failure{Kind: "Deployment", Namespace: d.Namespace, Name: d.Name, Container: o.Container, Reason: "ImageMismatch", Message: msg}}
		}
		return verdict{state: waiting, msg: joinNonEmpty(flux.Waiting, fmt.Sprintf("Deployment %s/%s still has image %q", d.Namespace, d.Name, image))}
	}

	pods := v.newPods(obs)
	for i := range pods {
		if f := podFailure(&pods[i], now, o.ReadyTimeout); f != nil {
			return verdict{state: failed, failure: f}
		}
	}
	if v.baseline != nil {
		if f := restartFailure(pods, v.baseline, o.Soak); f != nil {
			return verdict{state: failed, failure: f}
		}
	}
	if f := deploymentFailure(d, pods); f != nil {
		return verdict{state: failed, failure: f}
	}
	if flux.Failure != nil {
		f := flux.Failure
		for _, p := range pods {
			if ok, _ := podReady(&p); !ok {
				f.Pods = append(f.Pods, p.Name)
				f.Message += fmt.Sprintf("; pod %s: %s", p.Name, podState(&p))
			}
		}
		return verdict{state: failed, failure: f}
	}

	done, missing := deploymentProgress(d)
	if !done {
		return verdict{state: waiting, msg: joinNonEmpty(fmt.Sprintf("Deployment %s/%s: %s", d.Namespace, d.Name, missing), flux.Waiting)}
	}
	rs := newReplicaSet(d, obs.ReplicaSets)
	if rs == nil || len(pods) == 0 {
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		if want > 0 {
			return verdict{state: waiting, msg: fmt.Sprintf("Deployment %s/%s: no pods of a ReplicaSet with image %s yet", d.Namespace, d.Name, o.Image.Ref)}
		}
	}
	var digests []string
	for i := range pods {
		p := &pods[i]
		if f := podImageProblem(p, o.Container, o.Image); f != nil {
			return verdict{state: failed, failure: f}
		}
		if ok, _ := podReady(p); !ok {
			return verdict{state: waiting, msg: fmt.Sprintf("pod %s not ready yet: %s", p.Name, podState(p))}
		}
		for _, cs := range p.Status.ContainerStatuses {
			if cs.Name == o.Container {
				digests = append(digests, digestOf(cs.ImageID))
			}
		}
	}
	if !flux.Applied {
		return verdict{state: waiting, msg: flux.Waiting}
	}
	msg := fmt.Sprintf("Deployment %s/%s runs %s on %d ready pods", d.Namespace, d.Name, o.Image.Ref, len(pods))
	if rs != nil {
		msg += fmt.Sprintf(" (ReplicaSet %s, revision %d)", rs.Name, revisionOf(rs.Annotations))
	}
	if u := uniqueNonEmpty(digests); len(u) == 1 {
		msg += ", digest " + u[0]
	} else if len(u) > 1 {
		// Tags are immutable by convention; different digests mean the tag was pushed again
		// during the rollout. Not a failure of the rollout itself, but worth a line.
		msg += ", WARNING: the pods run different digests of the tag: " + strings.Join(u, ", ")
	}
	if !flux.TagInSpec {
		msg += " (the tag is not in the HelmRelease's spec.values: the Deployment's image is the proof it was applied)"
	}
	return verdict{state: complete, msg: msg}
}

func uniqueNonEmpty(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// enrich adds the latest warning event of a failing pod (e.g. "Readiness probe failed: HTTP probe
// failed with statuscode: 503") to its message; best effort.
func (v *verifier) enrich(ctx context.Context, f *Failure) {
	if f == nil || f.Kind != "Pod" {
		return
	}
	list, err := v.c.Core.Events(f.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return
	}
	var latest *corev1.Event
	for i := range list.Items {
		e := &list.Items[i]
		if e.InvolvedObject.Kind != "Pod" || e.InvolvedObject.Name != f.Name || e.Type != corev1.EventTypeWarning {
			continue
		}
		if latest == nil || eventTime(e).After(eventTime(latest)) {
			latest = e
		}
	}
	if latest != nil {
		f.Message += fmt.Sprintf("; last warning event: %s: %s", latest.Reason, oneLine(latest.Message, 400))
	}
}

func eventTime(e *corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time
	default:
		return e.FirstTimestamp.Time
	}
}
