package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

// storeMethods is every method of store.Store.
var storeMethods = []string{
	"CreateUser", "GetUser", "GetUserByEmail", "GetUserByAccount", "UpdateUser", "DeleteUser",
	"CreateUserAndAccount", "LinkAccount", "UnlinkAccount", "UpdateAccount", "ListAccounts",
	"CreateSession", "GetSessionAndUser", "UpdateSession", "DeleteSession", "DeleteExpiredSessions",
	"CreateVerificationToken", "UseVerificationToken",
}

// memStore is a store.go that implements the custom adapter with memstore,
// keeping the scaffold's OpenCustomStore, Migrate and Close.
const memStore = `package auth

import (
	"context"

	"github.com/authgen/authgen/runtime/store/memstore"
)

type CustomStore struct{ *memstore.Store }

func OpenCustomStore(databaseURL string) (*CustomStore, error) {
	return &CustomStore{memstore.New()}, nil
}

func (s *CustomStore) Migrate(ctx context.Context) error { return nil }

func (s *CustomStore) Close() error { return nil }
`

// TestCustomAdapterScaffold generates a project with database: custom and
// runs its conformance test: it compiles and fails with one "<Method> is
// not implemented" per method; with the store implemented (by memstore) it
// passes, so the test scaffold opens a fresh store for every subtest.
func TestCustomAdapterScaffold(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a Go module")
	}
	m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: manifest.DBCustom, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned})
	if err != nil {
		t.Fatal(err)
	}
	spec := generator.Spec{Module: "example.com/custom", Manifest: m, App: true}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gentest.WriteModule(t, dir, spec, files)
	goCmd := func(args ...string) (string, error) {
		out, err := gentest.Cmd(dir, []string{"TEST_DATABASE_URL="}, args...).CombinedOutput()
		return string(out), err
	}
	for _, args := range [][]string{{"mod", "tidy"}, {"vet", "./..."}} {
		if out, err := goCmd(args...); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	out, err := goCmd("test", "-count=1", "./auth/")
	if err == nil {
		t.Fatalf("go test ./auth/ passed with the scaffold store:\n%s", out)
	}
	if strings.Contains(out, "build failed") || strings.Contains(out, "[setup failed]") {
		t.Fatalf("go test ./auth/ did not build:\n%s", out)
	}
	for _, method := range storeMethods {
		want := method + " is not implemented"
		if n := strings.Count(out, want+":"); n != 1 {
			t.Errorf("go test ./auth/: %q appears %d times, want once", want, n)
		}
	}
	if t.Failed() {
		t.Logf("go test ./auth/:\n%s", out)
	}

	if err := os.WriteFile(filepath.Join(dir, "auth", "store.go"), []byte(memStore), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := goCmd("test", "-count=1", "./auth/"); err != nil {
		t.Fatalf("go test ./auth/ with a memstore-backed CustomStore: %v\n%s", err, out)
	}
}
