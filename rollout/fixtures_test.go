package rollout

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	appsfake "k8s.io/client-go/kubernetes/typed/apps/v1/fake"
	batchfake "k8s.io/client-go/kubernetes/typed/batch/v1/fake"
	corefake "k8s.io/client-go/kubernetes/typed/core/v1/fake"
	k8stesting "k8s.io/client-go/testing"
)

// The service of the fixtures, and the release being verified: 1.4.1 is running, 1.4.2 was pushed.
const (
	svc       = "user-service"
	ns        = "user-service"
	registry  = "platformacr.azurecr.io"
	oldTag    = "1.4.1"
	newTag    = "1.4.2"
	oldCommit = "1111111111111111111111111111111111111111"
	newCommit = "2222222222222222222222222222222222222222"
	oldHash   = "6f7c9d8b5"
	newHash   = "7d9c4f6b8"
	digestNew = "sha256:2b4e8f0c1a3d5e7f9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a"
	digestOld = "sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"
)

var (
	oldImage = registry + "/user-service:" + oldTag
	newImage = registry + "/user-service:" + newTag
	// t0 is when every verification in the tests starts.
	t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
)

var (
	deploymentsGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	replicaSetsGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "replicasets"}
	podsGVR        = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	eventsGVR      = schema.GroupVersionResource{Version: "v1", Resource: "events"}
	jobsGVR        = schema.GroupVersionResource{Group: "batch", Version: "v1", Resource: "jobs"}
)

// fakeClock advances only when the verifier sleeps, and runs the scenario's steps that are due.
type fakeClock struct {
	now    time.Time
	sleeps int
	onTick func(now time.Time)
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.sleeps++
	c.now = c.now.Add(d)
	if c.onTick != nil {
		c.onTick(c.now)
	}
	return nil
}

// cluster is a fake API server: the typed sub-clients share one ObjectTracker, the dynamic
// client has its own for the Flux kinds.
type cluster struct {
	t       *testing.T
	tracker k8stesting.ObjectTracker
	fake    *k8stesting.Fake
	dyn     *dynamicfake.FakeDynamicClient
	clients *Clients
	clock   *fakeClock
	steps   []step
	// logs maps "container" and "container/previous" to the log text the fake returns
	// (client-go's fake GetLogs action does not carry the pod name).
	logs map[string]string
}

type step struct {
	after time.Duration
	do    func(c *cluster)
	done  bool
}

func newCluster(t *testing.T, objs ...runtime.Object) *cluster {
	t.Helper()
	scheme := runtime.NewScheme()
	require.NoError(t, corev1.AddToScheme(scheme))
	require.NoError(t, appsv1.AddToScheme(scheme))
	require.NoError(t, batchv1.AddToScheme(scheme))
	c := &cluster{t: t, logs: map[string]string{}}
	c.tracker = k8stesting.NewObjectTracker(scheme, serializer.NewCodecFactory(scheme).UniversalDecoder())
	c.fake = &k8stesting.Fake{}
	c.fake.AddReactor("*", "*", k8stesting.ObjectReaction(c.tracker))
	c.fake.PrependReactor("get", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if a.GetSubresource() != "log" {
			return false, nil, nil
		}
		opts := a.(k8stesting.GenericAction).GetValue().(*corev1.PodLogOptions)
		key := opts.Container
		if opts.Previous {
			key += "/previous"
		}
		text, ok := c.logs[key]
		if !ok {
			return true, nil, fmt.Errorf("previous terminated container %q not found", opts.Container)
		}
		return true, &runtime.Unknown{Raw: []byte(text)}, nil
	})
	c.dyn = dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), FluxListKinds)
	c.clients = &Clients{
		Core:    &corefake.FakeCoreV1{Fake: c.fake},
		Apps:    &appsfake.FakeAppsV1{Fake: c.fake},
		Batch:   &batchfake.FakeBatchV1{Fake: c.fake},
		Dynamic: c.dyn,
	}
	c.clock = &fakeClock{now: t0}
	c.clock.onTick = func(now time.Time) {
		for i := range c.steps {
			if s := &c.steps[i]; !s.done && !now.Before(t0.Add(s.after)) {
				s.done = true
				s.do(c)
			}
		}
	}
	c.set(objs...)
	return c
}

// at schedules a change of the cluster after d of verification.
func (c *cluster) at(d time.Duration, do func(c *cluster)) *cluster {
	c.steps = append(c.steps, step{after: d, do: do})
	return c
}

