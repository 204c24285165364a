// Package project is what the CLI's commands share about the user's Go
// module: where it is, its module path, running the go command in it, and
// planning and applying its changes, all or none (plan.go).
package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/authgen/authgen/runtime/keys"
)

// Module is authgen's own module path, the CLI's; its runtime modules
// (github.com/authgen/authgen/runtime, …) are versioned with it.
const Module = "github.com/authgen/authgen"

// develVersion is the version a project requires authgen's modules at when
// a replace directive points them at a checkout.
const develVersion = "v0.0.0-00010101000000-000000000000"

// ErrNoModule reports a directory outside any Go module.
var ErrNoModule = errors.New("no go.mod found (run `authgen init` in a Go module, or pass --module to create one)")

// ModulePath returns the module path declared by dir/go.mod, or "" with
// os.ErrNotExist when there is none.
func ModulePath(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	return modulePath(dir, data)
}

// modulePath is the module path declared by data, dir/go.mod's content.
func modulePath(dir string, data []byte) (string, error) {
	path := modfile.ModulePath(data)
	if path == "" {
		return "", fmt.Errorf("%s: no module directive", filepath.Join(dir, "go.mod"))
	}
	return path, nil
}

// Root finds the module root at or above dir: the directory with go.mod.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", ErrNoModule
		}
	}
}

// HasMain reports whether dir holds a Go file of package main.
func HasMain(dir string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, m := range matches {
		f, err := parser.ParseFile(token.NewFileSet(), m, nil, parser.PackageClauseOnly)
		if err == nil && f.Name.Name == "main" {
			return true
		}
	}
	return false
}

// SourceCheckout returns the directory of the authgen source tree this
// binary was built from, when it was built from a checkout (go run, go
// build in the repository) rather than installed from a published version.
// Generated projects then need a replace directive to use that tree.
//
// It reads the compile-time path of this file: absolute in a checkout build,
// module-relative under -trimpath, and inside the module cache for an
// installed version — only the first counts. This is independent of VCS
// stamping, which since Go 1.24 no longer leaves "(devel)" as the version.
func SourceCheckout() (string, bool) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", false
	}
	dir := filepath.Dir(file)
	for d := dir; filepath.Dir(d) != d; d = filepath.Dir(d) {
		path, err := ModulePath(d)
		if err != nil {
			continue
		}
		if path != Module || strings.Contains(filepath.ToSlash(d), "/pkg/mod/") {
			return "", false
		}
		return d, true
	}
	return "", false
}

// Go runs the go command in dir and returns its stdout. Its stderr (go's
// own "downloading …" lines, and its errors) is streamed to progress, or,
// when progress is nil, returned in the error; it is never shown twice.
func Go(ctx context.Context, dir string, progress io.Writer, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	if progress != nil {
		cmd.Stderr = progress
	} else {
		cmd.Stderr = &stderr
	}
	out, err := cmd.Output()
	switch {
	case err == nil:
		return out, nil
	case ctx.Err() != nil:
		return out, fmt.Errorf("go %s: %w", strings.Join(args, " "), ctx.Err())
	case progress != nil:
		return out, fmt.Errorf("go %s: %w (its output is above)", strings.Join(args, " "), err)
	}
	return out, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
}

// Source is where a project gets authgen's runtime modules: a source
// checkout (replace directives to its directories) or a released version.
type Source struct {
	// Checkout is the root of an authgen source tree, or "".
	Checkout string
	// Version is the released version required when Checkout is "".
	Version string
}

// CLISource is where this binary's runtime is: its source checkout, else
// its own released version (authgen's modules are tagged together).
func CLISource() Source {
	if dir, ok := SourceCheckout(); ok {
		return Source{Checkout: dir}
	}
	if bi, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(bi.Main.Version, "v") {
		return Source{Version: bi.Main.Version}
	}
	return Source{}
}

// CheckoutSource checks that dir is an authgen source tree and returns it
// as a Source (init --runtime-replace).
func CheckoutSource(dir string) (Source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Source{}, err
	}
	if mp, err := ModulePath(abs); err != nil || mp != Module {
		return Source{}, fmt.Errorf("%s: not a checkout of %s", dir, Module)
	}
	return Source{Checkout: abs}, nil
}

// ProjectSource is where the project at root, whose go.mod is gomod,
// already gets authgen's runtime: the checkout its replace directive points
// at, or the version it requires; else CLISource.
func ProjectSource(root string, gomod []byte) Source {
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		return CLISource()
	}
	runtimeModule := Module + "/runtime"
	for _, r := range f.Replace {
		if r.Old.Path == runtimeModule && r.New.Version == "" {
			dir := r.New.Path
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(root, dir)
			}
			if src, err := CheckoutSource(filepath.Dir(dir)); err == nil {
				return src
			}
		}
	}
	for _, r := range f.Require {
		if r.Mod.Path == runtimeModule && r.Mod.Version != develVersion {
			return Source{Version: r.Mod.Version}
		}
	}
	return CLISource()
}

// KeysFile is the key set's path in a project.
func KeysFile(root string) string { return filepath.Join(root, keys.DefaultFile) }
