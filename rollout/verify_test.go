package rollout

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"
)

// expect is what a scenario must end with.
type expect struct {
	outcome   Outcome
	kind      string // failed object's kind ("" for no failure)
	name      string // failed object's name
	container string
	reason    string
	contains  []string // substrings of the summary line
	// within bounds the fake time the verification may take (fail fast), 0 for no bound.
	within time.Duration
	// atLeast is the fake time it must have taken at least (e.g. the soak).
	atLeast time.Duration
	// instant: decided on the first observation, without a sleep.
	instant bool
}

func check(t *testing.T, c *cluster, r *Result, want expect) {
	t.Helper()
	require.NotNil(t, r)
	assert.Equal(t, want.outcome, r.Outcome, "summary: %s\nlog:\n%s", r.Summary, strings.Join(r.Log, "\n"))
	for _, s := range want.contains {
		assert.Contains(t, r.Summary, s)
	}
	if want.kind == "" {
		assert.Nil(t, r.Failure)
	} else if assert.NotNil(t, r.Failure, r.Summary) {
		assert.Equal(t, want.kind, r.Failure.Kind)
		assert.Equal(t, want.name, r.Failure.Name)
		assert.Equal(t, want.container, r.Failure.Container)
		assert.Equal(t, want.reason, r.Failure.Reason)
	}
	if want.within > 0 {
		assert.LessOrEqual(t, c.elapsed(), want.within, "the verifier must decide fast")
	}
	if want.instant {
		assert.Zero(t, c.clock.sleeps, "decided on the first observation")
	}
	assert.GreaterOrEqual(t, c.elapsed(), want.atLeast)
	assert.Equal(t, c.elapsed(), r.Elapsed)
}

func TestVerifySuccess(t *testing.T) {
	// An old Job of the previous release that failed must not count: it does not run the new image.
	oldJob, oldJobPod := migrationJob("user-service-migrate-6", oldImage, true)
	newJob, newJobPod := migrationJob("user-service-migrate-7", newImage, false)
	c := newCluster(t, append(done(), oldJob, oldJobPod, newJob, newJobPod)...)
	r := c.verify()
	check(t, c, r, expect{outcome: Succeeded, within: time.Minute, atLeast: time.Minute,
		contains: []string{"rollout verified", "Deployment user-service/user-service runs " + newImage + " on 2 ready pods",
			"ReplicaSet user-service-" + newHash + ", revision 5", "digest " + digestNew, "healthy for 1m0s"}})
	assert.Equal(t, 0, r.Outcome.ExitCode())
}

func TestVerifySuccessAfterFluxAndRolloutProgress(t *testing.T) {
	newPod := func(ready bool) *corev1.Pod {
		p := pod("k8m2q", newHash, newImage, createdAt(t0.Add(20*time.Second)))
		if !ready {
			notReady(t0.Add(20 * time.Second))(p)
		}
		return p
	}
	c := newCluster(t, steady()...)
	// The image automation commit arrives: the Kustomization applies generation 7, Ready=True still
	// speaks of generation 6 (the trap).
	c.at(10*time.Second, func(c *cluster) { c.set(flux(pending(7), newCommit)...) })
	// helm-controller upgrades; the Deployment gets the new image and a new pod starts.
	c.at(20*time.Second, func(c *cluster) {
		c.set(flux(upgrading(7), newCommit)...)
		c.set(rollingOut(deployment(7, newImage, 5, 1), 1, 0, 2), replicaSet(newHash, 5, newImage, 1), newPod(false))
	})
	c.at(40*time.Second, func(c *cluster) {
		c.set(rolledOut(deployment(7, newImage, 5, 1)), newPod(true))
		c.delete(pod("a1b2c", oldHash, oldImage))
		c.delete(pod("d3e4f", oldHash, oldImage))
	})
	c.at(50*time.Second, func(c *cluster) { c.set(released(7, newTag, newCommit).object()) })
	r := c.verify()
	check(t, c, r, expect{outcome: Succeeded, atLeast: 50*time.Second + time.Minute, within: 2 * time.Minute,
		contains: []string{"rollout verified", "on 1 ready pods"}})
	log := strings.Join(r.Log, "\n")
	assert.Contains(t, log, `HelmRelease flux-system/user-service has image.tag "1.4.1", not "1.4.2" yet`)
	assert.Contains(t, log, "Kustomization flux-system/services")
	assert.Contains(t, log, "helm-controller has not finished generation 7 (status.observedGeneration 6")
	assert.Contains(t, log, "Ready=Unknown Progressing")
}

