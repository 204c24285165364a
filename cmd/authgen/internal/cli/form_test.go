package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"

	"github.com/authgen/authgen/cmd/authgen/internal/cli"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/prompt"
	"github.com/authgen/authgen/generator/catalog"
)

// TestFormInTerminal answers init's form in a pseudo-terminal of 24 rows
// and 80 columns, as a user at the smallest usual terminal: every question
// is seen whole (its title at the top and its key help at the bottom on
// one screen), the provider list's filter narrows the 119 providers to
// those matching what is typed, and the answers reach authgen.yaml.
func TestFormInTerminal(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	if err := pty.Setsize(ptm, &pty.Winsize{Rows: prompt.TerminalRows, Cols: 80}); err != nil {
		t.Fatal(err)
	}
	scr := newScreen(prompt.TerminalRows, 80)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptm.Read(buf)
			if n > 0 {
				for _, q := range terminalQueries {
					if bytes.Contains(buf[:n], []byte(q.ask)) {
						ptm.WriteString(q.answer)
					}
				}
				scr.write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()

	dir := filepath.Join(t.TempDir(), "app")
	os.Mkdir(dir, 0o755)
	t.Chdir(dir)
	var errOut bytes.Buffer
	ios := iostreams.New(tty, tty, &errOut)
	ios.SetTTY(true)
	done := make(chan int, 1)
	go func() { done <- cli.Run(context.Background(), []string{"init", "--skip-tidy", "--skip-migrate"}, ios) }()

	// waitFor waits until the screen shows title and every one of want;
	// asking for the key help line too checks the question is seen whole.
	waitFor := func(title string, want ...string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := scr.String()
			if strings.Contains(s, title) && containsAll(s, want) {
				time.Sleep(150 * time.Millisecond) // the frame's last bytes
				return scr.String()
			}
			select {
			case code := <-done:
				t.Fatalf("init exited %d before showing %q %q:\n%s\nstderr: %s", code, title, want, s, errOut.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("the screen never showed %q %q; it shows:\n%s", title, want, s)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	typeKeys := func(keys ...string) {
		for _, k := range keys {
			ptm.WriteString(k)
			time.Sleep(60 * time.Millisecond)
		}
	}

	waitFor("Module path", "example.com/app", "enter next")
	if scr.scrolled > 0 {
		t.Errorf("the first question scrolled the terminal by %d rows", scr.scrolled)
	}
	typeKeys("\r")

	s := waitFor("Sign in with", "✓ Email (email)", "/ filter", "enter confirm")
	if n := scr.formRows("Sign in with"); n > prompt.TerminalRows {
		t.Errorf("the provider question takes %d rows", n)
	}
	t.Logf("provider question:\n%s", s)
	typeKeys("/", "g", "o", "o")
	s = waitFor("/goo", "Google (google)", "esc set filter")
	if strings.Contains(s, "GitHub (github)") || strings.Contains(s, "Apple (apple)") {
		t.Errorf("the filter \"goo\" leaves providers that do not match:\n%s", s)
	}
	typeKeys("\r", "x", "\r") // set the filter, check Google, confirm

	waitFor("Database", "sqlite", "enter")
	typeKeys("\r")
	waitFor("Sessions", "database: an opaque token", "enter")
	typeKeys("\r")
	s = waitFor("Where database sessions live", "redis", "enter")
	if strings.Contains(s, "Session token protection") {
		t.Error("the token question was asked for database sessions")
	}
	typeKeys("\r")
	waitFor("Router", "nethttp", "gin", "enter")
	typeKeys("\x1b[B", "\x1b[B", "\r") // echo

	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("init exited %d: %s\n%s", code, errOut.String(), scr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("init did not finish:\n%s", scr.String())
	}
	m := read(t, filepath.Join(dir, "authgen.yaml"))
	for _, want := range []string{"database: sqlite", "strategy: database", "- id: github\n", "- id: google\n", "router: echo\n"} {
		if !strings.Contains(m, want) {
			t.Errorf("authgen.yaml lacks %q:\n%s", want, m)
		}
	}
	if got := read(t, filepath.Join(dir, "go.mod")); !strings.HasPrefix(got, "module example.com/app\n") {
		t.Errorf("go.mod:\n%s", got)
	}
}

// TestFormAccessible answers init's form in accessible mode through stdin,
// one line per answer, as a screen reader user (or a script) does: each
// question names its default, an empty line keeps it, the token question
// is skipped for database sessions, and choosing OpenID Connect asks for
// its issuer.
func TestFormAccessible(t *testing.T) {
	number := func(id string) string {
		return strconv.Itoa(slices.IndexFunc(catalog.All(), func(p *catalog.Provider) bool { return p.ID == id }) + 1)
	}
	tests := []struct {
		name    string
		answers []string
		shown   []string
		notShow []string
		want    []string
	}{
		{
			name: "defaults",
			// module, providers (0 confirms), database, sessions, store, router
			answers: []string{"", "0", "", "", "", ""},
			shown: []string{
				"Module path (Enter for example.com/app)",
				"Sign in with (checked: github, email;",
				"✓ GitHub (github)",
				"✓ Email (email)",
				"Database (Enter for sqlite)",
				"Sessions (Enter for database)",
				"Where database sessions live (Enter for database)",
				"Router (Enter for nethttp)",
			},
			notShow: []string{"Session token protection", "Issuer of"},
			want:    []string{"module example.com/app", "database: sqlite", "strategy: database", "token: signed", "- id: github\n", "- id: email\n"},
		},
		{
			name: "OpenID Connect and JWT sessions",
			// module; providers: check oidc, uncheck github, confirm; database;
			// issuer; sessions: 2 = jwt; token: 2 = encrypted; router: 4 = gin.
			answers: []string{"example.com/corp", number("oidc"), number("github"), "0", "", "https://idp.example.com/", "2", "2", "4"},
			shown: []string{
				"Issuer of OpenID Connect",
				"Session token protection (Enter for signed)",
			},
			notShow: []string{"Where database sessions live"},
			want:    []string{"module example.com/corp", "strategy: jwt", "token: encrypted", "- id: oidc\n    issuer: https://idp.example.com\n", "router: gin\n"},
		},
		{
			name: "a bad answer is asked again",
			// module: "-x" is refused; then the default.
			answers: []string{"-x", "", "0", "5", "", ""},
			shown:   []string{"leading dash", "Session token protection (Enter for signed)"},
			// The default providers, untouched, lose e-mail sign-in, which
			// needs a database.
			want: []string{"module example.com/app", "database: none", "strategy: jwt", "providers:\n  - id: github\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "app")
			os.Mkdir(dir, 0o755)
			t.Chdir(dir)
			var out, errOut bytes.Buffer
			in := strings.NewReader(strings.Join(tt.answers, "\n") + "\n")
			code := cli.Run(context.Background(), []string{"init", "--accessible", "--skip-tidy", "--skip-migrate"}, iostreams.New(in, &out, &errOut))
			if code != 0 {
				t.Fatalf("init: exit %d\n%s\n%s", code, out.String(), errOut.String())
			}
			for _, s := range tt.shown {
				if !strings.Contains(out.String(), s) {
					t.Errorf("the form did not show %q:\n%s", s, out.String())
				}
			}
			for _, s := range tt.notShow {
				if strings.Contains(out.String(), s) {
					t.Errorf("the form asked %q", s)
				}
			}
			files := read(t, filepath.Join(dir, "go.mod")) + read(t, filepath.Join(dir, "authgen.yaml"))
			for _, w := range tt.want {
				if !strings.Contains(files, w) {
					t.Errorf("go.mod and authgen.yaml lack %q:\n%s", w, files)
				}
			}
		})
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// terminalQueries are the requests charmbracelet's libraries send a
// terminal, with a plausible xterm answer (as internal/integration/e2e's
// runInTerminal answers them).
var terminalQueries = []struct{ ask, answer string }{
	{"\x1b]11;?\x07", "\x1b]11;rgb:0000/0000/0000\x07"},
	{"\x1b]11;?\x1b\\", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
	{"\x1b[6n", "\x1b[1;1R"},
	{"\x1b[c", "\x1b[?62;22c"},
}

// screen is as much of a VT100 as bubbletea's inline renderer needs: it
// keeps the visible rows and counts rows scrolled off the top.
type screen struct {
	mu       sync.Mutex
	rows     [][]rune
	row, col int
	scrolled int
	pending  []byte // an incomplete escape sequence
}

func newScreen(rows, cols int) *screen {
	s := &screen{rows: make([][]rune, rows)}
	for i := range s.rows {
		s.rows[i] = []rune(strings.Repeat(" ", cols))
	}
	return s
}

// String is the screen, trailing spaces and empty bottom rows left out.
func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lines []string
	for _, r := range s.rows {
		lines = append(lines, strings.TrimRight(string(r), " "))
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// formRows is how many rows the form takes, from the row showing title to
// the last row with text.
func (s *screen) formRows(title string) int {
	lines := strings.Split(s.String(), "\n")
	for i, l := range lines {
		if strings.Contains(l, title) {
			return len(lines) - i
		}
	}
	return 0
}

func (s *screen) write(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := append(s.pending, p...)
	s.pending = nil
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == 0x1b:
			n := s.escape(data[i:])
			if n == 0 { // incomplete: wait for the rest
				s.pending = append([]byte(nil), data[i:]...)
				return
			}
			i += n
			continue
		case c == '\r':
			s.col = 0
		case c == '\n':
			s.lineFeed()
		case c == '\b':
			s.col = max(0, s.col-1)
		case c < 0x20 || c == 0x7f:
		default:
			if !utf8.FullRune(data[i:]) { // a rune split across reads
				s.pending = append([]byte(nil), data[i:]...)
				return
			}
			r, size := utf8.DecodeRune(data[i:])
			if s.col < len(s.rows[s.row]) {
				s.rows[s.row][s.col] = r
			}
			s.col++
			i += size
			continue
		}
		i++
	}
}

func (s *screen) lineFeed() {
	if s.row == len(s.rows)-1 {
		copy(s.rows, s.rows[1:])
		s.rows[len(s.rows)-1] = []rune(strings.Repeat(" ", len(s.rows[0])))
		s.scrolled++
		return
	}
	s.row++
}

// escape interprets the escape sequence at the start of b and returns its
// length, or 0 when b ends before it does.
func (s *screen) escape(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '[': // CSI
		for j := 2; j < len(b); j++ {
			if b[j] >= 0x40 && b[j] <= 0x7e {
				s.csi(string(b[2:j]), b[j])
				return j + 1
			}
		}
		return 0
	case ']', 'P', '_': // OSC, DCS, APC: up to BEL or ST
		for j := 2; j < len(b); j++ {
			if b[j] == 0x07 {
				return j + 1
			}
			if b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\' {
				return j + 2
			}
		}
		return 0
	}
	return 2
}

func (s *screen) csi(params string, final byte) {
	if strings.HasPrefix(params, "?") || strings.HasPrefix(params, ">") {
		return // modes, queries
	}
	args := strings.Split(params, ";")
	arg := func(i, def int) int {
		if i < len(args) {
			if n, err := strconv.Atoi(args[i]); err == nil && n > 0 {
				return n
			}
		}
		return def
	}
	width := len(s.rows[0])
	switch final {
	case 'A':
		s.row = max(0, s.row-arg(0, 1))
	case 'B':
		s.row = min(len(s.rows)-1, s.row+arg(0, 1))
	case 'C':
		s.col = min(width-1, s.col+arg(0, 1))
	case 'D':
		s.col = max(0, s.col-arg(0, 1))
	case 'G':
		s.col = min(width-1, arg(0, 1)-1)
	case 'H', 'f':
		s.row, s.col = min(len(s.rows)-1, arg(0, 1)-1), min(width-1, arg(1, 1)-1)
	case 'K':
		from, to := s.col, width
		switch arg(0, 0) {
		case 1:
			from, to = 0, s.col+1
		case 2:
			from = 0
		}
		for c := from; c < min(to, width); c++ {
			s.rows[s.row][c] = ' '
		}
	case 'J':
		from := s.row + 1
		switch arg(0, 0) {
		case 0:
			for c := s.col; c < width; c++ {
				s.rows[s.row][c] = ' '
			}
		case 2, 3:
			from = 0
		default:
			return
		}
		for r := from; r < len(s.rows); r++ {
			s.rows[r] = []rune(strings.Repeat(" ", width))
		}
	}
}
