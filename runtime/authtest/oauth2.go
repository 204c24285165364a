package authtest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// oauthError is an error response of the token endpoint (RFC 6749 §5.2).
type oauthError struct {
	status      int
	code, desc  string
	basicFailed bool
}

func (e *oauthError) Error() string { return e.code + ": " + e.desc }

func fail(status int, code, format string, args ...any) *oauthError {
	return &oauthError{status: status, code: code, desc: fmt.Sprintf(format, args...)}
}

func writeOAuthError(w http.ResponseWriter, e *oauthError) {
	if e.basicFailed {
		w.Header().Set("WWW-Authenticate", `Basic realm="authtest"`)
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.desc})
}

// serveAuthorize is the authorization endpoint (RFC 6749 §4.1.1): the user
// consents at once and is sent back with a code.
func (p *Provider) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// Errors about the client or the redirect URI are shown to the user,
	// never redirected (RFC 6749 §4.1.2.1).
	if q.Get("client_id") != p.ClientID {
		http.Error(w, "authtest: unknown client_id "+q.Get("client_id"), http.StatusBadRequest)
		return
	}
	redirectURI := q.Get("redirect_uri")
	back, err := url.Parse(redirectURI)
	if err != nil || (back.Scheme != "http" && back.Scheme != "https") || back.Host == "" || back.Fragment != "" {
		http.Error(w, "authtest: redirect_uri must be an absolute http(s) URI without fragment", http.StatusBadRequest)
		return
	}
	if p.cfg.RedirectURI != "" && redirectURI != p.cfg.RedirectURI {
		http.Error(w, "authtest: redirect_uri is not the registered one", http.StatusBadRequest)
		return
	}
	mode := q.Get("response_mode")
	if mode != "" && mode != "query" && mode != "form_post" {
		http.Error(w, "authtest: unsupported response_mode "+mode, http.StatusBadRequest)
		return
	}
	params := url.Values{}
	if s := q.Get("state"); s != "" {
		params.Set("state", s)
	}
	if p.cfg.IssParam {
		params.Set("iss", p.Issuer)
	}
	p.mu.Lock()
	p.lastAuth = cloneValues(q)
	denied := p.authorizeError
	p.mu.Unlock()
	reject := func(code, desc string) {
		params.Set("error", code)
		params.Set("error_description", desc)
		p.respondAuthorization(w, r, back, mode, params)
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	scopes := strings.Fields(q.Get("scope"))
	switch {
	case q.Get("response_type") != "code":
		reject("unsupported_response_type", "only the authorization code flow is supported")
		return
	case challenge != "" && method != "S256":
		reject("invalid_request", "code_challenge_method must be S256")
		return
	case challenge == "" && method != "":
		reject("invalid_request", "code_challenge_method without code_challenge")
		return
	case challenge == "" && p.cfg.AuthMethod == AuthNone:
		reject("invalid_request", "public clients must use PKCE")
		return
	case p.cfg.OIDC && !slices.Contains(scopes, "openid"):
		reject("invalid_scope", "an OpenID Connect request needs the openid scope")
		return
	case denied != "":
		reject(denied, "the user refused")
		return
	}
	code := "code-" + random(24)
	p.mu.Lock()
	p.codes[code] = &grant{
		clientID: p.ClientID, redirectURI: redirectURI, challenge: challenge, method: method,
		nonce: q.Get("nonce"), scope: q.Get("scope"), expires: time.Now().Add(codeLifetime),
	}
	p.n.authorizations++
	p.mu.Unlock()
	params.Set("code", code)
	for k, v := range p.cfg.CallbackParams {
		params.Set(k, v)
	}
	p.respondAuthorization(w, r, back, mode, params)
}

// formPost is the page of response_mode=form_post (OAuth 2.0 Form Post
// Response Mode): a form that submits itself to the redirect URI.
var formPost = template.Must(template.New("form_post").Parse(`<!DOCTYPE html>
<html><head><title>Submit This Form</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{{.Action}}">
{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{index $v 0}}"/>
{{end}}<noscript><button type="submit">Continue</button></noscript>
</form></body></html>
`))

