package env

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// DotenvFile is the file a generated application reads variables from
// at start, in its working directory, when it exists.
const DotenvFile = ".env"

// ErrDotenv is wrapped by every error a malformed .env file gives.
var ErrDotenv = errors.New("malformed .env file")

// Dotenv returns a getenv (for LoadConfig) that reads a variable from the
// environment through lookup (usually os.LookupEnv) and, when the
// environment does not have it, from the .env file at path. A variable set
// in the environment wins even when it is empty; a missing file is no
// error and gives the environment alone. The file is read once, now.
//
// The file's format (see [ParseDotenv]) is a line per variable,
// KEY=value, with # comments; errors name the file and the line, never a
// value.
func Dotenv(path string, lookup func(string) (string, bool)) (func(string) string, error) {
	getenv := func(name string) string { v, _ := lookup(name); return v }
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return getenv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("env: %w", err)
	}
	file, err := ParseDotenv(path, data)
	if err != nil {
		return nil, err
	}
	return func(name string) string {
		if v, ok := lookup(name); ok {
			return v
		}
		return file[name]
	}, nil
}

// ParseDotenv parses the contents of a .env file; name names it in
// errors, which give the line and never a value. The format is the usual
// one, strictly: where dotenv tools read a line differently (expanding $,
// escapes, unquoted quotes), it is an error rather than a guess.
//
//   - One variable per line: KEY=value, optionally preceded by "export ".
//     KEY is a letter or "_" followed by letters, digits and "_".
//     Whitespace around KEY, "=" and the value is ignored.
//   - Blank lines, and lines whose first non-blank character is "#", are
//     comments. After a value, " #" (a "#" after whitespace) starts a
//     comment; a "#" inside a word is part of the value (a#b).
//   - An unquoted value is taken as it is, up to the end of the line or a
//     comment, with trailing whitespace removed; it may not contain quotes
//     or a backslash (quote it).
//   - 'single quotes' hold a value literally, without escapes; "double
//     quotes" understand \n, \r, \t, \", \\ and \$ (a newline, a carriage
//     return, a tab, a quote, a backslash, a dollar sign) and no other
//     backslash. Either may span several lines (a PEM private key), and
//     only whitespace and a comment may follow the closing quote.
//   - Nothing is expanded: $VAR and ${VAR} are kept as they are in single
//     quotes, and refused elsewhere (write \$ in double quotes or use
//     single quotes), since the tools disagree on expanding them.
//   - A variable may appear once; a UTF-8 byte order mark and Windows
//     line endings are accepted.
func ParseDotenv(name string, data []byte) (map[string]string, error) {
	p := &dotenvParser{name: name, src: string(bytes.ReplaceAll(bytes.TrimPrefix(data, []byte("\uFEFF")), []byte("\r\n"), []byte("\n"))), line: 1}
	vars := map[string]string{}
	first := map[string]int{}
	for !p.eof() {
		key, value, line, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if prev, dup := first[key]; dup {
			return nil, p.errorAt(line, "%s is set again (first on line %d); set it once", key, prev)
		}
		first[key] = line
		vars[key] = value
	}
	return vars, nil
}

// dotenvParser reads a .env file line by line, keeping the line number for
// errors.
type dotenvParser struct {
	name string
	src  string
	pos  int
	line int
}

func (p *dotenvParser) eof() bool { return p.pos >= len(p.src) }

func (p *dotenvParser) errorAt(line int, format string, args ...any) error {
	return fmt.Errorf("%w: %s:%d: %s", ErrDotenv, p.name, line, fmt.Sprintf(format, args...))
}

// restOfLine returns the text up to the end of the line and moves past the
// line's end.
func (p *dotenvParser) restOfLine() string {
	end := strings.IndexByte(p.src[p.pos:], '\n')
	var s string
	if end < 0 {
		s, p.pos = p.src[p.pos:], len(p.src)
	} else {
		s, p.pos = p.src[p.pos:p.pos+end], p.pos+end+1
	}
	p.line++
	return s
}

// next reads one line, or one variable whose quoted value spans several;
// ok is false for a blank or comment line.
func (p *dotenvParser) next() (key, value string, line int, ok bool, err error) {
	line = p.line
	start := p.pos
	whole := p.restOfLine()
	text := strings.TrimLeft(whole, " \t")
	if text == "" || text[0] == '#' {
		return "", "", line, false, nil
	}
	if rest, found := strings.CutPrefix(text, "export"); found && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		text = strings.TrimLeft(rest, " \t")
	}
	eq := strings.IndexByte(text, '=')
	if eq < 0 {
		return "", "", line, false, p.errorAt(line, "expected KEY=value")
	}
	key = strings.TrimRight(text[:eq], " \t")
	if !validKey(key) {
		return "", "", line, false, p.errorAt(line, "the name before = is not a variable name (letters, digits and _, not starting with a digit)")
	}
	raw := strings.TrimLeft(text[eq+1:], " \t")
	switch {
	case raw == "":
		return key, "", line, true, nil
	case raw[0] == '\'' || raw[0] == '"':
		// The value may go on over the next lines: go back to the quote
		// (raw ends the line) and read on from there.
		p.pos, p.line = start+len(whole)-len(raw), line
		value, err = p.quoted(key, line)
		return key, value, line, err == nil, err
	}
	value = text[eq+1:] // with the blanks before a comment right after =
	if i := commentStart(value); i >= 0 {
		value = value[:i]
	}
	value = strings.Trim(value, " \t")
	if strings.ContainsAny(value, `"'\`) {
		return "", "", line, false, p.errorAt(line, "the value of %s has a quote or backslash inside it: put the whole value in quotes", key)
	}
	if strings.Contains(value, "$") {
		return "", "", line, false, p.errorAt(line, "the value of %s has a $, which .env tools expand differently: put the value in single quotes to keep it as it is", key)
	}
	return key, value, line, true, nil
}

// commentStart returns where a " #" comment starts in an unquoted value, or
// -1.
func commentStart(v string) int {
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && (v[i-1] == ' ' || v[i-1] == '\t') {
			return i
		}
	}
	return -1
}

// quoted reads a quoted value starting at p.pos (the opening quote) and
// what may follow it on its last line.
func (p *dotenvParser) quoted(key string, line int) (string, error) {
	q := p.src[p.pos]
	p.pos++
	var b strings.Builder
	for {
		if p.eof() {
			return "", p.errorAt(line, "the value of %s has no closing %c", key, q)
		}
		c := p.src[p.pos]
		p.pos++
		switch {
		case c == q:
			after := strings.TrimLeft(p.restOfLine(), " \t")
			if after != "" && after[0] != '#' {
				return "", p.errorAt(p.line-1, "unexpected text after the closing %c of %s's value", q, key)
			}
			return b.String(), nil
		case c == '\n':
			p.line++
			b.WriteByte(c)
		case q == '"' && c == '\\':
			if p.eof() {
				return "", p.errorAt(line, "the value of %s has no closing %c", key, q)
			}
			e := p.src[p.pos]
			p.pos++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\', '$':
				b.WriteByte(e)
			default:
				return "", p.errorAt(p.line, "the value of %s has an unknown escape: in double quotes a backslash goes before n, r, t, \", \\ or $ only (single quotes take backslashes literally)", key)
			}
		case q == '"' && c == '$':
			return "", p.errorAt(p.line, "the value of %s has a $, which .env tools expand differently: write \\$, or use single quotes", key)
		default:
			b.WriteByte(c)
		}
	}
}

// validKey reports whether k is a portable environment variable name.
func validKey(k string) bool {
	if k == "" || (k[0] >= '0' && k[0] <= '9') {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
