package perf

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loadRun is one kind of wrk run: a URL and the Cookie header to send.
type loadRun struct {
	name, url, cookie string
}

// TestSessionLoad puts GET /api/auth/session under wrk without a cookie,
// with a signed JWT session and with a revocable one (package doc). It
// reports figures and asserts none: only that every answer was a 200 with
// the session the cookie carries.
func TestSessionLoad(t *testing.T) {
	if os.Getenv("AUTHGEN_LOAD") != "1" {
		t.Skip("AUTHGEN_LOAD=1 runs the wrk load test (docs/PERFORMANCE.md)")
	}
	wrk := cmp.Or(os.Getenv("AUTHGEN_WRK"), "wrk")
	if _, err := exec.LookPath(wrk); err != nil {
		t.Fatalf("AUTHGEN_LOAD=1 needs wrk (apt-get install wrk, or AUTHGEN_WRK=/path/to/wrk): %v", err)
	}
	duration, err := time.ParseDuration(cmp.Or(os.Getenv("AUTHGEN_LOAD_DURATION"), "10s"))
	if err != nil || duration < time.Second {
		t.Fatalf("AUTHGEN_LOAD_DURATION=%q: give a duration of 1s or more, such as 10s", os.Getenv("AUTHGEN_LOAD_DURATION"))
	}
	rounds, err := strconv.Atoi(cmp.Or(os.Getenv("AUTHGEN_LOAD_ROUNDS"), "5"))
	if err != nil || rounds < 1 {
		t.Fatalf("AUTHGEN_LOAD_ROUNDS=%q: give a number of rounds, such as 5", os.Getenv("AUTHGEN_LOAD_ROUNDS"))
	}
	kinds := strings.Split(cmp.Or(os.Getenv("AUTHGEN_LOAD_RUNS"), "none,jwt,revocation"), ",")

	ctx := t.Context()
	idp := newGitHub(t)
	plain := newApp(t, idp, appConfig{})
	revocable := newApp(t, idp, appConfig{revocation: true, store: "sqlite"})
	all := map[string]loadRun{"none": {name: "none", url: plain.origin + basePath + "/session"}}
	for name, a := range map[string]*app{"jwt": plain, "revocation": revocable} {
		b := newBrowser(t)
		if err := a.signIn(ctx, b, idp, gitHubUser(0)); err != nil {
			t.Fatalf("%s: sign-in: %v", name, err)
		}
		all[name] = loadRun{name: name, url: a.origin + basePath + "/session", cookie: a.cookie(b)}
	}
	var runs []loadRun
	for _, k := range kinds {
		r, ok := all[strings.TrimSpace(k)]
		if !ok {
			t.Fatalf("AUTHGEN_LOAD_RUNS=%q: %q is none of none, jwt, revocation", os.Getenv("AUTHGEN_LOAD_RUNS"), k)
		}
		runs = append(runs, r)
	}
	for _, r := range runs {
		checkAnswer(t, r)
	}

	// rps[kind][round]
	rps := map[string][]float64{}
	for round := range rounds {
		for _, r := range runs {
			load := loadAverage()
			got, err := runWrk(ctx, wrk, r, duration)
			if err != nil {
				t.Fatalf("round %d, %s: %v", round+1, r.name, err)
			}
			rps[r.name] = append(rps[r.name], got)
			t.Logf("round %d  %-10s  %9.0f req/s  (load average before: %s)", round+1, r.name, got, load)
		}
	}
	for _, r := range runs {
		t.Logf("median %-10s  %9.0f req/s", r.name, median(rps[r.name]))
	}
	if base := rps["none"]; base != nil {
		for _, r := range runs[1:] {
			var ratios []float64
			for i, v := range rps[r.name] {
				ratios = append(ratios, v/base[i])
			}
			t.Logf("median ratio %s / none = %.2f (per round: %s)", r.name, median(ratios), formatRatios(ratios))
		}
	}
	t.Logf("load average after: %s", loadAverage())
}

// checkAnswer fails t unless GET /session answers r's session: null
// without a cookie, the signed-in user with one.
func checkAnswer(t *testing.T, r loadRun) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, r.url, nil)
	if r.cookie != "" {
		req.Header.Set("Cookie", r.cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	signedIn := bytes.Contains(body, []byte(`"email":"mona583231@example.com"`))
	if resp.StatusCode != http.StatusOK || signedIn != (r.cookie != "") || len(resp.Header.Values("Set-Cookie")) > 0 {
		t.Fatalf("%s: GET /session: %s %q, Set-Cookie %q", r.name, resp.Status, body, resp.Header.Values("Set-Cookie"))
	}
}

var (
	wrkRate   = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkErrors = regexp.MustCompile(`(?m)^\s*(Non-2xx or 3xx responses|Socket errors):.*$`)
)

// runWrk runs wrk -t1 -c32 on r for d and returns its requests per
// second; an error when any answer was not a 2xx or a socket failed.
func runWrk(ctx context.Context, wrk string, r loadRun, d time.Duration) (float64, error) {
	args := []string{"-t1", "-c32", "-d" + strconv.Itoa(int(d.Seconds())) + "s"}
	if r.cookie != "" {
		args = append(args, "-H", "Cookie: "+r.cookie)
	}
	args = append(args, r.url)
	out, err := exec.CommandContext(ctx, wrk, args...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %w: %s", err, out)
	}
	if m := wrkErrors.Find(out); m != nil {
		return 0, fmt.Errorf("wrk: %s", m)
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk printed no Requests/sec: %s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// loadAverage is the first three fields of /proc/loadavg, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func formatRatios(v []float64) string {
	var s []string
	for _, r := range v {
		s = append(s, strconv.FormatFloat(r, 'f', 2, 64))
	}
	return strings.Join(s, " ")
}
