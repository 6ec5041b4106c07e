package gitops

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"
)

// eso computes, offline, the Secrets External Secrets will write in the cluster from the tree's
// objects, as far as they are generated in the cluster: Password generators, the kubernetes
// provider reading another such Secret in the same namespace, and templates. Any other source
// (a static Secret in Git, a Key Vault store) is an error: the test wants credentials that exist
// nowhere but in the cluster.
type eso struct {
	objs []object
	// generated holds every password the Password generators produced, to tell generated
	// values from literals.
	generated []string
	// written holds the Secrets computed so far: a Secret is written once and every reader
	// sees the same data.
	written map[string]map[string]string
}

func (e *eso) find(kind, ns, name string) (object, bool) {
	for _, o := range e.objs {
		if o.kind() == kind && o.namespace() == ns && o.name() == name {
			return o, true
		}
	}
	return object{}, false
}

// secret is the data of Secret ns/name as External Secrets would write it.
func (e *eso) secret(ns, name string) (map[string]string, error) {
	return e.secretVia(ns, name, map[string]bool{})
}

func (e *eso) secretVia(ns, name string, visiting map[string]bool) (map[string]string, error) {
	key := ns + "/" + name
	if s, ok := e.written[key]; ok {
		return s, nil
	}
	s, err := e.write(ns, name, visiting)
	if err == nil {
		if e.written == nil {
			e.written = map[string]map[string]string{}
		}
		e.written[key] = s
	}
	return s, err
}

