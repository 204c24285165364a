package ratelimit

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// DefaultMaxKeys is how many buckets a memory store keeps at most unless
// told otherwise: about 12 MB.
const DefaultMaxKeys = 100_000

// Memory is a Store in this process's memory, for one instance of an
// application (several instances each count on their own: give them a
// shared store). Its memory is bounded: a bucket is forgotten once it is
// full again, which changes nothing (a full bucket and no bucket are the
// same), and when MaxKeys buckets are in use a new one first evicts the
// bucket nearest to full, which forgives that key the fewest events. It
// is safe for concurrent use.
type Memory struct {
	mu      sync.Mutex
	max     int
	buckets map[string]*entry
	// byTAT orders the buckets by the time they are full again, soonest
	// first.
	byTAT tatHeap
}

var _ Store = (*Memory)(nil)

// entry is one bucket: its key, its theoretical arrival time in Unix
// microseconds, and its position in the heap.
type entry struct {
	key   string
	tat   int64
	index int
}

// NewMemory returns an empty memory store keeping at most maxKeys buckets;
// 0 means DefaultMaxKeys.
func NewMemory(maxKeys int) *Memory {
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	return &Memory{max: maxKeys, buckets: map[string]*entry{}}
}

// Len returns how many buckets the store keeps.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.buckets)
}

// Take implements Store.
func (m *Memory) Take(_ context.Context, now time.Time, buckets []Bucket) (Decision, error) {
	t := now.UnixMicro()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.evictFull(t)
	next := make([]int64, len(buckets))
	d := Decision{Allowed: true, Remaining: -1, Refused: -1}
	for i, b := range buckets {
		var tat int64
		if e := m.buckets[b.Key]; e != nil {
			tat = e.tat
		}
		ok, n, remaining, wait := take(tat, t, int64(b.Limit.Interval()/time.Microsecond), int64(b.Limit.Size()))
		next[i] = n
		switch {
		case !ok && (d.Allowed || time.Duration(wait)*time.Microsecond > d.RetryAfter):
			d = Decision{RetryAfter: time.Duration(wait) * time.Microsecond, Refused: i}
		case ok && d.Allowed && (d.Remaining < 0 || int(remaining) < d.Remaining):
			d.Remaining = int(remaining)
		}
	}
	if !d.Allowed {
		return d, nil
	}
	for i, b := range buckets {
		m.set(b.Key, next[i])
	}
	return d, nil
}

// Reset implements Store.
func (m *Memory) Reset(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		if e := m.buckets[k]; e != nil {
			heap.Remove(&m.byTAT, e.index)
			delete(m.buckets, k)
		}
	}
	return nil
}

// evictFull forgets the buckets that are full at t.
func (m *Memory) evictFull(t int64) {
	for len(m.byTAT) > 0 && m.byTAT[0].tat <= t {
		e := heap.Pop(&m.byTAT).(*entry)
		delete(m.buckets, e.key)
	}
}

// set stores a bucket's tat, making room for a new bucket by evicting the
// one nearest to full.
func (m *Memory) set(key string, tat int64) {
	if e := m.buckets[key]; e != nil {
		e.tat = tat
		heap.Fix(&m.byTAT, e.index)
		return
	}
	if len(m.buckets) >= m.max {
		e := heap.Pop(&m.byTAT).(*entry)
		delete(m.buckets, e.key)
	}
	e := &entry{key: key, tat: tat}
	heap.Push(&m.byTAT, e)
	m.buckets[key] = e
}

// tatHeap is a min-heap of buckets by tat (container/heap).
type tatHeap []*entry

func (h tatHeap) Len() int           { return len(h) }
func (h tatHeap) Less(i, j int) bool { return h[i].tat < h[j].tat }
func (h tatHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *tatHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *tatHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
