package csrf_test

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/csrf"
)

func secret(t *testing.T) []byte {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// issue is p.Issue, which must not fail.
func issue(t *testing.T, p *csrf.Protector) (token, cookie string) {
	t.Helper()
	token, cookie, err := p.Issue()
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return token, cookie
}

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func TestIssue(t *testing.T) {
	key := secret(t)
	p := csrf.New([][]byte{key})
	token, cookie := issue(t, p)
	if !hex64.MatchString(token) {
		t.Errorf("token %q is not 64 hex characters", token)
	}
	tok, hash, ok := strings.Cut(cookie, "|")
	if !ok || tok != token || !hex64.MatchString(hash) {
		t.Fatalf("cookie %q is not token|hash", cookie)
	}
	// The hash is HMAC-SHA256 of the token under the active secret.
	m := hmac.New(sha256.New, key)
	m.Write([]byte(token))
	if want := hex.EncodeToString(m.Sum(nil)); hash != want {
		t.Errorf("hash = %s, want HMAC-SHA256 %s", hash, want)
	}
	if got, ok := p.Parse(cookie); !ok || got != token {
		t.Errorf("Parse(Issue()) = %q, %v", got, ok)
	}
	if !p.Verify(cookie, token) {
		t.Error("Verify rejects a freshly issued token")
	}
	token2, cookie2 := issue(t, p)
	if token2 == token || cookie2 == cookie {
		t.Error("Issue repeated a token")
	}
}

func TestVerify(t *testing.T) {
	active, old, foreign := secret(t), secret(t), secret(t)
	p := csrf.New([][]byte{active, old})
	token, cookie := issue(t, p)
	oldToken, oldCookie := issue(t, csrf.New([][]byte{old}))
	foreignToken, foreignCookie := issue(t, csrf.New([][]byte{foreign}))
	otherToken, _ := issue(t, p)
	tok, hash, _ := strings.Cut(cookie, "|")

	// A forged cookie pairs a chosen token with a hash the attacker can
	// compute without the key.
	chosen := strings.Repeat("a", 64)
	plainSHA := sha256.Sum256([]byte(chosen))

	flip := func(s string) string {
		b := []byte(s)
		if b[10] == '0' {
			b[10] = '1'
		} else {
			b[10] = '0'
		}
		return string(b)
	}

	tests := []struct {
		name      string
		cookie    string
		submitted string
		want      bool
	}{
		{"valid", cookie, token, true},
		{"cookie of a valid, inactive key", oldCookie, oldToken, true},
		{"missing cookie", "", token, false},
		{"missing token", cookie, "", false},
		{"both missing", "", "", false},
		{"mismatched token", cookie, otherToken, false},
		{"token prefix", cookie, token[:32], false},
		{"token with suffix", cookie, token + "0", false},
		{"upper-case token", cookie, strings.ToUpper(token), token == strings.ToUpper(token)},
		{"hash submitted as token", cookie, hash, false},
		{"whole cookie submitted as token", cookie, cookie, false},
		{"forged hash", tok + "|" + flip(hash), token, false},
		{"hash is plain SHA-256", chosen + "|" + hex.EncodeToString(plainSHA[:]), chosen, false},
		{"token changed, hash kept", flip(tok) + "|" + hash, flip(tok), false},
		{"cookie made with another key", foreignCookie, foreignToken, false},
		{"no separator", tok + hash, token, false},
		{"empty hash", tok + "|", token, false},
		{"short token", tok[:63] + "|" + hash, tok[:63], false},
		{"extra separator", cookie + "|x", token, false},
		{"upper-case hash", tok + "|" + strings.ToUpper(hash), token, strings.ToUpper(hash) == hash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Verify(tt.cookie, tt.submitted); got != tt.want {
				t.Errorf("Verify(%q, %q) = %v, want %v", tt.cookie, tt.submitted, got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	active, old := secret(t), secret(t)
	p := csrf.New([][]byte{active, old})
	token, cookie := issue(t, p)
	oldToken, oldCookie := issue(t, csrf.New([][]byte{old}))
	_, foreignCookie := issue(t, csrf.New([][]byte{secret(t)}))
	tests := []struct {
		name      string
		cookie    string
		wantToken string
		wantOK    bool
	}{
		{"active", cookie, token, true},
		{"inactive but valid", oldCookie, oldToken, true},
		{"foreign", foreignCookie, "", false},
		{"empty", "", "", false},
		{"garbage", "x|y", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := p.Parse(tt.cookie)
			if got != tt.wantToken || ok != tt.wantOK {
				t.Errorf("Parse = %q, %v; want %q, %v", got, ok, tt.wantToken, tt.wantOK)
			}
		})
	}
	// Once the old key is gone, its cookies no longer parse.
	if _, ok := csrf.New([][]byte{active}).Parse(oldCookie); ok {
		t.Error("a cookie of a removed key still parses")
	}
}

// FuzzParse: a cookie value is accepted only as token|HMAC(key, token) of
// a 64-character token under one of the keys, and Verify accepts exactly
// that token.
func FuzzParse(f *testing.F) {
	key, old := make([]byte, 32), make([]byte, 32)
	old[0] = 1
	p := csrf.New([][]byte{key, old})
	token, cookie, err := p.Issue()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(cookie, token)
	f.Add(cookie+"|x", token)
	f.Add(strings.ToUpper(cookie), strings.ToUpper(token))
	f.Add(token+"|"+token, token)
	f.Add("|", "")
	f.Fuzz(func(t *testing.T, cookie, submitted string) {
		got, ok := p.Parse(cookie)
		if ok {
			tok, hash, _ := strings.Cut(cookie, "|")
			valid := false
			for _, k := range [][]byte{key, old} {
				m := hmac.New(sha256.New, k)
				m.Write([]byte(tok))
				valid = valid || hex.EncodeToString(m.Sum(nil)) == hash
			}
			if got != tok || len(tok) != 64 || !valid {
				t.Fatalf("Parse(%q) = %q, true", cookie, got)
			}
		}
		if p.Verify(cookie, submitted) != (ok && submitted == got) {
			t.Fatalf("Verify(%q, %q) = %v, Parse = %q %v", cookie, submitted, !(ok && submitted == got), got, ok)
		}
	})
}

// TestNoSecrets: a protector without secrets (every signing key expired,
// or the zero Protector) issues nothing — Issue returns ErrNoSecrets, no
// panic — and verifies nothing.
func TestNoSecrets(t *testing.T) {
	cookie := "x"
	if _, c, err := csrf.New([][]byte{secret(t)}).Issue(); err == nil {
		cookie = c
	}
	for name, p := range map[string]*csrf.Protector{"New(nil)": csrf.New(nil), "zero": {}} {
		token, c, err := p.Issue()
		if !errors.Is(err, csrf.ErrNoSecrets) || token != "" || c != "" {
			t.Errorf("%s: Issue() = %q, %q, %v; want ErrNoSecrets", name, token, c, err)
		}
		tok, _, _ := strings.Cut(cookie, "|")
		if _, ok := p.Parse(cookie); ok || p.Verify(cookie, tok) {
			t.Errorf("%s: a cookie of another protector parsed or verified", name)
		}
	}
}
