// Package totp implements time-based one-time passwords as authenticator
// apps compute them (RFC 6238 on RFC 4226's HOTP): HMAC-SHA1, a 30-second
// time step and 6 digits, the parameters every app supports and the only
// ones this package offers. It is written here, in a page of standard
// library code, rather than imported, so the runtime's module graph stays
// as it is (docs/ARCHITECTURE.md, "TOTP"); a test of the integration module
// compares it with github.com/pquerna/otp on random secrets and times.
//
// A secret is 20 random bytes (RFC 4226's recommended 160 bits), written
// for people and apps in unpadded base32. The package keeps no state:
// refusing a code whose time step was used already (a replay) is the
// caller's job, with the step that Verify returns (store.TwoFactors).
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6238's default, the one authenticator apps use; HMAC-SHA1 is not broken.
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The parameters of every code: RFC 6238's defaults.
const (
	// Period is the length of a time step.
	Period = 30 * time.Second
	// Digits is the length of a code.
	Digits = 6
	// SecretSize is the length of a secret in bytes.
	SecretSize = 20
)

// Skew is how many time steps before and after the current one Verify
// accepts, for a phone's clock that is a little off and a code typed as it
// changes (RFC 6238 section 5.2 recommends at most one).
const Skew = 1

// ErrSecret: the secret is not unpadded base32 of SecretSize bytes.
var ErrSecret = errors.New("totp: secret is not 32 characters of base32 (20 bytes)")

// encoding is RFC 4648 base32 without padding, as otpauth:// URIs carry it.
var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random secret in unpadded base32 (32 characters).
func NewSecret() string {
	b := make([]byte, SecretSize)
	_, _ = rand.Read(b) // never fails
	return encoding.EncodeToString(b)
}

// decode returns the bytes of a base32 secret, in upper or lower case.
func decode(secret string) ([]byte, error) {
	b, err := encoding.DecodeString(strings.ToUpper(secret))
	if err != nil || len(b) != SecretSize {
		return nil, ErrSecret
	}
	return b, nil
}

// Step returns the time step of t: the number of whole periods since the
// Unix epoch.
func Step(t time.Time) int64 { return t.Unix() / int64(Period/time.Second) }

// Code returns the code of the time step for the secret.
func Code(secret string, step int64) (string, error) {
	key, err := decode(secret)
	if err != nil {
		return "", err
	}
	return code(key, step), nil
}

// code is HOTP (RFC 4226 section 5.3) with the step as counter.
func code(key []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", Digits, n%1_000_000)
}

// Verify checks a code typed at now against the secret, within Skew steps
// either side, and returns the time step it matched. Spaces in the code are
// ignored (apps show "123 456"). A code of the wrong shape, or one that
// matches no step, is ok false. Every candidate step is compared in
// constant time.
func Verify(secret, typed string, now time.Time) (step int64, ok bool, err error) {
	key, err := decode(secret)
	if err != nil {
		return 0, false, err
	}
	typed = strings.ReplaceAll(typed, " ", "")
	if len(typed) != Digits {
		return 0, false, nil
	}
	cur := Step(now)
	for s := cur - Skew; s <= cur+Skew; s++ {
		if subtle.ConstantTimeCompare([]byte(code(key, s)), []byte(typed)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok, nil
}

// URI returns the otpauth:// URI that authenticator apps read from a QR
// code (Google Authenticator's Key Uri Format): the issuer (the
// application's name) and the account (the user's e-mail address or name)
// label the entry in the app.
func URI(issuer, account, secret string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(Digits))
	q.Set("period", fmt.Sprint(int(Period/time.Second)))
	return "otpauth://totp/" + label + "?" + q.Encode()
}
