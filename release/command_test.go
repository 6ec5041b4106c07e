package release

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// devSettings and prodSettings are the shipped settings files with their service list replaced
// (the list last, so that a test may append entries).
var (
	devSettings  = shippedWithServices("dev", "    - name: user-service\n      namespace: users\n    - name: subscription-service\n      namespace: subscriptions\n")
	prodSettings = shippedWithServices("prod", "    - name: user-service\n      namespace: users\n")
)

func shippedWithServices(env, services string) string {
	data, err := os.ReadFile(filepath.Join("..", "Pulumi."+env+".yaml"))
	if err != nil {
		panic(err)
	}
	var out []string
	skip := false
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "  platform:") {
			skip = line == "  platform:services:"
		}
		if !skip {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n") + "\n  platform:services:\n" + services
}

// run runs cmd/release with the arguments; returns exit code, stdout and stderr.
func run(t *testing.T, e Env, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e.Stdout, e.Stderr = &out, &errb
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.Now == nil {
		e.Now = func() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }
	}
	if e.HTTP == nil {
		e.HTTP = http.DefaultClient
	}
	code := Command(context.Background(), args, e)
	return code, out.String(), errb.String()
}

// settings commits Pulumi.<env>.yaml files into the repository.
func (r *repo) settings(files map[string]string) {
	r.t.Helper()
	for name, text := range files {
		require.NoError(r.t, os.WriteFile(filepath.Join(r.clone.Dir, name), []byte(text), 0o644))
	}
	git(r.t, r.clone.Dir, "add", ".")
	git(r.t, r.clone.Dir, "commit", "--quiet", "-m", "settings")
	git(r.t, r.clone.Dir, "push", "--quiet", "origin", "HEAD:refs/heads/main")
}

