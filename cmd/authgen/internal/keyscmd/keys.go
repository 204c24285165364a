// Package keyscmd implements "authgen keys": rotate, list, prune and export
// the project's key set.
package keyscmd

import (
	"errors"
	"fmt"
	"strings"
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

	var (
		keep time.Duration
		alg  string
		now  bool
	)
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Add new keys; the old ones verify until their tokens expire (creates a first set if none)",
		Long: `Rotate makes a new signing key and a new encryption key. The keys they
replace keep verifying and decrypting for --keep after the new ones take
over, by default the session maxAge of authgen.yaml (720h unless it says
otherwise), so sessions signed before the rotation stay valid until they
would expire anyway; a shorter --keep ends them sooner (a warning says so),
and --keep 0s ends them now, as after a leak. Without a key set, rotate
creates one. The file is rewritten with mode 0600.

--alg chooses the signing key: HS512 (the default, a secret only the
application holds) or a public-key algorithm — ES256, EdDSA (Ed25519),
RS256 or PS256 (RSA 2048) — whose public key GET {basePath}/jwks publishes,
so that other services verify session tokens without the secret. A new
public key is staged: published at once, it signs only one JWKS cache
lifetime (1h) after the rotation, so services holding a cached JWKS never
meet its kid before they have fetched it. Deploy the new set within that
hour. --now makes it sign at once, and services with a cached JWKS refuse
the new sessions until their cache expires. Encrypted sessions
(session.token: encrypted) stay symmetric whatever --alg says.`,
		Example: `  authgen keys rotate
  # sign sessions with Ed25519, verifiable by other services at /jwks
  authgen keys rotate --alg EdDSA
  # the keys leaked: sign everyone out now
  authgen keys rotate --keep 0s && authgen keys prune
  authgen keys rotate --file /etc/myapp/authgen.keys.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, a := range keys.SigningAlgs {
				if strings.EqualFold(alg, a) {
					alg = a // es256 is ES256
				}
			}
			if strings.EqualFold(alg, "Ed25519") {
				alg = keys.AlgEdDSA // RFC 8037: EdDSA over Ed25519
			}
			if err := usage.OneOf("--alg", alg, keys.SigningAlgs); err != nil {
				return err
			}
			if now && alg == keys.AlgHS512 {
				return usage.Errorf("--now stages nothing with --alg HS512, which signs at once: give --alg ES256, EdDSA, RS256 or PS256, or leave --now out")
			}
			proj := projectSettings()
			maxAge := proj.maxAge
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
				if alg != keys.AlgHS512 {
					// A first set: nobody holds a JWKS yet, nothing to stage.
					if err := ks.RotateWith(time.Now(), keys.RotateOptions{Alg: alg, Now: true}); err != nil {
						return err
					}
					ks.Prune(time.Now())
				}
				if err := ks.WriteFile(p); err != nil {
					return err
				}
				fmt.Fprintf(ios.Out, "created %s (signing with %s)\n", p, alg)
				return nil
			}
			if err != nil {
				return err
			}
			t := time.Now().Truncate(time.Second)
			before := ks.SigningAt(t)
			if err := ks.RotateWith(t, keys.RotateOptions{Alg: alg, Keep: keep, Now: now}); err != nil {
				return err
			}
			if err := ks.WriteFile(p); err != nil {
				return err
			}
			fresh := ks.Signing()
			takesOver := t
			if !fresh.NotBefore.IsZero() {
				takesOver = fresh.NotBefore
			}
			until := takesOver.Add(keep).UTC().Format(time.RFC3339)
			switch {
			case fresh.Asymmetric() && !now:
				fmt.Fprintf(ios.Out, "rotated %s: new %s key %s is published at %s now and signs from %s (staged for the JWKS max-age, %s); the previous keys verify until %s\n",
					p, alg, fresh.ID, proj.jwks, takesOver.UTC().Format(time.RFC3339), age(keys.JWKSMaxAge), until)
				fmt.Fprintf(ios.Out, "deploy the new set before %s, or sessions it signs reach instances without it\n", takesOver.UTC().Format(time.RFC3339))
			case fresh.Asymmetric():
				fmt.Fprintf(ios.Out, "rotated %s: new %s key %s signs now; the previous keys verify until %s\n", p, alg, fresh.ID, until)
				fmt.Fprintf(ios.ErrOut, "warning: --now skips staging: a service that cached %s before this key was published (for up to %s) refuses the sessions it signs — unknown kid — until its cache expires or it fetches the set again\n", proj.jwks, age(keys.JWKSMaxAge))
			default:
				fmt.Fprintf(ios.Out, "rotated %s: new keys are active; the previous ones verify until %s\n", p, until)
			}
			if before.Asymmetric() && !fresh.Asymmetric() {
				fmt.Fprintf(ios.ErrOut, "warning: the signing key was %s and is now HS512: services verifying sessions with %s cannot verify the new ones\n", before.Alg, proj.jwks)
			}
			fmt.Fprintln(ios.Out, "redeploy (or update AUTH_KEYS: `authgen keys export`) so every instance has the new set")
			return nil
		},
	}
	rotate.Flags().DurationVar(&keep, "keep", session.DefaultMaxAge, "how long the replaced keys keep verifying (default: the session maxAge of authgen.yaml)")
	rotate.Flags().StringVar(&alg, "alg", keys.AlgHS512, "signing algorithm: HS512, ES256, EdDSA, RS256 or PS256")
	rotate.Flags().BoolVar(&now, "now", false, "a public key signs at once instead of after the JWKS max-age (services with a cached JWKS refuse its sessions until it expires)")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the keys (never their secrets)",
		Long: `List prints each key's kid, use, algorithm, state and age. A signing key
is signing, staged until a time (published at {basePath}/jwks, not signing
yet), verifying only until a time, or expired (prune it); an encryption
key is active, decrypting only until a time, or expired.`,
		Example: `  authgen keys list
  authgen keys list --file /etc/myapp/authgen.keys.json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, ks, err := load()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KID\tUSE\tALG\tSTATE\tAGE")
			now := time.Now()
			for _, k := range ks.Keys() {
				state := string(ks.State(k.ID, now))
				switch ks.State(k.ID, now) {
				case keys.StateStaged:
					state = "staged until " + k.NotBefore.UTC().Format(time.RFC3339)
				case keys.StateVerifying:
					if k.Use == keys.UseEnc {
						state = "decrypting only"
					}
					if !k.Expires.IsZero() {
						state += " until " + k.Expires.UTC().Format(time.RFC3339)
					}
				case keys.StateExpired:
					state = "expired (prune it)"
				}
				added := "-" // made by init, or before authgen recorded it
				if !k.Added.IsZero() {
					added = age(now.Sub(k.Added))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Use, k.Alg, state, added)
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
		Long: `Export prints the whole key set — private keys, symmetric secrets, and
each key's times (iat, nbf, exp) — as one line of JSON, the value of
AUTH_KEYS. It is a secret: the public keys services need are at
GET {basePath}/jwks.`,
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

// settings are what keys commands read from the project's authgen.yaml:
// how long sessions live (session.maxAge) and where the JWKS is served
// (basePath + "/jwks"), else (no project, no such key) the defaults.
type settings struct {
	maxAge time.Duration
	jwks   string
}

// projectSettings reads the settings of the project around the working
// directory.
func projectSettings() settings {
	s := settings{maxAge: session.DefaultMaxAge, jwks: manifest.DefaultBasePath + "/jwks"}
	p, err := project.Load(".")
	if err != nil {
		return s
	}
	m := p.Manifest
	if m.Session.MaxAge > 0 {
		s.maxAge = m.Session.MaxAge
	}
	if m.BasePath != "" {
		s.jwks = m.BasePath + "/jwks"
	}
	return s
}

// age writes a duration as people read a key's age: whole days from two
// days, whole hours from an hour, else whole minutes.
func age(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", max(d, 0)/time.Minute)
}
