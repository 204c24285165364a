package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain removes the authgen binary built for the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if authgenBin != "" {
		os.RemoveAll(filepath.Dir(authgenBin))
	}
	os.Exit(code)
}
