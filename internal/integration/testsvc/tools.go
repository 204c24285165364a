package testsvc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// toolPackages maps each tool binary name to the package in the tools module
// that builds it. Keep in sync with tools/build.sh.
var toolPackages = map[string]string{
	"ferretdb-embed":     "./cmd/ferretdb-embed",
	"dex":                "github.com/dexidp/dex/cmd/dex",
	"mailpit":            "github.com/axllent/mailpit",
	"zitadel-example-op": "github.com/zitadel/oidc/v3/example/server",
}

// toolBuildMu serializes builds within one test binary; a file lock in the
// bin directory serializes them across test binaries.
var toolBuildMu sync.Mutex

// ToolPath returns the path of the tool binary name (one of ferretdb-embed,
// dex, mailpit, zitadel-example-op). It looks in $AUTHGEN_TOOLS_BIN, or
// <repo root>/tools/bin if that is unset. If the binary is missing it is
// built there with `go build -o <bin>/<name> <pkg>` inside the tools module
// (<repo root>/tools), under a lock so that concurrent test binaries build it
// only once. A binary older than tools/go.mod, tools/go.sum or (for the
// tools module's own commands) its sources is rebuilt. Building dex from a
// cold cache takes about 100 s; run tools/build.sh beforehand to avoid
// paying that inside a test.
//
// If the binary cannot be found or built, ToolPath calls [Unavailable].
func ToolPath(t testing.TB, name string) string {
	t.Helper()
	skipShort(t)
	pkg, ok := toolPackages[name]
	if !ok {
		t.Fatalf("testsvc: unknown tool %q", name)
	}
	binDir := os.Getenv(EnvToolsBin)
	var toolsDir string
	if root, err := repoRoot(); err == nil {
		toolsDir = filepath.Join(root, "tools")
		if binDir == "" {
			binDir = filepath.Join(toolsDir, "bin")
		}
	} else if binDir == "" {
		Unavailable(t, "testsvc: tool %s: %s is unset and the repository root was not found (%v)", name, EnvToolsBin, err)
	}
	bin := filepath.Join(binDir, name)
	if isExecutable(bin) && !toolStale(bin, toolsDir, pkg) {
		return bin
	}
	if toolsDir == "" {
		Unavailable(t, "testsvc: tool %s not found at %s and the tools module was not found to build it; run tools/build.sh", name, bin)
	}

	toolBuildMu.Lock()
	defer toolBuildMu.Unlock()
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		Unavailable(t, "testsvc: tool %s: %v", name, err)
	}
	unlock, err := lockFile(filepath.Join(binDir, ".build.lock"))
	if err != nil {
		Unavailable(t, "testsvc: tool %s: lock: %v", name, err)
	}
	defer unlock()
	if isExecutable(bin) && !toolStale(bin, toolsDir, pkg) { // built by another process while we waited
		return bin
	}
	if err := buildTool(t.Context(), toolsDir, bin, pkg); err != nil {
		Unavailable(t, "testsvc: tool %s is not at %s and building it failed (run tools/build.sh): %v", name, bin, err)
	}
	return bin
}

func buildTool(ctx context.Context, toolsDir, bin, pkg string) error {
	var extra []string
	if goroot := os.Getenv("GOROOT"); goroot != "" {
		extra = append(extra, filepath.Join(goroot, "bin"))
	}
	goCmd, err := lookPath("go", extra...)
	if err != nil {
		return errors.New("the go command is not in $PATH")
	}
	tmp := fmt.Sprintf("%s.tmp%d", bin, os.Getpid())
	defer os.Remove(tmp)
	goflags := strings.TrimSpace(os.Getenv("GOFLAGS") + " -buildvcs=false")
	start := time.Now()
	env := []string{"GOWORK=off", "GOFLAGS=" + goflags}
	if _, err := runInDir(ctx, toolsDir, env, goCmd, "build", "-o", tmp, pkg); err != nil {
		return err
	}
	if err := os.Rename(tmp, bin); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "testsvc: built %s in %v\n", bin, time.Since(start).Round(time.Second))
	return nil
}

// toolStale reports whether bin is older than the tools module's go.mod or
// go.sum (a version bump) or, for a package inside the tools module, its Go
// files. It is false when the tools module is unknown.
func toolStale(bin, toolsDir, pkg string) bool {
	if toolsDir == "" {
		return false
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return true
	}
	inputs := []string{filepath.Join(toolsDir, "go.mod"), filepath.Join(toolsDir, "go.sum")}
	if strings.HasPrefix(pkg, "./") {
		files, _ := filepath.Glob(filepath.Join(toolsDir, pkg, "*.go"))
		inputs = append(inputs, files...)
	}
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil && st.ModTime().After(fi.ModTime()) {
			return true
		}
	}
	return false
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// repoRoot finds the directory of the go.mod declaring module
// github.com/authgen/authgen, searching up from the working directory (the
// package directory under go test) and then from this source file.
func repoRoot() (string, error) {
	rootOnce.Do(func() {
		var starts []string
		if wd, err := os.Getwd(); err == nil {
			starts = append(starts, wd)
		}
		if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
			starts = append(starts, filepath.Dir(file))
		}
		for _, dir := range starts {
			for {
				if modulePath(filepath.Join(dir, "go.mod")) == "github.com/authgen/authgen" {
					rootDir = dir
					return
				}
				parent := filepath.Dir(dir)
				if parent == dir {
					break
				}
				dir = parent
			}
		}
		rootErr = errors.New("no go.mod for module github.com/authgen/authgen above the working directory")
	})
	return rootDir, rootErr
}

func modulePath(gomod string) string {
	f, err := os.Open(gomod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
