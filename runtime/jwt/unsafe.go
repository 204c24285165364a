package jwt

import "unsafe"

// unsafeBytes views s as a byte slice without copying. The slice is only ever
// read (hashed, base64-decoded or passed as AEAD additional data).
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