// The "Ready from the previous revision" trap in all its forms: nothing here may pass as success,
// and since nothing failed either, the verifier runs into its timeout and says it cannot tell.
func TestVerifyReadyFromPreviousRevisionIsNotSuccess(t *testing.T) {
	// The Deployment already runs the new image everywhere (as if someone had set it by hand, or
	// helm-controller were mid-way), so only the Flux checks stand between the trap and success.
	workload := func() []runtime.Object {
		objs := done()
		return objs[4:]
	}
	tests := []struct {
		name    string
		flux    []runtime.Object
		message string
	}{
		{"Ready=True of generation 6, generation 7 not reconciled", flux(pending(7), newCommit),
			"helm-controller has not finished generation 7 (status.observedGeneration 6, lastAttemptedGeneration 6, Ready condition of generation 6: Ready=True UpgradeSucceeded"},
		{"the Kustomization has not applied the new tag yet", flux(released(6, oldTag, oldCommit), oldCommit),
			`has image.tag "1.4.1", not "1.4.2" yet: Flux has not applied the commit with the new tag (Kustomization flux-system/services: Ready=True`},
		{"Ready stamped with the new generation while the upgrade runs", flux(upgrading(7), newCommit),
			"Ready=Unknown Progressing: Running 'upgrade' action"},
		{"status.observedGeneration current but the Ready condition is older", func() []runtime.Object {
			r := released(7, newTag, newCommit)
			r.readyGen = 6
			return flux(r, newCommit)
		}(), "Ready condition of generation 6"},
		{"the chart was built from an older commit than the source's", func() []runtime.Object {
			r := released(7, newTag, oldCommit)
			return flux(r, newCommit)
		}(), "was not built from the GitRepository's current revision main@sha1:" + newCommit},
		{"the newest release is not the last attempt", func() []runtime.Object {
			r := released(7, newTag, newCommit)
			r.appliedTag = oldTag
			return flux(r, newCommit)
		}(), "the newest Helm release (v5) has values sha256:values-1.4.1, the last attempt sha256:values-1.4.2"},
		{"the newest release is still pending", func() []runtime.Object {
			r := released(7, newTag, newCommit)
			r.historyStatus = "pending-upgrade"
			return flux(r, newCommit)
		}(), `the newest Helm release (v5) is "pending-upgrade", not deployed`},
		{"no HelmRelease", nil, "HelmRelease not found yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, append(tt.flux, workload()...)...)
			r := c.verify(func(o *Options) { o.Timeout = 3 * time.Minute })
			check(t, c, r, expect{outcome: Unknown, atLeast: 3 * time.Minute, within: 3 * time.Minute,
				contains: []string{"could not tell: timed out after 3m0s (-timeout 3m0s) while ", tt.message}})
			assert.Equal(t, 2, r.Outcome.ExitCode())
		})
	}
}

