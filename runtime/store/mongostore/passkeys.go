package mongostore

// Passkeys without transactions.
//
// FerretDB v1 applies an update as a read and a write of the whole
// document, so a conditional update ({signCount: prev}) run by two callers
// at once matches for both (see twofactor.go). A passkey's sign-in state
// (its sign count, backup state and last use) is therefore never updated
// in place; each use inserts a document, and the race of two uses is
// decided by that insert under a unique _id:
//
//   - A passkey is a document of the passkeys collection, {_id: the
//     credential ID, userId, incarnation, name, publicKey, attestationType,
//     aaguid, transports, signCount, backupEligible, backupState,
//     createdAt, lastUsedAt}, holding its state at registration;
//     incarnation is a random ID that CreatePasskey gives it, so the uses
//     of a deleted passkey never count for a new one with its credential
//     ID.
//   - A use is a document of the uses collection, {_id: incarnation +
//     "/use/" + gen, userId, incarnation, gen, signCount, backupState,
//     lastUsedAt}: the passkey's state after its gen-th use. The state that
//     counts is the use with the greatest gen, or the passkey's own when it
//     has none. UsePasskey reads the state, refuses a count other than
//     prev, and inserts use gen+1: of concurrent uses of one state exactly
//     one inserts it, and the others are ErrConflict. Then it deletes the
//     incarnation's earlier uses, which can never count again; a crash
//     between leaves them for the next use.
//   - RenamePasskey is the one update; it only sets the name, which
//     nothing else writes.
//   - CreatePasskey inserts the passkey, then looks the user up and
//     deletes the passkey again when there is none (DeleteUser deletes the
//     user before their passkeys, so either the lookup misses the user or
//     DeleteUser deletes the passkey). DeletePasskey and DeleteUser delete
//     the passkeys first, then their uses: a crash between leaves uses of
//     an incarnation no passkey names, which never count.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/authgen/authgen/runtime/store"
)

// passkeyDoc is a passkey as registered.
type passkeyDoc struct {
	ID              string     `bson:"_id"`
	UserID          string     `bson:"userId"`
	Incarnation     string     `bson:"incarnation"`
	Name            string     `bson:"name"`
	PublicKey       []byte     `bson:"publicKey"`
	AttestationType string     `bson:"attestationType"`
	AAGUID          []byte     `bson:"aaguid"`
	Transports      []string   `bson:"transports"`
	SignCount       int64      `bson:"signCount"`
	BackupEligible  bool       `bson:"backupEligible"`
	BackupState     bool       `bson:"backupState"`
	CreatedAt       time.Time  `bson:"createdAt"`
	LastUsedAt      *time.Time `bson:"lastUsedAt,omitempty"`
}

// useDoc is a passkey's state after a use.
type useDoc struct {
	ID          string    `bson:"_id"`
	UserID      string    `bson:"userId"`
	Incarnation string    `bson:"incarnation"`
	Gen         int64     `bson:"gen"`
	SignCount   int64     `bson:"signCount"`
	BackupState bool      `bson:"backupState"`
	LastUsedAt  time.Time `bson:"lastUsedAt"`
}

// useID is the _id of the gen-th use of an incarnation.
func useID(incarnation string, gen int64) string {
	return incarnation + "/use/" + strconv.FormatInt(gen, 10)
}

// passkey returns the passkey d with the state of its latest use u (nil:
// none).
func (d passkeyDoc) passkey(u *useDoc) store.Passkey {
	p := store.Passkey{
		ID: d.ID, UserID: d.UserID, Name: d.Name, PublicKey: d.PublicKey, AttestationType: d.AttestationType,
		AAGUID: d.AAGUID, Transports: d.Transports, SignCount: uint32(d.SignCount),
		BackupEligible: d.BackupEligible, BackupState: d.BackupState, CreatedAt: d.CreatedAt,
	}
	if d.LastUsedAt != nil {
		p.LastUsedAt = *d.LastUsedAt
	}
	if u != nil {
		p.SignCount, p.BackupState, p.LastUsedAt = uint32(u.SignCount), u.BackupState, u.LastUsedAt
	}
	return p
}

