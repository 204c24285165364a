package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

// ErrNoSession is returned by Session when the request carries no valid
// session: nobody is signed in.
var ErrNoSession = errors.New("server: no session")

// ErrStore wraps a store failure (an unreachable database): the session is
// unknown, not absent.
var ErrStore = errors.New("server: session store unavailable")

// ErrSessionData wraps the error of Config.DecodeData: the session's data no
// longer decodes into the application's type, which changed since the
// session was issued. The user is signed in, but the session cannot be used
// until they sign out and in again.
var ErrSessionData = errors.New("server: session data does not decode")

type ctxKey struct{}

// NewContext returns a context carrying s.
func NewContext(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, ctxKey{}, s)
}

// FromContext returns the session put in ctx by WithSession or Require;
// false when nobody is signed in. Those middlewares answer a session they
// cannot read (ErrStore, ErrSessionData) themselves, so a handler never
// sees one.
func FromContext(ctx context.Context) (*Session, bool) {
	s, ok := ctx.Value(ctxKey{}).(*Session)
	return s, ok && s != nil
}

// Session returns the request's session: ErrNoSession when there is none,
// an error wrapping ErrStore when the store cannot say, or one wrapping
// ErrSessionData when its data does not decode (Config.DecodeData), or
// with Config.TrustHost ErrForwarded for a request whose forwarded origin
// is refused. It never returns a nil session without an error. It does not
// write cookies; WithSession and Require also renew sessions.
func (a *Auth) Session(r *http.Request) (*Session, error) {
	origin, err := a.origin(r)
	if err != nil {
		return nil, err
	}
	c, err := a.readSession(r, a.cookieJar(origin))
	if err != nil {
		return nil, err
	}
	if err := a.decodeData(r.Context(), c); err != nil {
		return nil, err
	}
	return c.session, nil
}

// current is a request's session with what renewing it needs.
type current struct {
	session *Session
	// claims of a JWT session.
	claims *session.Claims
	// id is the session's stored ID: of a database session (its token's
	// hash), or of a revocable JWT session's record (its sid's hash).
	id string
	// expires is a database session's stored expiry, and end the end of its
	// absolute lifetime (zero: none), which caps session.Expires.
	expires, end time.Time
	// read is when the session was read (Config.Now): a request asks the
	// clock once.
	read time.Time
}

// readSession reads the session cookie and checks it: its signature and
// times (JWT), or its row in the store (database).
func (a *Auth) readSession(r *http.Request, jar cookie.Jar) (*current, error) {
	token := jar.GetChunked(r, cookie.SessionToken)
	if token == "" {
		return nil, ErrNoSession
	}
	now := a.cfg.Now()
	if a.cfg.Strategy == StrategyDatabase {
		id := store.HashToken(token)
		s, u, err := a.cfg.Sessions.GetSessionAndUser(r.Context(), id, now)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, ErrNoSession
		case err != nil:
			return nil, fmt.Errorf("%w: %w", ErrStore, err)
		}
		c := &current{
			session: &Session{User: userOf(u), Provider: s.Provider, Expires: s.Expires.UTC()},
			id:      id, expires: s.Expires, end: a.sessions.AbsoluteEnd(s.CreatedAt), read: now,
		}
		if !c.end.IsZero() {
			if !now.Before(c.end) {
				return nil, errors.Join(ErrNoSession, session.ErrExpired)
			}
			if c.end.Before(s.Expires) {
				c.session.Expires = c.end.UTC()
			}
		}
		return c, nil
	}
	claims, err := a.decodeJWT(jar, token, now)
	if err != nil {
		return nil, errors.Join(ErrNoSession, err)
	}
	c := &current{session: sessionOf(claims), claims: claims, read: now}
	// A session the Auth.js application signed in (Config.AuthJS) has no
	// record: revocation holds for authgen's own sign-ins only.
	if a.revocable() && (a.authjs == nil || claims.SessionID != "") {
		if c.id, err = a.checkLive(r.Context(), claims, now); err != nil {
			if errors.Is(err, ErrStore) {
				return nil, err
			}
			return nil, errors.Join(ErrNoSession, err)
		}
	}
	return c, nil
}

func userOf(u *store.User) User {
	return User{ID: u.ID, Name: u.Name, Email: u.Email, Image: u.Image}
}

