package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's configuration reference is generated from the doc comments of config.go, which
// state each key's default. These tests hold every stated default to the value the program
// applies (Defaults and the defaults derived from other settings), for both profiles, so that
// changing a default in code without its comment, or the reverse, fails.

// applied is what an environment of a profile starts from: Defaults with the derived defaults
// filled, as Parse applies them before a settings file's values.
func applied(profile string) Env {
	e := Defaults(profile)
	e.fillDerivedDefaults()
	return e
}

// appliedElement is an environment of a profile whose service list holds one service written with
// only its name: what a list element's comment states as a default is what such an element gets
// (the services of the default list set more, as the shipped services need).
func appliedElement(profile string) Env {
	e := Defaults(profile)
	e.Services = []Service{{Name: "report-service"}}
	e.fillDerivedDefaults()
	return e
}

// statedDefault is a default as a comment states it: per profile, or one value for both.
type statedDefault struct{ dev, prod string }

var (
	reDefault     = regexp.MustCompile(`(?:^|\. |; )Default:? `)
	reBareWord    = regexp.MustCompile(`^-?[A-Za-z0-9_]+(?:\.[0-9]+)?`)
	reContinuance = regexp.MustCompile(`^(?:$|\.$|\. |;|:|,| \()`)
)

// parseDefault reads the default a doc comment states. found is false when it states none;
// literal is false when the default is prose ("the name", "derived as above"): such defaults are
// checked one by one in proseDefaults.
func parseDefault(doc string) (d statedDefault, found, literal bool) {
	loc := reDefault.FindStringIndex(doc)
	if loc == nil {
		return d, false, false
	}
	rest := doc[loc[1]:]
	first, rest, ok := literalPrefix(rest)
	if !ok {
		return d, true, false
	}
	for _, form := range []struct{ a, b string }{{" in dev, ", " in prod"}, {" in prod, ", " in dev"}} {
		after, ok := strings.CutPrefix(rest, form.a)
		if !ok {
			continue
		}
		second, tail, ok := literalPrefix(after)
		tail, cut := strings.CutPrefix(tail, form.b)
		if !ok || !cut || !reContinuance.MatchString(tail) {
			return d, true, false
		}
		if form.a == " in dev, " {
			return statedDefault{dev: first, prod: second}, true, true
		}
		return statedDefault{dev: second, prod: first}, true, true
	}
	if !reContinuance.MatchString(rest) {
		return d, true, false
	}
	return statedDefault{dev: first, prod: first}, true, true
}

// literalPrefix takes one literal off the front of s: a quoted string, a JSON list, or a bare
// word or number. A literal holding <...> is a template, prose.
func literalPrefix(s string) (lit, rest string, ok bool) {
	switch {
	case strings.HasPrefix(s, `"`):
		q, err := strconv.QuotedPrefix(s)
		if err != nil || strings.Contains(q, "<") {
			return "", s, false
		}
		return q, s[len(q):], true
	case strings.HasPrefix(s, "["):
		i := strings.Index(s, "]")
		if i < 0 || strings.Contains(s[:i], "<") {
			return "", s, false
		}
		return s[:i+1], s[i+1:], true
	}
	w := reBareWord.FindString(s)
	if w == "" {
		return "", s, false
	}
	return w, s[len(w):], true
}

// matches reports whether the applied value v equals a stated literal.
func matches(v reflect.Value, lit string) bool {
	if lit == "none" || lit == "unset" || lit == `""` {
		if v.Kind() == reflect.String && lit == "none" && v.String() == "none" {
			return true // a string whose value is the word none (services[].dataLake)
		}
		return v.IsZero() || ((v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.Len() == 0)
	}
	switch v.Kind() {
	case reflect.String:
		if s, err := strconv.Unquote(lit); err == nil {
			return v.String() == s
		}
		return v.String() == lit
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()) == lit
	case reflect.Int:
		return strconv.Itoa(int(v.Int())) == lit
	case reflect.Float64:
		f, err := strconv.ParseFloat(lit, 64)
		return err == nil && f == v.Float()
	case reflect.Slice:
		var want []string
		if err := json.Unmarshal([]byte(lit), &want); err != nil {
			return false
		}
		got, _ := v.Interface().([]string)
		return slices.Equal(want, got)
	}
	return false
}

