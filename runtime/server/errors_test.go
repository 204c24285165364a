package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// withErrorCodes sets Config.ErrorCodes.
func withErrorCodes(s server.ErrorCodeStyle) appOption {
	return func(c *server.Config) { c.ErrorCodes = s }
}

// styles are the error code styles the tests run under: the zero value
// (which is ErrorCodesV4) and ErrorCodesV5.
var styles = []struct {
	name  string
	style server.ErrorCodeStyle
}{{"v4 (default)", ""}, {"v5", server.ErrorCodesV5}}

// errorCase is one failure and where each style sends the browser,
// relative to the base path.
type errorCase struct {
	name   string
	run    func(t *testing.T, style appOption) (base string, resp *http.Response)
	v4, v5 string
}

// TestErrorCodeStyles: every situation authgen answers with an error code
// sends the browser where next-auth v4 does by default and, with
// ErrorCodesV5, where @auth/core 0.41.3 does: its client-safe codes on the
// sign-in page (OAuthCallbackError, OAuthAccountNotLinked,
// CredentialsSignin, MissingCSRF) or the error page (AccessDenied,
// Verification), everything else Configuration on the error page.
func TestErrorCodeStyles(t *testing.T) {
	oauthApp := func(t *testing.T, style appOption, opts ...appOption) *app {
		return newApp(t, append([]appOption{style}, opts...)...)
	}
	cases := []errorCase{
		{
			name: "sign-in without CSRF token",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				return a.base, a.postForm("/api/auth/signin/github", url.Values{"callbackUrl": {"/"}})
			},
			v4: "/signin?error=MissingCSRF", v5: "/signin?error=MissingCSRF",
		},
		{
			name: "sign-in URL cannot be made (discovery fails)",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style, func(c *server.Config) {
					issuer := strings.TrimSuffix(c.Providers[0].TokenURL, "/login/oauth/access_token") + "/no-oidc-here"
					c.Providers = append(c.Providers, &oauth.Provider{
						ID: "corp", Name: "Corp", Type: oauth.TypeOIDC, Issuer: issuer,
						ClientID: "corp-client", ClientSecret: "corp-secret",
						Profile: oauth.Map(func(g *ghProfile) oauth.User { return oauth.User{ID: g.ID.String()} }, nil),
					})
				})
				return a.base, a.postForm("/api/auth/signin/corp", url.Values{"csrfToken": {a.csrfToken()}})
			},
			v4: "/signin?error=OAuthSignin", v5: "/error?error=Configuration",
		},
		{
			name: "provider refuses (PKCE and state)",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				a.idp.set(func(p *idp) { p.deny = true })
				return a.base, a.signIn("github", "/")
			},
			v4: "/signin?error=OAuthCallback", v5: "/signin?error=OAuthCallbackError",
		},
		{
			name: "provider refuses (PKCE only)",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				a.idp.set(func(p *idp) { p.deny = true })
				return a.base, a.signIn("gitlab", "/")
			},
			v4: "/signin?error=OAuthCallback", v5: "/signin?error=OAuthCallbackError",
		},
		{
			name: "OAuth 1.0a provider: the user denied",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				idp := newOAuth1IdP(t)
				a := newOAuth1App(t, idp, tokConfig{configure: style})
				b := newBrowser(t)
				tok := url.Values{}
				if loc, err := url.Parse(a.begin(b, "tw").Header.Get("Location")); err == nil {
					tok.Set("denied", loc.Query().Get("oauth_token"))
				}
				return a.base, b.get(a.base + "/callback/tw?" + tok.Encode())
			},
			v4: "/signin?error=OAuthCallback", v5: "/signin?error=OAuthCallbackError",
		},
		{
			name: "provider error with another state",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				a.startSignIn("github", "/")
				return a.base, a.get("/api/auth/callback/github?error=access_denied&state=forged")
			},
			v4: "/signin?error=OAuthCallback", v5: "/error?error=Configuration",
		},
		{
			name: "provider error without the state cookie",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				a.idp.set(func(p *idp) { p.deny = true })
				cb := a.authorize(a.startSignIn("github", "/"))
				a.setJarCookie(a.cookieName("state"), "")
				return a.base, a.get(cb)
			},
			v4: "/signin?error=OAuthCallback", v5: "/error?error=Configuration",
		},
		{
			name: "code exchange refused",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				a.idp.set(func(p *idp) { p.tokenError = true })
				return a.base, a.signIn("github", "/")
			},
			v4: "/signin?error=OAuthCallback", v5: "/error?error=Configuration",
		},
		{
			name: "profile request fails",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				a.idp.set(func(p *idp) { p.userError = true })
				return a.base, a.signIn("github", "/")
			},
			v4: "/signin?error=OAuthCallback", v5: "/error?error=Configuration",
		},
		{
			name: "callback of an unknown provider",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				return a.base, a.get("/api/auth/callback/nope?code=x")
			},
			v4: "/signin?error=OAuthCallback", v5: "/error?error=Configuration",
		},
		{
			name: "sign-in callback refuses",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style, func(c *server.Config) {
					c.Callbacks.SignIn = func(context.Context, *server.SignInInput) error { return errors.New("not on the list") }
				})
				return a.base, a.signIn("github", "/")
			},
			v4: "/error?error=AccessDenied", v5: "/error?error=AccessDenied",
		},
		{
			name: "JWT callback fails",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style, func(c *server.Config) {
					c.Callbacks.JWT = func(context.Context, *server.JWTInput) error { return errors.New("claims unavailable") }
				})
				return a.base, a.signIn("github", "/")
			},
			v4: "/signin?error=Callback", v5: "/error?error=Configuration",
		},
		{
			name: "account's address belongs to another user",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				st := memstore.New()
				a := oauthApp(t, style, func(c *server.Config) { c.Users = st })
				a.mustSignIn()
				a.setJarCookie(a.cookieName("session-token"), "")
				return a.base, a.signIn("gitlab", "/")
			},
			v4: "/signin?error=OAuthAccountNotLinked", v5: "/signin?error=OAuthAccountNotLinked",
		},
		{
			name: "user store fails at the callback",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				st := newFaultStore()
				a := oauthApp(t, style, func(c *server.Config) { c.Users = st })
				st.fail("GetUserByAccount")
				return a.base, a.signIn("github", "/")
			},
			v4: "/signin?error=Callback", v5: "/error?error=Configuration",
		},
		{
			name: "credentials refused",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newCredApp(t, false, server.StrategyJWT, style)
				return a.base, a.post("alice", wrongPassword)
			},
			v4: "/signin?error=CredentialsSignin&provider=credentials", v5: "/signin?code=credentials&error=CredentialsSignin",
		},
		{
			name: "credentials backend fails",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newCredApp(t, false, server.StrategyJWT, style)
				a.users.failErr = errors.New("connection refused")
				return a.base, a.post("alice", alicePassword)
			},
			v4: "/error?error=CredentialsUnavailable", v5: "/error?error=Configuration",
		},
		{
			name: "credentials without CSRF token",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newCredApp(t, false, server.StrategyJWT, style)
				return a.base, a.postForm("/api/auth/callback/credentials", url.Values{"username": {"alice"}, "password": {alicePassword}})
			},
			v4: "/signin?error=MissingCSRF", v5: "/signin?error=MissingCSRF",
		},
		{
			name: "e-mail address invalid",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newEmailApp(t, style)
				return a.base, a.request("not-an-address", "")
			},
			v4: "/signin?error=EmailSignin", v5: "/error?error=Configuration",
		},
		{
			name: "e-mail cannot be sent",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newEmailApp(t, style)
				a.out.fail(errors.New("smtp: 451 try later"))
				return a.base, a.request("ada@example.com", "")
			},
			v4: "/signin?error=EmailSignin", v5: "/error?error=Configuration",
		},
		{
			name: "e-mail sign-in refused by the sign-in callback",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newEmailApp(t, style, func(c *server.Config) {
					c.Callbacks.SignIn = func(context.Context, *server.SignInInput) error { return errors.New("no") }
				})
				return a.base, a.request("ada@example.com", "")
			},
			v4: "/error?error=AccessDenied", v5: "/error?error=AccessDenied",
		},
		{
			name: "e-mail link with an unknown token",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newEmailApp(t, style)
				return a.base, a.confirm(a.base + "/callback/email?token=unknown&email=ada%40example.com")
			},
			v4: "/error?error=Verification", v5: "/error?error=Verification",
		},
		{
			name: "e-mail link without its token",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newEmailApp(t, style)
				return a.base, a.get("/api/auth/callback/email?email=ada%40example.com")
			},
			v4: "/error?error=Verification", v5: "/error?error=Configuration",
		},
		{
			name: "sign-out without CSRF token",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := oauthApp(t, style)
				a.mustSignIn()
				return a.base, a.postForm("/api/auth/signout", url.Values{})
			},
			v4: "/signout?error=MissingCSRF", v5: "/signin?error=MissingCSRF",
		},
	}
	for _, tc := range cases {
		for _, s := range styles {
			t.Run(tc.name+"/"+s.name, func(t *testing.T) {
				want := tc.v4
				if s.style == server.ErrorCodesV5 {
					want = tc.v5
				}
				base, resp := tc.run(t, withErrorCodes(s.style))
				if got := location(t, resp); got != base+want {
					t.Errorf("redirected to %q, want %q", strings.TrimPrefix(got, base), want)
				}
			})
		}
	}
}

