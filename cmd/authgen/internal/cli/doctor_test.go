package cli_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/cmd/authgen/internal/doctorcmd"
	"github.com/authgen/authgen/runtime/keys"
)

// doctorEnv are the variables doctor reads that the test's own
// environment must not decide.
var doctorEnv = []string{
	"AUTH_URL", "PORT", "AUTH_KEYS", "AUTH_KEYS_FILE", "DATABASE_URL", "AUTH_AUTO_MIGRATE",
	"AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET", "AUTH_EMAIL_SERVER", "AUTH_EMAIL_FROM",
}

// unsetEnv unsets the variables for the test (t.Setenv restores them).
func unsetEnv(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		t.Setenv(n, "")
		os.Unsetenv(n)
	}
}

// healthyEnv is the .env of a healthy default project (GitHub, e-mail,
// SQLite on http://localhost).
const healthyEnv = "AUTH_GITHUB_ID=client-id\nAUTH_GITHUB_SECRET=client-secret\n"

// healthyProject is `init --yes` (GitHub and e-mail sign-in, SQLite,
// migrated) with the GitHub app's variables in a .env of mode 0600.
func healthyProject(t *testing.T, extra ...string) string {
	t.Helper()
	unsetEnv(t, doctorEnv...)
	dir := initProject(t, extra...)
	writeDotenv(t, dir, healthyEnv)
	return dir
}

func writeDotenv(t *testing.T, dir, content string) {
	t.Helper()
	path := filepath.Join(dir, ".env")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil { // whatever the umask
		t.Fatal(err)
	}
}

// doctorJSON runs doctor --json and parses its report.
func doctorJSON(t *testing.T, dir string, args ...string) (int, doctorcmd.Report) {
	t.Helper()
	code, out, errOut := authgen(t, dir, append([]string{"doctor", "--json"}, args...)...)
	var r doctorcmd.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("doctor --json: exit %d, output does not parse: %v\n%s\n%s", code, err, out, errOut)
	}
	for _, c := range r.Checks {
		if c.ID == "" || c.Message == "" || (c.Status != doctorcmd.OK && c.Status != doctorcmd.Warn && c.Status != doctorcmd.Fail) {
			t.Errorf("check %+v: empty id or message, or status not ok/warn/fail", c)
		}
		if c.Status != doctorcmd.OK && c.Fix == "" {
			t.Errorf("check %s is %s without a fix", c.ID, c.Status)
		}
	}
	return code, r
}

// check returns the report's check id.
func check(t *testing.T, r doctorcmd.Report, id string) doctorcmd.Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", id, r.Checks)
	return doctorcmd.Check{}
}

