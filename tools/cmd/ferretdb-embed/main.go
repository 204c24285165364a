// Command ferretdb-embed serves the MongoDB wire protocol on a TCP address by
// running FerretDB v1 in-process, backed by SQLite files in a directory (or,
// optionally, by a PostgreSQL database).
//
// The stock cmd/ferretdb binary cannot be used from the module proxy: its
// version file is generated at release time and is missing from the module
// zip, so it panics at start-up. The embeddable package has no such check.
//
// Usage:
//
//	ferretdb-embed -listen-addr 127.0.0.1:27017 -sqlite-dir /tmp/data
//	ferretdb-embed -listen-addr 127.0.0.1:27017 -postgresql-url postgres://...
//
// It stops cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embed:", err)
		os.Exit(1)
	}
}

func run() error {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP `address` to accept MongoDB wire-protocol connections on")
	sqliteDir := flag.String("sqlite-dir", "", "`directory` for the SQLite backend's database files")
	pgURL := flag.String("postgresql-url", "", "use the PostgreSQL backend with this `URL` instead of SQLite")
	logLevel := flag.String("log-level", "warn", "log `level`: debug, info, warn or error")
	flag.Parse()
	if flag.NArg() != 0 {
		return fmt.Errorf("unexpected arguments: %q", flag.Args())
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	cfg := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
	}
	switch {
	case *pgURL != "" && *sqliteDir != "":
		return errors.New("-sqlite-dir and -postgresql-url are mutually exclusive")
	case *pgURL != "":
		cfg.Handler = "postgresql"
		cfg.PostgreSQLURL = *pgURL
	case *sqliteDir != "":
		dir, err := filepath.Abs(*sqliteDir)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		cfg.Handler = "sqlite"
		// FerretDB wants a file: URI naming a directory, with a trailing slash.
		cfg.SQLiteURL = "file:" + dir + "/"
	default:
		return errors.New("one of -sqlite-dir or -postgresql-url is required")
	}

	db, err := ferretdb.New(&cfg)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The "listening" line is part of the interface: callers may wait for it.
	fmt.Fprintf(os.Stderr, "ferretdb-embed: listening on %s (%s backend), URI %s\n", *listen, cfg.Handler, db.MongoDBURI())
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
