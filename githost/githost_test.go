package githost

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDo: the request carries the token, JSON and the provider's headers; the answer is decoded;
// a failure names the method, the URL without its query, the status and the body's start.
func TestDo(t *testing.T) {
	for _, tt := range []struct {
		provider, accept, apiVersion string
	}{
		{GitHub, "application/vnd.github+json", "2022-11-28"},
		{AzureDevOps, "application/json", ""},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			var got *http.Request
			var body string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r
				b, _ := io.ReadAll(r.Body)
				body = string(b)
				if r.URL.Path == "/fail" {
					http.Error(w, strings.Repeat("x", 400), http.StatusForbidden)
					return
				}
				_, _ = w.Write([]byte(`{"id": 7}`))
			}))
			defer srv.Close()
			c := Client{HTTP: srv.Client(), Provider: tt.provider, Token: "tok"}

			var out struct{ ID int }
			require.NoError(t, c.Do(context.Background(), http.MethodPost, srv.URL+"/ok?api-version=7.1", map[string]string{"a": "b"}, &out))
			assert.Equal(t, 7, out.ID)
			assert.Equal(t, `{"a":"b"}`, body)
			assert.Equal(t, "Bearer tok", got.Header.Get("Authorization"))
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.Equal(t, tt.accept, got.Header.Get("Accept"))
			assert.Equal(t, tt.apiVersion, got.Header.Get("X-GitHub-Api-Version"))

			err := c.Do(context.Background(), http.MethodGet, srv.URL+"/fail?secret=1", nil, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "GET "+srv.URL+"/fail: 403 Forbidden: "+strings.Repeat("x", 300)+"...")
			assert.NotContains(t, err.Error(), "secret")
		})
	}
}
