package echoauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/authgen/authgen/runtime/echoauth"
	"github.com/authgen/authgen/runtime/server"
)

// signedIn is a middleware as server.Auth's: it lets requests with the
// header X-User through with a session in their context, and answers 401
// itself for the others.
func signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.Header.Get("X-User")
		if name == "" {
			http.Error(w, `{"error":"SessionRequired"}`, http.StatusUnauthorized)
			return
		}
		s := &server.Session{User: server.User{ID: "u1", Name: name}}
		next.ServeHTTP(w, r.WithContext(server.NewContext(r.Context(), s)))
	})
}

func serve(e *echo.Echo, user string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	if user != "" {
		req.Header.Set("X-User", user)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestMiddleware: the session is in the echo.Context and in the request's
// context for the handler; a refused request never reaches it.
func TestMiddleware(t *testing.T) {
	e := echo.New()
	ran := 0
	e.GET("/me", func(c echo.Context) error {
		ran++
		s, ok := echoauth.Session(c)
		if !ok {
			return c.String(http.StatusInternalServerError, "no session in the echo.Context")
		}
		fromReq, ok := server.FromContext(c.Request().Context())
		if !ok || fromReq != s {
			return c.String(http.StatusInternalServerError, "no session in the request's context")
		}
		return c.String(http.StatusOK, s.User.Name)
	}, echoauth.Middleware(signedIn))

	if rec := serve(e, "Ada"); rec.Code != http.StatusOK || rec.Body.String() != "Ada" {
		t.Errorf("signed in: %d %q", rec.Code, rec.Body)
	}
	if rec := serve(e, ""); rec.Code != http.StatusUnauthorized || ran != 1 {
		t.Errorf("signed out: %d %q, handler ran %d times", rec.Code, rec.Body, ran)
	}
}

// TestMiddlewareError: the handler's error reaches Echo's error handler.
func TestMiddlewareError(t *testing.T) {
	e := echo.New()
	e.GET("/me", func(echo.Context) error {
		return echo.NewHTTPError(http.StatusTeapot, "teapot")
	}, echoauth.Middleware(signedIn))
	if rec := serve(e, "Ada"); rec.Code != http.StatusTeapot {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
}

// TestSessionWithoutMiddleware: no session, no panic.
func TestSessionWithoutMiddleware(t *testing.T) {
	e := echo.New()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	if s, ok := echoauth.Session(c); ok || s != nil {
		t.Errorf("got %v %v", s, ok)
	}
	c.Set(echoauth.SessionKey, errors.New("not a session"))
	if _, ok := echoauth.Session(c); ok {
		t.Error("a value of another type read as a session")
	}
}

// TestMount: every method and path under the base path reaches the
// handler with the path unchanged; others do not.
func TestMount(t *testing.T) {
	e := echo.New()
	echoauth.Mount(e, "/api/auth", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.Method + " " + r.URL.Path))
	}))
	for _, tc := range []struct{ method, path, want string }{
		{http.MethodGet, "/api/auth/session", "GET /api/auth/session"},
		{http.MethodPost, "/api/auth/signin/github", "POST /api/auth/signin/github"},
		{http.MethodGet, "/api/auth/callback/github", "GET /api/auth/callback/github"},
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Body.String() != tc.want {
			t.Errorf("%s %s: %d %q", tc.method, tc.path, rec.Code, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/elsewhere", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /elsewhere: %d %q", rec.Code, rec.Body)
	}
}
