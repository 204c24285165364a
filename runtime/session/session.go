// Package session encodes and decodes the session token kept in the session
// cookie when the session strategy is "jwt": a JWS signed with the key set's
// signing key at the time (HS512 by default; ES256, EdDSA, RS256 or PS256
// after `authgen keys rotate --alg`, so that other services can verify it
// with the public keys at {basePath}/jwks), or a JWE (dir + A256GCM) when
// the session is encrypted.
//
// Decoding checks, in this order: the token's form and algorithm (pinned per
// key), its signature or authentication tag, and its exp, nbf and iat claims
// with a small leeway for clock skew, and the absolute lifetime counted from
// its auth_time (the sign-in), which renewals never move.
package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/jwt"
	"github.com/authgen/authgen/runtime/keys"
)

// Protection says how a JWT session token is protected.
type Protection string

const (
	// Signed tokens are JWS under the signing key (HS512 unless the set's
	// signing key is asymmetric): tamper-proof, readable by whoever holds
	// them.
	Signed Protection = "signed"
	// Encrypted tokens are JWE dir + A256GCM: tamper-proof and confidential.
	// Only encrypted sessions ever carry provider access or refresh tokens.
	// They stay symmetric whatever the signing key: see docs/KEYS.md.
	Encrypted Protection = "encrypted"
)

// Defaults, as in Auth.js: sessions last 30 days and the cookie is renewed at
// most once a day. Unlike Auth.js, a session also ends 30 days after
// sign-in however often it is renewed (OWASP ASVS 3.3.2).
const (
	DefaultMaxAge         = 30 * 24 * time.Hour
	DefaultUpdateAge      = 24 * time.Hour
	DefaultAbsoluteMaxAge = 30 * 24 * time.Hour
	DefaultLeeway         = 15 * time.Second
)

// NoAbsoluteMaxAge, as Options.AbsoluteMaxAge, turns the absolute lifetime
// off: a session that is used at least every MaxAge lasts for ever.
const NoAbsoluteMaxAge time.Duration = -1

// Errors for tokens whose signature is good but whose time claims are not.
// Both wrap jwt.ErrInvalid.
var (
	ErrExpired     = fmt.Errorf("%w: expired", jwt.ErrInvalid)
	ErrNotYetValid = fmt.Errorf("%w: not yet valid", jwt.ErrInvalid)
)

// Claims is the payload of a session token.
type Claims struct {
	// Subject is the user ID.
	Subject string `json:"sub"`
	Name    string `json:"name,omitempty"`
	Email   string `json:"email,omitempty"`
	Picture string `json:"picture,omitempty"`
	// Provider is the ID of the provider the user signed in with.
	Provider string `json:"provider,omitempty"`
	// SessionID (sid) names the session's record in the store when JWT
	// sessions are revocable; it stays the same across renewals.
	SessionID string `json:"sid,omitempty"`
	// AuthTime (auth_time) is when the user signed in, in seconds since the
	// epoch; Encode sets it when it is zero, and renewals keep it. The
	// absolute lifetime counts from it. Tokens issued before authgen
	// recorded it have none.
	AuthTime int64 `json:"auth_time,omitempty"`
	// IssuedAt, NotBefore and Expiry are NumericDates (seconds since the epoch).
	IssuedAt  int64 `json:"iat"`
	NotBefore int64 `json:"nbf,omitempty"`
	Expiry    int64 `json:"exp"`
	// ID is a random token identifier (jti).
	ID string `json:"jti"`
	// Data holds the fields the application's JWT callback adds, as JSON.
	Data json.RawMessage `json:"data,omitempty"`
	// Account holds the provider's tokens. Encode refuses to put it in a
	// token that is only signed.
	Account *AccountTokens `json:"account,omitempty"`
}

// AccountTokens are the provider tokens of the account the user signed in
// with, kept in the session only when it is encrypted.
type AccountTokens struct {
	Provider          string `json:"provider"`
	ProviderAccountID string `json:"providerAccountId"`
	AccessToken       string `json:"access_token,omitempty"`
	RefreshToken      string `json:"refresh_token,omitempty"`
	ExpiresAt         int64  `json:"expires_at,omitempty"`
	TokenType         string `json:"token_type,omitempty"`
	Scope             string `json:"scope,omitempty"`
	IDToken           string `json:"id_token,omitempty"`
	// TokenSecret is an OAuth 1.0a token credentials' secret.
	TokenSecret string `json:"oauth_token_secret,omitempty"`
}

// ErrTooLong is returned by Decode for a token whose exp lies more than
// MaxAge after its iat: Encode never writes one (a token issued before
// MaxAge was lowered has one, and ends). It wraps jwt.ErrInvalid.
var ErrTooLong = fmt.Errorf("%w: exp lies more than maxAge after iat", jwt.ErrInvalid)

// ErrNoSubject is returned by Encode for claims without a Subject (a JWT
// callback that cleared it): Decode would refuse the token.
var ErrNoSubject = errors.New("session: the claims have no subject (sub): the JWT callback must keep claims.Subject")

