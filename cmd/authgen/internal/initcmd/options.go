package initcmd

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
)

// storeInDatabase is --session-store's word for keeping database sessions
// in the database itself (the manifest leaves session.store out).
const storeInDatabase = "database"

// Values of the enumerated flags, in the order the form offers them: the
// manifest's, and "database" for a session store.
var (
	strategies    = manifest.Strategies
	tokens        = manifest.Tokens
	sessionStores = append([]string{storeInDatabase}, manifest.SessionStores...)
)

// FlagValues are the values of init's enumerated flags, by flag name: what
// checkFlags accepts and what shell completion offers. --providers takes
// catalog ids.
var FlagValues = map[string][]string{
	"db":            manifest.Databases,
	"session":       strategies,
	"token":         tokens,
	"session-store": sessionStores,
	"target":        generator.Targets,
	"router":        manifest.Routers,
}

// checkFlags checks the values flags gave before anything is asked or
// written. Each problem names the flag as typed and the nearest valid
// value; all are reported at once.
func checkFlags(o *Options) error {
	var errs []error
	if o.set["module"] {
		errs = append(errs, usage.Module("--module", o.Module))
	}
	if o.set["providers"] && len(o.Providers) == 0 {
		errs = append(errs, usage.Errorf("--providers is empty: name at least one provider, such as github"))
	}
	seen := map[string]bool{}
	for _, id := range o.Providers {
		if seen[id] {
			errs = append(errs, usage.Errorf("--providers names %s twice", id))
		}
		seen[id] = true
		errs = append(errs, usage.Provider("--providers", id))
	}
	if o.Database != "" {
		errs = append(errs, usage.OneOf("--db", o.Database, manifest.Databases))
	}
	if o.Session != "" {
		errs = append(errs, usage.OneOf("--session", o.Session, strategies))
	}
	if o.Token != "" {
		errs = append(errs, usage.OneOf("--token", o.Token, tokens))
	}
	if o.SessionStore != "" {
		errs = append(errs, usage.OneOf("--session-store", o.SessionStore, sessionStores))
	}
	if o.Router != "" {
		errs = append(errs, usage.OneOf("--router", o.Router, manifest.Routers))
	}
	if o.Issuer != "" {
		errs = append(errs, usage.URL("--issuer", o.Issuer))
	}
	for _, t := range o.Targets {
		errs = append(errs, usage.OneOf("--target", t, generator.Targets))
	}
	errs = slices.DeleteFunc(errs, func(err error) bool { return err == nil })
	if len(errs) > 1 {
		var lines []string
		for _, err := range errs {
			lines = append(lines, "  "+err.Error())
		}
		return usage.Errorf("%d flags are wrong:\n%s", len(errs), strings.Join(lines, "\n"))
	}
	return errors.Join(errs...)
}

// checkChoices checks that the choices, from flags, defaults or the form,
// go together, naming the flags that make them.
func checkChoices(o *Options) error {
	switch {
	case o.Session == manifest.StrategyDatabase && o.Database == manifest.DBNone:
		return usage.Errorf("--session database needs a database, and --db is none: choose --session jwt, or a --db among %s", usage.OrList(slices.DeleteFunc(slices.Clone(manifest.Databases), func(db string) bool { return db == manifest.DBNone })))
	case o.Database == manifest.DBNone && slices.Contains(o.Providers, manifest.EmailProviderID):
		return usage.Errorf("--providers email needs a database, which keeps the users and the sign-in tokens (as in Auth.js), and --db is none: choose a --db among %s, or leave email out", usage.OrList(slices.DeleteFunc(slices.Clone(manifest.Databases), func(db string) bool { return db == manifest.DBNone })))
	case o.Database == manifest.DBNone && slices.Contains(o.Providers, manifest.PasskeyProviderID):
		return usage.Errorf("--providers passkey needs a database, which keeps each user's passkeys, and --db is none: choose a --db among %s, or leave passkey out", usage.OrList(slices.DeleteFunc(slices.Clone(manifest.Databases), func(db string) bool { return db == manifest.DBNone })))
	case len(o.Providers) == 1 && o.Providers[0] == manifest.PasskeyProviderID:
		return usage.Errorf("--providers passkey alone: passkeys attach to users who signed in another way first, so nobody could sign in; add another provider, such as --providers github,passkey (passkey.signup: true in %s, after init, lets visitors sign up with a passkey)", manifest.File)
	case o.SessionStore == manifest.SessionStoreRedis && o.Session != manifest.StrategyDatabase:
		return usage.Errorf("--session-store redis keeps database sessions, and --session is %s: choose --session database, or leave --session-store out", o.Session)
	}
	return nil
}

// issuerTargets are the chosen OpenID Connect providers that have no
// issuer of their own (the generic oidc, tenant and self-hosted ones): the
// app needs one for each, from authgen.yaml or AUTH_<ID>_ISSUER.
func issuerTargets(ids []string) []*catalog.Provider {
	var out []*catalog.Provider
	for _, id := range ids {
		if e, ok := catalog.Lookup(id); ok && e.Type == catalog.OIDC && e.Issuer == "" {
			out = append(out, e)
		}
	}
	return out
}

// assignIssuer gives --issuer to the one chosen provider that takes it.
func assignIssuer(o *Options) error {
	if o.Issuer == "" {
		return nil
	}
	targets := issuerTargets(o.Providers)
	var ids []string
	for _, e := range targets {
		ids = append(ids, e.ID)
	}
	switch len(targets) {
	case 0:
		return usage.Errorf("--issuer: none of the providers (%s) takes an issuer; it is the issuer URL of an OpenID Connect provider without a fixed one, such as oidc or keycloak", strings.Join(o.Providers, ", "))
	case 1:
		o.issuers[ids[0]] = strings.TrimRight(o.Issuer, "/")
		return nil
	}
	return usage.Errorf("--issuer: %s and %s each take an issuer, and --issuer sets one: choose one of them here and add the others with `authgen add provider NAME --issuer URL`", strings.Join(ids[:len(ids)-1], ", "), ids[len(ids)-1])
}

// defaultModule is the module path the form offers, and --yes takes, for a
// new go.mod in the directory named base.
func defaultModule(base string) string { return path.Join("example.com", base) }

// checkDefaultModule explains a directory name that makes no module path.
func checkDefaultModule(module string) error {
	if err := usage.Module("", module); err != nil {
		return usage.Errorf("no --module, and the directory's name does not make one: %w; pass --module", err)
	}
	return nil
}

// newManifest writes the choices as a manifest. Providers up to the first
// with an issuer are written by manifest.New; from there on each is added
// in order, so it carries its issuer.
func newManifest(o *Options) (*manifest.Manifest, error) {
	store := o.SessionStore
	if store == storeInDatabase {
		store = ""
	}
	first := len(o.Providers)
	for i, id := range o.Providers {
		if o.issuers[id] != "" {
			first = i
			break
		}
	}
	m, err := manifest.New(manifest.Choices{Providers: o.Providers[:first], Database: o.Database, Strategy: o.Session, Token: o.Token, SessionStore: store, Router: o.Router})
	if err != nil {
		return nil, err
	}
	for _, id := range o.Providers[first:] {
		if _, err := m.AddProvider(manifest.Provider{ID: id, Issuer: o.issuers[id]}); err != nil {
			return nil, fmt.Errorf("provider %s: %w", id, err)
		}
	}
	return m, nil
}
