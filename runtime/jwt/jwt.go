// Package jwt signs, encrypts, verifies and decrypts authgen's compact tokens:
// JWS (RFC 7515) with HS512 or with an asymmetric key of the set (ES256,
// EdDSA, RS256, PS256), and JWE with "dir" key management and A256GCM
// content encryption (RFC 7516), keyed by a [keys.Set].
//
// A JWS is verified with the key its kid names and with that key's
// algorithm only: the header's alg must equal the key's, so a token cannot
// choose how it is checked (no HS256 under an RSA public key, no "none").
// HS512 has a hand-written fast path; asymmetric keys sign and verify
// through go-jose.
//
// Tokens authgen writes have a fixed protected header per key, so the common
// case is checked without parsing JSON: the header segment must equal, byte for
// byte, the header of a known key, which pins both the algorithm and the kid.
// Any other header (written by another library, or forged) goes through
// go-jose with an explicit algorithm allowlist, so the fast path accepts
// nothing go-jose would refuse. Signatures are compared in constant time.
package jwt

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authgen/authgen/runtime/keys"
)

// Errors returned for tokens that must not be trusted. Every one is wrapped in
// ErrInvalid, so callers that do not care which check failed test only that.
var (
	ErrInvalid    = errors.New("jwt: invalid token")
	ErrMalformed  = fmt.Errorf("%w: malformed", ErrInvalid)
	ErrAlgorithm  = fmt.Errorf("%w: algorithm not allowed", ErrInvalid)
	ErrUnknownKey = fmt.Errorf("%w: unknown or expired key", ErrInvalid)
	ErrSignature  = fmt.Errorf("%w: signature or authentication tag mismatch", ErrInvalid)
)

// b64 decodes strictly: the unused low bits of the last character must be
// zero, so a token has exactly one encoding.
var b64 = base64.RawURLEncoding.Strict()

// Codec signs and encrypts with the active keys of a set and verifies and
// decrypts with every key that is still valid. Which key signs depends on
// the time (keys.Set.SigningAt: a staged key takes over when its time
// comes). It is safe for concurrent use.
type Codec struct {
	set     *keys.Set // a snapshot, for SigningAt
	signers []*signer // signing at New's now first
	sealers []*sealer // active first
}

type signer struct {
	kid     string
	alg     jose.SignatureAlgorithm
	header  string // base64url of the protected header
	expires time.Time
	// HS512:
	pool   sync.Pool // of *macState (HMAC-SHA512 keyed with this key)
	secret []byte
	// asymmetric:
	public crypto.PublicKey
	jose   jose.Signer
}

type sealer struct {
	kid     string
	header  string
	expires time.Time
	aead    cipher.AEAD
	secret  []byte
}

// New returns a codec for the keys of ks that are valid at now.
func New(ks *keys.Set, now time.Time) (*Codec, error) {
	c := &Codec{set: ks.Clone()}
	for _, k := range ks.Valid(keys.UseSig, now) {
		s := &signer{
			kid:     k.ID,
			alg:     jose.SignatureAlgorithm(k.Alg),
			header:  b64.EncodeToString([]byte(`{"alg":"` + k.Alg + `","kid":"` + k.ID + `","typ":"JWT"}`)),
			expires: k.Expires,
		}
		if k.Asymmetric() {
			signer, err := jose.NewSigner(jose.SigningKey{Algorithm: s.alg, Key: jose.JSONWebKey{Key: k.Private, KeyID: k.ID}}, (&jose.SignerOptions{}).WithType("JWT"))
			if err != nil {
				return nil, fmt.Errorf("jwt: %s key %s: %w", k.Alg, k.ID, err)
			}
			s.jose, s.public = signer, k.Public()
		} else {
			secret := k.Secret
			s.secret = secret
			s.pool.New = func() any { return &macState{h: hmac.New(sha512.New, secret)} }
		}
		c.signers = append(c.signers, s)
	}
	for _, k := range ks.Valid(keys.UseEnc, now) {
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("jwt: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("jwt: %w", err)
		}
		c.sealers = append(c.sealers, &sealer{
			kid:     k.ID,
			header:  b64.EncodeToString([]byte(`{"alg":"dir","enc":"A256GCM","kid":"` + k.ID + `"}`)),
			expires: k.Expires,
			aead:    aead,
			secret:  k.Secret,
		})
	}
	if len(c.signers) == 0 || len(c.sealers) == 0 || c.set.SigningAt(now).ID == "" {
		return nil, fmt.Errorf("jwt: %w", keys.ErrInvalid)
	}
	return c, nil
}

