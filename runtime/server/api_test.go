package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
)

var (
	hex64   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	isoTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)
)

func checkNoStore(t *testing.T, resp *http.Response) {
	t.Helper()
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "no-cache") {
		t.Errorf("Cache-Control = %q, want no-cache and no-store", cc)
	}
	if resp.Header.Get("Pragma") != "no-cache" || resp.Header.Get("Expires") != "0" {
		t.Errorf("Pragma = %q, Expires = %q", resp.Header.Get("Pragma"), resp.Header.Get("Expires"))
	}
}

func checkCookieAttributes(t *testing.T, c *http.Cookie, secure bool) {
	t.Helper()
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure {
		t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q Secure=%v", c.Name, c.HttpOnly, c.SameSite, c.Path, c.Secure)
	}
}

func TestProviders(t *testing.T) {
	a := newApp(t)
	resp := a.get("/api/auth/providers")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /providers: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	got := decodeJSON[map[string]map[string]string](t, resp)
	want := map[string]map[string]string{
		"github": {"id": "github", "name": "GitHub", "type": "oauth", "signinUrl": a.base + "/signin/github", "callbackUrl": a.base + "/callback/github"},
		"gitlab": {"id": "gitlab", "name": "GitLab", "type": "oauth", "signinUrl": a.base + "/signin/gitlab", "callbackUrl": a.base + "/callback/gitlab"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GET /providers = %v\nwant %v", got, want)
	}
}

func TestCSRFEndpoint(t *testing.T) {
	a := newApp(t)
	resp := a.get("/api/auth/csrf")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	checkNoStore(t, resp)
	body := decodeJSON[map[string]any](t, resp)
	token, _ := body["csrfToken"].(string)
	if len(body) != 1 || !hex64.MatchString(token) {
		t.Fatalf("body = %v, want {\"csrfToken\": <64 hex>}", body)
	}
	c := setCookies(resp)[a.cookieName("csrf-token")]
	if c == nil {
		t.Fatalf("no CSRF cookie set: %v", resp.Header.Values("Set-Cookie"))
	}
	checkCookieAttributes(t, c, false)
	if !strings.HasPrefix(c.Value, token+"|") {
		t.Errorf("cookie %q does not bind token %q", c.Value, token)
	}
	if !c.Expires.IsZero() || c.MaxAge != 0 {
		t.Errorf("CSRF cookie is not a browser-session cookie: Expires %v MaxAge %d", c.Expires, c.MaxAge)
	}

	// With the cookie, the same token comes back and no cookie is set.
	resp = a.get("/api/auth/csrf")
	if again := decodeJSON[map[string]string](t, resp)["csrfToken"]; again != token {
		t.Errorf("second GET /csrf = %q, want the same token %q", again, token)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("second GET /csrf set cookies: %v", resp.Header.Values("Set-Cookie"))
	}

	// A forged cookie is replaced.
	a.setJarCookie(a.cookieName("csrf-token"), strings.Repeat("a", 64)+"|"+strings.Repeat("b", 64))
	resp = a.get("/api/auth/csrf")
	if fresh := decodeJSON[map[string]string](t, resp)["csrfToken"]; fresh == token || fresh == strings.Repeat("a", 64) {
		t.Errorf("forged cookie: token %q", fresh)
	}
	if setCookies(resp)[a.cookieName("csrf-token")] == nil {
		t.Error("forged CSRF cookie was not replaced")
	}
}

func TestSessionWithoutSession(t *testing.T) {
	tests := []struct {
		name  string
		opts  []appOption
		want  string
		setup func(a *app)
	}{
		{"null", nil, "null", nil},
		{"empty object", []appOption{func(c *server.Config) { c.EmptySessionObject = true }}, "{}", nil},
		{"garbage cookie", nil, "null", func(a *app) { a.setJarCookie(a.cookieName("session-token"), "garbage") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t, tt.opts...)
			if tt.setup != nil {
				tt.setup(a)
			}
			body, resp := a.sessionJSON()
			if body != tt.want {
				t.Errorf("GET /session = %q, want %q", body, tt.want)
			}
			checkNoStore(t, resp)
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestSignInFlow(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		name := "http"
		if useTLS {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			var events []server.SignInEvent
			var mu sync.Mutex
			a := newAppTLS(t, useTLS, func(c *server.Config) {
				c.Events.SignIn = func(_ context.Context, e server.SignInEvent) {
					mu.Lock()
					defer mu.Unlock()
					events = append(events, e)
				}
			})

			// POST /signin/github redirects to the provider and sets the
			// sealed state and PKCE cookies.
			form := url.Values{"csrfToken": {a.csrfToken()}, "callbackUrl": {"/dashboard?x=1"}}
			resp := a.postForm("/api/auth/signin/github", form)
			authURL := location(t, resp)
			au, err := url.Parse(authURL)
			if err != nil {
				t.Fatal(err)
			}
			q := au.Query()
			if q.Get("client_id") != a.github.ClientID || q.Get("redirect_uri") != a.base+"/callback/github" ||
				q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("scope") != "read:user user:email" {
				t.Errorf("authorization URL %q", authURL)
			}
			set := setCookies(resp)
			for _, base := range []string{"state", "pkce.code_verifier", "callback-url"} {
				c := set[a.cookieName(base)]
				if c == nil {
					t.Fatalf("POST /signin did not set %s: %v", a.cookieName(base), resp.Header.Values("Set-Cookie"))
				}
				checkCookieAttributes(t, c, useTLS)
			}
			if v := set[a.cookieName("state")].Value; strings.Contains(v, q.Get("state")) {
				t.Error("state cookie holds the state in the clear")
			}
			if set[a.cookieName("nonce")] != nil {
				t.Error("nonce cookie set for a provider without the nonce check")
			}
			if got := set[a.cookieName("state")].Expires.Sub(a.clock.Now()); got < 14*time.Minute || got > 15*time.Minute {
				t.Errorf("state cookie expires in %v, want about 15 minutes", got)
			}

			// The provider redirects back; the callback sets the session
			// and consumes the checks.
			cb := a.authorize(authURL)
			if !strings.HasPrefix(cb, a.base+"/callback/github?") {
				t.Fatalf("provider redirected to %q", cb)
			}
			resp = a.get(cb)
			if got := location(t, resp); got != a.origin+"/dashboard?x=1" {
				t.Errorf("callback redirected to %q, want %q", got, a.origin+"/dashboard?x=1")
			}
			set = setCookies(resp)
			sc := set[a.cookieName("session-token")]
			if sc == nil || sc.Value == "" {
				t.Fatalf("callback set no session cookie: %v", resp.Header.Values("Set-Cookie"))
			}
			checkCookieAttributes(t, sc, useTLS)
			maxAge := session.DefaultMaxAge
			if !sc.Expires.Equal(a.clock.Now().Add(maxAge).UTC()) {
				t.Errorf("session cookie expires %v, want %v", sc.Expires, a.clock.Now().Add(maxAge).UTC())
			}
			for _, base := range []string{"state", "pkce.code_verifier"} {
				if c := set[a.cookieName(base)]; c == nil || c.MaxAge >= 0 {
					t.Errorf("callback did not delete %s", a.cookieName(base))
				}
			}
			if _, tokenCalls := a.idp.counts(); tokenCalls != 1 {
				t.Errorf("token endpoint called %d times", tokenCalls)
			}

			// GET /session returns the Auth.js shape.
			body, _ := a.sessionJSON()
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			wantExpires := a.clock.Now().Add(maxAge).UTC().Format("2006-01-02T15:04:05.000Z")
			want := map[string]any{
				"user": map[string]any{
					"name":  "Monalisa Octocat",
					"email": "mona@example.com",
					"image": "https://avatars.example/u/583231?v=4",
				},
				"expires": wantExpires,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GET /session = %s\nwant %v", body, want)
			}
			if !isoTime.MatchString(got["expires"].(string)) {
				t.Errorf("expires %q is not ISO 8601 with milliseconds and Z", got["expires"])
			}

			// The protected route sees the session.
			resp = a.get("/protected")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /protected: %s", resp.Status)
			}
			p := decodeJSON[map[string]string](t, resp)
			if p["id"] != "github:583231" || p["provider"] != "github" || p["email"] != "mona@example.com" {
				t.Errorf("protected handler saw %v", p)
			}

			mu.Lock()
			defer mu.Unlock()
			if len(events) != 1 || events[0].Provider != "github" || events[0].User.ID != "github:583231" {
				t.Errorf("SignIn events = %+v", events)
			}
		})
	}
}

func TestSignInFollowingRedirects(t *testing.T) {
	a := newApp(t)
	form := url.Values{"csrfToken": {a.csrfToken()}, "callbackUrl": {a.origin + "/welcome"}}
	req := a.newRequest(http.MethodPost, "/api/auth/signin/github", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := a.do(a.follow, req)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != a.origin+"/welcome" {
		t.Fatalf("sign-in ended at %s %s", resp.Status, resp.Request.URL)
	}
	if body := readBody(t, resp); body != "app page /welcome" {
		t.Errorf("final page %q", body)
	}
	if s, _ := a.sessionJSON(); !strings.Contains(s, `"mona@example.com"`) {
		t.Errorf("GET /session = %s", s)
	}
}

func TestSignInJSONResponse(t *testing.T) {
	tests := []struct {
		name    string
		request func(a *app, token string) *http.Response
	}{
		{"json=true form field", func(a *app, token string) *http.Response {
			return a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {token}, "callbackUrl": {"/x"}, "json": {"true"}})
		}},
		{"X-Auth-Return-Redirect header", func(a *app, token string) *http.Response {
			return a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {token}, "callbackUrl": {"/x"}}, "X-Auth-Return-Redirect", "1")
		}},
		{"JSON body with json true", func(a *app, token string) *http.Response {
			body, _ := json.Marshal(map[string]any{"csrfToken": token, "callbackUrl": "/x", "json": true})
			req := a.newRequest(http.MethodPost, "/api/auth/signin/github", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			return a.do(a.noFollow, req)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			resp := tt.request(a, a.csrfToken())
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %s, want 200", resp.Status)
			}
			body := decodeJSON[map[string]string](t, resp)
			if len(body) != 1 || !strings.HasPrefix(body["url"], a.idp.srv.URL+"/login/oauth/authorize?") {
				t.Fatalf("body = %v, want {\"url\": <authorize URL>}", body)
			}
			if setCookies(resp)[a.cookieName("state")] == nil {
				t.Error("no state cookie")
			}
			// The client follows the URL itself; the sign-in completes.
			resp = a.get(a.authorize(body["url"]))
			if got := location(t, resp); got != a.origin+"/x" {
				t.Errorf("callback redirected to %q", got)
			}
		})
	}
}

