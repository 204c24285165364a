package providercmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/runtime/env"
)

// AddOptions are the inputs of "authgen add provider".
type AddOptions struct {
	// Name is the catalog entry ("github", or "oidc"/"oauth" for a generic
	// provider).
	Name string
	// ID is the provider's id in URLs and variables; default Name.
	ID       string
	Issuer   string
	BaseURL  string
	Force    bool
	SkipTidy bool
}

// NewAdd returns the add command with its provider verb.
func NewAdd(ios *iostreams.IOStreams) *cobra.Command {
	add := &cobra.Command{
		Use:   "add",
		Short: "Add to the project's authentication (add provider NAME, add adapter custom, add target lambda|container)",
		Example: `  authgen add provider google
  authgen add adapter custom
  authgen add target lambda`,
		Args: cobra.ArbitraryArgs,
		RunE: parentRun("add"),
	}
	o := &AddOptions{}
	provider := &cobra.Command{
		Use:   "provider NAME",
		Short: "Add a sign-in provider to authgen.yaml and regenerate",
		Long: `Add provider records a provider in authgen.yaml (comments and layout
kept), regenerates the auth package as "authgen generate" does, appends the
provider's AUTH_<ID>_* placeholders to .env.example and prints where to
register the app, the callback URL to register (on AUTH_URL from the
environment or the project's .env, else http://localhost:3000) and the
variables to set, required or optional.

NAME is a catalog id (see "authgen providers"), or "oidc" for any OpenID
Connect provider and "oauth" for any OAuth 2.0 provider. --id names the
provider in URLs and variables (default NAME), so one catalog entry can be
added twice, such as github.com and a GitHub Enterprise Server.

Adding a provider that is configured the same way changes nothing.`,
		Example: `  authgen add provider google
  authgen add provider github --id github-enterprise --base-url https://github.example.com
  authgen add provider oidc --id corp --issuer https://idp.example.com`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New("add provider takes one NAME, such as github (`authgen providers` lists the catalog)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			return Add(cmd.Context(), ios, *o)
		},
	}
	f := provider.Flags()
	f.StringVar(&o.ID, "id", "", "the provider's id in callback URLs and AUTH_<ID>_* variables (default NAME)")
	f.StringVar(&o.Issuer, "issuer", "", "OpenID Connect issuer URL (https)")
	f.StringVar(&o.BaseURL, "base-url", "", "base URL of a self-hosted instance, such as GitHub Enterprise Server (https)")
	f.BoolVar(&o.Force, "force", false, "overwrite generated files that lack the authgen marker")
	f.BoolVar(&o.SkipTidy, "skip-tidy", false, "do not run go mod tidy when go.mod lacks a module the code needs")
	add.AddCommand(provider)
	return add
}

