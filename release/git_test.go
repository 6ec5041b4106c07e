package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain keeps the machine's git configuration (signing, hooks) out of the tests' repositories.
func TestMain(m *testing.M) {
	os.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	os.Exit(m.Run())
}

// repo is a throwaway platform repository: a bare remote and a clone of it, as a pipeline's
// checkout would be.
type repo struct {
	t      *testing.T
	remote string
	clone  Git
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Parallel()
	base := t.TempDir()
	remote := filepath.Join(base, "platform.git")
	git(t, base, "init", "--quiet", "--bare", "--initial-branch=main", remote)
	work := filepath.Join(base, "work")
	git(t, base, "clone", "--quiet", remote, work)
	git(t, work, "checkout", "--quiet", "-b", "main")
	return &repo{t: t, remote: remote, clone: Git{Dir: work}}
}

// commitTag writes the service's HelmRelease with the tag (and an optional message body) into
// the clone, commits and pushes it; returns the commit.
func (r *repo) commitTag(env, service, tag, body string) string {
	r.t.Helper()
	file := filepath.Join(r.clone.Dir, HelmReleasePath(env, service))
	require.NoError(r.t, os.MkdirAll(filepath.Dir(file), 0o755))
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		data = []byte(strings.ReplaceAll(string(readTestdata(r.t, "user-service.yaml")), "user-service", service))
	} else {
		require.NoError(r.t, err)
	}
	data, err = SetTag(data, service, tag)
	require.NoError(r.t, err)
	require.NoError(r.t, os.WriteFile(file, data, 0o644))
	git(r.t, r.clone.Dir, "add", ".")
	msg := env + ": " + service + " " + tag
	if body != "" {
		msg += "\n\n" + body
	}
	git(r.t, r.clone.Dir, "commit", "--quiet", "--allow-empty", "-m", msg)
	git(r.t, r.clone.Dir, "push", "--quiet", "origin", "HEAD:refs/heads/main")
	return git(r.t, r.clone.Dir, "rev-parse", "HEAD")
}

// other is a second clone, for changes someone else pushes meanwhile.
func (r *repo) other() Git {
	r.t.Helper()
	dir := filepath.Join(filepath.Dir(r.remote), "other")
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		git(r.t, filepath.Dir(r.remote), "clone", "--quiet", r.remote, dir)
	}
	git(r.t, dir, "pull", "--quiet", "origin", "main")
	return Git{Dir: dir}
}

func (r *repo) remoteFile(branch, file string) string {
	r.t.Helper()
	return git(r.t, r.remote, "show", branch+":"+file)
}

func TestPreviousTag(t *testing.T) {
	r := newRepo(t)
	file := HelmReleasePath("dev", "user-service")
	r.commitTag("dev", "user-service", "1.0.0", "")
	c110 := r.commitTag("dev", "user-service", "1.1.0", "")
	// 1.2.0 failed once and was rolled back to 1.1.0: it is never a target again.
	r.commitTag("dev", "user-service", "1.2.0", "")
	r.commitTag("dev", "user-service", "1.1.0", RollbackTrailer+": 1.2.0")
	// A later tag deployed, then the failed one.
	c130 := r.commitTag("dev", "user-service", "1.3.0", "")
	r.commitTag("dev", "user-service", "1.4.0", "")

	p, err := PreviousTag(r.clone, "", file, "user-service", "1.4.0", nil)
	require.NoError(t, err)
	assert.Equal(t, Previous{Tag: "1.3.0", Commit: c130}, p)

	// Skipping 1.3.0 (e.g. known bad) goes past the rolled-back 1.2.0 to the rollback commit's 1.1.0.
	p, err = PreviousTag(r.clone, "", file, "user-service", "1.4.0", []string{"1.3.0"})
	require.NoError(t, err)
	assert.Equal(t, "1.1.0", p.Tag)
	assert.NotEqual(t, c110, p.Commit, "the newest commit that set 1.1.0: the rollback's")

	// The failed tag must be what the file deploys now.
	_, err = PreviousTag(r.clone, "", file, "user-service", "1.3.0", nil)
	assert.ErrorContains(t, err, "deploys user-service:1.4.0, not the failed tag 1.3.0")

	// No other tag: nothing to roll back to.
	_, err = PreviousTag(r.clone, "", file, "user-service", "1.4.0", []string{"1.3.0", "1.1.0", "1.0.0"})
	assert.ErrorContains(t, err, "nothing to roll back to")
}

