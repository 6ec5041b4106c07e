package kubeschema

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Valid objects, one per kind under test; each case below breaks one field of one of them.
var valid = map[string]string{
	"Deployment": `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.0.0
          imagePullPolicy: IfNotPresent
          ports: [{name: http, containerPort: 8080}]
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
`,
	"Service": `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`,
	"HelmRelease": `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cert-manager, namespace: flux-system}
spec:
  interval: 30m
  chart:
    spec:
      chart: cert-manager
      version: "v1.21.1"
      sourceRef: {kind: HelmRepository, name: jetstack}
  install: {crds: CreateReplace, remediation: {retries: 3}}
  values: {anything: {goes: [1, 2]}}
`,
	"ExternalSecret": `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: api-key, namespace: apps}
spec:
  refreshInterval: 1h
  secretStoreRef: {kind: ClusterSecretStore, name: azure-key-vault}
  target: {name: api-key, creationPolicy: Owner}
  data:
    - secretKey: key
      remoteRef: {key: api-key}
`,
	"Certificate": `
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: origin, namespace: gateway}
spec:
  secretName: origin-tls
  dnsNames: [api.example.com]
  issuerRef: {kind: ClusterIssuer, name: letsencrypt}
  privateKey: {algorithm: ECDSA, size: 256}
`,
	"HTTPRoute": `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: apps}
spec:
  parentRefs: [{name: api, namespace: gateway}]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api/web}}]
      backendRefs: [{name: web, port: 80}]
`,
	"NodePool": `
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: spot}
spec:
  limits: {cpu: "16"}
  template:
    spec:
      nodeClassRef: {group: karpenter.azure.com, kind: AKSNodeClass, name: spot}
      requirements:
        - {key: karpenter.sh/capacity-type, operator: In, values: [spot]}
`,
	"AKSNodeClass": `
apiVersion: karpenter.azure.com/v1beta1
kind: AKSNodeClass
metadata: {name: spot}
spec:
  imageFamily: AzureLinux
  osDiskSizeGB: 128
`,
	"PrometheusRule": `
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: platform, namespace: monitoring}
spec:
  groups:
    - name: platform
      rules:
        - alert: Down
          expr: up == 0
          for: 5m
          labels: {severity: critical}
`,
	"SecretProviderClass": `
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata: {name: web, namespace: apps}
spec:
  provider: azure
  parameters: {usePodIdentity: "false", keyvaultName: kv-web, clientID: 00000000-0000-0000-0000-000000000001}
  secretObjects:
    - secretName: web-csi
      type: Opaque
      data: [{objectName: api-key, key: api-key}]
`,
	// The AKS managed Prometheus add-on's ServiceMonitor (group azmonitoring.coreos.com).
	"ServiceMonitor (azmonitoring)": `
apiVersion: azmonitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: apps}
spec:
  selector: {matchLabels: {app: web}}
  endpoints: [{port: metrics, path: /metrics, interval: 30s}]
`,
}

func object(t *testing.T, kind string) map[string]any {
	t.Helper()
	objs, err := Objects("test", []byte(valid[kind]))
	require.NoError(t, err)
	require.Len(t, objs, 1)
	return objs[0].Data
}

// TestValidObjects: the base objects the broken ones derive from are valid, so each case below
// fails for its one change.
func TestValidObjects(t *testing.T) {
	for kind := range valid {
		assert.Empty(t, Validate([]Object{{Source: "test", Data: object(t, kind)}}), kind)
	}
}