func TestSignInRejectsMissingCSRF(t *testing.T) {
	otherApp := newApp(t)
	foreignToken := otherApp.csrfToken()
	foreignCookie := otherApp.jarCookie("csrf-token")

	tests := []struct {
		name    string
		prepare func(a *app) (form url.Values, header []string)
	}{
		{"no token, no cookie", func(*app) (url.Values, []string) {
			return url.Values{"callbackUrl": {"/x"}}, nil
		}},
		{"no token", func(a *app) (url.Values, []string) {
			a.csrfToken()
			return url.Values{"callbackUrl": {"/x"}}, nil
		}},
		{"wrong token", func(a *app) (url.Values, []string) {
			a.csrfToken()
			return url.Values{"csrfToken": {strings.Repeat("0", 64)}}, nil
		}},
		{"token without cookie", func(a *app) (url.Values, []string) {
			tok := a.csrfToken()
			a.setJarCookie(a.cookieName("csrf-token"), "")
			return url.Values{"csrfToken": {tok}}, nil
		}},
		{"cookie and token of another app's keys", func(a *app) (url.Values, []string) {
			a.setJarCookie(a.cookieName("csrf-token"), foreignCookie)
			return url.Values{"csrfToken": {foreignToken}}, nil
		}},
		{"cookie value submitted as token", func(a *app) (url.Values, []string) {
			a.csrfToken()
			return url.Values{"csrfToken": {a.jarCookie("csrf-token")}}, nil
		}},
		{"cross-site request with a valid token", func(a *app) (url.Values, []string) {
			return url.Values{"csrfToken": {a.csrfToken()}}, []string{"Sec-Fetch-Site", "cross-site"}
		}},
		{"foreign Origin with a valid token", func(a *app) (url.Values, []string) {
			return url.Values{"csrfToken": {a.csrfToken()}}, []string{"Origin", "https://evil.example"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			form, header := tt.prepare(a)
			resp := a.postForm("/api/auth/signin/github", form, header...)
			if got, want := location(t, resp), a.base+"/signin?error=MissingCSRF"; got != want {
				t.Errorf("redirected to %q, want %q", got, want)
			}
			for _, c := range resp.Cookies() {
				switch c.Name {
				case a.cookieName("state"), a.cookieName("pkce.code_verifier"), a.cookieName("callback-url"), a.cookieName("session-token"):
					t.Errorf("refused sign-in set %s", c.Name)
				}
			}
			if a.jarCookie("state") != "" || a.jarCookie("pkce.code_verifier") != "" {
				t.Error("refused sign-in left check cookies")
			}
			if n, _ := a.idp.counts(); n != 0 {
				t.Errorf("provider contacted %d times", n)
			}
		})
	}
}

func TestSignInCrossOriginTrusted(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.TrustedOrigins = []string{"https://front.example"} })
	resp := a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {a.csrfToken()}},
		"Sec-Fetch-Site", "cross-site", "Origin", "https://front.example")
	if got := location(t, resp); !strings.HasPrefix(got, a.idp.srv.URL) {
		t.Errorf("trusted origin redirected to %q, want the provider", got)
	}
}

