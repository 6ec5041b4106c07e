// Package cluster is the platform's AKS cluster: user-assigned control-plane and kubelet
// identities, Entra ID authentication with Azure RBAC and no local accounts, OIDC issuer and
// workload identity, Azure CNI overlay with the Cilium dataplane, egress through the VNet's NAT
// gateway, node auto-provisioning (Karpenter) beside a tainted, fixed-size system pool, a private
// or VNet-integrated API server, automatic upgrades inside maintenance windows, Container Insights
// and managed Prometheus through data collection rules, the Key Vault secrets-store CSI driver,
// the Defender and Azure Policy add-ons, Image Cleaner, no run command, and the control plane's
// audit logs in Log Analytics.
//
// It uses the AKS API 2024-09-02-preview: node auto-provisioning (nodeProvisioningProfile) exists
// in no stable API version the Pulumi SDK available here carries.
package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	cs "github.com/pulumi/pulumi-azure-native-sdk/containerservice/v2/v20240902preview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/avm"
)

// API server access modes.
const (
	// APIServerVNetIntegration projects the API server into a delegated subnet of the VNet; its
	// public endpoint stays, limited to the authorized IP ranges.
	APIServerVNetIntegration = "vnetIntegration"
	// APIServerPrivate is a private cluster: the API server is reached only through a private
	// endpoint whose record lives in a given private DNS zone.
	APIServerPrivate = "private"
)

// Maintenance configuration names AKS reserves for the automatic upgrade schedules (azure-cli
// acs/_consts.py CONST_AUTOUPGRADE_CONFIGURATION_NAME and CONST_NODEOSUPGRADE_CONFIGURATION_NAME).
const (
	AutoUpgradeScheduleName   = "aksManagedAutoUpgradeSchedule"
	NodeOSUpgradeScheduleName = "aksManagedNodeOSUpgradeSchedule"
)

// Data collection rule association names. Container Insights: the name the Azure CLI gives the
// association when it onboards with managed identity auth (acs/addonconfiguration.py). Managed
// Prometheus: the CLI's association name (acs/azuremonitormetrics/dc/defaults.py); an association
// name only has to be unique on its cluster.
const (
	ContainerInsightsAssociationName = "ContainerInsightsExtension"
	PrometheusAssociationName        = "ContainerInsightsMetricsExtension"
)

// SystemPoolTaint keeps everything but critical add-ons (which tolerate it) off the system pool;
// workloads land on nodes that node auto-provisioning creates. This API version has no
// onlyCriticalAddonsEnabled field, so the taint is set directly.
const SystemPoolTaint = "CriticalAddonsOnly=true:NoSchedule"

// Args configures the cluster.
type Args struct {
	// ResourceGroupName holds the cluster and its data collection resources. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the cluster, and of the data collection endpoint and rules (which must be in
	// the region of their workspaces; the platform keeps everything in one region). Required.
	Location pulumi.StringInput
	// Name is the cluster's Azure name. Required.
	Name string
	// DNSPrefix of the API server's host name; it cannot change after creation. Default: Name.
	DNSPrefix string
	// NodeResourceGroup is the name of the resource group AKS creates for the nodes. Required.
	NodeResourceGroup string
	// KubernetesVersion is 1.<minor> or 1.<minor>.<patch>. Required.
	KubernetesVersion string
	// Tier is Free, Standard or Premium. Default "Standard".
	Tier string
	// TenantID is the Entra tenant that authenticates cluster users. Required.
	TenantID pulumi.StringInput
	// AdminGroupObjectIDs are the Entra groups that are cluster administrators. Required (at
	// least one): with local accounts disabled they are the way in.
	AdminGroupObjectIDs []pulumi.StringInput
	// ControlPlaneIdentityID is the resource ID of the user-assigned identity the control plane
	// runs as. It needs Managed Identity Operator on the kubelet identity and Network Contributor
	// on the node and API server subnets (and Private DNS Zone Contributor on the zone of a
	// private cluster) before the cluster is created. Required.
	ControlPlaneIdentityID pulumi.StringInput
	// KubeletIdentity is the user-assigned identity of the nodes. Required.
	KubeletIdentity KubeletIdentity
	// Network is the pod and service addressing. Required.
	Network Network
	// NodeSubnetID is the subnet of the system pool and of auto-provisioned nodes; it must already
	// be associated with the NAT gateway that carries the cluster's egress. Required.
	NodeSubnetID pulumi.StringInput
	// NodeProvisioningMode is Auto (node auto-provisioning) or Manual. Default "Auto".
	NodeProvisioningMode string
	// SystemPool is the inline system node pool. Required.
	SystemPool SystemPool
	// APIServer is how the API server is reached. Required.
	APIServer APIServer
	// UpgradeChannel is none, patch, stable, rapid or node-image. Default "patch".
	UpgradeChannel string
	// NodeOSUpgradeChannel is None, Unmanaged, NodeImage or SecurityPatch. Default "NodeImage".
	NodeOSUpgradeChannel string
	// AutoUpgradeWindow is when Kubernetes upgrades of the upgrade channel may run (the
	// aksManagedAutoUpgradeSchedule configuration). Required unless UpgradeChannel is none, which
	// creates no such configuration.
	AutoUpgradeWindow Window
	// NodeOSUpgradeWindow is when node OS upgrades and the node image updates of
	// auto-provisioned nodes may run (the aksManagedNodeOSUpgradeSchedule configuration).
	// Required unless NodeOSUpgradeChannel is None or Unmanaged and NodeProvisioningMode is
	// Manual, which creates no such configuration.
	NodeOSUpgradeWindow Window
	// Monitoring is Container Insights and managed Prometheus. Required.
	Monitoring Monitoring
	// SecretRotationInterval is how often the Key Vault secrets-store CSI driver re-reads
	// secrets, e.g. "2m". Default "2m".
	SecretRotationInterval string
	// Defender turns on Microsoft Defender for Containers, reporting to the Log Analytics
	// workspace. Default false (explicitly off).
	Defender bool
	// AzurePolicy turns on the Azure Policy add-on. Default false (explicitly off).
	AzurePolicy bool
	// ImageCleanerIntervalHours is how often Image Cleaner removes unused images with known
	// vulnerabilities from the nodes, 24-2160 hours. Default 168 (weekly).
	ImageCleanerIntervalHours int
	// Protect sets Pulumi's protect on the cluster. Default false.
	Protect bool
	// Tags of every resource (and of the system pool's scale set). Default none.
	Tags pulumi.StringMapInput
	// Lock on the cluster. Default none.
	Lock avm.Lock
	// RoleAssignments on the cluster. Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings sends the control plane's resource logs and metrics to Log Analytics
	// (resource-specific tables). With LogCategoryGroups nil the cluster sends the categories
	// in ControlPlaneLogCategories rather than the allLogs group, which includes kube-audit (every
	// read of the API server, by far the costliest); with LogCategoryGroups set, those groups.
	// Default none.
	DiagnosticSettings *avm.DiagnosticSettings
}

