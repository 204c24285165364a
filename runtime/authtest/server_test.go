package authtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

// app is an application serving authgen's API with one OpenID Connect
// provider pointed at an authtest provider, and a browser for it.
type app struct {
	t       *testing.T
	idp     *authtest.Provider
	srv     *httptest.Server
	jar     *cookiejar.Jar
	browser *http.Client
}

func newApp(t *testing.T, idp *authtest.Provider, configure func(p *oauth.Provider)) *app {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	a := &app{t: t, idp: idp}
	a.srv = httptest.NewUnstartedServer(nil)
	origin, _ := url.Parse("http://" + a.srv.Listener.Addr().String())
	p := rp(idp)
	p.ID = "corp"
	if configure != nil {
		configure(p)
	}
	auth, err := server.New(server.Config{URL: origin, Keys: ks, Providers: []*oauth.Provider{p}, HTTPClient: idp.Client()})
	if err != nil {
		t.Fatal(err)
	}
	a.srv.Config.Handler = auth
	a.srv.Start()
	t.Cleanup(a.srv.Close)
	if a.jar, err = cookiejar.New(nil); err != nil {
		t.Fatal(err)
	}
	a.browser = &http.Client{Jar: a.jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return a
}

func (a *app) do(req *http.Request) *http.Response {
	a.t.Helper()
	resp, err := a.browser.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (a *app) get(path string) *http.Response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
	return a.do(req)
}

// signIn goes through the sign-in page's form, the provider and back to
// the callback, and returns the callback's response.
func (a *app) signIn() *http.Response {
	a.t.Helper()
	var csrf struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := json.NewDecoder(a.get("/api/auth/csrf").Body).Decode(&csrf); err != nil {
		a.t.Fatal(err)
	}
	form := url.Values{"csrfToken": {csrf.CSRFToken}, "callbackUrl": {a.srv.URL + "/dashboard"}}
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/api/auth/signin/corp", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := a.do(req)
	if resp.StatusCode != http.StatusFound {
		a.t.Fatalf("POST /signin/corp: %s", resp.Status)
	}
	cb, err := a.idp.CallbackRequest(a.t.Context(), resp.Header.Get("Location"))
	if err != nil {
		a.t.Fatal(err)
	}
	return a.do(cb)
}

func (a *app) session() string {
	a.t.Helper()
	b, err := io.ReadAll(a.get("/api/auth/session").Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "authgen.session-token") && c.MaxAge >= 0 && c.Value != "" {
			return c
		}
	}
	return nil
}

func TestServerSignIn(t *testing.T) {
	for _, mode := range []string{"query", "form_post"} {
		t.Run(mode, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, IssParam: true, Claims: adaClaims, Userinfo: adaUserinfo})
			a := newApp(t, idp, func(p *oauth.Provider) {
				p.FetchUserinfo = true
				if mode == "form_post" {
					p.ResponseMode = mode
				}
			})
			resp := a.signIn()
			if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != a.srv.URL+"/dashboard" {
				t.Fatalf("callback: %s to %q, want 302 to /dashboard", resp.Status, resp.Header.Get("Location"))
			}
			if sessionCookie(resp) == nil {
				t.Fatal("no session cookie after sign-in")
			}
			if s := a.session(); !strings.Contains(s, `"email":"ada@example.com"`) {
				t.Errorf("GET /session = %s", s)
			}
		})
	}
}

// TestServerRejectsBadIDTokens: each bad ID token ends the callback with
// OAuthCallback and no session.
func TestServerRejectsBadIDTokens(t *testing.T) {
	for _, tt := range badIDTokens {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims, Userinfo: adaUserinfo})
			a := newApp(t, idp, func(p *oauth.Provider) { p.FetchUserinfo = tt.fetchUserinfo })
			if resp := a.signIn(); sessionCookie(resp) == nil {
				t.Fatalf("the good sign-in failed: %s to %s", resp.Status, resp.Header.Get("Location"))
			}
			oldNonce := idp.LastAuthorization().Get("nonce")
			// Signed out, the user signs in again and gets a bad token.
			u, _ := url.Parse(a.srv.URL)
			a.jar.SetCookies(u, []*http.Cookie{{Name: "authgen.session-token", Value: "", Path: "/", MaxAge: -1}})
			tt.prepare(idp, oldNonce)
			resp := a.signIn()
			if got, want := resp.Header.Get("Location"), a.srv.URL+"/api/auth/signin?error=OAuthCallback"; resp.StatusCode != http.StatusFound || got != want {
				t.Errorf("callback: %s to %q, want 302 to %q", resp.Status, got, want)
			}
			if c := sessionCookie(resp); c != nil {
				t.Errorf("the callback set a session cookie %s", c.Name)
			}
			if s := a.session(); s != "null" {
				t.Errorf("GET /session = %s, want null", s)
			}
			if idp.Exchanges() != 2 {
				t.Errorf("Exchanges() = %d, want 2", idp.Exchanges())
			}
		})
	}
}

// TestServerRejectsIssParam: RFC 9207's iss, when the provider advertises
// it, must come back and be the issuer's.
func TestServerRejectsIssParam(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, IssParam: true, Claims: adaClaims})
	a := newApp(t, idp, nil)
	var csrf struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := json.NewDecoder(a.get("/api/auth/csrf").Body).Decode(&csrf); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/api/auth/signin/corp", strings.NewReader(url.Values{"csrfToken": {csrf.CSRFToken}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cb, err := idp.Authorize(t.Context(), a.do(req).Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := cb.Query()
	q.Set("iss", "https://evil.example")
	cb.RawQuery = q.Encode()
	resp := a.get(strings.TrimPrefix(cb.String(), a.srv.URL))
	if got := resp.Header.Get("Location"); !strings.HasSuffix(got, "/api/auth/signin?error=OAuthCallback") {
		t.Errorf("callback with a wrong iss redirected to %q", got)
	}
	if sessionCookie(resp) != nil || a.session() != "null" {
		t.Error("a session was created")
	}
	if idp.Exchanges() != 0 {
		t.Error("the code was exchanged")
	}
}
