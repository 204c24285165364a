// Package linking checks account linking and unlinking against a real
// store, through the auth API as a browser uses it: Auth.js's rules (a
// known account signs its user in; an unknown one is linked to the user
// signed in; an unknown one whose address belongs to a user is refused
// with OAuthAccountNotLinked unless its provider has trustEmail and
// reports the address verified), the list of a user's ways to sign in,
// unlinking one and refusing the last, and the CSRF check of both POSTs.
// runtime/server's tests run the same rules on memstore with a store that
// fails on demand; these run them on SQLite, PostgreSQL, MariaDB and
// MongoDB (the sqlstore and mongostore tests call Run).
package linking

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
)

// Run checks the linking rules on st, which must be migrated. Each check
// uses addresses and accounts of its own, so Run may share a database with
// other tests.
func Run(t *testing.T, st store.Store) {
	t.Run("first sign-in creates the user; a known account signs it in", func(t *testing.T) {
		a := newApp(t, st)
		a.corp.as(a.sub("c"), a.email, true)
		b := a.browser()
		a.signInOK(b, "corp")
		uid := a.userID(b)
		other := a.browser()
		a.signInOK(other, "corp")
		if got := a.userID(other); got != uid {
			t.Errorf("signed in as %s, want %s", got, uid)
		}
		a.wantAccounts(b, "corp")
	})
	t.Run("an unknown account with a user's address: refused without trustEmail", func(t *testing.T) {
		a := newApp(t, st)
		a.corp.as(a.sub("c"), a.email, true)
		owner := a.browser()
		a.signInOK(owner, "corp")
		a.other.as(a.sub("o"), a.email, true)
		b := a.browser()
		a.refused(b, "other", a.base+"/signin?error=OAuthAccountNotLinked")
		a.wantAccounts(owner, "corp")
	})
	t.Run("trustEmail links a verified address to its user", func(t *testing.T) {
		a := newApp(t, st)
		a.other.as(a.sub("o"), a.email, true)
		owner := a.browser()
		a.signInOK(owner, "other")
		uid := a.userID(owner)
		a.corp.as(a.sub("c"), a.email, true)
		b := a.browser()
		a.signInOK(b, "corp")
		if got := a.userID(b); got != uid {
			t.Errorf("signed in as %s, want the address's user %s", got, uid)
		}
		a.wantAccounts(owner, "corp", "other")
	})
	t.Run("trustEmail refuses an address the provider did not verify", func(t *testing.T) {
		a := newApp(t, st)
		a.other.as(a.sub("o"), a.email, true)
		owner := a.browser()
		a.signInOK(owner, "other")
		a.corp.as(a.sub("c"), a.email, false)
		a.refused(a.browser(), "corp", a.base+"/signin?error=OAuthAccountNotLinked")
		a.wantAccounts(owner, "other")
	})
	t.Run("an unknown account while signed in is linked to the signed-in user", func(t *testing.T) {
		a := newApp(t, st)
		a.corp.as(a.sub("c"), a.email, true)
		b := a.browser()
		a.signInOK(b, "corp")
		uid := a.userID(b)
		a.other.as(a.sub("o"), "other."+a.email, true)
		a.signInOK(b, "other")
		if got := a.userID(b); got != uid {
			t.Errorf("signed in as %s after linking, want %s", got, uid)
		}
		a.wantAccounts(b, "corp", "other")
		if _, err := st.GetUserByEmail(t.Context(), "other."+a.email); err == nil {
			t.Error("linking created a user for the linked account's address")
		}
	})
	t.Run("another user's account while signed in: refused, back to the account page", func(t *testing.T) {
		a := newApp(t, st)
		a.other.as(a.sub("o"), "bob."+a.email, true)
		bob := a.browser()
		a.signInOK(bob, "other")
		a.corp.as(a.sub("c"), a.email, true)
		b := a.browser()
		a.signInOK(b, "corp")
		session := b.Cookie("session-token")
		a.refused(b, "other", a.base+"/account?error=OAuthAccountNotLinked")
		if b.Cookie("session-token") != session {
			t.Error("the refused link changed the session")
		}
		a.wantAccounts(b, "corp")
		a.wantAccounts(bob, "other")
	})
	t.Run("unlink one way to sign in, never the last", func(t *testing.T) {
		a := newApp(t, st)
		cid, oid := a.sub("c"), a.sub("o")
		a.corp.as(cid, a.email, true)
		b := a.browser()
		a.signInOK(b, "corp")
		a.other.as(oid, "other."+a.email, true)
		a.signInOK(b, "other")
		a.wantAccounts(b, "corp", "other")

		resp := a.unlink(b, "other", oid, true)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("unlink: %s %s", resp.Status, authtest.Body(t, resp))
		}
		a.wantAccounts(b, "corp")
		if _, err := st.GetUserByAccount(t.Context(), "other", oid); err == nil {
			t.Error("the unlinked account still signs its user in")
		}
		// The unlinked account now signs in a new user of its own.
		a.signInOK(a.browser(), "other")

		resp = a.unlink(b, "corp", cid, true)
		wantError(t, resp, http.StatusConflict, "LastAccount")
		a.wantAccounts(b, "corp")
		resp = a.unlink(b, "other", oid, true)
		wantError(t, resp, http.StatusNotFound, "AccountNotFound")
	})
	t.Run("CSRF: unlinking and linking need the token", func(t *testing.T) {
		a := newApp(t, st)
		cid, oid := a.sub("c"), a.sub("o")
		a.corp.as(cid, a.email, true)
		b := a.browser()
		a.signInOK(b, "corp")
		a.other.as(oid, "other."+a.email, true)
		a.signInOK(b, "other")

		wantError(t, a.unlink(b, "other", oid, false), http.StatusForbidden, "MissingCSRF")
		a.wantAccounts(b, "corp", "other")

		// A sign-in that would link a third account, posted without the
		// token (a cross-site form), goes nowhere near the provider.
		third := a.sub("t")
		a.other.as(third, "third."+a.email, true)
		resp := b.PostForm(b.API("/signin/other"), url.Values{"callbackUrl": {a.origin + "/"}})
		if to := resp.Header.Get("Location"); strings.HasPrefix(to, a.other.URL) {
			t.Errorf("POST /signin/other without a CSRF token went to the provider: %s", to)
		}
		a.wantAccounts(b, "corp", "other")
	})
}

