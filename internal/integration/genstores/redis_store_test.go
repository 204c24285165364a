package genstores_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/gentest"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

var (
	redisDir       = flag.String("redis-dir", "", "build TestRedisSessionStore's generated project in this (new or empty) directory and keep it")
	redisBenchtime = flag.String("redis-benchtime", "200x", "-benchtime of the Redis session check benchmarks TestRedisSessionStore runs in the generated project")
	redisBenchN    = flag.Int("redis-benchcount", 1, "-count of the Redis session check benchmarks")
)

// redisTestDB is the Redis database the generated tests use (and flush).
const redisTestDB = 13

// redisModule is the generated project's module path.
const redisModule = "example.com/redisstore"

// TestRedisSessionStore generates a project with SQLite users and Redis
// sessions, adds redisConformanceTest to its auth package and runs it
// against a Redis started here: storetest.RunSessions (alone, and with the
// SQL store as users) and RunVerificationTokens on the generated
// RedisSessions, plus what is particular to Redis. Each test of the
// generated project is reported as a subtest; the session check
// benchmarks' figures are logged.
func TestRedisSessionStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated project")
	}
	r := testsvc.Redis(t)
	redisURL := fmt.Sprintf("redis://%s/%d", r.Addr(), redisTestDB)

	m, err := manifest.New(manifest.Choices{
		Providers: []string{"github"}, Database: manifest.DBSQLite, Strategy: manifest.StrategyDatabase,
		Token: manifest.TokenSigned, SessionStore: manifest.SessionStoreRedis,
	})
	if err != nil {
		t.Fatal(err)
	}
	spec := generator.Spec{Module: redisModule, Manifest: m}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if *redisDir != "" {
		dir = *redisDir
	}
	if _, err := writer.Apply(dir, files, writer.Options{}); err != nil {
		t.Fatal(err)
	}
	gentest.WriteGoMod(t, dir, spec)
	if err := os.WriteFile(filepath.Join(dir, m.Package, "redis_conformance_test.go"), []byte(redisConformanceTest), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := func(args ...string) *exec.Cmd {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(gentest.Env(), "REDIS_URL="+redisURL)
		return cmd
	}
	if out, err := goCmd("mod", "tidy").CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}

	start := time.Now()
	cmd := goCmd("test", "-json", "-count=1", "-timeout=5m", "-run=^TestRedis", "./"+m.Package+"/")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	t.Logf("generated project built and tested in %s", time.Since(start).Round(time.Millisecond))
	results, order, other := readTestEvents(&stdout)
	if len(results) == 0 {
		t.Fatalf("go test in the generated project: %v\n%s%s", runErr, stderr.String(), other)
	}
	for _, top := range order {
		if strings.Contains(top, "/") {
			continue
		}
		t.Run(strings.TrimPrefix(top, "Test"), func(t *testing.T) {
			res := results[top]
			failed := 0
			for _, name := range order {
				if sub := results[name]; strings.HasPrefix(name, top+"/") && sub.action == "fail" && !hasFailedChild(results, name) {
					failed++
					t.Errorf("%s:\n%s", name, sub.output.String())
				}
			}
			switch {
			case res.action == "skip":
				t.Skip(res.output.String())
			case res.action == "fail" && failed == 0:
				t.Errorf("%s failed:\n%s", top, res.output.String())
			case res.action == "":
				t.Errorf("%s did not finish:\n%s", top, res.output.String())
			}
		})
	}
	for _, want := range []string{"TestRedisSessions", "TestRedisSessionsWithUsers", "TestRedisVerificationTokens", "TestRedisSpecifics"} {
		if _, ok := results[want]; !ok {
			t.Errorf("the generated project did not run %s\n%s%s", want, stderr.String(), other)
		}
	}
	if t.Failed() {
		return
	}

	// The session check, as storetest.Bench measures it, and from every
	// core at once.
	out, err := goCmd("test", "-run=^$", "-bench=^BenchmarkRedisSessionCheck", "-benchmem",
		"-benchtime="+*redisBenchtime, fmt.Sprintf("-count=%d", *redisBenchN), "./"+m.Package+"/").CombinedOutput()
	if err != nil {
		t.Fatalf("benchmarks: %v\n%s", err, out)
	}
	lines := benchLineRE.FindAll(out, -1)
	if len(lines) == 0 {
		t.Fatalf("no benchmark results:\n%s", out)
	}
	for _, l := range lines {
		t.Logf("%s", l)
	}
}

