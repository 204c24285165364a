package authjs_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authgen/authgen/runtime/authjs"
)

const testSecret = "authgen-test-secret"

// Tokens minted by the real packages (internal/integration/authjs/node,
// token.mjs) under testSecret with maxAge 100 years, for the payload
// {"name":"Ada Lovelace","email":"ada@example.com","picture":null,
// "sub":"user-1","role":"admin","n":[1,2]}.
const (
	// @auth/core 0.41.3, salt authjs.session-token.
	v5Token = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIiwia2lkIjoiNFAwSi1SZ0o3d2V3WHhPSFg3ZDBZNzBQYkV5bEJRWGR0enpvejN6MXpuNTJ5YUdzMldrMTAwMDZ0elpaZDRzT1BBOVM0YVZQOGJ0R1BJUVR1SlN2RmcifQ..8LD-VloqpnBvJNELFsNVPg.TwKUd0p5PKxaq_pAPtKNxtGySEgqaVyY1-3hPwOPCGIBmLvqeHDUXYjptowz8NCjiga-S3aS8MNhYSJQ9_vx6zoRZRp-kCD7KkHct74299Aw10pSjzZV9iFL-YlG72y_JnbkLPH5N-w5z3lpuj2cwV2ZUoeA8ax4TcFHfiUaSCMmU7XObws3hDTu46HXca5ZYGeXrs2FQtKJ2Tg2LtT9uHegmhwlQ11gTLM00s7uv4sDn-jtwH8H4QyVQEfxTmu_.x-IVGZ7BmmHpVihX5kGiDWpey23GPbrs9WIArP9gUck"
	v5IAT   = 1796422868
	v5JTI   = "b72c1bfd-6870-43df-bf51-79657378cd1d"
	// next-auth 4.24.15.
	v4Token = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..NFrgK3GDnQ_2MnYY.Nj5GLTLUpNri0-Kuj1SN5cH1xMcuYM_GMmn2dVethRLEvbetjW9SxBYNtaVkAku5NBwb2MZ5ePsf3Lc6-sxahTXYo0ZQh0OurceColKCgyhRtzhv52b_19wMh-dxQsA_ZjP-MUjHtILWV0gORc0ryrmIn9HSTCh7QnOg0_pZYVQJLRfsusmXHYtJRp6OAD4io20IvcLLlC0JQ1u1xqsYtqKgo6ha7vBosTO4qviPn7OM0e2sAeqR.44miLEZSGZ3caTZ-vNANEQ"
	v4IAT   = 1796422869
	v4JTI   = "e0d9306d-4083-4e3e-9e47-0e1a6b153593"
	maxAge  = 3153600000
)

