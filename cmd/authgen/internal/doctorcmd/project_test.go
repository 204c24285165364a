package doctorcmd

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/cmd/authgen/internal/project"
)

// TestCheckRuntime: go.mod's authgen modules must be where this authgen
// generates for — its released version, or its checkout through replace
// directives — each one (the runtime, its store and mail modules); a build
// without a version cannot tell and warns.
func TestCheckRuntime(t *testing.T) {
	checkout := t.TempDir()
	require := func(v string) string {
		return "module example.com/app\n\ngo 1.26\n\nrequire (\n\tgithub.com/authgen/authgen/runtime " + v + "\n\tgithub.com/authgen/authgen/runtime/email/smtp " + v + "\n)\n"
	}
	replaced := require("v0.0.0-00010101000000-000000000000") +
		"\nreplace github.com/authgen/authgen/runtime => " + filepath.Join(checkout, "runtime") +
		"\n\nreplace github.com/authgen/authgen/runtime/email/smtp => " + filepath.Join(checkout, "runtime", "email", "smtp") + "\n"
	for _, tc := range []struct {
		name   string
		gomod  string
		cli    project.Source
		status Status
		want   []string // in the message, then the fix
	}{
		{"same version", require("v1.2.0"), project.Source{Version: "v1.2.0"}, OK, []string{"v1.2.0"}},
		{"older version", require("v1.1.0"), project.Source{Version: "v1.2.0"}, Fail,
			[]string{"github.com/authgen/authgen/runtime at v1.1.0", "not this authgen's version, v1.2.0", "go get github.com/authgen/authgen/runtime@v1.2.0"}},
		{"one module behind", strings.Replace(require("v1.2.0"), "smtp v1.2.0", "smtp v1.1.0", 1), project.Source{Version: "v1.2.0"}, Fail,
			[]string{"runtime/email/smtp at v1.1.0", "go get"}},
		{"checkout replaced, released CLI", replaced, project.Source{Version: "v1.2.0"}, Fail,
			[]string{filepath.Join(checkout, "runtime"), "drop replace directives"}},
		{"same checkout", replaced, project.Source{Checkout: checkout}, OK, []string{checkout}},
		{"another checkout", replaced, project.Source{Checkout: t.TempDir()}, Fail, []string{"source checkout", "go mod edit -replace"}},
		{"version, checkout CLI", require("v1.2.0"), project.Source{Checkout: checkout}, Fail, []string{"runtime at v1.2.0", "go mod edit -replace"}},
		{"no runtime", "module example.com/app\n\ngo 1.26\n", project.Source{Version: "v1.2.0"}, Fail, []string{"does not require github.com/authgen/authgen/runtime"}},
		{"CLI without version", require("v1.2.0"), project.Source{}, Warn, []string{"no version"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			d := &doctor{o: Options{Root: root, CLI: tc.cli}, p: &project.Project{Root: root, GoMod: []byte(tc.gomod)}}
			d.checkRuntime()
			if len(d.checks) != 1 {
				t.Fatalf("checks: %+v", d.checks)
			}
			c := d.checks[0]
			if c.ID != "runtime" || c.Status != tc.status || (c.Status != OK) != (c.Fix != "") {
				t.Fatalf("%+v", c)
			}
			if text := c.Message + "\n" + c.Fix; !containsAll(text, tc.want) {
				t.Errorf("%+v lacks %q", c, tc.want)
			}
		})
	}
}

// containsAll reports whether s contains every one of subs.
func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
