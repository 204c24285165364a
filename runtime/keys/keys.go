// Package keys holds authgen's key set: the JSON Web Key Set (RFC 7517) that
// signs and encrypts session tokens and from which every other secret is
// derived.
//
// A set always holds at least one signing key ("use":"sig") and one
// encryption key (oct, A256GCM, "use":"enc"). A signing key is symmetric (oct,
// HS512, the default) or asymmetric (ES256, EdDSA over Ed25519, RS256 or
// PS256, stored as a private JWK; see asymmetric.go). Every key's "kid" is its
// RFC 7638 thumbprint — of the public key for an asymmetric one. Keys with an
// "exp" member are retired: they verify until then and may be pruned after.
// An asymmetric key added by a rotation is staged: its "nbf" member says when
// it starts signing (StagingPeriod after it was added, its "iat"), so that it
// is published at {basePath}/jwks for a whole JWKS cache lifetime before any
// token carries its kid. The set is written by `authgen init` and `authgen
// keys rotate`, never at application start.
package keys

import (
	"bytes"
	"crypto"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Key uses and algorithms recorded in the set.
const (
	UseSig = "sig"
	UseEnc = "enc"

	AlgHS512   = "HS512"
	AlgA256GCM = "A256GCM"
	// Asymmetric signing algorithms (RFC 7518 §3, RFC 8037 for EdDSA).
	AlgES256 = "ES256"
	AlgEdDSA = "EdDSA"
	AlgRS256 = "RS256"
	AlgPS256 = "PS256"
)

// SigningAlgs are the signing algorithms a key of the set may have, HS512
// (the default) first.
var SigningAlgs = []string{AlgHS512, AlgES256, AlgEdDSA, AlgRS256, AlgPS256}

// JWKSMaxAge is how long a service may cache the public key set
// ({basePath}/jwks answers Cache-Control: public, max-age of it), and
// StagingPeriod how long a new asymmetric key is published before it signs:
// the same, so that a service whose cached set predates the key has
// fetched it again before it meets a token that names it.
const (
	JWKSMaxAge    = time.Hour
	StagingPeriod = JWKSMaxAge
)

// Environment variables and the default file the application reads keys from.
const (
	EnvKeys     = "AUTH_KEYS"
	EnvKeysFile = "AUTH_KEYS_FILE"
	DefaultFile = "authgen.keys.json"
)

// Sentinel errors callers branch on.
var (
	// ErrNoKeys reports that no key set was found in the environment or on disk.
	ErrNoKeys = errors.New("keys: no key set found")
	// ErrInvalid reports a key set that cannot be used: malformed JSON, a key of
	// the wrong size or algorithm, a kid that is not the key's thumbprint, or a
	// use without an active key.
	ErrInvalid = errors.New("keys: invalid key set")
	// ErrExposed reports a key file that users other than its owner can
	// read (mode & 0o077 != 0): the keys still work, but anyone who read
	// them can forge sessions. Set.Warning and CheckFile wrap it.
	ErrExposed = errors.New("keys: key file readable by group or others")
)

// Key is one key of the set.
type Key struct {
	// ID is the RFC 7638 SHA-256 thumbprint of the key (of its public key
	// when it is asymmetric), base64url-encoded.
	ID string
	// Use is UseSig or UseEnc.
	Use string
	// Alg is the signing algorithm of a signing key (one of SigningAlgs) and
	// AlgA256GCM for encryption keys.
	Alg string
	// Secret is the raw key material of a symmetric key: 64 bytes for HS512,
	// 32 for A256GCM; nil for an asymmetric key.
	Secret []byte
	// Private is an asymmetric signing key: ed25519.PrivateKey for EdDSA,
	// *ecdsa.PrivateKey (P-256) for ES256, *rsa.PrivateKey for RS256 and
	// PS256; nil for a symmetric key.
	Private crypto.Signer
	// Added is when a rotation added the key ("iat"); zero for keys from
	// Generate and for sets written before authgen recorded it.
	Added time.Time
	// NotBefore is when the key starts signing ("nbf"): zero, or a time
	// already passed, for a key that signs as soon as it is the newest; a
	// staged asymmetric key's Added + StagingPeriod.
	NotBefore time.Time
	// Expires is zero for a key not retired. A retired key verifies and
	// decrypts until Expires and may be pruned after it.
	Expires time.Time
}

// Active reports whether the key is not retired: it signs or encrypts new
// tokens, or will once it is no longer staged (see Set.SigningAt).
func (k Key) Active() bool { return k.Expires.IsZero() }

// Asymmetric reports whether k is a public-key signing key.
func (k Key) Asymmetric() bool { return k.Private != nil }

// Staged reports whether k, a key not retired, does not sign yet at now.
func (k Key) Staged(now time.Time) bool { return now.Before(k.NotBefore) }

// Public returns the public key of an asymmetric key (nil for a symmetric
// one).
func (k Key) Public() crypto.PublicKey {
	if k.Private == nil {
		return nil
	}
	return k.Private.Public()
}

// expired reports whether k is retired and its time has passed at now.
func (k Key) expired(now time.Time) bool { return !k.Expires.IsZero() && !now.Before(k.Expires) }

// Set is an ordered key set. Its zero value is empty; use Generate or Parse.
type Set struct {
	keys []Key
	// warning is what Warning reports.
	warning error
}

// Warning reports a problem with where the set was read from that does not
// stop its use: a file readable by group or others (ErrExposed), with its
// name, its mode and the fix. It is nil for a set from Generate, Parse or
// AUTH_KEYS. Applications log it at start; the CLI prints it.
func (s *Set) Warning() error { return s.warning }

// keySize is the secret length for each algorithm.
var keySize = map[string]int{AlgHS512: 64, AlgA256GCM: 32}

// algForUse is the only algorithm authgen accepts for each use.
var algForUse = map[string]string{UseSig: AlgHS512, UseEnc: AlgA256GCM}

// Generate returns a new set with one fresh signing and one fresh encryption key.
func Generate() (*Set, error) {
	sig, err := newKey(UseSig)
	if err != nil {
		return nil, err
	}
	enc, err := newKey(UseEnc)
	if err != nil {
		return nil, err
	}
	return &Set{keys: []Key{sig, enc}}, nil
}

func newKey(use string) (Key, error) {
	alg := algForUse[use]
	secret := make([]byte, keySize[alg])
	if _, err := rand.Read(secret); err != nil {
		return Key{}, fmt.Errorf("keys: generate: %w", err)
	}
	return Key{ID: thumbprint(secret), Use: use, Alg: alg, Secret: secret}, nil
}

// thumbprint computes the RFC 7638 thumbprint of an oct key: SHA-256 over the
// JSON object of its required members in lexicographic order, {"k":…,"kty":"oct"}
// (RFC 7638 §3.2; go-jose computes thumbprints for asymmetric keys only).
func thumbprint(secret []byte) string {
	sum := sha256.Sum256([]byte(`{"k":"` + base64URL(secret) + `","kty":"oct"}`))
	return base64URL(sum[:])
}

// Keys returns a copy of the keys in order.
func (s *Set) Keys() []Key { return slices.Clone(s.keys) }

// Signing returns the newest signing key that is not retired: the one that
// signs, or, while it is staged, the one that will (SigningAt gives the key
// that signs at a given time).
func (s *Set) Signing() Key { return s.active(UseSig) }

// SigningAt returns the key that signs at now: the first signing key not
// retired and not staged; while every such key is staged, the first retired
// key still valid and not staged (the key a staged one replaces keeps
// signing until it takes over). It is the zero Key when none can sign.
func (s *Set) SigningAt(now time.Time) Key {
	for _, k := range s.keys {
		if k.Use == UseSig && k.Active() && !k.Staged(now) {
			return k
		}
	}
	for _, k := range s.keys {
		if k.Use == UseSig && !k.expired(now) && !k.Staged(now) {
			return k
		}
	}
	return Key{}
}

// NextChange returns the first time after now at which the keys of a use
// change — a staged key starts signing, a retired key expires — so that
// Valid(use, now), and for UseSig SigningAt and Derive, hold until then. It
// is the zero time when nothing is scheduled.
func (s *Set) NextChange(use string, now time.Time) time.Time {
	var next time.Time
	earlier := func(t time.Time) {
		if now.Before(t) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, k := range s.keys {
		if k.Use != use {
			continue
		}
		earlier(k.NotBefore)
		if !k.Expires.IsZero() {
			earlier(k.Expires)
		}
	}
	return next
}

// State is a signing key's state at a time, for `authgen keys list`.
type State string

// The states of a key.
const (
	StateSigning   State = "signing"
	StateStaged    State = "staged"
	StateVerifying State = "verifying only"
	StateExpired   State = "expired"
	// StateActive is an encryption key's that encrypts.
	StateActive State = "active"
)

// State returns the state of the key with kid at now: signing (or active,
// for an encryption key), staged (published, verifying, not signing yet),
// verifying only, or expired (to prune).
func (s *Set) State(kid string, now time.Time) State {
	for _, k := range s.keys {
		if k.ID != kid {
			continue
		}
		switch {
		case k.expired(now):
			return StateExpired
		case k.Use == UseSig && s.SigningAt(now).ID == kid:
			return StateSigning
		case k.Use == UseEnc && s.active(UseEnc).ID == kid:
			return StateActive
		case k.Active() && k.Staged(now):
			return StateStaged
		}
		return StateVerifying
	}
	return ""
}

// Encryption returns the active encryption key.
func (s *Set) Encryption() Key { return s.active(UseEnc) }

func (s *Set) active(use string) Key {
	for _, k := range s.keys {
		if k.Use == use && k.Active() {
			return k
		}
	}
	return Key{}
}

// Valid returns the keys of a use that still verify at now (staged keys
// too), the key that signs or encrypts at now first.
func (s *Set) Valid(use string, now time.Time) []Key {
	first := s.active(UseEnc)
	if use == UseSig {
		first = s.SigningAt(now)
	}
	var out []Key
	if first.ID != "" {
		out = append(out, first)
	}
	for _, k := range s.keys {
		if k.Use == use && !k.expired(now) && k.ID != first.ID {
			out = append(out, k)
		}
	}
	return out
}

// Derive returns one 32-byte secret per signing key still valid at now,
// derived with HKDF-SHA256 under label, the signing key's first. Each purpose
// (CSRF, email tokens, …) uses its own label, so no two share a secret. An
// asymmetric key's secrets are derived from its private key (material), so
// a set whose signing key is ES256 needs no symmetric key besides.
func (s *Set) Derive(label string, now time.Time) [][]byte {
	sig := s.Valid(UseSig, now)
	out := make([][]byte, 0, len(sig))
	for _, k := range sig {
		out = append(out, derive(k.material(), label))
	}
	return out
}

// Derived is a secret derived from one key of the set, with that key's ID
// and expiry.
type Derived struct {
	// KeyID is the kid of the key the secret was derived from.
	KeyID string
	// Secret is the 32-byte derived secret.
	Secret []byte
	// Expires is the key's: zero for the active key.
	Expires time.Time
}

// DeriveWithIDs returns one 32-byte secret per key of use still valid at
// now, derived with HKDF-SHA256 under label as Derive does, the active
// key's first, each with the kid and expiry of its key: for secrets whose
// output must name the key it came from, so that it can be read again
// after a rotation (provider tokens at rest, under UseEnc). A label used
// here must not also be used with Derive.
func (s *Set) DeriveWithIDs(use, label string, now time.Time) []Derived {
	valid := s.Valid(use, now)
	out := make([]Derived, 0, len(valid))
	for _, k := range valid {
		out = append(out, Derived{KeyID: k.ID, Secret: derive(k.material(), label), Expires: k.Expires})
	}
	return out
}

// derive is HKDF-SHA256 of secret with the info "authgen "+label.
func derive(secret []byte, label string) []byte {
	d, err := hkdf.Key(sha256.New, secret, nil, "authgen "+label, 32)
	if err != nil { // only for impossible lengths
		panic(err)
	}
	return d
}

// Rotate makes a new HS512 signing key and a new encryption key, active at
// once. The keys they replace become verify-only until now+keep, which
// should be at least the longest lifetime of a token they signed (the
// session maxAge).
func (s *Set) Rotate(now time.Time, keep time.Duration) error {
	return s.RotateWith(now, RotateOptions{Keep: keep})
}

// RotateOptions configure RotateWith.
type RotateOptions struct {
	// Alg is the new signing key's algorithm, one of SigningAlgs; empty is
	// AlgHS512.
	Alg string
	// Keep is how long the replaced keys verify after the new ones take
	// over: at least the session maxAge, or the sessions they signed end
	// early.
	Keep time.Duration
	// Now makes a new asymmetric key sign at once instead of after
	// StagingPeriod: a service whose cached JWKS predates it refuses the
	// new tokens (unknown kid) until its cache expires or it fetches the
	// set again.
	Now bool
}

// ErrAlg reports a signing algorithm authgen does not make keys for.
var ErrAlg = errors.New("keys: unknown signing algorithm")

// ErrKeep reports a negative RotateOptions.Keep: the replaced signing key
// would expire before the new one takes over (a staged key), leaving a
// time when no key signs and no CSRF token can be issued.
var ErrKeep = errors.New("keys: Keep is negative: give how long the replaced keys verify, or 0 to end them when the new ones take over")

// RotateWith makes a new signing key of o.Alg and a new encryption key.
// The encryption key encrypts at once. An HS512 key signs at once; an
// asymmetric one is staged: it is published and verifies at once, and
// signs from now + StagingPeriod (at once with o.Now). The keys replaced
// become verify-only until the new signing key takes over plus o.Keep, so
// some key signs at every time: a negative Keep is ErrKeep, and the set is
// unchanged.
func (s *Set) RotateWith(now time.Time, o RotateOptions) error {
	if o.Keep < 0 {
		return fmt.Errorf("%w (%s)", ErrKeep, o.Keep)
	}
	alg := o.Alg
	if alg == "" {
		alg = AlgHS512
	}
	now = now.Truncate(time.Second)
	var sig Key
	var err error
	if alg == AlgHS512 {
		sig, err = newKey(UseSig)
	} else {
		sig, err = newAsymmetric(alg)
	}
	if err != nil {
		return err
	}
	enc, err := newKey(UseEnc)
	if err != nil {
		return err
	}
	sig.Added, enc.Added = now, now
	takesOver := now
	if sig.Asymmetric() && !o.Now {
		takesOver = now.Add(StagingPeriod)
		sig.NotBefore = takesOver
	}
	for i := range s.keys {
		if !s.keys[i].Active() {
			continue
		}
		switch s.keys[i].Use {
		case UseSig:
			s.keys[i].Expires = takesOver.Add(o.Keep)
		case UseEnc:
			s.keys[i].Expires = now.Add(o.Keep)
		}
	}
	s.keys = append([]Key{sig, enc}, s.keys...)
	return nil
}

// Prune removes retired keys whose Expires has passed and returns how many it
// removed.
func (s *Set) Prune(now time.Time) int {
	n := len(s.keys)
	s.keys = slices.DeleteFunc(s.keys, func(k Key) bool { return k.expired(now) })
	return n - len(s.keys)
}

// jwk is the on-disk form of one key. go-jose parses and checks the key
// material; exp is authgen's retirement time, iat when a rotation added the
// key and nbf when it starts signing (RFC 7517 §4 allows extra members; all
// three are NumericDates, and a set without iat or nbf is read as before).
type jwk struct {
	Kty string `json:"kty"`
	K   string `json:"k,omitempty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Iat int64  `json:"iat,omitempty"`
	Nbf int64  `json:"nbf,omitempty"`
	Exp int64  `json:"exp,omitempty"`
}

type jwks struct {
	Keys []json.RawMessage `json:"keys"`
}

// Parse reads a JWK set and checks every key: type oct with the algorithm
// pinned to its use and the right size, or an asymmetric private signing key
// of a type its algorithm requires (parseAsymmetric); kid equal to the
// thumbprint; and one active key per use.
func Parse(data []byte) (*Set, error) {
	var set jwks
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	s := &Set{}
	for i, raw := range set.Keys {
		var meta jwk
		if err := json.Unmarshal(raw, &meta); err != nil {
			return nil, fmt.Errorf("%w: key %d: %w", ErrInvalid, i, err)
		}
		var parsed jose.JSONWebKey
		if err := parsed.UnmarshalJSON(raw); err != nil {
			return nil, fmt.Errorf("%w: key %d: %w", ErrInvalid, i, err)
		}
		times := func(k Key) Key {
			if meta.Iat != 0 {
				k.Added = time.Unix(meta.Iat, 0)
			}
			if meta.Nbf != 0 {
				k.NotBefore = time.Unix(meta.Nbf, 0)
			}
			if meta.Exp != 0 {
				k.Expires = time.Unix(meta.Exp, 0)
			}
			return k
		}
		if meta.Kty != "oct" {
			k, err := parseAsymmetric(meta, &parsed)
			if err != nil {
				return nil, fmt.Errorf("%w: key %d: %w", ErrInvalid, i, err)
			}
			s.keys = append(s.keys, times(k))
			continue
		}
		secret, ok := parsed.Key.([]byte)
		if !ok {
			return nil, fmt.Errorf("%w: key %d: kty must be oct, EC, OKP or RSA", ErrInvalid, i)
		}
		if want, ok := algForUse[meta.Use]; !ok || want != meta.Alg {
			return nil, fmt.Errorf("%w: key %d: use %q with alg %q (want sig/HS512 or enc/A256GCM)", ErrInvalid, i, meta.Use, meta.Alg)
		}
		if len(secret) != keySize[meta.Alg] {
			return nil, fmt.Errorf("%w: key %d: %s key must be %d bytes, not %d", ErrInvalid, i, meta.Alg, keySize[meta.Alg], len(secret))
		}
		kid := thumbprint(secret)
		if meta.Kid != kid {
			return nil, fmt.Errorf("%w: key %d: kid %q is not the key's RFC 7638 thumbprint", ErrInvalid, i, meta.Kid)
		}
		s.keys = append(s.keys, times(Key{ID: kid, Use: meta.Use, Alg: meta.Alg, Secret: secret}))
	}
	for _, use := range []string{UseSig, UseEnc} {
		if s.active(use).ID == "" {
			return nil, fmt.Errorf("%w: no active %q key", ErrInvalid, use)
		}
	}
	return s, nil
}

// MarshalJSON writes the set as a JWK set, keys in order.
func (s *Set) MarshalJSON() ([]byte, error) {
	out := struct {
		Keys []json.RawMessage `json:"keys"`
	}{Keys: []json.RawMessage{}}
	for _, k := range s.keys {
		j := jwk{Kty: "oct", K: base64URL(k.Secret), Kid: k.ID, Use: k.Use, Alg: k.Alg}
		unix := func(t time.Time) int64 {
			if t.IsZero() {
				return 0
			}
			return t.Unix()
		}
		j.Iat, j.Nbf, j.Exp = unix(k.Added), unix(k.NotBefore), unix(k.Expires)
		var raw []byte
		var err error
		if k.Asymmetric() {
			raw, err = marshalAsymmetric(k, j)
		} else {
			raw, err = json.Marshal(j)
		}
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		out.Keys = append(out.Keys, raw)
	}
	return json.MarshalIndent(out, "", "  ")
}

// Load finds the key set the way a generated application does: the JWK set in
// $AUTH_KEYS, else the file named by $AUTH_KEYS_FILE, else ./authgen.keys.json.
// It returns where the keys came from, for messages. A missing set is
// ErrNoKeys; getenv is usually os.Getenv.
func Load(getenv func(string) string) (*Set, string, error) {
	if v := getenv(EnvKeys); v != "" {
		s, err := Parse([]byte(v))
		if err != nil {
			return nil, EnvKeys, fmt.Errorf("%s: %w", EnvKeys, err)
		}
		return s, EnvKeys, nil
	}
	path := DefaultFile
	if v := getenv(EnvKeysFile); v != "" {
		path = v
	}
	s, err := ReadFile(path)
	return s, path, err
}

// ReadFile parses the key set in the named file. A missing file is ErrNoKeys.
// A file readable by group or others is read, and the set's Warning says so.
func ReadFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s does not exist", ErrNoKeys, path)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.warning = checkMode(path, fi.Mode())
	return s, nil
}

// CheckFile reports whether the key file at path is readable by group or
// others: an error wrapping ErrExposed that names the file, its mode and the
// fix, or nil (also for a missing file, and on Windows, whose permissions
// file modes do not describe).
func CheckFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	return checkMode(path, fi.Mode())
}

func checkMode(path string, mode fs.FileMode) error {
	if runtime.GOOS == "windows" || mode.Perm()&0o077 == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s has mode %04o; run chmod 600 %s", ErrExposed, path, mode.Perm(), path)
}

// WriteFile writes the set to path with mode 0600, replacing the file in one
// rename so that a crash never leaves half a key set.
func (s *Set) WriteFile(path string) error {
	data, err := s.MarshalJSON()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".authgen.keys-*")
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	return nil
}

func base64URL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// MarshalCompact writes the set as single-line JSON, for AUTH_KEYS.
func (s *Set) MarshalCompact() ([]byte, error) {
	data, err := s.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Clone returns a copy of the set that later rotations and prunes of s do
// not change (the keys' material is shared: it is never written).
func (s *Set) Clone() *Set { return &Set{keys: slices.Clone(s.keys), warning: s.warning} }
