package mongostore

import (
	"strconv"
	"time"

	"github.com/authgen/authgen/runtime/store"
)

// userDoc is a user as stored. Empty fields are left out: a user without an
// e-mail address has no email field, so the sparse unique index skips it.
type userDoc struct {
	ID            string     `bson:"_id"`
	Name          string     `bson:"name,omitempty"`
	Email         string     `bson:"email,omitempty"`
	EmailVerified *time.Time `bson:"emailVerified,omitempty"`
	Image         string     `bson:"image,omitempty"`
}

// newUserDoc returns u as stored.
func newUserDoc(u store.User) userDoc {
	d := userDoc{ID: u.ID, Name: u.Name, Email: u.Email, Image: u.Image}
	if u.EmailVerified != nil {
		// BSON keeps milliseconds.
		t := u.EmailVerified.UTC().Truncate(time.Millisecond)
		d.EmailVerified = &t
	}
	return d
}

// user returns the stored user.
func (d *userDoc) user() *store.User {
	return &store.User{ID: d.ID, Name: d.Name, Email: d.Email, EmailVerified: d.EmailVerified, Image: d.Image}
}

// accountDoc is a linked provider account as stored; its _id is accountKey.
type accountDoc struct {
	ID                string        `bson:"_id"`
	UserID            string        `bson:"userId"`
	Type              string        `bson:"type"`
	Provider          string        `bson:"provider"`
	ProviderAccountID string        `bson:"providerAccountId"`
	Tokens            accountTokens `bson:",inline"`
	// Linked is when the account was inserted, by the store's clock: what
	// GetUserByAccount judges a half-done first sign-in by.
	Linked time.Time `bson:"linked"`
	// LinkedAt is store.Account.LinkedAt, as the caller gave it; left out
	// when zero. Step 4 of Migrate gave the accounts stored before it their
	// Linked time.
	LinkedAt time.Time `bson:"linkedAt,omitempty"`
}

// accountTokens are the fields UpdateAccount replaces, named as in Auth.js's
// schema.
type accountTokens struct {
	RefreshToken string `bson:"refresh_token"`
	AccessToken  string `bson:"access_token"`
	ExpiresAt    int64  `bson:"expires_at"`
	TokenType    string `bson:"token_type"`
	Scope        string `bson:"scope"`
	IDToken      string `bson:"id_token"`
	SessionState string `bson:"session_state"`
	TokenSecret  string `bson:"oauth_token_secret"`
}

// accountKey is the _id of a provider account. Provider IDs have no NUL
// byte, so no two accounts share one.
func accountKey(provider, providerAccountID string) string {
	return provider + "\x00" + providerAccountID
}

// newAccountDoc returns a as stored, linked at the time given.
func newAccountDoc(a store.Account, linked time.Time) accountDoc {
	return accountDoc{
		ID:                accountKey(a.Provider, a.ProviderAccountID),
		UserID:            a.UserID,
		Type:              a.Type,
		Provider:          a.Provider,
		ProviderAccountID: a.ProviderAccountID,
		Tokens:            tokensOf(a),
		Linked:            linked,
		LinkedAt:          a.LinkedAt,
	}
}

// tokensOf returns the token fields of a as stored.
func tokensOf(a store.Account) accountTokens {
	return accountTokens{
		RefreshToken: a.RefreshToken,
		AccessToken:  a.AccessToken,
		ExpiresAt:    a.ExpiresAt,
		TokenType:    a.TokenType,
		Scope:        a.Scope,
		IDToken:      a.IDToken,
		SessionState: a.SessionState,
		TokenSecret:  a.TokenSecret,
	}
}

// account returns the stored account.
func (d *accountDoc) account() store.Account {
	t := d.Tokens
	return store.Account{
		UserID:            d.UserID,
		Type:              d.Type,
		Provider:          d.Provider,
		ProviderAccountID: d.ProviderAccountID,
		RefreshToken:      t.RefreshToken,
		AccessToken:       t.AccessToken,
		ExpiresAt:         t.ExpiresAt,
		TokenType:         t.TokenType,
		Scope:             t.Scope,
		IDToken:           t.IDToken,
		SessionState:      t.SessionState,
		TokenSecret:       t.TokenSecret,
		LinkedAt:          d.LinkedAt,
	}
}

// sessionDoc is a session as stored; its _id is the session's ID.
type sessionDoc struct {
	ID     string `bson:"_id"`
	UserID string `bson:"userId"`
	// Provider is "" in sessions stored before sessions had one.
	Provider string    `bson:"provider"`
	Expires  time.Time `bson:"expires"`
	// CreatedAt is left out when zero; step 3 of Migrate gave the sessions
	// stored before it the time of the migration.
	CreatedAt time.Time `bson:"createdAt,omitempty"`
	UserAgent string    `bson:"userAgent"`
	IP        string    `bson:"ip"`
}

