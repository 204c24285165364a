package env_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/env"
)

// TestDatabaseURL: DATABASE_URL's scheme must be the application's
// database's, and a SQLite file's directory must exist; each problem
// names the fix, and the password of a URL never shows.
func TestDatabaseURL(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("data", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("file", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		database, url string
		want          string // "" when valid
	}{
		{"sqlite", "", ""}, // the default, sqlite:./authgen.db
		{"sqlite", "sqlite:./data/app.db", ""},
		{"sqlite", "sqlite:" + filepath.Join(dir, "app.db"), ""},
		{"sqlite", "sqlite::memory:", ""},
		{"sqlite", "file:app.db", ""},
		{"postgres", "postgres://u:hunter2@db/app", ""},
		{"postgres", "postgresql://u@db/app", ""},
		{"mysql", "mysql://u:hunter2@db/app", ""},
		{"mysql", "mariadb://u@db/app", ""},
		{"mongodb", "mongodb://db/app", ""},
		{"mongodb", "mongodb+srv://u:hunter2@cluster.example.com/app", ""},
		{"custom", "anything://at/all", ""},

		{"sqlite", "postgres://u:hunter2@db/app", "DATABASE_URL is a PostgreSQL URL, but this application keeps its data in SQLite (authgen.yaml: database: sqlite): set DATABASE_URL to a SQLite URL such as sqlite:./authgen.db (or unset it for the default, sqlite:./authgen.db), or change database in authgen.yaml and run authgen generate"},
		{"postgres", "sqlite:./authgen.db", "DATABASE_URL is a SQLite URL, but this application keeps its data in PostgreSQL (authgen.yaml: database: postgres): set DATABASE_URL to a PostgreSQL URL such as postgres://"},
		{"mysql", "postgres://u:hunter2@db/app", "DATABASE_URL is a PostgreSQL URL, but this application keeps its data in MySQL"},
		{"mongodb", "mysql://u:hunter2@db/app", "DATABASE_URL is a MySQL URL, but this application keeps its data in MongoDB (authgen.yaml: database: mongodb): set DATABASE_URL to a MongoDB URL such as mongodb://"},
		{"postgres", "http://u:hunter2@db/app", `unknown scheme "http"`},
		{"postgres", "db.internal:5432/app", "this application keeps its data in PostgreSQL: set DATABASE_URL to a PostgreSQL URL such as postgres://"},
		{"postgres", "", "DATABASE_URL is required, for example DATABASE_URL=postgres://"},
		{"sqlite", "sqlite:./missing/app.db", "DATABASE_URL=sqlite:./missing/app.db: the directory missing (" + filepath.Join(dir, "missing") + ", from the working directory) does not exist, and SQLite does not create it: create it (mkdir -p missing), or set DATABASE_URL to a file in an existing directory"},
		{"sqlite", "sqlite:" + filepath.Join(dir, "no", "app.db"), "the directory " + filepath.Join(dir, "no") + " does not exist"},
		{"sqlite", "sqlite:file/app.db", "file (" + filepath.Join(dir, "file") + ", from the working directory) is not a directory"},
		{"sqlite", "sqlite:", "sqlite URL has no file"},
	} {
		r := env.New(getenv(map[string]string{"DATABASE_URL": c.url}))
		got := r.DatabaseURL(c.database)
		err := r.Err()
		if c.want == "" {
			if err != nil {
				t.Errorf("%s %q: %v", c.database, c.url, err)
			}
			if c.url == "" && got != "sqlite:./authgen.db" {
				t.Errorf("default = %q", got)
			}
			continue
		}
		if !errors.Is(err, env.ErrConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q:\n got %v\nwant %s", c.database, c.url, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s %q: the error shows the password: %v", c.database, c.url, err)
		}
	}
	if _, err := os.Stat("app.db"); !os.IsNotExist(err) {
		t.Error("the check created a database file")
	}
}
