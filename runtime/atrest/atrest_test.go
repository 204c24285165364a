package atrest_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/store"
)

var now = time.Unix(1_800_000_000, 0)

func newSealer(t testing.TB, ks *keys.Set, at time.Time) *atrest.Sealer {
	t.Helper()
	s, err := atrest.New(ks, at)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func generate(t testing.TB) *keys.Set {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// account is an account as a sign-in writes it, every sealed field set.
func account() store.Account {
	return store.Account{
		UserID: "u1", Type: "oidc", Provider: "corp", ProviderAccountID: "1815",
		AccessToken: "at-secret-access", RefreshToken: "rt-secret-refresh", IDToken: "eyJ.id-token.sig",
		TokenSecret: "ts-secret", ExpiresAt: 1_800_003_600, TokenType: "bearer", Scope: "openid email", SessionState: "ss",
	}
}

func TestSealOpen(t *testing.T) {
	ks := generate(t)
	s := newSealer(t, ks, now)
	for _, value := range []string{"x", "at-secret", "authgen:v1:looks:sealed", strings.Repeat("é", 3000)} {
		sealed := s.Seal(value, atrest.AccessToken, "corp", "1815")
		// (A one-letter value may occur in the base64 by chance.)
		if !strings.HasPrefix(sealed, atrest.Prefix+ks.Encryption().ID+":") || (len(value) > 4 && strings.Contains(sealed, value)) {
			t.Errorf("Seal(%.12q) = %.60q…, want the prefix, the active key's kid and no plaintext", value, sealed)
		}
		if atrest.KeyID(sealed) != ks.Encryption().ID || !atrest.IsSealed(sealed) {
			t.Errorf("KeyID = %q, IsSealed = %v", atrest.KeyID(sealed), atrest.IsSealed(sealed))
		}
		got, err := s.Open(sealed, atrest.AccessToken, "corp", "1815", now)
		if err != nil || got != value {
			t.Errorf("Open(Seal(%.12q)) = %.12q, %v", value, got, err)
		}
		if len(sealed) != atrest.SealedLen(len(value)) {
			t.Errorf("the sealed form of %d bytes is %d bytes, SealedLen says %d", len(value), len(sealed), atrest.SealedLen(len(value)))
		}
		if again := s.Seal(value, atrest.AccessToken, "corp", "1815"); again == sealed {
			t.Error("two seals of one value are equal (the nonce is not random)")
		}
	}
	if got := s.Seal("", atrest.AccessToken, "corp", "1815"); got != "" {
		t.Errorf("Seal(\"\") = %q, want \"\" (an absent token stays absent)", got)
	}
	if got, err := s.Open("", atrest.AccessToken, "corp", "1815", now); got != "" || err != nil {
		t.Errorf("Open(\"\") = %q, %v", got, err)
	}
}

// TestPlaintextFromBefore: a value written before tokens were sealed reads
// as it is; one that starts with the format's family does not, and reads
// as absent, never as the wrong token.
func TestPlaintextFromBefore(t *testing.T) {
	s := newSealer(t, generate(t), now)
	for _, v := range []string{"gho_16C7e42F292c6912E7710c838347Ae178B4a", "ya29.a0AfH6SM", "eyJhbGciOiJSUzI1NiJ9.e30.sig", "authgen-token", "authgen:", "authgen:x"} {
		if got, err := s.Open(v, atrest.AccessToken, "corp", "1815", now); got != v || err != nil {
			t.Errorf("Open(%q) = %q, %v; want it as it is", v, got, err)
		}
	}
	for _, v := range []string{"authgen:v1:", "authgen:v1:kid", "authgen:v1:kid:data", "authgen:v2:kid:data", "authgen:v"} {
		got, err := s.Open(v, atrest.AccessToken, "corp", "1815", now)
		if got != "" || !(errors.Is(err, atrest.ErrInvalid) || errors.Is(err, atrest.ErrUnknownKey)) {
			t.Errorf("Open(%q) = %q, %v; want \"\" and ErrInvalid or ErrUnknownKey", v, got, err)
		}
	}
}

// TestBoundToFieldAndAccount: a sealed value moved to another field, or to
// the same field of another account, does not open.
func TestBoundToFieldAndAccount(t *testing.T) {
	s := newSealer(t, generate(t), now)
	sealed := s.Seal("at-secret", atrest.AccessToken, "corp", "1815")
	moves := []struct {
		name              string
		field             atrest.Field
		provider, account string
	}{
		{"another field", atrest.RefreshToken, "corp", "1815"},
		{"the ID token field", atrest.IDToken, "corp", "1815"},
		{"the token secret field", atrest.TokenSecret, "corp", "1815"},
		{"another account", atrest.AccessToken, "corp", "1816"},
		{"another provider", atrest.AccessToken, "other", "1815"},
		{"provider and account shifted", atrest.AccessToken, "corp\x001815", ""},
		{"account ID extended", atrest.AccessToken, "corp", "1815\x00"},
	}
	for _, m := range moves {
		got, err := s.Open(sealed, m.field, m.provider, m.account, now)
		if !errors.Is(err, atrest.ErrInvalid) || got != "" {
			t.Errorf("%s: Open = %q, %v; want ErrInvalid", m.name, got, err)
		}
	}
}

func TestTampered(t *testing.T) {
	ks := generate(t)
	s := newSealer(t, ks, now)
	sealed := s.Seal("at-secret", atrest.AccessToken, "corp", "1815")
	head, data := sealed[:strings.LastIndexByte(sealed, ':')+1], sealed[strings.LastIndexByte(sealed, ':')+1:]
	raw, _ := base64.RawURLEncoding.DecodeString(data)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 1
		return head + base64.RawURLEncoding.EncodeToString(b)
	}
	cases := map[string]string{
		"nonce bit":          flip(0),
		"ciphertext bit":     flip(13),
		"tag bit":            flip(len(raw) - 1),
		"truncated":          head + base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]),
		"too short":          head + base64.RawURLEncoding.EncodeToString(raw[:20]),
		"not base64":         head + "!!!!",
		"padded base64":      head + base64.URLEncoding.EncodeToString(raw),
		"non-canonical tail": head + data[:len(data)-1] + string(rune(data[len(data)-1]+1)),
	}
	for name, v := range cases {
		if got, err := s.Open(v, atrest.AccessToken, "corp", "1815", now); !errors.Is(err, atrest.ErrInvalid) || got != "" {
			t.Errorf("%s: Open = %q, %v; want ErrInvalid", name, got, err)
		}
	}
	// Another key's kid in the head: that key cannot open it.
	other := generate(t)
	moved := strings.Replace(sealed, ks.Encryption().ID, other.Encryption().ID, 1)
	if _, err := s.Open(moved, atrest.AccessToken, "corp", "1815", now); !errors.Is(err, atrest.ErrUnknownKey) {
		t.Errorf("a kid of another set: %v, want ErrUnknownKey", err)
	}
}

