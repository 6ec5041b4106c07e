package prcomment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/prcomment"
)

type ghComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	User struct {
		Login string `json:"login"`
	} `json:"user"`
}

// fakeGitHub serves the issue-comment and pull endpoints of one repository, in memory.
type fakeGitHub struct {
	mu       sync.Mutex
	comments []ghComment
	headSHA  string
	requests []string
	token    string
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.token = r.Header.Get("Authorization")
	var in struct{ Body string }
	_ = json.NewDecoder(r.Body).Decode(&in)
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/repos/o/r/pulls/7":
		fmt.Fprintf(w, `{"state":"open","head":{"sha":%q}}`, f.headSHA)
	case r.Method == http.MethodGet && r.URL.Path == "/repos/o/r/issues/7/comments":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		lo, hi := min((page-1)*100, len(f.comments)), min(page*100, len(f.comments))
		_ = json.NewEncoder(w).Encode(f.comments[lo:hi])
	case r.Method == http.MethodPost && r.URL.Path == "/repos/o/r/issues/7/comments":
		c := ghComment{ID: int64(len(f.comments) + 1), Body: in.Body}
		c.User.Login = "github-actions[bot]"
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/o/r/issues/comments/"):
		id, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/repos/o/r/issues/comments/"))
		f.comments[id-1].Body = in.Body
	default:
		http.Error(w, "not found", http.StatusNotFound)
	}
}

func github(api string) prcomment.Target {
	return prcomment.Target{Provider: prcomment.GitHub, API: api, Token: "job-token", Repo: "o/r", PR: 7}
}

// TestGitHubUpsert: the first run posts the comment, a later run with new text updates the same
// comment, the same text changes nothing, another marker is another comment.
func TestGitHubUpsert(t *testing.T) {
	f := &fakeGitHub{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	ctx := context.Background()
	up := func(marker, body string) string {
		action, err := prcomment.Upsert(ctx, srv.Client(), github(srv.URL), marker, body)
		require.NoError(t, err)
		return action
	}
	assert.Equal(t, "created", up("offline-diff", "first"))
	assert.Equal(t, "updated", up("offline-diff", "second"))
	assert.Equal(t, "unchanged", up("offline-diff", "second"))
	assert.Equal(t, "created", up("preview-dev", "preview"))
	require.Len(t, f.comments, 2)
	assert.Equal(t, prcomment.Marker("offline-diff")+"\nsecond", f.comments[0].Body)
	assert.Equal(t, "Bearer job-token", f.token)
}

// TestGitHubUpsertFindsTheCommentOnALaterPage and only by the given author.
func TestGitHubUpsertPagesAndAuthor(t *testing.T) {
	f := &fakeGitHub{}
	for i := 0; i < 150; i++ {
		c := ghComment{ID: int64(i + 1), Body: "chatter"}
		c.User.Login = "someone"
		f.comments = append(f.comments, c)
	}
	f.comments[20].Body = prcomment.Marker("offline-diff") + "\nquoted by a person"
	f.comments[120].Body = prcomment.Marker("offline-diff") + "\nold"
	f.comments[120].User.Login = "github-actions[bot]"
	srv := httptest.NewServer(f)
	defer srv.Close()
	tg := github(srv.URL)
	tg.Author = "github-actions[bot]"
	action, err := prcomment.Upsert(context.Background(), srv.Client(), tg, "offline-diff", "new")
	require.NoError(t, err)
	assert.Equal(t, "updated", action)
	assert.Equal(t, prcomment.Marker("offline-diff")+"\nnew", f.comments[120].Body)
	assert.Contains(t, f.comments[20].Body, "quoted by a person", "a person's comment is never edited")
	assert.Len(t, f.comments, 150)
}

// TestGitHubHeadSHA: a comment computed for an older push is not posted.
func TestGitHubHeadSHA(t *testing.T) {
	f := &fakeGitHub{headSHA: "bbb"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	tg := github(srv.URL)
	tg.HeadSHA = "aaa"
	_, err := prcomment.Upsert(context.Background(), srv.Client(), tg, "m", "x")
	assert.ErrorContains(t, err, "pull request #7 is at bbb, not aaa")
	assert.Empty(t, f.comments)
	tg.HeadSHA = "bbb"
	_, err = prcomment.Upsert(context.Background(), srv.Client(), tg, "m", "x")
	require.NoError(t, err)
	assert.Len(t, f.comments, 1)
}

type adoComment struct {
	ID        int64  `json:"id"`
	Content   string `json:"content"`
	IsDeleted bool   `json:"isDeleted"`
}

type adoThread struct {
	ID       int64        `json:"id"`
	Status   string       `json:"status"`
	Comments []adoComment `json:"comments"`
}

// fakeAzureRepos serves the pull-request threads of one pull request, in memory.
type fakeAzureRepos struct {
	mu      sync.Mutex
	threads []adoThread
	queries []string
}

func (f *fakeAzureRepos) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, r.URL.RawQuery)
	const base = "/contoso/proj-id/_apis/git/repositories/repo-id/pullRequests/42/threads"
	switch {
	case r.Method == http.MethodGet && r.URL.Path == base:
		_ = json.NewEncoder(w).Encode(map[string]any{"value": f.threads})
	case r.Method == http.MethodPost && r.URL.Path == base:
		var th adoThread
		if err := json.NewDecoder(r.Body).Decode(&th); err != nil || len(th.Comments) != 1 {
			http.Error(w, "bad thread", http.StatusBadRequest)
			return
		}
		th.ID = int64(len(f.threads) + 1)
		th.Comments[0].ID = 1
		f.threads = append(f.threads, th)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, base+"/"):
		var c adoComment
		_ = json.NewDecoder(r.Body).Decode(&c)
		var th, cm int
		_, err := fmt.Sscanf(strings.TrimPrefix(r.URL.Path, base+"/"), "%d/comments/%d", &th, &cm)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		f.threads[th-1].Comments[cm-1].Content = c.Content
	default:
		http.Error(w, "not found", http.StatusNotFound)
	}
}

