package writer

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Tx is a set of changes applied to a project together, and what is
// needed to take them back: Commit keeps them, Rollback restores every file
// and directory as it was before Begin (its bytes, mode and modification
// time), and removes what Begin created.
//
// Begin applies in two steps. First every new content is written to a
// temporary file beside its target, creating the directories it needs;
// nothing the project had is touched yet, and a failure (a directory that
// cannot be written) only removes what it made. Then each temporary file is
// renamed over its target, after the file it replaces was hard-linked to a
// backup name, so a rename that fails is undone by renaming the backups
// back. Removed files are renamed to backups, not deleted, until Commit.
type Tx struct {
	root string
	done []applied
	dirs []string // created by Begin, parents first
	// dirTimes are the modification times of the directories that held
	// the changed files, restored last.
	dirTimes map[string]time.Time
	guards   []guard
	closed   bool
	failing  func(op, path string) error // tests: inject a failure
}

// applied is one change in place, and how to undo it.
type applied struct {
	rel, path string
	// backup holds the replaced or removed file, renamed or hard-linked;
	// "" when the file was created (or, for a replaced file, when the file
	// system has no hard links: then old/mode/mtime restore it).
	backup  string
	created bool
	old     []byte
	mode    fs.FileMode
	mtime   time.Time
}

// guard is a file an outside command may change (go.mod under go mod
// tidy), as it was.
type guard struct {
	rel, path string
	exists    bool
	data      []byte
	mode      fs.FileMode
	mtime     time.Time
}

// staged is a change whose new content waits in a temporary file.
type staged struct {
	c    Change
	path string
	tmp  string
}

// Begin applies the changes that write or remove files under root, all or
// nothing: when it fails, the project is as it was. Changes that change
// nothing (Unchanged, Skipped, Kept) are ignored. The caller ends the
// transaction with Commit, or with Rollback when a later step fails.
func Begin(root string, changes []Change) (*Tx, error) {
	return begin(root, changes, nil)
}

func begin(root string, changes []Change, failing func(op, path string) error) (*Tx, error) {
	tx := &Tx{root: root, failing: failing, dirTimes: map[string]time.Time{}}
	var todo []Change
	for _, c := range changes {
		if c.Action.Changes() {
			todo = append(todo, c)
		}
	}
	if err := check(root, todo); err != nil {
		return nil, err
	}
	var stage []staged
	fail := func(err error) (*Tx, error) {
		for _, s := range stage {
			if s.tmp != "" {
				os.Remove(s.tmp)
			}
		}
		return nil, errors.Join(err, tx.removeDirs())
	}
	for _, c := range todo {
		path, _ := resolve(root, c.Path)
		tx.recordDir(filepath.Dir(path))
		if err := tx.mkdirs(filepath.Dir(path)); err != nil {
			return fail(fmt.Errorf("%w %s: %w", ErrNotWritable, c.Path, err))
		}
		s := staged{c: c, path: path}
		tmp, err := tx.temp(path, c)
		if tmp != "" {
			s.tmp = tmp
			stage = append(stage, s)
		}
		if err != nil {
			return fail(fmt.Errorf("%w %s: %w", ErrNotWritable, c.Path, err))
		}
		if c.Action == Removed {
			// The temporary file only proved the directory writable.
			os.Remove(tmp)
			stage[len(stage)-1].tmp = ""
		}
	}
	for i, s := range stage {
		if err := tx.swap(s); err != nil {
			for _, rest := range stage[i:] {
				if rest.tmp != "" {
					os.Remove(rest.tmp)
				}
			}
			return nil, errors.Join(fmt.Errorf("%w %s: %w", ErrNotWritable, s.c.Path, err), tx.undo())
		}
	}
	return tx, nil
}

// check refuses, before anything is written, every path that cannot hold a
// file: collected, so one run names them all.
func check(root string, changes []Change) error {
	var problems []error
	for _, c := range changes {
		path, err := resolve(root, c.Path)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if p := fileParent(root, c.Path); p != "" {
			problems = append(problems, notDir(p, c.Path))
			continue
		}
		if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
			problems = append(problems, notFile(c.Path))
		}
	}
	return errors.Join(problems...)
}

// mkdirs creates dir and its missing parents, remembering each for
// Rollback.
func (tx *Tx) mkdirs(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, d := range slices.Backward(missing) {
		if err := tx.fault("mkdir", d); err != nil {
			return err
		}
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		tx.dirs = append(tx.dirs, d)
	}
	return nil
}

// temp writes c's content to a temporary file beside path, with the mode
// the file will have (a key set's 0600 from the start), and returns its
// name.
func (tx *Tx) temp(path string, c Change) (string, error) {
	if err := tx.fault("create", path); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".authgen-*.tmp")
	if err != nil {
		return "", err
	}
	mode := c.Mode
	if mode == 0 {
		mode = 0o644
	}
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	err = f.Chmod(mode)
	if err == nil {
		_, err = f.Write(c.Content)
	}
	if err == nil {
		err = tx.fault("write", path)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// swap puts a staged change in place, keeping what it replaces.
func (tx *Tx) swap(s staged) error {
	a := applied{rel: s.c.Path, path: s.path}
	fi, err := os.Lstat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		a.created = true
	case err != nil:
		return err
	default:
		a.mode, a.mtime = fi.Mode().Perm(), fi.ModTime()
		a.backup = backupName(s.path)
	}
	if s.c.Action == Removed {
		if a.created {
			return nil // already gone
		}
		if err := tx.fault("remove", s.path); err != nil {
			return err
		}
		if err := os.Rename(s.path, a.backup); err != nil {
			return err
		}
		tx.done = append(tx.done, a)
		return nil
	}
	if !a.created {
		if err := os.Link(s.path, a.backup); err != nil {
			// No hard links here: keep the bytes instead.
			a.backup = ""
			if a.old, err = os.ReadFile(s.path); err != nil {
				return err
			}
		}
	}
	if err := tx.fault("rename", s.path); err != nil {
		tx.dropBackup(a)
		return err
	}
	if err := os.Rename(s.tmp, s.path); err != nil {
		tx.dropBackup(a)
		return err
	}
	tx.done = append(tx.done, a)
	return nil
}

