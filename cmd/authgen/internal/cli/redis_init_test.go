package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
)

// checkRedisProject checks what init writes for Redis sessions.
func checkRedisProject(t *testing.T, dir string) {
	t.Helper()
	manifest, _ := os.ReadFile(filepath.Join(dir, "authgen.yaml"))
	if !bytes.Contains(manifest, []byte("  strategy: database\n")) || !bytes.Contains(manifest, []byte("  store: redis\n")) {
		t.Errorf("authgen.yaml lacks strategy database and store redis:\n%s", manifest)
	}
	src, err := os.ReadFile(filepath.Join(dir, "auth", "sessions_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"func OpenSessionStore(", "redisstore.Open(", "func (a *Auth) DeleteUser("} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("auth/sessions_gen.go lacks %q", want)
		}
	}
	if env, _ := os.ReadFile(filepath.Join(dir, ".env.example")); !bytes.Contains(env, []byte("REDIS_URL=")) {
		t.Errorf(".env.example lacks REDIS_URL:\n%s", env)
	}
	if code, out, errOut := authgen(t, dir, "generate", "--check"); code != 0 {
		t.Errorf("generate --check on a fresh Redis project: %d\n%s%s", code, out, errOut)
	}
}

func TestInitRedisSessionStoreFlag(t *testing.T) {
	dir := initProject(t, "--session-store", "redis")
	checkRedisProject(t, dir)
}

func TestInitRedisSessionStoreErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown store", []string{"--session-store", "memcached"}, `--session-store "memcached"`},
		{"JWT sessions", []string{"--session", "jwt", "--session-store", "redis"}, "--session-store redis keeps database sessions, and --session is jwt"},
		{"no database", []string{"--db", "none", "--session-store", "redis"}, "--session-store redis keeps database sessions, and --session is jwt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"init", "--module", "example.com/app", "--yes", "--skip-tidy"}, tt.args...)
			code, _, errOut := authgen(t, dir, args...)
			if code != cli.ExitUsage || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut, cli.ExitUsage, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a failed init wrote %d files", len(entries))
			}
		})
	}
}

// TestInitRedisSessionStoreForm answers init's form line by line (huh's
// accessible mode): after database sessions it asks where they live.
func TestInitRedisSessionStoreForm(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	// Module: accept the default; providers: accept (GitHub is
	// preselected); database: 1 = sqlite; sessions: 1 = database (no token
	// question: it is for JWT sessions); where database sessions live:
	// 2 = Redis; router: 1 = nethttp.
	answers := "example.com/formapp\n0\n1\n1\n2\n1\n"
	var out, errOut bytes.Buffer
	ios := iostreams.New(strings.NewReader(answers), &out, &errOut)
	ios.SetTTY(true)
	code := cli.Run(context.Background(), []string{"init", "formapp", "--accessible", "--skip-tidy"}, ios)
	if code != 0 {
		t.Fatalf("init exited %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "Where database sessions live") {
		t.Errorf("the form did not ask where database sessions live:\n%s", out.String())
	}
	checkRedisProject(t, filepath.Join(dir, "formapp"))
}
