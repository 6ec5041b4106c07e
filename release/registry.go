package release

import (
	"fmt"
	"strings"
	"time"
)

// Policy is what happens in the registry to an image whose rollout failed.
type Policy string

// The policies of failed images.
const (
	// Keep leaves the tag where it is (for analysis). Refused where Flux image automation runs:
	// the ImagePolicy picks the newest tag, so it would deploy the failed one again.
	Keep Policy = "keep"
	// Quarantine moves the tag away: the image stays, tagged failed-<tag>, which no semver
	// ImagePolicy selects, and the original tag is removed.
	Quarantine Policy = "quarantine"
	// Delete deletes the image's manifest (with every tag pointing at it).
	Delete Policy = "delete"
)

// Policies lists the policies.
var Policies = []Policy{Keep, Quarantine, Delete}

// ParsePolicy reads a policy name.
func ParsePolicy(s string) (Policy, error) {
	for _, p := range Policies {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("policy %q: want keep, quarantine or delete", s)
}

// QuarantinePrefix starts the tag a quarantined image keeps. A tag with it is no semantic
// version, so the semver ImagePolicies of the platform never select it.
const QuarantinePrefix = "failed-"

// Image is a service image in the platform's registry.
type Image struct {
	// RegistryName is the registry's resource name (crsaasdevweu). Required.
	RegistryName string
	// RegistryID is its ARM ID: az acr import names the source registry by ID, which works when
	// its public network access is disabled (prod). Required for Quarantine.
	RegistryID string
	Repository string
	Tag        string
}

// MarkFailedCommands are the commands that apply the policy to the failed image, in order. With
// image automation, the Flux ImageRepository of the service is asked to scan again, so its
// ImagePolicy stops pointing at the failed tag before the automation's next run. Quarantine and
// Delete need Microsoft.ContainerRegistry/registries/artifacts/delete (AcrDelete, or
// Contributor), Quarantine's copy also registries/importImage/action (Contributor): AcrPush
// (pull and push) allows neither.
func MarkFailedCommands(img Image, p Policy, imageAutomation bool, now time.Time) ([][]string, error) {
	var errs []string
	if img.RegistryName == "" || img.Repository == "" {
		errs = append(errs, "the registry name and the repository are required")
	}
	if err := ValidTag(img.Tag); err != nil {
		errs = append(errs, err.Error())
	}
	if p == Quarantine {
		if img.RegistryID == "" {
			errs = append(errs, "quarantine needs the registry's resource ID (-registry-id)")
		}
		if err := ValidTag(QuarantinePrefix + img.Tag); err != nil {
			errs = append(errs, "the quarantine tag: "+err.Error())
		}
	}
	if p == Keep && imageAutomation {
		errs = append(errs, fmt.Sprintf("policy keep with Flux image automation on: its ImagePolicy would select %s:%s again and undo the rollback; use quarantine or delete", img.Repository, img.Tag))
	}
	if strings.HasPrefix(img.Tag, QuarantinePrefix) {
		errs = append(errs, fmt.Sprintf("tag %s is already a quarantined one", img.Tag))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("mark-failed: %s", strings.Join(errs, "; "))
	}
	ref := img.Repository + ":" + img.Tag
	var cmds [][]string
	switch p {
	case Quarantine:
		cmds = append(cmds,
			[]string{"az", "acr", "import", "--name", img.RegistryName, "--registry", img.RegistryID,
				"--source", ref, "--image", img.Repository + ":" + QuarantinePrefix + img.Tag, "--force"},
			[]string{"az", "acr", "repository", "untag", "--name", img.RegistryName, "--image", ref})
	case Delete:
		cmds = append(cmds, []string{"az", "acr", "repository", "delete", "--name", img.RegistryName, "--image", ref, "--yes"})
	}
	if imageAutomation && p != Keep {
		// What `flux reconcile image repository` does: the scan runs now, not in up to 5 minutes.
		cmds = append(cmds, []string{"kubectl", "annotate", "--overwrite", "--namespace", "flux-system",
			"imagerepository.image.toolkit.fluxcd.io/" + img.Repository, "reconcile.fluxcd.io/requestedAt=" + now.UTC().Format(time.RFC3339Nano)})
	}
	return cmds, nil
}
