package offline

import (
	"sort"
	"strings"
)

// Which input changes make the provider replace a resource (delete and create it again) instead
// of updating it in place, for exactly the resource types the platform declares. A diff flags
// such a change "forces replacement" so a reviewer sees a destroy-and-recreate before it happens.
//
// Where the facts come from (docs/pipelines.md, "Replacements", says how to refresh them):
//
//   - azure-native (v2.90.0) decides replacement in provider/pkg/provider/diff.go: every
//     parameter of the resource's PUT path (resource group, the resource's own name, its parents'
//     names, the scope of an extension resource) forces replacement, and so does every body
//     property its metadata marks ForceNew, at the top level or one level down (an object's or
//     array item's properties). ForceNew comes from provider/pkg/gen/properties.go: a top-level
//     property whose spec says x-ms-mutability [create, read] without update, plus the hand-kept
//     list in provider/pkg/gen/replacement.go (forceNewMap).
//   - The PUT path parameters are the ones offline synthesis builds ARM IDs from (armTypes and
//     clusterExtensionTypes in synth.go), so they are derived from there, not listed twice.
//   - location is flagged for every azure-native type: Azure never moves a resource in place, so a
//     changed location is either a replacement (where azure-native knows it) or a refused update.
//   - azuread (v5.53.5) is a bridged Terraform provider: replacement is the ForceNew of
//     terraform-provider-azuread at the commit it wraps (6594e1c6cd59).
//   - pulumi-kubernetes (v4.32.0) decides it in provider/pkg/provider/diff.go (forceNewProperties).
//
// Not covered: create-only properties that only the Azure specs' x-ms-mutability marks, beyond
// location and the entries below, because azure-native's metadata file (metadata-compact.json) is
// a build artifact that is not in its repository. Property changes of provider resources
// (pulumi:providers:*) are not flagged either.
var replaceProperties = map[string][]string{
	// forceNewMap (gen/replacement.go, azure-native v2).
	"azure-native:authorization:RoleAssignment": {"principalId", "scope"},
	"azure-native:cdn:Profile":                  {"location", "sku.name"},
	"azure-native:containerservice:ManagedCluster": {
		"diskEncryptionSetID", "dnsPrefix", "fqdnSubdomain", "linuxProfile", "location",
		"networkProfile", "nodeResourceGroup", "windowsProfile",
		// forceNewMap matches property names at any level of the cluster's types, and diff.go
		// looks one level into array items: the agent pool profiles' networkProfile too.
		"agentPoolProfiles[].networkProfile",
	},
	"azure-native:network:PrivateEndpoint": {"subnet"},
	"azure-native:network:PublicIPAddress": {"location", "publicIPAddressVersion", "publicIPPrefix", "sku"},
	"azure-native:network:VirtualNetwork":  {"location"},
	"azure-native:resources:ResourceGroup": {"location"},
	"azure-native:storage:StorageAccount":  {"isHnsEnabled", "location"},
	// x-ms-mutability [read, create] in the spec (FluxConfigurationProperties, Microsoft.KubernetesConfiguration).
	"azure-native:kubernetesconfiguration:FluxConfiguration": {"scope", "namespace"},

	// terraform-provider-azuread ForceNew (commit 6594e1c6cd59, wrapped by pulumi-azuread v5.53.5).
	"azuread:index:Application":                            {"templateId"},
	"azuread:index:ApplicationRegistration":                {},
	"azuread:index:ApplicationAppRole":                     {"applicationId", "roleId"},
	"azuread:index:ApplicationApiAccess":                   {"applicationId", "apiClientId"},
	"azuread:index:ApplicationRedirectUris":                {"applicationId", "type"},
	"azuread:index:ApplicationFederatedIdentityCredential": {"applicationId", "applicationObjectId", "displayName"},
	"azuread:index:AppRoleAssignment":                      {"appRoleId", "principalObjectId", "resourceObjectId"},
	"azuread:index:ApplicationIdentifierUri":               {"applicationId", "identifierUri"},
	"azuread:index:ApplicationPreAuthorized":               {"applicationId", "applicationObjectId", "authorizedAppId", "authorizedClientId"},
	// The group's visibility forces replacement only from Private or Public to Hiddenmembership
	// (a CustomizeDiff rule): not expressible as a path, left out.
	"azuread:index:Group":            {"assignableToRole", "behaviors", "mailNickname", "provisioningOptions", "types"},
	"azuread:index:ServicePrincipal": {"applicationId", "clientId"},

	// pulumi-kubernetes v4.32.0 (provider/pkg/provider/diff.go, forceNewProperties): an object's
	// identity, metadata.name and metadata.namespace, for every kind; a ConfigMap's data and
	// binaryData too unless its provider sets enableConfigMapMutable, which the flux layer's does.
	"kubernetes:core:Namespace": {"metadata.name", "metadata.namespace"},
	"kubernetes:core:ConfigMap": {"metadata.name", "metadata.namespace"},

	// pulumi-random v4.18.3 bridges terraform-provider-random, whose random_string marks every
	// argument RequiresReplace (a generated value is never updated in place): the name suffix of
	// the global names changes only by replacement, which renames those resources too.
	"random:index:RandomString": {"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number", "numeric", "overrideSpecial", "special", "upper"},
}