// TestBrokenObjects: every kind of mistake is caught, on a built-in kind and on custom kinds of
// five projects, with the field's path.
func TestBrokenObjects(t *testing.T) {
	cases := []struct {
		name, kind string
		path       string // dotted, list indices as numbers
		value      any    // deleted when del
		del        bool
		wantPath   string
		want       string
	}{
		// Built-in kinds, against Kubernetes 1.36 and the typed decode.
		{name: "unknown field", kind: "Deployment", path: "spec.template.spec.containers.0.imagePullSecret", value: "x",
			wantPath: ".spec.template.spec.containers[0]", want: "additional properties 'imagePullSecret' not allowed"},
		{name: "field newer than 1.36", kind: "Deployment", path: "spec.template.spec.evictionResponders", value: []any{map[string]any{"name": "drain"}},
			wantPath: ".spec.template.spec", want: "additional properties 'evictionResponders' not allowed"},
		{name: "wrong type", kind: "Deployment", path: "spec.replicas", value: "three",
			wantPath: ".spec.replicas", want: "got string, want integer"},
		{name: "missing required (OpenAPI)", kind: "Deployment", path: "spec.template.spec.containers.0.name", del: true,
			wantPath: ".spec.template.spec.containers[0]", want: "missing property 'name'"},
		{name: "missing image", kind: "Deployment", path: "spec.template.spec.containers.0.image", del: true,
			wantPath: ".spec.template.spec.containers[0].image", want: "is required"},
		{name: "enum", kind: "Deployment", path: "spec.template.spec.containers.0.imagePullPolicy", value: "Sometimes",
			wantPath: ".spec.template.spec.containers[0].imagePullPolicy", want: `"Sometimes" is not one of`},
		{name: "bad quantity", kind: "Deployment", path: "spec.template.spec.containers.0.resources.limits.memory", value: "256 megs",
			wantPath: ".spec.template.spec.containers[0].resources.limits.memory", want: "does not match pattern"},
		{name: "quantity only the parser refuses", kind: "Deployment", path: "spec.template.spec.containers.0.resources.limits.memory", value: "1.2.3Mi",
			want: "does not decode into k8s.io/api"},
		{name: "selector mismatch", kind: "Deployment", path: "spec.template.metadata.labels.app", value: "other",
			wantPath: ".spec.template.metadata.labels", want: "do not match the selector"},
		{name: "bad name", kind: "Deployment", path: "metadata.name", value: "Web_1",
			wantPath: ".metadata.name", want: "RFC 1123 subdomain"},
		{name: "unknown metadata field", kind: "Service", path: "metadata.label", value: map[string]any{"a": "b"},
			wantPath: ".metadata", want: `unknown field "label"`},
		{name: "service port out of range", kind: "Service", path: "spec.ports.0.port", value: 70000,
			wantPath: ".spec.ports[0].port", want: "between 1 and 65535"},
		{name: "service without ports", kind: "Service", path: "spec.ports", del: true,
			wantPath: ".spec.ports", want: "at least one port is required"},

		// Flux.
		{name: "unknown field", kind: "HelmRelease", path: "spec.chart.spec.versoin", value: "1.0.0",
			wantPath: ".spec.chart.spec", want: "additional properties 'versoin' not allowed"},
		{name: "wrong type", kind: "HelmRelease", path: "spec.install.remediation.retries", value: "three",
			wantPath: ".spec.install.remediation.retries", want: "got string, want integer"},
		{name: "missing required", kind: "HelmRelease", path: "spec.interval", del: true,
			wantPath: ".spec", want: "missing property 'interval'"},
		{name: "enum", kind: "HelmRelease", path: "spec.install.crds", value: "Always",
			wantPath: ".spec.install.crds", want: "value must be one of 'Skip', 'Create', 'CreateReplace'"},
		{name: "pattern", kind: "HelmRelease", path: "spec.interval", value: "half an hour",
			wantPath: ".spec.interval", want: "does not match pattern"},
		// External Secrets.
		{name: "unknown field", kind: "ExternalSecret", path: "spec.target.creationPolicyy", value: "Owner",
			wantPath: ".spec.target", want: "additional properties 'creationPolicyy' not allowed"},
		{name: "enum", kind: "ExternalSecret", path: "spec.secretStoreRef.kind", value: "KeyVault",
			wantPath: ".spec.secretStoreRef.kind", want: "value must be one of 'SecretStore', 'ClusterSecretStore'"},
		{name: "missing required", kind: "ExternalSecret", path: "spec.data.0.remoteRef.key", del: true,
			wantPath: ".spec.data[0].remoteRef", want: "missing property 'key'"},
		// cert-manager.
		{name: "missing required", kind: "Certificate", path: "spec.secretName", del: true,
			wantPath: ".spec", want: "missing property 'secretName'"},
		{name: "enum", kind: "Certificate", path: "spec.privateKey.algorithm", value: "DSA",
			wantPath: ".spec.privateKey.algorithm", want: "value must be one of 'RSA', 'ECDSA', 'Ed25519'"},
		{name: "wrong type", kind: "Certificate", path: "spec.dnsNames", value: "api.example.com",
			wantPath: ".spec.dnsNames", want: "got string, want array"},
		// Gateway API.
		{name: "enum", kind: "HTTPRoute", path: "spec.rules.0.matches.0.path.type", value: "Prefix",
			wantPath: ".spec.rules[0].matches[0].path.type", want: "value must be one of 'Exact', 'PathPrefix', 'RegularExpression'"},
		{name: "wrong type", kind: "HTTPRoute", path: "spec.rules.0.backendRefs.0.port", value: "http",
			wantPath: ".spec.rules[0].backendRefs[0].port", want: "got string, want integer"},
		{name: "unknown field", kind: "HTTPRoute", path: "spec.hostname", value: "api.example.com",
			wantPath: ".spec", want: "additional properties 'hostname' not allowed"},
		// Karpenter (AKS node auto-provisioning).
		{name: "missing required", kind: "NodePool", path: "spec.template", del: true,
			wantPath: ".spec", want: "missing property 'template'"},
		{name: "enum", kind: "NodePool", path: "spec.template.spec.requirements.0.operator", value: "Equals",
			wantPath: ".spec.template.spec.requirements[0].operator", want: "value must be one of"},
		{name: "enum", kind: "AKSNodeClass", path: "spec.imageFamily", value: "Windows2022",
			wantPath: ".spec.imageFamily", want: "value must be one of"},
		{name: "wrong type", kind: "AKSNodeClass", path: "spec.osDiskSizeGB", value: "128GB",
			wantPath: ".spec.osDiskSizeGB", want: "got string, want integer"},
		// Prometheus operator.
		{name: "int-or-string refuses a list", kind: "PrometheusRule", path: "spec.groups.0.rules.0.expr", value: []any{"up"},
			wantPath: ".spec.groups[0].rules[0].expr", want: "matches none of the allowed forms"},
		{name: "missing required", kind: "PrometheusRule", path: "spec.groups.0.name", del: true,
			wantPath: ".spec.groups[0]", want: "missing property 'name'"},
		// Secrets Store CSI Driver (AKS Key Vault secrets provider add-on).
		{name: "parameter not a string", kind: "SecretProviderClass", path: "spec.parameters.usePodIdentity", value: false,
			wantPath: ".spec.parameters.usePodIdentity", want: "got boolean, want string"},
		{name: "unknown field", kind: "SecretProviderClass", path: "spec.secretObjects.0.secretKey", value: "api-key",
			wantPath: ".spec.secretObjects[0]", want: "additional properties 'secretKey' not allowed"},
		// Azure managed Prometheus (ama-metrics).
		{name: "missing required", kind: "ServiceMonitor (azmonitoring)", path: "spec.endpoints", del: true,
			wantPath: ".spec", want: "missing property 'endpoints'"},
		{name: "enum", kind: "ServiceMonitor (azmonitoring)", path: "spec.endpoints.0.scheme", value: "tcp",
			wantPath: ".spec.endpoints[0].scheme", want: "value must be one of 'http', 'https'"},
	}
	for _, c := range cases {
		t.Run(c.kind+"/"+c.name, func(t *testing.T) {
			obj := object(t, c.kind)
			if c.del {
				require.True(t, deletePath(obj, c.path), "base object has %s", c.path)
			} else {
				setPath(obj, c.path, c.value)
			}
			problems := Validate([]Object{{Source: "test", Data: obj}})
			require.NotEmpty(t, problems, "not caught")
			found := false
			for _, p := range problems {
				if (c.wantPath == "" || p.Path == c.wantPath) && strings.Contains(p.Message, c.want) {
					found = true
				}
			}
			assert.True(t, found, "want %s: ...%s..., got %v", c.wantPath, c.want, problems)
		})
	}
}

