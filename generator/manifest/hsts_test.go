package manifest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/generator/manifest"
)

// TestHSTS: hsts is true (a year), false (none) or a max-age, and a
// manifest built in code validates and encodes the same way.
func TestHSTS(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  time.Duration
	}{
		{"true", manifest.DefaultHSTS},
		{"false", 0},
		{"4380h", 4380 * time.Hour},
		{"5m", 5 * time.Minute},
	} {
		m := mustParse(t, strings.Replace(full, "hsts: true", "hsts: "+tt.value, 1))
		if time.Duration(m.HSTS) != tt.want {
			t.Errorf("hsts: %s decoded as %v, want %v", tt.value, time.Duration(m.HSTS), tt.want)
		}
		m.Session.UpdateAge++ // the manifest no longer matches its text: Validate encodes it
		if err := m.Validate(); err != nil {
			t.Errorf("hsts: %s, encoded again: %v", tt.value, err)
		}
	}
	m := mustParse(t, strings.Replace(full, "hsts: true\n", "", 1))
	if m.HSTS != 0 {
		t.Errorf("without hsts: %v", time.Duration(m.HSTS))
	}
}
