package project

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/runtime/keys"
)

// ErrRolledBack is joined to the error of a command that failed after its
// files were in place (go mod tidy, a migration): every change was undone.
var ErrRolledBack = errors.New("nothing was changed: every file is as it was")

// ErrRedeclared reports code of the user's that declares a name a
// generated file declares: the package would not compile.
var ErrRedeclared = errors.New("your code declares names that authgen generates")

// Plan is everything a command changes in a project, planned before
// anything is written: the generator's output and the changes to files,
// which Apply makes all together or not at all.
type Plan struct {
	Root string
	// Files is the generator's output the plan was made from.
	Files []generator.File
	// Changes are the files' outcomes, in order: the generator's files,
	// then the generated files nothing generates any more, then what the
	// command adds (authgen.yaml, go.mod, the key set).
	Changes []writer.Change
}

// PlanGenerate plans regenerating the project at root from spec: the
// generator's files (writer.Plan), and the removal of generated files the
// manifest no longer produces (Stale). Its error joins every refusal —
// files without the marker (writer.ErrUnmarked), paths that cannot be
// written (writer.ErrNotWritable), user code declaring generated names
// (ErrRedeclared) — and the plan is complete as far as it could be made,
// so that a diff can still show it. The project's migrations
// (spec.Migrations) are read from root when spec has none, so that a new
// authgen migration is numbered after the project's own.
func PlanGenerate(root string, spec generator.Spec, opts writer.Options) (*Plan, error) {
	if spec.Migrations == nil {
		names, err := generator.MigrationNames(os.DirFS(root), spec.Manifest)
		if err != nil {
			return nil, err
		}
		spec.Migrations = names
	}
	files, err := generator.Generate(spec)
	if err != nil {
		return nil, err
	}
	changes, planErr := writer.Plan(root, files, opts)
	if planErr != nil && !errors.Is(planErr, writer.ErrUnmarked) && !errors.Is(planErr, writer.ErrNotWritable) {
		return nil, planErr
	}
	stale, err := Stale(root, spec.Manifest.Package, files)
	if err != nil {
		return nil, err
	}
	changes = rewriteMigrations(changes, files, spec.Manifest)
	old, err := oldMigrations(root, spec.Manifest)
	if err != nil {
		return nil, err
	}
	stale = append(stale, old...)
	p := &Plan{Root: root, Files: files, Changes: append(changes, stale...)}
	return p, errors.Join(planErr, Redeclared(root, spec.Manifest, p.Changes))
}

// rewriteMigrations turns the skipped migration files that are authgen's
// text for another SQL dialect (the database changed, say sqlite to
// postgres) into updates to the new dialect's text: they are scaffold
// files, kept while they hold the project's own SQL, but unedited they are
// authgen's and would fail on the new database. A file the user edited is
// left as it is.
func rewriteMigrations(changes []writer.Change, files []generator.File, m *manifest.Manifest) []writer.Change {
	dir := m.Package + "/migrations/"
	for i, c := range changes {
		if c.Action != writer.Skipped || !strings.HasPrefix(c.Path, dir) {
			continue
		}
		if d, ok := generator.MigrationDialect(path.Base(c.Path), c.Old, m); !ok || d == m.Database {
			continue
		}
		for _, f := range files {
			if f.Path == c.Path {
				changes[i].Action, changes[i].Content = writer.Updated, f.Content
			}
		}
	}
	return changes
}

// oldMigrations plans removing authgen's unedited SQL migrations when the
// database is mongodb or none, which have no use for them. A custom store
// may run on the same SQL, so its project keeps them, as it keeps any
// edited file.
func oldMigrations(root string, m *manifest.Manifest) ([]writer.Change, error) {
	if m.Database != manifest.DBMongoDB && m.Database != manifest.DBNone {
		return nil, nil
	}
	names, err := generator.MigrationNames(os.DirFS(root), m)
	if err != nil {
		return nil, err
	}
	var out []writer.Change
	for _, name := range names {
		rel := m.Package + "/migrations/" + name
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("project: %w", err)
		}
		if _, ok := generator.MigrationDialect(name, data, m); ok {
			out = append(out, writer.Change{Path: rel, Action: writer.Removed, Old: data})
		}
	}
	return out, nil
}

