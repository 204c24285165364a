package generator_test

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
)

// TestDeployTargets generates the jwt-signed golden case (GitHub, no
// database, signed JWT sessions) with both deploy targets and, in that
// module: drives cmd/lambda's handler with function URL events through a
// whole GitHub sign-in against a fake provider (runtime/authtest), cookies
// in the events' cookies lists; runs the Dockerfile's build command as the
// Dockerfile runs it and checks the binary is static; and runs
// scripts/build-lambda.sh and checks the zip holds a static linux/arm64
// bootstrap.
func TestDeployTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a generated module")
	}
	src, err := os.ReadFile(filepath.Join(goldenDir, "jwt-signed", manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	spec := generator.Spec{Module: "example.com/myapp", Manifest: m, App: true, Targets: generator.Targets}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, generator.File{Path: "cmd/lambda/lambda_test.go", Content: []byte(lambdaTest), Kind: generator.Scaffold})
	mod := t.TempDir()
	gentest.WriteModule(t, mod, spec, files)

	t.Run("lambda", func(t *testing.T) {
		gentest.Go(t, mod, nil, "test", "-count=1", "./cmd/lambda/")
	})

	// app.Handler is an http.Handler on every router, so the Lambda
	// handler serves an Echo or Gin application as it serves net/http's.
	for _, router := range []string{manifest.RouterEcho, manifest.RouterGin} {
		t.Run("lambda-"+router, func(t *testing.T) {
			t.Parallel()
			rm := *m
			rm.Router = router
			rspec := spec
			rspec.Manifest = &rm
			files, err := generator.Generate(rspec)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, generator.File{Path: "cmd/lambda/lambda_test.go", Content: []byte(lambdaTest), Kind: generator.Scaffold})
			dir := t.TempDir()
			gentest.WriteModule(t, dir, rspec, files)
			gentest.Go(t, dir, nil, "test", "-count=1", "./cmd/lambda/")
		})
	}

	t.Run("container", func(t *testing.T) {
		dockerfile, err := os.ReadFile(filepath.Join(mod, "Dockerfile"))
		if err != nil {
			t.Fatal(err)
		}
		final := dockerfile[bytes.LastIndex(dockerfile, []byte("\nFROM ")):]
		for _, want := range []string{"FROM gcr.io/distroless/static-debian12:nonroot", "\nUSER 65532:65532\n"} {
			if !bytes.Contains(final, []byte(want)) {
				t.Errorf("the Dockerfile's final stage lacks %q:\n%s", want, final)
			}
		}
		ignore, err := os.ReadFile(filepath.Join(mod, ".dockerignore"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"authgen.keys.json", ".env", "*.db"} {
			if !slices.Contains(strings.Split(string(ignore), "\n"), want) {
				t.Errorf(".dockerignore does not leave out %s:\n%s", want, ignore)
			}
		}
		build, out := dockerBuild(t, dockerfile)
		cmd := exec.Command("sh", "-c", build)
		cmd.Dir = mod
		cmd.Env = gentest.Env()
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the Dockerfile's %q: %v\n%s", build, err, b)
		}
		checkStatic(t, filepath.Join(mod, out), "")
	})

	t.Run("build-lambda.sh", func(t *testing.T) {
		if _, err := exec.LookPath("zip"); err != nil {
			if os.Getenv("AUTHGEN_REQUIRE_SERVERS") != "" {
				t.Fatal("scripts/build-lambda.sh needs zip (apt-get install zip)")
			}
			t.Skip("scripts/build-lambda.sh needs zip (apt-get install zip)")
		}
		fi, err := os.Stat(filepath.Join(mod, "scripts", "build-lambda.sh"))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("scripts/build-lambda.sh has mode %v, want executable", fi.Mode())
		}
		cmd := exec.Command("./scripts/build-lambda.sh")
		cmd.Dir = mod
		cmd.Env = gentest.Env()
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("scripts/build-lambda.sh: %v\n%s", err, b)
		}
		zr, err := zip.OpenReader(filepath.Join(mod, "build", "lambda", "bootstrap.zip"))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode().Perm()&0o111 == 0 {
			t.Fatalf("bootstrap.zip holds %v, want the executable bootstrap alone", zr.File)
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(t.TempDir(), "bootstrap")
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		checkStatic(t, bin, "arm64")
	})
}

// dockerBuild returns the command of the Dockerfile's RUN instruction that
// runs go build (continuation lines joined) and the binary it writes, from
// its -o flag.
func dockerBuild(t *testing.T, dockerfile []byte) (cmd, out string) {
	t.Helper()
	joined := strings.ReplaceAll(string(dockerfile), "\\\n", " ")
	for line := range strings.SplitSeq(joined, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "RUN ")
		if !ok || !strings.Contains(rest, "go build") {
			continue
		}
		fields := strings.Fields(rest)
		for i, f := range fields {
			if f == "-o" && i+1 < len(fields) {
				out = fields[i+1]
			}
		}
		if out == "" || filepath.IsAbs(out) {
			t.Fatalf("the Dockerfile's go build writes %q; the test wants a path relative to WORKDIR", out)
		}
		return rest, out
	}
	t.Fatalf("no RUN … go build in the Dockerfile:\n%s", dockerfile)
	return "", ""
}

