package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/azure-saas-platform/platform/check"
	"github.com/azure-saas-platform/platform/naming"
	"github.com/azure-saas-platform/platform/netplan"
)

var (
	rePrefix        = regexp.MustCompile(`^[a-z][a-z0-9]{1,9}$`)
	reEnvName       = regexp.MustCompile(`^[a-z][a-z0-9]{1,9}$`)
	reSuffix        = regexp.MustCompile(fmt.Sprintf(`^[a-z0-9]{0,%d}$`, naming.SuffixLength))
	reDNSLabel      = regexp.MustCompile(`^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$`)
	reK8sName       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	reOrg           = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)
	reStackRef      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	reK8sVersion    = regexp.MustCompile(`^1\.[0-9]{2}(\.[0-9]{1,2})?$`)
	reVMSize        = regexp.MustCompile(`^Standard_[A-Za-z0-9_]+$`)
	reHHMM          = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	reUTCOffset     = regexp.MustCompile(`^[+-](0[0-9]|1[0-4]):[0-5][0-9]$`)
	reDuration      = regexp.MustCompile(`^[1-9][0-9]*[smh]$`)
	reCountry       = regexp.MustCompile(`^[A-Z]{2}$`)
	reHostname      = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	reGitHubRepo    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)
	reGitHubEnv     = regexp.MustCompile(`^[A-Za-z0-9._-]{1,255}$`)
	reBranch        = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,250}$`)
	reSemver        = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	rePostgresDB    = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)
	reTagKeyBadChar = regexp.MustCompile(`[<>%&\\?/]`)
	reDNSZoneID     = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/dnszones/[a-z0-9.-]+$`)
)

// MinKubernetesMinor is the oldest Kubernetes minor version (1.<MinKubernetesMinor>) that
// aks.kubernetesVersion may name. AKS creates clusters only at versions in community support, and
// without long-term support (Premium tier plus the AKSLongTermSupport plan, which this platform
// does not configure) a cluster below it is out of support. On 2026-12-01 AKS supports 1.35, 1.36
// and 1.37 (AKS docs, "Supported Kubernetes versions", release calendar of 2026-08-05: 1.34's
// community support ends in November 2026, 1.37 is GA from October 2026). Raise it when AKS
// retires the oldest minor; docs/aks.md, "Kubernetes version", says what else moves with it.
const MinKubernetesMinor = 35

// oneOf reports value if it is not in allowed.
func (ps *Problems) oneOf(key, value string, allowed ...string) {
	if !slices.Contains(allowed, value) {
		ps.add(key, value, "want one of %s", strings.Join(allowed, ", "))
	}
}

// between reports value if it is outside [lo, hi].
func (ps *Problems) between(key string, value, lo, hi int, unit string) {
	if value < lo || value > hi {
		ps.add(key, value, "want %d-%d%s", lo, hi, unit)
	}
}

func (ps *Problems) match(key, value string, re *regexp.Regexp, allowed string) {
	ps.check(key, value, re.MatchString, allowed)
}

// check reports value if rule refuses it (the rules shared with the components, package check).
func (ps *Problems) check(key, value string, rule func(string) bool, allowed string) {
	if !rule(value) {
		ps.add(key, value, "want %s", allowed)
	}
}