// CreatePasskey implements store.Passkeys: the _id refuses a credential ID
// in use; the user is looked up after the insert (see passkeys.go).
func (s *Store) CreatePasskey(ctx context.Context, p store.Passkey) error {
	const op = "create passkey"
	d := passkeyDoc{
		ID: p.ID, UserID: p.UserID, Incarnation: store.NewID(), Name: p.Name, PublicKey: nonNil(p.PublicKey),
		AttestationType: p.AttestationType, AAGUID: nonNil(p.AAGUID), Transports: p.Transports,
		SignCount: int64(p.SignCount), BackupEligible: p.BackupEligible, BackupState: p.BackupState,
		CreatedAt: p.CreatedAt.UTC(),
	}
	if !p.LastUsedAt.IsZero() {
		t := p.LastUsedAt.UTC()
		d.LastUsedAt = &t
	}
	if _, err := s.passkeys.InsertOne(ctx, d); err != nil {
		return wrapErr(op, err)
	}
	if _, err := s.findUser(ctx, op, p.UserID); err != nil {
		return errors.Join(err, s.undoCreatePasskey(ctx, d))
	}
	return nil
}

// undoCreatePasskey deletes a passkey inserted by a CreatePasskey that
// failed, also when ctx is done.
func (s *Store) undoCreatePasskey(ctx context.Context, d passkeyDoc) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	if _, err := s.passkeys.DeleteOne(ctx, bson.M{"_id": d.ID, "incarnation": d.Incarnation}); err != nil {
		return fmt.Errorf("mongostore: remove passkey %s again: %w", d.ID, err)
	}
	return nil
}

// nonNil returns b, or an empty slice for nil, so that a byte field is
// always binary.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// passkeyState reads the passkey with the credential ID and its latest
// use (nil: none): a wrapped store.ErrNotFound when there is no passkey.
func (s *Store) passkeyState(ctx context.Context, op, id string) (*passkeyDoc, *useDoc, error) {
	var d passkeyDoc
	if err := s.passkeys.FindOne(ctx, bson.M{"_id": id}).Decode(&d); err != nil {
		return nil, nil, wrapErr(op, err)
	}
	var u useDoc
	err := s.uses.FindOne(ctx, bson.M{"incarnation": d.Incarnation}, options.FindOne().SetSort(bson.D{{Key: "gen", Value: -1}})).Decode(&u)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return &d, nil, nil
	}
	if err != nil {
		return nil, nil, wrapErr(op, err)
	}
	return &d, &u, nil
}

// GetPasskey implements store.Passkeys.
func (s *Store) GetPasskey(ctx context.Context, id string) (*store.Passkey, error) {
	d, u, err := s.passkeyState(ctx, "get passkey", id)
	if err != nil {
		return nil, err
	}
	p := d.passkey(u)
	return &p, nil
}

// ListPasskeys implements store.Passkeys in two queries: the user's
// passkeys, oldest first (ties by ID), and their uses.
func (s *Store) ListPasskeys(ctx context.Context, userID string) ([]store.Passkey, error) {
	const op = "list passkeys"
	cur, err := s.passkeys.Find(ctx, bson.M{"userId": userID}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, wrapErr(op, err)
	}
	var docs []passkeyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrapErr(op, err)
	}
	latest := map[string]*useDoc{}
	if len(docs) > 0 {
		cur, err := s.uses.Find(ctx, bson.M{"userId": userID})
		if err != nil {
			return nil, wrapErr(op, err)
		}
		var uses []useDoc
		if err := cur.All(ctx, &uses); err != nil {
			return nil, wrapErr(op, err)
		}
		for i, u := range uses {
			if l := latest[u.Incarnation]; l == nil || u.Gen > l.Gen {
				latest[u.Incarnation] = &uses[i]
			}
		}
	}
	ps := make([]store.Passkey, 0, len(docs))
	for _, d := range docs {
		ps = append(ps, d.passkey(latest[d.Incarnation]))
	}
	return ps, nil
}

