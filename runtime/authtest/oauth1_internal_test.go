package authtest

import (
	"net/http"
	"strings"
	"testing"
)

// TestSignatureBase checks the signature base string against RFC 5849
// §3.4.1.1's example: repeated and encoded query parameters, form body
// parameters, realm excluded.
func TestSignatureBase(t *testing.T) {
	req, err := http.NewRequest(http.MethodPost, "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", strings.NewReader("c2&a3=2+q"))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "example.com"
	req.RequestURI = "/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	header := `realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"`
	params, err := parseOAuthHeader(header)
	if err != nil {
		t.Fatal(err)
	}
	if params["oauth_signature"] != "djosJKDKJSD8743243/jdk33klY=" {
		t.Errorf("oauth_signature decoded to %q", params["oauth_signature"])
	}
	got, err := signatureBase(req, params)
	if err != nil {
		t.Fatal(err)
	}
	const want = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if got != want {
		t.Errorf("signature base string\n got %s\nwant %s", got, want)
	}
	// The body stays readable for the handler.
	if b := make([]byte, 9); func() bool { n, _ := req.Body.Read(b); return string(b[:n]) != "c2&a3=2+q" }() {
		t.Error("the body was consumed")
	}
}

// TestHMACSHA1 checks the signature of RFC 5849 §1.2's example request
// (the photos request with token credentials).
func TestHMACSHA1(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://photos.example.net/photos?file=vacation.jpg&size=original", nil)
	req.Host = "photos.example.net"
	req.RequestURI = "/photos?file=vacation.jpg&size=original"
	params := map[string]string{
		"realm": "Photos", "oauth_consumer_key": "dpf43f3p2l4k3l03", "oauth_token": "nnch734d00sl2jdk",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131202", "oauth_nonce": "chapoH",
	}
	base, err := signatureBase(req, params)
	if err != nil {
		t.Fatal(err)
	}
	if got := hmacSHA1("kd94hf93k423kf44", "pfkkdhi9sl3r4s00", base); got != "MdpQcU8iPSUjWoN/UDMsK2sui9I=" {
		t.Errorf("signature %s, want MdpQcU8iPSUjWoN/UDMsK2sui9I=", got)
	}
}

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"abcABC123-._~": "abcABC123-._~",
		"a b+c/d=e&f":   "a%20b%2Bc%2Fd%3De%26f",
		"é":             "%C3%A9",
		"*":             "%2A",
	} {
		if got := percentEncode(in); got != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}
