package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/authgen/authgen/runtime/store"
)

// CreateUser implements store.Users.
func (s *Store) CreateUser(ctx context.Context, u store.User) (*store.User, error) {
	if u.ID == "" {
		u.ID = store.NewID()
	}
	d := newUserDoc(u)
	if _, err := s.users.InsertOne(ctx, d); err != nil {
		return nil, wrapErr("create user", err)
	}
	return d.user(), nil
}

// GetUser implements store.Users.
func (s *Store) GetUser(ctx context.Context, id string) (*store.User, error) {
	return s.findUser(ctx, "get user", id)
}

// findUser returns the user with the ID; op names the caller in errors.
func (s *Store) findUser(ctx context.Context, op, id string) (*store.User, error) {
	var d userDoc
	if err := s.users.FindOne(ctx, bson.M{"_id": id}).Decode(&d); err != nil {
		return nil, wrapErr(op, err)
	}
	return d.user(), nil
}

// GetUserByEmail implements store.Users. No user has the empty address.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (*store.User, error) {
	const op = "get user by e-mail"
	if email == "" {
		return nil, notFound(op)
	}
	var d userDoc
	if err := s.users.FindOne(ctx, bson.M{"email": email}).Decode(&d); err != nil {
		return nil, wrapErr(op, err)
	}
	return d.user(), nil
}

// GetUserByAccount implements store.Users. An account whose user does not
// exist is ErrNotFound: while younger than a minute it is a first sign-in
// between its two writes (see CreateUserAndAccount), and its user is waited
// for up to a second, so that the loser of concurrent first sign-ins finds
// the winner's user; older, a sign-in that failed half-way left it, and it
// is deleted so that the provider account can sign in again.
func (s *Store) GetUserByAccount(ctx context.Context, provider, providerAccountID string) (*store.User, error) {
	const op = "get user by account"
	deadline := time.Now().Add(pendingWait)
	for {
		var a accountDoc
		if err := s.accounts.FindOne(ctx, bson.M{"_id": accountKey(provider, providerAccountID)}).Decode(&a); err != nil {
			return nil, wrapErr(op, err)
		}
		u, err := s.findUser(ctx, op, a.UserID)
		if !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
		if s.now().Sub(a.Linked) > pendingAge {
			if _, derr := s.accounts.DeleteOne(ctx, bson.M{"_id": a.ID, "userId": a.UserID}); derr != nil {
				return nil, wrapErr(op, derr)
			}
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, err
		}
		t := time.NewTimer(pendingPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, wrapErr(op, ctx.Err())
		case <-t.C:
		}
	}
}

// UpdateUser implements store.Users, replacing the user's document.
func (s *Store) UpdateUser(ctx context.Context, u store.User) (*store.User, error) {
	const op = "update user"
	d := newUserDoc(u)
	res, err := s.users.ReplaceOne(ctx, bson.M{"_id": u.ID}, d)
	if err != nil && d.Email != "" && !mongo.IsDuplicateKeyError(err) {
		// FerretDB v1 reports an update that breaks a unique index as an
		// internal error: it is a conflict when another user has the
		// address.
		if owner, oerr := s.GetUserByEmail(ctx, d.Email); oerr == nil && owner.ID != d.ID {
			return nil, conflict(op, err)
		}
	}
	if err != nil {
		return nil, wrapErr(op, err)
	}
	if res.MatchedCount == 0 {
		return nil, notFound(op)
	}
	return d.user(), nil
}

// DeleteUser implements store.Users. The user goes first, then their
// accounts, sessions, second factor (the factor, then its claims and
// recovery codes) and passkeys (the passkeys, then their uses) — also
// when the user is gone already, so that repeating a DeleteUser that
// failed half-way finishes it.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	const op = "delete user"
	res, err := s.users.DeleteOne(ctx, bson.M{"_id": id})
	if err != nil {
		return wrapErr(op, err)
	}
	if _, err := s.accounts.DeleteMany(ctx, bson.M{"userId": id}); err != nil {
		return wrapErr(op, err)
	}
	if _, err := s.sessions.DeleteMany(ctx, bson.M{"userId": id}); err != nil {
		return wrapErr(op, err)
	}
	if err := s.deleteUserTwoFactor(ctx, id); err != nil {
		return wrapErr(op, err)
	}
	if err := s.deleteUserPasskeys(ctx, id); err != nil {
		return wrapErr(op, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op)
	}
	return nil
}

