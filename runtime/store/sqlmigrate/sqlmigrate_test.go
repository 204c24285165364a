package sqlmigrate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func file(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }

const ok = "-- +goose Up\nSELECT 1;\n"

func TestNew(t *testing.T) {
	m, err := New(Postgres, fstest.MapFS{
		"00010_c.sql": file(ok),
		"00002_b.sql": file(ok),
		"00001_a.sql": file(ok),
		"README.md":   file("not a migration"),
		"sub/3_x.sql": file("not read: goose reads the root only"),
		"00003_go.go": file("package migrations"),
	}, "auth_migrations")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, mig := range m.Migrations() {
		got = append(got, mig.Name)
	}
	if want := []string{"00001_a.sql", "00002_b.sql", "00010_c.sql"}; !reflect.DeepEqual(got, want) {
		t.Errorf("migrations %v, want %v", got, want)
	}
	if m.Latest() != 10 {
		t.Errorf("Latest = %d", m.Latest())
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		d       Dialect
		table   string
		fsys    fstest.MapFS
		is      error
		message string
	}{
		{name: "no migrations", d: SQLite, table: "t", fsys: fstest.MapFS{"x.txt": file("")}, is: ErrNoMigrations},
		{name: "duplicate version", d: SQLite, table: "t", fsys: fstest.MapFS{"1_a.sql": file(ok), "001_b.sql": file(ok)}, message: "same version 1"},
		{name: "bad name", d: SQLite, table: "t", fsys: fstest.MapFS{"first.sql": file(ok)}, message: "first.sql"},
		{name: "bad file", d: SQLite, table: "t", fsys: fstest.MapFS{"1_a.sql": file(ok), "2_b.sql": file("-- +goose Up\nSELECT 1\n")}, message: "2_b.sql:2"},
		{name: "dialect", d: "oracle", table: "t", fsys: fstest.MapFS{"1_a.sql": file(ok)}, message: "unknown dialect"},
		{name: "table", d: MySQL, table: "auth_migrations; DROP TABLE x", fsys: fstest.MapFS{"1_a.sql": file(ok)}, message: "lower-case identifier"},
		{name: "upper-case table", d: Postgres, table: "Auth_migrations", fsys: fstest.MapFS{"1_a.sql": file(ok)}, message: "lower-case identifier"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.d, tc.fsys, tc.table)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("err = %v, want it to mention %q", err, tc.message)
			}
		})
	}
}

func migs(versions ...int64) []*Migration {
	var out []*Migration
	for _, v := range versions {
		out = append(out, &Migration{Version: v, Name: fmt.Sprintf("%05d_m.sql", v)})
	}
	return out
}

func versions(ms []*Migration) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.Version)
	}
	return out
}

func TestPlan(t *testing.T) {
	for _, tc := range []struct {
		name     string
		files    []int64
		recorded []int64
		want     []int64
		err      error
	}{
		{name: "fresh database", files: []int64{1, 2, 3}, recorded: []int64{0}, want: []int64{1, 2, 3}},
		{name: "partly applied", files: []int64{1, 2, 3}, recorded: []int64{0, 1}, want: []int64{2, 3}},
		{name: "up to date", files: []int64{1, 2, 3}, recorded: []int64{3, 2, 1, 0}, want: []int64{}},
		{name: "unknown newer versions do not matter", files: []int64{1, 2}, recorded: []int64{0, 1, 2, 5}, want: []int64{}},
		{name: "gap below the current version", files: []int64{1, 2, 3}, recorded: []int64{0, 1, 3}, err: ErrOutOfOrder},
		{name: "older file than an unknown version", files: []int64{1, 2, 3}, recorded: []int64{0, 1, 2, 5}, err: ErrOutOfOrder},
		{name: "rows written twice", files: []int64{1, 2}, recorded: []int64{0, 1, 1}, want: []int64{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := plan(migs(tc.files...), tc.recorded)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(versions(got), tc.want) {
				t.Errorf("plan = %v, want %v", versions(got), tc.want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		name             string
		files, recorded  []int64
		current, latest  int64
		applied, pending []int64
		unknown          []int64
		check            error
	}{
		{name: "no table", files: []int64{1, 2}, recorded: nil, current: 0, latest: 2, pending: []int64{1, 2}, check: ErrPending},
		{name: "fresh table", files: []int64{1, 2}, recorded: []int64{0}, current: 0, latest: 2, pending: []int64{1, 2}, check: ErrPending},
		{name: "behind", files: []int64{1, 2}, recorded: []int64{0, 1}, current: 1, latest: 2, applied: []int64{1}, pending: []int64{2}, check: ErrPending},
		{name: "current", files: []int64{1, 2}, recorded: []int64{0, 2, 1}, current: 2, latest: 2, applied: []int64{1, 2}},
		{name: "ahead", files: []int64{1, 2}, recorded: []int64{0, 1, 2, 3}, current: 3, latest: 2, applied: []int64{1, 2, 3}, unknown: []int64{3}, check: ErrUnknownVersion},
		{name: "out of order", files: []int64{1, 2, 3}, recorded: []int64{0, 1, 3}, current: 3, latest: 3, applied: []int64{1, 3}, pending: []int64{2}, check: ErrOutOfOrder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := status(migs(tc.files...), tc.recorded)
			if s.Current != tc.current || s.Latest != tc.latest {
				t.Errorf("current %d latest %d, want %d %d", s.Current, s.Latest, tc.current, tc.latest)
			}
			if !reflect.DeepEqual(s.Applied, tc.applied) || !reflect.DeepEqual(s.Unknown, tc.unknown) {
				t.Errorf("applied %v unknown %v, want %v %v", s.Applied, s.Unknown, tc.applied, tc.unknown)
			}
			if got := versions(s.Pending); !reflect.DeepEqual(got, append([]int64{}, tc.pending...)) {
				t.Errorf("pending %v, want %v", got, tc.pending)
			}
			err := s.Check()
			if tc.check == nil && err != nil || tc.check != nil && !errors.Is(err, tc.check) {
				t.Errorf("Check() = %v, want %v", err, tc.check)
			}
		})
	}
}

func TestMySQLLockName(t *testing.T) {
	if got := mysqlLockName("auth_migrations", "app"); got != "auth_migrations@app" {
		t.Errorf("got %q", got)
	}
	long := mysqlLockName("auth_migrations", strings.Repeat("é", 64))
	if n := len([]rune(long)); n != 64 || !strings.HasPrefix(long, "auth_migrations@é") {
		t.Errorf("got %q (%d characters)", long, n)
	}
}
