// Package dbcheck checks, when an application starts, that its database's
// schema is at the version the application was generated for, applying
// the missing migrations first when asked to (AUTH_AUTO_MIGRATE=true), so
// that an application never serves requests on a database it cannot use.
// (Whether DATABASE_URL names the right kind of database, and a SQLite
// file's directory, is checked earlier, with the rest of the
// configuration: [env.Reader.DatabaseURL].)
//
// What it decides, by what the check finds:
//
//   - the schema is current: the application starts;
//   - migrations are pending: with AutoMigrate they are applied, else
//     [Start] fails, naming the fix (authgen migrate, or
//     AUTH_AUTO_MIGRATE=true);
//   - the database records migrations the application does not have: it
//     was migrated by a newer version of the application, whose
//     migrations only add to the schema, so the application starts with a
//     warning (an older instance restarting during a rolling deployment
//     keeps working);
//   - anything else about the schema (migrations out of order, one that
//     failed): Start fails;
//   - the database does not answer: the application starts with one
//     warning, and the check runs again in the background, with growing
//     pauses, until the database answers; then it migrates (with
//     AutoMigrate) and logs the outcome once.
//
// The stores' own schemas implement [Schema]: [SQL] for the migrations of
// runtime/store/sqlmigrate, and package mongostore's Store.
package dbcheck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/store/sqlmigrate"
)

// Errors a Schema's CheckSchema and Migrate return when the database
// answered and its schema is not the application's; callers branch on them
// with errors.Is. Any other error means the database could not be read.
var (
	// ErrSchema: the database's schema is not the application's, and
	// migrating does not fix it. ErrPending and ErrNewer match it too.
	ErrSchema = errors.New("schema is not this application's")
	// ErrPending: the database lacks migrations that Migrate applies.
	ErrPending error = &schemaError{"not migrated"}
	// ErrNewer: the database records migrations the application does not
	// have; a newer version of the application migrated it.
	ErrNewer error = &schemaError{"migrated by a newer version of this application"}
)

// schemaError is a kind of ErrSchema with a message of its own.
type schemaError struct{ msg string }

func (e *schemaError) Error() string        { return e.msg }
func (e *schemaError) Is(target error) bool { return target == ErrSchema }

// Schema is a database's schema and the migrations that bring it to the
// application's version.
type Schema interface {
	// CheckSchema returns nil when the database has exactly the
	// application's migrations; an error wrapping ErrPending when it lacks
	// some, ErrNewer when it has others too, ErrSchema for any other
	// mismatch; and any other error when it cannot read the database.
	CheckSchema(ctx context.Context) error
	// Migrate applies the missing migrations. Its errors wrap ErrSchema
	// when a migration cannot be applied (it failed, or it is out of
	// order); any other error means the database could not be reached.
	Migrate(ctx context.Context) error
}

// Options tune Start.
type Options struct {
	// URL is DATABASE_URL, named (without its password) in messages.
	URL string
	// AutoMigrate applies pending migrations (AUTH_AUTO_MIGRATE=true).
	AutoMigrate bool
	// Logger receives the warnings and the background check's outcome;
	// nil discards them.
	Logger *slog.Logger
	// Timeout bounds each check of the schema, not a migration (default
	// 5 s): a database that does not answer within it is unreachable.
	Timeout time.Duration
	// Retry is the first pause before the background check tries again; it
	// doubles up to 30 s (default 1 s).
	Retry time.Duration
}

// maxRetry is the longest pause between background checks.
const maxRetry = 30 * time.Second

// Start checks the database's schema, migrating it first when
// o.AutoMigrate asks to and migrations are pending. It returns an error
// that names the fix when the application must not start (see the package
// documentation). When the database does not answer, it logs one warning,
// returns, and checks again in the background until the database answers
// or stop is called; stop waits for that check to end. Stop is never nil
// when err is nil, and may be called more than once.
func Start(ctx context.Context, s Schema, o Options) (stop func(), err error) {
	c := &checker{s: s, o: o, target: dburl.Redact(o.URL), log: o.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.o.Timeout <= 0 {
		c.o.Timeout = 5 * time.Second
	}
	if c.o.Retry <= 0 {
		c.o.Retry = time.Second
	}
	migrated, err := c.settle(ctx)
	switch {
	case err == nil:
		return func() {}, nil
	case errors.Is(err, ErrNewer):
		c.log.WarnContext(ctx, "authgen: "+c.describe(err, migrated).Error(), "database", c.target)
		return func() {}, nil
	case errors.Is(err, ErrSchema):
		return nil, c.describe(err, migrated)
	}
	c.log.WarnContext(ctx, "authgen: the database does not answer; serving anyway: sign-ins and session checks fail until it does, and its schema is checked when it does",
		"database", c.target, "error", err)
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.background(bg)
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}, nil
}

