package mongostore_test

import (
	"context"
	"errors"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/mongostore"
)

// TestOpenServerDown: an application starts while the server is down, and
// the store then reports an outage, not a missing user.
func TestOpenServerDown(t *testing.T) {
	start := time.Now()
	st, err := mongostore.Open("mongodb://127.0.0.1:1/app", mongostore.Options{Prefix: "auth_"})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Open took %s with the server down", d)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err = st.GetUser(ctx, "x")
	if err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetUser with the server down: %v, want an outage", err)
	} else if !strings.HasPrefix(err.Error(), "mongostore: get user: ") {
		t.Errorf("GetUser with the server down: %q, want the error prefixed", err)
	}
	if err := st.Close(); err != nil {
		t.Error(err)
	}
}

func TestOpenBadURL(t *testing.T) {
	for _, u := range []string{"postgres://localhost/app", "mongodb://localhost/%zz", ""} {
		if st, err := mongostore.Open(u, mongostore.Options{}); err == nil {
			st.Close()
			t.Errorf("Open(%q) succeeded", u)
		} else if !strings.HasPrefix(err.Error(), "mongostore: ") {
			t.Errorf("Open(%q): %q, want the error prefixed", u, err)
		}
	}
}

// A generated project opens its store from DATABASE_URL and migrates it
// when AUTH_AUTO_MIGRATE is true (or by `authgen migrate`).
func Example() {
	ctx := context.Background()
	st, err := mongostore.Open(os.Getenv("DATABASE_URL"), mongostore.Options{Prefix: "auth_"})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	u, err := st.GetUserByEmail(ctx, "octocat@example.com")
	if errors.Is(err, store.ErrNotFound) {
		log.Print("no such user")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	log.Print(u.Name)
}
