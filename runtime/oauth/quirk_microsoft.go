package oauth

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// graphPhotoURL is the signed-in user's 48×48 profile photo, the size
// Auth.js asks for.
const graphPhotoURL = "https://graph.microsoft.com/v1.0/me/photos/48x48/$value"

// maxPhoto bounds the photo read: a 48×48 JPEG is a few kilobytes, and the
// image travels in the session.
const maxPhoto = 64 << 10

// MicrosoftGraphPhoto sets a Microsoft Entra ID user's image, when the
// mapping left it empty, to their Microsoft Graph profile photo (48×48) as
// a data: URL, as Auth.js does. It needs the User.Read scope. As in
// Auth.js, a user without a photo or a failed request leaves the image
// empty rather than failing the sign-in.
//
// Documentation: https://learn.microsoft.com/en-us/graph/api/profilephoto-get
func MicrosoftGraphPhoto(ctx context.Context, c *http.Client, _ *Provider, tok *oauth2.Token, u *User) error {
	if u.Image != "" {
		return nil
	}
	c = Guard(c)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, graphPhotoURL, nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", "authgen")
	tok.SetAuthHeader(req)
	resp, err := c.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	mediaType, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "image/") {
		mediaType = "image/jpeg"
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPhoto+1))
	if err != nil || len(body) == 0 || len(body) > maxPhoto {
		return nil
	}
	u.Image = "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(body)
	return nil
}
