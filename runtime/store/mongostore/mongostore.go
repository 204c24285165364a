package mongostore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/authgen/authgen/runtime/store"
)

// DefaultDatabase is the database Open uses when the URL's path names none.
const DefaultDatabase = "authgen"

const (
	// pendingAge is how long an account may lack its user: younger, it is a
	// first sign-in between its two writes; older, what one that failed
	// half-way left behind.
	pendingAge = time.Minute
	// pendingWait is how long GetUserByAccount waits for the user of a
	// pending account, looking every pendingPoll.
	pendingWait = time.Second
	pendingPoll = 25 * time.Millisecond
	// undoTimeout bounds removing the account of a failed
	// CreateUserAndAccount or LinkAccount, which goes on when the caller's
	// context is done.
	undoTimeout = 10 * time.Second
	// closeTimeout bounds how long Close waits for operations in progress.
	closeTimeout = 10 * time.Second
)

// Options configure a Store.
type Options struct {
	// Prefix starts the names of the store's collections: with "auth_" (a
	// generated project's default, its manifest's tablePrefix) they are
	// auth_users, auth_accounts, auth_sessions, auth_verification_tokens,
	// auth_verification_attempts, auth_two_factors, auth_two_factor_claims,
	// auth_recovery_codes, auth_passkeys, auth_passkey_uses and
	// auth_migrations. Empty, they are users, accounts, sessions,
	// verification_tokens, verification_attempts, two_factors,
	// two_factor_claims, recovery_codes, passkeys, passkey_uses and
	// migrations.
	Prefix string
	// Now is the clock that stamps a provider account when it is linked,
	// judges how old an account without its user is (see
	// Store.GetUserByAccount) and stamps the sessions Migrate's step 3 gives
	// a sign-in time; nil means time.Now. Sessions and tokens are checked
	// at the times their callers pass.
	Now func() time.Time
}

// Store keeps users, their accounts, sessions, verification tokens, second
// factors and passkeys in a MongoDB database, in ten collections, and the
// schema's version in an eleventh (named here with the prefix "auth_"):
//
//   - auth_users: {_id, name, email, emailVerified, image}, empty fields
//     left out; a sparse unique index on email keeps addresses unique and
//     lets any number of users have none.
//   - auth_accounts: one document per linked provider account, {_id,
//     userId, type, provider, providerAccountId, linked, linkedAt} and
//     the tokens under Auth.js's snake_case names (access_token,
//     refresh_token, …); its _id is the provider and the provider's account
//     ID joined by a NUL byte, so that a provider account links to one user
//     at most.
//   - auth_sessions: {_id: the SHA-256 of the cookie's token, userId,
//     provider, expires}.
//   - auth_verification_tokens: {_id: the token's hash, identifier,
//     expires, attempts}.
//   - auth_verification_attempts: one document per sign-in code tried
//     against a token, {_id: the token's hash, ":" and the attempt's
//     number, token: the token's hash}; see
//     Store.CountVerificationAttempt.
//   - auth_two_factors: a user's TOTP second factor, {_id: the user's ID,
//     enrolment, secret, createdAt}; enrolment is a random ID that
//     BeginTwoFactor gives each new factor.
//   - auth_two_factor_claims: documents whose insertion under a unique _id
//     decides a race (see twofactor.go): an enrolment's end, enabled or
//     replaced, {_id: enrolment + "/end", userId, enrolment, kind: "end",
//     enabled, step, gen, codes}; each later time step used, {_id:
//     enrolment + "/step/" + step, kind: "step", step}; each later set of
//     recovery codes, {_id: enrolment + "/codes/" + gen, kind: "codes",
//     gen, codes}.
//   - auth_recovery_codes: one document per unused recovery code, {_id:
//     the user's ID, the code set's ID and the code's hash joined by ":",
//     userId, enrolment, set}.
//   - auth_passkeys: a passkey as registered, {_id: the credential ID,
//     userId, incarnation, name, publicKey, attestationType, aaguid,
//     transports, signCount, backupEligible, backupState, createdAt,
//     lastUsedAt}; incarnation is a random ID CreatePasskey gives it.
//   - auth_passkey_uses: a passkey's state after each use, whose insertion
//     under a unique _id decides a race (see passkeys.go), {_id:
//     incarnation + "/use/" + gen, userId, incarnation, gen, signCount,
//     backupState, lastUsedAt}; the greatest gen counts.
//   - auth_migrations: the schema steps Migrate applied, {_id: version,
//     name, applied} (see Store.Status).
//
// No method needs a multi-document transaction (see the package
// documentation). A Store is safe for concurrent use.
type Store struct {
	// client is the client Open connected, which Close disconnects; nil for
	// a Store made by New.
	client   *mongo.Client
	db       *mongo.Database
	now      func() time.Time
	users    *mongo.Collection
	accounts *mongo.Collection
	sessions *mongo.Collection
	tokens   *mongo.Collection
	// attempts holds one document per code tried against a token.
	attempts *mongo.Collection
	// factors, claims and codes keep second factors (see twofactor.go).
	factors *mongo.Collection
	claims  *mongo.Collection
	codes   *mongo.Collection
	// passkeys and uses keep passkeys (see passkeys.go).
	passkeys *mongo.Collection
	uses     *mongo.Collection
	// migrations records the schema steps Migrate applied.
	migrations *mongo.Collection
}

