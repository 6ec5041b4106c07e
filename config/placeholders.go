package config

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"regexp"
	"strings"
)

// Placeholders are values no real environment has, which the shipped settings files carry so that
// the offline plan runs on a fresh clone: sample GUIDs, the sample organizations of Microsoft's
// documentation, the domains reserved for documentation, and the documentation IP ranges. A real
// preview or up refuses them (Load with Deploy); the offline plan lists them as warnings.
var (
	reAnyGUID = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	// The fictitious companies of Microsoft's documentation, as a word of a URL, host or subject.
	reSampleOrg = regexp.MustCompile(`(?i)(^|[^a-z0-9])(contoso|fabrikam)([^a-z0-9]|$)`)
	// RFC 2606 and RFC 6761: example.com/.net/.org and the top-level domains example, test and
	// invalid never belong to anyone.
	reReservedDomain = regexp.MustCompile(`(?i)(^|[^a-z0-9-])((?:[a-z0-9-]+\.)*(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid)))([^a-z0-9.-]|$)`)
)

// documentationRanges are the address blocks reserved for documentation: RFC 5737 (IPv4) and
// RFC 3849 (IPv6).
var documentationRanges = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// notReferences are keys whose values are names the platform gives its own things, not
// references to something outside that must exist: a sample word there is harmless. Every other
// key is checked.
var notReferences = []string{
	"environment", "profile", "prefix", "tags", "services", "workloads", "sql.databaseName",
	"storage.dataLakeContainers", "externalId.displayName", "entra.databaseAdminsGroupName",
}

// replaceWith says, per key (list indexes as []), what a placeholder there must become.
var replaceWith = map[string]string{
	"pipeline.azureDevOps.issuer":       "the Issuer your workload-identity service connection shows (Project settings > Service connections > the connection > Edit): https://login.microsoftonline.com/<tenant ID>/v2.0, or https://vstoken.dev.azure.com/<organization ID> for a connection not yet converted",
	"pipeline.azureDevOps.subject":      "the Subject identifier your workload-identity service connection shows: /eid1/c/pub/t/<...>/a/<...>/sc/<organization ID>/<connection ID>, or sc://<organization>/<project>/<connection> for a connection not yet converted",
	"pipeline.azureDevOps.organization": "your Azure DevOps organization's name (https://dev.azure.com/<organization>)",
	"pipeline.github.repository":        "your GitHub repository, owner/name",
	"entra.platformAdminsGroupObjectId": "the object ID of your existing Entra group of platform administrators",
	"entra.databaseAdminsGroupObjectId": "the object ID of your existing Entra group of database administrators",
	"externalId.tenantId":               "the tenant ID of your External ID tenant",
	"externalId.deployerClientId":       "the client ID of the deployer app registration in your External ID tenant (docs/identity.md)",
	"externalId.deployerObjectId":       "the object ID of the deployer app's service principal in your External ID tenant",
	"externalId.spaRedirectUris[]":      "a redirect URI of your SPA",
	"externalId.mobileRedirectUris[]":   "your mobile app's redirect URI (its own custom scheme)",
	"aks.authorizedIpRanges[]":          "the public CIDRs your operators and pipeline agents reach the API server from",
	"frontDoor.customDomains[]":         "a host name in a DNS zone you own",
	"agc.originHostName":                "a host name in your public Azure DNS zone (agc.originDnsZoneId)",
	"agc.originDnsZoneId":               "the resource ID of your public Azure DNS zone holding agc.originHostName",
	"flux.repositoryUrl":                "the https URL of your Git repository holding gitops/",
}

// placeholders reports every key of the platform values whose value holds a placeholder, one
// problem per key, with what was found and what to replace it with.
func placeholders(raw map[string]string) Problems {
	var ps Problems
	fields := map[string]reflect.Kind{}
	t := reflect.TypeOf(Env{})
	for i := 0; i < t.NumField(); i++ {
		if k := t.Field(i).Tag.Get("key"); k != "" && k != "-" {
			fields[k] = t.Field(i).Type.Kind()
		}
	}
	for _, key := range sortedKeys(raw) {
		kind, ok := fields[key]
		if !ok {
			continue // reported as unknown
		}
		var tree any = raw[key]
		if kind != reflect.String && kind != reflect.Bool {
			if err := json.Unmarshal([]byte(raw[key]), &tree); err != nil {
				continue // reported by decoding
			}
		}
		walkStrings(key, tree, func(path, value string) {
			if isUnder(path, notReferences) {
				return
			}
			if found := placeholderIn(value); len(found) > 0 {
				ps.add(path, value, "is a placeholder (%s): replace it with %s before a real preview or up", strings.Join(found, "; "), replacement(path, found))
			}
		})
	}
	return ps
}

// walkStrings calls f with every string leaf of a decoded value and its key path.
func walkStrings(path string, v any, f func(path, value string)) {
	switch x := v.(type) {
	case string:
		f(path, x)
	case map[string]any:
		for _, k := range sortedKeys(x) {
			walkStrings(path+"."+k, x[k], f)
		}
	case []any:
		for i, el := range x {
			walkStrings(fmt.Sprintf("%s[%d]", path, i), el, f)
		}
	}
}

func isUnder(path string, keys []string) bool {
	for _, k := range keys {
		if path == k || strings.HasPrefix(path, k+".") || strings.HasPrefix(path, k+"[") {
			return true
		}
	}
	return false
}

var reIndex = regexp.MustCompile(`\[[0-9]+\]`)

// replacement is what a placeholder at path must become: the key's own advice, or one from what
// was found.
func replacement(path string, found []string) string {
	if s, ok := replaceWith[reIndex.ReplaceAllString(path, "[]")]; ok {
		return s
	}
	switch {
	case strings.HasPrefix(found[0], "the sample GUID"), strings.HasPrefix(found[0], "the all-"):
		return "the real ID"
	case strings.HasPrefix(found[0], "the documentation"):
		return "your own addresses"
	}
	return "a name your organization owns"
}

// placeholderIn lists what in a value is a placeholder, in words; none for a real value.
func placeholderIn(s string) []string {
	var found []string
	seen := map[string]bool{}
	for _, g := range reAnyGUID.FindAllString(s, -1) {
		g = strings.ToLower(g)
		if seen[g] {
			continue
		}
		seen[g] = true
		digits := strings.ReplaceAll(g, "-", "")
		switch {
		case strings.Count(digits, digits[:1]) == len(digits) && digits[0] == '0':
			found = append(found, "the all-zero GUID "+g)
		case strings.Count(digits, digits[:1]) == len(digits):
			found = append(found, "the sample GUID "+g+" (one repeated digit)")
		case g == "12345678-1234-1234-1234-123456789012":
			found = append(found, "the sample GUID "+g)
		}
	}
	if m := reSampleOrg.FindStringSubmatch(s); m != nil {
		found = append(found, "the sample organization "+strings.ToLower(m[2]))
	}
	if m := reReservedDomain.FindStringSubmatch(s); m != nil {
		found = append(found, "the domain "+strings.ToLower(m[2])+", reserved for documentation by RFC 2606")
	}
	if p, ok := parseAddressOrPrefix(s); ok {
		for _, doc := range documentationRanges {
			if doc.Bits() <= p.Bits() && doc.Contains(p.Addr()) {
				rfc := "RFC 5737"
				if doc.Addr().Is6() {
					rfc = "RFC 3849"
				}
				found = append(found, "the documentation range "+doc.String()+" of "+rfc)
			}
		}
	}
	return found
}

func parseAddressOrPrefix(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p, true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}
