package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// Helpers shared by tokens_test.go, oauth1_test.go and realop_test.go: an
// application in front of an authtest provider (or a real OpenID provider),
// a browser with a cookie jar, direct ProviderToken calls, and an HTTP
// transport that records what the server asked the provider.

// corpProfile is the small claims struct the tests' providers map.
type corpProfile struct {
	Sub               string `json:"sub"`
	ID                string `json:"id"`
	Email             string `json:"email"`
	EmailVerified     bool   `json:"email_verified"`
	Name              string `json:"name"`
	PreferredUsername string `json:"preferred_username"`
}

func corpUser(p *corpProfile) oauth.User {
	id := p.Sub
	if id == "" {
		id = p.ID
	}
	return oauth.User{ID: id, Name: p.Name, Email: p.Email, EmailVerified: p.EmailVerified}
}

// exchange is one request the server made to a provider: method, URL
// without query, and for the OAuth 1.0a request-token endpoint the response
// body (to learn the request secret the browser must never see).
type exchange struct {
	Method, URL string
	Form        url.Values
	Status      int
	Body        string
}

// recordingTransport records the server's requests to providers. It keeps
// the form of token requests (grant_type, refresh_token) so that tests can
// tell which refresh token a refresh used.
type recordingTransport struct {
	base http.RoundTripper
	// keepBody, when it returns true for a URL, keeps the response body.
	keepBody func(u *url.URL) bool

	mu  sync.Mutex
	log []exchange
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := exchange{Method: req.Method, URL: req.URL.Scheme + "://" + req.URL.Host + req.URL.Path}
	if req.Body != nil && req.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.Form, _ = url.ParseQuery(string(b))
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := rt.base.RoundTrip(req)
	if err == nil {
		ex.Status = resp.StatusCode
		if rt.keepBody != nil && rt.keepBody(req.URL) {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr != nil {
				return nil, rerr
			}
			ex.Body = string(b)
			resp.Body = io.NopCloser(bytes.NewReader(b))
		}
	}
	rt.mu.Lock()
	rt.log = append(rt.log, ex)
	rt.mu.Unlock()
	return resp, err
}

// requests returns the recorded requests whose method and URL (without
// query) match; an empty method matches any.
func (rt *recordingTransport) requests(method, u string) []exchange {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var out []exchange
	for _, ex := range rt.log {
		if (method == "" || ex.Method == method) && ex.URL == u {
			out = append(out, ex)
		}
	}
	return out
}

// refreshes returns the recorded refresh_token grants at tokenURL.
func (rt *recordingTransport) refreshes(tokenURL string) []exchange {
	var out []exchange
	for _, ex := range rt.requests(http.MethodPost, tokenURL) {
		if ex.Form.Get("grant_type") == "refresh_token" {
			out = append(out, ex)
		}
	}
	return out
}

