package doctorcmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/authgen/authgen/runtime/env"
	"github.com/authgen/authgen/runtime/keys"
)

// checkKeys finds the key set as the application does (keys.Load: AUTH_KEYS,
// else the file AUTH_KEYS_FILE names, else authgen.keys.json, relative to
// the project root, where the app runs), and checks that it parses, that
// its file is readable by its owner alone (keys.CheckFile), and whether
// retired keys wait to be pruned, then the signing key's age (MaxKeyAge)
// from the date a rotation recorded; a set without one is not aged.
func (d *doctor) checkKeys() {
	ks, source, err := keys.Load(d.keysEnv)
	path := source // the key file's, or "" for AUTH_KEYS
	if source == keys.EnvKeys {
		path = ""
	}
	switch {
	case errors.Is(err, keys.ErrNoKeys):
		d.add("keys", Fail, fmt.Sprintf("no key set: %s is unset and %s does not exist", keys.EnvKeys, path),
			"run `authgen keys rotate` in the project to create "+keys.DefaultFile+" (mode 0600), or set "+keys.EnvKeys+" to what `authgen keys export` prints where the keys are, or "+keys.EnvKeysFile+" to their file")
	case err != nil:
		d.add("keys", Fail, fmt.Sprintf("the key set cannot be used: %v", err),
			"restore the key set from where you keep it (a new one from `authgen keys rotate`, after moving this one away, signs everyone out)")
	default:
		d.ok("keys", fmt.Sprintf("key set from %s: signing key %s, encryption key %s", source, ks.Signing().ID, ks.Encryption().ID))
	}

	_, inEnviron := d.o.Lookup(keys.EnvKeys)
	switch {
	case path == "" && !inEnviron && d.exposedDotenv != 0:
		dotenv := filepath.Join(d.o.Root, env.DotenvFile)
		d.add("keys.mode", Fail, fmt.Sprintf("%s comes from %s, which has mode %04o, readable by group or others: anyone who can read it can forge sessions", keys.EnvKeys, dotenv, d.exposedDotenv),
			fmt.Sprintf("chmod 600 %s; if others may have read it, rotate and retire the keys now: authgen keys rotate --keep 0s && authgen keys prune, then put `authgen keys export` in %s", dotenv, keys.EnvKeys))
	case path == "":
		d.ok("keys.mode", "the keys come from "+keys.EnvKeys+", not a file")
	case err != nil && !errors.Is(err, keys.ErrInvalid):
		// No file to check (or one that cannot be read: keys says why).
	default:
		if w := keys.CheckFile(path); w != nil {
			mode := "a mode"
			if fi, err := os.Stat(path); err == nil {
				mode = fmt.Sprintf("mode %04o", fi.Mode().Perm())
			}
			d.add("keys.mode", Fail, fmt.Sprintf("%s has %s, readable by group or others: anyone who can read it can forge sessions", path, mode),
				fmt.Sprintf("chmod 600 %s; if others may have read it, rotate and retire the keys now: authgen keys rotate --keep 0s && authgen keys prune", path))
		} else {
			d.ok("keys.mode", path+" is readable by its owner alone")
		}
	}

	if ks == nil {
		return
	}
	expired := 0
	now := d.o.Now()
	for _, k := range ks.Keys() {
		if !k.Active() && !now.Before(k.Expires) {
			expired++
		}
	}
	if expired > 0 {
		d.add("keys.age", Warn, fmt.Sprintf("%d retired key(s) no longer verify anything (past their expiry)", expired), "authgen keys prune")
		return
	}
	signing := ks.SigningAt(now)
	switch age := now.Sub(signing.Added); {
	case signing.Added.IsZero():
		d.ok("keys.age", "no expired retired keys; the signing key records no creation date (a set made by init, or by a first keys rotate, before any rotation), so rotate on your own schedule (authgen keys rotate), which starts recording it")
	case age > MaxKeyAge:
		d.add("keys.age", Warn, fmt.Sprintf("the signing key was added %d days ago, more than %d", int(age.Hours()/24), int(MaxKeyAge.Hours()/24)),
			"authgen keys rotate (sessions signed with the old key keep working until it is pruned)")
	default:
		d.ok("keys.age", fmt.Sprintf("the signing key was added %d days ago", int(age.Hours()/24)))
	}
}

// keysEnv is the environment keys.Load reads, with the key file's path
// (AUTH_KEYS_FILE, else authgen.keys.json) made absolute against the
// project root, where the app runs: keys.Load reads a relative path from
// the working directory, which need not be the root.
func (d *doctor) keysEnv(name string) string {
	v := d.getenv(name)
	if name != keys.EnvKeysFile {
		return v
	}
	if v == "" {
		v = keys.DefaultFile
	}
	if !filepath.IsAbs(v) {
		v = filepath.Join(d.o.Root, v)
	}
	return v
}

// MaxKeyAge is the signing key's age past which doctor suggests a
// rotation: keys that live long are worth more to whoever copies them,
// and a rotation costs users nothing.
const MaxKeyAge = 90 * 24 * time.Hour