// validate checks every setting and fills the derived fields (Namer, Subnets, Names). It returns
// every problem found.
func validate(e *Env) Problems {
	var ps Problems
	prod := e.Prod()

	// Identity of the environment: its name, and the profile that picks defaults and rules.
	envNameOK := false
	if e.Environment == "" {
		ps.missing("environment", "the environment's name: 2-10 lowercase letters and digits, starting with a letter, e.g. dev, staging, prod")
	} else if !reEnvName.MatchString(e.Environment) {
		ps.add("environment", e.Environment, "want 2-10 lowercase letters and digits, starting with a letter (it is part of resource names, stack names and the GitOps path gitops/clusters/<environment>)")
	} else {
		envNameOK = true
	}
	switch {
	case e.Profile == "" && envNameOK:
		ps.missing("profile", fmt.Sprintf("dev or prod: the environment %q is neither, so say which defaults and safety rules it takes", e.Environment))
	case e.Profile != "":
		ps.oneOf("profile", e.Profile, Profiles...)
		if e.Environment == Prod && e.Profile != Prod {
			ps.add("profile", e.Profile, "an environment named prod takes profile prod (its name promises the production safety rules)")
		}
	}
	locationOK := false
	if e.Location == "" {
		ps.missing("location", "an Azure region such as westeurope")
	} else if _, ok := naming.RegionCode(e.Location); !ok {
		ps.add("location", e.Location, "want one of %s", strings.Join(naming.Locations(), ", "))
	} else {
		locationOK = true
	}
	prefixOK := false
	if e.Prefix == "" {
		ps.missing("prefix", "2-10 lowercase letters and digits, starting with a letter")
	} else if !rePrefix.MatchString(e.Prefix) {
		ps.add("prefix", e.Prefix, "want 2-10 lowercase letters and digits, starting with a letter")
	} else {
		prefixOK = true
	}
	// "" is the random suffix here: Parse refuses an explicit empty value.
	suffixOK := reSuffix.MatchString(e.NameSuffix)
	if !suffixOK {
		ps.add("nameSuffix", e.NameSuffix, "want 1-%d lowercase letters and digits, %s for no suffix, or no setting for a random suffix", naming.SuffixLength, NoNameSuffix)
	}

	if e.Organization != "" {
		ps.match("organization", e.Organization, reOrg, "a Pulumi organization name (letters, digits, '_', '.', '-')")
	}
	for _, layer := range sortedKeys(e.StackReferences) {
		key := "stackReferences." + layer
		if !slices.Contains([]string{"base", "identity", "aks"}, layer) {
			ps.add(key, e.StackReferences[layer], "is not an upstream layer (want base, identity or aks)")
			continue
		}
		ps.match(key, e.StackReferences[layer], reStackRef, "a full stack name <organization>/<project>/<stack>")
	}
	for _, k := range sortedKeys(e.Tags) {
		key := "tags." + k
		switch {
		case len(k) == 0 || len(k) > 512 || reTagKeyBadChar.MatchString(k):
			ps.add(key, k, "a tag name has 1-512 characters and none of < > %% & \\ ? /")
		case len(e.Tags[k]) > 256:
			ps.add(key, e.Tags[k], "a tag value has at most 256 characters")
		case slices.Contains([]string{"environment", "profile", "managed-by", "project"}, k):
			ps.add(key, e.Tags[k], "is set by the platform itself (environment, profile, managed-by, project)")
		}
	}
	if len(e.Tags) > 46 {
		ps.add("tags", len(e.Tags), "at most 46 tags (Azure allows 50, the platform sets 4)")
	}

	vnet := validateNetwork(e, &ps)
	validateData(e, &ps, prod)
	validateIdentity(e, &ps, prod)
	validateCluster(e, &ps, prod, vnet)
	validateEdge(e, &ps, prod)
	validateFlux(e, &ps)

	// Names last: they depend on the prefix, suffix, location and services being sane.
	if locationOK && prefixOK && suffixOK && envNameOK {
		// No suffix here: GlobalNames adds it to the global names.
		e.Namer = naming.Namer{Prefix: e.Prefix, Environment: e.Environment, Location: e.Location}
		names, nameProblems := buildNames(e)
		ps = append(ps, nameProblems...)
		e.Names = names
		if !e.Entra.CreateGroups && e.Entra.DatabaseAdminsGroupName == "" {
			// The existing group's display name defaults to the name the platform would give it.
			e.Entra.DatabaseAdminsGroupName = names.DatabaseAdminsGroup
		}
	}
	validateFederationLimits(e, &ps)
	return ps
}

// validateFederationLimits refuses more federated credentials on one identity than Entra allows
// (check.MaxFederatedCredentials), before anything registers: the service accounts of a
// workload (the aks layer federates each on the workload's identity) and the pipeline identity's
// Azure DevOps credential plus one per GitHub environment (the identity layer's). Credentials
// added by hand outside the platform count against the same limit.
func validateFederationLimits(e *Env, ps *Problems) {
	identity := func(key string) string {
		if name := e.Names.Identities[key]; name != "" {
			return fmt.Sprintf("the %s identity (%s)", key, name)
		}
		return fmt.Sprintf("the %s identity", key)
	}
	count := map[string]int{}
	for _, f := range e.WorkloadFederations() {
		count[f.IdentityKey]++
		if count[f.IdentityKey] == check.MaxFederatedCredentials+1 {
			ps.add(f.Key, f.Namespace+"/"+f.ServiceAccount, "would be federated credential %d of %s; Entra allows %d per identity: federate fewer service accounts with it",
				count[f.IdentityKey], identity(f.IdentityKey), check.MaxFederatedCredentials)
		}
	}
	if n := 1 + len(e.Pipeline.GitHub.Environments); n > check.MaxFederatedCredentials {
		ps.add("pipeline.github.environments", len(e.Pipeline.GitHub.Environments), "%d GitHub environments and the Azure DevOps service connection make %d federated credentials on %s; Entra allows %d per identity: at most %d environments",
			len(e.Pipeline.GitHub.Environments), n, identity(IdentityPipeline), check.MaxFederatedCredentials, check.MaxFederatedCredentials-1)
	}
}

