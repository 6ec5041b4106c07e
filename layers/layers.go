// Package layers runs the platform's layers for the current stack: it reads the environment's
// configuration once, decides from the project name which layer (or all of them) this stack
// runs, hands each layer its upstream contract (read through a StackReference, or passed directly
// in single-stack mode) and exports the layer's contract.
package layers

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/contract"
	"github.com/azure-saas-platform/platform/layers/aks"
	"github.com/azure-saas-platform/platform/layers/base"
	"github.com/azure-saas-platform/platform/layers/flux"
	"github.com/azure-saas-platform/platform/layers/identity"
)

// Layer names, which are also the suffixes of the layer projects (platform-base, ...).
const (
	Base     = "base"
	Identity = "identity"
	AKS      = "aks"
	Flux     = "flux"
)

// Order is the deployment order of the layers.
var Order = []string{Base, Identity, AKS, Flux}

// Select tells from a project name which layer its stacks run: "<root>-<layer>" runs that layer;
// any other name is the root project, which runs every layer in one stack (layer "").
func Select(project string) (root, layer string) {
	for _, l := range Order {
		if r, ok := strings.CutSuffix(project, "-"+l); ok && r != "" {
			return r, l
		}
	}
	return project, ""
}

// Run is the platform program: it reads the configuration (config.FromRun: under the Pulumi
// engine strictly and refusing placeholders, before any resource is registered), logs its
// warnings, runs the current stack's layer(s) and returns what it exported.
func Run(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
	env, warnings, err := config.FromRun(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		if err := ctx.Log.Warn(w.Error(), nil); err != nil {
			return nil, err
		}
	}
	root, layer := Select(ctx.Project())
	r := runner{ctx: ctx, env: env, root: root}
	if layer == "" {
		return r.single()
	}
	return r.layered(layer)
}

type runner struct {
	ctx  *pulumi.Context
	env  *config.Env
	root string
}

// single runs all four layers in one stack, handing each layer its upstream outputs directly.
func (r runner) single() (map[string]pulumi.Output, error) {
	b, err := base.New(r.ctx, r.env)
	if err != nil {
		return nil, err
	}
	i, err := identity.New(r.ctx, r.env, b)
	if err != nil {
		return nil, err
	}
	a, err := aks.New(r.ctx, r.env, b, i)
	if err != nil {
		return nil, err
	}
	f, err := flux.New(r.ctx, r.env, b, i, a)
	if err != nil {
		return nil, err
	}
	all := map[string]pulumi.Output{}
	for _, c := range []struct {
		layer string
		out   any
	}{{Base, b}, {Identity, i}, {AKS, a}, {Flux, f}} {
		exported, err := contract.Export(r.ctx, c.layer+".", c.out)
		if err != nil {
			return nil, err
		}
		for k, v := range exported {
			all[k] = v
		}
	}
	return all, nil
}

// layered runs one layer, reading its upstream layers through StackReferences.
func (r runner) layered(layer string) (map[string]pulumi.Output, error) {
	var out any
	var err error
	switch layer {
	case Base:
		out, err = base.New(r.ctx, r.env)
	case Identity:
		var b base.Outputs
		if err := r.read(Base, &b); err != nil {
			return nil, err
		}
		out, err = identity.New(r.ctx, r.env, &b)
	case AKS:
		var b base.Outputs
		var i identity.Outputs
		if err := r.read(Base, &b); err != nil {
			return nil, err
		}
		if err := r.read(Identity, &i); err != nil {
			return nil, err
		}
		out, err = aks.New(r.ctx, r.env, &b, &i)
	case Flux:
		var b base.Outputs
		var i identity.Outputs
		var a aks.Outputs
		if err := r.read(Base, &b); err != nil {
			return nil, err
		}
		if err := r.read(Identity, &i); err != nil {
			return nil, err
		}
		if err := r.read(AKS, &a); err != nil {
			return nil, err
		}
		out, err = flux.New(r.ctx, r.env, &b, &i, &a)
	default:
		return nil, fmt.Errorf("unknown layer %q", layer)
	}
	if err != nil {
		return nil, err
	}
	return contract.Export(r.ctx, "", out)
}

// read fills target from the upstream layer's stack.
func (r runner) read(layer string, target any) error {
	org := r.env.Organization
	if org == "" {
		org = r.ctx.Organization()
	}
	name := contract.StackName(r.env.StackReferences, org, r.root, layer, r.ctx.Stack())
	ref, err := pulumi.NewStackReference(r.ctx, layer, &pulumi.StackReferenceArgs{Name: pulumi.String(name)})
	if err != nil {
		return err
	}
	return contract.Read(ref, name, target)
}
