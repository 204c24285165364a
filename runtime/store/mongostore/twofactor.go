package mongostore

// Second factors without transactions.
//
// FerretDB v1 has no transactions, and it applies an update as a read and a
// write of the whole document: a conditional update ({enabled: false}, or
// {lastStep: {$lt: step}}) that two callers run at once matches for both,
// and both are told they changed the document. What it does atomically is
// insert a document under a unique _id and delete one (the count of a
// delete is the rows it removed). So every race of store.TwoFactors is
// decided by an insert into the claims collection or by a delete, never by
// an update, and nothing here updates a document:
//
//   - A factor is a document of the factors collection, {_id: the user,
//     enrolment, secret, createdAt}, where enrolment is a random ID that
//     BeginTwoFactor gives each new factor. The factor is enabled when the
//     claim enrolment+"/end" says so: EnableTwoFactor inserts it enabled,
//     BeginTwoFactor inserts it "replaced" before it replaces the factor,
//     so of a confirmation and a new enrolment racing for one enrolment
//     exactly one wins, and of two confirmations exactly one.
//   - A time step used is a claim enrolment+"/step/"+step: of concurrent
//     uses of one step exactly one inserts it. The last step used is the
//     greatest step of the enrolment's claims (the confirmation's in its
//     end claim, the others in step claims), and a step not later than it
//     is refused before the insert.
//   - Recovery codes are documents of the codes collection under the
//     user's ID, their set's ID and their hash, so a use is one DeleteOne.
//     A set's ID is random; the set that counts is the one the enrolment's
//     claims number highest (EnableTwoFactor's end claim is 1, each
//     ReplaceRecoveryCodes inserts the next number), so the codes of a set
//     that lost a race, or was replaced, can never be used, even while
//     they are still stored.
//
// The order of the writes, and what a crash between two of them leaves:
//
//   - BeginTwoFactor claims the end of the current enrolment, replaces the
//     factor, then deletes the old enrolment's claims and codes; then it
//     looks the user up, and deletes the factor again when there is none
//     (a concurrent DeleteUser deletes the user before their factor, so
//     either the lookup misses the user or DeleteUser deletes the factor).
//     A crash after the claim leaves a factor whose enrolment ended as
//     "replaced": it reads as not enabled, and the next BeginTwoFactor
//     replaces it; after the replacement, it leaves claims and codes of an
//     ended enrolment, which never count.
//   - EnableTwoFactor inserts the recovery codes under a new set, then the
//     enabled end claim naming that set, then reads the factor again: when
//     a concurrent BeginTwoFactor or DeleteTwoFactor replaced or deleted it
//     meanwhile, it deletes its claim and codes and returns ErrNotFound. A
//     loser deletes its codes again. A crash before the claim leaves codes
//     of a set no claim names, which never count.
//   - ReplaceRecoveryCodes inserts the new codes under a new set, claims
//     the next set number for it (retrying with the following number when
//     a concurrent call took it), then deletes the set it replaced. A crash
//     before the claim leaves codes that never count; after it, old codes
//     that no longer count.
//   - UseTwoFactorStep inserts its claim, then deletes the enrolment's step
//     claims more than pruneSteps steps earlier (they can never decide a
//     use again); a crash between leaves them for the next use.
//   - DeleteTwoFactor and DeleteUser delete the factor first, then the
//     claims and codes: a crash between leaves claims and codes of an
//     enrolment that no factor names, which never count. DeleteTwoFactor
//     deletes those of the factor's enrolment, DeleteUser all the user's.
//
// Codes and claims that never count only take room: DeleteUser deletes
// them with the user.

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

const (
	// maxTwoFactorTries bounds how often BeginTwoFactor,
	// ReplaceRecoveryCodes and DeleteTwoFactor look again after a
	// concurrent call changed what they read.
	maxTwoFactorTries = 100
	// pruneSteps is how far behind the step just used a step claim is
	// deleted: a day of 30-second steps, far more than the steps of
	// concurrent uses (all within the server's window of the current time)
	// are apart.
	pruneSteps = 2880
)

