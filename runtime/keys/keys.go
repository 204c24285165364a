// Package keys holds authgen's key set: the JSON Web Key Set (RFC 7517) that
// signs and encrypts session tokens and from which every other secret is
// derived.
//
// A set always holds at least one signing key (oct, HS512, "use":"sig") and one
// encryption key (oct, A256GCM, "use":"enc"). Every key's "kid" is its RFC 7638
// thumbprint. The first key of each use without an "exp" member is the active
// one; keys with "exp" are verify-only and may be pruned once that time has
// passed. The set is written by `authgen init` and `authgen keys rotate`, never
// at application start.
package keys

import (
	"bytes"
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

// Key is one symmetric key of the set.
type Key struct {
	// ID is the RFC 7638 SHA-256 thumbprint of the key, base64url-encoded.
	ID string
	// Use is UseSig or UseEnc.
	Use string
	// Alg is AlgHS512 for signing keys and AlgA256GCM for encryption keys.
	Alg string
	// Secret is the raw key material: 64 bytes for HS512, 32 for A256GCM.
	Secret []byte
	// Expires is zero for an active key. A retired key verifies and decrypts
	// until Expires and may be pruned after it.
	Expires time.Time
}

// Active reports whether the key signs or encrypts new tokens.
func (k Key) Active() bool { return k.Expires.IsZero() }

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

// Signing returns the active signing key.
func (s *Set) Signing() Key { return s.active(UseSig) }

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

// Valid returns the keys of a use that still verify at now, active key first.
func (s *Set) Valid(use string, now time.Time) []Key {
	var out []Key
	for _, k := range s.keys {
		if k.Use == use && (k.Active() || now.Before(k.Expires)) {
			out = append(out, k)
		}
	}
	return out
}

// Derive returns one 32-byte secret per signing key still valid at now,
// derived with HKDF-SHA256 under label, the active key's first. Each purpose
// (CSRF, email tokens, …) uses its own label, so no two share a secret.
func (s *Set) Derive(label string, now time.Time) [][]byte {
	sig := s.Valid(UseSig, now)
	out := make([][]byte, 0, len(sig))
	for _, k := range sig {
		out = append(out, derive(k.Secret, label))
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
		out = append(out, Derived{KeyID: k.ID, Secret: derive(k.Secret, label), Expires: k.Expires})
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

// Rotate makes a new active key for each use. The keys they replace become
// verify-only until now+keep, which should be at least the longest lifetime of
// a token they signed (the session maxAge).
func (s *Set) Rotate(now time.Time, keep time.Duration) error {
	var fresh []Key
	for _, use := range []string{UseSig, UseEnc} {
		k, err := newKey(use)
		if err != nil {
			return err
		}
		fresh = append(fresh, k)
	}
	for i := range s.keys {
		if s.keys[i].Active() {
			s.keys[i].Expires = now.Add(keep).Truncate(time.Second)
		}
	}
	s.keys = append(fresh, s.keys...)
	return nil
}

// Prune removes retired keys whose Expires has passed and returns how many it
// removed.
func (s *Set) Prune(now time.Time) int {
	n := len(s.keys)
	s.keys = slices.DeleteFunc(s.keys, func(k Key) bool { return !k.Active() && !now.Before(k.Expires) })
	return n - len(s.keys)
}

// jwk is the on-disk form of one key. go-jose parses and checks the key
// material; exp is authgen's retirement time (RFC 7517 §4 allows extra members).
type jwk struct {
	Kty string `json:"kty"`
	K   string `json:"k"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Exp int64  `json:"exp,omitempty"`
}

type jwks struct {
	Keys []json.RawMessage `json:"keys"`
}

// Parse reads a JWK set and checks every key: type oct, the algorithm pinned
// to its use, the right size, kid equal to the thumbprint, and one active key
// per use.
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
		secret, ok := parsed.Key.([]byte)
		if !ok || meta.Kty != "oct" {
			return nil, fmt.Errorf("%w: key %d: kty must be oct", ErrInvalid, i)
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
		k := Key{ID: kid, Use: meta.Use, Alg: meta.Alg, Secret: secret}
		if meta.Exp != 0 {
			k.Expires = time.Unix(meta.Exp, 0)
		}
		s.keys = append(s.keys, k)
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
		Keys []jwk `json:"keys"`
	}{Keys: []jwk{}}
	for _, k := range s.keys {
		j := jwk{Kty: "oct", K: base64URL(k.Secret), Kid: k.ID, Use: k.Use, Alg: k.Alg}
		if !k.Active() {
			j.Exp = k.Expires.Unix()
		}
		out.Keys = append(out.Keys, j)
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
