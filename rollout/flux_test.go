package rollout

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

func fluxObjectsOf(objs []runtime.Object) fluxObjects {
	var f fluxObjects
	for _, o := range objs {
		u, ok := o.(*unstructured.Unstructured)
		if !ok {
			continue
		}
		switch u.GetKind() {
		case "HelmRelease":
			f.HelmRelease = u
		case "HelmChart":
			f.HelmChart = u
		case "GitRepository":
			f.GitRepository = u
		case "Kustomization":
			f.Kustomization = u
		}
	}
	return f
}

func TestCheckFlux(t *testing.T) {
	img := mustImage(t, newImage)
	t.Run("released", func(t *testing.T) {
		v := checkFlux(fluxObjectsOf(flux(released(7, newTag, newCommit), newCommit)), img, ns)
		assert.Equal(t, fluxView{Applied: true, TagInSpec: true}, v)
	})
	t.Run("the source check needs reconcileStrategy Revision and a GitRepository", func(t *testing.T) {
		hr := released(7, newTag, oldCommit).object()
		chart := hr.Object["spec"].(map[string]any)["chart"].(map[string]any)["spec"].(map[string]any)
		chart["reconcileStrategy"] = "ChartVersion"
		objs := fluxObjectsOf(flux(released(7, newTag, oldCommit), newCommit))
		objs.HelmRelease = hr
		v := checkFlux(objs, img, ns)
		assert.True(t, v.Applied, "with ChartVersion the chart version carries no commit: nothing to compare")
	})
	t.Run("a tag given through valuesFrom is not in spec.values", func(t *testing.T) {
		hr := released(7, newTag, newCommit).object()
		delete(hr.Object["spec"].(map[string]any), "values")
		objs := fluxObjectsOf(flux(released(7, newTag, newCommit), newCommit))
		objs.HelmRelease = hr
		v := checkFlux(objs, img, ns)
		assert.True(t, v.Applied)
		assert.False(t, v.TagInSpec)
	})
	t.Run("another repository in spec.values", func(t *testing.T) {
		v := checkFlux(fluxObjectsOf(flux(released(7, newTag, newCommit), newCommit)), mustImage(t, registry+"/billing:"+newTag), ns)
		assert.False(t, v.Applied)
		assert.Contains(t, v.Waiting, `has image.repository "user-service", the expected image's is "billing"`)
	})
	t.Run("another registry in spec.values", func(t *testing.T) {
		hr := released(7, newTag, newCommit).object()
		hr.Object["spec"].(map[string]any)["values"].(map[string]any)["image"].(map[string]any)["registry"] = "otheracr.azurecr.io"
		objs := fluxObjectsOf(flux(released(7, newTag, newCommit), newCommit))
		objs.HelmRelease = hr
		v := checkFlux(objs, img, ns)
		assert.False(t, v.Applied)
		assert.Contains(t, v.Waiting, `has image.registry "otheracr.azurecr.io", the expected image's is "platformacr.azurecr.io"`)
	})
	t.Run("suspended", func(t *testing.T) {
		hr := pending(7).object()
		hr.Object["spec"].(map[string]any)["suspend"] = true
		objs := fluxObjectsOf(flux(pending(7), newCommit))
		objs.HelmRelease = hr
		v := checkFlux(objs, img, ns)
		assert.Contains(t, v.Waiting, "the HelmRelease is suspended")
	})
	t.Run("Ready=False without a release-failure reason is waiting", func(t *testing.T) {
		r := upgrading(7)
		r.reconciling = false
		r.ready, r.reason, r.message = "False", "SourceNotReady", "HelmChart 'flux-system/flux-system-user-service' is not ready"
		v := checkFlux(fluxObjectsOf(flux(r, newCommit)), img, ns)
		assert.Nil(t, v.Failure)
		assert.Contains(t, v.Waiting, "Ready=False SourceNotReady")
	})
}

// With the tag outside spec.values, only the Deployment proves it: a different image there is
// waiting (the tag may not have arrived), not an image mismatch.
func TestVerifyTagThroughValuesFrom(t *testing.T) {
	noValues := func(objs []runtime.Object) []runtime.Object {
		delete(objs[0].(*unstructured.Unstructured).Object["spec"].(map[string]any), "values")
		return objs
	}
	t.Run("the Deployment runs the image: success, saying so", func(t *testing.T) {
		c := newCluster(t, noValues(done())...)
		check(t, c, c.verify(), expect{outcome: Succeeded, contains: []string{"the tag is not in the HelmRelease's spec.values"}})
	})
	t.Run("the Deployment runs the old image: waiting, then could not tell", func(t *testing.T) {
		objs := noValues(flux(released(7, newTag, newCommit), newCommit))
		c := newCluster(t, append(objs, steady()[4:]...)...)
		check(t, c, c.verify(func(o *Options) { o.Timeout = time.Minute }), expect{outcome: Unknown,
			contains: []string{`Deployment user-service/user-service still has image "` + oldImage + `"`}})
	})
}