// TestErrorCodeStylesJSON: a client that asked for JSON (v4's json=true,
// v5's X-Auth-Return-Redirect) gets the same code in {"url"}; with
// ErrorCodesV5 a refused or failed credentials sign-in is 200 {"url"} as
// from @auth/core, where v4 answers 401 and authgen 503.
func TestErrorCodeStylesJSON(t *testing.T) {
	type answer struct {
		status int
		body   string
	}
	cases := []struct {
		name   string
		run    func(t *testing.T, style appOption) (base string, resp *http.Response)
		v4, v5 answer
	}{
		{
			name: "sign-in without CSRF token",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newApp(t, style)
				return a.base, a.postForm("/api/auth/signin/github", url.Values{}, "X-Auth-Return-Redirect", "1")
			},
			v4: answer{200, `{"url":"BASE/signin?error=MissingCSRF"}`},
			v5: answer{200, `{"url":"BASE/signin?error=MissingCSRF"}`},
		},
		{
			name: "credentials refused",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newCredApp(t, false, server.StrategyJWT, style)
				return a.base, a.post("alice", wrongPassword, "X-Auth-Return-Redirect", "1")
			},
			v4: answer{401, `{"error":"CredentialsSignin","url":"BASE/signin?error=CredentialsSignin\u0026provider=credentials"}`},
			v5: answer{200, `{"url":"BASE/signin?code=credentials\u0026error=CredentialsSignin"}`},
		},
		{
			name: "credentials backend fails",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newCredApp(t, false, server.StrategyJWT, style)
				a.users.failErr = errors.New("connection refused")
				return a.base, a.post("alice", alicePassword, "X-Auth-Return-Redirect", "1")
			},
			v4: answer{503, `{"error":"CredentialsUnavailable","url":"BASE/error?error=CredentialsUnavailable"}`},
			v5: answer{200, `{"url":"BASE/error?error=Configuration"}`},
		},
		{
			name: "e-mail address invalid",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newEmailApp(t, style)
				return a.base, a.request("not-an-address", "", "X-Auth-Return-Redirect", "1")
			},
			v4: answer{200, `{"url":"BASE/signin?error=EmailSignin"}`},
			v5: answer{200, `{"url":"BASE/error?error=Configuration"}`},
		},
		{
			name: "session update without CSRF token",
			run: func(t *testing.T, style appOption) (string, *http.Response) {
				a := newApp(t, style)
				return a.base, a.postForm("/api/auth/session", url.Values{"data": {`{"x":1}`}})
			},
			v4: answer{400, `null`},
			v5: answer{400, `null`},
		},
	}
	for _, tc := range cases {
		for _, s := range styles {
			t.Run(tc.name+"/"+s.name, func(t *testing.T) {
				want := tc.v4
				if s.style == server.ErrorCodesV5 {
					want = tc.v5
				}
				base, resp := tc.run(t, withErrorCodes(s.style))
				body := strings.TrimSpace(readBody(t, resp))
				if wantBody := strings.ReplaceAll(want.body, "BASE", base); resp.StatusCode != want.status || body != wantBody {
					t.Errorf("answered %d %s, want %d %s", resp.StatusCode, body, want.status, wantBody)
				}
			})
		}
	}
}

