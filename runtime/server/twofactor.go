package server

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authgen/authgen/runtime/atrest"
	"github.com/authgen/authgen/runtime/cookie"
	"github.com/authgen/authgen/runtime/store"
	"github.com/authgen/authgen/runtime/totp"
)

// TwoFactorMode says who signs in with a second factor.
type TwoFactorMode string

// The modes of two-factor sign-in.
const (
	// TwoFactorOff: no second factor, and no /2fa routes.
	TwoFactorOff TwoFactorMode = "off"
	// TwoFactorOptional: users who enrolled sign in with a code (or one
	// of their passkeys) after the first factor; the others sign in as
	// before.
	TwoFactorOptional TwoFactorMode = "optional"
	// TwoFactorRequired: every user signs in with a code or a passkey;
	// one who has neither is sent to enrol (an app, or a passkey) after
	// the first factor, before any session exists.
	TwoFactorRequired TwoFactorMode = "required"
)

// TwoFactor configures two-factor sign-in with TOTP (RFC 6238, package
// totp): a signed-in user enrols at {basePath}/2fa with an authenticator
// app, and from then on a sign-in with any provider only creates the
// session after a code from the app (or one of 10 single-use recovery
// codes).
type TwoFactor struct {
	// Mode is TwoFactorOptional, TwoFactorRequired, or TwoFactorOff (also
	// the empty value).
	Mode TwoFactorMode
	// Issuer names the application in authenticator apps; default
	// Theme.AppName, else the host of URL.
	Issuer string
	// QRCode returns the QR code of text as rows of modules (true: dark),
	// without the quiet zone, which the page adds; the server draws it as
	// an inline SVG. Nil shows no image: the page shows the secret and the
	// otpauth:// link, which phones open in their authenticator app. The
	// core runtime has no QR encoder; the module runtime/qrcode's Matrix is
	// one (docs/ARCHITECTURE.md, "TOTP").
	QRCode func(text string) ([][]bool, error)
}

// Errors of the two-factor runtime calls.
var (
	// ErrTwoFactorCode: the TOTP or recovery code is wrong, or was used
	// already.
	ErrTwoFactorCode = errors.New("server: two-factor code wrong or used already")
	// ErrTwoFactorNotEnabled: the user has no enabled second factor (or,
	// for ConfirmTwoFactor, no enrolment to confirm).
	ErrTwoFactorNotEnabled = errors.New("server: two-factor sign-in is not enabled for the user")
	// ErrTwoFactorEnabled: the user's second factor is enabled already;
	// disable it first to enrol again.
	ErrTwoFactorEnabled = errors.New("server: two-factor sign-in is enabled already")
)

// RecoveryCodeCount is how many recovery codes a user gets.
const RecoveryCodeCount = 10

// pendingTwoFactorTTL is how long a sign-in waits for its second factor.
const pendingTwoFactorTTL = 10 * time.Minute

// maxTwoFactorAttempts is how many codes one pending sign-in may try.
const maxTwoFactorAttempts = 5

// twoFactorProvider is the provider and field that TOTP secrets are sealed
// under (package atrest), with the user's ID as account: a secret copied to
// another user's row does not open.
const (
	twoFactorProvider = "totp"
	twoFactorField    = atrest.Field("totp_secret")
)

// twoFactorPath and its children are the two-factor routes.
const twoFactorPath = "/2fa"

// checkTwoFactor validates Config.TwoFactor.
func (c *Config) checkTwoFactor() []string {
	tf := c.TwoFactor
	if tf == nil {
		return nil
	}
	switch tf.Mode {
	case "", TwoFactorOff:
		tf.Mode = TwoFactorOff
		return nil
	case TwoFactorOptional, TwoFactorRequired:
	default:
		return []string{fmt.Sprintf("TwoFactor.Mode %q is none of %q, %q, %q", tf.Mode, TwoFactorOptional, TwoFactorRequired, TwoFactorOff)}
	}
	if c.Users == nil {
		return []string{"TwoFactor needs Users, which keep the second factors"}
	}
	var problems []string
	if _, ok := c.Users.(store.TwoFactors); !ok {
		problems = append(problems, fmt.Sprintf("TwoFactor needs Users that implement store.TwoFactors; %T does not", c.Users))
	}
	if _, ok := c.Users.(store.VerificationTokens); !ok {
		problems = append(problems, fmt.Sprintf("TwoFactor needs Users that implement store.VerificationTokens (the pending sign-ins' attempts); %T does not", c.Users))
	}
	return problems
}