// checker runs the checks of one Start.
type checker struct {
	s      Schema
	o      Options
	target string
	log    *slog.Logger
}

// settle checks the schema and, when migrations are pending and
// AutoMigrate asks to, applies them and checks again; migrated reports
// whether it did.
func (c *checker) settle(ctx context.Context) (migrated bool, err error) {
	err = c.check(ctx)
	if !errors.Is(err, ErrPending) || !c.o.AutoMigrate {
		return false, err
	}
	if err := c.s.Migrate(ctx); err != nil {
		return false, err
	}
	return true, c.check(ctx)
}

// check runs one CheckSchema within the timeout.
func (c *checker) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	return c.s.CheckSchema(ctx)
}

// describe says what err, a schema error, means for the application, with
// the fix.
func (c *checker) describe(err error, migrated bool) error {
	switch {
	case errors.Is(err, ErrPending) && migrated:
		return fmt.Errorf("database %s: %w (still, after migrating: is another program changing it?)", c.target, err)
	case errors.Is(err, ErrPending):
		return fmt.Errorf("database %s: %w: run `authgen migrate` in the project with this DATABASE_URL, or set AUTH_AUTO_MIGRATE=true to migrate at start", c.target, err)
	case errors.Is(err, ErrNewer):
		return fmt.Errorf("database %s: %w; running on it, as its migrations only add to the schema: upgrade this application (authgen generate with the newer authgen) to match", c.target, err)
	}
	return fmt.Errorf("database %s: %w", c.target, err)
}

// background checks again, with growing pauses, until the database answers
// or ctx is done, then logs the outcome once.
func (c *checker) background(ctx context.Context) {
	pause := c.o.Retry
	for {
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		migrated, err := c.settle(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err == nil && migrated:
			c.log.InfoContext(ctx, "authgen: the database answers; migrations applied, its schema is current", "database", c.target)
			return
		case err == nil:
			c.log.InfoContext(ctx, "authgen: the database answers; its schema is current", "database", c.target)
			return
		case errors.Is(err, ErrNewer):
			c.log.WarnContext(ctx, "authgen: the database answers; "+c.describe(err, migrated).Error(), "database", c.target)
			return
		case errors.Is(err, ErrSchema):
			c.log.ErrorContext(ctx, "authgen: the database answers, but requests that need it will fail: "+c.describe(err, migrated).Error(), "database", c.target)
			return
		}
		pause = min(2*pause, maxRetry)
	}
}

// SQL returns the Schema of the migrations m on db.
func SQL(m *sqlmigrate.Migrator, db *sql.DB) Schema { return sqlSchema{m, db} }

type sqlSchema struct {
	m  *sqlmigrate.Migrator
	db *sql.DB
}

func (s sqlSchema) CheckSchema(ctx context.Context) error {
	st, err := s.m.Status(ctx, s.db)
	if err != nil {
		return err
	}
	err = st.Check()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sqlmigrate.ErrPending):
		names := make([]string, len(st.Pending))
		for i, p := range st.Pending {
			names[i] = p.Name
		}
		return fmt.Errorf("%w: it is at version %d, this application's migrations reach %d (not applied: %s)", ErrPending, st.Current, st.Latest, strings.Join(names, ", "))
	case errors.Is(err, sqlmigrate.ErrUnknownVersion):
		return fmt.Errorf("%w: %w", ErrNewer, err)
	}
	return fmt.Errorf("%w: %w", ErrSchema, err)
}

func (s sqlSchema) Migrate(ctx context.Context) error {
	_, err := s.m.Up(ctx, s.db)
	var me *sqlmigrate.MigrationError
	if errors.As(err, &me) || errors.Is(err, sqlmigrate.ErrOutOfOrder) {
		return fmt.Errorf("%w: %w", ErrSchema, err)
	}
	return err
}
