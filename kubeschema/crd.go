package kubeschema

// Custom resources: the CRD's openAPIV3Schema turned into a JSON schema that refuses what the API
// server would refuse or silently drop, the way kubeconform's openapi2jsonschema does.

// compileCRD compiles the schema of one served custom resource version.
func compileCRD(crd CRDVersion) (*compiledKind, error) {
	root := crdToJSONSchema(crd.Schema, false)
	props, _ := root["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		root["properties"] = props
	}
	// The API server owns metadata (validateMeta checks it) and fills apiVersion and kind.
	props["metadata"] = map[string]any{"type": "object"}
	props["apiVersion"] = map[string]any{"const": crd.Group + "/" + crd.Version}
	props["kind"] = map[string]any{"const": crd.Kind}
	// A preserve-unknown-fields root keeps additionalProperties open; otherwise it is closed.
	s, err := compileDoc("kubeschema:///"+crd.File(), root, "")
	if err != nil {
		return nil, err
	}
	schema := crd.Schema
	return &compiledKind{validate: func(obj map[string]any) []finding {
		return schemaFindings(s, pruneNulls(obj, schema))
	}}, nil
}

// crdToJSONSchema maps one structural-schema node to JSON schema (draft 2020-12):
//   - an object node that neither keeps unknown fields (x-kubernetes-preserve-unknown-fields)
//     nor declares additionalProperties gets additionalProperties: false, since the API server
//     would prune any field it does not declare; in anyOf/allOf/oneOf/not branches (value
//     validations only, they declare no fields) nothing is closed;
//   - x-kubernetes-int-or-string: an integer or a string;
//   - x-kubernetes-embedded-resource: apiVersion and kind required, metadata an object;
//   - nullable: null allowed as well;
//   - OpenAPI 3.0's boolean exclusiveMinimum/Maximum become JSON schema's numeric ones;
//   - format, CEL rules (x-kubernetes-validations) and list types are dropped: not evaluated.
func crdToJSONSchema(node map[string]any, inJunctor bool) map[string]any {
	out := map[string]any{}
	for k, v := range node {
		switch k {
		case "properties", "patternProperties":
			props := map[string]any{}
			for name, p := range v.(map[string]any) {
				if pm, ok := p.(map[string]any); ok {
					props[name] = crdToJSONSchema(pm, inJunctor)
				}
			}
			out[k] = props
		case "items", "additionalProperties", "not":
			if m, ok := v.(map[string]any); ok {
				out[k] = crdToJSONSchema(m, inJunctor || k == "not")
			} else {
				out[k] = v
			}
		case "allOf", "anyOf", "oneOf":
			var branches []any
			for _, b := range v.([]any) {
				if bm, ok := b.(map[string]any); ok {
					branches = append(branches, crdToJSONSchema(bm, true))
				}
			}
			out[k] = branches
		case "type", "enum", "required", "pattern", "minLength", "maxLength", "minItems", "maxItems",
			"uniqueItems", "minimum", "maximum", "multipleOf", "minProperties", "maxProperties", "default":
			out[k] = v
		case "exclusiveMinimum", "exclusiveMaximum":
			// handled below with minimum/maximum
		default:
			// description, example, title, format, nullable, x-kubernetes-*: see below or unused
		}
	}
	for excl, bound := range map[string]string{"exclusiveMinimum": "minimum", "exclusiveMaximum": "maximum"} {
		if on, _ := node[excl].(bool); on {
			if b, ok := out[bound]; ok {
				out[excl] = b
				delete(out, bound)
			}
		}
	}
	if b, _ := node["x-kubernetes-int-or-string"].(bool); b {
		delete(out, "type")
		if _, has := out["anyOf"]; !has {
			out["anyOf"] = []any{map[string]any{"type": "integer"}, map[string]any{"type": "string"}}
		}
	}
	if b, _ := node["x-kubernetes-embedded-resource"].(bool); b {
		props, _ := out["properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
			out["properties"] = props
		}
		props["apiVersion"] = map[string]any{"type": "string", "minLength": 1}
		props["kind"] = map[string]any{"type": "string", "minLength": 1}
		props["metadata"] = map[string]any{"type": "object"}
		out["required"] = appendMissing(out["required"], "apiVersion", "kind")
	}
	preserve, _ := node["x-kubernetes-preserve-unknown-fields"].(bool)
	_, hasAdditional := node["additionalProperties"]
	isObject := node["type"] == "object" || node["properties"] != nil
	if isObject && !preserve && !hasAdditional && !inJunctor {
		out["additionalProperties"] = false
	}
	if b, _ := node["nullable"].(bool); b {
		if t, ok := out["type"].(string); ok {
			out["type"] = []any{t, "null"}
			if enum, ok := out["enum"].([]any); ok {
				out["enum"] = append(enum, nil)
			}
		} else {
			return map[string]any{"anyOf": []any{map[string]any{"type": "null"}, out}}
		}
	}
	return out
}

func appendMissing(list any, names ...string) []any {
	l, _ := list.([]any)
	for _, n := range names {
		found := false
		for _, x := range l {
			found = found || x == n
		}
		if !found {
			l = append(l, n)
		}
	}
	return l
}

// pruneNulls returns a copy of a value without the null fields the schema does not declare
// nullable: the API server drops those before validating a custom resource.
func pruneNulls(v any, schema map[string]any) any {
	switch v := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		additional, _ := schema["additionalProperties"].(map[string]any)
		out := make(map[string]any, len(v))
		for k, x := range v {
			child, _ := props[k].(map[string]any)
			if child == nil {
				child = additional
			}
			if x == nil {
				if nullable, _ := child["nullable"].(bool); !nullable {
					continue
				}
			}
			out[k] = pruneNulls(x, child)
		}
		return out
	case []any:
		items, _ := schema["items"].(map[string]any)
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = pruneNulls(x, items)
		}
		return out
	default:
		return v
	}
}
