package writer_test

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/writer"
)

// entryState is what "as before" means for one path: kind, permission,
// modification time and, for a file, a hash of its bytes.
type entryState struct {
	Dir   bool
	Mode  fs.FileMode
	MTime time.Time
	Sum   [32]byte
}

// tree records every file and directory under dir.
func tree(t *testing.T, dir string) map[string]entryState {
	t.Helper()
	out := map[string]entryState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		s := entryState{Dir: d.IsDir(), Mode: fi.Mode(), MTime: fi.ModTime()}
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			s.Sum = sha256.Sum256(data)
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// project is a tree with files each kind of change touches, old enough
// that a rewrite shows in the modification time.
func project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, "auth/a_gen.go", marked+"// v1\n")
	write(t, dir, "auth/old_gen.go", marked+"// stale\n")
	write(t, dir, "authgen.yaml", "package: auth\n")
	write(t, dir, ".env.example", "AUTH_URL=\n")
	write(t, dir, "go.mod", "module example.com/app\n")
	if err := os.Chmod(filepath.Join(dir, "authgen.yaml"), 0o640); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	filepath.WalkDir(dir, func(p string, _ fs.DirEntry, _ error) error { return os.Chtimes(p, old, old) })
	return dir
}

// plan is a change of every kind for project's tree: an update, a
// creation in a new directory, a merge, a whole-file write, a key set
// (0600) and a removal.
func plan(t *testing.T, dir string) []writer.Change {
	t.Helper()
	changes, err := writer.Plan(dir, []generator.File{
		{Path: "auth/a_gen.go", Content: []byte(marked + "// v2\n"), Kind: generator.Generated},
		{Path: "auth/sub/b_gen.go", Content: []byte(marked), Kind: generator.Generated},
		{Path: ".env.example", Content: []byte("AUTH_GITHUB_ID=\n"), Kind: generator.Merged},
	}, writer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		path, content string
		mode          fs.FileMode
	}{{"authgen.yaml", "package: login\n", 0o644}, {"authgen.keys.json", "{}\n", 0o600}} {
		c, err := writer.PlanWrite(dir, w.path, []byte(w.content), w.mode)
		if err != nil {
			t.Fatal(err)
		}
		changes = append(changes, c)
	}
	rm, err := writer.PlanRemove(dir, "auth/old_gen.go")
	if err != nil || rm.Action != writer.Removed {
		t.Fatalf("PlanRemove: %+v %v", rm, err)
	}
	return append(changes, rm)
}

