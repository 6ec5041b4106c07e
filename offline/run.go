package offline

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/azure-saas-platform/platform/config"
)

// Program is the platform program as the offline engine drives it: it runs one stack and returns
// what it exported. layers.Run is the real one; tests may pass others.
type Program func(ctx *pulumi.Context) (map[string]pulumi.Output, error)

// Modes of a plan.
const (
	Layered = "layered" // one stack per layer, chained through StackReferences
	Single  = "single"  // the root project runs every layer in one stack
)

// Organization is the organization the offline stacks belong to: what the self-managed backends
// report.
const Organization = "organization"

// StackSpec describes one stack to run.
type StackSpec struct {
	Layer   string // the layer it runs, or "" for all (single-stack)
	Project string // the Pulumi project name, e.g. platform-base
	Stack   string // the stack name, e.g. dev
}

// FullName is organization/project/stack.
func (s StackSpec) FullName() string {
	return fmt.Sprintf("%s/%s/%s", Organization, s.Project, s.Stack)
}

// RunStack runs one stack of the program under mocks. cfg is the full namespaced config (as the
// engine would hand it over); the run is marked as the offline engine's and handed cfg through
// config.OfflineContext, so the program reads it as config.Offline. upstream holds the outputs of
// already-run stacks by full name, for StackReferences. It is safe to call concurrently: nothing
// global is touched.
func RunStack(spec StackSpec, cfg map[string]string, upstream map[string]resource.PropertyMap, program Program) (*Stack, error) {
	m := &mocks{stack: spec.FullName(), upstream: upstream}
	ctx, err := pulumi.NewContext(config.OfflineContext(context.Background(), cfg), pulumi.RunInfo{
		Project:      spec.Project,
		Stack:        spec.Stack,
		Organization: Organization,
		Config:       cfg,
		Parallel:     8,
		Mocks:        m,
	})
	if err != nil {
		return nil, err
	}
	defer ctx.Close()

	outputs := resource.PropertyMap{}
	err = pulumi.RunWithContext(ctx, func(ctx *pulumi.Context) error {
		exports, err := program(ctx)
		if err != nil {
			return err
		}
		for _, k := range sortedKeys(exports) {
			res, err := internals.UnsafeAwaitOutput(ctx.Context(), exports[k])
			if err != nil {
				return fmt.Errorf("output %s: %w", k, err)
			}
			v, err := toProperty(res.Value)
			if err != nil {
				return fmt.Errorf("output %s: %w", k, err)
			}
			if res.Secret {
				v = resource.MakeSecret(v)
			}
			outputs[resource.PropertyKey(k)] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s := &Stack{Layer: spec.Layer, Name: spec.FullName(), Project: spec.Project, Outputs: outputs}
	m.mu.Lock()
	s.Resources = append(s.Resources, m.resources...)
	s.Calls = append(s.Calls, m.calls...)
	m.mu.Unlock()
	s.index()
	return s, nil
}

// toProperty converts an awaited Go value (string, []string, map[string]string, ...) into a
// property value by way of JSON, which every output type of a contract survives.
func toProperty(v any) (resource.PropertyValue, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return resource.PropertyValue{}, err
	}
	var plain any
	if err := json.Unmarshal(b, &plain); err != nil {
		return resource.PropertyValue{}, err
	}
	return resource.NewPropertyValue(plain), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Options select what a plan runs.
type Options struct {
	// Environment is the stack name every layer project uses, e.g. dev.
	Environment string
	// Mode is Layered (default) or Single.
	Mode string
	// Config is the full namespaced configuration (see config.ReadStackFile).
	Config map[string]string
	// RootProject is the root project's name. Default "platform".
	RootProject string
	// Layers are the layers, in deployment order. Required in layered mode.
	Layers []string
	// UpTo stops a layered plan after this layer. Default: run every layer.
	UpTo string
}

// Run runs a whole plan: in layered mode each layer's stack in order, each one's StackReferences
// resolved from the stacks before it; in single mode one stack of the root project.
func Run(opts Options, program Program) (*Plan, error) {
	if opts.Mode == "" {
		opts.Mode = Layered
	}
	if opts.RootProject == "" {
		opts.RootProject = "platform"
	}
	plan := &Plan{Environment: opts.Environment, Mode: opts.Mode, Warnings: []string{}}
	switch opts.Mode {
	case Single:
		s, err := RunStack(StackSpec{Project: opts.RootProject, Stack: opts.Environment}, opts.Config, nil, program)
		if err != nil {
			return nil, err
		}
		plan.Stacks = []*Stack{s}
	case Layered:
		upstream := map[string]resource.PropertyMap{}
		for _, layer := range opts.Layers {
			spec := StackSpec{Layer: layer, Project: opts.RootProject + "-" + layer, Stack: opts.Environment}
			s, err := RunStack(spec, opts.Config, upstream, program)
			if err != nil {
				return nil, fmt.Errorf("stack %s: %w", spec.FullName(), err)
			}
			upstream[spec.FullName()] = s.Outputs
			plan.Stacks = append(plan.Stacks, s)
			if layer == opts.UpTo {
				break
			}
		}
	default:
		return nil, fmt.Errorf("unknown mode %q (want %s or %s)", opts.Mode, Layered, Single)
	}
	return plan, nil
}

// FromFile reads a stack settings file (Pulumi.<env>.yaml), loads it as the program will — every
// problem at once, before anything runs — and runs the plan with it. The plan's Warnings list what
// a real preview or up would refuse (placeholders) and what is allowed but unsafe.
func FromFile(path string, opts Options, program Program) (*Plan, error) {
	all, err := config.ReadStackFile(path)
	if err != nil {
		return nil, err
	}
	_, warnings, err := config.Load(all, config.Offline)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	opts.Config = all
	plan, err := Run(opts, program)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		plan.Warnings = append(plan.Warnings, w.Error())
	}
	return plan, nil
}
