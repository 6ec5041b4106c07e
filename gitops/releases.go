package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ServicesDir is the directory of an environment's service HelmReleases, relative to the
// repository root: one file <service>.yaml per service, listed in its kustomization.yaml.
func ServicesDir(env string) string {
	return filepath.Join(Dir, "clusters", env, Services)
}

// ServiceRelease is one service's HelmRelease as the tree holds it (before post-build
// substitution).
type ServiceRelease struct {
	// File is the file's path, as given to ServiceReleases joined with ServicesDir.
	File string
	// Object is the whole HelmRelease.
	Object map[string]any
	// Name is metadata.name: the service.
	Name string
	// Values are spec.values, the release's own values (everything but platform:).
	Values map[string]any
}

// ServiceReleases reads the HelmRelease of every service of an environment from
// <root>/gitops/clusters/<env>/services/*.yaml (every YAML file there but kustomization.yaml),
// sorted by name. Each file holds exactly one HelmRelease, helm.toolkit.fluxcd.io/v2, named as the
// file; anything else is an error naming the file.
func ServiceReleases(root, env string) ([]ServiceRelease, error) {
	dir := filepath.Join(root, ServicesDir(env))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []ServiceRelease
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".yaml") || name == "kustomization.yaml" {
			continue
		}
		r, err := readRelease(filepath.Join(dir, name))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, errors.Join(errs...)
}

func readRelease(file string) (ServiceRelease, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return ServiceRelease{}, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ServiceRelease{}, fmt.Errorf("%s: %w", file, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) != 1 {
		return ServiceRelease{}, fmt.Errorf("%s: want exactly one HelmRelease, found %d documents", file, len(docs))
	}
	o := docs[0]
	want := strings.TrimSuffix(filepath.Base(file), ".yaml")
	meta, _ := o["metadata"].(map[string]any)
	name, _ := meta["name"].(string)
	if o["kind"] != "HelmRelease" || o["apiVersion"] != "helm.toolkit.fluxcd.io/v2" {
		return ServiceRelease{}, fmt.Errorf("%s: want a helm.toolkit.fluxcd.io/v2 HelmRelease, found %v %v", file, o["apiVersion"], o["kind"])
	}
	if name != want {
		return ServiceRelease{}, fmt.Errorf("%s: the HelmRelease is named %q: name it after its file, %q", file, name, want)
	}
	spec, _ := o["spec"].(map[string]any)
	values, _ := spec["values"].(map[string]any)
	if values == nil {
		values = map[string]any{}
	}
	return ServiceRelease{File: file, Object: o, Name: name, Values: values}, nil
}
