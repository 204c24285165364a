// Package storetest is the conformance suite for implementations of the
// interfaces in package store: the stores authgen generates (SQLite,
// PostgreSQL, MySQL, MongoDB, Redis) and custom adapters run it from their
// own tests, and memstore, the reference implementation, passes it.
//
// Run checks a whole store.Store. RunUsers, RunSessions and
// RunVerificationTokens check one part each, for a store that implements
// only some of the interfaces (a Redis store of sessions and tokens, say);
// Run calls all three. RunTwoFactors and RunPasskeys check the optional
// store.TwoFactors and store.Passkeys of a store that also keeps users.
// Bench measures GetSessionAndUser, the query made on every request.
//
// # Isolation
//
// Every subtest calls newStore once, with its own *testing.T, and needs a
// store backed by an empty database: no users, accounts, sessions or
// verification tokens. Isolation is the caller's job — a fresh database or
// schema per call, or every table emptied before newStore returns — and
// t.Cleanup is the place to drop what newStore made. Subtests run one after
// another (none calls t.Parallel), so a single database emptied by each
// call is enough. Only the concurrency subtests call the store from several
// goroutines at once.
//
// # What the suite requires
//
// The contract is the doc comments of package store. Where they leave room
// the suite requires:
//
//   - Times (User.EmailVerified, Account.LinkedAt, Session.Expires,
//     VerificationToken.Expires)
//     come back as the same instant to at least millisecond precision. The
//     suite compares them in UTC after truncating both sides to the
//     millisecond, so a store may keep milliseconds or microseconds, and
//     may truncate or round below the millisecond, but must not keep
//     seconds only. A returned time may be in any location; times given in
//     a zone other than UTC must come back as the same instant.
//   - CreateUser (and CreateUserAndAccount) given an empty ID assigns one
//     shaped like a UUID: 8-4-4-4-12 hexadecimal digits, as store.NewID.
//   - Users without an e-mail address (Email "") do not conflict with each
//     other, on create or on update.
//   - The suite uses lower-case e-mail addresses only: whether a store folds
//     case is not checked.
//   - Strings are kept byte for byte, including 4-byte UTF-8 (emoji), and
//     a 4 KB access token and a 2 KB ID token as the server hands them
//     over, sealed (package atrest): 5,554 and 2,823 bytes; Account.ExpiresAt
//     keeps values past 2^32 (a 64-bit column).
//   - Session.Provider comes back as it was created, also when empty (a
//     session stored before sessions had one), and UpdateSession keeps it;
//     so do CreatedAt (to the millisecond, like every time), UserAgent (up
//     to 512 bytes of UTF-8) and IP (IPv4 or IPv6). A session created
//     without a CreatedAt (as sessions stored before it was recorded) may
//     read back with none, or with one recorded when it was renewed.
//   - ListSessions returns the user's sessions in any order, each once,
//     with every field; the suite lists only unexpired sessions, so a
//     store may leave out or include expired ones it still holds.
//   - UpdateAccount finds the account by Provider and ProviderAccountID and
//     replaces every token field (RefreshToken, AccessToken, ExpiresAt,
//     TokenType, Scope, IDToken, SessionState), also with an empty value,
//     and keeps LinkedAt.
//   - Account.LinkedAt comes back as LinkAccount or CreateUserAndAccount
//     was given it; a zero LinkedAt (an account from before it was
//     recorded) comes back zero.
//   - CreateUserAndAccount links the account to the user it creates,
//     whatever a.UserID says (the suite passes it empty).
//   - A verification token's hash is unique whatever its identifier: a
//     second token with the same hash and another identifier is
//     store.ErrConflict too.
//   - Deletions are exact: DeleteUser, UnlinkAccount, DeleteSession,
//     DeleteUserSessions and DeleteExpiredSessions leave other users,
//     accounts and sessions
//     alone; deleted e-mail addresses and provider accounts can be used
//     again. After DeleteUser, ListAccounts of the deleted user may return
//     an empty slice or store.ErrNotFound.
//   - Failed calls change nothing: a conflicting CreateUser, UpdateUser,
//     LinkAccount, CreateSession or CreateVerificationToken leaves the
//     existing row as it was, and UpdateUser, UpdateAccount and
//     UpdateSession of a missing row do not insert one.
//
// All the times the suite uses lie in 2035: later than the real clock, so a
// store that also sets real time-to-live on its keys keeps every row for
// the length of the test, and earlier than 2038, so a 32-bit TIMESTAMP
// column holds them. Expiry is always judged at the now passed in, never
// at the real clock, and always well away from the boundary Expires ==
// now, which the contract leaves open.
//
// RunSessions creates real users for its sessions when the value newStore
// returns also implements store.Users, and then requires GetSessionAndUser
// to return them; otherwise the sessions name made-up user IDs and a
// returned user, if any, must have the session's user ID. Likewise the
// check that DeleteUser deletes the user's sessions runs only when the
// Sessions value also implements store.Users.
//
// # Methods not implemented
//
// A method whose error wraps errors.ErrUnsupported — what the scaffold of
// `authgen add adapter custom` returns — or says "not implemented" is
// reported once, as "<Method> is not implemented". The first subtest of
// each part, Implemented, calls every method once to find them all; later
// subtests that need a missing method are skipped rather than failing
// again, so a half-written adapter sees one line per missing method and
// the failures of the methods it has.
//
// # Example
//
// A custom store runs the suite from its tests, opening an empty database
// for every subtest:
//
//	package mystore_test
//
//	import (
//		"testing"
//
//		"github.com/authgen/authgen/runtime/store"
//		"github.com/authgen/authgen/runtime/store/storetest"
//
//		"example.com/app/mystore"
//	)
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			db := openEmptyTestDB(t) // a fresh schema, dropped in t.Cleanup
//			return mystore.New(db)
//		})
//	}
//
//	func BenchmarkGetSessionAndUser(b *testing.B) {
//		storetest.Bench(b, mystore.New(openEmptyTestDB(b)))
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// Run runs the whole conformance suite — RunUsers, RunSessions and
// RunVerificationTokens — each check in its own subtest. newStore is called
// once per subtest and must return a store backed by an empty database (see
// the package documentation).
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Helper()
	s := newSuite()
	t.Run("Users", func(t *testing.T) {
		s.run(t, usersProbe, usersGroups(), func(t *testing.T) *h {
			return s.harness(t, newStore(t))
		})
	})
	t.Run("Sessions", func(t *testing.T) {
		s.run(t, sessionsProbe, sessionsGroups(), func(t *testing.T) *h {
			return s.harness(t, newStore(t))
		})
	})
	t.Run("VerificationTokens", func(t *testing.T) {
		s.run(t, tokensProbe, tokensGroups(), func(t *testing.T) *h {
			return s.harness(t, newStore(t))
		})
	})
}

