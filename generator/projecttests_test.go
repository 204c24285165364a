package generator_test

import (
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

// projectTests are the tests of auth_test.go, the scaffold init writes.
var projectTests = []string{"TestSignIn", "TestRequire", "TestSignOut", "TestForgedCookie"}

// catalogIDs are the ids of the catalog's OAuth, OAuth 1.0a and OpenID
// Connect entries.
func catalogIDs() []string {
	var ids []string
	for _, e := range oauthEntries() {
		ids = append(ids, e.ID)
	}
	return ids
}

// runProjectTests runs go test ./... in the generated module dir and fails
// t unless each of the scaffold's tests passed.
func runProjectTests(t *testing.T, dir string) {
	t.Helper()
	res, stderr, err := gentest.Test(dir, nil, "-count=1", "./...")
	for _, name := range projectTests {
		r := res.Tests[name]
		switch {
		case r == nil:
			t.Errorf("%s did not run", name)
		case r.Action != "pass" && !res.FailedChild(name):
			t.Errorf("%s: %s\n%s", name, r.Action, r.Output.String())
		}
	}
	for _, name := range res.Order {
		if r := res.Tests[name]; strings.Contains(name, "/") && r.Action == "fail" {
			t.Errorf("%s failed:\n%s", name, r.Output.String())
		}
	}
	if err != nil || t.Failed() {
		t.Fatalf("go test ./...: %v\n%s%s", err, stderr, res.Other)
	}
}

// TestProjectTests: a project as init writes it (with auth_test.go) passes
// its own go test ./..., offline, for each database that needs no server
// and each session strategy: the choices below, and every golden case's
// manifest with SQLite or no database (Auth.js sessions, sign-in forms,
// LDAP, another package name, custom pages and a cookie domain, …) and
// two-factor sign-in required (signIn enrols each new user). With
// every catalog entry configured, TestSignIn signs in through each one's
// fake.
func TestProjectTests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests generated modules")
	}
	type projectCase struct {
		name string
		m    *manifest.Manifest
	}
	var cases []projectCase
	for _, c := range []struct {
		name      string
		ch        manifest.Choices
		twoFactor string
	}{
		{"none-jwt", manifest.Choices{Providers: []string{"github"}, Database: manifest.DBNone, Strategy: manifest.StrategyJWT, Token: manifest.TokenEncrypted}, ""},
		{"sqlite-jwt-oidc-first", manifest.Choices{Providers: []string{"google", "github", "credentials"}, Database: manifest.DBSQLite, Strategy: manifest.StrategyJWT, Token: manifest.TokenSigned}, ""},
		{"every-provider", manifest.Choices{Providers: catalogIDs(), Database: manifest.DBSQLite, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned}, ""},
		{"two-factor-required", manifest.Choices{Providers: []string{"github", "google"}, Database: manifest.DBSQLite, Strategy: manifest.StrategyJWT, Token: manifest.TokenSigned}, manifest.TwoFactorRequired},
	} {
		m, err := manifest.New(c.ch)
		if err != nil {
			t.Fatal(err)
		}
		m.TwoFactor = c.twoFactor
		cases = append(cases, projectCase{c.name, m})
	}
	for _, c := range goldenCases(t) {
		if db := c.spec.Manifest.Database; db == manifest.DBSQLite || db == manifest.DBNone {
			cases = append(cases, projectCase{"golden-" + c.name, c.spec.Manifest})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := generator.Spec{Module: "example.com/" + c.name, Manifest: c.m, App: true, Tests: true}
			files, err := generator.Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			gentest.WriteModule(t, dir, spec, files)
			gentest.Go(t, dir, nil, "mod", "tidy")
			gentest.Go(t, dir, nil, "vet", "./...")
			runProjectTests(t, dir)
			if out := gentest.Go(t, dir, nil, "list", "-m", "all"); strings.Contains(out, "github.com/authgen/authgen ") || strings.Contains(out, "cobra") {
				t.Errorf("the project's tests pull the CLI's module into its graph:\n%s", out)
			}
		})
	}
}
