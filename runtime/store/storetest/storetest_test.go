package storetest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
	"github.com/authgen/authgen/runtime/store/storetest"
)

// mutantEnv names, in the environment of a child test process, the mutant
// TestMutantChild runs the suite against.
const mutantEnv = "STORETEST_MUTANT"

// allMethods is every method of store.Store.
var allMethods = []string{
	"CreateUser", "GetUser", "GetUserByEmail", "GetUserByAccount", "UpdateUser", "DeleteUser",
	"CreateUserAndAccount", "LinkAccount", "UnlinkAccount", "UpdateAccount", "ListAccounts",
	"CreateSession", "GetSessionAndUser", "UpdateSession", "DeleteSession", "DeleteExpiredSessions",
	"ListSessions", "DeleteUserSessions",
	"CreateVerificationToken", "UseVerificationToken", "CountVerificationAttempt",
}

// mutants are stores that break the contract, each in one way, with the
// failure messages the suite must print for them.
var mutants = map[string]struct {
	open func() store.Store
	// want are substrings of failure messages, each of which must appear.
	want []string
	// missing, when not nil, are the only failures allowed: "<Method> is
	// not implemented", once each.
	missing []string
	// part is the optional interface whose suite runs instead of Run's:
	// "passkeys" (RunPasskeys) or "twofactors" (RunTwoFactors).
	part string
}{
	"passkey stubs": {
		open:    func() store.Store { return passkeyStubs{memstore.New()} },
		missing: []string{"UsePasskey", "RenamePasskey"},
		part:    "passkeys",
	},
	"two-factor stubs": {
		open:    func() store.Store { return twoFactorStubs{memstore.New()} },
		missing: []string{"UseRecoveryCode", "ReplaceRecoveryCodes"},
		part:    "twofactors",
	},
	"two-factor secret not compared": {
		open: func() store.Store { return anySecret{memstore.New()} },
		want: []string{`EnableTwoFactor with the replaced secret = <nil>, want store: not found`},
		part: "twofactors",
	},
	"scaffold": {
		open:    func() store.Store { return scaffold{} },
		missing: allMethods,
	},
	"partial": {
		open:    func() store.Store { return partial{memstore.New()} },
		missing: []string{"UpdateAccount", "DeleteExpiredSessions"},
	},
	"non-atomic CreateUserAndAccount": {
		open: func() store.Store { return nonAtomic{memstore.New()} },
		want: []string{
			`CreateUserAndAccount: account already linked: the new user must not be created: a user with e-mail "bob@example.com" exists`,
			`CreateUserAndAccount: 16 concurrent first sign-ins with one provider account: the users of 15 losing goroutines (`,
		},
	},
	"seconds only": {
		open: func() store.Store { return seconds{memstore.New()} },
		want: []string{
			`CreateUser: returned user: EmailVerified: got 2035-03-12T15:09:26Z, want 2035-03-12T15:09:26.123456789Z (compared to the millisecond)`,
			`GetSessionAndUser: session of the first user: session Expires: got 2035-04-13T15:09:26Z, want 2035-04-13T15:09:26.123456789Z`,
		},
	},
	"reusable token": {
		open: func() store.Store { return reusable{memstore.New()} },
		want: []string{`UseVerificationToken: second use: got err <nil>, want store.ErrNotFound`},
	},
	"attempts lost under concurrency": {
		open: func() store.Store { return lostAttempts{memstore.New()} },
		want: []string{`CountVerificationAttempt: 16 concurrent attempts on one token: one more afterwards (every attempt must have counted): Attempts: got `},
	},
	"attempts not counted": {
		open: func() store.Store { return uncounted{memstore.New()} },
		want: []string{`CountVerificationAttempt: attempt 2: Attempts: got 1, want 2`},
	},
	"nil slice": {
		open: func() store.Store { return nilSlice{memstore.New()} },
		want: []string{`ListAccounts: user without accounts: got a nil slice, want a non-nil one`},
	},
	"unwrapped errors": {
		open: func() store.Store { return unwrapped{memstore.New()} },
		want: []string{`GetUser: unknown ID: got err memstore: user `, `, want store.ErrNotFound`},
	},
	"expiry ignored": {
		open: func() store.Store { return ignoreExpiry{memstore.New()} },
		want: []string{`GetSessionAndUser: session one second after it expired at 2035-03-14T15:09:27.123456789Z: got the session expiring at 2035-03-14T15:09:26.123456789Z, want store.ErrNotFound`},
	},
	"provider dropped": {
		open: func() store.Store { return noProvider{memstore.New()} },
		want: []string{
			`CreateSession: new session: GetSessionAndUser: session Provider: got "", want "github"`,
			`CreateSession: other session of the user, with provider corp-sso: GetSessionAndUser: session Provider: got "", want "corp-sso"`,
		},
	},
	"sign-in time, user agent and address dropped": {
		open: func() store.Store { return noLifecycle{memstore.New()} },
		want: []string{
			`CreateSession: session with an IPv4 address: GetSessionAndUser: session CreatedAt: got zero, want 2035-03-14T14:09:26.123456789Z`,
			`CreateSession: session with an IPv4 address: GetSessionAndUser: session UserAgent: got "", want "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"`,
			`CreateSession: session with an IPv4 address: GetSessionAndUser: session IP: got "", want "203.0.113.7"`,
			`ListSessions: user with two sessions: ListSessions: session CreatedAt: got zero`,
		},
	},
	"DeleteUserSessions deletes everyone's": {
		open: func() store.Store { return deleteEveryone{memstore.New()} },
		want: []string{
			`DeleteUserSessions: session of another user: GetSessionAndUser at 2035-03-14T15:09:26.123456789Z: got err memstore: session: store: not found, want the session expiring at 2035-04-13T15:09:26.123456789Z`,
		},
	},
	"unordered accounts": {
		open: func() store.Store { return unordered{memstore.New()} },
		want: []string{`ListAccounts: user with five accounts: got accounts [google/500 github/2 github/10 discord/77 apple/001.abc], want [apple/001.abc discord/77 github/10 github/2 google/500] (ordered by provider, then provider account ID)`},
	},
}

