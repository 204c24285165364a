package generator

import (
	"fmt"
	"strings"

	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/env"
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
	if g.hasTarget(TargetLambda) {
		lines = append(lines, "/build/") // scripts/build-lambda.sh's output
	}
	return File{Path: ".gitignore", Content: []byte(strings.Join(lines, "\n") + "\n"), Kind: Merged}
}

// envExample documents every variable the application reads, from
// runtime/env's table: the project-wide ones, then each provider's (but
// the Advanced overrides). Each block is comments followed by one VAR=
// line saying whether it is required; the writer adds blocks whose
// variable the file lacks.
func (g *gen) envExample() File {
	var b strings.Builder
	for _, v := range AppVars(g.spec) {
		envBlock(&b, nil, v, "")
	}
	for _, p := range g.providers {
		s := providerSpec(p)
		header := []string{
			fmt.Sprintf("%s app: register it %s", s.Name, s.At()),
			fmt.Sprintf("with the callback URL http://localhost:3000%s/callback/%s", g.m.BasePath, p.ID),
		}
		for _, v := range s.Vars() {
			if v.Advanced {
				continue
			}
			envBlock(&b, header, v, s.Where())
			header = nil
		}
	}
	return File{Path: ".env.example", Content: []byte(strings.TrimSuffix(b.String(), "\n")), Kind: Merged}
}

// envBlock writes one variable of .env.example: the header lines, what it
// is (where to get it, unless that is the app's place) and whether it is
// required, then NAME=example.
func envBlock(b *strings.Builder, header []string, v env.Var, appWhere string) {
	for _, h := range header {
		fmt.Fprintf(b, "# %s\n", h)
	}
	what := upperFirst(v.Description)
	if v.Where != "" && v.Where != appWhere {
		what += ", " + v.At()
	}
	fmt.Fprintf(b, "# %s. %s.\n", what, upperFirst(v.Note()))
	fmt.Fprintf(b, "%s=%s\n\n", v.Name, v.Example)
}

// upperFirst capitalizes the first letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
