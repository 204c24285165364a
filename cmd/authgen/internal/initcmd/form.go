package initcmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/prompt"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
)

// ask fills the choices from flags, defaults (--yes) or the form, then
// checks that they go together. base is the directory's name, which the
// default module path ends with.
func ask(ctx context.Context, ios *iostreams.IOStreams, prompter func() prompt.Prompter, o *Options, base string) error {
	if o.Yes {
		if o.Module == "" {
			o.Module = defaultModule(base)
			if err := checkDefaultModule(o.Module); err != nil {
				return err
			}
		}
		fillDefaults(o)
	}
	// What the other choices settle is not missing: without a database
	// sessions are JWTs, and database sessions need no token protection.
	if o.Session == "" && o.Database == manifest.DBNone {
		o.Session = manifest.StrategyJWT
	}
	if o.Token == "" && o.Session == manifest.StrategyDatabase {
		o.Token = DefaultToken
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
	if len(missing) == 0 {
		if err := assignIssuer(o); err != nil {
			return err
		}
		return checkChoices(o)
	}
	p := prompter()
	if !ios.CanPrompt() && !p.LineByLine() {
		return usage.Errorf("missing %s: run in a terminal to be asked, or pass the flags (--yes accepts the defaults)", strings.Join(missing, ", "))
	}
	if err := form(ctx, p, o, base); err != nil {
		return err
	}
	return checkChoices(o)
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

// fillDefaults takes the defaults for every choice no flag gave; the token
// protection only matters for JWT sessions, but the manifest records one.
func fillDefaults(o *Options) {
	if o.Database == "" {
		o.Database = DefaultDatabase
	}
	if !given(o, "providers") {
		o.Providers = defaultProviders(o.Database)
	}
	if o.Session == "" {
		o.Session = defaultStrategy(o.Database)
	}
	if o.Token == "" {
		o.Token = DefaultToken
	}
	if o.Router == "" {
		o.Router = DefaultRouter
	}
}

// form asks for what the flags did not give, in steps, each asking only
// what the answers before it leave open: the module, providers and database
// (a group each, shown one at a time); the issuer of each OpenID Connect
// provider without a fixed one; the session strategy (not without a
// database); then the token protection for JWT sessions or, for database
// sessions, where they live; last the router.
func form(ctx context.Context, p prompt.Prompter, o *Options, base string) error {
	var groups []*huh.Group
	if o.Module == "" {
		o.Module = defaultModule(base)
		groups = append(groups, huh.NewGroup(huh.NewInput().
			Title(prompt.Title(p, "Module path", o.Module)).
			Description("the module path of the new go.mod").
			Value(&o.Module).
			Validate(func(s string) error {
				if s == "" && p.LineByLine() {
					return nil // an empty line keeps the default
				}
				return usage.Module("", s)
			})))
	}
	if !given(o, "providers") {
		o.Providers = slices.Clone(DefaultProviders)
		groups = append(groups, huh.NewGroup(providerSelect(p, &o.Providers)))
	}
	if o.Database == "" {
		o.Database = DefaultDatabase
		var opts []huh.Option[string]
		for _, db := range manifest.Databases {
			opts = append(opts, huh.NewOption(databaseLabels[db], db))
		}
		groups = append(groups, huh.NewGroup(huh.NewSelect[string]().
			Title(prompt.Title(p, "Database", o.Database)).
			Options(opts...).
			Value(&o.Database)))
	}
	if err := runGroups(ctx, p, groups); err != nil {
		return err
	}
	if o.Database == manifest.DBNone && slices.Equal(slices.Sorted(slices.Values(o.Providers)), slices.Sorted(slices.Values(DefaultProviders))) {
		// The defaults, untouched, and then no database: e-mail sign-in,
		// which needs one, goes.
		o.Providers = withoutEmail(o.Providers)
	}

	if err := assignIssuer(o); err != nil {
		return err
	}
	groups = nil
	answers := map[string]*string{}
	for _, e := range issuerTargets(o.Providers) {
		if _, ok := o.issuers[e.ID]; ok {
			continue
		}
		answers[e.ID] = new(string)
		groups = append(groups, huh.NewGroup(huh.NewInput().
			Title("Issuer of "+e.Name).
			Description(fmt.Sprintf("its URL, such as %s; empty: set AUTH_%s_ISSUER when the app starts", e.IssuerExample, catalog.EnvName(e.ID))).
			Value(answers[e.ID]).
			Validate(func(s string) error {
				if s == "" {
					return nil
				}
				return usage.URL("", s)
			})))
	}
	if err := runGroups(ctx, p, groups); err != nil {
		return err
	}
	for id, issuer := range answers {
		o.issuers[id] = strings.TrimRight(*issuer, "/")
	}

	if o.Session == "" {
		o.Session = defaultStrategy(o.Database)
		if o.Database != manifest.DBNone {
			err := runGroups(ctx, p, []*huh.Group{huh.NewGroup(huh.NewSelect[string]().
				Title(prompt.Title(p, "Sessions", o.Session)).
				Options(
					huh.NewOption("database: an opaque token, the session kept in the database", manifest.StrategyDatabase),
					huh.NewOption("jwt: the session kept in a signed or encrypted cookie", manifest.StrategyJWT),
				).
				Value(&o.Session))})
			if err != nil {
				return err
			}
		}
	}

	groups = nil
	if o.Token == "" {
		o.Token = DefaultToken
		if o.Session == manifest.StrategyJWT {
			groups = append(groups, huh.NewGroup(huh.NewSelect[string]().
				Title(prompt.Title(p, "Session token protection", o.Token)).
				Options(
					huh.NewOption("signed (JWS HS512)", manifest.TokenSigned),
					huh.NewOption("encrypted (JWE dir+A256GCM; needed to keep provider tokens in the session)", manifest.TokenEncrypted),
				).
				Value(&o.Token)))
		}
	}
	if o.SessionStore == "" && o.Session == manifest.StrategyDatabase && o.Database != manifest.DBNone {
		o.SessionStore = storeInDatabase
		groups = append(groups, huh.NewGroup(huh.NewSelect[string]().
			Title(prompt.Title(p, "Where database sessions live", o.SessionStore)).
			Options(
				huh.NewOption("database: in the database", storeInDatabase),
				huh.NewOption("redis: in Redis (REDIS_URL), shared by every instance, expiring by TTL", manifest.SessionStoreRedis),
			).
			Value(&o.SessionStore)))
	}
	if o.Router == "" {
		o.Router = DefaultRouter
		var opts []huh.Option[string]
		for _, r := range manifest.Routers {
			opts = append(opts, huh.NewOption(routerLabels[r], r))
		}
		groups = append(groups, huh.NewGroup(huh.NewSelect[string]().
			Title(prompt.Title(p, "Router", o.Router)).
			Description("the generated middleware and the demo app/app.go are written for it").
			Options(opts...).
			Value(&o.Router)))
	}
	return runGroups(ctx, p, groups)
}

// routerLabels describe the --router values in the form.
var routerLabels = map[string]string{
	manifest.RouterNetHTTP: "nethttp: the standard library's http.ServeMux (Go 1.22 patterns)",
	manifest.RouterChi:     "chi: github.com/go-chi/chi/v5",
	manifest.RouterEcho:    "echo: github.com/labstack/echo/v4",
	manifest.RouterGin:     "gin: github.com/gin-gonic/gin",
}

// databaseLabels describe the --db values in the form.
var databaseLabels = map[string]string{
	manifest.DBSQLite:   "sqlite: a file, no server (modernc.org/sqlite)",
	manifest.DBPostgres: "postgres: PostgreSQL",
	manifest.DBMySQL:    "mysql: MySQL or MariaDB",
	manifest.DBMongoDB:  "mongodb: MongoDB or FerretDB",
	manifest.DBNone:     "none: no database, JWT sessions",
}

// providerSelect is the catalog as a multiple choice of ListHeight rows
// with a filter ("/"), the providers in ids checked.
func providerSelect(p prompt.Prompter, ids *[]string) huh.Field {
	var opts []huh.Option[string]
	for _, e := range catalog.All() {
		opts = append(opts, huh.NewOption(e.Name+" ("+e.ID+")", e.ID).Selected(slices.Contains(*ids, e.ID)))
	}
	title := "Sign in with"
	desc := fmt.Sprintf("%d providers: / filters, space or x checks, enter confirms", len(opts))
	if p.LineByLine() {
		// Accessible mode lists every option with its number, checked ones
		// marked; 0 confirms.
		title = fmt.Sprintf("Sign in with (checked: %s; enter a number to check or uncheck it, 0 to confirm)", strings.Join(*ids, ", "))
		desc = ""
	}
	return huh.NewMultiSelect[string]().
		Title(title).
		Description(desc).
		Options(opts...).
		Filterable(true).
		Height(prompt.ListHeight).
		Value(ids).
		Validate(func(v []string) error {
			if len(v) == 0 {
				return errors.New("choose at least one provider")
			}
			return nil
		})
}

// runGroups runs the groups as one form, one group at a time; none is no form.
func runGroups(ctx context.Context, p prompt.Prompter, groups []*huh.Group) error {
	if len(groups) == 0 {
		return nil
	}
	return p.Run(ctx, huh.NewForm(groups...))
}
