// Package redirect decides where a sign-in, sign-out or error may send the
// browser: by default only to the application's own origin.
package redirect

import (
	"net/url"
	"strings"
)

// SameOrigin resolves target against the application's origin base
// (scheme://host[:port]) and reports whether it stays on that origin. A path
// ("/dashboard") is joined to base; an absolute URL is accepted only when its
// scheme, host and port are base's. Protocol-relative ("//evil.example") and
// backslash forms ("/\evil.example") that browsers read as another host, URLs
// with user info or control characters, and other schemes ("javascript:") are
// refused.
func SameOrigin(target string, base *url.URL) (string, bool) {
	if target == "" || strings.ContainsAny(target, "\\\x00") || hasControl(target) {
		return "", false
	}
	if target[0] == '/' {
		if len(target) > 1 && target[1] == '/' {
			return "", false
		}
		u, err := url.Parse(target)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			return "", false
		}
		return origin(base) + u.String(), true
	}
	u, err := url.Parse(target)
	if err != nil || u.User != nil || u.Opaque != "" {
		return "", false
	}
	if !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
		return "", false
	}
	return u.String(), true
}

// Default is the default redirect rule (Auth.js's redirect callback): the
// target when it stays on base's origin, else base's origin itself.
func Default(target string, base *url.URL) string {
	if u, ok := SameOrigin(target, base); ok {
		return u
	}
	return origin(base)
}

func origin(base *url.URL) string { return base.Scheme + "://" + base.Host }

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
