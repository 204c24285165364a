package session

import (
	"crypto/rand"
	"encoding/base64"
)

// randomID returns 16 random bytes, base64url-encoded.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return base64.RawURLEncoding.EncodeToString(b[:])
}
