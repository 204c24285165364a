// Package migratecmd implements "authgen migrate": apply the project's SQL
// migrations (auth/migrations/*.sql, goose format) to DATABASE_URL with
// runtime/store/sqlmigrate, as the generated Migrate does.
package migratecmd

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/spf13/cobra"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/dbcheck"
	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/store/sqlmigrate"
)

// DefaultSQLiteURL is DATABASE_URL when unset in a SQLite project.
const DefaultSQLiteURL = "sqlite:./authgen.db"

// ErrPending is what --status returns when the database lacks migrations
// of auth/migrations; the CLI exits 3 for it, so scripts can tell "to
// migrate" from "up to date" (0) and from a failure (1).
var ErrPending = errors.New("migrations pending")

// New returns the migrate command.
func New(ios *iostreams.IOStreams) *cobra.Command {
	var databaseURL string
	var status bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the SQL migrations in auth/migrations to DATABASE_URL",
		Long: `Migrate applies, in order, the migrations of auth/migrations that the
database has not had, and records them in the <tablePrefix>migrations table
(goose's format, so the goose CLI works on them too). The database is
--database-url, else DATABASE_URL from the environment or, as the app
reads it, from the project's .env; a SQLite project defaults to
sqlite:./authgen.db. Generated applications can also migrate at start with
AUTH_AUTO_MIGRATE=true.

--status lists the migrations (for MongoDB, the store's numbered steps),
applied or pending, and changes nothing. It
exits 0 when the database is up to date, 3 when migrations are pending and
1 when it cannot tell (the database unreachable, say).`,
		Example: `  authgen migrate
  DATABASE_URL=postgres://app:secret@localhost:5432/app authgen migrate
  authgen migrate --database-url mysql://app:secret@localhost:3306/app
  # list them; exit 0 when up to date, 3 when some are pending
  authgen migrate --status
  # in a deploy script
  authgen migrate --status >/dev/null; case $? in 3) authgen migrate ;; 1) exit 1 ;; esac`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := project.Load(".")
			if err != nil {
				return err
			}
			root, m := p.Root, p.Manifest
			if databaseURL == "" {
				// As the app reads it: the environment, then the project's .env.
				getenv, err := env.Dotenv(filepath.Join(root, env.DotenvFile), os.LookupEnv)
				if err != nil {
					return err
				}
				databaseURL = getenv("DATABASE_URL")
			}
			return Run(cmd.Context(), ios.Out, root, m, databaseURL, status)
		},
	}
	cmd.Flags().StringVar(&databaseURL, "database-url", "", "database URL (default $DATABASE_URL)")
	cmd.Flags().BoolVar(&status, "status", false, "list the migrations and whether each is applied; change nothing; exit 3 when some are pending")
	return cmd
}

// Run applies (or, with status, lists) the migrations of the project at
// root. SQLite paths in databaseURL are relative to root.
func Run(ctx context.Context, out io.Writer, root string, m *manifest.Manifest, databaseURL string, status bool) error {
	if m.Database == manifest.DBNone {
		return fmt.Errorf("authgen.yaml says database: none; there is nothing to migrate")
	}
	if m.Database == manifest.DBMongoDB || m.Database == manifest.DBCustom {
		if status && m.Database == manifest.DBCustom {
			return fmt.Errorf("--status lists recorded migrations; a custom store's Migrate keeps no record authgen can read")
		}
		return runStoreMigrate(ctx, out, root, m, databaseURL, status)
	}
	if databaseURL == "" {
		if m.Database != manifest.DBSQLite {
			return fmt.Errorf("set DATABASE_URL (or --database-url) to the %s database", m.Database)
		}
		databaseURL = DefaultSQLiteURL
	}
	d, err := dburl.Dialect(databaseURL)
	if err != nil {
		return err
	}
	if d != m.Database {
		return fmt.Errorf("DATABASE_URL is a %s URL, but authgen.yaml says database: %s", d, m.Database)
	}
	mig, err := sqlmigrate.New(sqlmigrate.Dialect(d), os.DirFS(filepath.Join(root, m.Package, "migrations")), m.Prefix()+"migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	db, err := open(d, databaseURL, root)
	if err != nil {
		return err
	}
	defer db.Close()
	target := dburl.Redact(databaseURL)
	if status {
		return printStatus(ctx, out, mig, db, target)
	}
	results, err := mig.Up(ctx, db)
	for _, r := range results {
		fmt.Fprintf(out, "applied %s (%s)\n", r.Migration.Name, r.Duration.Round(time.Millisecond))
	}
	if err != nil {
		return fmt.Errorf("migrate %s: %w", target, err)
	}
	s, err := mig.Status(ctx, db)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", target, err)
	}
	fmt.Fprintf(out, "%s is at version %d\n", target, s.Current)
	return nil
}

