package manifest_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/authgen/authgen/generator/manifest"
)

// full is a valid manifest that sets every key.
const full = `version: 1
package: auth
basePath: /api/auth
cookiePrefix: authgen
database: sqlite
tablePrefix: auth_
session:
  strategy: database
  token: signed
  store: redis
  maxAge: 720h
  updateAge: 24h
  absoluteMaxAge: 720h
providers:
  - id: github
    name: GitHub
    scopes: [read:user, user:email]
  - id: corp
    kind: oidc
    name: Corp SSO
    issuer: https://idp.example.com
    logout: true
    trustEmail: true
    params:
      prompt: login
  - id: ghe
    kind: github
    baseUrl: https://github.example.com
  - id: email
  - id: credentials
    labels:
      username: Staff ID
  - id: passkey
email:
  maxAge: 1h
  name: Acme
theme:
  brand: "#0f766e"
  logo: /logo.svg
  appName: Acme
pages:
  signIn: /login
  signOut: /logout
  error: /auth-error
  verifyRequest: /check-email
  newUser: /welcome
trustedOrigins: [https://app.example.com]
cookieDomain: example.com
hsts: true
emptySessionObject: true
rateLimit:
  email: 3/h
  emailPerClient: {rate: 30/h, burst: 10}
  signInPerClient: off
  credentials: 5/15m
  twoFactor: 5/h
  emailCode: 20/d
twoFactor: required
passkey:
  signup: true
router: echo
`