func TestSignInUnknownProvider(t *testing.T) {
	a := newApp(t)
	resp := a.postForm("/api/auth/signin/nope", url.Values{"csrfToken": {a.csrfToken()}})
	if got := location(t, resp); got != a.base+"/signin" {
		t.Errorf("redirected to %q", got)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("set cookies %v", resp.Header.Values("Set-Cookie"))
	}
}

// checkNoSession asserts that resp set no session cookie and that the
// browser has no session.
func checkNoSession(t *testing.T, a *app, resp *http.Response) {
	t.Helper()
	if c := setCookies(resp)[a.cookieName("session-token")]; c != nil && c.MaxAge >= 0 {
		t.Errorf("response set a session cookie")
	}
	if body, _ := a.sessionJSON(); body != "null" {
		t.Errorf("GET /session = %s, want null", body)
	}
}

func TestCallbackRejects(t *testing.T) {
	tests := []struct {
		name string
		// run goes through sign-in up to the callback and returns the
		// callback's response.
		run            func(a *app) *http.Response
		wantTokenCalls int
	}{
		{"wrong state", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			return a.get(replaceQuery(a.t, cb, "state", "forged"))
		}, 0},
		{"missing state", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			return a.get(replaceQuery(a.t, cb, "state", ""))
		}, 0},
		{"missing state cookie", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			a.setJarCookie(a.cookieName("state"), "")
			return a.get(cb)
		}, 0},
		{"tampered state cookie", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			v := a.jarCookie("state")
			a.setJarCookie(a.cookieName("state"), v[:len(v)-5]+"AAAAA")
			return a.get(cb)
		}, 0},
		{"state cookie copied into the PKCE cookie", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			a.setJarCookie(a.cookieName("pkce.code_verifier"), a.jarCookie("state"))
			return a.get(cb)
		}, 0},
		{"missing PKCE cookie", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			a.setJarCookie(a.cookieName("pkce.code_verifier"), "")
			return a.get(cb)
		}, 0},
		{"PKCE cookie of an earlier sign-in", func(a *app) *http.Response {
			a.startSignIn("github", "/x")
			old := a.jarCookie("pkce.code_verifier")
			cb := a.authorize(a.startSignIn("github", "/x"))
			a.setJarCookie(a.cookieName("pkce.code_verifier"), old)
			return a.get(cb)
		}, 1}, // the provider refuses the verifier
		{"checks sealed for github replayed to gitlab", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			return a.get(strings.Replace(cb, "/callback/github?", "/callback/gitlab?", 1))
		}, 0},
		{"checks sealed for gitlab replayed to github", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("gitlab", "/x"))
			u := strings.Replace(cb, "/callback/gitlab?", "/callback/github?", 1)
			return a.get(replaceQuery(a.t, u, "state", "anything"))
		}, 0},
		{"check cookies expired", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			a.clock.Advance(15*time.Minute + time.Second)
			return a.get(cb)
		}, 0},
		{"user denies at the provider", func(a *app) *http.Response {
			a.idp.set(func(p *idp) { p.deny = true })
			return a.get(a.authorize(a.startSignIn("github", "/x")))
		}, 0},
		{"missing code", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			return a.get(replaceQuery(a.t, cb, "code", ""))
		}, 0},
		{"token endpoint refuses", func(a *app) *http.Response {
			a.idp.set(func(p *idp) { p.tokenError = true })
			return a.get(a.authorize(a.startSignIn("github", "/x")))
		}, 1},
		{"userinfo fails", func(a *app) *http.Response {
			a.idp.set(func(p *idp) { p.userError = true })
			return a.get(a.authorize(a.startSignIn("github", "/x")))
		}, 1},
		{"callback replayed", func(a *app) *http.Response {
			cb := a.authorize(a.startSignIn("github", "/x"))
			first := a.get(cb)
			location(a.t, first)
			// Sign out locally, then replay the same callback.
			a.setJarCookie(a.cookieName("session-token"), "")
			return a.get(cb)
		}, 1},
		{"unknown provider", func(a *app) *http.Response {
			return a.get("/api/auth/callback/nope?code=x&state=y")
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			resp := tt.run(a)
			if got, want := location(t, resp), a.base+"/signin?error=OAuthCallback"; got != want {
				t.Errorf("callback redirected to %q, want %q", got, want)
			}
			checkNoSession(t, a, resp)
			if _, n := a.idp.counts(); n != tt.wantTokenCalls {
				t.Errorf("token endpoint called %d times, want %d", n, tt.wantTokenCalls)
			}
			// The check cookies are single-use, whatever happened.
			if a.jarCookie("state") != "" || a.jarCookie("pkce.code_verifier") != "" {
				t.Error("check cookies survived the callback")
			}
		})
	}
}

