package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/gentest"
	"github.com/authgen/authgen/internal/integration/fakeidp"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/templates"
)

// upgradeFrom is the commit of the release the upgrade fixtures come from
// (testdata/upgrade/README.md says how each was made); the projects are
// built against the runtime of this commit too, as its users' projects
// were.
const upgradeFrom = "4a0cd50"

// newScaffolds are the files that regenerating a project of upgradeFrom
// adds besides _gen.go files: every migration authgen has written since
// (upgradeFrom had 00001_authgen.sql alone), in order.
var newScaffolds = func() []string {
	files, err := templates.Migrations("sqlite", templates.MigrationData{Prefix: "auth_"})
	if err != nil {
		panic(err)
	}
	var names []string
	for name := range files {
		if name != "00001_authgen.sql" {
			names = append(names, "auth/migrations/"+name)
		}
	}
	slices.Sort(names)
	return names
}()

// TestUpgradeSQLite upgrades testdata/golden/sqlite-database of the
// release before (see upgrade).
func TestUpgradeSQLite(t *testing.T) {
	upgrade(t, "sqlite-database")
}

// TestUpgradePostgres upgrades a PostgreSQL project that init of the
// release before wrote (see upgrade).
func TestUpgradePostgres(t *testing.T) {
	pg := testsvc.PostgreSQL(t)
	upgrade(t, "postgres-database", "DATABASE_URL="+pg.CreateDB(t, "app"))
}

// upgrade takes the project testdata/upgrade/<fixture>, made by the
// release before, signs a user in with it, and upgrades it as the README
// says: the runtime at the new version, `authgen generate`, `authgen
// migrate`. Only _gen.go files change (and newScaffolds are added); before
// migrating, the new app refuses to start naming the fix; after, the
// session from before the upgrade is still valid and signing in again
// finds the same user. env is the apps' and authgen migrate's database.
func upgrade(t *testing.T, fixture string, env ...string) {
	root := repoRoot(t)
	dir := filepath.Join(t.TempDir(), "app")
	copyTree(t, filepath.Join(root, "testdata", "upgrade", fixture), dir)
	writeGoMod(t, dir, "example.com/"+fixture, oldRuntime(t, root))
	run(t, dir, nil, authgen(t), "keys", "rotate")
	before := snapshot(t, dir)

	// The release before: its app migrates at start and signs a user in.
	gh := fakeidp.NewGitHub(t, octocat)
	env = append(gh.Env(), env...)
	old := start(t, goBuild(t, dir), dir, append(env, "AUTH_AUTO_MIGRATE=true")...)
	b := newBrowser(t)
	if u := signInAs(t, b, old, ""); u.Path != "/me" {
		t.Fatalf("sign-in with the release before ended at %s", u)
	}
	id := whoami(t, b, old)
	if !storedID(id) {
		t.Fatalf("signed in as %q with the release before", id)
	}
	old.stop()

	// The upgrade.
	gentest.Go(t, dir, nil, "mod", "edit", "-replace", "github.com/authgen/authgen/runtime="+filepath.Join(root, "runtime"))
	t.Logf("authgen generate:\n%s", run(t, dir, nil, authgen(t), "generate"))
	after := snapshot(t, dir)
	var changed, added, removed []string
	for name, content := range after {
		was, ok := before[name]
		switch {
		case !ok:
			added = append(added, name)
		case !bytes.Equal(was, content):
			changed = append(changed, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			removed = append(removed, name)
		}
	}
	slices.Sort(changed)
	slices.Sort(added)
	t.Logf("changed %v, added %v", changed, added)
	for _, name := range changed {
		if !strings.HasSuffix(name, "_gen.go") {
			t.Errorf("generate changed %s, which is not a _gen.go file", name)
		}
	}
	for _, name := range added {
		if !strings.HasSuffix(name, "_gen.go") && !strings.HasSuffix(name, "_gen_test.go") && !slices.Contains(newScaffolds, name) {
			t.Errorf("generate added %s, which is neither a _gen.go or _gen_test.go file nor one of %v", name, newScaffolds)
		}
	}
	for _, name := range newScaffolds {
		if !slices.Contains(added, name) {
			t.Errorf("generate did not add %s", name)
		}
	}
	if len(removed) > 0 {
		t.Errorf("generate removed %v", removed)
	}

	bin := goBuild(t, dir)
	out := mustFail(t, bin, dir, append(append(bareEnviron(), env...), "PORT="+freePort(t)))
	for _, want := range []string{"not migrated", "not applied: " + path.Base(newScaffolds[0]), "run `authgen migrate`"} {
		if !strings.Contains(out, want) {
			t.Errorf("the new app before migrating: output lacks %q:\n%s", want, out)
		}
	}
	if out := run(t, dir, env, authgen(t), "migrate"); !strings.Contains(out, "applied "+path.Base(newScaffolds[0])) {
		t.Fatalf("authgen migrate:\n%s", out)
	}

	a := startOn(t, old.port(), bin, dir, env...)
	if got := whoami(t, b, a); got != id {
		t.Errorf("the session from before the upgrade: signed in as %q, want %q", got, id)
	}
	other := newBrowser(t)
	if u := signInAs(t, other, a, ""); u.Path != "/me" {
		t.Fatalf("sign-in after the upgrade ended at %s", u)
	}
	if got := whoami(t, other, a); got != id {
		t.Errorf("sign-in after the upgrade: user %q, want %q", got, id)
	}
}

// oldRuntime extracts the runtime module of upgradeFrom from the
// repository's history and returns its directory.
func oldRuntime(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	archive := exec.Command("git", "-C", root, "archive", upgradeFrom, "runtime")
	var tarball, stderr bytes.Buffer
	archive.Stdout, archive.Stderr = &tarball, &stderr
	if err := archive.Run(); err != nil {
		msg := "the runtime of " + upgradeFrom + " is not in this checkout's history (git archive: " + strings.TrimSpace(stderr.String()) + ")"
		if os.Getenv("AUTHGEN_REQUIRE_SERVERS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	untar := exec.Command("tar", "-x", "-C", dir)
	untar.Stdin = &tarball
	if out, err := untar.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	return filepath.Join(dir, "runtime")
}

// writeGoMod writes the go.mod of a project of module as init at
// upgradeFrom wrote it from a checkout (the runtime replaced by
// runtimeDir), and go.sum lines the module cache can verify without the
// checksum database; go mod tidy completes it.
func writeGoMod(t *testing.T, dir, module, runtimeDir string) {
	t.Helper()
	mod := "module " + module + "\n\ngo 1.26\n\nrequire github.com/authgen/authgen/runtime v0.0.0-00010101000000-000000000000\n\n" +
		"replace github.com/authgen/authgen/runtime => " + runtimeDir + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), gentest.GoSum(t), 0o644); err != nil {
		t.Fatal(err)
	}
	gentest.Go(t, dir, nil, "mod", "tidy")
}

// goBuild vets and builds the project in dir outside the workspace,
// returning the binary.
func goBuild(t *testing.T, dir string) string {
	t.Helper()
	gentest.Go(t, dir, nil, "vet", "./...")
	bin := filepath.Join(t.TempDir(), "app")
	gentest.Go(t, dir, nil, "build", "-o", bin, ".")
	return bin
}

// copyTree copies the files under src (dot files too) to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot reads every file of the project in dir but those that are not
// authgen's to change (go.mod, go.sum, the keys, the database).
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if rel == "go.mod" || rel == "go.sum" || rel == "authgen.keys.json" || strings.HasPrefix(rel, "authgen.db") {
			return nil
		}
		data, err := os.ReadFile(path)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	return files
}
