// Package flux is the flux layer: the Flux extension, the Flux configuration and the cluster
// values handed to the GitOps tree.
package flux

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	fluxc "github.com/azure-saas-platform/platform/components/flux"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/gitops"
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

	kustomizations := Kustomizations(env, vars)
	paths := pulumi.StringMap{}
	for _, k := range kustomizations {
		paths[k.Name] = pulumi.String(k.Path)
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
func Kustomizations(env *config.Env, vars pulumi.StringMap) []fluxc.Kustomization {
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
		ks[i].Substitute = vars
	}
	return ks
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

// Substitutions are the post-build variables every kustomization gets: the cluster values the
// GitOps tree needs, keyed as package gitops derives them.
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
		gitops.PublicOrigins:     PublicOrigins(a.FrontDoorEndpointHost, env.FrontDoor.CustomDomains),
		gitops.ExternalIDAuth:    i.ExternalIDAuthority,
		gitops.DataLakeDFS:       b.DataLakeDFSEndpoint,
		gitops.SQLServerFQDN:     b.SQLServerFQDN,
		gitops.SQLDatabaseName:   b.SQLDatabaseName,
		gitops.PostgresFQDN:      b.PostgresServerFQDN,
		gitops.DocIntelEndpoint:  a.DocumentIntelligenceURL,
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
	for _, s := range env.Services {
		v[gitops.Var(s.Name, gitops.ClientID)] = clientID(s.Name)
		v[gitops.Var(s.Name, gitops.Namespace)] = pulumi.String(s.Namespace)
		v[gitops.Var(s.Name, gitops.ServiceAccount)] = pulumi.String(s.ServiceAccount)
		v[gitops.Var(s.Name, gitops.APIClientID)] = i.APIClientIDs.MapIndex(pulumi.String(s.Name))
		v[gitops.Var(s.Name, gitops.APIScope)] = i.APIScopes.MapIndex(pulumi.String(s.Name))
	}
	// The services' network policies admit Application Gateway for Containers, whose proxies
	// reach the pods from the AGC subnet.
	v[gitops.AGCSubnetCIDR] = pulumi.String(env.Subnets[netplan.AGC])
	if env.Flux.Auth == fluxc.AuthKeyVaultSecret {
		v[gitops.FluxGitSecret] = pulumi.String(env.Flux.CredentialsSecret)
	}
	if env.Flux.ImageAutomation {
		v[gitops.FluxGitRepository] = pulumi.String(env.Names.FluxConfiguration)
		v[gitops.FluxBranch] = pulumi.String(env.Flux.Branch)
	}
	// The published dashboards: their public host and the app registration they sign in with.
	if env.Dashboards() {
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

// PublicOrigins is the comma-separated list of https origins the SPA is served from (the Front
// Door endpoint and every custom domain): the services' CORS allow-list.
func PublicOrigins(frontDoorHost pulumi.StringOutput, customDomains []string) pulumi.StringOutput {
	return frontDoorHost.ApplyT(func(h string) string {
		origins := []string{"https://" + h}
		for _, d := range customDomains {
			origins = append(origins, "https://"+d)
		}
		return strings.Join(origins, ",")
	}).(pulumi.StringOutput)
}
