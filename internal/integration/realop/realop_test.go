package realop_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// OpenID Connect against real OpenID providers built from Go modules (Dex
// and the zitadel/oidc example OP, see internal/integration/testsvc): discovery, code
// with PKCE, nonce, ID token, userinfo, refresh and RP-initiated logout,
// with a browser going through each provider's own login form.

// realOP is a running OpenID provider and how to log in at it.
type realOP struct {
	id                     string
	issuer                 string
	clientID, clientSecret string
	scopes                 []string
	email                  string
	// sub is the user's subject when the test knows it ("" for Dex,
	// which derives it).
	sub string
	// login submits the provider's login form shown by page (the response
	// to the authorization request) and returns the response to it.
	login func(t *testing.T, c *http.Client, page *http.Response) *http.Response
	// rejectsOldRefreshToken: a rotated-out refresh token fails at once
	// (Dex accepts it for a reuse interval).
	rejectsOldRefreshToken bool
}

// discoveryDoc is the part of the discovery document the test checks.
type discoveryDoc struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	UserinfoEndpoint      string   `json:"userinfo_endpoint"`
	JWKSURI               string   `json:"jwks_uri"`
	EndSessionEndpoint    string   `json:"end_session_endpoint"`
	IDTokenAlgs           []string `json:"id_token_signing_alg_values_supported"`
}

func (op *realOP) discoveryURL() string {
	return strings.TrimSuffix(op.issuer, "/") + "/.well-known/openid-configuration"
}

func (op *realOP) discovery(t *testing.T) discoveryDoc {
	t.Helper()
	var d discoveryDoc
	body, err := oauth.Get(t.Context(), http.DefaultClient, http.MethodGet, op.discoveryURL(), &oauth2.Token{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func dexOP(t *testing.T, redirectURI string) *realOP {
	d := testsvc.Dex(t, redirectURI)
	return &realOP{
		id: "dex", issuer: d.Issuer, clientID: d.ClientID, clientSecret: d.ClientSecret,
		scopes: []string{"openid", "profile", "email", "offline_access"},
		email:  d.Email,
		login: func(t *testing.T, c *http.Client, page *http.Response) *http.Response {
			t.Helper()
			// Dex's only connector is its password DB: the request landed
			// on its login form, which posts back to the same URL.
			if !strings.Contains(page.Request.URL.Path, "/auth/local") {
				t.Fatalf("Dex did not show its login form: %s %s", page.Status, page.Request.URL.Redacted())
			}
			return postLogin(t, c, page.Request.URL.String(), url.Values{"login": {d.Email}, "password": {d.Password}})
		},
	}
}

var zitadelLoginID = regexp.MustCompile(`name="id" value="([^"]*)"`)

func zitadelOP(t *testing.T, redirectURI string) *realOP {
	op := testsvc.ZitadelOP(t, redirectURI)
	return &realOP{
		id: "zitadel", issuer: op.Issuer, clientID: op.ClientID, clientSecret: op.ClientSecret,
		// The example OP, too, issues refresh tokens only for offline_access.
		scopes: []string{"openid", "profile", "email", "offline_access"},
		email:  "test-user@zitadel.ch", sub: "id1",
		login: func(t *testing.T, c *http.Client, page *http.Response) *http.Response {
			t.Helper()
			body, _ := io.ReadAll(page.Body)
			m := zitadelLoginID.FindSubmatch(body)
			if m == nil {
				t.Fatalf("the OP did not show its login form: %s %s", page.Status, page.Request.URL.Redacted())
			}
			u := page.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
			return postLogin(t, c, u.String(), url.Values{
				"id": {html.UnescapeString(string(m[1]))}, "username": {op.Username}, "password": {op.Password},
			})
		},
		rejectsOldRefreshToken: true,
	}
}

func postLogin(t *testing.T, c *http.Client, target string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST the login form: %v", err)
	}
	return resp
}

// authorizeAt plays the user at the OP: it follows authURL through the
// OP's pages, logs in when asked, and returns the URL the OP sends the
// browser back to on the application (the callback), without requesting it.
func (op *realOP) authorizeAt(t *testing.T, b *browser, authURL, appOrigin string) *url.URL {
	t.Helper()
	var back *url.URL
	c := &http.Client{Jar: b.jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme+"://"+req.URL.Host == appOrigin {
			back = req.URL
			return http.ErrUseLastResponse
		}
		if len(via) > 10 {
			return errors.New("too many redirects at the OP")
		}
		return nil
	}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, authURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET the authorization URL: %v", err)
	}
	defer resp.Body.Close()
	if back == nil {
		// The OP wants the user to log in.
		resp2 := op.login(t, c, resp)
		defer resp2.Body.Close()
		if back == nil {
			body, _ := io.ReadAll(resp2.Body)
			t.Fatalf("the OP did not send the browser back after the login: %s %s: %.300s", resp2.Status, resp2.Request.URL.Redacted(), body)
		}
	}
	return back
}

// opApp is the application of a real-OP test: instances of the server that
// share keys, store and clock, one of them serving the app's address.
type opApp struct {
	t        *testing.T
	op       *realOP
	origin   string
	base     string
	callback string
	clock    *testkit.Clock
	keys     *keys.Set
	mem      *memstore.Store
	logs     *testkit.LogBuffer
	rec      *recordingTransport
	front    atomic.Pointer[server.Auth]
}

// newOPApp listens first, so that the OP can be started with the app's
// callback URL, then starts the OP and serves the app.
func newOPApp(t *testing.T, start func(t *testing.T, redirectURI string) *realOP, id string) (*opApp, *realOP) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() }) // also when the OP's binary is missing
	origin := "http://" + ln.Addr().String()
	callback := origin + "/api/auth/callback/" + id
	op := start(t, callback) // skips when the OP's binary is missing
	a := &opApp{
		t: t, op: op, origin: origin, base: origin + "/api/auth", callback: callback,
		clock: testkit.NewClock(), mem: memstore.New(), logs: &testkit.LogBuffer{},
		rec: &recordingTransport{base: http.DefaultTransport},
	}
	if a.keys, err = keys.Generate(); err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.front.Load().ServeHTTP(w, r)
	})}}
	a.front.Store(a.instance(nil))
	srv.Start()
	t.Cleanup(srv.Close)
	return a, op
}

