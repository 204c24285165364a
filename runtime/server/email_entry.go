package server

// EmailProviderID is the provider ID of e-mail sign-in.
// TODO(11B): replaced by 11A's declaration and a.email once e-mail sign-in lands.
const EmailProviderID = "email"

// emailSignIn reports whether e-mail sign-in is on.
func (a *Auth) emailSignIn() bool { return false }
