package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values of real Entra-issued Azure DevOps tokens (published in public repositories): the tenant
// of the issuer and the t/ segment of the subject it issued, and Azure DevOps's a/ segment.
const (
	entraTenant  = "ff882432-09b0-437b-bd22-ca13c0037ded"
	entraSegment = "MiSI_7AJe0O9IsoTwAN97Q"
	adoSegment   = "rISbSSETf0KqFyZ8ppdXmA"
	orgID        = "0ca3ddd9-f0b0-4635-a98c-5866526961b6"
	connectionID = "64171687-7a59-4fce-b2c8-823278dcf176"
)

var (
	entraIssuer  = "https://login.microsoftonline.com/" + entraTenant + "/v2.0"
	entraSubject = "/eid1/c/pub/t/" + entraSegment + "/a/" + adoSegment + "/sc/" + orgID + "/" + connectionID
	vstokIssuer  = "https://vstoken.dev.azure.com/" + orgID
)

func TestEntraIDSegment(t *testing.T) {
	for guid, want := range map[string]string{
		entraTenant:                            entraSegment,
		AzureDevOpsApplicationID:               adoSegment,
		"7f4f3591-5f6c-4f7b-a1bd-0a2dd8831218": "kTVPf2xfe0-hvQot2IMSGA",
		"00000000-0000-0000-0000-000000000000": "AAAAAAAAAAAAAAAAAAAAAA",
	} {
		got, err := EntraIDSegment(guid)
		require.NoError(t, err, guid)
		assert.Equal(t, want, got, "segment of %s", guid)
	}
	_, err := EntraIDSegment("not-a-guid")
	assert.ErrorContains(t, err, "is not a GUID")
}

// pipeline returns the pipeline setting with the given Azure DevOps fields.
func pipeline(issuer, subject, organization string) string {
	ado := fmt.Sprintf(`"issuer":%q,"subject":%q`, issuer, subject)
	if organization != "" {
		ado += fmt.Sprintf(`,"organization":%q`, organization)
	}
	return `{"azureDevOps":{` + ado + `}}`
}

// TestAzureDevOpsFederationAccepted: both forms, as Azure DevOps emits them, spaces in project and
// connection names included; the organization comes from the sc:// subject or from the setting.
func TestAzureDevOpsFederationAccepted(t *testing.T) {
	tests := []struct {
		name, issuer, subject, organization string
		wantOrganization                    string
	}{
		{"entra", entraIssuer, entraSubject, "contoso", "contoso"},
		{"azure devops", vstokIssuer, "sc://contoso/platform/platform-dev", "", "contoso"},
		{"azure devops with spaces", vstokIssuer, "sc://contoso/Platform Team/Deploy Platform (dev)", "", "contoso"},
		{"azure devops with the organization given", vstokIssuer, "sc://Contoso-EU/p/c", "contoso-eu", "contoso-eu"},
		{"project with dots and hyphens", vstokIssuer, "sc://fabrikam/my.project-1/conn_1", "", "fabrikam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Parse(with(minimal(), "pipeline", pipeline(tt.issuer, tt.subject, tt.organization)))
			require.NoError(t, err)
			assert.Equal(t, tt.wantOrganization, env.Pipeline.AzureDevOps.Organization, "organization")
			assert.Equal(t, "https://dev.azure.com/"+tt.wantOrganization, env.Pipeline.AzureDevOps.OrganizationURL(), "organization URL")
			assert.Equal(t, tt.subject, env.Pipeline.AzureDevOps.Subject, "the subject is kept exactly as given")
		})
	}
}

