// Package limittest is the conformance suite of ratelimit.Store: every
// store runs it (the memory store in package ratelimit, the Redis store
// against a real Redis), so that they decide alike to the microsecond.
package limittest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
)

// Run runs the suite. newStore returns an empty store for one subtest.
//
// The suite's clock starts an hour ahead of the real one, so that a store
// whose keys expire in real time (Redis's PXAT) keeps every bucket the
// suite still uses.
func Run(t *testing.T, newStore func(t *testing.T) ratelimit.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ratelimit.Store, base time.Time)
	}{
		{"BurstThenRefused", testBurstThenRefused},
		{"Refill", testRefill},
		{"Burst", testBurst},
		{"Microseconds", testMicroseconds},
		{"AllOrNothing", testAllOrNothing},
		{"LongestWait", testLongestWait},
		{"KeysApart", testKeysApart},
		{"Reset", testReset},
		{"Concurrent", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := time.Now().Add(time.Hour).Truncate(time.Millisecond)
			tc.run(t, newStore(t), base)
		})
	}
}

// take takes from the buckets at now, failing the test on an error.
func take(t *testing.T, s ratelimit.Store, now time.Time, buckets ...ratelimit.Bucket) ratelimit.Decision {
	t.Helper()
	d, err := s.Take(context.Background(), now, buckets)
	if err != nil {
		t.Fatalf("Take: %v", err)
	}
	return d
}

// want checks a decision.
func want(t *testing.T, what string, got ratelimit.Decision, allowed bool, remaining int, retryAfter time.Duration, refused int) {
	t.Helper()
	w := ratelimit.Decision{Allowed: allowed, Remaining: remaining, RetryAfter: retryAfter, Refused: refused}
	if got != w {
		t.Errorf("%s: %+v, want %+v", what, got, w)
	}
}

func bucket(key string, l ratelimit.Limit) ratelimit.Bucket {
	return ratelimit.Bucket{Key: key, Limit: l}
}

var (
	fivePerHour = ratelimit.Limit{Events: 5, Per: time.Hour}
	twoPerMin   = ratelimit.Limit{Events: 2, Per: time.Minute}
)

// testBurstThenRefused: a new bucket allows its size at once, counting
// down, then refuses for one interval (12 minutes for 5/h).
func testBurstThenRefused(t *testing.T, s ratelimit.Store, base time.Time) {
	b := bucket("email:a", fivePerHour)
	for i := range 5 {
		want(t, fmt.Sprintf("event %d", i+1), take(t, s, base, b), true, 4-i, 0, -1)
	}
	want(t, "event 6", take(t, s, base, b), false, 0, 12*time.Minute, 0)
	want(t, "event 7, a minute later", take(t, s, base.Add(time.Minute), b), false, 0, 11*time.Minute, 0)
}

// testRefill: a token comes back every interval, and the bucket is full
// again after size intervals.
func testRefill(t *testing.T, s ratelimit.Store, base time.Time) {
	b := bucket("email:refill", fivePerHour)
	for range 5 {
		take(t, s, base, b)
	}
	at := base.Add(12*time.Minute - time.Microsecond)
	want(t, "a microsecond early", take(t, s, at, b), false, 0, time.Microsecond, 0)
	at = base.Add(12 * time.Minute)
	want(t, "after 12 minutes", take(t, s, at, b), true, 0, 0, -1)
	want(t, "again at once", take(t, s, at, b), false, 0, 12*time.Minute, 0)
	at = base.Add(2 * time.Hour)
	want(t, "after two hours, full", take(t, s, at, b), true, 4, 0, -1)
}

// testBurst: a burst larger than the rate allows it at once, then the rate.
func testBurst(t *testing.T, s ratelimit.Store, base time.Time) {
	b := bucket("burst:a", ratelimit.Limit{Events: 2, Per: time.Minute, Burst: 4})
	for i := range 4 {
		want(t, fmt.Sprintf("event %d", i+1), take(t, s, base, b), true, 3-i, 0, -1)
	}
	want(t, "event 5", take(t, s, base, b), false, 0, 30*time.Second, 0)
	want(t, "30 s later", take(t, s, base.Add(30*time.Second), b), true, 0, 0, -1)
}

