// Package prcomment keeps one comment of a pipeline on a pull request up to date: it finds the
// comment carrying a marker and replaces its text, or posts it the first time, so every push
// updates the same comment instead of adding one. It speaks to GitHub (issue comments) and to
// Azure Repos (pull-request threads) with the job's own token: GITHUB_TOKEN, or the Azure
// Pipelines System.AccessToken. No other credential is involved.
package prcomment

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/azure-saas-platform/platform/githost"
)

// Providers.
const (
	GitHub      = githost.GitHub
	AzureDevOps = githost.AzureDevOps
)

// MaxBody is the longest comment posted, under GitHub's 65536 characters; a longer body is cut
// and says so.
const MaxBody = 65000

// Target names the pull request and how to reach it.
type Target struct {
	Provider string
	// API is the API root: https://api.github.com, or the Azure DevOps collection URI
	// (https://dev.azure.com/<org>/).
	API   string
	Token string
	// GitHub: Repo is owner/name. Azure DevOps: Project and Repo are the project and repository
	// (name or ID).
	Project, Repo string
	PR            int
	// HeadSHA, when set, must be the pull request's head commit (GitHub): a comment computed for
	// an older push is not posted over a newer one.
	HeadSHA string
	// Author, when set, limits the comments that may be updated to this login (GitHub).
	Author string
}

// Marker is the hidden line that identifies a comment: the same marker means the same comment.
func Marker(name string) string { return "<!-- pipeline-comment: " + name + " -->" }

// Upsert posts body as the comment with the given marker, or updates that comment. It returns
// "created", "updated" or "unchanged".
func Upsert(ctx context.Context, hc *http.Client, t Target, marker, body string) (string, error) {
	body = Marker(marker) + "\n" + body
	if len(body) > MaxBody {
		const note = "\n\n... cut to fit a comment: the full text is in the pipeline's artifacts.\n"
		body = strings.ToValidUTF8(body[:MaxBody-len(note)], "") + note
	}
	c := client{api: githost.Client{HTTP: hc, Provider: t.Provider, Token: t.Token}, t: t}
	switch t.Provider {
	case GitHub:
		return c.github(ctx, Marker(marker), body)
	case AzureDevOps:
		return c.azureDevOps(ctx, Marker(marker), body)
	}
	return "", fmt.Errorf("provider %q: want %s or %s", t.Provider, GitHub, AzureDevOps)
}

// client is the host's API client with the target.
type client struct {
	api githost.Client
	t   Target
}

// do sends one request to the target's API.
func (c client) do(ctx context.Context, method, u string, in, out any) error {
	return c.api.Do(ctx, method, u, in, out)
}

func (c client) github(ctx context.Context, marker, body string) (string, error) {
	repo := "/repos/" + c.t.Repo
	api := strings.TrimSuffix(c.t.API, "/")
	if c.t.HeadSHA != "" {
		var pr struct {
			State string `json:"state"`
			Head  struct {
				SHA string `json:"sha"`
			} `json:"head"`
		}
		if err := c.do(ctx, http.MethodGet, fmt.Sprintf("%s%s/pulls/%d", api, repo, c.t.PR), nil, &pr); err != nil {
			return "", err
		}
		if pr.Head.SHA != c.t.HeadSHA {
			return "", fmt.Errorf("pull request #%d is at %s, not %s: a newer push will post its own comment", c.t.PR, pr.Head.SHA, c.t.HeadSHA)
		}
	}
	type comment struct {
		ID   int64  `json:"id"`
		Body string `json:"body"`
		User struct {
			Login string `json:"login"`
		} `json:"user"`
	}
	for page := 1; ; page++ {
		var comments []comment
		u := fmt.Sprintf("%s%s/issues/%d/comments?per_page=100&page=%d", api, repo, c.t.PR, page)
		if err := c.do(ctx, http.MethodGet, u, nil, &comments); err != nil {
			return "", err
		}
		for _, cm := range comments {
			if !strings.Contains(cm.Body, marker) || (c.t.Author != "" && cm.User.Login != c.t.Author) {
				continue
			}
			if cm.Body == body {
				return "unchanged", nil
			}
			err := c.do(ctx, http.MethodPatch, fmt.Sprintf("%s%s/issues/comments/%d", api, repo, cm.ID), map[string]string{"body": body}, nil)
			return "updated", err
		}
		if len(comments) < 100 {
			break
		}
	}
	err := c.do(ctx, http.MethodPost, fmt.Sprintf("%s%s/issues/%d/comments", api, repo, c.t.PR), map[string]string{"body": body}, nil)
	return "created", err
}

