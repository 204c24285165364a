package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/ldap"
)

// TestInitSignInForms: init --providers takes the sign-in forms; its next
// steps name LDAP's required variables (from runtime/ldap's table) and
// credentials.go, .env.example has them, and a label of no field in
// authgen.yaml is refused naming the key, changing nothing.
func TestInitSignInForms(t *testing.T) {
	t.Setenv("AUTH_URL", "")
	dir := t.TempDir()
	code, out, errOut := authgen(t, dir, "init", "--module", "example.com/app", "--providers", "github,credentials,ldap",
		"--db", "none", "--session", "jwt", "--token", "encrypted", "--yes", "--skip-tidy")
	if code != 0 {
		t.Fatalf("init: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{ldap.EnvURL, ldap.EnvBaseDN, "auth/credentials.go's findUser"} {
		if !strings.Contains(out, want) {
			t.Errorf("next steps lack %s:\n%s", want, out)
		}
	}
	example := read(t, filepath.Join(dir, ".env.example"))
	for _, v := range ldap.Vars() {
		if !strings.Contains(example, "\n"+v.Name+"=") {
			t.Errorf(".env.example lacks %s", v.Name)
		}
	}
	for _, f := range []string{"auth/credentials.go", "auth/provider_credentials_gen.go", "auth/provider_ldap_gen.go"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}

	path := filepath.Join(dir, "authgen.yaml")
	before := read(t, path)
	bad := strings.Replace(before, "  - id: ldap\n", "  - id: ldap\n    labels: {user: Staff ID}\n", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	gen := read(t, filepath.Join(dir, "auth/provider_ldap_gen.go"))
	code, _, errOut = authgen(t, dir, "generate")
	if code == 0 || !strings.Contains(errOut, "providers[2].labels.user") || !strings.Contains(errOut, "its fields are username, password") {
		t.Errorf("generate with a label of no field: %d %s", code, errOut)
	}
	if read(t, filepath.Join(dir, "auth/provider_ldap_gen.go")) != gen {
		t.Error("a refused generate changed provider_ldap_gen.go")
	}
}
