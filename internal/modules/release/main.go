// Command release prepares a release of authgen's modules, which share one
// version: it rewrites the published modules' go.mod files for version v
// (authgen requirements at v, no replace directives) and prints the git
// steps. Libraries are tagged first, then the CLI, whose go.sum needs the
// runtime's published checksums.
//
//	go run ./internal/modules/release v0.4.0          # print the plan
//	go run ./internal/modules/release -write v0.4.0   # and rewrite go.mod files
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/semver"

	"github.com/authgen/authgen/internal/modules"
)

func main() {
	write := flag.Bool("write", false, "rewrite the published modules' go.mod files")
	flag.Parse()
	if flag.NArg() != 1 || !semver.IsValid(flag.Arg(0)) || semver.Canonical(flag.Arg(0)) != flag.Arg(0) {
		fmt.Fprintln(os.Stderr, "usage: release [-write] vX.Y.Z")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *write); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

func run(v string, write bool) error {
	mods, err := modules.Load(".")
	if err != nil {
		return err
	}
	var libs, cli []string
	for _, m := range mods {
		if !m.Published() {
			continue
		}
		data, err := modules.Release(m, v)
		if err != nil {
			return err
		}
		if write {
			if err := os.WriteFile(filepath.Join(m.Dir, "go.mod"), data, 0o644); err != nil {
				return err
			}
			fmt.Printf("rewrote %s/go.mod for %s\n", m.Dir, v)
		}
		if m.Dir == "." {
			cli = append(cli, modules.Tag(m, v))
		} else {
			libs = append(libs, modules.Tag(m, v))
		}
	}
	fmt.Printf(`Release %[1]s:
 1. go run ./internal/modules/release -write %[1]s   (authgen requirements at %[1]s, no replace directives)
 2. git commit -am "release %[1]s" && for t in %[2]s; do git tag $t; done && git push origin %[2]s
 3. GOWORK=off go mod tidy   (in the root: the runtime's checksums, now published)
 4. git commit -am "authgen %[1]s" && git tag %[3]s && git push origin main %[3]s
 5. git checkout HEAD~2 -- $(git ls-files '*go.mod')   (back to development: devel versions, replace directives)
    && git commit -am "back to development after %[1]s"
`, v, join(libs), join(cli))
	return nil
}

func join(tags []string) string {
	out := ""
	for i, t := range tags {
		if i > 0 {
			out += " "
		}
		out += t
	}
	return out
}
