package server_test

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
	"github.com/authgen/authgen/runtime/totp"
)

// tfApp is an app with a store and two-factor sign-in on.
type tfApp struct {
	*app
	mem *memstore.Store
}

func newTwoFactorApp(t *testing.T, mode server.TwoFactorMode, strategy server.Strategy) *tfApp {
	t.Helper()
	mem := memstore.New()
	a := newApp(t, func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = mem, mem, strategy
		c.TwoFactor = &server.TwoFactor{Mode: mode, Issuer: "Acme"}
	})
	return &tfApp{app: a, mem: mem}
}

// userID is the GitHub user's ID in the store.
func (a *tfApp) userID() string {
	a.t.Helper()
	u, err := a.mem.GetUserByAccount(a.t.Context(), "github", "583231")
	if err != nil {
		a.t.Fatal(err)
	}
	return u.ID
}

// post posts form (with a fresh CSRF token) to the two-factor path and
// returns the response, which a client without Accept: text/html gets as
// JSON.
func (a *tfApp) post(path string, form url.Values) *http.Response {
	a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrfToken", a.csrfToken())
	return a.postForm("/api/auth/2fa"+path, form)
}

// enrol enrols the signed-in user and returns the secret and the recovery
// codes.
func (a *tfApp) enrol() (secret string, codes []string) {
	a.t.Helper()
	return a.enrolWith(url.Values{})
}

// enrolForSignIn enrols the user of the pending sign-in that must set up
// a second step, as the set-up page's forms do (for=sign-in).
func (a *tfApp) enrolForSignIn() (secret string, codes []string) {
	a.t.Helper()
	return a.enrolWith(url.Values{"for": {"sign-in"}})
}

// enrolWith enrols with the extra form fields of enrol or enrolForSignIn.
func (a *tfApp) enrolWith(extra url.Values) (secret string, codes []string) {
	a.t.Helper()
	form := func(fields url.Values) url.Values {
		maps.Copy(fields, extra)
		return fields
	}
	resp := a.post("/enroll", form(url.Values{}))
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("enroll: %s %s", resp.Status, readBody(a.t, resp))
	}
	en := decodeJSON[map[string]string](a.t, resp)
	secret = en["secret"]
	if u, err := url.Parse(en["uri"]); err != nil || u.Query().Get("secret") != secret || u.Query().Get("issuer") != "Acme" {
		a.t.Fatalf("enroll: uri %q for secret %q", en["uri"], secret)
	}
	resp = a.post("/confirm", form(url.Values{"code": {a.code(secret, 0)}}))
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("confirm: %s %s", resp.Status, readBody(a.t, resp))
	}
	codes = decodeJSON[struct {
		RecoveryCodes []string `json:"recoveryCodes"`
	}](a.t, resp).RecoveryCodes
	if len(codes) != server.RecoveryCodeCount {
		a.t.Fatalf("confirm: %d recovery codes", len(codes))
	}
	return secret, codes
}

// code is the TOTP code of the step d steps from the clock's.
func (a *tfApp) code(secret string, d int64) string {
	a.t.Helper()
	c, err := totp.Code(secret, totp.Step(a.clock.Now())+d)
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// signOut forgets the browser's cookies.
func (a *tfApp) signOut() {
	a.t.Helper()
	u, _ := url.Parse(a.origin)
	for _, c := range a.jar.Cookies(u) {
		a.jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: "", Path: "/", MaxAge: -1}})
	}
}

// firstFactor signs in with GitHub and expects to be sent to want (the
// code page or enrolment) without a session.
func (a *tfApp) firstFactor(want string) {
	a.t.Helper()
	if got := location(a.t, a.signIn("github", "/dashboard")); got != a.base+want {
		a.t.Fatalf("first factor ended at %q, want %q", got, a.base+want)
	}
	if a.jarCookie("session-token") != "" {
		a.t.Fatal("a session before the second factor")
	}
	if a.jarCookie("two-factor") == "" {
		a.t.Fatal("no pending sign-in cookie")
	}
}

// verify posts a code to /2fa/verify.
func (a *tfApp) verify(code string) *http.Response {
	a.t.Helper()
	return a.post("/verify", url.Values{"code": {code}})
}

