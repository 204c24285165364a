package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// testFS has a transactional migration, a NO TRANSACTION one and another
// transactional one.
var testFS = fstest.MapFS{
	"00001_a.sql": file("-- +goose Up\nCREATE TABLE a (x INT);\n-- +goose Down\nDROP TABLE a;\n"),
	"00002_b.sql": file("-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX i ON a (x);\n"),
	"00003_c.sql": file("-- +goose Up\nALTER TABLE a ADD y INT;\n"),
}

// newFake returns a migrator on fsys, a fake database and a function
// running Up on it.
func newFake(t *testing.T, d Dialect, fsys fstest.MapFS) (*Migrator, *fakeDB, *sql.DB, func() ([]Result, error)) {
	t.Helper()
	m, err := New(d, fsys, "auth_migrations")
	if err != nil {
		t.Fatal(err)
	}
	f, db := openFake(t.Name())
	t.Cleanup(func() { db.Close() })
	return m, f, db, func() ([]Result, error) { return m.Up(context.Background(), db) }
}

func names2(rs []Result) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Migration.Name)
	}
	return out
}

func checkLog(t *testing.T, f *fakeDB, want ...string) {
	t.Helper()
	if got := f.takeLog(); !reflect.DeepEqual(got, want) {
		t.Errorf("sent:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestUpPostgres(t *testing.T) {
	_, f, _, up := newFake(t, Postgres, testFS)
	rs, err := up()
	if err != nil {
		t.Fatal(err)
	}
	if got := names2(rs); !reflect.DeepEqual(got, []string{"00001_a.sql", "00002_b.sql", "00003_c.sql"}) {
		t.Errorf("applied %v", got)
	}
	checkLog(t, f,
		"SELECT pg_try_advisory_lock($1) 4097083626",
		"SELECT EXISTS (SELECT auth_migrations",
		"BEGIN", "CREATE TABLE auth_migrations", "INSERT INTO auth_migrations 0 true", "COMMIT",
		"BEGIN", "CREATE TABLE a", "INSERT INTO auth_migrations 1 true", "COMMIT",
		"CREATE INDEX i", "INSERT INTO auth_migrations 2 true",
		"BEGIN", "ALTER TABLE a", "INSERT INTO auth_migrations 3 true", "COMMIT",
		"SELECT pg_advisory_unlock($1) 4097083626",
	)
	// Again: nothing to do.
	if rs, err := up(); err != nil || len(rs) != 0 {
		t.Fatalf("second Up: %v %v", names2(rs), err)
	}
	checkLog(t, f,
		"SELECT pg_try_advisory_lock($1) 4097083626",
		"SELECT EXISTS (SELECT auth_migrations",
		"SELECT version_id FROM",
		"SELECT pg_advisory_unlock($1) 4097083626",
	)
}

func TestUpMySQL(t *testing.T) {
	_, f, _, up := newFake(t, MySQL, fstest.MapFS{"00001_a.sql": testFS["00001_a.sql"]})
	if _, err := up(); err != nil {
		t.Fatal(err)
	}
	checkLog(t, f,
		"SELECT COALESCE(DATABASE(), '')",
		"SELECT GET_LOCK(?, 1) auth_migrations@app",
		"SELECT EXISTS (SELECT auth_migrations",
		"BEGIN", "CREATE TABLE auth_migrations", "INSERT INTO auth_migrations 0 true", "COMMIT",
		"BEGIN", "CREATE TABLE a", "INSERT INTO auth_migrations 1 true", "COMMIT",
		"SELECT RELEASE_LOCK(?) auth_migrations@app",
	)
}

// On SQLite every migration is planned and applied under BEGIN IMMEDIATE;
// a NO TRANSACTION one runs after the commit.
func TestUpSQLite(t *testing.T) {
	_, f, _, up := newFake(t, SQLite, testFS)
	rs, err := up()
	if err != nil || len(rs) != 3 {
		t.Fatal(names2(rs), err)
	}
	checkLog(t, f,
		"BEGIN IMMEDIATE", "SELECT EXISTS (SELECT auth_migrations",
		"CREATE TABLE auth_migrations", "INSERT INTO auth_migrations 0 true",
		"CREATE TABLE a", "INSERT INTO auth_migrations 1 true", "COMMIT",
		"BEGIN IMMEDIATE", "SELECT EXISTS (SELECT auth_migrations", "SELECT version_id FROM", "COMMIT",
		"CREATE INDEX i", "INSERT INTO auth_migrations 2 true",
		"BEGIN IMMEDIATE", "SELECT EXISTS (SELECT auth_migrations", "SELECT version_id FROM",
		"ALTER TABLE a", "INSERT INTO auth_migrations 3 true", "COMMIT",
		"BEGIN IMMEDIATE", "SELECT EXISTS (SELECT auth_migrations", "SELECT version_id FROM", "COMMIT",
	)
}

// A failing migration is rolled back with its version row; those before it
// stay applied; the lock is released.
func TestUpFailure(t *testing.T) {
	for _, d := range []Dialect{Postgres, SQLite} {
		t.Run(string(d), func(t *testing.T) {
			fsys := fstest.MapFS{
				"00001_a.sql": testFS["00001_a.sql"],
				"00002_bad.sql": file("-- +goose Up\nCREATE TABLE b (x INT);\n\n" +
					"-- +goose StatementBegin\nSELECT FAIL;\nSELECT 2;\n-- +goose StatementEnd\n"),
			}
			_, f, _, up := newFake(t, d, fsys)
			rs, err := up()
			if got := names2(rs); !reflect.DeepEqual(got, []string{"00001_a.sql"}) {
				t.Errorf("applied %v", got)
			}
			var merr *MigrationError
			if !errors.As(err, &merr) || merr.Migration.Name != "00002_bad.sql" || merr.Line != 5 {
				t.Fatalf("err = %#v", err)
			}
			if msg := err.Error(); msg != "sqlmigrate: 00002_bad.sql:5: boom (version 2 not recorded)" {
				t.Errorf("message %q", msg)
			}
			if !reflect.DeepEqual(f.versions, []int64{0, 1}) {
				t.Errorf("recorded %v", f.versions)
			}
			log := f.takeLog()
			if !slices.Contains(log, "ROLLBACK") {
				t.Errorf("no ROLLBACK in %q", log)
			}
			if d == Postgres && log[len(log)-1] != "SELECT pg_advisory_unlock($1) 4097083626" {
				t.Errorf("the lock was not released last: %q", log)
			}
		})
	}
}

func TestUpOutOfOrder(t *testing.T) {
	_, f, _, up := newFake(t, Postgres, testFS)
	f.exists, f.versions = true, []int64{0, 1, 3}
	rs, err := up()
	if !errors.Is(err, ErrOutOfOrder) || len(rs) != 0 || !strings.Contains(err.Error(), "00002_b.sql") {
		t.Fatalf("Up = %v, %v", names2(rs), err)
	}
	if !reflect.DeepEqual(f.versions, []int64{0, 1, 3}) {
		t.Errorf("recorded %v", f.versions)
	}
}

func TestStatusChangesNothing(t *testing.T) {
	m, f, db, up := newFake(t, SQLite, testFS)
	s, err := m.Status(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if s.Current != 0 || s.Latest != 3 || len(s.Pending) != 3 || !errors.Is(s.Check(), ErrPending) {
		t.Errorf("status %+v", s)
	}
	checkLog(t, f, "SELECT EXISTS (SELECT auth_migrations")
	if _, err := up(); err != nil {
		t.Fatal(err)
	}
	s, err = m.Status(context.Background(), db)
	if err != nil || s.Current != 3 || len(s.Pending) != 0 || s.Check() != nil || !reflect.DeepEqual(s.Applied, []int64{1, 2, 3}) {
		t.Errorf("status %+v %v", s, err)
	}
}
