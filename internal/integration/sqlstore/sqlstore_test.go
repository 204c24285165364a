package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/sqlmigrate"
	"github.com/authgen/authgen/runtime/store/sqlstore"
	"github.com/authgen/authgen/runtime/store/storetest"
	"github.com/authgen/authgen/templates"
)

// The dialects as generated code describes them (see generator/emit_store.go).
var (
	sqliteDialect = sqlstore.Dialect{Name: "sqlite", UnixMillis: true, Classify: func(err error) error {
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
	postgresDialect = sqlstore.Dialect{Name: "postgres", Numbered: true, Classify: func(err error) error {
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
	mysqlDialect = sqlstore.Dialect{Name: "mysql", Classify: func(err error) error {
		var e *mysql.MySQLError
		if errors.As(err, &e) {
			switch e.Number {
			case 1062:
				return fmt.Errorf("%w: %w", store.ErrConflict, err)
			case 1452:
				return fmt.Errorf("%w: %w", store.ErrNotFound, err)
			}
		}
		return err
	}}
)

const prefix = "auth_"

// migrations returns the dialect's migrations as authgen writes them into
// a project.
func migrations(t testing.TB, dialect string) fstest.MapFS {
	t.Helper()
	files, err := templates.Migrations(dialect, templates.MigrationData{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// migrate applies the dialect's embedded migrations with sqlmigrate, as
// generated code and `authgen migrate` do.
func migrate(t testing.TB, db *sql.DB, dialect string) {
	t.Helper()
	migrateWith(t, db, dialect, migrations(t, dialect))
}

// migrateWith applies the migrations in fsys.
func migrateWith(t testing.TB, db *sql.DB, dialect string, fsys fstest.MapFS) []sqlmigrate.Result {
	t.Helper()
	m, err := sqlmigrate.New(sqlmigrate.Dialect(dialect), fsys, prefix+"migrations")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Up(context.Background(), db)
	if err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return res
}

// empty deletes every row, so each conformance subtest starts clean.
func empty(t testing.TB, db *sql.DB) {
	t.Helper()
	for _, table := range []string{"passkeys", "two_factor_recovery_codes", "two_factors", "verification_tokens", "sessions", "accounts", "users"} {
		if _, err := db.Exec("DELETE FROM " + prefix + table); err != nil {
			t.Fatal(err)
		}
	}
}

func openSQLite(t testing.TB) *sql.DB {
	t.Helper()
	db := openSQLiteBare(t)
	migrate(t, db, "sqlite")
	return db
}

// openSQLiteBare opens an empty SQLite database without migrating it.
func openSQLiteBare(t testing.TB) *sql.DB {
	t.Helper()
	dsn, err := dburl.SQLite("sqlite:" + filepath.Join(t.TempDir(), "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t testing.TB) *sql.DB {
	t.Helper()
	db := openPostgresBare(t)
	migrate(t, db, "postgres")
	return db
}

// openPostgresBare opens an empty PostgreSQL database without migrating it.
func openPostgresBare(t testing.TB) *sql.DB {
	t.Helper()
	pg := testsvc.PostgreSQL(t)
	db, err := sql.Open("pgx", pg.CreateDB(t, "sqlstore"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openMariaDB(t testing.TB) *sql.DB {
	t.Helper()
	db := openMariaDBBare(t)
	migrate(t, db, "mysql")
	return db
}

// openMariaDBBare opens an empty MariaDB database without migrating it.
func openMariaDBBare(t testing.TB) *sql.DB {
	t.Helper()
	m := testsvc.MariaDB(t)
	dsn, err := dburl.MySQL(m.CreateDB(t, "sqlstore"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func conformance(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
	storetest.Run(t, func(t *testing.T) store.Store {
		empty(t, db)
		return sqlstore.New(db, d, prefix)
	})
}

func twoFactors(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
	storetest.RunTwoFactors(t, func(t *testing.T) storetest.TwoFactorStore {
		empty(t, db)
		return sqlstore.New(db, d, prefix)
	})
}

func TestTwoFactorsSQLite(t *testing.T)   { twoFactors(t, openSQLite(t), sqliteDialect) }
func TestTwoFactorsPostgres(t *testing.T) { twoFactors(t, openPostgres(t), postgresDialect) }
func TestTwoFactorsMariaDB(t *testing.T)  { twoFactors(t, openMariaDB(t), mysqlDialect) }

func passkeys(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
	storetest.RunPasskeys(t, func(t *testing.T) storetest.PasskeyStore {
		empty(t, db)
		return sqlstore.New(db, d, prefix)
	})
}

func TestPasskeysSQLite(t *testing.T)   { passkeys(t, openSQLite(t), sqliteDialect) }
func TestPasskeysPostgres(t *testing.T) { passkeys(t, openPostgres(t), postgresDialect) }
func TestPasskeysMariaDB(t *testing.T)  { passkeys(t, openMariaDB(t), mysqlDialect) }

func TestSQLite(t *testing.T)   { conformance(t, openSQLite(t), sqliteDialect) }
func TestPostgres(t *testing.T) { conformance(t, openPostgres(t), postgresDialect) }
func TestMariaDB(t *testing.T)  { conformance(t, openMariaDB(t), mysqlDialect) }

// TestUnreachable: a database that is down gives errors that are neither
// ErrNotFound nor ErrConflict, so the server reports an outage instead of
// "no session" or "already linked".
func TestUnreachable(t *testing.T) {
	db, err := sql.Open("pgx", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := sqlstore.New(db, postgresDialect, prefix)
	ctx := context.Background()
	_, _, err = s.GetSessionAndUser(ctx, "x", time.Now())
	if err == nil || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		t.Fatalf("GetSessionAndUser on a dead database: %v", err)
	}
	if _, err := s.CreateUserAndAccount(ctx, store.User{Email: "a@example.com"}, store.Account{Provider: "p", ProviderAccountID: "1", Type: "oauth"}); err == nil || errors.Is(err, store.ErrConflict) {
		t.Fatalf("CreateUserAndAccount on a dead database: %v", err)
	}
}