// provider describes the OP as the issue asks.
func (a *opApp) provider() *oauth.Provider {
	return &oauth.Provider{
		ID:            a.op.id,
		Name:          a.op.id,
		Type:          oauth.TypeOIDC,
		Issuer:        a.op.issuer,
		ClientID:      a.op.clientID,
		ClientSecret:  a.op.clientSecret,
		Scopes:        a.op.scopes,
		Checks:        oauth.PKCE | oauth.Nonce | oauth.State,
		FetchUserinfo: true,
		Logout:        true,
		Profile:       oauth.Map(corpUser, nil),
	}
}

// instance makes a server for the app; change may adjust its provider.
func (a *opApp) instance(change func(p *oauth.Provider)) *server.Auth {
	a.t.Helper()
	p := a.provider()
	if change != nil {
		change(p)
	}
	origin, _ := url.Parse(a.origin)
	auth, err := server.New(server.Config{
		URL:        origin,
		Keys:       a.keys,
		Providers:  []*oauth.Provider{p},
		Strategy:   server.StrategyDatabase,
		Users:      a.mem,
		Sessions:   a.mem,
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: &http.Client{Transport: a.rec, Timeout: 30 * time.Second},
		Now:        a.clock.Now,
	})
	if err != nil {
		a.t.Fatalf("server.New: %v", err)
	}
	return auth
}

// beginSignIn posts to /signin/{id} and returns the authorization URL.
func (a *opApp) beginSignIn(b *browser) string {
	a.t.Helper()
	resp := b.postForm(a.base+"/signin/"+a.op.id, url.Values{"csrfToken": {b.csrf(a.base)}, "callbackUrl": {a.origin + "/dashboard"}})
	if resp.StatusCode != http.StatusFound {
		a.t.Fatalf("POST /signin/%s: %s (logs: %s)", a.op.id, resp.Status, a.logs)
	}
	return resp.Header.Get("Location")
}

