package manifest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/manifest"
)

const base = `# my comment stays
version: 1
package: auth
basePath: /api/auth
cookiePrefix: authgen
database: none
session:
  strategy: jwt # inline too
  token: signed
providers:
  - id: github
`

func TestRoundTripKeepsComments(t *testing.T) {
	m, err := manifest.Parse([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != base {
		t.Errorf("round trip changed the file:\n%s", out)
	}
	if m.Providers[0].CatalogID() != "github" || m.Session.Strategy != "jwt" {
		t.Errorf("decoded %+v", m)
	}
}

func TestNewIsValid(t *testing.T) {
	m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: "none", Strategy: "jwt", Token: "encrypted"})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := m.Bytes()
	again, err := manifest.Parse(out)
	if err != nil || again.Session.Token != "encrypted" {
		t.Fatalf("%v %+v", err, again)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"version", "version: 1", "version: 2", "version 2"},
		{"package", "package: auth", "package: Auth-x", "package"},
		{"base path", "basePath: /api/auth", "basePath: api/auth/", "basePath"},
		{"cookie prefix", "cookiePrefix: authgen", "cookiePrefix: a;b", "cookiePrefix"},
		{"database", "database: none", "database: oracle", "database"},
		{"strategy", "strategy: jwt", "strategy: cookie", "session.strategy"},
		{"database strategy needs a database", "strategy: jwt", "strategy: database", "needs a database"},
		{"token", "token: signed", "token: plain", "session.token"},
		{"provider id", "- id: github", "- id: Git Hub", "providers[0].id"},
		{"duplicate provider", "  - id: github\n", "  - id: github\n  - id: github\n", "twice"},
		{"not yaml", "version: 1", "version: [", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := manifest.Parse([]byte(strings.Replace(base, tt.from, tt.to, 1)))
			if !errors.Is(err, manifest.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}

// commented is a manifest as a user might have edited it: comments
// everywhere, blank lines, an entry with every field.
const commented = `# authgen.yaml of the demo app.
version: 1
package: auth

# Served under the API prefix.
basePath: /api/auth
cookiePrefix: authgen
database: none
session:
  strategy: jwt # cookies only
  token: signed

# Who may sign in.
providers:
  # Staff sign in with GitHub.
  - id: github # the public one
  # - id: google   (soon)
  - id: corp
    kind: oidc
    issuer: https://idp.example.com
  # end of providers

# trailing note
`

func mustParse(t *testing.T, src string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func text(t *testing.T, m *manifest.Manifest) string {
	t.Helper()
	out, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := manifest.Parse(out); err != nil {
		t.Fatalf("edited manifest does not parse: %v\n%s", err, out)
	}
	return string(out)
}

func TestBytesIsTheParsedText(t *testing.T) {
	if got := text(t, mustParse(t, commented)); got != commented {
		t.Errorf("Bytes changed an unedited manifest:\n%s", got)
	}
}

func TestAddProviderKeepsTheFile(t *testing.T) {
	m := mustParse(t, commented)
	added, err := m.AddProvider(manifest.Provider{ID: "github-enterprise", Kind: "github", BaseURL: "https://ghe.example.com"})
	if err != nil || !added {
		t.Fatalf("AddProvider: %v %v", added, err)
	}
	want := strings.Replace(commented, "  # end of providers\n", `  - id: github-enterprise
    kind: github
    baseUrl: https://ghe.example.com
  # end of providers
`, 1)
	if got := text(t, m); got != want {
		t.Errorf("after AddProvider:\n%s\nwant:\n%s", got, want)
	}
	if p, ok := m.Provider("github-enterprise"); !ok || p.CatalogID() != "github" || p.BaseURL != "https://ghe.example.com" {
		t.Errorf("decoded %+v %v", p, ok)
	}
	if n := len(m.Providers); n != 3 {
		t.Errorf("%d providers", n)
	}

	// Again, and with kind given as the id: nothing changes.
	before := text(t, m)
	for _, p := range []manifest.Provider{
		{ID: "github-enterprise", Kind: "github", BaseURL: "https://ghe.example.com"},
		{ID: "github", Kind: "github"},
		{ID: "corp", Kind: "oidc", Issuer: "https://idp.example.com"},
	} {
		added, err := m.AddProvider(p)
		if err != nil || added {
			t.Errorf("AddProvider(%+v) again: %v %v", p, added, err)
		}
	}
	if got := text(t, m); got != before {
		t.Errorf("idempotent add changed the file:\n%s", got)
	}
}

func TestAddProviderFields(t *testing.T) {
	m := mustParse(t, base)
	for _, p := range []manifest.Provider{
		{ID: "corp", Kind: "oidc", Issuer: "https://idp.example.com/realms/x"},
		{ID: "123", Kind: "oauth"},     // would read as a number unquoted
		{ID: "google", Kind: "google"}, // kind equal to the id is left out
	} {
		if _, err := m.AddProvider(p); err != nil {
			t.Fatal(err)
		}
	}
	want := base + `  - id: corp
    kind: oidc
    issuer: https://idp.example.com/realms/x
  - id: "123"
    kind: oauth
  - id: google
`
	if got := text(t, m); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	again := mustParse(t, want)
	if got := again.Providers; len(got) != 4 || got[2].ID != "123" || got[3].Kind != "" || got[1].Issuer != "https://idp.example.com/realms/x" {
		t.Errorf("decoded %+v", got)
	}
}

func TestAddProviderErrors(t *testing.T) {
	m := mustParse(t, commented)
	tests := []struct {
		p    manifest.Provider
		want error
	}{
		{manifest.Provider{ID: "github", Kind: "oidc"}, manifest.ErrProviderExists},
		{manifest.Provider{ID: "corp", Kind: "oidc", Issuer: "https://other.example.com"}, manifest.ErrProviderExists},
		{manifest.Provider{ID: "Git Hub"}, manifest.ErrInvalid},
		{manifest.Provider{ID: "-x"}, manifest.ErrInvalid},
		{manifest.Provider{ID: "x", Kind: "OIDC"}, manifest.ErrInvalid},
	}
	for _, tt := range tests {
		if _, err := m.AddProvider(tt.p); !errors.Is(err, tt.want) {
			t.Errorf("AddProvider(%+v) = %v, want %v", tt.p, err, tt.want)
		}
	}
	if got := text(t, m); got != commented {
		t.Errorf("failed adds changed the file:\n%s", got)
	}
}

func TestRemoveProvider(t *testing.T) {
	m := mustParse(t, commented)
	p, err := m.RemoveProvider("github")
	if err != nil || p.ID != "github" {
		t.Fatalf("RemoveProvider: %+v %v", p, err)
	}
	// Its own comments go with it; the others stay.
	want := strings.Replace(commented, "  # Staff sign in with GitHub.\n  - id: github # the public one\n", "", 1)
	if got := text(t, m); got != want {
		t.Errorf("after removing github:\n%s\nwant:\n%s", got, want)
	}
	if _, err := m.RemoveProvider("github"); !errors.Is(err, manifest.ErrNoProvider) {
		t.Errorf("removing it again: %v", err)
	}

	// The last one: the list says it is empty, and can grow again.
	if _, err := m.RemoveProvider("corp"); err != nil {
		t.Fatal(err)
	}
	got := text(t, m)
	if !strings.Contains(got, "\nproviders: []\n  # end of providers\n\n# trailing note\n") || strings.Contains(got, "corp") || strings.Contains(got, "google") {
		t.Errorf("after removing every provider:\n%s", got)
	}
	if len(m.Providers) != 0 {
		t.Errorf("providers %+v", m.Providers)
	}
	if _, err := m.AddProvider(manifest.Provider{ID: "github"}); err != nil {
		t.Fatal(err)
	}
	if got := text(t, m); !strings.Contains(got, "\n# Who may sign in.\nproviders:\n  - id: github\n  # end of providers\n") ||
		!strings.HasPrefix(got, "# authgen.yaml of the demo app.\nversion: 1\npackage: auth\n\n# Served") {
		t.Errorf("after adding to the empty list:\n%s", got)
	}
}

// TestEditsOtherForms covers layouts the text splice does not handle or
// handles differently: the node tree is encoded instead, or the items are
// written at the file's own indentation.
func TestEditsOtherForms(t *testing.T) {
	head := "version: 1\npackage: auth\nbasePath: /api/auth\ncookiePrefix: authgen\ndatabase: none\nsession: {strategy: jwt, token: signed}\n"
	tests := []struct {
		name, providers, want string
	}{
		{"flow", "providers: [{id: github}] # mine\n", ""},
		{"flow items", "providers:\n  - {id: github}\n", ""},
		{"null", "providers:\n# none yet\n", ""},
		{"absent", "", ""},
		{"unindented", "providers:\n- id: github\n  kind: github\n# after\n", "providers:\n- id: github\n  kind: github\n- id: corp\n  kind: oidc\n  issuer: https://idp.example.com\n# after\n"},
		{"wide", "providers:\n    -   id: github\n        kind: github\n", "providers:\n    -   id: github\n        kind: github\n    -   id: corp\n        kind: oidc\n        issuer: https://idp.example.com\n"},
		{"crlf", "providers:\r\n  - id: github\r\n", "providers:\r\n  - id: github\r\n  - id: corp\r\n    kind: oidc\r\n    issuer: https://idp.example.com\r\n"},
		{"no final newline", "providers:\n  - id: github", "providers:\n  - id: github\n  - id: corp\n    kind: oidc\n    issuer: https://idp.example.com\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, head+tt.providers)
			if _, err := m.AddProvider(manifest.Provider{ID: "corp", Kind: "oidc", Issuer: "https://idp.example.com"}); err != nil {
				t.Fatal(err)
			}
			got := text(t, m)
			if tt.want != "" && got != head+tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, head+tt.want)
			}
			again := mustParse(t, got)
			if p, ok := again.Provider("corp"); !ok || p.Kind != "oidc" || p.Issuer != "https://idp.example.com" {
				t.Errorf("corp not added:\n%s", got)
			}
			if strings.Contains(tt.providers, "github") && len(again.Providers) != 2 {
				t.Errorf("github lost:\n%s", got)
			}
			if _, err := again.RemoveProvider("corp"); err != nil {
				t.Fatal(err)
			}
			if _, ok := again.Provider("corp"); ok {
				t.Error("corp not removed")
			}
		})
	}
}