func TestVerifyPodFailuresFailFast(t *testing.T) {
	newPod := func(mods ...func(*corev1.Pod)) *corev1.Pod { return pod("k8m2q", newHash, newImage, mods...) }
	podName := "user-service-" + newHash + "-k8m2q"
	tests := []struct {
		name     string
		pod      *corev1.Pod
		reason   string
		contains []string
	}{
		{"CrashLoopBackOff", newPod(waitingFor("CrashLoopBackOff", "back-off 40s restarting failed container=user-service"), crashed(3, "Error", 1)),
			"CrashLoopBackOff", []string{"back-off 40s restarting failed container", "3 restarts", "last terminated: Error, exit code 1"}},
		{"ImagePullBackOff", newPod(waitingFor("ImagePullBackOff", `Back-off pulling image "`+newImage+`"`)),
			"ImagePullBackOff", []string{`Back-off pulling image "` + newImage + `"`}},
		{"ErrImagePull", newPod(waitingFor("ErrImagePull", "failed to pull and unpack image: 401 Unauthorized")),
			"ErrImagePull", []string{"401 Unauthorized"}},
		{"CreateContainerConfigError", newPod(waitingFor("CreateContainerConfigError", `secret "user-service" not found`)),
			"CreateContainerConfigError", []string{`secret "user-service" not found`}},
		{"OOMKilled, now in CrashLoopBackOff", newPod(waitingFor("CrashLoopBackOff", "back-off 20s"), crashed(2, "OOMKilled", 137)),
			"OOMKilled", []string{"ran out of memory (exit code 137, 2 restarts)", "now CrashLoopBackOff", "resources.limits.memory"}},
		{"OOMKilled, restarted and running again", newPod(crashed(1, "OOMKilled", 137)),
			"OOMKilled", []string{"ran out of memory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, upgradingWith(tt.pod)...)
			r := c.verify()
			check(t, c, r, expect{outcome: Failed, kind: "Pod", name: podName, container: svc, reason: tt.reason, instant: true,
				contains: append([]string{"rollout FAILED: Pod user-service/" + podName + " container user-service: " + tt.reason}, tt.contains...)})
			assert.Equal(t, []string{podName}, r.Failure.Pods)
			assert.Equal(t, 1, r.Outcome.ExitCode())
		})
	}
}

// A readiness that never comes is a rollout failure (exit 1) once a new pod has been unready for
// -ready-timeout, or the deployment controller's progress deadline passed; a -timeout that ends
// first is "could not tell" (exit 2), saying what was pending.
func TestVerifyReadinessNeverComes(t *testing.T) {
	podName := "user-service-" + newHash + "-k8m2q"
	unready := func() *corev1.Pod {
		return pod("k8m2q", newHash, newImage, createdAt(t0), notReady(t0))
	}
	probe := event("Pod", podName, "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", t0.Add(90*time.Second), ns)

	t.Run("ready-timeout passes: failed, naming the pod and the probe", func(t *testing.T) {
		c := newCluster(t, append(upgradingWith(unready()), probe)...)
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Pod", name: podName, container: svc, reason: "NotReady", within: 2 * time.Minute, atLeast: 2 * time.Minute,
			contains: []string{"not ready for 2m0s (limit -ready-timeout 2m0s)", "container user-service running but not ready",
				"last warning event: Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503"}})
	})
	t.Run("timeout first: could not tell, saying what was pending", func(t *testing.T) {
		c := newCluster(t, upgradingWith(unready())...)
		r := c.verify(func(o *Options) { o.Timeout, o.ReadyTimeout = time.Minute, 5*time.Minute })
		check(t, c, r, expect{outcome: Unknown, within: time.Minute, atLeast: time.Minute,
			contains: []string{"could not tell: timed out after 1m0s", "while Deployment user-service/user-service: 1 of 2 replicas updated", "Ready=Unknown Progressing"}})
	})
	t.Run("progress deadline exceeded: failed, naming the unready pod", func(t *testing.T) {
		objs := upgradingWith(unready())
		d := rollingOut(deployment(7, newImage, 5, 2), 1, 0, 2)
		d.Status.Conditions = []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse,
			Reason: "ProgressDeadlineExceeded", Message: `ReplicaSet "user-service-7d9c4f6b8" has timed out progressing.`}}
		c := newCluster(t, append(objs, d)...)
		r := c.verify(func(o *Options) { o.ReadyTimeout = 10 * time.Minute })
		check(t, c, r, expect{outcome: Failed, kind: "Deployment", name: svc, reason: "ProgressDeadlineExceeded", instant: true,
			contains: []string{"has timed out progressing", "pods not ready: " + podName + " (phase Running"}})
		assert.Equal(t, []string{podName}, r.Failure.Pods)
	})
	t.Run("unschedulable pod fails as NotReady with the scheduler's reason", func(t *testing.T) {
		p := pod("k8m2q", newHash, newImage, createdAt(t0))
		p.Status = corevPending("0/3 nodes are available: 3 Insufficient cpu.")
		c := newCluster(t, upgradingWith(p)...)
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Pod", name: podName, reason: "NotReady", within: 2 * time.Minute,
			contains: []string{"not scheduled: Unschedulable; 0/3 nodes are available: 3 Insufficient cpu."}})
	})
}