// app is an application on the store with two OpenID Connect providers:
// corp, whose addresses are trusted (trustEmail), and other.
type app struct {
	t            *testing.T
	st           store.Store
	origin, base string
	email        string // an address of this check's own
	corp, other  idp
	logs         *testkit.LogBuffer
}

// idp is a provider whose signed-in account tests choose.
type idp struct{ *authtest.Provider }

// as makes the provider sign in the account sub with the address.
func (p idp) as(sub, email string, verified bool) {
	p.SetClaims(fmt.Sprintf(`{"sub":%q,"email":%q,"email_verified":%v,"name":"User %s"}`, sub, email, verified, sub))
}

func newApp(t *testing.T, st store.Store) *app {
	t.Helper()
	id := rand.Text()[:10]
	a := &app{t: t, st: st, email: strings.ToLower(id) + "@example.com", logs: &testkit.LogBuffer{}}
	a.corp = idp{authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: `{"sub":"none"}`})}
	a.other = idp{authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: `{"sub":"none"}`})}
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	var auth *server.Auth
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/auth/") {
			auth.ServeHTTP(w, r)
			return
		}
		// The application's own pages.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>App</title><p>The application")
	}))
	t.Cleanup(srv.Close)
	a.origin, a.base = srv.URL, srv.URL+"/api/auth"
	origin, _ := url.Parse(a.origin)
	auth, err = server.New(server.Config{
		URL:        origin,
		Keys:       ks,
		Providers:  []*oauth.Provider{provider("corp", a.corp, true), provider("other", a.other, false)},
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: &http.Client{Transport: multiTransport{a.corp.URL: a.corp.Client().Transport, a.other.URL: a.other.Client().Transport}},
		Users:      st,
		Sessions:   st,
		Strategy:   server.StrategyDatabase,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", a.logs)
		}
	})
	return a
}