// valueAt finds a key path ("aks.systemPool.zones", "services[].namespace": the first element)
// in an Env.
func valueAt(e *Env, path string) (reflect.Value, error) {
	v := reflect.ValueOf(e).Elem()
	for i, part := range strings.Split(path, ".") {
		name, list := strings.CutSuffix(part, "[]")
		found := false
		for j := 0; j < v.NumField(); j++ {
			tag := v.Type().Field(j).Tag.Get("json")
			if i == 0 {
				tag = v.Type().Field(j).Tag.Get("key")
			}
			if strings.Split(tag, ",")[0] == name {
				v, found = v.Field(j), true
				break
			}
		}
		if !found {
			return v, fmt.Errorf("%s: no field %s", path, name)
		}
		if list {
			if v.Len() == 0 {
				return v, fmt.Errorf("%s: the default list is empty", path)
			}
			v = v.Index(0)
		}
	}
	return v, nil
}

// proseDefaults are the defaults a comment states in words, each with the check that the program
// applies it. A prose default missing here, or listed here but now literal, fails the test.
var proseDefaults = map[string]func(t *testing.T, dev, prod Env){
	"profile": func(t *testing.T, _, _ Env) {
		for _, name := range Profiles {
			e, err := Parse(with(map[string]map[string]string{Dev: minimal(), Prod: prodMinimal()}[name], "environment", name))
			require.NoError(t, err)
			assert.Equal(t, name, e.Profile, "environment %s without a profile", name)
		}
	},
	"organization":    zeroIn("organization"),
	"stackReferences": zeroIn("stackReferences"),
	"network.subnets": zeroIn("network.subnets"),
	// Names.DatabaseAdminsGroup is filled by validation with createGroups false
	// (TestDatabaseAdminsGroupNameDefault).
	"entra.databaseAdminsGroupName": zeroIn("entra.databaseAdminsGroupName"),
	"services": func(t *testing.T, dev, prod Env) {
		for _, e := range []Env{dev, prod} {
			var names []string
			for _, s := range e.Services {
				names = append(names, s.Name)
			}
			assert.Equal(t, []string{"user-service", "subscription-service", "llm-service"}, names, "services (%s)", e.Profile)
			llm := e.Services[2]
			assert.True(t, llm.DataLake == DataLakeRead && llm.DocumentIntelligence, "llm-service reads the data lake and uses Document Intelligence (%s)", e.Profile)
		}
	},
	"services[].namespace":      func(t *testing.T, dev, _ Env) { assert.Equal(t, dev.Services[0].Name, dev.Services[0].Namespace) },
	"services[].serviceAccount": func(t *testing.T, dev, _ Env) { assert.Equal(t, dev.Services[0].Name, dev.Services[0].ServiceAccount) },
	"workloads.externalSecrets": workloadIs("externalSecrets", "external-secrets", "external-secrets"),
	"workloads.certManager":     workloadIs("certManager", "cert-manager", "cert-manager"),
	"workloads.albController":   workloadIs("albController", "azure-alb-system", "alb-controller-sa"),
	"workloads.flux":            workloadIs("flux", "flux-system", "source-controller", "image-reflector-controller"),
	"pipeline.github.environments": func(t *testing.T, dev, _ Env) {
		assert.Empty(t, dev.Pipeline.GitHub.Environments, "without a repository")
		e := Defaults(Dev)
		e.Environment, e.Pipeline.GitHub.Repository = "staging", "acme/platform"
		e.fillDerivedDefaults()
		assert.Equal(t, []string{"staging"}, e.Pipeline.GitHub.Environments, "with a repository")
	},
	"externalId.displayName": func(t *testing.T, _, _ Env) {
		e := Defaults(Prod)
		e.Prefix, e.Environment = "saas", "staging"
		e.fillDerivedDefaults()
		assert.Equal(t, "saas customers (staging)", e.ExternalID.DisplayName)
	},
	"externalId.tenantSubdomain": zeroIn("externalId.tenantSubdomain"),
	"pipeline.azureDevOps.organization": func(t *testing.T, _, _ Env) {
		e, err := Parse(minimal()) // sc://contoso/platform/dev
		require.NoError(t, err)
		assert.Equal(t, "contoso", e.Pipeline.AzureDevOps.Organization, "the organization of an sc:// subject")
	},
	"externalId.countryCode": func(t *testing.T, _, _ Env) {
		for location, country := range map[string]string{"westeurope": "NL", "northeurope": "IE", "eastus": "US"} {
			e, err := Parse(with(minimal(), "location", location, "externalId", `{"mode":"create","domainName":"saascustomers"}`))
			require.NoError(t, err)
			assert.Equal(t, country, e.ExternalID.CountryCode, "the country of %s", location)
		}
	},
	"externalId.dataResidency": func(t *testing.T, _, _ Env) {
		e, err := Parse(with(minimal(), "externalId", `{"mode":"create","domainName":"saascustomers","countryCode":"US"}`))
		require.NoError(t, err)
		assert.Equal(t, ResidencyOf("US"), e.ExternalID.DataResidency, "the residency of countryCode")
		assert.Equal(t, "United States", e.ExternalID.DataResidency)
	},
	"aks.autoUpgradeWindow":   windowIs("autoUpgradeWindow", "Sunday"),
	"aks.nodeOsUpgradeWindow": windowIs("nodeOsUpgradeWindow", "Saturday"),
}

