package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
)

// TestClientScript: GET {basePath}/client.js answers the embedded script as
// JavaScript that may not be sniffed as anything else, with a strong ETag
// (the content hash) that If-None-Match turns into 304; asked for by its
// version (ClientScriptURL) it may be cached for a year, otherwise for a
// few minutes, and never with the API's no-store headers.
func TestClientScript(t *testing.T) {
	a := newApp(t)
	want, err := os.ReadFile("client/client.js")
	if err != nil {
		t.Fatal(err)
	}
	versioned := server.ClientScriptURL("/api/auth")
	m := regexp.MustCompile(`^/api/auth/client\.js\?v=([0-9a-f]{24})$`).FindStringSubmatch(versioned)
	if m == nil {
		t.Fatalf("ClientScriptURL = %q", versioned)
	}
	etag := `"` + m[1] + `"`

	for _, tc := range []struct {
		name, target, cache string
	}{
		{"unversioned", "/api/auth/client.js", "public, max-age=300"},
		{"versioned", versioned, "public, max-age=31536000, immutable"},
		{"another version", "/api/auth/client.js?v=0123456789abcdef01234567", "public, max-age=300"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := a.get(tc.target)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s", tc.target, resp.Status)
			}
			if body := readBody(t, resp); body != string(want) {
				t.Errorf("the body is not client/client.js (%d bytes, want %d)", len(body), len(want))
			}
			for name, value := range map[string]string{
				"Content-Type":           "text/javascript; charset=utf-8",
				"X-Content-Type-Options": "nosniff",
				"ETag":                   etag,
				"Cache-Control":          tc.cache,
				"Pragma":                 "",
				"Expires":                "",
				"Set-Cookie":             "",
			} {
				if got := resp.Header.Get(name); got != value {
					t.Errorf("%s: %q, want %q", name, got, value)
				}
			}
		})
	}

	t.Run("If-None-Match", func(t *testing.T) {
		for _, inm := range []string{etag, `"other", ` + etag, "*"} {
			resp := a.get(versioned, "If-None-Match", inm)
			if resp.StatusCode != http.StatusNotModified {
				t.Fatalf("If-None-Match %s: %s, want 304", inm, resp.Status)
			}
			if body := readBody(t, resp); body != "" {
				t.Errorf("If-None-Match %s: a body of %d bytes with 304", inm, len(body))
			}
			if got := resp.Header.Get("ETag"); got != etag {
				t.Errorf("If-None-Match %s: ETag %q on 304", inm, got)
			}
		}
		resp := a.get("/api/auth/client.js", "If-None-Match", `"0123456789abcdef01234567"`)
		if resp.StatusCode != http.StatusOK || readBody(t, resp) != string(want) {
			t.Errorf("a stale ETag: %s, want 200 with the script", resp.Status)
		}
	})

	t.Run("HEAD", func(t *testing.T) {
		resp := a.do(a.noFollow, a.newRequest(http.MethodHead, "/api/auth/client.js", nil))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != etag {
			t.Errorf("HEAD: %s, ETag %q", resp.Status, resp.Header.Get("ETag"))
		}
	})

	t.Run("POST", func(t *testing.T) {
		if resp := a.postForm("/api/auth/client.js", url.Values{}); resp.StatusCode == http.StatusOK {
			t.Errorf("POST /client.js: %s", resp.Status)
		}
	})
}

// TestClientScriptBasePath: the script is served under any base path, which
// the script derives from its own URL.
func TestClientScriptBasePath(t *testing.T) {
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	origin, _ := url.Parse("http://app.test")
	auth, err := server.New(server.Config{URL: origin, Keys: ks, BasePath: "/auth/v1"})
	if err != nil {
		t.Fatal(err)
	}
	target := server.ClientScriptURL(auth.BasePath())
	if !strings.HasPrefix(target, "/auth/v1/client.js?v=") {
		t.Fatalf("ClientScriptURL = %q", target)
	}
	rec := httptest.NewRecorder()
	auth.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://app.test"+target, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("GET %s: %d, Cache-Control %q", target, rec.Code, rec.Header().Get("Cache-Control"))
	}
}

// TestClientScriptCSP: the policy SecureHeaders gives the application's
// pages (the demo main.go's) does not restrict scripts, so a page loads
// {basePath}/client.js from its own origin; it only forbids framing.
func TestClientScriptCSP(t *testing.T) {
	h := server.SecureHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	resp := rec.Result()
	d := cspDirectives(t, resp)
	for _, name := range []string{"script-src", "script-src-elem", "default-src"} {
		if v, ok := d[name]; ok {
			t.Errorf("SecureHeaders sets %s %s, which may block client.js", name, v)
		}
	}
	if d["frame-ancestors"] != "'none'" {
		t.Errorf("frame-ancestors %q", d["frame-ancestors"])
	}
}