// ControlPlaneLogCategories are the control-plane log categories the cluster's diagnostic setting
// sends by default: kube-audit-admin (audit events without get and list: who changed what) and
// guard (Entra ID authentication and Azure RBAC decisions).
var ControlPlaneLogCategories = []string{"kube-audit-admin", "guard"}

// KubeletIdentity is a user-assigned identity handed to the cluster for its nodes.
type KubeletIdentity struct {
	// ResourceID is the identity's resource ID. Required.
	ResourceID pulumi.StringInput
	// ClientID is the identity's client (application) ID. Required.
	ClientID pulumi.StringInput
	// ObjectID is the identity's principal (object) ID. Required.
	ObjectID pulumi.StringInput
}

// Network is the cluster's overlay addressing.
type Network struct {
	// PodCIDR is the overlay pod range; it must not overlap the VNet. Required.
	PodCIDR string
	// ServiceCIDR is the Kubernetes service range. Required.
	ServiceCIDR string
	// DNSServiceIP is the cluster DNS service address inside ServiceCIDR. Required.
	DNSServiceIP string
}

// SystemPool configures the inline system pool.
type SystemPool struct {
	// Name is the pool name (1-12 lowercase letters and digits). Required.
	Name string
	// VMSize is the VM size; its cache or temporary disk must hold OSDiskSizeGB for the ephemeral
	// OS disk. Required.
	VMSize string
	// Count is the pool's node count, 1-100: its fixed size, or with the cluster autoscaler its
	// starting size. Required.
	Count int
	// MinCount and MaxCount, both set, turn on the cluster autoscaler between them
	// (1 <= MinCount <= Count <= MaxCount <= 100). Only with NodeProvisioningMode Manual: AKS
	// refuses node auto-provisioning on a cluster with an autoscaled pool. Default 0 (no
	// autoscaler).
	MinCount int
	MaxCount int
	// Zones are the availability zones ("1", "2", "3"). Default none (regional).
	Zones []string
	// OSDiskSizeGB is the ephemeral OS disk size. Default 64.
	OSDiskSizeGB int
	// MaxPods per node. Default 110.
	MaxPods int
}

// autoscaled reports whether the cluster autoscaler runs on the pool.
func (p SystemPool) autoscaled() bool { return p.MinCount != 0 || p.MaxCount != 0 }

// APIServer is the API server's access mode.
type APIServer struct {
	// Access is APIServerVNetIntegration or APIServerPrivate. Required.
	Access string
	// SubnetID is the delegated API server subnet (vnetIntegration). Required with
	// vnetIntegration.
	SubnetID pulumi.StringInput
	// AuthorizedIPRanges limit the public endpoint (vnetIntegration). Default none (open).
	AuthorizedIPRanges []string
	// PrivateDNSZoneID is the privatelink.<region>.azmk8s.io zone of a private cluster. Required
	// with private.
	PrivateDNSZoneID pulumi.StringInput
}