func zeroIn(path string) func(t *testing.T, dev, prod Env) {
	return func(t *testing.T, dev, prod Env) {
		for _, e := range []Env{dev, prod} {
			v, err := valueAt(&e, path)
			require.NoError(t, err)
			assert.True(t, v.IsZero(), "%s (%s) is derived later, so it starts empty: %v", path, e.Profile, v)
		}
	}
}

func workloadIs(key, namespace string, serviceAccounts ...string) func(t *testing.T, dev, prod Env) {
	return func(t *testing.T, dev, prod Env) {
		for _, e := range []Env{dev, prod} {
			v, err := valueAt(&e, "workloads."+key)
			require.NoError(t, err)
			assert.Equal(t, Workload{Namespace: namespace, ServiceAccounts: serviceAccounts}, v.Interface(), "%s (%s)", key, e.Profile)
		}
	}
}

// windowIs: "Default <day> 02:00 UTC, 4 hours, weekly."
func windowIs(key, day string) func(t *testing.T, dev, prod Env) {
	return func(t *testing.T, dev, prod Env) {
		for _, e := range []Env{dev, prod} {
			v, err := valueAt(&e, "aks."+key)
			require.NoError(t, err)
			assert.Equal(t, Window{DayOfWeek: day, StartTime: "02:00", UTCOffset: "+00:00", DurationHours: 4, IntervalWeeks: 1}, v.Interface(), "%s (%s)", key, e.Profile)
		}
	}
}

// noStatement are the keys whose comment states no default, because their object's comment does
// (the windows, the workloads).
var noStatement = regexp.MustCompile(`^(aks\.(autoUpgradeWindow|nodeOsUpgradeWindow)|workloads\.[a-zA-Z]+)\.`)

