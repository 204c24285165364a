package session_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/jwt"
	"github.com/authgen/authgen/runtime/session"
)

// TestDecodeRefusesSubjectless: a validly signed (or encrypted) token
// without a subject is no session.
func TestDecodeRefusesSubjectless(t *testing.T) {
	ks := newKeys(t)
	for _, payload := range []string{
		fmt.Sprintf(`{"sub":"","iat":%d,"exp":%d}`, epoch.Unix(), epoch.Add(time.Hour).Unix()),
		fmt.Sprintf(`{"iat":%d,"exp":%d,"name":"no one"}`, epoch.Unix(), epoch.Add(time.Hour).Unix()),
	} {
		for _, p := range []session.Protection{session.Signed, session.Encrypted} {
			c := newCodec(t, ks, session.Options{Protection: p})
			tok := signRaw(t, ks, payload)
			if p == session.Encrypted {
				tok = encryptRaw(t, ks, payload)
			}
			if _, err := c.Decode(tok, epoch); !errors.Is(err, jwt.ErrMalformed) {
				t.Errorf("%s %s: Decode error %v, want jwt.ErrMalformed", p, payload, err)
			}
		}
	}
	c := newCodec(t, ks, session.Options{})
	if _, err := c.Encode(&session.Claims{Name: "no one"}, epoch); !errors.Is(err, session.ErrNoSubject) {
		t.Errorf("Encode without a subject: %v, want ErrNoSubject", err)
	}
}

// TestDecodeRefusesTooLong: a token whose exp lies more than maxAge (and
// the leeway) after its iat is refused, even while now lies between them —
// also one issued before maxAge was lowered.
func TestDecodeRefusesTooLong(t *testing.T) {
	ks := newKeys(t)
	c := newCodec(t, ks, session.Options{MaxAge: time.Hour, UpdateAge: time.Minute})
	iat := epoch.Unix()
	tests := []struct {
		name string
		exp  int64
		want error
	}{
		{"maxAge", iat + 3600, nil},
		{"maxAge and the leeway", iat + 3600 + 15, nil},
		{"a second beyond", iat + 3600 + 16, session.ErrTooLong},
		{"far beyond", iat + 100*365*24*3600, session.ErrTooLong},
		{"the largest exp", 1<<63 - 1, jwt.ErrInvalid}, // refused as expired: exp+leeway overflows
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := signRaw(t, ks, fmt.Sprintf(`{"sub":"u","iat":%d,"exp":%d}`, iat, tt.exp))
			_, err := c.Decode(tok, epoch.Add(30*time.Minute))
			if !errors.Is(err, tt.want) || (tt.want != nil && !errors.Is(err, jwt.ErrInvalid)) {
				t.Errorf("Decode error %v, want %v", err, tt.want)
			}
		})
	}
	long := newCodec(t, ks, session.Options{MaxAge: 30 * 24 * time.Hour})
	tok, err := long.Encode(sampleClaims(), epoch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Decode(tok, epoch.Add(time.Minute)); !errors.Is(err, session.ErrTooLong) {
		t.Errorf("a 30-day token read after maxAge became an hour: %v, want ErrTooLong", err)
	}
}
