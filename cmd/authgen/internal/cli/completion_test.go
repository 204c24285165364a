package cli_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
)

// complete asks authgen for the completions of args as a shell does
// (`authgen __complete ARGS… PARTIAL`) and returns the values (without
// descriptions) and the directive line.
func complete(t *testing.T, dir string, args ...string) ([]string, string) {
	t.Helper()
	code, out, errOut := authgen(t, dir, append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %q: %d %s", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var values []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, lines[len(lines)-1]
}

// TestCompletion: provider ids for init --providers (each item of the
// list), add provider and providers; init's enumerated flags' values; and
// the providers authgen.yaml configures for remove provider.
func TestCompletion(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"init", "--db", ""}, []string{"sqlite", "postgres", "mysql", "mongodb", "none"}, nil},
		{[]string{"init", "--session", ""}, []string{"database", "jwt"}, nil},
		{[]string{"init", "--token", ""}, []string{"signed", "encrypted"}, nil},
		{[]string{"init", "--session-store", ""}, []string{"database", "redis"}, nil},
		{[]string{"init", "--providers", "git"}, []string{"github", "gitlab", "gitea"}, []string{"google"}},
		{[]string{"init", "--providers", "github,goo"}, []string{"github,google"}, []string{"github,github"}},
		{[]string{"init", "--providers", "github,"}, []string{"github,google", "github,oidc"}, []string{"github,github"}},
		{[]string{"add", "provider", "azure"}, []string{"azure-ad", "azure-ad-b2c", "azure-devops"}, []string{"github"}},
		{[]string{"providers", "ok"}, []string{"okta"}, nil},
	}
	for _, tt := range tests {
		got, directive := complete(t, empty, tt.args...)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %q lacks %q", tt.args, got, w)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(got, n) {
				t.Errorf("%q: %q has %q", tt.args, got, n)
			}
		}
		if directive == ":0" {
			t.Errorf("%q: directive %s lets the shell complete file names", tt.args, directive)
		}
	}
	if _, directive := complete(t, empty, "init", "--providers", "git"); directive != ":6" {
		t.Errorf("--providers directive %s, want :6 (no space after an id, so the list goes on; no files)", directive)
	}
	if _, _, errOut := authgen(t, empty, "__complete", "init", "--providers", "git"); errOut != "" && !strings.Contains(errOut, "Completion ended") {
		t.Errorf("stderr: %s", errOut)
	}

	// remove provider: the providers configured, none outside a project.
	if got, _ := complete(t, empty, "remove", "provider", ""); len(got) != 0 {
		t.Errorf("outside a project: %q", got)
	}
	dir := jwtProject(t)
	if code, _, errOut := authgen(t, dir, "add", "provider", "google", "--skip-tidy"); code != 0 {
		t.Fatal(errOut)
	}
	if got, _ := complete(t, dir, "remove", "provider", ""); !slices.Equal(got, []string{"github", "google"}) {
		t.Errorf("remove provider: %q, want github and google", got)
	}
	if got, _ := complete(t, dir, "remove", "provider", "go"); !slices.Equal(got, []string{"google"}) {
		t.Errorf("remove provider go: %q", got)
	}
	if got, _ := complete(t, dir, "remove", "provider", "google", ""); len(got) != 0 {
		t.Errorf("a second argument: %q", got)
	}
}

// TestCompletionScripts: every shell gets a script that completes authgen.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, errOut := authgen(t, t.TempDir(), "completion", shell)
		if code != cli.ExitOK || !strings.Contains(out, "authgen") || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: %d %s\n%.300s", shell, code, errOut, out)
		}
	}
}
