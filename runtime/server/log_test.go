package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/server"
)

// TestNoSecretsInLogs drives a sign-in with every kind of failure and checks
// that no log line, at Debug level, carries a secret.
func TestNoSecretsInLogs(t *testing.T) {
	a := newApp(t, func(c *server.Config) {
		c.Callbacks.SignIn = func(_ context.Context, in *server.SignInInput) error {
			if in.User.Name == "Refused" {
				return errRefused
			}
			return nil
		}
	})
	var secrets []string
	remember := func(what, s string) {
		t.Helper()
		if s == "" {
			t.Fatalf("no %s to look for", what)
		}
		secrets = append(secrets, s)
	}
	remember("GitHub client secret", a.github.ClientSecret)
	remember("GitLab client secret", a.gitlab.ClientSecret)
	remember("access token", a.idp.accessToken)

	// A successful sign-in.
	a.mustSignIn()
	session := a.jarCookie("session-token")
	remember("session cookie", session)
	token := a.csrfToken()
	remember("CSRF token", token)
	remember("CSRF cookie", a.jarCookie("csrf-token"))

	// Failures: CSRF, cross-site, wrong state, denied, token endpoint,
	// userinfo, refused by the app, tampered session, sign-out and update
	// without CSRF.
	a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {"0" + token[1:]}})
	a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {token}}, "Sec-Fetch-Site", "cross-site")

	authURL := a.startSignIn("github", "/x")
	state := mustQuery(t, authURL).Get("state")
	remember("state", state)
	remember("state cookie", a.jarCookie("state"))
	remember("PKCE cookie", a.jarCookie("pkce.code_verifier"))
	cb := a.authorize(authURL)
	code := mustQuery(t, cb).Get("code")
	remember("authorization code", code)
	a.get(replaceQuery(t, cb, "state", "forged-"+state))

	a.idp.set(func(p *idp) { p.deny = true })
	a.get(a.authorize(a.startSignIn("github", "/x")))
	a.idp.set(func(p *idp) { p.deny = false; p.tokenError = true })
	cb = a.authorize(a.startSignIn("github", "/x"))
	remember("authorization code", mustQuery(t, cb).Get("code"))
	a.get(cb) // the token endpoint's body echoes the secret and the code
	a.idp.set(func(p *idp) { p.tokenError = false; p.userError = true })
	a.get(a.authorize(a.startSignIn("github", "/x"))) // the error body echoes the access token
	a.idp.set(func(p *idp) {
		p.userError = false
		p.user = `{"id":583231,"name":"Refused","email":"x@example.com"}`
	})
	a.get(a.authorize(a.startSignIn("gitlab", "/x")))

	// Tampered and foreign session cookies.
	tampered := session[:len(session)-10] + "AAAAAAAAAA"
	remember("tampered session cookie", tampered)
	a.setJarCookie(a.cookieName("session-token"), tampered)
	a.sessionJSON()
	a.setJarCookie(a.cookieName("session-token"), tampered)
	a.get("/protected")

	a.postForm("/api/auth/signout", url.Values{"csrfToken": {"x" + token[1:]}})
	a.postForm("/api/auth/session", url.Values{"csrfToken": {"x" + token[1:]}, "data": {"{}"}})
	a.get("/api/auth/callback/github?code=" + url.QueryEscape(code) + "&state=" + url.QueryEscape(state))

	logs := a.logs.String()
	if strings.Count(logs, "\n") < 8 {
		t.Fatalf("expected the failures to be logged, got:\n%s", logs)
	}
	for _, want := range []string{"code=MissingCSRF", "code=OAuthCallback", "code=AccessDenied", "session cookie rejected"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q", want)
		}
	}
	for _, line := range strings.Split(logs, "\n") {
		for _, s := range secrets {
			if strings.Contains(line, s) {
				t.Errorf("log line carries a secret (%.12s…):\n%s", s, line)
			}
		}
		// Also look for URL-escaped forms.
		for _, s := range secrets {
			if e := url.QueryEscape(s); e != s && strings.Contains(line, e) {
				t.Errorf("log line carries an escaped secret:\n%s", line)
			}
		}
	}
}

var errRefused = &refusedError{}

type refusedError struct{}

func (*refusedError) Error() string { return "refused by test" }

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}
