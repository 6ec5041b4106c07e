package charts

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	psaapi "k8s.io/pod-security-admission/api"
	psapolicy "k8s.io/pod-security-admission/policy"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

// renderMigration renders user-service in dev with testdata/migration.yaml (and extra values)
// laid over its release values.
func renderMigration(t *testing.T, extra map[string]any) (*Rendered, service) {
	t.Helper()
	base, s := badBase(t)
	m, err := ReadValues("testdata/migration.yaml")
	require.NoError(t, err)
	values := MergeValues(MergeValues(base, m), extra)
	ch, err := Load(Dir(Microservice))
	require.NoError(t, err)
	caps, err := Capabilities("1.33")
	require.NoError(t, err)
	r, err := Render(ch, Release{Name: s.Name, Namespace: s.Namespace}, values, caps)
	require.NoError(t, err)
	return r, s
}

func hook(t *testing.T, r *Rendered, kind, name string) (string, []string, int, []string) {
	t.Helper()
	for _, h := range r.Hooks {
		if h.Kind == kind && h.Name == name {
			var events, policies []string
			for _, e := range h.Events {
				events = append(events, string(e))
			}
			for _, p := range h.DeletePolicies {
				policies = append(policies, string(p))
			}
			return h.Manifest, events, h.Weight, policies
		}
	}
	require.Failf(t, "no hook", "%s %s (hooks: %d)", kind, name, len(r.Hooks))
	return "", nil, 0, nil
}

// The migration Job as Helm runs it: a hook before every upgrade and after the first install's
// objects, with its NetworkPolicy first; the service's service account and workload identity, the
// Deployment's hardened security contexts and environment, no retry, a deadline and a TTL; pods
// that the Service and the PDB do not select; admitted by Pod Security restricted.
func TestMigration(t *testing.T) {
	r, s := renderMigration(t, nil)
	d := deployment(t, r, s.Name)
	require.Len(t, r.Hooks, 2)

	manifest, events, weight, policies := hook(t, r, "Job", "user-service-migration")
	assert.Equal(t, []string{"pre-upgrade", "post-install"}, events)
	assert.Equal(t, 0, weight)
	assert.Equal(t, []string{"before-hook-creation"}, policies, "kept after success: its logs stay until the TTL")
	var job batchv1.Job
	require.NoError(t, yaml.UnmarshalStrict([]byte(manifest), &job))
	assert.Equal(t, s.Namespace, job.Namespace)
	assert.Equal(t, map[string]string{
		"helm.sh/hook": "pre-upgrade,post-install", "helm.sh/hook-weight": "0", "helm.sh/hook-delete-policy": "before-hook-creation",
	}, job.Annotations)
	assert.Equal(t, ptr.To[int32](0), job.Spec.BackoffLimit)
	assert.Equal(t, ptr.To[int64](240), job.Spec.ActiveDeadlineSeconds)
	assert.Equal(t, ptr.To[int32](86400), job.Spec.TTLSecondsAfterFinished)

	pod := job.Spec.Template.Spec
	assert.Equal(t, corev1.RestartPolicyNever, pod.RestartPolicy)
	assert.Equal(t, s.ServiceAccount, pod.ServiceAccountName, "the service's own account: its federated credential")
	assert.Equal(t, d.Spec.Template.Spec.ServiceAccountName, pod.ServiceAccountName)
	assert.Equal(t, "true", job.Spec.Template.Labels["azure.workload.identity/use"])
	assert.Equal(t, ptr.To(false), pod.AutomountServiceAccountToken)
	assert.Equal(t, ptr.To(false), pod.EnableServiceLinks)
	assert.Equal(t, d.Spec.Template.Spec.SecurityContext, pod.SecurityContext)
	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]
	svc := d.Spec.Template.Spec.Containers[0]
	assert.Equal(t, svc.SecurityContext, c.SecurityContext)
	assert.Equal(t, ptr.To(true), c.SecurityContext.ReadOnlyRootFilesystem)
	assert.Equal(t, svc.Image, c.Image, "the release's image: the migration knows its schema")
	assert.Equal(t, []string{"node", "dist/migrate.js"}, c.Command)
	assert.Equal(t, []string{"up"}, c.Args)
	assert.Equal(t, svc.Resources, c.Resources, "the service's resources by default")
	assert.Empty(t, c.Ports)
	assert.Nil(t, c.ReadinessProbe)
	assert.Empty(t, c.EnvFrom, "the secret may not exist on the first install")
	env := envOf(c)
	for k, v := range envOf(svc) {
		assert.Equal(t, v, env[k], "the service's variable %s", k)
	}
	assert.Equal(t, "psql-saas-dev.postgres.database.azure.com", env["POSTGRES_HOST"])
	assert.Equal(t, "30s", env["MIGRATION_LOCK_TIMEOUT"])
	assert.Equal(t, []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}}, c.VolumeMounts)
	require.Len(t, pod.Volumes, 1)
	assert.Equal(t, "tmp", pod.Volumes[0].Name)
	assert.Equal(t, d.Spec.Template.Spec.Tolerations, pod.Tolerations, "dev's spot placement applies too")

	// The Service, PDB and the service's NetworkPolicy select by the selector labels, which the
	// migration pod must not carry together.
	var service corev1.Service
	require.NoError(t, r.Decode("Service", s.Name, &service))
	matches := true
	for k, v := range service.Spec.Selector {
		matches = matches && job.Spec.Template.Labels[k] == v
	}
	assert.False(t, matches, "the Service would send traffic to the migration pod")
	assert.Equal(t, "migration", job.Spec.Template.Labels["app.kubernetes.io/component"])

	evaluator, err := psapolicy.NewEvaluator(psapolicy.DefaultChecks(), nil)
	require.NoError(t, err)
	version, err := psaapi.ParseVersion("v1.33")
	require.NoError(t, err)
	res := psapolicy.AggregateCheckResults(evaluator.EvaluatePod(psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: version},
		&job.Spec.Template.ObjectMeta, &job.Spec.Template.Spec))
	assert.True(t, res.Allowed, "Pod Security restricted: %s", res.ForbiddenDetail())

	// Its NetworkPolicy is a hook that runs first and selects exactly the migration pods: no
	// ingress, the service's egress.
	manifest, events, weight, policies = hook(t, r, "NetworkPolicy", "user-service-migration")
	assert.Equal(t, []string{"pre-upgrade", "post-install"}, events)
	assert.Less(t, weight, 0, "before the Job")
	assert.Equal(t, []string{"before-hook-creation"}, policies)
	var np, svcNP networkingv1.NetworkPolicy
	require.NoError(t, yaml.UnmarshalStrict([]byte(manifest), &np))
	require.NoError(t, r.Decode("NetworkPolicy", s.Name, &svcNP))
	for k, v := range np.Spec.PodSelector.MatchLabels {
		assert.Equal(t, v, job.Spec.Template.Labels[k])
	}
	assert.Empty(t, np.Spec.Ingress)
	assert.Equal(t, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}, np.Spec.PolicyTypes)
	assert.Equal(t, svcNP.Spec.Egress, np.Spec.Egress)
	assert.NotEmpty(t, np.Spec.Egress)

	// The revert: a release ConfigMap (not a hook, never run by Helm) holding the revert Job of
	// the same image, with the revert command and no hook annotations.
	require.NotNil(t, r.Find("ConfigMap", "user-service-migration-revert"))
	var cm corev1.ConfigMap
	require.NoError(t, r.Decode("ConfigMap", "user-service-migration-revert", &cm))
	var revert batchv1.Job
	require.NoError(t, yaml.UnmarshalStrict([]byte(cm.Data["job.yaml"]), &revert))
	assert.Equal(t, "user-service-migration-revert", revert.Name)
	assert.Equal(t, s.Namespace, revert.Namespace)
	assert.Empty(t, revert.Annotations)
	rc := revert.Spec.Template.Spec.Containers[0]
	assert.Equal(t, svc.Image, rc.Image)
	assert.Equal(t, []string{"node", "dist/migrate.js"}, rc.Command)
	assert.Equal(t, []string{"down"}, rc.Args)
	assert.Equal(t, "migration-revert", rc.Name)
	// Everything else is the migration's pod.
	revert.Spec.Template.Spec.Containers[0].Command, revert.Spec.Template.Spec.Containers[0].Args = c.Command, c.Args
	revert.Spec.Template.Spec.Containers[0].Name = c.Name
	assert.Equal(t, job.Spec.Template, revert.Spec.Template)
	assert.Equal(t, job.Spec.BackoffLimit, revert.Spec.BackoffLimit)
	assert.Equal(t, job.Spec.ActiveDeadlineSeconds, revert.Spec.ActiveDeadlineSeconds)
}