func replaceQuery(t *testing.T, raw, key, value string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func TestCallbackFormPost(t *testing.T) {
	a := newApp(t)
	cb := a.authorize(a.startSignIn("github", "/posted"))
	u, err := url.Parse(cb)
	if err != nil {
		t.Fatal(err)
	}
	// response_mode=form_post: the provider's page posts code and state.
	resp := a.postForm(a.base+"/callback/github", u.Query())
	if got := location(t, resp); got != a.origin+"/posted" {
		t.Errorf("form_post callback redirected to %q", got)
	}
	if s, _ := a.sessionJSON(); s == "null" {
		t.Error("no session after form_post callback")
	}
}

func TestCallbackURLStaysOnOrigin(t *testing.T) {
	targets := []string{
		"https://evil.example",
		"https://evil.example/path",
		"//evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"javascript:",
		"javascript:alert(document.cookie)",
		"https://" + "app.example@evil.example",
		"http://127.0.0.1.evil.example/",
		"/\t/evil.example",
	}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			a := newApp(t)
			form := url.Values{"csrfToken": {a.csrfToken()}, "callbackUrl": {target}}
			req := a.newRequest(http.MethodPost, "/api/auth/signin/github", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp := a.do(a.follow, req)
			// The follow client stops at foreign hosts; the browser must
			// end on the app's own origin.
			final := resp.Request.URL.String()
			if loc := resp.Header.Get("Location"); loc != "" {
				final = loc
			}
			if final != a.origin && final != a.origin+"/" {
				t.Errorf("sign-in with callbackUrl %q ended at %q, want %q", target, final, a.origin)
			}
			if c := a.jarCookie("callback-url"); c != a.origin {
				t.Errorf("callback-url cookie = %q, want %q", c, a.origin)
			}
			if s, _ := a.sessionJSON(); s == "null" {
				t.Error("sign-in did not complete")
			}
		})
	}
}

func TestCallbackURLSources(t *testing.T) {
	tests := []struct {
		name string
		run  func(a *app) *http.Response
		want string
	}{
		{"body", func(a *app) *http.Response { return a.signIn("github", "/from-body") }, "/from-body"},
		{"query of the sign-in request", func(a *app) *http.Response {
			resp := a.postForm("/api/auth/signin/github?callbackUrl=%2Ffrom-query", url.Values{"csrfToken": {a.csrfToken()}})
			return a.get(a.authorize(location(a.t, resp)))
		}, "/from-query"},
		{"sign-in page remembered it", func(a *app) *http.Response {
			readBody(a.t, a.get("/api/auth/signin?callbackUrl=%2Ffrom-page"))
			return a.signIn("github", "")
		}, "/from-page"},
		{"forged callback-url cookie", func(a *app) *http.Response {
			a.setJarCookie(a.cookieName("callback-url"), "https://evil.example")
			return a.signIn("github", "")
		}, ""},
		{"nothing", func(a *app) *http.Response { return a.signIn("github", "") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			if got := location(t, tt.run(a)); got != a.origin+tt.want {
				t.Errorf("sign-in ended at %q, want %q", got, a.origin+tt.want)
			}
		})
	}
}

func TestRedirectCallback(t *testing.T) {
	var got []string
	var mu sync.Mutex
	a := newApp(t, func(c *server.Config) {
		c.Callbacks.Redirect = func(_ context.Context, target string, origin *url.URL) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, target)
			if target == "https://partner.example/ok" {
				return target, nil
			}
			return "", errors.New("refused")
		}
	})
	if loc := location(t, a.signIn("github", "https://partner.example/ok")); loc != "https://partner.example/ok" {
		t.Errorf("allowed target: redirected to %q", loc)
	}
	if loc := location(t, a.signIn("github", "https://evil.example")); loc != a.origin {
		t.Errorf("refused target: redirected to %q, want the origin", loc)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) == 0 {
		t.Error("Redirect callback never ran")
	}
}

func TestSignOut(t *testing.T) {
	t.Run("without CSRF", func(t *testing.T) {
		a := newApp(t)
		a.mustSignIn()
		before := a.jarCookie("session-token")
		for _, form := range []url.Values{{}, {"csrfToken": {strings.Repeat("f", 64)}}} {
			resp := a.postForm("/api/auth/signout", form)
			if got, want := location(t, resp), a.base+"/signout?error=MissingCSRF"; got != want {
				t.Errorf("redirected to %q, want %q", got, want)
			}
			if len(resp.Cookies()) != 0 {
				t.Errorf("refused sign-out set cookies: %v", resp.Header.Values("Set-Cookie"))
			}
		}
		if a.jarCookie("session-token") != before {
			t.Error("session cookie changed")
		}
		if s, _ := a.sessionJSON(); s == "null" {
			t.Error("refused sign-out ended the session")
		}
	})
	t.Run("cross-site", func(t *testing.T) {
		a := newApp(t)
		a.mustSignIn()
		resp := a.postForm("/api/auth/signout", url.Values{"csrfToken": {a.csrfToken()}}, "Sec-Fetch-Site", "cross-site")
		if got := location(t, resp); got != a.base+"/signout?error=MissingCSRF" {
			t.Errorf("redirected to %q", got)
		}
		if s, _ := a.sessionJSON(); s == "null" {
			t.Error("cross-site sign-out ended the session")
		}
	})
	t.Run("with CSRF", func(t *testing.T) {
		var events []server.SignOutEvent
		var mu sync.Mutex
		a := newApp(t, func(c *server.Config) {
			c.Events.SignOut = func(_ context.Context, e server.SignOutEvent) {
				mu.Lock()
				defer mu.Unlock()
				events = append(events, e)
			}
		})
		a.mustSignIn()
		resp := a.postForm("/api/auth/signout", url.Values{"csrfToken": {a.csrfToken()}, "callbackUrl": {"/bye"}})
		if got := location(t, resp); got != a.origin+"/bye" {
			t.Errorf("redirected to %q", got)
		}
		c := setCookies(resp)[a.cookieName("session-token")]
		if c == nil || c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("sign-out did not clear the session cookie: %v", resp.Header.Values("Set-Cookie"))
		}
		if s, _ := a.sessionJSON(); s != "null" {
			t.Errorf("GET /session after sign-out = %s", s)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(events) != 1 || events[0].Session == nil || events[0].Session.User.ID != "github:583231" {
			t.Errorf("SignOut events = %+v", events)
		}
	})
	t.Run("JSON response", func(t *testing.T) {
		a := newApp(t)
		a.mustSignIn()
		resp := a.postForm("/api/auth/signout", url.Values{"csrfToken": {a.csrfToken()}, "callbackUrl": {"https://evil.example"}}, "X-Auth-Return-Redirect", "1")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %s", resp.Status)
		}
		if body := decodeJSON[map[string]string](t, resp); body["url"] != a.origin {
			t.Errorf("body = %v, want url %q", body, a.origin)
		}
		if s, _ := a.sessionJSON(); s != "null" {
			t.Errorf("GET /session after sign-out = %s", s)
		}
	})
}