func sessionOf(c *session.Claims) *Session {
	return &Session{
		User:     User{ID: c.Subject, Name: c.Name, Email: c.Email, Image: c.Picture},
		Provider: c.Provider,
		Expires:  c.Expires(),
		Data:     c.Data,
	}
}

// currentSession reads the session for a request that may write cookies: an
// invalid session cookie is deleted, and a session older than UpdateAge is
// renewed. No session is (nil, nil); a store failure (ErrStore) or data
// that does not decode (ErrSessionData) is an error, and the cookie is
// kept. A session whose data does not decode is not renewed.
func (a *Auth) currentSession(rq *request) (*current, error) {
	c, err := a.readSession(rq.r, rq.jar)
	if errors.Is(err, ErrStore) {
		a.log.ErrorContext(rq.r.Context(), "authgen: reading session", "error", err)
		return nil, err
	}
	if err != nil {
		if hasSessionCookie(rq) && a.dropRejected(rq.jar.GetChunked(rq.r, cookie.SessionToken), err) {
			a.log.DebugContext(rq.r.Context(), "authgen: session cookie rejected", "error", err)
			rq.jar.DeleteChunked(rq.w, rq.r, cookie.SessionToken)
		}
		return nil, nil
	}
	if err := a.decodeData(rq.r.Context(), c); err != nil {
		return nil, err
	}
	if a.needsUpdate(c) {
		err := a.renew(rq, c, TriggerRefresh, nil)
		switch {
		case errors.Is(err, errRevoked):
			// Signed out on another instance since the last check.
			rq.jar.DeleteChunked(rq.w, rq.r, cookie.SessionToken)
			return nil, nil
		case err != nil && !errors.Is(err, ErrSessionData):
			// Data that does not decode was logged once by decodeData.
			a.log.WarnContext(rq.r.Context(), "authgen: session renewal failed", "error", err)
		}
	}
	return c, nil
}

// needsUpdate reports whether a session was issued (or last extended) more
// than UpdateAge ago and a renewal would extend it: not when it lasts until
// the end of its absolute lifetime already.
func (a *Auth) needsUpdate(c *current) bool {
	now := c.read
	if c.claims != nil {
		return a.sessions.NeedsUpdate(c.claims, now)
	}
	if !c.end.IsZero() && !c.expires.Before(c.end) {
		return false
	}
	opts := a.sessions.Options()
	return !now.Before(c.expires.Add(-opts.MaxAge).Add(opts.UpdateAge))
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

// renew extends the session by MaxAge, never past the end of its absolute
// lifetime: a JWT is re-issued through the JWT callback (keeping its sid
// and auth_time, whatever the callback does), a database session's expiry
// is moved. A revocable JWT's record is renewed too; errRevoked when it is
// gone.
func (a *Auth) renew(rq *request, c *current, trigger Trigger, update json.RawMessage) error {
	if c.claims == nil {
		expires := a.cfg.Now().Add(a.sessions.Options().MaxAge)
		if err := a.cfg.Sessions.UpdateSession(rq.r.Context(), c.id, expires); err != nil {
			return fmt.Errorf("%w: %w", ErrStore, err)
		}
		c.expires = expires
		if !c.end.IsZero() && c.end.Before(expires) {
			expires = c.end
		}
		c.session.Expires = expires.UTC()
		rq.jar.Set(rq.w, cookie.SessionToken, rq.jar.GetChunked(rq.r, cookie.SessionToken), expires)
		return nil
	}
	sid, authTime := c.claims.SessionID, c.claims.AuthTime
	if cb := a.cfg.Callbacks.JWT; cb != nil {
		if err := cb(rq.r.Context(), &JWTInput{Trigger: trigger, Claims: c.claims, Update: update}); err != nil {
			return err
		}
	}
	c.claims.SessionID, c.claims.AuthTime = sid, authTime
	if c.claims.AuthTime == 0 {
		// A token from before auth_time was recorded: its sign-in was at
		// its last renewal at the latest.
		c.claims.AuthTime = c.claims.IssuedAt
	}
	if a.revocable() {
		if err := a.renewRecord(rq, c); err != nil {
			return err
		}
	}
	// Data the callback made that the application cannot read is not
	// written; the session keys the log by its current ID.
	renewed := &current{session: sessionOf(c.claims), claims: c.claims}
	if err := a.decodeData(rq.r.Context(), renewed); err != nil {
		return fmt.Errorf("jwt callback: %w", err)
	}
	c.claims.ID = ""
	if err := a.writeJWT(rq, c.claims); err != nil {
		return err
	}
	c.session = sessionOf(c.claims) // with the times Encode set
	c.session.Decoded = renewed.session.Decoded
	return nil
}

// unavailable answers a request whose session could not be read: 503 while
// the store fails, 500 for data that does not decode (with a link to sign
// out, which is what helps).
func (a *Auth) unavailable(rq *request, err error) {
	a.apiHeaders(rq.w.Header(), rq.origin)
	status, message := http.StatusServiceUnavailable, "Sign-in is temporarily unavailable. Please try again in a moment."
	data := pageData{Error: CodeConfiguration, Home: rq.origin.String()}
	if errors.Is(err, ErrSessionData) {
		status, message = http.StatusInternalServerError, "Your session can no longer be read. Please sign out and sign in again."
		data.SignOutURL = rq.apiURL(a, "/signout")
	}
	if acceptsHTML(rq.r) {
		data.Message = message
		a.pages.render(rq.w, status, "error", data)
		return
	}
	writeJSON(rq.w, status, map[string]string{"error": string(CodeConfiguration)})
}

// WithSession puts the request's session, if any, in its context (read it
// with FromContext) and renews the cookie when due. A request without a
// session goes through without one; a session that cannot be read is not
// "signed out": the request is answered as Require answers it (503 while
// the store fails, 500 for data that does not decode), never passed on.
func (a *Auth) WithSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := a.origin(r); err != nil {
			a.refuseOrigin(w, r, err)
			return
		}
		rq := a.newRequest(w, r)
		c, err := a.currentSession(rq)
		switch {
		case err != nil:
			a.unavailable(rq, err)
			return
		case c != nil:
			r = r.WithContext(NewContext(r.Context(), c.session))
		}
		next.ServeHTTP(w, r)
	})
}

