// Package mongostore_test runs runtime/store/mongostore against FerretDB v1
// (SQLite backend), a MongoDB wire-protocol server without multi-document
// transactions: the conformance suite and the second factors' suite, the store's own guarantees (Migrate
// twice and concurrently, upgrading a database of an earlier schema version, the account of a first sign-in without its user,
// undoing a link after its request was cancelled, losers of a first-sign-in
// race signing in as the winner, an outage and recovery) and the session
// check's benchmark.
package mongostore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/dbcheck"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/mongostore"
	"github.com/authgen/authgen/runtime/store/storetest"
)

// prefix is a generated project's default collection prefix.
const prefix = "auth_"

// What GetUserByAccount documents: it waits up to pendingWait for the user
// of an account younger than pendingAge, and deletes older ones.
const (
	pendingWait = time.Second
	pendingAge  = time.Minute
)

// testDatabases numbers the databases of one run.
var testDatabases atomic.Int64

// newDatabase returns the name of a new, empty database on srv, dropped
// when the test ends.
func newDatabase(tb testing.TB, srv *testsvc.MongoServer) string {
	tb.Helper()
	name := fmt.Sprintf("authgen_test_%d_%d", os.Getpid(), testDatabases.Add(1))
	tb.Cleanup(func() {
		st, err := mongostore.Open(srv.URL()+name, mongostore.Options{})
		if err != nil {
			tb.Errorf("drop %s: %v", name, err)
			return
		}
		defer st.Close()
		if err := st.Database().Drop(context.Background()); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
	})
	return name
}

// openStore opens and migrates a store with opts on a new, empty database
// of srv (with the collection prefix "auth_" unless opts has another).
func openStore(tb testing.TB, srv *testsvc.MongoServer, opts mongostore.Options) *mongostore.Store {
	tb.Helper()
	if opts.Prefix == "" {
		opts.Prefix = prefix
	}
	st, err := mongostore.Open(srv.URL()+newDatabase(tb, srv), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	if err := st.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return st
}

// collection returns one of the store's collections, for looking at what
// the store keeps.
func collection(st *mongostore.Store, name string) *mongo.Collection {
	return st.Database().Collection(prefix + name)
}

func TestStore(t *testing.T) {
	srv := testsvc.Mongo(t)
	t.Run("Conformance", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store { return openStore(t, srv, mongostore.Options{}) })
	})
	t.Run("TwoFactors", func(t *testing.T) {
		storetest.RunTwoFactors(t, func(t *testing.T) storetest.TwoFactorStore { return openStore(t, srv, mongostore.Options{}) })
	})
	t.Run("Passkeys", func(t *testing.T) {
		storetest.RunPasskeys(t, func(t *testing.T) storetest.PasskeyStore { return openStore(t, srv, mongostore.Options{}) })
	})
	t.Run("TwoFactorRaces", func(t *testing.T) { twoFactorRaces(t, srv) })
	t.Run("TwoFactorDeleteUser", func(t *testing.T) { twoFactorDeleteUser(t, srv) })
	t.Run("MigrateTwice", func(t *testing.T) { migrateTwice(t, srv) })
	t.Run("MigrateConcurrently", func(t *testing.T) { migrateConcurrently(t, srv) })
	t.Run("Upgrade", func(t *testing.T) { upgrade(t, srv) })
	t.Run("StoredForm", func(t *testing.T) { storedForm(t, srv) })
	t.Run("AccountWithoutUser", func(t *testing.T) { accountWithoutUser(t, srv) })
	t.Run("UndoCancelled", func(t *testing.T) { undoCancelled(t, srv) })
	t.Run("FirstSignInRace", func(t *testing.T) { firstSignInRace(t, srv) })
	t.Run("LinkRacingDelete", func(t *testing.T) { linkRacingDelete(t, srv) })
}