var benchLineRE = regexp.MustCompile(`(?m)^BenchmarkRedis\S+\s+\d+\s+.*$`)

// testResult is one test's outcome in go test -json's events.
type testResult struct {
	action string
	output strings.Builder
}

// readTestEvents reads go test -json output: each test's result, the tests
// in the order they started, and the output of no test.
func readTestEvents(r *bytes.Buffer) (map[string]*testResult, []string, string) {
	results := map[string]*testResult{}
	var order []string
	var other strings.Builder
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev goTestEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			other.Write(sc.Bytes())
			other.WriteByte('\n')
			continue
		}
		if ev.Test == "" {
			if ev.Action == "output" || ev.Action == "build-output" {
				other.WriteString(ev.Output)
			}
			continue
		}
		res := results[ev.Test]
		if res == nil {
			res = &testResult{}
			results[ev.Test] = res
			order = append(order, ev.Test)
		}
		switch ev.Action {
		case "output":
			if line := strings.TrimSpace(ev.Output); !strings.HasPrefix(line, "=== ") && !strings.HasPrefix(line, "--- ") {
				res.output.WriteString(ev.Output)
			}
		case "pass", "fail", "skip":
			res.action = ev.Action
		}
	}
	return results, order, other.String()
}

// hasFailedChild reports whether a subtest of name failed (the failure is
// reported there).
func hasFailedChild(results map[string]*testResult, name string) bool {
	for sub, res := range results {
		if strings.HasPrefix(sub, name+"/") && res.action == "fail" {
			return true
		}
	}
	return false
}

