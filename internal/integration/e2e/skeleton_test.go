package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/fakeidp"
)

var octocat = fakeidp.GitHubUser{
	ID: 583231, Login: "octocat", Name: "The Octocat",
	Avatar: "https://avatars.githubusercontent.com/u/583231?v=4",
	Emails: []fakeidp.GitHubEmail{
		{Email: "old@example.com", Primary: false, Verified: true},
		{Email: "Octocat@Example.com", Primary: true, Verified: true},
	},
}

// TestSkeletonFlags is the README's path: init with flags, build, start,
// sign in with GitHub, read the session, call a protected route, sign out.
func TestSkeletonFlags(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "myapp")
	out := run(t, filepath.Dir(dir), nil, authgen(t), "init", "myapp", "--module", "example.com/myapp",
		"--providers", "github", "--db", "none", "--session", "jwt", "--yes")
	for _, want := range []string{"created auth/auth_gen.go", "created main.go", "created authgen.keys.json", "running go mod tidy"} {
		if !strings.Contains(out, want) {
			t.Errorf("init output lacks %q:\n%s", want, out)
		}
	}
	checkProject(t, dir)
	// The project's own tests (auth/auth_test.go on authtest_gen_test.go)
	// pass in the module init tidied, offline.
	if out := run(t, dir, nil, "go", "test", "-count=1", "./..."); !strings.Contains(out, "ok  \texample.com/myapp/auth") {
		t.Errorf("go test ./... in the project:\n%s", out)
	}

	gh := fakeidp.NewGitHub(t, octocat)
	bin := build(t, dir)
	a := start(t, bin, dir, gh.Env()...)
	signInOut(t, a, gh, func(id string) bool { return id == "github:583231" })
	scaffoldedServer(t, a)

	// GitHub Enterprise Server: AUTH_GITHUB_BASE_URL instead of endpoint overrides.
	ghe := start(t, bin, dir, "AUTH_GITHUB_ID="+gh.ClientID, "AUTH_GITHUB_SECRET="+gh.ClientSecret, "AUTH_GITHUB_BASE_URL="+gh.URL)
	b := newBrowser(t)
	_, page := b.do("GET", ghe.URL+"/api/auth/signin", nil)
	resp, _ := b.do("POST", ghe.URL+"/api/auth/signin/github", strings.NewReader(url.Values{"csrfToken": {csrfFrom(t, page)}, "callbackUrl": {"/me"}}.Encode()))
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/me" {
		t.Fatalf("GitHub Enterprise sign-in ended at %s (%d)", resp.Request.URL, resp.StatusCode)
	}

	startupErrors(t, bin, dir, gh)
}

// checkProject checks the files init promises.
func checkProject(t *testing.T, dir string) {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, "authgen.keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("keys file mode %v, want 0600", fi.Mode().Perm())
	}
	ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if !bytes.Contains(ignore, []byte("authgen.keys.json\n")) {
		t.Errorf(".gitignore lacks the keys file:\n%s", ignore)
	}
	env, _ := os.ReadFile(filepath.Join(dir, ".env.example"))
	for _, v := range []string{"AUTH_URL=", "AUTH_GITHUB_ID=", "AUTH_GITHUB_SECRET="} {
		if !bytes.Contains(env, []byte(v)) {
			t.Errorf(".env.example lacks %s", v)
		}
	}
	for _, f := range []string{"authgen.yaml", "go.mod", "go.sum", "main.go", "auth/callbacks.go", "auth/profiles.go", "auth/session.go", "auth/auth_test.go", "auth/authtest_gen_test.go"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// Every generated Go file is gofmt-clean (go vet ran in build).
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".go") {
			if out := run(t, dir, nil, "gofmt", "-l", p); out != "" {
				t.Errorf("not gofmt'd: %s", p)
			}
		}
		return err
	})
	// Running generate again changes nothing.
	if out := run(t, dir, nil, authgen(t), "generate", "--check"); strings.Contains(out, "updated") {
		t.Errorf("generate --check after init: %s", out)
	}
}

