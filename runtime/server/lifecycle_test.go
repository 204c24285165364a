package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

const day = 24 * time.Hour

// revocable makes the app's JWT sessions revocable, with their records in
// its faultStore (Users, set by newStoreApp).
func revocable(c *server.Config) {
	c.Sessions = c.Users.(store.Sessions)
	c.Revocation = true
}

// withMaxAge sets the session's maxAge and updateAge.
func withMaxAge(maxAge, updateAge time.Duration) appOption {
	return func(c *server.Config) { c.Session.MaxAge, c.Session.UpdateAge = maxAge, updateAge }
}

// lifecycleStrategies are the session kinds that have a lifecycle: database
// sessions, JWT sessions, and JWT sessions with revocation.
var lifecycleStrategies = []struct {
	name     string
	strategy server.Strategy
	opts     []appOption
}{
	{"database", server.StrategyDatabase, nil},
	{"jwt", server.StrategyJWT, nil},
	{"jwt with revocation", server.StrategyJWT, []appOption{revocable}},
}

// TestAbsoluteLifetime: a session used every day ends 30 days after
// sign-in (ASVS 3.3.2), JWT or database: with the default maxAge (30
// days) the expiry never moves, and with a maxAge of 7 days renewals
// extend it up to day 30 and no further; a minute past day 30 it is gone,
// however active it was.
func TestAbsoluteLifetime(t *testing.T) {
	for _, s := range lifecycleStrategies {
		for _, maxAge := range []time.Duration{0, 7 * day} {
			name := s.name + ", default maxAge"
			if maxAge != 0 {
				name = s.name + ", maxAge 7 days"
			}
			t.Run(name, func(t *testing.T) {
				opts := s.opts
				if maxAge != 0 {
					opts = append(slices.Clone(opts), withMaxAge(maxAge, day))
				}
				a, _ := newStoreApp(t, s.strategy, opts...)
				signIn := a.clock.Now()
				end := signIn.Add(30 * day)
				a.signInOK("github")
				for d := 1; d <= 29; d++ {
					a.clock.Advance(day)
					body, _ := a.sessionJSON()
					want := end
					if maxAge != 0 && signIn.Add(time.Duration(d)*day+maxAge).Before(end) {
						want = signIn.Add(time.Duration(d)*day + maxAge)
					}
					if got := expiresOf(t, body); got != iso(want) {
						t.Fatalf("day %d: the session expires at %s, want %s", d, got, iso(want))
					}
				}
				if id := a.protectedID(); id == "" {
					t.Fatal("day 29: Require refused the session")
				}
				a.clock.Advance(day + time.Minute)
				body, resp := a.sessionJSON()
				if body != "null" {
					t.Errorf("a minute past 30 days after sign-in: GET /session = %s, want null", body)
				}
				if !a.sessionDeleted(resp) {
					t.Error("a minute past 30 days after sign-in: the session cookie was not deleted")
				}
				if id := a.protectedID(); id != "" {
					t.Errorf("a minute past 30 days after sign-in: Require let user %q through", id)
				}
			})
		}
	}
}

// TestAbsoluteLifetimeOff: with NoAbsoluteMaxAge a session used every day
// lasts as long as it is used, as before.
func TestAbsoluteLifetimeOff(t *testing.T) {
	for _, strategy := range []server.Strategy{server.StrategyDatabase, server.StrategyJWT} {
		t.Run(string(strategy), func(t *testing.T) {
			a, _ := newStoreApp(t, strategy, func(c *server.Config) {
				c.Session.MaxAge, c.Session.AbsoluteMaxAge = 7*day, session.NoAbsoluteMaxAge
			})
			a.signInOK("github")
			for d := 1; d <= 40; d++ {
				a.clock.Advance(day)
				body, _ := a.sessionJSON()
				if body == "null" {
					t.Fatalf("day %d: the session ended", d)
				}
				if got, want := expiresOf(t, body), iso(a.clock.Now().Add(7*day)); got != want {
					t.Fatalf("day %d: expires %s, want %s (renewed for 7 days)", d, got, want)
				}
			}
		})
	}
}

