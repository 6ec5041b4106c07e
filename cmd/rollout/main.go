// Command rollout verifies a service's rollout through Flux and says exactly why it failed. The
// command itself is rollout.Command, where its tests can reach it; docs/delivery.md describes
// the checks, the exit codes and the diagnostics.
//
//	go run ./cmd/rollout verify -service user-service -namespace user-service \
//	    -image myacr.azurecr.io/user-service:1.4.2 -diagnostics out/rollout
//
// Exit codes: 0 the rollout is complete and healthy, 1 it failed, 2 could not tell (API
// unreachable, timeout, Flux did not apply it), 3 usage error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/azure-saas-platform/platform/rollout"
)

func main() {
	// A cancelled pipeline job sends SIGTERM (SIGINT locally): end with "could not tell" and the
	// diagnostics rather than silently.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := rollout.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