// twoFactorOn reports whether two-factor sign-in is on.
func (a *Auth) twoFactorOn() bool {
	return a.cfg.TwoFactor != nil && a.cfg.TwoFactor.Mode != TwoFactorOff
}

// TwoFactorStatus is a user's two-factor state.
type TwoFactorStatus struct {
	// Enabled: sign-ins ask for a code.
	Enabled bool
	// Pending: an enrolment waits for its first code.
	Pending bool
	// RecoveryCodes is how many unused recovery codes remain.
	RecoveryCodes int
}

// TwoFactorEnrolment is a new, unconfirmed second factor: what an
// authenticator app needs.
type TwoFactorEnrolment struct {
	// Secret is the TOTP secret in base32, for typing into an app.
	Secret string
	// URI is the otpauth:// URI a QR code carries.
	URI string
}

// TwoFactorStatus returns the user's two-factor state.
func (a *Auth) TwoFactorStatus(ctx context.Context, userID string) (TwoFactorStatus, error) {
	if !a.twoFactorOn() {
		return TwoFactorStatus{}, fmt.Errorf("%w: two-factor sign-in is off", ErrConfig)
	}
	f, err := a.twoFactors.GetTwoFactor(ctx, userID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return TwoFactorStatus{}, nil
	case err != nil:
		return TwoFactorStatus{}, fmt.Errorf("%w: two-factor status: %w", ErrStore, err)
	}
	return TwoFactorStatus{Enabled: f.Enabled, Pending: !f.Enabled, RecoveryCodes: f.RecoveryCodes}, nil
}

// BeginTwoFactor starts the user's enrolment with a new secret, replacing
// an enrolment not yet confirmed: ErrTwoFactorEnabled when one is enabled.
// The secret is stored sealed; ConfirmTwoFactor enables it.
func (a *Auth) BeginTwoFactor(ctx context.Context, user User) (*TwoFactorEnrolment, error) {
	if !a.twoFactorOn() {
		return nil, fmt.Errorf("%w: two-factor sign-in is off", ErrConfig)
	}
	secret := totp.NewSecret()
	sealed := a.sealer.Seal(secret, twoFactorField, twoFactorProvider, user.ID)
	err := a.twoFactors.BeginTwoFactor(ctx, user.ID, sealed, a.cfg.Now())
	switch {
	case errors.Is(err, store.ErrConflict):
		return nil, ErrTwoFactorEnabled
	case err != nil:
		return nil, fmt.Errorf("%w: begin two-factor: %w", ErrStore, err)
	}
	return &TwoFactorEnrolment{Secret: secret, URI: totp.URI(a.issuer(), accountLabel(user), secret)}, nil
}

// Enrolment returns the user's enrolment waiting for its first code:
// ErrTwoFactorNotEnabled when the user has no second factor at all,
// ErrTwoFactorEnabled when it is confirmed already.
func (a *Auth) Enrolment(ctx context.Context, user User) (*TwoFactorEnrolment, error) {
	f, secret, err := a.factor(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	if f.Enabled {
		return nil, ErrTwoFactorEnabled
	}
	return &TwoFactorEnrolment{Secret: secret, URI: totp.URI(a.issuer(), accountLabel(user), secret)}, nil
}

// ConfirmTwoFactor enables the user's enrolment with its first code and
// returns the 10 recovery codes, which are stored hashed and cannot be
// shown again: ErrTwoFactorCode for a wrong code, ErrTwoFactorNotEnabled
// without an enrolment (or when a new one replaced it meanwhile: the code
// was checked against the old secret).
func (a *Auth) ConfirmTwoFactor(ctx context.Context, userID, code string) ([]string, error) {
	f, secret, err := a.factor(ctx, userID)
	if err != nil {
		return nil, err
	}
	if f.Enabled {
		return nil, ErrTwoFactorEnabled
	}
	step, ok, err := totp.Verify(secret, code, a.cfg.Now())
	if err != nil {
		return nil, fmt.Errorf("server: two-factor secret of user %s: %w", userID, err)
	}
	if !ok {
		return nil, ErrTwoFactorCode
	}
	codes, hashes := newRecoveryCodes()
	err = a.twoFactors.EnableTwoFactor(ctx, userID, f.Secret, step, hashes)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ErrTwoFactorNotEnabled
	case err != nil:
		return nil, fmt.Errorf("%w: enable two-factor: %w", ErrStore, err)
	}
	return codes, nil
}

