package generator_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/env"
)

// readmePath is the README whose "Configuration reference" table
// TestConfigReference keeps.
const readmePath = "../README.md"

// providerRows document the AUTH_<ID>_* variables by suffix; every suffix
// a catalog entry reads must be in one (TestConfigReference checks).
var providerRows = []struct {
	suffixes []string
	meaning  string
}{
	{[]string{"ID", "SECRET"}, "a provider's OAuth client (`<ID>` upper-cased, `-` → `_`); what each provider needs is in [docs/PROVIDERS.md](docs/PROVIDERS.md)"},
	{[]string{"ISSUER"}, "an OpenID Connect issuer: required by tenant and generic providers (unless `issuer` is in `authgen.yaml`), else it replaces the default"},
	{[]string{"BASE_URL"}, "a self-hosted instance (GitHub Enterprise Server: `https://github.example.com`); required by providers without a default instance unless `baseUrl` is in `authgen.yaml`"},
	{[]string{"TEAM_ID", "KEY_ID", "PRIVATE_KEY"}, "Apple's client secret, made from your `.p8` key; `_PRIVATE_KEY` (and `_KEY_ID`) sign `private_key_jwt` client assertions"},
	{[]string{"API_KEY"}, "an application key the provider's API wants besides the token (Bungie)"},
	{[]string{"AUTHORIZATION_URL", "TOKEN_URL", "USERINFO_URL", "REQUEST_TOKEN_URL"}, "the endpoints: required by the generic `oauth` and `oauth1` (and NetSuite), else they override one (tests, proxies)"},
}

// configReference renders the README's table: the project-wide variables
// of runtime/env's table, then the provider variables by suffix.
func configReference() string {
	var b strings.Builder
	b.WriteString("| variable | meaning |\n|---|---|\n")
	for _, v := range append(env.AppVars(), generator.LDAPVars()...) {
		meaning := v.Description
		if strings.HasPrefix(v.Name, "AUTH_LDAP_") {
			meaning = "with LDAP sign-in, " + meaning
		}
		switch {
		case strings.Contains(v.Default, "`"):
			// A default described in words, with code of its own.
			meaning += " (default " + v.Default + ")"
		case v.Default != "":
			meaning += " (default `" + v.Default + "`)"
		}
		b.WriteString("| `" + v.Name + "` | " + strings.ReplaceAll(meaning, "|", "\\|") + " |\n")
	}
	for _, r := range providerRows {
		var names []string
		for _, s := range r.suffixes {
			names = append(names, "`AUTH_<ID>_"+s+"`")
		}
		b.WriteString("| " + strings.Join(names, ", ") + " | " + r.meaning + " |\n")
	}
	return b.String()
}

// readmeTable finds the configuration table in the README: the lines from
// "| variable | meaning |" after the section's heading to the first line
// that is not a table row.
func readmeTable(t *testing.T, readme string) (start, end int) {
	t.Helper()
	const heading = "## Configuration reference (the generated app)\n"
	h := strings.Index(readme, heading)
	if h < 0 {
		t.Fatalf("README.md has no %q", strings.TrimSpace(heading))
	}
	start = strings.Index(readme[h:], "| variable | meaning |\n")
	if start < 0 {
		t.Fatal("README.md's configuration reference has no table")
	}
	start += h
	end = start
	for end < len(readme) && readme[end] == '|' {
		end += strings.IndexByte(readme[end:], '\n') + 1
	}
	return start, end
}

// TestConfigReference keeps the README's configuration table generated
// from runtime/env's table, and checks that it covers every variable a
// catalog entry reads.
func TestConfigReference(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start, end := readmeTable(t, readme)
	want := configReference()
	if *update && readme[start:end] != want {
		readme = readme[:start] + want + readme[end:]
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		start, end = readmeTable(t, readme)
	}
	if readme[start:end] != want {
		t.Errorf("README.md's configuration reference is out of date; run: go test ./generator -run TestConfigReference -update")
	}

	documented := map[string]bool{}
	for _, r := range providerRows {
		for _, s := range r.suffixes {
			documented[s] = true
		}
	}
	specs := []env.ProviderSpec{{EnvName: "X", Name: "X", ClientAuth: env.AuthPrivateKeyJWT}}
	for _, e := range oauthEntries() {
		s, err := generator.ProviderEnv(manifest.Provider{ID: e.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, s)
	}
	var missing []string
	for _, s := range specs {
		for _, v := range s.Vars() {
			suffix := strings.TrimPrefix(v.Name, "AUTH_"+s.EnvName+"_")
			if !documented[suffix] && !slices.Contains(missing, suffix) {
				missing = append(missing, suffix)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("README.md's configuration reference lacks AUTH_<ID>_%s: add them to providerRows", strings.Join(missing, ", AUTH_<ID>_"))
	}
}
