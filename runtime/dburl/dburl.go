// Package dburl turns DATABASE_URL, always written as a URL, into the
// data source name each driver wants. It imports no driver.
//
//	sqlite:./authgen.db                      (also sqlite:///abs/path.db, sqlite::memory:)
//	postgres://user:pass@host:5432/db?sslmode=disable
//	mysql://user:pass@host:3306/db
package dburl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrURL reports a DATABASE_URL that cannot be used.
var ErrURL = errors.New("dburl: invalid database URL")

// Dialect returns "sqlite", "postgres" or "mysql" for a database URL.
func Dialect(raw string) (string, error) {
	scheme, _, ok := strings.Cut(raw, ":")
	if !ok {
		return "", fmt.Errorf("%w: %q has no scheme (sqlite:, postgres://, mysql://)", ErrURL, redact(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		return "sqlite", nil
	case "postgres", "postgresql":
		return "postgres", nil
	case "mysql", "mariadb":
		return "mysql", nil
	}
	return "", fmt.Errorf("%w: unknown scheme %q", ErrURL, scheme)
}

// SQLite returns a modernc.org/sqlite DSN for a sqlite: URL, with foreign
// keys on, a 5 s busy timeout, WAL journaling and immediate write
// transactions (so concurrent sign-ins wait rather than fail).
func SQLite(raw string) (string, error) {
	_, rest, ok := strings.Cut(raw, ":")
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrURL, raw)
	}
	path, query, _ := strings.Cut(rest, "?")
	path = strings.TrimPrefix(path, "//")
	if path == "" {
		return "", fmt.Errorf("%w: sqlite URL has no file (sqlite:./authgen.db)", ErrURL)
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

// Postgres checks a postgres:// URL; pgx takes URLs as they are.
func Postgres(raw string) (string, error) {
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
