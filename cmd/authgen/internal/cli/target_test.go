package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/manifest"
)

// TestAddTarget: add target writes each target's files once (the build
// script executable), requires runtime/lambda in go.mod for lambda, leaves
// authgen.yaml alone, changes nothing when run again, keeps a file the
// user changed, and refuses an unknown target with exit 2 and the nearest
// name, writing nothing.
func TestAddTarget(t *testing.T) {
	dir := initProject(t, "--skip-migrate", "--db", "none")
	manifestBefore := read(t, filepath.Join(dir, manifest.File))
	if code, _, errOut := authgen(t, dir, "add", "target", "lamda"); code != 2 || !strings.Contains(errOut, "did you mean lambda?") {
		t.Fatalf("add target lamda: %d %s, want 2 naming lambda", code, errOut)
	}
	if exists(filepath.Join(dir, "cmd", "lambda", "main.go")) {
		t.Fatal("a refused add target wrote cmd/lambda/main.go")
	}

	code, out, errOut := authgen(t, dir, "add", "target", "lambda", "container", "--skip-tidy")
	if code != 0 {
		t.Fatalf("add target: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"created cmd/lambda/main.go\n", "created scripts/build-lambda.sh\n", "created Dockerfile\n", "created .dockerignore\n", "updated go.mod\n", "scripts/build-lambda.sh builds build/lambda/bootstrap.zip", "docker build"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr (main.go is the demo's, which serves app.Handler): %s", errOut)
	}
	if fi, err := os.Stat(filepath.Join(dir, "scripts", "build-lambda.sh")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("scripts/build-lambda.sh: %v, %v; want mode 0755", fi, err)
	}
	if mod := read(t, filepath.Join(dir, "go.mod")); !strings.Contains(mod, "github.com/authgen/authgen/runtime/lambda") {
		t.Errorf("go.mod does not require runtime/lambda:\n%s", mod)
	}
	if got := read(t, filepath.Join(dir, manifest.File)); got != manifestBefore {
		t.Errorf("authgen.yaml changed:\n%s", got)
	}
	if main := read(t, filepath.Join(dir, "cmd", "lambda", "main.go")); !strings.Contains(main, "lambda.Start(h)") || !strings.Contains(main, "app.Handler(a)") {
		t.Errorf("cmd/lambda/main.go does not serve app.Handler:\n%s", main)
	}
	if gi := read(t, filepath.Join(dir, ".gitignore")); !strings.Contains(gi, "/build/") {
		t.Errorf(".gitignore lacks /build/:\n%s", gi)
	}

	// Yours from now on: a changed Dockerfile is kept, and a second run
	// changes nothing else.
	dockerfile := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(dockerfile, []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = authgen(t, dir, "add", "target", "container", "lambda", "--skip-tidy")
	if code != 0 || strings.Contains(out, "created ") || strings.Contains(out, "updated ") || !strings.Contains(errOut, "Dockerfile exists and was kept") {
		t.Fatalf("add target again: %d\n%s\n%s", code, out, errOut)
	}
	if got := read(t, dockerfile); got != "FROM scratch\n" {
		t.Errorf("the user's Dockerfile was rewritten:\n%s", got)
	}
	if code, out, _ := authgen(t, dir, "generate", "--check"); code != 0 {
		t.Errorf("generate --check after add target: %s", out)
	}
}

// TestAddTargetSkipTidy: with --skip-tidy, add target names the modules
// go.mod does not provide, those alone: container's files need no
// runtime/lambda, and a go.mod that lacked only a replace directive lacks
// no module.
func TestAddTargetSkipTidy(t *testing.T) {
	dir := initProject(t, "--skip-migrate", "--db", "none")
	gomod := filepath.Join(dir, "go.mod")
	const runtimeModule = "github.com/authgen/authgen/runtime"
	drop := func(line string) {
		t.Helper()
		mod := regexp.MustCompile(`(?m)^`+line+`.*\n`).ReplaceAllString(read(t, gomod), "")
		if err := os.WriteFile(gomod, []byte(mod), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// go.mod lost the runtime: its requirement and its replace directive.
	drop(`.*` + regexp.QuoteMeta(runtimeModule) + `[ \t]`)
	code, out, errOut := authgen(t, dir, "add", "target", "container", "--skip-tidy")
	if code != 0 || !strings.Contains(out, "updated go.mod\n") || !strings.Contains(out, "go.mod does not provide "+runtimeModule+": run `go mod tidy`.\n") || strings.Contains(out, "lambda") {
		t.Fatalf("add target container, go.mod without the runtime: %d\n%s\n%s", code, out, errOut)
	}
	if mod := read(t, gomod); !strings.Contains(mod, "\t"+runtimeModule+" ") && !strings.Contains(mod, "require "+runtimeModule+" ") {
		t.Fatalf("go.mod does not require the runtime again:\n%s", mod)
	}

	// Only the replace directive is gone: go.mod is updated, and lacks
	// nothing for go mod tidy to add.
	drop(`replace ` + regexp.QuoteMeta(runtimeModule) + ` =>`)
	code, out, errOut = authgen(t, dir, "add", "target", "container", "--skip-tidy")
	if code != 0 || !strings.Contains(out, "updated go.mod\n") || strings.Contains(out, "go mod tidy") {
		t.Fatalf("add target container, go.mod without the replace directive: %d\n%s\n%s", code, out, errOut)
	}

	// A third-party module below the version authgen pins: raised, and
	// go.sum needs its entries.
	const oauth2 = "golang.org/x/oauth2"
	mod := regexp.MustCompile(`(?m)^(\s*(?:require\s+)?)`+regexp.QuoteMeta(oauth2)+` v\S+`).ReplaceAllString(read(t, gomod), "${1}"+oauth2+" v0.1.0")
	if !strings.Contains(mod, oauth2+" v0.1.0") {
		t.Fatalf("go.mod does not require %s:\n%s", oauth2, mod)
	}
	if err := os.WriteFile(gomod, []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = authgen(t, dir, "add", "target", "container", "--skip-tidy")
	if code != 0 || !regexp.MustCompile("go.mod now requires "+regexp.QuoteMeta(oauth2)+"@v\\S+: run `go mod tidy` before building.\n").MatchString(out) {
		t.Fatalf("add target container, go.mod with an older %s: %d\n%s\n%s", oauth2, code, out, errOut)
	}
}

// TestInitTarget: init --target takes a list, adds the targets' files, and
// refuses an unknown one before writing anything.
func TestInitTarget(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--yes", "--skip-tidy", "--target", "lambda,docker"); code != 2 || !strings.Contains(errOut, `--target "docker" is not a choice`) {
		t.Fatalf("init --target docker: %d %s", code, errOut)
	}
	if exists(filepath.Join(dir, manifest.File)) {
		t.Fatal("a refused init wrote authgen.yaml")
	}
	dir = initProject(t, "--skip-migrate", "--db", "none", "--target", "container", "--target", "lambda")
	for _, f := range []string{"app/app.go", "main.go", "cmd/lambda/main.go", "scripts/build-lambda.sh", "Dockerfile", ".dockerignore"} {
		if !exists(filepath.Join(dir, filepath.FromSlash(f))) {
			t.Errorf("init --target container --target lambda wrote no %s", f)
		}
	}
}
