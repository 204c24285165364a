package oauth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// Fuzz targets for the decoders of provider answers this package owns:
// token responses (JSON and form-encoded), discovery documents, ID token
// headers and claims, profiles and their mapping helpers, and URL and
// header templates. .ci/fuzz runs each briefly; `go test` replays the
// seeds (and any failing input saved under testdata/fuzz).

// FuzzParseTokenResponse: any body, JSON or form-encoded, gives a token or
// an error code without panicking, and a lifetime that is never negative
// or absurd.
func FuzzParseTokenResponse(f *testing.F) {
	for _, seed := range []struct {
		form bool
		body string
	}{
		{false, `{"access_token":"at","token_type":"Bearer","expires_in":3600,"refresh_token":"rt","scope":"openid"}`},
		{false, `{"access_token":"at","expires_in":"3600"}`},
		{false, `{"error":"invalid_grant","error_description":"bad code"}`},
		{false, `{"access_token":1,"expires_in":1e308}`},
		{false, `null`},
		{false, `[]`},
		{true, `access_token=gho_x&scope=user%3Aemail&token_type=bearer`},
		{true, `error=bad_verification_code&error_description=The+code+passed+is+incorrect`},
		{true, `access_token=a&access_token=b&expires_in=-1`},
		{true, `%zz=1&expires_in=NaN`},
	} {
		f.Add(seed.form, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, form bool, body []byte) {
		ct := "application/json"
		if form {
			ct = "application/x-www-form-urlencoded"
		}
		tok, code, desc := parseTokenResponse(ct, body)
		if tok == nil {
			t.Fatal("nil token")
		}
		if tok.ExpiresIn < 0 || tok.ExpiresIn > maxExpiresIn {
			t.Fatalf("expires_in %d out of bounds", tok.ExpiresIn)
		}
		if !form && !json.Valid(body) && code != "invalid_response" {
			t.Fatalf("invalid JSON gave error code %q", code)
		}
		_ = desc
	})
}

// FuzzParseDiscovery: no document panics the parser, and every accepted
// one has the issuer, the endpoints a sign-in needs as absolute http(s)
// URLs (https ones for an https issuer), and the code flow.
func FuzzParseDiscovery(f *testing.F) {
	const iss = "https://idp.example"
	f.Add([]byte(`{"issuer":"https://idp.example","authorization_endpoint":"https://idp.example/a","token_endpoint":"https://idp.example/t","jwks_uri":"https://idp.example/k","response_types_supported":["code"]}`))
	f.Add([]byte(`{"issuer":"https://idp.example","authorization_endpoint":"/a","token_endpoint":"http://idp.example/t","jwks_uri":"https://idp.example/k#x","response_types_supported":["code id_token"],"userinfo_endpoint":"javascript:x"}`))
	f.Add([]byte(`{"issuer":"https://idp.example","id_token_signing_alg_values_supported":["none","HS256","RS256","RS256"],"authorization_response_iss_parameter_supported":true}`))
	f.Add([]byte(`{"issuer":"https://idp.example","token_endpoint":"https://u:p@idp.example/t","response_types_supported":null}`))
	f.Add([]byte(`null`))
	f.Add([]byte(` {"issuer":"https://idp.example","ISSUER":"x"}`))
	p := &Provider{ID: "corp", Issuer: iss}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := p.parseDiscovery(body)
		if err != nil {
			return
		}
		if d.issuer != iss {
			t.Fatalf("accepted issuer %q", d.issuer)
		}
		for _, e := range []string{d.auth, d.token, d.jwksURI} {
			u, err := url.Parse(e)
			if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || strings.Contains(e, "#") {
				t.Fatalf("accepted endpoint %q", e)
			}
		}
		for _, a := range d.algs {
			if a == "none" || strings.HasPrefix(a, "HS") {
				t.Fatalf("accepted ID token algorithm %q", a)
			}
		}
	})
}

// FuzzIDTokenChecks: the JOSE header, numeric date and at_hash checks
// never panic, and what they accept is what they promise: typ absent or
// JWT, dates that decode as JSON numbers, an at_hash that is the access
// token's.
func FuzzIDTokenChecks(f *testing.F) {
	f.Add([]byte(`{"alg":"RS256","typ":"JWT","kid":"k1"}`), []byte(`{"sub":"1","exp":1796162752,"iat":1796159152}`), "77QmUPtjPfzWtF2AnpK9RQ", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")
	f.Add([]byte(`{"alg":"ES384","typ":"at+jwt"}`), []byte(`{"exp":"1796162752","Iat":"1"}`), "", "at")
	f.Add([]byte(`{"alg":"EdDSA","typ":"application/JWT","typ":"x"}`), []byte(`{"nbf":null,"auth_time":1.5}`), "x", "")
	f.Add([]byte(`{"alg":null}`), []byte(`[]`), "=", "=")
	f.Fuzz(func(t *testing.T, header, claims []byte, atHash, accessToken string) {
		raw := base64.RawURLEncoding.EncodeToString(header) + ".e30.c2ln"
		if h, err := parseJOSEHeader(raw); err == nil && checkTyp(h) == nil && h.HasTyp {
			if t := strings.ToLower(h.Typ); t != "jwt" && t != "application/jwt" {
				panic("accepted typ " + h.Typ)
			}
		}
		if checkNumericDates(claims) == nil {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(claims, &m); err != nil {
				t.Fatalf("accepted claims that are not an object: %v", err)
			}
			for k, v := range m {
				for _, name := range numericDateClaims {
					var n float64
					if strings.EqualFold(k, name) && json.Unmarshal(v, &n) != nil {
						t.Fatalf("accepted %s = %s", k, v)
					}
				}
			}
		}
		for alg := range atHashFuncs {
			if checkAtHash(alg, atHash, accessToken) == nil {
				h := atHashFuncs[alg].New()
				h.Write([]byte(accessToken))
				sum := h.Sum(nil)
				if atHash != base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]) {
					t.Fatalf("%s: accepted at_hash %q", alg, atHash)
				}
			}
		}
	})
}

