// Package store defines what authgen keeps in a database — users, their
// provider accounts, sessions and e-mail verification tokens — as small,
// context-first interfaces with Auth.js's method set, and the sentinel errors
// every implementation returns.
//
// authgen generates an implementation for the chosen database; a custom one
// (`authgen add adapter custom`) must pass the conformance suite in
// package storetest.
//
// Secrets never reach a store in the clear: a session is stored by the
// SHA-256 of its cookie token, a verification token by its keyed hash.
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// Errors every store returns, wrapped or not, so callers can branch with
// errors.Is.
var (
	// ErrNotFound: no row matches.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a unique constraint (user e-mail, provider account,
	// session or verification token) already holds the value.
	ErrConflict = errors.New("store: conflict")
)

// User is a person who signs in.
type User struct {
	// ID is assigned by CreateUser when empty (a random UUID).
	ID    string
	Name  string
	Email string
	// EmailVerified is when the address was last proven (nil: never).
	EmailVerified *time.Time
	Image         string
}

// Account links a user to a provider account. Token fields follow Auth.js's
// snake_case schema; ExpiresAt is in seconds since the epoch (0: unknown).
type Account struct {
	UserID string
	// Type is "oauth", "oidc", "email" or "credentials".
	Type              string
	Provider          string
	ProviderAccountID string
	RefreshToken      string
	AccessToken       string
	ExpiresAt         int64
	TokenType         string
	Scope             string
	IDToken           string
	SessionState      string
	// TokenSecret is the OAuth 1.0a token credentials' secret, which signs
	// API requests together with AccessToken.
	TokenSecret string
	// LinkedAt is when the account was linked to its user, as the caller
	// of CreateUserAndAccount or LinkAccount gives it; UpdateAccount keeps
	// it. Zero when unknown: an account stored before authgen recorded it
	// (the SQL migration that added it leaves such rows without one).
	LinkedAt time.Time
}

// Session is a stored session: a database session, or the record of a JWT
// session when JWT sessions are revocable. ID is the SHA-256 of the
// cookie's token, or of the JWT's session ID (see HashToken): a stolen
// database does not yield usable cookies.
type Session struct {
	ID     string
	UserID string
	// Provider is the ID of the provider the user signed in with ("github").
	// Sessions stored before authgen recorded it read as "".
	Provider string
	// Expires is when the session ends unless it is renewed: its last
	// renewal plus the session's maxAge. The server may end it sooner, at
	// the absolute lifetime counted from CreatedAt.
	Expires time.Time
	// CreatedAt is when the user signed in; renewals never move it. Zero
	// for a session stored before authgen recorded it (the SQL and MongoDB
	// migrations that added it set the time of the migration instead).
	CreatedAt time.Time
	// UserAgent and IP are the browser's User-Agent and the client's
	// address at sign-in, shown to the user in their list of sessions.
	// Empty for sessions stored before authgen recorded them.
	UserAgent string
	IP        string
}

// VerificationToken is a one-time e-mail sign-in token, stored hashed.
type VerificationToken struct {
	Identifier string
	// TokenHash is the keyed hash of the token sent by e-mail.
	TokenHash string
	Expires   time.Time
	// Attempts counts the sign-in codes tried against the token
	// (CountVerificationAttempt); a new token has none.
	Attempts int
}

// Users stores users and their accounts.
type Users interface {
	// CreateUser inserts u, assigning u.ID when empty, and returns the
	// stored user. An e-mail address already taken is ErrConflict.
	CreateUser(ctx context.Context, u User) (*User, error)
	// GetUser returns the user with the ID, or ErrNotFound.
	GetUser(ctx context.Context, id string) (*User, error)
	// GetUserByEmail returns the user with the (lower-cased) address, or
	// ErrNotFound.
	GetUserByEmail(ctx context.Context, email string) (*User, error)
	// GetUserByAccount returns the user linked to the provider account, or
	// ErrNotFound.
	GetUserByAccount(ctx context.Context, provider, providerAccountID string) (*User, error)
	// UpdateUser replaces the name, e-mail, e-mail verification time and
	// image of the user with u.ID: ErrNotFound when there is none,
	// ErrConflict when the e-mail address belongs to another user.
	UpdateUser(ctx context.Context, u User) (*User, error)
	// DeleteUser deletes the user with their accounts and sessions.
	// Deleting a missing user is ErrNotFound.
	DeleteUser(ctx context.Context, id string) error

	// CreateUserAndAccount creates u and links a to it atomically: after any
	// failure neither exists. When the account is already linked (a
	// concurrent first sign-in won) it is ErrConflict and nothing is
	// created; the caller then finds the user with GetUserByAccount.
	CreateUserAndAccount(ctx context.Context, u User, a Account) (*User, error)
	// LinkAccount links a to the existing user a.UserID: ErrConflict when
	// the provider account is linked already, ErrNotFound when the user does
	// not exist.
	LinkAccount(ctx context.Context, a Account) error
	// UnlinkAccount removes a provider account; a missing one is ErrNotFound.
	UnlinkAccount(ctx context.Context, provider, providerAccountID string) error
	// UpdateAccount replaces the token fields of an existing account (a
	// refreshed access token, a rotated refresh token): ErrNotFound when the
	// account is not linked.
	UpdateAccount(ctx context.Context, a Account) error
	// ListAccounts returns the user's accounts ordered by provider, then
	// provider account ID; none is an empty slice, not an error.
	ListAccounts(ctx context.Context, userID string) ([]Account, error)
}

