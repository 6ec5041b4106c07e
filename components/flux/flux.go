// Package flux is GitOps on an AKS cluster: the microsoft.flux cluster extension (the Flux
// controllers, with workload identity for those that talk to Azure), the objects its
// configuration needs in the cluster before it first reconciles (namespaces, ConfigMaps of values
// only Azure knows, written through a Kubernetes provider), and one Flux configuration (a Git
// source and an ordered hierarchy of kustomizations with post-build substitution). The order is
// extension, then the objects, then the configuration: Flux never reconciles before its values
// exist.
//
// Both resources go through the typed bindings (bindings.NewExtension, NewFluxConfiguration), which
// apply none of the generated SDK's client-side defaults: every setting this component relies on
// is set explicitly.
package flux

import (
	"errors"
	"fmt"
	"strings"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
)

// ExtensionType is the cluster extension type of Flux.
const ExtensionType = "microsoft.flux"

// Git authentication modes (the values of config Flux.Auth).
const (
	AuthNone             = "none"
	AuthWorkloadIdentity = "workloadIdentity"
	AuthKeyVaultSecret   = "keyVaultSecret"
)

// Args configures the extension and the configuration.
type Args struct {
	// ResourceGroupName of the cluster. Required.
	ResourceGroupName pulumi.StringInput
	// ClusterName is the AKS cluster's name. Required.
	ClusterName pulumi.StringInput

	// ExtensionName is the extension's Azure name. Default "flux".
	ExtensionName string
	// ReleaseNamespace is where the Flux controllers run. Default "flux-system".
	ReleaseNamespace string
	// ReleaseTrain is "Stable" or "Preview". Default "Stable".
	ReleaseTrain string
	// AutoUpgradeMinorVersion lets Azure upgrade the extension within its train. Default false: then
	// Version is required.
	AutoUpgradeMinorVersion bool
	// Version pins the extension (e.g. "1.17.3"); only with AutoUpgradeMinorVersion false.
	// Default "" (required when not auto-upgrading).
	Version string
	// ImageAutomation turns on the image-reflector and image-automation controllers (the
	// build-to-deploy loop). Default false.
	ImageAutomation bool
	// WorkloadIdentityClientID is the client ID of the managed identity the Flux controllers use
	// towards Azure (ACR, Azure DevOps); its federated credentials for the controllers' service
	// accounts must exist. Default nil: workload identity off.
	WorkloadIdentityClientID pulumi.StringInput
	// MultiTenancy keeps the extension's multi-tenancy lockdown (no cross-namespace references,
	// objects applied as flux-applier). Default false; the platform passes true.
	MultiTenancy bool
	// HelmDetectDrift makes the helm-controller correct drift of Helm releases. Default false.
	HelmDetectDrift bool

	// ConfigurationName is the Flux configuration's Azure name; it also names the GitRepository
	// in the cluster. Required.
	ConfigurationName string
	// Namespace holds the configuration's Flux objects. Default: ReleaseNamespace.
	Namespace string
	// RepositoryURL is the https URL of the Git repository. Required.
	RepositoryURL string
	// Branch the configuration follows. Required.
	Branch string
	// SyncIntervalSeconds is how often the source is fetched, 60-86400. Default 300.
	SyncIntervalSeconds int
	// GitTimeoutSeconds bounds one fetch. Default 180.
	GitTimeoutSeconds int
	// Auth is AuthNone (public repository), AuthWorkloadIdentity (provider Azure: Azure DevOps
	// through WorkloadIdentityClientID) or AuthKeyVaultSecret (LocalAuthRef names a secret in
	// Namespace). Required.
	Auth string
	// LocalAuthRef is the Kubernetes secret holding Git credentials, with AuthKeyVaultSecret only.
	LocalAuthRef string
	// Kustomizations in reconcile order; each may depend only on earlier ones. At least one.
	Kustomizations []Kustomization
	// Cluster are the objects written into the cluster between the extension and the
	// configuration. Default nil: none.
	Cluster *ClusterObjects
}

// ClusterObjects are Kubernetes objects the configuration's kustomizations need, written with a
// Kubernetes provider of the cluster.
type ClusterObjects struct {
	// Provider is the Kubernetes provider of the cluster. Required.
	Provider pulumi.ProviderResource
	// Namespaces to create. Default none.
	Namespaces []Namespace
	// ConfigMaps to create in the configuration's namespace (which the extension creates, so they
	// wait for it). Default none.
	ConfigMaps []ConfigMap
}

// Namespace is a namespace and its labels and annotations.
type Namespace struct {
	// Name is a DNS label. Required.
	Name string
	// Labels of the namespace. Default none.
	Labels map[string]string
	// Annotations of the namespace. Default none.
	Annotations map[string]string
}

