package qrcode_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authgen/authgen/runtime/qrcode"
)

// TestMatrixShape: 16 bytes take a version-2 code (25×25; version 1 holds
// 14 at level M) with its three finder patterns; longer text takes a
// larger version, square with 4k+17 modules a side.
func TestMatrixShape(t *testing.T) {
	m, err := qrcode.Matrix("otpauth://totp/x")
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 25 || len(m[0]) != 25 {
		t.Fatalf("size %d×%d, want 25×25", len(m), len(m[0]))
	}
	// A finder pattern: a dark 7×7 ring, a light ring, a dark 3×3 centre.
	finder := func(x0, y0 int) {
		t.Helper()
		for y := range 7 {
			for x := range 7 {
				ring := max(abs(x-3), abs(y-3))
				want := ring != 2
				if m[y0+y][x0+x] != want {
					t.Fatalf("finder at (%d,%d): module (%d,%d) dark=%v", x0, y0, x, y, m[y0+y][x0+x])
				}
			}
		}
	}
	finder(0, 0)
	finder(18, 0)
	finder(0, 18)

	long := "otpauth://totp/Example%20Corp:" + strings.Repeat("a", 200) + "@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example%20Corp"
	m, err = qrcode.Matrix(long)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m); n <= 25 || (n-17)%4 != 0 {
		t.Fatalf("size %d for %d bytes", n, len(long))
	}
	for _, row := range m {
		if len(row) != len(m) {
			t.Fatalf("row of %d modules in a code of %d rows", len(row), len(m))
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestMatrixRefuses: empty text and text beyond version 40 are errors, not
// panics or empty codes.
func TestMatrixRefuses(t *testing.T) {
	if _, err := qrcode.Matrix(""); !errors.Is(err, qrcode.ErrEmpty) {
		t.Fatalf("empty: %v", err)
	}
	if m, err := qrcode.Matrix(strings.Repeat("x", 4000)); err == nil {
		t.Fatalf("4000 bytes: a %d-row code", len(m))
	}
}