// TestJWTCallbackKeepsAuthTime: a JWT callback that moves auth_time or sid
// does not extend the session: renewals keep the sign-in's.
func TestJWTCallbackKeepsAuthTime(t *testing.T) {
	a, _ := newStoreApp(t, server.StrategyJWT, revocable, withMaxAge(7*day, day), func(c *server.Config) {
		c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			in.Claims.AuthTime = time.Now().Add(365 * day).Unix()
			in.Claims.SessionID = "forged"
			return nil
		}
	})
	end := a.clock.Now().Add(30 * day)
	a.signInOK("github")
	for range 29 {
		a.clock.Advance(day)
		if body, _ := a.sessionJSON(); body == "null" {
			t.Fatalf("the session ended at %s", a.clock.Now())
		}
	}
	body, _ := a.sessionJSON()
	if got := expiresOf(t, body); got != iso(end) {
		t.Errorf("day 29: expires %s, want %s (30 days after sign-in)", got, iso(end))
	}
	a.clock.Advance(day + time.Minute)
	if body, _ := a.sessionJSON(); body != "null" {
		t.Errorf("past 30 days: %s, want null", body)
	}
}

// instance is a second instance of an app: another server.Auth on the same
// configuration (keys, store, clock), reached with a browser's cookies.
type instance struct {
	t    *testing.T
	auth *server.Auth
}

func (a *app) secondInstance() *instance {
	a.t.Helper()
	b, err := server.New(a.cfg)
	if err != nil {
		a.t.Fatalf("server.New: %v", err)
	}
	return &instance{t: a.t, auth: b}
}

// serve sends a request with the browser's cookies to the instance.
func (i *instance) serve(b *app, method, path string, form url.Values) *httptest.ResponseRecorder {
	i.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, b.origin+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	u, _ := url.Parse(b.origin)
	for _, c := range b.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	i.auth.ServeHTTP(rec, req)
	return rec
}

// session returns GET /session on the instance for the browser's cookies.
func (i *instance) session(b *app) string {
	i.t.Helper()
	rec := i.serve(b, http.MethodGet, "/api/auth/session", nil)
	if rec.Code != http.StatusOK {
		i.t.Fatalf("GET /session on the second instance: %d %s", rec.Code, rec.Body)
	}
	return strings.TrimSpace(rec.Body.String())
}

// withToken returns a browser whose session cookie holds token (a copy
// kept from before a sign-out).
func (a *app) withToken(token string) *app {
	b := a.freshBrowser()
	b.setJarCookie(b.cookieName("session-token"), token)
	return b
}

