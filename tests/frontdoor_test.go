package tests

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/components/avm"
	"github.com/azure-saas-platform/platform/components/frontdoor"
	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/offline"
)

// agcFQDN stands for the Application Gateway for Containers frontend in Front Door tests.
const agcFQDN = "0123456789abcdef.fz42.alb.azure.com"

// frontDoorArgs builds the component's args from an environment the way the aks layer does.
func frontDoorArgs(t *testing.T, env string, overrides map[string]string) (*config.Env, *frontdoor.Args) {
	t.Helper()
	e := Env(t, env, overrides)
	b := BaseFixture(e)
	return e, &frontdoor.Args{
		ResourceGroupName:            b.ResourceGroupName,
		ProfileName:                  e.Names.FrontDoorProfile,
		EndpointName:                 e.Names.FrontDoorEndpoint,
		WAFPolicyName:                e.Names.FrontDoorWAFPolicy,
		SPAWebEndpoint:               b.SPAWebEndpoint,
		APIOriginHostName:            pulumi.String(agcFQDN),
		OriginResponseTimeoutSeconds: e.FrontDoor.OriginResponseTimeoutSeconds,
		CustomDomains:                e.FrontDoor.CustomDomains,
		WAFMode:                      e.FrontDoor.WAFMode,
		RateLimitThreshold:           e.FrontDoor.RateLimitThreshold,
		RateLimitDurationMinutes:     e.FrontDoor.RateLimitDurationMinutes,
		AllowedCountries:             e.FrontDoor.AllowedCountries,
		Tags:                         avm.Tags(e.ResourceTags()),
		DiagnosticSettings:           &avm.DiagnosticSettings{WorkspaceID: b.LogAnalyticsID},
	}
}

func runFrontDoor(t *testing.T, args *frontdoor.Args) *offline.Stack {
	t.Helper()
	return RunProgram(t, func(ctx *pulumi.Context) error {
		_, err := frontdoor.New(ctx, "edge", args)
		return err
	})
}

// rateLimitRule is the rule every WAF policy carries, for the given threshold and window.
func rateLimitRule(threshold, minutes int) map[string]any {
	return map[string]any{
		"name": "RateLimitPerClientIp", "priority": 20, "ruleType": "RateLimitRule", "enabledState": "Enabled", "action": "Block",
		"rateLimitThreshold": threshold, "rateLimitDurationInMinutes": minutes,
		"matchConditions": []map[string]any{{"matchVariable": "SocketAddr", "operator": "IPMatch", "matchValue": []string{"0.0.0.0/0", "::/0"}}},
	}
}

