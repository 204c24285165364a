package oauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/oauth"
)

const (
	rpRedirect = "https://app.example/api/auth/callback/corp"
	rpClaims   = `{"sub":"u-1815","name":"Ada Lovelace","email":"ada@example.com"}`
)

type rpProfile struct {
	Sub   string `json:"sub"`
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func rpUser(p *rpProfile) oauth.User {
	return oauth.User{ID: p.Sub + p.ID, Name: p.Name, Email: p.Email}
}

// rpFor is a relying party of idp: OpenID Connect, OAuth 1.0a or OAuth 2.0
// as idp is configured.
func rpFor(idp *authtest.Provider, cfg authtest.Config) *oauth.Provider {
	p := &oauth.Provider{ID: "corp", ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, Profile: oauth.Map(rpUser, nil), Discovery: &oauth.Discovery{}}
	switch {
	case cfg.OIDC:
		p.Type, p.Issuer, p.Scopes, p.Checks = oauth.TypeOIDC, idp.Issuer, []string{"openid"}, oauth.PKCE|oauth.Nonce
	case cfg.OAuth1:
		p.Type, p.RequestTokenURL, p.AuthorizationURL, p.TokenURL, p.UserinfoURL = oauth.TypeOAuth1, idp.RequestTokenURL(), idp.AuthorizationURL(), idp.TokenURL(), idp.UserinfoURL()
	default:
		p.Type, p.AuthorizationURL, p.TokenURL, p.UserinfoURL, p.Checks = oauth.TypeOAuth, idp.AuthorizationURL(), idp.TokenURL(), idp.UserinfoURL(), oauth.PKCE
	}
	return p
}

// TestBackChannelRedirects: no endpoint the runtime calls is followed
// when it redirects — token (code exchange, refresh, OAuth 1.0a access
// token), userinfo, discovery, JWKS, OAuth 1.0a request token — with any
// redirect status, even with a client of the application's that follows
// redirects and reaches any host. The other host receives nothing, and
// the error wraps ErrRedirect and names the endpoint.
func TestBackChannelRedirects(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      authtest.Config
		endpoint authtest.Endpoint
		// step is where it fails: "begin", "finish" or "refresh".
		step string
		at   func(idp *authtest.Provider) string
		want error
	}{
		{"token", authtest.Config{}, authtest.EndpointToken, "finish", (*authtest.Provider).TokenURL, oauth.ErrExchange},
		{"userinfo", authtest.Config{}, authtest.EndpointUserinfo, "finish", (*authtest.Provider).UserinfoURL, oauth.ErrUserinfo},
		{"refresh", authtest.Config{}, authtest.EndpointToken, "refresh", (*authtest.Provider).TokenURL, oauth.ErrExchange},
		{"discovery", authtest.Config{OIDC: true}, authtest.EndpointDiscovery, "begin", (*authtest.Provider).DiscoveryURL, oauth.ErrDiscovery},
		{"OpenID Connect token", authtest.Config{OIDC: true}, authtest.EndpointToken, "finish", (*authtest.Provider).TokenURL, oauth.ErrExchange},
		{"JWKS", authtest.Config{OIDC: true}, authtest.EndpointJWKS, "finish", (*authtest.Provider).JWKSURL, oauth.ErrIDToken},
		{"OpenID Connect userinfo", authtest.Config{OIDC: true}, authtest.EndpointUserinfo, "finish", (*authtest.Provider).UserinfoURL, oauth.ErrUserinfo},
		{"OAuth 1.0a request token", authtest.Config{OAuth1: true}, authtest.EndpointRequestToken, "begin", (*authtest.Provider).RequestTokenURL, oauth.ErrOAuth1},
		{"OAuth 1.0a access token", authtest.Config{OAuth1: true}, authtest.EndpointToken, "finish", (*authtest.Provider).TokenURL, oauth.ErrOAuth1},
		{"OAuth 1.0a userinfo", authtest.Config{OAuth1: true}, authtest.EndpointUserinfo, "finish", (*authtest.Provider).UserinfoURL, oauth.ErrUserinfo},
	} {
		for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
			t.Run(tc.name+"/"+http.StatusText(status), func(t *testing.T) {
				var seen atomic.Int64
				other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					seen.Add(1)
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"access_token":"x","token_type":"Bearer","sub":"mallory","id":"mallory"}`))
				}))
				t.Cleanup(other.Close)
				cfg := tc.cfg
				cfg.Claims, cfg.Userinfo = rpClaims, `{"sub":"u-1815","id":"u-1815"}`
				idp := authtest.NewProvider(t, cfg)
				p := rpFor(idp, cfg)
				p.FetchUserinfo = true
				// The application's own client: follows redirects anywhere.
				client := &http.Client{}
				var err error
				if tc.step == "refresh" {
					res := signInWith(t, idp, p, client)
					idp.SetRedirect(tc.endpoint, status, other.URL+"/x?code=leak")
					_, err = p.Refresh(t.Context(), client, res.Token.RefreshToken, time.Now())
				} else {
					if tc.step == "begin" {
						idp.SetRedirect(tc.endpoint, status, other.URL+"/x?code=leak")
					}
					authURL, ch, berr := p.Begin(t.Context(), client, rpRedirect, nil)
					err = berr
					if berr == nil {
						if tc.step != "finish" {
							t.Fatal("Begin succeeded")
						}
						cb, aerr := idp.Authorize(t.Context(), authURL)
						if aerr != nil {
							t.Fatal(aerr)
						}
						idp.SetRedirect(tc.endpoint, status, other.URL+"/x?code=leak")
						_, err = p.Finish(t.Context(), client, cb.Query(), rpRedirect, ch)
					}
				}
				if !errors.Is(err, oauth.ErrRedirect) || !errors.Is(err, tc.want) {
					t.Fatalf("error %v; want %v and ErrRedirect", err, tc.want)
				}
				if n := seen.Load(); n != 0 {
					t.Errorf("the other host received %d requests", n)
				}
				at := redacted(tc.at(idp))
				if !strings.Contains(err.Error(), at) || strings.Contains(err.Error(), "leak") {
					t.Errorf("error %q does not name the endpoint %s, or shows the target's query", err, at)
				}
			})
		}
	}
}

// redacted is a URL without its query, as errors name endpoints.
func redacted(raw string) string {
	u, _ := url.Parse(raw)
	u.RawQuery = ""
	return u.String()
}

func signInWith(t *testing.T, idp *authtest.Provider, p *oauth.Provider, client *http.Client) *oauth.Result {
	t.Helper()
	authURL, ch, err := p.Begin(t.Context(), client, rpRedirect, nil)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := idp.Authorize(t.Context(), authURL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Finish(t.Context(), client, cb.Query(), rpRedirect, ch)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestBackChannelTooLarge: a discovery document, a key set or a token
// response over 1 MB is refused, not read whole.
func TestBackChannelTooLarge(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	t.Run("discovery", func(t *testing.T) {
		idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: rpClaims})
		p := rpFor(idp, authtest.Config{OIDC: true})
		idp.SetDiscovery(func(d map[string]any) { d["x-padding"] = strings.Repeat(big, 2) })
		if _, _, err := p.Begin(t.Context(), &http.Client{}, rpRedirect, nil); !errors.Is(err, oauth.ErrDiscovery) || !errors.Is(err, oauth.ErrTooLarge) {
			t.Fatalf("Begin with a 4 MB document: %v, want ErrDiscovery and ErrTooLarge", err)
		}
		// Not cached: the issuer recovers, so does the sign-in.
		idp.SetDiscovery(nil)
		signInWith(t, idp, p, &http.Client{})
		if n := idp.DiscoveryFetches(); n != 2 {
			t.Errorf("DiscoveryFetches() = %d, want 2", n)
		}
	})
	t.Run("JWKS", func(t *testing.T) {
		keys := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"keys":[],"x":"` + big + `"}`))
		}))
		t.Cleanup(keys.Close)
		idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: rpClaims})
		idp.SetDiscovery(func(d map[string]any) { d["jwks_uri"] = keys.URL })
		p := rpFor(idp, authtest.Config{OIDC: true})
		authURL, ch, err := p.Begin(t.Context(), &http.Client{}, rpRedirect, nil)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := idp.Authorize(t.Context(), authURL)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Finish(t.Context(), &http.Client{}, cb.Query(), rpRedirect, ch)
		if !errors.Is(err, oauth.ErrIDToken) || !strings.Contains(err.Error(), "larger than 1 MB") || len(err.Error()) > 1000 {
			t.Fatalf("Finish with a 2 MB key set: %.300v; want ErrIDToken naming the limit, in a short message", err)
		}
	})
	t.Run("token response", func(t *testing.T) {
		cfg := authtest.Config{Token: `{"x":"` + big + `"}`}
		idp := authtest.NewProvider(t, cfg)
		p := rpFor(idp, cfg)
		authURL, ch, err := p.Begin(t.Context(), &http.Client{}, rpRedirect, nil)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := idp.Authorize(t.Context(), authURL)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Finish(t.Context(), &http.Client{}, cb.Query(), rpRedirect, ch); !errors.Is(err, oauth.ErrExchange) {
			t.Fatalf("Finish with a 2 MB token response: %v, want ErrExchange", err)
		}
	})
}

