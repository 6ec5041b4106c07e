package tests

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/offline"
)

// BenchmarkPlanBothEnvironments is the offline plan of dev and prod, all four layers, layered
// mode: what `go run ./cmd/plan` does twice, minus printing.
func BenchmarkPlanBothEnvironments(b *testing.B) {
	cfgs := map[string]map[string]string{"dev": Config(b, "dev", nil), "prod": Config(b, "prod", nil)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, env := range []string{"dev", "prod"} {
			_, err := TryPlan(env, offline.Layered, cfgs[env])
			require.NoError(b, err, env)
		}
	}
}

// servicesConfig returns the dev settings with n microservices.
func servicesConfig(b testing.TB, n int) map[string]string {
	var services []map[string]any
	for i := 0; i < n; i++ {
		s := map[string]any{"name": fmt.Sprintf("service-%02d", i), "dataLake": "read"}
		if i%3 == 0 {
			s["documentIntelligence"] = true
		}
		services = append(services, s)
	}
	return Config(b, "dev", map[string]string{"services": JSON(services)})
}

// BenchmarkPlanServices measures how the dev plan (all layers) grows with the number of
// microservices: compare services=3 with services=30.
func BenchmarkPlanServices(b *testing.B) {
	for _, n := range []int{3, 30} {
		cfg := servicesConfig(b, n)
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, err := TryPlan("dev", offline.Layered, cfg)
				require.NoError(b, err, "dev with %d services", n)

			}
		})
	}
}
