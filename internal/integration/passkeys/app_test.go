// Package passkeys drives passkeys (WebAuthn) end to end: a runtime/server
// app with Config.Passkeys from runtime/passkey, in headless Chromium with
// its virtual authenticator (internal/integration/chromium).
package passkeys

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/passkey"
	"github.com/authgen/authgen/runtime/server"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// app is an application with one OpenID provider (corp), for the first
// sign-in, and passkeys. It is served at http://localhost:port: WebAuthn
// takes no IP address as relying party ID.
type app struct {
	t            *testing.T
	st           *memstore.Store
	auth         *server.Auth
	origin, base string
	logs         *testkit.LogBuffer
}

// localhost serves h at http://localhost:port and returns that origin.
func localhost(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return "http://localhost:" + port
}

// newApp starts the app; edits change its configuration.
func newApp(t *testing.T, edits ...func(*server.Config)) *app {
	t.Helper()
	a := &app{t: t, st: memstore.New(), logs: &testkit.LogBuffer{}}
	corp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: `{"sub":"ada","email":"ada@example.com","email_verified":true,"name":"Ada"}`})
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	var auth *server.Auth
	a.origin = localhost(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/auth/") {
			auth.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/app/passkeys/") {
			a.ownPasskeyRoutes(auth, w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>App</title><p>The application")
	}))
	a.base = a.origin + "/api/auth"
	origin, _ := url.Parse(a.origin)
	cfg := server.Config{
		URL:        origin,
		Keys:       ks,
		Providers:  []*oauth.Provider{corp.OIDC("corp", "Corp")},
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: corp.Client(),
		Users:      a.st,
		Sessions:   a.st,
		Strategy:   server.StrategyDatabase,
		Theme:      server.Theme{AppName: "Acme"},
		Passkeys:   passkey.New(),
	}
	for _, edit := range edits {
		edit(&cfg)
	}
	auth, err = server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.auth = auth
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", a.logs)
		}
	})
	return a
}

// httpPage serves one HTML page.
func httpPage(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	})
}

// ownPasskeyRoutes are the application's own passkey endpoints, on the
// runtime calls (not the API's): POST /app/passkeys/options answers
// {"options", "state"}, POST /app/passkeys/register takes {"state",
// "response", "name"}. The session comes from auth.Session.
func (a *app) ownPasskeyRoutes(auth *server.Auth, w http.ResponseWriter, r *http.Request) {
	s, err := auth.Session(r)
	if err != nil || s == nil || r.Method != http.MethodPost {
		http.Error(w, "signed out", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/app/passkeys/options":
		options, state, err := auth.BeginPasskeyRegistration(r.Context(), s.User.ID)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"options": options, "state": state})
	case "/app/passkeys/register":
		var in struct {
			State, Name string
			Response    json.RawMessage
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		p, err := auth.FinishPasskeyRegistration(r.Context(), s.User.ID, in.State, in.Response, in.Name)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error(), "passkey": fmt.Sprint(errors.Is(err, server.ErrPasskey))})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"id": p.ID, "name": p.Name})
	default:
		http.NotFound(w, r)
	}
}
