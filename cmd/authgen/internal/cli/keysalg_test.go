package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
)

// TestKeysRotateAlg: `keys rotate --alg` adds a public-key signing key of
// each algorithm, staged (it signs one JWKS max-age after the rotation,
// the previous key until then), and says until when; `keys list` shows
// each key's algorithm, use, state and age; `keys export` prints the set,
// private keys and times, as one line that parses as AUTH_KEYS.
func TestKeysRotateAlg(t *testing.T) {
	dir := jwtProject(t)
	path := filepath.Join(dir, keys.DefaultFile)
	for _, alg := range []string{"ES256", "EdDSA", "RS256", "PS256"} {
		before, err := keys.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now().Truncate(time.Second)
		code, out, errOut := authgen(t, dir, "keys", "rotate", "--alg", alg)
		if code != 0 || errOut != "" {
			t.Fatalf("rotate --alg %s: %d\n%s\n%s", alg, code, out, errOut)
		}
		if !strings.Contains(out, "published at /api/auth/jwks now") {
			t.Errorf("rotate --alg %s does not name the project's JWKS path:\n%s", alg, out)
		}
		ks, err := keys.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		k := ks.Signing()
		if k.Alg != alg || !k.Asymmetric() || k.NotBefore.Sub(k.Added) != keys.StagingPeriod || k.Added.Before(start) {
			t.Fatalf("rotate --alg %s made %s, added %v, signing from %v", alg, k.Alg, k.Added, k.NotBefore)
		}
		if got := ks.SigningAt(time.Now()); got.ID != before.SigningAt(time.Now()).ID {
			t.Errorf("--alg %s: the staged key signs at once, or the previous key stopped (%s signs)", alg, got.Alg)
		}
		if got := ks.SigningAt(k.NotBefore); got.ID != k.ID {
			t.Errorf("--alg %s: the staged key does not sign at %v", alg, k.NotBefore)
		}
		for _, want := range []string{alg, k.ID, "signs from " + k.NotBefore.UTC().Format(time.RFC3339), "deploy the new set before"} {
			if !strings.Contains(out, want) {
				t.Errorf("rotate --alg %s: output lacks %q:\n%s", alg, want, out)
			}
		}
		code, out, _ = authgen(t, dir, "keys", "list")
		row := line(out, k.ID)
		for _, want := range []string{"sig", alg, "staged until " + k.NotBefore.UTC().Format(time.RFC3339), "0m"} {
			if code != 0 || !strings.Contains(row, want) {
				t.Errorf("keys list: the %s row lacks %q:\n%s", alg, want, out)
			}
		}
		if row := line(out, before.SigningAt(time.Now()).ID); !strings.Contains(row, " signing ") {
			t.Errorf("keys list: the previous key is not signing during staging:\n%s", out)
		}
	}

	// --now: signs at once, and says what that risks.
	code, out, errOut := authgen(t, dir, "keys", "rotate", "--alg", "es256", "--now")
	if code != 0 {
		t.Fatalf("rotate --now: %d %s %s", code, out, errOut)
	}
	ks, err := keys.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if k := ks.SigningAt(time.Now()); k.ID != ks.Signing().ID || k.Alg != keys.AlgES256 {
		t.Errorf("rotate --now: %s %s does not sign at once", k.Alg, k.ID)
	}
	for _, want := range []string{"warning: --now skips staging", "cached", "unknown kid"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("rotate --now: stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code, out, _ := authgen(t, dir, "keys", "list"); code != 0 || !strings.Contains(line(out, ks.Signing().ID), " signing ") || strings.Count(out, " signing ") != 1 {
		t.Errorf("keys list after --now:\n%s", out)
	}

	// Back to HS512: a warning that /jwks verifiers lose the new sessions.
	code, _, errOut = authgen(t, dir, "keys", "rotate")
	if code != 0 || !strings.Contains(errOut, "was ES256 and is now HS512") {
		t.Errorf("rotate back to HS512: %d %s", code, errOut)
	}

	code, out, _ = authgen(t, dir, "keys", "export")
	if code != 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("export: %q", out)
	}
	exported, err := keys.Parse([]byte(out))
	if err != nil {
		t.Fatalf("export does not parse: %v", err)
	}
	ks, _ = keys.ReadFile(path)
	if len(exported.Keys()) != len(ks.Keys()) || len(ks.Keys()) != 14 {
		t.Errorf("export has %d keys, the file %d, want 14", len(exported.Keys()), len(ks.Keys()))
	}
	var set struct{ Keys []map[string]any }
	json.Unmarshal([]byte(out), &set)
	algs := map[string]bool{}
	for _, k := range set.Keys {
		algs[k["alg"].(string)] = true
		if k["kty"] != "oct" && k["d"] == nil {
			t.Errorf("export lacks the private key of %v", k["kid"])
		}
	}
	if len(algs) != 6 {
		t.Errorf("export has algorithms %v", algs)
	}
}

// line is the line of out that contains s.
func line(out, s string) string {
	for l := range strings.SplitSeq(out, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestKeysRotateAlgRefused: an unknown algorithm, and --now with HS512
// (nothing to stage), are usage errors that change nothing.
func TestKeysRotateAlgRefused(t *testing.T) {
	dir := jwtProject(t)
	before := read(t, filepath.Join(dir, keys.DefaultFile))
	for _, args := range [][]string{
		{"keys", "rotate", "--alg", "ES384"},
		{"keys", "rotate", "--alg", "HS256"},
		{"keys", "rotate", "--now"},
	} {
		code, _, errOut := authgen(t, dir, args...)
		if code != 2 || !strings.Contains(errOut, "--") {
			t.Errorf("%q: exit %d, %s", args, code, errOut)
		}
	}
	if read(t, filepath.Join(dir, keys.DefaultFile)) != before {
		t.Error("a refused rotate changed the key set")
	}
}
