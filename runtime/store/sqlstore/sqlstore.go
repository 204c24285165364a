// Package sqlstore implements store.Store on database/sql for SQLite,
// PostgreSQL and MySQL/MariaDB. It imports no driver: the generated code of
// a project opens the database with its driver and describes the driver's
// errors in a Dialect.
//
// Every query uses an index; a session check is one query joining the
// session to its user. Creating a user with their first account is one
// transaction, so no failure leaves a user without an account.
//
// The tables are those that authgen's migrations create in a project
// (auth/migrations, goose format): the store needs all of them applied,
// including 00002_authgen_session_provider.sql, which gives sessions their
// provider column, 00003_authgen_session_lifecycle.sql, which gives them
// their sign-in time, user agent and address,
// 00004_authgen_verification_attempts.sql, which counts the sign-in codes
// tried against a verification token, and
// 00005_authgen_account_linked_at.sql, which gives accounts the time they
// were linked. Two-factor sign-in (store.TwoFactors) also needs
// 00006_authgen_two_factor.sql, which creates the second factors and their
// recovery codes, and passkeys (store.Passkeys) need
// 00007_authgen_passkeys.sql, which creates them. Run them with package
// sqlmigrate.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// Dialect describes one SQL database.
type Dialect struct {
	// Name is "sqlite", "postgres" or "mysql".
	Name string
	// Numbered placeholders ($1, $2) instead of "?" (PostgreSQL).
	Numbered bool
	// UnixMillis stores times as integer milliseconds since the epoch
	// (SQLite, which has no time type); otherwise as UTC time values.
	UnixMillis bool
	// Classify maps a driver error to store.ErrConflict (unique violation),
	// store.ErrNotFound (foreign-key violation: the referenced user does not
	// exist) or returns it unchanged.
	Classify func(error) error
}

// Store is a store.Store on one database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect Dialect
	q       queries

	// prepared holds the statements run on every request (the session
	// check, a user by ID), prepared on first use: the database may be down
	// when New runs.
	mu       sync.RWMutex
	prepared map[string]*sql.Stmt
}

// New returns a store on db whose tables are named with prefix (for example
// "auth_" for auth_users).
func New(db *sql.DB, dialect Dialect, prefix string) *Store {
	if dialect.Classify == nil {
		dialect.Classify = func(err error) error { return err }
	}
	return &Store{db: db, dialect: dialect, q: newQueries(prefix, dialect.Numbered)}
}

// DB returns the database handle.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

var (
	_ store.Store      = (*Store)(nil)
	_ store.TwoFactors = (*Store)(nil)
)

// queries are the statements, with the table prefix and placeholders
// filled in.
type queries struct {
	createUser, getUser, getUserByEmail, getUserByAccount, updateUser, deleteUser string
	linkAccount, unlinkAccount, updateAccount, listAccounts                       string
	createSession, getSessionAndUser, updateSession, deleteSession, deleteExpired string
	listSessions, deleteUserSessions                                              string
	createToken, getToken, deleteToken, countToken                                string
	tfDeletePending, tfInsert, tfGet, tfEnable, tfUseStep, tfEnabled, tfDelete    string
	codeInsert, codeUse, codeDeleteAll                                            string
	pkInsert, pkGet, pkList, pkUse, pkCount, pkRename, pkDelete                   string
}

const userColumns = "u.id, u.name, u.email, u.email_verified, u.image"

// sessionColumns are a session's columns besides its ID and user, as
// scanSession reads them.
const sessionColumns = "s.expires, s.provider, s.created_at, s.user_agent, s.ip"

