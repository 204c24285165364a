package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

var update = flag.Bool("update", false, "rewrite testdata/add/*/after and out.txt (and bring before/ up to date with `authgen generate`)")

// addDir holds the golden cases of the provider verbs.
const addDir = "../../../../testdata/add"

// jwtProject makes a project without a database, as the provider tests
// start from.
func jwtProject(t *testing.T) string {
	t.Helper()
	t.Setenv("AUTH_URL", "")
	return initProject(t, "--skip-migrate", "--db", "none", "--session", "jwt")
}

// fileState is what "unchanged" means for a file: its bytes, mode and
// modification time (a rewrite with the same bytes still changes it).
type fileState struct {
	sum   [32]byte
	mode  fs.FileMode
	mtime time.Time
}

// snapshot records every file under dir.
func snapshot(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fileState{sha256.Sum256(data), fi.Mode(), fi.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree fails the test when files under dir differ from before.
func sameTree(t *testing.T, before, after map[string]fileState) {
	t.Helper()
	for path, b := range before {
		a, ok := after[path]
		switch {
		case !ok:
			t.Errorf("%s was deleted", path)
		case a.sum != b.sum:
			t.Errorf("%s changed", path)
		case a.mode != b.mode || !a.mtime.Equal(b.mtime):
			t.Errorf("%s was rewritten", path)
		}
	}
	for path := range after {
		if _, ok := before[path]; !ok {
			t.Errorf("%s was created", path)
		}
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestAddProviderTwice(t *testing.T) {
	dir := jwtProject(t)
	manifestBefore := read(t, filepath.Join(dir, manifest.File))

	code, out, errOut := authgen(t, dir, "add", "provider", "github", "--id", "github-enterprise", "--base-url", "https://ghe.example.com/", "--skip-tidy")
	if code != 0 {
		t.Fatalf("add: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"updated authgen.yaml\n",
		"created auth/provider_github_enterprise_gen.go\n",
		"updated auth/config_gen.go\n",
		"merged .env.example\n",
		"http://localhost:3000/api/auth/callback/github-enterprise\n",
		"https://ghe.example.com/settings/developers", // GitHub's console, on the instance
		"AUTH_GITHUB_ENTERPRISE_ID ", "AUTH_GITHUB_ENTERPRISE_SECRET ", "AUTH_GITHUB_ENTERPRISE_BASE_URL ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "auth_gen.go") && !strings.Contains(out, "updated auth/auth_gen.go") || strings.Contains(out, "session_gen.go") || strings.Contains(out, "callbacks.go") {
		t.Errorf("output reports files that did not change:\n%s", out)
	}
	// The entry is appended; the rest of the file is as it was.
	wantManifest := manifestBefore + "  - id: github-enterprise\n    kind: github\n    baseUrl: https://ghe.example.com\n"
	if got := read(t, filepath.Join(dir, manifest.File)); got != wantManifest {
		t.Errorf("authgen.yaml:\n%s\nwant:\n%s", got, wantManifest)
	}
	env := read(t, filepath.Join(dir, ".env.example"))
	for _, want := range []string{"\nAUTH_GITHUB_ID=\n", "\nAUTH_GITHUB_ENTERPRISE_ID=\n", "\nAUTH_GITHUB_ENTERPRISE_SECRET=\n", "default https://ghe.example.com.\nAUTH_GITHUB_ENTERPRISE_BASE_URL=\n"} {
		if !strings.Contains(env, want) {
			t.Errorf(".env.example lacks %q:\n%s", want, env)
		}
	}
	gen := read(t, filepath.Join(dir, "auth", "provider_github_enterprise_gen.go"))
	if !strings.Contains(gen, `"github-enterprise"`) || !strings.Contains(gen, `"https://ghe.example.com"`) {
		t.Errorf("provider_github_enterprise_gen.go:\n%s", gen)
	}
	if code, out, _ := authgen(t, dir, "generate", "--check"); code != 0 {
		t.Errorf("generate --check after add: %s", out)
	}

	before := snapshot(t, dir)
	code, out, errOut = authgen(t, dir, "add", "provider", "github", "--id", "github-enterprise", "--base-url", "https://ghe.example.com", "--skip-tidy")
	if code != 0 || !strings.Contains(out, "github-enterprise is already configured") || !strings.Contains(out, "/callback/github-enterprise") {
		t.Fatalf("second add: %d\n%s\n%s", code, out, errOut)
	}
	sameTree(t, before, snapshot(t, dir))

	// The catalog id as --id is the plain provider, already there.
	if code, out, _ := authgen(t, dir, "add", "provider", "github", "--id", "github", "--skip-tidy"); code != 0 || !strings.Contains(out, "already configured") {
		t.Errorf("add github --id github: %d %s", code, out)
	}
	sameTree(t, before, snapshot(t, dir))
}

func TestAddProviderFromSubdirectory(t *testing.T) {
	dir := jwtProject(t)
	t.Setenv("AUTH_URL", "https://app.example.com/")
	code, out, errOut := authgen(t, filepath.Join(dir, "auth"), "add", "provider", "google", "--skip-tidy")
	if code != 0 {
		t.Fatalf("add: %d\n%s\n%s", code, out, errOut)
	}
	if !exists(filepath.Join(dir, "auth", "provider_google_gen.go")) || exists(filepath.Join(dir, "auth", "auth")) {
		t.Error("add from auth/ did not write the module root's auth package")
	}
	if !strings.Contains(out, "https://app.example.com/api/auth/callback/google\n") || !strings.Contains(out, "https://console.cloud.google.com/apis/credentials") {
		t.Errorf("output:\n%s", out)
	}
	if m, err := manifest.Read(filepath.Join(dir, manifest.File)); err != nil || len(m.Providers) != 2 || !reflect.DeepEqual(m.Providers[1], manifest.Provider{ID: "google"}) {
		t.Errorf("manifest: %v %+v", err, m)
	}
}

// TestAddProviderDotenvOrigin: the callback URL to register comes from
// AUTH_URL in the project's .env when the environment has none, as the
// application reads it.
func TestAddProviderDotenvOrigin(t *testing.T) {
	dir := jwtProject(t)
	t.Setenv("AUTH_URL", "")
	os.Unsetenv("AUTH_URL")
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("AUTH_URL=https://dotenv.example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := authgen(t, dir, "add", "provider", "google", "--skip-tidy")
	if code != 0 {
		t.Fatalf("add: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "https://dotenv.example.com/api/auth/callback/google\n") {
		t.Errorf("output does not name .env's AUTH_URL:\n%s", out)
	}
}

func TestAddGenericOIDC(t *testing.T) {
	dir := jwtProject(t)
	code, out, errOut := authgen(t, dir, "add", "provider", "oidc", "--id", "corp", "--issuer", "https://idp.example.com/realms/staff", "--skip-tidy")
	if code != 0 {
		t.Fatalf("add: %d\n%s\n%s", code, out, errOut)
	}
	m, err := manifest.Read(filepath.Join(dir, manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := m.Provider("corp"); !reflect.DeepEqual(p, manifest.Provider{ID: "corp", Kind: "oidc", Issuer: "https://idp.example.com/realms/staff"}) {
		t.Errorf("manifest entry %+v", p)
	}
	env := read(t, filepath.Join(dir, ".env.example"))
	for _, v := range []string{"AUTH_CORP_ID=", "AUTH_CORP_SECRET=", "AUTH_CORP_ISSUER="} {
		if !strings.Contains(env, "\n"+v) || !strings.Contains(out, strings.TrimSuffix(v, "=")+" ") {
			t.Errorf("%s missing from .env.example or the output:\n%s", v, out)
		}
	}
	if !exists(filepath.Join(dir, "auth", "provider_corp_gen.go")) {
		t.Error("no provider_corp_gen.go")
	}
}

// TestProviderErrors: every failure exits non-zero, explains itself and
// changes nothing.
func TestProviderErrors(t *testing.T) {
	dir := jwtProject(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown provider", []string{"add", "provider", "gihub"}, []string{`unknown provider "gihub"`, "did you mean github?", "authgen providers"}},
		{"unknown provider by prefix", []string{"add", "provider", "azure"}, []string{"azure-ad", "azure-devops", "authgen providers"}},
		{"catalog id plus a suffix", []string{"add", "provider", "github-corp"}, []string{"authgen add provider github --id github-corp"}},
		{"nothing like it", []string{"add", "provider", "qqqqqqqq"}, []string{`unknown provider "qqqqqqqq"`, "authgen providers"}},
		{"no name", []string{"add", "provider"}, []string{"one NAME"}},
		{"no verb", []string{"add", "github"}, []string{"`authgen add provider github`"}},
		{"duplicate id", []string{"add", "provider", "google", "--id", "github"}, []string{"--id github is already used", "authgen remove provider github"}},
		{"same id other settings", []string{"add", "provider", "github", "--base-url", "https://ghe.example.com"}, []string{"github is already configured", "--id"}},
		{"id whose Go names collide", []string{"add", "provider", "github", "--id", "git-hub"}, []string{"git-hub", "GitHub", "another --id"}},
		{"bad id", []string{"add", "provider", "google", "--id", "Google_Workspace"}, []string{`--id "Google_Workspace"`}},
		{"issuer over http", []string{"add", "provider", "oidc", "--id", "corp", "--issuer", "http://idp.example.com"}, []string{"--issuer", "https"}},
		{"relative issuer", []string{"add", "provider", "oidc", "--id", "corp", "--issuer", "idp.example.com"}, []string{"--issuer", "absolute URL"}},
		{"issuer with a query", []string{"add", "provider", "oidc", "--id", "corp", "--issuer", "https://idp.example.com/?tenant=x"}, []string{"--issuer", "query"}},
		{"issuer of an OAuth 2.0 provider", []string{"add", "provider", "github", "--id", "gh2", "--issuer", "https://idp.example.com"}, []string{"--issuer", "OpenID Connect"}},
		{"base URL without a self-hosted variant", []string{"add", "provider", "google", "--base-url", "https://google.example.com"}, []string{"--base-url", "no self-hosted variant"}},
		{"base URL over http", []string{"add", "provider", "github", "--id", "ghe", "--base-url", "http://ghe.example.com"}, []string{"--base-url", "https"}},
		{"remove unknown", []string{"remove", "provider", "gitlab"}, []string{`no provider "gitlab"`, "configured: github"}},
		{"remove the last", []string{"remove", "provider", "github"}, []string{"only provider", "nobody can sign in", "--force"}},
		{"remove without an id", []string{"remove", "provider"}, []string{"one ID"}},
		{"unknown flag", []string{"add", "provider", "google", "--tenant", "x"}, []string{"unknown flag"}},
	}
	before := snapshot(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := authgen(t, dir, tt.args...)
			if code == 0 {
				t.Fatalf("exit 0\n%s", out)
			}
			for _, want := range tt.want {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q: %s", want, errOut)
				}
			}
			sameTree(t, before, snapshot(t, dir))
		})
	}

	t.Run("outside a project", func(t *testing.T) {
		empty := t.TempDir()
		os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module example.com/x\n"), 0o644)
		for _, args := range [][]string{{"add", "provider", "github"}, {"remove", "provider", "github"}} {
			if code, _, errOut := authgen(t, empty, args...); code == 0 || !strings.Contains(errOut, "authgen init") {
				t.Errorf("%v: %d %s", args, code, errOut)
			}
		}
	})
}

func TestRemoveProvider(t *testing.T) {
	dir := jwtProject(t)
	manifestBefore := read(t, filepath.Join(dir, manifest.File))
	if code, out, errOut := authgen(t, dir, "add", "provider", "github", "--id", "github-enterprise", "--base-url", "https://ghe.example.com", "--skip-tidy"); code != 0 {
		t.Fatalf("add: %s %s", out, errOut)
	}
	env := read(t, filepath.Join(dir, ".env.example"))
	generated := filepath.Join(dir, "auth", "provider_github_enterprise_gen.go")

	code, out, errOut := authgen(t, dir, "remove", "provider", "github-enterprise")
	if code != 0 {
		t.Fatalf("remove: %d\n%s\n%s", code, out, errOut)
	}
	if exists(generated) {
		t.Error("provider_github_enterprise_gen.go is still there")
	}
	if !strings.Contains(out, "removed auth/provider_github_enterprise_gen.go\n") || !strings.Contains(out, "updated auth/config_gen.go\n") {
		t.Errorf("output:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}
	if got := read(t, filepath.Join(dir, manifest.File)); got != manifestBefore {
		t.Errorf("authgen.yaml after add and remove:\n%s\nwant:\n%s", got, manifestBefore)
	}
	if got := read(t, filepath.Join(dir, ".env.example")); got != env {
		t.Error("remove changed .env.example")
	}
	if code, out, _ := authgen(t, dir, "generate", "--check"); code != 0 {
		t.Errorf("generate --check after remove: %s", out)
	}
}

// TestRemoveProviderWarnsAboutUses: with --force, remove goes ahead over
// uses of the provider's names (TestRemoveProviderInUse has the refusal)
// and warns about each; a name only in a comment is no use.
func TestRemoveProviderWarnsAboutUses(t *testing.T) {
	dir := jwtProject(t)
	if code, _, errOut := authgen(t, dir, "add", "provider", "google", "--skip-tidy"); code != 0 {
		t.Fatal(errOut)
	}
	profiles := filepath.Join(dir, "auth", "profiles.go")
	os.WriteFile(profiles, []byte(read(t, profiles)+"\nfunc hostedDomain(p *GoogleProfile) string { return p.Email }\n"), 0o644)
	code, _, errOut := authgen(t, dir, "remove", "provider", "google", "--force")
	if code != 0 {
		t.Fatal(errOut)
	}
	if !regexp.MustCompile(`warning: auth/profiles\.go:\d+: uses GoogleProfile`).MatchString(errOut) {
		t.Errorf("no warning about profiles.go: %q", errOut)
	}

	// profiles.go mentions *GitHubProfile only in a comment: no warning.
	os.WriteFile(profiles, []byte(strings.Replace(read(t, profiles), "*GoogleProfile", "any", 1)), 0o644)
	authgen(t, dir, "add", "provider", "google", "--skip-tidy")
	if code, _, errOut := authgen(t, dir, "remove", "provider", "github"); code != 0 || strings.Contains(errOut, "warning") {
		t.Errorf("remove github: %d %q", code, errOut)
	}
}

func TestRemoveProviderKeepsUnmarkedFiles(t *testing.T) {
	dir := jwtProject(t)
	authgen(t, dir, "add", "provider", "google", "--skip-tidy")
	path := filepath.Join(dir, "auth", "provider_google_gen.go")
	mine := strings.Replace(read(t, path), "// Code generated by authgen. DO NOT EDIT.\n", "// Mine now.\n", 1)
	os.WriteFile(path, []byte(mine), 0o644)
	code, out, errOut := authgen(t, dir, "remove", "provider", "google")
	if code != 0 || !strings.Contains(out, "kept (no authgen marker) auth/provider_google_gen.go") {
		t.Fatalf("remove: %d\n%s\n%s", code, out, errOut)
	}
	if read(t, path) != mine {
		t.Error("an unmarked file was changed")
	}
}

func TestRemoveLastProviderWithForce(t *testing.T) {
	dir := jwtProject(t)
	code, out, errOut := authgen(t, dir, "remove", "provider", "github", "--force")
	if code != 0 || !strings.Contains(errOut, "nobody can sign in") {
		t.Fatalf("remove --force: %d\n%s\n%s", code, out, errOut)
	}
	if exists(filepath.Join(dir, "auth", "provider_github_gen.go")) {
		t.Error("provider_github_gen.go is still there")
	}
	m, err := manifest.Read(filepath.Join(dir, manifest.File))
	if err != nil || len(m.Providers) != 0 || !strings.Contains(read(t, filepath.Join(dir, manifest.File)), "\nproviders: []\n") {
		t.Fatalf("manifest: %v\n%s", err, read(t, filepath.Join(dir, manifest.File)))
	}
	// And back.
	if code, _, errOut := authgen(t, dir, "add", "provider", "github", "--skip-tidy"); code != 0 {
		t.Fatal(errOut)
	}
	if !strings.HasSuffix(read(t, filepath.Join(dir, manifest.File)), "\nproviders:\n  - id: github\n") {
		t.Errorf("manifest:\n%s", read(t, filepath.Join(dir, manifest.File)))
	}
}

func TestProvidersList(t *testing.T) {
	outside := t.TempDir()
	code, out, errOut := authgen(t, outside, "providers")
	if code != 0 || errOut != "" {
		t.Fatalf("providers: %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(catalog.All())+1 || !regexp.MustCompile(`^  ID +NAME +TYPE +DOCS$`).MatchString(lines[0]) {
		t.Fatalf("%d lines for %d entries; header %q", len(lines), len(catalog.All()), lines[0])
	}
	// Aligned: every row's NAME starts where the header's does.
	col := strings.Index(lines[0], "NAME")
	for _, l := range lines[1:] {
		if strings.Contains(l, "*") || len(l) < col || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("row %q is not aligned or is marked", l)
		}
	}
	if !regexp.MustCompile(`(?m)^  github +GitHub +oauth +https://`).MatchString(out) || !regexp.MustCompile(`(?m)^  google +Google +oidc +https://`).MatchString(out) {
		t.Errorf("rows:\n%s", out)
	}

	// A filter matches ids and names, ignoring case.
	_, out, _ = authgen(t, outside, "providers", "GitHub")
	if !strings.Contains(out, " github ") || strings.Contains(out, " google ") {
		t.Errorf("filter GitHub:\n%s", out)
	}
	_, out, _ = authgen(t, outside, "providers", "entra")
	if !strings.Contains(out, "microsoft-entra-id") {
		t.Errorf("filter entra:\n%s", out)
	}
	if code, _, errOut := authgen(t, outside, "providers", "gihub"); code == 0 || !strings.Contains(errOut, "did you mean github?") {
		t.Errorf("no match: %d %s", code, errOut)
	}

	code, out, _ = authgen(t, outside, "providers", "--json")
	var all []map[string]string
	if err := json.Unmarshal([]byte(out), &all); err != nil || code != 0 || len(all) != len(catalog.All()) {
		t.Fatalf("--json: %d %v %d entries", code, err, len(all))
	}
	for _, e := range all {
		if len(e) != 5 || e["id"] == "" || e["name"] == "" || e["docs"] == "" || (e["type"] != "oauth" && e["type"] != "oidc" && e["type"] != "oauth1" && e["type"] != "email" && e["type"] != "credentials" && e["type"] != "passkey") {
			t.Errorf("entry %v", e)
		}
		if _, ok := e["console"]; !ok {
			t.Errorf("entry %v has no console", e)
		}
	}
	_, out, _ = authgen(t, outside, "providers", "--json", "goo")
	var some []map[string]string
	json.Unmarshal([]byte(out), &some)
	if len(some) != 1 || some[0]["id"] != "google" || some[0]["console"] != "https://console.cloud.google.com/apis/credentials" {
		t.Errorf("--json goo: %s", out)
	}
	if code, out, _ := authgen(t, outside, "providers", "--json", "zzzzzz"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("--json without matches: %d %q", code, out)
	}

	// In a project, configured kinds are marked, from any directory in it.
	dir := jwtProject(t)
	authgen(t, dir, "add", "provider", "oidc", "--id", "corp", "--issuer", "https://idp.example.com", "--skip-tidy")
	_, out, _ = authgen(t, filepath.Join(dir, "auth"), "providers")
	for _, want := range []string{"\n* github ", "\n* oidc ", "\n  google ", "\n* configured in authgen.yaml\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// addCase is a testdata/add/<name> directory: args.txt (authgen command
// lines run in order from the project root), before/ (the project), after/
// (the expected project) and out.txt (the expected output).
type addCase struct{ name, dir string }

func addCases(t *testing.T) []addCase {
	t.Helper()
	base, err := filepath.Abs(addDir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	var out []addCase
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, addCase{e.Name(), filepath.Join(base, e.Name())})
		}
	}
	if len(out) == 0 {
		t.Fatal("no cases in testdata/add")
	}
	return out
}

// commands reads args.txt: one command line a line, # comments.
func commands(t *testing.T, dir string) [][]string {
	t.Helper()
	var out [][]string
	for _, line := range strings.Split(read(t, filepath.Join(dir, "args.txt")), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, strings.Fields(line))
		}
	}
	return out
}

// tree reads every file under dir, keyed by slash path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = read(t, p)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// TestAddGolden runs each case's commands on a copy of before/ and compares
// the tree with after/ and the output with out.txt, byte for byte.
func TestAddGolden(t *testing.T) {
	t.Setenv("AUTH_URL", "")
	for _, c := range addCases(t) {
		t.Run(c.name, func(t *testing.T) {
			before := filepath.Join(c.dir, "before")
			if *update {
				if code, out, errOut := authgen(t, before, "generate"); code != 0 {
					t.Fatalf("generate in before/: %s %s", out, errOut)
				}
			}
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(before)); err != nil {
				t.Fatal(err)
			}
			var transcript strings.Builder
			for _, args := range commands(t, c.dir) {
				t.Chdir(dir)
				var out, errOut bytes.Buffer
				code := cli.Run(context.Background(), args, iostreams.New(strings.NewReader(""), &out, &errOut))
				fmt.Fprintf(&transcript, "$ authgen %s\n%s", strings.Join(args, " "), out.String())
				if errOut.Len() > 0 {
					fmt.Fprintf(&transcript, "[stderr]\n%s", errOut.String())
				}
				if code != 0 {
					fmt.Fprintf(&transcript, "[exit %d]\n", code)
				}
			}
			after := filepath.Join(c.dir, "after")
			if *update {
				if err := os.RemoveAll(after); err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(after, os.DirFS(dir)); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(c.dir, "out.txt"), []byte(transcript.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tree(t, after), tree(t, dir)); diff != "" {
				t.Errorf("project differs from after/ (-want +got):\n%s\nrun: go test ./cmd/authgen/internal/cli -run TestAddGolden -update", diff)
			}
			if diff := cmp.Diff(read(t, filepath.Join(c.dir, "out.txt")), transcript.String()); diff != "" {
				t.Errorf("output differs from out.txt (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAddGoldenBuilds builds and vets every after/ tree with this
// checkout's runtime.
func TestAddGoldenBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go modules")
	}
	for _, c := range addCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(c.dir, "after"))); err != nil {
				t.Fatal(err)
			}
			root := gentest.Root(t)
			gomod := read(t, filepath.Join(dir, "go.mod"))
			for _, m := range []string{"runtime", "runtime/email/smtp", "runtime/ldap"} {
				gomod += "\nreplace github.com/authgen/authgen/" + m + " => " + filepath.Join(root, m) + "\n"
			}
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "go.sum"), gentest.GoSum(t), 0o644); err != nil {
				t.Fatal(err)
			}
			// -mod=mod: go.mod written with --skip-tidy lacks the indirect
			// requirements, which the module cache has.
			for _, args := range [][]string{{"build", "-mod=mod", "./..."}, {"vet", "-mod=mod", "./..."}} {
				gentest.Go(t, dir, nil, args...)
			}
		})
	}
}

// TestAddRequiresModules: when go.mod does not provide what the generated
// code imports, add pins the generator's requirements and runs go mod tidy
// (or, with --skip-tidy, says to).
func TestAddRequiresModules(t *testing.T) {
	dir := initProject(t, "--skip-migrate", "--db", "sqlite", "--session", "database")
	t.Setenv("AUTH_URL", "")
	gomod := filepath.Join(dir, "go.mod")
	edit := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", append([]string{"mod", "edit"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go mod edit: %v\n%s", err, out)
		}
	}
	edit("-droprequire=modernc.org/sqlite")
	code, out, errOut := authgen(t, dir, "add", "provider", "google", "--skip-tidy")
	if code != 0 || !strings.Contains(out, "go.mod does not provide modernc.org/sqlite") || !strings.Contains(out, "run `go mod tidy`") {
		t.Fatalf("add --skip-tidy: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(read(t, gomod), "modernc.org/sqlite v") {
		t.Errorf("the sqlite driver is not required again:\n%s", read(t, gomod))
	}

	if testing.Short() {
		t.Skip("runs go mod tidy")
	}
	edit("-droprequire=github.com/authgen/authgen/runtime")
	t.Setenv("GOPROXY", "off") // the module cache has what the runtime needs
	t.Setenv("GOSUMDB", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	code, out, errOut = authgen(t, dir, "add", "provider", "gitlab")
	if code != 0 && strings.Contains(errOut, "GOPROXY=off") {
		t.Skipf("go mod tidy needs modules that are not in the cache:\n%s", errOut)
	}
	if code != 0 || !strings.Contains(out, "running go mod tidy") {
		t.Fatalf("add: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(read(t, gomod), "github.com/authgen/authgen/runtime v") {
		t.Errorf("go mod tidy did not require the runtime:\n%s", read(t, gomod))
	}
}

// TestAddRefusesUnmarkedFiles: a generated file that lost its marker stops
// add before anything is written; --force overwrites it but still leaves
// the user's scaffold files alone.
func TestAddRefusesUnmarkedFiles(t *testing.T) {
	dir := jwtProject(t)
	config := filepath.Join(dir, "auth", "config_gen.go")
	os.WriteFile(config, []byte("package auth // mine\n"), 0o644)
	profiles := filepath.Join(dir, "auth", "profiles.go")
	os.WriteFile(profiles, []byte(read(t, profiles)+"// edited\n"), 0o644)
	before := snapshot(t, dir)
	code, _, errOut := authgen(t, dir, "add", "provider", "google", "--skip-tidy")
	if code == 0 || !strings.Contains(errOut, "auth/config_gen.go") || !strings.Contains(errOut, "--force") {
		t.Fatalf("add over an unmarked file: %d %s", code, errOut)
	}
	sameTree(t, before, snapshot(t, dir))

	code, out, errOut := authgen(t, dir, "add", "provider", "google", "--skip-tidy", "--force")
	if code != 0 || !strings.Contains(out, "replaced auth/config_gen.go") {
		t.Fatalf("add --force: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.HasSuffix(read(t, profiles), "// edited\n") {
		t.Error("add --force rewrote profiles.go")
	}
	if _, ok := mustManifest(t, dir).Provider("google"); !ok {
		t.Error("google not added")
	}
}

func mustManifest(t *testing.T, dir string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Read(filepath.Join(dir, manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRemoveProviderOfAnUnknownKind: an entry the catalog no longer knows
// (so the manifest no longer generates) can still be removed, with its file.
func TestRemoveProviderOfAnUnknownKind(t *testing.T) {
	dir := jwtProject(t)
	path := filepath.Join(dir, manifest.File)
	os.WriteFile(path, []byte(read(t, path)+"  - id: legacy\n    kind: myspace\n"), 0o644)
	file := filepath.Join(dir, "auth", "provider_legacy_gen.go")
	os.WriteFile(file, []byte("// Code generated by authgen. DO NOT EDIT.\n\npackage auth\n\ntype LegacyProfile struct{}\n"), 0o644)
	if code, _, errOut := authgen(t, dir, "generate"); code == 0 || !strings.Contains(errOut, "myspace") {
		t.Fatalf("generate with an unknown kind: %d %s", code, errOut)
	}
	code, out, errOut := authgen(t, dir, "remove", "provider", "legacy")
	if code != 0 || !strings.Contains(out, "removed auth/provider_legacy_gen.go") {
		t.Fatalf("remove: %d\n%s\n%s", code, out, errOut)
	}
	if exists(file) || strings.Contains(read(t, path), "legacy") {
		t.Error("legacy is still there")
	}
}
