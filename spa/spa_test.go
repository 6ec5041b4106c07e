package spa

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func md5of(s string) string {
	h := md5.Sum([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}

// build writes a Vite build: name -> content.
func build(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

var viteBuild = map[string]string{
	"index.html":                "<script src=/assets/index-BkX9a_Q2.js>",
	"favicon.ico":               "icon",
	"robots.txt":                "User-agent: *",
	"assets/index-BkX9a_Q2.js":  "app v2",
	"assets/vendor-Cq1-zz0P.js": "vendor",
	"assets/index-D4f7G8h9.css": "css v2",
	"docs/index.html":           "docs page",
}

func TestIsHashed(t *testing.T) {
	for p, want := range map[string]bool{
		"assets/index-BkX9a_Q2.js":          true,
		"assets/vendor-Cq1-zz0P.js":         true,
		"assets/my-component-AbCdEfGh.css":  true,
		"assets/fonts/inter-Xy12_3-4.woff2": true,
		"assets/logo.svg":                   false,
		"assets/index-short.js":             false,
		"index.html":                        false,
		"favicon-BkX9a_Q2.ico":              false,
	} {
		assert.Equal(t, want, IsHashed(p), p)
	}
}

func TestMakePlan(t *testing.T) {
	dir := build(t, viteBuild)
	files, err := ReadBuild(dir)
	require.NoError(t, err)
	require.Len(t, files, 7)
	// Base64 of the digest, as Azure reports Content-MD5 (the empty blob's is 1B2M2Y8AsgTpgAmY7PhCfg==).
	assert.Equal(t, "1B2M2Y8AsgTpgAmY7PhCfg==", md5of(""))
	assert.Equal(t, File{Path: "favicon.ico", MD5: md5of("icon")}, files[4])

	// The vendor chunk and robots.txt are unchanged; everything else is new or changed.
	remote := map[string]string{
		"assets/vendor-Cq1-zz0P.js": md5of("vendor"),
		"robots.txt":                md5of("User-agent: *"),
		"index.html":                md5of("<script src=/assets/index-OLD00000.js>"),
		"assets/index-OLD00000.js":  md5of("app v1"),
	}
	p := MakePlan(files, remote)
	assert.Equal(t, []string{"assets/index-BkX9a_Q2.js", "assets/index-D4f7G8h9.css"}, p.Immutable)
	assert.Equal(t, []string{"docs/index.html", "favicon.ico", "index.html"}, p.Revalidate)
	assert.Equal(t, 2, p.Unchanged)
	assert.Equal(t, []string{"/", "/docs/", "/docs/index.html", "/favicon.ico", "/index.html"}, p.Purge, "hashed assets are never purged: their names are new")

	// A redeploy of the same build changes nothing.
	all := map[string]string{}
	for _, f := range files {
		all[f.Path] = f.MD5
	}
	assert.Equal(t, Plan{Unchanged: 7}, MakePlan(files, all))

	// Many changed pages: one wildcard purge.
	many := map[string]string{"index.html": "x"}
	for i := 0; i < MaxPurgePaths+1; i++ {
		many[fmt.Sprintf("page%d.html", i)] = "x"
	}
	files, err = ReadBuild(build(t, many))
	require.NoError(t, err)
	assert.Equal(t, []string{"/*"}, MakePlan(files, nil).Purge)
}

func TestReadBuildRefusesWhatIsNoBuild(t *testing.T) {
	_, err := ReadBuild(t.TempDir())
	assert.ErrorContains(t, err, "holds no files: run the build first")
	_, err = ReadBuild(build(t, map[string]string{"main.js": "x"}))
	assert.ErrorContains(t, err, "has no index.html")
}

// fakeAz answers the az commands of a deployment and records them, with the files each upload
// stage held when it was uploaded.
type fakeAz struct {
	calls    [][]string
	uploaded map[string][]string // cache-control -> staged files
	blobs    []Blob
	endpoint string
}

func (f *fakeAz) run(t *testing.T) Runner {
	return func(name string, args ...string) ([]byte, error) {
		f.calls = append(f.calls, append([]string{name}, args...))
		cmd := strings.Join(args[:3], " ")
		switch {
		case cmd == "storage blob list":
			return json.Marshal(f.blobs)
		case cmd == "storage blob upload-batch":
			stage, cache := value(args, "--source"), value(args, "--content-cache-control")
			var staged []string
			require.NoError(t, filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(stage, p)
					staged = append(staged, filepath.ToSlash(rel))
				}
				return err
			}))
			sort.Strings(staged)
			if f.uploaded == nil {
				f.uploaded = map[string][]string{}
			}
			f.uploaded[cache] = staged
			return nil, nil
		case cmd == "afd endpoint list":
			return []byte(f.endpoint + "\n"), nil
		case cmd == "afd endpoint purge":
			return nil, nil
		}
		return nil, errors.New("unexpected az " + strings.Join(args, " "))
	}
}

