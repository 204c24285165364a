package totp_test

import (
	"encoding/base32"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/totp"
)

// rfcSecret is RFC 6238 appendix B's SHA-1 key, "12345678901234567890".
var rfcSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))

// TestRFC6238Vectors: the SHA-1 test vectors of RFC 6238 appendix B, to
// their last 6 digits (the RFC prints 8).
func TestRFC6238Vectors(t *testing.T) {
	for _, c := range []struct {
		unix int64
		want string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	} {
		got, err := totp.Code(rfcSecret, totp.Step(time.Unix(c.unix, 0)))
		if err != nil || got != c.want {
			t.Errorf("Code at %d = %q, %v; want %q", c.unix, got, err, c.want)
		}
	}
}

func TestVerify(t *testing.T) {
	secret := totp.NewSecret()
	now := time.Date(2035, 3, 1, 12, 0, 15, 0, time.UTC)
	step := totp.Step(now)
	for _, d := range []int64{-1, 0, 1} {
		c, _ := totp.Code(secret, step+d)
		got, ok, err := totp.Verify(secret, c[:3]+" "+c[3:], now)
		if err != nil || !ok || got != step+d {
			t.Errorf("code of step %+d: Verify = %d, %v, %v; want %d, true", d, got, ok, err, step+d)
		}
	}
	for _, d := range []int64{-2, 2} {
		c, _ := totp.Code(secret, step+d)
		if _, ok, _ := totp.Verify(secret, c, now); ok {
			t.Errorf("code of step %+d accepted outside the skew", d)
		}
	}
	for _, typed := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok, err := totp.Verify(secret, typed, now); ok || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want false, nil", typed, ok, err)
		}
	}
	if _, _, err := totp.Verify("not base32!", "123456", now); !errors.Is(err, totp.ErrSecret) {
		t.Errorf("bad secret: err = %v, want ErrSecret", err)
	}
}

func TestNewSecret(t *testing.T) {
	a, b := totp.NewSecret(), totp.NewSecret()
	if len(a) != 32 || a == b {
		t.Fatalf("NewSecret = %q, %q: want 32 characters, different", a, b)
	}
	if _, err := totp.Code(a, 1); err != nil {
		t.Fatal(err)
	}
}

func TestURI(t *testing.T) {
	u, err := url.Parse(totp.URI("Acme Inc", "ada@example.com", "JBSWY3DPEHPK3PXP"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Acme Inc:ada@example.com" ||
		q.Get("secret") != "JBSWY3DPEHPK3PXP" || q.Get("issuer") != "Acme Inc" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URI = %s", u)
	}
}

func FuzzVerifyCode(f *testing.F) {
	f.Add([]byte("12345678901234567890"), int64(1234567890))
	f.Fuzz(func(t *testing.T, key []byte, unix int64) {
		if len(key) != totp.SecretSize || unix < 0 || unix > 1<<40 {
			return
		}
		secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key)
		now := time.Unix(unix, 0)
		c, err := totp.Code(secret, totp.Step(now))
		if err != nil || len(c) != totp.Digits {
			t.Fatalf("Code = %q, %v", c, err)
		}
		if step, ok, err := totp.Verify(secret, c, now); err != nil || !ok || (step != totp.Step(now) && step != totp.Step(now)+1 && step != totp.Step(now)-1) {
			t.Fatalf("Verify of its own code = %d, %v, %v", step, ok, err)
		}
	})
}
