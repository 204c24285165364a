package jwt_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"hash"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authgen/authgen/runtime/jwt"
	"github.com/authgen/authgen/runtime/keys"
)

var b64 = base64.RawURLEncoding

// epoch is the fake "now" of every test.
var epoch = time.Unix(1_800_000_000, 0)

type fixture struct {
	set   *keys.Set
	codec *jwt.Codec
	sig   keys.Key
	enc   keys.Key
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	c, err := jwt.New(ks, epoch)
	if err != nil {
		t.Fatalf("jwt.New: %v", err)
	}
	return &fixture{set: ks, codec: c, sig: ks.Signing(), enc: ks.Encryption()}
}

// segment returns part i of a compact token.
func segment(token string, i int) string { return strings.Split(token, ".")[i] }

// withSegment returns token with part i replaced.
func withSegment(token string, i int, v string) string {
	parts := strings.Split(token, ".")
	parts[i] = v
	return strings.Join(parts, ".")
}

// flipChar changes the character in the middle of a base64url segment to
// another base64url character, so that the decoded bytes change.
func flipChar(s string) string {
	if s == "" {
		return "A"
	}
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// hsToken signs header.payload with HMAC under the given hash.
func hsToken(newHash func() hash.Hash, header string, payload, key []byte) string {
	input := b64.EncodeToString([]byte(header)) + "." + b64.EncodeToString(payload)
	m := hmac.New(newHash, key)
	m.Write([]byte(input))
	return input + "." + b64.EncodeToString(m.Sum(nil))
}

// gcmToken builds a compact JWE by hand: AES-GCM under key with the
// base64url header as additional data.
func gcmToken(t *testing.T, header, encKey string, plaintext, key []byte) string {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	iv := make([]byte, 12)
	if _, err := rand.Read(iv); err != nil {
		t.Fatal(err)
	}
	h := b64.EncodeToString([]byte(header))
	sealed := aead.Seal(nil, iv, plaintext, []byte(h))
	ct, tag := sealed[:len(plaintext)], sealed[len(plaintext):]
	return h + "." + encKey + "." + b64.EncodeToString(iv) + "." + b64.EncodeToString(ct) + "." + b64.EncodeToString(tag)
}

func payloads() map[string][]byte {
	big := make([]byte, 10_000)
	for i := range big {
		big[i] = byte(i)
	}
	return map[string][]byte{
		"empty":  {},
		"json":   []byte(`{"sub":"github:1","exp":1800000000}`),
		"binary": {0, 1, 2, 0xff, 0xfe, '.', '"'},
		"large":  big,
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	f := newFixture(t)
	for name, payload := range payloads() {
		t.Run(name, func(t *testing.T) {
			tok := sign(t, f.codec, payload)
			if n := strings.Count(tok, "."); n != 2 {
				t.Fatalf("JWS has %d dots, want 2", n)
			}
			header, err := b64.DecodeString(segment(tok, 0))
			if err != nil {
				t.Fatal(err)
			}
			if want := `{"alg":"HS512","kid":"` + f.sig.ID + `","typ":"JWT"}`; string(header) != want {
				t.Errorf("header = %s, want %s", header, want)
			}
			got, err := f.codec.Verify(nil, tok, epoch)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !bytes.Equal(got, payload) {
				t.Errorf("Verify = %q, want %q", got, payload)
			}
			// Verify appends to dst.
			got, err = f.codec.Verify([]byte("prefix:"), tok, epoch)
			if err != nil || !bytes.Equal(got, append([]byte("prefix:"), payload...)) {
				t.Errorf("Verify with dst = %q, %v", got, err)
			}
		})
	}
}

func TestEncryptDecryptRoundTrip(t *testing.T) {
	f := newFixture(t)
	for name, payload := range payloads() {
		t.Run(name, func(t *testing.T) {
			tok, err := f.codec.Encrypt(payload)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(tok, "."); n != 4 {
				t.Fatalf("JWE has %d dots, want 4", n)
			}
			if segment(tok, 1) != "" {
				t.Errorf("dir JWE has an encrypted key %q", segment(tok, 1))
			}
			header, err := b64.DecodeString(segment(tok, 0))
			if err != nil {
				t.Fatal(err)
			}
			if want := `{"alg":"dir","enc":"A256GCM","kid":"` + f.enc.ID + `"}`; string(header) != want {
				t.Errorf("header = %s, want %s", header, want)
			}
			if len(payload) > 8 && strings.Contains(tok, b64.EncodeToString(payload[:8])) {
				t.Error("JWE carries the plaintext")
			}
			got, err := f.codec.Decrypt(nil, tok, epoch)
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if !bytes.Equal(got, payload) {
				t.Errorf("Decrypt = %q, want %q", got, payload)
			}
			got, err = f.codec.Decrypt([]byte("prefix:"), tok, epoch)
			if err != nil || !bytes.Equal(got, append([]byte("prefix:"), payload...)) {
				t.Errorf("Decrypt with dst = %q, %v", got, err)
			}
			again, err := f.codec.Encrypt(payload)
			if err != nil {
				t.Fatal(err)
			}
			if again == tok || segment(again, 2) == segment(tok, 2) {
				t.Error("two encryptions share an IV")
			}
		})
	}
}

func TestGoJoseAcceptsCodecTokens(t *testing.T) {
	f := newFixture(t)
	payload := []byte(`{"sub":"user","n":1}`)

	t.Run("JWS", func(t *testing.T) {
		tok := sign(t, f.codec, payload)
		jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.HS512})
		if err != nil {
			t.Fatalf("go-jose ParseSignedCompact: %v", err)
		}
		h := jws.Signatures[0].Protected
		if h.KeyID != f.sig.ID || h.Algorithm != string(jose.HS512) || h.ExtraHeaders[jose.HeaderType] != "JWT" {
			t.Errorf("go-jose read header %+v", h)
		}
		got, err := jws.Verify(f.sig.Secret)
		if err != nil {
			t.Fatalf("go-jose Verify: %v", err)
		}
		if !bytes.Equal(got, payload) {
			t.Errorf("go-jose payload = %q", got)
		}
		if _, err := jws.Verify(f.enc.Secret); err == nil {
			t.Error("go-jose verified with the wrong key")
		}
	})

	t.Run("JWE", func(t *testing.T) {
		tok, err := f.codec.Encrypt(payload)
		if err != nil {
			t.Fatal(err)
		}
		jwe, err := jose.ParseEncryptedCompact(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
		if err != nil {
			t.Fatalf("go-jose ParseEncryptedCompact: %v", err)
		}
		if jwe.Header.KeyID != f.enc.ID {
			t.Errorf("go-jose kid = %q, want %q", jwe.Header.KeyID, f.enc.ID)
		}
		got, err := jwe.Decrypt(f.enc.Secret)
		if err != nil {
			t.Fatalf("go-jose Decrypt: %v", err)
		}
		if !bytes.Equal(got, payload) {
			t.Errorf("go-jose plaintext = %q", got)
		}
	})
}

func TestCodecAcceptsGoJoseJWS(t *testing.T) {
	f := newFixture(t)
	payload := []byte(`{"sub":"from-go-jose"}`)
	fastHeader := segment(sign(t, f.codec, nil), 0)

	goJose := func(opts *jose.SignerOptions) func(t *testing.T) string {
		return func(t *testing.T) string {
			t.Helper()
			s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS512, Key: f.sig.Secret}, opts)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := s.Sign(payload)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := obj.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
	}
	tests := []struct {
		name string
		tok  func(t *testing.T) string
		fast bool // the header is byte-identical to the codec's own
	}{
		{"kid and typ JWT", goJose((&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", f.sig.ID)), true},
		{"no typ", goJose((&jose.SignerOptions{}).WithHeader("kid", f.sig.ID)), false},
		{"extra cty member", goJose((&jose.SignerOptions{}).WithType("JWT").WithContentType("JWT").WithHeader("kid", f.sig.ID)), false},
		{"members in another order", func(*testing.T) string {
			return hsToken(sha512.New, `{"typ":"JWT","kid":"`+f.sig.ID+`","alg":"HS512"}`, payload, f.sig.Secret)
		}, false},
		{"whitespace in header", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg": "HS512", "kid": "`+f.sig.ID+`"}`, payload, f.sig.Secret)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.tok(t)
			if fast := segment(tok, 0) == fastHeader; fast != tt.fast {
				t.Fatalf("header %q: byte-identical to the codec's = %v, want %v", segment(tok, 0), fast, tt.fast)
			}
			got, err := f.codec.Verify(nil, tok, epoch)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !bytes.Equal(got, payload) {
				t.Errorf("Verify = %q, want %q", got, payload)
			}
			got, err = f.codec.Verify([]byte("x"), tok, epoch)
			if err != nil || string(got) != "x"+string(payload) {
				t.Errorf("Verify with dst = %q, %v", got, err)
			}
		})
	}
}

func TestCodecAcceptsGoJoseJWE(t *testing.T) {
	f := newFixture(t)
	payload := []byte(`{"sub":"from-go-jose"}`)
	fastTok, err := f.codec.Encrypt(nil)
	if err != nil {
		t.Fatal(err)
	}
	fastHeader := segment(fastTok, 0)

	goJose := func(opts *jose.EncrypterOptions) func(t *testing.T) string {
		return func(t *testing.T) string {
			t.Helper()
			e, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: f.enc.Secret, KeyID: f.enc.ID}, opts)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := e.Encrypt(payload)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := obj.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
	}
	tests := []struct {
		name string
		tok  func(t *testing.T) string
		fast bool
	}{
		{"kid", goJose(nil), true},
		{"typ JWT", goJose((&jose.EncrypterOptions{}).WithType("JWT")), false},
		{"members in another order", func(t *testing.T) string {
			return gcmToken(t, `{"kid":"`+f.enc.ID+`","enc":"A256GCM","alg":"dir"}`, "", payload, f.enc.Secret)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.tok(t)
			if fast := segment(tok, 0) == fastHeader; fast != tt.fast {
				t.Fatalf("header %q: byte-identical to the codec's = %v, want %v", segment(tok, 0), fast, tt.fast)
			}
			got, err := f.codec.Decrypt(nil, tok, epoch)
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if !bytes.Equal(got, payload) {
				t.Errorf("Decrypt = %q, want %q", got, payload)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	f := newFixture(t)
	other := newFixture(t)
	payload := []byte(`{"sub":"user"}`)
	good := sign(t, f.codec, payload)
	kid := f.sig.ID

	joseSign := func(t *testing.T, alg jose.SignatureAlgorithm, key any, opts *jose.SignerOptions) string {
		t.Helper()
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := s.Sign(payload)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := obj.CompactSerialize()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	tests := []struct {
		name string
		tok  func(t *testing.T) string
		want error
	}{
		{"empty", func(*testing.T) string { return "" }, jwt.ErrMalformed},
		{"one segment", func(*testing.T) string { return segment(good, 0) }, jwt.ErrMalformed},
		{"two segments", func(*testing.T) string { return segment(good, 0) + "." + segment(good, 1) }, jwt.ErrMalformed},
		{"four segments", func(*testing.T) string { return good + ".x" }, jwt.ErrMalformed},
		{"five segments (a JWE)", func(t *testing.T) string {
			tok, err := f.codec.Encrypt(payload)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}, jwt.ErrMalformed},
		{"tampered payload", func(*testing.T) string {
			return withSegment(good, 1, b64.EncodeToString([]byte(`{"sub":"admin"}`)))
		}, jwt.ErrSignature},
		{"tampered payload character", func(*testing.T) string { return withSegment(good, 1, flipChar(segment(good, 1))) }, jwt.ErrSignature},
		{"tampered signature", func(*testing.T) string { return withSegment(good, 2, flipChar(segment(good, 2))) }, jwt.ErrSignature},
		{"truncated signature", func(*testing.T) string { return good[:len(good)-4] }, jwt.ErrSignature},
		{"empty signature", func(*testing.T) string { return withSegment(good, 2, "") }, jwt.ErrSignature},
		{"signature not base64url", func(*testing.T) string {
			s := segment(good, 2)
			return withSegment(good, 2, "!"+s[1:])
		}, jwt.ErrMalformed},
		{"payload not base64url", func(*testing.T) string { return withSegment(good, 1, "!!!") }, jwt.ErrSignature},
		{"payload not base64url, correctly signed", func(*testing.T) string {
			input := segment(good, 0) + ".!!!"
			m := hmac.New(sha512.New, f.sig.Secret)
			m.Write([]byte(input))
			return input + "." + b64.EncodeToString(m.Sum(nil))
		}, jwt.ErrMalformed},
		{"signed with another key, same kid", func(*testing.T) string {
			return segment(good, 0) + "." + segment(good, 1) + "." + segment(hsToken(sha512.New, `x`, nil, other.sig.Secret), 2)
		}, jwt.ErrSignature},
		{"another codec's token", func(*testing.T) string { return sign(t, other.codec, payload) }, jwt.ErrUnknownKey},
		{"alg none", func(*testing.T) string {
			h := b64.EncodeToString([]byte(`{"alg":"none","kid":"` + kid + `","typ":"JWT"}`))
			return h + "." + b64.EncodeToString(payload) + "."
		}, jwt.ErrAlgorithm},
		{"alg none without kid", func(*testing.T) string {
			h := b64.EncodeToString([]byte(`{"alg":"none"}`))
			return h + "." + b64.EncodeToString(payload) + "."
		}, jwt.ErrAlgorithm},
		{"HS256 with the HS512 key's bytes (go-jose)", func(t *testing.T) string {
			return joseSign(t, jose.HS256, f.sig.Secret, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
		}, jwt.ErrAlgorithm},
		{"HS256 with the HS512 key's bytes (by hand)", func(*testing.T) string {
			return hsToken(sha256.New, `{"alg":"HS256","kid":"`+kid+`","typ":"JWT"}`, payload, f.sig.Secret)
		}, jwt.ErrAlgorithm},
		{"HS512 header, HS256 signature", func(*testing.T) string {
			tok := hsToken(sha256.New, `{"alg":"HS512","kid":"`+kid+`","typ":"JWT"}`, payload, f.sig.Secret)
			return tok
		}, jwt.ErrSignature},
		{"alg dir in a JWS", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg":"dir","kid":"`+kid+`"}`, payload, f.sig.Secret)
		}, jwt.ErrAlgorithm},
		{"alg case-folded", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg":"hs512","kid":"`+kid+`"}`, payload, f.sig.Secret)
		}, jwt.ErrAlgorithm},
		{"unknown kid", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg":"HS512","kid":"unknown","typ":"JWT"}`, payload, f.sig.Secret)
		}, jwt.ErrUnknownKey},
		{"no kid", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg":"HS512","typ":"JWT"}`, payload, f.sig.Secret)
		}, jwt.ErrUnknownKey},
		{"encryption key's kid", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg":"HS512","kid":"`+f.enc.ID+`"}`, payload, f.sig.Secret)
		}, jwt.ErrUnknownKey},
		{"crit header", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg":"HS512","crit":["exp"],"exp":1,"kid":"`+kid+`","typ":"JWT"}`, payload, f.sig.Secret)
		}, jwt.ErrAlgorithm},
		{"crit b64=false (go-jose)", func(t *testing.T) string {
			return joseSign(t, jose.HS512, f.sig.Secret, (&jose.SignerOptions{}).WithBase64(false).WithHeader("kid", kid))
		}, jwt.ErrAlgorithm},
		{"header not base64url", func(*testing.T) string { return withSegment(good, 0, "!!!") }, jwt.ErrMalformed},
		{"header not JSON", func(*testing.T) string { return withSegment(good, 0, b64.EncodeToString([]byte("nope"))) }, jwt.ErrMalformed},
		{"header JSON null alg", func(*testing.T) string {
			return hsToken(sha512.New, `{"alg":null,"kid":"`+kid+`"}`, payload, f.sig.Secret)
		}, jwt.ErrAlgorithm},
		{"header padded base64", func(*testing.T) string {
			return withSegment(good, 0, base64.URLEncoding.EncodeToString([]byte(`{"alg":"HS512","kid":"`+kid+`","typ":"JWT"}`)))
		}, jwt.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.tok(t)
			dst := []byte("keep")
			got, err := f.codec.Verify(dst, tok, epoch)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify(%q) error = %v, want %v", tok, err, tt.want)
			}
			if !errors.Is(err, jwt.ErrInvalid) {
				t.Errorf("error %v does not wrap jwt.ErrInvalid", err)
			}
			if string(got) != "keep" {
				t.Errorf("Verify returned %q with its error, want dst unchanged", got)
			}
		})
	}
}

