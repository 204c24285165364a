package keys_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
)

var b64 = base64.RawURLEncoding

// thumbprint computes the RFC 7638 thumbprint of an oct key independently of
// the package: SHA-256 over {"k":"<b64url>","kty":"oct"}.
func thumbprint(secret []byte) string {
	sum := sha256.Sum256([]byte(`{"k":"` + b64.EncodeToString(secret) + `","kty":"oct"}`))
	return b64.EncodeToString(sum[:])
}

func generate(t *testing.T) *keys.Set {
	t.Helper()
	s, err := keys.Generate()
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return s
}

func marshal(t *testing.T, s *keys.Set) []byte {
	t.Helper()
	data, err := s.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	return data
}

// jwkJSON is one key as the test writes it, independently of the package.
type jwkJSON struct {
	Kty string `json:"kty"`
	K   string `json:"k"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Exp int64  `json:"exp,omitempty"`
}

func rawKey(t *testing.T, use, alg string, size int) jwkJSON {
	t.Helper()
	secret := make([]byte, size)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	return jwkJSON{Kty: "oct", K: b64.EncodeToString(secret), Kid: thumbprint(secret), Use: use, Alg: alg}
}

func setJSON(t *testing.T, ks ...jwkJSON) []byte {
	t.Helper()
	data, err := json.Marshal(map[string]any{"keys": ks})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGenerate(t *testing.T) {
	s := generate(t)
	ks := s.Keys()
	if len(ks) != 2 {
		t.Fatalf("Generate made %d keys, want 2", len(ks))
	}
	tests := []struct {
		name string
		key  keys.Key
		use  string
		alg  string
		size int
	}{
		{"signing", s.Signing(), keys.UseSig, keys.AlgHS512, 64},
		{"encryption", s.Encryption(), keys.UseEnc, keys.AlgA256GCM, 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.key
			if k.Use != tt.use || k.Alg != tt.alg {
				t.Errorf("use/alg = %s/%s, want %s/%s", k.Use, k.Alg, tt.use, tt.alg)
			}
			if len(k.Secret) != tt.size {
				t.Errorf("secret is %d bytes, want %d", len(k.Secret), tt.size)
			}
			if want := thumbprint(k.Secret); k.ID != want {
				t.Errorf("kid = %q, want RFC 7638 thumbprint %q", k.ID, want)
			}
			if !k.Active() || !k.Expires.IsZero() {
				t.Errorf("fresh key is not active: Expires = %v", k.Expires)
			}
			if bytes.Equal(k.Secret, make([]byte, tt.size)) {
				t.Error("secret is all zeros")
			}
		})
	}
	if bytes.Equal(s.Signing().Secret[:32], s.Encryption().Secret) {
		t.Error("signing and encryption keys share material")
	}
	other := generate(t)
	if bytes.Equal(s.Signing().Secret, other.Signing().Secret) {
		t.Error("two Generate calls returned the same signing key")
	}
}

// TestThumbprintKnownVector pins the thumbprint of a fixed key so that the
// test's own computation cannot drift together with the package's.
func TestThumbprintKnownVector(t *testing.T) {
	secret := make([]byte, 64) // all zeros
	k := jwkJSON{Kty: "oct", K: b64.EncodeToString(secret), Use: "sig", Alg: "HS512"}
	input := `{"k":"` + k.K + `","kty":"oct"}`
	sum := sha256.Sum256([]byte(input))
	k.Kid = b64.EncodeToString(sum[:])
	enc := rawKey(t, keys.UseEnc, keys.AlgA256GCM, 32)
	s, err := keys.Parse(setJSON(t, k, enc))
	if err != nil {
		t.Fatalf("Parse rejected a key whose kid is its thumbprint: %v", err)
	}
	if got := s.Signing().ID; got != k.Kid {
		t.Errorf("kid = %q, want %q", got, k.Kid)
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	rotated := generate(t)
	if err := rotated.Rotate(now, time.Hour); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		set  *keys.Set
	}{
		{"fresh", generate(t)},
		{"rotated", rotated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := marshal(t, tt.set)
			var doc struct {
				Keys []map[string]any `json:"keys"`
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatalf("MarshalJSON wrote invalid JSON: %v\n%s", err, data)
			}
			for i, k := range doc.Keys {
				if k["kty"] != "oct" {
					t.Errorf("key %d: kty = %v, want oct", i, k["kty"])
				}
			}
			got, err := keys.Parse(data)
			if err != nil {
				t.Fatalf("Parse(MarshalJSON()): %v", err)
			}
			want := tt.set.Keys()
			have := got.Keys()
			if len(have) != len(want) {
				t.Fatalf("round trip has %d keys, want %d", len(have), len(want))
			}
			for i := range want {
				w, h := want[i], have[i]
				if h.ID != w.ID || h.Use != w.Use || h.Alg != w.Alg || !bytes.Equal(h.Secret, w.Secret) || !h.Expires.Equal(w.Expires) {
					t.Errorf("key %d: got %+v, want %+v", i, h, w)
				}
			}
			if again := marshal(t, got); !bytes.Equal(again, data) {
				t.Errorf("second MarshalJSON differs:\n%s\nvs\n%s", again, data)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	sig := func(t *testing.T) jwkJSON { return rawKey(t, keys.UseSig, keys.AlgHS512, 64) }
	enc := func(t *testing.T) jwkJSON { return rawKey(t, keys.UseEnc, keys.AlgA256GCM, 32) }
	tests := []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"empty input", func(*testing.T) []byte { return nil }},
		{"bad JSON", func(*testing.T) []byte { return []byte(`{"keys":[`) }},
		{"not an object", func(*testing.T) []byte { return []byte(`[]`) }},
		{"keys not an array", func(*testing.T) []byte { return []byte(`{"keys":{}}`) }},
		{"key not an object", func(*testing.T) []byte { return []byte(`{"keys":["x"]}`) }},
		{"no keys", func(*testing.T) []byte { return []byte(`{"keys":[]}`) }},
		{"kty RSA", func(t *testing.T) []byte {
			k := sig(t)
			k.Kty = "RSA"
			return setJSON(t, k, enc(t))
		}},
		{"kty EC", func(t *testing.T) []byte {
			k := enc(t)
			k.Kty = "EC"
			return setJSON(t, sig(t), k)
		}},
		{"kty missing", func(t *testing.T) []byte {
			k := sig(t)
			k.Kty = ""
			return setJSON(t, k, enc(t))
		}},
		{"sig key with HS256", func(t *testing.T) []byte {
			k := sig(t)
			k.Alg = "HS256"
			return setJSON(t, k, enc(t))
		}},
		{"sig key with A256GCM", func(t *testing.T) []byte {
			k := sig(t)
			k.Alg = keys.AlgA256GCM
			return setJSON(t, k, enc(t))
		}},
		{"enc key with HS512", func(t *testing.T) []byte {
			k := enc(t)
			k.Alg = keys.AlgHS512
			return setJSON(t, sig(t), k)
		}},
		{"enc key with A128GCM", func(t *testing.T) []byte {
			k := rawKey(t, keys.UseEnc, "A128GCM", 16)
			return setJSON(t, sig(t), k)
		}},
		{"unknown use", func(t *testing.T) []byte {
			k := sig(t)
			k.Use = "wrap"
			return setJSON(t, k, enc(t))
		}},
		{"missing use", func(t *testing.T) []byte {
			k := sig(t)
			k.Use = ""
			return setJSON(t, k, enc(t))
		}},
		{"HS512 key of 32 bytes", func(t *testing.T) []byte {
			return setJSON(t, rawKey(t, keys.UseSig, keys.AlgHS512, 32), enc(t))
		}},
		{"HS512 key of 65 bytes", func(t *testing.T) []byte {
			return setJSON(t, rawKey(t, keys.UseSig, keys.AlgHS512, 65), enc(t))
		}},
		{"A256GCM key of 16 bytes", func(t *testing.T) []byte {
			return setJSON(t, sig(t), rawKey(t, keys.UseEnc, keys.AlgA256GCM, 16))
		}},
		{"A256GCM key of 64 bytes", func(t *testing.T) []byte {
			return setJSON(t, sig(t), rawKey(t, keys.UseEnc, keys.AlgA256GCM, 64))
		}},
		{"kid not thumbprint", func(t *testing.T) []byte {
			k := sig(t)
			k.Kid = "my-key"
			return setJSON(t, k, enc(t))
		}},
		{"kid of another key", func(t *testing.T) []byte {
			k, other := sig(t), sig(t)
			k.Kid = other.Kid
			return setJSON(t, k, enc(t))
		}},
		{"kid missing", func(t *testing.T) []byte {
			k := enc(t)
			k.Kid = ""
			return setJSON(t, sig(t), k)
		}},
		{"key material not base64url", func(t *testing.T) []byte {
			k := sig(t)
			k.K = "!!!" + k.K[3:]
			return setJSON(t, k, enc(t))
		}},
		{"no signing key", func(t *testing.T) []byte { return setJSON(t, enc(t)) }},
		{"no encryption key", func(t *testing.T) []byte { return setJSON(t, sig(t)) }},
		{"no active signing key", func(t *testing.T) []byte {
			k := sig(t)
			k.Exp = 1_800_000_000
			return setJSON(t, k, enc(t))
		}},
		{"no active encryption key", func(t *testing.T) []byte {
			k := enc(t)
			k.Exp = 1_800_000_000
			return setJSON(t, sig(t), k)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := keys.Parse(tt.data(t))
			if !errors.Is(err, keys.ErrInvalid) {
				t.Fatalf("Parse error = %v, want keys.ErrInvalid", err)
			}
			if s != nil {
				t.Errorf("Parse returned a set with its error: %+v", s.Keys())
			}
		})
	}
}

func TestParseAcceptsRetiredKeys(t *testing.T) {
	old := rawKey(t, keys.UseSig, keys.AlgHS512, 64)
	old.Exp = 1_800_000_000
	active := rawKey(t, keys.UseSig, keys.AlgHS512, 64)
	enc := rawKey(t, keys.UseEnc, keys.AlgA256GCM, 32)
	// The retired key comes first: the active one is the first without exp.
	s, err := keys.Parse(setJSON(t, old, active, enc))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Signing().ID; got != active.Kid {
		t.Errorf("Signing() = %q, want the key without exp %q", got, active.Kid)
	}
	var retired keys.Key
	for _, k := range s.Keys() {
		if k.ID == old.Kid {
			retired = k
		}
	}
	if retired.Active() || !retired.Expires.Equal(time.Unix(old.Exp, 0)) {
		t.Errorf("retired key: Active = %v, Expires = %v, want retired at %v", retired.Active(), retired.Expires, time.Unix(old.Exp, 0))
	}
}

func TestRotate(t *testing.T) {
	s := generate(t)
	oldSig, oldEnc := s.Signing(), s.Encryption()
	now := time.Unix(1_800_000_000, 0)
	keep := 30 * 24 * time.Hour
	if err := s.Rotate(now, keep); err != nil {
		t.Fatal(err)
	}
	if len(s.Keys()) != 4 {
		t.Fatalf("after Rotate the set has %d keys, want 4", len(s.Keys()))
	}
	newSig, newEnc := s.Signing(), s.Encryption()
	if newSig.ID == oldSig.ID || newEnc.ID == oldEnc.ID {
		t.Fatal("Rotate did not make new active keys")
	}
	if newSig.ID != thumbprint(newSig.Secret) || newEnc.ID != thumbprint(newEnc.Secret) {
		t.Error("rotated keys' kids are not their thumbprints")
	}
	wantExp := now.Add(keep)
	for _, k := range s.Keys() {
		switch k.ID {
		case oldSig.ID, oldEnc.ID:
			if k.Active() {
				t.Errorf("old %s key is still active", k.Use)
			}
			if !k.Expires.Equal(wantExp) {
				t.Errorf("old %s key expires %v, want %v", k.Use, k.Expires, wantExp)
			}
		case newSig.ID, newEnc.ID:
			if !k.Active() {
				t.Errorf("new %s key is not active", k.Use)
			}
		default:
			t.Errorf("unexpected key %q", k.ID)
		}
	}
	// A second rotation keeps the first retirement time.
	later := now.Add(time.Hour)
	if err := s.Rotate(later, keep); err != nil {
		t.Fatal(err)
	}
	for _, k := range s.Keys() {
		switch k.ID {
		case oldSig.ID, oldEnc.ID:
			if !k.Expires.Equal(wantExp) {
				t.Errorf("second Rotate moved the first retirement of %s to %v", k.Use, k.Expires)
			}
		case newSig.ID, newEnc.ID:
			if !k.Expires.Equal(later.Add(keep)) {
				t.Errorf("second Rotate: %s key expires %v, want %v", k.Use, k.Expires, later.Add(keep))
			}
		}
	}
	// The rotated set survives a round trip.
	if _, err := keys.Parse(marshal(t, s)); err != nil {
		t.Errorf("Parse of rotated set: %v", err)
	}
}

// TestRotateAlwaysSigns: after any rotation RotateWith accepts, some key
// signs, and Derive (the CSRF secrets) has a secret, at every time — before
// and after a staged key takes over and a replaced key expires, whatever
// Keep, even one shorter than StagingPeriod or 0; a negative Keep, which
// would leave a time when no key signs, is ErrKeep and changes nothing.
func TestRotateAlwaysSigns(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, o := range []keys.RotateOptions{
		{Keep: 0}, {Keep: time.Second}, {Keep: 24 * time.Hour},
		{Alg: keys.AlgES256, Keep: 0}, {Alg: keys.AlgES256, Keep: keys.StagingPeriod / 2}, {Alg: keys.AlgES256, Keep: 2 * keys.StagingPeriod},
		{Alg: keys.AlgEdDSA, Keep: 0, Now: true},
	} {
		s := generate(t)
		if err := s.RotateWith(now, o); err != nil {
			t.Fatalf("RotateWith(%+v): %v", o, err)
		}
		var times []time.Time
		for _, k := range s.Keys() {
			for _, at := range []time.Time{k.NotBefore, k.Expires} {
				if !at.IsZero() {
					times = append(times, at.Add(-time.Nanosecond), at, at.Add(time.Nanosecond))
				}
			}
		}
		for _, at := range append(times, now, now.Add(-time.Hour), now.Add(1000*time.Hour)) {
			if s.SigningAt(at).ID == "" || len(s.Derive("csrf", at)) == 0 {
				t.Errorf("RotateWith(%+v): at now%+v no key signs (%d secrets derived)", o, at.Sub(now), len(s.Derive("csrf", at)))
			}
		}
	}
	for _, alg := range []string{keys.AlgHS512, keys.AlgES256} {
		s := generate(t)
		before := marshal(t, s)
		if err := s.RotateWith(now, keys.RotateOptions{Alg: alg, Keep: -time.Minute}); !errors.Is(err, keys.ErrKeep) {
			t.Errorf("RotateWith %s with Keep -1m: %v, want ErrKeep", alg, err)
		}
		if !bytes.Equal(marshal(t, s), before) {
			t.Errorf("RotateWith %s with Keep -1m changed the set", alg)
		}
	}
}

func TestValidAndDerive(t *testing.T) {
	s := generate(t)
	oldSig, oldEnc := s.Signing(), s.Encryption()
	now := time.Unix(1_800_000_000, 0)
	keep := time.Hour
	before := s.Derive("csrf", now)
	if err := s.Rotate(now, keep); err != nil {
		t.Fatal(err)
	}
	exp := now.Add(keep)
	tests := []struct {
		name    string
		at      time.Time
		wantSig []string
		wantEnc []string
	}{
		{"at rotation", now, []string{s.Signing().ID, oldSig.ID}, []string{s.Encryption().ID, oldEnc.ID}},
		{"just before expiry", exp.Add(-time.Second), []string{s.Signing().ID, oldSig.ID}, []string{s.Encryption().ID, oldEnc.ID}},
		{"at expiry", exp, []string{s.Signing().ID}, []string{s.Encryption().ID}},
		{"after expiry", exp.Add(time.Hour), []string{s.Signing().ID}, []string{s.Encryption().ID}},
	}
	ids := func(ks []keys.Key) []string {
		var out []string
		for _, k := range ks {
			out = append(out, k.ID)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(s.Valid(keys.UseSig, tt.at)); strings.Join(got, ",") != strings.Join(tt.wantSig, ",") {
				t.Errorf("Valid(sig) = %v, want %v", got, tt.wantSig)
			}
			if got := ids(s.Valid(keys.UseEnc, tt.at)); strings.Join(got, ",") != strings.Join(tt.wantEnc, ",") {
				t.Errorf("Valid(enc) = %v, want %v", got, tt.wantEnc)
			}
			d := s.Derive("csrf", tt.at)
			if len(d) != len(tt.wantSig) {
				t.Fatalf("Derive returned %d secrets, want %d", len(d), len(tt.wantSig))
			}
			for i, secret := range d {
				if len(secret) != 32 {
					t.Errorf("derived secret %d is %d bytes, want 32", i, len(secret))
				}
			}
			// The old key's derived secret is unchanged by the rotation
			// and comes after the active one.
			if len(d) == 2 && !bytes.Equal(d[1], before[0]) {
				t.Error("derived secret of the retired key changed after Rotate")
			}
			if bytes.Equal(d[0], before[0]) {
				t.Error("active derived secret did not change after Rotate")
			}
		})
	}
}

func TestDeriveLabels(t *testing.T) {
	s := generate(t)
	now := time.Unix(1_800_000_000, 0)
	a1, a2, b := s.Derive("csrf", now), s.Derive("csrf", now), s.Derive("email", now)
	if !bytes.Equal(a1[0], a2[0]) {
		t.Error("Derive is not deterministic")
	}
	if bytes.Equal(a1[0], b[0]) {
		t.Error("different labels derived the same secret")
	}
	if bytes.Equal(a1[0], s.Signing().Secret[:32]) {
		t.Error("derived secret is the raw key")
	}
}

// TestDeriveWithIDs: the secrets are Derive's for the same use and label,
// each named by its key's kid and expiry, and a retired key's secret
// survives a rotation until the key expires.
func TestDeriveWithIDs(t *testing.T) {
	s := generate(t)
	now := time.Unix(1_800_000_000, 0)
	plain := s.Derive("csrf", now)
	withIDs := s.DeriveWithIDs(keys.UseSig, "csrf", now)
	if len(withIDs) != 1 || !bytes.Equal(withIDs[0].Secret, plain[0]) || withIDs[0].KeyID != s.Signing().ID || !withIDs[0].Expires.IsZero() {
		t.Fatalf("DeriveWithIDs(sig, csrf) = %d secrets, not Derive's secret named by the signing key", len(withIDs))
	}
	oldEnc := s.Encryption()
	before := s.DeriveWithIDs(keys.UseEnc, "tokens", now)
	if len(before) != 1 || before[0].KeyID != oldEnc.ID || len(before[0].Secret) != 32 {
		t.Fatalf("DeriveWithIDs(enc) = %+v", before)
	}
	if bytes.Equal(before[0].Secret, oldEnc.Secret) || bytes.Equal(before[0].Secret, s.DeriveWithIDs(keys.UseEnc, "other", now)[0].Secret) {
		t.Error("the derived secret is the raw key, or two labels share one")
	}
	if err := s.Rotate(now, time.Hour); err != nil {
		t.Fatal(err)
	}
	after := s.DeriveWithIDs(keys.UseEnc, "tokens", now)
	if len(after) != 2 || after[0].KeyID != s.Encryption().ID || !after[0].Expires.IsZero() ||
		after[1].KeyID != oldEnc.ID || !bytes.Equal(after[1].Secret, before[0].Secret) || !after[1].Expires.Equal(now.Add(time.Hour)) {
		t.Errorf("after Rotate: %d secrets, want the new key's then the retired key's, unchanged, with its expiry", len(after))
	}
	if got := s.DeriveWithIDs(keys.UseEnc, "tokens", now.Add(time.Hour)); len(got) != 1 || got[0].KeyID != s.Encryption().ID {
		t.Errorf("at the retired key's expiry: %d secrets, want only the active key's", len(got))
	}
}

func TestPrune(t *testing.T) {
	s := generate(t)
	now := time.Unix(1_800_000_000, 0)
	if got := s.Prune(now); got != 0 {
		t.Fatalf("Prune of fresh set removed %d keys", got)
	}
	if err := s.Rotate(now, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Rotate(now.Add(time.Hour/2), time.Hour); err != nil {
		t.Fatal(err)
	}
	active := []string{s.Signing().ID, s.Encryption().ID}
	tests := []struct {
		at   time.Time
		want int
		left int
	}{
		{now, 0, 6},
		{now.Add(time.Hour - time.Second), 0, 6},
		{now.Add(time.Hour), 2, 4},
		{now.Add(time.Hour), 0, 4},
		{now.Add(2 * time.Hour), 2, 2},
		{now.Add(1000 * time.Hour), 0, 2},
	}
	for _, tt := range tests {
		if got := s.Prune(tt.at); got != tt.want {
			t.Errorf("Prune(%v) = %d, want %d", tt.at, got, tt.want)
		}
		if got := len(s.Keys()); got != tt.left {
			t.Errorf("after Prune(%v): %d keys, want %d", tt.at, got, tt.left)
		}
	}
	if s.Signing().ID != active[0] || s.Encryption().ID != active[1] {
		t.Error("Prune removed an active key")
	}
}

func TestKeysReturnsCopy(t *testing.T) {
	s := generate(t)
	ks := s.Keys()
	ks[0].ID = "changed"
	ks[0].Expires = time.Unix(1, 0)
	if s.Keys()[0].ID == "changed" || !s.Keys()[0].Active() {
		t.Error("Keys() exposes the set's storage")
	}
}

func TestWriteFileReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "authgen.keys.json")
	s := generate(t)
	if err := s.WriteFile(path); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode = %#o, want 0600", mode)
	}
	got, err := keys.ReadFile(path)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	if got.Signing().ID != s.Signing().ID || got.Encryption().ID != s.Encryption().ID {
		t.Error("ReadFile returned different keys")
	}

	// Overwriting an existing, more permissive file still leaves 0600.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := generate(t)
	if err := s2.WriteFile(path); err != nil {
		t.Fatalf("WriteFile over existing file: %v", err)
	}
	fi, err = os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode after overwrite = %#o, want 0600", mode)
	}
	if got, err := keys.ReadFile(path); err != nil || got.Signing().ID != s2.Signing().ID {
		t.Errorf("ReadFile after overwrite: %v", err)
	}
	// No temporary files are left behind.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the key file", names)
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "keys.json")
	if err := generate(t).WriteFile(path); err == nil {
		t.Fatal("WriteFile into a missing directory succeeded")
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"keys":`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want error
	}{
		{"missing", filepath.Join(dir, "nope.json"), keys.ErrNoKeys},
		{"invalid", bad, keys.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := keys.ReadFile(tt.path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadFile error = %v, want %v", err, tt.want)
			}
			if s != nil {
				t.Error("ReadFile returned a set with its error")
			}
		})
	}
}

