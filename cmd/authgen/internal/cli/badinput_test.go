package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
)

// TestBadInput: every mistake in a command line — a malformed module path,
// an unknown value of an enumerated flag, choices that do not go together,
// an unknown flag, command or provider — gets an error that names the flag
// as typed and the nearest valid value or the fix, exits 2 (cli.ExitUsage)
// and writes nothing: the directory's files are byte for byte as before.
func TestBadInput(t *testing.T) {
	t.Setenv("AUTH_URL", "")
	// init, in an empty directory (named app).
	initCases := []struct {
		name string
		args []string
		want []string
	}{
		{"module with a leading dash", []string{"--module", "-x", "--yes"}, []string{`--module "-x" is not a valid module path`, "leading dash", "example.com/myapp"}},
		{"module with a trailing slash", []string{"--module", "github.com/x/y/", "--yes"}, []string{`--module "github.com/x/y/"`, "trailing slash"}},
		{"module without a dot", []string{"--module", "myapp", "--yes"}, []string{`--module "myapp"`, "missing dot"}},
		{"module with a space", []string{"--module", "example.com/my app", "--yes"}, []string{`--module "example.com/my app"`, "invalid char"}},
		{"misspelled provider", []string{"--providers", "gihub", "--yes"}, []string{`--providers "gihub": unknown provider`, "did you mean github?", "authgen providers"}},
		{"provider by name", []string{"--providers", "github,Gogle", "--yes"}, []string{`--providers "Gogle"`, "did you mean google?"}},
		{"unknown provider", []string{"--providers", "qqqqqqqq", "--yes"}, []string{`--providers "qqqqqqqq": unknown provider`, "authgen providers"}},
		{"provider twice", []string{"--providers", "github,github", "--yes"}, []string{"--providers names github twice"}},
		{"no provider", []string{"--providers", "", "--yes"}, []string{"--providers is empty"}},
		{"unknown database", []string{"--db", "oracle", "--yes"}, []string{`--db "oracle" is not a choice`, "sqlite, postgres, mysql, mongodb or none"}},
		{"misspelled database", []string{"--db", "postgress", "--yes"}, []string{`--db "postgress"`, "did you mean postgres?"}},
		{"misspelled session", []string{"--session", "jwtt", "--yes"}, []string{`--session "jwtt"`, "did you mean jwt?"}},
		{"misspelled token", []string{"--token", "signd", "--yes"}, []string{`--token "signd"`, "did you mean signed?"}},
		{"misspelled session store", []string{"--session-store", "reddis", "--yes"}, []string{`--session-store "reddis"`, "did you mean redis?"}},
		{"every problem at once", []string{"--db", "oracle", "--session", "cookie", "--token", "plain"}, []string{"3 flags are wrong:\n", `  --db "oracle"`, `  --session "cookie"`, `  --token "plain"`}},
		{"database sessions without a database", []string{"--db", "none", "--session", "database", "--yes"}, []string{"--session database needs a database", "--session jwt"}},
		{"redis with JWT sessions", []string{"--session", "jwt", "--session-store", "redis", "--yes"}, []string{"--session-store redis", "--session database"}},
		{"issuer without a provider that takes one", []string{"--issuer", "https://idp.example.com", "--yes"}, []string{"--issuer", "none of the providers (github, email) takes an issuer"}},
		{"email without a database", []string{"--providers", "github,email", "--db", "none", "--yes"}, []string{"--providers email needs a database, which keeps the users and the sign-in tokens (as in Auth.js), and --db is none"}},
		{"issuer for two providers", []string{"--providers", "oidc,keycloak", "--issuer", "https://idp.example.com", "--yes"}, []string{"--issuer", "oidc and keycloak each take an issuer"}},
		{"issuer over http", []string{"--providers", "oidc", "--issuer", "http://idp.example.com", "--yes"}, []string{`--issuer "http://idp.example.com"`, "https"}},
		{"relative issuer", []string{"--providers", "oidc", "--issuer", "idp.example.com", "--yes"}, []string{`--issuer "idp.example.com"`, "absolute URL"}},
		{"runtime replace that is no checkout", []string{"--module", "example.com/app", "--yes", "--runtime-replace", "/"}, []string{`--runtime-replace "/"`, "not a checkout of github.com/authgen/authgen"}},
		{"misspelled flag", []string{"--modul", "example.com/app"}, []string{"unknown flag: --modul", "did you mean --module?"}},
		{"two directories", []string{"a", "b", "--yes"}, []string{"accepts at most 1 arg"}},
		{"no terminal, no flags", nil, []string{"missing --module, --providers, --db, --session, --token", "--yes"}},
		{"no terminal, some flags", []string{"--module", "example.com/app", "--db", "sqlite", "--session", "database"}, []string{"missing --providers: run in a terminal"}},
	}
	for _, tt := range initCases {
		t.Run("init/"+tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "app")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"init", "--skip-tidy", "--skip-migrate"}, tt.args...)
			mustRefuse(t, dir, args, tt.want)
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a refused init wrote %d files", len(entries))
			}
			// Nothing was written, so the directory initializes as new.
			if code, _, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--yes", "--skip-tidy", "--skip-migrate"); code != 0 {
				t.Fatalf("init after the refusal: %d %s", code, errOut)
			}
		})
	}

	t.Run("init/directory name that makes no module path", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "My App")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		mustRefuse(t, dir, []string{"init", "--yes", "--skip-tidy", "--skip-migrate"}, []string{"no --module", `"example.com/My App" is not a valid module path`, "pass --module"})
	})
	t.Run("init/module other than go.mod's", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/existing\n\ngo 1.26\n"), 0o644)
		before := snapshot(t, dir)
		mustRefuse(t, dir, []string{"init", "--module", "example.com/other", "--yes", "--skip-tidy"}, []string{"--module example.com/other", "declares module example.com/existing"})
		sameTree(t, before, snapshot(t, dir))
	})

	// The other commands, in a project.
	dir := jwtProject(t)
	projectCases := []struct {
		name string
		args []string
		want []string
	}{
		{"misspelled command", []string{"genrate"}, []string{`unknown command "genrate"`, "generate"}},
		{"misspelled verb", []string{"keys", "rotat"}, []string{`unknown command "rotat" for "authgen keys"`, "did you mean rotate?"}},
		{"misspelled provider to add", []string{"add", "provider", "gihub"}, []string{`unknown provider "gihub"`, "did you mean github?"}},
		{"issuer of an OAuth 2.0 provider", []string{"add", "provider", "github", "--id", "gh2", "--issuer", "https://idp.example.com"}, []string{"--issuer", "OpenID Connect"}},
		{"misspelled provider to remove", []string{"remove", "provider", "githb"}, []string{`no provider "githb"`, "did you mean github?", "configured: github"}},
		{"negative --keep", []string{"keys", "rotate", "--keep", "-1h"}, []string{"--keep -1h0m0s", "such as 720h0m0s (the session maxAge)", "0s"}},
		{"--keep without a unit", []string{"keys", "rotate", "--keep", "30"}, []string{`invalid argument "30" for "--keep"`}},
		{"argument to generate", []string{"generate", "auth"}, []string{"unknown command"}},
		{"unknown shell", []string{"completion", "tcsh"}, []string{`SHELL "tcsh" is not a choice`, "bash, zsh, fish or powershell"}},
		{"no shell", []string{"completion"}, []string{"completion takes one SHELL"}},
		{"misspelled flag of a verb", []string{"migrate", "--stauts"}, []string{"unknown flag: --stauts", "did you mean --status?"}},
	}
	before := snapshot(t, dir)
	for _, tt := range projectCases {
		t.Run(strings.Join(tt.args[:1], " ")+"/"+tt.name, func(t *testing.T) {
			mustRefuse(t, dir, tt.args, tt.want)
			sameTree(t, before, snapshot(t, dir))
		})
	}
}