func (c client) azureDevOps(ctx context.Context, marker, body string) (string, error) {
	base := fmt.Sprintf("%s/%s/_apis/git/repositories/%s/pullRequests/%d/threads",
		strings.TrimSuffix(c.t.API, "/"), url.PathEscape(c.t.Project), url.PathEscape(c.t.Repo), c.t.PR)
	const version = "api-version=7.1"
	var threads struct {
		Value []struct {
			ID       int64 `json:"id"`
			Comments []struct {
				ID        int64  `json:"id"`
				Content   string `json:"content"`
				IsDeleted bool   `json:"isDeleted"`
			} `json:"comments"`
		} `json:"value"`
	}
	if err := c.do(ctx, http.MethodGet, base+"?"+version, nil, &threads); err != nil {
		return "", err
	}
	for _, th := range threads.Value {
		if len(th.Comments) == 0 {
			continue
		}
		first := th.Comments[0]
		if first.IsDeleted || !strings.Contains(first.Content, marker) {
			continue
		}
		if first.Content == body {
			return "unchanged", nil
		}
		u := fmt.Sprintf("%s/%d/comments/%d?%s", base, th.ID, first.ID, version)
		return "updated", c.do(ctx, http.MethodPatch, u, map[string]string{"content": body}, nil)
	}
	// A closed thread: the comment informs and never blocks a "comments resolved" policy.
	thread := map[string]any{
		"comments": []map[string]any{{"parentCommentId": 0, "content": body, "commentType": 1}},
		"status":   "closed",
	}
	return "created", c.do(ctx, http.MethodPost, base+"?"+version, thread, nil)
}

type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

type options struct {
	provider, marker, repo, project, headSHA, author, title string
	pr                                                      int
	bodies, logs                                            files
	dryRun                                                  bool
}

func newFlagSet(stderr io.Writer) (*flag.FlagSet, *options) {
	o := &options{}
	fs := flag.NewFlagSet("prcomment", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.provider, "provider", "", "github or azuredevops (required)")
	fs.StringVar(&o.marker, "marker", "", "the comment's identity: the comment with this marker is updated (required)")
	fs.StringVar(&o.title, "title", "", "a heading line above everything else")
	fs.Var(&o.bodies, "body", "a Markdown file of the comment; repeat to join several files")
	fs.Var(&o.logs, "log", "TITLE=FILE: a command's output, shown in a collapsible block under TITLE (its end, if long; \"Not run.\" if FILE does not exist); repeatable")
	fs.IntVar(&o.pr, "pr", 0, "the pull request number (default: $SYSTEM_PULLREQUEST_PULLREQUESTID on Azure DevOps)")
	fs.StringVar(&o.repo, "repo", "", "GitHub owner/name (default $GITHUB_REPOSITORY); Azure DevOps repository (default $BUILD_REPOSITORY_ID)")
	fs.StringVar(&o.project, "project", "", "Azure DevOps project (default $SYSTEM_TEAMPROJECTID)")
	fs.StringVar(&o.headSHA, "head-sha", "", "GitHub: post only if the pull request's head is still this commit")
	fs.StringVar(&o.author, "author", "", "GitHub: update only a comment by this login, e.g. github-actions[bot]")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the comment instead of posting it")
	return fs, o
}

// FlagSet returns the command's flags, for checks of how pipelines call it.
func FlagSet() *flag.FlagSet {
	fs, _ := newFlagSet(io.Discard)
	return fs
}

