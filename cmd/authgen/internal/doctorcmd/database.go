package doctorcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/authgen/authgen/cmd/authgen/internal/migratecmd"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/dbcheck"
	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/env"
)

// mongoBuild is the time allowed, besides the timeout, to build the
// program that reads a MongoDB store's migrations (migratecmd's).
const mongoBuild = 2 * time.Minute

// migrateFix is what to do about a database that lacks migrations.
const migrateFix = "run `authgen migrate` in the project with this DATABASE_URL, or set AUTH_AUTO_MIGRATE=true to migrate when the app starts"

// checkDatabase checks that DATABASE_URL names the project's database,
// that it answers within the timeout, and that its schema is the one the
// code was generated for — dbcheck's check at start, through migratecmd's
// migrations (SQL) or store program (MongoDB). Pending migrations are no
// problem with AUTH_AUTO_MIGRATE=true: the app applies them at start.
func (d *doctor) checkDatabase(ctx context.Context) {
	const id = "database"
	switch d.m.Database {
	case manifest.DBNone, "":
		d.ok(id, "authgen.yaml says database: none; nothing to check")
		return
	case manifest.DBCustom:
		d.ok(id, "a custom store: its schema is its own (not checked); `authgen migrate` runs its Migrate")
		return
	}
	// DATABASE_URL as the app reads it (env.Reader.DatabaseURL): required,
	// or SQLite's default. The reader's own problems are not reported: the
	// checks below find them from the project root, where the app runs,
	// rather than the working directory, each with its fix.
	r := env.New(d.getenv)
	auto := r.Bool("AUTH_AUTO_MIGRATE")
	raw := r.DatabaseURL(d.m.Database)
	if raw == "" {
		v, _ := env.Lookup(generator.AppVars(d.spec), "DATABASE_URL")
		d.add(id, Fail, "DATABASE_URL is not set (in the environment or .env)", fmt.Sprintf("set DATABASE_URL to the %s database, such as %s", dburl.Name(d.m.Database), v.Example))
		return
	}
	target := dburl.Redact(raw)
	if got, err := dburl.Dialect(raw); err != nil || got != d.m.Database {
		msg := fmt.Sprintf("DATABASE_URL (%s) is not a %s URL", target, dburl.Name(d.m.Database))
		if err != nil {
			msg += ": " + err.Error()
		}
		d.add(id, Fail, msg, fmt.Sprintf("set DATABASE_URL to the %s database, or change database in authgen.yaml and run `authgen generate`", dburl.Name(d.m.Database)))
		return
	}
	if d.m.Database == manifest.DBSQLite {
		file, err := dburl.SQLiteFile(raw)
		if err != nil {
			d.add(id, Fail, err.Error(), "set DATABASE_URL to sqlite:FILE, such as "+migratecmd.DefaultSQLiteURL)
			return
		}
		if file != "" && !filepath.IsAbs(file) {
			file = filepath.Join(d.o.Root, file)
		}
		if _, err := os.Stat(filepath.Dir(file)); file != "" && errors.Is(err, os.ErrNotExist) {
			d.add(id, Fail, fmt.Sprintf("the directory of the SQLite database %s does not exist (SQLite creates the file, not its directory)", file), "mkdir -p "+filepath.Dir(file))
			return
		}
		if _, err := os.Stat(file); file != "" && errors.Is(err, os.ErrNotExist) {
			// Opening it would create it: doctor changes nothing.
			if auto {
				d.ok(id, fmt.Sprintf("the SQLite database %s does not exist yet; the app creates and migrates it at start (AUTH_AUTO_MIGRATE=true)", file))
				return
			}
			d.add(id, Fail, fmt.Sprintf("the SQLite database %s does not exist: it is not migrated", file), migrateFix)
			return
		}
	}

	var err error
	if d.m.Database == manifest.DBMongoDB {
		err = d.mongoStatus(ctx, raw)
	} else {
		err = d.sqlStatus(ctx, raw)
	}
	switch {
	case err == nil:
		d.ok(id, fmt.Sprintf("%s answers and has every migration of this project", target))
	case errors.Is(err, dbcheck.ErrPending) && auto:
		d.ok(id, fmt.Sprintf("%s answers; migrations are pending, which the app applies at start (AUTH_AUTO_MIGRATE=true)", target))
	case errors.Is(err, dbcheck.ErrPending):
		d.add(id, Fail, fmt.Sprintf("%s answers but is not migrated: %v", target, err), migrateFix)
	case errors.Is(err, dbcheck.ErrNewer):
		d.add(id, Warn, fmt.Sprintf("%s: %v", target, err), "upgrade this project (the newer authgen's `authgen generate`) to the version that migrated the database")
	case errors.Is(err, dbcheck.ErrSchema):
		d.add(id, Fail, fmt.Sprintf("%s: %v", target, err), "see `authgen migrate --status`; restore the schema the migrations in "+d.m.Package+"/migrations expect")
	default:
		d.add(id, Fail, fmt.Sprintf("%s does not answer: %v", target, err),
			"start the database, or correct DATABASE_URL (host, port, user, password, database name); the app starts without it, but sign-ins fail until it answers")
	}
}

// sqlStatus is dbcheck's CheckSchema over the project's SQL migrations,
// within the timeout.
func (d *doctor) sqlStatus(ctx context.Context, raw string) error {
	schema, db, err := migratecmd.SQLSchema(d.o.Root, d.m, raw)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, d.o.Timeout)
	defer cancel()
	err = schema.CheckSchema(ctx)
	if ctx.Err() != nil && !errors.Is(err, dbcheck.ErrSchema) {
		return fmt.Errorf("no answer within %s: %w", d.o.Timeout, err)
	}
	return err
}

// mongoStatus runs `authgen migrate --status`'s program for the MongoDB
// store (it builds the project's own store), mapping "pending" to
// dbcheck.ErrPending.
func (d *doctor) mongoStatus(ctx context.Context, raw string) error {
	ctx, cancel := context.WithTimeout(ctx, d.o.Timeout+mongoBuild)
	defer cancel()
	err := migratecmd.Run(ctx, io.Discard, d.o.Root, d.m, raw, true)
	if errors.Is(err, migratecmd.ErrPending) {
		return fmt.Errorf("%w: the store's migration steps are not all applied", dbcheck.ErrPending)
	}
	return err
}
