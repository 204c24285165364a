package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

// roleData is an application's session data, as SessionData in a generated
// project: the JWT callback stores it, DecodeData reads it.
type roleData struct {
	Role string `json:"role"`
}

// roleCount is the same data after the application changed its type.
type roleCount struct {
	Role int `json:"role"`
}

// TestSessionErrors: Session tells "nobody is signed in" (ErrNoSession)
// from a session whose data no longer decodes (ErrSessionData); the
// middlewares and GET /session answer the latter with 500, keep the cookie,
// never renew it, never hand a handler a session, and log it once per
// session. (Store failures: TestStoreFailureReadingSession.)
func TestSessionErrors(t *testing.T) {
	const updateAge = time.Hour
	var changed atomic.Bool // the application's type is roleCount
	a := newApp(t, func(c *server.Config) {
		c.Session = session.Options{UpdateAge: updateAge}
		c.Callbacks.JWT = func(_ context.Context, in *server.JWTInput) error {
			if in.Trigger == server.TriggerSignIn || in.Trigger == server.TriggerSignUp {
				in.Claims.Data = json.RawMessage(`{"role":"admin"}`)
			}
			return nil
		}
		c.DecodeData = func(data json.RawMessage) (any, error) {
			if changed.Load() {
				var d roleCount
				err := json.Unmarshal(data, &d)
				return d, err
			}
			var d roleData
			err := json.Unmarshal(data, &d)
			return d, err
		}
	})
	mux := http.NewServeMux()
	var handled atomic.Int32
	mux.Handle("/", a.auth.WithSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		s, ok := server.FromContext(r.Context())
		fmt.Fprintf(w, "signed in %v as %v", ok, s)
	})))
	withSession := func(req *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec
	}
	name := a.cookieName("session-token")
	request := func(token string, accept string) *http.Request {
		req := a.newRequest(http.MethodGet, "/", nil)
		if token != "" {
			req.AddCookie(&http.Cookie{Name: name, Value: token})
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		return req
	}

	// Nobody signed in.
	if s, err := a.auth.Session(request("", "")); !errors.Is(err, server.ErrNoSession) || s != nil {
		t.Errorf("Session without a cookie = %v, %v; want ErrNoSession", s, err)
	}
	if s, err := a.auth.Session(request("not-a-token", "")); !errors.Is(err, server.ErrNoSession) || s != nil {
		t.Errorf("Session with a forged cookie = %v, %v; want ErrNoSession", s, err)
	}

	// Signed in: the data is decoded into the application's type.
	a.mustSignIn()
	token := a.jarCookie("session-token")
	s, err := a.auth.Session(request(token, ""))
	if err != nil || s.Decoded != (roleData{Role: "admin"}) || s.Provider != "github" {
		t.Fatalf("Session = %+v, %v; want Decoded {admin}, provider github", s, err)
	}

	// The application's type changes: the session is an error, not "signed
	// out", and not a session.
	changed.Store(true)
	s, err = a.auth.Session(request(token, ""))
	if !errors.Is(err, server.ErrSessionData) || errors.Is(err, server.ErrNoSession) || s != nil {
		t.Fatalf("Session with data that does not decode = %+v, %v; want ErrSessionData", s, err)
	}
	a.clock.Advance(updateAge) // due for renewal: it must not be renewed
	for _, c := range []struct {
		name, path, accept string
		status             int
		body               string
	}{
		{"Require, browser", "/protected", "text/html", 500, `href="` + a.base + `/signout">Sign out</a>`},
		{"Require, JSON", "/protected", "application/json", 500, `{"error":"Configuration"}`},
		{"WithSession, browser", "/optional", "text/html", 500, `data-error="Configuration"`},
		{"WithSession, JSON", "/optional", "", 500, `{"error":"Configuration"}`},
		{"GET /session", "/api/auth/session", "", 500, `null`},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := a.get(c.path, "Accept", c.accept)
			body := readBody(t, resp)
			if resp.StatusCode != c.status || !strings.Contains(body, c.body) {
				t.Errorf("%s: %s %q; want %d with %q", c.path, resp.Status, body, c.status, c.body)
			}
			if cs := resp.Header.Values("Set-Cookie"); len(cs) != 0 {
				t.Errorf("%s touched cookies: %v", c.path, cs)
			}
		})
	}
	if rec := withSession(request(token, "")); rec.Code != 500 || handled.Load() != 0 {
		t.Errorf("WithSession: %d %q, handler called %d times; want 500 and no call", rec.Code, rec.Body, handled.Load())
	}
	if got := strings.Count(a.logs.String(), "session data does not decode"); got != 1 {
		t.Errorf("the session was logged %d times over eight requests, want once:\n%s", got, a.logs)
	}

	// Another session with the same problem is logged too.
	b := a.freshBrowser()
	b.mustSignIn()
	if resp := b.get("/protected", "Accept", "application/json"); resp.StatusCode != 500 {
		t.Errorf("the second session: %s", resp.Status)
	}
	if got := strings.Count(a.logs.String(), "session data does not decode"); got != 2 {
		t.Errorf("two sessions logged %d times, want twice", got)
	}

	// Signing out works, and a new sign-in with data of the new type too.
	resp := a.postForm("/api/auth/signout", url.Values{"csrfToken": {a.csrfToken()}})
	if resp.StatusCode != http.StatusFound || !a.sessionDeleted(resp) {
		t.Errorf("sign-out: %s, Set-Cookie %v", resp.Status, resp.Header.Values("Set-Cookie"))
	}
	if rec := withSession(request("", "")); rec.Code != 200 || rec.Body.String() != "signed in false as <nil>" {
		t.Errorf("WithSession without a session: %d %q", rec.Code, rec.Body)
	}
}

