package cookie

import (
	"strings"
	"testing"
)

// TestValidValue: the word-at-a-time check agrees with the byte rule for
// every byte value at every position of a word and of the tail, also with
// a second bad byte after it.
func TestValidValue(t *testing.T) {
	base := strings.Repeat("AZaz09-_.~ !#$%&'()*+,/:<=>?@[]^`{|}", 2)[:19]
	for c := range 256 {
		for pos := range len(base) {
			b := []byte(base)
			b[pos] = byte(c)
			want := validOctet(byte(c))
			if got := validValue(string(b)); got != want {
				t.Fatalf("validValue with %#x at %d = %v, want %v", c, pos, got, want)
			}
			if pos+1 < len(b) {
				b[pos+1] = 0x7f
				if validValue(string(b)) {
					t.Fatalf("validValue with %#x at %d and 0x7f after it = true", c, pos)
				}
			}
		}
	}
	if !validValue(base) || !validValue("") {
		t.Fatal("a valid value refused")
	}
}
