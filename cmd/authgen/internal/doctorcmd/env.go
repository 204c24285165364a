package doctorcmd

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/runtime/email"
	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/server"
)

// defaultPort is the demo main.go's port when PORT is unset, which the
// default AUTH_URL names.
const defaultPort = "3000"

// readEnv reads the environment as the application does — the process's,
// then the project's .env for what it lacks — and checks .env itself: it
// must parse (else the application does not start), and only its owner
// should read it, as it holds client secrets.
func (d *doctor) readEnv() {
	path := filepath.Join(d.o.Root, env.DotenvFile)
	getenv, err := env.Dotenv(path, d.o.Lookup)
	switch {
	case err != nil:
		d.add("dotenv", Fail, err.Error(), "correct the line it names (the app refuses to start on it); docs: README.md's .env section")
		d.getenv = func(name string) string { v, _ := d.o.Lookup(name); return v }
	default:
		d.getenv = getenv
		if _, statErr := os.Stat(path); statErr != nil {
			d.ok("dotenv", "no .env: the variables come from the environment alone")
		} else {
			d.ok("dotenv", ".env parses; the environment wins over it")
		}
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
	case runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0:
		d.exposedDotenv = fi.Mode().Perm()
		d.add("dotenv.mode", Warn, fmt.Sprintf("%s has mode %04o: users other than its owner can read the client secrets in it", path, fi.Mode().Perm()),
			"chmod 600 "+path)
	default:
		d.ok("dotenv.mode", fmt.Sprintf(".env has mode %04o", fi.Mode().Perm()))
	}
}

// origin is the application's public origin as LoadConfig reads it
// (AUTH_URL, else http://localhost:$PORT), and the problem with AUTH_URL
// when it is not an origin.
func (d *doctor) origin() (*url.URL, string) {
	r := env.New(d.getenv)
	u := r.Origin("AUTH_URL", "http://localhost:"+cmp.Or(d.getenv("PORT"), defaultPort))
	if err := r.Err(); err != nil {
		return nil, problems(err)
	}
	return u, ""
}

// problems is the list of an env.Reader's Err as one line.
func problems(err error) string {
	_, list, ok := strings.Cut(err.Error(), "\n  - ")
	if !ok {
		return err.Error()
	}
	return strings.ReplaceAll(list, "\n  - ", "; ")
}

// checkProviders checks each OAuth provider's variables, as the generated
// LoadConfig reads them (env.Reader.Provider over generator.ProviderEnv),
// and names the callback URL to register with it.
func (d *doctor) checkProviders() {
	base := "http://localhost:" + cmp.Or(d.getenv("PORT"), defaultPort)
	u, _ := d.origin()
	if u != nil {
		base = u.String()
	}
	for _, p := range d.m.Providers {
		callback := base + d.m.BasePath + "/callback/" + p.ID
		spec, err := generator.ProviderEnv(p, callback)
		if errors.Is(err, generator.ErrNotOAuth) {
			continue // e-mail, credentials, LDAP: their variables are the app's
		}
		if err != nil {
			d.add("env."+p.ID, Fail, err.Error(), "correct the provider in authgen.yaml (`authgen providers` lists them) and run `authgen generate`")
			continue
		}
		r := env.New(d.getenv)
		r.Provider(spec)
		missing := r.Missing()
		switch err := r.Err(); {
		case len(missing) > 0:
			fix := fmt.Sprintf("register the %s app %s with the callback URL %s, then set %s in .env or the environment", spec.Name, spec.At(), callback, strings.Join(missing, ", "))
			for _, v := range spec.Vars() {
				if h := v.Hint(spec.Where()); h != "" && slices.Contains(missing, v.Name) {
					fix += "; " + v.Name + ": " + h
				}
			}
			d.add("env."+p.ID, Fail, fmt.Sprintf("%s %s not set (in the environment or .env)", strings.Join(missing, ", "), isAre(len(missing))), fix)
		case err != nil:
			d.add("env."+p.ID, Fail, problems(err), "set the variable it names to the value the provider gave you")
		default:
			d.ok("env."+p.ID, fmt.Sprintf("the %s variables are set", spec.Name))
		}
		d.ok("callback."+p.ID, fmt.Sprintf("register %s as the callback URL of the %s app %s", callback, spec.Name, spec.At()))
	}
}

