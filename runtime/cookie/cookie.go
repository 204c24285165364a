// Package cookie names, writes and reads authgen's cookies, including session
// values too large for one cookie, which are split into numbered chunks.
//
// All cookies are HttpOnly, SameSite=Lax and Path=/. On https they are also
// Secure and named with the __Host- prefix, which a browser accepts only on a
// cookie without Domain, set by the host itself: a sibling subdomain
// (evil.example.com beside app.example.com) cannot plant one. The one
// exception is a session shared with subdomains (Jar.WithDomain): the
// session token and its chunks then carry Domain and the __Secure- prefix,
// and such a cookie can be planted by any host under that domain. The names
// (prefix "authgen"):
//
//	cookie                     http                     https                          https, WithDomain
//	session token (chunks .N)  authgen.session-token    __Host-authgen.session-token   __Secure-authgen.session-token; Domain
//	CSRF token                 authgen.csrf-token       __Host-authgen.csrf-token      (same as https)
//	callback URL               authgen.callback-url     __Host-authgen.callback-url    (same as https)
//	state, PKCE, nonce, OAuth1 authgen.state, …         __Host-authgen.state, …        (same as https)
//	e-mail sign-in code check  authgen.email-code       __Host-authgen.email-code      (same as https)
//
// A jar sharing sessions with an Auth.js application (Jar.WithAuthJS) names
// three of them as Auth.js does, with its prefix (authjs, or next-auth for
// next-auth 4), and chunks as Auth.js chunks:
//
//	cookie                     http                     https                          https, WithDomain
//	session token (chunks .N)  authjs.session-token     __Secure-authjs.session-token  __Secure-authjs.session-token; Domain
//	CSRF token                 authjs.csrf-token        __Host-authjs.csrf-token       (same as https)
//	callback URL               authjs.callback-url      __Secure-authjs.callback-url   (same as https)
package cookie

