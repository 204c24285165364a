package oauth

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// The back channel: every request this package makes to a provider — its
// discovery document and key set, the token endpoint (code exchange,
// refresh, OAuth 1.0a's request and access tokens), userinfo and the
// provider APIs the quirks call — goes through a client that Guard has
// made safe:
//
//   - it never follows a redirect: a token endpoint that answers 307 would
//     otherwise have the client re-send the code, the PKCE verifier and
//     (client_secret_post) the secret to wherever it points, and a
//     userinfo redirect would let another host supply the profile. The
//     request fails with ErrRedirect, naming the endpoint and the target;
//   - it reads at most maxBody (1 MB) of an answer: a larger one fails with
//     ErrTooLarge instead of being read whole (go-oidc and oauth1 read
//     bodies without a limit) or cut short;
//   - it has timeouts: NewClient's connect, TLS handshake, response header
//     and whole-request ones, or, for a client of the application's, its
//     own transport's and a whole-request timeout when it has none;
//   - it keeps no cookies, which would otherwise pass from one user's
//     sign-in to the next.

// Errors of the back channel, wrapped in the sentinel of the step that
// failed (ErrDiscovery, ErrExchange, ErrUserinfo, ErrIDToken, ErrOAuth1).
var (
	// ErrRedirect reports a provider endpoint that answered with a
	// redirect, which is never followed.
	ErrRedirect = errors.New("oauth: the provider answered with a redirect, which is not followed")
	// ErrTooLarge reports a provider answer larger than 1 MB.
	ErrTooLarge = errors.New("oauth: the provider's answer is larger than 1 MB")
)

// maxBody bounds what is read from a provider.
const maxBody = 1 << 20

// Timeouts of NewClient, and the whole-request timeout Guard gives a
// client that has none.
const (
	dialTimeout      = 5 * time.Second
	handshakeTimeout = 5 * time.Second
	headerTimeout    = 8 * time.Second
	requestTimeout   = 10 * time.Second
	// maxHeaderBytes bounds a provider's response header.
	maxHeaderBytes = 64 << 10
)

// NewClient returns a client for talking to providers, as server.New makes
// when the application gives none: connecting times out after 5 s, the TLS
// handshake after 5 s, waiting for the response header after 8 s, and the
// whole request, body included, after 10 s; response headers are limited
// to 64 KB and answers to 1 MB; redirects are refused (see Guard). It
// honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY like http.DefaultTransport.
func NewClient() *http.Client {
	t := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    handshakeTimeout,
		ResponseHeaderTimeout:  headerTimeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxResponseHeaderBytes: maxHeaderBytes,
	}
	return Guard(&http.Client{Transport: t, Timeout: requestTimeout})
}

// Guard returns a copy of c that keeps the back channel's guarantees:
// redirects are refused (ErrRedirect), answers are read up to 1 MB
// (ErrTooLarge), cookies are not kept, and a whole request times out after
// 10 s unless c sets its own Timeout. c's transport — proxy, TLS roots,
// connection timeouts, a test's recorder — is kept underneath. Guard(nil)
// is NewClient(). Every function of this package that takes a client
// guards it, so a client of the application's (server.Config.HTTPClient)
// never weakens these guarantees; guarding twice is harmless.
func Guard(c *http.Client) *http.Client {
	if c == nil {
		return NewClient()
	}
	g := *c
	g.Jar = nil
	g.CheckRedirect = refuseRedirect
	if _, ok := c.Transport.(*limitTransport); !ok {
		g.Transport = &limitTransport{base: c.Transport}
	}
	if g.Timeout <= 0 {
		g.Timeout = requestTimeout
	}
	return &g
}

// refuseRedirect is the guarded clients' CheckRedirect, a second line
// behind limitTransport, which already fails redirects.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return redirectError(status, req.URL)
}

// redirectError names the status and the origin redirected to, never the
// target's path and query; the caller names the endpoint.
func redirectError(status int, target *url.URL) error {
	return fmt.Errorf("%w: status %d to %s://%s", ErrRedirect, status, target.Scheme, target.Host)
}

// requestError names the endpoint a back-channel request failed at —
// method and a URL its caller has redacted — and keeps the cause (a
// redirect, a timeout, an answer too large) without the URL http.Client
// puts in it, which has the query and may be a redirect's target.
func requestError(method, shown string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("%s %s: %w", method, shown, err)
}

// limitTransport limits the answers of its base transport (nil:
// http.DefaultTransport) to maxBody, and fails redirects: http.Client
// never sees them, so its error names the endpoint that answered (the
// request's URL) rather than the target, a URL chosen by whoever answered.
type limitTransport struct{ base http.RoundTripper }

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if isRedirect(resp.StatusCode) && resp.Header.Get("Location") != "" {
		resp.Body.Close()
		target, err := req.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			return nil, fmt.Errorf("%w: status %d to an invalid Location", ErrRedirect, resp.StatusCode)
		}
		return nil, redirectError(resp.StatusCode, target)
	}
	if resp.ContentLength > maxBody {
		resp.Body.Close()
		return nil, fmt.Errorf("%w (Content-Length %d)", ErrTooLarge, resp.ContentLength)
	}
	resp.Body = &limitedBody{rc: resp.Body, left: maxBody}
	return resp, nil
}

// isRedirect reports whether http.Client would follow a response of this
// status (with a Location).
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// limitedBody fails with ErrTooLarge once more than left bytes are read.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, ErrTooLarge
	}
	// Read one byte more than allowed, to tell "exactly the limit" from
	// "more".
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), ErrTooLarge
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// CloseIdleConnections closes the base transport's idle connections, for
// http.Client.CloseIdleConnections.
func (t *limitTransport) CloseIdleConnections() {
	type closer interface{ CloseIdleConnections() }
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if c, ok := base.(closer); ok {
		c.CloseIdleConnections()
	}
}
