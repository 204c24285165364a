// Package targetcmd implements "authgen add target lambda|container": the
// files that deploy the application on AWS Lambda (cmd/lambda/main.go,
// scripts/build-lambda.sh, and package app, the handler main.go serves
// too) or in a container (Dockerfile, .dockerignore). They are scaffold
// files, the user's once written, so authgen.yaml does not record targets.
package targetcmd

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/writer"
)

// Options are the inputs of "authgen add target".
type Options struct {
	// Targets are the deploy targets to add (generator.Targets).
	Targets []string
	// Force overwrites generated files that lack the authgen marker; the
	// targets' files, once they exist, are never rewritten.
	Force bool
	// SkipTidy leaves go.mod's new requirement for go mod tidy to complete.
	SkipTidy bool
}

// New returns the target verb, a subcommand of "authgen add".
func New(ios *iostreams.IOStreams) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   "target lambda|container...",
		Short: "Deploy on AWS Lambda or in a container: add the files that build and serve the application there",
		Long: `Add target writes, once, the files that deploy the application; they are
yours from then on, and authgen.yaml does not record them:

  lambda     cmd/lambda/main.go       package app's handler on a Lambda function URL
                                      (runtime/lambda over aws-lambda-go's lambdaurl)
             scripts/build-lambda.sh  builds build/lambda/bootstrap.zip (arm64,
                                      static, -tags lambda.norpc)
             app/app.go               the handler main.go and cmd/lambda both serve,
                                      when the project has none yet
  container  Dockerfile               a static binary (CGO_ENABLED=0, -trimpath) on
                                      distroless static, as the non-root user
             .dockerignore            keeps the key set, .env and databases out

It also regenerates the auth package as "authgen generate" does and, for
lambda, requires runtime/lambda in go.mod (go mod tidy). Existing files are
never overwritten, every change is made or none is, and running it again
changes nothing. docs/DEPLOY.md has the environment each platform needs.`,
		Example: `  authgen add target lambda
  authgen add target container
  scripts/build-lambda.sh && docker build -t myapp .`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("add target takes one or more targets: %s", usage.OrList(generator.Targets))
			}
			return nil
		},
		ValidArgs: generator.Targets,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Targets = args
			return Add(cmd.Context(), ios, *o)
		},
	}
	cmd.Flags().BoolVar(&o.Force, "force", false, "overwrite generated files that lack the authgen marker")
	cmd.Flags().BoolVar(&o.SkipTidy, "skip-tidy", false, "do not run go mod tidy when go.mod lacks a module the code needs")
	return cmd
}

// Add runs "authgen add target".
func Add(ctx context.Context, ios *iostreams.IOStreams, o Options) error {
	var errs []error
	for _, t := range o.Targets {
		errs = append(errs, usage.OneOf("target", t, generator.Targets))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	targets := slices.Compact(slices.Sorted(slices.Values(o.Targets)))
	p, err := project.Load(".")
	if err != nil {
		return err
	}
	root, module := p.Root, p.Module
	spec := p.Spec()
	spec.Targets = targets
	plan, err := project.PlanGenerate(root, spec, writer.Options{ForceGenerated: o.Force})
	if err != nil {
		return err
	}
	missing, err := project.MissingModules(p.GoMod, spec, plan.Files)
	if err != nil {
		return err
	}
	mod, err := project.PlanGoModSpec(root, spec, p.Source())
	if err != nil {
		return err
	}
	changes := plan.Changes
	plan.Add(mod)
	var tidy func(*writer.Tx) error
	if mod.Action.Changes() && !o.SkipTidy {
		tidy = project.Tidy(ctx, root, nil, ios.Out, ios.ErrOut)
	}
	if err := plan.Apply(tidy); err != nil {
		return err
	}

	w := ios.Out
	project.PrintChanges(w, changes)
	if mod.Action.Changes() {
		fmt.Fprintln(w, "updated go.mod")
		if o.SkipTidy {
			if len(missing) > 0 {
				project.PrintSkippedTidy(w, missing)
			} else if reqs := project.NewRequirements(mod.Old, mod.Content); len(reqs) > 0 {
				// A requirement raised to the version authgen needs:
				// go.sum wants its entries.
				fmt.Fprintf(w, "go.mod now requires %s: run `go mod tidy` before building.\n", strings.Join(reqs, ", "))
			}
		}
	}
	var files []string
	for _, t := range targets {
		files = append(files, generator.TargetFiles(t)...)
	}
	for _, c := range changes {
		if c.Action == writer.Skipped && slices.Contains(files, c.Path) {
			fmt.Fprintf(ios.ErrOut, "warning: %s exists and was kept\n", c.Path)
		}
	}
	if slices.Contains(targets, generator.TargetLambda) && !mainServesApp(root, module) {
		fmt.Fprintf(ios.ErrOut, "warning: the main package at the module root does not import %s: cmd/lambda serves app.Handler (app/app.go), so put your routes there and serve app.Handler(a) from main.go too, or the two differ\n", path.Join(module, "app"))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Next:")
	Next(w, targets)
	return nil
}

// mainServesApp reports whether a Go file of package main at root imports
// the project's package app; true when root has no main package (there is
// nothing to differ from).
func mainServesApp(root, module string) bool {
	if !project.HasMain(root) {
		return true
	}
	matches, _ := filepath.Glob(filepath.Join(root, "*.go"))
	for _, m := range matches {
		f, err := parser.ParseFile(token.NewFileSet(), m, nil, parser.ImportsOnly)
		if err != nil || f.Name.Name != "main" {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil && p == path.Join(module, "app") {
				return true
			}
		}
	}
	return false
}

// Next says how to build and deploy each of targets (docs/DEPLOY.md).
func Next(w io.Writer, targets []string) {
	if slices.Contains(targets, generator.TargetLambda) {
		fmt.Fprintln(w, "  # AWS Lambda: scripts/build-lambda.sh builds build/lambda/bootstrap.zip (arm64, provided.al2023);")
		fmt.Fprintln(w, "  #   give the function AUTH_URL (its function URL, invoke mode RESPONSE_STREAM),")
		fmt.Fprintln(w, "  #   AUTH_KEYS=\"$(authgen keys export)\" and a network database or none (docs/DEPLOY.md)")
	}
	if slices.Contains(targets, generator.TargetContainer) {
		fmt.Fprintln(w, "  # Container: docker build -t app . && docker run -p 3000:3000 \\")
		fmt.Fprintln(w, "  #   -e AUTH_URL=https://… -e AUTH_KEYS=\"$(authgen keys export)\" app   (docs/DEPLOY.md)")
	}
}
