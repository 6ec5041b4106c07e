// Package frontdoor is the platform's edge: an Azure Front Door Premium profile with one endpoint
// serving the SPA (Blob static website, cached and compressed) on /* and the API (Application
// Gateway for Containers, never cached) on /api/*, optionally the published dashboards on a path
// of their own to the same origin, HTTPS only end to end, optional custom domains
// with managed certificates, a rule set adding security headers to every response, and a WAF
// policy (Microsoft default rule set, bot manager, per-client rate limit, optional geo allow-list)
// linked to the endpoint and every custom domain.
package frontdoor

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/cdn/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/bindings"
	"github.com/azure-saas-platform/platform/components/avm"
)

// WAF modes.
const (
	ModePrevention = "Prevention"
	ModeDetection  = "Detection"
)

// Defaults of the managed rule sets. DRS 2.1 is the newest Default Rule Set generally available
// on Front Door Premium (anomaly scoring, so it needs a rule-set action); bot manager 1.1 is the
// newest bot rule set.
const (
	DefaultRuleSetVersion    = "2.1"
	BotManagerRuleSetVersion = "1.1"
)

// MaxAllowedCountries is how many countries a geo allow-list can hold: Front Door takes at most ten
// country codes in one custom rule, and the platform always adds ZZ (addresses not mapped to a
// country, which Microsoft asks every geo filter to include to avoid false positives).
const MaxAllowedCountries = 9

