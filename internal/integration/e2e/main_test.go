package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/authgen/authgen/internal/integration/chromium"
)

// TestMain runs the tests without the checksum database — authgen init's
// go mod tidy and the builds of generated projects need only the module
// proxy — and removes the authgen binary built for the run and stops the
// Chromium the browser tests shared.
func TestMain(m *testing.M) {
	os.Setenv("GOSUMDB", "off")
	code := m.Run()
	chromium.Close()
	if authgenBin != "" {
		os.RemoveAll(filepath.Dir(authgenBin))
	}
	os.Exit(code)
}