// wantSignedIn checks that resp finished the sign-in.
func (a *tfApp) wantSignedIn(what string, resp *http.Response) {
	a.t.Helper()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != a.origin+"/dashboard" {
		a.t.Fatalf("%s: %s to %q, want 302 to /dashboard (%s)", what, resp.Status, resp.Header.Get("Location"), readBody(a.t, resp))
	}
	if a.jarCookie("session-token") == "" || a.jarCookie("two-factor") != "" {
		a.t.Fatalf("%s: session cookie %q, pending cookie %q", what, a.jarCookie("session-token"), a.jarCookie("two-factor"))
	}
}

// wantStatus checks a JSON answer's status and error.
func wantStatus(t *testing.T, what string, resp *http.Response, status int, code server.Code) {
	t.Helper()
	body := readBody(t, resp)
	if resp.StatusCode != status || !strings.Contains(body, `"`+string(code)+`"`) {
		t.Fatalf("%s: %s %s, want %d %s", what, resp.Status, body, status, code)
	}
}

// wantDead checks that resp ended the pending sign-in: the sign-in page
// with ?error=TwoFactor.
func (a *tfApp) wantDead(what string, resp *http.Response) {
	a.t.Helper()
	if got := location(a.t, resp); got != a.base+"/signin?error=TwoFactor" {
		a.t.Fatalf("%s: redirected to %q, want the sign-in page with error=TwoFactor", what, got)
	}
	if a.jarCookie("session-token") != "" {
		a.t.Fatalf("%s: a session", what)
	}
}

// TestTwoFactorSignIn: a user enrols (the secret stored sealed), signs in
// again and is asked for a code: a wrong code and a replayed code are
// refused, the current code signs in; recovery codes sign in once each.
func TestTwoFactorSignIn(t *testing.T) {
	for _, strategy := range []server.Strategy{server.StrategyDatabase, server.StrategyJWT} {
		t.Run(string(strategy), func(t *testing.T) {
			a := newTwoFactorApp(t, server.TwoFactorOptional, strategy)
			a.mustSignIn()
			secret, codes := a.enrol()
			f, err := a.mem.GetTwoFactor(t.Context(), a.userID())
			if err != nil || !f.Enabled || !strings.HasPrefix(f.Secret, "authgen:v1:") || strings.Contains(f.Secret, secret) || f.RecoveryCodes != 10 {
				t.Fatalf("stored: %+v, %v", f, err)
			}

			a.signOut()
			a.firstFactor("/2fa/verify")
			if resp := a.get("/api/auth/2fa/verify"); resp.StatusCode != http.StatusOK || !strings.Contains(readBody(t, resp), `id="verify"`) {
				t.Fatalf("code page: %s", resp.Status)
			}
			wrong := "000000"
			if wrong == a.code(secret, 0) {
				wrong = "111111"
			}
			wantStatus(t, "wrong code", a.verify(wrong), http.StatusUnauthorized, server.CodeTwoFactorCode)
			// The confirmation used the current step: its code is spent.
			wantStatus(t, "the confirmation's code again", a.verify(a.code(secret, 0)), http.StatusUnauthorized, server.CodeTwoFactorCode)
			a.clock.Advance(totp.Period)
			now := a.code(secret, 0)
			a.wantSignedIn("current code", a.verify(now))
			if resp := a.get("/protected"); resp.StatusCode != http.StatusOK {
				t.Fatalf("/protected after the second factor: %s", resp.Status)
			}

			a.signOut()
			a.firstFactor("/2fa/verify")
			wantStatus(t, "a replayed code", a.verify(now), http.StatusUnauthorized, server.CodeTwoFactorCode)
			a.wantSignedIn("a recovery code", a.verify(strings.ToLower(codes[0])))

			a.signOut()
			a.firstFactor("/2fa/verify")
			wantStatus(t, "a recovery code used twice", a.verify(codes[0]), http.StatusUnauthorized, server.CodeTwoFactorCode)
			a.wantSignedIn("another recovery code", a.verify(strings.ReplaceAll(codes[1], "-", "")))
			if f, _ := a.mem.GetTwoFactor(t.Context(), a.userID()); f.RecoveryCodes != 8 {
				t.Errorf("%d recovery codes left, want 8", f.RecoveryCodes)
			}
		})
	}
}

