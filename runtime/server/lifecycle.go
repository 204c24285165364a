package server

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/store"
)

// The session lifecycle: what the server records of each session (its
// sign-in time, user agent and address), the user's list of their sessions,
// ending one of them, and signing out everywhere. Database sessions are
// records in Config.Sessions; so are JWT sessions with Config.Revocation,
// whose token names its record (the sid claim) and is refused once the
// record is gone (see liveness).

// ErrSessionsNotRecorded is returned by ListSessions, RevokeSession and
// SignOutEverywhere when the server keeps no record of sessions: JWT
// sessions without Config.Revocation, which live in their cookie alone
// until they expire.
var ErrSessionsNotRecorded = errors.New("server: sessions are not recorded (JWT sessions without Config.Revocation live until they expire)")

// SessionInfo describes one of a user's sessions, as ListSessions returns
// it and GET {basePath}/sessions shows it. It never holds the session's
// token or the token's hash.
type SessionInfo struct {
	// ID is the session's public ID, which RevokeSession takes: derived
	// from the stored ID by a one-way hash, so it reveals neither the
	// cookie's token nor the row's key.
	ID string
	// Provider is the provider the user signed in with; empty for a session
	// stored before sessions recorded it.
	Provider string
	// CreatedAt is when the user signed in; zero when unknown (a session
	// from before authgen recorded it, on a store without a migration).
	CreatedAt time.Time
	// RenewedAt is when the session was last renewed (its sign-in when it
	// never was): its stored expiry less the session's maxAge.
	RenewedAt time.Time
	// Expires is when the session ends unless it is renewed, at the latest
	// at the end of its absolute lifetime.
	Expires time.Time
	// UserAgent and IP are the browser's User-Agent and the client's
	// address at sign-in (with Config.TrustHost, the right-most
	// X-Forwarded-For address); empty when unknown.
	UserAgent string
	IP        string
	// Current is set by GET {basePath}/sessions on the session of the
	// request; ListSessions leaves it false.
	Current bool
}

// recordsSessions reports whether sessions are records in Config.Sessions:
// database sessions, and JWT sessions with Config.Revocation.
func (a *Auth) recordsSessions() bool {
	return a.cfg.Strategy == StrategyDatabase || a.revocable()
}

// revocable reports whether JWT sessions are checked against their records.
func (a *Auth) revocable() bool {
	return a.cfg.Strategy == StrategyJWT && a.cfg.Revocation
}

// ListSessions returns the user's sessions that have not ended, the most
// recent sign-in first: for an account page, or an administrator's tool.
// It returns ErrSessionsNotRecorded for JWT sessions without
// Config.Revocation, and an error wrapping ErrStore when the store fails.
func (a *Auth) ListSessions(ctx context.Context, userID string) ([]SessionInfo, error) {
	rows, err := a.sessionRows(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]SessionInfo, len(rows))
	for i, r := range rows {
		out[i] = r.info
	}
	return out, nil
}

// sessionRow is a stored session that has not ended, with its description.
type sessionRow struct {
	id   string // the stored ID
	info SessionInfo
}

// sessionRows lists the user's sessions that have not ended at now.
func (a *Auth) sessionRows(ctx context.Context, userID string) ([]sessionRow, error) {
	if !a.recordsSessions() {
		return nil, ErrSessionsNotRecorded
	}
	stored, err := a.cfg.Sessions.ListSessions(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: list sessions: %w", ErrStore, err)
	}
	now := a.cfg.Now()
	maxAge := a.sessions.Options().MaxAge
	rows := make([]sessionRow, 0, len(stored))
	for _, s := range stored {
		if s.UserID != userID {
			continue
		}
		expires := s.Expires
		if end := a.sessions.AbsoluteEnd(s.CreatedAt); !end.IsZero() && end.Before(expires) {
			expires = end
		}
		if !expires.After(now) {
			continue
		}
		renewed := s.Expires.Add(-maxAge)
		if !s.CreatedAt.IsZero() && renewed.Before(s.CreatedAt) {
			renewed = s.CreatedAt
		}
		info := SessionInfo{
			ID: publicID(s.ID), Provider: s.Provider, RenewedAt: renewed.UTC(), Expires: expires.UTC(),
			UserAgent: s.UserAgent, IP: s.IP,
		}
		if !s.CreatedAt.IsZero() {
			info.CreatedAt = s.CreatedAt.UTC()
		}
		rows = append(rows, sessionRow{id: s.ID, info: info})
	}
	slices.SortFunc(rows, func(x, y sessionRow) int {
		return cmp.Or(y.info.CreatedAt.Compare(x.info.CreatedAt), cmp.Compare(x.info.ID, y.info.ID))
	})
	return rows, nil
}

