// Package memstore is an in-memory store.Store: the reference
// implementation of the contract in package store, and a store for tests
// and demos.
//
// Everything lives in maps behind one mutex, so every method is atomic and
// concurrent calls are serialized: two first sign-ins racing through
// CreateUserAndAccount, or two uses of one verification token, have exactly
// one winner. Nothing is persisted. Lookups by user (ListAccounts,
// ListSessions, DeleteUserSessions, the cascade of DeleteUser) and
// DeleteExpiredSessions scan every row, which is fine for the sizes tests
// use.
//
// Stored values are copies: a caller modifying a user it passed in or got
// back, including its EmailVerified, does not modify the store. Times keep
// full precision and their location.
package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// Store is an in-memory store.Store, safe for concurrent use. The zero
// value is not usable; call New.
type Store struct {
	mu       sync.Mutex
	users    map[string]store.User // by ID
	emails   map[string]string     // user ID by non-empty e-mail address
	accounts map[accountKey]store.Account
	sessions map[string]store.Session           // by ID
	tokens   map[string]store.VerificationToken // by TokenHash
	factors  map[string]twoFactor               // by user ID
	passkeys map[string]store.Passkey           // by credential ID
}

// twoFactor is a user's second factor with its recovery codes' hashes.
type twoFactor struct {
	store.TwoFactor
	codes map[string]bool
}

type accountKey struct{ provider, providerAccountID string }

var (
	_ store.Store      = (*Store)(nil)
	_ store.TwoFactors = (*Store)(nil)
	_ store.Passkeys   = (*Store)(nil)
)

// New returns an empty store.
func New() *Store {
	return &Store{
		users:    map[string]store.User{},
		emails:   map[string]string{},
		accounts: map[accountKey]store.Account{},
		sessions: map[string]store.Session{},
		tokens:   map[string]store.VerificationToken{},
		factors:  map[string]twoFactor{},
		passkeys: map[string]store.Passkey{},
	}
}

// clone returns a copy of u sharing no memory with it.
func clone(u store.User) *store.User {
	if u.EmailVerified != nil {
		v := *u.EmailVerified
		u.EmailVerified = &v
	}
	return &u
}

// CreateUser inserts u, assigning a random UUID when u.ID is empty. An
// e-mail address already taken, or an ID in use, is store.ErrConflict.
// Users without an address (Email "") never conflict.
func (s *Store) CreateUser(ctx context.Context, u store.User) (*store.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createUser(u)
}

// createUser inserts u; s.mu is held.
func (s *Store) createUser(u store.User) (*store.User, error) {
	if err := s.checkNewUser(&u); err != nil {
		return nil, err
	}
	s.insertUser(u)
	return clone(u), nil
}

// checkNewUser assigns u.ID when empty and checks that u can be inserted;
// s.mu is held.
func (s *Store) checkNewUser(u *store.User) error {
	if u.ID == "" {
		for {
			u.ID = store.NewID()
			if _, taken := s.users[u.ID]; !taken {
				break
			}
		}
	} else if _, ok := s.users[u.ID]; ok {
		return fmt.Errorf("memstore: user ID %q: %w", u.ID, store.ErrConflict)
	}
	if u.Email != "" {
		if _, ok := s.emails[u.Email]; ok {
			return fmt.Errorf("memstore: user e-mail %q: %w", u.Email, store.ErrConflict)
		}
	}
	return nil
}

// insertUser stores a copy of u, checked by checkNewUser; s.mu is held.
func (s *Store) insertUser(u store.User) {
	s.users[u.ID] = *clone(u)
	if u.Email != "" {
		s.emails[u.Email] = u.ID
	}
}

// GetUser returns the user with the ID, or store.ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (*store.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return nil, fmt.Errorf("memstore: user %q: %w", id, store.ErrNotFound)
	}
	return clone(u), nil
}

// GetUserByEmail returns the user with exactly the address (callers pass
// it lower-cased), or store.ErrNotFound; no user has the address "".
func (s *Store) GetUserByEmail(ctx context.Context, email string) (*store.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.emails[email]
	if !ok || email == "" {
		return nil, fmt.Errorf("memstore: user with e-mail %q: %w", email, store.ErrNotFound)
	}
	return clone(s.users[id]), nil
}

