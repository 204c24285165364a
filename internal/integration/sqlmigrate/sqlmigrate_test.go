// Package sqlmigrate_test checks runtime/store/sqlmigrate against goose
// v3.28.0 on SQLite, PostgreSQL and MariaDB: either can migrate a database
// the other has migrated, in whole or in part, and both read the version
// table alike.
package sqlmigrate_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite"

	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/store/sqlmigrate"
)

const table = "auth_migrations"

// A dialect's test migrations: 1 creates a table; 2 is a trigger whose body
// has semicolons, in a StatementBegin…StatementEnd block; 3 says NO
// TRANSACTION and does what a transaction refuses (VACUUM on SQLite, CREATE
// INDEX CONCURRENTLY on PostgreSQL); 4 inserts a row (with a semicolon in a
// string) through the trigger and adds a column. Every one has a Down.
var migrations = map[sqlmigrate.Dialect]fstest.MapFS{
	sqlmigrate.SQLite: {
		"00001_items.sql": file(`-- +goose Up
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
-- +goose Down
DROP TABLE items;
`),
		"00002_trigger.sql": file(`-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER items_upper AFTER INSERT ON items
BEGIN
  UPDATE items SET name = upper(name) WHERE id = NEW.id;
  UPDATE items SET name = name || '!' WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose Down
DROP TRIGGER items_upper;
`),
		"00003_index.sql": file(`-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX items_name ON items (name);
VACUUM;
-- +goose Down
DROP INDEX items_name;
`),
		"00004_data.sql": file(`-- +goose Up
INSERT INTO items (name) VALUES ('a;b');
ALTER TABLE items ADD COLUMN note TEXT;
-- +goose Down
ALTER TABLE items DROP COLUMN note;
DELETE FROM items;
`),
	},
	sqlmigrate.Postgres: {
		"00001_items.sql": file(`-- +goose Up
CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);
SELECT pg_sleep(0.2);
-- +goose Down
DROP TABLE items;
`),
		"00002_trigger.sql": file(`-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION items_upper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.name := upper(NEW.name);
  NEW.name := NEW.name || '!';
  RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER items_upper BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_upper();
-- +goose Down
DROP TRIGGER items_upper ON items;
DROP FUNCTION items_upper;
`),
		"00003_index.sql": file(`-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY items_name ON items (name);
-- +goose Down
DROP INDEX CONCURRENTLY items_name;
`),
		"00004_data.sql": file(`-- +goose Up
INSERT INTO items (name) VALUES ('a;b');
ALTER TABLE items ADD COLUMN note text;
-- +goose Down
ALTER TABLE items DROP COLUMN note;
DELETE FROM items;
`),
	},
	sqlmigrate.MySQL: {
		"00001_items.sql": file(`-- +goose Up
CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
DO SLEEP(0.2);
-- +goose Down
DROP TABLE items;
`),
		"00002_trigger.sql": file(`-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER items_upper BEFORE INSERT ON items FOR EACH ROW
BEGIN
  SET NEW.name = UPPER(NEW.name);
  SET NEW.name = CONCAT(NEW.name, '!');
END;
-- +goose StatementEnd
-- +goose Down
DROP TRIGGER items_upper;
`),
		"00003_index.sql": file(`-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX items_name ON items (name);
-- +goose Down
DROP INDEX items_name ON items;
`),
		"00004_data.sql": file(`-- +goose Up
INSERT INTO items (name) VALUES ('a;b');
ALTER TABLE items ADD COLUMN note TEXT;
-- +goose Down
ALTER TABLE items DROP COLUMN note;
DELETE FROM items;
`),
	},
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// upTo returns the migrations of fsys up to version n.
func upTo(fsys fstest.MapFS, n int) fstest.MapFS {
	out := fstest.MapFS{}
	for name, f := range fsys {
		var v int
		fmt.Sscanf(name, "%d_", &v)
		if v <= n {
			out[name] = f
		}
	}
	return out
}

// with returns fsys plus one more file.
func with(fsys fstest.MapFS, name, src string) fstest.MapFS {
	out := maps(fsys)
	out[name] = file(src)
	return out
}

func maps(fsys fstest.MapFS) fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range fsys {
		out[k] = v
	}
	return out
}

// dbms is one database server under test.
type dbms struct {
	dialect sqlmigrate.Dialect
	goose   goose.Dialect
	// open returns a *sql.DB on a fresh, empty database; again on the same
	// database when given its name.
	newDB func(t *testing.T) (name string)
	open  func(t *testing.T, name string) *sql.DB
	// columns lists a table's columns with their types, nullability and
	// defaults, as the catalog has them.
	columns string
	// transactionalDDL: a failed migration leaves no table behind.
	transactionalDDL bool
}

