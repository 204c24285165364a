// Package ratelimit limits how often something may happen per key — the
// e-mails sent to an address, the sign-ins started from a client's
// address — with token buckets, in memory or in a shared store.
//
// A [Limiter] holds named limits ("email": 5/h, "emailPerClient": 30/h…)
// and a [Store] of buckets. [Limiter.Allow] counts an event against one or
// more of them at once: the event is allowed, and takes a token from every
// bucket, only when each has one; a refused event takes nothing, and the
// [Decision] says how long until it would be allowed (Retry-After).
//
// # Buckets
//
// A bucket is kept as one number, its theoretical arrival time (GCRA, the
// generic cell rate algorithm, an exact formulation of the token bucket):
// the time at which it will be full again. An event at now with interval
// T = Per/Events and size B is allowed when tat − B·T + T ≤ now, and then
// moves tat to max(tat, now) + T. A bucket whose tat has passed is full,
// exactly as if it had never been used, so a store may forget it: the
// memory store evicts such buckets, and Redis's keys expire at their tat.
// Times are whole microseconds in every store, so stores agree to the
// microsecond (package limittest checks it).
//
// # Keys
//
// A bucket's key is the limit's name and the SHA-256 of the key (the
// first 16 bytes, base64url): an e-mail address or a client's address is
// never kept in clear, and keys have a fixed length however long the
// input.
//
// # Stores
//
// [NewMemory] keeps buckets in the process, bounded (evicting full buckets
// first, then the fullest), so each instance of an application counts on
// its own. Package redisstore (module runtime/store/redisstore) keeps them
// in Redis with one Lua script per event, so that every instance shares
// them. The clock is the caller's ([Config.Now]): instances should agree
// on the time, as a skew of s seconds shifts a bucket's refill by s.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Store keeps buckets. Implementations must be safe for concurrent use,
// and Take atomic: concurrent events never take the same token.
type Store interface {
	// Take takes one token from each of the buckets at now, or none of
	// them when one is empty, and reports the outcome. Buckets hold
	// distinct keys and limits that are not Off.
	Take(ctx context.Context, now time.Time, buckets []Bucket) (Decision, error)
	// Reset forgets the buckets with keys, which are then full.
	Reset(ctx context.Context, keys ...string) error
}

// Bucket is one bucket an event is counted in: its key in the store and
// its limit.
type Bucket struct {
	Key   string
	Limit Limit
}

// Decision is the outcome of an event.
type Decision struct {
	// Allowed: the event is within every limit and took a token from each.
	Allowed bool
	// Remaining is how many more events the limits allow right now (the
	// fewest of them); 0 when refused, -1 when no limit applies.
	Remaining int
	// RetryAfter, when refused, is how long until the event would be
	// allowed: the longest wait among the limits that refused it.
	RetryAfter time.Duration
	// Refused, when refused, is the position of the limit with that
	// longest wait among those given to Allow (or Take); -1 when allowed.
	Refused int
}

// Event is one event counted against a named limit.
type Event struct {
	// Limit names the limit: a key of Config.Limits.
	Limit string
	// Key is what the event is counted for: an e-mail address, a client's
	// address, a user name.
	Key string
}

