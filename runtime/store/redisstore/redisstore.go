package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authgen/authgen/runtime/store"
)

// Options configures a Store.
type Options struct {
	// Prefix starts every key (see the package documentation): "auth_"
	// gives auth_session:<id>. authgen passes the project's table prefix.
	// Empty is no prefix.
	Prefix string
	// Users finds a session's user for GetSessionAndUser: the database of
	// users and accounts. Nil returns users that have only an ID (for
	// tests of the sessions alone).
	Users store.Users
}

// Store keeps sessions and verification tokens in one Redis database. It
// implements store.Sessions and store.VerificationTokens, and is safe for
// concurrent use.
type Store struct {
	rdb   *redis.Client
	users store.Users

	// The key prefixes: a session, a user's index of sessions, a
	// verification token, the codes tried against a token.
	sessionKey, indexKey, tokenKey, attemptsKey string
	// indexPattern matches every user's index (SCAN MATCH).
	indexPattern string
	// limitKey starts the keys of rate limits' buckets (ratelimit.go).
	limitKey string

	createSession, updateSession, deleteSession, deleteSessions *redis.Script
	createToken, useToken, countAttempt                         *redis.Script
	// takeTokens takes an event's tokens from its buckets (ratelimit.go).
	takeTokens *redis.Script
}

var (
	_ store.Sessions           = (*Store)(nil)
	_ store.VerificationTokens = (*Store)(nil)
)

// batch is how many sessions one script deletes at most.
const batch = 256

// forever is a cutoff later than every session's expiry, in Unix
// milliseconds (2^53-1, past the year 287000).
const forever = "9007199254740991"

// Open returns the store on the Redis that redisURL names, as REDIS_URL
// does: redis://[user:password@]host:port/db, rediss:// for TLS, with
// go-redis's options as query parameters (?max_retries=-1 fails faster
// while Redis is down). It does not connect: Redis is contacted when first
// used, so an application starts while it is down and recovers when it
// returns. A malformed URL is an error that does not show its password.
// Close the store when done.
func Open(redisURL string, opts Options) (*Store, error) {
	ro, err := redis.ParseURL(redisURL)
	if err != nil {
		// A url.Error repeats the URL, password included.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, fmt.Errorf("redisstore: invalid Redis URL: %w", err)
	}
	p := opts.Prefix
	return &Store{
		rdb:            redis.NewClient(ro),
		users:          opts.Users,
		sessionKey:     p + "session:",
		indexKey:       p + "user_sessions:",
		tokenKey:       p + "verification:",
		attemptsKey:    p + "verification_attempts:",
		indexPattern:   globEscape(p+"user_sessions:") + "*",
		createSession:  redis.NewScript(luaCreateSession),
		updateSession:  redis.NewScript(luaUpdateSession),
		deleteSession:  redis.NewScript(luaDeleteSession),
		deleteSessions: redis.NewScript(luaDeleteSessions),
		createToken:    redis.NewScript(luaCreateToken),
		useToken:       redis.NewScript(luaUseToken),
		countAttempt:   redis.NewScript(luaCountAttempt),
		limitKey:       p + "ratelimit:",
		takeTokens:     redis.NewScript(luaTakeTokens),
	}, nil
}

// globEscape escapes the characters that are special in a SCAN MATCH
// pattern, so that a prefix matches only itself.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Close closes the connections to Redis. The store cannot be used
// afterwards.
func (s *Store) Close() error {
	if err := s.rdb.Close(); err != nil {
		return fmt.Errorf("redisstore: close: %w", err)
	}
	return nil
}

// CreateSession stores sess until it expires, adding it to its user's
// sessions: store.ErrConflict when its ID is taken.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	keys := []string{s.sessionKey + sess.ID, s.indexKey + sess.UserID}
	var createdAt int64
	if !sess.CreatedAt.IsZero() {
		createdAt = sess.CreatedAt.UnixMilli()
	}
	created, err := s.createSession.Run(ctx, s.rdb, keys, sess.UserID, sess.Expires.UnixMilli(), sess.ID, sess.Provider,
		createdAt, sess.UserAgent, sess.IP).Int()
	if err != nil {
		return fmt.Errorf("redisstore: create session: %w", err)
	}
	if created == 0 {
		return fmt.Errorf("redisstore: create session: %w", store.ErrConflict)
	}
	return nil
}

