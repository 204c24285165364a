package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/authgen/authgen/internal/integration/fakeidp"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

// initDB makes a project with database sessions on db and builds it.
func initDB(t *testing.T, db string) (dir, bin string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "app")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app",
		"--providers", "github", "--db", db, "--session", "database", "--token", "signed")
	return dir, build(t, dir)
}

// signInAs signs in through the app's API with the fake GitHub account
// login (empty: the default account) and returns where the browser ended.
func signInAs(t *testing.T, b *browser, a *app, login string) *url.URL {
	t.Helper()
	_, page := b.do("GET", a.URL+"/api/auth/signin", nil)
	target := a.URL + "/api/auth/signin/github"
	if login != "" {
		target += "?login=" + url.QueryEscape(login)
	}
	resp, _ := b.do("POST", target, strings.NewReader(url.Values{"csrfToken": {csrfFrom(t, page)}, "callbackUrl": {a.URL + "/me"}}.Encode()))
	return resp.Request.URL
}

// whoami returns the signed-in user's ID from the protected /me route, or
// "" when not signed in.
func whoami(t *testing.T, b *browser, a *app) string {
	t.Helper()
	return me(t, b, a).ID
}

// me returns the protected /me route's answer; its ID is "" when not
// signed in.
func me(t *testing.T, b *browser, a *app) (me struct{ ID, Provider string }) {
	t.Helper()
	resp, body := b.do("GET", a.URL+"/me", nil, "Accept", "application/json")
	if resp.StatusCode != 200 {
		return me
	}
	if err := json.Unmarshal([]byte(body), &me); err != nil {
		t.Fatalf("/me: %v: %s", err, body)
	}
	return me
}

// persistence signs in, restarts the app and checks that the session and
// the user survived, and that signing in again finds the same user.
func persistence(t *testing.T, dir, bin string, gh *fakeidp.GitHub, env ...string) {
	t.Helper()
	env = append(gh.Env(), env...)
	a := start(t, bin, dir, env...)
	b := newBrowser(t)
	if u := signInAs(t, b, a, ""); u.Path != "/me" {
		t.Fatalf("sign-in ended at %s", u)
	}
	signedIn := me(t, b, a)
	id := signedIn.ID
	if !storedID(id) {
		t.Fatalf("user id %q is not a stored user's", id)
	}
	// The database session records its provider.
	if signedIn.Provider != "github" {
		t.Errorf("/me: provider %q, want github", signedIn.Provider)
	}
	a.stop()
	a = startOn(t, a.port(), bin, dir, env...)
	if got := me(t, b, a); got.ID != id || got.Provider != "github" {
		t.Fatalf("after restart: signed in as %+v, want %q with github", got, id)
	}
	other := newBrowser(t)
	signInAs(t, other, a, "")
	if got := whoami(t, other, a); got != id {
		t.Errorf("second sign-in of the same account: user %q, want %q", got, id)
	}
}

func TestSQLiteApp(t *testing.T) {
	dir, bin := initDB(t, "sqlite")
	persistence(t, dir, bin, fakeidp.NewGitHub(t, octocat))
}

func TestMariaDBApp(t *testing.T) {
	m := testsvc.MariaDB(t)
	dbURL := m.CreateDB(t, "app")
	dir, bin := initDB(t, "mysql")
	out := run(t, dir, []string{"DATABASE_URL=" + dbURL}, authgen(t), "migrate")
	if !strings.Contains(out, "applied 00001_authgen.sql") || !strings.Contains(out, "applied 00002_authgen_session_provider.sql") {
		t.Fatalf("migrate: %s", out)
	}
	if out := run(t, dir, []string{"DATABASE_URL=" + dbURL}, authgen(t), "migrate"); !strings.Contains(out, fmt.Sprintf("at version %d", migrationVersion(t, "mysql"))) || strings.Contains(out, "applied") {
		t.Errorf("second migrate: %s", out)
	}
	persistence(t, dir, bin, fakeidp.NewGitHub(t, octocat), "DATABASE_URL="+dbURL)
}

