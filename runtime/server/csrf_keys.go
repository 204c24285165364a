package server

import (
	"fmt"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/authjs"
	"github.com/authgen/authgen/runtime/csrf"
	"github.com/authgen/authgen/runtime/keys"
)

// keyedCSRF is the CSRF protector of a key set: its secrets are derived
// from the signing keys valid now, again whenever they change — a staged
// key that takes over signs the new tokens, and a retired key's secret
// stops verifying when the key expires — without a restart.
type keyedCSRF struct {
	keys *keys.Set
	now  func() time.Time

	mu sync.Mutex
	p  *csrf.Protector
	// from and until bound the times p holds for: derived at from, until
	// the set's next change (zero: none scheduled).
	from, until time.Time
}

// current is the protector of the keys valid now, derived again only when
// now leaves the span the last one holds for.
func (k *keyedCSRF) current() *csrf.Protector {
	now := k.now()
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.p == nil || now.Before(k.from) || (!k.until.IsZero() && !now.Before(k.until)) {
		k.p, k.from, k.until = csrf.New(k.keys.Derive("csrf", now)), now, k.keys.NextChange(keys.UseSig, now)
	}
	return k.p
}

func (k *keyedCSRF) Parse(cookie string) (string, bool) { return k.current().Parse(cookie) }

// Issue issues a token under the signing key valid now; none is an error
// naming the key set (csrf.ErrNoSecrets).
func (k *keyedCSRF) Issue() (token, cookie string, err error) {
	token, cookie, err = k.current().Issue()
	if err != nil {
		return "", "", fmt.Errorf("%w: the key set has no signing key valid now: %w", ErrConfig, err)
	}
	return token, cookie, nil
}

// authjsCSRF is Auth.js's CSRF protector, whose Issue never fails.
type authjsCSRF struct{ *authjs.CSRF }

// Issue issues Auth.js's token.
func (c authjsCSRF) Issue() (token, cookie string, err error) {
	token, cookie = c.CSRF.Issue()
	return token, cookie, nil
}

func (k *keyedCSRF) Verify(cookie, submitted string) bool {
	return k.current().Verify(cookie, submitted)
}
