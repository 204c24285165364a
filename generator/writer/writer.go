// Package writer applies the generator's files to a project directory:
// generated files are rewritten, scaffold files are written only when
// absent, and merged files get their missing entries appended. It refuses to
// overwrite a file that lacks authgen's marker unless forced.
//
// A command plans every change first — Plan for the generator's files,
// PlanWrite for a file it writes whole (authgen.yaml, go.mod, the key set),
// PlanRemove for a generated file nothing generates any more — and then
// applies them together with Begin (tx.go): all of them, or, after any
// failure, none.
package writer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/authgen/authgen/generator"
)

// Action is what happened (or would happen) to a file.
type Action string

// Actions.
const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
	Skipped   Action = "skipped (exists)"
	Merged    Action = "merged"
	// Replaced is a file that was not authgen's to rewrite — a scaffold
	// file of the user's, a generated file without the marker, the
	// manifest on init --force — overwritten because the command was
	// forced.
	Replaced Action = "replaced"
	// Removed is a generated file that nothing generates any more,
	// deleted.
	Removed Action = "removed"
	// Kept is such a file without the marker: it may be the user's, so it
	// stays.
	Kept Action = "kept (no authgen marker)"
)

// Writes reports whether the action writes the file.
func (a Action) Writes() bool {
	return a == Created || a == Updated || a == Merged || a == Replaced
}

// Changes reports whether the action changes the project: it writes or
// removes a file.
func (a Action) Changes() bool { return a.Writes() || a == Removed }

// ErrUnmarked reports files authgen would overwrite although they lack its
// marker, so they may be the user's.
var ErrUnmarked = errors.New("writer: refusing to overwrite files without the authgen marker (use --force)")

// ErrNotWritable reports a path a command cannot write: a directory where
// it writes a file, a file where it needs a directory, or a file system
// that refuses the write. Nothing was changed.
var ErrNotWritable = errors.New("cannot write")

// Options control Plan and Apply.
type Options struct {
	// Force overwrites generated files that lack the marker and rewrites
	// scaffold files.
	Force bool
	// ForceGenerated overwrites generated files that lack the marker, but
	// leaves scaffold files the project has alone.
	ForceGenerated bool
	// DryRun computes the changes without writing.
	DryRun bool
}

// Change is one file's outcome.
type Change struct {
	// Path is slash-separated and relative to the project root.
	Path   string
	Action Action
	// Content is what the file holds afterwards (nil when Removed).
	Content []byte
	// Old is what it held before (nil when absent).
	Old []byte
	// Mode is the permission of a file that is created; 0 means 0644. A
	// file that exists keeps its own.
	Mode fs.FileMode
}

// Apply writes files under root and reports what changed, in the files'
// order: all of them, or, when any is refused or cannot be written, none.
func Apply(root string, files []generator.File, opts Options) ([]Change, error) {
	changes, err := Plan(root, files, opts)
	if err != nil || opts.DryRun {
		return changes, err
	}
	tx, err := Begin(root, changes)
	if err != nil {
		return changes, err
	}
	return changes, tx.Commit()
}

