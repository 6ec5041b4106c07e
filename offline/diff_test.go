package offline_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/azure-saas-platform/platform/offline"
)

// plan builds a plan file of one layered stack from resources written as JSON objects.
func plan(t *testing.T, env string, resources ...string) *offline.PlanFile {
	t.Helper()
	raw := fmt.Sprintf(`{"environment": %q, "mode": "layered", "stacks": [
	  {"layer": "base", "stack": "organization/platform-base/%s", "outputs": {"vnetId": "/vnet/1"},
	   "resources": [{"type": "platform:layer:Base", "name": "base", "parent": "", "custom": false, "inputs": {}}%s]}]}`,
		env, env, prefixed(resources))
	p, err := offline.ParsePlanFile([]byte(raw))
	require.NoError(t, err)
	return p
}

func prefixed(rs []string) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(",\n" + r)
	}
	return b.String()
}

const (
	vnet = `{"type": "azure-native:network:VirtualNetwork", "name": "vnet", "parent": "platform:layer:Base::base", "custom": true,
	  "version": "2.90.0", "inputs": {"location": "westeurope", "virtualNetworkName": "vnet-saas-dev", "resourceGroupName": "rg",
	  "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "tags": {"env": "dev"}}}`
	nsg = `{"type": "azure-native:network:NetworkSecurityGroup", "name": "nsg", "parent": "platform:layer:Base::base", "custom": true,
	  "version": "2.90.0", "inputs": {"location": "westeurope", "networkSecurityGroupName": "nsg-nodes", "resourceGroupName": "rg",
	  "securityRules": [
	    {"name": "allow-https", "priority": 100, "access": "Allow"},
	    {"name": "deny-all", "priority": 4096, "access": "Deny"}]}}`
	subnet = `{"type": "azure-native:network/v20240501:Subnet", "name": "subnet-nodes", "parent": "platform:layer:Base::base", "custom": true,
	  "version": "2.90.0", "inputs": {"addressPrefix": "10.0.0.0/22", "subnetName": "nodes", "virtualNetworkName": "vnet-saas-dev", "resourceGroupName": "rg"}}`
	vault = `{"type": "azure-native:keyvault:Vault", "name": "kv", "parent": "platform:layer:Base::base", "custom": true,
	  "version": "2.90.0", "inputs": {"location": "westeurope", "vaultName": "kv-saas-dev", "resourceGroupName": "rg",
	  "properties": {"enableRbacAuthorization": true, "softDeleteRetentionInDays": 7}}}`
)

func compare(t *testing.T, old, new *offline.PlanFile) *offline.Diff {
	t.Helper()
	d, err := offline.Compare(old, new)
	require.NoError(t, err)
	return d
}

func text(t *testing.T, d *offline.Diff) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, d.WriteText(&b, "old.json"))
	return b.String()
}

func onlyStack(t *testing.T, d *offline.Diff) offline.StackDiff {
	t.Helper()
	require.Len(t, d.Stacks, 1)
	return d.Stacks[0]
}

// TestDiffIdenticalPlansIsEmpty: a plan against itself has no change, and says so.
func TestDiffIdenticalPlansIsEmpty(t *testing.T) {
	p := plan(t, "dev", vnet, nsg, subnet, vault)
	d := compare(t, p, plan(t, "dev", vnet, nsg, subnet, vault))
	assert.True(t, d.Empty())
	assert.Equal(t, offline.Counts{}, d.Counts())
	assert.Contains(t, text(t, d), "0 to create, 0 to delete, 0 to update, 0 to replace\nNo changes.\n")
	var md bytes.Buffer
	require.NoError(t, d.WriteMarkdown(&md, "`main`"))
	assert.Equal(t, "### Offline plan diff: dev\n\nAgainst `main`: **no changes**.\n", md.String())
}

// TestDiffCreateAndDelete: a resource only in the new plan is created with all its inputs shown,
// one only in the old plan is deleted; the stack counts say so.
func TestDiffCreateAndDelete(t *testing.T) {
	d := compare(t, plan(t, "dev", vnet, vault), plan(t, "dev", vnet, nsg))
	s := onlyStack(t, d)
	require.Len(t, s.Resources, 2)
	assert.Equal(t, offline.OpCreate, s.Resources[0].Op)
	assert.Equal(t, "nsg", s.Resources[0].Name)
	assert.Equal(t, "nsg-nodes", s.Resources[0].Inputs["networkSecurityGroupName"])
	assert.Equal(t, offline.OpDelete, s.Resources[1].Op)
	assert.Equal(t, "kv", s.Resources[1].Name)
	assert.Equal(t, offline.Counts{Create: 1, Delete: 1}, s.Counts())

	out := text(t, d)
	assert.Contains(t, out, "1 to create, 1 to delete, 0 to update, 0 to replace")
	assert.Contains(t, out, "+  azure-native:network:NetworkSecurityGroup  nsg\n")
	assert.Contains(t, out, `+      networkSecurityGroupName: "nsg-nodes"`)
	assert.Contains(t, out, "-  azure-native:keyvault:Vault  kv\n")
	assert.Contains(t, out, `-      vaultName: "kv-saas-dev"`)
}

