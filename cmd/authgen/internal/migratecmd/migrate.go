// Package migratecmd implements "authgen migrate": apply the project's SQL
// migrations (auth/migrations/*.sql, goose format) to DATABASE_URL.
package migratecmd

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/spf13/cobra"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/dburl"
)

// DefaultSQLiteURL is DATABASE_URL when unset in a SQLite project.
const DefaultSQLiteURL = "sqlite:./authgen.db"

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
DATABASE_URL (or --database-url); a SQLite project defaults to
sqlite:./authgen.db. Generated applications can also migrate at start with
AUTH_AUTO_MIGRATE=true.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root, err := project.Root(".")
			if err != nil {
				return err
			}
			m, err := manifest.Read(filepath.Join(root, manifest.File))
			if err != nil {
				return err
			}
			if databaseURL == "" {
				databaseURL = os.Getenv("DATABASE_URL")
			}
			return Run(cmd.Context(), ios.Out, root, m, databaseURL, status)
		},
	}
	cmd.Flags().StringVar(&databaseURL, "database-url", "", "database URL (default $DATABASE_URL)")
	cmd.Flags().BoolVar(&status, "status", false, "list the migrations and whether each is applied; change nothing")
	return cmd
}

// Run applies (or, with status, lists) the migrations of the project at
// root. SQLite paths in databaseURL are relative to root.
func Run(ctx context.Context, out io.Writer, root string, m *manifest.Manifest, databaseURL string, status bool) error {
	if m.Database == manifest.DBNone {
		return fmt.Errorf("authgen.yaml says database: none; there is nothing to migrate")
	}
	if m.Database == manifest.DBMongoDB || m.Database == manifest.DBCustom {
		if status {
			return fmt.Errorf("--status lists SQL migrations; a %s store's Migrate has none to list", m.Database)
		}
		return runStoreMigrate(ctx, out, root, m, databaseURL)
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
	db, gooseDialect, err := open(d, databaseURL, root)
	if err != nil {
		return err
	}
	defer db.Close()
	opts := []goose.ProviderOption{goose.WithTableName(m.Prefix() + "migrations")}
	if d == manifest.DBPostgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gooseDialect, db, os.DirFS(filepath.Join(root, m.Package, "migrations")), opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	target := dburl.Redact(databaseURL)
	if status {
		list, err := p.Status(ctx)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", target, err)
		}
		for _, s := range list {
			fmt.Fprintf(out, "%-8s %s\n", s.State, s.Source.Path)
		}
		return nil
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", target, err)
	}
	for _, r := range results {
		fmt.Fprintf(out, "applied %s (%s)\n", r.Source.Path, r.Duration.Round(1e6))
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", target, err)
	}
	fmt.Fprintf(out, "%s is at version %d\n", target, v)
	return nil
}

// open opens databaseURL with the driver of dialect d.
func open(d, databaseURL, root string) (*sql.DB, goose.Dialect, error) {
	var (
		driver, dsn string
		dialect     goose.Dialect
		err         error
	)
	switch d {
	case manifest.DBSQLite:
		driver, dialect = "sqlite", goose.DialectSQLite3
		dsn, err = dburl.SQLite(databaseURL)
		if err == nil {
			dsn, err = relativeTo(dsn, root)
		}
	case manifest.DBPostgres:
		driver, dialect = "pgx", goose.DialectPostgres
		dsn, err = dburl.Postgres(databaseURL)
	case manifest.DBMySQL:
		driver, dialect = "mysql", goose.DialectMySQL
		dsn, err = dburl.MySQL(databaseURL)
	}
	if err != nil {
		return nil, "", err
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, "", fmt.Errorf("open %s: %w", dburl.Redact(databaseURL), err)
	}
	return db, dialect, nil
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

// migrateMain runs the project's own store Migrate: MongoDB indexes and
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

// runStoreMigrate writes a throw-away main package into the module (a
// directory starting with _ is ignored by ./... patterns), runs it with the
// database URL, and removes it.
func runStoreMigrate(ctx context.Context, out io.Writer, root string, m *manifest.Manifest, databaseURL string) error {
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
	src := fmt.Sprintf(migrateMain, module+"/"+m.Package)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		return err
	}
	if _, err := project.Go(ctx, root, out, "run", "./"+filepath.Base(dir), databaseURL); err != nil {
		return fmt.Errorf("migrate %s: %w", dburl.Redact(databaseURL), err)
	}
	fmt.Fprintf(out, "%s: the %s store is migrated\n", dburl.Redact(databaseURL), m.Database)
	return nil
}
