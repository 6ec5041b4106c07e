// Package check holds the validation rules that configuration (when it is loaded) and the
// components (when they run) both apply, so that each rule is written once and both sides agree.
// It is pure: no Pulumi, no Azure SDK, and it reads no configuration, so components may import it.
package check

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
)

var (
	reGUID       = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	reServerless = regexp.MustCompile(`^GP_S_Gen5_([0-9]+)$`)
	reContainer  = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	reCIAMDomain = regexp.MustCompile(`^[a-z0-9]{1,26}$`)
)

// GUID reports whether s is a GUID (8-4-4-4-12 hexadecimal digits), e.g. an Entra object ID.
func GUID(s string) bool { return reGUID.MatchString(s) }

// SQLServerlessVCores are the maximum vCore counts of Azure SQL's General Purpose serverless
// (Gen5) SKUs, GP_S_Gen5_<vCores>.
var SQLServerlessVCores = []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 32, 40, 80}

// SQLServerlessSKU returns the maximum vCores of a General Purpose serverless SKU name such as
// GP_S_Gen5_2, and false for any other name.
func SQLServerlessSKU(sku string) (vCores int, ok bool) {
	m := reServerless.FindStringSubmatch(sku)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || !slices.Contains(SQLServerlessVCores, n) {
		return 0, false
	}
	return n, true
}

// StorageReplications are the storage account SKUs the platform accepts (Standard, general
// purpose v2).
var StorageReplications = []string{"Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS", "Standard_RAGRS", "Standard_RAGZRS"}

// StorageReplication reports whether s is one of StorageReplications.
func StorageReplication(s string) bool { return slices.Contains(StorageReplications, s) }

// StorageContainer reports whether s is a valid blob container (file system) name: 3-63
// lowercase letters, digits and single hyphens, starting and ending with a letter or digit.
func StorageContainer(s string) bool {
	return len(s) >= 3 && len(s) <= 63 && reContainer.MatchString(s)
}

// CIAMDomain reports whether s is a valid External ID tenant domain prefix or ciamlogin.com
// subdomain: 1-26 lowercase letters and digits.
func CIAMDomain(s string) bool { return reCIAMDomain.MatchString(s) }

// SPARedirectURI applies Entra ID's rules for a single-page application's redirect URI: an
// absolute https URI with a host and a path (at least "/"); plain http only for the loopback
// hosts localhost and 127.0.0.1 (any port), matched exactly, so http://localhost.example.com/ is
// refused.
func SPARedirectURI(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("not a URI")
	case u.Scheme != "https" && u.Scheme != "http":
		return errors.New("want https://")
	case u.Host == "" || u.User != nil:
		return errors.New("want an absolute URI with a host and no user information, e.g. https://app.example.com/")
	case u.Scheme == "http" && u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1":
		return errors.New("http:// is only allowed for localhost and 127.0.0.1 (e.g. http://localhost:5173/); want https://")
	case u.Path == "":
		return errors.New("add a path or a trailing slash, e.g. https://app.example.com/")
	}
	return nil
}

// MobileRedirectURI applies the platform's rule for a mobile (public client) redirect URI: a
// platform URI with a scheme and a host, such as msauth.com.example.app://auth or
// com.example.app://callback; plain http is refused.
func MobileRedirectURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Scheme == "http" {
		return errors.New("want a platform redirect URI with a scheme and a host, such as msauth.com.example.app://auth or com.example.app://callback")
	}
	return nil
}

// MaxFederatedCredentials is Entra ID's limit of federated identity credentials on one
// application or user-assigned managed identity (Learn: "Important considerations and
// restrictions for federated identity credentials"). Each credential holds exactly one audience.
const MaxFederatedCredentials = 20