// newSessionDoc returns se as stored.
func newSessionDoc(se store.Session) sessionDoc {
	return sessionDoc{ID: se.ID, UserID: se.UserID, Provider: se.Provider, Expires: se.Expires,
		CreatedAt: se.CreatedAt, UserAgent: se.UserAgent, IP: se.IP}
}

// session returns the stored session.
func (d *sessionDoc) session() store.Session {
	return store.Session{ID: d.ID, UserID: d.UserID, Provider: d.Provider, Expires: d.Expires,
		CreatedAt: d.CreatedAt, UserAgent: d.UserAgent, IP: d.IP}
}

// verificationDoc is a verification token as stored; its _id is the token's hash.
type verificationDoc struct {
	TokenHash  string    `bson:"_id"`
	Identifier string    `bson:"identifier"`
	Expires    time.Time `bson:"expires"`
	// Attempts are the attempts the token was created with; those counted
	// since are documents of the attempts collection. Absent (0) in a
	// token stored before step 4 of Migrate.
	Attempts int `bson:"attempts"`
}

// attemptDoc is one sign-in code tried against a token: its _id is the
// token's hash, ":" and the attempt's number, so two attempts never get
// one number.
type attemptDoc struct {
	ID    string `bson:"_id"`
	Token string `bson:"token"`
}

// token returns the stored token with the attempts counted since it was
// created.
func (d *verificationDoc) token(counted int) *store.VerificationToken {
	return &store.VerificationToken{Identifier: d.Identifier, TokenHash: d.TokenHash, Expires: d.Expires, Attempts: d.Attempts + counted}
}

// factorDoc is a user's second factor as stored; its _id is the user's ID.
type factorDoc struct {
	UserID string `bson:"_id"`
	// Enrolment is a random ID that BeginTwoFactor gives each new factor:
	// the claims and recovery codes of the factor name it.
	Enrolment string    `bson:"enrolment"`
	Secret    string    `bson:"secret"`
	CreatedAt time.Time `bson:"createdAt"`
}

// Kinds of claimDoc.
const (
	// claimEnd ends an enrolment: enabled by EnableTwoFactor, or replaced
	// by BeginTwoFactor.
	claimEnd = "end"
	// claimStep is a time step used by UseTwoFactorStep.
	claimStep = "step"
	// claimCodes is a set of recovery codes of ReplaceRecoveryCodes.
	claimCodes = "codes"
)

// claimDoc is a document whose insertion under a unique _id decides a race
// of second-factor calls (see twofactor.go).
type claimDoc struct {
	ID        string `bson:"_id"`
	UserID    string `bson:"userId"`
	Enrolment string `bson:"enrolment"`
	Kind      string `bson:"kind"`
	// Enabled says how an enrolment ended (claimEnd): enabled, or replaced.
	Enabled bool `bson:"enabled,omitempty"`
	// Step is the time step of a claimStep, or the confirmation's of an
	// enabled claimEnd.
	Step int64 `bson:"step,omitempty"`
	// Gen numbers the sets of recovery codes of an enrolment: 1 is
	// EnableTwoFactor's (in its claimEnd), then each claimCodes the next.
	Gen int64 `bson:"gen,omitempty"`
	// Codes is the ID of the set of recovery codes numbered Gen.
	Codes string `bson:"codes,omitempty"`
}

// recoveryCodeDoc is an unused recovery code as stored; its _id is
// codeKey.
type recoveryCodeDoc struct {
	ID        string `bson:"_id"`
	UserID    string `bson:"userId"`
	Enrolment string `bson:"enrolment"`
	// Set is the ID of the code's set: only the codes of the set an
	// enrolment's claims name last count.
	Set string `bson:"set"`
}

// endKey is the _id of the claim that ends an enrolment.
func endKey(enrolment string) string { return enrolment + "/end" }

// stepKey is the _id of the claim of a time step used.
func stepKey(enrolment string, step int64) string {
	return enrolment + "/step/" + strconv.FormatInt(step, 10)
}

// codesKey is the _id of the claim of a set of recovery codes.
func codesKey(enrolment string, gen int64) string {
	return enrolment + "/codes/" + strconv.FormatInt(gen, 10)
}

// codeKey is the _id of a recovery code: the user's ID, its set's and its
// hash.
func codeKey(userID, set, hash string) string { return userID + ":" + set + ":" + hash }
