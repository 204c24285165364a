package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGenerateWritesNewMigrations: a project of a release before one of
// authgen's migrations — 00001_authgen.sql only, or up to
// 00002_authgen_session_provider.sql, or with a migration of its own
// numbered 00002 — gets the new migrations from `authgen generate`,
// numbered after its newest one, and its own files unchanged; generating
// again changes nothing.
func TestGenerateWritesNewMigrations(t *testing.T) {
	const (
		provider  = "00002_authgen_session_provider.sql"
		lifecycle = "00003_authgen_session_lifecycle.sql"
		attempts  = "00004_authgen_verification_attempts.sql"
		linked    = "00005_authgen_account_linked_at.sql"
		twoFactor = "00006_authgen_two_factor.sql"
		passkeys  = "00007_authgen_passkeys.sql"
	)
	for _, c := range []struct {
		name    string
		removed []string
		own     map[string]string
		want    []string
		// added names the new migrations with what each must hold.
		added map[string]string
	}{
		{"authgen's first only", []string{provider, lifecycle, attempts, linked, twoFactor, passkeys}, nil,
			[]string{"00001_authgen.sql", provider, lifecycle, attempts, linked, twoFactor, passkeys},
			map[string]string{provider: "ADD COLUMN provider", lifecycle: "ADD COLUMN created_at", attempts: "ADD COLUMN attempts", linked: "ADD COLUMN linked_at", twoFactor: "CREATE TABLE auth_two_factors", passkeys: "CREATE TABLE auth_passkeys"}},
		{"up to the session provider", []string{lifecycle, attempts, linked, twoFactor, passkeys}, nil,
			[]string{"00001_authgen.sql", provider, lifecycle, attempts, linked, twoFactor, passkeys},
			map[string]string{lifecycle: "ADD COLUMN created_at", attempts: "ADD COLUMN attempts", linked: "ADD COLUMN linked_at", twoFactor: "CREATE TABLE auth_two_factors", passkeys: "CREATE TABLE auth_passkeys"}},
		{"up to the verification attempts", []string{linked, twoFactor, passkeys}, nil,
			[]string{"00001_authgen.sql", provider, lifecycle, attempts, linked, twoFactor, passkeys},
			map[string]string{linked: "ADD COLUMN linked_at", twoFactor: "CREATE TABLE auth_two_factors", passkeys: "CREATE TABLE auth_passkeys"}},
		{"up to two-factor sign-in", []string{passkeys}, nil,
			[]string{"00001_authgen.sql", provider, lifecycle, attempts, linked, twoFactor, passkeys},
			map[string]string{passkeys: "CREATE TABLE auth_passkeys"}},
		{"with one of its own", []string{provider, lifecycle, attempts, linked, twoFactor, passkeys}, map[string]string{"00002_roles.sql": "-- +goose Up\nCREATE TABLE roles (id TEXT);\n"},
			[]string{"00001_authgen.sql", "00002_roles.sql", "00003_authgen_session_provider.sql", "00004_authgen_session_lifecycle.sql", "00005_authgen_verification_attempts.sql", "00006_authgen_account_linked_at.sql", "00007_authgen_two_factor.sql", "00008_authgen_passkeys.sql"},
			map[string]string{"00003_authgen_session_provider.sql": "ADD COLUMN provider", "00004_authgen_session_lifecycle.sql": "ADD COLUMN created_at", "00005_authgen_verification_attempts.sql": "ADD COLUMN attempts", "00006_authgen_account_linked_at.sql": "ADD COLUMN linked_at", "00007_authgen_two_factor.sql": "CREATE TABLE auth_two_factors", "00008_authgen_passkeys.sql": "CREATE TABLE auth_passkeys"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := initProject(t, "--skip-migrate", "--db", "sqlite")
			migrations := filepath.Join(dir, "auth", "migrations")
			first := read(t, filepath.Join(migrations, "00001_authgen.sql"))
			// What the release before wrote.
			for _, name := range c.removed {
				if err := os.Remove(filepath.Join(migrations, name)); err != nil {
					t.Fatal(err)
				}
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
			for added := range c.added {
				if !strings.Contains(out, "created auth/migrations/"+added) {
					t.Errorf("generate's output does not say it created %s:\n%s", added, out)
				}
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
			for added, holds := range c.added {
				if !strings.Contains(read(t, filepath.Join(migrations, added)), holds) {
					t.Errorf("%s does not hold %q", added, holds)
				}
			}

			if code, out, errOut := authgen(t, dir, "generate"); code != 0 || strings.Contains(out, "migrations/") && strings.Contains(out, "created") {
				t.Errorf("generate again: %d\n%s\n%s", code, out, errOut)
			}
		})
	}
}
