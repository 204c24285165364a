package modules_test

import (
	"bytes"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/authgen/authgen/generator"
	"github.com/authgen/authgen/generator/manifest"
	"github.com/authgen/authgen/internal/modules"
)

// repo is the repository root, relative to this package.
const repo = "../.."

func load(t *testing.T) []*modules.Module {
	t.Helper()
	mods, err := modules.Load(repo)
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) < 3 {
		t.Fatalf("found %d modules", len(mods))
	}
	return mods
}

// TestWorkspaceHasEveryModule: go.work uses exactly the repository's
// modules (tools/ stays out).
func TestWorkspaceHasEveryModule(t *testing.T) {
	data, err := os.ReadFile(repo + "/go.work")
	if err != nil {
		t.Fatal(err)
	}
	wf, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var used, dirs []string
	for _, u := range wf.Use {
		used = append(used, path.Clean(u.Path))
	}
	for _, m := range load(t) {
		dirs = append(dirs, m.Dir)
	}
	slices.Sort(used)
	if !slices.Equal(used, dirs) {
		t.Errorf("go.work uses %v; the repository's modules are %v", used, dirs)
	}
	if slices.Contains(used, "tools") {
		t.Error("go.work uses tools/: its versions would leak into the other modules")
	}
}

// TestSiblingsReplaced: every authgen module requires its siblings at the
// development version and replaces them with their directories, so each
// builds on its own; all declare the same Go version.
func TestSiblingsReplaced(t *testing.T) {
	mods := load(t)
	dirOf := map[string]string{}
	for _, m := range mods {
		dirOf[m.Path()] = m.Dir
	}
	goVersion := mods[0].File.Go.Version
	for _, m := range mods {
		if m.File.Go.Version != goVersion {
			t.Errorf("%s/go.mod says go %s, %s/go.mod go %s", m.Dir, m.File.Go.Version, mods[0].Dir, goVersion)
		}
		for _, r := range m.File.Require {
			if !modules.Authgen(r.Mod.Path) {
				continue
			}
			if _, ok := dirOf[r.Mod.Path]; !ok {
				t.Errorf("%s requires %s, which is not a module of this repository", m.Dir, r.Mod.Path)
				continue
			}
			if r.Mod.Version != modules.DevelVersion {
				t.Errorf("%s requires %s %s; between releases it is %s with a replace directive", m.Dir, r.Mod.Path, r.Mod.Version, modules.DevelVersion)
			}
			want := relPath(m.Dir, dirOf[r.Mod.Path])
			i := slices.IndexFunc(m.File.Replace, func(rp *modfile.Replace) bool { return rp.Old.Path == r.Mod.Path })
			if i < 0 || m.File.Replace[i].New.Path != want {
				t.Errorf("%s/go.mod must replace %s => %s", m.Dir, r.Mod.Path, want)
			}
		}
	}
}

// relPath is the slash path from directory from to directory to, both
// relative to the repository root, as a replace directive writes it.
func relPath(from, to string) string {
	rel, err := filepath.Rel(filepath.FromSlash(from), filepath.FromSlash(to))
	if err != nil {
		return "?"
	}
	rel = filepath.ToSlash(rel)
	if !strings.HasPrefix(rel, "..") {
		rel = "./" + rel
	}
	return rel
}

// selected returns the workspace's build list: each module's version as
// the workspace builds it.
func selected(t *testing.T) map[string]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.Version}}", "all")
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -m all: %v\n%s", err, stderr.String())
	}
	sel := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		if p, v, ok := strings.Cut(line, " "); ok {
			sel[p] = v
		}
	}
	return sel
}

// TestModulesInStep: every module requires each third-party module at the
// version the workspace selects, so a module built alone (as users and go
// install build it) uses what the tests ran with. `go work sync` fixes a
// failure.
func TestModulesInStep(t *testing.T) {
	sel := selected(t)
	for _, m := range load(t) {
		for _, r := range m.File.Require {
			if modules.Authgen(r.Mod.Path) {
				continue
			}
			if v := sel[r.Mod.Path]; v != "" && v != r.Mod.Version {
				t.Errorf("%s/go.mod requires %s %s, the workspace builds %s: run `go work sync` (or lower the newer requirement)", m.Dir, r.Mod.Path, r.Mod.Version, v)
			}
		}
	}
}

// TestPinsMatchTestedVersions: the versions init writes into projects'
// go.mod are the ones this repository's tests build with.
func TestPinsMatchTestedVersions(t *testing.T) {
	sel := selected(t)
	seen := map[string]bool{}
	for _, db := range []string{manifest.DBSQLite, manifest.DBPostgres, manifest.DBMySQL, manifest.DBMongoDB} {
		for _, store := range []string{"", manifest.SessionStoreRedis} {
			m, err := manifest.New(manifest.Choices{Providers: []string{"github"}, Database: db, Strategy: manifest.StrategyDatabase, Token: manifest.TokenSigned, SessionStore: store})
			if err != nil {
				t.Fatal(err)
			}
			var reqs []generator.Requirement
			for _, router := range manifest.Routers {
				m.Router = router
				reqs = append(reqs, generator.Requirements(generator.Spec{Module: "example.com/app", Manifest: m})...)
			}
			for _, r := range reqs {
				if r.Authgen() || seen[r.Path] {
					continue
				}
				seen[r.Path] = true
				if v, ok := sel[r.Path]; !ok {
					t.Errorf("generated projects require %s %s, which no module of this repository tests", r.Path, r.Version)
				} else if v != r.Version {
					t.Errorf("generated projects require %s %s; this repository tests %s (generator/requirements.go)", r.Path, r.Version, v)
				}
			}
		}
	}
}

// TestRelease: a release go.mod requires authgen's modules at the version
// and replaces none of them.
func TestRelease(t *testing.T) {
	for _, m := range load(t) {
		if !m.Published() {
			continue
		}
		data, err := modules.Release(m, "v1.2.3")
		if err != nil {
			t.Fatal(err)
		}
		f, err := modfile.Parse("go.mod", data, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range f.Require {
			if modules.Authgen(r.Mod.Path) && r.Mod.Version != "v1.2.3" {
				t.Errorf("%s: %s at %s", m.Dir, r.Mod.Path, r.Mod.Version)
			}
		}
		for _, r := range f.Replace {
			if modules.Authgen(r.Old.Path) {
				t.Errorf("%s: still replaces %s", m.Dir, r.Old.Path)
			}
		}
		if tag := modules.Tag(m, "v1.2.3"); m.Dir == "." && tag != "v1.2.3" || m.Dir != "." && tag != m.Dir+"/v1.2.3" {
			t.Errorf("%s: tag %s", m.Dir, tag)
		}
	}
}