// signIn runs a whole sign-in and checks it ended at the callbackUrl.
func (a *opApp) signIn(b *browser) (authURL string, callback *url.URL) {
	a.t.Helper()
	authURL = a.beginSignIn(b)
	callback = a.op.authorizeAt(a.t, b, authURL, a.origin)
	resp := b.get(callback.String())
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != a.origin+"/dashboard" {
		a.t.Fatalf("callback: %s to %q (logs: %s)", resp.Status, got, a.logs)
	}
	return authURL, callback
}

// account returns the user's only account, its tokens opened as the
// server reads them (the store holds them sealed, which it checks).
func (a *opApp) account() (*store.User, store.Account) {
	a.t.Helper()
	u, err := a.mem.GetUserByEmail(a.t.Context(), a.op.email)
	if err != nil {
		a.t.Fatalf("the OP's user is not in the store: %v", err)
	}
	accounts, err := a.mem.ListAccounts(a.t.Context(), u.ID)
	if err != nil || len(accounts) != 1 {
		a.t.Fatalf("accounts: %d, %v", len(accounts), err)
	}
	acc := accounts[0]
	for _, v := range []string{acc.AccessToken, acc.RefreshToken, acc.IDToken} {
		if v != "" && !strings.HasPrefix(v, atrest.Prefix) {
			a.t.Errorf("a stored token of %s is not sealed", acc.Provider)
		}
	}
	if err := a.sealer().OpenAccount(&acc, a.clock.Now()); err != nil {
		a.t.Fatal(err)
	}
	return u, acc
}

// sealer seals and opens provider tokens as the app's server does.
func (a *opApp) sealer() *atrest.Sealer {
	a.t.Helper()
	s, err := atrest.New(a.keys, a.clock.Now())
	if err != nil {
		a.t.Fatal(err)
	}
	return s
}

// signOutOn posts /signout (with the CSRF token) through the app's
// address, served for that request by auth.
func (a *opApp) signOutOn(b *browser, auth *server.Auth) *http.Response {
	a.t.Helper()
	prev := a.front.Swap(auth)
	defer a.front.Store(prev)
	return b.postForm(a.base+"/signout", url.Values{"csrfToken": {b.csrf(a.base)}, "callbackUrl": {a.origin + "/signed-out"}})
}

// jwtClaims decodes a JWT's payload without verifying it (the server did).
func jwtClaims(t *testing.T, raw string) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func audience(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, s := range a {
			out = append(out, fmt.Sprint(s))
		}
		return out
	}
	return nil
}

func TestRealOP(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(t *testing.T, redirectURI string) *realOP
	}{
		{"Dex", func(t *testing.T, r string) *realOP { return dexOP(t, r) }},
		{"ZitadelOP", func(t *testing.T, r string) *realOP { return zitadelOP(t, r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := strings.ToLower(strings.TrimSuffix(tc.name, "OP"))
			a, op := newOPApp(t, tc.start, id)
			testRealOP(t, a, op)
		})
	}
}

