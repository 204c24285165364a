package ratelimit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/authgen/authgen/runtime/ratelimit"
	"github.com/authgen/authgen/runtime/ratelimit/limittest"
)

// TestMemory runs the conformance suite on the memory store.
func TestMemory(t *testing.T) {
	limittest.Run(t, func(*testing.T) ratelimit.Store { return ratelimit.NewMemory(0) })
}

// TestMemoryForgetsFullBuckets: a bucket is forgotten once it is full
// again, so idle keys cost no memory.
func TestMemoryForgetsFullBuckets(t *testing.T) {
	m := ratelimit.NewMemory(0)
	ctx, now := context.Background(), time.Unix(1_700_000_000, 0)
	l := ratelimit.Limit{Events: 5, Per: time.Hour}
	for i := range 1000 {
		if _, err := m.Take(ctx, now, []ratelimit.Bucket{{Key: fmt.Sprint("email:", i), Limit: l}}); err != nil {
			t.Fatal(err)
		}
	}
	if m.Len() != 1000 {
		t.Fatalf("%d buckets, want 1000", m.Len())
	}
	// One event took 12 minutes of a bucket: it is full 12 minutes later.
	later := now.Add(12 * time.Minute)
	if _, err := m.Take(ctx, later, []ratelimit.Bucket{{Key: "email:new", Limit: l}}); err != nil {
		t.Fatal(err)
	}
	if m.Len() != 1 {
		t.Errorf("%d buckets after the others filled up, want 1", m.Len())
	}
}

// TestMemoryBounded: past MaxKeys, a new bucket evicts the one nearest to
// full; the most spent buckets are kept.
func TestMemoryBounded(t *testing.T) {
	m := ratelimit.NewMemory(3)
	ctx, now := context.Background(), time.Unix(1_700_000_000, 0)
	l := ratelimit.Limit{Events: 1, Per: time.Hour}
	take := func(key string, at time.Time) ratelimit.Decision {
		t.Helper()
		d, err := m.Take(ctx, at, []ratelimit.Bucket{{Key: key, Limit: l}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	take("a", now)                    // full at now+1h
	take("b", now.Add(time.Minute))   // full at now+1h1m
	take("c", now.Add(2*time.Minute)) // full at now+1h2m
	take("d", now.Add(3*time.Minute)) // evicts a, the nearest to full
	if m.Len() != 3 {
		t.Fatalf("%d buckets, want 3", m.Len())
	}
	at := now.Add(4 * time.Minute)
	for key, allowed := range map[string]bool{"b": false, "c": false, "d": false} {
		if d := take(key, at); d.Allowed != allowed {
			t.Errorf("%s: allowed %v, want %v", key, d.Allowed, allowed)
		}
	}
	if d := take("a", at); !d.Allowed {
		t.Error("a was evicted, so it starts full again")
	}
}

// BenchmarkMemoryTake: one event against a per-client and a per-address
// bucket, over many keys.
func BenchmarkMemoryTake(b *testing.B) {
	m := ratelimit.NewMemory(0)
	ctx, now := context.Background(), time.Now()
	l := ratelimit.Limit{Events: 5, Per: time.Hour}
	keys := make([]string, 50_000)
	for i := range keys {
		keys[i] = ratelimit.BucketKey("email", fmt.Sprint("user", i, "@example.com"))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = m.Take(ctx, now, []ratelimit.Bucket{{Key: keys[i%len(keys)], Limit: l}})
		i++
	}
}
