package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/authgen/authgen/runtime/keys"
)

// JWKSPath is the path, under the base path, of the public key set other
// services verify session tokens with.
const JWKSPath = "/jwks"

// jwksCache is the Cache-Control of GET {basePath}/jwks: shared caches
// may keep it for keys.JWKSMaxAge, the time a new asymmetric key is
// published before it signs (keys.StagingPeriod), so a service holding a
// cached set never meets a token signed with a key it has not seen.
var jwksCache = []string{"public, max-age=" + strconv.FormatInt(int64(keys.JWKSMaxAge/time.Second), 10)}

// handleJWKS is GET {basePath}/jwks: the public members (kty, crv, x, y,
// n, e, kid, use, alg) of the set's asymmetric signing keys still valid —
// signing, staged and verifying only — as a JWK Set (RFC 7517 §5); never
// a private member or a symmetric key, and {"keys":[]} when the set has
// only symmetric keys. Content-Type is application/json, what identity
// providers' JWKS endpoints send (Google's, Microsoft's, Auth0's) and
// every JWKS client reads, rather than the registered
// application/jwk-set+json, which some clients do not take for JSON.
func (a *Auth) handleJWKS(w http.ResponseWriter, r *http.Request) {
	data, err := a.cfg.Keys.PublicJWKS(a.cfg.Now())
	if err != nil {
		a.fail(w, a.newRequest(w, r), CodeConfiguration, err)
		return
	}
	h := w.Header()
	delete(h, "Pragma")
	delete(h, "Expires")
	h["Content-Type"] = contentTypeJSON
	h["Cache-Control"] = jwksCache
	h["Content-Length"] = []string{strconv.Itoa(len(data))}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}
