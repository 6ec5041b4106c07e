package config

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Azure DevOps workload identity federation: the issuer and subject of a service connection's
// token, in the two forms Azure DevOps issues.
//
// The Microsoft Entra form (the default of service connections created since the change was
// announced in Azure DevOps sprint 253, and the only one after Microsoft retires the Azure DevOps
// issuer for single-tenant apps and managed identities on 2027-07-01, Learn: "Convert service
// connections from the Azure DevOps issuer to the Microsoft Entra issuer"):
//
//	issuer  https://login.microsoftonline.com/<Entra tenant ID>/v2.0
//	subject /eid1/c/pub/t/<tenant>/a/<application>/sc/<organization ID>/<service connection ID>
//
// Microsoft's release note calls the part before /sc/ "<entra prefix>". In every subject Azure
// DevOps emits, t/ is the issuer's tenant and a/ is Azure DevOps's own application
// (499b84ac-1321-427f-aa17-267ca6975798, the token's azp claim), each as the base64url encoding,
// without padding, of the GUID's 16 bytes in Microsoft's GUID byte order (the first three groups
// little-endian: .NET Guid.ToByteArray): 22 characters.
//
// The Azure DevOps form (older connections, until they are converted):
//
//	issuer  https://vstoken.dev.azure.com/<organization ID>
//	subject sc://<organization>/<project>/<service connection name>
//
// Names appear as they are, spaces included: the federated credential must hold the exact string.

// AzureDevOpsApplicationID is the application (client) ID of Azure DevOps in Microsoft Entra ID.
const AzureDevOpsApplicationID = "499b84ac-1321-427f-aa17-267ca6975798"

