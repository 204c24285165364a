// Package qrcode draws the QR code of an authenticator app's otpauth:// URI
// for the two-factor enrolment page: [Matrix] is the function
// server.TwoFactor.QRCode takes, on boombuler/barcode (the encoder
// pquerna/otp uses for its images).
//
// It is a module of its own so that only projects with two-factor sign-in
// compile a QR encoder; the server draws the matrix as an inline SVG.
package qrcode

import (
	"errors"
	"fmt"

	"github.com/boombuler/barcode/qr"
)

// ErrEmpty: there is no text to encode.
var ErrEmpty = errors.New("qrcode: empty text")

// Matrix returns the QR code of text with medium error correction (15%
// of the code may be covered or damaged) as rows of modules, true for
// dark, without the quiet zone. The version is the smallest that holds
// text; an error says when text is empty or too long for any version.
func Matrix(text string) ([][]bool, error) {
	if text == "" {
		return nil, ErrEmpty
	}
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qrcode: encoding %d bytes: %w", len(text), err)
	}
	b := code.Bounds()
	m := make([][]bool, b.Dy())
	for y := range m {
		row := make([]bool, b.Dx())
		for x := range row {
			r, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
			row[x] = r < 0x8000
		}
		m[y] = row
	}
	return m, nil
}
