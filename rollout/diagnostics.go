package rollout

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// Limits of what the diagnostics collect, so that a crash-looping service cannot fill the agent.
const (
	maxDiagnosticPods = 10
	logTailLines      = 1000
	logLimitBytes     = 1 << 20
)

// DiagnosticsFiles lists the files WriteDiagnostics may write, relative to the directory (pods/ and
// flux/ hold one file per object). The layout is documented in docs/delivery.md.
var DiagnosticsFiles = []string{
	"summary.txt", "result.json", "events.txt", "deployment.txt", "replicasets.txt", "jobs.txt",
	"pods/<pod>.txt", "pods/<pod>/<container>.log", "pods/<pod>/<container>.previous.log",
	"flux/helmrelease.yaml", "flux/helmchart.yaml", "flux/gitrepository.yaml", "flux/kustomization.yaml",
	"flux/events.txt", "errors.txt",
}

// resultFile is result.json.
type resultFile struct {
	Outcome        string       `json:"outcome"`
	ExitCode       int          `json:"exitCode"`
	Summary        string       `json:"summary"`
	Service        string       `json:"service"`
	Namespace      string       `json:"namespace"`
	Image          string       `json:"image"`
	HelmRelease    string       `json:"helmRelease"`
	ElapsedSeconds float64      `json:"elapsedSeconds"`
	Failure        *failureJSON `json:"failure,omitempty"`
}

type failureJSON struct {
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	Name      string   `json:"name"`
	Container string   `json:"container,omitempty"`
	Reason    string   `json:"reason"`
	Message   string   `json:"message"`
	Pods      []string `json:"pods,omitempty"`
}

// diag collects files and the problems met while collecting them; a problem never stops the
// collection of the rest.
type diag struct {
	dir    string
	errors []string
}

func (d *diag) write(name string, data []byte) {
	path := filepath.Join(d.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		d.errors = append(d.errors, err.Error())
		return
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		d.errors = append(d.errors, err.Error())
	}
}

func (d *diag) fail(format string, args ...any) {
	d.errors = append(d.errors, fmt.Sprintf(format, args...))
}