// fuzzProfile has the shapes of the catalog's generated profiles: strings,
// a FlexString ID, booleans, nested objects and lists.
type fuzzProfile struct {
	ID            FlexString `json:"id"`
	Sub           string     `json:"sub"`
	Login         string     `json:"login"`
	Name          string     `json:"name"`
	GivenName     string     `json:"given_name"`
	FamilyName    string     `json:"family_name"`
	Email         string     `json:"email"`
	EmailVerified bool       `json:"email_verified"`
	Picture       struct {
		Data struct {
			URL string `json:"url"`
		} `json:"data"`
	} `json:"picture"`
	Images []struct {
		URL string `json:"url"`
	} `json:"images"`
	Avatar string `json:"avatar"`
}

func fuzzUser(p *fuzzProfile) User {
	return User{
		ID:            p.Sub + p.ID.String(),
		Name:          Join(" ", p.GivenName, p.FamilyName),
		Email:         p.Email,
		EmailVerified: p.EmailVerified,
		Image:         Format("https://cdn.example/avatars/%s/%s.png", p.ID.String(), p.Avatar) + First(p.Images).URL + p.Picture.Data.URL,
	}
}

// FuzzMapProfile: a profile from the ID token's claims and userinfo, with
// the e-mail quirk around it, maps without panicking; a mapped address is
// lower case.
func FuzzMapProfile(f *testing.F) {
	f.Add([]byte(`{"sub":"248289761001","email":"Ada@Example.com","email_verified":true}`), []byte(`{"given_name":"Ada","family_name":"Lovelace","picture":{"data":{"url":"https://x"}}}`))
	f.Add([]byte(nil), []byte(`{"id":583231,"login":"octocat","avatar":"abc","images":[{"url":"u"}],"emails":[{"email":"A@B.C","primary":true,"verified":true}]}`))
	f.Add([]byte(`{"emails":["x@y.z"]}`), []byte(`{"id":"1e400","email":null}`))
	f.Add([]byte(`{"id":true}`), []byte(`[1,2]`))
	profile := PrimaryEmail(Map(fuzzUser, nil))
	f.Fuzz(func(t *testing.T, claims, userinfo []byte) {
		u, _, err := profile(context.Background(), ProfileInput{Claims: claims, Userinfo: userinfo, Token: &oauth2.Token{}})
		if err != nil {
			return
		}
		if u == nil {
			t.Fatal("no user and no error")
		}
		if u.Email != strings.ToLower(u.Email) {
			t.Fatalf("e-mail %q not lower case", u.Email)
		}
	})
}

// FuzzFlexString: FlexString decodes a JSON string to its value and a
// number or boolean to its text, as encoding/json reads them, and refuses
// anything else.
func FuzzFlexString(f *testing.F) {
	for _, s := range []string{`"abc"`, `123`, `-1.5e10`, `true`, `null`, `"\u00e9"`, `{}`, `[1]`, `01`, `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fs FlexString
		err := fs.UnmarshalJSON(b)
		if !json.Valid(b) {
			return // encoding/json never hands an invalid value to UnmarshalJSON
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		_ = d.Decode(&v)
		switch v := v.(type) {
		case string:
			if err != nil || string(fs) != v {
				t.Fatalf("%s: %q, %v; want %q", b, fs, err, v)
			}
		case json.Number, bool:
			if err != nil || string(fs) != string(bytes.TrimSpace(b)) {
				t.Fatalf("%s: %q, %v", b, fs, err)
			}
		case nil:
			if err != nil || fs != "" {
				t.Fatalf("null: %q, %v", fs, err)
			}
		default:
			if err == nil {
				t.Fatalf("%s accepted as %q", b, fs)
			}
		}
	})
}

// FuzzExpand: templates of URLs and headers expand without panicking or
// looping, and a template without "{" is returned as it is.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"https://api.example/user?access_token={access_token}",
		"https://api.weixin.qq.com/sns/userinfo?openid={token.openid}",
		"Bearer {access_token}", "{client_id}:{api_key}", "{", "}{", "{{}}", "{token.}", "plain",
	} {
		f.Add(s, "openid-1")
	}
	p := &Provider{ClientID: "cid", ClientSecret: "sec", APIKey: "key"}
	f.Fuzz(func(t *testing.T, tmpl, extra string) {
		tok := (&oauth2.Token{AccessToken: "at"}).WithExtra(map[string]any{"openid": extra})
		out := p.expand(tmpl, tok)
		if !strings.Contains(tmpl, "{") && out != tmpl {
			t.Fatalf("expand(%q) = %q", tmpl, out)
		}
	})
}
