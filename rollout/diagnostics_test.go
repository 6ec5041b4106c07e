package rollout

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// files lists the files under dir, relative and with forward slashes.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	}))
	sort.Strings(out)
	return out
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

func TestDiagnosticsOfACrashLoop(t *testing.T) {
	podName := "user-service-" + newHash + "-k8m2q"
	crashing := pod("k8m2q", newHash, newImage, waitingFor("CrashLoopBackOff", "back-off 40s restarting failed container"), crashed(3, "Error", 1))
	job, jobPod := migrationJob("user-service-migrate-7", newImage, false)
	objs := append(upgradingWith(crashing), job, jobPod,
		event("Pod", podName, "Warning", "BackOff", "Back-off restarting failed container user-service", t0.Add(-5*time.Second), ns),
		event("Pod", podName, "Normal", "Pulled", "Container image \""+newImage+"\" already present on machine", t0.Add(-40*time.Second), ns),
		event("ReplicaSet", "user-service-"+newHash, "Normal", "SuccessfulCreate", "Created pod: "+podName, t0.Add(-time.Minute), ns),
		event("Pod", "billing-5c6d7-abcde", "Warning", "BackOff", "an unrelated pod", t0, ns),
		event("HelmRelease", svc, "Normal", "Progressing", "Running 'upgrade' action with timeout of 5m0s", t0.Add(-70*time.Second), "flux-system"),
		event("HelmRelease", "billing", "Normal", "Progressing", "another release", t0, "flux-system"),
	)
	c := newCluster(t, objs...)
	c.logs["user-service"] = "2026-03-02T09:59:55Z starting user-service 1.4.2\n"
	c.logs["user-service/previous"] = "2026-03-02T09:59:49Z Error: connect ECONNREFUSED 10.1.2.3:5432\n"
	r := c.verify()
	require.Equal(t, Failed, r.Outcome, r.Summary)

	dir := t.TempDir()
	require.NoError(t, WriteDiagnostics(context.Background(), c.clients, Options{Service: svc, Namespace: ns, Image: mustImage(t, newImage)}, r, dir))

	assert.Equal(t, []string{
		"deployment.txt", "events.txt",
		"flux/events.txt", "flux/gitrepository.yaml", "flux/helmchart.yaml", "flux/helmrelease.yaml", "flux/kustomization.yaml",
		"jobs.txt",
		"pods/" + podName + ".txt", "pods/" + podName + "/user-service.log", "pods/" + podName + "/user-service.previous.log",
		"replicasets.txt", "result.json", "summary.txt",
	}, files(t, dir), "the crashing pod is the only pod described; no errors.txt when everything was collected")

	summary := read(t, dir, "summary.txt")
	assert.Contains(t, summary, "rollout FAILED: Pod user-service/"+podName+" container user-service: CrashLoopBackOff")
	assert.Contains(t, summary, "outcome:      failed (exit code 1)")
	assert.Contains(t, summary, "failed object: Pod user-service/"+podName)
	assert.Contains(t, summary, "verifying user-service in namespace user-service: image "+newImage, "the progress log is kept")

	var res resultFile
	require.NoError(t, json.Unmarshal([]byte(read(t, dir, "result.json")), &res))
	assert.Equal(t, "failed", res.Outcome)
	assert.Equal(t, 1, res.ExitCode)
	assert.Equal(t, newImage, res.Image)
	assert.Equal(t, "flux-system/user-service", res.HelmRelease)
	require.NotNil(t, res.Failure)
	assert.Equal(t, failureJSON{Kind: "Pod", Namespace: ns, Name: podName, Container: svc, Reason: "CrashLoopBackOff",
		Message: r.Failure.Message, Pods: []string{podName}}, *res.Failure)

	events := read(t, dir, "events.txt")
	assert.Contains(t, events, "Warning  BackOff                   Pod/"+podName+"  Back-off restarting failed container user-service")
	assert.Contains(t, events, "ReplicaSet/user-service-"+newHash+"  Created pod: "+podName)
	assert.NotContains(t, events, "unrelated", "events are filtered to the objects involved")
	assert.Less(t, strings.Index(events, "SuccessfulCreate"), strings.Index(events, "BackOff"), "oldest first")

	fluxEvents := read(t, dir, "flux/events.txt")
	assert.Contains(t, fluxEvents, "HelmRelease/user-service  Running 'upgrade' action")
	assert.NotContains(t, fluxEvents, "another release")

	deploy := read(t, dir, "deployment.txt")
	assert.Contains(t, deploy, "Name:        user-service/user-service")
	assert.Contains(t, deploy, "Generation:  7 (observed 7)")
	assert.Contains(t, deploy, "Replicas:    2 desired, 1 updated, 3 total, 2 ready, 2 available, 1 unavailable")
	assert.Contains(t, deploy, "user-service: "+newImage)
	assert.Contains(t, deploy, "Progressing      True    ReplicaSetUpdated")

	rss := read(t, dir, "replicasets.txt")
	assert.Contains(t, rss, "Name:      user-service/user-service-"+newHash+" (new)")
	assert.Contains(t, rss, "Name:      user-service/user-service-"+oldHash+"\n")
	assert.Less(t, strings.Index(rss, newHash), strings.Index(rss, oldHash), "newest revision first")

	described := read(t, dir, "pods/"+podName+".txt")
	for _, want := range []string{
		"Name:      user-service/" + podName, "Node:      aks-system-12345-vmss000000", "Owner:     ReplicaSet/user-service-" + newHash,
		"Image:     " + newImage, "Image ID:  " + registry + "/user-service@" + digestNew,
		"State:     Waiting CrashLoopBackOff; back-off 40s restarting failed container",
		"Last:      Terminated Error, exit code 1", "Ready:     false", "Restarts:  3",
		"Events:\n", "Back-off restarting failed container user-service", "already present on machine",
	} {
		assert.Contains(t, described, want)
	}
	assert.NotContains(t, described, "unrelated")
	assert.Equal(t, c.logs["user-service"], read(t, dir, "pods/"+podName+"/user-service.log"))
	assert.Equal(t, c.logs["user-service/previous"], read(t, dir, "pods/"+podName+"/user-service.previous.log"))

	jobs := read(t, dir, "jobs.txt")
	assert.Contains(t, jobs, "Name:      user-service/user-service-migrate-7")
	assert.Contains(t, jobs, "Pods:      0 active, 1 succeeded, 0 failed")

	var hr map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(read(t, dir, "flux/helmrelease.yaml")), &hr))
	meta := hr["metadata"].(map[string]any)
	assert.NotContains(t, meta, "managedFields", "managed fields are noise")
	assert.Equal(t, "user-service", meta["name"])
	status := hr["status"].(map[string]any)
	assert.EqualValues(t, 6, status["observedGeneration"])
	assert.Contains(t, read(t, dir, "flux/gitrepository.yaml"), "revision: main@sha1:"+newCommit)
}

