package session

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/keys"
)

// encodedPayloads returns the JSON payloads of real tokens written by Encode.
func encodedPayloads(tb testing.TB) [][]byte {
	tb.Helper()
	ks, err := keys.Generate()
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	c, err := NewCodec(ks, now, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	claims := []*Claims{
		{Subject: "s"},
		{Subject: "github:583231"},
		{Subject: "github:583231", Name: "Monalisa Octocat", Email: "monalisa@example.com",
			Picture: "https://avatars.githubusercontent.com/u/583231?v=4", Provider: "github"},
		{Subject: "u", NotBefore: now.Unix() - 5},
		{Subject: "u", Data: json.RawMessage(`{"role":"admin","n":[1,2,{"x":null}]}`)},
		{Subject: "u", Name: "Zoë Ünïcødé 日本語", Email: "zoe@example.com"},
		{Subject: "u", Name: `quote " backslash \ tab 	 newline
 end`, Picture: "https://example.com/a?b=<c>&d=e"},
		{Subject: "u", Name: "\u2028\u2029\x7f\x00"},
		{Subject: "-1", ID: "id-with-dash_and_underscore"},
	}
	var out [][]byte
	for _, cl := range claims {
		tok, err := c.Encode(cl, now)
		if err != nil {
			tb.Fatal(err)
		}
		payload, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, payload)
	}
	return out
}

// checkParse asserts the property that both decoders agree: whenever
// parseFlat accepts a payload, encoding/json accepts it too and yields an
// identical value, and parseClaims always matches encoding/json.
func checkParse(t *testing.T, payload []byte) {
	t.Helper()
	var flat Claims
	fast := parseFlat(payload, &flat)

	var std Claims
	stdErr := json.Unmarshal(payload, &std)
	if fast {
		if stdErr != nil {
			t.Fatalf("parseFlat accepted %q, encoding/json refused it: %v", payload, stdErr)
		}
		if !reflect.DeepEqual(flat, std) {
			t.Fatalf("parseFlat(%q) = %+v\nencoding/json  = %+v", payload, flat, std)
		}
	}

	got, err := parseClaims(payload)
	if (err != nil) != (stdErr != nil) {
		t.Fatalf("parseClaims(%q) error = %v, encoding/json error = %v", payload, err, stdErr)
	}
	if err == nil && !reflect.DeepEqual(*got, std) {
		t.Fatalf("parseClaims(%q) = %+v\nencoding/json   = %+v", payload, *got, std)
	}
}

func FuzzParseClaims(f *testing.F) {
	for _, p := range encodedPayloads(f) {
		f.Add(p)
	}
	for _, s := range parseCases {
		f.Add([]byte(s.in))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkParse(t, payload)
	})
}

// FuzzDecode signs arbitrary claims payloads with a real key and decodes
// them at a fixed time: whatever Decode accepts names its subject, has
// iat and exp with now between them (give or take the leeway), lasts no
// longer than MaxAge, and is what encoding/json reads from the payload.
func FuzzDecode(f *testing.F) {
	for _, p := range encodedPayloads(f) {
		f.Add(p)
	}
	for _, s := range parseCases {
		f.Add([]byte(s.in))
	}
	const now = 1_800_000_000
	for _, s := range []string{
		`{"sub":"","iat":1800000000,"exp":1800000600}`,
		`{"iat":1800000000,"exp":1800000600}`,
		`{"sub":"u","iat":1800000000,"exp":1900000000}`,
		`{"sub":"u","iat":-9223372036854775808,"exp":9223372036854775807}`,
		`{"sub":"u","iat":1799999000,"exp":1800003615,"nbf":1800000010}`,
		`{"sub":"u","iat":1799999000,"exp":1800002000,"auth_time":1797000000,"sid":"s"}`,
		`{"sub":"u","iat":1799999000,"exp":1800002000,"auth_time":1800000500}`,
	} {
		f.Add([]byte(s))
	}
	ks, err := keys.Generate()
	if err != nil {
		f.Fatal(err)
	}
	c, err := NewCodec(ks, time.Unix(now, 0), Options{MaxAge: time.Hour, UpdateAge: time.Minute})
	if err != nil {
		f.Fatal(err)
	}
	leeway, maxAge := int64(DefaultLeeway/time.Second), int64(3600)
	f.Fuzz(func(t *testing.T, payload []byte) {
		token, err := c.jwt.Sign(payload, time.Unix(now, 0))
		if err != nil {
			t.Fatal(err)
		}
		cl, err := c.Decode(token, time.Unix(now, 0))
		// Decoded again, the token is remembered: the same answer.
		again, errAgain := c.Decode(token, time.Unix(now, 0))
		if (err == nil) != (errAgain == nil) || (err != nil && err.Error() != errAgain.Error()) || (err == nil && !reflect.DeepEqual(cl, again)) {
			t.Fatalf("decoded again: %+v, %v; first %+v, %v", again, errAgain, cl, err)
		}
		if err != nil {
			return
		}
		switch {
		case cl.Subject == "":
			t.Fatalf("accepted %q without a subject", payload)
		case cl.IssuedAt == 0 || cl.Expiry == 0:
			t.Fatalf("accepted %q without iat or exp", payload)
		case now > cl.Expiry+leeway || now+leeway < cl.IssuedAt || (cl.NotBefore != 0 && now+leeway < cl.NotBefore):
			t.Fatalf("accepted %q at %d", payload, now)
		case cl.Expiry-cl.IssuedAt > maxAge+leeway:
			t.Fatalf("accepted %q, which lasts longer than maxAge", payload)
		case cl.AuthTime != 0 && (cl.AuthTime > cl.IssuedAt || now > cl.AuthTime+int64(DefaultAbsoluteMaxAge/time.Second)+leeway):
			t.Fatalf("accepted %q, signed in after it was issued or longer ago than the absolute lifetime", payload)
		}
		var std Claims
		if err := json.Unmarshal(payload, &std); err != nil || !reflect.DeepEqual(*cl, std) {
			t.Fatalf("Decode(%q) = %+v, encoding/json = %+v (%v)", payload, *cl, std, err)
		}
	})
}