// TestPostgresApp: migrate at start, persistence, two instances sharing
// sessions and sign-outs, and a database outage in the middle of sign-ins.
func TestPostgresApp(t *testing.T) {
	pg := testsvc.PostgreSQL(t)
	dbURL := pg.CreateDB(t, "app")
	dir, bin := initDB(t, "postgres")
	gh := fakeidp.NewGitHub(t, octocat)
	env := append(gh.Env(), "DATABASE_URL="+dbURL, "AUTH_AUTO_MIGRATE=true")

	// Two instances start together and both migrate: the advisory lock
	// serializes them.
	var wg sync.WaitGroup
	apps := make([]*app, 2)
	for i := range apps {
		wg.Go(func() { apps[i] = start(t, bin, dir, env...) })
	}
	wg.Wait()
	if out, err := pg.Exec(context.Background(), "app", "select count(*) from auth_migrations where version_id > 0"); err != nil || strings.TrimSpace(out) != strconv.Itoa(migrationVersion(t, "postgres")) {
		t.Fatalf("migrations recorded: %q %v", out, err)
	}
	persistence(t, dir, bin, gh, "DATABASE_URL="+dbURL)

	// A session made on one instance is valid on the other; signing out on
	// the other ends it on both.
	a, other := apps[0], apps[1]
	b := newBrowser(t)
	signInAs(t, b, a, "")
	id := whoami(t, b, a)
	if got := whoami(t, b, other); got != id || id == "" {
		t.Fatalf("session from instance A on instance B: %q, want %q", got, id)
	}
	_, page := b.do("GET", other.URL+"/api/auth/signout", nil)
	b.do("POST", other.URL+"/api/auth/signout", strings.NewReader(url.Values{"csrfToken": {csrfFrom(t, page)}}.Encode()))
	// The browser dropped its cookie; replay it as an attacker would.
	if got := whoami(t, b, a); got != "" {
		t.Errorf("signed out on B, still signed in on A as %q", got)
	}

	outage(t, pg, a, gh)
}

// outage signs in a run of users while the database goes down and comes
// back: failures are clear, completed sign-ins persist exactly once, and no
// orphan rows remain.
func outage(t *testing.T, pg *testsvc.PG, a *app, gh *fakeidp.GitHub) {
	t.Helper()
	succeeded := map[string]bool{}
	attempt := func(i int) {
		login := fmt.Sprintf("user%d", i)
		gh.AddUser(fakeidp.GitHubUser{ID: int64(1000 + i), Login: login, Name: "User " + login, Email: login + "@example.com"})
		b := newBrowser(t)
		end := signInAs(t, b, a, login)
		if end.Path == "/me" {
			succeeded[login] = true
			return
		}
		t.Logf("%s: sign-in ended at %s", login, end)
		if end.Query().Get("error") == "" {
			t.Errorf("%s: failed sign-in ended at %s without an error code", login, end)
		}
		if strings.Contains(a.log.String(), "panic") {
			t.Fatalf("%s: the app panicked", login)
		}
	}
	for i := range 5 {
		attempt(i)
	}
	pg.Stop(t)
	for i := 5; i < 10; i++ {
		attempt(i)
	}
	// While down, the session check says so instead of signing anyone out.
	resp, body := newBrowser(t).do("GET", a.URL+"/api/auth/session", nil)
	if resp.StatusCode != 200 && resp.StatusCode != 503 {
		t.Errorf("GET /session while the database is down: %d %s", resp.StatusCode, body)
	}
	pg.Start(t)
	for i := 10; i < 15; i++ {
		attempt(i)
	}
	for i := 5; i < 10; i++ {
		if succeeded[fmt.Sprintf("user%d", i)] {
			t.Errorf("user%d signed in while the database was down", i)
		}
	}
	for _, i := range []int{0, 4, 10, 14} {
		if !succeeded[fmt.Sprintf("user%d", i)] {
			t.Errorf("user%d could not sign in with the database up", i)
		}
	}
	q := func(sql string) string {
		out, err := pg.Exec(context.Background(), "app", sql)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(out)
	}
	if got := q("select count(*) from auth_users where email like 'user%'"); got != fmt.Sprint(len(succeeded)) {
		t.Errorf("%s users for %d completed sign-ins", got, len(succeeded))
	}
	if got := q("select count(*) from auth_users u where not exists (select 1 from auth_accounts a where a.user_id = u.id)"); got != "0" {
		t.Errorf("%s users without an account", got)
	}
	if got := q("select count(*) from auth_accounts group by provider, provider_account_id having count(*) > 1"); got != "" {
		t.Errorf("duplicate accounts: %s", got)
	}
}