// TestMutants runs the suite, in a child process, against stores that
// break the contract and checks what it reports.
func TestMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	msgLine := regexp.MustCompile(`^\s+\w+\.go:\d+: (.*)$`)
	notImpl := regexp.MustCompile(`^(\w+) is not implemented: `)
	for name, m := range mutants {
		t.Run(name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestMutantChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), mutantEnv+"="+name)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the suite passed or did not run against the mutant: err %v, output:\n%s", err, out)
			}
			var msgs []string
			for line := range strings.Lines(string(out)) {
				if sm := msgLine.FindStringSubmatch(strings.TrimRight(line, "\n")); sm != nil {
					msgs = append(msgs, sm[1])
				}
			}
			for _, w := range m.want {
				if !slices.ContainsFunc(msgs, func(msg string) bool { return strings.Contains(msg, w) }) {
					t.Errorf("no failure message contains %q; output:\n%s", w, out)
				}
			}
			if m.missing == nil {
				return
			}
			count := map[string]int{}
			for _, msg := range msgs {
				sm := notImpl.FindStringSubmatch(msg)
				if sm == nil {
					t.Errorf("unexpected failure message %q", msg)
					continue
				}
				count[sm[1]]++
			}
			for _, method := range m.missing {
				if count[method] != 1 {
					t.Errorf("%q is not implemented reported %d times, want once", method, count[method])
				}
				delete(count, method)
			}
			for method, n := range count {
				t.Errorf("%q reported as not implemented %d times, want never", method, n)
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}

// TestMutantChild runs the suite against the mutant named in the
// environment; it is TestMutants' child process, and skips otherwise.
func TestMutantChild(t *testing.T) {
	name := os.Getenv(mutantEnv)
	if name == "" {
		t.Skip("only run by TestMutants")
	}
	m, ok := mutants[name]
	if !ok {
		t.Fatalf("unknown mutant %q", name)
	}
	switch m.part {
	case "passkeys":
		storetest.RunPasskeys(t, func(*testing.T) storetest.PasskeyStore { return m.open().(storetest.PasskeyStore) })
	case "twofactors":
		storetest.RunTwoFactors(t, func(*testing.T) storetest.TwoFactorStore { return m.open().(storetest.TwoFactorStore) })
	default:
		storetest.Run(t, func(*testing.T) store.Store { return m.open() })
	}
}