// checkStatic checks that the ELF file bin has no interpreter and no
// dynamic section (a static binary, which distroless static and Lambda's
// provided.al2023 run without a C library), for machine arch ("" for this
// one).
func checkStatic(t *testing.T, bin, arch string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s has a %v program header: it is dynamically linked", filepath.Base(bin), p.Type)
		}
	}
	if s := f.Section(".dynamic"); s != nil {
		t.Errorf("%s has a .dynamic section", filepath.Base(bin))
	}
	if arch == "arm64" && f.Machine != elf.EM_AARCH64 {
		t.Errorf("%s is for %v, want arm64 (EM_AARCH64)", filepath.Base(bin), f.Machine)
	}
	if f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("%s has OS ABI %v, want Linux", filepath.Base(bin), f.OSABI)
	}
}

// lambdaTest is the generated project's test of cmd/lambda: its handler,
// wrapped as runtime/lambda gives it to the Lambda runtime, answers
// function URL events.
const lambdaTest = `package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/authgen/authgen/runtime/authtest"
	"github.com/authgen/authgen/runtime/keys"
	"github.com/authgen/authgen/runtime/lambda"
)

// domain is the function URL's.
const domain = "abc123.lambda-url.eu-west-1.on.aws"

// client is a browser on function URL events: its cookies go in each
// event's cookies list (and no cookie header), and the response's cookies
// set or delete them.
type client struct {
	t      *testing.T
	invoke func(context.Context, *events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error)
	jar    map[string]string
}

// answer is a response read whole.
type answer struct {
	status  int
	headers map[string]string
	cookies []string
	body    string
}

func (c *client) do(method, target string, headers map[string]string, body string) answer {
	c.t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		c.t.Fatal(err)
	}
	ev := &events.LambdaFunctionURLRequest{RawPath: u.Path, RawQueryString: u.RawQuery, Headers: headers, Body: body}
	ev.RequestContext.DomainName = domain
	ev.RequestContext.HTTP.Method = method
	ev.RequestContext.HTTP.Path = u.Path
	ev.RequestContext.HTTP.SourceIP = "203.0.113.9"
	for name, value := range c.jar {
		ev.Cookies = append(ev.Cookies, name+"="+value)
	}
	resp, err := c.invoke(context.Background(), ev)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, target, err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, sc := range resp.Cookies {
		ck, err := http.ParseSetCookie(sc)
		if err != nil {
			c.t.Fatalf("%s %s set the cookie %q: %v", method, target, sc, err)
		}
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.jar, ck.Name)
		} else {
			c.jar[ck.Name] = ck.Value
		}
	}
	return answer{resp.StatusCode, resp.Headers, resp.Cookies, string(b)}
}

// TestFunctionURL signs in with GitHub (a fake, runtime/authtest) through
// function URL events: the CSRF token from GET /csrf, POST /signin/github,
// the provider's redirect to /callback/github, then GET /session and the
// application's /me read the session from the event's cookies.
func TestFunctionURL(t *testing.T) {
	idp := authtest.NewProvider(t, authtest.Config{
		AuthMethod: authtest.AuthBasic,
		Paths:      authtest.Paths{Authorization: "/login/oauth/authorize", Token: "/login/oauth/access_token", Userinfo: "/user"},
		Token:      ` + "`" + `{"scope":"read:user,user:email"}` + "`" + `,
		Userinfo:   ` + "`" + `{"id":1,"login":"ada","name":"Ada Lovelace","email":"ada@example.com"}` + "`" + `,
		Responses:  map[string]string{"/user/emails": ` + "`" + `[]` + "`" + `},
	})
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	data, err := ks.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"AUTH_KEYS": string(data)}
	maps.Copy(vars, idp.Env("GITHUB"))
	logger := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	if _, err := handler(ctx, func(name string) string { return vars[name] }, logger); err == nil || !strings.Contains(err.Error(), "AUTH_URL") {
		t.Fatalf("handler without AUTH_URL: %v, want an error naming AUTH_URL", err)
	}
	vars["AUTH_URL"] = "https://" + domain
	h, err := handler(ctx, func(name string) string { return vars[name] }, logger)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, invoke: lambda.Wrap(h), jar: map[string]string{}}
	json200 := map[string]string{"accept": "application/json"}

	a := c.do("GET", "/api/auth/session", json200, "")
	if a.status != 200 || strings.TrimSpace(a.body) != "null" {
		t.Fatalf("GET /session signed out: %d %q, want 200 null", a.status, a.body)
	}
	if a = c.do("GET", "/me", json200, ""); a.status != http.StatusUnauthorized {
		t.Fatalf("GET /me signed out: %d %q, want 401", a.status, a.body)
	}

	a = c.do("GET", "/api/auth/csrf", json200, "")
	var csrf struct{ CSRFToken string ` + "`" + `json:"csrfToken"` + "`" + ` }
	if err := json.Unmarshal([]byte(a.body), &csrf); err != nil || csrf.CSRFToken == "" || a.status != 200 {
		t.Fatalf("GET /csrf: %d %q (%v)", a.status, a.body, err)
	}
	if _, ok := c.jar["__Host-authgen.csrf-token"]; !ok {
		t.Fatalf("GET /csrf set %q, want the __Host- CSRF cookie of an https AUTH_URL", a.cookies)
	}
	for _, sc := range a.cookies {
		if !strings.Contains(sc, "Secure") || !strings.Contains(sc, "HttpOnly") {
			t.Errorf("cookie %q is not Secure and HttpOnly", sc)
		}
	}

	form := url.Values{"csrfToken": {csrf.CSRFToken}, "callbackUrl": {"https://" + domain + "/me"}}
	post := map[string]string{"content-type": "application/x-www-form-urlencoded", "origin": "https://" + domain, "sec-fetch-site": "same-origin"}
	a = c.do("POST", "/api/auth/signin/github", post, form.Encode())
	authURL := a.headers["Location"]
	if a.status != http.StatusFound && a.status != http.StatusSeeOther || !strings.HasPrefix(authURL, idp.AuthorizationURL()) {
		t.Fatalf("POST /signin/github: %d to %q, want a redirect to the provider", a.status, authURL)
	}
	if got := idp.LastAuthorization(); got != nil && got.Get("redirect_uri") != "" {
		t.Fatalf("authorized before the browser went there: %v", got)
	}
	authz, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://" + domain + "/api/auth/callback/github"; authz.Query().Get("redirect_uri") != want {
		t.Fatalf("redirect_uri %q, want %q (AUTH_URL's)", authz.Query().Get("redirect_uri"), want)
	}
	cb, err := idp.Authorize(ctx, authURL)
	if err != nil {
		t.Fatal(err)
	}
	a = c.do("GET", cb.RequestURI(), map[string]string{"accept": "text/html"}, "")
	if a.status != http.StatusFound && a.status != http.StatusSeeOther || a.headers["Location"] != "https://"+domain+"/me" {
		t.Fatalf("GET /callback/github: %d to %q, want a redirect to the callbackUrl\n%s", a.status, a.headers["Location"], a.body)
	}
	if _, ok := c.jar["__Host-authgen.session-token"]; !ok {
		t.Fatalf("the callback set %q, want the session cookie", a.cookies)
	}

	a = c.do("GET", "/api/auth/session", json200, "")
	var s struct {
		User struct{ Name, Email string }
	}
	if err := json.Unmarshal([]byte(a.body), &s); err != nil || a.status != 200 || s.User.Name != "Ada Lovelace" || s.User.Email != "ada@example.com" {
		t.Fatalf("GET /session signed in: %d %q (%v), want Ada's session", a.status, a.body, err)
	}
	a = c.do("GET", "/me", json200, "")
	if a.status != 200 || !strings.Contains(a.body, ` + "`" + `"provider":"github"` + "`" + `) {
		t.Fatalf("GET /me signed in: %d %q, want the session as JSON", a.status, a.body)
	}
	if a.headers["X-Content-Type-Options"] != "nosniff" {
		t.Errorf("GET /me answered headers %v, want nosniff (package app's SecureHeaders)", a.headers)
	}
}
`

// TestTargetFiles: TargetFiles names exactly the files each target adds
// to a project without the demo app (what `authgen add target` generates),
// so that the CLI, which reports on them, never names another.
func TestTargetFiles(t *testing.T) {
	m, err := manifest.Read(filepath.Join(goldenDir, "jwt-signed", manifest.File))
	if err != nil {
		t.Fatal(err)
	}
	paths := func(targets []string) []string {
		files, err := generator.Generate(generator.Spec{Module: "example.com/myapp", Manifest: m, Targets: targets})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range files {
			out = append(out, f.Path)
		}
		return out
	}
	without := paths(nil)
	for _, target := range generator.Targets {
		var added []string
		for _, p := range paths([]string{target}) {
			if !slices.Contains(without, p) {
				added = append(added, p)
			}
		}
		want := slices.Sorted(slices.Values(generator.TargetFiles(target)))
		if slices.Sort(added); !slices.Equal(added, want) {
			t.Errorf("%s adds %q; TargetFiles says %q", target, added, want)
		}
	}
	if got := generator.TargetFiles("heroku"); got != nil {
		t.Errorf("an unknown target's files: %q", got)
	}
}
