package server_test

import (
	"errors"
	"net/mail"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authgen/authgen/runtime/server"
)

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"ada@example.com":         "ada@example.com",
		"  Ada@Example.COM\t":     "ada@example.com",
		"ada+tag@sub.EXAMPLE.org": "ada+tag@sub.example.org",
		"o'brien@example.ie":      "o'brien@example.ie",
		"ada@[127.0.0.1]":         "ada@[127.0.0.1]",
	} {
		got, err := server.NormalizeEmail(in)
		if err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "   ", "ada", "@example.com", "ada@", "ada@@example.com", "a@b@example.com",
		"ada@example.com, bob@example.com", "ada@example.com;bob@example.com", "Ada <ada@example.com>",
		"<ada@example.com>", "ada@example.com (Ada)", `"ada lovelace"@example.com`, "ada @example.com",
		"ada@exa mple.com", "ada@example.com\r\nBcc: x@example.com", "ada.@example.com", ".ada@example.com",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com",
	} {
		if got, err := server.NormalizeEmail(in); !errors.Is(err, server.ErrEmailAddress) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want ErrEmailAddress", in, got, err)
		}
	}
}

// FuzzNormalizeEmail: whatever is typed, NormalizeEmail accepts only one
// plain address of at most 254 bytes, in lower case, that it
// returns unchanged when given again.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"ada@example.com", " Ada@EXAMPLE.com ", "a@b, c@d", "Ada <a@b.c>", `"x y"@b.c`, "a@[::1]", "a@b.c\n", "ä@ü.de", "a@B\u0130.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := server.NormalizeEmail(in)
		if err != nil {
			if !errors.Is(err, server.ErrEmailAddress) {
				t.Fatalf("error %v does not wrap ErrEmailAddress", err)
			}
			return
		}
		if len(out) > 254 || !utf8.ValidString(out) || strings.Count(out, "@") != 1 || strings.ContainsAny(out, " \t\r\n,;<>\"()") {
			t.Fatalf("NormalizeEmail(%q) = %q", in, out)
		}
		if out != strings.ToLower(out) {
			t.Fatalf("NormalizeEmail(%q) = %q: not lower-case", in, out)
		}
		if a, err := mail.ParseAddress(out); err != nil || a.Address != out || a.Name != "" {
			t.Fatalf("NormalizeEmail(%q) = %q, which net/mail reads as %+v, %v", in, out, a, err)
		}
		again, err := server.NormalizeEmail(out)
		if err != nil || again != out {
			t.Fatalf("NormalizeEmail(%q) = %q, then %q, %v", in, out, again, err)
		}
	})
}

func TestNormalizeEmailLengthAfterLowerCase(t *testing.T) {
	// Ⱥ (2 bytes) lower-cases to ⱥ (3 bytes).
	in := "a@" + strings.Repeat("\u023a", 120) + ".de"
	if len(in) > 254 {
		t.Fatalf("setup: %d bytes", len(in))
	}
	if out, err := server.NormalizeEmail(in); err == nil && len(out) > 254 {
		t.Errorf("NormalizeEmail returned %d bytes", len(out))
	}
}
