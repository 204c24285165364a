// This file is yours: authgen wrote it once and never changes it.

package auth

// SessionData is the part of a session your application defines, such as a
// role. It travels in the session token's "data" claim with every request, so
// keep it small. Set it with SetData in the JWT callback (callbacks.go) and
// read it from Session.Data.
type SessionData struct{}
