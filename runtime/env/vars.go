package env

import (
	"cmp"
	"strings"

	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/keys"
)

// Var is one environment variable a generated application reads: the one
// table that Reader checks against and that authgen derives .env.example,
// docs/PROVIDERS.md and its commands' next steps from.
type Var struct {
	// Name is the variable ("AUTH_GITHUB_SECRET").
	Name string
	// Description says what it holds, a phrase without a final period
	// ("GitHub client secret").
	Description string
	// Required makes the application refuse to start without it.
	Required bool
	// Default is what an unset variable means, or "".
	Default string
	// Example shows the value's form; .env.example writes it as the value.
	Example string
	// Where says where to get the value: a URL, or a phrase such as "the
	// admin console of your OpenID Connect provider"; "" when the value is
	// yours to choose. See [Var.At].
	Where string
	// Advanced marks an override few applications set (an endpoint, for
	// tests or a proxy): documented, but left out of .env.example and of
	// setup instructions.
	Advanced bool
}

// At is Where as a place: "at https://…" for a URL, "in …" for a phrase,
// "" when Where is empty.
func (v Var) At() string { return at(v.Where) }

func at(where string) string {
	switch {
	case where == "":
		return ""
	case strings.HasPrefix(where, "https://") || strings.HasPrefix(where, "http://"):
		return "at " + where
	}
	return "in " + where
}

// Hint says what v is unless it is the app's own setting (its Where is
// appWhere, see ProviderSpec.Where, and it has no Example): its
// description, where to get it when that is elsewhere, and the form of
// its value; "" for the app's own settings.
func (v Var) Hint(appWhere string) string {
	if v.Example == "" && v.Where == appWhere {
		return ""
	}
	h := v.Description
	if v.Where != "" && v.Where != appWhere {
		h += ", " + v.At()
	}
	if v.Example != "" {
		h += ", such as " + v.Example
	}
	return h
}

// Note says whether the variable must be set and what an unset one means:
// "required", "optional; default X" or "optional".
func (v Var) Note() string {
	switch {
	case v.Required:
		return "required"
	case v.Default != "":
		return "optional; default " + v.Default
	}
	return "optional"
}

// Apple's developer account pages for the values of its client secret.
const (
	appleAccount = "https://developer.apple.com/account"
	appleKeys    = "https://developer.apple.com/account/resources/authkeys/list"
)

// Where is where the provider's app is registered: the console, or a
// phrase naming the self-hosted instance or the provider's admin console
// (with its documentation) when there is no console to link.
func (s ProviderSpec) Where() string {
	docs := ""
	if s.Docs != "" {
		docs = " (documentation: " + s.Docs + ")"
	}
	switch {
	case s.Console != "":
		return s.Console
	case s.SelfHosted != "" && s.BaseURL != "":
		return "the OAuth settings of " + s.SelfHosted + " at " + s.BaseURL + docs
	case s.SelfHosted != "":
		return "the OAuth settings of " + s.SelfHosted + docs
	}
	return "the admin console of your " + s.Name + " provider" + docs
}

// At is Where as a place: "at https://…" for a console, else "in …".
func (s ProviderSpec) At() string { return at(s.Where()) }

