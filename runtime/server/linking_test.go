package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
)

// eventLog records every event of server.Events as a line, in order.
type eventLog struct {
	mu       sync.Mutex
	lines    []string
	accounts []server.AccountEvent
	users    []server.UserEvent
	signIns  []server.SignInEvent
}

// events is an appOption that records every event in l.
func (l *eventLog) events() appOption {
	return func(c *server.Config) {
		add := func(line string) {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.lines = append(l.lines, line)
		}
		c.Events = server.Events{
			SignIn: func(ctx context.Context, e server.SignInEvent) {
				if ctx.Err() != nil {
					add("SignIn with a canceled context")
				}
				l.mu.Lock()
				l.signIns = append(l.signIns, e)
				l.mu.Unlock()
				add(fmt.Sprintf("SignIn %s %s new=%v", e.Provider, e.User.Email, e.IsNewUser))
			},
			SignOut: func(_ context.Context, e server.SignOutEvent) {
				add(fmt.Sprintf("SignOut %s everywhere=%v", e.Session.User.Email, e.Everywhere))
			},
			CreateUser: func(_ context.Context, e server.UserEvent) {
				l.mu.Lock()
				l.users = append(l.users, e)
				l.mu.Unlock()
				add("CreateUser " + e.User.Email)
			},
			UpdateUser: func(_ context.Context, e server.UserEvent) { add("UpdateUser " + e.User.Email) },
			LinkAccount: func(_ context.Context, e server.AccountEvent) {
				l.mu.Lock()
				l.accounts = append(l.accounts, e)
				l.mu.Unlock()
				add(fmt.Sprintf("LinkAccount %s/%s to %s profile=%v", e.Account.Provider, e.Account.ProviderAccountID, e.User.Email, e.Profile != nil))
			},
			UnlinkAccount: func(_ context.Context, e server.AccountEvent) {
				l.mu.Lock()
				l.accounts = append(l.accounts, e)
				l.mu.Unlock()
				add(fmt.Sprintf("UnlinkAccount %s/%s from %s", e.Account.Provider, e.Account.ProviderAccountID, e.User.Email))
			},
			Session: func(_ context.Context, e server.SessionEvent) { add("Session " + e.Session.User.Email) },
		}
	}
}

// take returns the lines recorded since the last take.
func (l *eventLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	if out == nil {
		out = []string{}
	}
	return out
}

func (l *eventLog) want(t *testing.T, what string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got := l.take(); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: events\n got %q\nwant %q", what, got, want)
	}
}

// usePublicEmail makes the provider's account give a public address with
// the verified flag /user/emails has for it.
func (a *app) usePublicEmail(id int, email string, verified bool) {
	a.idp.set(func(p *idp) {
		p.user = fmt.Sprintf(`{"id":%d,"login":"user%d","name":"User %d","email":%q,"avatar_url":"https://avatars.example/u/%d"}`, id, id, id, email, id)
		p.emails = fmt.Sprintf(`[{"email":"other%d@example.com","primary":true,"verified":true},{"email":%q,"primary":false,"verified":%v}]`, id, email, verified)
	})
}

// wantNotLinked checks a sign-in in browser b that the linking rules
// refused: the sign-in page with OAuthAccountNotLinked, no session, the
// user's accounts as they were, no event, and why in a's log.
func wantNotLinked(t *testing.T, a, b *app, resp *http.Response, st *faultStore, uid string, ev *eventLog, why string, accounts ...string) {
	t.Helper()
	if got, want := location(t, resp), a.base+"/signin?error=OAuthAccountNotLinked"; got != want {
		t.Errorf("redirected to %q, want %q", got, want)
	}
	checkNoSession(t, b, resp)
	if got := st.accounts(t, uid); !reflect.DeepEqual(got, accounts) {
		t.Errorf("accounts = %v, want %v", got, accounts)
	}
	ev.want(t, "refused link")
	if !strings.Contains(a.logs.String(), why) {
		t.Errorf("the log does not say %q:\n%s", why, a.logs)
	}
}

