package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
	"github.com/authgen/authgen/internal/integration/testsvc"
)

// TestProjectTestsOnServers: the tests init writes into a project whose
// database runs as a server (PostgreSQL, MariaDB, MongoDB, and Redis for
// sessions) skip without TEST_DATABASE_URL (and TEST_REDIS_URL), and pass
// with them, against a real server, twice on the same database (the
// second run finds the tables and the users of the first).
func TestProjectTestsOnServers(t *testing.T) {
	for _, c := range []struct {
		golden string
		env    func(t *testing.T) []string
	}{
		{"postgres-database", func(t *testing.T) []string {
			return []string{"TEST_DATABASE_URL=" + testsvc.PostgreSQL(t).CreateDB(t, "projecttests")}
		}},
		{"mysql-jwt", func(t *testing.T) []string {
			return []string{"TEST_DATABASE_URL=" + testsvc.MariaDB(t).CreateDB(t, "projecttests")}
		}},
		{"mongodb-database", func(t *testing.T) []string {
			return []string{"TEST_DATABASE_URL=" + testsvc.Mongo(t).URL() + "projecttests"}
		}},
		{"redis-sessions", func(t *testing.T) []string {
			return []string{"TEST_DATABASE_URL=" + testsvc.PostgreSQL(t).CreateDB(t, "projecttests"), "TEST_REDIS_URL=" + testsvc.Redis(t).URL()}
		}},
	} {
		t.Run(c.golden, func(t *testing.T) {
			m, err := manifest.Read(filepath.Join(repoRoot(t), "testdata", "golden", c.golden, manifest.File))
			if err != nil {
				t.Fatal(err)
			}
			spec := generator.Spec{Module: "example.com/" + c.golden, Manifest: m, Tests: true}
			files, err := generator.Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			gentest.WriteModule(t, dir, spec, files)
			gentest.Go(t, dir, nil, "mod", "tidy")

			res, stderr, err := gentest.Test(dir, []string{"TEST_DATABASE_URL=", "TEST_REDIS_URL="}, "-count=1", "./...")
			for _, name := range []string{"TestSignIn/github", "TestRequire", "TestSignOut", "TestForgedCookie"} {
				if r := res.Tests[name]; err != nil || r == nil || r.Action != "skip" || !strings.Contains(r.Output.String(), "TEST_DATABASE_URL is not set") {
					t.Fatalf("without the servers, %s does not skip: %v\n%s%s", name, err, stderr, res.Other)
				}
			}

			env := c.env(t)
			for run := 1; run <= 2; run++ {
				res, stderr, err := gentest.Test(dir, env, "-count=1", "./...")
				for _, name := range []string{"TestSignIn", "TestSignIn/github", "TestRequire", "TestSignOut", "TestForgedCookie"} {
					if r := res.Tests[name]; r == nil || r.Action != "pass" {
						var out string
						if r != nil {
							out = r.Output.String()
						}
						t.Errorf("run %d: %s did not pass:\n%s", run, name, out)
					}
				}
				if err != nil || t.Failed() {
					t.Fatalf("run %d: go test ./...: %v\n%s%s", run, err, stderr, res.Other)
				}
			}
		})
	}
}
