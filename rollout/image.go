package rollout

import (
	"fmt"
	"regexp"
	"strings"
)

// Image is the image reference a rollout must end up running, as given by -image:
// REGISTRY/REPOSITORY:TAG, optionally followed by @sha256:DIGEST (the form the microservice chart
// renders when image.digest is set).
type Image struct {
	// Ref is the reference exactly as given; the Deployment's container must carry exactly this.
	Ref string
	// Registry is the host part, e.g. myacr.azurecr.io.
	Registry string
	// Repository is the path in the registry, e.g. user-service or team/user-service.
	Repository string
	// Tag is the tag, e.g. 1.4.2.
	Tag string
	// Digest is "sha256:<64 hex>" or "" when the image is given by tag only.
	Digest string
}

var (
	digestPattern = regexp.MustCompile(`^sha256:[a-f0-9]{64}$`)
	// Docker's tag grammar: up to 128 word characters, dots and dashes, not starting with . or -.
	tagPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
)

// ParseImage checks and splits an image reference. The registry is required (the chart always
// renders one), and so is the tag (the chart's image.tag is required).
func ParseImage(ref string) (Image, error) {
	img := Image{Ref: ref}
	if ref == "" {
		return img, fmt.Errorf("image is empty: want REGISTRY/REPOSITORY:TAG[@sha256:DIGEST]")
	}
	if strings.ContainsAny(ref, " \t\n") {
		return img, fmt.Errorf("image %q contains white space", ref)
	}
	name := ref
	if i := strings.Index(name, "@"); i >= 0 {
		img.Digest = name[i+1:]
		name = name[:i]
		if !digestPattern.MatchString(img.Digest) {
			return img, fmt.Errorf("image %q: digest %q is not sha256:<64 lowercase hex digits>", ref, img.Digest)
		}
	}
	slash := strings.Index(name, "/")
	if slash <= 0 {
		return img, fmt.Errorf("image %q has no registry: want REGISTRY/REPOSITORY:TAG (e.g. myacr.azurecr.io/user-service:1.4.2)", ref)
	}
	img.Registry = name[:slash]
	rest := name[slash+1:]
	colon := strings.LastIndex(rest, ":")
	if colon < 0 {
		return img, fmt.Errorf("image %q has no tag: want REGISTRY/REPOSITORY:TAG", ref)
	}
	img.Repository, img.Tag = rest[:colon], rest[colon+1:]
	if img.Repository == "" || strings.HasSuffix(img.Repository, "/") || strings.Contains(img.Repository, "//") {
		return img, fmt.Errorf("image %q: repository %q is not a valid path", ref, img.Repository)
	}
	if !tagPattern.MatchString(img.Tag) {
		return img, fmt.Errorf("image %q: tag %q is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)", ref, img.Tag)
	}
	return img, nil
}

// String returns the reference as given.
func (i Image) String() string { return i.Ref }

// digestOf returns the sha256:... digest at the end of a container status imageID
// ("myacr.azurecr.io/user-service@sha256:...", or with a docker-pullable:// prefix), or "".
func digestOf(imageID string) string {
	if i := strings.LastIndex(imageID, "@"); i >= 0 {
		return imageID[i+1:]
	}
	if strings.HasPrefix(imageID, "sha256:") {
		return imageID
	}
	return ""
}
