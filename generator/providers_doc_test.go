package generator_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/env"
)

// providersDoc renders docs/PROVIDERS.md from the catalog, so the list
// never drifts from the code; each entry's variables are its Vars in
// runtime/env's table, as generator.ProviderEnv makes them.
func providersDoc() (string, error) {
	var b strings.Builder
	entries := catalog.All()
	fmt.Fprintf(&b, "# Providers\n\n")
	fmt.Fprintf(&b, "authgen's catalog has %d providers. Add one with `authgen add provider ID`; list them with\n", len(entries))
	b.WriteString("`authgen providers [FILTER]`. Each reads `AUTH_<ID>_*` variables (`<ID>` upper-cased, `-` → `_`):\n")
	b.WriteString("the required ones, and the optional ones with what they point at. An `issuer` or `baseUrl` given\n")
	b.WriteString("in `authgen.yaml` (`--issuer`, `--base-url`) makes that variable optional. Every provider can also\n")
	b.WriteString("have its endpoints overridden with `AUTH_<ID>_AUTHORIZATION_URL`, `_TOKEN_URL` and `_USERINFO_URL`\n")
	b.WriteString("(`_REQUEST_TOKEN_URL` for OAuth 1.0a), for tests or a proxy.\n\n")
	b.WriteString("The *verified address* column says how each provider reports that the e-mail address it gives is\n")
	b.WriteString("verified: what `trustEmail: true` in `authgen.yaml` needs to link a sign-in to the existing user\n")
	b.WriteString("with that address. A provider that cannot say never links by e-mail (`trustEmail` is refused).\n\n")
	b.WriteString("`credentials` and `ldap` are sign-in forms, no OAuth providers: a username and a password that your\n")
	b.WriteString("`Authorize` (`<package>/credentials.go`) or the directory of `AUTH_LDAP_*` checks; `labels` in\n")
	b.WriteString("`authgen.yaml` relabels their fields.\n\n")
	b.WriteString("This file is generated from `generator/catalog` and `runtime/env` by `go test ./generator -run TestProvidersDoc -update`.\n\n")
	b.WriteString("| id | name | protocol | required | optional | verified address | documentation |\n|---|---|---|---|---|---|---|\n")
	for _, e := range entries {
		if e.IsEmail() {
			fmt.Fprintf(&b, "| `%s` | %s | e-mail (passwordless) | %s | %s | %s | [docs](%s) |\n", e.ID, e.Name, "a `database`", emailVars(), "always: the mailed link or code proves it", e.Docs)
			continue
		}
		if e.IsPasskey() {
			fmt.Fprintf(&b, "| `%s` | %s | passkeys (WebAuthn) | %s | — | %s | [docs](%s) |\n", e.ID, e.Name, "a `database`", verifiedCell(e), e.Docs)
			continue
		}
		if e.IsCredentials() {
			required, optional, verified := "—", "—", "what your `Authorize` (`<package>/credentials.go`) says"
			if e.ID == manifest.LDAPProviderID {
				var req, opt []string
				for _, v := range generator.LDAPVars() {
					cell := "`" + v.Name + "`"
					if v.Example != "" {
						cell += " (" + v.Example + ")"
					}
					if v.Required {
						req = append(req, cell)
					} else {
						opt = append(opt, cell)
					}
				}
				required, optional, verified = strings.Join(req, ", "), strings.Join(opt, ", "), "an entry's mail attribute, set by the directory's administrators"
			}
			fmt.Fprintf(&b, "| `%s` | %s | sign-in form | %s | %s | %s | [docs](%s) |\n", e.ID, e.Name, required, optional, verified, e.Docs)
			continue
		}
		s, err := generator.ProviderEnv(manifest.Provider{ID: e.ID}, "")
		if err != nil {
			return "", err
		}
		prefix := "AUTH_" + s.EnvName
		var required, optional []string
		for _, v := range s.Vars() {
			if v.Advanced {
				continue
			}
			cell := "`" + strings.TrimPrefix(v.Name, prefix) + "`"
			suffix := strings.TrimPrefix(v.Name, prefix+"_")
			switch {
			case v.Example != "":
				cell += " (" + v.Example + ")"
			case suffix == "BASE_URL":
				cell += " (" + s.SelfHosted + ")"
			}
			cell = strings.ReplaceAll(cell, "|", "\\|")
			if v.Required {
				required = append(required, cell)
			} else {
				optional = append(optional, cell)
			}
		}
		proto := map[catalog.Type]string{catalog.OAuth2: "OAuth 2.0", catalog.OIDC: "OpenID Connect", catalog.OAuth1: "OAuth 1.0a"}[e.Type]
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | [docs](%s) |\n", e.ID, e.Name, proto, strings.Join(required, ", "), strings.Join(optional, ", "), verifiedCell(e), e.Docs)
	}
	b.WriteString("\n`email` is e-mail sign-in, no OAuth provider: a user types an address and signs in with the link or\n")
	b.WriteString("the 6-digit code mailed to it, and is created at their first sign-in with the address verified. It needs\n")
	b.WriteString("a database (as in Auth.js), which keeps the users and the sign-in tokens (Redis with `session.store: redis`);\n")
	b.WriteString("its settings are under `email:` in `authgen.yaml` ([MANIFEST.md](MANIFEST.md)). Its variables are the\n")
	b.WriteString("application's, not `AUTH_<ID>_*`: without `AUTH_EMAIL_SERVER` the mail is logged when `AUTH_URL` is\n")
	b.WriteString("`http://localhost`, and the application refuses to start on any other `AUTH_URL`.\n")
	b.WriteString(passkeysSection)
	return b.String(), nil
}

