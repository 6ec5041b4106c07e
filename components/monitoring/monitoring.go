// Package monitoring is the platform's observability store: a Log Analytics workspace that every
// component's diagnostic settings send to, and, for managed Prometheus, an Azure Monitor
// workspace.
package monitoring

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/avm"
)

// Args configures the workspaces.
type Args struct {
	// ResourceGroupName holds the workspaces. Required.
	ResourceGroupName pulumi.StringInput
	// Location of the workspaces. Required.
	Location pulumi.StringInput
	// Name is the Log Analytics workspace's Azure name. Required.
	Name string
	// RetentionDays is the Log Analytics retention, 30-730. Default 30.
	RetentionDays int
	// MonitorWorkspaceName is the Azure Monitor workspace's Azure name; "" creates none (no managed
	// Prometheus). Default "".
	MonitorWorkspaceName string
	// Tags of the workspaces. Default none.
	Tags pulumi.StringMapInput
	// RoleAssignments on the Log Analytics workspace. Default none.
	RoleAssignments []avm.RoleAssignment
}

// Monitoring is the workspaces.
type Monitoring struct {
	pulumi.ResourceState

	// WorkspaceID is the Log Analytics workspace's resource ID (the target of diagnostic settings).
	WorkspaceID pulumi.StringOutput
	// MonitorWorkspaceID is the Azure Monitor workspace's resource ID, or "" when there is none.
	MonitorWorkspaceID pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	if a.ResourceGroupName == nil {
		errs = append(errs, errors.New("monitoring: ResourceGroupName is required"))
	}
	if a.Location == nil {
		errs = append(errs, errors.New("monitoring: Location is required"))
	}
	if a.Name == "" {
		errs = append(errs, errors.New("monitoring: Name is required"))
	}
	if d := a.RetentionDays; d != 0 && (d < 30 || d > 730) {
		errs = append(errs, fmt.Errorf("monitoring: RetentionDays %d: want 30-730", d))
	}
	return errors.Join(errs...)
}

// New creates the workspaces.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if args == nil {
		return nil, errors.New("monitoring: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	retention := args.RetentionDays
	if retention == 0 {
		retention = 30
	}
	c := &Monitoring{}
	if err := ctx.RegisterComponentResource("platform:monitoring:Monitoring", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	ws, err := bindings.NewWorkspace(ctx, name, &bindings.WorkspaceArgs{
		ResourceGroupName: args.ResourceGroupName,
		Location:          args.Location,
		WorkspaceName:     pulumi.String(args.Name),
		Sku:               &bindings.WorkspaceSku{Name: pulumi.String("PerGB2018")},
		RetentionInDays:   pulumi.Int(retention),
		Features: &bindings.WorkspaceFeatures{
			// Entra only: no workspace keys for agents or the data collector API (the AKS
			// monitoring agent uses its managed identity).
			DisableLocalAuth: pulumi.Bool(true),
			// Readers of a resource see its logs without workspace-wide access.
			EnableLogAccessUsingOnlyResourcePermissions: pulumi.Bool(true),
		},
		Tags: args.Tags,
	}, child)
	if err != nil {
		return nil, err
	}
	id := ws.ID().ToStringOutput()
	if err := avm.NewRoleAssignments(ctx, name, id, args.RoleAssignments, child); err != nil {
		return nil, err
	}

	monitorID := pulumi.String("").ToStringOutput()
	if args.MonitorWorkspaceName != "" {
		amw, err := bindings.NewMonitorWorkspace(ctx, name+"-prometheus", &bindings.MonitorWorkspaceArgs{
			ResourceGroupName:         args.ResourceGroupName,
			AzureMonitorWorkspaceName: pulumi.String(args.MonitorWorkspaceName),
			Location:                  args.Location,
			Tags:                      args.Tags,
		}, child)
		if err != nil {
			return nil, err
		}
		monitorID = amw.ID().ToStringOutput()
	}

	c.WorkspaceID = id
	c.MonitorWorkspaceID = monitorID
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"workspaceId": c.WorkspaceID, "monitorWorkspaceId": c.MonitorWorkspaceID}); err != nil {
		return nil, err
	}
	return c, nil
}