// passkeyStubs is memstore with two of store.Passkeys' methods stubbed as
// the custom scaffold writes them.
type passkeyStubs struct{ *memstore.Store }

func (passkeyStubs) UsePasskey(context.Context, string, uint32, uint32, bool, time.Time) error {
	return fmt.Errorf("UsePasskey: %w", errors.ErrUnsupported)
}

func (passkeyStubs) RenamePasskey(context.Context, string, string, string) error {
	return fmt.Errorf("RenamePasskey: %w", errors.ErrUnsupported)
}

// twoFactorStubs is memstore with two of store.TwoFactors' methods stubbed
// as the custom scaffold writes them.
type twoFactorStubs struct{ *memstore.Store }

func (twoFactorStubs) UseRecoveryCode(context.Context, string, string) error {
	return fmt.Errorf("UseRecoveryCode: %w", errors.ErrUnsupported)
}

func (twoFactorStubs) ReplaceRecoveryCodes(context.Context, string, []string) error {
	return fmt.Errorf("ReplaceRecoveryCodes: %w", errors.ErrUnsupported)
}

// anySecret is memstore confirming whatever secret the factor has now, as
// a store whose UPDATE forgets the secret would.
type anySecret struct{ *memstore.Store }

func (s anySecret) EnableTwoFactor(ctx context.Context, userID, _ string, step int64, hashes []string) error {
	f, err := s.GetTwoFactor(ctx, userID)
	if err != nil {
		return err
	}
	return s.Store.EnableTwoFactor(ctx, userID, f.Secret, step, hashes)
}

// TestParts runs each part of the suite on its own, as a store
// implementing one interface would.
func TestParts(t *testing.T) {
	t.Run("Users", func(t *testing.T) {
		storetest.RunUsers(t, func(*testing.T) store.Users { return memstore.New() })
	})
	t.Run("Sessions", func(t *testing.T) {
		storetest.RunSessions(t, func(*testing.T) store.Sessions { return memstore.New() })
	})
	t.Run("VerificationTokens", func(t *testing.T) {
		storetest.RunVerificationTokens(t, func(*testing.T) store.VerificationTokens { return memstore.New() })
	})
}

// TestSessionsWithoutUsers runs RunSessions on a store of sessions that
// does not know users, as a Redis store would be.
func TestSessionsWithoutUsers(t *testing.T) {
	storetest.RunSessions(t, func(*testing.T) store.Sessions {
		return sessionsWithoutUsers{memstore.New()}
	})
}

// sessionsWithoutUsers finds sessions whatever their user, as a store of
// sessions alone.
type sessionsWithoutUsers struct{ s *memstore.Store }

func (o sessionsWithoutUsers) CreateSession(ctx context.Context, s store.Session) error {
	// memstore does not find a session whose user is missing: give it one.
	if _, err := o.s.GetUser(ctx, s.UserID); errors.Is(err, store.ErrNotFound) {
		if _, err := o.s.CreateUser(ctx, store.User{ID: s.UserID}); err != nil {
			return err
		}
	}
	return o.s.CreateSession(ctx, s)
}

func (o sessionsWithoutUsers) GetSessionAndUser(ctx context.Context, id string, now time.Time) (*store.Session, *store.User, error) {
	s, _, err := o.s.GetSessionAndUser(ctx, id, now)
	if err != nil {
		return nil, nil, err
	}
	return s, nil, nil
}

func (o sessionsWithoutUsers) UpdateSession(ctx context.Context, id string, expires time.Time) error {
	return o.s.UpdateSession(ctx, id, expires)
}

func (o sessionsWithoutUsers) DeleteSession(ctx context.Context, id string) error {
	return o.s.DeleteSession(ctx, id)
}

func (o sessionsWithoutUsers) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	return o.s.DeleteExpiredSessions(ctx, now)
}

func (o sessionsWithoutUsers) ListSessions(ctx context.Context, userID string) ([]store.Session, error) {
	return o.s.ListSessions(ctx, userID)
}

func (o sessionsWithoutUsers) DeleteUserSessions(ctx context.Context, userID string) error {
	return o.s.DeleteUserSessions(ctx, userID)
}

