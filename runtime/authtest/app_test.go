package authtest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// TestNewApp builds an application the way a generated one reads its
// environment (runtime/env) with an OpenID Connect provider and an OAuth
// 2.0 one at their fakes: the environment holds AUTH_URL (the server's
// origin), AUTH_KEYS and each provider's variables (the OAuth 2.0
// provider's endpoints at its own paths on the fake), a browser signs in
// through each, and a session cookie with a character changed reads as
// signed out.
func TestNewApp(t *testing.T) {
	fakes := []authtest.Fake{
		{ID: "corp", EnvName: "CORP", Config: authtest.Config{OIDC: true, Claims: `{"sub":"7","name":"Ada","email":"ada@example.com","email_verified":true}`}},
		{
			ID: "hub", EnvName: "HUB",
			Config:    authtest.Config{Userinfo: `{"id":"9","email":"bo@example.com"}`, Paths: authtest.Paths{Authorization: "/login/authorize", Token: "/login/token", Userinfo: "/api/user"}},
			Endpoints: map[string]string{"AUTHORIZATION_URL": "/login/authorize", "TOKEN_URL": "/login/token", "USERINFO_URL": "/api/user"},
			BaseURL:   true,
			APIKey:    true,
			User:      oauth.User{ID: "9", Email: "bo@example.com"},
		},
	}
	app := authtest.NewApp(t, authtest.AppConfig{
		BasePath: "/api/auth",
		Fakes:    fakes,
		Env:      map[string]string{"AUTH_TRUST_HOST": "false"},
		Build: func(getenv func(string) string) (http.Handler, error) {
			e := env.New(getenv)
			origin := e.Origin("AUTH_URL", "http://localhost:3000")
			ks := e.Keys()
			corp := e.Provider(env.ProviderSpec{EnvName: "CORP", Name: "Corp", NeedsIssuer: true})
			hub := e.Provider(env.ProviderSpec{EnvName: "HUB", Name: "Hub", NeedsEndpoints: true, SelfHosted: "Hub Server", NeedsBaseURL: true, NeedsAPIKey: true})
			if err := e.Err(); err != nil {
				return nil, err
			}
			if getenv("AUTH_TRUST_HOST") != "false" {
				t.Error("AppConfig.Env did not reach the application")
			}
			p1 := &oauth.Provider{ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce,
				Profile: oauth.Map(func(c *struct {
					Sub   string `json:"sub"`
					Name  string `json:"name"`
					Email string `json:"email"`
				}) oauth.User {
					return oauth.User{ID: c.Sub, Name: c.Name, Email: c.Email}
				}, nil)}
			corp.Apply(p1)
			p2 := &oauth.Provider{ID: "hub", Name: "Hub", Type: oauth.TypeOAuth, Checks: oauth.PKCE | oauth.State,
				Profile: oauth.Map(func(c *struct {
					ID    string `json:"id"`
					Email string `json:"email"`
				}) oauth.User {
					return oauth.User{ID: c.ID, Email: c.Email}
				}, nil)}
			hub.Apply(p2)
			if hub.APIKey == "" || hub.BaseURL == "" {
				t.Errorf("AUTH_HUB_API_KEY %q, AUTH_HUB_BASE_URL %q: want both set", hub.APIKey, hub.BaseURL)
			}
			return server.New(server.Config{URL: origin, Keys: ks, Providers: []*oauth.Provider{p1, p2}})
		},
	})
	if app.Env["AUTH_URL"] != app.URL || app.Server.URL != app.URL {
		t.Fatalf("AUTH_URL %q, server %q, App.URL %q: want one origin", app.Env["AUTH_URL"], app.Server.URL, app.URL)
	}
	if got := app.Env["AUTH_HUB_TOKEN_URL"]; got != app.Providers[1].IdP.URL+"/login/token" {
		t.Errorf("AUTH_HUB_TOKEN_URL = %q, want the fake's /login/token", got)
	}
	if _, ok := app.Env["AUTH_CORP_TOKEN_URL"]; ok || app.Env["AUTH_CORP_ISSUER"] != app.Providers[0].IdP.Issuer {
		t.Errorf("the OpenID Connect provider's variables: %v", app.Env)
	}

	for _, p := range app.Providers {
		t.Run(p.ID, func(t *testing.T) {
			b := app.NewBrowser(t)
			resp := b.SignIn(p.IdP, p.ID, app.URL+"/")
			if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != app.URL+"/" {
				t.Fatalf("sign-in: %s to %q\n%s", resp.Status, resp.Header.Get("Location"), authtest.Body(t, resp))
			}
			if got := sessionEmail(t, b); got == "" {
				t.Fatal("signed in, GET /session has no user")
			}
			token := []byte(b.Cookie("session-token"))
			if mid := len(token) / 2; token[mid] == 'A' {
				token[mid] = 'B'
			} else {
				token[mid] = 'A'
			}
			b.SetCookie("session-token", string(token))
			if got := sessionEmail(t, b); got != "" {
				t.Errorf("a tampered session cookie reads as %s's session", got)
			}
		})
	}
}