// SecurityHeaders are the response headers the rule set overwrites on every response of both
// routes. Content-Security-Policy carries only frame-ancestors: a full policy belongs to the SPA,
// and this one directive (with X-Frame-Options for older browsers) forbids framing.
var SecurityHeaders = []Header{
	{"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "DENY"},
	{"Content-Security-Policy", "frame-ancestors 'none'"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
}

// Header is one response header the rule set sets.
type Header struct{ Name, Value string }

// ContentTypesToCompress are the SPA's compressible types (Front Door compresses only these).
var ContentTypesToCompress = []string{
	"text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
	"application/x-javascript", "application/json", "application/manifest+json",
	"application/xml", "text/xml", "image/svg+xml", "font/ttf", "font/otf",
}

// Args configures the Front Door profile.
type Args struct {
	// ResourceGroupName holds the profile and the WAF policy (both are global resources).
	// Required.
	ResourceGroupName pulumi.StringInput
	// ProfileName is the profile's Azure name (env.Names.FrontDoorProfile). Required.
	ProfileName string
	// EndpointName is the endpoint's name, which forms its *.azurefd.net host
	// (env.Names.FrontDoorEndpoint). Required.
	EndpointName string
	// WAFPolicyName is the WAF policy's name, letters and digits only
	// (env.Names.FrontDoorWAFPolicy). Required.
	WAFPolicyName string
	// SPAWebEndpoint is the static website's endpoint URL, e.g.
	// https://<account>.z6.web.core.windows.net/ (base SPAWebEndpoint); its host is the SPA origin.
	// Required.
	SPAWebEndpoint pulumi.StringInput
	// APIOriginHostName is the API origin, the Application Gateway for Containers frontend FQDN.
	// Required.
	APIOriginHostName pulumi.StringInput
	// APIOriginHostHeader is the Host header (and TLS SNI) Front Door sends to the API origin; the
	// Gateway's HTTPS listener must present a publicly trusted certificate for it, because Front
	// Door checks the origin's certificate name. Default: APIOriginHostName.
	APIOriginHostHeader pulumi.StringInput
	// APIOriginHTTP makes Front Door reach the API origin over plain HTTP (port 80, HTTP probes),
	// for an origin without a certificate for its host. Default false (HTTPS only).
	APIOriginHTTP bool
	// DashboardsPathPattern routes a second path pattern, e.g. "/monitoring/*", to the API origin
	// (the Gateway), like the API's and never cached: the published dashboards. Refused with
	// APIOriginHTTP: their sign-in cookies and tokens cross the Front Door to origin hop in
	// HTTPS only. Default "" (no such route).
	DashboardsPathPattern string
	// SPAHealthProbePath is probed on the SPA origin with HEAD over HTTPS. Default "/".
	SPAHealthProbePath string
	// APIHealthProbePath is probed on the API origin with HEAD over HTTPS; the Gateway must route
	// it to something that answers 200. Default "/healthz".
	APIHealthProbePath string
	// HealthProbeIntervalSeconds is the interval of both probes, 5-255. Default 100.
	HealthProbeIntervalSeconds int
	// OriginResponseTimeoutSeconds is the profile's origin timeout, 16-240. Default 60.
	OriginResponseTimeoutSeconds int
	// CustomDomains are host names served by the endpoint with managed certificates (TLS 1.2
	// minimum), e.g. "app.example.com". Each needs a TXT record _dnsauth.<host> holding its
	// validation token (output CustomDomainValidationTokens) and a CNAME to the endpoint host.
	// Default none.
	CustomDomains []string
	// WAFMode is Prevention or Detection. Required.
	WAFMode string
	// DefaultRuleSetVersion is the version of Microsoft_DefaultRuleSet. Default
	// DefaultRuleSetVersion ("2.1").
	DefaultRuleSetVersion string
	// BotManagerRuleSetVersion is the version of Microsoft_BotManagerRuleSet. Default
	// BotManagerRuleSetVersion ("1.1").
	BotManagerRuleSetVersion string
	// RateLimitThreshold is the requests per client socket IP per window before the WAF blocks
	// it, 10-1000000. Required.
	RateLimitThreshold int
	// RateLimitDurationMinutes is the rate-limit window, 1 or 5. Required.
	RateLimitDurationMinutes int
	// AllowedCountries, when set, blocks every request whose socket IP is located outside these
	// countries (ISO 3166 alpha-2, at most MaxAllowedCountries; ZZ is always added). Default none
	// (no geo filter).
	AllowedCountries []string
	// Tags of the profile, endpoint and WAF policy. Default none.
	Tags pulumi.StringMapInput
	// DiagnosticSettings of the profile (access, health probe and WAF logs). Default none.
	DiagnosticSettings *avm.DiagnosticSettings
}

// FrontDoor is the profile with its endpoint, origins, routes, rule set, custom domains and WAF.
type FrontDoor struct {
	pulumi.ResourceState

	// ProfileID is the profile's resource ID.
	ProfileID pulumi.StringOutput
	// FrontDoorID is the profile's Front Door ID, the value Front Door sends to origins in the
	// X-Azure-FDID header (secret: knowing it helps bypass the origin lock).
	FrontDoorID pulumi.StringOutput
	// EndpointID is the endpoint's resource ID.
	EndpointID pulumi.StringOutput
	// EndpointHostName is the endpoint's host, <name>-<hash>.z01.azurefd.net.
	EndpointHostName pulumi.StringOutput
	// WAFPolicyID is the WAF policy's resource ID.
	WAFPolicyID pulumi.StringOutput
	// CustomDomainValidationTokens maps each custom domain to the value of its _dnsauth TXT record.
	CustomDomainValidationTokens pulumi.StringMapOutput
}

var (
	reCountry  = regexp.MustCompile(`^[A-Z]{2}$`)
	reHostname = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	rePolicy   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,127}$`)
	rePath     = regexp.MustCompile(`^/[^\s?#]*$`)
	rePattern  = regexp.MustCompile(`^/[a-z0-9][a-z0-9-]*/\*$`)
)

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("frontdoor: "+format, v...)) }
	if a.ResourceGroupName == nil {
		add("ResourceGroupName is required")
	}
	if a.ProfileName == "" {
		add("ProfileName is required")
	}
	if a.EndpointName == "" {
		add("EndpointName is required")
	}
	if !rePolicy.MatchString(a.WAFPolicyName) {
		add("WAFPolicyName %q: want 1-128 letters and digits, starting with a letter", a.WAFPolicyName)
	}
	if a.SPAWebEndpoint == nil {
		add("SPAWebEndpoint is required")
	}
	if a.APIOriginHostName == nil {
		add("APIOriginHostName is required")
	}
	for _, p := range []struct{ field, path string }{{"SPAHealthProbePath", a.SPAHealthProbePath}, {"APIHealthProbePath", a.APIHealthProbePath}} {
		if p.path != "" && !rePath.MatchString(p.path) {
			add("%s %q: want an absolute path such as /healthz", p.field, p.path)
		}
	}
	if p := a.DashboardsPathPattern; p != "" {
		if !rePattern.MatchString(p) || p == "/api/*" {
			add("DashboardsPathPattern %q: want one path segment and /*, such as /monitoring/*, other than the API's /api/*", p)
		}
		if a.APIOriginHTTP {
			add("DashboardsPathPattern %q needs HTTPS to the API origin (APIOriginHTTP is set): the dashboards' sign-in must not cross plain HTTP", p)
		}
	}
	if s := a.HealthProbeIntervalSeconds; s != 0 && (s < 5 || s > 255) {
		add("HealthProbeIntervalSeconds %d: want 5-255", s)
	}
	if s := a.OriginResponseTimeoutSeconds; s != 0 && (s < 16 || s > 240) {
		add("OriginResponseTimeoutSeconds %d: want 16-240", s)
	}
	seen := map[string]bool{}
	for _, d := range a.CustomDomains {
		if !reHostname.MatchString(d) {
			add("CustomDomains %q: want a lowercase host name such as app.example.com", d)
		}
		if seen[d] {
			add("CustomDomains %q is listed twice", d)
		}
		seen[d] = true
	}
	if a.WAFMode != ModePrevention && a.WAFMode != ModeDetection {
		add("WAFMode %q: want Prevention or Detection", a.WAFMode)
	}
	if t := a.RateLimitThreshold; t < 10 || t > 1000000 {
		add("RateLimitThreshold %d: want 10-1000000", t)
	}
	if d := a.RateLimitDurationMinutes; d != 1 && d != 5 {
		add("RateLimitDurationMinutes %d: want 1 or 5", d)
	}
	if n := len(a.AllowedCountries); n > MaxAllowedCountries {
		add("AllowedCountries has %d countries: Front Door takes at most %d (plus ZZ) in one geo rule", n, MaxAllowedCountries)
	}
	for _, c := range a.AllowedCountries {
		if !reCountry.MatchString(c) {
			add("AllowedCountries %q: want an ISO 3166 alpha-2 code such as DE", c)
		}
	}
	return errors.Join(errs...)
}

