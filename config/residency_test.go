package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/naming"
)

// TestResidencyTable: every country is in exactly one residency, and the table is the one
// Microsoft publishes (spot checks of each residency and of the corrected codes).
func TestResidencyTable(t *testing.T) {
	seen := map[string]string{}
	for _, r := range DataResidencies {
		require.NotEmpty(t, residencyCountries[r], "residency %s has no countries", r)
		for _, c := range residencyCountries[r] {
			assert.Regexp(t, `^[A-Z]{2}$`, c, "%s: country code", r)
			if other, dup := seen[c]; dup {
				t.Errorf("%s is in both %s and %s", c, other, r)
			}
			seen[c] = r
		}
	}
	assert.Len(t, residencyCountries, len(DataResidencies), "a residency outside DataResidencies")
	for country, want := range map[string]string{
		"US": "United States", "CA": "United States", "MX": "United States", "PR": "United States",
		"NL": "Europe", "DE": "Europe", "GB": "Europe", "CH": "Europe", "AE": "Europe", "ZA": "Europe", "IL": "Europe",
		"FI": "Europe", "MK": "Europe", "SI": "Europe", // printed Fl, ML, ST on Microsoft's page
		"JP": "Asia Pacific", "IN": "Asia Pacific", "SG": "Asia Pacific", "HK": "Asia Pacific", "KR": "Asia Pacific",
		"AU": "Australia", "NZ": "Australia",
		"BR": "", "AR": "", "CL": "", "CN": "", // not (yet) in the table
	} {
		assert.Equal(t, want, ResidencyOf(country), "residency of %s", country)
	}
}

// TestRegionCountries: every region the platform knows has a country.
func TestRegionCountries(t *testing.T) {
	for _, l := range naming.Locations() {
		assert.Regexp(t, `^[A-Z]{2}$`, RegionCountry(l), "country of %s", l)
	}
}

func externalID(fields string) string {
	return `{"mode":"create","domainName":"x"` + fields + `}`
}

// TestResidencyDefaults: the country defaults to the region's, the residency to the country's.
func TestResidencyDefaults(t *testing.T) {
	tests := []struct {
		name, location, fields string
		country, residency     string
	}{
		{"westeurope", "westeurope", "", "NL", "Europe"},
		{"eastus", "eastus", "", "US", "United States"},
		{"japaneast", "japaneast", "", "JP", "Asia Pacific"},
		{"australiaeast", "australiaeast", "", "AU", "Australia"},
		{"country given", "westeurope", `,"countryCode":"DE"`, "DE", "Europe"},
		{"country elsewhere than the region", "westeurope", `,"countryCode":"US"`, "US", "United States"},
		{"residency given", "westeurope", `,"dataResidency":"Europe"`, "NL", "Europe"},
		{"both given", "eastus", `,"countryCode":"GB","dataResidency":"Europe"`, "GB", "Europe"},
		{"residency of a region without one", "brazilsouth", `,"countryCode":"US","dataResidency":"United States"`, "US", "United States"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Parse(with(minimal(), "location", tt.location, "externalId", externalID(tt.fields)))
			require.NoError(t, err)
			assert.Equal(t, tt.country, env.ExternalID.CountryCode, "countryCode")
			assert.Equal(t, tt.residency, env.ExternalID.DataResidency, "dataResidency")
		})
	}
}

