package cli_test

import (
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
)

// TestMigrateStatusExitCode: `migrate --status` exits 3 while migrations
// are pending and 0 once the database is up to date, changing nothing.
func TestMigrateStatusExitCode(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := initProject(t, "--skip-migrate") // SQLite, no database yet
	code, out, errOut := authgen(t, dir, "migrate", "--status")
	if code != cli.ExitPending || !strings.Contains(out, "pending") || !strings.Contains(errOut, "migrations pending") || !strings.Contains(errOut, "authgen migrate") {
		t.Fatalf("status before migrating: exit %d, want %d\n%s\n%s", code, cli.ExitPending, out, errOut)
	}
	if code, _, errOut := authgen(t, dir, "migrate", "--status"); code != cli.ExitPending {
		t.Fatalf("status changed the database: exit %d %s", code, errOut)
	}
	if code, out, errOut := authgen(t, dir, "migrate"); code != 0 {
		t.Fatalf("migrate: %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = authgen(t, dir, "migrate", "--status")
	if code != cli.ExitOK || strings.Contains(out, "pending") || errOut != "" {
		t.Errorf("status after migrating: exit %d\n%s\n%s", code, out, errOut)
	}
}