func validateNetwork(e *Env, ps *Problems) netip.Prefix {
	n := e.Network
	var space netip.Prefix
	if n.AddressSpace == "" {
		ps.missing("network.addressSpace", "an IPv4 CIDR in a private range, e.g. 10.40.0.0/16")
	} else if p, err := netplan.ParsePrefix(n.AddressSpace); err != nil {
		ps.add("network.addressSpace", n.AddressSpace, "%v", err)
	} else {
		space = p
	}
	fixed := map[netplan.Role]netip.Prefix{}
	subnetsOK := true
	for _, role := range sortedKeys(n.Subnets) {
		p, err := netplan.ParsePrefix(n.Subnets[role])
		if err != nil {
			ps.add("network.subnets."+role, n.Subnets[role], "%v", err)
			subnetsOK = false
			continue
		}
		fixed[netplan.Role(role)] = p
	}
	if space.IsValid() && subnetsOK {
		plan, problems := netplan.Plan(space, fixed)
		for _, p := range problems {
			key := "network.addressSpace"
			val := n.AddressSpace
			if _, given := n.Subnets[string(p.Role)]; given {
				key, val = "network.subnets."+string(p.Role), n.Subnets[string(p.Role)]
			}
			ps.add(key, val, "%s", p.Error())
		}
		if plan != nil {
			e.Subnets = map[netplan.Role]string{}
			for r, p := range plan {
				e.Subnets[r] = p.String()
			}
		}
	}
	ps.between("network.natIdleTimeoutMinutes", n.NatIdleTimeoutMinutes, 4, 120, " minutes")
	if l := n.NatPublicIPPrefixLength; l != 0 && (l < 28 || l > 31) {
		ps.add("network.natPublicIpPrefixLength", l, "want 0 (one static public IP) or 28-31")
	}
	return space
}

func validateData(e *Env, ps *Problems, prod bool) {
	kv := e.KeyVault
	ps.oneOf("keyVault.sku", kv.Sku, "standard", "premium")
	ps.between("keyVault.softDeleteRetentionDays", kv.SoftDeleteRetentionDays, 7, 90, " days")
	if prod && !kv.PurgeProtection {
		ps.add("keyVault.purgeProtection", false, "prod requires purge protection")
	}

	s := e.SQL
	vCores, skuOK := check.SQLServerlessSKU(s.SkuName)
	if !skuOK {
		ps.add("sql.skuName", s.SkuName, "want a General Purpose serverless SKU GP_S_Gen5_<vCores> (vCores one of %s)", joinInts(check.SQLServerlessVCores))
	}
	maxCores := float64(vCores)
	if s.MinCapacity < 0.5 || (maxCores > 0 && s.MinCapacity > maxCores) {
		ps.add("sql.minCapacity", s.MinCapacity, "want 0.5 vCores up to the SKU's maximum (%g)", maxCores)
	}
	if d := s.AutoPauseDelayMinutes; d != -1 && (d < 15 || d > 10080) {
		ps.add("sql.autoPauseDelayMinutes", d, "want -1 (never pause) or 15-10080 minutes")
	}
	ps.between("sql.maxSizeGb", s.MaxSizeGB, 1, 4096, " GB")
	ps.oneOf("sql.backupStorageRedundancy", s.BackupStorageRedundancy, "Local", "Zone", "Geo", "GeoZone")
	if s.DatabaseName == "" {
		ps.missing("sql.databaseName", "1-128 characters")
	}

	pg := e.Postgres
	ps.oneOf("postgres.version", pg.Version, "13", "14", "15", "16")
	ps.oneOf("postgres.tier", pg.Tier, "Burstable", "GeneralPurpose", "MemoryOptimized")
	skuFamily := map[string]string{"Burstable": "Standard_B", "GeneralPurpose": "Standard_D", "MemoryOptimized": "Standard_E"}
	if fam, ok := skuFamily[pg.Tier]; ok && !strings.HasPrefix(pg.SkuName, fam) {
		ps.add("postgres.skuName", pg.SkuName, "the %s tier takes %s* SKUs", pg.Tier, fam)
	}
	if !slices.Contains([]int{32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384}, pg.StorageSizeGB) {
		ps.add("postgres.storageSizeGb", pg.StorageSizeGB, "want one of 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384")
	}
	ps.oneOf("postgres.highAvailability", pg.HighAvailability, "Disabled", "SameZone", "ZoneRedundant")
	if pg.Tier == "Burstable" && pg.HighAvailability != "Disabled" {
		ps.add("postgres.highAvailability", pg.HighAvailability, "high availability needs the GeneralPurpose or MemoryOptimized tier")
	}
	ps.between("postgres.backupRetentionDays", pg.BackupRetentionDays, 7, 35, " days")

	st := e.Storage
	ps.oneOf("storage.replication", st.Replication, check.StorageReplications...)
	if len(st.DataLakeContainers) == 0 {
		ps.missing("storage.dataLakeContainers", "at least one container name")
	}
	seen := map[string]bool{}
	for i, c := range st.DataLakeContainers {
		key := fmt.Sprintf("storage.dataLakeContainers[%d]", i)
		if !check.StorageContainer(c) {
			ps.add(key, c, "want 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric")
		}
		if seen[c] {
			ps.add(key, c, "is listed twice")
		}
		seen[c] = true
	}
	ps.between("storage.softDeleteRetentionDays", st.SoftDeleteRetentionDays, 1, 365, " days")
	for key, doc := range map[string]string{"storage.spaIndexDocument": st.SpaIndexDocument, "storage.spaErrorDocument": st.SpaErrorDocument} {
		if doc == "" || strings.Contains(doc, "/") {
			ps.add(key, doc, "want a file name at the root of the site, e.g. index.html")
		}
	}

	ps.between("monitoring.retentionDays", e.Monitoring.RetentionDays, 30, 730, " days")
}

