package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

// OAuth 1.0a end to end: the server against an authtest provider that
// checks every request's HMAC-SHA1 signature, through the HTTP API.

const oauth1CookieName = "authgen.oauth1"

func newOAuth1IdP(t *testing.T) *authtest.Provider {
	return authtest.NewProvider(t, authtest.Config{OAuth1: true, Userinfo: adaUserinfo})
}

func twProvider(idp *authtest.Provider) *oauth.Provider {
	return &oauth.Provider{
		ID:               "tw",
		Name:             "Tw",
		Type:             oauth.TypeOAuth1,
		ClientID:         idp.ClientID,
		ClientSecret:     idp.ClientSecret,
		RequestTokenURL:  idp.RequestTokenURL(),
		AuthorizationURL: idp.AuthorizationURL(),
		TokenURL:         idp.TokenURL(),
		UserinfoURL:      idp.UserinfoURL(),
		Profile:          oauth.Map(corpUser, nil),
	}
}

// newOAuth1App is an app whose provider "tw" is the OAuth 1.0a idp.
func newOAuth1App(t *testing.T, idp *authtest.Provider, tc tokConfig) *tokApp {
	t.Helper()
	tc.idp = idp
	if tc.provider == nil {
		tc.provider = twProvider
	}
	return newTokApp(t, tc)
}

// begin posts to /signin/tw and returns the response (the redirect to the
// provider and the oauth1 check cookie).
func (a *tokApp) begin(b *browser, id string) *http.Response {
	a.t.Helper()
	form := url.Values{"csrfToken": {b.csrf(a.base)}, "callbackUrl": {a.origin + "/dashboard"}}
	return b.postForm(a.base+"/signin/"+id, form)
}

// requestSecrets returns the request tokens and secrets the provider handed
// the server, in order.
func (a *tokApp) requestSecrets() (tokens, secrets []string) {
	for _, ex := range a.rec.requests(http.MethodPost, a.idp.RequestTokenURL()) {
		v, _ := url.ParseQuery(ex.Body)
		tokens, secrets = append(tokens, v.Get("oauth_token")), append(secrets, v.Get("oauth_token_secret"))
	}
	return tokens, secrets
}

func setCookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestOAuth1SignIn(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.name, func(t *testing.T) {
			idp := newOAuth1IdP(t)
			a := newOAuth1App(t, idp, tokConfig{configure: st.configure})
			b := newBrowser(t)

			resp := a.begin(b, "tw")
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("POST /signin/tw: %s (logs: %s)", resp.Status, a.logs)
			}
			authURL := resp.Header.Get("Location")
			if !strings.HasPrefix(authURL, idp.AuthorizationURL()+"?") {
				t.Fatalf("sign-in redirected to %q", authURL)
			}
			tokens, secrets := a.requestSecrets()
			if len(secrets) != 1 || secrets[0] == "" || tokens[0] == "" {
				t.Fatalf("request token responses: %d", len(secrets))
			}
			secret := secrets[0]
			if u, _ := url.Parse(authURL); u.Query().Get("oauth_token") != tokens[0] {
				t.Errorf("the authorization URL does not carry the request token")
			}
			mustNotContain(t, "the authorization URL", authURL, secret, url.QueryEscape(secret))

			// The request secret reaches the browser only sealed: the oauth1
			// check cookie is a JWE that shows neither the secret nor the
			// token, and no other cookie shows them.
			c := setCookieNamed(resp, oauth1CookieName)
			if c == nil {
				t.Fatalf("no %s cookie; Set-Cookie: %v", oauth1CookieName, resp.Header.Values("Set-Cookie"))
			}
			checkJWE(t, c.Value)
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("oauth1 cookie: HttpOnly=%v SameSite=%v Path=%q", c.HttpOnly, c.SameSite, c.Path)
			}
			if life := time.Until(c.Expires); c.MaxAge < 0 || life <= 0 || life > 16*time.Minute {
				t.Errorf("oauth1 cookie lives %v (Max-Age %d), want at most 15 minutes", life, c.MaxAge)
			}
			all := strings.Join(resp.Header.Values("Set-Cookie"), "\n")
			mustNotContain(t, "the sign-in's cookies", all, secret, url.QueryEscape(secret), tokens[0])
			for _, other := range []string{"authgen.state", "authgen.pkce.code_verifier", "authgen.nonce"} {
				if setCookieNamed(resp, other) != nil {
					t.Errorf("an OAuth 1.0a sign-in set %s", other)
				}
			}

			cb, err := idp.Authorize(t.Context(), authURL)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(cb.String(), a.base+"/callback/tw?") || cb.Query().Get("oauth_verifier") == "" {
				t.Fatalf("the provider sent the browser to %s", cb.Redacted())
			}
			resp = b.get(cb.String())
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != a.origin+"/dashboard" {
				t.Fatalf("callback: %s to %q (logs: %s)", resp.Status, got, a.logs)
			}
			if d := setCookieNamed(resp, oauth1CookieName); d == nil || d.MaxAge >= 0 {
				t.Error("the callback did not delete the oauth1 cookie")
			}
			if s := b.sessionBody(a.base); !strings.Contains(s, `"email":"ada@example.com"`) || !strings.Contains(s, `"name":"Ada Lovelace"`) {
				t.Errorf("GET /session = %s", s)
			}
			if idp.Exchanges() != 1 || idp.UserinfoCalls() != 1 {
				t.Errorf("Exchanges() = %d, UserinfoCalls() = %d; want 1, 1", idp.Exchanges(), idp.UserinfoCalls())
			}
			if a.mem != nil {
				_, acc := a.onlyAccount("tw")
				if acc.Type != "oauth1" || acc.ProviderAccountID != "u-1815" || !strings.HasPrefix(acc.AccessToken, "at-") {
					t.Errorf("stored account: type %q, id %q", acc.Type, acc.ProviderAccountID)
				}
				mustNotContain(t, "the stored account", acc.AccessToken+acc.RefreshToken+acc.IDToken, secret)
			}
			mustNotContain(t, "the logs", a.logs.String(), secret)
		})
	}
}

// checkJWE checks that v is a compact JWE of authgen's kind (dir,
// A256GCM).
func checkJWE(t *testing.T, v string) {
	t.Helper()
	parts := strings.Split(v, ".")
	if len(parts) != 5 || parts[1] != "" {
		t.Fatalf("the cookie is not a compact dir JWE: %d parts", len(parts))
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	var header struct{ Alg, Enc string }
	if err := json.Unmarshal(h, &header); err != nil || header.Alg != "dir" || header.Enc != "A256GCM" {
		t.Errorf("JWE header %s", h)
	}
}

// TestOAuth1AcrossInstances: the sign-in begins on instance A and finishes
// on instance B behind the same URL with the same keys: the request
// secret travels in the sealed cookie, not in A's memory.
func TestOAuth1AcrossInstances(t *testing.T) {
	idp := newOAuth1IdP(t)
	var mu sync.Mutex
	signedInOn := map[string]int{}
	events := func(name string) func(c *server.Config) {
		return func(c *server.Config) {
			c.Events.SignIn = func(context.Context, server.SignInEvent) {
				mu.Lock()
				defer mu.Unlock()
				signedInOn[name]++
			}
		}
	}
	a := newOAuth1App(t, idp, tokConfig{configure: events("A")})
	b2 := newOAuth1App(t, idp, tokConfig{shared: a, configure: events("B")})
	// A load balancer: callbacks go to B, everything else to A.
	a.route(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/auth/callback/") {
			b2.auth.ServeHTTP(w, r)
			return
		}
		a.auth.ServeHTTP(w, r)
	}))

	br := newBrowser(t)
	resp := a.begin(br, "tw")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("POST /signin/tw: %s", resp.Status)
	}
	cb, err := idp.Authorize(t.Context(), resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp = br.get(cb.String())
	if got := resp.Header.Get("Location"); got != a.origin+"/dashboard" {
		t.Fatalf("callback on B: %s to %q (A logs: %s; B logs: %s)", resp.Status, got, a.logs, b2.logs)
	}
	mu.Lock()
	if signedInOn["A"] != 0 || signedInOn["B"] != 1 {
		t.Errorf("sign-ins completed: %v, want B only", signedInOn)
	}
	mu.Unlock()
	// A asked for the request token; B exchanged it and fetched the user.
	if n := len(a.rec.requests(http.MethodPost, idp.RequestTokenURL())); n != 1 {
		t.Errorf("A made %d request-token requests", n)
	}
	if n := len(b2.rec.requests(http.MethodPost, idp.TokenURL())); n != 1 || len(a.rec.requests("", idp.TokenURL())) != 0 {
		t.Errorf("B made %d access-token requests, A %d", n, len(a.rec.requests("", idp.TokenURL())))
	}
	if s := br.sessionBody(a.base); !strings.Contains(s, `"email":"ada@example.com"`) {
		t.Errorf("GET /session = %s", s)
	}

	// An instance with other keys cannot open A's cookie.
	otherKeys, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	c := newOAuth1App(t, idp, tokConfig{shared: a, configure: func(c *server.Config) { c.Keys = otherKeys }})
	a.route(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/auth/callback/") {
			c.auth.ServeHTTP(w, r)
			return
		}
		a.auth.ServeHTTP(w, r)
	}))
	br2 := newBrowser(t)
	cb, err = idp.Authorize(t.Context(), a.begin(br2, "tw").Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := br2.get(cb.String()).Header.Get("Location"); got != a.base+"/signin?error=OAuthCallback" {
		t.Errorf("callback on an instance with other keys went to %q, want OAuthCallback", got)
	}
	if idp.Exchanges() != 1 {
		t.Errorf("Exchanges() = %d, want 1", idp.Exchanges())
	}
}