func corevPending(msg string) corev1.PodStatus {
	return corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{
		{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: msg}}}
}

// A pod that became ready and then crash-loops: the rollout looked complete, the soak catches it.
func TestVerifyCrashLoopAfterReady(t *testing.T) {
	podName := "user-service-" + newHash + "-p4r6t"
	t.Run("restarts rise during the soak", func(t *testing.T) {
		c := newCluster(t, done()...)
		// 30 s into the soak the container exits and is restarted at once: still Running, ready again.
		c.at(30*time.Second, func(c *cluster) { c.set(pod("p4r6t", newHash, newImage, crashed(1, "Error", 1))) })
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Pod", name: podName, container: svc, reason: "RestartsDuringSoak", within: 30 * time.Second, atLeast: 30 * time.Second,
			contains: []string{"restarted 1 times after the rollout completed (restarts 0 -> 1 within the 1m0s soak)", "last terminated: Error, exit code 1"}})
	})
	t.Run("restarts counted before completion are the baseline", func(t *testing.T) {
		objs := done()
		// The pod crashed once during its start, then came up: not a failure by itself.
		objs[len(objs)-1] = pod("p4r6t", newHash, newImage, crashed(1, "Error", 1))
		c := newCluster(t, objs...)
		c.at(20*time.Second, func(c *cluster) { c.set(pod("p4r6t", newHash, newImage, crashed(2, "Error", 1))) })
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Pod", name: podName, container: svc, reason: "RestartsDuringSoak", within: 20 * time.Second,
			contains: []string{"restarts 1 -> 2"}})
	})
	t.Run("one restart before completion and none after: success", func(t *testing.T) {
		objs := done()
		objs[len(objs)-1] = pod("p4r6t", newHash, newImage, crashed(1, "Error", 1))
		c := newCluster(t, objs...)
		check(t, c, c.verify(), expect{outcome: Succeeded, atLeast: time.Minute})
	})
	t.Run("CrashLoopBackOff during the soak", func(t *testing.T) {
		c := newCluster(t, done()...)
		c.at(45*time.Second, func(c *cluster) {
			c.set(pod("p4r6t", newHash, newImage, waitingFor("CrashLoopBackOff", "back-off 10s"), crashed(1, "Error", 1)))
		})
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Pod", name: podName, container: svc, reason: "CrashLoopBackOff", within: 45 * time.Second, atLeast: 45 * time.Second})
	})
}

func TestVerifyMigrationJob(t *testing.T) {
	t.Run("a failed Job of this revision fails the rollout before the Deployment changes", func(t *testing.T) {
		job, jobPod := migrationJob("user-service-migrate-7", newImage, true)
		c := newCluster(t, append(flux(upgrading(7), newCommit)[:], append(steady()[4:], job, jobPod)...)...)
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Job", name: "user-service-migrate-7", container: "migrate", reason: "BackoffLimitExceeded", instant: true,
			contains: []string{"the migration Job failed: Job has reached the specified backoff limit", "pod user-service-migrate-7-x7k2p container migrate exited with code 2 (Error)"}})
		assert.Equal(t, []string{"user-service-migrate-7-x7k2p"}, r.Failure.Pods)
	})
	t.Run("a Job pod that cannot pull its image fails at once", func(t *testing.T) {
		job, jobPod := migrationJob("user-service-migrate-7", newImage, false)
		job.Status = batchv1JobStatusActive()
		jobPod.Status = corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{{Name: "migrate",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: "Back-off pulling image"}}}}}
		c := newCluster(t, append(flux(upgrading(7), newCommit), append(steady()[4:], job, jobPod)...)...)
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Job", name: "user-service-migrate-7", container: "migrate", reason: "ImagePullBackOff",
			contains: []string{"pod user-service-migrate-7-x7k2p of the migration Job cannot start"}})
	})
	t.Run("a Job of another service is not looked at", func(t *testing.T) {
		job, jobPod := migrationJob("billing-migrate-7", newImage, true)
		job.Labels[InstanceLabel] = "billing"
		c := newCluster(t, append(done(), job, jobPod)...)
		check(t, c, c.verify(), expect{outcome: Succeeded})
	})
}

