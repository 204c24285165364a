package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/runtime/keys"
)

// authgen runs the CLI in dir and returns its exit code and output.
func authgen(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, iostreams.New(strings.NewReader(""), &out, &errOut))
	return code, out.String(), errOut.String()
}

// initProject makes a project without running go mod tidy.
func initProject(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	args := append([]string{"init", "--module", "example.com/app", "--yes", "--skip-tidy"}, extra...)
	if code, out, errOut := authgen(t, dir, args...); code != 0 {
		t.Fatalf("init: %d\n%s\n%s", code, out, errOut)
	}
	return dir
}

func TestInitTwice(t *testing.T) {
	dir := initProject(t)
	code, _, errOut := authgen(t, dir, "init", "--yes", "--skip-tidy")
	if code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("second init: %d %s", code, errOut)
	}
}

func TestInitExistingModuleKeepsUserFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/existing\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "server.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "auth"), 0o755)
	os.WriteFile(filepath.Join(dir, "auth", "callbacks.go"), []byte("package auth\n// mine\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("bin/\n"), 0o644)
	code, out, errOut := authgen(t, dir, "init", "--yes", "--skip-tidy")
	if code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	if !strings.Contains(out, "skipped (exists) auth/callbacks.go") || !strings.Contains(out, "merged .gitignore") {
		t.Errorf("output:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.go")); !os.IsNotExist(err) {
		t.Error("init wrote a demo main.go into a module that has a main package")
	}
	data, _ := os.ReadFile(filepath.Join(dir, "auth", "callbacks.go"))
	if string(data) != "package auth\n// mine\n" {
		t.Errorf("user's callbacks.go changed: %q", data)
	}
	ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if !strings.HasPrefix(string(ignore), "bin/\n") || !strings.Contains(string(ignore), "authgen.keys.json") {
		t.Errorf(".gitignore = %q", ignore)
	}
}

func TestInitRefusesUnmarkedGeneratedFile(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "auth"), 0o755)
	os.WriteFile(filepath.Join(dir, "auth", "auth_gen.go"), []byte("package auth // hand-written\n"), 0o644)
	code, _, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--yes", "--skip-tidy")
	if code == 0 || !strings.Contains(errOut, "auth/auth_gen.go") || !strings.Contains(errOut, "--force") {
		t.Fatalf("init over an unmarked file: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "authgen.yaml")); !os.IsNotExist(err) {
		t.Error("manifest written although generation was refused")
	}
	if code, _, errOut = authgen(t, dir, "init", "--module", "example.com/app", "--yes", "--skip-tidy", "--force"); code != 0 {
		t.Fatalf("init --force: %s", errOut)
	}
}

func TestGenerateCheck(t *testing.T) {
	dir := initProject(t)
	if code, out, errOut := authgen(t, dir, "generate", "--check"); code != 0 {
		t.Fatalf("fresh project is stale: %s %s", out, errOut)
	}
	path := filepath.Join(dir, "auth", "config_gen.go")
	data, _ := os.ReadFile(path)
	os.WriteFile(path, append(data, []byte("// edited\n")...), 0o644)
	if code, out, _ := authgen(t, dir, "generate", "--check"); code == 0 || !strings.Contains(out, "--- a/auth/config_gen.go\n+++ b/auth/config_gen.go\n") || !strings.Contains(out, "\n-// edited\n") {
		t.Fatalf("edited generated file not reported: %d %s", code, out)
	}
	if code, _, errOut := authgen(t, dir, "generate"); code != 0 {
		t.Fatal(errOut)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
		t.Error("generate did not restore the file")
	}
}

func TestKeys(t *testing.T) {
	dir := initProject(t)
	path := filepath.Join(dir, keys.DefaultFile)
	before, err := keys.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := authgen(t, dir, "keys", "rotate"); code != 0 || !strings.Contains(out, "rotated") {
		t.Fatalf("rotate: %s %s", out, errOut)
	}
	after, err := keys.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Keys()) != 4 || after.Signing().ID == before.Signing().ID {
		t.Fatalf("after rotate: %d keys", len(after.Keys()))
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after rotate", fi.Mode().Perm())
	}
	code, out, _ := authgen(t, dir, "keys", "list")
	if code != 0 || strings.Count(out, " signing ") != 1 || strings.Count(out, " active ") != 1 || strings.Count(out, "verifying only until") != 1 || strings.Count(out, "decrypting only until") != 1 {
		t.Errorf("list:\n%s", out)
	}
	for _, k := range after.Keys() {
		if strings.Contains(out, string(k.Secret)) {
			t.Error("list printed a secret")
		}
	}
	code, out, _ = authgen(t, dir, "keys", "export")
	if code != 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("export: %q", out)
	}
	if _, err := keys.Parse([]byte(out)); err != nil {
		t.Errorf("export does not parse: %v", err)
	}
	var set struct{ Keys []json.RawMessage }
	json.Unmarshal([]byte(out), &set)
	if len(set.Keys) != 4 {
		t.Errorf("export has %d keys", len(set.Keys))
	}
	if code, out, _ = authgen(t, dir, "keys", "prune"); code != 0 || !strings.Contains(out, "pruned 0") {
		t.Errorf("prune: %s", out)
	}

	// rotate creates a first set where there is none.
	os.Remove(path)
	if code, out, _ := authgen(t, dir, "keys", "rotate"); code != 0 || !strings.Contains(out, "created") {
		t.Fatalf("rotate without keys: %s", out)
	}
	if _, err := keys.ReadFile(path); err != nil {
		t.Fatal(err)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := authgen(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "authgen devel") {
		t.Errorf("version: %q", out)
	}
}
