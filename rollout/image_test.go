package rollout

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseImage(t *testing.T) {
	digest := "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	good := []struct {
		ref  string
		want Image
	}{
		{"platformacr.azurecr.io/user-service:1.4.2", Image{Registry: "platformacr.azurecr.io", Repository: "user-service", Tag: "1.4.2"}},
		{"platformacr.azurecr.io/team/user-service:1.4.2-rc.1", Image{Registry: "platformacr.azurecr.io", Repository: "team/user-service", Tag: "1.4.2-rc.1"}},
		{"localhost:5000/svc:main-3f2a1b0", Image{Registry: "localhost:5000", Repository: "svc", Tag: "main-3f2a1b0"}},
		{"platformacr.azurecr.io/user-service:1.4.2@" + digest, Image{Registry: "platformacr.azurecr.io", Repository: "user-service", Tag: "1.4.2", Digest: digest}},
	}
	for _, tt := range good {
		got, err := ParseImage(tt.ref)
		require.NoError(t, err, tt.ref)
		tt.want.Ref = tt.ref
		assert.Equal(t, tt.want, got)
	}
	bad := map[string]string{
		"":                                         "image is empty",
		"user-service:1.4.2":                       "has no registry",
		"/user-service:1.4.2":                      "has no registry",
		"acr.azurecr.io/user-service":              "has no tag",
		"acr.azurecr.io/user-service@" + digest:    "has no tag",
		"acr.azurecr.io/:1.4.2":                    "is not a valid path",
		"acr.azurecr.io/user-service:-1":           "is not a valid tag",
		"acr.azurecr.io/user-service:1@sha256:ABC": "is not sha256:<64 lowercase hex digits>",
		"acr.azurecr.io/user service:1":            "white space",
	}
	for ref, want := range bad {
		_, err := ParseImage(ref)
		if assert.Error(t, err, ref) {
			assert.Contains(t, err.Error(), want, ref)
		}
	}
}

func TestDigestOf(t *testing.T) {
	d := "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	assert.Equal(t, d, digestOf("platformacr.azurecr.io/user-service@"+d))
	assert.Equal(t, d, digestOf("docker-pullable://platformacr.azurecr.io/user-service@"+d))
	assert.Equal(t, d, digestOf(d))
	assert.Equal(t, "", digestOf(""))
}

func TestGitRevisions(t *testing.T) {
	h := "5394cb7f48332b2de7c17dd8b8384bbc84b7e738"
	// The revision formats source-controller has written (fluxcd/pkg/git ExtractHashFromRevision).
	for _, rev := range []string{"main@sha1:" + h, "feature/x@sha1:" + h, "sha1:" + h, "main/" + h, h} {
		assert.Equal(t, h, gitHash(rev), rev)
	}
	assert.Equal(t, "5394cb7f4833", chartRevisionMetadata("0.1.0+5394cb7f4833"))
	assert.Equal(t, "5394cb7f4833", chartRevisionMetadata("0.1.0+5394cb7f4833.3"), "values files append .<generation>")
	assert.Equal(t, "", chartRevisionMetadata("0.1.0"))
}
