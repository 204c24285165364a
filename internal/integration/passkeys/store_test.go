package passkeys

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/store/memstore"
)

// memPasskeys is memstore with store.Passkeys kept in a map: a test-only
// stand-in until memstore implements the contract itself.
type memPasskeys struct {
	*memstore.Store
	mu   sync.Mutex
	keys map[string]store.Passkey
}

func newStore() *memPasskeys {
	return &memPasskeys{Store: memstore.New(), keys: map[string]store.Passkey{}}
}

var _ store.Passkeys = (*memPasskeys)(nil)

func (m *memPasskeys) CreatePasskey(ctx context.Context, p store.Passkey) error {
	if _, err := m.GetUser(ctx, p.UserID); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.keys[p.ID]; ok {
		return store.ErrConflict
	}
	m.keys[p.ID] = p
	return nil
}

func (m *memPasskeys) GetPasskey(_ context.Context, id string) (*store.Passkey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.keys[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return &p, nil
}

func (m *memPasskeys) ListPasskeys(_ context.Context, userID string) ([]store.Passkey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []store.Passkey{}
	for _, p := range m.keys {
		if p.UserID == userID {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b store.Passkey) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

func (m *memPasskeys) UsePasskey(_ context.Context, id string, prev, count uint32, backupState bool, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.keys[id]
	switch {
	case !ok:
		return store.ErrNotFound
	case p.SignCount != prev:
		return store.ErrConflict
	}
	p.SignCount, p.BackupState, p.LastUsedAt = count, backupState, at
	m.keys[id] = p
	return nil
}

func (m *memPasskeys) RenamePasskey(_ context.Context, userID, id, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.keys[id]
	if !ok || p.UserID != userID {
		return store.ErrNotFound
	}
	p.Name = name
	m.keys[id] = p
	return nil
}

func (m *memPasskeys) DeletePasskey(_ context.Context, userID, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.keys[id]
	if !ok || p.UserID != userID {
		return store.ErrNotFound
	}
	delete(m.keys, id)
	return nil
}
