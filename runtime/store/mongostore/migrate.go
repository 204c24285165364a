package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// SchemaVersion is the version of the schema this package reads and writes:
// the number of Migrate's steps. Status compares a database with it.
const SchemaVersion = 7

// codeNamespaceExists is the server's error code for a collection that
// exists already.
const codeNamespaceExists = 48

// Errors of Status.Check, for errors.Is.
var (
	// ErrPending: the database lacks schema steps; Migrate applies them.
	ErrPending = errors.New("mongostore: schema steps pending")
	// ErrUnknownVersion: the database records steps this package does not
	// have, so a newer program migrated it.
	ErrUnknownVersion = errors.New("mongostore: the database has schema versions this program does not know")
)

// Step is one change of the schema, numbered from 1.
type Step struct {
	Version int64
	// Name says what it does.
	Name string
}

// steps are the schema's changes in order: the version of steps[i] is
// i+1. Every step changes only what is not done yet, so running one again,
// or from several instances at once, is harmless; a new step goes at the
// end, and SchemaVersion follows.
var steps = []struct {
	name string
	run  func(s *Store, ctx context.Context) error
}{
	{"collections and indexes", (*Store).createCollections},
	{"sessions carry their provider", (*Store).sessionProvider},
	{"sessions carry their sign-in time, user agent and address", (*Store).sessionLifecycle},
	{"verification tokens count code attempts", (*Store).createAttempts},
	{"accounts carry when they were linked", (*Store).accountLinkedAt},
	{"second factors and recovery codes", (*Store).createTwoFactors},
	{"passkeys and their uses", (*Store).createPasskeys},
}

// migrationDoc records an applied step in the migrations collection.
type migrationDoc struct {
	Version int64  `bson:"_id"`
	Name    string `bson:"name"`
	// Applied is when, by the store's clock.
	Applied bson.DateTime `bson:"applied"`
}

// Status is how a database stands against the schema's steps.
type Status struct {
	// Current is the database's version: the highest step it records, 0 for
	// a database never migrated (or migrated by authgen before it recorded
	// versions, which Migrate brings up to date).
	Current int64
	// Latest is SchemaVersion.
	Latest int64
	// Applied are the versions the database records, ascending.
	Applied []int64
	// Pending are the steps the database does not record, ascending.
	Pending []Step
	// Unknown are versions the database records that this package does not
	// have: a newer program migrated it.
	Unknown []int64
}

// Check returns nil when the database has every step and nothing else;
// otherwise an error wrapping ErrUnknownVersion or ErrPending, in that order
// of precedence.
func (st *Status) Check() error {
	if len(st.Unknown) > 0 {
		return fmt.Errorf("%w: it is at version %d, the newest this program knows is %d (migrated by a newer program?)",
			ErrUnknownVersion, st.Current, st.Latest)
	}
	if len(st.Pending) > 0 {
		names := make([]string, len(st.Pending))
		for i, p := range st.Pending {
			names[i] = strconv.FormatInt(p.Version, 10) + " (" + p.Name + ")"
		}
		return fmt.Errorf("%w: the database is at version %d, this program needs %d; not applied: %s",
			ErrPending, st.Current, st.Latest, strings.Join(names, ", "))
	}
	return nil
}

// Status reads the versions the database records and compares them with
// the schema's steps. An error is the database's (unreachable, say), never
// ErrPending: that is Status.Check's.
func (s *Store) Status(ctx context.Context) (*Status, error) {
	cur, err := s.migrations.Find(ctx, bson.M{})
	if err != nil {
		return nil, fmt.Errorf("mongostore: schema status: %w", err)
	}
	var docs []migrationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("mongostore: schema status: %w", err)
	}
	recorded := make([]int64, 0, len(docs))
	for _, d := range docs {
		recorded = append(recorded, d.Version)
	}
	return status(recorded), nil
}

