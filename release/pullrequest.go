package release

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/azure-saas-platform/platform/githost"
)

// Git hosting providers.
const (
	GitHub      = githost.GitHub
	AzureDevOps = githost.AzureDevOps
)

// Host is where the platform repository's pull requests are opened, with the job's own token
// (GITHUB_TOKEN with pull-requests: write; the Azure Pipelines System.AccessToken, whose build
// service identity needs Contribute and Contribute to pull requests on the repository).
type Host struct {
	Provider string
	// API is https://api.github.com, or the Azure DevOps collection URI
	// (https://dev.azure.com/<organization>/).
	API   string
	Token string
	// Repo is owner/name on GitHub; the repository's name or ID on Azure DevOps, where Project
	// is its project.
	Project, Repo string
}

// PullRequest is a change proposed to a protected branch.
type PullRequest struct {
	Source, Target string // branch names
	Title, Body    string
	// AutoComplete completes the pull request as soon as the target's policies allow (Azure
	// DevOps auto-complete; GitHub auto-merge, which the repository must allow).
	AutoComplete bool
}

// OpenPullRequest opens the pull request, or finds the open one from the same source branch to
// the same target (a rerun pushed the branch again), and returns its web address.
func OpenPullRequest(ctx context.Context, hc *http.Client, h Host, pr PullRequest) (string, error) {
	c := hostClient{api: githost.Client{HTTP: hc, Provider: h.Provider, Token: h.Token}, h: h}
	switch h.Provider {
	case GitHub:
		return c.github(ctx, pr)
	case AzureDevOps:
		return c.azureDevOps(ctx, pr)
	}
	return "", fmt.Errorf("provider %q: want %s or %s", h.Provider, GitHub, AzureDevOps)
}

// hostClient is the host's API client with the repository.
type hostClient struct {
	api githost.Client
	h   Host
}

// do sends one request to the host's API.
func (c hostClient) do(ctx context.Context, method, u string, in, out any) error {
	return c.api.Do(ctx, method, u, in, out)
}

func (c hostClient) github(ctx context.Context, pr PullRequest) (string, error) {
	api := strings.TrimSuffix(c.h.API, "/") + "/repos/" + c.h.Repo
	owner, _, _ := strings.Cut(c.h.Repo, "/")
	type ghPR struct {
		HTMLURL string `json:"html_url"`
		NodeID  string `json:"node_id"`
	}
	var open []ghPR
	q := url.Values{"head": {owner + ":" + pr.Source}, "base": {pr.Target}, "state": {"open"}}
	if err := c.do(ctx, http.MethodGet, api+"/pulls?"+q.Encode(), nil, &open); err != nil {
		return "", err
	}
	var p ghPR
	if len(open) > 0 {
		p = open[0]
	} else if err := c.do(ctx, http.MethodPost, api+"/pulls", map[string]any{
		"title": pr.Title, "head": pr.Source, "base": pr.Target, "body": pr.Body, "maintainer_can_modify": false,
	}, &p); err != nil {
		return "", err
	}
	if pr.AutoComplete {
		// Auto-merge exists only in the GraphQL API.
		// (https://api.github.com/graphql; GitHub Enterprise Server: <host>/api/graphql.)
		root := strings.TrimSuffix(c.h.API, "/")
		gql := root + "/graphql"
		if strings.HasSuffix(root, "/api/v3") {
			gql = strings.TrimSuffix(root, "/v3") + "/graphql"
		}
		var res struct {
			Errors []struct {
				Message string `json:"message"`
			} `json:"errors"`
		}
		err := c.do(ctx, http.MethodPost, gql, map[string]any{
			"query":     "mutation($id: ID!) { enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: SQUASH}) { clientMutationId } }",
			"variables": map[string]string{"id": p.NodeID},
		}, &res)
		if err == nil && len(res.Errors) > 0 {
			err = errors.New(res.Errors[0].Message)
		}
		if err != nil {
			return p.HTMLURL, fmt.Errorf("pull request %s is open, but auto-merge could not be enabled (allow auto-merge in the repository's settings): %w", p.HTMLURL, err)
		}
	}
	return p.HTMLURL, nil
}

func (c hostClient) azureDevOps(ctx context.Context, pr PullRequest) (string, error) {
	base := fmt.Sprintf("%s/%s/_apis/git/repositories/%s/pullrequests",
		strings.TrimSuffix(c.h.API, "/"), url.PathEscape(c.h.Project), url.PathEscape(c.h.Repo))
	const version = "api-version=7.1"
	type adoPR struct {
		ID         int `json:"pullRequestId"`
		Repository struct {
			WebURL string `json:"webUrl"`
		} `json:"repository"`
		CreatedBy struct {
			ID string `json:"id"`
		} `json:"createdBy"`
	}
	var open struct {
		Value []adoPR `json:"value"`
	}
	q := url.Values{
		"searchCriteria.sourceRefName": {"refs/heads/" + pr.Source},
		"searchCriteria.targetRefName": {"refs/heads/" + pr.Target},
		"searchCriteria.status":        {"active"},
	}
	if err := c.do(ctx, http.MethodGet, base+"?"+q.Encode()+"&"+version, nil, &open); err != nil {
		return "", err
	}
	var p adoPR
	if len(open.Value) > 0 {
		p = open.Value[0]
	} else if err := c.do(ctx, http.MethodPost, base+"?"+version, map[string]any{
		"sourceRefName": "refs/heads/" + pr.Source, "targetRefName": "refs/heads/" + pr.Target,
		"title": pr.Title, "description": pr.Body,
	}, &p); err != nil {
		return "", err
	}
	web := fmt.Sprintf("%s/pullrequest/%d", p.Repository.WebURL, p.ID)
	if pr.AutoComplete {
		// Completes once the branch policies pass; the source branch goes with it.
		err := c.do(ctx, http.MethodPatch, fmt.Sprintf("%s/%d?%s", base, p.ID, version), map[string]any{
			"autoCompleteSetBy": map[string]string{"id": p.CreatedBy.ID},
			"completionOptions": map[string]any{"mergeStrategy": "squash", "deleteSourceBranch": true, "transitionWorkItems": false},
		}, nil)
		if err != nil {
			return web, fmt.Errorf("pull request %s is open, but auto-complete could not be set: %w", web, err)
		}
	}
	return web, nil
}

// ProposeChange pushes the change as one commit on its own branch (from the target's head,
// replacing an earlier push of the same branch) and opens the pull request for it.
func ProposeChange(ctx context.Context, hc *http.Client, g Git, h Host, id Identity, c Change, pr PullRequest) (commit, web string, err error) {
	commit, err = publish(g, pr.Target, pr.Source, true, id, c)
	if err != nil || commit == "" {
		return commit, "", err
	}
	web, err = OpenPullRequest(ctx, hc, h, pr)
	return commit, web, err
}
