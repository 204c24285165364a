package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/store"
)

// Accounts returns the provider accounts linked to the user, ordered by
// provider, then provider account ID, with their tokens opened: the store
// keeps them sealed, so an application reading accounts from the store
// itself gets ciphertext. A token that no longer opens (its key was
// pruned) is empty. For an access token to call a provider's API, prefer
// ProviderToken, which refreshes an expired one. Without Users there are
// no accounts: an empty slice. A store error wraps ErrStore.
func (a *Auth) Accounts(ctx context.Context, userID string) ([]store.Account, error) {
	if a.cfg.Users == nil {
		return []store.Account{}, nil
	}
	accounts, err := a.cfg.Users.ListAccounts(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStore, err)
	}
	return accounts, nil
}

// sealedUsers is Config.Users as the server uses it: the provider tokens
// of every account it writes are sealed (package atrest) on their way into
// the store, and opened on their way out, so every store — SQL, MongoDB, a
// custom one — keeps them encrypted without knowing it. New wraps
// Config.Users in it once; nothing else in the server reaches the store's
// accounts.
type sealedUsers struct {
	store.Users
	sealer *atrest.Sealer
	now    func() time.Time
	log    *slog.Logger
	// logged are the keys and fields already logged as unreadable.
	logged onceSet
}

func (u *sealedUsers) CreateUserAndAccount(ctx context.Context, nu store.User, a store.Account) (*store.User, error) {
	u.sealer.SealAccount(&a)
	return u.Users.CreateUserAndAccount(ctx, nu, a)
}

func (u *sealedUsers) LinkAccount(ctx context.Context, a store.Account) error {
	u.sealer.SealAccount(&a)
	return u.Users.LinkAccount(ctx, a)
}

func (u *sealedUsers) UpdateAccount(ctx context.Context, a store.Account) error {
	u.sealer.SealAccount(&a)
	return u.Users.UpdateAccount(ctx, a)
}

// ListAccounts returns the accounts with their tokens opened. A token that
// does not open reads as absent (its user signs in again) and is logged
// once: per key for a key no longer in the set (a pruned key affects every
// row it sealed), per account and field otherwise. The log names the
// provider, the field and the kid, never a value.
func (u *sealedUsers) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	accounts, err := u.Users.ListAccounts(ctx, userID)
	if err != nil {
		return nil, err
	}
	now := u.now()
	for i := range accounts {
		a := &accounts[i]
		err := u.sealer.OpenAccount(a, now)
		if err == nil {
			continue
		}
		for _, e := range unwrapJoined(err) {
			var fe *atrest.FieldError
			if !errors.As(e, &fe) {
				continue
			}
			once := "kid\x00" + fe.KeyID
			msg := "authgen: provider tokens sealed with a key no longer in the key set (pruned, or retired and expired) read as absent; their users sign in again"
			if !errors.Is(fe, atrest.ErrUnknownKey) {
				once = "field\x00" + a.Provider + "\x00" + a.ProviderAccountID + "\x00" + string(fe.Field)
				msg = "authgen: a stored provider token does not open (altered, or moved from another field or account); it reads as absent"
			}
			if u.logged.first(once) {
				u.log.WarnContext(ctx, msg, "provider", a.Provider, "user", userID, "field", string(fe.Field), "kid", fe.KeyID)
			}
		}
	}
	return accounts, nil
}

// unwrapJoined returns the errors errors.Join joined, or err alone.
func unwrapJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