// status compares recorded versions with the steps.
func status(recorded []int64) *Status {
	st := &Status{Latest: SchemaVersion}
	have := map[int64]bool{}
	for _, v := range recorded {
		if have[v] {
			continue
		}
		have[v] = true
		st.Current = max(st.Current, v)
		st.Applied = append(st.Applied, v)
		if v < 1 || v > SchemaVersion {
			st.Unknown = append(st.Unknown, v)
		}
	}
	slices.Sort(st.Applied)
	slices.Sort(st.Unknown)
	for i, step := range steps {
		if v := int64(i + 1); !have[v] {
			st.Pending = append(st.Pending, Step{Version: v, Name: step.name})
		}
	}
	return st
}

// Migrate applies the schema steps the database does not record, in order,
// recording each in the migrations collection once it is done. A database
// that authgen migrated before it recorded versions gets every step again,
// which changes only what is missing. Steps are idempotent, so Migrate is
// safe at every start and from several instances at once; versions the
// database records that this package does not know are no obstacle. A
// step the server refuses is an error wrapping dbcheck.ErrSchema; an
// unreachable server's error is not.
//
// Step 1 creates the four collections and their indexes; step 2 gives the
// sessions stored before sessions had a provider an empty one; step 3 gives
// the sessions stored before sessions recorded their sign-in time the time
// of the migration (by the store's clock, Options.Now), so their absolute
// lifetime counts from the upgrade, and an empty user agent and address;
// step 4 creates the collection of the sign-in codes tried against
// verification tokens, and its index; step 5 gives the accounts
// stored before accounts recorded when they were linked the time the store
// inserted them; step 6 creates the collections of second factors, their
// claims and recovery codes, and their indexes; step 7 creates the
// collections of passkeys and their uses, and their indexes. There is no
// TTL index (FerretDB v1 has none): expired sessions are deleted by
// DeleteExpiredSessions, which sign-ins run hourly.
func (s *Store) Migrate(ctx context.Context) error {
	st, err := s.Status(ctx)
	if err != nil {
		return fmt.Errorf("mongostore: migrate: %w", err)
	}
	for _, p := range st.Pending {
		if err := steps[p.Version-1].run(s, ctx); err != nil {
			return fmt.Errorf("mongostore: migrate: step %d (%s): %w", p.Version, p.Name, migrateErr(err))
		}
		doc := migrationDoc{Version: p.Version, Name: p.Name, Applied: bson.NewDateTimeFromTime(s.now())}
		if _, err := s.migrations.InsertOne(ctx, doc); err != nil && !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("mongostore: migrate: record step %d: %w", p.Version, migrateErr(err))
		}
	}
	return nil
}

// createCollections is step 1: the collections and their indexes.
func (s *Store) createCollections(ctx context.Context) error {
	for _, c := range []*mongo.Collection{s.users, s.accounts, s.sessions, s.tokens, s.migrations} {
		if err := s.createCollection(ctx, c); err != nil {
			return err
		}
	}
	indexes := []struct {
		c     *mongo.Collection
		model mongo.IndexModel
	}{
		// Unique e-mail addresses; the sparse index skips users without one.
		{s.users, mongo.IndexModel{
			Keys:    bson.D{{Key: "email", Value: 1}},
			Options: options.Index().SetName("email").SetUnique(true).SetSparse(true),
		}},
		// ListAccounts, in order, and DeleteUser.
		{s.accounts, mongo.IndexModel{
			Keys:    bson.D{{Key: "userId", Value: 1}, {Key: "provider", Value: 1}, {Key: "providerAccountId", Value: 1}},
			Options: options.Index().SetName("userId"),
		}},
		// DeleteUser.
		{s.sessions, mongo.IndexModel{
			Keys:    bson.D{{Key: "userId", Value: 1}},
			Options: options.Index().SetName("userId"),
		}},
		// DeleteExpiredSessions.
		{s.sessions, mongo.IndexModel{
			Keys:    bson.D{{Key: "expires", Value: 1}},
			Options: options.Index().SetName("expires"),
		}},
	}
	for _, ix := range indexes {
		if _, err := ix.c.Indexes().CreateOne(ctx, ix.model); err != nil {
			return fmt.Errorf("index of %s: %w", ix.c.Name(), err)
		}
	}
	return nil
}