// TestRotation: after keys rotate, values sealed with the old key still
// open (until that key expires), new values use the new key, and a value
// of a pruned or expired key reads as ErrUnknownKey.
func TestRotation(t *testing.T) {
	ks := generate(t)
	oldKid := ks.Encryption().ID
	old := newSealer(t, ks, now).Seal("at-old", atrest.AccessToken, "corp", "1815")

	const keep = 30 * 24 * time.Hour
	if err := ks.Rotate(now, keep); err != nil {
		t.Fatal(err)
	}
	s := newSealer(t, ks, now)
	if got, err := s.Open(old, atrest.AccessToken, "corp", "1815", now); got != "at-old" || err != nil {
		t.Fatalf("the old key's value after Rotate: %q, %v", got, err)
	}
	fresh := s.Seal("at-new", atrest.AccessToken, "corp", "1815")
	if kid := atrest.KeyID(fresh); kid != ks.Encryption().ID || kid == oldKid {
		t.Errorf("a value sealed after Rotate names %q, want the new key %q", kid, ks.Encryption().ID)
	}
	// The set before the rotation cannot read the new key's values (an
	// instance not yet given the new set).
	before := generate(t)
	if _, err := newSealer(t, before, now).Open(fresh, atrest.AccessToken, "corp", "1815", now); !errors.Is(err, atrest.ErrUnknownKey) {
		t.Errorf("another set opened the value: %v", err)
	}
	// At the old key's expiry its values no longer open, with the same
	// Sealer (a long-running process) or a new one.
	exp := now.Add(keep)
	for name, s := range map[string]*atrest.Sealer{"running": s, "restarted": newSealer(t, ks, exp)} {
		got, err := s.Open(old, atrest.AccessToken, "corp", "1815", exp)
		if !errors.Is(err, atrest.ErrUnknownKey) || got != "" {
			t.Errorf("%s, at the old key's expiry: %q, %v; want ErrUnknownKey", name, got, err)
		}
		if err != nil && strings.Contains(err.Error(), "at-old") {
			t.Error("the error shows the token")
		}
		if got, err := s.Open(fresh, atrest.AccessToken, "corp", "1815", exp); got != "at-new" || err != nil {
			t.Errorf("%s: the active key's value: %q, %v", name, got, err)
		}
	}
	// Pruned: gone from the set.
	if n := ks.Prune(exp); n != 2 {
		t.Fatalf("Prune removed %d keys, want 2", n)
	}
	if _, err := newSealer(t, ks, exp).Open(old, atrest.AccessToken, "corp", "1815", exp); !errors.Is(err, atrest.ErrUnknownKey) {
		t.Errorf("after Prune: %v, want ErrUnknownKey", err)
	}
}

