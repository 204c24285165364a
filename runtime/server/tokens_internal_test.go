package server

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestRefreshLocksPruned: the per-account refresh locks serialize the
// calls of each account, and none is left once every call has finished:
// the map does not grow with every account that ever refreshed.
func TestRefreshLocksPruned(t *testing.T) {
	var rs refreshes
	const accounts, callsEach = 8, 25
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		inside = map[string]int{}
		twice  []string
	)
	for i := range accounts * callsEach {
		key := fmt.Sprintf("github:%d", i%accounts)
		wg.Go(func() {
			unlock := rs.lock(key)
			defer unlock()
			mu.Lock()
			if inside[key]++; inside[key] > 1 {
				twice = append(twice, key)
			}
			mu.Unlock()
			runtime.Gosched()
			mu.Lock()
			inside[key]--
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(twice) > 0 {
		t.Errorf("two calls held the lock of an account at once: %v", twice)
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.locks) != 0 {
		t.Errorf("%d locks left after every refresh finished, want none", len(rs.locks))
	}
}

// TestRefreshRotationsPruned: a remembered rotation whose token has
// expired (it is used only while valid), or one to a token without an
// expiry made more than rotationMemory ago, is dropped once the rotations
// have doubled; those still valid, or recent without an expiry, stay.
func TestRefreshRotationsPruned(t *testing.T) {
	var rs refreshes
	now := time.Now()
	rs.remember("github:valid", "r0", &oauth2.Token{AccessToken: "a", Expiry: now.Add(time.Hour)}, now)
	rs.remember("github:forever", "r0", &oauth2.Token{AccessToken: "a"}, now)
	rs.remember("github:old", "r0", &oauth2.Token{AccessToken: "a"}, now.Add(-rotationMemory-time.Second))
	for i := range 200 {
		rs.remember(fmt.Sprintf("github:%d", i), "r0", &oauth2.Token{AccessToken: "a", Expiry: now.Add(time.Minute)}, now)
	}
	later := now.Add(2 * time.Minute)
	for i := range 200 {
		rs.remember(fmt.Sprintf("gitlab:%d", i), "r0", &oauth2.Token{AccessToken: "a", Expiry: later.Add(time.Minute)}, later)
	}
	for _, key := range []string{"github:valid", "github:forever", "gitlab:199"} {
		if _, ok := rs.last(key); !ok {
			t.Errorf("the rotation of %s, still valid, was dropped", key)
		}
	}
	if _, ok := rs.last("github:0"); ok {
		t.Error("an expired rotation was kept")
	}
	if _, ok := rs.last("github:old"); ok {
		t.Error("a rotation without an expiry, older than rotationMemory, was kept")
	}
	if n := len(rs.recent); n > 2+200+1 {
		t.Errorf("%d rotations kept, want at most the 203 not expired", n)
	}
}
