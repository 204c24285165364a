// Package doctorcmd implements "authgen doctor": check a project the way
// its application will meet it — the environment and .env it reads, its
// keys, AUTH_URL, its database, its generated files, the runtime version
// in go.mod — and print each problem with its fix.
package doctorcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
)

// ErrUnhealthy is what the command returns when a check failed (with
// --strict, also when one warned); the CLI exits 1 for it.
var ErrUnhealthy = errors.New("the project has problems")

// Status is a check's outcome.
type Status string

// A check's outcomes. Only Fail makes the project unhealthy (and Warn with
// --strict).
const (
	// OK: nothing to do; the message may still say something worth
	// knowing (the callback URLs to register).
	OK Status = "ok"
	// Warn: the application works, but something deserves attention (a
	// .env file others can read).
	Warn Status = "warn"
	// Fail: the application will not start, or will not work as it
	// should, until the fix is applied.
	Fail Status = "fail"
)

// Check is one finding. Its JSON field names are stable, for scripts.
type Check struct {
	// ID names the check: "keys.mode", "env.github", … (see docs/DOCTOR.md).
	ID string `json:"id"`
	// Status is ok, warn or fail.
	Status Status `json:"status"`
	// Message says what was found.
	Message string `json:"message"`
	// Fix says what to do; empty when Status is ok.
	Fix string `json:"fix"`
}

// Report is every check's finding for one project.
type Report struct {
	// Root is the project's module root.
	Root string `json:"root"`
	// Healthy is false when a check failed.
	Healthy bool `json:"healthy"`
	// Checks are the findings, in the order docs/DOCTOR.md lists them.
	Checks []Check `json:"checks"`
}

// Problems counts the checks that failed and those that warned.
func (r *Report) Problems() (failed, warned int) {
	for _, c := range r.Checks {
		switch c.Status {
		case Fail:
			failed++
		case Warn:
			warned++
		}
	}
	return failed, warned
}

// DefaultTimeout bounds how long doctor waits for the database to answer.
const DefaultTimeout = 5 * time.Second

// Options are what a doctor run reads besides the project's files.
type Options struct {
	// Root is the project's module root.
	Root string
	// Lookup reads the process environment (os.LookupEnv); the project's
	// .env fills in what it lacks, as the application reads them.
	Lookup func(string) (string, bool)
	// Timeout bounds each wait for the database (DefaultTimeout when 0).
	Timeout time.Duration
	// CLI is where this authgen's runtime is (project.CLISource()), which
	// the project's go.mod must match.
	CLI project.Source
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Run checks the project at o.Root. Its error is for a project it cannot
// check at all (no authgen.yaml, a malformed one); what it finds is in the
// report.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Lookup == nil {
		o.Lookup = os.LookupEnv
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	p, err := project.Load(o.Root)
	if err != nil {
		return nil, err
	}
	d := &doctor{o: o, p: p, m: p.Manifest, spec: p.Spec()}
	d.readEnv()
	d.checkProviders()
	d.checkAppEnv()
	d.checkKeys()
	d.checkAuthURL()
	d.checkPasskeys()
	d.checkDatabase(ctx)
	d.checkGenerated()
	d.checkRuntime()
	r := &Report{Root: o.Root, Checks: d.checks}
	failed, _ := r.Problems()
	r.Healthy = failed == 0
	return r, nil
}

// doctor collects the checks of one run.
type doctor struct {
	o Options
	// p is the project, its go.mod read once for every check.
	p      *project.Project
	m      *manifest.Manifest
	spec   generator.Spec
	getenv func(string) string
	// exposedDotenv is the mode of a .env readable by group or others, or
	// 0: it matters more when it holds the keys.
	exposedDotenv os.FileMode
	checks        []Check
}

// add records a finding; line breaks in msg and fix (a driver's error
// spans lines) become spaces, so that each is one line.
func (d *doctor) add(id string, s Status, msg, fix string) {
	d.checks = append(d.checks, Check{ID: id, Status: s, Message: oneLine(msg), Fix: oneLine(fix)})
}

