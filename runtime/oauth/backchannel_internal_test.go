package oauth

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNewClient: the default client has every timeout and limit.
func TestNewClient(t *testing.T) {
	c := NewClient()
	if c.Timeout != requestTimeout || c.Jar != nil || c.CheckRedirect == nil {
		t.Errorf("NewClient: Timeout %v, Jar %v, CheckRedirect set %v", c.Timeout, c.Jar, c.CheckRedirect != nil)
	}
	lt, ok := c.Transport.(*limitTransport)
	if !ok {
		t.Fatalf("NewClient's transport is %T, want the limiting transport", c.Transport)
	}
	tr, ok := lt.base.(*http.Transport)
	if !ok {
		t.Fatalf("NewClient's base transport is %T", lt.base)
	}
	if tr.DialContext == nil || tr.TLSHandshakeTimeout != handshakeTimeout || tr.ResponseHeaderTimeout != headerTimeout ||
		tr.MaxResponseHeaderBytes != maxHeaderBytes || tr.Proxy == nil || tr.IdleConnTimeout == 0 {
		t.Errorf("NewClient's transport lacks a timeout or limit: %+v", tr)
	}
	if !(dialTimeout > 0 && handshakeTimeout > 0 && headerTimeout > 0 && headerTimeout < requestTimeout) {
		t.Error("the timeouts are not ordered: dial, handshake, header, whole request")
	}
}

// TestGuard: Guard keeps the application's transport and timeout, adds
// what is missing, never changes its argument, and wraps once.
func TestGuard(t *testing.T) {
	base := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("unused") })
	jar, _ := cookiejar.New(nil)
	own := &http.Client{Transport: base, Jar: jar}
	g := Guard(own)
	if own.CheckRedirect != nil || own.Jar == nil || own.Timeout != 0 {
		t.Error("Guard changed its argument")
	}
	if g.Jar != nil || g.CheckRedirect == nil || g.Timeout != requestTimeout {
		t.Errorf("Guard(client without timeout): Jar %v, CheckRedirect set %v, Timeout %v", g.Jar, g.CheckRedirect != nil, g.Timeout)
	}
	lt, ok := g.Transport.(*limitTransport)
	if !ok || lt.base == nil {
		t.Fatalf("Guard's transport is %T", g.Transport)
	}
	if gg := Guard(g); gg.Transport.(*limitTransport).base == nil || gg.Transport != g.Transport {
		t.Error("Guard wrapped a guarded transport again")
	}
	if g := Guard(&http.Client{Timeout: 30 * time.Second}); g.Timeout != 30*time.Second {
		t.Errorf("Guard replaced the application's Timeout with %v", g.Timeout)
	}
	if g := Guard(nil); g.Timeout != requestTimeout || g.Transport.(*limitTransport).base == nil {
		t.Error("Guard(nil) is not NewClient()")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestAnswerLimit: an answer of exactly 1 MB is read, one byte more fails
// with ErrTooLarge, whether the size is announced (Content-Length) or not
// (chunked), and the error names the endpoint without its query.
func TestAnswerLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if r.URL.Query().Has("chunked") {
			// Flushing before the end makes the answer chunked.
			_, _ = w.Write(bytes.Repeat([]byte("x"), 10))
			w.(http.Flusher).Flush()
			n -= 10
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		_, _ = w.Write(bytes.Repeat([]byte("x"), n))
	}))
	t.Cleanup(srv.Close)
	for _, mode := range []string{"", "&chunked"} {
		for _, n := range []int{maxBody, maxBody + 1, 5 << 20} {
			u := srv.URL + "/api?secret=s3cr3t&n=" + strconv.Itoa(n) + mode
			body, err := Get(t.Context(), &http.Client{}, http.MethodGet, u, nil, nil)
			switch {
			case n <= maxBody && (err != nil || len(body) != n):
				t.Errorf("%d bytes%s: %d bytes, %v; want all of them", n, mode, len(body), err)
			case n > maxBody && !errors.Is(err, ErrTooLarge):
				t.Errorf("%d bytes%s: %d bytes, %v; want ErrTooLarge", n, mode, len(body), err)
			case n > maxBody && (!strings.Contains(err.Error(), srv.URL+"/api") || strings.Contains(err.Error(), "s3cr3t")):
				t.Errorf("%d bytes%s: error %q does not name the endpoint, or shows its query", n, mode, err)
			}
		}
	}
}