// factorState is a user's factor as its claims say it stands.
type factorState struct {
	factorDoc
	// ended: the enrolment's end is claimed, enabled or replaced.
	ended bool
	// enabled: the enrolment ended enabled.
	enabled bool
	// step is the confirmation's time step, when enabled.
	step int64
	// gen and set number and name the set of recovery codes that counts,
	// when enabled.
	gen int64
	set string
}

// factorState reads the user's factor and its end and code-set claims: a
// wrapped store.ErrNotFound when the user has none. op names the caller in
// errors.
func (s *Store) factorState(ctx context.Context, op, userID string) (*factorState, error) {
	var f factorDoc
	if err := s.factors.FindOne(ctx, bson.M{"_id": userID}).Decode(&f); err != nil {
		return nil, wrapErr(op, err)
	}
	cur, err := s.claims.Find(ctx, bson.M{
		"userId":    userID,
		"enrolment": f.Enrolment,
		"kind":      bson.M{"$in": bson.A{claimEnd, claimCodes}},
	})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	var claims []claimDoc
	if err := cur.All(ctx, &claims); err != nil {
		return nil, wrapErr(op, err)
	}
	st := &factorState{factorDoc: f}
	for _, c := range claims {
		if c.Kind == claimEnd {
			st.ended, st.enabled, st.step = true, c.Enabled, c.Step
		}
		if c.Codes != "" && c.Gen > st.gen {
			st.gen, st.set = c.Gen, c.Codes
		}
	}
	if !st.enabled {
		st.step, st.gen, st.set = 0, 0, ""
	}
	return st, nil
}

// enabledState is factorState, and a wrapped store.ErrNotFound also when
// the factor is not enabled.
func (s *Store) enabledState(ctx context.Context, op, userID string) (*factorState, error) {
	st, err := s.factorState(ctx, op, userID)
	if err != nil {
		return nil, err
	}
	if !st.enabled {
		return nil, fmt.Errorf("mongostore: %s: the second factor is not enabled: %w", op, store.ErrNotFound)
	}
	return st, nil
}

// BeginTwoFactor implements store.TwoFactors. The end of the current
// enrolment, if any, is claimed as replaced before the factor is replaced,
// so a concurrent EnableTwoFactor of it either wins (and this is
// ErrConflict) or loses; then the user is looked up, and the factor
// deleted again when there is none (see twofactor.go).
func (s *Store) BeginTwoFactor(ctx context.Context, userID, sealedSecret string, now time.Time) error {
	const op = "begin two-factor"
	f := factorDoc{UserID: userID, Enrolment: store.NewID(), Secret: sealedSecret, CreatedAt: now}
	for range maxTwoFactorTries {
		done, err := s.putPendingFactor(ctx, op, f)
		if errors.Is(err, store.ErrConflict) {
			// An unknown user is ErrNotFound, also when a factor was left
			// behind.
			if _, uerr := s.findUser(ctx, op, userID); errors.Is(uerr, store.ErrNotFound) {
				return uerr
			}
		}
		if err != nil {
			return err
		}
		if !done {
			continue
		}
		if _, err := s.findUser(ctx, op, userID); err != nil {
			return errors.Join(err, s.undoBegin(ctx, f))
		}
		return nil
	}
	return fmt.Errorf("mongostore: %s: the factor changed %d times while it was replaced", op, maxTwoFactorTries)
}