// TestTwoFactorPending: the pending sign-in's cookie tampered with,
// expired, or replayed after it was used ends it; its 6th attempt ends it
// even with the right code, and a new cookie does not reset the count of
// the old one.
func TestTwoFactorPending(t *testing.T) {
	setup := func(t *testing.T) (*tfApp, string) {
		a := newTwoFactorApp(t, server.TwoFactorOptional, server.StrategyDatabase)
		a.mustSignIn()
		secret, _ := a.enrol()
		a.clock.Advance(totp.Period)
		a.signOut()
		a.firstFactor("/2fa/verify")
		return a, secret
	}
	setPending := func(a *tfApp, value string) {
		u, _ := url.Parse(a.origin)
		a.jar.SetCookies(u, []*http.Cookie{{Name: a.cookieName("two-factor"), Value: value, Path: "/"}})
	}
	t.Run("tampered", func(t *testing.T) {
		a, secret := setup(t)
		v := a.jarCookie("two-factor")
		i := len(v) / 2
		flip := "A"
		if v[i] == 'A' {
			flip = "B"
		}
		setPending(a, v[:i]+flip+v[i+1:])
		a.wantDead("tampered cookie", a.verify(a.code(secret, 0)))
	})
	t.Run("expired", func(t *testing.T) {
		a, secret := setup(t)
		a.clock.Advance(11 * time.Minute)
		a.wantDead("expired", a.verify(a.code(secret, 0)))
	})
	t.Run("sixth attempt", func(t *testing.T) {
		a, secret := setup(t)
		wrong := "000000"
		if wrong == a.code(secret, 0) {
			wrong = "111111"
		}
		for i := range 5 {
			wantStatus(t, "attempt "+string(rune('1'+i)), a.verify(wrong), http.StatusUnauthorized, server.CodeTwoFactorCode)
		}
		a.wantDead("the 6th attempt with the right code", a.verify(a.code(secret, 0)))
	})
	t.Run("replayed cookie", func(t *testing.T) {
		a, secret := setup(t)
		pending := a.jarCookie("two-factor")
		a.wantSignedIn("right code", a.verify(a.code(secret, 0)))
		a.signOut()
		setPending(a, pending)
		a.clock.Advance(totp.Period)
		a.wantDead("the used sign-in's cookie again", a.verify(a.code(secret, 0)))
	})
	t.Run("cookie kept across attempts", func(t *testing.T) {
		a, secret := setup(t)
		pending := a.jarCookie("two-factor")
		for range 5 {
			setPending(a, pending) // the same cookie every time: the count is the server's
			wantStatus(t, "wrong code", a.verify("999999x"), http.StatusUnauthorized, server.CodeTwoFactorCode)
		}
		setPending(a, pending)
		a.wantDead("6th attempt with a replayed cookie", a.verify(a.code(secret, 0)))
	})
	t.Run("no pending sign-in", func(t *testing.T) {
		a := newTwoFactorApp(t, server.TwoFactorOptional, server.StrategyDatabase)
		a.wantDead("a code without a sign-in", a.verify("123456"))
	})
}

