package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// outbox is an in-memory email.Sender that records what it sends, or fails
// while err is set.
type outbox struct {
	mu   sync.Mutex
	sent []email.Message
	err  error
}

func (o *outbox) Send(_ context.Context, m email.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	o.sent = append(o.sent, m)
	return nil
}

func (o *outbox) fail(err error) { o.mu.Lock(); o.err = err; o.mu.Unlock() }

// last returns the last message sent.
func (o *outbox) last(t *testing.T) email.Message {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.sent) == 0 {
		t.Fatal("no e-mail sent")
	}
	return o.sent[len(o.sent)-1]
}

func (o *outbox) count() int { o.mu.Lock(); defer o.mu.Unlock(); return len(o.sent) }

// spyTokens records the verification tokens created.
type spyTokens struct {
	store.VerificationTokens
	mu      sync.Mutex
	created []store.VerificationToken
}

func (s *spyTokens) CreateVerificationToken(ctx context.Context, t store.VerificationToken) error {
	s.mu.Lock()
	s.created = append(s.created, t)
	s.mu.Unlock()
	return s.VerificationTokens.CreateVerificationToken(ctx, t)
}

func (s *spyTokens) last(t *testing.T) store.VerificationToken {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.created) == 0 {
		t.Fatal("no token created")
	}
	return s.created[len(s.created)-1]
}

// emailApp is an app with e-mail sign-in on a memstore, JWT sessions.
type emailApp struct {
	*app
	store  *memstore.Store
	tokens *spyTokens
	out    *outbox
}

func newEmailApp(t *testing.T, opts ...appOption) *emailApp {
	t.Helper()
	st, out := memstore.New(), &outbox{}
	tokens := &spyTokens{VerificationTokens: st}
	all := append([]appOption{func(c *server.Config) {
		c.Users = st
		c.Email = &server.Email{Sender: out, From: "Acme <no-reply@acme.example>", Tokens: tokens, Name: "Acme"}
	}}, opts...)
	return &emailApp{app: newApp(t, all...), store: st, tokens: tokens, out: out}
}

// freshBrowser returns the app seen from another browser (app.freshBrowser)
// with the same store and outbox.
func (a *emailApp) freshBrowser() *emailApp {
	a.t.Helper()
	return &emailApp{app: a.app.freshBrowser(), store: a.store, tokens: a.tokens, out: a.out}
}

// request asks for a sign-in e-mail for addr and returns the response (not
// followed).
func (a *emailApp) request(addr, callbackURL string, header ...string) *http.Response {
	a.t.Helper()
	form := url.Values{"csrfToken": {a.csrfToken()}, "email": {addr}}
	if callbackURL != "" {
		form.Set("callbackUrl", callbackURL)
	}
	return a.postForm("/api/auth/signin/email", form, header...)
}

// mustRequest asks for a sign-in e-mail and returns it.
func (a *emailApp) mustRequest(addr, callbackURL string) email.Message {
	a.t.Helper()
	n := a.out.count()
	resp := a.request(addr, callbackURL)
	if got, want := location(a.t, resp), a.base+"/verify-request?provider=email&type=email"; got != want {
		a.t.Fatalf("request redirected to %q, want %q", got, want)
	}
	if a.out.count() != n+1 {
		a.t.Fatalf("%d e-mails sent, want 1", a.out.count()-n)
	}
	return a.out.last(a.t)
}

// confirm posts the link's confirm form, as its button does, and returns
// the response.
func (a *emailApp) confirm(link string) *http.Response {
	a.t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		a.t.Fatal(err)
	}
	q := u.Query()
	return a.postForm("/api/auth/callback/email", url.Values{
		"csrfToken": {a.csrfToken()}, "token": {q.Get("token")}, "email": {q.Get("email")}, "callbackUrl": {q.Get("callbackUrl")},
	})
}

// enterCode posts a code as the verify-request page's form does.
func (a *emailApp) enterCode(code string) *http.Response {
	a.t.Helper()
	return a.postForm("/api/auth/callback/email", url.Values{"csrfToken": {a.csrfToken()}, "code": {code}})
}

