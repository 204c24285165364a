package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

var _ store.Passkeys = (*Store)(nil)

// passkeyColumns are a passkey's columns as scanPasskey reads them.
const passkeyColumns = "id, user_id, name, public_key, attestation_type, aaguid, transports, sign_count, backup_eligible, backup_state, created_at, last_used_at"

// CreatePasskey implements store.Passkeys: the primary key refuses an ID in
// use and the foreign key an unknown user.
func (s *Store) CreatePasskey(ctx context.Context, p store.Passkey) error {
	_, err := s.db.ExecContext(ctx, s.q.pkInsert, p.ID, p.UserID, p.Name, nonNil(p.PublicKey), p.AttestationType, nonNil(p.AAGUID),
		strings.Join(p.Transports, ","), int64(p.SignCount), p.BackupEligible, p.BackupState, s.timeValue(p.CreatedAt), s.timeValue(p.LastUsedAt))
	return s.err("create passkey", err)
}

// GetPasskey implements store.Passkeys.
func (s *Store) GetPasskey(ctx context.Context, id string) (*store.Passkey, error) {
	p, err := scanPasskey(s.db.QueryRowContext(ctx, s.q.pkGet, id))
	if err != nil {
		return nil, s.err("get passkey", err)
	}
	return p, nil
}

// ListPasskeys implements store.Passkeys, oldest first (ties by ID), on the
// index of user_id.
func (s *Store) ListPasskeys(ctx context.Context, userID string) ([]store.Passkey, error) {
	const op = "list passkeys"
	rows, err := s.db.QueryContext(ctx, s.q.pkList, userID)
	if err != nil {
		return nil, s.err(op, err)
	}
	defer rows.Close()
	ps := []store.Passkey{}
	for rows.Next() {
		p, err := scanPasskey(rows)
		if err != nil {
			return nil, s.err(op, err)
		}
		ps = append(ps, *p)
	}
	return ps, s.err(op, rows.Err())
}

// UsePasskey implements store.Passkeys with one conditional update
// (sign_count = prev), which the database applies atomically; when it
// matches no row, a read tells a changed count from a missing passkey.
func (s *Store) UsePasskey(ctx context.Context, id string, prev, count uint32, backupState bool, at time.Time) error {
	const op = "use passkey"
	res, err := s.db.ExecContext(ctx, s.q.pkUse, int64(count), backupState, s.timeValue(at), id, int64(prev))
	if err != nil {
		return s.err(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.err(op, err)
	} else if n == 1 {
		return nil
	}
	var stored int64
	if err := s.db.QueryRowContext(ctx, s.q.pkCount, id).Scan(&stored); err != nil {
		return s.err(op, err)
	}
	return fmt.Errorf("sqlstore: %s: sign count %d, not %d: %w", op, stored, prev, store.ErrConflict)
}

// RenamePasskey implements store.Passkeys.
func (s *Store) RenamePasskey(ctx context.Context, userID, id, name string) error {
	return s.exec(ctx, s.db, "rename passkey", s.q.pkRename, name, id, userID)
}

// DeletePasskey implements store.Passkeys.
func (s *Store) DeletePasskey(ctx context.Context, userID, id string) error {
	return s.exec(ctx, s.db, "delete passkey", s.q.pkDelete, id, userID)
}

// nonNil returns b, or an empty slice for nil: the byte columns are NOT
// NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// scanPasskey scans passkeyColumns.
func scanPasskey(row interface{ Scan(...any) error }) (*store.Passkey, error) {
	var (
		p                 store.Passkey
		transports        string
		count             int64
		created, lastUsed timeColumn
	)
	err := row.Scan(&p.ID, &p.UserID, &p.Name, &p.PublicKey, &p.AttestationType, &p.AAGUID, &transports, &count,
		&p.BackupEligible, &p.BackupState, &created, &lastUsed)
	if err != nil {
		return nil, err
	}
	if transports != "" {
		p.Transports = strings.Split(transports, ",")
	}
	if count < 0 || count > 1<<32-1 {
		return nil, fmt.Errorf("sign count %d out of range", count)
	}
	p.SignCount = uint32(count)
	p.CreatedAt = created.t
	if lastUsed.valid {
		p.LastUsedAt = lastUsed.t
	}
	return &p, nil
}

// passkeyQueries fills in the passkey statements of q.
func passkeyQueries(q *queries, p string) {
	passkeys := p + "passkeys"
	q.pkInsert = "INSERT INTO " + passkeys + " (" + passkeyColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	q.pkGet = "SELECT " + passkeyColumns + " FROM " + passkeys + " WHERE id = ?"
	q.pkList = "SELECT " + passkeyColumns + " FROM " + passkeys + " WHERE user_id = ? ORDER BY created_at, id"
	q.pkUse = "UPDATE " + passkeys + " SET sign_count = ?, backup_state = ?, last_used_at = ? WHERE id = ? AND sign_count = ?"
	q.pkCount = "SELECT sign_count FROM " + passkeys + " WHERE id = ?"
	q.pkRename = "UPDATE " + passkeys + " SET name = ? WHERE id = ? AND user_id = ?"
	q.pkDelete = "DELETE FROM " + passkeys + " WHERE id = ? AND user_id = ?"
}