func TestDeployAndRollbackByCommit(t *testing.T) {
	r := newRepo(t)
	r.settings(map[string]string{"Pulumi.dev.yaml": devSettings})
	r.commitTag("dev", "user-service", "1.0.0", "")
	file := HelmReleasePath("dev", "user-service")

	code, out, stderr := run(t, Env{}, "deploy", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-tag", "1.1.0")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "dev: deploy user-service 1.1.0: pushed ")
	tag, _ := Tag([]byte(r.remoteFile("main", file)), "user-service")
	assert.Equal(t, "1.1.0", tag)
	assert.Equal(t, "dev: deploy user-service 1.1.0", git(t, r.remote, "log", "-1", "--format=%s", "main"))

	// Deploying the same tag again is no change.
	code, out, _ = run(t, Env{}, "deploy", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-tag", "1.1.0")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "nothing to change")

	code, out, _ = run(t, Env{}, "previous-tag", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-failed", "1.1.0")
	require.Equal(t, 0, code)
	assert.Equal(t, "1.0.0\n", out)

	code, out, stderr = run(t, Env{}, "rollback", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-failed", "1.1.0", "-format", "azure-devops")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "##vso[task.setvariable variable=ROLLBACK_TAG;isOutput=true]1.0.0\n", out)
	tag, _ = Tag([]byte(r.remoteFile("main", file)), "user-service")
	assert.Equal(t, "1.0.0", tag)
	msg := git(t, r.remote, "log", "-1", "--format=%B", "main")
	assert.Contains(t, msg, "dev: roll back user-service to 1.0.0 (1.1.0 failed its rollout)")
	assert.Contains(t, msg, "\n\nRollback-of: 1.1.0")

	// A second rollback of the same failure finds the file no longer deploys it.
	code, _, stderr = run(t, Env{}, "rollback", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-failed", "1.1.0")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not the failed tag 1.1.0")

	// 1.1.0 is never a rollback target again, even when deployed once more and then 1.2.0 fails.
	_, _, _ = run(t, Env{}, "deploy", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-tag", "1.1.0")
	_, _, _ = run(t, Env{}, "deploy", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-tag", "1.2.0")
	code, out, _ = run(t, Env{}, "previous-tag", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-failed", "1.2.0", "-rev", "origin/main")
	require.Equal(t, 0, code)
	assert.Equal(t, "1.0.0\n", out)
}

// fakeHost records the REST calls of a pull request and answers them like the provider.
type fakeHost struct {
	mu    sync.Mutex
	calls []string
	body  map[string]map[string]any
	open  bool
}

func (f *fakeHost) handler(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		assert.Equal(t, "Bearer job-token", req.Header.Get("Authorization"))
		call := req.Method + " " + req.URL.Path
		f.calls = append(f.calls, call)
		var in map[string]any
		b, _ := io.ReadAll(req.Body)
		_ = json.Unmarshal(b, &in)
		if f.body == nil {
			f.body = map[string]map[string]any{}
		}
		f.body[call] = in
		switch {
		case req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/pulls"):
			assert.Equal(t, "contoso:delivery/prod/rollback-user-service-1.1.0", req.URL.Query().Get("head"))
			if f.open {
				io.WriteString(w, `[{"html_url":"https://github.com/contoso/platform/pull/7","node_id":"PR_7"}]`)
				return
			}
			io.WriteString(w, `[]`)
		case req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/pulls"):
			io.WriteString(w, `{"html_url":"https://github.com/contoso/platform/pull/8","node_id":"PR_8"}`)
		case req.URL.Path == "/graphql":
			io.WriteString(w, `{"data":{}}`)
		case req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/pullrequests"):
			assert.Equal(t, "refs/heads/delivery/prod/rollback-user-service-1.1.0", req.URL.Query().Get("searchCriteria.sourceRefName"))
			assert.Equal(t, "refs/heads/release", req.URL.Query().Get("searchCriteria.targetRefName"))
			assert.Equal(t, "7.1", req.URL.Query().Get("api-version"))
			io.WriteString(w, `{"value":[]}`)
		case req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/pullrequests"):
			io.WriteString(w, `{"pullRequestId":42,"repository":{"webUrl":"https://dev.azure.com/contoso/platform/_git/platform"},"createdBy":{"id":"build-service-id"}}`)
		case req.Method == http.MethodPatch:
			io.WriteString(w, `{}`)
		default:
			http.Error(w, "unexpected "+call, http.StatusTeapot)
		}
	})
}

func prodRepo(t *testing.T) *repo {
	r := newRepo(t)
	r.settings(map[string]string{"Pulumi.prod.yaml": prodSettings})
	r.commitTag("prod", "user-service", "1.0.0", "")
	r.commitTag("prod", "user-service", "1.1.0", "")
	// prod follows release.
	git(t, r.clone.Dir, "push", "--quiet", "origin", "HEAD:refs/heads/release")
	return r
}

func TestRollbackByPullRequest(t *testing.T) {
	for _, provider := range []string{AzureDevOps, GitHub} {
		t.Run(provider, func(t *testing.T) {
			r := prodRepo(t)
			f := &fakeHost{}
			srv := httptest.NewServer(f.handler(t))
			defer srv.Close()
			env := map[string]string{
				"SYSTEM_COLLECTIONURI": srv.URL + "/contoso/", "SYSTEM_ACCESSTOKEN": "job-token", "SYSTEM_TEAMPROJECT": "platform",
				"GITHUB_API_URL": srv.URL, "GITHUB_TOKEN": "job-token",
			}
			code, out, stderr := run(t, Env{Getenv: func(k string) string { return env[k] }},
				"rollback", "-repo", r.clone.Dir, "-env", "prod", "-service", "user-service", "-failed", "1.1.0",
				"-mode", "pull-request", "-provider", provider, "-platform-repo", map[string]string{AzureDevOps: "platform", GitHub: "contoso/platform"}[provider],
				"-auto-complete")
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, "ROLLBACK_TAG=1.0.0\n", out)

			// The change went to its own branch; release itself is untouched until the merge.
			branch := "delivery/prod/rollback-user-service-1.1.0"
			tag, _ := Tag([]byte(r.remoteFile(branch, HelmReleasePath("prod", "user-service"))), "user-service")
			assert.Equal(t, "1.0.0", tag)
			tag, _ = Tag([]byte(r.remoteFile("release", HelmReleasePath("prod", "user-service"))), "user-service")
			assert.Equal(t, "1.1.0", tag)
			assert.Contains(t, git(t, r.remote, "log", "-1", "--format=%B", branch), "Rollback-of: 1.1.0")

			if provider == AzureDevOps {
				assert.Contains(t, stderr, "pull request "+"https://dev.azure.com/contoso/platform/_git/platform/pullrequest/42")
				assert.Equal(t, []string{
					"GET /contoso/platform/_apis/git/repositories/platform/pullrequests",
					"POST /contoso/platform/_apis/git/repositories/platform/pullrequests",
					"PATCH /contoso/platform/_apis/git/repositories/platform/pullrequests/42",
				}, f.calls)
				post := f.body["POST /contoso/platform/_apis/git/repositories/platform/pullrequests"]
				assert.Equal(t, "refs/heads/"+branch, post["sourceRefName"])
				assert.Equal(t, "refs/heads/release", post["targetRefName"])
				assert.Equal(t, "prod: roll back user-service from 1.1.0", post["title"])
				patch := f.body["PATCH /contoso/platform/_apis/git/repositories/platform/pullrequests/42"]
				assert.Equal(t, map[string]any{"id": "build-service-id"}, patch["autoCompleteSetBy"])
				assert.Equal(t, map[string]any{"mergeStrategy": "squash", "deleteSourceBranch": true, "transitionWorkItems": false}, patch["completionOptions"])
			} else {
				assert.Contains(t, stderr, "pull request https://github.com/contoso/platform/pull/8")
				assert.Equal(t, []string{"GET /repos/contoso/platform/pulls", "POST /repos/contoso/platform/pulls", "POST /graphql"}, f.calls)
				post := f.body["POST /repos/contoso/platform/pulls"]
				assert.Equal(t, branch, post["head"])
				assert.Equal(t, "release", post["base"])
				assert.Contains(t, f.body["POST /graphql"]["query"], "enablePullRequestAutoMerge")
				assert.Equal(t, map[string]any{"id": "PR_8"}, f.body["POST /graphql"]["variables"])
			}
		})
	}
}

func TestRollbackReusesAnOpenPullRequest(t *testing.T) {
	r := prodRepo(t)
	f := &fakeHost{open: true}
	srv := httptest.NewServer(f.handler(t))
	defer srv.Close()
	env := map[string]string{"GITHUB_API_URL": srv.URL, "GITHUB_TOKEN": "job-token", "GITHUB_REPOSITORY": "contoso/platform"}
	// Twice: the second run force-pushes the same branch and finds the same pull request.
	for i := 0; i < 2; i++ {
		code, _, stderr := run(t, Env{Getenv: func(k string) string { return env[k] }},
			"rollback", "-repo", r.clone.Dir, "-env", "prod", "-service", "user-service", "-failed", "1.1.0", "-mode", "pull-request", "-provider", "github")
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stderr, "https://github.com/contoso/platform/pull/7")
	}
	assert.Equal(t, []string{"GET /repos/contoso/platform/pulls", "GET /repos/contoso/platform/pulls"}, f.calls)
}

func TestMarkFailed(t *testing.T) {
	r := newRepo(t)
	r.settings(map[string]string{"Pulumi.dev.yaml": devSettings, "Pulumi.prod.yaml": prodSettings})
	id := "/subscriptions/0000/resourceGroups/rg-saas-dev/providers/Microsoft.ContainerRegistry/registries/crsaasdevweu"
	var ran [][]string
	e := Env{Run: func(name string, args ...string) ([]byte, error) {
		ran = append(ran, append([]string{name}, args...))
		return nil, nil
	}}
	code, out, stderr := run(t, e, "mark-failed", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-tag", "1.4.0",
		"-policy", "quarantine", "-registry-name", "crsaasdevweu", "-registry-id", id)
	require.Equal(t, 0, code, stderr)
	want := [][]string{
		{"az", "acr", "import", "--name", "crsaasdevweu", "--registry", id, "--source", "user-service:1.4.0", "--image", "user-service:failed-1.4.0", "--force"},
		{"az", "acr", "repository", "untag", "--name", "crsaasdevweu", "--image", "user-service:1.4.0"},
		{"kubectl", "annotate", "--overwrite", "--namespace", "flux-system", "imagerepository.image.toolkit.fluxcd.io/user-service", "reconcile.fluxcd.io/requestedAt=2026-05-01T12:00:00Z"},
	}
	assert.Equal(t, want, ran, "dev runs image automation: Flux rescans at once")
	assert.Contains(t, out, "+ az acr import")

	// keep is refused where image automation would redeploy the tag.
	code, _, stderr = run(t, e, "mark-failed", "-repo", r.clone.Dir, "-env", "dev", "-service", "user-service", "-tag", "1.4.0", "-policy", "keep", "-registry-name", "crsaasdevweu")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, "policy keep with Flux image automation on")

	// prod: no image automation, so keep is fine and delete needs no rescan.
	ran = nil
	code, out, _ = run(t, e, "mark-failed", "-repo", r.clone.Dir, "-env", "prod", "-service", "user-service", "-tag", "1.4.0", "-policy", "keep", "-registry-name", "crsaasprodweu")
	require.Equal(t, 0, code)
	assert.Empty(t, ran)
	assert.Contains(t, out, "kept")
	code, _, _ = run(t, e, "mark-failed", "-repo", r.clone.Dir, "-env", "prod", "-service", "user-service", "-tag", "1.4.0", "-policy", "delete", "-registry-name", "crsaasprodweu")
	require.Equal(t, 0, code)
	assert.Equal(t, [][]string{{"az", "acr", "repository", "delete", "--name", "crsaasprodweu", "--image", "user-service:1.4.0", "--yes"}}, ran)

	// dry-run runs nothing; quarantine without the registry ID is refused.
	ran = nil
	code, _, _ = run(t, e, "mark-failed", "-repo", r.clone.Dir, "-env", "prod", "-service", "user-service", "-tag", "1.4.0", "-policy", "delete", "-registry-name", "crsaasprodweu", "-dry-run")
	require.Equal(t, 0, code)
	assert.Empty(t, ran)
	code, _, stderr = run(t, e, "mark-failed", "-repo", r.clone.Dir, "-env", "prod", "-service", "user-service", "-tag", "1.4.0", "-registry-name", "crsaasprodweu")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, "quarantine needs the registry's resource ID")
	code, _, stderr = run(t, e, "mark-failed", "-repo", r.clone.Dir, "-env", "prod", "-service", "user-service", "-tag", "1.4.0", "-registry-name", "r", "-policy", "purge")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, `policy "purge": want keep, quarantine or delete`)
}