// TestAzureDevOpsUpsert: the first run opens a closed thread (it never blocks a comment-resolution
// policy), later runs edit its first comment; a deleted comment with the marker is ignored.
func TestAzureDevOpsUpsert(t *testing.T) {
	f := &fakeAzureRepos{threads: []adoThread{{ID: 1, Comments: []adoComment{{ID: 1, Content: prcomment.Marker("offline-diff") + "\nold", IsDeleted: true}}}}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	tg := prcomment.Target{Provider: prcomment.AzureDevOps, API: srv.URL + "/contoso/", Token: "t", Project: "proj-id", Repo: "repo-id", PR: 42}
	up := func(body string) string {
		action, err := prcomment.Upsert(context.Background(), srv.Client(), tg, "offline-diff", body)
		require.NoError(t, err)
		return action
	}
	assert.Equal(t, "created", up("one"))
	assert.Equal(t, "updated", up("two"))
	assert.Equal(t, "unchanged", up("two"))
	require.Len(t, f.threads, 2)
	assert.Equal(t, "closed", f.threads[1].Status)
	assert.Equal(t, prcomment.Marker("offline-diff")+"\ntwo", f.threads[1].Comments[0].Content)
	for _, q := range f.queries {
		assert.Equal(t, "api-version=7.1", q)
	}
}

// TestCommand: flags and environment resolve the target; every problem is reported at once; the
// bodies and logs are joined into one comment.
func TestCommand(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "diff.md")
	log := filepath.Join(dir, "base.log")
	require.NoError(t, os.WriteFile(md, []byte("### Offline plan diff: dev\n"), 0o644))
	require.NoError(t, os.WriteFile(log, []byte("\x1b[32m+ 3 to create\x1b[0m\n"), 0o644))
	env := map[string]string{
		"GITHUB_REPOSITORY": "o/r", "GITHUB_TOKEN": "tok",
		"SYSTEM_PULLREQUEST_PULLREQUESTID": "42", "SYSTEM_ACCESSTOKEN": "t", "BUILD_REPOSITORY_ID": "repo-id", "SYSTEM_TEAMPROJECTID": "proj-id",
	}
	f := &fakeGitHub{}
	gh := httptest.NewServer(f)
	defer gh.Close()
	env["GITHUB_API_URL"] = gh.URL
	ado := &fakeAzureRepos{}
	az := httptest.NewServer(ado)
	defer az.Close()
	env["SYSTEM_COLLECTIONURI"] = az.URL + "/contoso/"
	run := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := prcomment.Command(context.Background(), args, func(k string) string { return env[k] }, http.DefaultClient, &stdout, &stderr)
		return stdout.String(), err
	}

	out, err := run("-provider", "github", "-pr", "7", "-marker", "preview-dev", "-title", "pulumi preview: dev", "-body", md,
		"-log", "base="+log, "-log", "identity="+filepath.Join(dir, "identity.log"))
	require.NoError(t, err)
	assert.Equal(t, "pull request 7: comment \"preview-dev\" created\n", out)
	require.Len(t, f.comments, 1)
	assert.Equal(t, prcomment.Marker("preview-dev")+"\n### pulumi preview: dev\n\n### Offline plan diff: dev\n\n<details><summary>base</summary>\n\n```\n+ 3 to create\n```\n</details>"+
		"\n\n<details><summary>identity</summary>\n\nNot run.\n</details>\n", f.comments[0].Body)

	out, err = run("-provider", "azuredevops", "-marker", "offline-diff", "-body", md)
	require.NoError(t, err)
	assert.Equal(t, "pull request 42: comment \"offline-diff\" created\n", out)
	require.Len(t, ado.threads, 1)

	out, err = run("-provider", "github", "-pr", "7", "-marker", "x", "-body", md, "-dry-run")
	require.NoError(t, err)
	assert.Equal(t, prcomment.Marker("x")+"\n### Offline plan diff: dev\n", out)

	_, err = run("-provider", "gitlab", "-log", "nofile")
	require.Error(t, err)
	for _, want := range []string{`-provider "gitlab"`, "-pr: want the pull request number", "-marker is required", `-log "nofile": want TITLE=FILE`} {
		assert.Contains(t, err.Error(), want)
	}
	_, err = run("-provider", "azuredevops", "-marker", "m", "-body", md, "-head-sha", "abc")
	assert.ErrorContains(t, err, "-head-sha and -author are GitHub flags")
}

// TestLogBlock: colour codes go, a long output keeps its end, the block stays within its limit.
func TestLogBlock(t *testing.T) {
	long := strings.Repeat("line\n", 5000) + "Resources:\n    + 3 to create\n"
	b := prcomment.LogBlock("dev/base", long, 2000)
	assert.LessOrEqual(t, len(b), 2000)
	assert.Contains(t, b, "beginning cut to fit a comment")
	assert.True(t, strings.HasSuffix(b, "+ 3 to create\n```\n</details>"), b[len(b)-80:])
	assert.Equal(t, "<details><summary>t</summary>\n\n````\na ``` b\n````\n</details>", prcomment.LogBlock("t", "a ``` b", 1000))
}

// TestUpsertCutsAnOverlongBody under GitHub's limit.
func TestUpsertCutsAnOverlongBody(t *testing.T) {
	f := &fakeGitHub{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	_, err := prcomment.Upsert(context.Background(), srv.Client(), github(srv.URL), "m", strings.Repeat("é", 40000))
	require.NoError(t, err)
	require.Len(t, f.comments, 1)
	assert.LessOrEqual(t, len(f.comments[0].Body), prcomment.MaxBody)
	assert.Contains(t, f.comments[0].Body, "cut to fit a comment")
}
