// Package contract exports a layer's typed outputs as stack outputs and reads them back through a
// StackReference, deriving every key from the `output` tag of the layer's Outputs struct, so the
// producer and the consumer cannot disagree on a key.
//
// An Outputs struct holds only fields of these types, each tagged `output:"<key>"`:
// pulumi.StringOutput, pulumi.StringArrayOutput, pulumi.StringMapOutput, pulumi.BoolOutput. A
// field may carry `,secret` after the key to be exported as a secret.
package contract

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Field is one key of a contract.
type Field struct {
	Key    string
	Index  int
	Type   reflect.Type
	Secret bool
}

var (
	stringOutput    = reflect.TypeOf(pulumi.StringOutput{})
	stringArrayOut  = reflect.TypeOf(pulumi.StringArrayOutput{})
	stringMapOutput = reflect.TypeOf(pulumi.StringMapOutput{})
	boolOutput      = reflect.TypeOf(pulumi.BoolOutput{})
)

// Fields lists the keys of an Outputs struct type in declaration order. It panics on a field
// without a tag or of an unsupported type: that is a programming error, and the round-trip test
// of every layer runs it.
func Fields(t reflect.Type) []Field {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []Field
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("output")
		if tag == "" {
			panic(fmt.Sprintf("contract: %s.%s has no output tag", t.Name(), f.Name))
		}
		key, opt, _ := strings.Cut(tag, ",")
		switch f.Type {
		case stringOutput, stringArrayOut, stringMapOutput, boolOutput:
		default:
			panic(fmt.Sprintf("contract: %s.%s has unsupported type %s", t.Name(), f.Name, f.Type))
		}
		if seen[key] {
			panic(fmt.Sprintf("contract: %s repeats key %q", t.Name(), key))
		}
		seen[key] = true
		out = append(out, Field{Key: key, Index: i, Type: f.Type, Secret: opt == "secret"})
	}
	return out
}

// Keys lists the keys of an Outputs struct, sorted.
func Keys(v any) []string {
	var keys []string
	for _, f := range Fields(reflect.TypeOf(v)) {
		keys = append(keys, f.Key)
	}
	sort.Strings(keys)
	return keys
}

// Export exports every field of outputs (a struct or a pointer to one) as a stack output under
// prefix+key and returns what it exported. A zero (unset) field is an error naming the key: a
// layer must fill its whole contract. Layered stacks use no prefix; the single stack prefixes each
// layer's keys with "<layer>." so that four contracts fit in one stack.
func Export(ctx *pulumi.Context, prefix string, outputs any) (map[string]pulumi.Output, error) {
	v := reflect.Indirect(reflect.ValueOf(outputs))
	exported := map[string]pulumi.Output{}
	var unset []string
	for _, f := range Fields(v.Type()) {
		out, ok := v.Field(f.Index).Interface().(pulumi.Output)
		if !ok || isZeroOutput(v.Field(f.Index)) {
			unset = append(unset, f.Key)
			continue
		}
		if f.Secret {
			out = pulumi.ToSecret(out).(pulumi.Output)
		}
		ctx.Export(prefix+f.Key, out)
		exported[prefix+f.Key] = out
	}
	if len(unset) > 0 {
		return nil, fmt.Errorf("contract %s: outputs not set: %s", v.Type(), strings.Join(unset, ", "))
	}
	return exported, nil
}

func isZeroOutput(v reflect.Value) bool {
	// A zero pulumi.XOutput has a nil *OutputState.
	return v.Field(0).IsNil()
}

// MissingKeysError reports upstream keys a stack does not export.
type MissingKeysError struct {
	Stack string
	Keys  []string
}

func (e *MissingKeysError) Error() string {
	return fmt.Sprintf("stack %s does not export %s (deploy that layer first, or check platform:stackReferences)", e.Stack, strings.Join(e.Keys, ", "))
}

// Read fills target (a pointer to an Outputs struct) from the stack reference. It waits for the
// upstream outputs, so a missing key fails here, in preview as in update, with an error naming the
// stack and every missing key; nothing downstream is registered before.
func Read(ref *pulumi.StackReference, stack string, target any) error {
	v := reflect.ValueOf(target).Elem()
	var missing []string
	for _, f := range Fields(v.Type()) {
		d, err := ref.GetOutputDetails(f.Key)
		if err != nil {
			return fmt.Errorf("reading %s from stack %s: %w", f.Key, stack, err)
		}
		raw, secret := d.Value, false
		if d.SecretValue != nil {
			raw, secret = d.SecretValue, true
		}
		if raw == nil {
			missing = append(missing, f.Key)
			continue
		}
		out, err := toOutput(f.Type, raw)
		if err != nil {
			return fmt.Errorf("stack %s output %s: %w", stack, f.Key, err)
		}
		if secret {
			out = pulumi.ToSecret(out).(pulumi.Output)
		}
		v.Field(f.Index).Set(reflect.ValueOf(out))
	}
	if len(missing) > 0 {
		return &MissingKeysError{Stack: stack, Keys: missing}
	}
	return nil
}

func toOutput(t reflect.Type, raw any) (pulumi.Output, error) {
	switch t {
	case stringOutput:
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("want a string, got %T", raw)
		}
		return pulumi.String(s).ToStringOutput(), nil
	case boolOutput:
		b, ok := raw.(bool)
		if !ok {
			return nil, fmt.Errorf("want a boolean, got %T", raw)
		}
		return pulumi.Bool(b).ToBoolOutput(), nil
	case stringArrayOut:
		list, ok := raw.([]any)
		if !ok {
			return nil, fmt.Errorf("want a list, got %T", raw)
		}
		arr := pulumi.StringArray{}
		for _, el := range list {
			s, ok := el.(string)
			if !ok {
				return nil, fmt.Errorf("want a list of strings, got %T inside", el)
			}
			arr = append(arr, pulumi.String(s))
		}
		return arr.ToStringArrayOutput(), nil
	case stringMapOutput:
		obj, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("want an object, got %T", raw)
		}
		m := pulumi.StringMap{}
		for k, el := range obj {
			s, ok := el.(string)
			if !ok {
				return nil, fmt.Errorf("want an object of strings, got %T at %s", el, k)
			}
			m[k] = pulumi.String(s)
		}
		return m.ToStringMapOutput(), nil
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

// StackName derives the full name of an upstream layer's stack: the override from config when
// given, else <organization>/<project>-<layer>/<stack>, where project is the root project name
// ("platform") and stack is the current stack's name (the stacks of one environment share it).
func StackName(overrides map[string]string, organization, project, layer, stack string) string {
	if s, ok := overrides[layer]; ok && s != "" {
		return s
	}
	return fmt.Sprintf("%s/%s-%s/%s", organization, project, layer, stack)
}