func TestTamperedSession(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(a *app)
	}{
		{"flipped character", func(a *app) {
			v := []byte(a.jarCookie("session-token"))
			i := strings.IndexByte(string(v), '.') + 5
			if v[i] == 'A' {
				v[i] = 'B'
			} else {
				v[i] = 'A'
			}
			a.setJarCookie(a.cookieName("session-token"), string(v))
		}},
		{"signature removed", func(a *app) {
			v := a.jarCookie("session-token")
			a.setJarCookie(a.cookieName("session-token"), v[:strings.LastIndexByte(v, '.')+1])
		}},
		{"alg none", func(a *app) {
			v := a.jarCookie("session-token")
			parts := strings.Split(v, ".")
			a.setJarCookie(a.cookieName("session-token"), "eyJhbGciOiJub25lIn0."+parts[1]+".")
		}},
		{"expired", func(a *app) { a.clock.Advance(session.DefaultMaxAge + time.Minute) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			a.mustSignIn()
			tt.tamper(a)
			body, resp := a.sessionJSON()
			if body != "null" {
				t.Errorf("GET /session = %s, want null", body)
			}
			c := setCookies(resp)[a.cookieName("session-token")]
			if c == nil || c.MaxAge >= 0 {
				t.Errorf("invalid session cookie not deleted: %v", resp.Header.Values("Set-Cookie"))
			}
			if a.jarCookie("session-token") != "" {
				t.Error("browser still holds the session cookie")
			}
			// Once deleted, later requests set nothing.
			if _, resp := a.sessionJSON(); len(resp.Cookies()) != 0 {
				t.Errorf("second GET /session set %v", resp.Header.Values("Set-Cookie"))
			}
		})
	}
}

func TestRequire(t *testing.T) {
	t.Run("anonymous", func(t *testing.T) {
		a := newApp(t)
		tests := []struct {
			name   string
			accept string
			html   bool
		}{
			{"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true},
			{"text/html with parameters", "text/html; q=0.5", true},
			{"JSON client", "application/json", false},
			{"no Accept", "", false},
			{"wildcard only", "*/*", false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				target := "/protected?tab=keys&q=a%20b"
				resp := a.get(target, "Accept", tt.accept)
				if tt.html {
					loc, err := url.Parse(location(t, resp))
					if err != nil {
						t.Fatal(err)
					}
					if got := loc.Scheme + "://" + loc.Host + loc.Path; got != a.base+"/signin" {
						t.Errorf("redirected to %q, want the sign-in page", got)
					}
					if got := loc.Query().Get("callbackUrl"); got != a.origin+target {
						t.Errorf("callbackUrl = %q, want %q", got, a.origin+target)
					}
					if want := "callbackUrl=" + url.QueryEscape(a.origin+target); loc.RawQuery != want {
						t.Errorf("query = %q, want %q", loc.RawQuery, want)
					}
					return
				}
				if resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status %s, want 401", resp.Status)
				}
				if body := decodeJSON[map[string]string](t, resp); !reflect.DeepEqual(body, map[string]string{"error": "SessionRequired"}) {
					t.Errorf("body = %v", body)
				}
			})
		}
	})
	t.Run("signed in", func(t *testing.T) {
		a := newApp(t)
		a.mustSignIn()
		resp := a.get("/protected", "Accept", "text/html")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %s", resp.Status)
		}
		got := decodeJSON[map[string]string](t, resp)
		want := map[string]string{"id": "github:583231", "name": "Monalisa Octocat", "email": "mona@example.com", "provider": "github"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("handler saw %v, want %v", got, want)
		}
		if len(resp.Cookies()) != 0 {
			t.Errorf("fresh session renewed: %v", resp.Header.Values("Set-Cookie"))
		}
	})
	t.Run("tampered", func(t *testing.T) {
		a := newApp(t)
		a.mustSignIn()
		a.setJarCookie(a.cookieName("session-token"), a.jarCookie("session-token")+"x")
		resp := a.get("/protected", "Accept", "application/json")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %s, want 401", resp.Status)
		}
		if c := setCookies(resp)[a.cookieName("session-token")]; c == nil || c.MaxAge >= 0 {
			t.Error("tampered cookie not deleted")
		}
	})
	t.Run("custom sign-in page", func(t *testing.T) {
		a := newApp(t, func(c *server.Config) { c.Pages.SignIn = "/login" })
		resp := a.get("/protected?x=1", "Accept", "text/html")
		if got, want := location(t, resp), "/login?callbackUrl="+url.QueryEscape(a.origin+"/protected?x=1"); got != want {
			t.Errorf("redirected to %q, want %q", got, want)
		}
	})
}