// TestErrorPageStyles: GET /error under each style. v4 sends the sign-in
// codes to the sign-in page, matches codes case-insensitively and hands an
// application's error page the whole query; v5 (@auth/core) keeps every
// code on the error page, matches exactly, and passes ?error= alone.
func TestErrorPageStyles(t *testing.T) {
	cases := []struct {
		query string
		pages bool // with Pages.Error
		// v4 and v5: a status, and for 302 the target relative to the
		// origin.
		v4, v5 string
	}{
		{query: "error=OAuthCallback", v4: "302 /api/auth/signin?error=OAuthCallback", v5: "200"},
		{query: "error=CredentialsSignin", v4: "302 /api/auth/signin?error=CredentialsSignin", v5: "200"},
		{query: "error=OAuthCallbackError", v4: "200", v5: "200"},
		{query: "error=Configuration", v4: "500", v5: "500"},
		{query: "error=configuration", v4: "500", v5: "200"},
		{query: "error=AccessDenied", v4: "403", v5: "403"},
		{query: "error=Verification", v4: "403", v5: "403"},
		{query: "error=RateLimited", v4: "429", v5: "429"},
		{query: "error=AccessDenied&callbackUrl=%2Fx", pages: true, v4: "302 /oops?callbackUrl=%2Fx&error=AccessDenied", v5: "302 /oops?error=AccessDenied"},
		{query: "error=OAuthCallbackError", pages: true, v4: "302 /oops?error=OAuthCallbackError", v5: "302 /oops?error=OAuthCallbackError"},
	}
	for _, s := range styles {
		t.Run(s.name, func(t *testing.T) {
			plain := newApp(t, withErrorCodes(s.style))
			custom := newApp(t, withErrorCodes(s.style), func(c *server.Config) { c.Pages.Error = "/oops" })
			for _, tc := range cases {
				a := plain
				if tc.pages {
					a = custom
				}
				want := tc.v4
				if s.style == server.ErrorCodesV5 {
					want = tc.v5
				}
				resp := a.get("/api/auth/error?" + tc.query)
				got := resp.Status[:3]
				if resp.StatusCode == http.StatusFound {
					got += " " + strings.TrimPrefix(resp.Header.Get("Location"), a.origin)
				}
				if got != want {
					t.Errorf("GET /error?%s (pages %v): %s, want %s", tc.query, tc.pages, got, want)
				}
			}
			// The sign-in page explains v5's callback code too.
			page := readBody(t, plain.get("/api/auth/signin?error=OAuthCallbackError"))
			if !strings.Contains(page, "Try signing in with a different account.") {
				t.Error("the sign-in page has no message for OAuthCallbackError")
			}
		})
	}
}

// TestErrorCodesConfig: an unknown style is a configuration error naming
// the two.
func TestErrorCodesConfig(t *testing.T) {
	u, _ := url.Parse("http://localhost:3000")
	a := newApp(t)
	_, err := server.New(server.Config{URL: u, Keys: a.keys, ErrorCodes: "v6"})
	if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), `unknown ErrorCodes "v6"`) || !strings.Contains(err.Error(), "ErrorCodesV5") {
		t.Errorf("New with ErrorCodes v6: %v", err)
	}
}

// TestErrorCodesLogged: the log names the code answered and, when v5's
// differs, authgen's v4 name of the situation.
func TestErrorCodesLogged(t *testing.T) {
	a := newApp(t, withErrorCodes(server.ErrorCodesV5))
	a.idp.set(func(p *idp) { p.tokenError = true })
	location(t, a.signIn("github", "/"))
	logs := a.logs.String()
	if !strings.Contains(logs, "code=Configuration") || !strings.Contains(logs, "v4Code=OAuthCallback") {
		t.Errorf("the log does not name both codes:\n%s", logs)
	}
}
