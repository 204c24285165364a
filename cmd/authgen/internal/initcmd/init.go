// Package initcmd implements "authgen init": it asks for (or reads from
// flags) the providers, database and session strategy, writes authgen.yaml,
// generates the auth package, writes the key set and tidies go.mod.
package initcmd

import (
	"context"
	"errors"
	"fmt"
	"github.com/authgen/authgen/runtime/email"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/migratecmd"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/prompt"
	"github.com/authgen/authgen/cmd/authgen/internal/targetcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/keys"
)

// Options are init's inputs.
type Options struct {
	Dir          string
	Module       string
	Providers    []string
	Database     string
	Session      string
	SessionStore string
	Token        string
	Router       string
	Issuer       string // of the chosen OpenID Connect provider without a fixed one
	// Targets are the deploy targets whose files to add (generator.Targets).
	Targets        []string
	Yes            bool
	RuntimeReplace string
	SkipTidy       bool
	SkipMigrate    bool
	Force          bool

	// set records which flags were given.
	set map[string]bool
	// issuers are the providers' issuers, by id, from --issuer or the form.
	issuers map[string]string
}

// Defaults used by --yes and offered first by the form. E-mail sign-in
// needs a database: without one (--db none) the default providers leave it
// out (defaultProviders).
var (
	DefaultProviders = []string{"github", manifest.EmailProviderID}
	DefaultDatabase  = manifest.DBSQLite
	DefaultToken     = manifest.TokenSigned
	DefaultRouter    = manifest.RouterNetHTTP
)

// defaultProviders are DefaultProviders for the database db: without e-mail
// sign-in when there is none.
func defaultProviders(db string) []string {
	if db == manifest.DBNone {
		return withoutEmail(DefaultProviders)
	}
	return slices.Clone(DefaultProviders)
}

// withoutEmail is ids without e-mail sign-in.
func withoutEmail(ids []string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == manifest.EmailProviderID })
}

// defaultStrategy is database sessions when there is a database.
func defaultStrategy(db string) string {
	if db == manifest.DBNone {
		return manifest.StrategyJWT
	}
	return manifest.StrategyDatabase
}

// New returns the init command.
func New(ios *iostreams.IOStreams, prompter func() prompt.Prompter) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Add authentication to a Go module (or create one)",
		Long: `Init asks which providers, database, session strategy and router to use, writes
authgen.yaml, generates the auth package, writes a fresh key set
(authgen.keys.json, mode 0600, git-ignored) and runs go mod tidy.

Every question has a flag, and every flag's value is checked before
anything is asked or written. Without a terminal the flags (or --yes for
the defaults: GitHub, SQLite, database sessions, module example.com/DIR)
are required; --accessible asks line by line, from a terminal or a pipe.`,
		Example: `  # ask, in a terminal
  authgen init myapp
  # take every default: GitHub, SQLite, database sessions, module example.com/myapp
  authgen init myapp --yes
  # no database, JWT sessions
  authgen init myapp --module example.com/myapp --providers github,google --db none --session jwt --token encrypted
  # any OpenID Connect provider, with its issuer
  authgen init myapp --providers oidc --issuer https://idp.example.com --yes
  # PostgreSQL, database sessions kept in Redis
  authgen init --providers github --db postgres --session database --session-store redis --yes
  # no database, JWT sessions, deployed on AWS Lambda and in containers
  authgen init myapp --db none --target lambda,container --yes
  # the middleware and the demo main.go for Echo (or chi, gin)
  authgen init myapp --router echo --yes`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Dir = "."
			if len(args) == 1 {
				o.Dir = args[0]
			}
			o.set = map[string]bool{}
			o.issuers = map[string]string{}
			cmd.Flags().Visit(func(f *pflag.Flag) { o.set[f.Name] = true })
			if err := checkFlags(o); err != nil {
				return err
			}
			return run(cmd.Context(), ios, prompter, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Module, "module", "", "module path for a new go.mod (example.com/myapp)")
	f.StringSliceVar(&o.Providers, "providers", nil, "providers to sign in with, comma-separated (see `authgen providers`)")
	f.StringVar(&o.Database, "db", "", "database: "+strings.Join(manifest.Databases, "|"))
	f.StringVar(&o.Session, "session", "", "session strategy: "+strings.Join(strategies, "|"))
	f.StringVar(&o.Token, "token", "", "JWT session protection: "+strings.Join(tokens, "|"))
	f.StringVar(&o.SessionStore, "session-store", "", "keep database sessions in: database (default) or redis (REDIS_URL)")
	f.StringVar(&o.Router, "router", "", "router the middleware and the demo main.go are written for: "+strings.Join(manifest.Routers, "|")+" (default nethttp)")
	f.StringVar(&o.Issuer, "issuer", "", "issuer URL (https) of the chosen OpenID Connect provider without a fixed one, such as oidc or keycloak")
	f.StringSliceVar(&o.Targets, "target", nil, "deploy targets whose files to add, repeated or comma-separated: "+strings.Join(generator.Targets, "|")+" (docs/DEPLOY.md; later: `authgen add target`)")
	f.BoolVar(&o.Yes, "yes", false, "accept the defaults for every choice not given by a flag")
	f.StringVar(&o.RuntimeReplace, "runtime-replace", "", "point go.mod's authgen requirement at this directory (a replace directive)")
	f.BoolVar(&o.SkipTidy, "skip-tidy", false, "do not run go mod tidy")
	f.BoolVar(&o.SkipMigrate, "skip-migrate", false, "do not create the SQLite database (./authgen.db)")
	f.BoolVar(&o.Force, "force", false, "overwrite existing files, even those without the authgen marker")
	return cmd
}