// parseCases are payloads with the path they must take.
var parseCases = []struct {
	name string
	in   string
	fast bool
}{
	{"empty object", `{}`, true},
	{"all members", `{"sub":"s","name":"n","email":"e","picture":"p","provider":"g","iat":1,"nbf":2,"exp":3,"jti":"j","sid":"i","auth_time":1}`, true},
	{"negative and zero numbers", `{"iat":-5,"exp":0,"nbf":-0}`, true},
	{"max int64", `{"exp":9223372036854775807}`, true},
	{"min int64", `{"exp":-9223372036854775808}`, true},
	{"empty strings", `{"sub":"","name":""}`, true},
	{"DEL character", "{\"name\":\"a\x7fb\"}", true},

	{"empty", ``, false},
	{"brace only", `{`, false},
	{"array", `[]`, false},
	{"null", `null`, false},
	{"leading space", ` {}`, false},
	{"trailing space", `{} `, false},
	{"space inside", `{ }`, false},
	{"space after colon", `{"sub": "s"}`, false},
	{"newline", "{\"sub\":\"s\",\n\"iat\":1}", false},
	{"escape", `{"sub":"a\"b"}`, false},
	{"unicode escape", `{"sub":"\u00e9"}`, false},
	{"non-ASCII", `{"sub":"é"}`, false},
	{"invalid UTF-8", "{\"sub\":\"\xff\"}", false},
	{"data", `{"sub":"s","data":{"a":1}}`, false},
	{"account", `{"sub":"s","account":{"provider":"g"}}`, false},
	{"unknown member", `{"sub":"s","x":1}`, false},
	{"upper-case key", `{"SUB":"s"}`, false},
	{"mixed-case key", `{"Exp":1}`, false},
	{"duplicate member", `{"sub":"a","sub":"b"}`, false},
	{"duplicate number", `{"exp":1,"exp":2}`, false},
	{"null value", `{"sub":null}`, false},
	{"number for string", `{"sub":1}`, false},
	{"string for number", `{"exp":"1"}`, false},
	{"bool", `{"exp":true}`, false},
	{"float", `{"exp":1.5}`, false},
	{"exponent", `{"exp":1e3}`, false},
	{"leading zero", `{"exp":01}`, false},
	{"negative leading zero", `{"exp":-01}`, false},
	{"minus only", `{"exp":-}`, false},
	{"plus", `{"exp":+1}`, false},
	{"overflow", `{"exp":9223372036854775808}`, false},
	{"trailing comma", `{"sub":"s",}`, false},
	{"missing comma", `{"sub":"s""iat":1}`, false},
	{"missing value", `{"sub":}`, false},
	{"missing colon", `{"sub""s"}`, false},
	{"unterminated string", `{"sub":"s}`, false},
	{"unterminated key", `{"sub}`, false},
	{"extra closing brace", `{"sub":"s"}}`, false},
	{"two objects", `{}{}`, false},
	{"unquoted key", `{sub:"s"}`, false},
	{"single quotes", `{'sub':'s'}`, false},
	{"comma first", `{,"sub":"s"}`, false},
	{"number key", `{1:"s"}`, false},
}

func TestParseFlatPath(t *testing.T) {
	for _, tt := range parseCases {
		t.Run(tt.name, func(t *testing.T) {
			var cl Claims
			if got := parseFlat([]byte(tt.in), &cl); got != tt.fast {
				t.Errorf("parseFlat(%q) = %v, want %v", tt.in, got, tt.fast)
			}
			checkParse(t, []byte(tt.in))
		})
	}
}

func TestParseFlatTakesEncodedPayloads(t *testing.T) {
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	c, err := NewCodec(ks, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cl := &Claims{Subject: "github:1", Name: "Plain Name", Email: "a@example.com", Picture: "https://x.example/p.png", Provider: "github"}
	tok, err := c.Encode(cl, now)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var got Claims
	if !parseFlat(payload, &got) {
		t.Fatalf("a plain ASCII payload written by Encode took the slow path: %s", payload)
	}
	if !reflect.DeepEqual(&got, cl) {
		t.Errorf("parseFlat = %+v, want %+v", got, *cl)
	}
	for _, p := range encodedPayloads(t) {
		checkParse(t, p)
	}
}