// Vars lists every AUTH_<ID>_* variable the provider reads, as Provider
// reads them: the required ones first (the client, its keys, the issuer,
// the endpoints, the API key, the base URL), then the optional ones, and
// last the Advanced endpoint overrides.
func (s ProviderSpec) Vars() []Var {
	prefix := "AUTH_" + s.EnvName + "_"
	n := s.Name + " "
	where := s.Where()
	instance := cmp.Or(s.SelfHosted, "the self-hosted instance")
	var out []Var
	add := func(v Var) { v.Name = prefix + v.Name; out = append(out, v) }

	switch {
	case s.ClientAuth == AuthApple:
		add(Var{Name: "ID", Description: n + "Services ID, the client ID", Required: true, Where: where})
		add(Var{Name: "TEAM_ID", Description: n + "team ID, under Membership details", Required: true, Where: appleAccount})
		add(Var{Name: "KEY_ID", Description: n + "key ID of a Sign in with Apple key", Required: true, Where: appleKeys})
		add(Var{Name: "PRIVATE_KEY", Description: n + "private key: the contents of that key's .p8 file", Required: true, Where: appleKeys})
	case s.ClientAuth == AuthPrivateKeyJWT:
		add(Var{Name: "ID", Description: n + "client ID", Required: true, Where: where})
		add(Var{Name: "PRIVATE_KEY", Description: n + "private key (PEM) for private_key_jwt; register its public key with the client", Required: true})
		add(Var{Name: "KEY_ID", Description: n + "key ID registered with the client, sent as kid"})
	case s.OAuth1:
		add(Var{Name: "ID", Description: n + "consumer key, the client ID", Required: true, Where: where})
		add(Var{Name: "SECRET", Description: n + "consumer secret, the client secret", Required: true, Where: where})
	default:
		add(Var{Name: "ID", Description: n + "client ID", Required: true, Where: where})
		add(Var{Name: "SECRET", Description: n + "client secret", Required: true, Where: where})
	}
	if s.NeedsIssuer {
		add(Var{Name: "ISSUER", Description: n + "issuer URL", Required: true, Example: cmp.Or(s.IssuerExample, "https://idp.example.com"), Where: where})
	}
	if s.NeedsEndpoints {
		if s.OAuth1 {
			add(Var{Name: "REQUEST_TOKEN_URL", Description: n + "request token endpoint URL", Required: true, Where: where})
		}
		add(Var{Name: "AUTHORIZATION_URL", Description: n + "authorization endpoint URL", Required: true, Where: where})
		add(Var{Name: "TOKEN_URL", Description: n + "token endpoint URL", Required: true, Where: where})
		add(Var{Name: "USERINFO_URL", Description: n + "userinfo (profile) endpoint URL", Required: true, Where: where})
	}
	if s.NeedsAPIKey {
		add(Var{Name: "API_KEY", Description: n + "API key, sent with every API request", Required: true, Where: where})
	}
	if s.NeedsBaseURL {
		add(Var{Name: "BASE_URL", Description: "base URL of " + instance, Required: true})
	}

	if !s.NeedsIssuer && s.Issuer != "" {
		add(Var{Name: "ISSUER", Description: n + "issuer URL", Default: s.Issuer})
	}
	if !s.NeedsBaseURL && s.SelfHosted != "" {
		add(Var{Name: "BASE_URL", Description: "base URL of " + instance, Default: s.BaseURL})
	}

	if !s.NeedsEndpoints {
		add(Var{Name: "AUTHORIZATION_URL", Description: n + "authorization endpoint URL, replacing the default", Advanced: true})
		add(Var{Name: "TOKEN_URL", Description: n + "token endpoint URL, replacing the default", Advanced: true})
		add(Var{Name: "USERINFO_URL", Description: n + "userinfo endpoint URL, replacing the default", Advanced: true})
		if s.OAuth1 {
			add(Var{Name: "REQUEST_TOKEN_URL", Description: n + "request token endpoint URL, replacing the default", Advanced: true})
		}
	}
	return out
}

// App says which project-wide variables an application reads.
type App struct {
	// Demo: the project has authgen's demo main.go, which reads PORT.
	Demo bool
	// Database is the project's database as authgen.yaml names it:
	// "sqlite", "postgres", "mysql", "mongodb", "custom", or "none" (or "").
	Database string
	// Redis: sessions and e-mail tokens live in Redis (session.store: redis).
	Redis bool
	// Email: the application has e-mail sign-in (provider email).
	Email bool
	// AuthJS is the version of the Auth.js application sessions are
	// shared with (authjs.version: 5 or 4); 0 when they are not.
	AuthJS int
}

// hasDB reports whether the application opens a database.
func (a App) hasDB() bool { return a.Database != "" && a.Database != "none" }

// appVar is a row of the project-wide table: a variable as documented, when
// an application reads it, and how a project's settings refine it.
type appVar struct {
	Var
	when   func(App) bool
	refine func(App, *Var)
}

// dbURL is DATABASE_URL's form by database: the default for SQLite, an
// example for the others.
var dbURL = map[string]Var{
	"sqlite":   {Description: "the SQLite database, `sqlite:FILE`", Default: "sqlite:./authgen.db", Example: "sqlite:./authgen.db"},
	"postgres": {Description: "the PostgreSQL database", Required: true, Example: "postgres://user:password@localhost:5432/app?sslmode=disable"},
	"mysql":    {Description: "the MySQL or MariaDB database", Required: true, Example: "mysql://user:password@localhost:3306/app"},
	"mongodb":  {Description: "the MongoDB database (database authgen when the path names none)", Required: true, Example: "mongodb://localhost:27017/app"},
	"custom":   {Description: "the database your store's OpenStore opens", Required: true},
}

