package server

import (
	"context"
	"fmt"
	"sync"
)

// decodeData sets c.session.Decoded to Config.DecodeData's result. When the
// data does not decode the error wraps ErrSessionData, and it is logged the
// first time this session shows it, not on every request.
func (a *Auth) decodeData(ctx context.Context, c *current) error {
	if a.cfg.DecodeData == nil {
		return nil
	}
	v, err := a.cfg.DecodeData(c.session.Data)
	if err != nil {
		if a.undecodable.first(c.key()) {
			a.log.ErrorContext(ctx, "authgen: session data does not decode into the application's type (changed since the session was issued?); the user must sign out and in again",
				"user", c.session.User.ID, "error", err)
		}
		return fmt.Errorf("%w: %w", ErrSessionData, err)
	}
	c.session.Decoded = v
	return nil
}

// key identifies the session for the log: a JWT's ID (it changes only when
// the session is renewed, and a session whose data does not decode is not
// renewed), or a database session's ID (the token's hash).
func (c *current) key() string {
	if c.claims != nil {
		return "jwt:" + c.claims.ID
	}
	return "db:" + c.id
}

// onceLimit bounds how many sessions onceSet remembers.
const onceLimit = 4096

// onceSet remembers keys it was asked about, so that something is done once
// per key. It holds at most onceLimit keys and then starts afresh, so with
// more keys than that one may come up again.
type onceSet struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

// first reports whether key is new, remembering it.
func (o *onceSet) first(key string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.seen[key]; ok {
		return false
	}
	if o.seen == nil || len(o.seen) >= onceLimit {
		o.seen = make(map[string]struct{})
	}
	o.seen[key] = struct{}{}
	return true
}
