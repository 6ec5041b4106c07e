// Package entra holds the platform's Microsoft Entra ID security groups: platform admins (cluster
// and platform administration) and database admins (the Entra administrator of SQL and
// PostgreSQL). It creates them with the azuread provider, or, when the deployer may not create
// groups, passes the object IDs of existing groups through and creates nothing.
package entra

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/check"
)

// Group is one group: created (Name) or existing (ObjectID and Name).
type Group struct {
	// Name is the group's display name. Required.
	Name string
	// ObjectID is the object ID of an existing group. Required when CreateGroups is false,
	// refused otherwise.
	ObjectID string
	// Description of a created group. Default: none.
	Description string
}

// Args configures the groups.
type Args struct {
	// CreateGroups creates both groups; false uses the existing groups' object IDs. Default
	// false (the zero value: nothing is created unless asked).
	CreateGroups bool
	// PlatformAdmins is the platform administrators' group. Required.
	PlatformAdmins Group
	// DatabaseAdmins is the database administrators' group. Required.
	DatabaseAdmins Group
	// Owners are the object IDs of the created groups' owners. Default: the deploying principal
	// (from the azuread provider), so a created group is never ownerless.
	Owners pulumi.StringArrayInput
}

// Entra is the two groups' object IDs and display names.
type Entra struct {
	pulumi.ResourceState

	PlatformAdminsObjectID pulumi.StringOutput
	PlatformAdminsName     pulumi.StringOutput
	DatabaseAdminsObjectID pulumi.StringOutput
	DatabaseAdminsName     pulumi.StringOutput
}

func (a *Args) validate() error {
	var errs []error
	for field, g := range map[string]Group{"PlatformAdmins": a.PlatformAdmins, "DatabaseAdmins": a.DatabaseAdmins} {
		if g.Name == "" {
			errs = append(errs, fmt.Errorf("entra: %s.Name is required", field))
		}
		switch {
		case a.CreateGroups && g.ObjectID != "":
			errs = append(errs, fmt.Errorf("entra: %s.ObjectID must be empty when CreateGroups is true", field))
		case !a.CreateGroups && !check.GUID(g.ObjectID):
			errs = append(errs, fmt.Errorf("entra: %s.ObjectID %q: want the object ID (a GUID) of an existing group", field, g.ObjectID))
		}
	}
	return errors.Join(errs...)
}

// New creates the groups, or passes existing ones through.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Entra, error) {
	if args == nil {
		return nil, errors.New("entra: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Entra{}
	if err := ctx.RegisterComponentResource("platform:entra:Entra", name, c, opts...); err != nil {
		return nil, err
	}

	c.PlatformAdminsName = pulumi.String(args.PlatformAdmins.Name).ToStringOutput()
	c.DatabaseAdminsName = pulumi.String(args.DatabaseAdmins.Name).ToStringOutput()
	if args.CreateGroups {
		owners := args.Owners
		if owners == nil {
			deployer := azuread.GetClientConfigOutput(ctx, pulumi.Parent(c))
			owners = pulumi.StringArray{deployer.ObjectId()}
		}
		create := func(suffix string, g Group) (pulumi.StringOutput, error) {
			gargs := &azuread.GroupArgs{
				DisplayName:     pulumi.String(g.Name),
				SecurityEnabled: pulumi.Bool(true),
				MailEnabled:     pulumi.Bool(false),
				// A second group of the same name would make the SQL administrator login
				// ambiguous.
				PreventDuplicateNames: pulumi.Bool(true),
				Owners:                owners,
			}
			if g.Description != "" {
				gargs.Description = pulumi.String(g.Description)
			}
			grp, err := azuread.NewGroup(ctx, name+"-"+suffix, gargs, pulumi.Parent(c))
			if err != nil {
				return pulumi.StringOutput{}, err
			}
			return grp.ObjectId, nil
		}
		var err error
		if c.PlatformAdminsObjectID, err = create("platform-admins", args.PlatformAdmins); err != nil {
			return nil, err
		}
		if c.DatabaseAdminsObjectID, err = create("database-admins", args.DatabaseAdmins); err != nil {
			return nil, err
		}
	} else {
		c.PlatformAdminsObjectID = pulumi.String(args.PlatformAdmins.ObjectID).ToStringOutput()
		c.DatabaseAdminsObjectID = pulumi.String(args.DatabaseAdmins.ObjectID).ToStringOutput()
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"platformAdminsObjectId": c.PlatformAdminsObjectID, "platformAdminsName": c.PlatformAdminsName,
		"databaseAdminsObjectId": c.DatabaseAdminsObjectID, "databaseAdminsName": c.DatabaseAdminsName,
	}); err != nil {
		return nil, err
	}
	return c, nil
}
