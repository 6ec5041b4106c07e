package offline

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/azure-saas-platform/platform/naming"
)

// guid is a deterministic GUID of the given parts.
func guid(parts ...string) string { return naming.GUID(append([]string{"offline"}, parts...)...) }

// short is a deterministic lowercase hex string of n characters.
func short(n int, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:])[:n]
}

// seg is one step of an ARM path: a collection and the input holding the child's name, or a
// fixed name written "-<name>".
type seg struct{ collection, nameKey string }

// armType says how to build the ARM ID of one resource type and which outputs Azure adds.
type armType struct {
	provider string // e.g. Microsoft.Network
	path     []seg
	// scopeKey names the input holding the parent scope ID for extension resources (role
	// assignments, locks, diagnostic settings); empty means the resource group of
	// resourceGroupName.
	scopeKey string
	// extra adds the outputs Azure computes.
	extra func(c *synthContext) resource.PropertyMap
}

type synthContext struct {
	token, name, id, azureName string
	in                         resource.PropertyMap
}

func (c *synthContext) str(key string) string {
	v, ok := c.in[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	return plainString(v)
}

func (c *synthContext) location() string {
	if l := c.str("location"); l != "" {
		return strings.ToLower(strings.ReplaceAll(l, " ", ""))
	}
	return "westeurope"
}

// armTypes is keyed by "<module>:<Type>" with any API version removed from the module.
var armTypes = map[string]armType{
	"resources:ResourceGroup": {},

	"network:VirtualNetwork":               {provider: "Microsoft.Network", path: []seg{{"virtualNetworks", "virtualNetworkName"}}},
	"network:Subnet":                       {provider: "Microsoft.Network", path: []seg{{"virtualNetworks", "virtualNetworkName"}, {"subnets", "subnetName"}}},
	"network:NetworkSecurityGroup":         {provider: "Microsoft.Network", path: []seg{{"networkSecurityGroups", "networkSecurityGroupName"}}},
	"network:SecurityRule":                 {provider: "Microsoft.Network", path: []seg{{"networkSecurityGroups", "networkSecurityGroupName"}, {"securityRules", "securityRuleName"}}},
	"network:NatGateway":                   {provider: "Microsoft.Network", path: []seg{{"natGateways", "natGatewayName"}}},
	"network:PublicIPAddress":              {provider: "Microsoft.Network", path: []seg{{"publicIPAddresses", "publicIpAddressName"}}, extra: publicIP},
	"network:PublicIPPrefix":               {provider: "Microsoft.Network", path: []seg{{"publicIPPrefixes", "publicIpPrefixName"}}, extra: publicIPPrefix},
	"network:PrivateZone":                  {provider: "Microsoft.Network", path: []seg{{"privateDnsZones", "privateZoneName"}}},
	"network:VirtualNetworkLink":           {provider: "Microsoft.Network", path: []seg{{"privateDnsZones", "privateZoneName"}, {"virtualNetworkLinks", "virtualNetworkLinkName"}}},
	"network:PrivateEndpoint":              {provider: "Microsoft.Network", path: []seg{{"privateEndpoints", "privateEndpointName"}}},
	"network:PrivateDnsZoneGroup":          {provider: "Microsoft.Network", path: []seg{{"privateEndpoints", "privateEndpointName"}, {"privateDnsZoneGroups", "privateDnsZoneGroupName"}}},
	"network:Policy":                       {provider: "Microsoft.Network", path: []seg{{"frontdoorWebApplicationFirewallPolicies", "policyName"}}},
	"network:WebApplicationFirewallPolicy": {provider: "Microsoft.Network", path: []seg{{"ApplicationGatewayWebApplicationFirewallPolicies", "policyName"}}},

	"keyvault:Vault": {provider: "Microsoft.KeyVault", path: []seg{{"vaults", "vaultName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return nested(c.in, "properties", resource.PropertyMap{"vaultUri": resource.NewProperty("https://" + c.azureName + ".vault.azure.net/")})
	}},

	"sql:Server": {provider: "Microsoft.Sql", path: []seg{{"servers", "serverName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"fullyQualifiedDomainName": resource.NewProperty(c.azureName + ".database.windows.net")}
	}},
	"sql:Database":                 {provider: "Microsoft.Sql", path: []seg{{"servers", "serverName"}, {"databases", "databaseName"}}},
	"sql:ServerBlobAuditingPolicy": {provider: "Microsoft.Sql", path: []seg{{"servers", "serverName"}, {"auditingSettings", "blobAuditingPolicyName"}}},

	"dbforpostgresql:Server": {provider: "Microsoft.DBforPostgreSQL", path: []seg{{"flexibleServers", "serverName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"fullyQualifiedDomainName": resource.NewProperty(c.azureName + ".postgres.database.azure.com")}
	}},
	"dbforpostgresql:Administrator": {provider: "Microsoft.DBforPostgreSQL", path: []seg{{"flexibleServers", "serverName"}, {"administrators", "objectId"}}},
	"dbforpostgresql:Configuration": {provider: "Microsoft.DBforPostgreSQL", path: []seg{{"flexibleServers", "serverName"}, {"configurations", "configurationName"}}},

	"storage:StorageAccount": {provider: "Microsoft.Storage", path: []seg{{"storageAccounts", "accountName"}}, extra: func(c *synthContext) resource.PropertyMap {
		ep := func(svc string) resource.PropertyValue {
			return resource.NewProperty(fmt.Sprintf("https://%s.%s.core.windows.net/", c.azureName, svc))
		}
		return resource.PropertyMap{"primaryEndpoints": resource.NewProperty(resource.PropertyMap{
			"blob": ep("blob"), "dfs": ep("dfs"), "file": ep("file"), "queue": ep("queue"), "table": ep("table"),
			"web": resource.NewProperty(fmt.Sprintf("https://%s.z6.web.core.windows.net/", c.azureName)),
		})}
	}},
	"storage:BlobServiceProperties":       {provider: "Microsoft.Storage", path: []seg{{"storageAccounts", "accountName"}, {"blobServices", "blobServicesName"}}},
	"storage:BlobContainer":               {provider: "Microsoft.Storage", path: []seg{{"storageAccounts", "accountName"}, {"blobServices", "-default"}, {"containers", "containerName"}}},
	"storage:StorageAccountStaticWebsite": {provider: "Microsoft.Storage", path: []seg{{"storageAccounts", "accountName"}, {"staticWebsite", "-$web"}}},

	"operationalinsights:Workspace": {provider: "Microsoft.OperationalInsights", path: []seg{{"workspaces", "workspaceName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"customerId": resource.NewProperty(guid(c.id, "customerId"))}
	}},
	"insights:DiagnosticSetting":                  {provider: "Microsoft.Insights", scopeKey: "resourceUri", path: []seg{{"diagnosticSettings", "name"}}},
	"insights:DataCollectionEndpoint":             {provider: "Microsoft.Insights", path: []seg{{"dataCollectionEndpoints", "dataCollectionEndpointName"}}},
	"insights:DataCollectionRule":                 {provider: "Microsoft.Insights", path: []seg{{"dataCollectionRules", "dataCollectionRuleName"}}},
	"insights:DataCollectionRuleAssociation":      {provider: "Microsoft.Insights", scopeKey: "resourceUri", path: []seg{{"dataCollectionRuleAssociations", "associationName"}}},
	"authorization:RoleAssignment":                {provider: "Microsoft.Authorization", scopeKey: "scope", path: []seg{{"roleAssignments", "roleAssignmentName"}}},
	"authorization:ManagementLockByScope":         {provider: "Microsoft.Authorization", scopeKey: "scope", path: []seg{{"locks", "lockName"}}},
	"managedidentity:UserAssignedIdentity":        {provider: "Microsoft.ManagedIdentity", path: []seg{{"userAssignedIdentities", "resourceName"}}, extra: identityOutputs},
	"managedidentity:FederatedIdentityCredential": {provider: "Microsoft.ManagedIdentity", path: []seg{{"userAssignedIdentities", "resourceName"}, {"federatedIdentityCredentials", "federatedIdentityCredentialResourceName"}}},

	"containerservice:ManagedCluster":           {provider: "Microsoft.ContainerService", path: []seg{{"managedClusters", "resourceName"}}, extra: clusterOutputs},
	"containerservice:AgentPool":                {provider: "Microsoft.ContainerService", path: []seg{{"managedClusters", "resourceName"}, {"agentPools", "agentPoolName"}}},
	"containerservice:MaintenanceConfiguration": {provider: "Microsoft.ContainerService", path: []seg{{"managedClusters", "resourceName"}, {"maintenanceConfigurations", "configName"}}},

	"containerregistry:Registry": {provider: "Microsoft.ContainerRegistry", path: []seg{{"registries", "registryName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"loginServer": resource.NewProperty(strings.ToLower(c.azureName) + ".azurecr.io")}
	}},

	"cognitiveservices:Account": {provider: "Microsoft.CognitiveServices", path: []seg{{"accounts", "accountName"}}, extra: func(c *synthContext) resource.PropertyMap {
		sub := c.azureName
		if p, ok := c.in["properties"]; ok && p.IsObject() {
			if s := p.ObjectValue()["customSubDomainName"]; s.IsString() {
				sub = s.StringValue()
			}
		}
		out := nested(c.in, "properties", resource.PropertyMap{"endpoint": resource.NewProperty("https://" + sub + ".cognitiveservices.azure.com/")})
		if id, ok := c.in["identity"]; ok && id.IsObject() {
			if t := id.ObjectValue()["type"]; t.IsString() && strings.Contains(t.StringValue(), "SystemAssigned") {
				out = mergeMaps(out, nested(c.in, "identity", resource.PropertyMap{
					"principalId": resource.NewProperty(guid(c.id, "principalId")),
					"tenantId":    resource.NewProperty(TenantID),
				}))
			}
		}
		return out
	}},

	"cdn:Profile": {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"frontDoorId": resource.NewProperty(guid(c.id, "frontDoorId"))}
	}},
	"cdn:AFDEndpoint": {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"afdEndpoints", "endpointName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"hostName": resource.NewProperty(fmt.Sprintf("%s-%s.z01.azurefd.net", c.azureName, short(14, c.id)))}
	}},
	"cdn:AFDOriginGroup": {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"originGroups", "originGroupName"}}},
	"cdn:AFDOrigin":      {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"originGroups", "originGroupName"}, {"origins", "originName"}}},
	"cdn:Route":          {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"afdEndpoints", "endpointName"}, {"routes", "routeName"}}},
	"cdn:RuleSet":        {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"ruleSets", "ruleSetName"}}},
	"cdn:Rule":           {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"ruleSets", "ruleSetName"}, {"rules", "ruleName"}}},
	"cdn:AFDCustomDomain": {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"customDomains", "customDomainName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"validationProperties": resource.NewProperty(resource.PropertyMap{"validationToken": resource.NewProperty(short(32, c.id, "validation"))})}
	}},
	"cdn:SecurityPolicy": {provider: "Microsoft.Cdn", path: []seg{{"profiles", "profileName"}, {"securityPolicies", "securityPolicyName"}}},

	"servicenetworking:TrafficControllerInterface": {provider: "Microsoft.ServiceNetworking", path: []seg{{"trafficControllers", "trafficControllerName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{
			"configurationEndpoints": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(short(16, c.id) + ".alb.azure.com")}),
			"provisioningState":      resource.NewProperty("Succeeded"),
		}
	}},
	"servicenetworking:FrontendsInterface": {provider: "Microsoft.ServiceNetworking", path: []seg{{"trafficControllers", "trafficControllerName"}, {"frontends", "frontendName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{"fqdn": resource.NewProperty(short(16, c.id) + ".fz" + short(2, c.id, "zone") + ".alb.azure.com")}
	}},
	"servicenetworking:AssociationsInterface": {provider: "Microsoft.ServiceNetworking", path: []seg{{"trafficControllers", "trafficControllerName"}, {"associations", "associationName"}}},
	"servicenetworking:SecurityPoliciesInterface": {provider: "Microsoft.ServiceNetworking", path: []seg{{"trafficControllers", "trafficControllerName"}, {"securityPolicies", "securityPolicyName"}}, extra: func(*synthContext) resource.PropertyMap {
		return resource.PropertyMap{"policyType": resource.NewProperty("waf")}
	}},

	"azureactivedirectory:CIAMTenant": {provider: "Microsoft.AzureActiveDirectory", path: []seg{{"ciamDirectories", "resourceName"}}, extra: func(c *synthContext) resource.PropertyMap {
		return resource.PropertyMap{
			"tenantId":    resource.NewProperty(guid(c.id, "tenantId")),
			"domainName":  resource.NewProperty(c.azureName + ".onmicrosoft.com"),
			"billingType": resource.NewProperty("MAU"),
		}
	}},

	"monitor:AzureMonitorWorkspace": {provider: "Microsoft.Monitor", path: []seg{{"accounts", "azureMonitorWorkspaceName"}}, extra: func(c *synthContext) resource.PropertyMap {
		mrg := fmt.Sprintf("/subscriptions/%s/resourceGroups/MA_%s_%s_managed/providers/Microsoft.Insights", SubscriptionID, c.azureName, c.location())
		return resource.PropertyMap{
			"accountId": resource.NewProperty(guid(c.id, "accountId")),
			"metrics": resource.NewProperty(resource.PropertyMap{
				"prometheusQueryEndpoint": resource.NewProperty(fmt.Sprintf("https://%s-%s.%s.prometheus.monitor.azure.com", c.azureName, short(6, c.id), c.location())),
				"internalId":              resource.NewProperty("mac_" + guid(c.id, "internalId")),
			}),
			"defaultIngestionSettings": resource.NewProperty(resource.PropertyMap{
				"dataCollectionEndpointResourceId": resource.NewProperty(mrg + "/dataCollectionEndpoints/" + c.azureName),
				"dataCollectionRuleResourceId":     resource.NewProperty(mrg + "/dataCollectionRules/" + c.azureName),
			}),
		}
	}},
}