// Add appends a change the command makes besides generating.
func (p *Plan) Add(c writer.Change) { p.Changes = append(p.Changes, c) }

// Changed lists the changes that write or remove a file.
func (p *Plan) Changed() []writer.Change {
	var out []writer.Change
	for _, c := range p.Changes {
		if c.Action.Changes() {
			out = append(out, c)
		}
	}
	return out
}

// Apply makes the plan's changes, all or none, then runs then (nil for
// nothing), which may run outside commands after guarding the files they
// change (go.mod and go.sum under go mod tidy). When then fails, every
// change is undone and the error says so (ErrRolledBack).
func (p *Plan) Apply(then func(tx *writer.Tx) error) error {
	tx, err := writer.Begin(p.Root, p.Changes)
	if err != nil {
		return err
	}
	if then != nil {
		if err := then(tx); err != nil {
			if rerr := tx.Rollback(); rerr != nil {
				return fmt.Errorf("%w; undoing the changes failed too: %w", err, rerr)
			}
			return fmt.Errorf("%w\n%w", err, ErrRolledBack)
		}
	}
	return tx.Commit()
}

// Stale plans the removal of the generated files under root that files no
// longer has: authgen's *_gen.go and *_gen_test.go files (first line the
// marker) anywhere in the module are Removed. Such a file in the package
// directory pkg that lacks the marker, and carries no other generator's, is
// Kept: it may be the user's now. Directories tools ignore (testdata, vendor,
// dot and underscore directories, node_modules) and nested modules are
// not searched.
func Stale(root, pkg string, files []generator.File) ([]writer.Change, error) {
	produced := map[string]bool{}
	for _, f := range files {
		produced[f.Path] = true
	}
	pkgDir := filepath.Join(root, filepath.FromSlash(pkg))
	var out []writer.Change
	err := walkModule(root, func(p string) error {
		if !strings.HasSuffix(p, "_gen.go") && !strings.HasSuffix(p, "_gen_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if produced[rel] {
			return nil
		}
		c, err := writer.PlanRemove(root, rel)
		if err != nil {
			return err
		}
		switch {
		case c.Action == writer.Removed:
			out = append(out, c)
		case c.Action == writer.Kept && filepath.Dir(p) == pkgDir && !otherGenerated(c.Old):
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// walkModule calls fn with every regular file of the module at root,
// skipping what the go command skips and nested modules.
func walkModule(root string, fn func(path string) error) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && !errors.Is(err, fs.ErrNotExist) {
				return err // a directory init is to create has no files yet
			}
			return nil
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor" || name == "node_modules" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return fn(p)
	})
}

// otherGenerated reports whether Go source carries some generator's
// "Code generated … DO NOT EDIT." comment.
func otherGenerated(src []byte) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly|parser.ParseComments)
	return err == nil && ast.IsGenerated(f)
}

