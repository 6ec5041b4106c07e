package gitops

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// metricSources names where every metric the platform's rules and dashboards read comes from, at
// the pinned versions (kube-prometheus-stack 88.5.3 and the charts named). A query on a metric
// not listed here fails TestPromQL: add it only with the component that exports it.
var metricSources = map[string]string{
	"kube_deployment_spec_replicas":                        "kube-state-metrics 2.20.0",
	"kube_deployment_status_replicas_available":            "kube-state-metrics 2.20.0",
	"kube_pod_container_status_waiting_reason":             "kube-state-metrics 2.20.0",
	"kube_pod_container_status_restarts_total":             "kube-state-metrics 2.20.0",
	"kube_pod_status_ready":                                "kube-state-metrics 2.20.0",
	"kube_pod_status_phase":                                "kube-state-metrics 2.20.0",
	"kube_pod_owner":                                       "kube-state-metrics 2.20.0",
	"kube_horizontalpodautoscaler_status_current_replicas": "kube-state-metrics 2.20.0",
	"kube_horizontalpodautoscaler_spec_max_replicas":       "kube-state-metrics 2.20.0",
	"kube_horizontalpodautoscaler_spec_min_replicas":       "kube-state-metrics 2.20.0",
	"kube_node_status_condition":                           "kube-state-metrics 2.20.0",
	"kube_namespace_status_phase":                          "kube-state-metrics 2.20.0",
	"gotk_resource_info":                                   "kube-state-metrics custom resource state (Flux objects)",
	"opensearch_operator_cluster_health":                   "kube-state-metrics custom resource state (OpenSearchCluster status.health)",
	"opensearch_operator_cluster_available_nodes":          "kube-state-metrics custom resource state (OpenSearchCluster status.availableNodes)",
	"kubelet_volume_stats_available_bytes":                 "kubelet (the chart's kubelet ServiceMonitor)",
	"kubelet_volume_stats_capacity_bytes":                  "kubelet (the chart's kubelet ServiceMonitor)",
	"kubelet_volume_stats_used_bytes":                      "kubelet (the chart's kubelet ServiceMonitor)",
	"container_cpu_usage_seconds_total":                    "kubelet cAdvisor (the chart's kubelet ServiceMonitor)",
	"container_memory_working_set_bytes":                   "kubelet cAdvisor (the chart's kubelet ServiceMonitor)",
	"node_cpu_seconds_total":                               "node-exporter (prometheus-node-exporter chart 4.56.1)",
	"node_memory_MemAvailable_bytes":                       "node-exporter (prometheus-node-exporter chart 4.56.1)",
	"node_memory_MemTotal_bytes":                           "node-exporter (prometheus-node-exporter chart 4.56.1)",
	"certmanager_certificate_expiration_timestamp_seconds": "cert-manager v1.21.1 (its chart's ServiceMonitor)",
	"certmanager_certificate_ready_status":                 "cert-manager v1.21.1 (its chart's ServiceMonitor)",
	"externalsecret_status_condition":                      "External Secrets 2.9.0 (its chart's ServiceMonitor)",
	"http_server_request_duration_seconds_count":           "the services (OpenTelemetry HTTP server conventions), their chart's ServiceMonitor",
	"http_server_request_duration_seconds_bucket":          "the services (OpenTelemetry HTTP server conventions), their chart's ServiceMonitor",
	"ALERTS": "Prometheus itself",
}

// requiredAlerts are what the platform's users rely on (issue 11): each must exist.
var requiredAlerts = []string{
	"Watchdog", "ServiceUnavailable", "ServiceErrorRateHigh", "PodCrashLooping", "PodNotReady",
	"HPAAtMaxReplicas", "PersistentVolumeFillingUp", "CertificateExpiringSoon", "ExternalSecretSyncFailed",
	"FluxReconciliationFailed", "NodePressure", "NodeNotReady", "ClusterNodesNotReady", "OpenSearchClusterRed",
}

// chartRulesReplaced are the chart's default rules the tree disables, each with the platform
// rule that replaces it.
var chartRulesReplaced = map[string]string{
	"Watchdog":                      "Watchdog",
	"KubePodCrashLooping":           "PodCrashLooping",
	"KubePodNotReady":               "PodNotReady",
	"KubeHpaMaxedOut":               "HPAAtMaxReplicas",
	"KubePersistentVolumeFillingUp": "PersistentVolumeFillingUp",
	"KubeNodeNotReady":              "NodeNotReady",
	"KubeNodePressure":              "NodePressure",
}

// chartAlerts are chart alerts the Alertmanager configuration names (kube-prometheus-stack 88.5.3,
// templates/prometheus/rules-1.14).
var chartAlerts = []string{"InfoInhibitor", "TargetDown"}

