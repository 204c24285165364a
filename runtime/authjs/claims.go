package authjs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Claims is the payload of an Auth.js session token: Auth.js's default
// claims, and every other claim the token carries in Extra, kept so that
// re-encoding a token loses nothing.
type Claims struct {
	// Name, Email and Picture are the user's; a JSON null reads as "".
	Name    string
	Email   string
	Picture string
	// Subject (sub) is the user's ID.
	Subject string
	// IssuedAt (iat), Expiry (exp) and NotBefore (nbf) are seconds since
	// the epoch; zero when absent.
	IssuedAt  int64
	Expiry    int64
	NotBefore int64
	// ID (jti) is the token's random ID.
	ID string
	// Extra holds every other claim, by name, as JSON.
	Extra map[string]json.RawMessage
}

// Reserved are the claims Claims has fields for: Extra never holds them.
var Reserved = []string{"name", "email", "picture", "sub", "iat", "exp", "nbf", "jti"}

// IsReserved reports whether name is one of Reserved.
func IsReserved(name string) bool { return slices.Contains(Reserved, name) }

// MarshalJSON writes the claims as one JSON object: the default claims that
// are set, then Extra's members in name order. An Extra member named as a
// default claim is an error.
func (cl *Claims) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, 8+len(cl.Extra))
	for name, v := range cl.Extra {
		if IsReserved(name) {
			return nil, fmt.Errorf("authjs: extra claim %q is a default claim", name)
		}
		if !json.Valid(v) {
			return nil, fmt.Errorf("authjs: extra claim %q is not JSON", name)
		}
		m[name] = json.RawMessage(v)
	}
	set := func(name, v string) {
		if v != "" {
			m[name] = v
		}
	}
	set("name", cl.Name)
	set("email", cl.Email)
	set("picture", cl.Picture)
	set("sub", cl.Subject)
	set("jti", cl.ID)
	for name, v := range map[string]int64{"iat": cl.IssuedAt, "exp": cl.Expiry, "nbf": cl.NotBefore} {
		if v != 0 {
			m[name] = v
		}
	}
	return json.Marshal(m)
}

// ParseClaims reads a token's payload: a JSON object whose default claims
// have their types (strings or null, NumericDates). Errors wrap ErrClaims.
func ParseClaims(payload []byte) (*Claims, error) {
	var m map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(payload))
	if err := d.Decode(&m); err != nil || m == nil || d.More() {
		return nil, fmt.Errorf("%w: not a JSON object", ErrClaims)
	}
	cl := &Claims{}
	for name, v := range m {
		var err error
		switch name {
		case "name":
			cl.Name, err = str(v)
		case "email":
			cl.Email, err = str(v)
		case "picture":
			cl.Picture, err = str(v)
		case "sub":
			cl.Subject, err = str(v)
		case "jti":
			cl.ID, err = str(v)
		case "iat":
			cl.IssuedAt, err = numericDate(v)
		case "exp":
			cl.Expiry, err = numericDate(v)
		case "nbf":
			cl.NotBefore, err = numericDate(v)
		default:
			if cl.Extra == nil {
				cl.Extra = make(map[string]json.RawMessage)
			}
			cl.Extra[name] = v
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrClaims, name, err)
		}
	}
	return cl, nil
}

// str reads a string claim, or null as "".
func str(raw json.RawMessage) (string, error) {
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}
