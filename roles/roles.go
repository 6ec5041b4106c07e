// Package roles names, once, every Azure built-in role the platform assigns, by its role
// definition ID (the GUID Azure gives the built-in role in every tenant). It is pure: no Pulumi,
// no Azure SDK.
package roles

import (
	"fmt"
	"strings"
)

// Role is an Azure built-in role.
type Role struct {
	Name string // the role's display name
	ID   string // the role definition GUID
}

// The built-in roles the platform assigns. Source: "Azure built-in roles" (learn.microsoft.com,
// role-based-access-control/built-in-roles); each ID is checked in roles_test.go.
var (
	Contributor                     = Role{"Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"}
	RoleBasedAccessControlAdmin     = Role{"Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"}
	LocksContributor                = Role{"Locks Contributor", "28bf596f-4eb7-45ce-b5bc-6cf482fec137"}
	NetworkContributor              = Role{"Network Contributor", "4d97b98b-1d4f-4787-a291-c67834d212e7"}
	ManagedIdentityOperator         = Role{"Managed Identity Operator", "f1a07417-d97a-45cb-824c-7a7467783830"}
	KeyVaultSecretsUser             = Role{"Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6"}
	KeyVaultSecretsOfficer          = Role{"Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"}
	StorageBlobDataReader           = Role{"Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"}
	StorageBlobDataContributor      = Role{"Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"}
	AcrPull                         = Role{"AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d"}
	AcrPush                         = Role{"AcrPush", "8311e382-0749-4cb8-b61a-304f252e45ec"}
	CognitiveServicesUser           = Role{"Cognitive Services User", "a97b65f3-24c7-4388-baec-2e87135dc908"}
	AppGwForContainersConfigManager = Role{"AppGw for Containers Configuration Manager", "fbc52c3f-28ad-4303-a892-8a056630b8f1"}
	DNSZoneContributor              = Role{"DNS Zone Contributor", "befefa01-2a29-4197-83a8-272ff33ce314"}
	PrivateDNSZoneContributor       = Role{"Private DNS Zone Contributor", "b12aa53e-6015-4669-85d0-8515ebb3ae7f"}
	AKSClusterUser                  = Role{"Azure Kubernetes Service Cluster User Role", "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"}
	// AKSRBACClusterAdmin is Azure RBAC for Kubernetes' full access (dataActions
	// Microsoft.ContainerService/managedClusters/*, no notDataActions): the only built-in role
	// that may create namespaces, which Kubernetes authorizes at the cluster's scope.
	AKSRBACClusterAdmin = Role{"Azure Kubernetes Service RBAC Cluster Admin", "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"}
)

// Privileged are the roles that grant broad write access, manage access itself or remove the
// protection of management locks. The deployment pipeline holds them on the platform's resource
// group, and may never hand them out.
var Privileged = []Role{Contributor, RoleBasedAccessControlAdmin, LocksContributor}

// Delegable are the roles the layers assign to the platform's identities and groups: exactly the
// roles the deployment pipeline may assign and remove (see DelegationCondition), no more, since
// the pipeline could otherwise hand any of them to itself. Every role above is in Privileged or in
// Delegable (roles_test.go), and a test over the full plan checks that the layers assign exactly
// Delegable and the pipeline's Privileged roles, so a new role forces the choice and an unused
// one is noticed.
var Delegable = []Role{
	NetworkContributor, ManagedIdentityOperator,
	KeyVaultSecretsUser, KeyVaultSecretsOfficer,
	StorageBlobDataReader, StorageBlobDataContributor,
	AcrPull, AcrPush, CognitiveServicesUser, AppGwForContainersConfigManager,
	DNSZoneContributor, PrivateDNSZoneContributor,
	AKSClusterUser, AKSRBACClusterAdmin,
}

// DelegationCondition is the Azure ABAC condition (version 2.0) that limits a Role Based Access
// Control Administrator assignment: role assignments may be written and deleted only for the given
// roles and principal types. The shape is Microsoft's "Constrain roles and principal types"
// example (learn.microsoft.com, role-based-access-control/delegate-role-assignments-examples):
// writes are checked on the request, deletes on the existing assignment.
func DelegationCondition(rs []Role, principalTypes []string) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	types := make([]string, len(principalTypes))
	for i, t := range principalTypes {
		types[i] = "'" + t + "'"
	}
	clause := func(action, source string) string {
		return fmt.Sprintf("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/%s'})) OR "+
			"(@%s[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s} AND "+
			"@%s[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {%s}))",
			action, source, strings.Join(ids, ", "), source, strings.Join(types, ", "))
	}
	return clause("write", "Request") + " AND " + clause("delete", "Resource")
}

// DefinitionID is the subscription-scoped role definition ID ARM expects in a role assignment.
func (r Role) DefinitionID(subscriptionID string) string {
	return fmt.Sprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s", subscriptionID, r.ID)
}