// publicID is the ID a session is shown and revoked by: a one-way hash of
// its stored ID (itself the SHA-256 of its token), so neither can be
// recovered from it.
func publicID(storedID string) string {
	sum := sha256.Sum256([]byte("authgen session public ID\x00" + storedID))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// RevokeSession ends the session of the user with the public ID id (from
// ListSessions) on every instance: at once for a database session, within
// RevocationDelay for a JWT session. A session that is not the user's, or
// has ended, is an error wrapping store.ErrNotFound, and nothing changes.
// It returns ErrSessionsNotRecorded for JWT sessions without
// Config.Revocation.
func (a *Auth) RevokeSession(ctx context.Context, userID, id string) error {
	_, err := a.revokeSession(ctx, userID, id)
	return err
}

// revokeSession is RevokeSession, returning the stored ID of the session it
// ended.
func (a *Auth) revokeSession(ctx context.Context, userID, id string) (string, error) {
	rows, err := a.sessionRows(ctx, userID)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(rows, func(r sessionRow) bool { return r.info.ID == id })
	if i < 0 {
		return "", fmt.Errorf("server: session %q of the user: %w", shortID(id), store.ErrNotFound)
	}
	stored := rows[i].id
	err = a.cfg.Sessions.DeleteSession(ctx, stored)
	if errors.Is(err, store.ErrNotFound) {
		// Ended meanwhile (signed out, expired): as asked.
		err = nil
	}
	if err != nil {
		return "", fmt.Errorf("%w: delete session: %w", ErrStore, err)
	}
	a.live.forgetStored(stored)
	return stored, nil
}

// shortID quotes at most 32 bytes of an ID from a request, for errors.
func shortID(id string) string {
	if len(id) > 32 {
		return id[:32] + "…"
	}
	return id
}

// SignOutEverywhere ends every session of the user, on every instance: at
// once for database sessions, within RevocationDelay for JWT sessions with
// Config.Revocation. A user without sessions is no error. For an
// application's administrator tools (a compromised account, a changed
// password); users sign out everywhere with POST {basePath}/signout and
// everywhere=true. It returns ErrSessionsNotRecorded for JWT sessions
// without Config.Revocation, which cannot be ended before they expire, and
// an error wrapping ErrStore when the store fails.
func (a *Auth) SignOutEverywhere(ctx context.Context, userID string) error {
	if !a.recordsSessions() {
		return ErrSessionsNotRecorded
	}
	if err := a.cfg.Sessions.DeleteUserSessions(ctx, userID); err != nil {
		return fmt.Errorf("%w: delete the user's sessions: %w", ErrStore, err)
	}
	a.live.forgetUser(userID)
	return nil
}

// sessionJSON is a session in GET {basePath}/sessions.
type sessionJSON struct {
	ID        string  `json:"id"`
	Provider  string  `json:"provider"`
	CreatedAt *string `json:"createdAt"`
	RenewedAt string  `json:"renewedAt"`
	Expires   string  `json:"expires"`
	UserAgent string  `json:"userAgent"`
	IP        string  `json:"ip"`
	Current   bool    `json:"current"`
}

// handleListSessions is GET /sessions: the signed-in user's sessions as
// {"sessions": [...]}, the most recent sign-in first.
func (a *Auth) handleListSessions(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	c, err := a.readSession(r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		a.log.ErrorContext(r.Context(), "authgen: reading session", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": string(CodeConfiguration)})
		return
	case err != nil:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": string(CodeSessionRequired)})
		return
	}
	rows, err := a.sessionRows(r.Context(), c.session.User.ID)
	if err != nil {
		a.log.ErrorContext(r.Context(), "authgen: listing sessions", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": string(CodeConfiguration)})
		return
	}
	out := make([]sessionJSON, len(rows))
	for i, row := range rows {
		s := row.info
		out[i] = sessionJSON{
			ID: s.ID, Provider: s.Provider, RenewedAt: s.RenewedAt.Format(isoTime), Expires: s.Expires.Format(isoTime),
			UserAgent: s.UserAgent, IP: s.IP, Current: row.id == c.id,
		}
		if !s.CreatedAt.IsZero() {
			created := s.CreatedAt.Format(isoTime)
			out[i].CreatedAt = &created
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": out})
}

// CodeSessionNotFound answers POST /sessions/revoke for an ID that is not
// one of the signed-in user's sessions.
const CodeSessionNotFound Code = "SessionNotFound"

// handleRevokeSession is POST /sessions/revoke (CSRF): ends the signed-in
// user's session with the public ID in the body's id. Answers are JSON:
// 200 {"revoked": id, "current": bool}, 403 MissingCSRF, 401
// SessionRequired, 404 SessionNotFound (another user's session, or one
// that ended: nothing changes), 503 while the store fails. Revoking the
// current session also deletes its cookie. A browser's form (the account
// page's) is sent back to the account page instead, with ?done=revoked or
// ?error=.
func (a *Auth) handleRevokeSession(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.log.WarnContext(r.Context(), "authgen: session revocation refused", "code", string(CodeMissingCSRF), "error", err)
		a.accountAnswer(rq, a.wantsPage(rq), http.StatusForbidden, CodeMissingCSRF, "", nil)
		return
	}
	page := a.wantsPage(rq)
	c, ok := a.signedInUser(rq, page)
	if !ok {
		return
	}
	id := rq.body.Get("id")
	stored, err := a.revokeSession(r.Context(), c.session.User.ID, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.accountAnswer(rq, page, http.StatusNotFound, CodeSessionNotFound, "", nil)
		return
	case err != nil:
		a.log.ErrorContext(r.Context(), "authgen: revoking a session", "error", err)
		a.accountAnswer(rq, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
		return
	}
	current := stored == c.id
	if current {
		rq.jar.DeleteChunked(w, r, cookie.SessionToken)
	}
	a.accountAnswer(rq, page, http.StatusOK, "", "revoked", map[string]any{"revoked": id, "current": current})
}

// newSessionRecord is the store record of a session starting at now for
// user, with the request's user agent and address.
func (a *Auth) newSessionRecord(rq *request, id string, user User, provider string, now time.Time) store.Session {
	return store.Session{
		ID: id, UserID: user.ID, Provider: provider,
		Expires:   now.Add(a.sessions.Options().MaxAge),
		CreatedAt: now,
		UserAgent: userAgent(rq.r),
		IP:        a.clientIP(rq.r),
	}
}

// maxUserAgent bounds a stored User-Agent, in bytes.
const maxUserAgent = 512

// userAgent is the request's User-Agent as stored: valid UTF-8 without
// control characters, at most maxUserAgent bytes.
func userAgent(r *http.Request) string {
	ua := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(r.UserAgent(), ""))
	if len(ua) <= maxUserAgent {
		return ua
	}
	cut := maxUserAgent
	for cut > 0 && !utf8.RuneStart(ua[cut]) {
		cut--
	}
	return ua[:cut]
}

// clientIP is the client's address as the rate limits see it
// (clientAddr: with Config.TrustHost the right-most address of
// X-Forwarded-For, else the connection's), in its canonical form; "" when
// it is unknown, or refused for not being an address.
func (a *Auth) clientIP(r *http.Request) string {
	addr, err := a.clientAddr(r)
	if err != nil || !addr.IsValid() {
		return ""
	}
	return addr.String()
}

// renewRecord renews the record of a revocable JWT session as its token is
// re-issued: its expiry moves by MaxAge. errRevoked when the record is
// gone: the session was ended elsewhere.
func (a *Auth) renewRecord(rq *request, c *current) error {
	ctx, now := rq.r.Context(), a.cfg.Now()
	err := a.cfg.Sessions.UpdateSession(ctx, c.id, now.Add(a.sessions.Options().MaxAge))
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.live.forgetSID(c.claims.SessionID)
		return errRevoked
	case err != nil:
		return fmt.Errorf("%w: renew the session's record: %w", ErrStore, err)
	}
	return nil
}

// endSessions ends a signed-out session's record, or with everywhere every
// session of its user. JWT sessions without Config.Revocation have no
// records: signing out deletes the cookie of this browser alone, and a
// copy of the token lives until it expires.
func (a *Auth) endSessions(ctx context.Context, c *current, everywhere bool) error {
	if everywhere {
		if !a.recordsSessions() {
			a.log.WarnContext(ctx, "authgen: sign-out everywhere ends only this browser's session: JWT sessions without revocation (session.revocation in authgen.yaml) live until they expire")
			return nil
		}
		return a.SignOutEverywhere(ctx, c.session.User.ID)
	}
	if c.id == "" {
		return nil
	}
	if err := a.cfg.Sessions.DeleteSession(ctx, c.id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: delete session: %w", ErrStore, err)
	}
	if c.claims != nil {
		a.live.forgetSID(c.claims.SessionID)
	}
	return nil
}
