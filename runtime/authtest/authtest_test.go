package authtest_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
	"golang.org/x/oauth2"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/oauth"
)

const redirectURI = "https://app.example/api/auth/callback/test"

// stdProfile is the OpenID Connect standard claims authgen maps.
type stdProfile struct {
	Sub     oauth.FlexString `json:"sub"`
	ID      oauth.FlexString `json:"id"`
	IDStr   string           `json:"id_str"`
	Name    string           `json:"name"`
	Login   string           `json:"login"`
	Email   string           `json:"email"`
	Picture string           `json:"picture"`
	Avatar  string           `json:"avatar_url"`
}

func stdUser(p *stdProfile) oauth.User {
	return oauth.User{
		ID:    cmp.Or(p.Sub.String(), p.IDStr, p.ID.String()),
		Name:  cmp.Or(p.Name, p.Login),
		Email: p.Email,
		Image: cmp.Or(p.Picture, p.Avatar),
	}
}

const (
	adaClaims   = `{"sub":"248289761001","name":"Ada Lovelace","email":"ada@example.com","email_verified":true}`
	adaUserinfo = `{"sub":"248289761001","name":"Ada Lovelace","email":"ada@example.com","picture":"https://idp.example/ada.jpg"}`
)

var ada = oauth.User{ID: "248289761001", Name: "Ada Lovelace", Email: "ada@example.com"}

// rp is an OpenID Connect relying party of idp.
func rp(idp *authtest.Provider) *oauth.Provider {
	return &oauth.Provider{
		ID: "test", Name: "Test", Type: oauth.TypeOIDC,
		Issuer: idp.Issuer, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		Scopes:  []string{"openid", "profile", "email"},
		Checks:  oauth.PKCE | oauth.State | oauth.Nonce,
		Profile: oauth.Map(stdUser, nil),
	}
}

// client2 is an OAuth 2.0 client of idp.
func client2(idp *authtest.Provider) *oauth.Provider {
	return &oauth.Provider{
		ID: "test", Name: "Test", Type: oauth.TypeOAuth,
		ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		AuthorizationURL: idp.AuthorizationURL(), TokenURL: idp.TokenURL(), UserinfoURL: idp.UserinfoURL(),
		Scopes:  []string{"read:user"},
		Checks:  oauth.PKCE | oauth.State,
		Profile: oauth.Map(stdUser, nil),
	}
}

// begin starts a sign-in and plays the user at the provider.
func begin(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (url.Values, oauth.Checks) {
	t.Helper()
	authURL, ch, err := p.Begin(t.Context(), idp.Client(), redirectURI, nil)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	cb, err := idp.Authorize(t.Context(), authURL)
	if err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	if got := cb.Scheme + "://" + cb.Host + cb.Path; got != redirectURI {
		t.Fatalf("the provider sent the browser to %s, want %s", got, redirectURI)
	}
	return cb.Query(), ch
}

// signIn runs Begin → Authorize → Finish.
func signIn(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
	t.Helper()
	q, ch := begin(t, idp, p)
	return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
}

func mustSignIn(t *testing.T, idp *authtest.Provider, p *oauth.Provider) *oauth.Result {
	t.Helper()
	res, err := signIn(t, idp, p)
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	return res
}

func checkUser(t *testing.T, got *oauth.User, want oauth.User) {
	t.Helper()
	if got == nil {
		t.Fatal("no user")
	}
	g := *got
	g.EmailVerified = want.EmailVerified
	if g != want {
		t.Errorf("user = %+v, want %+v", g, want)
	}
}

func TestOAuth2SignIn(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{
		AuthMethod: authtest.AuthBasic,
		Userinfo:   `{"id":583231,"login":"octocat","name":null,"email":null,"avatar_url":"https://avatars.example/u/583231"}`,
		Responses:  map[string]string{"/user/emails": `[{"email":"octocat@github.com","primary":true,"verified":true}]`},
		Paths:      authtest.Paths{Authorization: "/login/oauth/authorize", Token: "/login/oauth/access_token", Userinfo: "/user"},
	})
	p := client2(idp)
	p.Enrich = oauth.GitHubEmails
	p.UserinfoHeader = map[string]string{"X-GitHub-Api-Version": "2022-11-28"}
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "583231", Name: "octocat", Email: "octocat@github.com", Image: "https://avatars.example/u/583231", EmailVerified: true})
	if !strings.HasSuffix(idp.AuthorizationURL(), "/login/oauth/authorize") {
		t.Errorf("AuthorizationURL() = %s", idp.AuthorizationURL())
	}
	if got := idp.UserinfoHeader().Get("X-GitHub-Api-Version"); got != "2022-11-28" {
		t.Errorf("userinfo request header X-GitHub-Api-Version = %q", got)
	}
	if res.Token.RefreshToken == "" || res.Token.Expiry.IsZero() || res.Token.Type() != "Bearer" {
		t.Errorf("token = %+v, want a refresh token, an expiry and type Bearer", res.Token)
	}
	if idp.Exchanges() != 1 || idp.UserinfoCalls() != 1 || idp.Authorizations() != 1 {
		t.Errorf("exchanges %d, userinfo %d, authorizations %d; want 1 each", idp.Exchanges(), idp.UserinfoCalls(), idp.Authorizations())
	}
	q := idp.LastAuthorization()
	if q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("scope") != "read:user" {
		t.Errorf("authorization request %v lacks PKCE, state or scope", q)
	}
}

func TestTokenExtras(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{
		Userinfo: `{"id":"7"}`,
		Token:    `{"email":"Vk@Example.com","user_id":7}`,
	})
	p := client2(idp)
	p.Enrich = oauth.TokenEmail
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "7", Email: "vk@example.com"})
	if got := res.Token.Extra("user_id"); got != float64(7) {
		t.Errorf("token extra user_id = %v", got)
	}
}

