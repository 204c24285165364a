// Package redisstore_test runs runtime/store/redisstore against a real Redis
// (testsvc.Redis): the conformance suites of the interfaces it implements,
// with and without a SQL store of users, and what storetest cannot check —
// expiry done by Redis, the keys and their TTLs, users changed in the
// database, many sessions and users, Redis going away and coming back,
// several instances and prefixes on one Redis, errors that show no secret —
// and the session check's benchmarks.
package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authgen/authgen/internal/integration/sqltest"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/redisstore"
	"github.com/authgen/authgen/runtime/store/sqlstore"
	"github.com/authgen/authgen/runtime/store/storetest"
)

// prefix is the key (and table) prefix of the tests, authgen's default.
const prefix = "auth_"

// testRedis is a Redis server started for one test, and a client of ours
// that looks at its keys.
type testRedis struct {
	*testsvc.RedisServer
	rdb *redis.Client
}

// startRedis starts a Redis server for the test.
func startRedis(t testing.TB) *testRedis {
	t.Helper()
	srv := testsvc.Redis(t)
	opts, err := redis.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	r := &testRedis{RedisServer: srv, rdb: redis.NewClient(opts)}
	t.Cleanup(func() { r.rdb.Close() })
	return r
}

// open empties the Redis database (FLUSHDB) and opens the store on it with
// the test prefix and users (nil: sessions alone), closed when the test
// ends.
func (r *testRedis) open(t testing.TB, users store.Users) *redisstore.Store {
	t.Helper()
	if err := r.rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("FLUSHDB: %v", err)
	}
	return openStore(t, r.URL(), redisstore.Options{Prefix: prefix, Users: users})
}