// RunUsers runs the checks of store.Users: users, their accounts, e-mail
// uniqueness, the cascade of DeleteUser to accounts and the atomicity of
// CreateUserAndAccount, also under concurrent first sign-ins. newStore is
// called once per subtest and must return a store backed by an empty
// database.
func RunUsers(t *testing.T, newStore func(t *testing.T) store.Users) {
	t.Helper()
	s := newSuite()
	s.run(t, usersProbe, usersGroups(), func(t *testing.T) *h {
		return s.harness(t, newStore(t))
	})
}

// RunSessions runs the checks of store.Sessions. newStore is called once
// per subtest and must return a store backed by an empty database. When
// the value it returns also implements store.Users, sessions belong to real
// users, GetSessionAndUser must return them, and DeleteUser must delete
// their sessions.
func RunSessions(t *testing.T, newStore func(t *testing.T) store.Sessions) {
	t.Helper()
	s := newSuite()
	s.run(t, sessionsProbe, sessionsGroups(), func(t *testing.T) *h {
		return s.harness(t, newStore(t))
	})
}

// RunVerificationTokens runs the checks of store.VerificationTokens,
// including single use under concurrency. newStore is called once per
// subtest and must return a store backed by an empty database.
func RunVerificationTokens(t *testing.T, newStore func(t *testing.T) store.VerificationTokens) {
	t.Helper()
	s := newSuite()
	s.run(t, tokensProbe, tokensGroups(), func(t *testing.T) *h {
		return s.harness(t, newStore(t))
	})
}

// Bench measures GetSessionAndUser on one existing, unexpired session of s,
// reporting allocations. When s also implements store.Users the session
// belongs to a user created for the purpose; otherwise to a made-up user
// ID. The user and the session are left in s. A store calls it from a
// benchmark:
//
//	func BenchmarkGetSessionAndUser(b *testing.B) {
//		storetest.Bench(b, mystore.New(openEmptyTestDB(b)))
//	}
func Bench(b *testing.B, s store.Sessions) {
	b.Helper()
	ctx := b.Context()
	userID := store.NewID()
	if us, ok := s.(store.Users); ok {
		u, err := us.CreateUser(ctx, store.User{
			ID:    userID,
			Name:  "Bench Mark",
			Email: "bench-" + userID + "@example.com",
			Image: "https://example.com/bench.png",
		})
		if err != nil {
			b.Fatalf("CreateUser: %v", err)
		}
		userID = u.ID
	}
	id := store.HashToken("bench-" + store.NewID())
	if err := s.CreateSession(ctx, store.Session{ID: id, UserID: userID, Expires: at(30 * day)}); err != nil {
		b.Fatalf("CreateSession: %v", err)
	}
	now := at(0)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.GetSessionAndUser(ctx, id, now); err != nil {
			b.Fatalf("GetSessionAndUser: %v", err)
		}
	}
}

