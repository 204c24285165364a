package session

import (
	"encoding/json"
	"strconv"
)

// parseClaims decodes a claims payload. Payloads written by Encode are flat
// JSON objects of plain ASCII strings and integers, which parseFlat reads with
// one allocation for all strings; anything else — escapes, non-ASCII text,
// whitespace, nested data, unknown or repeated members — is left to
// encoding/json, so both paths accept exactly the same documents and give the
// same result.
func parseClaims(payload []byte) (*Claims, error) {
	cl := new(Claims)
	if parseFlat(payload, cl) {
		return cl, nil
	}
	*cl = Claims{}
	if err := json.Unmarshal(payload, cl); err != nil {
		return nil, err
	}
	return cl, nil
}

// parseFlat reports whether it could decode payload itself.
func parseFlat(payload []byte, cl *Claims) bool {
	n := len(payload)
	if n < 2 || payload[0] != '{' || payload[n-1] != '}' {
		return false
	}
	for _, c := range payload {
		if c < 0x20 || c >= 0x80 || c == '\\' {
			return false
		}
	}
	s := string(payload) // the one copy every string claim points into
	var seen uint16
	i := 1
	if s[i] == '}' {
		return i == n-1
	}
	for {
		key, next, ok := str(s, i)
		if !ok || next >= n || s[next] != ':' {
			return false
		}
		i = next + 1
		bit, field, num := member(cl, key)
		if bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		if field != nil {
			v, next, ok := str(s, i)
			if !ok {
				return false
			}
			*field, i = v, next
		} else {
			j := i
			if j < n && s[j] == '-' {
				j++
			}
			start := j
			for j < n && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == start || (s[start] == '0' && j-start > 1) {
				return false
			}
			v, err := strconv.ParseInt(s[i:j], 10, 64)
			if err != nil {
				return false
			}
			*num, i = v, j
		}
		if i >= n {
			return false
		}
		switch s[i] {
		case ',':
			i++
		case '}':
			return i == n-1
		default:
			return false
		}
	}
}

// str reads the string starting at s[i] (which must be '"'); the caller has
// already ruled out escapes.
func str(s string, i int) (v string, next int, ok bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	for j := i + 1; j < len(s); j++ {
		if s[j] == '"' {
			return s[i+1 : j], j + 1, true
		}
	}
	return "", i, false
}

// member maps a key to a bit for duplicate detection and to the string or
// integer field it fills. Unknown keys (and data/account) return bit 0.
func member(cl *Claims, key string) (bit uint16, s *string, n *int64) {
	switch key {
	case "sub":
		return 1 << 0, &cl.Subject, nil
	case "name":
		return 1 << 1, &cl.Name, nil
	case "email":
		return 1 << 2, &cl.Email, nil
	case "picture":
		return 1 << 3, &cl.Picture, nil
	case "provider":
		return 1 << 4, &cl.Provider, nil
	case "jti":
		return 1 << 5, &cl.ID, nil
	case "iat":
		return 1 << 6, nil, &cl.IssuedAt
	case "nbf":
		return 1 << 7, nil, &cl.NotBefore
	case "exp":
		return 1 << 8, nil, &cl.Expiry
	case "sid":
		return 1 << 9, &cl.SessionID, nil
	case "auth_time":
		return 1 << 10, nil, &cl.AuthTime
	}
	return 0, nil, nil
}
