package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Data residencies of an Entra External ID tenant: the location of its
// Microsoft.AzureActiveDirectory/ciamDirectories resource (API 2023-05-17-preview, enum
// ciamLocationValue).
var DataResidencies = []string{"United States", "Europe", "Asia Pacific", "Australia"}

// residencyCountries maps each data residency to the countries (ISO 3166 alpha-2) whose tenants
// keep their data there. The API's countryCode points to aka.ms/ciam-data-location for "valid
// country codes and corresponding data residency locations"; that link could not be followed from
// here, so this is the table Microsoft publishes for the same two properties of the B2C tenant
// (Azure AD B2C, "Region availability & data residency", aka.ms/B2CDataResidency, whose
// countryCode the B2C API describes in the same words). Three codes are corrected where that page
// has typos: Finland FI (printed "Fl"), North Macedonia MK ("ML"), Slovenia SI ("ST"). The
// countries Microsoft lists as "being added" (Argentina, Brazil, Chile, Colombia, Ecuador, Iraq,
// Paraguay, Peru, Uruguay, Venezuela) have no residency yet: set a listed country instead.
var residencyCountries = map[string][]string{
	"United States": {"US", "CA", "CR", "DO", "SV", "GT", "MX", "PA", "PR", "TT"},
	"Europe": {"DZ", "AT", "AZ", "BH", "BY", "BE", "BG", "HR", "CY", "CZ", "DK", "EG", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IE",
		"IL", "IT", "JO", "KZ", "KE", "KW", "LV", "LB", "LI", "LT", "LU", "MK", "MT", "ME", "MA", "NL", "NG", "NO", "OM", "PK", "PL", "PT",
		"QA", "RO", "RU", "SA", "RS", "SK", "SI", "ZA", "ES", "SE", "CH", "TN", "TR", "UA", "AE", "GB"},
	"Asia Pacific": {"AF", "HK", "IN", "ID", "JP", "KR", "MY", "PH", "SG", "LK", "TW", "TH"},
	"Australia":    {"AU", "NZ"},
}

// regionCountries is the country of each Azure region the platform knows (naming/naming.go):
// the default country of an External ID tenant created by the platform.
var regionCountries = map[string]string{
	"australiaeast": "AU", "brazilsouth": "BR", "canadacentral": "CA", "centralindia": "IN", "centralus": "US",
	"eastasia": "HK", "eastus": "US", "eastus2": "US", "francecentral": "FR", "germanywestcentral": "DE",
	"italynorth": "IT", "japaneast": "JP", "koreacentral": "KR", "northcentralus": "US", "northeurope": "IE",
	"norwayeast": "NO", "polandcentral": "PL", "southafricanorth": "ZA", "southcentralus": "US", "southeastasia": "SG",
	"spaincentral": "ES", "swedencentral": "SE", "switzerlandnorth": "CH", "uaenorth": "AE", "uksouth": "GB",
	"westeurope": "NL", "westus2": "US", "westus3": "US",
}

// ResidencyOf returns the data residency of a country's External ID tenants ("" when the table
// has none).
func ResidencyOf(country string) string {
	for _, r := range DataResidencies {
		if slices.Contains(residencyCountries[r], country) {
			return r
		}
	}
	return ""
}

// RegionCountry returns the country of an Azure region ("" when unknown).
func RegionCountry(location string) string { return regionCountries[location] }

// countriesOf lists a residency's countries, sorted, for messages.
func countriesOf(residency string) string {
	c := slices.Clone(residencyCountries[residency])
	sort.Strings(c)
	return strings.Join(c, ", ")
}

// validateResidency checks the External ID tenant's country and data residency against each other
// and fills the one not given: the country defaults to platform:location's, the residency to the
// country's. Only a tenant the platform creates has them (mode create).
func validateResidency(e *Env, ps *Problems) {
	const ck, rk = "externalId.countryCode", "externalId.dataResidency"
	x := &e.ExternalID
	if x.Mode != ExternalIDCreate {
		for key, v := range map[string]string{ck: x.CountryCode, rk: x.DataResidency} {
			if v != "" {
				ps.add(key, v, "is only used with mode create (Azure reads it when it creates the tenant)")
			}
		}
		return
	}
	if x.DataResidency != "" && !slices.Contains(DataResidencies, x.DataResidency) {
		ps.add(rk, x.DataResidency, "want one of %s", strings.Join(DataResidencies, ", "))
		return
	}
	country, given := x.CountryCode, x.CountryCode != ""
	if !given {
		country = RegionCountry(e.Location)
	}
	if given && !reCountry.MatchString(country) {
		ps.add(ck, country, "want a two-letter country code (ISO 3166 alpha-2) such as NL")
		return
	}
	residency := ResidencyOf(country)
	switch {
	case country == "" || (residency == "" && !given):
		// No usable default from the region: the country must be given.
		if x.DataResidency != "" {
			ps.missing(ck, fmt.Sprintf("a country of %s's data residency %s (one of %s), because the country of platform:location %q has none", rk, x.DataResidency, countriesOf(x.DataResidency), e.Location))
		} else {
			ps.missing(ck, fmt.Sprintf("the tenant's country (ISO 3166 alpha-2), because the country of platform:location %q has no External ID data residency; with %s, one of its countries", e.Location, rk))
		}
	case residency == "":
		ps.add(ck, country, "has no External ID data residency in Microsoft's table (aka.ms/ciam-data-location); set %s to a country of %s's residency: %s", ck, rk, residencyChoices(x.DataResidency))
	case x.DataResidency == "":
		x.CountryCode, x.DataResidency = country, residency
	case x.DataResidency != residency:
		if given {
			ps.add(ck, country, "keeps its data in %s, but %s is %s: set %s to one of %s, or %s to %s", residency, rk, x.DataResidency, ck, countriesOf(x.DataResidency), rk, residency)
		} else {
			ps.missing(ck, fmt.Sprintf("a country of %s's data residency %s (one of %s): the default, %s (the country of platform:location %q), keeps its data in %s", rk, x.DataResidency, countriesOf(x.DataResidency), country, e.Location, residency))
		}
	default:
		x.CountryCode = country
	}
}

func residencyChoices(residency string) string {
	if residency != "" {
		return countriesOf(residency)
	}
	var out []string
	for _, r := range DataResidencies {
		out = append(out, r+": "+countriesOf(r))
	}
	return strings.Join(out, "; ")
}