// TestLimitedBody reads in small and large pieces around the limit.
func TestLimitedBody(t *testing.T) {
	for _, size := range []int{0, 1, 100, 101, 102} {
		for _, chunk := range []int{1, 7, 100, 4096} {
			b := &limitedBody{rc: io.NopCloser(bytes.NewReader(bytes.Repeat([]byte("y"), size))), left: 101}
			var got []byte
			var err error
			buf := make([]byte, chunk)
			for {
				var n int
				n, err = b.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
			}
			if size <= 101 && (err != io.EOF || len(got) != size) {
				t.Errorf("size %d, reads of %d: %d bytes, %v; want %d, EOF", size, chunk, len(got), err, size)
			}
			if size > 101 && (!errors.Is(err, ErrTooLarge) || len(got) != 101) {
				t.Errorf("size %d, reads of %d: %d bytes, %v; want 101, ErrTooLarge", size, chunk, len(got), err)
			}
		}
	}
}

// TestParseDiscovery: what a discovery document must have.
func TestParseDiscovery(t *testing.T) {
	const iss = "https://idp.example/tenant"
	good := func() map[string]any {
		return map[string]any{
			"issuer":                   iss,
			"authorization_endpoint":   iss + "/authorize",
			"token_endpoint":           iss + "/token",
			"userinfo_endpoint":        iss + "/userinfo",
			"jwks_uri":                 iss + "/jwks",
			"end_session_endpoint":     iss + "/logout",
			"response_types_supported": []any{"code", "id_token"},
		}
	}
	p := &Provider{ID: "corp", Issuer: iss}
	for _, tc := range []struct {
		name string
		p    *Provider
		edit func(d map[string]any)
		want string // "" when accepted
	}{
		{"good", p, func(map[string]any) {}, ""},
		{"code among others, with spaces", p, func(d map[string]any) { d["response_types_supported"] = []any{"id_token", " code "} }, ""},
		{"no userinfo, no end session", p, func(d map[string]any) { delete(d, "userinfo_endpoint"); delete(d, "end_session_endpoint") }, ""},
		{"no token_endpoint but the provider's own", &Provider{Issuer: iss, TokenURL: "https://idp.example/t"}, func(d map[string]any) { delete(d, "token_endpoint") }, ""},
		{"no authorization_endpoint but the provider's own", &Provider{Issuer: iss, AuthorizationURL: "https://idp.example/a"}, func(d map[string]any) { delete(d, "authorization_endpoint") }, ""},
		{"no jwks_uri with client-secret ID tokens", &Provider{Issuer: iss, IDTokenSecretKey: true}, func(d map[string]any) { delete(d, "jwks_uri") }, ""},
		{"other issuer", p, func(d map[string]any) { d["issuer"] = iss + "/" }, "issuer"},
		{"no issuer", p, func(d map[string]any) { delete(d, "issuer") }, "issuer"},
		{"no authorization_endpoint", p, func(d map[string]any) { delete(d, "authorization_endpoint") }, "no authorization_endpoint"},
		{"empty token_endpoint", p, func(d map[string]any) { d["token_endpoint"] = "" }, "no token_endpoint"},
		{"no jwks_uri", p, func(d map[string]any) { delete(d, "jwks_uri") }, "no jwks_uri"},
		{"no response types", p, func(d map[string]any) { delete(d, "response_types_supported") }, `lacks "code"`},
		{"only hybrid response types", p, func(d map[string]any) { d["response_types_supported"] = []any{"code id_token"} }, `lacks "code"`},
		{"http token endpoint of an https issuer", p, func(d map[string]any) { d["token_endpoint"] = "http://idp.example/token" }, "not an https URL"},
		{"relative authorization endpoint", p, func(d map[string]any) { d["authorization_endpoint"] = "/authorize" }, "not an absolute"},
		{"javascript end session", p, func(d map[string]any) { d["end_session_endpoint"] = "javascript:alert(1)" }, "end_session_endpoint"},
		{"userinfo with credentials", p, func(d map[string]any) { d["userinfo_endpoint"] = "https://u:p@idp.example/userinfo" }, "credentials"},
		{"jwks with a fragment", p, func(d map[string]any) { d["jwks_uri"] = iss + "/jwks#k" }, "fragment"},
		{"host-less URL", p, func(d map[string]any) { d["token_endpoint"] = "https:///token" }, "not an absolute"},
		{"wrong type", p, func(d map[string]any) { d["response_types_supported"] = "code" }, "not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := good()
			tc.edit(d)
			body := mustJSON(t, d)
			got, err := tc.p.parseDiscovery(body)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want == "" && got.issuer != iss:
				t.Fatalf("issuer %q", got.issuer)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("parseDiscovery = %v, %v; want an error with %q", got, err, tc.want)
			}
		})
	}
	for _, body := range []string{"", "null", "[]", `"x"`, "{", `{"issuer":1}`} {
		if _, err := p.parseDiscovery([]byte(body)); err == nil {
			t.Errorf("parseDiscovery(%q) accepted it", body)
		}
	}
	// An http issuer (a local one) may have http endpoints.
	local := &Provider{Issuer: "http://127.0.0.1:5556/dex"}
	d := map[string]any{"issuer": local.Issuer, "authorization_endpoint": "http://127.0.0.1:5556/dex/auth", "token_endpoint": "http://127.0.0.1:5556/dex/token", "jwks_uri": "http://127.0.0.1:5556/dex/keys", "response_types_supported": []any{"code"}}
	if _, err := local.parseDiscovery(mustJSON(t, d)); err != nil {
		t.Errorf("http issuer with http endpoints: %v", err)
	}
}

