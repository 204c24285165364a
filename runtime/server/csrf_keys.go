package server

import (
	"strings"
	"sync"
	"time"

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

	mu  sync.Mutex
	ids string // the kids the protector was derived from, in order
	p   *csrf.Protector
}

// current is the protector of the keys valid now.
func (k *keyedCSRF) current() *csrf.Protector {
	now := k.now()
	valid := k.keys.Valid(keys.UseSig, now)
	var b strings.Builder
	for _, key := range valid {
		b.WriteString(key.ID)
		b.WriteByte(' ')
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.p == nil || b.String() != k.ids {
		k.ids, k.p = b.String(), csrf.New(k.keys.Derive("csrf", now))
	}
	return k.p
}

func (k *keyedCSRF) Parse(cookie string) (string, bool) { return k.current().Parse(cookie) }

func (k *keyedCSRF) Issue() (token, cookie string) { return k.current().Issue() }

func (k *keyedCSRF) Verify(cookie, submitted string) bool {
	return k.current().Verify(cookie, submitted)
}