// TestResidencyRefused: a country outside its residency, or without one, is refused with an error
// that names both keys.
func TestResidencyRefused(t *testing.T) {
	tests := []struct {
		name, location, ext string
		key                 string
		wants               []string
	}{
		{"US in Europe (the old defaults)", "westeurope", externalID(`,"countryCode":"US","dataResidency":"Europe"`), "externalId.countryCode",
			[]string{"keeps its data in United States", "externalId.dataResidency is Europe", "set externalId.countryCode to one of", "NL", "or externalId.dataResidency to United States"}},
		{"region's country outside the residency", "westeurope", externalID(`,"dataResidency":"United States"`), "externalId.countryCode",
			[]string{"is required", "externalId.dataResidency's data residency United States", "the default, NL (the country of platform:location \"westeurope\"), keeps its data in Europe"}},
		{"country without residency", "westeurope", externalID(`,"countryCode":"BR"`), "externalId.countryCode",
			[]string{"has no External ID data residency", "externalId.countryCode", "externalId.dataResidency", "United States: CA"}},
		{"region without residency", "brazilsouth", externalID(``), "externalId.countryCode",
			[]string{"is required", "brazilsouth", "externalId.dataResidency"}},
		{"region without residency, residency given", "brazilsouth", externalID(`,"dataResidency":"United States"`), "externalId.countryCode",
			[]string{"a country of externalId.dataResidency's data residency United States (one of CA, CR, DO"}},
		{"unknown residency", "westeurope", externalID(`,"dataResidency":"Mars"`), "externalId.dataResidency", []string{"United States, Europe, Asia Pacific, Australia"}},
		{"country not a code", "westeurope", externalID(`,"countryCode":"Germany"`), "externalId.countryCode", []string{"two-letter country code"}},
		{"country with mode existing", "westeurope", `{"mode":"existing","tenantId":"33333333-3333-3333-3333-333333333333","countryCode":"NL"}`, "externalId.countryCode", []string{"only used with mode create"}},
		{"residency with mode disabled", "westeurope", `{"mode":"disabled","dataResidency":"Europe"}`, "externalId.dataResidency", []string{"only used with mode create"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(with(minimal(), "location", tt.location, "externalId", tt.ext))
			require.Error(t, err)
			var ps Problems
			require.True(t, errors.As(err, &ps), "want Problems, got %T", err)
			assert.True(t, slices.ContainsFunc(ps, func(p Problem) bool {
				if p.Key != tt.key {
					return false
				}
				for _, w := range tt.wants {
					if !strings.Contains(p.Error(), w) {
						return false
					}
				}
				return true
			}), "no problem at %s mentioning all of %q in:\n%v", tt.key, tt.wants, err)
		})
	}
}

// TestFederationLimits: 20 federated credentials per identity are accepted, 21 refused, naming the
// identity, before anything is registered.
func TestFederationLimits(t *testing.T) {
	accounts := func(n int) string {
		var sa []string
		for i := range n {
			sa = append(sa, fmt.Sprintf("%q", fmt.Sprintf("sa-%d", i)))
		}
		return "[" + strings.Join(sa, ",") + "]"
	}
	environments := func(n int) string {
		var e []string
		for i := range n {
			e = append(e, fmt.Sprintf("%q", fmt.Sprintf("env-%d", i)))
		}
		return `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000","subject":"sc://contoso/platform/dev"},"github":{"repository":"contoso/platform","environments":[` + strings.Join(e, ",") + `]}}`
	}
	workload := func(n int) string {
		return `{"certManager":{"namespace":"cert-manager","serviceAccounts":` + accounts(n) + `}}`
	}
	// Flux carries its default two service accounts plus image automation in dev.
	flux := func(n int) string {
		return `{"flux":{"namespace":"flux-system","serviceAccounts":` + accounts(n) + `}}`
	}
	for _, ok := range []map[string]string{
		with(minimal(), "workloads", workload(20)),
		with(minimal(), "workloads", flux(19)), // + image-automation-controller = 20
		with(minimal(), "pipeline", environments(19)),
	} {
		_, err := Parse(ok)
		assert.NoError(t, err, "20 credentials on one identity")
	}
	tests := []struct {
		name       string
		raw        map[string]string
		key, wants string
	}{
		{"21 service accounts", with(minimal(), "workloads", workload(21)), "workloads.certManager.serviceAccounts[20]",
			"would be federated credential 21 of the cert-manager identity (id-saas-dev-weu-cert-manager); Entra allows 20 per identity"},
		{"20 flux accounts and image automation", with(minimal(), "workloads", flux(20)), "flux.imageAutomation",
			"would be federated credential 21 of the flux identity (id-saas-dev-weu-flux)"},
		{"20 GitHub environments", with(minimal(), "pipeline", environments(20)), "pipeline.github.environments",
			"20 GitHub environments and the Azure DevOps service connection make 21 federated credentials on the pipeline identity (id-saas-dev-weu-pipeline); Entra allows 20 per identity: at most 19 environments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.raw)
			require.Error(t, err)
			var ps Problems
			require.True(t, errors.As(err, &ps), "want Problems, got %T", err)
			assert.True(t, slices.ContainsFunc(ps, func(p Problem) bool {
				return p.Key == tt.key && strings.Contains(p.Error(), tt.wants)
			}), "no problem at %s mentioning %q in:\n%v", tt.key, tt.wants, err)
		})
	}
}