func sqliteDBMS(t *testing.T) *dbms {
	dir := t.TempDir()
	n := 0
	return &dbms{
		dialect: sqlmigrate.SQLite, goose: goose.DialectSQLite3, transactionalDDL: true,
		newDB: func(*testing.T) string { n++; return filepath.Join(dir, fmt.Sprintf("db%d.sqlite", n)) },
		open: func(t *testing.T, name string) *sql.DB {
			dsn, err := dburl.SQLite("sqlite:" + name)
			if err != nil {
				t.Fatal(err)
			}
			return openDB(t, "sqlite", dsn)
		},
		columns: "SELECT name, type, \"notnull\", COALESCE(dflt_value, ''), pk FROM pragma_table_info(?) ORDER BY cid",
	}
}

func postgresDBMS(t *testing.T) *dbms {
	pg := testsvc.PostgreSQL(t)
	return &dbms{
		dialect: sqlmigrate.Postgres, goose: goose.DialectPostgres, transactionalDDL: true,
		newDB: func(t *testing.T) string { return pg.CreateDB(t, "") },
		open:  func(t *testing.T, url string) *sql.DB { return openDB(t, "pgx", url) },
		columns: `SELECT column_name, data_type, is_nullable, COALESCE(column_default, ''), is_identity, COALESCE(identity_generation, '')
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
	}
}

func mariaDBMS(t *testing.T) *dbms {
	m := testsvc.MariaDB(t)
	return &dbms{
		dialect: sqlmigrate.MySQL, goose: goose.DialectMySQL,
		newDB: func(t *testing.T) string { return m.CreateDB(t, "") },
		open: func(t *testing.T, url string) *sql.DB {
			dsn, err := dburl.MySQL(url)
			if err != nil {
				t.Fatal(err)
			}
			return openDB(t, "mysql", dsn)
		},
		columns: `SELECT column_name, column_type, is_nullable, COALESCE(column_default, ''), extra, column_key
			FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
	}
}