func (e *eso) write(ns, name string, visiting map[string]bool) (map[string]string, error) {
	key := ns + "/" + name
	if visiting[key] {
		return nil, fmt.Errorf("secret %s reads itself", key)
	}
	visiting[key] = true
	defer delete(visiting, key)
	if _, ok := e.find("Secret", ns, name); ok {
		return nil, fmt.Errorf("secret %s is a static Secret in Git", key)
	}
	var es *object
	for _, o := range e.objs {
		target, _ := get(o.m, "spec", "target", "name").(string)
		if target == "" {
			target = o.name()
		}
		if o.kind() == "ExternalSecret" && o.namespace() == ns && target == name {
			es = &o
		}
	}
	if es == nil {
		return nil, fmt.Errorf("no ExternalSecret writes secret %s", key)
	}
	data := map[string]string{}
	fromGenerator := false
	for i, from := range listOf(get(es.m, "spec", "dataFrom")) {
		gen, ok := get(from, "sourceRef", "generatorRef").(map[string]any)
		if !ok || gen["kind"] != "Password" {
			return nil, fmt.Errorf("%s: dataFrom[%d] is not a Password generator", es, i)
		}
		genName, _ := gen["name"].(string)
		g, ok := e.find("Password", ns, genName)
		if !ok {
			return nil, fmt.Errorf("%s: no Password generator %s", es, genName)
		}
		fromGenerator = true
		keys := stringList(get(g.m, "spec", "secretKeys"))
		if len(keys) == 0 {
			keys = []string{"password"}
		}
		out := map[string]string{}
		for _, k := range keys {
			v := fmt.Sprintf("generated-%s-%s-%d", genName, k, len(e.generated))
			e.generated = append(e.generated, v)
			out[k] = v
		}
		for _, rw := range listOf(get(from, "rewrite")) {
			src, _ := get(rw, "regexp", "source").(string)
			dst, _ := get(rw, "regexp", "target").(string)
			re, err := regexp.Compile(src)
			if err != nil {
				return nil, fmt.Errorf("%s: rewrite: %w", es, err)
			}
			renamed := map[string]string{}
			for k, v := range out {
				renamed[re.ReplaceAllString(k, dst)] = v
			}
			out = renamed
		}
		maps.Copy(data, out)
	}
	// A generator runs again on every refresh: only CreatedOnce keeps the value (and any hash
	// of it) stable.
	if fromGenerator && get(es.m, "spec", "refreshPolicy") != "CreatedOnce" {
		return nil, fmt.Errorf("%s: generated values need refreshPolicy CreatedOnce, or they change on every refresh", es)
	}
	for i, d := range listOf(get(es.m, "spec", "data")) {
		storeName, _ := get(es.m, "spec", "secretStoreRef", "name").(string)
		storeKind, _ := get(es.m, "spec", "secretStoreRef", "kind").(string)
		store, ok := e.find("SecretStore", ns, storeName)
		if storeKind != "SecretStore" || !ok {
			return nil, fmt.Errorf("%s: data[%d] needs a SecretStore of the namespace, has %s %q", es, i, storeKind, storeName)
		}
		k8s, ok := get(store.m, "spec", "provider", "kubernetes").(map[string]any)
		if !ok || get(k8s, "remoteNamespace") != ns {
			return nil, fmt.Errorf("%s: store %s is not the kubernetes provider reading namespace %s", es, storeName, ns)
		}
		remote, _ := get(d, "remoteRef", "key").(string)
		property, _ := get(d, "remoteRef", "property").(string)
		secretKey, _ := get(d, "secretKey").(string)
		sa, _ := get(k8s, "auth", "serviceAccount", "name").(string)
		if err := e.mayGetSecret(ns, sa, remote); err != nil {
			return nil, fmt.Errorf("%s: store %s: %w", es, storeName, err)
		}
		src, err := e.secretVia(ns, remote, visiting)
		if err != nil {
			return nil, err
		}
		v, ok := src[property]
		if !ok {
			return nil, fmt.Errorf("%s: data[%d]: secret %s has no key %q", es, i, remote, property)
		}
		data[secretKey] = v
	}
	tmpl, ok := get(es.m, "spec", "target", "template", "data").(map[string]any)
	if !ok {
		return data, nil
	}
	rendered := map[string]string{}
	if get(es.m, "spec", "target", "template", "mergePolicy") == "Merge" {
		maps.Copy(rendered, data)
	}
	for k, raw := range tmpl {
		text, _ := raw.(string)
		// ESO's template engine v2 is text/template with sprig; bcrypt is the one function the
		// tree uses. The minimum cost keeps the test fast; the hash checks the same.
		tp, err := template.New(k).Option("missingkey=error").Funcs(template.FuncMap{
			"bcrypt": func(s string) (string, error) {
				h, err := bcrypt.GenerateFromPassword([]byte(s), bcrypt.MinCost)
				return string(h), err
			},
		}).Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s: template %s: %w", es, k, err)
		}
		var b strings.Builder
		if err := tp.Execute(&b, data); err != nil {
			return nil, fmt.Errorf("%s: template %s: %w", es, k, err)
		}
		rendered[k] = b.String()
	}
	return rendered, nil
}

// mayGetSecret: some Role bound to the service account in ns allows get on the secret.
func (e *eso) mayGetSecret(ns, sa, secret string) error {
	for _, rb := range e.objs {
		if rb.kind() != "RoleBinding" || rb.namespace() != ns || get(rb.m, "roleRef", "kind") != "Role" {
			continue
		}
		bound := slices.ContainsFunc(listOf(get(rb.m, "subjects")), func(s any) bool {
			return get(s, "kind") == "ServiceAccount" && get(s, "name") == sa && (get(s, "namespace") == nil || get(s, "namespace") == ns)
		})
		roleName, _ := get(rb.m, "roleRef", "name").(string)
		role, ok := e.find("Role", ns, roleName)
		if !bound || !ok {
			continue
		}
		for _, r := range listOf(get(role.m, "rules")) {
			names := stringList(get(r, "resourceNames"))
			if slices.Contains(stringList(get(r, "apiGroups")), "") && slices.Contains(stringList(get(r, "resources")), "secrets") &&
				slices.Contains(stringList(get(r, "verbs")), "get") && (len(names) == 0 || slices.Contains(names, secret)) {
				return nil
			}
		}
	}
	return fmt.Errorf("service account %s/%s may not get secret %s", ns, sa, secret)
}

