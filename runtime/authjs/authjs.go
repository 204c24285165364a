// Package authjs reads and writes Auth.js session tokens, so that a Go
// application and an Auth.js application (Next.js, @auth/express, …) on one
// site share their users' sessions.
//
// The formats, checked byte for byte against the real packages (the tests in
// internal/integration/authjs run them):
//
//   - Version 5 (@auth/core, next-auth 5): a compact JWE with the protected
//     header {"alg":"dir","enc":"A256CBC-HS512","kid":…}. The key is
//     HKDF-SHA256 of the secret, with the cookie's name as salt and the info
//     "Auth.js Generated Encryption Key (<salt>)", 64 bytes; the kid is the
//     RFC 7638 thumbprint (SHA-512, base64url) of that key as an oct JWK.
//     Decoding also accepts enc A256GCM with a 32-byte key (thumbprint with
//     SHA-256), and picks the secret whose key has the token's kid.
//   - Version 4 (next-auth 4): {"alg":"dir","enc":"A256GCM"}, no kid, the
//     key HKDF-SHA256 of the secret with an empty salt and the info
//     "NextAuth.js Generated Encryption Key", 32 bytes.
//
// The payload holds name, email, picture and sub, iat, exp (now + maxAge) and
// a random jti, and whatever other claims the application's JWT callback
// added; exp and nbf are checked with a clock tolerance of 15 seconds, as
// Auth.js does.
//
// Several secrets rotate: the first encrypts, every one decrypts. @auth/core
// takes them as an array (its config.secret, from AUTH_SECRET and
// AUTH_SECRET_1…3); next-auth 4 takes one secret, and a Codec for version 4
// given several still encrypts with the first and tries each. A token
// without a kid is tried under each secret in turn (@auth/core tries only
// the first): the content encryption is authenticated, so only a secret
// that made the token opens it.
//
// The package also holds Auth.js's CSRF cookie ([CSRF]) and the cookie
// value encoding Auth.js uses ([EncodeCookieValue], [DecodeCookieValue]).
package authjs

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Version is the Auth.js major version whose token format a Codec speaks.
type Version int

// The versions.
const (
	// V4 is next-auth 4.
	V4 Version = 4
	// V5 is Auth.js 5: @auth/core, next-auth 5, @auth/express, ….
	V5 Version = 5
)

// ClockTolerance is the leeway Auth.js allows exp and nbf (jose's
// clockTolerance: 15).
const ClockTolerance = 15 * time.Second

// DefaultMaxAge is Auth.js's default session lifetime, 30 days.
const DefaultMaxAge = 30 * 24 * time.Hour

// Session cookie names by version: on http, and on https (Secure).
const (
	V5SessionCookie       = "authjs.session-token"
	V5SecureSessionCookie = "__Secure-authjs.session-token"
	V4SessionCookie       = "next-auth.session-token"
	V4SecureSessionCookie = "__Secure-next-auth.session-token"
)

// Errors. Every one wraps ErrInvalid; ErrForeign marks a token these
// secrets did not make (it is malformed, names another key, or does not
// decrypt), as against one they made whose claims are refused.
var (
	ErrInvalid     = errors.New("authjs: invalid token")
	ErrForeign     = fmt.Errorf("%w: not sealed with these secrets", ErrInvalid)
	ErrMalformed   = fmt.Errorf("%w: malformed", ErrForeign)
	ErrUnknownKey  = fmt.Errorf("%w: no secret has the token's kid", ErrForeign)
	ErrDecryption  = fmt.Errorf("%w: decryption failed", ErrForeign)
	ErrClaims      = fmt.Errorf("%w: bad claims", ErrInvalid)
	ErrExpired     = fmt.Errorf("%w: expired", ErrInvalid)
	ErrNotYetValid = fmt.Errorf("%w: not yet valid", ErrInvalid)
)

// Content encryption algorithms (the JWE "enc" header).
const (
	encCBC = "A256CBC-HS512"
	encGCM = "A256GCM"
)

// strict is base64url as JWS and JWE write it (RFC 7515 §2).
var strict = base64.RawURLEncoding.Strict()

// maxTokenLen bounds the tokens Open looks at: 16 cookies' worth.
const maxTokenLen = 16 * 4096

// key is one secret's derived key for one enc, with its kid.
type key struct {
	bytes []byte
	kid   string
}

// secretKeys are the keys derived from one secret.
type secretKeys struct {
	cbc key // V5 only
	gcm key
}

