// Package generator turns a project's manifest into files: the generated
// auth package (typed config, providers, session type, routes), the scaffold
// files the user owns, and entries merged into .gitignore and .env.example.
//
// Generate is pure: it reads nothing and writes nothing, and the same Spec
// always yields the same bytes. Package writer applies its output to disk.
package generator

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
)

// Spec is everything Generate needs.
type Spec struct {
	// Module is the project's Go module path.
	Module string
	// Manifest holds the choices.
	Manifest *manifest.Manifest
	// App adds the demo application main.go (for a module that has none)
	// and package app, the handler it serves.
	App bool
	// Targets are deploy targets (TargetLambda, TargetContainer) whose
	// scaffold files to add; package app too for lambda. Commands that only
	// regenerate leave it empty: the targets' files are the user's by then.
	Targets []string
	// Tests adds the scaffold of the project's tests, <package>/auth_test.go
	// (init). The helper they use, authtest_gen_test.go, is always
	// generated.
	Tests bool
	// Migrations are the names of the files in the project's
	// <package>/migrations directory, the project's own migrations
	// included; nil for a new project. The caller reads them (see
	// MigrationNames), so that Generate stays pure: an authgen migration
	// already there, under any number, is not written again, and a new one
	// is numbered after the newest there, so that it never shares a version
	// with a migration of the project's own.
	Migrations []string
}

// ErrSpec reports a spec Generate cannot honour.
var ErrSpec = errors.New("generator: invalid spec")

// provider is a manifest provider resolved against the catalog.
type provider struct {
	manifest.Provider
	entry *catalog.Provider
	// goName prefixes the provider's Go identifiers ("GitHub").
	goName string
	// envName is the id in variable names ("GITHUB").
	envName string
}

// gen carries the resolved spec through the emitters.
type gen struct {
	spec    Spec
	m       *manifest.Manifest
	pkgPath string // import path of the auth package
	// providers are the OAuth, OAuth 1.0a and OpenID Connect providers.
	providers []provider
	// email: e-mail sign-in is on (the provider with id email).
	email bool
	// forms are the sign-in forms (credentials, ldap), in manifest order.
	forms []provider
	// passkeys: passkeys are on (the provider with id passkey).
	passkeys bool
}

// Generate returns the project's files sorted by path.
func Generate(spec Spec) ([]File, error) {
	if spec.Manifest == nil || spec.Module == "" {
		return nil, fmt.Errorf("%w: module and manifest are required", ErrSpec)
	}
	if err := spec.Manifest.Validate(); err != nil {
		return nil, err
	}
	g := &gen{spec: spec, m: spec.Manifest, pkgPath: path.Join(spec.Module, spec.Manifest.Package)}
	if err := g.checkTargets(); err != nil {
		return nil, err
	}
	for _, mp := range spec.Manifest.Providers {
		entry, ok := catalog.Lookup(mp.CatalogID())
		if !ok {
			return nil, fmt.Errorf("%w: provider %q is not in the catalog (see `authgen providers`)", ErrSpec, mp.CatalogID())
		}
		if entry.IsEmail() {
			g.email = true
			continue
		}
		if entry.IsPasskey() {
			g.passkeys = true
			continue
		}
		if entry.IsCredentials() {
			g.forms = append(g.forms, provider{Provider: mp, entry: entry, goName: entry.GoName})
			continue
		}
		goName := entry.GoName
		if mp.Kind != "" && mp.ID != mp.Kind {
			goName = goIdent(mp.ID)
		}
		g.providers = append(g.providers, provider{Provider: mp, entry: entry, goName: goName, envName: catalog.EnvName(mp.ID)})
	}
	seen := map[string]string{}
	for _, p := range g.providers {
		for _, key := range []string{"go:" + p.goName, "env:" + p.envName} {
			if other, ok := seen[key]; ok {
				return nil, fmt.Errorf("%w: providers %q and %q would share the name %s; give one another --id", ErrSpec, other, p.ID, key[strings.IndexByte(key, ':')+1:])
			}
			seen[key] = p.ID
		}
	}

	var files []File
	emitters := []func() (File, error){g.authFile, g.configFile, g.sessionFile, g.callbacksFile, g.profilesFile, g.sessionDataFile}
	for i := range g.providers {
		p := &g.providers[i]
		emitters = append(emitters, func() (File, error) { return g.providerFile(p) })
	}
	for _, p := range g.forms {
		emitters = append(emitters, func() (File, error) { return g.formFile(p) })
		if p.ID == manifest.CredentialsProviderID {
			emitters = append(emitters, func() (File, error) { return g.credentialsFile(p) })
		}
	}
	switch {
	case g.isSQL():
		emitters = append(emitters, g.storeFile)
		migrations, err := g.migrationFiles()
		if err != nil {
			return nil, err
		}
		files = append(files, migrations...)
	case g.m.Database == manifest.DBMongoDB:
		emitters = append(emitters, g.mongoFile)
	case g.m.Database == manifest.DBCustom:
		emitters = append(emitters, g.customGenFile, g.customStoreFile, g.customTestFile)
	}
	if g.redisSessions() {
		emitters = append(emitters, g.redisFile)
	}
	if g.email {
		emailFiles, err := g.emailFiles()
		if err != nil {
			return nil, err
		}
		files = append(files, emailFiles...)
	}
	if g.hasRouterFile() {
		emitters = append(emitters, g.routerFile)
	}
	emitters = append(emitters, g.testHelperFile)
	if spec.Tests {
		emitters = append(emitters, g.authTestFile)
	}
	if spec.App {
		emitters = append(emitters, g.mainFile)
	}
	emitters = append(emitters, g.targetEmitters()...)
	for _, emit := range emitters {
		f, err := emit()
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	files = append(files, g.gitignore(), g.envExample())
	slices.SortFunc(files, func(a, b File) int { return cmp.Compare(a.Path, b.Path) })
	return files, nil
}

// file is a path in the auth package.
func (g *gen) file(name string) string { return g.m.Package + "/" + name }

// goIdent turns an id such as "corp-sso" into "CorpSSO"-style "CorpSso".
func goIdent(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// lowerFirst makes an exported Go name unexported: "GitHub" → "gitHub".
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
