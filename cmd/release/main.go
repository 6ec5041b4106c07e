// Command release changes what Flux deploys, in Git, and runs what a failed rollout needs:
//
//	go run ./cmd/release changed -config Pulumi.dev.yaml -format azure-devops
//	go run ./cmd/release deploy -env dev -service user-service -tag 1.4.2
//	go run ./cmd/release rollback -env dev -service user-service -failed 1.4.2
//	go run ./cmd/release mark-failed -env dev -service user-service -tag 1.4.2 -policy quarantine -registry-name ... -registry-id ...
//	go run ./cmd/release revert-migration -service user-service -namespace users -image REGISTRY/user-service:1.4.2
//
// `release` alone lists every subcommand. The logic lives in package release (and
// release/migration); docs/delivery.md describes the flow.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/azure-saas-platform/platform/release"
	"github.com/azure-saas-platform/platform/release/migration"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == "revert-migration" {
		os.Exit(migration.Command(ctx, os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(release.Command(ctx, os.Args[1:], release.SystemEnv()))
}
