package server_test

import (
	"bytes"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
)

// TestNewWarnsOfExposedKeys: an application whose key file is readable by
// group or others logs one warning at start naming the file, its mode and
// the fix; with mode 0600 it logs nothing.
func TestNewWarnsOfExposedKeys(t *testing.T) {
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
	start := func() string {
		t.Helper()
		read, err := keys.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		_, err = server.New(server.Config{
			URL:    &url.URL{Scheme: "http", Host: "localhost:3000"},
			Keys:   read,
			Logger: slog.New(slog.NewTextHandler(&log, nil)),
		})
		if err != nil {
			t.Fatal(err)
		}
		return log.String()
	}
	if log := start(); log != "" {
		t.Errorf("mode 0600 logged:\n%s", log)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	log := start()
	if strings.Count(log, "\n") != 1 || !strings.Contains(log, "level=WARN") {
		t.Fatalf("want one warning, logged:\n%s", log)
	}
	for _, want := range []string{path, "mode 0644", "chmod 600 " + path} {
		if !strings.Contains(log, want) {
			t.Errorf("warning lacks %q:\n%s", want, log)
		}
	}
}
