// Package kubeconfig turns the user credentials AKS returns for an Entra ID cluster into the
// kubeconfig the flux layer's Kubernetes provider uses: the API server and its CA from the
// credentials, and a user that signs in through the kubelogin exec plugin with the configured
// login mode. It is pure (no Pulumi, no Azure SDK), so its table tests cost nothing to link.
package kubeconfig

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// AKSServerAppID is the application ID of the Azure Kubernetes Service AAD Server, the audience of
// every Entra token for an AKS API server; the same in every tenant (Azure/kubelogin,
// docs/book/src/concepts/aks.md).
const AKSServerAppID = "6dae42f8-4368-4678-94ff-3960e28e3630"

// Login modes of kubelogin get-token that run without a person at the keyboard
// (Azure/kubelogin, docs/book/src/concepts/login-modes).
const (
	// LoginAzureCLI uses the Azure CLI's signed-in account: a person after az login, a pipeline
	// step inside AzureCLI@2 or after azure/login.
	LoginAzureCLI = "azurecli"
	// LoginWorkloadIdentity uses a federated token: AZURE_CLIENT_ID, AZURE_TENANT_ID,
	// AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST, as the workload identity webhook sets
	// them in a pod.
	LoginWorkloadIdentity = "workloadidentity"
)

// ExecAPIVersion is the client authentication API kubelogin speaks.
const ExecAPIVersion = "client.authentication.k8s.io/v1beta1"

// file is the part of a kubeconfig file this package reads and writes.
type file struct {
	APIVersion     string    `yaml:"apiVersion"`
	Kind           string    `yaml:"kind"`
	Clusters       []cluster `yaml:"clusters"`
	Contexts       []context `yaml:"contexts"`
	CurrentContext string    `yaml:"current-context"`
	Users          []user    `yaml:"users"`
}

type cluster struct {
	Name    string `yaml:"name"`
	Cluster struct {
		Server                   string `yaml:"server"`
		CertificateAuthorityData string `yaml:"certificate-authority-data,omitempty"`
	} `yaml:"cluster"`
}

type context struct {
	Name    string `yaml:"name"`
	Context struct {
		Cluster string `yaml:"cluster"`
		User    string `yaml:"user"`
	} `yaml:"context"`
}

type user struct {
	Name string         `yaml:"name"`
	User map[string]any `yaml:"user"`
}

// Exec builds the kubeconfig of an Entra ID (AAD) cluster from its user credentials (the decoded
// kubeconfig listManagedClusterUserCredentials returns): the API server's address and CA of the
// credentials' first cluster, and a user whose token comes from
// `kubelogin get-token --login <login> --server-id <AKSServerAppID>`. Whatever user the credentials
// carry is dropped. Credentials that hold a client certificate, a token or a password are refused:
// those are a cluster's local accounts (admin credentials, or a cluster without Entra ID), which
// the platform never uses.
func Exec(credentials []byte, login string) (string, error) {
	if login != LoginAzureCLI && login != LoginWorkloadIdentity {
		return "", fmt.Errorf("kubeconfig: login %q: want %s or %s", login, LoginAzureCLI, LoginWorkloadIdentity)
	}
	var in file
	if err := yaml.Unmarshal(credentials, &in); err != nil {
		return "", fmt.Errorf("kubeconfig: the cluster credentials are not a kubeconfig: %w", err)
	}
	var errs []error
	for _, u := range in.Users {
		for _, k := range []string{"client-certificate-data", "client-key-data", "client-certificate", "token", "tokenFile", "password"} {
			if _, ok := u.User[k]; ok {
				errs = append(errs, fmt.Errorf("kubeconfig: user %q of the cluster credentials holds %s: these are local-account credentials, not an Entra ID user's (is the cluster's Entra ID integration on and are these the user credentials?)", u.Name, k))
			}
		}
	}
	if len(in.Clusters) == 0 {
		errs = append(errs, errors.New("kubeconfig: the cluster credentials hold no cluster"))
	} else {
		c := in.Clusters[0].Cluster
		if u, err := url.Parse(c.Server); err != nil || u.Scheme != "https" || u.Host == "" {
			errs = append(errs, fmt.Errorf("kubeconfig: cluster server %q: want an https:// URL", c.Server))
		}
		if c.CertificateAuthorityData == "" {
			errs = append(errs, errors.New("kubeconfig: the cluster credentials hold no certificate-authority-data"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}

	src := in.Clusters[0]
	name := src.Name
	if name == "" {
		name = "aks"
	}
	userName := name + "-" + login
	out := file{APIVersion: "v1", Kind: "Config", CurrentContext: name}
	c := cluster{Name: name}
	c.Cluster.Server = src.Cluster.Server
	c.Cluster.CertificateAuthorityData = src.Cluster.CertificateAuthorityData
	out.Clusters = []cluster{c}
	ctx := context{Name: name}
	ctx.Context.Cluster, ctx.Context.User = name, userName
	out.Contexts = []context{ctx}
	out.Users = []user{{Name: userName, User: map[string]any{"exec": map[string]any{
		"apiVersion": ExecAPIVersion,
		"command":    "kubelogin",
		"args":       []string{"get-token", "--login", login, "--server-id", AKSServerAppID},
		// Neither mode prompts: a pipeline has no terminal, and a person signs in with az login.
		"interactiveMode":    "Never",
		"provideClusterInfo": false,
		"installHint":        "kubelogin is required: az aks install-cli, or https://azure.github.io/kubelogin/install.html",
	}}}}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return "", fmt.Errorf("kubeconfig: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("kubeconfig: %w", err)
	}
	return b.String(), nil
}
