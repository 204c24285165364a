package providercmd

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
)

// RemoveOptions are the inputs of "authgen remove provider".
type RemoveOptions struct {
	ID string
	// Force allows removing the last provider, or one that code of the
	// user's still uses, and overwrites generated files that lack the
	// marker.
	Force bool
}

// NewRemove returns the remove command with its provider verb.
func NewRemove(ios *iostreams.IOStreams) *cobra.Command {
	remove := &cobra.Command{
		Use:     "remove",
		Short:   "Remove from the project's authentication (remove provider ID)",
		Example: `  authgen remove provider google`,
		Args:    cobra.ArbitraryArgs,
		RunE:    parentRun("remove"),
	}
	o := &RemoveOptions{}
	provider := &cobra.Command{
		Use:   "provider ID",
		Short: "Remove a provider from authgen.yaml and regenerate",
		Long: `Remove provider deletes the provider's entry from authgen.yaml (comments
and layout of the rest kept), regenerates the auth package and deletes the
provider's generated file, all together or not at all. .env.example is left
alone.

When code of yours (any Go file of the module but the generated *_gen.go
files) uses what was generated for the provider — its profile type in
profiles.go, say — remove refuses, naming each file and line, and changes
nothing: that code would no longer compile. Change it first, or pass --force
to remove the provider anyway.

The last provider is removed only with --force: without one, nobody can sign
in to the application.`,
		Example: `  authgen remove provider github-enterprise`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("remove provider takes one ID, as in authgen.yaml")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			o.ID = args[0]
			return Remove(ios, *o)
		},
	}
	provider.Flags().BoolVar(&o.Force, "force", false, "remove even the last provider, or one your code still uses; overwrite generated files that lack the authgen marker")
	remove.AddCommand(provider)
	return remove
}

// Remove runs "authgen remove provider".
func Remove(ios *iostreams.IOStreams, o RemoveOptions) error {
	p, err := load()
	if err != nil {
		return err
	}
	var ids []string
	for _, mp := range p.Manifest.Providers {
		ids = append(ids, mp.ID)
	}
	if _, ok := p.Manifest.Provider(o.ID); !ok {
		if len(ids) == 0 {
			return usage.Errorf("no provider %q: %s configures no providers", o.ID, manifest.File)
		}
		return usage.Errorf("no provider %q in %s;%s configured: %s", o.ID, manifest.File, usage.Suggest(o.ID, ids), strings.Join(ids, ", "))
	}
	if len(ids) == 1 && !o.Force {
		return fmt.Errorf("%s is the only provider: without one nobody can sign in to the application. Add another first (`authgen add provider NAME`), or pass --force to remove it anyway", o.ID)
	}

	removed, err := p.Manifest.RemoveProvider(o.ID)
	if err != nil {
		return err
	}
	// Plan the regeneration (the provider's file is among the generated
	// files the manifest no longer produces) and the manifest; find the
	// names that go with them and the user's code that uses them before
	// anything is written.
	plan, err := p.plan(o.Force)
	if err != nil {
		return err
	}
	if removed.CatalogID() == manifest.CredentialsProviderID {
		if err := removeUntouchedScaffold(p, removed, plan); err != nil {
			return err
		}
	}
	found := slices.DeleteFunc(uses(p.Root, path.Join(p.Module, p.Manifest.Package), p.Manifest.Package, goneNames(plan.Changes)), func(u use) bool {
		// A file the plan removes uses nothing afterwards.
		file, _, _ := strings.Cut(u.pos, ":")
		return slices.ContainsFunc(plan.Changes, func(c writer.Change) bool { return c.Action == writer.Removed && c.Path == file })
	})
	if len(found) > 0 && !o.Force {
		var list strings.Builder
		for _, u := range found {
			fmt.Fprintf(&list, "\n  %s: %s", u.pos, u.name)
		}
		return fmt.Errorf("remove provider %s: %w, so it would no longer compile:%s\nchange that code first, or pass --force to remove %s anyway", removed.ID, ErrInUse, list.String(), removed.ID)
	}
	if err := plan.Apply(nil); err != nil {
		return err
	}
	fmt.Fprintf(ios.Out, "Removed %s (%s) from %s.\n", removed.ID, entryName(removed), manifest.File)
	fmt.Fprintf(ios.Out, "updated %s\n", manifest.File)
	project.PrintChanges(ios.Out, plan.Changes, manifest.File)
	if id := removed.CatalogID(); id != manifest.CredentialsProviderID && id != manifest.PasskeyProviderID { // they have no variables
		fmt.Fprintf(ios.Out, ".env.example is unchanged: delete its AUTH_%s_* lines once you no longer need them.\n", catalog.EnvName(removed.ID))
	}
	if len(p.Manifest.Providers) == 0 {
		fmt.Fprintln(ios.ErrOut, "warning: no provider is configured: nobody can sign in until you add one (`authgen add provider NAME`)")
	}
	for _, u := range found {
		fmt.Fprintf(ios.ErrOut, "warning: %s: uses %s, which was generated for %s and is gone: change that code, or the package no longer compiles\n", u.pos, u.name, removed.ID)
	}
	return nil
}

