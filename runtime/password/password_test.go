package password_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"github.com/authgen/authgen/runtime/password"
)

// cheap are parameters that keep the tests fast; the defaults are
// exercised by TestDefaultHash and the benchmarks.
var cheap = password.Argon2id{Params: password.Params{Memory: 64, Time: 1, Threads: 1}}

func TestDefaultHash(t *testing.T) {
	h, err := password.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("Hash = %q, want OWASP's parameters in PHC format", h)
	}
	ok, rehash, err := password.Verify(h, "correct horse")
	if !ok || rehash || err != nil {
		t.Fatalf("Verify(right) = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	ok, rehash, err = password.Verify(h, "wrong horse")
	if ok || rehash || err != nil {
		t.Fatalf("Verify(wrong) = %v, %v, %v; want false, false, nil", ok, rehash, err)
	}
	if h2, _ := password.Hash("correct horse"); h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

// TestPHCAgainstXCrypto decodes a hash and recomputes it with x/crypto's
// argon2.IDKey directly, and encodes a key x/crypto derived in the format
// Verify reads.
func TestPHCAgainstXCrypto(t *testing.T) {
	h, err := cheap.Hash("pässwörd")
	if err != nil {
		t.Fatal(err)
	}
	var m, tm uint32
	var p uint8
	var salt64, key64 string
	parts := strings.Split(h, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" {
		t.Fatalf("Hash = %q", h)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &tm, &p); err != nil {
		t.Fatal(err)
	}
	salt64, key64 = parts[4], parts[5]
	salt, err := base64.RawStdEncoding.DecodeString(salt64)
	if err != nil || len(salt) != password.SaltLen {
		t.Fatalf("salt %q: %v", salt64, err)
	}
	want := base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte("pässwörd"), salt, tm, m, p, password.KeyLen))
	if key64 != want {
		t.Fatalf("key %s, x/crypto computes %s", key64, want)
	}

	salt = []byte("0123456789abcdef0123")
	key := argon2.IDKey([]byte("other"), salt, 3, 128, 2, 24)
	enc := fmt.Sprintf("$argon2id$v=19$m=128,t=3,p=2$%s$%s", base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	ok, rehash, err := cheap.Verify(enc, "other")
	if !ok || err != nil {
		t.Fatalf("Verify(x/crypto's hash) = %v, %v", ok, err)
	}
	if !rehash {
		t.Error("a 24-byte key did not ask for a rehash")
	}
}

func TestRehash(t *testing.T) {
	weak := password.Argon2id{Params: password.Params{Memory: 32, Time: 1, Threads: 1}}
	h, err := weak.Hash("pw")
	if err != nil {
		t.Fatal(err)
	}
	if ok, rehash, err := cheap.Verify(h, "pw"); !ok || !rehash || err != nil {
		t.Fatalf("weaker memory: Verify = %v, %v, %v; want a match asking for a rehash", ok, rehash, err)
	}
	if ok, rehash, err := cheap.Verify(h, "nope"); ok || rehash || err != nil {
		t.Fatalf("wrong password on a weak hash: Verify = %v, %v, %v; want false, false, nil", ok, rehash, err)
	}
	for _, cost := range []int{bcrypt.MinCost, 10} {
		b, err := bcrypt.GenerateFromPassword([]byte("legacy"), cost)
		if err != nil {
			t.Fatal(err)
		}
		for _, prefix := range []string{"$2a$", "$2b$", "$2y$"} {
			hb := prefix + string(b[4:])
			if ok, rehash, err := cheap.Verify(hb, "legacy"); !ok || !rehash || err != nil {
				t.Errorf("bcrypt %s cost %d: Verify = %v, %v, %v; want true, true, nil", prefix, cost, ok, rehash, err)
			}
			if ok, _, err := cheap.Verify(hb, "Legacy"); ok || err != nil {
				t.Errorf("bcrypt %s: wrong password: Verify = %v, %v", prefix, ok, err)
			}
		}
	}
}

func TestMalformed(t *testing.T) {
	good, _ := cheap.Hash("pw")
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":          "",
		"plain text":     "pw",
		"md5crypt":       "$1$salt$hash",
		"argon2i":        "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"no version":     "$argon2id$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"version 16":     "$argon2id$v=16$" + parts[3] + "$" + parts[4] + "$" + parts[5],
		"huge memory":    "$argon2id$v=19$m=4294967295,t=1,p=1$" + parts[4] + "$" + parts[5],
		"zero time":      "$argon2id$v=19$m=64,t=0,p=1$" + parts[4] + "$" + parts[5],
		"zero threads":   "$argon2id$v=19$m=64,t=1,p=0$" + parts[4] + "$" + parts[5],
		"memory < 8p":    "$argon2id$v=19$m=8,t=1,p=2$" + parts[4] + "$" + parts[5],
		"repeated param": "$argon2id$v=19$m=64,m=64,p=1$" + parts[4] + "$" + parts[5],
		"padded salt":    "$argon2id$v=19$" + parts[3] + "$" + parts[4] + "==$" + parts[5],
		"short salt":     "$argon2id$v=19$" + parts[3] + "$c2FsdA$" + parts[5],
		"empty hash":     "$argon2id$v=19$" + parts[3] + "$" + parts[4] + "$",
		"extra field":    good + "$x",
		"bcrypt short":   "$2b$10$abc",
		"bcrypt cost 31": "$2b$31$" + strings.Repeat("a", 53),
	} {
		ok, rehash, err := cheap.Verify(h, "pw")
		if ok || rehash || err == nil {
			t.Errorf("%s: Verify(%q) = %v, %v, %v; want an error", name, h, ok, rehash, err)
		}
		if !errors.Is(err, password.ErrMalformed) && !errors.Is(err, password.ErrUnsupported) {
			t.Errorf("%s: error %v is neither ErrMalformed nor ErrUnsupported", name, err)
		}
		if strings.Contains(fmt.Sprint(err), "pw") && !strings.Contains(h, "pw") {
			t.Errorf("%s: the error names the password: %v", name, err)
		}
	}
	if _, err := password.Hash(""); !errors.Is(err, password.ErrEmpty) {
		t.Errorf("Hash(\"\") error %v, want ErrEmpty", err)
	}
	if _, err := (password.Argon2id{Params: password.Params{Memory: 1, Time: 1, Threads: 1}}).Hash("pw"); err == nil || !strings.Contains(err.Error(), "Params.Memory") {
		t.Errorf("Hash with 1 KiB: error %v, want one naming Params.Memory", err)
	}
}

