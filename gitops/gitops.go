// Package gitops is the Go side of the GitOps tree in this directory: the names of the Flux
// kustomizations and their paths, the post-build substitution variables the flux layer hands the
// tree in the cluster-values ConfigMap (one place derives every key), the services' platform
// values (the microservice chart's platform: contract, built in one pure function), a reader of
// the services' HelmReleases, and a reader that lists the variables a kustomization path uses. It
// imports nothing heavy, so the flux layer, the mock tests, the chart tests and the kustomize
// build test share it cheaply.
package gitops

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Dir is the tree's directory, relative to the repository root.
const Dir = "gitops"

// Kustomization names of the Flux configuration, in the order they reconcile.
const (
	// InfraControllers installs the add-on controllers and their CRDs (Helm releases), the
	// Prometheus operator's CRDs first.
	InfraControllers = "infra-controllers"
	// InfraConfigs configures them: the services' and Grafana's secret store, issuers, spot node
	// pool, RBAC.
	InfraConfigs = "infra-configs"
	// Gateway is the API Gateway on Application Gateway for Containers and its WAF policy; its
	// path is one of the two GatewayVariants.
	Gateway = "gateway"
	// Services deploys the microservices: one HelmRelease each (ServicesDir).
	Services = "services"
	// CIAgents runs the self-hosted Azure DevOps agents, beside the services, with their own
	// secret store.
	CIAgents = "ci-agents"
	// Monitoring is kube-prometheus-stack (Prometheus, Alertmanager, Grafana), the alert rules,
	// the Teams receivers and the Grafana dashboards; nothing depends on it. Its path is one of
	// the two MonitoringVariants.
	Monitoring = "monitoring"
	// Logging is the OpenSearch cluster and Fluent Bit; nothing depends on it.
	Logging = "logging"
	// GitCredentials keeps Flux's own Git credentials in sync from Key Vault, with its own secret
	// store; only with Git auth keyVaultSecret.
	GitCredentials = "git-credentials"
	// ImageAutomation commits new service image tags to the environment's branch; only with
	// flux.imageAutomation.
	ImageAutomation = "image-automation"
)

// Kustomizations lists the kustomizations every environment has, in reconcile order; Gateway
// takes its path from GatewayVariant, Monitoring from MonitoringVariant.
var Kustomizations = []string{InfraControllers, InfraConfigs, Gateway, Services, CIAgents, Monitoring, Logging}

// Optional lists the kustomizations that only some configurations have.
var Optional = []string{GitCredentials, ImageAutomation}

// GatewayVariants are the entry points of the Gateway kustomization: HTTP only, or HTTP and
// HTTPS for the origin host name.
var GatewayVariants = []string{"gateway-http", "gateway-https"}

// MonitoringVariants are the entry points of the Monitoring kustomization: the stack reached by
// port-forward only, or the stack with its dashboards published through the API Gateway and
// Front Door behind Entra ID sign-in (see MonitoringVariant).
var MonitoringVariants = []string{"monitoring", "monitoring-dashboards"}

// EntryPoints lists every directory under clusters/<env> a Flux kustomization may point at.
func EntryPoints() []string {
	var out []string
	for _, k := range Kustomizations {
		if k != Gateway && k != Monitoring {
			out = append(out, k)
		}
	}
	out = append(append(out, GatewayVariants...), MonitoringVariants...)
	return append(out, Optional...)
}

// MonitoringVariant is the entry point of the Monitoring kustomization: with published
// dashboards (config.Env.Dashboards) Grafana, Prometheus and Alertmanager are reached under
// DashboardsPath on the Front Door endpoint, through the Gateway's HTTPS listener.
func MonitoringVariant(dashboards bool) string {
	if dashboards {
		return MonitoringVariants[1]
	}
	return MonitoringVariants[0]
}

// GatewayVariant is the entry point of the Gateway kustomization: with an origin host name
// (platform:agc.originHostName) Front Door reaches the Gateway over HTTPS on it.
func GatewayVariant(https bool) string {
	if https {
		return GatewayVariants[1]
	}
	return GatewayVariants[0]
}

// Path is the path of a kustomization of an environment, relative to the repository root, in the
// form Flux expects ("./gitops/clusters/dev/services").
func Path(env, kustomization string) string {
	return "./" + Dir + "/clusters/" + env + "/" + kustomization
}

