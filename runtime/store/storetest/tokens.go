package storetest

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

func tokensGroups() []group {
	return []group{
		{"CreateVerificationToken", []tcase{
			{"hash in use is ErrConflict", createTokenConflict},
			{"Expires in another zone round-trips", createTokenZone},
		}},
		{"UseVerificationToken", []tcase{
			{"returns the token once", useToken},
			{"unknown token is ErrNotFound", useTokenUnknown},
			{"another identifier is ErrNotFound and does not consume it", useTokenWrongIdentifier},
			{"expired token is returned", useTokenExpired},
			{"tokens of one identifier are independent", useTokenIndependent},
			{"concurrent use: exactly one wins", useTokenConcurrent},
			{"returns the attempts counted", useTokenAttempts},
		}},
		{"CountVerificationAttempt", []tcase{
			{"counts one per call and keeps the token", countAttempt},
			{"a token created with attempts counts on from them", countAttemptFromCreated},
			{"unknown token is ErrNotFound", countAttemptUnknown},
			{"another identifier is ErrNotFound and counts nothing", countAttemptWrongIdentifier},
			{"used token is ErrNotFound", countAttemptUsed},
			{"tokens are counted apart", countAttemptIndependent},
			{"concurrent calls: every one counts", countAttemptConcurrent},
		}},
	}
}

// vt returns a verification token of identifier, hashed from name.
func vt(identifier, name string, expires time.Time) store.VerificationToken {
	return store.VerificationToken{
		Identifier: identifier,
		TokenHash:  store.HashToken("verification-token-" + name),
		Expires:    expires,
	}
}

// tokenIs checks that UseVerificationToken returns want, consuming it.
func (h *h) tokenIs(method, what string, want store.VerificationToken) {
	h.t.Helper()
	got, err := h.useToken(want.Identifier, want.TokenHash)
	if err != nil {
		h.t.Errorf("%s: %s: UseVerificationToken: got err %v, want the token", method, what, err)
		return
	}
	h.checkToken(method, what, got, want)
}

func (h *h) checkToken(method, what string, got *store.VerificationToken, want store.VerificationToken) {
	h.t.Helper()
	if got.Identifier != want.Identifier {
		h.t.Errorf("%s: %s: Identifier: got %q, want %q", method, what, got.Identifier, want.Identifier)
	}
	if got.TokenHash != want.TokenHash {
		h.t.Errorf("%s: %s: TokenHash: got %q, want %q", method, what, got.TokenHash, want.TokenHash)
	}
	if !sameTime(got.Expires, want.Expires) {
		h.t.Errorf("%s: %s: Expires: got %s, want %s (compared to the millisecond)", method, what, showTime(got.Expires), showTime(want.Expires))
	}
	if got.Attempts != want.Attempts {
		h.t.Errorf("%s: %s: Attempts: got %d, want %d", method, what, got.Attempts, want.Attempts)
	}
}

// counted checks that CountVerificationAttempt returns want with
// want.Attempts.
func (h *h) counted(what string, want store.VerificationToken) {
	h.t.Helper()
	got, err := h.countAttempt(want.Identifier, want.TokenHash)
	if err != nil {
		h.t.Errorf("CountVerificationAttempt: %s: got err %v, want the token with %d attempts", what, err, want.Attempts)
		return
	}
	h.checkToken("CountVerificationAttempt", what, got, want)
}

func createTokenConflict(h *h) {
	orig := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("first token", orig)
	dup := orig
	dup.Expires = at(48 * time.Hour)
	err := h.createToken(dup)
	h.wantErr("CreateVerificationToken", "hash in use, same identifier", err, store.ErrConflict)
	dup.Identifier = "bob@example.com"
	err = h.createToken(dup)
	h.wantErr("CreateVerificationToken", "hash in use by another identifier's token", err, store.ErrConflict)
	h.tokenIs("CreateVerificationToken", "first token, after conflicting ones", orig)
}

func createTokenZone(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour).In(elsewhere))
	h.must("CreateVerificationToken", "Expires given in UTC+05:30", h.createToken(t))
	h.tokenIs("CreateVerificationToken", "Expires given in UTC+05:30", t)
}

func useToken(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.must("CreateVerificationToken", "new token", h.createToken(t))
	got, err := h.useToken(t.Identifier, t.TokenHash)
	h.must("UseVerificationToken", "first use", err)
	h.checkToken("UseVerificationToken", "first use", got, t)
	_, err = h.useToken(t.Identifier, t.TokenHash)
	h.wantErr("UseVerificationToken", "second use", err, store.ErrNotFound)
}

func useTokenUnknown(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("another token", t)
	_, err := h.useToken(t.Identifier, store.HashToken("unknown"))
	h.wantErr("UseVerificationToken", "unknown token", err, store.ErrNotFound)
	h.tokenIs("UseVerificationToken", "token not used", t)
}

func useTokenWrongIdentifier(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("token", t)
	_, err := h.useToken("mallory@example.com", t.TokenHash)
	h.wantErr("UseVerificationToken", "another identifier's token", err, store.ErrNotFound)
	got, err := h.useToken(t.Identifier, t.TokenHash)
	if err != nil {
		h.t.Fatalf("UseVerificationToken: use with another identifier must not consume the token: then with its own: got err %v, want the token", err)
	}
	h.checkToken("UseVerificationToken", "use after an attempt with another identifier", got, t)
}

