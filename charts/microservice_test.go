package charts

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	psaapi "k8s.io/pod-security-admission/api"
	psapolicy "k8s.io/pod-security-admission/policy"
	"k8s.io/utils/ptr"
)

// renderService renders the service's release for the environment with the values Flux would
// give it (see releaseValues).
func renderService(t *testing.T, env, name string) (*Rendered, service) {
	t.Helper()
	e := readEnvironment(t, env)
	i := slices.IndexFunc(e.Services, func(s service) bool { return s.Name == name })
	require.GreaterOrEqual(t, i, 0, "Pulumi.%s.yaml has no service %s", env, name)
	s := e.Services[i]
	ch, err := Load(Dir(Microservice))
	require.NoError(t, err)
	caps, err := Capabilities(e.KubeVersion)
	require.NoError(t, err)
	r, err := Render(ch, Release{Name: s.Name, Namespace: s.Namespace}, releaseValues(t, env, s), caps)
	require.NoError(t, err)
	return r, s
}

func deployment(t *testing.T, r *Rendered, name string) *appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	require.NoError(t, r.Decode("Deployment", name, &d))
	return &d
}

func matchLabels(m map[string]string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: m}
}

func envOf(c corev1.Container) map[string]string {
	m := map[string]string{}
	for _, e := range c.Env {
		m[e.Name] = e.Value
	}
	return m
}

// What holds for every configured service of dev and prod: objects the cluster accepts (core
// kinds decode strictly into their k8s.io/api types, every API version is served), the pod is
// admitted by Pod Security "restricted" at the cluster's version, the workload identity and the
// token validation values reach the pod, and the HPA alone owns the replica count when it is on.
func TestEveryServiceRendersForTheCluster(t *testing.T) {
	evaluator, err := psapolicy.NewEvaluator(psapolicy.DefaultChecks(), nil)
	require.NoError(t, err)
	for _, env := range []string{"dev", "prod"} {
		e := readEnvironment(t, env)
		caps, err := Capabilities(e.KubeVersion)
		require.NoError(t, err)
		for _, s := range e.Services {
			t.Run(env+"/"+s.Name, func(t *testing.T) {
				r, _ := renderService(t, env, s.Name)
				values := releaseValues(t, env, s)
				autoscaled := values["autoscaling"] != nil && values["autoscaling"].(map[string]any)["enabled"] == true

				for _, o := range r.Objects {
					assert.Equal(t, s.Namespace, o.Namespace(), "%s %s namespace", o.Kind(), o.Name())
					assert.Equal(t, s.Name, o.Name(), "%s name", o.Kind())
					assert.True(t, caps.APIVersions.Has(o.APIVersion()), "%s: the cluster does not serve %s", o.Kind(), o.APIVersion())
					labels, _ := o.Get("metadata", "labels").(map[string]any)
					assert.Equal(t, s.Name, labels["app.kubernetes.io/name"], "%s labels", o.Kind())
					assert.Equal(t, s.Name, labels["app.kubernetes.io/instance"], "%s labels", o.Kind())
					assert.Equal(t, "Helm", labels["app.kubernetes.io/managed-by"], "%s labels", o.Kind())
					assert.Equal(t, "microservice-0.1.0", labels["helm.sh/chart"], "%s labels", o.Kind())
				}
				assert.Empty(t, r.Hooks)

				// Core kinds decode strictly (unknown or duplicate fields fail).
				d := deployment(t, r, s.Name)
				for kind, into := range map[string]any{
					"Service": &corev1.Service{}, "ServiceAccount": &corev1.ServiceAccount{},
					"PodDisruptionBudget": &policyv1.PodDisruptionBudget{}, "NetworkPolicy": &networkingv1.NetworkPolicy{},
				} {
					assert.NoError(t, r.Decode(kind, s.Name, into))
				}

				// Pod Security "restricted", as the service namespaces enforce it, at the cluster's version.
				version, err := psaapi.ParseVersion("v" + e.KubeVersion)
				require.NoError(t, err)
				results := psapolicy.AggregateCheckResults(evaluator.EvaluatePod(
					psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: version},
					&d.Spec.Template.ObjectMeta, &d.Spec.Template.Spec))
				assert.True(t, results.Allowed, "Pod Security restricted refuses the pod: %s", results.ForbiddenDetail())

				// Workload identity: the service account the federated credential names, annotated
				// with the identity, and the pod label the webhook selects on.
				var sa corev1.ServiceAccount
				require.NoError(t, r.Decode("ServiceAccount", s.ServiceAccount, &sa))
				assert.Equal(t, map[string]string{
					"azure.workload.identity/client-id": clientID("mi", s.Name),
					"azure.workload.identity/tenant-id": tenantID,
				}, sa.Annotations)
				assert.Equal(t, ptr.To(false), sa.AutomountServiceAccountToken)
				assert.Equal(t, s.ServiceAccount, d.Spec.Template.Spec.ServiceAccountName)
				assert.Equal(t, "true", d.Spec.Template.Labels["azure.workload.identity/use"])
				assert.Equal(t, ptr.To(false), d.Spec.Template.Spec.AutomountServiceAccountToken)

				// Token validation: the issuer External ID puts in iss, not the authority.
				env := envOf(d.Spec.Template.Spec.Containers[0])
				assert.Equal(t, "https://"+externalTenant+".ciamlogin.com/"+externalTenant+"/v2.0", env["AUTH_ISSUER"])
				assert.Equal(t, "https://saascustomers"+e.Name+".ciamlogin.com/"+externalTenant+"/v2.0/.well-known/openid-configuration", env["AUTH_METADATA_URL"])
				assert.Equal(t, clientID("api", s.Name), env["AUTH_AUDIENCE"])
				assert.Equal(t, "access_as_user", env["AUTH_REQUIRED_SCOPES"])
				assert.Equal(t, "Admin,User", env["AUTH_ALLOWED_ROLES"])
				assert.Equal(t, e.Name, env["ENVIRONMENT"])
				assert.Equal(t, "saas"+e.Name+"acr.azurecr.io/"+s.Name+":1.0.0", d.Spec.Template.Spec.Containers[0].Image)

				// The HPA owns the count when it is on: no replicas field at all.
				if autoscaled {
					assert.Nil(t, d.Spec.Replicas, "replicas with the HPA on")
					var hpa autoscalingv2.HorizontalPodAutoscaler
					require.NoError(t, r.Decode("HorizontalPodAutoscaler", s.Name, &hpa))
					assert.Equal(t, autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: s.Name}, hpa.Spec.ScaleTargetRef)
				} else {
					assert.NotNil(t, d.Spec.Replicas)
					assert.Nil(t, r.Find("HorizontalPodAutoscaler", s.Name))
				}
			})
		}
	}
}

