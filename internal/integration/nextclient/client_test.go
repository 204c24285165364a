package nextclient

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/runtime/server"
)

// harnessState is window.harness.state as JSON.
type harnessState struct {
	Version string   `json:"version"`
	Status  string   `json:"status"`
	Renders int      `json:"renders"`
	Errors  []string `json:"errors"`
	Data    *struct {
		User struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"user"`
		Expires string `json:"expires"`
	} `json:"data"`
}

// state reads the page's harness state.
func state(p *chromium.Page) harnessState {
	var raw string
	p.Eval(`JSON.stringify({version: harness.state.version, status: harness.state.status, renders: harness.state.renders, errors: harness.state.errors, data: harness.state.data})`, &raw)
	var s harnessState
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		p.T().Fatalf("harness state %q: %v", raw, err)
	}
	return s
}

// waitStatus waits (generously) until useSession's status is want.
func waitStatus(t *testing.T, p *chromium.Page, want string) harnessState {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var ready bool
		p.Eval(`typeof harness === "object"`, &ready)
		if ready {
			if s := state(p); s.Status == want {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("useSession status never became %q: %+v", want, state(p))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// await runs an async expression on the page and decodes its JSON result.
func await(p *chromium.Page, expr string, out any) {
	p.T().Helper()
	var raw string
	p.Eval(`(async () => JSON.stringify(await (`+expr+`)))()`, &raw)
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		p.T().Fatalf("%s = %q: %v", expr, raw, err)
	}
}

// clients are the versions the harness bundles, each against a server
// sharing sessions with an Auth.js application of its version
// (Config.AuthJS), which makes the server answer as that version does: an
// empty session as {} for v4 (null makes its client log
// CLIENT_FETCH_ERROR) and null for v5, and that version's error codes.
var clients = []struct {
	version string
	edit    func(*server.Config)
}{
	{"v4", func(c *server.Config) { c.AuthJS = &server.AuthJS{Version: 4, Secrets: []string{secret}} }},
	{"v5", func(c *server.Config) { c.AuthJS = &server.AuthJS{Version: 5, Secrets: []string{secret}} }},
}

// secret is the Auth.js application's AUTH_SECRET.
const secret = "a-test-secret-of-the-auth.js-application"

// TestClientFunctions drives every client function of both versions:
// getCsrfToken, getProviders, getSession, signIn through an OIDC provider
// (redirect), signIn with credentials (redirect: false, right and wrong),
// update, signOut; useSession's status follows, refetchInterval polls,
// refetchOnWindowFocus refetches, and nothing the clients send is refused
// (no 400 from /_log) or throws.
func TestClientFunctions(t *testing.T) {
	dist := bundles(t)
	for _, c := range clients {
		t.Run(c.version, func(t *testing.T) {
			a := newApp(t, dist, c.edit)
			p := chromium.New(t)
			page := a.origin + "/harness/" + c.version
			p.Navigate(page + "?refetchInterval=1")
			waitStatus(t, p, "unauthenticated")

			var csrf string
			await(p, `harness.getCsrfToken()`, &csrf)
			if !regexp.MustCompile(`^[0-9a-f]{32,}$`).MatchString(csrf) && len(csrf) < 32 {
				t.Errorf("getCsrfToken() = %q", csrf)
			}
			var providers map[string]struct {
				ID, Name, Type, SigninURL, CallbackURL string
			}
			await(p, `harness.getProviders()`, &providers)
			if providers["corp"].Type != "oidc" || providers["credentials"].Type != "credentials" || !strings.HasSuffix(providers["corp"].SigninURL, "/api/auth/signin/corp") {
				t.Errorf("getProviders() = %+v", providers)
			}
			var none any
			await(p, `harness.getSession()`, &none)
			if none != nil {
				t.Errorf("getSession() signed out = %v, want null", none)
			}

			// A wrong password with redirect: false: the error, no session.
			var res struct {
				Error  string `json:"error"`
				OK     bool   `json:"ok"`
				Status int    `json:"status"`
				URL    string `json:"url"`
			}
			await(p, `harness.signIn("credentials", {username: "grace", password: "wrong", redirect: false})`, &res)
			// v5 answers 200 with the error in the URL, as @auth/core does,
			// so its client says ok: true beside the error.
			if res.Error != "CredentialsSignin" || c.version == "v4" && res.OK {
				t.Errorf("signIn(credentials, wrong password) = %+v", res)
			}
			// The right one signs in; useSession follows without a reload.
			res.Error, res.OK = "", false
			await(p, `harness.signIn("credentials", {username: "grace", password: "right horse", redirect: false})`, &res)
			if res.Error != "" || !res.OK {
				t.Errorf("signIn(credentials) = %+v", res)
			}
			s := waitStatus(t, p, "authenticated")
			if s.Data == nil || s.Data.User.Email != "grace@example.com" {
				t.Fatalf("session after the credentials sign-in: %+v", s)
			}

			// refetchInterval=1 polls GET /session while signed in.
			before := a.sessionGets.Load()
			deadline := time.Now().Add(15 * time.Second)
			for a.sessionGets.Load() < before+2 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			if a.sessionGets.Load() < before+2 {
				t.Errorf("refetchInterval: %d session requests in 15 s", a.sessionGets.Load()-before)
			}

			// update(data) posts to /session; the answer is the session.
			var updated struct {
				User struct{ Email string } `json:"user"`
			}
			await(p, `harness.update({name: "Grace H."})`, &updated)
			if updated.User.Email != "grace@example.com" {
				t.Errorf("update() = %+v", updated)
			}

			// signOut redirects to its callbackUrl, signed out.
			p.Eval(`harness.signOut({callbackUrl: "`+page+`?after=signout"}); true`, new(bool))
			p.WaitURL(page + "?after=signout")
			waitStatus(t, p, "unauthenticated")

			// signIn through the OIDC provider: the browser goes there and
			// comes back to the callbackUrl, signed in.
			p.Eval(`harness.signIn("corp", {callbackUrl: "`+page+`?after=oidc"}); true`, new(bool))
			p.WaitURL(page + "?after=oidc")
			s = waitStatus(t, p, "authenticated")
			if s.Data == nil || s.Data.User.Email != "ada@example.com" {
				t.Fatalf("session after the OIDC sign-in: %+v", s)
			}

			// refetchOnWindowFocus: a visibilitychange refetches.
			before = a.sessionGets.Load()
			p.Eval(`document.dispatchEvent(new Event("visibilitychange")); true`, new(bool))
			deadline = time.Now().Add(10 * time.Second)
			for a.sessionGets.Load() == before && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if a.sessionGets.Load() == before {
				t.Errorf("refetchOnWindowFocus: no session request after visibilitychange")
			}

			if s := state(p); len(s.Errors) > 0 {
				t.Errorf("the page threw: %v", s.Errors)
			}
			if n := a.logBeaconsRefused.Load(); n > 0 {
				t.Errorf("%d of %d log beacons to /_log refused", n, a.logBeacons.Load())
			}
			if a.logBeacons.Load() > 0 {
				t.Logf("the client sent %d log beacons", a.logBeacons.Load())
			}
			p.Screenshot(c.version)
		})
	}
}

// TestClientErrorCodes: with Config.AuthJS of the client's version, what
// the clients show for a refused password and for a provider's refusal is
// that version's: v4's CredentialsSignin (401) and OAuthCallback, v5's
// CredentialsSignin with code "credentials" and OAuthCallbackError, each on
// the sign-in page.
func TestClientErrorCodes(t *testing.T) {
	dist := bundles(t)
	for i, c := range []struct {
		version        string
		status         int
		code, callback string
	}{
		{"v4", 401, "", "OAuthCallback"},
		{"v5", 200, "credentials", "OAuthCallbackError"},
	} {
		t.Run(c.version, func(t *testing.T) {
			a := newApp(t, dist, clients[i].edit)
			p := chromium.New(t)
			page := a.origin + "/harness/" + c.version
			p.Navigate(page)
			waitStatus(t, p, "unauthenticated")

			var res struct {
				Error  string `json:"error"`
				Code   string `json:"code"`
				OK     bool   `json:"ok"`
				Status int    `json:"status"`
			}
			await(p, `harness.signIn("credentials", {username: "grace", password: "wrong", redirect: false})`, &res)
			if res.Error != "CredentialsSignin" || res.Code != c.code || res.Status != c.status {
				t.Errorf("signIn(credentials, wrong password) = %+v, want error CredentialsSignin, code %q, status %d", res, c.code, c.status)
			}

			if s := state(p); len(s.Errors) > 0 {
				t.Errorf("the page threw: %v", s.Errors)
			}
			a.corp.SetAuthorizeError("access_denied")
			p.Eval(`harness.signIn("corp", {callbackUrl: "`+page+`"}); true`, new(bool))
			u := p.WaitURL("/api/auth/signin")
			if !strings.Contains(u, "error="+c.callback+"&") && !strings.HasSuffix(u, "error="+c.callback) {
				t.Errorf("a refused authorization lands on %s, want ?error=%s", u, c.callback)
			}
			if n := a.logBeaconsRefused.Load(); n > 0 {
				t.Errorf("%d of %d log beacons to /_log refused", n, a.logBeacons.Load())
			}
		})
	}
}
