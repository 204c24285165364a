// Package twofactor tests authgen's two-factor sign-in against independent
// implementations: runtime/totp's codes against github.com/pquerna/otp's.
package twofactor

import (
	"encoding/base32"
	"testing"
	"time"

	"github.com/pquerna/otp"
	ptotp "github.com/pquerna/otp/totp"

	"github.com/authgen/authgen/runtime/totp"
)

// FuzzAgainstPquerna: for any 20-byte secret and any time, runtime/totp
// computes the code pquerna/otp computes, each accepts the other's code,
// and a code pquerna/otp computes for a step more than one away is refused.
func FuzzAgainstPquerna(f *testing.F) {
	f.Add([]byte("12345678901234567890"), int64(59))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), int64(2000000000))
	f.Add([]byte("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0\xef\xee\xed\xec"), int64(1<<33))
	f.Fuzz(func(t *testing.T, key []byte, unix int64) {
		if len(key) != totp.SecretSize || unix < 0 || unix > 1<<40 {
			t.Skip()
		}
		secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key)
		now := time.Unix(unix, 0).UTC()
		opts := ptotp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
		want, err := ptotp.GenerateCodeCustom(secret, now, opts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := totp.Code(secret, totp.Step(now))
		if err != nil || got != want {
			t.Fatalf("totp.Code = %q, %v; pquerna/otp %q", got, err, want)
		}
		if _, ok, err := totp.Verify(secret, want, now); !ok || err != nil {
			t.Fatalf("totp.Verify refuses pquerna's code: %v, %v", ok, err)
		}
		if ok, err := ptotp.ValidateCustom(got, secret, now, opts); !ok || err != nil {
			t.Fatalf("pquerna refuses totp's code: %v, %v", ok, err)
		}
		far, _ := ptotp.GenerateCodeCustom(secret, now.Add(-3*totp.Period), opts)
		if _, ok, _ := totp.Verify(secret, far, now); ok && far != got {
			// A code three steps old is accepted only when it happens to
			// equal a code of the window (1 in 10^6 per step).
			if c, _ := totp.Code(secret, totp.Step(now)-1); c != far {
				if c2, _ := totp.Code(secret, totp.Step(now)+1); c2 != far {
					t.Fatalf("a code three steps old (%s) was accepted", far)
				}
			}
		}
	})
}

// TestSecretAgainstPquerna: a secret from totp.NewSecret is one that
// pquerna/otp's key parser reads back from totp.URI.
func TestSecretAgainstPquerna(t *testing.T) {
	secret := totp.NewSecret()
	k, err := otp.NewKeyFromURL(totp.URI("Acme", "ada@example.com", secret))
	if err != nil {
		t.Fatal(err)
	}
	if k.Secret() != secret || k.Issuer() != "Acme" || k.AccountName() != "ada@example.com" || k.Period() != 30 || k.Digits() != otp.DigitsSix {
		t.Errorf("pquerna reads %s as secret %q issuer %q account %q period %d digits %v", k, k.Secret(), k.Issuer(), k.AccountName(), k.Period(), k.Digits())
	}
}
