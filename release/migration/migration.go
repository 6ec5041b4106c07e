// Package migration runs the revert of a service's database migration when its rollout failed:
// the revert Job the release rendered for its own image (the chart's ConfigMap
// <service>-migration-revert, key job.yaml), created in the service's namespace, waited for, and
// its pods' status and logs kept as diagnostics. It runs before the previous tag goes back into
// Git, with the image that failed, because only that image knows what its migration changed.
package migration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	batchclient "k8s.io/client-go/kubernetes/typed/batch/v1"
	coreclient "k8s.io/client-go/kubernetes/typed/core/v1"
	"sigs.k8s.io/yaml"
)

// Outcome says what the revert did; its exit code follows cmd/rollout's convention.
type Outcome int

const (
	// Reverted: the revert Job completed.
	Reverted Outcome = iota
	// NothingToRevert: the service has no migration, no revert, or its migration of the failed
	// image never completed.
	NothingToRevert
	// Failed: the revert Job failed.
	Failed
	// Unknown: the state could not be read, the wait timed out, or it is not safe to decide.
	Unknown
)

func (o Outcome) String() string {
	return [...]string{"reverted", "nothing to revert", "revert failed", "could not tell"}[o]
}

// ExitCode is 0 for Reverted and NothingToRevert, 1 for Failed, 2 for Unknown.
func (o Outcome) ExitCode() int {
	return [...]int{0, 0, 1, 2}[o]
}

// Clients are the typed clients the revert needs: core/v1 (ConfigMaps, pods and their logs) and
// batch/v1 (Jobs).
type Clients struct {
	Core  coreclient.CoreV1Interface
	Batch batchclient.BatchV1Interface
}

// Options name the revert.
type Options struct {
	// Service is the release name. Required.
	Service string
	// Namespace is the service's namespace. Required.
	Namespace string
	// Image is the image whose rollout failed, registry/repository:tag. Required: the revert
	// runs only if the release's revert Job carries exactly this image.
	Image string
	// ToTag is the tag being restored, handed to the revert as MIGRATION_TO_TAG.
	ToTag string
	// Timeout bounds the whole revert. Default 15 minutes.
	Timeout time.Duration
	// Poll is the interval between status reads. Default 5 seconds.
	Poll time.Duration
	// Diagnostics is the directory the Job's and its pods' state and logs are written to.
	// Default "": none.
	Diagnostics string
}

// JobName is the migration Job's name as the chart derives it (templates/_pod.tpl,
// microservice.migrationName): the release name cut to 46 characters, then -migration.
func JobName(service string) string {
	if len(service) > 46 {
		service = service[:46]
	}
	return strings.TrimSuffix(service, "-") + "-migration"
}

// RevertName is the revert Job's name and its ConfigMap's.
func RevertName(service string) string { return JobName(service) + "-revert" }

// Result is the outcome with its reason.
type Result struct {
	Outcome Outcome
	Reason  string
}

