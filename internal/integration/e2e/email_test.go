package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/fakeidp"
)

// TestEmailStart: the project `authgen init --yes` makes has e-mail sign-in
// next to GitHub. On an https AUTH_URL without AUTH_EMAIL_SERVER it refuses
// to start, naming the variable (the console sender would log sign-in
// links in production); on http://localhost it starts, with the console
// sender.
func TestEmailStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app")
	run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app", "--yes")
	yaml, err := os.ReadFile(filepath.Join(dir, "authgen.yaml"))
	if err != nil || !strings.Contains(string(yaml), "  - id: github\n  - id: email\n") {
		t.Fatalf("init --yes did not add e-mail sign-in next to GitHub: %v\n%s", err, yaml)
	}
	bin := build(t, dir)
	gh := fakeidp.NewGitHub(t, octocat)
	environ := append(bareEnviron(), gh.Env()...)

	out := mustFail(t, bin, dir, append(environ, "AUTH_URL=https://app.example.com", "PORT="+freePort(t)))
	if !strings.Contains(out, "AUTH_EMAIL_SERVER is required for e-mail sign-in when AUTH_URL is not http://localhost") {
		t.Errorf("the refusal does not name AUTH_EMAIL_SERVER:\n%s", out)
	}

	port := freePort(t)
	a := launch(t, "http://localhost:"+port, bin, dir, append(environ, "PORT="+port, "AUTH_URL=http://localhost:"+port))
	a.stop()
}
