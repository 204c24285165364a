package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authgen/authgen/runtime/oauth"
	"github.com/authgen/authgen/runtime/store"
)

// Account linking at sign-in: which user a provider account signs in, and
// what is written for it (Auth.js's rules, with trustEmail requiring the
// provider to report the address verified).

// errNotLinked reports an account that may not be linked automatically.
var errNotLinked = errors.New("account not linked")

// linkAction is what a sign-in will write once the SignIn callback agrees.
type linkAction int

const (
	// actionUpdate: a known account; refresh its tokens.
	actionUpdate linkAction = iota
	// actionLink: link the account to an existing user.
	actionLink
	// actionCreate: create the user with the account.
	actionCreate
)

// linkPlan is the user a sign-in resolves to and what to write for it.
type linkPlan struct {
	user   *store.User
	action linkAction
	// signedIn is the ID of the user signed in when the sign-in began, ""
	// for none; previous is their session, which the new one replaces.
	signedIn string
	previous *current
	// created: applyPlan created the user (not a concurrent sign-in).
	created bool
	// signUp: the user to create is a passkey sign-up's, with its ID,
	// and its passkey is stored once the user exists.
	signUp *passkeySignUp
}

// findUser applies the linking rules without writing anything:
//
//   - a known provider account signs in as its user, unless another user is
//     signed in (OAuthAccountNotLinked);
//   - an unknown account is linked to the signed-in user, if any;
//   - else a user with the same e-mail address blocks the sign-in
//     (OAuthAccountNotLinked), unless the provider has TrustEmail and
//     reports the address verified and that user's own address is proven
//     or came with no account (addressClaimable): then it is linked to
//     that user;
//   - else a new user is created with the account.
//
// The plan is returned also with an error, for failLink.
func (a *Auth) findUser(rq *request, p *oauth.Provider, res *oauth.Result) (*linkPlan, Code, error) {
	ctx := rq.r.Context()
	users := a.cfg.Users
	plan := &linkPlan{}
	c, err := a.readSession(rq.r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		return plan, CodeCallback, err
	case err == nil:
		plan.signedIn, plan.previous = c.session.User.ID, c
	}
	if rq.signUp != nil {
		// A new user only: the credential's user handle is their ID.
		if plan.signedIn != "" {
			return plan, CodePasskey, fmt.Errorf("%w: signed in: a signed-in user adds passkeys at %s", ErrPasskey, passkeysPath)
		}
		plan.user, plan.action, plan.signUp = &store.User{ID: rq.signUp.userID, Name: res.User.Name}, actionCreate, rq.signUp
		return plan, "", nil
	}
	byAccount := func() (*store.User, error) { return users.GetUserByAccount(ctx, p.ID, res.User.ID) }
	u, err := rq.passkeyOwner, error(nil)
	if u == nil {
		u, err = byAccount()
	}
	switch {
	case err == nil:
		if plan.signedIn != "" && plan.signedIn != u.ID {
			return plan, CodeOAuthAccountNotLinked, fmt.Errorf("%w: the %s account belongs to another user than the signed-in one", errNotLinked, p.ID)
		}
		plan.user, plan.action = u, actionUpdate
		return plan, "", nil
	case !errors.Is(err, store.ErrNotFound):
		return plan, CodeCallback, fmt.Errorf("%w: %w", ErrStore, err)
	}
	if plan.signedIn != "" {
		u, err := users.GetUser(ctx, plan.signedIn)
		if err != nil {
			return plan, CodeCallback, fmt.Errorf("%w: the signed-in user: %w", ErrStore, err)
		}
		plan.user, plan.action = u, actionLink
		return plan, "", nil
	}
	if res.User.Email != "" {
		owner, err := users.GetUserByEmail(ctx, res.User.Email)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return plan, CodeCallback, fmt.Errorf("%w: %w", ErrStore, err)
		case p.TrustEmail && res.User.EmailVerified:
			if err := a.addressClaimable(ctx, owner); errors.Is(err, errNotLinked) {
				return plan, CodeOAuthAccountNotLinked, err
			} else if err != nil {
				return plan, CodeCallback, err
			}
			plan.user, plan.action = owner, actionLink
			return plan, "", nil
		default:
			// A concurrent first sign-in of this very account may have
			// created the user since the lookup above.
			if u, err := byAccount(); err == nil && u.ID == owner.ID {
				plan.user, plan.action = u, actionUpdate
				return plan, "", nil
			}
			why := "the provider has no trustEmail"
			if p.TrustEmail {
				why = "the provider did not report the address verified"
			}
			return plan, CodeOAuthAccountNotLinked, fmt.Errorf("%w: a user with the %s account's e-mail address exists, and %s", errNotLinked, p.ID, why)
		}
	}
	plan.user = &store.User{Name: res.User.Name, Email: res.User.Email, Image: res.User.Image}
	plan.action = actionCreate
	return plan, "", nil
}

// addressClaimable reports, as an error wrapping errNotLinked, when a
// sign-in that proved u's address (an e-mail sign-in, a trustEmail
// provider's verified address) must not reach u: u's address was never
// proven (EmailVerified nil) and u has linked accounts, one of which may
// have stated the address without proof — a stranger's provider account
// or credentials naming the victim's address first would otherwise be
// handed the victim's sign-ins. A user without accounts was made by the
// application, whose word the address is.
func (a *Auth) addressClaimable(ctx context.Context, u *store.User) error {
	if u.EmailVerified != nil {
		return nil
	}
	accounts, err := a.cfg.Users.ListAccounts(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("%w: the accounts of the address's user: %w", ErrStore, err)
	}
	if len(accounts) == 0 {
		return nil
	}
	return fmt.Errorf("%w: user %s has the address, unproven, with a %s account: it signs in with that account first", errNotLinked, u.ID, accounts[0].Provider)
}

