// Package flux is the flux layer: the Flux extension, the Flux configuration and the cluster
// values handed to the GitOps tree.
package flux

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	fluxc "github.com/azure-saas-platform/platform/components/flux"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/layers/aks"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/identity"
)

// Layer is the layer component.
type Layer struct {
	pulumi.ResourceState
}

// New builds the flux layer.
func New(ctx *pulumi.Context, env *config.Env, b *base.Outputs, i *identity.Outputs, a *aks.Outputs) (*Outputs, error) {
	adoOrg, err := AzureDevOpsOrgURL(env.Pipeline.AzureDevOps.Subject)
	if err != nil {
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
		ImageAutomation:          true,
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

// Kustomizations is the configuration's hierarchy: the add-on controllers, then their
// configuration, then the API Gateway, then the services and, beside them, the CI agents (and, with Git auth
// keyVaultSecret, the ExternalSecret that keeps Flux's own Git credentials in sync).
func Kustomizations(env *config.Env, vars pulumi.StringMap) []fluxc.Kustomization {
	ks := []fluxc.Kustomization{
		// Helm installs (kube-prometheus-stack, OpenSearch operator) take minutes.
		{Name: gitops.InfraControllers, TimeoutSeconds: 900, RetryIntervalSeconds: 120},
		{Name: gitops.InfraConfigs, DependsOn: []string{gitops.InfraControllers}, TimeoutSeconds: 600, RetryIntervalSeconds: 60},
		// The Gateway waits for the origin certificate when there is one (ACME takes minutes).
		{Name: gitops.Gateway, DependsOn: []string{gitops.InfraConfigs}, TimeoutSeconds: 900, RetryIntervalSeconds: 60},
		{Name: gitops.Services, DependsOn: []string{gitops.InfraConfigs, gitops.Gateway}, TimeoutSeconds: 600, RetryIntervalSeconds: 60},
		// Beside the services, so that a missing agent PAT in Key Vault holds back only the agents.
		{Name: gitops.CIAgents, DependsOn: []string{gitops.InfraConfigs}, TimeoutSeconds: 300, RetryIntervalSeconds: 120},
	}
	if env.Flux.Auth == fluxc.AuthKeyVaultSecret {
		ks = append(ks, fluxc.Kustomization{Name: gitops.GitCredentials, DependsOn: []string{gitops.InfraConfigs}, TimeoutSeconds: 300, RetryIntervalSeconds: 60})
	}
	for i := range ks {
		entry := ks[i].Name
		if entry == gitops.Gateway {
			entry = gitops.GatewayVariant(env.AGC.OriginHostName != "")
		}
		ks[i].Path = gitops.Path(env.Environment, entry)
		ks[i].SyncIntervalSeconds = 600
		ks[i].Prune = true
		ks[i].Wait = true
		ks[i].Substitute = vars
	}
	return ks
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
	// Platform add-ons with an Azure identity: the Helm releases annotate their service accounts.
	for _, id := range []string{config.IdentityExternalSecrets, config.IdentityCertManager, config.IdentityALBController} {
		v[gitops.Var(id, gitops.ClientID)] = clientID(id)
	}
	for _, s := range env.Services {
		v[gitops.Var(s.Name, gitops.ClientID)] = clientID(s.Name)
		v[gitops.Var(s.Name, gitops.Namespace)] = pulumi.String(s.Namespace)
		v[gitops.Var(s.Name, gitops.ServiceAccount)] = pulumi.String(s.ServiceAccount)
		v[gitops.Var(s.Name, gitops.APIClientID)] = i.APIClientIDs.MapIndex(pulumi.String(s.Name))
		v[gitops.Var(s.Name, gitops.APIScope)] = i.APIScopes.MapIndex(pulumi.String(s.Name))
	}
	if env.Flux.Auth == fluxc.AuthKeyVaultSecret {
		v[gitops.FluxGitSecret] = pulumi.String(env.Flux.CredentialsSecret)
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

// AzureDevOpsOrgURL derives the organization URL (https://dev.azure.com/<organization>) from the
// pipeline's service connection subject, sc://<organization>/<project>/<connection>: the
// self-hosted agent registers there.
func AzureDevOpsOrgURL(subject string) (string, error) {
	rest, ok := strings.CutPrefix(subject, "sc://")
	org, _, _ := strings.Cut(rest, "/")
	if !ok || org == "" {
		return "", fmt.Errorf("flux: pipeline.azureDevOps.subject %q: want sc://<organization>/<project>/<connection>", subject)
	}
	return "https://dev.azure.com/" + org, nil
}
