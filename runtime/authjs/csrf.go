package authjs

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/url"
	"strings"
	"unicode/utf8"
)

// CSRF issues and checks Auth.js's double-submit CSRF cookie, whose value
// is token|hash with token 32 random bytes in lower-case hex and hash the
// hex SHA-256 of token followed by the secret (@auth/core
// lib/actions/callback/oauth/csrf-token.ts, next-auth 4
// core/lib/csrf-token.ts). The secret is the string Auth.js interpolates:
// @auth/core's secret array joined with "," (JavaScript's
// Array.prototype.toString), next-auth 4's one secret. So, unlike the
// session token, a CSRF cookie does not survive a rotation: the next
// request gets a new one, as with Auth.js.
//
// Cookie values are URL-encoded as Auth.js writes them (the "|" is %7C);
// Parse reads either form. It is safe for concurrent use.
type CSRF struct {
	secret string
}

// NewCSRF returns the CSRF protector for secrets, as the codec's.
func NewCSRF(secrets []string) *CSRF { return &CSRF{secret: strings.Join(secrets, ",")} }

func (p *CSRF) hash(token string) string {
	sum := sha256.Sum256([]byte(token + p.secret))
	return hex.EncodeToString(sum[:])
}

// Issue returns a new token and the cookie value binding it, URL-encoded.
func (p *CSRF) Issue() (token, cookie string) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails
	token = hex.EncodeToString(b[:])
	return token, EncodeCookieValue(token + "|" + p.hash(token))
}

// Parse returns the token of a CSRF cookie value whose hash is valid.
func (p *CSRF) Parse(cookie string) (token string, ok bool) {
	token, hash, found := strings.Cut(DecodeCookieValue(cookie), "|")
	if !found || len(token) != 64 || len(hash) != 64 {
		return "", false
	}
	if subtle.ConstantTimeCompare([]byte(p.hash(token)), []byte(hash)) != 1 {
		return "", false
	}
	return token, true
}

// Verify reports whether submitted is the token of a valid cookie.
func (p *CSRF) Verify(cookie, submitted string) bool {
	token, ok := p.Parse(cookie)
	return ok && len(submitted) == len(token) && subtle.ConstantTimeCompare([]byte(token), []byte(submitted)) == 1
}

// EncodeCookieValue encodes a cookie value as Auth.js's cookie serializer
// does, with JavaScript's encodeURIComponent: every byte but ASCII letters,
// digits and -_.!~*'() is percent-encoded (UTF-8, upper-case hex).
func EncodeCookieValue(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// DecodeCookieValue decodes a cookie value as Auth.js's cookie parser does:
// one holding a "%" is percent-decoded (decodeURIComponent: "+" stays "+"),
// and kept as it is when that fails.
func DecodeCookieValue(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	d, err := url.PathUnescape(s)
	if err != nil || !utf8.ValidString(d) {
		return s
	}
	return d
}
