package storetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

func sessionsGroups() []group {
	return []group{
		{"CreateSession", []tcase{
			{"creates a session", createSession},
			{"ID in use is ErrConflict", createSessionConflict},
			{"Expires in another zone round-trips", createSessionZone},
			{"Provider round-trips, also empty", createSessionProvider},
			{"CreatedAt, UserAgent and IP round-trip; UpdateSession keeps them", createSessionLifecycle},
		}},
		{"GetSessionAndUser", []tcase{
			{"returns the session and its user", getSessionAndUser},
			{"unknown ID is ErrNotFound", getSessionUnknown},
			{"expired session is ErrNotFound", getSessionExpired},
		}},
		{"UpdateSession", []tcase{
			{"moves the expiry later", updateSessionLater},
			{"moves the expiry earlier", updateSessionEarlier},
			{"makes an expired session valid again", updateSessionRevives},
			{"unknown ID is ErrNotFound", updateSessionUnknown},
		}},
		{"DeleteSession", []tcase{
			{"deletes the session only", deleteSession},
			{"unknown ID is ErrNotFound", deleteSessionUnknown},
		}},
		{"DeleteExpiredSessions", []tcase{
			{"deletes and counts expired sessions only", deleteExpiredSessions},
			{"nothing expired is 0", deleteExpiredSessionsNone},
		}},
		{"ListSessions", []tcase{
			{"lists the user's sessions only, with every field", listSessions},
			{"a user without sessions is an empty slice", listSessionsNone},
		}},
		{"DeleteUserSessions", []tcase{
			{"deletes the user's sessions only", deleteUserSessionsOnly},
			{"a user without sessions is no error", deleteUserSessionsNone},
		}},
		{"DeleteUser", []tcase{
			{"deletes the user's sessions", deleteUserSessions},
		}},
	}
}

// sid returns a session ID as stores keep them: the hash of a cookie token.
func sid(name string) string { return store.HashToken("session-token-" + name) }

// sessionUser returns the user a session belongs to: created in the store
// when it implements store.Users, otherwise only an ID.
func (h *h) sessionUser(u store.User) *store.User {
	h.t.Helper()
	if h.users == nil {
		return &store.User{ID: store.NewID()}
	}
	got := h.mustCreateUser("owner of a session", u)
	return withID(u, got.ID)
}

// sessionIs checks that GetSessionAndUser at now returns want and its user.
func (h *h) sessionIs(method, what string, now time.Time, want store.Session, user *store.User) {
	h.t.Helper()
	s, u, err := h.getSessionAndUser(want.ID, now)
	if method != "GetSessionAndUser" {
		what += ": GetSessionAndUser"
	}
	if err != nil {
		h.t.Errorf("%s: %s at %s: got err %v, want the session expiring at %s",
			method, what, showTime(now), err, showTime(want.Expires))
		return
	}
	if s.ID != want.ID {
		h.t.Errorf("%s: %s: session ID: got %q, want %q", method, what, s.ID, want.ID)
	}
	if s.UserID != want.UserID {
		h.t.Errorf("%s: %s: session UserID: got %q, want %q", method, what, s.UserID, want.UserID)
	}
	for _, d := range diffSession(s, &want) {
		h.t.Errorf("%s: %s: session %s", method, what, d)
	}
	switch {
	case h.users != nil:
		h.checkUser(method, what+": user", u, user)
	case u != nil && u.ID != want.UserID:
		h.t.Errorf("%s: %s: user ID: got %q, want the session's %q", method, what, u.ID, want.UserID)
	}
}

// sessionGone checks that GetSessionAndUser at now does not find id.
func (h *h) sessionGone(method, what, id string, now time.Time) {
	h.t.Helper()
	s, _, err := h.getSessionAndUser(id, now)
	if method != "GetSessionAndUser" {
		what += ": GetSessionAndUser"
	}
	if err == nil {
		h.t.Errorf("%s: %s at %s: got the session expiring at %s, want store.ErrNotFound",
			method, what, showTime(now), showTime(s.Expires))
		return
	}
	h.wantErr(method, fmt.Sprintf("%s at %s", what, showTime(now)), err, store.ErrNotFound)
}

