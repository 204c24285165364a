// Package dburl turns DATABASE_URL, always written as a URL, into the
// data source name each driver wants. It imports no driver.
//
//	sqlite:./authgen.db                      (also sqlite:///abs/path.db, sqlite::memory:)
//	postgres://user:pass@host:5432/db?sslmode=disable
//	mysql://user:pass@host:3306/db
//	mongodb://user:pass@host:27017/db        (opened by package mongostore)
//
// Each function refuses a URL of another database, so that a
// postgres:// URL given to a SQLite application is an error rather than a
// file named after the host.
package dburl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrURL reports a DATABASE_URL that cannot be used.
var ErrURL = errors.New("dburl: invalid database URL")

// Dialect returns "sqlite", "postgres", "mysql" or "mongodb" for a database
// URL, by its scheme.
func Dialect(raw string) (string, error) {
	scheme, _, ok := strings.Cut(raw, ":")
	if !ok || scheme == "" || strings.ContainsAny(scheme, "/.") {
		return "", fmt.Errorf("%w: it has no scheme (sqlite:, postgres://, mysql://, mongodb://)", ErrURL)
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		return "sqlite", nil
	case "postgres", "postgresql":
		return "postgres", nil
	case "mysql", "mariadb":
		return "mysql", nil
	case "mongodb", "mongodb+srv":
		return "mongodb", nil
	}
	return "", fmt.Errorf("%w: unknown scheme %q (sqlite:, postgres://, mysql://, mongodb://)", ErrURL, scheme)
}

// names are the databases as messages name them.
var names = map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MySQL", "mongodb": "MongoDB"}

// Name returns how messages name the database of a dialect ("PostgreSQL"
// for "postgres"); an unknown dialect is named as it is.
func Name(dialect string) string {
	if n, ok := names[dialect]; ok {
		return n
	}
	return dialect
}

// want checks that raw is a URL of dialect d.
func want(raw, d string) error {
	got, err := Dialect(raw)
	if err != nil {
		return err
	}
	if got != d {
		return fmt.Errorf("%w: a %s URL where a %s one is needed", ErrURL, Name(got), Name(d))
	}
	return nil
}

// SQLite returns a modernc.org/sqlite DSN for a sqlite: URL, with foreign
// keys on, a 5 s busy timeout, WAL journaling and immediate write
// transactions (so concurrent sign-ins wait rather than fail).
func SQLite(raw string) (string, error) {
	path, query, err := sqlite(raw)
	if err != nil {
		return "", err
	}
	params := url.Values{}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrURL, err)
		}
		params = q
	}
	for _, p := range []string{"foreign_keys(1)", "busy_timeout(5000)"} {
		params.Add("_pragma", p)
	}
	if path != ":memory:" {
		params.Add("_pragma", "journal_mode(WAL)")
		params.Add("_pragma", "synchronous(NORMAL)")
	}
	if params.Get("_txlock") == "" {
		params.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + params.Encode(), nil
}

// SQLiteFile returns the file a sqlite: URL names, as written (relative to
// the working directory unless absolute), or "" for an in-memory database.
func SQLiteFile(raw string) (string, error) {
	path, query, err := sqlite(raw)
	if err != nil {
		return "", err
	}
	if q, _ := url.ParseQuery(query); path == ":memory:" || q.Get("mode") == "memory" {
		return "", nil
	}
	return path, nil
}

// sqlite splits a sqlite: URL into its path and query.
func sqlite(raw string) (path, query string, err error) {
	if err := want(raw, "sqlite"); err != nil {
		return "", "", err
	}
	_, rest, _ := strings.Cut(raw, ":")
	path, query, _ = strings.Cut(rest, "?")
	path = strings.TrimPrefix(path, "//")
	if path == "" {
		return "", "", fmt.Errorf("%w: sqlite URL has no file (sqlite:./authgen.db)", ErrURL)
	}
	return path, query, nil
}

// Postgres checks a postgres:// URL; pgx takes URLs as they are.
func Postgres(raw string) (string, error) {
	if err := want(raw, "postgres"); err != nil {
		return "", err
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%w: %s", ErrURL, redact(raw))
	}
	return raw, nil
}

// MySQL returns a go-sql-driver/mysql DSN for a mysql:// URL: TCP, UTC
// times parsed into time.Time, utf8mb4, found (not changed) rows in
// RowsAffected, and parameters interpolated by the driver (one round trip
// per query instead of prepare, execute and close; safe with utf8mb4).
// Query parameters are passed on.
func MySQL(raw string) (string, error) {
	if err := want(raw, "mysql"); err != nil {
		return "", err
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%w: %s", ErrURL, redact(raw))
	}
	var b strings.Builder
	if u.User != nil {
		b.WriteString(u.User.Username())
		if p, ok := u.User.Password(); ok {
			b.WriteString(":" + p)
		}
		b.WriteString("@")
	}
	host := u.Host
	if u.Port() == "" {
		host += ":3306"
	}
	b.WriteString("tcp(" + host + ")/" + strings.TrimPrefix(u.Path, "/"))
	q := u.Query()
	for k, v := range map[string]string{"parseTime": "true", "loc": "UTC", "charset": "utf8mb4", "clientFoundRows": "true", "interpolateParams": "true"} {
		if q.Get(k) == "" {
			q.Set(k, v)
		}
	}
	return b.String() + "?" + q.Encode(), nil
}

// Redact hides the password of a database URL, for messages.
func Redact(raw string) string { return redact(raw) }

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