func TestClientAuthentication(t *testing.T) {
	tests := []struct {
		name   string
		server string
		client func(p *oauth.Provider, idp *authtest.Provider)
		ok     bool
	}{
		{"basic", authtest.AuthBasic, nil, true},
		{"basic refuses post", authtest.AuthBasic, func(p *oauth.Provider, _ *authtest.Provider) { p.AuthMethod = oauth.ClientSecretPost }, false},
		{"post", authtest.AuthPost, func(p *oauth.Provider, _ *authtest.Provider) { p.AuthMethod = oauth.ClientSecretPost }, true},
		{"post refuses basic", authtest.AuthPost, nil, false},
		{"any takes basic", authtest.AuthAny, nil, true},
		{"any takes post", authtest.AuthAny, func(p *oauth.Provider, _ *authtest.Provider) { p.AuthMethod = oauth.ClientSecretPost }, true},
		{"wrong secret", authtest.AuthAny, func(p *oauth.Provider, _ *authtest.Provider) { p.ClientSecret += "x" }, false},
		{"public client", authtest.AuthNone, func(p *oauth.Provider, _ *authtest.Provider) {
			p.AuthMethod, p.ClientSecret = oauth.ClientSecretPost, ""
		}, true},
		{"private_key_jwt", authtest.AuthPrivateKeyJWT, func(p *oauth.Provider, idp *authtest.Provider) {
			f, err := oauth.PrivateKeyJWT(idp.ClientID, idp.KeyID, idp.ClientKeyPEM)
			if err != nil {
				t.Fatal(err)
			}
			p.ClientSecret, p.ClientAssertion = "", f
		}, true},
		{"private_key_jwt refuses a secret", authtest.AuthPrivateKeyJWT, nil, false},
		{"private_key_jwt refuses another key", authtest.AuthPrivateKeyJWT, func(p *oauth.Provider, idp *authtest.Provider) {
			other := authtest.NewProvider(t, authtest.Config{AuthMethod: authtest.AuthPrivateKeyJWT})
			f, err := oauth.PrivateKeyJWT(idp.ClientID, idp.KeyID, other.ClientKeyPEM)
			if err != nil {
				t.Fatal(err)
			}
			p.ClientSecret, p.ClientAssertion = "", f
		}, false},
		{"apple", authtest.AuthApple, func(p *oauth.Provider, idp *authtest.Provider) {
			f, err := oauth.AppleClientSecret(idp.TeamID, idp.KeyID, idp.ClientID, idp.ClientKeyPEM)
			if err != nil {
				t.Fatal(err)
			}
			p.ClientSecret, p.ClientSecretFunc = "", f
		}, true},
		{"apple refuses another team", authtest.AuthApple, func(p *oauth.Provider, idp *authtest.Provider) {
			f, err := oauth.AppleClientSecret("OTHERTEAM", idp.KeyID, idp.ClientID, idp.ClientKeyPEM)
			if err != nil {
				t.Fatal(err)
			}
			p.ClientSecret, p.ClientSecretFunc = "", f
		}, false},
		{"apple refuses a plain secret", authtest.AuthApple, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{AuthMethod: tt.server, Userinfo: `{"id":1}`})
			p := client2(idp)
			if tt.client != nil {
				tt.client(p, idp)
			}
			res, err := signIn(t, idp, p)
			switch {
			case tt.ok && err != nil:
				t.Fatalf("Finish: %v", err)
			case !tt.ok && (err == nil || res != nil):
				t.Fatalf("Finish = %v, %v; want ErrExchange and no result", res, err)
			case !tt.ok && !errors.Is(err, oauth.ErrExchange):
				t.Fatalf("Finish: %v, want ErrExchange", err)
			case !tt.ok && !strings.Contains(err.Error(), "invalid_client"):
				t.Errorf("Finish: %v, want the invalid_client error", err)
			}
		})
	}
}

// TestEnvConfiguresGeneratedProviders drives env.Reader.Provider, as a
// generated LoadConfig does, from Env.
func TestEnvConfiguresGeneratedProviders(t *testing.T) {
	for _, method := range []string{authtest.AuthBasic, authtest.AuthApple, authtest.AuthPrivateKeyJWT} {
		t.Run(method, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{AuthMethod: method, OIDC: true, Claims: adaClaims})
			vars := idp.Env("CORP")
			r := env.New(func(k string) string { return vars[k] })
			spec := env.ProviderSpec{EnvName: "CORP", Name: "Corp", NeedsIssuer: true, CallbackURL: redirectURI}
			if method != authtest.AuthBasic {
				spec.ClientAuth = method
			}
			c := r.Provider(spec)
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			p := &oauth.Provider{ID: "corp", Type: oauth.TypeOIDC, Scopes: []string{"openid"}, Checks: oauth.PKCE | oauth.Nonce, Profile: oauth.Map(stdUser, nil)}
			c.Apply(p)
			if method == authtest.AuthApple {
				p.Issuer = idp.Issuer
			}
			res := mustSignIn(t, idp, p)
			checkUser(t, res.User, ada)
		})
	}
}

func TestUserinfoMethod(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{UserinfoMethod: "POST", Userinfo: `{"id":"dbid:1","name":"Dropbox User"}`})
	p := client2(idp)
	if _, err := signIn(t, idp, p); !errors.Is(err, oauth.ErrUserinfo) {
		t.Fatalf("GET userinfo: %v, want ErrUserinfo", err)
	}
	p.UserinfoMethod = http.MethodPost
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "dbid:1", Name: "Dropbox User"})
}

func TestCodeFlowRejects(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error)
		want error
	}{
		{"state mismatch", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			ch.State = "other"
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrState},
		{"wrong PKCE verifier", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			ch.Verifier = oauth2.GenerateVerifier()
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrExchange},
		{"PKCE verifier of a client without PKCE", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			p.Checks = oauth.State
			q, ch := begin(t, idp, p)
			p.Checks = oauth.State | oauth.PKCE
			ch.Verifier = oauth2.GenerateVerifier()
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrExchange},
		{"another redirect URI", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			return p.Finish(t.Context(), idp.Client(), q, redirectURI+"2", ch)
		}, oauth.ErrExchange},
		{"code of another client", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			other := *p
			other.ClientID = "someone-else"
			return other.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrExchange},
		{"forged code", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			q.Set("code", "code-forged")
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrExchange},
		{"user refuses", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			idp.SetAuthorizeError("access_denied")
			q, ch := begin(t, idp, p)
			if q.Get("error") != "access_denied" || q.Get("state") != idp.LastAuthorization().Get("state") {
				t.Errorf("callback %v, want error=access_denied with the state", q)
			}
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrProviderError},
		{"token endpoint refuses", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			idp.SetTokenError("temporarily_unavailable")
			return signIn(t, idp, p)
		}, oauth.ErrExchange},
		{"userinfo fails", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			p.UserinfoURL = idp.URL + "/nowhere"
			return signIn(t, idp, p)
		}, oauth.ErrUserinfo},
		{"profile without id", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			idp.SetUserinfo(`{"name":"nobody"}`)
			return signIn(t, idp, p)
		}, oauth.ErrProfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{Userinfo: `{"id":1}`})
			res, err := tt.run(t, idp, client2(idp))
			if res != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Finish = %v, %v; want no result and %v", res, err, tt.want)
			}
		})
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{Userinfo: `{"id":1}`})
	p := client2(idp)
	q, ch := begin(t, idp, p)
	first, err := p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Finish(t.Context(), idp.Client(), q, redirectURI, ch); !errors.Is(err, oauth.ErrExchange) {
		t.Fatalf("replayed code: %v, want ErrExchange", err)
	}
	// The replay revoked the tokens the code gave (RFC 6749 §4.1.2).
	if _, err := oauth.Get(t.Context(), idp.Client(), http.MethodGet, idp.UserinfoURL(), first.Token, nil); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("userinfo with the replayed code's token: %v, want 401", err)
	}
	if idp.Exchanges() != 1 {
		t.Errorf("Exchanges() = %d, want 1", idp.Exchanges())
	}
}

