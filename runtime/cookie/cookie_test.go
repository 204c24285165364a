package cookie_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/cookie"
)

func TestName(t *testing.T) {
	tests := []struct {
		prefix string
		secure bool
		domain string
		base   string
		want   string
	}{
		{"", false, "", cookie.SessionToken, "authgen.session-token"},
		{"", false, "", cookie.CSRFToken, "authgen.csrf-token"},
		{"", false, "", cookie.CallbackURL, "authgen.callback-url"},
		{"", false, "", cookie.State, "authgen.state"},
		{"", false, "", cookie.PKCEVerifier, "authgen.pkce.code_verifier"},
		{"", false, "", cookie.Nonce, "authgen.nonce"},
		{"", false, "", cookie.OAuth1, "authgen.oauth1"},
		// On https every cookie is __Host-: no sibling subdomain can plant it.
		{"", true, "", cookie.SessionToken, "__Host-authgen.session-token"},
		{"", true, "", cookie.CSRFToken, "__Host-authgen.csrf-token"},
		{"", true, "", cookie.CallbackURL, "__Host-authgen.callback-url"},
		{"", true, "", cookie.State, "__Host-authgen.state"},
		{"", true, "", cookie.PKCEVerifier, "__Host-authgen.pkce.code_verifier"},
		{"", true, "", cookie.Nonce, "__Host-authgen.nonce"},
		{"", true, "", cookie.OAuth1, "__Host-authgen.oauth1"},
		// A shared session is __Secure- (it has a Domain); the rest stay __Host-.
		{"", true, "example.com", cookie.SessionToken, "__Secure-authgen.session-token"},
		{"", true, "example.com", cookie.CSRFToken, "__Host-authgen.csrf-token"},
		{"", true, "example.com", cookie.CallbackURL, "__Host-authgen.callback-url"},
		{"", true, "example.com", cookie.State, "__Host-authgen.state"},
		{"", true, "example.com", cookie.PKCEVerifier, "__Host-authgen.pkce.code_verifier"},
		{"", true, "example.com", cookie.Nonce, "__Host-authgen.nonce"},
		{"", true, "example.com", cookie.OAuth1, "__Host-authgen.oauth1"},
		{"", false, "example.com", cookie.SessionToken, "authgen.session-token"},
		{"myapp", false, "", cookie.SessionToken, "myapp.session-token"},
		{"myapp", true, "", cookie.CSRFToken, "__Host-myapp.csrf-token"},
		{"myapp", true, "", cookie.SessionToken, "__Host-myapp.session-token"},
		{"myapp", true, "example.com", cookie.SessionToken, "__Secure-myapp.session-token"},
	}
	for _, tt := range tests {
		t.Run(tt.want+"/"+tt.domain, func(t *testing.T) {
			j := cookie.New(tt.prefix, tt.secure).WithDomain(tt.domain)
			if got := j.Name(tt.base); got != tt.want {
				t.Errorf("Name(%q) = %q, want %q", tt.base, got, tt.want)
			}
			if j.Secure() != tt.secure {
				t.Errorf("Secure() = %v, want %v", j.Secure(), tt.secure)
			}
			if j.Domain() != tt.domain {
				t.Errorf("Domain() = %q, want %q", j.Domain(), tt.domain)
			}
		})
	}
}

// setCookies runs f against a recorder and returns the cookies it wrote.
func setCookies(t *testing.T, f func(w http.ResponseWriter)) []*http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	f(rec)
	return rec.Result().Cookies()
}

// request returns a request carrying the given cookies.
func request(cs ...*http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range cs {
		r.AddCookie(c)
	}
	return r
}

func kv(name, value string) *http.Cookie { return &http.Cookie{Name: name, Value: value} }

func checkAttributes(t *testing.T, c *http.Cookie, secure bool) {
	t.Helper()
	if !c.HttpOnly {
		t.Errorf("%s: not HttpOnly", c.Name)
	}
	if c.SameSite != http.SameSiteLaxMode {
		t.Errorf("%s: SameSite = %v, want Lax", c.Name, c.SameSite)
	}
	if c.Path != "/" {
		t.Errorf("%s: Path = %q, want /", c.Name, c.Path)
	}
	if c.Secure != secure {
		t.Errorf("%s: Secure = %v, want %v", c.Name, c.Secure, secure)
	}
	if c.Domain != "" {
		t.Errorf("%s: Domain = %q, want none", c.Name, c.Domain)
	}
}

