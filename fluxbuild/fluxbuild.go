// Package fluxbuild builds an entry point of the GitOps tree into the objects Flux's
// kustomize-controller would apply: the kustomize build and the post-build substitution of
// fluxcd/pkg/kustomize (the library the controller itself uses), with the variables the flux
// layer hands every kustomization (the cluster-values ConfigMap it reads with
// spec.postBuild.substituteFrom). It is separate from package
// gitops because the flux layer imports that one and must not compile kustomize, and outside the
// gitops/ directory so that its test data is not taken for part of the tree.
//
// Faithfulness to the kustomize-controller of Flux v2.6.4 (v1.6.1, fluxcd/pkg/kustomize v1.18.0,
// envsubst v1.4.0): the build (SecureBuild rooted at the repository, no remote bases, builtin
// plugins only) and the substitution (bash-style ${VAR}, ${VAR:=default}, ${VAR:-default}, $${VAR}
// for a literal, unset variables empty, resources labelled or annotated
// kustomize.toolkit.fluxcd.io/substitute: disabled left alone) are the same code in the
// module's v1.41.0 (envsubst v1.8.0). Differences: v1.8.0 counts a negative substring length from
// the end (${VAR:1:-1}); v1.4.0 did not; both only matter in strict mode otherwise, which the
// extension does not enable. Not done here: the controller's kustomization.yaml generator
// (the tree has a kustomization.yaml in every entry point and the Flux configuration sets no
// spec.patches, images or namePrefix), SOPS decryption (the tree has no encrypted files) and
// reading substituteFrom's ConfigMap from a cluster: the caller passes its data as the variables,
// which is what the controller does with a ConfigMap's data (inline substitute, which the flux
// layer does not use, would take precedence over it).
package fluxbuild

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/fluxcd/pkg/kustomize"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Build builds the kustomization directory dir (relative to the repository root, as a Flux
// kustomization's spec.path: "./gitops/clusters/dev/services") and substitutes vars into every
// object, returning the objects in kustomize's order.
func Build(root, dir string, vars map[string]string) ([]map[string]any, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	resMap, err := kustomize.SecureBuild(absRoot, filepath.Join(absRoot, dir), false)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	substitute := map[string]any{}
	for k, v := range vars {
		substitute[k] = v
	}
	ks := unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1",
		"kind":       "Kustomization",
		"spec":       map[string]any{"path": dir, "postBuild": map[string]any{"substitute": substitute}},
	}}
	var out []map[string]any
	for _, res := range resMap.Resources() {
		if res.GetName() == "" || res.GetKind() == "" || res.GetApiVersion() == "" {
			return nil, fmt.Errorf("%s: failed to decode Kubernetes apiVersion, kind and name from: %v", dir, res.String())
		}
		// Dry run: variables come from substitute only, no cluster is asked for substituteFrom.
		sub, err := kustomize.SubstituteVariables(context.Background(), nil, ks, res, kustomize.SubstituteWithDryRun(true))
		if err != nil {
			return nil, fmt.Errorf("%s: post build failed for '%s': %w", dir, res.GetName(), err)
		}
		if sub != nil {
			res = sub
		}
		m, err := res.Map()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", dir, res.GetName(), err)
		}
		out = append(out, m)
	}
	return out, nil
}
