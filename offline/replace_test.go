package offline_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/azure-saas-platform/platform/offline"
)

// TestReplaceKeys: the keys of a type are its ARM path parameters (derived from the same table the
// offline IDs are built from), location, and the azure-native or Terraform ForceNew properties.
func TestReplaceKeys(t *testing.T) {
	for _, tt := range []struct {
		token string
		want  []string
	}{
		{"azure-native:network/v20240501:Subnet", []string{"location", "resourceGroupName", "subnetName", "virtualNetworkName"}},
		{"azure-native:resources:ResourceGroup", []string{"location", "resourceGroupName"}},
		{"azure-native:authorization:RoleAssignment", []string{"location", "principalId", "roleAssignmentName", "scope"}},
		{"azure-native:insights:DiagnosticSetting", []string{"location", "name", "resourceUri"}},
		{"azure-native:storage:BlobContainer", []string{"accountName", "containerName", "location", "resourceGroupName"}},
		{"azure-native:storage:StorageAccount", []string{"accountName", "isHnsEnabled", "location", "resourceGroupName"}},
		{"azure-native:network:PublicIPAddress", []string{"location", "publicIPAddressVersion", "publicIPPrefix", "publicIpAddressName", "resourceGroupName", "sku"}},
		{"azure-native:cdn:Profile", []string{"location", "profileName", "resourceGroupName", "sku.name"}},
		{"azure-native:kubernetesconfiguration/v20241101:FluxConfiguration", []string{
			"clusterName", "clusterResourceName", "clusterRp", "fluxConfigurationName", "location", "namespace", "resourceGroupName", "scope"}},
		{"azure-native:kubernetesconfiguration/v20241101:Extension", []string{
			"clusterName", "clusterResourceName", "clusterRp", "extensionName", "location", "resourceGroupName"}},
		{"azuread:index/applicationIdentifierUri:ApplicationIdentifierUri", []string{"applicationId", "identifierUri"}},
		{"azuread:index/application:Application", []string{"templateId"}},
		{"random:index/randomString:RandomString", []string{"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number", "numeric", "overrideSpecial", "special", "upper"}},
		{"random:index/randomId:RandomId", []string{}}, // a type the table does not know
	} {
		t.Run(tt.token, func(t *testing.T) {
			assert.Equal(t, tt.want, offline.ReplaceKeys(tt.token))
		})
	}
}

// TestForcesReplacement: a change at, below or around a replace key forces replacement; array
// elements match "[]" whatever their index or name; other paths do not.
func TestForcesReplacement(t *testing.T) {
	const cluster = "azure-native:containerservice/v20240902preview:ManagedCluster"
	for _, tt := range []struct {
		token string
		path  []string
		want  bool
	}{
		{cluster, []string{"networkProfile", "podCidr"}, true},
		{cluster, []string{"networkProfile"}, true},
		{cluster, []string{"dnsPrefix"}, true},
		{cluster, []string{"agentPoolProfiles", "[1]", "networkProfile", "allowedHostPorts"}, true},
		{cluster, []string{"agentPoolProfiles", "[0]", "count"}, false},
		{cluster, []string{"kubernetesVersion"}, false},
		{cluster, []string{"tags", "env"}, false},
		{"azure-native:cdn:Profile", []string{"sku", "name"}, true},
		{"azure-native:cdn:Profile", []string{"sku"}, true},
		{"azure-native:cdn:Profile", []string{"originResponseTimeoutSeconds"}, false},
		{"azure-native:network:NetworkSecurityGroup", []string{"securityRules", "[name=deny-all]", "priority"}, false},
		{"azure-native:network:NetworkSecurityGroup", []string{"networkSecurityGroupName"}, true},
		{"azure-native:network:PrivateEndpoint", []string{"subnet", "id"}, true},
		{"azure-native:authorization:RoleAssignment", []string{"principalId"}, true},
		{"azure-native:authorization:RoleAssignment", []string{"description"}, false},
		{"azure-native:kubernetesconfiguration/v20241101:FluxConfiguration", []string{"namespace"}, true},
		{"azure-native:kubernetesconfiguration/v20241101:FluxConfiguration", []string{"kustomizations", "infra", "path"}, false},
		{"azuread:index/group:Group", []string{"types", "[0]"}, true},
		{"azuread:index/group:Group", []string{"displayName"}, false},
		{"azuread:index/servicePrincipal:ServicePrincipal", []string{"clientId"}, true},
		{"random:index/randomString:RandomString", []string{"length"}, true},
		{"random:index/randomId:RandomId", []string{"byteLength"}, false},
	} {
		assert.Equal(t, tt.want, offline.ForcesReplacement(tt.token, tt.path...), "%s %v", tt.token, tt.path)
	}
}

// TestKnowsReplacement: azure-native types are covered when their ARM path is known, azuread types
// when they are in the table; others are not, and a test over the real plans requires coverage.
func TestKnowsReplacement(t *testing.T) {
	assert.True(t, offline.KnowsReplacement("azure-native:keyvault:Vault"))
	assert.True(t, offline.KnowsReplacement("azure-native:servicenetworking/v20250101:TrafficControllerInterface"))
	assert.True(t, offline.KnowsReplacement("azuread:index/applicationPreAuthorized:ApplicationPreAuthorized"))
	assert.False(t, offline.KnowsReplacement("azure-native:compute:VirtualMachine"))
	assert.False(t, offline.KnowsReplacement("azuread:index/user:User"))
}
