package redirect_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/redirect"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSameOriginAndDefault(t *testing.T) {
	const origin = "https://app.example"
	tests := []struct {
		name   string
		base   string
		target string
		want   string // SameOrigin's URL; "" when refused
	}{
		{"path", origin, "/dashboard", origin + "/dashboard"},
		{"path with query", origin, "/dashboard?x=1", origin + "/dashboard?x=1"},
		{"path with fragment", origin, "/a/b#c", origin + "/a/b#c"},
		{"root", origin, "/", origin + "/"},
		{"escaped path", origin, "/a%20b?q=%2F", origin + "/a%20b?q=%2F"},
		{"encoded slash after root", origin, "/%2F/evil.example", origin + "/%2F/evil.example"},
		{"same-origin absolute", origin, "https://app.example/settings?tab=1", "https://app.example/settings?tab=1"},
		{"same-origin absolute without path", origin, "https://app.example", "https://app.example"},
		{"same-origin, upper-case host", origin, "HTTPS://APP.EXAMPLE/x", "https://APP.EXAMPLE/x"},
		{"same origin with port", "http://127.0.0.1:8080", "http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"},
		{"path with port origin", "http://127.0.0.1:8080", "/x", "http://127.0.0.1:8080/x"},

		{"empty", origin, "", ""},
		{"other origin", origin, "https://evil.example", ""},
		{"other origin with path", origin, "https://evil.example/app.example", ""},
		{"subdomain", origin, "https://evil.app.example/", ""},
		{"suffix host", origin, "https://app.example.evil.example/", ""},
		{"protocol-relative", origin, "//evil.example", ""},
		{"protocol-relative with path", origin, "//evil.example/x", ""},
		{"protocol-relative to own host", origin, "//app.example/x", ""},
		{"slash backslash", origin, "/\\evil.example", ""},
		{"double backslash", origin, "\\\\evil.example", ""},
		{"backslash slash", origin, "\\/evil.example", ""},
		{"backslash in absolute", origin, "https://app.example\\@evil.example", ""},
		{"javascript", origin, "javascript:alert(1)", ""},
		{"javascript upper-case", origin, "JavaScript:alert(1)", ""},
		{"javascript with slashes", origin, "javascript://app.example/%0aalert(1)", ""},
		{"data", origin, "data:text/html,<script>alert(1)</script>", ""},
		{"user info", origin, "https://app.example@evil.example", ""},
		{"user info with password", origin, "https://app.example:pw@evil.example/", ""},
		{"user info on own host", origin, "https://user@app.example/", ""},
		{"http when origin is https", origin, "http://app.example/x", ""},
		{"https when origin is http", "http://app.example", "https://app.example/x", ""},
		{"other port", origin, "https://app.example:8443/x", ""},
		{"scheme without slashes", origin, "https:evil.example", ""},
		{"scheme with one slash", origin, "https:/evil.example", ""},
		{"relative path", origin, "dashboard", ""},
		{"query only", origin, "?x=1", ""},
		{"leading space protocol-relative", origin, " //evil.example", ""},
		{"tab in protocol-relative", origin, "/\t/evil.example", ""},
		{"newline in protocol-relative", origin, "/\n/evil.example", ""},
		{"carriage return", origin, "/\r/evil.example", ""},
		{"NUL", origin, "/x\x00", ""},
		{"DEL", origin, "/x\x7f", ""},
		{"control in absolute", origin, "https://app.example/\x01", ""},
		{"invalid escape", origin, "/%zz", ""},
		{"ftp", origin, "ftp://app.example/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := mustURL(t, tt.base)
			got, ok := redirect.SameOrigin(tt.target, base)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("SameOrigin(%q) = %q, %v; want %q, %v", tt.target, got, ok, tt.want, tt.want != "")
			}
			def := redirect.Default(tt.target, base)
			want := tt.want
			if want == "" {
				want = tt.base
			}
			if def != want {
				t.Errorf("Default(%q) = %q, want %q", tt.target, def, want)
			}
			// Whatever Default returns stays on the base origin.
			u, err := url.Parse(def)
			if err != nil {
				t.Fatalf("Default returned an unparsable URL %q", def)
			}
			if u.User != nil || u.Scheme != base.Scheme || !equalFold(u.Host, base.Host) {
				t.Errorf("Default(%q) = %q leaves %s", tt.target, def, tt.base)
			}
		})
	}
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// FuzzSameOrigin: whatever callbackUrl holds, a URL SameOrigin accepts (and
// so Default returns) is an absolute URL on the base's origin, as a URL
// parser and as a browser reads it: no user info, no backslash or control
// character (which browsers drop or turn into "/"), and nothing after the
// origin that starts another authority ("//").
func FuzzSameOrigin(f *testing.F) {
	for _, s := range []string{
		"/dashboard?x=1#y", "https://app.example/settings", "//evil.example", "/\\evil.example",
		"https://app.example@evil.example", "HTTPS://APP.EXAMPLE/x", "javascript:alert(1)",
		"/%2F/evil.example", "https:evil.example", "/\tevil", "https://app.example:443/x", "?x", "#x",
	} {
		f.Add(s)
	}
	base, _ := url.Parse("https://app.example")
	f.Fuzz(func(t *testing.T, target string) {
		got := redirect.Default(target, base)
		u, ok := redirect.SameOrigin(target, base)
		if !ok {
			if got != "https://app.example" {
				t.Fatalf("Default(%q) = %q, want the origin", target, got)
			}
			return
		}
		if got != u {
			t.Fatalf("Default(%q) = %q, SameOrigin %q", target, got, u)
		}
		p, err := url.Parse(u)
		if err != nil || !strings.EqualFold(p.Scheme, "https") || !strings.EqualFold(p.Host, "app.example") || p.User != nil || p.Opaque != "" {
			t.Fatalf("SameOrigin(%q) = %q, which is not on https://app.example (%+v, %v)", target, u, p, err)
		}
		rest := u[len("https://app.example"):]
		if strings.ContainsAny(u, "\\") || strings.ContainsFunc(u, func(r rune) bool { return r < 0x20 || r == 0x7f }) ||
			(rest != "" && rest[0] != '/' && rest[0] != '?' && rest[0] != '#') {
			t.Fatalf("SameOrigin(%q) = %q: a browser may read it as another origin", target, u)
		}
	})
}
