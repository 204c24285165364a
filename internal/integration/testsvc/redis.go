package testsvc

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RedisServer is a Redis server started by [Redis], without authentication, on
// 127.0.0.1. It does no background persistence, but [Process.Stop] saves a
// snapshot (SHUTDOWN SAVE) that the next [Process.Start] loads, like a clean
// restart of a real server.
type RedisServer struct {
	*Process
	// Host is always 127.0.0.1.
	Host string
	// Port is the TCP port the server listens on.
	Port int
}

// Redis starts a Redis server for the test. It needs the Debian package
// redis-server.
func Redis(t testing.TB) *RedisServer {
	t.Helper()
	skipShort(t)
	server := LookPath(t, "redis-server", "redis-server")
	r := &RedisServer{Host: "127.0.0.1"}
	dir := newDir(t, "redis")
	r.Process = &Process{
		Name: "redis",
		Dir:  dir,
		newCmd: func() *exec.Cmd {
			return exec.Command(server,
				"--bind", "127.0.0.1",
				"--port", strconv.Itoa(r.Port),
				"--dir", dir,
				"--dbfilename", "dump.rdb",
				"--save", "",
				"--appendonly", "no",
				"--daemonize", "no",
				"--logfile", "", // stdout
				"--databases", "16",
			)
		},
		ready: r.Ping,
		shutdown: func(ctx context.Context) error {
			_, err := r.Do(ctx, "SHUTDOWN", "SAVE")
			if err != nil && strings.Contains(err.Error(), "EOF") {
				return nil // the server closes the connection as it exits
			}
			return err
		},
	}
	r.startNew(t, 1, func(p []int) { r.Port = p[0] })
	return r
}

// Addr returns "127.0.0.1:PORT".
func (r *RedisServer) Addr() string { return hostPort(r.Port) }

// URL returns redis://127.0.0.1:PORT/0.
func (r *RedisServer) URL() string { return fmt.Sprintf("redis://%s/0", r.Addr()) }

// Ping sends PING and expects PONG.
func (r *RedisServer) Ping(ctx context.Context) error {
	s, err := r.Do(ctx, "PING")
	if err != nil {
		return err
	}
	if s != "PONG" {
		return fmt.Errorf("redis PING: got %q", s)
	}
	return nil
}

// Do sends one command over a new connection and returns a simple-string,
// integer or bulk-string reply as a string (arrays are not supported). An
// error reply is returned as an error.
func (r *RedisServer) Do(ctx context.Context, args ...string) (string, error) {
	var d net.Dialer
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", r.Addr())
	if err != nil {
		return "", err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "", err
	}
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("redis %s: %w", args[0], err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("redis %s: empty reply", args[0])
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", fmt.Errorf("redis %s: %s", args[0], line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil {
			return "", fmt.Errorf("redis %s: bad reply %q", args[0], line)
		}
		if n < 0 {
			return "", nil // nil bulk string
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(br, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	}
	return "", fmt.Errorf("redis %s: unsupported reply %q", args[0], line)
}
