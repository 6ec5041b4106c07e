package migration

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	fakebatch "k8s.io/client-go/kubernetes/typed/batch/v1/fake"
	fakecore "k8s.io/client-go/kubernetes/typed/core/v1/fake"
	k8stesting "k8s.io/client-go/testing"
	"sigs.k8s.io/yaml"
)

const (
	ns       = "users"
	newImage = "crsaasdevweu.azurecr.io/user-service:1.4.0"
	oldImage = "crsaasdevweu.azurecr.io/user-service:1.3.0"
)

// cluster is a fake API server holding the given objects, with the typed clients over it.
func cluster(t *testing.T, objs ...runtime.Object) (Clients, *k8stesting.Fake) {
	t.Helper()
	scheme := runtime.NewScheme()
	require.NoError(t, corev1.AddToScheme(scheme))
	require.NoError(t, batchv1.AddToScheme(scheme))
	tracker := k8stesting.NewObjectTracker(scheme, serializer.NewCodecFactory(scheme).UniversalDecoder())
	for _, o := range objs {
		require.NoError(t, tracker.Add(o))
	}
	fake := &k8stesting.Fake{}
	fake.AddReactor("*", "*", k8stesting.ObjectReaction(tracker))
	// Pod logs are a subresource the tracker does not serve.
	fake.PrependReactor("get", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if a.GetSubresource() != "log" {
			return false, nil, nil
		}
		return true, &runtime.Unknown{Raw: []byte("reverting 0042_add_plan\n")}, nil
	})
	return Clients{Core: &fakecore.FakeCoreV1{Fake: fake}, Batch: &fakebatch.FakeBatchV1{Fake: fake}}, fake
}

// revertConfigMap is the chart's ConfigMap for the image (the shape templates/migration.yaml renders).
func revertConfigMap(t *testing.T, image string) *corev1.ConfigMap {
	t.Helper()
	job := batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: "user-service-migration-revert", Namespace: ns, Labels: map[string]string{"app.kubernetes.io/component": "migration"}},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy:      corev1.RestartPolicyNever,
			ServiceAccountName: "user-service",
			Containers:         []corev1.Container{{Name: "migration-revert", Image: image, Command: []string{"node", "dist/migrate.js"}, Args: []string{"down"}}},
		}}},
	}
	b, err := yaml.Marshal(job)
	require.NoError(t, err)
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "user-service-migration-revert", Namespace: ns}, Data: map[string]string{"job.yaml": string(b)}}
}

func hookJob(name, image string, cond batchv1.JobConditionType) *batchv1.Job {
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec:       batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "migration", Image: image}}}}},
		Status:     batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit"}}},
	}
}

// finishOnCreate makes every created Job finish at once with the condition (the Job controller's
// part), and records the Job.
func finishOnCreate(fake *k8stesting.Fake, cond batchv1.JobConditionType, created **batchv1.Job) {
	fake.PrependReactor("create", "jobs", func(a k8stesting.Action) (bool, runtime.Object, error) {
		j := a.(k8stesting.CreateAction).GetObject().(*batchv1.Job)
		*created = j.DeepCopy()
		if cond != "" {
			j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit"}}
		}
		return false, nil, nil
	})
}

func testOptions(dir string) Options {
	return Options{Service: "user-service", Namespace: ns, Image: newImage, ToTag: "1.3.0", Timeout: 2 * time.Second, Poll: 10 * time.Millisecond, Diagnostics: dir}
}

func TestRevertRunsTheReleasesRevertJob(t *testing.T) {
	earlier := hookJob("user-service-migration-revert", oldImage, batchv1.JobComplete)
	c, fake := cluster(t, revertConfigMap(t, newImage), earlier,
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "user-service-migration-revert-x1", Namespace: ns, Labels: map[string]string{"batch.kubernetes.io/job-name": "user-service-migration-revert"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "migration-revert"}}}})
	var created *batchv1.Job
	finishOnCreate(fake, batchv1.JobComplete, &created)
	dir := t.TempDir()
	var log bytes.Buffer
	res := Revert(context.Background(), c, testOptions(dir), &log)
	assert.Equal(t, Reverted, res.Outcome, res.Reason)
	assert.Equal(t, 0, res.Outcome.ExitCode())

	require.NotNil(t, created)
	assert.Equal(t, "user-service-migration-revert", created.Name)
	assert.Equal(t, map[string]string{"platform.delivery/reverts": newImage}, created.Annotations)
	assert.Empty(t, created.ResourceVersion)
	ctr := created.Spec.Template.Spec.Containers[0]
	assert.Equal(t, newImage, ctr.Image, "the image that knows the migration")
	assert.Equal(t, []string{"down"}, ctr.Args)
	assert.Contains(t, ctr.Env, corev1.EnvVar{Name: "MIGRATION_FROM_TAG", Value: "1.4.0"})
	assert.Contains(t, ctr.Env, corev1.EnvVar{Name: "MIGRATION_TO_TAG", Value: "1.3.0"})
	assert.Equal(t, "user-service", created.Spec.Template.Spec.ServiceAccountName)

	// The earlier revert Job was deleted first (a Job's template cannot be replaced).
	var verbs []string
	for _, a := range fake.Actions() {
		if a.GetResource().Resource == "jobs" && (a.GetVerb() == "delete" || a.GetVerb() == "create") {
			verbs = append(verbs, a.GetVerb())
		}
	}
	assert.Equal(t, []string{"delete", "create"}, verbs)

	logs, err := os.ReadFile(filepath.Join(dir, "user-service-migration-revert", "user-service-migration-revert-x1-migration-revert.log"))
	require.NoError(t, err)
	assert.Equal(t, "reverting 0042_add_plan\n", string(logs))
	_, err = os.Stat(filepath.Join(dir, "user-service-migration-revert", "job-user-service-migration-revert.yaml"))
	assert.NoError(t, err)
}