// TestLinkingRules runs every branch of the linking rules through the API
// on memstore, with the events each fires (and none on a refusal). The
// integration module runs the same branches on SQLite and PostgreSQL
// (internal/integration/linking).
func TestLinkingRules(t *testing.T) {
	t.Run("first sign-in creates the user with the account", func(t *testing.T) {
		var ev eventLog
		a, st := newStoreApp(t, server.StrategyDatabase, ev.events())
		a.signInOK("github")
		ev.want(t, "first sign-in",
			"CreateUser mona@example.com", "LinkAccount github/583231 to mona@example.com profile=true", "SignIn github mona@example.com new=true")
		uid := st.onlyUser(t)
		if len(ev.users) != 1 || ev.users[0].User.ID != uid {
			t.Errorf("CreateUser event %+v, want user %s", ev.users, uid)
		}
		if acc := ev.accounts[0].Account; acc.Provider != "github" || acc.Name != "GitHub" || acc.Type != "oauth" || !acc.LinkedAt.Equal(a.clock.Now()) || ev.accounts[0].User.ID != uid {
			t.Errorf("LinkAccount event %+v", ev.accounts[0])
		}
		// A known account signs in its user, and links nothing.
		a.freshBrowser().signInOK("github")
		ev.want(t, "known account", "SignIn github mona@example.com new=false")
	})
	t.Run("unknown account, same address, no trustEmail: refused", func(t *testing.T) {
		var ev eventLog
		a, st := newStoreApp(t, server.StrategyDatabase, ev.events())
		a.signInOK("github")
		uid := st.onlyUser(t)
		ev.take()
		b := a.freshBrowser()
		resp := b.signIn("gitlab", "/dashboard")
		wantNotLinked(t, a, b, resp, st, uid, &ev, "has no trustEmail", "github/583231")
	})
	for _, verified := range []bool{true, false} {
		t.Run(fmt.Sprintf("unknown account, same address, trustEmail, verified %v", verified), func(t *testing.T) {
			var ev eventLog
			a, st := newStoreApp(t, server.StrategyDatabase, ev.events(), trustEmail("gitlab"))
			a.usePublicEmail(1, "ada@example.com", true)
			a.signInOK("github")
			uid := st.onlyUser(t)
			ev.take()
			b := a.freshBrowser()
			a.usePublicEmail(2, "ada@example.com", verified)
			resp := b.signIn("gitlab", "/dashboard")
			if !verified {
				wantNotLinked(t, a, b, resp, st, uid, &ev, "did not report the address verified", "github/1")
				return
			}
			if got := location(t, resp); got != a.origin+"/dashboard" {
				t.Errorf("redirected to %q", got)
			}
			if got := b.protectedID(); got != uid {
				t.Errorf("signed in as %q, want the existing user %q", got, uid)
			}
			if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/1", "gitlab/2"}) {
				t.Errorf("accounts = %v", got)
			}
			ev.want(t, "trusted link", "LinkAccount gitlab/2 to ada@example.com profile=true", "SignIn gitlab ada@example.com new=false")
			if got := st.onlyUser(t); got != uid {
				t.Errorf("user %q created", got)
			}
		})
	}
	t.Run("unknown account, trustEmail, verified, but the user's address unproven: refused", func(t *testing.T) {
		var ev eventLog
		a, st := newStoreApp(t, server.StrategyDatabase, ev.events(), trustEmail("gitlab"))
		a.usePublicEmail(1, "ada@example.com", false)
		a.signInOK("github")
		uid := st.onlyUser(t)
		ev.take()
		b := a.freshBrowser()
		a.usePublicEmail(2, "ada@example.com", true)
		resp := b.signIn("gitlab", "/dashboard")
		wantNotLinked(t, a, b, resp, st, uid, &ev, "unproven, with a github account", "github/1")
	})
	t.Run("unknown account while signed in: linked, the session replaced", func(t *testing.T) {
		var ev eventLog
		a, st := newStoreApp(t, server.StrategyDatabase, ev.events())
		first := a.signInOK("github")
		uid := st.onlyUser(t)
		ev.take()
		a.clock.Advance(time.Minute)
		a.useAccount(7, "Mona at work", "mona.work@example.com")
		second := a.signInOK("gitlab")
		if got := a.protectedID(); got != uid {
			t.Errorf("signed in as %q, want %q", got, uid)
		}
		if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231", "gitlab/7"}) {
			t.Errorf("accounts = %v", got)
		}
		ev.want(t, "link while signed in", "LinkAccount gitlab/7 to mona@example.com profile=true", "SignIn gitlab mona@example.com new=false")
		if _, ok := st.row(store.HashToken(first)); ok {
			t.Error("the replaced session is still stored")
		}
		if _, ok := st.row(store.HashToken(second)); !ok {
			t.Error("the new session is not stored")
		}
		list := a.accountsJSON(http.StatusOK)
		if len(list) != 2 || list[1]["provider"] != "gitlab" || list[1]["linkedAt"] != iso(a.clock.Now()) {
			t.Errorf("GET /accounts = %v", list)
		}
	})
	t.Run("another user's account while signed in: refused, back to the account page", func(t *testing.T) {
		var ev eventLog
		a, st := newStoreApp(t, server.StrategyDatabase, ev.events())
		bob := a.freshBrowser()
		a.useAccount(1001, "Bob", "bob@example.com")
		bob.signInOK("github")
		a.useAccount(1002, "Alice", "alice@example.com")
		token := a.signInOK("github")
		ev.take()
		a.useAccount(1001, "Bob", "bob@example.com")
		resp := a.signIn("github", "/dashboard")
		if got, want := location(t, resp), a.base+"/account?error=OAuthAccountNotLinked"; got != want {
			t.Errorf("redirected to %q, want %q", got, want)
		}
		if a.jarCookie("session-token") != token {
			t.Error("the session changed")
		}
		ev.want(t, "refused link")
		if ids := st.userIDs(); len(ids) != 2 {
			t.Errorf("%d users", len(ids))
		}
		page := readBody(t, a.get(location(t, resp)))
		if !strings.Contains(page, `data-error="OAuthAccountNotLinked"`) || !strings.Contains(page, "linked to another user") {
			t.Errorf("the account page does not show the error:\n%s", page)
		}
	})
	t.Run("a failed write fires no event", func(t *testing.T) {
		var ev eventLog
		a, st := newStoreApp(t, server.StrategyDatabase, ev.events())
		a.signInOK("github")
		ev.take()
		st.fail("LinkAccount")
		a.useAccount(7, "Mona at work", "mona.work@example.com")
		resp := a.signIn("gitlab", "/dashboard")
		if got, want := location(t, resp), a.base+"/account?error=OAuthCreateAccount"; got != want {
			t.Errorf("redirected to %q, want %q", got, want)
		}
		ev.want(t, "failed link")
		st.heal()
		st.fail("CreateUserAndAccount")
		b := a.freshBrowser()
		a.useAccount(8, "Someone", "someone@example.com")
		if got, want := location(t, b.signIn("gitlab", "/dashboard")), a.base+"/signin?error=OAuthCreateAccount"; got != want {
			t.Errorf("redirected to %q, want %q", got, want)
		}
		ev.want(t, "failed creation")
	})
}