func TestDiagnosticsRecordWhatCouldNotBeCollected(t *testing.T) {
	t.Run("no observation at all", func(t *testing.T) {
		c := newCluster(t)
		r := &Result{Outcome: Unknown, Summary: "could not tell: the Kubernetes API failed for 1m0s: connection refused", Log: []string{"[0s] verifying"}}
		dir := t.TempDir()
		require.NoError(t, WriteDiagnostics(context.Background(), c.clients, Options{Service: svc, Namespace: ns, Image: mustImage(t, newImage)}, r, dir))
		assert.Equal(t, []string{"errors.txt", "result.json", "summary.txt"}, files(t, dir))
		assert.Contains(t, read(t, dir, "errors.txt"), "no observation of the cluster succeeded")
		assert.Contains(t, read(t, dir, "summary.txt"), "outcome:      unknown (exit code 2)")
		assert.NotContains(t, read(t, dir, "result.json"), `"failure"`)
	})
	t.Run("a previous log that does not exist, a missing Deployment", func(t *testing.T) {
		p := pod("k8m2q", newHash, newImage, crashed(1, "Error", 1), notReady(t0))
		c := newCluster(t, append(flux(upgrading(7), newCommit), replicaSet(newHash, 5, newImage, 1), p)...)
		c.logs["user-service"] = "current\n"
		r := &Result{Outcome: Unknown, Summary: "could not tell: timed out", Last: nil}
		obs, err := (&verifier{c: c.clients, opts: Options{Service: svc, Namespace: ns, Image: mustImage(t, newImage)}.withDefaults(), clock: c.clock}).observe(context.Background())
		require.NoError(t, err)
		r.Last = obs
		dir := t.TempDir()
		require.NoError(t, WriteDiagnostics(context.Background(), c.clients, Options{Service: svc, Namespace: ns, Image: mustImage(t, newImage)}, r, dir))
		errs := read(t, dir, "errors.txt")
		assert.Contains(t, errs, "Deployment user-service/user-service not found")
		assert.NotContains(t, files(t, dir), "deployment.txt")
	})
}

func TestDiagnosticsOfAFailedJob(t *testing.T) {
	job, jobPod := migrationJob("user-service-migrate-7", newImage, true)
	c := newCluster(t, append(flux(upgrading(7), newCommit), append(steady()[4:], job, jobPod)...)...)
	c.logs["migrate"] = "migration 0042_add_index failed: permission denied for table users\n"
	r := c.verify()
	require.Equal(t, Failed, r.Outcome)
	dir := t.TempDir()
	require.NoError(t, WriteDiagnostics(context.Background(), c.clients, Options{Service: svc, Namespace: ns, Image: mustImage(t, newImage)}, r, dir))
	got := files(t, dir)
	assert.Contains(t, got, "pods/user-service-migrate-7-x7k2p.txt")
	assert.Contains(t, got, "pods/user-service-migrate-7-x7k2p/migrate.log")
	assert.Equal(t, c.logs["migrate"], read(t, dir, "pods/user-service-migrate-7-x7k2p/migrate.log"))
	assert.Contains(t, read(t, dir, "jobs.txt"), "Failed           True    BackoffLimitExceeded")
	// The Deployment still runs the old release: its pods are described to show what is running.
	assert.Contains(t, got, "pods/user-service-"+oldHash+"-a1b2c.txt")
}
