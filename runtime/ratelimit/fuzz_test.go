package ratelimit_test

import (
	"testing"

	"github.com/authgen/authgen/runtime/ratelimit"
)

// FuzzParse: Parse never panics; what it accepts passes Check, and its
// String parses back to the same limit.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"5/h", "10/15m", "100/7d", "3/1h30m", "2/1.5h", "off", "0/h", "5/hour", "1e3/s", "5/9999999999999999999d", "9/-0s", "1/2562047h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ratelimit.Parse(s)
		if err != nil {
			if l != ratelimit.Off {
				t.Fatalf("Parse(%q) failed but returned %+v", s, l)
			}
			return
		}
		if err := l.Check(); err != nil {
			t.Fatalf("Parse(%q) = %+v, which Check refuses: %v", s, l, err)
		}
		back, err := ratelimit.Parse(l.String())
		if err != nil || back != l {
			t.Fatalf("Parse(%q) = %+v; Parse(%q) = %+v, %v", s, l, l.String(), back, err)
		}
	})
}