// entryObjects returns the objects of one entry point of an environment.
func entryObjects(t *testing.T, env, entry string) []object {
	t.Helper()
	var out []object
	for _, o := range built(t, env) {
		if o.entry == entry {
			out = append(out, o)
		}
	}
	require.NotEmpty(t, out, "%s: entry point %s built nothing", env, entry)
	return out
}

var (
	substitution = regexp.MustCompile(`\$\{[A-Z0-9_]+\}`)
	grafanaVar   = regexp.MustCompile(`\$(__rate_interval|__interval|__range|[a-z][a-z0-9_]*)`)
)

// parsePromQL parses an expression as Prometheus would, after Flux has substituted the
// platform's variables (any value of theirs is a plain name) and Grafana its own.
func parsePromQL(expr string) (parser.Expr, error) {
	expr = substitution.ReplaceAllString(expr, "value")
	expr = grafanaVar.ReplaceAllStringFunc(expr, func(v string) string {
		if strings.HasPrefix(v, "$__") {
			return "5m"
		}
		return "value"
	})
	return parser.ParseExpr(expr)
}

// metricsOf lists the metric names an expression selects.
func metricsOf(e parser.Expr) []string {
	var out []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			name := vs.Name
			for _, m := range vs.LabelMatchers {
				if m.Name == "__name__" {
					name = m.Value
				}
			}
			out = append(out, name)
		}
		return nil
	})
	return out
}

type alertRule struct {
	name, expr, duration string
	labels, annotations  map[string]string
}

func stringMap(v any) map[string]string {
	out := map[string]string{}
	m, _ := v.(map[string]any)
	for k, x := range m {
		out[k] = fmt.Sprint(x)
	}
	return out
}

// alertRules returns every alerting rule of the PrometheusRules of some objects.
func alertRules(t *testing.T, objs []object) []alertRule {
	t.Helper()
	var out []alertRule
	for _, o := range objs {
		if o.kind() != "PrometheusRule" {
			continue
		}
		groups, _ := get(o.m, "spec", "groups").([]any)
		for _, g := range groups {
			rules, _ := get(g, "rules").([]any)
			for _, r := range rules {
				name, _ := get(r, "alert").(string)
				if name == "" {
					continue
				}
				expr, _ := get(r, "expr").(string)
				d, _ := get(r, "for").(string)
				out = append(out, alertRule{name, expr, d, stringMap(get(r, "labels")), stringMap(get(r, "annotations"))})
			}
		}
	}
	return out
}

// TestPromQL: every alert rule of the monitoring kustomization (both variants, both
// environments) parses with the Prometheus parser, selects only metrics of metricSources, has a
// known severity, a summary and a runbook line that points at its section of
// docs/monitoring.md; the rules the issue asks for exist, and the chart rules the tree disables
// are replaced.
func TestPromQL(t *testing.T) {
	docs, err := os.ReadFile("../docs/monitoring.md")
	require.NoError(t, err)
	headings := map[string]bool{}
	for _, line := range strings.Split(string(docs), "\n") {
		if h, ok := strings.CutPrefix(line, "### "); ok {
			headings[strings.ToLower(strings.TrimSpace(h))] = true
		}
	}
	for _, env := range envs {
		for _, entry := range MonitoringVariants {
			objs := entryObjects(t, env, entry)
			rules := alertRules(t, objs)
			require.GreaterOrEqual(t, len(rules), len(requiredAlerts), "%s %s: alert rules", env, entry)
			names := map[string]bool{}
			for _, r := range rules {
				names[r.name] = true
				where := fmt.Sprintf("%s %s: alert %s", env, entry, r.name)
				e, err := parsePromQL(r.expr)
				if assert.NoError(t, err, "%s: %s", where, r.expr) {
					assert.Equal(t, parser.ValueTypeVector, e.Type(), "%s: an alert expression yields a vector", where)
					for _, m := range metricsOf(e) {
						assert.Contains(t, metricSources, m, "%s reads %s, which no pinned component is known to export", where, m)
					}
				}
				if r.duration != "" {
					_, err := time.ParseDuration(r.duration)
					assert.NoError(t, err, "%s: for %q", where, r.duration)
				}
				assert.Contains(t, []string{"critical", "warning", "none"}, r.labels["severity"], "%s: severity", where)
				assert.NotEmpty(t, r.annotations["summary"], "%s: summary", where)
				anchor := "docs/monitoring.md#" + strings.ToLower(r.name)
				assert.Contains(t, r.annotations["runbook"], anchor, "%s: the runbook line points at its section", where)
				assert.True(t, headings[strings.ToLower(r.name)], "%s: docs/monitoring.md has no section \"### %s\"", where, r.name)
			}
			for _, a := range requiredAlerts {
				assert.True(t, names[a], "%s %s: no alert %s", env, entry, a)
			}
			values := valuesOf(helmRelease(t, objs, "kube-prometheus-stack"))
			disabled, _ := get(values, "defaultRules", "disabled").(map[string]any)
			var off []string
			for name, v := range disabled {
				if v == true {
					off = append(off, name)
				}
			}
			sort.Strings(off)
			var want []string
			for k := range chartRulesReplaced {
				want = append(want, k)
			}
			sort.Strings(want)
			assert.Equal(t, want, off, "%s %s: chart rules disabled", env, entry)
			for chart, platform := range chartRulesReplaced {
				assert.True(t, names[platform], "%s %s: the chart's %s is disabled but %s does not replace it", env, entry, chart, platform)
			}
		}
	}
}

