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