// respondAuthorization sends the authorization response to the client:
// a redirect with the parameters in the query, or a self-submitting form.
func (p *Provider) respondAuthorization(w http.ResponseWriter, r *http.Request, back *url.URL, mode string, params url.Values) {
	if mode == "form_post" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = formPost.Execute(w, map[string]any{"Action": back.String(), "Params": params})
		return
	}
	u := *back
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// serveToken is the token endpoint (RFC 6749 §3.2): the authorization
// code and refresh token grants.
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	resp, e := p.token(r)
	if e != nil {
		writeOAuthError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (p *Provider) token(r *http.Request) (map[string]any, *oauthError) {
	if p.cfg.TokenRequest != nil {
		return p.translatedToken(r)
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil, fail(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
	}
	// A token URL may carry its own query (Deezer's ?output=json), but
	// the grant's parameters belong in the body.
	for _, k := range []string{"grant_type", "code", "client_id", "client_secret", "redirect_uri", "code_verifier", "refresh_token", "client_assertion"} {
		if r.URL.Query().Has(k) {
			return nil, fail(http.StatusBadRequest, "invalid_request", "%s belongs in the body, not the query", k)
		}
	}
	if err := r.ParseForm(); err != nil {
		return nil, fail(http.StatusBadRequest, "invalid_request", "malformed body")
	}
	f := r.PostForm
	for k, vs := range f {
		if len(vs) > 1 {
			return nil, fail(http.StatusBadRequest, "invalid_request", "parameter %s repeated", k)
		}
	}
	clientID, e := p.authenticateClient(r)
	if e != nil {
		return nil, e
	}
	return p.grant(f, clientID)
}

// translatedToken serves a token request read by Config.TokenRequest.
func (p *Provider) translatedToken(r *http.Request) (map[string]any, *oauthError) {
	f := p.cfg.TokenRequest(r)
	if f.Get("client_id") != p.ClientID || subtle.ConstantTimeCompare([]byte(f.Get("client_secret")), []byte(p.ClientSecret)) != 1 {
		return nil, fail(http.StatusUnauthorized, "invalid_client", "wrong client credentials")
	}
	return p.grant(f, p.ClientID)
}

// grant serves an authenticated client's grant.
func (p *Provider) grant(f url.Values, clientID string) (map[string]any, *oauthError) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tokenError != "" {
		return nil, fail(http.StatusBadRequest, p.tokenError, "refused by SetTokenError")
	}
	switch f.Get("grant_type") {
	case "authorization_code":
		return p.exchange(f, clientID)
	case "refresh_token":
		return p.refreshGrant(f, clientID)
	case "":
		return nil, fail(http.StatusBadRequest, "invalid_request", "grant_type missing")
	}
	return nil, fail(http.StatusBadRequest, "unsupported_grant_type", "grant_type %q", f.Get("grant_type"))
}

// exchange is the authorization code grant (RFC 6749 §4.1.3) with PKCE
// (RFC 7636 §4.6). Callers hold p.mu.
func (p *Provider) exchange(f url.Values, clientID string) (map[string]any, *oauthError) {
	code := f.Get("code")
	g, ok := p.codes[code]
	if !ok {
		if used, replayed := p.usedCodes[code]; replayed {
			// RFC 6749 §4.1.2: a code used twice revokes what it gave.
			for _, tok := range used.tokens {
				if t := p.access[tok]; t != nil {
					t.revoked = true
				}
				if t := p.refresh[tok]; t != nil {
					t.revoked = true
				}
			}
			return nil, fail(http.StatusBadRequest, "invalid_grant", "the code was already used")
		}
		return nil, fail(http.StatusBadRequest, "invalid_grant", "unknown code")
	}
	delete(p.codes, code)
	p.usedCodes[code] = g
	verifier := f.Get("code_verifier")
	switch {
	case time.Now().After(g.expires):
		return nil, fail(http.StatusBadRequest, "invalid_grant", "the code expired")
	case g.clientID != clientID:
		return nil, fail(http.StatusBadRequest, "invalid_grant", "the code was issued to another client")
	case f.Get("redirect_uri") != g.redirectURI && (p.cfg.TokenRequest == nil || f.Has("redirect_uri")):
		return nil, fail(http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request's")
	case g.challenge == "" && verifier != "":
		return nil, fail(http.StatusBadRequest, "invalid_grant", "code_verifier without a code_challenge")
	case g.challenge != "" && verifier == "":
		return nil, fail(http.StatusBadRequest, "invalid_grant", "code_verifier missing")
	case g.challenge != "" && !pkceMatches(verifier, g.challenge):
		return nil, fail(http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
	}
	resp, tokens, err := p.issueTokens(clientID, g.scope, g.nonce, true)
	if err != nil {
		return nil, fail(http.StatusInternalServerError, "server_error", "%v", err)
	}
	g.tokens = tokens
	if g.userinfo != "" {
		if a, ok := resp["access_token"].(string); ok && p.access[a] != nil {
			p.access[a].userinfo = g.userinfo
		}
	}
	p.n.exchanges++
	return resp, nil
}

// pkceMatches checks an S256 verifier (RFC 7636 §4.1: 43 to 128 unreserved
// characters) against its challenge.
func pkceMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, c := range []byte(verifier) {
		if !isUnreserved(c) {
			return false
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// refreshGrant renews tokens (RFC 6749 §6), rotating the refresh token:
// the old one stops working. Callers hold p.mu.
func (p *Provider) refreshGrant(f url.Values, clientID string) (map[string]any, *oauthError) {
	old := f.Get("refresh_token")
	t, ok := p.refresh[old]
	switch {
	case !ok || t.revoked:
		return nil, fail(http.StatusBadRequest, "invalid_grant", "unknown or revoked refresh token")
	case t.clientID != clientID:
		return nil, fail(http.StatusBadRequest, "invalid_grant", "the refresh token was issued to another client")
	}
	scope := t.scope
	if s := f.Get("scope"); s != "" {
		for _, sc := range strings.Fields(s) {
			if !slices.Contains(strings.Fields(t.scope), sc) {
				return nil, fail(http.StatusBadRequest, "invalid_scope", "scope %q was not granted", sc)
			}
		}
		scope = s
	}
	t.revoked = true
	resp, _, err := p.issueTokens(clientID, scope, "", false)
	if err != nil {
		return nil, fail(http.StatusInternalServerError, "server_error", "%v", err)
	}
	p.n.refreshes++
	return resp, nil
}

// issueTokens makes a token response. Callers hold p.mu.
func (p *Provider) issueTokens(clientID, scope, nonce string, withExtras bool) (map[string]any, []string, error) {
	resp := map[string]any{
		"access_token":  "at-" + random(24),
		"token_type":    "Bearer",
		"expires_in":    int(tokenLifetime / time.Second),
		"refresh_token": "rt-" + random(24),
	}
	if scope != "" {
		resp["scope"] = scope
	}
	if withExtras && p.cfg.Token != "" {
		var extra map[string]any
		if err := json.Unmarshal([]byte(p.cfg.Token), &extra); err != nil {
			return nil, nil, err
		}
		for k, v := range extra {
			resp[k] = v
		}
	}
	_, hasIDToken := resp["id_token"]
	if p.cfg.OIDC && !hasIDToken && slices.Contains(strings.Fields(scope), "openid") {
		at, _ := resp["access_token"].(string)
		idToken, err := p.mintIDToken(nonce, at, nil)
		if err != nil {
			return nil, nil, err
		}
		resp["id_token"] = idToken
	}
	// The extras may replace the tokens: register what is sent.
	now := time.Now()
	var tokens []string
	if a, ok := resp["access_token"].(string); ok && a != "" {
		p.access[a] = &issued{clientID: clientID, scope: scope, expires: now.Add(tokenLifetime)}
		tokens = append(tokens, a)
	}
	if rt, ok := resp["refresh_token"].(string); ok && rt != "" {
		p.refresh[rt] = &issued{clientID: clientID, scope: scope}
		tokens = append(tokens, rt)
	}
	return resp, tokens, nil
}

// authenticateClient applies Config.AuthMethod (RFC 6749 §2.3, OpenID
// Connect Core §9) and returns the client's id.
func (p *Provider) authenticateClient(r *http.Request) (string, *oauthError) {
	f := r.PostForm
	basicID, basicSecret, hasBasic := r.BasicAuth()
	if hasBasic {
		// RFC 6749 §2.3.1: both are form-encoded before Basic encoding.
		id, err1 := url.QueryUnescape(basicID)
		secret, err2 := url.QueryUnescape(basicSecret)
		if err1 != nil || err2 != nil {
			return "", &oauthError{status: http.StatusUnauthorized, code: "invalid_client", desc: "malformed Basic credentials", basicFailed: true}
		}
		basicID, basicSecret = id, secret
	}
	hasPost := f.Has("client_secret")
	hasAssertion := f.Has("client_assertion") || f.Has("client_assertion_type")
	used := 0
	for _, b := range []bool{hasBasic, hasPost, hasAssertion} {
		if b {
			used++
		}
	}
	if used > 1 {
		return "", fail(http.StatusBadRequest, "invalid_request", "more than one client authentication method")
	}
	badClient := func(desc string) (string, *oauthError) {
		return "", &oauthError{status: http.StatusUnauthorized, code: "invalid_client", desc: desc, basicFailed: hasBasic}
	}
	if hasBasic && f.Has("client_id") && f.Get("client_id") != basicID {
		return badClient("client_id differs from the Basic credentials")
	}
	secretOK := func(got string) bool {
		return subtle.ConstantTimeCompare([]byte(got), []byte(p.ClientSecret)) == 1
	}
	method := p.cfg.AuthMethod
	switch {
	case method == AuthBasic || (method == AuthAny && hasBasic):
		if !hasBasic {
			return badClient("client_secret_basic is required")
		}
		if basicID != p.ClientID || !secretOK(basicSecret) {
			return badClient("wrong client credentials")
		}
	case method == AuthPost || method == AuthAny:
		if !hasPost {
			return badClient(method + ": client_id and client_secret are required in the body")
		}
		if f.Get("client_id") != p.ClientID || !secretOK(f.Get("client_secret")) {
			return badClient("wrong client credentials")
		}
	case method == AuthApple:
		id, secret := f.Get("client_id"), f.Get("client_secret")
		if hasBasic {
			id, secret = basicID, basicSecret
		}
		if !hasBasic && !hasPost {
			return badClient("Apple's client secret JWT is required")
		}
		if id != p.ClientID {
			return badClient("unknown client_id")
		}
		if err := p.checkAppleSecret(secret); err != nil {
			return badClient("client secret: " + err.Error())
		}
	case method == AuthPrivateKeyJWT:
		if !hasAssertion {
			return badClient("private_key_jwt: client_assertion is required")
		}
		if f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			return badClient("client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		}
		if f.Has("client_id") && f.Get("client_id") != p.ClientID {
			return badClient("unknown client_id")
		}
		if err := p.checkClientAssertion(r, f.Get("client_assertion")); err != nil {
			return badClient("client assertion: " + err.Error())
		}
	case method == AuthNone:
		if used > 0 {
			return badClient("a public client has no credentials")
		}
		if f.Get("client_id") != p.ClientID {
			return badClient("unknown client_id")
		}
	}
	return p.ClientID, nil
}

// clientJWT is what a client's JWT (Apple secret, assertion) claims.
type clientJWT struct {
	Iss string          `json:"iss"`
	Sub string          `json:"sub"`
	Aud json.RawMessage `json:"aud"`
	Exp int64           `json:"exp"`
	Iat int64           `json:"iat"`
	Jti string          `json:"jti"`
}

func (c *clientJWT) audience() []string {
	var one string
	if json.Unmarshal(c.Aud, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(c.Aud, &many)
	return many
}

// verifyClientJWT checks a JWT signed with the client's key and returns its
// claims and key id.
func (p *Provider) verifyClientJWT(raw string, algs []jose.SignatureAlgorithm) (*clientJWT, string, error) {
	jws, err := jose.ParseSignedCompact(raw, algs)
	if err != nil {
		return nil, "", fmt.Errorf("not a JWS with alg %v: %w", algs, err)
	}
	payload, err := jws.Verify(p.clientPub)
	if err != nil {
		return nil, "", fmt.Errorf("signature: %w", err)
	}
	var c clientJWT
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, "", fmt.Errorf("claims: %w", err)
	}
	now := time.Now().Unix()
	switch {
	case c.Exp == 0 || c.Exp <= now-30:
		return nil, "", fmt.Errorf("expired or without exp")
	case c.Iat > now+30:
		return nil, "", fmt.Errorf("issued in the future")
	}
	return &c, jws.Signatures[0].Header.KeyID, nil
}

// checkAppleSecret checks Sign in with Apple's client secret.
func (p *Provider) checkAppleSecret(raw string) error {
	c, kid, err := p.verifyClientJWT(raw, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return err
	}
	switch {
	case kid != p.KeyID:
		return fmt.Errorf("kid %q is not the key id %q", kid, p.KeyID)
	case c.Iss != p.TeamID:
		return fmt.Errorf("iss %q is not the team id", c.Iss)
	case c.Sub != p.ClientID:
		return fmt.Errorf("sub %q is not the client id", c.Sub)
	case !slices.Contains(c.audience(), "https://appleid.apple.com"):
		return fmt.Errorf("aud must be https://appleid.apple.com")
	case c.Exp-c.Iat > 15777000:
		return fmt.Errorf("valid for more than six months")
	}
	return nil
}

// checkClientAssertion checks a private_key_jwt assertion (RFC 7523 §3):
// issued by and about the client, for the token endpoint, not replayed.
func (p *Provider) checkClientAssertion(r *http.Request, raw string) error {
	c, _, err := p.verifyClientJWT(raw, []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.PS256})
	if err != nil {
		return err
	}
	tokenURL := p.URL + routePath(r.URL.Path)
	aud := c.audience()
	switch {
	case c.Iss != p.ClientID || c.Sub != p.ClientID:
		return fmt.Errorf("iss and sub must be the client id")
	case !slices.Contains(aud, tokenURL) && !slices.Contains(aud, p.TokenURL()) && !slices.Contains(aud, p.Issuer):
		return fmt.Errorf("aud %v is not the token endpoint", aud)
	case c.Jti == "":
		return fmt.Errorf("jti missing")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.jtis[c.Jti] {
		return fmt.Errorf("jti replayed")
	}
	p.jtis[c.Jti] = true
	return nil
}

// tokenParams are the query (and form) parameters that may carry the
// access token: RFC 6750's, and Foursquare's.
var tokenParams = []string{"access_token", "oauth_token"}

// bearer returns the access token of a request, or why it has no valid
// one. See Config.Responses for where the token may be; inPath is the
// token in the request's path, if its endpoint has {access_token}.
func (p *Provider) bearer(r *http.Request, inPath string) (string, string) {
	var presented []string
	if inPath != "" {
		presented = append(presented, inPath)
	}
	if h := r.Header.Get("Authorization"); h != "" {
		_, tok, ok := strings.Cut(h, " ")
		if !ok || strings.TrimSpace(tok) == "" {
			return "", "malformed Authorization header"
		}
		presented = append(presented, strings.TrimSpace(tok))
	}
	q := r.URL.Query()
	for _, name := range tokenParams {
		if q.Has(name) {
			presented = append(presented, q.Get(name))
		}
	}
	if r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
			if err := r.ParseForm(); err == nil {
				for _, name := range tokenParams {
					if r.PostForm.Has(name) {
						presented = append(presented, r.PostForm.Get(name))
					}
				}
			}
		}
	}
	if len(presented) == 0 {
		return "", "no access token"
	}
	tok := presented[0]
	for _, other := range presented[1:] {
		if other != tok {
			return "", "different access tokens in one request"
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.access[tok]
	switch {
	case !ok:
		return "", "unknown access token"
	case t.revoked || time.Now().After(t.expires):
		return "", "the access token expired or was revoked"
	}
	return tok, ""
}

func unauthorized(w http.ResponseWriter, why string) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+strings.ReplaceAll(why, `"`, "'")+`"`)
	writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": why})
}

// serveUserinfo is the userinfo (profile) endpoint; inPath is the access
// token in its path, if Paths.Userinfo has {access_token}.
func (p *Provider) serveUserinfo(w http.ResponseWriter, r *http.Request, inPath string) {
	if p.cfg.OAuth1 {
		p.serveOAuth1Resource(w, r, func() string { return p.userinfoBody() }, true)
		return
	}
	if r.Method != p.cfg.UserinfoMethod {
		w.Header().Set("Allow", p.cfg.UserinfoMethod)
		http.Error(w, "authtest: userinfo wants "+p.cfg.UserinfoMethod, http.StatusMethodNotAllowed)
		return
	}
	tok, why := p.bearer(r, inPath)
	if why != "" {
		unauthorized(w, why)
		return
	}
	p.mu.Lock()
	p.n.userinfo++
	p.lastUserinfo = r.Header.Clone()
	own := p.access[tok].userinfo
	p.mu.Unlock()
	if own != "" {
		writeRawJSON(w, own)
		return
	}
	writeRawJSON(w, p.userinfoBody())
}

// userinfoBody is the configured body, or for OpenID Connect the claims
// without the protocol ones.
func (p *Provider) userinfoBody() string {
	p.mu.Lock()
	body, claims := p.userinfo, p.claims
	p.mu.Unlock()
	if body != "" || !p.cfg.OIDC {
		if body == "" {
			return "{}"
		}
		return body
	}
	var c map[string]any
	_ = json.Unmarshal([]byte(claims), &c)
	for _, k := range []string{"iss", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "at_hash", "c_hash", "azp", "acr", "amr", "sid"} {
		delete(c, k)
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// serveResponse answers one of Config.Responses; inPath is the access
// token in the path, if the key has {access_token}.
func (p *Provider) serveResponse(w http.ResponseWriter, r *http.Request, key, inPath string) {
	body := p.cfg.Responses[key]
	if p.cfg.OAuth1 {
		p.serveOAuth1Resource(w, r, func() string { return body }, false)
		return
	}
	if _, why := p.bearer(r, inPath); why != "" {
		unauthorized(w, why)
		return
	}
	writeRawJSON(w, body)
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// LenientTokenRequest is a Config.TokenRequest for providers whose token
// request departs from RFC 6749 (WeChat's GET with appid and secret in the
// query): it reads the parameters from the query and the body, and the
// client from client_id and client_secret, appid and secret, client_key,
// or HTTP Basic credentials.
func LenientTokenRequest(r *http.Request) url.Values {
	_ = r.ParseForm()
	v := url.Values{}
	for k, vs := range r.Form {
		v[k] = vs
	}
	for from, to := range map[string]string{"appid": "client_id", "secret": "client_secret", "client_key": "client_id"} {
		if v.Has(from) && !v.Has(to) {
			v[to] = v[from]
		}
	}
	if id, secret, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		v.Set("client_id", id)
		v.Set("client_secret", secret)
	}
	return v
}