func TestFrontDoor(t *testing.T) {
	tests := []struct {
		env       string
		mode      string
		threshold int
		domains   []string
	}{
		{"dev", "Detection", 1000, nil},
		{"prod", "Prevention", 500, []string{"app.contoso.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Parallel()
			e, args := frontDoorArgs(t, tt.env, nil)
			s := runFrontDoor(t, args)
			n := e.Names

			profile := One(t, s, "azure-native:cdn:Profile")
			Equal(t, profile, "profileName", n.FrontDoorProfile)
			Equal(t, profile, "location", "Global")
			Equal(t, profile, "sku", map[string]any{"name": "Premium_AzureFrontDoor"})
			Equal(t, profile, "originResponseTimeoutSeconds", 60)
			Equal(t, profile, "tags.environment", tt.env)

			endpoint := One(t, s, "azure-native:cdn:AFDEndpoint")
			Equal(t, endpoint, "endpointName", n.FrontDoorEndpoint)
			Equal(t, endpoint, "location", "Global")
			Equal(t, endpoint, "enabledState", "Enabled")
			Equal(t, endpoint, "profileName", n.FrontDoorProfile)

			// The WAF: mode from config, both managed rule sets, the rate limit from config, no geo
			// filter (neither environment configures one).
			waf := One(t, s, "azure-native:network:Policy")
			Equal(t, waf, "policyName", n.FrontDoorWAFPolicy)
			Equal(t, waf, "location", "Global")
			Equal(t, waf, "sku", map[string]any{"name": "Premium_AzureFrontDoor"})
			Equal(t, waf, "policySettings", map[string]any{"enabledState": "Enabled", "mode": tt.mode, "requestBodyCheck": "Enabled"})
			Equal(t, waf, "managedRules.managedRuleSets", []map[string]any{
				{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1", "ruleSetAction": "Block"},
				{"ruleSetType": "Microsoft_BotManagerRuleSet", "ruleSetVersion": "1.1"},
			})
			Equal(t, waf, "customRules.rules", []map[string]any{rateLimitRule(tt.threshold, 1)})

			// Origins: the static website host from the base endpoint URL, the AGC frontend;
			// HTTPS with certificate name checks.
			spaHost := fixtureGlobal(e).SPAStorage + ".z6.web.core.windows.net"
			for _, o := range []struct{ key, host, probe string }{{"spa", spaHost, "/"}, {"api", agcFQDN, "/healthz"}} {
				og := Named(t, s, "azure-native:cdn:AFDOriginGroup", "edge-"+o.key)
				Equal(t, og, "originGroupName", o.key)
				Equal(t, og, "healthProbeSettings", map[string]any{"probePath": o.probe, "probeProtocol": "Https", "probeRequestType": "HEAD", "probeIntervalInSeconds": 100})
				Equal(t, og, "sessionAffinityState", "Disabled")
				origin := Named(t, s, "azure-native:cdn:AFDOrigin", "edge-"+o.key)
				Equal(t, origin, "originGroupName", o.key)
				Equal(t, origin, "hostName", o.host)
				Equal(t, origin, "originHostHeader", o.host)
				Equal(t, origin, "httpsPort", 443)
				Equal(t, origin, "enforceCertificateNameCheck", true)
				Equal(t, origin, "enabledState", "Enabled")
			}

			// Custom domains: managed certificates, TLS 1.2 minimum.
			domains := s.ByType("azure-native:cdn:AFDCustomDomain")
			require.Len(t, domains, len(tt.domains), "custom domains, want %v", tt.domains)
			var domainIDs []map[string]any
			for i, host := range tt.domains {
				d := domains[i]
				Equal(t, d, "hostName", host)
				Equal(t, d, "customDomainName", strings.ReplaceAll(host, ".", "-"))
				Equal(t, d, "tlsSettings", map[string]any{"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS12"})
				domainIDs = append(domainIDs, map[string]any{"id": d.ID})
			}

			// Routes.
			ruleSet := One(t, s, "azure-native:cdn:RuleSet")
			for _, r := range []struct{ key, pattern string }{{"spa", "/*"}, {"api", "/api/*"}} {
				route := Named(t, s, "azure-native:cdn:Route", "edge-"+r.key)
				Equal(t, route, "endpointName", n.FrontDoorEndpoint)
				Equal(t, route, "patternsToMatch", []string{r.pattern})
				Equal(t, route, "originGroup.id", Named(t, s, "azure-native:cdn:AFDOriginGroup", "edge-"+r.key).ID)
				Equal(t, route, "supportedProtocols", []string{"Http", "Https"})
				Equal(t, route, "httpsRedirect", "Enabled")
				Equal(t, route, "forwardingProtocol", "HttpsOnly")
				Equal(t, route, "linkToDefaultDomain", "Enabled")
				Equal(t, route, "ruleSets", []map[string]any{{"id": ruleSet.ID}})
				if len(tt.domains) > 0 {
					Equal(t, route, "customDomains", domainIDs)
				} else {
					Absent(t, route, "customDomains")
				}
				// A route needs its origin to exist first.
				origin := Named(t, s, "azure-native:cdn:AFDOrigin", "edge-"+r.key)
				assert.Contains(t, route.DependsOn, origin.URN, "route %s does not depend on its origin", r.key)
			}
			spa := Named(t, s, "azure-native:cdn:Route", "edge-spa")
			Equal(t, spa, "cacheConfiguration.queryStringCachingBehavior", "IgnoreQueryString")
			Equal(t, spa, "cacheConfiguration.compressionSettings.isCompressionEnabled", true)
			types := In(t, spa, "cacheConfiguration.compressionSettings.contentTypesToCompress").([]any)
			for _, want := range []string{"text/html", "text/css", "application/javascript", "application/json", "image/svg+xml"} {
				assert.Contains(t, types, any(want), "SPA route does not compress %s", want)
			}
			// No cache configuration means no caching.
			Absent(t, Named(t, s, "azure-native:cdn:Route", "edge-api"), "cacheConfiguration")

			// The security policy covers the endpoint and every custom domain.
			sp := One(t, s, "azure-native:cdn:SecurityPolicy")
			Equal(t, sp, "parameters.type", "WebApplicationFirewall")
			Equal(t, sp, "parameters.wafPolicy.id", waf.ID)
			Equal(t, sp, "parameters.associations", []map[string]any{{
				"domains":         append([]map[string]any{{"id": endpoint.ID}}, domainIDs...),
				"patternsToMatch": []string{"/*"},
			}})

			ds := One(t, s, "azure-native:insights:DiagnosticSetting")
			Equal(t, ds, "resourceUri", profile.ID)
			Equal(t, ds, "workspaceId", ARMID(e, "Microsoft.OperationalInsights/workspaces/"+n.LogAnalytics))
		})
	}
}

func TestFrontDoorSecurityHeaders(t *testing.T) {
	t.Parallel()
	_, args := frontDoorArgs(t, "dev", nil)
	s := runFrontDoor(t, args)
	ruleSet := One(t, s, "azure-native:cdn:RuleSet")
	Equal(t, ruleSet, "ruleSetName", "SecurityHeaders")

	want := map[string]string{
		"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "DENY",
		"Content-Security-Policy":   "frame-ancestors 'none'",
		"Referrer-Policy":           "strict-origin-when-cross-origin",
		"Permissions-Policy":        "camera=(), microphone=(), geolocation=(), payment=()",
	}
	got := map[string]string{}
	rules := s.ByType("azure-native:cdn:Rule")
	require.Len(t, rules, 2, "header rules")
	for _, r := range rules {
		Equal(t, r, "ruleSetName", "SecurityHeaders")
		Equal(t, r, "matchProcessingBehavior", "Continue")
		// No conditions: the rule applies to every response.
		Absent(t, r, "conditions")
		actions := In(t, r, "actions").([]any)
		assert.LessOrEqual(t, len(actions), 5, "%s: actions; Front Door allows 5", r.Key())
		for i, raw := range actions {
			a := raw.(map[string]any)
			p := a["parameters"].(map[string]any)
			assert.Equal(t, "ModifyResponseHeader", a["name"], "%s: action %d name", r.Key(), i)
			assert.Equal(t, "DeliveryRuleHeaderActionParameters", p["typeName"], "%s: action %d parameters.typeName", r.Key(), i)
			assert.Equal(t, "Overwrite", p["headerAction"], "%s: action %d parameters.headerAction", r.Key(), i)
			got[p["headerName"].(string)] = p["value"].(string)
		}
	}
	assert.Equal(t, want, got, "headers")
	orders := []any{In(t, rules[0], "order"), In(t, rules[1], "order")}
	slices.SortFunc(orders, func(a, b any) int { return int(a.(float64) - b.(float64)) })
	assert.Equal(t, normalize([]int{1, 2}), normalize(orders), "rule orders")
}

func TestFrontDoorGeoFilter(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"dev", "prod"} {
		_, args := frontDoorArgs(t, env, map[string]string{"frontDoor": `{"wafMode":"Prevention","rateLimitThreshold":300,"rateLimitDurationMinutes":5,"allowedCountries":["DE","AT","CH"]}`})
		s := runFrontDoor(t, args)
		waf := One(t, s, "azure-native:network:Policy")
		Equal(t, waf, "customRules.rules", []map[string]any{
			{
				"name": "GeoAllowList", "priority": 10, "ruleType": "MatchRule", "enabledState": "Enabled", "action": "Block",
				// Block what is NOT in the list; ZZ (no known country) is always allowed.
				"matchConditions": []map[string]any{{"matchVariable": "SocketAddr", "operator": "GeoMatch", "negateCondition": true, "matchValue": []string{"DE", "AT", "CH", "ZZ"}}},
			},
			rateLimitRule(300, 5),
		})
	}
}

