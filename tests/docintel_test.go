package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/docintel"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/netplan"
	"github.com/azure-saas-platform/platform/offline"
	"github.com/azure-saas-platform/platform/roles"
)

// docIntelArgs builds the component's args from an environment the way the aks layer does.
func docIntelArgs(t *testing.T, env string, overrides map[string]string) (*config.Env, *docintel.Args) {
	t.Helper()
	e := Env(t, env, overrides)
	b := BaseFixture(e)
	i := IdentityFixture(e)
	var ras []avm.RoleAssignment
	for _, s := range e.Services {
		if s.DocumentIntelligence {
			ras = append(ras, avm.RoleAssignment{Key: s.Name, Role: roles.CognitiveServicesUser, PrincipalID: i.IdentityPrincipalIDs.MapIndex(pulumi.String(s.Name))})
		}
	}
	return e, &docintel.Args{
		ResourceGroupName:  b.ResourceGroupName,
		Location:           b.Location,
		Name:               pulumi.String(fixtureGlobal(e).DocumentIntelligence),
		Sku:                e.DocumentIntelligence.Sku,
		Tags:               avm.Tags(e.ResourceTags()),
		RoleAssignments:    ras,
		DiagnosticSettings: &avm.DiagnosticSettings{WorkspaceID: b.LogAnalyticsID},
		PrivateEndpoints: []avm.PrivateEndpoint{{
			SubnetID:         b.SubnetIDs.MapIndex(pulumi.String(string(netplan.PrivateEndpoints))),
			PrivateDNSZoneID: b.PrivateDNSZoneIDs.MapIndex(pulumi.String("cognitiveServices")),
		}},
	}
}

func TestDocIntel(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			e, args := docIntelArgs(t, env, nil)
			s, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: env}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
				di, err := docintel.New(ctx, "docintel", args)
				if err != nil {
					return nil, err
				}
				return map[string]pulumi.Output{"endpoint": di.Endpoint, "principalId": di.PrincipalID, "id": di.ID}, nil
			})
			require.NoError(t, err)
			name := fixtureGlobal(e).DocumentIntelligence

			acct := One(t, s, "azure-native:cognitiveservices:Account")
			Equal(t, acct, "accountName", name)
			Equal(t, acct, "kind", "FormRecognizer")
			Equal(t, acct, "sku", map[string]any{"name": "S0"})
			Equal(t, acct, "location", e.Location)
			Equal(t, acct, "identity", map[string]any{"type": "SystemAssigned"})
			// Entra only, private only: no keys, no public endpoint, deny by default.
			Equal(t, acct, "properties", map[string]any{
				"customSubDomainName": name,
				"disableLocalAuth":    true,
				"publicNetworkAccess": "Disabled",
				"networkAcls":         map[string]any{"defaultAction": "Deny"},
			})
			Equal(t, acct, "tags.environment", env)

			pe := One(t, s, "azure-native:network:PrivateEndpoint")
			Equal(t, pe, "privateEndpointName", "pe-"+name+"-account")
			Equal(t, pe, "subnet.id", ARMID(e, "Microsoft.Network/virtualNetworks/"+e.Names.VirtualNetwork+"/subnets/"+e.Names.Subnets[netplan.PrivateEndpoints]))
			Equal(t, pe, "privateLinkServiceConnections[0].groupIds", []string{"account"})
			Equal(t, pe, "privateLinkServiceConnections[0].privateLinkServiceId", acct.ID)
			zg := One(t, s, "azure-native:network:PrivateDnsZoneGroup")
			Equal(t, zg, "privateDnsZoneConfigs[0].privateDnsZoneId", ARMID(e, "Microsoft.Network/privateDnsZones/privatelink.cognitiveservices.azure.com"))

			// Cognitive Services User for every configured service with documentIntelligence.
			var users []string
			for _, svc := range e.Services {
				if svc.DocumentIntelligence {
					users = append(users, principalOf(t, e, svc.Name))
				}
			}
			ras := s.ByType("azure-native:authorization:RoleAssignment")
			require.Len(t, ras, len(users), "one role assignment per service using Document Intelligence")
			var got []string
			for _, ra := range ras {
				got = append(got, In(t, ra, "principalId").(string))
				Equal(t, ra, "principalType", "ServicePrincipal")
				Equal(t, ra, "scope", acct.ID)
				Equal(t, ra, "roleDefinitionId", "/subscriptions/"+offline.SubscriptionID+"/providers/Microsoft.Authorization/roleDefinitions/"+roles.CognitiveServicesUser.ID)
			}
			assert.ElementsMatch(t, users, got, "principals")

			ds := One(t, s, "azure-native:insights:DiagnosticSetting")
			Equal(t, ds, "resourceUri", acct.ID)

			assert.Equal(t, "https://"+name+".cognitiveservices.azure.com/", Output(t, s, "endpoint"), "exported endpoint")
			assert.NotEmpty(t, Output(t, s, "principalId"), "exported principalId")
			assert.Equal(t, Out(t, acct, "identity.principalId"), Output(t, s, "principalId"), "exported principalId: the account's")
			assert.False(t, acct.Protect, "protected without Protect")
		})
	}
}

// TestDocIntelRoleAssignmentsFollowServices: every service with documentIntelligence gets the
// role, and no other.
func TestDocIntelRoleAssignmentsFollowServices(t *testing.T) {
	t.Parallel()
	services := `[{"name":"user-service","documentIntelligence":true},{"name":"subscription-service"},{"name":"llm-service","documentIntelligence":true}]`
	e, args := docIntelArgs(t, "dev", map[string]string{"services": services})
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := docintel.New(ctx, "docintel", args)
		return err
	})
	got := map[string]bool{}
	for _, ra := range s.ByType("azure-native:authorization:RoleAssignment") {
		got[In(t, ra, "principalId").(string)] = true
	}
	want := map[string]bool{principalOf(t, e, "user-service"): true, principalOf(t, e, "llm-service"): true}
	assert.Equal(t, want, got, "principals")
}

func TestDocIntelLockAndProtect(t *testing.T) {
	t.Parallel()
	_, args := docIntelArgs(t, "prod", nil)
	args.Protect = true
	args.Lock = avm.LockCanNotDelete
	s := RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := docintel.New(ctx, "docintel", args)
		return err
	})
	acct := One(t, s, "azure-native:cognitiveservices:Account")
	assert.True(t, acct.Protect, "not protected")

	lock := One(t, s, "azure-native:authorization:ManagementLockByScope")
	Equal(t, lock, "scope", acct.ID)
	Equal(t, lock, "level", "CanNotDelete")
}

func TestDocIntelValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := docintel.New(ctx, "docintel", &docintel.Args{Sku: "S1"})
		return err
	})
	ErrorMentions(t, err, "ResourceGroupName is required", "Location is required", "Name is required", `Sku "S1"`)
	// The name is an input (it carries the random suffix): its rule is checked when it resolves,
	// and a name that breaks it fails the run before the account is sent to Azure.
	_, args := docIntelArgs(t, "dev", nil)
	args.Name = pulumi.String("DI_bad")
	_, err = TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := docintel.New(ctx, "docintel", args)
		return err
	})
	ErrorMentions(t, err, `docintel: Name "DI_bad": want 2-64 lowercase letters, digits and '-'`)
}