import (
	"errors"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Base names of authgen's cookies; Jar.Name adds the prefix.
const (
	SessionToken = "session-token"
	CSRFToken    = "csrf-token"
	CallbackURL  = "callback-url"
	State        = "state"
	PKCEVerifier = "pkce.code_verifier"
	Nonce        = "nonce"
	// OAuth1 holds an OAuth 1.0a sign-in's temporary credentials.
	OAuth1 = "oauth1"
	// EmailCode binds an e-mail sign-in's code to the browser that asked
	// for it: it names the pending sign-in the code may complete.
	EmailCode = "email-code"
	// TwoFactor holds a sign-in waiting for its second factor (a TOTP or
	// recovery code, or enrolment when two-factor is required).
	TwoFactor = "two-factor"
	// Passkey holds a passkey ceremony's session data (its challenge)
	// between the options and the browser's answer.
	Passkey = "passkey"
)

// ChunkSize is the most characters of value one cookie carries (4096 less
// room for the name and attributes, as Auth.js).
const ChunkSize = 4096 - 160

// MaxChunks bounds how many chunks are read or written: 16 chunks is about
// 62 KB, beyond what any proxy forwards in a Cookie header.
const MaxChunks = 16

// Jar knows the cookie names and attributes for one site.
type Jar struct {
	prefix string
	secure bool
	// domain is the Domain of the session token, "" for a host-only one.
	domain string
	// authjs, when set, is the Auth.js prefix ("authjs", "next-auth")
	// of the cookies shared with an Auth.js application (see WithAuthJS).
	authjs string
	// chunk is the chunk size of SetChunked; 0 is ChunkSize.
	chunk int
}

// New returns a jar whose cookies are named prefix.<name>, with secure
// attributes and the __Host- name prefix when secure is true (the site is on
// https).
func New(prefix string, secure bool) Jar {
	if prefix == "" {
		prefix = "authgen"
	}
	return Jar{prefix: prefix, secure: secure}
}

// WithDomain returns the jar with the session token and its chunks shared
// with domain and its subdomains: written with Domain=domain and, on https,
// named with the __Secure- prefix (a __Host- cookie may not have a Domain).
// Every other cookie stays host-only. An empty domain returns the jar
// unchanged. The caller checks domain (server.CheckCookieDomain).
func (j Jar) WithDomain(domain string) Jar {
	j.domain = domain
	return j
}

// WithAuthJS returns the jar naming the cookies an Auth.js application on
// the same site shares — the session token, the CSRF token and the
// callback URL — as Auth.js does, prefix being "authjs" (Auth.js 5) or
// "next-auth" (next-auth 4): prefix.session-token on http, and on https
// __Secure-prefix.session-token, __Host-prefix.csrf-token and
// __Secure-prefix.callback-url. The jar's other cookies keep their names.
// SetChunked then splits values into chunkSize characters, Auth.js's
// (3936 for Auth.js 5, 3933 for next-auth 4).
func (j Jar) WithAuthJS(prefix string, chunkSize int) Jar {
	j.authjs, j.chunk = prefix, chunkSize
	return j
}

// sharedWithAuthJS reports whether base is named as Auth.js names it.
func (j Jar) sharedWithAuthJS(base string) bool {
	return j.authjs != "" && (base == SessionToken || base == CSRFToken || base == CallbackURL)
}

// chunkSize is the most characters of value one cookie of SetChunked
// carries.
func (j Jar) chunkSize() int {
	if j.chunk > 0 {
		return j.chunk
	}
	return ChunkSize
}

// Secure reports whether the jar writes Secure cookies.
func (j Jar) Secure() bool { return j.secure }

// Domain returns the Domain the session token is written with, "" when it is
// host-only.
func (j Jar) Domain() string { return j.domain }

// shared reports whether the cookie base is written with the jar's Domain.
func (j Jar) shared(base string) bool { return j.domain != "" && base == SessionToken }

// Name returns the full name of the cookie with the given base name.
func (j Jar) Name(base string) string {
	// One concatenation of existing strings: inlined, the name a caller
	// only compares stays off the heap.
	pre, stem := j.nameParts(base)
	return pre + stem + "." + base
}

// nameParts returns the name prefix of the cookie base ("", "__Host-" or
// "__Secure-") and its stem (the jar's prefix, or Auth.js's). Not inlined,
// so that Name is.
//
//go:noinline
func (j Jar) nameParts(base string) (pre, stem string) {
	stem, shared := j.prefix, j.shared(base)
	if j.sharedWithAuthJS(base) {
		stem, shared = j.authjs, base != CSRFToken
	}
	switch {
	case !j.secure:
		return "", stem
	case shared:
		return "__Secure-", stem
	default:
		return "__Host-", stem
	}
}

// Cookie returns a cookie with authgen's attributes. A zero expires makes a
// browser-session cookie.
func (j Jar) Cookie(base, value string, expires time.Time) *http.Cookie {
	c := &http.Cookie{
		Name:     j.Name(base),
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   j.secure,
		SameSite: http.SameSiteLaxMode,
	}
	if j.shared(base) {
		c.Domain = j.domain
	}
	if !expires.IsZero() {
		c.Expires = expires.UTC() // Expires only, as Auth.js: Max-Age would need the real clock
	}
	return c
}

// Set writes a single cookie.
func (j Jar) Set(w http.ResponseWriter, base, value string, expires time.Time) {
	http.SetCookie(w, j.Cookie(base, value, expires))
}

// Delete expires the cookie.
func (j Jar) Delete(w http.ResponseWriter, base string) {
	c := j.Cookie(base, "", time.Time{})
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// Get returns the value of the cookie, or "" when the request has none.
func (j Jar) Get(r *http.Request, base string) string {
	c, err := r.Cookie(j.Name(base))
	if err != nil {
		return ""
	}
	return c.Value
}

// chunk is one cookie of a chunked value found in a request.
type chunk struct {
	name  string
	index int // -1 for the unchunked cookie
	value string
}

// chunks returns the request's cookies named name or name.N, in order.
func chunks(r *http.Request, name string) []chunk {
	var out []chunk
	eachChunk(r.Header, name, func(cname, value string, i int) {
		out = append(out, chunk{cname, i, value})
	})
	slices.SortFunc(out, func(a, b chunk) int { return a.index - b.index })
	return out
}

// chunkIndex reports whether cname is name (index -1) or a chunk of it,
// name.N with N a non-negative decimal number as strconv.Itoa writes it.
func chunkIndex(cname, name string) (int, bool) {
	rest, ok := strings.CutPrefix(cname, name)
	switch {
	case !ok:
		return 0, false
	case rest == "":
		return -1, true
	}
	suffix, ok := strings.CutPrefix(rest, ".")
	if !ok || suffix == "" || (suffix[0] == '0' && suffix != "0") || strings.ContainsFunc(suffix, func(r rune) bool { return r < '0' || r > '9' }) {
		return 0, false
	}
	i, err := strconv.Atoi(suffix)
	return i, err == nil
}

// GetChunked returns the value stored under base, whole or in chunks. The
// chunks must be numbered 0…n-1 without gaps or repeats and be at most
// MaxChunks; otherwise, or when both a whole cookie and chunks are present,
// the value is treated as absent. It reads the cookies as r.Cookies does,
// without allocating for the request's other cookies (this is on the path
// of every session check).
func (j Jar) GetChunked(r *http.Request, base string) string {
	name := j.Name(base)
	var (
		whole        string
		wholes, n    int // whole cookies, and chunks, found
		parts        [MaxChunks]string
		seen         [MaxChunks]bool
		out, repeats bool // a chunk beyond MaxChunks, or found twice
	)
	eachChunk(r.Header, name, func(_, value string, i int) {
		switch {
		case i < 0:
			wholes++
			whole = value
		case i >= MaxChunks:
			n++
			out = true
		default:
			n++
			repeats = repeats || seen[i]
			seen[i], parts[i] = true, value
		}
	})
	switch {
	case wholes > 0:
		if wholes == 1 && n == 0 {
			return whole
		}
		return ""
	case n == 0 || n > MaxChunks || out || repeats:
		return ""
	}
	// n distinct indices below MaxChunks: 0…n-1 unless one is missing.
	size := 0
	for i := range n {
		if !seen[i] {
			return ""
		}
		size += len(parts[i])
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range parts[:n] {
		b.WriteString(p)
	}
	return b.String()
}

// maxCookies is net/http's default limit on the cookies of a request
// (GODEBUG httpcookiemaxnum): r.Cookies reads none from a request with
// more.
const maxCookies = 3000

// eachChunk calls f with each cookie of the request headers h named name
// or name.N (see chunkIndex; i is -1 for name), read exactly as r.Cookies
// reads cookies — the same trimming, a name that is a token, a value of
// cookie-octets with its double quotes removed, none at all past
// maxCookies — but without allocating, and checking the values of these
// cookies only.
func eachChunk(h http.Header, name string, f func(cname, value string, i int)) {
	lines := h["Cookie"]
	count := 0
	for _, line := range lines {
		count += strings.Count(line, ";") + 1
	}
	if count > maxCookies {
		return
	}
	for _, line := range lines {
		line = textproto.TrimString(line)
		var part string
		for len(line) > 0 {
			part, line, _ = strings.Cut(line, ";")
			part = textproto.TrimString(part)
			if part == "" {
				continue
			}
			cname, value, _ := strings.Cut(part, "=")
			cname = textproto.TrimString(cname)
			i, ok := chunkIndex(cname, name)
			if !ok || !isToken(cname) {
				continue
			}
			if len(value) > 1 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			if validValue(value) {
				f(cname, value, i)
			}
		}
	}
}

// isToken reports whether s is an RFC 7230 token, as a cookie's name must
// be.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// validValue reports whether s is made of cookie-octets as net/http reads
// them: printable ASCII but '"', ';' and '\\' (space and comma allowed).
// A session token is hundreds of bytes, so they are checked eight at a
// time: a byte below 0x20, above 0x7e, or equal to one of the three
// anywhere in a word sets its high bit in bad (the exact "has less", "has
// more" and "has zero" tests for bytes within a word).
func validValue(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		quote, semicolon, backslash := x^(ones*'"'), x^(ones*';'), x^(ones*'\\')
		bad := (x - ones*0x20) &^ x // below 0x20
		bad |= x + ones*0x01 | x    // above 0x7e
		bad |= (quote - ones) &^ quote
		bad |= (semicolon - ones) &^ semicolon
		bad |= (backslash - ones) &^ backslash
		if bad&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; !validOctet(c) {
			return false
		}
	}
	return true
}

// validOctet reports whether c is a cookie-octet as net/http reads them.
func validOctet(c byte) bool {
	return 0x20 <= c && c < 0x7f && c != '"' && c != ';' && c != '\\'
}

// ErrTooLarge is returned by SetChunked for a value needing more than
// MaxChunks cookies.
var ErrTooLarge = errors.New("cookie: value needs more than 16 cookies")

// SetChunked writes value under base, split into base.0, base.1, … when it
// is longer than ChunkSize (or WithAuthJS's chunk size), and deletes every chunk the request carried that
// the new value does not overwrite.
func (j Jar) SetChunked(w http.ResponseWriter, r *http.Request, base, value string, expires time.Time) error {
	size := j.chunkSize()
	n := (len(value) + size - 1) / size
	if n > MaxChunks {
		return ErrTooLarge
	}
	name := j.Name(base)
	written := map[string]bool{}
	if n <= 1 {
		http.SetCookie(w, j.Cookie(base, value, expires))
		written[name] = true
	} else {
		for i := range n {
			c := j.Cookie(base, value[i*size:min((i+1)*size, len(value))], expires)
			c.Name = name + "." + strconv.Itoa(i)
			http.SetCookie(w, c)
			written[c.Name] = true
		}
	}
	j.deleteStale(w, r, base, name, written)
	return nil
}

// DeleteChunked expires the value under base and every chunk of it the
// request carried.
func (j Jar) DeleteChunked(w http.ResponseWriter, r *http.Request, base string) {
	name := j.Name(base)
	found := false
	for _, c := range chunks(r, name) {
		found = found || c.index == -1
		j.expire(w, base, c.name)
	}
	if !found {
		j.expire(w, base, name)
	}
}

func (j Jar) deleteStale(w http.ResponseWriter, r *http.Request, base, name string, keep map[string]bool) {
	for _, c := range chunks(r, name) {
		if !keep[c.name] {
			j.expire(w, base, c.name)
		}
	}
}

// expire deletes the cookie name (base or one of its chunks), with base's
// attributes: a cookie written with a Domain is only deleted with it.
func (j Jar) expire(w http.ResponseWriter, base, name string) {
	c := j.Cookie(base, "", time.Time{})
	c.Name, c.MaxAge = name, -1
	http.SetCookie(w, c)
}