// TestPromQLParserRejects: the check above would catch a broken expression.
func TestPromQLParserRejects(t *testing.T) {
	for _, bad := range []string{`rate(x[5m]`, `sum by (a) x`, `x{a=~"${NAMESPACE}"} ==`} {
		_, err := parsePromQL(bad)
		assert.Error(t, err, bad)
	}
	e, err := parsePromQL(`rate(kube_pod_status_ready{namespace=~"${USER_SERVICE_NAMESPACE}|$namespace"}[$__rate_interval])`)
	require.NoError(t, err)
	assert.Equal(t, []string{"kube_pod_status_ready"}, metricsOf(e))
}

var matcher = regexp.MustCompile(`^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"\s*$`)

// matchers reads Alertmanager matchers of the form name op "value".
func matchers(t *testing.T, where string, v any) map[string][2]string {
	t.Helper()
	out := map[string][2]string{}
	for _, s := range stringList(v) {
		m := matcher.FindStringSubmatch(s)
		if assert.NotNil(t, m, "%s: matcher %q: want name op \"value\"", where, s) {
			if m[2] == "=~" || m[2] == "!~" {
				_, err := regexp.Compile("^(?:" + m[3] + ")$")
				assert.NoError(t, err, "%s: matcher %q", where, s)
			}
			out[m[1]] = [2]string{m[2], m[3]}
		}
	}
	return out
}

