package cli_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
)

// TestKeysFileReadableByOthers: every command that reads the project's key
// set warns when its file is readable by group or others, naming the file,
// its mode and the fix; the commands still work. Rewriting the set (keys
// rotate) leaves it at mode 0600.
func TestKeysFileReadableByOthers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not describe Windows permissions")
	}
	dir := jwtProject(t)
	path := filepath.Join(dir, keys.DefaultFile)
	if code, _, errOut := authgen(t, dir, "keys", "list"); code != 0 || errOut != "" {
		t.Fatalf("keys list at mode 0600: %d %q", code, errOut)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"keys", "list"},
		{"keys", "export"},
		{"keys", "prune"},
		{"generate"},
		{"init", "--force", "--yes", "--skip-tidy", "--skip-migrate", "--db", "none", "--session", "jwt"},
		{"keys", "rotate"},
	} {
		code, out, errOut := authgen(t, dir, args...)
		if code != 0 {
			t.Fatalf("%q: exit %d\n%s\n%s", args, code, out, errOut)
		}
		for _, want := range []string{"warning:", path, "mode 0644", "chmod 600 " + path} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%q: stderr lacks %q:\n%s", args, want, errOut)
			}
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("after keys rotate: %v %v", fi.Mode(), err)
	}
	if code, _, errOut := authgen(t, dir, "keys", "list"); code != 0 || errOut != "" {
		t.Errorf("keys list after rotate: %d %q", code, errOut)
	}
}

// TestKeysRotateKeep: the replaced keys verify for the session maxAge of
// authgen.yaml unless --keep says otherwise; a shorter --keep warns that
// sessions end sooner, and --keep 0s ends them now (prune then removes the
// keys).
func TestKeysRotateKeep(t *testing.T) {
	dir := jwtProject(t)
	path := filepath.Join(dir, "authgen.yaml")
	m := read(t, path)
	os.WriteFile(path, []byte(strings.Replace(m, "session:\n", "session:\n  maxAge: 2160h\n", 1)), 0o644)

	code, out, errOut := authgen(t, dir, "keys", "rotate")
	if code != 0 || errOut != "" {
		t.Fatalf("rotate: %d %s", code, errOut)
	}
	ks, err := keys.ReadFile(filepath.Join(dir, keys.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks.Keys() {
		if !k.Active() && time.Until(k.Expires) < 2159*time.Hour {
			t.Errorf("replaced key verifies until %s, not for the manifest's maxAge 2160h\n%s", k.Expires, out)
		}
	}

	if code, _, errOut := authgen(t, dir, "keys", "rotate", "--keep", "24h"); code != 0 || !strings.Contains(errOut, "warning: --keep 24h0m0s is shorter than the session maxAge (2160h0m0s)") {
		t.Errorf("rotate --keep 24h: %d %q", code, errOut)
	}
	if code, _, errOut := authgen(t, dir, "keys", "rotate", "--keep", "0s"); code != 0 {
		t.Fatalf("rotate --keep 0s: %d %s", code, errOut)
	}
	if code, out, _ := authgen(t, dir, "keys", "prune"); code != 0 || !strings.Contains(out, "pruned 2") {
		t.Errorf("prune after --keep 0s: %d %s", code, out)
	}
}
