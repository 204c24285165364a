package session_test

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/jwt"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/session"
)

var (
	epoch = time.Unix(1_800_000_000, 0)
	b64   = base64.RawURLEncoding
)

func newKeys(t *testing.T) *keys.Set {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func newCodec(t *testing.T, ks *keys.Set, opts session.Options) *session.Codec {
	t.Helper()
	c, err := session.NewCodec(ks, epoch, opts)
	if err != nil {
		t.Fatalf("NewCodec: %v", err)
	}
	return c
}

func sampleClaims() *session.Claims {
	return &session.Claims{
		Subject:  "github:583231",
		Name:     "Monalisa Octocat",
		Email:    "monalisa@example.com",
		Picture:  "https://avatars.example/u/583231",
		Provider: "github",
	}
}

// signRaw signs an arbitrary payload with the set's active signing key the
// way authgen does, to test claims Encode would never write.
func signRaw(t *testing.T, ks *keys.Set, payload string) string {
	t.Helper()
	k := ks.Signing()
	input := b64.EncodeToString([]byte(`{"alg":"HS512","kid":"`+k.ID+`","typ":"JWT"}`)) + "." + b64.EncodeToString([]byte(payload))
	m := hmac.New(sha512.New, k.Secret)
	m.Write([]byte(input))
	return input + "." + b64.EncodeToString(m.Sum(nil))
}

// encryptRaw encrypts an arbitrary payload with the set's active key.
func encryptRaw(t *testing.T, ks *keys.Set, payload string) string {
	t.Helper()
	c, err := jwt.New(ks, epoch)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Encrypt([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestNewCodecOptions(t *testing.T) {
	ks := newKeys(t)
	tests := []struct {
		name    string
		opts    session.Options
		want    session.Options
		wantErr bool
	}{
		{"defaults", session.Options{},
			session.Options{Protection: session.Signed, MaxAge: session.DefaultMaxAge, UpdateAge: session.DefaultUpdateAge,
				AbsoluteMaxAge: session.DefaultAbsoluteMaxAge, Leeway: session.DefaultLeeway}, false},
		{"encrypted", session.Options{Protection: session.Encrypted, MaxAge: time.Hour, UpdateAge: time.Minute, AbsoluteMaxAge: 8 * time.Hour, Leeway: time.Second},
			session.Options{Protection: session.Encrypted, MaxAge: time.Hour, UpdateAge: time.Minute, AbsoluteMaxAge: 8 * time.Hour, Leeway: time.Second}, false},
		{"negative durations take defaults", session.Options{MaxAge: -1, UpdateAge: -1, Leeway: -1},
			session.Options{Protection: session.Signed, MaxAge: session.DefaultMaxAge, UpdateAge: session.DefaultUpdateAge,
				AbsoluteMaxAge: session.DefaultAbsoluteMaxAge, Leeway: session.DefaultLeeway}, false},
		{"default absolute lifetime is maxAge when longer", session.Options{MaxAge: 90 * 24 * time.Hour},
			session.Options{Protection: session.Signed, MaxAge: 90 * 24 * time.Hour, UpdateAge: session.DefaultUpdateAge,
				AbsoluteMaxAge: 90 * 24 * time.Hour, Leeway: session.DefaultLeeway}, false},
		{"absolute lifetime off", session.Options{AbsoluteMaxAge: session.NoAbsoluteMaxAge},
			session.Options{Protection: session.Signed, MaxAge: session.DefaultMaxAge, UpdateAge: session.DefaultUpdateAge,
				AbsoluteMaxAge: session.NoAbsoluteMaxAge, Leeway: session.DefaultLeeway}, false},
		{"absolute lifetime equal to maxAge", session.Options{MaxAge: time.Hour, UpdateAge: time.Minute, AbsoluteMaxAge: time.Hour},
			session.Options{Protection: session.Signed, MaxAge: time.Hour, UpdateAge: time.Minute, AbsoluteMaxAge: time.Hour, Leeway: session.DefaultLeeway}, false},
		{"unknown protection", session.Options{Protection: "plain"}, session.Options{}, true},
		{"updateAge not below maxAge", session.Options{MaxAge: time.Hour, UpdateAge: time.Hour}, session.Options{}, true},
		{"absolute lifetime below maxAge", session.Options{MaxAge: 48 * time.Hour, AbsoluteMaxAge: 24 * time.Hour}, session.Options{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := session.NewCodec(ks, epoch, tt.opts)
			if tt.wantErr {
				if err == nil {
					t.Fatal("NewCodec accepted invalid options")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Options(); got != tt.want {
				t.Errorf("Options() = %+v, want %+v", got, tt.want)
			}
		})
	}
	if _, err := session.NewCodec(&keys.Set{}, epoch, session.Options{}); !errors.Is(err, keys.ErrInvalid) {
		t.Errorf("NewCodec(empty set) error = %v, want keys.ErrInvalid", err)
	}
}

func TestEncodeDecode(t *testing.T) {
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			ks := newKeys(t)
			c := newCodec(t, ks, session.Options{Protection: p, MaxAge: time.Hour})
			tests := []struct {
				name   string
				claims *session.Claims
			}{
				{"minimal", &session.Claims{Subject: "u1"}},
				{"profile", sampleClaims()},
				{"unicode and escapes", &session.Claims{Subject: "u2", Name: "Zoë \"Q\" O'Brien\\ 日本 \u2028", Email: "zoe@example.com"}},
				{"data", &session.Claims{Subject: "u3", Data: json.RawMessage(`{"role":"admin","teams":[1,2]}`)}},
				{"fixed id and nbf", &session.Claims{Subject: "u4", ID: "fixed-id", NotBefore: epoch.Unix() - 10}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					tok, err := c.Encode(tt.claims, epoch)
					if err != nil {
						t.Fatalf("Encode: %v", err)
					}
					wantSegs := 3
					if p == session.Encrypted {
						wantSegs = 5
					}
					if n := len(strings.Split(tok, ".")); n != wantSegs {
						t.Errorf("%s token has %d segments, want %d", p, n, wantSegs)
					}
					if p == session.Encrypted && strings.Contains(tok, b64.EncodeToString([]byte(`{"sub":"`))) {
						t.Error("encrypted token shows its claims")
					}
					if tt.claims.IssuedAt != epoch.Unix() || tt.claims.Expiry != epoch.Add(time.Hour).Unix() || tt.claims.ID == "" {
						t.Errorf("Encode stamped iat=%d exp=%d jti=%q", tt.claims.IssuedAt, tt.claims.Expiry, tt.claims.ID)
					}
					got, err := c.Decode(tok, epoch)
					if err != nil {
						t.Fatalf("Decode: %v", err)
					}
					if !reflect.DeepEqual(got, tt.claims) {
						t.Errorf("Decode = %+v\nwant     %+v", got, tt.claims)
					}
					if !got.Expires().Equal(epoch.Add(time.Hour)) || got.Expires().Location() != time.UTC {
						t.Errorf("Expires() = %v", got.Expires())
					}
				})
			}
		})
	}
}

func TestEncodeRandomID(t *testing.T) {
	c := newCodec(t, newKeys(t), session.Options{})
	a, b := sampleClaims(), sampleClaims()
	if _, err := c.Encode(a, epoch); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Encode(b, epoch); err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID || len(a.ID) != 22 {
		t.Errorf("jti %q and %q: want distinct 16-byte base64url IDs", a.ID, b.ID)
	}
}

func TestAccountTokens(t *testing.T) {
	account := &session.AccountTokens{
		Provider: "github", ProviderAccountID: "583231",
		AccessToken: "gho_secret", RefreshToken: "ghr_secret", ExpiresAt: 1_800_003_600,
		TokenType: "bearer", Scope: "read:user user:email", IDToken: "id.token.value",
	}
	t.Run("refused in signed session", func(t *testing.T) {
		c := newCodec(t, newKeys(t), session.Options{Protection: session.Signed})
		cl := sampleClaims()
		cl.Account = account
		tok, err := c.Encode(cl, epoch)
		if !errors.Is(err, session.ErrTokensInSignedSession) {
			t.Fatalf("Encode error = %v, want ErrTokensInSignedSession", err)
		}
		if tok != "" {
			t.Errorf("Encode returned a token %q with its error", tok)
		}
	})
	t.Run("refused in default (signed) session", func(t *testing.T) {
		c := newCodec(t, newKeys(t), session.Options{})
		cl := sampleClaims()
		cl.Account = account
		if _, err := c.Encode(cl, epoch); !errors.Is(err, session.ErrTokensInSignedSession) {
			t.Fatalf("Encode error = %v, want ErrTokensInSignedSession", err)
		}
	})
	t.Run("kept in encrypted session", func(t *testing.T) {
		c := newCodec(t, newKeys(t), session.Options{Protection: session.Encrypted})
		cl := sampleClaims()
		cl.Account = account
		tok, err := c.Encode(cl, epoch)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(tok, "gho_secret") {
			t.Error("token shows the access token")
		}
		got, err := c.Decode(tok, epoch)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Account, account) {
			t.Errorf("Account = %+v, want %+v", got.Account, account)
		}
	})
}

func TestDecodeTimes(t *testing.T) {
	const maxAge = time.Hour
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			c := newCodec(t, newKeys(t), session.Options{Protection: p, MaxAge: maxAge})
			tok, err := c.Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			exp := epoch.Add(maxAge)
			tests := []struct {
				name string
				at   time.Time
				want error
			}{
				{"at issue", epoch, nil},
				{"half way", epoch.Add(maxAge / 2), nil},
				{"at exp", exp, nil},
				{"within leeway after exp", exp.Add(session.DefaultLeeway), nil},
				{"one second beyond leeway", exp.Add(session.DefaultLeeway + time.Second), session.ErrExpired},
				{"long expired", exp.Add(24 * time.Hour), session.ErrExpired},
				{"iat in the future within leeway", epoch.Add(-session.DefaultLeeway), nil},
				{"iat in the future beyond leeway", epoch.Add(-session.DefaultLeeway - time.Second), session.ErrNotYetValid},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := c.Decode(tok, tt.at)
					if tt.want == nil {
						if err != nil || got == nil {
							t.Fatalf("Decode = %v, %v; want claims", got, err)
						}
						return
					}
					if !errors.Is(err, tt.want) || !errors.Is(err, jwt.ErrInvalid) {
						t.Fatalf("Decode error = %v, want %v wrapping jwt.ErrInvalid", err, tt.want)
					}
					if got != nil {
						t.Error("Decode returned claims with its error")
					}
				})
			}
		})
	}
}