// TestTwoFactorRequired: with TwoFactorRequired a user who has not
// enrolled is sent to enrol after the first factor, with no session until
// the first code confirms it.
func TestTwoFactorRequired(t *testing.T) {
	a := newTwoFactorApp(t, server.TwoFactorRequired, server.StrategyDatabase)
	a.firstFactor("/2fa?for=sign-in")
	if resp := a.get("/api/auth/2fa?for=sign-in", "Accept", "text/html"); resp.StatusCode != http.StatusOK || !strings.Contains(readBody(t, resp), `id="enroll"`) {
		t.Fatalf("enrol page: %s", resp.Status)
	}
	wantStatus(t, "enroll without \"for\"", a.post("/enroll", nil), http.StatusUnauthorized, server.CodeSessionRequired)
	resp := a.post("/enroll", url.Values{"for": {"sign-in"}})
	secret := decodeJSON[map[string]string](t, resp)["secret"]
	if a.jarCookie("session-token") != "" {
		t.Fatal("a session before the first code")
	}
	if page := readBody(t, a.get("/api/auth/2fa?for=sign-in", "Accept", "text/html")); !strings.Contains(page, secret) || !strings.Contains(page, `name="for" value="sign-in"`) {
		t.Fatal("the enrol page does not show the secret, or its form is not for the sign-in")
	}
	resp = a.post("/confirm", url.Values{"code": {a.code(secret, 0)}, "for": {"sign-in"}})
	body := decodeJSON[struct {
		RecoveryCodes []string `json:"recoveryCodes"`
		URL           string   `json:"url"`
	}](t, resp)
	if resp.StatusCode != http.StatusOK || len(body.RecoveryCodes) != 10 || body.URL != a.origin+"/dashboard" || a.jarCookie("session-token") == "" {
		t.Fatalf("confirm: %s %+v, session %q", resp.Status, body, a.jarCookie("session-token"))
	}
	// Next time: the code page.
	a.signOut()
	a.firstFactor("/2fa/verify")
}

