package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// RSABits is the size of the RSA keys authgen makes for RS256 and PS256.
//
// 2048 bits, not 3072: RFC 7518 §3.3 requires at least 2048; it is what the
// identity providers publish in their own JWKS (Google, Microsoft, Auth0,
// Okta), so every verifier handles it; NIST SP 800-57 rates it at 112 bits
// of security, acceptable through 2030, and a signing key is trusted only
// from one rotation to the next, not for decades; and each sign-in and
// session renewal costs one private-key operation, about four times
// cheaper at 2048 bits than at 3072. A project that wants 128-bit security
// picks ES256 or EdDSA, which give it with smaller, faster keys. Parse
// accepts RSA keys of 2048 bits or more, so a set may hold a 3072-bit key
// made elsewhere.
const RSABits = 2048

// minRSABits is the smallest RSA key Parse accepts (RFC 7518 §3.3).
const minRSABits = 2048

// newAsymmetric returns a new private signing key for alg.
func newAsymmetric(alg string) (Key, error) {
	var priv crypto.Signer
	var err error
	switch alg {
	case AlgES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case AlgEdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	case AlgRS256, AlgPS256:
		priv, err = rsa.GenerateKey(rand.Reader, RSABits)
	default:
		return Key{}, fmt.Errorf("%w %q (want one of %v)", ErrAlg, alg, SigningAlgs)
	}
	if err != nil {
		return Key{}, fmt.Errorf("keys: generate %s: %w", alg, err)
	}
	kid, err := publicThumbprint(priv)
	if err != nil {
		return Key{}, err
	}
	return Key{ID: kid, Use: UseSig, Alg: alg, Private: priv}, nil
}

// publicThumbprint is the RFC 7638 SHA-256 thumbprint of priv's public key
// (RFC 8037 §2 for Ed25519), base64url-encoded.
func publicThumbprint(priv crypto.Signer) (string, error) {
	sum, err := (&jose.JSONWebKey{Key: priv.Public()}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("keys: thumbprint: %w", err)
	}
	return base64URL(sum), nil
}

// parseAsymmetric checks a private signing key go-jose parsed: use sig, an
// algorithm its type supports (EdDSA: OKP Ed25519; ES256: EC P-256; RS256
// and PS256: RSA of at least 2048 bits), a private key (a public one
// cannot sign), and kid equal to its public key's thumbprint.
func parseAsymmetric(meta jwk, parsed *jose.JSONWebKey) (Key, error) {
	if meta.Use != UseSig {
		return Key{}, fmt.Errorf("a %s key must have use sig, not %q (encryption keys are oct A256GCM)", meta.Kty, meta.Use)
	}
	var priv crypto.Signer
	switch k := parsed.Key.(type) {
	case ed25519.PrivateKey:
		if meta.Alg == AlgEdDSA {
			priv = k
		}
	case *ecdsa.PrivateKey:
		if meta.Alg == AlgES256 && k.Curve == elliptic.P256() {
			priv = k
		}
	case *rsa.PrivateKey:
		if meta.Alg == AlgRS256 || meta.Alg == AlgPS256 {
			if k.N.BitLen() < minRSABits {
				return Key{}, fmt.Errorf("RSA key of %d bits: %s needs at least %d", k.N.BitLen(), meta.Alg, minRSABits)
			}
			if err := k.Validate(); err != nil {
				return Key{}, err
			}
			k.Precompute()
			priv = k
		}
	case ed25519.PublicKey, *ecdsa.PublicKey, *rsa.PublicKey:
		return Key{}, errors.New("a public key cannot sign: the set holds private keys (d)")
	}
	if priv == nil {
		return Key{}, fmt.Errorf("kty %q with alg %q: want OKP (Ed25519) with EdDSA, EC (P-256) with ES256, or RSA with RS256 or PS256", meta.Kty, meta.Alg)
	}
	kid, err := publicThumbprint(priv)
	if err != nil {
		return Key{}, err
	}
	if meta.Kid != kid {
		return Key{}, fmt.Errorf("kid %q is not the RFC 7638 thumbprint of the public key", meta.Kid)
	}
	return Key{ID: kid, Use: UseSig, Alg: meta.Alg, Private: priv}, nil
}

// marshalAsymmetric writes k as a private JWK (go-jose's members) with
// authgen's iat, nbf and exp from j.
func marshalAsymmetric(k Key, j jwk) ([]byte, error) {
	raw, err := (&jose.JSONWebKey{Key: k.Private, KeyID: k.ID, Algorithm: k.Alg, Use: k.Use}).MarshalJSON()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for name, v := range map[string]int64{"iat": j.Iat, "nbf": j.Nbf, "exp": j.Exp} {
		if v != 0 {
			m[name] = v
		}
	}
	return json.Marshal(m)
}

// material is the secret HKDF derives a key's secrets from: a symmetric
// key's bytes, an asymmetric key's private scalar or seed (Ed25519's seed,
// P-256's d, RSA's d at the modulus' length).
func (k Key) material() []byte {
	switch p := k.Private.(type) {
	case ed25519.PrivateKey:
		return p.Seed()
	case *ecdsa.PrivateKey:
		b, err := p.Bytes()
		if err != nil { // only for curves ecdh does not know; Parse admits P-256 only
			panic(err)
		}
		return b
	case *rsa.PrivateKey:
		return p.D.FillBytes(make([]byte, p.Size()))
	}
	return k.Secret
}

// publicJWK is one key of the public set: the members RFC 7517, 7518 and
// 8037 define for a public key, and nothing else.
type publicJWK = json.RawMessage

// PublicJWKS returns the public key set services verify session tokens
// with, {"keys":[…]}: the public keys of the asymmetric signing keys valid
// at now (signing, staged and verify-only), each with kty, its public
// members (crv, x, y or n, e), kid, use and alg — never a private member
// or a symmetric key, and an empty list when the set has no asymmetric
// key.
func (s *Set) PublicJWKS(now time.Time) ([]byte, error) {
	out := struct {
		Keys []publicJWK `json:"keys"`
	}{Keys: []publicJWK{}}
	for _, k := range s.Valid(UseSig, now) {
		if !k.Asymmetric() {
			continue
		}
		raw, err := (&jose.JSONWebKey{Key: k.Public(), KeyID: k.ID, Algorithm: k.Alg, Use: k.Use}).MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		out.Keys = append(out.Keys, raw)
	}
	return json.Marshal(out)
}
