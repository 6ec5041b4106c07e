// Package naming builds every Azure resource name of the platform from the naming prefix, the
// environment, the region and a role, and checks each name against the rules of its resource type.
//
// Names follow the Cloud Adoption Framework pattern `<abbreviation>-<prefix>-<env>-<region>[-<role>]`.
// Types that forbid hyphens drop them (`stsaasdevweudata`). Types whose names share one DNS
// namespace with every other Azure customer (Key Vault, storage, ACR, SQL and PostgreSQL servers,
// Cognitive Services subdomains) also carry the name suffix: by default a random one the base
// layer keeps in its state (see config.Env.NameSuffix), so that two teams with the same prefix, or
// one team recreating an environment, do not collide.
//
// The package is pure: no Pulumi, no Azure SDK. Names are deterministic functions of their inputs.
package naming

import (
	"crypto/sha1"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Kind is an Azure resource type as far as naming is concerned.
type Kind string

// The kinds the platform names. The comment of each rule below cites its length and characters.
const (
	ResourceGroup        Kind = "resourceGroup"
	VirtualNetwork       Kind = "virtualNetwork"
	Subnet               Kind = "subnet"
	NetworkSecurityGroup Kind = "networkSecurityGroup"
	NatGateway           Kind = "natGateway"
	PublicIP             Kind = "publicIp"
	PublicIPPrefix       Kind = "publicIpPrefix"
	PrivateEndpoint      Kind = "privateEndpoint"
	KeyVault             Kind = "keyVault"
	StorageAccount       Kind = "storageAccount"
	SQLServer            Kind = "sqlServer"
	SQLDatabase          Kind = "sqlDatabase"
	PostgresServer       Kind = "postgresServer"
	LogAnalytics         Kind = "logAnalytics"
	MonitorWorkspace     Kind = "monitorWorkspace"
	ManagedIdentity      Kind = "managedIdentity"
	AKSCluster           Kind = "aksCluster"
	NodeResourceGroup    Kind = "nodeResourceGroup"
	AgentPool            Kind = "agentPool"
	ContainerRegistry    Kind = "containerRegistry"
	FrontDoorProfile     Kind = "frontDoorProfile"
	FrontDoorEndpoint    Kind = "frontDoorEndpoint"
	FrontDoorWAFPolicy   Kind = "frontDoorWafPolicy"
	AppGatewayWAFPolicy  Kind = "appGatewayWafPolicy"
	TrafficController    Kind = "trafficController"
	CognitiveAccount     Kind = "cognitiveAccount"
	EntraGroup           Kind = "entraGroup"
	EntraApplication     Kind = "entraApplication"
	FluxConfiguration    Kind = "fluxConfiguration"
	// DataCollectionEndpoint and DataCollectionRule carry the cluster's managed Prometheus and
	// Container Insights data collection.
	DataCollectionEndpoint Kind = "dataCollectionEndpoint"
	DataCollectionRule     Kind = "dataCollectionRule"
	// FederatedCredential is a federated identity credential, named within its identity.
	FederatedCredential Kind = "federatedCredential"
)

// Rule is the naming rule of one resource type.
type Rule struct {
	Abbr    string         // CAF abbreviation that starts the name
	Min     int            // minimum length
	Max     int            // maximum length
	Hyphens bool           // whether the name keeps hyphens between its parts
	Lower   bool           // whether the name is lower-cased
	Global  bool           // whether the name must be unique across Azure (DNS-visible)
	Pattern *regexp.Regexp // the characters and shape Azure accepts, anchored
	Allowed string         // the rule in words, for error messages
}

var (
	alnumHyphenUnderscoreDotParens = regexp.MustCompile(`^[A-Za-z0-9._()-]*[A-Za-z0-9_()-]$`)
	alnumHyphenUnderscoreDot       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9_]$`)
	alnumHyphen                    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$`)
	letterThenAlnumHyphen          = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$`)
	lowerAlnum                     = regexp.MustCompile(`^[a-z0-9]+$`)
	lowerLetterThenAlnum           = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	alnum                          = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	letterThenAlnum                = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)
	lowerAlnumHyphen               = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)
	lowerLetterAlnumHyphen         = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	alnumHyphenUnderscore          = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	alnumHyphenUnderscoreEnd       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]$`)
)

