package ldap

import (
	"context"
	"errors"
	"fmt"

	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/server"
)

// The names of the sign-in form's fields that [Authenticator.Authorize]
// reads: a generated application's server.Credentials for LDAP has these
// two fields.
const (
	FieldUsername = "username"
	FieldPassword = "password"
)

// ReadEnv reads a Config from the AUTH_LDAP_* variables ([Vars]) through
// r, as [FromEnv] does, and adds their problems to r's, so that a
// generated application's LoadConfig reports a missing AUTH_LDAP_URL with
// every other missing variable at once.
func ReadEnv(r *env.Reader) Config {
	c, problems := readEnv(r.Getenv)
	r.AddProblems(problems...)
	return c
}

// Authorize is a server.Credentials' Authorize for the directory: it
// authenticates the form's [FieldUsername] and [FieldPassword] and returns
// the user as the identity linked to authgen's users ([User.Identity]).
// An unknown user and a wrong password wrap server.ErrCredentials alike
// (the sign-in answers CredentialsSignin); a directory that cannot answer
// wraps [ErrUnavailable] (CredentialsUnavailable), never "wrong password".
func (a *Authenticator) Authorize(ctx context.Context, in server.CredentialsInput) (*server.Identity, error) {
	u, err := a.Authenticate(ctx, in.Fields[FieldUsername], in.Fields[FieldPassword])
	switch {
	case errors.Is(err, ErrInvalidCredentials):
		return nil, fmt.Errorf("%w: %w", server.ErrCredentials, err)
	case err != nil:
		return nil, err
	}
	return u.Identity(), nil
}

// Identity returns u as the outside identity the server links to an
// account: its ID (entryUUID or objectGUID by default) as the account's
// id, its e-mail address and name, and in Claims its "dn" and its
// "groups" (the groups' DNs, for the JWT callback, [] when it has none).
//
// EmailVerified is true when u has an address: the directory's
// administrators set it, not the user. A provider with trustEmail links
// on it only when the directory's access rules keep users from changing
// their own mail attribute.
func (u *User) Identity() *server.Identity {
	groups := u.Groups
	if groups == nil {
		groups = []string{}
	}
	return &server.Identity{
		ID:            u.ID,
		Email:         u.Email,
		EmailVerified: u.Email != "",
		Name:          u.Name,
		Claims:        map[string]any{"dn": u.DN, "groups": groups},
	}
}