// TestDatabaseSessionProvider: a database session records the provider it
// was started with, and a session stored before sessions had one reads with
// an empty provider.
func TestDatabaseSessionProvider(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase)
	gh := a.signInOK("github")
	if row, ok := st.row(store.HashToken(gh)); !ok || row.Provider != "github" {
		t.Errorf("session row = %+v, want provider github", row)
	}
	b := a.freshBrowser()
	b.useAccount(7, "Other", "other@example.com")
	gl := b.signInOK("gitlab")
	if row, ok := st.row(store.HashToken(gl)); !ok || row.Provider != "gitlab" {
		t.Errorf("session row = %+v, want provider gitlab", row)
	}
	for _, c := range []struct {
		browser *app
		want    string
	}{{a, "github"}, {b, "gitlab"}} {
		resp := c.browser.get("/protected", "Accept", "application/json")
		if got := decodeJSON[map[string]string](t, resp)["provider"]; got != c.want {
			t.Errorf("Require: provider %q, want %q", got, c.want)
		}
	}

	// A row of the release before.
	u, err := st.mem.GetUserByEmail(context.Background(), "mona@example.com")
	if err != nil {
		t.Fatal(err)
	}
	uid := u.ID
	old := "a-token-from-before-the-upgrade"
	if err := st.mem.CreateSession(context.Background(), store.Session{ID: store.HashToken(old), UserID: uid, Expires: a.clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	req := a.newRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: a.cookieName("session-token"), Value: old})
	if s, err := a.auth.Session(req); err != nil || s.Provider != "" || s.User.ID != uid {
		t.Errorf("Session of an old row = %+v, %v; want the user, provider \"\"", s, err)
	}
}

// TestDatabaseSessionProviderLogout: signing out of a database session ends
// the session at the provider it began with (RP-initiated logout with that
// account's ID token), not at the first provider of the user's accounts.
func TestDatabaseSessionProviderLogout(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: `{"sub":"u-1815","email":"ada@example.com","email_verified":true,"name":"Ada Lovelace"}`})
	oidc := func(id string) *oauth.Provider {
		return &oauth.Provider{
			ID: id, Name: id, Type: oauth.TypeOIDC, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, Issuer: idp.Issuer,
			Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce, Logout: true,
			Profile: oauth.Map(corpUser, nil),
		}
	}
	// "corp" sorts before "corp2": the user's first account is corp's.
	a := newTokApp(t, tokConfig{idp: idp, provider: func(*authtest.Provider) *oauth.Provider { return oidc("corp") }, extra: []*oauth.Provider{oidc("corp2")}})
	first := newBrowser(t)
	a.mustSignIn(first, "corp")
	a.mustSignIn(first, "corp2") // signed in: links corp2's account to the user

	b := newBrowser(t)
	a.mustSignIn(b, "corp2")
	_, corp2 := a.onlyAccount("corp2") // with the ID token of this sign-in
	_, corp := a.onlyAccount("corp")
	if corp2.IDToken == "" || corp2.IDToken == corp.IDToken {
		t.Fatal("the two accounts need ID tokens of their own")
	}
	resp := b.postForm(a.base+"/signout", url.Values{"csrfToken": {b.csrf(a.base)}})
	target, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || !strings.HasPrefix(target.String(), idp.URL) {
		t.Fatalf("sign-out: %s to %q, want the provider's end_session_endpoint", resp.Status, resp.Header.Get("Location"))
	}
	if got := target.Query().Get("id_token_hint"); got != corp2.IDToken {
		t.Errorf("id_token_hint is %s's ID token, want corp2's (the session's provider)", map[bool]string{true: "corp", false: "another"}[got == corp.IDToken])
	}
}
