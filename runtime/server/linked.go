package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// A user's ways to sign in: the provider accounts linked to them, and
// e-mail sign-in when it is on and their address is verified. The user
// lists them (GET {basePath}/accounts, the account page) and unlinks one
// (POST {basePath}/accounts/unlink), but never the last.

// Errors of LinkedAccounts and UnlinkAccount, for errors.Is. An account
// that is not the user's is an error wrapping store.ErrNotFound.
var (
	// ErrAccountsNotStored: the server keeps no users (no Config.Users),
	// so a user has no linked accounts to list or unlink.
	ErrAccountsNotStored = errors.New("server: accounts are not stored (no Config.Users)")
	// ErrLastAccount: the account is the user's last way to sign in;
	// unlinking it would lock them out. Nothing was changed.
	ErrLastAccount = errors.New("server: the last way to sign in cannot be unlinked: link another first")
	// ErrEmailNotUnlinkable: e-mail sign-in goes with the user's address,
	// which any e-mail sign-in proves again; it is not a linked account.
	ErrEmailNotUnlinkable = errors.New("server: e-mail sign-in goes with the user's address and cannot be unlinked")
)

// LinkedAccount is one way a user signs in, as LinkedAccounts lists it,
// GET {basePath}/accounts shows it and the account events report it. It
// never holds a token.
type LinkedAccount struct {
	// Provider is the provider's ID ("github"), or EmailProviderID for
	// e-mail sign-in.
	Provider string
	// Name is the provider's display name ("GitHub"); the ID for a
	// provider the server no longer has.
	Name string
	// Type is "oauth", "oidc", "oauth1" or "email".
	Type string
	// ProviderAccountID is the provider's ID of the account; the address
	// for e-mail sign-in.
	ProviderAccountID string
	// LinkedAt is when the account was linked; zero when unknown (linked
	// before authgen recorded it). For e-mail sign-in: when the address
	// was last verified.
	LinkedAt time.Time
	// CanUnlink: UnlinkAccount would remove it. Never for e-mail sign-in,
	// nor for the user's only way to sign in. An account of a provider the
	// server no longer has is no way to sign in, and can always go.
	CanUnlink bool
}

// emailAccountType is the Type of the e-mail sign-in entry.
const emailAccountType = "email"

// accountPagePath is the account page, under the base path.
const accountPagePath = "/account"

// LinkedAccounts returns the user's ways to sign in, ordered by provider,
// then provider account ID: the provider accounts linked to them, and
// e-mail sign-in when it is on and the user's address is verified (the
// store keeps no account for it). It returns ErrAccountsNotStored without
// Config.Users, an error wrapping store.ErrNotFound for an unknown user,
// and one wrapping ErrStore when the store fails.
func (a *Auth) LinkedAccounts(ctx context.Context, userID string) ([]LinkedAccount, error) {
	w, err := a.waysToSignIn(ctx, userID)
	if err != nil {
		return nil, err
	}
	return w.list, nil
}

// ways is a user with their ways to sign in.
type ways struct {
	user *store.User
	list []LinkedAccount
	// stored are the accounts as the store holds them (tokens opened),
	// by provider and provider account ID, to link one again.
	stored map[[2]string]store.Account
}

// waysToSignIn reads the user and their accounts.
func (a *Auth) waysToSignIn(ctx context.Context, userID string) (*ways, error) {
	if a.cfg.Users == nil {
		return nil, ErrAccountsNotStored
	}
	u, err := a.cfg.Users.GetUser(ctx, userID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("server: user %q: %w", shortID(userID), err)
	case err != nil:
		return nil, fmt.Errorf("%w: get user: %w", ErrStore, err)
	}
	accounts, err := a.cfg.Users.ListAccounts(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("%w: list accounts: %w", ErrStore, err)
	}
	w := &ways{user: u, list: make([]LinkedAccount, 0, len(accounts)+1), stored: map[[2]string]store.Account{}}
	email := false
	for _, acc := range accounts {
		w.list = append(w.list, a.linkedAccount(acc))
		w.stored[[2]string{acc.Provider, acc.ProviderAccountID}] = acc
		email = email || acc.Provider == EmailProviderID
	}
	if !email && a.emailSignIn() && u.Email != "" && u.EmailVerified != nil {
		w.list = append(w.list, LinkedAccount{
			Provider: EmailProviderID, Name: "E-mail", Type: emailAccountType,
			ProviderAccountID: u.Email, LinkedAt: u.EmailVerified.UTC(),
		})
	}
	slices.SortStableFunc(w.list, func(x, y LinkedAccount) int {
		return cmp.Or(cmp.Compare(x.Provider, y.Provider), cmp.Compare(x.ProviderAccountID, y.ProviderAccountID))
	})
	n := w.countFunc(a.signsIn)
	for i := range w.list {
		l := &w.list[i]
		l.CanUnlink = l.Provider != EmailProviderID && (n > 1 || !a.signsIn(*l))
	}
	return w, nil
}