// openStore opens the store on redisURL, closed when the test ends.
func openStore(t testing.TB, redisURL string, opts redisstore.Options) *redisstore.Store {
	t.Helper()
	s, err := redisstore.Open(redisURL, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// pttl returns the time to live of key.
func (r *testRedis) pttl(t testing.TB, key string) time.Duration {
	t.Helper()
	d, err := r.rdb.PTTL(context.Background(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// openUsers opens a new, migrated SQLite store: the database of users and
// accounts beside Redis.
func openUsers(t testing.TB) *sqlstore.Store {
	t.Helper()
	st, _ := sqltest.SQLiteStore(t)
	return st
}

// withUsers is the Redis sessions with the SQL store's users, as a
// generated New wires them. DeleteUser is the generated Auth.DeleteUser:
// the user's sessions in Redis, then the user.
type withUsers struct {
	*redisstore.Store
	store.Users
}

func (s withUsers) DeleteUser(ctx context.Context, id string) error {
	if err := s.DeleteUserSessions(ctx, id); err != nil {
		return err
	}
	return s.Users.DeleteUser(ctx, id)
}

// openWithUsers opens the store on r with a new SQLite store of users.
func (r *testRedis) openWithUsers(t testing.TB) withUsers {
	t.Helper()
	users := openUsers(t)
	return withUsers{Store: r.open(t, users), Users: users}
}

func TestSessions(t *testing.T) {
	r := startRedis(t)
	storetest.RunSessions(t, func(t *testing.T) store.Sessions { return r.open(t, nil) })
}

func TestSessionsWithUsers(t *testing.T) {
	r := startRedis(t)
	storetest.RunSessions(t, func(t *testing.T) store.Sessions { return r.openWithUsers(t) })
}

func TestVerificationTokens(t *testing.T) {
	r := startRedis(t)
	storetest.RunVerificationTokens(t, func(t *testing.T) store.VerificationTokens { return r.open(t, nil) })
}

// TestExpiry: Redis deletes expired sessions and tokens by itself, at the
// expiry the store set (PEXPIREAT, PXAT); the user's index lives as long as
// their longest session; cleaning up drops what Redis deleted without
// counting it.
func TestExpiry(t *testing.T) {
	ctx := context.Background()
	r := startRedis(t)
	s := r.open(t, nil)
	now := time.Now()
	short := store.Session{ID: store.HashToken("short"), UserID: "u1", Expires: now.Add(300 * time.Millisecond)}
	long := store.Session{ID: store.HashToken("long"), UserID: "u1", Provider: "github", Expires: now.Add(time.Hour),
		CreatedAt: now.Add(-time.Minute), UserAgent: "curl/8.5.0", IP: "2001:db8::1"}
	for _, sess := range []store.Session{short, long} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	tok := store.VerificationToken{Identifier: "a@example.com", TokenHash: store.HashToken("tok"), Expires: now.Add(300 * time.Millisecond)}
	if err := s.CreateVerificationToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if d := r.pttl(t, "auth_session:"+long.ID); d < 59*time.Minute || d > time.Hour {
		t.Errorf("TTL of a session expiring in an hour: %s", d)
	}
	if d := r.pttl(t, "auth_user_sessions:u1"); d < 59*time.Minute || d > time.Hour {
		t.Errorf("TTL of the user's index (longest session: an hour): %s", d)
	}
	if d := r.pttl(t, "auth_verification:"+tok.TokenHash); d <= 0 || d > 300*time.Millisecond {
		t.Errorf("TTL of a token expiring in 300ms: %s", d)
	}
	if got, err := s.CountVerificationAttempt(ctx, tok.Identifier, tok.TokenHash); err != nil || got.Attempts != 1 {
		t.Fatalf("CountVerificationAttempt: %+v, %v", got, err)
	}
	if d := r.pttl(t, "auth_verification_attempts:"+tok.TokenHash); d <= 0 || d > 300*time.Millisecond {
		t.Errorf("TTL of the attempts of a token expiring in 300ms: %s", d)
	}
	if got, err := r.rdb.Get(ctx, "auth_verification_attempts:"+tok.TokenHash).Result(); err != nil || got != "1" {
		t.Errorf("attempts of the token: %q, %v; want 1", got, err)
	}
	// The keys' layout.
	if got, err := r.rdb.HGetAll(ctx, "auth_session:"+long.ID).Result(); err != nil ||
		got["userId"] != "u1" || got["expires"] != strconv.FormatInt(long.Expires.UnixMilli(), 10) || got["provider"] != "github" ||
		got["createdAt"] != strconv.FormatInt(long.CreatedAt.UnixMilli(), 10) || got["userAgent"] != "curl/8.5.0" || got["ip"] != "2001:db8::1" || len(got) != 6 {
		t.Errorf("session hash: %v, %v; want {userId: u1, expires: %d, provider: github, createdAt: %d, userAgent: curl/8.5.0, ip: 2001:db8::1}",
			got, err, long.Expires.UnixMilli(), long.CreatedAt.UnixMilli())
	}
	if got, err := r.rdb.HGetAll(ctx, "auth_session:"+short.ID).Result(); err != nil || len(got) != 5 || got["createdAt"] != "" {
		t.Errorf("hash of a session without a sign-in time: %v, %v; want no createdAt", got, err)
	}
	if got, err := r.rdb.Get(ctx, "auth_verification:"+tok.TokenHash).Result(); err != nil || got != fmt.Sprintf("%d:a@example.com", tok.Expires.UnixMilli()) {
		t.Errorf("verification token: %q, %v; want <expires>:<identifier>", got, err)
	}
	// Moving the long session earlier shortens its key's TTL; the index
	// lives as long as the longest session still.
	if err := s.UpdateSession(ctx, long.ID, now.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if d := r.pttl(t, "auth_session:"+long.ID); d < 29*time.Minute || d > 30*time.Minute {
		t.Errorf("TTL after UpdateSession to 30 minutes: %s", d)
	}
	if d := r.pttl(t, "auth_user_sessions:u1"); d < 29*time.Minute || d > 30*time.Minute {
		t.Errorf("TTL of the user's index after UpdateSession to 30 minutes: %s", d)
	}
	time.Sleep(500 * time.Millisecond)
	n, err := r.rdb.Exists(ctx, "auth_session:"+short.ID, "auth_verification:"+tok.TokenHash, "auth_verification_attempts:"+tok.TokenHash).Result()
	if err != nil || n != 0 {
		t.Fatalf("expired session, token and its attempts: %d keys left (%v), want 0", n, err)
	}
	if _, _, err := s.GetSessionAndUser(ctx, short.ID, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSessionAndUser of a session Redis expired: %v", err)
	}
	if _, err := s.UseVerificationToken(ctx, tok.Identifier, tok.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UseVerificationToken of a token Redis expired: %v", err)
	}
	// The index still names the expired session: cleaning up drops it
	// without counting it.
	deleted, err := s.DeleteExpiredSessions(ctx, time.Now())
	if err != nil || deleted != 0 {
		t.Errorf("DeleteExpiredSessions after Redis expired the session: %d, %v; want 0", deleted, err)
	}
	ids, err := r.rdb.ZRange(ctx, "auth_user_sessions:u1", 0, -1).Result()
	if err != nil || len(ids) != 1 || ids[0] != long.ID {
		t.Errorf("the user's index after cleaning up: %d IDs (%v), want the unexpired session only", len(ids), err)
	}
}

// TestSessionFromBeforeProviders: a session hash that the release before
// sessions had providers wrote, {userId, expires}, is read with an empty
// provider, no sign-in time, user agent or address, can be renewed —
// which gives it Redis's time as its sign-in time, so its absolute
// lifetime counts from then — and deleted.
func TestSessionFromBeforeProviders(t *testing.T) {
	ctx := context.Background()
	r := startRedis(t)
	s := r.open(t, nil)
	id := store.HashToken("old")
	expires := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	ms := expires.UnixMilli()
	if err := r.rdb.HSet(ctx, "auth_session:"+id, "userId", "u1", "expires", ms).Err(); err != nil {
		t.Fatal(err)
	}
	if err := r.rdb.PExpireAt(ctx, "auth_session:"+id, expires).Err(); err != nil {
		t.Fatal(err)
	}
	if err := r.rdb.ZAdd(ctx, "auth_user_sessions:u1", redis.Z{Score: float64(ms), Member: id}).Err(); err != nil {
		t.Fatal(err)
	}
	sess, _, err := s.GetSessionAndUser(ctx, id, time.Now())
	if err != nil || sess.Provider != "" || sess.UserID != "u1" || !sess.Expires.Equal(expires) ||
		!sess.CreatedAt.IsZero() || sess.UserAgent != "" || sess.IP != "" {
		t.Fatalf("the old session: %+v, %v; want user u1, provider \"\", no sign-in time, user agent or address", sess, err)
	}
	before := time.Now()
	if err := s.UpdateSession(ctx, id, expires.Add(time.Hour)); err != nil {
		t.Errorf("renewing the old session: %v", err)
	}
	sess, _, err = s.GetSessionAndUser(ctx, id, time.Now())
	if err != nil || sess.CreatedAt.Before(before.Add(-time.Second)) || sess.CreatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("the old session after its first renewal: %+v, %v; want the time of the renewal as CreatedAt", sess, err)
	}
	created := sess.CreatedAt
	if err := s.UpdateSession(ctx, id, expires.Add(2*time.Hour)); err != nil {
		t.Errorf("renewing the old session again: %v", err)
	}
	if sess, _, err = s.GetSessionAndUser(ctx, id, time.Now()); err != nil || !sess.CreatedAt.Equal(created) {
		t.Errorf("the old session after its second renewal: %+v, %v; want CreatedAt %s still", sess, err, created)
	}
	if err := s.DeleteSession(ctx, id); err != nil {
		t.Errorf("deleting the old session: %v", err)
	}
}

// TestSessionCheckReadsUser: the user is read from the database on every
// check, never copied into Redis.
func TestSessionCheckReadsUser(t *testing.T) {
	ctx := context.Background()
	s := startRedis(t).openWithUsers(t)
	u, err := s.CreateUser(ctx, store.User{Name: "Ada", Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	id := store.HashToken("ada")
	if err := s.CreateSession(ctx, store.Session{ID: id, UserID: u.ID, Expires: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	u.Name = "Ada Lovelace"
	if _, err := s.UpdateUser(ctx, *u); err != nil {
		t.Fatal(err)
	}
	_, got, err := s.GetSessionAndUser(ctx, id, time.Now())
	if err != nil || got.Name != "Ada Lovelace" || got.Email != "ada@example.com" {
		t.Fatalf("after UpdateUser: %+v, %v", got, err)
	}
	// Deleted in the database only (Store().DeleteUser): the session is
	// refused though Redis still has it.
	if err := s.Users.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.GetSessionAndUser(ctx, id, time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("session of a user deleted from the database: %v, want store.ErrNotFound", err)
	}
}

// TestDeleteUserSessions: more sessions than one script deletes, all gone
// with the user's index, then the user; other users' sessions stay.
func TestDeleteUserSessions(t *testing.T) {
	ctx := context.Background()
	r := startRedis(t)
	s := r.openWithUsers(t)
	u, err := s.CreateUser(ctx, store.User{Name: "Many", Email: "many@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateUser(ctx, store.User{Name: "Other", Email: "other@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	const sessions = 600
	for i := range sessions {
		id := store.HashToken("many-" + strconv.Itoa(i))
		if err := s.CreateSession(ctx, store.Session{ID: id, UserID: u.ID, Expires: time.Now().Add(time.Duration(i+1) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	kept := store.Session{ID: store.HashToken("other"), UserID: other.ID, Expires: time.Now().Add(time.Hour)}
	if err := s.CreateSession(ctx, kept); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	keys, err := r.rdb.Keys(ctx, "auth_*").Result()
	if err != nil || len(keys) != 2 {
		t.Fatalf("keys left after DeleteUser: %v (%v), want the other user's session and index", keys, err)
	}
	if _, _, err := s.GetSessionAndUser(ctx, kept.ID, time.Now()); err != nil {
		t.Errorf("the other user's session: %v", err)
	}
	if err := s.DeleteUser(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteUser of a deleted user: %v, want store.ErrNotFound", err)
	}
	if err := s.DeleteUserSessions(ctx, "nobody"); err != nil {
		t.Errorf("DeleteUserSessions of a user without sessions: %v", err)
	}
}

// TestDeleteExpiredSessionsManyUsers: the SCAN over users' indexes finds
// every user.
func TestDeleteExpiredSessionsManyUsers(t *testing.T) {
	ctx := context.Background()
	r := startRedis(t)
	s := r.open(t, nil)
	base := time.Now().Add(time.Hour)
	for i := range 300 {
		user := "user-" + strconv.Itoa(i)
		for j, d := range []time.Duration{-time.Minute, time.Minute} {
			id := store.HashToken(user + "-" + strconv.Itoa(j))
			if err := s.CreateSession(ctx, store.Session{ID: id, UserID: user, Expires: base.Add(d)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := s.DeleteExpiredSessions(ctx, base)
	if err != nil || n != 300 {
		t.Fatalf("DeleteExpiredSessions: %d, %v; want 300", n, err)
	}
	if size, _ := r.rdb.DBSize(ctx).Result(); size != 600 {
		t.Errorf("%d keys left, want 300 sessions and 300 indexes", size)
	}
}

// TestErrorsHideSecrets: errors, with Redis up or away, never show a
// session ID or token hash, start with the package name, and with Redis
// away are neither ErrNotFound nor ErrConflict.
func TestErrorsHideSecrets(t *testing.T) {
	ctx := context.Background()
	s := startRedis(t).open(t, nil)
	id := store.HashToken("secret-session")
	hash := store.HashToken("secret-token")
	unknown := store.HashToken("unknown")
	sess := store.Session{ID: id, UserID: "u1", Expires: time.Now().Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateVerificationToken(ctx, store.VerificationToken{Identifier: "a@example.com", TokenHash: hash, Expires: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	down := openStore(t, "redis://127.0.0.1:1/0?max_retries=-1", redisstore.Options{Prefix: prefix})
	for _, tt := range []struct {
		name string
		s    *redisstore.Store
		up   bool
	}{{"Redis up", s, true}, {"Redis away", down, false}} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, errGet := tt.s.GetSessionAndUser(ctx, unknown, time.Now())
			_, errUse := tt.s.UseVerificationToken(ctx, "b@example.com", hash)
			_, errExpired := tt.s.DeleteExpiredSessions(ctx, time.Now())
			for _, c := range []struct {
				method string
				err    error
			}{
				{"CreateSession", tt.s.CreateSession(ctx, sess)},
				{"GetSessionAndUser", errGet},
				{"UpdateSession", tt.s.UpdateSession(ctx, unknown, time.Now())},
				{"DeleteSession", tt.s.DeleteSession(ctx, unknown)},
				{"DeleteUserSessions", tt.s.DeleteUserSessions(ctx, "u1")},
				{"CreateVerificationToken", tt.s.CreateVerificationToken(ctx, store.VerificationToken{Identifier: "a@example.com", TokenHash: hash, Expires: time.Now().Add(time.Hour)})},
				{"UseVerificationToken", errUse},
				{"DeleteExpiredSessions", errExpired},
			} {
				err := c.err
				succeeds := tt.up && (c.method == "DeleteExpiredSessions" || c.method == "DeleteUserSessions")
				switch {
				case err == nil && !succeeds:
					t.Errorf("%s: no error", c.method)
				case err == nil:
				case succeeds:
					t.Errorf("%s: %v", c.method, err)
				case strings.Contains(err.Error(), id) || strings.Contains(err.Error(), hash) || strings.Contains(err.Error(), unknown):
					t.Errorf("%s: the error shows a secret: %v", c.method, err)
				case !strings.HasPrefix(err.Error(), "redisstore: "):
					t.Errorf("%s: the error does not start with the package name: %v", c.method, err)
				case !tt.up && (errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict)):
					t.Errorf("%s with Redis away: %v, want an error that is neither ErrNotFound nor ErrConflict", c.method, err)
				}
			}
		})
	}
}

// TestOutage: a store opens while Redis is down; while it is down calls
// fail (at once with ?max_retries=-1) with errors that are not "not
// found"; when it returns every store works again, with the sessions made
// before the outage.
func TestOutage(t *testing.T) {
	ctx := context.Background()
	r := startRedis(t)
	before := r.open(t, nil)
	sess := store.Session{ID: store.HashToken("before"), UserID: "u1", Expires: time.Now().Add(time.Hour)}
	if err := before.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	r.Stop(t)

	during := openStore(t, r.URL()+"?max_retries=-1", redisstore.Options{Prefix: prefix})
	for name, s := range map[string]*redisstore.Store{"opened before": before, "opened during the outage": during} {
		start := time.Now()
		_, _, err := s.GetSessionAndUser(ctx, sess.ID, time.Now())
		if err == nil || errors.Is(err, store.ErrNotFound) {
			t.Errorf("store %s: session check with Redis down: %v, want an error other than ErrNotFound", name, err)
		}
		if name == "opened during the outage" && time.Since(start) > time.Second {
			t.Errorf("with ?max_retries=-1 a session check took %s with Redis down", time.Since(start))
		}
		if err := s.CreateSession(ctx, store.Session{ID: store.HashToken("during"), UserID: "u1", Expires: time.Now().Add(time.Hour)}); err == nil {
			t.Errorf("store %s: CreateSession with Redis down: no error", name)
		}
	}

	r.Start(t)
	for name, s := range map[string]*redisstore.Store{"opened before": before, "opened during the outage": during} {
		got, _, err := s.GetSessionAndUser(ctx, sess.ID, time.Now())
		if err != nil || got.UserID != "u1" {
			t.Errorf("store %s after Redis returned: %+v, %v; want the session made before the outage", name, got, err)
		}
	}
}

// TestTwoInstances: two stores on one Redis, as two instances of an
// application, share sessions, sign-outs and verification tokens.
func TestTwoInstances(t *testing.T) {
	ctx := context.Background()
	r := startRedis(t)
	a := r.open(t, nil)
	b := openStore(t, r.URL(), redisstore.Options{Prefix: prefix})
	now := time.Now()
	s1 := store.Session{ID: store.HashToken("one"), UserID: "u1", Expires: now.Add(time.Hour)}
	s2 := store.Session{ID: store.HashToken("two"), UserID: "u1", Expires: now.Add(time.Hour)}
	for _, s := range []store.Session{s1, s2} {
		if err := a.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := b.GetSessionAndUser(ctx, s1.ID, now); err != nil {
		t.Fatalf("a session made on A, on B: %v", err)
	}
	if err := b.CreateSession(ctx, s1); !errors.Is(err, store.ErrConflict) {
		t.Errorf("B creating A's session again: %v, want store.ErrConflict", err)
	}
	if err := b.DeleteSession(ctx, s1.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.GetSessionAndUser(ctx, s1.ID, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("signed out on B, on A: %v, want store.ErrNotFound", err)
	}
	if err := b.DeleteUserSessions(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.GetSessionAndUser(ctx, s2.ID, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the user's sessions deleted on B, on A: %v, want store.ErrNotFound", err)
	}
	tok := store.VerificationToken{Identifier: "a@example.com", TokenHash: store.HashToken("tok"), Expires: now.Add(time.Hour)}
	if err := a.CreateVerificationToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UseVerificationToken(ctx, tok.Identifier, tok.TokenHash); err != nil {
		t.Errorf("a token made on A, used on B: %v", err)
	}
	if _, err := a.UseVerificationToken(ctx, tok.Identifier, tok.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a token used on B, used again on A: %v, want store.ErrNotFound", err)
	}
}

// TestPrefixes: applications with different prefixes on one Redis database
// do not see or delete each other's keys, also with a prefix holding SCAN
// pattern characters.
func TestPrefixes(t *testing.T) {
	ctx := context.Background()
	r := startRedis(t)
	a := r.open(t, nil)
	b := openStore(t, r.URL(), redisstore.Options{Prefix: "*"})
	c := openStore(t, r.URL(), redisstore.Options{Prefix: "other_"})
	now := time.Now()
	sess := store.Session{ID: store.HashToken("s"), UserID: "u1", Expires: now.Add(time.Hour)}
	for _, s := range []*redisstore.Store{a, b, c} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatalf("the same session ID under another prefix: %v", err)
		}
	}
	for name, s := range map[string]*redisstore.Store{"*": b, "other_": c} {
		n, err := s.DeleteExpiredSessions(ctx, now.Add(2*time.Hour))
		if err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions with prefix %q: %d, %v; want its own session only", name, n, err)
		}
	}
	if _, _, err := a.GetSessionAndUser(ctx, sess.ID, now); err != nil {
		t.Errorf("the session with prefix auth_ after the others' cleanup: %v", err)
	}
	keys, err := r.rdb.Keys(ctx, "*").Result()
	if err != nil || len(keys) != 2 {
		t.Errorf("keys: %v (%v), want auth_'s session and index", keys, err)
	}
}

// BenchmarkSessionCheck is storetest.Bench on the Redis sessions with the
// SQLite users: HGETALL, then the user from SQLite.
func BenchmarkSessionCheck(b *testing.B) {
	storetest.Bench(b, startRedis(b).openWithUsers(b))
}

// BenchmarkSessionCheckRedisOnly is storetest.Bench on the Redis sessions
// alone: the HGETALL.
func BenchmarkSessionCheckRedisOnly(b *testing.B) {
	storetest.Bench(b, startRedis(b).open(b, nil))
}

// BenchmarkSessionCheckParallel runs the check with users from every core
// at once.
func BenchmarkSessionCheckParallel(b *testing.B) {
	s := startRedis(b).openWithUsers(b)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, store.User{Name: "Bench", Email: "bench@example.com", Image: "https://example.com/a.png"})
	if err != nil {
		b.Fatal(err)
	}
	id := store.HashToken("bench")
	if err := s.CreateSession(ctx, store.Session{ID: id, UserID: u.ID, Expires: time.Now().Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := s.GetSessionAndUser(ctx, id, time.Now()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}
