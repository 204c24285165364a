package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/fakeidp"
)

// TestRouters inits a project on each router (init --router), checks that
// it vets (and passes staticcheck, when AUTHGEN_TOOLS_BIN has it), builds
// it, starts it, and signs in and out with a fake GitHub through the demo
// main.go written in that router: the home page reads the session through
// the router's middleware (app/app.go's Handler), /me redirects a page and answers 401 to an API
// call before sign-in, and answers the session after it.
func TestRouters(t *testing.T) {
	for _, tc := range []struct {
		router string
		// main is a line the demo app/app.go has in the router's idiom; glue
		// the generated file of the router's own, if any.
		main, glue string
	}{
		{router: "nethttp", main: `mux.Handle("GET /me", a.Require(http.HandlerFunc(me)))`},
		{router: "chi", main: `r.Mount(auth.BasePath, a.Handler())`},
		{router: "echo", main: `e.GET("/me", me, a.EchoRequire())`, glue: "auth/echo_gen.go"},
		{router: "gin", main: `r.GET("/me", a.GinRequire(), me)`, glue: "auth/gin_gen.go"},
	} {
		t.Run(tc.router, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "app")
			run(t, filepath.Dir(dir), nil, authgen(t), "init", "app", "--module", "example.com/app",
				"--providers", "github", "--db", "none", "--session", "jwt", "--router", tc.router, "--yes",
				"--runtime-replace", repoRoot(t))
			app, err := os.ReadFile(filepath.Join(dir, "app", "app.go"))
			if err != nil || !strings.Contains(string(app), tc.main) {
				t.Fatalf("app/app.go lacks %q (%v):\n%s", tc.main, err, app)
			}
			if tc.glue != "" {
				if _, err := os.Stat(filepath.Join(dir, tc.glue)); err != nil {
					t.Fatal(err)
				}
			}
			if bin := os.Getenv("AUTHGEN_TOOLS_BIN"); bin != "" {
				if sc := filepath.Join(bin, "staticcheck"); fileExists(sc) {
					run(t, dir, nil, sc, "./...")
				}
			}
			gh := fakeidp.NewGitHub(t, octocat)
			a := start(t, build(t, dir), dir, gh.Env()...)
			signInOut(t, a, gh, func(id string) bool { return id == "github:583231" })
		})
	}
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