func BenchmarkMemstore(b *testing.B) {
	storetest.Bench(b, memstore.New())
}

// errScaffold is what the custom-adapter scaffold returns.
func errScaffold(method string) error {
	return fmt.Errorf("mystore: %s: %w", method, errors.ErrUnsupported)
}

// scaffold implements nothing, as `authgen add adapter custom` generates it.
type scaffold struct{}

func (scaffold) CreateUser(context.Context, store.User) (*store.User, error) {
	return nil, errScaffold("CreateUser")
}

func (scaffold) GetUser(context.Context, string) (*store.User, error) {
	return nil, errScaffold("GetUser")
}

func (scaffold) GetUserByEmail(context.Context, string) (*store.User, error) {
	return nil, errScaffold("GetUserByEmail")
}

func (scaffold) GetUserByAccount(context.Context, string, string) (*store.User, error) {
	return nil, errScaffold("GetUserByAccount")
}

func (scaffold) UpdateUser(context.Context, store.User) (*store.User, error) {
	return nil, errScaffold("UpdateUser")
}

func (scaffold) DeleteUser(context.Context, string) error { return errScaffold("DeleteUser") }

func (scaffold) CreateUserAndAccount(context.Context, store.User, store.Account) (*store.User, error) {
	return nil, errScaffold("CreateUserAndAccount")
}

func (scaffold) LinkAccount(context.Context, store.Account) error {
	return errScaffold("LinkAccount")
}

func (scaffold) UnlinkAccount(context.Context, string, string) error {
	return errScaffold("UnlinkAccount")
}

func (scaffold) UpdateAccount(context.Context, store.Account) error {
	return errScaffold("UpdateAccount")
}

func (scaffold) ListAccounts(context.Context, string) ([]store.Account, error) {
	return nil, errScaffold("ListAccounts")
}

func (scaffold) CreateSession(context.Context, store.Session) error {
	return errScaffold("CreateSession")
}

func (scaffold) GetSessionAndUser(context.Context, string, time.Time) (*store.Session, *store.User, error) {
	return nil, nil, errScaffold("GetSessionAndUser")
}

func (scaffold) UpdateSession(context.Context, string, time.Time) error {
	return errScaffold("UpdateSession")
}

func (scaffold) DeleteSession(context.Context, string) error {
	return errScaffold("DeleteSession")
}

func (scaffold) DeleteExpiredSessions(context.Context, time.Time) (int64, error) {
	return 0, errScaffold("DeleteExpiredSessions")
}

func (scaffold) ListSessions(context.Context, string) ([]store.Session, error) {
	return nil, errScaffold("ListSessions")
}

func (scaffold) DeleteUserSessions(context.Context, string) error {
	return errScaffold("DeleteUserSessions")
}

func (scaffold) CreateVerificationToken(context.Context, store.VerificationToken) error {
	return errScaffold("CreateVerificationToken")
}

func (scaffold) UseVerificationToken(context.Context, string, string) (*store.VerificationToken, error) {
	return nil, errScaffold("UseVerificationToken")
}

func (scaffold) CountVerificationAttempt(context.Context, string, string) (*store.VerificationToken, error) {
	return nil, errScaffold("CountVerificationAttempt")
}

// partial lacks UpdateAccount and DeleteExpiredSessions.
type partial struct{ *memstore.Store }

func (partial) UpdateAccount(context.Context, store.Account) error {
	return errors.New("mystore: UpdateAccount: not implemented")
}

func (partial) DeleteExpiredSessions(context.Context, time.Time) (int64, error) {
	return 0, errScaffold("DeleteExpiredSessions")
}

// nonAtomic creates the user, then links the account, leaving the user
// behind when the link fails.
type nonAtomic struct{ *memstore.Store }

func (s nonAtomic) CreateUserAndAccount(ctx context.Context, u store.User, a store.Account) (*store.User, error) {
	got, err := s.CreateUser(ctx, u)
	if err != nil {
		return nil, err
	}
	a.UserID = got.ID
	if err := s.LinkAccount(ctx, a); err != nil {
		return nil, err
	}
	return got, nil
}

// seconds keeps times to the second.
type seconds struct{ *memstore.Store }

