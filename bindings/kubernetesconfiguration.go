package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the cluster extension and Flux configuration. The explicit 2024-11-01 version is
// used: only it has gitRepository.provider ("Azure": workload identity towards Azure DevOps); the
// unversioned tokens of azure-native 2.90.0 map to 2023-05-01.
const (
	ExtensionType         = "azure-native:kubernetesconfiguration/v20241101:Extension"
	FluxConfigurationType = "azure-native:kubernetesconfiguration/v20241101:FluxConfiguration"
)

// Values of the cluster-reference inputs for an AKS cluster.
const (
	ClusterRpAKS       = "Microsoft.ContainerService"
	ClusterResourceAKS = "managedClusters"
)

// Extension is a cluster extension such as microsoft.flux: ARM type
// Microsoft.KubernetesConfiguration/extensions, API version 2024-11-01.
type Extension struct {
	pulumi.CustomResourceState

	Name              pulumi.StringOutput `pulumi:"name"`
	ExtensionType     pulumi.StringOutput `pulumi:"extensionType"`
	CurrentVersion    pulumi.StringOutput `pulumi:"currentVersion"`
	ProvisioningState pulumi.StringOutput `pulumi:"provisioningState"`
	// AksAssignedIdentity is {principalId, tenantId, type}.
	AksAssignedIdentity pulumi.MapOutput `pulumi:"aksAssignedIdentity"`
}

// ExtensionArgs are the inputs of an Extension. Unlike the generated SDK, no defaults are filled
// in: set AutoUpgradeMinorVersion and ReleaseTrain explicitly.
type ExtensionArgs struct {
	// ResourceGroupName of the cluster. Required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// ClusterRp is ClusterRpAKS for AKS. Required.
	ClusterRp pulumi.StringInput `pulumi:"clusterRp"`
	// ClusterResourceName is ClusterResourceAKS for AKS. Required.
	ClusterResourceName pulumi.StringInput `pulumi:"clusterResourceName"`
	// ClusterName is the cluster's name. Required.
	ClusterName             pulumi.StringInput `pulumi:"clusterName"`
	ExtensionName           pulumi.StringInput `pulumi:"extensionName"`
	ExtensionType           pulumi.StringInput `pulumi:"extensionType"`
	AutoUpgradeMinorVersion pulumi.BoolInput   `pulumi:"autoUpgradeMinorVersion"`
	// ReleaseTrain is "Stable" or "Preview"; used only with AutoUpgradeMinorVersion.
	ReleaseTrain pulumi.StringInput `pulumi:"releaseTrain"`
	// Version pins the extension; needs AutoUpgradeMinorVersion false.
	Version               pulumi.StringInput    `pulumi:"version"`
	ConfigurationSettings pulumi.StringMapInput `pulumi:"configurationSettings"`
	// ConfigurationProtectedSettings are registered as secrets.
	ConfigurationProtectedSettings pulumi.StringMapInput `pulumi:"configurationProtectedSettings"`
	Scope                          *ExtensionScope       `pulumi:"scope"`
}

// ExtensionScope installs the extension cluster-wide or into one namespace.
type ExtensionScope struct {
	Cluster *ExtensionScopeCluster `pulumi:"cluster"`
}

// ExtensionScopeCluster is a cluster-wide installation into a release namespace.
type ExtensionScopeCluster struct {
	ReleaseNamespace pulumi.StringInput `pulumi:"releaseNamespace"`
}

// ElementType makes the Args struct its own marshalling target.
func (ExtensionArgs) ElementType() reflect.Type { return reflect.TypeOf(ExtensionArgs{}) }

// NewExtension registers an Extension.
func NewExtension(ctx *pulumi.Context, name string, args *ExtensionArgs, opts ...pulumi.ResourceOption) (*Extension, error) {
	if args == nil {
		return nil, errors.New("bindings: Extension args are required")
	}
	a := *args
	if a.ConfigurationProtectedSettings != nil {
		a.ConfigurationProtectedSettings = pulumi.ToSecret(a.ConfigurationProtectedSettings).(pulumi.StringMapOutput)
	}
	var r Extension
	err := register(ctx, ExtensionType, name, a, []field{
		{"ResourceGroupName", a.ResourceGroupName}, {"ClusterRp", a.ClusterRp},
		{"ClusterResourceName", a.ClusterResourceName}, {"ClusterName", a.ClusterName},
	}, &r, opts)
	return &r, err
}

// PrincipalID is the principal ID of the identity AKS assigned to the extension.
func (e *Extension) PrincipalID() pulumi.StringOutput {
	return stringAt(e.AksAssignedIdentity, "aksAssignedIdentity", "principalId")
}

// Flux source kinds and Git providers.
const (
	SourceKindGitRepository = "GitRepository"
	GitProviderAzure        = "Azure"
	GitProviderGeneric      = "Generic"
	FluxScopeCluster        = "cluster"
)

// FluxConfiguration is a Flux source and its kustomizations on a cluster: ARM type
// Microsoft.KubernetesConfiguration/fluxConfigurations, API version 2024-11-01.
type FluxConfiguration struct {
	pulumi.CustomResourceState

	Name                 pulumi.StringOutput `pulumi:"name"`
	ComplianceState      pulumi.StringOutput `pulumi:"complianceState"`
	ProvisioningState    pulumi.StringOutput `pulumi:"provisioningState"`
	SourceSyncedCommitID pulumi.StringOutput `pulumi:"sourceSyncedCommitId"`
}