// putPendingFactor stores f, a factor not enabled, in place of the user's
// factor when that is not enabled: ErrConflict when it is, false when a
// concurrent call changed the factor and the caller should look again.
func (s *Store) putPendingFactor(ctx context.Context, op string, f factorDoc) (bool, error) {
	var old factorDoc
	err := s.factors.FindOne(ctx, bson.M{"_id": f.UserID}).Decode(&old)
	if errors.Is(err, mongo.ErrNoDocuments) {
		if _, err := s.factors.InsertOne(ctx, f); mongo.IsDuplicateKeyError(err) {
			return false, nil
		} else if err != nil {
			return false, wrapErr(op, err)
		}
		return true, nil
	}
	if err != nil {
		return false, wrapErr(op, err)
	}
	end := claimDoc{ID: endKey(old.Enrolment), UserID: f.UserID, Enrolment: old.Enrolment, Kind: claimEnd}
	if _, err := s.claims.InsertOne(ctx, end); mongo.IsDuplicateKeyError(err) {
		var c claimDoc
		switch err := s.claims.FindOne(ctx, bson.M{"_id": end.ID}).Decode(&c); {
		case errors.Is(err, mongo.ErrNoDocuments):
			// Deleted with the factor meanwhile.
			return false, nil
		case err != nil:
			return false, wrapErr(op, err)
		case c.Enabled:
			return false, fmt.Errorf("mongostore: %s: the user has an enabled second factor: %w", op, store.ErrConflict)
		}
		// Replaced already: by a concurrent call, or by one that stopped
		// before it replaced the factor. Either way it is not enabled.
	} else if err != nil {
		return false, wrapErr(op, err)
	}
	res, err := s.factors.ReplaceOne(ctx, bson.M{"_id": f.UserID, "enrolment": old.Enrolment}, f)
	if err != nil {
		return false, wrapErr(op, err)
	}
	if res.MatchedCount == 0 {
		// Replaced by a concurrent call, or deleted.
		return false, nil
	}
	// The old enrolment has ended for good: what it left never counts, and
	// deleting it only frees room.
	_ = s.deleteEnrolment(ctx, f.UserID, old.Enrolment)
	return true, nil
}

// deleteEnrolment deletes the claims and recovery codes of an enrolment.
func (s *Store) deleteEnrolment(ctx context.Context, userID, enrolment string) error {
	filter := bson.M{"userId": userID, "enrolment": enrolment}
	if _, err := s.codes.DeleteMany(ctx, filter); err != nil {
		return err
	}
	_, err := s.claims.DeleteMany(ctx, filter)
	return err
}

// undoBegin deletes the factor a BeginTwoFactor stored for a user who does
// not exist, also when ctx is done.
func (s *Store) undoBegin(ctx context.Context, f factorDoc) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	if _, err := s.factors.DeleteOne(ctx, bson.M{"_id": f.UserID, "enrolment": f.Enrolment}); err != nil {
		return fmt.Errorf("mongostore: remove the second factor of user %s again: %w", f.UserID, err)
	}
	return nil
}

// GetTwoFactor implements store.TwoFactors: the factor, its claims, and,
// when enabled, its last step and the count of its recovery codes.
func (s *Store) GetTwoFactor(ctx context.Context, userID string) (*store.TwoFactor, error) {
	const op = "get two-factor"
	st, err := s.factorState(ctx, op, userID)
	if err != nil {
		return nil, err
	}
	f := &store.TwoFactor{UserID: userID, Secret: st.Secret, Enabled: st.enabled, CreatedAt: st.CreatedAt}
	if !st.enabled {
		return f, nil
	}
	if f.LastStep, err = s.lastStep(ctx, op, st); err != nil {
		return nil, err
	}
	n, err := s.codes.CountDocuments(ctx, bson.M{"userId": userID, "set": st.set})
	if err != nil {
		return nil, wrapErr(op, err)
	}
	f.RecoveryCodes = int(n)
	return f, nil
}

// lastStep returns the greatest time step of an enabled factor's claims.
func (s *Store) lastStep(ctx context.Context, op string, st *factorState) (int64, error) {
	var c claimDoc
	err := s.claims.FindOne(ctx,
		bson.M{"userId": st.UserID, "enrolment": st.Enrolment, "kind": claimStep},
		options.FindOne().SetSort(bson.D{{Key: "step", Value: -1}})).Decode(&c)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return st.step, nil
	}
	if err != nil {
		return 0, wrapErr(op, err)
	}
	return max(st.step, c.Step), nil
}

