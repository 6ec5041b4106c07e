// Package spa deploys the single-page app's build (Vite's dist/) to the SPA storage account's
// $web container and purges what changed from Front Door: it compares the build with the blobs
// already there (by Content-MD5), uploads only what changed, with cache headers by kind (hashed
// assets immutable for a year, everything else revalidated on every request), hashed assets
// before the pages that reference them, and purges the changed non-hashed paths. The pipeline
// identity signs in with Entra ID (az --auth-mode login): no account key or SAS exists.
package spa

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Cache-Control of each kind of file.
const (
	// Immutable is for files whose name carries a content hash: a new build gives a new name,
	// so a cached copy is never stale.
	Immutable = "public, max-age=31536000, immutable"
	// Revalidate is for everything else (index.html, favicon, robots.txt): browsers and Front
	// Door check with the origin before every use, so a deployment shows at once.
	Revalidate = "no-cache"
)

// hashed matches Vite's default output names, assets/<name>-<hash>.<ext> with Rollup's hash of
// 8 or more characters of [A-Za-z0-9_-].
var hashed = regexp.MustCompile(`^assets/(.+/)?[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$`)

// IsHashed reports whether a path of the build (relative, with /) is a content-hashed asset.
func IsHashed(p string) bool { return hashed.MatchString(p) }

// File is one file of the build.
type File struct {
	Path string // relative to the build directory, with /
	MD5  string // base64, as Azure Storage reports Content-MD5
}

// ReadBuild lists the files of the build directory with their MD5.
func ReadBuild(dir string) ([]File, error) {
	var files []File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := md5.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		files = append(files, File{Path: filepath.ToSlash(rel), MD5: base64.StdEncoding.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no files: run the build first (npm ci && npm run build)", dir)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	var index bool
	for _, f := range files {
		index = index || f.Path == "index.html"
	}
	if !index {
		return nil, fmt.Errorf("%s has no index.html: not a Vite build (the static website's index document)", dir)
	}
	return files, nil
}

// Blob is a blob already in $web, as `az storage blob list` reports it.
type Blob struct {
	Name string `json:"name"`
	MD5  string `json:"md5"`
}

// ReadBlobs reads the JSON of `az storage blob list --query "[].{name:name,
// md5:properties.contentSettings.contentMd5}"`.
func ReadBlobs(data []byte) (map[string]string, error) {
	var blobs []Blob
	if err := json.Unmarshal(data, &blobs); err != nil {
		return nil, fmt.Errorf("the blob listing is not JSON of [{name, md5}]: %w", err)
	}
	out := map[string]string{}
	for _, b := range blobs {
		out[b.Name] = b.MD5
	}
	return out, nil
}

// MaxPurgePaths is where purging single paths stops being worth it: above it, everything
// non-hashed is purged with /*.
const MaxPurgePaths = 50

// Plan is what a deployment does.
type Plan struct {
	// Immutable and Revalidate are the changed files of each kind, uploaded in this order.
	Immutable, Revalidate []string
	// Unchanged counts the files already there with the same content.
	Unchanged int
	// Purge are the paths to purge from Front Door: every changed non-hashed file, and / for
	// index.html (the static website serves it for the directory too).
	Purge []string
}

// MakePlan compares the build with the blobs in $web.
func MakePlan(build []File, remote map[string]string) Plan {
	var p Plan
	for _, f := range build {
		if md5, ok := remote[f.Path]; ok && md5 == f.MD5 {
			p.Unchanged++
			continue
		}
		if IsHashed(f.Path) {
			p.Immutable = append(p.Immutable, f.Path)
			continue
		}
		p.Revalidate = append(p.Revalidate, f.Path)
		p.Purge = append(p.Purge, "/"+f.Path)
		if f.Path == "index.html" || strings.HasSuffix(f.Path, "/index.html") {
			p.Purge = append(p.Purge, "/"+strings.TrimSuffix(f.Path, "index.html"))
		}
	}
	sort.Strings(p.Purge)
	if len(p.Purge) > MaxPurgePaths {
		p.Purge = []string{"/*"}
	}
	return p
}

// Stage copies the files into dir, keeping their relative paths, so that one upload-batch of dir
// uploads exactly them.
func Stage(build, dir string, files []string) error {
	var errs []error
	for _, f := range files {
		if path.IsAbs(f) || strings.HasPrefix(path.Clean(f), "..") {
			errs = append(errs, fmt.Errorf("%s: not a path inside the build", f))
			continue
		}
		data, err := os.ReadFile(filepath.Join(build, filepath.FromSlash(f)))
		if err == nil {
			dst := filepath.Join(dir, filepath.FromSlash(f))
			if err = os.MkdirAll(filepath.Dir(dst), 0o755); err == nil {
				err = os.WriteFile(dst, data, 0o644)
			}
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Target is where the SPA is deployed: names from the platform's stack outputs (cmd/release
// outputs: SPA_STORAGE_ACCOUNT, FRONT_DOOR_RESOURCE_GROUP, FRONT_DOOR_PROFILE,
// FRONT_DOOR_ENDPOINT_HOST).
type Target struct {
	Account       string
	ResourceGroup string
	Profile       string
	EndpointHost  string
}

// ListCommand lists the blobs of $web with their MD5.
func (t Target) ListCommand() []string {
	return []string{"az", "storage", "blob", "list", "--auth-mode", "login", "--account-name", t.Account, "--container-name", "$web",
		"--num-results", "*", "--query", "[].{name:name, md5:properties.contentSettings.contentMd5}", "--output", "json"}
}

// UploadCommand uploads the staged directory with the Cache-Control of its kind.
func (t Target) UploadCommand(stage, cacheControl string) []string {
	return []string{"az", "storage", "blob", "upload-batch", "--auth-mode", "login", "--account-name", t.Account, "--destination", "$web",
		"--source", stage, "--overwrite", "true", "--content-cache-control", cacheControl, "--no-progress", "--output", "none"}
}

// EndpointCommand finds the Front Door endpoint's name by its host name (the aks layer exports
// the host; the name is the one Azure keeps).
func (t Target) EndpointCommand() []string {
	return []string{"az", "afd", "endpoint", "list", "--resource-group", t.ResourceGroup, "--profile-name", t.Profile,
		"--query", fmt.Sprintf("[?hostName=='%s'].name | [0]", t.EndpointHost), "--output", "tsv"}
}

// PurgeCommand purges the paths from the endpoint (every domain of it), waiting until done.
func (t Target) PurgeCommand(endpoint string, paths []string) []string {
	return append([]string{"az", "afd", "endpoint", "purge", "--resource-group", t.ResourceGroup, "--profile-name", t.Profile,
		"--endpoint-name", endpoint, "--content-paths"}, paths...)
}
