package server_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/server"
)

// v4Beacon is the body next-auth 4.24.15's client posts to /_log when GET
// /session fails (utils/logger.js#proxyLogger: URLSearchParams of level,
// code and the metadata, by navigator.sendBeacon or fetch), as captured
// from the package itself; its Content-Type is v4BeaconType.
const (
	v4Beacon     = "level=error&code=CLIENT_FETCH_ERROR&error=%5Bobject+Object%5D&url=%2Fapi%2Fauth%2Fsession&message=Cannot+convert+undefined+or+null+to+object+SECRET-IN-MESSAGE&client=true"
	v4BeaconType = "application/x-www-form-urlencoded;charset=UTF-8"
)

// TestLogBeacon: POST /_log takes a next-auth v4 client's beacon without a
// CSRF token or a cookie, answers 204 and logs its level and code at debug
// level, and nothing else of it.
func TestLogBeacon(t *testing.T) {
	a := newApp(t)
	req := a.newRequest(http.MethodPost, "/api/auth/_log", strings.NewReader(v4Beacon))
	req.Header.Set("Content-Type", v4BeaconType)
	resp := a.do(a.noFollow, req)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /_log: %s, want 204 (body %q)", resp.Status, readBody(t, resp))
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("a beacon set cookies: %v", resp.Cookies())
	}
	logs := a.logs.String()
	if !strings.Contains(logs, `level=DEBUG msg="authgen: client log" level=error code=CLIENT_FETCH_ERROR`) {
		t.Errorf("the beacon is not logged at debug level with its level and code:\n%s", logs)
	}
	mustNotContain(t, "log", logs, "SECRET-IN-MESSAGE", "object Object", "/api/auth/session")
}

// TestLogBeaconJSON: a JSON beacon is taken as well.
func TestLogBeaconJSON(t *testing.T) {
	a := newApp(t)
	req := a.newRequest(http.MethodPost, "/api/auth/_log", strings.NewReader(`{"level":"warn","code":"EXPERIMENTAL_API","message":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	if resp := a.do(a.noFollow, req); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /_log JSON: %s, want 204", resp.Status)
	}
	if !strings.Contains(a.logs.String(), "level=warn code=EXPERIMENTAL_API") {
		t.Errorf("not logged:\n%s", a.logs)
	}
}

// TestLogBeaconSanitized: what reaches the log of a beacon is a level
// next-auth has (else "unknown") and a code of letters, digits and _ cut
// at 64: no forged log lines, no long values.
func TestLogBeaconSanitized(t *testing.T) {
	a := newApp(t)
	long := strings.Repeat("A", 100)
	for _, body := range []string{
		"level=error%0Alevel%3DINFO&code=X%0Amsg%3Dforged%20line",
		"level=fatal&code=" + long,
	} {
		req := a.newRequest(http.MethodPost, "/api/auth/_log", strings.NewReader(body))
		req.Header.Set("Content-Type", v4BeaconType)
		if resp := a.do(a.noFollow, req); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("POST /_log %q: %s", body, resp.Status)
		}
	}
	logs := a.logs.String()
	for _, want := range []string{"level=unknown code=Xmsgforgedline", "level=unknown code=" + strings.Repeat("A", 64) + "\n"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "msg=forged") || strings.Contains(logs, strings.Repeat("A", 65)) {
		t.Errorf("a beacon's values reached the log unsanitized:\n%s", logs)
	}
}

// TestLogBeaconRefusals: another method is 405 with Allow: POST, a body
// over 8 KB 413, another media type 415, a body that does not parse 400;
// none of them is logged as a client log.
func TestLogBeaconRefusals(t *testing.T) {
	a := newApp(t)
	for _, tc := range []struct {
		name, method, ctype, body string
		status                    int
	}{
		{"GET", http.MethodGet, "", "", http.StatusMethodNotAllowed},
		{"PUT", http.MethodPut, v4BeaconType, v4Beacon, http.StatusMethodNotAllowed},
		{"over 8 KB", http.MethodPost, v4BeaconType, "level=error&code=X&message=" + strings.Repeat("m", 8<<10), http.StatusRequestEntityTooLarge},
		{"media type", http.MethodPost, "image/png", "\x89PNG", http.StatusUnsupportedMediaType},
		{"bad JSON", http.MethodPost, "application/json", `{"level":`, http.StatusBadRequest},
		{"bad form", http.MethodPost, v4BeaconType, "level=%zz", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := a.newRequest(tc.method, "/api/auth/_log", strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp := a.do(a.noFollow, req)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: %s, want %d", tc.name, resp.Status, tc.status)
			}
			if tc.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow: %q, want POST", resp.Header.Get("Allow"))
			}
		})
	}
	if strings.Contains(a.logs.String(), "client log") {
		t.Errorf("a refused beacon was logged:\n%s", a.logs)
	}
}

// TestLogBeaconQuietByDefault: at the usual Info level a beacon leaves no
// trace in the log.
func TestLogBeaconQuietByDefault(t *testing.T) {
	var buf syncBuffer
	a := newApp(t, func(c *server.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	req := a.newRequest(http.MethodPost, "/api/auth/_log", strings.NewReader(v4Beacon))
	req.Header.Set("Content-Type", v4BeaconType)
	if resp := a.do(a.noFollow, req); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /_log: %s", resp.Status)
	}
	if strings.Contains(buf.String(), "client log") {
		t.Errorf("logged at Info level:\n%s", buf.String())
	}
}