func newQueries(p string, numbered bool) queries {
	users, accounts, sessions, tokens := p+"users", p+"accounts", p+"sessions", p+"verification_tokens"
	factors, codes := p+"two_factors", p+"two_factor_recovery_codes"
	q := queries{
		createUser:       "INSERT INTO " + users + " (id, name, email, email_verified, image) VALUES (?, ?, ?, ?, ?)",
		getUser:          "SELECT " + userColumns + " FROM " + users + " u WHERE u.id = ?",
		getUserByEmail:   "SELECT " + userColumns + " FROM " + users + " u WHERE u.email = ?",
		getUserByAccount: "SELECT " + userColumns + " FROM " + users + " u JOIN " + accounts + " a ON a.user_id = u.id WHERE a.provider = ? AND a.provider_account_id = ?",
		updateUser:       "UPDATE " + users + " SET name = ?, email = ?, email_verified = ?, image = ? WHERE id = ?",
		deleteUser:       "DELETE FROM " + users + " WHERE id = ?",
		linkAccount: "INSERT INTO " + accounts + " (user_id, type, provider, provider_account_id, refresh_token, access_token, expires_at, token_type, scope, id_token, session_state, oauth_token_secret, linked_at)" +
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		unlinkAccount: "DELETE FROM " + accounts + " WHERE provider = ? AND provider_account_id = ?",
		updateAccount: "UPDATE " + accounts + " SET refresh_token = ?, access_token = ?, expires_at = ?, token_type = ?, scope = ?, id_token = ?, session_state = ?, oauth_token_secret = ?" +
			" WHERE provider = ? AND provider_account_id = ?",
		listAccounts: "SELECT user_id, type, provider, provider_account_id, refresh_token, access_token, expires_at, token_type, scope, id_token, session_state, oauth_token_secret, linked_at FROM " + accounts +
			" WHERE user_id = ? ORDER BY provider, provider_account_id",
		createSession:      "INSERT INTO " + sessions + " (id, user_id, provider, expires, created_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
		getSessionAndUser:  "SELECT " + sessionColumns + ", " + userColumns + " FROM " + sessions + " s JOIN " + users + " u ON u.id = s.user_id WHERE s.id = ? AND s.expires > ?",
		listSessions:       "SELECT s.id, s.user_id, " + sessionColumns + " FROM " + sessions + " s WHERE s.user_id = ?",
		deleteUserSessions: "DELETE FROM " + sessions + " WHERE user_id = ?",
		updateSession:      "UPDATE " + sessions + " SET expires = ? WHERE id = ?",
		deleteSession:      "DELETE FROM " + sessions + " WHERE id = ?",
		deleteExpired:      "DELETE FROM " + sessions + " WHERE expires <= ?",
		createToken:        "INSERT INTO " + tokens + " (identifier, token_hash, expires, attempts) VALUES (?, ?, ?, ?)",
		getToken:           "SELECT expires, attempts FROM " + tokens + " WHERE identifier = ? AND token_hash = ?",
		deleteToken:        "DELETE FROM " + tokens + " WHERE identifier = ? AND token_hash = ?",
		countToken:         "UPDATE " + tokens + " SET attempts = attempts + 1 WHERE identifier = ? AND token_hash = ?",
		tfDeletePending:    "DELETE FROM " + factors + " WHERE user_id = ? AND NOT enabled",
		tfInsert:           "INSERT INTO " + factors + " (user_id, secret, enabled, last_step, created_at) VALUES (?, ?, ?, 0, ?)",
		tfGet: "SELECT f.secret, f.enabled, f.last_step, f.created_at, (SELECT COUNT(*) FROM " + codes + " c WHERE c.user_id = f.user_id) FROM " + factors +
			" f WHERE f.user_id = ?",
		tfEnable:      "UPDATE " + factors + " SET enabled = ?, last_step = ? WHERE user_id = ? AND secret = ? AND NOT enabled",
		tfUseStep:     "UPDATE " + factors + " SET last_step = ? WHERE user_id = ? AND enabled AND last_step < ?",
		tfEnabled:     "SELECT enabled FROM " + factors + " WHERE user_id = ?",
		tfDelete:      "DELETE FROM " + factors + " WHERE user_id = ?",
		codeInsert:    "INSERT INTO " + codes + " (user_id, code_hash) VALUES (?, ?)",
		codeUse:       "DELETE FROM " + codes + " WHERE user_id = ? AND code_hash = ?",
		codeDeleteAll: "DELETE FROM " + codes + " WHERE user_id = ?",
	}
	passkeyQueries(&q, p)
	if numbered {
		for _, f := range []*string{&q.createUser, &q.getUser, &q.getUserByEmail, &q.getUserByAccount, &q.updateUser, &q.deleteUser,
			&q.linkAccount, &q.unlinkAccount, &q.updateAccount, &q.listAccounts, &q.createSession, &q.getSessionAndUser,
			&q.updateSession, &q.deleteSession, &q.deleteExpired, &q.listSessions, &q.deleteUserSessions,
			&q.createToken, &q.getToken, &q.deleteToken, &q.countToken,
			&q.tfDeletePending, &q.tfInsert, &q.tfGet, &q.tfEnable, &q.tfUseStep, &q.tfEnabled, &q.tfDelete,
			&q.codeInsert, &q.codeUse, &q.codeDeleteAll,
			&q.pkInsert, &q.pkGet, &q.pkList, &q.pkUse, &q.pkCount, &q.pkRename, &q.pkDelete} {
			*f = number(*f)
		}
	}
	return q
}