// GetUserByAccount returns the user linked to the provider account, or
// store.ErrNotFound.
func (s *Store) GetUserByAccount(ctx context.Context, provider, providerAccountID string) (*store.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountKey{provider, providerAccountID}]
	if !ok {
		return nil, fmt.Errorf("memstore: account %s/%s: %w", provider, providerAccountID, store.ErrNotFound)
	}
	return clone(s.users[a.UserID]), nil
}

// UpdateUser replaces the name, e-mail, e-mail verification time and image
// of the user with u.ID: store.ErrNotFound when there is none,
// store.ErrConflict when the address belongs to another user.
func (s *Store) UpdateUser(ctx context.Context, u store.User) (*store.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.users[u.ID]
	if !ok {
		return nil, fmt.Errorf("memstore: user %q: %w", u.ID, store.ErrNotFound)
	}
	if u.Email != "" {
		if owner, ok := s.emails[u.Email]; ok && owner != u.ID {
			return nil, fmt.Errorf("memstore: user e-mail %q: %w", u.Email, store.ErrConflict)
		}
	}
	if old.Email != "" {
		delete(s.emails, old.Email)
	}
	s.insertUser(u)
	return clone(u), nil
}

// DeleteUser deletes the user with their accounts, sessions, second
// factor and passkeys, or returns store.ErrNotFound.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return fmt.Errorf("memstore: user %q: %w", id, store.ErrNotFound)
	}
	delete(s.users, id)
	if u.Email != "" {
		delete(s.emails, u.Email)
	}
	for k, a := range s.accounts {
		if a.UserID == id {
			delete(s.accounts, k)
		}
	}
	for k, ss := range s.sessions {
		if ss.UserID == id {
			delete(s.sessions, k)
		}
	}
	delete(s.factors, id)
	for k, p := range s.passkeys {
		if p.UserID == id {
			delete(s.passkeys, k)
		}
	}
	return nil
}

// CreateUserAndAccount creates u (as CreateUser) and links a to it,
// ignoring a.UserID, atomically: an account linked already or an e-mail
// address taken is store.ErrConflict, and then nothing is created.
func (s *Store) CreateUserAndAccount(ctx context.Context, u store.User, a store.Account) (*store.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := accountKey{a.Provider, a.ProviderAccountID}
	if _, ok := s.accounts[k]; ok {
		return nil, fmt.Errorf("memstore: account %s/%s: %w", a.Provider, a.ProviderAccountID, store.ErrConflict)
	}
	if err := s.checkNewUser(&u); err != nil {
		return nil, err
	}
	s.insertUser(u)
	a.UserID = u.ID
	s.accounts[k] = a
	return clone(u), nil
}

// LinkAccount links a to the existing user a.UserID: store.ErrConflict when
// the provider account is linked already, store.ErrNotFound when the user
// does not exist.
func (s *Store) LinkAccount(ctx context.Context, a store.Account) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[a.UserID]; !ok {
		return fmt.Errorf("memstore: user %q: %w", a.UserID, store.ErrNotFound)
	}
	k := accountKey{a.Provider, a.ProviderAccountID}
	if _, ok := s.accounts[k]; ok {
		return fmt.Errorf("memstore: account %s/%s: %w", a.Provider, a.ProviderAccountID, store.ErrConflict)
	}
	s.accounts[k] = a
	return nil
}

// UnlinkAccount removes a provider account, or returns store.ErrNotFound.
func (s *Store) UnlinkAccount(ctx context.Context, provider, providerAccountID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := accountKey{provider, providerAccountID}
	if _, ok := s.accounts[k]; !ok {
		return fmt.Errorf("memstore: account %s/%s: %w", provider, providerAccountID, store.ErrNotFound)
	}
	delete(s.accounts, k)
	return nil
}

// UpdateAccount replaces every token field (RefreshToken, AccessToken,
// ExpiresAt, TokenType, Scope, IDToken, SessionState) of the account
// a.Provider/a.ProviderAccountID, keeping its UserID, Type and LinkedAt,
// or returns store.ErrNotFound.
func (s *Store) UpdateAccount(ctx context.Context, a store.Account) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := accountKey{a.Provider, a.ProviderAccountID}
	old, ok := s.accounts[k]
	if !ok {
		return fmt.Errorf("memstore: account %s/%s: %w", a.Provider, a.ProviderAccountID, store.ErrNotFound)
	}
	a.UserID, a.Type, a.LinkedAt = old.UserID, old.Type, old.LinkedAt
	s.accounts[k] = a
	return nil
}

