// Package authjs_test checks runtime/authjs against the real Auth.js
// packages — @auth/core 0.41.3 and next-auth 4.24.15, pinned by
// node/package-lock.json — run by Node: tokens and CSRF cookies made by
// either side are read by the other.
package authjs_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/internal/integration/authjs/expressapp"
	"github.com/authgen/authgen/runtime/authjs"
)

// node runs script with in as JSON on stdin and decodes its JSON answer
// into out.
func node(t *testing.T, script string, in, out any) {
	t.Helper()
	dir := expressapp.NodeDir(t)
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), "node", filepath.Join(dir, script))
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("node %s: %v: %s", script, err, res)
	}
}

type tokenAnswer struct {
	Token   string         `json:"token"`
	Payload map[string]any `json:"payload"`
	Error   string         `json:"error"`
}

// version is one Auth.js version with a cookie name (the salt of v5's key).
type version struct {
	name string
	v    authjs.Version
	salt string
}

var versions = []version{
	{"v5", authjs.V5, authjs.V5SessionCookie},
	{"v5-secure", authjs.V5, authjs.V5SecureSessionCookie},
	{"v4", authjs.V4, ""},
}

// secretParam is the secret as the version's encode/decode takes it:
// @auth/core an array, next-auth 4 one string.
func (v version) secretParam(secrets ...string) any {
	if v.v == authjs.V4 {
		if len(secrets) != 1 {
			panic("next-auth 4 takes one secret")
		}
		return secrets[0]
	}
	return secrets
}

func (v version) jsEncode(t *testing.T, payload map[string]any, maxAge int, secrets ...string) string {
	t.Helper()
	var a tokenAnswer
	node(t, "token.mjs", map[string]any{"op": "encode", "version": int(v.v), "secret": v.secretParam(secrets...), "salt": v.salt, "token": payload, "maxAge": maxAge}, &a)
	if a.Error != "" || a.Token == "" {
		t.Fatalf("%s encode: %q", v.name, a.Error)
	}
	return a.Token
}

// jsDecode returns the payload the real decode reads, or its error.
func (v version) jsDecode(t *testing.T, token string, secrets ...string) (map[string]any, error) {
	t.Helper()
	var a tokenAnswer
	node(t, "token.mjs", map[string]any{"op": "decode", "version": int(v.v), "secret": v.secretParam(secrets...), "salt": v.salt, "token": token}, &a)
	if a.Error != "" {
		return nil, errors.New(a.Error)
	}
	return a.Payload, nil
}

func (v version) codec(t *testing.T, secrets ...string) *authjs.Codec {
	t.Helper()
	c, err := authjs.NewCodec(v.v, v.salt, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAuthJSTokensReadByGo: tokens the real encode writes, with extra
// claims and a null, decode in Go with every claim.
func TestAuthJSTokensReadByGo(t *testing.T) {
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			before := time.Now().Unix()
			tok := v.jsEncode(t, map[string]any{"name": "Ada", "email": "ada@example.com", "picture": nil, "sub": "user-1", "role": "admin", "nested": map[string]any{"a": []int{1}}}, 3600, "s3cret")
			cl, err := v.codec(t, "s3cret").Decode(tok, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if cl.Name != "Ada" || cl.Email != "ada@example.com" || cl.Picture != "" || cl.Subject != "user-1" || len(cl.ID) != 36 ||
				cl.IssuedAt < before || cl.Expiry != cl.IssuedAt+3600 {
				t.Errorf("claims %+v", cl)
			}
			if string(cl.Extra["role"]) != `"admin"` || string(cl.Extra["nested"]) != `{"a":[1]}` || len(cl.Extra) != 2 {
				t.Errorf("extra claims %s", cl.Extra)
			}
			// Expired for Go when it is for Auth.js: after exp + 15 s.
			if _, err := v.codec(t, "s3cret").Decode(tok, time.Unix(cl.Expiry+15, 0)); !errors.Is(err, authjs.ErrExpired) {
				t.Errorf("at exp+15s: %v, want ErrExpired", err)
			}
		})
	}
}

// TestGoTokensReadByAuthJS: tokens Go writes decode with the real decode,
// and a token Auth.js re-issues from one (as its session route does on
// every read: decode, then encode the payload) is still read by Go.
func TestGoTokensReadByAuthJS(t *testing.T) {
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			c := v.codec(t, "s3cret")
			now := time.Now()
			tok, err := c.Encode(authjs.Claims{Name: "Ada", Email: "ada@example.com", Subject: "user-1",
				Extra: map[string]json.RawMessage{"role": json.RawMessage(`"admin"`)}}, now, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			p, err := v.jsDecode(t, tok, "s3cret")
			if err != nil {
				t.Fatal(err)
			}
			if p["name"] != "Ada" || p["email"] != "ada@example.com" || p["sub"] != "user-1" || p["role"] != "admin" ||
				p["iat"] != float64(now.Unix()) || p["exp"] != float64(now.Add(time.Hour).Unix()) || len(p["jti"].(string)) != 36 {
				t.Errorf("payload %v", p)
			}
			delete(p, "iat")
			delete(p, "exp")
			delete(p, "jti")
			again := v.jsEncode(t, p, 7200, "s3cret")
			cl, err := c.Decode(again, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if cl.Subject != "user-1" || string(cl.Extra["role"]) != `"admin"` || cl.Expiry != cl.IssuedAt+7200 {
				t.Errorf("re-issued: %+v", cl)
			}
		})
	}
}