func createSession(h *h) {
	u := h.sessionUser(alice())
	s := store.Session{ID: sid("a"), UserID: u.ID, Provider: "github", Expires: at(30 * day)}
	h.must("CreateSession", "new session", h.createSession(s))
	h.sessionIs("CreateSession", "new session", at(0), s, u)
}

func createSessionProvider(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	sessions := []struct {
		what string
		s    store.Session
		user *store.User
	}{
		{"session with provider github", store.Session{ID: sid("github"), UserID: a.ID, Provider: "github", Expires: at(30 * day)}, a},
		{"other session of the user, with provider corp-sso", store.Session{ID: sid("corp"), UserID: a.ID, Provider: "corp-sso", Expires: at(30 * day)}, a},
		{"session without a provider (stored before sessions had one)", store.Session{ID: sid("none"), UserID: b.ID, Expires: at(30 * day)}, b},
	}
	for _, c := range sessions {
		h.must("CreateSession", c.what, h.createSession(c.s))
	}
	for _, c := range sessions {
		h.sessionIs("CreateSession", c.what, at(0), c.s, c.user)
	}
	s := sessions[1].s
	s.Expires = at(60 * day)
	h.must("UpdateSession", "session with provider corp-sso", h.updateSession(s.ID, s.Expires))
	h.sessionIs("UpdateSession", "session with provider corp-sso, its expiry moved (the provider stays)", at(0), s, a)
}

func createSessionConflict(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	orig := store.Session{ID: sid("a"), UserID: a.ID, Expires: at(30 * day)}
	h.mustCreateSession("first session", orig)
	err := h.createSession(store.Session{ID: orig.ID, UserID: b.ID, Expires: at(60 * day)})
	h.wantErr("CreateSession", "ID in use by another user's session", err, store.ErrConflict)
	err = h.createSession(store.Session{ID: orig.ID, UserID: a.ID, Expires: at(60 * day)})
	h.wantErr("CreateSession", "ID in use by the same user's session", err, store.ErrConflict)
	h.sessionIs("CreateSession", "first session, after conflicting ones", at(0), orig, a)
}

func createSessionZone(h *h) {
	u := h.sessionUser(alice())
	s := store.Session{ID: sid("a"), UserID: u.ID, Expires: at(30 * day).In(elsewhere)}
	h.must("CreateSession", "Expires given in UTC+05:30", h.createSession(s))
	h.sessionIs("CreateSession", "Expires given in UTC+05:30", at(0), s, u)
}

func getSessionAndUser(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	sa := store.Session{ID: sid("a"), UserID: a.ID, Provider: "github", Expires: at(30 * day)}
	sb := store.Session{ID: sid("b"), UserID: b.ID, Provider: "google", Expires: at(7 * day)}
	h.mustCreateSession("session of the first user", sa)
	h.mustCreateSession("session of the second user", sb)
	h.sessionIs("GetSessionAndUser", "session of the first user", at(0), sa, a)
	h.sessionIs("GetSessionAndUser", "session of the second user", at(0), sb, b)
}

func getSessionUnknown(h *h) {
	u := h.sessionUser(alice())
	h.mustCreateSession("another session", store.Session{ID: sid("a"), UserID: u.ID, Expires: at(30 * day)})
	_, _, err := h.getSessionAndUser(sid("unknown"), at(0))
	h.wantErr("GetSessionAndUser", "unknown ID", err, store.ErrNotFound)
}