// WriteDiagnostics writes what a person needs to see why a rollout failed or could not be told
// into dir: the verdict, events of the objects involved, describe-like summaries of the
// Deployment, its ReplicaSets, the migration Jobs and the failing pods, their current and previous
// container logs, and the Flux objects. It reads the cluster again for events and logs (best
// effort: what cannot be read is listed in errors.txt). It returns an error only if dir cannot be
// written.
func WriteDiagnostics(ctx context.Context, c *Clients, opts Options, r *Result, dir string) error {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("diagnostics: %w", err)
	}
	d := &diag{dir: dir}
	d.write("summary.txt", summaryText(opts, r))
	d.write("result.json", resultJSON(opts, r))

	obs := r.Last
	if obs == nil {
		d.fail("no observation of the cluster succeeded: nothing else to collect")
		d.write("errors.txt", []byte(strings.Join(d.errors, "\n")+"\n"))
		return nil
	}
	flux := map[string]*unstructured.Unstructured{
		"helmrelease": obs.Flux.HelmRelease, "helmchart": obs.Flux.HelmChart,
		"gitrepository": obs.Flux.GitRepository, "kustomization": obs.Flux.Kustomization,
	}
	fluxNames := map[string]bool{}
	for file, u := range flux {
		if u == nil {
			continue
		}
		fluxNames[u.GetKind()+"/"+u.GetName()] = true
		c := u.DeepCopy()
		unstructured.RemoveNestedField(c.Object, "metadata", "managedFields")
		b, err := yaml.Marshal(c.Object)
		if err != nil {
			d.fail("flux/%s.yaml: %v", file, err)
			continue
		}
		d.write("flux/"+file+".yaml", b)
	}
	if obs.Flux.HelmRelease == nil {
		d.fail("HelmRelease %s/%s not found", opts.HelmReleaseNamespace, opts.HelmReleaseName)
	}
	fluxNames["HelmRelease/"+opts.HelmReleaseName] = true
	d.write("flux/events.txt", eventsText(ctx, c, d, opts.HelmReleaseNamespace, fluxNames))

	involved := map[string]bool{}
	if dep := obs.Deployment; dep != nil {
		involved["Deployment/"+dep.Name] = true
		d.write("deployment.txt", describeDeployment(dep))
		var b bytes.Buffer
		newRS := newReplicaSet(dep, obs.ReplicaSets)
		rss := append([]appsv1.ReplicaSet{}, obs.ReplicaSets...)
		sort.Slice(rss, func(i, j int) bool { return revisionOf(rss[i].Annotations) > revisionOf(rss[j].Annotations) })
		for i := range rss {
			involved["ReplicaSet/"+rss[i].Name] = true
			describeReplicaSet(&b, &rss[i], newRS != nil && rss[i].Name == newRS.Name)
		}
		d.write("replicasets.txt", b.Bytes())
	} else {
		d.fail("Deployment %s/%s not found", opts.Namespace, opts.Deployment)
	}
	var jb bytes.Buffer
	for i := range obs.Jobs {
		involved["Job/"+obs.Jobs[i].Name] = true
		describeJob(&jb, &obs.Jobs[i])
	}
	if len(obs.Jobs) == 0 {
		fmt.Fprintf(&jb, "no Job labelled %s=%s runs %s\n", InstanceLabel, opts.Service, opts.Image.Ref)
	}
	d.write("jobs.txt", jb.Bytes())

	pods := diagnosticPods(opts, r, obs)
	for _, p := range append(append([]corev1.Pod{}, obs.Pods...), obs.JobPods...) {
		involved["Pod/"+p.Name] = true
	}
	events := namespaceEvents(ctx, c, d, opts.Namespace)
	for i := range pods {
		p := &pods[i]
		var b bytes.Buffer
		describePod(&b, p)
		b.WriteString("\nEvents:\n")
		b.Write(formatEvents(events, map[string]bool{"Pod/" + p.Name: true}))
		d.write("pods/"+p.Name+".txt", b.Bytes())
		for _, cs := range allStatuses(p) {
			d.writeLog(ctx, c, p, cs.Name, false)
			if cs.RestartCount > 0 || cs.LastTerminationState.Terminated != nil {
				d.writeLog(ctx, c, p, cs.Name, true)
			}
		}
	}
	d.write("events.txt", formatEvents(events, involved))
	if len(d.errors) > 0 {
		d.write("errors.txt", []byte(strings.Join(d.errors, "\n")+"\n"))
	}
	return nil
}

// diagnosticPods picks the pods to describe: the failing ones first, then the new ReplicaSet's
// pods that are not ready, then the rest of them; at most maxDiagnosticPods.
func diagnosticPods(opts Options, r *Result, obs *Observation) []corev1.Pod {
	byName := map[string]corev1.Pod{}
	for _, p := range append(append([]corev1.Pod{}, obs.Pods...), obs.JobPods...) {
		byName[p.Name] = p
	}
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if _, ok := byName[n]; ok && !seen[n] && len(names) < maxDiagnosticPods {
			seen[n] = true
			names = append(names, n)
		}
	}
	if r.Failure != nil {
		for _, n := range r.Failure.Pods {
			add(n)
		}
	}
	v := &verifier{opts: opts}
	newPods := v.newPods(obs)
	if len(newPods) == 0 && obs.Deployment != nil {
		// The Deployment does not run the image (yet): its current pods are the ones to see.
		if rs := newReplicaSet(obs.Deployment, obs.ReplicaSets); rs != nil {
			newPods = podsOf(rs, obs.Pods)
		}
	}
	for _, p := range newPods {
		if ok, _ := podReady(&p); !ok {
			add(p.Name)
		}
	}
	for _, p := range newPods {
		add(p.Name)
	}
	out := make([]corev1.Pod, 0, len(names))
	for _, n := range names {
		out = append(out, byName[n])
	}
	return out
}