// lineBreak is a line break with the blanks around it.
var lineBreak = regexp.MustCompile(`[ \t]*\r?\n[ \t]*`)

// oneLine is s trimmed, its line breaks spaces.
func oneLine(s string) string { return lineBreak.ReplaceAllString(strings.TrimSpace(s), " ") }

// ok records a check that found nothing to fix.
func (d *doctor) ok(id, msg string) { d.add(id, OK, msg, "") }

// Write prints the report for a person: each check with its status, the
// fix under each problem, and a summary line.
func (r *Report) Write(w io.Writer) error {
	fmt.Fprintf(w, "authgen doctor: %s\n", r.Root)
	for _, c := range r.Checks {
		label := map[Status]string{OK: "ok  ", Warn: "WARN", Fail: "FAIL"}[c.Status]
		fmt.Fprintf(w, "%s %s: %s\n", label, c.ID, c.Message)
		if c.Fix != "" {
			fmt.Fprintf(w, "     fix: %s\n", c.Fix)
		}
	}
	failed, warned := r.Problems()
	var err error
	switch {
	case failed == 0 && warned == 0:
		_, err = fmt.Fprintln(w, "no problems found")
	default:
		_, err = fmt.Fprintf(w, "%d failed, %d warning(s)\n", failed, warned)
	}
	return err
}

// New returns the doctor command.
func New(ios *iostreams.IOStreams) *cobra.Command {
	var asJSON, strict bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the project's configuration, keys, database and generated files, and say how to fix each problem",
		Long: `Doctor checks the project around the working directory as its application
will meet it, reading the environment and the project's .env as the app
does, and prints each finding; a problem comes with its fix. It checks:

  dotenv, dotenv.mode   .env parses, and only its owner can read it
  env.<provider>        every variable of each OAuth provider is set
  callback.<provider>   the callback URL to register with each provider
  env.app               the application's own required variables
  keys, keys.mode,      the key set (AUTH_KEYS, AUTH_KEYS_FILE or
  keys.age              authgen.keys.json), its file's mode, retired keys,
                        the signing key's age (rotate past 90 days)
  authurl, cookies      AUTH_URL is an origin, https unless on loopback;
                        whether cookies are Secure
  passkeys              with passkeys, a relying party browsers accept (a
                        host name, on https or http://localhost)
  database              DATABASE_URL answers (within --timeout) and is migrated
  generated             the generated files are what authgen.yaml generates
  runtime               go.mod's authgen runtime is this authgen's

It changes nothing. It exits 0 when no check failed (warnings are printed;
--strict makes them fail too), 1 when one did, 2 for a wrong command line.
--json prints the report as JSON: {"root", "healthy", "checks": [{"id",
"status": "ok"|"warn"|"fail", "message", "fix"}]}. docs/DOCTOR.md lists
every check with its fix.`,
		Example: `  authgen doctor
  # in CI or a deploy script
  authgen doctor --json | jq -r '.checks[] | select(.status != "ok") | .id + ": " + .fix'
  DATABASE_URL=postgres://app:secret@db:5432/app authgen doctor --timeout 10s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if timeout <= 0 {
				return usage.Errorf("--timeout %s: give how long to wait for the database, such as %s", timeout, DefaultTimeout)
			}
			root, err := project.Root(".")
			if err != nil {
				return err
			}
			r, err := Run(cmd.Context(), Options{Root: root, Timeout: timeout, CLI: project.CLISource()})
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(r); err != nil {
					return err
				}
			} else if err := r.Write(ios.Out); err != nil {
				return err
			}
			failed, warned := r.Problems()
			if failed > 0 || (strict && warned > 0) {
				return fmt.Errorf("%w: %d failed, %d warning(s)", ErrUnhealthy, failed, warned)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON (fields id, status, message, fix)")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 on warnings too")
	cmd.Flags().DurationVar(&timeout, "timeout", DefaultTimeout, "how long to wait for the database to answer")
	return cmd
}
