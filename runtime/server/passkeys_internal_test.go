package server

import (
	"net/url"
	"slices"
	"testing"
)

// TestPasskeyRP: the relying party ID is the host of URL, or the cookie
// domain (without its dot) when set; the one origin is URL's.
func TestPasskeyRP(t *testing.T) {
	u, _ := url.Parse("https://app.example.com:8443/base")
	for _, tc := range []struct{ domain, want string }{
		{"", "app.example.com"},
		{".example.com", "example.com"},
		{"example.com", "example.com"},
	} {
		a := &Auth{cfg: Config{URL: u, CookieDomain: tc.domain, Theme: Theme{AppName: "Acme"}}}
		rp := a.passkeyRP()
		if rp.ID != tc.want || rp.Name != "Acme" || !slices.Equal(rp.Origins, []string{"https://app.example.com:8443"}) {
			t.Errorf("cookie domain %q: %+v, want ID %q, name Acme, origin https://app.example.com:8443", tc.domain, rp, tc.want)
		}
	}
}
