package bindings

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// typeAliases is the Aliases option a generated constructor adds: one alias per other type token
// the resource was registered under (its explicitly versioned tokens), in the generated order, so
// that state written by earlier versions of the program is adopted and not replaced.
func typeAliases(tokens ...string) pulumi.ResourceOption {
	aliases := make([]pulumi.Alias, len(tokens))
	for i, t := range tokens {
		aliases[i] = pulumi.Alias{Type: pulumi.String(t)}
	}
	return pulumi.Aliases(aliases)
}

// withAliases appends the alias option after the caller's options, where the generated
// constructors put it, on a copy: the caller's slice is never written.
func withAliases(opts []pulumi.ResourceOption, alias pulumi.ResourceOption) []pulumi.ResourceOption {
	return append(append([]pulumi.ResourceOption(nil), opts...), alias)
}
