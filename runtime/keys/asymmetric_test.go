package keys_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authgen/authgen/runtime/keys"
)

var asymmetricAlgs = []string{keys.AlgES256, keys.AlgEdDSA, keys.AlgRS256, keys.AlgPS256}

// TestRotateStaged: a public-key signing key is staged — the newest key,
// valid and published at once, signing only StagingPeriod after it was
// added, the key it replaces signing until then and verifying for keep
// after — and survives MarshalJSON and Parse with its times; its kid is
// the RFC 7638 thumbprint of its public key, as go-jose computes it.
func TestRotateStaged(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	keep := 24 * time.Hour
	for _, alg := range asymmetricAlgs {
		t.Run(alg, func(t *testing.T) {
			s := generate(t)
			old := s.Signing()
			if err := s.RotateWith(now, keys.RotateOptions{Alg: alg, Keep: keep}); err != nil {
				t.Fatal(err)
			}
			s, err := keys.Parse(marshal(t, s))
			if err != nil {
				t.Fatalf("Parse of a rotated set: %v", err)
			}
			k := s.Signing()
			if k.Alg != alg || !k.Asymmetric() || k.Secret != nil || !k.Added.Equal(now) || !k.NotBefore.Equal(now.Add(keys.StagingPeriod)) {
				t.Fatalf("new key: %s asymmetric=%v added %v signs from %v", k.Alg, k.Asymmetric(), k.Added, k.NotBefore)
			}
			sum, err := (&jose.JSONWebKey{Key: k.Public()}).Thumbprint(crypto.SHA256)
			if err != nil || k.ID != b64.EncodeToString(sum) {
				t.Errorf("kid %s is not the public key's thumbprint (%v)", k.ID, err)
			}
			takesOver := now.Add(keys.StagingPeriod)
			for _, tt := range []struct {
				at      time.Time
				signing string
				states  map[string]keys.State
			}{
				{now, old.ID, map[string]keys.State{k.ID: keys.StateStaged, old.ID: keys.StateSigning}},
				{takesOver.Add(-time.Second), old.ID, map[string]keys.State{k.ID: keys.StateStaged, old.ID: keys.StateSigning}},
				{takesOver, k.ID, map[string]keys.State{k.ID: keys.StateSigning, old.ID: keys.StateVerifying}},
				{takesOver.Add(keep), k.ID, map[string]keys.State{k.ID: keys.StateSigning, old.ID: keys.StateExpired}},
			} {
				if got := s.SigningAt(tt.at); got.ID != tt.signing {
					t.Errorf("at %v: SigningAt = %s %s", tt.at, got.Alg, got.ID)
				}
				if v := s.Valid(keys.UseSig, tt.at); len(v) == 0 || v[0].ID != tt.signing {
					t.Errorf("at %v: Valid does not put the signing key first", tt.at)
				}
				for kid, want := range tt.states {
					if got := s.State(kid, tt.at); got != want {
						t.Errorf("at %v: State(%s) = %q, want %q", tt.at, kid, got, want)
					}
				}
			}
			if v := s.Valid(keys.UseSig, now); len(v) != 2 {
				t.Errorf("a staged key does not verify at once: %d valid", len(v))
			}
			if n := s.Prune(takesOver.Add(keep)); n != 2 || s.SigningAt(takesOver.Add(keep)).ID != k.ID {
				t.Errorf("Prune after the old keys' time removed %d", n)
			}
		})
	}
}

// TestRotateNow: RotateOptions.Now makes the new key sign at once.
func TestRotateNow(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := generate(t)
	if err := s.RotateWith(now, keys.RotateOptions{Alg: keys.AlgEdDSA, Keep: time.Hour, Now: true}); err != nil {
		t.Fatal(err)
	}
	if k := s.SigningAt(now); k.Alg != keys.AlgEdDSA || k.ID != s.Signing().ID {
		t.Errorf("with Now the new key does not sign at once: %s", k.Alg)
	}
	if err := s.RotateWith(now, keys.RotateOptions{Alg: "ES384"}); !errors.Is(err, keys.ErrAlg) {
		t.Errorf("RotateWith(ES384) = %v, want ErrAlg", err)
	}
}