func TestFullManifest(t *testing.T) {
	m, err := manifest.Parse([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	corp, _ := m.Provider("corp")
	gh, _ := m.Provider("github")
	if m.Session.MaxAge != 720*time.Hour || m.Session.UpdateAge != 24*time.Hour || corp.Name != "Corp SSO" ||
		corp.Params["prompt"] != "login" || len(gh.Scopes) != 2 || m.Theme.Brand != "#0f766e" || m.Pages.NewUser != "/welcome" ||
		len(m.TrustedOrigins) != 1 || !m.EmptySessionObject || !corp.Logout || !corp.TrustEmail || m.CookieDomain != "example.com" || m.HSTS != manifest.HSTS(manifest.DefaultHSTS) {
		t.Errorf("decoded %+v", m)
	}
	if m.Router != manifest.RouterEcho || m.RouterOrDefault() != manifest.RouterEcho {
		t.Errorf("decoded router %q, want echo", m.Router)
	}
	if m.TwoFactor != manifest.TwoFactorRequired || !m.TwoFactorOn() {
		t.Errorf("decoded twoFactor %q, want required", m.TwoFactor)
	}
	if a := m.Session.AbsoluteMaxAge; a == nil || time.Duration(*a) != 720*time.Hour || m.Session.Revocation {
		t.Errorf("decoded session %+v, want absoluteMaxAge 720h and no revocation", m.Session)
	}
	out, _ := m.Bytes()
	if string(out) != full {
		t.Error("Bytes changed the file")
	}
}

// TestAbsoluteMaxAgeOff: absoluteMaxAge 0 (or 0s) turns the limit off,
// which is not the same as leaving it out (the default), and survives
// being encoded again.
func TestAbsoluteMaxAgeOff(t *testing.T) {
	for _, v := range []string{"0", "0s"} {
		m := mustParse(t, strings.Replace(full, "absoluteMaxAge: 720h", "absoluteMaxAge: "+v, 1))
		if a := m.Session.AbsoluteMaxAge; a == nil || *a != 0 {
			t.Errorf("absoluteMaxAge: %s decoded as %v, want 0 (off)", v, a)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("absoluteMaxAge: %s: %v", v, err)
		}
	}
	m := mustParse(t, strings.Replace(full, "  absoluteMaxAge: 720h\n", "", 1))
	if m.Session.AbsoluteMaxAge != nil {
		t.Errorf("without absoluteMaxAge: decoded as %v, want nil (the default)", *m.Session.AbsoluteMaxAge)
	}
	var zero manifest.Duration
	if v, err := zero.MarshalYAML(); err != nil || v != 0 {
		t.Errorf("Duration(0).MarshalYAML() = %v, %v; want 0", v, err)
	}
}

// TestValidationErrors: each mistake is refused with ErrInvalid, one
// problem naming the key (its YAML path) at its line, and the fix.
func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name string
		// edits replace the first occurrence of each even element with the
		// next one.
		edits []string
		// path is the key named; at is text on the line reported.
		path, at string
		want     string
		// catalog: only Validate finds it (the catalog is not read by Parse).
		catalog bool
	}{
		{name: "unknown key under email", edits: []string{"  name: Acme\ntheme", "  from: a@b.c\ntheme"}, path: "email.from", at: "from", want: "the keys under email are maxAge, name"},
		{name: "email maxAge out of range", edits: []string{"  maxAge: 1h\n  name", "  maxAge: 720h\n  name"}, path: "email.maxAge", at: "720h", want: "out of range"},
		{name: "email entry with OAuth keys", edits: []string{"  - id: email", "  - id: email\n    scopes: [x]"}, path: "providers[3].scopes", want: "e-mail sign-in is no OAuth provider and has no scopes", catalog: true},
		{name: "labels on an OAuth provider", edits: []string{"    scopes: [read:user, user:email]\n", "    scopes: [read:user, user:email]\n    labels: {username: Login}\n"}, path: "providers[0].labels", want: "GitHub has no sign-in form: remove them", catalog: true},
		{name: "label of no field", edits: []string{"      username: Staff ID", "      usernme: Staff ID"}, path: "providers[4].labels.usernme", at: "usernme", want: `Credentials's form has no field "usernme" (did you mean username?): its fields are username, password`, catalog: true},
		{name: "label too long", edits: []string{"      username: Staff ID", "      username: " + strings.Repeat("x", 65)}, path: "providers[4].labels.username", want: "1 to 64 characters"},
		{name: "credentials under another id", edits: []string{"  - id: credentials", "  - id: staff\n    kind: credentials"}, path: "providers[4].id", want: "a Credentials sign-in form's id is credentials", catalog: true},
		{name: "an OpenID Connect provider named passkey", edits: []string{"  - id: passkey\n", "", "passkey:\n  signup: true\n", "", "  - id: corp\n", "  - id: passkey\n"}, path: "providers[1].id", at: "passkey",
			want: "passkey is passkeys' id (their accounts and the routes /signin/passkey and /callback/passkey), even when they are off: give this OpenID Connect provider another id", catalog: true},
		{name: "a GitHub provider named email", edits: []string{"  - id: email\n", "", "  - id: ghe\n", "  - id: email\n"}, path: "providers[2].id", at: "email",
			want: "email is e-mail sign-in's id", catalog: true},
		{name: "an LDAP form named passkey", edits: []string{"  - id: passkey\n", "", "passkey:\n  signup: true\n", "", "  - id: credentials\n", "  - id: passkey\n    kind: ldap\n"}, path: "providers[4].id", at: "passkey",
			want: "passkey: a LDAP sign-in form's id is ldap", catalog: true},
		{name: "credentials with OAuth keys", edits: []string{"  - id: credentials", "  - id: credentials\n    scopes: [x]"}, path: "providers[4].scopes", want: "Credentials is a sign-in form, no OAuth provider, and has no scopes", catalog: true},
		{name: "ldap with an issuer", edits: []string{"  - id: credentials", "  - id: ldap\n    issuer: https://idp.example.com"}, path: "providers[4].issuer", want: "LDAP is a sign-in form, no OAuth provider, and has no issuer", catalog: true},
		{name: "unknown key", edits: []string{"database: sqlite", "databse: sqlite"}, path: "databse", at: "databse", want: "unknown key (did you mean database?)"},
		{name: "unknown nested key", edits: []string{"  maxAge: 720h", "  maxage: 720h"}, path: "session.maxage", at: "maxage", want: "did you mean maxAge?"},
		{name: "key at the wrong level", edits: []string{"emptySessionObject: true\n", "emptySessionObject: true\nmaxAge: 720h\n"}, path: "maxAge", at: "maxAge", want: "did you mean session.maxAge? it goes under session"},
		{name: "unknown key without a near one", edits: []string{"  appName: Acme", "  colour: teal"}, path: "theme.colour", at: "colour", want: "the keys under theme are brand, logo, appName"},
		{name: "unknown provider key", edits: []string{"    scopes: [read:user", "    scope: [read:user"}, path: "providers[0].scope", at: "scope:", want: "did you mean scopes?"},
		{name: "key set twice", edits: []string{"database: sqlite\n", "database: sqlite\ndatabase: postgres\n"}, path: "database", at: "postgres", want: "set twice (first on line 5)"},
		{name: "missing key", edits: []string{"package: auth\n", ""}, path: "package", at: "version", want: "is missing: add package: auth"},
		{name: "database", edits: []string{"database: sqlite", "database: postgresql"}, path: "database", at: "postgresql", want: "did you mean postgres?"},
		{name: "strategy", edits: []string{"strategy: database", "strategy: databse"}, path: "session.strategy", at: "databse", want: `"databse" must be database or jwt (did you mean database?)`},
		{name: "router", edits: []string{"router: echo", "router: net/http"}, path: "router", at: "net/http", want: `"net/http" is not one of nethttp, chi, echo, gin (did you mean nethttp?)`},
		{name: "token", edits: []string{"token: signed", "token: encrypt"}, path: "session.token", at: "encrypt", want: "did you mean encrypted?"},
		{name: "session store", edits: []string{"store: redis", "store: reddis"}, path: "session.store", at: "reddis", want: "did you mean redis?"},
		{name: "duration without a unit", edits: []string{"maxAge: 720h", "maxAge: 30"}, path: "session.maxAge", at: "maxAge", want: "has no unit: write a Go duration such as 720h"},
		{name: "duration in words", edits: []string{"maxAge: 720h", "maxAge: 30 days"}, path: "session.maxAge", at: "maxAge", want: "is not a Go duration"},
		{name: "maxAge too short", edits: []string{"maxAge: 720h", "maxAge: 1m"}, path: "session.maxAge", at: "maxAge", want: "out of range: a session lasts from 5m to 8760h"},
		{name: "maxAge too long", edits: []string{"maxAge: 720h", "maxAge: 10000h"}, path: "session.maxAge", at: "maxAge", want: "out of range"},
		{name: "updateAge too short", edits: []string{"updateAge: 24h", "updateAge: 10s"}, path: "session.updateAge", at: "updateAge", want: "too short"},
		{name: "updateAge not below maxAge", edits: []string{"updateAge: 24h", "updateAge: 720h"}, path: "session.updateAge", at: "updateAge", want: "must be less than maxAge (720h)"},
		{name: "absoluteMaxAge below maxAge", edits: []string{"absoluteMaxAge: 720h", "absoluteMaxAge: 168h"}, path: "session.absoluteMaxAge", at: "absoluteMaxAge",
			want: "168h is less than maxAge (720h): no session could last maxAge; raise absoluteMaxAge, lower maxAge, or set 0 to turn the limit off"},
		{name: "absoluteMaxAge too long", edits: []string{"absoluteMaxAge: 720h", "absoluteMaxAge: 10000h"}, path: "session.absoluteMaxAge", at: "absoluteMaxAge", want: "out of range"},
		{name: "absoluteMaxAge in words", edits: []string{"absoluteMaxAge: 720h", "absoluteMaxAge: never"}, path: "session.absoluteMaxAge", at: "absoluteMaxAge", want: "is not a Go duration"},
		{name: "revocation with database sessions", edits: []string{"  absoluteMaxAge: 720h\n", "  absoluteMaxAge: 720h\n  revocation: true\n"}, path: "session.revocation", at: "revocation",
			want: "is for JWT sessions: database sessions end on every instance at once anyway; remove it"},
		{name: "revocation without a database", edits: []string{"twoFactor: required\n", "", "  - id: email\n", "", "email:\n  maxAge: 1h\n  name: Acme\n", "", "database: sqlite", "database: none", "  - id: passkey\n", "", "passkey:\n  signup: true\n", "", "    trustEmail: true\n", "", "strategy: database", "strategy: jwt", "  store: redis\n", "", "  newUser: /welcome\n", "",
			"  absoluteMaxAge: 720h\n", "  absoluteMaxAge: 720h\n  revocation: true\n"}, path: "session.revocation", at: "revocation", want: "needs a database, which keeps a record of each JWT session"},
		{name: "revocation not a boolean", edits: []string{"  absoluteMaxAge: 720h\n", "  absoluteMaxAge: 720h\n  revocation: yes please\n"}, path: "session.revocation", at: "revocation", want: "must be true or false"},
		{name: "maxAge below the default updateAge", edits: []string{"  updateAge: 24h\n", "", "maxAge: 720h", "maxAge: 1h"}, path: "session.maxAge", at: "maxAge", want: "set session.updateAge below it, such as 15m"},
		{name: "brand", edits: []string{`brand: "#0f766e"`, `brand: "red;}body{display:none"`}, path: "theme.brand", at: "brand", want: "is not a CSS colour: write #rrggbb"},
		{name: "brand as a function", edits: []string{`brand: "#0f766e"`, `brand: rgb(1,2,3)`}, path: "theme.brand", at: "brand", want: "is not a CSS colour"},
		{name: "brand unquoted", edits: []string{`brand: "#0f766e"`, `brand: #0f766e`}, path: "theme.brand", at: "brand", want: `quote it: "#0f766e"`},
		{name: "http logo", edits: []string{"logo: /logo.svg", "logo: http://cdn.example.com/logo.svg"}, path: "theme.logo", at: "logo", want: "neither an https URL nor a path on this site"},
		{name: "protocol-relative logo", edits: []string{"logo: /logo.svg", "logo: //evil.example/logo.svg"}, path: "theme.logo", at: "logo", want: "neither an https URL nor a path"},
		{name: "app name", edits: []string{"appName: Acme", "appName: \"\""}, path: "theme.appName", at: "appName", want: "one line of 1 to 64 characters"},
		{name: "foreign page", edits: []string{"signIn: /login", "signIn: https://evil.example/login"}, path: "pages.signIn", at: "signIn", want: "is not a path on this site: write a path such as /login"},
		{name: "protocol-relative page", edits: []string{"signOut: /logout", "signOut: //evil.example/logout"}, path: "pages.signOut", at: "signOut", want: "not a path on this site"},
		{name: "page under the base path", edits: []string{"error: /auth-error", "error: /api/auth/error"}, path: "pages.error", at: "error:", want: "under the auth API's base path /api/auth"},
		{name: "page under a custom base path", edits: []string{"basePath: /api/auth", "basePath: /auth", "verifyRequest: /check-email", "verifyRequest: /auth/check"}, path: "pages.verifyRequest", at: "verifyRequest", want: "base path /auth"},
		{name: "new user page without a database", edits: []string{"twoFactor: required\n", "", "  - id: email\n", "", "email:\n  maxAge: 1h\n  name: Acme\n", "", "database: sqlite", "database: none", "  - id: passkey\n", "", "passkey:\n  signup: true\n", "", "    trustEmail: true\n", "", "strategy: database", "strategy: jwt", "  store: redis\n", ""}, path: "pages.newUser", at: "newUser", want: "needs a database"},
		{name: "origin with a path", edits: []string{"[https://app.example.com]", "[https://app.example.com/]"}, path: "trustedOrigins[0]", at: "trustedOrigins", want: "is not an origin: write scheme://host[:port]"},
		{name: "origin twice", edits: []string{"[https://app.example.com]", "[https://app.example.com, https://app.example.com]"}, path: "trustedOrigins[1]", at: "trustedOrigins", want: "listed twice"},
		{name: "origins not a list", edits: []string{"[https://app.example.com]", "https://app.example.com"}, path: "trustedOrigins", at: "trustedOrigins", want: "must be a list"},
		{name: "bool", edits: []string{"emptySessionObject: true", "emptySessionObject: yes"}, path: "emptySessionObject", at: "emptySessionObject", want: "must be true or false"},
		{name: "cookie domain with a dot", edits: []string{"cookieDomain: example.com", "cookieDomain: .example.com"}, path: "cookieDomain", at: "cookieDomain", want: "is not a domain: write a name such as example.com"},
		{name: "cookie domain of one label", edits: []string{"cookieDomain: example.com", "cookieDomain: localhost"}, path: "cookieDomain", at: "cookieDomain", want: "is not a domain"},
		{name: "hsts too short", edits: []string{"hsts: true", "hsts: 1m"}, path: "hsts", at: "hsts", want: "out of range: a max-age from 5m to 17520h"},
		{name: "hsts without a unit", edits: []string{"hsts: true", "hsts: 31536000"}, path: "hsts", at: "hsts", want: "has no unit"},
		{name: "hsts in words", edits: []string{"hsts: true", "hsts: yes"}, path: "hsts", at: "hsts", want: "or true for a year"},
		{name: "hsts not a value", edits: []string{"hsts: true", "hsts: [true]"}, path: "hsts", at: "hsts", want: "single value"},
		{name: "version", edits: []string{"version: 1", "version: 2"}, path: "version", at: "version", want: "version 2 is not supported"},
		{name: "package", edits: []string{"package: auth", "package: Auth-x"}, path: "package", at: "package", want: "lower-case Go package name"},
		{name: "package main", edits: []string{"package: auth", "package: main"}, path: "package", at: "package", want: "not a keyword or main"},
		{name: "base path", edits: []string{"basePath: /api/auth", "basePath: api/auth/"}, path: "basePath", at: "basePath", want: "starts with /"},
		{name: "cookie prefix", edits: []string{"cookiePrefix: authgen", "cookiePrefix: a;b"}, path: "cookiePrefix", at: "cookiePrefix", want: "letters, digits, - and _"},
		{name: "table prefix", edits: []string{"tablePrefix: auth_", "tablePrefix: Auth"}, path: "tablePrefix", at: "tablePrefix", want: "lower-case letters"},
		{name: "provider id", edits: []string{"- id: github", "- id: Git Hub"}, path: "providers[0].id", at: "Git Hub", want: "lower-case letters, digits and -"},
		{name: "provider listed twice", edits: []string{"  - id: ghe\n", "  - id: github\n"}, path: "providers[2].id", at: "- id: github", want: "github is listed twice (also providers[0])"},
		{name: "provider name", edits: []string{"name: Corp SSO", "name: \"Corp\\nSSO\""}, path: "providers[1].name", at: "Corp", want: "one line"},
		{name: "issuer over http", edits: []string{"issuer: https://idp.example.com", "issuer: http://idp.example.com"}, path: "providers[1].issuer", at: "issuer", want: "must use https"},
		{name: "scope with a space", edits: []string{"[read:user, user:email]", "[read:user, \"user email\"]"}, path: "providers[0].scopes[1]", at: "scopes", want: "is not a scope"},
		{name: "scope twice", edits: []string{"[read:user, user:email]", "[read:user, read:user]"}, path: "providers[0].scopes[1]", at: "scopes", want: "listed twice"},
		{name: "reserved parameter", edits: []string{"prompt: login", "client_id: other"}, path: "providers[1].params.client_id", at: "client_id", want: "set by the sign-in flow itself"},
		{name: "scope as a parameter", edits: []string{"prompt: login", "scope: openid"}, path: "providers[1].params.scope", at: "scope", want: "list them under scopes"},
		{name: "parameter not a value", edits: []string{"prompt: login", "prompt: [login, consent]"}, path: "providers[1].params.prompt", at: "prompt", want: "single value"},
		{name: "session not a mapping", edits: []string{"session:\n  strategy: database\n  token: signed\n  store: redis\n  maxAge: 720h\n  updateAge: 24h\n  absoluteMaxAge: 720h\n", "session: jwt\n"}, path: "session", at: "session", want: "must be a mapping of keys, such as {strategy: database, token: signed}"},
		{name: "providers not a list", edits: []string{full[strings.Index(full, "providers:"):strings.Index(full, "theme:")], "providers: github\n"}, path: "providers", at: "providers", want: "must be a list, such as [{id: github}]"},
		{name: "provider not a mapping", edits: []string{"  - id: ghe\n    kind: github\n    baseUrl: https://github.example.com\n", "  - ghe\n"}, path: "providers[2]", at: "- ghe", want: "must be a mapping of keys, such as {id: github}"},
		{name: "not yaml", edits: []string{"version: 1", "version: ["}, path: "", at: "", want: "not valid YAML"},
		{name: "database sessions without a database", edits: []string{"twoFactor: required\n", "", "  - id: email\n", "", "email:\n  maxAge: 1h\n  name: Acme\n", "", "database: sqlite", "database: none", "  - id: passkey\n", "", "passkey:\n  signup: true\n", "", "    trustEmail: true\n", "", "  newUser: /welcome\n", "", "  store: redis\n", ""}, path: "session.strategy", at: "strategy", want: "database needs a database"},
		{name: "two-factor mode", edits: []string{"twoFactor: required", "twoFactor: requried"}, path: "twoFactor", at: "requried", want: "did you mean required?"},
		{name: "two-factor without a database", edits: []string{"  - id: email\n", "", "email:\n  maxAge: 1h\n  name: Acme\n", "", "database: sqlite", "database: none", "  - id: passkey\n", "", "passkey:\n  signup: true\n", "", "    trustEmail: true\n", "", "strategy: database", "strategy: jwt", "  store: redis\n", "", "  newUser: /welcome\n", ""},
			path: "twoFactor", at: "twoFactor", want: "required needs a database, which keeps each user's second factor: choose one (database: sqlite), or set twoFactor: off"},
		{name: "passkey settings without passkeys", edits: []string{"  - id: passkey\n", ""}, path: "passkey", at: "passkey", want: "holds the settings of passkeys, which providers lacks: add - id: passkey to providers"},
		{name: "passkeys without a database", edits: []string{"twoFactor: required\n", "", "  - id: email\n", "", "email:\n  maxAge: 1h\n  name: Acme\n", "", "database: sqlite", "database: none", "    trustEmail: true\n", "", "strategy: database", "strategy: jwt", "  store: redis\n", "", "  newUser: /welcome\n", ""},
			path: "providers[4].id", at: "passkey", want: "passkeys need a database, which keeps each user's passkeys"},
		{name: "passkeys under another id", edits: []string{"  - id: passkey\n", "  - id: webauthn\n    kind: passkey\n"}, path: "providers[5].id", at: "webauthn", want: "passkeys' id is passkey", catalog: true},
		{name: "passkeys with an OAuth key", edits: []string{"  - id: passkey\n", "  - id: passkey\n    scopes: [openid]\n"}, path: "providers[5].scopes", at: "scopes", want: "passkeys are no OAuth provider and have no scopes", catalog: true},
		{name: "trustEmail without a database", edits: []string{"twoFactor: required\n", "", "  - id: email\n", "", "email:\n  maxAge: 1h\n  name: Acme\n", "", "database: sqlite", "database: none", "  - id: passkey\n", "", "passkey:\n  signup: true\n", "", "  newUser: /welcome\n", "", "  store: redis\n", "", "strategy: database", "strategy: jwt"}, path: "providers[1].trustEmail", at: "trustEmail", want: "needs a database"},
		{name: "authjs with database sessions", edits: []string{"twoFactor: required\n", "twoFactor: required\nauthjs:\n  version: 5\n"}, path: "authjs", at: "authjs",
			want: "needs session.strategy jwt: with database sessions the cookie holds a token only authgen's database knows"},
		{name: "authjs version", edits: []string{"twoFactor: required\n", "twoFactor: required\nauthjs:\n  version: 3\n", "strategy: database", "strategy: jwt", "  store: redis\n", ""}, path: "authjs.version", at: "3", want: `"3" must be 5 or 4`},
		{name: "authjs with Auth.js's cookie prefix", edits: []string{"twoFactor: required\n", "twoFactor: required\nauthjs:\n  version: 4\n", "strategy: database", "strategy: jwt", "  store: redis\n", "", "cookiePrefix: authgen", "cookiePrefix: next-auth"}, path: "cookiePrefix", at: "cookiePrefix",
			want: "next-auth is Auth.js's prefix"},
		{name: "redis without database sessions", edits: []string{"strategy: database", "strategy: jwt"}, path: "session.store", at: "store", want: "redis needs session.strategy database and a database for users"},

		{name: "provider not in the catalog", edits: []string{"- id: github", "- id: githbu"}, path: "providers[0].id", at: "githbu", want: `"githbu" is not in the catalog (did you mean github?)`, catalog: true},
		{name: "kind not in the catalog", edits: []string{"kind: oidc", "kind: oidcc"}, path: "providers[1].kind", at: "oidcc", want: "did you mean oidc?", catalog: true},
		{name: "issuer of an OAuth 2.0 provider", edits: []string{"    scopes: [read:user", "    issuer: https://idp.example.com\n    scopes: [read:user"}, path: "providers[0].issuer", at: "issuer", want: "only OpenID Connect providers have an issuer", catalog: true},
		{name: "base URL without a self-hosted variant", edits: []string{"kind: github", "kind: google"}, path: "providers[2].baseUrl", at: "baseUrl", want: "Google has no self-hosted variant", catalog: true},
		{name: "logout of an OAuth 2.0 provider", edits: []string{"    scopes: [read:user", "    logout: true\n    scopes: [read:user"}, path: "providers[0].logout", at: "logout", want: "only OpenID Connect providers end", catalog: true},
		{name: "trustEmail of a provider that cannot say", edits: []string{"kind: github", "kind: gitlab", "    baseUrl: https://github.example.com\n", "    baseUrl: https://gitlab.example.com\n    trustEmail: true\n"}, path: "providers[2].trustEmail", at: "trustEmail", want: "GitLab never reports whether an address is verified (not reported)", catalog: true},
		{name: "OpenID Connect scopes without openid", edits: []string{"    params:\n", "    scopes: [profile, email]\n    params:\n"}, path: "providers[1].scopes", at: "scopes", want: "must include openid, such as [openid, profile, email]", catalog: true},
		{name: "scopes of an OAuth 1.0a provider", edits: []string{"kind: github", "kind: twitter-legacy", "    baseUrl: https://github.example.com\n", "    scopes: [read]\n"}, path: "providers[2].scopes", at: "scopes", want: "has no scopes", catalog: true},
		{name: "parameters of an OAuth 1.0a provider", edits: []string{"kind: oidc", "kind: oauth1", "    issuer: https://idp.example.com\n    logout: true\n    trustEmail: true\n", ""}, path: "providers[1].params", at: "params", want: "takes no authorization parameters", catalog: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := full
			for i := 0; i+1 < len(tt.edits); i += 2 {
				if !strings.Contains(src, tt.edits[i]) {
					t.Fatalf("the base manifest lacks %q", tt.edits[i])
				}
				src = strings.Replace(src, tt.edits[i], tt.edits[i+1], 1)
			}
			m, err := manifest.Parse([]byte(src))
			if tt.catalog {
				if err != nil {
					t.Fatalf("Parse refused what only the catalog refuses: %v", err)
				}
				err = m.Validate()
			}
			var e *manifest.Error
			if !errors.Is(err, manifest.ErrInvalid) || !errors.As(err, &e) {
				t.Fatalf("err = %v, want a *manifest.Error", err)
			}
			if len(e.Problems) != 1 {
				t.Fatalf("%d problems, want 1:\n%v", len(e.Problems), err)
			}
			p := e.Problems[0]
			if p.Path != tt.path || !strings.Contains(p.Message, tt.want) {
				t.Errorf("problem %q: %q, want %q: …%s…", p.Path, p.Message, tt.path, tt.want)
			}
			lines := strings.Split(src, "\n")
			if tt.at != "" && (p.Line < 1 || p.Line > len(lines) || !strings.Contains(lines[p.Line-1], tt.at)) {
				t.Errorf("line %d is not the line with %q:\n%s", p.Line, tt.at, src)
			}
			if !strings.Contains(err.Error(), manifest.File+":") || (tt.path != "" && !strings.Contains(err.Error(), tt.path+": ")) {
				t.Errorf("message %q does not name the file and the key", err)
			}
		})
	}
}

