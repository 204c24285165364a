package session_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authgen/authgen/runtime/jwt"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/session"
)

var asymmetricAlgs = []string{keys.AlgES256, keys.AlgEdDSA, keys.AlgRS256, keys.AlgPS256}

// headerOf is a token's protected header.
func headerOf(t *testing.T, token string) (alg, kid string) {
	t.Helper()
	seg, _, _ := strings.Cut(token, ".")
	raw, err := b64.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Alg, Kid string }
	json.Unmarshal(raw, &h)
	return h.Alg, h.Kid
}

// TestAsymmetricSessions: for each public-key algorithm, one codec built
// while the new key is staged signs with the old key until the staging
// period ends and with the new one from then on, without being rebuilt;
// both read; go-jose verifies the new token with the public key; the
// token is remembered (its header is the codec's own) and remembered
// correctly: a changed byte, another algorithm under the key's kid, and
// the old key's expiry are refused as they would be the first time.
func TestAsymmetricSessions(t *testing.T) {
	keep := time.Hour
	for _, alg := range asymmetricAlgs {
		t.Run(alg, func(t *testing.T) {
			ks := newKeys(t)
			old := ks.Signing()
			before, err := newCodec(t, ks, session.Options{}).Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			if err := ks.RotateWith(epoch, keys.RotateOptions{Alg: alg, Keep: keep}); err != nil {
				t.Fatal(err)
			}
			k := ks.Signing()
			c := newCodec(t, ks, session.Options{})
			staged, err := c.Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			if a, kid := headerOf(t, staged); a != keys.AlgHS512 || kid != old.ID {
				t.Errorf("while staged: %s %s, want the old HS512 key", a, kid)
			}
			at := epoch.Add(keys.StagingPeriod)
			tok, err := c.Encode(sampleClaims(), at)
			if err != nil {
				t.Fatal(err)
			}
			if a, kid := headerOf(t, tok); a != alg || kid != k.ID {
				t.Fatalf("after staging: %s %s, want %s %s", a, kid, alg, k.ID)
			}
			if !c.Owns(tok) {
				t.Error("the codec does not own its own token (its header is not the fixed one)")
			}
			jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := jws.Verify(k.Public()); err != nil {
				t.Errorf("go-jose: %v", err)
			}
			for range 2 { // the second time, remembered
				for _, tk := range []string{before, staged, tok} {
					if cl, err := c.Decode(tk, at); err != nil || cl.Name != "Monalisa Octocat" {
						t.Errorf("Decode: %v", err)
					}
				}
			}
			// A changed payload byte, with the remembered signature.
			parts := strings.Split(tok, ".")
			payload, _ := b64.DecodeString(parts[1])
			forged := parts[0] + "." + b64.EncodeToString([]byte(strings.Replace(string(payload), "Monalisa", "Mallory!", 1))) + "." + parts[2]
			if _, err := c.Decode(forged, at); !errors.Is(err, jwt.ErrSignature) {
				t.Errorf("forged payload: %v, want ErrSignature", err)
			}
			// The key's kid with HS512 (keyed with anything): the key decides.
			hs := b64.EncodeToString([]byte(`{"alg":"HS512","kid":"`+k.ID+`","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2]
			if _, err := c.Decode(hs, at); !errors.Is(err, jwt.ErrAlgorithm) {
				t.Errorf("HS512 under the %s key's kid: %v, want ErrAlgorithm", alg, err)
			}
			// The old key expires: its remembered tokens are refused.
			end := at.Add(keep)
			if _, err := c.Decode(before, end); !errors.Is(err, jwt.ErrUnknownKey) {
				t.Errorf("old key's session after its expiry: %v, want ErrUnknownKey", err)
			}
			if _, err := c.Decode(tok, end); err != nil {
				t.Errorf("new key's session: %v", err)
			}
		})
	}
}

// BenchmarkDecodeAlg is the whole check of a signed session (signature,
// parse, times; nothing remembered) for each signing algorithm, HS512
// first: docs/PERFORMANCE.md gives each as a ratio to HS512 measured in
// the same run. Run:
//
//	go test ./runtime/session -run '^$' -bench 'DecodeAlg|EncodeAlg' -benchmem -count 5
func BenchmarkDecodeAlg(b *testing.B) {
	for _, alg := range keys.SigningAlgs {
		b.Run(alg, func(b *testing.B) {
			c, tok, now := algCodec(b, alg)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.DecodeFull(tok, now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(tok)), "token-bytes")
		})
	}
}

// BenchmarkEncodeAlg is the signing of a session (a sign-in or a renewal)
// for each signing algorithm.
func BenchmarkEncodeAlg(b *testing.B) {
	for _, alg := range keys.SigningAlgs {
		b.Run(alg, func(b *testing.B) {
			c, _, now := algCodec(b, alg)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Encode(benchClaims(), now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// algCodec is a codec whose signing key has alg, and a token it signed.
func algCodec(b *testing.B, alg string) (*session.Codec, string, time.Time) {
	b.Helper()
	ks, err := keys.Generate()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	if alg != keys.AlgHS512 {
		if err := ks.RotateWith(now, keys.RotateOptions{Alg: alg, Keep: time.Hour, Now: true}); err != nil {
			b.Fatal(err)
		}
	}
	c, err := session.NewCodec(ks, now, session.Options{})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := c.Encode(benchClaims(), now)
	if err != nil {
		b.Fatal(err)
	}
	return c, tok, now
}
