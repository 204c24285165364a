package testsvc

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// MySQL is a MariaDB server started by [MariaDB]: user root with no
// password over TCP on 127.0.0.1. All programs run with --no-defaults, so
// /etc/mysql is ignored.
type MySQL struct {
	*Process
	// Host is always 127.0.0.1.
	Host string
	// Port is the TCP port the server listens on.
	Port int
	// User is "root" (no password).
	User string
	// DBName is the database created for the test, "authgen".
	DBName string

	client string // path of the mariadb client
	admin  string // path of mariadb-admin
}

var sbinDirs = []string{"/usr/sbin", "/usr/local/sbin", "/sbin"}

// MariaDB starts a MariaDB server for the test, with a fresh empty database
// named "authgen" (see [MySQL.URL] and [MySQL.DSN]). The server is stopped
// and its files are removed when the test ends.
//
// It needs the Debian package mariadb-server (which brings the
// mariadb-client programs).
func MariaDB(t testing.TB) *MySQL {
	t.Helper()
	skipShort(t)
	const pkg = "mariadb-server"
	mariadbd := LookPath(t, "mariadbd", pkg, sbinDirs...)
	installDB := LookPath(t, "mariadb-install-db", pkg, sbinDirs...)
	m := &MySQL{
		Host:   "127.0.0.1",
		User:   "root",
		DBName: "authgen",
		client: LookPath(t, "mariadb", pkg),
		admin:  LookPath(t, "mariadb-admin", pkg),
	}

	dir := newDir(t, "mariadb")
	data := filepath.Join(dir, "data")
	// Its own temporary directory: servers bootstrapping at the same time
	// in the shared /tmp have been seen to remove each other's temporary
	// tables (#sql-temptable-…).
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatalf("testsvc: mariadb: %v", err)
	}
	var userArg []string
	if os.Geteuid() == 0 {
		userArg = []string{"--user=root"} // mariadbd refuses to run as root otherwise
	}
	args := append([]string{"--no-defaults"}, userArg...)
	args = append(args, "--datadir="+data, "--tmpdir="+tmp, "--auth-root-authentication-method=normal",
		"--skip-test-db", "--skip-name-resolve")
	if out, err := runInDir(t.Context(), dir, nil, installDB, args...); err != nil {
		t.Fatalf("testsvc: mariadb-install-db: %v\n%s", err, out)
	}

	m.Process = &Process{
		Name:       "mariadb",
		Dir:        dir,
		stopSignal: syscall.SIGTERM, // normal shutdown
		newCmd: func() *exec.Cmd {
			args := append([]string{"--no-defaults"}, userArg...)
			args = append(args,
				"--datadir="+data,
				"--tmpdir="+tmp,
				"--bind-address=127.0.0.1",
				"--port="+strconv.Itoa(m.Port),
				"--socket="+filepath.Join(dir, "mysqld.sock"),
				"--pid-file="+filepath.Join(dir, "mysqld.pid"),
				"--skip-name-resolve",
				"--skip-log-bin",
				"--innodb-flush-log-at-trx-commit=0",
				"--innodb-doublewrite=0",
				"--innodb-buffer-pool-size=64M",
				"--innodb-log-file-size=16M",
				"--max-connections=300",
				"--character-set-server=utf8mb4",
				"--collation-server=utf8mb4_unicode_ci",
			)
			return exec.Command(mariadbd, args...) // logs to stderr
		},
		ready: m.Ping,
	}
	m.startNew(t, 1, func(p []int) { m.Port = p[0] })

	if _, err := m.Exec(t.Context(), "", "CREATE DATABASE "+m.DBName); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	return m
}

// Addr returns "127.0.0.1:PORT".
func (m *MySQL) Addr() string { return hostPort(m.Port) }

// URL returns the URL of the test database, mysql://root@127.0.0.1:PORT/authgen.
func (m *MySQL) URL() string { return m.URLFor(m.DBName) }

// URLFor returns the URL of database db on this server.
func (m *MySQL) URLFor(db string) string {
	return fmt.Sprintf("mysql://%s@%s/%s", m.User, m.Addr(), db)
}

// DSN returns the test database in github.com/go-sql-driver/mysql form,
// root@tcp(127.0.0.1:PORT)/authgen?parseTime=true.
func (m *MySQL) DSN() string { return m.DSNFor(m.DBName) }

// DSNFor returns database db in github.com/go-sql-driver/mysql form.
func (m *MySQL) DSNFor(db string) string {
	return fmt.Sprintf("%s@tcp(%s)/%s?parseTime=true", m.User, m.Addr(), db)
}

// CreateDB creates an empty database and returns its URL (see
// [MySQL.URLFor]; use [MySQL.DSNFor] with the same name for a driver DSN).
// If name is empty a unique name is chosen.
func (m *MySQL) CreateDB(t testing.TB, name string) string {
	t.Helper()
	name = uniqueDBName(t, name)
	if _, err := m.Exec(t.Context(), "", "CREATE DATABASE `"+name+"`"); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	return m.URLFor(name)
}

// Exec runs SQL with the mariadb client in database db (none if empty) and
// returns its output in batch form without column names (e.g. "1\n" for
// "select 1").
func (m *MySQL) Exec(ctx context.Context, db, sql string) (string, error) {
	args := []string{"--no-defaults", "--protocol=TCP", "-h", m.Host, "-P", strconv.Itoa(m.Port),
		"-u", m.User, "--connect-timeout=5", "--batch", "--skip-column-names", "-e", sql}
	if db != "" {
		args = append(args, db)
	}
	return run(ctx, m.client, args...)
}

// Ping reports whether the server answers (mariadb-admin ping over TCP).
func (m *MySQL) Ping(ctx context.Context) error {
	if err := tcpDial(ctx, m.Addr()); err != nil {
		return err
	}
	_, err := run(ctx, m.admin, "--no-defaults", "--protocol=TCP", "-h", m.Host, "-P", strconv.Itoa(m.Port),
		"-u", m.User, "--connect-timeout=2", "ping")
	return err
}