// The sample's user-service in prod, object by object (the shipped sample is the point here; the
// rules every service meets are TestEveryServiceRendersForTheCluster's): the hardened pod, its
// probes and shutdown, the spread, the HPA, the PDB, the route with its rewrite, the
// NetworkPolicy and the ServiceMonitor group.
func TestSampleUserServiceProd(t *testing.T) {
	r, _ := renderService(t, "prod", "user-service")
	assert.Equal(t, []string{"NetworkPolicy", "PodDisruptionBudget", "ServiceAccount", "Service", "Deployment", "HorizontalPodAutoscaler", "HTTPRoute", "ServiceMonitor"}, r.Kinds())
	assert.Nil(t, r.Find("ExternalSecret", "user-service"), "no secret entries, no ExternalSecret")

	d := deployment(t, r, "user-service")
	pod := d.Spec.Template.Spec
	assert.Nil(t, d.Spec.Replicas)
	assert.Equal(t, map[string]string{"app.kubernetes.io/name": "user-service", "app.kubernetes.io/instance": "user-service"}, d.Spec.Selector.MatchLabels)
	assert.Equal(t, appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
		MaxSurge: ptr.To(intstr.FromString("25%")), MaxUnavailable: ptr.To(intstr.FromInt32(0)),
	}}, d.Spec.Strategy)
	assert.Equal(t, &corev1.PodSecurityContext{
		RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To[int64](1000), RunAsGroup: ptr.To[int64](1000), FSGroup: ptr.To[int64](1000),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}, pod.SecurityContext)
	assert.Equal(t, ptr.To[int64](40), pod.TerminationGracePeriodSeconds)
	assert.Equal(t, ptr.To(false), pod.EnableServiceLinks)
	selector := matchLabels(map[string]string{"app.kubernetes.io/name": "user-service", "app.kubernetes.io/instance": "user-service"})
	assert.Equal(t, []corev1.TopologySpreadConstraint{
		{MaxSkew: 1, TopologyKey: "topology.kubernetes.io/zone", WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: selector, MatchLabelKeys: []string{"pod-template-hash"}},
		{MaxSkew: 1, TopologyKey: "kubernetes.io/hostname", WhenUnsatisfiable: corev1.ScheduleAnyway, LabelSelector: selector, MatchLabelKeys: []string{"pod-template-hash"}},
	}, pod.TopologySpreadConstraints)

	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]
	assert.Equal(t, "user-service", c.Name)
	assert.Equal(t, &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr.To(false), Privileged: ptr.To(false), ReadOnlyRootFilesystem: ptr.To(true), RunAsNonRoot: ptr.To(true),
		Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}, c.SecurityContext)
	probe := func(period, timeout, failures int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}},
			PeriodSeconds: period, TimeoutSeconds: timeout, FailureThreshold: failures,
		}
	}
	assert.Equal(t, probe(5, 2, 30), c.StartupProbe)
	assert.Equal(t, probe(10, 2, 3), c.LivenessProbe)
	assert.Equal(t, probe(5, 2, 3), c.ReadinessProbe)
	assert.Equal(t, &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: 10}}}, c.Lifecycle)
	assert.Equal(t, corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("384Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("768Mi")},
	}, c.Resources)
	assert.Equal(t, []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}, c.Ports)
	assert.Equal(t, []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}}, c.VolumeMounts)
	assert.Equal(t, []corev1.Volume{{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("64Mi"))}}}}, pod.Volumes)
	assert.Empty(t, c.EnvFrom)
	env := envOf(c)
	assert.Equal(t, "psql-saas-prod.postgres.database.azure.com", env["POSTGRES_HOST"])
	assert.Equal(t, "users", env["POSTGRES_DATABASE"])
	assert.Equal(t, "https://stsaasprodlake.dfs.core.windows.net/", env["DATA_LAKE_DFS_ENDPOINT"])
	assert.Equal(t, "https://saas-prod.azurefd.net,https://app.contoso.example", env["CORS_ALLOWED_ORIGINS"])
	assert.Equal(t, "8080", env["PORT"])
	assert.NotContains(t, env, "SQL_SERVER", "no SQL server handed to user-service")
	assert.NotContains(t, env, "AZURE_CLIENT_ID", "the webhook sets it")

	var hpa autoscalingv2.HorizontalPodAutoscaler
	require.NoError(t, r.Decode("HorizontalPodAutoscaler", "user-service", &hpa))
	utilization := func(name corev1.ResourceName, pct int32) autoscalingv2.MetricSpec {
		return autoscalingv2.MetricSpec{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
			Name: name, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr.To(pct)},
		}}
	}
	assert.Equal(t, autoscalingv2.HorizontalPodAutoscalerSpec{
		ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "user-service"},
		MinReplicas:    ptr.To[int32](3), MaxReplicas: 10,
		Metrics:  []autoscalingv2.MetricSpec{utilization(corev1.ResourceCPU, 70), utilization(corev1.ResourceMemory, 80)},
		Behavior: &autoscalingv2.HorizontalPodAutoscalerBehavior{ScaleDown: &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: ptr.To[int32](300)}},
	}, hpa.Spec)

	var pdb policyv1.PodDisruptionBudget
	require.NoError(t, r.Decode("PodDisruptionBudget", "user-service", &pdb))
	assert.Equal(t, policyv1.PodDisruptionBudgetSpec{
		MaxUnavailable: ptr.To(intstr.FromInt32(1)), Selector: selector,
		UnhealthyPodEvictionPolicy: ptr.To(policyv1.AlwaysAllow),
	}, pdb.Spec)

	// The route: /api/user-service/... reaches the service with the prefix replaced by /.
	assert.Equal(t, map[string]any{
		"parentRefs": []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "api", "namespace": "gateway"}},
		"rules": []any{map[string]any{
			"matches": []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": "/api/user-service"}}},
			"filters": []any{map[string]any{"type": "URLRewrite", "urlRewrite": map[string]any{
				"path": map[string]any{"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"},
			}}},
			"backendRefs": []any{map[string]any{"name": "user-service", "port": float64(80)}},
		}},
	}, r.Find("HTTPRoute", "user-service")["spec"])

	var np networkingv1.NetworkPolicy
	require.NoError(t, r.Decode("NetworkPolicy", "user-service", &np))
	tcp, udp := ptr.To(corev1.ProtocolTCP), ptr.To(corev1.ProtocolUDP)
	port := func(p int) *intstr.IntOrString { return ptr.To(intstr.FromInt32(int32(p))) }
	named := func(p string) *intstr.IntOrString { return ptr.To(intstr.FromString(p)) }
	nsPods := func(ns string, labels map[string]string) networkingv1.NetworkPolicyPeer {
		return networkingv1.NetworkPolicyPeer{
			NamespaceSelector: matchLabels(map[string]string{"kubernetes.io/metadata.name": ns}),
			PodSelector:       matchLabels(labels),
		}
	}
	assert.Equal(t, networkingv1.NetworkPolicySpec{
		PodSelector: *selector,
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
		Ingress: []networkingv1.NetworkPolicyIngressRule{
			{From: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: agcSubnet}}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: named("http")}}},
			{From: []networkingv1.NetworkPolicyPeer{nsPods("monitoring", map[string]string{"app.kubernetes.io/name": "prometheus"})}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: named("http")}}},
		},
		Egress: []networkingv1.NetworkPolicyEgressRule{
			{To: []networkingv1.NetworkPolicyPeer{nsPods("kube-system", map[string]string{"k8s-app": "kube-dns"})}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: udp, Port: port(53)}, {Protocol: tcp, Port: port(53)}}},
			{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: privateEPSubnet}}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: port(443)}, {Protocol: tcp, Port: port(1433)}}},
			{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: postgresSubnet}}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: port(5432)}}},
			{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0", Except: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"}}}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: port(443)}}},
		},
	}, np.Spec)

	sm := r.Find("ServiceMonitor", "user-service")
	require.NotNil(t, sm)
	assert.Equal(t, "monitoring.coreos.com/v1", sm.APIVersion())
	assert.Equal(t, map[string]any{
		"selector":          map[string]any{"matchLabels": map[string]any{"app.kubernetes.io/name": "user-service", "app.kubernetes.io/instance": "user-service"}},
		"namespaceSelector": map[string]any{"matchNames": []any{"users"}},
		"endpoints":         []any{map[string]any{"port": "http", "path": "/metrics", "interval": "30s", "scrapeTimeout": "10s"}},
	}, sm["spec"])
}

