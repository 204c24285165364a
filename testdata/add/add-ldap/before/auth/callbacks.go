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

// events returns the functions told about sign-ins and sign-outs.
func events(logger *slog.Logger) server.Events {
	return server.Events{
		SignIn: func(ctx context.Context, e server.SignInEvent) {
			logger.InfoContext(ctx, "signed in", "provider", e.Provider, "user", e.User.ID)
		},
		SignOut: func(ctx context.Context, e server.SignOutEvent) {
			logger.InfoContext(ctx, "signed out", "user", e.Session.User.ID)
		},
	}
}