// FluxConfigurationArgs are the inputs of a FluxConfiguration. Unlike the generated SDK, no
// defaults are filled in (the SDK would set namespace "default", sourceKind GitRepository,
// 600-second intervals, prune false, wait true): set what you rely on.
type FluxConfigurationArgs struct {
	// ResourceGroupName of the cluster. Required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// ClusterRp is ClusterRpAKS for AKS. Required.
	ClusterRp pulumi.StringInput `pulumi:"clusterRp"`
	// ClusterResourceName is ClusterResourceAKS for AKS. Required.
	ClusterResourceName pulumi.StringInput `pulumi:"clusterResourceName"`
	// ClusterName is the cluster's name. Required.
	ClusterName           pulumi.StringInput `pulumi:"clusterName"`
	FluxConfigurationName pulumi.StringInput `pulumi:"fluxConfigurationName"`
	// Namespace holds the Flux source and kustomization objects.
	Namespace pulumi.StringInput `pulumi:"namespace"`
	// Scope is "cluster" or "namespace".
	Scope                      pulumi.StringInput `pulumi:"scope"`
	SourceKind                 pulumi.StringInput `pulumi:"sourceKind"`
	Suspend                    pulumi.BoolInput   `pulumi:"suspend"`
	WaitForReconciliation      pulumi.BoolInput   `pulumi:"waitForReconciliation"`
	ReconciliationWaitDuration pulumi.StringInput `pulumi:"reconciliationWaitDuration"`
	GitRepository              *GitRepository     `pulumi:"gitRepository"`
	// Kustomizations are keyed by name; DependsOn refers to these keys.
	Kustomizations map[string]Kustomization `pulumi:"kustomizations"`
}

// GitRepository is the Git source of a Flux configuration.
type GitRepository struct {
	URL                   pulumi.StringInput `pulumi:"url"`
	RepositoryRef         *RepositoryRef     `pulumi:"repositoryRef"`
	SyncIntervalInSeconds pulumi.IntInput    `pulumi:"syncIntervalInSeconds"`
	TimeoutInSeconds      pulumi.IntInput    `pulumi:"timeoutInSeconds"`
	// Provider is GitProviderAzure (workload identity towards Azure DevOps) or GitProviderGeneric.
	Provider pulumi.StringInput `pulumi:"provider"`
	// LocalAuthRef names a Kubernetes secret in the configuration's namespace holding credentials.
	LocalAuthRef pulumi.StringInput `pulumi:"localAuthRef"`
}

// RepositoryRef selects what to follow; set one field.
type RepositoryRef struct {
	Branch pulumi.StringInput `pulumi:"branch"`
	Tag    pulumi.StringInput `pulumi:"tag"`
	Semver pulumi.StringInput `pulumi:"semver"`
	Commit pulumi.StringInput `pulumi:"commit"`
}

// Kustomization is one Flux Kustomization of a configuration.
type Kustomization struct {
	Path pulumi.StringInput `pulumi:"path"`
	// DependsOn names other kustomizations of the same configuration.
	DependsOn              pulumi.StringArrayInput `pulumi:"dependsOn"`
	SyncIntervalInSeconds  pulumi.IntInput         `pulumi:"syncIntervalInSeconds"`
	RetryIntervalInSeconds pulumi.IntInput         `pulumi:"retryIntervalInSeconds"`
	TimeoutInSeconds       pulumi.IntInput         `pulumi:"timeoutInSeconds"`
	Prune                  pulumi.BoolInput        `pulumi:"prune"`
	Force                  pulumi.BoolInput        `pulumi:"force"`
	Wait                   pulumi.BoolInput        `pulumi:"wait"`
	PostBuild              *PostBuild              `pulumi:"postBuild"`
}

// PostBuild is Flux post-build variable substitution.
type PostBuild struct {
	Substitute     pulumi.StringMapInput `pulumi:"substitute"`
	SubstituteFrom []SubstituteFrom      `pulumi:"substituteFrom"`
}

// SubstituteFrom reads substitution variables from a ConfigMap or Secret.
type SubstituteFrom struct {
	Kind     pulumi.StringInput `pulumi:"kind"`
	Name     pulumi.StringInput `pulumi:"name"`
	Optional pulumi.BoolInput   `pulumi:"optional"`
}

// ElementType makes the Args struct its own marshalling target.
func (FluxConfigurationArgs) ElementType() reflect.Type {
	return reflect.TypeOf(FluxConfigurationArgs{})
}

// NewFluxConfiguration registers a FluxConfiguration.
func NewFluxConfiguration(ctx *pulumi.Context, name string, args *FluxConfigurationArgs, opts ...pulumi.ResourceOption) (*FluxConfiguration, error) {
	if args == nil {
		return nil, errors.New("bindings: FluxConfiguration args are required")
	}
	var r FluxConfiguration
	err := register(ctx, FluxConfigurationType, name, *args, []field{
		{"ResourceGroupName", args.ResourceGroupName}, {"ClusterRp", args.ClusterRp},
		{"ClusterResourceName", args.ClusterResourceName}, {"ClusterName", args.ClusterName},
	}, &r, opts)
	return &r, err
}
