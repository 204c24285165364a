// Package password hashes and verifies the passwords of an application's
// own user table, for a credentials provider's Authorize.
//
// New hashes are argon2id (golang.org/x/crypto/argon2) in the PHC string
// format, $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (salt and hash in
// unpadded standard base64), with the parameters of OWASP's Password
// Storage Cheat Sheet: "Use Argon2id with a minimum configuration of
// 19 MiB of memory, an iteration count of 2, and 1 degree of parallelism"
// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
// A 16-byte random salt and a 32-byte key.
//
// Verify also accepts the bcrypt hashes ($2a$, $2b$, $2y$) a table often
// holds already, and reports rehash for them and for argon2id hashes with
// weaker parameters than the Hasher's: the caller stores a new Hash once
// the password is known good, so a table moves to argon2id as its users
// sign in. Every comparison is constant-time; a malformed hash is an error
// (ErrMalformed), never a panic and never a match.
//
// VerifyDummy costs what verifying a password against an argon2id hash of
// the current parameters costs: call it when the user is unknown, so that
// an unknown user and a wrong password take the same time.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Errors of Hash and Verify, for errors.Is.
var (
	// ErrMalformed: the stored hash is not a well-formed hash of a known
	// scheme, or its parameters are outside what Verify computes.
	ErrMalformed = errors.New("password: malformed hash")
	// ErrUnsupported: the stored hash is of a scheme Verify does not know
	// (neither argon2id nor bcrypt).
	ErrUnsupported = errors.New("password: unsupported hash scheme")
	// ErrEmpty: Hash was given an empty password.
	ErrEmpty = errors.New("password: empty password")
)

// OWASP's parameters (see the package doc).
const (
	// DefaultMemory is the memory of an argon2id hash, in KiB (19 MiB).
	DefaultMemory = 19 * 1024
	// DefaultTime is the number of passes over the memory.
	DefaultTime = 2
	// DefaultThreads is the degree of parallelism.
	DefaultThreads = 1
	// SaltLen is the length of a new hash's random salt, in bytes.
	SaltLen = 16
	// KeyLen is the length of a new hash's derived key, in bytes.
	KeyLen = 32
)

// Limits on the parameters of a stored hash: beyond them a hash is
// ErrMalformed rather than computed, so that a hash written by someone
// else cannot make one verification take minutes or gigabytes.
const (
	maxMemory     = 1 << 20 // KiB: 1 GiB
	maxTime       = 64
	maxBcryptCost = 16
	maxKeyLen     = 1024
	maxSaltLen    = 1024
	minSaltLen    = 8
	minKeyLen     = 4
)

// Hasher hashes and verifies passwords. Argon2id is the implementation; a
// test injects its own (one that counts VerifyDummy calls, say) where an
// Authorize takes a Hasher.
type Hasher interface {
	// Hash returns the encoded hash of password, with a new random salt.
	Hash(password string) (string, error)
	// Verify reports whether password matches the encoded hash, and
	// whether the hash should be replaced by a new Hash (ok only): it is
	// bcrypt, or argon2id with weaker parameters. A malformed hash is an
	// error and never ok.
	Verify(hash, password string) (ok, rehash bool, err error)
	// VerifyDummy does the work of a Verify that fails, for a user that
	// does not exist.
	VerifyDummy(password string)
}

// Params are argon2id's parameters.
type Params struct {
	// Memory in KiB, Time in passes, Threads the parallelism.
	Memory  uint32
	Time    uint32
	Threads uint8
}

// DefaultParams returns OWASP's parameters: 19 MiB, 2 passes, 1 thread.
func DefaultParams() Params {
	return Params{Memory: DefaultMemory, Time: DefaultTime, Threads: DefaultThreads}
}

// Argon2id is the Hasher of new argon2id hashes with Params (the zero
// value: DefaultParams).
type Argon2id struct {
	Params Params
}

// params returns the parameters in use.
func (h Argon2id) params() Params {
	if h.Params == (Params{}) {
		return DefaultParams()
	}
	return h.Params
}

// Hash returns password's argon2id hash in the PHC string format.
func (h Argon2id) Hash(password string) (string, error) {
	if password == "" {
		return "", ErrEmpty
	}
	p := h.params()
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, KeyLen)
	return encode(p, salt, key), nil
}

// check refuses parameters argon2 cannot use or Verify would refuse.
func (p Params) check() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("password: Params.Time %d: use 1 to %d (OWASP: %d)", p.Time, maxTime, DefaultTime)
	case p.Threads < 1:
		return fmt.Errorf("password: Params.Threads 0: use at least 1 (OWASP: %d)", DefaultThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("password: Params.Memory %d KiB: use %d to %d (OWASP: %d)", p.Memory, 8*uint32(p.Threads), maxMemory, DefaultMemory)
	}
	return nil
}