// TestSignOutEverywhere: POST /signout with everywhere=true on one
// instance ends every session of the user — in other browsers, on another
// instance — and no other user's: database sessions at once, JWT sessions
// with revocation within RevocationDelay. Without revocation a JWT cannot
// be ended: only this browser's cookie goes, and the runtime call says so.
func TestSignOutEverywhere(t *testing.T) {
	for _, s := range lifecycleStrategies {
		t.Run(s.name, func(t *testing.T) {
			a, st := newStoreApp(t, s.strategy, s.opts...)
			b := a.secondInstance()
			laptop := a.freshBrowser()
			phone := a.freshBrowser()
			laptop.signInOK("github")
			phone.signInOK("github")
			other := a.freshBrowser()
			other.useAccount(7, "Other User", "other@example.com")
			other.signInOK("github")
			a.useAccount(583231, "Monalisa Octocat", "mona@example.com")
			// An instance that refuses a session deletes its cookie, so the
			// second instance is asked with copies of the tokens.
			laptopToken, phoneToken, otherToken := laptop.jarCookie("session-token"), phone.jarCookie("session-token"), other.jarCookie("session-token")
			if b.session(a.withToken(phoneToken)) == "null" || b.session(a.withToken(otherToken)) == "null" {
				t.Fatal("the second instance does not see the sessions")
			}

			resp := laptop.postForm("/api/auth/signout", url.Values{"csrfToken": {laptop.csrfToken()}, "everywhere": {"true"}})
			if resp.StatusCode != http.StatusFound || !laptop.sessionDeleted(resp) {
				t.Fatalf("POST /signout everywhere=true: %s, cookie deleted %v", resp.Status, laptop.sessionDeleted(resp))
			}
			if s.strategy == server.StrategyJWT && len(s.opts) == 0 {
				// Nothing to end: the other browser's JWT lives on.
				if body, _ := phone.sessionJSON(); body == "null" {
					t.Error("without revocation, the other browser's JWT ended")
				}
				if err := a.auth.SignOutEverywhere(context.Background(), "github:583231"); !errors.Is(err, server.ErrSessionsNotRecorded) {
					t.Errorf("SignOutEverywhere without revocation: %v, want ErrSessionsNotRecorded", err)
				}
				if !strings.Contains(a.logs.String(), "sign-out everywhere ends only this browser's session") {
					t.Error("no warning that sign-out everywhere ended only this browser's session")
				}
				return
			}
			if s.strategy == server.StrategyJWT {
				// Within the delay the second instance may still accept the
				// session it checked; this instance refuses it at once.
				if body, _ := a.withToken(phoneToken).sessionJSON(); body != "null" {
					t.Errorf("the phone's session on the instance that signed out everywhere: %s, want null", body)
				}
				if body, _ := laptop.withToken(laptopToken).sessionJSON(); body != "null" {
					t.Errorf("a copy of the laptop's token on the instance that signed out: %s, want null", body)
				}
				a.clock.Advance(server.RevocationDelay + time.Second)
			}
			if got := b.session(a.withToken(phoneToken)); got != "null" {
				t.Errorf("the phone's session on the second instance after sign-out everywhere: %s, want null", got)
			}
			if got := b.session(a.withToken(laptopToken)); got != "null" {
				t.Errorf("a copy of the laptop's token on the second instance: %s, want null", got)
			}
			if got := b.session(a.withToken(otherToken)); got == "null" {
				t.Error("another user's session ended too")
			}
			if n := st.count("DeleteUserSessions"); n != 1 {
				t.Errorf("DeleteUserSessions called %d times, want once", n)
			}

			// The runtime call, for an administrator's tool.
			phone.signInOK("github")
			otherID := other.protectedID()
			if err := b.auth.SignOutEverywhere(context.Background(), otherID); err != nil {
				t.Fatalf("SignOutEverywhere: %v", err)
			}
			if s.strategy == server.StrategyJWT {
				a.clock.Advance(server.RevocationDelay + time.Second)
			}
			if body, _ := other.sessionJSON(); body != "null" {
				t.Errorf("after SignOutEverywhere of the other user: %s, want null", body)
			}
			if body, _ := phone.sessionJSON(); body == "null" {
				t.Error("SignOutEverywhere of the other user ended this user's new session")
			}
			if err := b.auth.SignOutEverywhere(context.Background(), "nobody"); err != nil {
				t.Errorf("SignOutEverywhere of a user without sessions: %v", err)
			}
		})
	}
}

// sessionsJSON is GET /sessions.
type sessionsJSON struct {
	Sessions []struct {
		ID        string  `json:"id"`
		Provider  string  `json:"provider"`
		CreatedAt *string `json:"createdAt"`
		RenewedAt string  `json:"renewedAt"`
		Expires   string  `json:"expires"`
		UserAgent string  `json:"userAgent"`
		IP        string  `json:"ip"`
		Current   bool    `json:"current"`
	} `json:"sessions"`
}

// listSessions returns GET /sessions, failing on any status but 200.
func (a *app) listSessions() (sessionsJSON, string) {
	a.t.Helper()
	resp := a.get("/api/auth/sessions")
	body := readBody(a.t, resp)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET /sessions: %s %s", resp.Status, body)
	}
	var v sessionsJSON
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		a.t.Fatalf("GET /sessions: %v: %s", err, body)
	}
	return v, body
}

