// Package routers signs in through runtime/server mounted on each router
// authgen generates wiring for — chi (its middleware is net/http's), Echo
// (runtime/echoauth) and Gin (runtime/ginauth) — with authtest's OpenID
// provider, at the versions generated projects are pinned to
// (generator/requirements.go; internal/modules checks they are these).
package routers

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/labstack/echo/v4"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/echoauth"
	"github.com/authgen/authgen/runtime/ginauth"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/server"
)

const claims = `{"sub":"248289761001","name":"Ada Lovelace","email":"ada@example.com","email_verified":true}`

// mount serves the auth API and GET /me, which requires a session and
// answers the user's name as the router's handlers read it, on a router.
type mount func(a *server.Auth) http.Handler

// TestRouters: on each router, /me answers 401 before sign-in, the
// sign-in goes through the provider, and /me then answers the user's name
// read from the router's context.
func TestRouters(t *testing.T) {
	for name, m := range map[string]mount{
		"chi": func(a *server.Auth) http.Handler {
			r := chi.NewRouter()
			r.Mount("/api/auth", a)
			r.With(a.Require).Get("/me", func(w http.ResponseWriter, r *http.Request) {
				s, _ := server.FromContext(r.Context())
				_, _ = io.WriteString(w, s.User.Name)
			})
			return r
		},
		"echo": func(a *server.Auth) http.Handler {
			e := echo.New()
			echoauth.Mount(e, "/api/auth", a)
			e.GET("/me", func(c echo.Context) error {
				s, ok := echoauth.Session(c)
				if !ok {
					return echo.NewHTTPError(http.StatusInternalServerError)
				}
				return c.String(http.StatusOK, s.User.Name)
			}, echoauth.Middleware(a.Require))
			return e
		},
		"gin": func(a *server.Auth) http.Handler {
			gin.SetMode(gin.TestMode)
			r := gin.New()
			ginauth.Mount(r, "/api/auth", a)
			r.GET("/me", ginauth.Middleware(a.Require), func(c *gin.Context) {
				s, ok := ginauth.Session(c)
				if !ok {
					c.AbortWithStatus(http.StatusInternalServerError)
					return
				}
				c.String(http.StatusOK, s.User.Name)
			})
			return r
		},
	} {
		t.Run(name, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: claims})
			ks, err := keys.Generate()
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(nil)
			origin, _ := url.Parse("http://" + srv.Listener.Addr().String())
			a, err := server.New(server.Config{URL: origin, Keys: ks, Providers: []*oauth.Provider{idp.OIDC("corp", "Corp")}, HTTPClient: idp.Client()})
			if err != nil {
				t.Fatal(err)
			}
			srv.Config.Handler = m(a)
			srv.Start()
			t.Cleanup(srv.Close)
			jar, _ := cookiejar.New(nil)
			browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			do := func(req *http.Request) (*http.Response, string) {
				t.Helper()
				resp, err := browser.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp, strings.TrimSpace(string(b))
			}
			get := func(path string) (*http.Response, string) {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
				req.Header.Set("Accept", "application/json")
				return do(req)
			}

			if resp, body := get("/me"); resp.StatusCode != http.StatusUnauthorized || body != `{"error":"SessionRequired"}` {
				t.Fatalf("/me before sign-in: %d %s", resp.StatusCode, body)
			}
			_, body := get("/api/auth/csrf")
			var csrf struct {
				CSRFToken string `json:"csrfToken"`
			}
			if err := json.Unmarshal([]byte(body), &csrf); err != nil {
				t.Fatalf("csrf: %v: %s", err, body)
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/auth/signin/corp", strings.NewReader(url.Values{"csrfToken": {csrf.CSRFToken}, "callbackUrl": {srv.URL + "/me"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, _ := do(req)
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("POST /api/auth/signin/corp: %s", resp.Status)
			}
			cb, err := idp.CallbackRequest(t.Context(), resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			if resp, _ := do(cb); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != srv.URL+"/me" {
				t.Fatalf("callback: %s to %s", resp.Status, resp.Header.Get("Location"))
			}
			if resp, body := get("/me"); resp.StatusCode != http.StatusOK || body != "Ada Lovelace" {
				t.Fatalf("/me after sign-in: %d %s", resp.StatusCode, body)
			}
		})
	}
}
