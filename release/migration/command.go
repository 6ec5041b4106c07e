package migration

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	batchclient "k8s.io/client-go/kubernetes/typed/batch/v1"
	coreclient "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/clientcmd"
)

// ExitUsage is the exit code of bad flags (as cmd/rollout's).
const ExitUsage = 3

type options struct {
	Options
	kubeconfig, kubeContext string
}

func newFlagSet(stderr io.Writer) (*flag.FlagSet, *options) {
	o := &options{}
	fs := flag.NewFlagSet("release revert-migration", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Service, "service", "", "the service (release name) (required)")
	fs.StringVar(&o.Namespace, "namespace", "", "the service's namespace (required)")
	fs.StringVar(&o.Image, "image", "", "the image whose rollout failed, REGISTRY/REPO:TAG (required)")
	fs.StringVar(&o.ToTag, "to-tag", "", "the tag being restored (MIGRATION_TO_TAG of the revert)")
	fs.DurationVar(&o.Timeout, "timeout", 15*time.Minute, "how long the revert may take in all")
	fs.StringVar(&o.Diagnostics, "diagnostics", "", "a directory for the Job's and its pods' state and logs")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "the kubeconfig (default $KUBECONFIG, then ~/.kube/config)")
	fs.StringVar(&o.kubeContext, "context", "", "the kubeconfig context (default its current one)")
	return fs, o
}

// FlagSet returns the command's flags, for checks of how pipelines call it.
func FlagSet() *flag.FlagSet {
	fs, _ := newFlagSet(io.Discard)
	return fs
}

// Command is `release revert-migration`: it signs in with the kubeconfig the pipeline has (an
// Entra login through kubelogin's exec plugin) and returns the exit code of the outcome: 0
// reverted or nothing to revert, 1 the revert failed, 2 could not tell, 3 bad flags.
func Command(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, o := newFlagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return ExitUsage
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"service", o.Service}, {"namespace", o.Namespace}, {"image", o.Image}} {
		if f.v == "" {
			missing = append(missing, "-"+f.name)
		}
	}
	if fs.NArg() > 0 || len(missing) > 0 {
		fmt.Fprintf(stderr, "release revert-migration: %v required, no arguments (got %q)\n", missing, fs.Args())
		return ExitUsage
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = o.kubeconfig
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.kubeContext}).ClientConfig()
	if err != nil {
		fmt.Fprintf(stderr, "release revert-migration: kubeconfig: %v\n", err)
		return Unknown.ExitCode()
	}
	core, err := coreclient.NewForConfig(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "release revert-migration: %v\n", err)
		return Unknown.ExitCode()
	}
	batch, err := batchclient.NewForConfig(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "release revert-migration: %v\n", err)
		return Unknown.ExitCode()
	}
	res := Revert(ctx, Clients{Core: core, Batch: batch}, o.Options, stderr)
	fmt.Fprintf(stdout, "revert-migration %s: %s: %s\n", o.Service, res.Outcome, res.Reason)
	return res.Outcome.ExitCode()
}