// accountsJSON fetches GET /accounts and returns its accounts, checking
// the status.
func (a *app) accountsJSON(status int) []map[string]any {
	a.t.Helper()
	resp := a.get("/api/auth/accounts")
	if resp.StatusCode != status {
		a.t.Fatalf("GET /accounts: %s %s, want %d", resp.Status, readBody(a.t, resp), status)
	}
	if status != http.StatusOK {
		return nil
	}
	return decodeJSON[struct {
		Accounts []map[string]any `json:"accounts"`
	}](a.t, resp).Accounts
}

// unlink posts to /accounts/unlink.
func (a *app) unlink(provider, id string, header ...string) *http.Response {
	a.t.Helper()
	return a.postForm("/api/auth/accounts/unlink", url.Values{"csrfToken": {a.csrfToken()}, "provider": {provider}, "providerAccountId": {id}}, header...)
}

func wantError(t *testing.T, resp *http.Response, status int, code string) {
	t.Helper()
	body := readBody(t, resp)
	if resp.StatusCode != status || !strings.Contains(body, `"error":"`+code+`"`) {
		t.Errorf("%s %s: %s %s, want %d %s", resp.Request.Method, resp.Request.URL.Path, resp.Status, body, status, code)
	}
}

func TestAccountsAndUnlink(t *testing.T) {
	var ev eventLog
	a, st := newStoreApp(t, server.StrategyDatabase, ev.events())
	linkedAt := a.clock.Now()
	a.signInOK("github")
	uid := st.onlyUser(t)

	// One way to sign in: listed, and not unlinkable.
	want := []map[string]any{{"provider": "github", "name": "GitHub", "type": "oauth", "providerAccountId": "583231", "linkedAt": iso(linkedAt), "canUnlink": false}}
	if got := a.accountsJSON(http.StatusOK); !reflect.DeepEqual(got, want) {
		t.Errorf("GET /accounts = %v, want %v", got, want)
	}
	ev.take()
	wantError(t, a.unlink("github", "583231"), http.StatusConflict, "LastAccount")
	if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231"}) {
		t.Errorf("refused unlink changed the accounts: %v", got)
	}
	ev.want(t, "refused unlink")

	// A second one.
	a.clock.Advance(time.Hour)
	a.useAccount(7, "Mona at work", "mona.work@example.com")
	a.signInOK("gitlab")
	ev.take()
	got := a.accountsJSON(http.StatusOK)
	if len(got) != 2 || got[0]["canUnlink"] != true || got[1]["canUnlink"] != true || got[1]["linkedAt"] != iso(a.clock.Now()) {
		t.Errorf("GET /accounts = %v", got)
	}

	// CSRF: a missing or wrong token, or a cross-site request, changes
	// nothing.
	for name, resp := range map[string]*http.Response{
		"no token":    a.postForm("/api/auth/accounts/unlink", url.Values{"provider": {"gitlab"}, "providerAccountId": {"7"}}),
		"wrong token": a.postForm("/api/auth/accounts/unlink", url.Values{"csrfToken": {"forged"}, "provider": {"gitlab"}, "providerAccountId": {"7"}}),
		"cross-site":  a.unlink("gitlab", "7", "Sec-Fetch-Site", "cross-site"),
	} {
		t.Run(name, func(t *testing.T) { wantError(t, resp, http.StatusForbidden, "MissingCSRF") })
	}
	// Another user's account, or one that does not exist: 404.
	other := a.freshBrowser()
	a.useAccount(99, "Eve", "eve@example.com")
	other.signInOK("github")
	ev.take()
	wantError(t, a.unlink("github", "99"), http.StatusNotFound, "AccountNotFound")
	wantError(t, a.unlink("gitlab", "8"), http.StatusNotFound, "AccountNotFound")
	if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231", "gitlab/7"}) {
		t.Errorf("refused unlinks changed the accounts: %v", got)
	}
	ev.want(t, "refused unlinks")

	// Not signed in: 401.
	wantError(t, a.freshBrowser().unlink("gitlab", "7"), http.StatusUnauthorized, "SessionRequired")
	a.freshBrowser().accountsJSON(http.StatusUnauthorized)

	// Unlinked.
	resp := a.unlink("gitlab", "7")
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || body != `{"unlinked":{"provider":"gitlab","providerAccountId":"7"}}`+"\n" {
		t.Errorf("unlink: %s %s", resp.Status, body)
	}
	if got := st.accounts(t, uid); !reflect.DeepEqual(got, []string{"github/583231"}) {
		t.Errorf("accounts after unlink = %v", got)
	}
	ev.want(t, "unlink", "UnlinkAccount gitlab/7 from mona@example.com")
	if e := ev.accounts[len(ev.accounts)-1]; e.User.ID != uid || e.Account.Name != "GitLab" || e.Profile != nil {
		t.Errorf("UnlinkAccount event %+v", e)
	}
	// The session goes on, and the account signs in nobody now: a new
	// user, in another browser.
	if a.protectedID() != uid {
		t.Error("unlinking ended the session")
	}
	wantError(t, a.unlink("gitlab", "7"), http.StatusNotFound, "AccountNotFound")

	// The runtime calls say the same.
	ctx := context.Background()
	if err := a.auth.UnlinkAccount(ctx, uid, "github", "583231"); !errors.Is(err, server.ErrLastAccount) {
		t.Errorf("UnlinkAccount of the last = %v, want ErrLastAccount", err)
	}
	if err := a.auth.UnlinkAccount(ctx, uid, "gitlab", "7"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UnlinkAccount of an unlinked one = %v, want ErrNotFound", err)
	}
	if list, err := a.auth.LinkedAccounts(ctx, uid); err != nil || len(list) != 1 || list[0].CanUnlink {
		t.Errorf("LinkedAccounts = %+v, %v", list, err)
	}
}

