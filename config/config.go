// Package config holds every setting of one environment in one typed struct, read once from the
// shared `platform:` config namespace, with documented defaults and validation that reports every
// problem at once before any resource is registered.
//
// Each top-level key of the namespace is one field below: scalars (`platform:location`) or objects
// (`platform:sql`). Every key is decoded strictly, under the Pulumi engine as offline: an unknown
// key at any depth is an error naming it. Defaults depend on the environment's profile (dev or
// prod) where a real team would make the two differ; every default a comment below states is
// checked against the value the program applies, for both profiles (defaults_test.go).
package config

import (
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
)

// Namespace is the config namespace every layer project reads.
const Namespace = "platform"

// Profiles of an environment: they pick the defaults and, with prod, the production safety rules.
const (
	Dev  = "dev"
	Prod = "prod"
)

// Profiles lists the accepted values of platform:profile.
var Profiles = []string{Dev, Prod}

// Env is every setting of one environment.
type Env struct {
	// Environment is the environment's name: 2-10 lowercase letters and digits, starting with a
	// letter, e.g. dev, staging, prod. Required. It is part of every resource name, the
	// environment tag, the stack names (Pulumi.<environment>.yaml) and the GitOps entry point
	// gitops/clusters/<environment>; together with the prefix it must fit the shortest name
	// limits (see prefix).
	Environment string `key:"environment"`
	// Profile is dev or prod: it picks every "in dev, ... in prod" default below and, with prod,
	// the production safety rules (each rule below that says "prod refuses" or "prod requires").
	// Default: the environment's name when that is dev or prod; required for any other name. An
	// environment named prod takes profile prod.
	Profile string `key:"profile"`
	// Location is the Azure region, e.g. "westeurope". Required; one of the regions listed in
	// naming/naming.go (each has a short code used in names).
	Location string `key:"location"`
	// Prefix starts every resource name: 2-10 lowercase letters and digits, starting with a letter.
	// Required. With a 4-character name suffix (the random default) every name fits Azure's limits
	// in every region when the prefix and the environment name together have at most 10
	// characters (saas and prod; 11 in a region with a 3-letter code such as westeurope's weu);
	// with nameSuffix none, 14. A longer pair needs a shorter nameSuffix, or none: the storage
	// account name (24 characters at most) and the Key Vault name (24) are the limits, and
	// validation names the one that breaks.
	Prefix string `key:"prefix"`
	// NameSuffix is appended to the globally unique names (Key Vault, both storage accounts, ACR,
	// SQL and PostgreSQL servers, Document Intelligence) and to the names derived from them
	// (their private endpoints, the PostgreSQL private DNS zone): 1-4 lowercase letters and
	// digits, or "none" for no suffix. Default: unset, which gives a random suffix of 4 lowercase
	// letters and digits that the base layer creates once and keeps in its state (so two teams
	// with the same prefix, or one team recreating an environment whose Key Vault name is still
	// held by a soft-deleted vault, do not collide). An empty value is refused: say none. Changing
	// it renames, and so replaces, every one of those resources.
	NameSuffix string `key:"nameSuffix"`

	// Organization owns the layer stacks; it forms upstream stack names
	// (<organization>/<project>-<layer>/<stack>). Default: the organization Pulumi reports
	// ("organization" on the self-managed backends).
	Organization string `key:"organization"`
	// StackReferences overrides the full name of an upstream stack per layer
	// ({base: "acme/platform-base/dev"}). Default: derived as above.
	StackReferences map[string]string `key:"stackReferences"`
	// Tags are added to every taggable resource, after the platform's own
	// (environment, profile, managed-by, project). Default none.
	Tags map[string]string `key:"tags"`
	// ProtectStatefulResources sets Pulumi's protect and an Azure CanNotDelete lock on Key Vault,
	// SQL server and database, PostgreSQL, the data lake account, every managed identity, the
	// External ID tenant the identity layer creates (mode create), and the aks layer's registry,
	// cluster and Document Intelligence. Default: true in prod, false in dev.
	ProtectStatefulResources bool `key:"protectStatefulResources"`

	Network    Network    `key:"network"`
	KeyVault   KeyVault   `key:"keyVault"`
	SQL        SQL        `key:"sql"`
	Postgres   Postgres   `key:"postgres"`
	Storage    Storage    `key:"storage"`
	Monitoring Monitoring `key:"monitoring"`
	Entra      Entra      `key:"entra"`
	// Services are the microservices, each with its identity, service account, data access and
	// API registration. Default: user-service (PostgreSQL database users), subscription-service
	// (the SQL database), and llm-service (which reads the data lake and uses Document
	// Intelligence); a list given in config replaces it.
	Services             []Service            `key:"services"`
	Workloads            Workloads            `key:"workloads"`
	Pipeline             Pipeline             `key:"pipeline"`
	ExternalID           ExternalID           `key:"externalId"`
	AKS                  AKS                  `key:"aks"`
	ACR                  ACR                  `key:"acr"`
	FrontDoor            FrontDoor            `key:"frontDoor"`
	AGC                  AGC                  `key:"agc"`
	DocumentIntelligence DocumentIntelligence `key:"documentIntelligence"`
	Flux                 Flux                 `key:"flux"`

	// Subnets is the resolved subnet plan (configured or derived), filled by validation.
	Subnets map[netplan.Role]string `key:"-"`
	// Namer builds every resource name of this environment, filled by validation.
	Namer naming.Namer `key:"-"`
	// Names holds every resource name, built and checked by validation.
	Names Names `key:"-"`
}

