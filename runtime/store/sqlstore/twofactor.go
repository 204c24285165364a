package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// inTx runs f in a transaction, committed when f returns nil.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.err("begin", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := f(tx); err != nil {
		return err
	}
	return s.err("commit", tx.Commit())
}

// BeginTwoFactor implements store.TwoFactors: in one transaction, a second
// factor not enabled is deleted (its recovery codes with it) and the new
// one inserted, which conflicts with an enabled one and fails the foreign
// key for an unknown user.
func (s *Store) BeginTwoFactor(ctx context.Context, userID, sealedSecret string, now time.Time) error {
	const op = "begin two-factor"
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.tfDeletePending, userID); err != nil {
			return s.err(op, err)
		}
		_, err := tx.ExecContext(ctx, s.q.tfInsert, userID, sealedSecret, false, s.timeValue(now))
		return s.err(op, err)
	})
}

// GetTwoFactor implements store.TwoFactors, counting the recovery codes in
// the same query.
func (s *Store) GetTwoFactor(ctx context.Context, userID string) (*store.TwoFactor, error) {
	f := store.TwoFactor{UserID: userID}
	var created timeColumn
	err := s.db.QueryRowContext(ctx, s.q.tfGet, userID).Scan(&f.Secret, &f.Enabled, &f.LastStep, &created, &f.RecoveryCodes)
	if err != nil {
		return nil, s.err("get two-factor", err)
	}
	f.CreatedAt = created.t
	return &f, nil
}

// EnableTwoFactor implements store.TwoFactors in one transaction: the
// update that enables the factor only matches one not yet enabled with the
// secret, so of two concurrent confirmations one wins, and a confirmation
// loses to a BeginTwoFactor that replaced the secret.
func (s *Store) EnableTwoFactor(ctx context.Context, userID, sealedSecret string, step int64, recoveryHashes []string) error {
	const op = "enable two-factor"
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.exec(ctx, tx, op, s.q.tfEnable, true, step, userID, sealedSecret); err != nil {
			return err
		}
		return s.insertCodes(ctx, tx, op, userID, recoveryHashes)
	})
}

// insertCodes replaces the user's recovery codes with hashes.
func (s *Store) insertCodes(ctx context.Context, tx *sql.Tx, op, userID string, hashes []string) error {
	if _, err := tx.ExecContext(ctx, s.q.codeDeleteAll, userID); err != nil {
		return s.err(op, err)
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, s.q.codeInsert, userID, h); err != nil {
			return s.err(op, err)
		}
	}
	return nil
}

// UseTwoFactorStep implements store.TwoFactors with one conditional
// update (last_step < step), which the database applies atomically; when
// it matches no row, a read tells a replay from a missing factor.
func (s *Store) UseTwoFactorStep(ctx context.Context, userID string, step int64) error {
	const op = "use two-factor step"
	res, err := s.db.ExecContext(ctx, s.q.tfUseStep, step, userID, step)
	if err != nil {
		return s.err(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.err(op, err)
	} else if n == 1 {
		return nil
	}
	var enabled bool
	if err := s.db.QueryRowContext(ctx, s.q.tfEnabled, userID).Scan(&enabled); err != nil {
		return s.err(op, err)
	}
	if !enabled {
		return fmt.Errorf("sqlstore: %s: not enabled: %w", op, store.ErrNotFound)
	}
	return fmt.Errorf("sqlstore: %s: step %d used already: %w", op, step, store.ErrConflict)
}

// UseRecoveryCode implements store.TwoFactors: the delete that removes the
// row is the one use (only enabled factors have recovery codes).
func (s *Store) UseRecoveryCode(ctx context.Context, userID, codeHash string) error {
	return s.exec(ctx, s.db, "use recovery code", s.q.codeUse, userID, codeHash)
}

// ReplaceRecoveryCodes implements store.TwoFactors in one transaction.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	const op = "replace recovery codes"
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var enabled bool
		if err := tx.QueryRowContext(ctx, s.q.tfEnabled, userID).Scan(&enabled); err != nil {
			return s.err(op, err)
		}
		if !enabled {
			return fmt.Errorf("sqlstore: %s: not enabled: %w", op, store.ErrNotFound)
		}
		return s.insertCodes(ctx, tx, op, userID, hashes)
	})
}

// DeleteTwoFactor implements store.TwoFactors; the recovery codes go with
// the factor (ON DELETE CASCADE).
func (s *Store) DeleteTwoFactor(ctx context.Context, userID string) error {
	return s.exec(ctx, s.db, "delete two-factor", s.q.tfDelete, userID)
}