func openDB(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSQLite(t *testing.T)   { run(t, sqliteDBMS(t)) }
func TestPostgres(t *testing.T) { run(t, postgresDBMS(t)) }
func TestMariaDB(t *testing.T)  { run(t, mariaDBMS(t)) }

// env is one fresh database and the two migrators on it.
type env struct {
	t    *testing.T
	d    *dbms
	name string
	db   *sql.DB
	fsys fstest.MapFS
}

func (d *dbms) env(t *testing.T) *env {
	name := d.newDB(t)
	return &env{t: t, d: d, name: name, db: d.open(t, name), fsys: migrations[d.dialect]}
}

// ours returns a runtime migrator on fsys.
func (e *env) ours(fsys fstest.MapFS) *sqlmigrate.Migrator {
	e.t.Helper()
	m, err := sqlmigrate.New(e.d.dialect, fsys, table)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// goose returns a goose provider on fsys.
func (e *env) goose(fsys fstest.MapFS) *goose.Provider {
	e.t.Helper()
	p, err := goose.NewProvider(e.d.goose, e.db, fsys, goose.WithTableName(table))
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// up runs our Up and returns the versions it applied.
func (e *env) up(fsys fstest.MapFS) []int64 {
	e.t.Helper()
	rs, err := e.ours(fsys).Up(context.Background(), e.db)
	if err != nil {
		e.t.Fatalf("Up: %v", err)
	}
	return applied(rs)
}

func applied(rs []sqlmigrate.Result) []int64 {
	out := []int64{}
	for _, r := range rs {
		out = append(out, r.Migration.Version)
	}
	return out
}

// gooseSays checks what goose reports: the version and nothing pending.
func (e *env) gooseSays(version int64) {
	e.t.Helper()
	ctx := context.Background()
	p := e.goose(e.fsys)
	v, err := p.GetDBVersion(ctx)
	if err != nil || v != version {
		e.t.Errorf("goose: version %d, %v; want %d", v, err, version)
	}
	pending, err := p.HasPending(ctx)
	if err != nil || pending != (version < 4) {
		e.t.Errorf("goose: HasPending = %v, %v at version %d", pending, err, version)
	}
	list, err := p.Status(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range list {
		if want := s.Source.Version <= version; (s.State == goose.StateApplied) != want {
			e.t.Errorf("goose: %s is %s at version %d", s.Source.Path, s.State, version)
		}
	}
}

// oursSays checks what Status reports.
func (e *env) oursSays(version int64) *sqlmigrate.Status {
	e.t.Helper()
	s, err := e.ours(e.fsys).Status(context.Background(), e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	var wantApplied []int64
	for v := int64(1); v <= version; v++ {
		wantApplied = append(wantApplied, v)
	}
	var pending []int64
	for _, p := range s.Pending {
		pending = append(pending, p.Version)
	}
	if s.Current != version || s.Latest != 4 || !reflect.DeepEqual(s.Applied, wantApplied) || len(pending) != int(4-version) || len(s.Unknown) != 0 {
		e.t.Errorf("Status = current %d latest %d applied %v pending %v unknown %v; want version %d", s.Current, s.Latest, s.Applied, pending, s.Unknown, version)
	}
	if err := s.Check(); (err == nil) != (version == 4) {
		e.t.Errorf("Check() = %v at version %d", err, version)
	}
	return s
}

// schemaWorks checks what the migrations made: the trigger ran on the
// inserted row, the column exists.
func (e *env) schemaWorks() {
	e.t.Helper()
	var name string
	var note sql.NullString
	if err := e.db.QueryRow("SELECT name, note FROM items").Scan(&name, &note); err != nil || name != "A;B!" {
		e.t.Errorf("items: %q, %v; want A;B!", name, err)
	}
}

// versionRows returns a version table's version_id column in id order,
// checking that every row has is_applied true.
func (e *env) versionRows(table string) []int64 {
	e.t.Helper()
	rows, err := e.db.Query("SELECT version_id, is_applied FROM " + table + " ORDER BY id")
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		var ok bool
		if err := rows.Scan(&v, &ok); err != nil {
			e.t.Fatal(err)
		}
		if !ok {
			e.t.Errorf("version %d has is_applied false", v)
		}
		out = append(out, v)
	}
	return out
}

func run(t *testing.T, d *dbms) {
	ctx := context.Background()

	t.Run("ours then goose", func(t *testing.T) {
		e := d.env(t)
		if got := e.up(e.fsys); !reflect.DeepEqual(got, []int64{1, 2, 3, 4}) {
			t.Fatalf("applied %v", got)
		}
		e.schemaWorks()
		e.gooseSays(4)
		if rs, err := e.goose(e.fsys).Up(ctx); err != nil || len(rs) != 0 {
			t.Errorf("goose Up after ours: %d applied, %v", len(rs), err)
		}
		if got := e.versionRows(table); !reflect.DeepEqual(got, []int64{0, 1, 2, 3, 4}) {
			t.Errorf("version rows %v", got)
		}
		e.oursSays(4)
	})

	t.Run("the version table is goose's", func(t *testing.T) {
		e := d.env(t)
		e.up(upTo(e.fsys, 1))
		// goose creates its own next to ours.
		p, err := goose.NewProvider(d.goose, e.db, e.fsys, goose.WithTableName("goose_ref"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.GetDBVersion(ctx); err != nil {
			t.Fatal(err)
		}
		ours, theirs := e.catalog(table), e.catalog("goose_ref")
		if len(ours) == 0 || !reflect.DeepEqual(ours, theirs) {
			t.Errorf("columns of %s:\n%v\ngoose's:\n%v", table, ours, theirs)
		}
		if ours, theirs := e.versionRows(table), e.versionRows("goose_ref"); !reflect.DeepEqual(ours, []int64{0, 1}) || !reflect.DeepEqual(theirs, []int64{0}) {
			t.Errorf("version rows: ours %v, goose's %v", ours, theirs)
		}
	})

	t.Run("goose then ours", func(t *testing.T) {
		e := d.env(t)
		if rs, err := e.goose(e.fsys).Up(ctx); err != nil || len(rs) != 4 {
			t.Fatalf("goose Up: %d, %v", len(rs), err)
		}
		e.oursSays(4)
		if got := e.up(e.fsys); len(got) != 0 {
			t.Errorf("ours applied %v after goose", got)
		}
		e.schemaWorks()
	})

	t.Run("goose first two, ours the rest", func(t *testing.T) {
		e := d.env(t)
		if rs, err := e.goose(e.fsys).UpTo(ctx, 2); err != nil || len(rs) != 2 {
			t.Fatalf("goose UpTo 2: %d, %v", len(rs), err)
		}
		e.oursSays(2)
		if got := e.up(e.fsys); !reflect.DeepEqual(got, []int64{3, 4}) {
			t.Errorf("ours applied %v", got)
		}
		e.gooseSays(4)
		e.schemaWorks()
	})

	t.Run("ours first three, goose the rest", func(t *testing.T) {
		e := d.env(t)
		if got := e.up(upTo(e.fsys, 3)); !reflect.DeepEqual(got, []int64{1, 2, 3}) {
			t.Fatalf("ours applied %v", got)
		}
		e.gooseSays(3)
		if rs, err := e.goose(e.fsys).Up(ctx); err != nil || len(rs) != 1 || rs[0].Source.Version != 4 {
			t.Fatalf("goose Up: %v, %v", rs, err)
		}
		e.oursSays(4)
		e.schemaWorks()
	})

	t.Run("a failing migration", func(t *testing.T) {
		e := d.env(t)
		e.up(upTo(e.fsys, 2))
		bad := with(upTo(e.fsys, 2), "00003_bad.sql", "-- +goose Up\nCREATE TABLE half (id INT);\n\nINSERT INTO no_such_table VALUES (1);\n")
		rs, err := e.ours(bad).Up(ctx, e.db)
		var merr *sqlmigrate.MigrationError
		if !errors.As(err, &merr) || merr.Migration.Name != "00003_bad.sql" || merr.Line != 4 || len(rs) != 0 {
			t.Fatalf("Up = %v, %v; want a *MigrationError at 00003_bad.sql:4", applied(rs), err)
		}
		if !strings.Contains(err.Error(), "00003_bad.sql:4") {
			t.Errorf("the error does not name the file and line: %v", err)
		}
		s, err := e.ours(bad).Status(ctx, e.db)
		if err != nil || s.Current != 2 {
			t.Errorf("after the failure: version %d, %v; want 2", s.Current, err)
		}
		if v, err := e.goose(bad).GetDBVersion(ctx); err != nil || v != 2 {
			t.Errorf("goose after the failure: version %d, %v; want 2", v, err)
		}
		if half := e.tableExists("half"); half == d.transactionalDDL {
			t.Errorf("the failed migration's table exists: %v; with transactional DDL: %v", half, d.transactionalDDL)
		}
		// Fixed, it applies.
		good := with(upTo(e.fsys, 2), "00003_bad.sql", "-- +goose Up\nCREATE TABLE half2 (id INT);\n")
		if got := e.up(good); !reflect.DeepEqual(got, []int64{3}) {
			t.Errorf("after the fix: applied %v", got)
		}
	})

	t.Run("status", func(t *testing.T) {
		e := d.env(t)
		s := e.oursSays(0)
		if !errors.Is(s.Check(), sqlmigrate.ErrPending) {
			t.Errorf("Check() = %v", s.Check())
		}
		if e.tableExists(table) {
			t.Errorf("Status created %s", table)
		}
		e.up(upTo(e.fsys, 1))
		e.oursSays(1)
		e.up(e.fsys)
		e.oursSays(4)
		// A newer program (goose with a fifth migration) moves the database
		// on: the older migrations report it.
		newer := with(e.fsys, "00005_newer.sql", "-- +goose Up\nCREATE TABLE newer (id INT);\n")
		if _, err := e.goose(newer).Up(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := e.ours(e.fsys).Status(ctx, e.db)
		if err != nil || s.Current != 5 || !reflect.DeepEqual(s.Unknown, []int64{5}) || !errors.Is(s.Check(), sqlmigrate.ErrUnknownVersion) {
			t.Errorf("Status after a newer migration: %+v %v, Check %v", s, err, s.Check())
		}
		if got := e.up(e.fsys); len(got) != 0 {
			t.Errorf("Up on a newer database applied %v", got)
		}
	})

	t.Run("concurrent", func(t *testing.T) {
		e := d.env(t)
		fsys := e.fsys
		if d.dialect == sqlmigrate.SQLite {
			// On SQLite a NO TRANSACTION migration runs outside the write
			// lock (see the package documentation).
			fsys = maps(fsys)
			delete(fsys, "00003_index.sql")
		}
		const instances = 4
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			all     []int64
			start   = make(chan struct{})
			handles = make([]*sql.DB, instances)
		)
		for i := range handles {
			handles[i] = d.open(t, e.name) // a pool of its own, as another process has
		}
		for i := range instances {
			wg.Go(func() {
				m := e.ours(fsys)
				<-start
				rs, err := m.Up(ctx, handles[i])
				if err != nil {
					t.Errorf("instance %d: %v", i, err)
				}
				mu.Lock()
				all = append(all, applied(rs)...)
				mu.Unlock()
			})
		}
		close(start)
		wg.Wait()
		slices.Sort(all)
		want := []int64{1, 2, 3, 4}
		if d.dialect == sqlmigrate.SQLite {
			want = []int64{1, 2, 4}
		}
		if !reflect.DeepEqual(all, want) {
			t.Errorf("the instances applied %v together, want each of %v once", all, want)
		}
		if got := e.versionRows(table); !reflect.DeepEqual(got, append([]int64{0}, want...)) {
			t.Errorf("version rows %v", got)
		}
		e.schemaWorks()
	})
}

// catalog returns the columns of a table as the database describes them.
func (e *env) catalog(name string) [][]string {
	e.t.Helper()
	rows, err := e.db.Query(e.d.columns, name)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			e.t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) tableExists(name string) bool {
	e.t.Helper()
	_, err := e.db.Exec("SELECT 1 FROM " + name + " WHERE 1 = 0")
	return err == nil
}
