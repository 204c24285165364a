// This file is yours: authgen wrote it once and never changes it.

package auth

import (
	"os"
	"testing"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/storetest"
)

// TestStore runs authgen's conformance suite (package storetest) against
// CustomStore: the contract of every method, e-mail and account uniqueness, the
// atomicity of CreateUserAndAccount under concurrent first sign-ins, and single
// use of verification tokens. Each method that still returns
// errors.ErrUnsupported fails once, as "<Method> is not implemented"; the
// checks that need it are skipped.
//
// It opens the store with TEST_DATABASE_URL. Point that at a database used only
// by tests: the suite needs it empty at the start of every subtest.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return emptyStore(t)
	})
}

// emptyStore opens the store for one subtest of the suites.
func emptyStore(t *testing.T) *CustomStore {
	// Every subtest calls this function and needs a store backed by an empty
	// database: no users, accounts, sessions or verification tokens. Either
	// open a fresh database or schema here and drop it in t.Cleanup, or
	// delete every row before returning. Subtests run one after another, so
	// one test database emptied here is enough.
	st, err := OpenCustomStore(os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		t.Fatalf("OpenCustomStore: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	// Empty the database here, for example:
	//
	//	for _, table := range []string{"auth_sessions", "auth_accounts", "auth_users", "auth_verification_tokens"} {
	//		if _, err := st.db.ExecContext(t.Context(), "DELETE FROM "+table); err != nil {
	//			t.Fatal(err)
	//		}
	//	}
	return st
}

// BenchmarkGetSessionAndUser measures GetSessionAndUser, which every request
// that reads a database session makes: go test -bench . ./auth/ (it leaves a
// user and a session in the test database).
func BenchmarkGetSessionAndUser(b *testing.B) {
	st, err := OpenCustomStore(os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		b.Fatalf("OpenCustomStore: %v", err)
	}
	b.Cleanup(func() {
		if err := st.Close(); err != nil {
			b.Errorf("Close: %v", err)
		}
	})
	if err := st.Migrate(b.Context()); err != nil {
		b.Fatalf("Migrate: %v", err)
	}
	storetest.Bench(b, st)
}
