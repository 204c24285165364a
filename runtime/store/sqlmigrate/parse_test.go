package sqlmigrate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func sqls(ss []Statement) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.SQL)
	}
	return out
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name     string
		src      string
		up, down []string
		upLines  []int
		noTx     bool
	}{{
		name: "plain",
		src: `-- a comment before Up
-- +goose Up
CREATE TABLE t (id INT);
INSERT INTO t VALUES (1); -- trailing comment

-- +goose Down
DROP TABLE t;
`,
		up:      []string{"CREATE TABLE t (id INT);", "INSERT INTO t VALUES (1); -- trailing comment"},
		upLines: []int{3, 4},
		down:    []string{"DROP TABLE t;"},
	}, {
		name:    "multi-line statements keep inner comments and blank lines",
		src:     "-- +goose Up\n\n-- leading comment, dropped\nCREATE TABLE t (\n  -- inner comment\n\n  id INT\n);\n",
		up:      []string{"CREATE TABLE t (\n  -- inner comment\n\n  id INT\n);"},
		upLines: []int{4},
		down:    []string{},
	}, {
		name: "StatementBegin keeps semicolons",
		src: `-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION f() RETURNS trigger AS $$
BEGIN
  NEW.x := 1;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
SELECT 1;
-- +goose Down
-- +goose StatementBegin
DROP FUNCTION f;
-- +goose StatementEnd
`,
		up:      []string{"CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.x := 1;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;", "SELECT 1;"},
		upLines: []int{3, 10},
		down:    []string{"DROP FUNCTION f;"},
	}, {
		name:    "NO TRANSACTION, annotations case-insensitive",
		src:     "-- +goose no transaction\n-- +goose up\nCREATE INDEX CONCURRENTLY i ON t (x);\n--+goose DOWN\nDROP INDEX i;\n",
		up:      []string{"CREATE INDEX CONCURRENTLY i ON t (x);"},
		upLines: []int{3},
		down:    []string{"DROP INDEX i;"},
		noTx:    true,
	}, {
		name:    "no semicolon in a comment ends a statement",
		src:     "-- +goose Up\nSELECT 1 -- not the end;\n;\n",
		up:      []string{"SELECT 1 -- not the end;\n;"},
		upLines: []int{2},
		down:    []string{},
	}, {
		name:    "CRLF line ends",
		src:     "-- +goose Up\r\nSELECT 1;\r\n-- +goose Down\r\nSELECT 2;\r\n",
		up:      []string{"SELECT 1;"},
		upLines: []int{2},
		down:    []string{"SELECT 2;"},
	}, {
		name:    "empty migration",
		src:     "-- +goose Up\n-- nothing yet\n",
		up:      []string{},
		upLines: []int{},
		down:    []string{},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse("00007_x.sql", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if m.Version != 7 || m.Name != "00007_x.sql" {
				t.Errorf("version %d name %q", m.Version, m.Name)
			}
			if got := sqls(m.Up); !reflect.DeepEqual(got, tc.up) {
				t.Errorf("up = %q, want %q", got, tc.up)
			}
			var lines []int
			for _, s := range m.Up {
				lines = append(lines, s.Line)
			}
			if len(lines) == 0 {
				lines = []int{}
			}
			if !reflect.DeepEqual(lines, tc.upLines) {
				t.Errorf("up lines = %v, want %v", lines, tc.upLines)
			}
			if got := sqls(m.Down); !reflect.DeepEqual(got, tc.down) {
				t.Errorf("down = %q, want %q", got, tc.down)
			}
			if m.NoTransaction != tc.noTx {
				t.Errorf("NoTransaction = %v", m.NoTransaction)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src   string
		line        int
		unsupported bool
		msg         string
	}{
		{name: "no Up", src: "-- just a comment\n", line: 1, msg: "no \"-- +goose Up\""},
		{name: "SQL before Up", src: "SELECT 1;\n-- +goose Up\n", line: 1, msg: "before"},
		{name: "second Up", src: "-- +goose Up\n-- +goose Up\n", line: 2, msg: "second"},
		{name: "Down first", src: "-- +goose Down\n", line: 1, msg: "must follow"},
		{name: "missing semicolon before Down", src: "-- +goose Up\nSELECT 1\n-- +goose Down\n", line: 3, msg: "missing semicolon"},
		{name: "missing semicolon at end of Down", src: "-- +goose Up\n-- +goose Down\nDROP TABLE t\n", line: 3, msg: "missing semicolon"},
		{name: "unclosed block", src: "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n", line: 3, msg: "without \"-- +goose StatementEnd\""},
		{name: "End without Begin", src: "-- +goose Up\n-- +goose StatementEnd\n", line: 2, msg: "without"},
		{name: "nested Begin", src: "-- +goose Up\n-- +goose StatementBegin\n-- +goose StatementBegin\n", line: 3, msg: "outside another block"},
		{name: "indented annotation", src: "-- +goose Up\n  -- +goose Down\n", line: 2, msg: "leading white space"},
		{name: "unknown annotation", src: "-- +goose Up\n-- +goose Sideways\n", line: 2, msg: "unknown annotation"},
		{name: "two annotations", src: "-- +goose Up +goose Down\n", line: 1, msg: "more than one"},
		{name: "envsub", src: "-- +goose ENVSUB ON\n-- +goose Up\nSELECT '${X}';\n", line: 1, unsupported: true, msg: "environment substitution"},
		{name: "envsub off", src: "-- +goose Up\n-- +goose envsub off\n", line: 2, unsupported: true},
		{name: "empty block", src: "-- +goose Up\n-- +goose StatementBegin\n-- only a comment\n-- +goose StatementEnd\nSELECT 1;\n", line: 4, unsupported: true, msg: "without SQL"},
		{name: "blank block", src: "-- +goose Up\n-- +goose StatementBegin\n  \n-- +goose StatementEnd\n", line: 4, unsupported: true},
		{name: "empty block in Down", src: "-- +goose Up\n-- +goose Down\n-- +goose StatementBegin\n-- +goose StatementEnd\n", line: 4, unsupported: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("00002_bad.sql", []byte(tc.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.File != "00002_bad.sql" || pe.Line != tc.line {
				t.Errorf("at %s:%d, want line %d (%v)", pe.File, pe.Line, tc.line, err)
			}
			if errors.Is(err, ErrUnsupported) != tc.unsupported {
				t.Errorf("errors.Is(ErrUnsupported) = %v: %v", !tc.unsupported, err)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), "00002_bad.sql:") {
				t.Errorf("error %q lacks %q or the file", err, tc.msg)
			}
		})
	}
}

func TestVersionOf(t *testing.T) {
	for name, want := range map[string]int64{
		"00001_authgen.sql":          1,
		"20240102150405_add.sql":     20240102150405,
		"7_x_y.sql":                  7,
		"00000_zero.sql":             -1,
		"1.sql":                      -1,
		"_x.sql":                     -1,
		"+1_x.sql":                   -1,
		"a1_x.sql":                   -1,
		"1_x.txt":                    -1,
		"99999999999999999999_x.sql": -1,
	} {
		got, err := versionOf(name)
		if want < 0 {
			if err == nil {
				t.Errorf("versionOf(%q) = %d, want an error", name, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("versionOf(%q) = %d, %v; want %d", name, got, err, want)
		}
	}
}

func TestEndsStatement(t *testing.T) {
	for line, want := range map[string]bool{
		"SELECT 1;":         true,
		"SELECT 1;  ":       true,
		"SELECT 1; -- done": true,
		"SELECT 1;-- done":  false,
		"SELECT 1 -- x;":    false,
		"-- SELECT 1;":      false,
		";":                 true,
		"SELECT ';' AS x":   false,
		"SELECT 1;\u00a0":   true,
		"":                  false,
	} {
		if got := endsStatement(line); got != want {
			t.Errorf("endsStatement(%q) = %v", line, got)
		}
	}
}
