package generator_test

import (
	"bytes"
	"flag"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/internal/gentest"
)

var update = flag.Bool("update", false, "rewrite the golden trees in testdata/golden/*/want")

const goldenDir = "../testdata/golden"

// goldenCase is one testdata/golden/<name> directory: authgen.yaml, spec.txt
// (module, app, deploy targets and tests) and the expected tree in want/.
type goldenCase struct {
	name string
	dir  string
	spec generator.Spec
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	dirs, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenCase
	for _, d := range dirs {
		dir := filepath.Join(goldenDir, d.Name())
		m, err := manifest.Read(filepath.Join(dir, "authgen.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		spec := generator.Spec{Manifest: m}
		raw, err := os.ReadFile(filepath.Join(dir, "spec.txt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			k, v, _ := strings.Cut(line, ":")
			switch strings.TrimSpace(k) {
			case "module":
				spec.Module = strings.TrimSpace(v)
			case "app":
				spec.App = strings.TrimSpace(v) == "true"
			case "targets":
				spec.Targets = strings.Split(strings.TrimSpace(v), ",")
			case "tests":
				spec.Tests = strings.TrimSpace(v) == "true"
			}
		}
		out = append(out, goldenCase{name: d.Name(), dir: dir, spec: spec})
	}
	return out
}

// goldenProjectTest generates the golden case name's manifest as a project
// of module mod, adds test (package apptest) as apptest/app_test.go and
// runs it with go test in a module built against this checkout.
func goldenProjectTest(t *testing.T, name, mod, test string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and tests a generated module")
	}
	m, err := manifest.Read(filepath.Join(goldenDir, name, manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	spec := generator.Spec{Module: mod, Manifest: m}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, generator.File{Path: "apptest/app_test.go", Content: []byte(test), Kind: generator.Scaffold})
	dir := t.TempDir()
	gentest.WriteModule(t, dir, spec, files)
	gentest.Go(t, dir, nil, "test", "-count=1", "./apptest/")
}

// readTree reads every file under dir, keyed by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files, err := generator.Generate(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(c.dir, "want")
			if *update {
				if err := os.RemoveAll(want); err != nil {
					t.Fatal(err)
				}
				if _, err := writer.Apply(want, files, writer.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			got := map[string]string{}
			for _, f := range files {
				got[f.Path] = string(f.Content)
			}
			if diff := cmp.Diff(readTree(t, want), got); diff != "" {
				t.Errorf("generated tree differs (-want +got):\n%s\nrun: go test ./generator -run TestGolden -update", diff)
			}
		})
	}
}

// TestGoldenBuilds builds and vets every expected tree as a module of its
// own that uses this checkout's runtime.
func TestGoldenBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go modules")
	}
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(c.dir, "want"))); err != nil {
				t.Fatal(err)
			}
			gentest.WriteGoMod(t, dir, c.spec)
			for _, args := range [][]string{{"mod", "tidy"}, {"build", "./..."}, {"vet", "./..."}} {
				gentest.Go(t, dir, nil, args...)
			}
		})
	}
}

// TestDeterministic generates each case twice and over its own output:
// same bytes, and applying it again changes nothing.
func TestDeterministic(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			a, err := generator.Generate(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			b, err := generator.Generate(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(a, b); diff != "" {
				t.Fatalf("two generations differ:\n%s", diff)
			}
			dir := t.TempDir()
			if _, err := writer.Apply(dir, a, writer.Options{}); err != nil {
				t.Fatal(err)
			}
			changes, err := writer.Apply(dir, b, writer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range changes {
				if ch.Action != writer.Unchanged && ch.Action != writer.Skipped {
					t.Errorf("second apply: %s %s", ch.Action, ch.Path)
				}
			}
		})
	}
}

// TestGeneratedFilesAreMarked checks the marker rule both ways: the
// generated files, and only they, are *_gen.go and *_gen_test.go files whose
// first line is the marker.
func TestGeneratedFilesAreMarked(t *testing.T) {
	for _, c := range goldenCases(t) {
		files, err := generator.Generate(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".go") {
				continue
			}
			isGen := strings.HasSuffix(f.Path, "_gen.go") || strings.HasSuffix(f.Path, "_gen_test.go")
			if (f.Kind == generator.Generated) != isGen || generator.IsGenerated(f.Content) != isGen {
				t.Errorf("%s/%s: kind %s, marker %v", c.name, f.Path, f.Kind, generator.IsGenerated(f.Content))
			}
			if isGen && !bytes.HasPrefix(f.Content, []byte(generator.Marker+"\n")) {
				t.Errorf("%s/%s: marker is not the first line", c.name, f.Path)
			}
		}
	}
}

// TestImportNames: generated files alias an import only when its package
// name is not its path's last element (modernc.org/sqlite/lib is sqlite3),
// never redundantly.
func TestImportNames(t *testing.T) {
	for _, c := range goldenCases(t) {
		files, err := generator.Generate(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Content, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("%s/%s: %v", c.name, f.Path, err)
			}
			for _, imp := range parsed.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if imp.Name != nil && imp.Name.Name != "_" && imp.Name.Name == path.Base(p) {
					t.Errorf("%s/%s: redundant alias %s %q", c.name, f.Path, imp.Name.Name, p)
				}
				if imp.Name == nil && p == "modernc.org/sqlite/lib" {
					t.Errorf("%s/%s: %q is package sqlite3; name it", c.name, f.Path, p)
				}
			}
		}
	}
}