// Network configures the virtual network.
type Network struct {
	// AddressSpace is the VNet's IPv4 CIDR in a private range, e.g. "10.40.0.0/16". Required.
	// The derived subnet plan needs /21 or larger.
	AddressSpace string `json:"addressSpace"`
	// Subnets fixes the CIDR of some or all roles (nodes, apiServer, agc, privateEndpoints,
	// postgres); the others are derived from the address space. Default: all derived
	// (nodes /22, agc /24, privateEndpoints /26, apiServer /28, postgres /28). agc must be exactly
	// a /24: Application Gateway for Containers with Azure CNI overlay supports no other size.
	Subnets map[string]string `json:"subnets"`
	// NatIdleTimeoutMinutes is the NAT gateway's TCP idle timeout, 4-120. Default 4.
	NatIdleTimeoutMinutes int `json:"natIdleTimeoutMinutes"`
	// NatPublicIPPrefixLength, when set (28-31), gives the NAT gateway a public IP prefix of
	// 2^(32-n) addresses instead of one static public IP, for clusters that exhaust SNAT ports.
	// Default 0 (one static public IP).
	NatPublicIPPrefixLength int `json:"natPublicIpPrefixLength"`
}

// KeyVault configures the platform's Key Vault.
type KeyVault struct {
	// Sku is "standard" or "premium" (HSM-backed keys). Default "standard".
	Sku string `json:"sku"`
	// SoftDeleteRetentionDays is 7-90. Default: 7 in dev, 90 in prod.
	SoftDeleteRetentionDays int `json:"softDeleteRetentionDays"`
	// PurgeProtection prevents purging soft-deleted secrets before retention ends; it cannot be
	// turned off once on. Default: false in dev, true in prod; prod refuses false.
	PurgeProtection bool `json:"purgeProtection"`
}

// SQL configures the Azure SQL logical server and its serverless database.
type SQL struct {
	// DatabaseName is the database's name. Default "app".
	DatabaseName string `json:"databaseName"`
	// SkuName is a General Purpose serverless SKU, GP_S_Gen5_<max vCores>. Default "GP_S_Gen5_2".
	SkuName string `json:"skuName"`
	// MinCapacity is the minimum vCores while running, 0.5 up to the SKU's maximum. Default 0.5.
	MinCapacity float64 `json:"minCapacity"`
	// AutoPauseDelayMinutes pauses the database after this many idle minutes (15-10080), or -1 to
	// never pause. Default: 60 in dev, -1 in prod.
	AutoPauseDelayMinutes int `json:"autoPauseDelayMinutes"`
	// MaxSizeGB is the database's maximum size in GB, 1-4096. Default 32.
	MaxSizeGB int `json:"maxSizeGb"`
	// ZoneRedundant spreads the database across availability zones. Default: false in dev, true in
	// prod.
	ZoneRedundant bool `json:"zoneRedundant"`
	// BackupStorageRedundancy is Local, Zone, Geo or GeoZone. Default: Local in dev, Geo in prod.
	BackupStorageRedundancy string `json:"backupStorageRedundancy"`
}

