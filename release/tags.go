package release

import (
	"encoding/json"
	"fmt"
	"strings"
)

// TagChange is a service whose image tag changed in its HelmRelease between two revisions.
type TagChange struct {
	Service   string `json:"service"`
	Namespace string `json:"namespace"`
	// From is the tag before ("" for a new HelmRelease), Tag the tag after.
	From string `json:"from"`
	Tag  string `json:"tag"`
	// IsRollback is "true" when the newest commit of the change is a rollback (it carries the
	// Rollback-of trailer): its failure is reported, not rolled back again.
	IsRollback string `json:"isRollback"`
}

// ChangedTags compares the environment's HelmReleases at base and head and returns the services
// whose tag changed, in the order of platform:services. A HelmRelease that is gone at head is
// not a rollout.
func ChangedTags(g Git, env Environment, base, head string) ([]TagChange, error) {
	var out []TagChange
	for _, s := range env.Services {
		file := HelmReleasePath(env.Name, s.Name)
		after, err := g.show(head, file)
		if err != nil {
			continue
		}
		tag, err := Tag(after, s.Name)
		if err != nil {
			return nil, fmt.Errorf("%s at %s: %w", file, head, err)
		}
		from := ""
		if before, err := g.show(base, file); err == nil {
			if from, err = Tag(before, s.Name); err != nil {
				return nil, fmt.Errorf("%s at %s: %w", file, base, err)
			}
		}
		if from == tag {
			continue
		}
		body, err := g.run("log", "-1", "--format=%b", base+".."+head, "--", file)
		if err != nil {
			return nil, err
		}
		isRollback := "false"
		if trailer.MatchString(body) {
			isRollback = "true"
		}
		out = append(out, TagChange{Service: s.Name, Namespace: s.Namespace, From: from, Tag: tag, IsRollback: isRollback})
	}
	return out, nil
}

// tagMatrix is the changes as a matrix: Azure Pipelines' legs by service, or GitHub's include.
func tagMatrix(changes []TagChange, format string) string {
	if format == FormatGitHub {
		b, _ := json.Marshal(map[string][]TagChange{"include": append([]TagChange{}, changes...)})
		return string(b)
	}
	m := map[string]TagChange{}
	for _, c := range changes {
		m[strings.ReplaceAll(c.Service, "-", "_")] = c
	}
	b, _ := json.Marshal(m)
	return string(b)
}