// CustomDomainResourceName is the Azure name of a custom domain resource: its host with dots
// replaced by hyphens (names may not contain dots).
func CustomDomainResourceName(host string) string { return strings.ReplaceAll(host, ".", "-") }

// hostOf returns the host of an https URL such as a storage static website endpoint.
func hostOf(endpoint pulumi.StringInput) pulumi.StringOutput {
	return endpoint.ToStringOutput().ApplyT(func(s string) (string, error) {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("frontdoor: SPAWebEndpoint %q is not a URL with a host", s)
		}
		return u.Host, nil
	}).(pulumi.StringOutput)
}

// New creates the profile.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*FrontDoor, error) {
	if args == nil {
		return nil, errors.New("frontdoor: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &FrontDoor{}
	if err := ctx.RegisterComponentResource("platform:frontdoor:FrontDoor", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)
	rg := args.ResourceGroupName
	const sku = "Premium_AzureFrontDoor"

	profile, err := cdn.NewProfile(ctx, name, &cdn.ProfileArgs{
		ResourceGroupName:            rg,
		ProfileName:                  pulumi.String(args.ProfileName),
		Location:                     pulumi.String("Global"),
		Sku:                          cdn.SkuArgs{Name: pulumi.String(sku)},
		OriginResponseTimeoutSeconds: pulumi.Int(cmp.Or(args.OriginResponseTimeoutSeconds, 60)),
		Tags:                         args.Tags,
	}, child)
	if err != nil {
		return nil, err
	}
	profileName := profile.Name
	endpoint, err := cdn.NewAFDEndpoint(ctx, name, &cdn.AFDEndpointArgs{
		ResourceGroupName:                 rg,
		ProfileName:                       profileName,
		EndpointName:                      pulumi.String(args.EndpointName),
		Location:                          pulumi.String("Global"),
		EnabledState:                      pulumi.String("Enabled"),
		AutoGeneratedDomainNameLabelScope: pulumi.String("TenantReuse"),
		Tags:                              args.Tags,
	}, child)
	if err != nil {
		return nil, err
	}

	// Origins: HTTPS, certificate names checked (the API origin over HTTP only when asked). The
	// static website needs its own host as Host header; the API origin gets the one its Gateway
	// listener has a certificate for.
	interval := cmp.Or(args.HealthProbeIntervalSeconds, 100)
	spaHost := hostOf(args.SPAWebEndpoint)
	apiHostHeader := args.APIOriginHostHeader
	if apiHostHeader == nil {
		apiHostHeader = args.APIOriginHostName
	}
	type originSpec struct {
		key, probePath   string
		host, hostHeader pulumi.StringInput
		http             bool
	}
	origins := []originSpec{
		{"spa", cmp.Or(args.SPAHealthProbePath, "/"), spaHost, spaHost, false},
		{"api", cmp.Or(args.APIHealthProbePath, "/healthz"), args.APIOriginHostName, apiHostHeader, args.APIOriginHTTP},
	}
	groups := map[string]*cdn.AFDOriginGroup{}
	var originResources []pulumi.Resource
	for _, o := range origins {
		probe := cdn.ProbeProtocolHttps
		if o.http {
			probe = cdn.ProbeProtocolHttp
		}
		og, err := cdn.NewAFDOriginGroup(ctx, name+"-"+o.key, &cdn.AFDOriginGroupArgs{
			ResourceGroupName: rg,
			ProfileName:       profileName,
			OriginGroupName:   pulumi.String(o.key),
			HealthProbeSettings: &cdn.HealthProbeParametersArgs{
				ProbePath:              pulumi.String(o.probePath),
				ProbeProtocol:          probe,
				ProbeRequestType:       cdn.HealthProbeRequestTypeHEAD,
				ProbeIntervalInSeconds: pulumi.Int(interval),
			},
			LoadBalancingSettings: &cdn.LoadBalancingSettingsParametersArgs{
				SampleSize:                      pulumi.Int(4),
				SuccessfulSamplesRequired:       pulumi.Int(3),
				AdditionalLatencyInMilliseconds: pulumi.Int(50),
			},
			SessionAffinityState: pulumi.String("Disabled"),
		}, child)
		if err != nil {
			return nil, err
		}
		origin, err := cdn.NewAFDOrigin(ctx, name+"-"+o.key, &cdn.AFDOriginArgs{
			ResourceGroupName:           rg,
			ProfileName:                 profileName,
			OriginGroupName:             og.Name,
			OriginName:                  pulumi.String(o.key),
			HostName:                    o.host,
			OriginHostHeader:            o.hostHeader,
			HttpPort:                    pulumi.Int(80),
			HttpsPort:                   pulumi.Int(443),
			Priority:                    pulumi.Int(1),
			Weight:                      pulumi.Int(1000),
			EnabledState:                pulumi.String("Enabled"),
			EnforceCertificateNameCheck: pulumi.Bool(true),
		}, child)
		if err != nil {
			return nil, err
		}
		groups[o.key] = og
		originResources = append(originResources, origin)
	}

	// Security headers: a rule holds at most five actions, so two rules without conditions (they
	// apply to every response).
	ruleSet, err := cdn.NewRuleSet(ctx, name+"-headers", &cdn.RuleSetArgs{
		ResourceGroupName: rg,
		ProfileName:       profileName,
		RuleSetName:       pulumi.String("SecurityHeaders"),
	}, child)
	if err != nil {
		return nil, err
	}
	var rules []pulumi.Resource
	for i, part := range [][]Header{SecurityHeaders[:3], SecurityHeaders[3:]} {
		actions := pulumi.Array{}
		for _, h := range part {
			actions = append(actions, cdn.DeliveryRuleResponseHeaderActionArgs{
				Name: pulumi.String("ModifyResponseHeader"),
				Parameters: cdn.HeaderActionParametersArgs{
					TypeName:     pulumi.String("DeliveryRuleHeaderActionParameters"),
					HeaderAction: pulumi.String("Overwrite"),
					HeaderName:   pulumi.String(h.Name),
					Value:        pulumi.String(h.Value),
				},
			})
		}
		ruleName := []string{"TransportHeaders", "FramingHeaders"}[i]
		rule, err := cdn.NewRule(ctx, fmt.Sprintf("%s-headers-%d", name, i+1), &cdn.RuleArgs{
			ResourceGroupName:       rg,
			ProfileName:             profileName,
			RuleSetName:             ruleSet.Name,
			RuleName:                pulumi.String(ruleName),
			Order:                   pulumi.Int(i + 1),
			Actions:                 actions,
			MatchProcessingBehavior: pulumi.String("Continue"),
		}, child)
		if err != nil {
			return nil, err
		}
		rules = append(rules, rule)
	}

	// Custom domains with Front Door managed certificates.
	domainRefs := cdn.ActivatedResourceReferenceArray{}
	wafDomains := cdn.ActivatedResourceReferenceArray{&cdn.ActivatedResourceReferenceArgs{Id: endpoint.ID()}}
	tokens := pulumi.StringMap{}
	var domainResources []pulumi.Resource
	for _, host := range args.CustomDomains {
		d, err := cdn.NewAFDCustomDomain(ctx, name+"-"+CustomDomainResourceName(host), &cdn.AFDCustomDomainArgs{
			ResourceGroupName: rg,
			ProfileName:       profileName,
			CustomDomainName:  pulumi.String(CustomDomainResourceName(host)),
			HostName:          pulumi.String(host),
			TlsSettings: &cdn.AFDDomainHttpsParametersArgs{
				CertificateType:   pulumi.String("ManagedCertificate"),
				MinimumTlsVersion: cdn.AfdMinimumTlsVersionTLS12,
			},
		}, child)
		if err != nil {
			return nil, err
		}
		ref := &cdn.ActivatedResourceReferenceArgs{Id: d.ID()}
		domainRefs = append(domainRefs, ref)
		wafDomains = append(wafDomains, ref)
		tokens[host] = d.ValidationProperties.ValidationToken()
		domainResources = append(domainResources, d)
	}

	// Routes: the SPA on /* cached and compressed, the API on /api/* never cached; HTTP is
	// redirected to HTTPS and origins are reached over HTTPS only.
	ruleSets := cdn.ResourceReferenceArray{&cdn.ResourceReferenceArgs{Id: ruleSet.ID()}}
	routeDeps := append(append(append([]pulumi.Resource{}, originResources...), domainResources...), rules...)
	apiForwarding := "HttpsOnly"
	if args.APIOriginHTTP {
		apiForwarding = "HttpOnly"
	}
	routes := []struct {
		key        string
		pattern    string
		forwarding string
		cache      cdn.AfdRouteCacheConfigurationPtrInput
	}{
		{"spa", "/*", "HttpsOnly", &cdn.AfdRouteCacheConfigurationArgs{
			QueryStringCachingBehavior: pulumi.String("IgnoreQueryString"),
			CompressionSettings: &cdn.CompressionSettingsArgs{
				IsCompressionEnabled:   pulumi.Bool(true),
				ContentTypesToCompress: pulumi.ToStringArray(ContentTypesToCompress),
			},
		}},
		{"api", "/api/*", apiForwarding, nil},
	}
	if args.DashboardsPathPattern != "" {
		routes = append(routes, struct {
			key        string
			pattern    string
			forwarding string
			cache      cdn.AfdRouteCacheConfigurationPtrInput
		}{"dashboards", args.DashboardsPathPattern, "HttpsOnly", nil})
	}
	for _, r := range routes {
		group := groups[r.key]
		if r.key == "dashboards" {
			group = groups["api"] // the same Gateway as the API
		}
		routeArgs := &cdn.RouteArgs{
			ResourceGroupName:   rg,
			ProfileName:         profileName,
			EndpointName:        endpoint.Name,
			RouteName:           pulumi.String(r.key),
			OriginGroup:         cdn.ResourceReferenceArgs{Id: group.ID()},
			PatternsToMatch:     pulumi.StringArray{pulumi.String(r.pattern)},
			SupportedProtocols:  pulumi.StringArray{pulumi.String("Http"), pulumi.String("Https")},
			HttpsRedirect:       pulumi.String("Enabled"),
			ForwardingProtocol:  pulumi.String(r.forwarding),
			LinkToDefaultDomain: pulumi.String("Enabled"),
			EnabledState:        pulumi.String("Enabled"),
			RuleSets:            ruleSets,
		}
		if len(domainRefs) > 0 {
			routeArgs.CustomDomains = domainRefs
		}
		if r.cache != nil {
			routeArgs.CacheConfiguration = r.cache
		}
		if _, err := cdn.NewRoute(ctx, name+"-"+r.key, routeArgs, child, pulumi.DependsOn(routeDeps)); err != nil {
			return nil, err
		}
	}

	waf, err := bindings.NewFrontDoorPolicy(ctx, name, &bindings.FrontDoorPolicyArgs{
		ResourceGroupName: rg,
		PolicyName:        pulumi.String(args.WAFPolicyName),
		Location:          pulumi.String("Global"),
		Sku:               &bindings.NameSku{Name: pulumi.String(sku)},
		PolicySettings: &bindings.FrontDoorPolicySettings{
			EnabledState:     pulumi.String("Enabled"),
			Mode:             pulumi.String(args.WAFMode),
			RequestBodyCheck: pulumi.String("Enabled"),
		},
		ManagedRules: &bindings.ManagedRuleSetList{ManagedRuleSets: []bindings.FrontDoorManagedRuleSet{
			// DRS 2.x scores anomalies; the rule-set action is what happens at the threshold.
			{
				RuleSetType:    pulumi.String("Microsoft_DefaultRuleSet"),
				RuleSetVersion: pulumi.String(cmp.Or(args.DefaultRuleSetVersion, DefaultRuleSetVersion)),
				RuleSetAction:  pulumi.String("Block"),
			},
			{
				RuleSetType:    pulumi.String("Microsoft_BotManagerRuleSet"),
				RuleSetVersion: pulumi.String(cmp.Or(args.BotManagerRuleSetVersion, BotManagerRuleSetVersion)),
			},
		}},
		CustomRules: &bindings.CustomRuleList{Rules: customRules(args)},
		Tags:        args.Tags,
	}, child)
	if err != nil {
		return nil, err
	}

	// One association covering the endpoint and every custom domain.
	if _, err := cdn.NewSecurityPolicy(ctx, name+"-waf", &cdn.SecurityPolicyArgs{
		ResourceGroupName:  rg,
		ProfileName:        profileName,
		SecurityPolicyName: pulumi.String("waf"),
		Parameters: &cdn.SecurityPolicyWebApplicationFirewallParametersArgs{
			Type:      pulumi.String("WebApplicationFirewall"),
			WafPolicy: &cdn.ResourceReferenceArgs{Id: waf.ID()},
			Associations: cdn.SecurityPolicyWebApplicationFirewallAssociationArray{
				&cdn.SecurityPolicyWebApplicationFirewallAssociationArgs{
					Domains:         wafDomains,
					PatternsToMatch: pulumi.StringArray{pulumi.String("/*")},
				},
			},
		},
	}, child, pulumi.DependsOn(domainResources)); err != nil {
		return nil, err
	}

	profileID := profile.ID().ToStringOutput()
	if err := avm.NewDiagnosticSetting(ctx, name, profileID, args.DiagnosticSettings, child); err != nil {
		return nil, err
	}

	c.ProfileID = profileID
	c.FrontDoorID = pulumi.ToSecret(profile.FrontDoorId).(pulumi.StringOutput)
	c.EndpointID = endpoint.ID().ToStringOutput()
	c.EndpointHostName = endpoint.HostName
	c.WAFPolicyID = waf.ID().ToStringOutput()
	c.CustomDomainValidationTokens = tokens.ToStringMapOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"profileId":                    c.ProfileID,
		"frontDoorId":                  c.FrontDoorID,
		"endpointId":                   c.EndpointID,
		"endpointHostName":             c.EndpointHostName,
		"wafPolicyId":                  c.WAFPolicyID,
		"customDomainValidationTokens": c.CustomDomainValidationTokens,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// customRules are the WAF's own rules, evaluated before the managed rule sets: the geo allow-list
// first (when set), then the per-client rate limit.
func customRules(args *Args) []bindings.CustomRule {
	var out []bindings.CustomRule
	if len(args.AllowedCountries) > 0 {
		countries := append(append([]string{}, args.AllowedCountries...), "ZZ")
		out = append(out, bindings.CustomRule{
			Name:         pulumi.String("GeoAllowList"),
			Priority:     pulumi.Int(10),
			RuleType:     pulumi.String("MatchRule"),
			EnabledState: pulumi.String("Enabled"),
			Action:       pulumi.String("Block"),
			// SocketAddr, not RemoteAddr: RemoteAddr follows X-Forwarded-For, which clients set.
			MatchConditions: []bindings.FrontDoorMatchCondition{{
				MatchVariable:   pulumi.String("SocketAddr"),
				Operator:        pulumi.String("GeoMatch"),
				NegateCondition: pulumi.Bool(true),
				MatchValue:      pulumi.ToStringArray(countries),
			}},
		})
	}
	out = append(out, bindings.CustomRule{
		Name:                       pulumi.String("RateLimitPerClientIp"),
		Priority:                   pulumi.Int(20),
		RuleType:                   pulumi.String("RateLimitRule"),
		EnabledState:               pulumi.String("Enabled"),
		Action:                     pulumi.String("Block"),
		RateLimitThreshold:         pulumi.Int(args.RateLimitThreshold),
		RateLimitDurationInMinutes: pulumi.Int(args.RateLimitDurationMinutes),
		// Every request matches; Front Door counts per socket IP.
		MatchConditions: []bindings.FrontDoorMatchCondition{{
			MatchVariable: pulumi.String("SocketAddr"),
			Operator:      pulumi.String("IPMatch"),
			MatchValue:    pulumi.StringArray{pulumi.String("0.0.0.0/0"), pulumi.String("::/0")},
		}},
	})
	return out
}