// Postgres configures the PostgreSQL Flexible Server.
type Postgres struct {
	// Version is the major version: "13", "14", "15" or "16". Default "16".
	Version string `json:"version"`
	// Tier is Burstable, GeneralPurpose or MemoryOptimized. Default: Burstable in dev,
	// GeneralPurpose in prod.
	Tier string `json:"tier"`
	// SkuName is the compute SKU, matching the tier (Standard_B* for Burstable, Standard_D* for
	// GeneralPurpose, Standard_E* for MemoryOptimized). Default: Standard_B1ms in dev,
	// Standard_D2ds_v5 in prod.
	SkuName string `json:"skuName"`
	// StorageSizeGB is the starting size, one of 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
	// 16384: storage auto-grow enlarges it and Azure never shrinks it, so after a grow set this to
	// the server's current size. Default: 32 in dev, 128 in prod.
	StorageSizeGB int `json:"storageSizeGb"`
	// HighAvailability is Disabled, SameZone or ZoneRedundant (not with Burstable). Default:
	// Disabled in dev, ZoneRedundant in prod.
	HighAvailability string `json:"highAvailability"`
	// GeoRedundantBackup keeps backups in the paired region. Default: false in dev, true in prod.
	GeoRedundantBackup bool `json:"geoRedundantBackup"`
	// BackupRetentionDays is 7-35. Default: 7 in dev, 35 in prod.
	BackupRetentionDays int `json:"backupRetentionDays"`
}

// Storage configures the SPA account and the customer data lake.
type Storage struct {
	// Replication is the SKU of both accounts: Standard_LRS, Standard_ZRS, Standard_GRS,
	// Standard_GZRS, Standard_RAGRS or Standard_RAGZRS. Default: Standard_LRS in dev,
	// Standard_GZRS in prod.
	Replication string `json:"replication"`
	// DataLakeContainers are the file systems of the data lake (3-63 lowercase letters, digits,
	// '-'). Default ["documents"].
	DataLakeContainers []string `json:"dataLakeContainers"`
	// SoftDeleteRetentionDays keeps deleted blobs and containers, 1-365. Default: 7 in dev, 30 in
	// prod.
	SoftDeleteRetentionDays int `json:"softDeleteRetentionDays"`
	// SpaIndexDocument is the static website's index page. Default "index.html".
	SpaIndexDocument string `json:"spaIndexDocument"`
	// SpaErrorDocument is served for unknown paths; the SPA's own router handles them, so it is
	// the index page by default. Default "index.html".
	SpaErrorDocument string `json:"spaErrorDocument"`
}

// Monitoring configures Log Analytics and managed Prometheus.
type Monitoring struct {
	// RetentionDays is the Log Analytics retention, 30-730. Default: 30 in dev, 90 in prod.
	RetentionDays int `json:"retentionDays"`
	// ManagedPrometheus creates an Azure Monitor workspace and sends the cluster's Prometheus
	// metrics to it. Default true.
	ManagedPrometheus bool `json:"managedPrometheus"`
}

// Entra configures the Entra ID groups of the platform.
type Entra struct {
	// CreateGroups creates the platform-admins and database-admins groups with the azuread
	// provider. Set false when the deployer may not create groups, and give both object IDs.
	// Default true.
	CreateGroups bool `json:"createGroups"`
	// PlatformAdminsGroupObjectID is the object ID of an existing group of cluster and platform
	// administrators. Required when createGroups is false, refused otherwise.
	PlatformAdminsGroupObjectID string `json:"platformAdminsGroupObjectId"`
	// DatabaseAdminsGroupObjectID is the object ID of an existing group administering SQL and
	// PostgreSQL. Required when createGroups is false, refused otherwise.
	DatabaseAdminsGroupObjectID string `json:"databaseAdminsGroupObjectId"`
	// DatabaseAdminsGroupName is the display name of that existing group: the SQL server's
	// Entra administrator login and the PostgreSQL administrator's principal name. Only with
	// createGroups false (refused otherwise: the created group's name is Names.DatabaseAdminsGroup).
	// Default: Names.DatabaseAdminsGroup.
	DatabaseAdminsGroupName string `json:"databaseAdminsGroupName"`
}

