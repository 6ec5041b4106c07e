package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
)

// Identity keys of the platform's own user-assigned identities (services use their own names).
const (
	IdentityControlPlane    = "aks-control-plane"
	IdentityKubelet         = "aks-kubelet"
	IdentityPipeline        = "pipeline"
	IdentityExternalSecrets = "external-secrets"
	IdentityCertManager     = "cert-manager"
	IdentityALBController   = "alb-controller"
	IdentityFlux            = "flux"
)

// PlatformIdentities lists the identity keys that are not microservices, in a fixed order.
var PlatformIdentities = []string{IdentityControlPlane, IdentityKubelet, IdentityPipeline, IdentityExternalSecrets, IdentityCertManager, IdentityALBController, IdentityFlux}

// Names holds the Azure name of every resource the platform creates. Validation builds it (and so
// checks every name against its type's rules) before anything is registered; layers hand the
// names to components, which never build names themselves.
type Names struct {
	ResourceGroup       string
	VirtualNetwork      string
	Subnets             map[netplan.Role]string
	NSGs                map[netplan.Role]string
	NatGateway          string
	NatPublicIP         string
	SQLDatabase         string
	LogAnalytics        string
	MonitorWorkspace    string
	PlatformAdminsGroup string
	DatabaseAdminsGroup string
	// Identities maps an identity key (PlatformIdentities or a service name) to its name.
	Identities map[string]string
	// PipelineAzureDevOpsCredential names the pipeline identity's federated credential for the
	// Azure DevOps service connection.
	PipelineAzureDevOpsCredential string
	// PipelineGitHubCredentials maps a GitHub environment to the name of the pipeline identity's
	// federated credential for it.
	PipelineGitHubCredentials map[string]string
	// SPAApplication, MobileApplication and APIApplications (by service name) are the display
	// names of the app registrations in the External ID tenant.
	SPAApplication    string
	MobileApplication string
	APIApplications   map[string]string
	// DashboardsApplication is the display name of the dashboards' app registration in the
	// workforce tenant (Grafana and oauth2-proxy sign users in with it).
	DashboardsApplication string
	AKSCluster            string
	NodeResourceGroup     string
	SystemPool            string
	FrontDoorProfile      string
	FrontDoorEndpoint     string
	FrontDoorWAFPolicy    string
	AGCWAFPolicy          string
	TrafficController     string
	FluxConfiguration     string
	// PrometheusDataCollectionEndpoint and PrometheusDataCollectionRule carry the cluster's
	// managed Prometheus metrics to the Azure Monitor workspace.
	PrometheusDataCollectionEndpoint string
	PrometheusDataCollectionRule     string
	// ContainerInsightsDataCollectionRule routes Container Insights (managed identity auth) to Log
	// Analytics.
	ContainerInsightsDataCollectionRule string
}

// GlobalNames are the names that share one DNS namespace with every other Azure customer, and
// so carry the name suffix (NameSuffix), with the names derived from them. They are not part of
// Names: with the random suffix (the default) they are known only once the base layer's suffix
// resolves, so layers build them with GlobalNameOutputs from the suffix output; validation builds
// them with a placeholder of the suffix's length, which checks every rule up front (a suffix of
// lowercase letters and digits at the end of a name never changes whether it matches its
// pattern, only its length does).
type GlobalNames struct {
	KeyVault             string
	SPAStorage           string
	DataLakeStorage      string
	SQLServer            string
	PostgresServer       string
	ContainerRegistry    string
	DocumentIntelligence string

	// PostgresPrivateDNSZone is the private DNS zone of the VNet-integrated PostgreSQL server,
	// <server>.private.postgres.database.azure.com (Azure requires a zone ending in
	// .postgres.database.azure.com that is not the name of a server).
	PostgresPrivateDNSZone string
}

// NoNameSuffix is the nameSuffix value that asks for no suffix at all.
const NoNameSuffix = "none"

// RandomNameSuffix reports whether the global names carry the base layer's random suffix
// (nameSuffix unset).
func (e *Env) RandomNameSuffix() bool { return e.NameSuffix == "" }

// ConfiguredNameSuffix is the suffix nameSuffix sets: "" for none. Meaningless with the random
// suffix.
func (e *Env) ConfiguredNameSuffix() string {
	if e.NameSuffix == NoNameSuffix {
		return ""
	}
	return e.NameSuffix
}

