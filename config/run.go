package config

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Purpose is what a run of the program is for. It decides one thing: whether a placeholder in the
// settings (a sample GUID, organization, domain or documentation IP range) stops the run.
type Purpose int

const (
	// Deploy is a run under the Pulumi engine (pulumi preview, pulumi up): placeholders are
	// refused, each named with what to replace it with, before any resource is registered.
	Deploy Purpose = iota + 1
	// Offline is a run under the offline engine (package offline: the plan command and the
	// tests), which creates nothing: placeholders are returned as warnings, so the shipped sample
	// settings keep planning.
	Offline
)

func (p Purpose) String() string {
	switch p {
	case Deploy:
		return "deploy"
	case Offline:
		return "offline"
	}
	return fmt.Sprintf("Purpose(%d)", int(p))
}

// Load reads a stack's configuration: all is its whole configuration as the engine hands it to
// the program (namespaced keys of every namespace; strings as they are, everything else
// JSON-encoded), of which the platform namespace is read. Everything is checked strictly (Parse);
// placeholders are errors for Deploy and warnings for Offline. The warnings also hold what is
// allowed but unsafe (an API server range open to much of the internet in a dev profile). The
// error, a Problems, lists every problem at once.
func Load(all map[string]string, purpose Purpose) (*Env, Problems, error) {
	if purpose != Deploy && purpose != Offline {
		return nil, nil, fmt.Errorf("config: unknown purpose %v", purpose)
	}
	raw := Namespaced(all)
	env, problems := parse(raw)
	warnings := env.warnings()
	found := placeholders(raw)
	if purpose == Deploy {
		problems = append(problems, found...)
	} else {
		warnings = append(warnings, found...)
	}
	if len(problems) > 0 {
		return nil, warnings, problems
	}
	return env, warnings, nil
}

// FromRun reads the configuration of the running stack; it is the only place the program reads
// configuration. Which engine runs the program is stated by the one that starts the run, never
// guessed: the offline engine starts every run with OfflineContext, which hands over the stack's
// configuration and makes the run Offline; any other run is the Pulumi engine's, which hands the
// program its whole configuration in the PULUMI_CONFIG environment variable, and is a Deploy. A
// mock run without OfflineContext, or OfflineContext under a real engine, is refused.
func FromRun(ctx *pulumi.Context) (*Env, Problems, error) {
	if o, ok := ctx.Value(offlineKey{}).(offlineRun); ok {
		if !ctx.RunningWithMocks() {
			return nil, nil, fmt.Errorf("config: an offline configuration reached a run under the Pulumi engine")
		}
		return Load(o.all, Offline)
	}
	if ctx.RunningWithMocks() {
		return nil, nil, fmt.Errorf("config: a run under mocks needs its configuration from the offline engine (offline.RunStack, or config.OfflineContext)")
	}
	all, err := engineConfig()
	if err != nil {
		return nil, nil, err
	}
	// The engine decrypts secret values into PULUMI_CONFIG; the shared settings files hold none.
	var secrets Problems
	for _, k := range sortedKeys(Namespaced(all)) {
		if ctx.IsConfigSecret(Namespace + ":" + k) {
			secrets = append(secrets, Problem{Key: k, Allowed: "is a secret; the settings file is shared by four layer projects and must hold no secrets (the platform needs none)"})
		}
	}
	env, warnings, err := Load(all, Deploy)
	if len(secrets) > 0 {
		problems, _ := err.(Problems)
		return nil, warnings, append(secrets, problems...)
	}
	return env, warnings, err
}

// engineConfig reads the configuration the Pulumi engine hands the program: a JSON object of
// namespaced keys to strings in PULUMI_CONFIG (what the Go SDK reads into RunInfo.Config, ignoring
// errors; here a malformed value is an error). A stack without settings has none.
func engineConfig() (map[string]string, error) {
	all := map[string]string{}
	if s := os.Getenv(pulumi.EnvConfig); s != "" {
		if err := json.Unmarshal([]byte(s), &all); err != nil {
			return nil, fmt.Errorf("config: %s is not a JSON object of strings: %w", pulumi.EnvConfig, err)
		}
	}
	return all, nil
}

type offlineKey struct{}

type offlineRun struct{ all map[string]string }

// OfflineContext marks a run as the offline engine's and hands it the stack's whole
// configuration (the map its RunInfo.Config holds): FromRun then reads that map, for Offline.
// Package offline starts every run with it.
func OfflineContext(parent context.Context, all map[string]string) context.Context {
	return context.WithValue(parent, offlineKey{}, offlineRun{all: all})
}