func TestLoad(t *testing.T) {
	envSet, fileSet, defaultSet := generate(t), generate(t), generate(t)
	envJSON := string(marshal(t, envSet))

	tests := []struct {
		name        string
		env         map[string]string
		writeFile   bool // write fileSet to keys.json in the directory
		writeDef    bool // write defaultSet to ./authgen.keys.json
		want        *keys.Set
		wantFrom    string
		wantErr     error
		wantErrText string
	}{
		{
			name:      "AUTH_KEYS wins over everything",
			env:       map[string]string{keys.EnvKeys: envJSON, keys.EnvKeysFile: "keys.json"},
			writeFile: true, writeDef: true,
			want: envSet, wantFrom: keys.EnvKeys,
		},
		{
			name:      "AUTH_KEYS_FILE wins over the default file",
			env:       map[string]string{keys.EnvKeysFile: "keys.json"},
			writeFile: true, writeDef: true,
			want: fileSet, wantFrom: "keys.json",
		},
		{
			name:     "default file",
			env:      map[string]string{},
			writeDef: true,
			want:     defaultSet, wantFrom: keys.DefaultFile,
		},
		{
			name:    "nothing",
			env:     map[string]string{},
			wantErr: keys.ErrNoKeys, wantFrom: keys.DefaultFile,
		},
		{
			name:     "AUTH_KEYS_FILE names a missing file",
			env:      map[string]string{keys.EnvKeysFile: "missing.json"},
			writeDef: true,
			wantErr:  keys.ErrNoKeys, wantFrom: "missing.json",
		},
		{
			name:     "invalid AUTH_KEYS is not skipped",
			env:      map[string]string{keys.EnvKeys: `{"keys":[]}`},
			writeDef: true,
			wantErr:  keys.ErrInvalid, wantFrom: keys.EnvKeys,
			wantErrText: keys.EnvKeys,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			if tt.writeFile {
				if err := fileSet.WriteFile(filepath.Join(dir, "keys.json")); err != nil {
					t.Fatal(err)
				}
			}
			if tt.writeDef {
				if err := defaultSet.WriteFile(filepath.Join(dir, keys.DefaultFile)); err != nil {
					t.Fatal(err)
				}
			}
			getenv := func(k string) string { return tt.env[k] }
			s, from, err := keys.Load(getenv)
			if from != tt.wantFrom {
				t.Errorf("Load source = %q, want %q", from, tt.wantFrom)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Load error = %v, want %v", err, tt.wantErr)
				}
				if tt.wantErrText != "" && !strings.Contains(err.Error(), tt.wantErrText) {
					t.Errorf("Load error %q does not mention %q", err, tt.wantErrText)
				}
				if s != nil {
					t.Error("Load returned a set with its error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if s.Signing().ID != tt.want.Signing().ID {
				t.Errorf("Load returned the wrong set (signing kid %q, want %q)", s.Signing().ID, tt.want.Signing().ID)
			}
		})
	}
}

