package oauth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	// The hashes at_hash may use.
	_ "crypto/sha256"
	_ "crypto/sha512"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// idTokenClaims are the claims authgen checks beyond go-oidc's.
type idTokenClaims struct {
	Sub   string `json:"sub"`
	Azp   string `json:"azp"`
	Tid   string `json:"tid"`
	Iss   string `json:"iss"`
	Nonce string `json:"nonce"`
	// AtHash is nil when the token has no at_hash.
	AtHash *string `json:"at_hash"`
}

// verifyIDToken checks an ID token: its JOSE header's typ, the signature
// against the issuer's JWKS (refetched when an unknown kid appears) with
// the algorithm allowlist, then that exp, iat, nbf and auth_time are JSON
// numbers, iss, aud, azp, exp, nbf, iat, nonce, and at_hash against the
// access token the same token response carried. It returns the raw claims.
func (p *Provider) verifyIDToken(ctx context.Context, client *http.Client, d *discovered, raw, nonce, accessToken string, now time.Time) (json.RawMessage, *idTokenClaims, error) {
	hdr, err := parseJOSEHeader(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIDToken, err)
	}
	if err := checkTyp(hdr); err != nil {
		return nil, nil, err
	}
	cfg := &oidc.Config{
		ClientID:             p.ClientID,
		SupportedSigningAlgs: d.algs,
		Now:                  func() time.Time { return now.Add(-tokenLeeway) },
		SkipIssuerCheck:      strings.Contains(d.issuer, tenantPlaceholder),
	}
	ctx = oidc.ClientContext(ctx, client)
	keys := &keySetError{}
	if p.IDTokenSecretKey {
		cfg.SupportedSigningAlgs = []string{string(jose.HS256)}
		keys.KeySet = hmacKeySet{secret: []byte(p.ClientSecret)}
	} else {
		if err := p.requireKid(ctx, client, d, hdr); err != nil {
			return nil, nil, err
		}
		// The key set is read with the guarded client in ctx: bounded,
		// never redirected.
		keys.KeySet = oidc.NewRemoteKeySet(ctx, d.jwksURI)
	}
	tok, err := oidc.NewVerifier(d.issuer, keys, cfg).Verify(ctx, raw)
	if err != nil {
		if keys.err != nil {
			// go-oidc reports the key set's error as text only.
			return nil, nil, fmt.Errorf("%w: signature: %w", ErrIDToken, bounded(keys.err))
		}
		return nil, nil, fmt.Errorf("%w: %w", ErrIDToken, bounded(err))
	}
	var claims json.RawMessage
	var c idTokenClaims
	if err := tok.Claims(&claims); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIDToken, err)
	}
	if err := checkNumericDates(claims); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(claims, &c); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIDToken, err)
	}
	switch {
	case c.Sub == "":
		return nil, nil, fmt.Errorf("%w: no sub", ErrIDToken)
	case tok.IssuedAt.IsZero():
		return nil, nil, fmt.Errorf("%w: no iat", ErrIDToken)
	case tok.IssuedAt.After(now.Add(maxFutureIAT)):
		return nil, nil, fmt.Errorf("%w: issued in the future (iat %s)", ErrIDToken, tok.IssuedAt.UTC().Format(time.RFC3339))
	case len(tok.Audience) > 1 && c.Azp == "", c.Azp != "" && c.Azp != p.ClientID:
		return nil, nil, fmt.Errorf("%w: authorized party %q is not this client", ErrIDToken, sanitize(c.Azp))
	case cfg.SkipIssuerCheck && (c.Tid == "" || c.Iss != strings.ReplaceAll(d.issuer, tenantPlaceholder, c.Tid)):
		return nil, nil, fmt.Errorf("%w: %w: tenant issuer %q", ErrIDToken, ErrIssuer, sanitize(c.Iss))
	case p.Uses(Nonce) && !equal(c.Nonce, nonce):
		return nil, nil, fmt.Errorf("%w: nonce mismatch", ErrIDToken)
	}
	if c.AtHash != nil {
		if err := checkAtHash(hdr.Alg, *c.AtHash, accessToken); err != nil {
			return nil, nil, err
		}
	}
	return claims, &c, nil
}

// joseHeader is what authgen reads of a compact JWS's protected header.
type joseHeader struct {
	Alg, Kid string
	// Typ is the typ parameter; HasTyp tells an absent one from "".
	Typ    string
	HasTyp bool
}

// parseJOSEHeader reads the protected header of a compact JWS. Member
// names are matched exactly, as go-jose matches them; alg, kid and typ must
// be strings.
func parseJOSEHeader(raw string) (joseHeader, error) {
	seg, _, ok := strings.Cut(raw, ".")
	if !ok {
		return joseHeader{}, fmt.Errorf("not a compact JWS")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return joseHeader{}, fmt.Errorf("the header is not base64url")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return joseHeader{}, fmt.Errorf("the header is not a JSON object")
	}
	var h joseHeader
	for name, dst := range map[string]*string{"alg": &h.Alg, "kid": &h.Kid, "typ": &h.Typ} {
		v, ok := m[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return joseHeader{}, fmt.Errorf("the header's %s is not a string", name)
		}
	}
	_, h.HasTyp = m["typ"]
	return h, nil
}

