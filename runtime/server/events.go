package server

import (
	"context"

	"github.com/authgen/authgen/runtime/store"
)

// Events are told what happened, after it happened: each is called once
// the change it reports is written (never for a change that failed), on
// the request's goroutine, with a context that is not canceled when the
// request ends. They cannot change or refuse anything — that is what
// Callbacks are for — so an event that must not slow the answer down
// starts its own goroutine. Each may be nil. They are Auth.js's events,
// plus UnlinkAccount.
type Events struct {
	// SignIn: a user signed in and has a new session.
	SignIn func(ctx context.Context, e SignInEvent)
	// SignOut: a user signed out (POST {basePath}/signout).
	SignOut func(ctx context.Context, e SignOutEvent)
	// CreateUser: a user was created, at their first sign-in.
	CreateUser func(ctx context.Context, e UserEvent)
	// UpdateUser: a user was changed (an e-mail sign-in verified their
	// address).
	UpdateUser func(ctx context.Context, e UserEvent)
	// LinkAccount: a provider account was linked to a user: at the user's
	// creation with it, by a sign-in while signed in, or by a provider
	// with trustEmail to the user with the same verified address.
	LinkAccount func(ctx context.Context, e AccountEvent)
	// UnlinkAccount: a user unlinked a provider account
	// (POST {basePath}/accounts/unlink, or Auth.UnlinkAccount).
	UnlinkAccount func(ctx context.Context, e AccountEvent)
	// Session: a session was read and answered by GET or POST
	// {basePath}/session (not by the middlewares, which run on every
	// request of the application).
	Session func(ctx context.Context, e SessionEvent)
}

// SignInEvent reports a completed sign-in.
type SignInEvent struct {
	User     User
	Provider string
	// IsNewUser: the user was created by this sign-in.
	IsNewUser bool
}

// SignOutEvent reports a sign-out.
type SignOutEvent struct {
	Session *Session
	// Everywhere: the user signed out of every session (everywhere=true).
	Everywhere bool
}

// UserEvent reports a user created or changed, as stored.
type UserEvent struct {
	User User
}

// AccountEvent reports a provider account linked to a user or unlinked
// from them. It carries no token.
type AccountEvent struct {
	User    User
	Account LinkedAccount
	// Profile is the provider's typed profile at a link made by a sign-in
	// (a pointer to the generated profile struct); nil for an unlink.
	Profile any
}

// SessionEvent reports a session answered by {basePath}/session.
type SessionEvent struct {
	Session *Session
}

// emitSignIn reports a sign-in to Events.SignIn.
func (a *Auth) emitSignIn(ctx context.Context, e SignInEvent) {
	if ev := a.cfg.Events.SignIn; ev != nil {
		ev(context.WithoutCancel(ctx), e)
	}
}

// emitCreateUser reports a user just created to Events.CreateUser.
func (a *Auth) emitCreateUser(ctx context.Context, u *store.User) {
	if ev := a.cfg.Events.CreateUser; ev != nil {
		ev(context.WithoutCancel(ctx), UserEvent{User: userOf(u)})
	}
}

// emitUpdateUser reports a user just changed to Events.UpdateUser.
func (a *Auth) emitUpdateUser(ctx context.Context, u *store.User) {
	if ev := a.cfg.Events.UpdateUser; ev != nil {
		ev(context.WithoutCancel(ctx), UserEvent{User: userOf(u)})
	}
}

// emitLinkAccount reports an account just linked to u to
// Events.LinkAccount.
func (a *Auth) emitLinkAccount(ctx context.Context, u *store.User, acc store.Account, profile any) {
	if ev := a.cfg.Events.LinkAccount; ev != nil {
		ev(context.WithoutCancel(ctx), AccountEvent{User: userOf(u), Account: a.linkedAccount(acc), Profile: profile})
	}
}

// emitUnlinkAccount reports an account just unlinked from u to
// Events.UnlinkAccount.
func (a *Auth) emitUnlinkAccount(ctx context.Context, u *store.User, acc LinkedAccount) {
	if ev := a.cfg.Events.UnlinkAccount; ev != nil {
		ev(context.WithoutCancel(ctx), AccountEvent{User: userOf(u), Account: acc})
	}
}

// emitSession reports a session answered by {basePath}/session to
// Events.Session.
func (a *Auth) emitSession(ctx context.Context, s *Session) {
	if ev := a.cfg.Events.Session; ev != nil {
		ev(context.WithoutCancel(ctx), SessionEvent{Session: s})
	}
}
