package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// The back channel to providers, seen through the API with a store: a bad
// discovery document, a bad ID token or a redirecting endpoint ends the
// sign-in with OAuthSignin or OAuthCallback, sets no session cookie and
// writes nothing. runtime/oauth has the unit tests of each check.

// adaClaims are the ID token claims of the tests' OpenID Connect user.
const adaClaims = `{"sub":"u-1815","email":"ada@example.com","email_verified":true,"name":"Ada Lovelace"}`

// oidcCorp is an OpenID Connect provider "corp" at idp.
func oidcCorp(idp *authtest.Provider) *oauth.Provider {
	return &oauth.Provider{
		ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, Issuer: idp.Issuer,
		ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce,
		Profile: oauth.Map(corpUser, nil),
	}
}

// writeCounter is the app's memstore, counting the writes a sign-in makes.
type writeCounter struct {
	*memstore.Store
	writes atomic.Int64
}

func (s *writeCounter) CreateUser(ctx context.Context, u store.User) (*store.User, error) {
	s.writes.Add(1)
	return s.Store.CreateUser(ctx, u)
}

func (s *writeCounter) UpdateUser(ctx context.Context, u store.User) (*store.User, error) {
	s.writes.Add(1)
	return s.Store.UpdateUser(ctx, u)
}

func (s *writeCounter) CreateUserAndAccount(ctx context.Context, u store.User, a store.Account) (*store.User, error) {
	s.writes.Add(1)
	return s.Store.CreateUserAndAccount(ctx, u, a)
}

func (s *writeCounter) LinkAccount(ctx context.Context, a store.Account) error {
	s.writes.Add(1)
	return s.Store.LinkAccount(ctx, a)
}

func (s *writeCounter) UpdateAccount(ctx context.Context, a store.Account) error {
	s.writes.Add(1)
	return s.Store.UpdateAccount(ctx, a)
}

func (s *writeCounter) CreateSession(ctx context.Context, sess store.Session) error {
	s.writes.Add(1)
	return s.Store.CreateSession(ctx, sess)
}

// backChannelApp is a database-session app in front of idp whose store
// counts writes. ownClient gives it a client of the application's that
// follows redirects and reaches any host (http.Client{}), as a careless
// application's would: the guarantees must hold anyway.
func backChannelApp(t *testing.T, idp *authtest.Provider, provider func(*authtest.Provider) *oauth.Provider, ownClient bool) (*tokApp, *writeCounter) {
	t.Helper()
	var wc *writeCounter
	a := newTokApp(t, tokConfig{idp: idp, provider: provider, configure: func(c *server.Config) {
		wc = &writeCounter{Store: c.Users.(*memstore.Store)}
		c.Users, c.Sessions = wc, wc
		if ownClient {
			c.HTTPClient = &http.Client{}
		}
	}})
	return a, wc
}

// refused checks that a sign-in ended at the sign-in page with code,
// without a session and without writing to the store.
func refused(t *testing.T, a *tokApp, wc *writeCounter, b *browser, resp *http.Response, code string) {
	t.Helper()
	if got, want := resp.Header.Get("Location"), a.base+"/signin?error="+code; resp.StatusCode != http.StatusFound || got != want {
		t.Fatalf("sign-in ended with %s to %q, want %s (logs: %s)", resp.Status, got, want, a.logs.String())
	}
	if v := b.cookie(a.origin, sessionCookieName); v != "" {
		t.Error("a session cookie was set")
	}
	if n := wc.writes.Load(); n != 0 {
		t.Errorf("the sign-in wrote %d times to the store", n)
	}
	if _, err := wc.GetUserByEmail(t.Context(), "ada@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetUserByEmail after a refused sign-in: %v, want ErrNotFound", err)
	}
}