// Add runs "authgen add provider".
func Add(ctx context.Context, ios *iostreams.IOStreams, o AddOptions) error {
	p, err := load()
	if err != nil {
		return err
	}
	entry, ok := catalog.Lookup(o.Name)
	if !ok {
		if have, ok := p.Manifest.Provider(o.Name); ok {
			return fmt.Errorf("%q is not a catalog id, but authgen.yaml already has a provider with that id (kind %s)", o.Name, have.CatalogID())
		}
		return unknownProvider(o.Name)
	}
	want, err := providerFor(entry, o)
	if err != nil {
		return usage.Wrap(err) // each names its flag
	}
	if entry.IsPasskey() && p.Manifest.Database == manifest.DBNone {
		return fmt.Errorf("passkeys need a database, which keeps each user's passkeys, and %s has database: none: choose one (`authgen init --force` starts over, or set database in %s and run `authgen generate`), then add passkey; nothing was changed", manifest.File, manifest.File)
	}
	if entry.IsEmail() && p.Manifest.Database == manifest.DBNone {
		return fmt.Errorf("e-mail sign-in needs a database, which keeps the users and the sign-in tokens (as in Auth.js), and %s has database: none: choose one (`authgen init --force` starts over, or set database in %s and run `authgen generate`), then add email; nothing was changed", manifest.File, manifest.File)
	}

	added, err := p.Manifest.AddProvider(want)
	if errors.Is(err, manifest.ErrProviderExists) {
		have, _ := p.Manifest.Provider(want.ID)
		return conflict(have, want, o)
	}
	if err != nil {
		return err
	}
	files, err := generator.Generate(p.Spec())
	if err != nil {
		return err
	}
	if err := collisions(files, want.ID); err != nil {
		return err
	}
	// setup says what to do next; checkEnv confirms .env.example has the
	// variables.
	setup, checkEnv := emailSetup(ios, p), func() error { return checkEmailEnvExample(p) }
	switch {
	case entry.IsPasskey():
		setup, checkEnv = passkeySetup(ios, p), func() error { return nil }
	case entry.IsCredentials():
		setup, checkEnv = formSetup(ios, p, entry), func() error { return nil }
		if entry.ID == manifest.LDAPProviderID {
			checkEnv = func() error { return checkEnvExample(p.Root, generator.LDAPVars()) }
		}
	case !entry.IsEmail():
		spec, err := generator.ProviderEnv(want, callbackURL(p.Root, p.Manifest, want.ID))
		if err != nil {
			return err
		}
		setup = func() { printSetup(ios, spec, want) }
		checkEnv = func() error { return checkEnvExample(p.Root, spec.Vars()) }
	}
	if !added {
		fmt.Fprintf(ios.Out, "%s is already configured in %s: nothing changed.\n", want.ID, manifest.File)
		if plan, err := project.PlanGenerate(p.Root, p.Spec(), writer.Options{}); err == nil && len(plan.Changed()) > 0 {
			fmt.Fprintln(ios.Out, "The generated files are out of date: run `authgen generate`.")
		}
		setup()
		return nil
	}

	// Plan the manifest, the regenerated files and, when go.mod lacks
	// what they import, go.mod; make them all or none. go mod tidy runs
	// once they are in place, and its failure undoes them.
	plan, err := p.plan(o.Force)
	if err != nil {
		return err
	}
	missing, err := project.MissingModules(p.GoMod, p.Spec(), files)
	if err != nil {
		return err
	}
	var tidy func(*writer.Tx) error
	if len(missing) > 0 {
		mod, err := project.PlanGoModSpec(p.Root, p.Spec(), p.Source())
		if err != nil {
			return err
		}
		plan.Add(mod)
		if !o.SkipTidy {
			tidy = project.Tidy(ctx, p.Root, missing, ios.Out, ios.ErrOut)
		}
	}
	if err := plan.Apply(tidy); err != nil {
		return err
	}
	fmt.Fprintf(ios.Out, "Added %s (%s) to %s.\n", want.ID, entry.Name, manifest.File)
	fmt.Fprintf(ios.Out, "updated %s\n", manifest.File)
	project.PrintChanges(ios.Out, plan.Changes, manifest.File)
	if err := checkEnv(); err != nil {
		fmt.Fprintln(ios.ErrOut, "warning:", err)
	}
	if o.SkipTidy {
		project.PrintSkippedTidy(ios.Out, missing)
	}
	fmt.Fprintln(ios.Out)
	setup()
	return nil
}

// providerFor validates the flags against the catalog entry and returns the
// manifest entry they describe.
func providerFor(e *catalog.Provider, o AddOptions) (manifest.Provider, error) {
	if e.IsEmail() {
		switch {
		case o.ID != "" && o.ID != e.ID:
			return manifest.Provider{}, fmt.Errorf("--id %q: e-mail sign-in's id is always %s (its routes are /signin/%s and /callback/%s): leave --id out", o.ID, e.ID, e.ID, e.ID)
		case o.Issuer != "":
			return manifest.Provider{}, errors.New("--issuer: e-mail sign-in is no OpenID Connect provider and has no issuer")
		case o.BaseURL != "":
			return manifest.Provider{}, errors.New("--base-url: e-mail sign-in has no self-hosted variant; its mail server is AUTH_EMAIL_SERVER")
		}
		return manifest.Provider{ID: e.ID}, nil
	}
	if e.IsPasskey() {
		switch {
		case o.ID != "" && o.ID != e.ID:
			return manifest.Provider{}, fmt.Errorf("--id %q: passkeys' id is always %s (their routes are /signin/%s/options and /callback/%s): leave --id out", o.ID, e.ID, e.ID, e.ID)
		case o.Issuer != "":
			return manifest.Provider{}, errors.New("--issuer: passkeys are no OpenID Connect provider and have no issuer")
		case o.BaseURL != "":
			return manifest.Provider{}, errors.New("--base-url: passkeys have no self-hosted variant: their relying party is AUTH_URL's host")
		}
		return manifest.Provider{ID: e.ID}, nil
	}
	if e.IsCredentials() {
		switch {
		case o.ID != "" && o.ID != e.ID:
			return manifest.Provider{}, fmt.Errorf("--id %q: the %s sign-in form's id is always %s (its route is /callback/%s): leave --id out", o.ID, e.Name, e.ID, e.ID)
		case o.Issuer != "":
			return manifest.Provider{}, fmt.Errorf("--issuer: %s is a sign-in form, no OpenID Connect provider, and has no issuer", e.Name)
		case o.BaseURL != "" && e.ID == manifest.LDAPProviderID:
			return manifest.Provider{}, errors.New("--base-url: LDAP is a sign-in form, no OAuth provider: its directory is AUTH_LDAP_URL")
		case o.BaseURL != "":
			return manifest.Provider{}, fmt.Errorf("--base-url: %s is a sign-in form and has no self-hosted variant", e.Name)
		}
		return manifest.Provider{ID: e.ID}, nil
	}
	p := manifest.Provider{ID: o.ID, Issuer: o.Issuer, BaseURL: strings.TrimRight(o.BaseURL, "/")}
	if p.ID == "" {
		p.ID = e.ID
	}
	if !manifest.ValidID(p.ID) {
		return p, fmt.Errorf("--id %q: an id is lower-case letters, digits and -, not starting with -", p.ID)
	}
	if p.ID != e.ID {
		p.Kind = e.ID
	}
	if o.Issuer != "" {
		if e.Type != catalog.OIDC {
			return p, fmt.Errorf("--issuer: %s is an %s provider; only OpenID Connect providers have an issuer", e.Name, typeName(e.Type))
		}
		if err := checkURL("--issuer", o.Issuer); err != nil {
			return p, err
		}
	}
	if o.BaseURL != "" {
		if e.BaseURL == nil {
			hint := ""
			if e.NeedsEndpoints {
				hint = fmt.Sprintf(" (set its endpoints with AUTH_%s_AUTHORIZATION_URL, _TOKEN_URL and _USERINFO_URL)", catalog.EnvName(p.ID))
			} else if e.Type == catalog.OIDC {
				hint = " (use --issuer)"
			}
			return p, fmt.Errorf("--base-url: %s has no self-hosted variant%s", e.Name, hint)
		}
		if err := checkURL("--base-url", o.BaseURL); err != nil {
			return p, err
		}
	}
	return p, nil
}

