package generator_test

import "testing"

// TestTwoFactorApp runs the golden case with twoFactor: optional
// (testdata/golden/sqlite-database) as a generated project: New accepts its
// SQLite store as the keeper of second factors, the two-factor routes are
// served, and Auth's two-factor methods enrol a user.
func TestTwoFactorApp(t *testing.T) {
	goldenProjectTest(t, "sqlite-database", "example.com/sqlite-database", twoFactorAppTest)
}

// twoFactorAppTest is the generated project's test.
const twoFactorAppTest = `package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/totp"

	"example.com/sqlite-database/auth"
)

// TestTwoFactorRoutes: New starts with two-factor sign-in on SQLite,
// {basePath}/2fa sends a visitor who is not signed in to sign in and back,
// shows a signed-in user's enrolment with its QR code drawn (runtime/qrcode),
// and a user enrols with Auth's methods.
func TestTwoFactorRoutes(t *testing.T) {
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	data, err := ks.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"AUTH_URL":           "http://localhost:3000",
		"AUTH_KEYS":          string(data),
		"DATABASE_URL":       "sqlite:" + filepath.Join(t.TempDir(), "app.db"),
		"AUTH_AUTO_MIGRATE":  "true",
		"AUTH_GITHUB_ID":     "client",
		"AUTH_GITHUB_SECRET": "secret",
	}
	cfg, err := auth.LoadConfig(func(name string) string { return vars[name] }, "3000")
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + auth.BasePath + "/2fa")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSeeOther || loc.Path != auth.BasePath+"/signin" || loc.Query().Get("callbackUrl") == "" {
		t.Fatalf("GET /2fa without a session: %s to %q, want 303 to the sign-in page and back", resp.Status, loc)
	}

	ctx := context.Background()
	u, err := a.Store().CreateUser(ctx, store.User{Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	enrol, err := a.BeginTwoFactor(ctx, server.User{ID: u.ID, Email: u.Email})
	if err != nil {
		t.Fatal(err)
	}
	token := "a-session-token-of-the-test"
	if err := a.Store().CreateSession(ctx, store.Session{ID: store.HashToken(token), UserID: u.ID, Provider: "github", Expires: time.Now().Add(time.Hour), CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, srv.URL+auth.BasePath+"/2fa", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "authgen.session-token", Value: token}) // cookiePrefix: authgen, on http
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "<svg") || !strings.Contains(string(page), ` + "`" + `id="qr"` + "`" + `) {
		t.Fatalf("GET /2fa while enrolling: %s, want the page with the QR code as an inline SVG:\n%s", resp.Status, page)
	}

	code, err := totp.Code(enrol.Secret, totp.Step(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	recovery, err := a.ConfirmTwoFactor(ctx, u.ID, code)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := a.TwoFactorStatus(ctx, u.ID); err != nil || !st.Enabled || st.RecoveryCodes != len(recovery) {
		t.Fatalf("status after enrolling: %+v, %v; want enabled with %d recovery codes", st, err, len(recovery))
	}
}
`
