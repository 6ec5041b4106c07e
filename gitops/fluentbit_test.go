package gitops

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fluentBitDefaults are the pipeline sections of chart fluent-bit 0.58.1 (values.yaml
// config.inputs and config.outputs), in force where the tree leaves them out.
var fluentBitDefaults = map[string]string{
	"inputs": `[INPUT]
    Name tail
    Path /var/log/containers/*.log
    multiline.parser docker, cri
    Tag kube.*
    Mem_Buf_Limit 5MB
    Skip_Long_Lines On

[INPUT]
    Name systemd
    Tag host.*
    Systemd_Filter _SYSTEMD_UNIT=kubelet.service
    Read_From_Tail On
`,
	"outputs": `[OUTPUT]
    Name es
    Match kube.*
    Host elasticsearch-master
    Logstash_Format On
    Retry_Limit False

[OUTPUT]
    Name es
    Match host.*
    Host elasticsearch-master
    Logstash_Format On
    Logstash_Prefix node
    Retry_Limit False
`,
}

// section is one [NAME] block of Fluent Bit's classic configuration; keys are lower case (Fluent
// Bit reads them case-insensitively).
type section struct {
	name string
	keys map[string]string
}

func parseSections(conf string) []section {
	var out []section
	for _, line := range strings.Split(conf, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			out = append(out, section{name: strings.ToUpper(strings.Trim(line, "[]")), keys: map[string]string{}})
		case len(out) > 0:
			k, v, _ := strings.Cut(line, " ")
			out[len(out)-1].keys[strings.ToLower(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

// fluentBitSections are the sections of one part of the HelmRelease's configuration (inputs,
// filters, outputs), the chart's default where the tree sets none.
func fluentBitSections(hr object, part string) []section {
	conf, ok := get(hr.m, "spec", "values", "config", part).(string)
	if !ok {
		conf = fluentBitDefaults[part]
	}
	return parseSections(conf)
}

// sampleTag is a tag an input emits: Fluent Bit replaces the tag's * by the record's source (the
// file path for tail, the unit for systemd); without Tag the input's name and instance number.
func sampleTag(in section) string {
	tag, ok := in.keys["tag"]
	if !ok {
		return in.keys["name"] + ".0"
	}
	return strings.ReplaceAll(tag, "*", "var.log.sample")
}

// routes reports whether an output takes records with that tag (Match is a wildcard pattern,
// Match_Regex a regular expression).
func routes(out section, tag string) bool {
	if m, ok := out.keys["match"]; ok {
		ok, _ := path.Match(m, tag)
		return ok
	}
	if re, err := regexp.Compile(out.keys["match_regex"]); err == nil && out.keys["match_regex"] != "" {
		return re.MatchString(tag)
	}
	return false
}

// TestFluentBitInputsReachAnOutput: every record Fluent Bit reads in dev and prod leaves through
// some output (an unrouted input costs node resources and ships nothing), and every OpenSearch
// output writes to indices its user's roles may write.
func TestFluentBitInputsReachAnOutput(t *testing.T) {
	for _, env := range envs {
		objs := built(t, env)
		fb := helmRelease(t, objs, "fluent-bit")
		inputs, outputs := fluentBitSections(fb, "inputs"), fluentBitSections(fb, "outputs")
		require.NotEmpty(t, inputs, "%s: no Fluent Bit inputs", env)
		for _, in := range inputs {
			tag := sampleTag(in)
			assert.True(t, slices.ContainsFunc(outputs, func(o section) bool { return routes(o, tag) }),
				"%s: Fluent Bit input %s (tag %s) matches no output: its records are dropped", env, in.keys["name"], tag)
		}
		for _, out := range outputs {
			if out.keys["name"] != "opensearch" || !strings.EqualFold(out.keys["logstash_format"], "on") {
				continue
			}
			prefix := cmpOr(out.keys["logstash_prefix"], "logstash")
			assert.Contains(t, writableIndexPatterns(objs, out.keys["http_user"]), prefix+"-*",
				"%s: Fluent Bit writes %s-<date> as %s, whose roles do not allow it", env, prefix, out.keys["http_user"])
		}
	}
}

// writableIndexPatterns are the index patterns the OpensearchRoles bound to a user allow.
func writableIndexPatterns(objs []object, user string) []string {
	var roles, patterns []string
	for _, b := range objs {
		if b.kind() == "OpensearchUserRoleBinding" && slices.Contains(stringList(get(b.m, "spec", "users")), user) {
			roles = append(roles, stringList(get(b.m, "spec", "roles"))...)
		}
	}
	for _, r := range objs {
		if r.kind() == "OpensearchRole" && slices.Contains(roles, r.name()) {
			for _, p := range listOf(get(r.m, "spec", "indexPermissions")) {
				patterns = append(patterns, stringList(get(p, "indexPatterns"))...)
			}
		}
	}
	return patterns
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func TestFluentBitRouting(t *testing.T) {
	secs := parseSections("[INPUT]\n    Name systemd\n    Tag host.*\n\n# c\n[OUTPUT]\n    Name es\n    Match host.*\n[OUTPUT]\n    Match_Regex ^kube\\.\n[INPUT]\n    Name cpu\n")
	require.Len(t, secs, 4)
	for _, c := range []struct {
		out  int
		tag  string
		want bool
	}{
		{1, sampleTag(secs[0]), true},
		{1, "kube.var.log.x", false},
		{2, "kube.var.log.x", true},
		{2, sampleTag(secs[0]), false},
		{1, sampleTag(secs[3]), false},
	} {
		assert.Equal(t, c.want, routes(secs[c.out], c.tag), "output %d, tag %s", c.out, c.tag)
	}
	assert.Equal(t, "cpu.0", sampleTag(secs[3]))
}
