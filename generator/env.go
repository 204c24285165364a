package generator

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/env"
)

// The environment a generated application reads is one table, in
// runtime/env: env.ProviderSpec.Vars for each provider and env.App.Vars for
// the rest. The generator fills the table's inputs from the catalog and the
// manifest here; LoadConfig (its ProviderSpec literals and project-wide
// reads), .env.example, docs/PROVIDERS.md and the commands' next steps are
// all derived from them.

// ProviderEnv returns the env.ProviderSpec that the generated LoadConfig
// passes to env.Reader.Provider for the manifest's provider p, with
// callbackURL as the redirect URI to register. Its Vars are the provider's
// variables.
func ProviderEnv(p manifest.Provider, callbackURL string) (env.ProviderSpec, error) {
	entry, ok := catalog.Lookup(p.CatalogID())
	if !ok {
		return env.ProviderSpec{}, fmt.Errorf("%w: provider %q is not in the catalog (see `authgen providers`)", ErrSpec, p.CatalogID())
	}
	if !entry.IsOAuth() {
		return env.ProviderSpec{}, fmt.Errorf("%w: %w", ErrSpec, ErrNotOAuth)
	}
	s := providerSpec(provider{Provider: p, entry: entry, envName: catalog.EnvName(p.ID)})
	s.CallbackURL = callbackURL
	return s, nil
}

// ErrNotOAuth: e-mail sign-in, the sign-in forms (credentials, ldap) and
// passkeys have no OAuth app and no AUTH_<ID>_* variables; their
// variables, if any, are the application's (AppVars).
var ErrNotOAuth = errors.New("no OAuth provider: its variables, if any, are the application's")

// AppEnv returns what decides the project-wide variables of spec's
// application; its Vars are those variables.
func AppEnv(spec Spec) env.App {
	a := env.App{Demo: spec.App}
	if m := spec.Manifest; m != nil {
		a.Database = m.Database
		a.Redis = m.Session.Store == manifest.SessionStoreRedis
		a.Email = m.HasEmail()
		if m.AuthJS != nil {
			a.AuthJS = m.AuthJS.Version
		}
	}
	return a
}

// appEnv is the project's env.App.
func (g *gen) appEnv() env.App { return AppEnv(g.spec) }

// appVar is the project-wide variable name of the project, which the
// emitters that read it must find in the table.
func (g *gen) appVar(name string) env.Var {
	v, ok := env.Lookup(g.appEnv().Vars(), name)
	if !ok {
		panic("generator: " + name + " is not in runtime/env's table for this project")
	}
	return v
}

// providerSpec derives what p needs from the environment from its catalog
// entry and its manifest entry (an issuer or a base URL there makes the
// variable optional). CallbackURL is left empty.
func providerSpec(p provider) env.ProviderSpec {
	e := p.entry
	s := env.ProviderSpec{
		EnvName:        p.envName,
		Name:           cmp.Or(p.Name, e.Name),
		Console:        console(e, p.BaseURL),
		NeedsEndpoints: e.NeedsEndpoints,
		NeedsAPIKey:    e.NeedsAPIKey,
		OAuth1:         e.Type == catalog.OAuth1,
	}
	if s.Console == "" {
		s.Docs = e.Docs
	}
	if e.Type == catalog.OIDC {
		s.Issuer = p.Issuer
		if s.Issuer == "" {
			s.Issuer = e.Issuer
		}
		if s.Issuer == "" {
			s.NeedsIssuer = true
			s.IssuerExample = e.IssuerExample
		}
	}
	if b := e.BaseURL; b != nil {
		s.SelfHosted = b.What
		s.BaseURL = p.BaseURL
		s.NeedsBaseURL = b.Required && p.BaseURL == ""
	}
	switch e.AuthMethod {
	case catalog.AppleSecret:
		s.ClientAuth = env.AuthApple
	case catalog.PrivateKeyJWT:
		s.ClientAuth = env.AuthPrivateKeyJWT
	}
	return s
}

// console says where to register the OAuth app of entry e: the catalog's
// console, on the self-hosted instance at base when there is one there (the
// console is on the host of the default authorization endpoint), else none.
func console(e *catalog.Provider, base string) string {
	if e.Console == "" || base == "" || e.BaseURL == nil {
		return e.Console
	}
	c, err1 := url.Parse(e.Console)
	a, err2 := url.Parse(e.Endpoints.Authorization)
	b, err3 := url.Parse(base)
	if err1 != nil || err2 != nil || err3 != nil || c.Host != a.Host {
		return ""
	}
	return strings.TrimRight(b.String(), "/") + c.EscapedPath()
}

// clientAuthConst names runtime/env's constants for ClientAuth values.
var clientAuthConst = map[string]string{env.AuthApple: "AuthApple", env.AuthPrivateKeyJWT: "AuthPrivateKeyJWT"}

// specLiteral is s as an env.ProviderSpec composite literal: every field
// that is set, in declaration order, with callback as the CallbackURL
// expression.
func specLiteral(s env.ProviderSpec, callback jen.Code) jen.Code {
	v := reflect.ValueOf(s)
	var fields []jen.Code
	for i := range v.NumField() {
		name, f := v.Type().Field(i).Name, v.Field(i)
		switch {
		case name == "CallbackURL":
			fields = append(fields, kv(name, callback))
		case f.IsZero():
		case name == "ClientAuth":
			c, ok := clientAuthConst[s.ClientAuth]
			if !ok {
				panic("generator: unknown ClientAuth " + s.ClientAuth)
			}
			fields = append(fields, kv(name, jen.Qual(pkgEnv, c)))
		case f.Kind() == reflect.String:
			fields = append(fields, kv(name, jen.Lit(f.String())))
		case f.Kind() == reflect.Bool:
			fields = append(fields, kv(name, jen.True()))
		default:
			panic("generator: env.ProviderSpec." + name + " has a kind specLiteral cannot write")
		}
	}
	return jen.Qual(pkgEnv, "ProviderSpec").Custom(block, fields...)
}
