package flux

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Outputs is the flux layer's contract.
type Outputs struct {
	FluxConfigurationID pulumi.StringOutput `output:"fluxConfigurationId"`
	// Kustomizations maps each kustomization name to its path in the repository.
	Kustomizations pulumi.StringMapOutput `output:"kustomizations"`
	// SubstitutionKeys are the post-build variables the layer hands to the GitOps tree.
	SubstitutionKeys pulumi.StringArrayOutput `output:"substitutionKeys"`
}