// sessionEmail returns the address of GET /session's user, "" when signed
// out.
func sessionEmail(t *testing.T, b *authtest.Browser) string {
	t.Helper()
	var s struct {
		User struct {
			Email string `json:"email"`
		} `json:"user"`
	}
	resp := b.Get(b.API("/session"))
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatalf("GET /session: %s: %v", resp.Status, err)
	}
	return s.User.Email
}

// TestLenientTokenRequest reads WeChat's token request (GET, appid and
// secret in the query) and a Basic-authenticated one under RFC 6749's
// names.
func TestLenientTokenRequest(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "http://idp/token?appid=wx1&secret=s3&code=c&grant_type=authorization_code", nil)
	v := authtest.LenientTokenRequest(r)
	if v.Get("client_id") != "wx1" || v.Get("client_secret") != "s3" || v.Get("code") != "c" {
		t.Errorf("WeChat's request: %v", v)
	}
	r, _ = http.NewRequest(http.MethodPost, "http://idp/token", nil)
	r.SetBasicAuth(url.QueryEscape("id:1"), url.QueryEscape("se cret"))
	if v := authtest.LenientTokenRequest(r); v.Get("client_id") != "id:1" || v.Get("client_secret") != "se cret" {
		t.Errorf("Basic credentials: %v", v)
	}
}

// TestEnrolTwoFactor: with two-factor sign-in required, a sign-in through
// a fake ends at enrolment, and EnrolTwoFactor enrols, which starts the
// session and goes on to the callbackUrl.
func TestEnrolTwoFactor(t *testing.T) {
	st := memstore.New()
	app := authtest.NewApp(t, authtest.AppConfig{
		BasePath: "/api/auth",
		Fakes:    []authtest.Fake{{ID: "corp", EnvName: "CORP", Config: authtest.Config{OIDC: true, Claims: `{"sub":"7","email":"ada@example.com"}`}}},
		Build: func(getenv func(string) string) (http.Handler, error) {
			e := env.New(getenv)
			origin, ks := e.Origin("AUTH_URL", ""), e.Keys()
			corp := e.Provider(env.ProviderSpec{EnvName: "CORP", NeedsIssuer: true})
			if err := e.Err(); err != nil {
				return nil, err
			}
			p := &oauth.Provider{ID: "corp", Type: oauth.TypeOIDC, Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.Nonce,
				Profile: oauth.Map(func(c *struct {
					Sub   string `json:"sub"`
					Email string `json:"email"`
				}) oauth.User {
					return oauth.User{ID: c.Sub, Email: c.Email}
				}, nil)}
			corp.Apply(p)
			return server.New(server.Config{URL: origin, Keys: ks, Providers: []*oauth.Provider{p}, Strategy: server.StrategyDatabase,
				Users: st, Sessions: st, TwoFactor: &server.TwoFactor{Mode: server.TwoFactorRequired}})
		},
	})
	p := app.Providers[0]
	b := app.NewBrowser(t)
	resp := b.SignIn(p.IdP, p.ID, app.URL+"/dashboard")
	if got := sessionEmail(t, b); got != "" {
		t.Fatalf("before enrolling, GET /session has %s's session", got)
	}
	if to := b.EnrolTwoFactor(resp); to != app.URL+"/dashboard" {
		t.Errorf("EnrolTwoFactor goes on to %q, want the callbackUrl", to)
	}
	if got := sessionEmail(t, b); got != "ada@example.com" {
		t.Errorf("after enrolling, GET /session: %q, want ada@example.com", got)
	}
}