// TestDeriveKey checks the keys and kids against @panva/hkdf and jose's
// calculateJwkThumbprint.
func TestDeriveKey(t *testing.T) {
	for _, tc := range []struct {
		version  authjs.Version
		salt     string
		n        int
		key, kid string
	}{
		{authjs.V5, "authjs.session-token", 64, "8154d94140b32a1cb5815eb1b4b6995fed1d12f02c7ce6f95d8b95175272ccba99c9c6cc5cc99e9626acf96898d93f6fb61dafab9b94b000afafd2bd4f7ae56e", "4P0J-RgJ7wewXxOHX7d0Y70PbEylBQXdtzzoz3z1zn52yaGs2Wk10006tzZZd4sOPA9S4aVP8btGPIQTuJSvFg"},
		{authjs.V5, "__Secure-authjs.session-token", 64, "8c0ebf4fed9bdcdc1e7ea3462ef8136d6c0ec0784fd56a08cc57681402e301b3689f4f215162a8107074857b89e77c5452ffba52ea1ed63c825ace5e241a24c0", "DUWfAO8LKNV2uaISfv3vNvO4qxFSXNQgiRPwLjgiwUFpnjBBM8RN0TM2jprKLh7Nu0VA8BO3dvRrWhbC-vOoLA"},
		{authjs.V5, "authjs.session-token", 32, "8154d94140b32a1cb5815eb1b4b6995fed1d12f02c7ce6f95d8b95175272ccba", "OUETKH7fnJOO5z0Rc6vlGpyXxXlY8cmRwMUJWi6TRhU"},
		{authjs.V4, "", 32, "30b95c816c70b3b3aabd9590ada17465bca0fcc15cba466ceb91d7ac56f78a9c", "x_tM_XgJK2WjQPkEMMxien3W68La2SNRfKard56Vxqg"},
	} {
		k, err := authjs.DeriveKey(tc.version, testSecret, tc.salt, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(k); got != tc.key {
			t.Errorf("v%d %q %d: key %s, want %s", tc.version, tc.salt, tc.n, got, tc.key)
		}
		if got := authjs.Thumbprint(k); got != tc.kid {
			t.Errorf("v%d %q %d: kid %s, want %s", tc.version, tc.salt, tc.n, got, tc.kid)
		}
	}
}

func newCodec(t testing.TB, v authjs.Version, secrets ...string) *authjs.Codec {
	t.Helper()
	salt := ""
	if v == authjs.V5 {
		salt = authjs.V5SessionCookie
	}
	c, err := authjs.NewCodec(v, salt, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDecodeRealTokens decodes tokens the real packages minted.
func TestDecodeRealTokens(t *testing.T) {
	for _, tc := range []struct {
		version authjs.Version
		token   string
		iat     int64
		jti     string
	}{{authjs.V5, v5Token, v5IAT, v5JTI}, {authjs.V4, v4Token, v4IAT, v4JTI}} {
		c := newCodec(t, tc.version, "another-secret", testSecret)
		cl, err := c.Decode(tc.token, time.Unix(tc.iat, 0))
		if err != nil {
			t.Fatalf("v%d: %v", tc.version, err)
		}
		if cl.Name != "Ada Lovelace" || cl.Email != "ada@example.com" || cl.Picture != "" || cl.Subject != "user-1" ||
			cl.IssuedAt != tc.iat || cl.Expiry != tc.iat+maxAge || cl.ID != tc.jti {
			t.Errorf("v%d: claims %+v", tc.version, cl)
		}
		if string(cl.Extra["role"]) != `"admin"` || string(cl.Extra["n"]) != `[1,2]` || len(cl.Extra) != 2 {
			t.Errorf("v%d: extra %s", tc.version, cl.Extra)
		}
		// The other version's codec, and the other cookie name, refuse it.
		other := authjs.V4
		if tc.version == authjs.V4 {
			other = authjs.V5
		}
		if _, err := newCodec(t, other, testSecret).Decode(tc.token, time.Unix(tc.iat, 0)); !errors.Is(err, authjs.ErrForeign) {
			t.Errorf("v%d token, v%d codec: %v, want ErrForeign", tc.version, other, err)
		}
	}
	secure, _ := authjs.NewCodec(authjs.V5, authjs.V5SecureSessionCookie, []string{testSecret})
	if _, err := secure.Decode(v5Token, time.Unix(v5IAT, 0)); !errors.Is(err, authjs.ErrUnknownKey) {
		t.Errorf("under the __Secure- name: %v, want ErrUnknownKey", err)
	}
}

func TestRoundTripAndHeader(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, v := range []authjs.Version{authjs.V5, authjs.V4} {
		c := newCodec(t, v, "new-secret", "old-secret")
		in := authjs.Claims{Name: "A", Email: "a@example.com", Subject: "u", Extra: map[string]json.RawMessage{"role": json.RawMessage(`"x"`)}}
		tok, err := c.Encode(in, now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(tok, ".")
		want := `{"alg":"dir","enc":"A256GCM"}`
		if v == authjs.V5 {
			k, _ := authjs.DeriveKey(v, "new-secret", authjs.V5SessionCookie, 64)
			want = `{"alg":"dir","enc":"A256CBC-HS512","kid":"` + authjs.Thumbprint(k) + `"}`
		}
		if got := decodeSegment(t, head); got != want {
			t.Errorf("v%d header %s, want %s", v, got, want)
		}
		out, err := c.Decode(tok, now)
		if err != nil {
			t.Fatal(err)
		}
		if out.Subject != "u" || out.IssuedAt != now.Unix() || out.Expiry != now.Add(time.Hour).Unix() || len(out.ID) != 36 || string(out.Extra["role"]) != `"x"` {
			t.Errorf("v%d: %+v", v, out)
		}
		// Rotation: a codec whose secrets are [newer, new-secret] reads it,
		// one with only the old secret does not.
		if _, err := newCodec(t, v, "newer", "new-secret").Decode(tok, now); err != nil {
			t.Errorf("v%d rotated: %v", v, err)
		}
		if _, err := newCodec(t, v, "old-secret").Decode(tok, now); !errors.Is(err, authjs.ErrForeign) {
			t.Errorf("v%d foreign secret: %v", v, err)
		}
		// Times, with the 15 s tolerance.
		if _, err := c.Decode(tok, now.Add(time.Hour+14*time.Second)); err != nil {
			t.Errorf("v%d within tolerance: %v", v, err)
		}
		if _, err := c.Decode(tok, now.Add(time.Hour+15*time.Second)); !errors.Is(err, authjs.ErrExpired) {
			t.Errorf("v%d expired: %v", v, err)
		}
	}
}

func decodeSegment(t *testing.T, s string) string {
	t.Helper()
	b, err := base64URL(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTamperedRefused(t *testing.T) {
	c := newCodec(t, authjs.V5, testSecret)
	now := time.Unix(v5IAT, 0)
	parts := strings.Split(v5Token, ".")
	for i := range parts {
		if parts[i] == "" {
			continue
		}
		p := append([]string(nil), parts...)
		b := []byte(p[i])
		b[len(b)/2] ^= 1
		if b[len(b)/2] == '.' {
			continue
		}
		p[i] = string(b)
		if _, err := c.Decode(strings.Join(p, "."), now); !errors.Is(err, authjs.ErrInvalid) {
			t.Errorf("segment %d changed: %v", i, err)
		}
	}
	for _, bad := range []string{"", "a.b.c", "a.b.c.d.e", v5Token + "x", strings.Repeat("a.", 4)} {
		if _, err := c.Decode(bad, now); !errors.Is(err, authjs.ErrForeign) {
			t.Errorf("%q: %v, want ErrForeign", bad, err)
		}
	}
}

func TestClaimsJSON(t *testing.T) {
	cl := authjs.Claims{Subject: "u", Extra: map[string]json.RawMessage{"sub": json.RawMessage(`"x"`)}}
	if _, err := json.Marshal(&cl); err == nil {
		t.Error("an extra claim named sub was accepted")
	}
	for _, bad := range []string{`[]`, `null`, `{"exp":"soon"}`, `{"name":1}`, `{} {}`, `{"iat":-1}`, `{"exp":1e300}`} {
		if _, err := authjs.ParseClaims([]byte(bad)); !errors.Is(err, authjs.ErrClaims) {
			t.Errorf("%s: %v, want ErrClaims", bad, err)
		}
	}
}

func TestCSRF(t *testing.T) {
	p := authjs.NewCSRF([]string{"a", "b"})
	token, cookie := p.Issue()
	if !strings.Contains(cookie, "%7C") || strings.Contains(cookie, "|") {
		t.Errorf("cookie %q is not URL-encoded as Auth.js writes it", cookie)
	}
	if !p.Verify(cookie, token) || !p.Verify(authjs.DecodeCookieValue(cookie), token) {
		t.Error("own cookie refused")
	}
	if p.Verify(cookie, strings.Repeat("0", 64)) {
		t.Error("wrong body accepted")
	}
	if authjs.NewCSRF([]string{"a"}).Verify(cookie, token) {
		t.Error("cookie of another secret accepted")
	}
	// A vector from @auth/core's createCSRFToken with secret ["a","b"].
	const real = "d6598b48621086dbc44f2d136e4007e2d4fe6564f3516d9147d73703370621c1%7Cbda741a5f7de39be6f22531ecbc1e6894b9d7555a06ac02e25d9d12e41ebbb68"
	if got, ok := p.Parse(real); !ok || got != "d6598b48621086dbc44f2d136e4007e2d4fe6564f3516d9147d73703370621c1" {
		t.Errorf("real cookie: %q %v", got, ok)
	}
}

func TestCookieValue(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:3000/a?b=c d&e=ü": "http%3A%2F%2Flocalhost%3A3000%2Fa%3Fb%3Dc%20d%26e%3D%C3%BC",
		"-_.!~*'()":                         "-_.!~*'()",
	} {
		if got := authjs.EncodeCookieValue(in); got != want {
			t.Errorf("encode %q = %q, want %q", in, got, want)
		}
		if got := authjs.DecodeCookieValue(want); got != in {
			t.Errorf("decode %q = %q", want, got)
		}
	}
	for _, raw := range []string{"100%", "%zz", "%FF", "a+b"} {
		if got := authjs.DecodeCookieValue(raw); got != raw {
			t.Errorf("decode %q = %q, want it unchanged", raw, got)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(v5Token)
	f.Add(v4Token)
	f.Add("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0....")
	v5 := newCodec(f, authjs.V5, testSecret)
	v4 := newCodec(f, authjs.V4, testSecret)
	now := time.Unix(v5IAT, 0)
	f.Fuzz(func(t *testing.T, token string) {
		for _, c := range []*authjs.Codec{v5, v4} {
			cl, err := c.Decode(token, now)
			if err == nil && token != v5Token && token != v4Token {
				// Anything else accepted must be a genuine token: only
				// the two seeds are, or the fuzzer forged one.
				t.Fatalf("accepted %q: %+v", token, cl)
			}
		}
	})
}

// TestDecodeA256GCM: version 5 also reads A256GCM tokens, whose key is
// the 32-byte derivation and whose kid its SHA-256 thumbprint, as
// @auth/core's decode does (its encode never writes one).
func TestDecodeA256GCM(t *testing.T) {
	key, err := authjs.DeriveKey(authjs.V5, "new", authjs.V5SessionCookie, 32)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	payload := []byte(`{"sub":"u","iat":1800000000,"exp":1800003600}`)
	for _, kid := range []string{authjs.Thumbprint(key), ""} {
		e, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: key, KeyID: kid}, nil)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := e.Encrypt(payload)
		if err != nil {
			t.Fatal(err)
		}
		tok, _ := obj.CompactSerialize()
		cl, err := newCodec(t, authjs.V5, "old", "new").Decode(tok, now)
		if err != nil || cl.Subject != "u" {
			t.Errorf("kid %q: %+v, %v", kid, cl, err)
		}
	}
}

// TestDecodeOneSpelling: a genuine token with CR or LF inside — which Go's
// base64 decoder skips even when strict — is refused (found by FuzzDecode:
// go-jose then accepted it), so that a token has one spelling.
func TestDecodeOneSpelling(t *testing.T) {
	c := newCodec(t, authjs.V5, testSecret)
	now := time.Unix(v5IAT, 0)
	if _, err := c.Decode(v5Token, now); err != nil {
		t.Fatalf("the genuine token: %v", err)
	}
	for _, sep := range []string{"\n", "\r", "\r\n"} {
		for _, at := range []int{11, len(v5Token) / 2, len(v5Token) - 3} {
			bent := v5Token[:at] + sep + v5Token[at:]
			if _, err := c.Decode(bent, now); !errors.Is(err, authjs.ErrMalformed) {
				t.Errorf("the token with %q at %d: %v, want ErrMalformed", sep, at, err)
			}
		}
	}
}