// Plan computes what Apply would do. Every refusal is collected: files
// without the marker (ErrUnmarked) and paths that cannot hold a file
// (ErrNotWritable).
func Plan(root string, files []generator.File, opts Options) ([]Change, error) {
	var changes []Change
	var unmarked []string
	var problems []error
	for _, f := range files {
		old, exists, err := readTarget(root, f.Path)
		if errors.Is(err, ErrNotWritable) {
			problems = append(problems, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		c := Change{Path: f.Path, Content: f.Content, Mode: f.Mode}
		if exists {
			c.Old = old
		}
		switch {
		case !exists:
			c.Action = Created
		case f.Kind == generator.Merged:
			c.Content = merge(old, f.Content)
			c.Action = Merged
			if bytes.Equal(c.Content, old) {
				c.Action = Unchanged
			}
		case bytes.Equal(old, f.Content):
			c.Action = Unchanged
		case f.Kind == generator.Scaffold && !opts.Force:
			c.Action, c.Content = Skipped, old
		case f.Kind == generator.Scaffold:
			c.Action = Replaced
		case f.Kind == generator.Generated && !generator.IsGenerated(old):
			if !opts.Force && !opts.ForceGenerated {
				unmarked = append(unmarked, f.Path)
			}
			c.Action = Replaced
		default:
			c.Action = Updated
		}
		changes = append(changes, c)
	}
	if len(unmarked) > 0 {
		problems = append(problems, fmt.Errorf("%w: %s", ErrUnmarked, strings.Join(unmarked, ", ")))
	}
	return changes, errors.Join(problems...)
}

// PlanWrite plans writing content to rel whole: authgen.yaml, go.mod, the
// key set. mode is the permission of a new file; an existing one keeps its
// own. The change is Created, Updated or Unchanged (a caller replacing a
// file that was not authgen's says Replaced).
func PlanWrite(root, rel string, content []byte, mode fs.FileMode) (Change, error) {
	old, exists, err := readTarget(root, rel)
	if err != nil {
		return Change{}, err
	}
	c := Change{Path: rel, Content: content, Mode: mode}
	switch {
	case !exists:
		c.Action = Created
	case bytes.Equal(old, content):
		c.Action, c.Old = Unchanged, old
	default:
		c.Action, c.Old = Updated, old
	}
	return c, nil
}

// PlanRemove plans deleting rel, a generated file nothing generates any
// more: Removed when it carries authgen's marker, Kept when it does not. A
// missing file is no change (an empty Action).
func PlanRemove(root, rel string) (Change, error) {
	old, exists, err := readTarget(root, rel)
	if err != nil || !exists {
		return Change{}, err
	}
	if !generator.IsGenerated(old) {
		return Change{Path: rel, Action: Kept, Old: old, Content: old}, nil
	}
	return Change{Path: rel, Action: Removed, Old: old}, nil
}

// readTarget reads the file at rel under root. A path that cannot hold a
// file — a directory there, or a file where a parent directory should be —
// is ErrNotWritable, naming it.
func readTarget(root, rel string) (data []byte, exists bool, err error) {
	full, err := resolve(root, rel)
	if err != nil {
		return nil, false, err
	}
	data, err = os.ReadFile(full)
	switch {
	case err == nil:
		return data, true, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, false, nil
	case errors.Is(err, syscall.EISDIR):
		return nil, false, notFile(rel)
	case errors.Is(err, syscall.ENOTDIR):
		if p := fileParent(root, rel); p != "" {
			return nil, false, notDir(p, rel)
		}
	}
	return nil, false, fmt.Errorf("writer: %w", err)
}

// resolve is rel (slash-separated, inside root) as a path under root.
func resolve(root, rel string) (string, error) {
	local := filepath.FromSlash(rel)
	if rel == "" || !filepath.IsLocal(local) {
		return "", fmt.Errorf("writer: %q is not a path inside the project", rel)
	}
	return filepath.Join(root, local), nil
}

// fileParent returns the first parent directory of rel that exists as
// something other than a directory, or "".
func fileParent(root, rel string) string {
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		p := strings.Join(parts[:i], "/")
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			return ""
		}
		if !fi.IsDir() {
			return p
		}
	}
	return ""
}

func notFile(rel string) error {
	return fmt.Errorf("%w %s: it is a directory, and authgen writes a file there (move the directory away)", ErrNotWritable, rel)
}

func notDir(parent, rel string) error {
	return fmt.Errorf("%w %s: %s is a file, and authgen needs a directory there (move the file away)", ErrNotWritable, rel, parent)
}

// entry is one line of a line file with the comment lines right above it.
type entry struct {
	key      string
	comments []string
	line     string
}

// entries splits a line file (.gitignore, .env.example) into entries. A
// line's key is the variable name before "=", else the line itself.
func entries(content []byte) []entry {
	var out []entry
	var comments []string
	for _, line := range strings.Split(string(content), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			comments = nil
		case strings.HasPrefix(t, "#"):
			comments = append(comments, line)
		default:
			key, _, _ := strings.Cut(t, "=")
			out = append(out, entry{key: strings.TrimSpace(key), comments: comments, line: line})
			comments = nil
		}
	}
	return out
}

// merge appends to old the entries of add whose keys old lacks; an entry
// with comments is set off by a blank line.
func merge(old, add []byte) []byte {
	have := map[string]bool{}
	for _, e := range entries(old) {
		have[e.key] = true
	}
	out := bytes.Clone(old)
	for _, e := range entries(add) {
		if have[e.key] {
			continue
		}
		have[e.key] = true
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		if len(e.comments) > 0 && len(out) > 0 && !bytes.HasSuffix(out, []byte("\n\n")) {
			out = append(out, '\n')
		}
		for _, c := range e.comments {
			out = append(out, c...)
			out = append(out, '\n')
		}
		out = append(out, e.line...)
		out = append(out, '\n')
	}
	return out
}
