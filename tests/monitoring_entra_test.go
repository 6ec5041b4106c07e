package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/entra"
	"github.com/azure-saas-platform/platform/components/monitoring"
	"github.com/azure-saas-platform/platform/offline"
)

func TestMonitoring(t *testing.T) {
	for _, prometheus := range []bool{true, false} {
		t.Run(map[bool]string{true: "with prometheus", false: "without"}[prometheus], func(t *testing.T) {
			t.Parallel()
			amw := ""
			if prometheus {
				amw = "amw-saas-dev-weu"
			}
			s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
				c, err := monitoring.New(ctx, "monitoring", &monitoring.Args{
					ResourceGroupName:    pulumi.String("rg-saas-dev-weu"),
					Location:             pulumi.String("westeurope"),
					Name:                 "log-saas-dev-weu",
					RetentionDays:        90,
					MonitorWorkspaceName: amw,
					Tags:                 pulumi.StringMap{"environment": pulumi.String("dev")},
				})
				if err != nil {
					return nil, err
				}
				return map[string]pulumi.Output{"amw": c.MonitorWorkspaceID}, nil
			})
			ws := One(t, s, "azure-native:operationalinsights:Workspace")
			Equal(t, ws, "workspaceName", "log-saas-dev-weu")
			Equal(t, ws, "sku", map[string]any{"name": "PerGB2018"})
			Equal(t, ws, "retentionInDays", 90)
			Equal(t, ws, "features", map[string]any{"disableLocalAuth": true, "enableLogAccessUsingOnlyResourcePermissions": true})
			Equal(t, ws, "tags", map[string]any{"environment": "dev"})
			got := Output(t, s, "amw")
			if prometheus {
				m := One(t, s, bindings.MonitorWorkspaceType)
				Equal(t, m, "azureMonitorWorkspaceName", "amw-saas-dev-weu")
				Equal(t, m, "tags", map[string]any{"environment": "dev"})
				// Only the writable inputs of 2023-04-03: publicNetworkAccess is read-only there.
				Absent(t, m, "publicNetworkAccess")
				assert.Equal(t, normalize(map[string]any{"resourceGroupName": "rg-saas-dev-weu", "azureMonitorWorkspaceName": "amw-saas-dev-weu",
					"location": "westeurope", "tags": map[string]any{"environment": "dev"}}), normalize(plainInputs(m)), "%s: inputs", m.Key())
				assert.Equal(t, m.ID, got, "exported monitor workspace ID")
			} else {
				assert.Empty(t, s.ByType(bindings.MonitorWorkspaceType), "without prometheus: workspaces")
				assert.Equal(t, "", got, "without prometheus: exported workspace ID")
			}
		})
	}
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := monitoring.New(ctx, "m", &monitoring.Args{RetentionDays: 10})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName", "Location", "Name", "RetentionDays 10")
}

const groupType = "azuread:index/group:Group"

func TestEntra(t *testing.T) {
	t.Run("create", func(t *testing.T) {
		t.Parallel()
		s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
			c, err := entra.New(ctx, "entra", &entra.Args{
				CreateGroups:   true,
				PlatformAdmins: entra.Group{Name: "grp-saas-dev-platform-admins", Description: "platform"},
				DatabaseAdmins: entra.Group{Name: "grp-saas-dev-database-admins", Description: "databases"},
			})
			if err != nil {
				return nil, err
			}
			return map[string]pulumi.Output{"db": c.DatabaseAdminsObjectID, "dbName": c.DatabaseAdminsName}, nil
		})
		require.Len(t, s.ByType(groupType), 2, "groups")
		for name, display := range map[string]string{"entra-platform-admins": "grp-saas-dev-platform-admins", "entra-database-admins": "grp-saas-dev-database-admins"} {
			g := Named(t, s, groupType, name)
			Equal(t, g, "displayName", display)
			Equal(t, g, "securityEnabled", true)
			Equal(t, g, "mailEnabled", false)
			Equal(t, g, "preventDuplicateNames", true)
			Equal(t, g, "description", map[string]string{"entra-platform-admins": "platform", "entra-database-admins": "databases"}[name])
			// Owned by the deploying principal (azuread's client config), never ownerless.
			Equal(t, g, "owners", []string{offline.DeployerID})
		}
		db := Named(t, s, groupType, "entra-database-admins")
		assert.Equal(t, Out(t, db, "objectId"), Output(t, s, "db"), "database admins object ID: the group's")
		assert.Equal(t, "grp-saas-dev-database-admins", Output(t, s, "dbName"), "database admins name")
	})
	t.Run("existing", func(t *testing.T) {
		t.Parallel()
		s := runExporting(t, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
			c, err := entra.New(ctx, "entra", &entra.Args{
				PlatformAdmins: entra.Group{Name: "grp-saas-prod-platform-admins", ObjectID: "11111111-1111-1111-1111-111111111111"},
				DatabaseAdmins: entra.Group{Name: "SQL Admins", ObjectID: testGroupID},
			})
			if err != nil {
				return nil, err
			}
			return map[string]pulumi.Output{"platform": c.PlatformAdminsObjectID, "db": c.DatabaseAdminsObjectID, "dbName": c.DatabaseAdminsName}, nil
		})
		// Nothing is created: the IDs pass through.
		for _, r := range s.Resources {
			assert.False(t, r.Custom, "created %s", r.Key())
		}
		assert.Equal(t, "11111111-1111-1111-1111-111111111111", Output(t, s, "platform"), "platform admins object ID")
		assert.Equal(t, testGroupID, Output(t, s, "db"), "database admins object ID")
		assert.Equal(t, "SQL Admins", Output(t, s, "dbName"), "database admins name")
	})
}

func TestEntraValidatesEverythingAtOnce(t *testing.T) {
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := entra.New(ctx, "e", &entra.Args{PlatformAdmins: entra.Group{ObjectID: "admins"}})
		return err
	})
	ErrorMentions(t, err, "PlatformAdmins.Name", "DatabaseAdmins.Name", `PlatformAdmins.ObjectID "admins"`, `DatabaseAdmins.ObjectID ""`)
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := entra.New(ctx, "e", &entra.Args{CreateGroups: true, PlatformAdmins: entra.Group{Name: "a", ObjectID: testGroupID}, DatabaseAdmins: entra.Group{Name: "b"}})
		return err
	})
	assert.ErrorContains(t, err, "PlatformAdmins.ObjectID must be empty", "an object ID with CreateGroups must be refused")

}