func useTokenExpired(h *h) {
	t := vt("alice@example.com", "a", at(-time.Hour))
	h.mustCreateToken("token expired an hour ago", t)
	h.tokenIs("UseVerificationToken", "token expired an hour ago (expiry is the caller's check)", t)
}

func useTokenIndependent(h *h) {
	t1 := vt("alice@example.com", "a", at(24*time.Hour))
	t2 := vt("alice@example.com", "b", at(25*time.Hour))
	h.mustCreateToken("first token of an identifier", t1)
	h.mustCreateToken("second token of the identifier", t2)
	h.tokenIs("UseVerificationToken", "first token of an identifier", t1)
	h.tokenIs("UseVerificationToken", "second token, after the first was used", t2)
}

func useTokenConcurrent(h *h) {
	const what = "16 concurrent uses of one token"
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("token", t)
	got := make([]*store.VerificationToken, concurrency)
	errs := make([]error, concurrency)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range concurrency {
		wg.Go(func() {
			<-start
			got[i], errs[i] = h.tokens.UseVerificationToken(h.ctx, t.Identifier, t.TokenHash)
		})
	}
	close(start)
	wg.Wait()

	var winners []string
	for i, err := range errs {
		h.impl("UseVerificationToken", err)
		switch {
		case err == nil && got[i] == nil:
			h.t.Errorf("UseVerificationToken: %s: goroutine %d: got a nil token and a nil error", what, i)
		case err == nil:
			winners = append(winners, strconv.Itoa(i))
			h.checkToken("UseVerificationToken", what, got[i], t)
		case !errors.Is(err, store.ErrNotFound):
			h.t.Errorf("UseVerificationToken: %s: goroutine %d: %s", what, i, gotErr(err, nil, store.ErrNotFound))
		}
	}
	if len(winners) != 1 {
		h.t.Errorf("UseVerificationToken: %s: %d got the token (goroutines %s), want exactly one", what, len(winners), strings.Join(winners, ", "))
	}
	_, err := h.useToken(t.Identifier, t.TokenHash)
	h.wantErr("UseVerificationToken", what+": use afterwards", err, store.ErrNotFound)
}

func useTokenAttempts(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("token", t)
	for i := 1; i <= 3; i++ {
		t.Attempts = i
		h.counted("attempt "+strconv.Itoa(i), t)
	}
	h.tokenIs("UseVerificationToken", "token after 3 attempts", t)
}

func countAttempt(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("token", t)
	for i := 1; i <= 6; i++ {
		t.Attempts = i
		h.counted("attempt "+strconv.Itoa(i), t)
	}
	h.tokenIs("CountVerificationAttempt", "token after 6 attempts (counting does not use it up)", t)
}

func countAttemptFromCreated(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	t.Attempts = 4
	h.mustCreateToken("token created with 4 attempts", t)
	t.Attempts = 5
	h.counted("attempt on a token created with 4", t)
}

func countAttemptUnknown(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("another token", t)
	_, err := h.countAttempt(t.Identifier, store.HashToken("unknown"))
	h.wantErr("CountVerificationAttempt", "unknown token", err, store.ErrNotFound)
	h.tokenIs("CountVerificationAttempt", "the other token, not counted", t)
}

func countAttemptWrongIdentifier(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("token", t)
	_, err := h.countAttempt("mallory@example.com", t.TokenHash)
	h.wantErr("CountVerificationAttempt", "another identifier's token", err, store.ErrNotFound)
	t.Attempts = 1
	h.counted("first attempt with its own identifier, after one with another (which must count nothing)", t)
}

func countAttemptUsed(h *h) {
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("token", t)
	h.tokenIs("UseVerificationToken", "token", t)
	_, err := h.countAttempt(t.Identifier, t.TokenHash)
	h.wantErr("CountVerificationAttempt", "used token", err, store.ErrNotFound)
	_, err = h.useToken(t.Identifier, t.TokenHash)
	h.wantErr("UseVerificationToken", "used token, after an attempt on it (which must not bring it back)", err, store.ErrNotFound)
}

func countAttemptIndependent(h *h) {
	t1 := vt("alice@example.com", "a", at(24*time.Hour))
	t2 := vt("alice@example.com", "b", at(25*time.Hour))
	h.mustCreateToken("first token", t1)
	h.mustCreateToken("second token", t2)
	t1.Attempts = 1
	h.counted("first token", t1)
	t1.Attempts = 2
	h.counted("first token again", t1)
	t2.Attempts = 1
	h.counted("second token, after two attempts on the first", t2)
}

func countAttemptConcurrent(h *h) {
	const what = "16 concurrent attempts on one token"
	t := vt("alice@example.com", "a", at(24*time.Hour))
	h.mustCreateToken("token", t)
	errs := make([]error, concurrency)
	counts := make([]int, concurrency)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range concurrency {
		wg.Go(func() {
			<-start
			got, err := h.tokens.CountVerificationAttempt(h.ctx, t.Identifier, t.TokenHash)
			errs[i] = err
			if err == nil && got != nil {
				counts[i] = got.Attempts
			}
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		h.impl("CountVerificationAttempt", err)
		if err != nil {
			h.t.Errorf("CountVerificationAttempt: %s: goroutine %d: got err %v, want the token", what, i, err)
		}
		if counts[i] < 1 || counts[i] > concurrency {
			h.t.Errorf("CountVerificationAttempt: %s: goroutine %d: got %d attempts, want 1 to %d", what, i, counts[i], concurrency)
		}
	}
	t.Attempts = concurrency + 1
	h.counted(what+": one more afterwards (every attempt must have counted)", t)
}
