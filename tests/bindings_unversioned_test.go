package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/offline"
)

// The bindings that replace generated packages (authorization, resources, operationalinsights,
// insights) must register exactly what the generated constructors did: the unversioned token, the
// generated aliases (their count here; their tokens were compared with the generated code's
// registrations when the packages were replaced), and the generated defaults.

func TestBindingsOfReplacedPackages(t *testing.T) {
	t.Parallel()
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		id := pulumi.String("/subscriptions/s/resourceGroups/rg")
		if _, err := bindings.NewRoleAssignment(ctx, "ra-default", &bindings.RoleAssignmentArgs{
			PrincipalId: pulumi.String("p"), RoleDefinitionId: pulumi.String("/role"), Scope: id,
		}); err != nil {
			return err
		}
		if _, err := bindings.NewRoleAssignment(ctx, "ra-sp", &bindings.RoleAssignmentArgs{
			PrincipalId: pulumi.String("p"), RoleDefinitionId: pulumi.String("/role"), Scope: id,
			PrincipalType: pulumi.String("ServicePrincipal"),
		}); err != nil {
			return err
		}
		if _, err := bindings.NewManagementLockByScope(ctx, "lock", &bindings.ManagementLockByScopeArgs{
			Level: pulumi.String("CanNotDelete"), Scope: id,
		}); err != nil {
			return err
		}
		if _, err := bindings.NewResourceGroup(ctx, "rg", nil); err != nil {
			return err
		}
		if _, err := bindings.NewWorkspace(ctx, "log", &bindings.WorkspaceArgs{ResourceGroupName: pulumi.String("rg")}); err != nil {
			return err
		}
		rg := &bindings.DataCollectionEndpointArgs{ResourceGroupName: pulumi.String("rg")}
		if _, err := bindings.NewDataCollectionEndpoint(ctx, "dce", rg); err != nil {
			return err
		}
		if _, err := bindings.NewDataCollectionRule(ctx, "dcr", &bindings.DataCollectionRuleArgs{
			ResourceGroupName: pulumi.String("rg"),
			DataFlows:         []bindings.DataFlow{{Streams: pulumi.StringArray{pulumi.String("s")}, Destinations: pulumi.StringArray{pulumi.String("d")}}},
		}); err != nil {
			return err
		}
		if _, err := bindings.NewDataCollectionRuleAssociation(ctx, "dcra", &bindings.DataCollectionRuleAssociationArgs{ResourceUri: id}); err != nil {
			return err
		}
		_, err := bindings.NewDiagnosticSetting(ctx, "diag", &bindings.DiagnosticSettingArgs{
			ResourceUri: id,
			Logs:        []bindings.LogSettings{{CategoryGroup: pulumi.String("allLogs"), Enabled: pulumi.Bool(true)}},
		})
		return err
	})

	for _, c := range []struct {
		token, name string
		aliases     int
	}{
		{"azure-native:authorization:RoleAssignment", "ra-default", 9},
		{"azure-native:authorization:ManagementLockByScope", "lock", 3},
		{"azure-native:resources:ResourceGroup", "rg", 23},
		{"azure-native:operationalinsights:Workspace", "log", 9},
		{"azure-native:insights:DataCollectionEndpoint", "dce", 4},
		{"azure-native:insights:DataCollectionRule", "dcr", 5},
		{"azure-native:insights:DataCollectionRuleAssociation", "dcra", 5},
		{"azure-native:insights:DiagnosticSetting", "diag", 2},
	} {
		r := Named(t, s, c.token, c.name)
		assert.Equal(t, providerVersion, r.Version, "%s: provider version", r.Key())
		assert.Empty(t, r.Provider, "%s: explicit provider", r.Key())
		assert.Equal(t, c.aliases, r.Aliases, "%s: the generated constructor's aliases", r.Key())
	}
	// The generated RoleAssignment constructor's only default.
	Equal(t, Named(t, s, "azure-native:authorization:RoleAssignment", "ra-default"), "principalType", "User")
	Equal(t, Named(t, s, "azure-native:authorization:RoleAssignment", "ra-sp"), "principalType", "ServicePrincipal")
	Equal(t, Named(t, s, "azure-native:insights:DataCollectionRule", "dcr"), "dataFlows",
		[]any{map[string]any{"streams": []any{"s"}, "destinations": []any{"d"}}})
	Equal(t, Named(t, s, "azure-native:insights:DiagnosticSetting", "diag"), "logs",
		[]any{map[string]any{"categoryGroup": "allLogs", "enabled": true}})
	assert.Empty(t, s.ByType("azure-native:resources:ResourceGroup")[0].Inputs, "nil ResourceGroupArgs: no inputs")
}

func TestBindingsOfReplacedPackagesRequireTheirInputs(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		create func(ctx *pulumi.Context) error
		wants  []string
	}{
		"RoleAssignment": {func(ctx *pulumi.Context) error {
			_, err := bindings.NewRoleAssignment(ctx, "ra", &bindings.RoleAssignmentArgs{})
			return err
		}, []string{"PrincipalId", "RoleDefinitionId", "Scope"}},
		"ManagementLockByScope": {func(ctx *pulumi.Context) error {
			_, err := bindings.NewManagementLockByScope(ctx, "l", &bindings.ManagementLockByScopeArgs{})
			return err
		}, []string{"Level", "Scope"}},
		"Workspace": {func(ctx *pulumi.Context) error {
			_, err := bindings.NewWorkspace(ctx, "w", &bindings.WorkspaceArgs{})
			return err
		}, []string{"ResourceGroupName"}},
		"DataCollectionEndpoint": {func(ctx *pulumi.Context) error {
			_, err := bindings.NewDataCollectionEndpoint(ctx, "e", &bindings.DataCollectionEndpointArgs{})
			return err
		}, []string{"ResourceGroupName"}},
		"DataCollectionRule": {func(ctx *pulumi.Context) error {
			_, err := bindings.NewDataCollectionRule(ctx, "r", &bindings.DataCollectionRuleArgs{})
			return err
		}, []string{"ResourceGroupName"}},
		"DataCollectionRuleAssociation": {func(ctx *pulumi.Context) error {
			_, err := bindings.NewDataCollectionRuleAssociation(ctx, "a", &bindings.DataCollectionRuleAssociationArgs{})
			return err
		}, []string{"ResourceUri"}},
		"DiagnosticSetting": {func(ctx *pulumi.Context) error {
			_, err := bindings.NewDiagnosticSetting(ctx, "d", &bindings.DiagnosticSettingArgs{})
			return err
		}, []string{"ResourceUri"}},
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			s := RunProgram(t, func(ctx *pulumi.Context) error {
				err = c.create(ctx)
				return nil
			})
			ErrorMentions(t, err, c.wants...)
			assert.Empty(t, s.Resources, "nothing registered")
		})
	}
}

func TestBindingGetClientConfig(t *testing.T) {
	t.Parallel()
	var got *bindings.ClientConfig
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		var err error
		got, err = bindings.GetClientConfig(ctx)
		return err
	})
	require.NotNil(t, got)
	assert.Equal(t, bindings.ClientConfig{
		ClientID: offline.DeployerID, ObjectID: offline.DeployerID,
		SubscriptionID: offline.SubscriptionID, TenantID: offline.TenantID,
	}, *got)
	require.Len(t, s.Calls, 1)
	assert.Equal(t, "azure-native:authorization:getClientConfig", s.Calls[0].Token)
}