func (tx *Tx) dropBackup(a applied) {
	if a.backup != "" {
		os.Remove(a.backup)
	}
}

// backupName is a name beside path for the file it held.
func backupName(path string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return filepath.Join(filepath.Dir(path), ".authgen-"+filepath.Base(path)+"."+hex.EncodeToString(b)+".old")
}

// Guard records the files at rels (relative to root) as they are now, so
// that Rollback restores them after an outside command — go mod edit, go
// mod tidy, a migration creating a SQLite database — changed them. A file
// that does not exist is removed again.
func (tx *Tx) Guard(rels ...string) error {
	for _, rel := range rels {
		path, err := resolve(tx.root, rel)
		if err != nil {
			return err
		}
		g := guard{rel: rel, path: path}
		tx.recordDir(filepath.Dir(path))
		fi, err := os.Lstat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("writer: %w", err)
		case !fi.Mode().IsRegular():
			return fmt.Errorf("%w %s: it is not a regular file", ErrNotWritable, rel)
		default:
			g.exists, g.mode, g.mtime = true, fi.Mode().Perm(), fi.ModTime()
			if g.data, err = os.ReadFile(path); err != nil {
				return fmt.Errorf("writer: %w", err)
			}
		}
		tx.guards = append(tx.guards, g)
	}
	return nil
}

// Commit keeps the changes and deletes the backups.
func (tx *Tx) Commit() error {
	if tx.closed {
		return nil
	}
	tx.closed = true
	var errs []error
	for _, a := range tx.done {
		if a.backup != "" {
			if err := os.Remove(a.backup); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("writer: the changes are in place, but a backup was left: %w", err)
	}
	return nil
}

// Rollback restores the project as it was before Begin. After Commit it
// does nothing. Its error names every file it could not restore.
func (tx *Tx) Rollback() error {
	if tx.closed {
		return nil
	}
	tx.closed = true
	return tx.undo()
}

// undo reverses the guards, then the applied changes, newest first, then
// the directories Begin created.
func (tx *Tx) undo() error {
	var failed []string
	var errs []error
	for _, g := range slices.Backward(tx.guards) {
		if err := g.restore(); err != nil {
			failed, errs = append(failed, g.rel), append(errs, err)
		}
	}
	for _, a := range slices.Backward(tx.done) {
		if err := a.undo(); err != nil {
			failed, errs = append(failed, a.rel), append(errs, err)
		}
	}
	tx.done, tx.guards = nil, nil
	if err := tx.removeDirs(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("writer: could not restore %s: %w", strings.Join(failed, ", "), errors.Join(errs...))
	}
	return nil
}

func (a applied) undo() error {
	switch {
	case a.created:
		if err := os.Remove(a.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	case a.backup != "":
		return os.Rename(a.backup, a.path)
	}
	return restoreFile(a.path, a.old, a.mode, a.mtime)
}

func (g guard) restore() error {
	if !g.exists {
		if err := os.Remove(g.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if data, err := os.ReadFile(g.path); err == nil && bytes.Equal(data, g.data) {
		if fi, err := os.Stat(g.path); err == nil && fi.Mode().Perm() == g.mode && fi.ModTime().Equal(g.mtime) {
			return nil
		}
	}
	return restoreFile(g.path, g.data, g.mode, g.mtime)
}

// restoreFile writes data to path in one rename, with mode and mtime.
func restoreFile(path string, data []byte, mode fs.FileMode, mtime time.Time) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".authgen-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	err = f.Chmod(mode)
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(f.Name(), mtime, mtime)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	return err
}

// recordDir remembers the modification time of dir, or of its nearest
// existing parent when Begin is to create it.
func (tx *Tx) recordDir(dir string) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, ok := tx.dirTimes[d]; ok {
			return
		}
		if fi, err := os.Stat(d); err == nil {
			tx.dirTimes[d] = fi.ModTime()
			return
		}
		if filepath.Dir(d) == d {
			return
		}
	}
}

// removeDirs removes the directories Begin created, children first (one
// that is not empty, because something else wrote there, stays), then
// gives the directories it changed their modification times back.
func (tx *Tx) removeDirs() error {
	var errs []error
	for _, d := range slices.Backward(tx.dirs) {
		if err := os.Remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	tx.dirs = nil
	for d, mtime := range tx.dirTimes {
		if err := os.Chtimes(d, mtime, mtime); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// fault is the failure a test injects before op on path, if any.
func (tx *Tx) fault(op, path string) error {
	if tx.failing == nil {
		return nil
	}
	return tx.failing(op, path)
}
