package sqlmigrate_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"github.com/authgen/authgen/runtime/store/sqlmigrate"
	"github.com/authgen/authgen/templates"
)

// goose's SQL parser is internal, so the fuzz test learns how goose splits
// a file by letting goose run it on a driver that records what it is sent.

// recording is what one goose run sent: statements, and "BEGIN"/"COMMIT"
// around those of a transaction.
type recording struct {
	mu   sync.Mutex
	sent []string
}

func (r *recording) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, s)
}

var (
	recordings sync.Map // DSN → *recording
	recorderN  atomic.Int64
)

type recorderDriver struct{}

func init() { sql.Register("goose-recorder", recorderDriver{}) }

func (recorderDriver) Open(name string) (driver.Conn, error) {
	r, ok := recordings.Load(name)
	if !ok {
		return nil, fmt.Errorf("no recording %q", name)
	}
	return recorderConn{r.(*recording)}, nil
}

type recorderConn struct{ r *recording }

func (c recorderConn) Prepare(q string) (driver.Stmt, error) {
	return nil, fmt.Errorf("recorder: prepare %q", q)
}
func (c recorderConn) Close() error { return nil }
func (c recorderConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}
func (c recorderConn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	c.r.add("BEGIN")
	return recorderTx(c), nil
}
func (c recorderConn) ExecContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Result, error) {
	c.r.add(q)
	return driver.ResultNoRows, nil
}

type recorderTx struct{ r *recording }

func (t recorderTx) Commit() error   { t.r.add("COMMIT"); return nil }
func (t recorderTx) Rollback() error { t.r.add("ROLLBACK"); return nil }

// gooseRuns has goose apply, then undo, the migration src as 00001_fuzz.sql
// without a version table, and returns what it sent each time.
func gooseRuns(t *testing.T, src []byte) (up, down []string, err error) {
	dsn := fmt.Sprint("rec", recorderN.Add(1))
	run := func(f func(context.Context, *goose.Provider) error) ([]string, error) {
		r := &recording{}
		recordings.Store(dsn, r)
		defer recordings.Delete(dsn)
		db, err := sql.Open("goose-recorder", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		p, err := goose.NewProvider(goose.DialectSQLite3, db, fstest.MapFS{"00001_fuzz.sql": {Data: src}}, goose.WithDisableVersioning(true))
		if err != nil {
			t.Fatal(err)
		}
		err = f(context.Background(), p)
		return r.sent, err
	}
	up, err = run(func(ctx context.Context, p *goose.Provider) error { _, err := p.Up(ctx); return err })
	if err != nil {
		return nil, nil, err
	}
	down, err = run(func(ctx context.Context, p *goose.Provider) error { _, err := p.Down(ctx); return err })
	return up, down, err
}

// sent is what goose would send for statements, in a transaction or not.
func sent(stmts []sqlmigrate.Statement, tx bool) []string {
	var out []string
	if tx {
		out = append(out, "BEGIN")
	}
	for _, s := range stmts {
		out = append(out, s.SQL)
	}
	if tx {
		out = append(out, "COMMIT")
	}
	return out
}

// FuzzParseAgreesWithGoose: whatever goose accepts, Parse splits into the
// same statements, with the same transaction, in both directions, or
// refuses as ErrUnsupported; whatever goose refuses, Parse refuses.
func FuzzParseAgreesWithGoose(f *testing.F) {
	for _, fsys := range migrations {
		for _, file := range fsys {
			f.Add(file.Data)
		}
	}
	for _, d := range []string{"sqlite", "postgres", "mysql"} {
		files, err := templates.Migrations(d, templates.MigrationData{Prefix: "auth_"})
		if err != nil {
			f.Fatal(err)
		}
		for _, src := range files {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"",
		"-- +goose Up\nSELECT 1;",
		"-- +goose Up\r\nSELECT 1;\r\n-- +goose Down\r\nSELECT 2;\r\n",
		"--+goose up\n  \n-- c\nSELECT 1; -- x\n--+goose DOWN\n",
		"-- +goose Up\n-- +goose StatementBegin\n-- only a comment\n-- +goose StatementEnd\nSELECT 1;\n",
		"-- +goose Up\n-- +goose StatementBegin\n  \n-- +goose StatementEnd\n",
		"-- +goose Up\nSELECT 1\n-- +goose StatementBegin\nSELECT 2;\n-- +goose StatementEnd\n",
		"-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementEnd\n-- +goose StatementEnd\n",
		"-- +goose Up\n-- +goose Down\n-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementEnd\nSELECT 2\n",
		"-- +goose NO TRANSACTION\n-- +goose Up\nVACUUM;\n",
		"-- +goose ENVSUB ON\n-- +goose Up\nSELECT '${A}';\n",
		"-- +goose Up\n  -- +goose StatementBegin\n",
		"-- +goose Up\nSELECT ';' -- +goose\n;\n",
		"-- +goose Up\nSELECT 1;-- x\nSELECT 2;\n",
		"--- +goose Up\n",
		"-- +goose Up\n\v-- +goose Down\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		ours, err := sqlmigrate.Parse("00001_fuzz.sql", src)
		up, down, gerr := gooseRuns(t, src)
		switch {
		case errors.Is(err, sqlmigrate.ErrUnsupported):
			return // refused on purpose, whatever goose does
		case err != nil && gerr == nil:
			t.Fatalf("Parse refuses what goose accepts: %v\ngoose sends up %q, down %q", err, up, down)
		case err == nil && gerr != nil:
			t.Fatalf("Parse accepts what goose refuses: %v\nParse: up %q, down %q", gerr, sent(ours.Up, false), sent(ours.Down, false))
		case err != nil:
			var pe *sqlmigrate.ParseError
			if !errors.As(err, &pe) || pe.File != "00001_fuzz.sql" || pe.Line < 1 {
				t.Fatalf("Parse's error %v names no file and line", err)
			}
			return
		}
		if want := sent(ours.Up, !ours.NoTransaction); !reflect.DeepEqual(up, want) {
			t.Fatalf("up: goose sends\n%q\nParse says\n%q", up, want)
		}
		if want := sent(ours.Down, !ours.NoTransaction); !reflect.DeepEqual(down, want) {
			t.Fatalf("down: goose sends\n%q\nParse says\n%q", down, want)
		}
	})
}