// TestIDTokenTypAndDates: the ID tokens real providers send pass — typ
// absent, JWT in any case or as a media type, numeric dates with a
// fraction, no at_hash — while an access token typed at+jwt does not.
func TestIDTokenTypAndDates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault authtest.IDTokenFault
		ok    bool
	}{
		{"typ JWT", authtest.IDTokenFault{}, true},
		{"no typ", authtest.IDTokenFault{Header: func(h map[string]any) { delete(h, "typ") }}, true},
		{"typ jwt", authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = "jwt" }}, true},
		{"typ application/jwt", authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = "application/JWT" }}, true},
		{"fractional exp", authtest.IDTokenFault{Claims: func(c map[string]any) { c["exp"] = float64(time.Now().Add(time.Hour).Unix()) + 0.5 }}, true},
		{"no at_hash", authtest.IDTokenFault{Claims: func(c map[string]any) { delete(c, "at_hash") }}, true},
		{"typ at+jwt", authtest.IDTokenFault{Header: func(h map[string]any) { h["typ"] = "at+jwt" }}, false},
		{"exp as a string", authtest.IDTokenFault{Claims: func(c map[string]any) { c["exp"] = "9999999999" }}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp := authtest.NewProvider(t, authtest.Config{OIDC: true, Claims: rpClaims})
			p := rpFor(idp, authtest.Config{OIDC: true})
			idp.SetIDTokenFault(&tc.fault)
			authURL, ch, err := p.Begin(t.Context(), idp.Client(), rpRedirect, nil)
			if err != nil {
				t.Fatal(err)
			}
			cb, err := idp.Authorize(t.Context(), authURL)
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Finish(t.Context(), idp.Client(), cb.Query(), rpRedirect, ch)
			if tc.ok && (err != nil || res.User.ID != "u-1815") {
				t.Fatalf("Finish = %v, %v; want the user", res, err)
			}
			if !tc.ok && (res != nil || !errors.Is(err, oauth.ErrIDToken)) {
				t.Fatalf("Finish = %v, %v; want ErrIDToken", res, err)
			}
		})
	}
}