func run(ctx context.Context, ios *iostreams.IOStreams, prompter func() prompt.Prompter, o *Options) error {
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return err
	}
	module, err := project.ModulePath(dir)
	hasGoMod := err == nil
	switch {
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return err
	case hasGoMod && o.Module != "" && o.Module != module:
		return usage.Errorf("--module %s: %s declares module %s; leave --module out to use it", o.Module, filepath.Join(o.Dir, "go.mod"), module)
	case hasGoMod:
		o.Module = module
	}
	if _, err := os.Stat(filepath.Join(dir, manifest.File)); err == nil && !o.Force {
		return fmt.Errorf("%s already exists: this project is initialized (run `authgen generate`, or init --force to start over)", filepath.Join(o.Dir, manifest.File))
	}

	src, err := runtimeSource(o.RuntimeReplace)
	if err != nil {
		return err
	}
	if err := ask(ctx, ios, prompter, o, filepath.Base(dir)); err != nil {
		return err
	}
	m, err := newManifest(o)
	if err != nil {
		return err
	}

	// Plan every change — the generated files, the removal of those an
	// earlier manifest generated (init --force), go.mod, authgen.yaml, the
	// key set — and make them all or none: go mod tidy and the SQLite
	// migration run once the files are in place, and a failure there
	// undoes everything.
	data, err := m.Bytes()
	if err != nil {
		return err
	}
	app := !project.HasMain(dir)
	spec := generator.Spec{Module: o.Module, Manifest: m, App: app, Targets: slices.Compact(slices.Sorted(slices.Values(o.Targets))), Tests: true}
	plan, err := project.PlanGenerate(dir, spec, writer.Options{Force: o.Force})
	if err != nil {
		return err
	}
	mod, err := project.PlanGoModSpec(dir, spec, src)
	if err != nil {
		return err
	}
	man, err := writer.PlanWrite(dir, manifest.File, data, 0o644)
	if err != nil {
		return err
	}
	if man.Action == writer.Updated {
		man.Action = writer.Replaced // init --force starts the manifest over
	}
	ks, err := project.PlanKeys(dir)
	if err != nil {
		return err
	}
	generated := plan.Changes
	plan.Add(mod)
	plan.Add(man)
	plan.Add(ks)
	err = plan.Apply(func(tx *writer.Tx) error {
		if !o.SkipTidy {
			if err := project.Tidy(ctx, dir, nil, ios.Out, ios.ErrOut)(tx); err != nil {
				return err
			}
		}
		if m.Database == manifest.DBSQLite && !o.SkipMigrate {
			if err := tx.Guard(sqliteFiles()...); err != nil {
				return err
			}
			fmt.Fprintln(ios.Out, "migrating sqlite:./authgen.db…")
			if err := migratecmd.Run(ctx, ios.Out, dir, m, migratecmd.DefaultSQLiteURL, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	if mod.Action == writer.Created {
		fmt.Fprintf(ios.Out, "created go.mod (module %s)\n", o.Module)
	} else if mod.Action.Changes() {
		fmt.Fprintf(ios.Out, "%s go.mod\n", mod.Action)
	}
	fmt.Fprintf(ios.Out, "%s %s\n", man.Action, manifest.File)
	for _, c := range generated {
		fmt.Fprintf(ios.Out, "%s %s\n", c.Action, c.Path)
	}
	if ks.Action == writer.Created {
		fmt.Fprintln(ios.Out, "created authgen.keys.json (mode 0600, git-ignored)")
	} else {
		fmt.Fprintln(ios.Out, "kept authgen.keys.json")
		if w := keys.CheckFile(project.KeysFile(dir)); w != nil {
			fmt.Fprintln(ios.ErrOut, "warning:", w)
		}
	}
	printNext(ios, o, m, app)
	return nil
}

// sqliteFiles are the files of the default SQLite database, which init's
// migration creates: the database and SQLite's journals beside it.
func sqliteFiles() []string {
	db := strings.TrimPrefix(migratecmd.DefaultSQLiteURL, "sqlite:./")
	return []string{db, db + "-wal", db + "-shm", db + "-journal"}
}

// runtimeSource returns where a new project gets authgen's runtime:
// --runtime-replace, else this binary's source checkout or version.
func runtimeSource(flag string) (project.Source, error) {
	if flag == "" {
		return project.CLISource(), nil
	}
	src, err := project.CheckoutSource(flag)
	if err != nil {
		return src, usage.Errorf("--runtime-replace %q: %w", flag, err)
	}
	return src, nil
}

// printNext says what is left to do: register each provider's app and set
// the variables runtime/env's table marks required — the provider's, then
// the project's (a server database's DATABASE_URL, REDIS_URL) — then run.
func printNext(ios *iostreams.IOStreams, o *Options, m *manifest.Manifest, app bool) {
	w := ios.Out
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Done. Next:")
	if o.Dir != "." {
		fmt.Fprintf(w, "  cd %s\n", o.Dir)
	}
	for _, p := range m.Providers {
		s, err := generator.ProviderEnv(p, defaultOrigin+m.BasePath+"/callback/"+p.ID)
		if err != nil {
			continue // Generate has refused such a provider already
		}
		fmt.Fprintf(w, "  # %s: register an OAuth app %s\n", s.Name, s.At())
		fmt.Fprintf(w, "  #   with the callback URL %s\n", s.CallbackURL)
		exportRequired(w, "  #   ", s.Vars(), s.Where())
	}
	exportRequired(w, "  # ", generator.AppVars(generator.Spec{Manifest: m, App: app}), "")
	if _, ok := m.Provider(manifest.CredentialsProviderID); ok {
		fmt.Fprintf(w, "  # Credentials: write %s/credentials.go's findUser (your users table); until then nobody signs in with the form\n", m.Package)
	}
	if m.HasEmail() {
		fmt.Fprintf(w, "  # E-mail sign-in: on %s the app logs each sign-in link and code (the console sender);\n", defaultOrigin)
		fmt.Fprintf(w, "  #   to send them, and on any https AUTH_URL, set %s (and %s)\n", email.EnvServer, email.EnvFrom)
	}
	if app {
		fmt.Fprintf(w, "  # (or write them to %s, starting from .env.example: the app reads it at start)\n", env.DotenvFile)
	} else {
		fmt.Fprintf(w, "  # (or write them to %s, starting from .env.example, and give LoadConfig the getenv of env.Dotenv(env.DotenvFile, os.LookupEnv))\n", env.DotenvFile)
	}
	if m.Database == manifest.DBPostgres || m.Database == manifest.DBMySQL || m.Database == manifest.DBMongoDB {
		fmt.Fprintln(w, "  authgen migrate   # or start the app with AUTH_AUTO_MIGRATE=true")
	}
	if app {
		fmt.Fprintf(w, "  go run .   # then open %s\n", defaultOrigin)
	} else {
		fmt.Fprintf(w, "  # mount the auth API in your server: mux.Handle(auth.BasePath+\"/\", a.Handler()) — see %s/auth_gen.go\n", m.Package)
	}
	targetcmd.Next(w, o.Targets)
}

// defaultOrigin is where the demo app listens (AUTH_URL's default).
const defaultOrigin = "http://localhost:3000"

// exportRequired prints an export line of the required variables among
// vars (placeholders keep a URL's scheme: postgres://…), after a comment
// (prefixed by indent) for each that its name and the app's place (where)
// do not explain; nothing when none is required.
func exportRequired(w io.Writer, indent string, vars []env.Var, where string) {
	var names []string
	for _, v := range vars {
		if !v.Required {
			continue
		}
		if h := v.Hint(where); h != "" {
			fmt.Fprintf(w, "%s%s: %s\n", indent, v.Name, h)
		}
		placeholder := "…"
		if scheme, _, ok := strings.Cut(v.Example, "://"); ok {
			placeholder = scheme + "://…"
		}
		names = append(names, v.Name+"="+placeholder)
	}
	if len(names) == 0 {
		return
	}
	line := "  export"
	for _, n := range names {
		if len(line)+1+len(n) > 80 && line != "  export" {
			fmt.Fprintln(w, line+" \\")
			line = "   "
		}
		line += " " + n
	}
	fmt.Fprintln(w, line)
}
