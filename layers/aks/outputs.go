package aks

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Outputs is the aks layer's contract.
type Outputs struct {
	ClusterName             pulumi.StringOutput `output:"clusterName"`
	ClusterID               pulumi.StringOutput `output:"clusterId"`
	OIDCIssuerURL           pulumi.StringOutput `output:"oidcIssuerUrl"`
	KubeletIdentityClientID pulumi.StringOutput `output:"kubeletIdentityClientId"`
	KubeletIdentityObjectID pulumi.StringOutput `output:"kubeletIdentityObjectId"`
	NodeResourceGroup       pulumi.StringOutput `output:"nodeResourceGroup"`
	ACRID                   pulumi.StringOutput `output:"acrId"`
	ACRLoginServer          pulumi.StringOutput `output:"acrLoginServer"`
	FrontDoorEndpointHost   pulumi.StringOutput `output:"frontDoorEndpointHostName"`
	FrontDoorProfileID      pulumi.StringOutput `output:"frontDoorProfileId"`
	AGCTrafficControllerID  pulumi.StringOutput `output:"agcTrafficControllerId"`
	AGCFrontendName         pulumi.StringOutput `output:"agcFrontendName"`
	AGCFrontendFQDN         pulumi.StringOutput `output:"agcFrontendFqdn"`
	// AGCWAFPolicyID is the WAF policy that WebApplicationFirewallPolicy resources in the cluster
	// attach to Gateways and routes.
	AGCWAFPolicyID          pulumi.StringOutput `output:"agcWafPolicyId"`
	DocumentIntelligenceURL pulumi.StringOutput `output:"documentIntelligenceEndpoint"`
	// FederatedSubjects maps an identity key to the service-account subject(s) federated with the
	// cluster's issuer (comma-separated when an identity has several).
	FederatedSubjects pulumi.StringMapOutput `output:"federatedSubjects"`
	// FrontDoorValidationTokens maps each custom domain (frontDoor.customDomains) to the value of
	// the TXT record _dnsauth.<domain> that proves the domain to Front Door: a manual DNS step.
	FrontDoorValidationTokens pulumi.StringMapOutput `output:"frontDoorValidationTokens"`
	// FrontDoorCNAMETargets maps each custom domain to the target of its CNAME record, the
	// endpoint's host name: the other manual DNS step of a custom domain. (The CNAME of
	// agc.originHostName points at AGCFrontendFQDN.)
	FrontDoorCNAMETargets pulumi.StringMapOutput `output:"frontDoorCnameTargets"`
}