// TestEmailNeedsDatabase: e-mail sign-in without a database is refused,
// as Auth.js refuses it, naming the fix.
func TestEmailNeedsDatabase(t *testing.T) {
	src := "version: 1\npackage: auth\nbasePath: /api/auth\ncookiePrefix: authgen\ndatabase: none\nsession: {strategy: jwt, token: signed}\nproviders:\n  - id: github\n  - id: email\n"
	_, err := manifest.Parse([]byte(src))
	var e *manifest.Error
	if !errors.As(err, &e) || len(e.Problems) != 1 || e.Problems[0].Path != "providers[1].id" ||
		!strings.Contains(e.Problems[0].Message, "email needs a database, which keeps the users and the sign-in tokens (as in Auth.js): choose one") {
		t.Fatalf("Parse: %v", err)
	}
	if _, err := manifest.Parse([]byte(strings.Replace(src, "database: none\nsession: {strategy: jwt", "database: sqlite\nsession: {strategy: database", 1))); err != nil {
		t.Errorf("with a database: %v", err)
	}
}

// TestEveryProblemAtOnce: the problems of a manifest are reported
// together, each on its line.
func TestEveryProblemAtOnce(t *testing.T) {
	src := strings.NewReplacer("databse", "", "database: sqlite", "databse: sqlite", "maxAge: 720h", "maxAge: 30", `brand: "#0f766e"`, "brand: red;").Replace(full)
	_, err := manifest.Parse([]byte(src))
	var e *manifest.Error
	if !errors.As(err, &e) || len(e.Problems) != 3 {
		t.Fatalf("err = %v, want 3 problems", err)
	}
	if !strings.HasPrefix(err.Error(), "authgen.yaml has 3 problems:\n  authgen.yaml:5: databse: unknown key (did you mean database?)\n  authgen.yaml:11: session.maxAge: ") {
		t.Errorf("message:\n%s", err)
	}
}

