package identity

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Outputs is the identity layer's contract. Identity maps are keyed by identity key: a service
// name or one of config.PlatformIdentities.
type Outputs struct {
	IdentityIDs          pulumi.StringMapOutput `output:"identityIds"`
	IdentityClientIDs    pulumi.StringMapOutput `output:"identityClientIds"`
	IdentityPrincipalIDs pulumi.StringMapOutput `output:"identityPrincipalIds"`
	// ExternalIDTenantID is the Entra External ID tenant ("" when disabled).
	ExternalIDTenantID pulumi.StringOutput `output:"externalIdTenantId"`
	// ExternalIDAuthority is https://<tenant>.ciamlogin.com/<tenant ID>/v2.0 ("" when disabled).
	ExternalIDAuthority pulumi.StringOutput `output:"externalIdAuthority"`
	SPAClientID         pulumi.StringOutput `output:"spaClientId"`
	MobileClientID      pulumi.StringOutput `output:"mobileClientId"`
	// APIClientIDs and APIScopes are keyed by service name.
	APIClientIDs pulumi.StringMapOutput `output:"apiClientIds"`
	APIScopes    pulumi.StringMapOutput `output:"apiScopes"`
	// DashboardsClientID is the client ID of the dashboards' app registration in the workforce
	// tenant and DashboardsApplicationID its resource ID (/applications/<object ID>); both ""
	// when the dashboards are not published (config.Env.Dashboards).
	DashboardsClientID      pulumi.StringOutput `output:"dashboardsClientId"`
	DashboardsApplicationID pulumi.StringOutput `output:"dashboardsApplicationId"`
}
