// This file is yours: authgen wrote it once and never changes it.

package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// CustomStore keeps authgen's users, their provider accounts, database sessions
// and e-mail sign-in tokens in a database of your choice. Its methods are the
// interfaces of package github.com/authgen/authgen/runtime/store, and the
// comment on each says what it must do. They are called from many goroutines at
// once.
//
// Where a comment asks for store.ErrNotFound or store.ErrConflict, return an
// error that wraps it, such as fmt.Errorf("user %s: %w", id,
// store.ErrNotFound): authgen tells them apart with errors.Is. Any other error
// is an outage: sign-ins fail with an error page and session checks answer 503.
//
// Times (EmailVerified, Expires, CreatedAt) must come back as the same instant
// to the millisecond at least, in any time zone. Strings must come back byte
// for byte, including emoji and access tokens of several kilobytes.
//
// A method that still returns errors.ErrUnsupported is reported by the
// conformance test in store_test.go as "<Method> is not implemented": implement
// them until `go test ./auth/` passes.
type CustomStore struct {
	// Your database handle goes here, such as db *sql.DB or a client.
}

// CustomStore must be a store.Store: the build fails until every method exists
// with the interface's signature.
var _ store.Store = (*CustomStore)(nil)

// OpenCustomStore opens the database at databaseURL and returns the store on
// it. The generated OpenStore (store_gen.go) calls it with DATABASE_URL when
// New starts the application, and store_test.go with TEST_DATABASE_URL: return
// an error for a URL you cannot use. Prefer connecting when the store is first
// used, so the application starts while the database is down and recovers when
// it returns.
func OpenCustomStore(databaseURL string) (*CustomStore, error) {
	// Open your database here, for example:
	//
	//	db, err := sql.Open("pgx", databaseURL)
	//	if err != nil {
	//		return nil, err
	//	}
	//	return &CustomStore{db: db}, nil
	return &CustomStore{}, nil
}

// Migrate creates what the store needs in its database, or brings it up to
// date: tables, indexes and the unique keys the methods rely on (a user's
// e-mail address, a provider account, a session ID, a verification token's
// hash). The generated Migrate (store_gen.go) calls it: `authgen migrate` runs
// it against DATABASE_URL, and New at start when AUTH_AUTO_MIGRATE=true, so it
// must be safe to run again, and by several instances at once.
func (s *CustomStore) Migrate(ctx context.Context) error {
	// Nothing to create yet.
	return nil
}

// Close releases the database handle; Auth.Close calls it.
func (s *CustomStore) Close() error {
	return nil
}

// store.Users: people who sign in, and the provider accounts linked to them.

// CreateUser stores a new user and returns it as stored. When u.ID is empty,
// give the user one: store.NewID() makes the random UUID authgen expects. When
// another user already has u.Email, store nothing and return an error wrapping
// store.ErrConflict; users without an e-mail address (Email "") never conflict
// with each other. Keep EmailVerified to the millisecond at least.
func (s *CustomStore) CreateUser(ctx context.Context, u store.User) (*store.User, error) {
	return nil, fmt.Errorf("%w: CreateUser", errors.ErrUnsupported)
}

// GetUser returns the user with the ID, or an error wrapping store.ErrNotFound
// when there is none.
func (s *CustomStore) GetUser(ctx context.Context, id string) (*store.User, error) {
	return nil, fmt.Errorf("%w: GetUser", errors.ErrUnsupported)
}

// GetUserByEmail returns the user with the e-mail address, or
// store.ErrNotFound. authgen lower-cases addresses before they reach the store,
// so comparing them as they are is enough.
func (s *CustomStore) GetUserByEmail(ctx context.Context, email string) (*store.User, error) {
	return nil, fmt.Errorf("%w: GetUserByEmail", errors.ErrUnsupported)
}