// TestDiffChange: changed, added and removed inputs of one resource, at the top level and nested,
// each with its path and old and new value; nothing else of the resource is listed.
func TestDiffChange(t *testing.T) {
	changed := strings.NewReplacer(
		`"softDeleteRetentionInDays": 7`, `"softDeleteRetentionInDays": 90, "enablePurgeProtection": true`,
		`"enableRbacAuthorization": true, `, ``,
	).Replace(vault)
	changed = strings.Replace(changed, `"resourceGroupName": "rg",`, `"resourceGroupName": "rg", "tags": {"owner": "team"},`, 1)
	d := compare(t, plan(t, "dev", vault), plan(t, "dev", changed))
	s := onlyStack(t, d)
	require.Len(t, s.Resources, 1)
	r := s.Resources[0]
	assert.Equal(t, offline.OpUpdate, r.Op)
	assert.Equal(t, []offline.PropertyChange{
		{Path: "properties.enablePurgeProtection", Kind: offline.KindAdd, New: true},
		{Path: "properties.enableRbacAuthorization", Kind: offline.KindDelete, Old: true},
		{Path: "properties.softDeleteRetentionInDays", Kind: offline.KindUpdate, Old: float64(7), New: float64(90)},
		{Path: "tags", Kind: offline.KindAdd, New: map[string]any{"owner": "team"}},
	}, r.Changes)

	out := text(t, d)
	assert.Contains(t, out, "~  azure-native:keyvault:Vault  kv\n")
	assert.Contains(t, out, "     ~ properties.softDeleteRetentionInDays: 7 => 90\n")
	assert.Contains(t, out, "     + properties.enablePurgeProtection: true\n")
	assert.Contains(t, out, "     - properties.enableRbacAuthorization: true\n")
	assert.Contains(t, out, `     + tags: {"owner":"team"}`)
	assert.NotContains(t, out, "vaultName", "unchanged inputs are not listed")
}

// TestDiffNestedListChange: a list of named objects (security rules) is compared by name, so an
// inserted rule is one added element and a changed priority one change; a list of plain values
// is compared by index.
func TestDiffNestedListChange(t *testing.T) {
	rules := strings.Replace(nsg, `{"name": "allow-https", "priority": 100, "access": "Allow"},`,
		`{"name": "allow-dns", "priority": 90, "access": "Allow"}, {"name": "allow-https", "priority": 110, "access": "Allow"},`, 1)
	prefixes := strings.Replace(vnet, `["10.0.0.0/16"]`, `["10.0.0.0/16", "10.1.0.0/16"]`, 1)
	d := compare(t, plan(t, "dev", vnet, nsg), plan(t, "dev", prefixes, rules))
	s := onlyStack(t, d)
	require.Len(t, s.Resources, 2)

	assert.Equal(t, "vnet", s.Resources[0].Name)
	assert.Equal(t, []offline.PropertyChange{
		{Path: "addressSpace.addressPrefixes[1]", Kind: offline.KindAdd, New: "10.1.0.0/16"},
	}, s.Resources[0].Changes)

	assert.Equal(t, "nsg", s.Resources[1].Name)
	assert.Equal(t, offline.OpUpdate, s.Resources[1].Op)
	assert.Equal(t, []offline.PropertyChange{
		{Path: "securityRules[name=allow-dns]", Kind: offline.KindAdd, New: map[string]any{"name": "allow-dns", "priority": float64(90), "access": "Allow"}},
		{Path: "securityRules[name=allow-https].priority", Kind: offline.KindUpdate, Old: float64(100), New: float64(110)},
	}, s.Resources[1].Changes)
	assert.Contains(t, text(t, d), "     ~ securityRules[name=allow-https].priority: 100 => 110\n")
}