// set creates or replaces objects.
func (c *cluster) set(objs ...runtime.Object) {
	c.t.Helper()
	for _, o := range objs {
		if u, ok := o.(*unstructured.Unstructured); ok {
			gvr := fluxGVR(u.GetKind())
			if _, err := c.dyn.Tracker().Get(gvr, u.GetNamespace(), u.GetName()); err == nil {
				require.NoError(c.t, c.dyn.Tracker().Update(gvr, u, u.GetNamespace()))
			} else {
				require.NoError(c.t, c.dyn.Tracker().Create(gvr, u, u.GetNamespace()))
			}
			continue
		}
		gvr := typedGVR(o)
		m, err := metaOf(o)
		require.NoError(c.t, err)
		if _, err := c.tracker.Get(gvr, m.GetNamespace(), m.GetName()); err == nil {
			require.NoError(c.t, c.tracker.Update(gvr, o, m.GetNamespace()))
		} else {
			require.NoError(c.t, c.tracker.Create(gvr, o, m.GetNamespace()))
		}
	}
}

func (c *cluster) delete(o runtime.Object) {
	c.t.Helper()
	m, err := metaOf(o)
	require.NoError(c.t, err)
	require.NoError(c.t, c.tracker.Delete(typedGVR(o), m.GetNamespace(), m.GetName()))
}

func metaOf(o runtime.Object) (metav1.Object, error) {
	m, ok := o.(metav1.Object)
	if !ok {
		return nil, fmt.Errorf("%T has no metadata", o)
	}
	return m, nil
}

func typedGVR(o runtime.Object) schema.GroupVersionResource {
	switch o.(type) {
	case *appsv1.Deployment:
		return deploymentsGVR
	case *appsv1.ReplicaSet:
		return replicaSetsGVR
	case *corev1.Pod:
		return podsGVR
	case *corev1.Event:
		return eventsGVR
	case *batchv1.Job:
		return jobsGVR
	}
	panic(fmt.Sprintf("no resource for %T", o))
}

func fluxGVR(kind string) schema.GroupVersionResource {
	switch kind {
	case "HelmRelease":
		return HelmReleaseGVR
	case "HelmChart":
		return HelmChartGVR
	case "GitRepository":
		return GitRepositoryGVR
	case "Kustomization":
		return KustomizationGVR
	}
	panic("no resource for " + kind)
}

// verify runs the verifier against the fake cluster with short, test-sized durations.
func (c *cluster) verify(mod ...func(*Options)) *Result {
	c.t.Helper()
	img, err := ParseImage(newImage)
	require.NoError(c.t, err)
	o := Options{Service: svc, Namespace: ns, Image: img, Timeout: 10 * time.Minute, Soak: time.Minute,
		ReadyTimeout: 2 * time.Minute, Interval: 5 * time.Second, APIGrace: 30 * time.Second}
	for _, m := range mod {
		m(&o)
	}
	return Verify(context.Background(), c.clients, o, c.clock, &strings.Builder{})
}

// elapsed is how long the verification ran on the fake clock.
func (c *cluster) elapsed() time.Duration { return c.clock.now.Sub(t0) }

// ---- Flux objects -------------------------------------------------------------------------------

// release describes a HelmRelease's state.
type release struct {
	gen, observed, attempted, readyGen int64
	tag                                string
	ready                              metav1.ConditionStatus
	reason, message                    string
	stalled, reconciling               bool
	// chartCommit is the commit the chart of the newest Helm release was built from.
	chartCommit string
	// attemptedTag is the tag of the values of the last attempt; appliedTag the newest release's.
	attemptedTag, appliedTag string
	historyStatus            string
	targetNamespace          string
}

// released is a HelmRelease whose generation gen, carrying tag, was released from commit.
func released(gen int64, tag, commit string) release {
	return release{gen: gen, observed: gen, attempted: gen, readyGen: gen, tag: tag, ready: metav1.ConditionTrue,
		reason: "UpgradeSucceeded", message: "Helm upgrade succeeded for release user-service/user-service.v5 with chart microservice@0.1.0+" + commit[:12],
		chartCommit: commit, attemptedTag: tag, appliedTag: tag, historyStatus: "deployed", targetNamespace: ns}
}

// pending is the trap: the Kustomization applied generation gen with the new tag, helm-controller
// has not picked it up, and Ready=True still speaks of the previous generation.
func pending(gen int64) release {
	r := released(gen-1, oldTag, oldCommit)
	r.gen, r.tag = gen, newTag
	return r
}

