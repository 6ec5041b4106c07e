package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Keys lists every top-level key of the platform namespace, in declaration order.
func Keys() []string {
	var keys []string
	t := reflect.TypeOf(Env{})
	for i := 0; i < t.NumField(); i++ {
		if k := t.Field(i).Tag.Get("key"); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// ReadStackFile reads a Pulumi.<stack>.yaml file and returns its whole config section as the flat
// map the Pulumi engine hands a program: namespaced keys, strings as they are, everything else
// JSON-encoded. Secure values are refused: the shared environment files must hold no secrets.
func ReadStackFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]string, len(doc.Config))
	for k, v := range doc.Config {
		if m, ok := v.(map[string]any); ok {
			if _, secure := m["secure"]; secure && len(m) == 1 {
				return nil, fmt.Errorf("%s: %s is a secret; the shared environment files must not hold secrets (the platform needs none)", path, k)
			}
		}
		switch s := v.(type) {
		case string:
			out[k] = s
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", path, k, err)
			}
			out[k] = string(b)
		}
	}
	return out, nil
}

// Namespaced returns the platform keys of a flat namespaced map, with the namespace removed.
func Namespaced(all map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range all {
		if rest, ok := strings.CutPrefix(k, Namespace+":"); ok {
			out[rest] = v
		}
	}
	return out
}

// Parse builds the Env from raw platform values (keys without the namespace) and validates it,
// strictly: keys the platform does not know are reported at any depth, with every other problem.
// It is Load's core and treats placeholders as an offline run does (not refused; Load returns
// them as warnings): tests of single rules use it.
func Parse(raw map[string]string) (*Env, error) {
	env, problems := parse(raw)
	if len(problems) > 0 {
		return nil, problems
	}
	return env, nil
}

// parse decodes and validates; the Env is complete only when no problem is returned.
func parse(raw map[string]string) (*Env, Problems) {
	var problems Problems
	known := map[string]bool{}
	for _, k := range Keys() {
		known[k] = true
	}
	for _, k := range sortedKeys(raw) {
		if !known[k] {
			problems.add(k, raw[k], "is not a platform setting (known: %s)", strings.Join(Keys(), ", "))
		}
	}

	if s, ok := raw["nameSuffix"]; ok && s == "" {
		problems.add("nameSuffix", s, "is empty: say %s for no suffix, or remove the setting for the random suffix", NoNameSuffix)
	}

	envName := raw["environment"]
	profile, profileGiven := raw["profile"]
	if !profileGiven && (envName == Dev || envName == Prod) {
		profile = envName
	}
	base := profile
	if base != Prod {
		base = Dev // a missing or unknown profile is reported by validation; decode with dev defaults
	}
	env := Defaults(base)
	env.Environment = envName
	env.Profile = profile
	_, servicesGiven := raw["services"]

	v := reflect.ValueOf(&env).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key := t.Field(i).Tag.Get("key")
		if key == "" || key == "-" || key == "environment" || key == "profile" {
			continue
		}
		s, ok := raw[key]
		if !ok {
			continue
		}
		problems = append(problems, decodeField(key, s, v.Field(i))...)
	}
	if servicesGiven && env.Services == nil {
		env.Services = []Service{}
	}
	env.fillDerivedDefaults()
	problems = append(problems, validate(&env)...)
	return &env, problems
}

// decodeField decodes one top-level value into its field, reporting unknown nested keys (all of
// them) and type mismatches.
func decodeField(key, s string, field reflect.Value) Problems {
	var problems Problems
	full := Namespace + ":" + key
	switch field.Kind() {
	case reflect.String:
		field.SetString(s)
		return nil
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			problems.add(key, s, "is not a boolean (want true or false)")
			return problems
		}
		field.SetBool(b)
		return nil
	}
	var tree any
	if err := json.Unmarshal([]byte(s), &tree); err != nil {
		problems.add(key, s, "is not valid structured config (want a YAML object or list): %v", err)
		return problems
	}
	problems = append(problems, unknownFields(key, tree, field.Type())...)
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	target := reflect.New(field.Type())
	target.Elem().Set(field)
	if err := dec.Decode(target.Interface()); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeError(err, &te); ok {
			path := key
			if te.Field != "" {
				path = key + "." + te.Field
			}
			problems = append(problems, Problem{Key: path, Value: te.Value, Allowed: "want a " + describeKind(te.Type)})
		} else {
			problems = append(problems, Problem{Key: key, Value: s, Allowed: fmt.Sprintf("cannot be read: %v (%s)", err, full)})
		}
		return problems
	}
	field.Set(target.Elem())
	return problems
}

