// Package offline runs the platform program against the Pulumi mock monitor, with no cloud, no
// credentials and no pulumi CLI. It synthesises resource outputs the way Azure shapes them (ARM
// IDs, principal and client IDs, FQDNs, the OIDC issuer) so downstream wiring shows real-looking
// values, records every registration exactly as it reaches the engine, chains the layer stacks
// through their StackReferences, and renders the result as a plan. The plan command and the tests
// both use it.
package offline

import (
	"encoding/base64"
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Identity of the fake Azure world every offline run lives in. Derived GUIDs are stable.
var (
	SubscriptionID = guid("offline", "subscription")
	TenantID       = guid("offline", "tenant")
	DeployerID     = guid("offline", "deployer")
)

// mocks implements pulumi.MockResourceMonitor for one stack.
type mocks struct {
	stack string // full name, org/project/stack
	// upstream maps a stack's full name to its exported outputs (secrets wrapped).
	upstream map[string]resource.PropertyMap

	mu        sync.Mutex
	resources []*Resource
	calls     []Call
}

var _ pulumi.MockResourceMonitor = (*mocks)(nil)

// NewResource records a registration (or a read) and returns the synthesised ID and outputs.
func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &Resource{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Protect = rpc.GetProtect()
		r.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		r.DependsOn = sortedUnique(rpc.GetDependencies())
		r.Provider = rpc.GetProvider()
		r.Version = rpc.GetVersion()
		r.IgnoreChanges = rpc.GetIgnoreChanges()
		r.AdditionalSecretOutputs = rpc.GetAdditionalSecretOutputs()
		r.Aliases = len(rpc.GetAliases())
	}
	if rpc := args.ReadRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Read = true
		r.Custom = true
		r.DependsOn = sortedUnique(rpc.GetDependencies())
	}

	var id string
	var outputs resource.PropertyMap
	switch {
	case args.TypeToken == "pulumi:pulumi:StackReference":
		name := args.Inputs["name"]
		if !name.IsString() {
			return "", nil, fmt.Errorf("offline: stack reference %q has no name", args.Name)
		}
		outs, ok := m.upstream[name.StringValue()]
		if !ok {
			return "", nil, fmt.Errorf("offline: stack %s does not exist (the plan runs the layers in order; is it upstream of %s?)", name.StringValue(), m.stack)
		}
		var secretNames []resource.PropertyValue
		for _, k := range outs.StableKeys() {
			if outs[k].IsSecret() {
				secretNames = append(secretNames, resource.NewProperty(string(k)))
			}
		}
		id = name.StringValue()
		outputs = resource.PropertyMap{
			"name":              name,
			"outputs":           resource.NewProperty(outs),
			"secretOutputNames": resource.NewProperty(secretNames),
		}
	case !args.Custom:
		// Component resources have no ID and echo nothing.
		outputs = resource.PropertyMap{}
	case args.TypeToken == randomStringType:
		id, outputs = randomString(m.stack, args.Name, args.Inputs)
	default:
		id, outputs = synthesize(args.TypeToken, args.Name, args.Inputs)
	}
	r.ID = id
	r.Outputs = outputs

	m.mu.Lock()
	m.resources = append(m.resources, r)
	m.mu.Unlock()
	return id, outputs, nil
}

// Call answers provider functions (invokes). Only the ones the program uses are known; any other
// fails loudly, so a new invoke is noticed here and not in a real deployment.
func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	result, err := m.answer(args)
	m.mu.Lock()
	m.calls = append(m.calls, Call{Token: args.Token, Args: args.Args, Result: result})
	m.mu.Unlock()
	return result, err
}

func (m *mocks) answer(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch args.Token {
	case "azure-native:containerservice/v20240902preview:listManagedClusterUserCredentials":
		return clusterUserCredentials(args.Args), nil
	case "azure-native:authorization:getClientConfig":
		return resource.PropertyMap{
			"clientId":       resource.NewProperty(DeployerID),
			"objectId":       resource.NewProperty(DeployerID),
			"subscriptionId": resource.NewProperty(SubscriptionID),
			"tenantId":       resource.NewProperty(TenantID),
		}, nil
	case "azuread:index/getClientConfig:getClientConfig":
		return resource.PropertyMap{
			"clientId": resource.NewProperty(DeployerID),
			"objectId": resource.NewProperty(DeployerID),
			"tenantId": resource.NewProperty(TenantID),
		}, nil
	}
	return nil, fmt.Errorf("offline: no mock for function %s; add one to offline.mocks.Call", args.Token)
}

func sortedUnique(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// clusterUserCredentials answers listManagedClusterUserCredentials as AKS does for a cluster with
// Entra ID integration and format exec: one kubeconfig, base64-encoded, whose user runs kubelogin
// (device code, as az aks get-credentials writes it). The API server's host is shaped like AKS's
// (<name>-<hash>.hcp.<region>.azmk8s.io); the region is not among the arguments, so it is the
// offline world's default.
func clusterUserCredentials(in resource.PropertyMap) resource.PropertyMap {
	rg, name := plainString(in["resourceGroupName"]), plainString(in["resourceName"])
	server := fmt.Sprintf("https://%s-%s.hcp.westeurope.azmk8s.io:443", name, short(8, rg, name))
	ca := base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\noffline " + short(16, rg, name, "ca") + "\n-----END CERTIFICATE-----\n"))
	user := "clusterUser_" + rg + "_" + name
	kubeconfig := fmt.Sprintf(`apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: %s
    server: %s
  name: %s
contexts:
- context:
    cluster: %s
    user: %s
  name: %s
current-context: %s
kind: Config
preferences: {}
users:
- name: %s
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - get-token
      - --environment
      - AzurePublicCloud
      - --server-id
      - 6dae42f8-4368-4678-94ff-3960e28e3630
      - --client-id
      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a
      - --tenant-id
      - %s
      - --login
      - devicecode
      command: kubelogin
      env: null
      provideClusterInfo: false
`, ca, server, name, name, user, name, name, user, TenantID)
	return resource.PropertyMap{"kubeconfigs": resource.NewProperty([]resource.PropertyValue{
		resource.NewProperty(resource.PropertyMap{
			"name":  resource.NewProperty("clusterUser"),
			"value": resource.NewProperty(base64.StdEncoding.EncodeToString([]byte(kubeconfig))),
		}),
	})}
}