func TestAuthorizationEndpointRejects(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims, RedirectURI: redirectURI})
	good, _, err := rp(idp).Begin(t.Context(), idp.Client(), redirectURI, nil)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(k, v string) string {
		u, _ := url.Parse(good)
		q := u.Query()
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	for _, tt := range []struct{ name, url string }{
		{"unknown client", edit("client_id", "nobody")},
		{"unregistered redirect URI", edit("redirect_uri", "https://evil.example/cb")},
		{"another server", strings.Replace(good, idp.URL, "http://localhost:1", 1)},
	} {
		if cb, err := idp.Authorize(t.Context(), tt.url); err == nil {
			t.Errorf("%s: Authorize = %v, want an error", tt.name, cb)
		}
	}
	for _, tt := range []struct{ name, url, want string }{
		{"plain PKCE", edit("code_challenge_method", "plain"), "invalid_request"},
		{"implicit flow", edit("response_type", "token"), "unsupported_response_type"},
		{"no openid scope", edit("scope", "profile"), "invalid_scope"},
	} {
		cb, err := idp.Authorize(t.Context(), tt.url)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := cb.Query().Get("error"); got != tt.want || cb.Query().Get("code") != "" {
			t.Errorf("%s: callback %s, want error=%s and no code", tt.name, cb, tt.want)
		}
	}
}

func TestRefreshTokenRotates(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
	p := rp(idp)
	res := mustSignIn(t, idp, p)
	old := res.Token.RefreshToken
	renewed, err := p.Refresh(t.Context(), idp.Client(), old, time.Now())
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if renewed.AccessToken == res.Token.AccessToken || renewed.RefreshToken == "" || renewed.RefreshToken == old {
		t.Errorf("refresh did not renew and rotate: %+v", renewed)
	}
	if _, err := oauth.Get(t.Context(), idp.Client(), http.MethodGet, idp.UserinfoURL(), renewed, nil); err != nil {
		t.Errorf("userinfo with the renewed token: %v", err)
	}
	// The rotated-out refresh token is refused.
	cfg := &oauth2.Config{ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, Endpoint: oauth2.Endpoint{TokenURL: idp.TokenURL()}}
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, idp.Client())
	if _, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: old}).Token(); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("old refresh token: %v, want invalid_grant", err)
	}
	if idp.Refreshes() != 1 {
		t.Errorf("Refreshes() = %d, want 1", idp.Refreshes())
	}
}

func TestOIDCSignIn(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, IssParam: true, Claims: adaClaims, Userinfo: adaUserinfo, AuthMethod: authtest.AuthBasic})
	p := rp(idp)
	p.FetchUserinfo = true
	p.Discovery = &oauth.Discovery{}
	q, ch := begin(t, idp, p)
	if q.Get("iss") != idp.Issuer {
		t.Errorf("callback iss = %q, want %q", q.Get("iss"), idp.Issuer)
	}
	res, err := p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
	if err != nil {
		t.Fatal(err)
	}
	checkUser(t, res.User, oauth.User{ID: ada.ID, Name: ada.Name, Email: ada.Email, Image: "https://idp.example/ada.jpg"})
	raw, _ := res.Token.Extra("id_token").(string)
	header, claims := decodeJWT(t, raw)
	if header["alg"] != "RS256" || header["kid"] == nil {
		t.Errorf("ID token header %v, want RS256 with a kid", header)
	}
	if claims["nonce"] != idp.LastAuthorization().Get("nonce") || claims["iss"] != idp.Issuer || claims["aud"] != idp.ClientID || claims["at_hash"] == nil {
		t.Errorf("ID token claims %v", claims)
	}
	if idp.DiscoveryFetches() != 1 {
		t.Errorf("discovery fetched %d times, want 1 (cached)", idp.DiscoveryFetches())
	}
}

func TestOIDCDefaultUserinfo(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
	p := rp(idp)
	p.FetchUserinfo = true
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, ada)
}

func decodeJWT(t *testing.T, raw string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", raw)
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}

// badIDTokens are the ID tokens a relying party must reject, each with the
// error authgen's runtime gives.
var badIDTokens = []struct {
	name string
	// prepare sets the fault, given a previous good sign-in's nonce.
	prepare func(idp *authtest.Provider, oldNonce string)
	// fetchUserinfo also reads userinfo.
	fetchUserinfo bool
	want          error
}{
	{"unsigned (alg none)", fault(authtest.IDTokenFault{Alg: "none"}), false, oauth.ErrIDToken},
	{"unsigned without kid", fault(authtest.IDTokenFault{Alg: "none", NoKid: true}), false, oauth.ErrIDToken},
	{"wrong signature", fault(authtest.IDTokenFault{BadSignature: true}), false, oauth.ErrIDToken},
	{"wrong key (unknown kid)", fault(authtest.IDTokenFault{UnknownKey: true}), false, oauth.ErrIDToken},
	{"wrong key under the published kid", func(idp *authtest.Provider, _ string) {
		good, _ := idp.IDToken(nil)
		var h struct{ Kid string }
		b, _ := base64.RawURLEncoding.DecodeString(strings.Split(good, ".")[0])
		_ = json.Unmarshal(b, &h)
		idp.SetIDTokenFault(&authtest.IDTokenFault{UnknownKey: true, Header: func(m map[string]any) { m["kid"] = h.Kid }})
	}, false, oauth.ErrIDToken},
	{"wrong key without kid", fault(authtest.IDTokenFault{UnknownKey: true, NoKid: true}), false, oauth.ErrIDToken},
	{"kid absent with several keys", fault(authtest.IDTokenFault{NoKid: true}), false, oauth.ErrIDToken},
	{"alg mismatch: HS256 keyed with the public key", fault(authtest.IDTokenFault{Alg: "HS256"}), false, oauth.ErrIDToken},
	{"alg mismatch: RS384 when RS256 is advertised", fault(authtest.IDTokenFault{Alg: "RS384"}), false, oauth.ErrIDToken},
	{"wrong iss", claims(func(c map[string]any) { c["iss"] = "https://evil.example" }), false, oauth.ErrIDToken},
	{"wrong aud", claims(func(c map[string]any) { c["aud"] = "another-client" }), false, oauth.ErrIDToken},
	{"several aud without azp", claims(func(c map[string]any) { c["aud"] = []string{c["aud"].(string), "another-client"} }), false, oauth.ErrIDToken},
	{"azp of another client", claims(func(c map[string]any) { c["azp"] = "another-client" }), false, oauth.ErrIDToken},
	{"expired", claims(func(c map[string]any) {
		c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
	}), false, oauth.ErrIDToken},
	{"iat far in the future", claims(func(c map[string]any) {
		c["iat"], c["exp"] = time.Now().Add(time.Hour).Unix(), time.Now().Add(2*time.Hour).Unix()
	}), false, oauth.ErrIDToken},
	{"no iat", claims(func(c map[string]any) { delete(c, "iat") }), false, oauth.ErrIDToken},
	{"no sub", claims(func(c map[string]any) { delete(c, "sub") }), false, oauth.ErrIDToken},
	{"nonce missing", claims(func(c map[string]any) { delete(c, "nonce") }), false, oauth.ErrIDToken},
	{"nonce replayed", func(idp *authtest.Provider, old string) {
		idp.SetIDTokenFault(&authtest.IDTokenFault{Claims: func(c map[string]any) { c["nonce"] = old }})
	}, false, oauth.ErrIDToken},
	{"exp as a string", claims(func(c map[string]any) { c["exp"] = strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10) }), false, oauth.ErrIDToken},
	{"iat as a string", claims(func(c map[string]any) { c["iat"] = strconv.FormatInt(time.Now().Unix(), 10) }), false, oauth.ErrIDToken},
	{"exp null", claims(func(c map[string]any) { c["exp"] = nil }), false, oauth.ErrIDToken},
	{"typ at+jwt (an access token, RFC 9068)", fault(authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = "at+jwt" }}), false, oauth.ErrIDToken},
	{"typ not a string", fault(authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = 1 }}), false, oauth.ErrIDToken},
	{"at_hash of another access token", claims(func(c map[string]any) { c["at_hash"] = "77QmUPtjPfzWtF2AnpK9RQ" }), false, oauth.ErrIDToken},
	{"userinfo sub differing from the ID token's", func(idp *authtest.Provider, _ string) {
		idp.SetUserinfo(`{"sub":"someone-else","name":"Mallory"}`)
	}, true, oauth.ErrProfile},
	{"userinfo without sub", func(idp *authtest.Provider, _ string) {
		idp.SetUserinfo(`{"name":"Mallory"}`)
	}, true, oauth.ErrProfile},
}