func TestDecodeCustomLeeway(t *testing.T) {
	c := newCodec(t, newKeys(t), session.Options{MaxAge: time.Hour, Leeway: time.Minute})
	tok, err := c.Encode(sampleClaims(), epoch)
	if err != nil {
		t.Fatal(err)
	}
	exp := epoch.Add(time.Hour)
	if _, err := c.Decode(tok, exp.Add(time.Minute)); err != nil {
		t.Errorf("within a 1 min leeway: %v", err)
	}
	if _, err := c.Decode(tok, exp.Add(time.Minute+time.Second)); !errors.Is(err, session.ErrExpired) {
		t.Errorf("beyond a 1 min leeway: %v, want ErrExpired", err)
	}
}

// TestDecodeClaims feeds hand-made, correctly signed or encrypted payloads.
func TestDecodeClaims(t *testing.T) {
	now := epoch.Unix()
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	tests := []struct {
		name    string
		payload string
		want    error // nil: accepted
	}{
		{"valid", `{"sub":"u","iat":` + num(now) + `,"exp":` + num(now+60) + `,"jti":"x"}`, nil},
		{"nbf now", `{"sub":"u","iat":` + num(now) + `,"nbf":` + num(now) + `,"exp":` + num(now+60) + `}`, nil},
		{"nbf in the future within leeway", `{"sub":"u","iat":` + num(now) + `,"nbf":` + num(now+15) + `,"exp":` + num(now+60) + `}`, nil},
		{"nbf in the future", `{"sub":"u","iat":` + num(now) + `,"nbf":` + num(now+16) + `,"exp":` + num(now+60) + `}`, session.ErrNotYetValid},
		{"iat in the future", `{"sub":"u","iat":` + num(now+3600) + `,"exp":` + num(now+7200) + `}`, session.ErrNotYetValid},
		{"missing exp", `{"sub":"u","iat":` + num(now) + `}`, jwt.ErrMalformed},
		{"missing iat", `{"sub":"u","exp":` + num(now+60) + `}`, jwt.ErrMalformed},
		{"zero exp", `{"sub":"u","iat":` + num(now) + `,"exp":0}`, jwt.ErrMalformed},
		{"null exp", `{"sub":"u","iat":` + num(now) + `,"exp":null}`, jwt.ErrMalformed},
		{"expired", `{"sub":"u","iat":` + num(now-7200) + `,"exp":` + num(now-3600) + `}`, session.ErrExpired},
		{"exp as string", `{"sub":"u","iat":` + num(now) + `,"exp":"` + num(now+60) + `"}`, jwt.ErrMalformed},
		{"exp as float", `{"sub":"u","iat":` + num(now) + `,"exp":1.5e9}`, jwt.ErrMalformed},
		{"sub as number", `{"sub":1,"iat":` + num(now) + `,"exp":` + num(now+60) + `}`, jwt.ErrMalformed},
		{"not JSON", `not json`, jwt.ErrMalformed},
		{"JSON array", `[]`, jwt.ErrMalformed},
		{"empty payload", ``, jwt.ErrMalformed},
		{"empty object", `{}`, jwt.ErrMalformed},
		{"with whitespace", `{ "sub" : "u", "iat" : ` + num(now) + ` , "exp" : ` + num(now+60) + ` }`, nil},
		{"with data", `{"sub":"u","iat":` + num(now) + `,"exp":` + num(now+60) + `,"data":{"a":[1,2]}}`, nil},
		{"unknown member", `{"sub":"u","iat":` + num(now) + `,"exp":` + num(now+60) + `,"extra":true}`, nil},
	}
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			ks := newKeys(t)
			c := newCodec(t, ks, session.Options{Protection: p})
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var tok string
					if p == session.Signed {
						tok = signRaw(t, ks, tt.payload)
					} else {
						tok = encryptRaw(t, ks, tt.payload)
					}
					got, err := c.Decode(tok, epoch)
					if tt.want == nil {
						if err != nil {
							t.Fatalf("Decode: %v", err)
						}
						var want session.Claims
						if err := json.Unmarshal([]byte(tt.payload), &want); err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(got, &want) {
							t.Errorf("Decode = %+v, want %+v", got, want)
						}
						return
					}
					if !errors.Is(err, tt.want) || !errors.Is(err, jwt.ErrInvalid) {
						t.Fatalf("Decode error = %v, want %v wrapping jwt.ErrInvalid", err, tt.want)
					}
				})
			}
		})
	}
}

