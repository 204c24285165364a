package perf

import (
	"cmp"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/gentest"
	"github.com/authgen/authgen/internal/integration/testsvc"
	"github.com/authgen/authgen/runtime/keys"
)

// coldStartManifest is the project measured: GitHub, no database, signed
// JWT sessions, the demo main.go — what the Express application it is
// compared with has (no database, a JWT session).
const coldStartManifest = `version: 1
package: auth
basePath: /api/auth
cookiePrefix: authgen
database: none
session:
  strategy: jwt
  token: signed
providers:
  - id: github
`

// TestColdStart measures, for a generated application (built beforehand)
// and for the Express + @auth/express application of
// internal/integration/authjs/node/express.mjs, the time from starting the
// process to the first answered GET of the session endpoint
// (/api/auth/session; Express's /auth/session), alternating the two round
// after round, and logs each one's median and minimum and the ratio of
// the medians (docs/PERFORMANCE.md, "Cold start"). It asserts nothing
// about the times. It runs only when AUTHGEN_COLDSTART=1:
//
//	AUTHGEN_COLDSTART=1 go test -run TestColdStart -v ./perf/
//
// AUTHGEN_COLDSTART_ROUNDS (default 15) is the number of rounds.
func TestColdStart(t *testing.T) {
	if os.Getenv("AUTHGEN_COLDSTART") != "1" {
		t.Skip("AUTHGEN_COLDSTART=1 measures the cold starts (docs/PERFORMANCE.md)")
	}
	rounds, err := strconv.Atoi(cmp.Or(os.Getenv("AUTHGEN_COLDSTART_ROUNDS"), "15"))
	if err != nil || rounds < 1 {
		t.Fatalf("AUTHGEN_COLDSTART_ROUNDS=%q: give a number of rounds, such as 15", os.Getenv("AUTHGEN_COLDSTART_ROUNDS"))
	}
	node := testsvc.LookPath(t, "node", "nodejs")
	nodeDir, err := filepath.Abs(filepath.Join("..", "authjs", "node"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "@auth", "express")); err != nil {
		t.Fatalf("the Auth.js packages are not installed: run `npm ci --no-audit --no-fund` in %s", nodeDir)
	}

	// The generated application, built as `go build` builds it.
	m, err := manifest.Parse([]byte(coldStartManifest))
	if err != nil {
		t.Fatal(err)
	}
	spec := generator.Spec{Module: "example.com/coldstart", Manifest: m, App: true}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gentest.WriteModule(t, mod, spec, files)
	bin := filepath.Join(t.TempDir(), "app")
	gentest.Go(t, mod, nil, "build", "-trimpath", "-o", bin, ".")
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := ks.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}

	goApp := func(port int) *exec.Cmd {
		cmd := exec.Command(bin)
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "AUTH_URL=http://127.0.0.1:"+strconv.Itoa(port),
			"AUTH_KEYS="+string(jwks), "AUTH_GITHUB_ID=client", "AUTH_GITHUB_SECRET=secret")
		return cmd
	}
	expressApp := func(port int) *exec.Cmd {
		cmd := exec.Command(node, filepath.Join(nodeDir, "express.mjs"))
		cmd.Dir = nodeDir
		cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "AUTH_SECRET=a-secret-of-the-cold-start-measurement-0123456789")
		return cmd
	}
	var goTimes, expressTimes []time.Duration
	for round := range rounds {
		g := coldStart(t, goApp, "/api/auth/session")
		e := coldStart(t, expressApp, "/auth/session")
		goTimes, expressTimes = append(goTimes, g), append(expressTimes, e)
		t.Logf("round %d: generated app %v, Express + @auth/express %v", round+1, g.Round(10*time.Microsecond), e.Round(10*time.Microsecond))
	}
	gm, em := medianDuration(goTimes), medianDuration(expressTimes)
	t.Logf("generated app (net/http, authgen):  median %v, min %v", gm.Round(10*time.Microsecond), slices.Min(goTimes).Round(10*time.Microsecond))
	t.Logf("Express + @auth/express (Node %s): median %v, min %v", nodeVersion(node), em.Round(10*time.Microsecond), slices.Min(expressTimes).Round(10*time.Microsecond))
	t.Logf("Express's median cold start is %.1f× the generated app's", float64(em)/float64(gm))
}

// coldStart starts the server start makes on a free port and returns the
// time from starting the process to the first 200 answer to GET path,
// polled every 200µs; then it stops the server.
func coldStart(t *testing.T, start func(port int) *exec.Cmd, path string) time.Duration {
	t.Helper()
	port := testsvc.FreePort(t)
	url := "http://127.0.0.1:" + strconv.Itoa(port) + path
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	cmd := start(port)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(begin)
			}
			t.Fatalf("GET %s: %s", url, resp.Status)
		}
		if ctx.Err() != nil {
			t.Fatalf("%s answered no GET %s within 30s: %v", filepath.Base(cmd.Path), path, err)
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// medianDuration is the middle of ds (the upper one of an even number).
func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	return s[len(s)/2]
}

// nodeVersion is node --version's answer.
func nodeVersion(node string) string {
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}