// CreateUserAndAccount implements store.Users without a transaction. The
// account is inserted first: its _id claims the provider account, so of
// concurrent first sign-ins exactly one gets past it, and the others are
// ErrConflict having written nothing. Then the user is inserted; when that
// fails (an e-mail address taken is ErrConflict) the account is deleted
// again, also when ctx is done by then. Meanwhile GetUserByAccount waits
// for the user.
func (s *Store) CreateUserAndAccount(ctx context.Context, u store.User, a store.Account) (*store.User, error) {
	const op = "create user and account"
	if u.ID == "" {
		u.ID = store.NewID()
	}
	a.UserID = u.ID
	acc := newAccountDoc(a, s.now())
	if _, err := s.accounts.InsertOne(ctx, acc); err != nil {
		return nil, wrapErr(op, err)
	}
	d := newUserDoc(u)
	if _, err := s.users.InsertOne(ctx, d); err != nil {
		return nil, errors.Join(wrapErr(op, err), s.undoLink(ctx, acc))
	}
	return d.user(), nil
}

// undoLink deletes an account inserted by a CreateUserAndAccount or
// LinkAccount that failed, also when ctx is done.
func (s *Store) undoLink(ctx context.Context, a accountDoc) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	if _, err := s.accounts.DeleteOne(ctx, bson.M{"_id": a.ID, "userId": a.UserID}); err != nil {
		return fmt.Errorf("mongostore: remove the %s account %s again: %w", a.Provider, a.ProviderAccountID, err)
	}
	return nil
}

// LinkAccount implements store.Users. The account is inserted before the
// user is looked up, and deleted again when there is none: a DeleteUser
// running meanwhile deletes the user before their accounts, so either the
// lookup misses the user or DeleteUser deletes the account.
func (s *Store) LinkAccount(ctx context.Context, a store.Account) error {
	const op = "link account"
	acc := newAccountDoc(a, s.now())
	if _, err := s.accounts.InsertOne(ctx, acc); err != nil {
		return wrapErr(op, err)
	}
	if _, err := s.findUser(ctx, op, a.UserID); err != nil {
		return errors.Join(err, s.undoLink(ctx, acc))
	}
	return nil
}

// UnlinkAccount implements store.Users.
func (s *Store) UnlinkAccount(ctx context.Context, provider, providerAccountID string) error {
	const op = "unlink account"
	res, err := s.accounts.DeleteOne(ctx, bson.M{"_id": accountKey(provider, providerAccountID)})
	if err != nil {
		return wrapErr(op, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op)
	}
	return nil
}

// UpdateAccount implements store.Users.
func (s *Store) UpdateAccount(ctx context.Context, a store.Account) error {
	const op = "update account"
	res, err := s.accounts.UpdateOne(ctx, bson.M{"_id": accountKey(a.Provider, a.ProviderAccountID)}, bson.M{"$set": tokensOf(a)})
	if err != nil {
		return wrapErr(op, err)
	}
	if res.MatchedCount == 0 {
		return notFound(op)
	}
	return nil
}

// ListAccounts implements store.Users.
func (s *Store) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	const op = "list accounts"
	cur, err := s.accounts.Find(ctx, bson.M{"userId": userID},
		options.Find().SetSort(bson.D{{Key: "provider", Value: 1}, {Key: "providerAccountId", Value: 1}}))
	if err != nil {
		return nil, wrapErr(op, err)
	}
	var docs []accountDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrapErr(op, err)
	}
	out := make([]store.Account, len(docs))
	for i := range docs {
		out[i] = docs[i].account()
	}
	return out, nil
}