// encode writes the PHC string of an argon2id hash.
func encode(p Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify checks password against an argon2id or bcrypt hash (see Hasher).
func (h Argon2id) Verify(hash, password string) (ok, rehash bool, err error) {
	switch {
	case strings.HasPrefix(hash, "$argon2id$"):
		return h.verifyArgon2(hash, password)
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		return verifyBcrypt(hash, password)
	case strings.HasPrefix(hash, "$argon2"), strings.HasPrefix(hash, "$2"):
		return false, false, fmt.Errorf("%w: %s (Verify knows argon2id and bcrypt $2a$, $2b$, $2y$)", ErrUnsupported, scheme(hash))
	}
	return false, false, fmt.Errorf("%w: not a PHC or bcrypt string (it should begin with $argon2id$ or $2b$)", ErrMalformed)
}

// scheme is the identifier of a $-string, for errors: never the hash.
func scheme(hash string) string {
	id, _, _ := strings.Cut(strings.TrimPrefix(hash, "$"), "$")
	if len(id) > 12 {
		id = id[:12] + "…"
	}
	return strconv.Quote("$" + id + "$")
}

// phc is a parsed argon2id PHC string.
type phc struct {
	params    Params
	salt, key []byte
}

// parsePHC parses $argon2id$v=19$m=…,t=…,p=…$salt$hash strictly.
func parsePHC(hash string) (*phc, error) {
	parts := strings.Split(hash, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return nil, fmt.Errorf("%w: argon2id: want $argon2id$v=19$m=…,t=…,p=…$salt$hash", ErrMalformed)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, fmt.Errorf("%w: argon2id: version %q, want v=%d", ErrMalformed, parts[2], argon2.Version)
	}
	var out phc
	var seen [3]bool
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return nil, fmt.Errorf("%w: argon2id: want the parameters m, t and p", ErrMalformed)
	}
	for _, f := range fields {
		name, value, _ := strings.Cut(f, "=")
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil || value == "" || value[0] == '+' || (len(value) > 1 && value[0] == '0') {
			return nil, fmt.Errorf("%w: argon2id: parameter %q is not a decimal number", ErrMalformed, name)
		}
		var i int
		switch name {
		case "m":
			i, out.params.Memory = 0, uint32(n)
		case "t":
			i, out.params.Time = 1, uint32(n)
		case "p":
			if n > 255 {
				return nil, fmt.Errorf("%w: argon2id: p=%d above 255", ErrMalformed, n)
			}
			i, out.params.Threads = 2, uint8(n)
		default:
			return nil, fmt.Errorf("%w: argon2id: unknown parameter %q", ErrMalformed, name)
		}
		if seen[i] {
			return nil, fmt.Errorf("%w: argon2id: parameter %q twice", ErrMalformed, name)
		}
		seen[i] = true
	}
	if err := out.params.check(); err != nil {
		return nil, fmt.Errorf("%w: argon2id: %w", ErrMalformed, err)
	}
	var err error
	b64 := base64.RawStdEncoding.Strict()
	if out.salt, err = b64.DecodeString(parts[4]); err != nil || len(out.salt) < minSaltLen || len(out.salt) > maxSaltLen {
		return nil, fmt.Errorf("%w: argon2id: the salt is not %d to %d bytes of unpadded base64", ErrMalformed, minSaltLen, maxSaltLen)
	}
	if out.key, err = b64.DecodeString(parts[5]); err != nil || len(out.key) < minKeyLen || len(out.key) > maxKeyLen {
		return nil, fmt.Errorf("%w: argon2id: the hash is not %d to %d bytes of unpadded base64", ErrMalformed, minKeyLen, maxKeyLen)
	}
	return &out, nil
}

// verifyArgon2 checks an argon2id PHC string.
func (h Argon2id) verifyArgon2(hash, password string) (ok, rehash bool, err error) {
	p, err := parsePHC(hash)
	if err != nil {
		return false, false, err
	}
	key := argon2.IDKey([]byte(password), p.salt, p.params.Time, p.params.Memory, p.params.Threads, uint32(len(p.key)))
	if subtle.ConstantTimeCompare(key, p.key) != 1 {
		return false, false, nil
	}
	cur := h.params()
	weaker := p.params.Memory < cur.Memory || p.params.Time < cur.Time || len(p.key) < KeyLen || len(p.salt) < SaltLen
	return true, weaker, nil
}

// verifyBcrypt checks a bcrypt hash; a match always asks for a rehash.
// bcrypt reads only a password's first 72 bytes (x/crypto truncates as
// every implementation does): the argon2id hash that replaces it reads all.
func verifyBcrypt(hash, password string) (ok, rehash bool, err error) {
	cost, err := bcrypt.Cost([]byte(hash))
	if err != nil {
		return false, false, fmt.Errorf("%w: bcrypt: %w", ErrMalformed, err)
	}
	if cost > maxBcryptCost {
		return false, false, fmt.Errorf("%w: bcrypt: cost %d above %d", ErrMalformed, cost, maxBcryptCost)
	}
	switch err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); {
	case err == nil:
		return true, true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, false, nil
	default:
		return false, false, fmt.Errorf("%w: bcrypt: %w", ErrMalformed, err)
	}
}

// dummySalt is the salt of VerifyDummy's derivation: a fixed value is
// enough, nothing is compared to a secret.
var dummySalt = [SaltLen]byte{'a', 'u', 't', 'h', 'g', 'e', 'n', '-', 'd', 'u', 'm', 'm', 'y'}

// VerifyDummy derives an argon2id key from password with the Hasher's
// parameters and compares it, in constant time, with nothing: the cost of
// a failed Verify against a current hash.
func (h Argon2id) VerifyDummy(password string) {
	p := h.params()
	if p.check() != nil {
		p = DefaultParams()
	}
	key := argon2.IDKey([]byte(password), dummySalt[:], p.Time, p.Memory, p.Threads, KeyLen)
	subtle.ConstantTimeCompare(key, make([]byte, KeyLen))
}

// Hash returns password's argon2id hash with DefaultParams.
func Hash(password string) (string, error) { return Argon2id{}.Hash(password) }

// Verify checks password against an argon2id or bcrypt hash with
// DefaultParams as the current parameters (see Hasher.Verify).
func Verify(hash, password string) (ok, rehash bool, err error) {
	return Argon2id{}.Verify(hash, password)
}

// VerifyDummy is Argon2id.VerifyDummy with DefaultParams.
func VerifyDummy(password string) { Argon2id{}.VerifyDummy(password) }
