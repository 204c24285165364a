package e2e

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"

	"github.com/authgen/authgen/internal/integration/chromium"
	"github.com/authgen/authgen/internal/integration/fakeidp"
)

// TestBrowserSignIn is the README's main job done in a real browser: a
// project made by `authgen init --yes` (GitHub, SQLite, database sessions)
// is built and started, and headless Chromium opens its home page, clicks
// "Sign in", picks GitHub, consents at the fake GitHub — on another site
// (localhost, the app being on 127.0.0.1), as github.com is — lands back
// signed in, opens /me and signs out with the home page's link, which
// client.js turns into a sign-out on the spot (data-authgen-signout); then
// /me sends it to sign in, where refusing at GitHub signs nobody in and
// consenting lands on /me; the sign-out page's button signs out again. A
// screenshot is taken at each step (go test -artifacts keeps them).
func TestBrowserSignIn(t *testing.T) {
	p := chromium.New(t) // skips first when there is no Chromium

	dir := filepath.Join(t.TempDir(), "browserapp")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "browserapp", "--module", "example.com/browserapp", "--yes")
	gh := fakeidp.NewGitHub(t, octocat)
	gh.Consent = true
	// The browser reaches the fake GitHub as localhost, another site than
	// the app's 127.0.0.1, so the app's cookies cross sites as they do
	// with github.com; the app's own requests to it need no change.
	env := gh.Env()
	for i, v := range env {
		if strings.HasPrefix(v, "AUTH_GITHUB_AUTHORIZATION_URL=") {
			env[i] = strings.Replace(v, "127.0.0.1", "localhost", 1)
		}
	}
	a := start(t, build(t, dir), dir, env...)
	began := time.Now()

	// The home page, signed out.
	p.Navigate(a.URL)
	p.WaitText("You are not signed in")
	p.Screenshot("home")

	// "Sign in" leads to the built-in sign-in page, which offers GitHub.
	p.ClickAndLoad("#signin")
	p.WaitURL("/api/auth/signin")
	if got := p.Text("#signin-github"); got != "Sign in with GitHub" {
		t.Errorf("sign-in button says %q", got)
	}
	p.Screenshot("signin")

	// GitHub asks whether to authorize the app.
	p.ClickAndLoad("#signin-github")
	if u := p.WaitURL("/login/oauth/authorize"); !strings.HasPrefix(u, "http://localhost:") {
		t.Errorf("the fake GitHub's page is at %s", u)
	}
	if got := p.Text("#account"); !strings.Contains(got, "octocat") {
		t.Errorf("consent page: %q", got)
	}
	p.Screenshot("consent")

	// Authorizing brings the browser back to the app, signed in.
	if code := p.ClickAndLoad("#authorize"); code != 200 {
		t.Errorf("back at the app: status %d", code)
	}
	p.WaitURL("/")
	p.WaitText("Signed in as The Octocat (octocat@example.com) with github.")
	p.Screenshot("signed-in")
	session := p.Cookie("authgen.session-token")
	if session == nil || !session.HTTPOnly || session.SameSite != network.CookieSameSiteLax || session.Path != "/" || session.Secure {
		t.Errorf("session cookie: %+v", session)
	}
	// What a page's script sees: the session over fetch, and no cookie.
	var sess struct {
		User struct{ Name, Email string }
	}
	p.Eval(`fetch("/api/auth/session").then(r => r.json())`, &sess)
	if sess.User.Name != "The Octocat" || sess.User.Email != "octocat@example.com" {
		t.Errorf("/api/auth/session from the page: %+v", sess)
	}
	var cookies string
	p.Eval(`document.cookie`, &cookies)
	if strings.Contains(cookies, "session-token") {
		t.Errorf("a script reads the session cookie: %q", cookies)
	}

	// The protected route answers with the session.
	p.ClickAndLoad(`a[href="/me"]`)
	p.WaitURL("/me")
	var me map[string]any
	if err := json.Unmarshal([]byte(p.Text("body")), &me); err != nil {
		t.Fatalf("/me: %v", err)
	}
	if !storedID(stringOf(me["id"])) || me["email"] != "octocat@example.com" || me["provider"] != "github" {
		t.Errorf("/me = %v", me)
	}
	p.Screenshot("me")

	// Sign out with the home page's link: client.js signs out and loads
	// the page again, without the sign-out page.
	p.Back()
	p.WaitVisible("html[data-authgen-state=signed-in]")
	p.ClickAndLoad("a#signout")
	p.WaitURL(a.URL + "/")
	p.WaitText("You are not signed in")
	p.Screenshot("signed-out")
	if c := p.Cookie("authgen.session-token"); c != nil {
		t.Errorf("session cookie after sign-out: %+v", c)
	}
	var after any
	p.Eval(`fetch("/api/auth/session").then(r => r.json())`, &after)
	if after != nil {
		t.Errorf("/api/auth/session after sign-out: %v", after)
	}

	// Signed out, /me sends the browser to sign in; refusing at GitHub
	// signs nobody in.
	p.Navigate(a.URL + "/me")
	p.WaitURL("/api/auth/signin")
	p.ClickAndLoad("#signin-github")
	p.ClickAndLoad("#cancel")
	if u, _ := url.Parse(p.WaitURL("/api/auth/signin")); u.Query().Get("error") != "OAuthCallback" {
		t.Errorf("refused at GitHub, the browser is at %s", u)
	}
	p.WaitText("Try signing in with a different account.")
	p.Screenshot("refused")
	if c := p.Cookie("authgen.session-token"); c != nil {
		t.Errorf("session cookie after a refusal: %+v", c)
	}
	// Signing in then brings the browser back to /me.
	p.Navigate(a.URL + "/me")
	p.ClickAndLoad("#signin-github")
	p.ClickAndLoad("#authorize")
	p.WaitURL("/me")
	p.WaitText(`"provider":"github"`)

	// The sign-out page's button.
	p.Navigate(a.URL + "/api/auth/signout?callbackUrl=" + url.QueryEscape(a.URL+"/"))
	p.Screenshot("signout")
	p.ClickAndLoad("button#signout")
	p.WaitURL(a.URL + "/")
	p.WaitText("You are not signed in")

	p.NoErrors()
	t.Logf("the browser's part took %v", time.Since(began).Round(time.Millisecond))
}

func stringOf(v any) string { s, _ := v.(string); return s }
