package testsvc

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// PG is a PostgreSQL server started by [PostgreSQL]: a throw-away cluster
// with trust authentication for the superuser "postgres" over TCP on
// 127.0.0.1, and durability switched off (fsync=off) for speed.
type PG struct {
	*Process
	// Host is always 127.0.0.1.
	Host string
	// Port is the TCP port the server listens on.
	Port int
	// User is the superuser name, "postgres" (no password).
	User string
	// DBName is the database created for the test, "authgen".
	DBName string
	// BinDir holds the server and client programs (pg_config --bindir).
	BinDir string
}

// PostgreSQL starts a PostgreSQL server for the test, with a fresh empty
// database named "authgen" (see [PG.URL]). The server is stopped and its
// files are removed when the test ends.
//
// It needs the Debian package postgresql. The server programs are found
// through `pg_config --bindir` (or /usr/lib/postgresql/<version>/bin). When
// the test runs as root, initdb and postgres run as the "postgres" user.
func PostgreSQL(t testing.TB) *PG {
	t.Helper()
	skipShort(t)
	binDir := pgBinDir(t)
	pg := &PG{Host: "127.0.0.1", User: "postgres", DBName: "authgen", BinDir: binDir}

	var runAs *osUser
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			Unavailable(t, "testsvc: running as root but there is no postgres user (%v): install the Debian package postgresql", err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		runAs = &osUser{Name: "postgres", Uid: uint32(uid), Gid: uint32(gid)}
	}

	dir := newDir(t, "pg")
	if runAs != nil {
		if err := os.Chown(dir, int(runAs.Uid), int(runAs.Gid)); err != nil {
			t.Fatalf("testsvc: %v", err)
		}
	}
	data := filepath.Join(dir, "data")

	// initdb refuses to run as root, so it runs as postgres too.
	initdb := exec.Command(filepath.Join(binDir, "initdb"),
		"-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C",
		"--no-sync", "--no-instructions")
	initdb.Dir = dir
	initdb.Env = pgEnv()
	if err := configureCmd(initdb, runAs); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("testsvc: initdb: %v\n%s", err, out)
	}

	pg.Process = &Process{
		Name:       "postgres",
		Dir:        dir,
		user:       runAs,
		stopSignal: syscall.SIGINT, // "fast" shutdown: disconnect clients, checkpoint, exit
		newCmd: func() *exec.Cmd {
			cmd := exec.Command(filepath.Join(binDir, "postgres"),
				"-D", data,
				"-p", strconv.Itoa(pg.Port),
				"-c", "listen_addresses=127.0.0.1",
				"-c", "unix_socket_directories=", // TCP only: no socket path length limits
				"-c", "fsync=off",
				"-c", "synchronous_commit=off",
				"-c", "full_page_writes=off",
				"-c", "shared_buffers=32MB",
				"-c", "max_connections=200",
				"-c", "log_min_messages=warning",
			)
			cmd.Env = pgEnv()
			return cmd
		},
		ready: pg.Ping,
	}
	pg.startNew(t, 1, func(p []int) { pg.Port = p[0] })

	if _, err := pg.Exec(t.Context(), "postgres", "CREATE DATABASE "+pg.DBName); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	return pg
}

// pgEnv is the environment for the server programs: the caller's, minus
// libpq/locale variables that could change their behavior.
func pgEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C")
}

func pgBinDir(t testing.TB) string {
	t.Helper()
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if isExecutable(filepath.Join(dir, "postgres")) && isExecutable(filepath.Join(dir, "initdb")) {
			return dir
		}
	}
	// Debian installs each major version under /usr/lib/postgresql/N/bin;
	// take the newest.
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, dir := range dirs {
		if isExecutable(filepath.Join(dir, "postgres")) && isExecutable(filepath.Join(dir, "initdb")) {
			return dir
		}
	}
	Unavailable(t, "testsvc: PostgreSQL server programs not found (pg_config --bindir, /usr/lib/postgresql/*/bin): install the Debian package postgresql")
	return ""
}

// Addr returns "127.0.0.1:PORT".
func (pg *PG) Addr() string { return hostPort(pg.Port) }

// URL returns the URL of the test database,
// postgres://postgres@127.0.0.1:PORT/authgen?sslmode=disable.
func (pg *PG) URL() string { return pg.URLFor(pg.DBName) }

// URLFor returns the URL of database db on this server.
func (pg *PG) URLFor(db string) string {
	return fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable", pg.User, pg.Addr(), db)
}

var (
	dbNameRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)
	dbCounter atomic.Int64
)

// uniqueDBName returns name if given, else a fresh name like "test_3".
func uniqueDBName(t testing.TB, name string) string {
	t.Helper()
	if name == "" {
		name = fmt.Sprintf("test_%d", dbCounter.Add(1))
	}
	if !dbNameRE.MatchString(name) {
		t.Fatalf("testsvc: invalid database name %q (want letters, digits, underscore)", name)
	}
	return name
}

// CreateDB creates an empty database and returns its URL. If name is empty a
// unique name is chosen.
func (pg *PG) CreateDB(t testing.TB, name string) string {
	t.Helper()
	name = uniqueDBName(t, name)
	if _, err := pg.Exec(t.Context(), "postgres", `CREATE DATABASE "`+name+`"`); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	return pg.URLFor(name)
}

// Exec runs SQL in database db with psql and returns its output (unaligned,
// tuples only, e.g. "1\n" for "select 1").
func (pg *PG) Exec(ctx context.Context, db, sql string) (string, error) {
	return runInDir(ctx, "", []string{"PGCONNECT_TIMEOUT=5"}, filepath.Join(pg.BinDir, "psql"),
		"-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
		"-h", pg.Host, "-p", strconv.Itoa(pg.Port), "-U", pg.User, "-d", db, "-c", sql)
}

// Ping reports whether the server accepts connections (pg_isready over TCP).
func (pg *PG) Ping(ctx context.Context) error {
	if err := tcpDial(ctx, pg.Addr()); err != nil {
		return err
	}
	_, err := run(ctx, filepath.Join(pg.BinDir, "pg_isready"),
		"-q", "-h", pg.Host, "-p", strconv.Itoa(pg.Port), "-U", pg.User, "-d", "postgres", "-t", "2")
	return err
}
