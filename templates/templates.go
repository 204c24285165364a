// Package templates holds the non-Go files authgen writes into projects,
// embedded: SQL migrations per dialect, and the files of the deploy targets
// (a Dockerfile, its .dockerignore, the Lambda build script). They are
// text/template files; the generator fills in the table prefix, or the
// application's name and Go version.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"text/template"
)

//go:embed migrations deploy
var files embed.FS

// MigrationData is what migration templates read.
type MigrationData struct {
	// Prefix starts every table name ("auth_").
	Prefix string
}

// Migrations returns the migration files of a dialect ("sqlite",
// "postgres", "mysql"), rendered, keyed by file name.
func Migrations(dialect string, data MigrationData) (map[string][]byte, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, fmt.Errorf("templates: no migrations for %q", dialect)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		t, err := template.ParseFS(files, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", e.Name(), err)
		}
		out[e.Name()] = buf.Bytes()
	}
	return out, nil
}

// DeployData is what the deploy targets' templates read.
type DeployData struct {
	// App names the application (the last element of its module path).
	App string
	// GoVersion is the Go release of the build image ("1.26").
	GoVersion string
	// SQLite: the project's database is SQLite, which the container keeps
	// in a volume.
	SQLite bool
}

// Deploy returns the deploy template name ("Dockerfile", "dockerignore",
// "build-lambda.sh"), rendered.
func Deploy(name string, data DeployData) ([]byte, error) {
	t, err := template.ParseFS(files, path.Join("deploy", name+".tmpl"))
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