// TestAlertmanagerRoutesToTeams: the Alertmanager configuration of the monitoring kustomization
// sends critical and warning alerts to Teams receivers (msteamsv2, the Workflows webhooks) whose
// URL is a file of a mounted Secret that an ExternalSecret fills from Key Vault; no URL is written
// anywhere in the configuration; Watchdog goes to the heartbeat receiver; alerts are grouped per
// alert and namespace, never per pod; every receiver a route names exists; the inhibition rules
// name alerts that exist.
func TestAlertmanagerRoutesToTeams(t *testing.T) {
	for _, env := range envs {
		for _, entry := range MonitoringVariants {
			where := env + " " + entry
			objs := entryObjects(t, env, entry)
			values := valuesOf(helmRelease(t, objs, "kube-prometheus-stack"))
			cfg, _ := get(values, "alertmanager", "config").(map[string]any)
			require.NotNil(t, cfg, "%s: alertmanager.config", where)
			assert.NotEqual(t, true, get(values, "alertmanager", "tplConfig"), "%s: the configuration's templates are Alertmanager's, not Helm's", where)

			// Mounted secrets and the ExternalSecrets that fill them.
			mounted := map[string]bool{}
			for _, s := range stringList(get(values, "alertmanager", "alertmanagerSpec", "secrets")) {
				mounted[s] = true
			}
			keys := map[string]map[string]bool{} // secret -> keys an ExternalSecret writes
			for _, o := range objs {
				if o.kind() != "ExternalSecret" || o.namespace() != MonitoringNamespace {
					continue
				}
				target, _ := get(o.m, "spec", "target", "name").(string)
				keys[target] = map[string]bool{}
				data, _ := get(o.m, "spec", "data").([]any)
				for _, d := range data {
					k, _ := get(d, "secretKey").(string)
					keys[target][k] = true
					assert.NotEmpty(t, get(d, "remoteRef", "key"), "%s: %s reads a Key Vault secret", where, o)
				}
				if len(data) > 0 {
					assert.Equal(t, "ClusterSecretStore", get(o.m, "spec", "secretStoreRef", "kind"), "%s: %s", where, o)
				}
			}
			fileOf := func(path string) (secret, key string) {
				rest, ok := strings.CutPrefix(path, "/etc/alertmanager/secrets/")
				parts := strings.Split(rest, "/")
				if !ok || len(parts) != 2 {
					return "", ""
				}
				return parts[0], parts[1]
			}

			// No URL in the configuration: every *url* key of a receiver is a *_file.
			walk(cfg, nil, func(path []string, m map[string]any) {
				for k := range m {
					if strings.Contains(k, "url") && !strings.HasSuffix(k, "_file") {
						assert.Fail(t, "URL in the Alertmanager configuration", "%s: %s.%s: give the URL as a file from a Secret", where, strings.Join(path, "."), k)
					}
				}
			})

			receivers := map[string]map[string]any{}
			rs, _ := get(cfg, "receivers").([]any)
			for _, r := range rs {
				rm, _ := r.(map[string]any)
				name, _ := rm["name"].(string)
				receivers[name] = rm
			}
			teams := func(name string) {
				r := receivers[name]
				if !assert.NotNil(t, r, "%s: receiver %s", where, name) {
					return
				}
				cs, _ := r["msteamsv2_configs"].([]any)
				require.Len(t, cs, 1, "%s: receiver %s posts to one Teams Workflows webhook", where, name)
				file, _ := get(cs[0], "webhook_url_file").(string)
				secret, key := fileOf(file)
				assert.True(t, mounted[secret], "%s: %s reads %s, not a mounted secret %v", where, name, file, mounted)
				assert.True(t, keys[secret][key], "%s: %s reads key %s of %s, which no ExternalSecret writes", where, name, key, secret)
				assert.Equal(t, true, get(cs[0], "send_resolved"), "%s: %s tells the channel when an alert resolves", where, name)
			}
			teams("teams-critical")
			teams("teams-warning")
			hb, _ := get(receivers["heartbeat"], "webhook_configs").([]any)
			if assert.Len(t, hb, 1, "%s: heartbeat receiver", where) {
				secret, key := fileOf(fmt.Sprint(get(hb[0], "url_file")))
				assert.True(t, mounted[secret] && keys[secret][key], "%s: heartbeat URL from a mounted, synced secret", where)
			}

			// Routes.
			root, _ := get(cfg, "route").(map[string]any)
			groupBy := stringList(root["group_by"])
			assert.Subset(t, groupBy, []string{"alertname", "namespace"}, "%s: group_by", where)
			assert.NotContains(t, groupBy, "pod", "%s: one notification per pod", where)
			assert.Contains(t, receivers, root["receiver"], "%s: root receiver", where)
			bySeverity, byAlert := map[string]string{}, map[string]map[string]any{}
			routes, _ := root["routes"].([]any)
			for _, r := range routes {
				rm, _ := r.(map[string]any)
				assert.Contains(t, receivers, rm["receiver"], "%s: route %v", where, rm)
				for _, d := range []string{"group_wait", "group_interval", "repeat_interval"} {
					if s, ok := rm[d].(string); ok {
						_, err := time.ParseDuration(s)
						assert.NoError(t, err, "%s: %s %q", where, d, s)
					}
				}
				ms := matchers(t, where, rm["matchers"])
				if m, ok := ms["severity"]; ok && m[0] == "=" {
					bySeverity[m[1]] = rm["receiver"].(string)
				}
				if m, ok := ms["alertname"]; ok && m[0] == "=" {
					byAlert[m[1]] = rm
				}
			}
			assert.Equal(t, "teams-critical", bySeverity["critical"], "%s: critical alerts", where)
			assert.Equal(t, "teams-warning", bySeverity["warning"], "%s: warning alerts", where)
			if w := byAlert["Watchdog"]; assert.NotNil(t, w, "%s: Watchdog route", where) {
				assert.Equal(t, "heartbeat", w["receiver"], "%s: Watchdog goes to the dead man's switch", where)
				repeat, err := time.ParseDuration(fmt.Sprint(w["repeat_interval"]))
				assert.NoError(t, err)
				assert.LessOrEqual(t, repeat, 10*time.Minute, "%s: the heartbeat must be frequent", where)
			}

			// Inhibition names alerts that exist.
			alerts := map[string]bool{}
			for _, r := range alertRules(t, objs) {
				alerts[r.name] = true
			}
			for _, a := range chartAlerts {
				alerts[a] = true
			}
			inhibit, _ := get(cfg, "inhibit_rules").([]any)
			assert.NotEmpty(t, inhibit, "%s: inhibit_rules", where)
			cluster := false
			for _, ir := range inhibit {
				for _, side := range []string{"source_matchers", "target_matchers"} {
					m, ok := matchers(t, where, get(ir, side))["alertname"]
					if !ok {
						continue
					}
					for _, a := range strings.Split(m[1], "|") {
						assert.True(t, alerts[a], "%s: inhibit rule %s names alert %s, which does not exist", where, side, a)
					}
				}
				if m := matchers(t, where, get(ir, "source_matchers"))["alertname"]; m[1] == "ClusterNodesNotReady" {
					cluster = slices.Equal(stringList(get(ir, "equal")), []string{"cluster"})
				}
			}
			assert.True(t, cluster, "%s: a cluster-wide outage inhibits its symptoms across the cluster", where)
		}
	}
}

