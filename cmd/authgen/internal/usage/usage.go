// Package usage describes mistakes in how authgen was called — an unknown
// value of an enumerated flag, a malformed module path, a provider the
// catalog lacks — naming the flag as the user typed it and the nearest
// valid value, and marks them with ErrUsage so that the CLI exits with its
// usage code whichever command found them.
package usage

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/mod/module"

	"github.com/authgen/authgen/generator/catalog"
	"github.com/authgen/authgen/internal/suggest"
)

// ErrUsage is wrapped by every error that reports a mistake in the command
// line (flags, arguments) rather than a failure to do the work.
var ErrUsage = errors.New("usage error")

// mistake is an error marked as a usage error; its text is its cause's.
type mistake struct{ err error }

func (m mistake) Error() string        { return m.err.Error() }
func (m mistake) Unwrap() error        { return m.err }
func (m mistake) Is(target error) bool { return target == ErrUsage }

// Errorf formats an error (%w wraps as in fmt.Errorf) marked as a usage
// error.
func Errorf(format string, a ...any) error { return mistake{fmt.Errorf(format, a...)} }

// Wrap marks err as a usage error; nil stays nil.
func Wrap(err error) error {
	if err == nil || errors.Is(err, ErrUsage) {
		return err
	}
	return mistake{err}
}

// OneOf checks that value, given to flag (as typed: "--db"), is one of
// valid. The error names the nearest valid value and lists them all.
func OneOf(flag, value string, valid []string) error {
	for _, v := range valid {
		if value == v {
			return nil
		}
	}
	if s := suggest.Nearest(value, valid, 1); len(s) > 0 {
		return Errorf("%s %q is not a choice:%s (choose %s)", flag, value, didYouMean(s), OrList(valid))
	}
	return Errorf("%s %q is not a choice: choose %s", flag, value, OrList(valid))
}

// Module checks a module path given to flag with golang.org/x/mod's
// module.CheckPath, as the go command does before it accepts one.
func Module(flag, path string) error {
	err := module.CheckPath(path)
	if err == nil {
		return nil
	}
	var pe *module.InvalidPathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	name := fmt.Sprintf("%q", path)
	if flag != "" {
		name = flag + " " + name
	}
	return Errorf("%s is not a valid module path (%v): use a path such as example.com/myapp", name, err)
}

// URL checks an issuer or base URL given to flag: absolute https, or http
// on the loopback host; no credentials, query or fragment.
func URL(flag, raw string) error {
	name := fmt.Sprintf("%q", raw)
	if flag != "" {
		name = flag + " " + name
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return Errorf("%s: want an absolute URL such as https://idp.example.com", name)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback:
	case u.Scheme == "http":
		return Errorf("%s: must use https (http is allowed only for localhost and 127.0.0.1)", name)
	default:
		return Errorf("%s: must be an https URL", name)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return Errorf("%s: must not hold credentials, a query or a fragment", name)
	}
	return nil
}

// Provider checks that id, given to flag (or as an argument when flag is
// empty), is in the catalog.
func Provider(flag, id string) error {
	if _, ok := catalog.Lookup(id); ok {
		return nil
	}
	what := fmt.Sprintf("unknown provider %q", id)
	if flag != "" {
		what = fmt.Sprintf("%s %q: unknown provider", flag, id)
	}
	return Errorf("%s;%s run `authgen providers` for the catalog (\"oidc\" and \"oauth\" are any OpenID Connect or OAuth 2.0 provider)", what, didYouMean(catalog.Suggest(id, 3)))
}

// Suggest is " did you mean X?" for the candidate nearest to word, or "".
func Suggest(word string, candidates []string) string {
	return didYouMean(suggest.Nearest(word, candidates, 1))
}

// DidYouMean is " did you mean a, b or c?" for suggestions, or "".
func DidYouMean(suggestions []string) string { return didYouMean(suggestions) }

func didYouMean(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return " did you mean " + OrList(s) + "?"
}

// OrList joins items as "a, b or c".
func OrList(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
