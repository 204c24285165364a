package manifest_test

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/server"
)

// withRateLimit replaces full's rateLimit section with block (indented
// lines after "rateLimit:"; empty leaves the key out).
func withRateLimit(block string) string {
	i := strings.Index(full, "rateLimit:\n")
	if block == "" {
		return full[:i]
	}
	return full[:i] + "rateLimit:\n" + block
}

// TestRateLimit: the three ways to write a limit decode to the runtime's
// Limit, and are written back the same way.
func TestRateLimit(t *testing.T) {
	m := mustParse(t, full)
	want := map[string]manifest.RateLimit{
		server.LimitEmail:           {Events: 3, Per: time.Hour},
		server.LimitEmailPerClient:  {Events: 30, Per: time.Hour, Burst: 10},
		server.LimitSignInPerClient: manifest.RateLimit(ratelimit.Off),
		server.LimitCredentials:     {Events: 5, Per: 15 * time.Minute},
		server.LimitTwoFactor:       {Events: 5, Per: time.Hour},
		server.LimitEmailCode:       {Events: 20, Per: 24 * time.Hour},
	}
	if !maps.Equal(m.RateLimit, want) {
		t.Errorf("rateLimit decoded as %v, want %v", m.RateLimit, want)
	}
	for _, c := range []struct {
		in   string
		want manifest.RateLimit
	}{
		{"  email: false\n", manifest.RateLimit(ratelimit.Off)},
		{"  email: 100/d\n", manifest.RateLimit{Events: 100, Per: 24 * time.Hour}},
		{"  email:\n    rate: 10/15m\n", manifest.RateLimit{Events: 10, Per: 15 * time.Minute}},
		{"  email: {rate: 5/h, burst: 5}\n", manifest.RateLimit{Events: 5, Per: time.Hour, Burst: 5}},
	} {
		m := mustParse(t, withRateLimit(c.in))
		if got := m.RateLimit[server.LimitEmail]; got != c.want {
			t.Errorf("%q: %+v, want %+v", c.in, got, c.want)
		}
	}
	if m := mustParse(t, withRateLimit("")); m.RateLimit != nil {
		t.Errorf("no rateLimit: %v", m.RateLimit)
	}
	// A manifest built in code is encoded and checked again.
	m.RateLimit[server.LimitEmail] = manifest.RateLimit{Events: 2, Per: 90 * time.Minute, Burst: 4}
	if err := m.Validate(); err != nil {
		t.Errorf("Validate after an edit: %v", err)
	}
	for r, want := range map[manifest.RateLimit]any{
		{Events: 2, Per: 90 * time.Minute, Burst: 4}: map[string]any{"rate": "2/1h30m", "burst": 4},
		{Events: 2, Per: time.Minute, Burst: 2}:      "2/m",
		manifest.RateLimit(ratelimit.Off):            "off",
	} {
		got, err := r.MarshalYAML()
		if err != nil || !equalYAML(got, want) {
			t.Errorf("MarshalYAML(%+v) = %v, %v; want %v", r, got, err, want)
		}
	}
}

func equalYAML(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		return maps.Equal(am, bm)
	}
	return a == b
}

// TestRateLimitProblems: each mistake is reported on its line, with the
// fix.
func TestRateLimitProblems(t *testing.T) {
	line := strings.Count(full[:strings.Index(full, "rateLimit:\n")], "\n") + 2
	for _, c := range []struct{ block, want string }{
		{"  email: 5\n", "rateLimit.email: \"5\" is not a rate: write events/period, such as 5/h, 10/15m or 100/d, or off"},
		{"  email: 5/hour\n", `rateLimit.email: "5/hour": write the period "hour" as h`},
		{"  email: 0/h\n", "rateLimit.email: 0 events: allow from 1 to 1000000 events per period, such as 5/h"},
		{"  email: 5/y\n", `rateLimit.email: "5/y": the period "y" is not s, m, h, d or a duration such as 15m`},
		{"  email: true\n", "rateLimit.email: true is not a rate: give one such as 3/h, off (or false) to turn the limit off, or remove the key for the default (5/h)"},
		{"  email: [5/h]\n", "rateLimit.email: must be a single value, not a list or mapping"},
		{"  emal: 5/h\n", "rateLimit.emal: unknown key (did you mean email?)"},
		{"  email: {burst: 10}\n", "rateLimit.email.rate: is missing: add rate: 5/h (events per period), or write the rate alone, as in email: 5/h"},
		{"  email: {rate: 5/h, brst: 10}\n", "rateLimit.email.brst: unknown key (did you mean burst?)"},
		{"  email: {rate: 5/h, size: 10}\n", "rateLimit.email.size: unknown key; the keys of a rate limit are rate and burst"},
		{"  email: {rate: 5/h, burst: 0}\n", "rateLimit.email.burst: must be a whole number from 1 to 1000000"},
		{"  email: {rate: 5/h, burst: ten}\n", "rateLimit.email.burst: must be a whole number from 1 to 1000000"},
		{"  email: {rate: off, burst: 10}\n", "rateLimit.email.rate: off takes no burst: write email: off"},
		{"  email: {rate: 1/30d, burst: 20}\n", "rateLimit.email: 1/30d burst 20 takes more than a year to refill from empty"},
		{"  email: {rate: 5/h, rate: 6/h}\n", "rateLimit.email.rate: is set twice: keep one"},
	} {
		_, err := manifest.Parse([]byte(withRateLimit(c.block)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %q", c.block, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), "authgen.yaml:"+strconv.Itoa(line)+": ") {
			t.Errorf("%q: %v, want it on line %d", c.block, err, line)
		}
	}
	_, err := manifest.Parse([]byte(withRateLimit("  email: 5/h\n  email: 6/h\n")))
	if err == nil || !strings.Contains(err.Error(), "authgen.yaml:"+strconv.Itoa(line+1)+": rateLimit.email: is set twice (first on line "+strconv.Itoa(line)+")") {
		t.Errorf("a limit set twice: %v", err)
	}
	_, err = manifest.Parse([]byte(withRateLimit("  email: 5/h\n  burst: 3\n")))
	if err == nil || !strings.Contains(err.Error(), "rateLimit.burst: unknown key") {
		t.Errorf("burst beside the limits: %v", err)
	}
	_, err = manifest.Parse([]byte(strings.Replace(full, "rateLimit:\n", "ratelimit:\n", 1)))
	if err == nil || !strings.Contains(err.Error(), "ratelimit: unknown key (did you mean rateLimit?)") {
		t.Errorf("ratelimit: %v", err)
	}
}

// TestRateLimitNamesAreTheRuntime's: the manifest has a key for every
// limit the server applies, with the server's default, and no other.
func TestRateLimitNamesAreTheRuntimes(t *testing.T) {
	defaults := server.DefaultRateLimits()
	if got, want := manifest.RateLimitNames(), slices.Sorted(maps.Keys(defaults)); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Errorf("rateLimit keys %v, the server's limits %v", got, want)
	}
	for name, l := range defaults {
		f, ok := manifest.LookupField("rateLimit." + name)
		if !ok || f.Default != "`"+l.String()+"`" {
			t.Errorf("rateLimit.%s: default %q, the server's %s", name, f.Default, l)
		}
	}
}
