package server_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

// clock is a fake clock safe for use from handlers.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// newClock starts at the current second. The clock is anchored to the wall
// clock because cookie.Jar computes Max-Age with time.Until, which a fake
// clock far from the real one would turn into one-second cookies.
func newClock() *clock { return &clock{now: time.Now().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer is a log sink safe for use from handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func randomString(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// idp is a GitHub-like OAuth 2.0 provider: an authorize endpoint that
// redirects back with code and state, a token endpoint checking client
// authentication, redirect_uri and PKCE, and the /user and /user/emails APIs.
type idp struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	clients     map[string]*idpClient // by client ID
	codes       map[string]idpGrant
	accessToken string
	user        string
	emails      string
	deny        bool // the user refuses on the consent screen
	tokenError  bool // the token endpoint answers invalid_grant
	userError   bool // /user answers 500
	authorizes  int
	tokenCalls  int
	states      []string // state values received at the authorize endpoint
}

type idpClient struct {
	secret      string
	redirectURI string
}

type idpGrant struct {
	clientID    string
	redirectURI string
	challenge   string
}

func newIDP(t *testing.T) *idp {
	t.Helper()
	p := &idp{
		t:           t,
		clients:     map[string]*idpClient{},
		codes:       map[string]idpGrant{},
		accessToken: randomString(t, "gho_"),
		user:        `{"id":583231,"login":"octocat","name":"Monalisa Octocat","email":null,"avatar_url":"https://avatars.example/u/583231?v=4"}`,
		emails:      `[{"email":"octocat@users.noreply.example","primary":false,"verified":true},{"email":"Mona@Example.com","primary":true,"verified":true}]`,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/oauth/authorize", p.authorize)
	mux.HandleFunc("POST /login/oauth/access_token", p.token)
	mux.HandleFunc("GET /user", p.userinfo)
	mux.HandleFunc("GET /user/emails", p.userEmails)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) authorize(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.authorizes++
	q := r.URL.Query()
	c, ok := p.clients[q.Get("client_id")]
	if !ok || q.Get("response_type") != "code" || q.Get("redirect_uri") != c.redirectURI {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	if q.Has("code_challenge") && q.Get("code_challenge_method") != "S256" {
		http.Error(w, "plain PKCE refused", http.StatusBadRequest)
		return
	}
	p.states = append(p.states, q.Get("state"))
	back := url.Values{}
	if q.Has("state") {
		back.Set("state", q.Get("state"))
	}
	if p.deny {
		back.Set("error", "access_denied")
	} else {
		code := randomString(p.t, "code_")
		p.codes[code] = idpGrant{clientID: q.Get("client_id"), redirectURI: c.redirectURI, challenge: q.Get("code_challenge")}
		back.Set("code", code)
	}
	http.Redirect(w, r, c.redirectURI+"?"+back.Encode(), http.StatusFound)
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (p *idp) token(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenCalls++
	if err := r.ParseForm(); err != nil {
		tokenError(w, 400, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	c := p.clients[id]
	if !ok || c == nil || secret != c.secret {
		tokenError(w, 401, "invalid_client")
		return
	}
	if p.tokenError {
		// A body that echoes credentials, which must never reach a log.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_grant","client_secret":"`+c.secret+`","code":"`+r.PostForm.Get("code")+`"}`)
		return
	}
	code := r.PostForm.Get("code")
	g, ok := p.codes[code]
	delete(p.codes, code)
	if !ok || g.clientID != id || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != g.redirectURI {
		tokenError(w, 400, "invalid_grant")
		return
	}
	if g.challenge != "" {
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			tokenError(w, 400, "invalid_grant")
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": p.accessToken, "token_type": "bearer", "scope": "read:user,user:email"})
}

func (p *idp) bearer(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+p.accessToken {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return false
	}
	return true
}

func (p *idp) userinfo(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.bearer(w, r) {
		return
	}
	if p.userError {
		http.Error(w, `{"message":"error for token `+p.accessToken+`"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, p.user)
}

func (p *idp) userEmails(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.bearer(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, p.emails)
}

func (p *idp) set(f func(p *idp)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

func (p *idp) counts() (authorizes, tokenCalls int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.authorizes, p.tokenCalls
}

// ghProfile is the part of GitHub's /user the test maps.
type ghProfile struct {
	ID        json.Number `json:"id"`
	Login     string      `json:"login"`
	Name      string      `json:"name"`
	Email     string      `json:"email"`
	AvatarURL string      `json:"avatar_url"`
}

// provider registers a client at the idp and describes it as a provider of
// the app at origin.
func (p *idp) provider(t *testing.T, id, name string, checks oauth.Check, origin string) *oauth.Provider {
	t.Helper()
	clientID, secret := randomString(t, id+"-client-"), randomString(t, id+"-secret-")
	p.set(func(p *idp) {
		p.clients[clientID] = &idpClient{secret: secret, redirectURI: origin + "/api/auth/callback/" + id}
	})
	return &oauth.Provider{
		ID:               id,
		Name:             name,
		Type:             oauth.TypeOAuth,
		ClientID:         clientID,
		ClientSecret:     secret,
		AuthorizationURL: p.srv.URL + "/login/oauth/authorize",
		TokenURL:         p.srv.URL + "/login/oauth/access_token",
		UserinfoURL:      p.srv.URL + "/user",
		Scopes:           []string{"read:user", "user:email"},
		Checks:           checks,
		Profile: oauth.Map(func(g *ghProfile) oauth.User {
			return oauth.User{ID: g.ID.String(), Name: g.Name, Email: g.Email, Image: g.AvatarURL}
		}, nil),
		Enrich: oauth.GitHubEmails,
	}
}

// app is an application mounting the auth server, with a browser.
type app struct {
	t      *testing.T
	idp    *idp
	clock  *clock
	logs   *syncBuffer
	keys   *keys.Set
	cfg    server.Config
	auth   *server.Auth
	srv    *httptest.Server
	origin string
	base   string // origin + /api/auth

	jar      *cookiejar.Jar
	follow   *http.Client // follows redirects on the app and the idp only
	noFollow *http.Client

	github *oauth.Provider // PKCE and state
	gitlab *oauth.Provider // PKCE only
}

type appOption func(*server.Config)

func newApp(t *testing.T, opts ...appOption) *app {
	return newAppTLS(t, false, opts...)
}

func newAppTLS(t *testing.T, useTLS bool, opts ...appOption) *app {
	t.Helper()
	a := &app{t: t, idp: newIDP(t), clock: newClock(), logs: &syncBuffer{}}
	a.srv = httptest.NewUnstartedServer(nil)
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	a.origin = scheme + "://" + a.srv.Listener.Addr().String()
	a.base = a.origin + "/api/auth"
	var err error
	a.keys, err = keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	a.github = a.idp.provider(t, "github", "GitHub", oauth.PKCE|oauth.State, a.origin)
	a.gitlab = a.idp.provider(t, "gitlab", "GitLab", oauth.PKCE, a.origin)
	origin, _ := url.Parse(a.origin)
	a.cfg = server.Config{
		URL:        origin,
		Keys:       a.keys,
		Providers:  []*oauth.Provider{a.github, a.gitlab},
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: a.idp.srv.Client(),
		Now:        a.clock.Now,
	}
	for _, o := range opts {
		o(&a.cfg)
	}
	a.auth, err = server.New(a.cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}

	mux := http.NewServeMux()
	mux.Handle("/api/auth/", a.auth)
	mux.Handle("/protected", a.auth.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := server.FromContext(r.Context())
		if !ok {
			http.Error(w, "no session in context", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": s.User.ID, "name": s.User.Name, "email": s.User.Email, "provider": s.Provider})
	})))
	mux.Handle("/optional", a.auth.WithSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s, ok := server.FromContext(r.Context()); ok {
			_, _ = io.WriteString(w, "hello "+s.User.Name)
			return
		}
		_, _ = io.WriteString(w, "anonymous")
	})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "app page "+r.URL.Path)
	})
	a.srv.Config.Handler = mux
	if useTLS {
		a.srv.StartTLS()
	} else {
		a.srv.Start()
	}
	t.Cleanup(a.srv.Close)

	a.jar, err = cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	appHost, idpHost := a.srv.Listener.Addr().String(), a.idp.srv.Listener.Addr().String()
	transport := a.srv.Client().Transport
	a.follow = &http.Client{Jar: a.jar, Transport: transport, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > 10 {
			return errors.New("too many redirects")
		}
		if req.URL.Host != appHost && req.URL.Host != idpHost {
			return http.ErrUseLastResponse // never leave the test's servers
		}
		return nil
	}}
	a.noFollow = &http.Client{Jar: a.jar, Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return a
}

// cookieName is the full name of an authgen cookie for the app's scheme:
// on https every cookie is __Host- (see cookies_test.go).
func (a *app) cookieName(base string) string {
	if !strings.HasPrefix(a.origin, "https:") {
		return "authgen." + base
	}
	return "__Host-authgen." + base
}

func (a *app) do(c *http.Client, req *http.Request) *http.Response {
	a.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (a *app) newRequest(method, target string, body io.Reader) *http.Request {
	a.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = a.origin + target
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		a.t.Fatal(err)
	}
	return req
}

// get requests target without following redirects.
func (a *app) get(target string, header ...string) *http.Response {
	a.t.Helper()
	req := a.newRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return a.do(a.noFollow, req)
}

// postForm posts form to target without following redirects.
func (a *app) postForm(target string, form url.Values, header ...string) *http.Response {
	a.t.Helper()
	req := a.newRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return a.do(a.noFollow, req)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decodeJSON[T any](t *testing.T, resp *http.Response) T {
	t.Helper()
	var v T
	body := readBody(t, resp)
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

// csrfToken fetches a CSRF token (and its cookie, into the jar).
func (a *app) csrfToken() string {
	a.t.Helper()
	resp := a.get("/api/auth/csrf")
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET /csrf: %s", resp.Status)
	}
	return decodeJSON[map[string]string](a.t, resp)["csrfToken"]
}

// location returns the Location header of a redirect.
func location(t *testing.T, resp *http.Response) string {
	t.Helper()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("%s %s: status %s, want 302 (body %q)", resp.Request.Method, resp.Request.URL, resp.Status, readBody(t, resp))
	}
	return resp.Header.Get("Location")
}

// startSignIn posts to /signin/{provider} and returns the redirect to the
// provider.
func (a *app) startSignIn(provider, callbackURL string) string {
	a.t.Helper()
	form := url.Values{"csrfToken": {a.csrfToken()}}
	if callbackURL != "" {
		form.Set("callbackUrl", callbackURL)
	}
	return location(a.t, a.postForm("/api/auth/signin/"+provider, form))
}

// authorize has the browser visit the provider's authorize URL and returns
// the provider's redirect back to the callback.
func (a *app) authorize(authURL string) string {
	a.t.Helper()
	if !strings.HasPrefix(authURL, a.idp.srv.URL+"/login/oauth/authorize?") {
		a.t.Fatalf("sign-in redirected to %q, not the provider", authURL)
	}
	return location(a.t, a.get(authURL))
}

// signIn runs a whole sign-in with provider and returns the final response
// of the callback (not followed).
func (a *app) signIn(provider, callbackURL string) *http.Response {
	a.t.Helper()
	cb := a.authorize(a.startSignIn(provider, callbackURL))
	return a.get(cb)
}

// mustSignIn signs in with GitHub and checks it worked.
func (a *app) mustSignIn() {
	a.t.Helper()
	resp := a.signIn("github", "/dashboard")
	if got := location(a.t, resp); got != a.origin+"/dashboard" {
		a.t.Fatalf("sign-in ended at %q, want %q", got, a.origin+"/dashboard")
	}
	if a.jarCookie("session-token") == "" {
		a.t.Fatal("no session cookie after sign-in")
	}
}

// jarCookie returns the value of an authgen cookie in the browser's jar.
func (a *app) jarCookie(base string) string {
	u, _ := url.Parse(a.origin)
	for _, c := range a.jar.Cookies(u) {
		if c.Name == a.cookieName(base) {
			return c.Value
		}
	}
	return ""
}

// setJarCookie replaces (or with value "" removes) a cookie in the jar.
func (a *app) setJarCookie(name, value string) {
	u, _ := url.Parse(a.origin)
	c := &http.Cookie{Name: name, Value: value, Path: "/"}
	if value == "" {
		c.MaxAge = -1
	}
	a.jar.SetCookies(u, []*http.Cookie{c})
}

// setCookies returns the cookies a response set, by name.
func setCookies(resp *http.Response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range resp.Cookies() {
		out[c.Name] = c
	}
	return out
}

// sessionJSON fetches GET /session and returns the raw body.
func (a *app) sessionJSON() (string, *http.Response) {
	a.t.Helper()
	resp := a.get("/api/auth/session")
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET /session: %s", resp.Status)
	}
	return strings.TrimSpace(readBody(a.t, resp)), resp
}

func base64URLDecode(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return string(b), err
}
