// Package credentials_test runs a credentials provider end to end against
// an application's own users table in a real database (SQLite, and
// PostgreSQL started by testsvc), next to authgen's tables in the same
// database: the Authorize an application writes with database/sql and
// package password, the identity linked as an account in sqlstore, JWT
// and database sessions, bcrypt hashes re-hashed to argon2id in the table
// at sign-in, and the per-identifier rate limit.
package credentials_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/crypto/bcrypt"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/authgen/authgen/internal/integration/sqltest"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/password"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store/sqlmigrate"
	"github.com/authgen/authgen/runtime/store/sqlstore"
	"github.com/authgen/authgen/templates"
)

const prefix = "auth_"

// database is one real database with authgen's tables and the
// application's app_users table.
type database struct {
	name    string
	db      *sql.DB
	dialect sqlstore.Dialect
}

// q writes a query's placeholders for the database ($1… on PostgreSQL).
func (d database) q(query string) string {
	if !d.dialect.Numbered {
		return query
	}
	n := 0
	return replaceEach(query, "?", func() string { n++; return fmt.Sprintf("$%d", n) })
}

// replaceEach replaces each old in s by next's value.
func replaceEach(s, old string, next func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		b.WriteString(next())
		s = s[i+len(old):]
	}
}

func openSQLite(t *testing.T) database {
	t.Helper()
	dsn, err := dburl.SQLite("sqlite:" + filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return prepare(t, database{name: "sqlite", db: db, dialect: sqltest.SQLiteDialect})
}

func openPostgres(t *testing.T) database {
	t.Helper()
	pg := testsvc.PostgreSQL(t)
	db, err := sql.Open("pgx", pg.CreateDB(t, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return prepare(t, database{name: "postgres", db: db, dialect: sqltest.PostgresDialect})
}

// prepare migrates authgen's tables and creates the application's own.
func prepare(t *testing.T, d database) database {
	t.Helper()
	files, err := templates.Migrations(d.name, templates.MigrationData{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	m, err := sqlmigrate.New(sqlmigrate.Dialect(d.name), fsys, prefix+"migrations")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(t.Context(), d.db); err != nil {
		t.Fatal(err)
	}
	if _, err := d.db.ExecContext(t.Context(), `CREATE TABLE app_users (
		id VARCHAR(64) PRIMARY KEY, username VARCHAR(255) NOT NULL UNIQUE,
		email VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, password_hash VARCHAR(255) NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return d
}

// addUser inserts a row of the application's table.
func (d database) addUser(t *testing.T, id, username, email, name, hash string) {
	t.Helper()
	if _, err := d.db.ExecContext(t.Context(), d.q(`INSERT INTO app_users (id, username, email, name, password_hash) VALUES (?, ?, ?, ?, ?)`), id, username, email, name, hash); err != nil {
		t.Fatal(err)
	}
}

func (d database) hash(t *testing.T, username string) string {
	t.Helper()
	var h string
	if err := d.db.QueryRowContext(t.Context(), d.q(`SELECT password_hash FROM app_users WHERE username = ?`), username).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// authorize is the Authorize an application writes against app_users (as
// README's "Credentials" section shows).
func (d database) authorize(ctx context.Context, in server.CredentialsInput) (*server.Identity, error) {
	username, pw := strings.ToLower(strings.TrimSpace(in.Fields["username"])), in.Fields["password"]
	var id, email, name, hash string
	err := d.db.QueryRowContext(ctx, d.q(`SELECT id, email, name, password_hash FROM app_users WHERE username = ?`), username).Scan(&id, &email, &name, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		password.VerifyDummy(pw)
		return nil, server.ErrCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("app_users: %w", err)
	}
	ok, rehash, err := password.Verify(hash, pw)
	if err != nil {
		return nil, fmt.Errorf("app_users %s: %w", id, err)
	}
	if !ok {
		return nil, server.ErrCredentials
	}
	if rehash {
		if h, err := password.Hash(pw); err == nil {
			if _, err := d.db.ExecContext(ctx, d.q(`UPDATE app_users SET password_hash = ? WHERE id = ?`), h, id); err != nil {
				return nil, fmt.Errorf("app_users %s: store the new hash: %w", id, err)
			}
		}
	}
	return &server.Identity{ID: id, Email: email, Name: name}, nil
}

// serve starts the runtime's server over d with the strategy.
func serve(t *testing.T, d database, strategy server.Strategy) (*authtest.Browser, *sqlstore.Store) {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	st := sqlstore.New(d.db, d.dialect, prefix)
	srv := httptest.NewUnstartedServer(nil)
	origin, _ := url.Parse("http://" + srv.Listener.Addr().String())
	auth, err := server.New(server.Config{
		URL: origin, Keys: ks, Users: st, Sessions: st, Strategy: strategy,
		Logger: slog.New(slog.DiscardHandler),
		Credentials: []*server.Credentials{{
			ID: "credentials", Name: "Password", Identifier: "username", Authorize: d.authorize,
			Fields: []server.CredentialField{{Name: "username", Label: "Username"}, {Name: "password", Label: "Password", Type: server.FieldPassword}},
		}},
		RateLimits: map[string]ratelimit.Limit{server.LimitCredentials: {Events: 3, Per: 15 * time.Minute}},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/auth/", auth)
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return authtest.NewBrowser(t, origin.String()+"/api/auth"), st
}

func fields(username, pw string) url.Values {
	return url.Values{"username": {username}, "password": {pw}}
}

func TestCredentials(t *testing.T) {
	for _, open := range []struct {
		name string
		open func(*testing.T) database
	}{{"sqlite", openSQLite}, {"postgres", openPostgres}} {
		for _, strategy := range []server.Strategy{server.StrategyJWT, server.StrategyDatabase} {
			t.Run(open.name+"/"+string(strategy), func(t *testing.T) {
				d := open.open(t)
				legacy, err := bcrypt.GenerateFromPassword([]byte("legacy secret"), bcrypt.DefaultCost)
				if err != nil {
					t.Fatal(err)
				}
				current, err := password.Hash("current secret")
				if err != nil {
					t.Fatal(err)
				}
				d.addUser(t, "u-bob", "bob", "bob@example.com", "Bob", string(legacy))
				d.addUser(t, "u-ann", "ann", "ann@example.com", "Ann", current)
				b, st := serve(t, d, strategy)

				// Wrong password and unknown user: the same answer.
				wrong := b.SignInCredentials("credentials", fields("bob", "nope"), "/home")
				unknown := b.SignInCredentials("credentials", fields("nobody", "nope"), "/home")
				if wrong.StatusCode != http.StatusFound || wrong.Header.Get("Location") != unknown.Header.Get("Location") ||
					!strings.Contains(wrong.Header.Get("Location"), "error=CredentialsSignin") {
					t.Fatalf("wrong password: %s %s; unknown user: %s %s", wrong.Status, wrong.Header.Get("Location"), unknown.Status, unknown.Header.Get("Location"))
				}
				if d.hash(t, "bob") != string(legacy) {
					t.Fatal("a refused attempt changed the hash")
				}

				// bcrypt signs in and is re-hashed to argon2id in the table.
				resp := b.SignInCredentials("credentials", fields("Bob", "legacy secret"), "/home")
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasSuffix(loc, "/home") {
					t.Fatalf("bob's sign-in: %s to %q", resp.Status, loc)
				}
				if h := d.hash(t, "bob"); !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
					t.Fatalf("after sign-in bob's hash is %.20q…, want argon2id", h)
				}
				body := authtest.Body(t, b.Get(b.API("/session")))
				if !strings.Contains(body, `"email":"bob@example.com"`) {
					t.Fatalf("GET /session = %s", body)
				}
				u, err := st.GetUserByAccount(t.Context(), "credentials", "u-bob")
				if err != nil || u.Email != "bob@example.com" {
					t.Fatalf("the identity's account in authgen's tables: %v, %v", u, err)
				}
				if b.Cookie("session-token") == "" {
					t.Fatal("no session cookie")
				}

				// The re-hashed password signs in again, from another browser.
				b2 := authtest.NewBrowser(t, b.API(""))
				if resp := b2.SignInCredentials("credentials", fields("bob", "legacy secret"), "/home"); resp.StatusCode != http.StatusFound || !strings.HasSuffix(resp.Header.Get("Location"), "/home") {
					t.Fatalf("second sign-in: %s to %q", resp.Status, resp.Header.Get("Location"))
				}
				if h2, _ := st.GetUserByAccount(t.Context(), "credentials", "u-bob"); h2 == nil || h2.ID != u.ID {
					t.Fatal("the second sign-in is another user")
				}

				// ann: 3 attempts in 15 minutes (configured), the 4th is 429.
				for i := range 3 {
					if resp := b2.SignInCredentials("credentials", fields("ann", "guess"), "/home"); resp.StatusCode != http.StatusFound {
						t.Fatalf("attempt %d: %s", i+1, resp.Status)
					}
				}
				resp = b2.SignInCredentials("credentials", fields("ANN", "current secret"), "/home")
				if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
					t.Fatalf("past the limit: %s, Retry-After %q", resp.Status, resp.Header.Get("Retry-After"))
				}
			})
		}
	}
}
