package release

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Git runs git in one working tree: the pipeline's checkout of the platform repository.
type Git struct {
	// Dir is the working tree. Required.
	Dir string
	// Remote is the remote pushed to and fetched from. Default "origin".
	Remote string
}

func (g Git) remote() string {
	if g.Remote == "" {
		return "origin"
	}
	return g.Remote
}

// run runs git with the arguments and returns its standard output.
func (g Git) run(args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", g.Dir}, args...)...)
	// Never prompt for credentials: a pipeline without push rights must fail, not hang.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out.String(), nil
}

// Commit is one commit of a file's history.
type Commit struct {
	SHA     string
	Subject string
	Body    string
}

// fileLog lists the commits that changed file, newest first, from rev (default HEAD).
func (g Git) fileLog(rev, file string) ([]Commit, error) {
	if rev == "" {
		rev = "HEAD"
	}
	if shallow, err := g.run("rev-parse", "--is-shallow-repository"); err == nil && strings.TrimSpace(shallow) == "true" {
		return nil, errors.New("the checkout is shallow, so the history of the tag is not there: check out with full history (Azure DevOps fetchDepth: 0, GitHub fetch-depth: 0)")
	}
	// NUL between fields and records: subjects and bodies may hold anything.
	out, err := g.run("log", "--format=%H%x00%s%x00%b%x00", rev, "--", file)
	if err != nil {
		return nil, err
	}
	fields := strings.Split(out, "\x00")
	var commits []Commit
	for i := 0; i+2 < len(fields); i += 3 {
		commits = append(commits, Commit{
			SHA:     strings.TrimSpace(fields[i]),
			Subject: fields[i+1],
			Body:    fields[i+2],
		})
	}
	return commits, nil
}

// show returns file at rev.
func (g Git) show(rev, file string) ([]byte, error) {
	out, err := g.run("show", rev+":"+filepath.ToSlash(file))
	return []byte(out), err
}

// RollbackTrailer is the trailer a rollback commit carries: the tag it took out. Tags named so
// in a file's history are never chosen as a rollback target again.
const RollbackTrailer = "Rollback-of"

var trailer = regexp.MustCompile(`(?m)^` + RollbackTrailer + `:\s*(\S+)\s*$`)

// Previous is the tag a rollback goes back to, and the commit that set it.
type Previous struct {
	Tag    string
	Commit string
}

// PreviousTag reads the history of the service's HelmRelease file, newest first from rev, and
// returns the tag to roll back to: the tag of the newest commit that set a tag other than
// failed, skipping every tag a rollback already took out (the Rollback-of trailer) and the tags
// in skip. It is an error when failed is not the file's tag at rev (the rollback would undo a
// change it did not see) or when no such earlier tag exists.
func PreviousTag(g Git, rev, file, service, failed string, skip []string) (Previous, error) {
	commits, err := g.fileLog(rev, file)
	if err != nil {
		return Previous{}, err
	}
	if len(commits) == 0 {
		return Previous{}, fmt.Errorf("%s has no history at %s", file, orHEAD(rev))
	}
	bad := map[string]bool{failed: true}
	for _, s := range skip {
		bad[s] = true
	}
	for _, c := range commits {
		for _, m := range trailer.FindAllStringSubmatch(c.Body, -1) {
			bad[m[1]] = true
		}
	}
	current, err := g.show(orHEAD(rev), file)
	if err != nil {
		return Previous{}, err
	}
	tag, err := Tag(current, service)
	if err != nil {
		return Previous{}, fmt.Errorf("%s at %s: %w", file, orHEAD(rev), err)
	}
	if tag != failed {
		return Previous{}, fmt.Errorf("%s at %s deploys %s:%s, not the failed tag %s: nothing of this failure to roll back (another change came after it)", file, orHEAD(rev), service, tag, failed)
	}
	for _, c := range commits {
		data, err := g.show(c.SHA, file)
		if err != nil {
			// The commit deleted the file: history before it belongs to an earlier life of it.
			break
		}
		t, err := Tag(data, service)
		if err != nil {
			// An older shape of the file (before it carried the marker): stop there.
			break
		}
		if !bad[t] {
			return Previous{Tag: t, Commit: c.SHA}, nil
		}
	}
	var skipped []string
	for t := range bad {
		if t != failed {
			skipped = append(skipped, t)
		}
	}
	return Previous{}, fmt.Errorf("no earlier tag of %s in the history of %s other than %s (skipped: %v): nothing to roll back to", service, file, failed, skipped)
}