// claims is the providers' profile.
type claims struct {
	Sub           string `json:"sub"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Name          string `json:"name"`
}

func provider(id string, p idp, trust bool) *oauth.Provider {
	return &oauth.Provider{
		ID: id, Name: strings.ToUpper(id[:1]) + id[1:], Type: oauth.TypeOIDC, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Issuer: p.Issuer,
		Scopes: []string{"openid", "email"}, Checks: oauth.PKCE | oauth.State | oauth.Nonce, TrustEmail: trust,
		Profile: oauth.Map(func(c *claims) oauth.User {
			return oauth.User{ID: c.Sub, Email: c.Email, EmailVerified: c.EmailVerified, Name: c.Name}
		}, nil),
	}
}

// multiTransport sends each request to the provider serving its origin.
type multiTransport map[string]http.RoundTripper

func (m multiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt, ok := m[req.URL.Scheme+"://"+req.URL.Host]
	if !ok {
		return nil, fmt.Errorf("no provider at %s", req.URL.Host)
	}
	return rt.RoundTrip(req)
}

func (a *app) browser() *authtest.Browser { return authtest.NewBrowser(a.t, a.base) }

// sub returns an account ID of this check's own.
func (a *app) sub(prefix string) string {
	return prefix + "-" + strings.TrimSuffix(a.email, "@example.com")
}

// signInOK signs b in with the provider and checks it landed on the
// callback URL signed in.
func (a *app) signInOK(b *authtest.Browser, provider string) {
	a.t.Helper()
	p := a.corp
	if provider == "other" {
		p = a.other
	}
	resp := b.SignIn(p.Provider, provider, a.origin+"/dashboard")
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != a.origin+"/dashboard" {
		a.t.Fatalf("sign-in with %s: %s to %q", provider, resp.Status, got)
	}
}

// refused signs b in with the provider and checks it was sent to want
// with the session it had, if any.
func (a *app) refused(b *authtest.Browser, provider, want string) {
	a.t.Helper()
	p := a.corp
	if provider == "other" {
		p = a.other
	}
	before := b.Cookie("session-token")
	resp := b.SignIn(p.Provider, provider, a.origin+"/dashboard")
	if got := resp.Header.Get("Location"); got != want {
		a.t.Errorf("sign-in with %s: %s to %q, want %q", provider, resp.Status, got, want)
	}
	if got := b.Cookie("session-token"); got != before {
		a.t.Errorf("the refused sign-in with %s changed the session cookie", provider)
	}
}

// userID returns the ID of the user b is signed in as: the session's
// user, found in the store by the address GET /session gives.
func (a *app) userID(b *authtest.Browser) string {
	a.t.Helper()
	resp := b.Get(b.API("/session"))
	var s struct {
		User struct {
			Email string `json:"email"`
		} `json:"user"`
	}
	body := authtest.Body(a.t, resp)
	if err := json.Unmarshal([]byte(body), &s); err != nil || s.User.Email == "" {
		a.t.Fatalf("GET /session: %s %s, not signed in (%v)", resp.Status, body, err)
	}
	u, err := a.st.GetUserByEmail(a.t.Context(), s.User.Email)
	if err != nil {
		a.t.Fatalf("the session's user %s: %v", s.User.Email, err)
	}
	return u.ID
}

// wantAccounts checks GET /accounts of b's user lists the providers, in
// the order of their IDs, and that the store agrees.
func (a *app) wantAccounts(b *authtest.Browser, providers ...string) {
	a.t.Helper()
	resp := b.Get(b.API("/accounts"))
	var v struct {
		Accounts []struct {
			Provider          string `json:"provider"`
			ProviderAccountID string `json:"providerAccountId"`
			LinkedAt          string `json:"linkedAt"`
		} `json:"accounts"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET /accounts: %s %s (%v)", resp.Status, authtest.Body(a.t, resp), err)
	}
	var got []string
	for _, acc := range v.Accounts {
		got = append(got, acc.Provider)
		if acc.LinkedAt == "" || acc.ProviderAccountID == "" {
			a.t.Errorf("GET /accounts: %+v lacks its account ID or when it was linked", acc)
		}
	}
	if !slices.Equal(got, providers) {
		a.t.Errorf("GET /accounts lists %v, want %v", got, providers)
	}
	stored, err := a.st.ListAccounts(a.t.Context(), a.userID(b))
	if err != nil {
		a.t.Fatal(err)
	}
	var names []string
	for _, acc := range stored {
		names = append(names, acc.Provider)
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(providers))
	if !slices.Equal(names, want) {
		a.t.Errorf("the store holds accounts %v, want %v", names, want)
	}
}

// unlink posts to /accounts/unlink, with a CSRF token or without one.
func (a *app) unlink(b *authtest.Browser, provider, id string, csrf bool) *http.Response {
	form := url.Values{"provider": {provider}, "providerAccountId": {id}}
	if csrf {
		form.Set("csrfToken", b.CSRF())
	}
	req, err := http.NewRequestWithContext(a.t.Context(), http.MethodPost, b.API("/accounts/unlink"), strings.NewReader(form.Encode()))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Auth-Return-Redirect", "1")
	req.Header.Set("Accept", "application/json")
	return b.Do(req)
}

func wantError(t *testing.T, resp *http.Response, status int, code string) {
	t.Helper()
	body := authtest.Body(t, resp)
	if resp.StatusCode != status || !strings.Contains(body, `"error":"`+code+`"`) {
		t.Errorf("%s %s: %s %s, want %d %s", resp.Request.Method, resp.Request.URL.Path, resp.Status, body, status, code)
	}
}