// signInOut drives a whole session against a running app.
// storedID accepts the ID of a user kept in a database: a UUID.
func storedID(id string) bool { return uuidRE.MatchString(id) }

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func signInOut(t *testing.T, a *app, gh *fakeidp.GitHub, validID func(string) bool) {
	t.Helper()
	b := newBrowser(t)

	resp, body := b.do("GET", a.URL+"/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You are not signed in") {
		t.Fatalf("home page before sign-in: %d\n%s", resp.StatusCode, body)
	}
	// A protected page sends the browser to sign in; an API call gets 401.
	resp, page := b.do("GET", a.URL+"/me", nil)
	if resp.Request.URL.Path != "/api/auth/signin" || resp.Request.URL.Query().Get("callbackUrl") != a.URL+"/me" {
		t.Fatalf("unauthenticated page ended at %s", resp.Request.URL)
	}
	resp, body = b.do("GET", a.URL+"/me", nil, "Accept", "application/json")
	if resp.StatusCode != 401 || strings.TrimSpace(body) != `{"error":"SessionRequired"}` {
		t.Fatalf("unauthenticated API call: %d %s", resp.StatusCode, body)
	}

	// Sign in from the built-in page: the form posts the CSRF token.
	csrf := csrfFrom(t, page)
	resp, body = b.do("POST", a.URL+"/api/auth/signin/github", strings.NewReader(url.Values{"csrfToken": {csrf}, "callbackUrl": {a.URL + "/me"}}.Encode()))
	if resp.StatusCode != 200 || resp.Request.URL.String() != a.URL+"/me" {
		t.Fatalf("sign-in ended at %s (%d): %s", resp.Request.URL, resp.StatusCode, body)
	}
	var me map[string]any
	if err := json.Unmarshal([]byte(body), &me); err != nil {
		t.Fatalf("/me: %v: %s", err, body)
	}
	if id, _ := me["id"].(string); !validID(id) || me["email"] != "octocat@example.com" || me["name"] != "The Octocat" || me["provider"] != "github" {
		t.Errorf("/me = %v", me)
	}

	_, body = b.do("GET", a.URL+"/api/auth/session", nil)
	var sess struct {
		User    map[string]any `json:"user"`
		Expires string         `json:"expires"`
	}
	if err := json.Unmarshal([]byte(body), &sess); err != nil {
		t.Fatalf("session: %v: %s", err, body)
	}
	wantUser := map[string]any{"name": "The Octocat", "email": "octocat@example.com", "image": octocat.Avatar}
	if len(sess.User) != 3 || sess.User["name"] != wantUser["name"] || sess.User["email"] != wantUser["email"] || sess.User["image"] != wantUser["image"] || !strings.HasSuffix(sess.Expires, "Z") {
		t.Errorf("session = %s", body)
	}
	_, body = b.do("GET", a.URL+"/", nil)
	if !strings.Contains(body, "Signed in as <strong>The Octocat</strong>") {
		t.Errorf("home page after sign-in:\n%s", body)
	}

	// Sign-out without the CSRF token changes nothing.
	resp, _ = b.do("POST", a.URL+"/api/auth/signout", strings.NewReader("callbackUrl=/"))
	if !strings.Contains(resp.Request.URL.RawQuery, "error=MissingCSRF") {
		t.Errorf("sign-out without CSRF ended at %s", resp.Request.URL)
	}
	if _, body = b.do("GET", a.URL+"/api/auth/session", nil); strings.TrimSpace(body) == "null" {
		t.Fatal("sign-out without CSRF signed out")
	}
	// With it, the session ends.
	_, page = b.do("GET", a.URL+"/api/auth/signout", nil)
	resp, _ = b.do("POST", a.URL+"/api/auth/signout", strings.NewReader(url.Values{"csrfToken": {csrfFrom(t, page)}, "callbackUrl": {"/"}}.Encode()))
	if resp.Request.URL.String() != a.URL+"/" {
		t.Errorf("sign-out ended at %s", resp.Request.URL)
	}
	if _, body = b.do("GET", a.URL+"/api/auth/session", nil); strings.TrimSpace(body) != "null" {
		t.Errorf("session after sign-out: %s", body)
	}
}

