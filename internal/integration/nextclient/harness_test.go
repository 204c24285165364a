// Package nextclient runs the real next-auth/react clients (next-auth
// 4.24.15 and 5.0.0-beta.32, installed from npm by node/package-lock.json and
// bundled with esbuild) in Chromium against a runtime/server app: every
// client function, useSession with refetchInterval and refetchOnWindowFocus,
// and what the server answers them.
package nextclient

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/testkit"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

// nodeDir holds package.json, the lock and the page scripts.
const nodeDir = "node"

var (
	bundleOnce sync.Once
	bundleDir  string
	bundleErr  error
)

// bundles builds dist/v4.js and dist/v5.js once per test binary with the
// package's own esbuild, and returns their directory. Without node_modules
// (npm ci in node/) the test is skipped, or fails under
// AUTHGEN_REQUIRE_SERVERS=1.
func bundles(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs Node.js and Chromium")
	}
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "esbuild")); err != nil {
		testsvc.Unavailable(t, "the npm packages are not installed: run `npm ci` in internal/integration/nextclient/node (.ci/run does)")
	}
	node := testsvc.LookPath(t, "node", "nodejs")
	bundleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nextclient-dist-")
		if err != nil {
			bundleErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "build.mjs", dir)
		cmd.Dir = nodeDir
		if out, err := cmd.CombinedOutput(); err != nil {
			bundleErr = fmt.Errorf("node build.mjs: %v\n%s", err, out)
			return
		}
		bundleDir = dir
	})
	if bundleErr != nil {
		t.Fatal(bundleErr)
	}
	return bundleDir
}

// app is a runtime/server app with an OIDC provider (authtest) and a
// credentials provider, serving the harness pages on its own origin.
type app struct {
	t                 *testing.T
	corp              *authtest.Provider
	origin, base      string
	sessionGets       atomic.Int64
	logBeacons        atomic.Int64
	logBeaconsRefused atomic.Int64
	logs              *testkit.LogBuffer
}

// newApp starts the app; edit changes its server.Config.
func newApp(t *testing.T, dist string, edit func(*server.Config)) *app {
	t.Helper()
	return newAppOn(t, dist, false, edit)
}

// newAppOn is newApp, served as http://localhost:port when localhost is
// true (WebAuthn takes no IP address as relying party ID), else as
// httptest's http://127.0.0.1:port.
func newAppOn(t *testing.T, dist string, localhost bool, edit func(*server.Config)) *app {
	t.Helper()
	a := &app{t: t, logs: &testkit.LogBuffer{}}
	a.corp = authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: `{"sub":"ada","email":"ada@example.com","email_verified":true,"name":"Ada"}`})
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler
	mux := http.NewServeMux()
	mux.HandleFunc("GET /harness/{version}", func(w http.ResponseWriter, r *http.Request) {
		v := r.PathValue("version")
		if strings.HasSuffix(v, ".js") {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			http.ServeFile(w, r, filepath.Join(dist, filepath.Base(v)))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>next-auth/react %s</title></head><body><div id="root"></div><script src="/harness/%s.js"></script></body></html>`, v, v)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/auth/session":
			if r.Method == http.MethodGet {
				a.sessionGets.Add(1)
			}
		case "/api/auth/_log":
			a.logBeacons.Add(1)
			rec := &statusRecorder{ResponseWriter: w}
			handler.ServeHTTP(rec, r)
			if rec.status >= 400 {
				a.logBeaconsRefused.Add(1)
			}
			return
		}
		handler.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	a.origin = srv.URL
	if localhost {
		a.origin = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	}
	a.base = a.origin + "/api/auth"
	origin, _ := url.Parse(a.origin)
	cfg := server.Config{
		URL:       origin,
		Keys:      ks,
		Providers: []*oauth.Provider{a.corp.OIDC("corp", "Corp")},
		Credentials: []*server.Credentials{{
			ID: "credentials", Name: "Password", Identifier: "username",
			Fields: []server.CredentialField{{Name: "username"}, {Name: "password", Type: server.FieldPassword}},
			Authorize: func(_ context.Context, in server.CredentialsInput) (*server.Identity, error) {
				if in.Fields["username"] == "grace" && in.Fields["password"] == "right horse" {
					return &server.Identity{ID: "grace", Email: "grace@example.com", Name: "Grace"}, nil
				}
				return nil, server.ErrCredentials
			},
		}},
		Logger:     slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient: a.corp.Client(),
		Strategy:   server.StrategyJWT,
	}
	if edit != nil {
		edit(&cfg)
	}
	auth, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	handler = auth
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", a.logs)
		}
	})
	return a
}

// statusRecorder remembers the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}