// kubernetesconfiguration resources hang below their cluster, which is named by four inputs.
var clusterExtensionTypes = map[string]seg{
	"kubernetesconfiguration:Extension":         {"extensions", "extensionName"},
	"kubernetesconfiguration:FluxConfiguration": {"fluxConfigurations", "fluxConfigurationName"},
}

// normalize turns "azure-native:network/v20240501:Subnet" into "network:Subnet".
func normalize(token string) (pkg, key string) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return "", token
	}
	mod, _, _ := strings.Cut(parts[1], "/")
	return parts[0], mod + ":" + parts[2]
}

// synthesize returns the ID and outputs Azure (or Entra) would return for a custom resource:
// the inputs echoed, plus the ARM ID, the Azure name and the computed properties of the type.
func synthesize(token, name string, in resource.PropertyMap) (string, resource.PropertyMap) {
	out := in.Copy()
	pkg, key := normalize(token)
	switch pkg {
	case "azuread":
		// Keyed by the full "index/<module>:<Type>" (normalize keeps only "index").
		return entraObject(strings.TrimPrefix(token, "azuread:"), name, out)
	case "pulumi":
		return name + "-provider", out
	case "kubernetes":
		return kubernetesObject(out)
	case "azure-native":
	default:
		return fmt.Sprintf("%s-%s", key, short(8, token, name)), out
	}

	c := &synthContext{token: token, name: name, in: in}
	rg := c.str("resourceGroupName")
	rgID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", SubscriptionID, rg)
	spec, known := armTypes[key]
	var id string
	switch {
	case key == "resources:ResourceGroup":
		c.azureName = orDefault(rg, name)
		id = fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", SubscriptionID, c.azureName)
	case clusterExtensionTypes[key] != (seg{}):
		s := clusterExtensionTypes[key]
		c.azureName = orDefault(c.str(s.nameKey), name)
		id = fmt.Sprintf("%s/providers/%s/%s/%s/providers/Microsoft.KubernetesConfiguration/%s/%s",
			rgID, c.str("clusterRp"), c.str("clusterResourceName"), c.str("clusterName"), s.collection, c.azureName)
	case known:
		base := rgID
		if spec.scopeKey != "" {
			base = c.str(spec.scopeKey)
		}
		id = base + "/providers/" + spec.provider
		for i, s := range spec.path {
			part := c.str(s.nameKey)
			if literal, ok := strings.CutPrefix(s.nameKey, "-"); ok {
				part = literal // a fixed child name such as blobServices/default
			}
			if i == len(spec.path)-1 {
				part = orDefault(part, name)
				c.azureName = part
			}
			id += "/" + s.collection + "/" + part
		}
	default:
		// An unknown type still gets a plausible ID; add it to armTypes for real outputs.
		mod, typ, _ := strings.Cut(key, ":")
		c.azureName = name
		id = fmt.Sprintf("%s/providers/Microsoft.%s/%ss/%s", rgID, mod, strings.ToLower(typ[:1])+typ[1:], name)
	}
	c.id = id
	out["id"] = resource.NewProperty(id)
	out["name"] = resource.NewProperty(c.azureName)
	if key == "resources:ResourceGroup" {
		out["location"] = resource.NewProperty(c.location())
	}
	if known && spec.extra != nil {
		for k, v := range spec.extra(c) {
			out[k] = v
		}
	}
	if key == "kubernetesconfiguration:Extension" {
		out["aksAssignedIdentity"] = resource.NewProperty(resource.PropertyMap{
			"principalId": resource.NewProperty(guid(id, "principalId")),
			"tenantId":    resource.NewProperty(TenantID),
			"type":        resource.NewProperty("SystemAssigned"),
		})
		out["currentVersion"] = resource.NewProperty("1.19.5")
		out["provisioningState"] = resource.NewProperty("Succeeded")
	}
	return id, out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// nested merges computed properties into an input object (e.g. properties.vaultUri).
func nested(in resource.PropertyMap, key string, add resource.PropertyMap) resource.PropertyMap {
	obj := resource.PropertyMap{}
	if v, ok := in[resource.PropertyKey(key)]; ok && v.IsObject() {
		obj = v.ObjectValue().Copy()
	}
	for k, v := range add {
		obj[k] = v
	}
	return resource.PropertyMap{resource.PropertyKey(key): resource.NewProperty(obj)}
}

func identityOutputs(c *synthContext) resource.PropertyMap {
	return resource.PropertyMap{
		"clientId":    resource.NewProperty(guid(c.id, "clientId")),
		"principalId": resource.NewProperty(guid(c.id, "principalId")),
		"tenantId":    resource.NewProperty(TenantID),
	}
}

func clusterOutputs(c *synthContext) resource.PropertyMap {
	loc := c.location()
	dnsPrefix := orDefault(c.str("dnsPrefix"), c.azureName)
	nodeRG := c.str("nodeResourceGroup")
	if nodeRG == "" {
		nodeRG = fmt.Sprintf("MC_%s_%s_%s", c.str("resourceGroupName"), c.azureName, loc)
	}
	return resource.PropertyMap{
		"fqdn":              resource.NewProperty(fmt.Sprintf("%s-%s.hcp.%s.azmk8s.io", dnsPrefix, short(8, c.id), loc)),
		"azurePortalFQDN":   resource.NewProperty(fmt.Sprintf("%s-%s.portal.hcp.%s.azmk8s.io", dnsPrefix, short(8, c.id), loc)),
		"nodeResourceGroup": resource.NewProperty(nodeRG),
		"oidcIssuerProfile": resource.NewProperty(resource.PropertyMap{
			"enabled":   resource.NewProperty(true),
			"issuerURL": resource.NewProperty(fmt.Sprintf("https://%s.oic.prod-aks.azure.com/%s/%s/", loc, TenantID, guid(c.id, "issuer"))),
		}),
		"provisioningState": resource.NewProperty("Succeeded"),
	}
}

func publicIP(c *synthContext) resource.PropertyMap {
	h := sha256.Sum256([]byte(c.id))
	return resource.PropertyMap{"ipAddress": resource.NewProperty(fmt.Sprintf("20.%d.%d.%d", h[0], h[1], h[2]|1))}
}

func publicIPPrefix(c *synthContext) resource.PropertyMap {
	h := sha256.Sum256([]byte(c.id))
	bits := 31
	if v, ok := c.in["prefixLength"]; ok && v.IsNumber() {
		bits = int(v.NumberValue())
	}
	return resource.PropertyMap{"ipPrefix": resource.NewProperty(fmt.Sprintf("20.%d.%d.%d/%d", h[0], h[1], h[2]&0xf0, bits))}
}

// entraObject synthesises Microsoft Graph objects of the azuread provider.
func entraObject(key, name string, out resource.PropertyMap) (string, resource.PropertyMap) {
	objectID := guid("entra", key, name, "objectId")
	out["objectId"] = resource.NewProperty(objectID)
	switch key {
	case "index/application:Application":
		clientID := guid("entra", key, name, "clientId")
		out["clientId"] = resource.NewProperty(clientID)
		out["applicationId"] = resource.NewProperty(clientID)
		// Graph returns the IDs of the scopes and roles it was given, keyed by their values.
		scopes := resource.PropertyMap{}
		if api, ok := out["api"]; ok && api.IsObject() {
			for _, sc := range arrayOf(api.ObjectValue()["oauth2PermissionScopes"]) {
				addValueID(scopes, sc)
			}
		}
		roles := resource.PropertyMap{}
		for _, r := range arrayOf(out["appRoles"]) {
			addValueID(roles, r)
		}
		out["oauth2PermissionScopeIds"] = resource.NewProperty(scopes)
		out["appRoleIds"] = resource.NewProperty(roles)
		return "/applications/" + objectID, out
	case "index/applicationIdentifierUri:ApplicationIdentifierUri":
		// The provider's ID: the application's ID and the base64-encoded URI.
		uri := plainString(out["identifierUri"])
		return plainString(out["applicationId"]) + "/identifierUris/" + base64.StdEncoding.EncodeToString([]byte(uri)), out
	case "index/applicationPreAuthorized:ApplicationPreAuthorized":
		return plainString(out["applicationId"]) + "/preAuthorizedApplication/" + plainString(out["authorizedClientId"]), out
	case "index/applicationRegistration:ApplicationRegistration":
		out["clientId"] = resource.NewProperty(guid("entra", key, name, "clientId"))
		return "/applications/" + objectID, out
	case "index/applicationAppRole:ApplicationAppRole":
		return plainString(out["applicationId"]) + "/appRoles/" + plainString(out["roleId"]), out
	case "index/applicationApiAccess:ApplicationApiAccess":
		return plainString(out["applicationId"]) + "/apiAccess/" + plainString(out["apiClientId"]), out
	case "index/applicationRedirectUris:ApplicationRedirectUris":
		return plainString(out["applicationId"]) + "/redirectUris/" + plainString(out["type"]), out
	case "index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential":
		out["credentialId"] = resource.NewProperty(guid("entra", key, name, "credentialId"))
		return plainString(out["applicationId"]) + "/federatedIdentityCredential/" + plainString(out["credentialId"]), out
	case "index/appRoleAssignment:AppRoleAssignment":
		return plainString(out["resourceObjectId"]) + "/appRoleAssignment/" + guid("entra", key, name, "assignment"), out
	case "index/servicePrincipal:ServicePrincipal":
		return objectID, out
	case "index/group:Group", "index/user:User":
		return objectID, out
	}
	return guid("entra", key, name), out
}

func arrayOf(v resource.PropertyValue) []resource.PropertyValue {
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsArray() {
		return v.ArrayValue()
	}
	return nil
}

func plainString(v resource.PropertyValue) string {
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsOutput() {
		v = v.OutputValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// addValueID records {value: id} of a scope or role object.
func addValueID(m resource.PropertyMap, v resource.PropertyValue) {
	if !v.IsObject() {
		return
	}
	o := v.ObjectValue()
	if value, id := plainString(o["value"]), plainString(o["id"]); value != "" && id != "" {
		m[resource.PropertyKey(value)] = resource.NewProperty(id)
	}
}

// mergeMaps merges property maps; later maps win.
func mergeMaps(maps ...resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// randomStringType is pulumi-random's RandomString.
const randomStringType = "random:index/randomString:RandomString"

// randomString answers for a RandomString what the random provider would, with a value derived
// from the stack's name (its last part: the environment, the same in layered and single-stack
// mode) and the resource's name instead of chance, so a plan is byte-identical across runs. It
// draws from the character classes the inputs allow (the provider's defaults: all four) and
// echoes the inputs; like the provider, the result is also the ID.
func randomString(stack, name string, in resource.PropertyMap) (string, resource.PropertyMap) {
	flag := func(key string) bool {
		v, ok := in[resource.PropertyKey(key)]
		return !ok || !v.IsBool() || v.BoolValue()
	}
	var chars string
	for _, class := range []struct{ key, chars string }{
		{"lower", "abcdefghijklmnopqrstuvwxyz"}, {"upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"numeric", "0123456789"}, {"special", "!@#$%&*()-_=+[]{}<>:?"},
	} {
		if flag(class.key) {
			chars += class.chars
		}
	}
	length := 0
	if v := in["length"]; v.IsNumber() {
		length = int(v.NumberValue())
	}
	env := stack[strings.LastIndex(stack, "/")+1:]
	var b strings.Builder
	for i := 0; b.Len() < length; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("random\x00%s\x00%s\x00%d", env, name, i)))
		for _, x := range h {
			if b.Len() < length && chars != "" {
				b.WriteByte(chars[int(x)%len(chars)])
			}
		}
	}
	out := in.Copy()
	out["result"] = resource.NewProperty(b.String())
	return b.String(), out
}

// kubernetesObject answers for a pulumi-kubernetes object what the provider would: the inputs
// echoed, and the ID <namespace>/<name>, or <name> for a cluster-scoped object.
func kubernetesObject(out resource.PropertyMap) (string, resource.PropertyMap) {
	var ns, name string
	if m, ok := out["metadata"]; ok && m.IsObject() {
		ns, name = plainString(m.ObjectValue()["namespace"]), plainString(m.ObjectValue()["name"])
	}
	if ns != "" {
		return ns + "/" + name, out
	}
	return name, out
}
