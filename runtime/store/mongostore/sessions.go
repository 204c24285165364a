package mongostore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/authgen/authgen/runtime/store"
)

// CreateSession implements store.Sessions.
func (s *Store) CreateSession(ctx context.Context, se store.Session) error {
	if _, err := s.sessions.InsertOne(ctx, newSessionDoc(se)); err != nil {
		return wrapErr("create session", err)
	}
	return nil
}

// GetSessionAndUser implements store.Sessions in two reads by _id (FerretDB
// v1 has no $lookup to join them).
func (s *Store) GetSessionAndUser(ctx context.Context, id string, now time.Time) (*store.Session, *store.User, error) {
	const op = "get session"
	var d sessionDoc
	if err := s.sessions.FindOne(ctx, bson.M{"_id": id, "expires": bson.M{"$gt": now}}).Decode(&d); err != nil {
		return nil, nil, wrapErr(op, err)
	}
	u, err := s.findUser(ctx, op, d.UserID)
	if err != nil {
		return nil, nil, err
	}
	se := d.session()
	return &se, u, nil
}

// UpdateSession implements store.Sessions.
func (s *Store) UpdateSession(ctx context.Context, id string, expires time.Time) error {
	const op = "update session"
	res, err := s.sessions.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"expires": expires}})
	if err != nil {
		return wrapErr(op, err)
	}
	if res.MatchedCount == 0 {
		return notFound(op)
	}
	return nil
}

// DeleteSession implements store.Sessions.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	const op = "delete session"
	res, err := s.sessions.DeleteOne(ctx, bson.M{"_id": id})
	if err != nil {
		return wrapErr(op, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op)
	}
	return nil
}

// DeleteExpiredSessions implements store.Sessions.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.sessions.DeleteMany(ctx, bson.M{"expires": bson.M{"$lte": now}})
	if err != nil {
		return 0, wrapErr("delete expired sessions", err)
	}
	return res.DeletedCount, nil
}

// ListSessions implements store.Sessions, by the userId index; expired
// sessions not yet deleted are among them.
func (s *Store) ListSessions(ctx context.Context, userID string) ([]store.Session, error) {
	const op = "list sessions"
	cur, err := s.sessions.Find(ctx, bson.M{"userId": userID})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	var docs []sessionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrapErr(op, err)
	}
	out := make([]store.Session, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].session())
	}
	return out, nil
}

// DeleteUserSessions implements store.Sessions.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	if _, err := s.sessions.DeleteMany(ctx, bson.M{"userId": userID}); err != nil {
		return wrapErr("delete the user's sessions", err)
	}
	return nil
}

// CreateVerificationToken implements store.VerificationTokens.
func (s *Store) CreateVerificationToken(ctx context.Context, t store.VerificationToken) error {
	if _, err := s.tokens.InsertOne(ctx, verificationDoc{TokenHash: t.TokenHash, Identifier: t.Identifier, Expires: t.Expires, Attempts: t.Attempts}); err != nil {
		return wrapErr("create verification token", err)
	}
	return nil
}

// UseVerificationToken implements store.VerificationTokens. The token is
// read, then deleted, and only the caller whose delete removed it gets it:
// of concurrent uses exactly one succeeds (FerretDB v1's find-and-delete is
// not atomic). Its attempts are counted, then deleted with it.
func (s *Store) UseVerificationToken(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	const op = "use verification token"
	filter := bson.M{"_id": tokenHash, "identifier": identifier}
	var d verificationDoc
	if err := s.tokens.FindOne(ctx, filter).Decode(&d); err != nil {
		return nil, wrapErr(op, err)
	}
	counted, err := s.attempts.CountDocuments(ctx, bson.M{"token": tokenHash})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	res, err := s.tokens.DeleteOne(ctx, filter)
	if err != nil {
		return nil, wrapErr(op, err)
	}
	if res.DeletedCount == 0 {
		return nil, notFound(op)
	}
	if _, err := s.attempts.DeleteMany(context.WithoutCancel(ctx), bson.M{"token": tokenHash}); err != nil {
		// The token is used; its attempts only take room.
		return nil, wrapErr(op+": delete its attempts", err)
	}
	return d.token(int(counted)), nil
}

// maxAttemptInserts bounds how many numbers CountVerificationAttempt
// tries: as many as concurrent attempts on one token could take.
const maxAttemptInserts = 1000

// CountVerificationAttempt implements store.VerificationTokens. An attempt
// is a document of its own whose _id is the token's hash and the next
// number: of concurrent attempts each inserts a number the others did not,
// retrying with the next one on a duplicate _id, so every attempt counts
// and each gets its own count, on servers whose $inc is not atomic
// (FerretDB v1 reads, then writes).
func (s *Store) CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	const op = "count verification attempt"
	var d verificationDoc
	if err := s.tokens.FindOne(ctx, bson.M{"_id": tokenHash, "identifier": identifier}).Decode(&d); err != nil {
		return nil, wrapErr(op, err)
	}
	counted, err := s.attempts.CountDocuments(ctx, bson.M{"token": tokenHash})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	for n := int(counted) + 1; n <= int(counted)+maxAttemptInserts; n++ {
		_, err := s.attempts.InsertOne(ctx, attemptDoc{ID: tokenHash + ":" + strconv.Itoa(d.Attempts+n), Token: tokenHash})
		if err == nil {
			return d.token(n), nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, wrapErr(op, err)
		}
	}
	return nil, fmt.Errorf("mongostore: %s: more than %d concurrent attempts", op, maxAttemptInserts)
}
