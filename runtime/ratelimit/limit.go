package ratelimit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limit is a token bucket: it holds Burst tokens, an event takes one, and
// one comes back every Per/Events. Events per Per is the long-run rate;
// Burst is how many events may come at once after a quiet spell. The zero
// Limit is Off.
type Limit struct {
	// Events is how many events Per allows in the long run.
	Events int
	// Per is the period of Events: time.Hour for "5/h".
	Per time.Duration
	// Burst is the bucket's size; 0 means Events.
	Burst int
}

// Off is no limit: every event is allowed and nothing is stored.
var Off = Limit{}

// Bounds of a Limit (see Check).
const (
	// MaxEvents bounds Events and Burst.
	MaxEvents = 1_000_000
	// MinPer and MaxPer bound Per.
	MinPer = time.Second
	MaxPer = 30 * 24 * time.Hour
	// MinInterval is the shortest time between two tokens: Per/Events is
	// kept in whole microseconds, the stores' unit.
	MinInterval = time.Millisecond
	// MaxSpan bounds how long a bucket takes to refill from empty,
	// Burst × Per/Events.
	MaxSpan = 365 * 24 * time.Hour
)

// ErrInvalid marks a limit that cannot be used: see Check and Parse.
var ErrInvalid = errors.New("ratelimit: invalid limit")

// IsOff reports whether l is no limit.
func (l Limit) IsOff() bool { return l == Off }

// Interval is the time one token takes to come back, Per/Events, in whole
// microseconds.
func (l Limit) Interval() time.Duration {
	if l.Events <= 0 {
		return 0
	}
	return (l.Per / time.Duration(l.Events)).Truncate(time.Microsecond)
}

// Size is the bucket's size: Burst, or Events when Burst is 0.
func (l Limit) Size() int {
	if l.Burst > 0 {
		return l.Burst
	}
	return l.Events
}

// Check reports whether l can be used: Off, or Events and Burst from 1 to
// MaxEvents, Per from MinPer to MaxPer, a token at most every MinInterval
// and a bucket that refills within MaxSpan. Its errors wrap ErrInvalid and
// say how to write a limit that is.
func (l Limit) Check() error {
	switch {
	case l.IsOff():
		return nil
	case l.Events < 1 || l.Events > MaxEvents:
		return fmt.Errorf("%w: %d events: allow from 1 to %d events per period, such as 5/h", ErrInvalid, l.Events, MaxEvents)
	case l.Per < MinPer || l.Per > MaxPer:
		return fmt.Errorf("%w: a period of %s: give one from 1s to 30d, such as 5/h or 10/15m", ErrInvalid, formatPer(l.Per))
	case l.Burst < 0 || l.Burst > MaxEvents:
		return fmt.Errorf("%w: a burst of %d: give one from 1 to %d, or leave it out for as many as the events", ErrInvalid, l.Burst, MaxEvents)
	case l.Interval() < MinInterval:
		return fmt.Errorf("%w: %s allows more than one event per millisecond: lower the events or lengthen the period", ErrInvalid, l)
	case time.Duration(l.Size()) > MaxSpan/l.Interval():
		return fmt.Errorf("%w: %s takes more than a year to refill from empty: lower the burst or raise the rate", ErrInvalid, l)
	}
	return nil
}

// String writes l as Parse reads it, "5/h" or "10/15m", followed by
// " burst N" when Burst is set apart from Events; "off" for Off.
func (l Limit) String() string {
	if l.IsOff() {
		return "off"
	}
	s := strconv.Itoa(l.Events) + "/" + formatPer(l.Per)
	if l.Burst != 0 && l.Burst != l.Events {
		s += " burst " + strconv.Itoa(l.Burst)
	}
	return s
}

// Rate writes the rate alone, "5/h", as Parse reads it (Burst left out).
func (l Limit) Rate() string {
	if l.IsOff() {
		return "off"
	}
	return strconv.Itoa(l.Events) + "/" + formatPer(l.Per)
}

// units are the period units Parse reads after "/" without a number.
var units = map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}

// words are units written as words, which Parse refuses naming the unit.
var words = map[string]string{
	"sec": "s", "second": "s", "seconds": "s", "min": "m", "minute": "m", "minutes": "m",
	"hr": "h", "hour": "h", "hours": "h", "day": "d", "days": "d",
}

// Parse reads a rate, "N/PERIOD": N events per PERIOD, a unit (s, m, h or
// d for a day) or a Go duration ("15m", "1h30m", "48h"), with a bucket of
// N (Burst 0); "off" is Off. "5/h" allows 5 events at once, then one every
// 12 minutes. Surrounding spaces are ignored, nothing else is: the result
// passes Check, and errors wrap ErrInvalid and show how to write a rate.
func Parse(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return Off, nil
	}
	n, per, ok := strings.Cut(s, "/")
	if !ok || n == "" || per == "" {
		return Off, fmt.Errorf("%w: %q is not a rate: write events/period, such as 5/h, 10/15m or 100/d, or off", ErrInvalid, s)
	}
	events, err := strconv.Atoi(n)
	if err != nil || n[0] == '+' || n[0] == '-' || (len(n) > 1 && n[0] == '0') {
		return Off, fmt.Errorf("%w: %q: the events, %q, must be a whole number from 1 to %d, such as 5/h", ErrInvalid, s, n, MaxEvents)
	}
	d, err := parsePer(per)
	if err != nil {
		return Off, fmt.Errorf("%w: %q: %w", ErrInvalid, s, err)
	}
	l := Limit{Events: events, Per: d}
	if err := l.Check(); err != nil {
		return Off, err
	}
	return l, nil
}

// parsePer reads the period of a rate: a unit or a Go duration.
func parsePer(per string) (time.Duration, error) {
	if d, ok := units[per]; ok {
		return d, nil
	}
	if u, ok := words[strings.ToLower(per)]; ok {
		return 0, fmt.Errorf("write the period %q as %s", per, u)
	}
	if strings.HasSuffix(per, "d") {
		if days, err := strconv.Atoi(strings.TrimSuffix(per, "d")); err == nil && per[0] >= '1' && per[0] <= '9' {
			if days > 3650 {
				return 0, fmt.Errorf("the period %q is longer than 30 days", per)
			}
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	if per[0] < '0' || per[0] > '9' {
		return 0, fmt.Errorf("the period %q is not s, m, h, d or a duration such as 15m", per)
	}
	d, err := time.ParseDuration(per)
	if err != nil {
		return 0, fmt.Errorf("the period %q is not s, m, h, d or a duration such as 15m", per)
	}
	return d, nil
}

// formatPer writes a period as parsePer reads it: the bare unit for one
// of it (h), whole days as 7d, else the duration without zero parts (15m,
// 1h30m).
func formatPer(d time.Duration) string {
	for _, u := range []string{"s", "m", "h", "d"} {
		if units[u] == d {
			return u
		}
	}
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
