// Package sqlmigrate applies goose-annotated SQL migrations to a database on
// database/sql, recording them in goose's version table, so that the goose
// CLI keeps working on the same database. It imports no driver and nothing
// of goose.
//
// Why not goose itself: goose's module requires the drivers of a dozen
// databases (pgx, MySQL, ClickHouse, SQL Server, …), which every generated
// project would list in its module graph (a module with goose, SQLite and
// the runtime lists 108 modules, 37 without goose) for a feature of a few
// hundred lines. What authgen needs of goose is its file format and its
// table, and both are small and stable:
//
//   - Files are NNNNN_name.sql in the root of an [fs.FS], the version being
//     the number before the first "_" (a .sql file named otherwise is an
//     error, where goose skips it; Go migrations are not supported).
//     [Parse] splits them into statements exactly as goose v3.28 does (Up,
//     Down, StatementBegin/StatementEnd, NO TRANSACTION) and refuses, naming
//     the file and line, whatever goose would refuse and what goose would
//     treat specially (ENVSUB, empty statement blocks) — a fuzz test in
//     authgen's integration module compares the statements with goose's own.
//   - The version table, <prefix>migrations, has the columns and types goose
//     creates for its sqlite3, postgres and mysql dialects, and starts with
//     goose's version-0 row. A migration counts as applied when the table
//     has a row with its version (is_applied is written as true and not
//     read, as goose's Provider does); the database's version is the
//     highest recorded one.
//   - As goose does by default, a migration older than the database's
//     version that was never applied is an error ([ErrOutOfOrder]), not
//     applied silently.
//
// Each migration runs in one transaction together with the insert of its
// version row, unless it says NO TRANSACTION; a failure returns a
// [*MigrationError] naming the file and the statement's line and leaves the
// recorded version at the previous migration (and the schema as it was, on
// databases whose DDL is transactional: SQLite and PostgreSQL, not MySQL).
//
// Instances migrating one database at once apply each migration exactly
// once:
//
//   - PostgreSQL: a session advisory lock, with goose's default lock ID
//     (4097083626) so that goose with a session locker — and earlier
//     authgen projects, which used it — take turns with this package too.
//     Like goose, it polls pg_try_advisory_lock rather than wait in
//     pg_advisory_lock, whose waiting snapshot a CREATE INDEX CONCURRENTLY
//     in the holder's migration would wait for.
//   - MySQL and MariaDB: a named lock (GET_LOCK) held by the migrating
//     session, named after the version table and the database.
//   - SQLite: every migration is planned and applied inside one BEGIN
//     IMMEDIATE transaction, which holds the database's write lock. A NO
//     TRANSACTION migration on SQLite runs outside it: processes migrating
//     one SQLite file at the same moment could both run such a migration.
//
// Locks are waited for until the context is done.
package sqlmigrate

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Errors callers branch on with errors.Is.
var (
	// ErrNoMigrations: the file system holds no NNNNN_name.sql file.
	ErrNoMigrations = errors.New("sqlmigrate: no migrations")
	// ErrUnsupported: a migration uses a goose feature this package refuses
	// (wrapped in a *ParseError naming the file and line).
	ErrUnsupported = errors.New("unsupported goose feature")
	// ErrOutOfOrder: a migration older than the database's version was never
	// applied; goose refuses to apply it too (without its allow-missing
	// option), so neither does Up.
	ErrOutOfOrder = errors.New("sqlmigrate: migrations older than the database's version were never applied")
	// ErrPending: the database lacks migrations (from Status.Check).
	ErrPending = errors.New("sqlmigrate: migrations pending")
	// ErrUnknownVersion: the database records versions that no migration
	// has, so it was migrated by a newer program (from Status.Check).
	ErrUnknownVersion = errors.New("sqlmigrate: the database has versions no migration here has")
)

// Dialect is the SQL database a migrator talks to.
type Dialect string

// The dialects, named as authgen names its databases.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
	MySQL    Dialect = "mysql" // also MariaDB
)

// Migration is one parsed migration file.
type Migration struct {
	// Version is the number its name starts with.
	Version int64
	// Name is its file name, 00001_authgen.sql.
	Name string
	// Up are the statements that apply it.
	Up []Statement
	// Down are the statements that undo it: checked as goose checks them,
	// never run by this package.
	Down []Statement
	// NoTransaction: "-- +goose NO TRANSACTION", run statement by statement.
	NoTransaction bool
}

// MigrationError reports a migration that failed to apply. Its version was
// not recorded; with a transaction, nothing of it remains.
type MigrationError struct {
	// Migration is the one that failed.
	Migration *Migration
	// Line is the line of the statement that failed; 0 when the statements
	// ran but recording the version or committing failed.
	Line int
	// Err is the database's error.
	Err error
}

func (e *MigrationError) Error() string {
	where := e.Migration.Name
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, e.Line)
	}
	return fmt.Sprintf("sqlmigrate: %s: %v (version %d not recorded)", where, e.Err, e.Migration.Version)
}

func (e *MigrationError) Unwrap() error { return e.Err }

// Migrator applies the migrations of one file system to databases of one
// dialect. It is safe for concurrent use.
type Migrator struct {
	dialect    Dialect
	table      string
	q          queries
	migrations []*Migration // ascending by version
}