// DisableTwoFactor turns the user's second factor off with a current code
// or a recovery code: ErrTwoFactorCode for a wrong or used one,
// ErrTwoFactorNotEnabled when it is not on. An enrolment not yet confirmed
// is left as it is: it asks nothing at sign-in, the next BeginTwoFactor
// replaces it, and deleting it without a code could delete the factor a
// confirmation enabled in between.
func (a *Auth) DisableTwoFactor(ctx context.Context, userID, code string) error {
	if err := a.useSecondFactor(ctx, userID, code); err != nil {
		return err
	}
	if err := a.twoFactors.DeleteTwoFactor(ctx, userID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: delete two-factor: %w", ErrStore, err)
	}
	return nil
}

// RegenerateRecoveryCodes replaces the user's recovery codes, after a
// current code or a recovery code (which is used up), and returns the new
// ones.
func (a *Auth) RegenerateRecoveryCodes(ctx context.Context, userID, code string) ([]string, error) {
	if err := a.useSecondFactor(ctx, userID, code); err != nil {
		return nil, err
	}
	codes, hashes := newRecoveryCodes()
	err := a.twoFactors.ReplaceRecoveryCodes(ctx, userID, hashes)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ErrTwoFactorNotEnabled
	case err != nil:
		return nil, fmt.Errorf("%w: replace recovery codes: %w", ErrStore, err)
	}
	return codes, nil
}

// factor returns the user's second factor with its opened secret.
func (a *Auth) factor(ctx context.Context, userID string) (*store.TwoFactor, string, error) {
	if !a.twoFactorOn() {
		return nil, "", fmt.Errorf("%w: two-factor sign-in is off", ErrConfig)
	}
	f, err := a.twoFactors.GetTwoFactor(ctx, userID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, "", ErrTwoFactorNotEnabled
	case err != nil:
		return nil, "", fmt.Errorf("%w: two-factor: %w", ErrStore, err)
	}
	secret, err := a.sealer.Open(f.Secret, twoFactorField, twoFactorProvider, userID, a.cfg.Now())
	if err != nil {
		return nil, "", fmt.Errorf("server: two-factor secret of user %s: %w", userID, err)
	}
	return f, secret, nil
}

// useSecondFactor checks a code against the user's enabled second factor
// and uses it up: a TOTP code (six digits) records its time step, so it is
// accepted once; anything else is taken for a recovery code and deleted.
// A wrong, replayed or used code is ErrTwoFactorCode.
func (a *Auth) useSecondFactor(ctx context.Context, userID, code string) error {
	f, secret, err := a.factor(ctx, userID)
	if err != nil {
		return err
	}
	if !f.Enabled {
		return ErrTwoFactorNotEnabled
	}
	if digits := strings.ReplaceAll(strings.TrimSpace(code), " ", ""); len(digits) == totp.Digits && strings.Trim(digits, "0123456789") == "" {
		step, ok, err := totp.Verify(secret, digits, a.cfg.Now())
		if err != nil {
			return fmt.Errorf("server: two-factor secret of user %s: %w", userID, err)
		}
		if !ok {
			return ErrTwoFactorCode
		}
		err = a.twoFactors.UseTwoFactorStep(ctx, userID, step)
		switch {
		case errors.Is(err, store.ErrConflict):
			a.log.WarnContext(ctx, "authgen: two-factor: a code used already was tried again", "user", userID)
			return ErrTwoFactorCode
		case errors.Is(err, store.ErrNotFound):
			return ErrTwoFactorNotEnabled
		case err != nil:
			return fmt.Errorf("%w: use two-factor step: %w", ErrStore, err)
		}
		return nil
	}
	norm := normalizeRecoveryCode(code)
	if norm == "" {
		return ErrTwoFactorCode
	}
	err = a.twoFactors.UseRecoveryCode(ctx, userID, store.HashToken(norm))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrTwoFactorCode
	case err != nil:
		return fmt.Errorf("%w: use recovery code: %w", ErrStore, err)
	}
	a.log.InfoContext(ctx, "authgen: two-factor: a recovery code was used", "user", userID)
	return nil
}

