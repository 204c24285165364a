package server

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/session"
	"github.com/authgen/authgen/runtime/store"
)

// RevocationDelay bounds how long a revocable JWT session (Config.Revocation)
// that was ended on one instance — signed out, revoked from the list of
// sessions, signed out everywhere — still works on another: each instance
// remembers for this long that a session's record exists, so a session
// check costs at most one store read per session per RevocationDelay. The
// instance that ended the session refuses it at once.
const RevocationDelay = 30 * time.Second

// maxLive bounds the sessions liveness remembers; when it is full, expired
// entries are dropped, and all of them if that is not enough.
const maxLive = 1 << 16

// liveness remembers, per JWT session ID (the sid claim), whether the
// session's record existed when the store was last asked, for
// RevocationDelay. Concurrent checks of one session wait for a single
// read.
type liveness struct {
	mu      sync.RWMutex
	entries map[string]*liveEntry
}

// liveEntry is what liveness knows of one session.
type liveEntry struct {
	user, stored string
	alive        bool
	// until is when the answer must be asked again (Unix nanoseconds, by
	// Config.Now).
	until int64
	// loading is closed when the read in progress ends; nil when none is.
	loading chan struct{}
}

// errRevoked is the reason a revocable JWT session is refused: its record
// is gone.
var errRevoked = errors.New("server: the session was signed out")

// errNoRecord refuses a JWT without a sid when sessions are revocable: it
// was issued before Config.Revocation was on, and nothing could end it.
var errNoRecord = errors.New("server: the session has no record (issued before revocation was on)")

// checkLive returns the stored ID of the record of the revocable JWT
// session of claims when it still has one, errRevoked when it has not, and
// an error wrapping ErrStore when the store cannot say. A token without a
// sid (issued before Config.Revocation was on) is errNoRecord: were it
// given a record at its first use, a copy kept from before a sign-out
// everywhere would outlive it.
func (a *Auth) checkLive(ctx context.Context, cl *session.Claims, now time.Time) (stored string, err error) {
	if cl.SessionID == "" {
		return "", errNoRecord
	}
	alive, stored, ok := a.live.cached(cl.SessionID, now)
	if !ok {
		alive, stored, err = a.live.check(ctx, cl.SessionID, cl.Subject, now, func(stored string) (bool, error) {
			s, _, err := a.cfg.Sessions.GetSessionAndUser(ctx, stored, now)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return false, nil
			case err != nil:
				return false, err
			}
			return s.UserID == cl.Subject, nil
		})
	}
	switch {
	case err != nil:
		return "", errors.Join(ErrStore, err)
	case !alive:
		return "", errRevoked
	}
	return stored, nil
}

// cached answers whether the session sid is alive at now from what was
// read less than RevocationDelay ago; ok is false when that is not known.
func (l *liveness) cached(sid string, now time.Time) (alive bool, stored string, ok bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e := l.entries[sid]
	if e == nil || e.loading != nil || now.UnixNano() >= e.until {
		return false, "", false
	}
	return e.alive, e.stored, true
}

// check answers whether the session sid of user is alive at now, asking
// load (with the session's stored ID, the hash of sid) when the last
// answer is older than RevocationDelay. It returns the stored ID too.
func (l *liveness) check(ctx context.Context, sid, user string, now time.Time, load func(stored string) (bool, error)) (bool, string, error) {
	t := now.UnixNano()
	for {
		l.mu.RLock()
		e := l.entries[sid]
		var loading chan struct{}
		if e != nil {
			if e.loading == nil && t < e.until {
				alive, stored := e.alive, e.stored
				l.mu.RUnlock()
				return alive, stored, nil
			}
			loading = e.loading
		}
		l.mu.RUnlock()
		if loading != nil {
			select {
			case <-loading:
				continue
			case <-ctx.Done():
				return false, "", ctx.Err()
			}
		}

		l.mu.Lock()
		if e := l.entries[sid]; e != nil && (e.loading != nil || t < e.until) {
			l.mu.Unlock()
			continue // another request is reading, or has read
		}
		if l.entries == nil {
			l.entries = map[string]*liveEntry{}
		}
		if len(l.entries) >= maxLive {
			l.sweep(t)
		}
		e = &liveEntry{user: user, stored: store.HashToken(sid), loading: make(chan struct{})}
		l.entries[sid] = e
		l.mu.Unlock()

		alive, err := load(e.stored)

		l.mu.Lock()
		close(e.loading)
		e.loading = nil
		if l.entries[sid] == e {
			if err != nil {
				delete(l.entries, sid) // the next check asks again
			} else {
				e.alive, e.until = alive, t+int64(RevocationDelay)
			}
		}
		l.mu.Unlock()
		return alive, e.stored, err
	}
}

// sweep drops the entries whose answer is out of date, and every answer
// when that leaves the map full; l.mu is held.
func (l *liveness) sweep(t int64) {
	for sid, e := range l.entries {
		if e.loading == nil && t >= e.until {
			delete(l.entries, sid)
		}
	}
	if len(l.entries) >= maxLive {
		for sid, e := range l.entries {
			if e.loading == nil {
				delete(l.entries, sid)
			}
		}
	}
}

// forgetStored drops what is known of the session stored under the ID, so
// the next check asks the store, which no longer has it: this instance
// refuses a session it ended at once.
func (l *liveness) forgetStored(stored string) {
	l.forget(func(e *liveEntry) bool { return e.stored == stored })
}

// forgetSID drops what is known of the session with the sid.
func (l *liveness) forgetSID(sid string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, sid)
}

// forgetUser drops what is known of the user's sessions.
func (l *liveness) forgetUser(user string) {
	l.forget(func(e *liveEntry) bool { return e.user == user })
}

// forget drops the entries match selects, reads in progress included,
// whose answers are then not kept.
func (l *liveness) forget(match func(*liveEntry) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for sid, e := range l.entries {
		if match(e) {
			delete(l.entries, sid)
		}
	}
}
