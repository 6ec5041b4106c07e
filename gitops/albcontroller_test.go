package gitops

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// albMinKubernetesMinor is the minimum Kubernetes minor version of each ALB controller chart
// version the tree may pin (Microsoft's "Release notes for ALB Controller": 1.12.1, Gateway API
// v1.5.1, minimum Kubernetes v1.32).
var albMinKubernetesMinor = map[string]int{"1.12.1": 32}

// TestALBControllerSupportsTheClusterVersion: the pinned ALB controller supports the Kubernetes
// version each environment's cluster is configured with (platform:aks.kubernetesVersion in
// Pulumi.<env>.yaml).
func TestALBControllerSupportsTheClusterVersion(t *testing.T) {
	for _, env := range envs {
		_, version := chartOf(helmRelease(t, built(t, env), "alb-controller"))
		minMinor, ok := albMinKubernetesMinor[version]
		require.True(t, ok, "ALB controller %s: add its minimum Kubernetes version from Microsoft's release notes", version)
		raw, err := os.ReadFile("../Pulumi." + env + ".yaml")
		require.NoError(t, err)
		var file struct {
			Config struct {
				AKS struct {
					KubernetesVersion string `yaml:"kubernetesVersion"`
				} `yaml:"platform:aks"`
			} `yaml:"config"`
		}
		require.NoError(t, yaml.Unmarshal(raw, &file))
		k := file.Config.AKS.KubernetesVersion
		major, rest, _ := strings.Cut(k, ".")
		minorText, _, _ := strings.Cut(rest, ".")
		minor, err := strconv.Atoi(minorText)
		require.NoError(t, err, "%s: platform:aks.kubernetesVersion %q", env, k)
		assert.True(t, major == "1" && minor >= minMinor, "%s: Kubernetes %s is older than ALB controller %s supports (1.%d)", env, k, version, minMinor)
	}
}