func getSessionExpired(h *h) {
	u := h.sessionUser(alice())
	s := store.Session{ID: sid("a"), UserID: u.ID, Expires: at(0)}
	h.mustCreateSession("session expiring at now", s)
	h.sessionIs("GetSessionAndUser", "session one second before it expires", at(-time.Second), s, u)
	h.sessionGone("GetSessionAndUser", "session one second after it expired", s.ID, at(time.Second))
	h.sessionGone("GetSessionAndUser", "session a day after it expired", s.ID, at(day))
}

func updateSessionLater(h *h) {
	u := h.sessionUser(alice())
	s := store.Session{ID: sid("a"), UserID: u.ID, Provider: "github", Expires: at(time.Hour)}
	h.mustCreateSession("session", s)
	s.Expires = at(48 * time.Hour)
	h.must("UpdateSession", "expiry moved later", h.updateSession(s.ID, s.Expires))
	h.sessionIs("UpdateSession", "expiry moved 47 hours later, read past the old expiry", at(24*time.Hour), s, u)
}

func updateSessionEarlier(h *h) {
	u := h.sessionUser(alice())
	s := store.Session{ID: sid("a"), UserID: u.ID, Expires: at(30 * day)}
	h.mustCreateSession("session", s)
	s.Expires = at(-time.Hour)
	h.must("UpdateSession", "expiry moved earlier", h.updateSession(s.ID, s.Expires))
	h.sessionGone("UpdateSession", "expiry moved before now", s.ID, at(0))
	h.sessionIs("UpdateSession", "expiry moved earlier, read before the new expiry", at(-2*time.Hour), s, u)
}

func updateSessionRevives(h *h) {
	u := h.sessionUser(alice())
	s := store.Session{ID: sid("a"), UserID: u.ID, Provider: "github", Expires: at(-time.Hour)}
	h.mustCreateSession("expired session", s)
	s.Expires = at(time.Hour)
	h.must("UpdateSession", "expired session", h.updateSession(s.ID, s.Expires))
	h.sessionIs("UpdateSession", "expired session given a later expiry", at(0), s, u)
}

func updateSessionUnknown(h *h) {
	u := h.sessionUser(alice())
	h.mustCreateSession("another session", store.Session{ID: sid("a"), UserID: u.ID, Expires: at(30 * day)})
	err := h.updateSession(sid("unknown"), at(day))
	h.wantErr("UpdateSession", "unknown ID", err, store.ErrNotFound)
	_, _, err = h.getSessionAndUser(sid("unknown"), at(0))
	h.wantErr("UpdateSession", "unknown ID (it must not insert): GetSessionAndUser", err, store.ErrNotFound)
}

func deleteSession(h *h) {
	u := h.sessionUser(alice())
	gone := store.Session{ID: sid("a"), UserID: u.ID, Expires: at(30 * day)}
	kept := store.Session{ID: sid("b"), UserID: u.ID, Expires: at(30 * day)}
	h.mustCreateSession("session to delete", gone)
	h.mustCreateSession("session to keep", kept)
	h.must("DeleteSession", "existing session", h.deleteSession(gone.ID))
	h.sessionGone("DeleteSession", "deleted session", gone.ID, at(0))
	h.sessionIs("DeleteSession", "other session of the user", at(0), kept, u)
	err := h.deleteSession(gone.ID)
	h.wantErr("DeleteSession", "session deleted already", err, store.ErrNotFound)
}

func deleteSessionUnknown(h *h) {
	u := h.sessionUser(alice())
	kept := store.Session{ID: sid("a"), UserID: u.ID, Expires: at(30 * day)}
	h.mustCreateSession("another session", kept)
	err := h.deleteSession(sid("unknown"))
	h.wantErr("DeleteSession", "unknown ID", err, store.ErrNotFound)
	h.sessionIs("DeleteSession", "session not deleted", at(0), kept, u)
}