// addressProven sets u's EmailVerified when the sign-in's provider
// reports u's own address verified (a user made before the address was
// checked, or from a provider that did not say then), so that e-mail
// sign-in and trustEmail providers reach u from now on (addressClaimable).
// It returns u as it is stored; a failed update is logged and changes
// nothing else.
func (a *Auth) addressProven(ctx context.Context, u *store.User, res *oauth.Result) *store.User {
	if u.EmailVerified != nil || !res.User.EmailVerified || u.Email == "" || !strings.EqualFold(u.Email, res.User.Email) {
		return u
	}
	changed := *u
	t := a.cfg.Now().UTC()
	changed.EmailVerified = &t
	updated, err := a.cfg.Users.UpdateUser(ctx, changed)
	if err != nil {
		a.log.WarnContext(ctx, "authgen: recording the address as verified", "user", u.ID, "error", err)
		return u
	}
	a.emitUpdateUser(ctx, updated)
	return updated
}

// applyPlan writes what findUser planned and returns the signed-in user.
// It reports what it wrote to Events.CreateUser and Events.LinkAccount;
// what a concurrent sign-in wrote first is that one's to report.
func (a *Auth) applyPlan(ctx context.Context, plan *linkPlan, res *oauth.Result, account store.Account) (*store.User, Code, error) {
	users := a.cfg.Users
	switch plan.action {
	case actionUpdate:
		if account.Provider == PasskeyProviderID {
			return plan.user, "", nil // no tokens to keep
		}
		if err := users.UpdateAccount(ctx, account); err != nil {
			a.log.WarnContext(ctx, "authgen: updating account tokens", "provider", account.Provider, "error", err)
		}
		return a.addressProven(ctx, plan.user, res), "", nil
	case actionLink:
		account.UserID, account.LinkedAt = plan.user.ID, a.cfg.Now()
		err := users.LinkAccount(ctx, account)
		if errors.Is(err, store.ErrConflict) {
			// Linked meanwhile (a double submit): fine if to this user.
			if u, gerr := users.GetUserByAccount(ctx, account.Provider, account.ProviderAccountID); gerr == nil && u.ID == plan.user.ID {
				return u, "", nil
			}
			return nil, CodeOAuthAccountNotLinked, fmt.Errorf("%w: link %s account: %w", errNotLinked, account.Provider, err)
		}
		if err != nil {
			return nil, CodeOAuthCreateAccount, fmt.Errorf("link %s account: %w", account.Provider, err)
		}
		a.emitLinkAccount(ctx, plan.user, account, res.Profile)
		return a.addressProven(ctx, plan.user, res), "", nil
	}
	account.LinkedAt = a.cfg.Now()
	u, created, err := a.createUser(ctx, plan.user.ID, res, account)
	if err != nil {
		code := CodeOAuthCreateAccount
		if errors.Is(err, errNotLinked) {
			code = CodeOAuthAccountNotLinked
		}
		return nil, code, err
	}
	if plan.signUp != nil {
		if !created || u.ID != plan.signUp.userID {
			return nil, CodePasskey, fmt.Errorf("%w: the credential is registered already", ErrPasskey)
		}
		if err := a.storeSignUpPasskey(ctx, plan.signUp); err != nil {
			if errors.Is(err, ErrPasskey) {
				return nil, CodePasskey, err
			}
			return nil, CodeOAuthCreateAccount, err
		}
	}
	if created {
		plan.created = true
		a.emitCreateUser(ctx, u)
		account.UserID = u.ID
		a.emitLinkAccount(ctx, u, account, res.Profile)
	}
	return u, "", nil
}

// createUser creates the user with the account in one step, with the ID id
// ("": the store's choice). When a concurrent sign-in of the same account
// won, it returns that sign-in's user, and created false.
func (a *Auth) createUser(ctx context.Context, id string, res *oauth.Result, account store.Account) (u *store.User, created bool, err error) {
	nu := store.User{ID: id, Name: res.User.Name, Email: res.User.Email, Image: res.User.Image}
	if res.User.EmailVerified {
		t := a.cfg.Now().UTC()
		nu.EmailVerified = &t
	}
	u, err = a.cfg.Users.CreateUserAndAccount(ctx, nu, account)
	if errors.Is(err, store.ErrConflict) {
		if u, err := a.cfg.Users.GetUserByAccount(ctx, account.Provider, account.ProviderAccountID); err == nil {
			return u, false, nil
		}
		return nil, false, fmt.Errorf("%w: e-mail taken by another user", errNotLinked)
	}
	if err != nil {
		return nil, false, fmt.Errorf("create user: %w", err)
	}
	return u, true, nil
}

// failLink answers a sign-in that found or linked no user. A user who was
// signed in (linking another account) goes back to their account page,
// which shows the error; anyone else to the sign-in page, as in Auth.js.
func (a *Auth) failLink(rq *request, plan *linkPlan, code Code, err error) {
	if plan == nil || plan.signedIn == "" {
		a.fail(rq.w, rq, code, err)
		return
	}
	answer, _ := a.styled(code, v5Code(code))
	a.log.WarnContext(rq.r.Context(), "authgen: linking an account failed", "code", string(answer), "path", rq.r.URL.Path, "error", err)
	rq.redirectTo(withQuery(rq.apiURL(a, accountPagePath), url.Values{"error": {string(answer)}}), http.StatusOK)
}