// Substitution variables the flux layer provides to every kustomization: the data of the
// cluster-values ConfigMap (ClusterValuesConfigMap).
const (
	Environment     = "ENVIRONMENT"
	Location        = "LOCATION"
	TenantID        = "AZURE_TENANT_ID"
	ClusterName     = "CLUSTER_NAME"
	KeyVaultURI     = "KEY_VAULT_URI"
	ACRLoginServer  = "ACR_LOGIN_SERVER"
	AGCID           = "AGC_TRAFFIC_CONTROLLER_ID"
	AGCFrontendName = "AGC_FRONTEND_NAME"
	AGCWAFPolicyID  = "AGC_WAF_POLICY_ID"
	// APIOriginHost and the DNS zone variables describe the API origin's name and the Azure DNS
	// zone cert-manager answers its DNS-01 challenges in; provided only with an origin host name.
	APIOriginHost              = "API_ORIGIN_HOST"
	APIOriginDNSZone           = "API_ORIGIN_DNS_ZONE"
	APIOriginDNSResourceGroup  = "API_ORIGIN_DNS_RESOURCE_GROUP"
	APIOriginDNSSubscriptionID = "API_ORIGIN_DNS_SUBSCRIPTION_ID"
	PlatformAdmins             = "PLATFORM_ADMINS_GROUP_ID"
	AzureDevOpsOrgURL          = "AZURE_DEVOPS_ORG_URL"
	// FluxGitSecret names the Git credentials secret; provided only with Git auth keyVaultSecret.
	FluxGitSecret = "FLUX_GIT_SECRET_NAME"
	// FluxGitRepository names the GitRepository the Flux configuration creates: the services'
	// HelmReleases take the chart from it, and image automation commits to it.
	FluxGitRepository = "FLUX_GIT_REPOSITORY_NAME"
	// FluxBranch is the branch the configuration follows, where image automation commits.
	// Provided only with image automation.
	FluxBranch = "FLUX_GIT_BRANCH"
	// AGCSubnetCIDR is the address range of the AGC subnet: Application Gateway for Containers
	// reaches the pods from there, so the published dashboards' network policies admit it (the
	// services get it in their platform values). Provided only with published dashboards.
	AGCSubnetCIDR = "AGC_SUBNET_CIDR"
	// DashboardsHost is the public host name the dashboards are served on (the first Front Door
	// custom domain, else the endpoint's own host) and DashboardsClientID the Entra ID app
	// registration Grafana and oauth2-proxy sign users in with; provided only with published
	// dashboards.
	DashboardsHost     = "DASHBOARDS_HOST"
	DashboardsClientID = "DASHBOARDS_CLIENT_ID"
)

// The dashboards: where they live in the cluster and under which paths of the public host they
// are served. The aks layer federates the two service accounts with the dashboards' app
// registration and registers the two callback URLs; the tree names the same service accounts and
// paths (monitoring_test.go checks both).
const (
	// MonitoringNamespace holds Prometheus, Alertmanager, Grafana and oauth2-proxy.
	MonitoringNamespace = "monitoring"
	// GrafanaServiceAccount signs in to Entra ID as the dashboards' app (workload identity).
	GrafanaServiceAccount = "grafana"
	// OAuth2ProxyServiceAccount is oauth2-proxy's, in front of Prometheus and Alertmanager.
	OAuth2ProxyServiceAccount = "oauth2-proxy"
	// DashboardsPath prefixes every dashboard path; Front Door routes DashboardsPath + "/*" to the
	// Gateway.
	DashboardsPath   = "/monitoring"
	GrafanaPath      = DashboardsPath + "/grafana"
	PrometheusPath   = DashboardsPath + "/prometheus"
	AlertmanagerPath = DashboardsPath + "/alertmanager"
	// OAuth2ProxyPath is oauth2-proxy's own prefix (sign-in, callback, sign-out).
	OAuth2ProxyPath = DashboardsPath + "/oauth2"
	// GrafanaCallbackPath and OAuth2ProxyCallbackPath are the redirect URIs' paths: Grafana's
	// azuread login and oauth2-proxy's callback.
	GrafanaCallbackPath     = GrafanaPath + "/login/azuread"
	OAuth2ProxyCallbackPath = OAuth2ProxyPath + "/callback"
)

// DashboardsServiceAccounts are the service accounts that authenticate to Entra ID as the
// dashboards' app registration, namespace/name.
func DashboardsServiceAccounts() [][2]string {
	return [][2]string{{MonitoringNamespace, GrafanaServiceAccount}, {MonitoringNamespace, OAuth2ProxyServiceAccount}}
}