// Sign-in modes of the flux layer's Kubernetes provider (Flux.ClusterLogin): kubelogin's --login.
const (
	ClusterLoginAzureCLI         = "azurecli"
	ClusterLoginWorkloadIdentity = "workloadidentity"
)

// Data lake access levels of a service.
const (
	DataLakeNone      = "none"
	DataLakeRead      = "read"
	DataLakeReadWrite = "readWrite"
)

// Service is one microservice: its workload identity, its Kubernetes service account, what it may
// reach, and its API registration in Entra External ID.
type Service struct {
	// Name is a DNS label (lowercase letters, digits, '-', at most 40). Required.
	Name string `json:"name"`
	// Namespace is the Kubernetes namespace. Default: the name.
	Namespace string `json:"namespace"`
	// ServiceAccount is the Kubernetes service account. Default: the name.
	ServiceAccount string `json:"serviceAccount"`
	// DataLake is the service's access to the data lake: none, read or readWrite. Default none.
	DataLake string `json:"dataLake"`
	// KeyVaultSecrets lets the service read Key Vault secrets directly (most services get them
	// through External Secrets instead). Default false.
	KeyVaultSecrets bool `json:"keyVaultSecrets"`
	// DocumentIntelligence grants Cognitive Services User on Document Intelligence. Default false.
	DocumentIntelligence bool `json:"documentIntelligence"`
	// SQL hands the service the platform's Azure SQL server and database (its release's
	// platform.sql values); the service signs in with its workload identity, which a database
	// administrator adds as a contained user. Default false.
	SQL bool `json:"sql"`
	// PostgresDatabase is the database the service uses on the platform's PostgreSQL server (its
	// release's platform.postgres values; 1-63 lowercase letters, digits and '_', starting with a
	// letter or '_'); the service signs in with its workload identity. Default "": none.
	PostgresDatabase string `json:"postgresDatabase"`
}

// Workload is a platform add-on that talks to Azure through workload identity.
type Workload struct {
	// Namespace is the add-on's Kubernetes namespace.
	Namespace string `json:"namespace"`
	// ServiceAccounts are the add-on's service accounts that get a federated credential.
	ServiceAccounts []string `json:"serviceAccounts"`
}

// Workloads are the platform add-ons with an Azure identity. Each field may be overridden as a
// whole.
type Workloads struct {
	// ExternalSecrets reads Key Vault secrets. Default external-secrets/[external-secrets].
	ExternalSecrets Workload `json:"externalSecrets"`
	// CertManager solves DNS-01 challenges in Azure DNS. Default cert-manager/[cert-manager].
	CertManager Workload `json:"certManager"`
	// ALBController manages Application Gateway for Containers. Default
	// azure-alb-system/[alb-controller-sa].
	ALBController Workload `json:"albController"`
	// Flux pulls from ACR and Azure DevOps. Default flux-system/[source-controller,
	// image-reflector-controller]; image-automation-controller, which pushes image updates to
	// Azure DevOps, is federated too while flux.imageAutomation is on.
	Flux Workload `json:"flux"`
}

// Pipeline configures federation of the deployment pipeline's identity.
type Pipeline struct {
	// AzureDevOps is the workload-identity service connection. Required.
	AzureDevOps AzureDevOps `json:"azureDevOps"`
	// GitHub optionally federates GitHub Actions environments of one repository.
	GitHub GitHub `json:"github"`
}

