package gitops

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// replicaSetting is one replica count a pinned chart takes in its values, with its default and
// what running more than one replica needs.
type replicaSetting struct {
	path []string
	def  int
	// leader reports whether the component elects a leader with these values. Nil for a
	// component whose replicas may all act at once; notAController says why.
	leader         func(values map[string]any) bool
	notAController string
}

// chartReplicas classifies every replica setting of the pinned charts (values.yaml and templates
// at that version). A chart or a replica setting not listed fails the test until it is
// classified here.
var chartReplicas = map[string][]replicaSetting{
	// external-secrets 2.9.0: leaderElect (default false) adds --enable-leader-election to the
	// controller and to the cert controller alike.
	"external-secrets@2.9.0": {
		{path: []string{"replicaCount"}, def: 1, leader: esoLeaderElect},
		{path: []string{"certController", "replicaCount"}, def: 1, leader: esoLeaderElect},
		{path: []string{"webhook", "replicaCount"}, def: 1, notAController: "admission webhook server: every replica answers requests"},
	},
	// cert-manager v1.21.1: the controller and the cainjector elect a leader unless it is
	// switched off (leader-elect defaults to true in internal/apis/config/shared/v1alpha1).
	"cert-manager@v1.21.1": {
		{path: []string{"replicaCount"}, def: 1, leader: certManagerLeaderElect()},
		{path: []string{"cainjector", "replicaCount"}, def: 1, leader: certManagerLeaderElect("cainjector")},
		{path: []string{"webhook", "replicaCount"}, def: 1, notAController: "admission webhook server: every replica answers requests"},
	},
	// The platform's own chart (charts/microservice, from the Git source: no version): the
	// services are stateless HTTP servers; autoscaling replaces replicaCount in prod.
	"./charts/microservice@": {
		{path: []string{"replicaCount"}, def: 2, notAController: "a stateless web service: every replica serves requests"},
	},
	// opensearch-operator 2.8.0: the template fixes replicas: 1 and passes --leader-elect.
	"opensearch-operator@2.8.0": {},
	// kube-prometheus-stack 88.5.3: Prometheus and Alertmanager are the operator's workloads,
	// not controllers of the cluster.
	// oauth2-proxy 10.7.0: a stateless reverse proxy (sessions live in the encrypted cookie).
	"oauth2-proxy@10.7.0": {
		{path: []string{"replicaCount"}, def: 1, notAController: "stateless reverse proxy: every replica serves requests"},
	},
	"kube-prometheus-stack@88.5.3": {
		{path: []string{"prometheus", "prometheusSpec", "replicas"}, def: 1, notAController: "each Prometheus replica scrapes every target itself: a redundant pair by design"},
		{path: []string{"alertmanager", "alertmanagerSpec", "replicas"}, def: 1, notAController: "Alertmanager replicas form a cluster and deduplicate notifications"},
	},
}

func esoLeaderElect(values map[string]any) bool { return get(values, "leaderElect") == true }

// certManagerLeaderElect: on unless the component's extraArgs or its config file turn it off.
func certManagerLeaderElect(component ...string) func(map[string]any) bool {
	return func(values map[string]any) bool {
		args := stringList(get(values, append(component, "extraArgs")...))
		off := slices.Contains(args, "--leader-elect=false") ||
			get(values, append(component, "config", "leaderElectionConfig", "enabled")...) == false
		return !off
	}
}

// TestMultiReplicaControllersElectALeader: every controller of dev and prod that runs more than
// one replica elects a leader, so that only one replica acts on each object; every replica
// setting of a chart is classified.
func TestMultiReplicaControllersElectALeader(t *testing.T) {
	for _, env := range envs {
		multi := 0
		for _, hr := range built(t, env) {
			if hr.kind() != "HelmRelease" {
				continue
			}
			chart, version := chartOf(hr)
			values := valuesOf(hr)
			settings, known := chartReplicas[chart+"@"+version]
			walk(values, nil, func(path []string, m map[string]any) {
				for k := range m {
					if k != "replicaCount" && k != "replicas" {
						continue
					}
					p := append(append([]string{}, path...), k)
					classified := slices.ContainsFunc(settings, func(s replicaSetting) bool { return slices.Equal(s.path, p) })
					assert.True(t, known && classified, "%s: %s@%s sets %s: classify it in chartReplicas (controller or not, and its default)", hr, chart, version, strings.Join(p, "."))
				}
			})
			for _, s := range settings {
				n := intValue(values, s.def, s.path...)
				if n <= 1 || s.leader == nil {
					continue
				}
				multi++
				assert.True(t, s.leader(values), "%s: %s = %d without leader election: every replica acts on every object", hr, strings.Join(s.path, "."), n)
			}
		}
		if env == "prod" {
			assert.GreaterOrEqual(t, multi, 2, "prod: External Secrets and cert-manager run several controller replicas; found %d", multi)
		}
	}
}

// TestProdWebhooksAreRedundant: in prod the admission webhooks of External Secrets and
// cert-manager (failurePolicy Fail) run two replicas with a PodDisruptionBudget, so a node drain
// does not refuse every write of their objects.
func TestProdWebhooksAreRedundant(t *testing.T) {
	objs := built(t, "prod")
	for _, name := range []string{"external-secrets", "cert-manager"} {
		values := valuesOf(helmRelease(t, objs, name))
		assert.GreaterOrEqual(t, intValue(values, 1, "webhook", "replicaCount"), 2, "%s webhook replicas", name)
		assert.Equal(t, true, get(values, "webhook", "podDisruptionBudget", "enabled"), "%s webhook PodDisruptionBudget", name)
	}
}

func TestLeaderElectionReaders(t *testing.T) {
	for _, c := range []struct {
		name   string
		f      func(map[string]any) bool
		values map[string]any
		want   bool
	}{
		{"eso default", esoLeaderElect, map[string]any{}, false},
		{"eso on", esoLeaderElect, map[string]any{"leaderElect": true}, true},
		{"cert-manager default", certManagerLeaderElect(), map[string]any{}, true},
		{"cert-manager flag off", certManagerLeaderElect(), map[string]any{"extraArgs": []any{"--leader-elect=false"}}, false},
		{"cert-manager config off", certManagerLeaderElect(), map[string]any{"config": map[string]any{"leaderElectionConfig": map[string]any{"enabled": false}}}, false},
		{"cainjector flag off", certManagerLeaderElect("cainjector"), map[string]any{"cainjector": map[string]any{"extraArgs": []any{"--leader-elect=false"}}}, false},
		{"cainjector unaffected by controller flag", certManagerLeaderElect("cainjector"), map[string]any{"extraArgs": []any{"--leader-elect=false"}}, true},
	} {
		assert.Equal(t, c.want, c.f(c.values), c.name)
	}
}
