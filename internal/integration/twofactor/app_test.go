package twofactor

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/authgen/authgen/internal/integration/sqltest"
	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/qrcode"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/mongostore"
	"github.com/authgen/authgen/runtime/store/sqlstore"
	"github.com/authgen/authgen/runtime/store/storetest"
	"github.com/authgen/authgen/runtime/totp"
)

// fullStore is a store with users, sessions, tokens and second factors.
type fullStore interface {
	store.Store
	store.TwoFactors
}

// app is an application with one OpenID provider (corp) and two-factor
// sign-in, on st.
type app struct {
	t            *testing.T
	st           fullStore
	clock        *testkit.Clock
	corp         *authtest.Provider
	origin, base string
	logs         *strings.Builder
}

func newApp(t *testing.T, st fullStore, mode server.TwoFactorMode) *app {
	t.Helper()
	a := &app{t: t, st: st, clock: testkit.NewClock(), logs: &strings.Builder{}}
	a.corp = authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: `{"sub":"ada","email":"ada@example.com","email_verified":true,"name":"Ada"}`})
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	var auth *server.Auth
	var logMu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/auth/") {
			auth.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>App</title><p>The application")
	}))
	t.Cleanup(srv.Close)
	a.origin, a.base = srv.URL, srv.URL+"/api/auth"
	origin, _ := url.Parse(a.origin)
	corp := a.corp.OIDC("corp", "Corp")
	corp.TrustEmail = true
	auth, err = server.New(server.Config{
		URL:        origin,
		Keys:       ks,
		Providers:  []*oauth.Provider{corp},
		Logger:     slog.New(slog.NewTextHandler(lockedWriter{&logMu, a.logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: a.corp.Client(),
		Users:      st,
		Sessions:   st,
		Strategy:   server.StrategyDatabase,
		Theme:      server.Theme{AppName: "Acme"},
		TwoFactor:  &server.TwoFactor{Mode: mode, QRCode: qrcode.Matrix},
		Now:        a.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			logMu.Lock()
			defer logMu.Unlock()
			t.Logf("server log:\n%s", a.logs)
		}
	})
	return a
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// code is the TOTP code of the app's clock for the secret.
func (a *app) code(secret string) string {
	a.t.Helper()
	c, err := totp.Code(secret, totp.Step(a.clock.Now()))
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// post posts form with a CSRF token and decodes the JSON answer.
func post[T any](t *testing.T, b *authtest.Browser, path string, form url.Values) (int, T) {
	t.Helper()
	form.Set("csrfToken", b.CSRF())
	resp := b.PostForm(b.API(path), form)
	defer resp.Body.Close()
	var v T
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("POST %s: %s %q: %v", path, resp.Status, body, err)
		}
	}
	return resp.StatusCode, v
}

// flow enrols a user and signs in again with a code, a replayed code and a
// recovery code, on st: the whole runtime path on a real database.
func flow(t *testing.T, st fullStore) {
	a := newApp(t, st, server.TwoFactorOptional)
	b := authtest.NewBrowser(t, a.base)
	if resp := b.SignIn(a.corp, "corp", a.origin+"/dashboard"); resp.Header.Get("Location") != a.origin+"/dashboard" {
		t.Fatalf("first sign-in: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	status, en := post[map[string]string](t, b, "/2fa/enroll", url.Values{})
	if status != http.StatusOK || en["secret"] == "" {
		t.Fatalf("enroll: %d %v", status, en)
	}
	status, conf := post[struct {
		RecoveryCodes []string `json:"recoveryCodes"`
	}](t, b, "/2fa/confirm", url.Values{"code": {a.code(en["secret"])}})
	if status != http.StatusOK || len(conf.RecoveryCodes) != 10 {
		t.Fatalf("confirm: %d %v", status, conf)
	}

	signIn := func() *authtest.Browser {
		b := authtest.NewBrowser(t, a.base)
		resp := b.SignIn(a.corp, "corp", a.origin+"/dashboard")
		if got := resp.Header.Get("Location"); got != a.base+"/2fa/verify" || b.Cookie("session-token") != "" {
			t.Fatalf("sign-in with two-factor on: %s to %q", resp.Status, got)
		}
		return b
	}
	verify := func(b *authtest.Browser, code string) *http.Response {
		resp := b.PostForm(b.API("/2fa/verify"), url.Values{"csrfToken": {b.CSRF()}, "code": {code}})
		resp.Body.Close()
		return resp
	}
	b = signIn()
	if resp := verify(b, a.code(en["secret"])); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the confirmation's code again: %s", resp.Status)
	}
	a.clock.Advance(totp.Period)
	code := a.code(en["secret"])
	if resp := verify(b, code); resp.Header.Get("Location") != a.origin+"/dashboard" || b.Cookie("session-token") == "" {
		t.Fatalf("the current code: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	b = signIn()
	if resp := verify(b, code); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a replayed code: %s", resp.Status)
	}
	if resp := verify(b, conf.RecoveryCodes[0]); resp.Header.Get("Location") != a.origin+"/dashboard" {
		t.Fatalf("a recovery code: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	b = signIn()
	if resp := verify(b, conf.RecoveryCodes[0]); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a recovery code used twice: %s", resp.Status)
	}
	// The row beneath: the secret sealed, not in the clear.
	u, err := st.GetUserByAccount(t.Context(), "corp", "ada")
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.GetTwoFactor(t.Context(), u.ID)
	if err != nil || strings.Contains(f.Secret, en["secret"]) || !strings.HasPrefix(f.Secret, "authgen:v1:") || f.RecoveryCodes != 9 {
		t.Fatalf("stored second factor: %+v, %v", f, err)
	}
}

// sqlStore opens a migrated database of the dialect, with the dialect
// generated code gives the store (errors classified).
func sqlStore(t *testing.T, dialect string) fullStore {
	t.Helper()
	if dialect == "sqlite" {
		st, _ := sqltest.SQLiteStore(t)
		return st
	}
	db, err := sql.Open("pgx", testsvc.PostgreSQL(t).CreateDB(t, "twofactor"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sqltest.Migrate(t, db, "postgres")
	return sqlstore.New(db, sqltest.PostgresDialect, sqltest.Prefix)
}

func TestFlowSQLite(t *testing.T) { flow(t, sqlStore(t, "sqlite")) }

func TestFlowPostgres(t *testing.T) { flow(t, sqlStore(t, "postgres")) }

// mongoStore opens and migrates a store on a new database of a FerretDB
// server, dropped when the test ends.
func mongoStore(t *testing.T) fullStore {
	t.Helper()
	srv := testsvc.Mongo(t)
	st, err := mongostore.Open(srv.URL()+fmt.Sprintf("twofactor_%d", time.Now().UnixNano()), mongostore.Options{Prefix: "auth_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Database().Drop(context.Background()); err != nil {
			t.Errorf("drop the database: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestFlowMongo(t *testing.T) { flow(t, mongoStore(t)) }

var (
	_ storetest.TwoFactorStore = (*sqlstore.Store)(nil)
	_ storetest.TwoFactorStore = (*mongostore.Store)(nil)
)