// createCollection creates c unless it exists.
func (s *Store) createCollection(ctx context.Context, c *mongo.Collection) error {
	var se mongo.ServerError
	if err := s.db.CreateCollection(ctx, c.Name()); err != nil && !(errors.As(err, &se) && se.HasErrorCode(codeNamespaceExists)) {
		return fmt.Errorf("create %s: %w", c.Name(), err)
	}
	return nil
}

// sessionProvider is step 2: sessions stored before sessions had a
// provider get an empty one, so every session document has the field.
func (s *Store) sessionProvider(ctx context.Context) error {
	_, err := s.sessions.UpdateMany(ctx, bson.M{"provider": bson.M{"$exists": false}}, bson.M{"$set": bson.M{"provider": ""}})
	return err
}

// sessionLifecycle is step 3: sessions stored before sessions recorded
// their sign-in time get the time of the migration, and an empty user
// agent and address, so every session document has the fields.
func (s *Store) sessionLifecycle(ctx context.Context) error {
	now := s.now().UTC().Truncate(time.Millisecond)
	if _, err := s.sessions.UpdateMany(ctx, bson.M{"createdAt": bson.M{"$exists": false}}, bson.M{"$set": bson.M{"createdAt": now}}); err != nil {
		return err
	}
	for _, field := range []string{"userAgent", "ip"} {
		if _, err := s.sessions.UpdateMany(ctx, bson.M{field: bson.M{"$exists": false}}, bson.M{"$set": bson.M{field: ""}}); err != nil {
			return err
		}
	}
	return nil
}

// createAttempts is step 4: the collection that counts the sign-in codes
// tried against verification tokens (Store.CountVerificationAttempt), with
// an index on the token for counting and deleting a token's attempts.
// Tokens stored before it have no attempts field, which reads as none.
func (s *Store) createAttempts(ctx context.Context) error {
	if err := s.createCollection(ctx, s.attempts); err != nil {
		return err
	}
	_, err := s.attempts.Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "token", Value: 1}},
		Options: options.Index().SetName("token"),
	})
	if err != nil {
		return fmt.Errorf("index of %s: %w", s.attempts.Name(), err)
	}
	return nil
}

// accountLinkedAt is step 5: accounts stored before accounts recorded when
// they were linked (store.Account.LinkedAt) get the time the store inserted
// them. One update per account, without an aggregation pipeline, which
// FerretDB v1 lacks; the filter keeps a value set meanwhile.
func (s *Store) accountLinkedAt(ctx context.Context) error {
	missing := bson.M{"linkedAt": bson.M{"$exists": false}}
	cur, err := s.accounts.Find(ctx, missing, options.Find().SetProjection(bson.M{"_id": 1, "linked": 1}))
	if err != nil {
		return err
	}
	var docs []struct {
		ID     string    `bson:"_id"`
		Linked time.Time `bson:"linked"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return err
	}
	for _, d := range docs {
		if d.Linked.IsZero() {
			continue
		}
		filter := bson.M{"_id": d.ID, "linkedAt": bson.M{"$exists": false}}
		if _, err := s.accounts.UpdateOne(ctx, filter, bson.M{"$set": bson.M{"linkedAt": d.Linked}}); err != nil {
			return err
		}
	}
	return nil
}

// createTwoFactors is step 6: the collections of second factors, of the
// claims that decide their races and of recovery codes (see twofactor.go),
// with an index on the user (and the enrolment, or the code set) by which
// claims and codes are found, counted and deleted.
func (s *Store) createTwoFactors(ctx context.Context) error {
	for _, c := range []*mongo.Collection{s.factors, s.claims, s.codes} {
		if err := s.createCollection(ctx, c); err != nil {
			return err
		}
	}
	indexes := []struct {
		c     *mongo.Collection
		model mongo.IndexModel
	}{
		{s.claims, mongo.IndexModel{
			Keys:    bson.D{{Key: "userId", Value: 1}, {Key: "enrolment", Value: 1}},
			Options: options.Index().SetName("userId"),
		}},
		{s.codes, mongo.IndexModel{
			Keys:    bson.D{{Key: "userId", Value: 1}, {Key: "set", Value: 1}},
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
