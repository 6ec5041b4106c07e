package spa

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Runner runs a program (az) and returns its standard output.
type Runner func(name string, args ...string) ([]byte, error)

type options struct {
	dir string
	t   Target
	dry bool
}

func newFlagSet(stderr io.Writer) (*flag.FlagSet, *options) {
	o := &options{}
	fs := flag.NewFlagSet("spa deploy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dir, "dir", "dist", "the build directory (Vite's outDir)")
	fs.StringVar(&o.t.Account, "account", "", "the SPA storage account (SPA_STORAGE_ACCOUNT of cmd/release outputs) (required)")
	fs.StringVar(&o.t.ResourceGroup, "resource-group", "", "the Front Door profile's resource group (FRONT_DOOR_RESOURCE_GROUP) (required)")
	fs.StringVar(&o.t.Profile, "profile", "", "the Front Door profile (FRONT_DOOR_PROFILE) (required)")
	fs.StringVar(&o.t.EndpointHost, "endpoint-host", "", "the Front Door endpoint's host name (FRONT_DOOR_ENDPOINT_HOST) (required)")
	fs.BoolVar(&o.dry, "dry-run", false, "print the plan and the commands against an empty $web, run nothing")
	return fs, o
}

// FlagSet returns the flags of `spa deploy`, for checks of how pipelines call it.
func FlagSet() *flag.FlagSet {
	fs, _ := newFlagSet(io.Discard)
	return fs
}

// Command is cmd/spa: `spa deploy [flags]`. It returns the exit code: 0 deployed, 1 failed, 3 bad
// flags.
func Command(args []string, run Runner, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "deploy" {
		fmt.Fprintln(stderr, "usage: spa deploy -dir dist -account ACCOUNT -resource-group GROUP -profile PROFILE -endpoint-host HOST")
		return 3
	}
	fs, o := newFlagSet(stderr)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 3
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"account", o.t.Account}, {"resource-group", o.t.ResourceGroup}, {"profile", o.t.Profile}, {"endpoint-host", o.t.EndpointHost}} {
		if f.v == "" {
			missing = append(missing, "-"+f.name)
		}
	}
	if len(missing) > 0 || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "spa deploy: %s required, no arguments (got %q)\n", strings.Join(missing, ", "), fs.Args())
		return 3
	}
	if err := deploy(o, run, stdout); err != nil {
		fmt.Fprintf(stderr, "spa deploy: %v\n", err)
		return 1
	}
	return 0
}

func deploy(o *options, run Runner, stdout io.Writer) error {
	build, err := ReadBuild(o.dir)
	if err != nil {
		return err
	}
	exec := func(cmd []string) ([]byte, error) {
		fmt.Fprintln(stdout, "+ "+strings.Join(cmd, " "))
		if o.dry {
			return nil, nil
		}
		out, err := run(cmd[0], cmd[1:]...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w\n%s", strings.Join(cmd[:4], " "), err, out)
		}
		return out, nil
	}
	remote := map[string]string{}
	if !o.dry {
		out, err := exec(o.t.ListCommand())
		if err != nil {
			return err
		}
		if remote, err = ReadBlobs(out); err != nil {
			return err
		}
	}
	p := MakePlan(build, remote)
	fmt.Fprintf(stdout, "%d files: %d hashed and %d other to upload, %d unchanged; purge %v\n",
		len(build), len(p.Immutable), len(p.Revalidate), p.Unchanged, p.Purge)

	// Hashed assets first: a page never references an asset that is not there yet.
	for _, step := range []struct {
		files []string
		cache string
	}{{p.Immutable, Immutable}, {p.Revalidate, Revalidate}} {
		if len(step.files) == 0 {
			continue
		}
		stage, err := os.MkdirTemp("", "spa-stage-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(stage)
		if err := Stage(o.dir, stage, step.files); err != nil {
			return err
		}
		if _, err := exec(o.t.UploadCommand(stage, step.cache)); err != nil {
			return err
		}
	}
	if len(p.Purge) == 0 {
		fmt.Fprintln(stdout, "nothing to purge")
		return nil
	}
	out, err := exec(o.t.EndpointCommand())
	if err != nil {
		return err
	}
	endpoint := strings.TrimSpace(string(out))
	if o.dry {
		endpoint = "<endpoint of " + o.t.EndpointHost + ">"
	}
	if endpoint == "" || endpoint == "None" {
		return fmt.Errorf("profile %s has no endpoint with host name %s", o.t.Profile, o.t.EndpointHost)
	}
	_, err = exec(o.t.PurgeCommand(endpoint, p.Purge))
	return err
}
