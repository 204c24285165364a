package generator

import (
	"strings"
	"testing"

	"github.com/authgen/authgen/generator/manifest"
)

// TestStoreSignaturesParse: every signature CustomStoreMissing may print
// parses, so its arity check never falls back to trusting the name.
func TestStoreSignaturesParse(t *testing.T) {
	for _, grp := range optionalStoreGroups(true, true) {
		for _, sm := range grp.methods {
			if _, ok := signatureArity(sm.signature()); !ok {
				t.Errorf("%s: %q does not parse", sm.name, sm.signature())
			}
		}
	}
}

// TestCustomStoreChangedSignature: a store.go written against an older
// contract (EnableTwoFactor without the sealed secret) is told to change
// that method, not to add it; one with the new signature is not named.
func TestCustomStoreChangedSignature(t *testing.T) {
	spec := Spec{Manifest: &manifest.Manifest{Database: manifest.DBCustom, TwoFactor: manifest.TwoFactorOptional}}
	src := func(enable string) []byte {
		var b strings.Builder
		b.WriteString("package auth\n\ntype CustomStore struct{}\n\n")
		for _, grp := range optionalStoreGroups(true, false) {
			for _, sm := range grp.methods {
				if sm.name != "EnableTwoFactor" {
					b.WriteString(missingOf(t, spec, sm.name) + " { panic(0) }\n")
				}
			}
		}
		b.WriteString(enable + " { return nil }\n")
		return []byte(b.String())
	}
	old := "func (s *CustomStore) EnableTwoFactor(ctx context.Context, userID string, step int64, recoveryHashes []string) error"
	got := CustomStoreMissing(src(old), spec)
	if len(got) != 1 || !got[0].Changed || !strings.Contains(got[0].Signature, "EnableTwoFactor(ctx context.Context, userID, sealedSecret string") {
		t.Errorf("with the old EnableTwoFactor: %+v, want it alone, Changed, with the new signature", got)
	}
	if got := CustomStoreMissing(src(missingOf(t, spec, "EnableTwoFactor")), spec); len(got) != 0 {
		t.Errorf("with every method as declared: %+v, want none", got)
	}
}

// missingOf is the signature CustomStoreMissing prints for method.
func missingOf(t *testing.T, spec Spec, method string) string {
	t.Helper()
	for _, m := range CustomStoreMissing([]byte("package auth\n"), spec) {
		if strings.Contains(m.Signature, ") "+method+"(") {
			return m.Signature
		}
	}
	t.Fatalf("no signature of %s", method)
	return ""
}
