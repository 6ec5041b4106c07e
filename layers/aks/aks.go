// Package aks is the aks layer: the cluster, ACR, Front Door, Application Gateway for
// Containers, Document Intelligence and workload identity federation.
package aks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/components/acr"
	"github.com/azure-saas-platform/platform/components/agc"
	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/cluster"
	"github.com/azure-saas-platform/platform/components/dashboardapp"
	"github.com/azure-saas-platform/platform/components/docintel"
	"github.com/azure-saas-platform/platform/components/federation"
	"github.com/azure-saas-platform/platform/components/frontdoor"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/gitops"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/identity"
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/roles"
)

// Layer is the aks layer's component: every resource of the layer is below it.
type Layer struct {
	pulumi.ResourceState
}

// upstream is what the layer reads from base and identity, looked up once.
type upstream struct {
	b *base.Outputs
	i *identity.Outputs
	// global are the globally unique names, built from the base layer's name suffix.
	global config.GlobalNameOutputs
}

func (u upstream) subnet(r netplan.Role) pulumi.StringOutput {
	return u.b.SubnetIDs.MapIndex(pulumi.String(string(r)))
}

func (u upstream) zone(service string) pulumi.StringOutput {
	return u.b.PrivateDNSZoneIDs.MapIndex(pulumi.String(service))
}

func (u upstream) identityID(key string) pulumi.StringOutput {
	return u.i.IdentityIDs.MapIndex(pulumi.String(key))
}

func (u upstream) clientID(key string) pulumi.StringOutput {
	return u.i.IdentityClientIDs.MapIndex(pulumi.String(key))
}

func (u upstream) principalID(key string) pulumi.StringOutput {
	return u.i.IdentityPrincipalIDs.MapIndex(pulumi.String(key))
}

