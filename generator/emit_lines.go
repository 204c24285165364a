package generator

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/generator/manifest"
)

// gitignore lists what must never be committed.
func (g *gen) gitignore() File {
	lines := []string{
		"# authgen: secrets and local state",
		"authgen.keys.json",
		".env",
	}
	if g.m.Database == manifest.DBSQLite {
		lines = append(lines, "authgen.db*")
	}
	return File{Path: ".gitignore", Content: []byte(strings.Join(lines, "\n") + "\n"), Kind: Merged}
}

// envExample documents every variable the application reads. Each block is
// comments followed by one VAR= line; the writer adds blocks whose variable
// the file lacks.
func (g *gen) envExample() File {
	var b strings.Builder
	b.WriteString("# The application's public origin, scheme://host[:port] (default http://localhost:$PORT).\n")
	b.WriteString("AUTH_URL=http://localhost:3000\n\n")
	b.WriteString("# Trust X-Forwarded-Host/-Proto from your proxy for the origin.\n")
	b.WriteString("AUTH_TRUST_HOST=false\n\n")
	b.WriteString("# The key set as JSON (see `authgen keys export`); default ./authgen.keys.json.\n")
	b.WriteString("AUTH_KEYS=\n\n")
	if g.hasDB() {
		example := dbExample[g.m.Database]
		if g.m.Database == manifest.DBSQLite {
			example = defaultSQLite
		}
		b.WriteString("# The database: sqlite:FILE, postgres://…, mysql://user:pass@host:port/db or mongodb://….\n")
		fmt.Fprintf(&b, "DATABASE_URL=%s\n\n", example)
		b.WriteString("# Apply missing migrations at start (else run `authgen migrate`).\n")
		b.WriteString("AUTH_AUTO_MIGRATE=false\n\n")
	}
	if g.redisSessions() {
		b.WriteString("# The Redis that keeps sessions and e-mail tokens.\n")
		fmt.Fprintf(&b, "REDIS_URL=%s\n\n", redisExample)
	}
	for _, p := range g.providers {
		e := p.entry
		console := ""
		if e.Console != "" {
			console = ": " + e.Console
		}
		fmt.Fprintf(&b, "# %s app%s\n", e.Name, console)
		fmt.Fprintf(&b, "# Callback URL: http://localhost:3000%s/callback/%s\n", g.m.BasePath, p.ID)
		fmt.Fprintf(&b, "AUTH_%s_ID=\n\n", p.envName)
		vars := envVars(p)
		for _, v := range vars {
			fmt.Fprintf(&b, "# %s\n", v.what)
			fmt.Fprintf(&b, "AUTH_%s_%s=%s\n\n", p.envName, v.name, v.value)
		}
	}
	return File{Path: ".env.example", Content: []byte(strings.TrimSuffix(b.String(), "\n")), Kind: Merged}
}

// envVar is one provider variable for .env.example.
type envVar struct{ name, what, value string }

// envVars are a provider's variables besides AUTH_<ID>_ID.
func envVars(p provider) []envVar {
	e := p.entry
	n := e.Name + " "
	var out []envVar
	switch e.AuthMethod {
	case catalog.AppleSecret:
		out = append(out,
			envVar{"TEAM_ID", n + "team ID.", ""},
			envVar{"KEY_ID", n + "key ID of the Sign in with Apple key.", ""},
			envVar{"PRIVATE_KEY", n + "private key: the contents of the .p8 file.", ""})
	case catalog.PrivateKeyJWT:
		out = append(out,
			envVar{"PRIVATE_KEY", n + "private key (PEM) for private_key_jwt.", ""},
			envVar{"KEY_ID", n + "key ID registered with the provider (optional).", ""})
	default:
		out = append(out, envVar{"SECRET", n + "client secret.", ""})
	}
	if e.Type == catalog.OIDC {
		what := n + "issuer (optional: overrides the default)."
		if e.Issuer == "" && p.Issuer == "" {
			what = n + "issuer, for example " + cmp.Or(e.IssuerExample, "https://idp.example.com") + "."
		}
		out = append(out, envVar{"ISSUER", what, ""})
	}
	if e.NeedsEndpoints {
		if e.Type == catalog.OAuth1 {
			out = append(out, envVar{"REQUEST_TOKEN_URL", n + "request token endpoint.", ""})
		}
		out = append(out,
			envVar{"AUTHORIZATION_URL", n + "authorization endpoint.", ""},
			envVar{"TOKEN_URL", n + "token endpoint.", ""},
			envVar{"USERINFO_URL", n + "userinfo (profile) endpoint.", ""})
	}
	if e.NeedsAPIKey {
		out = append(out, envVar{"API_KEY", n + "API key (sent with every API request).", ""})
	}
	if e.BaseURL != nil {
		what := e.BaseURL.What + " base URL (optional)."
		if e.BaseURL.Required {
			what = e.BaseURL.What + " base URL."
		}
		out = append(out, envVar{"BASE_URL", what, p.BaseURL})
	}
	return out
}