// SQLSchema opens the SQL database at databaseURL (SQLite paths relative
// to root) of the project at root and returns its schema as the app's
// check at start sees it (dbcheck.SQL over auth/migrations), for `authgen
// doctor`; the caller closes db. Opening connects to nothing: the first
// query does. A URL of another database than authgen.yaml's is an error.
func SQLSchema(root string, m *manifest.Manifest, databaseURL string) (dbcheck.Schema, *sql.DB, error) {
	d, err := dburl.Dialect(databaseURL)
	if err != nil {
		return nil, nil, err
	}
	if d != m.Database {
		return nil, nil, fmt.Errorf("DATABASE_URL is a %s URL, but authgen.yaml says database: %s", d, m.Database)
	}
	mig, err := sqlmigrate.New(sqlmigrate.Dialect(d), os.DirFS(filepath.Join(root, m.Package, "migrations")), m.Prefix()+"migrations")
	if err != nil {
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	db, err := open(d, databaseURL, root)
	if err != nil {
		return nil, nil, err
	}
	return dbcheck.SQL(mig, db), db, nil
}

// printStatus lists the migrations, each applied or pending, and versions
// the database records that no migration here has, then the database's
// version and, when it is not the newest migration's, why: ErrPending when
// migrations are to apply.
func printStatus(ctx context.Context, out io.Writer, mig *sqlmigrate.Migrator, db *sql.DB, target string) error {
	s, err := mig.Status(ctx, db)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", target, err)
	}
	applied := map[int64]bool{}
	for _, v := range s.Applied {
		applied[v] = true
	}
	for _, x := range mig.Migrations() {
		state := "pending"
		if applied[x.Version] {
			state = "applied"
		}
		fmt.Fprintf(out, "%-8s %s\n", state, x.Name)
	}
	for _, v := range s.Unknown {
		fmt.Fprintf(out, "%-8s version %d, which no migration here has\n", "unknown", v)
	}
	fmt.Fprintf(out, "%s is at version %d\n", target, s.Current)
	switch err := s.Check(); {
	case errors.Is(err, sqlmigrate.ErrPending):
		return fmt.Errorf("%w: %d not applied to %s: run `authgen migrate` (or start the app with AUTH_AUTO_MIGRATE=true)", ErrPending, len(s.Pending), target)
	case err != nil:
		fmt.Fprintln(out, err)
	}
	return nil
}

// open opens databaseURL with the driver of dialect d.
func open(d, databaseURL, root string) (*sql.DB, error) {
	var (
		driver, dsn string
		err         error
	)
	switch d {
	case manifest.DBSQLite:
		driver = "sqlite"
		dsn, err = dburl.SQLite(databaseURL)
		if err == nil {
			dsn, err = relativeTo(dsn, root)
		}
	case manifest.DBPostgres:
		driver = "pgx"
		dsn, err = dburl.Postgres(databaseURL)
	case manifest.DBMySQL:
		driver = "mysql"
		dsn, err = dburl.MySQL(databaseURL)
	}
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dburl.Redact(databaseURL), err)
	}
	return db, nil
}

