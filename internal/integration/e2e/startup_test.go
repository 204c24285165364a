package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/fakeidp"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

// bareEnviron is the test's environment without any variable a generated
// application reads (PORT, AUTH_*, DATABASE_URL, REDIS_URL), so that an
// application started with it has only its .env file.
func bareEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "PORT" || name == "DATABASE_URL" || name == "REDIS_URL" || strings.HasPrefix(name, "AUTH_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// TestDotenv: the application reads its whole configuration from .env in
// its working directory (quoted, commented, exported lines), and authgen
// migrate its DATABASE_URL; a variable set in the environment wins over
// the file's; a malformed file stops the app naming the line and never
// showing a value.
func TestDotenv(t *testing.T) {
	dir, bin := initDB(t, "sqlite")
	gh := fakeidp.NewGitHub(t, octocat)
	port := freePort(t)
	url := "http://127.0.0.1:" + port
	dotenv := "# the app's configuration, read at start\n" +
		"PORT=" + port + "\n" +
		"export AUTH_URL=\"" + url + "\"   # where the tests reach it\n" +
		"AUTH_GITHUB_ID='" + gh.ClientID + "'\n" +
		"AUTH_GITHUB_SECRET=" + gh.ClientSecret + "\n" +
		"\n" +
		"AUTH_GITHUB_AUTHORIZATION_URL=" + gh.URL + "/login/oauth/authorize\n" +
		"AUTH_GITHUB_TOKEN_URL=" + gh.URL + "/login/oauth/access_token\n" +
		"AUTH_GITHUB_USERINFO_URL=" + gh.URL + "/user\n" +
		"DATABASE_URL=sqlite:./dotenv.db\n"
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(dotenv), 0o600); err != nil {
		t.Fatal(err)
	}
	// authgen migrate reads DATABASE_URL as the app does.
	if out := run(t, dir, nil, authgen(t), "migrate"); !strings.Contains(out, "sqlite:./dotenv.db is at version") {
		t.Fatalf("authgen migrate with .env:\n%s", out)
	}
	a := launch(t, url, bin, dir, bareEnviron())
	signedIn(t, a)
	a.stop()

	// The environment wins: PORT and AUTH_URL from it, the rest from .env.
	other := freePort(t)
	b := launch(t, "http://127.0.0.1:"+other, bin, dir, append(bareEnviron(), "PORT="+other, "AUTH_URL=http://127.0.0.1:"+other))
	signedIn(t, b)
	b.stop()

	// A malformed line stops the app, naming the file and the line only.
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(dotenv+"AUTH_GITHUB_SECRET2 hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustFail(t, bin, dir, bareEnviron())
	if !strings.Contains(out, ".env:11: expected KEY=value") || strings.Contains(out, "hunter2") || strings.Contains(out, gh.ClientSecret) {
		t.Errorf("malformed .env:\n%s", out)
	}
}

// mustFail runs the app binary in dir with environ and returns its output;
// the app must exit with status 1, before serving, within 30 s.
func mustFail(t *testing.T, bin, dir string, environ []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = dir
	cmd.Env = environ
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || ctx.Err() != nil {
		t.Fatalf("app: %v (want exit status 1)\n%s", err, out)
	}
	if strings.Contains(string(out), "listening") {
		t.Errorf("app said it was listening before failing:\n%s", out)
	}
	return string(out)
}

// TestStartChecks: the app refuses to start, with the fix, on a database
// it cannot use: a DATABASE_URL of another database, a SQLite file in a
// directory that does not exist, a database that is not migrated. Then the
// fixes it names work.
func TestStartChecks(t *testing.T) {
	dir, bin := initDB(t, "sqlite")
	gh := fakeidp.NewGitHub(t, octocat)
	environ := func(extra ...string) []string {
		return append(append(bareEnviron(), gh.Env()...), extra...)
	}
	for _, c := range []struct {
		name, url string
		want      []string
	}{
		{"wrong scheme", "postgres://app:hunter2@127.0.0.1:1/app", []string{
			"DATABASE_URL is a PostgreSQL URL, but this application keeps its data in SQLite (authgen.yaml: database: sqlite)",
			"set DATABASE_URL to a SQLite URL such as sqlite:./authgen.db",
		}},
		{"missing directory", "sqlite:./data/app.db", []string{
			"DATABASE_URL=sqlite:./data/app.db: the directory data (" + filepath.Join(dir, "data") + ", from the working directory) does not exist",
			"mkdir -p data",
		}},
		{"not migrated", "sqlite:./fresh.db", []string{
			"database sqlite:./fresh.db",
			"it is at version 0", "not applied: 00001_authgen.sql",
			"run `authgen migrate`", "AUTH_AUTO_MIGRATE=true",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := mustFail(t, bin, dir, environ("DATABASE_URL="+c.url, "PORT="+freePort(t)))
			for _, want := range c.want {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "hunter2") {
				t.Errorf("output shows the password:\n%s", out)
			}
		})
	}

	// The fixes: authgen migrate, or AUTH_AUTO_MIGRATE=true.
	if out := run(t, dir, []string{"DATABASE_URL=sqlite:./fresh.db"}, authgen(t), "migrate"); !strings.Contains(out, "applied 00001_authgen.sql") {
		t.Fatalf("migrate: %s", out)
	}
	port := freePort(t)
	launch(t, "http://127.0.0.1:"+port, bin, dir, environ("DATABASE_URL=sqlite:./fresh.db", "PORT="+port)).stop()
	port = freePort(t)
	signedIn(t, launch(t, "http://127.0.0.1:"+port, bin, dir, environ("DATABASE_URL=sqlite:./auto.db", "AUTH_AUTO_MIGRATE=true", "PORT="+port, "AUTH_URL=http://127.0.0.1:"+port)))
}

// signedIn signs in to a with the fake GitHub account and checks that the
// protected route knows the stored user.
func signedIn(t *testing.T, a *app) {
	t.Helper()
	b := newBrowser(t)
	if u := signInAs(t, b, a, ""); u.Path != "/me" {
		t.Fatalf("sign-in ended at %s", u)
	}
	if id := whoami(t, b, a); !storedID(id) {
		t.Fatalf("signed in as %q, not a stored user", id)
	}
}

// TestUnreachablePostgres: an app whose PostgreSQL is down at start serves
// anyway, with exactly one warning (not one per request); when PostgreSQL
// comes back, the background check applies the migrations
// (AUTH_AUTO_MIGRATE=true on a database never migrated) and sign-in works.
func TestUnreachablePostgres(t *testing.T) {
	pg := testsvc.PostgreSQL(t)
	dbURL := pg.CreateDB(t, "app")
	dir, bin := initDB(t, "postgres")
	gh := fakeidp.NewGitHub(t, octocat)
	pg.Stop(t)

	a := start(t, bin, dir, append(gh.Env(), "DATABASE_URL="+dbURL, "AUTH_AUTO_MIGRATE=true")...)
	b := newBrowser(t)
	for _, path := range []string{"/", "/api/auth/providers", "/api/auth/csrf", "/api/auth/signin", "/api/auth/session"} {
		if resp, _ := b.do("GET", a.URL+path, nil); resp.StatusCode != 200 {
			t.Errorf("GET %s while the database is down: %d", path, resp.StatusCode)
		}
	}
	log := a.log.String()
	if n := strings.Count(log, "level=WARN"); n != 1 || !strings.Contains(log, "the database does not answer") || strings.Contains(log, "level=ERROR") {
		t.Fatalf("%d warnings while the database is down, want 1:\n%s", n, log)
	}

	pg.Start(t)
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(a.log.String(), "migrations applied, its schema is current") {
		if time.Now().After(deadline) {
			t.Fatalf("the app did not migrate once PostgreSQL was back:\n%s", a.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	signedIn(t, a)
	if n := strings.Count(a.log.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, a.log.String())
	}
}
