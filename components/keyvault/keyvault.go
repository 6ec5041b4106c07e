// Package keyvault is the platform's Key Vault: RBAC authorization only (no access policies), no
// public network access, network ACLs denying by default, soft delete, purge protection where
// asked, reached through a private endpoint.
package keyvault

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/components/avm"
)

// Args configures the vault.
type Args struct {
	// ResourceGroupName holds the vault. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the vault. Required.
	Location pulumi.StringInput
	// Name is the vault's Azure name (3-24, globally unique; config.GlobalNames). An input: it
	// carries the base layer's random suffix. Required.
	Name pulumi.StringInput
	// TenantID is the Entra tenant that authenticates requests. Required.
	TenantID pulumi.StringInput
	// Sku is "standard" or "premium". Default "standard".
	Sku string
	// SoftDeleteRetentionDays is 7-90. Default 90.
	SoftDeleteRetentionDays int
	// PurgeProtection turns on purge protection, which can never be turned off. Default false
	// (the property is then left unset: Azure refuses an explicit false).
	PurgeProtection bool
	// Protect sets Pulumi's protect on the vault. Default false.
	Protect bool
	// Tags of every resource. Default none.
	Tags pulumi.StringMapInput
	// Lock on the vault. Default none.
	Lock avm.Lock
	// RoleAssignments on the vault. Default none.
	RoleAssignments []avm.RoleAssignment
	// DiagnosticSettings of the vault (audit logs and metrics). Default none.
	DiagnosticSettings *avm.DiagnosticSettings
	// PrivateEndpoints of the vault (group "vault"). Default none.
	PrivateEndpoints []avm.PrivateEndpoint
}

// KeyVault is the vault and its lock, role assignments, diagnostics and private endpoints.
type KeyVault struct {
	pulumi.ResourceState

	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// URI is the vault's data-plane endpoint, https://<name>.vault.azure.net/.
	URI pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	if a.ResourceGroupName == nil {
		errs = append(errs, errors.New("keyvault: ResourceGroupName is required"))
	}
	if a.Location == nil {
		errs = append(errs, errors.New("keyvault: Location is required"))
	}
	if a.Name == nil {
		errs = append(errs, errors.New("keyvault: Name is required"))
	}
	if a.TenantID == nil {
		errs = append(errs, errors.New("keyvault: TenantID is required"))
	}
	if a.Sku != "" && a.Sku != "standard" && a.Sku != "premium" {
		errs = append(errs, fmt.Errorf("keyvault: Sku %q: want standard or premium", a.Sku))
	}
	if d := a.SoftDeleteRetentionDays; d != 0 && (d < 7 || d > 90) {
		errs = append(errs, fmt.Errorf("keyvault: SoftDeleteRetentionDays %d: want 7-90", d))
	}
	return errors.Join(errs...)
}

// New creates the vault.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*KeyVault, error) {
	if args == nil {
		return nil, errors.New("keyvault: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	sku := keyvault.SkuNameStandard
	if args.Sku == "premium" {
		sku = keyvault.SkuNamePremium
	}
	retention := args.SoftDeleteRetentionDays
	if retention == 0 {
		retention = 90
	}

	c := &KeyVault{}
	if err := ctx.RegisterComponentResource("platform:keyvault:KeyVault", name, c, opts...); err != nil {
		return nil, err
	}
	props := keyvault.VaultPropertiesArgs{
		TenantId:                  args.TenantID,
		Sku:                       keyvault.SkuArgs{Family: pulumi.String("A"), Name: sku},
		EnableRbacAuthorization:   pulumi.Bool(true),
		EnableSoftDelete:          pulumi.Bool(true),
		SoftDeleteRetentionInDays: pulumi.Int(retention),
		PublicNetworkAccess:       pulumi.String("Disabled"),
		// Deny everything but the private endpoint; trusted Azure services (e.g. backup) may pass.
		NetworkAcls: &keyvault.NetworkRuleSetArgs{
			DefaultAction: pulumi.String("Deny"),
			Bypass:        pulumi.String("AzureServices"),
		},
		EnabledForDeployment:         pulumi.Bool(false),
		EnabledForDiskEncryption:     pulumi.Bool(false),
		EnabledForTemplateDeployment: pulumi.Bool(false),
	}
	if args.PurgeProtection {
		props.EnablePurgeProtection = pulumi.Bool(true)
	}
	vault, err := keyvault.NewVault(ctx, name, &keyvault.VaultArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		VaultName:         args.Name,
		Properties:        props,
		Tags:              args.Tags,
	}, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	id := vault.ID().ToStringOutput()
	target := avm.Target{ResourceGroupName: args.ResourceGroupName, Location: args.Location, Name: args.Name, ID: id, Tags: args.Tags}
	if err := avm.NewInterfaces(ctx, name, target, avm.Interfaces{
		Lock: args.Lock, RoleAssignments: args.RoleAssignments, DiagnosticSettings: args.DiagnosticSettings,
		PrivateEndpoints: args.PrivateEndpoints, PrivateEndpointGroup: "vault",
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}

	c.ID = id
	c.Name = vault.Name
	c.URI = vault.Properties.VaultUri()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"id": c.ID, "name": c.Name, "uri": c.URI}); err != nil {
		return nil, err
	}
	return c, nil
}