func validateIdentity(e *Env, ps *Problems, prod bool) {
	g := e.Entra
	if g.CreateGroups {
		if g.PlatformAdminsGroupObjectID != "" {
			ps.add("entra.platformAdminsGroupObjectId", g.PlatformAdminsGroupObjectID, "must be empty when createGroups is true (the layer creates the group)")
		}
		if g.DatabaseAdminsGroupObjectID != "" {
			ps.add("entra.databaseAdminsGroupObjectId", g.DatabaseAdminsGroupObjectID, "must be empty when createGroups is true (the layer creates the group)")
		}
		if g.DatabaseAdminsGroupName != "" {
			ps.add("entra.databaseAdminsGroupName", g.DatabaseAdminsGroupName, "must be empty when createGroups is true (the created group is named by the platform)")
		}
	} else {
		if n := g.DatabaseAdminsGroupName; n != "" && (strings.TrimSpace(n) != n || len(n) > 256) {
			ps.add("entra.databaseAdminsGroupName", n, "want the group's display name: 1-256 characters without leading or trailing spaces")
		}
		for key, id := range map[string]string{"entra.platformAdminsGroupObjectId": g.PlatformAdminsGroupObjectID, "entra.databaseAdminsGroupObjectId": g.DatabaseAdminsGroupObjectID} {
			if id == "" {
				ps.missing(key, "the object ID (a GUID) of an existing group, because createGroups is false")
			} else {
				ps.check(key, id, check.GUID, "a GUID")
			}
		}
	}

	if len(e.Services) == 0 {
		ps.missing("services", "at least one service")
	}
	names := map[string]bool{}
	for i, s := range e.Services {
		key := fmt.Sprintf("services[%d]", i)
		switch {
		case s.Name == "":
			ps.missing(key+".name", "a DNS label")
		case !reDNSLabel.MatchString(s.Name):
			ps.add(key+".name", s.Name, "want a DNS label: lowercase letters, digits and '-', at most 40, starting with a letter")
		case names[s.Name]:
			ps.add(key+".name", s.Name, "is used by another service")
		case slices.Contains(PlatformIdentities, s.Name):
			ps.add(key+".name", s.Name, "is reserved for a platform identity (%s)", strings.Join(PlatformIdentities, ", "))
		}
		names[s.Name] = true
		ps.match(key+".namespace", s.Namespace, reK8sName, "a Kubernetes namespace name")
		ps.match(key+".serviceAccount", s.ServiceAccount, reK8sName, "a Kubernetes service account name")
		ps.oneOf(key+".dataLake", s.DataLake, DataLakeNone, DataLakeRead, DataLakeReadWrite)
		if s.PostgresDatabase != "" {
			ps.match(key+".postgresDatabase", s.PostgresDatabase, rePostgresDB, "a PostgreSQL database name: 1-63 lowercase letters, digits and '_', starting with a letter or '_'")
		}
	}

	for key, w := range map[string]Workload{
		"workloads.externalSecrets": e.Workloads.ExternalSecrets,
		"workloads.certManager":     e.Workloads.CertManager,
		"workloads.albController":   e.Workloads.ALBController,
		"workloads.flux":            e.Workloads.Flux,
	} {
		ps.match(key+".namespace", w.Namespace, reK8sName, "a Kubernetes namespace name")
		if len(w.ServiceAccounts) == 0 {
			ps.missing(key+".serviceAccounts", "at least one service account")
		}
		for i, sa := range w.ServiceAccounts {
			ps.match(fmt.Sprintf("%s.serviceAccounts[%d]", key, i), sa, reK8sName, "a Kubernetes service account name")
		}
	}

	validateAzureDevOps(&e.Pipeline.AzureDevOps, ps)
	gh := e.Pipeline.GitHub
	if gh.Repository != "" {
		ps.match("pipeline.github.repository", gh.Repository, reGitHubRepo, "owner/name")
	} else if len(gh.Environments) > 0 {
		ps.missing("pipeline.github.repository", "owner/name, because environments are set")
	}
	for i, env := range gh.Environments {
		ps.match(fmt.Sprintf("pipeline.github.environments[%d]", i), env, reGitHubEnv, "a GitHub environment name")
	}

	x := e.ExternalID
	if x.Mode == "" {
		ps.missing("externalId.mode", "one of create, existing, disabled")
	} else {
		ps.oneOf("externalId.mode", x.Mode, ExternalIDCreate, ExternalIDExisting, ExternalIDDisabled)
	}
	switch x.Mode {
	case ExternalIDExisting:
		if x.TenantID == "" {
			ps.missing("externalId.tenantId", "the tenant ID (a GUID), because mode is existing")
		} else {
			ps.check("externalId.tenantId", x.TenantID, check.GUID, "a GUID")
		}
		if x.DomainName != "" {
			ps.add("externalId.domainName", x.DomainName, "is only used with mode create")
		}
		if x.TenantSubdomain != "" {
			ps.check("externalId.tenantSubdomain", x.TenantSubdomain, check.CIAMDomain, "1-26 lowercase letters and digits")
		}
	case ExternalIDCreate:
		if x.TenantID != "" {
			ps.add("externalId.tenantId", x.TenantID, "must be empty with mode create (the layer creates the tenant)")
		}
		if x.DomainName == "" {
			ps.missing("externalId.domainName", "1-26 lowercase letters and digits (<domainName>.onmicrosoft.com), because mode is create")
		} else {
			ps.check("externalId.domainName", x.DomainName, check.CIAMDomain, "1-26 lowercase letters and digits")
		}
	}
	if x.Mode != ExternalIDExisting && x.TenantSubdomain != "" {
		ps.add("externalId.tenantSubdomain", x.TenantSubdomain, "is only used with mode existing (mode create uses domainName)")
	}
	switch {
	case x.Mode == ExternalIDDisabled && x.DeployerClientID != "":
		ps.add("externalId.deployerClientId", x.DeployerClientID, "is not used with mode disabled")
	case x.DeployerClientID != "":
		ps.check("externalId.deployerClientId", x.DeployerClientID, check.GUID, "a GUID")
	}
	if prod && (x.Mode == ExternalIDCreate || x.Mode == ExternalIDExisting) {
		// Without a deployer app the azuread provider signs in with the Azure CLI login of whoever
		// runs Pulumi; a pipeline's managed identity cannot sign in to another tenant.
		why := "prod deploys from a pipeline, and without the deployer app the External ID tenant is reached with an Azure CLI login, which a pipeline cannot use for another tenant"
		if x.DeployerClientID == "" {
			ps.missing("externalId.deployerClientId", "the client ID (a GUID) of the deployer app in the External ID tenant, because "+why)
		}
		if x.DeployerObjectID == "" && x.DeployerClientID == "" {
			ps.missing("externalId.deployerObjectId", "the object ID (a GUID) of the deployer app's service principal in the External ID tenant, because "+why)
		}
	}
	switch {
	case x.DeployerClientID == "" && x.DeployerObjectID != "":
		ps.add("externalId.deployerObjectId", x.DeployerObjectID, "is only used with deployerClientId")
	case x.DeployerClientID != "" && x.DeployerObjectID == "":
		ps.missing("externalId.deployerObjectId", "the object ID (a GUID) of the deployer's service principal in the External ID tenant, because deployerClientId is set")
	case x.DeployerObjectID != "":
		ps.check("externalId.deployerObjectId", x.DeployerObjectID, check.GUID, "a GUID")
	}
	validateResidency(e, ps)
	if x.Mode != ExternalIDDisabled {
		for i, u := range x.SpaRedirectURIs {
			if err := check.SPARedirectURI(u); err != nil {
				ps.add(fmt.Sprintf("externalId.spaRedirectUris[%d]", i), u, "%v", err)
			}
		}
		for i, u := range x.MobileRedirectURIs {
			if err := check.MobileRedirectURI(u); err != nil {
				ps.add(fmt.Sprintf("externalId.mobileRedirectUris[%d]", i), u, "%v", err)
			}
		}
	}
}