func TestEditsOfNew(t *testing.T) {
	m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: "sqlite", Strategy: "database", Token: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	before := text(t, m)
	if _, err := m.AddProvider(manifest.Provider{ID: "google"}); err != nil {
		t.Fatal(err)
	}
	if got := text(t, m); got != before+"  - id: google\n" {
		t.Errorf("got:\n%s", got)
	}
	if _, err := m.RemoveProvider("google"); err != nil {
		t.Fatal(err)
	}
	if got := text(t, m); got != before {
		t.Errorf("add then remove:\n%s\nwant:\n%s", got, before)
	}
}

func TestEditsOfAValue(t *testing.T) {
	m := &manifest.Manifest{Version: 1, Package: "auth", BasePath: "/api/auth", CookiePrefix: "authgen", Database: "none",
		Session: manifest.Session{Strategy: "jwt", Token: "signed"}, Providers: []manifest.Provider{{ID: "github"}}}
	if _, err := m.AddProvider(manifest.Provider{ID: "google"}); err != nil {
		t.Fatal(err)
	}
	again := mustParse(t, text(t, m))
	if len(again.Providers) != 2 || again.Providers[1].ID != "google" || again.Package != "auth" {
		t.Errorf("%+v", again)
	}
}

func TestSetDatabase(t *testing.T) {
	m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: "sqlite", Strategy: "database", Token: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	before := text(t, m)
	changed, err := m.SetDatabase(manifest.DBCustom)
	if err != nil || !changed {
		t.Fatalf("SetDatabase: %v, %v", changed, err)
	}
	want := strings.Replace(before, "\ndatabase: sqlite\n", "\ndatabase: custom\n", 1)
	if got := text(t, m); got != want || m.Database != manifest.DBCustom {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if m.Session.Strategy != manifest.StrategyDatabase || m.TablePrefix != manifest.DefaultTablePrefix {
		t.Errorf("other choices changed: %+v", m)
	}
	changed, err = m.SetDatabase(manifest.DBCustom)
	if err != nil || changed || text(t, m) != want {
		t.Errorf("setting it again: %v, %v:\n%s", changed, err, text(t, m))
	}
}

func TestSetDatabaseForms(t *testing.T) {
	tail := "session:\n  strategy: jwt\n  token: signed\nproviders:\n  - id: github\n"
	head := "version: 1\npackage: auth\nbasePath: /api/auth\ncookiePrefix: authgen\n"
	tests := []struct{ name, from, want string }{
		{"comments", "# where\ndatabase: none # for now\n", "# where\ndatabase: custom # for now\n"},
		{"double quoted", "database: \"none\"\n", "database: \"custom\"\n"},
		{"single quoted", "database: 'none'\n", "database: 'custom'\n"},
		{"crlf", "database: none\r\n", "database: custom\r\n"},
		{"tagged", "database: !!str none\n", ""},
		{"flow", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + tt.from + tail
			if tt.name == "flow" {
				src = "{version: 1, package: auth, basePath: /api/auth, cookiePrefix: authgen, database: none, session: {strategy: jwt, token: signed}, providers: []}\n"
			}
			m := mustParse(t, src)
			if _, err := m.SetDatabase(manifest.DBCustom); err != nil {
				t.Fatal(err)
			}
			got := text(t, m)
			if tt.want != "" && got != head+tt.want+tail {
				t.Errorf("got:\n%s\nwant:\n%s", got, head+tt.want+tail)
			}
			if again := mustParse(t, got); again.Database != manifest.DBCustom || again.Session.Strategy != manifest.StrategyJWT {
				t.Errorf("got %+v from:\n%s", again, got)
			}
		})
	}
}

func TestSetDatabaseErrors(t *testing.T) {
	m := mustParse(t, strings.NewReplacer("database: none", "database: sqlite", "strategy: jwt", "strategy: database").Replace(base))
	before := text(t, m)
	if _, err := m.SetDatabase("oracle"); !errors.Is(err, manifest.ErrInvalid) || !strings.Contains(err.Error(), "custom") {
		t.Errorf("unknown database: %v", err)
	}
	if _, err := m.SetDatabase(manifest.DBNone); !errors.Is(err, manifest.ErrInvalid) || !strings.Contains(err.Error(), "needs a database") {
		t.Errorf("database none with database sessions: %v", err)
	}
	if got := text(t, m); got != before || m.Database != manifest.DBSQLite {
		t.Errorf("a failed SetDatabase changed the manifest:\n%s", got)
	}
}
