package chromium

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Close()
	os.Exit(code)
}

// site is a small web site with a form, a cookie, JSON and a broken page.
func site(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Form</title>
<h1 id="title" data-kind="greeting">Say hello</h1>
<form id="f" method="post" action="/hello">
<input id="name" name="name" autocomplete="off">
<button id="go" type="submit">Go</button>
</form>
<p id="typed"></p>
<script>document.getElementById("name").addEventListener("input", e => document.getElementById("typed").textContent = "typed " + e.target.value)</script>`)
	})
	mux.HandleFunc("POST /hello", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s-" + r.FormValue("name"), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/hello?name="+r.FormValue("name"), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>Hello</title><p id="msg">Hello, %s!</p><a id="back" href="/">again</a>`, html.EscapeString(r.FormValue("name")))
	})
	mux.HandleFunc("GET /api/me", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sid")
		if err != nil {
			http.Error(w, `{"error":"no session"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"sid":%q}`, c.Value)
	})
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Broken</title><p>broken</p>
<script>
console.log("fine");
console.error("something broke", 42);
fetch("/missing");
setTimeout(() => { throw new Error("boom") }, 0);
</script>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestPage drives a form as a person would and reads back what the browser
// holds: text, attributes, the URL, an HttpOnly cookie, a fetch's JSON, and a
// screenshot in the artifact directory.
func TestPage(t *testing.T) {
	srv := site(t)
	p := New(t)

	if code := p.Navigate(srv.URL); code != 200 {
		t.Fatalf("status %d", code)
	}
	if got := p.Title(); got != "Form" {
		t.Errorf("title %q", got)
	}
	if v, ok := p.Attr("#title", "data-kind"); !ok || v != "greeting" {
		t.Errorf("data-kind = %q, %v", v, ok)
	}
	if _, ok := p.Attr("#title", "data-none"); ok {
		t.Error("missing attribute found")
	}
	p.Fill("#name", "Ada")
	p.WaitText("typed Ada") // the page saw input events
	if v := p.Value("#name"); v != "Ada" {
		t.Errorf("value %q", v)
	}
	shot := p.Screenshot("form")
	if code := p.ClickAndLoad("#go"); code != 200 {
		t.Errorf("after the click: status %d", code)
	}
	if got := p.Text("#msg"); got != "Hello, Ada!" {
		t.Errorf("text %q", got)
	}
	if u := p.WaitURL("/hello"); u != srv.URL+"/hello?name=Ada" {
		t.Errorf("URL %s", u)
	}
	if u := p.URL(); u != srv.URL+"/hello?name=Ada" {
		t.Errorf("URL() %s", u)
	}
	c := p.Cookie("sid")
	if c == nil || c.Value != "s-Ada" || !c.HTTPOnly {
		t.Errorf("cookie sid = %+v", c)
	}
	var me struct{ SID string }
	p.Eval(`fetch("/api/me").then(r => r.json())`, &me)
	if me.SID != "s-Ada" {
		t.Errorf("fetch /api/me = %+v", me)
	}
	var n int
	p.Eval(`1 + 2`, &n)
	if n != 3 {
		t.Errorf("1 + 2 = %d", n)
	}
	p.Eval(`undefined`, nil)
	if !p.Has("#back") || p.Has("#nothing") {
		t.Error("Has")
	}

	// Submit posts the form as form.submit() does.
	p.Click("#back")
	p.WaitVisible("#name")
	p.Fill("#name", "Grace")
	if code := p.Submit("#f"); code != 200 {
		t.Errorf("submit: %d", code)
	}
	p.WaitText("Hello, Grace!")
	p.Back()
	p.WaitVisible("#go")

	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot %s: %v", shot, err)
	}
	if filepath.Base(shot) != "01-form.png" || filepath.Dir(shot) != t.ArtifactDir() {
		t.Errorf("screenshot at %s, want 01-form.png in %s", shot, t.ArtifactDir())
	}
	p.NoErrors()
}