// ErrNoSigningKey is returned by Sign when no key of the codec signs at
// the time given: every one has expired, or is still staged.
var ErrNoSigningKey = errors.New("jwt: no key signs at this time")

// Sign returns the compact JWS of payload, signed with the key that signs
// at now (keys.Set.SigningAt), with its algorithm.
func (c *Codec) Sign(payload []byte, now time.Time) (string, error) {
	s := c.signers[0]
	if kid := c.set.SigningAt(now).ID; kid != s.kid {
		s = nil
		for _, cand := range c.signers {
			if cand.kid == kid {
				s = cand
			}
		}
		if s == nil {
			return "", ErrNoSigningKey
		}
	}
	if s.jose != nil {
		obj, err := s.jose.Sign(payload)
		if err != nil {
			return "", fmt.Errorf("jwt: sign %s: %w", s.alg, err)
		}
		tok, err := obj.CompactSerialize()
		if err != nil {
			return "", fmt.Errorf("jwt: sign %s: %w", s.alg, err)
		}
		return tok, nil
	}
	n := len(s.header) + 1 + b64.EncodedLen(len(payload))
	buf := make([]byte, 0, n+1+b64.EncodedLen(sha512.Size))
	buf = append(buf, s.header...)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, payload)
	mac := s.mac()
	mac.h.Write(buf)
	sig := mac.h.Sum(mac.sum[:0])
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, sig)
	s.pool.Put(mac)
	return string(buf), nil
}

// macState is a keyed HMAC and room for its sum, pooled together so that
// the sum does not escape to the heap through the hash.Hash interface.
type macState struct {
	h   hash.Hash
	sum [sha512.Size]byte
}

func (s *signer) mac() *macState {
	m := s.pool.Get().(*macState)
	m.h.Reset()
	return m
}

// Verify checks the compact JWS token and appends its payload to dst.
func (c *Codec) Verify(dst []byte, token string, now time.Time) ([]byte, error) {
	if strings.ContainsAny(token, "\r\n") { // the strict decoder skips them: one spelling
		return dst, ErrMalformed
	}
	header, rest, ok := strings.Cut(token, ".")
	if !ok {
		return dst, ErrMalformed
	}
	payload, sig, ok := strings.Cut(rest, ".")
	if !ok || strings.IndexByte(sig, '.') >= 0 {
		return dst, ErrMalformed
	}
	s := c.signerFor(header)
	if s == nil {
		return c.verifySlow(dst, token, now)
	}
	if !s.expires.IsZero() && !now.Before(s.expires) {
		return dst, ErrUnknownKey
	}
	if s.public != nil {
		return s.verifyPublic(dst, token)
	}
	var want [sha512.Size]byte
	if b64.DecodedLen(len(sig)) != sha512.Size {
		return dst, ErrSignature
	}
	if _, err := b64.Decode(want[:], unsafeBytes(sig)); err != nil {
		return dst, ErrMalformed
	}
	mac := s.mac()
	mac.h.Write(unsafeBytes(token[:len(header)+1+len(payload)]))
	got := mac.h.Sum(mac.sum[:0])
	equal := hmac.Equal(got, want[:])
	s.pool.Put(mac)
	if !equal {
		return dst, ErrSignature
	}
	out, err := b64.AppendDecode(dst, unsafeBytes(payload))
	if err != nil {
		return dst, ErrMalformed
	}
	return out, nil
}

