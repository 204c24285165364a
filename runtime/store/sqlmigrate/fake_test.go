package sqlmigrate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// fakeDriver is a database/sql driver that logs what it is sent and keeps
// just enough state — whether the version table exists and the versions it
// holds — to answer the migrator's queries. A statement containing FAIL
// fails. Each DSN is one database.
type fakeDriver struct{}

type fakeDB struct {
	mu       sync.Mutex
	log      []string
	exists   bool
	versions []int64
}

var (
	fakeMu  sync.Mutex
	fakeDBs = map[string]*fakeDB{}
)

func init() { sql.Register("sqlmigrate-fake", fakeDriver{}) }

// openFake returns a new fake database and a *sql.DB on it.
func openFake(name string) (*fakeDB, *sql.DB) {
	fakeMu.Lock()
	f := &fakeDB{}
	fakeDBs[name] = f
	fakeMu.Unlock()
	db, err := sql.Open("sqlmigrate-fake", name)
	if err != nil {
		panic(err)
	}
	return f, db
}

func (fakeDriver) Open(name string) (driver.Conn, error) {
	fakeMu.Lock()
	defer fakeMu.Unlock()
	return &fakeConn{db: fakeDBs[name]}, nil
}

type snapshot struct {
	exists   bool
	versions []int64
}

type fakeConn struct {
	db   *fakeDB
	save *snapshot // taken at BEGIN
}

func (c *fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("not supported") }
func (c *fakeConn) Close() error                        { return nil }
func (c *fakeConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *fakeConn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	c.begin("BEGIN")
	return fakeTx{c}, nil
}

func (c *fakeConn) begin(what string) {
	c.db.mu.Lock()
	defer c.db.mu.Unlock()
	c.db.log = append(c.db.log, what)
	c.save = &snapshot{c.db.exists, slices.Clone(c.db.versions)}
}

func (c *fakeConn) end(what string) {
	c.db.mu.Lock()
	defer c.db.mu.Unlock()
	c.db.log = append(c.db.log, what)
	if what == "ROLLBACK" && c.save != nil {
		c.db.exists, c.db.versions = c.save.exists, c.save.versions
	}
	c.save = nil
}

type fakeTx struct{ c *fakeConn }

func (t fakeTx) Commit() error   { t.c.end("COMMIT"); return nil }
func (t fakeTx) Rollback() error { t.c.end("ROLLBACK"); return nil }

func (c *fakeConn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	switch query {
	case "BEGIN IMMEDIATE":
		c.begin(query)
		return driver.ResultNoRows, nil
	case "COMMIT", "ROLLBACK":
		c.end(query)
		return driver.ResultNoRows, nil
	}
	c.db.mu.Lock()
	defer c.db.mu.Unlock()
	c.db.log = append(c.db.log, short(query, args))
	switch {
	case strings.Contains(query, "FAIL"):
		return nil, errors.New("boom")
	case strings.HasPrefix(query, "CREATE TABLE auth_migrations"):
		c.db.exists = true
	case strings.HasPrefix(query, "INSERT INTO auth_migrations"):
		c.db.versions = append(c.db.versions, args[0].Value.(int64))
	}
	return driver.ResultNoRows, nil
}

func (c *fakeConn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.db.mu.Lock()
	defer c.db.mu.Unlock()
	c.db.log = append(c.db.log, short(query, args))
	var values [][]driver.Value
	switch {
	case strings.Contains(query, "SELECT EXISTS"):
		values = [][]driver.Value{{c.db.exists}}
	case strings.HasPrefix(query, "SELECT version_id"):
		for _, v := range c.db.versions {
			values = append(values, []driver.Value{v})
		}
	case strings.Contains(query, "DATABASE()"):
		values = [][]driver.Value{{"app"}}
	case strings.Contains(query, "pg_advisory_unlock"), strings.Contains(query, "pg_try_advisory_lock"):
		values = [][]driver.Value{{true}}
	case strings.Contains(query, "GET_LOCK"), strings.Contains(query, "RELEASE_LOCK"):
		values = [][]driver.Value{{int64(1)}}
	default:
		return nil, fmt.Errorf("fake: unexpected query %q", query)
	}
	return &fakeRows{values: values}, nil
}

// short is how a statement appears in the log: its first words.
func short(query string, args []driver.NamedValue) string {
	words := strings.Fields(query)
	if len(words) > 3 {
		words = words[:3]
	}
	s := strings.Join(words, " ")
	for _, a := range args {
		s += fmt.Sprintf(" %v", a.Value)
	}
	return s
}

type fakeRows struct {
	values [][]driver.Value
	i      int
}

func (r *fakeRows) Columns() []string { return []string{"c"} }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.i == len(r.values) {
		return io.EOF
	}
	copy(dest, r.values[r.i])
	r.i++
	return nil
}

func (f *fakeDB) takeLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.log
	f.log = nil
	return l
}