// upgrading is the state while helm-controller runs the upgrade of gen (Ready Unknown, stamped
// with the new generation already).
func upgrading(gen int64) release {
	r := released(gen-1, oldTag, oldCommit)
	r.gen, r.tag, r.readyGen, r.attempted, r.attemptedTag = gen, newTag, gen, gen, newTag
	r.ready, r.reason, r.message = metav1.ConditionUnknown, "Progressing", "Running 'upgrade' action with timeout of 5m0s"
	r.reconciling = true
	return r
}

func (r release) object() *unstructured.Unstructured {
	conds := []any{map[string]any{
		"type": "Ready", "status": string(r.ready), "reason": r.reason, "message": r.message,
		"observedGeneration": r.readyGen, "lastTransitionTime": t0.Add(-time.Minute).Format(time.RFC3339),
	}}
	if r.stalled {
		conds = append(conds, map[string]any{"type": "Stalled", "status": "True", "reason": "RetriesExceeded", "message": "Failed to upgrade after 1 attempt(s)",
			"observedGeneration": r.gen, "lastTransitionTime": t0.Format(time.RFC3339)})
	}
	if r.reconciling {
		conds = append(conds, map[string]any{"type": "Reconciling", "status": "True", "reason": "Progressing", "message": r.message,
			"observedGeneration": r.gen, "lastTransitionTime": t0.Format(time.RFC3339)})
	}
	chartVersion := "0.1.0+" + r.chartCommit[:12]
	spec := map[string]any{
		"interval": "5m",
		"chart": map[string]any{"spec": map[string]any{
			"chart": "./charts/microservice", "reconcileStrategy": "Revision",
			"sourceRef": map[string]any{"kind": "GitRepository", "name": "platform", "namespace": "flux-system"},
		}},
		"values": map[string]any{"image": map[string]any{"repository": "user-service", "tag": r.tag}},
	}
	if r.targetNamespace != "" {
		spec["targetNamespace"] = r.targetNamespace
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
		"metadata": map[string]any{"name": svc, "namespace": "flux-system", "generation": r.gen,
			"labels":        map[string]any{"kustomize.toolkit.fluxcd.io/name": "services", "kustomize.toolkit.fluxcd.io/namespace": "flux-system"},
			"managedFields": []any{map[string]any{"manager": "kustomize-controller"}}},
		"spec": spec,
		"status": map[string]any{
			"observedGeneration": r.observed, "lastAttemptedGeneration": r.attempted, "conditions": conds,
			"helmChart":                 "flux-system/flux-system-user-service",
			"lastAttemptedRevision":     chartVersion,
			"lastAttemptedConfigDigest": "sha256:values-" + r.attemptedTag,
			"history": []any{map[string]any{
				"name": svc, "namespace": ns, "version": int64(5), "status": r.historyStatus, "chartName": "microservice",
				"chartVersion": chartVersion, "configDigest": "sha256:values-" + r.appliedTag, "digest": "sha256:release",
				"firstDeployed": t0.Add(-time.Hour).Format(time.RFC3339), "lastDeployed": t0.Format(time.RFC3339),
			}},
		},
	}}
}

func gitRepository(commit string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
		"metadata": map[string]any{"name": "platform", "namespace": "flux-system", "generation": int64(1)},
		"status": map[string]any{"observedGeneration": int64(1),
			"artifact":   map[string]any{"revision": "main@sha1:" + commit},
			"conditions": []any{map[string]any{"type": "Ready", "status": "True", "reason": "Succeeded", "message": "stored artifact for revision 'main@sha1:" + commit + "'", "lastTransitionTime": t0.Format(time.RFC3339)}}},
	}}
}

func helmChart(commit string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmChart",
		"metadata": map[string]any{"name": "flux-system-user-service", "namespace": "flux-system", "generation": int64(1)},
		"status":   map[string]any{"observedGeneration": int64(1), "artifact": map[string]any{"revision": "0.1.0+" + commit[:12]}},
	}}
}