// counting is a Hasher that counts VerifyDummy, as an Authorize's test
// injects.
type counting struct {
	password.Hasher
	dummies int
}

func (c *counting) VerifyDummy(pw string) { c.dummies++; c.Hasher.VerifyDummy(pw) }

func TestVerifyDummy(t *testing.T) {
	c := &counting{Hasher: cheap}
	var h password.Hasher = c
	h.VerifyDummy("x")
	password.VerifyDummy("x")
	if c.dummies != 1 {
		t.Fatalf("dummies = %d", c.dummies)
	}
}

// FuzzVerify: no input makes Verify panic, match a password it was not
// built from, or report ok with an error.
func FuzzVerify(f *testing.F) {
	good, _ := cheap.Hash("pw")
	b, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	for _, s := range []string{good, string(b), "", "$argon2id$", "$argon2id$v=19$m=64,t=1,p=1$$", "$2y$04$", "$2b$04$" + strings.Repeat("/", 53)} {
		f.Add(s, "pw")
	}
	// cost finds the memory (KiB) and passes an argon2id hash asks for, as
	// leniently as any parser might read them.
	cost := regexp.MustCompile(`m=0*([0-9]{1,10}),t=0*([0-9]{1,10})`)
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if m := cost.FindStringSubmatch(hash); m != nil {
			mem, _ := strconv.ParseUint(m[1], 10, 64)
			passes, _ := strconv.ParseUint(m[2], 10, 64)
			if mem*passes > 64*1024 {
				// Legitimate (up to 1 GiB, 64 passes), but each call would
				// take seconds and up to a GiB: the fuzzer's time is better
				// spent on the parser.
				return
			}
		}
		ok, rehash, err := cheap.Verify(hash, pw)
		if err != nil && (ok || rehash) {
			t.Fatalf("Verify = %v, %v with error %v", ok, rehash, err)
		}
		if ok && hash == good && pw != "pw" {
			t.Fatalf("%q matched %q", pw, hash)
		}
		if ok && strings.HasPrefix(hash, "$argon2id$") {
			// A match must be what x/crypto computes.
			parts := strings.Split(hash, "$")
			var m, tm uint32
			var p uint8
			if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &tm, &p); err != nil {
				t.Fatalf("matched %q with parameters Sscanf cannot read: %v", hash, err)
			}
			salt, _ := base64.RawStdEncoding.DecodeString(parts[4])
			key, _ := base64.RawStdEncoding.DecodeString(parts[5])
			if got := argon2.IDKey([]byte(pw), salt, tm, m, p, uint32(len(key))); string(got) != string(key) {
				t.Fatalf("Verify matched %q, x/crypto disagrees", hash)
			}
		}
	})
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := password.Hash("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyArgon2id(b *testing.B) {
	h, _ := password.Hash("correct horse battery staple")
	b.ReportAllocs()
	for b.Loop() {
		password.Verify(h, "correct horse battery staple")
	}
}

func BenchmarkVerifyDummy(b *testing.B) {
	for b.Loop() {
		password.VerifyDummy("correct horse battery staple")
	}
}

func BenchmarkVerifyBcrypt(b *testing.B) {
	for _, cost := range []int{10, 12} {
		b.Run(fmt.Sprintf("cost=%d", cost), func(b *testing.B) {
			h, _ := bcrypt.GenerateFromPassword([]byte("correct horse battery staple"), cost)
			for b.Loop() {
				password.Verify(string(h), "correct horse battery staple")
			}
		})
	}
}