// withUserAgent makes the browser send ua as its User-Agent.
func (a *app) withUserAgent(ua string) *app {
	b := a.freshBrowser()
	rt := userAgentTransport{ua: ua, next: b.noFollow.Transport}
	b.follow.Transport, b.noFollow.Transport = rt, rt
	return b
}

type userAgentTransport struct {
	ua   string
	next http.RoundTripper
}

func (u userAgentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", u.ua)
	return u.next.RoundTrip(r)
}

const (
	firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	safari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

// TestListAndRevokeSessions: GET /sessions lists the signed-in user's
// sessions — sign-in time, last renewal, expiry, user agent and address at
// sign-in, which is current — never a token or its hash, and no other
// user's; POST /sessions/revoke ends one of them by its id, refuses
// another user's (404, nothing changes) and a request without the CSRF
// token (403); revoking the current session deletes its cookie.
func TestListAndRevokeSessions(t *testing.T) {
	for _, s := range lifecycleStrategies {
		t.Run(s.name, func(t *testing.T) {
			a, st := newStoreApp(t, s.strategy, s.opts...)
			if s.strategy == server.StrategyJWT && len(s.opts) == 0 {
				a.signInOK("github")
				if resp := a.get("/api/auth/sessions"); resp.StatusCode != http.StatusBadRequest {
					t.Errorf("GET /sessions without session records: %s, want 400 (no such action)", resp.Status)
				}
				if _, err := a.auth.ListSessions(context.Background(), "github:583231"); !errors.Is(err, server.ErrSessionsNotRecorded) {
					t.Errorf("ListSessions without revocation: %v, want ErrSessionsNotRecorded", err)
				}
				if err := a.auth.RevokeSession(context.Background(), "github:583231", "x"); !errors.Is(err, server.ErrSessionsNotRecorded) {
					t.Errorf("RevokeSession without revocation: %v, want ErrSessionsNotRecorded", err)
				}
				return
			}
			if resp := a.get("/api/auth/sessions"); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(readBody(t, resp), `"SessionRequired"`) {
				t.Errorf("GET /sessions signed out: %s, want 401 SessionRequired", resp.Status)
			}
			laptop := a.withUserAgent(firefox)
			laptopToken := laptop.signInOK("github")
			signedIn := a.clock.Now()
			a.clock.Advance(time.Hour)
			phone := a.withUserAgent(safari)
			phoneToken := phone.signInOK("github")
			other := a.freshBrowser()
			other.useAccount(7, "Other User", "other@example.com")
			other.signInOK("github")
			a.useAccount(583231, "Monalisa Octocat", "mona@example.com")

			list, body := laptop.listSessions()
			if len(list.Sessions) != 2 {
				t.Fatalf("the user's sessions: %s, want two", body)
			}
			phoneS, laptopS := list.Sessions[0], list.Sessions[1] // most recent sign-in first
			if phoneS.UserAgent != safari || laptopS.UserAgent != firefox {
				t.Errorf("user agents %q, %q; want %q (newest first), %q", phoneS.UserAgent, laptopS.UserAgent, safari, firefox)
			}
			if laptopS.CreatedAt == nil || *laptopS.CreatedAt != iso(signedIn) || laptopS.RenewedAt != iso(signedIn) || laptopS.Expires != iso(signedIn.Add(30*day)) {
				t.Errorf("the laptop's session: created %v, renewed %s, expires %s; want created and renewed %s, expires 30 days later",
					laptopS.CreatedAt, laptopS.RenewedAt, laptopS.Expires, iso(signedIn))
			}
			if !laptopS.Current || phoneS.Current {
				t.Errorf("current: laptop %v, phone %v; want the laptop's only (it asked)", laptopS.Current, phoneS.Current)
			}
			if laptopS.IP != "127.0.0.1" || laptopS.Provider != "github" {
				t.Errorf("the laptop's session: ip %q provider %q, want 127.0.0.1 and github", laptopS.IP, laptopS.Provider)
			}
			for _, secret := range []string{laptopToken, phoneToken, store.HashToken(laptopToken), store.HashToken(phoneToken)} {
				if strings.Contains(body, secret) {
					t.Errorf("GET /sessions shows a session token or its hash: %s", body)
				}
			}
			for _, l := range list.Sessions {
				if len(l.ID) < 16 || strings.ContainsAny(l.ID, ".+/=") {
					t.Errorf("session id %q is not an opaque URL-safe ID", l.ID)
				}
			}
			otherList, _ := other.listSessions()
			if len(otherList.Sessions) != 1 || otherList.Sessions[0].ID == phoneS.ID || otherList.Sessions[0].ID == laptopS.ID {
				t.Fatalf("the other user's sessions: %+v, want their one", otherList.Sessions)
			}
			runtimeList, err := a.auth.ListSessions(context.Background(), laptop.protectedID())
			if err != nil || len(runtimeList) != 2 || runtimeList[0].ID != phoneS.ID || runtimeList[1].UserAgent != firefox {
				t.Errorf("ListSessions = %+v, %v; want the two sessions GET /sessions shows", runtimeList, err)
			}

			// Without the CSRF token: refused, nothing changes.
			resp := laptop.postForm("/api/auth/sessions/revoke", url.Values{"id": {phoneS.ID}})
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(readBody(t, resp), `"MissingCSRF"`) {
				t.Errorf("POST /sessions/revoke without csrfToken: %s, want 403 MissingCSRF", resp.Status)
			}
			// Another user's session: 404, nothing changes.
			resp = laptop.postForm("/api/auth/sessions/revoke", url.Values{"csrfToken": {laptop.csrfToken()}, "id": {otherList.Sessions[0].ID}})
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(readBody(t, resp), `"SessionNotFound"`) {
				t.Errorf("POST /sessions/revoke of another user's session: %s, want 404 SessionNotFound", resp.Status)
			}
			if err := a.auth.RevokeSession(context.Background(), laptop.protectedID(), otherList.Sessions[0].ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("RevokeSession of another user's session: %v, want store.ErrNotFound", err)
			}
			if body, _ := other.sessionJSON(); body == "null" {
				t.Error("the other user's session ended")
			}
			if body, _ := phone.sessionJSON(); body == "null" {
				t.Error("the phone's session ended before it was revoked")
			}
			if n := st.count("DeleteSession"); n != 0 {
				t.Errorf("DeleteSession called %d times by refused revocations", n)
			}

			// The phone's session, from the laptop.
			resp = laptop.postForm("/api/auth/sessions/revoke", url.Values{"csrfToken": {laptop.csrfToken()}, "id": {phoneS.ID}})
			got := decodeJSON[map[string]any](t, resp)
			if resp.StatusCode != http.StatusOK || got["revoked"] != phoneS.ID || got["current"] != false {
				t.Errorf("POST /sessions/revoke of the phone's session: %s %v", resp.Status, got)
			}
			if body, _ := phone.sessionJSON(); body != "null" {
				t.Errorf("the revoked phone session: %s, want null", body)
			}
			if list, _ := laptop.listSessions(); len(list.Sessions) != 1 || list.Sessions[0].ID != laptopS.ID {
				t.Errorf("after revoking the phone: %+v, want the laptop's session only", list.Sessions)
			}
			// Again: it is gone.
			resp = laptop.postForm("/api/auth/sessions/revoke", url.Values{"csrfToken": {laptop.csrfToken()}, "id": {phoneS.ID}})
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("revoking the phone's session again: %s, want 404", resp.Status)
			}
			// The current session: its cookie goes too.
			resp = laptop.postForm("/api/auth/sessions/revoke", url.Values{"csrfToken": {laptop.csrfToken()}, "id": {laptopS.ID}})
			got = decodeJSON[map[string]any](t, resp)
			if resp.StatusCode != http.StatusOK || got["current"] != true || !laptop.sessionDeleted(resp) {
				t.Errorf("revoking the current session: %s %v, cookie deleted %v", resp.Status, got, laptop.sessionDeleted(resp))
			}
			if body, _ := laptop.withToken(laptopToken).sessionJSON(); body != "null" {
				t.Errorf("a copy of the revoked current session's token: %s, want null", body)
			}
		})
	}
}