// Require lets only signed-in requests through to next, with the session in
// the context. Others are redirected to the sign-in page when they accept
// HTML, or get 401 {"error":"SessionRequired"}. A session that cannot be
// read gets 503 while the store fails, 500 when its data does not decode.
func (a *Auth) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := a.origin(r); err != nil {
			a.refuseOrigin(w, r, err)
			return
		}
		rq := a.newRequest(w, r)
		c, err := a.currentSession(rq)
		switch {
		case err != nil:
			a.unavailable(rq, err)
		case c == nil:
			a.unauthenticated(rq)
		default:
			next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), c.session)))
		}
	})
}

func (a *Auth) unauthenticated(rq *request) {
	a.apiHeaders(rq.w.Header(), rq.origin)
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
	c, err := a.currentSession(rq)
	switch {
	case errors.Is(err, ErrSessionData):
		a.writeEmptySession(w, http.StatusInternalServerError)
	case err != nil:
		a.writeEmptySession(w, http.StatusServiceUnavailable)
	case c == nil:
		a.writeEmptySession(w, http.StatusOK)
	default:
		a.writeSessionBody(rq, c.session)
	}
}

// writeSessionBody answers GET and POST /session with s, and reports it
// to Events.Session.
func (a *Auth) writeSessionBody(rq *request, s *Session) {
	if a.cfg.Callbacks.Session == nil {
		a.writeSessionJSON(rq.w, s)
		a.emitSession(rq.r.Context(), s)
		return
	}
	body, err := a.sessionBody(rq.r.Context(), s)
	if err != nil {
		a.log.WarnContext(rq.r.Context(), "authgen: session callback failed", "error", err)
		a.writeEmptySession(rq.w, http.StatusInternalServerError)
		return
	}
	writeJSON(rq.w, http.StatusOK, body)
	a.emitSession(rq.r.Context(), s)
}

