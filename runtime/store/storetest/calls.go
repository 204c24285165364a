package storetest

import (
	"errors"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// The methods below call the store under test. Each reports a method that
// is not implemented (see h.impl) and ends the subtest when the store
// returns a nil result with a nil error, which no contract allows.

func (h *h) needUsers() {
	h.t.Helper()
	if h.users == nil {
		h.t.Skip("skipped: the store does not implement store.Users")
	}
}

func (h *h) createUser(u store.User) (*store.User, error) {
	h.t.Helper()
	got, err := h.users.CreateUser(h.ctx, u)
	h.impl("CreateUser", err)
	if err == nil && got == nil {
		h.t.Fatal("CreateUser: got a nil user and a nil error")
	}
	return got, err
}

func (h *h) getUser(id string) (*store.User, error) {
	h.t.Helper()
	got, err := h.users.GetUser(h.ctx, id)
	h.impl("GetUser", err)
	if err == nil && got == nil {
		h.t.Fatal("GetUser: got a nil user and a nil error")
	}
	return got, err
}

func (h *h) getUserByEmail(email string) (*store.User, error) {
	h.t.Helper()
	got, err := h.users.GetUserByEmail(h.ctx, email)
	h.impl("GetUserByEmail", err)
	if err == nil && got == nil {
		h.t.Fatal("GetUserByEmail: got a nil user and a nil error")
	}
	return got, err
}

func (h *h) getUserByAccount(provider, providerAccountID string) (*store.User, error) {
	h.t.Helper()
	got, err := h.users.GetUserByAccount(h.ctx, provider, providerAccountID)
	h.impl("GetUserByAccount", err)
	if err == nil && got == nil {
		h.t.Fatal("GetUserByAccount: got a nil user and a nil error")
	}
	return got, err
}

func (h *h) updateUser(u store.User) (*store.User, error) {
	h.t.Helper()
	got, err := h.users.UpdateUser(h.ctx, u)
	h.impl("UpdateUser", err)
	if err == nil && got == nil {
		h.t.Fatal("UpdateUser: got a nil user and a nil error")
	}
	return got, err
}

func (h *h) deleteUser(id string) error {
	h.t.Helper()
	err := h.users.DeleteUser(h.ctx, id)
	h.impl("DeleteUser", err)
	return err
}

func (h *h) createUserAndAccount(u store.User, a store.Account) (*store.User, error) {
	h.t.Helper()
	got, err := h.users.CreateUserAndAccount(h.ctx, u, a)
	h.impl("CreateUserAndAccount", err)
	if err == nil && got == nil {
		h.t.Fatal("CreateUserAndAccount: got a nil user and a nil error")
	}
	return got, err
}

func (h *h) linkAccount(a store.Account) error {
	h.t.Helper()
	err := h.users.LinkAccount(h.ctx, a)
	h.impl("LinkAccount", err)
	return err
}

func (h *h) unlinkAccount(provider, providerAccountID string) error {
	h.t.Helper()
	err := h.users.UnlinkAccount(h.ctx, provider, providerAccountID)
	h.impl("UnlinkAccount", err)
	return err
}

func (h *h) updateAccount(a store.Account) error {
	h.t.Helper()
	err := h.users.UpdateAccount(h.ctx, a)
	h.impl("UpdateAccount", err)
	return err
}

func (h *h) listAccounts(userID string) ([]store.Account, error) {
	h.t.Helper()
	got, err := h.users.ListAccounts(h.ctx, userID)
	h.impl("ListAccounts", err)
	return got, err
}

func (h *h) createSession(s store.Session) error {
	h.t.Helper()
	err := h.sessions.CreateSession(h.ctx, s)
	h.impl("CreateSession", err)
	return err
}

func (h *h) getSessionAndUser(id string, now time.Time) (*store.Session, *store.User, error) {
	h.t.Helper()
	s, u, err := h.sessions.GetSessionAndUser(h.ctx, id, now)
	h.impl("GetSessionAndUser", err)
	if err == nil && s == nil {
		h.t.Fatal("GetSessionAndUser: got a nil session and a nil error")
	}
	return s, u, err
}

func (h *h) updateSession(id string, expires time.Time) error {
	h.t.Helper()
	err := h.sessions.UpdateSession(h.ctx, id, expires)
	h.impl("UpdateSession", err)
	return err
}

func (h *h) deleteSession(id string) error {
	h.t.Helper()
	err := h.sessions.DeleteSession(h.ctx, id)
	h.impl("DeleteSession", err)
	return err
}

func (h *h) deleteExpiredSessions(now time.Time) (int64, error) {
	h.t.Helper()
	n, err := h.sessions.DeleteExpiredSessions(h.ctx, now)
	h.impl("DeleteExpiredSessions", err)
	return n, err
}

func (h *h) listSessions(userID string) ([]store.Session, error) {
	h.t.Helper()
	got, err := h.sessions.ListSessions(h.ctx, userID)
	h.impl("ListSessions", err)
	return got, err
}

func (h *h) deleteUserSessions(userID string) error {
	h.t.Helper()
	err := h.sessions.DeleteUserSessions(h.ctx, userID)
	h.impl("DeleteUserSessions", err)
	return err
}

func (h *h) createToken(t store.VerificationToken) error {
	h.t.Helper()
	err := h.tokens.CreateVerificationToken(h.ctx, t)
	h.impl("CreateVerificationToken", err)
	return err
}

func (h *h) useToken(identifier, tokenHash string) (*store.VerificationToken, error) {
	h.t.Helper()
	got, err := h.tokens.UseVerificationToken(h.ctx, identifier, tokenHash)
	h.impl("UseVerificationToken", err)
	if err == nil && got == nil {
		h.t.Fatal("UseVerificationToken: got a nil token and a nil error")
	}
	return got, err
}

func (h *h) countAttempt(identifier, tokenHash string) (*store.VerificationToken, error) {
	h.t.Helper()
	got, err := h.tokens.CountVerificationAttempt(h.ctx, identifier, tokenHash)
	h.impl("CountVerificationAttempt", err)
	if err == nil && got == nil {
		h.t.Fatal("CountVerificationAttempt: got a nil token and a nil error")
	}
	return got, err
}

// Setup helpers: the step must succeed for the check to mean anything.

func (h *h) mustCreateUser(what string, u store.User) *store.User {
	h.t.Helper()
	got, err := h.createUser(u)
	h.must("CreateUser", what, err)
	return got
}

func (h *h) mustLink(what string, a store.Account) {
	h.t.Helper()
	h.must("LinkAccount", what, h.linkAccount(a))
}

func (h *h) mustCreateSession(what string, s store.Session) {
	h.t.Helper()
	h.must("CreateSession", what, h.createSession(s))
}

func (h *h) mustCreateToken(what string, t store.VerificationToken) {
	h.t.Helper()
	h.must("CreateVerificationToken", what, h.createToken(t))
}

// userIs checks that GetUser finds want, as stored.
func (h *h) userIs(what string, want *store.User) {
	h.t.Helper()
	got, err := h.getUser(want.ID)
	h.must("GetUser", what, err)
	h.checkUser("GetUser", what, got, want)
}

// userGone checks that GetUser does not find id.
func (h *h) userGone(method, what, id string) {
	h.t.Helper()
	_, err := h.getUser(id)
	if !errors.Is(err, store.ErrNotFound) {
		h.t.Errorf("%s: %s: GetUser(%q): %s", method, what, id, gotErr(err, store.ErrNotFound))
	}
}

// emailFree checks that no user has the address.
func (h *h) emailFree(method, what, email string) {
	h.t.Helper()
	u, err := h.getUserByEmail(email)
	if !errors.Is(err, store.ErrNotFound) {
		if err == nil {
			h.t.Errorf("%s: %s: a user with e-mail %q exists (ID %q), want none", method, what, email, u.ID)
		} else {
			h.t.Errorf("%s: %s: GetUserByEmail(%q): %s", method, what, email, gotErr(err, store.ErrNotFound))
		}
	}
}

// accountIs checks that the provider account is linked to userID.
func (h *h) accountIs(method, what, provider, providerAccountID, userID string) {
	h.t.Helper()
	u, err := h.getUserByAccount(provider, providerAccountID)
	if err != nil {
		h.t.Errorf("%s: %s: GetUserByAccount(%q, %q): got err %v, want the user %q", method, what, provider, providerAccountID, err, userID)
		return
	}
	if u.ID != userID {
		h.t.Errorf("%s: %s: GetUserByAccount(%q, %q): got user %q, want %q", method, what, provider, providerAccountID, u.ID, userID)
	}
}

// accountGone checks that the provider account is not linked.
func (h *h) accountGone(method, what, provider, providerAccountID string) {
	h.t.Helper()
	u, err := h.getUserByAccount(provider, providerAccountID)
	if !errors.Is(err, store.ErrNotFound) {
		if err == nil {
			h.t.Errorf("%s: %s: account %s/%s is linked to user %q, want it unlinked", method, what, provider, providerAccountID, u.ID)
		} else {
			h.t.Errorf("%s: %s: GetUserByAccount(%q, %q): %s", method, what, provider, providerAccountID, gotErr(err, store.ErrNotFound))
		}
	}
}