// TestStateMetricsCoverTheTree: the custom resource state that feeds FluxReconciliationFailed and
// the OpenSearch rules covers every Flux kind of the tree at the version the tree uses, and
// kube-state-metrics may list and watch each.
func TestStateMetricsCoverTheTree(t *testing.T) {
	for _, env := range envs {
		all := built(t, env)
		kinds := map[string]bool{} // group/version/kind of the tree's Flux objects and OpenSearch cluster
		for _, o := range all {
			group, _, _ := strings.Cut(o.apiVersion(), "/")
			if (strings.HasSuffix(group, ".toolkit.fluxcd.io") && group != "notification.toolkit.fluxcd.io") || o.kind() == "OpenSearchCluster" {
				kinds[o.apiVersion()+"/"+o.kind()] = true
			}
		}
		// The Flux configuration creates the GitRepository and the Kustomizations itself; the tree
		// has no notification objects (Alert, Provider): Flux's failures reach Teams through these
		// metrics and Alertmanager.
		kinds["source.toolkit.fluxcd.io/v1/GitRepository"] = true
		kinds["kustomize.toolkit.fluxcd.io/v1/Kustomization"] = true
		values := valuesOf(helmRelease(t, entryObjects(t, env, MonitoringVariants[0]), "kube-prometheus-stack"))
		ksm, _ := values["kube-state-metrics"].(map[string]any)
		assert.Equal(t, true, get(ksm, "customResourceState", "enabled"), env)
		allowed := map[string]bool{}
		rules, _ := get(ksm, "rbac", "extraRules").([]any)
		for _, r := range rules {
			if !slices.Contains(stringList(get(r, "verbs")), "list") || !slices.Contains(stringList(get(r, "verbs")), "watch") {
				continue
			}
			for _, g := range stringList(get(r, "apiGroups")) {
				for _, res := range stringList(get(r, "resources")) {
					allowed[g+"/"+res] = true
				}
			}
		}
		covered, metrics := map[string]bool{}, map[string]bool{}
		res, _ := get(ksm, "customResourceState", "config", "spec", "resources").([]any)
		for _, r := range res {
			gvk := get(r, "groupVersionKind")
			g, v, k := fmt.Sprint(get(gvk, "group")), fmt.Sprint(get(gvk, "version")), fmt.Sprint(get(gvk, "kind"))
			covered[g+"/"+v+"/"+k] = true
			assert.True(t, allowed[g+"/"+plural(k)], "%s: kube-state-metrics may not list %s", env, k)
			ms, _ := get(r, "metrics").([]any)
			for _, m := range ms {
				metrics[fmt.Sprint(get(r, "metricNamePrefix"))+"_"+fmt.Sprint(get(m, "name"))] = true
			}
		}
		for k := range kinds {
			assert.True(t, covered[k], "%s: the tree has %s, which no state metric covers", env, k)
		}
		for _, m := range []string{"gotk_resource_info", "opensearch_operator_cluster_health", "opensearch_operator_cluster_available_nodes"} {
			assert.True(t, metrics[m], "%s: state metric %s", env, m)
		}
	}
}

// plural is the resource name of a kind (lower case, y becomes ies).
func plural(kind string) string {
	k := strings.ToLower(kind)
	if strings.HasSuffix(k, "y") {
		return strings.TrimSuffix(k, "y") + "ies"
	}
	return k + "s"
}

// TestGrafanaDashboards: the dashboards from Git are ConfigMaps the sidecar loads, each holding
// valid dashboard JSON with a unique uid, whose every query parses; the cluster, workloads,
// services and Flux dashboards are there; the services' one is limited to the configured
// services' namespaces.
func TestGrafanaDashboards(t *testing.T) {
	for _, env := range envs {
		uids := map[string]bool{}
		for _, o := range entryObjects(t, env, MonitoringVariants[0]) {
			if o.kind() != "ConfigMap" || get(o.m, "metadata", "labels", "grafana_dashboard") != "1" {
				continue
			}
			data, _ := get(o.m, "data").(map[string]any)
			require.Len(t, data, 1, "%s: one dashboard per ConfigMap", o)
			for file, raw := range data {
				where := o.String() + " " + file
				assert.True(t, strings.HasSuffix(file, ".json"), where)
				text := fmt.Sprint(raw)
				vars, err := VarsIn(text)
				assert.NoError(t, err, where)
				for _, v := range vars {
					assert.Regexp(t, `^[A-Z][A-Z0-9_]*$`, v, "%s: ${%s} would be taken for a Flux variable: write Grafana's as $name", where, v)
				}
				var d struct {
					UID, Title string
					Templating struct {
						List []struct {
							Name, Type string
							Query      any
						}
					}
					Panels []struct {
						ID            int
						Type, Title   string
						GridPos       map[string]int
						Targets       []struct{ Expr, RefID string }
						Datasource    map[string]string
						SchemaVersion int
					}
				}
				require.NoError(t, json.Unmarshal([]byte(text), &d), where)
				assert.NotEmpty(t, d.Title, where)
				assert.False(t, uids[d.UID], "%s: uid %q used twice", where, d.UID)
				uids[d.UID] = true
				require.NotEmpty(t, d.Panels, where)
				ids := map[int]bool{}
				for _, p := range d.Panels {
					assert.False(t, ids[p.ID], "%s: panel id %d twice", where, p.ID)
					ids[p.ID] = true
					assert.NotEmpty(t, p.Targets, "%s: panel %q queries nothing", where, p.Title)
					assert.Equal(t, "$datasource", p.Datasource["uid"], "%s: panel %q", where, p.Title)
					assert.Positive(t, p.GridPos["w"], "%s: panel %q", where, p.Title)
					for _, tg := range p.Targets {
						e, err := parsePromQL(tg.Expr)
						if assert.NoError(t, err, "%s: panel %q: %s", where, p.Title, tg.Expr) {
							for _, m := range metricsOf(e) {
								assert.Contains(t, metricSources, m, "%s: panel %q reads %s", where, p.Title, m)
							}
						}
					}
				}
				for _, v := range d.Templating.List {
					if v.Type == "query" {
						q, _ := get(v.Query, "query").(string)
						inner := strings.TrimSuffix(strings.TrimPrefix(q, "label_values("), ")")
						sel, _, _ := strings.Cut(inner, ", ")
						_, err := parsePromQL(sel)
						assert.NoError(t, err, "%s: variable %s: %s", where, v.Name, q)
					}
				}
				if d.UID == "platform-services" {
					assert.Contains(t, text, "${USER_SERVICE_NAMESPACE}|${SUBSCRIPTION_SERVICE_NAMESPACE}|${LLM_SERVICE_NAMESPACE}", "%s: limited to the services' namespaces", where)
				}
			}
		}
		for _, uid := range []string{"platform-cluster", "platform-workloads", "platform-services", "platform-flux"} {
			assert.True(t, uids[uid], "%s: dashboard %s", env, uid)
		}
	}
}