func fault(f authtest.IDTokenFault) func(*authtest.Provider, string) {
	return func(idp *authtest.Provider, _ string) { idp.SetIDTokenFault(&f) }
}

func claims(edit func(map[string]any)) func(*authtest.Provider, string) {
	return fault(authtest.IDTokenFault{Claims: edit})
}

func TestBadIDTokens(t *testing.T) {
	for _, tt := range badIDTokens {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims, Userinfo: adaUserinfo})
			p := rp(idp)
			p.FetchUserinfo = tt.fetchUserinfo
			p.Discovery = &oauth.Discovery{}
			// A good sign-in first: the relying party works, has the keys
			// cached, and leaves a nonce to replay.
			mustSignIn(t, idp, p)
			oldNonce := idp.LastAuthorization().Get("nonce")
			jwks := idp.JWKSFetches()
			tt.prepare(idp, oldNonce)
			res, err := signIn(t, idp, p)
			if res != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Finish = %v, %v; want no result and %v", res, err, tt.want)
			}
			if idp.Exchanges() != 2 {
				t.Errorf("Exchanges() = %d, want 2: the code exchange worked, the ID token did not", idp.Exchanges())
			}
			if strings.Contains(tt.name, "unknown kid") && idp.JWKSFetches() <= jwks {
				t.Errorf("the key set was not refetched for the unknown kid")
			}
		})
	}
}

func TestIssParam(t *testing.T) {
	tests := []struct {
		name     string
		issParam bool
		edit     func(q url.Values)
		want     error
	}{
		{"wrong iss", true, func(q url.Values) { q.Set("iss", "https://evil.example") }, oauth.ErrIssuer},
		{"missing iss when advertised", true, func(q url.Values) { q.Del("iss") }, oauth.ErrIssuer},
		{"iss of another issuer when not advertised", false, func(q url.Values) { q.Set("iss", "https://evil.example") }, oauth.ErrIssuer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, IssParam: tt.issParam, Claims: adaClaims})
			p := rp(idp)
			q, ch := begin(t, idp, p)
			tt.edit(q)
			res, err := p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
			if res != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Finish = %v, %v; want no result and %v", res, err, tt.want)
			}
			if idp.Exchanges() != 0 {
				t.Errorf("the code was exchanged despite the iss mismatch")
			}
		})
	}
}

func TestIDTokenHS256(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, IDTokenHS256: true, Claims: `{"sub":"U4af4980629","name":"LINE User","picture":"https://profile.line-scdn.net/x"}`})
	p := rp(idp)
	p.IDTokenSecretKey = true
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "U4af4980629", Name: "LINE User", Image: "https://profile.line-scdn.net/x"})
	header, _ := decodeJWT(t, res.Token.Extra("id_token").(string))
	if header["alg"] != "HS256" {
		t.Errorf("alg = %v, want HS256", header["alg"])
	}
	for _, f := range []authtest.IDTokenFault{{BadSignature: true}, {Alg: "none"}, {Alg: "RS256"}} {
		idp.SetIDTokenFault(&f)
		if res, err := signIn(t, idp, p); res != nil || !errors.Is(err, oauth.ErrIDToken) {
			t.Errorf("fault %+v: Finish = %v, %v; want ErrIDToken", f, res, err)
		}
	}
	// Another client's secret does not verify.
	idp.SetIDTokenFault(nil)
	p.ClientSecret = "not-the-secret"
	if res, err := signIn(t, idp, p); res != nil || err == nil {
		t.Errorf("wrong secret: Finish = %v, %v; want an error", res, err)
	}
}

func TestKeyRotation(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
	p := rp(idp)
	p.Discovery = &oauth.Discovery{}
	first := mustSignIn(t, idp, p)
	idp.RotateKeys()
	second := mustSignIn(t, idp, p)
	h1, _ := decodeJWT(t, first.Token.Extra("id_token").(string))
	h2, _ := decodeJWT(t, second.Token.Extra("id_token").(string))
	if h1["kid"] == h2["kid"] {
		t.Errorf("the kid did not change with the rotation: %v", h1["kid"])
	}
}

func TestTenantIssuer(t *testing.T) {
	const tid = "9188040d-6c67-4c5b-b112-36a304b66dad"
	idp := authtest.NewProvider(t, authtest.Config{
		OIDC:   true,
		Claims: `{"sub":"AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ","tid":"` + tid + `","name":"Megan Bowen","email":"megan@contoso.example"}`,
		Paths:  authtest.Paths{Issuer: "/{tenantid}/v2.0", Authorization: "/common/oauth2/v2.0/authorize", Token: "/common/oauth2/v2.0/token"},
	})
	if !strings.HasSuffix(idp.Issuer, "/{tenantid}/v2.0") {
		t.Fatalf("Issuer = %s", idp.Issuer)
	}
	p := rp(idp)
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", Name: "Megan Bowen", Email: "megan@contoso.example"})
	_, c := decodeJWT(t, res.Token.Extra("id_token").(string))
	if want := strings.ReplaceAll(idp.Issuer, "{tenantid}", tid); c["iss"] != want {
		t.Errorf("iss = %v, want %s", c["iss"], want)
	}
	idp.SetIDTokenFault(&authtest.IDTokenFault{Claims: func(c map[string]any) { c["tid"] = "another-tenant" }})
	if res, err := signIn(t, idp, p); res != nil || !errors.Is(err, oauth.ErrIssuer) {
		t.Errorf("iss of another tenant: Finish = %v, %v; want ErrIssuer", res, err)
	}
}

