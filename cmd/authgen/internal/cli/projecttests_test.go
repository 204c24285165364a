package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/internal/gentest"
)

// TestInitProjectTests: the project init writes runs its own tests with
// go test ./..., offline, for each database that needs no server, and
// they still pass after `authgen add provider google` (an OpenID Connect
// provider, whose fake authtest_gen_test.go adds) and `authgen generate`;
// auth_test.go, the user's, is never rewritten.
func TestInitProjectTests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests generated modules")
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"sqlite", []string{"--db", "sqlite", "--session", "database"}},
		{"none", []string{"--db", "none", "--session", "jwt", "--providers", "github"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := initProject(t, append([]string{"--skip-migrate"}, c.args...)...)
			test := filepath.Join(dir, "auth", "auth_test.go")
			scaffold := read(t, test)
			goTest(t, dir, "TestSignIn/github")

			if code, out, errOut := authgen(t, dir, "add", "provider", "google", "--skip-tidy"); code != 0 {
				t.Fatalf("add provider google: %d\n%s\n%s", code, out, errOut)
			}
			if code, out, errOut := authgen(t, dir, "generate"); code != 0 {
				t.Fatalf("generate: %d\n%s\n%s", code, out, errOut)
			}
			if !strings.Contains(read(t, filepath.Join(dir, "auth", "authtest_gen_test.go")), `ID:      "google"`) {
				t.Error("authtest_gen_test.go has no fake for google")
			}
			goTest(t, dir, "TestSignIn/github", "TestSignIn/google")
			if read(t, test) != scaffold {
				t.Error("auth/auth_test.go changed")
			}
		})
	}
}

// goTest runs go test ./... in the project at dir, built against this
// checkout, and fails t unless the scaffold's tests and the subtests named
// passed.
func goTest(t *testing.T, dir string, subtests ...string) {
	t.Helper()
	gentest.WriteGoMod(t, dir, generator.Spec{Module: "example.com/app", Manifest: mustManifest(t, dir)})
	// The tests need no key file (newTestApp makes a key set) and no .env.
	if err := os.Remove(filepath.Join(dir, "authgen.keys.json")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	res, stderr, err := gentest.Test(dir, nil, "-count=1", "./...")
	for _, name := range append([]string{"TestSignIn", "TestRequire", "TestSignOut", "TestForgedCookie"}, subtests...) {
		if r := res.Tests[name]; r == nil || r.Action != "pass" {
			var out string
			if r != nil {
				out = r.Output.String()
			}
			t.Errorf("%s did not pass:\n%s", name, out)
		}
	}
	if err != nil || t.Failed() {
		t.Fatalf("go test ./...: %v\n%s%s", err, stderr, res.Other)
	}
}

// TestGeneratedTestNames: a test of the user's in package auth_test that
// declares a name authtest_gen_test.go declares stops generate, naming the
// file and line; the same name in package auth is another name space and
// no clash.
func TestGeneratedTestNames(t *testing.T) {
	dir := initProject(t, "--skip-migrate")
	mine := filepath.Join(dir, "auth", "mine.go")
	if err := os.WriteFile(mine, []byte("package auth\n\nfunc newTestApp() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := authgen(t, dir, "generate"); code != 0 {
		t.Fatalf("generate with newTestApp in package auth: %d\n%s\n%s", code, out, errOut)
	}
	test := filepath.Join(dir, "auth", "mine_test.go")
	if err := os.WriteFile(test, []byte("package auth_test\n\nvar testFakes = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := authgen(t, dir, "generate")
	if code == 0 || !strings.Contains(errOut, "auth/mine_test.go:3: testFakes is declared here and in auth/authtest_gen_test.go") {
		t.Fatalf("generate with testFakes in package auth_test: %d\n%s", code, errOut)
	}
}

// TestStaleGeneratedTestFile: authtest_gen_test.go is a generated file
// like the _gen.go ones: when the manifest no longer produces it (the
// package renamed), generate removes it; the user's auth_test.go stays.
func TestStaleGeneratedTestFile(t *testing.T) {
	dir := initProject(t, "--skip-migrate")
	yaml := filepath.Join(dir, "authgen.yaml")
	renamed := strings.Replace(read(t, yaml), "package: auth\n", "package: login\n", 1)
	if err := os.WriteFile(yaml, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := authgen(t, dir, "generate")
	if code != 0 || !strings.Contains(out, "removed auth/authtest_gen_test.go\n") || !strings.Contains(out, "created login/authtest_gen_test.go\n") {
		t.Fatalf("generate after renaming the package: %d\n%s\n%s", code, out, errOut)
	}
	if !exists(filepath.Join(dir, "auth", "auth_test.go")) {
		t.Error("generate removed the user's auth/auth_test.go")
	}
}