// testMicroseconds: an interval that is not a whole number of
// milliseconds (3 per 10 s: 3.333333 s) is kept to the microsecond.
func testMicroseconds(t *testing.T, s ratelimit.Store, base time.Time) {
	b := bucket("micro:a", ratelimit.Limit{Events: 3, Per: 10 * time.Second, Burst: 1})
	want(t, "first", take(t, s, base, b), true, 0, 0, -1)
	want(t, "second", take(t, s, base.Add(time.Second), b), false, 0, 2333333*time.Microsecond, 0)
	want(t, "on time", take(t, s, base.Add(3333333*time.Microsecond), b), true, 0, 0, -1)
}

// testAllOrNothing: an event refused by one bucket takes nothing from the
// others.
func testAllOrNothing(t *testing.T, s ratelimit.Store, base time.Time) {
	client := bucket("perClient:c", twoPerMin)
	addr := bucket("email:x", ratelimit.Limit{Events: 1, Per: time.Hour})
	want(t, "first", take(t, s, base, client, addr), true, 0, 0, -1)
	want(t, "the address is spent", take(t, s, base, client, addr), false, 0, time.Hour, 1)
	want(t, "the client still has its second", take(t, s, base, client), true, 0, 0, -1)
	want(t, "now the client is spent", take(t, s, base, client, bucket("email:y", fivePerHour)), false, 0, 30*time.Second, 0)
	want(t, "and y was not counted", take(t, s, base, bucket("email:y", fivePerHour)), true, 4, 0, -1)
}

// testLongestWait: of several refusing buckets, the one with the longest
// wait is named.
func testLongestWait(t *testing.T, s ratelimit.Store, base time.Time) {
	short := bucket("short:a", ratelimit.Limit{Events: 1, Per: time.Minute})
	long := bucket("long:a", ratelimit.Limit{Events: 1, Per: time.Hour})
	take(t, s, base, short, long)
	want(t, "both refuse", take(t, s, base, short, long), false, 0, time.Hour, 1)
	want(t, "reversed", take(t, s, base, long, short), false, 0, time.Hour, 0)
	want(t, "the fewest remaining", take(t, s, base, bucket("x:a", fivePerHour), bucket("y:a", twoPerMin)), true, 1, 0, -1)
}

// testKeysApart: buckets of other keys are counted apart.
func testKeysApart(t *testing.T, s ratelimit.Store, base time.Time) {
	l := ratelimit.Limit{Events: 1, Per: time.Hour}
	take(t, s, base, bucket("email:a", l))
	want(t, "a", take(t, s, base, bucket("email:a", l)), false, 0, time.Hour, 0)
	want(t, "b", take(t, s, base, bucket("email:b", l)), true, 0, 0, -1)
	want(t, "another limit", take(t, s, base, bucket("other:a", l)), true, 0, 0, -1)
}

// testReset: a reset bucket is full.
func testReset(t *testing.T, s ratelimit.Store, base time.Time) {
	b := bucket("credentials:a", twoPerMin)
	take(t, s, base, b)
	take(t, s, base, b)
	want(t, "spent", take(t, s, base, b), false, 0, 30*time.Second, 0)
	if err := s.Reset(context.Background(), b.Key, "credentials:never-used"); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	want(t, "after the reset", take(t, s, base, b), true, 1, 0, -1)
}

// testConcurrent: concurrent events never share a token.
func testConcurrent(t *testing.T, s ratelimit.Store, base time.Time) {
	b := bucket("concurrent:a", ratelimit.Limit{Events: 10, Per: time.Hour})
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			d, err := s.Take(context.Background(), base, []ratelimit.Bucket{b})
			if err != nil {
				t.Errorf("Take: %v", err)
				return
			}
			if d.Allowed {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != 10 {
		t.Errorf("40 concurrent events on a bucket of 10: %d allowed", allowed)
	}
}