// TestDoctorHealthy: a fresh project with its provider's variables in .env
// passes every check (exit 0, healthy JSON), and doctor names the callback
// URL to register; a SQLite database not created yet is fine when the app
// migrates at start.
func TestDoctorHealthy(t *testing.T) {
	dir := healthyProject(t)
	code, out, errOut := authgen(t, dir, "doctor")
	if code != cli.ExitOK || errOut != "" || !strings.Contains(out, "no problems found") || strings.Contains(out, "FAIL") || strings.Contains(out, "WARN") {
		t.Fatalf("doctor on a healthy project: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "ok   callback.github: register http://localhost:3000/api/auth/callback/github as the callback URL of the GitHub app at https://github.com/settings/developers") {
		t.Errorf("no callback URL:\n%s", out)
	}
	if strings.Contains(out, "client-secret") {
		t.Error("doctor printed a secret")
	}
	code, r := doctorJSON(t, dir)
	if code != cli.ExitOK || !r.Healthy {
		t.Fatalf("doctor --json: exit %d, %+v", code, r)
	}
	for _, id := range []string{"dotenv", "dotenv.mode", "env.github", "callback.github", "env.app", "keys", "keys.mode", "keys.age", "authurl", "cookies", "database", "generated", "runtime"} {
		if c := check(t, r, id); c.Status != doctorcmd.OK {
			t.Errorf("%s: %+v", id, c)
		}
	}

	// From a subdirectory, as the other verbs.
	if code, _, errOut := authgen(t, filepath.Join(dir, "auth"), "doctor"); code != cli.ExitOK {
		t.Errorf("doctor in auth/: exit %d %s", code, errOut)
	}

	// No database yet, AUTH_AUTO_MIGRATE=true: the app creates it at start.
	if err := os.Remove(filepath.Join(dir, "authgen.db")); err != nil {
		t.Fatal(err)
	}
	writeDotenv(t, dir, healthyEnv+"AUTH_AUTO_MIGRATE=true\n")
	code, r = doctorJSON(t, dir)
	if c := check(t, r, "database"); code != cli.ExitOK || c.Status != doctorcmd.OK || !strings.Contains(c.Message, "AUTH_AUTO_MIGRATE=true") {
		t.Errorf("no database, auto-migrate: exit %d %+v", code, c)
	}
	if _, err := os.Stat(filepath.Join(dir, "authgen.db")); !os.IsNotExist(err) {
		t.Error("doctor created the SQLite database")
	}
}

// TestDoctorFindsProblems: each way a project can be broken is one failing
// (or warning) check, with its message and its fix, in the text and in
// --json; doctor exits 1 for a failure and 0 for a warning alone (1 with
// --strict).
func TestDoctorFindsProblems(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not describe Windows permissions")
	}
	for _, tc := range []struct {
		name    string
		init    []string
		breakIt func(t *testing.T, dir string)
		id      string
		status  doctorcmd.Status
		message []string
		fix     []string
		// also are the other checks that fail as a consequence.
		also []string
	}{
		{
			name: "missing provider variable",
			breakIt: func(t *testing.T, dir string) {
				writeDotenv(t, dir, "AUTH_GITHUB_ID=client-id\n")
			},
			id: "env.github", status: doctorcmd.Fail,
			message: []string{"AUTH_GITHUB_SECRET is not set"},
			fix:     []string{"https://github.com/settings/developers", "callback URL http://localhost:3000/api/auth/callback/github", "set AUTH_GITHUB_SECRET in .env"},
		},
		{
			name: "passkeys on an IP address",
			breakIt: func(t *testing.T, dir string) {
				if code, _, errOut := authgen(t, dir, "add", "provider", "passkey", "--skip-tidy"); code != 0 {
					t.Fatalf("add provider passkey: %s", errOut)
				}
				writeDotenv(t, dir, healthyEnv+"AUTH_URL=http://127.0.0.1:3000\n")
			},
			id: "passkeys", status: doctorcmd.Fail,
			message: []string{"127.0.0.1 is an IP address", "refuse passkeys"},
			fix:     []string{"AUTH_URL=http://localhost:3000"},
		},
		{
			name: "missing keys",
			breakIt: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, keys.DefaultFile))
			},
			id: "keys", status: doctorcmd.Fail,
			message: []string{"no key set", "AUTH_KEYS is unset", keys.DefaultFile + " does not exist"},
			fix:     []string{"authgen keys rotate", "authgen keys export"},
		},
		{
			name: "key file readable by others",
			breakIt: func(t *testing.T, dir string) {
				os.Chmod(filepath.Join(dir, keys.DefaultFile), 0o644)
			},
			id: "keys.mode", status: doctorcmd.Fail,
			message: []string{"mode 0644", "forge sessions"},
			fix:     []string{"chmod 600 ", keys.DefaultFile, "authgen keys rotate --keep 0s"},
		},
		{
			name: "old signing key",
			breakIt: func(t *testing.T, dir string) {
				if code, _, errOut := authgen(t, dir, "keys", "rotate"); code != 0 {
					t.Fatalf("keys rotate: %s", errOut)
				}
				// The rotation recorded when it added the keys ("iat"):
				// make that 100 days ago.
				path := filepath.Join(dir, keys.DefaultFile)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				old := time.Now().Add(-100 * 24 * time.Hour).Unix()
				data = regexp.MustCompile(`"iat":\s*\d+`).ReplaceAll(data, []byte(fmt.Sprintf(`"iat":%d`, old)))
				if err := os.WriteFile(path, data, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			id: "keys.age", status: doctorcmd.Warn,
			message: []string{"the signing key was added 100 days ago, more than 90"},
			fix:     []string{"authgen keys rotate"},
		},
		{
			name: "AUTH_URL malformed",
			breakIt: func(t *testing.T, dir string) {
				writeDotenv(t, dir, healthyEnv+"AUTH_URL=app.example.com/login\n")
			},
			id: "authurl", status: doctorcmd.Fail,
			message: []string{`AUTH_URL="app.example.com/login" must be an origin`},
			fix:     []string{"https://app.example.com", "no path"},
		},
		{
			name: "AUTH_URL http on a public host",
			breakIt: func(t *testing.T, dir string) {
				writeDotenv(t, dir, healthyEnv+"AUTH_URL=http://app.example.com\nAUTH_EMAIL_SERVER=smtps://u:p@smtp.example.com:465\n")
			},
			id: "authurl", status: doctorcmd.Fail,
			message: []string{"AUTH_URL is http://app.example.com", "not loopback"},
			fix:     []string{"AUTH_URL=https://app.example.com"},
		},
		{
			name: "database unreachable",
			init: []string{"--db", "postgres", "--skip-migrate"},
			breakIt: func(t *testing.T, dir string) {
				writeDotenv(t, dir, healthyEnv+"DATABASE_URL=postgres://app:hunter2@127.0.0.1:"+closedPort(t)+"/app?sslmode=disable\n")
			},
			id: "database", status: doctorcmd.Fail,
			message: []string{"postgres://app:xxxxx@127.0.0.1:", "does not answer"},
			fix:     []string{"start the database", "DATABASE_URL"},
		},
		{
			name: "SQLite database not migrated",
			breakIt: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "authgen.db")
				os.Remove(path)
				db, err := sql.Open("sqlite", path)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Exec("CREATE TABLE mine (id INTEGER)"); err != nil {
					t.Fatal(err)
				}
			},
			id: "database", status: doctorcmd.Fail,
			message: []string{"sqlite:./authgen.db answers but is not migrated", "at version 0"},
			fix:     []string{"authgen migrate", "AUTH_AUTO_MIGRATE=true"},
		},
		{
			name: "SQLite database missing",
			breakIt: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, "authgen.db"))
			},
			id: "database", status: doctorcmd.Fail,
			message: []string{"authgen.db does not exist"},
			fix:     []string{"authgen migrate", "AUTH_AUTO_MIGRATE=true"},
		},
		{
			name: "SQLite directory missing",
			breakIt: func(t *testing.T, dir string) {
				writeDotenv(t, dir, healthyEnv+"DATABASE_URL=sqlite:./data/app.db\nAUTH_AUTO_MIGRATE=true\n")
			},
			id: "database", status: doctorcmd.Fail,
			message: []string{"data/app.db does not exist", "not its directory"},
			fix:     []string{"mkdir -p ", "/data"},
		},
		{
			name: "generated file edited",
			breakIt: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "auth", "config_gen.go")
				data, _ := os.ReadFile(path)
				os.WriteFile(path, append(data, "// edited\n"...), 0o644)
			},
			id: "generated", status: doctorcmd.Fail,
			message: []string{"auth/config_gen.go would be updated"},
			fix:     []string{"authgen generate"},
		},
		{
			name: "runtime of another version",
			breakIt: func(t *testing.T, dir string) {
				path := filepath.Join(dir, "go.mod")
				data, _ := os.ReadFile(path)
				mod := regexp.MustCompile(`(?m)^replace .*\n`).ReplaceAllString(string(data), "")
				mod = strings.ReplaceAll(mod, "v0.0.0-00010101000000-000000000000", "v0.9.0")
				os.WriteFile(path, []byte(mod), 0o644)
			},
			id: "runtime", status: doctorcmd.Fail,
			message: []string{"github.com/authgen/authgen/runtime at v0.9.0", "source checkout"},
			fix:     []string{"go mod edit -replace github.com/authgen/authgen/runtime="},
		},
		{
			name: ".env malformed",
			breakIt: func(t *testing.T, dir string) {
				writeDotenv(t, dir, healthyEnv+"AUTH_URL=$HOST\n")
			},
			id: "dotenv", status: doctorcmd.Fail,
			message: []string{".env:3"},
			fix:     []string{"correct the line"},
			also:    []string{"env.github"}, // read from the environment alone
		},
		{
			name: "AUTH_KEYS in a .env readable by others",
			breakIt: func(t *testing.T, dir string) {
				ks, err := keys.ReadFile(filepath.Join(dir, keys.DefaultFile))
				if err != nil {
					t.Fatal(err)
				}
				compact, _ := ks.MarshalCompact()
				os.Remove(filepath.Join(dir, keys.DefaultFile))
				writeDotenv(t, dir, healthyEnv+"AUTH_KEYS='"+string(compact)+"'\n")
				os.Chmod(filepath.Join(dir, ".env"), 0o640)
			},
			id: "keys.mode", status: doctorcmd.Fail,
			message: []string{"AUTH_KEYS comes from ", ".env, which has mode 0640", "forge sessions"},
			fix:     []string{"chmod 600 ", "authgen keys rotate --keep 0s"},
			also:    []string{"dotenv.mode"},
		},
		{
			name: ".env readable by others",
			breakIt: func(t *testing.T, dir string) {
				os.Chmod(filepath.Join(dir, ".env"), 0o644)
			},
			id: "dotenv.mode", status: doctorcmd.Warn,
			message: []string{"mode 0644", "client secrets"},
			fix:     []string{"chmod 600 ", ".env"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := healthyProject(t, tc.init...)
			tc.breakIt(t, dir)
			want := cli.ExitError
			if tc.status == doctorcmd.Warn {
				want = cli.ExitOK
			}
			code, r := doctorJSON(t, dir)
			c := check(t, r, tc.id)
			if code != want || r.Healthy != (want == cli.ExitOK) || c.Status != tc.status {
				t.Fatalf("exit %d (want %d), healthy %v, %s: %+v", code, want, r.Healthy, tc.id, c)
			}
			for _, s := range tc.message {
				if !strings.Contains(c.Message, s) {
					t.Errorf("%s's message lacks %q: %s", tc.id, s, c.Message)
				}
			}
			for _, s := range tc.fix {
				if !strings.Contains(c.Fix, s) {
					t.Errorf("%s's fix lacks %q: %s", tc.id, s, c.Fix)
				}
			}
			// Exactly this problem, besides its consequences.
			for _, o := range r.Checks {
				if o.ID != tc.id && o.Status != doctorcmd.OK && o.ID != "cookies" && !slices.Contains(tc.also, o.ID) {
					t.Errorf("another problem: %+v", o)
				}
			}
			code, out, errOut := authgen(t, dir, "doctor")
			label := map[doctorcmd.Status]string{doctorcmd.Fail: "FAIL", doctorcmd.Warn: "WARN"}[tc.status]
			if code != want || !strings.Contains(out, label+" "+tc.id+": "+c.Message+"\n     fix: "+c.Fix+"\n") {
				t.Errorf("text: exit %d\n%s\n%s", code, out, errOut)
			}
			if strings.Contains(out+errOut, "hunter2") || strings.Contains(out+errOut, "client-secret") || strings.Contains(out+errOut, `"k":`) {
				t.Error("doctor printed a secret")
			}
			if code == cli.ExitError && !strings.Contains(errOut, "the project has problems") {
				t.Errorf("stderr: %q", errOut)
			}
			if tc.status == doctorcmd.Warn {
				if code, _, _ := authgen(t, dir, "doctor", "--strict"); code != cli.ExitError {
					t.Errorf("doctor --strict with a warning: exit %d", code)
				}
			}
		})
	}
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	return port
}

