package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

// cspDirectives splits a Content-Security-Policy into its directives.
func cspDirectives(t *testing.T, resp *http.Response) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range strings.Split(resp.Header.Get("Content-Security-Policy"), ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[name] = value
		}
	}
	return out
}

// TestResponseHeaders: every answer of the API — pages, JSON, redirects,
// errors — and the middlewares' own answers carry nosniff and are never
// cached: /providers, and the callback's redirect that sets the session,
// among them.
func TestResponseHeaders(t *testing.T) {
	a := newApp(t)
	check := func(name string, resp *http.Response) {
		t.Helper()
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", name, got)
		}
		if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", name, got)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("%s: Strict-Transport-Security %q without Config.HSTS", name, got)
		}
	}
	check("GET /providers", a.get("/api/auth/providers"))
	check("GET /csrf", a.get("/api/auth/csrf"))
	check("GET /session", a.get("/api/auth/session"))
	check("GET /signin", a.get("/api/auth/signin"))
	check("GET /signout", a.get("/api/auth/signout"))
	check("GET /error", a.get("/api/auth/error?error=Configuration"))
	check("GET /verify-request", a.get("/api/auth/verify-request"))
	check("unknown route", a.get("/api/auth/nothing"))
	check("Require, JSON", a.get("/protected", "Accept", "application/json"))
	check("Require, page", a.get("/protected", "Accept", "text/html"))
	check("POST /signin without CSRF", a.postForm("/api/auth/signin/github", url.Values{}))
	resp := a.signIn("github", "/dashboard")
	if sessionCookieOf(t, resp) == "" {
		t.Fatal("no session")
	}
	check("the callback's redirect", resp)
	check("GET /session signed in", a.get("/api/auth/session"))
	check("POST /signout", a.signOut())
	if resp := a.get("/optional"); resp.Header.Get("Cache-Control") != "" {
		t.Errorf("WithSession changed the application's own answer: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
}

// TestPageCSP: the pages may not be framed, allow no <base>, and their
// forms reach only the application and, through its redirects, the
// providers (browsers apply form-action to the redirects after a form is
// submitted); pages without forms allow none.
func TestPageCSP(t *testing.T) {
	discovery := httptest.NewServer(nil)
	t.Cleanup(discovery.Close)
	discovery.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                discovery.URL,
			"authorization_endpoint":                "https://login.corp.example/oauth2/authorize",
			"token_endpoint":                        discovery.URL + "/token",
			"jwks_uri":                              discovery.URL + "/jwks",
			"end_session_endpoint":                  "https://logout.corp.example/end",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	down := httptest.NewServer(nil)
	down.Close()
	a := newApp(t, func(c *server.Config) {
		c.Providers = append(c.Providers,
			&oauth.Provider{ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, Issuer: discovery.URL, ClientID: "c", Logout: true,
				Profile: oauth.Map(corpUser, nil)},
			&oauth.Provider{ID: "down", Name: "Down", Type: oauth.TypeOIDC, Issuer: down.URL + "/realm", ClientID: "d",
				Profile: oauth.Map(corpUser, nil)})
		c.Pages.Error = "https://errors.example/auth"
	})
	idp, _ := url.Parse(a.idp.srv.URL)
	gone, _ := url.Parse(down.URL)

	start := time.Now()
	resp := a.get("/api/auth/signin")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the sign-in page took %v with one provider down", d)
	}
	csp := cspDirectives(t, resp)
	for name, want := range map[string]string{
		"default-src":     "'none'",
		"base-uri":        "'none'",
		"frame-ancestors": "'none'",
		"form-action":     "'self' " + a.origin + " http://" + idp.Host + " https://login.corp.example http://" + gone.Host + " https://errors.example",
	} {
		if csp[name] != want {
			t.Errorf("sign-in page %s %q, want %q", name, csp[name], want)
		}
	}

	csp = cspDirectives(t, a.get("/api/auth/signout?callbackUrl=/bye"))
	if want := "'self' " + a.origin + " https://logout.corp.example https://errors.example"; csp["form-action"] != want {
		t.Errorf("sign-out page form-action %q, want %q", csp["form-action"], want)
	}
	plain := newApp(t)
	for _, path := range []string{"/api/auth/error?error=Configuration", "/api/auth/verify-request"} {
		csp := cspDirectives(t, plain.get(path))
		if csp["form-action"] != "'none'" || csp["base-uri"] != "'none'" || csp["frame-ancestors"] != "'none'" {
			t.Errorf("%s: CSP %v, want form-action, base-uri and frame-ancestors 'none'", path, csp)
		}
	}
}

// TestHSTS: Config.HSTS adds Strict-Transport-Security to the API's answers
// on https only.
func TestHSTS(t *testing.T) {
	year := func(c *server.Config) { c.HSTS = 365 * 24 * time.Hour }
	tls := newAppTLS(t, true, year)
	for _, path := range []string{"/api/auth/session", "/api/auth/signin", "/api/auth/providers"} {
		if got := tls.get(path).Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
			t.Errorf("https GET %s: Strict-Transport-Security %q, want max-age=31536000", path, got)
		}
	}
	if got := tls.get("/protected", "Accept", "application/json").Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("https Require's 401: Strict-Transport-Security %q", got)
	}
	plain := newApp(t, year)
	if got := plain.get("/api/auth/session").Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("http: Strict-Transport-Security %q, want none", got)
	}
	if got := newAppTLS(t, true).get("/api/auth/session").Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("https without HSTS: Strict-Transport-Security %q, want none", got)
	}
	u, _ := url.Parse("https://app.example")
	if _, err := server.New(server.Config{URL: u, Keys: mustKeys(t), HSTS: -time.Second}); err == nil || !strings.Contains(err.Error(), "HSTS") {
		t.Errorf("New with a negative HSTS: %v", err)
	}
}

// TestSecureHeaders: the wrapper for the application's own pages sets
// nosniff and forbids framing; what the handler sets itself wins.
func TestSecureHeaders(t *testing.T) {
	h := server.SecureHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/embed" {
			w.Header().Set("Content-Security-Policy", "frame-ancestors https://partner.example")
		}
		w.Header().Add("X-Content-Type-Options", "extra")
		_, _ = w.Write([]byte("<p>hi</p>"))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if got := rec.Header().Values("X-Content-Type-Options"); len(got) < 1 || got[0] != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", got)
	}
	if got := rec.Header().Get("Content-Security-Policy"); got != "frame-ancestors 'none'" {
		t.Errorf("Content-Security-Policy %q", got)
	}
	if got := rec.Header().Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options %q", got)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/embed", nil))
	if got := rec.Header().Get("Content-Security-Policy"); got != "frame-ancestors https://partner.example" {
		t.Errorf("the handler's own CSP was replaced: %q", got)
	}
	// The shared header values were not written into by Add.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if got := rec.Header().Values("X-Content-Type-Options"); len(got) != 2 || got[0] != "nosniff" {
		t.Errorf("third answer: X-Content-Type-Options %q", got)
	}
}
