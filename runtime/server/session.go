package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/session"
)

// ErrNoSession is returned by Session when the request carries no valid
// session.
var ErrNoSession = errors.New("server: no session")

type ctxKey struct{}

// NewContext returns a context carrying s.
func NewContext(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, ctxKey{}, s)
}

// FromContext returns the session put in ctx by WithSession or Require.
func FromContext(ctx context.Context) (*Session, bool) {
	s, ok := ctx.Value(ctxKey{}).(*Session)
	return s, ok && s != nil
}

// Session returns the request's session, or ErrNoSession. It does not write
// cookies; use WithSession or Require to also renew sessions.
func (a *Auth) Session(r *http.Request) (*Session, error) {
	s, _, err := a.readSession(r, a.jar(r))
	return s, err
}

func (a *Auth) jar(r *http.Request) cookie.Jar {
	return cookie.New(a.cfg.CookiePrefix, a.origin(r).Scheme == "https")
}

// readSession decodes the session cookie.
func (a *Auth) readSession(r *http.Request, jar cookie.Jar) (*Session, *session.Claims, error) {
	token := jar.GetChunked(r, cookie.SessionToken)
	if token == "" {
		return nil, nil, ErrNoSession
	}
	claims, err := a.sessions.Decode(token, a.cfg.Now())
	if err != nil {
		return nil, nil, errors.Join(ErrNoSession, err)
	}
	return sessionOf(claims), claims, nil
}

func sessionOf(c *session.Claims) *Session {
	return &Session{
		User:     User{ID: c.Subject, Name: c.Name, Email: c.Email, Image: c.Picture},
		Provider: c.Provider,
		Expires:  c.Expires(),
		Data:     c.Data,
	}
}

// currentSession reads the session for a request that may write cookies:
// an invalid session cookie is deleted, and a session older than UpdateAge
// is renewed.
func (a *Auth) currentSession(rq *request) (*Session, *session.Claims) {
	s, claims, err := a.readSession(rq.r, rq.jar)
	if err != nil {
		if hasSessionCookie(rq) {
			a.log.DebugContext(rq.r.Context(), "authgen: session cookie rejected", "error", err)
			rq.jar.DeleteChunked(rq.w, rq.r, cookie.SessionToken)
		}
		return nil, nil
	}
	if true {
		if err := a.renew(rq, claims, TriggerRefresh, nil); err != nil {
			a.log.WarnContext(rq.r.Context(), "authgen: session renewal failed", "error", err)
		} else {
			s = sessionOf(claims)
		}
	}
	return s, claims
}

func hasSessionCookie(rq *request) bool {
	name := rq.jar.Name(cookie.SessionToken)
	for _, c := range rq.r.Cookies() {
		if c.Name == name || strings.HasPrefix(c.Name, name+".") {
			return true
		}
	}
	return false
}

// renew runs the JWT callback and re-issues the session cookie.
func (a *Auth) renew(rq *request, claims *session.Claims, trigger Trigger, update json.RawMessage) error {
	if cb := a.cfg.Callbacks.JWT; cb != nil {
		if err := cb(rq.r.Context(), &JWTInput{Trigger: trigger, Claims: claims, Update: update}); err != nil {
			return err
		}
	}
	claims.ID = ""
	return a.writeSession(rq, claims)
}

// WithSession puts the request's session, if any, in its context (read it
// with FromContext) and renews the cookie when due.
func (a *Auth) WithSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := a.newRequest(w, r)
		if s, _ := a.currentSession(rq); s != nil {
			r = r.WithContext(NewContext(r.Context(), s))
		}
		next.ServeHTTP(w, r)
	})
}

// Require lets only signed-in requests through to next, with the session in
// the context. Others are redirected to the sign-in page when they accept
// HTML, or get 401 {"error":"SessionRequired"}.
func (a *Auth) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := a.newRequest(w, r)
		s, _ := a.currentSession(rq)
		if s == nil {
			a.unauthenticated(rq)
			return
		}
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), s)))
	})
}

func (a *Auth) unauthenticated(rq *request) {
	if acceptsHTML(rq.r) {
		target := rq.origin.Scheme + "://" + rq.origin.Host + rq.r.URL.RequestURI()
		q := url.Values{"callbackUrl": {target}}
		http.Redirect(rq.w, rq.r, a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", q), http.StatusFound)
		return
	}
	writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodeSessionRequired)})
}