// ErrTokensInSignedSession is returned by Encode for claims carrying provider
// tokens when the session is only signed.
var ErrTokensInSignedSession = errors.New("session: provider tokens may only be stored in an encrypted session")

// Options configure a Codec. Zero fields take the defaults; an UpdateAge
// given must be less than MaxAge, and an AbsoluteMaxAge given must not be
// less than MaxAge.
type Options struct {
	Protection Protection
	// MaxAge is how long a session lasts after it was issued or last
	// renewed.
	MaxAge    time.Duration
	UpdateAge time.Duration
	// AbsoluteMaxAge is how long a session lasts after sign-in, however
	// often it is renewed: zero is DefaultAbsoluteMaxAge, or MaxAge when
	// that is longer; NoAbsoluteMaxAge turns it off.
	AbsoluteMaxAge time.Duration
	Leeway         time.Duration
}

// Codec encodes and decodes session tokens. It is safe for concurrent use.
type Codec struct {
	jwt  *jwt.Codec
	opts Options
	bufs sync.Pool // of *[]byte, scratch for decoded payloads
	// verified remembers the tokens Decode accepted recently.
	verified verified
}

// NewCodec returns a session codec over the keys of ks valid at now.
func NewCodec(ks *keys.Set, now time.Time, opts Options) (*Codec, error) {
	if opts.Protection == "" {
		opts.Protection = Signed
	}
	if opts.Protection != Signed && opts.Protection != Encrypted {
		return nil, fmt.Errorf("session: unknown protection %q (want signed or encrypted)", opts.Protection)
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultMaxAge
	}
	if opts.UpdateAge >= opts.MaxAge {
		return nil, fmt.Errorf("session: UpdateAge %s must be less than MaxAge %s, or a session would never be renewed", opts.UpdateAge, opts.MaxAge)
	}
	if opts.UpdateAge <= 0 {
		opts.UpdateAge = DefaultUpdateAge
	}
	switch {
	case opts.AbsoluteMaxAge == 0:
		opts.AbsoluteMaxAge = max(DefaultAbsoluteMaxAge, opts.MaxAge)
	case opts.AbsoluteMaxAge < 0:
		opts.AbsoluteMaxAge = NoAbsoluteMaxAge
	case opts.AbsoluteMaxAge < opts.MaxAge:
		return nil, fmt.Errorf("session: AbsoluteMaxAge %s must not be less than MaxAge %s (lower MaxAge instead), or use NoAbsoluteMaxAge to turn it off", opts.AbsoluteMaxAge, opts.MaxAge)
	}
	if opts.Leeway <= 0 {
		opts.Leeway = DefaultLeeway
	}
	j, err := jwt.New(ks, now)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	c := &Codec{jwt: j, opts: opts}
	c.bufs.New = func() any { b := make([]byte, 0, 1024); return &b }
	return c, nil
}

// Options returns the codec's options with defaults filled in.
func (c *Codec) Options() Options { return c.opts }

// Encode stamps claims with iat = now and exp = now + MaxAge, or the end of
// the absolute lifetime when that is sooner, and returns the token. Claims
// without an AuthTime get now (a sign-in); a claims value whose ID is empty
// gets a random one.
func (c *Codec) Encode(claims *Claims, now time.Time) (string, error) {
	if claims.Subject == "" {
		return "", ErrNoSubject
	}
	if claims.Account != nil && c.opts.Protection != Encrypted {
		return "", ErrTokensInSignedSession
	}
	c.Stamp(claims, now)
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("session: %w", err)
	}
	if c.opts.Protection == Encrypted {
		return c.jwt.Encrypt(payload)
	}
	tok, err := c.jwt.Sign(payload, now)
	if err != nil {
		return "", fmt.Errorf("session: %w", err)
	}
	return tok, nil
}

// Stamp sets the times of claims as Encode does, for a caller that encodes
// them in another format (package authjs): iat = now, auth_time = now when
// it is zero, exp = now + MaxAge or the end of the absolute lifetime when
// that is sooner, and a random jti when it is empty. It does not check the
// claims: Encode does.
func (c *Codec) Stamp(claims *Claims, now time.Time) {
	claims.IssuedAt = now.Unix()
	if claims.AuthTime == 0 {
		claims.AuthTime = claims.IssuedAt
	}
	claims.Expiry = now.Add(c.opts.MaxAge).Unix()
	if end := c.absoluteEnd(claims.AuthTime); end != 0 && end < claims.Expiry {
		claims.Expiry = end
	}
	if claims.ID == "" {
		claims.ID = randomID()
	}
}

// Check checks claims decoded from another format (package authjs) as
// Decode checks its own after the signature: sub, iat and exp present, the
// times against now with the leeway, exp at most MaxAge after iat, and the
// absolute lifetime from auth_time. Errors wrap jwt.ErrInvalid.
func (c *Codec) Check(claims *Claims, now time.Time) error { return c.checkTimes(claims, now) }