// ConfigMap is a ConfigMap of the configuration's namespace.
type ConfigMap struct {
	// Name is the ConfigMap's name (a DNS subdomain). Required.
	Name string
	// Labels of the ConfigMap. Default none.
	Labels map[string]string
	// Data of the ConfigMap. Required.
	Data pulumi.StringMapInput
}

// Kustomization is one Flux kustomization of the configuration.
type Kustomization struct {
	// Name is the kustomization's name (a DNS label). Required.
	Name string
	// Path in the repository, e.g. "./gitops/clusters/dev/services". Required.
	Path string
	// DependsOn names earlier kustomizations. Default none.
	DependsOn []string
	// SyncIntervalSeconds is how often it is reconciled. Default 600.
	SyncIntervalSeconds int
	// RetryIntervalSeconds is the wait after a failed reconciliation. Default 60.
	RetryIntervalSeconds int
	// TimeoutSeconds bounds apply and health checks. Default 600.
	TimeoutSeconds int
	// Prune deletes objects removed from Git. Default false.
	Prune bool
	// Wait waits for every applied object to be ready. Default false.
	Wait bool
	// Substitute are post-build substitution variables. Default none.
	Substitute pulumi.StringMapInput
	// SubstituteFrom names ConfigMaps of the configuration's namespace whose data are post-build
	// substitution variables (each required: the kustomization fails while one is missing).
	// Default none.
	SubstituteFrom []string
}

// Flux is the extension and the configuration.
type Flux struct {
	pulumi.ResourceState

	ExtensionID pulumi.StringOutput
	// ConfigurationID is the Flux configuration's ARM ID.
	ConfigurationID   pulumi.StringOutput
	ConfigurationName pulumi.StringOutput
}