func value(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

var target = []string{"-account", "stsaasdevspa", "-resource-group", "rg-saas-dev", "-profile", "afd-saas-dev", "-endpoint-host", "fde-saas-dev-abc.z01.azurefd.net"}

func TestDeploy(t *testing.T) {
	dir := build(t, viteBuild)
	f := &fakeAz{endpoint: "fde-saas-dev", blobs: []Blob{{"assets/vendor-Cq1-zz0P.js", md5of("vendor")}, {"robots.txt", md5of("User-agent: *")}, {"old.html", "x"}}}
	var out, errb bytes.Buffer
	code := Command(append([]string{"deploy", "-dir", dir}, target...), f.run(t), &out, &errb)
	require.Equal(t, 0, code, errb.String())

	var order []string
	for _, c := range f.calls {
		order = append(order, strings.Join(c[1:4], " "))
	}
	assert.Equal(t, []string{"storage blob list", "storage blob upload-batch", "storage blob upload-batch", "afd endpoint list", "afd endpoint purge"}, order)

	list := f.calls[0]
	for _, w := range []string{"--auth-mode login", "--account-name stsaasdevspa", "--container-name $web", "--num-results *"} {
		assert.Contains(t, strings.Join(list, " "), w)
	}
	// Hashed assets first and immutable; then the pages, revalidated.
	assert.Equal(t, Immutable, value(f.calls[1], "--content-cache-control"))
	assert.Equal(t, Revalidate, value(f.calls[2], "--content-cache-control"))
	assert.Equal(t, []string{"assets/index-BkX9a_Q2.js", "assets/index-D4f7G8h9.css"}, f.uploaded[Immutable])
	assert.Equal(t, []string{"docs/index.html", "favicon.ico", "index.html"}, f.uploaded[Revalidate])
	for _, c := range f.calls[1:3] {
		s := strings.Join(c, " ")
		for _, w := range []string{"--auth-mode login", "--destination $web", "--overwrite true", "--account-name stsaasdevspa"} {
			assert.Contains(t, s, w)
		}
		assert.NotContains(t, s, "--account-key")
		assert.NotContains(t, s, "--sas-token")
	}
	assert.Equal(t, "[?hostName=='fde-saas-dev-abc.z01.azurefd.net'].name | [0]", value(f.calls[3], "--query"))
	assert.Equal(t, []string{"az", "afd", "endpoint", "purge", "--resource-group", "rg-saas-dev", "--profile-name", "afd-saas-dev", "--endpoint-name", "fde-saas-dev",
		"--content-paths", "/", "/docs/", "/docs/index.html", "/favicon.ico", "/index.html"}, f.calls[4])
	assert.Contains(t, out.String(), "7 files: 2 hashed and 3 other to upload, 2 unchanged")
}

func TestDeployOutcomes(t *testing.T) {
	dir := build(t, viteBuild)
	// Nothing changed: no upload, no purge.
	all := []Blob{}
	files, _ := ReadBuild(dir)
	for _, f := range files {
		all = append(all, Blob{f.Path, f.MD5})
	}
	f := &fakeAz{blobs: all}
	var out, errb bytes.Buffer
	require.Equal(t, 0, Command(append([]string{"deploy", "-dir", dir}, target...), f.run(t), &out, &errb), errb.String())
	assert.Len(t, f.calls, 1)
	assert.Contains(t, out.String(), "nothing to purge")

	// An endpoint host the profile does not have.
	f = &fakeAz{endpoint: ""}
	errb.Reset()
	assert.Equal(t, 1, Command(append([]string{"deploy", "-dir", dir}, target...), f.run(t), &out, &errb))
	assert.Contains(t, errb.String(), "profile afd-saas-dev has no endpoint with host name fde-saas-dev-abc.z01.azurefd.net")

	// A dry run runs nothing.
	f = &fakeAz{}
	out.Reset()
	require.Equal(t, 0, Command(append([]string{"deploy", "-dir", dir, "-dry-run"}, target...), f.run(t), &out, &errb))
	assert.Empty(t, f.calls)
	assert.Contains(t, out.String(), "+ az afd endpoint purge")

	// Flags.
	errb.Reset()
	assert.Equal(t, 3, Command([]string{"deploy", "-dir", dir}, f.run(t), &out, &errb))
	assert.Contains(t, errb.String(), "-account, -resource-group, -profile, -endpoint-host required")
	assert.Equal(t, 3, Command(nil, f.run(t), &out, &errb))
	assert.NotNil(t, FlagSet().Lookup("endpoint-host"))
}
