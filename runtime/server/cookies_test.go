package server_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
)

// The cookie naming table (docs/SECURITY.md, "Cookies"): on https every
// cookie is __Host-, which a browser accepts only from the host itself,
// without Domain; with CookieDomain the session token alone is __Secure-
// with that Domain.

// newTLSStoreApp is newStoreApp on https.
func newTLSStoreApp(t *testing.T, strategy server.Strategy) (*app, *faultStore) {
	t.Helper()
	st := newFaultStore()
	return newAppTLS(t, true, func(c *server.Config) {
		c.Strategy, c.Users = strategy, st
		if strategy == server.StrategyDatabase {
			c.Sessions = st
		}
	}), st
}

// plant puts a cookie in the browser as a sibling subdomain could: a
// __Secure- cookie with the parent domain as Domain reaches this host.
func (a *app) plant(name, value string) {
	u, _ := url.Parse(a.origin)
	a.jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/", Secure: true}})
}

// sessionCookieOf returns the value of the session cookie resp set,
// whatever its prefix.
func sessionCookieOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "authgen.session-token") && c.MaxAge >= 0 && c.Value != "" {
			return c.Value
		}
	}
	t.Fatalf("no session cookie set: %v", resp.Header.Values("Set-Cookie"))
	return ""
}

// TestPlantedSessionCookieIgnored: an attacker's session planted by a
// sibling subdomain as __Secure-authgen.session-token (the name https
// sessions had, which a cookie with Domain may carry) is not the victim's
// session: the victim's new provider account is not linked to the
// attacker's user.
func TestPlantedSessionCookieIgnored(t *testing.T) {
	for _, strategy := range []server.Strategy{server.StrategyDatabase, server.StrategyJWT} {
		t.Run(string(strategy), func(t *testing.T) {
			a, st := newTLSStoreApp(t, strategy)
			attacker := a.freshBrowser()
			a.useAccount(666, "Mallory", "mallory@example.com")
			token := sessionCookieOf(t, attacker.signIn("github", "/dashboard"))
			mallory := st.onlyUser(t)

			a.plant("__Secure-authgen.session-token", token)
			a.useAccount(1001, "Alice", "alice@example.com")
			if got := location(t, a.signIn("gitlab", "/dashboard")); got != a.origin+"/dashboard" {
				t.Fatalf("victim's sign-in ended at %q", got)
			}
			if got := st.accounts(t, mallory); !reflect.DeepEqual(got, []string{"github/666"}) {
				t.Errorf("the attacker's user has the accounts %v: the victim's GitLab account was linked to it", got)
			}
			if alice := a.protectedID(); alice == "" || alice == mallory {
				t.Errorf("the victim is signed in as %q (the attacker is %q)", alice, mallory)
			}
		})
	}
}

// TestPlantedCheckCookiesRefused: login CSRF. The attacker starts a
// sign-in, stops before the callback, plants their state and PKCE cookies
// in the victim's browser as __Secure- cookies and sends the victim to the
// callback with the attacker's code: the callback finds no checks of its
// own, refuses, and never exchanges the code.
func TestPlantedCheckCookiesRefused(t *testing.T) {
	a := newAppTLS(t, true)
	attacker := a.freshBrowser()
	callback := attacker.authorize(attacker.startSignIn("github", "/dashboard"))
	u, _ := url.Parse(a.origin)
	planted := 0
	for _, c := range attacker.jar.Cookies(u) {
		for _, base := range []string{"state", "pkce.code_verifier"} {
			if strings.HasSuffix(c.Name, "authgen."+base) {
				a.plant("__Secure-authgen."+base, c.Value)
				planted++
			}
		}
	}
	if planted != 2 {
		t.Fatalf("the attacker's browser holds %d check cookies, want 2", planted)
	}
	resp := a.get(callback)
	if got := location(t, resp); got != a.base+"/signin?error=OAuthCallback" {
		t.Errorf("callback with planted checks redirected to %q, want the sign-in page with OAuthCallback", got)
	}
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "session-token") && c.MaxAge >= 0 {
			t.Errorf("the victim got a session: %v", c)
		}
	}
	if _, tokenCalls := a.idp.counts(); tokenCalls != 0 {
		t.Errorf("the attacker's code was exchanged (%d token requests)", tokenCalls)
	}
}

