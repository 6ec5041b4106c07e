// Package kubeschema validates Kubernetes objects, offline, against the schemas of the APIs the
// platform's cluster serves: built-in kinds against Kubernetes 1.36 (the cluster's version) and
// custom kinds against the CRDs of the versions the GitOps tree pins. Validate takes the objects
// (from a kustomize build, a Helm render, or YAML) and returns every problem, each naming the
// object, where it came from and the field.
//
// Built-in kinds (the core group and every *.k8s.io group of Kubernetes):
//   - the group/version must be one Kubernetes 1.36 serves by default: a GA version present in
//     the 1.36 OpenAPI spec (alpha and beta APIs are off by default since 1.24 and AKS does not
//     turn them on), so e.g. storagemigration.k8s.io/v1 (1.37) or policy/v1beta1 (removed) are refused;
//   - the object must match the 1.36 OpenAPI definition of its kind (schemas/kubernetes.json):
//     unknown fields (including fields added after 1.36), wrong types and the OpenAPI required
//     fields are refused;
//   - a kind of the core, apps, batch, networking, policy, rbac, autoscaling/v2 or storage groups
//     must decode strictly into its k8s.io/api type (the module's v0.37.0; one k8s.io version per
//     module, forced by helm and fluxcd/pkg/kustomize), which checks quantities, int-or-string
//     values and times as the API server's decoder does;
//   - and it must pass the checks in checks.go that neither can make (a container without an
//     image, a Deployment selector that does not match its template, ...). That is a small part of
//     the API server's validation, not all of it.
//
// Custom kinds are validated against the openAPIV3Schema of the served version of their CRD
// (schemas/crds, see schemas/SOURCES.md) the way kubeconform does: a JSON-schema validator
// (santhosh-tekuri/jsonschema) over the schema with Kubernetes' extensions mapped
// (x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields,
// x-kubernetes-embedded-resource, nullable), and fields the schema does not declare refused,
// because the API server would silently drop them. Not evaluated: CEL rules
// (x-kubernetes-validations), formats, and list-type uniqueness.
//
// A kind without a schema is a problem saying so, never a pass.
package kubeschema