// base is the suite's fixed "now". frac, added to every time the suite
// stores, has a sub-millisecond part under half a millisecond, so a store
// rounding to the millisecond or microsecond keeps the same millisecond.
var (
	base = time.Date(2035, time.March, 14, 15, 9, 26, 0, time.UTC)
	frac = 123*time.Millisecond + 456789*time.Nanosecond
	// elsewhere is a zone other than UTC, for instants given in local time.
	elsewhere = time.FixedZone("UTC+05:30", 5*3600+30*60)
)

const day = 24 * time.Hour

// at returns base+d, with frac.
func at(d time.Duration) time.Time { return base.Add(d + frac) }

// suite remembers, across the subtests of one Run, which methods are not
// implemented, so each is reported once.
type suite struct {
	mu      sync.Mutex
	missing map[string]bool
}

func newSuite() *suite { return &suite{missing: map[string]bool{}} }

// first records method as not implemented and reports whether it is the
// first time.
func (s *suite) first(method string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.missing[method] {
		return false
	}
	s.missing[method] = true
	return true
}

// group is the checks of one method, run as subtests of a subtest named
// after it.
type group struct {
	method string
	cases  []tcase
}

// tcase is one check, run in its own subtest on a fresh store.
type tcase struct {
	name string
	run  func(h *h)
}

// run runs probe, then every check of groups, each on a store of its own
// from open.
func (s *suite) run(t *testing.T, probe func(h *h), groups []group, open func(t *testing.T) *h) {
	t.Helper()
	t.Run("Implemented", func(t *testing.T) { probe(open(t)) })
	for _, g := range groups {
		t.Run(g.method, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					c.run(open(t))
				})
			}
		})
	}
}

// h is one subtest's view of the store under test. Its lower-case methods
// call the store's methods, report a method that is not implemented, and
// reject a nil result with a nil error.
type h struct {
	t        *testing.T
	ctx      context.Context
	suite    *suite
	users    store.Users              // nil when the store has none
	sessions store.Sessions           // nil when the store has none
	tokens   store.VerificationTokens // nil when the store has none
}

func (s *suite) harness(t *testing.T, v any) *h {
	t.Helper()
	if v == nil {
		t.Fatal("newStore returned nil")
	}
	x := &h{t: t, ctx: t.Context(), suite: s}
	x.users, _ = v.(store.Users)
	x.sessions, _ = v.(store.Sessions)
	x.tokens, _ = v.(store.VerificationTokens)
	return x
}

// notImplemented reports whether err says that the method is missing.
func notImplemented(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errors.ErrUnsupported) {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "not implemented") || strings.Contains(msg, "unimplemented")
}

// impl ends the subtest when err says that method is not implemented:
// failing it the first time, skipping it afterwards.
func (h *h) impl(method string, err error) {
	h.t.Helper()
	if !notImplemented(err) {
		return
	}
	if h.suite.first(method) {
		h.t.Fatalf("%s is not implemented: %v", method, err)
	}
	h.t.Skipf("skipped: %s is not implemented (reported once, in another subtest)", method)
}

// probe reports, once, that method is not implemented when err says so,
// and lets the subtest go on: the probes call every method in one subtest.
func (h *h) probe(method string, err error) {
	h.t.Helper()
	if notImplemented(err) && h.suite.first(method) {
		h.t.Errorf("%s is not implemented: %v", method, err)
	}
}

// wantErr reports, as "<method>: <what>: got err …, want store.ErrX", an
// err that is not want, and returns whether it is.
func (h *h) wantErr(method, what string, err, want error) bool {
	h.t.Helper()
	if errors.Is(err, want) {
		return true
	}
	h.t.Errorf("%s: %s: %s", method, what, gotErr(err, want))
	return false
}

// gotErr formats "got err …, want …" for an error that is none of want,
// with a hint when its text names a wanted sentinel it does not wrap.
func gotErr(err error, want ...error) string {
	names := make([]string, len(want))
	hint := ""
	for i, w := range want {
		names[i] = errName(w)
		if w != nil && err != nil && strings.Contains(err.Error(), w.Error()) {
			hint = " (the error's text has it, but errors.Is does not find it: wrap with %w)"
		}
	}
	return fmt.Sprintf("got err %v, want %s%s", err, strings.Join(names, " or "), hint)
}