func TestVerifyFluxGaveUp(t *testing.T) {
	t.Run("Stalled after the upgrade failed and was rolled back", func(t *testing.T) {
		r := released(6, oldTag, oldCommit)
		r.gen, r.tag, r.attempted, r.readyGen, r.attemptedTag = 7, newTag, 7, 7, newTag
		r.ready, r.reason, r.message = "False", "RollbackSucceeded", "Helm rollback to previous release user-service/user-service.v4 succeeded"
		r.stalled = true
		c := newCluster(t, append(flux(r, newCommit), steady()[4:]...)...)
		res := c.verify()
		check(t, c, res, expect{outcome: Failed, kind: "HelmRelease", name: svc, reason: "RetriesExceeded", instant: true,
			contains: []string{"Flux gave up on generation 7: Failed to upgrade after 1 attempt(s)", "Ready=False RollbackSucceeded"}})
	})
	t.Run("UpgradeFailed with no retry left, pods not ready", func(t *testing.T) {
		r := upgrading(7)
		r.reconciling = false
		r.ready, r.reason, r.message = "False", "UpgradeFailed", "Helm upgrade failed: context deadline exceeded"
		unready := pod("k8m2q", newHash, newImage, createdAt(t0), notReady(t0))
		objs := append(flux(r, newCommit), upgradingWith(unready)[4:]...)
		c := newCluster(t, objs...)
		res := c.verify()
		check(t, c, res, expect{outcome: Failed, kind: "HelmRelease", name: svc, reason: "UpgradeFailed", instant: true,
			contains: []string{"the Helm release of generation 7 failed: Helm upgrade failed: context deadline exceeded", "pod user-service-" + newHash + "-k8m2q: phase Running"}})
	})
	t.Run("UpgradeFailed while a retry is announced: keep waiting", func(t *testing.T) {
		r := upgrading(7)
		r.ready, r.reason, r.message = "False", "UpgradeFailed", "Helm upgrade failed"
		c := newCluster(t, append(flux(r, newCommit), steady()[4:]...)...)
		c.at(30*time.Second, func(c *cluster) { c.set(done()...) })
		check(t, c, c.verify(), expect{outcome: Succeeded, atLeast: 90 * time.Second})
	})
}

func TestVerifyImage(t *testing.T) {
	t.Run("Flux released the tag but the Deployment runs another registry", func(t *testing.T) {
		objs := done()
		objs[4] = rolledOut(deployment(7, "otheracr.azurecr.io/user-service:"+newTag, 5, 2))
		c := newCluster(t, objs...)
		r := c.verify()
		check(t, c, r, expect{outcome: Failed, kind: "Deployment", name: svc, container: svc, reason: "ImageMismatch", instant: true,
			contains: []string{`has image "otheracr.azurecr.io/user-service:1.4.2", want "` + newImage + `"`}})
	})
	t.Run("by digest: the pods run it", func(t *testing.T) {
		c := newCluster(t, digestRelease(digestNew)...)
		check(t, c, c.verify(func(o *Options) { o.Image = mustImage(t, newImage+"@"+digestNew) }), expect{outcome: Succeeded})
	})
	t.Run("by digest: a pod runs another digest", func(t *testing.T) {
		c := newCluster(t, digestRelease(digestOld)...)
		r := c.verify(func(o *Options) { o.Image = mustImage(t, newImage+"@"+digestNew) })
		check(t, c, r, expect{outcome: Failed, kind: "Pod", name: "user-service-" + newHash + "-k8m2q", container: svc, reason: "DigestMismatch",
			contains: []string{"want digest " + digestNew}})
	})
	t.Run("the HelmRelease releases into another namespace: could not tell at once", func(t *testing.T) {
		r := released(7, newTag, newCommit)
		r.targetNamespace = "billing"
		c := newCluster(t, append(flux(r, newCommit), done()[4:]...)...)
		check(t, c, c.verify(), expect{outcome: Unknown, instant: true,
			contains: []string{`releases into namespace "billing", not -namespace "user-service"`}})
	})
}

