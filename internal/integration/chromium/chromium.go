// Package chromium drives a real, headless Chromium from Go tests, over the
// DevTools protocol with chromedp (github.com/chromedp/chromedp v0.24, whose
// API is the generic one of v0.20 and later: chromedp.Do, chromedp.Run[T],
// cdp.Call; examples written for the older pointer API do not compile).
//
// A test asks for a [Page] — a tab in a browser context of its own
// (incognito: its own cookies, storage and authenticators) — and uses it as
// a person would:
//
//	p := chromium.New(t)
//	p.Navigate(app.URL)
//	p.ClickAndLoad("#signin")          // click, and wait for the page it loads
//	p.WaitVisible("#signin-github")
//	p.Screenshot("signin")             // 01-signin.png in t.ArtifactDir()
//	p.Fill("#email", "ada@example.com")
//	p.Click("#send")
//	p.WaitText("Check your e-mail")
//	c := p.Cookie("authgen.session-token") // HttpOnly cookies too
//
// [Page.NewTab] opens a second tab in the same browser context — the same
// cookies, localStorage and BroadcastChannels, as two tabs of one browser
// window — and [Page.Close] closes a tab, as a person does.
//
// Selectors are CSS selectors. Every method fails the test (t.Fatal) when the
// browser does not do what it is asked within [Page.Timeout] (20 s), and logs
// the step with t.Log, so a failing test's log reads as the steps it took.
// Click does not wait for what the click does: follow it with a Wait…, or use
// ClickAndLoad (or Submit) when it loads a page.
//
// # Chromium
//
// Chromium is Debian's package chromium (/usr/bin/chromium, found on $PATH;
// .ci/run installs it with apt). It runs headless, without the sandbox (tests
// run as root), on loopback only: it is started with --headless --no-sandbox
// --disable-gpu --disable-quic --no-first-run --disable-background-networking
// --disable-component-update --disable-sync and a fresh --user-data-dir, so it
// makes no connection of its own — on a closed network it would otherwise
// try Google's hosts, and many connections would be refused. The DevTools
// protocol runs over a pipe, not a port. The back-forward cache is off (see
// [Page.Back]).
//
// One Chromium process serves all the tests of a test binary: the first
// [New] starts it, and each New opens a new browser context and a tab in it,
// which costs a fraction of a start (see TestNewPageTiming). Call [Close]
// from TestMain to stop it and remove its profile when the tests are done;
// without it the kernel kills the process when the test binary exits, but
// its temporary profile stays behind in $TMPDIR. [Fresh] gives one test a
// Chromium process and a profile of its own instead. Pages are independent,
// so tests that use them may run in parallel (t.Parallel).
//
// When Chromium is not installed, [New] skips the test through
// testsvc.Unavailable (a failure under AUTHGEN_REQUIRE_SERVERS=1), and under
// go test -short it skips, as every test that starts a server does. Call New
// before any slow setup, so that a test without Chromium skips at once.
//
// # What a test can read
//
// Text, attributes, form values, the URL and the title, cookies (HttpOnly
// ones too), and the value of any JavaScript: [Page.Eval] awaits promises,
// so a fetch-based check is one line. The page's console messages, uncaught
// exceptions and browser log entries are collected from the start
// ([Page.Console], [Page.ConsoleErrors]), and so are the requests that
// failed or were answered with a status of 400 or more
// ([Page.FailedRequests]); [Page.NoErrors] fails the test for each. The
// favicon.ico that Chromium asks every site for is left out of both.
//
// # Screenshots
//
// [Page.Screenshot] writes a numbered PNG of the whole page (01-home.png,
// 02-signin.png, …) into the test's artifact directory, t.ArtifactDir(), and
// logs its path. go test removes that directory after the test, unless it
// runs with -artifacts, which keeps it under -outputdir (a directory that
// must exist; the default is the package's directory):
//
//	mkdir -p /tmp/shots
//	go test -artifacts -outputdir /tmp/shots -run TestBrowserSignIn ./e2e/
//
// When a test fails, its page is saved as failure.png (a screenshot) and
// failure.html (the DOM) — in the artifact directory under -artifacts,
// otherwise in a directory under $TMPDIR that stays — and its URL, console
// messages and failed requests are logged with the directory's path.
//
// # The DevTools protocol
//
// [Page.Context] is the tab's chromedp context, for any chromedp action or
// DevTools command; [Run] runs a chromedp action and [Call] sends one
// command, each failing the test on error:
//
//	html := chromium.Run(p, chromedp.OuterHTML(chromedp.CSS("main")))
//	tree := chromium.Call(p, page.GetFrameTree, cdp.Empty{})
//
// [Page.AddAuthenticator] enables the WebAuthn domain (WebAuthn.enable) and
// adds one of Chromium's virtual authenticators
// (WebAuthn.addVirtualAuthenticator); the [Authenticator] it returns reads
// the credentials the page registered (WebAuthn.getCredentials), adds,
// clears and removes them, and makes user verification fail. With
// [PlatformAuthenticator] — CTAP 2.1, internal transport, resident keys,
// user verification — a page's navigator.credentials.create and .get work
// as with a laptop's passkeys, no person needed.
package chromium

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/authgen/authgen/internal/integration/testsvc"
)

