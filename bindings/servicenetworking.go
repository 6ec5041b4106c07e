package bindings

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of Application Gateway for Containers. The explicit 2025-01-01 version is used for
// all four: the unversioned tokens of azure-native 2.90.0 map to 2023-05-01-preview, whose traffic
// controller has no securityPolicyConfigurations (the WAF link) and whose PUT would drop it.
const (
	TrafficControllerType = "azure-native:servicenetworking/v20250101:TrafficControllerInterface"
	FrontendType          = "azure-native:servicenetworking/v20250101:FrontendsInterface"
	AssociationType       = "azure-native:servicenetworking/v20250101:AssociationsInterface"
	SecurityPolicyType    = "azure-native:servicenetworking/v20250101:SecurityPoliciesInterface"
)

// TrafficController is an Application Gateway for Containers: ARM type
// Microsoft.ServiceNetworking/trafficControllers, API version 2025-01-01.
type TrafficController struct {
	pulumi.CustomResourceState

	Name                   pulumi.StringOutput      `pulumi:"name"`
	Location               pulumi.StringOutput      `pulumi:"location"`
	ConfigurationEndpoints pulumi.StringArrayOutput `pulumi:"configurationEndpoints"`
	ProvisioningState      pulumi.StringOutput      `pulumi:"provisioningState"`
	Tags                   pulumi.StringMapOutput   `pulumi:"tags"`
}

// TrafficControllerArgs are the inputs of a TrafficController.
type TrafficControllerArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// TrafficControllerName is the Azure name.
	TrafficControllerName pulumi.StringInput `pulumi:"trafficControllerName"`
	Location              pulumi.StringInput `pulumi:"location"`
	// SecurityPolicyConfigurations links the WAF security policy (a child SecurityPolicy).
	SecurityPolicyConfigurations *SecurityPolicyConfigurations `pulumi:"securityPolicyConfigurations"`
	Tags                         pulumi.StringMapInput         `pulumi:"tags"`
}

// SecurityPolicyConfigurations of a traffic controller.
type SecurityPolicyConfigurations struct {
	// WafSecurityPolicy is the ID of the traffic controller's SecurityPolicy (not of the WAF
	// policy itself).
	WafSecurityPolicy *IDRef `pulumi:"wafSecurityPolicy"`
}

// ElementType makes the Args struct its own marshalling target.
func (TrafficControllerArgs) ElementType() reflect.Type {
	return reflect.TypeOf(TrafficControllerArgs{})
}

// NewTrafficController registers a TrafficController.
func NewTrafficController(ctx *pulumi.Context, name string, args *TrafficControllerArgs, opts ...pulumi.ResourceOption) (*TrafficController, error) {
	if args == nil {
		return nil, errors.New("bindings: TrafficController args are required")
	}
	var r TrafficController
	err := register(ctx, TrafficControllerType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}}, &r, opts)
	return &r, err
}

// Frontend is a frontend of an Application Gateway for Containers, the public entry point with an
// Azure-generated FQDN: ARM type Microsoft.ServiceNetworking/trafficControllers/frontends, API
// version 2025-01-01.
type Frontend struct {
	pulumi.CustomResourceState

	Name              pulumi.StringOutput `pulumi:"name"`
	Fqdn              pulumi.StringOutput `pulumi:"fqdn"`
	ProvisioningState pulumi.StringOutput `pulumi:"provisioningState"`
}

// FrontendArgs are the inputs of a Frontend.
type FrontendArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// TrafficControllerName is required.
	TrafficControllerName pulumi.StringInput    `pulumi:"trafficControllerName"`
	FrontendName          pulumi.StringInput    `pulumi:"frontendName"`
	Location              pulumi.StringInput    `pulumi:"location"`
	Tags                  pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (FrontendArgs) ElementType() reflect.Type { return reflect.TypeOf(FrontendArgs{}) }

// NewFrontend registers a Frontend.
func NewFrontend(ctx *pulumi.Context, name string, args *FrontendArgs, opts ...pulumi.ResourceOption) (*Frontend, error) {
	if args == nil {
		return nil, errors.New("bindings: Frontend args are required")
	}
	var r Frontend
	err := register(ctx, FrontendType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}, {"TrafficControllerName", args.TrafficControllerName}}, &r, opts)
	return &r, err
}

