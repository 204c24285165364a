package env_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/env"
)

func TestParseDotenv(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     map[string]string
	}{
		{"empty", "", map[string]string{}},
		{"comments and blanks", "# a comment\n\n   # indented\n\t\nA=1\n", map[string]string{"A": "1"}},
		{"spaces", "  A = one two  \nB=\tx\t\n", map[string]string{"A": "one two", "B": "x"}},
		{"export", "export A=1\nexport\tB=2\nexported=3\n", map[string]string{"A": "1", "B": "2", "exported": "3"}},
		{"empty value", "A=\nB=   \nC= # nothing\n", map[string]string{"A": "", "B": "", "C": ""}},
		{"inline comment", "A=value # why\nB=a#b\nC=x\t#tab\nD=#d\n", map[string]string{"A": "value", "B": "a#b", "C": "x", "D": "#d"}},
		{"URL", "DATABASE_URL=postgres://u:p@h:5432/db?sslmode=disable&x=1\n", map[string]string{"DATABASE_URL": "postgres://u:p@h:5432/db?sslmode=disable&x=1"}},
		{"single quotes", `A='it is "literal" \n $HOME # not a comment'` + "\n", map[string]string{"A": `it is "literal" \n $HOME # not a comment`}},
		{"double quotes", `A="a\nb\tc \"q\" \\ \$HOME 'x'" # comment` + "\n", map[string]string{"A": "a\nb\tc \"q\" \\ $HOME 'x'"}},
		{"JSON", `AUTH_KEYS='{"keys":[{"kty":"oct"}]}'`, map[string]string{"AUTH_KEYS": `{"keys":[{"kty":"oct"}]}`}},
		{"multi-line", "K=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nNEXT='x\ny'\nLAST=1", map[string]string{"K": "-----BEGIN KEY-----\nabc\n-----END KEY-----", "NEXT": "x\ny", "LAST": "1"}},
		{"empty quotes", "A=''\nB=\"\"\n", map[string]string{"A": "", "B": ""}},
		{"CRLF and BOM", "\uFEFFA=1\r\nB='2'\r\n", map[string]string{"A": "1", "B": "2"}},
		{"no final newline", "A=1", map[string]string{"A": "1"}},
		{"underscores and digits", "_A1=x\na_b=y\n", map[string]string{"_A1": "x", "a_b": "y"}},
		{"equals in value", "A=b=c\n", map[string]string{"A": "b=c"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := env.ParseDotenv(".env", []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestParseDotenvErrors: a malformed file is an error naming the file and
// the line, and never showing a value (each bad value below holds the
// word "hunter2").
func TestParseDotenvErrors(t *testing.T) {
	for _, c := range []struct {
		name, in string
		line     string
		want     string
	}{
		{"no equals", "A=1\nhunter2\n", ":2:", "expected KEY=value"},
		{"bad name", "1A=hunter2\n", ":1:", "not a variable name"},
		{"name with dash", "A-B=hunter2\n", ":1:", "not a variable name"},
		{"space in name", "hunter2 A=1\n", ":1:", "not a variable name"},
		{"unquoted quote", "A=hunter2\"x\n", ":1:", "put the whole value in quotes"},
		{"unquoted backslash", `A=hunter2\n`, ":1:", "put the whole value in quotes"},
		{"unquoted dollar", "\nA=hunter2$HOME\n", ":2:", "single quotes"},
		{"double-quoted dollar", `A="hunter2$HOME"`, ":1:", `write \$`},
		{"unclosed single", "A=1\nB='hunter2\nC=3\n", ":2:", "no closing '"},
		{"unclosed double", "B=\"hunter2\\\"", ":1:", `no closing "`},
		{"unknown escape", "A=\"hunter2\n\\q\"", ":2:", "unknown escape"},
		{"text after quote", "A='x'\nB='hunter2' hunter2\n", ":2:", "after the closing '"},
		{"text after multi-line quote", "B='a\nhunter2' x\n", ":2:", "after the closing '"},
		{"duplicate", "A=1\n# c\nA=hunter2\n", ":3:", "first on line 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := env.ParseDotenv("app/.env", []byte(c.in))
			if !errors.Is(err, env.ErrDotenv) {
				t.Fatalf("err = %v, want ErrDotenv", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "app/.env"+c.line) || !strings.Contains(msg, c.want) {
				t.Errorf("error %q lacks %q or %q", msg, "app/.env"+c.line, c.want)
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error shows a value: %q", msg)
			}
		})
	}
}

func TestDotenv(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".env")
	if err := os.WriteFile(path, []byte("FROM_FILE=file\nBOTH=file\nEMPTY_IN_ENV=file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	environ := map[string]string{"BOTH": "env", "EMPTY_IN_ENV": "", "ONLY_ENV": "env"}
	lookup := func(k string) (string, bool) { v, ok := environ[k]; return v, ok }
	getenv, err := env.Dotenv(path, lookup)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"FROM_FILE": "file", "BOTH": "env", "EMPTY_IN_ENV": "", "ONLY_ENV": "env", "NOWHERE": ""} {
		if got := getenv(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}

	// No file: the environment alone.
	getenv, err = env.Dotenv(filepath.Join(dir, "missing"), lookup)
	if err != nil || getenv("ONLY_ENV") != "env" || getenv("FROM_FILE") != "" {
		t.Errorf("without a file: %v", err)
	}
	// A file that cannot be read, and a malformed one, are errors.
	if _, err := env.Dotenv(dir, lookup); err == nil {
		t.Error("a directory as .env: no error")
	}
	if err := os.WriteFile(path, []byte("A=1\nB\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Dotenv(path, lookup); !errors.Is(err, env.ErrDotenv) || !strings.Contains(err.Error(), path+":2:") {
		t.Errorf("malformed file: %v", err)
	}
}

// FuzzParseDotenv: any input parses or fails with ErrDotenv, without
// panicking, and a value written back in single quotes (when it has none)
// reads the same — unless it holds CR LF, which a file's line endings
// are read as (only "\r\n" in double quotes writes it).
func FuzzParseDotenv(f *testing.F) {
	for _, s := range []string{"A=1\n", "export A='x\ny'", `A="\n\$"`, "# c\nA=b # c", "A='", "\uFEFFA=1\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		vars, err := env.ParseDotenv(".env", []byte(in))
		if err != nil {
			if !errors.Is(err, env.ErrDotenv) {
				t.Fatalf("error without ErrDotenv: %v", err)
			}
			return
		}
		for k, v := range vars {
			if strings.Contains(v, "'") || strings.Contains(v, "\r\n") {
				continue
			}
			again, err := env.ParseDotenv(".env", []byte(k+"='"+v+"'\n"))
			if err != nil || again[k] != v {
				t.Fatalf("%s=%q written back: %q, %v", k, v, again[k], err)
			}
		}
	})
}