// Window is a weekly maintenance window.
type Window struct {
	// DayOfWeek is Monday..Sunday. Required.
	DayOfWeek string
	// StartTime is HH:mm. Required.
	StartTime string
	// DurationHours is 4-24. Required.
	DurationHours int
	// UTCOffset is +HH:mm or -HH:mm. Default "+00:00".
	UTCOffset string
	// IntervalWeeks is 1-4. Default 1.
	IntervalWeeks int
}

// Monitoring is where the cluster's logs and metrics go.
type Monitoring struct {
	// LogAnalyticsWorkspaceID receives Container Insights and, when on, Defender's data.
	// Required.
	LogAnalyticsWorkspaceID pulumi.StringInput
	// ContainerInsightsRuleName names the Container Insights data collection rule. Required.
	ContainerInsightsRuleName string
	// Prometheus sends the cluster's Prometheus metrics to an Azure Monitor workspace. Default nil
	// (managed Prometheus explicitly off).
	Prometheus *Prometheus
}

// Prometheus is managed Prometheus.
type Prometheus struct {
	// MonitorWorkspaceID is the Azure Monitor workspace's resource ID. Required.
	MonitorWorkspaceID pulumi.StringInput
	// EndpointName names the data collection endpoint. Required.
	EndpointName string
	// RuleName names the data collection rule. Required.
	RuleName string
}

// Cluster is the managed cluster and its maintenance configurations, data collection, lock and
// role assignments.
type Cluster struct {
	pulumi.ResourceState

	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// OIDCIssuerURL is the issuer of the cluster's service account tokens, the issuer of every
	// workload identity federated credential.
	OIDCIssuerURL pulumi.StringOutput
	// KubeletIdentityClientID and KubeletIdentityObjectID are the nodes' identity as the cluster
	// reports it (identityProfile.kubeletidentity).
	KubeletIdentityClientID pulumi.StringOutput
	KubeletIdentityObjectID pulumi.StringOutput
	// NodeResourceGroup is the resource group AKS manages for the nodes.
	NodeResourceGroup pulumi.StringOutput
}

var (
	tiers            = []string{"Free", "Standard", "Premium"}
	provisionModes   = []string{"Auto", "Manual"}
	upgradeChannels  = []string{"none", "patch", "stable", "rapid", "node-image"}
	nodeOSChannels   = []string{"None", "Unmanaged", "NodeImage", "SecurityPatch"}
	weekDays         = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	availabilityZone = []string{"1", "2", "3"}
)