// Revert runs the revert of the migration of o.Image and reports what happened. It never
// returns an error: every problem is an outcome (Unknown when the API could not be read).
func Revert(ctx context.Context, c Clients, o Options, log io.Writer) Result {
	if o.Timeout == 0 {
		o.Timeout = 15 * time.Minute
	}
	if o.Poll == 0 {
		o.Poll = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	r := reverter{c: c, o: o, log: log}
	res := r.run(ctx)
	if o.Diagnostics != "" && res.Outcome != NothingToRevert {
		if err := r.diagnostics(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintf(log, "diagnostics: %v\n", err)
		}
	}
	return res
}

type reverter struct {
	c   Clients
	o   Options
	log io.Writer
}

func (r reverter) run(ctx context.Context) Result {
	o := r.o
	cm, err := r.c.Core.ConfigMaps(o.Namespace).Get(ctx, RevertName(o.Service), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return r.withoutRevert(ctx)
	}
	if err != nil {
		return Result{Unknown, fmt.Sprintf("reading ConfigMap %s/%s: %v", o.Namespace, RevertName(o.Service), err)}
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict([]byte(cm.Data["job.yaml"]), &job); err != nil {
		return Result{Unknown, fmt.Sprintf("ConfigMap %s/%s: job.yaml is not a Job: %v", o.Namespace, cm.Name, err)}
	}
	if job.Kind != "Job" || job.Name != RevertName(o.Service) || len(job.Spec.Template.Spec.Containers) != 1 {
		return Result{Unknown, fmt.Sprintf("ConfigMap %s/%s: job.yaml is not the chart's revert Job %s", o.Namespace, cm.Name, RevertName(o.Service))}
	}
	if img := job.Spec.Template.Spec.Containers[0].Image; img != o.Image {
		// The release never got past the migration of the failed image (the upgrade stops at a
		// failed hook, so the ConfigMap is still the previous release's), unless that migration
		// completed: then the failed image changed the schema, and its revert is not at hand.
		hook, err := r.c.Batch.Jobs(o.Namespace).Get(ctx, JobName(o.Service), metav1.GetOptions{})
		if err == nil && hookImage(hook) == o.Image && finished(hook) == batchv1.JobComplete {
			return Result{Unknown, fmt.Sprintf("the migration of %s completed, but the release's revert Job is of %s (the upgrade stopped after the migration): revert by hand, see the diagnostics", o.Image, img)}
		}
		if err != nil && !apierrors.IsNotFound(err) {
			return Result{Unknown, fmt.Sprintf("reading Job %s/%s: %v", o.Namespace, JobName(o.Service), err)}
		}
		return Result{NothingToRevert, fmt.Sprintf("the migration of %s did not complete (the release still holds the revert of %s): nothing to revert", o.Image, img)}
	}

	// A fresh object: the rendered Job plus what this revert knows.
	job.ObjectMeta = metav1.ObjectMeta{
		Name: job.Name, Namespace: o.Namespace, Labels: job.Labels,
		Annotations: map[string]string{"platform.delivery/reverts": o.Image},
	}
	job.Namespace = o.Namespace
	c := &job.Spec.Template.Spec.Containers[0]
	c.Env = append(c.Env, corev1.EnvVar{Name: "MIGRATION_FROM_TAG", Value: tagOf(o.Image)}, corev1.EnvVar{Name: "MIGRATION_TO_TAG", Value: o.ToTag})

	jobs := r.c.Batch.Jobs(o.Namespace)
	if err := r.removeEarlier(ctx, jobs, job.Name); err != nil {
		return Result{Unknown, err.Error()}
	}
	if _, err := jobs.Create(ctx, &job, metav1.CreateOptions{}); err != nil {
		return Result{Unknown, fmt.Sprintf("creating Job %s/%s: %v", o.Namespace, job.Name, err)}
	}
	fmt.Fprintf(r.log, "revert-migration: Job %s/%s created with %s; waiting for it\n", o.Namespace, job.Name, o.Image)
	for {
		got, err := jobs.Get(ctx, job.Name, metav1.GetOptions{})
		switch {
		case err == nil:
			switch finished(got) {
			case batchv1.JobComplete:
				return Result{Reverted, fmt.Sprintf("the migration of %s is reverted (Job %s/%s completed)", o.Image, o.Namespace, job.Name)}
			case batchv1.JobFailed:
				return Result{Failed, fmt.Sprintf("the revert Job %s/%s failed: %s", o.Namespace, job.Name, failure(got))}
			}
		case ctx.Err() != nil:
		default:
			fmt.Fprintf(r.log, "revert-migration: reading Job %s: %v (retrying)\n", job.Name, err)
		}
		select {
		case <-ctx.Done():
			return Result{Unknown, fmt.Sprintf("the revert Job %s/%s did not finish within %s", o.Namespace, job.Name, o.Timeout)}
		case <-time.After(o.Poll):
		}
	}
}

// withoutRevert explains why there is no revert ConfigMap.
func (r reverter) withoutRevert(ctx context.Context) Result {
	o := r.o
	hook, err := r.c.Batch.Jobs(o.Namespace).Get(ctx, JobName(o.Service), metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return Result{NothingToRevert, o.Service + " has no migration (no migration Job, no revert ConfigMap): nothing to revert"}
	case err != nil:
		return Result{Unknown, fmt.Sprintf("reading Job %s/%s: %v", o.Namespace, JobName(o.Service), err)}
	case hookImage(hook) == o.Image && finished(hook) == batchv1.JobComplete:
		return Result{NothingToRevert, fmt.Sprintf("the migration of %s ran, but %s has no migration.revertCommand: its schema change stays, and the previous tag must work with it", o.Image, o.Service)}
	}
	return Result{NothingToRevert, fmt.Sprintf("the migration of %s did not complete: nothing to revert", o.Image)}
}

// removeEarlier deletes a revert Job of an earlier failure and waits until it is gone.
func (r reverter) removeEarlier(ctx context.Context, jobs batchclient.JobInterface, name string) error {
	background := metav1.DeletePropagationBackground
	err := jobs.Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &background})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting the earlier Job %s/%s: %v", r.o.Namespace, name, err)
	}
	for {
		if _, err := jobs.Get(ctx, name, metav1.GetOptions{}); apierrors.IsNotFound(err) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the earlier Job %s/%s is still there after %s", r.o.Namespace, name, r.o.Timeout)
		case <-time.After(r.o.Poll):
		}
	}
}

func hookImage(j *batchv1.Job) string {
	if len(j.Spec.Template.Spec.Containers) == 0 {
		return ""
	}
	return j.Spec.Template.Spec.Containers[0].Image
}

// finished returns JobComplete or JobFailed when the Job has that condition, else "".
func finished(j *batchv1.Job) batchv1.JobConditionType {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.Type
		}
	}
	return ""
}

func failure(j *batchv1.Job) string {
	for _, c := range j.Status.Conditions {
		if c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue {
			return strings.TrimSpace(c.Reason + ": " + c.Message)
		}
	}
	return "failed"
}

func tagOf(image string) string {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[i+1:]
	}
	return ""
}

// diagnostics writes the revert Job, its pods and their logs to <dir>/<revert name>/.
func (r reverter) diagnostics(ctx context.Context) error {
	o := r.o
	dir := filepath.Join(o.Diagnostics, RevertName(o.Service))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var errs []error
	write := func(name string, v any) {
		b, err := yaml.Marshal(v)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
		errs = append(errs, err)
	}
	for _, name := range []string{RevertName(o.Service), JobName(o.Service)} {
		if j, err := r.c.Batch.Jobs(o.Namespace).Get(ctx, name, metav1.GetOptions{}); err == nil {
			write("job-"+name+".yaml", j)
		}
		pods, err := r.c.Core.Pods(o.Namespace).List(ctx, metav1.ListOptions{LabelSelector: "batch.kubernetes.io/job-name=" + name})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, p := range pods.Items {
			write("pod-"+p.Name+".yaml", p.Status)
			for _, c := range p.Spec.Containers {
				logs, err := r.c.Core.Pods(o.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{Container: c.Name}).DoRaw(ctx)
				if err != nil {
					logs = []byte("logs unavailable: " + err.Error() + "\n")
				}
				errs = append(errs, os.WriteFile(filepath.Join(dir, p.Name+"-"+c.Name+".log"), logs, 0o644))
			}
		}
	}
	return errors.Join(errs...)
}