// TestListSessionsForwardedFor: with AUTH_TRUST_HOST the address recorded
// at sign-in is X-Forwarded-For's right-most one, which the proxy in front
// appended (the ones before it are the client's to choose); without it,
// the connection's, whatever the header says.
func TestListSessionsForwardedFor(t *testing.T) {
	for _, trust := range []bool{true, false} {
		t.Run(map[bool]string{true: "AUTH_TRUST_HOST", false: "no AUTH_TRUST_HOST"}[trust], func(t *testing.T) {
			a, _ := newStoreApp(t, server.StrategyDatabase, func(c *server.Config) { c.TrustHost = trust })
			proxied := a.freshBrowser()
			rt := headerTransport{name: "X-Forwarded-For", value: "6.6.6.6, 203.0.113.9", next: proxied.noFollow.Transport}
			proxied.follow.Transport, proxied.noFollow.Transport = rt, rt
			proxied.signInOK("github")
			list, body := proxied.listSessions()
			want := "127.0.0.1"
			if trust {
				want = "203.0.113.9"
			}
			if len(list.Sessions) != 1 || list.Sessions[0].IP != want {
				t.Errorf("GET /sessions: %s; want the address %s", body, want)
			}
		})
	}
}

type headerTransport struct {
	name, value string
	next        http.RoundTripper
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return h.next.RoundTrip(r)
}