// ListAccounts returns the user's accounts ordered by provider, then
// provider account ID; none (also for an unknown user) is an empty slice.
func (s *Store) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	as := []store.Account{}
	for _, a := range s.accounts {
		if a.UserID == userID {
			as = append(as, a)
		}
	}
	slices.SortFunc(as, func(a, b store.Account) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.ProviderAccountID, b.ProviderAccountID))
	})
	return as, nil
}

// expired reports whether a session or token expiring at expires is
// expired at now: from its expiry on.
func expired(expires, now time.Time) bool { return !now.Before(expires) }

// CreateSession inserts sess: store.ErrConflict for an ID in use. The user
// is not checked; a session whose user does not exist is never found.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[sess.ID]; ok {
		return fmt.Errorf("memstore: session: %w", store.ErrConflict)
	}
	s.sessions[sess.ID] = sess
	return nil
}

// GetSessionAndUser returns the session with the ID and its user, or
// store.ErrNotFound when there is none, when it is expired at now (Expires
// is not after now) or when its user does not exist.
func (s *Store) GetSessionAndUser(ctx context.Context, id string, now time.Time) (*store.Session, *store.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok || expired(sess.Expires, now) {
		return nil, nil, fmt.Errorf("memstore: session: %w", store.ErrNotFound)
	}
	u, ok := s.users[sess.UserID]
	if !ok {
		return nil, nil, fmt.Errorf("memstore: user %q of session: %w", sess.UserID, store.ErrNotFound)
	}
	return &sess, clone(u), nil
}

// UpdateSession sets a session's expiry, also of an expired one, or
// returns store.ErrNotFound.
func (s *Store) UpdateSession(ctx context.Context, id string, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return fmt.Errorf("memstore: session: %w", store.ErrNotFound)
	}
	sess.Expires = expires
	s.sessions[id] = sess
	return nil
}

// DeleteSession deletes a session, or returns store.ErrNotFound.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[id]; !ok {
		return fmt.Errorf("memstore: session: %w", store.ErrNotFound)
	}
	delete(s.sessions, id)
	return nil
}

// DeleteExpiredSessions deletes every session expired at now (Expires not
// after now) and returns how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for id, sess := range s.sessions {
		if expired(sess.Expires, now) {
			delete(s.sessions, id)
			n++
		}
	}
	return n, nil
}

// ListSessions returns every session of the user, expired ones included
// until they are deleted, ordered by ID; none (also for an unknown user) is
// an empty slice.
func (s *Store) ListSessions(ctx context.Context, userID string) ([]store.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []store.Session{}
	for _, sess := range s.sessions {
		if sess.UserID == userID {
			out = append(out, sess)
		}
	}
	slices.SortFunc(out, func(a, b store.Session) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteUserSessions deletes every session of the user; a user without
// sessions is no error.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, sess := range s.sessions {
		if sess.UserID == userID {
			delete(s.sessions, id)
		}
	}
	return nil
}

// CreateVerificationToken inserts t: store.ErrConflict for a hash in use,
// whatever its identifier.
func (s *Store) CreateVerificationToken(ctx context.Context, t store.VerificationToken) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[t.TokenHash]; ok {
		return fmt.Errorf("memstore: verification token: %w", store.ErrConflict)
	}
	s.tokens[t.TokenHash] = t
	return nil
}

// UseVerificationToken deletes and returns the identifier's token with the
// hash, once: a second use, an unknown hash or another identifier's token
// is store.ErrNotFound, and the last leaves the token in place. Expiry is
// not checked.
func (s *Store) UseVerificationToken(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenHash]
	if !ok || t.Identifier != identifier {
		return nil, fmt.Errorf("memstore: verification token: %w", store.ErrNotFound)
	}
	delete(s.tokens, tokenHash)
	return &t, nil
}

