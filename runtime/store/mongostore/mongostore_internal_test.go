package mongostore

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/authgen/authgen/runtime/store"
)

// These tests need no server: tests against one (FerretDB) are in
// internal/integration/mongostore of the authgen repository.

func TestDatabaseName(t *testing.T) {
	for _, c := range []struct{ url, want string }{
		{"mongodb://localhost:27017", DefaultDatabase},
		{"mongodb://localhost:27017/", DefaultDatabase},
		{"mongodb://localhost:27017/?replicaSet=rs0", DefaultDatabase},
		{"mongodb://u:p%2Fw@a:1,b:2/app?replicaSet=rs0", "app"},
		{"mongodb+srv://cluster0.example.net/my%20app?w=1", "my app"},
	} {
		t.Run(c.url, func(t *testing.T) {
			if got, err := databaseName(c.url); err != nil || got != c.want {
				t.Errorf("databaseName(%q) = %q, %v; want %q", c.url, got, err, c.want)
			}
		})
	}
	if _, err := databaseName("mongodb://localhost/%zz"); err == nil || !strings.HasPrefix(err.Error(), "mongostore: ") {
		t.Errorf("databaseName of a bad escape: %v, want a mongostore: error", err)
	}
}

func TestCollectionNames(t *testing.T) {
	client, err := mongo.Connect() // does not dial
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ prefix, users, accounts, sessions, tokens, migrations string }{
		{"auth_", "auth_users", "auth_accounts", "auth_sessions", "auth_verification_tokens", "auth_migrations"},
		{"", "users", "accounts", "sessions", "verification_tokens", "migrations"},
	} {
		s := New(client.Database("app"), Options{Prefix: c.prefix})
		got := []string{s.users.Name(), s.accounts.Name(), s.sessions.Name(), s.tokens.Name(), s.migrations.Name()}
		want := []string{c.users, c.accounts, c.sessions, c.tokens, c.migrations}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("prefix %q: collections %v, want %v", c.prefix, got, want)
		}
		if s.Database().Name() != "app" {
			t.Errorf("Database() = %s, want app", s.Database().Name())
		}
		if s.now == nil {
			t.Error("no clock without Options.Now")
		}
		// A Store made by New leaves the client to its owner.
		if err := s.Close(); err != nil {
			t.Errorf("Close of a Store made by New: %v", err)
		}
	}
	if err := client.Disconnect(t.Context()); err != nil {
		t.Errorf("disconnecting the client after Close of a Store made by New: %v, want it still connected", err)
	}
}

// roundTrip marshals v to BSON and returns it as a document.
func roundTrip(t *testing.T, v any) bson.M {
	t.Helper()
	raw, err := bson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m bson.M
	if err := bson.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDocuments pins the stored form, which servers' indexes and other
// instances of the application rely on.
func TestDocuments(t *testing.T) {
	// A user without an address has no email field (the sparse unique index
	// skips it); times keep milliseconds, in UTC.
	if m := roundTrip(t, newUserDoc(store.User{ID: "u1", Name: "N"})); len(m) != 2 || m["_id"] != "u1" || m["name"] != "N" {
		t.Errorf("user without e-mail stored as %v, want {_id, name}", m)
	}
	verified := time.Date(2035, 3, 14, 15, 9, 26, 123456789, time.FixedZone("X", 3600))
	d := newUserDoc(store.User{ID: "u2", Email: "a@example.com", EmailVerified: &verified, Image: "i"})
	if want := time.Date(2035, 3, 14, 14, 9, 26, 123000000, time.UTC); !d.EmailVerified.Equal(want) || d.EmailVerified.Location() != time.UTC {
		t.Errorf("EmailVerified stored as %v, want %v", d.EmailVerified, want)
	}
	if m := roundTrip(t, d); m["email"] != "a@example.com" || m["emailVerified"] == nil || m["image"] != "i" {
		t.Errorf("user stored as %v", m)
	}
	if u := d.user(); u.ID != "u2" || u.Email != "a@example.com" || u.EmailVerified != d.EmailVerified || u.Image != "i" {
		t.Errorf("user() = %+v", u)
	}

	a := store.Account{UserID: "u1", Type: "oauth", Provider: "github", ProviderAccountID: "42",
		RefreshToken: "r", AccessToken: "a", ExpiresAt: 7, TokenType: "bearer", Scope: "s", IDToken: "i", SessionState: "ss", TokenSecret: "ts"}
	linked := time.Date(2035, 3, 14, 0, 0, 0, 0, time.UTC)
	ad := newAccountDoc(a, linked)
	m := roundTrip(t, ad)
	want := bson.M{"_id": "github\x00" + "42", "userId": "u1", "type": "oauth", "provider": "github", "providerAccountId": "42",
		"refresh_token": "r", "access_token": "a", "expires_at": int64(7), "token_type": "bearer", "scope": "s",
		"id_token": "i", "session_state": "ss", "oauth_token_secret": "ts", "linked": bson.NewDateTimeFromTime(linked)}
	if len(m) != len(want) {
		t.Errorf("account stored with fields %v, want %v", m, want)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("account field %s = %#v, want %#v", k, m[k], v)
		}
	}
	if got := ad.account(); got != a {
		t.Errorf("account() = %+v, want %+v", got, a)
	}

	// Every session has a provider, user agent and address field, empty or
	// not (steps 2 and 3 give them to the sessions stored before), and a
	// createdAt unless it is unknown.
	for _, p := range []string{"github", ""} {
		m := roundTrip(t, sessionDoc{ID: "h", UserID: "u1", Provider: p, Expires: linked})
		if v, ok := m["provider"]; !ok || v != p || len(m) != 6 || m["userAgent"] != "" || m["ip"] != "" {
			t.Errorf("session with provider %q stored as %v", p, m)
		}
	}
	se := store.Session{ID: "h", UserID: "u1", Provider: "github", Expires: linked, CreatedAt: linked.Add(-time.Hour), UserAgent: "curl/8.5.0", IP: "203.0.113.7"}
	m = roundTrip(t, newSessionDoc(se))
	if m["createdAt"] != bson.NewDateTimeFromTime(se.CreatedAt) || m["userAgent"] != "curl/8.5.0" || m["ip"] != "203.0.113.7" || len(m) != 7 {
		t.Errorf("session stored as %v", m)
	}
	if d := newSessionDoc(se); d.session() != se {
		t.Errorf("session() = %+v, want %+v", d.session(), se)
	}
}

