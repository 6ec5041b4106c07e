package release

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// ResourceID is the part of an ARM resource ID delivery needs.
type ResourceID struct {
	Subscription, ResourceGroup, Type, Name string
}

// ParseResourceID reads /subscriptions/<s>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>
// and checks its type (case-insensitively, as ARM does).
func ParseResourceID(id, wantType string) (ResourceID, error) {
	parts := strings.Split(strings.TrimPrefix(id, "/"), "/")
	if len(parts) != 8 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") || !strings.EqualFold(parts[4], "providers") ||
		parts[1] == "" || parts[3] == "" || parts[7] == "" {
		return ResourceID{}, fmt.Errorf("%q is not the ARM ID of a resource (/subscriptions/<id>/resourceGroups/<group>/providers/<type>/<name>)", id)
	}
	r := ResourceID{Subscription: parts[1], ResourceGroup: parts[3], Type: parts[5] + "/" + parts[6], Name: parts[7]}
	if !strings.EqualFold(r.Type, wantType) {
		return ResourceID{}, fmt.Errorf("%q is a %s, want a %s", id, r.Type, wantType)
	}
	return r, nil
}

// ReadStackOutputs reads the JSON `pulumi stack output --json` prints.
func ReadStackOutputs(file string) (map[string]any, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: not the JSON of pulumi stack output --json: %w", file, err)
	}
	return out, nil
}

// output finds a layer's output, exported as key by its own stack or as <layer>.key by the
// single-stack root project.
func output(outs map[string]any, layer, key string) (string, error) {
	for _, k := range []string{key, layer + "." + key} {
		if v, ok := outs[k]; ok {
			s, ok := v.(string)
			if !ok || s == "" || s == "[secret]" {
				return "", fmt.Errorf("stack output %s of layer %s is %v, want a non-empty string", k, layer, v)
			}
			return s, nil
		}
	}
	return "", fmt.Errorf("layer %s has no stack output %s", layer, key)
}

// StackVariables are the values delivery pipelines need, from the outputs of the aks layer and
// (when base is not nil) the base layer, (when identity is not nil) the identity layer: the
// registry (ACR_NAME, ACR_ID, ACR_LOGIN_SERVER), the cluster (AKS_NAME, AKS_RESOURCE_GROUP), the
// Front Door profile and endpoint host of the SPA (FRONT_DOOR_PROFILE, FRONT_DOOR_RESOURCE_GROUP,
// FRONT_DOOR_ENDPOINT_HOST), its storage account (SPA_STORAGE_ACCOUNT), and what the SPA signs in
// with (SPA_CLIENT_ID, EXTERNAL_ID_AUTHORITY; empty when External ID is disabled). Names are
// derived from the IDs, never typed in twice.
func StackVariables(aks, base, identity map[string]any) (map[string]string, error) {
	vars := map[string]string{}
	var errs []string
	get := func(outs map[string]any, layer, key string) string {
		v, err := output(outs, layer, key)
		if err != nil {
			errs = append(errs, err.Error())
		}
		return v
	}
	id := func(outs map[string]any, layer, key, typ string) ResourceID {
		v := get(outs, layer, key)
		if v == "" {
			return ResourceID{}
		}
		r, err := ParseResourceID(v, typ)
		if err != nil {
			errs = append(errs, fmt.Sprintf("stack output %s: %v", key, err))
		}
		return r
	}
	acr := id(aks, "aks", "acrId", "Microsoft.ContainerRegistry/registries")
	vars["ACR_ID"], vars["ACR_NAME"] = get(aks, "aks", "acrId"), acr.Name
	vars["ACR_LOGIN_SERVER"] = get(aks, "aks", "acrLoginServer")
	cluster := id(aks, "aks", "clusterId", "Microsoft.ContainerService/managedClusters")
	vars["AKS_NAME"], vars["AKS_RESOURCE_GROUP"] = cluster.Name, cluster.ResourceGroup
	fd := id(aks, "aks", "frontDoorProfileId", "Microsoft.Cdn/profiles")
	vars["FRONT_DOOR_PROFILE"], vars["FRONT_DOOR_RESOURCE_GROUP"] = fd.Name, fd.ResourceGroup
	vars["FRONT_DOOR_ENDPOINT_HOST"] = get(aks, "aks", "frontDoorEndpointHostName")
	if base != nil {
		spa := id(base, "base", "spaStorageAccountId", "Microsoft.Storage/storageAccounts")
		vars["SPA_STORAGE_ACCOUNT"] = spa.Name
	}
	if identity != nil {
		for key, name := range map[string]string{"spaClientId": "SPA_CLIENT_ID", "externalIdAuthority": "EXTERNAL_ID_AUTHORITY"} {
			v, ok := identity[key]
			if !ok {
				v, ok = identity["identity."+key]
			}
			s, isString := v.(string)
			if !ok || !isString || s == "[secret]" {
				errs = append(errs, fmt.Sprintf("layer identity has no string stack output %s", key))
			}
			vars[name] = s
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("stack outputs: %s", strings.Join(errs, "; "))
	}
	return vars, nil
}

// Formats of values handed to later pipeline steps.
const (
	FormatAzureDevOps = "azure-devops"
	FormatGitHub      = "github"
	FormatText        = "text"
)

// FormatVariables renders variables for the pipeline: Azure DevOps logging commands
// (##vso[task.setvariable]; isOutput makes them output variables of the step, for other jobs),
// or NAME=value lines for $GITHUB_ENV / $GITHUB_OUTPUT, sorted by name.
func FormatVariables(vars map[string]string, format string, isOutput bool) (string, error) {
	var names []string
	for k, v := range vars {
		if strings.ContainsAny(v, "\r\n") {
			return "", fmt.Errorf("variable %s: a value on several lines", k)
		}
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		switch format {
		case FormatAzureDevOps:
			out := ""
			if isOutput {
				out = ";isOutput=true"
			}
			fmt.Fprintf(&b, "##vso[task.setvariable variable=%s%s]%s\n", k, out, vars[k])
		case FormatGitHub, FormatText:
			fmt.Fprintf(&b, "%s=%s\n", k, vars[k])
		default:
			return "", fmt.Errorf("format %q: want %s, %s or %s", format, FormatAzureDevOps, FormatGitHub, FormatText)
		}
	}
	return b.String(), nil
}