func TestBeginCommit(t *testing.T) {
	dir := project(t)
	tx, err := writer.Begin(dir, plan(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"auth/a_gen.go":     marked + "// v2\n",
		"auth/sub/b_gen.go": marked,
		".env.example":      "AUTH_URL=\nAUTH_GITHUB_ID=\n",
		"authgen.yaml":      "package: login\n",
		"authgen.keys.json": "{}\n",
	} {
		if got := read(t, dir, path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "auth/old_gen.go")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("auth/old_gen.go was not removed")
	}
	got := tree(t, dir)
	if m := got["authgen.keys.json"].Mode.Perm(); m != 0o600 {
		t.Errorf("new key set has mode %v, want 0600", m)
	}
	if m := got["authgen.yaml"].Mode.Perm(); m != 0o640 {
		t.Errorf("authgen.yaml has mode %v, want its own 0640", m)
	}
	for path := range got {
		if strings.Contains(path, ".authgen-") {
			t.Errorf("%s left behind", path)
		}
	}
	if err := tx.Rollback(); err != nil || read(t, dir, "authgen.yaml") != "package: login\n" {
		t.Errorf("Rollback after Commit changed something: %v", err)
	}
}

// TestBeginFailsCleanly makes every file system step of Begin fail in
// turn: each time the tree is as it was, to the modification time, with
// no temporary file or new directory left.
func TestBeginFailsCleanly(t *testing.T) {
	// Count the steps of a successful run.
	var steps []string
	dir := project(t)
	tx, err := writer.BeginFailing(dir, plan(t, dir), func(op, path string) error {
		rel, _ := filepath.Rel(dir, path)
		steps = append(steps, op+" "+filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	if len(steps) < 10 {
		t.Fatalf("only %d steps: %v", len(steps), steps)
	}
	for i, step := range steps {
		t.Run(step, func(t *testing.T) {
			dir := project(t)
			before := tree(t, dir)
			n := 0
			boom := errors.New("boom")
			_, err := writer.BeginFailing(dir, plan(t, dir), func(string, string) error {
				if n++; n == i+1 {
					return boom
				}
				return nil
			})
			if !errors.Is(err, boom) || !errors.Is(err, writer.ErrNotWritable) {
				t.Fatalf("err = %v, want boom and ErrNotWritable", err)
			}
			if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
				t.Errorf("tree changed (-before +after):\n%s", diff)
			}
		})
	}
}

// TestRollback undoes a transaction that succeeded, and the outside
// changes to guarded files, as a failing go mod tidy would need.
func TestRollback(t *testing.T) {
	dir := project(t)
	before := tree(t, dir)
	tx, err := writer.Begin(dir, plan(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Guard("go.mod", "go.sum"); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "go.mod", "module example.com/app\n\nrequire example.com/x v1.0.0\n")
	write(t, dir, "go.sum", "example.com/x v1.0.0 h1:x\n")
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("tree changed (-before +after):\n%s", diff)
	}
	if err := tx.Commit(); err != nil {
		t.Errorf("Commit after Rollback: %v", err)
	}
}

// TestNotWritable: paths that cannot hold a file are refused by Plan and
// Begin, all of them named, before anything is written. (Root ignores
// permission bits, so a directory where a file goes is the reliable
// unwritable path in tests.)
func TestNotWritable(t *testing.T) {
	dir := project(t)
	if err := os.MkdirAll(filepath.Join(dir, "auth", "c_gen.go"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "pages", "a file where a directory goes\n")
	before := tree(t, dir)
	files := []generator.File{
		{Path: "auth/a_gen.go", Content: []byte(marked + "// v2\n"), Kind: generator.Generated},
		{Path: "auth/c_gen.go", Content: []byte(marked), Kind: generator.Generated},
		{Path: "pages/signin.html", Content: []byte("<p>\n"), Kind: generator.Scaffold},
	}
	_, err := writer.Apply(dir, files, writer.Options{})
	if !errors.Is(err, writer.ErrNotWritable) {
		t.Fatalf("Apply: %v", err)
	}
	for _, want := range []string{"auth/c_gen.go: it is a directory", "pages/signin.html: pages is a file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("tree changed:\n%s", diff)
	}

	// Changes planned elsewhere are checked again by Begin.
	c := writer.Change{Path: "auth/c_gen.go", Action: writer.Created, Content: []byte(marked)}
	if _, err := writer.Begin(dir, []writer.Change{c}); !errors.Is(err, writer.ErrNotWritable) {
		t.Errorf("Begin: %v", err)
	}
	c.Path = "../outside.go"
	if _, err := writer.Begin(dir, []writer.Change{c}); err == nil {
		t.Error("Begin wrote outside the project")
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("tree changed:\n%s", diff)
	}
}

func TestPlanRemove(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "auth/mine_gen.go", "package auth // mine\n")
	for path, want := range map[string]writer.Action{"auth/mine_gen.go": writer.Kept, "auth/none_gen.go": ""} {
		c, err := writer.PlanRemove(dir, path)
		if err != nil || c.Action != want {
			t.Errorf("%s: %q %v, want %q", path, c.Action, err, want)
		}
	}
}

func TestDiff(t *testing.T) {
	for _, tt := range []struct {
		c    writer.Change
		want string
	}{
		{writer.Change{Path: "a.go", Action: writer.Updated, Old: []byte("x\ny\n"), Content: []byte("x\nz\n")},
			"--- a/a.go\n+++ b/a.go\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n"},
		{writer.Change{Path: "a.go", Action: writer.Created, Content: []byte("x\n")},
			"--- /dev/null\n+++ b/a.go\n@@ -0,0 +1 @@\n+x\n"},
		{writer.Change{Path: "a.go", Action: writer.Removed, Old: []byte("x\n")},
			"--- a/a.go\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"},
		{writer.Change{Path: "a.go", Action: writer.Kept, Old: []byte("x\n"), Content: []byte("x\n")}, ""},
	} {
		if got := writer.Diff(tt.c); got != tt.want {
			t.Errorf("Diff(%s %s) =\n%s\nwant\n%s", tt.c.Action, tt.c.Path, got, tt.want)
		}
	}
}
