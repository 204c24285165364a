package session

import (
	"crypto/subtle"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// verifiedTTL is how long a verified token is remembered, maxVerified how
// many are, and maxVerifiedToken the longest remembered (one cookie's
// worth; longer sessions, chunked, are verified every time): enough for
// the sessions polled within a minute on one instance, bounded so that
// memory is too: about 4096 × 7 KB (token, claims, entry) = 28 MB at
// worst, 5 MB for typical 500-byte sessions.
const (
	verifiedTTL      = time.Minute
	maxVerified      = 4096
	maxVerifiedToken = 4 << 10
)

// verified remembers the claims of tokens the codec verified and parsed
// recently, so that a session polled again (GET /session, every request
// behind the middlewares) skips the MAC or decryption and the parse,
// which are most of a session check's time. It changes nothing that
// Decode accepts:
//
//   - A token is found by its last segment, the MAC or signature (JWS)
//     or the authentication tag (JWE), and then compared whole, in
//     constant time, with the token that was verified: only the very same
//     bytes match. (Anyone can copy an asymmetric signature onto another
//     token, or make a second valid ECDSA signature of the same token;
//     neither matters: the first does not compare equal and is verified
//     in full, the second is a token the key did sign.)
//   - The same bytes verify and parse the same way under the same keys,
//     except once the key that verified them expires: an entry holds the
//     key's expiry and is not used from then on (Decode then refuses the
//     token as the first time it would have).
//   - The times — exp, nbf, iat, maxAge, the absolute lifetime — are
//     checked again at every use, against the caller's now.
//   - Callers get a copy of the claims, never the remembered value.
//
// Only tokens in the codec's own form (a header it writes byte for byte),
// of at most maxVerifiedToken bytes, are remembered; an entry is forgotten
// after verifiedTTL. It is safe for
// concurrent use; the zero value is ready.
type verified struct {
	mu      sync.RWMutex
	entries map[string]*verifiedEntry // by the token's last segment
}

// verifiedEntry is a token that Decode accepted, and its claims.
type verifiedEntry struct {
	token  string
	claims Claims
	// keyExpires is when the verifying key expires (zero: never); until
	// is when the entry is forgotten.
	keyExpires, until time.Time
}

// lastSegment is the token after its last '.', "" when it has none.
func lastSegment(token string) string {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return ""
	}
	return token[i+1:]
}

// get returns a copy of the claims of token when it was verified before,
// its key and the entry still valid at now.
func (v *verified) get(token string, now time.Time) (*Claims, bool) {
	tag := lastSegment(token)
	if tag == "" {
		return nil, false
	}
	v.mu.RLock()
	e := v.entries[tag]
	v.mu.RUnlock()
	if e == nil || !now.Before(e.until) || (!e.keyExpires.IsZero() && !now.Before(e.keyExpires)) {
		return nil, false
	}
	if subtle.ConstantTimeCompare(stringBytes(e.token), stringBytes(token)) != 1 {
		return nil, false
	}
	return e.claims.clone(), true
}

// put remembers that token was verified with a key that expires at
// keyExpires and parsed into cl, which it copies.
func (v *verified) put(token string, cl *Claims, keyExpires, now time.Time) {
	tag := lastSegment(token)
	if tag == "" || len(token) > maxVerifiedToken {
		return
	}
	e := &verifiedEntry{token: strings.Clone(token), claims: *cl.clone(), keyExpires: keyExpires, until: now.Add(verifiedTTL)}
	tag = lastSegment(e.token) // not the caller's memory
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.entries == nil {
		v.entries = make(map[string]*verifiedEntry)
	}
	if len(v.entries) >= maxVerified {
		for k, old := range v.entries {
			if !now.Before(old.until) {
				delete(v.entries, k)
			}
		}
		if len(v.entries) >= maxVerified {
			clear(v.entries)
		}
	}
	v.entries[tag] = e
}

// clone returns a copy of c that shares no memory a caller could write:
// Data and Account are copied too.
func (c *Claims) clone() *Claims {
	out := *c
	if c.Data != nil {
		out.Data = append([]byte(nil), c.Data...)
	}
	if c.Account != nil {
		a := *c.Account
		out.Account = &a
	}
	return &out
}

// stringBytes is s's bytes, without a copy; they must not be written.
func stringBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
