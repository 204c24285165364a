package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGenerateWritesNewMigrations: a project of the release before
// authgen's second migration — 00001_authgen.sql only, or with a migration
// of its own numbered 00002 — gets the new migration from `authgen
// generate`, numbered after its newest one, and its own files unchanged;
// generating again changes nothing.
func TestGenerateWritesNewMigrations(t *testing.T) {
	for _, c := range []struct {
		name string
		own  map[string]string
		want []string
	}{
		{"authgen's only", nil, []string{"00001_authgen.sql", "00002_authgen_session_provider.sql"}},
		{"with one of its own", map[string]string{"00002_roles.sql": "-- +goose Up\nCREATE TABLE roles (id TEXT);\n"},
			[]string{"00001_authgen.sql", "00002_roles.sql", "00003_authgen_session_provider.sql"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := initProject(t, "--skip-migrate", "--db", "sqlite")
			migrations := filepath.Join(dir, "auth", "migrations")
			first := read(t, filepath.Join(migrations, "00001_authgen.sql"))
			// What the release before wrote.
			if err := os.Remove(filepath.Join(migrations, "00002_authgen_session_provider.sql")); err != nil {
				t.Fatal(err)
			}
			for name, src := range c.own {
				if err := os.WriteFile(filepath.Join(migrations, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			code, out, errOut := authgen(t, dir, "generate")
			if code != 0 {
				t.Fatalf("generate: %d\n%s\n%s", code, out, errOut)
			}
			added := c.want[len(c.want)-1]
			if !strings.Contains(out, "created auth/migrations/"+added) {
				t.Errorf("generate's output does not say it created %s:\n%s", added, out)
			}
			entries, err := os.ReadDir(migrations)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("auth/migrations holds %v, want %v", got, c.want)
			}
			if read(t, filepath.Join(migrations, "00001_authgen.sql")) != first {
				t.Error("00001_authgen.sql changed")
			}
			for name, src := range c.own {
				if read(t, filepath.Join(migrations, name)) != src {
					t.Errorf("the project's own %s changed", name)
				}
			}
			if !strings.Contains(read(t, filepath.Join(migrations, added)), "ADD COLUMN provider") {
				t.Errorf("%s is not the provider migration", added)
			}

			if code, out, errOut := authgen(t, dir, "generate"); code != 0 || strings.Contains(out, "migrations/") && strings.Contains(out, "created") {
				t.Errorf("generate again: %d\n%s\n%s", code, out, errOut)
			}
		})
	}
}
