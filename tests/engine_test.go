package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/azure-saas-platform/platform/config"
	"github.com/azure-saas-platform/platform/layers"
)

// fakeEngine is the Pulumi engine as the program sees it over gRPC: a resource monitor and an
// engine (log) server. It registers the root Stack and refuses every other registration, so a
// run stops at the first resource the program registers; it records what was registered and
// logged.
type fakeEngine struct {
	pulumirpc.UnimplementedResourceMonitorServer
	pulumirpc.UnimplementedEngineServer

	mu         sync.Mutex
	registered []string // type::name, in arrival order
	logs       []*pulumirpc.LogRequest
}

func (f *fakeEngine) SupportsFeature(context.Context, *pulumirpc.SupportsFeatureRequest) (*pulumirpc.SupportsFeatureResponse, error) {
	return &pulumirpc.SupportsFeatureResponse{HasSupport: false}, nil
}

func (f *fakeEngine) RegisterResource(_ context.Context, req *pulumirpc.RegisterResourceRequest) (*pulumirpc.RegisterResourceResponse, error) {
	f.mu.Lock()
	f.registered = append(f.registered, req.GetType()+"::"+req.GetName())
	f.mu.Unlock()
	if req.GetType() != "pulumi:pulumi:Stack" {
		return nil, fmt.Errorf("fake engine: stops at %s", req.GetType())
	}
	obj, _ := structpb.NewStruct(nil)
	return &pulumirpc.RegisterResourceResponse{Urn: "urn:pulumi:dev::platform::pulumi:pulumi:Stack::" + req.GetName(), Object: obj}, nil
}

func (f *fakeEngine) RegisterResourceOutputs(context.Context, *pulumirpc.RegisterResourceOutputsRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (f *fakeEngine) Log(_ context.Context, req *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	f.mu.Lock()
	f.logs = append(f.logs, req)
	f.mu.Unlock()
	return &emptypb.Empty{}, nil
}

// runUnderEngine runs the platform program as `pulumi preview` of the root project's stack dev
// would: through pulumi.RunErr (what main.go's pulumi.Run calls), with the environment the Go
// language host sets (project, stack, monitor and engine addresses, PULUMI_CONFIG) and no mocks.
func runUnderEngine(t *testing.T, all map[string]string) (*fakeEngine, error) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer()
	f := &fakeEngine{}
	pulumirpc.RegisterResourceMonitorServer(srv, f)
	pulumirpc.RegisterEngineServer(srv, f)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	cfg, err := json.Marshal(all)
	require.NoError(t, err)
	for k, v := range map[string]string{
		pulumi.EnvProject: "platform", pulumi.EnvStack: "dev", pulumi.EnvOrganization: "organization",
		pulumi.EnvMonitor: lis.Addr().String(), pulumi.EnvEngine: lis.Addr().String(),
		pulumi.EnvDryRun: "true", pulumi.EnvConfig: string(cfg), pulumi.EnvConfigSecretKeys: "[]",
	} {
		t.Setenv(k, v)
	}
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := layers.Run(ctx)
		return err
	})
	return f, err
}

// TestRealEngineRefusesPlaceholders: under the Pulumi engine the program reads its whole
// configuration from PULUMI_CONFIG and refuses the shipped placeholders, each key named with what
// to replace it with, before registering anything but the root stack.
func TestRealEngineRefusesPlaceholders(t *testing.T) {
	f, err := runUnderEngine(t, Config(t, "dev", nil))
	ErrorMentions(t, err,
		`platform:pipeline.azureDevOps.issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0": is a placeholder (the all-zero GUID 00000000-0000-0000-0000-000000000000): replace it with the Issuer your workload-identity service connection shows`,
		"platform:pipeline.azureDevOps.organization",
		"platform:pipeline.azureDevOps.subject", "platform:aks.authorizedIpRanges[0]", "platform:flux.repositoryUrl",
		"platform:externalId.mobileRedirectUris[0]")
	assert.Equal(t, []string{"pulumi:pulumi:Stack::platform-dev"}, f.registered, "nothing but the stack is registered")
}

// TestRealEngineRefusesUnknownKeys: a typo anywhere in the platform namespace stops a real run
// with the offline plan's message, instead of silently dropping the setting.
func TestRealEngineRefusesUnknownKeys(t *testing.T) {
	f, err := runUnderEngine(t, deployableDev(t, map[string]string{
		"tag":     `{"owner":"platform-team"}`,
		"network": `{"addressSpace":"10.40.0.0/16","natIdleTimeout":4}`,
	}))
	ErrorMentions(t, err, `platform:tag = "{\"owner\":\"platform-team\"}": is not a platform setting`, "platform:network.natIdleTimeout = 4: is not a known setting")
	assert.Equal(t, []string{"pulumi:pulumi:Stack::platform-dev"}, f.registered, "nothing but the stack is registered")
}

// TestRealEngineRunsCleanSettings: with the placeholders replaced the configuration passes and the
// program goes on to register its first layer (where the fake engine stops it); the warning of a
// dev range open to the internet reaches the engine's log.
func TestRealEngineRunsCleanSettings(t *testing.T) {
	f, err := runUnderEngine(t, deployableDev(t, map[string]string{
		"aks": `{"kubernetesVersion":"1.36","authorizedIpRanges":["0.0.0.0/0"]}`,
	}))
	require.Error(t, err, "the fake engine stops the run at the first resource")
	assert.NotContains(t, err.Error(), "configuration problem", "the settings are clean")
	require.GreaterOrEqual(t, len(f.registered), 2)
	assert.Equal(t, "platform:layer:Base::base", f.registered[1], "the first resource after the stack")
	var warned bool
	for _, l := range f.logs {
		if l.GetSeverity() == pulumirpc.LogSeverity_WARNING {
			warned = warned || assert.Contains(t, l.GetMessage(), `platform:aks.authorizedIpRanges[0] = "0.0.0.0/0": opens the API server to 4294967296 public addresses`)
		}
	}
	assert.True(t, warned, "the warning reached the engine's log: %v", f.logs)
}

// deployableDev is the shipped dev settings with every placeholder replaced by a real-looking
// value, and overrides on top.
func deployableDev(t *testing.T, overrides map[string]string) map[string]string {
	t.Helper()
	base := map[string]string{
		"pipeline":   `{"azureDevOps":{"issuer":"https://vstoken.dev.azure.com/5f0e8a12-3b4c-4d5e-8f70-9a1b2c3d4e5f","subject":"sc://acme/platform/platform-dev"}}`,
		"externalId": `{"mode":"create","domainName":"acmecustomersdev","mobileRedirectUris":["com.acme.saas://callback"]}`,
		"aks":        `{"kubernetesVersion":"1.36","authorizedIpRanges":["20.31.0.0/24"]}`,
		"flux":       `{"repositoryUrl":"https://dev.azure.com/acme/platform/_git/platform","branch":"main"}`,
	}
	for k, v := range overrides {
		base[k] = v
	}
	all := Config(t, "dev", base)
	_, _, err := config.Load(all, config.Deploy)
	if _, typo := overrides["tag"]; !typo {
		require.NoError(t, err, "deployableDev is deployable")
	}
	return all
}