func TestFormPost(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{
		OIDC:           true,
		AuthMethod:     authtest.AuthApple,
		Claims:         `{"sub":"001234.abc.1234","email":"ada@privaterelay.appleid.com","email_verified":"true"}`,
		CallbackParams: map[string]string{"user": `{"name":{"firstName":"Ada","lastName":"Lovelace"},"email":"ada@privaterelay.appleid.com"}`},
	})
	p := rp(idp)
	secret, err := oauth.AppleClientSecret(idp.TeamID, idp.KeyID, idp.ClientID, idp.ClientKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	p.ClientSecret, p.ClientSecretFunc = "", secret
	p.ResponseMode = "form_post"
	p.Profile = oauth.AppleName(oauth.Map(stdUser, nil))
	authURL, ch, err := p.Begin(t.Context(), idp.Client(), redirectURI+"?x=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	req, err := idp.CallbackRequest(t.Context(), authURL)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != http.MethodPost || req.URL.String() != redirectURI+"?x=1" {
		t.Fatalf("callback request %s %s, want a POST to the redirect URI", req.Method, req.URL)
	}
	if err := req.ParseForm(); err != nil {
		t.Fatal(err)
	}
	if req.PostForm.Get("code") == "" || req.PostForm.Get("state") != ch.State || req.PostForm.Get("user") == "" {
		t.Fatalf("posted form %v lacks code, state or user", req.PostForm)
	}
	res, err := p.Finish(t.Context(), idp.Client(), req.PostForm, redirectURI+"?x=1", ch)
	if err != nil {
		t.Fatal(err)
	}
	checkUser(t, res.User, oauth.User{ID: "001234.abc.1234", Name: "Ada Lovelace", Email: "ada@privaterelay.appleid.com"})
	// Authorize returns the same parameters in the URL's query.
	authURL, _, _ = p.Begin(t.Context(), idp.Client(), redirectURI, nil)
	cb, err := idp.Authorize(t.Context(), authURL)
	if err != nil || cb.Query().Get("code") == "" {
		t.Fatalf("Authorize with form_post = %v, %v", cb, err)
	}
}

func TestEndSession(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
	p := rp(idp)
	res := mustSignIn(t, idp, p)
	idToken := res.Token.Extra("id_token").(string)
	u, err := p.EndSessionURL(t.Context(), idp.Client(), idToken, "https://app.example/")
	if err != nil || u == "" {
		t.Fatalf("EndSessionURL = %q, %v", u, err)
	}
	c := idp.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://app.example/" {
		t.Errorf("logout: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	if n := len(idp.Logouts()); n != 1 {
		t.Errorf("Logouts() has %d entries, want 1", n)
	}
	// A hint the provider never issued is refused.
	forged, _ := p.EndSessionURL(t.Context(), idp.Client(), idToken+"x", "https://app.example/")
	if resp, err := c.Get(forged); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("logout with a forged hint: %v %v, want 400", resp.Status, err)
	}
}

func TestMintedTokens(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims, Responses: map[string]string{"/api/things": `[1,2]`}})
	tok := &oauth2.Token{AccessToken: idp.AccessToken(), TokenType: "Bearer"}
	body, err := oauth.Get(t.Context(), idp.Client(), http.MethodGet, idp.URL+"/api/things", tok, nil)
	if err != nil || string(body) != `[1,2]` {
		t.Errorf("GET /api/things = %s, %v", body, err)
	}
	if _, err := oauth.Get(t.Context(), idp.Client(), http.MethodGet, idp.URL+"/api/things", &oauth2.Token{AccessToken: "forged"}, nil); err == nil {
		t.Error("a forged access token was accepted")
	}
	raw, err := idp.IDToken(map[string]any{"email": "other@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, c := decodeJWT(t, raw); c["email"] != "other@example.com" || c["sub"] != "248289761001" || c["iss"] != idp.Issuer {
		t.Errorf("IDToken claims %v", c)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, cfg := range []authtest.Config{
		{OIDC: true},
		{OIDC: true, Claims: `{"name":"no sub"}`},
		{Userinfo: `{not json`},
		{Token: `[1]`},
		{AuthMethod: "tls_client_auth"},
		{UserinfoMethod: "PUT"},
		{OIDC: true, OAuth1: true, Claims: adaClaims},
	} {
		ft := &fakeT{TB: t}
		func() {
			defer func() { _ = recover() }()
			authtest.NewProvider(ft, cfg)
		}()
		if !ft.failed {
			t.Errorf("NewProvider(%+v) did not fail", cfg)
		}
	}
}

// fakeT records a fatal failure instead of ending the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Fatal(args ...any)                 { f.failed = true; panic("fatal") }
func (f *fakeT) Fatalf(format string, args ...any) { f.failed = true; panic("fatal") }
func (f *fakeT) Helper()                           {}

// --- OAuth 1.0a ---

const twitterUser = `{"id":6253282,"id_str":"6253282","name":"Twitter API","screen_name":"TwitterAPI","email":"api@example.com"}`

func oauth1Provider(t *testing.T) (*authtest.Provider, *oauth.Provider) {
	idp := authtest.NewProvider(t, authtest.Config{
		OAuth1:   true,
		Userinfo: twitterUser,
		Token:    `{"user_id":"6253282","screen_name":"TwitterAPI"}`,
		Paths: authtest.Paths{
			RequestToken:  "/oauth/request_token",
			Authorization: "/oauth/authenticate",
			Token:         "/oauth/access_token",
			Userinfo:      "/1.1/account/verify_credentials.json?include_email=true&skip_status=true",
		},
		Responses: map[string]string{"/1.1/other.json": `{"ok":true}`},
	})
	return idp, &oauth.Provider{
		ID: "twitter", Type: oauth.TypeOAuth1,
		ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RequestTokenURL: idp.RequestTokenURL(), AuthorizationURL: idp.AuthorizationURL(),
		TokenURL: idp.TokenURL(), UserinfoURL: idp.UserinfoURL(),
		Profile: oauth.Map(stdUser, nil),
	}
}

func TestOAuth1SignIn(t *testing.T) {
	idp, p := oauth1Provider(t)
	if !strings.HasSuffix(idp.UserinfoURL(), "?include_email=true&skip_status=true") {
		t.Fatalf("UserinfoURL() = %s, want the query kept", idp.UserinfoURL())
	}
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "6253282", Name: "Twitter API", Email: "api@example.com"})
	if res.Token.AccessToken == "" || res.Token.Extra("oauth_token_secret") == "" {
		t.Errorf("token %+v lacks the token credentials", res.Token)
	}
	if idp.Exchanges() != 1 || idp.UserinfoCalls() != 1 {
		t.Errorf("exchanges %d, userinfo %d; want 1 each", idp.Exchanges(), idp.UserinfoCalls())
	}
	if !strings.HasPrefix(idp.UserinfoHeader().Get("Authorization"), "OAuth ") {
		t.Errorf("userinfo Authorization = %q", idp.UserinfoHeader().Get("Authorization"))
	}
}

