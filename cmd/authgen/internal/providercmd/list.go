package providercmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/generator/catalog"
)

// Entry is a catalog entry as --json prints it.
type Entry struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Docs    string `json:"docs"`
	Console string `json:"console"`
}

// NewList returns the providers command.
func NewList(ios *iostreams.IOStreams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "providers [FILTER]",
		Short: "List the providers authgen can generate",
		Long: `Providers lists the catalog: each provider's id (the NAME of "authgen add
provider"), display name, protocol (oauth, oidc or oauth1; email, credentials
and passkey for e-mail sign-in, sign-in forms and passkeys) and documentation.
FILTER keeps the providers whose id or name contains it, ignoring case.
Inside a project, providers its authgen.yaml configures are marked with *.`,
		Example: `  authgen providers
  authgen providers azure
  authgen providers --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			filter := ""
			if len(args) == 1 {
				filter = args[0]
			}
			return List(ios, filter, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of {id, name, type, docs, console}")
	return cmd
}

// List runs "authgen providers".
func List(ios *iostreams.IOStreams, filter string, asJSON bool) error {
	f := strings.ToLower(filter)
	var entries []*catalog.Provider
	for _, e := range catalog.All() {
		if strings.Contains(e.ID, f) || strings.Contains(strings.ToLower(e.Name), f) {
			entries = append(entries, e)
		}
	}
	if asJSON {
		out := make([]Entry, 0, len(entries))
		for _, e := range entries {
			out = append(out, Entry{ID: e.ID, Name: e.Name, Type: string(e.Type), Docs: e.Docs, Console: e.Console})
		}
		enc := json.NewEncoder(ios.Out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(entries) == 0 {
		msg := fmt.Sprintf("no provider's id or name contains %q", filter)
		if s := suggest(filter); len(s) > 0 {
			msg += "; did you mean " + orList(s) + "?"
		}
		return errors.New(msg)
	}

	configured := configuredKinds(ios)
	tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tNAME\tTYPE\tDOCS")
	marked := false
	for _, e := range entries {
		mark := " "
		if configured[e.ID] {
			mark, marked = "*", true
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", mark, e.ID, e.Name, e.Type, e.Docs)
	}
	tw.Flush()
	if marked {
		fmt.Fprintln(ios.Out, "* configured in authgen.yaml")
	}
	return nil
}

// configuredKinds returns the catalog ids the current project's manifest
// uses; none outside a project.
func configuredKinds(ios *iostreams.IOStreams) map[string]bool {
	out := map[string]bool{}
	p, err := load()
	if err != nil {
		if !errors.Is(err, project.ErrNoManifest) && !errors.Is(err, project.ErrNoModule) {
			fmt.Fprintf(ios.ErrOut, "warning: %v (configured providers are not marked)\n", err)
		}
		return out
	}
	for _, mp := range p.Manifest.Providers {
		out[mp.CatalogID()] = true
	}
	return out
}
