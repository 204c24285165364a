package keys_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/keys"
)

// TestExposedFile: a key file readable by group or others is still read,
// and its Warning (and CheckFile) names the file, its mode and the fix; a
// file of mode 0600, and a set from the environment, have no warning.
func TestExposedFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not describe Windows permissions")
	}
	path := filepath.Join(t.TempDir(), keys.DefaultFile)
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := ks.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o600, 0o400, 0o640, 0o604, 0o644} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		read, err := keys.ReadFile(path)
		if err != nil {
			t.Fatalf("mode %04o: %v", mode, err)
		}
		warnings := map[string]error{"Warning": read.Warning(), "CheckFile": keys.CheckFile(path)}
		for what, w := range warnings {
			if mode&0o077 == 0 {
				if w != nil {
					t.Errorf("mode %04o: %s = %v", mode, what, w)
				}
				continue
			}
			if !errors.Is(w, keys.ErrExposed) {
				t.Fatalf("mode %04o: %s = %v, want ErrExposed", mode, what, w)
			}
			msg := w.Error()
			for _, want := range []string{path, fmt.Sprintf("mode %04o", mode), "chmod 600 " + path} {
				if !strings.Contains(msg, want) {
					t.Errorf("mode %04o: %s %q lacks %q", mode, what, msg, want)
				}
			}
		}
	}

	t.Setenv(keys.EnvKeysFile, path)
	if read, source, err := keys.Load(os.Getenv); err != nil || source != path || read.Warning() == nil {
		t.Errorf("Load from an exposed AUTH_KEYS_FILE: source %q, warning %v, err %v", source, read.Warning(), err)
	}
	data, _ := ks.MarshalCompact()
	t.Setenv(keys.EnvKeys, string(data))
	if read, _, err := keys.Load(os.Getenv); err != nil || read.Warning() != nil {
		t.Errorf("Load from AUTH_KEYS: warning %v, err %v", read.Warning(), err)
	}
	if err := keys.CheckFile(filepath.Join(t.TempDir(), "missing.json")); err != nil {
		t.Errorf("CheckFile of a missing file: %v", err)
	}
}