// replaceKey is the table key of a type token: the package, the module without its API version,
// and the type, e.g. "azure-native:network:Subnet" for "azure-native:network/v20240501:Subnet".
func replaceKey(token string) string {
	pkg, key := normalize(token)
	if pkg == "" {
		return token
	}
	return pkg + ":" + key
}

// pathParameters returns the inputs that form the ARM path of an azure-native type: every one of
// them forces replacement.
func pathParameters(key string) []string {
	mod := strings.TrimPrefix(key, "azure-native:")
	if mod == key {
		return nil
	}
	if seg, ok := clusterExtensionTypes[mod]; ok {
		return []string{"resourceGroupName", "clusterRp", "clusterResourceName", "clusterName", seg.nameKey}
	}
	spec, ok := armTypes[mod]
	if !ok {
		return nil
	}
	var out []string
	if spec.scopeKey != "" {
		out = append(out, spec.scopeKey)
	} else {
		out = append(out, "resourceGroupName")
	}
	for _, s := range spec.path {
		if !strings.HasPrefix(s.nameKey, "-") {
			out = append(out, s.nameKey)
		}
	}
	return out
}

// KnowsReplacement reports whether the replacement rules cover a type token: azure-native types
// with a known ARM path and the azuread types in the table.
func KnowsReplacement(token string) bool {
	key := replaceKey(token)
	if strings.HasPrefix(key, "azure-native:") {
		return pathParameters(key) != nil
	}
	_, ok := replaceProperties[key]
	return ok
}

// ReplaceKeys returns the input paths of a type whose change forces replacement, sorted; "[]"
// stands for any array element.
func ReplaceKeys(token string) []string {
	key := replaceKey(token)
	set := map[string]bool{}
	for _, p := range pathParameters(key) {
		set[p] = true
	}
	if strings.HasPrefix(key, "azure-native:") {
		set["location"] = true
	}
	for _, p := range replaceProperties[key] {
		set[p] = true
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ForcesReplacement reports whether a change at an input path of a resource of the given type
// replaces the resource. Segments are object keys and array elements ("[0]", "[name=x]"). A change
// at or below a replace key forces replacement, and so does a change of a whole object or array
// that holds one (the conservative reading: a reviewer would rather see a false alarm).
func ForcesReplacement(token string, segments ...string) bool {
	at := normalizeSegments(segments)
	for _, k := range ReplaceKeys(token) {
		if overlaps(at, splitKey(k)) {
			return true
		}
	}
	return false
}

func normalizeSegments(p []string) []string {
	out := make([]string, len(p))
	for i, s := range p {
		if strings.HasPrefix(s, "[") {
			s = "[]"
		}
		out[i] = s
	}
	return out
}

// splitKey turns "agentPoolProfiles[].networkProfile" into [agentPoolProfiles [] networkProfile].
func splitKey(k string) []string {
	var out []string
	for _, part := range strings.Split(k, ".") {
		out = append(out, strings.ReplaceAll(part, "[]", ""))
		for n := strings.Count(part, "[]"); n > 0; n-- {
			out = append(out, "[]")
		}
	}
	return out
}

// overlaps is true when one path is a prefix of the other.
func overlaps(a, b []string) bool {
	n := min(len(a), len(b))
	if n == 0 {
		return false
	}
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