func TestAccount(t *testing.T) {
	ks := generate(t)
	s := newSealer(t, ks, now)
	plain := account()
	acc := plain
	s.SealAccount(&acc)
	for name, v := range map[string]string{"access": acc.AccessToken, "refresh": acc.RefreshToken, "id": acc.IDToken, "secret": acc.TokenSecret} {
		if !strings.HasPrefix(v, atrest.Prefix) {
			t.Errorf("%s token not sealed", name)
		}
	}
	if acc.Scope != plain.Scope || acc.SessionState != plain.SessionState || acc.TokenType != plain.TokenType || acc.ExpiresAt != plain.ExpiresAt || acc.UserID != plain.UserID {
		t.Error("SealAccount changed a field that is not sealed")
	}
	if err := s.OpenAccount(&acc, now); err != nil || acc != plain {
		t.Fatalf("OpenAccount: %v; equal to the account sealed: %v", err, acc == plain)
	}

	// A row from before: plaintext opens as it is.
	acc = plain
	if err := s.OpenAccount(&acc, now); err != nil || acc != plain {
		t.Errorf("OpenAccount of a plaintext row: %v", err)
	}

	// Fields swapped within the row, and the row's ID token replaced by
	// another account's: those fields read as absent, the rest open.
	sealed := plain
	s.SealAccount(&sealed)
	other := plain
	other.ProviderAccountID = "1816"
	s.SealAccount(&other)
	acc = sealed
	acc.AccessToken, acc.RefreshToken = sealed.RefreshToken, sealed.AccessToken
	acc.IDToken = other.IDToken
	err := s.OpenAccount(&acc, now)
	if acc.AccessToken != "" || acc.RefreshToken != "" || acc.IDToken != "" || acc.TokenSecret != plain.TokenSecret {
		t.Errorf("after the swap: access %q, refresh %q, id %q, secret %q; want the moved ones absent", acc.AccessToken, acc.RefreshToken, acc.IDToken, acc.TokenSecret)
	}
	var fe *atrest.FieldError
	if !errors.Is(err, atrest.ErrInvalid) || !errors.As(err, &fe) || fe.KeyID != ks.Encryption().ID {
		t.Errorf("OpenAccount error = %v, want ErrInvalid in *FieldError naming the kid", err)
	}
	for _, f := range []atrest.Field{atrest.AccessToken, atrest.RefreshToken, atrest.IDToken} {
		if !strings.Contains(err.Error(), string(f)) {
			t.Errorf("the error does not name %s: %v", f, err)
		}
	}
	for _, secret := range []string{plain.AccessToken, plain.RefreshToken, plain.IDToken, plain.TokenSecret} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows a token: %v", err)
		}
	}
}

// TestSealedLen: the figures the docs give.
func TestSealedLen(t *testing.T) {
	for n, want := range map[int]int{4096: 5554, 2048: 2823, 49_082: 65_535, 49_083: 65_537} {
		if got := atrest.SealedLen(n); got != want {
			t.Errorf("SealedLen(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestNewRefusesEmptySet(t *testing.T) {
	if _, err := atrest.New(&keys.Set{}, now); !errors.Is(err, keys.ErrInvalid) {
		t.Errorf("New(empty set) = %v, want keys.ErrInvalid", err)
	}
}

// FuzzOpen: Open never panics, never returns a value with an error, and
// opens only what Seal made for that field and account.
func FuzzOpen(f *testing.F) {
	ks, err := keys.Generate()
	if err != nil {
		f.Fatal(err)
	}
	s, err := atrest.New(ks, now)
	if err != nil {
		f.Fatal(err)
	}
	sealed := s.Seal("at-secret", atrest.AccessToken, "corp", "1815")
	for _, seed := range []string{"", "plain", sealed, sealed[:len(sealed)-2], atrest.Prefix, atrest.Prefix + ks.Encryption().ID + ":", "authgen:v9:a:b", strings.ToUpper(sealed)} {
		f.Add(seed, "corp", "1815")
	}
	f.Fuzz(func(t *testing.T, stored, provider, account string) {
		got, err := s.Open(stored, atrest.AccessToken, provider, account, now)
		if err != nil && got != "" {
			t.Fatalf("Open returned %q with %v", got, err)
		}
		if err == nil && atrest.IsSealed(stored) && (stored != sealed || provider != "corp" || account != "1815") {
			t.Fatalf("Open(%q, %q, %q) opened to %q", stored, provider, account, got)
		}
		if !atrest.IsSealed(stored) && (got != stored || err != nil) {
			t.Fatalf("a plaintext value changed: %q → %q, %v", stored, got, err)
		}
		// Whatever the value, sealing it round-trips.
		back, err := s.Open(s.Seal(stored, atrest.AccessToken, provider, account), atrest.AccessToken, provider, account, now)
		if err != nil || back != stored {
			t.Fatalf("round trip of %q: %q, %v", stored, back, err)
		}
	})
}