// Sessions stores sessions: database sessions, and the records of
// revocable JWT sessions.
type Sessions interface {
	// CreateSession inserts s with every field (Provider, CreatedAt,
	// UserAgent, IP): ErrConflict for an ID in use.
	CreateSession(ctx context.Context, s Session) error
	// GetSessionAndUser returns an unexpired session (at now), with every
	// field as it was created, and its user in one query where the
	// database can join (two reads by key where it cannot), or ErrNotFound
	// — also for an expired session.
	GetSessionAndUser(ctx context.Context, id string, now time.Time) (*Session, *User, error)
	// UpdateSession sets a session's expiry, keeping the rest (its
	// Provider, CreatedAt, UserAgent and IP); a missing one is ErrNotFound.
	UpdateSession(ctx context.Context, id string, expires time.Time) error
	// DeleteSession deletes a session; a missing one is ErrNotFound.
	DeleteSession(ctx context.Context, id string) error
	// DeleteExpiredSessions deletes every session expired at now and
	// returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	// ListSessions returns every session of the user that the store
	// holds, with every field, in any order; expired sessions not yet
	// deleted may be among them. None is an empty slice, not an error.
	ListSessions(ctx context.Context, userID string) ([]Session, error)
	// DeleteUserSessions deletes every session of the user (sign out
	// everywhere) and no other; a user without sessions is no error.
	DeleteUserSessions(ctx context.Context, userID string) error
}

// VerificationTokens stores e-mail sign-in tokens.
type VerificationTokens interface {
	// CreateVerificationToken inserts t with its Attempts (0 for a new
	// token): ErrConflict for a hash in use.
	CreateVerificationToken(ctx context.Context, t VerificationToken) error
	// UseVerificationToken deletes and returns the token, once, with its
	// Attempts: a second use, an unknown token or another identifier's
	// token is ErrNotFound. Expiry is the caller's check, on the returned
	// value.
	UseVerificationToken(ctx context.Context, identifier, tokenHash string) (*VerificationToken, error)
	// CountVerificationAttempt adds one to the Attempts of the
	// identifier's token and returns the token with the new count, without
	// using it up. Every call counts, also concurrent ones: n calls add n,
	// so the caller may compare the count with its limit before checking
	// the code. An unknown or used token, or another identifier's, is
	// ErrNotFound and nothing changes.
	CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (*VerificationToken, error)
}

// TwoFactor is a user's TOTP second factor as a store keeps it: one per
// user, deleted with the user.
type TwoFactor struct {
	UserID string
	// Secret is the TOTP secret sealed by the server (package atrest,
	// bound to the user): the store keeps the text as it is.
	Secret string
	// Enabled is false from BeginTwoFactor until EnableTwoFactor: an
	// enrolment not yet confirmed by a first code asks for nothing at
	// sign-in.
	Enabled bool
	// LastStep is the last TOTP time step used (0: none), so a code is
	// accepted once.
	LastStep int64
	// RecoveryCodes is how many unused recovery codes remain.
	RecoveryCodes int
	// CreatedAt is when BeginTwoFactor ran.
	CreatedAt time.Time
}