func kustomization(commit string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
		"metadata": map[string]any{"name": "services", "namespace": "flux-system", "generation": int64(1)},
		"status": map[string]any{"observedGeneration": int64(1), "lastAppliedRevision": "main@sha1:" + commit,
			"conditions": []any{map[string]any{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": "Applied revision: main@sha1:" + commit, "lastTransitionTime": t0.Format(time.RFC3339)}}},
	}}
}

// flux returns the Flux objects of a state: the HelmRelease, and the sources at commit.
func flux(r release, commit string) []runtime.Object {
	return []runtime.Object{r.object(), gitRepository(commit), helmChart(commit), kustomization(commit)}
}

// ---- workload objects ---------------------------------------------------------------------------

func int32p(n int32) *int32 { return &n }

// deployment is the service's Deployment at generation gen with image; rolledOut sets a complete
// status for replicas pods.
func deployment(gen int64, image string, revision int, replicas int32) *appsv1.Deployment {
	sel := map[string]string{"app.kubernetes.io/name": svc, "app.kubernetes.io/instance": svc}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: svc, Namespace: ns, Generation: gen,
			Annotations: map[string]string{revisionAnnotation: fmt.Sprint(revision)}, Labels: sel},
		Spec: appsv1.DeploymentSpec{Replicas: int32p(replicas), Selector: &metav1.LabelSelector{MatchLabels: sel},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: sel},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: svc, Image: image}}}}},
	}
}

func rolledOut(d *appsv1.Deployment) *appsv1.Deployment {
	n := *d.Spec.Replicas
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: n, UpdatedReplicas: n, ReadyReplicas: n, AvailableReplicas: n,
		Conditions: []appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: "MinimumReplicasAvailable"},
			{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "NewReplicaSetAvailable", Message: `ReplicaSet "x" has successfully progressed.`},
		}}
	return d
}

// rollingOut is a Deployment whose new ReplicaSet has updated pods of which ready are ready,
// with old pods still running.
func rollingOut(d *appsv1.Deployment, updated, ready, old int32) *appsv1.Deployment {
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: updated + old, UpdatedReplicas: updated,
		ReadyReplicas: ready + old, AvailableReplicas: ready + old, UnavailableReplicas: updated - ready,
		Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "ReplicaSetUpdated"}}}
	return d
}

func replicaSet(hash string, revision int, image string, replicas int32) *appsv1.ReplicaSet {
	l := map[string]string{"app.kubernetes.io/name": svc, "app.kubernetes.io/instance": svc, appsv1.DefaultDeploymentUniqueLabelKey: hash}
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: svc + "-" + hash, Namespace: ns, Labels: l,
			Annotations:       map[string]string{revisionAnnotation: fmt.Sprint(revision)},
			OwnerReferences:   []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: svc, Controller: boolp(true)}},
			CreationTimestamp: metav1.NewTime(t0.Add(-time.Minute))},
		Spec: appsv1.ReplicaSetSpec{Replicas: int32p(replicas), Selector: &metav1.LabelSelector{MatchLabels: l},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: l},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: svc, Image: image}}}}},
		Status: appsv1.ReplicaSetStatus{Replicas: replicas, ReadyReplicas: replicas, AvailableReplicas: replicas},
	}
}

func boolp(b bool) *bool { return &b }

// pod is a running, ready pod of the ReplicaSet with hash, created a minute before t0.
func pod(suffix, hash, image string, mods ...func(*corev1.Pod)) *corev1.Pod {
	digest := digestOld
	if image == newImage {
		digest = digestNew
	}
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: svc + "-" + hash + "-" + suffix, Namespace: ns,
			Labels:            map[string]string{"app.kubernetes.io/name": svc, "app.kubernetes.io/instance": svc, appsv1.DefaultDeploymentUniqueLabelKey: hash},
			OwnerReferences:   []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: svc + "-" + hash, Controller: boolp(true)}},
			CreationTimestamp: metav1.NewTime(t0.Add(-time.Minute))},
		Spec: corev1.PodSpec{NodeName: "aks-system-12345-vmss000000", Containers: []corev1.Container{{Name: svc, Image: image}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, StartTime: &metav1.Time{Time: t0.Add(-time.Minute)},
			Conditions: []corev1.PodCondition{
				{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
				{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(-30 * time.Second))},
			},
			ContainerStatuses: []corev1.ContainerStatus{{Name: svc, Image: image, ImageID: registry + "/user-service@" + digest, Ready: true, Started: boolp(true),
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(t0.Add(-50 * time.Second))}}}},
		},
	}
	for _, m := range mods {
		m(p)
	}
	return p
}

func setReady(p *corev1.Pod, ready bool, since time.Time) {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.PodReady {
			p.Status.Conditions[i].Status = status
			p.Status.Conditions[i].LastTransitionTime = metav1.NewTime(since)
		}
	}
	p.Status.ContainerStatuses[0].Ready = ready
}

// waiting puts the container in a waiting state, not ready.
func waitingFor(reason, message string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		setReady(p, false, p.CreationTimestamp.Time)
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: message}}
		p.Status.ContainerStatuses[0].Started = boolp(false)
		if reason != "CrashLoopBackOff" {
			p.Status.Phase = corev1.PodPending
		}
	}
}

