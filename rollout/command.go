package rollout

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/dynamic"
	appsv1client "k8s.io/client-go/kubernetes/typed/apps/v1"
	batchv1client "k8s.io/client-go/kubernetes/typed/batch/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/clientcmd"
)

// ExitUsage is the exit code of a usage error (bad or missing flags). Outcome.ExitCode gives the
// others: 0 succeeded, 1 failed, 2 could not tell.
const ExitUsage = 3

// Env is what the command needs from outside: how to reach the cluster, and the clock.
type Env struct {
	// Connect builds the clients from -kubeconfig and -context. Default: Connect.
	Connect func(kubeconfig, context string) (*Clients, error)
	// Clock is the verifier's time. Default: the wall clock.
	Clock Clock
}

// Main is cmd/rollout: it runs Command against the real cluster and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return Command(ctx, args, stdout, stderr, Env{})
}

const usageText = `usage: rollout verify -service NAME -namespace NS -image REGISTRY/REPO:TAG[@sha256:DIGEST] [flags]

Waits until Flux has applied the image to the service's HelmRelease, checks the Deployment, its
new pods and any migration Job, and watches the pods for a soak window.
Exit codes: 0 rollout complete and healthy, 1 rollout failed (the reason names the object),
2 could not tell (API unreachable or refused, timeout, Flux did not apply it), 3 usage error.

flags:
`

// Command runs the rollout command with args (without the program name) and returns its exit
// code. The only subcommand is verify.
func Command(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) int {
	if env.Connect == nil {
		env.Connect = Connect
	}
	if env.Clock == nil {
		env.Clock = RealClock{}
	}
	fs, f := newFlagSet(stderr)
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help") {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		fmt.Fprintln(stderr, "rollout: the first argument must be the subcommand verify")
		fs.Usage()
		return ExitUsage
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rollout verify: unexpected arguments %q\n", fs.Args())
		return ExitUsage
	}
	opts, err := f.options()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	clients, err := env.Connect(f.kubeconfig, f.context)
	if err != nil {
		fmt.Fprintf(stdout, "could not tell: cannot reach the cluster: %v\n", err)
		return Unknown.ExitCode()
	}
	r := Verify(ctx, clients, opts, env.Clock, stdout)
	if r.Outcome != Succeeded && f.diagnostics != "" {
		// Collect even when the pipeline was cancelled: a short context of its own.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		if err := WriteDiagnostics(dctx, clients, opts, r, f.diagnostics); err != nil {
			fmt.Fprintf(stderr, "rollout verify: %v\n", err)
		} else {
			fmt.Fprintf(stdout, "diagnostics written to %s\n", f.diagnostics)
		}
		cancel()
	}
	return r.Outcome.ExitCode()
}

// flags are the verify subcommand's settings.
type flags struct {
	service, namespace, image, helmRelease string
	deployment, container                  string
	kubeconfig, context, diagnostics       string
	timeout, soak, readyTimeout            time.Duration
	interval, apiGrace                     time.Duration
}