// Owns reports whether token is in this codec's own format under one of
// its keys: its protected header is one the codec writes, byte for byte.
// It checks nothing else.
func (c *Codec) Owns(token string) bool {
	_, ok := c.jwt.KeyExpiry(token)
	return ok
}

// Decode verifies token and returns its claims. Every failure wraps
// jwt.ErrInvalid. Besides the signature and the times, a token must name
// its subject (sub) and may not last longer than MaxAge: an exp more than
// MaxAge (and the leeway) after its iat is refused. Lowering MaxAge
// therefore ends the sessions issued under the longer one.
//
// A token decoded before is remembered for a minute (see verified): its
// MAC and claims are not checked again, its times and its key's expiry
// are.
func (c *Codec) Decode(token string, now time.Time) (*Claims, error) {
	if claims, ok := c.verified.get(token, now); ok {
		if err := c.checkTimes(claims, now); err != nil {
			return nil, err
		}
		return claims, nil
	}
	claims, err := c.decode(token, now)
	if err != nil {
		return nil, err
	}
	if keyExpires, ok := c.jwt.KeyExpiry(token); ok {
		c.verified.put(token, claims, keyExpires, now)
	}
	return claims, nil
}

// decode is Decode without remembering: the MAC or decryption, the
// parse and the times, every time.
func (c *Codec) decode(token string, now time.Time) (*Claims, error) {
	bp := c.bufs.Get().(*[]byte)
	defer c.bufs.Put(bp)
	var (
		payload []byte
		err     error
	)
	if c.opts.Protection == Encrypted {
		payload, err = c.jwt.Decrypt((*bp)[:0], token, now)
	} else {
		payload, err = c.jwt.Verify((*bp)[:0], token, now)
	}
	if cap(payload) > cap(*bp) {
		*bp = payload[:0]
	}
	if err != nil {
		return nil, err
	}
	claims, err := parseClaims(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: claims: %w", jwt.ErrMalformed, err)
	}
	if err := c.checkTimes(claims, now); err != nil {
		return nil, err
	}
	return claims, nil
}

// checkTimes checks the claims every session needs, sub, iat and exp, and
// the times against now.
func (c *Codec) checkTimes(cl *Claims, now time.Time) error {
	t, leeway := now.Unix(), int64(c.opts.Leeway/time.Second)
	maxAge := int64(c.opts.MaxAge / time.Second)
	switch {
	case cl.Expiry == 0 || cl.IssuedAt == 0:
		return fmt.Errorf("%w: claims: exp and iat are required", jwt.ErrMalformed)
	case cl.Subject == "":
		return fmt.Errorf("%w: claims: sub is required", jwt.ErrMalformed)
	case t > cl.Expiry+leeway:
		return ErrExpired
	case cl.NotBefore != 0 && t+leeway < cl.NotBefore:
		return ErrNotYetValid
	case t+leeway < cl.IssuedAt:
		return ErrNotYetValid
	case cl.IssuedAt < cl.Expiry-maxAge-leeway:
		// exp is not before now (less the leeway) here: no overflow.
		return ErrTooLong
	case cl.AuthTime > cl.IssuedAt:
		return fmt.Errorf("%w: claims: auth_time is after iat", jwt.ErrMalformed)
	}
	if end := c.absoluteEnd(cl.AuthTime); end != 0 && t > end+leeway {
		return ErrExpired
	}
	return nil
}

// absoluteEnd is when a session signed in at authTime (seconds) ends
// however often it is renewed: 0 when the absolute lifetime is off or the
// sign-in time unknown.
func (c *Codec) absoluteEnd(authTime int64) int64 {
	if c.opts.AbsoluteMaxAge <= 0 || authTime == 0 {
		return 0
	}
	return authTime + int64(c.opts.AbsoluteMaxAge/time.Second)
}

// AbsoluteEnd returns when a session whose user signed in at authTime ends
// however often it is renewed; the zero time when the absolute lifetime is
// off or authTime is zero (unknown).
func (c *Codec) AbsoluteEnd(authTime time.Time) time.Time {
	if c.opts.AbsoluteMaxAge <= 0 || authTime.IsZero() {
		return time.Time{}
	}
	return authTime.Add(c.opts.AbsoluteMaxAge)
}

// NeedsUpdate reports whether a session decoded at now should be re-issued:
// when it was issued more than UpdateAge ago, unless it already lasts until
// the end of its absolute lifetime, which no renewal can move.
func (c *Codec) NeedsUpdate(cl *Claims, now time.Time) bool {
	if end := c.absoluteEnd(cl.AuthTime); end != 0 && cl.Expiry >= end {
		return false
	}
	return now.Unix()-cl.IssuedAt >= int64(c.opts.UpdateAge/time.Second)
}

// Expires returns the claims' expiry as a time.
func (cl *Claims) Expires() time.Time { return time.Unix(cl.Expiry, 0).UTC() }