// Command is cmd/prcomment. The token and API come from the environment: GITHUB_TOKEN and
// GITHUB_API_URL (default https://api.github.com), or SYSTEM_ACCESSTOKEN and SYSTEM_COLLECTIONURI.
func Command(ctx context.Context, args []string, getenv func(string) string, hc *http.Client, stdout, stderr io.Writer) error {
	fs, o := newFlagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("prcomment: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("prcomment: unexpected arguments %q", fs.Args())
	}
	t := Target{Provider: o.provider, PR: o.pr, Repo: o.repo, Project: o.project, HeadSHA: o.headSHA, Author: o.author}
	var errs []error
	need := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New("prcomment: "+msg))
		}
	}
	switch o.provider {
	case GitHub:
		t.API, t.Token = orDefault(getenv("GITHUB_API_URL"), "https://api.github.com"), getenv("GITHUB_TOKEN")
		t.Repo = orDefault(t.Repo, getenv("GITHUB_REPOSITORY"))
		need(strings.Count(t.Repo, "/") == 1, "-repo or $GITHUB_REPOSITORY: want owner/name")
		need(t.Token != "" || o.dryRun, "$GITHUB_TOKEN is empty")
	case AzureDevOps:
		t.API, t.Token = getenv("SYSTEM_COLLECTIONURI"), getenv("SYSTEM_ACCESSTOKEN")
		t.Repo = orDefault(t.Repo, getenv("BUILD_REPOSITORY_ID"))
		t.Project = orDefault(t.Project, getenv("SYSTEM_TEAMPROJECTID"))
		if t.PR == 0 {
			t.PR, _ = strconv.Atoi(getenv("SYSTEM_PULLREQUEST_PULLREQUESTID"))
		}
		need(t.API != "" || o.dryRun, "$SYSTEM_COLLECTIONURI is empty")
		need(t.Token != "" || o.dryRun, "$SYSTEM_ACCESSTOKEN is empty (map it in the step: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken))")
		need(t.Repo != "" && t.Project != "", "-repo and -project (or $BUILD_REPOSITORY_ID and $SYSTEM_TEAMPROJECTID) are required")
		need(o.headSHA == "" && o.author == "", "-head-sha and -author are GitHub flags")
	default:
		errs = append(errs, fmt.Errorf("prcomment: -provider %q: want %s or %s", o.provider, GitHub, AzureDevOps))
	}
	need(t.PR > 0, "-pr: want the pull request number")
	need(o.marker != "", "-marker is required")
	need(len(o.bodies)+len(o.logs) > 0, "-body or -log is required")
	for _, l := range o.logs {
		title, file, ok := strings.Cut(l, "=")
		need(ok && title != "" && file != "", fmt.Sprintf("-log %q: want TITLE=FILE", l))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	var parts []string
	if o.title != "" {
		parts = append(parts, "### "+o.title)
	}
	for _, f := range o.bodies {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("prcomment: -body: %w", err)
		}
		parts = append(parts, strings.TrimSpace(string(b)))
	}
	if len(o.logs) > 0 {
		used := 0
		for _, p := range parts {
			used += len(p) + 2
		}
		share := (MaxBody - len(Marker(o.marker)) - used - 200) / len(o.logs)
		for _, l := range o.logs {
			title, file, _ := strings.Cut(l, "=")
			b, err := os.ReadFile(file)
			switch {
			case errors.Is(err, os.ErrNotExist):
				// The step that writes it did not run (an earlier layer failed): say so.
				parts = append(parts, fmt.Sprintf("<details><summary>%s</summary>\n\nNot run.\n</details>", title))
			case err != nil:
				return fmt.Errorf("prcomment: -log: %w", err)
			default:
				parts = append(parts, LogBlock(title, string(b), share))
			}
		}
	}
	body := strings.Join(parts, "\n\n") + "\n"
	if o.dryRun {
		_, err := fmt.Fprint(stdout, Marker(o.marker)+"\n"+body)
		return err
	}
	action, err := Upsert(ctx, hc, t, o.marker, body)
	if err != nil {
		return fmt.Errorf("prcomment: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "pull request %d: comment %q %s\n", t.PR, o.marker, action)
	return err
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// LogBlock renders a command's output as a collapsible code block of at most limit characters:
// colour codes are removed and, when the output is longer, its beginning is dropped (the end of a
// `pulumi preview` holds its summary and errors) and the drop is said.
func LogBlock(title, log string, limit int) string {
	log = strings.TrimSpace(ansi.ReplaceAllString(log, ""))
	fence := "```"
	for strings.Contains(log, fence) {
		fence += "`"
	}
	head := fmt.Sprintf("<details><summary>%s</summary>\n\n%s\n", title, fence)
	tail := "\n" + fence + "\n</details>"
	room := limit - len(head) - len(tail)
	if room < 0 {
		room = 0
	}
	if len(log) > room {
		const cut = "... (beginning cut to fit a comment: the full output is in the pipeline's log)\n"
		keep := max(room-len(cut), 0)
		log = cut + strings.ToValidUTF8(log[len(log)-keep:], "")
	}
	return head + log + tail
}

// ansi matches terminal colour and cursor sequences.
var ansi = regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]")
