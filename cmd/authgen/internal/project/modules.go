package project

import (
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/authgen/authgen/generator"
)

// MissingModules lists what the generated files import that go.mod (its
// content gomod) does not provide: modules generator.Requirements pins
// (authgen's runtime among them), each named once however many of its
// packages are imported, and any other import path outside the standard
// library and the module.
func MissingModules(gomod []byte, spec generator.Spec, files []generator.File) ([]string, error) {
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return nil, err
	}
	var need []string
	for _, r := range generator.Requirements(spec) {
		need = append(need, r.Path)
	}
	// A path belongs to the longest module path it starts with: runtime's
	// nested modules (runtime/email/smtp) are not provided by runtime.
	required := map[string]bool{}
	for _, r := range f.Require {
		required[r.Mod.Path] = true
	}
	modules := slices.Concat(slices.Collect(maps.Keys(required)), need)
	owner := func(path string) string {
		owner := ""
		for _, m := range modules {
			if (path == m || strings.HasPrefix(path, m+"/")) && len(m) > len(owner) {
				owner = m
			}
		}
		return owner
	}
	provided := func(path string) bool {
		return path == spec.Module || strings.HasPrefix(path, spec.Module+"/") || required[owner(path)]
	}
	for _, file := range files {
		if !strings.HasSuffix(file.Path, ".go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), file.Path, file.Content, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				need = append(need, path)
			}
		}
	}
	var missing []string
	for _, path := range need {
		if provided(path) {
			continue
		}
		if m := owner(path); m != "" {
			path = m // a package of a module authgen pins: the module
		}
		if !slices.Contains(missing, path) {
			missing = append(missing, path)
		}
	}
	return missing, nil
}

// NewRequirements lists, as "path@version", the requirements of the go.mod
// content after that old did not have at that version, leaving out modules
// replaced by a directory: what go.sum needs entries for, so go mod tidy
// (or go get) must run before the project builds. Either content that does
// not parse lists nothing.
func NewRequirements(old, after []byte) []string {
	o, err := modfile.ParseLax("go.mod", old, nil)
	if err != nil {
		return nil
	}
	n, err := modfile.ParseLax("go.mod", after, nil)
	if err != nil {
		return nil
	}
	had := map[string]bool{}
	for _, r := range o.Require {
		had[r.Mod.String()] = true
	}
	local := map[string]bool{}
	for _, r := range n.Replace {
		if modfile.IsDirectoryPath(r.New.Path) {
			local[r.Old.Path] = true
		}
	}
	var out []string
	for _, r := range n.Require {
		if !had[r.Mod.String()] && !local[r.Mod.Path] {
			out = append(out, r.Mod.String())
		}
	}
	return out
}