func TestOAuth1CallbackRejects(t *testing.T) {
	callbackError := func(t *testing.T, a *tokApp, resp *http.Response) {
		t.Helper()
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != a.base+"/signin?error=OAuthCallback" {
			t.Errorf("callback: %s to %q, want OAuthCallback", resp.Status, got)
		}
	}

	t.Run("oauth_token-differs-from-cookie", func(t *testing.T) {
		idp := newOAuth1IdP(t)
		a := newOAuth1App(t, idp, tokConfig{})
		victim, attacker := newBrowser(t), newBrowser(t)
		cbVictim, err := idp.Authorize(t.Context(), a.begin(victim, "tw").Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		// The attacker's own authorized request token and verifier, sent
		// to the victim's browser (login CSRF).
		cbAttacker, err := idp.Authorize(t.Context(), a.begin(attacker, "tw").Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		if cbAttacker.Query().Get("oauth_token") == cbVictim.Query().Get("oauth_token") {
			t.Fatal("the same request token twice")
		}
		callbackError(t, a, victim.get(cbAttacker.String()))
		// A made-up oauth_token with the victim's verifier.
		other := newBrowser(t)
		cb, err := idp.Authorize(t.Context(), a.begin(other, "tw").Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		q := cb.Query()
		q.Set("oauth_token", q.Get("oauth_token")+"x")
		cb.RawQuery = q.Encode()
		callbackError(t, a, other.get(cb.String()))
		if idp.Exchanges() != 0 {
			t.Errorf("Exchanges() = %d: a mismatched oauth_token reached the provider", idp.Exchanges())
		}
		for _, b := range []*browser{victim, other} {
			if s := b.sessionBody(a.base); s != "null" {
				t.Errorf("GET /session = %s, want null", s)
			}
		}
	})

	t.Run("replay", func(t *testing.T) {
		idp := newOAuth1IdP(t)
		a := newOAuth1App(t, idp, tokConfig{})
		b := newBrowser(t)
		resp := a.begin(b, "tw")
		sealed := setCookieNamed(resp, oauth1CookieName).Value
		cb, err := idp.Authorize(t.Context(), resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		if got := b.get(cb.String()).Header.Get("Location"); got != a.origin+"/dashboard" {
			t.Fatalf("first callback went to %q", got)
		}
		// The same callback again: the cookie is gone.
		callbackError(t, a, b.get(cb.String()))
		// And with the sealed cookie put back (captured by an attacker):
		// the provider has consumed the request token.
		thief := newBrowser(t)
		thief.setCookie(a.origin, oauth1CookieName, sealed)
		callbackError(t, a, thief.get(cb.String()))
		if s := thief.sessionBody(a.base); s != "null" {
			t.Errorf("the replay signed in: %s", s)
		}
		if idp.Exchanges() != 1 {
			t.Errorf("Exchanges() = %d, want 1", idp.Exchanges())
		}
	})

	t.Run("expired-cookie", func(t *testing.T) {
		idp := newOAuth1IdP(t)
		a := newOAuth1App(t, idp, tokConfig{})
		b := newBrowser(t)
		cb, err := idp.Authorize(t.Context(), a.begin(b, "tw").Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		a.clock.Advance(16 * time.Minute)
		callbackError(t, a, b.get(cb.String()))
		if idp.Exchanges() != 0 {
			t.Error("an expired check cookie reached the provider")
		}
	})

	t.Run("cookie-for-another-provider", func(t *testing.T) {
		// The sealed cookie is bound to its provider: tw's cookie does not
		// finish a sign-in with tw2 (same provider endpoints).
		idp := newOAuth1IdP(t)
		tw2 := twProvider(idp)
		tw2.ID = "tw2"
		a := newOAuth1App(t, idp, tokConfig{extra: []*oauth.Provider{tw2}})
		b := newBrowser(t)
		cb, err := idp.Authorize(t.Context(), a.begin(b, "tw").Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		u := strings.Replace(cb.String(), "/callback/tw?", "/callback/tw2?", 1)
		callbackError(t, a, b.get(u))
		if idp.Exchanges() != 0 {
			t.Error("another provider's cookie reached the provider")
		}
	})
}

// TestOAuth1WrongConsumerSecret: the provider refuses the request-token
// request's signature; the sign-in fails at once with OAuthSignin.
func TestOAuth1WrongConsumerSecret(t *testing.T) {
	idp := newOAuth1IdP(t)
	const wrong = "not-the-consumer-secret"
	a := newOAuth1App(t, idp, tokConfig{provider: func(idp *authtest.Provider) *oauth.Provider {
		p := twProvider(idp)
		p.ClientSecret = wrong
		return p
	}})
	b := newBrowser(t)
	resp := a.begin(b, "tw")
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != a.base+"/signin?error=OAuthSignin" {
		t.Fatalf("POST /signin/tw: %s to %q, want OAuthSignin", resp.Status, got)
	}
	if c := setCookieNamed(resp, oauth1CookieName); c != nil {
		t.Error("a failed sign-in set the oauth1 cookie")
	}
	r := a.rec.requests(http.MethodPost, idp.RequestTokenURL())
	if len(r) != 1 || r[0].Status != http.StatusUnauthorized {
		t.Errorf("request-token requests: %+v", r)
	}
	if idp.Authorizations() != 0 {
		t.Error("the provider authorized something")
	}
	mustNotContain(t, "the logs", a.logs.String(), wrong, idp.ClientSecret)
	if !strings.Contains(a.logs.String(), "OAuthSignin") {
		t.Errorf("the failure was not logged: %s", a.logs)
	}
}

// TestOAuth1TokenSecretKept: an OAuth 1.0a account's token is only usable
// with its secret (every API request is signed with both).
func TestOAuth1TokenSecretKept(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.name, func(t *testing.T) {
			idp := newOAuth1IdP(t)
			a := newOAuth1App(t, idp, tokConfig{configure: st.configure})
			b := newBrowser(t)
			a.mustSignIn(b, "tw")
			tok, _, err := b.providerToken(a.auth, a.origin, "tw")
			if err != nil {
				t.Fatal(err)
			}
			if s, _ := tok.Extra("oauth_token_secret").(string); s == "" {
				t.Fatal("ProviderToken's OAuth 1.0a token has no oauth_token_secret")
			}
		})
	}
}
