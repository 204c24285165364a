package authtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// oauth1State is an OAuth 1.0a provider's credentials and seen nonces.
type oauth1State struct {
	// temps are the temporary credentials (request tokens).
	temps map[string]*oauth1Temp
	// tokens are token credentials: token → secret.
	tokens map[string]string
	// nonces are the (client, token, timestamp, nonce) of accepted
	// requests (RFC 5849 §3.3).
	nonces map[string]bool
}

type oauth1Temp struct {
	secret, callback, verifier string
	expires                    time.Time
}

func (s *oauth1State) init() {
	s.temps, s.tokens, s.nonces = map[string]*oauth1Temp{}, map[string]string{}, map[string]bool{}
}

// timestampWindow is how far a request's oauth_timestamp may be from now.
const timestampWindow = 5 * time.Minute

// oauth1Problem is a refused OAuth 1.0a request, with the problem named
// as in the OAuth Problem Reporting extension.
type oauth1Problem struct {
	status  int
	problem string
	advice  string
}

func (e *oauth1Problem) Error() string { return e.problem + ": " + e.advice }

func problem(status int, name, format string, args ...any) *oauth1Problem {
	return &oauth1Problem{status: status, problem: name, advice: fmt.Sprintf(format, args...)}
}

func (p *Provider) writeProblem(w http.ResponseWriter, e *oauth1Problem) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `OAuth realm="`+p.URL+`"`)
	}
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	w.WriteHeader(e.status)
	_, _ = io.WriteString(w, url.Values{"oauth_problem": {e.problem}, "oauth_problem_advice": {e.advice}}.Encode())
}

// credential kinds a signed request may use.
const (
	clientOnly = iota // request token: no token
	temporary         // access token: the request token
	tokenCreds        // resources: the access token
)

// verifyOAuth1 checks a request's OAuth 1.0a protocol parameters and
// HMAC-SHA1 signature (RFC 5849 §3.2) and records its nonce. It returns
// the protocol parameters.
func (p *Provider) verifyOAuth1(r *http.Request, kind int) (map[string]string, *oauth1Problem) {
	scheme, rest, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "OAuth") {
		return nil, problem(http.StatusUnauthorized, "parameter_absent", "no OAuth Authorization header")
	}
	params, err := parseOAuthHeader(rest)
	if err != nil {
		return nil, problem(http.StatusBadRequest, "parameter_rejected", "%v", err)
	}
	for _, k := range []string{"oauth_consumer_key", "oauth_signature_method", "oauth_timestamp", "oauth_nonce", "oauth_signature"} {
		if params[k] == "" {
			return nil, problem(http.StatusBadRequest, "parameter_absent", "%s is missing", k)
		}
	}
	if v, ok := params["oauth_version"]; ok && v != "1.0" {
		return nil, problem(http.StatusBadRequest, "version_rejected", "oauth_version %q", v)
	}
	if params["oauth_consumer_key"] != p.ClientID {
		return nil, problem(http.StatusUnauthorized, "consumer_key_unknown", "unknown oauth_consumer_key")
	}
	if params["oauth_signature_method"] != "HMAC-SHA1" {
		return nil, problem(http.StatusBadRequest, "signature_method_rejected", "only HMAC-SHA1 is supported")
	}
	ts, err := strconv.ParseInt(params["oauth_timestamp"], 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > timestampWindow {
		return nil, problem(http.StatusUnauthorized, "timestamp_refused", "oauth_timestamp is not within %s of now", timestampWindow)
	}
	token := params["oauth_token"]
	p.mu.Lock()
	var tokenSecret string
	var known bool
	switch kind {
	case clientOnly:
		known = token == ""
	case temporary:
		if t := p.oauth1.temps[token]; t != nil && time.Now().Before(t.expires) {
			tokenSecret, known = t.secret, true
		}
	case tokenCreds:
		tokenSecret, known = p.oauth1.tokens[token]
	}
	p.mu.Unlock()
	if !known {
		return nil, problem(http.StatusUnauthorized, "token_rejected", "oauth_token is not valid here")
	}
	base, err := signatureBase(r, params)
	if err != nil {
		return nil, problem(http.StatusBadRequest, "parameter_rejected", "%v", err)
	}
	want := hmacSHA1(p.ClientSecret, tokenSecret, base)
	if subtle.ConstantTimeCompare([]byte(want), []byte(params["oauth_signature"])) != 1 {
		return nil, problem(http.StatusUnauthorized, "signature_invalid", "the signature does not verify")
	}
	nonce := strings.Join([]string{p.ClientID, token, params["oauth_timestamp"], params["oauth_nonce"]}, "\x00")
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth1.nonces[nonce] {
		return nil, problem(http.StatusUnauthorized, "nonce_used", "the nonce was used before")
	}
	p.oauth1.nonces[nonce] = true
	return params, nil
}