func TestSetAttributes(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run("secure="+strconv.FormatBool(secure), func(t *testing.T) {
			j := cookie.New("", secure)
			expires := time.Now().Add(time.Hour)
			cs := setCookies(t, func(w http.ResponseWriter) {
				j.Set(w, cookie.SessionToken, "tok", expires)
				j.Set(w, cookie.CSRFToken, "csrf", time.Time{})
			})
			if len(cs) != 2 {
				t.Fatalf("wrote %d cookies, want 2", len(cs))
			}
			for _, c := range cs {
				checkAttributes(t, c, secure)
			}
			sess, csrfC := cs[0], cs[1]
			if sess.Name != j.Name(cookie.SessionToken) || sess.Value != "tok" {
				t.Errorf("session cookie = %s=%s", sess.Name, sess.Value)
			}
			if !sess.Expires.Equal(expires.UTC().Truncate(time.Second)) {
				t.Errorf("Expires = %v, want %v", sess.Expires, expires.UTC().Truncate(time.Second))
			}
			if sess.MaxAge != 0 {
				t.Errorf("MaxAge = %d, want none (Expires only)", sess.MaxAge)
			}
			if csrfC.Name != j.Name(cookie.CSRFToken) || csrfC.Value != "csrf" {
				t.Errorf("csrf cookie = %s=%s", csrfC.Name, csrfC.Value)
			}
			if !csrfC.Expires.IsZero() || csrfC.MaxAge != 0 {
				t.Errorf("zero expires wrote Expires=%v MaxAge=%d, want a browser-session cookie", csrfC.Expires, csrfC.MaxAge)
			}
		})
	}
}

func TestCookieHostPrefixRules(t *testing.T) {
	// __Host- cookies must be Secure, Path=/ and carry no Domain
	// (RFC 6265bis §4.1.3.2); __Secure- cookies must be Secure.
	all := []string{cookie.SessionToken, cookie.CSRFToken, cookie.CallbackURL, cookie.State, cookie.PKCEVerifier, cookie.Nonce, cookie.OAuth1}
	for _, domain := range []string{"", "example.com"} {
		j := cookie.New("", true).WithDomain(domain)
		for _, base := range all {
			c := j.Cookie(base, "v", time.Time{})
			switch {
			case strings.HasPrefix(c.Name, "__Host-"):
				if !c.Secure || c.Path != "/" || c.Domain != "" {
					t.Errorf("%s breaks the __Host- rules: %+v", c.Name, c)
				}
			case strings.HasPrefix(c.Name, "__Secure-"):
				if !c.Secure || base != cookie.SessionToken || c.Domain != domain || domain == "" {
					t.Errorf("%s (domain %q) is __Secure-: only a shared session token may be, Secure and with the Domain: %+v", c.Name, domain, c)
				}
			default:
				t.Errorf("%s has no prefix on https", c.Name)
			}
		}
	}
}