func testRealOP(t *testing.T, a *opApp, op *realOP) {
	disc := op.discovery(t)
	t.Logf("%s: issuer %s, end_session_endpoint %q, ID token algs %v", op.id, disc.Issuer, disc.EndSessionEndpoint, disc.IDTokenAlgs)
	b := newBrowser(t)

	// Sign-in: discovery, then code + PKCE (S256), state and nonce.
	authURL, callback := a.signIn(b)
	if len(a.rec.requests(http.MethodGet, op.discoveryURL())) == 0 {
		t.Error("the server did not fetch the discovery document")
	}
	au, _ := url.Parse(authURL)
	q := au.Query()
	if got := au.Scheme + "://" + au.Host + au.Path; got != disc.AuthorizationEndpoint {
		t.Errorf("authorization request to %s, want the discovered %s", got, disc.AuthorizationEndpoint)
	}
	challenge := q.Get("code_challenge")
	if q.Get("client_id") != op.clientID || q.Get("redirect_uri") != a.callback || q.Get("response_type") != "code" ||
		q.Get("code_challenge_method") != "S256" || len(challenge) != 43 || len(q.Get("nonce")) < 32 || len(q.Get("state")) < 32 {
		t.Errorf("authorization request %v", q)
	}
	if scopes := strings.Fields(q.Get("scope")); !slices.Equal(scopes, op.scopes) {
		t.Errorf("scope %q, want %q", scopes, op.scopes)
	}
	if callback.Query().Get("state") != q.Get("state") || callback.Query().Get("code") == "" {
		t.Errorf("the OP's callback %v", callback.Query())
	}
	// The code was exchanged with the verifier of that challenge.
	var exchanged []exchange
	for _, ex := range a.rec.requests(http.MethodPost, disc.TokenEndpoint) {
		if ex.Form.Get("grant_type") == "authorization_code" {
			exchanged = append(exchanged, ex)
		}
	}
	if len(exchanged) != 1 || exchanged[0].Status != http.StatusOK {
		t.Fatalf("%d code exchanges", len(exchanged))
	}
	sum := sha256.Sum256([]byte(exchanged[0].Form.Get("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
		t.Error("the token request's code_verifier does not match the code_challenge")
	}
	if exchanged[0].Form.Get("client_secret") != "" {
		t.Error("the client secret was sent in the body (client_secret_basic expected)")
	}
	// The ID token's signature needs the OP's keys; userinfo was fetched.
	if len(a.rec.requests(http.MethodGet, disc.JWKSURI)) == 0 {
		t.Error("the server never fetched the OP's JWKS")
	}
	if ui := a.rec.requests(http.MethodGet, disc.UserinfoEndpoint); len(ui) != 1 || ui[0].Status != http.StatusOK {
		t.Errorf("userinfo requests: %+v", ui)
	}

	// The session is the OP's user; the account keeps the verified ID token.
	if s := b.sessionBody(a.base); !strings.Contains(s, `"email":"`+op.email+`"`) {
		t.Errorf("GET /session = %s", s)
	}
	user, acc := a.account()
	if acc.Provider != op.id || acc.Type != "oidc" || acc.AccessToken == "" || acc.RefreshToken == "" || acc.IDToken == "" || acc.ExpiresAt == 0 {
		t.Fatalf("stored account: provider %q type %q, access %v refresh %v id token %v expires %d",
			acc.Provider, acc.Type, acc.AccessToken != "", acc.RefreshToken != "", acc.IDToken != "", acc.ExpiresAt)
	}
	claims := jwtClaims(t, acc.IDToken)
	if claims["iss"] != disc.Issuer || !slices.Contains(audience(claims["aud"]), op.clientID) || claims["nonce"] != q.Get("nonce") {
		t.Errorf("ID token iss %v aud %v nonce matches %v", claims["iss"], claims["aud"], claims["nonce"] == q.Get("nonce"))
	}
	if claims["sub"] != acc.ProviderAccountID || (op.sub != "" && acc.ProviderAccountID != op.sub) {
		t.Errorf("account id %q, ID token sub %v, want %q", acc.ProviderAccountID, claims["sub"], op.sub)
	}
	t.Logf("%s: user %s signed in as sub %s, scope %q, access token expires in %v",
		op.id, user.Email, acc.ProviderAccountID, acc.Scope, time.Until(time.Unix(acc.ExpiresAt, 0)).Round(time.Second))

	// Sanity: replaying the callback fails (its check cookies are gone,
	// and the code is spent).
	if got := b.get(callback.String()).Header.Get("Location"); got != a.base+"/signin?error=OAuthCallback" {
		t.Errorf("a replayed callback went to %q, want OAuthCallback", got)
	}
	if n := len(a.rec.requests(http.MethodPost, disc.TokenEndpoint)); n != 1 {
		t.Errorf("%d token requests after the replay, want 1", n)
	}

	// ProviderToken: the stored access token, as it is.
	auth := a.front.Load()
	tok, _, err := b.providerToken(auth, a.origin, op.id)
	if err != nil || tok.AccessToken != acc.AccessToken {
		t.Fatalf("ProviderToken: %v (same token %v)", err, err == nil && tok.AccessToken == acc.AccessToken)
	}
	if r := a.rec.refreshes(disc.TokenEndpoint); len(r) != 0 {
		t.Errorf("a valid token was refreshed")
	}

	// The access token has expired (as the store says): ProviderToken
	// refreshes it at the OP and keeps the new tokens.
	expired := acc
	expired.ExpiresAt = a.clock.Now().Add(-time.Minute).Unix()
	a.sealer().SealAccount(&expired)
	if err := a.mem.UpdateAccount(t.Context(), expired); err != nil {
		t.Fatal(err)
	}
	tok, _, err = b.providerToken(auth, a.origin, op.id)
	if err != nil {
		t.Fatalf("ProviderToken after expiry: %v (logs: %s)", err, a.logs)
	}
	r := a.rec.refreshes(disc.TokenEndpoint)
	if len(r) != 1 || r[0].Status != http.StatusOK || r[0].Form.Get("refresh_token") != acc.RefreshToken {
		t.Fatalf("refresh requests: %d", len(r))
	}
	_, acc2 := a.account()
	if tok.AccessToken == acc.AccessToken || acc2.AccessToken != tok.AccessToken || acc2.ExpiresAt != tok.Expiry.Unix() {
		t.Errorf("refreshed token: new %v, stored %v, expiry stored %v", tok.AccessToken != acc.AccessToken, acc2.AccessToken == tok.AccessToken, acc2.ExpiresAt == tok.Expiry.Unix())
	}
	if acc2.RefreshToken == "" || acc2.RefreshToken == acc.RefreshToken || acc2.RefreshToken != tok.RefreshToken {
		t.Errorf("the rotated refresh token was not kept (rotated %v, stored %v)", tok.RefreshToken != acc.RefreshToken, acc2.RefreshToken == tok.RefreshToken)
	}
	// The OP accepts the new access token.
	if _, err := oauth.Get(t.Context(), http.DefaultClient, http.MethodGet, disc.UserinfoEndpoint, tok, nil); err != nil {
		t.Errorf("the OP refuses the refreshed access token: %v", err)
	}
	if again, _, err := b.providerToken(auth, a.origin, op.id); err != nil || again.AccessToken != tok.AccessToken || len(a.rec.refreshes(disc.TokenEndpoint)) != 1 {
		t.Errorf("second call after the refresh: %v", err)
	}
	if op.rejectsOldRefreshToken {
		cfg := &oauth2.Config{ClientID: op.clientID, ClientSecret: op.clientSecret, Endpoint: oauth2.Endpoint{TokenURL: disc.TokenEndpoint}}
		if _, err := cfg.TokenSource(t.Context(), &oauth2.Token{RefreshToken: acc.RefreshToken}).Token(); err == nil {
			t.Error("the OP still accepts the rotated-out refresh token")
		}
	}

	t.Run("refresh-after-clock-advance", func(t *testing.T) {
		_, cur := a.account()
		a.clock.Advance(time.Until(time.Unix(cur.ExpiresAt, 0)) + time.Minute)
		tok, _, err := b.providerToken(auth, a.origin, op.id)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(a.rec.refreshes(disc.TokenEndpoint)); n != 2 || tok.AccessToken == cur.AccessToken {
			t.Fatalf("%d refresh requests, new token %v", n, tok.AccessToken != cur.AccessToken)
		}
		if _, now := a.account(); now.AccessToken != tok.AccessToken || now.RefreshToken == cur.RefreshToken {
			t.Error("the refreshed tokens were not stored")
		}
	})

	// Sign-out with Logout false: back to the callbackUrl, not to the OP.
	noLogout := a.instance(func(p *oauth.Provider) { p.Logout = false })
	resp := a.signOutOn(b, noLogout)
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != a.origin+"/signed-out" {
		t.Errorf("sign-out without Logout went to %q, want the callbackUrl", got)
	}
	if s := b.sessionBody(a.base); s != "null" {
		t.Errorf("GET /session after sign-out = %s", s)
	}

	// A tampered state fails with OAuthCallback, before any exchange.
	tokenRequests := len(a.rec.requests(http.MethodPost, disc.TokenEndpoint))
	cb := op.authorizeAt(t, b, a.beginSignIn(b), a.origin)
	cq := cb.Query()
	cq.Set("state", cq.Get("state")+"x")
	cb.RawQuery = cq.Encode()
	if got := b.get(cb.String()).Header.Get("Location"); got != a.base+"/signin?error=OAuthCallback" {
		t.Errorf("a tampered state went to %q, want OAuthCallback", got)
	}
	if n := len(a.rec.requests(http.MethodPost, disc.TokenEndpoint)); n != tokenRequests {
		t.Error("a callback with a tampered state was exchanged")
	}
	if s := b.sessionBody(a.base); s != "null" {
		t.Errorf("GET /session after a tampered callback = %s", s)
	}

	// The ID token is really verified: an instance that accepts only ES256
	// ID tokens (the OPs sign RS256) refuses the sign-in after the exchange.
	strict := a.instance(func(p *oauth.Provider) { p.IDTokenAlgs = []string{"ES256"} })
	a.front.Store(strict)
	cb = op.authorizeAt(t, b, a.beginSignIn(b), a.origin)
	if got := b.get(cb.String()).Header.Get("Location"); got != a.base+"/signin?error=OAuthCallback" {
		t.Errorf("an ID token with a refused algorithm went to %q, want OAuthCallback", got)
	}
	if n := len(a.rec.requests(http.MethodPost, disc.TokenEndpoint)); n != tokenRequests+1 {
		t.Errorf("%d token requests, want the code exchanged before the ID token was refused", n-tokenRequests)
	}
	if !strings.Contains(a.logs.String(), "ID token invalid") {
		t.Error("the refusal was not an ID token error")
	}
	if s := b.sessionBody(a.base); s != "null" {
		t.Errorf("GET /session after a refused ID token = %s", s)
	}
	a.front.Store(auth)

	// Sign in again, then sign out with Logout: RP-initiated logout at the
	// OP's end_session_endpoint, when it has one.
	a.signIn(b)
	_, acc3 := a.account()
	resp = a.signOutOn(b, auth)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("sign-out: %s", resp.Status)
	}
	if s := b.sessionBody(a.base); s != "null" {
		t.Errorf("GET /session after sign-out = %s", s)
	}
	if disc.EndSessionEndpoint == "" {
		if loc != a.origin+"/signed-out" {
			t.Errorf("sign-out went to %q; the OP has no end_session_endpoint", loc)
		}
		return
	}
	lu, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	lq := lu.Query()
	if got := lu.Scheme + "://" + lu.Host + lu.Path; got != disc.EndSessionEndpoint {
		t.Fatalf("sign-out went to %q, want the end_session_endpoint %s", got, disc.EndSessionEndpoint)
	}
	if lq.Get("id_token_hint") != acc3.IDToken || lq.Get("post_logout_redirect_uri") != a.origin+"/signed-out" || lq.Get("client_id") != op.clientID {
		t.Errorf("logout parameters: id_token_hint is the account's %v, post_logout_redirect_uri %q, client_id %q",
			lq.Get("id_token_hint") == acc3.IDToken, lq.Get("post_logout_redirect_uri"), lq.Get("client_id"))
	}
	// What the OP makes of it (it has no post-logout redirect URIs
	// registered for its clients, so it may refuse the redirect; the ID
	// token hint must not be what it refuses).
	out := b.get(loc)
	body := readBody(t, out)
	t.Logf("%s: end_session answered %s %s %.200s", op.id, out.Status, out.Header.Get("Location"), body)
	if strings.Contains(body, "id_token_hint invalid") {
		t.Errorf("the OP refused the id_token_hint: %s", body)
	}
}