func TestWithSessionAndSessionMethod(t *testing.T) {
	a := newApp(t)
	if body := readBody(t, a.get("/optional")); body != "anonymous" {
		t.Errorf("anonymous: %q", body)
	}
	req := a.newRequest(http.MethodGet, "/", nil)
	if _, err := a.auth.Session(req); !errors.Is(err, server.ErrNoSession) {
		t.Errorf("Session without cookie: %v", err)
	}
	a.mustSignIn()
	if body := readBody(t, a.get("/optional")); body != "hello Monalisa Octocat" {
		t.Errorf("signed in: %q", body)
	}
	req = a.newRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: a.cookieName("session-token"), Value: a.jarCookie("session-token")})
	s, err := a.auth.Session(req)
	if err != nil {
		t.Fatal(err)
	}
	if s.User.ID != "github:583231" || s.Provider != "github" || !s.Expires.Equal(a.clock.Now().Add(session.DefaultMaxAge)) {
		t.Errorf("Session = %+v", s)
	}
	req = a.newRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: a.cookieName("session-token"), Value: "garbage"})
	if _, err := a.auth.Session(req); !errors.Is(err, server.ErrNoSession) {
		t.Errorf("Session with garbage: %v", err)
	}
	if _, ok := server.FromContext(context.Background()); ok {
		t.Error("FromContext of an empty context reports a session")
	}
	if _, ok := server.FromContext(server.NewContext(context.Background(), nil)); ok {
		t.Error("FromContext of a nil session reports a session")
	}
}

func TestSessionRenewal(t *testing.T) {
	const updateAge, maxAge = time.Hour, 24 * time.Hour
	var triggers []server.Trigger
	var mu sync.Mutex
	a := newApp(t, func(c *server.Config) {
		c.Session = session.Options{MaxAge: maxAge, UpdateAge: updateAge}
		c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			mu.Lock()
			defer mu.Unlock()
			triggers = append(triggers, in.Trigger)
			return nil
		}
	})
	signedIn := a.clock.Now()
	a.mustSignIn()
	first := a.jarCookie("session-token")
	expires := func(body string) string {
		var v struct{ Expires string }
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		return v.Expires
	}
	iso := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

	// Just before UpdateAge: nothing is written.
	a.clock.Advance(updateAge - time.Second)
	body, resp := a.sessionJSON()
	if len(resp.Cookies()) != 0 {
		t.Errorf("renewed before UpdateAge: %v", resp.Header.Values("Set-Cookie"))
	}
	if got := expires(body); got != iso(signedIn.Add(maxAge)) {
		t.Errorf("expires = %s, want %s", got, iso(signedIn.Add(maxAge)))
	}

	// At UpdateAge: the cookie is re-issued with a later expiry.
	a.clock.Advance(time.Second)
	renewedAt := a.clock.Now()
	body, resp = a.sessionJSON()
	c := setCookies(resp)[a.cookieName("session-token")]
	if c == nil || !c.Expires.After(renewedAt) || c.Value == first {
		t.Fatalf("not renewed at UpdateAge: %v", resp.Header.Values("Set-Cookie"))
	}
	if got := expires(body); got != iso(renewedAt.Add(maxAge)) {
		t.Errorf("renewed expires = %s, want %s", got, iso(renewedAt.Add(maxAge)))
	}
	if old, renewed := claimsOf(t, first), claimsOf(t, c.Value); old["jti"] == renewed["jti"] || old["sub"] != renewed["sub"] {
		t.Errorf("renewed claims %v, want the same subject under a new jti (was %v)", renewed, old)
	}

	// Right after renewal: nothing is written again.
	a.clock.Advance(time.Minute)
	if _, resp := a.sessionJSON(); len(resp.Cookies()) != 0 {
		t.Errorf("renewed twice: %v", resp.Header.Values("Set-Cookie"))
	}
	// The middleware renews too.
	a.clock.Advance(updateAge)
	resp = a.get("/protected")
	if resp.StatusCode != http.StatusOK || setCookies(resp)[a.cookieName("session-token")] == nil {
		t.Errorf("Require did not renew: %s %v", resp.Status, resp.Header.Values("Set-Cookie"))
	}
	mu.Lock()
	defer mu.Unlock()
	want := []server.Trigger{server.TriggerSignIn, server.TriggerRefresh, server.TriggerRefresh}
	if !reflect.DeepEqual(triggers, want) {
		t.Errorf("JWT triggers = %v, want %v", triggers, want)
	}
}

func TestSignInCallbackRefuses(t *testing.T) {
	t.Run("error", func(t *testing.T) {
		a := newApp(t, func(c *server.Config) {
			c.Callbacks.SignIn = func(_ context.Context, in *server.SignInInput) error {
				if in.User.ID != "github:583231" || in.Provider != "github" || in.User.Email != "mona@example.com" {
					return errors.New("unexpected input")
				}
				if _, ok := in.Profile.(*ghProfile); !ok {
					return errors.New("profile is not *ghProfile")
				}
				return errors.New("not on the list")
			}
		})
		resp := a.signIn("github", "/x")
		loc := location(t, resp)
		if want := a.base + "/error?error=AccessDenied"; loc != want {
			t.Fatalf("redirected to %q, want %q", loc, want)
		}
		checkNoSession(t, a, resp)
		page := a.get(loc)
		if page.StatusCode != http.StatusForbidden {
			t.Errorf("error page status %s, want 403", page.Status)
		}
		if body := readBody(t, page); !strings.Contains(body, "Access denied") || !strings.Contains(body, `data-error="AccessDenied"`) {
			t.Errorf("error page body %q", body)
		}
	})
	t.Run("redirect", func(t *testing.T) {
		a := newApp(t, func(c *server.Config) {
			c.Callbacks.SignIn = func(context.Context, *server.SignInInput) error {
				return &server.RedirectError{URL: "/waitlist"}
			}
		})
		resp := a.signIn("github", "/x")
		if got := location(t, resp); got != a.origin+"/waitlist" {
			t.Errorf("redirected to %q", got)
		}
		checkNoSession(t, a, resp)
	})
	t.Run("redirect to another origin", func(t *testing.T) {
		a := newApp(t, func(c *server.Config) {
			c.Callbacks.SignIn = func(context.Context, *server.SignInInput) error {
				return &server.RedirectError{URL: "https://evil.example"}
			}
		})
		if got := location(t, a.signIn("github", "/x")); got != a.origin {
			t.Errorf("redirected to %q, want the origin", got)
		}
	})
}