// AzureDevOps identifies an Azure DevOps workload-identity service connection by the Issuer and
// Subject identifier it shows (service connection > Edit, or the REST API's
// authorization.parameters.workloadIdentityFederationIssuer and ...Subject), in either form.
type AzureDevOps struct {
	// Issuer is https://login.microsoftonline.com/<Entra tenant ID>/v2.0 (Microsoft Entra issuer,
	// what new connections use) or https://vstoken.dev.azure.com/<organization ID> (Azure DevOps
	// issuer, until the connection is converted; retired 2027-07-01), lowercase, exactly as the
	// connection shows it. Required.
	Issuer string `json:"issuer"`
	// Subject is /eid1/c/pub/t/<tenant>/a/<application>/sc/<organization ID>/<connection ID> with
	// the Entra issuer (t/ must encode the issuer's tenant, a/ Azure DevOps) or
	// sc://<organization>/<project>/<service connection> with the Azure DevOps issuer (names as
	// they are, spaces included). Required.
	Subject string `json:"subject"`
	// Organization is the Azure DevOps organization name (https://dev.azure.com/<organization>),
	// where the cluster's pipeline agents register. Default: the organization of an sc:// subject;
	// required with the Entra issuer, whose subject names the organization only by its ID.
	Organization string `json:"organization"`
}

// GitHub identifies the GitHub Actions environments allowed to deploy.
type GitHub struct {
	// Repository is owner/name. Default "" (no GitHub federation).
	Repository string `json:"repository"`
	// Environments are GitHub environment names. Default: [<environment>] when a repository is set.
	Environments []string `json:"environments"`
}

// External ID modes.
const (
	ExternalIDCreate   = "create"
	ExternalIDExisting = "existing"
	ExternalIDDisabled = "disabled"
)

// ExternalID configures Entra External ID (customer identity).
type ExternalID struct {
	// Mode is create (the layer creates the tenant, a one-time long-running operation), existing
	// (tenantId names it) or disabled (no customer identity). Required.
	Mode string `json:"mode"`
	// TenantID is the existing tenant's ID. Required with mode existing, refused otherwise.
	TenantID string `json:"tenantId"`
	// DomainName is the tenant's initial domain prefix (<domainName>.onmicrosoft.com), 1-26
	// lowercase letters and digits. Required with mode create.
	DomainName string `json:"domainName"`
	// DisplayName is the tenant's display name. Default "<prefix> customers (<environment>)".
	DisplayName string `json:"displayName"`
	// CountryCode is the created tenant's country (ISO 3166 alpha-2), which must lie in
	// dataResidency according to Microsoft's table (config/residency.go). Only with mode create.
	// Default: the country of platform:location's region (westeurope NL, northeurope IE, eastus
	// US, ...).
	CountryCode string `json:"countryCode"`
	// DataResidency is where the created tenant's data lives: "United States", "Europe", "Asia
	// Pacific" or "Australia"; it cannot change later. Only with mode create. Default: the
	// residency of countryCode.
	DataResidency string `json:"dataResidency"`
	// SpaRedirectURIs are added to https://<custom domain>/ for the SPA, e.g. a local dev server:
	// https URIs with a path (at least "/"), http only for localhost and 127.0.0.1. Default:
	// ["http://localhost:5173/"] in dev, none in prod.
	SpaRedirectURIs []string `json:"spaRedirectUris"`
	// MobileRedirectURIs are the Flutter app's platform redirect URIs (custom scheme or
	// msauth://). Default none.
	MobileRedirectURIs []string `json:"mobileRedirectUris"`
	// TenantSubdomain is the existing tenant's subdomain: the prefix of its initial domain
	// <tenantSubdomain>.onmicrosoft.com, which forms the authority
	// https://<tenantSubdomain>.ciamlogin.com/<tenant ID>/v2.0. 1-26 lowercase letters and digits.
	// Only with mode existing (mode create uses domainName). Default: the tenant ID, which
	// ciamlogin.com also accepts as the host name.
	TenantSubdomain string `json:"tenantSubdomain"`
	// DeployerClientID is the client ID of the app registration inside the External ID tenant that
	// deployments authenticate as, through OpenID Connect federation with the pipeline's service
	// connection (a managed identity cannot sign in to another tenant). Default "": the layer's
	// azuread provider for that tenant uses the Azure CLI login of whoever runs Pulumi. Required
	// in prod unless mode is disabled: a pipeline has no Azure CLI login for that tenant.
	DeployerClientID string `json:"deployerClientId"`
	// DeployerObjectID is the object ID of that app's service principal in the External ID tenant.
	// It owns every app registration the layer creates, which the Graph permission
	// Application.ReadWrite.OwnedBy requires. Required when deployerClientId is set, refused
	// otherwise.
	DeployerObjectID string `json:"deployerObjectId"`
}