func asTypeError(err error, out **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*out = te
	}
	return ok
}

func describeKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "whole number"
	case reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.String:
		return "string"
	case reflect.Slice:
		return "list"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return t.String()
}

// unknownFields walks a decoded JSON tree against the Go type it will be decoded into and reports
// every key the type does not have.
func unknownFields(path string, tree any, t reflect.Type) Problems {
	var problems Problems
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := tree.(map[string]any)
		if !ok {
			return nil // reported as a type error by the decoder
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
			if name == "" || name == "-" {
				continue
			}
			fields[name] = t.Field(i).Type
			names = append(names, name)
		}
		for _, k := range sortedKeys(obj) {
			ft, ok := fields[k]
			if !ok {
				problems = append(problems, Problem{Key: path + "." + k, Value: obj[k], Allowed: "is not a known setting (known: " + strings.Join(names, ", ") + ")"})
				continue
			}
			problems = append(problems, unknownFields(path+"."+k, obj[k], ft)...)
		}
	case reflect.Slice:
		if list, ok := tree.([]any); ok {
			for i, el := range list {
				problems = append(problems, unknownFields(fmt.Sprintf("%s[%d]", path, i), el, t.Elem())...)
			}
		}
	case reflect.Map:
		if obj, ok := tree.(map[string]any); ok {
			for _, k := range sortedKeys(obj) {
				problems = append(problems, unknownFields(path+"."+k, obj[k], t.Elem())...)
			}
		}
	}
	return problems
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fillDerivedDefaults sets the defaults that depend on other settings.
func (e *Env) fillDerivedDefaults() {
	for i := range e.Services {
		s := &e.Services[i]
		if s.Namespace == "" {
			s.Namespace = s.Name
		}
		if s.ServiceAccount == "" {
			s.ServiceAccount = s.Name
		}
		if s.DataLake == "" {
			s.DataLake = DataLakeNone
		}
	}
	if e.Pipeline.GitHub.Repository != "" && len(e.Pipeline.GitHub.Environments) == 0 {
		e.Pipeline.GitHub.Environments = []string{e.Environment}
	}
	if e.ExternalID.DisplayName == "" {
		e.ExternalID.DisplayName = fmt.Sprintf("%s customers (%s)", e.Prefix, e.Environment)
	}
}

// Problem is one configuration mistake.
type Problem struct {
	Key     string // path below the namespace, e.g. "sql.skuName"
	Value   any    // the offending value; nil when the key is missing
	Allowed string // what is wrong and what is allowed
}

func (p Problem) Error() string {
	if p.Value == nil {
		return fmt.Sprintf("%s:%s: %s", Namespace, p.Key, p.Allowed)
	}
	return fmt.Sprintf("%s:%s = %s: %s", Namespace, p.Key, show(p.Value), p.Allowed)
}

func show(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
}

// Problems is every mistake found in one environment's configuration.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps)+1)
	lines = append(lines, fmt.Sprintf("%d configuration problem(s):", len(ps)))
	for _, p := range ps {
		lines = append(lines, "  - "+p.Error())
	}
	return strings.Join(lines, "\n")
}

func (ps *Problems) add(key string, value any, format string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Value: value, Allowed: fmt.Sprintf(format, args...)})
}

// missing records a required key that is absent or empty.
func (ps *Problems) missing(key, allowed string) {
	*ps = append(*ps, Problem{Key: key, Allowed: "is required: " + allowed})
}
