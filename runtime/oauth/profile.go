package oauth

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// FlexString is a profile field that providers send as a string or as a
// number (an ID that fits in 64 bits on one endpoint and is quoted on
// another); it decodes either, and booleans, to its text.
type FlexString string

// UnmarshalJSON accepts a JSON string, number, boolean or null.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9') || string(b) == "true" || string(b) == "false":
		var n json.Number
		if string(b) != "true" && string(b) != "false" {
			if err := json.Unmarshal(b, &n); err != nil {
				return err
			}
		}
		*f = FlexString(b)
	default:
		return fmt.Errorf("oauth: %s is not a string or number", b)
	}
	return nil
}

// String returns the text.
func (f FlexString) String() string { return string(f) }

// First returns the first element of s, or the zero value when s is empty,
// for mappings such as "the first image's URL".
func First[T any](s []T) T {
	var zero T
	if len(s) == 0 {
		return zero
	}
	return s[0]
}

// Format is fmt.Sprintf with string arguments, but "" when any argument is
// empty: an avatar URL built from a user ID and an image hash is no URL when
// the user has no image.
func Format(format string, args ...string) string {
	vals := make([]any, len(args))
	for i, a := range args {
		if a == "" {
			return ""
		}
		vals[i] = a
	}
	return fmt.Sprintf(format, vals...)
}