// AssociationTypeSubnets is the only association type: the traffic controller is injected into a
// subnet delegated to Microsoft.ServiceNetworking/trafficControllers.
const AssociationTypeSubnets = "subnets"

// Association joins an Application Gateway for Containers to its delegated subnet: ARM type
// Microsoft.ServiceNetworking/trafficControllers/associations, API version 2025-01-01.
type Association struct {
	pulumi.CustomResourceState

	Name              pulumi.StringOutput `pulumi:"name"`
	AssociationType   pulumi.StringOutput `pulumi:"associationType"`
	ProvisioningState pulumi.StringOutput `pulumi:"provisioningState"`
}

// AssociationArgs are the inputs of an Association.
type AssociationArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// TrafficControllerName is required.
	TrafficControllerName pulumi.StringInput `pulumi:"trafficControllerName"`
	AssociationName       pulumi.StringInput `pulumi:"associationName"`
	// AssociationType is required; AssociationTypeSubnets is the only value.
	AssociationType pulumi.StringInput `pulumi:"associationType"`
	// Subnet is the delegated subnet.
	Subnet   *IDRef                `pulumi:"subnet"`
	Location pulumi.StringInput    `pulumi:"location"`
	Tags     pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (AssociationArgs) ElementType() reflect.Type { return reflect.TypeOf(AssociationArgs{}) }

// NewAssociation registers an Association.
func NewAssociation(ctx *pulumi.Context, name string, args *AssociationArgs, opts ...pulumi.ResourceOption) (*Association, error) {
	if args == nil {
		return nil, errors.New("bindings: Association args are required")
	}
	var r Association
	err := register(ctx, AssociationType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}, {"TrafficControllerName", args.TrafficControllerName}, {"AssociationType", args.AssociationType}}, &r, opts)
	return &r, err
}

// SecurityPolicy attaches an Application Gateway WAF policy
// (Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies) to an Application Gateway
// for Containers: ARM type Microsoft.ServiceNetworking/trafficControllers/securityPolicies, API
// version 2025-01-01. The traffic controller then points at it through
// SecurityPolicyConfigurations.
type SecurityPolicy struct {
	pulumi.CustomResourceState

	Name              pulumi.StringOutput `pulumi:"name"`
	PolicyType        pulumi.StringOutput `pulumi:"policyType"`
	ProvisioningState pulumi.StringOutput `pulumi:"provisioningState"`
}

// SecurityPolicyArgs are the inputs of a SecurityPolicy.
type SecurityPolicyArgs struct {
	// ResourceGroupName is required.
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	// TrafficControllerName is required.
	TrafficControllerName pulumi.StringInput `pulumi:"trafficControllerName"`
	SecurityPolicyName    pulumi.StringInput `pulumi:"securityPolicyName"`
	// WafPolicy is the Application Gateway WAF policy.
	WafPolicy *IDRef                `pulumi:"wafPolicy"`
	Location  pulumi.StringInput    `pulumi:"location"`
	Tags      pulumi.StringMapInput `pulumi:"tags"`
}

// ElementType makes the Args struct its own marshalling target.
func (SecurityPolicyArgs) ElementType() reflect.Type { return reflect.TypeOf(SecurityPolicyArgs{}) }

// NewSecurityPolicy registers a SecurityPolicy.
func NewSecurityPolicy(ctx *pulumi.Context, name string, args *SecurityPolicyArgs, opts ...pulumi.ResourceOption) (*SecurityPolicy, error) {
	if args == nil {
		return nil, errors.New("bindings: SecurityPolicy args are required")
	}
	var r SecurityPolicy
	err := register(ctx, SecurityPolicyType, name, *args, []field{{"ResourceGroupName", args.ResourceGroupName}, {"TrafficControllerName", args.TrafficControllerName}, {"WafPolicy", args.WafPolicy}}, &r, opts)
	return &r, err
}