// TestReadNamesTheFile: Read's errors name the file it was given.
func TestReadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), manifest.File)
	if err := os.WriteFile(path, []byte(strings.Replace(full, "token: signed", "token: sealed", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := manifest.Read(path)
	if !errors.Is(err, manifest.ErrInvalid) || !strings.HasPrefix(err.Error(), path+":9: session.token: ") {
		t.Errorf("Read: %v", err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := manifest.Read(path); !errors.Is(err, manifest.ErrInvalid) || !strings.Contains(err.Error(), "the file is empty: run `authgen init`") {
		t.Errorf("Read of an empty file: %v", err)
	}
}

// TestValidateBuiltInCode: a manifest built in code is checked by the same
// rules, without lines.
func TestValidateBuiltInCode(t *testing.T) {
	m := &manifest.Manifest{Version: 1, Package: "auth", BasePath: "/api/auth", CookiePrefix: "authgen", Database: "none",
		Session:   manifest.Session{Strategy: "jwt", Token: "signed", MaxAge: time.Hour, UpdateAge: 2 * time.Hour},
		Providers: []manifest.Provider{{ID: "github"}}, Theme: manifest.Theme{Brand: "url(x)"}}
	err := m.Validate()
	var e *manifest.Error
	if !errors.As(err, &e) || len(e.Problems) != 1 || e.Problems[0].Path != "theme.brand" || e.Problems[0].Line != 0 {
		t.Fatalf("Validate: %v", err)
	}
	m.Theme.Brand = "teal"
	if err := m.Validate(); !errors.As(err, &e) || e.Problems[0].Path != "session.updateAge" {
		t.Fatalf("Validate: %v", err)
	}
	m.Session.UpdateAge = time.Minute
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	// After an edit of the parsed struct, the problem is still found.
	parsed := mustParse(t, full)
	parsed.Pages.SignIn = "https://evil.example"
	if err := parsed.Validate(); !errors.As(err, &e) || e.Problems[0].Path != "pages.signIn" {
		t.Fatalf("Validate after an edit: %v", err)
	}
}

// TestCheckValue: the rules of a key, for a value given elsewhere (a flag).
func TestCheckValue(t *testing.T) {
	tests := []struct{ path, value, want string }{
		{"database", "postgresql", "did you mean postgres?"},
		{"database", "custom", ""},
		{"session.strategy", "jwt", ""},
		{"session.token", "sign", "did you mean signed?"},
		{"session.store", "redis", ""},
		{"session.maxAge", "30d", "not a Go duration"},
		{"providers[].issuer", "http://idp.example.com", "https"},
		{"providers[].id", "-x", "lower-case"},
		{"theme.brand", "teal", ""},
		{"pages.signIn", "/api/auth/signin", "base path"},
		{"trustedOrigins", "https://app.example.com", ""},
		{"nope", "x", "not a key of authgen.yaml"},
	}
	for _, tt := range tests {
		err := manifest.CheckValue(tt.path, tt.value)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckValue(%q, %q) = %v, want %q", tt.path, tt.value, err, tt.want)
		}
	}
}

// fullJWT sets the keys that full cannot hold together with its database
// sessions in Redis: JWT sessions with revocation, shared with Auth.js.
var fullJWT = strings.Replace(full, "  strategy: database\n  token: signed\n  store: redis\n", "  strategy: jwt\n  token: signed\n  revocation: true\n", 1) +
	"authjs:\n  version: 5\n"

// TestFieldsAreTheStruct: every key of the schema decodes into Manifest,
// and every field of Manifest is in the schema, so neither can grow alone.
func TestFieldsAreTheStruct(t *testing.T) {
	m := mustParse(t, full)
	jwt := mustParse(t, fullJWT)
	if !jwt.Session.Revocation {
		t.Fatal("fullJWT does not set session.revocation")
	}
	seen := map[string]bool{}
	for _, f := range manifest.Fields() {
		seen[f.Path] = true
		if f.Doc == "" || f.Type == "" {
			t.Errorf("%s has no Doc or Type", f.Path)
		}
		if f.Example == "" && f.Type != manifest.TypeMapping {
			t.Errorf("%s has no Example", f.Path)
		}
	}
	// full and fullJWT set every key; encoding them must produce only
	// schema keys.
	out, err := encodePaths(m)
	if err != nil {
		t.Fatal(err)
	}
	outJWT, err := encodePaths(jwt)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range outJWT {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, p := range out {
		if !seen[p] {
			t.Errorf("Manifest encodes %s, which the schema lacks", p)
		}
		delete(seen, p)
	}
	for p := range seen {
		t.Errorf("the schema has %s, which full does not set or Manifest lacks", p)
	}
}

// encodePaths lists the schema paths of the keys m encodes to.
func encodePaths(m *manifest.Manifest) ([]string, error) {
	var root yaml.Node
	if err := root.Encode(m); err != nil {
		return nil, err
	}
	var out []string
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				out = append(out, p)
				if f, ok := manifest.LookupField(p); ok && (f.Type == manifest.TypeMapping || f.Type == manifest.TypeList) {
					walk(n.Content[i+1], p)
				}
			}
		case yaml.SequenceNode:
			for _, item := range n.Content {
				walk(item, path+"[]")
			}
		}
	}
	walk(&root, "")
	slices.Sort(out)
	return slices.Compact(out), nil
}

// TestEditsKeepNewKeys: removing and adding providers keeps the other
// keys, an entry's nested scopes and params go with it, and an entry with
// them can be added.
func TestEditsKeepNewKeys(t *testing.T) {
	m := mustParse(t, full)
	if _, err := m.RemoveProvider("corp"); err != nil {
		t.Fatal(err)
	}
	got := text(t, m)
	want := strings.Replace(full, "  - id: corp\n    kind: oidc\n    name: Corp SSO\n    issuer: https://idp.example.com\n    logout: true\n    trustEmail: true\n    params:\n      prompt: login\n", "", 1)
	if got != want {
		t.Errorf("after removing corp:\n%s", got)
	}
	p := manifest.Provider{ID: "staff", Kind: "oidc", Name: "Staff", Issuer: "https://idp.example.com", Logout: true,
		Scopes: []string{"openid", "email"}, Params: map[string]string{"prompt": "login"}}
	if _, err := m.AddProvider(p); err != nil {
		t.Fatal(err)
	}
	again := mustParse(t, text(t, m))
	if err := again.Validate(); err != nil {
		t.Fatal(err)
	}
	if have, _ := again.Provider("staff"); have.Name != "Staff" || !have.Logout || len(have.Scopes) != 2 || have.Params["prompt"] != "login" {
		t.Errorf("added %+v:\n%s", have, text(t, again))
	}
	if again.Theme.Brand != "#0f766e" || len(again.TrustedOrigins) != 1 || again.Session.MaxAge != 720*time.Hour {
		t.Errorf("other keys lost:\n%s", text(t, again))
	}

	// Scalar fields are spliced in as text.
	m = mustParse(t, full)
	if _, err := m.AddProvider(manifest.Provider{ID: "google", Name: "Google Workspace"}); err != nil {
		t.Fatal(err)
	}
	if got := text(t, m); !strings.Contains(got, "      username: Staff ID\n  - id: passkey\n  - id: google\n    name: Google Workspace\nemail:\n") {
		t.Errorf("after adding google:\n%s", got)
	}
}

// TestTwoFactorStores: twoFactor and passkeys (full has both) are accepted
// wherever the store of users keeps second factors and passkeys (the SQL
// stores, also beside Redis sessions, mongostore, and a custom store, whose
// scaffold carries stubs), and off is accepted with any database.
func TestTwoFactorStores(t *testing.T) {
	for _, tc := range []struct {
		name string
		// edits replace the first occurrence of each even element with the
		// next one.
		edits []string
	}{
		{"sqlite with redis sessions", nil},
		{"postgres with redis sessions", []string{"database: sqlite", "database: postgres"}},
		{"mysql", []string{"database: sqlite", "database: mysql"}},
		{"mongodb", []string{"database: sqlite", "database: mongodb", "  store: redis\n", ""}},
		{"mongodb when off", []string{"database: sqlite", "database: mongodb", "twoFactor: required", "twoFactor: off"}},
		{"custom", []string{"database: sqlite", "database: custom", "  store: redis\n", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := full
			for i := 0; i+1 < len(tc.edits); i += 2 {
				src = strings.Replace(src, tc.edits[i], tc.edits[i+1], 1)
			}
			m, err := manifest.Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestRemovePasskeys: removing the passkey provider removes its passkey:
// settings, which would otherwise be refused without it, and keeps the
// rest of the file as it was.
func TestRemovePasskeys(t *testing.T) {
	m := mustParse(t, full)
	if _, err := m.RemoveProvider(manifest.PasskeyProviderID); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(strings.Replace(full, "  - id: passkey\n", "", 1), "passkey:\n  signup: true\n", "", 1)
	if got := text(t, m); got != want {
		t.Errorf("after removing passkey:\n%s", got)
	}
	if m.Passkey != nil || m.HasPasskey() {
		t.Errorf("passkeys are still on: %+v", m.Passkey)
	}
}
