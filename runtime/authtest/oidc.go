package authtest

import (
	"cmp"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// IDTokenFault makes ID tokens bad, for tests that a relying party rejects
// them. Set it with Provider.SetIDTokenFault; the zero value changes
// nothing. The fields combine.
//
//	unsigned (alg none)         IDTokenFault{Alg: "none"}
//	wrong signature             IDTokenFault{BadSignature: true}
//	wrong key (kid unknown)     IDTokenFault{UnknownKey: true}
//	kid absent, several keys    IDTokenFault{NoKid: true}  (the JWKS always has two keys)
//	alg mismatch                IDTokenFault{Alg: "HS256"} or {Alg: "RS384"}
//	wrong iss / aud             IDTokenFault{Claims: func(c map[string]any) { c["aud"] = "other" }}
//	expired, iat in the future  IDTokenFault{Claims: …c["exp"] = time.Now().Add(-time.Hour).Unix()…}
//	exp as a string             IDTokenFault{Claims: …c["exp"] = strconv.FormatInt(…Unix(), 10)…}
//	nonce missing or replayed   IDTokenFault{Claims: …delete(c, "nonce")…}
//	at_hash of another token    IDTokenFault{Claims: …c["at_hash"] = "…"…}
//	an access token (RFC 9068)  IDTokenFault{Header: func(h map[string]any) { h["typ"] = "at+jwt" }}
type IDTokenFault struct {
	// Alg replaces the signature algorithm: "none" (no signature), "HS256"
	// (keyed with the PEM of the signing key's public half, the
	// algorithm-confusion attack; with IDTokenHS256, the client secret),
	// "RS256", "RS384" or "RS512" (the RSA signing key).
	Alg string
	// UnknownKey signs with an RSA key the JWKS never lists, under its own
	// kid: refetching the key set does not help.
	UnknownKey bool
	// NoKid leaves the kid out of the header.
	NoKid bool
	// BadSignature corrupts the signature.
	BadSignature bool
	// Claims edits the claims before signing; delete a key to leave the
	// claim out.
	Claims func(claims map[string]any)
	// Header edits the JOSE header before signing.
	Header func(header map[string]any)
}

// SetIDTokenFault applies f to every ID token issued from now on; nil
// restores good tokens. It panics unless f.Alg is one of those documented.
func (p *Provider) SetIDTokenFault(f *IDTokenFault) {
	if f != nil {
		switch f.Alg {
		case "", "none", "HS256", "RS256", "RS384", "RS512":
		default:
			panic(fmt.Sprintf("authtest: IDTokenFault.Alg %q is not none, HS256, RS256, RS384 or RS512", f.Alg))
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault = f
}

// IDToken mints an ID token as the token endpoint would (with the fault
// set, if any), with extra claims merged over the configured ones. The
// token is accepted as id_token_hint at the logout endpoint.
func (p *Provider) IDToken(extra map[string]any) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mintIDToken("", "", extra)
}

// RotateKeys makes a new key sign ID tokens. The previous keys stay in the
// JWKS, as during a real rotation.
func (p *Provider) RotateKeys() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keyCurrent++
	poolKey(p.keyCurrent + 1)
}

// keyPool holds RSA keys shared by every Provider of the process
// (generating them is slow). Key 0 is never published: it is the unknown
// key of IDTokenFault.UnknownKey.
var keyPool struct {
	mu   sync.Mutex
	keys []*rsa.PrivateKey
}

func poolKey(i int) *rsa.PrivateKey {
	keyPool.mu.Lock()
	defer keyPool.mu.Unlock()
	for len(keyPool.keys) <= i {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keyPool.keys = append(keyPool.keys, k)
	}
	return keyPool.keys[i]
}

// kid names a key by its modulus.
func kid(k *rsa.PrivateKey) string {
	sum := sha256.Sum256(k.N.Bytes())
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// publishedKeys returns the JWKS keys. Callers hold p.mu.
func (p *Provider) publishedKeys() []*rsa.PrivateKey {
	var out []*rsa.PrivateKey
	for i := p.keyFirst; i <= p.keyCurrent+1; i++ {
		out = append(out, poolKey(i))
	}
	return out
}

// discoveryPaths are where the discovery document is served.
func (p *Provider) isDiscovery(path string) bool {
	iss := strings.TrimSuffix(routePath(p.paths.Issuer), "/")
	const wk = "/.well-known/openid-configuration"
	// Some providers serve the document below the issuer (Frontegg:
	// <issuer>/oauth/.well-known/openid-configuration).
	return strings.HasSuffix(path, wk) && (strings.HasPrefix(path, iss) || strings.HasPrefix(path, strings.ReplaceAll(iss, "{tenantid}", "common")))
}

// SetDiscovery makes edit change the discovery document before each time
// it is served, for tests of clients that must refuse a bad one: delete a
// member to leave it out (a document without token_endpoint), set one to
// a wrong value, add a large one (a document of several megabytes). nil
// restores the document.
//
//	p.SetDiscovery(func(doc map[string]any) { delete(doc, "jwks_uri") })
//	p.SetDiscovery(func(doc map[string]any) { doc["x-padding"] = strings.Repeat("x", 5<<20) })
func (p *Provider) SetDiscovery(edit func(doc map[string]any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.discoveryEdit = edit
}

// serveDiscovery serves OpenID Connect Discovery 1.0's document.
func (p *Provider) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	p.mu.Lock()
	p.n.discovery++
	edit := p.discoveryEdit
	p.mu.Unlock()
	algs := []string{"RS256"}
	if p.cfg.IDTokenHS256 {
		algs = []string{"HS256"}
	}
	auth := []string{AuthBasic, AuthPost}
	switch p.cfg.AuthMethod {
	case AuthBasic, AuthPost, AuthPrivateKeyJWT, AuthNone:
		auth = []string{p.cfg.AuthMethod}
	case AuthApple:
		auth = []string{AuthPost}
	}
	doc := map[string]any{
		"issuer":                                p.Issuer,
		"authorization_endpoint":                p.AuthorizationURL(),
		"token_endpoint":                        p.TokenURL(),
		"userinfo_endpoint":                     p.UserinfoURL(),
		"jwks_uri":                              p.URL + p.paths.JWKS,
		"end_session_endpoint":                  p.URL + p.paths.EndSession,
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query", "form_post"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": algs,
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"token_endpoint_auth_methods_supported": auth,
		"code_challenge_methods_supported":      []string{"S256"},
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "nonce", "name", "email", "picture"},
	}
	if p.cfg.IssParam {
		doc["authorization_response_iss_parameter_supported"] = true
	}
	if edit != nil {
		edit(doc)
	}
	writeJSON(w, http.StatusOK, doc)
}

// serveJWKS serves the public keys.
func (p *Provider) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	p.mu.Lock()
	p.n.jwks++
	keys := p.publishedKeys()
	p.mu.Unlock()
	set := jose.JSONWebKeySet{}
	if !p.cfg.IDTokenHS256 {
		for _, k := range keys {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid(k), Algorithm: "RS256", Use: "sig"})
		}
	}
	writeJSON(w, http.StatusOK, set)
}

