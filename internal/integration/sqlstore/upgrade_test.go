package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/sqlmigrate"
	"github.com/authgen/authgen/runtime/store/sqlstore"
)

// The upgrade tests start from a database that the release before
// sessions had providers made: migrated by 00001_authgen.sql alone, with a
// user and a database session written as that release wrote them. Then
// the migrations that authgen writes now are applied, as `authgen migrate`
// or AUTH_AUTO_MIGRATE do, and the store must find the old session (with an
// empty provider) and keep new sessions' providers.
func TestUpgradeSQLite(t *testing.T) { upgrade(t, openSQLiteBare(t), "sqlite", sqliteDialect) }
func TestUpgradePostgres(t *testing.T) {
	upgrade(t, openPostgresBare(t), "postgres", postgresDialect)
}
func TestUpgradeMariaDB(t *testing.T) { upgrade(t, openMariaDBBare(t), "mysql", mysqlDialect) }

func upgrade(t *testing.T, db *sql.DB, dialect string, d sqlstore.Dialect) {
	ctx := context.Background()
	all := migrations(t, dialect)
	const first, second = "00001_authgen.sql", "00002_authgen_session_provider.sql"
	if all[first] == nil || all[second] == nil {
		t.Fatalf("the %s migrations are %v, want %s and %s among them", dialect, slices.Sorted(maps.Keys(all)), first, second)
	}
	if got := applied(migrateWith(t, db, dialect, fstest.MapFS{first: all[first]})); !slices.Equal(got, []int64{1}) {
		t.Fatalf("migrating with %s alone applied %v", first, got)
	}

	// What the release before wrote: a user, and a session row without a
	// provider column.
	now := time.Now().UTC().Truncate(time.Millisecond)
	expires := now.Add(30 * 24 * time.Hour)
	oldID := store.HashToken("a session from before the upgrade")
	exec := func(query string, args ...any) {
		t.Helper()
		if d.Numbered {
			query = numbered(query)
		}
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	var expiresValue any = expires
	if d.UnixMillis {
		expiresValue = expires.UnixMilli()
	}
	exec("INSERT INTO "+prefix+"users (id, name, email) VALUES (?, ?, ?)", "u-1", "Old Timer", "old@example.com")
	exec("INSERT INTO "+prefix+"accounts (user_id, type, provider, provider_account_id) VALUES (?, ?, ?, ?)", "u-1", "oauth", "github", "583231")
	exec("INSERT INTO "+prefix+"sessions (id, user_id, expires) VALUES (?, ?, ?)", oldID, "u-1", expiresValue)

	m, err := sqlmigrate.New(sqlmigrate.Dialect(dialect), all, prefix+"migrations")
	if err != nil {
		t.Fatal(err)
	}
	status, err := m.Status(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := status.Check(); !errors.Is(err, sqlmigrate.ErrPending) {
		t.Errorf("before the upgrade Status.Check() = %v, want ErrPending", err)
	}
	if len(status.Pending) != 1 || status.Pending[0].Name != second {
		t.Errorf("before the upgrade pending migrations are %v, want %s", status.Pending, second)
	}

	res, err := m.Up(ctx, db)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if got := applied(res); !slices.Equal(got, []int64{2}) {
		t.Errorf("the upgrade applied %v, want [2]", got)
	}
	if status, err = m.Status(ctx, db); err != nil || status.Check() != nil {
		t.Errorf("after the upgrade Status = %+v, %v; Check() = %v", status, err, status.Check())
	}

	st := sqlstore.New(db, d, prefix)
	s, u, err := st.GetSessionAndUser(ctx, oldID, now)
	if err != nil {
		t.Fatalf("the session from before the upgrade: %v", err)
	}
	if s.Provider != "" || s.UserID != "u-1" || !s.Expires.Equal(expires) || u.Email != "old@example.com" {
		t.Errorf("the session from before the upgrade = %+v of %+v; want provider \"\", user u-1, expires %s", s, u, expires)
	}
	if err := st.UpdateSession(ctx, oldID, expires.Add(time.Hour)); err != nil {
		t.Errorf("renewing the session from before the upgrade: %v", err)
	}

	newSession := store.Session{ID: store.HashToken("a session after the upgrade"), UserID: "u-1", Provider: "github", Expires: expires}
	if err := st.CreateSession(ctx, newSession); err != nil {
		t.Fatal(err)
	}
	if s, _, err := st.GetSessionAndUser(ctx, newSession.ID, now); err != nil || s.Provider != "github" {
		t.Errorf("a session created after the upgrade = %+v, %v; want provider github", s, err)
	}
	// Migrating again changes nothing.
	if res, err := m.Up(ctx, db); err != nil || len(res) != 0 {
		t.Errorf("migrating again applied %v, %v", applied(res), err)
	}
}

func applied(rs []sqlmigrate.Result) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.Migration.Version)
	}
	return out
}

// numbered rewrites ? placeholders as $1, $2, … for PostgreSQL.
func numbered(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		n++
		b.WriteString("$" + strconv.Itoa(n))
	}
	return b.String()
}
