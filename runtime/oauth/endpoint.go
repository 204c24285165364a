package oauth

import (
	"context"
	"net/http"
)

// AuthorizationEndpoint returns the URL Begin sends the browser to, without
// the query it adds: AuthorizationURL, or for an OpenID Connect provider
// without one the discovered authorization_endpoint (discovered through the
// provider's Discovery cache when it is not there yet). The built-in
// sign-in page names its origin in its Content-Security-Policy.
func (p *Provider) AuthorizationEndpoint(ctx context.Context, client *http.Client) (string, error) {
	if p.Type != TypeOIDC || p.AuthorizationURL != "" {
		return p.AuthorizationURL, nil
	}
	d, err := p.discover(ctx, client)
	if err != nil {
		return "", err
	}
	return p.endpoints(d).auth, nil
}
