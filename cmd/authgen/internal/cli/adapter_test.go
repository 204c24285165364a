package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
)

func TestAddAdapterCustom(t *testing.T) {
	dir := initProject(t, "--skip-migrate", "--db", "sqlite")
	manifestBefore := read(t, filepath.Join(dir, manifest.File))
	migration := filepath.Join(dir, "auth", "migrations", "00001_authgen.sql")
	migrationBefore := read(t, migration)
	if !exists(filepath.Join(dir, "auth", "store_gen.go")) {
		t.Fatal("init --db sqlite wrote no auth/store_gen.go")
	}

	code, out, errOut := authgen(t, dir, "add", "adapter", "custom")
	if code != 0 {
		t.Fatalf("add adapter custom: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"database: custom (was sqlite)",
		"updated authgen.yaml\n",
		"created auth/store.go\n",
		"created auth/store_test.go\n",
		"updated auth/store_gen.go\n",
		"auth/migrations/ is yours and stays",
		"go test ./auth/",
		`"<Method> is not implemented"`,
		"`authgen migrate`",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}

	// Only the database line of the manifest changed.
	wantManifest := strings.Replace(manifestBefore, "\ndatabase: sqlite\n", "\ndatabase: custom\n", 1)
	if got := read(t, filepath.Join(dir, manifest.File)); got != wantManifest {
		t.Errorf("authgen.yaml:\n%s\nwant:\n%s", got, wantManifest)
	}
	m, err := manifest.Read(filepath.Join(dir, manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	if m.Database != manifest.DBCustom || m.Session.Strategy != manifest.StrategyDatabase {
		t.Errorf("manifest: database %s, strategy %s", m.Database, m.Session.Strategy)
	}
	if gen := read(t, filepath.Join(dir, "auth", "store_gen.go")); !strings.Contains(gen, "return OpenCustomStore(databaseURL)") || strings.Contains(gen, "sqlstore") {
		t.Errorf("auth/store_gen.go is not the custom store's:\n%s", gen)
	}
	if got := read(t, migration); got != migrationBefore {
		t.Error("auth/migrations/00001_authgen.sql changed")
	}
	store := read(t, filepath.Join(dir, "auth", "store.go"))
	for _, want := range []string{"type CustomStore struct", "var _ store.Store = (*CustomStore)(nil)", "func OpenCustomStore(databaseURL string) (*CustomStore, error)", "func (s *CustomStore) Migrate(ctx context.Context) error", `fmt.Errorf("%w: UseVerificationToken", errors.ErrUnsupported)`} {
		if !strings.Contains(store, want) {
			t.Errorf("auth/store.go lacks %q", want)
		}
	}
	if generator.IsGenerated([]byte(store)) {
		t.Error("auth/store.go carries the generated marker; it is the user's")
	}
	if test := read(t, filepath.Join(dir, "auth", "store_test.go")); !strings.Contains(test, "storetest.Run(t, func(t *testing.T) store.Store {") || !strings.Contains(test, `OpenCustomStore(os.Getenv("TEST_DATABASE_URL"))`) {
		t.Errorf("auth/store_test.go:\n%s", test)
	}
	if code, out, _ := authgen(t, dir, "generate", "--check"); code != 0 {
		t.Errorf("generate --check after add adapter: %s", out)
	}

	// Again: nothing changes, not even a modification time.
	before := snapshot(t, dir)
	code, out, errOut = authgen(t, dir, "add", "adapter", "custom")
	if code != 0 {
		t.Fatalf("second add adapter custom: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "already says database: custom") {
		t.Errorf("second run output:\n%s", out)
	}
	sameTree(t, before, snapshot(t, dir))
}

func TestAddAdapterCustomKeepsUserFiles(t *testing.T) {
	dir := initProject(t, "--skip-migrate", "--db", "sqlite")
	mine := "package auth\n\n// CustomStore is mine already.\ntype CustomStore struct{}\n"
	if err := os.WriteFile(filepath.Join(dir, "auth", "store.go"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	// A store_gen.go without the marker is the user's now: add refuses to
	// overwrite it, changing nothing.
	gen := filepath.Join(dir, "auth", "store_gen.go")
	marked := read(t, gen)
	unmarked := strings.Replace(marked, generator.Marker+"\n", "", 1)
	if err := os.WriteFile(gen, []byte(unmarked), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	code, out, errOut := authgen(t, dir, "add", "adapter", "custom")
	if code != cli.ExitError || !strings.Contains(errOut, "auth/store_gen.go") || !strings.Contains(errOut, "--force") {
		t.Fatalf("add adapter custom over an unmarked store_gen.go: %d\n%s\n%s", code, out, errOut)
	}
	sameTree(t, before, snapshot(t, dir))

	if err := os.WriteFile(gen, []byte(marked), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = authgen(t, dir, "add", "adapter", "custom")
	if code != 0 {
		t.Fatalf("add adapter custom: %d\n%s\n%s", code, out, errOut)
	}
	if got := read(t, filepath.Join(dir, "auth", "store.go")); got != mine {
		t.Errorf("auth/store.go was overwritten:\n%s", got)
	}
	if !strings.Contains(errOut, "auth/store.go exists and was kept") || !strings.Contains(errOut, "OpenCustomStore") {
		t.Errorf("no warning about the existing auth/store.go:\n%s", errOut)
	}
	if !strings.Contains(out, "updated auth/store_gen.go") || !exists(filepath.Join(dir, "auth", "store_test.go")) {
		t.Errorf("output:\n%s", out)
	}
}

func TestAddAdapterCustomFromJWT(t *testing.T) {
	dir := jwtProject(t)
	code, out, errOut := authgen(t, dir, "add", "adapter", "custom")
	if code != 0 {
		t.Fatalf("add adapter custom: %d\n%s\n%s", code, out, errOut)
	}
	m, err := manifest.Read(filepath.Join(dir, manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	if m.Database != manifest.DBCustom || m.Session.Strategy != manifest.StrategyJWT {
		t.Errorf("manifest: database %s, strategy %s; want custom, jwt", m.Database, m.Session.Strategy)
	}
	if !exists(filepath.Join(dir, "auth", "store.go")) || strings.Contains(out, "migrations") || strings.Contains(out, "go.mod still requires") {
		t.Errorf("output:\n%s", out)
	}
}

func TestAddAdapterErrors(t *testing.T) {
	dir := jwtProject(t)
	before := snapshot(t, dir)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"add", "adapter", "postgres"}, cli.ExitUsage, `unknown adapter "postgres"`},
		{[]string{"add", "adapter"}, cli.ExitUsage, "add adapter takes one NAME: custom"},
		{[]string{"add", "adapter", "custom", "extra"}, cli.ExitUsage, "add adapter takes one NAME: custom"},
	} {
		code, _, errOut := authgen(t, dir, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), code, errOut, tt.code, tt.want)
		}
	}
	sameTree(t, before, snapshot(t, dir))

	if code, _, errOut := authgen(t, t.TempDir(), "add", "adapter", "custom"); code != cli.ExitError || !strings.Contains(errOut, "go.mod") {
		t.Errorf("outside a module: exit %d, stderr %q", code, errOut)
	}
}

func TestAddAdapterCustomUnmarked(t *testing.T) {
	dir := initProject(t, "--skip-migrate", "--db", "sqlite")
	authGen := filepath.Join(dir, "auth", "auth_gen.go")
	unmarked := strings.Replace(read(t, authGen), generator.Marker+"\n", "", 1)
	if err := os.WriteFile(authGen, []byte(unmarked), 0o644); err != nil {
		t.Fatal(err)
	}
	callbacks := filepath.Join(dir, "auth", "callbacks.go")
	mine := read(t, callbacks) + "\n// mine\n"
	if err := os.WriteFile(callbacks, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	code, _, errOut := authgen(t, dir, "add", "adapter", "custom")
	if code != cli.ExitError || !strings.Contains(errOut, "auth/auth_gen.go") || !strings.Contains(errOut, "--force") {
		t.Fatalf("exit %d, stderr %q; want a refusal naming auth/auth_gen.go", code, errOut)
	}
	sameTree(t, before, snapshot(t, dir))

	code, out, errOut := authgen(t, dir, "add", "adapter", "custom", "--force")
	if code != 0 {
		t.Fatalf("--force: %d\n%s\n%s", code, out, errOut)
	}
	if !generator.IsGenerated([]byte(read(t, authGen))) || !strings.Contains(read(t, authGen), "*CustomStore") {
		t.Error("--force did not regenerate auth/auth_gen.go")
	}
	if read(t, callbacks) != mine {
		t.Error("--force overwrote auth/callbacks.go, a scaffold file of the user's")
	}
	if !exists(filepath.Join(dir, "auth", "store.go")) || !strings.Contains(read(t, filepath.Join(dir, "auth", "store_gen.go")), "OpenCustomStore") {
		t.Errorf("--force: output:\n%s", out)
	}
}