// recoveryEncoding writes recovery codes: base32 without the padding,
// upper case, 80 random bits in 16 characters, shown in groups of four.
var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCodes returns RecoveryCodeCount new codes as shown
// ("ABCD-EFGH-IJKL-MNOP") and their hashes as stored.
func newRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		_, _ = rand.Read(b) // never fails
		raw := recoveryEncoding.EncodeToString(b)
		codes = append(codes, raw[:4]+"-"+raw[4:8]+"-"+raw[8:12]+"-"+raw[12:])
		hashes = append(hashes, store.HashToken(raw))
	}
	return codes, hashes
}

// normalizeRecoveryCode returns a typed recovery code without dashes and
// spaces, in upper case; "" when it cannot be one.
func normalizeRecoveryCode(code string) string {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	if len(c) != 16 {
		return ""
	}
	if _, err := recoveryEncoding.DecodeString(c); err != nil {
		return ""
	}
	return c
}

// issuer names the application in authenticator apps.
func (a *Auth) issuer() string {
	if a.cfg.TwoFactor.Issuer != "" {
		return a.cfg.TwoFactor.Issuer
	}
	if a.cfg.Theme.AppName != "" {
		return a.cfg.Theme.AppName
	}
	return a.cfg.URL.Hostname()
}

// accountLabel names the user in authenticator apps.
func accountLabel(u User) string {
	switch {
	case u.Email != "":
		return u.Email
	case u.Name != "":
		return u.Name
	}
	return u.ID
}

// pendingTwoFactor is a sign-in waiting for its second factor, sealed in
// the TwoFactor cookie. Its attempts are counted server-side on a
// verification token whose hash is of ID, so replaying the cookie resets
// nothing, and using the token ends the sign-in once.
type pendingTwoFactor struct {
	ID       string `json:"id"`
	User     string `json:"u"`
	Provider string `json:"p"`
	New      bool   `json:"n,omitempty"`
	// Enrol: the user has no second factor and must enrol before the
	// session starts (TwoFactorRequired).
	Enrol bool `json:"e,omitempty"`
	// Except is the passkey of the first step (a sign-in with a passkey
	// whose authenticator did not verify the user), which cannot be the
	// second.
	Except string `json:"x,omitempty"`
}

// identifier is the verification token's identifier of a pending sign-in.
func (p *pendingTwoFactor) identifier() string { return "two-factor:" + p.User }

