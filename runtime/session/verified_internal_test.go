package session

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestVerifiedBounded: the remembered tokens never exceed maxVerified, and
// an entry is not used once verifiedTTL has passed.
func TestVerifiedBounded(t *testing.T) {
	var v verified
	now := time.Unix(1_800_000_000, 0)
	cl := &Claims{Subject: "u"}
	for i := range maxVerified + 100 {
		v.put("h.p.tag"+strconv.Itoa(i), cl, time.Time{}, now)
		if n := len(v.entries); n > maxVerified {
			t.Fatalf("%d entries after %d puts", n, i+1)
		}
	}
	v.put("h.p.last", cl, time.Time{}, now)
	if _, ok := v.get("h.p.last", now.Add(verifiedTTL-time.Nanosecond)); !ok {
		t.Error("an entry is not found within verifiedTTL")
	}
	if _, ok := v.get("h.p.last", now.Add(verifiedTTL)); ok {
		t.Error("an entry is found after verifiedTTL")
	}
	if _, ok := v.get("h.p.other", now); ok {
		t.Error("an unknown token is found")
	}
	if _, ok := v.get("notoken", now); ok {
		t.Error("a token without segments is found")
	}
	// A token without a '.' is never remembered, nor one over
	// maxVerifiedToken bytes.
	v.put("notoken", cl, time.Time{}, now)
	if _, ok := v.entries[""]; ok {
		t.Error("a token without segments was remembered")
	}
	long := "h." + strings.Repeat("p", maxVerifiedToken) + ".longtag"
	v.put(long, cl, time.Time{}, now)
	if _, ok := v.get(long, now); ok {
		t.Error("a token over maxVerifiedToken bytes was remembered")
	}
}