// TestJOSEHeader: typ may be absent or JWT (any case, application/
// prefix); anything else, or a header that is not one, is refused.
func TestJOSEHeader(t *testing.T) {
	enc := func(h string) string { return base64.RawURLEncoding.EncodeToString([]byte(h)) + ".e30.sig" }
	for _, tc := range []struct {
		header string
		ok     bool
	}{
		{`{"alg":"RS256"}`, true},
		{`{"alg":"RS256","typ":"JWT"}`, true},
		{`{"alg":"RS256","typ":"jwt"}`, true},
		{`{"alg":"RS256","typ":"application/jwt"}`, true},
		{`{"alg":"RS256","typ":"Application/JWT"}`, true},
		{`{"alg":"RS256","TYP":"at+jwt"}`, true}, // not the typ parameter: names are case-sensitive (go-jose)
		{`{"alg":"RS256","typ":"at+jwt"}`, false},
		{`{"alg":"RS256","typ":"application/at+jwt"}`, false},
		{`{"alg":"RS256","typ":"logout+jwt"}`, false},
		{`{"alg":"RS256","typ":"JOSE"}`, false},
		{`{"alg":"RS256","typ":""}`, false},
		{`{"alg":"RS256","typ":null}`, false},
		{`{"alg":"RS256","typ":["JWT"]}`, false},
		{`{"alg":"RS256","typ":"JWT","typ":"at+jwt"}`, false}, // the last one counts, as in go-jose
		{`{"alg":1}`, false},
		{`[]`, false},
		{`null`, false},
	} {
		h, err := parseJOSEHeader(enc(tc.header))
		if err == nil {
			err = checkTyp(h)
		}
		if (err == nil) != tc.ok {
			t.Errorf("header %s: %v, want ok=%v", tc.header, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrIDToken) && !strings.Contains(err.Error(), "header") {
			t.Errorf("header %s: error %v is neither ErrIDToken nor about the header", tc.header, err)
		}
	}
	for _, raw := range []string{"", "nodots", "!!!.e30.x"} {
		if _, err := parseJOSEHeader(raw); err == nil {
			t.Errorf("parseJOSEHeader(%q) accepted it", raw)
		}
	}
}

// TestNumericDates: exp, iat, nbf and auth_time must be JSON numbers a
// float64 holds, under any spelling Go's decoder would match.
func TestNumericDates(t *testing.T) {
	for _, tc := range []struct {
		claims string
		ok     bool
	}{
		{`{"sub":"1","exp":1796162752,"iat":1796159152}`, true},
		{`{"exp":1796162752.5,"iat":-1,"nbf":0,"auth_time":1e9}`, true},
		{`{"sub":"1"}`, true},
		{`{"expires":"x","iat_ms":"1"}`, true},
		{`{"exp":"1796162752"}`, false},
		{`{"iat":"1796159152"}`, false},
		{`{"nbf":"0"}`, false},
		{`{"auth_time":"1796159152"}`, false},
		{`{"EXP":"1796162752"}`, false},
		{`{"exp":null}`, false},
		{`{"exp":true}`, false},
		{`{"exp":{}}`, false},
		{`{"iat":1e700}`, false},
		{`{"exp":-1e400}`, false},
		{`[]`, false},
	} {
		err := checkNumericDates([]byte(tc.claims))
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrIDToken)) {
			t.Errorf("%s: %v, want ok=%v", tc.claims, err, tc.ok)
		}
	}
}

