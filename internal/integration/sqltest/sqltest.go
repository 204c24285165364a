// Package sqltest opens SQL databases for the integration tests as a
// generated project opens them: the drivers' dialects for
// runtime/store/sqlstore (what store_gen.go writes), and a new SQLite file
// migrated with authgen's migrations as `authgen migrate` applies them.
package sqltest

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/sqlmigrate"
	"github.com/authgen/authgen/runtime/store/sqlstore"
	"github.com/authgen/authgen/templates"
)

// Prefix starts authgen's table names in these databases.
const Prefix = "auth_"

// SQLiteDialect describes modernc.org/sqlite to the store.
var SQLiteDialect = sqlstore.Dialect{Name: "sqlite", UnixMillis: true, Classify: func(err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %w", store.ErrNotFound, err)
		}
	}
	return err
}}

// PostgresDialect describes pgx's database/sql driver to the store.
var PostgresDialect = sqlstore.Dialect{Name: "postgres", Numbered: true, Classify: func(err error) error {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		switch e.Code {
		case "23505":
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case "23503":
			return fmt.Errorf("%w: %w", store.ErrNotFound, err)
		}
	}
	return err
}}

// OpenSQLite opens a new SQLite file in the test's directory (WAL, as
// DATABASE_URL=sqlite:… opens it), migrated.
func OpenSQLite(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn, err := dburl.SQLite("sqlite:" + filepath.Join(tb.TempDir(), "auth.db"))
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	Migrate(tb, db, "sqlite")
	return db
}

// SQLiteStore is the store on a new migrated SQLite file, and the file.
func SQLiteStore(tb testing.TB) (*sqlstore.Store, *sql.DB) {
	tb.Helper()
	db := OpenSQLite(tb)
	return sqlstore.New(db, SQLiteDialect, Prefix), db
}

// Migrate applies authgen's migrations of the dialect ("sqlite",
// "postgres", "mysql") to db.
func Migrate(tb testing.TB, db *sql.DB, dialect string) {
	tb.Helper()
	files, err := templates.Migrations(dialect, templates.MigrationData{Prefix: Prefix})
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	m, err := sqlmigrate.New(sqlmigrate.Dialect(dialect), fsys, Prefix+"migrations")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := m.Up(tb.Context(), db); err != nil {
		tb.Fatalf("migrate %s: %v", dialect, err)
	}
}