// Rules holds the naming rule of every kind, from Azure's "naming rules and restrictions for Azure
// resources" page and the CAF abbreviation list.
var Rules = map[Kind]Rule{
	ResourceGroup:        {Abbr: "rg", Min: 1, Max: 90, Hyphens: true, Pattern: alnumHyphenUnderscoreDotParens, Allowed: "1-90 letters, digits, '.', '_', '-', '(', ')'; not ending in '.'"},
	VirtualNetwork:       {Abbr: "vnet", Min: 2, Max: 64, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "2-64 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	Subnet:               {Abbr: "snet", Min: 1, Max: 80, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-80 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	NetworkSecurityGroup: {Abbr: "nsg", Min: 1, Max: 80, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-80 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	NatGateway:           {Abbr: "ng", Min: 1, Max: 80, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-80 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	PublicIP:             {Abbr: "pip", Min: 1, Max: 80, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-80 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	PublicIPPrefix:       {Abbr: "ippre", Min: 1, Max: 80, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-80 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	PrivateEndpoint:      {Abbr: "pe", Min: 2, Max: 64, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "2-64 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	KeyVault:             {Abbr: "kv", Min: 3, Max: 24, Hyphens: true, Lower: true, Global: true, Pattern: lowerLetterAlnumHyphen, Allowed: "3-24 letters, digits, '-'; start with a letter, end with a letter or digit, no '--'; globally unique"},
	StorageAccount:       {Abbr: "st", Min: 3, Max: 24, Lower: true, Global: true, Pattern: lowerAlnum, Allowed: "3-24 lowercase letters and digits only; globally unique"},
	SQLServer:            {Abbr: "sql", Min: 1, Max: 63, Hyphens: true, Lower: true, Global: true, Pattern: lowerAlnumHyphen, Allowed: "1-63 lowercase letters, digits, '-'; not starting or ending with '-'; globally unique"},
	SQLDatabase:          {Abbr: "sqldb", Min: 1, Max: 128, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-128 characters, no <>*%&:\\/? ; not ending with '.' or space"},
	PostgresServer:       {Abbr: "psql", Min: 3, Max: 63, Hyphens: true, Lower: true, Global: true, Pattern: lowerAlnumHyphen, Allowed: "3-63 lowercase letters, digits, '-'; not starting or ending with '-'; globally unique"},
	LogAnalytics:         {Abbr: "log", Min: 4, Max: 63, Hyphens: true, Pattern: alnumHyphen, Allowed: "4-63 letters, digits, '-'; start and end alphanumeric"},
	MonitorWorkspace:     {Abbr: "amw", Min: 4, Max: 63, Hyphens: true, Pattern: alnumHyphen, Allowed: "4-63 letters, digits, '-'; start and end alphanumeric"},
	ManagedIdentity:      {Abbr: "id", Min: 3, Max: 128, Hyphens: true, Pattern: alnumHyphenUnderscore, Allowed: "3-128 letters, digits, '-', '_'; start alphanumeric"},
	AKSCluster:           {Abbr: "aks", Min: 1, Max: 63, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-63 letters, digits, '_', '-'; start and end alphanumeric"},
	NodeResourceGroup:    {Abbr: "rg", Min: 1, Max: 80, Hyphens: true, Pattern: alnumHyphenUnderscoreDotParens, Allowed: "1-80 letters, digits, '.', '_', '-', '(', ')' (AKS limits the node resource group to 80)"},
	AgentPool:            {Abbr: "", Min: 1, Max: 12, Lower: true, Pattern: lowerLetterThenAlnum, Allowed: "1-12 lowercase letters and digits; start with a letter"},
	ContainerRegistry:    {Abbr: "cr", Min: 5, Max: 50, Global: true, Lower: true, Pattern: alnum, Allowed: "5-50 letters and digits only; globally unique"},
	FrontDoorProfile:     {Abbr: "afd", Min: 1, Max: 260, Hyphens: true, Pattern: alnumHyphen, Allowed: "1-260 letters, digits, '-'; start and end alphanumeric"},
	FrontDoorEndpoint:    {Abbr: "fde", Min: 1, Max: 46, Hyphens: true, Lower: true, Pattern: alnumHyphen, Allowed: "1-46 letters, digits, '-'; start and end alphanumeric (Azure appends a hash to the host name)"},
	FrontDoorWAFPolicy:   {Abbr: "waf", Min: 1, Max: 128, Pattern: letterThenAlnum, Allowed: "1-128 letters and digits; start with a letter"},
	AppGatewayWAFPolicy:  {Abbr: "waf", Min: 1, Max: 80, Hyphens: true, Pattern: alnumHyphenUnderscoreDot, Allowed: "1-80 letters, digits, '.', '_', '-'; start alphanumeric, end alphanumeric or '_'"},
	TrafficController:    {Abbr: "agc", Min: 1, Max: 64, Hyphens: true, Pattern: alnumHyphen, Allowed: "1-64 letters, digits, '-'; start and end alphanumeric"},
	CognitiveAccount:     {Abbr: "di", Min: 2, Max: 64, Hyphens: true, Lower: true, Global: true, Pattern: lowerAlnumHyphen, Allowed: "2-64 lowercase letters, digits, '-'; start and end alphanumeric; the custom subdomain is globally unique"},
	EntraGroup:           {Abbr: "grp", Min: 1, Max: 256, Hyphens: true, Pattern: alnumHyphen, Allowed: "1-256 characters"},
	// An app registration's display name (Microsoft Graph application.displayName).
	EntraApplication:  {Abbr: "app", Min: 1, Max: 256, Hyphens: true, Pattern: alnumHyphen, Allowed: "1-256 characters"},
	FluxConfiguration: {Abbr: "", Min: 1, Max: 30, Hyphens: true, Lower: true, Pattern: lowerLetterAlnumHyphen, Allowed: "1-30 lowercase letters, digits, '-'; start with a letter (a Kubernetes object name)"},
	// The limits the Azure CLI's managed Prometheus onboarding applies (acs/azuremonitormetrics/dc/
	// defaults.py: DCE 44, DCR 64, DCE names alphanumerics and '-' only, ending alphanumeric).
	DataCollectionEndpoint: {Abbr: "dce", Min: 3, Max: 44, Hyphens: true, Pattern: alnumHyphen, Allowed: "3-44 letters, digits, '-'; start and end alphanumeric"},
	DataCollectionRule:     {Abbr: "dcr", Min: 3, Max: 64, Hyphens: true, Pattern: alnumHyphenUnderscoreEnd, Allowed: "3-64 letters, digits, '-', '_'; start and end alphanumeric"},
	// Microsoft.ManagedIdentity federatedIdentityCredentials: 3-120, alphanumeric start, then
	// letters, digits, '-' and '_'.
	FederatedCredential: {Abbr: "", Min: 3, Max: 120, Hyphens: true, Pattern: alnumHyphenUnderscore, Allowed: "3-120 letters, digits, '-', '_'; start alphanumeric"},
}

// regions maps Azure locations to their short codes. Only locations listed here are accepted, so
// every name stays short and predictable.
var regions = map[string]string{
	"australiaeast":      "aue",
	"brazilsouth":        "brs",
	"canadacentral":      "cac",
	"centralindia":       "inc",
	"centralus":          "cus",
	"eastasia":           "ea",
	"eastus":             "eus",
	"eastus2":            "eus2",
	"francecentral":      "frc",
	"germanywestcentral": "gwc",
	"italynorth":         "itn",
	"japaneast":          "jpe",
	"koreacentral":       "krc",
	"northcentralus":     "ncus",
	"northeurope":        "neu",
	"norwayeast":         "noe",
	"polandcentral":      "plc",
	"southafricanorth":   "san",
	"southcentralus":     "scus",
	"southeastasia":      "sea",
	"spaincentral":       "spc",
	"swedencentral":      "sdc",
	"switzerlandnorth":   "szn",
	"uaenorth":           "uan",
	"uksouth":            "uks",
	"westeurope":         "weu",
	"westus2":            "wus2",
	"westus3":            "wus3",
}

// RegionCode returns the short code of an Azure location and whether the location is known.
func RegionCode(location string) (string, bool) {
	code, ok := regions[location]
	return code, ok
}

// Locations lists the accepted Azure locations, sorted.
func Locations() []string {
	out := make([]string, 0, len(regions))
	for l := range regions {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// SuffixLength is the length of the random name suffix, and the longest suffix one may configure.
// Four lowercase letters and digits give 36^4 (about 1.7 million) values.
const SuffixLength = 4

// Namer builds names for one environment. The zero value is not usable; fill every field.
type Namer struct {
	Prefix      string // naming prefix, e.g. "saas"
	Environment string // environment name, e.g. "dev"
	Location    string // Azure location, e.g. "westeurope"; must be a known location
	Suffix      string // appended to globally unique names only; may be empty
}

// WithSuffix returns the namer with another suffix.
func (n Namer) WithSuffix(suffix string) Namer {
	n.Suffix = suffix
	return n
}

// Error reports a name that breaks its type's rules.
type Error struct {
	Kind Kind
	Role string
	Name string
	Rule Rule
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s name %q (role %q) breaks Azure's rule: %s", e.Kind, e.Name, e.Role, e.Rule.Allowed)
}

// Name builds the name of a resource of the given kind and role (role may be empty) and checks it
// against the kind's rules. The error is an *Error naming the rule that was broken.
func (n Namer) Name(kind Kind, role string) (string, error) {
	rule, ok := Rules[kind]
	if !ok {
		return "", fmt.Errorf("naming: unknown kind %q", kind)
	}
	region, ok := regions[n.Location]
	if !ok {
		return "", fmt.Errorf("naming: unknown location %q", n.Location)
	}
	parts := []string{}
	if rule.Abbr != "" {
		parts = append(parts, rule.Abbr)
	}
	parts = append(parts, n.Prefix, n.Environment, region)
	if role != "" {
		parts = append(parts, role)
	}
	if rule.Global && n.Suffix != "" {
		parts = append(parts, n.Suffix)
	}
	var name string
	if rule.Hyphens {
		name = strings.Join(parts, "-")
	} else {
		name = strings.ReplaceAll(strings.Join(parts, ""), "-", "")
	}
	if rule.Lower {
		name = strings.ToLower(name)
	}
	if err := Check(kind, name); err != nil {
		e := err.(*Error)
		e.Role = role
		return name, e
	}
	return name, nil
}

// Check checks an already built name against the rules of its kind.
func Check(kind Kind, name string) error {
	rule, ok := Rules[kind]
	if !ok {
		return fmt.Errorf("naming: unknown kind %q", kind)
	}
	bad := len(name) < rule.Min || len(name) > rule.Max || !rule.Pattern.MatchString(name)
	if !bad && kind == KeyVault && strings.Contains(name, "--") {
		bad = true
	}
	if bad {
		return &Error{Kind: kind, Name: name, Rule: rule}
	}
	return nil
}

// PrivateEndpointName names the private endpoint of a target resource's sub-resource (group ID),
// e.g. pe-kv-saas-dev-weu-vault. Config validation checks every one the platform creates.
func PrivateEndpointName(target, groupID string) string {
	return "pe-" + target + "-" + groupID
}

// FederatedCredentialName names the federated credential of a Kubernetes service account on its
// workload identity: <namespace>_<service account>. Kubernetes names never hold '_', so the name is
// unambiguous. Config validation checks every one the platform creates.
func FederatedCredentialName(namespace, serviceAccount string) string {
	return namespace + "_" + serviceAccount
}

// AgentPoolName returns a node pool name (1-12 lowercase alphanumerics, starting with a letter)
// from a role such as "system" or "spot"; hyphens are dropped. It does not carry the prefix:
// pool names are scoped to their cluster.
func AgentPoolName(role string) (string, error) {
	name := strings.ToLower(strings.ReplaceAll(role, "-", ""))
	if err := Check(AgentPool, name); err != nil {
		e := err.(*Error)
		e.Role = role
		return name, e
	}
	return name, nil
}

// GUID returns a deterministic, RFC 4122 version-5 style GUID derived from the given parts. It names
// resources whose names must be GUIDs (role assignments), so that a re-run computes the same name
// and Azure sees an update, not a duplicate.
func GUID(parts ...string) string {
	h := sha1.Sum([]byte(strings.Join(parts, "\x00")))
	h[6] = (h[6] & 0x0f) | 0x50 // version 5
	h[8] = (h[8] & 0x3f) | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