func TestAzureDevOpsFederationRefused(t *testing.T) {
	entra := func(t, a, org, conn string) string {
		return "/eid1/c/pub/t/" + t + "/a/" + a + "/sc/" + org + "/" + conn
	}
	tests := []struct {
		name, issuer, subject, organization string
		key, want                           string
	}{
		{"issuer missing", "", entraSubject, "contoso", "pipeline.azureDevOps.issuer", "is required: https://login.microsoftonline.com/<Entra tenant ID>/v2.0"},
		{"issuer of another host", "https://example.com/" + entraTenant, entraSubject, "contoso", "pipeline.azureDevOps.issuer", "want https://login.microsoftonline.com/<Entra tenant ID>/v2.0 (Microsoft Entra issuer) or https://vstoken.dev.azure.com/<organization ID>"},
		{"entra issuer without /v2.0", "https://login.microsoftonline.com/" + entraTenant, entraSubject, "contoso", "pipeline.azureDevOps.issuer", "want https://login.microsoftonline.com/"},
		{"entra issuer with a trailing slash", entraIssuer + "/", entraSubject, "contoso", "pipeline.azureDevOps.issuer", "exactly as the service connection shows it"},
		{"entra issuer in uppercase", "https://login.microsoftonline.com/" + strings.ToUpper(entraTenant) + "/v2.0", entraSubject, "contoso", "pipeline.azureDevOps.issuer", "lowercase GUID"},
		{"vstoken issuer without a GUID", "https://vstoken.dev.azure.com/contoso", "sc://contoso/p/c", "", "pipeline.azureDevOps.issuer", "want https://login.microsoftonline.com/"},
		{"subject missing", entraIssuer, "", "contoso", "pipeline.azureDevOps.subject", "is required"},
		{"subject of neither form", entraIssuer, "repo:contoso/platform:environment:dev", "contoso", "pipeline.azureDevOps.subject", "(Microsoft Entra issuer) or sc://"},
		{"entra subject with the tenant GUID in clear", entraIssuer, entra(entraTenant, adoSegment, orgID, connectionID), "contoso", "pipeline.azureDevOps.subject", "/eid1/c/pub/t/<22 characters>"},
		{"entra subject with a short t/ segment", entraIssuer, entra("MiSI_7AJe0O9IsoTwAN97", adoSegment, orgID, connectionID), "contoso", "pipeline.azureDevOps.subject", "<22 characters>"},
		{"entra subject of another tenant", entraIssuer, entra("kTVPf2xfe0-hvQot2IMSGA", adoSegment, orgID, connectionID), "contoso", "pipeline.azureDevOps.subject", "its t/ segment kTVPf2xfe0-hvQot2IMSGA is not the tenant of pipeline.azureDevOps.issuer (" + entraTenant + " encodes as " + entraSegment + ")"},
		{"entra subject of another application", entraIssuer, entra(entraSegment, entraSegment, orgID, connectionID), "contoso", "pipeline.azureDevOps.subject", "the a/ segment \"" + entraSegment + "\" is not Azure DevOps (application " + AzureDevOpsApplicationID},
		{"entra subject with an uppercase GUID", entraIssuer, entra(entraSegment, adoSegment, strings.ToUpper(orgID), connectionID), "contoso", "pipeline.azureDevOps.subject", "lowercase GUIDs"},
		{"entra subject without the connection", entraIssuer, "/eid1/c/pub/t/" + entraSegment + "/a/" + adoSegment + "/sc/" + orgID, "contoso", "pipeline.azureDevOps.subject", "/sc/<organization ID>/<service connection ID>"},
		{"entra subject with a trailing space", entraIssuer, entraSubject + " ", "contoso", "pipeline.azureDevOps.subject", "as the service connection shows it"},
		{"entra form without the organization", entraIssuer, entraSubject, "", "pipeline.azureDevOps.organization", "is required: the Azure DevOps organization name"},
		{"entra issuer with an sc:// subject", entraIssuer, "sc://contoso/p/c", "", "pipeline.azureDevOps.subject", "is a subject of the Azure DevOps issuer but pipeline.azureDevOps.issuer is one of the Microsoft Entra issuer"},
		{"vstoken issuer with an entra subject", vstokIssuer, entraSubject, "contoso", "pipeline.azureDevOps.subject", "is a subject of the Microsoft Entra issuer but pipeline.azureDevOps.issuer is one of the Azure DevOps issuer"},
		{"sc subject with two parts", vstokIssuer, "sc://contoso/platform", "", "pipeline.azureDevOps.subject", "want sc://<organization>/<project>/<service connection>"},
		{"sc subject with a bad organization", vstokIssuer, "sc://-contoso/p/c", "", "pipeline.azureDevOps.subject", `organization "-contoso" is not an Azure DevOps organization name`},
		{"sc subject with an organization with a space", vstokIssuer, "sc://con toso/p/c", "", "pipeline.azureDevOps.subject", `organization "con toso"`},
		{"sc subject with an empty project", vstokIssuer, "sc://contoso//c", "", "pipeline.azureDevOps.subject", `project "" is empty`},
		{"sc subject with a forbidden project character", vstokIssuer, "sc://contoso/a&b/c", "", "pipeline.azureDevOps.subject", `project "a&b" contains one of`},
		{"sc subject with a project starting with _", vstokIssuer, "sc://contoso/_p/c", "", "pipeline.azureDevOps.subject", "starts with '_' or '.'"},
		{"sc subject with a reserved project name", vstokIssuer, "sc://contoso/web/c", "", "pipeline.azureDevOps.subject", `project "web" is a name Azure DevOps reserves`},
		{"sc subject with a project of 65 characters", vstokIssuer, "sc://contoso/" + strings.Repeat("p", 65) + "/c", "", "pipeline.azureDevOps.subject", "longer than 64 characters"},
		{"sc subject with a padded project", vstokIssuer, "sc://contoso/ platform/c", "", "pipeline.azureDevOps.subject", "leading or trailing spaces"},
		{"sc subject with an empty connection", vstokIssuer, "sc://contoso/p/", "", "pipeline.azureDevOps.subject", `service connection "" is empty`},
		{"sc subject with a padded connection", vstokIssuer, "sc://contoso/p/c ", "", "pipeline.azureDevOps.subject", `service connection "c " has leading or trailing spaces`},
		{"sc subject with a tab", vstokIssuer, "sc://contoso/p/c\td", "", "pipeline.azureDevOps.subject", "control character"},
		{"subject over 600 characters", vstokIssuer, "sc://contoso/p/" + strings.Repeat("c", 600), "", "pipeline.azureDevOps.subject", "Entra allows 600"},
		{"organization not the subject's", vstokIssuer, "sc://contoso/p/c", "fabrikam", "pipeline.azureDevOps.organization", "is not the organization of pipeline.azureDevOps.subject (contoso)"},
		{"organization malformed", entraIssuer, entraSubject, "https://dev.azure.com/contoso", "pipeline.azureDevOps.organization", "want an Azure DevOps organization name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(with(minimal(), "pipeline", pipeline(tt.issuer, tt.subject, tt.organization)))
			require.Error(t, err)
			var ps Problems
			require.True(t, errors.As(err, &ps), "want Problems, got %T", err)
			assert.True(t, slices.ContainsFunc(ps, func(p Problem) bool {
				return p.Key == tt.key && strings.Contains(p.Error(), tt.want)
			}), "no problem at %s mentioning %q in:\n%v", tt.key, tt.want, err)
		})
	}
}

// TestAzureDevOpsProblemsAtOnce: a wrong issuer, subject and organization are all reported.
func TestAzureDevOpsProblemsAtOnce(t *testing.T) {
	_, err := Parse(with(minimal(), "pipeline", pipeline("https://example.com", "sc://contoso/_p/c", "-x")))
	require.Error(t, err)
	for _, key := range []string{"platform:pipeline.azureDevOps.issuer", "platform:pipeline.azureDevOps.subject", "platform:pipeline.azureDevOps.organization"} {
		assert.Contains(t, err.Error(), key, "problems")
	}
}
