package genstores_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/gentest"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/generator/writer"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

// mongoStoreTest is the test TestMongoStore adds to the generated auth
// package: the conformance suite on the generated MongoStore, one fresh
// database per check, the store's own cases (the database name, starting
// while the server is down, Migrate twice, an account without its user),
// and the session check's benchmark.
const mongoStoreTest = `package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/storetest"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// testDatabases numbers the databases of one run.
var testDatabases atomic.Int64

// openTestStore opens and migrates the store on a new, empty database of
// the server at $AUTHGEN_TEST_MONGO_URL, dropped when the test ends.
func openTestStore(tb testing.TB) *MongoStore {
	tb.Helper()
	base := os.Getenv("AUTHGEN_TEST_MONGO_URL")
	if base == "" {
		tb.Skip("AUTHGEN_TEST_MONGO_URL is not set")
	}
	name := fmt.Sprintf("authgen_test_%d_%d", os.Getpid(), testDatabases.Add(1))
	st, err := OpenStore(strings.TrimSuffix(base, "/") + "/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := st.Database().Drop(context.Background()); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
		if err := st.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	if err := Migrate(context.Background(), st); err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestMongoStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTestStore(t) })
}

func BenchmarkGetSessionAndUser(b *testing.B) {
	storetest.Bench(b, openTestStore(b))
}

func TestMongoDatabaseName(t *testing.T) {
	for in, want := range map[string]string{
		"mongodb://localhost:27017":                       DefaultDatabase,
		"mongodb://localhost:27017/":                      DefaultDatabase,
		"mongodb://localhost:27017/?replicaSet=rs0":       DefaultDatabase,
		"mongodb://u:p%2Fw@a:1,b:2/app?replicaSet=rs0":    "app",
		"mongodb+srv://cluster0.example.net/my%20app?w=1": "my app",
	} {
		if got, err := mongoDatabaseName(in); err != nil || got != want {
			t.Errorf("mongoDatabaseName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := mongoDatabaseName("mongodb://localhost/%zz"); err == nil {
		t.Error("mongoDatabaseName accepted a bad escape")
	}
}

// TestMongoOpenStoreServerDown: the application starts while the server is
// down, and the store then reports an outage, not a missing user.
func TestMongoOpenStoreServerDown(t *testing.T) {
	start := time.Now()
	st, err := OpenStore("mongodb://127.0.0.1:1/app")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("OpenStore took %s with the server down", d)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if _, err := st.GetUser(ctx, "x"); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetUser with the server down: %v, want an outage", err)
	}
	if err := st.Close(); err != nil {
		t.Error(err)
	}
	if _, err := OpenStore("postgres://localhost/app"); err == nil {
		t.Error("OpenStore accepted a postgres:// URL")
	}
}

func TestMongoMigrateTwice(t *testing.T) {
	st := openTestStore(t)
	if err := Migrate(t.Context(), st); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	names, err := st.Database().ListCollectionNames(t.Context(), bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"users", "accounts", "sessions", "verification_tokens"} {
		if !slices.Contains(names, CollectionPrefix+c) {
			t.Errorf("collection %s%s is missing: %v", CollectionPrefix, c, names)
		}
	}
	specs, err := st.users.Indexes().ListSpecifications(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(specs, func(s mongo.IndexSpecification) bool { return s.Name == "email" && s.Unique != nil && *s.Unique }) {
		t.Errorf("the users have no unique email index: %+v", specs)
	}
}

// TestMongoAccountWithoutUser: an account whose user is missing, as a first
// sign-in between its two writes or a failed one leaves it.
func TestMongoAccountWithoutUser(t *testing.T) {
	st := openTestStore(t)
	ctx := t.Context()
	link := func(providerAccountID, userID string, age time.Duration) {
		t.Helper()
		a := newMongoAccount(store.Account{UserID: userID, Type: "oauth", Provider: "github", ProviderAccountID: providerAccountID}, time.Now().Add(-age))
		if _, err := st.accounts.InsertOne(ctx, a); err != nil {
			t.Fatal(err)
		}
	}

	// A sign-in in progress: its user arrives while GetUserByAccount waits.
	pending := store.User{ID: store.NewID(), Name: "Pending", Email: "pending@example.com"}
	link("1", pending.ID, 0)
	created := make(chan error, 1)
	go func() {
		time.Sleep(150 * time.Millisecond)
		_, err := st.CreateUser(context.Background(), pending)
		created <- err
	}()
	if u, err := st.GetUserByAccount(ctx, "github", "1"); err != nil || u.ID != pending.ID {
		t.Errorf("account whose user arrives after 150ms: %v, %v; want user %s", u, err, pending.ID)
	}
	if err := <-created; err != nil {
		t.Fatal(err)
	}

	// A sign-in in progress whose user does not come: not found, kept.
	link("2", store.NewID(), 0)
	start := time.Now()
	if _, err := st.GetUserByAccount(ctx, "github", "2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("new account without a user: %v, want ErrNotFound", err)
	}
	if d := time.Since(start); d < mongoPendingWait || d > 3*mongoPendingWait {
		t.Errorf("new account without a user: answered after %s, want about %s", d, mongoPendingWait)
	}
	if n, _ := st.accounts.CountDocuments(ctx, bson.M{"_id": mongoAccountKey("github", "2")}); n != 1 {
		t.Error("a new account without a user was removed")
	}

	// Left by a failed sign-in: not found at once and removed, so that the
	// provider account signs in again.
	link("3", store.NewID(), 2*mongoPendingAge)
	start = time.Now()
	if _, err := st.GetUserByAccount(ctx, "github", "3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old account without a user: %v, want ErrNotFound", err)
	}
	if d := time.Since(start); d >= mongoPendingWait {
		t.Errorf("old account without a user: answered after %s, want without waiting for its user", d)
	}
	u, err := st.CreateUserAndAccount(ctx, store.User{Name: "Again"}, store.Account{Type: "oauth", Provider: "github", ProviderAccountID: "3"})
	if err != nil {
		t.Fatalf("sign-in after the old account was removed: %v", err)
	}
	if got, err := st.GetUserByAccount(ctx, "github", "3"); err != nil || got.ID != u.ID {
		t.Errorf("after signing in again: %v, %v; want user %s", got, err, u.ID)
	}
}

// TestMongoUndoLinkCancelled: the account of a failed sign-in is removed
// also when its request was cancelled.
func TestMongoUndoLinkCancelled(t *testing.T) {
	st := openTestStore(t)
	acc := newMongoAccount(store.Account{UserID: store.NewID(), Provider: "github", ProviderAccountID: "9"}, time.Now())
	if _, err := st.accounts.InsertOne(t.Context(), acc); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := st.undoLink(ctx, acc); err != nil {
		t.Fatal(err)
	}
	if n, err := st.accounts.CountDocuments(t.Context(), bson.M{}); err != nil || n != 0 {
		t.Errorf("%d accounts left (%v), want none", n, err)
	}
}
`