var (
	_ store.Store      = (*Store)(nil)
	_ store.TwoFactors = (*Store)(nil)
	_ store.Passkeys   = (*Store)(nil)
)

// Open returns a store on the database at databaseURL (a project's
// DATABASE_URL: mongodb://[user:password@]host[:port]/database[?options] or
// mongodb+srv://…; without a database in the path, DefaultDatabase). It
// does not wait for the server, which is contacted when first used, so an
// application starts while it is down and recovers when it returns. Close
// disconnects the store's client.
func Open(databaseURL string, opts Options) (*Store, error) {
	name, err := databaseName(databaseURL)
	if err != nil {
		return nil, err
	}
	client, err := mongo.Connect(options.Client().ApplyURI(databaseURL))
	if err != nil {
		return nil, fmt.Errorf("mongostore: open database: %w", err)
	}
	s := New(client.Database(name), opts)
	s.client = client
	return s, nil
}

// New returns a store on db, a database of a client the caller connected
// and disconnects (Close leaves it alone): for an application that shares
// one client between authgen and its own collections, or sets client
// options a URL cannot.
func New(db *mongo.Database, opts Options) *Store {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	p := opts.Prefix
	return &Store{
		db:       db,
		now:      now,
		users:    db.Collection(p + "users"),
		accounts: db.Collection(p + "accounts"),
		sessions: db.Collection(p + "sessions"),
		tokens:   db.Collection(p + "verification_tokens"),
		attempts: db.Collection(p + "verification_attempts"),
		factors:  db.Collection(p + "two_factors"),
		claims:   db.Collection(p + "two_factor_claims"),
		codes:    db.Collection(p + "recovery_codes"),
		passkeys: db.Collection(p + "passkeys"),
		uses:     db.Collection(p + "passkey_uses"),

		migrations: db.Collection(p + "migrations"),
	}
}

// databaseName returns the database a MongoDB connection string names in
// its path, or DefaultDatabase.
func databaseName(databaseURL string) (string, error) {
	_, rest, _ := strings.Cut(databaseURL, "://")
	_, path, _ := strings.Cut(rest, "/")
	path, _, _ = strings.Cut(path, "?")
	name, err := url.PathUnescape(path)
	if err != nil {
		return "", fmt.Errorf("mongostore: the database in the URL: %w", err)
	}
	if name == "" {
		return DefaultDatabase, nil
	}
	return name, nil
}

// Close disconnects the client Open connected, waiting at most 10 seconds
// for operations in progress. On a Store made by New it does nothing.
func (s *Store) Close() error {
	if s.client == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongostore: close database: %w", err)
	}
	return nil
}

// Database returns the store's database, for the application's own
// collections and queries.
func (s *Store) Database() *mongo.Database { return s.db }

// wrapErr prefixes err from op, making a duplicate key store.ErrConflict and
// a missing document store.ErrNotFound.
func wrapErr(op string, err error) error {
	switch {
	case mongo.IsDuplicateKeyError(err):
		return conflict(op, err)
	case errors.Is(err, mongo.ErrNoDocuments):
		return notFound(op)
	}
	return fmt.Errorf("mongostore: %s: %w", op, err)
}

// conflict prefixes err from op as store.ErrConflict.
func conflict(op string, err error) error {
	return fmt.Errorf("mongostore: %s: %w: %w", op, store.ErrConflict, err)
}

// notFound is store.ErrNotFound from op.
func notFound(op string) error {
	return fmt.Errorf("mongostore: %s: %w", op, store.ErrNotFound)
}