// TestWithDomain: the session token and its chunks carry the Domain, are
// read back and deleted with it (a browser deletes a Domain cookie only by a
// Set-Cookie with the same Domain); every other cookie stays host-only.
func TestWithDomain(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run("secure="+strconv.FormatBool(secure), func(t *testing.T) {
			j := cookie.New("", secure).WithDomain("example.com")
			small := setCookies(t, func(w http.ResponseWriter) {
				j.Set(w, cookie.CSRFToken, "csrf", time.Time{})
				j.Set(w, cookie.State, "state", time.Time{})
				if err := j.SetChunked(w, request(), cookie.SessionToken, "tok", time.Time{}); err != nil {
					t.Fatal(err)
				}
			})
			for _, c := range small {
				want := ""
				if c.Name == j.Name(cookie.SessionToken) {
					want = "example.com"
				}
				if c.Domain != want {
					t.Errorf("%s: Domain = %q, want %q", c.Name, c.Domain, want)
				}
			}
			value := strings.Repeat("s", cookie.ChunkSize+10)
			name := j.Name(cookie.SessionToken)
			cs := setCookies(t, func(w http.ResponseWriter) {
				if err := j.SetChunked(w, request(kv(name, "old")), cookie.SessionToken, value, time.Time{}); err != nil {
					t.Fatal(err)
				}
			})
			set, deleted := written(cs)
			if got := names(set); !slices.Equal(got, []string{name + ".0", name + ".1"}) {
				t.Errorf("set %v", got)
			}
			if got := names(deleted); !slices.Equal(got, []string{name}) {
				t.Errorf("deleted %v, want the unchunked cookie", got)
			}
			for _, c := range cs {
				if c.Domain != "example.com" || c.Secure != secure {
					t.Errorf("%s: Domain %q Secure %v, want example.com and %v", c.Name, c.Domain, c.Secure, secure)
				}
			}
			if got := j.GetChunked(request(set...), cookie.SessionToken); got != value {
				t.Error("shared chunks do not read back")
			}
			del := setCookies(t, func(w http.ResponseWriter) { j.DeleteChunked(w, request(set...), cookie.SessionToken) })
			if got := names(del); !slices.Equal(got, []string{name, name + ".0", name + ".1"}) {
				t.Fatalf("DeleteChunked deleted %v", got)
			}
			for _, c := range del {
				if c.MaxAge >= 0 || c.Domain != "example.com" {
					t.Errorf("deletion %s: MaxAge %d Domain %q, want an expiry with the Domain", c.Name, c.MaxAge, c.Domain)
				}
			}
		})
	}
}

// TestPlantedNamesIgnored: on https a host-only jar reads only __Host-
// names, so a __Secure- cookie a sibling subdomain planted (with its
// Domain) is not taken for the session or a check.
func TestPlantedNamesIgnored(t *testing.T) {
	j := cookie.New("", true)
	r := request(kv("__Secure-authgen.session-token", "planted"), kv("__Secure-authgen.state", "planted"),
		kv("__Secure-authgen.session-token.0", "planted"), kv("authgen.csrf-token", "planted"))
	for _, base := range []string{cookie.SessionToken, cookie.State, cookie.CSRFToken} {
		if got := j.Get(r, base); got != "" {
			t.Errorf("Get(%s) = %q from a planted cookie", base, got)
		}
	}
	if got := j.GetChunked(r, cookie.SessionToken); got != "" {
		t.Errorf("GetChunked = %q from planted cookies", got)
	}
}

func TestDelete(t *testing.T) {
	for _, secure := range []bool{false, true} {
		j := cookie.New("", secure)
		cs := setCookies(t, func(w http.ResponseWriter) { j.Delete(w, cookie.CSRFToken) })
		if len(cs) != 1 {
			t.Fatalf("Delete wrote %d cookies", len(cs))
		}
		c := cs[0]
		if c.Name != j.Name(cookie.CSRFToken) || c.Value != "" || c.MaxAge >= 0 {
			t.Errorf("Delete wrote %+v, want an expired %s", c, j.Name(cookie.CSRFToken))
		}
		checkAttributes(t, c, secure)
	}
}

func TestGet(t *testing.T) {
	j := cookie.New("", true)
	r := request(kv("__Host-authgen.state", "s1"), kv("authgen.state", "plain"))
	if got := j.Get(r, cookie.State); got != "s1" {
		t.Errorf("Get(state) = %q, want the prefixed cookie", got)
	}
	if got := j.Get(r, cookie.Nonce); got != "" {
		t.Errorf("Get(nonce) = %q, want empty", got)
	}
	if got := cookie.New("", false).Get(r, cookie.State); got != "plain" {
		t.Errorf("insecure jar Get(state) = %q", got)
	}
}

// written splits Set-Cookie headers into cookies set and cookies expired.
func written(cs []*http.Cookie) (set, deleted []*http.Cookie) {
	for _, c := range cs {
		if c.MaxAge < 0 {
			deleted = append(deleted, c)
		} else {
			set = append(set, c)
		}
	}
	return set, deleted
}

func names(cs []*http.Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out
}

