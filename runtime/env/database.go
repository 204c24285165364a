package env

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/authgen/authgen/runtime/dburl"
)

// DatabaseURL reads DATABASE_URL for an application whose store is
// database (authgen.yaml's database: "sqlite", "postgres", "mysql",
// "mongodb" or "custom"), required or defaulted as the table says. Besides
// a missing URL it reports, with the fix, a URL of another database than
// the application's (a postgres:// URL in a SQLite application) and a
// SQLite file whose directory does not exist, which the database would
// only report on first use. A custom store's URL is its own business.
func (r *Reader) DatabaseURL(database string) string {
	const name = "DATABASE_URL"
	v := dbURL[database]
	var raw string
	if v.Required {
		raw = r.Required(name, v.Example)
	} else {
		raw = r.String(name, v.Default)
	}
	if raw == "" || database == "custom" {
		return raw
	}
	fix := fmt.Sprintf("set %s to a %s URL such as %s", name, dburl.Name(database), v.Example)
	if v.Default != "" {
		fix += " (or unset it for the default, " + v.Default + ")"
	}
	got, err := dburl.Dialect(raw)
	switch {
	case err != nil:
		r.problems = append(r.problems, fmt.Sprintf("%s: %v; this application keeps its data in %s: %s", name, err, dburl.Name(database), fix))
		return raw
	case got != database:
		r.problems = append(r.problems, fmt.Sprintf("%s is a %s URL, but this application keeps its data in %s (authgen.yaml: database: %s): %s, or change database in authgen.yaml and run authgen generate",
			name, dburl.Name(got), dburl.Name(database), database, fix))
		return raw
	}
	if database == "sqlite" {
		r.sqliteDir(name, raw)
	}
	return raw
}

// sqliteDir reports a SQLite database whose directory does not exist:
// SQLite creates the file but not its directory.
func (r *Reader) sqliteDir(name, raw string) {
	file, err := dburl.SQLiteFile(raw)
	if err != nil {
		r.problems = append(r.problems, fmt.Sprintf("%s: %v", name, err))
		return
	}
	if file == "" {
		return // in memory
	}
	dir := filepath.Dir(file)
	where := dir
	if abs, err := filepath.Abs(dir); err == nil && abs != dir {
		where = fmt.Sprintf("%s (%s, from the working directory)", dir, abs)
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.problems = append(r.problems, fmt.Sprintf("%s=%s: the directory %s does not exist, and SQLite does not create it: create it (mkdir -p %s), or set %s to a file in an existing directory",
			name, raw, where, dir, name))
	case err == nil && !fi.IsDir():
		r.problems = append(r.problems, fmt.Sprintf("%s=%s: %s is not a directory: set %s to a file in a directory", name, raw, where, name))
	}
}