// Redeclared checks that no file of the user's in the auth package
// declares a name that a generated file of the plan declares, reading each
// file as the plan leaves it. Every clash is named, with file and line.
func Redeclared(root string, m *manifest.Manifest, changes []writer.Change) error {
	pkgDir := filepath.Join(root, filepath.FromSlash(m.Package))
	pkgName := path.Base(m.Package)
	after := map[string][]byte{} // absolute path → content once applied
	for _, c := range changes {
		if c.Action == writer.Removed || path.Dir(c.Path) != m.Package || !strings.HasSuffix(c.Path, ".go") {
			continue
		}
		after[filepath.Join(root, filepath.FromSlash(c.Path))] = c.Content
	}
	entries, err := os.ReadDir(pkgDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", m.Package, err)
	}
	for _, e := range entries {
		p := filepath.Join(pkgDir, e.Name())
		if _, ok := after[p]; ok || e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if generator.IsGenerated(data) {
			continue // a stale generated file: removed
		}
		after[p] = data
	}

	ctxt := build.Default
	ctxt.OpenFile = func(p string) (io.ReadCloser, error) {
		if data, ok := after[p]; ok {
			return io.NopCloser(bytes.NewReader(data)), nil
		}
		return nil, fs.ErrNotExist
	}
	generated := map[string]string{} // name → generated file
	type decl struct{ file, name string }
	var mine []decl
	names := slices.Sorted(func(yield func(string) bool) {
		for p := range after {
			if !yield(p) {
				return
			}
		}
	})
	for _, p := range names {
		data := after[p]
		if ok, err := ctxt.MatchFile(pkgDir, filepath.Base(p)); err != nil || !ok {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, data, parser.SkipObjectResolution)
		// The package and its external tests (authtest_gen_test.go is
		// package <name>_test) are two name spaces.
		if err != nil || (f.Name.Name != pkgName && f.Name.Name != pkgName+"_test") {
			continue
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		isGen := generator.IsGenerated(data)
		for _, d := range topLevel(f) {
			if isGen {
				generated[f.Name.Name+"."+d.name] = rel
			} else {
				mine = append(mine, decl{fmt.Sprintf("%s:%d", rel, fset.Position(d.pos).Line), f.Name.Name + "." + d.name})
			}
		}
	}
	var clashes []string
	clashed := map[string]bool{}
	for _, d := range mine {
		if gen, ok := generated[d.name]; ok {
			name := d.name[strings.IndexByte(d.name, '.')+1:]
			clashes = append(clashes, fmt.Sprintf("  %s: %s is declared here and in %s, which authgen generates", d.file, name, gen))
			clashed[name] = true
		}
	}
	if len(clashes) == 0 {
		return nil
	}
	fix := "rename or delete your declarations: a generated file is rewritten on every run"
	if m.Database == manifest.DBCustom && (clashed["OpenStore"] || clashed["Migrate"]) {
		fix = customStoreUpgrade(m.Package)
	}
	return fmt.Errorf("%w:\n%s\n%s", ErrRedeclared, strings.Join(clashes, "\n"), fix)
}

// customStoreUpgrade is how a custom store written before OpenStore and
// Migrate were generated is brought up to date.
func customStoreUpgrade(pkg string) string {
	return fmt.Sprintf(`OpenStore and Migrate of a custom store are now generated, in %[1]s/store_gen.go, and call
your CustomStore, so that changing database in authgen.yaml never leaves two of them. In %[1]s/store.go:
  - rename func OpenStore(databaseURL string) (*CustomStore, error) to OpenCustomStore;
  - turn func Migrate(ctx context.Context, st *CustomStore) error into the method
    func (st *CustomStore) Migrate(ctx context.Context) error.
%[1]s/store_test.go keeps working as it is. Then run authgen generate again (docs/ADAPTERS.md, "Upgrading").`, pkg)
}

// declared is a top-level name of a Go file and where it is declared;
// methods are named Type.Method.
type declared struct {
	name string
	pos  token.Pos
}

func topLevel(f *ast.File) []declared {
	var out []declared
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				name = receiverType(d.Recv.List[0].Type) + "." + name
			} else if name == "init" {
				continue
			}
			out = append(out, declared{name, d.Name.Pos()})
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out = append(out, declared{s.Name.Name, s.Name.Pos()})
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							out = append(out, declared{n.Name, n.Pos()})
						}
					}
				}
			}
		}
	}
	return out
}

// receiverType is the name of a method's receiver type: T for T, *T, T[K].
func receiverType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return "?"
		}
	}
}

// PlanGoModSpec plans go.mod requiring what spec's code needs — authgen's
// runtime modules from src, third-party modules at the versions generated
// code is tested with (a newer version go.mod already requires is kept),
// and what its deploy targets' files import (runtime/lambda for
// cmd/lambda) — as `go mod edit -require -replace` would; a project
// without go.mod gets one declaring module. go mod tidy completes it
// later, under Plan.Apply's guard.
func PlanGoModSpec(root string, spec generator.Spec, src Source) (writer.Change, error) {
	module := spec.Module
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if errors.Is(err, fs.ErrNotExist) {
		data, err = []byte("module "+module+"\n\ngo "+GoVersion+"\n"), nil
	}
	if err != nil {
		return writer.Change{}, err
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return writer.Change{}, err
	}
	for _, r := range generator.Requirements(spec) {
		switch {
		case !r.Authgen() && semver.Compare(requiredVersion(f, r.Path), r.Version) >= 0:
			// The project's own choice: the pinned version or newer.
		case !r.Authgen():
			err = f.AddRequire(r.Path, r.Version)
		case src.Checkout != "":
			if err = f.AddRequire(r.Path, develVersion); err == nil {
				err = f.AddReplace(r.Path, "", filepath.Join(src.Checkout, filepath.FromSlash(r.Dir)), "")
			}
		case src.Version != "":
			err = f.AddRequire(r.Path, src.Version)
		}
		// Without either (a build without version information), go mod
		// tidy finds the latest release.
		if err != nil {
			return writer.Change{}, fmt.Errorf("go.mod: %w", err)
		}
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return writer.Change{}, fmt.Errorf("go.mod: %w", err)
	}
	return writer.PlanWrite(root, "go.mod", out, 0o644)
}

