// Package ginauth puts authgen's middleware on a Gin application:
// Middleware adapts the server's net/http middlewares (Require,
// WithSession) to gin.HandlerFunc, so that the session they find is in the
// gin.Context under SessionKey and in its request's context.
//
// A generated project with router: gin calls it from auth/gin_gen.go
// (Auth.GinRequire, Auth.GinWithSession, the typed GinSession); it is a
// module of its own so that only projects on Gin require Gin.
package ginauth

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authgen/authgen/runtime/server"
)

// SessionKey is the key of the gin.Context value holding the request's
// *server.Session, set by Middleware when someone is signed in:
// c.Get(ginauth.SessionKey). The generated GinSession returns it typed.
const SessionKey = "authgen.session"

// Middleware adapts mw, a net/http middleware such as server.Auth.Require
// or server.Auth.WithSession, to Gin. When mw lets the request through,
// the handlers after it run (c.Next) with c.Request replaced by the one mw
// passed on (its context carries the session: server.FromContext) and,
// when someone is signed in, the session under SessionKey. When mw answers
// the request itself (a redirect to the sign-in page, a 401), the chain is
// aborted: the answer has been written.
func Middleware(mw func(http.Handler) http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		passed := false
		mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			passed = true
			c.Request = r
			if s, ok := server.FromContext(r.Context()); ok {
				c.Set(SessionKey, s)
			}
			c.Next()
		})).ServeHTTP(c.Writer, c.Request)
		if !passed {
			c.Abort()
		}
	}
}

// Session returns the session Middleware stored in c, and false when
// nobody is signed in or Middleware did not run.
func Session(c *gin.Context) (*server.Session, bool) {
	v, _ := c.Get(SessionKey)
	s, ok := v.(*server.Session)
	return s, ok && s != nil
}

// Mount serves h, the auth API (server.Auth, which routes by the whole
// path), for every method under basePath on r, in a group of its own, and
// returns the group for middleware of the application's.
func Mount(r gin.IRouter, basePath string, h http.Handler) *gin.RouterGroup {
	g := r.Group(basePath)
	g.Any("/*path", gin.WrapH(h))
	return g
}
