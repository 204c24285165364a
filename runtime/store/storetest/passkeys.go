package storetest

import (
	"bytes"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// PasskeyStore is what RunPasskeys checks: passkeys belong to users, so
// the store keeps both.
type PasskeyStore interface {
	store.Users
	store.Passkeys
}

// RunPasskeys runs the checks of store.Passkeys: creation and lookup,
// credential data kept byte for byte, the compare-and-set of UsePasskey
// that refuses a stale sign count, also under concurrency, renaming and
// deleting only the owner's passkeys, and the cascade of DeleteUser.
// newStore is called once per subtest and must return a store backed by an
// empty database. Its first subtest, Implemented, reports each method that
// is not implemented (see the package documentation) and the other checks
// run only when none is missing.
func RunPasskeys(t *testing.T, newStore func(t *testing.T) PasskeyStore) {
	t.Helper()
	if !probeOptional(t, func(t *testing.T) []probeCall {
		s := newStore(t)
		return passkeysProbe(s, probeUser(t, s))
	}) {
		return
	}
	now := time.Date(2035, 6, 1, 12, 0, 0, 0, time.UTC)
	// passkey returns a passkey of the user created at, with bytes that
	// include zeros and values above 0x7f.
	passkey := func(userID, id string, at time.Time) store.Passkey {
		return store.Passkey{
			ID:              id,
			UserID:          userID,
			Name:            "MacBook " + id,
			PublicKey:       []byte{0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x00, 0xff, 0x80, 0x7f},
			AttestationType: "packed",
			AAGUID:          []byte{0xad, 0xce, 0x00, 0x02, 0x35, 0xbc, 0xc6, 0x0a, 0x64, 0x8b, 0x0b, 0x25, 0xf1, 0xf0, 0x55, 0x03},
			Transports:      []string{"internal", "hybrid"},
			SignCount:       7,
			BackupEligible:  true,
			BackupState:     false,
			CreatedAt:       at,
		}
	}
	// setup returns a store with a user who has passkey "cred-1".
	setup := func(t *testing.T) (PasskeyStore, string) {
		t.Helper()
		s := newStore(t)
		u, err := s.CreateUser(t.Context(), store.User{Email: "ada@example.com", Name: "Ada"})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if err := s.CreatePasskey(t.Context(), passkey(u.ID, "cred-1", now)); err != nil {
			t.Fatalf("CreatePasskey: %v", err)
		}
		return s, u.ID
	}
	other := func(t *testing.T, s PasskeyStore) string {
		t.Helper()
		u, err := s.CreateUser(t.Context(), store.User{Email: "bob@example.com", Name: "Bob"})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		return u.ID
	}
	get := func(t *testing.T, s PasskeyStore, id string) *store.Passkey {
		t.Helper()
		p, err := s.GetPasskey(t.Context(), id)
		if err != nil {
			t.Fatalf("GetPasskey(%q): %v", id, err)
		}
		return p
	}
	is := func(t *testing.T, call string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s = %v, want %v", call, err, want)
		}
	}
	sameTime := func(got, want time.Time) bool {
		if want.IsZero() {
			return got.IsZero()
		}
		return got.Truncate(time.Second).Equal(want.Truncate(time.Second))
	}
	// same reports whether got has every field of want, times to the
	// second.
	same := func(got, want store.Passkey) bool {
		return got.ID == want.ID && got.UserID == want.UserID && got.Name == want.Name &&
			bytes.Equal(got.PublicKey, want.PublicKey) && got.AttestationType == want.AttestationType &&
			bytes.Equal(got.AAGUID, want.AAGUID) && slices.Equal(got.Transports, want.Transports) &&
			got.SignCount == want.SignCount && got.BackupEligible == want.BackupEligible &&
			got.BackupState == want.BackupState && sameTime(got.CreatedAt, want.CreatedAt) &&
			sameTime(got.LastUsedAt, want.LastUsedAt)
	}

	t.Run("Create", func(t *testing.T) {
		s, id := setup(t)
		want := passkey(id, "cred-1", now)
		if p := get(t, s, "cred-1"); !same(*p, want) {
			t.Errorf("GetPasskey = %+v, want %+v", *p, want)
		}
		_, err := s.GetPasskey(t.Context(), "cred-unknown")
		is(t, "GetPasskey of an unknown ID", err, store.ErrNotFound)
		is(t, "CreatePasskey with an ID in use", s.CreatePasskey(t.Context(), passkey(id, "cred-1", now)), store.ErrConflict)
		bob := other(t, s)
		is(t, "CreatePasskey with another user's ID", s.CreatePasskey(t.Context(), passkey(bob, "cred-1", now)), store.ErrConflict)
		if p := get(t, s, "cred-1"); p.UserID != id {
			t.Errorf("a refused CreatePasskey changed the owner to %q", p.UserID)
		}
		is(t, "CreatePasskey of an unknown user", s.CreatePasskey(t.Context(), passkey(store.NewID(), "cred-2", now)), store.ErrNotFound)
		_, err = s.GetPasskey(t.Context(), "cred-2")
		is(t, "GetPasskey of a refused passkey", err, store.ErrNotFound)
	})

	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		u, err := s.CreateUser(t.Context(), store.User{Email: "ada@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		all := make([]byte, 256)
		for i := range all {
			all[i] = byte(i)
		}
		at := time.Date(2035, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*60*60))
		cases := []store.Passkey{
			// Every byte value, a credential ID as long as WebAuthn allows
			// (1023 bytes, 1364 base64url characters), no transports, a
			// count at the top of its range, flags set and a last use.
			{ID: string(bytes.Repeat([]byte("A_-z"), 341)), UserID: u.ID, Name: "Ünïcødé 🔑", PublicKey: all,
				AttestationType: "none", AAGUID: make([]byte, 16), SignCount: 1<<32 - 1,
				BackupEligible: true, BackupState: true, CreatedAt: at, LastUsedAt: at.Add(time.Hour)},
			// Empty name, transports in the browser's order, count 0.
			{ID: "cred-b", UserID: u.ID, PublicKey: []byte{0}, AttestationType: "packed",
				AAGUID: bytes.Repeat([]byte{0xff}, 16), Transports: []string{"usb", "nfc", "ble", "hybrid", "internal", "smart-card"},
				CreatedAt: now},
		}
		for _, p := range cases {
			if err := s.CreatePasskey(t.Context(), p); err != nil {
				t.Fatalf("CreatePasskey(%.20q…): %v", p.ID, err)
			}
			got := get(t, s, p.ID)
			if !same(*got, p) {
				t.Errorf("GetPasskey(%.20q…) = %+v, want %+v", p.ID, *got, p)
			}
			if len(p.Transports) == 0 && len(got.Transports) != 0 {
				t.Errorf("no transports came back as %q", got.Transports)
			}
		}
	})

	t.Run("List", func(t *testing.T) {
		s, id := setup(t)
		bob := other(t, s)
		// Created out of order: the list is by CreatedAt.
		for _, p := range []store.Passkey{
			passkey(id, "cred-3", now.Add(2*time.Hour)),
			passkey(bob, "cred-bob", now.Add(30*time.Minute)),
			passkey(id, "cred-2", now.Add(time.Hour)),
		} {
			if err := s.CreatePasskey(t.Context(), p); err != nil {
				t.Fatalf("CreatePasskey: %v", err)
			}
		}
		ps, err := s.ListPasskeys(t.Context(), id)
		if err != nil {
			t.Fatalf("ListPasskeys: %v", err)
		}
		var ids []string
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if want := []string{"cred-1", "cred-2", "cred-3"}; !slices.Equal(ids, want) {
			t.Errorf("ListPasskeys = %q, want %q", ids, want)
		}
		if len(ps) == 3 && !same(ps[1], passkey(id, "cred-2", now.Add(time.Hour))) {
			t.Errorf("ListPasskeys[1] = %+v", ps[1])
		}
		ps, err = s.ListPasskeys(t.Context(), store.NewID())
		if err != nil || ps == nil || len(ps) != 0 {
			t.Errorf("ListPasskeys of a user without = %v (nil: %t), %v; want an empty slice", ps, ps == nil, err)
		}
	})

	t.Run("Use", func(t *testing.T) {
		s, id := setup(t)
		at := now.Add(time.Hour)
		if err := s.UsePasskey(t.Context(), "cred-1", 7, 9, true, at); err != nil {
			t.Fatalf("UsePasskey: %v", err)
		}
		want := passkey(id, "cred-1", now)
		want.SignCount, want.BackupState, want.LastUsedAt = 9, true, at
		if p := get(t, s, "cred-1"); !same(*p, want) {
			t.Errorf("after UsePasskey: %+v, want %+v", *p, want)
		}
		is(t, "UsePasskey with a stale count", s.UsePasskey(t.Context(), "cred-1", 7, 10, false, at.Add(time.Hour)), store.ErrConflict)
		if p := get(t, s, "cred-1"); !same(*p, want) {
			t.Errorf("a refused UsePasskey changed it: %+v", *p)
		}
		// A synced passkey reports 0 every time: prev and count equal.
		if err := s.UsePasskey(t.Context(), "cred-1", 9, 9, false, at.Add(2*time.Hour)); err != nil {
			t.Errorf("UsePasskey with an unchanged count: %v", err)
		}
		if p := get(t, s, "cred-1"); p.SignCount != 9 || p.BackupState || !sameTime(p.LastUsedAt, at.Add(2*time.Hour)) {
			t.Errorf("after an unchanged count: %+v", *p)
		}
		is(t, "UsePasskey of an unknown ID", s.UsePasskey(t.Context(), "cred-unknown", 0, 1, false, at), store.ErrNotFound)
	})

	t.Run("UseConcurrent", func(t *testing.T) {
		s, _ := setup(t)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				err := s.UsePasskey(t.Context(), "cred-1", 7, uint32(8+i), false, now.Add(time.Minute))
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("UsePasskey: %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("8 concurrent uses with one count: %d succeeded, want 1", wins.Load())
		}
		if p := get(t, s, "cred-1"); p.SignCount < 8 || p.SignCount > 15 {
			t.Errorf("SignCount = %d after the race, want one of the winners' 8…15", p.SignCount)
		}
	})

	t.Run("Rename", func(t *testing.T) {
		s, id := setup(t)
		if err := s.RenamePasskey(t.Context(), id, "cred-1", "Work laptop"); err != nil {
			t.Fatalf("RenamePasskey: %v", err)
		}
		if p := get(t, s, "cred-1"); p.Name != "Work laptop" {
			t.Errorf("Name = %q after RenamePasskey", p.Name)
		}
		bob := other(t, s)
		is(t, "RenamePasskey of another user's", s.RenamePasskey(t.Context(), bob, "cred-1", "mine"), store.ErrNotFound)
		is(t, "RenamePasskey of an unknown ID", s.RenamePasskey(t.Context(), id, "cred-unknown", "x"), store.ErrNotFound)
		if p := get(t, s, "cred-1"); p.Name != "Work laptop" {
			t.Errorf("a refused RenamePasskey set Name %q", p.Name)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s, id := setup(t)
		bob := other(t, s)
		is(t, "DeletePasskey of another user's", s.DeletePasskey(t.Context(), bob, "cred-1"), store.ErrNotFound)
		get(t, s, "cred-1")
		if err := s.UsePasskey(t.Context(), "cred-1", 7, 9, true, now.Add(time.Hour)); err != nil {
			t.Fatalf("UsePasskey: %v", err)
		}
		if err := s.DeletePasskey(t.Context(), id, "cred-1"); err != nil {
			t.Fatalf("DeletePasskey: %v", err)
		}
		_, err := s.GetPasskey(t.Context(), "cred-1")
		is(t, "GetPasskey after DeletePasskey", err, store.ErrNotFound)
		is(t, "DeletePasskey twice", s.DeletePasskey(t.Context(), id, "cred-1"), store.ErrNotFound)
		is(t, "UsePasskey after DeletePasskey", s.UsePasskey(t.Context(), "cred-1", 7, 8, false, now), store.ErrNotFound)
		// A new passkey with the deleted one's ID has nothing of it.
		if err := s.CreatePasskey(t.Context(), passkey(bob, "cred-1", now)); err != nil {
			t.Fatalf("CreatePasskey of a deleted ID: %v", err)
		}
		if p, want := get(t, s, "cred-1"), passkey(bob, "cred-1", now); !same(*p, want) {
			t.Errorf("a new passkey with a deleted one's ID = %+v, want %+v", *p, want)
		}
	})

	t.Run("DeleteUser", func(t *testing.T) {
		s, id := setup(t)
		bob := other(t, s)
		if err := s.CreatePasskey(t.Context(), passkey(id, "cred-2", now.Add(time.Minute))); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePasskey(t.Context(), passkey(bob, "cred-bob", now)); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(t.Context(), id); err != nil {
			t.Fatalf("DeleteUser: %v", err)
		}
		for _, cred := range []string{"cred-1", "cred-2"} {
			_, err := s.GetPasskey(t.Context(), cred)
			is(t, "GetPasskey after DeleteUser", err, store.ErrNotFound)
		}
		if ps, err := s.ListPasskeys(t.Context(), id); err != nil || len(ps) != 0 {
			t.Errorf("ListPasskeys after DeleteUser = %v, %v", ps, err)
		}
		get(t, s, "cred-bob")
	})
}