// TestDiscoveryRefused: a discovery document without the endpoints a
// sign-in needs, without the code flow, or of 5 MB is refused with
// OAuthSignin and not cached — the browser is never sent to a relative
// "authorization URL" on the application — and once the issuer serves a
// good document again the next sign-in works, without a restart.
func TestDiscoveryRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(doc map[string]any)
	}{
		{"no endpoints", func(doc map[string]any) {
			delete(doc, "authorization_endpoint")
			delete(doc, "token_endpoint")
			delete(doc, "jwks_uri")
		}},
		{"no authorization_endpoint", func(doc map[string]any) { delete(doc, "authorization_endpoint") }},
		{"no token_endpoint", func(doc map[string]any) { delete(doc, "token_endpoint") }},
		{"no jwks_uri", func(doc map[string]any) { delete(doc, "jwks_uri") }},
		{"relative authorization_endpoint", func(doc map[string]any) { doc["authorization_endpoint"] = "/authorize" }},
		{"response types without code", func(doc map[string]any) { doc["response_types_supported"] = []string{"id_token", "id_token token"} }},
		{"no response types", func(doc map[string]any) { delete(doc, "response_types_supported") }},
		{"5 MB", func(doc map[string]any) { doc["x-padding"] = strings.Repeat("x", 5<<20) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
			a, wc := backChannelApp(t, idp, oidcCorp, false)
			idp.SetDiscovery(tc.edit)
			b := newBrowser(t)
			resp := b.postForm(a.base+"/signin/corp", url.Values{"csrfToken": {b.csrf(a.base)}, "callbackUrl": {a.origin + "/dashboard"}})
			refused(t, a, wc, b, resp, "OAuthSignin")
			for _, c := range resp.Cookies() {
				if strings.Contains(c.Name, "state") || strings.Contains(c.Name, "pkce") || strings.Contains(c.Name, "nonce") {
					t.Errorf("a refused discovery set the check cookie %s", c.Name)
				}
			}
			if !strings.Contains(a.logs.String(), "discovery") {
				t.Errorf("the log does not say discovery failed: %s", a.logs.String())
			}

			// The issuer recovers: the next sign-in discovers again.
			idp.SetDiscovery(nil)
			a.mustSignIn(newBrowser(t), "corp")
			if n := idp.DiscoveryFetches(); n != 2 {
				t.Errorf("discovery fetched %d times, want 2 (the refused document was cached)", n)
			}
		})
	}
}

// TestIDTokenRefusedThroughAPI: an ID token with a numeric date in a
// string, typed as another kind of JWT, or whose at_hash is not the access
// token's ends the sign-in with OAuthCallback, without a session and
// without a row in the store.
func TestIDTokenRefusedThroughAPI(t *testing.T) {
	inAnHour := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	otherHash := sha256.Sum256([]byte("another access token"))
	for _, tc := range []struct {
		name  string
		fault authtest.IDTokenFault
	}{
		{"exp as a string", authtest.IDTokenFault{Claims: func(c map[string]any) { c["exp"] = inAnHour }}},
		{"iat as a string", authtest.IDTokenFault{Claims: func(c map[string]any) { c["iat"] = now }}},
		{"nbf as a string", authtest.IDTokenFault{Claims: func(c map[string]any) { c["nbf"] = now }}},
		{"auth_time as a string", authtest.IDTokenFault{Claims: func(c map[string]any) { c["auth_time"] = now }}},
		{"typ at+jwt", authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = "at+jwt" }}},
		{"typ application/at+jwt", authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = "application/at+jwt" }}},
		{"typ logout+jwt", authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = "logout+jwt" }}},
		{"at_hash of another token", authtest.IDTokenFault{Claims: func(c map[string]any) {
			c["at_hash"] = base64.RawURLEncoding.EncodeToString(otherHash[:16])
		}}},
		{"empty at_hash", authtest.IDTokenFault{Claims: func(c map[string]any) { c["at_hash"] = "" }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
			a, wc := backChannelApp(t, idp, oidcCorp, false)
			idp.SetIDTokenFault(&tc.fault)
			b := newBrowser(t)
			refused(t, a, wc, b, a.signIn(b, "corp"), "OAuthCallback")
			if !strings.Contains(a.logs.String(), "ID token invalid") {
				t.Errorf("the log does not say the ID token was refused: %s", a.logs.String())
			}
		})
	}
	t.Run("control", func(t *testing.T) {
		// The same app signs in with good tokens, which carry at_hash.
		idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
		a, _ := backChannelApp(t, idp, oidcCorp, false)
		a.mustSignIn(newBrowser(t), "corp")
	})
}

