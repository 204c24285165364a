package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/fakeidp"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

// mongoIndexes is a throw-away program run in the generated project: it
// lists the indexes of each of the store's collections, one
// "collection index" line each.
const mongoIndexes = `package main

import (
	"context"
	"fmt"
	"os"

	"example.com/app/auth"
)

func main() {
	st, err := auth.OpenStore(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer st.Close()
	for _, c := range []string{"users", "accounts", "sessions", "verification_tokens"} {
		specs, err := st.Database().Collection(auth.TablePrefix + c).Indexes().ListSpecifications(context.Background())
		if err != nil {
			panic(err)
		}
		for _, s := range specs {
			fmt.Println(auth.TablePrefix+c, s.Name)
		}
	}
}
`

// TestMongoApp: a project on MongoDB (FerretDB, without transactions) with
// database sessions. init names the next steps, the app refuses a database
// never migrated, authgen migrate creates the collections and indexes (a
// second run changes nothing), the app starts while the database is down,
// and sessions and users survive a restart.
func TestMongoApp(t *testing.T) {
	m := testsvc.Mongo(t)
	dbURL := m.URL() + "app"
	dir := filepath.Join(t.TempDir(), "app")
	out := run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app",
		"--providers", "github", "--db", "mongodb", "--session", "database", "--token", "signed")
	for _, want := range []string{"export DATABASE_URL=mongodb://", "authgen migrate"} {
		if !strings.Contains(out, want) {
			t.Errorf("init's next steps lack %q:\n%s", want, out)
		}
	}
	bin := build(t, dir)

	// Not migrated yet: the app refuses to start, naming the fix.
	gh := fakeidp.NewGitHub(t, octocat)
	out = mustFail(t, bin, dir, append(append(bareEnviron(), gh.Env()...), "DATABASE_URL="+dbURL, "PORT="+freePort(t)))
	for _, want := range []string{"not migrated", "run `authgen migrate`", "AUTH_AUTO_MIGRATE=true"} {
		if !strings.Contains(out, want) {
			t.Errorf("the app on a database never migrated: output lacks %q:\n%s", want, out)
		}
	}

	env := []string{"DATABASE_URL=" + dbURL}
	// --status lists the store's steps and exits 3 while some are pending.
	out, err := runErr(dir, env, authgen(t), "migrate", "--status")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || !strings.Contains(out, "pending  step 1") || !strings.Contains(out, "at version 0") {
		t.Fatalf("migrate --status before migrating: %v\n%s", err, out)
	}
	for i := range 2 {
		if out := run(t, dir, env, authgen(t), "migrate"); !strings.Contains(out, "the mongodb store is migrated") {
			t.Fatalf("migrate (run %d): %s", i+1, out)
		}
	}
	if out := run(t, dir, env, authgen(t), "migrate", "--status"); strings.Contains(out, "pending") || !strings.Contains(out, "applied  step 2") {
		t.Errorf("migrate --status after migrating:\n%s", out)
	}
	if err := os.MkdirAll(filepath.Join(dir, "_indexes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "_indexes", "main.go"), []byte(mongoIndexes), 0o644); err != nil {
		t.Fatal(err)
	}
	indexes := run(t, dir, nil, "go", "run", "./_indexes", dbURL)
	for _, want := range []string{"auth_users email", "auth_accounts userId", "auth_sessions userId", "auth_sessions expires", "auth_verification_tokens _id_"} {
		if !strings.Contains(indexes, want+"\n") {
			t.Errorf("after migrate, index %q is missing; the indexes are:\n%s", want, indexes)
		}
	}

	down := start(t, bin, dir, append(gh.Env(), "DATABASE_URL=mongodb://127.0.0.1:1/app")...)
	down.stop()

	persistence(t, dir, bin, gh, env...)
}
