package server_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/server"
)

// publicMembers are the only members a key of GET /jwks may have: kty,
// the public members of EC (crv, x, y), OKP (crv, x) and RSA (n, e) keys
// (RFC 7518 §6, RFC 8037 §2), and kid, use, alg.
var publicMembers = []string{"kty", "crv", "x", "y", "n", "e", "kid", "use", "alg"}

// withKeys gives the application ks and the shared clock.
func withKeys(ks *keys.Set, clk *clock) appOption {
	return func(c *server.Config) { c.Keys, c.Now = ks, clk.Now }
}

// loadKeys parses a set as each instance does from AUTH_KEYS.
func loadKeys(t *testing.T, authKeys string) *keys.Set {
	t.Helper()
	ks, _, err := keys.Load(func(name string) string {
		if name == keys.EnvKeys {
			return authKeys
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// export is the set as `authgen keys export` prints it, for AUTH_KEYS.
func export(t *testing.T, ks *keys.Set) string {
	t.Helper()
	data, err := ks.MarshalCompact()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// fetchJWKS gets GET /jwks, checks its headers and that every member of
// every key is a public one, and returns the set.
func (a *app) fetchJWKS() jose.JSONWebKeySet {
	a.t.Helper()
	resp := a.get("/api/auth/jwks")
	body := readBody(a.t, resp)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET /jwks: %s %s", resp.Status, body)
	}
	if ct, cc := resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"); ct != "application/json" || cc != "public, max-age=3600" {
		a.t.Errorf("GET /jwks: Content-Type %q, Cache-Control %q; want application/json, public, max-age=3600", ct, cc)
	}
	if h := resp.Header.Get("Pragma") + resp.Header.Get("Expires"); h != "" {
		a.t.Errorf("GET /jwks forbids caching: Pragma/Expires %q", h)
	}
	var raw struct{ Keys []map[string]json.RawMessage }
	if err := json.Unmarshal([]byte(body), &raw); err != nil || raw.Keys == nil {
		a.t.Fatalf("GET /jwks: %q: %v", body, err)
	}
	for _, k := range raw.Keys {
		for name := range k {
			if !slices.Contains(publicMembers, name) {
				a.t.Errorf("GET /jwks exposes member %q: %s", name, body)
			}
		}
		var kty string
		json.Unmarshal(k["kty"], &kty)
		if kty == "oct" {
			a.t.Errorf("GET /jwks exposes a symmetric key: %s", body)
		}
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		a.t.Fatal(err)
	}
	for _, k := range set.Keys {
		if !k.IsPublic() || !k.Valid() {
			a.t.Errorf("GET /jwks: key %s is not a valid public key", k.KeyID)
		}
	}
	return set
}

// readSession asks a's GET /session, without a's browser, for the session
// in token: the user's name, or "" when it is refused.
func (a *app) readSession(token string) string {
	a.t.Helper()
	req := a.newRequest(http.MethodGet, "/api/auth/session", nil)
	req.AddCookie(&http.Cookie{Name: a.cookieName("session-token"), Value: token})
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct{ User struct{ Name string } }
	json.Unmarshal([]byte(readBody(a.t, resp)), &s)
	return s.User.Name
}

// header is a token's protected header.
func header(t *testing.T, token string) (alg, kid string) {
	t.Helper()
	seg, _, _ := strings.Cut(token, ".")
	raw, err := base64URLDecode(seg)
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Alg, Kid string }
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		t.Fatal(err)
	}
	return h.Alg, h.Kid
}

// verifyWithJWKS verifies token as another service does: the key its kid
// names in set, that key's algorithm only, with go-jose.
func verifyWithJWKS(t *testing.T, set jose.JSONWebKeySet, token string) map[string]any {
	t.Helper()
	_, kid := header(t, token)
	found := set.Key(kid)
	if len(found) != 1 {
		t.Fatalf("the JWKS has %d keys with kid %s", len(found), kid)
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(found[0].Algorithm)})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := jws.Verify(found[0].Key)
	if err != nil {
		t.Fatalf("go-jose does not verify the session with the JWKS: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

// TestJWKSRotation: for each public-key algorithm, two instances loading
// the same AUTH_KEYS across a rotation: before it both read each other's
// HS512 sessions and publish an empty JWKS; after `keys rotate --alg` both
// publish the staged key and neither signs with it; once the staging
// period has passed both sign with it, the new kid and alg in the header,
// each reads the other's sessions and the old ones, and go-jose verifies
// them with either's JWKS; after the old key's time and a prune, its
// sessions are refused and the new ones still read. /jwks never shows a
// private or symmetric member.
func TestJWKSRotation(t *testing.T) {
	for _, alg := range []string{keys.AlgES256, keys.AlgEdDSA, keys.AlgRS256, keys.AlgPS256} {
		t.Run(alg, func(t *testing.T) {
			clk := newClock()
			s0, err := keys.Generate()
			if err != nil {
				t.Fatal(err)
			}
			authKeys := export(t, s0)
			a := newApp(t, withKeys(loadKeys(t, authKeys), clk))
			b := newApp(t, withKeys(loadKeys(t, authKeys), clk))
			if set := a.fetchJWKS(); len(set.Keys) != 0 {
				t.Errorf("an HS512-only set publishes %d keys", len(set.Keys))
			}
			a.mustSignIn()
			old := a.jarCookie("session-token")
			if got, _ := header(t, old); got != keys.AlgHS512 {
				t.Fatalf("before rotation the session is %s", got)
			}
			if b.readSession(old) == "" {
				t.Fatal("instance B does not read A's session before rotation")
			}

			// keys rotate --alg, --keep 2h: the old keys verify for 2h
			// after the new one takes over.
			s1 := loadKeys(t, authKeys)
			if err := s1.RotateWith(clk.Now(), keys.RotateOptions{Alg: alg, Keep: 2 * time.Hour}); err != nil {
				t.Fatal(err)
			}
			newKid := s1.Signing().ID
			authKeys = export(t, s1)
			a = newApp(t, withKeys(loadKeys(t, authKeys), clk))
			b = newApp(t, withKeys(loadKeys(t, authKeys), clk))
			for name, inst := range map[string]*app{"A": a, "B": b} {
				set := inst.fetchJWKS()
				if len(set.Keys) != 1 || set.Keys[0].KeyID != newKid || set.Keys[0].Algorithm != alg {
					t.Errorf("%s publishes %+v during staging, want the staged %s key %s", name, set.Keys, alg, newKid)
				}
			}
			a.mustSignIn()
			staged := a.jarCookie("session-token")
			if got, kid := header(t, staged); got != keys.AlgHS512 || kid == newKid {
				t.Errorf("a staged key signed: %s %s", got, kid)
			}
			for _, tok := range []string{old, staged} {
				if a.readSession(tok) == "" || b.readSession(tok) == "" {
					t.Error("a session signed before the staged key signs is refused")
				}
			}

			clk.Advance(keys.StagingPeriod)
			a.mustSignIn()
			fromA := a.jarCookie("session-token")
			b.mustSignIn()
			fromB := b.jarCookie("session-token")
			for name, tok := range map[string]string{"A": fromA, "B": fromB} {
				if got, kid := header(t, tok); got != alg || kid != newKid {
					t.Errorf("%s's new session: alg %s kid %s, want %s %s", name, got, kid, alg, newKid)
				}
				for _, set := range []jose.JSONWebKeySet{a.fetchJWKS(), b.fetchJWKS()} {
					if claims := verifyWithJWKS(t, set, tok); claims["name"] != "Monalisa Octocat" {
						t.Errorf("claims verified with the JWKS: %v", claims)
					}
				}
			}
			for _, tok := range []string{old, staged, fromA, fromB} {
				if a.readSession(tok) != "Monalisa Octocat" || b.readSession(tok) != "Monalisa Octocat" {
					t.Error("an instance refuses a session of the other's, or one from before the rotation")
				}
			}

			// The old key's time passes; keys prune removes it.
			clk.Advance(2 * time.Hour)
			s2 := loadKeys(t, authKeys)
			if n := s2.Prune(clk.Now()); n != 2 {
				t.Fatalf("pruned %d keys, want the old signing and encryption keys", n)
			}
			a = newApp(t, withKeys(loadKeys(t, export(t, s2)), clk))
			for _, tok := range []string{old, staged} {
				if a.readSession(tok) != "" {
					t.Error("a session of the pruned key still reads")
				}
			}
			for _, tok := range []string{fromA, fromB} {
				if a.readSession(tok) == "" {
					t.Error("after prune a session of the new key is refused")
				}
			}
			if set := a.fetchJWKS(); len(set.Keys) != 1 || set.Keys[0].KeyID != newKid {
				t.Errorf("after prune the JWKS is %+v", set.Keys)
			}
		})
	}
}

// TestJWKSAlgorithmFromKey: a session whose header names the asymmetric
// key's kid but another algorithm — HS256 keyed with the public key's
// JSON, the classic confusion, or "none" — is refused: the key decides
// the algorithm, never the token.
func TestJWKSAlgorithmFromKey(t *testing.T) {
	clk := newClock()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := ks.RotateWith(clk.Now(), keys.RotateOptions{Alg: keys.AlgRS256, Keep: time.Hour, Now: true}); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, withKeys(ks, clk))
	a.mustSignIn()
	good := a.jarCookie("session-token")
	_, payload, _ := strings.Cut(good, ".")
	payload, _, _ = strings.Cut(payload, ".")
	set := a.fetchJWKS()
	pub, err := set.Keys[0].MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	kid := set.Keys[0].KeyID
	hs256, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: pub}, (&jose.SignerOptions{}).WithHeader("kid", kid).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64URLDecode(payload)
	obj, err := hs256.Sign([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	confused, _ := obj.CompactSerialize()
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"`+kid+`","typ":"JWT"}`)) + "." + payload + "."
	if a.readSession(good) == "" {
		t.Fatal("the RS256 session does not read")
	}
	for name, tok := range map[string]string{"HS256 with the public key": confused, "alg none": none} {
		if a.readSession(tok) != "" {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestAuthJSRefusesPublicKey: with AuthJS the session is Auth.js's token
// under the shared secret, so server.New refuses a public-key signing key,
// staged or signing, and says why.
func TestAuthJSRefusesPublicKey(t *testing.T) {
	clk := newClock()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := ks.RotateWith(clk.Now(), keys.RotateOptions{Alg: keys.AlgES256, Keep: time.Hour}); err != nil {
		t.Fatal(err)
	}
	origin, _ := url.Parse("http://localhost:3000")
	_, err = server.New(server.Config{URL: origin, Keys: ks, Now: clk.Now, AuthJS: &server.AuthJS{Version: 5, Secrets: []string{"secret"}}})
	if !errors.Is(err, server.ErrConfig) {
		t.Fatalf("server.New = %v, want ErrConfig", err)
	}
	for _, want := range []string{"HS512", "ES256", "AUTH_SECRET", "jwks", "authgen keys rotate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q: %v", want, err)
		}
	}
}