func TestOAuth1FlowRejects(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error)
		want error
	}{
		{"wrong consumer secret", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			p.ClientSecret = "wrong"
			_, _, err := p.Begin(t.Context(), idp.Client(), redirectURI, nil)
			return nil, err
		}, oauth.ErrOAuth1},
		{"unknown consumer", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			p.ClientID = "nobody"
			_, _, err := p.Begin(t.Context(), idp.Client(), redirectURI, nil)
			return nil, err
		}, oauth.ErrOAuth1},
		{"wrong request token secret", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			ch.RequestSecret = "wrong"
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrOAuth1},
		{"wrong verifier", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			q.Set("oauth_verifier", "forged")
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrOAuth1},
		{"request token of another sign-in", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, _ := begin(t, idp, p)
			_, ch := begin(t, idp, p)
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrState},
		{"verifier used twice", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			q, ch := begin(t, idp, p)
			if _, err := p.Finish(t.Context(), idp.Client(), q, redirectURI, ch); err != nil {
				t.Fatal(err)
			}
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrOAuth1},
		{"user refuses", func(t *testing.T, idp *authtest.Provider, p *oauth.Provider) (*oauth.Result, error) {
			idp.SetAuthorizeError("access_denied")
			q, ch := begin(t, idp, p)
			return p.Finish(t.Context(), idp.Client(), q, redirectURI, ch)
		}, oauth.ErrProviderError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idp, p := oauth1Provider(t)
			res, err := tt.run(t, idp, p)
			if res != nil || !errors.Is(err, tt.want) {
				t.Fatalf("= %v, %v; want no result and %v", res, err, tt.want)
			}
		})
	}
}

// recorder keeps the last request a client sent.
type recorder struct {
	mu   sync.Mutex
	last *http.Request
	rt   http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.last = req.Clone(req.Context())
	r.mu.Unlock()
	return r.rt.RoundTrip(req)
}

// TestOAuth1Signatures checks the HMAC-SHA1 verification on a resource:
// a wrong consumer or token secret, a tampered parameter and a replayed
// nonce are refused.
func TestOAuth1Signatures(t *testing.T) {
	idp, p := oauth1Provider(t)
	res := mustSignIn(t, idp, p)
	access, secret := res.Token.AccessToken, res.Token.Extra("oauth_token_secret").(string)
	rec := &recorder{rt: idp.Client().Transport}
	ctx := context.WithValue(t.Context(), oauth1.HTTPClient, &http.Client{Transport: rec})
	get := func(consumerSecret, tokenSecret, target string) (int, string) {
		t.Helper()
		c := oauth1.NewConfig(idp.ClientID, consumerSecret).Client(ctx, oauth1.NewToken(access, tokenSecret))
		resp, err := c.Get(target)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	send := func(target string, header http.Header) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Header = header.Clone()
		resp, err := idp.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	userinfo := idp.UserinfoURL()
	if code, body := get(idp.ClientSecret, secret, userinfo); code != http.StatusOK {
		t.Fatalf("signed userinfo request: %d %s", code, body)
	}
	signed := rec.last.Header.Clone()
	if code, body := get(idp.ClientSecret, secret, idp.URL+"/1.1/other.json?a=b%20c&d=%2B~*"); code != http.StatusOK {
		t.Errorf("signed request with encoded query parameters: %d %s", code, body)
	}
	for _, tt := range []struct {
		name    string
		send    func() (int, string)
		problem string
	}{
		{"wrong consumer secret", func() (int, string) { return get("wrong", secret, userinfo) }, "signature_invalid"},
		{"wrong token secret", func() (int, string) { return get(idp.ClientSecret, "wrong", userinfo) }, "signature_invalid"},
		{"tampered parameter", func() (int, string) {
			return send(strings.Replace(userinfo, "include_email=true", "include_email=false", 1), signed)
		}, "signature_invalid"},
		{"added parameter", func() (int, string) { return send(userinfo+"&admin=1", signed) }, "signature_invalid"},
		{"another resource", func() (int, string) { return send(idp.URL+"/1.1/other.json", signed) }, "signature_invalid"},
		{"replayed nonce", func() (int, string) { return send(userinfo, signed) }, "nonce_used"},
		{"unsigned", func() (int, string) { return send(userinfo, http.Header{}) }, "parameter_absent"},
	} {
		if code, body := tt.send(); code != http.StatusUnauthorized || !strings.Contains(body, "oauth_problem="+tt.problem) {
			t.Errorf("%s: %d %s, want 401 with oauth_problem=%s", tt.name, code, body, tt.problem)
		}
	}
	if idp.UserinfoCalls() != 2 {
		t.Errorf("UserinfoCalls() = %d, want 2 (the sign-in's and the first signed request)", idp.UserinfoCalls())
	}
}

// TestIssuerKeptAsGiven: an issuer ending in "/" (Roblox's, Vipps') is
// served and compared exactly.
func TestIssuerKeptAsGiven(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims, Paths: authtest.Paths{Issuer: "/oauth/"}})
	if !strings.HasSuffix(idp.Issuer, "/oauth/") {
		t.Fatalf("Issuer = %s", idp.Issuer)
	}
	res := mustSignIn(t, idp, rp(idp))
	if _, c := decodeJWT(t, res.Token.Extra("id_token").(string)); c["iss"] != idp.Issuer {
		t.Errorf("iss = %v, want %s", c["iss"], idp.Issuer)
	}
	p := rp(idp)
	p.Issuer = strings.TrimSuffix(idp.Issuer, "/")
	if _, _, err := p.Begin(t.Context(), idp.Client(), redirectURI, nil); !errors.Is(err, oauth.ErrDiscovery) {
		t.Errorf("issuer without its final /: %v, want ErrDiscovery", err)
	}
}

func TestTokenURLWithQuery(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{Userinfo: `{"id":"1"}`, Paths: authtest.Paths{Token: "/oauth/access_token.php?output=json"}})
	p := client2(idp)
	if !strings.HasSuffix(p.TokenURL, "?output=json") {
		t.Fatalf("TokenURL = %s", p.TokenURL)
	}
	mustSignIn(t, idp, p)
}

