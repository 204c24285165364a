package oauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/oauth"
)

const (
	wechatAppID  = "wx520c15f417810387"
	wechatSecret = "s3cr3t+/=&"
	wechatCode   = "061Ab0ll2Hqrsi4Tf5ol2jYx8e0Ab0lU"
)

func wechatProvider() *oauth.Provider {
	return &oauth.Provider{
		ID: "wechat", ClientID: wechatAppID, ClientSecret: wechatSecret,
		TokenURL: "https://api.weixin.qq.com/sns/oauth2/access_token",
	}
}

func TestWeChatToken(t *testing.T) {
	client := serverClient(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		want := url.Values{"appid": {wechatAppID}, "secret": {wechatSecret}, "code": {wechatCode}, "grant_type": {"authorization_code"}}
		switch {
		case r.Method != http.MethodGet || r.URL.Path != "/sns/oauth2/access_token":
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		case q.Encode() != want.Encode():
			t.Errorf("query %s, want %s", q.Encode(), want.Encode())
		case r.Header.Get("Authorization") != "":
			t.Errorf("Authorization %q, want none", r.Header.Get("Authorization"))
		}
		_, _ = io.WriteString(w, `{"access_token":"ACCESS_TOKEN","expires_in":7200,"refresh_token":"REFRESH_TOKEN","openid":"oLVPpjqs9BhvzwPj5A-vTYAX3GLc","scope":"snsapi_login","unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL"}`)
	})
	tok, err := oauth.WeChatToken(t.Context(), client, wechatProvider(), wechatCode, "https://app.example/callback")
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "ACCESS_TOKEN" || tok.RefreshToken != "REFRESH_TOKEN" || tok.Type() != "Bearer" {
		t.Errorf("token = %+v", tok)
	}
	if d := time.Until(tok.Expiry); d < 7190*time.Second || d > 7200*time.Second {
		t.Errorf("expires in %s, want 2h", d)
	}
	for name, want := range map[string]string{"openid": "oLVPpjqs9BhvzwPj5A-vTYAX3GLc", "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL", "scope": "snsapi_login"} {
		if got := tok.Extra(name); got != want {
			t.Errorf("Extra(%q) = %v, want %q", name, got, want)
		}
	}
}

func TestWeChatTokenKeepsTokenURLQuery(t *testing.T) {
	client := serverClient(t, func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Get("lang") != "en" || q.Get("appid") != wechatAppID {
			t.Errorf("query %s", q.Encode())
		}
		_, _ = io.WriteString(w, `{"access_token":"A","openid":"O"}`)
	})
	p := wechatProvider()
	p.TokenURL += "?lang=en"
	if _, err := oauth.WeChatToken(t.Context(), client, p, wechatCode, ""); err != nil {
		t.Fatal(err)
	}
}

func TestWeChatTokenErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   []string
	}{
		{name: "errcode", status: 200, body: `{"errcode":40029,"errmsg":"invalid code, rid: 6462e3a5-1b2b2c3d"}`, want: []string{"40029", "invalid code"}},
		{name: "errmsg echoes the secret", status: 200, body: `{"errcode":40125,"errmsg":"invalid appsecret ` + wechatSecret + `"}`, want: []string{"40125", "invalid appsecret"}},
		{name: "RFC 6749 error", status: 401, body: `{"error":"invalid_client","error_description":"wrong client credentials"}`, want: []string{"status 401", "invalid_client"}},
		{name: "not JSON", status: 502, body: `<html>Bad Gateway</html>`, want: []string{"status 502"}},
		{name: "no access token", status: 200, body: `{"openid":"O"}`, want: []string{"no access_token"}},
		{name: "errcode 0 without a token", status: 200, body: `{"errcode":0,"errmsg":"ok"}`, want: []string{"no access_token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := serverClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			tok, err := oauth.WeChatToken(t.Context(), client, wechatProvider(), wechatCode, "")
			if err == nil {
				t.Fatalf("token %+v, want an error", tok)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			noSecret(t, err)
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		srv.Close()
		_, err := oauth.WeChatToken(t.Context(), &http.Client{Transport: toServer{srv}}, wechatProvider(), wechatCode, "")
		if err == nil {
			t.Fatal("no error")
		}
		noSecret(t, err)
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		client := serverClient(t, func(http.ResponseWriter, *http.Request) { t.Error("request made") })
		_, err := oauth.WeChatToken(ctx, client, wechatProvider(), wechatCode, "")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
		noSecret(t, err)
	})
}

// noSecret fails when err shows WeChat's secret, raw or escaped.
func noSecret(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{wechatSecret, url.QueryEscape(wechatSecret)} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains the secret", err)
		}
	}
}

// TestWeChatSignIn signs in through authtest the way the catalog's WeChat
// entry does: WeChatToken, then the userinfo URL with the token and the
// openid in its query.
func TestWeChatSignIn(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{
		Userinfo: `{"openid":"oLVPpjqs9BhvzwPj5A-vTYAX3GLc","nickname":"Band","unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL"}`,
		Token:    `{"openid":"oLVPpjqs9BhvzwPj5A-vTYAX3GLc","unionid":"o6_bmasdasdsad6_2sgVt7hMZOPfL","scope":"snsapi_login"}`,
		Paths:    authtest.Paths{Authorization: "/connect/qrconnect", Token: "/sns/oauth2/access_token", Userinfo: "/sns/userinfo"},
		TokenRequest: func(r *http.Request) url.Values {
			q := r.URL.Query()
			return url.Values{"grant_type": q["grant_type"], "code": q["code"], "client_id": q["appid"], "client_secret": q["secret"]}
		},
	})
	type profile struct {
		OpenID   string `json:"openid"`
		UnionID  string `json:"unionid"`
		Nickname string `json:"nickname"`
	}
	p := &oauth.Provider{
		ID: "wechat", Type: oauth.TypeOAuth, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		AuthorizationURL: idp.AuthorizationURL(), TokenURL: idp.TokenURL(),
		UserinfoURL:   idp.UserinfoURL() + "?access_token={access_token}&openid={token.openid}",
		Scopes:        []string{"snsapi_login"},
		Params:        map[string]string{"appid": "{client_id}"},
		TokenExchange: oauth.WeChatToken,
		Checks:        oauth.State,
		Profile: oauth.Map(func(w *profile) oauth.User {
			return oauth.User{ID: w.UnionID, Name: w.Nickname}
		}, nil),
	}
	const redirect = "https://app.example/api/auth/callback/wechat"
	authURL, checks, err := p.Begin(t.Context(), idp.Client(), redirect, nil)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := idp.Authorize(t.Context(), authURL)
	if err != nil {
		t.Fatal(err)
	}
	if got := idp.LastAuthorization().Get("appid"); got != idp.ClientID {
		t.Errorf("authorization appid = %q, want the client ID", got)
	}
	res, err := p.Finish(t.Context(), idp.Client(), cb.Query(), redirect, checks)
	if err != nil {
		t.Fatal(err)
	}
	if want := (oauth.User{ID: "o6_bmasdasdsad6_2sgVt7hMZOPfL", Name: "Band"}); *res.User != want {
		t.Errorf("user = %+v, want %+v", *res.User, want)
	}

	p.ClientSecret = "wrong"
	authURL, checks, _ = p.Begin(t.Context(), idp.Client(), redirect, nil)
	cb, _ = idp.Authorize(t.Context(), authURL)
	_, err = p.Finish(t.Context(), idp.Client(), cb.Query(), redirect, checks)
	if !errors.Is(err, oauth.ErrExchange) || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("wrong secret: %v, want ErrExchange with invalid_client", err)
	}
}
