package storetest

import (
	"context"
	"testing"

	"github.com/authgen/authgen/runtime/store"
)

// The probes call every method of an interface once, on a store of their
// own, only to report each method that is not implemented in one subtest;
// what the methods return is checked by the other subtests, which then skip
// the missing methods instead of failing again.

func usersProbe(h *h) {
	h.needUsers()
	us, ctx := h.users, h.ctx
	id := store.NewID()
	u, err := us.CreateUser(ctx, alice())
	h.probe("CreateUser", err)
	if err == nil && u != nil {
		id = u.ID
	}
	_, err = us.GetUser(ctx, id)
	h.probe("GetUser", err)
	_, err = us.GetUserByEmail(ctx, alice().Email)
	h.probe("GetUserByEmail", err)
	h.probe("LinkAccount", us.LinkAccount(ctx, account("github", "1001", id)))
	_, err = us.GetUserByAccount(ctx, "github", "1001")
	h.probe("GetUserByAccount", err)
	h.probe("UpdateAccount", us.UpdateAccount(ctx, account("github", "1001", id)))
	_, err = us.ListAccounts(ctx, id)
	h.probe("ListAccounts", err)
	h.probe("UnlinkAccount", us.UnlinkAccount(ctx, "github", "1001"))
	_, err = us.UpdateUser(ctx, *withID(alice(), id))
	h.probe("UpdateUser", err)
	_, err = us.CreateUserAndAccount(ctx, bob(), account("google", "2001", ""))
	h.probe("CreateUserAndAccount", err)
	h.probe("DeleteUser", us.DeleteUser(ctx, id))
}

func sessionsProbe(h *h) {
	ss, ctx := h.sessions, h.ctx
	id := sid("probe")
	h.probe("CreateSession", ss.CreateSession(ctx, store.Session{ID: id, UserID: store.NewID(), Expires: at(day)}))
	_, _, err := ss.GetSessionAndUser(ctx, id, at(0))
	h.probe("GetSessionAndUser", err)
	h.probe("UpdateSession", ss.UpdateSession(ctx, id, at(2*day)))
	_, err = ss.DeleteExpiredSessions(ctx, at(0))
	h.probe("DeleteExpiredSessions", err)
	_, err = ss.ListSessions(ctx, store.NewID())
	h.probe("ListSessions", err)
	h.probe("DeleteSession", ss.DeleteSession(ctx, id))
	h.probe("DeleteUserSessions", ss.DeleteUserSessions(ctx, store.NewID()))
}

func tokensProbe(h *h) {
	ts, ctx := h.tokens, h.ctx
	t := vt("alice@example.com", "probe", at(day))
	h.probe("CreateVerificationToken", ts.CreateVerificationToken(ctx, t))
	_, err := ts.CountVerificationAttempt(ctx, t.Identifier, t.TokenHash)
	h.probe("CountVerificationAttempt", err)
	_, err = ts.UseVerificationToken(ctx, t.Identifier, t.TokenHash)
	h.probe("UseVerificationToken", err)
}

// probeOptional runs the subtest Implemented of an optional interface:
// each call open returns (on the one store it opened) once, in order,
// reporting through h.probe every method whose error says it is not
// implemented (errors.ErrUnsupported, as the stubs of the custom scaffold
// return). It reports whether all are implemented; the caller runs its
// other checks only then, so a store with stubs sees one line per missing
// method instead of every check failing.
func probeOptional(t *testing.T, open func(t *testing.T) []probeCall) bool {
	t.Helper()
	s := newSuite()
	t.Run("Implemented", func(t *testing.T) {
		h := &h{t: t, ctx: t.Context(), suite: s}
		for _, c := range open(t) {
			h.probe(c.method, c.call(h.ctx))
		}
	})
	return len(s.missing) == 0
}

// probeCall is one call of probeOptional.
type probeCall struct {
	method string
	call   func(ctx context.Context) error
}

// passkeysProbe calls every method of store.Passkeys on s.
func passkeysProbe(s PasskeyStore, userID string) []probeCall {
	p := store.Passkey{ID: "probe", UserID: userID, Name: "probe", PublicKey: []byte{1}, CreatedAt: base}
	return []probeCall{
		{"CreatePasskey", func(ctx context.Context) error { return s.CreatePasskey(ctx, p) }},
		{"GetPasskey", func(ctx context.Context) error { _, err := s.GetPasskey(ctx, p.ID); return err }},
		{"ListPasskeys", func(ctx context.Context) error { _, err := s.ListPasskeys(ctx, userID); return err }},
		{"UsePasskey", func(ctx context.Context) error { return s.UsePasskey(ctx, p.ID, 0, 1, false, base) }},
		{"RenamePasskey", func(ctx context.Context) error { return s.RenamePasskey(ctx, userID, p.ID, "renamed") }},
		{"DeletePasskey", func(ctx context.Context) error { return s.DeletePasskey(ctx, userID, p.ID) }},
	}
}

// twoFactorsProbe calls every method of store.TwoFactors on s.
func twoFactorsProbe(s TwoFactorStore, userID string) []probeCall {
	return []probeCall{
		{"BeginTwoFactor", func(ctx context.Context) error { return s.BeginTwoFactor(ctx, userID, "probe", base) }},
		{"GetTwoFactor", func(ctx context.Context) error { _, err := s.GetTwoFactor(ctx, userID); return err }},
		{"EnableTwoFactor", func(ctx context.Context) error { return s.EnableTwoFactor(ctx, userID, "probe", 1, []string{"probe"}) }},
		{"UseTwoFactorStep", func(ctx context.Context) error { return s.UseTwoFactorStep(ctx, userID, 2) }},
		{"UseRecoveryCode", func(ctx context.Context) error { return s.UseRecoveryCode(ctx, userID, "probe") }},
		{"ReplaceRecoveryCodes", func(ctx context.Context) error { return s.ReplaceRecoveryCodes(ctx, userID, []string{"probe2"}) }},
		{"DeleteTwoFactor", func(ctx context.Context) error { return s.DeleteTwoFactor(ctx, userID) }},
	}
}

// probeUser creates the user of a probe.
func probeUser(t *testing.T, s store.Users) string {
	t.Helper()
	u, err := s.CreateUser(t.Context(), store.User{Email: "probe@example.com", Name: "Probe"})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u.ID
}