// must ends the subtest on an unexpected error.
func (h *h) must(method, what string, err error) {
	h.t.Helper()
	if err != nil {
		h.t.Fatalf("%s: %s: got err %v, want nil", method, what, err)
	}
}

func errName(err error) string {
	switch err {
	case store.ErrNotFound:
		return "store.ErrNotFound"
	case store.ErrConflict:
		return "store.ErrConflict"
	case nil:
		return "nil"
	}
	return err.Error()
}

// show formats a string for a message, shortening long ones.
func show(s string) string {
	if len(s) <= 72 {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:48], len(s))
}

// showTime formats a time in UTC with all its digits.
func showTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// sameTime reports whether a and b are the same instant to the
// millisecond.
func sameTime(a, b time.Time) bool {
	return a.UTC().Truncate(time.Millisecond).Equal(b.UTC().Truncate(time.Millisecond))
}

func showTimePtr(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return showTime(*t)
}

// diffUser lists the fields in which got differs from want.
func diffUser(got, want *store.User) []string {
	var d []string
	str := func(field, g, w string) {
		if g != w {
			d = append(d, fmt.Sprintf("%s: got %s, want %s", field, show(g), show(w)))
		}
	}
	str("ID", got.ID, want.ID)
	str("Name", got.Name, want.Name)
	str("Email", got.Email, want.Email)
	str("Image", got.Image, want.Image)
	g, w := got.EmailVerified, want.EmailVerified
	if (g == nil) != (w == nil) || (g != nil && !sameTime(*g, *w)) {
		d = append(d, fmt.Sprintf("EmailVerified: got %s, want %s (compared to the millisecond)", showTimePtr(g), showTimePtr(w)))
	}
	return d
}

// diffAccount lists the fields in which got differs from want.
func diffAccount(got, want store.Account) []string {
	var d []string
	str := func(field, g, w string) {
		if g != w {
			d = append(d, fmt.Sprintf("%s: got %s, want %s", field, show(g), show(w)))
		}
	}
	str("UserID", got.UserID, want.UserID)
	str("Type", got.Type, want.Type)
	str("Provider", got.Provider, want.Provider)
	str("ProviderAccountID", got.ProviderAccountID, want.ProviderAccountID)
	str("RefreshToken", got.RefreshToken, want.RefreshToken)
	str("AccessToken", got.AccessToken, want.AccessToken)
	if got.ExpiresAt != want.ExpiresAt {
		d = append(d, fmt.Sprintf("ExpiresAt: got %d, want %d", got.ExpiresAt, want.ExpiresAt))
	}
	str("TokenType", got.TokenType, want.TokenType)
	str("Scope", got.Scope, want.Scope)
	str("IDToken", got.IDToken, want.IDToken)
	str("SessionState", got.SessionState, want.SessionState)
	if got.LinkedAt.IsZero() != want.LinkedAt.IsZero() || !sameTime(got.LinkedAt, want.LinkedAt) {
		d = append(d, fmt.Sprintf("LinkedAt: got %s, want %s (compared to the millisecond; zero stays zero)", showTime(got.LinkedAt), showTime(want.LinkedAt)))
	}
	return d
}

// checkUser reports every field in which got differs from want.
func (h *h) checkUser(method, what string, got, want *store.User) {
	h.t.Helper()
	if got == nil {
		h.t.Errorf("%s: %s: got a nil user, want %s", method, what, show(want.ID))
		return
	}
	for _, d := range diffUser(got, want) {
		h.t.Errorf("%s: %s: %s", method, what, d)
	}
}

// checkAccounts reports how got differs from want, in order.
func (h *h) checkAccounts(method, what string, got, want []store.Account) {
	h.t.Helper()
	if got == nil {
		h.t.Errorf("%s: %s: got a nil slice, want a non-nil one", method, what)
	}
	if len(got) != len(want) {
		h.t.Errorf("%s: %s: got %d accounts %s, want %d %s", method, what, len(got), accountKeys(got), len(want), accountKeys(want))
		return
	}
	for i := range got {
		if got[i].Provider != want[i].Provider || got[i].ProviderAccountID != want[i].ProviderAccountID {
			h.t.Errorf("%s: %s: got accounts %s, want %s (ordered by provider, then provider account ID)", method, what, accountKeys(got), accountKeys(want))
			return
		}
		for _, d := range diffAccount(got[i], want[i]) {
			h.t.Errorf("%s: %s: account %s/%s: %s", method, what, want[i].Provider, want[i].ProviderAccountID, d)
		}
	}
}

func accountKeys(as []store.Account) string {
	keys := make([]string, len(as))
	for i, a := range as {
		keys[i] = a.Provider + "/" + a.ProviderAccountID
	}
	return "[" + strings.Join(keys, " ") + "]"
}