// redisConformanceTest is added to the generated auth package. REDIS_URL
// names a Redis database it may flush.
const redisConformanceTest = `package auth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/sqlstore"
	"github.com/authgen/authgen/runtime/store/storetest"
)

// openRedis opens the session store on REDIS_URL with users, its database
// emptied (FLUSHDB), and closes it when the test ends.
func openRedis(t testing.TB, users store.Users) *RedisSessions {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Fatal("REDIS_URL is not set: generator/redis_store_test.go runs this test")
	}
	rs, err := OpenSessionStore(url, users)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	if err := rs.rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatalf("FLUSHDB: %v", err)
	}
	return rs
}

// openSQL opens a new, migrated SQLite store.
func openSQL(t testing.TB) *sqlstore.Store {
	t.Helper()
	st, err := OpenStore("sqlite:" + filepath.Join(t.TempDir(), "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := Migrate(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

// withUsers is the Redis sessions with the SQL store's users, as New wires
// them; DeleteUser is the generated Auth.DeleteUser.
type withUsers struct {
	*RedisSessions
	store.Users
	auth *Auth
}

func (s withUsers) DeleteUser(ctx context.Context, id string) error {
	return s.auth.DeleteUser(ctx, id)
}

func newWithUsers(t testing.TB) withUsers {
	st := openSQL(t)
	rs := openRedis(t, st)
	return withUsers{RedisSessions: rs, Users: st, auth: &Auth{store: st, sessions: rs}}
}

func TestRedisSessions(t *testing.T) {
	storetest.RunSessions(t, func(t *testing.T) store.Sessions { return openRedis(t, nil) })
}

func TestRedisSessionsWithUsers(t *testing.T) {
	storetest.RunSessions(t, func(t *testing.T) store.Sessions { return newWithUsers(t) })
}

func TestRedisVerificationTokens(t *testing.T) {
	storetest.RunVerificationTokens(t, func(t *testing.T) store.VerificationTokens { return openRedis(t, nil) })
}

// TestRedisSpecifics checks what storetest cannot: real expiry in Redis,
// the keys, users changed in the database, Redis being away, and errors
// that never show a session ID or token hash.
func TestRedisSpecifics(t *testing.T) {
	ctx := context.Background()
	t.Run("Redis expires sessions and tokens by itself", func(t *testing.T) {
		rs := openRedis(t, nil)
		now := time.Now()
		short := store.Session{ID: store.HashToken("short"), UserID: "u1", Expires: now.Add(300 * time.Millisecond)}
		long := store.Session{ID: store.HashToken("long"), UserID: "u1", Expires: now.Add(time.Hour)}
		for _, s := range []store.Session{short, long} {
			if err := rs.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		tok := store.VerificationToken{Identifier: "a@example.com", TokenHash: store.HashToken("tok"), Expires: now.Add(300 * time.Millisecond)}
		if err := rs.CreateVerificationToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		pttl := func(key string) time.Duration {
			d, err := rs.rdb.PTTL(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		if d := pttl("auth_session:" + long.ID); d < 59*time.Minute || d > time.Hour {
			t.Errorf("TTL of a session expiring in an hour: %s", d)
		}
		if d := pttl("auth_user_sessions:u1"); d < 59*time.Minute || d > time.Hour {
			t.Errorf("TTL of the user's index (longest session: an hour): %s", d)
		}
		if d := pttl("auth_verification:" + tok.TokenHash); d <= 0 || d > 300*time.Millisecond {
			t.Errorf("TTL of a token expiring in 300ms: %s", d)
		}
		// Moving the long session earlier shortens its key's TTL.
		if err := rs.UpdateSession(ctx, long.ID, now.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if d := pttl("auth_session:" + long.ID); d < 29*time.Minute || d > 30*time.Minute {
			t.Errorf("TTL after UpdateSession to 30 minutes: %s", d)
		}
		time.Sleep(500 * time.Millisecond)
		n, err := rs.rdb.Exists(ctx, "auth_session:"+short.ID, "auth_verification:"+tok.TokenHash).Result()
		if err != nil || n != 0 {
			t.Fatalf("expired session and token: %d keys left (%v), want 0", n, err)
		}
		if _, _, err := rs.GetSessionAndUser(ctx, short.ID, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetSessionAndUser of a session Redis expired: %v", err)
		}
		if _, err := rs.UseVerificationToken(ctx, tok.Identifier, tok.TokenHash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UseVerificationToken of a token Redis expired: %v", err)
		}
		// The index still names the expired session: cleaning up drops it
		// without counting it.
		deleted, err := rs.DeleteExpiredSessions(ctx, time.Now())
		if err != nil || deleted != 0 {
			t.Errorf("DeleteExpiredSessions after Redis expired the session: %d, %v; want 0", deleted, err)
		}
		ids, err := rs.rdb.ZRange(ctx, "auth_user_sessions:u1", 0, -1).Result()
		if err != nil || len(ids) != 1 || ids[0] != long.ID {
			t.Errorf("the user's index after cleaning up: %d IDs (%v), want the unexpired session only", len(ids), err)
		}
	})

	t.Run("the session check reads the user as stored now", func(t *testing.T) {
		s := newWithUsers(t)
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
		// Deleted in the database only (Store().DeleteUser): the session
		// is refused though Redis still has it.
		if err := s.Users.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.GetSessionAndUser(ctx, id, time.Now()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("session of a user deleted from the database: %v, want store.ErrNotFound", err)
		}
	})

	t.Run("Auth.DeleteUser deletes every session of the user", func(t *testing.T) {
		s := newWithUsers(t)
		u, err := s.CreateUser(ctx, store.User{Name: "Many", Email: "many@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		// More sessions than one script deletes.
		const sessions = 600
		for i := range sessions {
			id := store.HashToken("many-" + strconv.Itoa(i))
			if err := s.CreateSession(ctx, store.Session{ID: id, UserID: u.ID, Expires: time.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		keys, err := s.rdb.Keys(ctx, "auth_*").Result()
		if err != nil || len(keys) != 0 {
			t.Fatalf("keys left after DeleteUser: %d (%v), want none", len(keys), err)
		}
		if err := s.DeleteUser(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteUser of a deleted user: %v, want store.ErrNotFound", err)
		}
	})

	t.Run("DeleteExpiredSessions across many users", func(t *testing.T) {
		rs := openRedis(t, nil)
		base := time.Now().Add(time.Hour)
		for i := range 300 {
			user := "user-" + strconv.Itoa(i)
			for j, d := range []time.Duration{-time.Minute, time.Minute} {
				id := store.HashToken(user + "-" + strconv.Itoa(j))
				if err := rs.CreateSession(ctx, store.Session{ID: id, UserID: user, Expires: base.Add(d)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		n, err := rs.DeleteExpiredSessions(ctx, base)
		if err != nil || n != 300 {
			t.Fatalf("DeleteExpiredSessions: %d, %v; want 300", n, err)
		}
		if size, _ := rs.rdb.DBSize(ctx).Result(); size != 600 {
			t.Errorf("%d keys left, want 300 sessions and 300 indexes", size)
		}
	})

	t.Run("errors never show session IDs or token hashes", func(t *testing.T) {
		rs := openRedis(t, nil)
		id := store.HashToken("secret-session")
		hash := store.HashToken("secret-token")
		s := store.Session{ID: id, UserID: "u1", Expires: time.Now().Add(time.Hour)}
		if err := rs.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := rs.CreateVerificationToken(ctx, store.VerificationToken{Identifier: "a@example.com", TokenHash: hash, Expires: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		down, err := OpenSessionStore("redis://127.0.0.1:1/0", nil)
		if err != nil {
			t.Fatalf("OpenSessionStore must not connect: %v", err)
		}
		defer down.Close()
		var errs []error
		for _, r := range []*RedisSessions{rs, down} {
			errs = append(errs, r.CreateSession(ctx, s))
			_, _, err := r.GetSessionAndUser(ctx, store.HashToken("unknown"), time.Now())
			errs = append(errs, err)
			errs = append(errs, r.UpdateSession(ctx, store.HashToken("unknown"), time.Now()))
			errs = append(errs, r.DeleteSession(ctx, store.HashToken("unknown")))
			errs = append(errs, r.CreateVerificationToken(ctx, store.VerificationToken{Identifier: "a@example.com", TokenHash: hash, Expires: time.Now().Add(time.Hour)}))
			_, err = r.UseVerificationToken(ctx, "b@example.com", hash)
			errs = append(errs, err)
			_, err = r.DeleteExpiredSessions(ctx, time.Now())
			errs = append(errs, err)
		}
		for i, err := range errs {
			switch {
			case err == nil && i != 6:
				t.Errorf("call %d: no error", i)
			case err == nil:
			case strings.Contains(err.Error(), id) || strings.Contains(err.Error(), hash) || strings.Contains(err.Error(), store.HashToken("unknown")):
				t.Errorf("call %d: the error shows a secret: %v", i, err)
			case !strings.HasPrefix(err.Error(), "auth: "):
				t.Errorf("call %d: the error does not start with the package name: %v", i, err)
			case i >= 7 && (errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict)):
				t.Errorf("call %d with Redis away: %v, want an error that is neither ErrNotFound nor ErrConflict", i, err)
			}
		}
	})

	t.Run("a bad REDIS_URL is refused without showing its password", func(t *testing.T) {
		for _, url := range []string{"redis://user:hunter2@host:port/0", "memcached://user:hunter2@host/0", "redis://user:hunter2@host/zero"} {
			_, err := OpenSessionStore(url, nil)
			if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.HasPrefix(err.Error(), "auth: REDIS_URL") {
				t.Errorf("OpenSessionStore(%q): %v", strings.ReplaceAll(url, "hunter2", "…"), err)
			}
		}
	})
}

// BenchmarkRedisSessionCheck is storetest.Bench on the Redis sessions with
// the SQLite users: HGETALL, then the user from SQLite.
func BenchmarkRedisSessionCheck(b *testing.B) {
	storetest.Bench(b, newWithUsers(b))
}

// BenchmarkRedisSessionCheckRedisOnly is storetest.Bench on the Redis
// sessions alone: the HGETALL.
func BenchmarkRedisSessionCheckRedisOnly(b *testing.B) {
	storetest.Bench(b, openRedis(b, nil))
}

// BenchmarkRedisSessionCheckParallel runs the check with users from every
// core at once.
func BenchmarkRedisSessionCheckParallel(b *testing.B) {
	s := newWithUsers(b)
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
`