// sessionEmail returns the signed-in user's address, "" without a session.
func (a *emailApp) sessionEmail() string {
	a.t.Helper()
	body, _ := a.sessionJSON()
	if body == "null" || body == "{}" {
		return ""
	}
	m := regexp.MustCompile(`"email":"([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		a.t.Fatalf("session without email: %s", body)
	}
	return m[1]
}

func wantVerification(t *testing.T, a *emailApp, resp *http.Response) {
	t.Helper()
	if got, want := location(t, resp), a.base+"/error?error=Verification"; got != want {
		t.Fatalf("redirected to %q, want %q", got, want)
	}
	if a.sessionEmail() != "" {
		t.Fatal("signed in after Verification")
	}
}

func TestEmailSignInByLink(t *testing.T) {
	a := newEmailApp(t)
	m := a.mustRequest("  Ada@Example.COM ", "/dashboard")
	if m.To != "ada@example.com" || m.From != "Acme <no-reply@acme.example>" || m.Subject != "Sign in to Acme" {
		t.Errorf("message %+v", m)
	}
	wantLink := a.base + "/callback/email?"
	if !strings.HasPrefix(m.Link, wantLink) || !strings.Contains(m.Text, m.Link) || !regexp.MustCompile(`^\d{6}$`).MatchString(m.Code) || !strings.Contains(m.HTML, m.Code) {
		t.Fatalf("link %q code %q text %q", m.Link, m.Code, m.Text)
	}
	u, _ := url.Parse(m.Link)
	if q := u.Query(); q.Get("email") != "ada@example.com" || len(q.Get("token")) != 43 || q.Get("callbackUrl") != a.origin+"/dashboard" {
		t.Errorf("link query %v", q)
	}

	// The token is stored only as a keyed hash, with no attempts.
	token := u.Query().Get("token")
	stored := a.tokens.last(t)
	if stored.TokenHash == token || stored.TokenHash == store.HashToken(token) || strings.Contains(stored.TokenHash, token) ||
		stored.Attempts != 0 || stored.Identifier != "ada@example.com" || !stored.Expires.Equal(a.clock.Now().Add(24*time.Hour)) {
		t.Errorf("stored %+v", stored)
	}

	// GET shows the confirm page and uses nothing up, however often.
	for range 2 {
		page := a.get(m.Link)
		body := readBody(t, page)
		if page.StatusCode != http.StatusOK || !strings.Contains(body, "Sign in as <strong>ada@example.com</strong>") || !strings.Contains(body, `id="email-confirm"`) {
			t.Fatalf("confirm page %s: %s", page.Status, body)
		}
		if strings.Contains(body, "<script") || !strings.Contains(page.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("confirm page runs scripts or lacks the CSP")
		}
	}
	if a.sessionEmail() != "" {
		t.Fatal("the GET signed in")
	}
	resp := a.confirm(m.Link)
	if got := location(t, resp); got != a.origin+"/dashboard" {
		t.Fatalf("confirm redirected to %q", got)
	}
	if got := a.sessionEmail(); got != "ada@example.com" {
		t.Fatalf("session email %q", got)
	}
	u2, err := a.store.GetUserByEmail(context.Background(), "ada@example.com")
	if err != nil || u2.EmailVerified == nil || !u2.EmailVerified.Equal(a.clock.Now().UTC()) {
		t.Fatalf("user %+v, %v; want EmailVerified now", u2, err)
	}
	// Used once: the same link again is Verification.
	a.setJarCookie(a.cookieName("session-token"), "")
	wantVerification(t, a, a.confirm(m.Link))
}

func TestEmailSignInByCode(t *testing.T) {
	a := newEmailApp(t)
	m := a.mustRequest("grace@example.com", "/after")
	page := a.get("/api/auth/verify-request?provider=email&type=email")
	body := readBody(t, page)
	if !strings.Contains(body, `name="code"`) || !strings.Contains(body, `autocomplete="one-time-code"`) {
		t.Fatalf("verify-request page lacks the code form: %s", body)
	}
	// A wrong code keeps the form, with a message.
	wrong := "000000"
	if m.Code == wrong {
		wrong = "111111"
	}
	if got := location(t, a.enterCode(wrong)); got != a.base+"/verify-request?error=Verification&provider=email&type=email" {
		t.Fatalf("wrong code redirected to %q", got)
	}
	if body := readBody(t, a.get("/api/auth/verify-request?error=Verification&provider=email&type=email")); !strings.Contains(body, "That code is not right") {
		t.Errorf("no message for the wrong code: %s", body)
	}
	resp := a.enterCode(m.Code[:3] + " " + m.Code[3:])
	if got := location(t, resp); got != a.origin+"/after" {
		t.Fatalf("code redirected to %q", got)
	}
	if got := a.sessionEmail(); got != "grace@example.com" {
		t.Fatalf("session email %q", got)
	}
	// The link of the same e-mail is used up with it.
	a.setJarCookie(a.cookieName("session-token"), "")
	wantVerification(t, a, a.confirm(m.Link))
}

func TestEmailCodeBoundToBrowser(t *testing.T) {
	a := newEmailApp(t)
	m := a.mustRequest("x@example.com", "")
	// Another browser (no check cookie) cannot use the code.
	a.setJarCookie(a.cookieName("email-code"), "")
	if body := readBody(t, a.get("/api/auth/verify-request")); strings.Contains(body, `name="code"`) {
		t.Error("verify-request shows the code form to a browser that did not ask")
	}
	wantVerification(t, a, a.enterCode(m.Code))
	// The link still works.
	if location(t, a.confirm(m.Link)) != a.origin {
		t.Fatal("link refused")
	}
}

func TestEmailCodeAttempts(t *testing.T) {
	a := newEmailApp(t)
	m := a.mustRequest("x@example.com", "")
	wrong := "000000"
	if m.Code == wrong {
		wrong = "111111"
	}
	for i := range 5 {
		if got := location(t, a.enterCode(wrong)); !strings.Contains(got, "/verify-request?error=Verification") {
			t.Fatalf("attempt %d: %q", i+1, got)
		}
	}
	// The 6th attempt, right or not, ends the sign-in.
	wantVerification(t, a, a.enterCode(m.Code))
	if a.jarCookie("email-code") != "" {
		t.Error("check cookie kept after the sign-in ended")
	}
	wantVerification(t, a, a.confirm(m.Link))
}

func TestEmailRefusals(t *testing.T) {
	t.Run("expired", func(t *testing.T) {
		a := newEmailApp(t)
		m := a.mustRequest("x@example.com", "")
		a.clock.Advance(24 * time.Hour)
		wantVerification(t, a, a.confirm(m.Link))
		m = a.mustRequest("x@example.com", "")
		a.clock.Advance(24 * time.Hour)
		wantVerification(t, a, a.enterCode(m.Code))
	})
	t.Run("wrong address", func(t *testing.T) {
		a := newEmailApp(t)
		m := a.mustRequest("x@example.com", "")
		wantVerification(t, a, a.confirm(strings.Replace(m.Link, "email=x%40example.com", "email=y%40example.com", 1)))
		// Nothing changed: the right address still signs in.
		if location(t, a.confirm(m.Link)) != a.origin {
			t.Fatal("refused after the wrong address")
		}
	})
	t.Run("forged token", func(t *testing.T) {
		a := newEmailApp(t)
		m := a.mustRequest("x@example.com", "")
		u, _ := url.Parse(m.Link)
		q := u.Query()
		q.Set("token", strings.Repeat("A", 43))
		u.RawQuery = q.Encode()
		wantVerification(t, a, a.confirm(u.String()))
		if location(t, a.confirm(m.Link)) != a.origin {
			t.Fatal("refused after the forged token")
		}
	})
	t.Run("link without token", func(t *testing.T) {
		a := newEmailApp(t)
		if got := location(t, a.get("/api/auth/callback/email?email=x%40example.com")); got != a.base+"/error?error=Verification" {
			t.Errorf("redirected to %q", got)
		}
	})
	t.Run("csrf", func(t *testing.T) {
		a := newEmailApp(t)
		a.csrfToken()
		resp := a.postForm("/api/auth/signin/email", url.Values{"csrfToken": {"forged"}, "email": {"x@example.com"}})
		if got := location(t, resp); got != a.base+"/signin?error=MissingCSRF" || a.out.count() != 0 {
			t.Errorf("redirected to %q, %d sent", got, a.out.count())
		}
		m := a.mustRequest("x@example.com", "")
		u, _ := url.Parse(m.Link)
		resp = a.postForm("/api/auth/callback/email", url.Values{"csrfToken": {"forged"}, "token": {u.Query().Get("token")}, "email": {"x@example.com"}})
		if got := location(t, resp); got != a.base+"/signin?error=MissingCSRF" {
			t.Errorf("confirm without CSRF redirected to %q", got)
		}
		if location(t, a.confirm(m.Link)) != a.origin {
			t.Fatal("the token was used by the refused POST")
		}
	})
	t.Run("bad address", func(t *testing.T) {
		a := newEmailApp(t)
		for _, addr := range []string{"", "nobody", "a@b.c, d@e.f", "Ada <a@b.c>", strings.Repeat("a", 250) + "@b.cd"} {
			if got := location(t, a.request(addr, "")); got != a.base+"/signin?error=EmailSignin" {
				t.Errorf("%q: redirected to %q", addr, got)
			}
		}
		if a.out.count() != 0 {
			t.Errorf("%d e-mails sent", a.out.count())
		}
	})
}

func TestEmailSendFails(t *testing.T) {
	a := newEmailApp(t)
	a.out.fail(errors.New("dial tcp: connection refused"))
	resp := a.request("x@example.com", "")
	if got := location(t, resp); got != a.base+"/signin?error=EmailSignin" {
		t.Fatalf("redirected to %q", got)
	}
	if a.jarCookie("email-code") != "" {
		t.Error("check cookie set for an unsent e-mail")
	}
	logs := a.logs.String()
	if !strings.Contains(logs, "connection refused") {
		t.Errorf("cause not logged: %s", logs)
	}
	if strings.Contains(logs, "token=") {
		t.Errorf("log holds a token: %s", logs)
	}
	// Nothing usable stored: the token's row is gone.
	stored := a.tokens.last(t)
	if _, err := a.store.CountVerificationAttempt(context.Background(), stored.Identifier, stored.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the unsent token's row: %v, want ErrNotFound", err)
	}
}

func TestEmailJSON(t *testing.T) {
	a := newEmailApp(t)
	resp := a.request("x@example.com", "/x", "X-Auth-Return-Redirect", "1")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	if got := decodeJSON[map[string]string](t, resp)["url"]; got != a.base+"/verify-request?provider=email&type=email" {
		t.Errorf("url %q", got)
	}
	providers := decodeJSON[map[string]map[string]string](t, a.get("/api/auth/providers"))
	want := map[string]string{"id": "email", "name": "Email", "type": "email", "signinUrl": a.base + "/signin/email", "callbackUrl": a.base + "/callback/email"}
	for k, v := range want {
		if providers["email"][k] != v {
			t.Errorf("providers.email.%s = %q, want %q", k, providers["email"][k], v)
		}
	}
	if body := readBody(t, a.get("/api/auth/signin")); !strings.Contains(body, `action="`+a.base+`/signin/email"`) || !strings.Contains(body, `type="email"`) {
		t.Errorf("sign-in page lacks the e-mail form: %s", body)
	}
}

func TestEmailCallbacksAndEvents(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	record := func(s string) { mu.Lock(); seen = append(seen, s); mu.Unlock() }
	a := newEmailApp(t, func(c *server.Config) {
		c.Callbacks.SignIn = func(_ context.Context, in *server.SignInInput) error {
			record("signIn " + in.Provider + " " + in.User.Email + " " + map[bool]string{true: "request", false: "callback"}[in.VerificationRequest])
			if in.User.Email == "blocked@example.com" {
				return errors.New("blocked")
			}
			return nil
		}
		c.Callbacks.NormalizeEmail = func(_ context.Context, s string) (string, error) {
			n, err := server.NormalizeEmail(s)
			return strings.ToLower(n), err
		}
		c.Events.CreateUser = func(_ context.Context, e server.UserEvent) { record("createUser " + e.User.Email) }
		c.Events.UpdateUser = func(_ context.Context, e server.UserEvent) { record("updateUser " + e.User.Email) }
		c.Events.SignIn = func(_ context.Context, e server.SignInEvent) {
			record("signIn event " + e.Provider + " " + e.User.Email + map[bool]string{true: " new", false: ""}[e.IsNewUser])
		}
	})
	m := a.mustRequest("Ada@Example.com", "")
	if m.To != "ada@example.com" {
		t.Errorf("NormalizeEmail hook not used: %q", m.To)
	}
	location(t, a.confirm(m.Link))
	if got := a.sessionEmail(); got != "ada@example.com" {
		t.Fatalf("session %q", got)
	}
	// An existing user without a verified address gets it verified.
	if _, err := a.store.CreateUser(context.Background(), store.User{Email: "old@example.com"}); err != nil {
		t.Fatal(err)
	}
	location(t, a.confirm(a.mustRequest("old@example.com", "").Link))
	if u, _ := a.store.GetUserByEmail(context.Background(), "old@example.com"); u.EmailVerified == nil {
		t.Error("EmailVerified not set on the existing user")
	}
	// Refused at the request: nothing sent.
	n := a.out.count()
	if got := location(t, a.request("blocked@example.com", "")); got != a.base+"/error?error=AccessDenied" || a.out.count() != n {
		t.Errorf("refused request: %q, %d sent", got, a.out.count()-n)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"signIn email ada@example.com request", "signIn email ada@example.com callback", "createUser ada@example.com", "signIn event email ada@example.com new",
		"signIn email old@example.com request", "signIn email old@example.com callback", "updateUser old@example.com", "signIn event email old@example.com",
		"signIn email blocked@example.com request",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("seen:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
}

func TestEmailDatabaseSessions(t *testing.T) {
	a := newEmailApp(t, func(c *server.Config) {
		c.Strategy = server.StrategyDatabase
		c.Sessions = c.Users.(*memstore.Store)
	})
	location(t, a.confirm(a.mustRequest("db@example.com", "").Link))
	if got := a.sessionEmail(); got != "db@example.com" {
		t.Fatalf("session %q", got)
	}
}

func TestEmailConfig(t *testing.T) {
	st := memstore.New()
	u, _ := url.Parse("http://localhost:3000")
	ks := newApp(t).keys
	for name, tt := range map[string]struct {
		cfg  server.Config
		want string
	}{
		"no users":  {server.Config{Email: &server.Email{Sender: &outbox{}, From: "a@b.c", Tokens: st}}, "Email needs Users"},
		"no tokens": {server.Config{Users: st, Email: &server.Email{Sender: &outbox{}, From: "a@b.c"}}, "Email.Tokens is required"},
		"no sender": {server.Config{Users: st, Email: &server.Email{From: "a@b.c", Tokens: st}}, "Email.Sender is required"},
		"no from":   {server.Config{Users: st, Email: &server.Email{Sender: &outbox{}, Tokens: st}}, "Email.From is required"},
		"bad from":  {server.Config{Users: st, Email: &server.Email{Sender: &outbox{}, From: "nobody", Tokens: st}}, "Email.From \"nobody\" is not an e-mail address"},
		"negative":  {server.Config{Users: st, Email: &server.Email{Sender: &outbox{}, From: "a@b.c", Tokens: st, MaxAge: -time.Hour}}, "Email.MaxAge -1h0m0s is negative"},
	} {
		t.Run(name, func(t *testing.T) {
			tt.cfg.URL, tt.cfg.Keys = u, ks
			_, err := server.New(tt.cfg)
			if !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrConfig with %q", err, tt.want)
			}
		})
	}
}

func TestEmailRateLimit(t *testing.T) {
	a := newEmailApp(t)
	for range 5 {
		a.mustRequest("x@example.com", "")
	}
	resp := a.request("x@example.com", "")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("6th request: %s, Retry-After %q", resp.Status, resp.Header.Get("Retry-After"))
	}
	if a.out.count() != 5 {
		t.Errorf("%d e-mails sent, want 5", a.out.count())
	}
	// Another address is counted apart.
	a.mustRequest("y@example.com", "")
}

func TestEmailAccountsEntry(t *testing.T) {
	a := newEmailApp(t)
	location(t, a.confirm(a.mustRequest("x@example.com", "").Link))
	accounts := a.accountsJSON(http.StatusOK)
	if len(accounts) != 1 || accounts[0]["provider"] != "email" {
		t.Fatalf("accounts %v, want the email entry", accounts)
	}
	// Linking a provider account while signed in by e-mail.
	location(t, a.signIn("github", "/"))
	if got := len(a.accountsJSON(http.StatusOK)); got != 2 {
		t.Errorf("%d accounts after linking GitHub, want 2", got)
	}
}

func TestEmailReplacesSession(t *testing.T) {
	a := newEmailApp(t)
	a.mustSignIn() // GitHub, as mona@example.com
	location(t, a.confirm(a.mustRequest("other@example.com", "").Link))
	if got := a.sessionEmail(); got != "other@example.com" {
		t.Fatalf("session %q, want the e-mail user's", got)
	}
}

func TestEmailHTTPSCookies(t *testing.T) {
	st, out := memstore.New(), &outbox{}
	a := &emailApp{app: newAppTLS(t, true, func(c *server.Config) {
		c.Users = st
		c.Email = &server.Email{Sender: out, From: "no-reply@acme.example", Tokens: st}
	}), store: st, out: out}
	resp := a.request("x@example.com", "")
	c := setCookies(resp)["__Host-authgen.email-code"]
	if c == nil || !c.Secure || !c.HttpOnly || c.Path != "/" || c.Domain != "" || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("check cookie %+v", c)
	}
	if strings.Contains(c.Value, "x@example.com") {
		t.Error("the check cookie shows the address: it is sealed")
	}
	if location(t, a.enterCode(out.last(t).Code)) != a.origin {
		t.Fatal("code refused on https")
	}
}

// TestEmailConsoleSender: the console sender without a logger of its own
// logs the link and code to Config.Logger, and New warns that it is on.
func TestEmailConsoleSender(t *testing.T) {
	st := memstore.New()
	a := &emailApp{app: newApp(t, func(c *server.Config) {
		c.Users = st
		c.Email = &server.Email{Sender: email.Console{}, From: "no-reply@localhost", Tokens: st}
	}), store: st, out: &outbox{}}
	if !strings.Contains(a.logs.String(), email.ConsoleWarning) {
		t.Errorf("no warning at start: %s", a.logs.String())
	}
	if got := location(t, a.request("x@example.com", "")); got != a.base+"/verify-request?provider=email&type=email" {
		t.Fatalf("redirected to %q", got)
	}
	m := regexp.MustCompile(`link=(\S+) code=(\d{6})`).FindStringSubmatch(a.logs.String())
	if m == nil {
		t.Fatalf("link and code not logged: %s", a.logs.String())
	}
	if location(t, a.enterCode(m[2])) != a.origin {
		t.Fatal("the logged code does not sign in")
	}
}

// TestEmailKeyRotation: a link and a code mailed before a key rotation
// still work while the replaced key verifies, and no longer once it has
// expired.
func TestEmailKeyRotation(t *testing.T) {
	a := newEmailApp(t)
	m := a.mustRequest("x@example.com", "")
	if err := a.keys.Rotate(a.clock.Now(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if location(t, a.confirm(m.Link)) != a.origin {
		t.Fatal("link refused after a rotation")
	}
	m = a.mustRequest("y@example.com", "")
	if err := a.keys.Rotate(a.clock.Now(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if location(t, a.enterCode(m.Code)) != a.origin {
		t.Fatal("code refused after a rotation")
	}
	m = a.mustRequest("z@example.com", "")
	if err := a.keys.Rotate(a.clock.Now(), time.Minute); err != nil {
		t.Fatal(err)
	}
	a.clock.Advance(2 * time.Minute)
	a.setJarCookie(a.cookieName("session-token"), "")
	wantVerification(t, a, a.confirm(m.Link))
}

// TestEmailCodeConcurrent: the right code posted 12 times at once signs in
// once; the rest are Verification.
func TestEmailCodeConcurrent(t *testing.T) {
	// 12 codes at once: past rateLimit.emailCode's 10 (its own test).
	a := newEmailApp(t, func(c *server.Config) {
		c.RateLimits = map[string]ratelimit.Limit{server.LimitEmailCode: {Events: 20, Per: time.Hour}}
	})
	m := a.mustRequest("x@example.com", "")
	csrf := a.csrfToken()
	// The browser's cookies as they are now: the winner's answer rotates
	// the CSRF cookie, which a shared jar would hand the others.
	u, _ := url.Parse(a.origin)
	cookies := a.jar.Cookies(u)
	client := &http.Client{Transport: a.noFollow.Transport, CheckRedirect: a.noFollow.CheckRedirect}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	for range 12 {
		wg.Go(func() {
			req := a.newRequest(http.MethodPost, "/api/auth/callback/email", strings.NewReader(url.Values{"csrfToken": {csrf}, "code": {m.Code}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, c := range cookies {
				req.AddCookie(c)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			got[resp.Header.Get("Location")]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if got[a.origin] != 1 || got[a.base+"/error?error=Verification"] != 11 {
		t.Errorf("answers %v, want one sign-in and 11 Verification", got)
	}
}

// TestEmailUnprovenAddress: an address a provider stated without proof
// does not hand the e-mail owner's sign-ins to that provider account's
// user — a stranger's GitHub account naming the victim's address first
// would otherwise own the victim's e-mail sign-ins. The user proves the
// address by an e-mail sign-in while signed in; from then on it is the
// address's user.
func TestEmailUnprovenAddress(t *testing.T) {
	a := newEmailApp(t)
	a.idp.set(func(p *idp) {
		p.user = `{"id":999,"login":"mallory","name":"Mallory","email":"victim@example.com","avatar_url":""}`
		p.emails = `[]`
	})
	a.mustSignIn()
	ctx := t.Context()
	squatter, err := a.store.GetUserByAccount(ctx, "github", "999")
	if err != nil || squatter.Email != "victim@example.com" || squatter.EmailVerified != nil {
		t.Fatalf("the GitHub user: %+v, %v; want victim@example.com unverified", squatter, err)
	}

	victim := a.freshBrowser()
	resp := victim.confirm(victim.mustRequest("victim@example.com", "").Link)
	if got, want := location(t, resp), a.base+"/signin?error=OAuthAccountNotLinked"; got != want {
		t.Errorf("the address's e-mail sign-in went to %q, want %q", got, want)
	}
	if got := victim.sessionEmail(); got != "" {
		t.Errorf("signed in as %q", got)
	}
	if u, err := a.store.GetUser(ctx, squatter.ID); err != nil || u.EmailVerified != nil {
		t.Errorf("the GitHub user after the refusal: %+v, %v; want unchanged", u, err)
	}
	if !strings.Contains(a.logs.String(), "unproven, with a github account") {
		t.Errorf("the log does not say why:\n%s", a.logs)
	}

	// The GitHub user, signed in, proves the address.
	location(t, a.confirm(a.mustRequest("victim@example.com", "").Link))
	if u, err := a.store.GetUser(ctx, squatter.ID); err != nil || u.EmailVerified == nil {
		t.Fatalf("after an e-mail sign-in of the signed-in user: %+v, %v; want the address verified", u, err)
	}
	if got := a.protectedID(); got != squatter.ID {
		t.Errorf("signed in as %q, want the same user %q", got, squatter.ID)
	}
	location(t, victim.confirm(victim.mustRequest("victim@example.com", "").Link))
	if got := victim.protectedID(); got != squatter.ID {
		t.Errorf("after the proof, the address's sign-in reached %q, want %q", got, squatter.ID)
	}
}

// TestEmailAddressProvenByProvider: a user whose address was stored
// unverified (made before GitHub's public address was checked) has it
// recorded verified at its next sign-in once the provider reports that
// very address verified; e-mail sign-in then reaches it.
func TestEmailAddressProvenByProvider(t *testing.T) {
	a := newEmailApp(t)
	a.idp.set(func(p *idp) {
		p.user = `{"id":42,"login":"ada","name":"Ada","email":"Ada@Example.com","avatar_url":""}`
		p.emails = `[]`
	})
	a.mustSignIn()
	ctx := t.Context()
	u, err := a.store.GetUserByAccount(ctx, "github", "42")
	if err != nil || u.EmailVerified != nil {
		t.Fatalf("the GitHub user: %+v, %v; want the address unverified", u, err)
	}
	a.idp.set(func(p *idp) { p.emails = `[{"email":"ada@example.com","primary":true,"verified":true}]` })
	b := a.freshBrowser()
	b.mustSignIn()
	if u, err := a.store.GetUser(ctx, u.ID); err != nil || u.EmailVerified == nil || !u.EmailVerified.Equal(a.clock.Now().UTC()) {
		t.Fatalf("after a sign-in reporting the address verified: %+v, %v", u, err)
	}
	c := a.freshBrowser()
	location(t, c.confirm(c.mustRequest("ada@example.com", "").Link))
	if got := c.protectedID(); got != u.ID {
		t.Errorf("the e-mail sign-in reached %q, want %q", got, u.ID)
	}
}

// TestEmailCodePerAddressLimit: the codes typed for one address count
// across its sign-ins and clients (rateLimit.emailCode), so new mails give
// no more guesses; past the limit the code is not checked (429), and the
// mail's link still signs in.
func TestEmailCodePerAddressLimit(t *testing.T) {
	a := newEmailApp(t, func(c *server.Config) {
		c.RateLimits = map[string]ratelimit.Limit{server.LimitEmailCode: {Events: 3, Per: 24 * time.Hour}}
	})
	wrong := func(m email.Message) string {
		if m.Code == "000000" {
			return "111111"
		}
		return "000000"
	}
	m := a.mustRequest("x@example.com", "")
	for i := range 2 {
		if got := location(t, a.enterCode(wrong(m))); !strings.Contains(got, "/verify-request?error=Verification") {
			t.Fatalf("attempt %d: %q", i+1, got)
		}
	}
	other := a.freshBrowser()
	m2 := other.mustRequest("x@example.com", "")
	if got := location(t, other.enterCode(wrong(m2))); !strings.Contains(got, "/verify-request?error=Verification") {
		t.Fatalf("attempt 3, another browser's sign-in: %q", got)
	}
	resp := other.enterCode(m2.Code)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || other.sessionEmail() != "" {
		t.Fatalf("the right code past the address's limit: %s, Retry-After %q, session %q", resp.Status, resp.Header.Get("Retry-After"), other.sessionEmail())
	}
	location(t, other.confirm(m2.Link))
	if got := other.sessionEmail(); got != "x@example.com" {
		t.Errorf("the link past the code limit: session %q", got)
	}
}
