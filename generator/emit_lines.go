package generator

import (
	"fmt"
	"strings"

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
		b.WriteString("# The database: sqlite:FILE, postgres://… or mysql://user:pass@host:port/db.\n")
		fmt.Fprintf(&b, "DATABASE_URL=%s\n\n", example)
		b.WriteString("# Apply missing migrations at start (else run `authgen migrate`).\n")
		b.WriteString("AUTH_AUTO_MIGRATE=false\n\n")
	}
	for _, p := range g.providers {
		console := ""
		if p.entry.Console != "" {
			console = ": " + p.entry.Console
		}
		fmt.Fprintf(&b, "# %s OAuth app%s\n", p.entry.Name, console)
		fmt.Fprintf(&b, "# Callback URL: http://localhost:3000%s/callback/%s\n", g.m.BasePath, p.ID)
		fmt.Fprintf(&b, "AUTH_%s_ID=\n\n", p.envName)
		fmt.Fprintf(&b, "# %s OAuth app secret.\n", p.entry.Name)
		fmt.Fprintf(&b, "AUTH_%s_SECRET=\n\n", p.envName)
		if p.entry.BaseURL != nil {
			fmt.Fprintf(&b, "# %s base URL (optional).\n", p.entry.BaseURL.What)
			fmt.Fprintf(&b, "AUTH_%s_BASE_URL=\n\n", p.envName)
		}
	}
	return File{Path: ".env.example", Content: []byte(strings.TrimSuffix(b.String(), "\n")), Kind: Merged}
}
