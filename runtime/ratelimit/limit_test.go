package ratelimit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
)

// TestParse: the rates authgen.yaml takes, and the refusals, each saying
// how to write one.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want ratelimit.Limit
		str  string
	}{
		{"5/h", ratelimit.Limit{Events: 5, Per: time.Hour}, "5/h"},
		{" 30/h ", ratelimit.Limit{Events: 30, Per: time.Hour}, "30/h"},
		{"10/15m", ratelimit.Limit{Events: 10, Per: 15 * time.Minute}, "10/15m"},
		{"1/s", ratelimit.Limit{Events: 1, Per: time.Second}, "1/s"},
		{"60/m", ratelimit.Limit{Events: 60, Per: time.Minute}, "60/m"},
		{"100/d", ratelimit.Limit{Events: 100, Per: 24 * time.Hour}, "100/d"},
		{"100/7d", ratelimit.Limit{Events: 100, Per: 7 * 24 * time.Hour}, "100/7d"},
		{"3/1h30m", ratelimit.Limit{Events: 3, Per: 90 * time.Minute}, "3/1h30m"},
		{"3/48h", ratelimit.Limit{Events: 3, Per: 48 * time.Hour}, "3/2d"},
		{"2/1.5h", ratelimit.Limit{Events: 2, Per: 90 * time.Minute}, "2/1h30m"},
		{"1000/s", ratelimit.Limit{Events: 1000, Per: time.Second}, "1000/s"},
		{"off", ratelimit.Off, "off"},
	} {
		got, err := ratelimit.Parse(c.in)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
			continue
		}
		if got.String() != c.str {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, got.String(), c.str)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"", "is not a rate: write events/period, such as 5/h"},
		{"5", "is not a rate"},
		{"5/", "is not a rate"},
		{"/h", "is not a rate"},
		{"five/h", "must be a whole number"},
		{"-5/h", "must be a whole number"},
		{"+5/h", "must be a whole number"},
		{"05/h", "must be a whole number"},
		{"5 /h", "must be a whole number"},
		{"0/h", "0 events: allow from 1"},
		{"2000000/d", "2000000 events"},
		{"5/hour", `write the period "hour" as h`},
		{"5/Days", `write the period "Days" as d`},
		{"5/y", "is not s, m, h, d or a duration"},
		{"5/-1h", "is not s, m, h, d or a duration"},
		{"5/0d", "is not s, m, h, d or a duration"},
		{"5/500ms", "a period of 500ms: give one from 1s to 30d"},
		{"5/31d", "a period of 31d"},
		{"5/99999d", "longer than 30 days"},
		{"2000/s", "more than one event per millisecond"},
		{"Off", "is not a rate"},
		{"5/h/2", "is not s, m, h, d or a duration"},
	} {
		_, err := ratelimit.Parse(c.in)
		if err == nil || !errors.Is(err, ratelimit.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q): %v, want an ErrInvalid saying %q", c.in, err, c.want)
		}
	}
}

// TestCheck: burst bounds, and a bucket that would take over a year to
// refill.
func TestCheck(t *testing.T) {
	for _, c := range []struct {
		l    ratelimit.Limit
		want string
	}{
		{ratelimit.Limit{Events: 5, Per: time.Hour, Burst: 10}, ""},
		{ratelimit.Off, ""},
		{ratelimit.Limit{Events: 5, Per: time.Hour, Burst: -1}, "a burst of -1"},
		{ratelimit.Limit{Events: 5, Per: time.Hour, Burst: 2_000_000}, "a burst of 2000000"},
		{ratelimit.Limit{Events: 1, Per: 30 * 24 * time.Hour, Burst: 13}, "more than a year to refill"},
		{ratelimit.Limit{Per: time.Hour}, "0 events"},
	} {
		err := c.l.Check()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v.Check() = %v, want %q", c.l, err, c.want)
		}
	}
	if got := (ratelimit.Limit{Events: 5, Per: time.Hour, Burst: 10}).String(); got != "5/h burst 10" {
		t.Errorf("String = %q", got)
	}
	if got := (ratelimit.Limit{Events: 5, Per: time.Hour, Burst: 10}).Rate(); got != "5/h" {
		t.Errorf("Rate = %q", got)
	}
	if got := (ratelimit.Limit{Events: 3, Per: 10 * time.Second}).Interval(); got != 3333333*time.Microsecond {
		t.Errorf("Interval = %v", got)
	}
}
