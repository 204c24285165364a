package e2e

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/internal/integration/testsvc"
)

// doctorCheck is one finding of `authgen doctor --json`.
type doctorCheck struct {
	ID, Status, Message, Fix string
}

// doctor runs `authgen doctor --json` in dir with env and returns its exit
// code and the database check.
func doctor(t *testing.T, dir string, env []string) (int, doctorCheck) {
	t.Helper()
	cmd := exec.Command(authgen(t), "doctor", "--json")
	cmd.Dir = dir
	cmd.Env = append(bareEnviron(), env...)
	out, err := cmd.Output()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	var r struct{ Checks []doctorCheck }
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("doctor --json: exit %d, %v\n%s", code, err, out)
	}
	for _, c := range r.Checks {
		if c.ID == "database" {
			return code, c
		}
	}
	t.Fatalf("doctor --json has no database check:\n%s", out)
	return 0, doctorCheck{}
}

// TestDoctorDatabases: doctor against real PostgreSQL and MongoDB
// (FerretDB): a database never migrated fails naming `authgen migrate`
// (fine with AUTH_AUTO_MIGRATE=true), and after `authgen migrate` the
// project is healthy.
func TestDoctorDatabases(t *testing.T) {
	for _, tc := range []struct {
		db   string
		url  func(t *testing.T) string
		tidy bool // MongoDB's check builds the project's store
	}{
		{"postgres", func(t *testing.T) string { return testsvc.PostgreSQL(t).CreateDB(t, "app") }, false},
		{"mongodb", func(t *testing.T) string { return testsvc.Mongo(t).URL() + "app" }, true},
	} {
		t.Run(tc.db, func(t *testing.T) {
			dbURL := tc.url(t)
			dir := filepath.Join(t.TempDir(), "app")
			args := []string{"init", "app", "--module", "example.com/app", "--providers", "github", "--db", tc.db, "--session", "database", "--token", "signed"}
			if !tc.tidy {
				args = append(args, "--skip-tidy")
			}
			run(t, filepath.Dir(dir), nil, authgen(t), args...)
			env := []string{"AUTH_GITHUB_ID=id", "AUTH_GITHUB_SECRET=secret", "DATABASE_URL=" + dbURL}

			code, c := doctor(t, dir, env)
			if code != 1 || c.Status != "fail" || !strings.Contains(c.Message, "not migrated") || !strings.Contains(c.Fix, "authgen migrate") {
				t.Fatalf("never migrated: exit %d %+v", code, c)
			}
			if code, c := doctor(t, dir, append(env, "AUTH_AUTO_MIGRATE=true")); code != 0 || c.Status != "ok" || !strings.Contains(c.Message, "AUTH_AUTO_MIGRATE=true") {
				t.Errorf("never migrated, AUTH_AUTO_MIGRATE=true: exit %d %+v", code, c)
			}
			run(t, dir, env, authgen(t), "migrate")
			if code, c := doctor(t, dir, env); code != 0 || c.Status != "ok" || !strings.Contains(c.Message, "has every migration") {
				t.Errorf("after migrate: exit %d %+v", code, c)
			}
		})
	}
}