// UsePasskey implements store.Passkeys: the insert of the next use decides
// a race (see passkeys.go).
func (s *Store) UsePasskey(ctx context.Context, id string, prev, count uint32, backupState bool, at time.Time) error {
	const op = "use passkey"
	d, u, err := s.passkeyState(ctx, op, id)
	if err != nil {
		return err
	}
	cur := d.passkey(u)
	if cur.SignCount != prev {
		return fmt.Errorf("mongostore: %s: sign count %d, not %d: %w", op, cur.SignCount, prev, store.ErrConflict)
	}
	var gen int64 = 1
	if u != nil {
		gen = u.Gen + 1
	}
	next := useDoc{
		ID: useID(d.Incarnation, gen), UserID: d.UserID, Incarnation: d.Incarnation, Gen: gen,
		SignCount: int64(count), BackupState: backupState, LastUsedAt: at.UTC(),
	}
	if _, err := s.uses.InsertOne(ctx, next); err != nil {
		return wrapErr(op, err)
	}
	// Earlier uses never count again.
	if _, err := s.uses.DeleteMany(ctx, bson.M{"incarnation": d.Incarnation, "gen": bson.M{"$lt": gen}}); err != nil {
		return wrapErr(op, err)
	}
	return nil
}

// RenamePasskey implements store.Passkeys.
func (s *Store) RenamePasskey(ctx context.Context, userID, id, name string) error {
	const op = "rename passkey"
	res, err := s.passkeys.UpdateOne(ctx, bson.M{"_id": id, "userId": userID}, bson.M{"$set": bson.M{"name": name}})
	if err != nil {
		return wrapErr(op, err)
	}
	if res.MatchedCount == 0 {
		return notFound(op)
	}
	return nil
}

// DeletePasskey implements store.Passkeys: the passkey, then its uses.
func (s *Store) DeletePasskey(ctx context.Context, userID, id string) error {
	const op = "delete passkey"
	var d passkeyDoc
	if err := s.passkeys.FindOne(ctx, bson.M{"_id": id, "userId": userID}).Decode(&d); err != nil {
		return wrapErr(op, err)
	}
	res, err := s.passkeys.DeleteOne(ctx, bson.M{"_id": id, "incarnation": d.Incarnation})
	if err != nil {
		return wrapErr(op, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op)
	}
	if _, err := s.uses.DeleteMany(ctx, bson.M{"incarnation": d.Incarnation}); err != nil {
		return wrapErr(op, err)
	}
	return nil
}

// deleteUserPasskeys deletes the user's passkeys, then their uses.
func (s *Store) deleteUserPasskeys(ctx context.Context, userID string) error {
	if _, err := s.passkeys.DeleteMany(ctx, bson.M{"userId": userID}); err != nil {
		return err
	}
	_, err := s.uses.DeleteMany(ctx, bson.M{"userId": userID})
	return err
}

// createPasskeys is step 7: the collections of passkeys and of their uses
// (see passkeys.go), with an index on the passkeys' user (ListPasskeys,
// DeleteUser) and on the uses' incarnation and user.
func (s *Store) createPasskeys(ctx context.Context) error {
	for _, c := range []*mongo.Collection{s.passkeys, s.uses} {
		if err := s.createCollection(ctx, c); err != nil {
			return err
		}
	}
	indexes := []struct {
		c     *mongo.Collection
		model mongo.IndexModel
	}{
		{s.passkeys, mongo.IndexModel{
			Keys:    bson.D{{Key: "userId", Value: 1}, {Key: "createdAt", Value: 1}},
			Options: options.Index().SetName("userId"),
		}},
		{s.uses, mongo.IndexModel{
			Keys:    bson.D{{Key: "incarnation", Value: 1}, {Key: "gen", Value: -1}},
			Options: options.Index().SetName("incarnation"),
		}},
		{s.uses, mongo.IndexModel{
			Keys:    bson.D{{Key: "userId", Value: 1}},
			Options: options.Index().SetName("userId"),
		}},
	}
	for _, ix := range indexes {
		if _, err := ix.c.Indexes().CreateOne(ctx, ix.model); err != nil {
			return fmt.Errorf("index of %s: %w", ix.c.Name(), err)
		}
	}
	return nil
}
