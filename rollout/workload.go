package rollout

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Failure names what failed and why.
type Failure struct {
	// Kind, Namespace and Name identify the object that failed: Pod, Job, Deployment or HelmRelease.
	Kind, Namespace, Name string
	// Container is the container that failed, for a pod.
	Container string
	// Reason is a short machine-readable reason: CrashLoopBackOff, ImagePullBackOff, ErrImagePull,
	// CreateContainerConfigError, OOMKilled, NotReady, RestartsDuringSoak, ProgressDeadlineExceeded,
	// BackoffLimitExceeded, ImageMismatch, UpgradeFailed, ...
	Reason string
	// Message is the rest, for a person.
	Message string
	// Pods are the pods worth collecting diagnostics for (the failing pod first).
	Pods []string
}

// Object returns "Kind namespace/name".
func (f *Failure) Object() string { return f.Kind + " " + f.Namespace + "/" + f.Name }

func (f *Failure) String() string {
	s := f.Object()
	if f.Container != "" {
		s += " container " + f.Container
	}
	return s + ": " + f.Reason + ": " + f.Message
}

// Container waiting reasons that fail a rollout at once: the kubelet reports them for an image it
// cannot pull, a container it cannot create or start, and a container that keeps exiting.
var fatalWaitingReasons = map[string]bool{
	"CrashLoopBackOff":           true,
	"ImagePullBackOff":           true,
	"ErrImagePull":               true,
	"ErrImageNeverPull":          true,
	"InvalidImageName":           true,
	"CreateContainerConfigError": true,
	"CreateContainerError":       true,
	"RunContainerError":          true,
}

// Reasons that fail a migration Job's pod at once. A Job retries failing pods itself (up to its
// backoffLimit), so an exit or CrashLoopBackOff waits for the Job's Failed condition; an image or
// configuration that cannot work would leave the Job hanging instead.
var fatalJobWaitingReasons = map[string]bool{
	"ImagePullBackOff":           true,
	"ErrImagePull":               true,
	"ErrImageNeverPull":          true,
	"InvalidImageName":           true,
	"CreateContainerConfigError": true,
	"CreateContainerError":       true,
}

// revisionAnnotation is the deployment controller's revision number on Deployments and ReplicaSets.
const revisionAnnotation = "deployment.kubernetes.io/revision"

func revisionOf(annotations map[string]string) int64 {
	n, _ := strconv.ParseInt(annotations[revisionAnnotation], 10, 64)
	return n
}

// templateImage returns the image of the named container in a pod spec.
func templateImage(spec *corev1.PodSpec, container string) (string, bool) {
	for _, c := range spec.Containers {
		if c.Name == container {
			return c.Image, true
		}
	}
	return "", false
}

func containerNames(spec *corev1.PodSpec) []string {
	var names []string
	for _, c := range spec.Containers {
		names = append(names, c.Name)
	}
	return names
}

// newReplicaSet returns the Deployment's ReplicaSet of its current revision: owned by it (by UID
// when the objects carry one, else by name) and with the highest revision; nil if the deployment
// controller has not created it yet.
func newReplicaSet(d *appsv1.Deployment, rss []appsv1.ReplicaSet) *appsv1.ReplicaSet {
	var best *appsv1.ReplicaSet
	for i := range rss {
		rs := &rss[i]
		if !ownedBy(rs.OwnerReferences, "Deployment", d.Name, string(d.UID)) {
			continue
		}
		if best == nil || revisionOf(rs.Annotations) > revisionOf(best.Annotations) {
			best = rs
		}
	}
	return best
}

func ownedBy(refs []metav1.OwnerReference, kind, name, uid string) bool {
	for _, r := range refs {
		if r.Kind == kind && r.Name == name && (uid == "" || r.UID == "" || string(r.UID) == uid) {
			return true
		}
	}
	return false
}