// countFunc counts the ways that sign in, as signsIn says.
func (w *ways) countFunc(signsIn func(LinkedAccount) bool) int {
	n := 0
	for _, l := range w.list {
		if signsIn(l) {
			n++
		}
	}
	return n
}

// signsIn reports whether a way signs the user in: e-mail sign-in, or an
// account of a provider the server has.
func (a *Auth) signsIn(l LinkedAccount) bool {
	if l.Provider == EmailProviderID {
		return a.emailSignIn()
	}
	if l.Provider == PasskeyProviderID {
		return a.passkeys != nil
	}
	_, ok := a.providers[l.Provider]
	_, cred := a.credentials[l.Provider]
	return ok || cred
}

// linkedAccount describes a stored account.
func (a *Auth) linkedAccount(acc store.Account) LinkedAccount {
	l := LinkedAccount{Provider: acc.Provider, Name: acc.Provider, Type: acc.Type, ProviderAccountID: acc.ProviderAccountID}
	if p, ok := a.providers[acc.Provider]; ok && p.Name != "" {
		l.Name = p.Name
	}
	if c, ok := a.credentials[acc.Provider]; ok {
		l.Name = c.provider.Name
	}
	if acc.Provider == EmailProviderID {
		l.Name = "E-mail"
	}
	if acc.Provider == PasskeyProviderID {
		l.Name = "Passkey"
	}
	if !acc.LinkedAt.IsZero() {
		l.LinkedAt = acc.LinkedAt.UTC()
	}
	return l
}

// UnlinkAccount removes the provider account from the user's ways to sign
// in, and reports it to Events.UnlinkAccount. It refuses, changing
// nothing, the user's last way to sign in (ErrLastAccount) and e-mail
// sign-in (ErrEmailNotUnlinkable); an account that is not the user's is an
// error wrapping store.ErrNotFound. Without Config.Users it returns
// ErrAccountsNotStored; a store error wraps ErrStore. A passkey's account
// (provider PasskeyProviderID, while passkeys are on) goes with its
// credential, as DeletePasskey deletes it: a credential is never kept
// without its account.
//
// Unlinks of one user are serialized on this instance; when instances
// unlink a user's last two accounts at the same moment, the one that finds
// no way left afterwards links its account again and returns
// ErrLastAccount, so the user always keeps one.
func (a *Auth) UnlinkAccount(ctx context.Context, userID, provider, providerAccountID string) error {
	if a.cfg.Users == nil {
		return ErrAccountsNotStored
	}
	mu := a.unlinking.of(userID)
	mu.Lock()
	defer mu.Unlock()
	if provider == PasskeyProviderID && a.passkeys != nil {
		return a.removePasskey(ctx, userID, providerAccountID, false)
	}
	return a.unlinkAccount(ctx, userID, provider, providerAccountID)
}

