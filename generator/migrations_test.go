package generator_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
)

// TestMigrationNumbers: a new project gets authgen's migrations under their
// own numbers; a project that has some keeps them, and gets the missing
// ones after its newest migration, so that a migration of its own never
// shares a version with authgen's and none is older than what its database
// has applied.
func TestMigrationNumbers(t *testing.T) {
	for _, c := range []struct {
		name     string
		existing []string
		want     []string
	}{
		{"new project", nil, []string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql", "00007_authgen_passkeys.sql"}},
		{"project of the release before the session provider", []string{"00001_authgen.sql"},
			[]string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql", "00007_authgen_passkeys.sql"}},
		{"project of the release before the session lifecycle", []string{"00001_authgen.sql", "00002_authgen_session_provider.sql"},
			[]string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql", "00007_authgen_passkeys.sql"}},
		{"project of the release before e-mail sign-in", []string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql"},
			[]string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql", "00007_authgen_passkeys.sql"}},
		{"project of the release before accounts' link time", []string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql"},
			[]string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql", "00007_authgen_passkeys.sql"}},
		{"project of the release before two-factor sign-in", []string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql"},
			[]string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql", "00007_authgen_passkeys.sql"}},
		{"project of the release before passkeys", []string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql"},
			[]string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_authgen_session_lifecycle.sql", "00004_authgen_verification_attempts.sql", "00005_authgen_account_linked_at.sql", "00006_authgen_two_factor.sql", "00007_authgen_passkeys.sql"}},
		{"project with a migration of its own", []string{"00001_authgen.sql", "00002_add_roles.sql", "README.md"},
			[]string{"00001_authgen.sql", "00003_authgen_session_provider.sql", "00004_authgen_session_lifecycle.sql", "00005_authgen_verification_attempts.sql", "00006_authgen_account_linked_at.sql", "00007_authgen_two_factor.sql", "00008_authgen_passkeys.sql"}},
		{"up to date, with its own after", []string{"00001_authgen.sql", "00002_add_roles.sql", "00003_authgen_session_provider.sql", "00004_more.sql", "00005_authgen_session_lifecycle.sql", "00006_authgen_verification_attempts.sql", "00007_authgen_account_linked_at.sql"},
			[]string{"00001_authgen.sql", "00003_authgen_session_provider.sql", "00005_authgen_session_lifecycle.sql", "00006_authgen_verification_attempts.sql", "00007_authgen_account_linked_at.sql", "00008_authgen_two_factor.sql", "00009_authgen_passkeys.sql"}},
		{"its own after the provider migration", []string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00003_roles.sql"},
			[]string{"00001_authgen.sql", "00002_authgen_session_provider.sql", "00004_authgen_session_lifecycle.sql", "00005_authgen_verification_attempts.sql", "00006_authgen_account_linked_at.sql", "00007_authgen_two_factor.sql", "00008_authgen_passkeys.sql"}},
		{"timestamped migrations", []string{"00001_authgen.sql", "20250101120000_roles.sql"},
			[]string{"00001_authgen.sql", "20250101120001_authgen_session_provider.sql", "20250101120002_authgen_session_lifecycle.sql", "20250101120003_authgen_verification_attempts.sql", "20250101120004_authgen_account_linked_at.sql", "20250101120005_authgen_two_factor.sql", "20250101120006_authgen_passkeys.sql"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: manifest.DBSQLite, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned})
			if err != nil {
				t.Fatal(err)
			}
			files, err := generator.Generate(generator.Spec{Module: "example.com/app", Manifest: m, Migrations: c.existing})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				if name, ok := strings.CutPrefix(f.Path, "auth/migrations/"); ok {
					got = append(got, name)
					if f.Kind != generator.Scaffold {
						t.Errorf("%s is %s, want scaffold", f.Path, f.Kind)
					}
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("migrations %v, want %v", got, c.want)
			}
		})
	}
}

func TestMigrationNames(t *testing.T) {
	m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: manifest.DBPostgres, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned})
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"auth/migrations/00001_authgen.sql": {},
		"auth/migrations/00002_mine.sql":    {},
		"auth/migrations/old/00001_x.sql":   {},
		"auth/auth_gen.go":                  {},
	}
	got, err := generator.MigrationNames(fsys, m)
	if err != nil || !slices.Equal(got, []string{"00001_authgen.sql", "00002_mine.sql"}) {
		t.Errorf("MigrationNames = %v, %v", got, err)
	}
	if got, err := generator.MigrationNames(fstest.MapFS{}, m); err != nil || got != nil {
		t.Errorf("MigrationNames without the directory = %v, %v; want none", got, err)
	}
}