// The sample's subscription-service in dev (the sample is the point): one replica on spot nodes,
// SQL, and secrets from Key Vault of two shapes (one secret to one key, a JSON secret extracted),
// read as environment variables.
func TestSampleSubscriptionServiceDev(t *testing.T) {
	r, _ := renderService(t, "dev", "subscription-service")
	assert.Equal(t, []string{"NetworkPolicy", "PodDisruptionBudget", "ServiceAccount", "Service", "Deployment", "ExternalSecret", "HTTPRoute", "ServiceMonitor"}, r.Kinds())
	d := deployment(t, r, "subscription-service")
	assert.Equal(t, ptr.To[int32](1), d.Spec.Replicas)
	assert.Equal(t, []corev1.Toleration{{Key: "kubernetes.azure.com/scalesetpriority", Operator: corev1.TolerationOpEqual, Value: "spot", Effect: corev1.TaintEffectNoSchedule}}, d.Spec.Template.Spec.Tolerations)
	c := d.Spec.Template.Spec.Containers[0]
	assert.Equal(t, []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "subscription-service"}}}}, c.EnvFrom)
	env := envOf(c)
	assert.Equal(t, "sql-saas-dev.database.windows.net", env["SQL_SERVER"])
	assert.Equal(t, "sqldb-saas-dev", env["SQL_DATABASE"])
	assert.NotContains(t, env, "POSTGRES_HOST")

	es := r.Find("ExternalSecret", "subscription-service")
	require.NotNil(t, es)
	assert.Equal(t, "external-secrets.io/v1", es.APIVersion())
	assert.Equal(t, map[string]any{
		"refreshInterval": "1h",
		"secretStoreRef":  map[string]any{"kind": "ClusterSecretStore", "name": "azure-key-vault"},
		"target":          map[string]any{"name": "subscription-service", "creationPolicy": "Owner", "deletionPolicy": "Retain"},
		"data": []any{
			map[string]any{"secretKey": "PAYMENT_API_KEY", "remoteRef": map[string]any{"key": "subscription-service-payment-api-key"}},
		},
		"dataFrom": []any{
			map[string]any{"extract": map[string]any{"key": "subscription-service-payment-webhook"}},
		},
	}, es["spec"])

	// No PostgreSQL host, so no egress to its subnet.
	var np networkingv1.NetworkPolicy
	require.NoError(t, r.Decode("NetworkPolicy", "subscription-service", &np))
	for _, rule := range np.Spec.Egress {
		for _, peer := range rule.To {
			if peer.IPBlock != nil {
				assert.NotEqual(t, postgresSubnet, peer.IPBlock.CIDR)
			}
		}
	}
}