func orHEAD(rev string) string {
	if rev == "" {
		return "HEAD"
	}
	return rev
}

// Identity is the author and committer of the pipeline's commits.
type Identity struct {
	Name, Email string
}

// DefaultIdentity names the pipeline; the credential that pushes is the pipeline's own
// (System.AccessToken or GITHUB_TOKEN, set up by the checkout), not this identity.
var DefaultIdentity = Identity{Name: "platform delivery", Email: "delivery@platform.invalid"}

// Change is one edit of one file, committed and pushed.
type Change struct {
	// File is relative to the working tree.
	File string
	// Edit returns the new content from the content at the branch's head, and the commit
	// message. Returning the content unchanged means there is nothing to do.
	Edit func(current []byte) (next []byte, message string, err error)
}

// MaxPushAttempts bounds the fetch-edit-push loop when others push to the branch meanwhile
// (image automation, another service's pipeline).
const MaxPushAttempts = 5

// Publish applies the change on top of the remote branch and pushes it there as one commit:
// fetch, edit, commit, push; when the push is refused because the branch moved on, it starts
// again from the new head (the edit is recomputed, so a rollback re-reads the history). It
// returns the new commit, or "" when the edit changed nothing.
func Publish(g Git, branch string, id Identity, c Change) (string, error) {
	return publish(g, branch, branch, false, id, c)
}

// publish fetches base, applies the change and pushes the commit to the branch target; force
// replaces target (a pull request's own branch, which only this pipeline writes).
func publish(g Git, base, target string, force bool, id Identity, c Change) (string, error) {
	var lastErr error
	for attempt := 1; attempt <= MaxPushAttempts; attempt++ {
		if _, err := g.run("fetch", "--quiet", g.remote(), "refs/heads/"+base); err != nil {
			return "", err
		}
		if _, err := g.run("checkout", "--quiet", "--detach", "FETCH_HEAD"); err != nil {
			return "", err
		}
		file := filepath.Join(g.Dir, c.File)
		current, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		next, message, err := c.Edit(current)
		if err != nil {
			return "", err
		}
		if bytes.Equal(next, current) {
			return "", nil
		}
		if err := os.WriteFile(file, next, 0o644); err != nil {
			return "", err
		}
		if _, err := g.run("add", "--", c.File); err != nil {
			return "", err
		}
		if _, err := g.run("-c", "user.name="+id.Name, "-c", "user.email="+id.Email, "commit", "--quiet", "-m", message); err != nil {
			return "", err
		}
		sha, err := g.run("rev-parse", "HEAD")
		if err != nil {
			return "", err
		}
		ref := "HEAD:refs/heads/" + target
		if force {
			ref = "+" + ref
		}
		_, err = g.run("push", "--quiet", g.remote(), ref)
		if err == nil {
			return strings.TrimSpace(sha), nil
		}
		if !rejected(err) {
			return "", err
		}
		lastErr = err
	}
	return "", fmt.Errorf("push to %s refused %d times (the branch keeps moving): %w", target, MaxPushAttempts, lastErr)
}

// rejected reports whether a push failed because the remote branch moved on.
func rejected(err error) bool {
	s := err.Error()
	return strings.Contains(s, "[rejected]") || strings.Contains(s, "non-fast-forward") || strings.Contains(s, "fetch first") ||
		strings.Contains(s, "failed to update ref") || strings.Contains(s, "cannot lock ref")
}