// CountVerificationAttempt adds one to the Attempts of the identifier's
// token with the hash and returns it: store.ErrNotFound for an unknown
// hash or another identifier's token, which stays as it was.
func (s *Store) CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenHash]
	if !ok || t.Identifier != identifier {
		return nil, fmt.Errorf("memstore: verification token: %w", store.ErrNotFound)
	}
	t.Attempts++
	s.tokens[tokenHash] = t
	return &t, nil
}

// BeginTwoFactor stores a new, not enabled second factor for the user,
// replacing one not enabled: store.ErrConflict when one is enabled,
// store.ErrNotFound for an unknown user.
func (s *Store) BeginTwoFactor(ctx context.Context, userID, sealedSecret string, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		return fmt.Errorf("memstore: user %q: %w", userID, store.ErrNotFound)
	}
	if f, ok := s.factors[userID]; ok && f.Enabled {
		return fmt.Errorf("memstore: two-factor of user %q is enabled: %w", userID, store.ErrConflict)
	}
	s.factors[userID] = twoFactor{TwoFactor: store.TwoFactor{UserID: userID, Secret: sealedSecret, CreatedAt: now}, codes: map[string]bool{}}
	return nil
}

// GetTwoFactor returns the user's second factor or store.ErrNotFound.
func (s *Store) GetTwoFactor(ctx context.Context, userID string) (*store.TwoFactor, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.factors[userID]
	if !ok {
		return nil, fmt.Errorf("memstore: two-factor of user %q: %w", userID, store.ErrNotFound)
	}
	tf := f.TwoFactor
	tf.RecoveryCodes = len(f.codes)
	return &tf, nil
}

// EnableTwoFactor enables the user's second factor not yet enabled with
// the sealed secret, with its first step and recovery codes, or returns
// store.ErrNotFound.
func (s *Store) EnableTwoFactor(ctx context.Context, userID, sealedSecret string, step int64, recoveryHashes []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.factors[userID]
	if !ok || f.Enabled || f.Secret != sealedSecret {
		return fmt.Errorf("memstore: two-factor of user %q waiting for confirmation: %w", userID, store.ErrNotFound)
	}
	f.Enabled, f.LastStep = true, step
	f.codes = codeSet(recoveryHashes)
	s.factors[userID] = f
	return nil
}

// UseTwoFactorStep records step if it is later than the last used one:
// store.ErrConflict when it is not, store.ErrNotFound without an enabled
// second factor.
func (s *Store) UseTwoFactorStep(ctx context.Context, userID string, step int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.factors[userID]
	if !ok || !f.Enabled {
		return fmt.Errorf("memstore: enabled two-factor of user %q: %w", userID, store.ErrNotFound)
	}
	if step <= f.LastStep {
		return fmt.Errorf("memstore: time step %d of user %q used already: %w", step, userID, store.ErrConflict)
	}
	f.LastStep = step
	s.factors[userID] = f
	return nil
}

// UseRecoveryCode deletes the recovery code once, or returns
// store.ErrNotFound.
func (s *Store) UseRecoveryCode(ctx context.Context, userID, codeHash string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.factors[userID]
	if !ok || !f.Enabled || !f.codes[codeHash] {
		return fmt.Errorf("memstore: recovery code of user %q: %w", userID, store.ErrNotFound)
	}
	delete(f.codes, codeHash)
	return nil
}

// ReplaceRecoveryCodes replaces the recovery codes of the user's enabled
// second factor, or returns store.ErrNotFound.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.factors[userID]
	if !ok || !f.Enabled {
		return fmt.Errorf("memstore: enabled two-factor of user %q: %w", userID, store.ErrNotFound)
	}
	f.codes = codeSet(hashes)
	s.factors[userID] = f
	return nil
}

// DeleteTwoFactor deletes the user's second factor, or returns
// store.ErrNotFound.
func (s *Store) DeleteTwoFactor(ctx context.Context, userID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.factors[userID]; !ok {
		return fmt.Errorf("memstore: two-factor of user %q: %w", userID, store.ErrNotFound)
	}
	delete(s.factors, userID)
	return nil
}

// codeSet returns the hashes as a set.
func codeSet(hashes []string) map[string]bool {
	m := make(map[string]bool, len(hashes))
	for _, h := range hashes {
		m[h] = true
	}
	return m
}