func TestSetChunked(t *testing.T) {
	const name = "authgen.session-token"
	tests := []struct {
		name        string
		size        int
		have        []string // cookie names the request carries
		wantSet     []string
		wantDeleted []string
	}{
		{"small", 100, nil, []string{name}, nil},
		{"exactly ChunkSize", cookie.ChunkSize, nil, []string{name}, nil},
		{"one over ChunkSize", cookie.ChunkSize + 1, nil, []string{name + ".0", name + ".1"}, nil},
		{"three chunks", 2*cookie.ChunkSize + 1, nil, []string{name + ".0", name + ".1", name + ".2"}, nil},
		{"MaxChunks chunks", cookie.MaxChunks * cookie.ChunkSize, nil, chunkNames(name, cookie.MaxChunks), nil},
		{"chunked to single", 100, []string{name + ".0", name + ".1"}, []string{name}, []string{name + ".0", name + ".1"}},
		{"3 to 2 chunks", cookie.ChunkSize + 1, []string{name + ".0", name + ".1", name + ".2"}, []string{name + ".0", name + ".1"}, []string{name + ".2"}},
		{"single to chunked", cookie.ChunkSize + 1, []string{name}, []string{name + ".0", name + ".1"}, []string{name}},
		{"single to single", 10, []string{name}, []string{name}, nil},
		{"unrelated cookies left alone", 10, []string{"other", name + "-evil", name + ".x", name + ".01"}, []string{name}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := cookie.New("", false)
			value := strings.Repeat("v", tt.size-1) + "Z"
			var have []*http.Cookie
			for _, n := range tt.have {
				have = append(have, kv(n, "old"))
			}
			r := request(have...)
			expires := time.Now().Add(time.Hour)
			var err error
			cs := setCookies(t, func(w http.ResponseWriter) {
				err = j.SetChunked(w, r, cookie.SessionToken, value, expires)
			})
			if err != nil {
				t.Fatalf("SetChunked: %v", err)
			}
			set, deleted := written(cs)
			if got := names(set); !slices.Equal(got, sorted(tt.wantSet)) {
				t.Errorf("set %v, want %v", got, sorted(tt.wantSet))
			}
			if got := names(deleted); !slices.Equal(got, sorted(tt.wantDeleted)) {
				t.Errorf("deleted %v, want %v", got, sorted(tt.wantDeleted))
			}
			for _, c := range cs {
				checkAttributes(t, c, false)
				if len(c.Value) > cookie.ChunkSize {
					t.Errorf("%s carries %d characters, more than ChunkSize", c.Name, len(c.Value))
				}
			}
			// Whatever was written reads back as the value.
			if got := j.GetChunked(request(set...), cookie.SessionToken); got != value {
				t.Errorf("GetChunked of written cookies = %d chars, want %d", len(got), len(value))
			}
		})
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func chunkNames(name string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, name+"."+strconv.Itoa(i))
	}
	return out
}

func TestSetChunkedTooLarge(t *testing.T) {
	j := cookie.New("", true)
	r := request(kv("__Host-authgen.session-token", "old"))
	rec := httptest.NewRecorder()
	value := strings.Repeat("x", cookie.MaxChunks*cookie.ChunkSize+1)
	err := j.SetChunked(rec, r, cookie.SessionToken, value, time.Time{})
	if !errors.Is(err, cookie.ErrTooLarge) {
		t.Fatalf("SetChunked error = %v, want ErrTooLarge", err)
	}
	if h := rec.Header().Values("Set-Cookie"); len(h) != 0 {
		t.Errorf("SetChunked wrote %v with its error", h)
	}
}

func TestSetChunkedSecureNames(t *testing.T) {
	j := cookie.New("", true)
	value := strings.Repeat("s", cookie.ChunkSize+10)
	r := request(kv("__Host-authgen.session-token", "old"))
	cs := setCookies(t, func(w http.ResponseWriter) {
		if err := j.SetChunked(w, r, cookie.SessionToken, value, time.Time{}); err != nil {
			t.Fatal(err)
		}
	})
	set, deleted := written(cs)
	want := []string{"__Host-authgen.session-token.0", "__Host-authgen.session-token.1"}
	if got := names(set); !slices.Equal(got, want) {
		t.Errorf("set %v, want %v", got, want)
	}
	if got := names(deleted); !slices.Equal(got, []string{"__Host-authgen.session-token"}) {
		t.Errorf("deleted %v", got)
	}
	for _, c := range cs {
		checkAttributes(t, c, true)
	}
	if got := j.GetChunked(request(set...), cookie.SessionToken); got != value {
		t.Error("secure chunks do not read back")
	}
}