// relativeTo makes a relative SQLite file path relative to the project root
// (where the application runs), not to the current directory.
func relativeTo(dsn, root string) (string, error) {
	const scheme = "file:"
	path := dsn[len(scheme):]
	q := ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, q = path[:i], path[i:]
	}
	if path == ":memory:" || filepath.IsAbs(path) {
		return dsn, nil
	}
	return scheme + filepath.Join(root, path) + q, nil
}

// migrateMain runs the project's own store Migrate: MongoDB's steps and
// custom stores are code in the user's module, not SQL files.
const migrateMain = `// Command _authgen_migrate is written and run by "authgen migrate", then removed.
package main

import (
	"context"
	"fmt"
	"os"

	auth %q
)

func main() {
	st, err := auth.OpenStore(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer st.Close()
	if err := auth.Migrate(context.Background(), st); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`

// mongoStatusMain lists the MongoDB store's steps, applied or pending, and
// exits 3 when some are pending (the exit code of --status).
const mongoStatusMain = `// Command _authgen_migrate is written and run by "authgen migrate --status", then removed.
package main

import (
	"context"
	"fmt"
	"os"
	"slices"

	auth %q
)

func main() {
	st, err := auth.OpenStore(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer st.Close()
	s, err := st.Status(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for v := int64(1); v <= s.Latest; v++ {
		state := "pending"
		if slices.Contains(s.Applied, v) {
			state = "applied"
		}
		fmt.Printf("%%-8s step %%d\n", state, v)
	}
	for _, v := range s.Unknown {
		fmt.Printf("%%-8s step %%d, which this store does not have\n", "unknown", v)
	}
	fmt.Printf("the database is at version %%d\n", s.Current)
	if err := s.Check(); err != nil {
		fmt.Println(err)
		if len(s.Pending) > 0 {
			os.Exit(3)
		}
	}
}
`

// runStoreMigrate writes a throw-away main package into the module (a
// directory starting with _ is ignored by ./... patterns), runs it with the
// database URL, and removes it. With status it lists MongoDB's steps
// instead, returning ErrPending when some are not applied.
func runStoreMigrate(ctx context.Context, out io.Writer, root string, m *manifest.Manifest, databaseURL string, status bool) error {
	if databaseURL == "" {
		return fmt.Errorf("set DATABASE_URL (or --database-url) to the %s database", m.Database)
	}
	module, err := project.ModulePath(root)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(root, "_authgen_migrate")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tmpl := migrateMain
	if status {
		tmpl = mongoStatusMain
	}
	src := fmt.Sprintf(tmpl, module+"/"+m.Package)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		return err
	}
	if status {
		return runMongoStatus(ctx, out, root, dir, databaseURL)
	}
	if _, err := project.Go(ctx, root, out, "run", "./"+filepath.Base(dir), databaseURL); err != nil {
		return fmt.Errorf("migrate %s: %w", dburl.Redact(databaseURL), err)
	}
	fmt.Fprintf(out, "%s: the %s store is migrated\n", dburl.Redact(databaseURL), m.Database)
	return nil
}

// runMongoStatus builds the status program in dir and runs it: its output
// is the listing, its exit code 3 means steps are pending.
func runMongoStatus(ctx context.Context, out io.Writer, root, dir, databaseURL string) error {
	bin := filepath.Join(dir, "status")
	if _, err := project.Go(ctx, root, nil, "build", "-o", bin, "./"+filepath.Base(dir)); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, databaseURL)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		return fmt.Errorf("%w: run `authgen migrate` (or start the app with AUTH_AUTO_MIGRATE=true)", ErrPending)
	case err != nil:
		return fmt.Errorf("migrate --status %s: %w\n%s", dburl.Redact(databaseURL), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