// crashed records restarts and how the container last ended.
func crashed(restarts int32, reason string, exitCode int32) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		cs := &p.Status.ContainerStatuses[0]
		cs.RestartCount = restarts
		cs.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: reason, ExitCode: exitCode,
			StartedAt: metav1.NewTime(t0.Add(-20 * time.Second)), FinishedAt: metav1.NewTime(t0.Add(-10 * time.Second))}}
	}
}

// notReady makes a running pod that is not ready since since (readiness probe failing).
func notReady(since time.Time) func(*corev1.Pod) {
	return func(p *corev1.Pod) { setReady(p, false, since) }
}

func createdAt(at time.Time) func(*corev1.Pod) {
	return func(p *corev1.Pod) { p.CreationTimestamp = metav1.NewTime(at) }
}

func event(kind, name, typ, reason, message string, at time.Time, namespace string) *corev1.Event {
	return &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("%s.%x", name, at.UnixNano()), Namespace: namespace},
		InvolvedObject: corev1.ObjectReference{Kind: kind, Name: name, Namespace: namespace},
		Type:           typ, Reason: reason, Message: message, Count: 1,
		FirstTimestamp: metav1.NewTime(at), LastTimestamp: metav1.NewTime(at),
	}
}

// migrationJob is a Job of the release running image, with its one pod.
func migrationJob(name, image string, failed bool) (*batchv1.Job, *corev1.Pod) {
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{InstanceLabel: svc}, CreationTimestamp: metav1.NewTime(t0.Add(-2 * time.Minute))},
		Spec: batchv1.JobSpec{BackoffLimit: int32p(0), Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "migrate", Image: image}}}}},
	}
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name + "-x7k2p", Namespace: ns, Labels: map[string]string{batchv1.JobNameLabel: name, "job-name": name},
			CreationTimestamp: metav1.NewTime(t0.Add(-2 * time.Minute))},
		Spec:   corev1.PodSpec{Containers: []corev1.Container{{Name: "migrate", Image: image}}, RestartPolicy: corev1.RestartPolicyNever},
		Status: corev1.PodStatus{Phase: corev1.PodSucceeded},
	}
	if failed {
		j.Status = batchv1.JobStatus{Failed: 1, Conditions: []batchv1.JobCondition{
			{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit"},
			{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit"},
		}}
		p.Status = corev1.PodStatus{Phase: corev1.PodFailed, ContainerStatuses: []corev1.ContainerStatus{{Name: "migrate", Image: image,
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 2}}}}}
	} else {
		j.Status = batchv1.JobStatus{Succeeded: 1, Conditions: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}}
	}
	return j, p
}

// steady is the cluster before the release: 1.4.1 released and running on two pods.
func steady() []runtime.Object {
	objs := flux(released(6, oldTag, oldCommit), oldCommit)
	return append(objs,
		rolledOut(deployment(6, oldImage, 4, 2)),
		replicaSet(oldHash, 4, oldImage, 2),
		pod("a1b2c", oldHash, oldImage), pod("d3e4f", oldHash, oldImage))
}

// done is the cluster after a good release of 1.4.2: released by Flux, rolled out on two pods.
func done() []runtime.Object {
	objs := flux(released(7, newTag, newCommit), newCommit)
	old := replicaSet(oldHash, 4, oldImage, 0)
	old.Status = appsv1.ReplicaSetStatus{}
	return append(objs,
		rolledOut(deployment(7, newImage, 5, 2)),
		old, replicaSet(newHash, 5, newImage, 2),
		pod("k8m2q", newHash, newImage), pod("p4r6t", newHash, newImage))
}

// upgradingWith is the cluster while helm-controller upgrades to 1.4.2 and the Deployment rolls
// out: the new ReplicaSet has the given pods, the old pods still run.
func upgradingWith(pods ...*corev1.Pod) []runtime.Object {
	objs := flux(upgrading(7), newCommit)
	objs = append(objs,
		rollingOut(deployment(7, newImage, 5, 2), int32(len(pods)), 0, 2),
		replicaSet(oldHash, 4, oldImage, 2), replicaSet(newHash, 5, newImage, int32(len(pods))),
		pod("a1b2c", oldHash, oldImage), pod("d3e4f", oldHash, oldImage))
	for _, p := range pods {
		objs = append(objs, p)
	}
	return objs
}

func sortedKeys[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func batchv1JobStatusActive() batchv1.JobStatus { return batchv1.JobStatus{Active: 1} }