// number rewrites ? placeholders as $1, $2, ….
func number(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// execer is a *sql.DB or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// err classifies a driver error and wraps it with the operation.
func (s *Store) err(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlstore: %s: %w", op, store.ErrNotFound)
	}
	c := s.dialect.Classify(err)
	if errors.Is(c, store.ErrConflict) || errors.Is(c, store.ErrNotFound) {
		return fmt.Errorf("sqlstore: %s: %w", op, c)
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// exec runs a statement that must change a row (else ErrNotFound).
func (s *Store) exec(ctx context.Context, x execer, op, query string, args ...any) error {
	res, err := x.ExecContext(ctx, query, args...)
	if err != nil {
		return s.err(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.err(op, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: %s: %w", op, store.ErrNotFound)
	}
	return nil
}

// timeValue encodes t for the dialect; the zero time is NULL.
func (s *Store) timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if s.dialect.UnixMillis {
		return t.UnixMilli()
	}
	return t.UTC()
}

func (s *Store) timePtrValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return s.timeValue(*t)
}

// nullString maps "" to NULL, so that unique e-mail allows many users
// without one.
func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// timeColumn scans a time stored as a time value or as Unix milliseconds.
type timeColumn struct {
	t     time.Time
	valid bool
}

func (c *timeColumn) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		c.valid = false
	case time.Time:
		c.t, c.valid = v.UTC(), true
	case int64:
		c.t, c.valid = time.UnixMilli(v).UTC(), true
	case []byte:
		return c.parse(string(v))
	case string:
		return c.parse(v)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a time", src)
	}
	return nil
}

func (c *timeColumn) parse(s string) error {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		c.t, c.valid = time.UnixMilli(ms).UTC(), true
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999-07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			c.t, c.valid = t.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("sqlstore: cannot parse time %q", s)
}

// scanUser scans userColumns (after any leading columns in dest).
func scanUser(row interface{ Scan(...any) error }, lead ...any) (*store.User, error) {
	var (
		u                  store.User
		name, email, image sql.NullString
		verified           timeColumn
	)
	if err := row.Scan(append(lead, &u.ID, &name, &email, &verified, &image)...); err != nil {
		return nil, err
	}
	u.Name, u.Email, u.Image = name.String, email.String, image.String
	if verified.valid {
		t := verified.t
		u.EmailVerified = &t
	}
	return &u, nil
}

// CreateUser implements store.Users.
func (s *Store) CreateUser(ctx context.Context, u store.User) (*store.User, error) {
	if u.ID == "" {
		u.ID = store.NewID()
	}
	if err := s.insertUser(ctx, s.db, u); err != nil {
		return nil, err
	}
	return s.GetUser(ctx, u.ID)
}

func (s *Store) insertUser(ctx context.Context, x execer, u store.User) error {
	_, err := x.ExecContext(ctx, s.q.createUser, u.ID, nullString(u.Name), nullString(u.Email), s.timePtrValue(u.EmailVerified), nullString(u.Image))
	return s.err("create user", err)
}

// GetUser implements store.Users.
func (s *Store) GetUser(ctx context.Context, id string) (*store.User, error) {
	stmt, err := s.stmt(ctx, s.q.getUser)
	if err != nil {
		return nil, s.err("get user", err)
	}
	u, err := scanUser(stmt.QueryRowContext(ctx, id))
	return u, s.err("get user", err)
}

// GetUserByEmail implements store.Users.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (*store.User, error) {
	if email == "" {
		return nil, fmt.Errorf("sqlstore: get user by e-mail: %w", store.ErrNotFound)
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q.getUserByEmail, email))
	return u, s.err("get user by e-mail", err)
}

// GetUserByAccount implements store.Users.
func (s *Store) GetUserByAccount(ctx context.Context, provider, providerAccountID string) (*store.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q.getUserByAccount, provider, providerAccountID))
	return u, s.err("get user by account", err)
}

// UpdateUser implements store.Users.
func (s *Store) UpdateUser(ctx context.Context, u store.User) (*store.User, error) {
	if err := s.exec(ctx, s.db, "update user", s.q.updateUser,
		nullString(u.Name), nullString(u.Email), s.timePtrValue(u.EmailVerified), nullString(u.Image), u.ID); err != nil {
		return nil, err
	}
	return s.GetUser(ctx, u.ID)
}