func (d *diag) writeLog(ctx context.Context, c *Clients, p *corev1.Pod, container string, previous bool) {
	tail, limit := int64(logTailLines), int64(logLimitBytes)
	raw, err := c.Core.Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{
		Container: container, Previous: previous, TailLines: &tail, LimitBytes: &limit, Timestamps: true,
	}).Do(ctx).Raw()
	name := "pods/" + p.Name + "/" + container + ".log"
	if previous {
		name = "pods/" + p.Name + "/" + container + ".previous.log"
	}
	if err != nil {
		d.fail("%s: %v", name, err)
		return
	}
	d.write(name, raw)
}

func summaryText(opts Options, r *Result) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\n", r.Summary)
	fmt.Fprintf(&b, "outcome:      %s (exit code %d)\n", r.Outcome, r.Outcome.ExitCode())
	fmt.Fprintf(&b, "service:      %s\nnamespace:    %s\nimage:        %s\nhelmrelease:  %s/%s\nelapsed:      %s\n",
		opts.Service, opts.Namespace, opts.Image.Ref, opts.HelmReleaseNamespace, opts.HelmReleaseName, r.Elapsed.Round(time.Second))
	if f := r.Failure; f != nil {
		fmt.Fprintf(&b, "\nfailed object: %s\n", f.Object())
		if f.Container != "" {
			fmt.Fprintf(&b, "container:     %s\n", f.Container)
		}
		fmt.Fprintf(&b, "reason:        %s\nmessage:       %s\n", f.Reason, f.Message)
		if len(f.Pods) > 0 {
			fmt.Fprintf(&b, "pods:          %s\n", strings.Join(f.Pods, ", "))
		}
	}
	b.WriteString("\nprogress:\n")
	for _, l := range r.Log {
		b.WriteString("  " + l + "\n")
	}
	return b.Bytes()
}