func validateCluster(e *Env, ps *Problems, prod bool, vnet netip.Prefix) {
	a := e.AKS
	if a.KubernetesVersion == "" {
		ps.missing("aks.kubernetesVersion", "1.<minor> or 1.<minor>.<patch>, e.g. 1.36")
	} else {
		ps.match("aks.kubernetesVersion", a.KubernetesVersion, reK8sVersion, "1.<minor> or 1.<minor>.<patch>, e.g. 1.36")
		if reK8sVersion.MatchString(a.KubernetesVersion) {
			minor, _ := strconv.Atoi(strings.Split(a.KubernetesVersion, ".")[1])
			if minor < MinKubernetesMinor {
				ps.add("aks.kubernetesVersion", a.KubernetesVersion, "Kubernetes 1.%d is out of AKS support, and AKS creates no cluster at a version out of support (only long-term support, which this platform does not configure, keeps older ones): want 1.%d or later", minor, MinKubernetesMinor)
			}
		}
		// With patch, stable or rapid AKS upgrades the cluster past a pinned patch version, and
		// the next deployment would ask for the older one: Azure refuses a downgrade.
		if strings.Count(a.KubernetesVersion, ".") == 2 && a.UpgradeChannel != "none" && a.UpgradeChannel != "node-image" {
			ps.add("aks.kubernetesVersion", a.KubernetesVersion, "a patch version is only allowed with aks.upgradeChannel none or node-image (is %s): auto-upgrade moves the cluster past it and the next deployment would ask Azure for a downgrade, which it refuses; give 1.<minor>", a.UpgradeChannel)
		}
	}
	ps.oneOf("aks.tier", a.Tier, "Free", "Standard", "Premium")
	if prod && a.Tier == "Free" {
		ps.add("aks.tier", a.Tier, "prod needs the Standard or Premium tier (uptime SLA)")
	}
	p := a.SystemPool
	ps.match("aks.systemPool.vmSize", p.VMSize, reVMSize, "an Azure VM size such as Standard_D4ds_v5")
	ps.between("aks.systemPool.count", p.Count, 1, 100, " nodes")
	if prod && p.Count < len(p.Zones) {
		ps.add("aks.systemPool.count", p.Count, "prod wants at least one node per zone (%d zones)", len(p.Zones))
	}
	autoscaled := p.MinCount != 0 || p.MaxCount != 0
	switch {
	case autoscaled && a.NodeProvisioning == "Auto":
		// AKS: "You can't enable NAP on clusters enabled with the cluster autoscaler." Its
		// AllowClusterAutoscalerAndNAP preview is a migration bridge (tainted pools, NAP's default
		// node pools off), not a way to run: not offered here.
		for _, f := range []struct {
			key string
			v   int
		}{{"aks.systemPool.minCount", p.MinCount}, {"aks.systemPool.maxCount", p.MaxCount}} {
			if f.v != 0 {
				ps.add(f.key, f.v, "the cluster autoscaler cannot run beside node auto-provisioning (aks.nodeProvisioning Auto): AKS refuses node auto-provisioning on a cluster with an autoscaled pool; give the system pool a fixed size with aks.systemPool.count, or set aks.nodeProvisioning Manual")
			}
		}

	case autoscaled:
		ps.between("aks.systemPool.minCount", p.MinCount, 1, 100, " nodes")
		if p.MaxCount < p.MinCount || p.MaxCount > 100 {
			ps.add("aks.systemPool.maxCount", p.MaxCount, "want minCount (%d) to 100; minCount and maxCount go together", p.MinCount)
		} else if p.MinCount >= 1 && (p.Count < p.MinCount || p.Count > p.MaxCount) {
			ps.add("aks.systemPool.count", p.Count, "with the cluster autoscaler the count is the starting size: want minCount (%d) to maxCount (%d)", p.MinCount, p.MaxCount)
		}
	}
	seenZone := map[string]bool{}
	for i, z := range p.Zones {
		key := fmt.Sprintf("aks.systemPool.zones[%d]", i)
		if !slices.Contains([]string{"1", "2", "3"}, z) || seenZone[z] {
			ps.add(key, z, "want distinct zones among 1, 2, 3")
		}
		seenZone[z] = true
	}
	if prod && len(p.Zones) < 2 {
		ps.add("aks.systemPool.zones", p.Zones, "prod spreads the system pool over at least two zones")
	}
	ps.between("aks.systemPool.osDiskSizeGb", p.OSDiskSizeGB, 30, 2048, " GB")
	ps.between("aks.systemPool.maxPods", p.MaxPods, 10, 250, "")
	ps.oneOf("aks.nodeProvisioning", a.NodeProvisioning, "Auto", "Manual")
	ps.oneOf("aks.apiServerAccess", a.APIServerAccess, "vnetIntegration", "private")
	for i, r := range a.AuthorizedIPRanges {
		p, err := netplan.ParsePrefix(r)
		switch {
		case err != nil:
			ps.add(fmt.Sprintf("aks.authorizedIpRanges[%d]", i), r, "%v", err)
		case prod && OpensToInternet(p):
			ps.add(fmt.Sprintf("aks.authorizedIpRanges[%d]", i), r, "%s; prod refuses it: list the CIDRs of your operators and pipeline agents, or use apiServerAccess private", wideRange(p))
		}
	}
	if a.APIServerAccess == "private" && len(a.AuthorizedIPRanges) > 0 {
		ps.add("aks.authorizedIpRanges", a.AuthorizedIPRanges, "do not apply to a private API server; remove them")
	}
	if prod && a.APIServerAccess == "vnetIntegration" && len(a.AuthorizedIPRanges) == 0 {
		ps.add("aks.authorizedIpRanges", []string{}, "prod refuses a public API server open to every address: list the CIDRs of your operators and pipeline agents, or use apiServerAccess private")
	}
	ps.oneOf("aks.upgradeChannel", a.UpgradeChannel, "none", "patch", "stable", "rapid", "node-image")
	ps.oneOf("aks.nodeOsUpgradeChannel", a.NodeOSUpgradeChannel, "None", "Unmanaged", "NodeImage", "SecurityPatch")
	for key, w := range map[string]Window{"aks.autoUpgradeWindow": a.AutoUpgradeWindow, "aks.nodeOsUpgradeWindow": a.NodeOSUpgradeWindow} {
		ps.oneOf(key+".dayOfWeek", w.DayOfWeek, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
		ps.match(key+".startTime", w.StartTime, reHHMM, "HH:MM")
		ps.between(key+".durationHours", w.DurationHours, 4, 24, " hours")
		ps.match(key+".utcOffset", w.UTCOffset, reUTCOffset, "+HH:MM or -HH:MM")
		ps.between(key+".intervalWeeks", w.IntervalWeeks, 1, 4, " weeks")
	}
	pod, podErr := netplan.ParsePrefix(a.PodCIDR)
	if podErr != nil {
		ps.add("aks.podCidr", a.PodCIDR, "%v", podErr)
	} else if vnet.IsValid() && pod.Overlaps(vnet) {
		ps.add("aks.podCidr", a.PodCIDR, "overlaps the VNet address space %s", vnet)
	}
	svc, svcErr := netplan.ParsePrefix(a.ServiceCIDR)
	switch {
	case svcErr != nil:
		ps.add("aks.serviceCidr", a.ServiceCIDR, "%v", svcErr)
	case vnet.IsValid() && svc.Overlaps(vnet):
		ps.add("aks.serviceCidr", a.ServiceCIDR, "overlaps the VNet address space %s", vnet)
	case podErr == nil && svc.Overlaps(pod):
		ps.add("aks.serviceCidr", a.ServiceCIDR, "overlaps the pod CIDR %s", pod)
	case svc.Bits() > 28:
		ps.add("aks.serviceCidr", a.ServiceCIDR, "is too small: want /28 or larger")
	}
	ps.match("aks.secretRotationInterval", a.SecretRotationInterval, reDuration, "a duration such as 2m, 30s or 1h")
}

// MinAuthorizedPrefixLength is the widest public range an API server's authorized ranges may hold
// in prod: /16, 65,536 addresses. A wider public range (0.0.0.0/0 above all) opens the API server
// to a large part of the internet; the dev profile is warned instead.
const MinAuthorizedPrefixLength = 16

// OpensToInternet reports whether an authorized IP range is public and wider than
// MinAuthorizedPrefixLength. Private ranges (RFC 1918, 100.64.0.0/10) are not the internet,
// however wide.
func OpensToInternet(p netip.Prefix) bool {
	return p.Bits() < MinAuthorizedPrefixLength && !netplan.IsPrivate(p)
}

func wideRange(p netip.Prefix) string {
	return fmt.Sprintf("opens the API server to %d public addresses (wider than /%d)", uint64(1)<<(32-p.Bits()), MinAuthorizedPrefixLength)
}

// warnings lists what the settings allow but should not: in the dev profile, authorized ranges
// that prod would refuse as open to the internet.
func (e *Env) warnings() Problems {
	var ws Problems
	if e.Prod() {
		return nil
	}
	for i, r := range e.AKS.AuthorizedIPRanges {
		if p, err := netplan.ParsePrefix(r); err == nil && OpensToInternet(p) {
			ws.add(fmt.Sprintf("aks.authorizedIpRanges[%d]", i), r, "%s; the dev profile allows it, prod refuses it: list the CIDRs of your operators and pipeline agents", wideRange(p))
		}
	}
	return ws
}

// Prod reports whether the environment runs the prod profile: its defaults and its safety rules.
func (e *Env) Prod() bool { return e.Profile == Prod }

// OriginDNSZone splits OriginDNSZoneID into its subscription, resource group and zone name (all
// empty when the ID is not a DNS zone ID).
func (a AGC) OriginDNSZone() (subscription, resourceGroup, zone string) {
	if !reDNSZoneID.MatchString(a.OriginDNSZoneID) {
		return "", "", ""
	}
	parts := strings.Split(a.OriginDNSZoneID, "/")
	return parts[2], parts[4], strings.ToLower(parts[8])
}

// DNSServiceIP is the cluster DNS service address: the 10th address of the service CIDR.
func (a AKS) DNSServiceIP() string {
	p, err := netplan.ParsePrefix(a.ServiceCIDR)
	if err != nil {
		return ""
	}
	ip, _ := netplan.HostAt(p, 10)
	return ip.String()
}

func validateEdge(e *Env, ps *Problems, prod bool) {
	r := e.ACR
	ps.oneOf("acr.sku", r.Sku, "Basic", "Standard", "Premium")
	if r.Sku != "Premium" {
		premiumOnly := map[string]bool{"acr.zoneRedundancy": r.ZoneRedundancy, "acr.contentTrust": r.ContentTrust, "acr.privateEndpoint": r.PrivateEndpoint, "acr.retentionDays": r.RetentionDays > 0}
		for _, key := range sortedKeys(premiumOnly) {
			if premiumOnly[key] {
				ps.add(key, "on", "needs acr.sku Premium (is %s)", r.Sku)
			}
		}
	}
	ps.between("acr.retentionDays", r.RetentionDays, 0, 365, " days")

	f := e.FrontDoor
	ps.oneOf("frontDoor.wafMode", f.WAFMode, WAFPrevention, WAFDetection)
	if prod && f.WAFMode == WAFDetection {
		ps.add("frontDoor.wafMode", f.WAFMode, "prod blocks attacks: want Prevention")
	}
	ps.between("frontDoor.rateLimitThreshold", f.RateLimitThreshold, 10, 1000000, " requests")
	if f.RateLimitDurationMinutes != 1 && f.RateLimitDurationMinutes != 5 {
		ps.add("frontDoor.rateLimitDurationMinutes", f.RateLimitDurationMinutes, "want 1 or 5")
	}
	if n := len(f.AllowedCountries); n > 9 {
		ps.add("frontDoor.allowedCountries", n, "at most 9 countries: a Front Door geo rule takes ten codes and ZZ (unknown country) is always added")
	}
	for i, c := range f.AllowedCountries {
		ps.match(fmt.Sprintf("frontDoor.allowedCountries[%d]", i), c, reCountry, "an ISO 3166 alpha-2 country code such as DE")
	}
	seen := map[string]bool{}
	for i, d := range f.CustomDomains {
		key := fmt.Sprintf("frontDoor.customDomains[%d]", i)
		if !reHostname.MatchString(d) {
			ps.add(key, d, "want a lowercase host name such as app.example.com")
		}
		if seen[d] {
			ps.add(key, d, "is listed twice")
		}
		seen[d] = true
	}
	ps.between("frontDoor.originResponseTimeoutSeconds", f.OriginResponseTimeoutSeconds, 16, 240, " seconds")

	ps.oneOf("agc.wafMode", e.AGC.WAFMode, WAFPrevention, WAFDetection)
	if prod && e.AGC.WAFMode == WAFDetection {
		ps.add("agc.wafMode", e.AGC.WAFMode, "prod blocks attacks: want Prevention")
	}
	if h := e.AGC.OriginHostName; h != "" {
		ps.match("agc.originHostName", h, reHostname, "a lowercase host name such as api-origin.example.com")
		if slices.Contains(e.FrontDoor.CustomDomains, h) {
			ps.add("agc.originHostName", h, "is a Front Door custom domain; the origin needs its own name (its CNAME points at the gateway, not at Front Door)")
		}
		switch zone := e.AGC.OriginDNSZoneID; {
		case zone == "":
			ps.missing("agc.originDnsZoneId", "the resource ID of the Azure DNS zone holding originHostName (cert-manager answers DNS-01 there), because originHostName is set")
		case !reDNSZoneID.MatchString(zone):
			ps.add("agc.originDnsZoneId", zone, "want /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/dnszones/<zone>")
		default:
			if _, _, name := e.AGC.OriginDNSZone(); !strings.HasSuffix(h, "."+name) {
				ps.add("agc.originHostName", h, "is not inside the zone %s of agc.originDnsZoneId", name)
			}
		}
	} else {
		if prod {
			ps.missing("agc.originHostName", "prod encrypts traffic from Front Door to the API: a host name with a CNAME to the AGC frontend, e.g. api-origin.example.com")
		}
		if e.AGC.OriginDNSZoneID != "" {
			ps.add("agc.originDnsZoneId", e.AGC.OriginDNSZoneID, "is only used with agc.originHostName")
		}
	}
	ps.oneOf("documentIntelligence.sku", e.DocumentIntelligence.Sku, "F0", "S0")
	if prod && e.DocumentIntelligence.Sku == "F0" {
		ps.add("documentIntelligence.sku", "F0", "the free tier has no SLA and a 20-calls-a-minute limit: prod wants S0")
	}
}

func validateFlux(e *Env, ps *Problems) {
	f := e.Flux
	if f.RepositoryURL == "" {
		ps.missing("flux.repositoryUrl", "the https URL of the Git repository holding gitops/")
	} else if !strings.HasPrefix(f.RepositoryURL, "https://") || strings.ContainsAny(f.RepositoryURL, " \t") {
		ps.add("flux.repositoryUrl", f.RepositoryURL, "want an https:// URL")
	}
	ps.match("flux.branch", f.Branch, reBranch, "a Git branch name")
	ps.oneOf("flux.auth", f.Auth, "none", "workloadIdentity", "keyVaultSecret")
	if f.Auth == "workloadIdentity" && f.RepositoryURL != "" && !strings.HasPrefix(f.RepositoryURL, "https://dev.azure.com/") {
		ps.add("flux.auth", f.Auth, "workload identity authenticates to Azure DevOps only (repositoryUrl https://dev.azure.com/...); use none for a public repository or keyVaultSecret")
	}
	if f.Auth == "keyVaultSecret" {
		if f.CredentialsSecret == "" {
			ps.missing("flux.credentialsSecret", "the Kubernetes secret in flux-system that External Secrets fills from Key Vault, because auth is keyVaultSecret")
		} else {
			ps.match("flux.credentialsSecret", f.CredentialsSecret, reK8sName, "a Kubernetes secret name")
		}
	} else if f.CredentialsSecret != "" {
		ps.add("flux.credentialsSecret", f.CredentialsSecret, "is only used with auth keyVaultSecret")
	}
	ps.between("flux.syncIntervalSeconds", f.SyncIntervalSeconds, 60, 86400, " seconds")
	ps.oneOf("flux.releaseTrain", f.ReleaseTrain, "stable", "preview")
	ps.oneOf("flux.clusterLogin", f.ClusterLogin, ClusterLoginAzureCLI, ClusterLoginWorkloadIdentity)
	if !f.AutoUpgradeMinorVersion && f.Version == "" {
		ps.missing("flux.version", "a pinned extension version such as 1.19.5, because autoUpgradeMinorVersion is false")
	}
	if f.Version != "" {
		ps.match("flux.version", f.Version, reSemver, "a version such as 1.19.5")
		if f.AutoUpgradeMinorVersion {
			ps.add("flux.version", f.Version, "cannot be pinned while autoUpgradeMinorVersion is true")
		}
	}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