// dashboardBackends are the Services of the dashboards; only those allowed may be a route's
// backend (Prometheus and Alertmanager have no login: only oauth2-proxy may lead to them).
var dashboardBackends = map[string]bool{
	"kube-prometheus-stack-prometheus":   false,
	"kube-prometheus-stack-alertmanager": false,
	"kube-prometheus-stack-grafana":      true,
	"oauth2-proxy":                       true,
}

// TestDashboardRoutesNeedSignIn walks every HTTPRoute of every entry point: none leads to
// Prometheus or Alertmanager directly, and the monitoring namespace has routes only in the
// published variant, where each attaches to the API Gateway's HTTPS listener (which has a
// cert-manager certificate) under the dashboards' paths, behind Grafana's Entra ID login or
// oauth2-proxy; only there may the AGC subnet reach monitoring pods, and only those two.
func TestDashboardRoutesNeedSignIn(t *testing.T) {
	for _, env := range envs {
		all := built(t, env)
		var gateway, cert object
		for _, o := range all {
			if o.entry == GatewayVariant(true) && o.kind() == "Gateway" {
				gateway = o
			}
			if o.entry == GatewayVariant(true) && o.kind() == "Certificate" && o.namespace() == "gateway" {
				cert = o
			}
		}
		require.NotNil(t, gateway.m, "%s: the HTTPS Gateway", env)
		httpsListener := map[string]any{}
		listeners, _ := get(gateway.m, "spec", "listeners").([]any)
		for _, l := range listeners {
			if get(l, "name") == "https" {
				httpsListener, _ = l.(map[string]any)
			}
		}
		require.Equal(t, "HTTPS", httpsListener["protocol"], "%s: listener https", env)
		refs, _ := get(httpsListener, "tls", "certificateRefs").([]any)
		require.Len(t, refs, 1, "%s: the HTTPS listener's certificate", env)
		require.NotNil(t, cert.m, "%s: the origin's cert-manager Certificate", env)
		assert.Equal(t, get(refs[0], "name"), get(cert.m, "spec", "secretName"), "%s: the listener serves the certificate cert-manager keeps", env)
		admit := stringMap(get(httpsListener, "allowedRoutes", "namespaces", "selector", "matchLabels"))

		paths := map[string]string{
			GrafanaPath: "kube-prometheus-stack-grafana", PrometheusPath: "oauth2-proxy",
			AlertmanagerPath: "oauth2-proxy", OAuth2ProxyPath: "oauth2-proxy",
		}
		seen := map[string]string{}
		for _, o := range all {
			if o.kind() != "HTTPRoute" {
				continue
			}
			rules, _ := get(o.m, "spec", "rules").([]any)
			for _, r := range rules {
				backends, _ := get(r, "backendRefs").([]any)
				for _, b := range backends {
					name := fmt.Sprint(get(b, "name"))
					ns := o.namespace()
					if s, ok := get(b, "namespace").(string); ok {
						ns = s
					}
					allowed, dashboard := dashboardBackends[name]
					if ns != MonitoringNamespace && !dashboard {
						continue
					}
					assert.True(t, allowed, "%s: %s leads to %s/%s, which has no sign-in of its own", env, o, ns, name)
					assert.Equal(t, MonitoringVariants[1], o.entry, "%s: %s: dashboards are routed only when published", env, o)
					matches, _ := get(r, "matches").([]any)
					for _, m := range matches {
						p := fmt.Sprint(get(m, "path", "value"))
						assert.Equal(t, "PathPrefix", get(m, "path", "type"), "%s: %s", env, o)
						assert.Equal(t, paths[p], name, "%s: %s routes %s to %s", env, o, p, name)
						seen[p] = name
					}
				}
			}
			if o.namespace() != MonitoringNamespace {
				continue
			}
			parents, _ := get(o.m, "spec", "parentRefs").([]any)
			require.NotEmpty(t, parents, "%s: %s", env, o)
			for _, p := range parents {
				assert.Equal(t, map[string]string{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "gateway", "name": gateway.name(), "sectionName": "https"},
					stringMap(p), "%s: %s attaches to the Gateway's HTTPS listener only", env, o)
			}
			assert.Nil(t, get(o.m, "spec", "hostnames"), "%s: %s takes the listener's host name", env, o)
		}
		assert.Equal(t, paths, seen, "%s: every dashboard path is routed", env)

		for _, entry := range MonitoringVariants {
			published := entry == MonitoringVariants[1]
			objs := entryObjects(t, env, entry)
			for _, o := range objs {
				if o.kind() == "Namespace" && o.name() == MonitoringNamespace {
					labels := stringMap(get(o.m, "metadata", "labels"))
					attach := true
					for k, v := range admit {
						attach = attach && labels[k] == v
					}
					assert.Equal(t, published, attach, "%s %s: routes of namespace monitoring may attach to the Gateway", env, entry)
				}
				if o.kind() == "NetworkPolicy" && strings.Contains(JSONish(get(o.m, "spec", "ingress")), `${AGC_SUBNET_CIDR}`) {
					assert.True(t, published, "%s %s: %s admits the AGC subnet", env, entry, o)
					app := stringMap(get(o.m, "spec", "podSelector", "matchLabels"))["app.kubernetes.io/name"]
					port := map[string]string{"grafana": "3000", "oauth2-proxy": "4180"}[app]
					assert.NotEmpty(t, port, "%s: %s selects %q", env, o, app)
					assert.Equal(t, `[{"from":[{"ipBlock":{"cidr":"${AGC_SUBNET_CIDR}"}}],"ports":[{"port":`+port+`,"protocol":"TCP"}]}]`, JSONish(get(o.m, "spec", "ingress")), "%s: %s", env, o)
				}
			}
			values := valuesOf(helmRelease(t, objs, "kube-prometheus-stack"))
			for _, p := range [][]string{
				{"prometheus", "ingress", "enabled"}, {"prometheus", "route", "main", "enabled"},
				{"alertmanager", "ingress", "enabled"}, {"alertmanager", "route", "main", "enabled"},
				{"grafana", "ingress", "enabled"}, {"grafana", "route", "main", "enabled"},
			} {
				assert.NotEqual(t, true, get(values, p...), "%s %s: %s: the chart's own routes bypass the sign-in", env, entry, strings.Join(p, "."))
			}
		}
	}
}