func TestOutputs(t *testing.T) {
	dir := t.TempDir()
	aks := filepath.Join(dir, "aks.json")
	base := filepath.Join(dir, "base.json")
	require.NoError(t, os.WriteFile(aks, []byte(`{
  "acrId": "/subscriptions/s1/resourceGroups/rg-saas-dev/providers/Microsoft.ContainerRegistry/registries/crsaasdevweu",
  "acrLoginServer": "crsaasdevweu.azurecr.io",
  "clusterName": "aks-saas-dev",
  "clusterId": "/subscriptions/s1/resourceGroups/rg-saas-dev/providers/Microsoft.ContainerService/managedClusters/aks-saas-dev",
  "frontDoorProfileId": "/subscriptions/s1/resourceGroups/rg-saas-dev/providers/Microsoft.Cdn/profiles/afd-saas-dev",
  "frontDoorEndpointHostName": "fde-saas-dev-abc123.z01.azurefd.net",
  "federatedSubjects": {"a": "b"}
}`), 0o644))
	// The single-stack root project prefixes every output with its layer.
	require.NoError(t, os.WriteFile(base, []byte(`{"base.spaStorageAccountId": "/subscriptions/s1/resourceGroups/rg-saas-dev/providers/Microsoft.Storage/storageAccounts/stsaasdevspa"}`), 0o644))
	code, out, stderr := run(t, Env{}, "outputs", "-aks", aks, "-base", base, "-format", "azure-devops")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, `##vso[task.setvariable variable=ACR_ID]/subscriptions/s1/resourceGroups/rg-saas-dev/providers/Microsoft.ContainerRegistry/registries/crsaasdevweu
##vso[task.setvariable variable=ACR_LOGIN_SERVER]crsaasdevweu.azurecr.io
##vso[task.setvariable variable=ACR_NAME]crsaasdevweu
##vso[task.setvariable variable=AKS_NAME]aks-saas-dev
##vso[task.setvariable variable=AKS_RESOURCE_GROUP]rg-saas-dev
##vso[task.setvariable variable=FRONT_DOOR_ENDPOINT_HOST]fde-saas-dev-abc123.z01.azurefd.net
##vso[task.setvariable variable=FRONT_DOOR_PROFILE]afd-saas-dev
##vso[task.setvariable variable=FRONT_DOOR_RESOURCE_GROUP]rg-saas-dev
##vso[task.setvariable variable=SPA_STORAGE_ACCOUNT]stsaasdevspa
`, out)

	code, out, _ = run(t, Env{}, "outputs", "-aks", aks, "-prefix", "DEV_")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "DEV_ACR_ID=/subscriptions/s1/")
	code, _, stderr = run(t, Env{}, "outputs", "-aks", aks, "-prefix", "dev-")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, `-prefix "dev-"`)

	identity := filepath.Join(dir, "identity.json")
	require.NoError(t, os.WriteFile(identity, []byte(`{"spaClientId": "c0ffee00-0000-0000-0000-000000000001", "externalIdAuthority": "https://saascustomersdev.ciamlogin.com/t/v2.0"}`), 0o644))
	code, out, stderr = run(t, Env{}, "outputs", "-aks", aks, "-identity", identity)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "SPA_CLIENT_ID=c0ffee00-0000-0000-0000-000000000001\n")
	assert.Contains(t, out, "EXTERNAL_ID_AUTHORITY=https://saascustomersdev.ciamlogin.com/t/v2.0\n")

	ghEnv := filepath.Join(dir, "github_env")
	code, _, _ = run(t, Env{Getenv: func(k string) string { return map[string]string{"GITHUB_ENV": ghEnv}[k] }}, "outputs", "-aks", aks, "-format", "github")
	require.Equal(t, 0, code)
	data, err := os.ReadFile(ghEnv)
	require.NoError(t, err)
	assert.Contains(t, string(data), "ACR_NAME=crsaasdevweu\n")
	assert.NotContains(t, string(data), "SPA_STORAGE_ACCOUNT")

	require.NoError(t, os.WriteFile(aks, []byte(`{"acrId": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x", "clusterId": "[secret]"}`), 0o644))
	code, _, stderr = run(t, Env{}, "outputs", "-aks", aks)
	assert.Equal(t, 1, code)
	for _, w := range []string{"is a Microsoft.Storage/storageAccounts, want a Microsoft.ContainerRegistry/registries", "layer aks has no stack output acrLoginServer",
		"stack output clusterId of layer aks is [secret]", "no stack output frontDoorProfileId"} {
		assert.Contains(t, stderr, w)
	}
}