// secondFactorNeeded decides, after the first factor, whether user's
// sign-in waits for a second one. When it does it stores the pending
// sign-in, sets its cookie, sends the browser to the code page (or to
// enrolment) and returns true; the caller then stops. A browser signed in
// as the same user already (linking another account) is not asked again.
func (a *Auth) secondFactorNeeded(rq *request, user User, provider string, isNew bool, previous *current) bool {
	if !a.twoFactorOn() || rq.secondFactorDone || (previous != nil && previous.session.User.ID == user.ID) {
		return false
	}
	ctx := rq.r.Context()
	f, err := a.twoFactors.GetTwoFactor(ctx, user.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		f = nil
	case err != nil:
		a.fail(rq.w, rq, CodeCallback, fmt.Errorf("%w: two-factor: %w", ErrStore, err))
		return true
	}
	enabled := f != nil && f.Enabled
	if !enabled && a.cfg.TwoFactor.Mode != TwoFactorRequired {
		return false
	}
	// TwoFactorRequired: without an app, a passkey is a second step too.
	enrol := false
	if !enabled {
		hasPasskey, err := a.hasPasskey(ctx, user.ID, rq.passkeyUsed)
		if err != nil {
			a.fail(rq.w, rq, CodeCallback, err)
			return true
		}
		enrol = !hasPasskey
	}
	p := pendingTwoFactor{ID: random32(), User: user.ID, Provider: provider, New: isNew, Enrol: enrol, Except: rq.passkeyUsed}
	expires := a.cfg.Now().Add(pendingTwoFactorTTL)
	if err := a.twoFactorTokens().CreateVerificationToken(ctx, store.VerificationToken{
		Identifier: p.identifier(), TokenHash: store.HashToken(p.ID), Expires: expires,
	}); err != nil {
		a.fail(rq.w, rq, CodeCallback, fmt.Errorf("%w: two-factor: store the pending sign-in: %w", ErrStore, err))
		return true
	}
	payload, _ := json.Marshal(p) // strings and booleans
	sealed, err := a.sealCheck(cookie.TwoFactor, twoFactorProvider, string(payload), expires)
	if err != nil {
		a.fail(rq.w, rq, CodeCallback, fmt.Errorf("two-factor: seal the pending sign-in: %w", err))
		return true
	}
	rq.jar.Set(rq.w, cookie.TwoFactor, sealed, expires)
	target := rq.apiURL(a, twoFactorPath+"/verify")
	if p.Enrol {
		target = rq.apiURL(a, twoFactorSetUpPath(true))
	}
	rq.redirectTo(target, http.StatusOK)
	return true
}

// twoFactorTokens is where pending sign-ins count their attempts.
func (a *Auth) twoFactorTokens() store.VerificationTokens {
	return a.twoFactors.(store.VerificationTokens)
}

// pendingSignIn returns the browser's pending sign-in: nil when its cookie
// is missing, does not open (tampered, another key set) or expired.
func (a *Auth) pendingSignIn(rq *request) *pendingTwoFactor {
	raw := a.openCheck(rq, cookie.TwoFactor, twoFactorProvider)
	if raw == "" {
		return nil
	}
	var p pendingTwoFactor
	if json.Unmarshal([]byte(raw), &p) != nil || p.ID == "" || p.User == "" {
		return nil
	}
	return &p
}

// countPendingAttempt counts an attempt at the pending sign-in, server
// side. It returns false (and ends the sign-in) when the sign-in is gone,
// expired or past maxTwoFactorAttempts; errors are the store's.
func (a *Auth) countPendingAttempt(ctx context.Context, p *pendingTwoFactor) (bool, error) {
	tokens := a.twoFactorTokens()
	t, err := tokens.CountVerificationAttempt(ctx, p.identifier(), store.HashToken(p.ID))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("%w: two-factor: count the attempt: %w", ErrStore, err)
	}
	if t.Attempts > maxTwoFactorAttempts || !a.cfg.Now().Before(t.Expires) {
		if _, err := tokens.UseVerificationToken(ctx, p.identifier(), store.HashToken(p.ID)); err != nil && !errors.Is(err, store.ErrNotFound) {
			a.log.WarnContext(ctx, "authgen: two-factor: ending a sign-in past its attempts", "error", err)
		}
		return false, nil
	}
	return true, nil
}

// endPending uses up the pending sign-in, once: false when it was used
// meanwhile (a concurrent right code).
func (a *Auth) endPending(ctx context.Context, p *pendingTwoFactor) (bool, error) {
	_, err := a.twoFactorTokens().UseVerificationToken(ctx, p.identifier(), store.HashToken(p.ID))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("%w: two-factor: end the pending sign-in: %w", ErrStore, err)
	}
	return true, nil
}

