// Package identity is the identity layer: managed identities, role assignments on base
// resources, pipeline federation, Entra External ID and the dashboards' app registration in the
// workforce tenant.
//
// A role assignment lives here when both of its ends exist by the end of this layer: the
// identities created here and the resources of base. Assignments on the cluster, ACR, Application
// Gateway for Containers and Document Intelligence belong to the aks layer.
package identity

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/dashboardapp"
	"github.com/azure-saas-platform/platform/components/externalid"
	"github.com/azure-saas-platform/platform/components/managedidentity"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/roles"
)

// GitHubIssuer is the OpenID Connect issuer of GitHub Actions.
const GitHubIssuer = "https://token.actions.githubusercontent.com"

// PipelineDelegatedPrincipalTypes are the principals the pipeline may grant roles to: workload
// identities and groups, never individual users.
var PipelineDelegatedPrincipalTypes = []string{avm.PrincipalServicePrincipal, avm.PrincipalGroup}

type layer struct {
	pulumi.ResourceState
}

// New builds the identity layer.
func New(ctx *pulumi.Context, env *config.Env, b *base.Outputs) (*Outputs, error) {
	if env == nil || b == nil {
		return nil, errors.New("identity layer: env and the base contract are required")
	}
	l := &layer{}
	if err := ctx.RegisterComponentResource("platform:layer:Identity", "identity", l); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(l)
	n := env.Names
	tags := avm.Tags(env.ResourceTags())

	// Identities. In a protected environment each has Pulumi's protect and a CanNotDelete lock: a
	// recreated identity gets a new principal (object) ID, which breaks the database users made for
	// it and every federation that names it.
	protect, lock := env.ProtectStatefulResources, avm.LockNone
	if protect {
		lock = avm.LockCanNotDelete
	}
	ids := map[string]*managedidentity.ManagedIdentity{}
	keys := append(append([]string{}, config.PlatformIdentities...), serviceNames(env)...)
	for _, key := range keys {
		var creds []managedidentity.FederatedCredential
		if key == config.IdentityPipeline {
			creds = pipelineCredentials(env)
		}
		id, err := managedidentity.New(ctx, key, &managedidentity.Args{
			ResourceGroupName:    b.ResourceGroupName,
			Location:             b.Location,
			Name:                 n.Identities[key],
			FederatedCredentials: creds,
			Protect:              protect,
			Lock:                 lock,
			Tags:                 tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		ids[key] = id
	}
	principal := func(key string) pulumi.StringOutput { return ids[key].PrincipalID }

	// Role assignments on base resources and on the identities, grouped by scope; each at the
	// narrowest scope that works. cert-manager gets one only on the API origin's DNS zone (outside
	// the platform, named in config) for its DNS-01 challenges. Deliberately none here for flux
	// (AcrPull on the registry is the aks layer's; reading Azure DevOps repositories is an Azure
	// DevOps permission of the identity, not an Azure role) and the kubelet (AcrPull, aks layer).
	type grant struct {
		name        string
		scope       pulumi.StringInput
		assignments []avm.RoleAssignment
	}
	subnet := func(role netplan.Role) pulumi.StringOutput {
		return entry(b.SubnetIDs, string(role), "base subnetIds")
	}
	controlPlane := config.IdentityControlPlane
	grants := []grant{
		{"kubelet-identity", ids[config.IdentityKubelet].ID, []avm.RoleAssignment{{
			Key: controlPlane, Role: roles.ManagedIdentityOperator, PrincipalID: principal(controlPlane),
			Description: "AKS control plane assigns the kubelet identity to the node pools",
		}}},
		{"nodes-subnet", subnet(netplan.Nodes), []avm.RoleAssignment{{
			Key: controlPlane, Role: roles.NetworkContributor, PrincipalID: principal(controlPlane),
			Description: "AKS control plane joins nodes and internal load balancers to the nodes subnet",
		}}},
		{"apiserver-subnet", subnet(netplan.APIServer), []avm.RoleAssignment{{
			Key: controlPlane, Role: roles.NetworkContributor, PrincipalID: principal(controlPlane),
			Description: "AKS control plane injects the API server into its delegated subnet (API Server VNet Integration)",
		}}},
		{"agc-subnet", subnet(netplan.AGC), []avm.RoleAssignment{{
			Key: config.IdentityALBController, Role: roles.NetworkContributor, PrincipalID: principal(config.IdentityALBController),
			Description: "ALB controller joins Application Gateway for Containers associations to its subnet",
		}}},
	}
	if env.AKS.APIServerAccess == "private" {
		// A private cluster with the platform's own private DNS zone writes the API server's record
		// into it and links the zone to the cluster's VNet; Microsoft documents both roles for the
		// control plane identity (aks/private-clusters, "Custom private DNS zone").
		grants = append(grants,
			grant{"aks-dns-zone", entry(b.PrivateDNSZoneIDs, "aks", "base privateDnsZoneIds"), []avm.RoleAssignment{{
				Key: controlPlane, Role: roles.PrivateDNSZoneContributor, PrincipalID: principal(controlPlane),
				Description: "AKS control plane writes the private API server's record into the platform's private DNS zone",
			}}},
			grant{"vnet", b.VnetID, []avm.RoleAssignment{{
				Key: controlPlane, Role: roles.NetworkContributor, PrincipalID: principal(controlPlane),
				Description: "AKS control plane links its private DNS zone to the cluster's virtual network",
			}}},
		)
	}
	vault := []avm.RoleAssignment{
		{
			Key: config.IdentityExternalSecrets, Role: roles.KeyVaultSecretsUser, PrincipalID: principal(config.IdentityExternalSecrets),
			Description: "External Secrets Operator reads secrets into Kubernetes",
		},
		{
			// Someone has to put the workloads' secrets into the vault: its operators, a group,
			// never the pipeline (which would then hold every secret).
			Key: "platform-admins", Role: roles.KeyVaultSecretsOfficer, PrincipalID: b.PlatformAdminsGroupID,
			PrincipalType: avm.PrincipalGroup,
			Description:   "Platform administrators write the workloads' secrets",
		},
	}
	var lake []avm.RoleAssignment
	for _, s := range env.Services {
		if s.KeyVaultSecrets {
			vault = append(vault, avm.RoleAssignment{
				Key: s.Name, Role: roles.KeyVaultSecretsUser, PrincipalID: principal(s.Name),
				Description: s.Name + " reads Key Vault secrets directly",
			})
		}
		switch s.DataLake {
		case config.DataLakeRead:
			lake = append(lake, avm.RoleAssignment{
				Key: s.Name, Role: roles.StorageBlobDataReader, PrincipalID: principal(s.Name),
				Description: s.Name + " reads customer data from the data lake",
			})
		case config.DataLakeReadWrite:
			lake = append(lake, avm.RoleAssignment{
				Key: s.Name, Role: roles.StorageBlobDataContributor, PrincipalID: principal(s.Name),
				Description: s.Name + " reads and writes customer data in the data lake",
			})
		}
	}
	if zone := env.AGC.OriginDNSZoneID; zone != "" {
		grants = append(grants, grant{"origin-dns-zone", pulumi.String(zone), []avm.RoleAssignment{{
			Key: config.IdentityCertManager, Role: roles.DNSZoneContributor, PrincipalID: principal(config.IdentityCertManager),
			Description: "cert-manager answers Let's Encrypt DNS-01 challenges for the API origin's certificate",
		}}})
	}
	grants = append(grants,
		grant{"key-vault", b.KeyVaultID, vault},
		grant{"data-lake", b.DataLakeID, lake},
		grant{"spa-storage", b.SPAStorageID, []avm.RoleAssignment{{
			Key: config.IdentityPipeline, Role: roles.StorageBlobDataContributor, PrincipalID: principal(config.IdentityPipeline),
			Description: "Deployment pipeline uploads the single-page app to the $web container",
		}}},
		grant{"resource-group", b.ResourceGroupID, pipelineRoles(principal(config.IdentityPipeline))},
	)
	for _, g := range grants {
		if err := avm.NewRoleAssignments(ctx, g.name, g.scope, g.assignments, parent); err != nil {
			return nil, err
		}
	}

	out := &Outputs{}
	idMap, clientMap, principalMap := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	for key, id := range ids {
		idMap[key] = id.ID
		clientMap[key] = id.ClientID
		principalMap[key] = id.PrincipalID
	}
	out.IdentityIDs = idMap.ToStringMapOutput()
	out.IdentityClientIDs = clientMap.ToStringMapOutput()
	out.IdentityPrincipalIDs = principalMap.ToStringMapOutput()

	if err := customerIdentity(ctx, env, b, tags, parent, out); err != nil {
		return nil, err
	}

	// The dashboards' sign-in, in the workforce tenant (the default azuread provider), limited
	// to platform-admins. Its redirect URIs and federated credentials need the Front Door host
	// and the cluster's OIDC issuer: the aks layer adds them.
	out.DashboardsClientID = pulumi.String("").ToStringOutput()
	out.DashboardsApplicationID = pulumi.String("").ToStringOutput()
	if env.Dashboards() {
		app, err := dashboardapp.New(ctx, "dashboards", &dashboardapp.Args{
			DisplayName:        env.Names.DashboardsApplication,
			AdminGroupObjectID: b.PlatformAdminsGroupID,
		}, parent)
		if err != nil {
			return nil, err
		}
		out.DashboardsClientID = app.ClientID
		out.DashboardsApplicationID = app.ApplicationID
	}

	if err := ctx.RegisterResourceOutputs(l, pulumi.Map{
		"identityIds": out.IdentityIDs, "identityClientIds": out.IdentityClientIDs,
		"identityPrincipalIds": out.IdentityPrincipalIDs, "externalIdTenantId": out.ExternalIDTenantID,
		"externalIdAuthority": out.ExternalIDAuthority, "spaClientId": out.SPAClientID,
		"mobileClientId": out.MobileClientID, "apiClientIds": out.APIClientIDs, "apiScopes": out.APIScopes,
		"dashboardsClientId": out.DashboardsClientID, "dashboardsApplicationId": out.DashboardsApplicationID,
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func serviceNames(env *config.Env) []string {
	var out []string
	for _, s := range env.Services {
		out = append(out, s.Name)
	}
	return out
}

// pipelineCredentials federates the pipeline identity with the Azure DevOps service connection
// and, when a repository is configured, with each GitHub Actions environment.
func pipelineCredentials(env *config.Env) []managedidentity.FederatedCredential {
	ado := env.Pipeline.AzureDevOps
	creds := []managedidentity.FederatedCredential{{
		Name:    env.Names.PipelineAzureDevOpsCredential,
		Issuer:  pulumi.String(ado.Issuer),
		Subject: pulumi.String(ado.Subject),
	}}
	gh := env.Pipeline.GitHub
	if gh.Repository != "" {
		for _, e := range gh.Environments {
			creds = append(creds, managedidentity.FederatedCredential{
				Name:    env.Names.PipelineGitHubCredentials[e],
				Issuer:  pulumi.String(GitHubIssuer),
				Subject: pulumi.String(fmt.Sprintf("repo:%s:environment:%s", gh.Repository, e)),
			})
		}
	}
	return creds
}

// pipelineRoles are the pipeline's roles on the platform's resource group, which holds everything
// the four layers create: Contributor creates and changes those resources; Locks Contributor
// manages the CanNotDelete locks of protected environments (Contributor excludes
// Microsoft.Authorization/*/Write); Role Based Access Control Administrator, limited by an ABAC
// condition to the roles the platform hands out (roles.Delegable) and to service principals and
// groups, creates the layers' role assignments. AKS creates the node resource group itself, so
// nothing is granted at subscription scope.
func pipelineRoles(principalID pulumi.StringInput) []avm.RoleAssignment {
	return []avm.RoleAssignment{
		{
			Key: config.IdentityPipeline, Role: roles.Contributor, PrincipalID: principalID,
			Description: "Deployment pipeline creates and updates the platform's resources in this resource group",
		},
		{
			Key: config.IdentityPipeline, Role: roles.LocksContributor, PrincipalID: principalID,
			Description: "Deployment pipeline manages the delete locks of protected resources",
		},
		{
			Key: config.IdentityPipeline, Role: roles.RoleBasedAccessControlAdmin, PrincipalID: principalID,
			Description: "Deployment pipeline creates the platform's role assignments, limited to the roles the platform uses",
			Condition:   roles.DelegationCondition(roles.Delegable, PipelineDelegatedPrincipalTypes),
		},
	}
}

// customerIdentity fills the External ID part of the contract: empty strings and maps when
// disabled, else the tenant (created or referenced) and its app registrations.
func customerIdentity(ctx *pulumi.Context, env *config.Env, b *base.Outputs, tags pulumi.StringMap, parent pulumi.ResourceOption, out *Outputs) error {
	x := env.ExternalID
	if x.Mode == config.ExternalIDDisabled {
		empty := pulumi.String("").ToStringOutput()
		out.ExternalIDTenantID, out.ExternalIDAuthority = empty, empty
		out.SPAClientID, out.MobileClientID = empty, empty
		out.APIClientIDs = pulumi.StringMap{}.ToStringMapOutput()
		out.APIScopes = pulumi.StringMap{}.ToStringMapOutput()
		return nil
	}
	spaRedirects := []string{}
	seen := map[string]bool{}
	for _, u := range append(customDomainRedirects(env.FrontDoor.CustomDomains), x.SpaRedirectURIs...) {
		if !seen[u] {
			seen[u] = true
			spaRedirects = append(spaRedirects, u)
		}
	}
	var apis []externalid.API
	for _, s := range env.Services {
		apis = append(apis, externalid.API{Key: s.Name, Name: env.Names.APIApplications[s.Name]})
	}
	args := &externalid.Args{
		Mode:             x.Mode,
		DeployerClientID: x.DeployerClientID,
		DeployerObjectID: x.DeployerObjectID,
		SPA:              externalid.Client{Name: env.Names.SPAApplication, RedirectURIs: spaRedirects},
		Mobile:           externalid.Client{Name: env.Names.MobileApplication, RedirectURIs: x.MobileRedirectURIs},
		APIs:             apis,
	}
	if x.Mode == config.ExternalIDCreate {
		args.ResourceGroupName = b.ResourceGroupName
		args.DomainName = x.DomainName
		args.DisplayName = x.DisplayName
		args.CountryCode = x.CountryCode
		args.DataResidency = x.DataResidency
		args.Tags = tags
		// Deleting the tenant deletes every customer account in it.
		args.Protect = env.ProtectStatefulResources
		if env.ProtectStatefulResources {
			args.Lock = avm.LockCanNotDelete
		}
	} else {
		args.TenantID = x.TenantID
		args.TenantSubdomain = x.TenantSubdomain
	}
	c, err := externalid.New(ctx, "externalid", args, parent)
	if err != nil {
		return err
	}
	out.ExternalIDTenantID = c.TenantID
	out.ExternalIDAuthority = c.Authority
	out.SPAClientID = c.SPAClientID
	out.MobileClientID = c.MobileClientID
	out.APIClientIDs = c.APIClientIDs
	out.APIScopes = c.APIScopes
	return nil
}

// customDomainRedirects are the SPA's redirect URIs on the Front Door custom domains.
func customDomainRedirects(domains []string) []string {
	var out []string
	for _, d := range domains {
		out = append(out, "https://"+d+"/")
	}
	return out
}

// entry reads one key of an upstream map output, failing the deployment with a clear message
// when the upstream contract lacks it (instead of assigning a role on the scope "").
func entry(m pulumi.StringMapOutput, key, what string) pulumi.StringOutput {
	return m.ApplyT(func(v map[string]string) (string, error) {
		s, ok := v[key]
		if !ok || s == "" {
			return "", fmt.Errorf("identity layer: %s has no %q", what, key)
		}
		return s, nil
	}).(pulumi.StringOutput)
}