var dnsLabel = func(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

func (a *Args) validate() error {
	var errs []error
	bad := func(format string, v ...any) { errs = append(errs, fmt.Errorf("flux: "+format, v...)) }
	if a.ResourceGroupName == nil {
		bad("ResourceGroupName is required")
	}
	if a.ClusterName == nil {
		bad("ClusterName is required")
	}
	if a.ReleaseTrain != "" && a.ReleaseTrain != "Stable" && a.ReleaseTrain != "Preview" {
		bad("ReleaseTrain %q: want Stable or Preview", a.ReleaseTrain)
	}
	if !a.AutoUpgradeMinorVersion && a.Version == "" {
		bad("Version is required when AutoUpgradeMinorVersion is false")
	}
	if a.AutoUpgradeMinorVersion && a.Version != "" {
		bad("Version %q cannot be pinned while AutoUpgradeMinorVersion is true", a.Version)
	}
	if a.ConfigurationName == "" {
		bad("ConfigurationName is required")
	}
	if !strings.HasPrefix(a.RepositoryURL, "https://") {
		bad("RepositoryURL %q: want an https:// URL", a.RepositoryURL)
	}
	if a.Branch == "" {
		bad("Branch is required")
	}
	if s := a.SyncIntervalSeconds; s != 0 && (s < 60 || s > 86400) {
		bad("SyncIntervalSeconds %d: want 60-86400", s)
	}
	switch a.Auth {
	case AuthNone:
	case AuthWorkloadIdentity:
		if a.WorkloadIdentityClientID == nil {
			bad("Auth %s needs WorkloadIdentityClientID", a.Auth)
		}
	case AuthKeyVaultSecret:
		if a.LocalAuthRef == "" {
			bad("Auth %s needs LocalAuthRef", a.Auth)
		}
	default:
		bad("Auth %q: want %s, %s or %s", a.Auth, AuthNone, AuthWorkloadIdentity, AuthKeyVaultSecret)
	}
	if a.Auth != AuthKeyVaultSecret && a.LocalAuthRef != "" {
		bad("LocalAuthRef is only used with Auth %s", AuthKeyVaultSecret)
	}
	if len(a.Kustomizations) == 0 {
		bad("at least one kustomization is required")
	}
	earlier := map[string]bool{}
	for i, k := range a.Kustomizations {
		if !dnsLabel(k.Name) {
			bad("Kustomizations[%d].Name %q: want a DNS label", i, k.Name)
		}
		if earlier[k.Name] {
			bad("Kustomizations[%d].Name %q is repeated", i, k.Name)
		}
		if k.Path == "" {
			bad("Kustomizations[%d] (%s): Path is required", i, k.Name)
		}
		for _, d := range k.DependsOn {
			if !earlier[d] {
				bad("Kustomizations[%d] (%s): DependsOn %q is not an earlier kustomization", i, k.Name, d)
			}
		}
		earlier[k.Name] = true
	}
	if c := a.Cluster; c != nil {
		if c.Provider == nil {
			bad("Cluster.Provider is required")
		}
		seen := map[string]bool{}
		for i, n := range c.Namespaces {
			if !dnsLabel(n.Name) {
				bad("Cluster.Namespaces[%d].Name %q: want a DNS label", i, n.Name)
			}
			if seen["ns/"+n.Name] {
				bad("Cluster.Namespaces[%d].Name %q is repeated", i, n.Name)
			}
			seen["ns/"+n.Name] = true
		}
		for i, m := range c.ConfigMaps {
			if !dnsSubdomain(m.Name) {
				bad("Cluster.ConfigMaps[%d].Name %q: want a DNS subdomain", i, m.Name)
			}
			if seen["cm/"+m.Name] {
				bad("Cluster.ConfigMaps[%d].Name %q is repeated", i, m.Name)
			}
			seen["cm/"+m.Name] = true
			if m.Data == nil {
				bad("Cluster.ConfigMaps[%d] (%s): Data is required", i, m.Name)
			}
		}
	}
	for i, k := range a.Kustomizations {
		for _, from := range k.SubstituteFrom {
			if a.Cluster == nil || !containsConfigMap(a.Cluster.ConfigMaps, from) {
				bad("Kustomizations[%d] (%s): SubstituteFrom %q is not one of Cluster.ConfigMaps", i, k.Name, from)
			}
		}
	}
	return errors.Join(errs...)
}

func containsConfigMap(ms []ConfigMap, name string) bool {
	for _, m := range ms {
		if m.Name == name {
			return true
		}
	}
	return false
}

// dnsSubdomain: lowercase DNS labels joined by dots, at most 253 characters.
func dnsSubdomain(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !dnsLabel(l) {
			return false
		}
	}
	return true
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// ExtensionSettings are the extension's configurationSettings (keys from the Microsoft doc
// "Deploy applications using GitOps with Flux v2" and "GitOps Flux v2 configurations": the
// <controller>.enabled switches, helm-controller.detectDrift, multiTenancy.enforce and
// workloadIdentity.enable / workloadIdentity.azureClientId).
func (a *Args) extensionSettings() pulumi.StringMap {
	b := func(v bool) pulumi.String { return pulumi.String(fmt.Sprint(v)) }
	s := pulumi.StringMap{
		"source-controller.enabled":           b(true),
		"kustomize-controller.enabled":        b(true),
		"helm-controller.enabled":             b(true),
		"notification-controller.enabled":     b(true),
		"image-reflector-controller.enabled":  b(a.ImageAutomation),
		"image-automation-controller.enabled": b(a.ImageAutomation),
		"helm-controller.detectDrift":         b(a.HelmDetectDrift),
		"multiTenancy.enforce":                b(a.MultiTenancy),
		"workloadIdentity.enable":             b(a.WorkloadIdentityClientID != nil),
	}
	if a.WorkloadIdentityClientID != nil {
		s["workloadIdentity.azureClientId"] = a.WorkloadIdentityClientID
	}
	return s
}

// New creates the extension and the configuration; the configuration waits for the extension.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Flux, error) {
	if args == nil {
		return nil, errors.New("flux: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	releaseNS := orDefault(args.ReleaseNamespace, "flux-system")

	c := &Flux{}
	if err := ctx.RegisterComponentResource("platform:flux:Flux", name, c, opts...); err != nil {
		return nil, err
	}
	ext := &bindings.ExtensionArgs{
		ResourceGroupName:       args.ResourceGroupName,
		ClusterRp:               pulumi.String(bindings.ClusterRpAKS),
		ClusterResourceName:     pulumi.String(bindings.ClusterResourceAKS),
		ClusterName:             args.ClusterName,
		ExtensionName:           pulumi.String(orDefault(args.ExtensionName, "flux")),
		ExtensionType:           pulumi.String(ExtensionType),
		AutoUpgradeMinorVersion: pulumi.Bool(args.AutoUpgradeMinorVersion),
		ReleaseTrain:            pulumi.String(orDefault(args.ReleaseTrain, "Stable")),
		ConfigurationSettings:   args.extensionSettings(),
		Scope:                   &bindings.ExtensionScope{Cluster: &bindings.ExtensionScopeCluster{ReleaseNamespace: pulumi.String(releaseNS)}},
	}
	if args.Version != "" {
		ext.Version = pulumi.String(args.Version)
	}
	extension, err := bindings.NewExtension(ctx, name, ext, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}

	git := &bindings.GitRepository{
		URL:                   pulumi.String(args.RepositoryURL),
		RepositoryRef:         &bindings.RepositoryRef{Branch: pulumi.String(args.Branch)},
		SyncIntervalInSeconds: pulumi.Int(orDefault(args.SyncIntervalSeconds, 300)),
		TimeoutInSeconds:      pulumi.Int(orDefault(args.GitTimeoutSeconds, 180)),
	}
	switch args.Auth {
	case AuthWorkloadIdentity:
		// Provider Azure: source-controller authenticates to Azure DevOps with its workload identity.
		git.Provider = pulumi.String(bindings.GitProviderAzure)
	case AuthKeyVaultSecret:
		git.Provider = pulumi.String(bindings.GitProviderGeneric)
		git.LocalAuthRef = pulumi.String(args.LocalAuthRef)
	default:
		git.Provider = pulumi.String(bindings.GitProviderGeneric)
	}
	ks := map[string]bindings.Kustomization{}
	for _, k := range args.Kustomizations {
		bk := bindings.Kustomization{
			Path:                   pulumi.String(k.Path),
			DependsOn:              pulumi.ToStringArray(k.DependsOn),
			SyncIntervalInSeconds:  pulumi.Int(orDefault(k.SyncIntervalSeconds, 600)),
			RetryIntervalInSeconds: pulumi.Int(orDefault(k.RetryIntervalSeconds, 60)),
			TimeoutInSeconds:       pulumi.Int(orDefault(k.TimeoutSeconds, 600)),
			Prune:                  pulumi.Bool(k.Prune),
			Wait:                   pulumi.Bool(k.Wait),
			Force:                  pulumi.Bool(false),
		}
		if k.Substitute != nil || len(k.SubstituteFrom) > 0 {
			pb := &bindings.PostBuild{Substitute: k.Substitute}
			for _, from := range k.SubstituteFrom {
				pb.SubstituteFrom = append(pb.SubstituteFrom, bindings.SubstituteFrom{
					Kind: pulumi.String("ConfigMap"), Name: pulumi.String(from), Optional: pulumi.Bool(false),
				})
			}
			bk.PostBuild = pb
		}
		ks[k.Name] = bk
	}
	// The configuration waits for the extension and for every object it reads.
	waitFor := []pulumi.Resource{extension}
	if args.Cluster != nil {
		objs, err := clusterObjects(ctx, name, args.Cluster, orDefault(args.Namespace, releaseNS), extension, c)
		if err != nil {
			return nil, err
		}
		waitFor = append(waitFor, objs...)
	}
	cfg, err := bindings.NewFluxConfiguration(ctx, name, &bindings.FluxConfigurationArgs{
		ResourceGroupName:     args.ResourceGroupName,
		ClusterRp:             pulumi.String(bindings.ClusterRpAKS),
		ClusterResourceName:   pulumi.String(bindings.ClusterResourceAKS),
		ClusterName:           args.ClusterName,
		FluxConfigurationName: pulumi.String(args.ConfigurationName),
		Namespace:             pulumi.String(orDefault(args.Namespace, releaseNS)),
		Scope:                 pulumi.String(bindings.FluxScopeCluster),
		SourceKind:            pulumi.String(bindings.SourceKindGitRepository),
		Suspend:               pulumi.Bool(false),
		GitRepository:         git,
		Kustomizations:        ks,
	}, pulumi.Parent(c), pulumi.DependsOn(waitFor))
	if err != nil {
		return nil, err
	}

	c.ExtensionID = extension.ID().ToStringOutput()
	c.ConfigurationID = cfg.ID().ToStringOutput()
	c.ConfigurationName = cfg.Name
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"extensionId": c.ExtensionID, "configurationId": c.ConfigurationID, "configurationName": c.ConfigurationName,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// clusterObjects creates the namespaces and the ConfigMaps (after the extension, which creates
// their namespace) and returns them for the configuration to wait for.
func clusterObjects(ctx *pulumi.Context, name string, cl *ClusterObjects, namespace string, extension pulumi.Resource, parent pulumi.Resource) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, n := range cl.Namespaces {
		ns, err := corev1.NewNamespace(ctx, name+"-namespace-"+n.Name, &corev1.NamespaceArgs{
			Metadata: &metav1.ObjectMetaArgs{
				Name:        pulumi.String(n.Name),
				Labels:      stringMap(n.Labels),
				Annotations: stringMap(n.Annotations),
			},
		}, pulumi.Parent(parent), pulumi.Provider(cl.Provider))
		if err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	for _, m := range cl.ConfigMaps {
		cm, err := corev1.NewConfigMap(ctx, name+"-configmap-"+m.Name, &corev1.ConfigMapArgs{
			Metadata: &metav1.ObjectMetaArgs{
				Name:      pulumi.String(m.Name),
				Namespace: pulumi.String(namespace),
				Labels:    stringMap(m.Labels),
			},
			Data: m.Data,
		}, pulumi.Parent(parent), pulumi.Provider(cl.Provider), pulumi.DependsOn([]pulumi.Resource{extension}))
		if err != nil {
			return nil, err
		}
		out = append(out, cm)
	}
	return out, nil
}

// stringMap is nil for an empty map, so that an object without labels has no labels input.
func stringMap(m map[string]string) pulumi.StringMapInput {
	if len(m) == 0 {
		return nil
	}
	return pulumi.ToStringMap(m)
}