// deadPending ends the browser's pending sign-in and sends it to sign in
// again.
func (a *Auth) deadPending(rq *request, why string) {
	rq.jar.Delete(rq.w, cookie.TwoFactor)
	if rq.jsonResponse {
		writeJSON(rq.w, http.StatusUnauthorized, map[string]string{"error": string(CodeTwoFactor), "url": a.pageURL(rq, a.cfg.Pages.SignIn, "/signin", url.Values{"error": {string(CodeTwoFactor)}})})
		a.log.WarnContext(rq.r.Context(), "authgen: two-factor sign-in ended", "why", why)
		return
	}
	a.fail(rq.w, rq, CodeTwoFactor, errors.New("two-factor: "+why))
}

// finishPending starts the session of a pending sign-in whose second
// factor was given (or enrolled): the same end as every sign-in's.
func (a *Auth) finishPending(rq *request, p *pendingTwoFactor, then func(target string)) {
	ctx := rq.r.Context()
	rq.jar.Delete(rq.w, cookie.TwoFactor)
	previous, err := a.readSession(rq.r, rq.jar)
	if errors.Is(err, ErrStore) {
		a.fail(rq.w, rq, CodeCallback, err)
		return
	}
	u, err := a.cfg.Users.GetUser(ctx, p.User)
	if err != nil {
		a.fail(rq.w, rq, CodeCallback, fmt.Errorf("%w: two-factor: the user: %w", ErrStore, err))
		return
	}
	user := userOf(u)
	if err := a.startSession(rq, user, p.Provider, nil, p.New); err != nil {
		a.fail(rq.w, rq, CodeCallback, err)
		return
	}
	if previous != nil {
		if err := a.endSessions(ctx, previous, false); err != nil {
			a.log.WarnContext(ctx, "authgen: ending the session a sign-in replaced", "error", err)
		}
	}
	a.rotateCSRF(rq)
	a.emitSignIn(ctx, SignInEvent{User: user, Provider: p.Provider, IsNewUser: p.New})
	target := a.callbackURL(rq)
	if p.New && a.cfg.Pages.NewUser != "" {
		target = withQuery(a.cfg.Pages.NewUser, url.Values{"callbackUrl": {target}})
	}
	then(target)
}

// twoFactorPage is what the two-factor pages show.
type twoFactorPage struct {
	// Status of the user (the manage page).
	Status TwoFactorStatus
	// Enrolment waiting for its first code, with its QR code.
	Enrolment *TwoFactorEnrolment
	QR        template.HTML
	// OTPAuth is the enrolment's otpauth:// URI as a link (a scheme
	// html/template does not pass otherwise; the URI is the server's own).
	OTPAuth template.URL
	// RecoveryCodes just issued (shown once).
	RecoveryCodes []string
	// Continue is where the recovery codes page leads.
	Continue string
	// Pending: the page serves a sign-in waiting for its second factor
	// (no session yet).
	Pending bool
	// The forms' actions.
	EnrollURL, ConfirmURL, DisableURL, RegenerateURL, VerifyURL string
	// WrongCode: the code typed last was wrong or used.
	WrongCode bool
	// CodeForm: the code page asks for a code (the user has an app).
	CodeForm bool
	// Passkey, on the code page, answers with one of the user's passkeys
	// (nil: they have none).
	Passkey *passkeySignIn
	// AddPasskey, on the set-up page of a pending sign-in, adds a passkey
	// instead of an app (nil: passkeys are off).
	AddPasskey *passkeySignIn
	// PasskeysURL, on the manage page with passkeys on, is the passkeys
	// page: they answer the second step too.
	PasskeysURL string
	// Notice after an action.
	Notice string
}

// qrSVG draws a QR code matrix as an inline SVG with a quiet zone of four
// modules; "" without Config.TwoFactor.QRCode or when it fails.
func (a *Auth) qrSVG(ctx context.Context, text string) template.HTML {
	f := a.cfg.TwoFactor.QRCode
	if f == nil {
		return ""
	}
	m, err := f(text)
	if err != nil || len(m) == 0 {
		a.log.WarnContext(ctx, "authgen: two-factor: drawing the QR code", "error", err)
		return ""
	}
	const quiet = 4
	size := len(m) + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="qr" role="img" aria-label="QR code for your authenticator app" viewBox="0 0 %d %d" width="240" height="240" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, size, size, size, size)
	for y, row := range m {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers only, written here
}
