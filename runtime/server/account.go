package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// The account page, GET {basePath}/account: the signed-in user's ways to
// sign in (unlink one, link another provider) and their sessions (end one,
// sign out everywhere). Plain forms, no script: each posts to the JSON
// endpoint of its action, which sends a browser's form back here with what
// happened (accountAnswer). The page answers the same data as
// GET {basePath}/accounts and GET {basePath}/sessions.

// accountPage is what account.html reads.
type accountPage struct {
	User User
	Ways []LinkedAccount
	// OnlyWay: the user has one way to sign in, which cannot be unlinked.
	OnlyWay bool
	// Link are the providers the user has no account of, to link one.
	Link []providerData
	// LinkedURL is where a link's sign-in returns: this page, saying so.
	LinkedURL string
	UnlinkURL string
	RevokeURL string
	// SessionsRecorded: the server keeps the sessions, so they are listed
	// and can be ended.
	SessionsRecorded bool
	Sessions         []accountSession
	// Done is what the previous action did (?done=), Notice says it.
	Done, Notice string
	// TwoFactor is the user's two-factor state when two-factor sign-in
	// is on (the account-security section links to TwoFactorURL); nil
	// when it is off.
	TwoFactor    *TwoFactorStatus
	TwoFactorURL string
	// PasskeysURL is the passkeys page when passkeys are on, else "".
	PasskeysURL string
}

// accountSession is a session as the account page shows it.
type accountSession struct {
	SessionInfo
	// Device describes the browser from its user agent.
	Device string
}

// doneNotices are the notices of the actions that come back to the page.
var doneNotices = map[string]string{
	"linked":   "The account was linked: you can sign in with it too.",
	"unlinked": "The account was unlinked: you can no longer sign in with it.",
	"revoked":  "The session was ended.",
}

// accountMessage is the text of an error code on the account page.
func accountMessage(c Code) string {
	switch c {
	case CodeLastAccount:
		return "That is your only way to sign in: link another before you unlink it."
	case CodeAccountNotFound:
		return "That account is not linked to you (any more)."
	case CodeEmailNotUnlinkable:
		return "E-mail sign-in goes with your address: it cannot be unlinked."
	case CodeSessionNotFound:
		return "That session has ended already."
	case CodeOAuthAccountNotLinked:
		return "That account is linked to another user. Sign in with it and unlink it there to link it here."
	}
	return errorMessage(c)
}

// handleAccountPage is GET /account. A visitor who is not signed in is
// sent to sign in, and back here afterwards.
func (a *Auth) handleAccountPage(w http.ResponseWriter, r *http.Request) {
	rq := a.newRequest(w, r)
	ctx := r.Context()
	self := rq.apiURL(a, accountPagePath)
	c, err := a.readSession(r, rq.jar)
	switch {
	case errors.Is(err, ErrStore):
		a.fail(w, rq, CodeConfiguration, err)
		return
	case err != nil:
		http.Redirect(w, r, a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"callbackUrl": {self}}), http.StatusFound)
		return
	}
	userID := c.session.User.ID
	ways, err := a.waysToSignIn(ctx, userID)
	if err != nil {
		a.fail(w, rq, CodeConfiguration, err)
		return
	}
	page := &accountPage{
		User: userOf(ways.user), Ways: ways.list, OnlyWay: ways.countFunc(a.signsIn) <= 1,
		LinkedURL: withQuery(self, url.Values{"done": {"linked"}}),
		UnlinkURL: rq.apiURL(a, "/accounts/unlink"), RevokeURL: rq.apiURL(a, "/sessions/revoke"),
	}
	for _, p := range a.cfg.Providers {
		if !slices.ContainsFunc(ways.list, func(l LinkedAccount) bool { return l.Provider == p.ID }) {
			page.Link = append(page.Link, providerData{ID: p.ID, Name: p.Name, SignInURL: rq.apiURL(a, "/signin/"+p.ID)})
		}
	}
	if a.recordsSessions() {
		rows, err := a.sessionRows(ctx, userID)
		if err != nil {
			a.fail(w, rq, CodeConfiguration, err)
			return
		}
		page.SessionsRecorded = true
		for _, row := range rows {
			s := accountSession{SessionInfo: row.info, Device: deviceName(row.info.UserAgent)}
			s.Current = row.id == c.id
			if p, ok := a.providers[s.Provider]; ok && p.Name != "" {
				s.Provider = p.Name
			}
			if c, ok := a.credentials[s.Provider]; ok {
				s.Provider = c.provider.Name
			}
			page.Sessions = append(page.Sessions, s)
		}
	}
	if a.twoFactorOn() {
		st, err := a.TwoFactorStatus(ctx, userID)
		if err != nil {
			a.fail(w, rq, CodeConfiguration, err)
			return
		}
		page.TwoFactor, page.TwoFactorURL = &st, rq.apiURL(a, twoFactorPath)
	}
	if a.passkeys != nil {
		page.PasskeysURL = rq.apiURL(a, passkeysPath)
	}
	q := r.URL.Query()
	if n, ok := doneNotices[q.Get("done")]; ok {
		page.Done, page.Notice = q.Get("done"), n
	}
	data := pageData{
		CSRFToken: a.csrfToken(rq), Home: rq.origin.String(), SignOutURL: rq.apiURL(a, "/signout"),
		CallbackURL: self, Account: page,
	}
	if code := Code(q.Get("error")); code != "" {
		data.Error, data.Message = code, accountMessage(code)
	}
	data.formAction = a.signInFormAction(ctx, rq)
	a.pages.render(w, http.StatusOK, "account", data)
}

// deviceName describes a browser by its user agent, roughly ("Chrome on
// Linux"); the user agent itself, shortened, when it is none it knows.
func deviceName(ua string) string {
	if ua == "" {
		return "Unknown browser"
	}
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"HeadlessChrome/", "Chrome (headless)"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "A browser on " + system
	}
	if len(ua) > 60 {
		cut := 60
		for cut > 0 && !utf8.RuneStart(ua[cut]) {
			cut--
		}
		return ua[:cut] + "…"
	}
	return ua
}