// mustRefuse runs authgen in dir and checks that it exits with the usage
// code, printing each of want on stderr.
func mustRefuse(t *testing.T, dir string, args, want []string) {
	t.Helper()
	code, out, errOut := authgen(t, dir, args...)
	if code != cli.ExitUsage {
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, cli.ExitUsage, out, errOut)
	}
	for _, w := range want {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
}

// TestInitYesAlone: --yes needs no other flag in an empty directory; the
// module is example.com/<directory>, as the form offers.
func TestInitYesAlone(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "myapp")
	os.Mkdir(dir, 0o755)
	if code, out, errOut := authgen(t, dir, "init", "--yes", "--skip-tidy", "--skip-migrate"); code != 0 || !strings.Contains(out, "module example.com/myapp") {
		t.Fatalf("init --yes: %d\n%s\n%s", code, out, errOut)
	}
	if got := read(t, filepath.Join(dir, "go.mod")); !strings.HasPrefix(got, "module example.com/myapp\n") {
		t.Errorf("go.mod:\n%s", got)
	}
	// With the directory as an argument.
	if code, _, errOut := authgen(t, parent, "init", "other", "--yes", "--skip-tidy", "--skip-migrate"); code != 0 {
		t.Fatalf("init other --yes: %d %s", code, errOut)
	}
	if got := read(t, filepath.Join(parent, "other", "go.mod")); !strings.HasPrefix(got, "module example.com/other\n") {
		t.Errorf("go.mod:\n%s", got)
	}
}

// TestInitIssuer: --issuer is the issuer of the one chosen OpenID Connect
// provider without a fixed one, written to authgen.yaml.
func TestInitIssuer(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--providers", "github,oidc", "--issuer", "https://idp.example.com/", "--yes", "--skip-tidy", "--skip-migrate")
	if code != 0 {
		t.Fatalf("init: %d %s", code, errOut)
	}
	m := read(t, filepath.Join(dir, "authgen.yaml"))
	if !strings.Contains(m, "- id: github\n") || !strings.Contains(m, "- id: oidc\n    issuer: https://idp.example.com\n") {
		t.Errorf("authgen.yaml:\n%s", m)
	}
	if strings.Index(m, "id: github") > strings.Index(m, "id: oidc") {
		t.Errorf("providers out of order:\n%s", m)
	}
}

// TestTidyFailurePrintedOnce: when go mod tidy fails, its error reaches
// the user once (go's own output), not again inside authgen's error.
func TestTidyFailurePrintedOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.26\n\nrequire example.invalid/nothere v1.0.0\n"), 0o644)
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	code, out, errOut := authgen(t, dir, "init", "--yes", "--skip-migrate", "--db", "none", "--session", "jwt")
	if code != cli.ExitError {
		t.Fatalf("init with a module go cannot find: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := strings.Count(errOut, "example.invalid/nothere"); n != 1 {
		t.Errorf("go's error shown %d times:\n%s", n, errOut)
	}
}