func acceptsHTML(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if mt == "text/html" {
			return true
		}
	}
	return false
}

// isoTime is JavaScript's Date.toISOString format, which Auth.js clients read.
const isoTime = "2006-01-02T15:04:05.000Z"

// sessionBody is the JSON of GET /session for s.
func (a *Auth) sessionBody(ctx context.Context, s *Session) (map[string]any, error) {
	body := map[string]any{
		"user": map[string]any{
			"name":  nullable(s.User.Name),
			"email": nullable(s.User.Email),
			"image": nullable(s.User.Image),
		},
		"expires": s.Expires.UTC().Format(isoTime),
	}
	if cb := a.cfg.Callbacks.Session; cb != nil {
		if err := cb(ctx, s, body); err != nil {
			return nil, err
		}
	}
	return body, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeEmptySession answers "no session": null, or {} for v4 clients.
func (a *Auth) writeEmptySession(w http.ResponseWriter, status int) {
	if a.cfg.EmptySessionObject {
		writeJSON(w, status, struct{}{})
		return
	}
	writeJSON(w, status, nil)
}

func (a *Auth) handleSession(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	noStore(w)
	s, _ := a.currentSession(rq)
	if s == nil {
		a.writeEmptySession(w, http.StatusOK)
		return
	}
	a.writeSessionBody(rq, s)
}

func (a *Auth) writeSessionBody(rq *request, s *Session) {
	body, err := a.sessionBody(rq.r.Context(), s)
	if err != nil {
		a.log.WarnContext(rq.r.Context(), "authgen: session callback failed", "error", err)
		a.writeEmptySession(rq.w, http.StatusInternalServerError)
		return
	}
	writeJSON(rq.w, http.StatusOK, body)
}

// handleSessionUpdate is POST /session: the client's update(data).
func (a *Auth) handleSessionUpdate(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.log.WarnContext(r.Context(), "authgen: session update refused", "code", string(CodeMissingCSRF), "error", err)
		a.writeEmptySession(w, http.StatusBadRequest)
		return
	}
	_, claims, err := a.readSession(r, rq.jar)
	if err != nil {
		a.writeEmptySession(w, http.StatusOK)
		return
	}
	var update json.RawMessage
	if d := rq.body.Get("data"); d != "" {
		if json.Valid([]byte(d)) {
			update = json.RawMessage(d)
		} else {
			update, _ = json.Marshal(d)
		}
	}
	if err := a.renew(rq, claims, TriggerUpdate, update); err != nil {
		a.log.WarnContext(r.Context(), "authgen: session update failed", "error", err)
		writeJSON(w, http.StatusBadRequest, nil)
		return
	}
	a.writeSessionBody(rq, sessionOf(claims))
}

func (a *Auth) handleSignOutPage(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if p := a.cfg.Pages.SignOut; p != "" {
		http.Redirect(w, r, withQuery(p, r.URL.Query()), http.StatusFound)
		return
	}
	data := pageData{CSRFToken: a.csrfToken(rq), CallbackURL: a.callbackURL(rq), Home: rq.origin.String(), SignOutURL: rq.apiURL(a, "/signout")}
	if code := Code(r.URL.Query().Get("error")); code != "" {
		data.Error, data.Message = code, errorMessage(code)
	}
	noStore(w)
	a.pages.render(w, http.StatusOK, "signout", data)
}

// handleSignOut is POST /signout.
func (a *Auth) handleSignOut(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.log.WarnContext(r.Context(), "authgen: sign-out refused", "code", string(CodeMissingCSRF), "error", err)
		rq.redirectTo(rq.apiURL(a, "/signout")+"?error="+string(CodeMissingCSRF), http.StatusOK)
		return
	}
	s, _, err := a.readSession(r, rq.jar)
	rq.jar.DeleteChunked(w, r, cookie.SessionToken)
	if err == nil {
		if ev := a.cfg.Events.SignOut; ev != nil {
			ev(context.WithoutCancel(r.Context()), SignOutEvent{Session: s})
		}
	}
	rq.redirectTo(a.callbackURL(rq), http.StatusOK)
}