func (a *Args) validate() error {
	var errs []error
	need := func(field string, missing bool) {
		if missing {
			errs = append(errs, fmt.Errorf("cluster: %s is required", field))
		}
	}
	oneOf := func(field, value string, allowed []string) {
		if value != "" && !slices.Contains(allowed, value) {
			errs = append(errs, fmt.Errorf("cluster: %s %q: want one of %v", field, value, allowed))
		}
	}
	need("ResourceGroupName", a.ResourceGroupName == nil)
	need("Location", a.Location == nil)
	need("Name", a.Name == "")
	need("NodeResourceGroup", a.NodeResourceGroup == "")
	need("KubernetesVersion", a.KubernetesVersion == "")
	need("TenantID", a.TenantID == nil)
	need("AdminGroupObjectIDs", len(a.AdminGroupObjectIDs) == 0)
	need("ControlPlaneIdentityID", a.ControlPlaneIdentityID == nil)
	need("KubeletIdentity.ResourceID", a.KubeletIdentity.ResourceID == nil)
	need("KubeletIdentity.ClientID", a.KubeletIdentity.ClientID == nil)
	need("KubeletIdentity.ObjectID", a.KubeletIdentity.ObjectID == nil)
	need("Network.PodCIDR", a.Network.PodCIDR == "")
	need("Network.ServiceCIDR", a.Network.ServiceCIDR == "")
	need("Network.DNSServiceIP", a.Network.DNSServiceIP == "")
	need("NodeSubnetID", a.NodeSubnetID == nil)
	need("Monitoring.LogAnalyticsWorkspaceID", a.Monitoring.LogAnalyticsWorkspaceID == nil)
	need("Monitoring.ContainerInsightsRuleName", a.Monitoring.ContainerInsightsRuleName == "")
	if p := a.Monitoring.Prometheus; p != nil {
		need("Monitoring.Prometheus.MonitorWorkspaceID", p.MonitorWorkspaceID == nil)
		need("Monitoring.Prometheus.EndpointName", p.EndpointName == "")
		need("Monitoring.Prometheus.RuleName", p.RuleName == "")
	}
	oneOf("Tier", a.Tier, tiers)
	oneOf("NodeProvisioningMode", a.NodeProvisioningMode, provisionModes)
	oneOf("UpgradeChannel", a.UpgradeChannel, upgradeChannels)
	oneOf("NodeOSUpgradeChannel", a.NodeOSUpgradeChannel, nodeOSChannels)

	p := a.SystemPool
	need("SystemPool.Name", p.Name == "")
	need("SystemPool.VMSize", p.VMSize == "")
	if p.Count < 1 || p.Count > 100 {
		errs = append(errs, fmt.Errorf("cluster: SystemPool.Count %d: want 1-100", p.Count))
	}
	if p.autoscaled() {
		if cmp.Or(a.NodeProvisioningMode, "Auto") == "Auto" {
			errs = append(errs, fmt.Errorf("cluster: SystemPool.MinCount %d, MaxCount %d: the cluster autoscaler cannot run with NodeProvisioningMode Auto (AKS refuses node auto-provisioning on a cluster with an autoscaled pool)", p.MinCount, p.MaxCount))
		} else if p.MinCount < 1 || p.Count < p.MinCount || p.MaxCount < p.Count || p.MaxCount > 100 {
			errs = append(errs, fmt.Errorf("cluster: SystemPool.MinCount %d, Count %d, MaxCount %d: want 1 <= MinCount <= Count <= MaxCount <= 100", p.MinCount, p.Count, p.MaxCount))
		}
	}
	for _, z := range p.Zones {
		oneOf("SystemPool.Zones", z, availabilityZone)
	}

	s := a.APIServer
	switch s.Access {
	case APIServerVNetIntegration:
		need("APIServer.SubnetID (vnetIntegration)", s.SubnetID == nil)
	case APIServerPrivate:
		need("APIServer.PrivateDNSZoneID (private)", s.PrivateDNSZoneID == nil)
		if len(s.AuthorizedIPRanges) > 0 {
			errs = append(errs, errors.New("cluster: APIServer.AuthorizedIPRanges do not apply to a private API server"))
		}
	default:
		errs = append(errs, fmt.Errorf("cluster: APIServer.Access %q: want %s or %s", s.Access, APIServerVNetIntegration, APIServerPrivate))
	}

	if h := a.ImageCleanerIntervalHours; h != 0 && (h < 24 || h > 2160) {
		errs = append(errs, fmt.Errorf("cluster: ImageCleanerIntervalHours %d: want 24-2160", h))
	}
	if d := a.DiagnosticSettings; d != nil && d.WorkspaceID == nil {
		errs = append(errs, errors.New("cluster: DiagnosticSettings.WorkspaceID is required"))
	}

	windows := map[string]Window{}
	for _, m := range a.maintenance() {
		windows[m.field] = m.window
	}
	for field, w := range windows {
		if !slices.Contains(weekDays, w.DayOfWeek) {
			errs = append(errs, fmt.Errorf("cluster: %s.DayOfWeek %q: want one of %v", field, w.DayOfWeek, weekDays))
		}
		need(field+".StartTime", w.StartTime == "")
		if w.DurationHours < 4 || w.DurationHours > 24 {
			errs = append(errs, fmt.Errorf("cluster: %s.DurationHours %d: want 4-24", field, w.DurationHours))
		}
		if w.IntervalWeeks < 0 || w.IntervalWeeks > 4 {
			errs = append(errs, fmt.Errorf("cluster: %s.IntervalWeeks %d: want 1-4", field, w.IntervalWeeks))
		}
	}
	// Windows come from a map: sort for a stable report.
	slices.SortFunc(errs, func(x, y error) int { return strings.Compare(x.Error(), y.Error()) })
	return errors.Join(errs...)
}

// schedule is one of the maintenance configurations AKS reads for automatic upgrades.
type schedule struct {
	suffix, config, field string
	window                Window
}

// maintenance lists the maintenance configurations to create: each only while something runs in
// it. aksManagedAutoUpgradeSchedule times the upgrade channel's upgrades, so it is pointless with
// the channel none. aksManagedNodeOSUpgradeSchedule times the NodeImage and SecurityPatch
// channels' updates, and also when node auto-provisioning picks up new node images (AKS docs,
// node-auto-provisioning-upgrade-image: without it AKS may use a fallback schedule), so it stays
// with node auto-provisioning on whatever the node OS channel.
func (a *Args) maintenance() []schedule {
	var out []schedule
	if cmp.Or(a.UpgradeChannel, "patch") != "none" {
		out = append(out, schedule{"auto-upgrade", AutoUpgradeScheduleName, "AutoUpgradeWindow", a.AutoUpgradeWindow})
	}
	switch cmp.Or(a.NodeOSUpgradeChannel, "NodeImage") {
	case "NodeImage", "SecurityPatch":
		out = append(out, schedule{"node-os-upgrade", NodeOSUpgradeScheduleName, "NodeOSUpgradeWindow", a.NodeOSUpgradeWindow})
	default:
		if cmp.Or(a.NodeProvisioningMode, "Auto") == "Auto" {
			out = append(out, schedule{"node-os-upgrade", NodeOSUpgradeScheduleName, "NodeOSUpgradeWindow", a.NodeOSUpgradeWindow})
		}
	}
	return out
}

