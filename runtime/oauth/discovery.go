package oauth

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// discovered is what an issuer's discovery document says, once checked;
// cached per provider.
type discovered struct {
	issuer string
	// auth, token and userinfo are the document's endpoints ("" when it
	// has none: the provider's own are used, see endpoints).
	auth, token, userinfo string
	jwksURI               string
	endSession            string
	// issParam: the provider sends RFC 9207's iss on the callback.
	issParam bool
	algs     []string
}

// Discovery caches an issuer's discovery document for a Provider (its
// Discovery field); the zero value is empty. Only a document that passed
// every check is kept: a failed fetch or a refused document is not, so the
// next sign-in asks the issuer again and a provider recovers without a
// restart. server.New gives every OpenID Connect provider one; without it
// each sign-in rediscovers.
type Discovery struct {
	mu   sync.Mutex
	disc *discovered
}

// discoveryDoc is the part of the provider metadata (OpenID Connect
// Discovery 1.0 §3) authgen reads.
type discoveryDoc struct {
	Issuer        string   `json:"issuer"`
	Auth          string   `json:"authorization_endpoint"`
	Token         string   `json:"token_endpoint"`
	Userinfo      string   `json:"userinfo_endpoint"`
	JWKSURI       string   `json:"jwks_uri"`
	EndSession    string   `json:"end_session_endpoint"`
	ResponseTypes []string `json:"response_types_supported"`
	Algs          []string `json:"id_token_signing_alg_values_supported"`
	IssParam      bool     `json:"authorization_response_iss_parameter_supported"`
}

// discover fetches (once per Discovery) the issuer's discovery document and
// checks it (see parseDiscovery). It is read through the guarded client,
// so it is bounded like every answer from a provider and never redirected.
func (p *Provider) discover(ctx context.Context, client *http.Client) (*discovered, error) {
	cache := p.Discovery
	if cache == nil {
		cache = &Discovery{}
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if cache.disc != nil {
		return cache.disc, nil
	}
	if p.Issuer == "" {
		return nil, fmt.Errorf("%w: provider %s has no issuer", ErrDiscovery, p.ID)
	}
	docURL := p.discoveryURL()
	body, err := Get(ctx, client, http.MethodGet, docURL, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDiscovery, err)
	}
	d, err := p.parseDiscovery(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDiscovery, redactURL(docURL), err)
	}
	cache.disc = d
	return d, nil
}

// discoveryURL is where the provider's discovery document is: DiscoveryURL
// with {issuer} filled, or <issuer>/.well-known/openid-configuration (a
// multi-tenant issuer's with "common" for its tenant).
func (p *Provider) discoveryURL() string {
	if p.DiscoveryURL != "" {
		return strings.ReplaceAll(p.DiscoveryURL, "{issuer}", strings.TrimSuffix(p.Issuer, "/"))
	}
	return strings.TrimSuffix(strings.ReplaceAll(p.Issuer, tenantPlaceholder, "common"), "/") + "/.well-known/openid-configuration"
}

// parseDiscovery reads and checks a discovery document. It refuses one
//
//   - that is not a JSON object, or whose members have the wrong types;
//   - whose issuer is not exactly the provider's Issuer;
//   - without an authorization_endpoint or token_endpoint, unless the
//     provider has its own (AuthorizationURL, TokenURL), or without a
//     jwks_uri, unless ID tokens are verified with the client secret;
//   - whose response_types_supported lacks "code", the only flow authgen
//     runs;
//   - with an endpoint that is not an absolute http(s) URL without
//     credentials or fragment, or that is http while the issuer is https.
//
// A refused document would otherwise send browsers to a relative
// authorization URL on the application ("/api/auth/signin/?client_id=…")
// or the code and secret to an endpoint in clear text.
func (p *Provider) parseDiscovery(body []byte) (*discovered, error) {
	if b := bytes.TrimLeft(body, " \t\r\n"); len(b) == 0 || b[0] != '{' {
		return nil, fmt.Errorf("the discovery document is not a JSON object")
	}
	var doc discoveryDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("the discovery document is not valid: %w", err)
	}
	if doc.Issuer != p.Issuer {
		return nil, fmt.Errorf("%w: the discovery document's issuer is %q, not %q", ErrIssuer, sanitize(doc.Issuer), p.Issuer)
	}
	httpsOnly := strings.HasPrefix(strings.ToLower(p.Issuer), "https://")
	var problems []string
	for _, e := range []struct {
		name, value string
		required    bool
	}{
		{"authorization_endpoint", doc.Auth, p.AuthorizationURL == ""},
		{"token_endpoint", doc.Token, p.TokenURL == ""},
		{"jwks_uri", doc.JWKSURI, !p.IDTokenSecretKey},
		{"userinfo_endpoint", doc.Userinfo, false},
		{"end_session_endpoint", doc.EndSession, false},
	} {
		switch {
		case e.value == "" && e.required:
			problems = append(problems, "no "+e.name)
		case e.value != "":
			if err := checkEndpoint(e.value, httpsOnly); err != nil {
				problems = append(problems, e.name+" "+err.Error())
			}
		}
	}
	if !slices.ContainsFunc(doc.ResponseTypes, func(t string) bool { return strings.TrimSpace(t) == "code" }) {
		problems = append(problems, `response_types_supported lacks "code"`)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the discovery document is refused: %s", strings.Join(problems, "; "))
	}
	d := &discovered{
		issuer: doc.Issuer, auth: doc.Auth, token: doc.Token, userinfo: doc.Userinfo,
		jwksURI: doc.JWKSURI, endSession: doc.EndSession, issParam: doc.IssParam,
	}
	allowed := p.IDTokenAlgs
	if len(allowed) == 0 {
		allowed = defaultIDTokenAlgs
	}
	for _, a := range doc.Algs {
		if slices.Contains(allowed, a) && !slices.Contains(d.algs, a) {
			d.algs = append(d.algs, a)
		}
	}
	if len(d.algs) == 0 {
		d.algs = allowed
	}
	return d, nil
}

// checkEndpoint checks an endpoint URL from a discovery document.
func checkEndpoint(raw string, httpsOnly bool) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("is not a URL")
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("%q is not an absolute http(s) URL", sanitize(redactURL(raw)))
	case u.Scheme == "http" && httpsOnly:
		return fmt.Errorf("%q is not an https URL (the issuer is https)", sanitize(redactURL(raw)))
	case u.User != nil:
		return fmt.Errorf("has credentials")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("%q has a fragment", sanitize(redactURL(raw)))
	}
	return nil
}

// endpoints are the URLs a sign-in uses: the provider's own, else the
// discovered ones.
type endpoints struct{ auth, token, userinfo string }

func (p *Provider) endpoints(d *discovered) endpoints {
	e := endpoints{p.AuthorizationURL, p.TokenURL, p.UserinfoURL}
	if d != nil {
		e.auth = cmp.Or(e.auth, d.auth)
		e.token = cmp.Or(e.token, d.token)
		e.userinfo = cmp.Or(e.userinfo, d.userinfo)
	}
	return e
}
