package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/authgen/authgen/runtime/dburl"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/sqlstore"
)

// queries counts the statements sent through the "sqlite-counting" driver.
var queries atomic.Int64

func init() {
	sql.Register("sqlite-counting", countingDriver{&sqlite.Driver{}})
}

type countingDriver struct{ inner driver.Driver }

func (d countingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return countingConn{c}, nil
}

// countingConn passes everything to the SQLite connection and counts
// queries and execs.
type countingConn struct{ driver.Conn }

func (c countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	queries.Add(1)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	queries.Add(1)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return countingStmt{st}, nil
}

// countingStmt counts executions of a prepared statement.
type countingStmt struct{ driver.Stmt }

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	queries.Add(1)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	queries.Add(1)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// sessionFixture makes a user with a session and returns its ID.
func sessionFixture(b *testing.B, s *sqlstore.Store) string {
	b.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, store.User{Name: "Bench", Email: "bench@example.com", Image: "https://example.com/a.png"})
	if err != nil {
		b.Fatal(err)
	}
	id := store.HashToken("bench-session-token")
	if err := s.CreateSession(ctx, store.Session{ID: id, UserID: u.ID, Expires: time.Now().Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	return id
}

// benchCheck measures GetSessionAndUser, the whole database session check,
// one at a time and from every core at once.
func benchCheck(b *testing.B, s *sqlstore.Store) {
	id := sessionFixture(b, s)
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := s.GetSessionAndUser(ctx, id, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := s.GetSessionAndUser(ctx, id, time.Now()); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
	})
}

func BenchmarkSessionCheckSQLite(b *testing.B) {
	dsn, err := dburl.SQLite("sqlite:" + filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite-counting", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	migrate(b, db, "sqlite")
	s := sqlstore.New(db, sqliteDialect, prefix)
	id := sessionFixture(b, s)
	b.Run("queries", func(b *testing.B) {
		before := queries.Load()
		for b.Loop() {
			if _, _, err := s.GetSessionAndUser(context.Background(), id, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(queries.Load()-before)/float64(b.N), "queries/op")
	})
	empty(b, db)
	benchCheck(b, s)
}

func BenchmarkSessionCheckPostgres(b *testing.B) {
	benchCheck(b, sqlstore.New(openPostgres(b), postgresDialect, prefix))
}

func BenchmarkSessionCheckMariaDB(b *testing.B) {
	benchCheck(b, sqlstore.New(openMariaDB(b), mysqlDialect, prefix))
}
