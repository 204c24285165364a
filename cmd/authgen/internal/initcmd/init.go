// Package initcmd implements "authgen init": it asks for (or reads from
// flags) the providers, database and session strategy, writes authgen.yaml,
// generates the auth package, writes the key set and tidies go.mod.
package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/migratecmd"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/prompt"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/runtime/env"
)

// Options are init's inputs.
type Options struct {
	Dir            string
	Module         string
	Providers      []string
	Database       string
	Session        string
	SessionStore   string
	Token          string
	Yes            bool
	RuntimeReplace string
	SkipTidy       bool
	SkipMigrate    bool
	Force          bool

	// set records which flags were given.
	set map[string]bool
}

// Defaults used by --yes and offered first by the form.
var (
	DefaultProviders = []string{"github"}
	DefaultDatabase  = manifest.DBSQLite
	DefaultToken     = manifest.TokenSigned
)

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
		Long: `Init asks which providers, database and session strategy to use, writes
authgen.yaml, generates the auth package, writes a fresh key set
(authgen.keys.json, mode 0600, git-ignored) and runs go mod tidy.

Every question has a flag; without a terminal the flags (or --yes for the
defaults) are required.`,
		Example: `  authgen init myapp --module example.com/myapp --providers github --db none --session jwt --yes`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Dir = "."
			if len(args) == 1 {
				o.Dir = args[0]
			}
			o.set = map[string]bool{}
			cmd.Flags().Visit(func(f *pflag.Flag) { o.set[f.Name] = true })
			return run(cmd.Context(), ios, prompter, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Module, "module", "", "module path for a new go.mod (example.com/myapp)")
	f.StringSliceVar(&o.Providers, "providers", nil, "providers to sign in with, comma-separated (see `authgen providers`)")
	f.StringVar(&o.Database, "db", "", "database: "+strings.Join(manifest.Databases, "|"))
	f.StringVar(&o.Session, "session", "", "session strategy: jwt|database")
	f.StringVar(&o.Token, "token", "", "JWT session protection: signed|encrypted")
	f.StringVar(&o.SessionStore, "session-store", "", "keep database sessions in: database (default) or redis (REDIS_URL)")
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
		return fmt.Errorf("%s/go.mod declares module %s, not %s", o.Dir, module, o.Module)
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
	store := o.SessionStore
	if store == "database" {
		store = ""
	}
	m, err := manifest.New(manifest.Choices{Providers: o.Providers, Database: o.Database, Strategy: o.Session, Token: o.Token, SessionStore: store})
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
	plan, err := project.PlanGenerate(dir, generator.Spec{Module: o.Module, Manifest: m, App: app}, writer.Options{Force: o.Force})
	if err != nil {
		return err
	}
	mod, err := project.PlanGoMod(dir, o.Module, m, src)
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
		if err := tx.Guard("go.mod", "go.sum"); err != nil {
			return err
		}
		if !o.SkipTidy {
			fmt.Fprintln(ios.Out, "running go mod tidy…")
			if _, err := project.Go(ctx, dir, ios.ErrOut, "mod", "tidy"); err != nil {
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
		return src, fmt.Errorf("--runtime-replace %w", err)
	}
	return src, nil
}

