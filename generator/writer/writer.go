// Package writer applies the generator's files to a project directory:
// generated files are rewritten, scaffold files are written only when
// absent, and merged files get their missing entries appended. It refuses to
// overwrite a file that lacks authgen's marker unless forced.
package writer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
)

// ErrUnmarked reports files authgen would overwrite although they lack its
// marker, so they may be the user's.
var ErrUnmarked = errors.New("writer: refusing to overwrite files without the authgen marker (use --force)")

// Options control Apply.
type Options struct {
	// Force overwrites unmarked files and rewrites scaffold files.
	Force bool
	// DryRun computes the changes without writing.
	DryRun bool
}

// Change is one file's outcome.
type Change struct {
	Path   string
	Action Action
	// Content is what the file holds afterwards.
	Content []byte
	// Old is what it held before (nil when absent).
	Old []byte
}

// Apply writes files under root and reports what changed, in the files'
// order. Nothing is written when any generated file would overwrite an
// unmarked one.
func Apply(root string, files []generator.File, opts Options) ([]Change, error) {
	changes, err := Plan(root, files, opts)
	if err != nil || opts.DryRun {
		return changes, err
	}
	for _, c := range changes {
		if c.Action == Unchanged || c.Action == Skipped {
			continue
		}
		if err := writeFile(filepath.Join(root, filepath.FromSlash(c.Path)), c.Content); err != nil {
			return changes, err
		}
	}
	return changes, nil
}

// Plan computes what Apply would do.
func Plan(root string, files []generator.File, opts Options) ([]Change, error) {
	var changes []Change
	var unmarked []string
	for _, f := range files {
		old, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("writer: %w", err)
		}
		c := Change{Path: f.Path, Content: f.Content}
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
		case f.Kind == generator.Generated && !opts.Force && !generator.IsGenerated(old):
			unmarked = append(unmarked, f.Path)
			c.Action = Updated
		default:
			c.Action = Updated
		}
		changes = append(changes, c)
	}
	if len(unmarked) > 0 {
		return changes, fmt.Errorf("%w: %s", ErrUnmarked, strings.Join(unmarked, ", "))
	}
	return changes, nil
}

// writeFile replaces path in one rename, creating directories as needed.
func writeFile(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".authgen-*")
	if err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	defer os.Remove(tmp.Name())
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return fmt.Errorf("writer: %w", err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("writer: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	return nil
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