// Config configures a Limiter.
type Config struct {
	// Limits are the limits by name: letters and digits, such as "email"
	// or "emailPerClient". Off turns a name's limit off.
	Limits map[string]Limit
	// Store keeps the buckets; default NewMemory(0), this process's
	// memory.
	Store Store
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Limiter counts events against named limits. Create it with New; it is
// safe for concurrent use.
type Limiter struct {
	limits map[string]Limit
	store  Store
	now    func() time.Time
}

// ErrUnknownLimit marks an event whose limit is not among Config.Limits.
var ErrUnknownLimit = errors.New("ratelimit: unknown limit")

// New checks cfg's limits and returns the limiter.
func New(cfg Config) (*Limiter, error) {
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(cfg.Limits)) {
		if !validName(name) {
			problems = append(problems, fmt.Sprintf("the name %q is not letters and digits", name))
		}
		if err := cfg.Limits[name].Check(); err != nil {
			problems = append(problems, name+": "+strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	l := &Limiter{limits: maps.Clone(cfg.Limits), store: cfg.Store, now: cfg.Now}
	if l.store == nil {
		l.store = NewMemory(0)
	}
	if l.now == nil {
		l.now = time.Now
	}
	return l, nil
}

// validName reports whether a limit's name is ASCII letters and digits.
func validName(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
}

// Limit returns the limit named name, and whether there is one.
func (l *Limiter) Limit(name string) (Limit, bool) {
	lim, ok := l.limits[name]
	return lim, ok
}

// Allow counts one event against each of events' limits, all or none: it
// is allowed when every limit has a token left, and then takes one from
// each; a refused event takes nothing. Limits that are Off are skipped.
// An event whose limit is unknown is an error wrapping ErrUnknownLimit;
// two events of one limit and key, and an error of the store, are errors
// too.
// Either way nothing is counted, and the caller should refuse the event.
func (l *Limiter) Allow(ctx context.Context, events ...Event) (Decision, error) {
	buckets := make([]Bucket, 0, len(events))
	// at maps a bucket to its event's position.
	at := make([]int, 0, len(events))
	for i, e := range events {
		lim, ok := l.limits[e.Limit]
		if !ok {
			return Decision{}, fmt.Errorf("%w: %q", ErrUnknownLimit, e.Limit)
		}
		if lim.IsOff() {
			continue
		}
		key := BucketKey(e.Limit, e.Key)
		if slices.ContainsFunc(buckets, func(b Bucket) bool { return b.Key == key }) {
			return Decision{}, fmt.Errorf("ratelimit: limit %q is counted twice for one key", e.Limit)
		}
		buckets = append(buckets, Bucket{Key: key, Limit: lim})
		at = append(at, i)
	}
	if len(buckets) == 0 {
		return Decision{Allowed: true, Remaining: -1, Refused: -1}, nil
	}
	d, err := l.store.Take(ctx, l.now(), buckets)
	if err != nil {
		return Decision{}, fmt.Errorf("ratelimit: %w", err)
	}
	if !d.Allowed {
		if d.Refused < 0 || d.Refused >= len(at) {
			return Decision{}, fmt.Errorf("ratelimit: the store refused bucket %d of %d", d.Refused, len(at))
		}
		d.Refused = at[d.Refused]
	}
	return d, nil
}

// Reset forgets the events' buckets, which are then full: after a
// successful sign-in, say, the failures counted for the user name no
// longer count. Unknown limits are an error wrapping ErrUnknownLimit.
func (l *Limiter) Reset(ctx context.Context, events ...Event) error {
	var keys []string
	for _, e := range events {
		lim, ok := l.limits[e.Limit]
		if !ok {
			return fmt.Errorf("%w: %q", ErrUnknownLimit, e.Limit)
		}
		if !lim.IsOff() {
			keys = append(keys, BucketKey(e.Limit, e.Key))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if err := l.store.Reset(ctx, keys...); err != nil {
		return fmt.Errorf("ratelimit: %w", err)
	}
	return nil
}

// BucketKey is the key of the bucket of limit for key in a store:
// "<limit>:<the first 16 bytes of key's SHA-256, base64url>".
func BucketKey(limit, key string) string {
	sum := sha256.Sum256([]byte(key))
	return limit + ":" + base64.RawURLEncoding.EncodeToString(sum[:16])
}

// take is the token bucket's arithmetic, which every store applies (the
// Redis store in Lua, the same steps): of a bucket whose theoretical
// arrival time is tat (0 for a new one) at now, with the limit's interval
// and size, all in microseconds. It returns whether an event is allowed,
// the bucket's new tat when it is, how many events remain after it, and
// when refused how long to wait.
func take(tat, now, interval, size int64) (allowed bool, next int64, remaining int64, wait int64) {
	tat = max(tat, now)
	allowAt := tat + interval - interval*size
	if now < allowAt {
		return false, tat, 0, allowAt - now
	}
	return true, tat + interval, (now - allowAt) / interval, 0
}