// TwoFactors stores TOTP second factors and their recovery codes. It is
// optional: a store that does not implement it cannot serve a project with
// two-factor sign-in, and the server says so when it starts. The attempts
// of a pending sign-in are counted on a verification token
// (VerificationTokens.CountVerificationAttempt), not here.
type TwoFactors interface {
	// BeginTwoFactor stores a new, not yet enabled second factor for the
	// user with the sealed secret, replacing one that is not enabled (with
	// its recovery codes): ErrConflict when the user has an enabled one,
	// ErrNotFound when the user does not exist.
	BeginTwoFactor(ctx context.Context, userID, sealedSecret string, now time.Time) error
	// GetTwoFactor returns the user's second factor, enabled or not, or
	// ErrNotFound.
	GetTwoFactor(ctx context.Context, userID string) (*TwoFactor, error)
	// EnableTwoFactor enables the user's second factor when it is not
	// enabled and its secret is still sealedSecret (the one the first code
	// was checked against), records step as its last used step and stores
	// the recovery codes' hashes, all at once: ErrNotFound when the user
	// has none that is not enabled (none at all, or one enabled already:
	// of two concurrent confirmations one wins) or a BeginTwoFactor
	// replaced the secret meanwhile.
	EnableTwoFactor(ctx context.Context, userID, sealedSecret string, step int64, recoveryHashes []string) error
	// UseTwoFactorStep records step as the last used step of the user's
	// enabled second factor if it is later than the one recorded, atomically:
	// ErrConflict when it is not (the code was used already: a replay; of
	// two concurrent uses of one step exactly one succeeds), ErrNotFound
	// when the user has no enabled second factor.
	UseTwoFactorStep(ctx context.Context, userID string, step int64) error
	// UseRecoveryCode deletes the recovery code with the hash from the
	// user's enabled second factor, once: ErrNotFound when it is not there
	// (used already, another user's, or never issued); of two concurrent
	// uses exactly one succeeds.
	UseRecoveryCode(ctx context.Context, userID, codeHash string) error
	// ReplaceRecoveryCodes replaces every recovery code of the user's
	// enabled second factor with the hashes given: ErrNotFound when the
	// user has no enabled second factor.
	ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error
	// DeleteTwoFactor deletes the user's second factor and its recovery
	// codes: ErrNotFound when there is none.
	DeleteTwoFactor(ctx context.Context, userID string) error
}

// Passkey is a WebAuthn credential (a passkey) registered to a user. A
// passkey is also one of the user's ways to sign in: the server links an
// Account of provider "passkey" whose ProviderAccountID is the credential's
// ID, so linking, the account page and "never remove the last way to sign
// in" treat it as any other account; the credential's own data lives here.
type Passkey struct {
	// ID is the credential ID, base64url without padding: unique across
	// users.
	ID     string
	UserID string
	// Name is the user's label for it ("MacBook"); renamable.
	Name string
	// PublicKey is the credential's COSE public key.
	PublicKey []byte
	// AttestationType is what registration reported ("none", "packed", …).
	AttestationType string
	// AAGUID identifies the authenticator model (16 bytes; zeros when not
	// disclosed).
	AAGUID []byte
	// Transports are the authenticator's transports ("internal",
	// "hybrid", "usb", …) as the browser reported them.
	Transports []string
	// SignCount is the authenticator's signature counter at the last use;
	// synced passkeys always report 0.
	SignCount uint32
	// BackupEligible and BackupState are the authenticator data's BE and
	// BS flags: whether the credential may be, and is, synced.
	BackupEligible, BackupState bool
	// CreatedAt is when it was registered; LastUsedAt when it last signed
	// in (zero: never).
	CreatedAt, LastUsedAt time.Time
}

// Passkeys stores WebAuthn credentials. It is optional, as TwoFactors: a
// store without it cannot serve a project with passkeys, and the server
// says so when it starts. The single use of a ceremony's challenge is a
// verification token (VerificationTokens.UseVerificationToken), not here.
type Passkeys interface {
	// CreatePasskey stores p: ErrConflict for a credential ID in use,
	// ErrNotFound when the user does not exist.
	CreatePasskey(ctx context.Context, p Passkey) error
	// GetPasskey returns the passkey with the credential ID, or
	// ErrNotFound.
	GetPasskey(ctx context.Context, id string) (*Passkey, error)
	// ListPasskeys returns the user's passkeys, oldest first (none: an
	// empty slice and no error).
	ListPasskeys(ctx context.Context, userID string) ([]Passkey, error)
	// UsePasskey records a sign-in with the passkey: its sign count
	// becomes count, its BackupState backupState and its LastUsedAt at —
	// only when its stored count is still prev, atomically: ErrConflict
	// when the count changed meanwhile (of two concurrent uses reporting
	// the same count, one wins), ErrNotFound when there is no such
	// passkey.
	UsePasskey(ctx context.Context, id string, prev, count uint32, backupState bool, at time.Time) error
	// RenamePasskey sets the name of the user's passkey: ErrNotFound when
	// the user has no passkey with that ID.
	RenamePasskey(ctx context.Context, userID, id, name string) error
	// DeletePasskey deletes the user's passkey: ErrNotFound when the user
	// has no passkey with that ID. DeleteUser deletes a user's passkeys
	// too.
	DeletePasskey(ctx context.Context, userID, id string) error
}

// Store is everything authgen keeps.
type Store interface {
	Users
	Sessions
	VerificationTokens
}

// HashToken returns the hex SHA-256 of a session token, the form in which
// it is stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewID returns a random (version 4) UUID, for user IDs.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
