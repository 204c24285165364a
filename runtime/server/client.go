package server

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"sync"
)

// clientScript is the browser client served at {basePath}/client.js
// (docs/CLIENT.md): plain JavaScript, no build step.
//
//go:embed client/client.js
var clientScript []byte

// ClientScriptPath is the path of the browser client under the base path.
const ClientScriptPath = "/client.js"

// Cache lifetimes of client.js: a year when asked for by its version
// (client.js?v=…, a new version is a new URL), else a few minutes, after
// which browsers revalidate with its ETag.
const (
	clientCacheVersioned = "public, max-age=31536000, immutable"
	clientCacheShort     = "public, max-age=300"
)

// clientVersion is the content hash of client.js: its ETag, and the v of
// ClientScriptURL.
var clientVersion = sync.OnceValue(func() string {
	sum := sha256.Sum256(clientScript)
	return hex.EncodeToString(sum[:12])
})

// ClientScriptURL is the URL path of the browser client for an API under
// basePath, with its content hash as the query, so that browsers may keep
// it for a year and a new version is fetched at once:
//
//	<script src="{{.ClientJS}}" defer></script>
//
// with ClientJS set to server.ClientScriptURL(auth.BasePath).
func ClientScriptURL(basePath string) string {
	return basePath + ClientScriptPath + "?v=" + clientVersion()
}

// handleClientScript is GET {basePath}/client.js: the script, with a
// strong ETag (If-None-Match answers 304), cached for a year when asked for
// by its current version and for a few minutes otherwise.
func (a *Auth) handleClientScript(w http.ResponseWriter, r *http.Request) {
	serveScript(w, r, "client.js", clientScript, clientVersion())
}