func deleteExpiredSessions(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	expired := []store.Session{
		{ID: sid("expired-1"), UserID: a.ID, Expires: at(-time.Second)},
		{ID: sid("expired-2"), UserID: b.ID, Expires: at(-time.Hour)},
		{ID: sid("expired-3"), UserID: a.ID, Expires: at(-30 * day)},
	}
	valid := []store.Session{
		{ID: sid("valid-1"), UserID: a.ID, Expires: at(time.Second)},
		{ID: sid("valid-2"), UserID: b.ID, Expires: at(30 * day)},
	}
	owner := map[string]*store.User{a.ID: a, b.ID: b}
	for _, s := range append(append([]store.Session(nil), expired...), valid...) {
		h.mustCreateSession("session expiring at "+showTime(s.Expires), s)
	}
	n, err := h.deleteExpiredSessions(at(0))
	h.must("DeleteExpiredSessions", "three expired sessions, two not", err)
	if n != int64(len(expired)) {
		h.t.Errorf("DeleteExpiredSessions: three expired sessions, two not: got %d, want %d", n, len(expired))
	}
	for _, s := range valid {
		h.sessionIs("DeleteExpiredSessions", "session not expired", at(0), s, owner[s.UserID])
	}
	for _, s := range expired {
		h.sessionGone("DeleteExpiredSessions", "expired session, read before it expired", s.ID, s.Expires.Add(-time.Minute))
		err := h.deleteSession(s.ID)
		h.wantErr("DeleteExpiredSessions", fmt.Sprintf("session expired at %s must be deleted: DeleteSession", showTime(s.Expires)), err, store.ErrNotFound)
	}
	n, err = h.deleteExpiredSessions(at(0))
	h.must("DeleteExpiredSessions", "second call", err)
	if n != 0 {
		h.t.Errorf("DeleteExpiredSessions: second call at the same now: got %d, want 0", n)
	}
}

func deleteExpiredSessionsNone(h *h) {
	n, err := h.deleteExpiredSessions(at(0))
	h.must("DeleteExpiredSessions", "empty store", err)
	if n != 0 {
		h.t.Errorf("DeleteExpiredSessions: empty store: got %d, want 0", n)
	}
	u := h.sessionUser(alice())
	s := store.Session{ID: sid("a"), UserID: u.ID, Expires: at(time.Second)}
	h.mustCreateSession("session not expired", s)
	n, err = h.deleteExpiredSessions(at(0))
	h.must("DeleteExpiredSessions", "no session expired", err)
	if n != 0 {
		h.t.Errorf("DeleteExpiredSessions: no session expired: got %d, want 0", n)
	}
	h.sessionIs("DeleteExpiredSessions", "session not expired", at(0), s, u)
}

func deleteUserSessions(h *h) {
	h.needUsers()
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	gone := []store.Session{
		{ID: sid("a-1"), UserID: a.ID, Expires: at(30 * day)},
		{ID: sid("a-2"), UserID: a.ID, Expires: at(-day)},
	}
	kept := store.Session{ID: sid("b-1"), UserID: b.ID, Expires: at(30 * day)}
	for _, s := range gone {
		h.mustCreateSession("session of the user to delete", s)
	}
	h.mustCreateSession("session of the user to keep", kept)
	h.must("DeleteUser", "user with sessions", h.deleteUser(a.ID))
	for _, s := range gone {
		h.sessionGone("DeleteUser", "session of the deleted user", s.ID, at(-2*day))
		err := h.deleteSession(s.ID)
		h.wantErr("DeleteUser", "session of the deleted user must be deleted: DeleteSession", err, store.ErrNotFound)
	}
	h.sessionIs("DeleteUser", "session of another user", at(0), kept, b)
}

