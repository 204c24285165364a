package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/manifest"
)

// TestGenerateRequiresModules: turning on in authgen.yaml a feature whose
// code needs a module of its own (twoFactor: runtime/qrcode) and running
// `authgen generate` requires it in go.mod, as `add provider` does;
// `generate --check` (and `diff`) and doctor name go.mod until then.
func TestGenerateRequiresModules(t *testing.T) {
	dir := initProject(t, "--skip-migrate")
	const qrcode = "github.com/authgen/authgen/runtime/qrcode"
	yaml := filepath.Join(dir, manifest.File)
	if err := os.WriteFile(yaml, []byte(read(t, yaml)+"twoFactor: required\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, r := doctorJSON(t, dir)
	for _, c := range r.Checks {
		if c.ID == "generated" && (c.Status != "fail" || !strings.Contains(c.Message, "go.mod does not provide "+qrcode)) {
			t.Errorf("doctor's generated check with twoFactor on: %+v", c)
		}
	}
	code, out, errOut := authgen(t, dir, "generate", "--check")
	if code != 1 || !strings.Contains(errOut, "go.mod would be updated") || !strings.Contains(out, "+\t"+qrcode+" ") {
		t.Fatalf("generate --check with twoFactor on: %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = authgen(t, dir, "generate", "--skip-tidy")
	if code != 0 || !strings.Contains(out, "updated go.mod") || !strings.Contains(out, "go.mod does not provide "+qrcode+": run `go mod tidy`") {
		t.Fatalf("generate with twoFactor on: %d\n%s\n%s", code, out, errOut)
	}
	mod := read(t, filepath.Join(dir, "go.mod"))
	if !strings.Contains(mod, "\t"+qrcode+" ") || !strings.Contains(mod, "replace "+qrcode+" => ") {
		t.Fatalf("go.mod does not require and replace %s:\n%s", qrcode, mod)
	}
	if code, out, errOut := authgen(t, dir, "generate", "--check"); code != 0 {
		t.Fatalf("generate --check after generate: %d\n%s\n%s", code, out, errOut)
	}
	goTest(t, dir)
}