func (s seconds) CreateUser(ctx context.Context, u store.User) (*store.User, error) {
	if u.EmailVerified != nil {
		v := u.EmailVerified.Truncate(time.Second)
		u.EmailVerified = &v
	}
	return s.Store.CreateUser(ctx, u)
}

func (s seconds) CreateSession(ctx context.Context, sess store.Session) error {
	sess.Expires = sess.Expires.Truncate(time.Second)
	return s.Store.CreateSession(ctx, sess)
}

// reusable does not consume tokens.
type reusable struct{ *memstore.Store }

func (s reusable) UseVerificationToken(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	t, err := s.Store.UseVerificationToken(ctx, identifier, tokenHash)
	if err == nil {
		err = s.CreateVerificationToken(ctx, *t)
	}
	return t, err
}

// lostAttempts counts an attempt by reading the token, then writing it back
// with one more: concurrent calls lose counts.
type lostAttempts struct{ *memstore.Store }

func (s lostAttempts) CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	t, err := s.Store.CountVerificationAttempt(ctx, identifier, tokenHash)
	if err != nil {
		return nil, err
	}
	time.Sleep(time.Millisecond) // every goroutine reads before any writes
	// Write back at most 2, as if this call had read before the others wrote.
	got, err := s.Store.UseVerificationToken(ctx, identifier, tokenHash)
	if err == nil {
		got.Attempts = min(t.Attempts, 2)
		err = s.Store.CreateVerificationToken(ctx, *got)
	}
	return t, err
}

// uncounted returns the token without counting.
type uncounted struct{ *memstore.Store }

func (s uncounted) CountVerificationAttempt(ctx context.Context, identifier, tokenHash string) (*store.VerificationToken, error) {
	t, err := s.Store.UseVerificationToken(ctx, identifier, tokenHash)
	if err != nil {
		return nil, err
	}
	if err := s.Store.CreateVerificationToken(ctx, *t); err != nil {
		return nil, err
	}
	t.Attempts = max(t.Attempts, 1)
	return t, nil
}

// nilSlice returns nil for no accounts.
type nilSlice struct{ *memstore.Store }

func (s nilSlice) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	as, err := s.Store.ListAccounts(ctx, userID)
	if len(as) == 0 {
		as = nil
	}
	return as, err
}

// unwrapped loses the sentinel in GetUser's errors.
type unwrapped struct{ *memstore.Store }

func (s unwrapped) GetUser(ctx context.Context, id string) (*store.User, error) {
	u, err := s.Store.GetUser(ctx, id)
	if err != nil {
		err = errors.New(err.Error())
	}
	return u, err
}

// ignoreExpiry returns expired sessions.
type ignoreExpiry struct{ *memstore.Store }

func (s ignoreExpiry) GetSessionAndUser(ctx context.Context, id string, _ time.Time) (*store.Session, *store.User, error) {
	return s.Store.GetSessionAndUser(ctx, id, time.Time{})
}

// unordered lists accounts in reverse order.
type unordered struct{ *memstore.Store }

func (s unordered) ListAccounts(ctx context.Context, userID string) ([]store.Account, error) {
	as, err := s.Store.ListAccounts(ctx, userID)
	slices.Reverse(as)
	return as, err
}

// noProvider forgets a session's provider, as a store written before
// sessions had one would.
type noProvider struct{ *memstore.Store }

func (s noProvider) CreateSession(ctx context.Context, sess store.Session) error {
	sess.Provider = ""
	return s.Store.CreateSession(ctx, sess)
}

// noLifecycle forgets a session's sign-in time, user agent and address, as
// a store written before sessions had them would.
type noLifecycle struct{ *memstore.Store }

func (s noLifecycle) CreateSession(ctx context.Context, sess store.Session) error {
	sess.CreatedAt, sess.UserAgent, sess.IP = time.Time{}, "", ""
	return s.Store.CreateSession(ctx, sess)
}

// deleteEveryone's DeleteUserSessions deletes every user's sessions.
type deleteEveryone struct{ *memstore.Store }

func (s deleteEveryone) DeleteUserSessions(ctx context.Context, _ string) error {
	_, err := s.DeleteExpiredSessions(ctx, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	return err
}