// TestDoctorUsage: a wrong command line exits 2; outside a project, 1.
func TestDoctorUsage(t *testing.T) {
	dir := healthyProject(t)
	for _, args := range [][]string{{"doctor", "extra"}, {"doctor", "--jsn"}, {"doctor", "--timeout", "0s"}} {
		if code, _, errOut := authgen(t, dir, args...); code != cli.ExitUsage {
			t.Errorf("%q: exit %d %s", args, code, errOut)
		}
	}
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module example.com/x\n\ngo 1.26\n"), 0o644)
	if code, _, errOut := authgen(t, empty, "doctor"); code != cli.ExitError || !strings.Contains(errOut, "authgen init") {
		t.Errorf("doctor without authgen.yaml: exit %d %s", code, errOut)
	}
}

// TestDoctorPasskeys: with passkeys on http://localhost (AUTH_URL unset)
// doctor reports the relying party localhost; on http elsewhere it fails.
func TestDoctorPasskeys(t *testing.T) {
	dir := healthyProject(t)
	if code, _, errOut := authgen(t, dir, "add", "provider", "passkey", "--skip-tidy"); code != 0 {
		t.Fatalf("add provider passkey: %s", errOut)
	}
	find := func(r doctorcmd.Report) doctorcmd.Check {
		for _, c := range r.Checks {
			if c.ID == "passkeys" {
				return c
			}
		}
		t.Fatalf("no passkeys check in %+v", r.Checks)
		return doctorcmd.Check{}
	}
	_, r := doctorJSON(t, dir)
	if c := find(r); c.Status != doctorcmd.OK || !strings.Contains(c.Message, "relying party localhost (AUTH_URL's host)") {
		t.Errorf("passkeys on http://localhost: %+v", c)
	}
	writeDotenv(t, dir, healthyEnv+"AUTH_URL=http://app.example.com\n")
	_, r = doctorJSON(t, dir)
	if c := find(r); c.Status != doctorcmd.Fail || !strings.Contains(c.Message, "only on https") {
		t.Errorf("passkeys on http://app.example.com: %+v", c)
	}
}
