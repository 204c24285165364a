package session_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/jwt"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/session"
)

// TestDecodeRemembered: a token decoded again gives the same claims, as a
// copy: what a caller (a JWT callback) changes in one result is not in
// the next, Data and provider tokens included.
func TestDecodeRemembered(t *testing.T) {
	ks := newKeys(t)
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			c := newCodec(t, ks, session.Options{Protection: p})
			in := sampleClaims()
			in.Data = json.RawMessage(`{"role":"admin"}`)
			if p == session.Encrypted {
				in.Account = &session.AccountTokens{Provider: "github", ProviderAccountID: "583231", AccessToken: "gho_1"}
			}
			tok, err := c.Encode(in, epoch)
			if err != nil {
				t.Fatal(err)
			}
			first, err := c.Decode(tok, epoch)
			if err != nil {
				t.Fatal(err)
			}
			want := *first
			want.Data = append(json.RawMessage(nil), first.Data...)
			if first.Account != nil {
				a := *first.Account
				want.Account = &a
			}
			first.Name, first.Data[2] = "changed", 'X'
			if first.Account != nil {
				first.Account.AccessToken = "changed"
			}
			for i := range 2 {
				again, err := c.Decode(tok, epoch.Add(time.Minute/2))
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(*again, want) {
					t.Fatalf("decode %d = %+v, want %+v", i+2, again, want)
				}
				again.Data[2], again.Subject = 'Y', "other"
			}
		})
	}
}

// TestDecodeRememberedTimes: a remembered token's times are checked at
// every use: past the absolute lifetime (which ends this one's exp), not
// yet valid.
func TestDecodeRememberedTimes(t *testing.T) {
	ks := newKeys(t)
	c := newCodec(t, ks, session.Options{MaxAge: time.Hour, UpdateAge: time.Minute})
	in := sampleClaims()
	in.AuthTime = epoch.Add(-session.DefaultAbsoluteMaxAge + 10*time.Minute).Unix()
	tok, err := c.Encode(in, epoch)
	if err != nil {
		t.Fatal(err)
	}
	// Remembered at its last valid second, until a minute later.
	if _, err := c.Decode(tok, epoch.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Time
		want error
	}{
		{epoch.Add(10*time.Minute + session.DefaultLeeway + time.Second), session.ErrExpired},
		{epoch.Add(-session.DefaultLeeway - time.Second), session.ErrNotYetValid},
		{epoch.Add(5 * time.Second), nil},
	} {
		// Fresh, the same token gives the same answer.
		fresh := newCodec(t, ks, session.Options{MaxAge: time.Hour, UpdateAge: time.Minute})
		_, wantErr := fresh.Decode(tok, tc.at)
		if _, err := c.Decode(tok, tc.at); !errors.Is(err, tc.want) || (err == nil) != (wantErr == nil) {
			t.Errorf("Decode at %s = %v, want %v (a fresh codec: %v)", tc.at.Sub(epoch), err, tc.want, wantErr)
		}
	}
}

// TestDecodeRememberedKeyExpiry: once the key that verified a remembered
// token expires (rotated out), the token is refused as a codec that never
// saw it refuses it.
func TestDecodeRememberedKeyExpiry(t *testing.T) {
	ks := newKeys(t)
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			tok, err := newCodec(t, ks, session.Options{Protection: p}).Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			rotated, err := keys.Parse(mustMarshal(t, ks))
			if err != nil {
				t.Fatal(err)
			}
			if err := rotated.Rotate(epoch, 2*time.Hour); err != nil {
				t.Fatal(err)
			}
			c, err := session.NewCodec(rotated, epoch, session.Options{Protection: p})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Decode(tok, epoch.Add(2*time.Hour-time.Second)); err != nil {
				t.Fatalf("before the key expires: %v", err)
			}
			after := epoch.Add(2 * time.Hour)
			_, err = c.Decode(tok, after)
			fresh, _ := session.NewCodec(rotated, epoch, session.Options{Protection: p})
			_, want := fresh.Decode(tok, after)
			if err == nil || want == nil || err.Error() != want.Error() {
				t.Errorf("after the key expired: %v, a fresh codec: %v", err, want)
			}
		})
	}
}

// TestDecodeRememberedTampered: a token that shares a remembered token's
// MAC or tag but differs in any other byte is verified, and refused.
func TestDecodeRememberedTampered(t *testing.T) {
	ks := newKeys(t)
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			c := newCodec(t, ks, session.Options{Protection: p})
			tok, err := c.Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Decode(tok, epoch); err != nil {
				t.Fatal(err)
			}
			last := strings.LastIndexByte(tok, '.')
			other, err := c.Encode(&session.Claims{Subject: "attacker"}, epoch)
			if err != nil {
				t.Fatal(err)
			}
			for _, bad := range []string{
				other[:strings.LastIndexByte(other, '.')] + tok[last:], // another token's body, this MAC
				"x" + tok,
				tok[:last-1] + string(tok[last-1]^1) + tok[last:],
				tok[:len(tok)-1] + string(tok[len(tok)-1]^1),
				tok + ".",
			} {
				if cl, err := c.Decode(bad, epoch); err == nil || !errors.Is(err, jwt.ErrInvalid) {
					t.Errorf("Decode(%q) = %+v, %v; want an error wrapping jwt.ErrInvalid", bad, cl, err)
				}
			}
			if _, err := c.Decode(tok, epoch); err != nil {
				t.Errorf("the original after the tampered ones: %v", err)
			}
		})
	}
}
