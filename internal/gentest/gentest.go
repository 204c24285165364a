// Package gentest runs generated projects in tests: it writes a
// generator's output as a Go module that builds against this checkout's
// runtime modules, runs the go command in it without the network beyond
// the module proxy, and reads go test -json.
package gentest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/writer"
)

// rootModule is the module path of the checkout's root.
const rootModule = "github.com/authgen/authgen"

// develVersion is what a module required through a replace directive is
// required at.
const develVersion = "v0.0.0-00010101000000-000000000000"

var (
	rootOnce sync.Once
	rootDir  string
)

// Root returns the authgen checkout this package was compiled in.
func Root(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		_, file, _, ok := runtime.Caller(0)
		if !ok || !filepath.IsAbs(file) {
			return
		}
		for d := filepath.Dir(file); filepath.Dir(d) != d; d = filepath.Dir(d) {
			if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && modfile.ModulePath(data) == rootModule {
				rootDir = d
				return
			}
		}
	})
	if rootDir == "" {
		t.Fatal("gentest: the authgen checkout was not found above this package's source")
	}
	return rootDir
}

// Env is the environment of go commands in a generated module: outside any
// workspace, allowed to complete go.mod and go.sum, and never asking the
// checksum database (the checkout's own go.sum entries, which WriteModule
// copies, are still verified).
func Env(extra ...string) []string {
	env := append(os.Environ(), "GOWORK=off", "GOSUMDB=off", "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"))
	return append(env, extra...)
}

// GoMod returns the go.mod of spec's project: the generator's requirements,
// with authgen's own modules replaced by this checkout's directories.
func GoMod(t testing.TB, spec generator.Spec) []byte {
	t.Helper()
	root := Root(t)
	var req, repl strings.Builder
	for _, r := range generator.Requirements(spec) {
		if r.Authgen() {
			req.WriteString("\t" + r.Path + " " + develVersion + "\n")
			repl.WriteString("\t" + r.Path + " => " + filepath.Join(root, filepath.FromSlash(r.Dir)) + "\n")
			continue
		}
		req.WriteString("\t" + r.Path + " " + r.Version + "\n")
	}
	return []byte("module " + spec.Module + "\n\ngo 1.26\n\nrequire (\n" + req.String() + ")\n\nreplace (\n" + repl.String() + ")\n")
}

// GoSum returns every go.sum line of the checkout's modules, so that a
// generated module resolves without the checksum database.
func GoSum(t testing.TB) []byte {
	t.Helper()
	root := Root(t)
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "tools" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.Name() != "go.sum" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			if line != "" {
				seen[line] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]string, 0, len(seen))
	for l := range seen {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

// WriteModule applies files to dir and writes the go.mod and go.sum of
// spec's project there.
func WriteModule(t testing.TB, dir string, spec generator.Spec, files []generator.File) {
	t.Helper()
	if _, err := writer.Apply(dir, files, writer.Options{}); err != nil {
		t.Fatal(err)
	}
	WriteGoMod(t, dir, spec)
}

// WriteGoMod writes the go.mod and go.sum of spec's project into dir.
func WriteGoMod(t testing.TB, dir string, spec generator.Spec) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), GoMod(t, spec), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), GoSum(t), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Cmd is the go command with args in dir, with Env and extra variables.
func Cmd(dir string, extraEnv []string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = Env(extraEnv...)
	return cmd
}

// Go runs the go command in dir and returns its combined output, failing
// t when it fails.
func Go(t testing.TB, dir string, extraEnv []string, args ...string) string {
	t.Helper()
	out, err := Cmd(dir, extraEnv, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Event is one line of go test -json (cmd/test2json).
type Event struct {
	Action string
	Test   string
	Output string
}

// Result is one test's outcome.
type Result struct {
	// Action is "pass", "fail" or "skip" ("" when the test never ended).
	Action string
	// Output is what the test printed, without the === and --- lines.
	Output strings.Builder
}

// Results is what go test -json reported.
type Results struct {
	// Tests holds every test and subtest by its full name.
	Tests map[string]*Result
	// Order lists the test names in the order they started.
	Order []string
	// Other is the output of no test: build errors, panics before a test.
	Other string
}

// ReadEvents reads go test -json output.
func ReadEvents(r io.Reader) *Results {
	res := &Results{Tests: map[string]*Result{}}
	var other strings.Builder
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev Event
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			other.Write(sc.Bytes())
			other.WriteByte('\n')
			continue
		}
		if ev.Test == "" {
			if ev.Action == "output" || ev.Action == "build-output" {
				other.WriteString(ev.Output)
			}
			continue
		}
		t := res.Tests[ev.Test]
		if t == nil {
			t = &Result{}
			res.Tests[ev.Test] = t
			res.Order = append(res.Order, ev.Test)
		}
		switch ev.Action {
		case "output":
			if line := strings.TrimSpace(ev.Output); !strings.HasPrefix(line, "=== ") && !strings.HasPrefix(line, "--- ") {
				t.Output.WriteString(ev.Output)
			}
		case "pass", "fail", "skip":
			t.Action = ev.Action
		}
	}
	res.Other = other.String()
	return res
}

// Test runs go test -json with args in dir and returns the results, the
// stderr of go and its error (a failing test is also an error).
func Test(dir string, extraEnv []string, args ...string) (*Results, string, error) {
	cmd := Cmd(dir, extraEnv, append([]string{"test", "-json"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return ReadEvents(&stdout), stderr.String(), err
}

// FailedChild reports whether a subtest of name failed (its failure is
// reported there).
func (r *Results) FailedChild(name string) bool {
	for n, t := range r.Tests {
		if strings.HasPrefix(n, name+"/") && t.Action == "fail" {
			return true
		}
	}
	return false
}
