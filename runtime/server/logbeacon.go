package server

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// logPath is where next-auth v4's client posts its log beacons
// (utils/logger.js#proxyLogger: navigator.sendBeacon, or fetch with
// keepalive, of URLSearchParams{level, code, ...metadata}).
const logPath = "/_log"

// maxLogBeaconBytes bounds a log beacon's body; a larger one is 413.
const maxLogBeaconBytes = 8 << 10

// maxLogCodeLen bounds the code logged from a beacon.
const maxLogCodeLen = 64

// logLevels are the levels next-auth v4's logger has; any other is logged
// as "unknown".
var logLevels = map[string]bool{"error": true, "warn": true, "debug": true}

// handleLog is POST /_log: a next-auth v4 client's log beacon. It needs no
// CSRF token (the client sends none, and next-auth v4 checks none); it is
// logged at debug level with its level and code alone — a client's
// message, stack and URL are not logged, so nothing a page put there
// reaches the logs — and answered 204. Other methods are 405, a body over
// maxLogBeaconBytes 413, a body neither a form nor JSON 415, and one that
// does not parse 400.
func (a *Auth) handleLog(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Error: "+logPath+" accepts POST only.", http.StatusMethodNotAllowed)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLogBeaconBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "Error: the log beacon is over 8 KB.", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "Error: the log beacon could not be read.", http.StatusBadRequest)
		return
	}
	level, code, err := parseLogBeacon(r.Header.Get("Content-Type"), data)
	if errors.Is(err, errLogMediaType) {
		http.Error(w, "Error: a log beacon is a form (application/x-www-form-urlencoded) or JSON.", http.StatusUnsupportedMediaType)
		return
	}
	if err != nil {
		http.Error(w, "Error: the log beacon does not parse.", http.StatusBadRequest)
		return
	}
	a.log.DebugContext(r.Context(), "authgen: client log", "level", level, "code", code)
	w.WriteHeader(http.StatusNoContent)
}

// errLogMediaType: a log beacon's body is neither a form nor JSON.
var errLogMediaType = errors.New("log beacon: not a form or JSON")

// parseLogBeacon returns a beacon's level and code, made safe to log: the
// level one of logLevels or "unknown", the code letters, digits and _ at
// most maxLogCodeLen long.
func parseLogBeacon(contentType string, data []byte) (level, code string, err error) {
	ct, _, _ := mime.ParseMediaType(contentType)
	switch ct {
	case "application/x-www-form-urlencoded", "text/plain", "":
		// sendBeacon with URLSearchParams sends a form; text/plain and no
		// type are what a string body gets.
		v, err := url.ParseQuery(string(data))
		if err != nil {
			return "", "", err
		}
		level, code = v.Get("level"), v.Get("code")
	case "application/json":
		var m struct {
			Level any `json:"level"`
			Code  any `json:"code"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return "", "", err
		}
		level, _ = m.Level.(string)
		code, _ = m.Code.(string)
	default:
		return "", "", errLogMediaType
	}
	if !logLevels[level] {
		level = "unknown"
	}
	return level, safeLogCode(code), nil
}

// safeLogCode keeps a code's letters, digits and underscores, at most
// maxLogCodeLen of them.
func safeLogCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() == maxLogCodeLen {
			break
		}
		if r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