func resultJSON(opts Options, r *Result) []byte {
	out := resultFile{
		Outcome: r.Outcome.String(), ExitCode: r.Outcome.ExitCode(), Summary: r.Summary,
		Service: opts.Service, Namespace: opts.Namespace, Image: opts.Image.Ref,
		HelmRelease: opts.HelmReleaseNamespace + "/" + opts.HelmReleaseName, ElapsedSeconds: r.Elapsed.Seconds(),
	}
	if f := r.Failure; f != nil {
		out.Failure = &failureJSON{Kind: f.Kind, Namespace: f.Namespace, Name: f.Name, Container: f.Container, Reason: f.Reason, Message: f.Message, Pods: f.Pods}
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

func namespaceEvents(ctx context.Context, c *Clients, d *diag, ns string) []corev1.Event {
	list, err := c.Core.Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("events in %s: %v", ns, err)
		return nil
	}
	return list.Items
}

func eventsText(ctx context.Context, c *Clients, d *diag, ns string, involved map[string]bool) []byte {
	return formatEvents(namespaceEvents(ctx, c, d, ns), involved)
}

// formatEvents lists the events about the involved objects ("Kind/name"), oldest first.
func formatEvents(events []corev1.Event, involved map[string]bool) []byte {
	var sel []corev1.Event
	for _, e := range events {
		if involved[e.InvolvedObject.Kind+"/"+e.InvolvedObject.Name] {
			sel = append(sel, e)
		}
	}
	sort.SliceStable(sel, func(i, j int) bool { return eventTime(&sel[i]).Before(eventTime(&sel[j])) })
	var b bytes.Buffer
	if len(sel) == 0 {
		b.WriteString("no events about these objects (events expire after an hour by default)\n")
	}
	for _, e := range sel {
		count := ""
		if e.Count > 1 {
			count = fmt.Sprintf(" (x%d)", e.Count)
		} else if e.Series != nil && e.Series.Count > 1 {
			count = fmt.Sprintf(" (x%d)", e.Series.Count)
		}
		fmt.Fprintf(&b, "%s  %-7s  %-24s  %s/%s  %s%s\n", timeText(eventTime(&e)), e.Type, e.Reason,
			e.InvolvedObject.Kind, e.InvolvedObject.Name, oneLine(e.Message, 1000), count)
	}
	return b.Bytes()
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func writeConditions[T any](b *bytes.Buffer, conds []T, f func(T) (typ, status, reason, msg string, at time.Time)) {
	b.WriteString("Conditions:\n")
	if len(conds) == 0 {
		b.WriteString("  none\n")
	}
	for _, c := range conds {
		typ, status, reason, msg, at := f(c)
		fmt.Fprintf(b, "  %-16s %-7s %-28s %s  %s\n", typ, status, reason, timeText(at), oneLine(msg, 500))
	}
}

func describeDeployment(d *appsv1.Deployment) []byte {
	var b bytes.Buffer
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	s := d.Status
	fmt.Fprintf(&b, "Name:        %s/%s\n", d.Namespace, d.Name)
	fmt.Fprintf(&b, "Generation:  %d (observed %d)\n", d.Generation, s.ObservedGeneration)
	fmt.Fprintf(&b, "Revision:    %s\n", d.Annotations[revisionAnnotation])
	fmt.Fprintf(&b, "Replicas:    %d desired, %d updated, %d total, %d ready, %d available, %d unavailable\n",
		want, s.UpdatedReplicas, s.Replicas, s.ReadyReplicas, s.AvailableReplicas, s.UnavailableReplicas)
	strategy := string(d.Spec.Strategy.Type)
	if strategy == "" {
		strategy = "-"
	}
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		strategy += fmt.Sprintf(" (maxSurge %s, maxUnavailable %s)", intOrString(ru.MaxSurge), intOrString(ru.MaxUnavailable))
	}
	fmt.Fprintf(&b, "Strategy:    %s\n", strategy)
	if d.Spec.ProgressDeadlineSeconds != nil {
		fmt.Fprintf(&b, "Progress deadline: %ds\n", *d.Spec.ProgressDeadlineSeconds)
	}
	if d.Spec.Selector != nil {
		fmt.Fprintf(&b, "Selector:    %s\n", metav1.FormatLabelSelector(d.Spec.Selector))
	}
	describeTemplate(&b, &d.Spec.Template.Spec)
	writeConditions(&b, s.Conditions, func(c appsv1.DeploymentCondition) (string, string, string, string, time.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastUpdateTime.Time
	})
	return b.Bytes()
}

func intOrString(v *intstr.IntOrString) string {
	if v == nil {
		return "-"
	}
	return v.String()
}

func describeTemplate(b *bytes.Buffer, spec *corev1.PodSpec) {
	b.WriteString("Containers:\n")
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		fmt.Fprintf(b, "  %s: %s\n", c.Name, c.Image)
		if len(c.Resources.Requests) > 0 || len(c.Resources.Limits) > 0 {
			fmt.Fprintf(b, "    requests %s; limits %s\n", resourceText(c.Resources.Requests), resourceText(c.Resources.Limits))
		}
	}
}

