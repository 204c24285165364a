// Package alldeps guards the runtime module's dependencies, as wire's
// internal/alldeps does: the module graph a user's project inherits from
// the runtime may only hold the modules the file alldeps lists.
package alldeps

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// allowed reads the allowlist: every module, and those listed under the
// "# Compiled" heading.
func allowed(t *testing.T) (all, compiled []string) {
	t.Helper()
	data, err := os.ReadFile("alldeps")
	if err != nil {
		t.Fatal(err)
	}
	inCompiled := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "# Compiled"):
			inCompiled = true
		case strings.HasPrefix(line, "# In the graph only"):
			inCompiled = false
		case line != "" && !strings.HasPrefix(line, "#"):
			all = append(all, line)
			if inCompiled {
				compiled = append(compiled, line)
			}
		}
	}
	return all, compiled
}

// goList runs go list in the runtime module on its own (outside the
// repository's workspace, as a user's build sees it).
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.Fields(string(out))
}

// TestAllDeps fails when the runtime's module graph (go list -m all) holds a
// module outside the allowlist, and when the allowlist names a module the
// graph no longer has (so it stays exact).
func TestAllDeps(t *testing.T) {
	allow, _ := allowed(t)
	graph := goList(t, "-m", "-f", "{{if not .Main}}{{.Path}}{{end}}", "all")
	for _, m := range graph {
		if !slices.Contains(allow, m) {
			t.Errorf("the runtime module now depends on %s, which is not in internal/alldeps/alldeps: keep it out of the runtime (a module of its own, or the integration module for tests), or add it there with the reason", m)
		}
	}
	for _, m := range allow {
		if !slices.Contains(graph, m) {
			t.Errorf("internal/alldeps/alldeps lists %s, which the runtime no longer depends on: remove it", m)
		}
	}
}

// TestCompiledDeps: the packages of the runtime and of its tests come only
// from the runtime, the standard library and the first, compiled part of
// the allowlist.
func TestCompiledDeps(t *testing.T) {
	_, compiled := allowed(t)
	for _, m := range goList(t, "-deps", "-test", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}", "./...") {
		if !slices.Contains(compiled, m) {
			t.Errorf("a runtime package or test imports a package of %s; only %s may be compiled into users' binaries", m, strings.Join(compiled, ", "))
		}
	}
}
