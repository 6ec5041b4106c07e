// Package bindings declares typed Pulumi resources for azure-native resource types the platform
// cannot take from the generated Go SDK: those whose generated packages are not served by the
// module proxy (servicenetworking, kubernetesconfiguration, azureactivedirectory, monitor; the
// provider plugin supports them, only their Go packages are missing), and those whose generated
// packages cost more to compile than the project's build budget can carry. In a cold
// `go test ./...` on the 2-core build machine (a compile trace) the generated packages took:
// network/v2 227 s, insights/v2 51 s, authorization/v2 35 s, operationalinsights/v2 16 s and
// resources/v2 13 s; network.go, networkwaf.go, insights.go, authorization.go,
// operationalinsights.go and resources.go replace them for the few types the platform declares.
// Such a replacement registers exactly what the generated constructor did: the same token
// (unversioned where the generated package's was), the defaults it filled in and its list of
// versioned-token aliases.
//
// Each binding has the shape of the generated SDK: an Args struct of Inputs whose `pulumi` tags
// are the provider's exact camelCase property names, a resource struct of Outputs, and a
// constructor that registers the exact, explicitly versioned type token with the provider version
// of the root azure-native module (utilities.PkgResourceDefaultOpts), so these resources share the
// one default provider with every generated resource. Tokens and property names were taken from
// the schema of azure-native 2.90.0 (its Node SDK of the same version).
//
// Nested objects are plain structs of Inputs: the Pulumi marshaller walks them by their `pulumi`
// tags because each Args struct's ElementType is the struct itself.
package bindings

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/pulumi/pulumi-azure-native-sdk/v2/utilities"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// field names a required input and holds its value, for register's check.
type field struct {
	name  string
	value any
}

// register registers a custom resource of one of the binding types after checking its required
// inputs; every missing one is reported by name, all at once.
func register(ctx *pulumi.Context, token, name string, args pulumi.Input, required []field, out pulumi.CustomResource, opts []pulumi.ResourceOption) error {
	var errs []error
	for _, f := range required {
		if isNil(f.value) {
			errs = append(errs, fmt.Errorf("%s %q: missing required argument %s", token, name, f.name))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return ctx.RegisterResource(token, name, args, out, utilities.PkgResourceDefaultOpts(opts)...)
}

func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return true
	}
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

// IDRef is an object holding only an ARM resource ID ({"id": "..."}), as many ARM properties are.
type IDRef struct {
	ID pulumi.StringInput `pulumi:"id"`
}

// stringAt reads the string under key in the map output named output (its provider property
// name, for the error). A missing key or a value of another type fails the apply with an error
// naming output.key, rather than handing on "" (which would become, say, an empty principal ID
// in a role assignment) when the provider's output changes shape.
func stringAt(o pulumi.MapOutput, output, key string) pulumi.StringOutput {
	return o.ApplyT(func(m map[string]any) (string, error) {
		v, ok := m[key]
		if !ok {
			return "", fmt.Errorf("bindings: output %s.%s is missing", output, key)
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("bindings: output %s.%s is %T, not a string", output, key, v)
		}
		return s, nil
	}).(pulumi.StringOutput)
}