// Per-identity and per-service variable suffixes; see Var.
const (
	ClientID       = "CLIENT_ID"
	Namespace      = "NAMESPACE"
	ServiceAccount = "SERVICE_ACCOUNT"
)

// Var derives the variable of one field of a named thing (a service or a platform identity):
// upper case, '-' and '.' become '_', then "_" and the field. Var("user-service", ClientID) is
// "USER_SERVICE_CLIENT_ID".
func Var(name, field string) string {
	key := strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(name))
	return key + "_" + field
}

// varRef matches a reference the way Flux's post-build substitution sees it: "${NAME}" is a
// variable, "$${NAME}" an escaped literal. Anything else inside ${...} (defaults, operators) is
// refused by Vars, so that every reference is one Var can account for.
var varRef = regexp.MustCompile(`(\$+)\{([^}]*)\}`)
var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// VarsIn lists the substitution variables used in a text, sorted and without repeats.
func VarsIn(text string) ([]string, error) {
	seen := map[string]bool{}
	var errs []error
	for _, m := range varRef.FindAllStringSubmatch(text, -1) {
		if len(m[1])%2 == 0 {
			continue // $${X}: escaped, Flux leaves ${X}
		}
		if !varName.MatchString(m[2]) {
			errs = append(errs, fmt.Errorf("unsupported substitution %q: use ${NAME}, or $${...} for a literal", m[0]))
			continue
		}
		seen[m[2]] = true
	}
	return sortedKeys(seen), errors.Join(errs...)
}

// Files lists the files a kustomization directory builds from: its kustomization.yaml and,
// recursively, its resources, components and patch files. It understands the fields this tree
// uses and refuses the other file-referencing ones, so that nothing escapes Vars.
func Files(dir string) ([]string, error) {
	seen := map[string]bool{}
	if err := files(filepath.Clean(dir), seen); err != nil {
		return nil, err
	}
	return sortedKeys(seen), nil
}

type kustomizationFile struct {
	Resources  []string `yaml:"resources"`
	Components []string `yaml:"components"`
	Patches    []struct {
		Path string `yaml:"path"`
	} `yaml:"patches"`
	// Fields that reference files but that this reader does not follow.
	ConfigMapGenerator    []any `yaml:"configMapGenerator"`
	SecretGenerator       []any `yaml:"secretGenerator"`
	PatchesStrategicMerge []any `yaml:"patchesStrategicMerge"`
	PatchesJSON6902       []any `yaml:"patchesJson6902"`
	HelmCharts            []any `yaml:"helmCharts"`
}

func files(dir string, seen map[string]bool) error {
	kfile := filepath.Join(dir, "kustomization.yaml")
	if seen[kfile] {
		return nil
	}
	raw, err := os.ReadFile(kfile)
	if err != nil {
		return err
	}
	seen[kfile] = true
	var k kustomizationFile
	if err := yaml.Unmarshal(raw, &k); err != nil {
		return fmt.Errorf("%s: %w", kfile, err)
	}
	if len(k.ConfigMapGenerator)+len(k.SecretGenerator)+len(k.PatchesStrategicMerge)+len(k.PatchesJSON6902)+len(k.HelmCharts) > 0 {
		return fmt.Errorf("%s: use resources, components and patches only (gitops.Files does not follow the others)", kfile)
	}
	refs := append(append([]string{}, k.Resources...), k.Components...)
	for _, p := range k.Patches {
		if p.Path != "" {
			refs = append(refs, p.Path)
		}
	}
	for _, ref := range refs {
		if strings.Contains(ref, "://") {
			return fmt.Errorf("%s: remote reference %q: builds must be offline", kfile, ref)
		}
		p := filepath.Join(dir, ref)
		info, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%s: %w", kfile, err)
		}
		if info.IsDir() {
			if err := files(p, seen); err != nil {
				return err
			}
			continue
		}
		seen[p] = true
	}
	return nil
}

// Vars lists the substitution variables a kustomization directory uses, across every file it
// builds from.
func Vars(dir string) ([]string, error) {
	fs, err := Files(dir)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var errs []error
	for _, f := range fs {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		vars, err := VarsIn(string(raw))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
		}
		for _, v := range vars {
			seen[v] = true
		}
	}
	return sortedKeys(seen), errors.Join(errs...)
}

// KustomizationDirs lists every directory under root that holds a kustomization.yaml.
func KustomizationDirs(root string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "kustomization.yaml" {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	sort.Strings(dirs)
	return dirs, err
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
