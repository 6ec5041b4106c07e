package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

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
				if got != m.ID {
					t.Errorf("monitor workspace ID %v, want %s", got, m.ID)
				}
			} else if n := len(s.ByType(bindings.MonitorWorkspaceType)); n != 0 || got != "" {
				t.Errorf("without prometheus: %d workspaces, ID %v", n, got)
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
		if n := len(s.ByType(groupType)); n != 2 {
			t.Fatalf("%d groups, want 2", n)
		}
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
		if got := Output(t, s, "db"); got != Out(t, db, "objectId") {
			t.Errorf("database admins object ID %v, want the group's %v", got, Out(t, db, "objectId"))
		}
		if got := Output(t, s, "dbName"); got != "grp-saas-dev-database-admins" {
			t.Errorf("name %v", got)
		}
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
			if r.Custom {
				t.Errorf("created %s", r.Key())
			}
		}
		if Output(t, s, "platform") != "11111111-1111-1111-1111-111111111111" || Output(t, s, "db") != testGroupID || Output(t, s, "dbName") != "SQL Admins" {
			t.Errorf("outputs %v %v %v", Output(t, s, "platform"), Output(t, s, "db"), Output(t, s, "dbName"))
		}
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
	if err == nil || !strings.Contains(err.Error(), "PlatformAdmins.ObjectID must be empty") {
		t.Errorf("an object ID with CreateGroups must be refused, got %v", err)
	}
}