// AKS configures the cluster.
type AKS struct {
	// KubernetesVersion is "1.<minor>" or, only with upgradeChannel none or node-image,
	// "1.<minor>.<patch>" (auto-upgrade would move the cluster past a pinned patch and the next
	// deployment would ask for a downgrade); 1.35 or later (config.MinKubernetesMinor: older minors
	// are out of AKS support). Required.
	KubernetesVersion string `json:"kubernetesVersion"`
	// Tier is Free, Standard or Premium. Default: Free in dev, Standard in prod; prod refuses Free.
	Tier string `json:"tier"`
	// SystemPool is the inline system node pool, tainted CriticalAddonsOnly: it runs the critical
	// add-ons only; node auto-provisioning adds every node the workloads need.
	SystemPool SystemPool `json:"systemPool"`
	// NodeProvisioning is Auto (node auto-provisioning, Karpenter, provides every node beside the
	// system pool, whose size is then fixed: aks.systemPool.count) or Manual (no node
	// auto-provisioning; the system pool may then be autoscaled with minCount and maxCount).
	// Default Auto.
	NodeProvisioning string `json:"nodeProvisioning"`
	// APIServerAccess is vnetIntegration (public endpoint limited to authorizedIpRanges, API server
	// injected into its subnet) or private (no public endpoint). Default vnetIntegration.
	APIServerAccess string `json:"apiServerAccess"`
	// AuthorizedIPRanges are the CIDRs allowed to reach a vnetIntegration API server. Prod refuses
	// an empty list with vnetIntegration, and any public range wider than /16 (more than 65,536
	// addresses, 0.0.0.0/0 above all: it opens the API server to much of the internet); the dev
	// profile is warned of such a range. Private ranges are not the internet, however wide.
	// Default none.
	AuthorizedIPRanges []string `json:"authorizedIpRanges"`
	// UpgradeChannel is none, patch, stable, rapid or node-image. Default: patch in dev, stable in
	// prod.
	UpgradeChannel string `json:"upgradeChannel"`
	// NodeOSUpgradeChannel is None, Unmanaged, NodeImage or SecurityPatch. Default NodeImage.
	NodeOSUpgradeChannel string `json:"nodeOsUpgradeChannel"`
	// AutoUpgradeWindow is when cluster upgrades may run. Default Sunday 02:00 UTC, 4 hours, weekly.
	AutoUpgradeWindow Window `json:"autoUpgradeWindow"`
	// NodeOSUpgradeWindow is when node image upgrades may run. Default Saturday 02:00 UTC, 4
	// hours, weekly.
	NodeOSUpgradeWindow Window `json:"nodeOsUpgradeWindow"`
	// Defender turns on Microsoft Defender for Containers. Default: false in dev, true in prod.
	Defender bool `json:"defender"`
	// AzurePolicy turns on the Azure Policy add-on. Default: false in dev, true in prod.
	AzurePolicy bool `json:"azurePolicy"`
	// PodCIDR is the overlay pod range; must not overlap the VNet. Default "10.244.0.0/16".
	PodCIDR string `json:"podCidr"`
	// ServiceCIDR is the Kubernetes service range; must not overlap the VNet or the pod range. The
	// DNS service IP is its 10th address. Default "172.16.0.0/16".
	ServiceCIDR string `json:"serviceCidr"`
	// SecretRotationInterval is how often the Key Vault CSI driver re-reads secrets. Default "2m".
	SecretRotationInterval string `json:"secretRotationInterval"`
}