// startupErrors checks that the app refuses to start without keys or
// provider credentials, and says what to do.
func startupErrors(t *testing.T, bin, dir string, gh *fakeidp.GitHub) {
	t.Helper()
	out, err := runErr(dir, []string{"AUTH_GITHUB_ID=", "AUTH_GITHUB_SECRET=", "PORT=" + freePort(t)}, bin)
	if err == nil || !strings.Contains(out, "AUTH_GITHUB_ID, AUTH_GITHUB_SECRET") || !strings.Contains(out, "https://github.com/settings/developers") || !strings.Contains(out, "/api/auth/callback/github") {
		t.Errorf("start without credentials: err=%v\n%s", err, out)
	}

	noKeys := t.TempDir()
	out, err = runErr(noKeys, append(gh.Env(), "PORT="+freePort(t)), bin)
	if err == nil || !strings.Contains(out, "authgen keys rotate") {
		t.Errorf("start without keys: err=%v\n%s", err, out)
	}

	// AUTH_KEYS carries the key set in the environment instead.
	export := strings.TrimSpace(run(t, dir, nil, authgen(t), "keys", "export"))
	a := start(t, bin, noKeys, append(gh.Env(), "AUTH_KEYS="+export)...)
	if resp, _ := newBrowser(t).do("GET", a.URL+"/api/auth/csrf", nil); resp.StatusCode != 200 {
		t.Errorf("app on AUTH_KEYS: %d", resp.StatusCode)
	}
}

// TestSkeletonAccessibleForm answers init's form in huh's accessible mode
// (as a screen-reader user would, one line per answer) in a terminal,
// choosing encrypted tokens, then signs in with the result.
func TestSkeletonAccessibleForm(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "formapp")
	// Module: accept the default; providers: accept (GitHub is preselected);
	// database: 1 = sqlite; sessions: 2 = jwt; token: 2 = encrypted;
	// router: 1 = nethttp.
	answers := []string{"example.com/formapp", "0", "1", "2", "2", "1"}
	out, code := runInTerminal(t, parent, answers, authgen(t), "init", "formapp", "--accessible", "--runtime-replace", repoRoot(t))
	if code != 0 {
		t.Fatalf("init exited %d:\n%s", code, out)
	}
	for _, want := range []string{"Module path", "Sign in with", "Database", "Sessions", "Session token protection", "Router", fmt.Sprintf("is at version %d", migrationVersion(t, "sqlite"))} {
		if !strings.Contains(out, want) {
			t.Errorf("form did not ask %q:\n%s", want, out)
		}
	}
	manifest, _ := os.ReadFile(filepath.Join(dir, "authgen.yaml"))
	if !bytes.Contains(manifest, []byte("database: sqlite")) || !bytes.Contains(manifest, []byte("strategy: jwt")) ||
		!bytes.Contains(manifest, []byte("token: encrypted")) || !bytes.Contains(manifest, []byte("- id: github")) {
		t.Fatalf("manifest from the form:\n%s", manifest)
	}
	gh := fakeidp.NewGitHub(t, octocat)
	a := start(t, build(t, dir), dir, gh.Env()...)
	signInOut(t, a, gh, storedID)
}

// TestInitWithoutTerminal: no TTY and no flags fails, naming the flags.
func TestInitWithoutTerminal(t *testing.T) {
	dir := t.TempDir()
	out, err := runErr(dir, nil, authgen(t), "init", "x")
	if err == nil {
		t.Fatal("init without a terminal or flags succeeded")
	}
	for _, flag := range []string{"--module", "--providers", "--db", "--session", "--token", "--yes"} {
		if !strings.Contains(out, flag) {
			t.Errorf("error does not name %s: %s", flag, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Error("init wrote files before failing")
	}
}