// TestDashboardsSignInWithEntraID: in the published variant Grafana logs in with Entra ID as the
// dashboards' app with workload identity and maps roles strictly from the app role, limited to
// the tenant and the platform-admins group; oauth2-proxy does the same for Prometheus and
// Alertmanager; neither has a client secret; their service accounts, namespace and callback
// paths are the ones the aks layer federates and registers (package gitops constants).
func TestDashboardsSignInWithEntraID(t *testing.T) {
	for _, env := range envs {
		objs := entryObjects(t, env, MonitoringVariants[1])
		kps := helmRelease(t, objs, "kube-prometheus-stack")
		values := valuesOf(kps)
		assert.Equal(t, MonitoringNamespace, get(kps.m, "spec", "targetNamespace"), env)
		g, _ := values["grafana"].(map[string]any)
		assert.Equal(t, GrafanaServiceAccount, get(g, "serviceAccount", "name"), "%s: Grafana's service account", env)
		assert.Equal(t, "${DASHBOARDS_CLIENT_ID}", get(g, "serviceAccount", "annotations", "azure.workload.identity/client-id"), env)
		assert.Equal(t, "true", get(g, "podLabels", "azure.workload.identity/use"), env)
		az := stringMap(get(g, "grafana.ini", "auth.azuread"))
		for k, want := range map[string]string{
			"enabled": "true", "client_authentication": "workload_identity", "client_id": "${DASHBOARDS_CLIENT_ID}",
			"federated_credential_audience": "api://AzureADTokenExchange",
			"allowed_organizations":         "${AZURE_TENANT_ID}", "allowed_groups": "${PLATFORM_ADMINS_GROUP_ID}",
			"role_attribute_strict": "true",
			"auth_url":              "https://login.microsoftonline.com/${AZURE_TENANT_ID}/oauth2/v2.0/authorize",
			"token_url":             "https://login.microsoftonline.com/${AZURE_TENANT_ID}/oauth2/v2.0/token",
		} {
			assert.Equal(t, want, az[k], "%s: grafana auth.azuread.%s", env, k)
		}
		assert.NotContains(t, az, "client_secret", env)
		assert.Equal(t, "true", stringMap(get(g, "grafana.ini", "auth"))["disable_login_form"], "%s: Entra ID only", env)
		rootURL := fmt.Sprint(get(g, "grafana.ini", "server", "root_url"))
		assert.True(t, strings.HasPrefix(rootURL, "https://${DASHBOARDS_HOST}/"), "%s: root_url %s", env, rootURL)
		root, err := url.Parse(strings.ReplaceAll(rootURL, "${DASHBOARDS_HOST}", "host.example"))
		require.NoError(t, err)
		assert.Equal(t, GrafanaCallbackPath, strings.TrimSuffix(root.Path, "/")+"/login/azuread", "%s: Grafana's redirect URI is the registered one", env)
		for _, c := range []string{"prometheus", "alertmanager"} {
			spec := stringMap(get(values, c, c+"Spec"))
			assert.Equal(t, DashboardsPath+"/"+c, spec["routePrefix"], "%s: %s serves under its public path", env, c)
			assert.Equal(t, "https://${DASHBOARDS_HOST}"+DashboardsPath+"/"+c, spec["externalUrl"], env)
		}

		proxy := helmRelease(t, objs, "oauth2-proxy")
		assert.Equal(t, MonitoringNamespace, get(proxy.m, "spec", "targetNamespace"), env)
		pv := valuesOf(proxy)
		assert.Equal(t, OAuth2ProxyServiceAccount, get(pv, "serviceAccount", "name"), "%s: oauth2-proxy's service account", env)
		assert.Equal(t, "${DASHBOARDS_CLIENT_ID}", get(pv, "serviceAccount", "annotations", "azure.workload.identity/client-id"), env)
		assert.Equal(t, "true", get(pv, "podLabels", "azure.workload.identity/use"), env)
		assert.Equal(t, []string{"cookie-secret"}, stringList(get(pv, "config", "requiredSecretKeys")), "%s: no client secret", env)
		conf := fmt.Sprint(get(pv, "config", "configFile"))
		setting := func(key string) string {
			m := regexp.MustCompile(`(?ms)^` + key + ` = (\[.*?\]|"[^"]*"|\S+)`).FindStringSubmatch(conf)
			if m == nil {
				return ""
			}
			return m[1]
		}
		for k, want := range map[string]string{
			"provider": `"entra-id"`, "entra_id_federated_token_auth": "true", "client_id": `"${DASHBOARDS_CLIENT_ID}"`,
			"oidc_issuer_url": `"https://login.microsoftonline.com/${AZURE_TENANT_ID}/v2.0"`,
			"allowed_groups":  `["${PLATFORM_ADMINS_GROUP_ID}"]`, "proxy_prefix": `"` + OAuth2ProxyPath + `"`,
			"redirect_url":  `"https://${DASHBOARDS_HOST}` + OAuth2ProxyCallbackPath + `"`,
			"cookie_secure": "true",
		} {
			assert.Equal(t, want, setting(k), "%s: oauth2-proxy %s", env, k)
		}
		assert.NotContains(t, conf, "client_secret", env)
		var upstreams []string
		for _, u := range regexp.MustCompile(`"(http[^"]+)"`).FindAllStringSubmatch(setting("upstreams"), -1) {
			upstreams = append(upstreams, u[1])
		}
		assert.Equal(t, []string{
			"http://kube-prometheus-stack-prometheus.monitoring.svc:9090" + PrometheusPath + "/",
			"http://kube-prometheus-stack-alertmanager.monitoring.svc:9093" + AlertmanagerPath + "/",
		}, upstreams, "%s: oauth2-proxy leads to Prometheus and Alertmanager only", env)
		var cookie object
		for _, o := range objs {
			if o.kind() == "ExternalSecret" && o.name() == fmt.Sprint(get(pv, "config", "existingSecret")) {
				cookie = o
			}
		}
		require.NotNil(t, cookie.m, "%s: the ExternalSecret of oauth2-proxy's secret", env)
		assert.Equal(t, "CreatedOnce", get(cookie.m, "spec", "refreshPolicy"), "%s: the cookie key is generated once, in the cluster", env)
		assert.Contains(t, JSONish(get(cookie.m, "spec", "target", "template", "data")), "cookie-secret", env)
	}
	assert.Equal(t, [][2]string{{"monitoring", "grafana"}, {"monitoring", "oauth2-proxy"}}, DashboardsServiceAccounts())
}