// handleSessionUpdate is POST /session: the client's update(data).
func (a *Auth) handleSessionUpdate(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.log.WarnContext(r.Context(), "authgen: session update refused", "code", string(CodeMissingCSRF), "error", err)
		a.writeEmptySession(w, http.StatusBadRequest)
		return
	}
	c, err := a.readSession(r, rq.jar)
	if errors.Is(err, ErrStore) {
		a.log.ErrorContext(r.Context(), "authgen: reading session", "error", err)
		a.writeEmptySession(w, http.StatusServiceUnavailable)
		return
	}
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
	if err := a.renew(rq, c, TriggerUpdate, update); err != nil {
		if errors.Is(err, errRevoked) {
			rq.jar.DeleteChunked(w, r, cookie.SessionToken)
			a.writeEmptySession(w, http.StatusOK)
			return
		}
		a.log.WarnContext(r.Context(), "authgen: session update failed", "error", err)
		a.writeEmptySession(w, http.StatusBadRequest)
		return
	}
	a.writeSessionBody(rq, c.session)
}

func (a *Auth) handleSignOutPage(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if p := a.cfg.Pages.SignOut; p != "" {
		http.Redirect(w, r, withQuery(p, r.URL.Query()), http.StatusFound)
		return
	}
	data := pageData{CSRFToken: a.csrfToken(rq), CallbackURL: a.callbackURL(rq), Home: rq.origin.String(), SignOutURL: rq.apiURL(a, "/signout"),
		Everywhere: a.recordsSessions()}
	if code := Code(r.URL.Query().Get("error")); code != "" {
		data.Error, data.Message = code, errorMessage(code)
	}
	data.formAction = a.signOutFormAction(r.Context(), rq, data.CallbackURL)
	a.pages.render(w, http.StatusOK, "signout", data)
}

// handleSignOut is POST /signout: ends the session (its record, for
// database sessions and revocable JWTs), or with everywhere=true every
// session of its user.
func (a *Auth) handleSignOut(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		if a.cfg.ErrorCodes == ErrorCodesV5 {
			// @auth/core: MissingCSRF is a sign-in error, for the sign-in page.
			a.fail(w, rq, CodeMissingCSRF, err)
			return
		}
		a.log.WarnContext(r.Context(), "authgen: sign-out refused", "code", string(CodeMissingCSRF), "error", err)
		rq.redirectTo(rq.apiURL(a, "/signout")+"?error="+string(CodeMissingCSRF), http.StatusOK)
		return
	}
	c, err := a.readSession(r, rq.jar)
	if errors.Is(err, ErrStore) {
		a.fail(w, rq, CodeConfiguration, err)
		return
	}
	everywhere := rq.body.Get("everywhere") == "true"
	if c != nil {
		if err := a.endSessions(r.Context(), c, everywhere); err != nil {
			a.fail(w, rq, CodeConfiguration, err)
			return
		}
	}
	target := a.callbackURL(rq)
	if c != nil {
		target = a.providerLogout(r.Context(), c, target)
	}
	rq.jar.DeleteChunked(w, r, cookie.SessionToken)
	a.rotateCSRF(rq)
	if c != nil {
		if ev := a.cfg.Events.SignOut; ev != nil {
			ev(context.WithoutCancel(r.Context()), SignOutEvent{Session: c.session, Everywhere: everywhere})
		}
	}
	rq.redirectTo(target, http.StatusOK)
}

// providerLogout returns where sign-out sends the browser: the provider's
// end_session_endpoint (RP-initiated logout, with the ID token as hint and
// target as post_logout_redirect_uri) when the user signed in with a
// provider that has Logout set, else target. It never fails a sign-out.
func (a *Auth) providerLogout(ctx context.Context, c *current, target string) string {
	var p *oauth.Provider
	var idToken string
	switch {
	case a.cfg.Users != nil:
		accounts, err := a.cfg.Users.ListAccounts(ctx, c.session.User.ID)
		if err != nil {
			return target
		}
		// The account of the provider the session was started with; any
		// with logout for a database session from before sessions had a
		// provider.
		for _, acc := range accounts {
			cand := a.providers[acc.Provider]
			if cand == nil || !cand.Logout || (c.session.Provider != "" && c.session.Provider != acc.Provider) {
				continue
			}
			p, idToken = cand, acc.IDToken
			break
		}
	case c.claims != nil:
		p = a.providers[c.claims.Provider]
		if c.claims.Account != nil {
			idToken = c.claims.Account.IDToken
		}
	}
	if p == nil || !p.Logout {
		return target
	}
	u, err := p.EndSessionURL(ctx, a.cfg.HTTPClient, idToken, target)
	if err != nil || u == "" {
		if err != nil {
			a.log.WarnContext(ctx, "authgen: provider logout", "provider", p.ID, "error", err)
		}
		return target
	}
	return u
}