func TestJWTCallbackData(t *testing.T) {
	a := newApp(t, func(c *server.Config) {
		c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			switch in.Trigger {
			case server.TriggerSignIn:
				in.Claims.Data = json.RawMessage(`{"role":"admin"}`)
			case server.TriggerUpdate:
				in.Claims.Data = in.Update
			}
			return nil
		}
		c.Callbacks.Session = func(_ context.Context, s *server.Session, body map[string]any) error {
			body["data"] = s.Data
			return nil
		}
	})
	a.mustSignIn()
	if s, _ := a.sessionJSON(); !strings.Contains(s, `"data":{"role":"admin"}`) {
		t.Errorf("GET /session = %s", s)
	}
	// POST /session needs CSRF.
	resp := a.postForm("/api/auth/session", url.Values{"data": {`{"role":"root"}`}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /session without CSRF: %s", resp.Status)
	}
	if s, _ := a.sessionJSON(); !strings.Contains(s, `"role":"admin"`) {
		t.Errorf("refused update changed the session: %s", s)
	}
	resp = a.postForm("/api/auth/session", url.Values{"csrfToken": {a.csrfToken()}, "data": {`{"role":"editor"}`}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /session: %s", resp.Status)
	}
	if body := readBody(t, resp); !strings.Contains(body, `"data":{"role":"editor"}`) {
		t.Errorf("POST /session body = %s", body)
	}
	if s, _ := a.sessionJSON(); !strings.Contains(s, `"role":"editor"`) {
		t.Errorf("GET /session after update = %s", s)
	}
}

func TestLargeSessionIsChunked(t *testing.T) {
	big := strings.Repeat("x", 6000)
	a := newApp(t, func(c *server.Config) {
		c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			in.Claims.Data, _ = json.Marshal(map[string]string{"blob": big})
			return nil
		}
	})
	resp := a.signIn("github", "/x")
	location(t, resp)
	set := setCookies(resp)
	name := a.cookieName("session-token")
	if set[name+".0"] == nil || set[name+".1"] == nil || set[name] != nil {
		t.Fatalf("session not chunked: %v", names(resp))
	}
	if s, _ := a.sessionJSON(); s == "null" {
		t.Fatal("chunked session not read back")
	}
	resp = a.postForm("/api/auth/signout", url.Values{"csrfToken": {a.csrfToken()}})
	set = setCookies(resp)
	for _, n := range []string{name + ".0", name + ".1"} {
		if c := set[n]; c == nil || c.MaxAge >= 0 {
			t.Errorf("sign-out did not delete %s", n)
		}
	}
	if s, _ := a.sessionJSON(); s != "null" {
		t.Errorf("after sign-out: %s", s)
	}
}

// claimsOf returns the claims of a signed session token.
func claimsOf(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a signed token: %q", token)
	}
	payload, err := base64URLDecode(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func names(resp *http.Response) []string {
	var out []string
	for _, c := range resp.Cookies() {
		out = append(out, c.Name)
	}
	return out
}

func TestEncryptedSessionKeepsAccountTokens(t *testing.T) {
	var account *session.AccountTokens
	var mu sync.Mutex
	a := newApp(t, func(c *server.Config) {
		c.Session.Protection = session.Encrypted
		c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			mu.Lock()
			defer mu.Unlock()
			account = in.Claims.Account
			return nil
		}
	})
	a.mustSignIn()
	if n := strings.Count(a.jarCookie("session-token"), "."); n != 4 {
		t.Errorf("encrypted session cookie has %d dots, want 4", n)
	}
	if strings.Contains(a.jarCookie("session-token"), a.idp.accessToken) {
		t.Error("session cookie shows the access token")
	}
	mu.Lock()
	got := account
	mu.Unlock() // not held across requests: the JWT callback takes it
	if got == nil || got.AccessToken != a.idp.accessToken || got.Provider != "github" || got.ProviderAccountID != "583231" {
		t.Errorf("Account = %+v", got)
	}
	if s, _ := a.sessionJSON(); strings.Contains(s, a.idp.accessToken) {
		t.Errorf("GET /session shows the access token: %s", s)
	}
}

func TestSignedSessionHasNoAccountTokens(t *testing.T) {
	a := newApp(t)
	a.mustSignIn()
	v := a.jarCookie("session-token")
	if strings.Count(v, ".") != 2 {
		t.Fatalf("signed session cookie %q", v)
	}
	payload, err := base64URLDecode(strings.Split(v, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(payload, "account") || strings.Contains(payload, a.idp.accessToken) {
		t.Errorf("signed session carries provider tokens: %s", payload)
	}
}

func TestErrorPage(t *testing.T) {
	tests := []struct {
		query      string
		wantStatus int
		wantLoc    string // relative to base; "" for a page
		wantText   string
	}{
		{"?error=OAuthCallback", http.StatusFound, "/signin?error=OAuthCallback", ""},
		{"?error=oauthcallback", http.StatusFound, "/signin?error=OAuthCallback", ""},
		{"?error=MissingCSRF", http.StatusFound, "/signin?error=MissingCSRF", ""},
		{"?error=SessionRequired", http.StatusFound, "/signin?error=SessionRequired", ""},
		{"?error=Configuration", http.StatusInternalServerError, "", "Server error"},
		{"?error=configuration", http.StatusInternalServerError, "", "Server error"},
		{"?error=AccessDenied", http.StatusForbidden, "", "Access denied"},
		{"?error=Verification", http.StatusForbidden, "", "Unable to sign in"},
		{"?error=Whatever", http.StatusOK, "", "Unable to sign in."},
		{"", http.StatusOK, "", "An unknown error occurred."},
		{"?error=%3Cscript%3E", http.StatusOK, "", "&lt;script&gt;"},
	}
	a := newApp(t)
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp := a.get("/api/auth/error" + tt.query)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %s, want %d", resp.Status, tt.wantStatus)
			}
			if tt.wantLoc != "" {
				if got := resp.Header.Get("Location"); got != a.base+tt.wantLoc {
					t.Errorf("Location = %q, want %q", got, a.base+tt.wantLoc)
				}
				return
			}
			if resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("page headers %v", resp.Header)
			}
			body := readBody(t, resp)
			if !strings.Contains(body, tt.wantText) || strings.Contains(body, "<script>") {
				t.Errorf("body does not contain %q (or is unescaped):\n%s", tt.wantText, body)
			}
		})
	}
}