// GlobalNames builds the global names with a suffix: the random suffix's value, or
// ConfiguredNameSuffix. The error lists every name that breaks its type's rules.
func (e *Env) GlobalNames(suffix string) (GlobalNames, error) {
	var errs []error
	n := e.Namer.WithSuffix(suffix)
	name := func(kind naming.Kind, role string) string {
		s, err := n.Name(kind, role)
		if err != nil {
			errs = append(errs, err)
		}
		return s
	}
	g := GlobalNames{
		KeyVault:             name(naming.KeyVault, ""),
		SPAStorage:           name(naming.StorageAccount, "spa"),
		DataLakeStorage:      name(naming.StorageAccount, "data"),
		SQLServer:            name(naming.SQLServer, ""),
		PostgresServer:       name(naming.PostgresServer, ""),
		ContainerRegistry:    name(naming.ContainerRegistry, ""),
		DocumentIntelligence: name(naming.CognitiveAccount, ""),
	}
	g.PostgresPrivateDNSZone = g.PostgresServer + ".private.postgres.database.azure.com"
	for target, groups := range g.privateEndpointTargets() {
		for _, group := range groups {
			if err := naming.Check(naming.PrivateEndpoint, naming.PrivateEndpointName(target, group)); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return g, errors.Join(errs...)
}

// privateEndpointTargets lists, per target, the private endpoint group IDs the platform creates,
// so that every endpoint's name is checked.
func (g GlobalNames) privateEndpointTargets() map[string][]string {
	return map[string][]string{
		g.KeyVault:             {"vault"},
		g.SQLServer:            {"sqlServer"},
		g.DataLakeStorage:      {"blob", "dfs"},
		g.ContainerRegistry:    {"registry"},
		g.DocumentIntelligence: {"account"},
	}
}

// GlobalNameOutputs are GlobalNames as outputs of the suffix.
type GlobalNameOutputs struct {
	KeyVault, SPAStorage, DataLakeStorage, SQLServer, PostgresServer pulumi.StringOutput
	ContainerRegistry, DocumentIntelligence, PostgresPrivateDNSZone  pulumi.StringOutput
}

// GlobalNameOutputs builds the global names once the suffix resolves. Validation has checked
// them with a suffix of the same length; a suffix that still breaks a rule (one edited in the
// base stack's state) fails the update, naming the rule, before any resource is sent to Azure.
func (e *Env) GlobalNameOutputs(suffix pulumi.StringOutput) GlobalNameOutputs {
	all := suffix.ApplyT(func(s string) (GlobalNames, error) {
		if !reSuffix.MatchString(s) {
			return GlobalNames{}, fmt.Errorf("name suffix %q: want 0-%d lowercase letters and digits", s, naming.SuffixLength)
		}
		g, err := e.GlobalNames(s)
		if err != nil {
			return GlobalNames{}, fmt.Errorf("name suffix %q: %w", s, err)
		}
		return g, nil
	})
	field := func(pick func(GlobalNames) string) pulumi.StringOutput {
		return all.ApplyT(func(g any) string { return pick(g.(GlobalNames)) }).(pulumi.StringOutput)
	}
	return GlobalNameOutputs{
		KeyVault:               field(func(g GlobalNames) string { return g.KeyVault }),
		SPAStorage:             field(func(g GlobalNames) string { return g.SPAStorage }),
		DataLakeStorage:        field(func(g GlobalNames) string { return g.DataLakeStorage }),
		SQLServer:              field(func(g GlobalNames) string { return g.SQLServer }),
		PostgresServer:         field(func(g GlobalNames) string { return g.PostgresServer }),
		ContainerRegistry:      field(func(g GlobalNames) string { return g.ContainerRegistry }),
		DocumentIntelligence:   field(func(g GlobalNames) string { return g.DocumentIntelligence }),
		PostgresPrivateDNSZone: field(func(g GlobalNames) string { return g.PostgresPrivateDNSZone }),
	}
}

// suffixPlaceholder stands for the random suffix while validating: same length, same characters.
var suffixPlaceholder = strings.Repeat("0", naming.SuffixLength)

// buildNames computes every name; each failure is reported against the key that caused it.
func buildNames(e *Env) (Names, Problems) {
	var problems Problems
	n := e.Namer
	name := func(kind naming.Kind, role string) string {
		s, err := n.Name(kind, role)
		if err != nil {
			problems.add("prefix", e.Prefix, "%v; shorten the prefix or the environment name (%s)", err, e.Environment)
		}
		return s
	}
	// Global names: checked here with the suffix (or a placeholder of the random one's length),
	// built for real by the layers.
	suffix := e.ConfiguredNameSuffix()
	if e.RandomNameSuffix() {
		suffix = suffixPlaceholder
	}
	if _, err := e.GlobalNames(suffix); err != nil {
		for _, err := range unwrapJoined(err) {
			switch {
			case e.RandomNameSuffix():
				problems.add("prefix", e.Prefix, "%v; %s stands for the random %d-character name suffix: shorten the prefix or the environment name (%s), or set nameSuffix (shorter, or %s)",
					err, suffixPlaceholder, naming.SuffixLength, e.Environment, NoNameSuffix)
			case suffix != "":
				problems.add("nameSuffix", e.NameSuffix, "%v; shorten it, the prefix or the environment name (%s)", err, e.Environment)
			default:
				problems.add("prefix", e.Prefix, "%v; shorten the prefix or the environment name (%s)", err, e.Environment)
			}
		}
	}
	out := Names{
		ResourceGroup:       name(naming.ResourceGroup, ""),
		VirtualNetwork:      name(naming.VirtualNetwork, ""),
		Subnets:             map[netplan.Role]string{},
		NSGs:                map[netplan.Role]string{},
		NatGateway:          name(naming.NatGateway, ""),
		SQLDatabase:         e.SQL.DatabaseName,
		LogAnalytics:        name(naming.LogAnalytics, ""),
		MonitorWorkspace:    name(naming.MonitorWorkspace, ""),
		PlatformAdminsGroup: name(naming.EntraGroup, "platform-admins"),
		DatabaseAdminsGroup: name(naming.EntraGroup, "database-admins"),
		Identities:          map[string]string{},
		AKSCluster:          name(naming.AKSCluster, ""),
		NodeResourceGroup:   name(naming.NodeResourceGroup, "aks-nodes"),
		FrontDoorProfile:    name(naming.FrontDoorProfile, ""),
		FrontDoorEndpoint:   name(naming.FrontDoorEndpoint, ""),
		FrontDoorWAFPolicy:  name(naming.FrontDoorWAFPolicy, "edge"),
		AGCWAFPolicy:        name(naming.AppGatewayWAFPolicy, "agc"),
		TrafficController:   name(naming.TrafficController, ""),

		PrometheusDataCollectionEndpoint:    name(naming.DataCollectionEndpoint, "prometheus"),
		PrometheusDataCollectionRule:        name(naming.DataCollectionRule, "prometheus"),
		ContainerInsightsDataCollectionRule: name(naming.DataCollectionRule, "containerinsights"),
	}
	if e.Network.NatPublicIPPrefixLength > 0 {
		out.NatPublicIP = name(naming.PublicIPPrefix, "nat")
	} else {
		out.NatPublicIP = name(naming.PublicIP, "nat")
	}
	for _, role := range netplan.Roles {
		out.Subnets[role] = name(naming.Subnet, string(role))
		out.NSGs[role] = name(naming.NetworkSecurityGroup, string(role))
	}
	for _, id := range PlatformIdentities {
		out.Identities[id] = name(naming.ManagedIdentity, id)
	}
	for _, s := range e.Services {
		if s.Name != "" {
			out.Identities[s.Name] = name(naming.ManagedIdentity, s.Name)
		}
	}
	out.PipelineAzureDevOpsCredential = "azure-devops"
	out.PipelineGitHubCredentials = map[string]string{}
	seenCredential := map[string]string{}
	for i, env := range e.Pipeline.GitHub.Environments {
		// GitHub environment names may hold '.', which credential names refuse.
		cred := "github-" + strings.ReplaceAll(env, ".", "-")
		key := fmt.Sprintf("pipeline.github.environments[%d]", i)
		if err := naming.Check(naming.FederatedCredential, cred); err != nil {
			problems.add(key, env, "%v", err)
		} else if other, ok := seenCredential[cred]; ok && other != env {
			problems.add(key, env, "gives the same federated credential name %q as environment %q", cred, other)
		}
		seenCredential[cred] = env
		out.PipelineGitHubCredentials[env] = cred
	}
	out.SPAApplication = name(naming.EntraApplication, "spa")
	out.MobileApplication = name(naming.EntraApplication, "mobile")
	out.DashboardsApplication = name(naming.EntraApplication, "dashboards")
	out.APIApplications = map[string]string{}
	for _, s := range e.Services {
		if s.Name != "" {
			out.APIApplications[s.Name] = name(naming.EntraApplication, "api-"+s.Name)
		}
	}
	pool, err := naming.AgentPoolName("system")
	if err != nil {
		problems.add("aks", "system", "%v", err)
	}
	out.SystemPool = pool
	out.FluxConfiguration = "platform"
	if err := naming.Check(naming.FluxConfiguration, out.FluxConfiguration); err != nil {
		problems.add("flux", out.FluxConfiguration, "%v", err)
	}
	if err := naming.Check(naming.SQLDatabase, out.SQLDatabase); err != nil {
		problems.add("sql.databaseName", e.SQL.DatabaseName, "%v", err)
	}
	for _, f := range e.WorkloadFederations() {
		if err := naming.Check(naming.FederatedCredential, naming.FederatedCredentialName(f.Namespace, f.ServiceAccount)); err != nil {
			problems.add(f.Key, f.Namespace+"/"+f.ServiceAccount, "%v", err)
		}
	}
	return out, problems
}

// unwrapJoined returns the errors an errors.Join holds, or err alone.
func unwrapJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// WorkloadFederation is one Kubernetes service account that authenticates to Azure as a workload
// identity: the aks layer puts a federated credential for it on the identity.
type WorkloadFederation struct {
	// IdentityKey is the identity's key: a service name or one of IdentityExternalSecrets,
	// IdentityCertManager, IdentityALBController, IdentityFlux.
	IdentityKey    string
	Namespace      string
	ServiceAccount string
	// Key is the config key the service account comes from, for error messages.
	Key string
}

// FluxImageAutomationServiceAccount is the service account of Flux's image-automation controller.
const FluxImageAutomationServiceAccount = "image-automation-controller"

// WorkloadFederations lists every federated service account in a fixed order: the services in
// config order, then External Secrets, cert-manager, the ALB controller and Flux, each with its
// service accounts in config order, then, with flux.imageAutomation, Flux's image-automation
// controller (unless workloads.flux already lists it).
func (e *Env) WorkloadFederations() []WorkloadFederation {
	var out []WorkloadFederation
	for i, s := range e.Services {
		out = append(out, WorkloadFederation{IdentityKey: s.Name, Namespace: s.Namespace, ServiceAccount: s.ServiceAccount, Key: fmt.Sprintf("services[%d]", i)})
	}
	for _, w := range []struct {
		identity, key string
		workload      Workload
	}{
		{IdentityExternalSecrets, "workloads.externalSecrets", e.Workloads.ExternalSecrets},
		{IdentityCertManager, "workloads.certManager", e.Workloads.CertManager},
		{IdentityALBController, "workloads.albController", e.Workloads.ALBController},
		{IdentityFlux, "workloads.flux", e.Workloads.Flux},
	} {
		for i, sa := range w.workload.ServiceAccounts {
			out = append(out, WorkloadFederation{IdentityKey: w.identity, Namespace: w.workload.Namespace, ServiceAccount: sa, Key: fmt.Sprintf("%s.serviceAccounts[%d]", w.key, i)})
		}
	}
	// The image-automation controller pushes to Azure DevOps as the Flux identity only while image
	// automation runs; otherwise it has no federated credential.
	if f := e.Workloads.Flux; e.Flux.ImageAutomation && !slices.Contains(f.ServiceAccounts, FluxImageAutomationServiceAccount) {
		out = append(out, WorkloadFederation{IdentityKey: IdentityFlux, Namespace: f.Namespace, ServiceAccount: FluxImageAutomationServiceAccount, Key: "flux.imageAutomation"})
	}
	return out
}

// ResourceTags are the tags every taggable resource carries: the configured tags plus the
// platform's own (environment = its name, profile, managed-by, project = the naming prefix). The
// policy pack's prod-only rules read the profile tag.
func (e *Env) ResourceTags() map[string]string {
	out := map[string]string{}
	for k, v := range e.Tags {
		out[k] = v
	}
	out["environment"] = e.Environment
	out["profile"] = e.Profile
	out["managed-by"] = "pulumi"
	out["project"] = e.Prefix
	return out
}