// GetUserByAccount returns the user that the provider account (provider is its
// id, such as "github"; providerAccountID the provider's ID of the account) is
// linked to, or store.ErrNotFound when it is linked to nobody. Every sign-in
// calls it: index the pair.
func (s *CustomStore) GetUserByAccount(ctx context.Context, provider, providerAccountID string) (*store.User, error) {
	return nil, fmt.Errorf("%w: GetUserByAccount", errors.ErrUnsupported)
}

// UpdateUser replaces the name, e-mail address, EmailVerified and image of the
// user with u.ID and returns the user as stored. When there is no such user,
// return store.ErrNotFound and create none; when another user has the address,
// return store.ErrConflict and change nothing. Keeping the user's own address,
// or clearing it, is no conflict.
func (s *CustomStore) UpdateUser(ctx context.Context, u store.User) (*store.User, error) {
	return nil, fmt.Errorf("%w: UpdateUser", errors.ErrUnsupported)
}

// DeleteUser deletes the user together with their accounts and sessions, and
// nobody else's; their e-mail address and provider accounts can then be used
// again. Deleting a user that does not exist is store.ErrNotFound.
func (s *CustomStore) DeleteUser(ctx context.Context, id string) error {
	return fmt.Errorf("%w: DeleteUser", errors.ErrUnsupported)
}

// CreateUserAndAccount creates u as CreateUser does and links the account a to
// the new user, whatever a.UserID says, in one transaction: after any failure
// neither the user nor the link exists. When the provider account is linked
// already, return store.ErrConflict and create nothing. Two first sign-ins with
// one account race here and exactly one may win: the unique key on (Provider,
// ProviderAccountID) must decide, not a read before the write. The loser then
// finds the winner's user with GetUserByAccount. An e-mail address already
// taken is store.ErrConflict too, with no account linked.
func (s *CustomStore) CreateUserAndAccount(ctx context.Context, u store.User, a store.Account) (*store.User, error) {
	return nil, fmt.Errorf("%w: CreateUserAndAccount", errors.ErrUnsupported)
}

// LinkAccount links the account a to the existing user a.UserID. Return
// store.ErrNotFound when that user does not exist, and store.ErrConflict when
// the provider account (a.Provider, a.ProviderAccountID) is linked already, to
// this user or another, leaving that link as it was.
func (s *CustomStore) LinkAccount(ctx context.Context, a store.Account) error {
	return fmt.Errorf("%w: LinkAccount", errors.ErrUnsupported)
}

// UnlinkAccount removes the link of one provider account, leaving the user and
// their other accounts alone. An account that is not linked is
// store.ErrNotFound.
func (s *CustomStore) UnlinkAccount(ctx context.Context, provider, providerAccountID string) error {
	return fmt.Errorf("%w: UnlinkAccount", errors.ErrUnsupported)
}

// UpdateAccount finds the account by a.Provider and a.ProviderAccountID and
// replaces its token fields with a's, empty ones included: RefreshToken,
// AccessToken, ExpiresAt, TokenType, Scope, IDToken, SessionState and
// TokenSecret. authgen calls it with a refreshed access token or a rotated
// refresh token. An account that is not linked is store.ErrNotFound; never
// insert one.
func (s *CustomStore) UpdateAccount(ctx context.Context, a store.Account) error {
	return fmt.Errorf("%w: UpdateAccount", errors.ErrUnsupported)
}

// ListAccounts returns every account linked to the user, with all its fields,
// ordered by provider, then provider account ID. A user without accounts gets
// an empty, non-nil slice and no error.
func (s *CustomStore) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	return nil, fmt.Errorf("%w: ListAccounts", errors.ErrUnsupported)
}

// store.Sessions: database sessions (session strategy database), and the records of revocable JWT sessions.

// CreateSession stores a session. sess.ID is already the SHA-256 of the
// cookie's token (store.HashToken): store it as it is, so a copy of the
// database yields no usable cookie. Keep every other field too: Provider (the
// provider the user signed in with), CreatedAt (when they signed in, to the
// millisecond), UserAgent (up to 512 bytes) and IP. An ID in use is
// store.ErrConflict, leaving that session as it was.
func (s *CustomStore) CreateSession(ctx context.Context, sess store.Session) error {
	return fmt.Errorf("%w: CreateSession", errors.ErrUnsupported)
}