func listOf(v any) []any { l, _ := v.([]any); return l }

// securityconfigFiles are the keys operator 2.8.0 applies from a securityconfig secret
// (pkg/reconcilers/securityconfig.go); it mounts every key into the nodes' security directory and
// logs an error on each reconcile for any other key.
var securityconfigFiles = []string{"internal_users.yml", "roles.yml", "roles_mapping.yml", "action_groups.yml", "tenants.yml",
	"nodes_dn.yml", "whitelist.yml", "audit.yml", "allowlist.yml", "config.yml"}

// TestOpenSearchCredentialsAreGenerated: the OpenSearch cluster of dev and prod never has the
// demo users. Operator 2.8.0 logs in as admin/admin unless security.config.adminCredentialsSecret
// names a secret, applies the image's demo internal_users.yml unless securityConfigSecret names
// one, and points Dashboards at kibanaserver/kibanaserver unless
// dashboards.opensearchCredentialsSecret names one. Each of those secrets must come from External
// Secrets' Password generator in the cluster, and every user of internal_users.yml must carry the
// bcrypt hash of a generated password: the admin's and Dashboards' the hash of the password their
// credentials secret holds.
func TestOpenSearchCredentialsAreGenerated(t *testing.T) {
	for _, env := range envs {
		objs := built(t, env)
		clusters := 0
		for _, c := range objs {
			if c.kind() != "OpenSearchCluster" {
				continue
			}
			clusters++
			e := &eso{objs: objs}
			ns := c.namespace()
			credentials := func(path ...string) map[string]string {
				name, _ := get(c.m, path...).(string)
				require.NotEmpty(t, name, "%s: %s is not set: the operator falls back to the demo credentials", c, strings.Join(path, "."))
				s, err := e.secret(ns, name)
				require.NoError(t, err, "%s: %s", c, strings.Join(path, "."))
				require.NotEmpty(t, s["username"], "%s: secret %s has no username", c, name)
				require.NotEmpty(t, s["password"], "%s: secret %s has no password", c, name)
				return s
			}
			admin := credentials("spec", "security", "config", "adminCredentialsSecret", "name")
			cfgName, _ := get(c.m, "spec", "security", "config", "securityConfigSecret", "name").(string)
			require.NotEmpty(t, cfgName, "%s: no securityConfigSecret: the image's demo internal_users.yml is applied", c)
			cfg, err := e.secret(ns, cfgName)
			require.NoError(t, err, "%s: securityConfigSecret", c)
			for k := range cfg {
				assert.Contains(t, securityconfigFiles, k, "%s: securityconfig secret %s holds %q, which the operator does not apply but mounts into every node", c, cfgName, k)
			}
			var users map[string]struct {
				Hash string `yaml:"hash"`
			}
			require.NoError(t, yaml.Unmarshal([]byte(cfg["internal_users.yml"]), &users), "%s: internal_users.yml", c)
			delete(users, "_meta")
			require.Contains(t, users, admin["username"], "%s: internal_users.yml lacks the operator's user", c)
			for name, u := range users {
				generated := slices.ContainsFunc(e.generated, func(p string) bool {
					return bcrypt.CompareHashAndPassword([]byte(u.Hash), []byte(p)) == nil
				})
				assert.True(t, generated, "%s: user %s does not carry the hash of a generated password", c, name)
			}
			matches := func(s map[string]string) bool {
				return bcrypt.CompareHashAndPassword([]byte(users[s["username"]].Hash), []byte(s["password"])) == nil
			}
			assert.True(t, matches(admin), "%s: the admin credentials do not match the admin's hash in internal_users.yml", c)
			if get(c.m, "spec", "dashboards", "enable") == true {
				dashboards := credentials("spec", "dashboards", "opensearchCredentialsSecret", "name")
				assert.True(t, matches(dashboards), "%s: the Dashboards credentials do not match their user in internal_users.yml", c)
			}
		}
		assert.Equal(t, 1, clusters, "%s: OpenSearch clusters", env)
	}
}