// checkTyp refuses an ID token whose JOSE header says it is another kind of
// JWT. OpenID Connect Core does not require typ on ID tokens; RFC 8725
// §3.11 has each kind of JWT typed explicitly so that one cannot be taken
// for another — an access token (RFC 9068, typ at+jwt), a logout token
// (logout+jwt), a DPoP proof (dpop+jwt) must not pass as an ID token. So
// typ may be absent, or JWT, the value RFC 7519 §5.1 recommends: compared
// case-insensitively and with an optional "application/" prefix (RFC 7515
// §4.1.9).
func checkTyp(h joseHeader) error {
	if !h.HasTyp {
		return nil
	}
	if t := strings.ToLower(h.Typ); t != "jwt" && t != "application/jwt" {
		return fmt.Errorf("%w: typ %q is not JWT: not an ID token", ErrIDToken, sanitize(h.Typ))
	}
	return nil
}

// numericDateClaims are the ID token claims that are NumericDates (RFC 7519
// §2): JSON numbers of seconds.
var numericDateClaims = []string{"exp", "iat", "nbf", "auth_time"}

// checkNumericDates refuses claims whose exp, iat, nbf or auth_time is not a
// JSON number that a float64 holds (1e700 is JSON, but no date). go-oidc decodes them through json.Number, which also takes a
// number in a string ("1796162752"); Go's decoder also matches member names
// case-insensitively, so "EXP" is checked as well.
func checkNumericDates(claims []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(claims, &m); err != nil {
		return fmt.Errorf("%w: the claims are not a JSON object", ErrIDToken)
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !slices.ContainsFunc(numericDateClaims, func(c string) bool { return strings.EqualFold(k, c) }) {
			continue
		}
		var n float64
		if v := bytes.TrimSpace(m[k]); len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) || json.Unmarshal(v, &n) != nil {
			shown := string(v)
			if len(shown) > 40 {
				shown = shown[:40] + "…"
			}
			return fmt.Errorf("%w: %s is %s, not a number of seconds", ErrIDToken, sanitize(k), sanitize(shown))
		}
	}
	return nil
}

// atHashFuncs are the hashes of at_hash by signature algorithm (OpenID
// Connect Core §3.1.3.6: the hash of the alg's; for EdDSA with Ed25519,
// SHA-512, as go-oidc has it).
var atHashFuncs = map[string]crypto.Hash{
	"HS256": crypto.SHA256, "RS256": crypto.SHA256, "ES256": crypto.SHA256, "PS256": crypto.SHA256,
	"HS384": crypto.SHA384, "RS384": crypto.SHA384, "ES384": crypto.SHA384, "PS384": crypto.SHA384,
	"HS512": crypto.SHA512, "RS512": crypto.SHA512, "ES512": crypto.SHA512, "PS512": crypto.SHA512,
	"EdDSA": crypto.SHA512,
}

// checkAtHash checks an ID token's at_hash against the access token of the
// same token response (OpenID Connect Core §3.1.3.8): the base64url
// encoding of the left half of the access token's hash.
func checkAtHash(alg, atHash, accessToken string) error {
	h, ok := atHashFuncs[alg]
	if !ok {
		return fmt.Errorf("%w: at_hash with alg %q, whose hash is unknown", ErrIDToken, sanitize(alg))
	}
	d := h.New()
	d.Write([]byte(accessToken))
	sum := d.Sum(nil)
	want := base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
	if subtle.ConstantTimeCompare([]byte(want), []byte(atHash)) != 1 {
		return fmt.Errorf("%w: at_hash does not match the access token", ErrIDToken)
	}
	return nil
}

// requireKid refuses an ID token without a kid when the issuer publishes
// several signing keys: which key signed it would be a guess (go-oidc tries
// them all), so a token signed with a key meant for something else could
// pass.
func (p *Provider) requireKid(ctx context.Context, client *http.Client, d *discovered, hdr joseHeader) error {
	if hdr.Kid != "" {
		return nil
	}
	if d.jwksURI == "" {
		return fmt.Errorf("%w: no kid and no JWKS", ErrIDToken)
	}
	body, err := Get(ctx, client, http.MethodGet, d.jwksURI, nil, nil)
	if err != nil {
		return fmt.Errorf("%w: JWKS: %w", ErrIDToken, err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return fmt.Errorf("%w: JWKS: %w", ErrIDToken, err)
	}
	n := 0
	for _, k := range set.Keys {
		if k.Use == "" || k.Use == "sig" {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("%w: no kid, and the issuer has %d signing keys", ErrIDToken, n)
	}
	return nil
}

// keySetError keeps the error of its key set, which go-oidc's verifier
// turns into text: errors.Is then still finds ErrRedirect or ErrTooLarge
// from fetching the keys. Used for one verification.
type keySetError struct {
	oidc.KeySet
	err error
}

func (k *keySetError) VerifySignature(ctx context.Context, raw string) ([]byte, error) {
	payload, err := k.KeySet.VerifySignature(ctx, raw)
	if err != nil {
		k.err = err
	}
	return payload, err
}

// hmacKeySet verifies HS256 ID tokens signed with the client secret (LINE).
type hmacKeySet struct{ secret []byte }

func (k hmacKeySet) VerifySignature(_ context.Context, raw string) ([]byte, error) {
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		return nil, err
	}
	return jws.Verify(k.secret)
}