// requiredVersion is the version go.mod requires path at, or "".
func requiredVersion(f *modfile.File, path string) string {
	for _, r := range f.Require {
		if r.Mod.Path == path {
			return r.Mod.Version
		}
	}
	return ""
}

// GoVersion is the go directive of a go.mod authgen creates.
const GoVersion = generator.GoVersion

// PlanKeys plans a fresh key set at the project's keys file (mode 0600)
// unless the project has one, which must parse: then the change is
// Unchanged.
func PlanKeys(root string) (writer.Change, error) {
	path := KeysFile(root)
	if _, err := os.Stat(path); err == nil {
		if _, err := keys.ReadFile(path); err != nil {
			return writer.Change{}, err
		}
		return writer.Change{Path: keys.DefaultFile, Action: writer.Unchanged}, nil
	}
	ks, err := keys.Generate()
	if err != nil {
		return writer.Change{}, err
	}
	data, err := ks.MarshalJSON()
	if err != nil {
		return writer.Change{}, err
	}
	return writer.PlanWrite(root, keys.DefaultFile, append(data, '\n'), 0o600)
}

// PrintChanges reports what happened to each file that changed, a line
// each ("updated auth/auth_gen.go"); the files left alone, the user's
// scaffold files among them (skipped), are counted on one line. Paths in
// skip are left out (the manifest, which a verb reports first).
func PrintChanges(w io.Writer, changes []writer.Change, skip ...string) {
	unchanged := 0
	for _, c := range changes {
		switch {
		case slices.Contains(skip, c.Path):
		case c.Action == writer.Unchanged || c.Action == writer.Skipped:
			unchanged++
		default:
			fmt.Fprintf(w, "%s %s\n", c.Action, c.Path)
		}
	}
	if unchanged > 0 {
		fmt.Fprintf(w, "(%d other files unchanged)\n", unchanged)
	}
}

// PrintStoreHint tells, on w, which methods the user's CustomStore
// (<package>/store.go of database custom: theirs, never rewritten) must
// gain for the features spec's manifest turns on (twoFactor, passkeys):
// until it implements store.TwoFactors and store.Passkeys, the application
// refuses to start, naming the interface. It prints nothing when store.go
// is missing or has them all.
func PrintStoreHint(w io.Writer, root string, spec generator.Spec) {
	if spec.Manifest == nil {
		return
	}
	name := path.Join(spec.Manifest.Package, "store.go")
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return
	}
	missing := generator.CustomStoreMissing(src, spec)
	if len(missing) == 0 {
		return
	}
	var ifaces []string
	for _, m := range missing {
		if !slices.Contains(ifaces, "store."+m.Interface) {
			ifaces = append(ifaces, "store."+m.Interface)
		}
	}
	fmt.Fprintf(w, "\n%s is yours, so authgen leaves it as it is, and %s needs CustomStore to implement %s: the application refuses to start until it does. Add these methods, or change those marked to the new signature (`go doc github.com/authgen/authgen/runtime/store` has their contracts; a stub may return an error wrapping errors.ErrUnsupported):\n",
		name, manifest.File, strings.Join(ifaces, " and "))
	for _, m := range missing {
		mark := ""
		if m.Changed {
			mark = "  (change: store.go declares it with other parameters)"
		}
		fmt.Fprintf(w, "  %s%s\n", m.Signature, mark)
	}
}
