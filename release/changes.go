package release

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/azure-saas-platform/platform/config"
)

// Service is one entry of platform:services: a service the platform runs.
type Service struct {
	Name string `yaml:"name" json:"service"`
	// Namespace is the service's namespace (default: the name).
	Namespace string `yaml:"namespace" json:"namespace"`
	// Tag is the image tag a build gives it (ImageTag), when known.
	Tag string `yaml:"-" json:"tag,omitempty"`
}

// Environment is what delivery needs of Pulumi.<env>.yaml.
type Environment struct {
	Name     string
	Services []Service
	// Branch is the branch Flux follows (platform:flux.branch; default main, release in prod).
	Branch string
	// ImageAutomation is platform:flux.imageAutomation (default on, off in prod): Flux commits
	// the newest semver tag of every service by itself.
	ImageAutomation bool
}

// ReadEnvironment reads an environment's settings file (Pulumi.<env>.yaml) through package config,
// exactly as the program reads it (every default, the profile's included; every problem is
// refused; placeholders are tolerated, as in the offline plan: delivery creates no Azure resource).
func ReadEnvironment(file string) (Environment, error) {
	all, err := config.ReadStackFile(file)
	if err != nil {
		return Environment{}, err
	}
	env, _, err := config.Load(all, config.Offline)
	if err != nil {
		return Environment{}, fmt.Errorf("%s: %w", file, err)
	}
	if len(env.Services) == 0 {
		return Environment{}, fmt.Errorf("%s: platform:services lists no service", file)
	}
	e := Environment{Name: env.Environment, Branch: env.Flux.Branch, ImageAutomation: env.Flux.ImageAutomation}
	for _, s := range env.Services {
		e.Services = append(e.Services, Service{Name: s.Name, Namespace: s.Namespace})
	}
	return e, nil
}

// Service returns the configured service of that name.
func (e Environment) Service(name string) (Service, error) {
	var names []string
	for _, s := range e.Services {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Service{}, fmt.Errorf("service %q is not in platform:services of %s (have %s)", name, e.Name, strings.Join(names, ", "))
}

// Layout says where a repository keeps the sources of its services.
type Layout struct {
	// Dir holds one directory per service, named as the service: <Dir>/<service>/ with its
	// Dockerfile. Default "services".
	Dir string
	// Single names the one service of a repository that holds just that service at its root:
	// every change but Ignore's rebuilds it. Dir is not used then.
	Single string
	// Shared are paths (files, or directories ending in /) whose change rebuilds every service:
	// a shared library, the root lock file.
	Shared []string
	// Ignore are paths whose change rebuilds nothing (documentation). Default: *.md files and
	// docs/.
	Ignore []string
}

func under(p, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(p, prefix)
	}
	return p == prefix
}

func ignored(p string, l Layout) bool {
	if len(l.Ignore) == 0 {
		return strings.HasSuffix(p, ".md") || strings.HasPrefix(p, "docs/")
	}
	for _, i := range l.Ignore {
		if under(p, i) {
			return true
		}
	}
	return false
}

// ChangedServices returns the configured services that the changed paths (as git diff
// --name-only prints them) touch, in the order of platform:services. A directory under Dir that
// is not a configured service is an error: a service is built only once the platform knows it
// (its identity, namespace and HelmRelease exist), and a typo should not pass silently.
func ChangedServices(paths []string, e Environment, l Layout) ([]Service, error) {
	if l.Dir == "" {
		l.Dir = "services"
	}
	l.Dir = strings.TrimSuffix(path.Clean(l.Dir), "/") + "/"
	known := map[string]bool{}
	for _, s := range e.Services {
		known[s.Name] = true
	}
	if l.Single != "" && !known[l.Single] {
		_, err := e.Service(l.Single)
		return nil, err
	}
	changed := map[string]bool{}
	var unknown []string
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "" || ignored(p, l) {
			continue
		}
		shared := false
		for _, s := range l.Shared {
			if under(p, s) {
				shared = true
			}
		}
		switch {
		case shared:
			for name := range known {
				changed[name] = true
			}
		case l.Single != "":
			changed[l.Single] = true
		case strings.HasPrefix(p, l.Dir):
			name, _, _ := strings.Cut(strings.TrimPrefix(p, l.Dir), "/")
			if !known[name] {
				unknown = append(unknown, p)
				continue
			}
			changed[name] = true
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("changed paths under %s belong to no service of platform:services in %s: %s (add the service to Pulumi.%s.yaml first, or list a shared directory with -shared)",
			l.Dir, e.Name, strings.Join(unknown, ", "), e.Name)
	}
	var out []Service
	for _, s := range e.Services {
		if changed[s.Name] {
			out = append(out, s)
		}
	}
	return out, nil
}

// AzureDevOpsMatrix is the services as an Azure Pipelines matrix (one leg per service, named
// after it with '_' for '-', since leg names become job names, with the variables service and
// namespace), for strategy.matrix: $[ ... ].
func AzureDevOpsMatrix(services []Service) string {
	m := map[string]Service{}
	for _, s := range services {
		m[strings.ReplaceAll(s.Name, "-", "_")] = s
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// GitHubMatrix is the services as a GitHub Actions matrix, for strategy.matrix: ${{
// fromJSON(...) }}.
func GitHubMatrix(services []Service) string {
	b, _ := json.Marshal(map[string][]Service{"include": append([]Service{}, services...)})
	return string(b)
}

var majorMinor = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)$`)
var buildNumber = regexp.MustCompile(`^[1-9]\d{0,9}$`)

// ImageTag is the tag a build gives a service: the major.minor of its VERSION file and the
// build's number as the patch (1.4 and build 2317 give 1.4.2317). Every build has its own tag,
// always a semantic version above the one before, which is what the ImagePolicies select
// (semver >=1.0.0) and what a rollback goes back to.
func ImageTag(versionFile, build string) (string, error) {
	data, err := os.ReadFile(versionFile)
	if err != nil {
		return "", fmt.Errorf("the service's version: %w (a file holding its major.minor, e.g. 1.4)", err)
	}
	v := strings.TrimSpace(string(data))
	if !majorMinor.MatchString(v) {
		return "", fmt.Errorf("%s holds %q: want major.minor, e.g. 1.4 (the build number is the patch)", versionFile, v)
	}
	if !buildNumber.MatchString(build) {
		return "", fmt.Errorf("build number %q: want a positive integer (Build.BuildId, github.run_number)", build)
	}
	return v + "." + build, nil
}