// TestCookieNamesHTTPS: every cookie an https sign-in and sign-out write
// is __Host-: Secure, Path=/, no Domain.
func TestCookieNamesHTTPS(t *testing.T) {
	a := newAppTLS(t, true)
	var all []*http.Cookie
	csrf := a.get("/api/auth/csrf")
	all = append(all, csrf.Cookies()...)
	form := url.Values{"csrfToken": {decodeJSON[map[string]string](t, csrf)["csrfToken"]}, "callbackUrl": {"/dashboard"}}
	resp := a.postForm("/api/auth/signin/github", form)
	all = append(all, resp.Cookies()...)
	resp = a.get(a.authorize(location(t, resp)))
	all = append(all, resp.Cookies()...)
	all = append(all, a.signOut().Cookies()...)
	seen := map[string]bool{}
	for _, c := range all {
		seen[c.Name] = true
		if !strings.HasPrefix(c.Name, "__Host-authgen.") || !c.Secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly {
			t.Errorf("cookie %s: Secure %v Path %q Domain %q HttpOnly %v, want a __Host- cookie", c.Name, c.Secure, c.Path, c.Domain, c.HttpOnly)
		}
	}
	for _, base := range []string{"csrf-token", "callback-url", "state", "pkce.code_verifier", "session-token"} {
		if !seen["__Host-authgen."+base] {
			t.Errorf("__Host-authgen.%s was never written (wrote %v)", base, seen)
		}
	}
}

// rawBrowser keeps cookies by name without checking their Domain, for an
// application whose public origin (Config.URL) is not the test server's
// address.
type rawBrowser struct {
	t       *testing.T
	a       *app
	client  *http.Client
	cookies map[string]string
	set     []*http.Cookie // every cookie written, in order
}