func TestDecryptRejects(t *testing.T) {
	f := newFixture(t)
	other := newFixture(t)
	payload := []byte(`{"sub":"user"}`)
	good, err := f.codec.Encrypt(payload)
	if err != nil {
		t.Fatal(err)
	}
	kid := f.enc.ID
	otherTok, err := other.codec.Encrypt(payload)
	if err != nil {
		t.Fatal(err)
	}
	reordered := `{"kid":"` + kid + `","enc":"A256GCM","alg":"dir"}`
	randomKey := b64.EncodeToString(make([]byte, 40))

	joseEncrypt := func(t *testing.T, alg jose.KeyAlgorithm, enc jose.ContentEncryption, key any) string {
		t.Helper()
		e, err := jose.NewEncrypter(enc, jose.Recipient{Algorithm: alg, Key: key, KeyID: kid}, nil)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := e.Encrypt(payload)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := obj.CompactSerialize()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	tests := []struct {
		name string
		tok  func(t *testing.T) string
		want error
	}{
		{"empty", func(*testing.T) string { return "" }, jwt.ErrMalformed},
		{"three segments (a JWS)", func(*testing.T) string { return sign(t, f.codec, payload) }, jwt.ErrMalformed},
		{"four segments", func(*testing.T) string { return good[:strings.LastIndexByte(good, '.')] }, jwt.ErrMalformed},
		{"six segments", func(*testing.T) string { return good + "." }, jwt.ErrMalformed},
		{"non-empty encrypted key", func(*testing.T) string { return withSegment(good, 1, randomKey) }, jwt.ErrMalformed},
		{"non-empty encrypted key, reordered header", func(t *testing.T) string {
			return gcmToken(t, reordered, randomKey, payload, f.enc.Secret)
		}, jwt.ErrMalformed},
		{"alg A256KW (go-jose)", func(t *testing.T) string {
			return joseEncrypt(t, jose.A256KW, jose.A256GCM, f.enc.Secret)
		}, jwt.ErrAlgorithm},
		{"enc A128GCM (go-jose)", func(t *testing.T) string {
			return joseEncrypt(t, jose.DIRECT, jose.A128GCM, f.enc.Secret[:16])
		}, jwt.ErrAlgorithm},
		{"enc A128GCM (by hand)", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"dir","enc":"A128GCM","kid":"`+kid+`"}`, "", payload, f.enc.Secret[:16])
		}, jwt.ErrAlgorithm},
		{"enc A256CBC-HS512", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"dir","enc":"A256CBC-HS512","kid":"`+kid+`"}`, "", payload, f.enc.Secret)
		}, jwt.ErrAlgorithm},
		{"alg none", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"none","enc":"A256GCM","kid":"`+kid+`"}`, "", payload, f.enc.Secret)
		}, jwt.ErrAlgorithm},
		{"zip DEF", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"dir","enc":"A256GCM","kid":"`+kid+`","zip":"DEF"}`, "", payload, f.enc.Secret)
		}, jwt.ErrAlgorithm},
		{"crit header", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"dir","crit":["x"],"enc":"A256GCM","kid":"`+kid+`","x":1}`, "", payload, f.enc.Secret)
		}, jwt.ErrAlgorithm},
		{"unknown kid", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"dir","enc":"A256GCM","kid":"unknown"}`, "", payload, f.enc.Secret)
		}, jwt.ErrUnknownKey},
		{"no kid", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"dir","enc":"A256GCM"}`, "", payload, f.enc.Secret)
		}, jwt.ErrUnknownKey},
		{"signing key's kid", func(t *testing.T) string {
			return gcmToken(t, `{"alg":"dir","enc":"A256GCM","kid":"`+f.sig.ID+`"}`, "", payload, f.enc.Secret)
		}, jwt.ErrUnknownKey},
		{"another codec's token", func(*testing.T) string { return otherTok }, jwt.ErrUnknownKey},
		{"another key under this kid", func(*testing.T) string { return withSegment(otherTok, 0, segment(good, 0)) }, jwt.ErrSignature},
		{"another key under this kid, reordered header", func(t *testing.T) string {
			return gcmToken(t, reordered, "", payload, other.enc.Secret)
		}, jwt.ErrSignature},
		{"tampered ciphertext", func(*testing.T) string { return withSegment(good, 3, flipChar(segment(good, 3))) }, jwt.ErrSignature},
		{"truncated ciphertext", func(*testing.T) string { return withSegment(good, 3, segment(good, 3)[:4]) }, jwt.ErrSignature},
		{"empty ciphertext", func(*testing.T) string { return withSegment(good, 3, "") }, jwt.ErrSignature},
		{"ciphertext not base64url", func(*testing.T) string { return withSegment(good, 3, "!!!!") }, jwt.ErrMalformed},
		{"tampered tag", func(*testing.T) string { return withSegment(good, 4, flipChar(segment(good, 4))) }, jwt.ErrSignature},
		{"short tag", func(*testing.T) string { return withSegment(good, 4, segment(good, 4)[:16]) }, jwt.ErrSignature},
		{"empty tag", func(*testing.T) string { return withSegment(good, 4, "") }, jwt.ErrSignature},
		{"tag not base64url", func(*testing.T) string { return withSegment(good, 4, "!"+segment(good, 4)[1:]) }, jwt.ErrMalformed},
		{"tampered iv", func(*testing.T) string { return withSegment(good, 2, flipChar(segment(good, 2))) }, jwt.ErrSignature},
		{"short iv", func(*testing.T) string { return withSegment(good, 2, segment(good, 2)[:8]) }, jwt.ErrMalformed},
		{"empty iv", func(*testing.T) string { return withSegment(good, 2, "") }, jwt.ErrMalformed},
		{"iv not base64url", func(*testing.T) string { return withSegment(good, 2, "!"+segment(good, 2)[1:]) }, jwt.ErrMalformed},
		{"tampered header (kid changed)", func(*testing.T) string {
			return withSegment(good, 0, b64.EncodeToString([]byte(reordered)))
		}, jwt.ErrSignature},
		{"header not base64url", func(*testing.T) string { return withSegment(good, 0, "!!!") }, jwt.ErrMalformed},
		{"header not JSON", func(*testing.T) string { return withSegment(good, 0, b64.EncodeToString([]byte("[]"))) }, jwt.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.tok(t)
			dst := []byte("keep")
			got, err := f.codec.Decrypt(dst, tok, epoch)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decrypt(%q) error = %v, want %v", tok, err, tt.want)
			}
			if !errors.Is(err, jwt.ErrInvalid) {
				t.Errorf("error %v does not wrap jwt.ErrInvalid", err)
			}
			if string(got) != "keep" {
				t.Errorf("Decrypt returned %q with its error, want dst unchanged", got)
			}
		})
	}
}

func TestErrorsWrapErrInvalid(t *testing.T) {
	for _, err := range []error{jwt.ErrMalformed, jwt.ErrAlgorithm, jwt.ErrUnknownKey, jwt.ErrSignature} {
		if !errors.Is(err, jwt.ErrInvalid) {
			t.Errorf("%v does not wrap jwt.ErrInvalid", err)
		}
	}
}

func TestRotation(t *testing.T) {
	f := newFixture(t)
	payload := []byte(`{"sub":"before-rotation"}`)
	signed := sign(t, f.codec, payload)
	sealed, err := f.codec.Encrypt(payload)
	if err != nil {
		t.Fatal(err)
	}
	// A token of the old key in a non-canonical header takes the slow path.
	slowSigned := hsToken(sha512.New, `{"kid":"`+f.sig.ID+`","alg":"HS512"}`, payload, f.sig.Secret)
	slowSealed := gcmToken(t, `{"kid":"`+f.enc.ID+`","enc":"A256GCM","alg":"dir"}`, "", payload, f.enc.Secret)

	keep := time.Hour
	if err := f.set.Rotate(epoch, keep); err != nil {
		t.Fatal(err)
	}
	expires := epoch.Add(keep)

	tests := []struct {
		name    string
		builtAt time.Time // when the codec is built
		at      time.Time // when the token is checked
		want    error
	}{
		{"right after rotation", epoch, epoch, nil},
		{"just before the old key expires", epoch, expires.Add(-time.Second), nil},
		{"codec built before expiry, used after", epoch, expires, jwt.ErrUnknownKey},
		{"codec built after expiry", expires, expires, jwt.ErrUnknownKey},
		{"codec built long after expiry", expires.Add(24 * time.Hour), expires.Add(24 * time.Hour), jwt.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := jwt.New(f.set, tt.builtAt)
			if err != nil {
				t.Fatal(err)
			}
			check := func(kind string, got []byte, err error) {
				t.Helper()
				if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
					t.Errorf("%s: error = %v, want %v", kind, err, tt.want)
				}
				if tt.want != nil && !errors.Is(err, jwt.ErrInvalid) {
					t.Errorf("%s: %v does not wrap jwt.ErrInvalid", kind, err)
				}
				if tt.want == nil && !bytes.Equal(got, payload) {
					t.Errorf("%s: payload = %q", kind, got)
				}
			}
			got, err := c.Verify(nil, signed, tt.at)
			check("Verify", got, err)
			got, err = c.Verify(nil, slowSigned, tt.at)
			check("Verify (slow path)", got, err)
			got, err = c.Decrypt(nil, sealed, tt.at)
			check("Decrypt", got, err)
			got, err = c.Decrypt(nil, slowSealed, tt.at)
			check("Decrypt (slow path)", got, err)

			// New tokens use the new keys and always verify.
			tok := sign(t, c, payload)
			if strings.Contains(string(mustDecode(t, segment(tok, 0))), f.sig.ID) {
				t.Error("Sign after rotation used the retired key")
			}
			if _, err := c.Verify(nil, tok, tt.at); err != nil {
				t.Errorf("Verify of new token: %v", err)
			}
			enc, err := c.Encrypt(payload)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(mustDecode(t, segment(enc, 0))), f.enc.ID) {
				t.Error("Encrypt after rotation used the retired key")
			}
			if _, err := c.Decrypt(nil, enc, tt.at); err != nil {
				t.Errorf("Decrypt of new token: %v", err)
			}
		})
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewWithoutKeys(t *testing.T) {
	c, err := jwt.New(&keys.Set{}, epoch)
	if !errors.Is(err, keys.ErrInvalid) {
		t.Fatalf("New(empty set) error = %v, want keys.ErrInvalid", err)
	}
	if c != nil {
		t.Error("New returned a codec with its error")
	}
}

// sign signs payload with c at epoch.
func sign(tb testing.TB, c *jwt.Codec, payload []byte) string {
	tb.Helper()
	tok, err := c.Sign(payload, epoch)
	if err != nil {
		tb.Fatalf("Sign: %v", err)
	}
	return tok
}

func TestConcurrentUse(t *testing.T) {
	f := newFixture(t)
	payload := []byte(`{"sub":"concurrent"}`)
	done := make(chan error)
	for range 8 {
		go func() {
			for range 50 {
				tok, err := f.codec.Sign(payload, epoch)
				if err != nil {
					done <- err
					return
				}
				got, err := f.codec.Verify(nil, tok, epoch)
				if err == nil && !bytes.Equal(got, payload) {
					err = errors.New("payload mismatch")
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestKeyExpiry: a token in the codec's own form names its key's expiry —
// none while the key is active, the rotation's end once it is replaced —
// and any other header names none.
func TestKeyExpiry(t *testing.T) {
	f := newFixture(t)
	payload := []byte(`{"sub":"u"}`)
	signed := sign(t, f.codec, payload)
	sealed, err := f.codec.Encrypt(payload)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{signed, sealed} {
		if exp, ok := f.codec.KeyExpiry(tok); !ok || !exp.IsZero() {
			t.Errorf("KeyExpiry of an active key's token = %v, %v; want zero, true", exp, ok)
		}
	}
	if err := f.set.Rotate(epoch, time.Hour); err != nil {
		t.Fatal(err)
	}
	rotated, err := jwt.New(f.set, epoch)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{signed, sealed} {
		if exp, ok := rotated.KeyExpiry(tok); !ok || !exp.Equal(epoch.Add(time.Hour)) {
			t.Errorf("KeyExpiry of a rotated key's token = %v, %v; want %v, true", exp, ok, epoch.Add(time.Hour))
		}
	}
	slow := hsToken(sha512.New, `{"kid":"`+f.sig.ID+`","alg":"HS512"}`, payload, f.sig.Secret)
	for _, tok := range []string{slow, "", "nodot", "." + signed} {
		if _, ok := f.codec.KeyExpiry(tok); ok {
			t.Errorf("KeyExpiry(%q) is ok for a header the codec does not write", tok)
		}
	}
}

// TestOneSpelling: a genuine token with CR or LF inside one of its
// segments — which the strict base64url decoder skips, so the bytes would
// still verify — is refused: a token has one spelling.
func TestOneSpelling(t *testing.T) {
	f := newFixture(t)
	payload := []byte(`{"sub":"user-1"}`)
	signed, err := f.codec.Sign(payload, epoch)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := f.codec.Encrypt(payload)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		tok  string
		open func(string) ([]byte, error)
	}{
		"signed": {signed, func(s string) ([]byte, error) { return f.codec.Verify(nil, s, epoch) }},
		"sealed": {sealed, func(s string) ([]byte, error) { return f.codec.Decrypt(nil, s, epoch) }},
	} {
		if _, err := tc.open(tc.tok); err != nil {
			t.Fatalf("%s: the genuine token: %v", name, err)
		}
		for _, sep := range []string{"\n", "\r"} {
			for _, at := range []int{5, len(tc.tok) / 2, len(tc.tok) - 2} {
				if _, err := tc.open(tc.tok[:at] + sep + tc.tok[at:]); !errors.Is(err, jwt.ErrMalformed) {
					t.Errorf("%s with %q at %d: %v, want ErrMalformed", name, sep, at, err)
				}
			}
		}
	}
}