// TestErrors: console errors, uncaught exceptions and failed requests are
// collected; a new page shares no cookie with another.
func TestErrors(t *testing.T) {
	srv := site(t)
	p := New(t)
	p.Navigate(srv.URL + "/broken")
	deadline := time.Now().Add(5 * time.Second)
	for len(p.ConsoleErrors()) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	errs := strings.Join(p.ConsoleErrors(), "\n")
	for _, want := range []string{"error: something broke 42", "exception: Uncaught Error: boom", "404"} {
		if !strings.Contains(errs, want) {
			t.Errorf("console errors lack %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "fine") {
		t.Errorf("console errors hold a log message:\n%s", errs)
	}
	var log bool
	for _, m := range p.Console() {
		log = log || (m.Type == "log" && m.Text == "fine")
	}
	if !log {
		t.Errorf("console.log not collected: %v", p.Console())
	}
	failed := p.FailedRequests()
	if len(failed) != 1 || failed[0].URL != srv.URL+"/missing" || failed[0].Status != 404 || failed[0].Method != "GET" {
		t.Errorf("failed requests = %v", failed)
	}

	// A connection refused.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	p.Eval(fmt.Sprintf(`fetch(%q).then(() => "ok", e => e.name)`, closed.URL+"/x"), nil)
	failed = p.FailedRequests()
	if len(failed) != 2 || !strings.Contains(failed[1].Error, "ERR_CONNECTION_REFUSED") {
		t.Errorf("failed requests = %v", failed)
	}

	// Another page is another browser context: no cookie of the first.
	p.Navigate(srv.URL)
	p.Fill("#name", "x")
	p.ClickAndLoad("#go")
	q := New(t)
	q.Navigate(srv.URL)
	if c := q.Cookie("sid"); c != nil {
		t.Errorf("a new page has the cookie of another: %+v", c)
	}
}

// TestFailureCapture: a failing test gets the page's screenshot and DOM in
// its artifact directory.
func TestFailureCapture(t *testing.T) {
	srv := site(t)
	p := New(t)
	p.Navigate(srv.URL + "/hello?name=Linus")
	p.captureFailure(t.ArtifactDir()) // what the cleanup does when t.Failed()
	for _, f := range []string{"failure.png", "failure.html"} {
		b, err := os.ReadFile(filepath.Join(t.ArtifactDir(), f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "failure.html" && !bytes.Contains(b, []byte("Hello, Linus!")) {
			t.Errorf("failure.html:\n%s", b)
		}
	}
}

// TestFresh: a page with a Chromium of its own.
func TestFresh(t *testing.T) {
	srv := site(t)
	start := time.Now()
	p := New(t, Fresh())
	t.Logf("Chromium of its own and a tab in %v", time.Since(start))
	p.Navigate(srv.URL + "/hello?name=Fresh")
	if got := p.Text("#msg"); got != "Hello, Fresh!" {
		t.Errorf("text %q", got)
	}
}

// TestParallel: pages of parallel tests share the Chromium and nothing else.
func TestParallel(t *testing.T) {
	srv := site(t)
	for _, name := range []string{"Ada", "Grace", "Linus"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := New(t)
			p.Navigate(srv.URL)
			p.Fill("#name", name)
			p.ClickAndLoad("#go")
			if got := p.Text("#msg"); got != "Hello, "+name+"!" {
				t.Errorf("text %q", got)
			}
			var me struct{ SID string }
			p.Eval(`fetch("/api/me").then(r => r.json())`, &me)
			if me.SID != "s-"+name {
				t.Errorf("session of %s: %q", name, me.SID)
			}
		})
	}
}

// TestNewPageTiming measures what most browser tests pay: a new page (a
// browser context and a tab) on the shared Chromium, and a navigation.
func TestNewPageTiming(t *testing.T) {
	srv := site(t)
	New(t) // the shared Chromium runs
	const n = 3
	start := time.Now()
	for range n {
		p := New(t)
		p.Navigate(srv.URL)
	}
	t.Logf("a new page and a navigation: %v each", (time.Since(start) / n).Round(time.Millisecond))
}
