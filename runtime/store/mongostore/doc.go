// Package mongostore keeps authgen's users, accounts, sessions and
// verification tokens in MongoDB (or a MongoDB wire-compatible server such
// as FerretDB) with mongo-driver v2. [Store] implements store.Store and
// store.TwoFactors.
//
// It is a module of its own, so that mongo-driver is a dependency only of
// the applications that use MongoDB. A project generated with
// `--db mongodb` opens it from auth/store_gen.go:
//
//	st, err := mongostore.Open(os.Getenv("DATABASE_URL"), mongostore.Options{Prefix: "auth_"})
//	if err != nil { … }
//	defer st.Close()
//	if err := st.Migrate(ctx); err != nil { … } // or check: st.Status(ctx), then Status.Check()
//
// No method needs a multi-document transaction, which FerretDB v1 and
// standalone MongoDB servers lack, and nothing relies on what FerretDB v1
// does not have ($lookup, partial or TTL indexes, an atomic find-and-delete,
// a unique index over an array):
//
//   - A provider account is a document of its own whose _id is the provider
//     and the provider's account ID, so it links to one user at most on any
//     server. CreateUserAndAccount inserts the account first, then the user,
//     and deletes the account again when the user cannot be inserted; of
//     concurrent first sign-ins of one account exactly one creates a user.
//     GetUserByAccount waits briefly for the user of an account that has
//     none yet, and deletes such an account once it is older than a minute
//     (a crash between the two writes left it).
//   - E-mail addresses are unique under a sparse unique index; a user
//     without an address has no email field.
//   - A session check is two reads by _id: the session, then its user.
//   - A verification token is read, then deleted, and only the caller whose
//     delete removed it gets it.
//   - The codes tried against a verification token are counted by
//     inserting one document per attempt under a unique _id (the token's
//     hash and the attempt's number), not with $inc, which FerretDB v1
//     applies as a read and a write: of 16 concurrent increments 3 counted.
//   - Second factors likewise decide every race by an insert under a unique
//     _id or by a delete, never by a conditional update (FerretDB v1 reads,
//     then writes, so two callers both match): enabling a factor, or
//     replacing one not enabled, inserts a claim on the end of its
//     enrolment; using a time step inserts a claim on the step; a recovery
//     code is a document of its own, used by deleting it; a new set of
//     recovery codes claims the next set number. twofactor.go describes
//     the order of the writes and what a crash between two leaves: at most
//     documents that never count.
//
// Times are stored as BSON dates, which keep milliseconds.
//
// # Schema versions
//
// Migrate applies the schema's steps in order and records each in the
// migrations collection (auth_migrations with the prefix "auth_"), as
// goose records SQL migrations; [Store.Status] compares the record with
// [SchemaVersion], so an application can refuse to start on a database it
// would misread, and [Status.Check] says what to do. Every change of the
// stored form from now on is a new step at the end. Steps change only what
// is not done yet, so Migrate is safe to run again and from several
// instances at once, and a database migrated before versions were recorded
// (which has no record) is brought up to date by running them all.
package mongostore
