package doctorcmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/generator/writer"
)

// checkGenerated is `authgen generate --check`, planned as it plans
// (project.PlanRegenerate): regenerating the project changes nothing, go.mod
// provides what the generated files import, and nothing refuses the plan
// (files without the marker, declarations of the user's that clash).
func (d *doctor) checkGenerated() {
	const id = "generated"
	p, missing, err := d.p.PlanRegenerate(writer.Options{})
	if p == nil {
		d.add(id, Fail, err.Error(), "correct authgen.yaml, then run `authgen generate`")
		return
	}
	var what []string
	for _, c := range p.Changed() {
		if c.Path == "go.mod" && len(missing) > 0 {
			continue // said below, with what it lacks
		}
		what = append(what, c.Path+" would be "+string(c.Action))
	}
	if len(missing) > 0 {
		what = append(what, "go.mod does not provide "+strings.Join(missing, ", "))
	}
	switch {
	case len(what) > 0:
		d.add(id, Fail, "the project is not what authgen.yaml generates: "+strings.Join(what, ", "),
			"run `authgen generate` (`authgen diff` shows the changes first)")
	case err != nil:
		d.add(id, Fail, err.Error(), "see `authgen generate --check`")
	default:
		d.ok(id, "the generated files are what authgen.yaml generates")
	}
}

// checkRuntime checks that go.mod gets every authgen module it requires
// (the runtime and its store and mail modules) where this authgen
// generates for: at this authgen's version, or, for a build from a source
// checkout, from that checkout through replace directives — what init and
// add write (project.PlanGoModSpec). Generated code and a runtime of another
// version need not agree.
func (d *doctor) checkRuntime() {
	const id = "runtime"
	f, err := modfile.Parse("go.mod", d.p.GoMod, nil)
	if err != nil {
		d.add(id, Fail, err.Error(), "correct go.mod")
		return
	}
	cli := d.o.CLI
	if cli.Checkout == "" && cli.Version == "" {
		d.add(id, Warn, "this authgen build has no version, so the project's runtime cannot be compared with it", "install a released authgen (go install github.com/authgen/authgen/cmd/authgen@vX.Y.Z)")
		return
	}
	replaced := map[string]string{}
	for _, r := range f.Replace {
		if r.New.Version != "" {
			replaced[r.Old.Path] = r.New.Path + "@" + r.New.Version
			continue
		}
		dir := r.New.Path
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(d.o.Root, dir)
		}
		replaced[r.Old.Path] = filepath.Clean(dir)
	}
	var wrong []string
	found := false
	for _, r := range f.Require {
		path := r.Mod.Path
		if !strings.HasPrefix(path, project.Module+"/") {
			continue
		}
		found = true
		rel := strings.TrimPrefix(path, project.Module+"/")
		has, isReplaced := replaced[path]
		if !isReplaced {
			has = r.Mod.Version
		}
		var want string
		if cli.Checkout != "" {
			want = filepath.Join(cli.Checkout, filepath.FromSlash(rel))
		} else {
			want = cli.Version
		}
		if !sameDir(has, want) {
			wrong = append(wrong, fmt.Sprintf("%s at %s", path, has))
		}
	}
	var wantText, fix string
	if cli.Checkout != "" {
		wantText = "this authgen's source checkout, " + cli.Checkout
		fix = fmt.Sprintf("point the project at this checkout: go mod edit -replace %s/runtime=%s (and likewise each authgen module it requires), then go mod tidy; or run the authgen of the version the project requires",
			project.Module, filepath.Join(cli.Checkout, "runtime"))
	} else {
		wantText = "this authgen's version, " + cli.Version
		fix = fmt.Sprintf("go get %s/runtime@%s (and each authgen module it requires at the same version; drop replace directives for them), then authgen generate; or install the authgen of the project's version: go install %s/cmd/authgen@VERSION",
			project.Module, cli.Version, project.Module)
	}
	switch {
	case !found:
		d.add(id, Fail, "go.mod does not require "+project.Module+"/runtime", fix)
	case len(wrong) > 0:
		d.add(id, Fail, fmt.Sprintf("go.mod requires %s, not %s", strings.Join(wrong, ", "), wantText), fix)
	default:
		d.ok(id, "go.mod's authgen modules are "+wantText)
	}
}

// sameDir compares a version or directory with another, directories by
// their resolved paths.
func sameDir(a, b string) bool {
	if a == b {
		return true
	}
	if !filepath.IsAbs(a) || !filepath.IsAbs(b) {
		return false
	}
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}