// Codec encodes and decodes the session tokens of one Auth.js version under
// one cookie name (the salt of version 5's key derivation). It is safe for
// concurrent use.
type Codec struct {
	version Version
	salt    string
	keys    []secretKeys // first encrypts
}

// NewCodec returns a codec for version's tokens kept in the cookie named
// salt (ignored by version 4, whose session key has no salt), under secrets,
// the first of which encrypts. Secrets must be non-empty.
func NewCodec(version Version, salt string, secrets []string) (*Codec, error) {
	if version != V4 && version != V5 {
		return nil, fmt.Errorf("authjs: unknown version %d (want 4 or 5)", version)
	}
	if len(secrets) == 0 {
		return nil, errors.New("authjs: no secret (AUTH_SECRET)")
	}
	if version == V5 && salt == "" {
		return nil, errors.New("authjs: version 5 needs the cookie name as salt")
	}
	if version == V4 {
		salt = ""
	}
	c := &Codec{version: version, salt: salt}
	for i, s := range secrets {
		if s == "" {
			return nil, fmt.Errorf("authjs: secret %d is empty", i+1)
		}
		var k secretKeys
		var err error
		if version == V5 {
			if k.cbc, err = deriveKey(version, s, salt, 64); err != nil {
				return nil, err
			}
		}
		if k.gcm, err = deriveKey(version, s, salt, 32); err != nil {
			return nil, err
		}
		c.keys = append(c.keys, k)
	}
	return c, nil
}

// Version returns the codec's Auth.js version.
func (c *Codec) Version() Version { return c.version }

// DeriveKey returns the encryption key Auth.js derives from secret for
// version's tokens under salt (a cookie name; version 4's session token has
// none), length bytes long: 64 for A256CBC-HS512, 32 for A256GCM.
func DeriveKey(version Version, secret, salt string, length int) ([]byte, error) {
	k, err := deriveKey(version, secret, salt, length)
	return k.bytes, err
}

func deriveKey(version Version, secret, salt string, length int) (key, error) {
	var info string
	switch version {
	case V5:
		info = "Auth.js Generated Encryption Key (" + salt + ")"
	case V4:
		info = "NextAuth.js Generated Encryption Key"
		if salt != "" {
			info += " (" + salt + ")"
		}
	default:
		return key{}, fmt.Errorf("authjs: unknown version %d", version)
	}
	b, err := hkdf.Key(sha256.New, []byte(secret), []byte(salt), info, length)
	if err != nil {
		return key{}, fmt.Errorf("authjs: deriving the key: %w", err)
	}
	return key{bytes: b, kid: Thumbprint(b)}, nil
}

// Thumbprint returns the RFC 7638 thumbprint of the oct JWK of k, as
// @auth/core computes a kid: SHA-512 for a 64-byte key, SHA-256 for a
// 32-byte one (jose's "sha" + bits), base64url without padding.
func Thumbprint(k []byte) string {
	// The required members of an oct JWK, in lexicographic order, no
	// whitespace (RFC 7638 §3.2); base64url needs no JSON escaping.
	members := `{"k":"` + base64.RawURLEncoding.EncodeToString(k) + `","kty":"oct"}`
	var sum []byte
	if len(k) == 64 {
		s := sha512.Sum512([]byte(members))
		sum = s[:]
	} else {
		s := sha256.Sum256([]byte(members))
		sum = s[:]
	}
	return base64.RawURLEncoding.EncodeToString(sum)
}

// Seal encrypts the claims as they are, without stamping any time: version
// 5 with A256CBC-HS512 and the first secret's kid, version 4 with A256GCM
// and no kid.
func (c *Codec) Seal(claims *Claims) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("authjs: %w", err)
	}
	var rcpt jose.Recipient
	var enc jose.ContentEncryption
	if c.version == V5 {
		k := c.keys[0].cbc
		rcpt, enc = jose.Recipient{Algorithm: jose.DIRECT, Key: k.bytes, KeyID: k.kid}, jose.A256CBC_HS512
	} else {
		rcpt, enc = jose.Recipient{Algorithm: jose.DIRECT, Key: c.keys[0].gcm.bytes}, jose.A256GCM
	}
	e, err := jose.NewEncrypter(enc, rcpt, nil)
	if err != nil {
		return "", fmt.Errorf("authjs: %w", err)
	}
	obj, err := e.Encrypt(payload)
	if err != nil {
		return "", fmt.Errorf("authjs: %w", err)
	}
	return obj.CompactSerialize()
}

