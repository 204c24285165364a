package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
)

// ErrNoManifest reports a module authgen has not been set up in.
var ErrNoManifest = errors.New("no " + manifest.File + " at the module root (run `authgen init` first)")

// Project is a Go module authgen is set up in, as a command finds it:
// go.mod is read once, here, and what needs it is given GoMod.
type Project struct {
	// Root is the module root, where go.mod and authgen.yaml are.
	Root string
	// Module is go.mod's module path.
	Module string
	// GoMod is go.mod's content as Load read it.
	GoMod []byte
	// Manifest is authgen.yaml, parsed and validated.
	Manifest *manifest.Manifest
}

// Load finds the module at or above dir (Root) and reads its go.mod and
// its authgen.yaml; a module without authgen.yaml is ErrNoManifest.
func Load(dir string) (*Project, error) {
	root, err := Root(dir)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	module, err := modulePath(root, data)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(root, manifest.File)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", root, ErrNoManifest)
	}
	m, err := manifest.Read(path)
	if err != nil {
		return nil, err
	}
	return &Project{Root: root, Module: module, GoMod: data, Manifest: m}, nil
}

// Spec is the generator's input for the project: its module path and its
// authgen.yaml.
func (p *Project) Spec() generator.Spec {
	return generator.Spec{Module: p.Module, Manifest: p.Manifest}
}

// Source is where the project already gets authgen's runtime
// (ProjectSource).
func (p *Project) Source() Source { return ProjectSource(p.Root, p.GoMod) }

// PlanRegenerate plans what `authgen generate` does to the project:
// PlanGenerate from its Spec, and go.mod when the generated files import
// modules it does not provide (missing lists them), planned by
// PlanGoModSpec from the project's Source. A plan that was refused (files
// without the marker, paths that cannot be written, clashing declarations)
// comes with its error, for a diff to show; a nil plan is an error alone.
// `authgen generate`, its --check, `authgen diff` and doctor's generated
// check all plan with it, so that they never disagree.
func (p *Project) PlanRegenerate(opts writer.Options) (plan *Plan, missing []string, err error) {
	spec := p.Spec()
	plan, err = PlanGenerate(p.Root, spec, opts)
	if plan == nil {
		return nil, nil, err
	}
	missing, merr := MissingModules(p.GoMod, spec, plan.Files)
	if merr != nil || len(missing) == 0 {
		return plan, nil, errors.Join(err, merr)
	}
	mod, merr := PlanGoModSpec(p.Root, spec, p.Source())
	if merr != nil {
		return plan, nil, errors.Join(err, merr)
	}
	plan.Add(mod)
	return plan, missing, err
}

// Tidy returns the step of Plan.Apply that completes go.mod once the
// plan's files are in place: it guards go.mod and go.sum, so that a
// failure restores them with every other file, says on out that go mod
// tidy runs — naming missing, the modules go.mod does not provide, when
// there are any — and runs it at root, go's own lines on progress.
func Tidy(ctx context.Context, root string, missing []string, out, progress io.Writer) func(*writer.Tx) error {
	return func(tx *writer.Tx) error {
		if err := tx.Guard("go.mod", "go.sum"); err != nil {
			return err
		}
		if len(missing) > 0 {
			fmt.Fprintf(out, "go.mod does not provide %s: running go mod tidy…\n", strings.Join(missing, ", "))
		} else {
			fmt.Fprintln(out, "running go mod tidy…")
		}
		_, err := Go(ctx, root, progress, "mod", "tidy")
		return err
	}
}

// PrintSkippedTidy tells, on w, which modules go.mod does not provide
// after a command that left go mod tidy to the user (--skip-tidy); it
// prints nothing when missing is empty.
func PrintSkippedTidy(w io.Writer, missing []string) {
	if len(missing) > 0 {
		fmt.Fprintf(w, "go.mod does not provide %s: run `go mod tidy`.\n", strings.Join(missing, ", "))
	}
}
