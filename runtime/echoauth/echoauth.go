// Package echoauth puts authgen's middleware on an Echo (v4) application:
// Middleware adapts the server's net/http middlewares (Require,
// WithSession) to echo.MiddlewareFunc, so that the session they find is in
// the echo.Context under SessionKey and in its request's context.
//
// A generated project with router: echo calls it from auth/echo_gen.go
// (Auth.EchoRequire, Auth.EchoWithSession, the typed EchoSession); it is a
// module of its own so that only projects on Echo require Echo.
package echoauth

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/authgen/authgen/runtime/server"
)

// SessionKey is the key of the echo.Context value holding the request's
// *server.Session, set by Middleware when someone is signed in:
// c.Get(echoauth.SessionKey). The generated EchoSession returns it typed.
const SessionKey = "authgen.session"

// Middleware adapts mw, a net/http middleware such as server.Auth.Require
// or server.Auth.WithSession, to Echo. When mw lets the request through,
// the next handler runs with c's request replaced by the one mw passed on
// (its context carries the session: server.FromContext) and, when someone
// is signed in, the session under SessionKey; its error is Middleware's.
// When mw answers the request itself (a redirect to the sign-in page, a
// 401), the next handler does not run and the error is nil: the answer has
// been written.
func Middleware(mw func(http.Handler) http.Handler) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			var err error
			mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c.SetRequest(r)
				if w != http.ResponseWriter(c.Response()) {
					c.SetResponse(echo.NewResponse(w, c.Echo()))
				}
				if s, ok := server.FromContext(r.Context()); ok {
					c.Set(SessionKey, s)
				}
				err = next(c)
			})).ServeHTTP(c.Response(), c.Request())
			return err
		}
	}
}

// Session returns the session Middleware stored in c, and false when
// nobody is signed in or Middleware did not run.
func Session(c echo.Context) (*server.Session, bool) {
	s, ok := c.Get(SessionKey).(*server.Session)
	return s, ok && s != nil
}

// Mount serves h, the auth API (server.Auth, which routes by the whole
// path), for every method under basePath on e, in a group of its own, and
// returns the group for middleware of the application's.
func Mount(e *echo.Echo, basePath string, h http.Handler) *echo.Group {
	g := e.Group(basePath)
	g.Any("/*", echo.WrapHandler(h))
	return g
}