// newFlagSet declares the verify subcommand's flags. FlagSet exposes the same set, so checks of
// the pipelines see exactly the flags the command accepts.
func newFlagSet(stderr io.Writer) (*flag.FlagSet, *flags) {
	f := &flags{}
	fs := flag.NewFlagSet("rollout verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	fs.StringVar(&f.service, "service", "", "service name: its HelmRelease, Deployment, container and Helm release (app.kubernetes.io/instance) are named after it (required)")
	fs.StringVar(&f.namespace, "namespace", "", "the service's namespace, the HelmRelease's spec.targetNamespace (required)")
	fs.StringVar(&f.image, "image", "", "the image the rollout must run, exactly as the chart renders it: REGISTRY/REPOSITORY:TAG, optionally @sha256:DIGEST (required)")
	fs.StringVar(&f.helmRelease, "helmrelease", "", "the service's HelmRelease as NAMESPACE/NAME or NAME (default flux-system/<service>)")
	fs.StringVar(&f.deployment, "deployment", "", "the Deployment's name (default <service>)")
	fs.StringVar(&f.container, "container", "", "the Deployment's container that runs the image (default <service>)")
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig file (default $KUBECONFIG, then ~/.kube/config); an exec credential plugin such as kubelogin is run as the file says")
	fs.StringVar(&f.context, "context", "", "kubeconfig context (default the file's current context)")
	fs.DurationVar(&f.timeout, "timeout", DefaultTimeout, "upper bound of the whole verification, soak included; when it ends undecided the exit code is 2")
	fs.DurationVar(&f.soak, "soak", DefaultSoak, "how long the new pods must stay healthy without a restart after the rollout completed (0: none)")
	fs.DurationVar(&f.readyTimeout, "ready-timeout", DefaultReadyTimeout, "a new pod not ready for this long (since its creation or since it lost readiness) fails the rollout")
	fs.DurationVar(&f.interval, "interval", DefaultInterval, "time between two observations of the cluster")
	fs.DurationVar(&f.apiGrace, "api-grace", DefaultAPIGrace, "how long the Kubernetes API may keep failing (network errors, 5xx) before the exit code is 2")
	fs.StringVar(&f.diagnostics, "diagnostics", "", "on failure or when undecided, write diagnostics (events, describe-like summaries, logs, Flux status) to this directory")
	return fs, f
}

// FlagSet returns the verify subcommand's flags, for tools and tests that check how it is called.
func FlagSet() *flag.FlagSet {
	fs, _ := newFlagSet(io.Discard)
	return fs
}

// options checks the flags, reporting every problem at once, and returns the verifier's options.
func (f *flags) options() (Options, error) {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf("rollout verify: "+format, args...)) }
	dnsLabel := func(flagName, v string) {
		if v == "" {
			return
		}
		if msgs := validation.IsDNS1123Label(v); len(msgs) > 0 {
			add("%s %q is not a Kubernetes name: %s", flagName, v, strings.Join(msgs, "; "))
		}
	}
	if f.service == "" {
		add("-service is required (e.g. -service user-service)")
	}
	if f.namespace == "" {
		add("-namespace is required (the service's namespace)")
	}
	dnsLabel("-service", f.service)
	dnsLabel("-namespace", f.namespace)
	dnsLabel("-container", f.container)
	if f.deployment != "" {
		if msgs := validation.IsDNS1123Subdomain(f.deployment); len(msgs) > 0 {
			add("-deployment %q is not a Kubernetes name: %s", f.deployment, strings.Join(msgs, "; "))
		}
	}
	var img Image
	if f.image == "" {
		add("-image is required (e.g. -image myacr.azurecr.io/user-service:1.4.2)")
	} else {
		var err error
		if img, err = ParseImage(f.image); err != nil {
			add("-image: %v", err)
		}
	}
	o := Options{Service: f.service, Namespace: f.namespace, Image: img, Deployment: f.deployment, Container: f.container,
		Timeout: f.timeout, Soak: f.soak, ReadyTimeout: f.readyTimeout, Interval: f.interval, APIGrace: f.apiGrace}
	if f.helmRelease != "" {
		ns, name, ok := strings.Cut(f.helmRelease, "/")
		if !ok {
			ns, name = DefaultHelmReleaseNamespace, f.helmRelease
		}
		if len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 || strings.Contains(name, "/") {
			add("-helmrelease %q: want NAMESPACE/NAME or NAME (Kubernetes names)", f.helmRelease)
		}
		o.HelmReleaseNamespace, o.HelmReleaseName = ns, name
	}
	if f.timeout <= 0 {
		add("-timeout %s: must be positive", f.timeout)
	}
	if f.soak < 0 {
		add("-soak %s: must not be negative", f.soak)
	} else if f.timeout > 0 && f.soak >= f.timeout {
		add("-soak %s must be shorter than -timeout %s, which includes it", f.soak, f.timeout)
	}
	if f.readyTimeout <= 0 {
		add("-ready-timeout %s: must be positive", f.readyTimeout)
	}
	if f.interval <= 0 {
		add("-interval %s: must be positive", f.interval)
	}
	if f.apiGrace <= 0 {
		add("-api-grace %s: must be positive", f.apiGrace)
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return Options{}, errors.New(strings.Join(errs, "\n"))
	}
	return o, nil
}

// Connect builds the clients from a kubeconfig (kubeconfig "" follows the usual rules: $KUBECONFIG,
// then ~/.kube/config) and a context ("" for the current one). The pipelines' kubeconfig is
// Entra-authenticated through kubelogin's exec credential plugin, which client-go runs by itself.
func Connect(kubeconfig, context string) (*Clients, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if kubeconfig != "" {
		rules.ExplicitPath = kubeconfig
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: context}).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	// One request never hangs longer than this; the verifier retries within -api-grace.
	cfg.Timeout = 30 * time.Second
	cfg.UserAgent = "platform-rollout-verify"
	cfg.QPS, cfg.Burst = 20, 40
	core, err := corev1client.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	apps, err := appsv1client.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	batch, err := batchv1client.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Clients{Core: core, Apps: apps, Batch: batch, Dynamic: dyn}, nil
}
