package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// The rules for the values of Theme, Pages and TrustedOrigins. New applies
// them; authgen.yaml's validation calls the same functions, so a manifest is
// refused by the rule the server would apply. Each error explains the
// problem and shows a valid value; it does not name the field, which the
// caller knows.

// hexColor is #rgb, #rgba, #rrggbb or #rrggbbaa.
var hexColor = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)

// CheckColor checks a Theme.Brand colour. It lands in the pages' style
// sheet, so only a hex colour (#rgb, #rgba, #rrggbb, #rrggbbaa) or a CSS
// named colour (teal, rebeccapurple, …) is accepted: nothing that could end
// the declaration or load anything.
func CheckColor(s string) error {
	if hexColor.MatchString(s) || cssColors[strings.ToLower(s)] {
		return nil
	}
	return fmt.Errorf("%q is not a CSS colour: write #rrggbb (such as #0f766e), #rgb, or a colour name such as teal", s)
}

// CheckLogo checks a Theme.Logo URL: an https URL, or a path on the
// application's own origin (which the pages' Content-Security-Policy
// allows as 'self').
func CheckLogo(s string) error {
	bad := fmt.Errorf("%q is neither an https URL nor a path on this site: write a URL such as https://cdn.example.com/logo.svg, or a path such as /logo.svg", s)
	if s == "" || len(s) > 2048 || strings.ContainsFunc(s, unsafeURLRune) {
		return bad
	}
	if strings.HasPrefix(s, "/") {
		if !isLocalPath(s) {
			return bad
		}
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return bad
	}
	return nil
}

// CheckPagePath checks a custom page (Pages) given as a path on the
// application's origin: it starts with a single "/", may carry a query but
// no fragment, and is not under basePath, where the auth API answers (a
// sign-in page there would redirect to itself).
func CheckPagePath(p, basePath string) error {
	if !isLocalPath(p) || strings.Contains(p, "#") {
		return fmt.Errorf("%q is not a path on this site: write a path such as /login", p)
	}
	path, _, _ := strings.Cut(p, "?")
	base := "/" + strings.Trim(basePath, "/")
	if path == base || strings.HasPrefix(path, base+"/") {
		return fmt.Errorf("%q is under the auth API's base path %s, which serves the built-in pages: choose a path outside it, such as /login", p, base)
	}
	return nil
}

// CheckOrigin checks a trusted origin: scheme://host[:port], http or
// https, with no path, query or credentials, as
// http.CrossOriginProtection.AddTrustedOrigin takes it.
func CheckOrigin(o string) error {
	bad := fmt.Errorf("%q is not an origin: write scheme://host[:port] with no path, such as https://app.example.com", o)
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsFunc(o, unsafeURLRune) {
		return bad
	}
	if err := http.NewCrossOriginProtection().AddTrustedOrigin(o); err != nil {
		return bad
	}
	return nil
}

// isLocalPath reports whether p is a path on the current origin: one
// leading "/" (not "//" or "/\", which browsers read as another host) and
// nothing a URL parser would take for a scheme or host.
func isLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsFunc(p, unsafeURLRune) {
		return false
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}

// unsafeURLRune is a rune that has no place in a URL written into a page:
// spaces, controls, quotes, angle brackets and backslashes.
func unsafeURLRune(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"'<>\`+"`", r)
}

// cssColors are the CSS named colours (CSS Color Module Level 4).
var cssColors = func() map[string]bool {
	m := map[string]bool{}
	for _, name := range strings.Fields(`aliceblue antiquewhite aqua aquamarine azure beige bisque black
		blanchedalmond blue blueviolet brown burlywood cadetblue chartreuse chocolate coral
		cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen
		darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon
		darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink
		deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro
		ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo
		ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
		lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
		lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
		magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
		mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
		mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
		palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
		powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
		seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
		steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
		yellowgreen`) {
		m[name] = true
	}
	return m
}()