// New creates the cluster.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Cluster, error) {
	if args == nil {
		return nil, errors.New("cluster: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Cluster{}
	if err := ctx.RegisterComponentResource("platform:cluster:Cluster", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	admins := pulumi.StringArray{}
	for _, id := range args.AdminGroupObjectIDs {
		admins = append(admins, id)
	}
	workspace := args.Monitoring.LogAnalyticsWorkspaceID
	upgradeChannel := cmp.Or(args.UpgradeChannel, "patch")

	clusterArgs := &cs.ManagedClusterArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		ResourceName:      pulumi.String(args.Name),
		DnsPrefix:         pulumi.String(cmp.Or(args.DNSPrefix, args.Name)),
		NodeResourceGroup: pulumi.String(args.NodeResourceGroup),
		KubernetesVersion: pulumi.String(args.KubernetesVersion),
		Sku: &cs.ManagedClusterSKUArgs{
			Name: pulumi.String("Base"),
			Tier: pulumi.String(cmp.Or(args.Tier, "Standard")),
		},
		// The identity type is the one enum-typed input of this API version.
		Identity: &cs.ManagedClusterIdentityArgs{
			Type:                   cs.ResourceIdentityTypeUserAssigned,
			UserAssignedIdentities: pulumi.StringArray{args.ControlPlaneIdentityID},
		},
		// "kubeletidentity" is the only key AKS accepts.
		IdentityProfile: cs.UserAssignedIdentityMap{
			"kubeletidentity": cs.UserAssignedIdentityArgs{
				ResourceId: args.KubeletIdentity.ResourceID,
				ClientId:   args.KubeletIdentity.ClientID,
				ObjectId:   args.KubeletIdentity.ObjectID,
			},
		},
		// Entra ID only: users authenticate with Entra, Azure RBAC authorizes them, and no
		// certificate-based local admin credential exists.
		EnableRBAC:           pulumi.Bool(true),
		DisableLocalAccounts: pulumi.Bool(true),
		AadProfile: &cs.ManagedClusterAADProfileArgs{
			Managed:             pulumi.Bool(true),
			EnableAzureRBAC:     pulumi.Bool(true),
			AdminGroupObjectIDs: admins,
			TenantID:            args.TenantID,
		},
		OidcIssuerProfile: &cs.ManagedClusterOIDCIssuerProfileArgs{Enabled: pulumi.Bool(true)},
		SecurityProfile: &cs.ManagedClusterSecurityProfileArgs{
			WorkloadIdentity: &cs.ManagedClusterSecurityProfileWorkloadIdentityArgs{Enabled: pulumi.Bool(true)},
			Defender:         defender(args.Defender, workspace),
			// Removes unused images with known vulnerabilities from the nodes.
			ImageCleaner: &cs.ManagedClusterSecurityProfileImageCleanerArgs{
				Enabled:       pulumi.Bool(true),
				IntervalHours: pulumi.Int(cmp.Or(args.ImageCleanerIntervalHours, 168)),
			},
		},
		// Addressing and outbound type are always set: the SDK's defaults would otherwise send
		// outboundType loadBalancer and its own CIDRs.
		NetworkProfile: &cs.ContainerServiceNetworkProfileArgs{
			NetworkPlugin:     pulumi.String("azure"),
			NetworkPluginMode: pulumi.String("overlay"),
			NetworkDataplane:  pulumi.String("cilium"),
			NetworkPolicy:     pulumi.String("cilium"),
			PodCidr:           pulumi.String(args.Network.PodCIDR),
			ServiceCidr:       pulumi.String(args.Network.ServiceCIDR),
			DnsServiceIP:      pulumi.String(args.Network.DNSServiceIP),
			// Egress leaves through the NAT gateway already associated with the node subnet;
			// the outbound type cannot change after creation.
			OutboundType: pulumi.String("userAssignedNATGateway"),
			// Services of type LoadBalancer (and node auto-provisioning in a custom VNet) need the
			// Standard load balancer.
			LoadBalancerSku: pulumi.String("standard"),
		},
		NodeProvisioningProfile: &cs.ManagedClusterNodeProvisioningProfileArgs{
			Mode: pulumi.String(cmp.Or(args.NodeProvisioningMode, "Auto")),
		},
		AgentPoolProfiles:      cs.ManagedClusterAgentPoolProfileArray{systemPool(args)},
		ApiServerAccessProfile: apiServerAccess(args.APIServer),
		AutoUpgradeProfile: &cs.ManagedClusterAutoUpgradeProfileArgs{
			UpgradeChannel:       pulumi.String(upgradeChannel),
			NodeOSUpgradeChannel: pulumi.String(cmp.Or(args.NodeOSUpgradeChannel, "NodeImage")),
		},
		AddonProfiles: cs.ManagedClusterAddonProfileMap{
			// Container Insights with managed identity auth: the agent authenticates with the
			// add-on's identity and finds its destination through the data collection rule
			// associated below, so no workspace key reaches the cluster.
			"omsagent": cs.ManagedClusterAddonProfileArgs{
				Enabled: pulumi.Bool(true),
				Config: pulumi.StringMap{
					"logAnalyticsWorkspaceResourceID": workspace,
					"useAADAuth":                      pulumi.String("true"),
				},
			},
			"azureKeyvaultSecretsProvider": cs.ManagedClusterAddonProfileArgs{
				Enabled: pulumi.Bool(true),
				Config: pulumi.StringMap{
					"enableSecretRotation": pulumi.String("true"),
					"rotationPollInterval": pulumi.String(cmp.Or(args.SecretRotationInterval, "2m")),
				},
			},
			// Sent when off as well, so switching it off in config turns it off in Azure.
			"azurepolicy": cs.ManagedClusterAddonProfileArgs{Enabled: pulumi.Bool(args.AzurePolicy)},
		},
		AzureMonitorProfile: &cs.ManagedClusterAzureMonitorProfileArgs{
			Metrics: &cs.ManagedClusterAzureMonitorProfileMetricsArgs{Enabled: pulumi.Bool(args.Monitoring.Prometheus != nil)},
		},
		Tags: args.Tags,
	}

	// Azure changes the inline pool's count whenever the cluster autoscaler scales it; sending the
	// initial count back would be a manual scale, which AKS refuses on an autoscaled pool. Only
	// that field is ignored: with the whole array ignored, later cluster updates failed with "A new
	// agent pool was introduced" (pulumi-azure-native#2719).
	ignore := []string{}
	if args.SystemPool.autoscaled() {
		ignore = append(ignore, "agentPoolProfiles[0].count")
	}
	// The stable and rapid channels move the cluster to new minor versions on their own; the
	// configured version would then be a downgrade, which AKS refuses. The channel owns the
	// version after creation.
	if upgradeChannel == "stable" || upgradeChannel == "rapid" {
		ignore = append(ignore, "kubernetesVersion")
	}
	clusterOpts := []pulumi.ResourceOption{child, pulumi.Protect(args.Protect)}
	if len(ignore) > 0 {
		clusterOpts = append(clusterOpts, pulumi.IgnoreChanges(ignore))
	}
	mc, err := cs.NewManagedCluster(ctx, name, clusterArgs, clusterOpts...)
	if err != nil {
		return nil, err
	}
	id := mc.ID().ToStringOutput()

	for _, m := range args.maintenance() {
		if _, err := cs.NewMaintenanceConfiguration(ctx, name+"-"+m.suffix, &cs.MaintenanceConfigurationArgs{
			ResourceGroupName: args.ResourceGroupName,
			ResourceName:      mc.Name,
			ConfigName:        pulumi.String(m.config),
			MaintenanceWindow: &cs.MaintenanceWindowArgs{
				Schedule: cs.ScheduleArgs{
					Weekly: &cs.WeeklyScheduleArgs{
						DayOfWeek:     pulumi.String(m.window.DayOfWeek),
						IntervalWeeks: pulumi.Int(cmp.Or(m.window.IntervalWeeks, 1)),
					},
				},
				DurationHours: pulumi.Int(m.window.DurationHours),
				StartTime:     pulumi.String(m.window.StartTime),
				UtcOffset:     pulumi.String(cmp.Or(m.window.UTCOffset, "+00:00")),
			},
		}, child); err != nil {
			return nil, err
		}
	}

	if err := containerInsights(ctx, name, args, id, child); err != nil {
		return nil, err
	}
	if err := prometheus(ctx, name, args, id, child); err != nil {
		return nil, err
	}
	if err := avm.NewLock(ctx, name, id, args.Lock, child); err != nil {
		return nil, err
	}
	if err := avm.NewRoleAssignments(ctx, name, id, args.RoleAssignments, child); err != nil {
		return nil, err
	}
	if err := diagnostics(ctx, name, id, args.DiagnosticSettings, child); err != nil {
		return nil, err
	}

	kubelet := mc.IdentityProfile.MapIndex(pulumi.String("kubeletidentity"))
	c.ID = id
	c.Name = mc.Name
	c.OIDCIssuerURL = mc.OidcIssuerProfile.IssuerURL().Elem()
	c.KubeletIdentityClientID = kubelet.ClientId().Elem()
	c.KubeletIdentityObjectID = kubelet.ObjectId().Elem()
	c.NodeResourceGroup = mc.NodeResourceGroup.Elem()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"id":                      c.ID,
		"name":                    c.Name,
		"oidcIssuerUrl":           c.OIDCIssuerURL,
		"kubeletIdentityClientId": c.KubeletIdentityClientID,
		"kubeletIdentityObjectId": c.KubeletIdentityObjectID,
		"nodeResourceGroup":       c.NodeResourceGroup,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// defender is Microsoft Defender for Containers; off is sent explicitly (as the Azure CLI's
// --disable-defender does), so switching it off in config turns it off in Azure.
func defender(on bool, workspace pulumi.StringInput) *cs.ManagedClusterSecurityProfileDefenderArgs {
	if !on {
		return &cs.ManagedClusterSecurityProfileDefenderArgs{
			SecurityMonitoring: &cs.ManagedClusterSecurityProfileDefenderSecurityMonitoringArgs{Enabled: pulumi.Bool(false)},
		}
	}
	return &cs.ManagedClusterSecurityProfileDefenderArgs{
		LogAnalyticsWorkspaceResourceId: workspace,
		SecurityMonitoring:              &cs.ManagedClusterSecurityProfileDefenderSecurityMonitoringArgs{Enabled: pulumi.Bool(true)},
	}
}

// systemPool is the inline system pool: AKS needs one at creation, and it runs the critical
// add-ons (CoreDNS, Karpenter's controllers, the monitoring agents). Further pools are separate
// AgentPool resources or, with node auto-provisioning, Karpenter NodePools delivered by GitOps.
func systemPool(a *Args) cs.ManagedClusterAgentPoolProfileArgs {
	p := a.SystemPool
	pool := cs.ManagedClusterAgentPoolProfileArgs{
		Name:         pulumi.String(p.Name),
		Mode:         pulumi.String("System"),
		Type:         pulumi.String("VirtualMachineScaleSets"),
		VmSize:       pulumi.String(p.VMSize),
		Count:        pulumi.Int(p.Count),
		OsType:       pulumi.String("Linux"),
		OsSKU:        pulumi.String("AzureLinux"),
		OsDiskType:   pulumi.String("Ephemeral"),
		OsDiskSizeGB: pulumi.Int(cmp.Or(p.OSDiskSizeGB, 64)),
		MaxPods:      pulumi.Int(cmp.Or(p.MaxPods, 110)),
		VnetSubnetID: a.NodeSubnetID,
		NodeTaints:   pulumi.StringArray{pulumi.String(SystemPoolTaint)},
		Tags:         a.Tags,
	}
	// A fixed size with node auto-provisioning (which adds every other node); the autoscaler
	// only where MinCount and MaxCount are set, which validation allows only without it.
	pool.EnableAutoScaling = pulumi.Bool(p.autoscaled())
	if p.autoscaled() {
		pool.MinCount = pulumi.Int(p.MinCount)
		pool.MaxCount = pulumi.Int(p.MaxCount)
	}
	if len(p.Zones) > 0 {
		pool.AvailabilityZones = pulumi.ToStringArray(p.Zones)
	}
	return pool
}

// apiServerAccess is the API server's access profile. Run command (az aks command invoke) is off
// in both modes: it would run arbitrary pods with cluster-admin rights on behalf of anyone holding
// the Azure permission, outside the Entra ID and Kubernetes RBAC path.
func apiServerAccess(s APIServer) *cs.ManagedClusterAPIServerAccessProfileArgs {
	if s.Access == APIServerPrivate {
		return &cs.ManagedClusterAPIServerAccessProfileArgs{
			DisableRunCommand:    pulumi.Bool(true),
			EnablePrivateCluster: pulumi.Bool(true),
			// The A record of the API server goes into the platform's own zone (linked to the
			// VNet), and no public FQDN resolves to the private address.
			PrivateDNSZone:                 s.PrivateDNSZoneID,
			EnablePrivateClusterPublicFQDN: pulumi.Bool(false),
		}
	}
	p := &cs.ManagedClusterAPIServerAccessProfileArgs{
		DisableRunCommand:     pulumi.Bool(true),
		EnableVnetIntegration: pulumi.Bool(true),
		SubnetId:              s.SubnetID,
		EnablePrivateCluster:  pulumi.Bool(false),
	}
	if len(s.AuthorizedIPRanges) > 0 {
		p.AuthorizedIPRanges = pulumi.ToStringArray(s.AuthorizedIPRanges)
	}
	return p
}

// diagnostics sends the control plane's resource logs to Log Analytics: the categories in
// ControlPlaneLogCategories unless the caller chose groups or categories itself (see
// Args.DiagnosticSettings). Resource-specific tables (AKSAuditAdmin, AKSControlPlane) are what
// AKS recommends, and they can use the cheaper Basic logs plan. A nil d creates nothing.
func diagnostics(ctx *pulumi.Context, name string, clusterID pulumi.StringOutput, d *avm.DiagnosticSettings, child pulumi.ResourceOption) error {
	if d == nil {
		return nil
	}
	withDefaults := *d
	if d.LogCategoryGroups == nil && d.LogCategories == nil {
		withDefaults.LogCategories = ControlPlaneLogCategories
	}
	return avm.NewDiagnosticSetting(ctx, name, clusterID, &withDefaults, child)
}

// containerInsights creates what the Azure CLI creates when it enables the monitoring add-on with
// managed identity auth (acs/addonconfiguration.py, ensure_container_insights_for_monitoring): a
// Linux data collection rule with the ContainerInsights extension data source and the default
// stream group, flowing to the workspace, associated with the cluster.
func containerInsights(ctx *pulumi.Context, name string, a *Args, clusterID pulumi.StringOutput, child pulumi.ResourceOption) error {
	streams := pulumi.StringArray{pulumi.String("Microsoft-ContainerInsights-Group-Default")}
	rule, err := bindings.NewDataCollectionRule(ctx, name+"-container-insights", &bindings.DataCollectionRuleArgs{
		ResourceGroupName:      a.ResourceGroupName,
		Location:               a.Location,
		DataCollectionRuleName: pulumi.String(a.Monitoring.ContainerInsightsRuleName),
		Kind:                   pulumi.String("Linux"),
		Description:            pulumi.String("Container Insights of AKS cluster " + a.Name),
		DataSources: &bindings.DataCollectionRuleDataSources{
			Extensions: []bindings.ExtensionDataSource{
				{
					Name:          pulumi.String("ContainerInsightsExtension"),
					ExtensionName: pulumi.String("ContainerInsights"),
					Streams:       streams,
					ExtensionSettings: pulumi.Map{
						"dataCollectionSettings": pulumi.Map{"enableContainerLogV2": pulumi.Bool(true)},
					},
				},
			},
		},
		Destinations: &bindings.DataCollectionRuleDestinations{
			LogAnalytics: []bindings.LogAnalyticsDestination{
				{WorkspaceResourceId: a.Monitoring.LogAnalyticsWorkspaceID, Name: pulumi.String("la-workspace")},
			},
		},
		DataFlows: []bindings.DataFlow{
			{Streams: streams, Destinations: pulumi.StringArray{pulumi.String("la-workspace")}},
		},
		Tags: a.Tags,
	}, child)
	if err != nil {
		return err
	}
	_, err = bindings.NewDataCollectionRuleAssociation(ctx, name+"-container-insights", &bindings.DataCollectionRuleAssociationArgs{
		ResourceUri:          clusterID,
		AssociationName:      pulumi.String(ContainerInsightsAssociationName),
		DataCollectionRuleId: rule.ID(),
		Description:          pulumi.String("Routes Container Insights data to the Log Analytics workspace. Deleting it stops log collection for this cluster."),
	}, child)
	return err
}

// prometheus creates what AKS's managed Prometheus onboarding creates (azure-cli
// acs/azuremonitormetrics/dc/{dce,dcr,dcra}_api.py; Azure/prometheus-collector
// AddonBicepTemplate): a Linux data collection endpoint, a data collection rule with the
// prometheusForwarder data source sending Microsoft-PrometheusMetrics to the Azure Monitor
// workspace through that endpoint, and the rule's association with the cluster. The endpoint is
// not associated with the cluster itself: that (configurationAccessEndpoint) is only for private
// link scopes.
func prometheus(ctx *pulumi.Context, name string, a *Args, clusterID pulumi.StringOutput, child pulumi.ResourceOption) error {
	p := a.Monitoring.Prometheus
	if p == nil {
		return nil
	}
	dce, err := bindings.NewDataCollectionEndpoint(ctx, name+"-prometheus", &bindings.DataCollectionEndpointArgs{
		ResourceGroupName:          a.ResourceGroupName,
		Location:                   a.Location,
		DataCollectionEndpointName: pulumi.String(p.EndpointName),
		Kind:                       pulumi.String("Linux"),
		Description:                pulumi.String("Managed Prometheus of AKS cluster " + a.Name),
		Tags:                       a.Tags,
	}, child)
	if err != nil {
		return err
	}
	streams := pulumi.StringArray{pulumi.String("Microsoft-PrometheusMetrics")}
	rule, err := bindings.NewDataCollectionRule(ctx, name+"-prometheus", &bindings.DataCollectionRuleArgs{
		ResourceGroupName:        a.ResourceGroupName,
		Location:                 a.Location,
		DataCollectionRuleName:   pulumi.String(p.RuleName),
		Kind:                     pulumi.String("Linux"),
		Description:              pulumi.String("Managed Prometheus of AKS cluster " + a.Name),
		DataCollectionEndpointId: dce.ID(),
		DataSources: &bindings.DataCollectionRuleDataSources{
			PrometheusForwarder: []bindings.PrometheusForwarderDataSource{
				{
					Name:               pulumi.String("PrometheusDataSource"),
					Streams:            streams,
					LabelIncludeFilter: pulumi.StringMap{},
				},
			},
		},
		Destinations: &bindings.DataCollectionRuleDestinations{
			MonitoringAccounts: []bindings.MonitoringAccountDestination{
				{AccountResourceId: p.MonitorWorkspaceID, Name: pulumi.String("MonitoringAccount1")},
			},
		},
		DataFlows: []bindings.DataFlow{
			{Streams: streams, Destinations: pulumi.StringArray{pulumi.String("MonitoringAccount1")}},
		},
		Tags: a.Tags,
	}, child)
	if err != nil {
		return err
	}
	_, err = bindings.NewDataCollectionRuleAssociation(ctx, name+"-prometheus", &bindings.DataCollectionRuleAssociationArgs{
		ResourceUri:          clusterID,
		AssociationName:      pulumi.String(PrometheusAssociationName),
		DataCollectionRuleId: rule.ID(),
		Description:          pulumi.String("Routes the cluster's Prometheus metrics to the Azure Monitor workspace. Deleting it stops metrics collection for this cluster."),
	}, child)
	return err
}