// TestDiffReplace: changing a resource's Azure name, its location or a property azure-native marks
// ForceNew replaces it; a plain property change does not, and a location that differs only in case
// and spaces is no change at all (azure-native normalises it).
func TestDiffReplace(t *testing.T) {
	for _, tt := range []struct {
		name        string
		old, new    string
		op          string
		wantPath    string
		wantReplace bool
	}{
		{"renamed vault", vault, strings.Replace(vault, `"kv-saas-dev"`, `"kv-saas-dev2"`, 1), offline.OpReplace, "vaultName", true},
		{"moved vnet", vnet, strings.Replace(vnet, `"location": "westeurope"`, `"location": "northeurope"`, 1), offline.OpReplace, "location", true},
		{"other resource group", subnet, strings.Replace(subnet, `"resourceGroupName": "rg"`, `"resourceGroupName": "rg2"`, 1), offline.OpReplace, "resourceGroupName", true},
		{"subnet of another vnet", subnet, strings.Replace(subnet, `"virtualNetworkName": "vnet-saas-dev"`, `"virtualNetworkName": "vnet2"`, 1), offline.OpReplace, "virtualNetworkName", true},
		{"subnet range", subnet, strings.Replace(subnet, `10.0.0.0/22`, `10.0.4.0/22`, 1), offline.OpUpdate, "addressPrefix", false},
		{"vnet tags", vnet, strings.Replace(vnet, `"env": "dev"`, `"env": "prod"`, 1), offline.OpUpdate, "tags.env", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := onlyStack(t, compare(t, plan(t, "dev", tt.old), plan(t, "dev", tt.new)))
			require.Len(t, s.Resources, 1)
			r := s.Resources[0]
			assert.Equal(t, tt.op, r.Op)
			require.Len(t, r.Changes, 1)
			assert.Equal(t, tt.wantPath, r.Changes[0].Path)
			assert.Equal(t, tt.wantReplace, r.Changes[0].Replace)
		})
	}

	d := compare(t, plan(t, "dev", vault), plan(t, "dev", strings.Replace(vault, `"vaultName": "kv-saas-dev"`, `"vaultName": "kv-saas-dev2"`, 1)))
	assert.Equal(t, offline.Counts{Replace: 1}, d.Counts())
	out := text(t, d)
	assert.Contains(t, out, "+- azure-native:keyvault:Vault  kv  [replace]\n")
	assert.Contains(t, out, `     ~ vaultName: "kv-saas-dev" => "kv-saas-dev2"  (forces replacement)`)

	same := strings.Replace(vnet, `"location": "westeurope"`, `"location": "West Europe"`, 1)
	assert.True(t, compare(t, plan(t, "dev", vnet), plan(t, "dev", same)).Empty())
}

// TestDiffMasksSecrets: a secret on either side shows as [secret]; its value never appears.
func TestDiffMasksSecrets(t *testing.T) {
	withSecret := func(v string) string {
		return strings.Replace(vault, `"softDeleteRetentionInDays": 7`, `"softDeleteRetentionInDays": 7, "token": `+v, 1)
	}
	d := compare(t, plan(t, "dev", withSecret(`"[secret]"`)), plan(t, "dev", withSecret(`"hunter2-plain"`)))
	s := onlyStack(t, d)
	require.Len(t, s.Resources, 1)
	assert.Equal(t, []offline.PropertyChange{{Path: "properties.token", Kind: offline.KindUpdate, Old: "[secret]", New: "[secret]"}}, s.Resources[0].Changes)
	var md, js bytes.Buffer
	require.NoError(t, d.WriteMarkdown(&md, "old"))
	require.NoError(t, d.WriteJSON(&js))
	for _, out := range []string{text(t, d), md.String(), js.String()} {
		assert.NotContains(t, out, "hunter2")
	}
	// Both sides masked: nothing can be told, nothing is listed.
	assert.True(t, compare(t, plan(t, "dev", withSecret(`"[secret]"`)), plan(t, "dev", withSecret(`"[secret]"`))).Empty())
}

// TestDiffOptionsOutputsAndVersions: a dropped protect is a change; stack outputs are compared; a
// provider version move is reported once per stack, not as a change of every resource.
func TestDiffOptionsOutputsAndVersions(t *testing.T) {
	protected := strings.Replace(vault, `"custom": true,`, `"custom": true, "protect": true,`, 1)
	bumped := strings.Replace(vnet, `"2.90.0"`, `"2.91.0"`, 1)
	old := plan(t, "dev", protected, vnet)
	new := plan(t, "dev", vault, bumped)
	new.Stacks[0].Outputs["vnetId"] = "/vnet/2"
	s := onlyStack(t, compare(t, old, new))
	require.Len(t, s.Resources, 1)
	assert.Equal(t, []offline.PropertyChange{{Path: "[protect]", Kind: offline.KindUpdate, Old: true, New: false}}, s.Resources[0].Changes)
	assert.Equal(t, []offline.PropertyChange{{Path: "vnetId", Kind: offline.KindUpdate, Old: "/vnet/1", New: "/vnet/2"}}, s.Outputs)
	assert.Equal(t, []string{"azure-native 2.90.0 => 2.91.0 (1 resources)"}, s.Versions)
}

