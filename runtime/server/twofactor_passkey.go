package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/authgen/authgen/runtime/store"
)

// A passkey as the second step of TwoFactor. After the first factor, a
// user with passkeys may answer the pending sign-in with one of them
// instead of a code from their app: with TwoFactorOptional the step is
// asked of users who turned it on at /2fa (then a passkey or a code
// answers it); with TwoFactorRequired a user with a passkey is asked for
// one of the two, and a user with neither sets up an app or adds a
// passkey before the session starts. A sign-in with a passkey whose
// authenticator verified the user (UV) is two factors and is not asked; one
// without UV is, and its own passkey cannot answer. Each answer counts as
// a code does:
// against the pending sign-in's 5 attempts, signInPerClient and
// rateLimit.twoFactor.

// hasPasskey reports whether the user has a passkey that can answer a
// second step: one other than except whose account is still linked
// (false when passkeys are off).
func (a *Auth) hasPasskey(ctx context.Context, userID, except string) (bool, error) {
	if a.passkeys == nil {
		return false, nil
	}
	list, err := a.passkeys.ListPasskeys(ctx, userID)
	if err != nil {
		return false, fmt.Errorf("%w: two-factor: list passkeys: %w", ErrStore, err)
	}
	list, err = a.secondStepPasskeys(ctx, userID, list, except)
	return len(list) > 0, err
}

// secondStepPasskeys is list, the user's passkeys, without except and
// without those whose account is not linked to the user: such a
// credential (a failure between an unlink's two writes left it) is
// refused as an answer, so counting it would send the user to a second
// step they cannot take.
func (a *Auth) secondStepPasskeys(ctx context.Context, userID string, list []store.Passkey, except string) ([]store.Passkey, error) {
	if len(list) == 0 {
		return list, nil
	}
	accounts, err := a.cfg.Users.ListAccounts(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: two-factor: list accounts: %w", ErrStore, err)
	}
	linked := map[string]bool{}
	for _, acc := range accounts {
		if acc.Provider == PasskeyProviderID {
			linked[acc.ProviderAccountID] = true
		}
	}
	return slices.DeleteFunc(list, func(p store.Passkey) bool { return p.ID == except || !linked[p.ID] }), nil
}

// without is list without the passkey id.
func without(list []store.Passkey, id string) []store.Passkey {
	return slices.DeleteFunc(list, func(p store.Passkey) bool { return p.ID == id })
}

// handleTwoFactorPasskeyOptions is POST /2fa/passkey/options (CSRF): the
// request options for one of the pending sign-in's user's passkeys, the
// ceremony sealed in the Passkey cookie. Without a pending sign-in: 401
// {"error": "TwoFactor", "url"}; a user without passkeys: 409 TwoFactor.
func (a *Auth) handleTwoFactorPasskeyOptions(w http.ResponseWriter, r *http.Request) {
	rq, ok := a.passkeyJSON(w, r)
	if !ok {
		return
	}
	p := a.pendingSignIn(rq)
	if p == nil || p.Enrol || a.passkeys == nil {
		a.deadPending(rq, "passkey options, but no sign-in waits for a second step in this browser")
		return
	}
	u, err := a.cfg.Users.GetUser(r.Context(), p.User)
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, fmt.Errorf("%w: two-factor: the user: %w", ErrStore, err))
		return
	}
	pu, err := a.passkeyUser(r.Context(), u)
	if err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	if pu.Credentials, err = a.secondStepPasskeys(r.Context(), p.User, pu.Credentials, p.Except); err != nil {
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	if len(pu.Credentials) == 0 {
		a.passkeyAnswer(rq, http.StatusConflict, CodeTwoFactor, errors.New("two-factor: the user has no passkey"))
		return
	}
	options, session, err := a.cfg.Passkeys.BeginLogin(a.passkeyRP(), &pu)
	a.answerOptions(rq, passkeyCeremony{Kind: ceremonySecondFactor, User: p.User, Pending: p.ID, Session: session}, options, err)
}

// handleTwoFactorPasskey is POST /2fa/passkey (CSRF) with the assertion
// as "response": a passkey of the pending sign-in's user, verified as a
// passkey sign-in's (counter included), starts the session: 200 {"url":
// the callbackUrl}. The attempt counts first, as a code's; a passkey that
// does not verify is 401 {"error": "Passkey"} and the sign-in waits for
// another answer; a sign-in that is over is 401 {"error": "TwoFactor",
// "url"}.
func (a *Auth) handleTwoFactorPasskey(w http.ResponseWriter, r *http.Request) {
	rq, ok := a.passkeyJSON(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	p := a.pendingSignIn(rq)
	if p == nil || p.Enrol || a.passkeys == nil {
		a.deadPending(rq, "a passkey, but no sign-in waits for a second step in this browser (or its cookie expired or was altered)")
		return
	}
	if !a.spendPendingAttempt(rq, p, "the sign-in expired, was used, or tried too many times") {
		return
	}
	c, err := a.useCeremony(rq, ceremonySecondFactor)
	if err == nil && (c.User != p.User || c.Pending != p.ID) {
		err = fmt.Errorf("%w: the ceremony began for another sign-in", ErrPasskey)
	}
	if err == nil {
		_, _, _, err = a.verifyAssertion(rq, c, p.User, p.Except)
	}
	switch {
	case errors.Is(err, ErrPasskey):
		a.log.WarnContext(ctx, "authgen: two-factor: passkey refused", "user", p.User, "error", err)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": string(CodePasskey)})
		return
	case err != nil:
		a.passkeyAnswer(rq, http.StatusServiceUnavailable, CodeConfiguration, err)
		return
	}
	if used, err := a.endPending(ctx, p); err != nil || !used {
		if err != nil {
			a.log.ErrorContext(ctx, "authgen: two-factor", "error", err)
		}
		a.deadPending(rq, "the sign-in was finished meanwhile")
		return
	}
	a.finishPending(rq, p, func(target string) { writeJSON(w, http.StatusOK, map[string]string{"url": target}) })
}