func TestDecodeWrongProtection(t *testing.T) {
	ks := newKeys(t)
	signed := newCodec(t, ks, session.Options{Protection: session.Signed})
	encrypted := newCodec(t, ks, session.Options{Protection: session.Encrypted})
	st, err := signed.Encode(sampleClaims(), epoch)
	if err != nil {
		t.Fatal(err)
	}
	et, err := encrypted.Encode(sampleClaims(), epoch)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		codec *session.Codec
		token string
	}{
		{"signed token to encrypted codec", encrypted, st},
		{"encrypted token to signed codec", signed, et},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.codec.Decode(tt.token, epoch)
			if !errors.Is(err, jwt.ErrInvalid) {
				t.Fatalf("Decode error = %v, want jwt.ErrInvalid", err)
			}
			if got != nil {
				t.Error("Decode returned claims")
			}
		})
	}
}

func TestDecodeTampered(t *testing.T) {
	ks := newKeys(t)
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			c := newCodec(t, ks, session.Options{Protection: p})
			tok, err := c.Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			other := newCodec(t, newKeys(t), session.Options{Protection: p})
			foreign, err := other.Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			parts := strings.Split(tok, ".")
			mid := len(parts) - 2 // payload or ciphertext
			b := []byte(parts[mid])
			b[len(b)/2] ^= 'A' ^ 'B'
			if b[len(b)/2] == parts[mid][len(b)/2] {
				t.Fatal("tamper did nothing")
			}
			parts[mid] = string(b)
			for name, bad := range map[string]string{
				"tampered":     strings.Join(parts, "."),
				"other keys":   foreign,
				"empty":        "",
				"garbage":      "a.b.c",
				"garbage five": "a.b.c.d.e",
			} {
				t.Run(name, func(t *testing.T) {
					if _, err := c.Decode(bad, epoch); !errors.Is(err, jwt.ErrInvalid) {
						t.Errorf("Decode error = %v, want jwt.ErrInvalid", err)
					}
				})
			}
		})
	}
}