// diffSession lists the fields other than ID and UserID in which got
// differs from want.
func diffSession(got, want *store.Session) []string {
	var d []string
	str := func(field, g, w string) {
		if g != w {
			d = append(d, fmt.Sprintf("%s: got %s, want %s", field, show(g), show(w)))
		}
	}
	str("Provider", got.Provider, want.Provider)
	if !sameTime(got.Expires, want.Expires) {
		d = append(d, fmt.Sprintf("Expires: got %s, want %s (compared to the millisecond)", showTime(got.Expires), showTime(want.Expires)))
	}
	// A session created without a sign-in time (stored before sessions had
	// one) may get one when it is renewed.
	if !want.CreatedAt.IsZero() && (got.CreatedAt.IsZero() || !sameTime(got.CreatedAt, want.CreatedAt)) {
		d = append(d, fmt.Sprintf("CreatedAt: got %s, want %s (compared to the millisecond)", showZeroTime(got.CreatedAt), showZeroTime(want.CreatedAt)))
	}
	str("UserAgent", got.UserAgent, want.UserAgent)
	str("IP", got.IP, want.IP)
	return d
}

// showZeroTime formats a time as showTime does, and the zero time as
// "zero".
func showZeroTime(t time.Time) string {
	if t.IsZero() {
		return "zero"
	}
	return showTime(t)
}

// firefox is a User-Agent as browsers send it.
const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

// lifecycle returns s with a sign-in time, user agent and address.
func lifecycle(s store.Session, created time.Time, agent, ip string) store.Session {
	s.CreatedAt, s.UserAgent, s.IP = created, agent, ip
	return s
}

func createSessionLifecycle(h *h) {
	u := h.sessionUser(alice())
	long := strings.Repeat("Mozilla/5.0 (compatible; ünïcödé 🚀) ", 16)[:512]
	long = strings.ToValidUTF8(long, "")
	sessions := []struct {
		what string
		s    store.Session
	}{
		{"session with an IPv4 address", lifecycle(store.Session{ID: sid("v4"), UserID: u.ID, Provider: "github", Expires: at(30 * day)},
			at(-time.Hour), firefox, "203.0.113.7")},
		{"session with an IPv6 address and a long user agent", lifecycle(store.Session{ID: sid("v6"), UserID: u.ID, Provider: "github", Expires: at(30 * day)},
			at(-2*day).In(elsewhere), long, "2001:db8::1")},
		{"session without a user agent or address", lifecycle(store.Session{ID: sid("bare"), UserID: u.ID, Expires: at(30 * day)}, at(-time.Minute), "", "")},
	}
	for _, c := range sessions {
		h.must("CreateSession", c.what, h.createSession(c.s))
	}
	for _, c := range sessions {
		h.sessionIs("CreateSession", c.what, at(0), c.s, u)
	}
	s := sessions[0].s
	s.Expires = at(45 * day)
	h.must("UpdateSession", sessions[0].what, h.updateSession(s.ID, s.Expires))
	h.sessionIs("UpdateSession", sessions[0].what+", its expiry moved (CreatedAt, UserAgent and IP stay)", at(0), s, u)
}

// sessionsAre checks that ListSessions of the user returns want, in any
// order.
func (h *h) sessionsAre(method, what, userID string, want []store.Session) {
	h.t.Helper()
	got, err := h.listSessions(userID)
	if err != nil {
		h.t.Errorf("%s: %s: ListSessions: got err %v, want %d sessions", method, what, err, len(want))
		return
	}
	if got == nil {
		h.t.Errorf("%s: %s: ListSessions: got a nil slice, want a non-nil one", method, what)
	}
	byID := map[string]store.Session{}
	for _, s := range got {
		if s.UserID != userID {
			h.t.Errorf("%s: %s: ListSessions: got a session of user %q, want only %q's", method, what, s.UserID, userID)
		}
		byID[s.ID] = s
	}
	if len(got) != len(want) || len(byID) != len(got) {
		h.t.Errorf("%s: %s: ListSessions: got %d sessions, want %d", method, what, len(got), len(want))
	}
	for _, w := range want {
		g, ok := byID[w.ID]
		if !ok {
			h.t.Errorf("%s: %s: ListSessions: session expiring at %s is missing", method, what, showTime(w.Expires))
			continue
		}
		for _, d := range diffSession(&g, &w) {
			h.t.Errorf("%s: %s: ListSessions: session %s", method, what, d)
		}
	}
}

