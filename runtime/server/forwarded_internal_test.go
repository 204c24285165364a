package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzForwardedOrigin: whatever the headers hold, forwardedOrigin either
// refuses them or returns an origin that is http or https and whose host
// parses back as exactly the host of a URL (no path, query, fragment or
// user info could hide in it), and is the right-most forwarded value.
func FuzzForwardedOrigin(f *testing.F) {
	for _, seed := range [][3]string{
		{"app.example", "https", "ignored.example"},
		{"client.example, app.example:8443", "http, https", ""},
		{"", "", "app.example:3000"},
		{"[2001:db8::1]:443", "HTTPS", ""},
		{"app.example?x=1", "https", ""},
		{"evil.example#@app.example", "https", ""},
		{"a.example,", "https,", ""},
		{"app.example:0", "", "host:99999"},
		{"[00000::]", "https", ""},
		{"[fe80::1%25eth0]:443", "https", ""},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	fallback := &url.URL{Scheme: "https", Host: "fallback.example"}
	f.Fuzz(func(t *testing.T, xfh, xfp, host string) {
		h := http.Header{}
		if xfh != "" {
			h.Set("X-Forwarded-Host", xfh)
		}
		if xfp != "" {
			h.Set("X-Forwarded-Proto", xfp)
		}
		o, err := forwardedOrigin(h, host, fallback)
		if err != nil {
			return
		}
		if o.Scheme != "http" && o.Scheme != "https" {
			t.Fatalf("scheme %q from X-Forwarded-Proto %q", o.Scheme, xfp)
		}
		u, perr := url.Parse(o.Scheme + "://" + o.Host + "/p")
		if perr != nil || u.Host != o.Host || u.User != nil || u.Path != "/p" || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("origin host %q does not parse back as a host: %+v, %v", o.Host, u, perr)
		}
		want := host
		if xfh != "" {
			want = strings.TrimSpace(xfh[strings.LastIndexByte(xfh, ',')+1:])
		}
		if want == "" {
			want = fallback.Host
		}
		if o.Host != want {
			t.Fatalf("host %q, want the right-most value %q (X-Forwarded-Host %q, Host %q)", o.Host, want, xfh, host)
		}
	})
}