func TestNeedsUpdate(t *testing.T) {
	const updateAge = time.Hour
	c := newCodec(t, newKeys(t), session.Options{UpdateAge: updateAge, MaxAge: 24 * time.Hour})
	cl := sampleClaims()
	if _, err := c.Encode(cl, epoch); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"at issue", epoch, false},
		{"before update age", epoch.Add(updateAge - time.Second), false},
		{"at update age", epoch.Add(updateAge), true},
		{"after update age", epoch.Add(updateAge + time.Minute), true},
		{"clock behind", epoch.Add(-time.Minute), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NeedsUpdate(cl, tt.at); got != tt.want {
				t.Errorf("NeedsUpdate at +%v = %v, want %v", tt.at.Sub(epoch), got, tt.want)
			}
		})
	}
}

func TestDecodeAfterRotation(t *testing.T) {
	ks := newKeys(t)
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			c := newCodec(t, ks, session.Options{Protection: p})
			tok, err := c.Encode(sampleClaims(), epoch)
			if err != nil {
				t.Fatal(err)
			}
			rotated, err := keys.Parse(mustMarshal(t, ks))
			if err != nil {
				t.Fatal(err)
			}
			if err := rotated.Rotate(epoch, session.DefaultMaxAge); err != nil {
				t.Fatal(err)
			}
			c2, err := session.NewCodec(rotated, epoch, session.Options{Protection: p})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c2.Decode(tok, epoch.Add(time.Hour)); err != nil {
				t.Errorf("Decode after rotation: %v", err)
			}
		})
	}
}

