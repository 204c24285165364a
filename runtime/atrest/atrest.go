// Package atrest seals provider tokens — access, refresh and ID tokens and
// OAuth 1.0a token secrets — before they reach a store, and opens them when
// they come back, so that a copy of the database holds no credential for
// the users' provider accounts.
//
// A sealed value is text that every store keeps as the string it is:
//
//	authgen:v1:<kid>:<base64url(nonce ‖ ciphertext ‖ tag)>
//
// It is AES-256-GCM under a key derived with HKDF-SHA256 from the key set's
// encryption key named by kid (keys.Set.DeriveWithIDs, label
// "provider-tokens", used for nothing else), with a random 96-bit nonce.
// The associated data is the value's prefix and kid, the field's name, the
// provider and the provider account ID, so a value copied into another
// field or into another account's row does not open.
//
// The kid lets a rotated key set read what the keys before it sealed: Open
// uses any key of the set that has not expired, Seal always the active
// one. A value sealed with a key that has expired or was pruned cannot be
// opened (ErrUnknownKey): its account must be signed in to again.
//
// A value that does not start with "authgen:v" was written before authgen
// sealed provider tokens and is returned as it is; the next write of its
// account seals it. The one ambiguity is a token written in the clear that
// itself starts with "authgen:v": it is taken for a sealed value, does not
// open, and reads as absent (its user signs in again, which seals the new
// token). No token authgen writes is ambiguous, because every value is
// sealed, whatever it starts with, and empty values stay empty.
package atrest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/store"
)

// Prefix starts every value Seal returns; the version is the format's.
const Prefix = "authgen:v1:"

// family starts the prefix of every version of the format, past and
// future: a value starting with it is never taken for a plaintext token.
const family = "authgen:v"

// label is the HKDF label of the sealing keys.
const label = "provider-tokens"

// nonceSize and tagSize are AES-GCM's standard nonce and tag lengths.
const (
	nonceSize = 12
	tagSize   = 16
)

// Errors of Open, wrapped in *FieldError by OpenAccount.
var (
	// ErrUnknownKey: the value was sealed with a key the set no longer
	// has, or has but only as an expired, retired key. The token is lost;
	// the user signs in again.
	ErrUnknownKey = errors.New("atrest: sealed with a key that is no longer in the key set")
	// ErrInvalid: the value is not one this key set sealed for this field
	// of this account: altered, truncated, moved from another field or
	// account, or written by a version of authgen this one does not know.
	ErrInvalid = errors.New("atrest: not a sealed value of this field and account")
)

// Field names a sealed field of an account; the names are the columns'.
type Field string

// The fields of store.Account that are sealed. The other fields (provider,
// account ID, type, token type, scope, expiry, OpenID session state) are
// not credentials and stay as they are.
const (
	AccessToken  Field = "access_token"
	RefreshToken Field = "refresh_token"
	IDToken      Field = "id_token"
	TokenSecret  Field = "oauth_token_secret"
)

// Sealer seals with the active encryption key of a key set and opens with
// any of its keys that has not expired. It is safe for concurrent use.
type Sealer struct {
	keys []sealKey // active first
}

type sealKey struct {
	id      string
	expires time.Time // zero: active
	aead    cipher.AEAD
}