// DeleteUser implements store.Users; accounts and sessions go with the user
// (ON DELETE CASCADE).
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	return s.exec(ctx, s.db, "delete user", s.q.deleteUser, id)
}

// CreateUserAndAccount implements store.Users in one transaction.
func (s *Store) CreateUserAndAccount(ctx context.Context, u store.User, a store.Account) (_ *store.User, err error) {
	if u.ID == "" {
		u.ID = store.NewID()
	}
	a.UserID = u.ID
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.err("begin", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := s.insertUser(ctx, tx, u); err != nil {
		return nil, err
	}
	if err := s.insertAccount(ctx, tx, a); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, s.err("commit", err)
	}
	return s.GetUser(ctx, u.ID)
}

func (s *Store) insertAccount(ctx context.Context, x execer, a store.Account) error {
	_, err := x.ExecContext(ctx, s.q.linkAccount, a.UserID, a.Type, a.Provider, a.ProviderAccountID,
		nullString(a.RefreshToken), nullString(a.AccessToken), nullInt(a.ExpiresAt), nullString(a.TokenType),
		nullString(a.Scope), nullString(a.IDToken), nullString(a.SessionState), nullString(a.TokenSecret), s.timeValue(a.LinkedAt))
	return s.err("link account", err)
}

// LinkAccount implements store.Users.
func (s *Store) LinkAccount(ctx context.Context, a store.Account) error {
	return s.insertAccount(ctx, s.db, a)
}

// UnlinkAccount implements store.Users.
func (s *Store) UnlinkAccount(ctx context.Context, provider, providerAccountID string) error {
	return s.exec(ctx, s.db, "unlink account", s.q.unlinkAccount, provider, providerAccountID)
}

// UpdateAccount implements store.Users.
func (s *Store) UpdateAccount(ctx context.Context, a store.Account) error {
	return s.exec(ctx, s.db, "update account", s.q.updateAccount,
		nullString(a.RefreshToken), nullString(a.AccessToken), nullInt(a.ExpiresAt), nullString(a.TokenType),
		nullString(a.Scope), nullString(a.IDToken), nullString(a.SessionState), nullString(a.TokenSecret), a.Provider, a.ProviderAccountID)
}

// ListAccounts implements store.Users.
func (s *Store) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	rows, err := s.db.QueryContext(ctx, s.q.listAccounts, userID)
	if err != nil {
		return nil, s.err("list accounts", err)
	}
	defer rows.Close()
	out := []store.Account{}
	for rows.Next() {
		var (
			a                                                       store.Account
			refresh, access, tokenType, scope, idTok, state, secret sql.NullString
			expires                                                 sql.NullInt64
			linked                                                  timeColumn
		)
		if err := rows.Scan(&a.UserID, &a.Type, &a.Provider, &a.ProviderAccountID, &refresh, &access, &expires, &tokenType, &scope, &idTok, &state, &secret, &linked); err != nil {
			return nil, s.err("list accounts", err)
		}
		a.RefreshToken, a.AccessToken, a.ExpiresAt = refresh.String, access.String, expires.Int64
		a.TokenType, a.Scope, a.IDToken, a.SessionState = tokenType.String, scope.String, idTok.String, state.String
		a.TokenSecret = secret.String
		if linked.valid {
			a.LinkedAt = linked.t
		}
		out = append(out, a)
	}
	return out, s.err("list accounts", rows.Err())
}

// CreateSession implements store.Sessions.
func (s *Store) CreateSession(ctx context.Context, se store.Session) error {
	_, err := s.db.ExecContext(ctx, s.q.createSession, se.ID, se.UserID, se.Provider, s.timeValue(se.Expires),
		s.timeValue(se.CreatedAt), se.UserAgent, se.IP)
	return s.err("create session", err)
}

// sessionScan receives sessionColumns.
type sessionScan struct {
	expires, created      timeColumn
	provider, agent, addr sql.NullString
}

func (c *sessionScan) dest() []any {
	return []any{&c.expires, &c.provider, &c.created, &c.agent, &c.addr}
}

// session fills the scanned columns into a session.
func (c *sessionScan) session(id, userID string) *store.Session {
	se := &store.Session{ID: id, UserID: userID, Provider: c.provider.String, Expires: c.expires.t,
		UserAgent: c.agent.String, IP: c.addr.String}
	if c.created.valid {
		se.CreatedAt = c.created.t
	}
	return se
}

