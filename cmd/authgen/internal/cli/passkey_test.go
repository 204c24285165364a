package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

// passkeyModule is the module of the passkey ceremony, which only projects
// with passkeys require.
const passkeyModule = "github.com/authgen/authgen/runtime/passkey"

// TestPasskeyProject: as a user would: `authgen init` (SQLite), `authgen add
// provider passkey`, `authgen generate`: the project builds, vets and
// passes its own tests with passkeys on, and with passkey.signup true too
// (its configuration lets visitors sign up). `authgen remove provider passkey`
// takes the passkey: settings and the module's import with it.
func TestPasskeyProject(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a generated module")
	}
	dir := initProject(t, "--skip-migrate", "--db", "sqlite", "--session", "database")
	code, out, errOut := authgen(t, dir, "add", "provider", "passkey", "--skip-tidy")
	if code != 0 {
		t.Fatalf("add provider passkey: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Added passkey (Passkey) to authgen.yaml.", "/api/auth/passkeys", "passkey.signup: true", "go.mod does not provide " + passkeyModule} {
		if !strings.Contains(out, want) {
			t.Errorf("add provider passkey's output lacks %q:\n%s", want, out)
		}
	}
	m := mustManifest(t, dir)
	if !m.HasPasskey() || m.Passkey != nil {
		t.Errorf("authgen.yaml: providers %v, passkey %+v; want the passkey provider and no passkey: settings", m.Providers, m.Passkey)
	}
	if code, out, errOut := authgen(t, dir, "generate"); code != 0 {
		t.Fatalf("generate: %d\n%s\n%s", code, out, errOut)
	}
	authGen := filepath.Join(dir, "auth", "auth_gen.go")
	if src := read(t, authGen); !strings.Contains(src, "Passkeys:") || !strings.Contains(src, `"`+passkeyModule+`"`) || strings.Contains(src, "PasskeySignUp") {
		t.Errorf("auth_gen.go does not turn passkeys on without sign-up:\n%s", src)
	}
	if fake := read(t, filepath.Join(dir, "auth", "authtest_gen_test.go")); strings.Contains(fake, `"passkey"`) {
		t.Error("authtest_gen_test.go fakes passkeys as an OAuth provider")
	}
	goTest(t, dir)
	gentest.Go(t, dir, nil, "vet", "./...")
	gentest.Go(t, dir, nil, "build", "./...")

	// passkey.signup: true lets visitors sign up.
	yaml := filepath.Join(dir, manifest.File)
	if err := os.WriteFile(yaml, []byte(read(t, yaml)+"passkey:\n  signup: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := authgen(t, dir, "generate"); code != 0 {
		t.Fatalf("generate with passkey.signup: %d\n%s\n%s", code, out, errOut)
	}
	if src := read(t, authGen); !strings.Contains(src, "PasskeySignUp: true") {
		t.Errorf("auth_gen.go does not set PasskeySignUp:\n%s", src)
	}
	goTest(t, dir) // the generated project starts with sign-up on

	code, out, errOut = authgen(t, dir, "remove", "provider", "passkey")
	if code != 0 {
		t.Fatalf("remove provider passkey: %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "AUTH_PASSKEY") {
		t.Errorf("remove provider passkey names variables passkeys do not have:\n%s", out)
	}
	if m := mustManifest(t, dir); m.HasPasskey() || m.Passkey != nil || strings.Contains(read(t, yaml), "passkey") {
		t.Errorf("authgen.yaml still has passkeys:\n%s", read(t, yaml))
	}
	if src := read(t, authGen); strings.Contains(src, passkeyModule) {
		t.Errorf("auth_gen.go still imports %s", passkeyModule)
	}
	goTest(t, dir)
}

// TestPasskeyRefusals: passkeys are refused, changing nothing, without a
// database, under another id, or as the only provider of a new project.
func TestPasskeyRefusals(t *testing.T) {
	dir := initProject(t, "--db", "none", "--session", "jwt", "--providers", "github")
	before := read(t, filepath.Join(dir, manifest.File))
	if code, _, errOut := authgen(t, dir, "add", "provider", "passkey"); code != cli.ExitError || !strings.Contains(errOut, "passkeys need a database, which keeps each user's passkeys, and authgen.yaml has database: none") {
		t.Errorf("add provider passkey without a database: %d\n%s", code, errOut)
	}
	if code, _, errOut := authgen(t, dir, "add", "provider", "passkey", "--id", "webauthn"); code != cli.ExitUsage || !strings.Contains(errOut, "passkeys' id is always passkey") {
		t.Errorf("add provider passkey --id: %d\n%s", code, errOut)
	}
	if after := read(t, filepath.Join(dir, manifest.File)); after != before {
		t.Errorf("authgen.yaml changed:\n%s", after)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", "none", "--session", "jwt", "--providers", "github,passkey"}, "--providers passkey needs a database"},
		{[]string{"--providers", "passkey"}, "--providers passkey alone"},
	} {
		empty := t.TempDir()
		args := append([]string{"init", "--module", "example.com/app", "--yes", "--skip-tidy"}, c.args...)
		if code, _, errOut := authgen(t, empty, args...); code != cli.ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("init %v: %d\n%s", c.args, code, errOut)
		}
		if _, err := os.Stat(filepath.Join(empty, manifest.File)); err == nil {
			t.Errorf("init %v wrote authgen.yaml", c.args)
		}
	}
}

// TestCustomStoreOptionalInterfaces: with database custom, the scaffold of
// a project with two-factor sign-in and passkeys carries stubs of
// store.TwoFactors and store.Passkeys, so the project builds and vets;
// when passkeys come after the scaffold, which authgen never rewrites,
// add provider and generate name each method it must gain.
func TestCustomStoreOptionalInterfaces(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated module")
	}
	dir := initProject(t, "--skip-migrate", "--db", "sqlite", "--session", "database")
	yaml := filepath.Join(dir, manifest.File)
	if err := os.WriteFile(yaml, []byte(read(t, yaml)+"twoFactor: optional\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := authgen(t, dir, "add", "provider", "passkey", "--skip-tidy"); code != 0 {
		t.Fatalf("add provider passkey: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := authgen(t, dir, "add", "adapter", "custom"); code != 0 {
		t.Fatalf("add adapter custom: %d\n%s\n%s", code, out, errOut)
	}
	store := read(t, filepath.Join(dir, "auth", "store.go"))
	for _, want := range []string{
		"var _ store.TwoFactors = (*CustomStore)(nil)",
		"var _ store.Passkeys = (*CustomStore)(nil)",
		`func (s *CustomStore) BeginTwoFactor(ctx context.Context, userID, sealedSecret string, now time.Time) error {
	return fmt.Errorf("%w: BeginTwoFactor", errors.ErrUnsupported)`,
		`func (s *CustomStore) GetPasskey(ctx context.Context, id string) (*store.Passkey, error) {
	return nil, fmt.Errorf("%w: GetPasskey", errors.ErrUnsupported)`,
	} {
		if !strings.Contains(store, want) {
			t.Errorf("store.go lacks %q", want)
		}
	}
	if strings.Contains(store, "panic(") {
		t.Error("store.go panics")
	}
	gentest.WriteGoMod(t, dir, generator.Spec{Module: "example.com/app", Manifest: mustManifest(t, dir)})
	gentest.Go(t, dir, nil, "vet", "./...")
	gentest.Go(t, dir, nil, "build", "./...")

	// Passkeys after the scaffold: store.go stays the user's, and what it
	// lacks is named.
	dir = initProject(t, "--skip-migrate", "--db", "sqlite", "--session", "database")
	if code, out, errOut := authgen(t, dir, "add", "adapter", "custom"); code != 0 {
		t.Fatalf("add adapter custom: %d\n%s\n%s", code, out, errOut)
	}
	storePath := filepath.Join(dir, "auth", "store.go")
	scaffold := read(t, storePath)
	code, out, errOut := authgen(t, dir, "add", "provider", "passkey", "--skip-tidy")
	if code != 0 {
		t.Fatalf("add provider passkey: %d\n%s\n%s", code, out, errOut)
	}
	wantHint := []string{"auth/store.go is yours", "needs CustomStore to implement store.Passkeys",
		"  func (s *CustomStore) CreatePasskey(ctx context.Context, p store.Passkey) error\n",
		"  func (s *CustomStore) DeletePasskey(ctx context.Context, userID, id string) error\n"}
	for _, want := range wantHint {
		if !strings.Contains(out, want) {
			t.Errorf("add provider passkey's output lacks %q:\n%s", want, out)
		}
	}
	if read(t, storePath) != scaffold {
		t.Error("add provider passkey rewrote auth/store.go")
	}
	code, out, errOut = authgen(t, dir, "generate")
	if code != 0 {
		t.Fatalf("generate: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range wantHint {
		if !strings.Contains(errOut, want) {
			t.Errorf("generate's output lacks %q:\n%s", want, errOut)
		}
	}
	// The project builds without them: the application names
	// store.Passkeys when it starts.
	gentest.WriteGoMod(t, dir, generator.Spec{Module: "example.com/app", Manifest: mustManifest(t, dir)})
	gentest.Go(t, dir, nil, "build", "./...")
}
