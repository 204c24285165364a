package authjs_test

import (
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/authgen/authgen/internal/integration/sqltest"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/store/sqlstore"
)

// pgAdapterSchema is @auth/pg-adapter's schema (its example-schema.sql).
const pgAdapterSchema = `
CREATE TABLE verification_token (identifier TEXT NOT NULL, expires TIMESTAMPTZ NOT NULL, token TEXT NOT NULL, PRIMARY KEY (identifier, token));
CREATE TABLE accounts (id SERIAL, "userId" INTEGER NOT NULL, type VARCHAR(255) NOT NULL, provider VARCHAR(255) NOT NULL, "providerAccountId" VARCHAR(255) NOT NULL,
  refresh_token TEXT, access_token TEXT, expires_at BIGINT, id_token TEXT, scope TEXT, session_state TEXT, token_type TEXT, PRIMARY KEY (id));
CREATE TABLE sessions (id SERIAL, "userId" INTEGER NOT NULL, expires TIMESTAMPTZ NOT NULL, "sessionToken" VARCHAR(255) NOT NULL, PRIMARY KEY (id));
CREATE TABLE users (id SERIAL, name VARCHAR(255), email VARCHAR(255), "emailVerified" TIMESTAMPTZ, image TEXT, PRIMARY KEY (id));
`

// copySQL is the one-off copy docs/NEXTJS.md gives, read from the page so
// that the test checks what users run.
func copySQL(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../../../docs/NEXTJS.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## Moving a backend from Auth.js to authgen")
	if !ok {
		t.Fatal("docs/NEXTJS.md has no section on moving a backend")
	}
	_, rest, ok = strings.Cut(rest, "```sql\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("the section has no sql block")
	}
	return block
}

// TestCopyFromPgAdapter runs NEXTJS.md's copy on a real PostgreSQL holding
// an Auth.js application's @auth/pg-adapter tables beside authgen's: the
// users keep their IDs (so the sub of existing Auth.js sessions still names
// them), their addresses, names and verification times, and their OAuth
// accounts find them.
func TestCopyFromPgAdapter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	db, err := sql.Open("pgx", testsvc.PostgreSQL(t).CreateDB(t, "authjscopy"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := t.Context()
	if _, err := db.ExecContext(ctx, pgAdapterSchema); err != nil {
		t.Fatal(err)
	}
	verified := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO users (name, email, "emailVerified", image) VALUES ('Ada', 'ada@example.com', '2026-03-01T12:00:00Z', 'https://example.com/ada.png')`,
		`INSERT INTO users (name, email) VALUES ('Grace', 'grace@example.com')`,
		`INSERT INTO accounts ("userId", type, provider, "providerAccountId", access_token) VALUES (1, 'oauth', 'github', '583231', 'gho_x')`,
		`INSERT INTO accounts ("userId", type, provider, "providerAccountId") VALUES (2, 'oidc', 'google', '1098')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sqltest.Migrate(t, db, "postgres")
	if _, err := db.ExecContext(ctx, copySQL(t)); err != nil {
		t.Fatalf("NEXTJS.md's copy: %v", err)
	}

	st := sqlstore.New(db, sqltest.PostgresDialect, sqltest.Prefix)
	u, err := st.GetUserByAccount(ctx, "github", "583231")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "1" || u.Email != "ada@example.com" || u.Name != "Ada" || u.Image != "https://example.com/ada.png" || u.EmailVerified == nil || !u.EmailVerified.Equal(verified) {
		t.Errorf("Ada after the copy: %+v", u)
	}
	g, err := st.GetUserByAccount(ctx, "google", "1098")
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != "2" || g.Email != "grace@example.com" || g.EmailVerified != nil {
		t.Errorf("Grace after the copy: %+v", g)
	}
	if got, err := st.GetUser(ctx, "1"); err != nil || got.Email != "ada@example.com" {
		t.Errorf("GetUser(1) = %+v, %v", got, err)
	}
}
