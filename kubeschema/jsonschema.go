package kubeschema

import (
	"errors"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Shared by the CRD and the built-in schemas: compiling a converted schema document and turning
// the validator's error tree into findings.

var printer = message.NewPrinter(language.English)

// compileDoc compiles a JSON-schema document (draft 2020-12) held in memory, at a pointer inside
// it ("" for the root).
func compileDoc(url string, doc map[string]any, pointer string) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url + "#" + pointer)
}

// schemaFindings validates a value and flattens the error tree into one finding per failing
// field: the leaves, except that a failed anyOf/oneOf is reported once with the messages of its
// branches.
func schemaFindings(s *jsonschema.Schema, v any) []finding {
	err := s.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []finding{{"", err.Error()}}
	}
	var out []finding
	flatten(ve, &out)
	return out
}

func flatten(e *jsonschema.ValidationError, out *[]finding) {
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		var msgs []string
		for _, c := range e.Causes {
			msgs = append(msgs, leafMessages(c)...)
		}
		*out = append(*out, finding{pathString(e.InstanceLocation), "matches none of the allowed forms: " + strings.Join(dedupe(msgs), "; ")})
		return
	}
	if len(e.Causes) == 0 {
		*out = append(*out, finding{pathString(e.InstanceLocation), e.ErrorKind.LocalizedString(printer)})
		return
	}
	for _, c := range e.Causes {
		flatten(c, out)
	}
}

func leafMessages(e *jsonschema.ValidationError) []string {
	if len(e.Causes) == 0 {
		return []string{e.ErrorKind.LocalizedString(printer)}
	}
	var out []string
	for _, c := range e.Causes {
		out = append(out, leafMessages(c)...)
	}
	return out
}
