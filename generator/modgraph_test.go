package generator_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

// maxDefaultModules bounds `go list -m all` of the default project (GitHub,
// SQLite, database sessions): every module in it is one a security scanner
// reports to the user. docs/ARCHITECTURE.md ("Dependencies") has the counts.
const maxDefaultModules = 60

// TestModuleGraphs generates the default, a PostgreSQL and a MongoDB
// project and checks what their module graphs and binaries carry: never
// the CLI's dependencies, only the driver of the chosen database.
func TestModuleGraphs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go modules")
	}
	cli := []string{"github.com/spf13/cobra", "github.com/charmbracelet/", "github.com/dave/jennifer"}
	drivers := map[string]string{
		"pgx":     "github.com/jackc/pgx/",
		"mysql":   "github.com/go-sql-driver/mysql",
		"mongo":   "go.mongodb.org/mongo-driver/",
		"redis":   "github.com/redis/go-redis/",
		"x/tools": "golang.org/x/tools/",
		"goose":   "github.com/pressly/goose/",
		"go-mail": "github.com/wneessen/go-mail",
		"go-ldap": "github.com/go-ldap/ldap/",
	}
	tests := []struct {
		name string
		db   string
		// providers: the default project's are init's defaults, GitHub
		// and e-mail sign-in (whose SMTP sender brings go-mail).
		providers []string
		compiled  []string // drivers the binary must contain
		absent    []string // drivers it must not
	}{
		{"default", manifest.DBSQLite, []string{"github", "email"}, []string{"go-mail"}, []string{"pgx", "mysql", "mongo", "redis", "x/tools", "goose", "go-ldap"}},
		{"postgres", manifest.DBPostgres, []string{"github"}, []string{"pgx"}, []string{"mysql", "mongo", "redis", "x/tools", "goose", "go-mail", "go-ldap"}},
		{"mongodb", manifest.DBMongoDB, []string{"github"}, []string{"mongo"}, []string{"pgx", "mysql", "redis", "x/tools", "goose", "go-mail", "go-ldap"}},
		// LDAP sign-in brings go-ldap (runtime/ldap), and only it does.
		{"ldap", manifest.DBSQLite, []string{"github", "credentials", "ldap"}, []string{"go-ldap"}, []string{"pgx", "mysql", "mongo", "redis", "x/tools", "goose", "go-mail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := manifest.New(manifest.Choices{Providers: tt.providers, Database: tt.db, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned})
			if err != nil {
				t.Fatal(err)
			}
			spec := generator.Spec{Module: "example.com/" + tt.name, Manifest: m, App: true}
			files, err := generator.Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			gentest.WriteModule(t, dir, spec, files)
			gentest.Go(t, dir, nil, "mod", "tidy")

			graph := strings.Fields(gentest.Go(t, dir, nil, "list", "-m", "-f", "{{.Path}}", "all"))
			for _, m := range graph {
				for _, c := range cli {
					if strings.HasPrefix(m, c) {
						t.Errorf("the project's module graph has the CLI's %s", m)
					}
				}
			}
			t.Logf("%s: go list -m all lists %d modules", tt.name, len(graph))
			if tt.name == "default" && len(graph) > maxDefaultModules {
				t.Errorf("the default project's module graph has %d modules, more than %d:\n%s", len(graph), maxDefaultModules, strings.Join(graph, "\n"))
			}

			deps := strings.Fields(gentest.Go(t, dir, nil, "list", "-deps", "-f", "{{.ImportPath}}", "."))
			has := func(driver string) bool {
				return slices.ContainsFunc(deps, func(p string) bool { return strings.HasPrefix(p+"/", drivers[driver]) })
			}
			for _, d := range tt.compiled {
				if !has(d) {
					t.Errorf("the binary does not contain %s", d)
				}
			}
			for _, d := range tt.absent {
				if has(d) {
					t.Errorf("the binary contains %s", d)
				}
			}
		})
	}
}