func typeName(t catalog.Type) string {
	switch t {
	case catalog.OAuth1:
		return "OAuth 1.0a"
	case catalog.OIDC:
		return "OpenID Connect"
	}
	return "OAuth 2.0"
}

// conflict explains an id that is configured differently.
func conflict(have, want manifest.Provider, o AddOptions) error {
	var diffs []string
	if have.CatalogID() != want.CatalogID() {
		diffs = append(diffs, "kind "+have.CatalogID())
	}
	if have.Issuer != want.Issuer {
		diffs = append(diffs, "issuer "+orNone(have.Issuer))
	}
	if have.BaseURL != want.BaseURL {
		diffs = append(diffs, "baseUrl "+orNone(have.BaseURL))
	}
	if o.ID == "" {
		return fmt.Errorf("provider %s is already configured in %s with %s: to add a second one, give it another id with --id; to change it, edit %s and run `authgen generate`",
			want.ID, manifest.File, strings.Join(diffs, ", "), manifest.File)
	}
	return fmt.Errorf("--id %s is already used in %s by a provider with %s: choose another --id, or run `authgen remove provider %s` first",
		want.ID, manifest.File, strings.Join(diffs, ", "), want.ID)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// checkEnvExample confirms the variables reached .env.example.
func checkEnvExample(root string, vars []env.Var) error {
	data, err := os.ReadFile(filepath.Join(root, ".env.example"))
	if err != nil {
		return err
	}
	var missing []string
	for _, v := range vars {
		if !v.Advanced && !strings.Contains("\n"+string(data), "\n"+v.Name+"=") {
			missing = append(missing, v.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf(".env.example lacks %s", strings.Join(missing, ", "))
	}
	return nil
}

// emailVars are the variables e-mail sign-in adds to the project's, from
// runtime/env's table.
func emailVars(p *proj) []env.Var {
	spec := p.Spec()
	without := *spec.Manifest
	without.Providers = slices.DeleteFunc(slices.Clone(without.Providers), func(mp manifest.Provider) bool { return mp.CatalogID() == manifest.EmailProviderID })
	before := generator.AppEnv(generator.Spec{Manifest: &without, App: spec.App}).Vars()
	var out []env.Var
	for _, v := range generator.AppEnv(spec).Vars() {
		if _, ok := env.Lookup(before, v.Name); !ok {
			out = append(out, v)
		}
	}
	return out
}

// checkEmailEnvExample confirms e-mail sign-in's variables reached
// .env.example.
func checkEmailEnvExample(p *proj) error { return checkEnvExample(p.Root, emailVars(p)) }

// emailSetup returns what printSetup is for e-mail sign-in: how the mail
// goes out, and its variables.
func emailSetup(ios *iostreams.IOStreams, p *proj) func() {
	return func() {
		w := ios.Out
		fmt.Fprintf(w, "E-mail sign-in: on http://localhost the app logs each sign-in link and code (the console sender);\n")
		fmt.Fprintf(w, "to send them, and on any https AUTH_URL, where the app refuses to start without it, set (placeholders are in .env.example):\n")
		printVars(w, emailVars(p), "")
		fmt.Fprintf(w, "The mail's text is yours: %s/email/sign-in.html and sign-in.txt.\n", p.Manifest.Package)
	}
}

// passkeySetup returns what printSetup is for passkeys: where users
// register them, what the relying party is, and, for a custom store, the
// methods it must implement.
func passkeySetup(ios *iostreams.IOStreams, p *proj) func() {
	return func() {
		w := ios.Out
		fmt.Fprintf(w, "Passkeys: a signed-in user registers them at %s/passkeys (linked from %s/account),\n", p.Manifest.BasePath, p.Manifest.BasePath)
		fmt.Fprintf(w, "and the sign-in page gets a \"Sign in with a passkey\" button. The relying party is AUTH_URL's host\n")
		fmt.Fprintf(w, "(cookieDomain when set); nothing to configure. Passkeys attach to users who signed in another way;\n")
		fmt.Fprintf(w, "to let visitors sign up with a passkey, set passkey.signup: true in %s and run `authgen generate`.\n", manifest.File)
		project.PrintStoreHint(w, p.Root, p.Spec())
	}
}

// formSetup returns what printSetup is for a sign-in form: where its
// Authorize is (credentials), or the directory's variables (ldap).
func formSetup(ios *iostreams.IOStreams, p *proj, e *catalog.Provider) func() {
	return func() {
		w := ios.Out
		if e.ID != manifest.LDAPProviderID {
			fmt.Fprintf(w, "The sign-in page now has a username and password form. Nobody can sign in with it until you\n")
			fmt.Fprintf(w, "write %s/credentials.go's findUser and updatePasswordHash: Authorize checks your own users\n", p.Manifest.Package)
			fmt.Fprintf(w, "table with password.Verify (argon2id, or bcrypt re-hashed to argon2id). The file is yours.\n")
			return
		}
		fmt.Fprintf(w, "LDAP sign-in checks usernames and passwords against your directory; set (placeholders are in .env.example):\n")
		printVars(w, generator.LDAPVars(), "")
		fmt.Fprintf(w, "The user's groups reach the JWT callback (%s/callbacks.go) as in.Profile's Claims[\"groups\"].\n", p.Manifest.Package)
	}
}

// printSetup tells where to register the OAuth app and what to set: the
// provider's variables from runtime/env's table, required ones first.
func printSetup(ios *iostreams.IOStreams, spec env.ProviderSpec, p manifest.Provider) {
	w := ios.Out
	where := spec.Where()
	fmt.Fprintf(w, "%s: register an OAuth app %s\n", spec.Name, spec.At())
	fmt.Fprintf(w, "with the callback URL %s\n", spec.CallbackURL)
	fmt.Fprintln(w, "then set (placeholders are in .env.example):")
	printVars(w, spec.Vars(), where)
	if p.Issuer != "" {
		fmt.Fprintf(w, "The issuer %s is set in %s.\n", p.Issuer, manifest.File)
	}
	if p.BaseURL != "" {
		fmt.Fprintf(w, "The base URL %s is set in %s.\n", p.BaseURL, manifest.File)
	}
}

// printVars lists vars (not the advanced ones), with whether each is
// required and what it is; where is the provider's place for hints.
func printVars(w io.Writer, vars []env.Var, where string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, v := range vars {
		if v.Advanced {
			continue
		}
		what := v.Description
		if h := v.Hint(where); h != "" {
			what = h
		}
		if v.Default != "" {
			what += "; default " + v.Default
		}
		req := "optional"
		if v.Required {
			req = "required"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, req, what)
	}
	tw.Flush()
}

// collisions reports generated files that declare the same Go name: two
// ids that make the same identifier ("git-hub" and "github" both give
// GitHubProfile) would not compile.
func collisions(files []generator.File, id string) error {
	declared := map[string]string{}
	for _, f := range files {
		if f.Kind != generator.Generated || !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		for _, name := range declarations(f.Content) {
			if name == "init" || name == "_" {
				continue
			}
			if other, ok := declared[name]; ok && other != f.Path && filepath.Dir(other) == filepath.Dir(f.Path) {
				return fmt.Errorf("--id %s: its generated Go names collide with another provider's (%s in %s and %s); choose another --id", id, name, other, f.Path)
			}
			declared[name] = f.Path
		}
	}
	return nil
}
