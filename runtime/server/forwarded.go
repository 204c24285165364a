package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ErrForwarded marks a request whose origin cannot be trusted with
// Config.TrustHost: its X-Forwarded-Host (or Host) is not a plain
// host[:port], or its X-Forwarded-Proto is neither http nor https. Such a
// request is refused with 400; Session returns an error wrapping it.
var ErrForwarded = errors.New("server: forwarded origin refused")

// origin is the origin a request was addressed to: Config.URL, or with
// TrustHost the one the proxy in front reports (see forwardedOrigin).
func (a *Auth) origin(r *http.Request) (*url.URL, error) {
	if !a.cfg.TrustHost {
		return a.cfg.URL, nil
	}
	return forwardedOrigin(r.Header, r.Host, a.cfg.URL)
}

// forwardedOrigin reads the origin from X-Forwarded-Host (else host, the
// request's Host) and X-Forwarded-Proto (else fallback's scheme). Of a
// header listed several times or holding a comma-separated list, the
// right-most value counts: a proxy appends what it saw to what the client
// sent, so only the last value is the proxy's own. A value that is not a
// plain host[:port] — a path, query, fragment, user info, space, or
// anything but letters, digits, "-", "." and "_" (or a bracketed IPv6
// address) — is refused, never cut down or ignored, because the origin
// names the cookies' scheme, the callback URL sent to providers and where
// redirects may go. Without any host the origin is fallback's.
func forwardedOrigin(h http.Header, host string, fallback *url.URL) (*url.URL, error) {
	if v, ok := lastValue(h, "X-Forwarded-Host"); ok {
		if !plainHost(v) {
			return nil, fmt.Errorf("%w: X-Forwarded-Host %s is not a host[:port]", ErrForwarded, shorten(v))
		}
		host = v
	} else if host != "" && !plainHost(host) {
		return nil, fmt.Errorf("%w: Host %s is not a host[:port]", ErrForwarded, shorten(host))
	}
	scheme := fallback.Scheme
	if v, ok := lastValue(h, "X-Forwarded-Proto"); ok {
		switch strings.ToLower(v) {
		case "http":
			scheme = "http"
		case "https":
			scheme = "https"
		default:
			return nil, fmt.Errorf("%w: X-Forwarded-Proto %s is neither http nor https", ErrForwarded, shorten(v))
		}
	}
	if host == "" {
		host = fallback.Host
	}
	if scheme == fallback.Scheme && host == fallback.Host {
		return fallback, nil
	}
	return &url.URL{Scheme: scheme, Host: host}, nil
}

// lastValue returns the right-most value of a header that may be listed
// several times, each holding a comma-separated list; ok is false when
// the request has no such header.
func lastValue(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	last := vs[len(vs)-1]
	return strings.TrimSpace(last[strings.LastIndexByte(last, ',')+1:]), true
}

// plainHost reports whether s is host[:port]: a name of ASCII letters,
// digits, "-", "." and "_" (not starting with "-" or "."), or an IPv6
// address in brackets, then optionally ":" and a port of 1 to 5 digits up
// to 65535.
func plainHost(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	host, port := s, ""
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return false
		}
		host, port = s[:end+1], s[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
		if !ipv6Literal(host[1:end]) {
			return false
		}
	} else {
		if i := strings.IndexByte(s, ':'); i >= 0 {
			host, port = s[:i], s[i:]
		}
		if host == "" || host[0] == '-' || host[0] == '.' || strings.ContainsFunc(host, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '.' || r == '_')
		}) {
			return false
		}
	}
	if port == "" {
		return true
	}
	digits := port[1:]
	if digits == "" || len(digits) > 5 || strings.ContainsFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) {
		return false
	}
	n, err := strconv.Atoi(digits)
	return err == nil && n > 0 && n <= 65535
}

// ipv6Literal reports whether s (without brackets) is an IPv6 address as
// net/url reads one in a host: parsed by netip, with no zone, which a URL
// would need escaped.
func ipv6Literal(s string) bool {
	ip, err := netip.ParseAddr(s)
	return err == nil && ip.Is6() && ip.Zone() == "" && strings.Contains(s, ":")
}

// shorten quotes a header value for a message, at most 64 bytes of it.
func shorten(v string) string {
	if len(v) > 64 {
		return strconv.Quote(v[:64]) + "…"
	}
	return strconv.Quote(v)
}

// refuseOrigin answers a request whose forwarded origin was refused: 400
// with the reason, which names the header and quotes its value.
func (a *Auth) refuseOrigin(w http.ResponseWriter, r *http.Request, err error) {
	a.log.WarnContext(r.Context(), "authgen: request refused", "path", r.URL.Path, "error", err)
	http.Error(w, "Bad Request: "+err.Error()+" (AUTH_TRUST_HOST is set, so the proxy in front must send a plain host and scheme)", http.StatusBadRequest)
}