// passkeysSection is PROVIDERS.md's section on passkeys, which are no
// catalog provider of the usual kind ("'" stands for a backquote).
var passkeysSection = strings.NewReplacer("''s", "`'s", "'", "`").Replace(`
## Passkeys

'passkey' is passkeys (WebAuthn), no OAuth provider: 'authgen add provider passkey' (or 'passkey' in
'authgen init --providers' and the init form) adds '- id: passkey' to 'providers', and
'authgen remove provider passkey' removes it with its settings. The generated configuration sets
'Passkeys: passkey.New()', the ceremony of the module 'github.com/authgen/authgen/runtime/passkey'
(on go-webauthn), which only projects with passkeys require.

- **Registering**: a signed-in user registers, renames and deletes passkeys at '<basePath>/passkeys',
  linked from the account page ('<basePath>/account'). A passkey is also an account of provider
  'passkey', so the account page lists it and the last way to sign in cannot be removed.
- **Signing in**: the built-in sign-in page has a *Sign in with a passkey* button, and its passkey field
  offers the saved passkeys of the browser as autofill (conditional UI) where the browser supports it.
  The script of the page, '<basePath>/passkey.js', runs the ceremony against
  'POST <basePath>/signin/passkey/options' and 'POST <basePath>/callback/passkey'.
- **Signing up**: by default passkeys attach to users who signed in another way first;
  'passkey: {signup: true}' in 'authgen.yaml' lets a visitor without an account sign up with a passkey
  from the sign-in page (a name, then the passkey): the new user has that name and no e-mail address.
- **Second step**: with 'twoFactor' on, a passkey answers the second step after another provider (or a
  code from an authenticator app does); with 'twoFactor: required' a user with neither adds one or the
  other before the first session. A passkey sign-in whose authenticator verified the user (PIN,
  biometrics) is two factors and is not asked again.
- **Relying party**: nothing to configure. The relying party ID is 'cookieDomain' when set (the
  passkeys then work on every host that shares the session), else 'AUTH_URL''s host; the one origin
  accepted is 'AUTH_URL''s; the name shown is 'theme.appName'. Passkeys registered under one relying
  party ID do not work under another: changing 'AUTH_URL''s host or 'cookieDomain' strands them.
  Browsers offer passkeys only on https or 'http://localhost'.
- **Databases**: the passkeys are kept in the database: 'sqlite', 'postgres' and 'mysql' (migration
  '00007_authgen_passkeys.sql'), or 'mongodb', also with 'session.store: redis' (the passkeys stay in
  the database). With 'database: custom' your store must implement 'store.Passkeys'
  ([ADAPTERS.md](ADAPTERS.md)). 'database: none' is refused.
`)

// verifiedCell says how the entry reports a verified address: the
// profile's members, or the entry's note.
func verifiedCell(e *catalog.Provider) string {
	v := e.EmailVerified
	switch {
	case v.Never:
		return "never: " + v.Note
	case v.Runtime:
		return v.Note
	}
	var members []string
	for _, f := range v.Fields {
		members = append(members, "`"+jsonPath(e.Profile, string(f))+"`")
	}
	return strings.Join(members, " and ")
}

// jsonPath turns a profile field path (Go names, "First" for an array's
// first element) into its JSON members ("email_verified", "emails[0].verified").
func jsonPath(s catalog.Struct, path string) string {
	var out string
	for _, part := range strings.Split(path, ".") {
		if part == "First" {
			out += "[0]"
			continue
		}
		for _, f := range s.Fields {
			if f.Name != part {
				continue
			}
			if out != "" {
				out += "."
			}
			out += f.JSON
			if f.Struct != nil {
				s = *f.Struct
			}
		}
	}
	return out
}

// emailVars are the variables e-mail sign-in adds to runtime/env's table
// of project-wide variables, as the optional cell of its row.
func emailVars() string {
	without := env.App{Database: manifest.DBSQLite}.Vars()
	var cells []string
	for _, v := range (env.App{Database: manifest.DBSQLite, Email: true}).Vars() {
		if _, ok := env.Lookup(without, v.Name); ok {
			continue
		}
		cell := "`" + v.Name + "`"
		if v.Example != "" {
			cell += " (" + v.Example + ")"
		}
		cells = append(cells, cell)
	}
	return strings.Join(cells, ", ")
}

func TestProvidersDoc(t *testing.T) {
	const path = "../docs/PROVIDERS.md"
	got, err := providersDoc()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("docs/PROVIDERS.md is out of date; run: go test ./generator -run TestProvidersDoc -update")
	}
}