// The sample's llm-service in dev (the sample is the point): a found-by-tags secret with renamed
// keys, the CSI driver's SecretProviderClass and its read-only volume, and metrics on their own
// port for Azure managed Prometheus.
func TestSampleLLMServiceDev(t *testing.T) {
	r, _ := renderService(t, "dev", "llm-service")
	es := r.Find("ExternalSecret", "llm-service")
	require.NotNil(t, es)
	assert.Equal(t, []any{map[string]any{"secretKey": "LLM_API_KEY", "remoteRef": map[string]any{"key": "llm-service-llm-api-key"}}}, es.Get("spec", "data"))
	assert.Equal(t, []any{map[string]any{
		"find":    map[string]any{"tags": map[string]any{"service": "llm-service", "purpose": "prompt"}},
		"rewrite": []any{map[string]any{"regexp": map[string]any{"source": "-", "target": "_"}}},
	}}, es.Get("spec", "dataFrom"))

	spc := r.Find("SecretProviderClass", "llm-service")
	require.NotNil(t, spc)
	assert.Equal(t, "secrets-store.csi.x-k8s.io/v1", spc.APIVersion())
	assert.Equal(t, map[string]any{
		"provider": "azure",
		"parameters": map[string]any{
			"usePodIdentity": "false",
			"clientID":       clientID("mi", "llm-service"),
			"keyvaultName":   "kv-saas-dev",
			"tenantId":       tenantID,
			"objects":        "array:\n- |-\n  objectAlias: client.pem\n  objectName: llm-service-client-cert\n  objectType: secret",
		},
	}, spc["spec"])

	d := deployment(t, r, "llm-service")
	c := d.Spec.Template.Spec.Containers[0]
	assert.Equal(t, []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}, {Name: "secrets-store", MountPath: "/mnt/secrets-store", ReadOnly: true}}, c.VolumeMounts)
	assert.Contains(t, d.Spec.Template.Spec.Volumes, corev1.Volume{Name: "secrets-store", VolumeSource: corev1.VolumeSource{CSI: &corev1.CSIVolumeSource{
		Driver: "secrets-store.csi.k8s.io", ReadOnly: ptr.To(true), VolumeAttributes: map[string]string{"secretProviderClass": "llm-service"},
	}}})
	assert.Equal(t, ptr.To[int64](70), d.Spec.Template.Spec.TerminationGracePeriodSeconds)
	assert.Equal(t, []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}, {Name: "metrics", ContainerPort: 9464, Protocol: corev1.ProtocolTCP}}, c.Ports)
	env := envOf(c)
	assert.Equal(t, "https://di-saas-dev.cognitiveservices.azure.com/", env["DOCUMENT_INTELLIGENCE_ENDPOINT"])

	var svc corev1.Service
	require.NoError(t, r.Decode("Service", "llm-service", &svc))
	assert.Equal(t, []corev1.ServicePort{
		{Name: "http", Port: 80, TargetPort: intstr.FromString("http"), Protocol: corev1.ProtocolTCP},
		{Name: "metrics", Port: 9464, TargetPort: intstr.FromString("metrics"), Protocol: corev1.ProtocolTCP},
	}, svc.Spec.Ports)

	sm := r.Find("ServiceMonitor", "llm-service")
	require.NotNil(t, sm)
	assert.Equal(t, "azmonitoring.coreos.com/v1", sm.APIVersion())
	assert.Equal(t, "metrics", sm.Get("spec", "endpoints", 0, "port"))

	// Managed Prometheus scrapes from kube-system (ama-metrics), on the metrics port only.
	var np networkingv1.NetworkPolicy
	require.NoError(t, r.Decode("NetworkPolicy", "llm-service", &np))
	require.Len(t, np.Spec.Ingress, 2)
	assert.Equal(t, networkingv1.NetworkPolicyIngressRule{
		From: []networkingv1.NetworkPolicyPeer{{
			NamespaceSelector: matchLabels(map[string]string{"kubernetes.io/metadata.name": "kube-system"}),
			PodSelector:       matchLabels(map[string]string{"rsName": "ama-metrics"}),
		}},
		Ports: []networkingv1.NetworkPolicyPort{{Protocol: ptr.To(corev1.ProtocolTCP), Port: ptr.To(intstr.FromString("metrics"))}},
	}, np.Spec.Ingress[1])
}