// GetSessionAndUser implements store.Sessions in one query.
func (s *Store) GetSessionAndUser(ctx context.Context, id string, now time.Time) (*store.Session, *store.User, error) {
	stmt, err := s.stmt(ctx, s.q.getSessionAndUser)
	if err != nil {
		return nil, nil, s.err("get session", err)
	}
	var c sessionScan
	u, err := scanUser(stmt.QueryRowContext(ctx, id, s.timeValue(now)), c.dest()...)
	if err != nil {
		return nil, nil, s.err("get session", err)
	}
	return c.session(id, u.ID), u, nil
}

// ListSessions implements store.Sessions, expired sessions not yet
// deleted included.
func (s *Store) ListSessions(ctx context.Context, userID string) ([]store.Session, error) {
	rows, err := s.db.QueryContext(ctx, s.q.listSessions, userID)
	if err != nil {
		return nil, s.err("list sessions", err)
	}
	defer rows.Close()
	out := []store.Session{}
	for rows.Next() {
		var (
			id, user string
			c        sessionScan
		)
		if err := rows.Scan(append([]any{&id, &user}, c.dest()...)...); err != nil {
			return nil, s.err("list sessions", err)
		}
		out = append(out, *c.session(id, user))
	}
	return out, s.err("list sessions", rows.Err())
}

// DeleteUserSessions implements store.Sessions.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	_, err := s.db.ExecContext(ctx, s.q.deleteUserSessions, userID)
	return s.err("delete the user's sessions", err)
}

// stmt returns query prepared, preparing it once.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.RLock()
	st, ok := s.prepared[query]
	s.mu.RUnlock()
	if ok {
		return st, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.prepared[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.prepared == nil {
		s.prepared = map[string]*sql.Stmt{}
	}
	s.prepared[query] = st
	return st, nil
}

// UpdateSession implements store.Sessions.
func (s *Store) UpdateSession(ctx context.Context, id string, expires time.Time) error {
	return s.exec(ctx, s.db, "update session", s.q.updateSession, s.timeValue(expires), id)
}

// DeleteSession implements store.Sessions.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return s.exec(ctx, s.db, "delete session", s.q.deleteSession, id)
}

// DeleteExpiredSessions implements store.Sessions.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q.deleteExpired, s.timeValue(now))
	if err != nil {
		return 0, s.err("delete expired sessions", err)
	}
	n, err := res.RowsAffected()
	return n, s.err("delete expired sessions", err)
}

// CreateVerificationToken implements store.VerificationTokens.
func (s *Store) CreateVerificationToken(ctx context.Context, t store.VerificationToken) error {
	_, err := s.db.ExecContext(ctx, s.q.createToken, t.Identifier, t.TokenHash, s.timeValue(t.Expires), t.Attempts)
	return s.err("create verification token", err)
}

// UseVerificationToken implements store.VerificationTokens: the token is
// read, then deleted; only the caller whose delete removed the row gets it,
// so concurrent uses succeed once.
func (s *Store) UseVerificationToken(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	t, err := s.getToken(ctx, s.db, "use verification token", identifier, tokenHash)
	if err != nil {
		return nil, err
	}
	if err := s.exec(ctx, s.db, "use verification token", s.q.deleteToken, identifier, tokenHash); err != nil {
		return nil, err
	}
	return t, nil
}

// CountVerificationAttempt implements store.VerificationTokens: one
// transaction adds the attempt and reads the token back, so the row lock
// the update takes (the database's write lock in SQLite) keeps concurrent
// attempts from reading each other's counts.
func (s *Store) CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (_ *store.VerificationToken, err error) {
	const op = "count verification attempt"
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.err("begin", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := s.exec(ctx, tx, op, s.q.countToken, identifier, tokenHash); err != nil {
		return nil, err
	}
	t, err := s.getToken(ctx, tx, op, identifier, tokenHash)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, s.err("commit", err)
	}
	return t, nil
}

// getToken reads the identifier's token with the hash.
func (s *Store) getToken(ctx context.Context, x execer, op, identifier, tokenHash string) (*store.VerificationToken, error) {
	var expires timeColumn
	var attempts int
	if err := x.QueryRowContext(ctx, s.q.getToken, identifier, tokenHash).Scan(&expires, &attempts); err != nil {
		return nil, s.err(op, err)
	}
	return &store.VerificationToken{Identifier: identifier, TokenHash: tokenHash, Expires: expires.t, Attempts: attempts}, nil
}