func mustMarshal(t *testing.T, ks *keys.Set) []byte {
	t.Helper()
	b, err := ks.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeDoesNotAlias checks that claims decoded from pooled buffers are
// not overwritten by later decodes.
func TestDecodeDoesNotAlias(t *testing.T) {
	for _, p := range []session.Protection{session.Signed, session.Encrypted} {
		t.Run(string(p), func(t *testing.T) {
			c := newCodec(t, newKeys(t), session.Options{Protection: p})
			first := &session.Claims{Subject: "first-subject", Name: "First", Data: json.RawMessage(`{"n":"first"}`)}
			second := &session.Claims{Subject: "second-subject", Name: "Second", Data: json.RawMessage(`{"n":"other"}`)}
			t1, err := c.Encode(first, epoch)
			if err != nil {
				t.Fatal(err)
			}
			t2, err := c.Encode(second, epoch)
			if err != nil {
				t.Fatal(err)
			}
			plain := &session.Claims{Subject: "plain-subject-1", Name: "Plain"}
			t3, err := c.Encode(plain, epoch)
			if err != nil {
				t.Fatal(err)
			}
			g1, err := c.Decode(t1, epoch)
			if err != nil {
				t.Fatal(err)
			}
			g3, err := c.Decode(t3, epoch)
			if err != nil {
				t.Fatal(err)
			}
			for range 10 {
				if _, err := c.Decode(t2, epoch); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(g1, first) {
				t.Errorf("first claims changed to %+v", g1)
			}
			if !reflect.DeepEqual(g3, plain) {
				t.Errorf("plain claims changed to %+v", g3)
			}
		})
	}
}

// TestAbsoluteLifetime: a session renewed every day while it is used still
// ends 30 days after sign-in (ASVS 3.3.2): each renewal keeps auth_time,
// the token renewed on day 29 expires at day 30, not 7 days later, and a
// token past that is refused even if its exp were later.
func TestAbsoluteLifetime(t *testing.T) {
	ks := newKeys(t)
	const day = 24 * time.Hour
	end := epoch.Add(30 * day)

	// The defaults: maxAge and the absolute lifetime are both 30 days, so
	// no renewal could extend a session, and none is due.
	c := newCodec(t, ks, session.Options{})
	cl := sampleClaims()
	tok, err := c.Encode(cl, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if cl.AuthTime != epoch.Unix() || cl.Expiry != end.Unix() {
		t.Fatalf("at sign-in auth_time %d exp %d, want %d and 30 days later", cl.AuthTime, cl.Expiry, epoch.Unix())
	}
	got, err := c.Decode(tok, epoch.Add(29*day))
	if err != nil {
		t.Fatalf("day 29: %v", err)
	}
	if c.NeedsUpdate(got, epoch.Add(29*day)) {
		t.Error("day 29, defaults: due for renewal, which cannot extend the session")
	}
	if _, err := c.Decode(tok, end.Add(time.Minute)); !errors.Is(err, session.ErrExpired) {
		t.Errorf("a minute after 30 days: Decode error %v, want ErrExpired", err)
	}

	// maxAge 7 days: used and renewed every day, the session still ends at
	// day 30.
	c = newCodec(t, ks, session.Options{MaxAge: 7 * day})
	cl = sampleClaims()
	if tok, err = c.Encode(cl, epoch); err != nil {
		t.Fatal(err)
	}
	signIn := cl.AuthTime
	for d := 1; d <= 29; d++ {
		now := epoch.Add(time.Duration(d) * day)
		got, err := c.Decode(tok, now)
		if err != nil {
			t.Fatalf("day %d: %v", d, err)
		}
		if !c.NeedsUpdate(got, now) {
			// From day 23 the token lasts until day 30 already.
			if got.Expiry != end.Unix() {
				t.Fatalf("day %d: not due for renewal, expiring at %s", d, time.Unix(got.Expiry, 0).UTC())
			}
			continue
		}
		got.ID = ""
		if tok, err = c.Encode(got, now); err != nil {
			t.Fatal(err)
		}
		if got.AuthTime != signIn {
			t.Fatalf("day %d: renewal moved auth_time from %d to %d", d, signIn, got.AuthTime)
		}
		if want := min(now.Add(7*day).Unix(), end.Unix()); got.Expiry != want {
			t.Fatalf("day %d: renewed exp %s, want %s", d, time.Unix(got.Expiry, 0).UTC(), time.Unix(want, 0).UTC())
		}
	}
	last, err := c.Decode(tok, epoch.Add(29*day+23*time.Hour))
	if last != nil && time.Unix(last.IssuedAt, 0).Before(epoch.Add(23*day)) {
		t.Errorf("the last renewal was at %s, want day 23 (renewed every day until then)", time.Unix(last.IssuedAt, 0).UTC())
	}
	if err != nil {
		t.Fatal(err)
	}
	if last.Expiry != end.Unix() {
		t.Errorf("the token renewed on day 29 expires at %s, want day 30", time.Unix(last.Expiry, 0).UTC())
	}
	if c.NeedsUpdate(last, epoch.Add(29*day+23*time.Hour)) {
		t.Error("a token that lasts until the end of its absolute lifetime is due for renewal, which cannot extend it")
	}
	if _, err := c.Decode(tok, end.Add(time.Minute)); !errors.Is(err, session.ErrExpired) {
		t.Errorf("a minute after 30 days: Decode error %v, want ErrExpired", err)
	}

	// A codec with a longer absolute lifetime issues a token whose exp lies
	// past 30 days: the absolute lifetime is checked on its own.
	long := newCodec(t, ks, session.Options{MaxAge: 7 * day, AbsoluteMaxAge: 60 * day})
	cl = sampleClaims()
	cl.AuthTime = epoch.Unix()
	if tok, err = long.Encode(cl, epoch.Add(29*day)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Decode(tok, end.Add(time.Hour)); !errors.Is(err, session.ErrExpired) {
		t.Errorf("a token whose exp lies past the absolute lifetime, read after it: Decode error %v, want ErrExpired", err)
	}
	if _, err := c.Decode(tok, end.Add(-time.Minute)); err != nil {
		t.Errorf("the same token just before 30 days: %v", err)
	}

	// Off: the renewed token expires maxAge after its renewal.
	off := newCodec(t, ks, session.Options{MaxAge: 7 * day, AbsoluteMaxAge: session.NoAbsoluteMaxAge})
	cl = sampleClaims()
	cl.AuthTime = epoch.Unix()
	if tok, err = off.Encode(cl, epoch.Add(29*day)); err != nil {
		t.Fatal(err)
	}
	if cl.Expiry != epoch.Add(36*day).Unix() {
		t.Errorf("without an absolute lifetime the day-29 renewal expires at %s, want day 36", time.Unix(cl.Expiry, 0).UTC())
	}
	if _, err := off.Decode(tok, epoch.Add(35*day)); err != nil {
		t.Errorf("without an absolute lifetime, day 35: %v", err)
	}
}

// TestAuthTimeClaims: auth_time and sid round-trip through both parsers,
// and a token whose auth_time lies after its iat is malformed.
func TestAuthTimeClaims(t *testing.T) {
	c := newCodec(t, newKeys(t), session.Options{})
	cl := sampleClaims()
	cl.SessionID = "c2Vzc2lvbi1pZA"
	cl.AuthTime = epoch.Add(-time.Hour).Unix()
	tok, err := c.Encode(cl, epoch)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Decode(tok, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if got.SessionID != cl.SessionID || got.AuthTime != cl.AuthTime {
		t.Errorf("decoded sid %q auth_time %d, want %q %d", got.SessionID, got.AuthTime, cl.SessionID, cl.AuthTime)
	}
	cl = sampleClaims()
	cl.AuthTime = epoch.Add(time.Hour).Unix()
	if tok, err = c.Encode(cl, epoch); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Decode(tok, epoch); !errors.Is(err, jwt.ErrMalformed) {
		t.Errorf("auth_time after iat: Decode error %v, want jwt.ErrMalformed", err)
	}
}