// DefaultTimeout bounds each step of a [Page]: a navigation, a wait, a click.
const DefaultTimeout = 20 * time.Second

// Window size of the browser, and so of screenshots.
const (
	windowWidth  = 1280
	windowHeight = 900
)

// Page is one browser tab in a browser context of its own, bound to a test.
// Its methods are not safe for concurrent use (one tab does one thing at a
// time); use one Page per goroutine.
type Page struct {
	// Timeout bounds each step; New sets it to DefaultTimeout.
	Timeout time.Duration

	t      testing.TB
	ctx    context.Context // the tab's chromedp context
	cancel func()          // closes the tab (and, for New's, its browser context)

	shots int // screenshots taken, for numbering

	mu       sync.Mutex
	console  []chromedp.ConsoleMessage
	failed   []Request
	requests map[network.RequestID]Request // in flight, by id

	webauthnOn bool
}

// Request is a request of the page that failed: the network or the browser
// refused it (Error is set), or the server answered it with a status of 400
// or more.
type Request struct {
	Method, URL string
	// Type is the kind of resource: Document, Fetch, XHR, Script, Image, …
	Type network.ResourceType
	// Status is the HTTP status, 0 when no response came.
	Status int64
	// Error is Chromium's error text (net::ERR_CONNECTION_REFUSED, …).
	Error string
	// Canceled reports a request the page or the browser gave up, such as
	// a fetch aborted by a navigation; FailedRequests leaves these out.
	Canceled bool
}

func (r Request) String() string {
	if r.Error != "" {
		return fmt.Sprintf("%s %s (%s): %s", r.Method, r.URL, r.Type, r.Error)
	}
	return fmt.Sprintf("%s %s (%s): %d", r.Method, r.URL, r.Type, r.Status)
}

// Option changes how [New] opens a page.
type Option func(*options)

type options struct {
	fresh bool
}

// Fresh gives the page a Chromium process and a profile of its own, started
// for this test and stopped when it ends, instead of a browser context in
// the test binary's shared Chromium.
func Fresh() Option { return func(o *options) { o.fresh = true } }