// TestDiffStacksAndModes: stacks match by layer (dev can be compared with prod), a stack only in
// one plan is all creates or all deletes, and plans of different modes are refused.
func TestDiffStacksAndModes(t *testing.T) {
	d := compare(t, plan(t, "prod", vnet), plan(t, "dev", vnet))
	assert.True(t, d.Empty(), "same resources in the base stack of both environments")
	assert.Contains(t, text(t, d), `against old.json (a plan of environment "prod")`)

	two := plan(t, "dev", vnet)
	two.Stacks = append(two.Stacks, offline.StackFile{Layer: "identity", Stack: "organization/platform-identity/dev",
		Resources: []offline.ResourceFile{{Type: "platform:layer:Identity", Name: "identity", Inputs: map[string]any{}}}})
	d = compare(t, plan(t, "dev", vnet), two)
	require.Len(t, d.Stacks, 2)
	assert.Equal(t, offline.Counts{Create: 1}, d.Stacks[1].Counts())
	d = compare(t, two, plan(t, "dev", vnet))
	require.Len(t, d.Stacks, 2)
	assert.Equal(t, "identity", d.Stacks[1].Layer)
	assert.Equal(t, offline.Counts{Delete: 1}, d.Stacks[1].Counts())

	single := plan(t, "dev", vnet)
	single.Mode = offline.Single
	_, err := offline.Compare(single, plan(t, "dev", vnet))
	assert.EqualError(t, err, "cannot compare a single plan with a layered plan")

	_, err = offline.ParsePlanFile([]byte(`{"environment": "dev"}`))
	assert.ErrorContains(t, err, `not a plan file written by -json: mode ""`)
}

// TestDiffMarkdown: a summary table of every stack and a collapsible block of the text form per
// changed stack; a diff too long for a comment is cut, and the cut is said.
func TestDiffMarkdown(t *testing.T) {
	renamed := strings.Replace(vault, `"kv-saas-dev"`, `"kv-saas-dev2"`, 1)
	d := compare(t, plan(t, "dev", vault, nsg), plan(t, "dev", renamed, vnet))
	var md bytes.Buffer
	require.NoError(t, d.WriteMarkdown(&md, "`main` at 1a2b3c4"))
	out := md.String()
	assert.True(t, strings.HasPrefix(out, "### Offline plan diff: dev\n\nAgainst `main` at 1a2b3c4: **1 to create, 1 to delete, 0 to update, 1 to replace**."), out)
	assert.Contains(t, out, "| stack | create | delete | update | replace |\n|---|---:|---:|---:|---:|\n| `base` | 1 | 1 | 0 | 1 |\n")
	assert.Contains(t, out, "<details><summary><code>base</code>: 1 to create, 1 to delete, 0 to update, 1 to replace</summary>\n\n```diff\n")
	assert.Contains(t, out, "+- azure-native:keyvault:Vault  kv  [replace]\n")
	assert.True(t, strings.HasSuffix(out, "```\n</details>\n"), out)

	// A thousand new resources do not fit: the block is cut under the limit.
	var many []string
	for i := 0; i < 1000; i++ {
		many = append(many, strings.Replace(vnet, `"name": "vnet"`, fmt.Sprintf(`"name": "vnet%d"`, i), 1))
	}
	d = compare(t, plan(t, "dev"), plan(t, "dev", many...))
	md.Reset()
	require.NoError(t, d.WriteMarkdown(&md, "main"))
	assert.LessOrEqual(t, md.Len(), offline.MarkdownLimit)
	assert.Contains(t, md.String(), "more lines cut to fit a comment")
	assert.True(t, strings.HasSuffix(md.String(), "```\n</details>\n"), "the cut block is still closed")
}

// TestDiffJSON: the JSON form carries the same changes, for tools.
func TestDiffJSON(t *testing.T) {
	d := compare(t, plan(t, "dev", vnet), plan(t, "dev", strings.Replace(vnet, `"westeurope"`, `"northeurope"`, 1)))
	var buf bytes.Buffer
	require.NoError(t, d.WriteJSON(&buf))
	var back offline.Diff
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, *d, back)
	assert.Contains(t, buf.String(), `"op": "replace"`)
}