// GetSessionAndUser returns the session with the ID (every field as stored) and
// its user when the session has not expired at now: judge expiry by now, never
// by the clock. An unknown or expired session is store.ErrNotFound. Every
// request that reads the session calls it, so make it one query (a join) or one
// round trip.
func (s *CustomStore) GetSessionAndUser(ctx context.Context, id string, now time.Time) (*store.Session, *store.User, error) {
	return nil, nil, fmt.Errorf("%w: GetSessionAndUser", errors.ErrUnsupported)
}

// UpdateSession sets the expiry of the session with the ID, later or earlier,
// keeping its other fields (CreatedAt above all: renewals never move the
// sign-in time). A missing session is store.ErrNotFound; never create one.
func (s *CustomStore) UpdateSession(ctx context.Context, id string, expires time.Time) error {
	return fmt.Errorf("%w: UpdateSession", errors.ErrUnsupported)
}

// DeleteSession deletes the session with the ID (a sign-out) and no other. A
// missing session is store.ErrNotFound.
func (s *CustomStore) DeleteSession(ctx context.Context, id string) error {
	return fmt.Errorf("%w: DeleteSession", errors.ErrUnsupported)
}

// DeleteExpiredSessions deletes every session expired at now, and only those,
// and returns how many it deleted.
func (s *CustomStore) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	return 0, fmt.Errorf("%w: DeleteExpiredSessions", errors.ErrUnsupported)
}

// ListSessions returns every session of the user, with every field, in any
// order (expired ones not yet deleted may be among them): the user's list of
// their sessions. Index the user's ID. A user without sessions gets an empty,
// non-nil slice and no error.
func (s *CustomStore) ListSessions(ctx context.Context, userID string) ([]store.Session, error) {
	return nil, fmt.Errorf("%w: ListSessions", errors.ErrUnsupported)
}

// DeleteUserSessions deletes every session of the user and no other (sign out
// everywhere). A user without sessions is no error.
func (s *CustomStore) DeleteUserSessions(ctx context.Context, userID string) error {
	return fmt.Errorf("%w: DeleteUserSessions", errors.ErrUnsupported)
}

// store.VerificationTokens: one-time e-mail sign-in tokens.

// CreateVerificationToken stores an e-mail sign-in token with its Attempts (0
// for a new one). t.TokenHash is a keyed hash of the token sent by e-mail; the
// token itself never reaches the store. A hash in use, for any identifier, is
// store.ErrConflict.
func (s *CustomStore) CreateVerificationToken(ctx context.Context, t store.VerificationToken) error {
	return fmt.Errorf("%w: CreateVerificationToken", errors.ErrUnsupported)
}

// UseVerificationToken deletes the token with the identifier (the e-mail
// address) and hash and returns it with its Attempts, in one atomic step: of
// two concurrent uses exactly one gets the token, the other store.ErrNotFound.
// An unknown token, a second use, or the hash of another identifier's token
// (which stays usable) is store.ErrNotFound. Return an expired token like any
// other: the caller checks Expires.
func (s *CustomStore) UseVerificationToken(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	return nil, fmt.Errorf("%w: UseVerificationToken", errors.ErrUnsupported)
}

// CountVerificationAttempt adds one to the Attempts of the token with the
// identifier and hash (a sign-in code was tried against it) and returns the
// token with the new count, without using it up. Every call must count, also
// concurrent ones (an atomic increment, such as UPDATE … SET attempts =
// attempts + 1): the server refuses a code once the count passes 5. An unknown
// or used token, or another identifier's, is store.ErrNotFound and counts
// nothing.
func (s *CustomStore) CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	return nil, fmt.Errorf("%w: CountVerificationAttempt", errors.ErrUnsupported)
}