// TestTwoFactorSetUpIntent: a browser signed in as one user, with another
// user's sign-in pending that must set up a second step (a sign-in link
// that user mailed, clicked), sets up its own user's on /2fa; the pending
// sign-in's only when the request says "for" "sign-in", as the set-up
// page's forms do. "for" without such a sign-in is 401 TwoFactor.
func TestTwoFactorSetUpIntent(t *testing.T) {
	a := newTwoFactorApp(t, server.TwoFactorRequired, server.StrategyDatabase)
	wantStatus(t, "for the sign-in, none pending", a.post("/enroll", url.Values{"for": {"sign-in"}}), http.StatusUnauthorized, server.CodeTwoFactor)
	// The browser's own user, A, sets up an app and is signed in.
	a.firstFactor("/2fa?for=sign-in")
	secret := decodeJSON[map[string]string](t, a.post("/enroll", url.Values{"for": {"sign-in"}}))["secret"]
	if resp := a.post("/confirm", url.Values{"code": {a.code(secret, 0)}, "for": {"sign-in"}}); resp.StatusCode != http.StatusOK || a.jarCookie("session-token") == "" {
		t.Fatalf("A's confirm: %s", resp.Status)
	}
	userA := a.userID()
	// Another user's sign-in, B, made in another browser, now waits in
	// this one to set up (as a mailed sign-in link would leave it).
	b := &tfApp{app: a.freshBrowser(), mem: a.mem}
	a.useAccount(2, "B", "b@example.com")
	b.firstFactor("/2fa?for=sign-in")
	a.setJarCookie(a.cookieName("two-factor"), b.jarCookie("two-factor"))
	if a.jarCookie("session-token") == "" || a.jarCookie("two-factor") == "" {
		t.Fatal("want A's session and B's pending sign-in in the browser")
	}
	if page := readBody(t, a.get("/api/auth/2fa", "Accept", "text/html")); !strings.Contains(page, `id="manage"`) {
		t.Errorf("/2fa without \"for\" is not A's page (A's app is on):\n%s", page)
	}
	wantStatus(t, "enroll without \"for\": A's, enabled", a.post("/enroll", nil), http.StatusConflict, server.CodeTwoFactor)
	resp := a.post("/enroll", url.Values{"for": {"sign-in"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("enroll for the sign-in: %s %s", resp.Status, readBody(t, resp))
	}
	userB, err := a.mem.GetUserByAccount(t.Context(), "github", "2")
	if err != nil {
		t.Fatal(err)
	}
	if f, err := a.mem.GetTwoFactor(t.Context(), userB.ID); err != nil || f.Enabled {
		t.Errorf("B's enrolment: %+v, %v", f, err)
	}
	if f, err := a.mem.GetTwoFactor(t.Context(), userA); err != nil || !f.Enabled {
		t.Errorf("A's factor changed: %+v, %v", f, err)
	}
}

// TestTwoFactorManage: disabling and new recovery codes need a code; the
// endpoints need CSRF and a session.
func TestTwoFactorManage(t *testing.T) {
	a := newTwoFactorApp(t, server.TwoFactorOptional, server.StrategyDatabase)
	wantStatus(t, "enroll signed out", a.post("/enroll", nil), http.StatusUnauthorized, server.CodeSessionRequired)
	a.mustSignIn()
	wantStatus(t, "enroll without CSRF", a.postForm("/api/auth/2fa/enroll", url.Values{"csrfToken": {"forged"}}), http.StatusForbidden, server.CodeMissingCSRF)
	secret, codes := a.enrol()
	wantStatus(t, "enroll again", a.post("/enroll", nil), http.StatusConflict, server.CodeTwoFactor)
	wantStatus(t, "regenerate with a wrong code", a.post("/recovery-codes", url.Values{"code": {"AAAA-AAAA-AAAA-AAAA"}}), http.StatusUnauthorized, server.CodeTwoFactorCode)
	resp := a.post("/recovery-codes", url.Values{"code": {codes[3]}})
	fresh := decodeJSON[struct {
		RecoveryCodes []string `json:"recoveryCodes"`
	}](t, resp).RecoveryCodes
	if len(fresh) != 10 {
		t.Fatalf("regenerate: %d codes", len(fresh))
	}
	wantStatus(t, "disable with an old recovery code", a.post("/disable", url.Values{"code": {codes[4]}}), http.StatusUnauthorized, server.CodeTwoFactorCode)
	a.clock.Advance(totp.Period)
	if resp := a.post("/disable", url.Values{"code": {a.code(secret, 0)}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("disable: %s %s", resp.Status, readBody(t, resp))
	}
	if _, err := a.mem.GetTwoFactor(t.Context(), a.userID()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after disable: %v", err)
	}
	a.signOut()
	a.mustSignIn() // no code asked
}

// TestTwoFactorConfig: a bad mode and a store without two-factor are
// configuration errors naming the field.
func TestTwoFactorConfig(t *testing.T) {
	keys := newApp(t).keys
	origin, _ := url.Parse("http://localhost")
	for _, c := range []struct {
		cfg  server.Config
		want string
	}{
		{server.Config{URL: origin, Keys: keys, Users: memstore.New(), TwoFactor: &server.TwoFactor{Mode: "sometimes"}}, `TwoFactor.Mode "sometimes"`},
		{server.Config{URL: origin, Keys: keys, TwoFactor: &server.TwoFactor{Mode: server.TwoFactorRequired}}, "TwoFactor needs Users"},
		{server.Config{URL: origin, Keys: keys, Users: usersOnly{memstore.New()}, TwoFactor: &server.TwoFactor{Mode: server.TwoFactorOptional}}, "store.TwoFactors"},
	} {
		_, err := server.New(c.cfg)
		if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New: %v, want ErrConfig naming %q", err, c.want)
		}
	}
}

// usersOnly hides every interface of a store but store.Users.
type usersOnly struct{ store.Users }

// TestTwoFactorAccountPage: the account page's security section says
// whether two-factor sign-in is on and links to /2fa.
func TestTwoFactorAccountPage(t *testing.T) {
	a := newTwoFactorApp(t, server.TwoFactorOptional, server.StrategyDatabase)
	a.mustSignIn()
	page := func() string {
		resp := a.get("/api/auth/account", "Accept", "text/html")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("account page: %s", resp.Status)
		}
		return readBody(t, resp)
	}
	if p := page(); !strings.Contains(p, `id="two-factor-link" href="`+a.base+`/2fa">Set up`) {
		t.Fatalf("account page without the set-up link:\n%s", p)
	}
	a.enrol()
	if p := page(); !strings.Contains(p, "10 recovery codes left") || !strings.Contains(p, ">Manage<") {
		t.Fatalf("account page after enrolling:\n%s", p)
	}
}

// TestTwoFactorRateLimit: codes count against signInPerClient with the
// sign-in starts; past it 429, and the code is not checked.
func TestTwoFactorRateLimit(t *testing.T) {
	mem := memstore.New()
	a := &tfApp{app: newApp(t, func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = mem, mem, server.StrategyDatabase
		c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorOptional, Issuer: "Acme"}
		c.RateLimits = map[string]ratelimit.Limit{server.LimitSignInPerClient: {Events: 3, Per: time.Hour}}
	}), mem: mem}
	a.mustSignIn() // 1
	secret, _ := a.enrol()
	a.clock.Advance(totp.Period)
	a.signOut()
	a.firstFactor("/2fa/verify")                                                                       // 2
	wantStatus(t, "wrong code", a.verify("999999"), http.StatusUnauthorized, server.CodeTwoFactorCode) // 3
	resp := a.verify(a.code(secret, 0))
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || a.jarCookie("session-token") != "" {
		t.Fatalf("past the limit: %s, Retry-After %q", resp.Status, resp.Header.Get("Retry-After"))
	}
}