// EnableTwoFactor implements store.TwoFactors. The factor read first must
// be pending with sealedSecret. The recovery codes are
// inserted under a new set first, then the enrolment's end claim, enabled
// and naming the set, which only one caller inserts: a loser deletes its
// codes again and gets ErrNotFound. Then the factor is read again, and the
// claim and codes deleted when a concurrent call replaced or deleted it
// meanwhile (see twofactor.go).
func (s *Store) EnableTwoFactor(ctx context.Context, userID, sealedSecret string, step int64, recoveryHashes []string) error {
	const op = "enable two-factor"
	st, err := s.factorState(ctx, op, userID)
	if err != nil {
		return err
	}
	notPending := fmt.Errorf("mongostore: %s: no second factor waits for confirmation: %w", op, store.ErrNotFound)
	if st.ended || st.Secret != sealedSecret {
		return notPending
	}
	set := store.NewID()
	if err := s.insertCodes(ctx, op, st.factorDoc, set, recoveryHashes); err != nil {
		return errors.Join(err, s.undoCodes(ctx, userID, set))
	}
	end := claimDoc{ID: endKey(st.Enrolment), UserID: userID, Enrolment: st.Enrolment, Kind: claimEnd,
		Enabled: true, Step: step, Gen: 1, Codes: set}
	if _, err := s.claims.InsertOne(ctx, end); mongo.IsDuplicateKeyError(err) {
		return errors.Join(notPending, s.undoCodes(ctx, userID, set))
	} else if err != nil {
		return errors.Join(wrapErr(op, err), s.undoCodes(ctx, userID, set))
	}
	var f factorDoc
	err = s.factors.FindOne(ctx, bson.M{"_id": userID}).Decode(&f)
	if err == nil && f.Enrolment == st.Enrolment {
		return nil
	}
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return wrapErr(op, err)
	}
	// Replaced or deleted between the first read and the claim.
	return errors.Join(notPending, s.undoEnable(ctx, end))
}

// insertCodes inserts the recovery codes with the hashes (each once) as the
// set named set of the factor f.
func (s *Store) insertCodes(ctx context.Context, op string, f factorDoc, set string, hashes []string) error {
	seen := make(map[string]bool, len(hashes))
	docs := make([]recoveryCodeDoc, 0, len(hashes))
	for _, h := range hashes {
		if !seen[h] {
			seen[h] = true
			docs = append(docs, recoveryCodeDoc{ID: codeKey(f.UserID, set, h), UserID: f.UserID, Enrolment: f.Enrolment, Set: set})
		}
	}
	if len(docs) == 0 {
		return nil
	}
	if _, err := s.codes.InsertMany(ctx, docs); err != nil {
		return wrapErr(op, err)
	}
	return nil
}

// undoCodes deletes a set of recovery codes that lost, also when ctx is
// done. Left behind, they would never count; they only take room.
func (s *Store) undoCodes(ctx context.Context, userID, set string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	if _, err := s.codes.DeleteMany(ctx, bson.M{"userId": userID, "set": set}); err != nil {
		return fmt.Errorf("mongostore: remove the recovery codes of user %s again: %w", userID, err)
	}
	return nil
}

// undoEnable deletes the end claim and codes of an EnableTwoFactor whose
// factor was replaced or deleted meanwhile, also when ctx is done.
func (s *Store) undoEnable(ctx context.Context, end claimDoc) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	if _, err := s.claims.DeleteOne(ctx, bson.M{"_id": end.ID}); err != nil {
		return fmt.Errorf("mongostore: remove the confirmation of a replaced second factor of user %s: %w", end.UserID, err)
	}
	return s.undoCodes(ctx, end.UserID, end.Codes)
}

// UseTwoFactorStep implements store.TwoFactors: a step not later than the
// enrolment's greatest is ErrConflict; otherwise the step's claim is
// inserted, and of concurrent uses of one step only one inserts it. Step
// claims more than pruneSteps earlier are deleted afterwards, as far as
// that goes: they can decide nothing any more, and the next use tries
// again.
func (s *Store) UseTwoFactorStep(ctx context.Context, userID string, step int64) error {
	const op = "use two-factor step"
	st, err := s.enabledState(ctx, op, userID)
	if err != nil {
		return err
	}
	used := fmt.Errorf("mongostore: %s: step %d used already: %w", op, step, store.ErrConflict)
	if step <= st.step {
		return used
	}
	mine := bson.M{"userId": userID, "enrolment": st.Enrolment, "kind": claimStep}
	later := bson.M{"userId": userID, "enrolment": st.Enrolment, "kind": claimStep, "step": bson.M{"$gte": step}}
	switch err := s.claims.FindOne(ctx, later).Err(); {
	case err == nil:
		return used
	case !errors.Is(err, mongo.ErrNoDocuments):
		return wrapErr(op, err)
	}
	c := claimDoc{ID: stepKey(st.Enrolment, step), UserID: userID, Enrolment: st.Enrolment, Kind: claimStep, Step: step}
	if _, err := s.claims.InsertOne(ctx, c); mongo.IsDuplicateKeyError(err) {
		return used
	} else if err != nil {
		return wrapErr(op, err)
	}
	mine["step"] = bson.M{"$lt": step - pruneSteps}
	_, _ = s.claims.DeleteMany(ctx, mine) // only room; see the doc comment
	return nil
}

