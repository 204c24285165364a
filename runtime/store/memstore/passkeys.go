package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// clonePasskey returns a copy of p sharing no memory with it.
func clonePasskey(p store.Passkey) store.Passkey {
	p.PublicKey = slices.Clone(p.PublicKey)
	p.AAGUID = slices.Clone(p.AAGUID)
	p.Transports = slices.Clone(p.Transports)
	return p
}

// CreatePasskey stores a copy of p: store.ErrConflict for a credential ID
// in use, store.ErrNotFound for an unknown user.
func (s *Store) CreatePasskey(ctx context.Context, p store.Passkey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[p.UserID]; !ok {
		return fmt.Errorf("memstore: user %q: %w", p.UserID, store.ErrNotFound)
	}
	if _, ok := s.passkeys[p.ID]; ok {
		return fmt.Errorf("memstore: passkey %q exists: %w", p.ID, store.ErrConflict)
	}
	s.passkeys[p.ID] = clonePasskey(p)
	return nil
}

// GetPasskey returns a copy of the passkey with the credential ID, or
// store.ErrNotFound.
func (s *Store) GetPasskey(ctx context.Context, id string) (*store.Passkey, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.passkeys[id]
	if !ok {
		return nil, fmt.Errorf("memstore: passkey %q: %w", id, store.ErrNotFound)
	}
	p = clonePasskey(p)
	return &p, nil
}

// ListPasskeys returns copies of the user's passkeys, oldest first (ties
// by ID), scanning every passkey.
func (s *Store) ListPasskeys(ctx context.Context, userID string) ([]store.Passkey, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := []store.Passkey{}
	for _, p := range s.passkeys {
		if p.UserID == userID {
			ps = append(ps, clonePasskey(p))
		}
	}
	slices.SortFunc(ps, func(a, b store.Passkey) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return ps, nil
}

// UsePasskey records a sign-in with the passkey when its sign count is
// still prev: store.ErrConflict when it is not, store.ErrNotFound for an
// unknown passkey. The mutex makes the compare and the set one step.
func (s *Store) UsePasskey(ctx context.Context, id string, prev, count uint32, backupState bool, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.passkeys[id]
	if !ok {
		return fmt.Errorf("memstore: passkey %q: %w", id, store.ErrNotFound)
	}
	if p.SignCount != prev {
		return fmt.Errorf("memstore: passkey %q: sign count %d, not %d: %w", id, p.SignCount, prev, store.ErrConflict)
	}
	p.SignCount, p.BackupState, p.LastUsedAt = count, backupState, at
	s.passkeys[id] = p
	return nil
}

// RenamePasskey sets the name of the user's passkey, or returns
// store.ErrNotFound.
func (s *Store) RenamePasskey(ctx context.Context, userID, id, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.passkeys[id]
	if !ok || p.UserID != userID {
		return fmt.Errorf("memstore: passkey %q of user %q: %w", id, userID, store.ErrNotFound)
	}
	p.Name = name
	s.passkeys[id] = p
	return nil
}

// DeletePasskey deletes the user's passkey, or returns store.ErrNotFound.
func (s *Store) DeletePasskey(ctx context.Context, userID, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.passkeys[id]; !ok || p.UserID != userID {
		return fmt.Errorf("memstore: passkey %q of user %q: %w", id, userID, store.ErrNotFound)
	}
	delete(s.passkeys, id)
	return nil
}
