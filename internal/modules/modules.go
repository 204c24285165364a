// Package modules knows authgen's Go modules — the CLI, the runtime, the
// stores that pull a driver, the unpublished integration tests — and keeps
// them in step: one Go version, one version of every shared dependency,
// siblings replaced by their directories while developing, and the same
// version for all at a release.
package modules

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// Root is the module path of the repository's root module; every other
// authgen module's path starts with it.
const Root = "github.com/authgen/authgen"

// DevelVersion is what an authgen module requires its siblings at between
// releases, next to a replace directive.
const DevelVersion = "v0.0.0-00010101000000-000000000000"

// Module is one go.mod of the repository.
type Module struct {
	// Dir is its directory, slash-separated and relative to the repository
	// root ("." for the root module).
	Dir string
	// File is the parsed go.mod.
	File *modfile.File
}

// Path is the module path.
func (m *Module) Path() string { return m.File.Module.Mod.Path }

// Published reports whether users require the module; the integration
// module (under internal/) is never published.
func (m *Module) Published() bool {
	return !strings.Contains(m.Path(), "/internal/")
}

// Load reads every go.mod under root except those of tools/ (the test
// servers' module, never part of the workspace) and of testdata trees.
func Load(root string) ([]*Module, error) {
	var mods []*Module
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && path != root && (rel == "tools" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.Name() != "go.mod" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := modfile.Parse(path, data, nil)
		if err != nil {
			return err
		}
		mods = append(mods, &Module{Dir: filepath.ToSlash(filepath.Dir(rel)), File: f})
		return nil
	})
	slices.SortFunc(mods, func(a, b *Module) int { return strings.Compare(a.Dir, b.Dir) })
	return mods, err
}

// Authgen reports whether path is one of authgen's modules.
func Authgen(path string) bool {
	return path == Root || strings.HasPrefix(path, Root+"/")
}

// Release rewrites the go.mod of a published module for release version v:
// its authgen requirements at v and no replace directives of authgen
// modules (go install refuses a main module with replace directives, and
// a library's are ignored by its users anyway).
func Release(m *Module, v string) ([]byte, error) {
	f := m.File
	for _, r := range slices.Clone(f.Require) {
		if Authgen(r.Mod.Path) {
			if err := f.AddRequire(r.Mod.Path, v); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range slices.Clone(f.Replace) {
		if Authgen(r.Old.Path) {
			if err := f.DropReplace(r.Old.Path, r.Old.Version); err != nil {
				return nil, err
			}
		}
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return nil, fmt.Errorf("modules: %s: %w", m.Dir, err)
	}
	return out, nil
}

// Tag is the git tag of module m at version v: "v1.2.3" for the root,
// "runtime/v1.2.3" for the module in runtime/.
func Tag(m *Module, v string) string {
	if m.Dir == "." {
		return v
	}
	return m.Dir + "/" + v
}