// removeUntouchedScaffold adds the removal of the credentials provider's
// credentials.go to plan when it is still byte for byte what authgen
// wrote: it would no longer compile without the generated Credentials
// type. A credentials.go the user changed is theirs; uses then reports it.
func removeUntouchedScaffold(p *proj, removed manifest.Provider, plan *project.Plan) error {
	before := *p.Manifest
	before.Providers = append(slices.Clone(p.Manifest.Providers), removed)
	spec := p.Spec()
	spec.Manifest = &before
	files, err := generator.Generate(spec)
	if err != nil {
		return err
	}
	name := path.Join(p.Manifest.Package, "credentials.go")
	for _, f := range files {
		if f.Path != name {
			continue
		}
		have, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(have, f.Content) {
			// Absent, unreadable or changed: the user's to deal with.
			return nil
		}
		plan.Add(writer.Change{Path: name, Action: writer.Removed, Old: have})
	}
	return nil
}

// ErrInUse reports code of the user's that uses names generated for the
// provider being removed.
var ErrInUse = errors.New("your code uses what authgen generated for it")

// goneNames are the names the project's generated Go files declare now
// and no file will once changes are made, each with the generated file
// that declares it.
func goneNames(changes []writer.Change) map[string]string {
	before := map[string]string{}
	after := map[string]bool{}
	for _, c := range changes {
		if !strings.HasSuffix(c.Path, ".go") {
			continue
		}
		if c.Old != nil && generator.IsGenerated(c.Old) {
			for _, name := range declarations(c.Old) {
				before[name] = c.Path
			}
		}
		if c.Action != writer.Removed {
			for _, name := range declarations(c.Content) {
				after[name] = true
			}
		}
	}
	gone := map[string]string{}
	for name, file := range before {
		if !after[name] && name != "init" && name != "_" {
			gone[name] = file
		}
	}
	return gone
}

func entryName(p manifest.Provider) string {
	if e, ok := catalog.Lookup(p.CatalogID()); ok {
		return e.Name
	}
	return p.CatalogID()
}

// declarations lists the top-level names Go source declares.
func declarations(src []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out = append(out, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
	}
	return out
}

// use is a reference to a removed declaration.
type use struct{ pos, name string }

// uses finds code of the user's that refers to the names in decls: Go
// files of the auth package (pkgDir) that are not generated (*_gen.go),
// and, for exported names, files elsewhere in the module that import the
// package (pkgPath). They are listed in the order of the walk, file by
// file, each name once a file.
func uses(root, pkgPath, pkgDir string, decls map[string]string) []use {
	if len(decls) == 0 {
		return nil
	}
	var out []use
	authDir := filepath.Join(root, filepath.FromSlash(pkgDir))
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); p != root && err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_gen.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil || generator.IsGenerated(src) {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, parser.SkipObjectResolution)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		seen := map[string]bool{}
		add := func(pos token.Pos, name string) {
			if !seen[name] {
				seen[name] = true
				out = append(out, use{fmt.Sprintf("%s:%d", rel, fset.Position(pos).Line), name})
			}
		}
		if filepath.Dir(p) == authDir {
			ast.Inspect(f, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && decls[id.Name] != "" {
					add(id.Pos(), id.Name)
				}
				return true
			})
			return nil
		}
		local := ""
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == pkgPath {
				local = pathBase(pkgPath)
				if imp.Name != nil {
					local = imp.Name.Name
				}
			}
		}
		if local == "" || local == "_" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && decls[sel.Sel.Name] != "" && ast.IsExported(sel.Sel.Name) {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == local {
					add(sel.Sel.Pos(), local+"."+sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	return out
}

func pathBase(p string) string { return p[strings.LastIndex(p, "/")+1:] }
