// Command spa deploys the single-page app's build to the SPA storage account's $web container
// (Entra sign-in, only what changed, cache headers by kind) and purges the changed paths from
// Front Door:
//
//	go run ./cmd/spa deploy -dir dist -account "$SPA_STORAGE_ACCOUNT" -resource-group "$FRONT_DOOR_RESOURCE_GROUP" \
//	  -profile "$FRONT_DOOR_PROFILE" -endpoint-host "$FRONT_DOOR_ENDPOINT_HOST"
//
// The logic lives in package spa; docs/delivery.md describes the flow.
package main

import (
	"os"
	"os/exec"

	"github.com/azure-saas-platform/platform/spa"
)

func main() {
	run := func(name string, args ...string) ([]byte, error) {
		cmd := exec.Command(name, args...)
		cmd.Stderr = os.Stderr
		return cmd.Output()
	}
	os.Exit(spa.Command(os.Args[1:], run, os.Stdout, os.Stderr))
}