// GetSessionAndUser returns the session with id, unexpired at now, and its
// user: one HGETALL, then the user from Options.Users. A missing or expired
// session, or one whose user no longer exists, is store.ErrNotFound.
func (s *Store) GetSessionAndUser(ctx context.Context, id string, now time.Time) (*store.Session, *store.User, error) {
	fields, err := s.rdb.HGetAll(ctx, s.sessionKey+id).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("redisstore: read session: %w", err)
	}
	if len(fields) == 0 {
		return nil, nil, fmt.Errorf("redisstore: session: %w", store.ErrNotFound)
	}
	sess, err := sessionOf(id, fields)
	if err != nil {
		return nil, nil, fmt.Errorf("redisstore: read session: %w", err)
	}
	userID := sess.UserID
	if !sess.Expires.After(now) {
		return nil, nil, fmt.Errorf("redisstore: session: %w", store.ErrNotFound)
	}
	if s.users == nil {
		return sess, &store.User{ID: userID}, nil
	}
	u, err := s.users.GetUser(ctx, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("redisstore: session's user: %w", err)
	}
	return sess, u, nil
}

// sessionOf reads a session's hash. A hash stored before sessions had a
// provider, a sign-in time, a user agent or an address lacks those fields,
// which read as empty (a createdAt of 0 too).
func sessionOf(id string, fields map[string]string) (*store.Session, error) {
	userID := fields["userId"]
	expires, err := strconv.ParseInt(fields["expires"], 10, 64)
	if err != nil || userID == "" {
		return nil, errors.New("malformed session in Redis")
	}
	sess := &store.Session{ID: id, UserID: userID, Provider: fields["provider"], Expires: time.UnixMilli(expires).UTC(),
		UserAgent: fields["userAgent"], IP: fields["ip"]}
	if v := fields["createdAt"]; v != "" && v != "0" {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, errors.New("malformed session in Redis")
		}
		sess.CreatedAt = time.UnixMilli(ms).UTC()
	}
	return sess, nil
}

// UpdateSession sets the expiry of the session with id, in Redis's TTL and
// its user's sessions too; a missing session is store.ErrNotFound.
func (s *Store) UpdateSession(ctx context.Context, id string, expires time.Time) error {
	key := s.sessionKey + id
	userID, err := s.sessionUser(ctx, key)
	if err != nil {
		return fmt.Errorf("redisstore: update session: %w", err)
	}
	done, err := s.updateSession.Run(ctx, s.rdb, []string{key, s.indexKey + userID}, userID, expires.UnixMilli(), id).Int()
	if err != nil {
		return fmt.Errorf("redisstore: update session: %w", err)
	}
	if done == 0 {
		return fmt.Errorf("redisstore: update session: %w", store.ErrNotFound)
	}
	return nil
}

// DeleteSession deletes the session with id, on every instance at once; a
// missing session is store.ErrNotFound.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	key := s.sessionKey + id
	userID, err := s.sessionUser(ctx, key)
	if err != nil {
		return fmt.Errorf("redisstore: delete session: %w", err)
	}
	done, err := s.deleteSession.Run(ctx, s.rdb, []string{key, s.indexKey + userID}, userID, id).Int()
	if err != nil {
		return fmt.Errorf("redisstore: delete session: %w", err)
	}
	if done == 0 {
		return fmt.Errorf("redisstore: delete session: %w", store.ErrNotFound)
	}
	return nil
}

// sessionUser returns the user ID of the session with key, or
// store.ErrNotFound. The scripts check it again, atomically.
func (s *Store) sessionUser(ctx context.Context, key string) (string, error) {
	userID, err := s.rdb.HGet(ctx, key, "userId").Result()
	if errors.Is(err, redis.Nil) {
		return "", store.ErrNotFound
	}
	return userID, err
}

// DeleteExpiredSessions deletes every session expired at now and returns
// how many. Redis deletes sessions when they expire by its own clock; this
// walks the users' sessions (SCAN <prefix>user_sessions:*), deletes those
// expired at now, and drops those Redis deleted already, which do not
// count.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	cutoff := strconv.FormatInt(now.UnixMilli(), 10)
	var n int64
	iter := s.rdb.Scan(ctx, 0, s.indexPattern, 1000).Iterator()
	for iter.Next(ctx) {
		userID := strings.TrimPrefix(iter.Val(), s.indexKey)
		deleted, err := s.deleteUpTo(ctx, userID, cutoff)
		n += deleted
		if err != nil {
			return n, fmt.Errorf("redisstore: delete expired sessions: %w", err)
		}
	}
	if err := iter.Err(); err != nil {
		return n, fmt.Errorf("redisstore: delete expired sessions: %w", err)
	}
	return n, nil
}

