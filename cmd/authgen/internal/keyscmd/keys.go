// Package keyscmd implements "authgen keys": rotate, list, prune and export
// the project's key set.
package keyscmd

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/session"
)

// New returns the keys command and its verbs.
func New(ios *iostreams.IOStreams) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage the key set (authgen.keys.json)",
		Long: `The key set signs and encrypts session tokens and cookies. It lives in
authgen.keys.json at the module root (mode 0600, git-ignored); applications
read it from AUTH_KEYS, the file named by AUTH_KEYS_FILE, or that file.`,
	}
	cmd.PersistentFlags().StringVar(&file, "file", "", "key set file (default: authgen.keys.json at the module root)")
	path := func() (string, error) {
		if file != "" {
			return file, nil
		}
		root, err := project.Root(".")
		if err != nil {
			return "", err
		}
		return project.KeysFile(root), nil
	}
	// load reads the key set the verbs work on.
	load := func() (string, *keys.Set, error) {
		p, err := path()
		if err != nil {
			return "", nil, err
		}
		ks, err := keys.ReadFile(p)
		return p, ks, err
	}

	var keep time.Duration
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Add new active keys; the old ones verify until their tokens expire (creates a first set if none)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			p, ks, err := load()
			if errors.Is(err, keys.ErrNoKeys) {
				if ks, err = keys.Generate(); err != nil {
					return err
				}
				if err := ks.WriteFile(p); err != nil {
					return err
				}
				fmt.Fprintf(ios.Out, "created %s\n", p)
				return nil
			}
			if err != nil {
				return err
			}
			now := time.Now()
			if err := ks.Rotate(now, keep); err != nil {
				return err
			}
			if err := ks.WriteFile(p); err != nil {
				return err
			}
			fmt.Fprintf(ios.Out, "rotated %s: new keys are active; the previous ones verify until %s\n", p, now.Add(keep).UTC().Format(time.RFC3339))
			fmt.Fprintln(ios.Out, "redeploy (or update AUTH_KEYS: `authgen keys export`) so every instance has the new set")
			return nil
		},
	}
	rotate.Flags().DurationVar(&keep, "keep", session.DefaultMaxAge, "how long the replaced keys keep verifying (at least the session maxAge)")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the keys (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, ks, err := load()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KID\tUSE\tALG\tSTATE")
			now := time.Now()
			for _, k := range ks.Keys() {
				state := "active"
				switch {
				case !k.Active() && now.Before(k.Expires):
					state = "verify-only until " + k.Expires.UTC().Format(time.RFC3339)
				case !k.Active():
					state = "expired (prune it)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, k.Use, k.Alg, state)
			}
			return tw.Flush()
		},
	}

	prune := &cobra.Command{
		Use:   "prune",
		Short: "Remove retired keys whose tokens have all expired",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			p, ks, err := load()
			if err != nil {
				return err
			}
			n := ks.Prune(time.Now())
			if n > 0 {
				if err := ks.WriteFile(p); err != nil {
					return err
				}
			}
			fmt.Fprintf(ios.Out, "pruned %d key(s)\n", n)
			return nil
		},
	}

	export := &cobra.Command{
		Use:   "export",
		Short: "Print the key set as one line, for AUTH_KEYS in a secret manager",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, ks, err := load()
			if err != nil {
				return err
			}
			data, err := ks.MarshalCompact()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(ios.Out, "%s\n", data)
			return err
		},
	}
	cmd.AddCommand(rotate, list, prune, export)
	return cmd
}