// TestJWTRevocationAcrossInstances: with revocation, a JWT copied before
// sign-out is refused at once by the instance that signed it out, and by
// another instance within RevocationDelay; until then that instance
// answers from what it read, at most one store read per session per
// RevocationDelay however many requests come.
func TestJWTRevocationAcrossInstances(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyJWT, revocable)
	b := a.secondInstance()
	token := a.signInOK("github")
	if !strings.Contains(token, ".") {
		t.Fatalf("session cookie %q is not a JWT", token)
	}
	// copyOf is a browser with a copy of the token; an instance that
	// refuses it deletes its cookie, so each check takes a new copy.
	copyOf := func() *app { return a.withToken(token) }

	reads := st.count("GetSessionAndUser")
	for range 20 {
		if b.session(copyOf()) == "null" {
			t.Fatal("the second instance refuses the session")
		}
	}
	if n := st.count("GetSessionAndUser") - reads; n != 1 {
		t.Errorf("20 session checks on the second instance read the store %d times, want once", n)
	}
	a.clock.Advance(server.RevocationDelay / 2)
	if resp := a.signOut(); !a.sessionDeleted(resp) {
		t.Fatal("sign-out did not delete the cookie")
	}
	if body, _ := copyOf().sessionJSON(); body != "null" {
		t.Errorf("the copied token on the instance that signed out: %s, want null at once", body)
	}
	// Within the delay the other instance answers from what it read: the
	// documented window.
	reads = st.count("GetSessionAndUser")
	if got := b.session(copyOf()); got == "null" || st.count("GetSessionAndUser") != reads {
		t.Errorf("the second instance within RevocationDelay of its read: %s after %d store reads, want the session from what it read before",
			got, st.count("GetSessionAndUser")-reads)
	}
	a.clock.Advance(server.RevocationDelay/2 + time.Second)
	if got := b.session(copyOf()); got != "null" {
		t.Errorf("the copied token on the second instance %s after its last read: %s, want null", server.RevocationDelay, got)
	}
	if got := b.serve(copyOf(), http.MethodGet, "/api/auth/sessions", nil); got.Code != http.StatusUnauthorized {
		t.Errorf("GET /sessions with the signed-out token on the second instance: %d, want 401", got.Code)
	}

	// While the store fails, a session check that must read it answers
	// 503, not "signed out".
	fresh := a.freshBrowser()
	fresh.signInOK("github")
	st.fail("GetSessionAndUser")
	rec := b.serve(fresh, http.MethodGet, "/api/auth/session", nil)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /session on the second instance while the store fails: %d, want 503", rec.Code)
	}
	st.heal()
	if got := b.session(fresh); got == "null" {
		t.Error("the session after the store recovered: null")
	}
}