// checkAppEnv checks the application's own required variables (the
// table's, LDAP sign-in's), and, with e-mail sign-in, the SMTP server that
// every AUTH_URL but http://localhost needs. DATABASE_URL is the database
// check's.
func (d *doctor) checkAppEnv() {
	var missing []string
	var hints []string
	for _, v := range generator.AppVars(d.spec) {
		if !v.Required || v.Name == "DATABASE_URL" || d.getenv(v.Name) != "" {
			continue
		}
		missing = append(missing, v.Name)
		if v.Example != "" {
			hints = append(hints, v.Name+" such as "+v.Example)
		}
	}
	if d.m.HasEmail() && d.getenv(email.EnvServer) == "" {
		if u, _ := d.origin(); u != nil && !email.Development(u.String()) {
			missing = append(missing, email.EnvServer)
			hints = append(hints, email.EnvServer+" such as smtps://user:password@smtp.example.com:465 (only http://localhost logs the sign-in mail instead)")
		}
	}
	if len(missing) == 0 {
		d.ok("env.app", "the application's required variables are set")
		return
	}
	fix := "set " + strings.Join(missing, ", ") + " in .env or the environment"
	if len(hints) > 0 {
		fix += ": " + strings.Join(hints, "; ")
	}
	fix += " (.env.example describes each)"
	d.add("env.app", Fail, fmt.Sprintf("%s %s not set (in the environment or .env)", strings.Join(missing, ", "), isAre(len(missing))), fix)
}

// checkAuthURL checks AUTH_URL as LoadConfig reads it — an origin — and
// that it is https unless it is on a loopback host (a developer's
// machine), then reports whether cookies are Secure, which follows from
// it.
func (d *doctor) checkAuthURL() {
	u, problem := d.origin()
	if u == nil {
		d.add("authurl", Fail, problem, "set AUTH_URL to the public origin the app is served at, such as https://app.example.com (scheme://host[:port], no path)")
		d.add("cookies", Warn, "whether cookies are Secure follows from AUTH_URL, which is not valid", "correct AUTH_URL (see authurl)")
		return
	}
	set := d.getenv("AUTH_URL") != ""
	dev := email.Development(u.String())
	switch {
	case u.Scheme == "http" && !dev:
		d.add("authurl", Fail, fmt.Sprintf("AUTH_URL is %s: http on a host that is not loopback, so sessions and client secrets cross the network in clear", u),
			fmt.Sprintf("serve the app over https and set AUTH_URL=https://%s (http is for localhost, 127.0.0.1 and [::1] only)", u.Host))
		d.add("cookies", Warn, "cookies are not Secure (AUTH_URL is http)", "set AUTH_URL to the https origin: cookies are then Secure and __Host- prefixed")
		return
	case !set:
		d.ok("authurl", fmt.Sprintf("AUTH_URL is unset: the app serves %s (development); in production set it to the public https origin", u))
	case dev:
		d.ok("authurl", fmt.Sprintf("AUTH_URL is %s (development on this machine); in production set it to the public https origin", u))
	default:
		d.ok("authurl", fmt.Sprintf("AUTH_URL is %s", u))
	}
	if u.Scheme == "https" {
		d.ok("cookies", "cookies are Secure and __Host- prefixed (AUTH_URL is https)")
	} else {
		d.ok("cookies", "cookies are not Secure: AUTH_URL is http on loopback, for development; https makes them Secure")
	}
}

// isAre is the verb for n variables.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// checkPasskeys checks, with the passkey provider on, that browsers will
// make and use passkeys for the app: WebAuthn takes a host name as
// relying party ID (cookieDomain, else AUTH_URL's host), never an IP
// address, and only on https or http://localhost.
func (d *doctor) checkPasskeys() {
	if !d.m.HasPasskey() {
		return
	}
	u, _ := d.origin()
	if u == nil {
		d.add("passkeys", Warn, "the passkeys' relying party follows from AUTH_URL, which is not valid", "correct AUTH_URL (see authurl)")
		return
	}
	host := u.Hostname()
	rp := server.PasskeyRPID(u, d.m.CookieDomain)
	switch {
	case net.ParseIP(host) != nil:
		fix := "serve the app on a host name and set AUTH_URL to it"
		if ip := net.ParseIP(host); ip.IsLoopback() {
			fix = fmt.Sprintf("on this machine use AUTH_URL=http://localhost:%s", cmp.Or(u.Port(), "80"))
		}
		d.add("passkeys", Fail, fmt.Sprintf("AUTH_URL's host %s is an IP address: browsers refuse passkeys whose relying party is not a host name", host), fix)
	case u.Scheme != "https" && host != "localhost":
		d.add("passkeys", Fail, fmt.Sprintf("AUTH_URL is %s: browsers make and use passkeys only on https (or http://localhost)", u), "serve the app over https and set AUTH_URL to the https origin")
	default:
		from := "AUTH_URL's host"
		if d.m.CookieDomain != "" {
			from = "cookieDomain"
		}
		d.ok("passkeys", fmt.Sprintf("passkeys are registered for the relying party %s (%s); changing it strands them", rp, from))
	}
}