// podsOf returns the pods of a ReplicaSet (by its pod-template-hash label), without those being
// deleted, sorted by name.
func podsOf(rs *appsv1.ReplicaSet, pods []corev1.Pod) []corev1.Pod {
	hash := rs.Labels[appsv1.DefaultDeploymentUniqueLabelKey]
	var out []corev1.Pod
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if hash != "" && p.Labels[appsv1.DefaultDeploymentUniqueLabelKey] != hash {
			continue
		}
		if hash == "" && !ownedBy(p.OwnerReferences, "ReplicaSet", rs.Name, string(rs.UID)) {
			continue
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func podReady(p *corev1.Pod) (ready bool, since time.Time) {
	since = p.CreationTimestamp.Time
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			if c.Status == corev1.ConditionTrue {
				return true, c.LastTransitionTime.Time
			}
			if c.LastTransitionTime.After(since) {
				since = c.LastTransitionTime.Time
			}
		}
	}
	return false, since
}

func allStatuses(p *corev1.Pod) []corev1.ContainerStatus {
	return append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...)
}

// lastTermination describes how a container last ended, e.g. "last terminated: Error, exit code 1".
func lastTermination(cs *corev1.ContainerStatus) string {
	t := cs.LastTerminationState.Terminated
	if t == nil {
		t = cs.State.Terminated
	}
	if t == nil {
		return ""
	}
	s := fmt.Sprintf("last terminated: %s, exit code %d", t.Reason, t.ExitCode)
	if t.Signal != 0 {
		s += fmt.Sprintf(", signal %d", t.Signal)
	}
	if !t.FinishedAt.IsZero() {
		s += ", at " + t.FinishedAt.UTC().Format(time.RFC3339)
	}
	if m := strings.TrimSpace(t.Message); m != "" {
		s += ": " + oneLine(m, 300)
	}
	return s
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}

// podFailure returns why a pod of the new ReplicaSet fails the rollout, or nil. OOMKilled comes
// first (its container is often in CrashLoopBackOff too, and OOMKilled is the cause), then the
// fatal waiting reasons; a pod that has not become ready within readyTimeout of its creation (or
// of losing readiness) fails as NotReady.
func podFailure(p *corev1.Pod, now time.Time, readyTimeout time.Duration) *Failure {
	fail := func(container, reason, msg string) *Failure {
		return &Failure{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, Container: container, Reason: reason, Message: msg, Pods: []string{p.Name}}
	}
	statuses := allStatuses(p)
	for i := range statuses {
		cs := &statuses[i]
		for _, t := range []*corev1.ContainerStateTerminated{cs.State.Terminated, cs.LastTerminationState.Terminated} {
			if t != nil && t.Reason == "OOMKilled" {
				state := ""
				if w := cs.State.Waiting; w != nil {
					state = "now " + w.Reason
				}
				return fail(cs.Name, "OOMKilled", joinNonEmpty(fmt.Sprintf("the container ran out of memory (exit code %d, %d restarts)", t.ExitCode, cs.RestartCount), state,
					"raise resources.limits.memory or fix the leak"))
			}
		}
	}
	for i := range statuses {
		cs := &statuses[i]
		if w := cs.State.Waiting; w != nil && fatalWaitingReasons[w.Reason] {
			return fail(cs.Name, w.Reason, joinNonEmpty(oneLine(w.Message, 500), fmt.Sprintf("%d restarts", cs.RestartCount), lastTermination(cs)))
		}
	}
	ready, since := podReady(p)
	if !ready && readyTimeout > 0 && now.Sub(since) >= readyTimeout {
		return fail(notReadyContainer(p), "NotReady", fmt.Sprintf("not ready for %s (limit -ready-timeout %s): %s", now.Sub(since).Round(time.Second), readyTimeout, podState(p)))
	}
	return nil
}

// notReadyContainer names the first container that is not ready, if any.
func notReadyContainer(p *corev1.Pod) string {
	for _, cs := range p.Status.ContainerStatuses {
		if !cs.Ready {
			return cs.Name
		}
	}
	return ""
}

// podState is a one-line summary of a pod: phase, scheduling, and each container's state.
func podState(p *corev1.Pod) string {
	parts := []string{"phase " + string(p.Status.Phase)}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status != corev1.ConditionTrue {
			parts = append(parts, joinNonEmpty("not scheduled: "+c.Reason, oneLine(c.Message, 300)))
		}
	}
	for _, cs := range allStatuses(p) {
		parts = append(parts, fmt.Sprintf("container %s %s", cs.Name, containerState(&cs)))
	}
	return strings.Join(parts, ", ")
}