// KeyExpiry returns when the key that token's protected header names stops
// being accepted (zero: never), for a token whose header is one this codec
// writes, byte for byte (which pins the algorithm and the kid); ok is false
// for any other header. Verify and Decrypt check the expiry themselves:
// KeyExpiry is for a caller that remembers a verified token and must stop
// accepting it when its key expires.
func (c *Codec) KeyExpiry(token string) (expires time.Time, ok bool) {
	header, _, found := strings.Cut(token, ".")
	if !found {
		return time.Time{}, false
	}
	if s := c.signerFor(header); s != nil {
		return s.expires, true
	}
	if s := c.sealerFor(header); s != nil {
		return s.expires, true
	}
	return time.Time{}, false
}

func (c *Codec) signerFor(header string) *signer {
	for _, s := range c.signers {
		if s.header == header {
			return s
		}
	}
	return nil
}

// header is the part of a JOSE protected header the slow paths inspect.
type header struct {
	Alg  string   `json:"alg"`
	Enc  string   `json:"enc"`
	Kid  string   `json:"kid"`
	Crit []string `json:"crit"`
	Zip  string   `json:"zip"`
}

func parseHeader(segment string) (header, error) {
	var h header
	raw, err := b64.DecodeString(segment)
	if err != nil {
		return h, ErrMalformed
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return h, ErrMalformed
	}
	return h, nil
}

// verifySlow handles a header authgen did not write byte for byte: it pins the
// algorithm and kid itself, then lets go-jose verify.
func (c *Codec) verifySlow(dst []byte, token string, now time.Time) ([]byte, error) {
	segment, _, _ := strings.Cut(token, ".")
	h, err := parseHeader(segment)
	if err != nil {
		return dst, err
	}
	if len(h.Crit) > 0 {
		return dst, ErrAlgorithm
	}
	var s *signer
	for _, cand := range c.signers {
		if cand.kid == h.Kid {
			s = cand
		}
	}
	if s == nil {
		// No key of ours: refuse an alg we never accept as such, else the kid.
		if !isSigningAlg(h.Alg) {
			return dst, ErrAlgorithm
		}
		return dst, ErrUnknownKey
	}
	// The key decides the algorithm, never the header alone.
	if h.Alg != string(s.alg) {
		return dst, ErrAlgorithm
	}
	if !s.expires.IsZero() && !now.Before(s.expires) {
		return dst, ErrUnknownKey
	}
	if s.public != nil {
		return s.verifyPublic(dst, token)
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.HS512})
	if err != nil {
		return dst, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	payload, err := jws.Verify(s.secret)
	if err != nil {
		return dst, ErrSignature
	}
	return append(dst, payload...), nil
}

// isSigningAlg reports whether alg is one a key of a set may have.
func isSigningAlg(alg string) bool {
	for _, a := range keys.SigningAlgs {
		if a == alg {
			return true
		}
	}
	return false
}

// verifyPublic verifies token, whose header names s's kid and alg, with
// s's public key through go-jose, allowing s's algorithm only.
func (s *signer) verifyPublic(dst []byte, token string) ([]byte, error) {
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{s.alg})
	if err != nil {
		return dst, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	payload, err := jws.Verify(s.public)
	if err != nil {
		return dst, ErrSignature
	}
	return append(dst, payload...), nil
}