// TestRotation: with secrets [new, old] each side reads what the other
// wrote under old, and what it writes the other reads with new.
func TestRotation(t *testing.T) {
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			payload := map[string]any{"sub": "user-1"}
			// Auth.js wrote it before the rotation; Go has rotated.
			old := v.jsEncode(t, payload, 3600, "old")
			if _, err := v.codec(t, "new", "old").Decode(old, time.Now()); err != nil {
				t.Errorf("Auth.js's token under old, Go [new old]: %v", err)
			}
			// Go writes with new; Auth.js reads it with new (first, or
			// next-auth 4's one secret).
			tok, err := v.codec(t, "new", "old").Encode(authjs.Claims{Subject: "user-1"}, time.Now(), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.jsDecode(t, tok, "new"); err != nil {
				t.Errorf("Go [new old], Auth.js new: %v", err)
			}
			if v.v == authjs.V4 {
				return // next-auth 4 takes one secret
			}
			// Go wrote it before the rotation; Auth.js has rotated.
			goOld, err := v.codec(t, "old").Encode(authjs.Claims{Subject: "user-1"}, time.Now(), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.jsDecode(t, goOld, "new", "old"); err != nil {
				t.Errorf("Go's token under old, Auth.js [new old]: %v", err)
			}
			// Auth.js rotated writes with new; Go reads it with [new old].
			if _, err := v.codec(t, "new", "old").Decode(v.jsEncode(t, payload, 3600, "new", "old"), time.Now()); err != nil {
				t.Errorf("Auth.js [new old], Go [new old]: %v", err)
			}
		})
	}
}

// tamper changes one character in the middle of the ciphertext.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	b := []byte(parts[3])
	if b[len(b)/2] == 'A' {
		b[len(b)/2] = 'B'
	} else {
		b[len(b)/2] = 'A'
	}
	parts[3] = string(b)
	return strings.Join(parts, ".")
}

// TestRefused: a token tampered with, or sealed under another secret, is
// refused by both sides.
func TestRefused(t *testing.T) {
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			js := v.jsEncode(t, map[string]any{"sub": "user-1"}, 3600, "s3cret")
			for name, tok := range map[string]string{"tampered": tamper(js), "foreign": v.jsEncode(t, map[string]any{"sub": "user-1"}, 3600, "other")} {
				if _, err := v.codec(t, "s3cret").Decode(tok, time.Now()); !errors.Is(err, authjs.ErrForeign) {
					t.Errorf("Auth.js's %s token: Go says %v, want ErrForeign", name, err)
				}
			}
			goTok, err := v.codec(t, "s3cret").Encode(authjs.Claims{Subject: "user-1"}, time.Now(), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if p, err := v.jsDecode(t, tamper(goTok), "s3cret"); err == nil {
				t.Errorf("Go's tampered token: Auth.js read %v", p)
			}
			if p, err := v.jsDecode(t, goTok, "other"); err == nil {
				t.Errorf("Go's token, other secret: Auth.js read %v", p)
			}
		})
	}
}

type csrfAnswer struct {
	Token    string `json:"token"`
	Cookie   string `json:"cookie"`
	Verified bool   `json:"verified"`
	Reissued bool   `json:"reissued"`
}

// TestCSRF runs Auth.js's own createCSRFToken (and its cookie serializer
// and parser): its cookie verifies in Go, Go's verifies in Auth.js, under
// one secret and under a rotated pair (@auth/core hashes the array joined
// by ",").
func TestCSRF(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version authjs.Version
		secrets []string
	}{{"v5", authjs.V5, []string{"s3cret"}}, {"v5-rotated", authjs.V5, []string{"new", "old"}}, {"v4", authjs.V4, []string{"s3cret"}}} {
		t.Run(tc.name, func(t *testing.T) {
			v := version{v: tc.version}
			secret := v.secretParam(tc.secrets...)
			p := authjs.NewCSRF(tc.secrets)

			var js csrfAnswer
			node(t, "csrf.mjs", map[string]any{"version": int(tc.version), "secret": secret}, &js)
			if !js.Reissued || js.Cookie == "" {
				t.Fatalf("Auth.js issued no cookie: %+v", js)
			}
			if !p.Verify(js.Cookie, js.Token) {
				t.Errorf("Auth.js's cookie %q refused by Go", js.Cookie)
			}
			if p.Verify(js.Cookie, strings.Repeat("0", 64)) {
				t.Error("Go accepted another token with Auth.js's cookie")
			}

			token, cookie := p.Issue()
			var back csrfAnswer
			node(t, "csrf.mjs", map[string]any{"version": int(tc.version), "secret": secret, "cookie": cookie, "body": token}, &back)
			if !back.Verified || back.Reissued || back.Token != token {
				t.Errorf("Go's cookie %q in Auth.js: %+v", cookie, back)
			}
			if !strings.Contains(cookie, "%7C") || !strings.Contains(js.Cookie, "%7C") {
				t.Errorf("Go's cookie %q is not encoded as Auth.js's %q", cookie, js.Cookie)
			}
			var other csrfAnswer
			node(t, "csrf.mjs", map[string]any{"version": int(tc.version), "secret": v.secretParam("another"), "cookie": cookie, "body": token}, &other)
			if other.Verified || !other.Reissued {
				t.Errorf("Go's cookie under another secret in Auth.js: %+v", other)
			}
		})
	}
}