// TestBackChannelRedirectRefused: a provider endpoint that answers with a
// redirect to another host ends the sign-in, and the other host receives
// nothing — not the code, the PKCE verifier and the client secret a 307
// from the token endpoint would have re-sent, not the access token a
// redirected userinfo request would carry, and it cannot supply the
// profile. This holds with a client of the application's that follows
// redirects (server.Config.HTTPClient = &http.Client{}).
func TestBackChannelRedirectRefused(t *testing.T) {
	for _, tc := range []struct {
		name     string
		oidc     bool
		endpoint authtest.Endpoint
		status   int
		code     string
		// at is the endpoint's URL on idp, which the log must name.
		at func(idp *authtest.Provider) string
	}{
		{"token 307", false, authtest.EndpointToken, http.StatusTemporaryRedirect, "OAuthCallback", (*authtest.Provider).TokenURL},
		{"token 308", false, authtest.EndpointToken, http.StatusPermanentRedirect, "OAuthCallback", (*authtest.Provider).TokenURL},
		{"userinfo 302", false, authtest.EndpointUserinfo, http.StatusFound, "OAuthCallback", (*authtest.Provider).UserinfoURL},
		{"OpenID Connect token 307", true, authtest.EndpointToken, http.StatusTemporaryRedirect, "OAuthCallback", (*authtest.Provider).TokenURL},
		{"discovery 302", true, authtest.EndpointDiscovery, http.StatusFound, "OAuthSignin", (*authtest.Provider).DiscoveryURL},
		{"JWKS 302", true, authtest.EndpointJWKS, http.StatusFound, "OAuthCallback", (*authtest.Provider).JWKSURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen atomic.Int64
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen.Add(1)
				// What an attacker's host would answer: a token, a
				// profile, a document.
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"access_token":"attacker","token_type":"Bearer","id":"attacker","sub":"attacker","email":"ada@example.com"}`))
			}))
			t.Cleanup(other.Close)
			idp := authtest.NewProvider(t, authtest.Config{OIDC: tc.oidc, Claims: adaClaims, Userinfo: `{"id":"u-1815","email":"ada@example.com","name":"Ada"}`})
			provider := corpProvider
			if tc.oidc {
				provider = oidcCorp
			}
			a, wc := backChannelApp(t, idp, provider, true)
			idp.SetRedirect(tc.endpoint, tc.status, other.URL+"/elsewhere?code=x")
			b := newBrowser(t)
			var resp *http.Response
			if tc.code == "OAuthSignin" {
				resp = b.postForm(a.base+"/signin/corp", url.Values{"csrfToken": {b.csrf(a.base)}, "callbackUrl": {a.origin + "/dashboard"}})
			} else {
				resp = a.signIn(b, "corp")
			}
			refused(t, a, wc, b, resp, tc.code)
			if n := seen.Load(); n != 0 {
				t.Errorf("the other host received %d requests", n)
			}
			logs := a.logs.String()
			if !strings.Contains(logs, "redirect") || !strings.Contains(logs, tc.at(idp)) {
				t.Errorf("the log does not name the redirecting endpoint %s: %s", tc.at(idp), logs)
			}
			if strings.Contains(logs, "code=x") {
				t.Errorf("the log shows the redirect target's query: %s", logs)
			}
		})
	}
}
