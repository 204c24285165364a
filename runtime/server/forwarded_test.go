package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/server"
)

// TestTrustHost: with TrustHost the origin is the right-most value of
// X-Forwarded-Host and X-Forwarded-Proto (a proxy appends its own to what
// the client sent), and a value that is not a plain host[:port] (or http,
// https) is refused with 400, by the API and by the middlewares alike.
func TestTrustHost(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.TrustHost = true })
	ok := []struct {
		name   string
		header http.Header
		want   string
	}{
		{"forwarded", http.Header{"X-Forwarded-Host": {"app.example"}, "X-Forwarded-Proto": {"https"}}, "https://app.example/api/auth/signin/github"},
		{"last of a list", http.Header{"X-Forwarded-Host": {"client.example, app.example"}, "X-Forwarded-Proto": {"http, https"}}, "https://app.example/api/auth/signin/github"},
		{"last of several headers", http.Header{"X-Forwarded-Host": {"client.example", "proxy.example,app.example"}, "X-Forwarded-Proto": {"http", "HTTPS"}}, "https://app.example/api/auth/signin/github"},
		{"with a port", http.Header{"X-Forwarded-Host": {"app.example:8443"}, "X-Forwarded-Proto": {"https"}}, "https://app.example:8443/api/auth/signin/github"},
		{"IPv6", http.Header{"X-Forwarded-Host": {"[2001:db8::1]:8443"}}, "http://[2001:db8::1]:8443/api/auth/signin/github"},
		{"no proto keeps URL's scheme", http.Header{"X-Forwarded-Host": {"app.example"}}, "http://app.example/api/auth/signin/github"},
		{"no header uses Host", nil, a.base + "/signin/github"},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			req := a.newRequest(http.MethodGet, "/api/auth/providers", nil)
			req.Header = tt.header
			got := decodeJSON[map[string]map[string]string](t, a.do(a.noFollow, req))
			if got["github"]["signinUrl"] != tt.want {
				t.Errorf("signinUrl = %q, want %q", got["github"]["signinUrl"], tt.want)
			}
		})
	}
	refused := []struct{ name, header, value string }{
		{"query", "X-Forwarded-Host", "app.example?x=1"},
		{"fragment", "X-Forwarded-Host", "app.example#x"},
		{"path", "X-Forwarded-Host", "evil.example/x"},
		{"user info", "X-Forwarded-Host", "evil.example@app.example"},
		{"space", "X-Forwarded-Host", "app example"},
		{"backslash", "X-Forwarded-Host", `evil.example\app.example`},
		{"empty last value", "X-Forwarded-Host", "app.example, "},
		{"last value bad, first good", "X-Forwarded-Host", "app.example, evil.example?x"},
		{"port out of range", "X-Forwarded-Host", "app.example:65536"},
		{"port not a number", "X-Forwarded-Host", "app.example:http"},
		{"two ports", "X-Forwarded-Host", "app.example:80:81"},
		{"IPv6 without brackets", "X-Forwarded-Host", "2001:db8::1"},
		{"IPv6 zone", "X-Forwarded-Host", "[fe80::1%25eth0]"},
		{"percent", "X-Forwarded-Host", "app%2eexample"},
		{"unknown proto", "X-Forwarded-Proto", "gopher"},
		{"proto with a colon", "X-Forwarded-Proto", "https:"},
	}
	for _, tt := range refused {
		t.Run("refused/"+tt.name, func(t *testing.T) {
			for _, path := range []string{"/api/auth/providers", "/api/auth/session", "/api/auth/signin", "/protected", "/optional"} {
				resp := a.get(path, tt.header, tt.value, "Accept", "text/html")
				body := readBody(t, resp)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.header) {
					t.Errorf("GET %s with %s %q: %s %q, want 400 naming the header", path, tt.header, tt.value, resp.Status, body)
				}
				if resp.Header.Get("Set-Cookie") != "" {
					t.Errorf("GET %s with %s %q set cookies", path, tt.header, tt.value)
				}
			}
		})
	}
	t.Run("refused Host", func(t *testing.T) {
		req := a.newRequest(http.MethodGet, "/api/auth/providers", nil)
		req.Host = "app.example:8080:8080"
		if resp := a.do(a.noFollow, req); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("Host %q: %s, want 400", req.Host, resp.Status)
		}
	})
}