// TestUnlinkFromAPage: a browser's form (Accept: text/html) is sent back
// to the account page, which says what happened.
func TestUnlinkFromAPage(t *testing.T) {
	a, _ := newStoreApp(t, server.StrategyDatabase)
	a.signInOK("github")
	a.useAccount(7, "Mona at work", "mona.work@example.com")
	a.signInOK("gitlab")
	resp := a.unlink("gitlab", "7", "Accept", "text/html")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != a.base+"/account?done=unlinked" {
		t.Fatalf("unlink from a page: %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	page := readBody(t, a.get(resp.Header.Get("Location")))
	if !strings.Contains(page, `data-done="unlinked"`) {
		t.Errorf("the account page does not say the account was unlinked:\n%s", page)
	}
	resp = a.unlink("github", "583231", "Accept", "text/html")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != a.base+"/account?error=LastAccount" {
		t.Fatalf("unlink of the last from a page: %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	if page := readBody(t, a.get(resp.Header.Get("Location"))); !strings.Contains(page, "only way to sign in") {
		t.Errorf("the account page does not say why:\n%s", page)
	}
	// A JSON client gets JSON, whatever it accepts.
	wantError(t, a.unlink("github", "583231", "Accept", "text/html", "X-Auth-Return-Redirect", "1"), http.StatusConflict, "LastAccount")
}

// TestUnlinkRace: when another instance unlinks the user's other way at
// the same moment, the unlink that finds no way left links its account
// again: the user always keeps one.
func TestUnlinkRace(t *testing.T) {
	var ev eventLog
	a, st := newStoreApp(t, server.StrategyDatabase, ev.events())
	a.signInOK("github")
	uid := st.onlyUser(t)
	a.useAccount(7, "Mona at work", "mona.work@example.com")
	a.signInOK("gitlab")
	ev.take()
	before, _ := st.mem.ListAccounts(context.Background(), uid)
	st.onAfter("UnlinkAccount", func(err error) {
		st.onAfter("UnlinkAccount", nil)
		// The other instance, between this unlink and its check.
		if err := st.mem.UnlinkAccount(context.Background(), "github", "583231"); err != nil {
			t.Error(err)
		}
	})
	err := a.auth.UnlinkAccount(context.Background(), uid, "gitlab", "7")
	if !errors.Is(err, server.ErrLastAccount) {
		t.Fatalf("UnlinkAccount = %v, want ErrLastAccount", err)
	}
	after, _ := st.mem.ListAccounts(context.Background(), uid)
	if len(after) != 1 || !reflect.DeepEqual(openAccounts(t, a.keys, after...)[0], openAccounts(t, a.keys, before[1])[0]) {
		t.Errorf("accounts after the race = %+v, want the GitLab account as it was (%+v)", after, before[1])
	}
	ev.want(t, "race")
}

// TestAccountOfARemovedProvider: an account of a provider the server no
// longer has is no way to sign in: it can always be unlinked, and does not
// count for the last way.
func TestAccountOfARemovedProvider(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase)
	a.signInOK("github")
	uid := st.onlyUser(t)
	if err := st.mem.LinkAccount(context.Background(), store.Account{UserID: uid, Type: "oauth", Provider: "retired", ProviderAccountID: "1"}); err != nil {
		t.Fatal(err)
	}
	list := a.accountsJSON(http.StatusOK)
	if len(list) != 2 || list[0]["provider"] != "github" || list[0]["canUnlink"] != false || list[1]["name"] != "retired" || list[1]["canUnlink"] != true || list[1]["linkedAt"] != nil {
		t.Errorf("GET /accounts = %v", list)
	}
	wantError(t, a.unlink("github", "583231"), http.StatusConflict, "LastAccount")
	if resp := a.unlink("retired", "1"); resp.StatusCode != http.StatusOK {
		t.Errorf("unlink of the retired provider's account: %s", resp.Status)
	}
}

var scriptRE = regexp.MustCompile(`(?i)<script|\son[a-z]+=`)

func TestAccountPage(t *testing.T) {
	a, st := newStoreApp(t, server.StrategyDatabase, func(c *server.Config) { c.Theme.Brand = "#0f766e" })

	// Not signed in: sent to sign in, and back.
	resp := a.get("/api/auth/account")
	if got, want := location(t, resp), a.base+"/signin?callbackUrl="+url.QueryEscape(a.base+"/account"); got != want {
		t.Errorf("GET /account signed out: %q, want %q", got, want)
	}

	a.signInOK("github")
	other := a.freshBrowser()
	other.signInOK("github")
	uid := st.onlyUser(t)
	resp = a.get("/api/auth/account", "Accept", "text/html")
	page := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /account: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self' "+a.origin+" "+a.idp.srv.URL) {
		t.Errorf("CSP %q: want default-src 'none' and form-action naming the app and the provider", csp)
	}
	if resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("the page may be framed")
	}
	if scriptRE.MatchString(page) {
		t.Errorf("the account page has a script:\n%s", page)
	}
	for _, want := range []string{
		"#0f766e", `data-provider="github" data-account="583231"`, "only way to sign in",
		`id="link-gitlab"`, `value="` + a.base + `/account?done=linked"`,
		`data-current="true"`, `id="signout-everywhere"`, `name="everywhere" value="true"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the account page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, `id="link-github"`) {
		t.Error("the account page offers to link GitHub, which is linked")
	}
	if n := strings.Count(page, "data-session="); n != 2 {
		t.Errorf("the account page lists %d sessions, want 2", n)
	}
	if n := strings.Count(page, `name="id"`); n != 1 {
		t.Errorf("the account page offers to end %d sessions, want 1 (the other browser's)", n)
	}

	// Ending the other session from the page's form comes back here.
	sessions, err := a.auth.ListSessions(context.Background(), uid)
	if err != nil || len(sessions) != 2 {
		t.Fatalf("ListSessions = %v, %v", sessions, err)
	}
	otherID := sessions[0].ID
	if otherID == currentSessionID(t, a) {
		otherID = sessions[1].ID
	}
	resp = a.postForm("/api/auth/sessions/revoke", url.Values{"csrfToken": {a.csrfToken()}, "id": {otherID}}, "Accept", "text/html")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != a.base+"/account?done=revoked" {
		t.Fatalf("revoke from the page: %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	if other.protectedID() != "" {
		t.Error("the other session goes on")
	}
	page = readBody(t, a.get(resp.Header.Get("Location")))
	if !strings.Contains(page, `data-done="revoked"`) || strings.Count(page, "data-session=") != 1 {
		t.Errorf("the account page after ending a session:\n%s", page)
	}
	// The JSON endpoint still answers JSON.
	resp = a.postForm("/api/auth/sessions/revoke", url.Values{"csrfToken": {a.csrfToken()}, "id": {otherID}})
	wantError(t, resp, http.StatusNotFound, "SessionNotFound")
}

// currentSessionID is the public ID of the browser's session.
func currentSessionID(t *testing.T, a *app) string {
	t.Helper()
	resp := a.get("/api/auth/sessions")
	v := decodeJSON[struct {
		Sessions []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"sessions"`
	}](t, resp)
	for _, s := range v.Sessions {
		if s.Current {
			return s.ID
		}
	}
	t.Fatal("no current session")
	return ""
}