// TestClientStaysOnTheServer: Client fails requests for other hosts, or
// with AnyHost answers them.
func TestClientStaysOnTheServer(t *testing.T) {
	const photo = "https://graph.microsoft.com/v1.0/me/photo"
	strict := authtest.NewProvider(t, authtest.Config{})
	if resp, err := strict.Client().Get(photo); err == nil {
		resp.Body.Close()
		t.Error("Client reached another host")
	}
	loose := authtest.NewProvider(t, authtest.Config{AnyHost: true, Responses: map[string]string{"/v1.0/me/photo": `"jpeg"`}})
	tok := &oauth2.Token{AccessToken: loose.AccessToken()}
	body, err := oauth.Get(t.Context(), loose.Client(), http.MethodGet, photo, tok, nil)
	if err != nil || string(body) != `"jpeg"` {
		t.Errorf("GET %s with AnyHost = %s, %v", photo, body, err)
	}
	for _, idp := range []*authtest.Provider{strict, loose} {
		if h := idp.StrayHosts(); len(h) != 1 || h[0] != "graph.microsoft.com" {
			t.Errorf("StrayHosts() = %v", h)
		}
	}
}

// TestAccessTokenPlacement: the access token may come under another
// scheme, in the query, or both when they agree.
func TestAccessTokenPlacement(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{Userinfo: `{"id":"1"}`})
	p := client2(idp)
	p.UserinfoURL = idp.UserinfoURL() + "?access_token={access_token}&client={client_id}"
	p.UserinfoHeader = map[string]string{"Authorization": "OAuth {access_token}"}
	mustSignIn(t, idp, p)
	h := idp.UserinfoHeader().Get("Authorization")
	if !strings.HasPrefix(h, "OAuth at-") {
		t.Errorf("userinfo Authorization = %q", h)
	}
	tok := idp.AccessToken()
	for _, tt := range []struct {
		name, query, header string
		ok                  bool
	}{
		{"query only", "?access_token=" + tok, "", true},
		{"header and query agree", "?access_token=" + tok, "Bearer " + tok, true},
		{"header and query differ", "?access_token=" + tok, "Bearer " + idp.AccessToken(), false},
		{"oauth_token query", "?oauth_token=" + tok + "&v=20240101", "", true},
		{"oauth_token and access_token differ", "?oauth_token=" + tok + "&access_token=" + idp.AccessToken(), "", false},
		{"unknown oauth_token", "?oauth_token=at-unknown", "", false},
		{"scheme without token", "", "Bearer", false},
		{"none", "", "", false},
	} {
		req, _ := http.NewRequest(http.MethodGet, idp.UserinfoURL()+tt.query, nil)
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		resp, err := idp.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ok := resp.StatusCode == http.StatusOK; ok != tt.ok {
			t.Errorf("%s: %s", tt.name, resp.Status)
		}
	}
}

// TestTokenRequest reads a WeChat-style exchange: GET with appid and
// secret in the query.
func TestTokenRequest(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{
		Userinfo: `{"openid":"o6_bmjrPTlm6_2sgVt7hMZOPfL2M","nickname":"Band"}`,
		Token:    `{"openid":"o6_bmjrPTlm6_2sgVt7hMZOPfL2M"}`,
		Paths:    authtest.Paths{Token: "/sns/oauth2/access_token", Userinfo: "/sns/userinfo"},
		TokenRequest: func(r *http.Request) url.Values {
			q := r.URL.Query()
			return url.Values{"grant_type": q["grant_type"], "code": q["code"], "client_id": q["appid"], "client_secret": q["secret"]}
		},
	})
	type profile struct {
		OpenID   string `json:"openid"`
		Nickname string `json:"nickname"`
	}
	p := client2(idp)
	p.Checks = oauth.State
	p.UserinfoURL = idp.UserinfoURL() + "?access_token={access_token}&openid={token.openid}"
	p.Profile = oauth.Map(func(w *profile) oauth.User { return oauth.User{ID: w.OpenID, Name: w.Nickname} }, nil)
	p.TokenExchange = func(ctx context.Context, c *http.Client, p *oauth.Provider, code, _ string) (*oauth2.Token, error) {
		u := p.TokenURL + "?" + url.Values{"appid": {p.ClientID}, "secret": {p.ClientSecret}, "code": {code}, "grant_type": {"authorization_code"}}.Encode()
		body, err := oauth.Get(ctx, c, http.MethodGet, u, &oauth2.Token{}, nil)
		if err != nil {
			return nil, err
		}
		var raw map[string]any
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, err
		}
		at, _ := raw["access_token"].(string)
		if at == "" {
			return nil, errors.New("no access_token: " + string(body))
		}
		return (&oauth2.Token{AccessToken: at}).WithExtra(raw), nil
	}
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", Name: "Band"})
	p.ClientSecret = "wrong"
	if _, err := signIn(t, idp, p); !errors.Is(err, oauth.ErrExchange) {
		t.Errorf("wrong secret: %v, want ErrExchange", err)
	}
}

// TestAccessTokenInPath: a userinfo path (or a response's) with
// {access_token} matches a request carrying a valid token there.
func TestAccessTokenInPath(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{
		Userinfo:  `{"user_id":42,"user":"ada@example.com"}`,
		Paths:     authtest.Paths{Userinfo: "/oauth/v1/access-tokens/{access_token}"},
		Responses: map[string]string{"/tokens/{access_token}/owner": `{"id":"1"}`},
	})
	type profile struct {
		UserID oauth.FlexString `json:"user_id"`
		User   string           `json:"user"`
	}
	p := client2(idp)
	if !strings.HasSuffix(p.UserinfoURL, "/oauth/v1/access-tokens/{access_token}") {
		t.Fatalf("UserinfoURL() = %s, want the template", p.UserinfoURL)
	}
	p.Profile = oauth.Map(func(h *profile) oauth.User { return oauth.User{ID: h.UserID.String(), Email: h.User} }, nil)
	res := mustSignIn(t, idp, p)
	checkUser(t, res.User, oauth.User{ID: "42", Email: "ada@example.com"})
	if n := idp.UserinfoCalls(); n != 1 {
		t.Errorf("UserinfoCalls() = %d, want 1", n)
	}

	tok, other := idp.AccessToken(), idp.AccessToken()
	for _, tt := range []struct {
		name, path, header string
		status             int
	}{
		{"token in path", "/oauth/v1/access-tokens/" + tok, "", http.StatusOK},
		{"path and header agree", "/oauth/v1/access-tokens/" + tok, "Bearer " + tok, http.StatusOK},
		{"path and header differ", "/oauth/v1/access-tokens/" + tok, "Bearer " + other, http.StatusUnauthorized},
		{"unknown token", "/oauth/v1/access-tokens/at-unknown", "", http.StatusUnauthorized},
		{"no token", "/oauth/v1/access-tokens/", "Bearer " + tok, http.StatusNotFound},
		{"response", "/tokens/" + tok + "/owner", "", http.StatusOK},
		{"response, unknown token", "/tokens/at-unknown/owner", "", http.StatusUnauthorized},
		{"response, other suffix", "/tokens/" + tok + "/other", "", http.StatusNotFound},
	} {
		req, _ := http.NewRequest(http.MethodGet, idp.URL+tt.path, nil)
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		resp, err := idp.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: GET %s: %s, want %d", tt.name, tt.path, resp.Status, tt.status)
		}
	}
}