// ListSessions returns the sessions of the user with userID that Redis
// still holds: the IDs in the user's index, then each session's hash, in
// one round trip (a pipeline). Sessions Redis deleted when they expired
// are left out.
func (s *Store) ListSessions(ctx context.Context, userID string) ([]store.Session, error) {
	ids, err := s.rdb.ZRange(ctx, s.indexKey+userID, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: list sessions: %w", err)
	}
	out := []store.Session{}
	if len(ids) == 0 {
		return out, nil
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HGetAll(ctx, s.sessionKey+id)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("redisstore: list sessions: %w", err)
	}
	for i, cmd := range cmds {
		fields := cmd.Val()
		if len(fields) == 0 || fields["userId"] != userID {
			continue
		}
		sess, err := sessionOf(ids[i], fields)
		if err != nil {
			return nil, fmt.Errorf("redisstore: list sessions: %w", err)
		}
		out = append(out, *sess)
	}
	return out, nil
}

// DeleteUserSessions deletes every session of the user with userID,
// signing them out on every instance; a user without sessions is not an
// error. Call it before deleting the user from the database (the generated
// Auth.DeleteUser does): after a failure between the two the user is
// signed out everywhere, and trying again finishes the job.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	if _, err := s.deleteUpTo(ctx, userID, forever); err != nil {
		return fmt.Errorf("redisstore: delete the user's sessions: %w", err)
	}
	return nil
}

// deleteUpTo deletes, in batches, the sessions in the user's index that
// expire at or before cutoff (Unix milliseconds) and returns how many it
// deleted.
func (s *Store) deleteUpTo(ctx context.Context, userID, cutoff string) (int64, error) {
	index := s.indexKey + userID
	var n int64
	for {
		ids, err := s.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: index, ByScore: true, Start: "-inf", Stop: cutoff, Count: batch}).Result()
		if err != nil || len(ids) == 0 {
			return n, err
		}
		keys := append(make([]string, 0, len(ids)+1), index)
		args := append(make([]any, 0, len(ids)+2), userID, cutoff)
		for _, id := range ids {
			keys = append(keys, s.sessionKey+id)
			args = append(args, id)
		}
		deleted, err := s.deleteSessions.Run(ctx, s.rdb, keys, args...).Int64()
		n += deleted
		if err != nil || len(ids) < batch {
			return n, err
		}
	}
}

// CreateVerificationToken stores t until it expires (SET NX PXAT), with
// its attempts when it has some: store.ErrConflict when its hash is taken,
// whatever the identifier.
func (s *Store) CreateVerificationToken(ctx context.Context, t store.VerificationToken) error {
	expires := t.Expires.UnixMilli()
	value := strconv.FormatInt(expires, 10) + ":" + t.Identifier
	err := s.createToken.Run(ctx, s.rdb, s.tokenKeys(t.TokenHash), value, expires, t.Attempts).Err()
	switch {
	case errors.Is(err, redis.Nil):
		return fmt.Errorf("redisstore: create verification token: %w", store.ErrConflict)
	case err != nil:
		return fmt.Errorf("redisstore: create verification token: %w", err)
	}
	return nil
}

// tokenKeys are the keys of a token: the token and its attempts.
func (s *Store) tokenKeys(tokenHash string) []string {
	return []string{s.tokenKey + tokenHash, s.attemptsKey + tokenHash}
}

// UseVerificationToken deletes and returns the token with tokenHash, with
// its attempts, when it belongs to identifier, atomically, so only one of
// concurrent uses gets it. An unknown token, one used already, and another
// identifier's token (which stays usable) are store.ErrNotFound; so is a
// token Redis deleted when it expired.
func (s *Store) UseVerificationToken(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	return s.tokenScript(ctx, "use verification token", s.useToken, identifier, tokenHash)
}

// CountVerificationAttempt adds one to the attempts of the identifier's
// token (INCR on its attempts key, which expires with the token) and
// returns the token with the new count, atomically. An unknown or used
// token, or another identifier's, is store.ErrNotFound and counts nothing.
func (s *Store) CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	return s.tokenScript(ctx, "count verification attempt", s.countAttempt, identifier, tokenHash)
}

// tokenScript runs a script that answers a token's value and attempts, or
// nil when the identifier has no such token.
func (s *Store) tokenScript(ctx context.Context, op string, script *redis.Script, identifier, tokenHash string) (*store.VerificationToken, error) {
	res, err := script.Run(ctx, s.rdb, s.tokenKeys(tokenHash), identifier).Slice()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redisstore: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: %s: %w", op, err)
	}
	if len(res) != 2 {
		return nil, fmt.Errorf("redisstore: %s: malformed answer from Redis", op)
	}
	value, _ := res[0].(string)
	attempts, _ := res[1].(int64)
	ms, _, _ := strings.Cut(value, ":")
	expires, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("redisstore: %s: malformed token in Redis", op)
	}
	return &store.VerificationToken{Identifier: identifier, TokenHash: tokenHash, Expires: time.UnixMilli(expires).UTC(), Attempts: int(attempts)}, nil
}
