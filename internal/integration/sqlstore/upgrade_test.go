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

// The upgrade tests start from a database that an earlier release made:
// migrated by its migrations alone, with a user and a database session
// written as that release wrote them. Then the migrations that authgen
// writes now are applied, as `authgen migrate` or AUTH_AUTO_MIGRATE do,
// and the store must find the old session — with an empty provider when it
// predates 00002, and with the time of the migration as its sign-in time
// (00003), so its absolute lifetime counts from the upgrade — and keep
// what new sessions record.
func TestUpgradeSQLite(t *testing.T) {
	t.Run("from v1", func(t *testing.T) { upgrade(t, openSQLiteBare(t), "sqlite", sqliteDialect, v1) })
	t.Run("from v2", func(t *testing.T) { upgrade(t, openSQLiteBare(t), "sqlite", sqliteDialect, v2) })
}

func TestUpgradePostgres(t *testing.T) {
	t.Run("from v1", func(t *testing.T) { upgrade(t, openPostgresBare(t), "postgres", postgresDialect, v1) })
	t.Run("from v2", func(t *testing.T) { upgrade(t, openPostgresBare(t), "postgres", postgresDialect, v2) })
}

func TestUpgradeMariaDB(t *testing.T) {
	t.Run("from v1", func(t *testing.T) { upgrade(t, openMariaDBBare(t), "mysql", mysqlDialect, v1) })
	t.Run("from v2", func(t *testing.T) { upgrade(t, openMariaDBBare(t), "mysql", mysqlDialect, v2) })
}

// The migrations of the releases the upgrades start from: before sessions
// had a provider (v1), and before they had a sign-in time, user agent and
// address (v2).
var (
	v1 = []string{"00001_authgen.sql"}
	v2 = []string{"00001_authgen.sql", "00002_authgen_session_provider.sql"}
)

const lifecycleMigration = "00003_authgen_session_lifecycle.sql"

func upgrade(t *testing.T, db *sql.DB, dialect string, d sqlstore.Dialect, from []string) {
	ctx := context.Background()
	all := migrations(t, dialect)
	before := fstest.MapFS{}
	var wantPending []string
	for _, name := range slices.Sorted(maps.Keys(all)) {
		if slices.Contains(from, name) {
			before[name] = all[name]
		} else {
			wantPending = append(wantPending, name)
		}
	}
	if len(before) != len(from) || !slices.Contains(wantPending, lifecycleMigration) {
		t.Fatalf("the %s migrations are %v, want %v and %s among them", dialect, slices.Sorted(maps.Keys(all)), from, lifecycleMigration)
	}
	if got := applied(migrateWith(t, db, dialect, before)); len(got) != len(from) {
		t.Fatalf("migrating with %v alone applied %v", from, got)
	}

	// What the release before wrote: a user, and a session row without the
	// later columns.
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
	wantProvider := ""
	if len(from) >= 2 {
		wantProvider = "github"
		exec("INSERT INTO "+prefix+"sessions (id, user_id, expires, provider) VALUES (?, ?, ?, ?)", oldID, "u-1", expiresValue, wantProvider)
	} else {
		exec("INSERT INTO "+prefix+"sessions (id, user_id, expires) VALUES (?, ?, ?)", oldID, "u-1", expiresValue)
	}

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
	var pending []string
	for _, p := range status.Pending {
		pending = append(pending, p.Name)
	}
	if !slices.Equal(pending, wantPending) {
		t.Errorf("before the upgrade pending migrations are %v, want %v", pending, wantPending)
	}

	migrating := time.Now()
	res, err := m.Up(ctx, db)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if got := applied(res); len(got) != len(wantPending) {
		t.Errorf("the upgrade applied %v, want %v", got, wantPending)
	}
	if status, err = m.Status(ctx, db); err != nil || status.Check() != nil {
		t.Errorf("after the upgrade Status = %+v, %v; Check() = %v", status, err, status.Check())
	}

	st := sqlstore.New(db, d, prefix)
	s, u, err := st.GetSessionAndUser(ctx, oldID, now)
	if err != nil {
		t.Fatalf("the session from before the upgrade: %v", err)
	}
	if s.Provider != wantProvider || s.UserID != "u-1" || !s.Expires.Equal(expires) || u.Email != "old@example.com" || s.UserAgent != "" || s.IP != "" {
		t.Errorf("the session from before the upgrade = %+v of %+v; want provider %q, user u-1, expires %s, no user agent or address", s, u, wantProvider, expires)
	}
	// The database's clock set it; allow for a clock apart from ours.
	if d := s.CreatedAt.Sub(migrating); d < -time.Minute || d > time.Minute {
		t.Errorf("the session from before the upgrade has CreatedAt %s, want the time of the migration (about %s)", s.CreatedAt, migrating.UTC())
	}
	created := s.CreatedAt
	if err := st.UpdateSession(ctx, oldID, expires.Add(time.Hour)); err != nil {
		t.Errorf("renewing the session from before the upgrade: %v", err)
	}
	if s, _, err := st.GetSessionAndUser(ctx, oldID, now); err != nil || !s.CreatedAt.Equal(created) {
		t.Errorf("the session from before the upgrade, renewed = %+v, %v; want CreatedAt %s still", s, err, created)
	}

	newSession := store.Session{ID: store.HashToken("a session after the upgrade"), UserID: "u-1", Provider: "github", Expires: expires,
		CreatedAt: now, UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", IP: "2001:db8::1"}
	if err := st.CreateSession(ctx, newSession); err != nil {
		t.Fatal(err)
	}
	if s, _, err := st.GetSessionAndUser(ctx, newSession.ID, now); err != nil || s.Provider != "github" || !s.CreatedAt.Equal(now) ||
		s.UserAgent != newSession.UserAgent || s.IP != newSession.IP {
		t.Errorf("a session created after the upgrade = %+v, %v; want %+v", s, err, newSession)
	}
	if list, err := st.ListSessions(ctx, "u-1"); err != nil || len(list) != 2 {
		t.Errorf("ListSessions after the upgrade = %+v, %v; want the old and the new session", list, err)
	}
	if err := st.DeleteUserSessions(ctx, "u-1"); err != nil {
		t.Errorf("DeleteUserSessions after the upgrade: %v", err)
	}
	if list, err := st.ListSessions(ctx, "u-1"); err != nil || len(list) != 0 {
		t.Errorf("ListSessions after DeleteUserSessions = %+v, %v; want none", list, err)
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