func TestFrontDoorAPIOriginHostHeader(t *testing.T) {
	t.Parallel()
	_, args := frontDoorArgs(t, "prod", nil)
	args.APIOriginHostHeader = pulumi.String("api.contoso.example")
	args.APIHealthProbePath = "/api/healthz"
	s := runFrontDoor(t, args)
	origin := Named(t, s, "azure-native:cdn:AFDOrigin", "edge-api")
	Equal(t, origin, "hostName", agcFQDN)
	Equal(t, origin, "originHostHeader", "api.contoso.example")
	Equal(t, Named(t, s, "azure-native:cdn:AFDOriginGroup", "edge-api"), "healthProbeSettings.probePath", "/api/healthz")
}

func TestFrontDoorOutputs(t *testing.T) {
	t.Parallel()
	_, args := frontDoorArgs(t, "prod", nil)
	s, err := offline.RunStack(offline.StackSpec{Project: "test", Stack: "prod"}, nil, nil, func(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
		fd, err := frontdoor.New(ctx, "edge", args)
		if err != nil {
			return nil, err
		}
		return map[string]pulumi.Output{
			"frontDoorId": fd.FrontDoorID, "profileId": fd.ProfileID, "endpointHostName": fd.EndpointHostName,
			"wafPolicyId": fd.WAFPolicyID, "tokens": fd.CustomDomainValidationTokens,
		}, nil
	})
	require.NoError(t, err)
	profile := One(t, s, "azure-native:cdn:Profile")
	// The X-Azure-FDID value is exported as a secret.
	fdid := s.Outputs["frontDoorId"]
	if assert.True(t, fdid.IsSecret(), "frontDoorId = %v, want a secret", fdid) {
		assert.Equal(t, Out(t, profile, "frontDoorId"), fdid.SecretValue().Element.StringValue(), "frontDoorId: the profile's")
	}
	assert.Equal(t, profile.ID, Output(t, s, "profileId"), "exported profileId")
	assert.Equal(t, Out(t, One(t, s, "azure-native:cdn:AFDEndpoint"), "hostName"), Output(t, s, "endpointHostName"), "exported endpointHostName")
	domain := One(t, s, "azure-native:cdn:AFDCustomDomain")
	want := map[string]any{"app.contoso.example": Out(t, domain, "validationProperties.validationToken")}
	assert.Equal(t, normalize(want), normalize(Output(t, s, "tokens")), "exported tokens")
	assert.Contains(t, s.Outputs, resource.PropertyKey("wafPolicyId"), "no wafPolicyId")

}

func TestFrontDoorValidatesEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, err := TryRunProgram(func(ctx *pulumi.Context) error {
		_, err := frontdoor.New(ctx, "edge", &frontdoor.Args{
			WAFPolicyName:                "waf-edge",
			WAFMode:                      "Block",
			RateLimitThreshold:           5,
			RateLimitDurationMinutes:     2,
			OriginResponseTimeoutSeconds: 300,
			HealthProbeIntervalSeconds:   1,
			APIHealthProbePath:           "healthz",
			CustomDomains:                []string{"https://app.example.com", "a.example.com", "a.example.com"},
			AllowedCountries:             []string{"Germany", "AT", "CH", "FR", "IT", "NL", "BE", "LU", "DK", "SE"},
		})
		return err
	})
	ErrorMentions(t, err,
		"ResourceGroupName is required", "ProfileName is required", "EndpointName is required", `WAFPolicyName "waf-edge"`,
		"SPAWebEndpoint is required", "APIOriginHostName is required", `APIHealthProbePath "healthz"`,
		"HealthProbeIntervalSeconds 1", "OriginResponseTimeoutSeconds 300", `CustomDomains "https://app.example.com"`,
		`CustomDomains "a.example.com" is listed twice`, `WAFMode "Block"`, "RateLimitThreshold 5", "RateLimitDurationMinutes 2",
		"AllowedCountries has 10 countries", `AllowedCountries "Germany"`,
	)
}