// TestResponsesAnyMethod: Responses answer a POST (a GraphQL query) as
// they answer a GET, with a valid access token.
func TestResponsesAnyMethod(t *testing.T) {
	const answer = `{"data":{"self":{"id":"1"}}}`
	idp := authtest.NewProvider(t, authtest.Config{AnyHost: true, Responses: map[string]string{"/gql-ext": answer}})
	tok := &oauth2.Token{AccessToken: idp.AccessToken()}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		body, err := oauth.Get(t.Context(), idp.Client(), method, "https://api.meetup.com/gql-ext", tok, map[string]string{"Content-Type": "application/json"})
		if err != nil || string(body) != answer {
			t.Errorf("%s: %s, %v", method, body, err)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, idp.URL+"/gql-ext", strings.NewReader(`{"query":"query { self { id } }"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := idp.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST without a token: %s, want 401", resp.Status)
	}
}

// TestSetDiscovery: the edit changes the served document, nil restores it,
// and DiscoveryURL is where it is served.
func TestSetDiscovery(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims, Paths: authtest.Paths{Issuer: "/tenant/"}})
	doc := func() map[string]any {
		t.Helper()
		resp, err := idp.Client().Get(idp.DiscoveryURL())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || m["issuer"] != idp.Issuer {
			t.Fatalf("GET %s: %s, %v, issuer %v", idp.DiscoveryURL(), resp.Status, err, m["issuer"])
		}
		return m
	}
	if d := doc(); d["token_endpoint"] != idp.TokenURL() || d["jwks_uri"] != idp.JWKSURL() {
		t.Errorf("document = %v, want token_endpoint %s and jwks_uri %s", d, idp.TokenURL(), idp.JWKSURL())
	}
	idp.SetDiscovery(func(d map[string]any) {
		delete(d, "token_endpoint")
		d["x-padding"] = strings.Repeat("x", 2<<20)
	})
	if d := doc(); d["token_endpoint"] != nil || len(d["x-padding"].(string)) != 2<<20 {
		t.Errorf("edited document has token_endpoint %v and %d bytes of padding", d["token_endpoint"], len(d["x-padding"].(string)))
	}
	idp.SetDiscovery(nil)
	if d := doc(); d["token_endpoint"] != idp.TokenURL() || d["x-padding"] != nil {
		t.Errorf("restored document = %v", d)
	}
	if n := idp.DiscoveryFetches(); n != 3 {
		t.Errorf("DiscoveryFetches() = %d, want 3", n)
	}
}

// TestSetRedirect: an endpoint answers with the configured redirect, other
// endpoints do not, and "" restores it; bad arguments panic.
func TestSetRedirect(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: adaClaims})
	noFollow := idp.Client()
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(u string) *http.Response {
		t.Helper()
		resp, err := noFollow.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, tc := range []struct {
		e   authtest.Endpoint
		url string
	}{
		{authtest.EndpointDiscovery, idp.DiscoveryURL()},
		{authtest.EndpointJWKS, idp.JWKSURL()},
		{authtest.EndpointUserinfo, idp.UserinfoURL()},
	} {
		idp.SetRedirect(tc.e, http.StatusTemporaryRedirect, "https://elsewhere.example/x")
		if resp := get(tc.url); resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != "https://elsewhere.example/x" {
			t.Errorf("%s: %s to %q, want 307 to https://elsewhere.example/x", tc.e, resp.Status, resp.Header.Get("Location"))
		}
		if resp := get(idp.DiscoveryURL()); tc.e != authtest.EndpointDiscovery && resp.StatusCode != http.StatusOK {
			t.Errorf("with %s redirected, discovery answered %s", tc.e, resp.Status)
		}
		idp.SetRedirect(tc.e, 0, "")
		if resp := get(tc.url); resp.StatusCode == http.StatusTemporaryRedirect {
			t.Errorf("%s still redirects after SetRedirect(…, \"\")", tc.e)
		}
	}
	// The token endpoint, through a code exchange: no exchange counted.
	p := rp(idp)
	q, ch := begin(t, idp, p)
	idp.SetRedirect(authtest.EndpointToken, http.StatusPermanentRedirect, "https://elsewhere.example/token")
	if _, err := p.Finish(t.Context(), idp.Client(), q, redirectURI, ch); !errors.Is(err, oauth.ErrRedirect) {
		t.Errorf("Finish with a redirecting token endpoint: %v, want ErrRedirect", err)
	}
	if idp.Exchanges() != 0 {
		t.Errorf("Exchanges() = %d, want 0", idp.Exchanges())
	}
	for name, f := range map[string]func(){
		"unknown endpoint": func() { idp.SetRedirect("authorize", http.StatusFound, "https://x.example") },
		"status 200":       func() { idp.SetRedirect(authtest.EndpointToken, http.StatusOK, "https://x.example") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetRedirect with %s did not panic", name)
				}
			}()
			f()
		}()
	}
}

// TestCallbackRequestAs: authorizations bound to users of their own get
// their own profiles, whatever order their codes are exchanged in; other
// sign-ins keep the provider's userinfo.
func TestCallbackRequestAs(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{Userinfo: adaUserinfo})
	p := client2(idp)
	type pending struct {
		q  url.Values
		ch oauth.Checks
	}
	var started []pending
	for _, who := range []string{`{"id":"1","name":"One"}`, `{"id":"2","name":"Two"}`} {
		authURL, ch, err := p.Begin(t.Context(), idp.Client(), redirectURI, nil)
		if err != nil {
			t.Fatal(err)
		}
		req, err := idp.CallbackRequestAs(t.Context(), authURL, who)
		if err != nil {
			t.Fatal(err)
		}
		started = append(started, pending{req.URL.Query(), ch})
	}
	for i := len(started) - 1; i >= 0; i-- {
		res, err := p.Finish(t.Context(), idp.Client(), started[i].q, redirectURI, started[i].ch)
		if err != nil {
			t.Fatal(err)
		}
		if want := strconv.Itoa(i + 1); res.User.ID != want {
			t.Errorf("sign-in %d: user %+v, want ID %s", i+1, res.User, want)
		}
	}
	checkUser(t, mustSignIn(t, idp, p).User, oauth.User{ID: "248289761001", Name: "Ada Lovelace", Email: "ada@example.com", Image: "https://idp.example/ada.jpg"})
	authURL, _, _ := p.Begin(t.Context(), idp.Client(), redirectURI, nil)
	if _, err := idp.CallbackRequestAs(t.Context(), authURL, "{"); err == nil {
		t.Error("CallbackRequestAs took a userinfo that is not JSON")
	}
}
