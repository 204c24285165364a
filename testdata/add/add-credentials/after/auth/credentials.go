// This file is yours: authgen wrote it once and never changes it.

package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/authgen/authgen/runtime/password"
	"github.com/authgen/authgen/runtime/server"
)

// Authorize checks a sign-in with the Credentials form against your
// application's own users and returns who signed in. authgen links the
// identity to its own users as an account of provider credentials, as it
// links an OAuth account: your users table stays yours.
//
// Return an error wrapping server.ErrCredentials for an unknown user and
// for a wrong password alike: the sign-in answers CredentialsSignin, the
// same for both. Any other error means your users table failed: the
// sign-in answers CredentialsUnavailable and the error is logged (never
// put the password in it). Attempts are rate limited per username and per
// client (authgen.yaml rateLimit.credentials and signInPerClient).
func Authorize(ctx context.Context, c Credentials) (*Identity, error) {
	u, err := findUser(ctx, c.Username)
	if errors.Is(err, errNoSuchUser) {
		// Spend the time a verification takes, so that an unknown user
		// and a wrong password cannot be told apart by the answer's time.
		password.VerifyDummy(c.Password)
		return nil, server.ErrCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("users table: %w", err)
	}
	ok, rehash, err := password.Verify(u.PasswordHash, c.Password)
	if err != nil {
		return nil, fmt.Errorf("user %s: password hash: %w", u.ID, err)
	}
	if !ok {
		return nil, server.ErrCredentials
	}
	if rehash {
		// The hash is bcrypt, or argon2id with older parameters: store the
		// password's argon2id hash now that it is known to be right.
		h, err := password.Hash(c.Password)
		if err != nil {
			return nil, fmt.Errorf("user %s: re-hash: %w", u.ID, err)
		}
		if err := updatePasswordHash(ctx, u.ID, h); err != nil {
			return nil, fmt.Errorf("user %s: store the new hash: %w", u.ID, err)
		}
	}
	return &Identity{
		ID:            u.ID,
		Email:         u.Email,
		EmailVerified: u.EmailVerified,
		Name:          u.Name,
	}, nil
}

// errNoSuchUser is findUser's answer for a username nobody has.
var errNoSuchUser = errors.New("no such user")

// user is a row of your users table, as Authorize needs it.
type user struct {
	ID            string
	Email         string
	EmailVerified bool
	Name          string
	// PasswordHash is password.Hash's argon2id hash (a PHC string), or a
	// bcrypt hash ($2a$…, $2b$…) from before, which Authorize upgrades.
	PasswordHash string
}

// findUser returns the user with the username, or errNoSuchUser. Read it
// from your own table, such as:
//
//	row := db.QueryRowContext(ctx,
//		"SELECT id, email, email_verified, name, password_hash FROM users WHERE lower(username) = lower($1)", username)
//	var u user
//	err := row.Scan(&u.ID, &u.Email, &u.EmailVerified, &u.Name, &u.PasswordHash)
//	if errors.Is(err, sql.ErrNoRows) {
//		return nil, errNoSuchUser
//	}
//	return &u, err
//
// Until you do, nobody can sign in with the form.
func findUser(ctx context.Context, username string) (*user, error) {
	return nil, errNoSuchUser
}

// updatePasswordHash stores the user's new password hash, such as:
//
//	_, err := db.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, id)
//	return err
func updatePasswordHash(ctx context.Context, id, hash string) error {
	return nil
}