// SystemPool configures the system node pool.
type SystemPool struct {
	// VMSize is the VM size. Default "Standard_D4ds_v5".
	VMSize string `json:"vmSize"`
	// Count is the pool's node count, 1-100: its fixed size, or with the cluster autoscaler its
	// starting size (minCount-maxCount). Prod wants at least one node per zone. Default: 1 in dev,
	// 3 in prod.
	Count int `json:"count"`
	// MinCount is the cluster autoscaler's minimum, 1-100; with maxCount it turns the autoscaler
	// on for the pool. Only with aks.nodeProvisioning Manual: AKS refuses node auto-provisioning
	// on a cluster with an autoscaled pool. Default: unset (a fixed size).
	MinCount int `json:"minCount"`
	// MaxCount is the cluster autoscaler's maximum, minCount-100; see minCount. Default: unset.
	MaxCount int `json:"maxCount"`

	// Zones are availability zones ("1", "2", "3"). Default: none in dev, ["1", "2", "3"] in prod.
	Zones []string `json:"zones"`
	// OSDiskSizeGB is the OS disk size, 30-2048 GB. Default 64 (fits the VM cache of the default
	// size, so the disk is ephemeral).
	OSDiskSizeGB int `json:"osDiskSizeGb"`
	// MaxPods is the pod limit per node, 10-250. Default 110.
	MaxPods int `json:"maxPods"`
}

// Window is a weekly maintenance window.
type Window struct {
	// DayOfWeek is Monday..Sunday.
	DayOfWeek string `json:"dayOfWeek"`
	// StartTime is HH:MM.
	StartTime string `json:"startTime"`
	// DurationHours is 4-24.
	DurationHours int `json:"durationHours"`
	// UTCOffset is +HH:MM or -HH:MM.
	UTCOffset string `json:"utcOffset"`
	// IntervalWeeks is 1-4.
	IntervalWeeks int `json:"intervalWeeks"`
}

// ACR configures the container registry.
type ACR struct {
	// Sku is Basic, Standard or Premium. Default: Standard in dev, Premium in prod.
	Sku string `json:"sku"`
	// ZoneRedundancy spreads the registry over availability zones (Premium only). Default: false
	// in dev, true in prod.
	ZoneRedundancy bool `json:"zoneRedundancy"`
	// RetentionDays deletes untagged manifests after this many days, 0 (off) to 365 (Premium
	// only). Default: 0 in dev, 30 in prod.
	RetentionDays int `json:"retentionDays"`
	// ContentTrust turns on the content trust policy (Premium only). Default: false in dev, true in
	// prod.
	ContentTrust bool `json:"contentTrust"`
	// PrivateEndpoint puts the registry behind a private endpoint and disables public access
	// (Premium only). Default: false in dev, true in prod.
	PrivateEndpoint bool `json:"privateEndpoint"`
}

// WAF modes.
const (
	WAFPrevention = "Prevention"
	WAFDetection  = "Detection"
)

// FrontDoor configures the Front Door profile and its WAF.
type FrontDoor struct {
	// WAFMode is Prevention or Detection. Default: Detection in dev, Prevention in prod; prod
	// refuses Detection.
	WAFMode string `json:"wafMode"`
	// RateLimitThreshold is the requests per client IP per window before blocking, 10-1000000.
	// Default 1000.
	RateLimitThreshold int `json:"rateLimitThreshold"`
	// RateLimitDurationMinutes is the window, 1 or 5. Default 1.
	RateLimitDurationMinutes int `json:"rateLimitDurationMinutes"`
	// AllowedCountries, when set, blocks every other country (ISO 3166 alpha-2 codes, at most 9:
	// a Front Door geo rule takes ten codes and the platform adds ZZ, addresses of no known
	// country). Default none (no geo filter).
	AllowedCountries []string `json:"allowedCountries"`
	// CustomDomains are host names served by the endpoint with managed certificates, e.g.
	// "app.example.com"; each needs a TXT and a CNAME record in its zone, whose values are the
	// aks layer's outputs frontDoorValidationTokens and frontDoorCnameTargets. Default none.
	CustomDomains []string `json:"customDomains"`
	// OriginResponseTimeoutSeconds is 16-240. Default 60.
	OriginResponseTimeoutSeconds int `json:"originResponseTimeoutSeconds"`
}