func TestGetChunked(t *testing.T) {
	const n = "authgen.session-token"
	many := func(count int) []*http.Cookie {
		var cs []*http.Cookie
		for i := range count {
			cs = append(cs, kv(n+"."+strconv.Itoa(i), strconv.Itoa(i%10)))
		}
		return cs
	}
	tests := []struct {
		name    string
		cookies []*http.Cookie
		want    string
	}{
		{"none", nil, ""},
		{"whole", []*http.Cookie{kv(n, "abc")}, "abc"},
		{"chunks in order", []*http.Cookie{kv(n+".0", "ab"), kv(n+".1", "cd"), kv(n+".2", "e")}, "abcde"},
		{"chunks out of order", []*http.Cookie{kv(n+".2", "e"), kv(n+".0", "ab"), kv(n+".1", "cd")}, "abcde"},
		{"single chunk", []*http.Cookie{kv(n+".0", "ab")}, "ab"},
		{"MaxChunks chunks", many(cookie.MaxChunks), "0123456789012345"},
		{"more than MaxChunks", many(cookie.MaxChunks + 1), ""},
		{"gap", []*http.Cookie{kv(n+".0", "ab"), kv(n+".2", "e")}, ""},
		{"missing first", []*http.Cookie{kv(n+".1", "cd"), kv(n+".2", "e")}, ""},
		{"duplicate chunk", []*http.Cookie{kv(n+".0", "ab"), kv(n+".0", "xx"), kv(n+".1", "cd")}, ""},
		{"duplicate whole", []*http.Cookie{kv(n, "a"), kv(n, "b")}, ""},
		{"whole and chunks", []*http.Cookie{kv(n, "abc"), kv(n+".0", "ab")}, ""},
		{"non-numeric suffix", []*http.Cookie{kv(n+".x", "ab")}, ""},
		{"non-numeric suffix ignored beside whole", []*http.Cookie{kv(n, "abc"), kv(n+".x", "zz")}, "abc"},
		{"leading zero suffix", []*http.Cookie{kv(n+".00", "ab")}, ""},
		{"leading zero suffix beside chunks", []*http.Cookie{kv(n+".0", "ab"), kv(n+".01", "zz")}, "ab"},
		{"signed suffix", []*http.Cookie{kv(n+".+0", "ab")}, ""},
		{"negative suffix", []*http.Cookie{kv(n+".-1", "ab")}, ""},
		{"empty suffix", []*http.Cookie{kv(n+".", "ab")}, ""},
		{"huge suffix", []*http.Cookie{kv(n+".99999999999999999999", "ab")}, ""},
		{"look-alike name", []*http.Cookie{kv(n+"-evil", "evil")}, ""},
		{"look-alike name beside whole", []*http.Cookie{kv(n+"-evil", "evil"), kv(n, "abc")}, "abc"},
		{"look-alike chunk", []*http.Cookie{kv(n+"-evil.0", "evil")}, ""},
		{"prefix of name", []*http.Cookie{kv("authgen.session", "x")}, ""},
		{"secure name ignored by insecure jar", []*http.Cookie{kv("__Secure-"+n, "x")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := cookie.New("", false)
			if got := j.GetChunked(request(tt.cookies...), cookie.SessionToken); got != tt.want {
				t.Errorf("GetChunked = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestGetChunkedReadsAsNetHTTP: GetChunked reads the Cookie headers
// itself; it reads what r.Cookies reads, also from several Cookie headers,
// with quotes and spaces, and nothing from a request of more than 3000
// cookies (net/http's limit).
func TestGetChunkedReadsAsNetHTTP(t *testing.T) {
	const n = "authgen.session-token"
	filler := func(count int) string {
		return strings.Repeat("x=1; ", count)
	}
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"quoted", []string{n + `="abc"`}, "abc"},
		{"spaces around", []string{"  a=1 ;  " + n + " =abc ; b=2"}, "abc"},
		{"chunks on two lines", []string{n + ".0=ab", "c=d; " + n + ".1=cd"}, "abcd"},
		{"whole on one line, chunk on another", []string{n + "=ab", n + ".0=cd"}, ""},
		{"invalid byte in value", []string{n + "=a\\b"}, ""},
		{"invalid value beside a valid one", []string{n + "=a\"b; " + n + "=ok"}, "ok"},
		{"3000 cookies", []string{filler(2999) + n + "=abc"}, "abc"},
		{"3001 cookies", []string{filler(3000) + n + "=abc"}, ""},
		{"3001 cookies on two lines", []string{filler(1500), filler(1499) + n + "=abc; y=2"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header["Cookie"] = tt.lines
			got := cookie.New("", false).GetChunked(r, cookie.SessionToken)
			if want, _ := readBack(r.Cookies(), n); got != tt.want || want != tt.want {
				t.Errorf("GetChunked = %q, r.Cookies reads %q, want %q", got, want, tt.want)
			}
		})
	}
}

// TestGetChunkedAllocs: reading a whole session cookie among others
// allocates nothing, and a chunked one only the joined value (GetChunked
// is on the path of every session check).
func TestGetChunkedAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	const n = "authgen.session-token"
	j := cookie.New("", false)
	whole := request(kv("a", "1"), kv(n, strings.Repeat("t", 500)), kv("authgen.csrf-token", "c"))
	chunked := request(kv(n+".1", "cd"), kv("a", "1"), kv(n+".0", "ab"))
	for _, tt := range []struct {
		name string
		r    *http.Request
		want float64
	}{{"whole", whole, 0}, {"chunked", chunked, 1}} {
		if got := testing.AllocsPerRun(100, func() { j.GetChunked(tt.r, cookie.SessionToken) }); got != tt.want {
			t.Errorf("GetChunked of a %s cookie: %v allocations, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDeleteChunked(t *testing.T) {
	const n = "authgen.session-token"
	tests := []struct {
		name string
		have []string
		want []string
	}{
		{"nothing", nil, []string{n}},
		{"whole", []string{n}, []string{n}},
		{"chunks", []string{n + ".0", n + ".1"}, []string{n, n + ".0", n + ".1"}},
		{"whole and chunks", []string{n, n + ".0"}, []string{n, n + ".0"}},
		{"look-alike left alone", []string{n + "-evil", n + ".x"}, []string{n}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := cookie.New("", false)
			var have []*http.Cookie
			for _, name := range tt.have {
				have = append(have, kv(name, "v"))
			}
			cs := setCookies(t, func(w http.ResponseWriter) { j.DeleteChunked(w, request(have...), cookie.SessionToken) })
			set, deleted := written(cs)
			if len(set) != 0 {
				t.Errorf("DeleteChunked set %v", names(set))
			}
			if got := names(deleted); !slices.Equal(got, sorted(tt.want)) {
				t.Errorf("deleted %v, want %v", got, sorted(tt.want))
			}
			for _, c := range deleted {
				checkAttributes(t, c, false)
			}
		})
	}
}

// FuzzChunks reads arbitrary Cookie headers as a session value and writes
// arbitrary values back: GetChunked returns either nothing or exactly the
// one whole cookie or the chunks 0…n-1, each present once, joined; and a
// value SetChunked writes (over whatever the request carried) reads back.
func FuzzChunks(f *testing.F) {
	const n = "__Host-authgen.session-token"
	f.Add(n+"=abc", "value")
	f.Add(n+".0=ab; "+n+".1=cd", strings.Repeat("v", cookie.ChunkSize+1))
	f.Add(n+".1=cd; "+n+".0=ab; "+n+"=x", "")
	f.Add(n+".00=ab; "+n+".0=a; "+n+".0=b", "x")
	f.Add("__Secure-authgen.session-token=planted; "+n+"-evil.0=z", strings.Repeat("w", 3*cookie.ChunkSize))
	f.Add(" \t"+n+" =\"quoted\" ;;"+n+"x=1", "")
	f.Add(n+".0=a b; "+n+".1=c\\d; "+n+".1=\"e\"", "")
	f.Add(n+".0=\x7f; "+n+".1=\"; "+n+"=ok; bad name=1; "+n+".+1=z; "+n+".99999999999999999999=z", "")
	f.Fuzz(func(t *testing.T, header, value string) {
		j := cookie.New("", true)
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Cookie", header)
		// GetChunked reads the cookies itself, without allocating: it must
		// read exactly what net/http's r.Cookies reads.
		got := j.GetChunked(r, cookie.SessionToken)
		if want, ok := readBack(r.Cookies(), n); got != want {
			t.Fatalf("GetChunked(%q) = %q, want %q (valid %v)", header, got, want, ok)
		}

		// Cookie values are printable ASCII without quotes, commas,
		// semicolons and backslashes (RFC 6265 cookie-octet).
		value = strings.Map(func(r rune) rune {
			if r <= ' ' || r > '~' || strings.ContainsRune("\",;\\", r) {
				return -1
			}
			return r
		}, value)
		if len(value) > 3*cookie.ChunkSize+7 {
			value = value[:3*cookie.ChunkSize+7]
		}
		rec := httptest.NewRecorder()
		if err := j.SetChunked(rec, r, cookie.SessionToken, value, time.Time{}); err != nil {
			t.Fatal(err)
		}
		set, _ := written(rec.Result().Cookies())
		if back := j.GetChunked(request(set...), cookie.SessionToken); back != value {
			t.Fatalf("SetChunked(%d bytes) read back %d bytes", len(value), len(back))
		}
	})
}

// readBack is GetChunked's contract written out: the value of the one
// cookie named n, or the chunks n.0 … n.k-1 each present once (at most
// MaxChunks) joined; ok is false for anything else.
func readBack(cs []*http.Cookie, n string) (string, bool) {
	var whole []string
	parts := map[int][]string{}
	for _, c := range cs {
		if c.Name == n {
			whole = append(whole, c.Value)
			continue
		}
		suffix, ok := strings.CutPrefix(c.Name, n+".")
		if i, err := strconv.Atoi(suffix); ok && err == nil && i >= 0 && strconv.Itoa(i) == suffix {
			parts[i] = append(parts[i], c.Value)
		}
	}
	switch {
	case len(whole) == 1 && len(parts) == 0:
		return whole[0], true
	case len(whole) > 0 || len(parts) == 0 || len(parts) > cookie.MaxChunks:
		return "", false
	}
	var b strings.Builder
	for i := range len(parts) {
		if len(parts[i]) != 1 {
			return "", false
		}
		b.WriteString(parts[i][0])
	}
	return b.String(), true
}

// TestWithAuthJS: the cookies shared with Auth.js take its names
// (@auth/core lib/utils/cookie.ts, next-auth 4 core/lib/cookie.ts) and
// chunk size; the others keep authgen's.
func TestWithAuthJS(t *testing.T) {
	for _, tc := range []struct {
		secure bool
		domain string
		want   map[string]string
	}{
		{false, "", map[string]string{cookie.SessionToken: "authjs.session-token", cookie.CSRFToken: "authjs.csrf-token", cookie.CallbackURL: "authjs.callback-url", cookie.State: "authgen.state"}},
		{true, "", map[string]string{cookie.SessionToken: "__Secure-authjs.session-token", cookie.CSRFToken: "__Host-authjs.csrf-token", cookie.CallbackURL: "__Secure-authjs.callback-url", cookie.State: "__Host-authgen.state"}},
		{true, "example.com", map[string]string{cookie.SessionToken: "__Secure-authjs.session-token", cookie.CSRFToken: "__Host-authjs.csrf-token", cookie.CallbackURL: "__Secure-authjs.callback-url", cookie.State: "__Host-authgen.state"}},
	} {
		j := cookie.New("authgen", tc.secure).WithDomain(tc.domain).WithAuthJS("authjs", 4096-163)
		for base, want := range tc.want {
			if got := j.Name(base); got != want {
				t.Errorf("secure %v domain %q: Name(%s) = %s, want %s", tc.secure, tc.domain, base, got, want)
			}
		}
		if c := j.Cookie(cookie.SessionToken, "v", time.Time{}); c.Domain != tc.domain {
			t.Errorf("session token Domain %q, want %q", c.Domain, tc.domain)
		}
	}
	j := cookie.New("authgen", false).WithAuthJS("next-auth", 4096-163)
	w := httptest.NewRecorder()
	if err := j.SetChunked(w, httptest.NewRequest("GET", "/", nil), cookie.SessionToken, strings.Repeat("x", 4000), time.Time{}); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, c := range w.Result().Cookies() {
		got[c.Name] = len(c.Value)
	}
	if got["next-auth.session-token.0"] != 3933 || got["next-auth.session-token.1"] != 4000-3933 || len(got) != 2 {
		t.Errorf("chunks %v, want next-auth's 3933 characters and the rest", got)
	}
}