// New opens a page (a blank tab) for t in a new browser context and closes it
// when the test ends. On the first call it starts the test binary's Chromium.
// It skips t under -short and when Chromium is not installed (see the package
// documentation).
func New(t testing.TB, opts ...Option) *Page {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Chromium (go test -short runs no server)")
	}
	var o options
	for _, f := range opts {
		f(&o)
	}
	exe := testsvc.LookPath(t, "chromium", "chromium")

	var b *process
	if o.fresh {
		var err error
		b, err = startChromium(exe)
		if err != nil {
			t.Fatalf("browser: %v", err)
		}
		t.Cleanup(b.close)
	} else {
		b = sharedChromium(t, exe)
	}

	start := time.Now()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	p := &Page{Timeout: DefaultTimeout, t: t, ctx: ctx, cancel: cancel, requests: map[network.RequestID]Request{}}
	// Cleanups run last in, first out: the failure capture needs the tab,
	// so closing it is registered first.
	t.Cleanup(cancel)
	// The first Do attaches the tab; it is bound to ctx, not to a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: open a tab: %v%s", err, b.logTail())
	}
	p.open()
	t.Logf("browser: new page (%v)", time.Since(start).Round(time.Millisecond))
	return p
}

// NewTab opens another tab (a blank one) in p's browser context: it shares
// p's cookies, storage and BroadcastChannels, as a second tab of the same
// browser window does. It is closed when the test ends, or by Close. Close
// p's other tabs before p: closing the tab New opened ends its browser
// context, and so every tab in it.
func (p *Page) NewTab() *Page {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	q := &Page{Timeout: p.Timeout, t: p.t, ctx: ctx, cancel: cancel, requests: map[network.RequestID]Request{}}
	p.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		p.t.Fatalf("browser: open a tab: %v", err)
	}
	q.open()
	p.t.Logf("browser: new tab")
	return q
}

// Close closes the tab as a person does: its scripts and timers stop. The
// tab New opened takes its browser context with it (cookies, storage, the
// tabs of NewTab).
func (p *Page) Close() {
	p.t.Helper()
	p.logf("close the tab")
	p.cancel()
}

// open starts collecting the tab's console and failed requests, and saves
// the tab when the test fails.
func (p *Page) open() {
	t := p.t
	t.Helper()
	if err := p.collect(); err != nil {
		t.Fatalf("browser: %v", err)
	}
	// The artifact directory first: without -artifacts it is a temporary
	// directory whose removal, registered now, runs after the capture.
	t.ArtifactDir()
	t.Cleanup(func() {
		if t.Failed() {
			p.captureFailure(failureDir(t))
		}
	})
}

// Context returns the tab's chromedp context, for chromedp actions and raw
// DevTools commands:
//
//	res, err := chromedp.Call(p.Context(), page.GetFrameTree, cdp.Empty{})
//	title, err := chromedp.Run(p.Context(), chromedp.Title())
//
// It has no deadline; bound a call with context.WithTimeout.
func (p *Page) Context() context.Context { return p.ctx }

// T returns the test the page belongs to.
func (p *Page) T() testing.TB { return p.t }

// Call sends one DevTools command to the page's tab and returns its result,
// failing the test on error:
//
//	chromium.Call(p, webauthn.Enable, webauthn.EnableParams{})
func Call[P, R any](p *Page, cmd cdp.Command[P, R], params P) R {
	p.t.Helper()
	ctx, cancel := p.stepContext()
	defer cancel()
	res, err := chromedp.Call(ctx, cmd, params)
	if err != nil {
		p.fatalf("%s: %s", cmd.Method, p.describeErr(err))
	}
	return res
}

// Run runs a chromedp action in the tab and returns its value, failing the
// test on error:
//
//	html := chromium.Run(p, chromedp.OuterHTML(chromedp.CSS("main")))
func Run[T any](p *Page, a chromedp.Action[T]) T {
	p.t.Helper()
	return step(p, "chromedp action", a)
}

// Do runs chromedp actions that return nothing, in order, failing the test
// on the first error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	step(p, "chromedp actions", chromedp.Steps(actions...))
}

// step runs a, bounded by the page's Timeout, and fails the test with what
// and the error.
func step[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := p.stepContext()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.fatalf("%s: %s", what, p.describeErr(err))
	}
	return v
}

func (p *Page) stepContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, p.Timeout)
}