func containerState(cs *corev1.ContainerStatus) string {
	var s string
	switch {
	case cs.State.Waiting != nil:
		s = "waiting " + cs.State.Waiting.Reason
	case cs.State.Running != nil:
		s = "running"
		if !cs.Ready {
			s += " but not ready"
		}
		if cs.Started != nil && !*cs.Started {
			s += " (startup probe not passed)"
		}
	case cs.State.Terminated != nil:
		s = fmt.Sprintf("terminated %s (exit code %d)", cs.State.Terminated.Reason, cs.State.Terminated.ExitCode)
	default:
		s = "not started"
	}
	if cs.RestartCount > 0 {
		s += fmt.Sprintf(", %d restarts", cs.RestartCount)
	}
	return s
}

// podImageProblem checks that a pod of the new ReplicaSet runs the expected image: its spec names
// it, and when the image is given by digest the runtime reports that digest.
func podImageProblem(p *corev1.Pod, container string, img Image) *Failure {
	image, ok := templateImage(&p.Spec, container)
	if !ok || image != img.Ref {
		return &Failure{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, Container: container, Reason: "ImageMismatch",
			Message: fmt.Sprintf("the pod's container %s has image %q, want %q", container, image, img.Ref), Pods: []string{p.Name}}
	}
	if img.Digest == "" {
		return nil
	}
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Name != container || cs.ImageID == "" {
			continue
		}
		if d := digestOf(cs.ImageID); d != img.Digest {
			return &Failure{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, Container: container, Reason: "DigestMismatch",
				Message: fmt.Sprintf("the container runs %s, want digest %s", cs.ImageID, img.Digest), Pods: []string{p.Name}}
		}
	}
	return nil
}

// restartCounts maps "pod/container" to the restart count of every container of the pods.
func restartCounts(pods []corev1.Pod) map[string]int32 {
	m := map[string]int32{}
	for _, p := range pods {
		for _, cs := range allStatuses(&p) {
			m[p.Name+"/"+cs.Name] = cs.RestartCount
		}
	}
	return m
}

// restartFailure reports the first container whose restart count rose above the baseline taken
// when the rollout completed; containers of pods created later start from zero.
func restartFailure(pods []corev1.Pod, baseline map[string]int32, soak time.Duration) *Failure {
	for _, p := range pods {
		statuses := allStatuses(&p)
		for i := range statuses {
			cs := &statuses[i]
			before := baseline[p.Name+"/"+cs.Name]
			if cs.RestartCount > before {
				return &Failure{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, Container: cs.Name, Reason: "RestartsDuringSoak",
					Message: joinNonEmpty(fmt.Sprintf("restarted %d times after the rollout completed (restarts %d -> %d within the %s soak)", cs.RestartCount-before, before, cs.RestartCount, soak),
						"now "+containerState(cs), lastTermination(cs)),
					Pods: []string{p.Name}}
			}
		}
	}
	return nil
}

// deploymentProgress says whether the Deployment's rollout is complete, the way
// `kubectl rollout status` decides it, and returns what is missing otherwise.
func deploymentProgress(d *appsv1.Deployment) (complete bool, missing string) {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	s := d.Status
	switch {
	case s.ObservedGeneration < d.Generation:
		return false, fmt.Sprintf("the deployment controller has not observed generation %d yet (observed %d)", d.Generation, s.ObservedGeneration)
	case s.UpdatedReplicas < want:
		return false, fmt.Sprintf("%d of %d replicas updated", s.UpdatedReplicas, want)
	case s.Replicas > s.UpdatedReplicas:
		return false, fmt.Sprintf("%d old replicas pending termination", s.Replicas-s.UpdatedReplicas)
	case s.AvailableReplicas < s.UpdatedReplicas:
		return false, fmt.Sprintf("%d of %d updated replicas available", s.AvailableReplicas, s.UpdatedReplicas)
	case s.ReadyReplicas < s.UpdatedReplicas:
		return false, fmt.Sprintf("%d of %d updated replicas ready", s.ReadyReplicas, s.UpdatedReplicas)
	}
	return true, ""
}