func TestCustomPages(t *testing.T) {
	a := newApp(t, func(c *server.Config) {
		c.Pages = server.Pages{SignIn: "/login", SignOut: "/logout", Error: "/oops", VerifyRequest: "/check-email"}
	})
	tests := []struct {
		path string
		want string
	}{
		{"/api/auth/signin?callbackUrl=%2Fx&error=OAuthCallback&other=1", "/login?callbackUrl=%2Fx&error=OAuthCallback"},
		{"/api/auth/signout", "/logout"},
		{"/api/auth/error?error=AccessDenied", "/oops?error=AccessDenied"},
		{"/api/auth/error?error=OAuthCallback", "/login?error=OAuthCallback"},
		{"/api/auth/verify-request", "/check-email"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := location(t, a.get(tt.path)); got != tt.want {
				t.Errorf("Location = %q, want %q", got, tt.want)
			}
		})
	}
	// Failures go to the custom pages too.
	resp := a.postForm("/api/auth/signin/github", url.Values{})
	if got := location(t, resp); got != "/login?error=MissingCSRF" {
		t.Errorf("failed sign-in went to %q", got)
	}
}

func TestBuiltInPages(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.Theme.AppName = "Acme" })
	t.Run("signin", func(t *testing.T) {
		resp := a.get("/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example&error=OAuthCallback")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %s", resp.Status)
		}
		checkNoStore(t, resp)
		body := readBody(t, resp)
		token := a.jarCookie("csrf-token")
		token, _, _ = strings.Cut(token, "|")
		for _, want := range []string{
			`action="` + a.base + `/signin/github"`, `action="` + a.base + `/signin/gitlab"`,
			`name="csrfToken" value="` + token + `"`,
			`name="callbackUrl" value="` + a.origin + `"`,
			`data-error="OAuthCallback"`, "Acme",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("sign-in page lacks %q", want)
			}
		}
		if strings.Contains(body, "evil.example") {
			t.Error("sign-in page carries the foreign callbackUrl")
		}
	})
	t.Run("signout", func(t *testing.T) {
		resp := a.get("/api/auth/signout")
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="`+a.base+`/signout"`) || !strings.Contains(body, `name="csrfToken"`) {
			t.Errorf("sign-out page %s:\n%s", resp.Status, body)
		}
	})
	t.Run("verify-request", func(t *testing.T) {
		resp := a.get("/api/auth/verify-request")
		if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Check your e-mail") {
			t.Errorf("verify-request page %s:\n%s", resp.Status, body)
		}
	})
}

func TestUnknownRoutes(t *testing.T) {
	a := newApp(t)
	tests := []struct{ method, path string }{
		{http.MethodGet, "/api/auth/nope"},
		{http.MethodGet, "/api/auth/"},
		{http.MethodPut, "/api/auth/session"},
		{http.MethodDelete, "/api/auth/signin/github"},
		{http.MethodPost, "/api/auth/providers"},
		{http.MethodPost, "/api/auth/csrf"},
		{http.MethodGet, "/api/auth/callback"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp := a.do(a.noFollow, a.newRequest(tt.method, tt.path, nil))
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %s, want 400", resp.Status)
			}
			if len(resp.Cookies()) != 0 {
				t.Errorf("set cookies %v", names(resp))
			}
		})
	}
}

func TestBasePath(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.BasePath = "auth/" })
	if a.auth.BasePath() != "/auth" {
		t.Errorf("BasePath() = %q", a.auth.BasePath())
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	a := newApp(t)
	valid := func() server.Config {
		c := a.cfg
		c.Providers = []*oauth.Provider{a.github}
		return c
	}
	tests := []struct {
		name   string
		mutate func(c *server.Config)
	}{
		{"no URL", func(c *server.Config) { c.URL = nil }},
		{"relative URL", func(c *server.Config) { c.URL = &url.URL{Path: "/x"} }},
		{"ftp URL", func(c *server.Config) { c.URL, _ = url.Parse("ftp://app.example") }},
		{"URL with path", func(c *server.Config) { c.URL, _ = url.Parse("https://app.example/app") }},
		{"URL with query", func(c *server.Config) { c.URL, _ = url.Parse("https://app.example/?x=1") }},
		{"no keys", func(c *server.Config) { c.Keys = nil }},
		{"empty provider ID", func(c *server.Config) {
			p := *a.github
			p.ID = ""
			c.Providers = []*oauth.Provider{&p}
		}},
		{"provider ID with slash", func(c *server.Config) {
			p := *a.github
			p.ID = "git/hub"
			c.Providers = []*oauth.Provider{&p}
		}},
		{"duplicate provider", func(c *server.Config) { c.Providers = []*oauth.Provider{a.github, a.github} }},
		{"provider without Profile", func(c *server.Config) {
			p := *a.github
			p.Profile = nil
			c.Providers = []*oauth.Provider{&p}
		}},
		{"bad trusted origin", func(c *server.Config) { c.TrustedOrigins = []string{"not an origin"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.mutate(&c)
			auth, err := server.New(c)
			if !errors.Is(err, server.ErrConfig) {
				t.Fatalf("New error = %v, want ErrConfig", err)
			}
			if auth != nil {
				t.Error("New returned a server with its error")
			}
		})
	}
	if _, err := server.New(valid()); err != nil {
		t.Errorf("valid config refused: %v", err)
	}
}

func TestPanicIsConfigurationError(t *testing.T) {
	a := newApp(t, func(c *server.Config) {
		c.Callbacks.SignIn = func(context.Context, *server.SignInInput) error { panic("boom") }
	})
	resp := a.signIn("github", "/x")
	if got := location(t, resp); got != a.base+"/error?error=Configuration" {
		t.Errorf("panic redirected to %q", got)
	}
	if page := a.get(a.base + "/error?error=Configuration"); page.StatusCode != http.StatusInternalServerError {
		t.Errorf("Configuration page status %s, want 500", page.Status)
	}
}