// ask fills the choices from flags, defaults (--yes) or a form.
func ask(ctx context.Context, ios *iostreams.IOStreams, prompter func() prompt.Prompter, o *Options, base string) error {
	if o.Yes {
		fillDefaults(o)
	}
	var missing []string
	if o.Module == "" {
		missing = append(missing, "--module")
	}
	for _, name := range []string{"providers", "db", "session", "token"} {
		if !given(o, name) {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		if !ios.CanPrompt() && !promptForced(prompter) {
			return fmt.Errorf("missing %s: run in a terminal to be asked, or pass the flags (--yes accepts the defaults)", strings.Join(missing, ", "))
		}
		if err := form(ctx, prompter(), o, base); err != nil {
			return err
		}
	}
	return validate(o)
}

// promptForced reports whether a prompter was injected (tests), which runs
// forms without a terminal.
func promptForced(prompter func() prompt.Prompter) bool {
	_, isHuh := prompter().(*prompt.Huh)
	return !isHuh
}

func given(o *Options, name string) bool {
	switch name {
	case "providers":
		return len(o.Providers) > 0 || o.set["providers"]
	case "db":
		return o.Database != ""
	case "session":
		return o.Session != ""
	case "token":
		return o.Token != ""
	}
	return false
}

func fillDefaults(o *Options) {
	if !given(o, "providers") {
		o.Providers = slices.Clone(DefaultProviders)
	}
	if o.Database == "" {
		o.Database = DefaultDatabase
	}
	if o.Session == "" {
		o.Session = defaultStrategy(o.Database)
	}
	if o.Token == "" {
		o.Token = DefaultToken
	}
}

// form asks for what the flags did not give: first the module, providers
// and database, then the session choices that depend on the database.
func form(ctx context.Context, p prompt.Prompter, o *Options, base string) error {
	var fields []huh.Field
	if o.Module == "" {
		o.Module = path.Join("example.com", base)
		fields = append(fields, huh.NewInput().Title("Module path").Description("for the new go.mod").Value(&o.Module).Validate(validModule))
	}
	if !given(o, "providers") {
		o.Providers = slices.Clone(DefaultProviders)
		var opts []huh.Option[string]
		for _, e := range catalog.All() {
			opts = append(opts, huh.NewOption(e.Name, e.ID).Selected(slices.Contains(o.Providers, e.ID)))
		}
		fields = append(fields, huh.NewMultiSelect[string]().Title("Sign in with").Options(opts...).Value(&o.Providers).
			Validate(func(v []string) error {
				if len(v) == 0 {
					return errors.New("choose at least one provider")
				}
				return nil
			}))
	}
	if o.Database == "" {
		o.Database = DefaultDatabase
		var opts []huh.Option[string]
		for _, db := range manifest.Databases {
			opts = append(opts, huh.NewOption(db, db))
		}
		fields = append(fields, huh.NewSelect[string]().Title("Database").Options(opts...).Value(&o.Database))
	}
	if len(fields) > 0 {
		if err := p.Run(ctx, huh.NewForm(huh.NewGroup(fields...))); err != nil {
			return err
		}
	}

	fields = nil
	if o.Session == "" {
		o.Session = defaultStrategy(o.Database)
		if o.Database != manifest.DBNone {
			fields = append(fields, huh.NewSelect[string]().Title("Sessions").Options(
				huh.NewOption("database: an opaque token, the session kept in the database", manifest.StrategyDatabase),
				huh.NewOption("jwt: the session kept in a signed or encrypted cookie", manifest.StrategyJWT),
			).Value(&o.Session))
		}
	}
	if o.Token == "" {
		o.Token = DefaultToken
		fields = append(fields, huh.NewSelect[string]().Title("Session token protection").Options(
			huh.NewOption("signed (JWS HS512)", manifest.TokenSigned),
			huh.NewOption("encrypted (JWE dir+A256GCM; needed to keep provider tokens in the session)", manifest.TokenEncrypted),
		).Value(&o.Token))
	}
	if len(fields) > 0 {
		if err := p.Run(ctx, huh.NewForm(huh.NewGroup(fields...))); err != nil {
			return err
		}
	}
	if o.SessionStore == "" && o.Session == manifest.StrategyDatabase && o.Database != manifest.DBNone {
		o.SessionStore = "database"
		return p.Run(ctx, huh.NewForm(huh.NewGroup(huh.NewSelect[string]().Title("Where database sessions live").Options(
			huh.NewOption("in the database", "database"),
			huh.NewOption("in Redis (REDIS_URL): shared by every instance, expiring by TTL", manifest.SessionStoreRedis),
		).Value(&o.SessionStore))))
	}
	return nil
}

func validModule(s string) error {
	if s == "" || strings.ContainsAny(s, " \\") || strings.HasPrefix(s, "/") {
		return fmt.Errorf("%q is not a module path", s)
	}
	return nil
}

// validate checks the choices before anything is written.
func validate(o *Options) error {
	if err := validModule(o.Module); err != nil {
		return err
	}
	var unknown []string
	for _, id := range o.Providers {
		if _, ok := catalog.Lookup(id); !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("unknown provider %s (run `authgen providers` for the catalog)", strings.Join(unknown, ", "))
	}
	if len(o.Providers) == 0 {
		return errors.New("--providers: choose at least one provider")
	}
	if o.SessionStore != "" && o.SessionStore != "database" && o.SessionStore != manifest.SessionStoreRedis {
		return fmt.Errorf("--session-store %q: choose database or redis", o.SessionStore)
	}
	if !slices.Contains(manifest.Databases, o.Database) {
		return fmt.Errorf("--db %q: choose one of %s", o.Database, strings.Join(manifest.Databases, ", "))
	}
	return nil
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
	exportRequired(w, "  # ", generator.AppEnv(generator.Spec{Manifest: m, App: app}).Vars(), "")
	if app {
		fmt.Fprintf(w, "  # (or write them to %s, starting from .env.example: the app reads it at start)\n", env.DotenvFile)
	} else {
		fmt.Fprintf(w, "  # (or write them to %s, starting from .env.example, and give LoadConfig env.Dotenv(env.DotenvFile, os.LookupEnv))\n", env.DotenvFile)
	}
	if m.Database == manifest.DBPostgres || m.Database == manifest.DBMySQL || m.Database == manifest.DBMongoDB {
		fmt.Fprintln(w, "  authgen migrate   # or start the app with AUTH_AUTO_MIGRATE=true")
	}
	if app {
		fmt.Fprintf(w, "  go run .   # then open %s\n", defaultOrigin)
	} else {
		fmt.Fprintf(w, "  # mount the auth API in your server: mux.Handle(auth.BasePath+\"/\", a.Handler()) — see %s/auth_gen.go\n", m.Package)
	}
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
