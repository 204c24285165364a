package server

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"
)

// encodedBody is GET /session's answer as encoding/json writes
// sessionBody's map, which appendSessionJSON must reproduce byte for byte.
func encodedBody(t testing.TB, s *Session) []byte {
	t.Helper()
	body, err := (&Auth{}).sessionBody(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSessionJSON: the answer GET /session writes without a Session
// callback is what encoding/json writes for the map a Session callback
// would get: escapes, HTML characters, non-ASCII and invalid UTF-8, empty
// fields as null, times with milliseconds, in every time zone.
func TestSessionJSON(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	for _, s := range []Session{
		{},
		{User: User{Name: "Mona Octocat", Email: "mona@example.com", Image: "https://avatars.example/u/1?v=4&s=40"}, Expires: time.Unix(1_800_000_000, 0)},
		{User: User{Name: `"Bobby" <script>alert(1)</script> \ & '`}, Expires: time.Unix(1_800_000_000, 123_456_789).In(paris)},
		{User: User{Name: "José Ñúñez 山田 🙂", Email: "tab\there\nnew\x00nul\x1f\x7f"}, Expires: time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC)},
		{User: User{Name: "bad \xff\xfe utf-8 \u2028 \u2029"}, Expires: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{User: User{Image: "data:,x"}, Expires: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if got, want := appendSessionJSON(nil, &s), encodedBody(t, &s); !bytes.Equal(got, want) {
			t.Errorf("appendSessionJSON(%+v)\n = %s\nwant %s", s, got, want)
		}
	}
}

// FuzzSessionJSON: whatever the user's name, e-mail address, image and
// expiry, the answer is what encoding/json writes.
func FuzzSessionJSON(f *testing.F) {
	f.Add("Mona", "mona@example.com", "https://example.com/a.png", int64(1_800_000_000), int64(0))
	f.Add(`<"\`, "", "\xff\u2028", int64(-62_135_596_800), int64(999_999_999))
	f.Add("", "\t\n", "&", int64(253_402_300_799), int64(1_000_000))
	f.Fuzz(func(t *testing.T, name, email, image string, sec, nsec int64) {
		s := &Session{User: User{Name: name, Email: email, Image: image}, Expires: time.Unix(sec, nsec)}
		if got, want := appendSessionJSON(nil, s), encodedBody(t, s); !bytes.Equal(got, want) {
			t.Fatalf("appendSessionJSON = %s, want %s", got, want)
		}
	})
}