func listSessions(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	mine := []store.Session{
		lifecycle(store.Session{ID: sid("a-1"), UserID: a.ID, Provider: "github", Expires: at(30 * day)}, at(-day), firefox, "203.0.113.7"),
		lifecycle(store.Session{ID: sid("a-2"), UserID: a.ID, Provider: "google", Expires: at(7 * day)}, at(-time.Hour), "curl/8.5.0", "2001:db8::1"),
	}
	other := lifecycle(store.Session{ID: sid("b-1"), UserID: b.ID, Provider: "github", Expires: at(30 * day)}, at(-time.Hour), firefox, "198.51.100.2")
	for _, s := range mine {
		h.mustCreateSession("session of the user", s)
	}
	h.mustCreateSession("session of another user", other)
	h.sessionsAre("ListSessions", "user with two sessions", a.ID, mine)
	h.sessionsAre("ListSessions", "the other user", b.ID, []store.Session{other})
	h.must("DeleteSession", "one of the user's sessions", h.deleteSession(mine[0].ID))
	h.sessionsAre("ListSessions", "user with one of two sessions deleted", a.ID, mine[1:])
}

func listSessionsNone(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	h.mustCreateSession("session of another user", store.Session{ID: sid("b-1"), UserID: b.ID, Expires: at(30 * day)})
	h.sessionsAre("ListSessions", "user without sessions", a.ID, nil)
	h.sessionsAre("ListSessions", "unknown user", store.NewID(), nil)
}

func deleteUserSessionsOnly(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	gone := []store.Session{
		{ID: sid("a-1"), UserID: a.ID, Provider: "github", Expires: at(30 * day), CreatedAt: at(-day)},
		{ID: sid("a-2"), UserID: a.ID, Provider: "google", Expires: at(7 * day), CreatedAt: at(-time.Hour)},
		{ID: sid("a-3"), UserID: a.ID, Expires: at(-day)},
	}
	kept := store.Session{ID: sid("b-1"), UserID: b.ID, Provider: "github", Expires: at(30 * day), CreatedAt: at(-day)}
	for _, s := range gone {
		h.mustCreateSession("session of the user", s)
	}
	h.mustCreateSession("session of another user", kept)
	h.must("DeleteUserSessions", "user with three sessions", h.deleteUserSessions(a.ID))
	for _, s := range gone {
		h.sessionGone("DeleteUserSessions", "session of the user", s.ID, at(-2*day))
		err := h.deleteSession(s.ID)
		h.wantErr("DeleteUserSessions", "session of the user must be deleted: DeleteSession", err, store.ErrNotFound)
	}
	h.sessionsAre("DeleteUserSessions", "the user", a.ID, nil)
	h.sessionIs("DeleteUserSessions", "session of another user", at(0), kept, b)
	if h.users != nil {
		h.userIs("DeleteUserSessions: the user stays", a)
	}
	s := store.Session{ID: sid("a-new"), UserID: a.ID, Expires: at(30 * day), CreatedAt: at(0)}
	h.must("CreateSession", "new session of the user after DeleteUserSessions", h.createSession(s))
	h.sessionIs("DeleteUserSessions", "new session of the user afterwards", at(0), s, a)
}

func deleteUserSessionsNone(h *h) {
	a := h.sessionUser(alice())
	b := h.sessionUser(bob())
	kept := store.Session{ID: sid("b-1"), UserID: b.ID, Expires: at(30 * day)}
	h.mustCreateSession("session of another user", kept)
	h.must("DeleteUserSessions", "user without sessions", h.deleteUserSessions(a.ID))
	h.must("DeleteUserSessions", "unknown user", h.deleteUserSessions(store.NewID()))
	h.sessionIs("DeleteUserSessions", "session of another user", at(0), kept, b)
}