// tableName is what the version table's name may be: one lower-case SQL
// identifier, so that it needs no quoting on any of the databases and
// PostgreSQL's catalog holds it as written.
var tableName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// New reads and parses every NNNNN_name.sql file in the root of fsys (other
// files are ignored) for a database of dialect d whose version table is
// named table (authgen uses its table prefix + "migrations"). Nothing is
// read from a database yet; a migration that does not parse fails here.
func New(d Dialect, fsys fs.FS, table string) (*Migrator, error) {
	q, ok := dialectQueries(d, table)
	if !ok {
		return nil, fmt.Errorf("sqlmigrate: unknown dialect %q (sqlite, postgres, mysql)", d)
	}
	if !tableName.MatchString(table) {
		return nil, fmt.Errorf("sqlmigrate: version table name %q is not a lower-case identifier", table)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("sqlmigrate: read migrations: %w", err)
	}
	m := &Migrator{dialect: d, table: table, q: q}
	byVersion := map[int64]string{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		src, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("sqlmigrate: read migrations: %w", err)
		}
		mig, err := Parse(e.Name(), src)
		if err != nil {
			return nil, err
		}
		if other, dup := byVersion[mig.Version]; dup {
			return nil, fmt.Errorf("sqlmigrate: %s and %s have the same version %d", other, mig.Name, mig.Version)
		}
		byVersion[mig.Version] = mig.Name
		m.migrations = append(m.migrations, mig)
	}
	if len(m.migrations) == 0 {
		return nil, ErrNoMigrations
	}
	slices.SortFunc(m.migrations, func(a, b *Migration) int { return cmp.Compare(a.Version, b.Version) })
	return m, nil
}

// Migrations returns the migrations, ascending by version. They are the
// migrator's own: read them, do not change them.
func (m *Migrator) Migrations() []*Migration { return slices.Clone(m.migrations) }

// Latest returns the newest migration's version: the version a database
// has once Up has run.
func (m *Migrator) Latest() int64 { return m.migrations[len(m.migrations)-1].Version }

// Result is a migration Up applied.
type Result struct {
	// Migration is the migration applied.
	Migration *Migration
	// Duration is how long it took, with its version row and commit.
	Duration time.Duration
}

// Status is how a database stands against the migrations.
type Status struct {
	// Current is the database's version: the highest it records, 0 for a
	// database never migrated.
	Current int64
	// Latest is the newest migration's version.
	Latest int64
	// Applied are the versions the database records, ascending, without
	// goose's initial 0.
	Applied []int64
	// Pending are the migrations the database does not record, ascending.
	// Those older than Current are out of order: Up refuses them.
	Pending []*Migration
	// Unknown are versions the database records that no migration has: it
	// was migrated by a newer program.
	Unknown []int64
}

// Check returns nil when the database has every migration and nothing
// else; otherwise an error wrapping ErrUnknownVersion, ErrOutOfOrder or
// ErrPending, in that order of precedence.
func (s *Status) Check() error {
	if len(s.Unknown) > 0 {
		return fmt.Errorf("%w: it is at version %d, the newest migration here is %d (migrated by a newer program?); unknown versions: %s",
			ErrUnknownVersion, s.Current, s.Latest, joinInts(s.Unknown))
	}
	if old := s.outOfOrder(); len(old) > 0 {
		return outOfOrder(s.Current, old)
	}
	if len(s.Pending) > 0 {
		return fmt.Errorf("%w: the database is at version %d, the newest migration is %d; not applied: %s",
			ErrPending, s.Current, s.Latest, names(s.Pending))
	}
	return nil
}

// outOfOrder returns the pending migrations older than the current version.
func (s *Status) outOfOrder() []*Migration {
	var old []*Migration
	for _, p := range s.Pending {
		if p.Version < s.Current {
			old = append(old, p)
		}
	}
	return old
}

// status compares the migrations with the versions a database records.
func status(migrations []*Migration, recorded []int64) *Status {
	s := &Status{Latest: migrations[len(migrations)-1].Version}
	have := map[int64]bool{}
	for _, v := range recorded {
		s.Current = max(s.Current, v)
		if v > 0 && !have[v] {
			s.Applied = append(s.Applied, v)
		}
		have[v] = true
	}
	slices.Sort(s.Applied)
	known := map[int64]bool{}
	for _, mig := range migrations {
		known[mig.Version] = true
		if !have[mig.Version] {
			s.Pending = append(s.Pending, mig)
		}
	}
	for _, v := range s.Applied {
		if !known[v] {
			s.Unknown = append(s.Unknown, v)
		}
	}
	return s
}

// plan returns the migrations Up applies to a database recording the
// versions recorded, in order, or an error wrapping ErrOutOfOrder. Versions
// the database records without a migration are no obstacle (goose ignores
// them too).
func plan(migrations []*Migration, recorded []int64) ([]*Migration, error) {
	s := status(migrations, recorded)
	if old := s.outOfOrder(); len(old) > 0 {
		return nil, outOfOrder(s.Current, old)
	}
	return s.Pending, nil
}

func outOfOrder(current int64, old []*Migration) error {
	return fmt.Errorf("%w: the database is at version %d; not applied: %s", ErrOutOfOrder, current, names(old))
}

func names(ms []*Migration) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m.Name)
	}
	return b.String()
}

func joinInts(vs []int64) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, v)
	}
	return b.String()
}