// issuerFor is the iss of an ID token with these claims: the issuer, with a
// multi-tenant placeholder replaced by the tid claim.
func (p *Provider) issuerFor(claims map[string]any) string {
	if !strings.Contains(p.Issuer, "{tenantid}") {
		return p.Issuer
	}
	tid, _ := claims["tid"].(string)
	if tid == "" {
		tid = "9188040d-6c67-4c5b-b112-36a304b66dad"
	}
	return strings.ReplaceAll(p.Issuer, "{tenantid}", tid)
}

// mintIDToken makes an ID token. Callers hold p.mu.
func (p *Provider) mintIDToken(nonce, accessToken string, extra map[string]any) (string, error) {
	now := time.Now()
	claims := map[string]any{
		"aud":       p.ClientID,
		"exp":       now.Add(tokenLifetime).Unix(),
		"iat":       now.Unix(),
		"auth_time": now.Unix(),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["at_hash"] = base64.RawURLEncoding.EncodeToString(sum[:16])
	}
	var configured map[string]any
	if err := json.Unmarshal([]byte(cmp.Or(p.claims, "{}")), &configured); err != nil {
		return "", fmt.Errorf("authtest: claims: %w", err)
	}
	for k, v := range configured {
		claims[k] = v
	}
	for k, v := range extra {
		claims[k] = v
	}
	if _, ok := claims["iss"]; !ok {
		claims["iss"] = p.issuerFor(claims)
	}
	alg := "RS256"
	if p.cfg.IDTokenHS256 {
		alg = "HS256"
	}
	key := poolKey(p.keyCurrent)
	header := map[string]any{"alg": alg, "typ": "JWT", "kid": kid(key)}
	if p.cfg.IDTokenHS256 {
		delete(header, "kid")
	}
	f := p.fault
	if f == nil {
		f = &IDTokenFault{}
	}
	if f.UnknownKey {
		key = poolKey(0)
		header["kid"] = kid(key)
	}
	if f.Alg != "" {
		alg = f.Alg
		header["alg"] = alg
	}
	if f.NoKid {
		delete(header, "kid")
	}
	if f.Claims != nil {
		f.Claims(claims)
	}
	if f.Header != nil {
		f.Header(header)
	}
	hb, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	cb, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb)
	var sig []byte
	switch alg {
	case "none":
	case "HS256":
		secret := []byte(p.ClientSecret)
		if !p.cfg.IDTokenHS256 {
			der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
			if err != nil {
				return "", err
			}
			secret = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		}
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case "RS256", "RS384", "RS512":
		h := map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512}[alg]
		d := h.New()
		d.Write([]byte(input))
		if sig, err = rsa.SignPKCS1v15(rand.Reader, key, h, d.Sum(nil)); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("authtest: cannot sign with %s", alg)
	}
	if f.BadSignature {
		if len(sig) == 0 {
			sig = []byte("forged")
		} else {
			sig[len(sig)/2] ^= 0x01
		}
	}
	tok := input + "." + base64.RawURLEncoding.EncodeToString(sig)
	p.idTokens[tok] = true
	return tok, nil
}

// serveEndSession is RP-initiated logout (OpenID Connect RP-Initiated
// Logout 1.0): a known id_token_hint, the client's id, then back to
// post_logout_redirect_uri with the state.
func (p *Provider) serveEndSession(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "authtest: malformed request", http.StatusBadRequest)
		return
	}
	q := r.Form
	p.mu.Lock()
	known := p.idTokens[q.Get("id_token_hint")]
	p.mu.Unlock()
	switch {
	case q.Get("id_token_hint") != "" && !known:
		http.Error(w, "authtest: id_token_hint was not issued here", http.StatusBadRequest)
		return
	case q.Get("client_id") != "" && q.Get("client_id") != p.ClientID:
		http.Error(w, "authtest: unknown client_id", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.logouts = append(p.logouts, cloneValues(q))
	p.mu.Unlock()
	target := q.Get("post_logout_redirect_uri")
	if target == "" {
		_, _ = w.Write([]byte("You are signed out."))
		return
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		http.Error(w, "authtest: bad post_logout_redirect_uri", http.StatusBadRequest)
		return
	}
	if s := q.Get("state"); s != "" {
		v := u.Query()
		v.Set("state", s)
		u.RawQuery = v.Encode()
	}
	http.Redirect(w, r, u.String(), http.StatusFound)
}
