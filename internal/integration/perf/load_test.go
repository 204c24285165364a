//go:build unix

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
	"syscall"
	"testing"
	"time"
)

// loadRun is one kind of wrk run: a URL and the Cookie header to send.
type loadRun struct {
	name, url, cookie string
}

// result is what one wrk run measured: requests per second, and the CPU
// time this process (the servers; wrk is another process) spent per
// request.
type result struct {
	rps    float64
	cpuReq time.Duration
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
	duration, err := time.ParseDuration(cmp.Or(os.Getenv("AUTHGEN_LOAD_DURATION"), "3s"))
	if err != nil || duration < time.Second {
		t.Fatalf("AUTHGEN_LOAD_DURATION=%q: give a duration of 1s or more, such as 10s", os.Getenv("AUTHGEN_LOAD_DURATION"))
	}
	rounds, err := strconv.Atoi(cmp.Or(os.Getenv("AUTHGEN_LOAD_ROUNDS"), "11"))
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

	// rps[kind][round], cpu[kind][round] in µs per request
	rps, cpu := map[string][]float64{}, map[string][]float64{}
	for round := range rounds {
		for _, r := range runs {
			load := loadAverage()
			got, err := runWrk(ctx, wrk, r, duration)
			if err != nil {
				t.Fatalf("round %d, %s: %v", round+1, r.name, err)
			}
			rps[r.name] = append(rps[r.name], got.rps)
			cpu[r.name] = append(cpu[r.name], float64(got.cpuReq.Nanoseconds())/1e3)
			t.Logf("round %2d  %-10s  %7.0f req/s  %5.1f µs CPU/req  (load average before: %s)", round+1, r.name, got.rps, float64(got.cpuReq.Nanoseconds())/1e3, load)
		}
	}
	for _, r := range runs {
		t.Logf("median %-10s  %7.0f req/s  %5.1f µs CPU/req", r.name, median(rps[r.name]), median(cpu[r.name]))
	}
	if base := rps["none"]; base != nil {
		for _, r := range runs[1:] {
			var ratios, cpuRatios []float64
			for i, v := range rps[r.name] {
				ratios = append(ratios, v/base[i])
				cpuRatios = append(cpuRatios, cpu["none"][i]/cpu[r.name][i])
			}
			t.Logf("median ratio %s / none: %.2f in req/s (per round: %s), %.2f in CPU per request (per round: %s)",
				r.name, median(ratios), formatRatios(ratios), median(cpuRatios), formatRatios(cpuRatios))
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
	t.Logf("%-10s  Cookie header %d bytes, answer %d bytes", r.name, len(r.cookie), len(body))
}

var (
	wrkRate   = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkTotal  = regexp.MustCompile(`(?m)^\s*([0-9]+) requests in `)
	wrkErrors = regexp.MustCompile(`(?m)^\s*(Non-2xx or 3xx responses|Socket errors):.*$`)
)

// runWrk runs wrk -t1 -c32 on r for d and returns what it measured; an
// error when any answer was not a 2xx or a socket failed.
func runWrk(ctx context.Context, wrk string, r loadRun, d time.Duration) (result, error) {
	args := []string{"-t1", "-c32", "-d" + strconv.Itoa(int(d.Seconds())) + "s"}
	if r.cookie != "" {
		args = append(args, "-H", "Cookie: "+r.cookie)
	}
	args = append(args, r.url)
	before := cpuTime()
	out, err := exec.CommandContext(ctx, wrk, args...).CombinedOutput()
	spent := cpuTime() - before
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	if m := wrkErrors.Find(out); m != nil {
		return result{}, fmt.Errorf("wrk: %s", m)
	}
	rate, total := wrkRate.FindSubmatch(out), wrkTotal.FindSubmatch(out)
	if rate == nil || total == nil {
		return result{}, fmt.Errorf("wrk printed no Requests/sec or no total: %s", out)
	}
	rps, err := strconv.ParseFloat(string(rate[1]), 64)
	if err != nil {
		return result{}, fmt.Errorf("wrk: Requests/sec: %w", err)
	}
	n, err := strconv.ParseInt(string(total[1]), 10, 64)
	if err != nil || n == 0 {
		return result{}, fmt.Errorf("wrk: %q requests", total[1])
	}
	return result{rps: rps, cpuReq: spent / time.Duration(n)}, nil
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