// TestProblemNamesTheObject: a problem names its source, apiVersion, kind, namespace/name and
// field.
func TestProblemNamesTheObject(t *testing.T) {
	obj := object(t, "HTTPRoute")
	setPath(obj, "spec.rules.0.backendRefs.0.port", "http")
	problems := Validate([]Object{{Source: "dev/services", Data: obj}})
	require.Len(t, problems, 1)
	p := problems[0]
	assert.Equal(t, Problem{Source: "dev/services", APIVersion: "gateway.networking.k8s.io/v1", Kind: "HTTPRoute",
		Namespace: "apps", Name: "web", Path: ".spec.rules[0].backendRefs[0].port", Message: p.Message}, p)
	assert.Equal(t, "dev/services: gateway.networking.k8s.io/v1 HTTPRoute apps/web .spec.rules[0].backendRefs[0].port: "+p.Message, p.String())
}

// TestNotServed: group/versions the cluster does not serve and kinds without a schema are
// problems that say so, never passes.
func TestNotServed(t *testing.T) {
	cases := []struct{ apiVersion, kind, want string }{
		{"policy/v1beta1", "PodDisruptionBudget", "policy/v1beta1 is not served by Kubernetes 1.36"},
		{"storagemigration.k8s.io/v1", "StorageVersionMigration", "storagemigration.k8s.io/v1 is not served by Kubernetes 1.36"},
		{"networking.k8s.io/v1beta1", "IPAddress", "alpha and beta APIs are off by default"},
		{"apps/v1", "Deploymnet", "Kubernetes 1.36 serves no kind Deploymnet in apps/v1"},
		{"image.toolkit.fluxcd.io/v1", "ImagePolicy", "not served by the pinned CRD"},
		{"cert-manager.io/v1", "Certificat", "no kind Certificat in group cert-manager.io"},
		{"alb.networking.azure.io/v1", "WebApplicationFirewallPolicy", "no schema for alb.networking.azure.io/v1 WebApplicationFirewallPolicy: ALB controller"},
		{"example.com/v1", "Widget", "no vendored CRD has group example.com"},
	}
	for _, c := range cases {
		problems := Validate([]Object{{Source: "test", Data: map[string]any{
			"apiVersion": c.apiVersion, "kind": c.kind, "metadata": map[string]any{"name": "x", "namespace": "apps"},
		}}})
		require.Len(t, problems, 1, c.apiVersion+" "+c.kind)
		assert.Contains(t, problems[0].Message, c.want)
	}
}

