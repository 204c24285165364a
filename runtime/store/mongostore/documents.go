package mongostore

import (
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