// TestOpenSearchRaisesMaxMapCount: OpenSearch refuses to start unless vm.max_map_count is at
// least 262144 (a bootstrap check, enforced because the nodes bind a non-loopback address). Its
// pods land on node auto-provisioning's default nodes, whose default is 1048576 on Ubuntu 24.04
// (Kubernetes 1.34 and later) but 65530 on Ubuntu 22.04; the operator's init container sets it,
// so OpenSearch does not depend on the node image.
func TestOpenSearchRaisesMaxMapCount(t *testing.T) {
	for _, env := range envs {
		for _, c := range built(t, env) {
			if c.kind() == "OpenSearchCluster" {
				assert.Equal(t, true, get(c.m, "spec", "general", "setVMMaxMapCount"), "%s: general.setVMMaxMapCount", c)
			}
		}
	}
}

// TestESOSimulation: the offline reading of External Secrets refuses what would not yield
// generated credentials.
func TestESOSimulation(t *testing.T) {
	obj := func(y string) object {
		var m map[string]any
		require.NoError(t, yaml.Unmarshal([]byte(y), &m))
		return object{m: m}
	}
	gen := obj("kind: Password\nmetadata: {name: gen, namespace: n}\nspec: {secretKeys: [a]}")
	source := obj("kind: ExternalSecret\nmetadata: {name: src, namespace: n}\nspec:\n  refreshPolicy: CreatedOnce\n  dataFrom: [{sourceRef: {generatorRef: {kind: Password, name: gen}}}]\n  target:\n    template:\n      data: {pw: '{{ .a }}', hash: '{{ .a | bcrypt }}'}")
	store := obj("kind: SecretStore\nmetadata: {name: local, namespace: n}\nspec: {provider: {kubernetes: {remoteNamespace: n, auth: {serviceAccount: {name: reader}}}}}")
	role := obj("kind: Role\nmetadata: {name: r, namespace: n}\nrules: [{apiGroups: [''], resources: [secrets], verbs: [get], resourceNames: [src]}]")
	binding := obj("kind: RoleBinding\nmetadata: {name: r, namespace: n}\nroleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: reader}]")
	cp := obj("kind: ExternalSecret\nmetadata: {name: copy, namespace: n}\nspec:\n  secretStoreRef: {kind: SecretStore, name: local}\n  data: [{secretKey: password, remoteRef: {key: src, property: pw}}]")
	full := []object{gen, source, store, role, binding, cp}

	e := &eso{objs: full}
	s, err := e.secret("n", "copy")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"password": e.generated[0]}, s)
	src, err := e.secret("n", "src")
	require.NoError(t, err)
	assert.NoError(t, bcrypt.CompareHashAndPassword([]byte(src["hash"]), []byte(src["pw"])))
	assert.Len(t, e.generated, 1, "a Secret is generated once, whoever reads it")

	without := func(drop object) []object {
		return slices.DeleteFunc(slices.Clone(full), func(o object) bool { return o.kind() == drop.kind() && o.name() == drop.name() })
	}
	periodic := obj(strings.Replace(JSONish(source.m), `"refreshPolicy":"CreatedOnce"`, `"refreshPolicy":"Periodic"`, 1))
	for _, c := range []struct {
		name string
		objs []object
		want string
	}{
		{"static secret", append(slices.Clone(full), obj("kind: Secret\nmetadata: {name: copy, namespace: n}")), "static Secret"},
		{"no writer", without(cp), "no ExternalSecret"},
		{"no generator", without(gen), "no Password generator"},
		{"periodic generated", append(without(source), periodic), "CreatedOnce"},
		{"no store", without(store), "needs a SecretStore"},
		{"no RBAC", without(binding), "may not get"},
	} {
		_, err := (&eso{objs: c.objs}).secret("n", "copy")
		assert.ErrorContains(t, err, c.want, c.name)
	}
}