// TestTwoFactorPerUserLimit: the codes tried for one user count against
// twoFactor across sign-ins, so restarting the sign-in (a new pending
// cookie with 5 fresh attempts) does not give more guesses; past it 429
// RateLimited, and even the right code is not checked.
func TestTwoFactorPerUserLimit(t *testing.T) {
	mem := memstore.New()
	a := &tfApp{app: newApp(t, func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = mem, mem, server.StrategyDatabase
		c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorOptional, Issuer: "Acme"}
		c.RateLimits = map[string]ratelimit.Limit{server.LimitTwoFactor: {Events: 3, Per: time.Hour}}
	}), mem: mem}
	a.mustSignIn()
	secret, _ := a.enrol()
	a.clock.Advance(totp.Period)
	a.signOut()
	a.firstFactor("/2fa/verify")
	wantStatus(t, "wrong code 1", a.verify("999999"), http.StatusUnauthorized, server.CodeTwoFactorCode)
	wantStatus(t, "wrong code 2", a.verify("999998"), http.StatusUnauthorized, server.CodeTwoFactorCode)
	a.firstFactor("/2fa/verify") // a new sign-in: a new pending cookie
	wantStatus(t, "wrong code 3", a.verify("999997"), http.StatusUnauthorized, server.CodeTwoFactorCode)
	resp := a.verify(a.code(secret, 0))
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || a.jarCookie("session-token") != "" {
		t.Fatalf("past the user's limit: %s, Retry-After %q", resp.Status, resp.Header.Get("Retry-After"))
	}
	if body := readBody(t, resp); !strings.Contains(body, `"RateLimited"`) {
		t.Fatalf("past the user's limit: %s", body)
	}
}

