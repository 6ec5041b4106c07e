// Package githost sends the JSON requests the pipelines' commands make to a Git host's REST API,
// GitHub or Azure DevOps, with the job's own bearer token (GITHUB_TOKEN, or the Azure Pipelines
// System.AccessToken): cmd/prcomment's pull-request comment and cmd/release's pull requests.
package githost

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Providers.
const (
	GitHub      = "github"
	AzureDevOps = "azuredevops"
)

// maxAnswer is the most of an answer read: 32 MiB.
const maxAnswer = 32 << 20

// Client talks to one host's API.
type Client struct {
	HTTP     *http.Client
	Provider string // GitHub or AzureDevOps: which headers the API expects
	Token    string
}

// Do sends in as JSON (none when nil) and decodes the answer into out (when not nil). An answer
// other than 2xx is an error naming the method, the URL without its query (which may carry
// parameters, never the token), the status and the first 300 characters of the body.
func (c Client) Do(ctx context.Context, method, u string, in, out any) error {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	if c.Provider == GitHub {
		req.Header.Set("Accept", "application/vnd.github+json")
		req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return err
	}
	path, _, _ := strings.Cut(u, "?")
	if resp.StatusCode/100 != 2 {
		msg := strings.TrimSpace(string(data))
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}
