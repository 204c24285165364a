// Package csrf implements the double-submit CSRF token of Auth.js: the cookie
// holds "token|hash", where hash binds the token to the application's keys,
// and a state-changing POST must carry the same token in its body.
//
// Unlike Auth.js's sha256(token+secret), the hash is HMAC-SHA256 under a key
// derived from the key set with HKDF, and a cookie is accepted under any key
// that has not expired, so key rotation signs nobody out of a form.
package csrf

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrNoSecrets is Issue's error when the protector has no secret to bind a
// token with: every key it was derived from has expired. Nothing verifies
// then either.
var ErrNoSecrets = errors.New("csrf: no secret to bind the token (no valid signing key)")

// Protector issues and checks CSRF tokens. It is safe for concurrent use.
type Protector struct {
	secrets [][]byte // active first
}

// New returns a protector keyed by secrets, the active one first (see
// keys.Set.Derive with label "csrf"). Without secrets (and for the zero
// Protector) nothing parses or verifies and Issue returns ErrNoSecrets.
func New(secrets [][]byte) *Protector { return &Protector{secrets: secrets} }

func mac(secret []byte, token string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// Parse returns the token in a CSRF cookie value when its hash is valid.
func (p *Protector) Parse(cookie string) (token string, ok bool) {
	token, hash, found := strings.Cut(cookie, "|")
	if !found || len(token) != 64 || len(hash) != 64 {
		return "", false
	}
	for _, s := range p.secrets {
		if hmac.Equal([]byte(mac(s, token)), []byte(hash)) {
			return token, true
		}
	}
	return "", false
}

// Issue returns a new random token and the cookie value that binds it
// under the active secret; ErrNoSecrets without one.
func (p *Protector) Issue() (token, cookie string, err error) {
	if len(p.secrets) == 0 {
		return "", "", ErrNoSecrets
	}
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails
	token = hex.EncodeToString(b[:])
	return token, token + "|" + mac(p.secrets[0], token), nil
}

// Verify reports whether submitted is the token bound by a valid cookie.
func (p *Protector) Verify(cookie, submitted string) bool {
	token, ok := p.Parse(cookie)
	return ok && len(submitted) == len(token) && subtle.ConstantTimeCompare([]byte(token), []byte(submitted)) == 1
}
