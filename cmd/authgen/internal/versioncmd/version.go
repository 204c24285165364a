// Package versioncmd implements "authgen version".
package versioncmd

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
)

// Version returns authgen's module version: the released version, or
// "devel" with the source directory for a checkout build.
func Version() string {
	if dir, ok := project.SourceCheckout(); ok {
		return "devel (" + dir + ")"
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// New returns the version command.
func New(ios *iostreams.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print authgen's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(ios.Out, "authgen", Version())
			return err
		},
	}
}
