package kubeconfig

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userCredentials is what listManagedClusterUserCredentials returns (decoded) for an Entra ID
// cluster with format exec: the cluster, and a kubelogin user with the device-code login that
// `az aks get-credentials` writes.
const userCredentials = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://aks-saas-dev-weu-0a1b2c3d.hcp.westeurope.azmk8s.io:443
  name: aks-saas-dev-weu
contexts:
- context:
    cluster: aks-saas-dev-weu
    user: clusterUser_rg-saas-dev-weu_aks-saas-dev-weu
  name: aks-saas-dev-weu
current-context: aks-saas-dev-weu
kind: Config
preferences: {}
users:
- name: clusterUser_rg-saas-dev-weu_aks-saas-dev-weu
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
      - 11111111-2222-3333-4444-555555555555
      - --login
      - devicecode
      command: kubelogin
      env: null
      installHint: install kubelogin
      provideClusterInfo: false
`

func TestExec(t *testing.T) {
	for _, login := range []string{LoginAzureCLI, LoginWorkloadIdentity} {
		got, err := Exec([]byte(userCredentials), login)
		require.NoError(t, err, login)
		assert.Equal(t, `apiVersion: v1
kind: Config
clusters:
  - name: aks-saas-dev-weu
    cluster:
      server: https://aks-saas-dev-weu-0a1b2c3d.hcp.westeurope.azmk8s.io:443
      certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
contexts:
  - name: aks-saas-dev-weu
    context:
      cluster: aks-saas-dev-weu
      user: aks-saas-dev-weu-`+login+`
current-context: aks-saas-dev-weu
users:
  - name: aks-saas-dev-weu-`+login+`
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        args:
          - get-token
          - --login
          - `+login+`
          - --server-id
          - 6dae42f8-4368-4678-94ff-3960e28e3630
        command: kubelogin
        installHint: 'kubelogin is required: az aks install-cli, or https://azure.github.io/kubelogin/install.html'
        interactiveMode: Never
        provideClusterInfo: false
`, got, login)
	}
}

func TestExecRefuses(t *testing.T) {
	admin := `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: Q0E=
    server: https://aks.hcp.westeurope.azmk8s.io:443
  name: aks
users:
- name: clusterAdmin_rg_aks
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
    token: abc
`
	for _, c := range []struct {
		name, credentials, login string
		wants                    []string
	}{
		{"admin credentials", admin, LoginAzureCLI, []string{`user "clusterAdmin_rg_aks" of the cluster credentials holds client-certificate-data`, "holds client-key-data", "holds token", "local-account credentials"}},
		{"device code login", userCredentials, "devicecode", []string{`login "devicecode": want azurecli or workloadidentity`}},
		{"no cluster", "apiVersion: v1\nkind: Config\n", LoginAzureCLI, []string{"hold no cluster"}},
		{"plain http", "clusters:\n- name: a\n  cluster:\n    server: http://a:80\n    certificate-authority-data: Q0E=\n", LoginAzureCLI, []string{`cluster server "http://a:80": want an https:// URL`}},
		{"no CA", "clusters:\n- name: a\n  cluster:\n    server: https://a:443\n", LoginAzureCLI, []string{"no certificate-authority-data"}},
		{"not YAML", "clusters: [", LoginAzureCLI, []string{"not a kubeconfig"}},
	} {
		_, err := Exec([]byte(c.credentials), c.login)
		for _, w := range c.wants {
			assert.ErrorContains(t, err, w, c.name)
		}
	}
}
