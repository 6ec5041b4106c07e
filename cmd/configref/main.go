// Command configref prints the configuration reference table of the README, generated from the
// doc comments in config/config.go; with -w it rewrites the table in README.md in place.
// config's tests fail when the README's table is stale.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/azure-saas-platform/platform/config"
)

func main() {
	write := flag.Bool("w", false, "rewrite the table between the markers in README.md")
	flag.Parse()
	ref, err := config.Reference()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !*write {
		fmt.Print(ref)
		return
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := config.ReplaceReference(string(readme), ref)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("README.md", []byte(out), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
