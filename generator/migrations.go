package generator

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"

	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/templates"
)

// migrationName is a goose migration's file name: its version, "_", and
// what it does.
var migrationName = regexp.MustCompile(`^([0-9]+)_(.+\.sql)$`)

// migrationFiles emits the dialect's migrations as scaffold files, named
// against Spec.Migrations: one whose name (after its number) the project
// has already keeps the project's file name, so the writer leaves it; one
// it lacks gets its own number, or the number after the project's newest
// migration when that is not greater, because goose-format migrators
// refuse a migration older than the database's version.
func (g *gen) migrationFiles() ([]File, error) {
	rendered, err := templates.Migrations(g.m.Database, templates.MigrationData{Prefix: g.m.Prefix()})
	if err != nil {
		return nil, err
	}
	have := map[string]string{} // name after the number → the project's file
	var newest int64
	for _, name := range g.spec.Migrations {
		m := migrationName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		v, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			continue
		}
		newest = max(newest, v)
		if _, ok := have[m[2]]; !ok {
			have[m[2]] = name
		}
	}
	type migration struct {
		version int64
		what    string
		content []byte
	}
	var ms []migration
	for name, content := range rendered {
		m := migrationName.FindStringSubmatch(name)
		if m == nil {
			return nil, fmt.Errorf("generator: template migration %s is not named NNNNN_name.sql", name)
		}
		v, _ := strconv.ParseInt(m[1], 10, 64)
		ms = append(ms, migration{version: v, what: m[2], content: content})
	}
	slices.SortFunc(ms, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	var out []File
	for _, m := range ms {
		name, ok := have[m.what]
		if !ok {
			v := max(m.version, newest+1)
			newest = v
			name = fmt.Sprintf("%05d_%s", v, m.what)
		}
		out = append(out, File{Path: g.file("migrations/" + name), Content: m.content, Kind: Scaffold})
	}
	return out, nil
}

// MigrationNames returns the names of the files in the migrations
// directory of m's package in fsys (a project's root, such as
// os.DirFS(root)), for Spec.Migrations; none when there is no such
// directory.
func MigrationNames(fsys fs.FS, m *manifest.Manifest) ([]string, error) {
	entries, err := fs.ReadDir(fsys, path.Join(m.Package, "migrations"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("generator: read migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// migrationDialects are the dialects authgen writes SQL migrations for.
var migrationDialects = []string{manifest.DBSQLite, manifest.DBPostgres, manifest.DBMySQL}

// MigrationDialect reports which SQL dialect's authgen migration content
// is, byte for byte, as authgen writes it under m's table prefix: the
// migration whose name (after its number) is name's. ok is false for a
// file authgen did not write that way — the project's own migration, or
// authgen's edited by the user. A project that changed its database keeps
// its migration files (they are scaffold files), and this tells which of
// them are still authgen's text for the old dialect, to be rewritten for
// the new one.
func MigrationDialect(name string, content []byte, m *manifest.Manifest) (dialect string, ok bool) {
	want := migrationName.FindStringSubmatch(name)
	if want == nil {
		return "", false
	}
	for _, d := range migrationDialects {
		rendered, err := templates.Migrations(d, templates.MigrationData{Prefix: m.Prefix()})
		if err != nil {
			continue
		}
		for n, c := range rendered {
			if got := migrationName.FindStringSubmatch(n); got != nil && got[2] == want[2] && bytes.Equal(c, content) {
				return d, true
			}
		}
	}
	return "", false
}