// browser is a user agent with a cookie jar that does not follow
// redirects.
type browser struct {
	t      *testing.T
	jar    *cookiejar.Jar
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, jar: jar, client: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

func (b *browser) do(req *http.Request) *http.Response {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Redacted(), err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Redacted(), err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

func (b *browser) get(target string) *http.Response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) postForm(target string, form url.Values) *http.Response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// csrf fetches a CSRF token from the API at base (origin + /api/auth).
func (b *browser) csrf(base string) string {
	b.t.Helper()
	resp := b.get(base + "/csrf")
	var v struct {
		CSRFToken string `json:"csrfToken"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.CSRFToken == "" {
		b.t.Fatalf("GET %s/csrf: %s, %v", base, resp.Status, err)
	}
	return v.CSRFToken
}

// cookie returns the value of the named cookie the jar holds for origin.
func (b *browser) cookie(origin, name string) string {
	u, _ := url.Parse(origin)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie puts (or with "" removes) a cookie for origin in the jar.
func (b *browser) setCookie(origin, name, value string) {
	u, _ := url.Parse(origin)
	c := &http.Cookie{Name: name, Value: value, Path: "/"}
	if value == "" {
		c.MaxAge = -1
	}
	b.jar.SetCookies(u, []*http.Cookie{c})
}

// sessionBody returns the body of GET /session.
func (b *browser) sessionBody(base string) string {
	b.t.Helper()
	return strings.TrimSpace(readBody(b.t, b.get(base+"/session")))
}

// providerToken calls auth.ProviderToken for a request of this browser to
// origin, as an application handler would, and stores the cookies the call
// set in the jar. It returns the call's response too, for its Set-Cookie.
func (b *browser) providerToken(auth *server.Auth, origin, provider string) (*oauth2.Token, *http.Response, error) {
	req := httptest.NewRequest(http.MethodGet, origin+"/api/data", nil)
	u, _ := url.Parse(origin)
	for _, c := range b.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	tok, err := auth.ProviderToken(rec, req, provider)
	resp := rec.Result()
	b.jar.SetCookies(u, resp.Cookies())
	return tok, resp, err
}

// tokApp is an application serving authgen's API with providers pointed at
// one authtest provider.
type tokApp struct {
	t      *testing.T
	idp    *authtest.Provider
	clock  *clock
	keys   *keys.Set
	mem    *memstore.Store // nil without a store
	cfg    server.Config
	auth   *server.Auth
	srv    *httptest.Server
	origin string
	base   string
	rec    *recordingTransport
	logs   *syncBuffer
	// front serves the app's address: the instance itself, or a router
	// in front of several instances sharing the origin (see route). A
	// shared instance (tokConfig.shared) has no server of its own.
	front atomic.Pointer[http.Handler]

	mu sync.Mutex
	// atSignIn are the provider tokens the JWT callback saw in the claims
	// of the last sign-in (encrypted JWT sessions).
	atSignIn *session.AccountTokens
}

// tokConfig describes a tokApp.
type tokConfig struct {
	idp *authtest.Provider
	// provider builds the provider (default: an OAuth 2.0 provider "corp"
	// with the idp's endpoints, PKCE and state).
	provider func(idp *authtest.Provider) *oauth.Provider
	// extra providers, after corp.
	extra []*oauth.Provider
	// configure changes the server's Config before New.
	configure func(c *server.Config)
	// shared, when set, shares keys, store, clock and origin with another
	// app: a second instance behind the same public URL.
	shared *tokApp
}

func corpProvider(idp *authtest.Provider) *oauth.Provider {
	return &oauth.Provider{
		ID:               "corp",
		Name:             "Corp",
		Type:             oauth.TypeOAuth,
		ClientID:         idp.ClientID,
		ClientSecret:     idp.ClientSecret,
		AuthorizationURL: idp.AuthorizationURL(),
		TokenURL:         idp.TokenURL(),
		UserinfoURL:      idp.UserinfoURL(),
		Scopes:           []string{"read", "write"},
		Checks:           oauth.PKCE | oauth.State,
		Profile:          oauth.Map(corpUser, nil),
	}
}

func newTokApp(t *testing.T, tc tokConfig) *tokApp {
	t.Helper()
	a := &tokApp{t: t, idp: tc.idp, logs: &syncBuffer{}}
	a.rec = &recordingTransport{
		base: tc.idp.Client().Transport,
		// OAuth 1.0a: keep the request-token responses, whose secret the
		// browser must never see.
		keepBody: func(u *url.URL) bool { return u.String() == tc.idp.RequestTokenURL() },
	}
	if tc.shared == nil {
		a.srv = httptest.NewUnstartedServer(nil)
	}
	if s := tc.shared; s != nil {
		a.clock, a.keys, a.mem, a.origin = s.clock, s.keys, s.mem, s.origin
	} else {
		a.clock, a.mem = newClock(), memstore.New()
		a.origin = "http://" + a.srv.Listener.Addr().String()
		var err error
		if a.keys, err = keys.Generate(); err != nil {
			t.Fatal(err)
		}
	}
	a.base = a.origin + "/api/auth"
	mk := tc.provider
	if mk == nil {
		mk = corpProvider
	}
	origin, _ := url.Parse(a.origin)
	a.cfg = server.Config{
		URL:        origin,
		Keys:       a.keys,
		Providers:  append([]*oauth.Provider{mk(tc.idp)}, tc.extra...),
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: &http.Client{Transport: a.rec},
		Now:        a.clock.Now,
		Users:      a.mem,
		Sessions:   a.mem,
		Strategy:   server.StrategyDatabase,
	}
	if tc.configure != nil {
		tc.configure(&a.cfg)
	}
	if a.cfg.Callbacks.JWT == nil {
		a.cfg.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			if in.Claims.Account != nil && (in.Trigger == server.TriggerSignIn || in.Trigger == server.TriggerSignUp) {
				acc := *in.Claims.Account
				a.mu.Lock()
				a.atSignIn = &acc
				a.mu.Unlock()
			}
			return nil
		}
	}
	if a.cfg.Users == nil {
		a.mem = nil
	}
	var err error
	if a.auth, err = server.New(a.cfg); err != nil {
		t.Fatalf("server.New: %v", err)
	}
	var h http.Handler = a.auth
	a.front.Store(&h)
	if a.srv != nil {
		a.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			(*a.front.Load()).ServeHTTP(w, r)
		})
		a.srv.Start()
		t.Cleanup(a.srv.Close)
	}
	return a
}

// route replaces what serves the app's address (a load balancer in front
// of several instances).
func (a *tokApp) route(h http.Handler) { a.front.Store(&h) }

// withoutStore makes a JWT application without Users and Sessions.
func withoutStore(c *server.Config) {
	c.Users, c.Sessions, c.Strategy = nil, nil, server.StrategyJWT
}

// signIn runs a sign-in with provider id through the HTTP API, playing the
// user at the authtest provider, and returns the callback's response.
func (a *tokApp) signIn(b *browser, id string) *http.Response {
	a.t.Helper()
	form := url.Values{"csrfToken": {b.csrf(a.base)}, "callbackUrl": {a.origin + "/dashboard"}}
	resp := b.postForm(a.base+"/signin/"+id, form)
	if resp.StatusCode != http.StatusFound {
		a.t.Fatalf("POST /signin/%s: %s", id, resp.Status)
	}
	cb, err := a.idp.CallbackRequest(a.t.Context(), resp.Header.Get("Location"))
	if err != nil {
		a.t.Fatalf("authorize at the provider: %v", err)
	}
	return b.do(cb)
}

// mustSignIn signs in and checks the callback ended at the callbackUrl.
func (a *tokApp) mustSignIn(b *browser, id string) {
	a.t.Helper()
	resp := a.signIn(b, id)
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != a.origin+"/dashboard" {
		a.t.Fatalf("sign-in ended with %s to %q (logs: %s)", resp.Status, got, a.logs.String())
	}
}

// onlyAccount returns the single account the store holds for provider, and
// its user (the tests' user is ada@example.com), with its tokens opened as
// the server reads them.
func (a *tokApp) onlyAccount(provider string) (userID string, acc store.Account) {
	a.t.Helper()
	userID, acc = a.storedAccount(provider)
	return userID, openAccounts(a.t, a.keys, acc)[0]
}

// storedAccount is onlyAccount as the store holds it: tokens sealed.
func (a *tokApp) storedAccount(provider string) (userID string, acc store.Account) {
	a.t.Helper()
	if a.mem == nil {
		a.t.Fatal("the app has no store")
	}
	u, err := a.mem.GetUserByEmail(a.t.Context(), "ada@example.com")
	if err != nil {
		a.t.Fatalf("the user is not in the store: %v", err)
	}
	accounts, err := a.mem.ListAccounts(a.t.Context(), u.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	var found []store.Account
	for _, ac := range accounts {
		if ac.Provider == provider {
			found = append(found, ac)
		}
	}
	if len(found) != 1 {
		a.t.Fatalf("%d %s accounts in the store, want 1", len(found), provider)
	}
	return u.ID, found[0]
}

// signInTokens returns the provider tokens the last sign-in kept: the
// stored account's, or those the JWT callback saw in the session's claims.
func (a *tokApp) signInTokens() *oauth2.Token {
	a.t.Helper()
	if a.mem != nil {
		_, acc := a.onlyAccount("corp")
		return &oauth2.Token{AccessToken: acc.AccessToken, RefreshToken: acc.RefreshToken, Expiry: time.Unix(acc.ExpiresAt, 0)}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.atSignIn == nil {
		a.t.Fatal("the session carries no provider tokens")
	}
	return &oauth2.Token{AccessToken: a.atSignIn.AccessToken, RefreshToken: a.atSignIn.RefreshToken, Expiry: time.Unix(a.atSignIn.ExpiresAt, 0)}
}

// mustNotContain fails when s contains any of the secrets.
func mustNotContain(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%s contains a secret (%.6s…): %s", what, sec, s)
		}
	}
}