// TestAccountsWithoutUsers: without a store of users there are no
// accounts to list or unlink, and no account page.
func TestAccountsWithoutUsers(t *testing.T) {
	a := newApp(t)
	a.mustSignIn()
	for _, path := range []string{"/api/auth/accounts", "/api/auth/account"} {
		if resp := a.get(path); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %s, want 400 (no such action)", path, resp.Status)
		}
	}
	if _, err := a.auth.LinkedAccounts(context.Background(), "github:583231"); !errors.Is(err, server.ErrAccountsNotStored) {
		t.Errorf("LinkedAccounts = %v, want ErrAccountsNotStored", err)
	}
	if err := a.auth.UnlinkAccount(context.Background(), "github:583231", "github", "583231"); !errors.Is(err, server.ErrAccountsNotStored) {
		t.Errorf("UnlinkAccount = %v, want ErrAccountsNotStored", err)
	}
}

// TestEventsOfSessionsAndSignOut: Session fires when {basePath}/session
// answers a session, SignOut when the user signs out.
func TestEventsOfSessionsAndSignOut(t *testing.T) {
	var ev eventLog
	a, _ := newStoreApp(t, server.StrategyDatabase, ev.events())
	a.sessionJSON()
	ev.want(t, "no session")
	a.signInOK("github")
	ev.take()
	a.sessionJSON()
	ev.want(t, "GET /session", "Session mona@example.com")
	a.protectedID()
	ev.want(t, "the middleware")
	a.signOut()
	ev.want(t, "sign-out", "SignOut mona@example.com everywhere=false")
}