// TestNulls: a null where an optional field may be is what the API server reads as absent (core
// kinds; custom kinds unless the field is nullable), so it is no problem; a null where a value
// is required is a missing value.
func TestNulls(t *testing.T) {
	dep := object(t, "Deployment")
	setPath(dep, "spec.template.spec.containers.0.resources", nil)
	assert.Empty(t, Validate([]Object{{Source: "test", Data: dep}}))
	setPath(dep, "spec.template.spec.containers.0.image", nil)
	assert.NotEmpty(t, Validate([]Object{{Source: "test", Data: dep}}))

	cert := object(t, "Certificate")
	setPath(cert, "spec.secretName", nil)
	problems := Validate([]Object{{Source: "test", Data: cert}})
	require.Len(t, problems, 1)
	assert.Contains(t, problems[0].Message, "missing property 'secretName'")
}

// TestObjectsSplitsDocumentsAndLists: Objects reads a Helm render (several documents, empty ones,
// a List).
func TestObjectsSplitsDocumentsAndLists(t *testing.T) {
	objs, err := Objects("chart", []byte("---\n# empty\n---\n"+valid["Service"]+"---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n"))
	require.NoError(t, err)
	require.Len(t, objs, 3)
	assert.Equal(t, "Service", objs[0].Data["kind"])
	assert.Equal(t, "chart", objs[2].Source)
}

// TestEveryVendoredSchemaCompiles: each vendored CRD version compiles into a validator (a
// schema the mapping cannot handle would otherwise surface only when a tree first uses it).
func TestEveryVendoredSchemaCompiles(t *testing.T) {
	kinds := Kinds()
	require.Greater(t, len(kinds), 90)
	v, err := loadSchemas()
	require.NoError(t, err)
	for _, k := range kinds {
		ck, reason := v.kind(gvk{k.Group, k.Version, k.Kind})
		assert.NotNil(t, ck, "%s/%s %s: %s", k.Group, k.Version, k.Kind, reason)
	}
}

func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	var cur any = m
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = v
				return
			}
			if _, ok := c[p]; !ok {
				c[p] = map[string]any{}
			}
			cur = c[p]
		case []any:
			n, _ := strconv.Atoi(p)
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		}
	}
}

func deletePath(m map[string]any, path string) bool {
	parts := strings.Split(path, ".")
	var cur any = m
	for i, p := range parts {
		switch c := cur.(type) {
		case map[string]any:
			if i == len(parts)-1 {
				_, ok := c[p]
				delete(c, p)
				return ok
			}
			cur = c[p]
		case []any:
			n, _ := strconv.Atoi(p)
			cur = c[n]
		default:
			return false
		}
	}
	return false
}
