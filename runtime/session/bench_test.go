package session_test

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/json"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/session"
)

// benchClaims is a typical session: about 400 bytes once signed (the size
// the budget is stated for).
func benchClaims() *session.Claims {
	return &session.Claims{
		Subject:  "github:583231",
		Name:     "Mona Octocat",
		Email:    "mona@example.com",
		Picture:  "https://avatars.githubusercontent.com/u/583231",
		Provider: "github",
	}
}

func benchCodec(b *testing.B, p session.Protection) (*session.Codec, string, time.Time) {
	b.Helper()
	ks, err := keys.Generate()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	c, err := session.NewCodec(ks, now, session.Options{Protection: p})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := c.Encode(benchClaims(), now)
	if err != nil {
		b.Fatal(err)
	}
	return c, tok, now
}

// BenchmarkDecodeSigned is the whole check of a signed session: the MAC,
// the parse and the times (a token Decode has not seen within a minute).
func BenchmarkDecodeSigned(b *testing.B) {
	c, tok, now := benchCodec(b, session.Signed)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.DecodeFull(tok, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tok)), "token-bytes")
}

// BenchmarkDecodeEncrypted is the whole check of an encrypted session.
func BenchmarkDecodeEncrypted(b *testing.B) {
	c, tok, now := benchCodec(b, session.Encrypted)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.DecodeFull(tok, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tok)), "token-bytes")
}

// BenchmarkDecodeRemembered is the check of a signed session decoded
// again within a minute, as a polled session is: the whole token compared,
// the claims copied, the times checked.
func BenchmarkDecodeRemembered(b *testing.B) {
	c, tok, now := benchCodec(b, session.Signed)
	if _, err := c.Decode(tok, now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decode(tok, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tok)), "token-bytes")
}

// BenchmarkFloorHMACSHA512 is the physical floor of a signed-session check:
// HMAC-SHA512 over the same signing input, nothing else.
func BenchmarkFloorHMACSHA512(b *testing.B) {
	_, tok, _ := benchCodec(b, session.Signed)
	input := []byte(tok[:strings.LastIndexByte(tok, '.')])
	key := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		m := hmac.New(sha512.New, key)
		m.Write(input)
		m.Sum(nil)
	}
}

// BenchmarkFloorHMACSHA512Keyed is the same HMAC with the key schedule done
// once (hmac's Reset keeps the padded key), as the codec does: the floor
// for a server that keeps its keys loaded.
func BenchmarkFloorHMACSHA512Keyed(b *testing.B) {
	_, tok, _ := benchCodec(b, session.Signed)
	input := []byte(tok[:strings.LastIndexByte(tok, '.')])
	m := hmac.New(sha512.New, make([]byte, 64))
	var sum [sha512.Size]byte
	b.ReportAllocs()
	for b.Loop() {
		m.Reset()
		m.Write(input)
		m.Sum(sum[:0])
	}
}

// BenchmarkFloorAESGCM is the floor of an encrypted-session check: AES-256-GCM
// open of the same number of bytes.
func BenchmarkFloorAESGCM(b *testing.B) {
	_, tok, _ := benchCodec(b, session.Signed)
	block, _ := aes.NewCipher(make([]byte, 32))
	aead, _ := cipher.NewGCM(block)
	nonce := make([]byte, 12)
	sealed := aead.Seal(nil, nonce, []byte(tok), nil)
	buf := make([]byte, 0, len(sealed))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := aead.Open(buf[:0], nonce, sealed, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoJoseSigned is the same check done the plain way, for scale:
// go-jose parse and verify, then encoding/json into the claims.
func BenchmarkGoJoseSigned(b *testing.B) {
	ks, err := keys.Generate()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	c, err := session.NewCodec(ks, now, session.Options{})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := c.Encode(benchClaims(), now)
	if err != nil {
		b.Fatal(err)
	}
	secret := ks.Signing().Secret
	b.ReportAllocs()
	for b.Loop() {
		jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.HS512})
		if err != nil {
			b.Fatal(err)
		}
		payload, err := jws.Verify(secret)
		if err != nil {
			b.Fatal(err)
		}
		var cl session.Claims
		if err := json.Unmarshal(payload, &cl); err != nil {
			b.Fatal(err)
		}
	}
}