// appVars is the project-wide table, in the order .env.example lists it.
// A feature that reads a variable adds its row here (and what decides it
// to App).
var appVars = []appVar{
	{Var: Var{Name: "PORT", Description: "listening port of the demo `main.go`", Default: "3000", Example: "3000"},
		when: func(a App) bool { return a.Demo }},
	{Var: Var{Name: "AUTH_URL", Description: "public origin, `scheme://host[:port]` without a path; `https` makes cookies `Secure` and `__Host-` prefixed (the session `__Secure-` with `cookieDomain`)",
		Default: "http://localhost:$PORT", Example: "http://localhost:3000"}},
	{Var: Var{Name: "AUTH_TRUST_HOST", Description: "whether to take the origin from the right-most value of `X-Forwarded-Host` and `X-Forwarded-Proto`: `true` only behind a proxy that sets them; a value that is not a plain `host[:port]` (or http/https) gets 400",
		Default: "false", Example: "false"}},
	{Var: Var{Name: keys.EnvKeys, Description: "the key set as JSON, which `authgen keys export` prints; else the file in `" + keys.EnvKeysFile + "`"}},
	{Var: Var{Name: keys.EnvKeysFile, Description: "the key set's file, read when `" + keys.EnvKeys + "` is unset; `authgen keys rotate` writes it", Default: "./" + keys.DefaultFile}},
	{Var: Var{Name: "DATABASE_URL", Description: "with a database, where it is: `sqlite:FILE` (default `sqlite:./authgen.db`), `postgres://…`, `mysql://…` or `mongodb://…` (see Databases above)"},
		when: App.hasDB,
		refine: func(a App, v *Var) {
			d, ok := dbURL[a.Database]
			if !ok {
				return
			}
			v.Description, v.Required, v.Default, v.Example = d.Description, d.Required, d.Default, d.Example
		}},
	{Var: Var{Name: "AUTH_AUTO_MIGRATE", Description: "whether to apply missing migrations at start (`true`; else run `authgen migrate`)", Default: "false", Example: "false"},
		when: App.hasDB},
	{Var: Var{Name: "REDIS_URL", Description: "with `session.store: redis`, the Redis that keeps sessions and e-mail tokens (`rediss://` for TLS; append `?max_retries=-1` to fail fast while it is down)",
		Required: true, Example: "redis://localhost:6379/0"},
		when: func(a App) bool { return a.Redis }},
	{Var: Var{Name: EnvAuthSecret, Description: "with `authjs`, the Auth.js application's secret (its `AUTH_SECRET`; next-auth 4's `NEXTAUTH_SECRET`), which seals the shared session cookie: the same value on both sides, such as `openssl rand -base64 33` prints",
		Required: true, Example: "change-me-to-a-long-random-secret"},
		when: func(a App) bool { return a.AuthJS != 0 }},
	{Var: Var{Name: EnvAuthSecret + "_1", Description: "with `authjs` version 5, rotation as @auth/core reads it: a newer secret, which then encrypts while `AUTH_SECRET` still decrypts (`AUTH_SECRET_2`, `AUTH_SECRET_3` newer still); next-auth 4 has one secret",
		Advanced: true},
		when: func(a App) bool { return a.AuthJS == 5 }},
	// No examples: .env.example's empty values keep development on the
	// console sender and the default sender address.
	{Var: Var{Name: email.EnvServer, Description: "with e-mail sign-in, the SMTP server that sends its mail: `smtp://user:password@host:587` (STARTTLS when the server offers it; `?tls=required` demands it) or `smtps://user:password@host:465` (implicit TLS); required unless `AUTH_URL` is `http://localhost`, where unset means the sign-in links and codes are logged instead",
		Where: "your mail provider's SMTP settings"},
		when: func(a App) bool { return a.Email }},
	{Var: Var{Name: email.EnvFrom, Description: "with e-mail sign-in, the sender of its mail, an address the SMTP server may send from (`App <no-reply@example.com>` gives a display name)",
		Default: "no-reply@ and the host of `AUTH_URL`"},
		when: func(a App) bool { return a.Email }},
}

// AppVars lists every project-wide variable as documented, whatever the
// project.
func AppVars() []Var {
	out := make([]Var, len(appVars))
	for i, r := range appVars {
		out[i] = r.Var
	}
	return out
}

// Vars lists the project-wide variables the application a reads.
func (a App) Vars() []Var {
	var out []Var
	for _, r := range appVars {
		if r.when != nil && !r.when(a) {
			continue
		}
		v := r.Var
		if r.refine != nil {
			r.refine(a, &v)
		}
		out = append(out, v)
	}
	return out
}

// Lookup returns the variable called name from vars.
func Lookup(vars []Var, name string) (Var, bool) {
	for _, v := range vars {
		if v.Name == name {
			return v, true
		}
	}
	return Var{}, false
}