// AGC configures Application Gateway for Containers.
type AGC struct {
	// WAFMode is Prevention or Detection. The policy's mode applies to all its rules, including
	// the Front Door lock (the custom rule admitting only this Front Door's X-Azure-FDID):
	// Detection only logs, so the AGC frontend then answers requests that bypass Front Door.
	// Default Prevention, in both profiles; prod refuses Detection.
	WAFMode string `json:"wafMode"`
	// LinkWAFToTrafficController makes the traffic controller itself apply the WAF security
	// policy to every frontend (securityPolicyConfigurations), in addition to the
	// WebApplicationFirewallPolicy resources in the cluster. The security policy is the traffic
	// controller's child and Azure does not document accepting a reference to it before it
	// exists, so turn this on in a deployment after the first one. Default false.
	LinkWAFToTrafficController bool `json:"linkWafToTrafficController"`
	// OriginHostName is the host name Front Door uses to reach the API over HTTPS, e.g.
	// "api-origin.example.com": Front Door sends it as Host and SNI and checks the certificate,
	// which cert-manager obtains from Let's Encrypt by DNS-01 in originDnsZoneId. It needs a CNAME
	// there to the AGC frontend (the aks layer's agcFrontendFqdn). Without it Front Door reaches the
	// API over plain HTTP on the frontend's own host: still locked to this Front Door's ID by the
	// AGC WAF (as long as agc.wafMode is Prevention), but unencrypted between Front Door and the
	// gateway. It also publishes Grafana, Prometheus and Alertmanager under /monitoring/ on the
	// Front Door endpoint behind Entra ID sign-in (docs/monitoring.md), which never cross that hop
	// in plain HTTP: without it they are reached by port-forward only. Default "" (HTTP); prod
	// requires it.
	OriginHostName string `json:"originHostName"`
	// OriginDNSZoneID is the resource ID of the public Azure DNS zone holding originHostName;
	// cert-manager gets DNS Zone Contributor on it to answer DNS-01 challenges. Required with
	// originHostName.
	OriginDNSZoneID string `json:"originDnsZoneId"`
}

// DocumentIntelligence configures the Document Intelligence account.
type DocumentIntelligence struct {
	// Sku is F0 or S0. Default S0.
	Sku string `json:"sku"`
}

// Flux configures GitOps.
type Flux struct {
	// RepositoryURL is the https URL of the Git repository holding gitops/. Required.
	RepositoryURL string `json:"repositoryUrl"`
	// Branch is the branch the environment follows. Default: main in dev, release in prod.
	Branch string `json:"branch"`
	// Auth is how Flux reads the repository: none (public), workloadIdentity (Azure DevOps, through
	// the Flux identity) or keyVaultSecret (a Kubernetes secret that External Secrets fills from
	// Key Vault, named by credentialsSecret). Default workloadIdentity.
	Auth string `json:"auth"`
	// CredentialsSecret is the Kubernetes secret in flux-system holding Git credentials, with auth
	// keyVaultSecret. Default "".
	CredentialsSecret string `json:"credentialsSecret"`
	// SyncIntervalSeconds is how often the source is fetched, 60-86400. Default 300.
	SyncIntervalSeconds int `json:"syncIntervalSeconds"`
	// ReleaseTrain is stable or preview. Default stable.
	ReleaseTrain string `json:"releaseTrain"`
	// AutoUpgradeMinorVersion lets the extension upgrade itself. Default: true in dev, false in
	// prod (prod pins version).
	AutoUpgradeMinorVersion bool `json:"autoUpgradeMinorVersion"`
	// Version pins the extension version. Required when autoUpgradeMinorVersion is false.
	Version string `json:"version"`
	// ImageAutomation runs Flux image automation: the image-reflector and image-automation
	// controllers and the image-automation kustomization, which commits new service image tags
	// to the environment's branch. Default: true in dev, false in prod (prod promotes images by
	// pull request).
	ImageAutomation bool `json:"imageAutomation"`
	// ClusterLogin is how the flux layer's Kubernetes provider signs in to the cluster's API
	// server with Entra ID, through the kubelogin exec plugin (never admin credentials): azurecli
	// (the Azure CLI's signed-in account: people after az login, pipelines inside AzureCLI@2 or
	// after azure/login) or workloadidentity (a runner pod with workload identity, which sets
	// AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE). Default azurecli.
	ClusterLogin string `json:"clusterLogin"`
}