// hmacSHA1 signs a signature base string (RFC 5849 §3.4.2).
func hmacSHA1(clientSecret, tokenSecret, base string) string {
	m := hmac.New(sha1.New, []byte(percentEncode(clientSecret)+"&"+percentEncode(tokenSecret)))
	m.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// parseOAuthHeader parses the parameters of an OAuth Authorization header
// (RFC 5849 §3.5.1): name="value" pairs separated by commas, both
// percent-encoded.
func parseOAuthHeader(s string) (map[string]string, error) {
	out := map[string]string{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, fmt.Errorf("malformed Authorization parameter %q", part)
		}
		name, err1 := url.PathUnescape(strings.TrimSpace(k))
		value, err2 := url.PathUnescape(v[1 : len(v)-1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("malformed percent-encoding in %q", part)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("parameter %s repeated", name)
		}
		out[name] = value
	}
	return out, nil
}

// signatureBase is RFC 5849 §3.4.1's signature base string of r, whose
// protocol parameters (from the Authorization header) are oauth.
func signatureBase(r *http.Request, oauth map[string]string) (string, error) {
	type pair struct{ k, v string }
	var pairs []pair
	// §3.4.1.3.1: the query, the form body and the protocol parameters
	// but realm and the signature.
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", fmt.Errorf("malformed query: %w", err)
	}
	for k, vs := range query {
		for _, v := range vs {
			pairs = append(pairs, pair{k, v})
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" && r.Body != nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return "", err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return "", fmt.Errorf("malformed body: %w", err)
		}
		for k, vs := range form {
			for _, v := range vs {
				pairs = append(pairs, pair{k, v})
			}
		}
	}
	for k, v := range oauth {
		if k != "realm" && k != "oauth_signature" {
			pairs = append(pairs, pair{k, v})
		}
	}
	// §3.4.1.3.2: encoded, sorted by name then value.
	for i := range pairs {
		pairs[i] = pair{percentEncode(pairs[i].k), percentEncode(pairs[i].v)}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	norm := make([]string, len(pairs))
	for i, pr := range pairs {
		norm[i] = pr.k + "=" + pr.v
	}
	return strings.ToUpper(r.Method) + "&" + percentEncode(baseURI(r)) + "&" + percentEncode(strings.Join(norm, "&")), nil
}

// baseURI is §3.4.1.2's base string URI: scheme and host in lower case,
// the default port left out, the path as requested, no query.
func baseURI(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := strings.ToLower(r.Host)
	host = strings.TrimSuffix(host, map[string]string{"http": ":80", "https": ":443"}[scheme])
	path, _, _ := strings.Cut(r.RequestURI, "?")
	if path == "" || !strings.HasPrefix(path, "/") {
		path = r.URL.EscapedPath()
	}
	return scheme + "://" + host + path
}

// percentEncode is RFC 5849 §3.6's encoding: every byte but the unreserved
// characters as %XX, upper-case hex.
func percentEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if isUnreserved(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// serveRequestToken issues temporary credentials (RFC 5849 §2.1).
func (p *Provider) serveRequestToken(w http.ResponseWriter, r *http.Request) {
	params, e := p.verifyOAuth1(r, clientOnly)
	if e != nil {
		p.writeProblem(w, e)
		return
	}
	callback := params["oauth_callback"]
	if callback == "" {
		p.writeProblem(w, problem(http.StatusBadRequest, "parameter_absent", "oauth_callback is missing"))
		return
	}
	if callback != "oob" {
		u, err := url.Parse(callback)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.writeProblem(w, problem(http.StatusBadRequest, "parameter_rejected", "oauth_callback must be an absolute http(s) URI or oob"))
			return
		}
		if p.cfg.RedirectURI != "" && callback != p.cfg.RedirectURI {
			p.writeProblem(w, problem(http.StatusBadRequest, "parameter_rejected", "oauth_callback is not the registered one"))
			return
		}
	}
	tok, secret := "rt-"+random(18), random(24)
	p.mu.Lock()
	p.oauth1.temps[tok] = &oauth1Temp{secret: secret, callback: callback, expires: time.Now().Add(codeLifetime)}
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	_, _ = io.WriteString(w, url.Values{"oauth_token": {tok}, "oauth_token_secret": {secret}, "oauth_callback_confirmed": {"true"}}.Encode())
}

// serveOAuth1Authorize is the resource owner authorization endpoint (RFC
// 5849 §2.2): the user consents at once and is sent back with a verifier.
func (p *Provider) serveOAuth1Authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	tok := q.Get("oauth_token")
	p.mu.Lock()
	p.lastAuth = cloneValues(q)
	t := p.oauth1.temps[tok]
	denied := p.authorizeError
	if t == nil || time.Now().After(t.expires) {
		p.mu.Unlock()
		http.Error(w, "authtest: unknown or expired oauth_token", http.StatusBadRequest)
		return
	}
	back := url.Values{"oauth_token": {tok}}
	if denied != "" {
		back = url.Values{"denied": {tok}}
	} else {
		t.verifier = "v-" + random(18)
		back.Set("oauth_verifier", t.verifier)
		p.n.authorizations++
	}
	callback := t.callback
	p.mu.Unlock()
	if callback == "oob" {
		_, _ = io.WriteString(w, "Your verifier is "+back.Get("oauth_verifier"))
		return
	}
	u, _ := url.Parse(callback) // checked at the request token
	v := u.Query()
	for k, vs := range back {
		v[k] = vs
	}
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// serveAccessToken exchanges authorized temporary credentials and the
// verifier for token credentials (RFC 5849 §2.3).
func (p *Provider) serveAccessToken(w http.ResponseWriter, r *http.Request) {
	params, e := p.verifyOAuth1(r, temporary)
	if e != nil {
		p.writeProblem(w, e)
		return
	}
	p.mu.Lock()
	t := p.oauth1.temps[params["oauth_token"]]
	delete(p.oauth1.temps, params["oauth_token"]) // single-use, whatever happens
	p.mu.Unlock()
	if t == nil || t.verifier == "" || subtle.ConstantTimeCompare([]byte(t.verifier), []byte(params["oauth_verifier"])) != 1 {
		p.writeProblem(w, problem(http.StatusUnauthorized, "verifier_invalid", "oauth_verifier is wrong or the request token was not authorized"))
		return
	}
	tok, secret := "at-"+random(18), random(24)
	resp := url.Values{"oauth_token": {tok}, "oauth_token_secret": {secret}}
	if p.cfg.Token != "" {
		var extra map[string]any
		_ = json.Unmarshal([]byte(p.cfg.Token), &extra) // checked by NewProvider
		for k, v := range extra {
			if s, ok := v.(string); ok {
				resp.Set(k, s)
			} else {
				b, _ := json.Marshal(v)
				resp.Set(k, string(b))
			}
		}
	}
	p.mu.Lock()
	p.oauth1.tokens[tok] = secret
	p.n.exchanges++
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	_, _ = io.WriteString(w, resp.Encode())
}

// serveOAuth1Resource answers a request signed with token credentials.
func (p *Provider) serveOAuth1Resource(w http.ResponseWriter, r *http.Request, body func() string, userinfo bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "authtest: method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if _, e := p.verifyOAuth1(r, tokenCreds); e != nil {
		p.writeProblem(w, e)
		return
	}
	if userinfo {
		p.mu.Lock()
		p.n.userinfo++
		p.lastUserinfo = r.Header.Clone()
		p.mu.Unlock()
	}
	writeRawJSON(w, body())
}
