// Package release changes what Flux deploys, in Git: it reads and sets the image tag of a
// service's HelmRelease (gitops/clusters/<env>/services/<service>.yaml) without touching anything
// else in the file, finds the tag to roll back to in the file's Git history, commits and pushes
// the change (or opens a pull request where the branch is protected), detects which services a
// change touches, marks failed images in the registry, and hands the pipelines the platform's
// stack outputs. The pipelines call it through cmd/release; a rollback is always a Git change
// Flux reads, never an edit of the cluster that Flux would revert.
package release

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// HelmReleasePath is where the HelmRelease of a service lives for an environment, relative to
// the platform repository's root.
func HelmReleasePath(env, service string) string {
	return path.Join("gitops", "clusters", env, "services", service+".yaml")
}

// SetterMarker is the Flux image-automation setter comment that marks a service's image tag.
func SetterMarker(service string) string {
	return fmt.Sprintf(`{"$imagepolicy": "flux-system:%s:tag"}`, service)
}

// tagPattern is the chart's rule for image.tag (values.schema.json) and the registry's.
var tagPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// ValidTag reports whether tag is a valid image tag.
func ValidTag(tag string) error {
	if !tagPattern.MatchString(tag) {
		return fmt.Errorf("image tag %q: want 1-128 characters of letters, digits, '_', '.', '-', not starting with '.' or '-'", tag)
	}
	return nil
}

// findTag finds, in every YAML document of data, the HelmRelease named service and the scalar at
// spec.values.image.tag carrying the setter marker. Exactly one must exist.
func findTag(data []byte, service string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var found []*yaml.Node
	var releases int
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not YAML: %w", err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if scalar(get(root, "kind")) != "HelmRelease" || scalar(get(root, "metadata", "name")) != service {
			continue
		}
		releases++
		if api := scalar(get(root, "apiVersion")); !strings.HasPrefix(api, "helm.toolkit.fluxcd.io/") {
			return nil, fmt.Errorf("HelmRelease %s has apiVersion %q, want helm.toolkit.fluxcd.io/v2", service, api)
		}
		n := get(root, "spec", "values", "image", "tag")
		if n == nil || n.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("HelmRelease %s has no spec.values.image.tag", service)
		}
		if !strings.Contains(n.LineComment, SetterMarker(service)) {
			return nil, fmt.Errorf("HelmRelease %s: spec.values.image.tag has no setter marker # %s (Flux image automation and the pipelines both find the tag by it)", service, SetterMarker(service))
		}
		found = append(found, n)
	}
	switch {
	case releases == 0:
		return nil, fmt.Errorf("no HelmRelease named %s", service)
	case len(found) > 1:
		return nil, fmt.Errorf("%d HelmReleases named %s", len(found), service)
	}
	return found[0], nil
}

func get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// Tag returns the image tag of the service's HelmRelease in data.
func Tag(data []byte, service string) (string, error) {
	n, err := findTag(data, service)
	if err != nil {
		return "", err
	}
	return n.Value, nil
}

// SetTag returns data with the service's image tag set to tag. Only the tag's characters change:
// comments, the setter marker, key order, indentation and every other value stay byte for byte
// (what Flux's own setters do). A tag that YAML would read as a number or a boolean as a plain
// scalar is written double-quoted, so the chart receives a string.
func SetTag(data []byte, service, tag string) ([]byte, error) {
	if err := ValidTag(tag); err != nil {
		return nil, err
	}
	n, err := findTag(data, service)
	if err != nil {
		return nil, err
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if n.Line < 1 || n.Line > len(lines) {
		return nil, fmt.Errorf("HelmRelease %s: tag at line %d outside the file", service, n.Line)
	}
	line := lines[n.Line-1]
	start := n.Column - 1
	end, err := scalarEnd(line, start, n.Style)
	if err != nil {
		return nil, fmt.Errorf("HelmRelease %s, line %d: %w", service, n.Line, err)
	}
	value := tag
	if n.Style == yaml.DoubleQuotedStyle || !plainIsString(tag) {
		value = `"` + tag + `"`
	} else if n.Style == yaml.SingleQuotedStyle {
		value = "'" + tag + "'"
	}
	var b bytes.Buffer
	for i, l := range lines {
		if i == n.Line-1 {
			b.Write(l[:start])
			b.WriteString(value)
			b.Write(l[end:])
			continue
		}
		b.Write(l)
	}
	out := b.Bytes()
	// The result must read back as exactly the tag asked for, marker included.
	if got, err := Tag(out, service); err != nil || got != tag {
		return nil, fmt.Errorf("HelmRelease %s: setting tag %q gave %q (%v)", service, tag, got, err)
	}
	return out, nil
}

// scalarEnd finds where the scalar starting at start ends on its line.
func scalarEnd(line []byte, start int, style yaml.Style) (int, error) {
	if start < 0 || start >= len(line) {
		return 0, errors.New("tag column outside the line")
	}
	switch style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := line[start]
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\\' && q == '"' {
				i++
				continue
			}
			if line[i] == q {
				return i + 1, nil
			}
		}
		return 0, errors.New("unterminated quoted tag")
	case 0:
		end := start
		for end < len(line) && line[end] != '\n' && line[end] != '\r' {
			if line[end] == '#' && end > start && (line[end-1] == ' ' || line[end-1] == '\t') {
				break
			}
			end++
		}
		for end > start && (line[end-1] == ' ' || line[end-1] == '\t') {
			end--
		}
		return end, nil
	}
	return 0, errors.New("the tag must be a plain or quoted scalar on one line")
}

// plainIsString reports whether YAML reads s, unquoted, as the string s.
func plainIsString(s string) bool {
	var m map[string]any
	if err := yaml.Unmarshal([]byte("v: "+s), &m); err != nil {
		return false
	}
	str, ok := m["v"].(string)
	return ok && str == s
}