// unlinkAccount is UnlinkAccount's unlink of the account alone, its
// caller holding the user's unlinking lock.
func (a *Auth) unlinkAccount(ctx context.Context, userID, provider, providerAccountID string) error {
	w, err := a.waysToSignIn(ctx, userID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(w.list, func(l LinkedAccount) bool {
		return l.Provider == provider && l.ProviderAccountID == providerAccountID
	})
	switch {
	case i < 0:
		return fmt.Errorf("server: %s account %q of the user: %w", shortID(provider), shortID(providerAccountID), store.ErrNotFound)
	case provider == EmailProviderID:
		return ErrEmailNotUnlinkable
	case !w.list[i].CanUnlink:
		return ErrLastAccount
	}
	acc := w.stored[[2]string{provider, providerAccountID}]
	err = a.cfg.Users.UnlinkAccount(ctx, provider, providerAccountID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("server: %s account %q of the user: unlinked meanwhile: %w", shortID(provider), shortID(providerAccountID), err)
	case err != nil:
		return fmt.Errorf("%w: unlink account: %w", ErrStore, err)
	}
	if err := a.keepOneWay(ctx, userID, acc, w.list[i]); err != nil {
		return err
	}
	a.emitUnlinkAccount(ctx, w.user, w.list[i])
	return nil
}

// keepOneWay checks, after an unlink, that the user still has a way to
// sign in — another instance may have unlinked their other one at the
// same moment — and links the account again when they have none.
func (a *Auth) keepOneWay(ctx context.Context, userID string, acc store.Account, removed LinkedAccount) error {
	if !a.signsIn(removed) {
		return nil
	}
	after, err := a.waysToSignIn(ctx, userID)
	if err != nil {
		// The unlink is done; whether a way is left is not known.
		a.log.WarnContext(ctx, "authgen: checking the ways to sign in left after an unlink", "user", userID, "error", err)
		return nil
	}
	if after.countFunc(a.signsIn) > 0 {
		return nil
	}
	if err := a.cfg.Users.LinkAccount(ctx, acc); err != nil && !errors.Is(err, store.ErrConflict) {
		a.log.ErrorContext(ctx, "authgen: a concurrent unlink left the user no way to sign in, and linking the account again failed", "user", userID, "provider", acc.Provider, "error", err)
		return fmt.Errorf("%w: link the account again: %w", ErrStore, err)
	}
	return ErrLastAccount
}

// userLocks serializes the unlinks of each user on this instance: a
// fixed set of mutexes, a user's chosen by a hash of their ID.
type userLocks struct {
	seed maphash.Seed
	once sync.Once
	mu   [64]sync.Mutex
}

// of returns the mutex of the user.
func (l *userLocks) of(userID string) *sync.Mutex {
	l.once.Do(func() { l.seed = maphash.MakeSeed() })
	return &l.mu[maphash.String(l.seed, userID)%uint64(len(l.mu))]
}

// Codes of GET {basePath}/accounts and POST {basePath}/accounts/unlink
// besides SessionRequired, MissingCSRF and Configuration.
const (
	// CodeAccountNotFound: the account is not one of the user's.
	CodeAccountNotFound Code = "AccountNotFound"
	// CodeLastAccount: the account is the user's last way to sign in.
	CodeLastAccount Code = "LastAccount"
	// CodeEmailNotUnlinkable: e-mail sign-in cannot be unlinked.
	CodeEmailNotUnlinkable Code = "EmailNotUnlinkable"
)

// linkedAccountJSON is a way to sign in in GET {basePath}/accounts.
type linkedAccountJSON struct {
	Provider          string  `json:"provider"`
	Name              string  `json:"name"`
	Type              string  `json:"type"`
	ProviderAccountID string  `json:"providerAccountId"`
	LinkedAt          *string `json:"linkedAt"`
	CanUnlink         bool    `json:"canUnlink"`
}

func linkedAccountsJSON(list []LinkedAccount) []linkedAccountJSON {
	out := make([]linkedAccountJSON, len(list))
	for i, l := range list {
		out[i] = linkedAccountJSON{Provider: l.Provider, Name: l.Name, Type: l.Type, ProviderAccountID: l.ProviderAccountID, CanUnlink: l.CanUnlink}
		if !l.LinkedAt.IsZero() {
			t := l.LinkedAt.Format(isoTime)
			out[i].LinkedAt = &t
		}
	}
	return out
}

// signedInUser reads the request's session for the account endpoints: the
// session, or false once it has answered 401 SessionRequired (503 while
// the store fails) — for a browser's form (page), sent to the account
// page, which sends a visitor who is not signed in to sign in.
func (a *Auth) signedInUser(rq *request, page bool) (*current, bool) {
	c, err := a.readSession(rq.r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		a.log.ErrorContext(rq.r.Context(), "authgen: reading session", "error", err)
		a.accountAnswer(rq, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
		return nil, false
	case err != nil:
		a.accountAnswer(rq, page, http.StatusUnauthorized, CodeSessionRequired, "", nil)
		return nil, false
	}
	return c, true
}

// handleListAccounts is GET /accounts: the signed-in user's ways to sign
// in as {"accounts": [{provider, name, type, providerAccountId, linkedAt,
// canUnlink}]}; linkedAt is null when unknown.
func (a *Auth) handleListAccounts(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	c, ok := a.signedInUser(rq, false)
	if !ok {
		return
	}
	list, err := a.LinkedAccounts(r.Context(), c.session.User.ID)
	if err != nil {
		a.log.ErrorContext(r.Context(), "authgen: listing accounts", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": string(CodeConfiguration)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": linkedAccountsJSON(list)})
}

// handleUnlinkAccount is POST /accounts/unlink (CSRF): unlinks the
// signed-in user's account named by the body's provider and
// providerAccountId. Answers are JSON: 200 {"unlinked": {provider,
// providerAccountId}}, 403 MissingCSRF, 401 SessionRequired, 404
// AccountNotFound, 409 LastAccount or EmailNotUnlinkable (nothing
// changes), 503 while the store fails. A browser's form (Accept: text/html)
// is sent back to the account page instead, with ?unlinked= or ?error=.
func (a *Auth) handleUnlinkAccount(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	if err := a.checkCSRF(rq); err != nil {
		a.log.WarnContext(r.Context(), "authgen: unlink refused", "code", string(CodeMissingCSRF), "error", err)
		a.accountAnswer(rq, a.wantsPage(rq), http.StatusForbidden, CodeMissingCSRF, "", nil)
		return
	}
	page := a.wantsPage(rq)
	c, ok := a.signedInUser(rq, page)
	if !ok {
		return
	}
	provider, id := rq.body.Get("provider"), rq.body.Get("providerAccountId")
	err := a.UnlinkAccount(r.Context(), c.session.User.ID, provider, id)
	switch {
	case err == nil:
		a.accountAnswer(rq, page, http.StatusOK, "", "unlinked", map[string]any{"unlinked": map[string]string{"provider": provider, "providerAccountId": id}})
	case errors.Is(err, store.ErrNotFound):
		a.accountAnswer(rq, page, http.StatusNotFound, CodeAccountNotFound, "", nil)
	case errors.Is(err, ErrLastAccount):
		a.accountAnswer(rq, page, http.StatusConflict, CodeLastAccount, "", nil)
	case errors.Is(err, ErrEmailNotUnlinkable):
		a.accountAnswer(rq, page, http.StatusConflict, CodeEmailNotUnlinkable, "", nil)
	default:
		a.log.ErrorContext(r.Context(), "authgen: unlinking an account", "error", err)
		a.accountAnswer(rq, page, http.StatusServiceUnavailable, CodeConfiguration, "", nil)
	}
}

// wantsPage reports whether an account action came from a browser's form
// (it accepts HTML, and asked for no JSON), which is answered with the
// account page rather than JSON.
func (a *Auth) wantsPage(rq *request) bool {
	return acceptsHTML(rq.r) && !rq.jsonResponse
}

// accountAnswer answers an account action: JSON (body, or {"error": code}
// with status), or for a browser's form (page) a redirect back to the
// account page saying what happened (see formAnswer).
func (a *Auth) accountAnswer(rq *request, page bool, status int, code Code, done string, body any) {
	a.formAnswer(rq, accountPagePath, page, status, code, done, body)
}

// formAnswer answers an action posted by a page of the API at pagePath
// (the account page, /2fa): JSON (body, or {"error": code} with status),
// or for a browser's form (page) a redirect back to that page saying what
// happened: ?error=code, or ?done=done.
func (a *Auth) formAnswer(rq *request, pagePath string, page bool, status int, code Code, done string, body any) {
	if page {
		q := url.Values{}
		if code != "" {
			q.Set("error", string(code))
		} else {
			q.Set("done", done)
		}
		http.Redirect(rq.w, rq.r, withQuery(rq.apiURL(a, pagePath), q), http.StatusSeeOther)
		return
	}
	if code != "" {
		body = map[string]string{"error": string(code)}
	}
	writeJSON(rq.w, status, body)
}