// The outputs read above are the ones the layers export (their Outputs structs' tags).
func TestOutputsExistInTheLayerContracts(t *testing.T) {
	for layer, keys := range map[string][]string{
		"aks":      {"acrId", "acrLoginServer", "clusterId", "frontDoorProfileId", "frontDoorEndpointHostName"},
		"base":     {"spaStorageAccountId"},
		"identity": {"spaClientId", "externalIdAuthority"},
	} {
		src, err := os.ReadFile(filepath.Join("..", "layers", layer, "outputs.go"))
		require.NoError(t, err)
		for _, k := range keys {
			assert.Regexp(t, regexp.MustCompile("`output:\""+k+"\"`"), string(src), "layer %s exports %s", layer, k)
		}
	}
}

func TestChangedCommand(t *testing.T) {
	r := newRepo(t)
	r.settings(map[string]string{"Pulumi.dev.yaml": devSettings})
	src := r.clone.Dir
	write := func(p string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(src, p), []byte(p), 0o644))
	}
	write("services/user-service/index.ts")
	write("services/subscription-service/index.ts")
	git(t, src, "add", ".")
	git(t, src, "commit", "--quiet", "-m", "both")
	write("services/subscription-service/index.ts.new")
	git(t, src, "add", ".")
	git(t, src, "commit", "--quiet", "-m", "one")

	code, out, stderr := run(t, Env{}, "changed", "-config", filepath.Join(src, "Pulumi.dev.yaml"), "-source", src, "-format", "azure-devops")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "##vso[task.setvariable variable=count;isOutput=true]1\n"+
		`##vso[task.setvariable variable=matrix;isOutput=true]{"subscription_service":{"service":"subscription-service","namespace":"subscriptions"}}`+"\n"+
		"##vso[task.setvariable variable=services;isOutput=true]subscription-service\n", out)
	assert.Contains(t, stderr, "changed services: subscription-service")

	gh := filepath.Join(t.TempDir(), "out")
	code, _, stderr = run(t, Env{}, "changed", "-config", filepath.Join(src, "Pulumi.dev.yaml"), "-source", src, "-base", "HEAD~2", "-format", "github", "-github-output", gh)
	require.Equal(t, 0, code, stderr)
	data, _ := os.ReadFile(gh)
	assert.Contains(t, string(data), `matrix={"include":[{"service":"user-service","namespace":"users"},{"service":"subscription-service","namespace":"subscriptions"}]}`)
	assert.Contains(t, string(data), "count=2\n")

	// With a build number every service gets its tag from its VERSION file.
	require.NoError(t, os.WriteFile(filepath.Join(src, "services/subscription-service/VERSION"), []byte("2.1\n"), 0o644))
	code, out, stderr = run(t, Env{}, "changed", "-config", filepath.Join(src, "Pulumi.dev.yaml"), "-source", src, "-build-number", "317", "-format", "azure-devops")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `{"subscription_service":{"service":"subscription-service","namespace":"subscriptions","tag":"2.1.317"}}`)
	assert.Contains(t, out, "variable=tags;isOutput=true]subscription-service=2.1.317\n")
	code, _, stderr = run(t, Env{}, "changed", "-config", filepath.Join(src, "Pulumi.dev.yaml"), "-source", src, "-build-number", "317", "-all")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "services/user-service/VERSION")

	// A first push (no base) builds everything; -all too.
	for _, args := range [][]string{{"-base", "0000000000000000000000000000000000000000"}, {"-all"}} {
		code, out, _ = run(t, Env{}, append([]string{"changed", "-config", filepath.Join(src, "Pulumi.dev.yaml"), "-source", src}, args...)...)
		require.Equal(t, 0, code)
		assert.Contains(t, out, "count=2\n")
	}
}