// TestJWTWithoutRecordRefused: a JWT issued before revocation was turned
// on has no record (no sid), so nothing could end it: an instance with
// revocation refuses it (its user signs in once more) rather than give it
// a record, which would let a copy kept from before a sign-out everywhere
// outlive it.
func TestJWTWithoutRecordRefused(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyJWT)
	token := a.signInOK("github")
	a.clock.Advance(time.Hour)

	cfg := a.cfg
	revocable(&cfg)
	withRevocation, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := &instance{t: t, auth: withRevocation}
	rec := b.serve(a.withToken(token), http.MethodGet, "/api/auth/session", nil)
	if body := strings.TrimSpace(rec.Body.String()); rec.Code != http.StatusOK || body != "null" {
		t.Errorf("the token from before revocation: %d %s, want null", rec.Code, body)
	}
	if st.count("CreateSession") != 0 || st.count("GetSessionAndUser") != 0 {
		t.Errorf("the token from before revocation reached the store: CreateSession %d, GetSessionAndUser %d", st.count("CreateSession"), st.count("GetSessionAndUser"))
	}
	deleted := false
	for _, c := range rec.Result().Cookies() {
		deleted = deleted || (c.Name == a.cookieName("session-token") && c.MaxAge < 0)
	}
	if !deleted {
		t.Error("the refused token's cookie was not deleted")
	}
	req := httptest.NewRequest(http.MethodGet, a.origin+"/", nil)
	req.AddCookie(&http.Cookie{Name: a.cookieName("session-token"), Value: token})
	if _, err := withRevocation.Session(req); !errors.Is(err, server.ErrNoSession) {
		t.Errorf("Session with the token from before revocation: %v, want ErrNoSession", err)
	}
}

// TestRevocationConfig: revocation needs the stores, and is for JWT
// sessions only.
func TestRevocationConfig(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyJWT)
	for _, c := range []struct {
		name   string
		change func(c *server.Config)
		want   string
	}{
		{"without Sessions", func(c *server.Config) { c.Revocation = true; c.Sessions = nil }, "Revocation needs Users and Sessions"},
		{"without Users", func(c *server.Config) { c.Revocation = true; c.Sessions, c.Users = st, nil }, "Revocation needs Users and Sessions"},
		{"database sessions", func(c *server.Config) {
			c.Revocation, c.Strategy, c.Sessions = true, server.StrategyDatabase, st
		}, "Revocation is for JWT sessions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := a.cfg
			c.change(&cfg)
			if _, err := server.New(cfg); !errors.Is(err, server.ErrConfig) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("server.New: %v, want ErrConfig naming %q", err, c.want)
			}
		})
	}
}

// TestSignOutPageOffersEverywhere: the built-in sign-out page offers to
// sign out on every device when sessions are recorded, and not when it
// could not (JWT sessions without revocation).
func TestSignOutPageOffersEverywhere(t *testing.T) {
	for _, s := range lifecycleStrategies {
		t.Run(s.name, func(t *testing.T) {
			a, _ := newStoreApp(t, s.strategy, s.opts...)
			a.signInOK("github")
			body := readBody(t, a.get("/api/auth/signout"))
			offered := strings.Contains(body, `name="everywhere" value="true"`)
			if want := !(s.strategy == server.StrategyJWT && len(s.opts) == 0); offered != want {
				t.Errorf("the sign-out page offers sign-out everywhere: %v, want %v", offered, want)
			}
		})
	}
}
