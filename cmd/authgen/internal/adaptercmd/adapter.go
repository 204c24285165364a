// Package adaptercmd implements "authgen add adapter custom": the project
// switches to a store of the user's own, scaffolded against the runtime's
// store interfaces together with a test that runs the conformance suite.
package adaptercmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
)

// docsURL explains how to write a store.
const docsURL = "https://github.com/authgen/authgen/blob/main/docs/ADAPTERS.md"

// Options are the inputs of "authgen add adapter".
type Options struct {
	// Name is the adapter; "custom" is the only one.
	Name string
	// Force overwrites generated files that lack the authgen marker.
	Force bool
}

// New returns the adapter verb, a subcommand of "authgen add".
func New(ios *iostreams.IOStreams) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "adapter custom",
		Short: "Keep users and sessions in a store of your own: scaffold it with its conformance test",
		Long: `Add adapter custom sets database: custom in authgen.yaml (comments and
layout kept; the session strategy stays as it is), regenerates the auth
package as "authgen generate" does, and writes two files that are yours from
then on:

  auth/store.go       CustomStore, with OpenCustomStore, its Migrate and
                      Close, and every method of the runtime's store.Store,
                      each documented with its contract and returning
                      errors.ErrUnsupported
  auth/store_test.go  runs the conformance suite (package storetest) on it

The generated auth/store_gen.go declares OpenStore and Migrate, which the
application calls, on your CustomStore; so does every other database's, so
changing database in authgen.yaml later never leaves two of them.

"go test ./auth/" then fails with "<Method> is not implemented" for every
method still to write. Generated files the project no longer needs are
deleted when they carry authgen's marker; your migrations stay. Existing
files are never overwritten, every change is made or none is, and running
it again changes nothing.`,
		Example: `  authgen add adapter custom
  go test ./auth/`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("add adapter takes one NAME: custom")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			o.Name = args[0]
			return Add(ios, *o)
		},
	}
	cmd.Flags().BoolVar(&o.Force, "force", false, "overwrite generated files that lack the authgen marker")
	return cmd
}

// Add runs "authgen add adapter".
func Add(ios *iostreams.IOStreams, o Options) error {
	if o.Name != manifest.DBCustom {
		return usage.Errorf("unknown adapter %q: the adapter is custom, a store of your own (the databases authgen generates are chosen with `authgen init --db`)", o.Name)
	}
	p, err := project.Load(".")
	if err != nil {
		return err
	}
	root, module, m := p.Root, p.Module, p.Manifest
	was := m.Database
	changed, err := m.SetDatabase(manifest.DBCustom)
	if err != nil {
		return err
	}
	// Regenerate as `authgen generate` does (the old database's generated
	// files that custom does not have are removed), and write the
	// manifest: all or nothing.
	plan, err := project.PlanGenerate(root, p.Spec(), writer.Options{ForceGenerated: o.Force})
	if err != nil {
		return err
	}
	changes := plan.Changes
	if changed {
		data, err := m.Bytes()
		if err != nil {
			return err
		}
		c, err := writer.PlanWrite(root, manifest.File, data, 0o644)
		if err != nil {
			return err
		}
		plan.Add(c)
	}
	if err := plan.Apply(nil); err != nil {
		return err
	}

	w := ios.Out
	pkg := m.Package
	if changed {
		fmt.Fprintf(w, "Switched %s to database: custom (was %s).\n", manifest.File, was)
		fmt.Fprintf(w, "updated %s\n", manifest.File)
	} else {
		fmt.Fprintf(w, "%s already says database: custom.\n", manifest.File)
	}
	project.PrintChanges(w, changes)
	for _, c := range changes {
		if c.Action == writer.Skipped && (c.Path == pkg+"/store.go" || c.Path == pkg+"/store_test.go") && changed {
			fmt.Fprintf(ios.ErrOut, "warning: %s exists and was kept: it must declare CustomStore, OpenCustomStore, CustomStore's Migrate and Close, and the methods of store.Store (see %s)\n", c.Path, docsURL)
		}
	}
	if changed {
		if fi, err := os.Stat(filepath.Join(root, pkg, "migrations")); err == nil && fi.IsDir() {
			fmt.Fprintf(w, "%s/migrations/ is yours and stays: delete it if your store does not use it.\n", pkg)
		}
		if left := leftRequirements(p.GoMod, module, was, m); len(left) > 0 {
			fmt.Fprintf(w, "go.mod still requires %s for the %s store: `go mod tidy` drops what nothing imports.\n", strings.Join(left, ", "), was)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Next:")
	fmt.Fprintf(w, "  1. Implement CustomStore's methods in %s/store.go: the comment on each says\n", pkg)
	fmt.Fprintf(w, "     what it must do (more in %s).\n", docsURL)
	fmt.Fprintf(w, "  2. Run `go test ./%s/` to see which are missing: the conformance test says\n", pkg)
	fmt.Fprintln(w, `     "<Method> is not implemented" for each. It opens the store with`)
	fmt.Fprintf(w, "     TEST_DATABASE_URL; every subtest needs it empty (see %s/store_test.go).\n", pkg)
	fmt.Fprintln(w, "  3. The application opens your store with DATABASE_URL (OpenCustomStore);")
	fmt.Fprintln(w, "     `authgen migrate` runs its Migrate method (or set AUTH_AUTO_MIGRATE=true).")
	return nil
}

// leftRequirements lists the modules go.mod (its content gomod) requires
// for the old database's store that the custom store does not need.
func leftRequirements(gomod []byte, module, was string, m *manifest.Manifest) []string {
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return nil
	}
	old := *m
	old.Database = was
	need := generator.Requirements(generator.Spec{Module: module, Manifest: m})
	var out []string
	for _, r := range generator.Requirements(generator.Spec{Module: module, Manifest: &old}) {
		if slices.Contains(need, r) {
			continue
		}
		if slices.ContainsFunc(f.Require, func(req *modfile.Require) bool { return req.Mod.Path == r.Path }) {
			out = append(out, r.Path)
		}
	}
	return out
}