// describeErr says "not done within 20s" for a step that timed out.
func (p *Page) describeErr(err error) string {
	if errors.Is(err, context.DeadlineExceeded) && p.ctx.Err() == nil {
		return fmt.Sprintf("not done within %v", p.Timeout)
	}
	return err.Error()
}

// fatalf fails the test with the page's URL in the message.
func (p *Page) fatalf(format string, args ...any) {
	p.t.Helper()
	p.t.Fatalf("browser: "+format+" (at %s)", append(args, p.location())...)
}

func (p *Page) logf(format string, args ...any) {
	p.t.Helper()
	p.t.Logf("browser: "+format, args...)
}

// location is the tab's URL, or a note why it cannot be read.
func (p *Page) location() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown URL: " + err.Error()
	}
	return u
}

// Navigate loads url and waits until the page has loaded; it returns the
// HTTP status of the document (after redirects).
func (p *Page) Navigate(url string) int {
	p.t.Helper()
	p.logf("navigate %s", url)
	ctx, cancel := p.stepContext()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		p.fatalf("navigate to %s: %s", url, p.describeErr(err))
	}
	return status(resp)
}

func status(resp *network.Response) int {
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Reload reloads the page and waits until it has loaded.
func (p *Page) Reload() {
	p.t.Helper()
	p.logf("reload")
	step(p, "reload", chromedp.Reload())
}

// Back goes back in the tab's history, as the browser's back button does,
// and waits until the page has loaded. (The back-forward cache is off, so
// the page always loads again: chromedp loses track of a page that the cache
// restores.)
func (p *Page) Back() {
	p.t.Helper()
	p.logf("back")
	step(p, "back", chromedp.NavigateBack())
}

// WaitVisible waits until an element matching sel is in the page and
// visible.
func (p *Page) WaitVisible(sel string) {
	p.t.Helper()
	p.logf("wait for %s", sel)
	step(p, "wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitGone waits until no element matches sel.
func (p *Page) WaitGone(sel string) {
	p.t.Helper()
	p.logf("wait until %s is gone", sel)
	step(p, "wait until "+sel+" is gone", chromedp.WaitNotPresent(chromedp.CSS(sel)))
}

// Has reports whether an element matches sel now, without waiting.
func (p *Page) Has(sel string) bool {
	p.t.Helper()
	var found bool
	p.eval(fmt.Sprintf("document.querySelector(%s) !== null", jsString(sel)), &found)
	return found
}

// WaitText waits until the page's visible text (document.body.innerText)
// contains text. It keeps looking across navigations, so it can follow a
// click that loads another page.
func (p *Page) WaitText(text string) {
	p.t.Helper()
	p.logf("wait for text %q", text)
	var last string
	if !p.poll(func(ctx context.Context) bool {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		if err == nil {
			last = s
		}
		return err == nil && strings.Contains(s, text)
	}) {
		p.fatalf("no text %q in the page within %v; its text:\n%s", text, p.Timeout, last)
	}
}

// WaitURL waits until the tab's URL is want: the whole URL, or, when want
// starts with "/", its path (query and fragment ignored). It returns the URL.
func (p *Page) WaitURL(want string) string {
	p.t.Helper()
	p.logf("wait for URL %s", want)
	var last string
	if !p.poll(func(ctx context.Context) bool {
		u, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return false
		}
		last = u
		return urlMatches(u, want)
	}) {
		p.fatalf("URL is %s, not %s, after %v", last, want, p.Timeout)
	}
	return last
}

func urlMatches(got, want string) bool {
	if !strings.HasPrefix(want, "/") {
		return got == want
	}
	u, err := url.Parse(got)
	return err == nil && u.Path == want
}

// poll calls ok every 50 ms until it returns true or the step times out.
func (p *Page) poll(ok func(ctx context.Context) bool) bool {
	ctx, cancel := p.stepContext()
	defer cancel()
	for {
		// Each try gets a short deadline, so that a try that hangs in a
		// navigation is retried.
		tctx, tcancel := context.WithTimeout(ctx, 2*time.Second)
		done := ok(tctx)
		tcancel()
		if done {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Click waits until an element matching sel is visible and clicks it with
// the mouse. It does not wait for what the click does; follow it with a
// Wait…, or use ClickAndLoad when the click loads a page.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.logf("click %s", sel)
	step(p, "click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// ClickAndLoad clicks sel, as Click does, and waits until the page the click
// leads to (after any redirects) has loaded. It returns the HTTP status of
// that page.
func (p *Page) ClickAndLoad(sel string) int {
	p.t.Helper()
	p.logf("click %s and wait for the page", sel)
	ctx, cancel := p.stepContext()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		p.fatalf("click %s: %s", sel, p.describeErr(err))
	}
	return status(resp)
}

// Fill replaces the value of the input or textarea sel with value, typing it
// key by key (so the page sees input events, as a framework's controlled
// input needs).
func (p *Page) Fill(sel, value string) {
	p.t.Helper()
	p.logf("fill %s", sel)
	step(p, "fill "+sel, chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Clear(chromedp.CSS(sel)),
		chromedp.SendKeys(chromedp.CSS(sel), value),
	))
}

// Submit submits the form that sel is (or is in) and waits until the page it
// leads to has loaded, returning that page's HTTP status. It submits as
// form.submit() does, without a click: to send a submit button's name and
// value, or to run the page's submit handlers, use ClickAndLoad on the button.
func (p *Page) Submit(sel string) int {
	p.t.Helper()
	p.logf("submit %s", sel)
	ctx, cancel := p.stepContext()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS(sel)))
	if err != nil {
		p.fatalf("submit %s: %s", sel, p.describeErr(err))
	}
	return status(resp)
}

// Text returns the visible text of the first element matching sel, waiting
// until one is visible.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	return step(p, "text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Value returns the value of the input, select or textarea sel.
func (p *Page) Value(sel string) string {
	p.t.Helper()
	return step(p, "value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Attr returns the attribute name of the first element matching sel (waiting
// until one is in the page), and whether the element has it.
func (p *Page) Attr(sel, name string) (string, bool) {
	p.t.Helper()
	r := step(p, "attribute "+name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name, chromedp.NodeReady))
	return r.Value, r.Exists
}

// HTML returns the outer HTML of the document.
func (p *Page) HTML() string {
	p.t.Helper()
	return step(p, "HTML", chromedp.OuterHTML(chromedp.CSS("html")))
}

// URL returns the tab's URL.
func (p *Page) URL() string {
	p.t.Helper()
	return step(p, "URL", chromedp.Location())
}

// Title returns the document's title.
func (p *Page) Title() string {
	p.t.Helper()
	return step(p, "title", chromedp.Title())
}

// Cookies returns the browser's cookies for urls (HttpOnly ones included);
// without urls, for the page's URL.
func (p *Page) Cookies(urls ...string) []*network.Cookie {
	p.t.Helper()
	return Call(p, network.GetCookies, network.GetCookiesParams{URLs: urls}).Cookies
}

// Cookie returns the cookie the page's URL gets with the name, or nil.
func (p *Page) Cookie(name string) *network.Cookie {
	p.t.Helper()
	for _, c := range p.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Eval evaluates a JavaScript expression in the page, awaits it when it is a
// promise, and decodes its JSON value into out (which may be nil):
//
//	var session struct{ User struct{ Email string } }
//	p.Eval(`fetch("/api/auth/session").then(r => r.json())`, &session)
//
// An exception thrown (or a promise rejected) fails the test; to test for
// one, catch it in the expression.
func (p *Page) Eval(js string, out any) {
	p.t.Helper()
	p.logf("eval %s", oneLine(js))
	p.eval(js, out)
}

func (p *Page) eval(js string, out any) {
	p.t.Helper()
	raw := step(p, "eval "+oneLine(js), chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if out == nil {
		return
	}
	if len(raw) == 0 {
		raw = []byte("null") // undefined
	}
	if err := json.Unmarshal(raw, out); err != nil {
		p.fatalf("eval %s: decode %s: %v", oneLine(js), raw, err)
	}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Screenshot saves a PNG of the whole page as NN-name.png in the test's
// artifact directory and returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	p.shots++
	path := filepath.Join(p.t.ArtifactDir(), fmt.Sprintf("%02d-%s.png", p.shots, name))
	if err := p.screenshot(path); err != nil {
		p.fatalf("screenshot %s: %s", name, p.describeErr(err))
	}
	p.logf("screenshot %s", path)
	return path
}

func (p *Page) screenshot(path string) error {
	ctx, cancel := context.WithTimeout(p.ctx, p.Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// collect starts recording the tab's console and failed requests.
func (p *Page) collect() error {
	messages := chromedp.Console(p.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return // the tab is closed
			}
			if m.Source == "network" && isFavicon(m.URL) {
				continue
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	return chromedp.Listen(p.ctx, func(ev any) {
		// Runs in the tab's event loop, in order: keep it short.
		p.mu.Lock()
		defer p.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if isFavicon(ev.Request.URL) && ev.Type == network.ResourceTypeOther {
				return // the browser's, not the page's
			}
			p.requests[ev.RequestID] = Request{Method: ev.Request.Method, URL: ev.Request.URL, Type: ev.Type}
		case *network.EventResponseReceived:
			r, ok := p.requests[ev.RequestID]
			if !ok {
				return // not recorded: the favicon
			}
			r.URL = ev.Response.URL
			r.Status = ev.Response.Status
			p.requests[ev.RequestID] = r
			if r.Status >= 400 {
				p.failed = append(p.failed, r)
			}
		case *network.EventLoadingFinished:
			delete(p.requests, ev.RequestID)
		case *network.EventLoadingFailed:
			r, ok := p.requests[ev.RequestID]
			if !ok {
				return
			}
			delete(p.requests, ev.RequestID)
			r.Type = ev.Type
			r.Error = ev.ErrorText
			if ev.BlockedReason != "" {
				r.Error += " (blocked: " + string(ev.BlockedReason) + ")"
			}
			r.Canceled = ev.Canceled
			p.failed = append(p.failed, r)
		}
	})
}

// isFavicon reports whether u is a site's /favicon.ico, which Chromium asks
// for by itself: a site without one is not a page with an error.
func isFavicon(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && pu.Path == "/favicon.ico"
}

// Console returns every console message, uncaught exception and browser log
// entry of the page so far.
func (p *Page) Console() []chromedp.ConsoleMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), p.console...)
}

// ConsoleErrors returns the console messages of level error and the uncaught
// exceptions so far, each as "type: text (url:line)".
func (p *Page) ConsoleErrors() []string {
	var errs []string
	for _, m := range p.Console() {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			errs = append(errs, describe(m))
		}
	}
	return errs
}

func describe(m chromedp.ConsoleMessage) string {
	s := m.String()
	if m.URL != "" {
		s += fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
	}
	return s
}

// FailedRequests returns the requests so far that failed or got a status of
// 400 or more, leaving out the canceled ones.
func (p *Page) FailedRequests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	var rs []Request
	for _, r := range p.failed {
		if !r.Canceled {
			rs = append(rs, r)
		}
	}
	return rs
}

// NoErrors fails the test (without stopping it) for each console error,
// uncaught exception and failed request so far. Browsers write a console
// error for a 4xx or 5xx answer too, so a page that means to get one should
// not call it.
func (p *Page) NoErrors() {
	p.t.Helper()
	for _, e := range p.ConsoleErrors() {
		p.t.Errorf("browser: console: %s", e)
	}
	for _, r := range p.FailedRequests() {
		p.t.Errorf("browser: failed request: %s", r)
	}
}

// failureDir is where a failed test's page is saved: the test's artifact
// directory under go test -artifacts; otherwise, since go test removes that
// one, a directory under os.TempDir() that stays.
func failureDir(t testing.TB) string {
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		return t.ArtifactDir()
	}
	dir, err := os.MkdirTemp("", "authgen-browser-failure-")
	if err != nil {
		return t.ArtifactDir()
	}
	return dir
}

// captureFailure saves the page as it is into dir (failure.png,
// failure.html) and logs its URL, console and failed requests.
func (p *Page) captureFailure(dir string) {
	var notes []string
	if err := p.screenshot(filepath.Join(dir, "failure.png")); err != nil {
		notes = append(notes, "no screenshot: "+err.Error())
	} else {
		notes = append(notes, "screenshot: "+filepath.Join(dir, "failure.png"))
	}
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	cancel()
	if err == nil && os.WriteFile(filepath.Join(dir, "failure.html"), []byte(html), 0o644) == nil {
		notes = append(notes, "DOM: "+filepath.Join(dir, "failure.html"))
	}
	notes = append(notes, "URL: "+p.location())
	for _, m := range p.Console() {
		notes = append(notes, "console: "+describe(m))
	}
	for _, r := range p.FailedRequests() {
		notes = append(notes, "failed request: "+r.String())
	}
	p.t.Logf("browser: the test failed; the page:\n\t%s", strings.Join(notes, "\n\t"))
}

// process is a running Chromium process.
type process struct {
	ctx    context.Context // the browser's first tab; NewContext on it opens more
	cancel func()          // stops the process and removes its profile
	log    *tailBuffer
	took   time.Duration
}

// startChromium starts Chromium at exe and waits until it answers.
func startChromium(exe string) (*process, error) {
	start := time.Now()
	log := &tailBuffer{max: 16 << 10}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(windowWidth, windowHeight),
		// chromedp's defaults, and the back-forward cache (see Back).
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,BackForwardCache"),
		chromedp.CombinedOutput(log),
		// The profile: chromedp makes a fresh temporary --user-data-dir
		// and removes it when the process has exited.
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &process{ctx: ctx, log: log, cancel: func() { cancelCtx(); cancelAlloc() }}
	// Start it with a context without deadline (it lives as long as ctx),
	// but give up if the first tab does not come.
	errc := make(chan error, 1)
	go func() { errc <- chromedp.Do(ctx) }()
	select {
	case err := <-errc:
		if err != nil {
			b.cancel()
			return nil, fmt.Errorf("start %s: %v%s", exe, err, b.logTail())
		}
	case <-time.After(60 * time.Second):
		b.cancel()
		return nil, fmt.Errorf("start %s: no answer after 60 s%s", exe, b.logTail())
	}
	b.took = time.Since(start)
	return b, nil
}

func (b *process) close() { b.cancel() }

// alive reports whether the process still runs.
func (b *process) alive() bool { return b.ctx.Err() == nil }

func (b *process) logTail() string {
	s := strings.TrimSpace(b.log.String())
	if s == "" {
		return ""
	}
	return "\n--- chromium output ---\n" + s
}

var shared struct {
	mu sync.Mutex
	b  *process
}

// sharedChromium returns the test binary's Chromium, starting it (again, if
// it died) when needed.
func sharedChromium(t testing.TB, exe string) *process {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.b != nil && shared.b.alive() {
		return shared.b
	}
	if shared.b != nil {
		t.Logf("browser: the shared Chromium has stopped; starting another%s", shared.b.logTail())
	}
	b, err := startChromium(exe)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	t.Logf("browser: started Chromium in %v", b.took.Round(time.Millisecond))
	shared.b = b
	return b
}

// Close stops the shared Chromium, if one was started, and removes its
// profile. Call it from TestMain after m.Run:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		chromium.Close()
//		os.Exit(code)
//	}
func Close() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.b != nil {
		shared.b.close()
		shared.b = nil
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (w *tailBuffer) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(b)
	if extra := w.buf.Len() - w.max; extra > 0 {
		w.buf.Next(extra)
	}
	return len(b), nil
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