func TestChangedReleases(t *testing.T) {
	r := newRepo(t)
	r.settings(map[string]string{"Pulumi.prod.yaml": prodSettings + "    - name: subscription-service\n      namespace: subscriptions\n"})
	r.commitTag("prod", "user-service", "1.0.0", "")
	base := r.commitTag("prod", "subscription-service", "2.0.0", "")
	r.commitTag("prod", "user-service", "1.1.0", "")
	code, out, stderr := run(t, Env{}, "changed-releases", "-repo", r.clone.Dir, "-env", "prod", "-base", base, "-format", "azure-devops")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `variable=matrix;isOutput=true]{"user_service":{"service":"user-service","namespace":"users","from":"1.0.0","tag":"1.1.0","isRollback":"false"}}`)
	assert.Contains(t, stderr, "user-service 1.0.0 -> 1.1.0")

	// A rollback commit is marked, a new HelmRelease has no from.
	base = git(t, r.clone.Dir, "rev-parse", "HEAD")
	r.commitTag("prod", "user-service", "1.0.0", RollbackTrailer+": 1.1.0")
	code, out, _ = run(t, Env{}, "changed-releases", "-repo", r.clone.Dir, "-env", "prod", "-base", base+"~2", "-format", "text")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"subscription_service":{"service":"subscription-service","namespace":"subscriptions","from":"","tag":"2.0.0","isRollback":"false"}`)
	code, out, _ = run(t, Env{}, "changed-releases", "-repo", r.clone.Dir, "-env", "prod", "-base", base)
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"from":"1.1.0","tag":"1.0.0","isRollback":"true"`)
}

func TestUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "usage: release <subcommand>"},
		{[]string{"nope"}, `unknown subcommand "nope"`},
		{[]string{"deploy", "-env", "dev"}, "-service, -tag required"},
		{[]string{"deploy", "-env", "dev", "-service", "s", "-tag", "bad tag"}, `image tag "bad tag"`},
		{[]string{"rollback", "-env", "dev", "-service", "s", "-failed", "1", "extra"}, `unexpected arguments ["extra"]`},
		{[]string{"set-tag", "-file", "x"}, "-service, -tag required"},
		{[]string{"outputs"}, "-aks required"},
		{[]string{"deploy", "-undefined"}, "flag provided but not defined"},
	} {
		code, _, stderr := run(t, Env{}, tt.args...)
		assert.Equal(t, ExitUsage, code, "%v", tt.args)
		assert.Contains(t, stderr, tt.want, "%v", tt.args)
	}
	for _, name := range Subcommands() {
		assert.NotNil(t, FlagSet(name), name)
	}
	assert.Nil(t, FlagSet("nope"))
}

func TestSetTagCommand(t *testing.T) {
	f := filepath.Join(t.TempDir(), "user-service.yaml")
	require.NoError(t, os.WriteFile(f, readTestdata(t, "user-service.yaml"), 0o644))
	code, _, stderr := run(t, Env{}, "set-tag", "-file", f, "-service", "user-service", "-tag", "2.0.0")
	require.Equal(t, 0, code, stderr)
	data, _ := os.ReadFile(f)
	tag, _ := Tag(data, "user-service")
	assert.Equal(t, "2.0.0", tag)
	code, _, stderr = run(t, Env{}, "set-tag", "-file", f, "-service", "llm-service", "-tag", "2.0.0")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no HelmRelease named llm-service")
}
