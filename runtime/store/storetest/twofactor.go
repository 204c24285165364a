package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// TwoFactorStore is what RunTwoFactors checks: second factors belong to
// users, so the store keeps both.
type TwoFactorStore interface {
	store.Users
	store.TwoFactors
}

// RunTwoFactors runs the checks of store.TwoFactors: enrolment, the
// atomic "use this step if it is later" that refuses a replayed code, the
// single use of a recovery code, also under concurrency, and the cascade of
// DeleteUser. newStore is called once per subtest and must return a store
// backed by an empty database. Its first subtest, Implemented, reports each
// method that is not implemented (see the package documentation) and the
// other checks run only when none is missing.
func RunTwoFactors(t *testing.T, newStore func(t *testing.T) TwoFactorStore) {
	t.Helper()
	if !probeOptional(t, func(t *testing.T) []probeCall {
		s := newStore(t)
		return twoFactorsProbe(s, probeUser(t, s))
	}) {
		return
	}
	now := time.Date(2035, 6, 1, 12, 0, 0, 0, time.UTC)
	// setup returns a store with a user who has an enabled second factor
	// at step 100 with recovery codes "a" and "b".
	setup := func(t *testing.T, enable bool) (TwoFactorStore, string) {
		t.Helper()
		s := newStore(t)
		u, err := s.CreateUser(t.Context(), store.User{Email: "ada@example.com", Name: "Ada"})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if err := s.BeginTwoFactor(t.Context(), u.ID, "authgen:v1:k:sealed", now); err != nil {
			t.Fatalf("BeginTwoFactor: %v", err)
		}
		if enable {
			if err := s.EnableTwoFactor(t.Context(), u.ID, "authgen:v1:k:sealed", 100, []string{hash("a"), hash("b")}); err != nil {
				t.Fatalf("EnableTwoFactor: %v", err)
			}
		}
		return s, u.ID
	}
	get := func(t *testing.T, s TwoFactorStore, id string) *store.TwoFactor {
		t.Helper()
		f, err := s.GetTwoFactor(t.Context(), id)
		if err != nil {
			t.Fatalf("GetTwoFactor: %v", err)
		}
		return f
	}
	is := func(t *testing.T, call string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s = %v, want %v", call, err, want)
		}
	}

	t.Run("Begin", func(t *testing.T) {
		s, id := setup(t, false)
		f := get(t, s, id)
		if f.UserID != id || f.Secret != "authgen:v1:k:sealed" || f.Enabled || f.LastStep != 0 || f.RecoveryCodes != 0 || !f.CreatedAt.Truncate(time.Millisecond).Equal(now) {
			t.Errorf("after BeginTwoFactor: %+v", f)
		}
		if err := s.BeginTwoFactor(t.Context(), id, "authgen:v1:k:other", now.Add(time.Minute)); err != nil {
			t.Errorf("BeginTwoFactor again before confirming: %v", err)
		}
		if f := get(t, s, id); f.Secret != "authgen:v1:k:other" {
			t.Errorf("a second BeginTwoFactor kept secret %q", f.Secret)
		}
		// A confirmation checked against the replaced secret.
		is(t, "EnableTwoFactor with the replaced secret", s.EnableTwoFactor(t.Context(), id, "authgen:v1:k:sealed", 100, []string{hash("a")}), store.ErrNotFound)
		if f := get(t, s, id); f.Enabled || f.RecoveryCodes != 0 {
			t.Errorf("EnableTwoFactor with the replaced secret changed the factor: %+v", f)
		}
		is(t, "BeginTwoFactor of an unknown user", s.BeginTwoFactor(t.Context(), store.NewID(), "x", now), store.ErrNotFound)
		_, err := s.GetTwoFactor(t.Context(), store.NewID())
		is(t, "GetTwoFactor of a user without", err, store.ErrNotFound)
		is(t, "UseTwoFactorStep before it is enabled", s.UseTwoFactorStep(t.Context(), id, 5), store.ErrNotFound)
	})

	t.Run("Enable", func(t *testing.T) {
		s, id := setup(t, true)
		f := get(t, s, id)
		if !f.Enabled || f.LastStep != 100 || f.RecoveryCodes != 2 {
			t.Errorf("after EnableTwoFactor: %+v", f)
		}
		is(t, "EnableTwoFactor twice", s.EnableTwoFactor(t.Context(), id, "authgen:v1:k:sealed", 101, nil), store.ErrNotFound)
		is(t, "BeginTwoFactor while enabled", s.BeginTwoFactor(t.Context(), id, "x", now), store.ErrConflict)
		if f := get(t, s, id); f.Secret != "authgen:v1:k:sealed" || f.LastStep != 100 {
			t.Errorf("a refused call changed the row: %+v", f)
		}
	})

	t.Run("UseTwoFactorStep", func(t *testing.T) {
		s, id := setup(t, true)
		is(t, "the confirmation's step again", s.UseTwoFactorStep(t.Context(), id, 100), store.ErrConflict)
		is(t, "an earlier step", s.UseTwoFactorStep(t.Context(), id, 99), store.ErrConflict)
		if err := s.UseTwoFactorStep(t.Context(), id, 102); err != nil {
			t.Fatalf("a later step: %v", err)
		}
		is(t, "the step between, after a later one", s.UseTwoFactorStep(t.Context(), id, 101), store.ErrConflict)
		if f := get(t, s, id); f.LastStep != 102 {
			t.Errorf("LastStep = %d, want 102", f.LastStep)
		}
		is(t, "another user's", s.UseTwoFactorStep(t.Context(), store.NewID(), 200), store.ErrNotFound)
	})

	t.Run("UseTwoFactorStepConcurrent", func(t *testing.T) {
		s, id := setup(t, true)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				err := s.UseTwoFactorStep(t.Context(), id, 150)
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("UseTwoFactorStep: %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("8 concurrent uses of one step: %d succeeded, want 1", wins.Load())
		}
	})

	t.Run("RecoveryCodes", func(t *testing.T) {
		s, id := setup(t, true)
		if err := s.UseRecoveryCode(t.Context(), id, hash("a")); err != nil {
			t.Fatalf("UseRecoveryCode: %v", err)
		}
		is(t, "a recovery code used twice", s.UseRecoveryCode(t.Context(), id, hash("a")), store.ErrNotFound)
		is(t, "a code never issued", s.UseRecoveryCode(t.Context(), id, hash("z")), store.ErrNotFound)
		other, err := s.CreateUser(t.Context(), store.User{Email: "bob@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		is(t, "another user's code", s.UseRecoveryCode(t.Context(), other.ID, hash("b")), store.ErrNotFound)
		if f := get(t, s, id); f.RecoveryCodes != 1 {
			t.Errorf("RecoveryCodes = %d, want 1", f.RecoveryCodes)
		}
		if err := s.ReplaceRecoveryCodes(t.Context(), id, []string{hash("c"), hash("d"), hash("e")}); err != nil {
			t.Fatalf("ReplaceRecoveryCodes: %v", err)
		}
		is(t, "a code replaced", s.UseRecoveryCode(t.Context(), id, hash("b")), store.ErrNotFound)
		if err := s.UseRecoveryCode(t.Context(), id, hash("d")); err != nil {
			t.Errorf("a new code: %v", err)
		}
		if f := get(t, s, id); f.RecoveryCodes != 2 {
			t.Errorf("RecoveryCodes = %d, want 2", f.RecoveryCodes)
		}
		is(t, "ReplaceRecoveryCodes without an enabled factor", s.ReplaceRecoveryCodes(t.Context(), other.ID, nil), store.ErrNotFound)
	})

	t.Run("RecoveryCodeConcurrent", func(t *testing.T) {
		s, id := setup(t, true)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				err := s.UseRecoveryCode(t.Context(), id, hash("b"))
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.Is(err, store.ErrNotFound):
					t.Errorf("UseRecoveryCode: %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("8 concurrent uses of one recovery code: %d succeeded, want 1", wins.Load())
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s, id := setup(t, true)
		if err := s.DeleteTwoFactor(t.Context(), id); err != nil {
			t.Fatalf("DeleteTwoFactor: %v", err)
		}
		_, err := s.GetTwoFactor(t.Context(), id)
		is(t, "GetTwoFactor after DeleteTwoFactor", err, store.ErrNotFound)
		is(t, "DeleteTwoFactor twice", s.DeleteTwoFactor(t.Context(), id), store.ErrNotFound)
		is(t, "a recovery code after DeleteTwoFactor", s.UseRecoveryCode(t.Context(), id, hash("a")), store.ErrNotFound)
		if err := s.BeginTwoFactor(t.Context(), id, "again", now); err != nil {
			t.Errorf("BeginTwoFactor after DeleteTwoFactor: %v", err)
		}
	})

	t.Run("DeleteUser", func(t *testing.T) {
		s, id := setup(t, true)
		if err := s.DeleteUser(t.Context(), id); err != nil {
			t.Fatalf("DeleteUser: %v", err)
		}
		_, err := s.GetTwoFactor(t.Context(), id)
		is(t, "GetTwoFactor after DeleteUser", err, store.ErrNotFound)
	})
}

// hash stands for a recovery code's hash, as the server stores it.
func hash(code string) string { return store.HashToken(fmt.Sprint("recovery-", code)) }
