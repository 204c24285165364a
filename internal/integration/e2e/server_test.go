package e2e

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// scaffoldedServer checks the demo main.go's server (generator/emit_app.go)
// against a running app: its own pages send nosniff and may not be framed,
// a client that trickles a request body is cut off after ReadTimeout (10 s)
// instead of holding the connection for as long as it trickles, and a
// request with headers beyond MaxHeaderBytes (128 KB) is refused.
func scaffoldedServer(t *testing.T, a *app) {
	t.Helper()
	b := newBrowser(t)
	for _, path := range []string{"/", "/me"} {
		resp, _ := b.do("GET", a.URL+path, nil, "Accept", "application/json")
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: X-Content-Type-Options %q, X-Frame-Options %q, Content-Security-Policy %q; want nosniff, DENY, frame-ancestors 'none'",
				path, h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
		}
	}

	// Headers beyond MaxHeaderBytes.
	req, _ := http.NewRequest("GET", a.URL+"/", nil)
	req.Header.Set("X-Padding", strings.Repeat("p", 200<<10))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a request with 200 KB of headers: %v %v, want 431", resp, err)
	} else {
		resp.Body.Close()
	}

	// A body trickled one byte every half second.
	conn, err := net.Dial("tcp", strings.TrimPrefix(a.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "POST /api/auth/signout HTTP/1.1\r\nHost: "+strings.TrimPrefix(a.URL, "http://")+
		"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
				if _, err := conn.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, _ = io.Copy(io.Discard, bufio.NewReader(conn)) // until the server closes the connection
	if d := time.Since(start); d < 9*time.Second || d > 15*time.Second {
		t.Errorf("a trickled body held the connection for %v, want it closed after the 10 s ReadTimeout", d.Round(time.Second))
	}
}