// digestRelease is done() with the image given by digest, the pods reporting runDigest.
func digestRelease(runDigest string) []runtime.Object {
	ref := newImage + "@" + digestNew
	r := released(7, newTag, newCommit).object()
	values := r.Object["spec"].(map[string]any)["values"].(map[string]any)["image"].(map[string]any)
	values["digest"] = digestNew
	objs := []runtime.Object{r, gitRepository(newCommit), helmChart(newCommit), kustomization(newCommit),
		rolledOut(deployment(7, ref, 5, 2)), replicaSet(newHash, 5, ref, 2)}
	for _, s := range []string{"k8m2q", "p4r6t"} {
		p := pod(s, newHash, ref)
		p.Status.ContainerStatuses[0].ImageID = registry + "/user-service@" + runDigest
		objs = append(objs, p)
	}
	return objs
}

func mustImage(t *testing.T, ref string) Image {
	img, err := ParseImage(ref)
	require.NoError(t, err)
	return img
}

func TestVerifyAPIErrors(t *testing.T) {
	refuse := func(err error) func(*cluster) {
		return func(c *cluster) {
			c.fake.PrependReactor("*", "*", func(k8stesting.Action) (bool, runtime.Object, error) { return true, nil, err })
			c.dyn.PrependReactor("*", "*", func(k8stesting.Action) (bool, runtime.Object, error) { return true, nil, err })
		}
	}
	unreachable := errors.New(`Get "https://aks-dev.hcp.westeurope.azmk8s.io:443/apis/apps/v1": dial tcp 10.0.0.4:443: connect: connection refused`)
	t.Run("unreachable for longer than -api-grace: could not tell", func(t *testing.T) {
		c := newCluster(t, done()...)
		refuse(unreachable)(c)
		r := c.verify()
		check(t, c, r, expect{outcome: Unknown, within: 30 * time.Second, atLeast: 30 * time.Second,
			contains: []string{"could not tell: the Kubernetes API failed for 30s", "connection refused"}})
		assert.Nil(t, r.Last)
	})
	t.Run("a short outage is retried", func(t *testing.T) {
		c := newCluster(t, done()...)
		fails := 0
		flaky := func(k8stesting.Action) (bool, runtime.Object, error) {
			if fails < 3 {
				fails++
				return true, nil, unreachable
			}
			return false, nil, nil
		}
		c.dyn.PrependReactor("get", "helmreleases", flaky)
		r := c.verify()
		check(t, c, r, expect{outcome: Succeeded})
		assert.Contains(t, strings.Join(r.Log, "\n"), "API error, retrying for up to 30s")
	})
	t.Run("forbidden: could not tell at once", func(t *testing.T) {
		c := newCluster(t, done()...)
		refuse(apierrors.NewForbidden(schema.GroupResource{Group: "helm.toolkit.fluxcd.io", Resource: "helmreleases"}, svc, errors.New("no RBAC")))(c)
		r := c.verify()
		check(t, c, r, expect{outcome: Unknown, instant: true, contains: []string{"could not tell: the API refused the request: get helmreleases flux-system/user-service", "forbidden"}})
	})
	t.Run("an outage after progress keeps the last observation for the diagnostics", func(t *testing.T) {
		c := newCluster(t, upgradingWith()...)
		c.at(10*time.Second, refuse(unreachable))
		r := c.verify()
		check(t, c, r, expect{outcome: Unknown, contains: []string{"the Kubernetes API failed for 30s"}})
		require.NotNil(t, r.Last)
		assert.Equal(t, svc, r.Last.Deployment.Name)
	})
}

func TestVerifySoakZeroEndsAtCompletion(t *testing.T) {
	c := newCluster(t, done()...)
	check(t, c, c.verify(func(o *Options) { o.Soak = 0 }), expect{outcome: Succeeded, instant: true})
}

func TestVerifyNeverSleepsPastTheTimeout(t *testing.T) {
	c := newCluster(t, steady()...)
	r := c.verify(func(o *Options) { o.Timeout, o.Interval = 7*time.Second, 5*time.Second })
	check(t, c, r, expect{outcome: Unknown, within: 7 * time.Second, atLeast: 7 * time.Second, contains: []string{"timed out after 7s"}})
	assert.Equal(t, 2, c.clock.sleeps, "a 5 s sleep, then the 2 s left")
}
