package sqlmigrate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// maxLine is the longest line a migration may have; goose reads lines with
// a 4 MiB buffer and fails on longer ones, and so does Parse.
const maxLine = 4 << 20

// Statement is one SQL statement of a migration, as it is sent to the
// database: its lines joined, surrounding white space trimmed.
type Statement struct {
	// SQL is the statement's text.
	SQL string
	// Line is the line of the file on which the statement starts.
	Line int
}

// ParseError reports a migration file that cannot be applied as it is
// written: goose would refuse it, or it uses a goose feature this package
// does not support (then it wraps ErrUnsupported).
type ParseError struct {
	// File is the migration's file name.
	File string
	// Line is the offending line, 1-based; 0 when the name is at fault.
	Line int
	// Err says what is wrong.
	Err error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("sqlmigrate: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("sqlmigrate: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// section is the part of a migration file a line is in.
type section int

const (
	beforeUp    section = iota // before "-- +goose Up": only comments and blank lines
	upSection                  // after "-- +goose Up"
	downSection                // after "-- +goose Down"
)

// Annotations, matched case-insensitively as goose does.
const (
	annUp             = "Up"
	annDown           = "Down"
	annStatementBegin = "StatementBegin"
	annStatementEnd   = "StatementEnd"
	annNoTransaction  = "NO TRANSACTION"
	annEnvsubOn       = "ENVSUB ON"
	annEnvsubOff      = "ENVSUB OFF"
)

// Parse reads a goose-annotated SQL migration: its version comes from the
// numeric prefix of name (NNNNN_name.sql), its statements from src. The
// statements are split exactly as goose v3 splits them:
//
//   - "-- +goose Up" starts the statements to apply, "-- +goose Down" those
//     that undo them; before "-- +goose Up" only comments and blank lines
//     may stand.
//   - A statement ends with a line whose last word before any "--" comment
//     ends in a semicolon.
//   - "-- +goose StatementBegin" … "-- +goose StatementEnd" enclose one
//     statement that may contain semicolons (a function body).
//   - Comments and empty lines before a statement are dropped; once a
//     statement has begun they are part of it.
//   - "-- +goose NO TRANSACTION" anywhere makes the migration run outside a
//     transaction.
//
// Parse refuses, with a [*ParseError] naming the line, whatever goose would
// refuse, and wrapping [ErrUnsupported] what goose would treat specially:
// "-- +goose ENVSUB ON/OFF" (environment substitution) and a
// StatementBegin…StatementEnd block with no SQL in it (which goose sends as
// an empty statement, dropping the line after it).
func Parse(name string, src []byte) (*Migration, error) {
	version, err := versionOf(name)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	up, noTx, err := split(name, src, upSection)
	if err != nil {
		return nil, err
	}
	down, _, err := split(name, src, downSection)
	if err != nil {
		return nil, err
	}
	return &Migration{Version: version, Name: name, Up: up, Down: down, NoTransaction: noTx}, nil
}

// versionOf returns the version of a migration file name: the decimal
// number before its first "_", at least 1.
func versionOf(name string) (int64, error) {
	if !strings.HasSuffix(name, ".sql") {
		return 0, errors.New("a migration's name ends in .sql (NNNNN_name.sql)")
	}
	digits, _, ok := strings.Cut(name, "_")
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, errors.New("a migration's name starts with its version and _ (NNNNN_name.sql)")
	}
	var v int64
	for _, c := range digits {
		d := int64(c - '0')
		if v > (1<<63-1-d)/10 {
			return 0, errors.New("the version is too large")
		}
		v = v*10 + d
	}
	if v < 1 {
		return 0, errors.New("the version must be at least 1")
	}
	return v, nil
}

// splitter collects the statements of one section of a migration file,
// walking the whole file so that it finds every error goose finds.
type splitter struct {
	file string
	want section // the section whose statements are collected

	sec   section
	block bool // between StatementBegin and StatementEnd
	noTx  bool

	// buf holds the lines of the statement being read. Lines of the other
	// section are written and dropped at once, as goose does, so that the
	// same lines count as "inside a statement".
	buf   strings.Builder
	start int // line of buf's first line
	stmts []Statement
}

// split returns the statements of section want (upSection or
// downSection) of src and whether it asks for no transaction.
func split(file string, src []byte, want section) ([]Statement, bool, error) {
	s := &splitter{file: file, want: want}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		if err := s.line(n, sc.Text()); err != nil {
			return nil, false, &ParseError{File: file, Line: n, Err: err}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, false, &ParseError{File: file, Line: n + 1, Err: err}
	}
	if err := s.end(); err != nil {
		return nil, false, &ParseError{File: file, Line: max(n, 1), Err: err}
	}
	return s.stmts, s.noTx, nil
}

func (s *splitter) line(n int, line string) error {
	trimmed := strings.TrimSpace(line)
	if s.sec == beforeUp && trimmed == "" {
		return nil
	}
	if strings.HasPrefix(trimmed, "--") && strings.Contains(line, "+goose") {
		return s.annotation(line)
	}
	return s.text(n, line, trimmed)
}

// text handles a line that is not an annotation.
func (s *splitter) text(n int, line, trimmed string) error {
	if s.buf.Len() == 0 && (strings.HasPrefix(trimmed, "--") || line == "") {
		return nil // comments and empty lines before a statement
	}
	if s.sec == beforeUp {
		return errors.New(`SQL before "-- +goose Up"`)
	}
	if s.buf.Len() == 0 {
		s.start = n
	}
	s.buf.WriteString(line)
	s.buf.WriteByte('\n')
	if s.sec != s.want {
		s.buf.Reset()
		return nil
	}
	if !s.block && endsStatement(line) {
		s.emit()
	}
	return nil
}

func (s *splitter) emit() {
	s.stmts = append(s.stmts, Statement{SQL: strings.TrimSpace(s.buf.String()), Line: s.start})
	s.buf.Reset()
}

// endsStatement reports whether the last word of line before a word
// starting with "--" ends in a semicolon (goose's test, which knows nothing
// of quotes).
func endsStatement(line string) bool {
	last := ""
	for _, w := range strings.Fields(line) {
		if strings.HasPrefix(w, "--") {
			break
		}
		last = w
	}
	return strings.HasSuffix(last, ";")
}

// annotation handles a line that starts with "--" and holds "+goose".
func (s *splitter) annotation(line string) error {
	if line[0] == ' ' || line[0] == '\t' {
		return fmt.Errorf("annotation %q has leading white space", line)
	}
	// goose drops every "--" and the first "+goose"; what remains, trimmed,
	// is the annotation.
	cmd := strings.Replace(strings.ReplaceAll(line, "--", ""), "+goose", "", 1)
	if strings.Contains(cmd, "+goose") {
		return fmt.Errorf("%q holds more than one +goose annotation", line)
	}
	cmd = strings.TrimSpace(cmd)
	is := func(a string) bool { return strings.EqualFold(cmd, a) }
	switch {
	case cmd == "":
		return fmt.Errorf("empty annotation %q", line)
	case is(annUp):
		if s.sec != beforeUp {
			return errors.New(`a second "-- +goose Up"`)
		}
		s.sec = upSection
	case is(annDown):
		if s.sec != upSection || s.block {
			if s.block {
				return errors.New(`"-- +goose Down" inside a StatementBegin block`)
			}
			return errors.New(`"-- +goose Down" must follow "-- +goose Up", once`)
		}
		if rest := strings.TrimSpace(s.buf.String()); rest != "" {
			return fmt.Errorf("unfinished statement before \"-- +goose Down\" (missing semicolon?): %q", rest)
		}
		s.sec = downSection
	case is(annStatementBegin):
		if s.sec == beforeUp || s.block {
			return errors.New(`"-- +goose StatementBegin" must follow "-- +goose Up" or "-- +goose Down", outside another block`)
		}
		s.block = true
	case is(annStatementEnd):
		if !s.block {
			return errors.New(`"-- +goose StatementEnd" without "-- +goose StatementBegin"`)
		}
		s.block = false
		if s.sec == s.want {
			if strings.TrimSpace(s.buf.String()) == "" {
				return fmt.Errorf("%w: a StatementBegin…StatementEnd block without SQL", ErrUnsupported)
			}
			s.emit()
		}
	case is(annNoTransaction):
		s.noTx = true
	case is(annEnvsubOn), is(annEnvsubOff):
		return fmt.Errorf("%w: %q (environment substitution)", ErrUnsupported, line)
	default:
		return fmt.Errorf("unknown annotation %q", line)
	}
	return nil
}

// end checks the state at the end of the file.
func (s *splitter) end() error {
	switch {
	case s.sec == beforeUp:
		return errors.New(`no "-- +goose Up" annotation`)
	case s.block:
		return errors.New(`"-- +goose StatementBegin" without "-- +goose StatementEnd"`)
	}
	if rest := strings.TrimSpace(s.buf.String()); rest != "" {
		return fmt.Errorf("unfinished statement at the end (missing semicolon?): %q", rest)
	}
	return nil
}
