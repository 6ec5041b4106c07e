# Helpers shared by every rule. Nothing here is a rule the analyzer queries.
#
# The input is what pulumi-policy-opa v0.1.0 hands Rego for one resource: the resource's checked
# inputs as a plain object, and nothing else (no type, name, URN or options). An unknown value
# (preview, before an upstream resource exists) and a secret both arrive wrapped as
# {"Element": {"V": ...}}; rules never judge a wrapped value.
package platform_baseline

import rego.v1

# The profiles the platform knows (config.Profiles): an environment's name is free (dev, staging,
# prod, ...), its profile picks the defaults and the production rules. Profile-dependent rules
# read the resource's own `profile` tag, which the platform puts on every taggable resource beside
# `environment` (config.Env.ResourceTags).
profiles := {"dev", "prod"}

prod(r) if r.tags.profile == "prod"

wrapped(v) if {
	is_object(v)
	count(v) == 1
	_ = v.Element
}

# at is the value at path, or null when absent.
at(r, path) := object.get(r, path, null)

# judged: no value on the path (the property or one of its parents) is wrapped. Spelled out per
# path length (the rules' paths have one to five steps): cheaper to evaluate than a loop.
judged(r, [a]) if not wrapped(at(r, [a]))

judged(r, [a, b]) if {
	not wrapped(at(r, [a]))
	not wrapped(at(r, [a, b]))
}

judged(r, [a, b, c]) if {
	not wrapped(at(r, [a]))
	not wrapped(at(r, [a, b]))
	not wrapped(at(r, [a, b, c]))
}

judged(r, [a, b, c, d]) if {
	not wrapped(at(r, [a]))
	not wrapped(at(r, [a, b]))
	not wrapped(at(r, [a, b, c]))
	not wrapped(at(r, [a, b, c, d]))
}

judged(r, [a, b, c, d, e]) if {
	not wrapped(at(r, [a]))
	not wrapped(at(r, [a, b]))
	not wrapped(at(r, [a, b, c]))
	not wrapped(at(r, [a, b, c, d]))
	not wrapped(at(r, [a, b, c, d, e]))
}

# differs: the property is absent or has a known value other than want.
differs(r, path, want) if {
	judged(r, path)
	at(r, path) != want
}

# not_in: the property is absent or has a known value outside allowed.
not_in(r, path, allowed) if {
	judged(r, path)
	not at(r, path) in allowed
}

# is_value: the property has exactly this known value.
is_value(r, path, v) if {
	judged(r, path)
	at(r, path) == v
}

show(v) := "(unknown)" if wrapped(v)

show(v) := "(absent)" if v == null

show(v) := sprintf("%v", [v]) if {
	not wrapped(v)
	v != null
}

dotted(path) := concat(".", [sprintf("%v", [p]) | some p in path])

# label names the resource in messages: what it is and its Azure name (the engine adds the URN).
label(kind, r) := sprintf("%s %s", [kind_titles[kind], show(at(r, [kind_name_keys[kind]]))]) if kind_name_keys[kind]

label(kind, r) := kind_titles[kind] if not kind_name_keys[kind]

# message: "<label>: <property> is <value>, want <wanted> (<reference>)".
message(kind, r, path, wanted, ref) := sprintf("%s: %s is %s, want %s (%s)", [label(kind, r), dotted(path), show(at(r, path)), wanted, ref])