// New returns a Sealer for the encryption keys of ks valid at now.
func New(ks *keys.Set, now time.Time) (*Sealer, error) {
	s := &Sealer{}
	for _, d := range ks.DeriveWithIDs(keys.UseEnc, label, now) {
		block, err := aes.NewCipher(d.Secret)
		if err != nil {
			return nil, fmt.Errorf("atrest: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("atrest: %w", err)
		}
		s.keys = append(s.keys, sealKey{id: d.KeyID, expires: d.Expires, aead: aead})
	}
	if len(s.keys) == 0 || !s.keys[0].expires.IsZero() {
		return nil, fmt.Errorf("atrest: no active encryption key: %w", keys.ErrInvalid)
	}
	return s, nil
}

// Seal returns value sealed for field f of the account (provider,
// accountID) under the active key. An empty value stays empty.
func (s *Sealer) Seal(value string, f Field, provider, accountID string) string {
	if value == "" {
		return ""
	}
	k := s.keys[0]
	head := Prefix + k.id + ":"
	buf := make([]byte, nonceSize, nonceSize+len(value)+tagSize)
	_, _ = rand.Read(buf) // never fails
	buf = k.aead.Seal(buf, buf[:nonceSize], []byte(value), associated(head, f, provider, accountID))
	return head + base64.RawURLEncoding.EncodeToString(buf)
}

// Open returns the token that stored holds for field f of the account
// (provider, accountID), checking at now that its key has not expired. A
// value without the format's prefix is returned as it is (written before
// tokens were sealed); an empty one is empty. Errors wrap ErrUnknownKey or
// ErrInvalid and never contain the value.
func (s *Sealer) Open(stored string, f Field, provider, accountID string, now time.Time) (string, error) {
	if !IsSealed(stored) {
		return stored, nil
	}
	rest, ok := strings.CutPrefix(stored, Prefix)
	if !ok {
		return "", fmt.Errorf("%w: unknown format version", ErrInvalid)
	}
	kid, data, ok := strings.Cut(rest, ":")
	if !ok {
		return "", fmt.Errorf("%w: no key ID", ErrInvalid)
	}
	k, ok := s.key(kid)
	if !ok || (!k.expires.IsZero() && !now.Before(k.expires)) {
		return "", fmt.Errorf("%w (kid %.43q)", ErrUnknownKey, kid)
	}
	// The strict decoder still skips CR and LF: refused, so that a sealed
	// value has one spelling.
	raw, err := base64.RawURLEncoding.Strict().DecodeString(data)
	if err != nil || strings.ContainsAny(data, "\r\n") || len(raw) < nonceSize+tagSize {
		return "", fmt.Errorf("%w: malformed", ErrInvalid)
	}
	head := stored[:len(Prefix)+len(kid)+1]
	plain, err := k.aead.Open(raw[nonceSize:nonceSize], raw[:nonceSize], raw[nonceSize:], associated(head, f, provider, accountID))
	if err != nil {
		return "", fmt.Errorf("%w: authentication failed", ErrInvalid)
	}
	return string(plain), nil
}

func (s *Sealer) key(kid string) (sealKey, bool) {
	for _, k := range s.keys {
		if k.id == kid {
			return k, true
		}
	}
	return sealKey{}, false
}

// associated binds a sealed value to its format, key, field and account.
// The field and provider never contain a NUL byte, and the account ID comes
// last, so no two bindings share an encoding.
func associated(head string, f Field, provider, accountID string) []byte {
	return []byte(head + string(f) + "\x00" + provider + "\x00" + accountID)
}

// kidLen is the length of every kid: the base64url of a SHA-256 thumbprint.
const kidLen = 43

// SealedLen returns the length of the sealed form of an n-byte token: what
// a store's column must hold (n > 0). For a 4 KB access token it is 5,554
// bytes; MySQL's TEXT (65,535 bytes) holds the sealed form of a token of
// up to 49,082 bytes.
func SealedLen(n int) int {
	return len(Prefix) + kidLen + 1 + base64.RawURLEncoding.EncodedLen(nonceSize+n+tagSize)
}

// IsSealed reports whether stored is in the sealed format (of any version),
// as opposed to a token written in the clear.
func IsSealed(stored string) bool { return strings.HasPrefix(stored, family) }

// KeyID returns the kid a sealed value names, or "" for any other value.
func KeyID(stored string) string {
	rest, ok := strings.CutPrefix(stored, Prefix)
	if !ok {
		return ""
	}
	kid, _, ok := strings.Cut(rest, ":")
	if !ok {
		return ""
	}
	return kid
}

// SealAccount seals a's token fields in place, bound to a.Provider and
// a.ProviderAccountID.
func (s *Sealer) SealAccount(a *store.Account) {
	for _, f := range fieldsOf(a) {
		*f.value = s.Seal(*f.value, f.name, a.Provider, a.ProviderAccountID)
	}
}

// OpenAccount opens a's token fields in place. A field that does not open
// is cleared — it reads as absent — and the error joins a *FieldError for
// each such field; the other fields are opened all the same.
func (s *Sealer) OpenAccount(a *store.Account, now time.Time) error {
	var errs []error
	for _, f := range fieldsOf(a) {
		v, err := s.Open(*f.value, f.name, a.Provider, a.ProviderAccountID, now)
		if err != nil {
			errs = append(errs, &FieldError{Field: f.name, KeyID: KeyID(*f.value), Err: err})
		}
		*f.value = v
	}
	return errors.Join(errs...)
}

// FieldError is a field of an account that did not open.
type FieldError struct {
	Field Field
	// KeyID is the kid the stored value names ("" when it names none).
	KeyID string
	// Err wraps ErrUnknownKey or ErrInvalid.
	Err error
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %v", e.Field, e.Err) }

func (e *FieldError) Unwrap() error { return e.Err }

type field struct {
	name  Field
	value *string
}

func fieldsOf(a *store.Account) []field {
	return []field{
		{AccessToken, &a.AccessToken},
		{RefreshToken, &a.RefreshToken},
		{IDToken, &a.IDToken},
		{TokenSecret, &a.TokenSecret},
	}
}