func resourceText(rl corev1.ResourceList) string {
	if len(rl) == 0 {
		return "none"
	}
	var parts []string
	for name, q := range rl {
		parts = append(parts, string(name)+"="+q.String())
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func describeReplicaSet(b *bytes.Buffer, rs *appsv1.ReplicaSet, isNew bool) {
	marker := ""
	if isNew {
		marker = " (new)"
	}
	want := int32(1)
	if rs.Spec.Replicas != nil {
		want = *rs.Spec.Replicas
	}
	fmt.Fprintf(b, "Name:      %s/%s%s\n", rs.Namespace, rs.Name, marker)
	fmt.Fprintf(b, "Revision:  %s\nCreated:   %s\n", rs.Annotations[revisionAnnotation], timeText(rs.CreationTimestamp.Time))
	fmt.Fprintf(b, "Replicas:  %d desired, %d current, %d ready, %d available\n", want, rs.Status.Replicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas)
	describeTemplate(b, &rs.Spec.Template.Spec)
	writeConditions(b, rs.Status.Conditions, func(c appsv1.ReplicaSetCondition) (string, string, string, string, time.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastTransitionTime.Time
	})
	b.WriteString("\n")
}

func describeJob(b *bytes.Buffer, j *batchv1.Job) {
	fmt.Fprintf(b, "Name:      %s/%s\nCreated:   %s\n", j.Namespace, j.Name, timeText(j.CreationTimestamp.Time))
	if j.Spec.BackoffLimit != nil {
		fmt.Fprintf(b, "Backoff limit: %d\n", *j.Spec.BackoffLimit)
	}
	if j.Spec.ActiveDeadlineSeconds != nil {
		fmt.Fprintf(b, "Active deadline: %ds\n", *j.Spec.ActiveDeadlineSeconds)
	}
	fmt.Fprintf(b, "Pods:      %d active, %d succeeded, %d failed\n", j.Status.Active, j.Status.Succeeded, j.Status.Failed)
	describeTemplate(b, &j.Spec.Template.Spec)
	writeConditions(b, j.Status.Conditions, func(c batchv1.JobCondition) (string, string, string, string, time.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastTransitionTime.Time
	})
	b.WriteString("\n")
}

func describePod(b *bytes.Buffer, p *corev1.Pod) {
	fmt.Fprintf(b, "Name:      %s/%s\n", p.Namespace, p.Name)
	fmt.Fprintf(b, "Node:      %s\nCreated:   %s\n", p.Spec.NodeName, timeText(p.CreationTimestamp.Time))
	if p.Status.StartTime != nil {
		fmt.Fprintf(b, "Started:   %s\n", timeText(p.Status.StartTime.Time))
	}
	fmt.Fprintf(b, "Phase:     %s\n", p.Status.Phase)
	if p.Status.Reason != "" || p.Status.Message != "" {
		fmt.Fprintf(b, "Reason:    %s: %s\n", p.Status.Reason, oneLine(p.Status.Message, 500))
	}
	for _, r := range p.OwnerReferences {
		fmt.Fprintf(b, "Owner:     %s/%s\n", r.Kind, r.Name)
	}
	specs := map[string]corev1.Container{}
	for _, c := range append(append([]corev1.Container{}, p.Spec.InitContainers...), p.Spec.Containers...) {
		specs[c.Name] = c
	}
	b.WriteString("Containers:\n")
	for _, cs := range allStatuses(p) {
		fmt.Fprintf(b, "  %s:\n", cs.Name)
		fmt.Fprintf(b, "    Image:     %s\n    Image ID:  %s\n", specs[cs.Name].Image, cs.ImageID)
		fmt.Fprintf(b, "    State:     %s\n", stateText(cs.State))
		if cs.LastTerminationState.Terminated != nil {
			fmt.Fprintf(b, "    Last:      %s\n", stateText(cs.LastTerminationState))
		}
		fmt.Fprintf(b, "    Ready:     %t\n    Restarts:  %d\n", cs.Ready, cs.RestartCount)
		if r := specs[cs.Name].Resources; len(r.Requests) > 0 || len(r.Limits) > 0 {
			fmt.Fprintf(b, "    Requests:  %s\n    Limits:    %s\n", resourceText(r.Requests), resourceText(r.Limits))
		}
	}
	writeConditions(b, p.Status.Conditions, func(c corev1.PodCondition) (string, string, string, string, time.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastTransitionTime.Time
	})
}

func stateText(s corev1.ContainerState) string {
	switch {
	case s.Waiting != nil:
		return joinNonEmpty("Waiting "+s.Waiting.Reason, oneLine(s.Waiting.Message, 500))
	case s.Running != nil:
		return "Running since " + timeText(s.Running.StartedAt.Time)
	case s.Terminated != nil:
		t := s.Terminated
		return joinNonEmpty(fmt.Sprintf("Terminated %s, exit code %d, %s - %s", t.Reason, t.ExitCode, timeText(t.StartedAt.Time), timeText(t.FinishedAt.Time)), oneLine(t.Message, 500))
	default:
		return "not started"
	}
}