func TestZeroSet(t *testing.T) {
	var s keys.Set
	if k := s.Signing(); k.ID != "" {
		t.Errorf("zero set has a signing key %+v", k)
	}
	if got := s.Derive("csrf", time.Now()); len(got) != 0 {
		t.Errorf("zero set derived %d secrets", len(got))
	}
	data, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"keys": []`)) {
		t.Errorf("zero set marshals as %s, want an empty keys array", data)
	}
}

func TestMarshalCompact(t *testing.T) {
	s := generate(t)
	if err := s.Rotate(time.Unix(1_800_000_000, 0), time.Hour); err != nil {
		t.Fatal(err)
	}
	data, err := s.MarshalCompact()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(data, "\n\r\t ") {
		t.Errorf("MarshalCompact is not single-line JSON: %s", data)
	}
	got, err := keys.Parse(data)
	if err != nil {
		t.Fatalf("Parse(MarshalCompact()): %v", err)
	}
	if again := marshal(t, got); !bytes.Equal(again, marshal(t, s)) {
		t.Error("MarshalCompact does not round-trip")
	}
	// It is what AUTH_KEYS holds.
	ks, from, err := keys.Load(func(k string) string {
		if k == keys.EnvKeys {
			return string(data)
		}
		return ""
	})
	if err != nil || from != keys.EnvKeys || ks.Signing().ID != s.Signing().ID {
		t.Errorf("Load from AUTH_KEYS = %v, %q, %v", ks, from, err)
	}
}