// UseRecoveryCode implements store.TwoFactors: the code is deleted from
// the set that counts, and only the caller whose delete removed it used
// it.
func (s *Store) UseRecoveryCode(ctx context.Context, userID, codeHash string) error {
	const op = "use recovery code"
	st, err := s.enabledState(ctx, op, userID)
	if err != nil {
		return err
	}
	res, err := s.codes.DeleteOne(ctx, bson.M{"_id": codeKey(userID, st.set, codeHash)})
	if err != nil {
		return wrapErr(op, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op)
	}
	return nil
}

// ReplaceRecoveryCodes implements store.TwoFactors. The new codes are
// inserted under a new set, which then claims the next set number of the
// enrolment (the following one when a concurrent call took it); from then
// on only they count, and the set they replaced is deleted, as far as that
// goes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	const op = "replace recovery codes"
	st, err := s.enabledState(ctx, op, userID)
	if err != nil {
		return err
	}
	set := store.NewID()
	if err := s.insertCodes(ctx, op, st.factorDoc, set, hashes); err != nil {
		return errors.Join(err, s.undoCodes(ctx, userID, set))
	}
	for range maxTwoFactorTries {
		c := claimDoc{ID: codesKey(st.Enrolment, st.gen+1), UserID: userID, Enrolment: st.Enrolment, Kind: claimCodes,
			Gen: st.gen + 1, Codes: set}
		_, err := s.claims.InsertOne(ctx, c)
		if err == nil {
			// Only room: the codes replaced no longer count.
			_, _ = s.codes.DeleteMany(ctx, bson.M{"userId": userID, "set": st.set})
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return errors.Join(wrapErr(op, err), s.undoCodes(ctx, userID, set))
		}
		next, err := s.enabledState(ctx, op, userID)
		if err == nil && next.Enrolment != st.Enrolment {
			err = fmt.Errorf("mongostore: %s: the second factor was replaced: %w", op, store.ErrNotFound)
		}
		if err != nil {
			return errors.Join(err, s.undoCodes(ctx, userID, set))
		}
		st = next
	}
	return errors.Join(fmt.Errorf("mongostore: %s: the codes changed %d times while they were replaced", op, maxTwoFactorTries),
		s.undoCodes(ctx, userID, set))
}

// DeleteTwoFactor implements store.TwoFactors: the factor first, then, as
// far as that goes, the claims and recovery codes of its enrolment.
func (s *Store) DeleteTwoFactor(ctx context.Context, userID string) error {
	const op = "delete two-factor"
	for range maxTwoFactorTries {
		var f factorDoc
		if err := s.factors.FindOne(ctx, bson.M{"_id": userID}).Decode(&f); err != nil {
			return wrapErr(op, err)
		}
		res, err := s.factors.DeleteOne(ctx, bson.M{"_id": userID, "enrolment": f.Enrolment})
		if err != nil {
			return wrapErr(op, err)
		}
		if res.DeletedCount == 0 {
			// Replaced or deleted meanwhile: look again.
			continue
		}
		// No factor names the enrolment any more, so its claims and codes
		// never count: deleting them only frees room (DeleteUser deletes
		// what is left).
		_ = s.deleteEnrolment(ctx, userID, f.Enrolment)
		return nil
	}
	return fmt.Errorf("mongostore: %s: the factor changed %d times while it was deleted", op, maxTwoFactorTries)
}

// deleteUserTwoFactor deletes the user's factor, then all their claims and
// recovery codes, for DeleteUser.
func (s *Store) deleteUserTwoFactor(ctx context.Context, userID string) error {
	if _, err := s.factors.DeleteOne(ctx, bson.M{"_id": userID}); err != nil {
		return err
	}
	if _, err := s.claims.DeleteMany(ctx, bson.M{"userId": userID}); err != nil {
		return err
	}
	_, err := s.codes.DeleteMany(ctx, bson.M{"userId": userID})
	return err
}