// Without a revert command there is no revert ConfigMap; without migration, no hook at all; and
// the options reach the Job.
func TestMigrationOptions(t *testing.T) {
	r, s := renderMigration(t, map[string]any{"migration": map[string]any{
		"revertCommand": []any{}, "revertArgs": []any{}, "backoffLimit": 2, "activeDeadlineSeconds": 900, "ttlSecondsAfterFinished": 3600,
		"envFrom":   true,
		"resources": map[string]any{"requests": map[string]any{"cpu": "500m", "memory": "1Gi"}, "limits": map[string]any{"memory": "2Gi"}},
	}, "externalSecret": map[string]any{"entries": []any{map[string]any{"secretKey": "K", "remoteKey": "k"}}},
		"networkPolicy": map[string]any{"enabled": false}})
	assert.Nil(t, r.Find("ConfigMap", "user-service-migration-revert"))
	require.Len(t, r.Hooks, 1, "no NetworkPolicy hook without the NetworkPolicy")
	manifest, _, _, _ := hook(t, r, "Job", "user-service-migration")
	var job batchv1.Job
	require.NoError(t, yaml.UnmarshalStrict([]byte(manifest), &job))
	assert.Equal(t, ptr.To[int32](2), job.Spec.BackoffLimit)
	assert.Equal(t, ptr.To[int64](900), job.Spec.ActiveDeadlineSeconds)
	assert.Equal(t, ptr.To[int32](3600), job.Spec.TTLSecondsAfterFinished)
	c := job.Spec.Template.Spec.Containers[0]
	assert.Equal(t, "2Gi", c.Resources.Limits.Memory().String())
	assert.Equal(t, []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: s.Name}}}}, c.EnvFrom)

	plain, _ := renderService(t, "dev", "user-service")
	assert.Empty(t, plain.Hooks)
	assert.False(t, slices.Contains(plain.Kinds(), "ConfigMap"))
}