func newRawBrowser(a *app) *rawBrowser {
	return &rawBrowser{t: a.t, a: a, cookies: map[string]string{}, client: &http.Client{
		Transport:     a.srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends a request to the test server for path (or for the path and
// query of an absolute URL of the application).
func (b *rawBrowser) do(method, target string, form url.Values) *http.Response {
	b.t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		b.t.Fatal(err)
	}
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, b.a.origin+u.RequestURI(), body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { resp.Body.Close() })
	for _, c := range resp.Cookies() {
		b.set = append(b.set, c)
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return resp
}

// TestCookieDomain: with CookieDomain the session token (and its
// deletion) carries the Domain and is __Secure-; the CSRF token, the
// callback URL and the checks stay host-only __Host- cookies.
func TestCookieDomain(t *testing.T) {
	public, _ := url.Parse("https://app.example.com")
	a := newApp(t, func(c *server.Config) { c.URL, c.CookieDomain = public, "example.com" })
	a.idp.set(func(p *idp) {
		for _, c := range p.clients {
			c.redirectURI = strings.Replace(c.redirectURI, a.origin, public.String(), 1)
		}
	})
	b := newRawBrowser(a)
	token := decodeJSON[map[string]string](t, b.do(http.MethodGet, "/api/auth/csrf", nil))["csrfToken"]
	resp := b.do(http.MethodPost, "/api/auth/signin/github", url.Values{"csrfToken": {token}, "callbackUrl": {"/dashboard"}})
	callback := a.authorize(location(t, resp))
	if got := location(t, b.do(http.MethodGet, callback, nil)); got != "https://app.example.com/dashboard" {
		t.Fatalf("sign-in ended at %q", got)
	}
	if body := readBody(t, b.do(http.MethodGet, "/api/auth/session", nil)); !strings.Contains(body, "Monalisa") {
		t.Fatalf("GET /session = %s, want the session", body)
	}
	token = decodeJSON[map[string]string](t, b.do(http.MethodGet, "/api/auth/csrf", nil))["csrfToken"]
	b.do(http.MethodPost, "/api/auth/signout", url.Values{"csrfToken": {token}})
	if _, ok := b.cookies["__Secure-authgen.session-token"]; ok {
		t.Error("sign-out left the shared session cookie")
	}

	sessions := 0
	for _, c := range b.set {
		switch {
		case c.Name == "__Secure-authgen.session-token":
			sessions++
			if c.Domain != "example.com" || !c.Secure || c.Path != "/" || !c.HttpOnly {
				t.Errorf("session cookie: Domain %q Secure %v Path %q HttpOnly %v, want Domain example.com, Secure", c.Domain, c.Secure, c.Path, c.HttpOnly)
			}
		case strings.HasPrefix(c.Name, "__Host-authgen.") && !strings.Contains(c.Name, "session-token"):
			if c.Domain != "" || !c.Secure || c.Path != "/" {
				t.Errorf("%s: Domain %q Secure %v Path %q, want host-only __Host-", c.Name, c.Domain, c.Secure, c.Path)
			}
		default:
			t.Errorf("cookie %s (Domain %q) is neither the shared session nor a __Host- cookie", c.Name, c.Domain)
		}
	}
	if sessions != 2 {
		t.Errorf("the session cookie was written %d times, want 2 (sign-in, sign-out)", sessions)
	}
}

func TestCookieDomainConfig(t *testing.T) {
	for _, domain := range []string{".example.com", "Example.com", "127.0.0.1", "com", "example.com:443"} {
		u, _ := url.Parse("https://app.example.com")
		if _, err := server.New(server.Config{URL: u, Keys: mustKeys(t), CookieDomain: domain}); err == nil || !strings.Contains(err.Error(), "not a domain") {
			t.Errorf("New with CookieDomain %q: %v, want an error", domain, err)
		}
	}
	for _, tt := range []struct {
		url, domain string
		warns       bool
	}{
		{"https://example.com", "example.com", false},
		{"https://auth.example.com", "example.com", false},
		{"http://a.b.example.co.uk:8080", "example.co.uk", false},
		{"http://localhost:3000", "example.com", true},
		{"https://example.com.evil.test", "example.com", true},
	} {
		u, _ := url.Parse(tt.url)
		logs := &syncBuffer{}
		_, err := server.New(server.Config{URL: u, Keys: mustKeys(t), CookieDomain: tt.domain, Logger: slog.New(slog.NewTextHandler(logs, nil))})
		if err != nil {
			t.Errorf("New with CookieDomain %q, URL %s: %v", tt.domain, tt.url, err)
		}
		if warned := strings.Contains(logs.String(), "cookie domain does not hold"); warned != tt.warns {
			t.Errorf("New with CookieDomain %q, URL %s: warned %v, want %v (%s)", tt.domain, tt.url, warned, tt.warns, logs)
		}
	}

	// Outside the domain (development on localhost) cookies are host-only.
	a := newAppTLS(t, true, func(c *server.Config) { c.CookieDomain = "example.com" })
	a.mustSignIn()
	if a.jarCookie("session-token") == "" {
		t.Error("no host-only __Host- session on a host outside CookieDomain")
	}
}

func TestCheckCookieDomain(t *testing.T) {
	for _, ok := range []string{"example.com", "a.b.example.co.uk", "xn--bcher-kva.example", "1password.com"} {
		if err := server.CheckCookieDomain(ok); err != nil {
			t.Errorf("CheckCookieDomain(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "com", ".example.com", "example.com.", "Example.com", "*.example.com", "exa mple.com",
		"example.com:443", "10.0.0.1", "-a.example.com", "a-.example.com", "a..example.com", "example.com/x", "ex\u00e4mple.com"} {
		if err := server.CheckCookieDomain(bad); err == nil {
			t.Errorf("CheckCookieDomain(%q) accepted it", bad)
		}
	}
}

// TestCSRFRotated: the CSRF token changes at sign-in and at sign-out, so a
// token known before either no longer passes.
func TestCSRFRotated(t *testing.T) {
	a := newApp(t)
	before := a.csrfToken()
	a.mustSignIn()
	resp := a.postForm("/api/auth/signout", url.Values{"csrfToken": {before}})
	if got := location(t, resp); got != a.base+"/signout?error=MissingCSRF" {
		t.Errorf("sign-out with the token from before sign-in redirected to %q, want MissingCSRF", got)
	}
	if body, _ := a.sessionJSON(); body == "null" {
		t.Fatal("the session ended")
	}
	signedIn := a.csrfToken()
	if signedIn == before {
		t.Fatal("the CSRF token did not change at sign-in")
	}
	a.postForm("/api/auth/signout", url.Values{"csrfToken": {signedIn}})
	if body, _ := a.sessionJSON(); body != "null" {
		t.Fatalf("sign-out with the current token left the session %s", body)
	}
	if after := a.csrfToken(); after == signedIn {
		t.Error("the CSRF token did not change at sign-out")
	}
	resp = a.postForm("/api/auth/session", url.Values{"csrfToken": {signedIn}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /session with the token from before sign-out: %s, want 400", resp.Status)
	}
}

// TestSessionForwardedOrigin: Session refuses a request whose forwarded
// origin is refused, with ErrForwarded, rather than reading a session for
// some other origin.
func TestSessionForwardedOrigin(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.TrustHost = true })
	r, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, a.origin+"/", nil)
	r.Header.Set("X-Forwarded-Host", "app.example?x=1")
	if _, err := a.auth.Session(r); !errors.Is(err, server.ErrForwarded) || !strings.Contains(err.Error(), "X-Forwarded-Host") {
		t.Errorf("Session = %v, want ErrForwarded", err)
	}
}

func mustKeys(t *testing.T) *keys.Set {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return ks
}
