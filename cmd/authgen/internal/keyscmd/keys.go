// Package keyscmd implements "authgen keys": rotate, list, prune and export
// the project's key set.
package keyscmd

import (
	"errors"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator/manifest"
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
read it from AUTH_KEYS, the file named by AUTH_KEYS_FILE, or that file.

Every verb warns when the file is readable by group or others (the keys let
anyone who reads them forge sessions): run chmod 600 on it, and rotate the
keys if others may have read them.`,
		Example: `  authgen keys list
  authgen keys rotate
  authgen keys export`,
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
	// load reads the key set the verbs work on, warning when its file is
	// readable by group or others.
	load := func() (string, *keys.Set, error) {
		p, err := path()
		if err != nil {
			return "", nil, err
		}
		ks, err := keys.ReadFile(p)
		if err == nil && ks.Warning() != nil {
			fmt.Fprintln(ios.ErrOut, "warning:", ks.Warning())
		}
		return p, ks, err
	}

	var keep time.Duration
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Add new active keys; the old ones verify until their tokens expire (creates a first set if none)",
		Long: `Rotate makes a new signing key and a new encryption key, which sign and
encrypt from now on. The keys they replace keep verifying and decrypting
for --keep, by default the session maxAge of authgen.yaml (720h unless it
says otherwise), so sessions signed before the rotation stay valid until
they would expire anyway; a shorter --keep ends them sooner (a warning
says so), and --keep 0s ends them now, as after a leak. Without a key set,
rotate creates one. The file is rewritten with mode 0600.`,
		Example: `  authgen keys rotate
  # the keys leaked: sign everyone out now
  authgen keys rotate --keep 0s && authgen keys prune
  authgen keys rotate --file /etc/myapp/authgen.keys.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			maxAge := sessionMaxAge()
			switch {
			case keep < 0:
				return usage.Errorf("--keep %s: give how long the replaced keys keep verifying, such as %s (the session maxAge), or 0s to end their sessions now", keep, maxAge)
			case !cmd.Flags().Changed("keep"):
				keep = maxAge
			case keep < maxAge:
				fmt.Fprintf(ios.ErrOut, "warning: --keep %s is shorter than the session maxAge (%s): sessions signed before now end after %s\n", keep, maxAge, keep)
			}
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
	rotate.Flags().DurationVar(&keep, "keep", session.DefaultMaxAge, "how long the replaced keys keep verifying (default: the session maxAge of authgen.yaml)")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the keys (never their secrets)",
		Example: `  authgen keys list
  authgen keys list --file /etc/myapp/authgen.keys.json`,
		Args: cobra.NoArgs,
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
		Use:     "prune",
		Short:   "Remove retired keys whose tokens have all expired",
		Example: `  authgen keys prune`,
		Args:    cobra.NoArgs,
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
		Example: `  authgen keys export
  # into a Kubernetes secret
  kubectl create secret generic myapp-auth --from-literal=AUTH_KEYS="$(authgen keys export)"`,
		Args: cobra.NoArgs,
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

// sessionMaxAge is how long the project's sessions live: session.maxAge
// of its authgen.yaml, else (no project, no such key) the runtime's
// default.
func sessionMaxAge() time.Duration {
	root, err := project.Root(".")
	if err != nil {
		return session.DefaultMaxAge
	}
	m, err := manifest.Read(filepath.Join(root, manifest.File))
	if err != nil || m.Session.MaxAge <= 0 {
		return session.DefaultMaxAge
	}
	return m.Session.MaxAge
}
