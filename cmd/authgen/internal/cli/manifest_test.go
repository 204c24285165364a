package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/generator/manifest"
)

// TestGenerateRefusesABadManifest: with a mistake in authgen.yaml,
// generate (and generate --check) exits 1 with the file, line, key and fix,
// and changes no file.
func TestGenerateRefusesABadManifest(t *testing.T) {
	dir := jwtProject(t)
	path := filepath.Join(dir, manifest.File)
	good := read(t, path)
	tests := []struct {
		name string
		add  string // appended to the manifest
		edit [2]string
		want []string
	}{
		{name: "unknown key", edit: [2]string{"\ndatabase: none", "\ndatabse: none"}, want: []string{"databse: unknown key (did you mean database?)"}},
		{name: "bad value", edit: [2]string{"token: signed", "token: sigend"}, want: []string{"session.token:", "did you mean signed?"}},
		{name: "bad duration", add: "session2: x\n", edit: [2]string{"  token: signed\n", "  token: signed\n  maxAge: 30 days\n"}, want: []string{"session.maxAge:", "not a Go duration", "session2: unknown key (did you mean session?)"}},
		{name: "bad colour", add: "theme:\n  brand: \"red;}\"\n", want: []string{"theme.brand:", "is not a CSS colour"}},
		{name: "foreign page", add: "pages:\n  signIn: https://evil.example/login\n", want: []string{"pages.signIn:", "not a path on this site"}},
		{name: "bad origin", add: "trustedOrigins: [app.example.com]\n", want: []string{"trustedOrigins[0]:", "is not an origin"}},
		{name: "provider not in the catalog", edit: [2]string{"- id: github", "- id: githbu"}, want: []string{"providers[0].id:", "did you mean github?"}},
		{name: "scopes without openid", edit: [2]string{"- id: github", "- id: google\n    scopes: [email]"}, want: []string{"providers[0].scopes:", "must include openid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := good + tt.add
			if tt.edit[0] != "" {
				if !strings.Contains(bad, tt.edit[0]) {
					t.Fatalf("the manifest lacks %q:\n%s", tt.edit[0], bad)
				}
				bad = strings.Replace(bad, tt.edit[0], tt.edit[1], 1)
			}
			if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.WriteFile(path, []byte(good), 0o644) })
			before := snapshot(t, dir)
			for _, args := range [][]string{{"generate"}, {"generate", "--check"}} {
				code, out, errOut := authgen(t, dir, args...)
				if code != cli.ExitError {
					t.Errorf("%v: exit %d, want %d\n%s%s", args, code, cli.ExitError, out, errOut)
				}
				if !strings.Contains(errOut, manifest.File+":") {
					t.Errorf("%v: the error does not name the file and line: %s", args, errOut)
				}
				for _, w := range tt.want {
					if !strings.Contains(errOut, w) {
						t.Errorf("%v: stderr lacks %q:\n%s", args, w, errOut)
					}
				}
			}
			sameTree(t, before, snapshot(t, dir))
		})
	}
}
