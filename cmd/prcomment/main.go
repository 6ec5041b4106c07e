// Command prcomment posts a pipeline's Markdown (the offline plan diff, the previews) as one
// pull-request comment, and updates that same comment on every later push. GitHub and Azure Repos.
//
//	go run ./cmd/prcomment -provider github -pr 12 -marker offline-diff -body diff-dev.md -body diff-prod.md
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/azure-saas-platform/platform/prcomment"
)

func main() {
	hc := &http.Client{Timeout: 60 * time.Second}
	if err := prcomment.Command(context.Background(), os.Args[1:], os.Getenv, hc, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