// New builds the aks layer.
func New(ctx *pulumi.Context, env *config.Env, b *base.Outputs, i *identity.Outputs) (*Outputs, error) {
	l := &Layer{}
	if err := ctx.RegisterComponentResource("platform:layer:AKS", "aks", l); err != nil {
		return nil, err
	}
	in := pulumi.Parent(l)
	u := upstream{b: b, i: i, global: env.GlobalNameOutputs(b.NameSuffix)}
	tags := avm.Tags(env.ResourceTags())

	cl, err := cluster.New(ctx, "cluster", clusterArgs(env, u, tags), in)
	if err != nil {
		return nil, err
	}
	reg, err := acr.New(ctx, "acr", registryArgs(env, u, tags), in)
	if err != nil {
		return nil, err
	}
	fed, err := federation.New(ctx, "federation", federationArgs(env, u, cl.OIDCIssuerURL), in)
	if err != nil {
		return nil, err
	}

	// The edge, in this order: the gateway, then Front Door (its API origin is the gateway's
	// frontend), then the gateway's WAF (which admits only that Front Door's ID).
	gw, err := agc.New(ctx, "agc", gatewayArgs(env, u, tags), in)
	if err != nil {
		return nil, err
	}
	fd, err := frontdoor.New(ctx, "edge", frontDoorArgs(env, u, tags, gw.FrontendFQDN), in)
	if err != nil {
		return nil, err
	}
	fw, err := agc.NewFirewall(ctx, "agc-waf", firewallArgs(env, u, tags, gw.TrafficControllerName, fd.FrontDoorID), in)
	if err != nil {
		return nil, err
	}
	di, err := docintel.New(ctx, "docintel", documentIntelligenceArgs(env, u, tags), in)
	if err != nil {
		return nil, err
	}
	// The dashboards' app registration (identity layer) gets what needs this layer: the callback
	// URLs on the Front Door host and the federation of the service accounts that sign in as it
	// with the cluster's issuer.
	if env.Dashboards() {
		if _, err := dashboardapp.NewClients(ctx, "dashboards", dashboardClientsArgs(env, u, cl.OIDCIssuerURL, fd.EndpointHostName), in); err != nil {
			return nil, err
		}
	}

	out := &Outputs{
		ClusterName:             cl.Name,
		ClusterID:               cl.ID,
		OIDCIssuerURL:           cl.OIDCIssuerURL,
		KubeletIdentityClientID: cl.KubeletIdentityClientID,
		KubeletIdentityObjectID: cl.KubeletIdentityObjectID,
		NodeResourceGroup:       cl.NodeResourceGroup,
		ACRID:                   reg.ID,
		ACRLoginServer:          reg.LoginServer,
		FrontDoorEndpointHost:   fd.EndpointHostName,
		FrontDoorProfileID:      fd.ProfileID,
		AGCTrafficControllerID:  gw.TrafficControllerID,
		AGCFrontendName:         gw.FrontendName,
		AGCFrontendFQDN:         gw.FrontendFQDN,
		AGCWAFPolicyID:          fw.WAFPolicyID,
		DocumentIntelligenceURL: di.Endpoint,
		FederatedSubjects:       fed.Subjects,
	}
	// The values of the manual DNS records (docs/aks.md, "Manual steps of the edge").
	out.FrontDoorValidationTokens = fd.CustomDomainValidationTokens
	out.FrontDoorCNAMETargets = cnameTargets(env.FrontDoor.CustomDomains, fd.EndpointHostName)

	if err := ctx.RegisterResourceOutputs(l, pulumi.Map{
		"clusterId":         out.ClusterID,
		"oidcIssuerUrl":     out.OIDCIssuerURL,
		"acrLoginServer":    out.ACRLoginServer,
		"frontDoorHost":     out.FrontDoorEndpointHost,
		"agcFrontendFqdn":   out.AGCFrontendFQDN,
		"federatedSubjects": out.FederatedSubjects,
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// cnameTargets maps each custom domain to the endpoint host its CNAME record points at.
func cnameTargets(domains []string, endpointHost pulumi.StringOutput) pulumi.StringMapOutput {
	return endpointHost.ApplyT(func(host string) map[string]string {
		out := map[string]string{}
		for _, d := range domains {
			out[d] = host
		}
		return out
	}).(pulumi.StringMapOutput)
}

// DashboardsHost is the public host of the published dashboards: the first Front Door custom
// domain, else the endpoint's own host. Grafana and oauth2-proxy build their callback URLs on it
// (the flux layer hands it to the tree), and the app registration lists those.
func DashboardsHost(endpointHost pulumi.StringOutput, customDomains []string) pulumi.StringOutput {
	if len(customDomains) > 0 {
		return pulumi.String(customDomains[0]).ToStringOutput()
	}
	return endpointHost
}

// dashboardClientsArgs registers Grafana's and oauth2-proxy's callbacks on the dashboards' host
// and federates their service accounts (package gitops names both, as the tree uses them).
func dashboardClientsArgs(env *config.Env, u upstream, issuer, endpointHost pulumi.StringOutput) *dashboardapp.ClientsArgs {
	host := DashboardsHost(endpointHost, env.FrontDoor.CustomDomains)
	var sas []dashboardapp.ServiceAccount
	for _, sa := range gitops.DashboardsServiceAccounts() {
		sas = append(sas, dashboardapp.ServiceAccount{Namespace: sa[0], Name: sa[1]})
	}
	return &dashboardapp.ClientsArgs{
		ApplicationID: u.i.DashboardsApplicationID,
		RedirectURIs: []pulumi.StringInput{
			pulumi.Sprintf("https://%s%s", host, gitops.GrafanaCallbackPath),
			pulumi.Sprintf("https://%s%s", host, gitops.OAuth2ProxyCallbackPath),
		},
		Issuer:          issuer,
		ServiceAccounts: sas,
	}
}

// statefulLock is the lock of the layer's hard-to-replace resources in a protected environment
// (env.ProtectStatefulResources, which also sets Pulumi's protect on them): the registry (its
// images exist nowhere else), the cluster (a new one means a new OIDC issuer, so new federated
// credentials, and a new API server address) and Document Intelligence (custom models live in
// the account).
func statefulLock(env *config.Env) avm.Lock {
	if env.ProtectStatefulResources {
		return avm.LockCanNotDelete
	}
	return avm.LockNone
}

func window(w config.Window) cluster.Window {
	return cluster.Window{DayOfWeek: w.DayOfWeek, StartTime: w.StartTime, DurationHours: w.DurationHours, UTCOffset: w.UTCOffset, IntervalWeeks: w.IntervalWeeks}
}

func clusterArgs(env *config.Env, u upstream, tags pulumi.StringMap) *cluster.Args {
	a, n := env.AKS, env.Names
	api := cluster.APIServer{Access: a.APIServerAccess}
	switch a.APIServerAccess {
	case cluster.APIServerVNetIntegration:
		api.SubnetID = u.subnet(netplan.APIServer)
		api.AuthorizedIPRanges = a.AuthorizedIPRanges
	case cluster.APIServerPrivate:
		api.PrivateDNSZoneID = u.zone("aks")
	}
	monitoring := cluster.Monitoring{
		LogAnalyticsWorkspaceID:   u.b.LogAnalyticsID,
		ContainerInsightsRuleName: n.ContainerInsightsDataCollectionRule,
	}
	if env.Monitoring.ManagedPrometheus {
		monitoring.Prometheus = &cluster.Prometheus{
			MonitorWorkspaceID: u.b.MonitorWorkspaceID,
			EndpointName:       n.PrometheusDataCollectionEndpoint,
			RuleName:           n.PrometheusDataCollectionRule,
		}
	}
	return &cluster.Args{
		ResourceGroupName:      u.b.ResourceGroupName,
		Location:               u.b.Location,
		Name:                   n.AKSCluster,
		NodeResourceGroup:      n.NodeResourceGroup,
		KubernetesVersion:      a.KubernetesVersion,
		Tier:                   a.Tier,
		TenantID:               u.b.TenantID,
		AdminGroupObjectIDs:    []pulumi.StringInput{u.b.PlatformAdminsGroupID},
		ControlPlaneIdentityID: u.identityID(config.IdentityControlPlane),
		KubeletIdentity: cluster.KubeletIdentity{
			ResourceID: u.identityID(config.IdentityKubelet),
			ClientID:   u.clientID(config.IdentityKubelet),
			ObjectID:   u.principalID(config.IdentityKubelet),
		},
		Network:              cluster.Network{PodCIDR: a.PodCIDR, ServiceCIDR: a.ServiceCIDR, DNSServiceIP: a.DNSServiceIP()},
		NodeSubnetID:         u.subnet(netplan.Nodes),
		NodeProvisioningMode: a.NodeProvisioning,
		SystemPool: cluster.SystemPool{
			Name:         n.SystemPool,
			VMSize:       a.SystemPool.VMSize,
			Count:        a.SystemPool.Count,
			MinCount:     a.SystemPool.MinCount,
			MaxCount:     a.SystemPool.MaxCount,
			Zones:        a.SystemPool.Zones,
			OSDiskSizeGB: a.SystemPool.OSDiskSizeGB,
			MaxPods:      a.SystemPool.MaxPods,
		},
		APIServer:              api,
		UpgradeChannel:         a.UpgradeChannel,
		NodeOSUpgradeChannel:   a.NodeOSUpgradeChannel,
		AutoUpgradeWindow:      window(a.AutoUpgradeWindow),
		NodeOSUpgradeWindow:    window(a.NodeOSUpgradeWindow),
		Monitoring:             monitoring,
		SecretRotationInterval: a.SecretRotationInterval,
		Defender:               a.Defender,
		AzurePolicy:            a.AzurePolicy,
		Protect:                env.ProtectStatefulResources,
		Lock:                   statefulLock(env),
		Tags:                   tags,
		// kube-audit-admin and guard (ControlPlaneLogCategories) and the metrics.
		DiagnosticSettings: &avm.DiagnosticSettings{WorkspaceID: u.b.LogAnalyticsID},
		RoleAssignments: []avm.RoleAssignment{{
			// Lets the administrators fetch a kubeconfig (listClusterUserCredential); what they
			// may do inside the cluster comes from the Entra admin group binding and Azure RBAC.
			Key:           "platform-admins",
			Role:          roles.AKSClusterUser,
			PrincipalID:   u.b.PlatformAdminsGroupID,
			PrincipalType: avm.PrincipalGroup,
			Description:   "Platform administrators fetch cluster credentials (Entra ID sign-in)",
		}, {
			// The flux layer writes the service namespaces and the ConfigMaps of flux-system
			// through the Kubernetes API, signed in as the pipeline. Creating a namespace is
			// authorized at the cluster's scope, and RBAC Writer and RBAC Admin exclude
			// namespaces/write: the cluster-wide admin role is the least built-in that works
			// (docs/flux.md, "Who writes into the cluster").
			Key:         config.IdentityPipeline,
			Role:        roles.AKSRBACClusterAdmin,
			PrincipalID: u.principalID(config.IdentityPipeline),
			Description: "The deployment pipeline writes the flux layer's namespaces and ConfigMaps (Entra ID sign-in)",
		}},
	}
}

func registryArgs(env *config.Env, u upstream, tags pulumi.StringMap) *acr.Args {
	r := env.ACR
	a := &acr.Args{
		ResourceGroupName:          u.b.ResourceGroupName,
		Location:                   u.b.Location,
		Name:                       u.global.ContainerRegistry,
		Sku:                        r.Sku,
		ZoneRedundancy:             r.ZoneRedundancy,
		RetentionDays:              r.RetentionDays,
		ContentTrust:               r.ContentTrust,
		DisablePublicNetworkAccess: r.PrivateEndpoint,
		Protect:                    env.ProtectStatefulResources,
		Lock:                       statefulLock(env),
		Tags:                       tags,
		DiagnosticSettings:         &avm.DiagnosticSettings{WorkspaceID: u.b.LogAnalyticsID},
		RoleAssignments: []avm.RoleAssignment{
			{Key: config.IdentityKubelet, Role: roles.AcrPull, PrincipalID: u.principalID(config.IdentityKubelet),
				Description: "Cluster nodes pull images"},
			{Key: config.IdentityFlux, Role: roles.AcrPull, PrincipalID: u.principalID(config.IdentityFlux),
				Description: "Flux reads OCI artifacts and scans image tags"},
			{Key: config.IdentityPipeline, Role: roles.AcrPush, PrincipalID: u.principalID(config.IdentityPipeline),
				Description: "The deployment pipeline pushes images"},
		},
	}
	if r.PrivateEndpoint {
		a.PrivateEndpoints = []avm.PrivateEndpoint{{SubnetID: u.subnet(netplan.PrivateEndpoints), PrivateDNSZoneID: u.zone("acr")}}
	}
	return a
}

// federationArgs federates every service's and every platform workload's service accounts with
// their identities, in the order of config.Env.WorkloadFederations.
func federationArgs(env *config.Env, u upstream, issuer pulumi.StringOutput) *federation.Args {
	var ids []federation.Identity
	at := map[string]int{}
	for _, f := range env.WorkloadFederations() {
		i, ok := at[f.IdentityKey]
		if !ok {
			i = len(ids)
			at[f.IdentityKey] = i
			ids = append(ids, federation.Identity{Key: f.IdentityKey, ID: u.identityID(f.IdentityKey)})
		}
		ids[i].ServiceAccounts = append(ids[i].ServiceAccounts, federation.ServiceAccount{
			Namespace:      f.Namespace,
			Name:           f.ServiceAccount,
			CredentialName: naming.FederatedCredentialName(f.Namespace, f.ServiceAccount),
		})
	}
	return &federation.Args{Issuer: issuer, Identities: ids}
}

func gatewayArgs(env *config.Env, u upstream, tags pulumi.StringMap) *agc.Args {
	return &agc.Args{
		ResourceGroupName:          u.b.ResourceGroupName,
		ResourceGroupID:            u.b.ResourceGroupID,
		Location:                   u.b.Location,
		Name:                       env.Names.TrafficController,
		SubnetID:                   u.subnet(netplan.AGC),
		LinkWAFToTrafficController: env.AGC.LinkWAFToTrafficController,
		Tags:                       tags,
		// Network Contributor on the AGC subnet is the identity layer's (both ends exist there).
		RoleAssignments: []avm.RoleAssignment{{
			Key: config.IdentityALBController, Role: roles.AppGwForContainersConfigManager,
			PrincipalID: u.principalID(config.IdentityALBController),
			Description: "The ALB controller programs the traffic controller from Gateway API resources",
		}},
		DiagnosticSettings: &avm.DiagnosticSettings{WorkspaceID: u.b.LogAnalyticsID},
	}
}

func frontDoorArgs(env *config.Env, u upstream, tags pulumi.StringMap, apiOrigin pulumi.StringOutput) *frontdoor.Args {
	f, n := env.FrontDoor, env.Names
	a := &frontdoor.Args{
		ResourceGroupName:            u.b.ResourceGroupName,
		ProfileName:                  n.FrontDoorProfile,
		EndpointName:                 n.FrontDoorEndpoint,
		WAFPolicyName:                n.FrontDoorWAFPolicy,
		SPAWebEndpoint:               u.b.SPAWebEndpoint,
		APIOriginHostName:            apiOrigin,
		OriginResponseTimeoutSeconds: f.OriginResponseTimeoutSeconds,
		CustomDomains:                f.CustomDomains,
		WAFMode:                      f.WAFMode,
		RateLimitThreshold:           f.RateLimitThreshold,
		RateLimitDurationMinutes:     f.RateLimitDurationMinutes,
		AllowedCountries:             f.AllowedCountries,
		Tags:                         tags,
		DiagnosticSettings:           &avm.DiagnosticSettings{WorkspaceID: u.b.LogAnalyticsID},
	}
	a.APIHealthProbePath = apiHealthProbePath(env)
	// HTTPS to the gateway needs a name the gateway has a public certificate for; without one
	// (dev), Front Door uses HTTP on the frontend's own host.
	if host := env.AGC.OriginHostName; host != "" {
		a.APIOriginHostHeader = pulumi.String(host)
	} else {
		a.APIOriginHTTP = true
	}
	if env.Dashboards() {
		a.DashboardsPathPattern = gitops.DashboardsPath + "/*"
	}
	return a
}

// apiHealthProbePath is where Front Door probes the API origin. The gateway answers nothing
// itself: the first service's health endpoint through it (its HTTPRoute rewrites /api/<service>/
// to /) checks the whole path to a pod.
func apiHealthProbePath(env *config.Env) string {
	return "/api/" + env.Services[0].Name + "/healthz"
}

func firewallArgs(env *config.Env, u upstream, tags pulumi.StringMap, trafficController, frontDoorID pulumi.StringOutput) *agc.FirewallArgs {
	return &agc.FirewallArgs{
		ResourceGroupName:     u.b.ResourceGroupName,
		Location:              u.b.Location,
		TrafficControllerName: trafficController,
		WAFPolicyName:         env.Names.AGCWAFPolicy,
		WAFMode:               env.AGC.WAFMode,
		FrontDoorID:           frontDoorID,
		// Front Door's probe of the API origin passes the lock deliberately (agc.FirewallArgs).
		HealthProbePath: apiHealthProbePath(env),
		Tags:            tags,
		RoleAssignments: []avm.RoleAssignment{{
			Key: config.IdentityALBController, Role: roles.NetworkContributor,
			PrincipalID: u.principalID(config.IdentityALBController),
			Description: "The ALB controller joins the WAF policy to Gateways (applicationGatewayWebApplicationFirewallPolicies/join/action)",
		}},
	}
}

func documentIntelligenceArgs(env *config.Env, u upstream, tags pulumi.StringMap) *docintel.Args {
	var users []avm.RoleAssignment
	for _, s := range env.Services {
		if s.DocumentIntelligence {
			users = append(users, avm.RoleAssignment{
				Key: s.Name, Role: roles.CognitiveServicesUser, PrincipalID: u.principalID(s.Name),
				Description: s.Name + " analyses documents",
			})
		}
	}
	return &docintel.Args{
		ResourceGroupName:  u.b.ResourceGroupName,
		Location:           u.b.Location,
		Name:               u.global.DocumentIntelligence,
		Sku:                env.DocumentIntelligence.Sku,
		Protect:            env.ProtectStatefulResources,
		Lock:               statefulLock(env),
		Tags:               tags,
		RoleAssignments:    users,
		DiagnosticSettings: &avm.DiagnosticSettings{WorkspaceID: u.b.LogAnalyticsID},
		PrivateEndpoints: []avm.PrivateEndpoint{{
			SubnetID:         u.subnet(netplan.PrivateEndpoints),
			PrivateDNSZoneID: u.zone("cognitiveServices"),
		}},
	}
}
