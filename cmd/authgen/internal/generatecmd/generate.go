// Package generatecmd implements "authgen generate": regenerate the auth
// package from authgen.yaml, or with --check report whether it is current.
package generatecmd

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
)

// ErrStale is returned by --check when files would change.
var ErrStale = errors.New("generated files are out of date (run `authgen generate`)")

// New returns the generate command.
func New(ios *iostreams.IOStreams) *cobra.Command {
	var check, force bool
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Regenerate the auth package from authgen.yaml",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			root, err := project.Root(".")
			if err != nil {
				return err
			}
			module, err := project.ModulePath(root)
			if err != nil {
				return err
			}
			m, err := manifest.Read(filepath.Join(root, manifest.File))
			if err != nil {
				return err
			}
			changes, err := project.Generate(root, module, m, false, writer.Options{Force: force, DryRun: check})
			if err != nil {
				return err
			}
			stale := false
			for _, c := range changes {
				if c.Action == writer.Unchanged {
					continue
				}
				if c.Action != writer.Skipped {
					stale = true
				}
				fmt.Fprintf(ios.Out, "%s %s\n", c.Action, c.Path)
			}
			if check && stale {
				return ErrStale
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "write nothing; fail if any generated file is out of date")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite files without the authgen marker, and scaffold files")
	return cmd
}
