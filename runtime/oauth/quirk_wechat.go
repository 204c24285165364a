package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// WeChatToken exchanges the authorization code the way WeChat wants it,
// which is not RFC 6749's: a GET of the token URL with the app's appid and
// secret, the code and grant_type=authorization_code in the query:
//
//	GET https://api.weixin.qq.com/sns/oauth2/access_token?appid=APPID&secret=SECRET&code=CODE&grant_type=authorization_code
//
// The answer's members (openid, unionid, scope, …) are kept as the
// token's extras, for the userinfo URL's {token.openid}. WeChat reports
// errors with status 200 and {"errcode":40029,"errmsg":"invalid code"};
// they, and other failures, are errors that never contain the secret or
// the token.
//
// Documentation: https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Wechat_Login.html
func WeChatToken(ctx context.Context, c *http.Client, p *Provider, code, _ string) (*oauth2.Token, error) {
	// shown names the endpoint in errors: without the query, which holds
	// the secret.
	shown := "GET " + redactURL(p.TokenURL)
	c = Guard(c)
	u, err := url.Parse(p.TokenURL)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid URL", shown)
	}
	q := u.Query()
	q.Set("appid", p.ClientID)
	q.Set("secret", p.ClientSecret)
	q.Set("code", code)
	q.Set("grant_type", "authorization_code")
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid request", shown)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "authgen")
	resp, err := c.Do(req)
	if err != nil {
		// A *url.Error carries the URL, secret included: keep its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("%s: %w", shown, ue.Err)
		}
		return nil, fmt.Errorf("%s: request failed", shown)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", shown, err)
	}
	// clean bounds a message from WeChat and keeps the secret out of it.
	clean := func(s string) string {
		if p.ClientSecret != "" {
			s = strings.ReplaceAll(s, p.ClientSecret, "…")
		}
		return sanitize(s)
	}
	var raw map[string]any
	if json.Unmarshal(body, &raw) != nil {
		return nil, fmt.Errorf("%s: status %d, the answer is not a JSON object", shown, resp.StatusCode)
	}
	// WeChat's errors: errcode (0 is success) and errmsg.
	if errcode, ok := raw["errcode"].(float64); ok && errcode != 0 {
		msg, _ := raw["errmsg"].(string)
		return nil, fmt.Errorf("%s: WeChat error %d: %s", shown, int64(errcode), clean(msg))
	}
	if resp.StatusCode/100 != 2 {
		// An RFC 6749 error, from a proxy or a test server.
		e, _ := raw["error"].(string)
		desc, _ := raw["error_description"].(string)
		return nil, fmt.Errorf("%s: status %d, error %q: %s", shown, resp.StatusCode, clean(e), clean(desc))
	}
	tok := &oauth2.Token{}
	tok.AccessToken, _ = raw["access_token"].(string)
	tok.RefreshToken, _ = raw["refresh_token"].(string)
	tok.TokenType, _ = raw["token_type"].(string)
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("%s: the answer has no access_token", shown)
	}
	if secs, ok := raw["expires_in"].(float64); ok && secs > 0 {
		tok.Expiry = time.Now().Add(time.Duration(secs) * time.Second)
	}
	if tok.TokenType == "" {
		tok.TokenType = "Bearer" // WeChat sends none
	}
	return tok.WithExtra(raw), nil
}
