package dburl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/dburl"
)

func TestDialect(t *testing.T) {
	for in, want := range map[string]string{
		"sqlite:./authgen.db":             "sqlite",
		"sqlite:///var/lib/app.db":        "sqlite",
		"postgres://u@h/db":               "postgres",
		"postgresql://u@h/db":             "postgres",
		"mysql://u:p@h:3306/db":           "mysql",
		"mariadb://u@h/db":                "mysql",
		"mongodb://h:27017/app":           "mongodb",
		"mongodb+srv://u:p@cluster.x/app": "mongodb",
		"file:./authgen.db":               "sqlite",
		"SQLite:./authgen.db":             "sqlite",
		"localhost:5432/db":               "",
		"oracle://scott:tiger@h/db":       "",
		"no-scheme":                       "",
		"/path/without/scheme/authgen.db": "",
	} {
		got, err := dburl.Dialect(in)
		if got != want || (want == "") != errors.Is(err, dburl.ErrURL) {
			t.Errorf("Dialect(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestSQLite(t *testing.T) {
	dsn, err := dburl.SQLite("sqlite:./authgen.db")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"file:./authgen.db?", "foreign_keys%281%29", "busy_timeout%285000%29", "journal_mode%28WAL%29", "_txlock=immediate"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("DSN %q lacks %q", dsn, want)
		}
	}
	if dsn, _ := dburl.SQLite("sqlite::memory:"); strings.Contains(dsn, "WAL") {
		t.Errorf("in-memory DSN asks for WAL: %s", dsn)
	}
	if _, err := dburl.SQLite("sqlite:"); !errors.Is(err, dburl.ErrURL) {
		t.Errorf("empty path: %v", err)
	}
}

// TestWrongScheme: each converter refuses another database's URL instead
// of reading it as its own (a SQLite file named after a PostgreSQL host).
func TestWrongScheme(t *testing.T) {
	for _, c := range []struct {
		conv func(string) (string, error)
		raw  string
		want string
	}{
		{dburl.SQLite, "postgres://u:hunter2@db.internal/app", "a PostgreSQL URL where a SQLite one is needed"},
		{dburl.SQLite, "mysql://u@h/app", "a MySQL URL where a SQLite one is needed"},
		{dburl.SQLiteFile, "mongodb://h/app", "a MongoDB URL where a SQLite one is needed"},
		{dburl.Postgres, "sqlite:./authgen.db", "a SQLite URL where a PostgreSQL one is needed"},
		{dburl.Postgres, "mysql://u:hunter2@h/app", "a MySQL URL where a PostgreSQL one is needed"},
		{dburl.MySQL, "postgresql://u:hunter2@h/app", "a PostgreSQL URL where a MySQL one is needed"},
		{dburl.MySQL, "http://h/app", `unknown scheme "http"`},
		{dburl.Postgres, "u:hunter2@h/app", `unknown scheme "u"`},
	} {
		_, err := c.conv(c.raw)
		if !errors.Is(err, dburl.ErrURL) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: %v, want ErrURL with %q and no password", c.raw, err, c.want)
		}
	}
}

func TestSQLiteFile(t *testing.T) {
	for in, want := range map[string]string{
		"sqlite:./authgen.db":                 "./authgen.db",
		"sqlite:data/app.db?_txlock=deferred": "data/app.db",
		"sqlite:///var/lib/app.db":            "/var/lib/app.db",
		"file:app.db":                         "app.db",
		"sqlite::memory:":                     "",
		"file:x?mode=memory&cache=shared":     "",
	} {
		if got, err := dburl.SQLiteFile(in); got != want || err != nil {
			t.Errorf("SQLiteFile(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestMySQL(t *testing.T) {
	dsn, err := dburl.MySQL("mysql://app:s3cr%40t@db.internal/shop?tls=true")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dsn, "app:s3cr@t@tcp(db.internal:3306)/shop?") {
		t.Errorf("DSN = %q", dsn)
	}
	for _, want := range []string{"parseTime=true", "loc=UTC", "charset=utf8mb4", "clientFoundRows=true", "interpolateParams=true", "tls=true"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("DSN %q lacks %q", dsn, want)
		}
	}
	if _, err := dburl.MySQL("mysql:///nohost"); !errors.Is(err, dburl.ErrURL) {
		t.Errorf("no host: %v", err)
	}
}

func TestRedactHidesPasswords(t *testing.T) {
	_, err := dburl.Postgres("postgres://u:hunter2@/db")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v", err)
	}
	if r := dburl.Redact("postgres://u:hunter2@h/db"); strings.Contains(r, "hunter2") {
		t.Errorf("Redact = %q", r)
	}
}
