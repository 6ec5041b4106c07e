// Package flux is the flux layer: the Flux extension, the values only Azure knows written into
// the cluster (the service namespaces, the cluster-values ConfigMap every kustomization reads and
// one platform-values ConfigMap per service, through a Kubernetes provider signed in with Entra
// ID), and the Flux configuration.
package flux

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sort"

	cs "github.com/pulumi/pulumi-azure-native-sdk/containerservice/v2/v20240902preview"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/components/externalid"
	fluxc "github.com/azure-saas-platform/platform/components/flux"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/kubeconfig"
	"github.com/azure-saas-platform/platform/layers/aks"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/identity"
	"github.com/azure-saas-platform/platform/netplan"
)

// Layer is the layer component.
type Layer struct {
	pulumi.ResourceState
}

// New builds the flux layer.
func New(ctx *pulumi.Context, env *config.Env, b *base.Outputs, i *identity.Outputs, a *aks.Outputs) (*Outputs, error) {
	// The self-hosted agents register with the pipeline's Azure DevOps organization: configured,
	// or read from an sc:// subject (config validation fills it; the Entra form names the
	// organization only by its ID).
	adoOrg := env.Pipeline.AzureDevOps.OrganizationURL()
	if adoOrg == "" {
		return nil, errors.New("flux: platform:pipeline.azureDevOps.organization is empty (config validation fills it from an sc:// subject and requires it with the Entra issuer)")
	}
	if err := CheckWorkloads(env); err != nil {
		return nil, err
	}
	layer := &Layer{}
	if err := ctx.RegisterComponentResource("platform:layer:Flux", "flux", layer); err != nil {
		return nil, err
	}

	vars := Substitutions(env, b, i, a, adoOrg)
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	kustomizations := Kustomizations(env)
	paths := pulumi.StringMap{}
	for _, k := range kustomizations {
		paths[k.Name] = pulumi.String(k.Path)
	}

	provider, err := clusterProvider(ctx, env, b, a, layer)
	if err != nil {
		return nil, err
	}
	configMaps := []fluxc.ConfigMap{{Name: gitops.ClusterValuesConfigMap, Labels: valuesLabels, Data: vars}}
	platform := platformInputs(env, b, i, a)
	for _, s := range env.Services {
		configMaps = append(configMaps, fluxc.ConfigMap{
			Name:   gitops.PlatformValuesConfigMap(s.Name),
			Labels: valuesLabels,
			Data:   pulumi.StringMap{gitops.PlatformValuesKey: platformValuesYAML(platform, s, i)},
		})
	}

	args := &fluxc.Args{
		ResourceGroupName:        b.ResourceGroupName,
		ClusterName:              a.ClusterName,
		ExtensionName:            "flux",
		ReleaseNamespace:         "flux-system",
		ReleaseTrain:             releaseTrain(env.Flux.ReleaseTrain),
		AutoUpgradeMinorVersion:  env.Flux.AutoUpgradeMinorVersion,
		Version:                  env.Flux.Version,
		ImageAutomation:          env.Flux.ImageAutomation,
		WorkloadIdentityClientID: i.IdentityClientIDs.MapIndex(pulumi.String(config.IdentityFlux)),
		MultiTenancy:             true,
		HelmDetectDrift:          true,
		ConfigurationName:        env.Names.FluxConfiguration,
		Namespace:                "flux-system",
		RepositoryURL:            env.Flux.RepositoryURL,
		Branch:                   env.Flux.Branch,
		SyncIntervalSeconds:      env.Flux.SyncIntervalSeconds,
		GitTimeoutSeconds:        180,
		Auth:                     env.Flux.Auth,
		Kustomizations:           kustomizations,
		Cluster: &fluxc.ClusterObjects{
			Provider:   provider,
			Namespaces: ServiceNamespaces(env),
			ConfigMaps: configMaps,
		},
	}
	if env.Flux.Auth == fluxc.AuthKeyVaultSecret {
		args.LocalAuthRef = env.Flux.CredentialsSecret
	}
	f, err := fluxc.New(ctx, "flux", args, pulumi.Parent(layer))
	if err != nil {
		return nil, err
	}

	out := &Outputs{
		FluxConfigurationID: f.ConfigurationID,
		Kustomizations:      paths.ToStringMapOutput(),
		SubstitutionKeys:    pulumi.ToStringArray(keys).ToStringArrayOutput(),
	}
	if err := ctx.RegisterResourceOutputs(layer, pulumi.Map{
		"fluxConfigurationId": out.FluxConfigurationID,
		"kustomizations":      out.Kustomizations,
		"substitutionKeys":    out.SubstitutionKeys,
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func releaseTrain(train string) string {
	if train == "preview" {
		return "Preview"
	}
	return "Stable"
}

// Kustomizations is the configuration's hierarchy. Only what needs another's objects depends on
// it, so that a failure holds back as little as possible:
//   - infra-controllers: the add-on controllers and CRDs;
//   - infra-configs (after the controllers): secret store, issuers, spot pool, RBAC;
//   - gateway (after infra-configs: its HTTPS variant uses the issuers);
//   - services (after infra-configs: their ExternalSecrets use its store; HTTPRoutes need only
//     the Gateway API CRDs, so a late certificate does not hold back a rollout);
//   - ci-agents and, with Git auth keyVaultSecret, git-credentials (after the controllers; each
//     brings its own narrowly conditioned secret store);
//   - monitoring (after infra-configs: Grafana's admin secret and the Alertmanager receivers'
//     URLs come through its store; with published dashboards its HTTPRoutes need only the
//     Gateway API CRDs) and logging (after the controllers): nothing depends on either;
//   - with flux.imageAutomation, image-automation (Flux's own image CRDs only).
//
// Every kustomization reads the cluster values from the cluster-values ConfigMap
// (postBuild.substituteFrom).
func Kustomizations(env *config.Env) []fluxc.Kustomization {
	ks := []fluxc.Kustomization{
		{Name: gitops.InfraControllers, TimeoutSeconds: 900, RetryIntervalSeconds: 120},
		{Name: gitops.InfraConfigs, DependsOn: []string{gitops.InfraControllers}, TimeoutSeconds: 600, RetryIntervalSeconds: 60},
		// The Gateway waits for the origin certificate when there is one (ACME takes minutes).
		{Name: gitops.Gateway, DependsOn: []string{gitops.InfraConfigs}, TimeoutSeconds: 900, RetryIntervalSeconds: 60},
		{Name: gitops.Services, DependsOn: []string{gitops.InfraConfigs}, TimeoutSeconds: 600, RetryIntervalSeconds: 60},
		// Beside the services, so that a missing agent PAT in Key Vault holds back only the agents.
		{Name: gitops.CIAgents, DependsOn: []string{gitops.InfraControllers}, TimeoutSeconds: 300, RetryIntervalSeconds: 120},
		// kube-prometheus-stack's Helm timeout is 15 minutes; the kustomization waits a little longer.
		{Name: gitops.Monitoring, DependsOn: []string{gitops.InfraConfigs}, TimeoutSeconds: 1200, RetryIntervalSeconds: 120},
		// Fluent Bit waits (Helm timeout 15 minutes, retried) for the operator's CA secret.
		{Name: gitops.Logging, DependsOn: []string{gitops.InfraControllers}, TimeoutSeconds: 1200, RetryIntervalSeconds: 120},
	}
	if env.Flux.Auth == fluxc.AuthKeyVaultSecret {
		ks = append(ks, fluxc.Kustomization{Name: gitops.GitCredentials, DependsOn: []string{gitops.InfraControllers}, TimeoutSeconds: 300, RetryIntervalSeconds: 60})
	}
	if env.Flux.ImageAutomation {
		ks = append(ks, fluxc.Kustomization{Name: gitops.ImageAutomation, TimeoutSeconds: 300, RetryIntervalSeconds: 120})
	}
	for i := range ks {
		entry := ks[i].Name
		switch entry {
		case gitops.Gateway:
			entry = gitops.GatewayVariant(env.AGC.OriginHostName != "")
		case gitops.Monitoring:
			entry = gitops.MonitoringVariant(env.Dashboards())
		}
		ks[i].Path = gitops.Path(env.Environment, entry)
		ks[i].SyncIntervalSeconds = 600
		ks[i].Prune = true
		ks[i].Wait = true
		ks[i].SubstituteFrom = []string{gitops.ClusterValuesConfigMap}
	}
	return ks
}

// valuesLabels mark the ConfigMaps the layer writes.
var valuesLabels = map[string]string{
	"app.kubernetes.io/managed-by": "pulumi",
	"app.kubernetes.io/part-of":    "platform",
}

// ServiceNamespaces are the namespaces of the configured services (one per namespace name, in
// configuration order): Pod Security "restricted" enforced (the chart's pods meet it), audited
// and warned, and the label that lets their HTTPRoutes attach to the API Gateway.
func ServiceNamespaces(env *config.Env) []fluxc.Namespace {
	var out []fluxc.Namespace
	seen := map[string]bool{}
	for _, s := range env.Services {
		if seen[s.Namespace] {
			continue
		}
		seen[s.Namespace] = true
		out = append(out, fluxc.Namespace{Name: s.Namespace, Labels: map[string]string{
			"app.kubernetes.io/managed-by":       "pulumi",
			"app.kubernetes.io/part-of":          "saas-services",
			gitops.GatewayAccessLabel:            gitops.GatewayName,
			"pod-security.kubernetes.io/enforce": "restricted",
			"pod-security.kubernetes.io/audit":   "restricted",
			"pod-security.kubernetes.io/warn":    "restricted",
		}})
	}
	return out
}

// credentialsFormat asks AKS for the exec (kubelogin) form of an Entra ID cluster's credentials;
// only the server and CA are taken from them (kubeconfig.Exec).
const credentialsFormat = "exec"

// clusterProvider is the Kubernetes provider of the cluster, signed in with Entra ID: the
// cluster's user credentials (listClusterUserCredential, never the admin ones; local accounts are
// disabled anyway) turned into a kubeconfig whose user runs kubelogin with the configured login
// (platform:flux.clusterLogin). What the signed-in identity may do in the cluster is Azure RBAC's
// (docs/flux.md). The kubeconfig is a secret.
func clusterProvider(ctx *pulumi.Context, env *config.Env, b *base.Outputs, a *aks.Outputs, parent pulumi.Resource) (*kubernetes.Provider, error) {
	creds := cs.ListManagedClusterUserCredentialsOutput(ctx, cs.ListManagedClusterUserCredentialsOutputArgs{
		ResourceGroupName: b.ResourceGroupName,
		ResourceName:      a.ClusterName,
		Format:            pulumi.String(credentialsFormat),
	}, pulumi.Parent(parent))
	login := env.Flux.ClusterLogin
	kc := creds.Kubeconfigs().Index(pulumi.Int(0)).Value().ApplyT(func(v string) (string, error) {
		raw, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return "", fmt.Errorf("flux: the cluster's user credentials are not base64: %w", err)
		}
		return kubeconfig.Exec(raw, login)
	}).(pulumi.StringOutput)
	return kubernetes.NewProvider(ctx, "cluster", &kubernetes.ProviderArgs{
		Kubeconfig: pulumi.ToSecret(kc).(pulumi.StringOutput),
		// The provider, and with it every object it wrote, is replaced only when the cluster is:
		// not when the kubeconfig changes (a new CA, another login mode).
		ClusterIdentifier:     a.ClusterID,
		EnableServerSideApply: pulumi.Bool(true),
		// A changed value updates its ConfigMap in place. Without this the provider replaces a
		// ConfigMap on every change, and a named one by deleting it first: Flux would find its
		// values missing in between.
		EnableConfigMapMutable: pulumi.Bool(true),
		DeleteUnreachable:      pulumi.Bool(false),
		SkipUpdateUnreachable:  pulumi.Bool(false),
	}, pulumi.Parent(parent))
}

// platformInputs gathers what every service's platform values are derived from.
func platformInputs(env *config.Env, b *base.Outputs, i *identity.Outputs, a *aks.Outputs) pulumi.AnyOutput {
	var roles []string
	for _, r := range externalid.AppRoles {
		roles = append(roles, r.Value)
	}
	return pulumi.All(b.TenantID, a.ACRLoginServer, b.KeyVaultName, b.KeyVaultURI, b.SQLServerFQDN, b.SQLDatabaseName,
		b.PostgresServerFQDN, b.DataLakeDFSEndpoint, a.DocumentIntelligenceURL, i.ExternalIDTenantID, i.ExternalIDAuthority,
		a.FrontDoorEndpointHost).ApplyT(func(v []any) gitops.PlatformInputs {
		str := func(k int) string { return v[k].(string) }
		return gitops.PlatformInputs{
			Environment:                  env.Environment,
			TenantID:                     str(0),
			ContainerRegistry:            str(1),
			KeyVaultName:                 str(2),
			KeyVaultURI:                  str(3),
			SQLServerFQDN:                str(4),
			SQLDatabase:                  str(5),
			PostgresServerFQDN:           str(6),
			DataLakeDFSEndpoint:          str(7),
			DocumentIntelligenceEndpoint: str(8),
			ExternalIDTenantID:           str(9),
			ExternalIDAuthority:          str(10),
			RequiredScopes:               []string{externalid.ScopeValue},
			AllowedRoles:                 roles,
			PublicOrigins:                publicOrigins(str(11), env.FrontDoor.CustomDomains),
			AGCSubnetCIDR:                env.Subnets[netplan.AGC],
			PrivateEndpointsCIDR:         env.Subnets[netplan.PrivateEndpoints],
			PostgresCIDR:                 env.Subnets[netplan.Postgres],
		}
	}).(pulumi.AnyOutput)
}

// platformValuesYAML is the document of a service's platform-values ConfigMap
// (gitops.ServicePlatformValues): its identity, its API registration and the environment's values.
func platformValuesYAML(platform pulumi.AnyOutput, s config.Service, i *identity.Outputs) pulumi.StringOutput {
	return pulumi.All(platform, i.IdentityClientIDs.MapIndex(pulumi.String(s.Name)), i.APIClientIDs.MapIndex(pulumi.String(s.Name))).ApplyT(func(v []any) (string, error) {
		p, err := gitops.ServicePlatformValues(v[0].(gitops.PlatformInputs), s, v[1].(string), v[2].(string))
		if err != nil {
			return "", fmt.Errorf("flux: %w", err)
		}
		doc, err := p.YAML()
		if err != nil {
			return "", fmt.Errorf("flux: service %s: %w", s.Name, err)
		}
		return doc, nil
	}).(pulumi.StringOutput)
}

// ALBControllerServiceAccount is the service account the ALB controller chart creates; the chart
// has no value to rename it.
const ALBControllerServiceAccount = "alb-controller-sa"

// CheckWorkloads refuses add-on settings the GitOps tree cannot follow: the tree gives External
// Secrets and cert-manager the first of their configured service accounts, and the ALB
// controller's chart fixes its service account's name, so that name must be federated.
func CheckWorkloads(env *config.Env) error {
	var errs []error
	for key, w := range map[string]config.Workload{
		"workloads.externalSecrets": env.Workloads.ExternalSecrets,
		"workloads.certManager":     env.Workloads.CertManager,
		"workloads.albController":   env.Workloads.ALBController,
	} {
		if len(w.ServiceAccounts) == 0 {
			errs = append(errs, fmt.Errorf("flux: %s.serviceAccounts is empty", key))
		}
	}
	if !slices.Contains(env.Workloads.ALBController.ServiceAccounts, ALBControllerServiceAccount) {
		errs = append(errs, fmt.Errorf("flux: workloads.albController.serviceAccounts %v must include %s: the ALB controller chart creates that service account and cannot rename it", env.Workloads.ALBController.ServiceAccounts, ALBControllerServiceAccount))
	}
	return errors.Join(errs...)
}

// Substitutions are the post-build variables every kustomization gets, keyed as package gitops
// derives them: the cluster values the GitOps tree needs, and the data of the cluster-values
// ConfigMap the kustomizations read them from. (The services' own Azure values go to their
// platform-values ConfigMaps instead.)
func Substitutions(env *config.Env, b *base.Outputs, i *identity.Outputs, a *aks.Outputs, adoOrgURL string) pulumi.StringMap {
	clientID := func(key string) pulumi.StringOutput { return i.IdentityClientIDs.MapIndex(pulumi.String(key)) }
	v := pulumi.StringMap{
		gitops.Environment:       pulumi.String(env.Environment),
		gitops.Location:          b.Location,
		gitops.TenantID:          b.TenantID,
		gitops.ClusterName:       a.ClusterName,
		gitops.KeyVaultURI:       b.KeyVaultURI,
		gitops.ACRLoginServer:    a.ACRLoginServer,
		gitops.AGCID:             a.AGCTrafficControllerID,
		gitops.AGCFrontendName:   a.AGCFrontendName,
		gitops.AGCWAFPolicyID:    a.AGCWAFPolicyID,
		gitops.PlatformAdmins:    b.PlatformAdminsGroupID,
		gitops.AzureDevOpsOrgURL: pulumi.String(adoOrgURL),
	}
	// Platform add-ons with an Azure identity: the Helm releases install into the configured
	// namespaces and annotate the configured service accounts, so they match the federated
	// credentials (config.Env.WorkloadFederations). The ALB controller's service account name is
	// fixed by its chart (CheckWorkloads).
	for id, w := range map[string]config.Workload{
		config.IdentityExternalSecrets: env.Workloads.ExternalSecrets,
		config.IdentityCertManager:     env.Workloads.CertManager,
		config.IdentityALBController:   env.Workloads.ALBController,
	} {
		v[gitops.Var(id, gitops.ClientID)] = clientID(id)
		v[gitops.Var(id, gitops.Namespace)] = pulumi.String(w.Namespace)
		if id != config.IdentityALBController && len(w.ServiceAccounts) > 0 {
			v[gitops.Var(id, gitops.ServiceAccount)] = pulumi.String(w.ServiceAccounts[0])
		}
	}
	// The services' HelmReleases install into the configured namespaces (which this layer
	// creates), with the chart from the configuration's GitRepository.
	for _, s := range env.Services {
		v[gitops.Var(s.Name, gitops.Namespace)] = pulumi.String(s.Namespace)
	}
	v[gitops.FluxGitRepository] = pulumi.String(env.Names.FluxConfiguration)
	if env.Flux.Auth == fluxc.AuthKeyVaultSecret {
		v[gitops.FluxGitSecret] = pulumi.String(env.Flux.CredentialsSecret)
	}
	if env.Flux.ImageAutomation {
		v[gitops.FluxBranch] = pulumi.String(env.Flux.Branch)
	}
	// The published dashboards: their public host, the app registration they sign in with, and
	// AGC's subnet, which their network policies admit.
	if env.Dashboards() {
		v[gitops.AGCSubnetCIDR] = pulumi.String(env.Subnets[netplan.AGC])
		v[gitops.DashboardsHost] = aks.DashboardsHost(a.FrontDoorEndpointHost, env.FrontDoor.CustomDomains)
		v[gitops.DashboardsClientID] = i.DashboardsClientID
	}
	if host := env.AGC.OriginHostName; host != "" {
		sub, group, zone := env.AGC.OriginDNSZone()
		v[gitops.APIOriginHost] = pulumi.String(host)
		v[gitops.APIOriginDNSZone] = pulumi.String(zone)
		v[gitops.APIOriginDNSResourceGroup] = pulumi.String(group)
		v[gitops.APIOriginDNSSubscriptionID] = pulumi.String(sub)
	}
	return v
}

// publicOrigins are the https origins the SPA is served from (the Front Door endpoint and every
// custom domain): the services' CORS allow-list.
func publicOrigins(frontDoorHost string, customDomains []string) []string {
	origins := []string{"https://" + frontDoorHost}
	for _, d := range customDomains {
		origins = append(origins, "https://"+d)
	}
	return origins
}
