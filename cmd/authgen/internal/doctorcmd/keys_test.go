package doctorcmd

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
)

// TestCheckKeysFromRoot: the key file is found as the app, run at the
// project root, finds it — AUTH_KEYS_FILE or authgen.keys.json relative to
// the root, whatever doctor's working directory — and AUTH_KEYS wins.
func TestCheckKeysFromRoot(t *testing.T) {
	root := t.TempDir()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "secrets"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := ks.WriteFile(filepath.Join(root, "secrets", "keys.json")); err != nil {
		t.Fatal(err)
	}
	compact, err := ks.MarshalCompact()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		env    map[string]string
		status Status
		from   string // the keys check's message names it
	}{
		{"AUTH_KEYS_FILE relative to the root", map[string]string{keys.EnvKeysFile: "secrets/keys.json"}, OK, filepath.Join(root, "secrets", "keys.json")},
		{"no authgen.keys.json at the root", nil, Fail, filepath.Join(root, keys.DefaultFile)},
		{"AUTH_KEYS wins", map[string]string{keys.EnvKeys: string(compact), keys.EnvKeysFile: "missing.json"}, OK, keys.EnvKeys},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(name string) (string, bool) { v, ok := tc.env[name]; return v, ok }
			d := &doctor{o: Options{Root: root, Lookup: lookup, Now: time.Now}, getenv: func(name string) string { return tc.env[name] }}
			d.checkKeys()
			c := d.checks[0]
			if c.ID != "keys" || c.Status != tc.status || !containsAll(c.Message, []string{tc.from}) {
				t.Errorf("%+v, want %s naming %s", c, tc.status, tc.from)
			}
		})
	}
}
