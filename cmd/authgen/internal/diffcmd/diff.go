// Package diffcmd implements "authgen diff": what "authgen generate" would
// change, as a unified diff, without changing anything or failing.
package diffcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/generatecmd"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/generator/writer"
)

// New returns the diff command.
func New(ios *iostreams.IOStreams) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Show what `authgen generate` would change, as a unified diff",
		Long: `Diff prints what "authgen generate" would change — generated files
rewritten, created or removed, scaffold files written, lines appended to
.gitignore and .env.example — as a unified diff, and changes nothing. It
exits 0 whatever it finds ("authgen generate --check" exits 1 when there is
a difference). What generate would refuse (a file without the authgen
marker, a declaration of yours that clashes with a generated one) is
reported on stderr.`,
		Example: `  authgen diff
  authgen diff | less -R
  authgen diff --force   # what generate --force would overwrite`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			p, _, _, err := generatecmd.Plan(writer.Options{Force: force})
			if p == nil {
				return err
			}
			generatecmd.PrintDiff(ios.Out, p)
			if err != nil {
				fmt.Fprintf(ios.ErrOut, "warning: authgen generate would refuse: %v\n", err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "show what generate --force would do: overwrite files without the marker, and scaffold files")
	return cmd
}