func TestPreviousTagSkipsCommitsThatKeptTheFailedTag(t *testing.T) {
	r := newRepo(t)
	file := HelmReleasePath("dev", "user-service")
	r.commitTag("dev", "user-service", "1.0.0", "")
	r.commitTag("dev", "user-service", "2.0.0", "")
	// A values change after the failed tag: the rollback looks past it.
	path := filepath.Join(r.clone.Dir, file)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), "replicaCount: 1", "replicaCount: 2", 1)), 0o644))
	git(t, r.clone.Dir, "commit", "--quiet", "-am", "dev: two replicas")
	commits, err := r.clone.fileLog("", file)
	require.NoError(t, err)
	require.Len(t, commits, 3)
	p, err := PreviousTag(r.clone, "", file, "user-service", "2.0.0", nil)
	require.NoError(t, err)
	assert.Equal(t, "1.0.0", p.Tag)
}

func TestPreviousTagRefusesAShallowCheckout(t *testing.T) {
	r := newRepo(t)
	r.commitTag("dev", "user-service", "1.0.0", "")
	r.commitTag("dev", "user-service", "1.1.0", "")
	shallow := filepath.Join(filepath.Dir(r.remote), "shallow")
	git(t, filepath.Dir(r.remote), "clone", "--quiet", "--depth", "1", "file://"+r.remote, shallow)
	_, err := PreviousTag(Git{Dir: shallow}, "", HelmReleasePath("dev", "user-service"), "user-service", "1.1.0", nil)
	assert.ErrorContains(t, err, "fetchDepth: 0")
}

func TestPublishRetriesWhenTheBranchMoved(t *testing.T) {
	r := newRepo(t)
	file := HelmReleasePath("dev", "user-service")
	r.commitTag("dev", "user-service", "1.0.0", "")
	r.commitTag("dev", "subscription-service", "1.0.0", "")

	// Someone else pushes after our checkout: the first push is refused, the second goes on top.
	other := r.other()
	calls := 0
	sha, err := Publish(r.clone, "main", DefaultIdentity, Change{File: file, Edit: func(cur []byte) ([]byte, string, error) {
		calls++
		if calls == 1 {
			data, err := os.ReadFile(filepath.Join(other.Dir, HelmReleasePath("dev", "subscription-service")))
			require.NoError(t, err)
			data, err = SetTag(data, "subscription-service", "1.1.0")
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(other.Dir, HelmReleasePath("dev", "subscription-service")), data, 0o644))
			git(t, other.Dir, "commit", "--quiet", "-am", "meanwhile")
			git(t, other.Dir, "push", "--quiet", "origin", "HEAD:refs/heads/main")
		}
		next, err := SetTag(cur, "user-service", "1.0.1")
		return next, "dev: deploy user-service 1.0.1", err
	}})
	require.NoError(t, err)
	assert.Equal(t, 2, calls, "recomputed on the new head")
	assert.Equal(t, sha, git(t, r.remote, "rev-parse", "main"))
	tag, err := Tag([]byte(r.remoteFile("main", file)), "user-service")
	require.NoError(t, err)
	assert.Equal(t, "1.0.1", tag)
	other2, err := Tag([]byte(r.remoteFile("main", HelmReleasePath("dev", "subscription-service"))), "subscription-service")
	require.NoError(t, err)
	assert.Equal(t, "1.1.0", other2, "the other change is kept")
	assert.Equal(t, "platform delivery <delivery@platform.invalid>", git(t, r.remote, "log", "-1", "--format=%an <%ae>", "main"))

	// Nothing to change: no commit.
	sha, err = Publish(r.clone, "main", DefaultIdentity, Change{File: file, Edit: func(cur []byte) ([]byte, string, error) {
		return cur, "", nil
	}})
	require.NoError(t, err)
	assert.Empty(t, sha)
}
