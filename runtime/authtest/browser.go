package authtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Authorize plays the user at the provider: it requests authURL (the URL a
// sign-in redirected to) as a browser would, consents, and returns where
// the provider sends the browser back: the application's callback with
// code and state (and iss with Config.IssParam), or error=… when the
// provider refuses; for OAuth 1.0a, oauth_token and oauth_verifier. With
// response_mode=form_post the parameters the provider's page would POST
// are returned in the URL's query (CallbackRequest makes the POST itself).
//
// authURL must be on this provider: Authorize never leaves the test
// server.
func (p *Provider) Authorize(ctx context.Context, authURL string) (*url.URL, error) {
	cb, form, err := p.authorize(ctx, authURL)
	if err != nil || form == nil {
		return cb, err
	}
	q := cb.Query()
	for k, vs := range form {
		q[k] = vs
	}
	cb.RawQuery = q.Encode()
	return cb, nil
}

// CallbackRequest is Authorize returning the browser's next request to the
// application: a GET of the callback, or the POST of the self-submitting
// form of response_mode=form_post.
func (p *Provider) CallbackRequest(ctx context.Context, authURL string) (*http.Request, error) {
	cb, form, err := p.authorize(ctx, authURL)
	if err != nil {
		return nil, err
	}
	if form == nil {
		return http.NewRequestWithContext(ctx, http.MethodGet, cb.String(), nil)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cb.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// A cross-site form post, as a browser sends it.
	req.Header.Set("Origin", p.URL)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	return req, nil
}

// CallbackRequestAs is CallbackRequest for a user of the provider's
// own: userinfo (JSON) is what the userinfo endpoint answers for the
// tokens of this authorization, whatever SetUserinfo says, so that
// sign-ins running at once can each be a different user. OAuth 2.0 and
// OpenID Connect only; the ID token keeps Config.Claims.
func (p *Provider) CallbackRequestAs(ctx context.Context, authURL, userinfo string) (*http.Request, error) {
	if p.cfg.OAuth1 {
		return nil, errors.New("authtest: CallbackRequestAs is for OAuth 2.0 providers")
	}
	if !json.Valid([]byte(userinfo)) {
		return nil, fmt.Errorf("authtest: CallbackRequestAs: the userinfo is not JSON: %s", userinfo)
	}
	req, err := p.CallbackRequest(ctx, authURL)
	if err != nil {
		return nil, err
	}
	code := req.URL.Query().Get("code")
	if req.Method == http.MethodPost {
		if err := req.ParseForm(); err == nil {
			code = req.PostForm.Get("code")
		}
		// ParseForm read the body: give it back.
		req.Body = io.NopCloser(strings.NewReader(req.PostForm.Encode()))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	g := p.codes[code]
	if g == nil {
		return nil, errors.New("authtest: CallbackRequestAs: the provider issued no code")
	}
	g.userinfo = userinfo
	return req, nil
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]*)">`)
	formInput  = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)"/>`)
)

// authorize requests authURL and reads the provider's answer: the redirect,
// or the form_post page's action and fields.
func (p *Provider) authorize(ctx context.Context, authURL string) (*url.URL, url.Values, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return nil, nil, fmt.Errorf("authtest: authorization URL: %w", err)
	}
	if u.Scheme+"://"+u.Host != p.URL {
		return nil, nil, fmt.Errorf("authtest: the authorization URL %s is not on this provider (%s)", u.Redacted(), p.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "text/html")
	c := &http.Client{
		Transport:     p.Server.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("authtest: authorization request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, err
	}
	switch {
	case resp.StatusCode == http.StatusFound || resp.StatusCode == http.StatusSeeOther:
		loc, err := resp.Location()
		if err != nil {
			return nil, nil, fmt.Errorf("authtest: redirect without Location: %w", err)
		}
		return loc, nil, nil
	case resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
		m := formAction.FindSubmatch(body)
		if m == nil {
			return nil, nil, errors.New("authtest: the authorization page has no form")
		}
		cb, err := url.Parse(html.UnescapeString(string(m[1])))
		if err != nil {
			return nil, nil, err
		}
		q := url.Values{}
		for _, in := range formInput.FindAllSubmatch(body, -1) {
			q.Add(html.UnescapeString(string(in[1])), html.UnescapeString(string(in[2])))
		}
		return cb, q, nil
	}
	return nil, nil, fmt.Errorf("authtest: the provider refused the authorization request: %s: %s", resp.Status, strings.TrimSpace(string(body)))
}