// TestAtHash: OpenID Connect Core's example (Appendix A.4), and the hash of
// each algorithm family.
func TestAtHash(t *testing.T) {
	const accessToken = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
	if err := checkAtHash("RS256", "77QmUPtjPfzWtF2AnpK9RQ", accessToken); err != nil {
		t.Errorf("OpenID Connect Core A.4: %v", err)
	}
	for _, tc := range []struct {
		alg  string
		hash crypto.Hash
	}{{"ES256", crypto.SHA256}, {"PS384", crypto.SHA384}, {"RS512", crypto.SHA512}, {"EdDSA", crypto.SHA512}, {"HS256", crypto.SHA256}} {
		h := tc.hash.New()
		h.Write([]byte(accessToken))
		sum := h.Sum(nil)
		good := base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
		if err := checkAtHash(tc.alg, good, accessToken); err != nil {
			t.Errorf("%s: %v", tc.alg, err)
		}
		for _, bad := range []string{"", good + "=", good[1:], strings.ToUpper(good), good + good} {
			if err := checkAtHash(tc.alg, bad, accessToken); !errors.Is(err, ErrIDToken) {
				t.Errorf("%s: at_hash %q accepted (%v)", tc.alg, bad, err)
			}
		}
		if err := checkAtHash(tc.alg, good, accessToken+"x"); !errors.Is(err, ErrIDToken) {
			t.Errorf("%s: at_hash of another token accepted", tc.alg)
		}
	}
	if err := checkAtHash("none", "x", accessToken); !errors.Is(err, ErrIDToken) {
		t.Error("at_hash with alg none accepted")
	}
}

// TestExpiresIn: a token response's lifetime is a positive number of
// seconds up to ten years, or unknown.
func TestExpiresIn(t *testing.T) {
	for in, want := range map[any]int64{
		float64(3600): 3600, "3600": 3600, " 60 ": 60, "1e3": 1000, float64(0): 0, float64(-5): 0,
		"12abc": 0, "NaN": 0, "Inf": 0, float64(1e300): 0, "": 0, true: 0, nil: 0,
		float64(maxExpiresIn): maxExpiresIn, float64(maxExpiresIn + 1): 0,
	} {
		if got := expiresIn(in); got != want {
			t.Errorf("expiresIn(%#v) = %d, want %d", in, got, want)
		}
	}
}

// TestBounded: library errors are clipped but keep their chain.
func TestBounded(t *testing.T) {
	inner := errors.New("get keys failed: 500 " + strings.Repeat("<html>", 10000) + "\n\x1b[31m")
	err := bounded(inner)
	if len(err.Error()) > maxErrorText+10 || strings.ContainsAny(err.Error(), "\n\x1b") || !errors.Is(err, inner) {
		t.Errorf("bounded: %d bytes, chain kept %v", len(err.Error()), errors.Is(err, inner))
	}
	short := errors.New("oidc: token is expired")
	if bounded(short) != short {
		t.Error("bounded changed a short error")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