// Issuer and subject shapes (GUIDs lowercase, as Azure DevOps writes them: Entra compares both
// strings exactly).
var (
	reEntraIssuer  = regexp.MustCompile(`^https://login\.microsoftonline\.com/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/v2\.0$`)
	reVstokIssuer  = regexp.MustCompile(`^https://vstoken\.dev\.azure\.com/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	reEntraSubject = regexp.MustCompile(`^/eid1/c/pub/t/([A-Za-z0-9_-]{22})/a/([A-Za-z0-9_-]{22})/sc/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	// Azure DevOps organization names: English letters, digits and hyphens, starting and ending
	// with a letter or digit, at most 50 characters (Learn: "Naming restrictions").
	reADOOrganization = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?$`)
)

// adoProjectForbidden are the printable characters Azure DevOps refuses in project names.
const adoProjectForbidden = `/:\~&%;@'"?<>|#$*}{,+=[]`

// adoReservedProjectNames may not name a project (Learn: "Naming restrictions", project names).
var adoReservedProjectNames = []string{"PRN", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM10",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "NUL", "CON", "AUX", "SERVER", "SignalR", "DefaultCollection", "Web",
	"App_Browsers", "App_code", "App_Data", "App_GlobalResources", "App_LocalResources", "App_Themes", "App_WebResources", "bin", "web.config"}

// Entra limits of a federated identity credential's issuer and subject.
const maxFederationField = 600

// Forms of an Azure DevOps federation.
const (
	ADOFormEntra       = "entra"
	ADOFormAzureDevOps = "azureDevOps"
)

// EntraIDSegment encodes a GUID the way an Entra-issued subject carries it in its t/ and a/
// segments: base64url without padding of its bytes in Microsoft's GUID byte order.
func EntraIDSegment(guid string) (string, error) {
	b, err := guidBytes(guid)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// guidBytes returns a GUID's 16 bytes in Microsoft's order: the first three groups little-endian.
func guidBytes(guid string) ([]byte, error) {
	parts := strings.Split(guid, "-")
	if len(parts) != 5 || len(parts[0]) != 8 || len(parts[1]) != 4 || len(parts[2]) != 4 || len(parts[3]) != 4 || len(parts[4]) != 12 {
		return nil, fmt.Errorf("%q is not a GUID", guid)
	}
	raw, err := hex.DecodeString(strings.Join(parts, ""))
	if err != nil {
		return nil, fmt.Errorf("%q is not a GUID", guid)
	}
	slices.Reverse(raw[0:4])
	slices.Reverse(raw[4:6])
	slices.Reverse(raw[6:8])
	return raw, nil
}

// AzureDevOpsSubject is an Azure DevOps subject split into its parts.
type AzureDevOpsSubject struct {
	// Form is ADOFormEntra or ADOFormAzureDevOps.
	Form string
	// TenantSegment and ApplicationSegment are the t/ and a/ segments (Entra form).
	TenantSegment, ApplicationSegment string
	// OrganizationID and ConnectionID are the GUIDs after /sc/ (Entra form).
	OrganizationID, ConnectionID string
	// Organization, Project and Connection are the names of the Azure DevOps form.
	Organization, Project, Connection string
}

// ParseAzureDevOpsSubject parses either form of subject, checking every part; the error says
// what is wrong.
func ParseAzureDevOpsSubject(subject string) (AzureDevOpsSubject, error) {
	if len(subject) > maxFederationField {
		return AzureDevOpsSubject{}, fmt.Errorf("is %d characters long; Entra allows %d", len(subject), maxFederationField)
	}
	if rest, ok := strings.CutPrefix(subject, "sc://"); ok {
		org, rest, _ := strings.Cut(rest, "/")
		project, connection, found := strings.Cut(rest, "/")
		if !found {
			return AzureDevOpsSubject{}, fmt.Errorf("want sc://<organization>/<project>/<service connection>")
		}
		var problems []string
		if !reADOOrganization.MatchString(org) {
			problems = append(problems, fmt.Sprintf("organization %q is not an Azure DevOps organization name (English letters, digits and '-', starting and ending with a letter or digit, at most 50)", org))
		}
		if why := adoProjectProblem(project); why != "" {
			problems = append(problems, fmt.Sprintf("project %q %s", project, why))
		}
		if why := adoConnectionProblem(connection); why != "" {
			problems = append(problems, fmt.Sprintf("service connection %q %s", connection, why))
		}
		if len(problems) > 0 {
			return AzureDevOpsSubject{}, fmt.Errorf("%s (want sc://<organization>/<project>/<service connection>, names as Azure DevOps shows them, spaces included)", strings.Join(problems, "; "))
		}
		return AzureDevOpsSubject{Form: ADOFormAzureDevOps, Organization: org, Project: project, Connection: connection}, nil
	}
	if strings.HasPrefix(subject, "/eid1/") {
		m := reEntraSubject.FindStringSubmatch(subject)
		if m == nil {
			return AzureDevOpsSubject{}, fmt.Errorf("want /eid1/c/pub/t/<22 characters>/a/<22 characters>/sc/<organization ID>/<service connection ID> (lowercase GUIDs), as the service connection shows it")
		}
		s := AzureDevOpsSubject{Form: ADOFormEntra, TenantSegment: m[1], ApplicationSegment: m[2], OrganizationID: m[3], ConnectionID: m[4]}
		if b, err := base64.RawURLEncoding.DecodeString(s.TenantSegment); err != nil || len(b) != 16 {
			return AzureDevOpsSubject{}, fmt.Errorf("the t/ segment %q is not a base64url-encoded tenant ID", s.TenantSegment)
		}
		if want, _ := EntraIDSegment(AzureDevOpsApplicationID); s.ApplicationSegment != want {
			return AzureDevOpsSubject{}, fmt.Errorf("the a/ segment %q is not Azure DevOps (application %s, encoded %s): this subject was not issued for an Azure DevOps service connection", s.ApplicationSegment, AzureDevOpsApplicationID, want)
		}
		return s, nil
	}
	return AzureDevOpsSubject{}, fmt.Errorf("want /eid1/c/pub/t/<tenant>/a/<application>/sc/<organization ID>/<service connection ID> (Microsoft Entra issuer) or sc://<organization>/<project>/<service connection> (Azure DevOps issuer)")
}

// adoProjectProblem says why a project name is not one Azure DevOps allows ("" if it is).
func adoProjectProblem(p string) string {
	switch {
	case p == "":
		return "is empty"
	case utf8.RuneCountInString(p) > 64:
		return "is longer than 64 characters"
	case strings.TrimSpace(p) != p:
		return "has leading or trailing spaces (Entra matches the subject exactly; copy it from the service connection)"
	case strings.ContainsFunc(p, unicode.IsControl):
		return "contains a control character"
	case strings.ContainsAny(p, adoProjectForbidden):
		return "contains one of " + adoProjectForbidden + ", which Azure DevOps refuses in project names"
	case strings.HasPrefix(p, "_"), strings.HasPrefix(p, "."), strings.HasSuffix(p, "."):
		return "starts with '_' or '.', or ends with '.', which Azure DevOps refuses in project names"
	case slices.ContainsFunc(adoReservedProjectNames, func(r string) bool { return strings.EqualFold(r, p) }):
		return "is a name Azure DevOps reserves"
	}
	return ""
}

// adoConnectionProblem says why a service connection name cannot be part of a subject ("" if it
// can). Azure DevOps documents no character rules for service connection names; the subject
// holds the name as it is.
func adoConnectionProblem(c string) string {
	switch {
	case c == "":
		return "is empty"
	case strings.TrimSpace(c) != c:
		return "has leading or trailing spaces (Entra matches the subject exactly; copy it from the service connection)"
	case strings.ContainsFunc(c, unicode.IsControl):
		return "contains a control character"
	}
	return ""
}

// validateAzureDevOps checks the service connection's issuer and subject, each precisely and
// against each other, and derives the organization from an sc:// subject when it is not set.
func validateAzureDevOps(ado *AzureDevOps, ps *Problems) {
	const ik, sk, ok = "pipeline.azureDevOps.issuer", "pipeline.azureDevOps.subject", "pipeline.azureDevOps.organization"
	issuerForm, tenant := "", ""
	switch m1, m2 := reEntraIssuer.FindStringSubmatch(ado.Issuer), reVstokIssuer.FindStringSubmatch(ado.Issuer); {
	case ado.Issuer == "":
		ps.missing(ik, "https://login.microsoftonline.com/<Entra tenant ID>/v2.0 (or, for a connection not yet converted, https://vstoken.dev.azure.com/<organization ID>), the Issuer of the service connection")
	case m1 != nil:
		issuerForm, tenant = ADOFormEntra, m1[1]
	case m2 != nil:
		issuerForm = ADOFormAzureDevOps
	default:
		ps.add(ik, ado.Issuer, "want https://login.microsoftonline.com/<Entra tenant ID>/v2.0 (Microsoft Entra issuer) or https://vstoken.dev.azure.com/<organization ID> (Azure DevOps issuer), with a lowercase GUID, exactly as the service connection shows it")
	}

	var subject AzureDevOpsSubject
	if ado.Subject == "" {
		ps.missing(sk, "/eid1/c/pub/t/<tenant>/a/<application>/sc/<organization ID>/<service connection ID> (or sc://<organization>/<project>/<service connection>), the Subject identifier of the service connection")
	} else if s, err := ParseAzureDevOpsSubject(ado.Subject); err != nil {
		ps.add(sk, ado.Subject, "%v", err)
	} else {
		subject = s
	}

	switch {
	case issuerForm == "" || subject.Form == "":
	case issuerForm != subject.Form:
		ps.add(sk, ado.Subject, "is a subject of the %s issuer but %s is one of the %s issuer: copy both from the same service connection", formName(subject.Form), ik, formName(issuerForm))
	case issuerForm == ADOFormEntra:
		if want, _ := EntraIDSegment(tenant); subject.TenantSegment != want {
			ps.add(sk, ado.Subject, "its t/ segment %s is not the tenant of %s (%s encodes as %s): copy both from the same service connection", subject.TenantSegment, ik, tenant, want)
		}
	}

	switch org := ado.Organization; {
	case org != "" && !reADOOrganization.MatchString(org):
		ps.add(ok, org, "want an Azure DevOps organization name (English letters, digits and '-', starting and ending with a letter or digit, at most 50), as in https://dev.azure.com/<organization>")
	case org != "" && subject.Form == ADOFormAzureDevOps && !strings.EqualFold(org, subject.Organization):
		ps.add(ok, org, "is not the organization of %s (%s)", sk, subject.Organization)
	case org == "" && subject.Form == ADOFormAzureDevOps:
		ado.Organization = subject.Organization
	case org == "" && subject.Form == ADOFormEntra:
		ps.missing(ok, "the Azure DevOps organization name (https://dev.azure.com/<organization>), because a subject of the Microsoft Entra issuer names the organization only by its ID")
	}
}

func formName(form string) string {
	if form == ADOFormEntra {
		return "Microsoft Entra"
	}
	return "Azure DevOps"
}

// OrganizationURL is the organization's URL, https://dev.azure.com/<organization> ("" when the
// organization is not known).
func (a AzureDevOps) OrganizationURL() string {
	if a.Organization == "" {
		return ""
	}
	return "https://dev.azure.com/" + a.Organization
}