// TestDocumentedDefaultsAreApplied: every default a comment of config.go states is the value the
// program applies, in the dev profile and in the prod profile.
func TestDocumentedDefaultsAreApplied(t *testing.T) {
	docs, err := fieldDocs()
	require.NoError(t, err)
	envDev, envProd := applied(Dev), applied(Prod)
	elemDev, elemProd := appliedElement(Dev), appliedElement(Prod)
	prose := map[string]bool{}
	literals := 0
	for _, d := range docs {
		stated, found, literal := parseDefault(d.Doc)
		dev, prod := envDev, envProd
		if strings.Contains(d.Key, "[]") {
			dev, prod = elemDev, elemProd
		}
		switch {
		case !found && strings.Contains(d.Doc, "Required"):
			if strings.Contains(d.Key, "[]") {
				continue // required in each element of a list; the default list has its own
			}
			for _, e := range []Env{dev, prod} {
				v, err := valueAt(&e, d.Key)
				require.NoError(t, err)
				assert.True(t, v.IsZero(), "%s is documented as required, but the %s profile gives it %v", d.Key, e.Profile, v)
			}
		case !found:
			assert.True(t, d.Object || noStatement.MatchString(d.Key), "%s states no default: say \"Default <value>.\" or \"Default: <dev value> in dev, <prod value> in prod.\" in its comment", d.Key)
		case !literal:
			prose[d.Key] = true
			check, ok := proseDefaults[d.Key]
			if assert.True(t, ok, "%s states its default in words (%q): write it as a literal, or add its check to proseDefaults", d.Key, d.Doc) {
				t.Run(d.Key, func(t *testing.T) { check(t, dev, prod) })
			}
		default:
			literals++
			for _, c := range []struct {
				e    Env
				want string
			}{{dev, stated.dev}, {prod, stated.prod}} {
				v, err := valueAt(&c.e, d.Key)
				if !assert.NoError(t, err) {
					continue
				}
				assert.True(t, matches(v, c.want), "%s: the comment says the %s profile's default is %s, the program applies %#v", d.Key, c.e.Profile, c.want, v.Interface())
			}
		}
	}
	for key := range proseDefaults {
		assert.True(t, prose[key], "proseDefaults lists %s, whose comment no longer states its default in words: remove it", key)
	}
	assert.Greater(t, literals, 70, "literal defaults found: the comment parser is broken")
}

// TestDefaultParser: the forms the comments use, and prose.
func TestDefaultParser(t *testing.T) {
	for _, tc := range []struct {
		doc       string
		want      statedDefault
		found, ok bool
	}{
		{"the timeout, 4-120. Default 4.", statedDefault{"4", "4"}, true, true},
		{`"standard" or "premium". Default "standard".`, statedDefault{`"standard"`, `"standard"`}, true, true},
		{"7-90. Default: 7 in dev, 90 in prod.", statedDefault{"7", "90"}, true, true},
		{"Sets it. Default: true in prod, false in dev.", statedDefault{"false", "true"}, true, true},
		{"Default: false in dev, true in prod; prod refuses false.", statedDefault{"false", "true"}, true, true},
		{"x. Default: none in dev, [\"1\", \"2\", \"3\"] in prod.", statedDefault{"none", `["1", "2", "3"]`}, true, true},
		{"x. Default 0 (one static public IP).", statedDefault{"0", "0"}, true, true},
		{"x. Default 0.5.", statedDefault{"0.5", "0.5"}, true, true},
		{"x. Default: 60 in dev, -1 in prod.", statedDefault{"60", "-1"}, true, true},
		{`x. Default "": the layer's provider.`, statedDefault{`""`, `""`}, true, true},
		{"x. Default: unset, which gives a random suffix.", statedDefault{"unset", "unset"}, true, true},
		{"x. Default Prevention, in both profiles; prod refuses Detection.", statedDefault{"Prevention", "Prevention"}, true, true},
		{"x. Default: the name.", statedDefault{}, true, false},
		{"x. Default: Names.DatabaseAdminsGroup.", statedDefault{}, true, false},
		{`x. Default "<prefix> customers (<environment>)".`, statedDefault{}, true, false},
		{"x. Default Sunday 02:00 UTC, 4 hours, weekly.", statedDefault{}, true, false},
		{"x. Default: Free in dev, Standard for prod.", statedDefault{}, true, false},
		{"the index page by default. Required.", statedDefault{}, false, false},
	} {
		got, found, ok := parseDefault(tc.doc)
		assert.Equal(t, tc.found, found, "found: %s", tc.doc)
		assert.Equal(t, tc.ok, ok, "literal: %s", tc.doc)
		if tc.ok {
			assert.Equal(t, tc.want, got, tc.doc)
		}
	}
}

// TestDefaultsCheckCatchesDrift: a changed default is caught, with the key in the message.
func TestDefaultsCheckCatchesDrift(t *testing.T) {
	prod := applied(Prod)
	prod.KeyVault.SoftDeleteRetentionDays = 30
	v, err := valueAt(&prod, "keyVault.softDeleteRetentionDays")
	require.NoError(t, err)
	assert.False(t, matches(v, "90"), "a changed prod default no longer matches the comment's 90")
	v, err = valueAt(&prod, "services[].dataLake")
	require.NoError(t, err)
	assert.True(t, matches(v, "none"))
}