func TestRevertOutcomes(t *testing.T) {
	for _, tt := range []struct {
		name    string
		objs    func(t *testing.T) []runtime.Object
		finish  batchv1.JobConditionType
		want    Outcome
		reason  string
		created bool
	}{
		{"the revert fails", func(t *testing.T) []runtime.Object { return []runtime.Object{revertConfigMap(t, newImage)} },
			batchv1.JobFailed, Failed, "BackoffLimitExceeded: Job has reached the specified backoff limit", true},
		{"the revert never finishes", func(t *testing.T) []runtime.Object { return []runtime.Object{revertConfigMap(t, newImage)} },
			"", Unknown, "did not finish within 2s", true},
		{"no migration at all", func(t *testing.T) []runtime.Object { return nil },
			"", NothingToRevert, "has no migration", false},
		{"a migration without revert", func(t *testing.T) []runtime.Object {
			return []runtime.Object{hookJob("user-service-migration", newImage, batchv1.JobComplete)}
		}, "", NothingToRevert, "has no migration.revertCommand: its schema change stays", false},
		{"the migration of the failed image failed", func(t *testing.T) []runtime.Object {
			return []runtime.Object{revertConfigMap(t, oldImage), hookJob("user-service-migration", newImage, batchv1.JobFailed)}
		}, "", NothingToRevert, "did not complete (the release still holds the revert of " + oldImage + ")", false},
		{"the migration completed but the release stayed at the old revert", func(t *testing.T) []runtime.Object {
			return []runtime.Object{revertConfigMap(t, oldImage), hookJob("user-service-migration", newImage, batchv1.JobComplete)}
		}, "", Unknown, "revert by hand", false},
		{"job.yaml is no Job", func(t *testing.T) []runtime.Object {
			cm := revertConfigMap(t, newImage)
			cm.Data["job.yaml"] = "kind: Job\nspec:\n  unknownField: 1\n"
			return []runtime.Object{cm}
		}, "", Unknown, "job.yaml is not a Job", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := cluster(t, tt.objs(t)...)
			var created *batchv1.Job
			finishOnCreate(fake, tt.finish, &created)
			res := Revert(context.Background(), c, testOptions(t.TempDir()), &bytes.Buffer{})
			assert.Equal(t, tt.want, res.Outcome, res.Reason)
			assert.Contains(t, res.Reason, tt.reason)
			assert.Equal(t, tt.created, created != nil, "a revert Job was created")
		})
	}
}

func TestRevertCannotReadTheCluster(t *testing.T) {
	c, fake := cluster(t)
	fake.PrependReactor("get", "configmaps", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("connection refused")
	})
	res := Revert(context.Background(), c, testOptions(""), &bytes.Buffer{})
	assert.Equal(t, Unknown, res.Outcome)
	assert.Equal(t, 2, res.Outcome.ExitCode())
	assert.Contains(t, res.Reason, "connection refused")
}

func TestNames(t *testing.T) {
	assert.Equal(t, "user-service-migration", JobName("user-service"))
	assert.Equal(t, "user-service-migration-revert", RevertName("user-service"))
	long := strings.Repeat("a", 45) + "-bcd"
	assert.Equal(t, strings.Repeat("a", 45)+"-migration", JobName(long), "cut to 46 and the dash trimmed, as the chart does")
	assert.LessOrEqual(t, len(RevertName(strings.Repeat("x", 63))), 63)
	assert.Equal(t, "1.4.0", tagOf(newImage))
	assert.Equal(t, "", tagOf("localhost:5000/repo"))
}