// Every optional feature at once (testdata/features.yaml over user-service's dev values): the
// three secret entry shapes with their options, each sorted into data or dataFrom in order; the
// CSI driver's synced Secret; a route with several rules, both rewrites and its own parentRefs;
// the NetworkPolicy's switches and extra rules; a percentage PDB; env, digest and service
// account options.
func TestEveryFeature(t *testing.T) {
	base, s := badBase(t)
	features, err := ReadValues("testdata/features.yaml")
	require.NoError(t, err)
	ch, err := Load(Dir(Microservice))
	require.NoError(t, err)
	caps, err := Capabilities(devKubeVersion(t))
	require.NoError(t, err)
	r, err := Render(ch, Release{Name: s.Name, Namespace: s.Namespace}, MergeValues(base, features), caps)
	require.NoError(t, err)

	es := r.Find("ExternalSecret", "user-service")
	require.NotNil(t, es)
	assert.Equal(t, map[string]any{"name": "user-service-secrets", "creationPolicy": "Owner", "deletionPolicy": "Retain"}, es.Get("spec", "target"))
	assert.Equal(t, []any{
		map[string]any{"secretKey": "DB_PASSWORD", "remoteRef": map[string]any{"key": "user-service-db", "property": "password", "version": "0123456789abcdef0123456789abcdef"}},
		map[string]any{"secretKey": "SIGNING_CERT", "remoteRef": map[string]any{"key": "cert/user-service-signing"}},
	}, es.Get("spec", "data"))
	assert.Equal(t, []any{
		map[string]any{"extract": map[string]any{"key": "user-service-oauth", "property": "clients"}},
		map[string]any{
			"find":    map[string]any{"name": map[string]any{"regexp": "^user-service-feature-"}},
			"rewrite": []any{map[string]any{"regexp": map[string]any{"source": "^user-service-feature-(.*)$", "target": "FEATURE_$1"}}},
		},
	}, es.Get("spec", "dataFrom"))

	spc := r.Find("SecretProviderClass", "user-service")
	require.NotNil(t, spc)
	assert.Equal(t, "array:\n- |-\n  objectAlias: tls.pem\n  objectName: user-service-tls\n  objectType: cert\n- |-\n  objectName: user-service-signing\n  objectType: key\n  objectVersion: 0123456789abcdef0123456789abcdef",
		spc.Get("spec", "parameters", "objects"))
	assert.Equal(t, []any{map[string]any{
		"secretName": "user-service-csi",
		"type":       "kubernetes.io/tls",
		"labels":     es.Get("metadata", "labels"),
		"data": []any{
			map[string]any{"objectName": "tls.pem", "key": "tls.crt"},
			map[string]any{"objectName": "tls.pem", "key": "tls.key"},
		},
	}}, spc.Get("spec", "secretObjects"))

	d := deployment(t, r, "user-service")
	c := d.Spec.Template.Spec.Containers[0]
	assert.Equal(t, "saasdevacr.azurecr.io/user-service:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", c.Image)
	assert.Equal(t, ptr.To[int32](3), d.Spec.Replicas)
	assert.Equal(t, []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "user-service-secrets"}}}}, c.EnvFrom, "the CSI Secret is not read as environment unless syncSecret.envFrom")
	assert.Contains(t, c.VolumeMounts, corev1.VolumeMount{Name: "secrets-store", MountPath: "/var/run/secrets/kv", ReadOnly: true})
	env := envOf(c)
	assert.Equal(t, "debug", env["LOG_LEVEL"])
	assert.Equal(t, "true", env["FEATURE_X"])
	assert.Equal(t, ptr.To(true), d.Spec.Template.Spec.AutomountServiceAccountToken)

	var sa corev1.ServiceAccount
	require.NoError(t, r.Decode("ServiceAccount", "user-service", &sa))
	assert.Equal(t, "team-users", sa.Annotations["example.com/owner"])
	assert.Equal(t, clientID("mi", "user-service"), sa.Annotations["azure.workload.identity/client-id"])
	assert.Equal(t, ptr.To(true), sa.AutomountServiceAccountToken)

	var pdb policyv1.PodDisruptionBudget
	require.NoError(t, r.Decode("PodDisruptionBudget", "user-service", &pdb))
	assert.Equal(t, ptr.To(intstr.FromString("50%")), pdb.Spec.MinAvailable)
	assert.Nil(t, pdb.Spec.MaxUnavailable)

	backend := []any{map[string]any{"name": "user-service", "port": float64(80)}}
	assert.Equal(t, map[string]any{
		"parentRefs": []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "api", "namespace": "gateway", "sectionName": "https"}},
		"hostnames":  []any{"api-origin.contoso.example"},
		"rules": []any{
			map[string]any{
				"matches":     []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": "/api/user-service"}}},
				"filters":     []any{map[string]any{"type": "URLRewrite", "urlRewrite": map[string]any{"path": map[string]any{"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}},
				"backendRefs": backend,
			},
			map[string]any{
				"matches":     []any{map[string]any{"path": map[string]any{"type": "Exact", "value": "/api/users/health"}, "method": "GET"}},
				"filters":     []any{map[string]any{"type": "URLRewrite", "urlRewrite": map[string]any{"path": map[string]any{"type": "ReplaceFullPath", "replaceFullPath": "/healthz"}}}},
				"backendRefs": backend,
			},
			map[string]any{
				"matches": []any{
					map[string]any{"path": map[string]any{"type": "Exact", "value": "/legacy"}},
					map[string]any{"path": map[string]any{"type": "PathPrefix", "value": "/v0"}},
				},
				"backendRefs": backend,
			},
		},
	}, r.Find("HTTPRoute", "user-service")["spec"])

	var np networkingv1.NetworkPolicy
	require.NoError(t, r.Decode("NetworkPolicy", "user-service", &np))
	tcp := ptr.To(corev1.ProtocolTCP)
	assert.Equal(t, []networkingv1.NetworkPolicyIngressRule{
		{From: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: agcSubnet}}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: ptr.To(intstr.FromString("http"))}}},
		{From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: matchLabels(map[string]string{"kubernetes.io/metadata.name": "subscriptions"})}}, Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: ptr.To(intstr.FromString("http"))}}},
	}, np.Spec.Ingress, "no scraper without metrics")
	require.Len(t, np.Spec.Egress, 4, "DNS, private endpoints, PostgreSQL, the extra rule; no internet")
	assert.Equal(t, []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: ptr.To(intstr.FromInt32(443))}}, np.Spec.Egress[1].Ports)
	assert.Equal(t, networkingv1.NetworkPolicyEgressRule{
		To:    []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "203.0.113.10/32"}}},
		Ports: []networkingv1.NetworkPolicyPort{{Protocol: tcp, Port: ptr.To(intstr.FromInt32(8443))}},
	}, np.Spec.Egress[3])
	assert.Nil(t, r.Find("ServiceMonitor", "user-service"))
}