// TestStatus compares recorded versions with the steps, as Status does
// with what it reads.
func TestStatus(t *testing.T) {
	if len(steps) != SchemaVersion {
		t.Fatalf("%d steps, SchemaVersion %d", len(steps), SchemaVersion)
	}
	// versions returns from, from+1, …, to; pendingMsg is Check's message
	// for a database at version at.
	versions := func(from, to int64) []int64 {
		var out []int64
		for v := from; v <= to; v++ {
			out = append(out, v)
		}
		return out
	}
	pendingMsg := func(at int64) string {
		var names []string
		for v := at + 1; v <= SchemaVersion; v++ {
			names = append(names, fmt.Sprintf("%d (%s)", v, steps[v-1].name))
		}
		return fmt.Sprintf("mongostore: schema steps pending: the database is at version %d, this program needs %d; not applied: %s", at, SchemaVersion, strings.Join(names, ", "))
	}
	all := versions(1, SchemaVersion)
	for _, c := range []struct {
		name     string
		recorded []int64
		current  int64
		pending  []int64
		unknown  []int64
		is       error
		msg      string
	}{
		{"never migrated, or by the release before versions", nil, 0, all, nil, ErrPending, pendingMsg(0)},
		{"at version 1", []int64{1}, 1, versions(2, SchemaVersion), nil, ErrPending, pendingMsg(1)},
		{"at version 2", []int64{1, 2}, 2, versions(3, SchemaVersion), nil, ErrPending, pendingMsg(2)},
		{"one step short", versions(1, SchemaVersion-1), SchemaVersion - 1, []int64{SchemaVersion}, nil, ErrPending, pendingMsg(SchemaVersion - 1)},
		{"up to date", reversed(all), SchemaVersion, nil, nil, nil, ""},
		{"recorded twice", append([]int64{1}, all...), SchemaVersion, nil, nil, nil, ""},
		{"migrated by a newer program", versions(1, SchemaVersion+1), SchemaVersion + 1, nil, []int64{SchemaVersion + 1}, ErrUnknownVersion,
			fmt.Sprintf("mongostore: the database has schema versions this program does not know: it is at version %d, the newest this program knows is %d (migrated by a newer program?)", SchemaVersion+1, SchemaVersion)},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := status(c.recorded)
			var pending []int64
			for _, p := range st.Pending {
				pending = append(pending, p.Version)
			}
			if st.Current != c.current || st.Latest != SchemaVersion || !slices.Equal(pending, c.pending) || !slices.Equal(st.Unknown, c.unknown) {
				t.Errorf("status(%v) = %+v", c.recorded, st)
			}
			err := st.Check()
			if !errors.Is(err, c.is) || (err == nil) != (c.is == nil) {
				t.Errorf("Check() = %v, want %v", err, c.is)
			}
			if err != nil && err.Error() != c.msg {
				t.Errorf("Check() = %q\nwant       %q", err, c.msg)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	dup := mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000, Message: "E11000 duplicate key"}}}
	for _, c := range []struct {
		name string
		err  error
		is   error
	}{
		{"duplicate key", dup, store.ErrConflict},
		{"no document", mongo.ErrNoDocuments, store.ErrNotFound},
		{"other", errors.New("connection refused"), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := wrapErr("op", c.err)
			if !strings.HasPrefix(err.Error(), "mongostore: op: ") {
				t.Errorf("error %q lacks the prefix", err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			if c.is == nil && (errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) || !errors.Is(err, c.err)) {
				t.Errorf("error %v: want only the original error wrapped", err)
			}
		})
	}
	if err := conflict("op", dup); !errors.Is(err, store.ErrConflict) || !errors.As(err, new(mongo.WriteException)) {
		t.Errorf("conflict: %v, want ErrConflict wrapping the server's error", err)
	}
}

// reversed returns a reversed copy of v.
func reversed(v []int64) []int64 {
	out := slices.Clone(v)
	slices.Reverse(out)
	return out
}