// TestOldSetsLoad: a set written before iat and nbf existed (HS512 and
// A256GCM, exp on retired keys) reads as before: the key without exp signs.
func TestOldSetsLoad(t *testing.T) {
	old := rawKey(t, keys.UseSig, keys.AlgHS512, 64)
	old.Exp = 1_800_003_600
	active := rawKey(t, keys.UseSig, keys.AlgHS512, 64)
	s, err := keys.Parse(setJSON(t, active, old, rawKey(t, keys.UseEnc, keys.AlgA256GCM, 32)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	if s.SigningAt(now).ID != active.Kid || s.State(old.Kid, now) != keys.StateVerifying {
		t.Error("an old set's signing key changed")
	}
}

// privateJWK is a private JWK of key as go-jose writes it, as a map the
// test edits.
func privateJWK(t *testing.T, key any, alg string) map[string]any {
	t.Helper()
	jwk := jose.JSONWebKey{Key: key, Algorithm: alg, Use: "sig"}
	pub := jwk.Public()
	sum, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	jwk.KeyID = b64.EncodeToString(sum)
	raw, err := jwk.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	return m
}

// TestParseRejectsAsymmetric: a public key without its private part, a
// key of another type than its algorithm needs, a curve or size it may not
// have, a kid that is not the thumbprint, use enc: each is ErrInvalid.
func TestParseRejectsAsymmetric(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	enc := rawKey(t, keys.UseEnc, keys.AlgA256GCM, 32)
	sig := rawKey(t, keys.UseSig, keys.AlgHS512, 64)
	good := privateJWK(t, p256, keys.AlgES256)
	tests := map[string]func() map[string]any{
		"public key only": func() map[string]any { m := privateJWK(t, p256, keys.AlgES256); delete(m, "d"); return m },
		"EC key as RS256": func() map[string]any { return privateJWK(t, p256, keys.AlgRS256) },
		"EC key as HS512": func() map[string]any { return privateJWK(t, p256, keys.AlgHS512) },
		"P-384 as ES256":  func() map[string]any { return privateJWK(t, p384, keys.AlgES256) },
		"RSA 1024":        func() map[string]any { return privateJWK(t, rsa1024, keys.AlgRS256) },
		"kid not thumbprint": func() map[string]any {
			m := privateJWK(t, p256, keys.AlgES256)
			m["kid"] = "my-key"
			return m
		},
		"use enc": func() map[string]any { m := privateJWK(t, p256, keys.AlgES256); m["use"] = "enc"; return m },
	}
	for name, key := range tests {
		t.Run(name, func(t *testing.T) {
			data, _ := json.Marshal(map[string]any{"keys": []any{key(), sig, enc}})
			if _, err := keys.Parse(data); !errors.Is(err, keys.ErrInvalid) {
				t.Errorf("Parse = %v, want ErrInvalid", err)
			}
		})
	}
	data, _ := json.Marshal(map[string]any{"keys": []any{good, enc}})
	if _, err := keys.Parse(data); err != nil {
		t.Errorf("Parse of a good ES256 key made elsewhere: %v", err)
	}
}

// TestPublicJWKS: only the asymmetric keys still valid, each with public
// members only; an empty list for a symmetric set.
func TestPublicJWKS(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := generate(t)
	data, err := s.PublicJWKS(now)
	if err != nil || string(data) != `{"keys":[]}` {
		t.Fatalf("PublicJWKS of a symmetric set = %s, %v", data, err)
	}
	for i, alg := range asymmetricAlgs {
		if err := s.RotateWith(now.Add(time.Duration(i)*time.Hour), keys.RotateOptions{Alg: alg, Keep: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}
	at := now.Add(3 * time.Hour)
	data, err = s.PublicJWKS(at)
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Keys []map[string]any }
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	allowed := []string{"kty", "crv", "x", "y", "n", "e", "kid", "use", "alg"}
	var algs []string
	for _, k := range set.Keys {
		for name := range k {
			if !slices.Contains(allowed, name) {
				t.Errorf("member %q published: %s", name, data)
			}
		}
		algs = append(algs, k["alg"].(string))
	}
	// At +3h RS256 (added at +2h) signs and comes first, PS256 (added at
	// +3h) is staged, EdDSA verifies; ES256, replaced when EdDSA took over
	// at +2h and kept 1h, has expired.
	if want := []string{keys.AlgRS256, keys.AlgPS256, keys.AlgEdDSA}; !slices.Equal(algs, want) {
		t.Errorf("published %v, want %v", algs, want)
	}
	if bytes.Contains(data, []byte(`"oct"`)) {
		t.Error("a symmetric key was published")
	}
}

// TestDeriveAsymmetric: a set signing with a public key still derives
// secrets (CSRF, e-mail tokens), from the private key: one per valid key,
// the signing key's first, the same after a round trip, distinct per key.
func TestDeriveAsymmetric(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := generate(t)
	for _, alg := range asymmetricAlgs {
		if err := s.RotateWith(now, keys.RotateOptions{Alg: alg, Keep: time.Hour, Now: true}); err != nil {
			t.Fatal(err)
		}
	}
	d := s.Derive("csrf", now)
	parsed, err := keys.Parse(marshal(t, s))
	if err != nil {
		t.Fatal(err)
	}
	again := parsed.Derive("csrf", now)
	if len(d) != 5 || !slices.EqualFunc(d, again, bytes.Equal) {
		t.Fatalf("Derive: %d secrets, equal after a round trip: %v", len(d), slices.EqualFunc(d, again, bytes.Equal))
	}
	for i := range d {
		for j := range i {
			if bytes.Equal(d[i], d[j]) {
				t.Errorf("keys %d and %d derive the same secret", i, j)
			}
		}
	}
}

// TestNextChange: what the set derives holds from any time until
// NextChange, which names the staged key's takeover and the retired key's
// expiry, and is zero when nothing more is scheduled.
func TestNextChange(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := generate(t)
	if next := s.NextChange(keys.UseSig, now); !next.IsZero() {
		t.Fatalf("a generated set changes at %v, want never", next)
	}
	keep := 24 * time.Hour
	if err := s.RotateWith(now, keys.RotateOptions{Alg: keys.AlgES256, Keep: keep}); err != nil {
		t.Fatal(err)
	}
	takesOver := now.Add(keys.StagingPeriod)
	var changes []time.Time
	for at := now; ; {
		next := s.NextChange(keys.UseSig, at)
		if next.IsZero() {
			break
		}
		if !next.After(at) {
			t.Fatalf("NextChange(%v) = %v, not later", at, next)
		}
		if a, b := s.Derive("x", at), s.Derive("x", next.Add(-time.Nanosecond)); !slices.EqualFunc(a, b, bytes.Equal) {
			t.Errorf("the derived secrets changed between %v and %v, before NextChange", at, next)
		}
		if a, b := s.Derive("x", next.Add(-time.Nanosecond)), s.Derive("x", next); slices.EqualFunc(a, b, bytes.Equal) {
			t.Errorf("nothing changed at NextChange %v", next)
		}
		changes = append(changes, next)
		at = next
	}
	if len(changes) != 2 || !changes[0].Equal(takesOver) {
		t.Errorf("changes %v, want the takeover at %v, then the old key's expiry", changes, takesOver)
	}
}
