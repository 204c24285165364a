package project_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
)

// TestProjectSource: a project whose go.mod replaces the runtime with a
// checkout keeps that checkout, one that requires a released runtime keeps
// its version; modfile.ParseLax would have ignored the replace directive.
func TestProjectSource(t *testing.T) {
	// Another checkout than the CLI's own, which CLISource would give.
	checkout := t.TempDir()
	if err := os.WriteFile(filepath.Join(checkout, "go.mod"), []byte("module github.com/authgen/authgen\n\ngo 1.26.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var gomod []byte
	write := func(s string) { gomod = []byte(s) }
	write("module example.com/app\n\ngo 1.26.0\n\nrequire github.com/authgen/authgen/runtime v0.0.0-00010101000000-000000000000\n\nreplace github.com/authgen/authgen/runtime => " + filepath.Join(checkout, "runtime") + "\n")
	if got := project.ProjectSource(dir, gomod); got.Checkout != checkout {
		t.Errorf("replaced with a checkout: %+v, want checkout %s", got, checkout)
	}
	write("module example.com/app\n\ngo 1.26.0\n\nrequire github.com/authgen/authgen/runtime v0.4.1\n")
	if got := project.ProjectSource(dir, gomod); got.Version != "v0.4.1" || got.Checkout != "" {
		t.Errorf("released runtime: %+v, want v0.4.1", got)
	}
}

// TestMissingModules: a module authgen pins is named once, however many of
// its packages the generated files import; another import path outside
// the module is named as it is; what go.mod requires is not named.
func TestMissingModules(t *testing.T) {
	spec := githubSpec(t)
	files := []generator.File{{Path: "auth/auth_gen.go", Content: []byte(`package auth

import (
	"net/http"

	"example.com/app/internal/x"
	"example.com/other/pkg"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
)
`)}}
	gomod := []byte("module example.com/app\n\ngo 1.26.0\n\nrequire golang.org/x/oauth2 v0.37.0\n") // GitHub's
	got, err := project.MissingModules(gomod, spec, files)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"github.com/authgen/authgen/runtime", "example.com/other/pkg"}; !slices.Equal(got, want) {
		t.Errorf("missing %q, want %q", got, want)
	}
	gomod = append(gomod, "\nrequire github.com/authgen/authgen/runtime v1.0.0\n"...)
	if got, err := project.MissingModules(gomod, spec, files); err != nil || !slices.Equal(got, []string{"example.com/other/pkg"}) {
		t.Errorf("with the runtime required: %q, %v", got, err)
	}
}

// TestPlanGoModKeepsNewer: go.mod is raised to the version of a
// third-party module generated code is tested with, never lowered from a
// newer one the project chose.
func TestPlanGoModKeepsNewer(t *testing.T) {
	spec := githubSpec(t)
	var pinned string
	for _, r := range generator.Requirements(spec) {
		if r.Path == "golang.org/x/oauth2" {
			pinned = r.Version
		}
	}
	for _, tc := range []struct{ has, want string }{
		{"v0.1.0", pinned},
		{"v0.99.0", "v0.99.0"},
		{pinned, pinned},
	} {
		root := t.TempDir()
		gomod := "module example.com/app\n\ngo 1.26.0\n\nrequire golang.org/x/oauth2 " + tc.has + "\n"
		if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(gomod), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := project.PlanGoModSpec(root, spec, project.Source{Version: "v1.0.0"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(c.Content), "golang.org/x/oauth2 "+tc.want+"\n") {
			t.Errorf("go.mod requiring x/oauth2 %s became:\n%s\nwant %s", tc.has, c.Content, tc.want)
		}
	}
}

// githubSpec is the spec of module example.com/app signing in with GitHub,
// without a database.
func githubSpec(t *testing.T) generator.Spec {
	t.Helper()
	m, err := manifest.Parse([]byte("version: 1\npackage: auth\nbasePath: /api/auth\ncookiePrefix: authgen\ndatabase: none\nsession:\n  strategy: jwt\n  token: signed\nproviders:\n  - id: github\n"))
	if err != nil {
		t.Fatal(err)
	}
	return generator.Spec{Module: "example.com/app", Manifest: m}
}