// TestMongoStore generates a project with database mongodb, adds
// mongoStoreTest to its auth package and runs it against FerretDB (a
// MongoDB-wire server without transactions), reporting each check as a
// subtest and logging the session check's benchmark.
func TestMongoStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated project")
	}
	mongo := testsvc.Mongo(t)
	m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: manifest.DBMongoDB, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned})
	if err != nil {
		t.Fatal(err)
	}
	spec := generator.Spec{Module: "example.com/mongostore", Manifest: m}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := writer.Apply(dir, files, writer.Options{}); err != nil {
		t.Fatal(err)
	}
	gentest.WriteGoMod(t, dir, spec)
	if err := os.WriteFile(filepath.Join(dir, m.Package, "mongo_store_test.go"), []byte(mongoStoreTest), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := func(args ...string) *exec.Cmd {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(gentest.Env(), "AUTHGEN_TEST_MONGO_URL="+mongo.URL())
		return cmd
	}
	if out, err := goCmd("mod", "tidy").CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	start := time.Now()
	cmd := goCmd("test", "-json", "-count=1", "-timeout=10m", "-run=^TestMongo", "-bench=^BenchmarkGetSessionAndUser$", "-benchtime=500x", "-benchmem", "./"+m.Package+"/")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	t.Logf("go test in the generated project: %s", time.Since(start).Round(time.Millisecond))

	type result struct {
		action string
		output strings.Builder
	}
	results := map[string]*result{}
	var names []string
	var other strings.Builder
	other.Write(stderr.Bytes())
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev struct{ Action, Test, Output string }
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			other.Write(sc.Bytes())
			other.WriteByte('\n')
			continue
		}
		if strings.Contains(ev.Output, "ns/op") {
			t.Logf("benchmark on FerretDB: %s", strings.Join(strings.Fields(ev.Output), " "))
		}
		if ev.Test == "" {
			if ev.Action == "output" || ev.Action == "build-output" {
				other.WriteString(ev.Output)
			}
			continue
		}
		r := results[ev.Test]
		if r == nil {
			r = &result{}
			results[ev.Test] = r
			names = append(names, ev.Test)
		}
		switch ev.Action {
		case "output":
			if line := strings.TrimSpace(ev.Output); !strings.HasPrefix(line, "=== ") && !strings.HasPrefix(line, "--- ") {
				r.output.WriteString(ev.Output)
			}
		case "pass", "fail", "skip":
			r.action = ev.Action
		}
	}
	if len(results) == 0 {
		t.Fatalf("go test in the generated project: %v\n%s", runErr, other.String())
	}
	// Each check is a subtest: the leaves, and a test that failed on its
	// own (in a cleanup, say) while its subtests passed.
	failedBelow := func(name string) bool {
		for n, r := range results {
			if strings.HasPrefix(n, name+"/") && r.action == "fail" {
				return true
			}
		}
		return false
	}
	leaf := func(name string) bool {
		return !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, name+"/") })
	}
	passed := 0
	for _, name := range names {
		r := results[name]
		if !leaf(name) && (r.action != "fail" || failedBelow(name)) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			switch {
			case r.action == "pass", r.action == "" && strings.Contains(r.output.String(), "ns/op"): // a benchmark that ran
				passed++
			case r.action == "skip":
				t.Skip(r.output.String())
			case r.action == "fail":
				t.Fatal(r.output.String())
			default:
				t.Fatalf("no result (the test binary died?)\n%s%s", r.output.String(), other.String())
			}
		})
	}
	t.Logf("%d checks passed in the generated project", passed)
	if runErr != nil && !t.Failed() {
		t.Errorf("go test in the generated project: %v\n%s", runErr, other.String())
	}
}
