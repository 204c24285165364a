package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
)

// TestCSRFFollowsKeys: the CSRF secrets follow the key set over time in a
// running server: after a staged key takes over, a token issued before
// still verifies while its key does, and is refused once that key expired
// (it was derived once at start before); a new token works.
func TestCSRFFollowsKeys(t *testing.T) {
	a := newApp(t, func(c *server.Config) {
		if err := c.Keys.RotateWith(c.Now(), keys.RotateOptions{Alg: keys.AlgES256, Keep: 2 * time.Hour}); err != nil {
			t.Fatal(err)
		}
	})
	start := func(token string) string {
		t.Helper()
		resp := a.postForm("/api/auth/signin/github", url.Values{"csrfToken": {token}})
		readBody(t, resp)
		return resp.Header.Get("Location")
	}
	old := a.csrfToken()
	if loc := start(old); strings.Contains(loc, "MissingCSRF") {
		t.Fatalf("a fresh token: %s", loc)
	}
	a.clock.Advance(keys.StagingPeriod + time.Minute)
	if loc := start(old); strings.Contains(loc, "MissingCSRF") {
		t.Fatalf("after the staged key took over, the old key's token: %s, want accepted while the old key verifies", loc)
	}
	a.clock.Advance(2 * time.Hour)
	if loc := start(old); !strings.Contains(loc, "MissingCSRF") {
		t.Fatalf("after the old key expired, its token: %s, want MissingCSRF", loc)
	}
	fresh := a.csrfToken()
	if fresh == old {
		t.Fatal("GET /csrf kept the expired key's token")
	}
	if loc := start(fresh); strings.Contains(loc, "MissingCSRF") {
		t.Fatalf("the new key's token: %s", loc)
	}
}