// Encrypt returns the compact JWE of payload under the active encryption key,
// with a fresh random 96-bit IV.
func (c *Codec) Encrypt(payload []byte) (string, error) {
	s := c.sealers[0]
	var iv [12]byte
	if _, err := rand.Read(iv[:]); err != nil {
		return "", fmt.Errorf("jwt: %w", err)
	}
	sealed := s.aead.Seal(make([]byte, 0, len(payload)+s.aead.Overhead()), iv[:], payload, []byte(s.header))
	ct, tag := sealed[:len(payload)], sealed[len(payload):]
	buf := make([]byte, 0, len(s.header)+2+b64.EncodedLen(12)+1+b64.EncodedLen(len(ct))+1+b64.EncodedLen(len(tag)))
	buf = append(buf, s.header...)
	buf = append(buf, '.', '.')
	buf = b64.AppendEncode(buf, iv[:])
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, ct)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, tag)
	return string(buf), nil
}

// Decrypt checks and decrypts the compact JWE token and appends its plaintext
// to dst.
func (c *Codec) Decrypt(dst []byte, token string, now time.Time) ([]byte, error) {
	if strings.ContainsAny(token, "\r\n") { // the strict decoder skips them: one spelling
		return dst, ErrMalformed
	}
	var parts [5]string
	rest := token
	for i := range 4 {
		var ok bool
		parts[i], rest, ok = strings.Cut(rest, ".")
		if !ok {
			return dst, ErrMalformed
		}
	}
	parts[4] = rest
	if strings.IndexByte(rest, '.') >= 0 {
		return dst, ErrMalformed
	}
	s := c.sealerFor(parts[0])
	if s == nil {
		return c.decryptSlow(dst, token, parts[1], now)
	}
	if parts[1] != "" {
		return dst, ErrMalformed // "dir" has an empty encrypted key
	}
	if !s.expires.IsZero() && !now.Before(s.expires) {
		return dst, ErrUnknownKey
	}
	var iv [12]byte
	if b64.DecodedLen(len(parts[2])) != len(iv) {
		return dst, ErrMalformed
	}
	if _, err := b64.Decode(iv[:], unsafeBytes(parts[2])); err != nil {
		return dst, ErrMalformed
	}
	// Decode ciphertext||tag after dst's current contents and open in place.
	start := len(dst)
	buf, err := b64.AppendDecode(dst, unsafeBytes(parts[3]))
	if err != nil {
		return dst, ErrMalformed
	}
	if b64.DecodedLen(len(parts[4])) != s.aead.Overhead() {
		return dst, ErrSignature
	}
	buf, err = b64.AppendDecode(buf, unsafeBytes(parts[4]))
	if err != nil {
		return dst, ErrMalformed
	}
	plain, err := s.aead.Open(buf[start:start], iv[:], buf[start:], unsafeBytes(parts[0]))
	if err != nil {
		return dst, ErrSignature
	}
	return buf[:start+len(plain)], nil
}

func (c *Codec) sealerFor(header string) *sealer {
	for _, s := range c.sealers {
		if s.header == header {
			return s
		}
	}
	return nil
}

// decryptSlow handles a header authgen did not write byte for byte. encKey is
// the token's JWE Encrypted Key segment.
func (c *Codec) decryptSlow(dst []byte, token, encKey string, now time.Time) ([]byte, error) {
	segment, _, _ := strings.Cut(token, ".")
	h, err := parseHeader(segment)
	if err != nil {
		return dst, err
	}
	if h.Alg != string(jose.DIRECT) || h.Enc != string(jose.A256GCM) || len(h.Crit) > 0 || h.Zip != "" {
		return dst, ErrAlgorithm
	}
	var s *sealer
	for _, cand := range c.sealers {
		if cand.kid == h.Kid {
			s = cand
		}
	}
	if s == nil || (!s.expires.IsZero() && !now.Before(s.expires)) {
		return dst, ErrUnknownKey
	}
	if encKey != "" {
		// "dir" has an empty encrypted key (RFC 7518 §4.5); go-jose ignores it.
		return dst, ErrMalformed
	}
	jwe, err := jose.ParseEncryptedCompact(token, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		return dst, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	plain, err := jwe.Decrypt(s.secret)
	if err != nil {
		return dst, ErrSignature
	}
	return append(dst, plain...), nil
}
