package oauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// ErrClientKey reports a private key that cannot sign client credentials.
var ErrClientKey = errors.New("oauth: unusable client private key")

// appleSecretLifetime is how long an Apple client secret is valid; Apple
// accepts up to six months, a short one limits what a leak is worth.
const appleSecretLifetime = 10 * time.Minute

// AppleClientSecret returns a ClientSecretFunc making Sign in with Apple's
// client secret: an ES256 JWT signed with the .p8 private key of the team's
// key keyID, for the service ID clientID.
//
// Documentation: https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret
func AppleClientSecret(teamID, keyID, clientID string, p8 []byte) (func(time.Time) (string, error), error) {
	key, err := parsePrivateKey(p8)
	if err != nil {
		return nil, err
	}
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: Apple keys are P-256 ECDSA keys", ErrClientKey)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: ec}, (&jose.SignerOptions{}).WithHeader("kid", keyID).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrClientKey, err)
	}
	return func(now time.Time) (string, error) {
		return jwt.Signed(signer).Claims(jwt.Claims{
			Issuer:   teamID,
			Subject:  clientID,
			Audience: jwt.Audience{"https://appleid.apple.com"},
			IssuedAt: jwt.NewNumericDate(now),
			Expiry:   jwt.NewNumericDate(now.Add(appleSecretLifetime)),
		}).Serialize()
	}, nil
}

// PrivateKeyJWT returns a ClientAssertion for private_key_jwt client
// authentication (OpenID Connect Core §9, RFC 7523): a JWT signed with the
// client's private key (PEM, PKCS #8 or EC/RSA), one minute long, with a
// random jti.
func PrivateKeyJWT(clientID, keyID string, pemKey []byte) (func(audience string, now time.Time) (string, error), error) {
	key, err := parsePrivateKey(pemKey)
	if err != nil {
		return nil, err
	}
	alg := jose.RS256
	if _, ok := key.(*ecdsa.PrivateKey); ok {
		alg = jose.ES256
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if keyID != "" {
		opts = opts.WithHeader("kid", keyID)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrClientKey, err)
	}
	return func(audience string, now time.Time) (string, error) {
		return jwt.Signed(signer).Claims(jwt.Claims{
			Issuer:   clientID,
			Subject:  clientID,
			Audience: jwt.Audience{audience},
			ID:       random(),
			IssuedAt: jwt.NewNumericDate(now),
			Expiry:   jwt.NewNumericDate(now.Add(time.Minute)),
		}).Serialize()
	}, nil
}

func parsePrivateKey(pemKey []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(pemKey)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrClientKey)
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
	}
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	return nil, fmt.Errorf("%w: not a PKCS #8, EC or RSA private key", ErrClientKey)
}
