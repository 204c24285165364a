package project_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/project"
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
	write := func(gomod string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("module example.com/app\n\ngo 1.26.0\n\nrequire github.com/authgen/authgen/runtime v0.0.0-00010101000000-000000000000\n\nreplace github.com/authgen/authgen/runtime => " + filepath.Join(checkout, "runtime") + "\n")
	if got := project.ProjectSource(dir); got.Checkout != checkout {
		t.Errorf("replaced with a checkout: %+v, want checkout %s", got, checkout)
	}
	write("module example.com/app\n\ngo 1.26.0\n\nrequire github.com/authgen/authgen/runtime v0.4.1\n")
	if got := project.ProjectSource(dir); got.Version != "v0.4.1" || got.Checkout != "" {
		t.Errorf("released runtime: %+v, want v0.4.1", got)
	}
}