// Encode returns the token of claims as Auth.js's encode writes it: iat is
// now, exp now + maxAge (DefaultMaxAge when maxAge is not positive), jti a
// new random UUID. It does not change claims.
func (c *Codec) Encode(claims Claims, now time.Time, maxAge time.Duration) (string, error) {
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	claims.IssuedAt = now.Unix()
	claims.Expiry = now.Add(maxAge).Unix()
	claims.ID = NewUUID()
	return c.Seal(&claims)
}

// header is the protected header of a token.
type header struct {
	Alg string  `json:"alg"`
	Enc string  `json:"enc"`
	Kid *string `json:"kid"`
	Zip *string `json:"zip"`
	// Crit must be absent: no extension is understood.
	Crit json.RawMessage `json:"crit"`
}

// Open decrypts token and parses its claims, without checking any time.
// Errors wrap ErrForeign when the token is not one of these secrets' (it is
// malformed, names an unknown kid, or does not decrypt), ErrClaims when its
// payload is not a claims object.
func (c *Codec) Open(token string) (*Claims, error) {
	if len(token) > maxTokenLen || strings.Count(token, ".") != 4 {
		return nil, ErrMalformed
	}
	// Every segment in canonical base64url (no padding, unused bits
	// zero), so that a token has one spelling: a changed character is a
	// changed token. The decoder skips CR and LF even when strict, so
	// they are refused first.
	if strings.ContainsAny(token, "\r\n") {
		return nil, ErrMalformed
	}
	segs := strings.Split(token, ".")
	for _, s := range segs {
		if _, err := strict.DecodeString(s); err != nil {
			return nil, ErrMalformed
		}
	}
	raw, _ := strict.DecodeString(segs[0])
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, ErrMalformed
	}
	if h.Alg != "dir" || h.Zip != nil || h.Crit != nil {
		return nil, fmt.Errorf("%w: header", ErrMalformed)
	}
	var allowed jose.ContentEncryption
	switch {
	case h.Enc == encCBC && c.version == V5:
		allowed = jose.A256CBC_HS512
	case h.Enc == encGCM:
		allowed = jose.A256GCM
	default:
		return nil, fmt.Errorf("%w: enc %q", ErrMalformed, h.Enc)
	}
	obj, err := jose.ParseEncryptedCompact(token, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{allowed})
	if err != nil {
		return nil, ErrMalformed
	}
	var payload []byte
	opened := false
	for _, sk := range c.keys {
		k := sk.gcm
		if allowed == jose.A256CBC_HS512 {
			k = sk.cbc
		}
		if h.Kid != nil && *h.Kid != k.kid {
			continue
		}
		p, err := obj.Decrypt(k.bytes)
		if err == nil {
			payload, opened = p, true
			break
		}
		if h.Kid != nil {
			// The kid picked this key: no other has it.
			return nil, ErrDecryption
		}
	}
	if !opened {
		if h.Kid != nil {
			return nil, ErrUnknownKey
		}
		return nil, ErrDecryption
	}
	claims, err := ParseClaims(payload)
	if err != nil {
		return nil, err
	}
	return claims, nil
}

// Decode returns the claims of token as Auth.js's decode does: decrypted
// with one of the secrets, exp (required) and nbf checked against now with
// ClockTolerance.
func (c *Codec) Decode(token string, now time.Time) (*Claims, error) {
	claims, err := c.Open(token)
	if err != nil {
		return nil, err
	}
	if err := claims.CheckTime(now); err != nil {
		return nil, err
	}
	return claims, nil
}

// CheckTime checks exp (required) and nbf against now as jose does with
// Auth.js's ClockTolerance: the token is expired once exp <= now - 15 s, not
// yet valid while nbf > now + 15 s.
func (cl *Claims) CheckTime(now time.Time) error {
	t, tol := now.Unix(), int64(ClockTolerance/time.Second)
	switch {
	case cl.Expiry == 0:
		return fmt.Errorf("%w: no exp", ErrClaims)
	case cl.Expiry <= t-tol:
		return ErrExpired
	case cl.NotBefore != 0 && cl.NotBefore > t+tol:
		return ErrNotYetValid
	}
	return nil
}

// NewUUID returns a random (version 4) UUID, as crypto.randomUUID writes
// it.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// numericDate reads a NumericDate claim: a JSON number of seconds, which
// must be finite and within int64 (a fraction is dropped).
func numericDate(raw json.RawMessage) (int64, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f >= 1<<53 {
		return 0, errors.New("out of range")
	}
	return int64(f), nil
}
