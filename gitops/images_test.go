package gitops

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goneRegistries are image paths that serve no images any more: a pod pulling from one never
// starts, and a HelmRelease or kustomization waiting for it never becomes ready.
var goneRegistries = []struct{ prefix, evidence string }{
	{"gcr.io/kubebuilder/", "kubebuilder's images were removed with Google Container Registry " +
		"(kubernetes-sigs/kubebuilder discussion 3907; opensearch-project/opensearch-k8s-operator#1372: " +
		"gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0 not found)"},
}

// chartDefaultImages are images a pinned chart renders from its own defaults, which the tree
// shows only when it overrides them.
var chartDefaultImages = map[string]func(values map[string]any) []string{
	// opensearch-operator 2.8.0 (values.yaml, templates/...-controller-manager-deployment.yaml):
	// a kube-rbac-proxy sidecar unless kubeRbacProxy.enable is false, image
	// kubeRbacProxy.image.repository:tag, default gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0.
	"opensearch-operator@2.8.0": func(values map[string]any) []string {
		if get(values, "kubeRbacProxy", "enable") == false {
			return nil
		}
		repo, ok := get(values, "kubeRbacProxy", "image", "repository").(string)
		if !ok {
			repo = "gcr.io/kubebuilder/kube-rbac-proxy"
		}
		tag, ok := get(values, "kubeRbacProxy", "image", "tag").(string)
		if !ok {
			tag = "v0.15.0"
		}
		return []string{repo + ":" + tag}
	},
}

// imagesIn lists the image references in an object: every string field named image, and every
// map with a string repository (chart values), joined with its tag.
func imagesIn(o object) []string {
	var out []string
	walk(o.m, nil, func(_ []string, m map[string]any) {
		if s, ok := m["image"].(string); ok {
			out = append(out, s)
		}
		if repo, ok := m["repository"].(string); ok {
			if tag, ok := m["tag"].(string); ok && tag != "" {
				repo += ":" + tag
			}
			out = append(out, repo)
		}
	})
	if o.kind() == "HelmRelease" {
		chart, version := chartOf(o)
		if f, ok := chartDefaultImages[chart+"@"+version]; ok {
			out = append(out, f(valuesOf(o))...)
		}
	}
	return out
}

// TestNoImageFromGoneRegistry: no object of dev or prod, and no chart the tree pins by its
// defaults, pulls an image from a registry path known to be gone.
func TestNoImageFromGoneRegistry(t *testing.T) {
	for _, env := range envs {
		images := 0
		for _, o := range built(t, env) {
			for _, img := range imagesIn(o) {
				images++
				for _, gone := range goneRegistries {
					assert.False(t, strings.HasPrefix(img, gone.prefix), "%s: image %s: %s", o, img, gone.evidence)
				}
			}
		}
		require.GreaterOrEqual(t, images, 3, "%s: found only %d images: the scan is broken", env, images)
	}
}

func TestImagesIn(t *testing.T) {
	hr := func(values map[string]any) object {
		return object{m: map[string]any{"kind": "HelmRelease", "spec": map[string]any{
			"chart":  map[string]any{"spec": map[string]any{"chart": "opensearch-operator", "version": "2.8.0"}},
			"values": values,
		}}}
	}
	for _, c := range []struct {
		name string
		obj  object
		want []string
	}{
		{"container image", object{m: map[string]any{"kind": "Deployment", "spec": map[string]any{"containers": []any{map[string]any{"image": "a/b:1"}}}}}, []string{"a/b:1"}},
		{"chart values repository and tag", object{m: map[string]any{"kind": "HelmRelease", "spec": map[string]any{"values": map[string]any{"image": map[string]any{"repository": "r/x", "tag": "2"}}}}}, []string{"r/x:2"}},
		{"opensearch-operator default sidecar", hr(nil), []string{"gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0"}},
		{"opensearch-operator sidecar off", hr(map[string]any{"kubeRbacProxy": map[string]any{"enable": false}}), nil},
		{"opensearch-operator sidecar moved", hr(map[string]any{"kubeRbacProxy": map[string]any{"image": map[string]any{"repository": "q/p"}}}), []string{"q/p", "q/p:v0.15.0"}},
	} {
		assert.ElementsMatch(t, c.want, imagesIn(c.obj), c.name)
	}
}