// TestTwoFactorPages: the forms of a browser (Accept: text/html) go back to
// the /2fa page; the page draws Config.TwoFactor.QRCode's matrix as an
// inline SVG and links the otpauth:// URI.
func TestTwoFactorPages(t *testing.T) {
	mem := memstore.New()
	var asked string
	a := &tfApp{app: newApp(t, func(c *server.Config) {
		c.Users, c.Sessions, c.Strategy = mem, mem, server.StrategyDatabase
		c.TwoFactor = &server.TwoFactor{Mode: server.TwoFactorOptional, Issuer: "Acme", QRCode: func(text string) ([][]bool, error) {
			asked = text
			return [][]bool{{true, false}, {false, true}}, nil
		}}
	}), mem: mem}
	a.mustSignIn()
	html := []string{"Accept", "text/html"}
	resp := a.postForm("/api/auth/2fa/enroll", url.Values{"csrfToken": {a.csrfToken()}}, html...)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != a.base+"/2fa?done=enrolling" {
		t.Fatalf("enroll form: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	page := readBody(t, a.get("/api/auth/2fa", html...))
	if !strings.HasPrefix(asked, "otpauth://totp/Acme:") ||
		!strings.Contains(page, `<svg xmlns="http://www.w3.org/2000/svg" id="qr"`) ||
		!strings.Contains(page, `d="M4 4h1v1h-1zM5 5h1v1h-1z"`) ||
		!strings.Contains(page, `id="otpauth" href="otpauth://totp/Acme:`) {
		t.Fatalf("enrol page (QR code asked for %q):\n%s", asked, page)
	}
	resp = a.postForm("/api/auth/2fa/confirm", url.Values{"csrfToken": {a.csrfToken()}, "code": {"000000x"}}, html...)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != a.base+"/2fa?error=TwoFactorCode" {
		t.Fatalf("wrong first code: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
}

// TestTwoFactorConcurrentVerify: the right code posted 8 times at once
// finishes the pending sign-in once.
func TestTwoFactorConcurrentVerify(t *testing.T) {
	a := newTwoFactorApp(t, server.TwoFactorOptional, server.StrategyDatabase)
	a.mustSignIn()
	secret, _ := a.enrol()
	a.clock.Advance(totp.Period)
	a.signOut()
	a.firstFactor("/2fa/verify")
	form := url.Values{"csrfToken": {a.csrfToken()}, "code": {a.code(secret, 0)}}
	results := make(chan int, 8)
	for range 8 {
		go func() {
			req := a.newRequest(http.MethodPost, "/api/auth/2fa/verify", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := a.noFollow.Do(req)
			if err != nil {
				results <- 0
				return
			}
			resp.Body.Close()
			results <- resp.StatusCode
		}()
	}
	won := 0
	for range 8 {
		if <-results == http.StatusFound {
			won++ // 302 to the callback, or to the sign-in page: count sessions below
		}
	}
	sessions, err := a.mem.ListSessions(t.Context(), a.userID())
	if err != nil {
		t.Fatal(err)
	}
	// One session from the enrolling sign-in (still stored: signOut only
	// dropped the cookie) and one from the code.
	if len(sessions) != 2 {
		t.Fatalf("%d sessions after 8 concurrent right codes (%d redirects), want 2", len(sessions), won)
	}
}

// TestTwoFactorDisablePending: an enrolment not yet confirmed is not
// deleted by /2fa/disable (which needs a code of an enabled factor): a
// delete racing the owner's confirmation could otherwise remove the factor
// just turned on. The next set-up replaces it.
func TestTwoFactorDisablePending(t *testing.T) {
	a := newTwoFactorApp(t, server.TwoFactorOptional, server.StrategyDatabase)
	a.mustSignIn()
	first := decodeJSON[map[string]string](t, a.post("/enroll", nil))["secret"]
	wantStatus(t, "disable while enrolling", a.post("/disable", nil), http.StatusConflict, server.CodeTwoFactor)
	if f, err := a.mem.GetTwoFactor(t.Context(), a.userID()); err != nil || f.Enabled {
		t.Fatalf("the enrolment after disable: %+v, %v; want it kept, not enabled", f, err)
	}
	second := decodeJSON[map[string]string](t, a.post("/enroll", nil))["secret"]
	if second == "" || second == first {
		t.Fatalf("a new set-up kept the old secret (%q, %q)", first, second)
	}
	if resp := a.post("/confirm", url.Values{"code": {a.code(second, 0)}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("confirm the new set-up: %s", resp.Status)
	}
}

// TestTwoFactorSetUpIntentKeepsCodeStep: a set-up request for the sign-in
// (a stale /2fa?for=sign-in tab, a link) while the sign-in waits for its
// code, not a set-up, sends back to the code page and leaves the sign-in
// pending.
func TestTwoFactorSetUpIntentKeepsCodeStep(t *testing.T) {
	a := newTwoFactorApp(t, server.TwoFactorOptional, server.StrategyDatabase)
	a.mustSignIn()
	secret, _ := a.enrol()
	a.signOut()
	a.firstFactor("/2fa/verify")
	resp := a.get("/api/auth/2fa?for=sign-in", "Accept", "text/html")
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != a.base+"/2fa/verify" {
		t.Errorf("the set-up page for a sign-in waiting for its code: %s to %q, want 303 to the code page", resp.Status, got)
	}
	wantStatus(t, "enroll for it", a.post("/enroll", url.Values{"for": {"sign-in"}}), http.StatusUnauthorized, server.CodeTwoFactor)
	if a.jarCookie("two-factor") == "" {
		t.Fatal("the pending sign-in was dropped")
	}
	a.clock.Advance(totp.Period)
	a.wantSignedIn("the code after", a.verify(a.code(secret, 0)))
}