// deploymentFailure reports a rollout the deployment controller itself gave up on: the progress
// deadline passed (progressDeadlineSeconds, 600 s by default), or it cannot create pods
// (ReplicaFailure, e.g. a Pod Security or quota refusal).
func deploymentFailure(d *appsv1.Deployment, newPods []corev1.Pod) *Failure {
	if d.Status.ObservedGeneration < d.Generation {
		return nil
	}
	for _, c := range d.Status.Conditions {
		var reason string
		switch {
		case c.Type == appsv1.DeploymentProgressing && c.Status == corev1.ConditionFalse && c.Reason == "ProgressDeadlineExceeded":
			reason = c.Reason
		case c.Type == appsv1.DeploymentReplicaFailure && c.Status == corev1.ConditionTrue:
			reason = "ReplicaFailure"
			if c.Reason != "" {
				reason += " (" + c.Reason + ")"
			}
		default:
			continue
		}
		f := &Failure{Kind: "Deployment", Namespace: d.Namespace, Name: d.Name, Reason: reason, Message: oneLine(c.Message, 500)}
		var unready []string
		for _, p := range newPods {
			if ok, _ := podReady(&p); !ok {
				unready = append(unready, p.Name+" ("+podState(&p)+")")
				f.Pods = append(f.Pods, p.Name)
			}
		}
		if len(unready) > 0 {
			f.Message += "; pods not ready: " + strings.Join(unready, "; ")
		}
		return f
	}
	return nil
}

// jobForImage says whether a Job runs the expected image in one of its containers: a migration
// Job of the release being verified (as opposed to one left from an earlier release) runs the
// service's new image.
func jobForImage(j *batchv1.Job, img Image) bool {
	for _, c := range append(append([]corev1.Container{}, j.Spec.Template.Spec.InitContainers...), j.Spec.Template.Spec.Containers...) {
		if c.Image == img.Ref {
			return true
		}
	}
	return false
}

// jobFailure reports a failed Job of this revision (condition Failed=True: backoffLimit or
// activeDeadlineSeconds exceeded) or a pod of it that cannot start, naming the pod.
func jobFailure(j *batchv1.Job, pods []corev1.Pod) *Failure {
	var mine []corev1.Pod
	for _, p := range pods {
		if p.Labels[batchv1.JobNameLabel] == j.Name || p.Labels["job-name"] == j.Name {
			mine = append(mine, p)
		}
	}
	sort.Slice(mine, func(a, b int) bool { return mine[a].Name < mine[b].Name })
	for _, c := range j.Status.Conditions {
		if c.Type != batchv1.JobFailed || c.Status != corev1.ConditionTrue {
			continue
		}
		f := &Failure{Kind: "Job", Namespace: j.Namespace, Name: j.Name, Reason: c.Reason,
			Message: joinNonEmpty("the migration Job failed: "+oneLine(c.Message, 300), fmt.Sprintf("%d failed pods", j.Status.Failed))}
		// Name the failed pod, the newest first (it carries the last attempt's exit).
		for k := len(mine) - 1; k >= 0; k-- {
			p := mine[k]
			f.Pods = append(f.Pods, p.Name)
			if len(f.Pods) == 1 {
				for _, cs := range allStatuses(&p) {
					if t := cs.State.Terminated; t != nil && t.ExitCode != 0 {
						f.Container = cs.Name
						f.Message += fmt.Sprintf("; pod %s container %s exited with code %d (%s)", p.Name, cs.Name, t.ExitCode, t.Reason)
						break
					}
				}
			}
		}
		return f
	}
	for _, p := range mine {
		for _, cs := range allStatuses(&p) {
			if w := cs.State.Waiting; w != nil && fatalJobWaitingReasons[w.Reason] {
				return &Failure{Kind: "Job", Namespace: j.Namespace, Name: j.Name, Container: cs.Name, Reason: w.Reason,
					Message: fmt.Sprintf("pod %s of the migration Job cannot start: %s", p.Name, oneLine(w.Message, 500)), Pods: []string{p.Name}}
			}
		}
	}
	return nil
}
