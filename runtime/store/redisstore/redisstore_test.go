package redisstore

import (
	"strings"
	"testing"
)

// The tests that need a Redis server are in
// internal/integration/redisstore; these need none.

func TestOpenRefusesBadURLs(t *testing.T) {
	for _, url := range []string{
		"redis://user:hunter2@host:port/0",
		"memcached://user:hunter2@host/0",
		"redis://user:hunter2@host/zero",
		"redis://user:hunter2@host/0?max_retries=many",
		"",
	} {
		s, err := Open(url, Options{Prefix: "auth_"})
		if err == nil {
			s.Close()
			t.Errorf("Open(%q): no error", strings.ReplaceAll(url, "hunter2", "…"))
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || !strings.HasPrefix(err.Error(), "redisstore: invalid Redis URL: ") {
			t.Errorf("Open(%q): %v", strings.ReplaceAll(url, "hunter2", "…"), err)
		}
	}
}

func TestOpenKeys(t *testing.T) {
	for _, tt := range []struct {
		prefix, session, index, token, pattern string
	}{
		{"auth_", "auth_session:", "auth_user_sessions:", "auth_verification:", "auth_user_sessions:*"},
		{"", "session:", "user_sessions:", "verification:", "user_sessions:*"},
		{`a*?[b]\_`, `a*?[b]\_session:`, `a*?[b]\_user_sessions:`, `a*?[b]\_verification:`, `a\*\?\[b\]\\_user_sessions:*`},
	} {
		s, err := Open("redis://127.0.0.1:1/0", Options{Prefix: tt.prefix})
		if err != nil {
			t.Fatal(err)
		}
		if s.sessionKey != tt.session || s.indexKey != tt.index || s.tokenKey != tt.token || s.indexPattern != tt.pattern {
			t.Errorf("prefix %q: keys %q %q %q, pattern %q; want %q %q %q, %q", tt.prefix,
				s.sessionKey, s.indexKey, s.tokenKey, s.indexPattern, tt.session, tt.index, tt.token, tt.pattern)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}
