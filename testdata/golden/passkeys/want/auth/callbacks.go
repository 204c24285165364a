// This file is yours: authgen wrote it once and never changes it.

package auth

import (
	"context"
	"log/slog"

	"github.com/authgen/authgen/runtime/server"
)

// callbacks returns the hooks that decide who may sign in and what a session
// holds. Each field of server.Callbacks that is left nil keeps authgen's
// default.
func callbacks() server.Callbacks {
	return server.Callbacks{
		// SignIn runs before a user is signed in. Return an error to refuse
		// them: they see the AccessDenied page.
		SignIn: func(ctx context.Context, in *server.SignInInput) error {
			return nil
		},

		// JWT shapes the session token at sign-in, on update and on renewal.
		// Store your own fields with SetData(in.Claims, SessionData{...}).
		JWT: func(ctx context.Context, in *server.JWTInput) error {
			return nil
		},
	}
}

// events returns the functions told what happened, once it is stored: Auth.js's
// events, plus UnlinkAccount. They cannot refuse anything (that is what
// callbacks are for) and run on the request's goroutine, so start a goroutine
// for slow work. Remove one you do not need.
func events(logger *slog.Logger) server.Events {
	return server.Events{
		// SignIn: a user signed in (e.IsNewUser at their first sign-in).
		SignIn: func(ctx context.Context, e server.SignInEvent) {
			logger.InfoContext(ctx, "signed in", "provider", e.Provider, "user", e.User.ID, "new", e.IsNewUser)
		},

		// SignOut: a user signed out (e.Everywhere: of every session).
		SignOut: func(ctx context.Context, e server.SignOutEvent) {
			logger.InfoContext(ctx, "signed out", "user", e.Session.User.ID, "everywhere", e.Everywhere)
		},

		// CreateUser: a user was created, at their first sign-in.
		CreateUser: func(ctx context.Context, e server.UserEvent) {
			logger.InfoContext(ctx, "user created", "user", e.User.ID)
		},

		// UpdateUser: a user was changed (an e-mail sign-in verified their
		// address).
		UpdateUser: func(ctx context.Context, e server.UserEvent) {
			logger.InfoContext(ctx, "user updated", "user", e.User.ID)
		},

		// LinkAccount: a provider account was linked to a user; e.Profile is the
		// provider's typed profile, such as *GitHubProfile.
		LinkAccount: func(ctx context.Context, e server.AccountEvent) {
			logger.InfoContext(ctx, "account linked", "user", e.User.ID, "provider", e.Account.Provider)
		},

		// UnlinkAccount: a user unlinked a provider account.
		UnlinkAccount: func(ctx context.Context, e server.AccountEvent) {
			logger.InfoContext(ctx, "account unlinked", "user", e.User.ID, "provider", e.Account.Provider)
		},

		// Session: a session was read through /api/auth/session, as clients do
		// often: keep it cheap.
		Session: func(ctx context.Context, e server.SessionEvent) {
			logger.DebugContext(ctx, "session read", "user", e.Session.User.ID)
		},
	}
}
