package server

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/authgen/authgen/runtime/cookie"
)

// cookieJar is the cookie jar for a request addressed to origin: Secure
// and __Host- names on https, and with Config.CookieDomain the session
// token shared with that domain — when origin's host is the domain or
// under it (with TrustHost a request may come for another host, which
// then gets host-only cookies: a browser refuses a Domain its host is not
// under).
func (a *Auth) cookieJar(origin *url.URL) cookie.Jar {
	j := a.withAuthJS(cookie.New(a.cfg.CookiePrefix, origin.Scheme == "https"))
	if d := a.cfg.CookieDomain; d != "" && domainMatch(origin.Hostname(), d) {
		j = j.WithDomain(d)
	}
	return j
}

// domainMatch reports whether host is domain or a name under it.
func domainMatch(host, domain string) bool {
	host = strings.ToLower(host)
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// CheckCookieDomain checks a Config.CookieDomain (cookieDomain in
// authgen.yaml): a lower-case DNS name of at least two labels, such as
// example.com, without a leading dot, port, IP address or wildcard. A
// public suffix (co.uk, github.io) passes this check, but browsers refuse
// the cookie.
func CheckCookieDomain(d string) error {
	bad := fmt.Errorf("%q is not a domain: write a name such as example.com, which the session is then shared with (app.example.com, www.example.com, …)", d)
	if len(d) > 253 || net.ParseIP(d) != nil || !strings.Contains(d, ".") {
		return bad
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.ContainsFunc(label, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') }) {
			return bad
		}
	}
	return nil
}