// migrateTwice: a second Migrate changes nothing and fails at nothing; the
// collections and the unique e-mail index exist.
func migrateTwice(t *testing.T, srv *testsvc.MongoServer) {
	st := openStore(t, srv, mongostore.Options{})
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	names, err := st.Database().ListCollectionNames(t.Context(), bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"users", "accounts", "sessions", "verification_tokens", "two_factors", "two_factor_claims", "recovery_codes", "passkeys", "passkey_uses"} {
		if !slices.Contains(names, prefix+c) {
			t.Errorf("collection %s%s is missing: %v", prefix, c, names)
		}
	}
	want := map[string][]string{
		"users":    {"email"},
		"accounts": {"userId"},
		"sessions": {"userId", "expires"},
		// Second factors' claims and recovery codes, by user.
		"two_factor_claims": {"userId"},
		"recovery_codes":    {"userId"},
		// Passkeys by user; their uses by passkey and by user.
		"passkeys":     {"userId"},
		"passkey_uses": {"incarnation", "userId"},
	}
	for c, indexes := range want {
		specs, err := collection(st, c).Indexes().ListSpecifications(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range indexes {
			if !slices.ContainsFunc(specs, func(s mongo.IndexSpecification) bool { return s.Name == name }) {
				t.Errorf("%s%s has no index %s: %+v", prefix, c, name, specs)
			}
		}
		// FerretDB v1 does not list an index as sparse (storedForm checks
		// that it is).
		if c == "users" && !slices.ContainsFunc(specs, func(s mongo.IndexSpecification) bool {
			return s.Name == "email" && s.Unique != nil && *s.Unique
		}) {
			t.Errorf("the users have no unique email index: %+v", specs)
		}
	}
}

// migrateConcurrently: instances starting together all migrate one new
// database without an error.
func migrateConcurrently(t *testing.T, srv *testsvc.MongoServer) {
	url := srv.URL() + newDatabase(t, srv)
	const instances = 4
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i := range instances {
		st, err := mongostore.Open(url, mongostore.Options{Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		wg.Go(func() { errs[i] = st.Migrate(t.Context()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: Migrate: %v", i, err)
		}
	}
	st, err := mongostore.Open(url, mongostore.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	status, err := st.Status(t.Context())
	if err != nil || status.Check() != nil || !slices.Equal(status.Applied, allVersions()) {
		t.Errorf("after %d instances migrated: Status = %+v, %v", instances, status, err)
	}
	if n, err := collection(st, "migrations").CountDocuments(t.Context(), bson.M{}); err != nil || n != mongostore.SchemaVersion {
		t.Errorf("%d version records (%v), want one per step", n, err)
	}
}

// upgrade: a database that the release before schema versions migrated —
// the four collections, no version record, sessions without a provider —
// and ones recorded at version 1 and at version 2 (sessions with a
// provider, without a sign-in time, user agent or address) are brought to
// SchemaVersion by Migrate, keeping their sessions, which get the time of
// the migration as their sign-in time; the first also gets the indexes it
// lacks.
func upgrade(t *testing.T, srv *testsvc.MongoServer) {
	for _, recorded := range [][]int64{nil, {1}, {1, 2}} {
		t.Run(fmt.Sprintf("recorded %v", recorded), func(t *testing.T) {
			ctx := t.Context()
			migrated := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
			st, err := mongostore.Open(srv.URL()+newDatabase(t, srv), mongostore.Options{Prefix: prefix, Now: func() time.Time { return migrated }})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			// What the release before wrote.
			db := st.Database()
			for _, c := range []string{"users", "accounts", "sessions", "verification_tokens", "two_factors", "two_factor_claims", "recovery_codes"} {
				if err := db.CreateCollection(ctx, prefix+c); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := collection(st, "users").Indexes().CreateOne(ctx, mongo.IndexModel{
				Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetName("email").SetUnique(true).SetSparse(true),
			}); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Millisecond)
			expires := now.Add(30 * 24 * time.Hour)
			oldID := store.HashToken("a session from before the upgrade")
			insert := func(c string, doc bson.M) {
				t.Helper()
				if _, err := collection(st, c).InsertOne(ctx, doc); err != nil {
					t.Fatal(err)
				}
			}
			insert("users", bson.M{"_id": "u-1", "name": "Old Timer", "email": "old@example.com"})
			old := bson.M{"_id": oldID, "userId": "u-1", "expires": expires}
			if len(recorded) >= 2 {
				old["provider"] = "github"
			}
			insert("sessions", old)
			oldToken := store.HashToken("a verification token from before the upgrade")
			insert("verification_tokens", bson.M{"_id": oldToken, "identifier": "old@example.com", "expires": expires})
			for _, v := range recorded {
				insert("migrations", bson.M{"_id": v, "name": "collections and indexes", "applied": now})
			}

			status, err := st.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := status.Check(); !errors.Is(err, mongostore.ErrPending) || status.Current != int64(len(recorded)) {
				t.Errorf("before Migrate: Status = %+v, Check() = %v; want ErrPending at version %d", status, err, len(recorded))
			}
			if err := st.CheckSchema(ctx); !errors.Is(err, dbcheck.ErrPending) {
				t.Errorf("before Migrate: CheckSchema() = %v, want dbcheck.ErrPending", err)
			}
			if err := st.Migrate(ctx); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			status, err = st.Status(ctx)
			if err != nil || status.Check() != nil || status.Current != mongostore.SchemaVersion || !slices.Equal(status.Applied, allVersions()) {
				t.Errorf("after Migrate: Status = %+v, %v", status, err)
			}
			if err := st.CheckSchema(ctx); err != nil {
				t.Errorf("after Migrate: CheckSchema() = %v", err)
			}

			wantProvider, _ := old["provider"].(string)
			s, u, err := st.GetSessionAndUser(ctx, oldID, now)
			if err != nil || s.Provider != wantProvider || s.UserID != "u-1" || !s.Expires.Equal(expires) || u.Email != "old@example.com" ||
				!s.CreatedAt.Equal(migrated) || s.UserAgent != "" || s.IP != "" {
				t.Errorf("the session from before the upgrade: %+v of %+v, %v; want provider %q, user u-1, created at the migration (%s)", s, u, err, wantProvider, migrated)
			}
			raw, err := collection(st, "sessions").FindOne(ctx, bson.M{"_id": oldID}).Raw()
			if err != nil {
				t.Fatal(err)
			}
			if v, err := raw.LookupErr("provider"); err != nil || v.StringValue() != wantProvider {
				t.Errorf("the old session's provider field after Migrate: %v, %v; want %q", v, err, wantProvider)
			}
			for _, field := range []string{"userAgent", "ip"} {
				if v, err := raw.LookupErr(field); err != nil || v.StringValue() != "" {
					t.Errorf("the old session's %s field after Migrate: %v, %v; want \"\"", field, v, err)
				}
			}
			if v, err := raw.LookupErr("createdAt"); err != nil || !v.Time().Equal(migrated) {
				t.Errorf("the old session's createdAt field after Migrate: %v, %v; want the migration's time %s", v, err, migrated)
			}
			if err := st.UpdateSession(ctx, oldID, expires.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if s, _, err := st.GetSessionAndUser(ctx, oldID, now); err != nil || !s.CreatedAt.Equal(migrated) {
				t.Errorf("the session from before the upgrade, renewed: %+v, %v; want CreatedAt %s still", s, err, migrated)
			}
			fresh := store.Session{ID: store.HashToken("after the upgrade"), UserID: "u-1", Provider: "github", Expires: expires,
				CreatedAt: now, UserAgent: "curl/8.5.0", IP: "203.0.113.7"}
			if err := st.CreateSession(ctx, fresh); err != nil {
				t.Fatal(err)
			}
			if s, _, err := st.GetSessionAndUser(ctx, fresh.ID, now); err != nil || s.Provider != "github" || !s.CreatedAt.Equal(now) ||
				s.UserAgent != "curl/8.5.0" || s.IP != "203.0.113.7" {
				t.Errorf("a session created after the upgrade: %+v, %v; want provider github, created now, its user agent and address", s, err)
			}
			for want := 1; want <= 2; want++ {
				if tok, err := st.CountVerificationAttempt(ctx, "old@example.com", oldToken); err != nil || tok.Attempts != want || !tok.Expires.Equal(expires) {
					t.Errorf("CountVerificationAttempt on a token from before the upgrade: %+v, %v; want %d attempts", tok, err, want)
				}
			}
			if tok, err := st.UseVerificationToken(ctx, "old@example.com", oldToken); err != nil || tok.Attempts != 2 {
				t.Errorf("UseVerificationToken on a token from before the upgrade, after 2 attempts: %+v, %v; want 2 attempts", tok, err)
			}
			if n, err := collection(st, "verification_attempts").CountDocuments(ctx, bson.M{}); err != nil || n != 0 {
				t.Errorf("attempts left after the token was used: %d, %v; want none", n, err)
			}
			if recorded != nil {
				return // step 1 is not run again
			}
			specs, err := collection(st, "sessions").Indexes().ListSpecifications(ctx)
			if err != nil || !slices.ContainsFunc(specs, func(s mongo.IndexSpecification) bool { return s.Name == "expires" }) {
				t.Errorf("the sessions' indexes after Migrate: %+v, %v; want expires among them", specs, err)
			}
		})
	}
}

// storedForm: times are BSON dates; a user without an address has no email
// field, so any number of them pass the unique index.
func storedForm(t *testing.T, srv *testsvc.MongoServer) {
	st := openStore(t, srv, mongostore.Options{})
	ctx := t.Context()
	verified := time.Now()
	u, err := st.CreateUser(ctx, store.User{Name: "Dated", Email: "dated@example.com", EmailVerified: &verified})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := st.CreateUser(ctx, store.User{Name: fmt.Sprintf("No address %d", i)}); err != nil {
			t.Fatalf("user %d without an address: %v", i, err)
		}
	}
	if err := st.CreateSession(ctx, store.Session{ID: store.HashToken("t"), UserID: u.ID, Expires: verified.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateVerificationToken(ctx, store.VerificationToken{Identifier: "dated@example.com", TokenHash: "h", Expires: verified.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUserAndAccount(ctx, store.User{Name: "Linked"}, store.Account{Type: "oauth", Provider: "github", ProviderAccountID: "1"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ collection, field string }{
		{"users", "emailVerified"}, {"sessions", "expires"}, {"verification_tokens", "expires"}, {"accounts", "linked"},
	} {
		raw, err := collection(st, c.collection).FindOne(ctx, bson.M{c.field: bson.M{"$exists": true}}).Raw()
		if err != nil {
			t.Fatalf("%s: %v", c.collection, err)
		}
		if typ := raw.Lookup(c.field).Type; typ != bson.TypeDateTime {
			t.Errorf("%s.%s is stored as %s, want a BSON date", c.collection, c.field, typ)
		}
	}
	if n, err := collection(st, "users").CountDocuments(ctx, bson.M{"email": bson.M{"$exists": true}}); err != nil || n != 1 {
		t.Errorf("%d users (%v) have an email field, want the one with an address", n, err)
	}
}

// clock is a store's clock, which the test moves.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time           { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) set(offset time.Duration) { c.offset.Store(int64(offset)) }

// accountWithoutUser: an account whose user is missing, as a first sign-in
// between its two writes or one that failed half-way leaves it.
func accountWithoutUser(t *testing.T, srv *testsvc.MongoServer) {
	var c clock
	st := openStore(t, srv, mongostore.Options{Now: c.Now})
	ctx := t.Context()
	// signedInHalfway links the provider account at the clock's time and
	// removes its user, as if only the account's write had happened.
	signedInHalfway := func(providerAccountID string, u store.User) *store.User {
		t.Helper()
		u2, err := st.CreateUserAndAccount(ctx, u, store.Account{Type: "oauth", Provider: "github", ProviderAccountID: providerAccountID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := collection(st, "users").DeleteOne(ctx, bson.M{"_id": u2.ID}); err != nil {
			t.Fatal(err)
		}
		return u2
	}
	linked := func(userID string) int {
		t.Helper()
		accs, err := st.ListAccounts(ctx, userID)
		if err != nil {
			t.Fatal(err)
		}
		return len(accs)
	}

	// A sign-in in progress: its user arrives while GetUserByAccount waits.
	pending := signedInHalfway("1", store.User{Name: "Pending", Email: "pending@example.com"})
	created := make(chan error, 1)
	go func() {
		time.Sleep(150 * time.Millisecond)
		_, err := st.CreateUser(context.Background(), *pending)
		created <- err
	}()
	if u, err := st.GetUserByAccount(ctx, "github", "1"); err != nil || u.ID != pending.ID {
		t.Errorf("account whose user arrives after 150ms: %v, %v; want user %s", u, err, pending.ID)
	}
	if err := <-created; err != nil {
		t.Fatal(err)
	}

	// A sign-in in progress whose user does not come: not found, kept.
	lost := signedInHalfway("2", store.User{Name: "Lost"})
	start := time.Now()
	if _, err := st.GetUserByAccount(ctx, "github", "2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("new account without a user: %v, want ErrNotFound", err)
	}
	if d := time.Since(start); d < pendingWait || d > 3*pendingWait {
		t.Errorf("new account without a user: answered after %s, want about %s", d, pendingWait)
	}
	if linked(lost.ID) != 1 {
		t.Error("a new account without a user was removed")
	}

	// Left by a failed sign-in: not found at once and removed, so that the
	// provider account signs in again.
	c.set(-2 * pendingAge)
	crashed := signedInHalfway("3", store.User{Name: "Crashed"})
	c.set(0)
	start = time.Now()
	if _, err := st.GetUserByAccount(ctx, "github", "3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old account without a user: %v, want ErrNotFound", err)
	}
	if d := time.Since(start); d >= pendingWait {
		t.Errorf("old account without a user: answered after %s, want without waiting for its user", d)
	}
	if linked(crashed.ID) != 0 {
		t.Error("an old account without a user was kept")
	}
	u, err := st.CreateUserAndAccount(ctx, store.User{Name: "Again"}, store.Account{Type: "oauth", Provider: "github", ProviderAccountID: "3"})
	if err != nil {
		t.Fatalf("sign-in after the old account was removed: %v", err)
	}
	if got, err := st.GetUserByAccount(ctx, "github", "3"); err != nil || got.ID != u.ID {
		t.Errorf("after signing in again: %v, %v; want user %s", got, err, u.ID)
	}
}

// cancelKey marks the context of the operation whose first successful
// insert cancels it.
type cancelKey struct{}

// undoCancelled: when the request of a CreateUserAndAccount or LinkAccount
// is cancelled right after the account's insert, the account is deleted
// again all the same.
func undoCancelled(t *testing.T, srv *testsvc.MongoServer) {
	// The client cancels an operation's context (see cancelKey) when the
	// server has acknowledged its first insert.
	monitor := &event.CommandMonitor{Succeeded: func(ctx context.Context, e *event.CommandSucceededEvent) {
		if cancel, ok := ctx.Value(cancelKey{}).(func()); ok && e.CommandName == "insert" {
			cancel()
		}
	}}
	client, err := mongo.Connect(options.Client().ApplyURI(srv.URL()).SetMonitor(monitor))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Disconnect(context.Background()) })
	st := mongostore.New(client.Database(newDatabase(t, srv)), mongostore.Options{Prefix: prefix})
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	owner, err := st.CreateUser(t.Context(), store.User{Name: "Owner"})
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		call func(ctx context.Context, a store.Account) error
	}{
		{"CreateUserAndAccount", func(ctx context.Context, a store.Account) error {
			_, err := st.CreateUserAndAccount(ctx, store.User{Name: "Cancelled"}, a)
			return err
		}},
		{"LinkAccount", func(ctx context.Context, a store.Account) error {
			a.UserID = owner.ID
			return st.LinkAccount(ctx, a)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var once sync.Once
			ctx = context.WithValue(ctx, cancelKey{}, func() { once.Do(cancel) })
			a := store.Account{Type: "oauth", Provider: "github", ProviderAccountID: c.name}
			if err := c.call(ctx, a); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled after the account's insert: %v, want context.Canceled", err)
			}
			if _, err := st.GetUserByAccount(t.Context(), "github", c.name); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("GetUserByAccount after the cancelled %s: %v, want ErrNotFound", c.name, err)
			}
			if n, err := collection(st, "accounts").CountDocuments(t.Context(), bson.M{"providerAccountId": c.name}); err != nil || n != 0 {
				t.Errorf("%d accounts left (%v), want none", n, err)
			}
			if n, err := collection(st, "users").CountDocuments(t.Context(), bson.M{"name": "Cancelled"}); err != nil || n != 0 {
				t.Errorf("%d users left (%v), want none", n, err)
			}
		})
	}
}

// firstSignInRace: concurrent first sign-ins with one provider account, each
// doing what the server does (look the account up, create the user with it,
// and on ErrConflict look it up again), all end up signed in as one user —
// the losers find the winner's user although it is written after the
// account.
func firstSignInRace(t *testing.T, srv *testsvc.MongoServer) {
	st := openStore(t, srv, mongostore.Options{})
	const racers = 16
	for round := range 5 {
		providerAccountID := fmt.Sprint(round)
		ids := make([]string, racers)
		errs := make([]error, racers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				ctx := t.Context()
				<-start
				u, err := st.GetUserByAccount(ctx, "github", providerAccountID)
				if errors.Is(err, store.ErrNotFound) {
					u, err = st.CreateUserAndAccount(ctx, store.User{Name: fmt.Sprintf("Racer %d", i)},
						store.Account{Type: "oauth", Provider: "github", ProviderAccountID: providerAccountID})
					if errors.Is(err, store.ErrConflict) {
						u, err = st.GetUserByAccount(ctx, "github", providerAccountID)
					}
				}
				if err == nil {
					ids[i] = u.ID
				}
				errs[i] = err
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d: racer %d: %v", round, i, err)
			} else if ids[i] != ids[0] {
				t.Errorf("round %d: racer %d signed in as %s, racer 0 as %s", round, i, ids[i], ids[0])
			}
		}
		if n, err := collection(st, "users").CountDocuments(t.Context(), bson.M{}); err != nil || n != int64(round+1) {
			t.Errorf("round %d: %d users (%v), want %d", round, n, err, round+1)
		}
	}
}

// linkRacingDelete: a LinkAccount racing the DeleteUser of its user never
// leaves the account behind.
func linkRacingDelete(t *testing.T, srv *testsvc.MongoServer) {
	st := openStore(t, srv, mongostore.Options{})
	ctx := t.Context()
	for round := range 20 {
		u, err := st.CreateUser(ctx, store.User{Name: fmt.Sprintf("Deleted %d", round)})
		if err != nil {
			t.Fatal(err)
		}
		a := store.Account{UserID: u.ID, Type: "oauth", Provider: "google", ProviderAccountID: fmt.Sprint(round)}
		var linkErr, deleteErr error
		var wg sync.WaitGroup
		wg.Go(func() { linkErr = st.LinkAccount(ctx, a) })
		wg.Go(func() { deleteErr = st.DeleteUser(ctx, u.ID) })
		wg.Wait()
		if deleteErr != nil {
			t.Fatalf("round %d: DeleteUser: %v", round, deleteErr)
		}
		if linkErr != nil && !errors.Is(linkErr, store.ErrNotFound) {
			t.Errorf("round %d: LinkAccount: %v, want nil or ErrNotFound", round, linkErr)
		}
		if n, err := collection(st, "accounts").CountDocuments(ctx, bson.M{"userId": u.ID}); err != nil || n != 0 {
			t.Errorf("round %d: %d accounts of the deleted user left (%v), want none", round, n, err)
		}
	}
}

// TestOutage: with the server down the store reports an outage (neither
// ErrNotFound nor ErrConflict), and works again when the server returns,
// without reopening.
func TestOutage(t *testing.T) {
	srv := testsvc.Mongo(t)
	st := openStore(t, srv, mongostore.Options{})
	u, err := st.CreateUser(t.Context(), store.User{Name: "Kept", Email: "kept@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	srv.Stop(t)
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if _, _, err := st.GetSessionAndUser(ctx, store.HashToken("x"), time.Now()); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSessionAndUser with the server down: %v, want an outage", err)
	}
	if _, err := st.CreateUserAndAccount(ctx, store.User{Email: "new@example.com"}, store.Account{Type: "oauth", Provider: "github", ProviderAccountID: "1"}); err == nil || errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateUserAndAccount with the server down: %v, want an outage", err)
	}
	srv.Start(t)
	ctx, cancel = context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if got, err := st.GetUser(ctx, u.ID); err != nil || got.Email != u.Email {
		t.Errorf("GetUser after the server returned: %v, %v; want %s", got, err, u.Email)
	}
}

func BenchmarkGetSessionAndUser(b *testing.B) {
	storetest.Bench(b, openStore(b, testsvc.Mongo(b), mongostore.Options{}))
}

// allVersions returns 1 to mongostore.SchemaVersion: every step.
func allVersions() []int64 {
	var out []int64
	for v := int64(1); v <= mongostore.SchemaVersion; v++ {
		out = append(out, v)
	}
	return out
}

// twoFactorRaces: the races of store.TwoFactors that the conformance suite
// does not run, on a server whose conditional updates are a read and a
// write (FerretDB v1), so each must be decided by an insert or a delete.
func twoFactorRaces(t *testing.T, srv *testsvc.MongoServer) {
	now := time.Date(2035, 6, 1, 12, 0, 0, 0, time.UTC)
	code := func(i int) string { return store.HashToken(fmt.Sprint("recovery-", i)) }
	// pending returns a store with a user whose second factor waits for
	// confirmation.
	pending := func(t *testing.T, st *mongostore.Store) string {
		t.Helper()
		u, err := st.CreateUser(t.Context(), store.User{Email: fmt.Sprintf("ada-%s@example.com", store.NewID())})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.BeginTwoFactor(t.Context(), u.ID, "sealed", now); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	const n = 8

	// Of concurrent confirmations exactly one wins; the losers' recovery
	// codes are not usable, nor stored.
	t.Run("Enable", func(t *testing.T) {
		st := openStore(t, srv, mongostore.Options{})
		for range 5 {
			id := pending(t, st)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					errs[i] = st.EnableTwoFactor(t.Context(), id, "sealed", 100+int64(i), []string{code(2 * i), code(2*i + 1)})
				})
			}
			wg.Wait()
			winner := -1
			for i, err := range errs {
				switch {
				case err == nil && winner >= 0:
					t.Fatalf("confirmations %d and %d both won", winner, i)
				case err == nil:
					winner = i
				case !errors.Is(err, store.ErrNotFound):
					t.Fatalf("EnableTwoFactor: %v", err)
				}
			}
			if winner < 0 {
				t.Fatal("no confirmation won")
			}
			f, err := st.GetTwoFactor(t.Context(), id)
			if err != nil || !f.Enabled || f.LastStep != 100+int64(winner) || f.RecoveryCodes != 2 {
				t.Fatalf("after the race won by %d: %+v, %v", winner, f, err)
			}
			if n, err := collection(st, "recovery_codes").CountDocuments(t.Context(), bson.M{"userId": id}); err != nil || n != 2 {
				t.Errorf("%d recovery codes stored (%v), want the winner's 2", n, err)
			}
			for i := range n {
				if i == winner {
					continue
				}
				if err := st.UseRecoveryCode(t.Context(), id, code(2*i)); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("a loser's recovery code: %v, want ErrNotFound", err)
				}
			}
			if err := st.UseRecoveryCode(t.Context(), id, code(2*winner)); err != nil {
				t.Errorf("the winner's recovery code: %v", err)
			}
		}
	})

	// Concurrent replacements all succeed, one after another: one set
	// counts in the end, and only its codes are usable.
	t.Run("ReplaceRecoveryCodes", func(t *testing.T) {
		st := openStore(t, srv, mongostore.Options{})
		id := pending(t, st)
		if err := st.EnableTwoFactor(t.Context(), id, "sealed", 100, []string{code(-1)}); err != nil {
			t.Fatal(err)
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = st.ReplaceRecoveryCodes(t.Context(), id, []string{code(2 * i), code(2*i + 1)}) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("ReplaceRecoveryCodes: %v", err)
		}
		if f, err := st.GetTwoFactor(t.Context(), id); err != nil || f.RecoveryCodes != 2 {
			t.Fatalf("after the replacements: %+v, %v", f, err)
		}
		usable := 0
		for i := -1; i < 2*n; i++ {
			switch err := st.UseRecoveryCode(t.Context(), id, code(i)); {
			case err == nil:
				usable++
			case !errors.Is(err, store.ErrNotFound):
				t.Fatalf("UseRecoveryCode: %v", err)
			}
		}
		if usable != 2 {
			t.Errorf("%d recovery codes usable after %d replacements, want one set's 2", usable, n)
		}
	})

	// A confirmation racing a new enrolment: either the confirmation wins
	// and the enrolment is ErrConflict, or the enrolment wins and the
	// confirmation is ErrNotFound, also when the enrolment ran first (the
	// confirmation names the secret its code was checked against).
	t.Run("EnableAndBegin", func(t *testing.T) {
		st := openStore(t, srv, mongostore.Options{})
		for range 10 {
			id := pending(t, st)
			var enableErr, beginErr error
			var wg sync.WaitGroup
			wg.Go(func() { enableErr = st.EnableTwoFactor(t.Context(), id, "sealed", 100, []string{code(1)}) })
			wg.Go(func() { beginErr = st.BeginTwoFactor(t.Context(), id, "sealed again", now) })
			wg.Wait()
			f, err := st.GetTwoFactor(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case enableErr == nil && errors.Is(beginErr, store.ErrConflict):
				if !f.Enabled || f.Secret != "sealed" || f.RecoveryCodes != 1 {
					t.Errorf("the confirmation won, yet: %+v", f)
				}
			case beginErr == nil && errors.Is(enableErr, store.ErrNotFound):
				if f.Enabled || f.Secret != "sealed again" || f.RecoveryCodes != 0 {
					t.Errorf("the new enrolment won, yet: %+v", f)
				}
				if err := st.UseRecoveryCode(t.Context(), id, code(1)); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("the losing confirmation's recovery code: %v", err)
				}
			default:
				t.Fatalf("EnableTwoFactor: %v; BeginTwoFactor: %v", enableErr, beginErr)
			}
		}
	})
}

// twoFactorDeleteUser: DeleteUser leaves nothing of the user's second
// factor, its claims or recovery codes.
func twoFactorDeleteUser(t *testing.T, srv *testsvc.MongoServer) {
	st := openStore(t, srv, mongostore.Options{})
	ctx := t.Context()
	u, err := st.CreateUser(ctx, store.User{Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2035, 6, 1, 12, 0, 0, 0, time.UTC)
	steps := []func() error{
		func() error { return st.BeginTwoFactor(ctx, u.ID, "sealed", now) },
		func() error { return st.BeginTwoFactor(ctx, u.ID, "sealed again", now) },
		func() error { return st.EnableTwoFactor(ctx, u.ID, "sealed again", 100, []string{"a", "b"}) },
		func() error { return st.UseTwoFactorStep(ctx, u.ID, 101) },
		func() error { return st.ReplaceRecoveryCodes(ctx, u.ID, []string{"c", "d"}) },
		func() error { return st.DeleteUser(ctx, u.ID) },
	}
	for i, f := range steps {
		if err := f(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	for c, filter := range map[string]bson.M{
		"two_factors":       {"_id": u.ID},
		"two_factor_claims": {"userId": u.ID},
		"recovery_codes":    {"userId": u.ID},
	} {
		if n, err := collection(st, c).CountDocuments(ctx, filter); err != nil || n != 0 {
			t.Errorf("%s%s: %d documents of the deleted user (%v)", prefix, c, n, err)
		}
	}
}
