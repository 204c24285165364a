package ginauth_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/authgen/authgen/runtime/ginauth"
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

func serve(r *gin.Engine, user string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	if user != "" {
		req.Header.Set("X-User", user)
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	return rec
}

// TestMiddleware: the session is in the gin.Context and in the request's
// context for the handlers after the middleware; a refused request aborts
// the chain, so none of them runs.
func TestMiddleware(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	ran, after := 0, 0
	r.GET("/me", ginauth.Middleware(signedIn), func(c *gin.Context) {
		ran++
		s, ok := ginauth.Session(c)
		if !ok {
			c.String(http.StatusInternalServerError, "no session in the gin.Context")
			return
		}
		fromReq, ok := server.FromContext(c.Request.Context())
		if !ok || fromReq != s {
			c.String(http.StatusInternalServerError, "no session in the request's context")
			return
		}
		c.String(http.StatusOK, s.User.Name)
	}, func(*gin.Context) { after++ })

	if rec := serve(r, "Ada"); rec.Code != http.StatusOK || rec.Body.String() != "Ada" || after != 1 {
		t.Errorf("signed in: %d %q, the last handler ran %d times", rec.Code, rec.Body, after)
	}
	if rec := serve(r, ""); rec.Code != http.StatusUnauthorized || ran != 1 || after != 1 {
		t.Errorf("signed out: %d %q, handlers ran %d and %d times", rec.Code, rec.Body, ran, after)
	}
}

// TestSessionWithoutMiddleware: no session, no panic.
func TestSessionWithoutMiddleware(t *testing.T) {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	if s, ok := ginauth.Session(c); ok || s != nil {
		t.Errorf("got %v %v", s, ok)
	}
	c.Set(ginauth.SessionKey, "not a session")
	if _, ok := ginauth.Session(c); ok {
		t.Error("a value of another type read as a session")
	}
}

// TestMount: every method and path under the base path reaches the
// handler with the path unchanged; others do not.
func TestMount(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	ginauth.Mount(r, "/api/auth", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.Method + " " + r.URL.Path))
	}))
	for _, tc := range []struct{ method, path, want string }{
		{http.MethodGet, "/api/auth/session", "GET /api/auth/session"},
		{http.MethodPost, "/api/auth/signin/github", "POST /api/auth/signin/github"},
		{http.MethodGet, "/api/auth/callback/github", "GET /api/auth/callback/github"},
	} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Body.String() != tc.want {
			t.Errorf("%s %s: %d %q", tc.method, tc.path, rec.Code, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/elsewhere", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /elsewhere: %d %q", rec.Code, rec.Body)
	}
}
